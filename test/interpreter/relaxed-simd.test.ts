/**
 * Relaxed SIMD (issue 12, Wasm 3.0): every relaxed instruction gives the result of the spec's
 * deterministic profile, which the spec defines through plain SIMD operations. The oracle is
 * Node's WebAssembly running those plain operations (Node 20 needs no flag for them): for each
 * relaxed op, our result on random and edge-case vectors must equal Node's result of the
 * equivalent sequence (NaN lanes compared as NaN, since their bits are nondeterministic in both).
 * Also: fuel of 1 per relaxed instruction, NaN canonicalisation of the float ones, and SIMD loads
 * and stores on a memory other than 0 (multi-memory) behaving as on memory 0.
 */
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store } from "../../interpreter/index.js";

type Wabt = { parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } };
const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<Wabt>)();
const wasm = (src: string): Uint8Array<ArrayBuffer> =>
  wabt.parseWat("t.wat", src, { simd: true, relaxed_simd: true, multi_memory: true }).toBinary({}).buffer as Uint8Array<ArrayBuffer>;
type Fn = (...a: bigint[]) => [bigint, bigint];

/** Relaxed op -> [lane shape of the result, operand count, the plain SIMD body of the deterministic profile on $a $b $c]. */
const EVEN = "0 2 4 6 8 10 12 14 0 0 0 0 0 0 0 0", ODD = "1 3 5 7 9 11 13 15 0 0 0 0 0 0 0 0";
const DOT = `(i16x8.add_sat_s
      (i16x8.extmul_low_i8x16_s (i8x16.shuffle ${EVEN} (local.get $a) (local.get $a)) (i8x16.shuffle ${EVEN} (local.get $b) (local.get $b)))
      (i16x8.extmul_low_i8x16_s (i8x16.shuffle ${ODD} (local.get $a) (local.get $a)) (i8x16.shuffle ${ODD} (local.get $b) (local.get $b))))`;
const OPS: [string, "i8" | "i16" | "i32" | "f32" | "f64", number, string][] = [
  ["i8x16.relaxed_swizzle", "i8", 2, "(i8x16.swizzle (local.get $a) (local.get $b))"],
  ["i32x4.relaxed_trunc_f32x4_s", "i32", 1, "(i32x4.trunc_sat_f32x4_s (local.get $a))"],
  ["i32x4.relaxed_trunc_f32x4_u", "i32", 1, "(i32x4.trunc_sat_f32x4_u (local.get $a))"],
  ["i32x4.relaxed_trunc_f64x2_s_zero", "i32", 1, "(i32x4.trunc_sat_f64x2_s_zero (local.get $a))"],
  ["i32x4.relaxed_trunc_f64x2_u_zero", "i32", 1, "(i32x4.trunc_sat_f64x2_u_zero (local.get $a))"],
  ["f32x4.relaxed_madd", "f32", 3, "(f32x4.add (f32x4.mul (local.get $a) (local.get $b)) (local.get $c))"],
  ["f32x4.relaxed_nmadd", "f32", 3, "(f32x4.add (f32x4.mul (f32x4.neg (local.get $a)) (local.get $b)) (local.get $c))"],
  ["f64x2.relaxed_madd", "f64", 3, "(f64x2.add (f64x2.mul (local.get $a) (local.get $b)) (local.get $c))"],
  ["f64x2.relaxed_nmadd", "f64", 3, "(f64x2.add (f64x2.mul (f64x2.neg (local.get $a)) (local.get $b)) (local.get $c))"],
  ["i8x16.relaxed_laneselect", "i8", 3, "(v128.bitselect (local.get $a) (local.get $b) (local.get $c))"],
  ["i16x8.relaxed_laneselect", "i16", 3, "(v128.bitselect (local.get $a) (local.get $b) (local.get $c))"],
  ["i32x4.relaxed_laneselect", "i32", 3, "(v128.bitselect (local.get $a) (local.get $b) (local.get $c))"],
  ["i64x2.relaxed_laneselect", "i32", 3, "(v128.bitselect (local.get $a) (local.get $b) (local.get $c))"],
  ["f32x4.relaxed_min", "f32", 2, "(f32x4.min (local.get $a) (local.get $b))"],
  ["f32x4.relaxed_max", "f32", 2, "(f32x4.max (local.get $a) (local.get $b))"],
  ["f64x2.relaxed_min", "f64", 2, "(f64x2.min (local.get $a) (local.get $b))"],
  ["f64x2.relaxed_max", "f64", 2, "(f64x2.max (local.get $a) (local.get $b))"],
  ["i16x8.relaxed_q15mulr_s", "i16", 2, "(i16x8.q15mulr_sat_s (local.get $a) (local.get $b))"],
  ["i16x8.relaxed_dot_i8x16_i7x16_s", "i16", 2, DOT],
  ["i32x4.relaxed_dot_i8x16_i7x16_add_s", "i32", 3, `(i32x4.add (i32x4.extadd_pairwise_i16x8_s ${DOT}) (local.get $c))`],
];

/** A module with one export per op: six i64 halves in, the result's two i64 halves out. */
function moduleOf(body: (op: (typeof OPS)[number]) => string): Uint8Array<ArrayBuffer> {
  const funcs = OPS.map((op) => `
  (func (export "${op[0]}") (param i64 i64 i64 i64 i64 i64) (result i64 i64)
    (local $a v128) (local $b v128) (local $c v128) (local $r v128)
    (local.set $a (i64x2.replace_lane 1 (i64x2.splat (local.get 0)) (local.get 1)))
    (local.set $b (i64x2.replace_lane 1 (i64x2.splat (local.get 2)) (local.get 3)))
    (local.set $c (i64x2.replace_lane 1 (i64x2.splat (local.get 4)) (local.get 5)))
    (local.set $r ${body(op)})
    (i64x2.extract_lane 0 (local.get $r)) (i64x2.extract_lane 1 (local.get $r)))`);
  return wasm(`(module ${funcs.join("")})`);
}
const OPERANDS = ["(local.get $a)", "(local.get $b)", "(local.get $c)"];
const RELAXED = moduleOf((op) => `(${op[0]} ${OPERANDS.slice(0, op[2]).join(" ")})`);
const PLAIN = moduleOf((op) => op[3]);

/** 32-bit lane patterns that hit every edge: NaNs, zeros, infinities, the truncation limits, byte extremes, swizzle indices. */
const EDGES = [
  0, 1, -1, 0x7fc00000, 0xffc00001 | 0, 0x7f800001, 0x80000000 | 0, 0x7f800000, 0xff800000 | 0, 0x4f000000, 0xcf000001 | 0, 0x4f800000, 0x3f800000,
  0x7f7f7f7f, 0x80808080 | 0, 0x0f1f2f3f, 0x10203040, 0x8f0e1d2c | 0, 0x7fff8000, 0x80007fff | 0, 0x41e00000, 0xc1e00000 | 0, 0x7ff80000, 0xfff00000 | 0,
];
let seed = 0x1234567;
function rand32(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) | 0;
  const r = seed >>> 0;
  return r % 3 === 0 ? EDGES[(r >>> 8) % EDGES.length]! : Math.imul(r, 0x9e3779b1);
}
const half = (): bigint => BigInt.asIntN(64, (BigInt(rand32() >>> 0) << 32n) | BigInt(rand32() >>> 0));

/** The result as lanes of `shape`, NaN lanes (f32/f64) as "NaN". */
function lanes(r: [bigint, bigint], shape: string): string[] {
  const buf = new DataView(new ArrayBuffer(16));
  buf.setBigInt64(0, r[0], true);
  buf.setBigInt64(8, r[1], true);
  const out: string[] = [];
  if (shape === "f32") for (let i = 0; i < 4; i++) { const x = buf.getFloat32(4 * i, true); out.push(x !== x ? "NaN" : Object.is(x, -0) ? "-0" : String(x)); }
  else if (shape === "f64") for (let i = 0; i < 2; i++) { const x = buf.getFloat64(8 * i, true); out.push(x !== x ? "NaN" : Object.is(x, -0) ? "-0" : String(x)); }
  else for (let i = 0; i < 4; i++) out.push(buf.getInt32(4 * i, true).toString(16));
  return out;
}

test("every relaxed op equals its deterministic-profile definition (oracle: Node running the plain SIMD ops)", () => {
  const ours = new Instance(new Module(RELAXED), {}, { store: new Store() }).exports as Record<string, Fn>;
  const node = new WebAssembly.Instance(new WebAssembly.Module(PLAIN)).exports as unknown as Record<string, Fn>;
  let checked = 0;
  for (const [name, shape] of OPS) {
    for (let k = 0; k < 400; k++) {
      const args = [half(), half(), half(), half(), half(), half()];
      const a = lanes(ours[name]!(...args), shape), b = lanes(node[name]!(...args), shape);
      assert.equal(a, b, `${name}(${args.map((x) => BigInt.asUintN(64, x).toString(16)).join(", ")})`);
      checked++;
    }
  }
  assert.is(checked, OPS.length * 400);
});

test("the deterministic choices on the cases the spec leaves open", () => {
  const ours = new Instance(new Module(RELAXED), {}, { store: new Store() }).exports as Record<string, Fn>;
  const v = (lo: bigint, hi: bigint): bigint[] => [lo, hi];
  // swizzle: an index >= 16 (here 16 and 0x7f) gives 0, not a lane of i[j mod 16]
  // (the other index bytes are 0: lane 0 of the first operand, 0x01)
  assert.equal(ours["i8x16.relaxed_swizzle"]!(...v(0x0807060504030201n, 0x100f0e0d0c0b0a09n), ...v(0x7f10n, 0n), 0n, 0n), [0x0101010101010000n, 0x0101010101010101n]);
  // truncation out of range saturates: f32 NaN -> 0, +inf -> INT32_MAX, -inf -> INT32_MIN
  assert.equal(ours["i32x4.relaxed_trunc_f32x4_s"]!(...v(0x7f8000007fc00000n, 0x00000000ff800000n), 0n, 0n, 0n, 0n), [0x7fffffff00000000n, -0x80000000n & 0xffffffffn]);
  // madd is unfused: (1 + 2^-23) * (1 - 2^-23) rounds to 1 before subtracting 1, so the result is 0 (fused: -2^-46)
  const f32 = (x: number): bigint => BigInt(new Uint32Array(new Float32Array([x]).buffer)[0]!);
  const r = ours["f32x4.relaxed_madd"]!(f32(1 + 2 ** -23), 0n, f32(1 - 2 ** -23), 0n, f32(-1), 0n);
  assert.is(r[0] & 0xffffffffn, 0n);
  // laneselect uses every mask bit (bitselect), not only each lane's top bit
  assert.equal(ours["i32x4.relaxed_laneselect"]!(-1n, -1n, 0n, 0n, 0x0000ffff0000ffffn, 0n), [0x0000ffff0000ffffn, 0n]);
  // q15mulr: -32768 * -32768 saturates to 32767
  assert.equal(ours["i16x8.relaxed_q15mulr_s"]!(0x8000n, 0n, 0x8000n, 0n, 0n, 0n), [0x7fffn, 0n]);
  // dot: the second operand is signed (0x81 = -127), and the i16 sum saturates: -128*-128*2 -> 32767
  assert.equal(ours["i16x8.relaxed_dot_i8x16_i7x16_s"]!(0x8080n, 0n, 0x8080n, 0n, 0n, 0n), [0x7fffn, 0n]);
  assert.equal(ours["i16x8.relaxed_dot_i8x16_i7x16_s"]!(0x8080n, 0n, 0x8181n, 0n, 0n, 0n), [0x7f00n, 0n]);
});

test("fuel: a relaxed instruction costs 1, like any SIMD instruction", () => {
  // the same wrappers with each relaxed op replaced by one plain SIMD op of the same arity
  const SAME_ARITY = ["", "(i32x4.abs (local.get $a))", "(i32x4.add (local.get $a) (local.get $b))", "(v128.bitselect (local.get $a) (local.get $b) (local.get $c))"];
  const plainOne = moduleOf((op) => SAME_ARITY[op[2]]!);
  const fuelOf = (bytes: Uint8Array<ArrayBuffer>, name: string): number => {
    const store = new Store({ fuel: 1_000_000 });
    (new Instance(new Module(bytes), {}, { store }).exports[name] as Fn)(1n, 2n, 3n, 4n, 5n, 6n);
    return store.fuelConsumed;
  };
  for (const [name] of OPS) {
    const f = fuelOf(RELAXED, name);
    assert.ok(f > 10, name);
    assert.is(f, fuelOf(plainOne, name), name);
  }
});

test("NaN canonicalisation applies to the relaxed float ops", () => {
  const ours = new Instance(new Module(RELAXED), {}, { store: new Store({ canonicalizeNaNs: true }) }).exports as Record<string, Fn>;
  const nanWithPayload = 0x7fc0_1234n;
  for (const name of ["f32x4.relaxed_madd", "f32x4.relaxed_nmadd", "f32x4.relaxed_min", "f32x4.relaxed_max"]) {
    const [lo] = ours[name]!(nanWithPayload, 0n, nanWithPayload, 0n, nanWithPayload, 0n);
    assert.is(lo & 0xffffffffn, 0x7fc00000n, name);
  }
  for (const name of ["f64x2.relaxed_madd", "f64x2.relaxed_nmadd", "f64x2.relaxed_min", "f64x2.relaxed_max"]) {
    const [lo] = ours[name]!(0x7ff8_0000_0000_1234n, 0n, 0x7ff8_0000_0000_1234n, 0n, 0x7ff8_0000_0000_1234n, 0n);
    assert.is(lo, 0x7ff8_0000_0000_0000n, name);
  }
});

test("SIMD loads and stores on memory 1 behave as on memory 0: results, traps and fuel", () => {
  const prog = (m: number): Uint8Array<ArrayBuffer> => wasm(`(module
    (memory $m0 ${m === 0 ? 1 : 2})
    (memory $m1 ${m === 1 ? 1 : 2})
    (func (export "run") (param $p i32) (result i64 i64)
      (local $v v128)
      (v128.store ${m} offset=3 (local.get $p) (i64x2.replace_lane 1 (i64x2.splat (i64.const 0x0102030405060708)) (i64.const -2)))
      (v128.store8_lane ${m} offset=1 15 (i32.add (local.get $p) (i32.const 20)) (i8x16.splat (i32.const 0x5a)))
      (local.set $v (v128.load ${m} offset=3 (local.get $p)))
      (local.set $v (v128.load32_lane ${m} 1 (i32.add (local.get $p) (i32.const 21)) (local.get $v)))
      (local.set $v (i16x8.add (local.get $v) (v128.load8x8_s ${m} offset=2 (local.get $p))))
      (local.set $v (i32x4.add (local.get $v) (v128.load32_splat ${m} (local.get $p))))
      (local.set $v (i64x2.add (local.get $v) (v128.load64_zero ${m} offset=5 (local.get $p))))
      (i64x2.extract_lane 0 (local.get $v)) (i64x2.extract_lane 1 (local.get $v))))`);
  const run = (m: number, p: number): unknown => {
    const store = new Store({ fuel: 100_000 });
    try {
      const r = (new Instance(new Module(prog(m)), {}, { store }).exports.run as (p: number) => [bigint, bigint])(p);
      return [r, store.fuelConsumed];
    } catch (e) {
      if (e instanceof RuntimeError) return [e.trap, e.message, store.fuelConsumed];
      throw e;
    }
  };
  for (const p of [0, 1, 100, 65536 - 19, 65536 - 18, 65536 - 25, 65536, -1]) assert.equal(run(1, p), run(0, p), `address ${p}`);
  assert.equal((run(1, 65536 - 18) as unknown[])[0], "out-of-bounds-memory-access");
});

test.run();
