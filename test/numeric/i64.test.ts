/**
 * i64 helpers on 32-bit halves (interpreter/numeric/i64.ts) against a BigInt reference written
 * from the specification's definitions: every operation, every trap, edge values and random
 * values of every magnitude, with the destination separate from and equal to each operand.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import * as N from "../../interpreter/numeric/i64.js";
import { RuntimeError, type TrapCode } from "../../interpreter/errors.js";
import { i64Arb, i64Edges } from "./arbitrary.js";

const RUNS = Number(process.env.NUMERIC_RUNS ?? 20000);
const M64 = (1n << 64n) - 1n;
const u = (x: bigint): bigint => BigInt.asUintN(64, x);
const i = (x: bigint): bigint => BigInt.asIntN(64, x);
const INT64_MIN = -(1n << 63n);

function put(s: Int32Array, w: number, v: bigint): void {
  s[w] = Number(BigInt.asIntN(32, v));
  s[w + 1] = Number(BigInt.asIntN(32, v >> 32n));
}
function get(s: Int32Array, w: number): bigint {
  return (BigInt(s[w + 1]) << 32n) | BigInt(s[w] >>> 0);
}

type Ref = bigint | TrapCode;
const bitsOf = (x: bigint): string => u(x).toString(2).padStart(64, "0");

const binary: [string, (s: Int32Array, d: number, a: number, b: number) => void, (a: bigint, b: bigint) => Ref][] = [
  ["add", N.i64Add, (a, b) => i(a + b)],
  ["sub", N.i64Sub, (a, b) => i(a - b)],
  ["mul", N.i64Mul, (a, b) => i(a * b)],
  ["div_s", N.i64DivS, (a, b) => (b === 0n ? "integer-divide-by-zero" : a === INT64_MIN && b === -1n ? "integer-overflow" : i(a / b))],
  ["div_u", N.i64DivU, (a, b) => (b === 0n ? "integer-divide-by-zero" : i(u(a) / u(b)))],
  ["rem_s", N.i64RemS, (a, b) => (b === 0n ? "integer-divide-by-zero" : i(a % b))],
  ["rem_u", N.i64RemU, (a, b) => (b === 0n ? "integer-divide-by-zero" : i(u(a) % u(b)))],
  ["and", N.i64And, (a, b) => a & b],
  ["or", N.i64Or, (a, b) => a | b],
  ["xor", N.i64Xor, (a, b) => a ^ b],
  ["shl", N.i64Shl, (a, b) => i(a << (b & 63n))],
  ["shr_s", N.i64ShrS, (a, b) => a >> (b & 63n)],
  ["shr_u", N.i64ShrU, (a, b) => i(u(a) >> (b & 63n))],
  ["rotl", N.i64Rotl, (a, b) => i(((u(a) << (b & 63n)) | (u(a) >> (64n - (b & 63n)))) & M64)],
  ["rotr", N.i64Rotr, (a, b) => i(((u(a) >> (b & 63n)) | (u(a) << (64n - (b & 63n)))) & M64)],
];

const unary: [string, (s: Int32Array, d: number, a: number) => void, (a: bigint) => bigint][] = [
  ["clz", N.i64Clz, (a) => BigInt(bitsOf(a).indexOf("1") < 0 ? 64 : bitsOf(a).indexOf("1"))],
  ["ctz", N.i64Ctz, (a) => BigInt(64 - (bitsOf(a).lastIndexOf("1") + 1) === 64 ? 64 : 63 - bitsOf(a).lastIndexOf("1"))],
  ["popcnt", N.i64Popcnt, (a) => BigInt([...bitsOf(a)].filter((c) => c === "1").length)],
  ["extend8_s", N.i64Extend8S, (a) => BigInt.asIntN(8, a)],
  ["extend16_s", N.i64Extend16S, (a) => BigInt.asIntN(16, a)],
  ["extend32_s", N.i64Extend32S, (a) => BigInt.asIntN(32, a)],
];

const compare: [string, (s: Int32Array, a: number, b: number) => boolean, (a: bigint, b: bigint) => boolean][] = [
  ["eq", N.i64Eq, (a, b) => a === b],
  ["ne", N.i64Ne, (a, b) => a !== b],
  ["lt_s", N.i64LtS, (a, b) => a < b],
  ["lt_u", N.i64LtU, (a, b) => u(a) < u(b)],
  ["gt_s", N.i64GtS, (a, b) => a > b],
  ["gt_u", N.i64GtU, (a, b) => u(a) > u(b)],
  ["le_s", N.i64LeS, (a, b) => a <= b],
  ["le_u", N.i64LeU, (a, b) => u(a) <= u(b)],
  ["ge_s", N.i64GeS, (a, b) => a >= b],
  ["ge_u", N.i64GeU, (a, b) => u(a) >= u(b)],
];

/** Runs `fn` with a at word 2, b at word 4 and the destination at word 6, 2 (= a) or 4 (= b). */
function runBinary(fn: (s: Int32Array, d: number, a: number, b: number) => void, a: bigint, b: bigint, d: number): Ref {
  const s = new Int32Array(10);
  s.fill(0x5a5a5a5a);
  put(s, 2, a);
  put(s, 4, b);
  try {
    fn(s, d, 2, 4);
  } catch (e) {
    if (e instanceof RuntimeError) return e.trap;
    throw e;
  }
  // words outside the destination are untouched
  for (const w of [0, 1, 8, 9]) if (s[w] !== 0x5a5a5a5a) return "unreachable";
  return get(s, d);
}

function checkBinary(name: string, fn: (s: Int32Array, d: number, a: number, b: number) => void, ref: (a: bigint, b: bigint) => Ref, a: bigint, b: bigint): void {
  const want = ref(a, b);
  for (const d of [6, 2, 4]) {
    const got = runBinary(fn, a, b, d);
    if (got !== want) assert.unreachable(`i64.${name}(${a}, ${b}) with destination word ${d}: got ${got}, want ${want}`);
  }
}

for (const [name, fn, ref] of binary) {
  test(`i64.${name}: every pair of edge values`, () => {
    for (const a of i64Edges) for (const b of i64Edges) checkBinary(name, fn, ref, a, b);
  });
  test(`i64.${name}: random values (${RUNS} runs)`, () => {
    fc.assert(fc.property(i64Arb, i64Arb, (a, b) => checkBinary(name, fn, ref, a, b)), { numRuns: RUNS });
  });
}

for (const [name, fn, ref] of unary) {
  test(`i64.${name}: edges and random values`, () => {
    const check = (a: bigint): void => {
      for (const d of [4, 2]) {
        const s = new Int32Array(8);
        put(s, 2, a);
        fn(s, d, 2);
        const got = get(s, d);
        if (got !== ref(a)) assert.unreachable(`i64.${name}(${a}) into word ${d}: got ${got}, want ${ref(a)}`);
      }
    };
    i64Edges.forEach(check);
    fc.assert(fc.property(i64Arb, check), { numRuns: RUNS });
  });
}

for (const [name, fn, ref] of compare) {
  test(`i64.${name}: edges and random values`, () => {
    const s = new Int32Array(4);
    const check = (a: bigint, b: bigint): void => {
      put(s, 0, a);
      put(s, 2, b);
      if (fn(s, 0, 2) !== ref(a, b)) assert.unreachable(`i64.${name}(${a}, ${b}) should be ${ref(a, b)}`);
    };
    for (const a of i64Edges) for (const b of i64Edges) check(a, b);
    fc.assert(fc.property(i64Arb, i64Arb, check), { numRuns: RUNS });
  });
}

test("i64.eqz, extend_i32_s/u, wrap: edges and random values", () => {
  const s = new Int32Array(4);
  fc.assert(
    fc.property(i64Arb, (a) => {
      put(s, 0, a);
      assert.is(N.i64Eqz(s, 0), a === 0n);
      assert.is(N.i32WrapI64(s, 0), Number(BigInt.asIntN(32, a)));
      const x = Number(BigInt.asIntN(32, a));
      N.i64ExtendI32S(s, 2, x);
      assert.is(get(s, 2), BigInt(x));
      N.i64ExtendI32U(s, 2, x);
      assert.is(get(s, 2), BigInt(x >>> 0));
    }),
    { numRuns: RUNS, examples: i64Edges.map((e) => [e]) },
  );
});

test("traps carry the specification's codes", () => {
  const table: [(s: Int32Array, d: number, a: number, b: number) => void, bigint, bigint, TrapCode][] = [
    [N.i64DivS, 1n, 0n, "integer-divide-by-zero"],
    [N.i64DivU, 1n, 0n, "integer-divide-by-zero"],
    [N.i64RemS, 1n, 0n, "integer-divide-by-zero"],
    [N.i64RemU, 1n, 0n, "integer-divide-by-zero"],
    [N.i64DivS, INT64_MIN, -1n, "integer-overflow"],
    [N.i64DivS, INT64_MIN, 0n, "integer-divide-by-zero"],
  ];
  for (const [fn, a, b, code] of table) assert.is(runBinary(fn, a, b, 6), code);
  assert.is(runBinary(N.i64RemS, INT64_MIN, -1n, 6), 0n);
});

test.run();
