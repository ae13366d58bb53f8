/*
 * Arrays of every element width (i8/u8/i16/u16/i32/u32/i64/u64/f32/f64) on the stack, in globals
 * and on the heap, written and read with computed indexes: a[i] = 77, a[i] = x + 8,
 * a[k*j+1] = v, a[n-1-i], negative constants, values wider than the element, and copies between
 * widths (sign and zero extension on load, wrapping on store).
 */
#include <stdlib.h>
#include <string.h>
#include "pf_check.h"

#define N 64

#define ARRAY_OPS(T, P)                                                                   \
  NOINLINE static void P##_set77(T *a, int i) { a[i] = (T)77; }                           \
  NOINLINE static void P##_setx8(T *a, int i, T x) { a[i] = (T)(x + 8); }                  \
  NOINLINE static void P##_setkj(T *a, int k, int j, T v) { a[k * j + 1] = v; }           \
  NOINLINE static void P##_setneg(T *a, int i) { a[i] = (T)-3; }                          \
  NOINLINE static void P##_setwide(T *a, int i) { a[i] = (T)0x12345678; }                 \
  NOINLINE static void P##_setoff(T *a, int i) { a[i + 5] = (T)(i * 3); }                 \
  NOINLINE static void P##_copyback(T *a, int n) {                                        \
    for (int i = 0; i < n / 2; i++) a[n - 1 - i] = a[i];                                  \
  }                                                                                       \
  NOINLINE static T P##_get(const T *a, int i) { return a[i]; }                           \
  NOINLINE static T P##_getkj(const T *a, int k, int j) { return a[k * j + 1]; }          \
  static void P##_exercise(T *a, int n, int seed) {                                       \
    for (int i = 0; i < n; i++) a[i] = (T)(i * seed - 40);                                \
    for (int i = 0; i < n; i += 3) P##_set77(a, i);                                       \
    for (int i = 1; i < n; i += 5) P##_setx8(a, i, P##_get(a, i - 1));                    \
    for (int k = 0; k < 7; k++)                                                           \
      for (int j = 0; j < 8; j++) P##_setkj(a, k, j, (T)(k - j));                         \
    for (int i = 2; i < n; i += 7) P##_setneg(a, i);                                      \
    for (int i = 4; i < n; i += 9) P##_setwide(a, i);                                     \
    for (int i = 0; i + 5 < n; i += 11) P##_setoff(a, i);                                 \
    P##_copyback(a, opaque(n));                                                           \
    T acc = 0;                                                                            \
    for (int k = 0; k < 7; k++) acc = (T)(acc + P##_getkj(a, k, opaque(3)));              \
    a[opaque(0)] = acc;                                                                   \
    pf_mix(a, sizeof(T) * (size_t)n);                                                     \
  }

ARRAY_OPS(int8_t, i8)
ARRAY_OPS(uint8_t, u8)
ARRAY_OPS(int16_t, i16)
ARRAY_OPS(uint16_t, u16)
ARRAY_OPS(int32_t, i32)
ARRAY_OPS(uint32_t, u32)
ARRAY_OPS(int64_t, i64)
ARRAY_OPS(uint64_t, u64)
ARRAY_OPS(float, f32)
ARRAY_OPS(double, f64)

/* Global arrays: the address is a constant plus a scaled index. */
int8_t g_i8[N];
uint8_t g_u8[N];
int16_t g_i16[N];
uint16_t g_u16[N];
int32_t g_i32[N];
uint32_t g_u32[N];
int64_t g_i64[N];
uint64_t g_u64[N];
float g_f32[N];
double g_f64[N];

NOINLINE static void globals_direct(int i, int x) {
  g_i8[i] = 77; g_u8[i] = 77; g_i16[i] = 77; g_u16[i] = 77; g_i32[i] = 77; g_u32[i] = 77; g_i64[i] = 77; g_u64[i] = 77; g_f32[i] = 77; g_f64[i] = 77;
  g_i8[i + 1] = (int8_t)(x + 8); g_u8[i + 1] = (uint8_t)(x + 8); g_i16[i + 1] = (int16_t)(x + 8); g_u16[i + 1] = (uint16_t)(x + 8);
  g_i32[i + 1] = x + 8; g_u32[i + 1] = (uint32_t)x + 8; g_i64[i + 1] = (int64_t)x + 8; g_u64[i + 1] = (uint64_t)x + 8; g_f32[i + 1] = (float)x + 8; g_f64[i + 1] = (double)x + 8;
}

/* Loads of every width feeding a 64-bit sum: sign and zero extension. */
NOINLINE static int64_t widen_sum(int i) {
  return (int64_t)g_i8[i] + g_u8[i] + g_i16[i] + g_u16[i] + g_i32[i] + (int64_t)g_u32[i] + g_i64[i] + (int64_t)(g_u64[i] & 0xffff) + (int64_t)g_f32[i] + (int64_t)g_f64[i];
}

/* Two-dimensional arrays with computed row and column. */
static int32_t grid[12][13];
NOINLINE static void grid_fill(int rows, int cols) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) grid[r][c] = r * 100 + c;
  for (int r = 1; r < rows; r++)
    for (int c = 1; c < cols; c++) grid[r][c] += grid[r - 1][c - 1] ^ grid[r][c - 1];
}

int main(int argc, char **argv) {
  (void)argv;
  int seed = argc + 6; /* 7, unknown to the compiler */

  int8_t s_i8[N]; uint8_t s_u8[N]; int16_t s_i16[N]; uint16_t s_u16[N]; int32_t s_i32[N];
  uint32_t s_u32[N]; int64_t s_i64[N]; uint64_t s_u64[N]; float s_f32[N]; double s_f64[N];
  i8_exercise(s_i8, N, seed); u8_exercise(s_u8, N, seed); i16_exercise(s_i16, N, seed); u16_exercise(s_u16, N, seed);
  i32_exercise(s_i32, N, seed); u32_exercise(s_u32, N, seed); i64_exercise(s_i64, N, seed); u64_exercise(s_u64, N, seed);
  f32_exercise(s_f32, N, seed); f64_exercise(s_f64, N, seed);
  pf_section("stack");

  i8_exercise(g_i8, N, seed + 1); u8_exercise(g_u8, N, seed + 1); i16_exercise(g_i16, N, seed + 1); u16_exercise(g_u16, N, seed + 1);
  i32_exercise(g_i32, N, seed + 1); u32_exercise(g_u32, N, seed + 1); i64_exercise(g_i64, N, seed + 1); u64_exercise(g_u64, N, seed + 1);
  f32_exercise(g_f32, N, seed + 1); f64_exercise(g_f64, N, seed + 1);
  for (int i = 0; i + 1 < N; i += 6) globals_direct(opaque(i), opaque(i * 1000 - 7000));
  int64_t ws = 0;
  for (int i = 0; i < N; i++) ws += widen_sum(opaque(i)) * (i + 1);
  pf_mix64((uint64_t)ws);
  pf_mix(g_i8, sizeof g_i8); pf_mix(g_u16, sizeof g_u16); pf_mix(g_u64, sizeof g_u64); pf_mix(g_f64, sizeof g_f64);
  pf_section("globals");

  int n = opaque(N * 4);
  int8_t *h_i8 = malloc((size_t)n); uint16_t *h_u16 = malloc(2 * (size_t)n); int32_t *h_i32 = malloc(4 * (size_t)n);
  uint64_t *h_u64 = malloc(8 * (size_t)n); float *h_f32 = malloc(4 * (size_t)n); double *h_f64 = malloc(8 * (size_t)n);
  if (!h_i8 || !h_u16 || !h_i32 || !h_u64 || !h_f32 || !h_f64) { printf("out of memory\n"); return 1; }
  i8_exercise(h_i8, n, seed + 2); u16_exercise(h_u16, n, seed + 2); i32_exercise(h_i32, n, seed + 2);
  u64_exercise(h_u64, n, seed + 2); f32_exercise(h_f32, n, seed + 2); f64_exercise(h_f64, n, seed + 2);
  /* width conversions between arrays */
  for (int i = 0; i < n; i++) {
    h_i32[i] += h_i8[i];
    h_u16[i] = (uint16_t)(h_u16[i] + (uint16_t)h_i8[(i * 7) % n]);
    h_u64[i] ^= (uint64_t)(int64_t)h_i32[(n - 1) - i];
    h_f64[i] = h_f64[i] * 0.5 + h_f32[i];
  }
  pf_mix(h_i32, 4 * (size_t)n); pf_mix(h_u16, 2 * (size_t)n); pf_mix(h_u64, 8 * (size_t)n); pf_mix(h_f64, 8 * (size_t)n);
  free(h_i8); free(h_u16); free(h_i32); free(h_u64); free(h_f32); free(h_f64);
  pf_section("heap");

  grid_fill(opaque(12), opaque(13));
  pf_mix(grid, sizeof grid);
  pf_section("grid");
  return 0;
}
