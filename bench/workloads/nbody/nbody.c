/* nbody: f64 and f32 numerics: the five-body planetary simulation (120,000 steps) (sqrt, divisions, long
 * dependency chains in f64) and a 48x48 f32 matrix power by repeated multiplication with
 * renormalisation. Self-checks: the initial energy is the known -0.169075164, energy drift over
 * the run stays under 1e-3 relative, and the f32 matrix stays finite with a norm near 1.
 * Returns the bits of the final energy mixed with the bits of an f32 matrix checksum. */
#include <math.h>
#include <string.h>
#include "../common.h"

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS 365.24
typedef struct { double x, y, z, vx, vy, vz, m; } body;
static const body init[5] = {
  {0, 0, 0, 0, 0, 0, SOLAR_MASS},
  {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03 * DAYS, 7.69901118419740425e-03 * DAYS, -6.90460016972063023e-05 * DAYS, 9.54791938424326609e-04 * SOLAR_MASS},
  {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03 * DAYS, 4.99852801234917238e-03 * DAYS, 2.30417297573763929e-05 * DAYS, 2.85885980666130812e-04 * SOLAR_MASS},
  {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03 * DAYS, 2.37847173959480950e-03 * DAYS, -2.96589568540237556e-05 * DAYS, 4.36624404335156298e-05 * SOLAR_MASS},
  {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03 * DAYS, 1.62824170038242295e-03 * DAYS, -9.51592254519715870e-05 * DAYS, 5.15138902046611451e-05 * SOLAR_MASS}};
static body b[5];

static double energy(void) {
  double e = 0;
  for (int i = 0; i < 5; i++) {
    e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < 5; j++) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(double dt) {
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b[i].vx -= dx * b[j].m * mag; b[i].vy -= dy * b[j].m * mag; b[i].vz -= dz * b[j].m * mag;
      b[j].vx += dx * b[i].m * mag; b[j].vy += dy * b[i].m * mag; b[j].vz += dz * b[i].m * mag;
    }
  for (int i = 0; i < 5; i++) { b[i].x += dt * b[i].vx; b[i].y += dt * b[i].vy; b[i].z += dt * b[i].vz; }
}

#define M 48
static float A[M][M], P[M][M], T[M][M];

static uint64_t bits64(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t bits32(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

EXPORT("bench") uint64_t bench(void) {
  memcpy(b, init, sizeof init);
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < 5; i++) { px += b[i].vx * b[i].m; py += b[i].vy * b[i].m; pz += b[i].vz * b[i].m; }
  b[0].vx = -px / SOLAR_MASS; b[0].vy = -py / SOLAR_MASS; b[0].vz = -pz / SOLAR_MASS;
  double e0 = energy();
  CHECK(e0 < -0.16907516 && e0 > -0.16907517);
  for (int s = 0; s < 120000; s++) advance(0.01);
  double e1 = energy();
  CHECK(fabs((e1 - e0) / e0) < 1e-3);
  /* f32: P = A^k with renormalisation */
  uint64_t seed = 17;
  for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) { A[i][j] = (float)(sm64(&seed) >> 40) / 16777216.0f - 0.5f; P[i][j] = i == j; }
  float norm = 0;
  for (int k = 0; k < 12; k++) {
    for (int i = 0; i < M; i++)
      for (int j = 0; j < M; j++) {
        float s = 0;
        for (int l = 0; l < M; l++) s += P[i][l] * A[l][j];
        T[i][j] = s;
      }
    float mx = 0;
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) { float v = fabsf(T[i][j]); if (v > mx) mx = v; }
    CHECK(mx > 0 && mx < 1e30f);
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) P[i][j] = T[i][j] / mx;
    norm = mx;
  }
  float sum = 0;
  for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) sum += P[i][j] * (float)(i + 2 * j);
  CHECK(sum == sum && norm > 0);
  return bits64(e1) ^ ((uint64_t)bits32(sum) << 16) ^ bits32(norm);
}
