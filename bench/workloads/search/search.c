/* search: text search over 256 KiB of generated text for 20 patterns (words, phrases, absent
 * strings), with a naive scan (first-byte filter + compare), Boyer-Moore-Horspool, and an ASCII
 * case-insensitive scan. Self-check: naive and Horspool agree on every count and position
 * checksum; case-insensitive counts are at least the exact counts. */
#include <string.h>
#include "../common.h"

#define N (256 * 1024)
static char text[N + 1];
static const char *const vocab[] = {"alpha", "beta", "gamma", "delta", "Epsilon", "zeta", "eta", "theta", "iota",
  "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "Tau", "upsilon", "phi", "chi", "psi", "omega"};

static void gen(void) {
  uint64_t s = 99;
  size_t i = 0;
  while (i < N) {
    uint64_t r = sm64(&s);
    const char *w = vocab[r % 24];
    size_t l = strlen(w);
    for (size_t k = 0; k < l && i < N; k++) text[i++] = w[k];
    if (i < N) text[i++] = (r >> 16) % 11 == 0 ? '.' : ' ';
  }
  text[N] = 0;
}

typedef struct { uint32_t count, poshash; } hits;

static hits naive(const char *p, size_t m) {
  hits h = {0, 0};
  char c0 = p[0];
  for (size_t i = 0; i + m <= N; i++) {
    if (text[i] != c0) continue;
    size_t k = 1;
    while (k < m && text[i + k] == p[k]) k++;
    if (k == m) { h.count++; h.poshash = h.poshash * 33 + (uint32_t)i; }
  }
  return h;
}

static hits horspool(const char *p, size_t m) {
  size_t shift[256];
  for (int c = 0; c < 256; c++) shift[c] = m;
  for (size_t k = 0; k + 1 < m; k++) shift[(uint8_t)p[k]] = m - 1 - k;
  hits h = {0, 0};
  size_t i = 0;
  while (i + m <= N) {
    uint8_t last = (uint8_t)text[i + m - 1];
    if (last == (uint8_t)p[m - 1] && memcmp(text + i, p, m - 1) == 0) { h.count++; h.poshash = h.poshash * 33 + (uint32_t)i; }
    i += shift[last];
  }
  return h;
}

static inline char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static uint32_t icase(const char *p, size_t m) {
  uint32_t n = 0;
  for (size_t i = 0; i + m <= N; i++) {
    size_t k = 0;
    while (k < m && lower(text[i + k]) == lower(p[k])) k++;
    n += k == m;
  }
  return n;
}

EXPORT("bench") uint32_t bench(void) {
  gen();
  char pats[20][32];
  uint64_t s = 5;
  for (int j = 0; j < 20; j++) {
    uint64_t r = sm64(&s);
    if (j % 4 == 3) { strcpy(pats[j], j % 8 == 3 ? "omega omega omega" : "zz-absent"); continue; }
    strcpy(pats[j], vocab[r % 24]);
    if (j % 2 == 1) { strcat(pats[j], " "); strcat(pats[j], vocab[(r >> 8) % 24]); }
    if (j % 10 == 0) pats[j][0] = lower(pats[j][0]) == pats[j][0] ? (char)(pats[j][0] - 32) : lower(pats[j][0]);
  }
  uint32_t acc = 0, total = 0;
  for (int j = 0; j < 20; j++) {
    size_t m = strlen(pats[j]);
    hits a = naive(pats[j], m), b = horspool(pats[j], m);
    CHECK(a.count == b.count && a.poshash == b.poshash);
    total += a.count;
    acc = acc * 31 + a.poshash + a.count;
    if (j % 5 == 0) { uint32_t c = icase(pats[j], m); CHECK(c >= a.count); acc += c; }
  }
  CHECK(total > 1000);
  return acc;
}
