/**
 * Float helpers (interpreter/numeric/float.ts) against Node's own WebAssembly as the oracle,
 * compared as bit patterns: min, max, nearest, trunc, ceil, floor, sqrt on values (any NaN result
 * must be an arithmetic NaN, and ours must be canonical), abs, neg, copysign on bits (exact,
 * NaN payloads included). Also checks the claims the executor relies on: f32 `+ - * /` computed
 * in double and rounded once with Math.fround, and f64 `+ - * /` as plain JS arithmetic, are
 * correctly rounded.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import * as F from "../../interpreter/numeric/float.js";
import { loadOracle, f32Bits, f32FromBits, f64Bits, f64FromBits, isNaN32, isNaN64 } from "./oracle.js";
import { f32BitsArb, f32EdgeBits, f64BitsArb, f64EdgeBits } from "./arbitrary.js";

const RUNS = Number(process.env.NUMERIC_RUNS ?? 20000);
const o = await loadOracle();
const hex32 = (b: number): string => "0x" + (b >>> 0).toString(16).padStart(8, "0");
const hex64 = (b: bigint): string => "0x" + BigInt.asUintN(64, b).toString(16).padStart(16, "0");

/** Our result (a number) against the oracle's (bits): equal bits, or both NaN with ours canonical. */
function same32(ours: number, want: number, what: string): void {
  const got = f32Bits(ours);
  if (isNaN32(want)) {
    if ((got & 0x7fffffff) !== 0x7fc00000) assert.unreachable(`${what}: got ${hex32(got)}, want a canonical NaN (oracle gave ${hex32(want)})`);
  } else if (got !== want) assert.unreachable(`${what}: got ${hex32(got)}, want ${hex32(want)}`);
}
/**
 * The specification's rule for a NaN result of arithmetic (`+ - * /`) instead of canonical-only:
 * canonical when every NaN operand is canonical, otherwise any arithmetic NaN (quiet bit set).
 */
function specNaN32(got: number, inputs: number[]): boolean {
  const canonicalIn = inputs.every((b) => !isNaN32(b) || (b & 0x7fffffff) === 0x7fc00000);
  return canonicalIn ? (got & 0x7fffffff) === 0x7fc00000 : (got & 0x7fc00000) === 0x7fc00000;
}
function specNaN64(got: bigint, inputs: bigint[]): boolean {
  const c = 0x7ff8000000000000n;
  const canonicalIn = inputs.every((b) => !isNaN64(b) || BigInt.asUintN(63, b) === c);
  return canonicalIn ? BigInt.asUintN(63, got) === c : (BigInt.asUintN(64, got) & c) === c;
}
function same64(ours: number, want: bigint, what: string): void {
  const got = f64Bits(ours);
  if (isNaN64(want)) {
    if (BigInt.asUintN(63, got) !== 0x7ff8000000000000n) assert.unreachable(`${what}: got ${hex64(got)}, want a canonical NaN (oracle gave ${hex64(want)})`);
  } else if (got !== want) assert.unreachable(`${what}: got ${hex64(got)}, want ${hex64(want)}`);
}

const un32: [string, (x: number) => number][] = [
  ["nearest", F.f32Nearest], ["trunc", F.f32Trunc], ["ceil", F.f32Ceil], ["floor", F.f32Floor], ["sqrt", F.f32Sqrt],
];
const un64: [string, (x: number) => number][] = [
  ["nearest", F.f64Nearest], ["trunc", F.f64Trunc], ["ceil", F.f64Ceil], ["floor", F.f64Floor], ["sqrt", F.f64Sqrt],
];
const bin32: [string, (a: number, b: number) => number][] = [
  ["min", F.f32Min], ["max", F.f32Max],
];
const arith32: [string, (a: number, b: number) => number][] = [
  ["add", (a, b) => Math.fround(a + b)], ["sub", (a, b) => Math.fround(a - b)], ["mul", (a, b) => Math.fround(a * b)], ["div", (a, b) => Math.fround(a / b)],
];
const bin64: [string, (a: number, b: number) => number][] = [
  ["min", F.f64Min], ["max", F.f64Max],
];
const arith64: [string, (a: number, b: number) => number][] = [
  ["add", (a, b) => a + b], ["sub", (a, b) => a - b], ["mul", (a, b) => a * b], ["div", (a, b) => a / b],
];

for (const [name, fn] of un32) {
  test(`f32.${name} matches the oracle`, () => {
    const check = (b: number): void => same32(fn(f32FromBits(b)), o[`f32.${name}`](b) as number, `f32.${name}(${hex32(b)})`);
    f32EdgeBits.forEach(check);
    fc.assert(fc.property(f32BitsArb, check), { numRuns: RUNS });
  });
}
for (const [name, fn] of un64) {
  test(`f64.${name} matches the oracle`, () => {
    const check = (b: bigint): void => same64(fn(f64FromBits(b)), o[`f64.${name}`](b) as bigint, `f64.${name}(${hex64(b)})`);
    f64EdgeBits.forEach(check);
    fc.assert(fc.property(f64BitsArb, check), { numRuns: RUNS });
  });
}
for (const [name, fn] of bin32) {
  test(`f32.${name} matches the oracle`, () => {
    const check = (a: number, b: number): void =>
      same32(fn(f32FromBits(a), f32FromBits(b)), o[`f32.${name}`](a, b) as number, `f32.${name}(${hex32(a)}, ${hex32(b)})`);
    for (const a of f32EdgeBits) for (const b of f32EdgeBits) check(a, b);
    fc.assert(fc.property(f32BitsArb, f32BitsArb, check), { numRuns: RUNS });
  });
}
for (const [name, fn] of bin64) {
  test(`f64.${name} matches the oracle`, () => {
    const check = (a: bigint, b: bigint): void =>
      same64(fn(f64FromBits(a), f64FromBits(b)), o[`f64.${name}`](a, b) as bigint, `f64.${name}(${hex64(a)}, ${hex64(b)})`);
    for (const a of f64EdgeBits) for (const b of f64EdgeBits) check(a, b);
    fc.assert(fc.property(f64BitsArb, f64BitsArb, check), { numRuns: RUNS });
  });
}

for (const [name, fn] of arith32) {
  test(`f32.${name} as Math.fround of the double operation: correctly rounded, NaNs as the spec allows`, () => {
    const check = (a: number, b: number): void => {
      const got = f32Bits(fn(f32FromBits(a), f32FromBits(b)));
      const want = o[`f32.${name}`](a, b) as number;
      const ok = isNaN32(want) ? isNaN32(got) && specNaN32(got, [a, b]) : got === want;
      if (!ok) assert.unreachable(`f32.${name}(${hex32(a)}, ${hex32(b)}): got ${hex32(got)}, oracle ${hex32(want)}`);
    };
    for (const a of f32EdgeBits) for (const b of f32EdgeBits) check(a, b);
    fc.assert(fc.property(f32BitsArb, f32BitsArb, check), { numRuns: RUNS });
  });
}
for (const [name, fn] of arith64) {
  test(`f64.${name} as JS arithmetic: correctly rounded, NaNs as the spec allows`, () => {
    const check = (a: bigint, b: bigint): void => {
      const got = f64Bits(fn(f64FromBits(a), f64FromBits(b)));
      const want = o[`f64.${name}`](a, b) as bigint;
      const ok = isNaN64(want) ? isNaN64(got) && specNaN64(got, [a, b]) : got === want;
      if (!ok) assert.unreachable(`f64.${name}(${hex64(a)}, ${hex64(b)}): got ${hex64(got)}, oracle ${hex64(want)}`);
    };
    for (const a of f64EdgeBits) for (const b of f64EdgeBits) check(a, b);
    fc.assert(fc.property(f64BitsArb, f64BitsArb, check), { numRuns: RUNS });
  });
}

test("f32.abs/neg/copysign on bits are exact, NaN payloads included", () => {
  const check = (a: number, b: number): void => {
    assert.is(F.f32Abs(a), o["f32.abs"](a), `abs ${hex32(a)}`);
    assert.is(F.f32Neg(a), o["f32.neg"](a), `neg ${hex32(a)}`);
    assert.is(F.f32Copysign(a, b), o["f32.copysign"](a, b), `copysign ${hex32(a)} ${hex32(b)}`);
  };
  for (const a of f32EdgeBits) for (const b of f32EdgeBits) check(a, b);
  fc.assert(fc.property(f32BitsArb, f32BitsArb, check), { numRuns: RUNS });
});

test("f64.abs/neg/copysign on high words are exact, NaN payloads included", () => {
  const hi = (b: bigint): number => Number(BigInt.asIntN(32, b >> 32n));
  const withHi = (b: bigint, h: number): bigint => BigInt.asIntN(64, (BigInt(h) << 32n) | (b & 0xffffffffn));
  const check = (a: bigint, b: bigint): void => {
    assert.is(withHi(a, F.f64Abs(hi(a))), o["f64.abs"](a), `abs ${hex64(a)}`);
    assert.is(withHi(a, F.f64Neg(hi(a))), o["f64.neg"](a), `neg ${hex64(a)}`);
    assert.is(withHi(a, F.f64Copysign(hi(a), hi(b))), o["f64.copysign"](a, b), `copysign ${hex64(a)} ${hex64(b)}`);
  };
  for (const a of f64EdgeBits) for (const b of f64EdgeBits) check(a, b);
  fc.assert(fc.property(f64BitsArb, f64BitsArb, check), { numRuns: RUNS });
});

test("nearest keeps the sign of zero results and rounds ties to even (table)", () => {
  const table: [number, number][] = [[-0.4, -0], [0.4, 0], [-0.5, -0], [0.5, 0], [1.5, 2], [2.5, 2], [-2.5, -2], [-0, -0], [4503599627370495.5, 4503599627370496], [2 ** 52 + 1, 2 ** 52 + 1]];
  for (const [x, want] of table) {
    assert.ok(Object.is(F.f64Nearest(x), want), `f64Nearest(${x})`);
    if (Math.fround(x) === x) assert.ok(Object.is(F.f32Nearest(x), want), `f32Nearest(${x})`);
  }
});

test.run();
