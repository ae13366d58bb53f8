/**
 * Test helper (not a test): fast-check generators for the numeric tests, biased toward the
 * values where 64-bit and float arithmetic goes wrong (0, ±1, INT64_MIN/MAX, 2^32±1, 2^53±1,
 * powers of two, every magnitude from 1 to 64 bits, and float values around conversion limits).
 */
import fc from "fast-check";

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Edge values of i64 (signed bigints). */
export const i64Edges: bigint[] = (() => {
  const out = new Set<bigint>([0n, 1n, -1n, 2n, -2n, INT64_MIN, INT64_MAX, INT64_MIN + 1n, INT64_MAX - 1n]);
  for (let k = 0n; k < 64n; k++) {
    for (const d of [-1n, 0n, 1n]) {
      const p = (1n << k) + d;
      out.add(BigInt.asIntN(64, p));
      out.add(BigInt.asIntN(64, -p));
    }
  }
  for (const v of [0xffffffffn, 0x100000000n, 0x100000001n, 0xffffffff00000000n, 0x7fffffff00000000n, 0x8000000000000001n, 0x1fffffffffffffn, 0x20000000000000n, 0x20000000000001n])
    out.add(BigInt.asIntN(64, v)), out.add(BigInt.asIntN(64, -v));
  return [...out];
})();

/** i64 values: edges, a random magnitude of every bit length with a random sign, and uniform 64-bit. */
export const i64Arb: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...i64Edges) },
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 64 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.boolean())
      .map(([bits, r, neg]) => {
        const v = bits === 0 ? 0n : (r & ((1n << BigInt(bits)) - 1n)) | (1n << BigInt(bits - 1));
        return BigInt.asIntN(64, neg ? -v : v);
      }),
  },
  { weight: 2, arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }) },
);

/** The f64 bit patterns (as signed bigints) of `v` and its neighbours up to 3 ulps away, both signs. */
export function f64Around(v: number): bigint[] {
  const b = new Float64Array(1);
  const u = new BigInt64Array(b.buffer);
  b[0] = v;
  const out: bigint[] = [];
  for (let k = -3n; k <= 3n; k++) out.push(BigInt.asIntN(64, u[0] + k), BigInt.asIntN(64, (u[0] + k) ^ INT64_MIN));
  return out;
}

/** The f32 bit patterns (int32) of `v` (rounded to f32) and its neighbours up to 3 ulps away, both signs. */
export function f32Around(v: number): number[] {
  const f = new Float32Array(1);
  const i = new Int32Array(f.buffer);
  f[0] = v;
  const out: number[] = [];
  for (let k = -3; k <= 3; k++) out.push((i[0] + k) | 0, ((i[0] + k) ^ -0x80000000) | 0);
  return out;
}

/** Float values at which some conversion or rounding rule changes. */
export const floatLimits: number[] = [
  0, 0.5, 1, 1.5, 2, 2.5, 3.5, 2 ** 23, 2 ** 23 + 0.5, 2 ** 24, 2 ** 24 + 1, 2 ** 31, 2 ** 32, 2 ** 52, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 2 ** 64,
  2147483648.5, 2147483647.5, 4294967295.5, 1e300, Number.MIN_VALUE, 2 ** -126, 2 ** -149, Infinity, 3.4028234663852886e38,
];

/** Interesting f64 bit patterns: limits and their neighbours, NaNs with payloads, ±0, ±Inf, subnormals. */
export const f64EdgeBits: bigint[] = (() => {
  const out: bigint[] = [];
  for (const v of floatLimits) out.push(...f64Around(v));
  for (const n of [0x7ff8000000000000n, 0x7ff0000000000001n, 0x7ff4000000000000n, 0x7fffffffffffffffn, 0x7ff8000000000123n, 0x0000000000000001n, 0x000fffffffffffffn, 0x7ff0000000000000n])
    out.push(BigInt.asIntN(64, n), BigInt.asIntN(64, n | (1n << 63n)));
  return out;
})();

/** Interesting f32 bit patterns. */
export const f32EdgeBits: number[] = (() => {
  const out: number[] = [];
  for (const v of floatLimits) out.push(...f32Around(v));
  for (const n of [0x7fc00000, 0x7f800001, 0x7fa00000, 0x7fffffff, 0x7fc00123, 0x00000001, 0x007fffff, 0x7f800000]) out.push(n | 0, (n | 0x80000000) | 0);
  return out;
})();

/** f64 bit patterns (signed bigints): edges, uniform bits, doubles of every exponent, integers of every size. */
export const f64BitsArb: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...f64EdgeBits) },
  { weight: 2, arbitrary: fc.bigInt({ min: INT64_MIN, max: INT64_MAX }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 0x380, max: 0x450 }), fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }), fc.boolean()).map(([e, m, neg]) =>
      BigInt.asIntN(64, (neg ? 1n << 63n : 0n) | (BigInt(e) << 52n) | m),
    ),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 66 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constantFrom(0, 0.25, 0.5, 0.75)).map(([k, d, neg, f]) => {
      const b = new Float64Array([(2 ** k + d + f) * (neg ? -1 : 1)]);
      return new BigInt64Array(b.buffer)[0];
    }),
  },
);

/** f32 bit patterns (int32): edges, uniform bits, floats of every relevant exponent, integers around powers of two. */
export const f32BitsArb: fc.Arbitrary<number> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...f32EdgeBits) },
  { weight: 2, arbitrary: fc.integer({ min: -0x80000000, max: 0x7fffffff }) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 100, max: 200 }), fc.integer({ min: 0, max: 0x7fffff }), fc.boolean()).map(([e, m, neg]) => ((neg ? 0x80000000 : 0) | (e << 23) | m) | 0),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 66 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constantFrom(0, 0.25, 0.5, 0.75)).map(([k, d, neg, f]) => {
      const b = new Float32Array([(2 ** k + d + f) * (neg ? -1 : 1)]);
      return new Int32Array(b.buffer)[0];
    }),
  },
);
