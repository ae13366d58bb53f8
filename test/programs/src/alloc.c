/*
 * pf-flags: -mbulk-memory -msign-ext -mnontrapping-fptoint
 * Built with bulk memory, sign extension and non-trapping float-to-int enabled: memcpy/memset of
 * computed sizes become memory.copy/memory.fill, narrow casts become i32.extend8_s/16_s, float
 * casts trunc_sat. malloc/realloc/free with growing sizes (memory.grow inside wasm), a resizable
 * vector, a hash table with open addressing, and a heap that fragments and coalesces.
 */
#include <stdlib.h>
#include <string.h>
#include "pf_check.h"

struct vec { int32_t *data; size_t len, cap; };
static int vec_push(struct vec *v, int32_t x) {
  if (v->len == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 4;
    int32_t *d = realloc(v->data, cap * sizeof *d);
    if (d == NULL) return -1;
    v->data = d;
    v->cap = cap;
  }
  v->data[v->len++] = x;
  return 0;
}

#define TABLE 4096
struct entry { uint32_t key; int32_t val; };
NOINLINE static void table_put(struct entry *t, uint32_t key, int32_t val) {
  uint32_t i = (key * 2654435761u) & (TABLE - 1);
  while (t[i].key != 0 && t[i].key != key) i = (i + 1) & (TABLE - 1);
  t[i].key = key;
  t[i].val = val;
}
NOINLINE static int32_t table_get(const struct entry *t, uint32_t key) {
  uint32_t i = (key * 2654435761u) & (TABLE - 1);
  while (t[i].key != 0) {
    if (t[i].key == key) return t[i].val;
    i = (i + 1) & (TABLE - 1);
  }
  return -1;
}

int main(void) {
  struct vec v = { NULL, 0, 0 };
  for (int i = 0; i < opaque(30000); i++)
    if (vec_push(&v, (int32_t)(i * 7919u)) != 0) return 1;
  uint64_t s = 0;
  for (size_t i = 0; i < v.len; i += 7) s += (uint32_t)v.data[i];
  pf_mix64(s);
  pf_mix64(v.cap);
  pf_section("vector");

  /* big blocks: the memory grows inside wasm */
  unsigned char *blocks[16];
  for (int i = 0; i < 16; i++) {
    size_t n = (size_t)opaque(16384 * (i + 1) + i * 13);
    blocks[i] = malloc(n);
    if (blocks[i] == NULL) return 2;
    memset(blocks[i], i * 17 + 1, n);
    blocks[i][n - 1] = (unsigned char)i;
  }
  for (int i = 1; i < 16; i++) memcpy(blocks[i] + 100, blocks[i - 1] + opaque(50), (size_t)opaque(16384 - 3));
  for (int i = 0; i < 16; i++) pf_mix(blocks[i], 4096 + (size_t)i);
  for (int i = 0; i < 16; i += 2) free(blocks[i]);
  for (int i = 0; i < 8; i++) {
    blocks[i * 2] = calloc((size_t)opaque(1000 + i * 333), 3);
    if (blocks[i * 2] == NULL) return 3;
    pf_mix(blocks[i * 2], 64);
  }
  for (int i = 0; i < 16; i++) free(blocks[i]);
  pf_section("blocks");

  struct entry *t = calloc(TABLE, sizeof *t);
  if (t == NULL) return 4;
  for (uint32_t k = 1; k < 3000; k++) table_put(t, k * 2654435761u | 1, (int32_t)k);
  int64_t hs = 0;
  for (uint32_t k = 1; k < 3500; k++) hs = hs * 3 + table_get(t, k * 2654435761u | 1);
  pf_mix64((uint64_t)hs);
  free(t);
  pf_section("table");

  /* narrow casts and saturating conversions */
  int64_t acc = 0;
  for (int i = 0; i < 1000; i++) {
    int x = opaque(i * 1234567);
    acc += (int8_t)x + (int16_t)(x >> 3) + (uint8_t)(x >> 5);
    float f = (float)x * 0.001f;
    acc += (int32_t)f + (int64_t)(double)f;
  }
  pf_mix64((uint64_t)acc);
  pf_section("narrow");
  free(v.data);
  return 0;
}
