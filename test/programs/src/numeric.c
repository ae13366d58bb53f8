/*
 * 64-bit integer arithmetic (signed and unsigned division and remainder, variable shifts, rotates,
 * bit counts, 128-bit products through compiler-rt), and floating point (f32 and f64 arithmetic,
 * conversions in both directions, rounding functions, min/max, copysign, sqrt, libm), printed with
 * printf's %a and %.17g.
 */
#include <math.h>
#include <string.h>
#include "pf_check.h"

static uint64_t rng = 0x243F6A8885A308D3ULL;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

NOINLINE static uint64_t rotl(uint64_t x, unsigned k) { return (x << (k & 63)) | (x >> ((64 - k) & 63)); }
NOINLINE static uint32_t rotr32(uint32_t x, unsigned k) { return (x >> (k & 31)) | (x << ((32 - k) & 31)); }

int main(void) {
  uint64_t h = 0;
  for (int i = 0; i < opaque(2000); i++) {
    uint64_t a = next(), b = next() | 1;
    int64_t sa = (int64_t)a, sb = (int64_t)b;
    if (sb == -1) sb = 3;
    unsigned sh = (unsigned)(a >> 58);
    h ^= a / b + a % b;
    h = rotl(h, 7) ^ (uint64_t)(sa / sb) ^ (uint64_t)(sa % sb);
    h += (a << sh) ^ (a >> sh) ^ (uint64_t)(sa >> sh);
    h ^= (uint64_t)__builtin_clzll(b) << 1 ^ (uint64_t)__builtin_ctzll(a | 0x8000000000000000ULL) << 8 ^ (uint64_t)__builtin_popcountll(a) << 16;
    h += rotr32((uint32_t)a, (unsigned)b) + (uint32_t)((uint32_t)a * (uint32_t)b);
    unsigned __int128 p = (unsigned __int128)a * b;
    h ^= (uint64_t)(p >> 64) + (uint64_t)p;
    __int128 q = (__int128)sa * sb;
    h -= (uint64_t)(q >> 70);
    if (i % 97 == 0) h ^= (uint64_t)((__int128)q / (int64_t)(b >> 3 | 1));
  }
  pf_mix64(h);
  printf("int64 %016llx\n", (unsigned long long)h);
  pf_section("int64");

  double d = 0;
  float f = 0;
  for (int i = 1; i < opaque(500); i++) {
    double x = (double)(int64_t)next() / 9007199254740992.0;
    float y = (float)((int32_t)next()) / 65536.0f;
    d += x * i - d / 3.0 + sqrt(fabs(x)) - floor(x * 10) / 10 + ceil(x) - trunc(x * 3) + nearbyint(x * 7) + round(x * 5);
    f = f * 0.5f + y / (float)i + sqrtf(fabsf(y)) + floorf(y) - ceilf(y / 3) + fminf(y, f) - fmaxf(y, -f) + copysignf(1.0f, y);
    d += fmin(x, d) - fmax(x, -d) + copysign(2.0, x);
    d += (double)(int64_t)(x * 1e15) + (double)(uint64_t)(fabs(x) * 1e18) + (double)(int32_t)(y * 100) + (float)(uint32_t)fabsf(y * 1000);
    d += (double)f;
  }
  pf_mix(&d, sizeof d);
  pf_mix(&f, sizeof f);
  printf("float %a %.17g %a %.9g\n", d, d, (double)f, (double)f);
  double e = exp(1.5) + log(10.0) + sin(0.5) * cos(0.25) + pow(2.0, 0.5) + atan2(1.0, -2.0) + fmod(10.5, 3.25) + ldexp(0.75, 5) + cbrt(27.0) + hypot(3.0, 4.0);
  pf_mix(&e, sizeof e);
  printf("libm %.17g\n", e);
  float z = -0.0f;
  double inf = 1.0 / (double)opaque(0);
  printf("special %g %g %g %d %d\n", (double)z, inf, -inf, (int)isnan(inf - inf), signbit(z) != 0);
  pf_section("float");

  /* float <-> int conversions at the edges of the ranges */
  const double edges[] = { 2147483647.0, -2147483648.0, 2147483646.5, -2147483648.9, 4294967295.0, 9.2233720368547748e18, -9.2233720368547758e18, 1.8446744073709550e19, 0.999999, -0.999999 };
  for (int i = 0; i < 10; i++) {
    double v = edges[opaque(i)];
    if (v > -2147483649.0 && v < 2147483648.0) pf_mix64((uint64_t)(int64_t)(int32_t)v);
    if (v > -1.0 && v < 4294967296.0) pf_mix64((uint64_t)(uint32_t)v);
    if (v >= -9.2233720368547758e18 && v < 9.2233720368547758e18) pf_mix64((uint64_t)(int64_t)v);
    if (v > -1.0 && v < 1.8446744073709552e19) pf_mix64((uint64_t)v);
    float fv = (float)v;
    pf_mix(&fv, sizeof fv);
  }
  uint64_t big = 0xFFFFFFFFFFFFF800ULL;
  double db = (double)big, ds = (double)(int64_t)0x7FFFFFFFFFFFFDFFLL;
  float fb = (float)big, fs = (float)(int64_t)-0x7FFFFF7FFFFFFFFFLL;
  pf_mix(&db, 8); pf_mix(&ds, 8); pf_mix(&fb, 4); pf_mix(&fs, 4);
  pf_section("convert");
  return 0;
}
