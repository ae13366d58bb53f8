/*
 * Structs: mixed-width fields with padding, nested structs, arrays of structs indexed by computed
 * indexes, struct copies and returns by value, bit-fields, unions (type punning between widths).
 */
#include <stdlib.h>
#include <string.h>
#include "pf_check.h"

struct point { int16_t x, y; };
struct rec {
  uint8_t tag;
  int64_t big;
  struct point pos[3];
  float weight;
  uint16_t flags;
  double score;
  char name[7];
};
struct bits {
  unsigned a : 3;
  signed b : 5;
  unsigned c : 12;
  unsigned d : 1;
  unsigned long long e : 40;
};
union pun {
  double d;
  float f[2];
  uint64_t u64;
  int32_t i32[2];
  uint16_t u16[4];
  int8_t i8[8];
};

NOINLINE static struct rec make_rec(int i) {
  struct rec r;
  memset(&r, 0, sizeof r);
  r.tag = (uint8_t)(i * 37);
  r.big = (int64_t)i * -123456789012LL;
  for (int k = 0; k < 3; k++) { r.pos[k].x = (int16_t)(i * k - 5); r.pos[k].y = (int16_t)(1000 - i * k * 77); }
  r.weight = (float)i / 3.0f;
  r.flags = (uint16_t)(0xF00F ^ (i << 3));
  r.score = (double)i * 1.25 - 7.5;
  for (int k = 0; k < 6; k++) r.name[k] = (char)('a' + (i + k) % 26);
  r.name[6] = 0;
  return r;
}

NOINLINE static void set_field(struct rec *rs, int i, int k) {
  rs[i].pos[k].y = 77;
  rs[i].pos[k + 1].x = (int16_t)(rs[i].pos[k].x + 8);
  rs[i * 2 + 1].tag = 77;
  rs[i].flags = (uint16_t)(rs[i].flags + 8);
}

/* Field by field: padding bytes are unspecified (and differ between optimisation levels). */
static void mix_recs(const struct rec *rs, int n) {
  for (int i = 0; i < n; i++) {
    pf_mix64(rs[i].tag);
    pf_mix64((uint64_t)rs[i].big);
    for (int k = 0; k < 3; k++) pf_mix64((uint64_t)(int64_t)(rs[i].pos[k].x * 65536 + rs[i].pos[k].y));
    pf_mix(&rs[i].weight, sizeof(float));
    pf_mix64(rs[i].flags);
    pf_mix(&rs[i].score, sizeof(double));
    pf_mix(rs[i].name, sizeof rs[i].name);
  }
}

NOINLINE static struct point midpoint(struct point a, struct point b) {
  struct point m = { (int16_t)((a.x + b.x) / 2), (int16_t)((a.y + b.y) / 2) };
  return m;
}

NOINLINE static void bits_update(struct bits *b, int i) {
  b->a = (unsigned)i;
  b->b = -(i % 16);
  b->c = (unsigned)(i * 123);
  b->d = (unsigned)(i & 1);
  b->e = (unsigned long long)i * 0x1234567ULL;
}

int main(void) {
  int n = opaque(20);
  struct rec *rs = calloc((size_t)n, sizeof(struct rec));
  if (rs == NULL) return 1;
  for (int i = 0; i < n; i++) rs[i] = make_rec(opaque(i));
  for (int i = 0; i < n / 2 - 1; i++) set_field(rs, i, opaque(i % 2));
  mix_recs(rs, n);
  pf_section("records");

  struct rec copy[5];
  memcpy(copy, rs + opaque(3), sizeof copy);
  copy[opaque(2)] = copy[opaque(4)];
  copy[opaque(1)].pos[opaque(2)] = midpoint(copy[0].pos[0], copy[3].pos[1]);
  mix_recs(copy, 5);
  int64_t total = 0;
  for (int i = 0; i < n; i++) total += rs[i].big / (rs[i].tag + 1) + rs[i].pos[i % 3].x * rs[i].pos[(i + 1) % 3].y + (int64_t)(rs[i].score * 4);
  pf_mix64((uint64_t)total);
  pf_section("copies");

  struct bits bs[9];
  memset(bs, 0xA5, sizeof bs);
  for (int i = 0; i < 9; i++) bits_update(&bs[opaque(i)], i * 5 + 1);
  uint64_t bsum = 0;
  for (int i = 0; i < 9; i++) bsum = bsum * 31 + bs[i].a + (uint64_t)(int64_t)bs[i].b + bs[i].c + bs[i].d + bs[i].e;
  pf_mix64(bsum);
  pf_section("bitfields");

  union pun u;
  u.d = -1.5 * opaque(3);
  pf_mix64(u.u64);
  u.i32[opaque(1)] ^= 0x40000000;
  pf_mix64(u.u64);
  u.u16[opaque(2)] = 77;
  u.i8[opaque(7)] = (int8_t)(u.i8[0] + 8);
  pf_mix(&u, sizeof u);
  u.f[opaque(0)] = 3.25f;
  pf_mix64((uint64_t)(int64_t)(u.f[0] * 1000));
  pf_section("unions");
  free(rs);
  return 0;
}
