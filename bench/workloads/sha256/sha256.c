/* sha256: SHA-256 (FIPS 180-4) over a 64 KiB generated buffer, 18 chained passes (each pass hashes
 * the buffer after folding the previous digest into it). Self-checks: the FIPS test vectors "abc",
 * "" and the 56-byte two-block message. Returns the first digest word of the last pass. */
#include <string.h>
#include "../common.h"

static const uint32_t K[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void block(uint32_t h[8], const uint8_t *p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256(const uint8_t *m, size_t n, uint32_t h[8]) {
  static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h, H0, sizeof H0);
  size_t i = 0;
  for (; i + 64 <= n; i += 64) block(h, m + i);
  uint8_t tail[128];
  size_t r = n - i;
  memset(tail, 0, sizeof tail);
  memcpy(tail, m + i, r);
  tail[r] = 0x80;
  size_t tl = r + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)n * 8;
  for (int k = 0; k < 8; k++) tail[tl - 1 - k] = (uint8_t)(bits >> (8 * k));
  block(h, tail);
  if (tl == 128) block(h, tail + 64);
}

#define N (64 * 1024)
static uint8_t buf[N];

EXPORT("bench") uint32_t bench(void) {
  uint32_t h[8];
  sha256((const uint8_t *)"abc", 3, h);
  CHECK(h[0] == 0xba7816bf && h[1] == 0x8f01cfea && h[7] == 0xf20015ad);
  sha256((const uint8_t *)"", 0, h);
  CHECK(h[0] == 0xe3b0c442 && h[7] == 0x7852b855);
  sha256((const uint8_t *)"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
  CHECK(h[0] == 0x248d6a61 && h[1] == 0xd20638b8 && h[7] == 0x19db06c1);
  uint64_t s = 42;
  for (int i = 0; i < N; i += 8) { uint64_t v = sm64(&s); memcpy(buf + i, &v, 8); }
  for (int pass = 0; pass < 18; pass++) {
    sha256(buf, N - pass, h); /* lengths vary so the padding paths run */
    for (int k = 0; k < 8; k++) memcpy(buf + 32 * pass + 4 * k, &h[k], 4);
  }
  return h[0];
}
