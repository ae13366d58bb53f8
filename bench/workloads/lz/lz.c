/* lz: an LZ77 codec in the style of LZ4 (hash-table match finder, token byte with literal and
 * match lengths, 16-bit offsets, overlapping byte copies), written for this benchmark. Compresses
 * and decompresses, six times with different seeds, 128 KiB of generated text-like data and 64 KiB of structured binary
 * records.
 * Self-checks: decompress(compress(x)) == x, the text compresses to under 60 %, and a malformed
 * stream is rejected. Returns the compressed sizes mixed with a checksum. */
#include <string.h>
#include "../common.h"

#define HBITS 13
static uint32_t htab[1 << HBITS];

static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static size_t put_len(uint8_t *out, size_t op, size_t rem) {
  while (rem >= 255) { out[op++] = 255; rem -= 255; }
  out[op++] = (uint8_t)rem;
  return op;
}

static size_t compress(const uint8_t *in, size_t n, uint8_t *out) {
  memset(htab, 0, sizeof htab);
  size_t ip = 0, anchor = 0, op = 0;
  if (n >= 16) {
    size_t limit = n - 12;
    while (ip < limit) {
      uint32_t seq = rd32(in + ip);
      uint32_t h = (seq * 2654435761u) >> (32 - HBITS);
      uint32_t ref = htab[h];
      htab[h] = (uint32_t)ip + 1;
      if (ref != 0 && ip - (ref - 1) < 65536 && rd32(in + ref - 1) == seq) {
        size_t r = ref - 1, m = 4;
        while (ip + m < n - 5 && in[r + m] == in[ip + m]) m++;
        size_t lit = ip - anchor, ml = m - 4;
        size_t tok = op++;
        if (lit >= 15) op = put_len(out, op, lit - 15);
        memcpy(out + op, in + anchor, lit);
        op += lit;
        size_t off = ip - r;
        out[op++] = (uint8_t)off;
        out[op++] = (uint8_t)(off >> 8);
        if (ml >= 15) op = put_len(out, op, ml - 15);
        out[tok] = (uint8_t)((lit < 15 ? lit : 15) << 4 | (ml < 15 ? ml : 15));
        ip += m;
        anchor = ip;
      } else {
        ip++;
      }
    }
  }
  size_t lit = n - anchor;
  out[op++] = (uint8_t)((lit < 15 ? lit : 15) << 4);
  if (lit >= 15) op = put_len(out, op, lit - 15);
  memcpy(out + op, in + anchor, lit);
  return op + lit;
}

/* Returns the decoded size, or (size_t)-1 on a malformed stream. */
static size_t decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
  size_t ip = 0, op = 0;
  while (ip < n) {
    uint8_t t = in[ip++];
    size_t lit = t >> 4;
    if (lit == 15) { uint8_t b; do { if (ip >= n) return (size_t)-1; b = in[ip++]; lit += b; } while (b == 255); }
    if (op + lit > cap || ip + lit > n) return (size_t)-1;
    memcpy(out + op, in + ip, lit);
    op += lit;
    ip += lit;
    if (ip >= n) break;
    if (ip + 2 > n) return (size_t)-1;
    size_t off = in[ip] | (size_t)in[ip + 1] << 8;
    ip += 2;
    size_t ml = t & 15;
    if (ml == 15) { uint8_t b; do { if (ip >= n) return (size_t)-1; b = in[ip++]; ml += b; } while (b == 255); }
    ml += 4;
    if (off == 0 || off > op || op + ml > cap) return (size_t)-1;
    for (size_t i = 0; i < ml; i++) out[op + i] = out[op + i - off];
    op += ml;
  }
  return op;
}

#define TEXT (128 * 1024)
#define BIN (64 * 1024)
static uint8_t src[TEXT], packed[TEXT + TEXT / 8 + 64], back[TEXT];

static const char *const words[] = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "lorem", "ipsum",
  "dolor", "sit", "amet", "consectetur", "adipiscing", "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut",
  "labore", "et", "dolore", "magna", "aliqua", "wasm", "interpreter", "benchmark", "compression", "window"};

static size_t gen_text(uint8_t *p, size_t n, uint64_t seed) {
  size_t i = 0;
  while (i < n) {
    uint64_t r = sm64(&seed);
    const char *w = words[(r & 31) & ((r >> 5) & 31)]; /* skewed towards low indexes */
    size_t l = strlen(w);
    for (size_t k = 0; k < l && i < n; k++) p[i++] = (uint8_t)w[k];
    if (i < n) p[i++] = (r >> 10) % 13 == 0 ? '\n' : (r >> 10) % 7 == 0 ? ',' : ' ';
    if ((r >> 20) % 29 == 0) for (int d = 0; d < 5 && i < n; d++) p[i++] = (uint8_t)('0' + (r >> (24 + 3 * d)) % 10);
  }
  return n;
}

static void gen_bin(uint8_t *p, size_t n, uint64_t seed) {
  for (size_t i = 0; i + 16 <= n; i += 16) {
    uint64_t r = sm64(&seed);
    uint32_t id = (uint32_t)(i / 16), kind = (uint32_t)(r % 5), val = (uint32_t)(r >> 40) & 0xfff;
    memcpy(p + i, &id, 4); memcpy(p + i + 4, &kind, 4); memcpy(p + i + 8, &val, 4); memset(p + i + 12, 0, 4);
  }
}

static uint32_t roundtrip(size_t n) {
  size_t c = compress(src, n, packed);
  size_t d = decompress(packed, c, back, TEXT);
  CHECK(d == n && memcmp(src, back, n) == 0);
  uint32_t sum = 0;
  for (size_t i = 0; i < c; i++) sum = sum * 31 + packed[i];
  return sum ^ (uint32_t)c;
}

EXPORT("bench") uint32_t bench(void) {
  uint32_t acc = 0;
  for (int round = 0; round < 6; round++) {
    gen_text(src, TEXT, 7 + round);
    acc = acc * 3 + roundtrip(TEXT);
    CHECK(compress(src, TEXT, packed) < TEXT * 6 / 10);
    gen_bin(src, BIN, 11 + round);
    acc = acc * 3 + roundtrip(BIN);
  }
  /* a stream whose match points before the start must be rejected */
  static const uint8_t bad[] = {0x10, 'a', 0x09, 0x00};
  CHECK(decompress(bad, sizeof bad, back, TEXT) == (size_t)-1);
  CHECK(roundtrip(0) == 1 && roundtrip(5) != 0); /* empty input: one token byte */
  return acc;
}
