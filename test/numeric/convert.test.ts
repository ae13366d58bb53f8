/**
 * Conversions (interpreter/numeric/convert.ts) against Node's own WebAssembly as the oracle:
 * every trapping and saturating float->int truncation (trap or value must agree; our trap code
 * must be `invalid-conversion-to-integer` for NaN and `integer-overflow` otherwise), every
 * int->float conversion compared bit-exactly (with values at f32/f64 rounding ties and just
 * beside them), f32.demote_f64, and the BigInt boundary helpers.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import * as C from "../../interpreter/numeric/convert.js";
import { RuntimeError } from "../../interpreter/errors.js";
import { loadOracle, f32Bits, f32FromBits, f64Bits, f64FromBits, isNaN32 } from "./oracle.js";
import { f32BitsArb, f32EdgeBits, f64BitsArb, f64EdgeBits, i64Arb, i64Edges } from "./arbitrary.js";

const RUNS = Number(process.env.NUMERIC_RUNS ?? 20000);
const o = await loadOracle();
const hex32 = (b: number): string => "0x" + (b >>> 0).toString(16).padStart(8, "0");
const hex64 = (b: bigint): string => "0x" + BigInt.asUintN(64, b).toString(16).padStart(16, "0");

function put(s: Int32Array, w: number, v: bigint): void {
  s[w] = Number(BigInt.asIntN(32, v));
  s[w + 1] = Number(BigInt.asIntN(32, v >> 32n));
}
function get(s: Int32Array, w: number): bigint {
  return (BigInt(s[w + 1]) << 32n) | BigInt(s[w] >>> 0);
}

/** The oracle's result, or "trap". */
function oracle(name: string, arg: number | bigint): number | bigint | "trap" {
  try {
    return o[name](arg);
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) return "trap";
    throw e;
  }
}
/** Ours, or "trap" after checking the trap code against the rule (NaN: invalid conversion; else overflow). */
function ours(run: () => number | bigint, x: number, what: string): number | bigint | "trap" {
  try {
    return run();
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    const want = x !== x ? "invalid-conversion-to-integer" : "integer-overflow";
    if (e.trap !== want) assert.unreachable(`${what}: trap ${e.trap}, want ${want}`);
    return "trap";
  }
}

const s = new Int32Array(4);
const i32Ops: [string, (x: number) => number][] = [
  ["i32.trunc_f32_s", C.i32TruncF32S], ["i32.trunc_f32_u", C.i32TruncF32U], ["i32.trunc_sat_f32_s", C.i32TruncSatF32S], ["i32.trunc_sat_f32_u", C.i32TruncSatF32U],
  ["i32.trunc_f64_s", C.i32TruncF64S], ["i32.trunc_f64_u", C.i32TruncF64U], ["i32.trunc_sat_f64_s", C.i32TruncSatF64S], ["i32.trunc_sat_f64_u", C.i32TruncSatF64U],
];
const i64Ops: [string, (s: Int32Array, d: number, x: number) => void][] = [
  ["i64.trunc_f32_s", C.i64TruncF32S], ["i64.trunc_f32_u", C.i64TruncF32U], ["i64.trunc_sat_f32_s", C.i64TruncSatF32S], ["i64.trunc_sat_f32_u", C.i64TruncSatF32U],
  ["i64.trunc_f64_s", C.i64TruncF64S], ["i64.trunc_f64_u", C.i64TruncF64U], ["i64.trunc_sat_f64_s", C.i64TruncSatF64S], ["i64.trunc_sat_f64_u", C.i64TruncSatF64U],
];

for (const [name, fn] of [...i32Ops, ...i64Ops]) {
  const fromF32 = name.includes("f32");
  const toI64 = name.startsWith("i64");
  test(`${name} matches the oracle (values and traps)`, () => {
    const check = (bits: number | bigint): void => {
      const x = fromF32 ? f32FromBits(bits as number) : f64FromBits(bits as bigint);
      const what = `${name}(${fromF32 ? hex32(bits as number) : hex64(bits as bigint)} = ${x})`;
      const got = ours(() => {
        if (!toI64) return (fn as (x: number) => number)(x);
        s.fill(0x3c3c3c3c);
        (fn as (s: Int32Array, d: number, x: number) => void)(s, 2, x);
        if (s[0] !== 0x3c3c3c3c || s[1] !== 0x3c3c3c3c) assert.unreachable(`${what} wrote outside its destination`);
        return get(s, 2);
      }, x, what);
      const want = oracle(name, bits);
      if (got !== want) assert.unreachable(`${what}: got ${got}, want ${want}`);
    };
    (fromF32 ? f32EdgeBits : f64EdgeBits).forEach(check);
    fc.assert(fc.property(fromF32 ? f32BitsArb : f64BitsArb, check), { numRuns: RUNS });
  });
}

test("trapping truncation boundaries named in the specification (table)", () => {
  const traps = (f: () => unknown): string => {
    try {
      f();
      return "ok";
    } catch (e) {
      return e instanceof RuntimeError ? e.trap : "other";
    }
  };
  const f32 = Math.fround;
  const table: [string, () => unknown, string][] = [
    ["i32.trunc_f32_s(-2147483904)", () => C.i32TruncF32S(f32(-2147483904)), "integer-overflow"],
    ["i32.trunc_f32_s(-2147483648)", () => C.i32TruncF32S(f32(-2147483648)), "ok"],
    ["i32.trunc_f32_s(2147483648)", () => C.i32TruncF32S(f32(2147483648)), "integer-overflow"],
    ["i32.trunc_f64_s(-2147483648.9)", () => C.i32TruncF64S(-2147483648.9), "ok"],
    ["i32.trunc_f64_s(-2147483649)", () => C.i32TruncF64S(-2147483649), "integer-overflow"],
    ["i32.trunc_f64_u(-0.99)", () => C.i32TruncF64U(-0.99), "ok"],
    ["i32.trunc_f64_u(-1)", () => C.i32TruncF64U(-1), "integer-overflow"],
    ["i32.trunc_f64_u(4294967295.9)", () => C.i32TruncF64U(4294967295.9), "ok"],
    ["i64.trunc_f64_u(-0.99)", () => C.i64TruncF64U(s, 0, -0.99), "ok"],
    ["i64.trunc_f64_u(2^64)", () => C.i64TruncF64U(s, 0, 2 ** 64), "integer-overflow"],
    ["i64.trunc_f64_s(-2^63)", () => C.i64TruncF64S(s, 0, -(2 ** 63)), "ok"],
    ["i64.trunc_f64_s(2^63)", () => C.i64TruncF64S(s, 0, 2 ** 63), "integer-overflow"],
    ["i64.trunc_f32_s(NaN)", () => C.i64TruncF32S(s, 0, NaN), "invalid-conversion-to-integer"],
    ["i32.trunc_f32_u(-Infinity)", () => C.i32TruncF32U(-Infinity), "integer-overflow"],
  ];
  for (const [what, f, want] of table) assert.is(traps(f), want, what);
});

/** i64 values at and beside f32 and f64 rounding ties (mantissa of 24 or 53 bits, then a half, then ±2). */
const nearTieArb: fc.Arbitrary<bigint> = fc
  .tuple(fc.constantFrom(24, 25, 53, 54), fc.integer({ min: 1, max: 40 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: -2, max: 2 }), fc.boolean())
  .map(([mbits, shift, r, delta, neg]) => {
    const m = (r & ((1n << BigInt(mbits)) - 1n)) | (1n << BigInt(mbits - 1));
    const v = (m << BigInt(shift)) + (1n << BigInt(shift - 1)) + BigInt(delta);
    return BigInt.asIntN(64, neg ? -v : v);
  });

for (const [name, fn, f32r] of [
  ["f32.convert_i64_s", C.f32ConvertI64S, true],
  ["f32.convert_i64_u", C.f32ConvertI64U, true],
  ["f64.convert_i64_s", C.f64ConvertI64S, false],
  ["f64.convert_i64_u", C.f64ConvertI64U, false],
] as const) {
  test(`${name} matches the oracle bit for bit (one rounding, ties to even)`, () => {
    const check = (v: bigint): void => {
      put(s, 0, v);
      const r = fn(s, 0);
      const got = f32r ? f32Bits(r) : f64Bits(r);
      const want = o[name](v);
      if (got !== want) assert.unreachable(`${name}(${v}): got ${got}, want ${want}`);
    };
    i64Edges.forEach(check);
    fc.assert(fc.property(fc.oneof(i64Arb, nearTieArb), check), { numRuns: RUNS });
  });
}

for (const [name, fn, f32r] of [
  ["f32.convert_i32_s", C.f32ConvertI32S, true],
  ["f32.convert_i32_u", C.f32ConvertI32U, true],
  ["f64.convert_i32_s", C.f64ConvertI32S, false],
  ["f64.convert_i32_u", C.f64ConvertI32U, false],
] as const) {
  test(`${name} matches the oracle bit for bit`, () => {
    const check = (x: number): void => {
      const r = fn(x);
      const got = f32r ? f32Bits(r) : f64Bits(r);
      assert.is(got, o[name](x), `${name}(${x})`);
    };
    i64Edges.map((v) => Number(BigInt.asIntN(32, v))).forEach(check);
    fc.assert(fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), check), { numRuns: RUNS });
  });
}

test("f32.demote_f64 matches the oracle (NaN results canonical)", () => {
  const check = (b: bigint): void => {
    const got = f32Bits(C.f32DemoteF64(f64FromBits(b)));
    const want = o["f32.demote_f64"](b) as number;
    if (isNaN32(want) ? (got & 0x7fffffff) !== 0x7fc00000 : got !== want) assert.unreachable(`demote(${hex64(b)}): got ${hex32(got)}, want ${hex32(want)}`);
  };
  f64EdgeBits.forEach(check);
  fc.assert(fc.property(f64BitsArb, check), { numRuns: RUNS });
});

test("i64FromBigInt / i64ToBigInt round-trip and reduce modulo 2^64", () => {
  const w = new Int32Array(6);
  fc.assert(
    fc.property(fc.oneof(i64Arb, fc.bigInt({ min: -(1n << 80n), max: 1n << 80n })), (v) => {
      w.fill(7);
      C.i64FromBigInt(w, 2, v);
      assert.is(w[0], 7);
      assert.is(w[4], 7);
      assert.is(C.i64ToBigInt(w, 2), BigInt.asIntN(64, v));
      assert.is(get(w, 2), BigInt.asIntN(64, v));
    }),
    { numRuns: RUNS },
  );
});

test.run();
