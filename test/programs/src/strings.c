/*
 * Strings and bulk memory: strlen/strcmp/strcpy/strcat/strchr/strstr, memcpy, memmove with
 * overlap, memset with computed lengths, snprintf of integers and floats, strtol, qsort with a
 * comparator, a small tokenizer and in-place reversal.
 */
#include <stdlib.h>
#include <string.h>
#include "pf_check.h"

static const char *words[] = { "wasm", "interpreter", "pure", "typescript", "fuel", "trap", "memory", "table", "global", "branch", "loop", "block" };

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
static int cmp_int_desc(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x < y) - (x > y);
}

NOINLINE static void reverse(char *s) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n / 2; i++) {
    char t = s[i];
    s[i] = s[n - 1 - i];
    s[n - 1 - i] = t;
  }
}

int main(void) {
  char buf[512];
  buf[0] = 0;
  int nw = opaque(12);
  for (int i = 0; i < nw; i++) {
    strcat(buf, words[i]);
    strcat(buf, i % 3 == 2 ? ";" : ",");
  }
  pf_mix(buf, strlen(buf));
  pf_mix64(strlen(buf));
  const char *sorted[12];
  memcpy(sorted, words, sizeof sorted);
  qsort(sorted, (size_t)nw, sizeof sorted[0], cmp_str);
  for (int i = 0; i < nw; i++) pf_mix(sorted[i], strlen(sorted[i]));
  pf_mix64((uint64_t)(strchr(buf, 'y') - buf));
  pf_mix64((uint64_t)(strstr(buf, "memory") - buf));
  pf_mix64((uint64_t)(int64_t)strcmp(words[opaque(1)], words[opaque(2)]));
  pf_section("strings");

  /* tokenizer */
  char copy[512];
  strcpy(copy, buf);
  int tokens = 0;
  for (char *t = strtok(copy, ",;"); t != NULL; t = strtok(NULL, ",;")) {
    tokens++;
    reverse(t);
    pf_mix(t, strlen(t));
  }
  pf_mix64((uint64_t)tokens);
  pf_section("tokens");

  /* memcpy / memmove / memset with computed lengths and offsets */
  unsigned char mem[300];
  for (int i = 0; i < 300; i++) mem[i] = (unsigned char)(i * 7 + 3);
  int off = opaque(13), len = opaque(101);
  memmove(mem + off, mem, (size_t)len);          /* overlap, forward */
  memmove(mem, mem + off + 5, (size_t)len);      /* overlap, backward */
  memset(mem + opaque(200), 77, (size_t)opaque(37));
  memset(mem + opaque(250), 0, (size_t)opaque(0));
  memcpy(mem + 240, mem + opaque(3), (size_t)opaque(9));
  pf_mix(mem, sizeof mem);
  pf_section("bulk");

  /* formatting and parsing */
  char line[128];
  int ints[10];
  for (int i = 0; i < 10; i++) {
    int v = (i * 7919) % 1000 - 500;
    int w = snprintf(line, sizeof line, "%d|%x|%o|%5.2f|%-6s|%+lld|%e", v, (unsigned)v, (unsigned)i * 9, v / 7.0, words[i], (long long)v * 1000000007LL, v * 1.5e10);
    pf_mix(line, (size_t)w);
    ints[i] = (int)strtol(line, NULL, 10);
  }
  qsort(ints, 10, sizeof ints[0], cmp_int_desc);
  pf_mix(ints, sizeof ints);
  long parsed = strtol("  -0x7fA9zz", NULL, 16) + strtol("123456", NULL, 8) + atoi("-42");
  pf_mix64((uint64_t)parsed);
  double dd = strtod("3.14159265358979e-3", NULL) * atof("2.5e2");
  snprintf(line, sizeof line, "%.17g %g %.3f", dd, dd * 1e300, -dd);
  pf_mix(line, strlen(line));
  printf("%s\n", line);
  pf_section("format");
  return 0;
}
