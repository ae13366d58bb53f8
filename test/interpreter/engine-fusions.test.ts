// Fused ops (translate/translator.ts): each pattern is checked to be translated into its fused
// op (so the test exercises it), computed like Node's WebAssembly on random inputs, charged
// exactly as the independent instrumented fuel count says, and stopped exactly by every budget
// (success iff budget >= total; used + left = budget). Aliasing cases (a compare operand or an
// addend that is the fused destination, the second op of a pair reading or writing what the first
// wrote) are included.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Instance, Module, RuntimeError, Store, callResumable } from "../../interpreter/index.js";
import { decodeModule } from "../../interpreter/decode/index.js";
import { disassemble } from "../../interpreter/translate/disassemble.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";
import { FUEL_EXPORT, instrumentFuel } from "../tools/fuel-instrument.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, {}).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

/** The listing of every function of `bytes` as translated with the "wasmtime" costs. */
function listing(bytes: Uint8Array): string {
  const cm = translateModule(decodeModule(bytes), resolveCosts("wasmtime"));
  return cm.funcs.map((_, i) => disassemble(cm, i)).join("\n");
}

const modules = new Map<Uint8Array, Module>();
const nodeModules = new Map<Uint8Array, [WebAssembly.Module, WebAssembly.Module]>();

/** Ours with `budget` fuel ("wasmtime" costs): result or trap, fuel used and left. */
function ours(bytes: Uint8Array, args: unknown[], budget = 1e12): { result?: unknown; trap?: string; used: number; left: number } {
  let m = modules.get(bytes);
  if (m === undefined) modules.set(bytes, (m = new Module(bytes)));
  const store = new Store({ fuel: 1e12, costs: "wasmtime" });
  const f = new Instance(m, {}, { store }).exports.f as Fn;
  store.setFuel(budget);
  const before = store.fuelConsumed;
  try {
    const result = f(...args);
    return { result, used: store.fuelConsumed - before, left: store.getFuel() };
  } catch (e) {
    if (!(e instanceof RuntimeError)) throw e;
    return { trap: e.trap, used: store.fuelConsumed - before, left: store.getFuel() };
  }
}

/** Node's result and the instrumented fuel count. */
function oracle(bytes: Uint8Array, args: unknown[]): { result: unknown; fuel: number } {
  let nm = nodeModules.get(bytes);
  if (nm === undefined) nodeModules.set(bytes, (nm = [new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), new WebAssembly.Module(instrumentFuel(bytes, "wasmtime") as Uint8Array<ArrayBuffer>)]));
  const plain = new WebAssembly.Instance(nm[0]).exports.f as Fn;
  const inst = new WebAssembly.Instance(nm[1]).exports;
  const g = inst[FUEL_EXPORT] as WebAssembly.Global;
  g.value = 0n;
  (inst.f as Fn)(...args);
  return { result: plain(...args), fuel: Number(g.value) };
}

const same = (a: unknown, b: unknown): boolean => Object.is(a, b) || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));

/** Checks one program on `args`: result and fuel against the oracle, and every budget near the end and at the start. */
function check(bytes: Uint8Array, args: unknown[], budgets = true): void {
  const o = oracle(bytes, args);
  const r = ours(bytes, args);
  assert.ok(same(r.result, o.result), `result ${String(r.result)} vs node ${String(o.result)} for ${args.map(String)}`);
  assert.is(r.used, o.fuel, `fuel for ${args.map(String)}`);
  if (!budgets) return;
  const total = o.fuel;
  const set = new Set<number>();
  for (let b = 0; b <= Math.min(total, 60); b++) set.add(b);
  for (let b = Math.max(0, total - 60); b <= total + 1; b++) set.add(b);
  for (const b of set) {
    const x = ours(bytes, args, b);
    if (b >= total) assert.ok(same(x.result, o.result), `budget ${b} of ${total}`);
    else assert.is(x.trap, "out-of-fuel", `budget ${b} of ${total}`);
    assert.is(x.used + x.left, b, `budget ${b}: used + left`);
  }
}

/** A call stopped out of fuel at every budget below its total (every `step`-th) resumes to the same result and total (inside or between fused ops). */
function resumesAtEveryStop(bytes: Uint8Array, args: unknown[], step = 1): void {
  const { result, fuel: total } = oracle(bytes, args);
  const m = new Module(bytes);
  for (let b = 0; b < total; b += step) {
    const store = new Store({ fuel: b, costs: "wasmtime" });
    const call = callResumable(new Instance(m, {}, { store }).exports.f as Fn as (...a: never[]) => unknown, args as never[]);
    assert.is(call.state, "out-of-fuel", `budget ${b}`);
    store.setFuel(1e9);
    call.resume();
    assert.is(call.state, "finished", `budget ${b}`);
    assert.is(call.results, result, `budget ${b}: resumed result`);
    assert.is(store.fuelConsumed, total, `budget ${b}: resumed total`);
  }
}

const I64_ADD_BR = bin(`(module
  (func (export "f") (param $n i64) (param $step i64) (result i64) (local $j i64) (local $c i64) (local $k i64)
    (local.set $j (i64.const 3))
    (loop $l
      (local.set $c (i64.add (local.get $c) (i64.const 1)))
      (br_if $l (i64.lt_u (local.tee $j (i64.add (local.get $j) (local.get $step))) (local.get $n))))
    ;; compare operand = the sum (aliasing), signed compare, and an immediate add
    (block $b (loop $m
      (br_if $b (i64.gt_s (local.tee $j (i64.add (local.get $j) (i64.const -1))) (local.get $j)))
      (br_if $m (i64.lt_u (local.tee $k (i64.add (local.get $k) (i64.const 0x100000001))) (i64.const 0x500000005)))))
    (i64.add (i64.add (i64.mul (local.get $c) (i64.const 1000003)) (local.get $j)) (local.get $k))))`);

test("i64.add + i64 compare + br_if fuse into I64_ADD_BR / I64_ADD_IMM_BR; results and fuel exact", () => {
  const l = listing(I64_ADD_BR);
  assert.match(l, /I64_ADD_BR /);
  assert.match(l, /I64_ADD_IMM_BR /);
  check(I64_ADD_BR, [50n, 7n]);
  check(I64_ADD_BR, [0n, 1n]);
  check(I64_ADD_BR, [0x1_0000_0005n, 0xffff_ffffn]); // carries into the high half
  fc.assert(fc.property(fc.bigInt(0n, 5000n), fc.bigInt(1n, 0x3_0000_0000n), (n, s) => { check(I64_ADD_BR, [n, s], false); }), { numRuns: 60 });
});

const COUNTDOWN = bin(`(module
  (func (export "f") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $n)))
      (br_if $l (local.tee $n (i32.add (local.get $n) (i32.const -1)))))
    (block $b (loop $m
      (br_if $b (i32.eqz (local.tee $acc (i32.add (local.get $acc) (i32.const 7)))))
      (br_if $m (i32.and (local.get $acc) (i32.const 0)))))
    (local.get $acc)))`);

test("i32.add of a constant + br_if on the sum (count-down loop) fuses into ADD_IMM_BR", () => {
  assert.match(listing(COUNTDOWN), /ADD_IMM_BR /);
  for (const n of [1, 2, 17, 300]) check(COUNTDOWN, [n]);
});

const MUL_ADD = bin(`(module (memory 1)
  (func (export "f") (param $x f64) (param $y f64) (param $n i32) (result f64) (local $s f64) (local $i i32)
    (f64.store (i32.const 8) (local.get $x))
    (f64.store (i32.const 16) (local.get $y))
    (loop $l
      (local.set $s (f64.add (f64.mul (f64.load (i32.const 8)) (f64.load (i32.const 16))) (local.get $s)))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $s) (local.get $y))))
      (local.set $s (f64.add (f64.mul (local.get $s) (local.get $s)) (local.get $s)))
      (local.set $s (f64.add (f64.mul (local.get $x) (local.get $y)) (f64.const 0.25)))
      (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (f64.add (f64.mul (local.get $s) (local.get $x)) (f64.const 1.5))))`);

test("f64.mul + f64.add of its result fuse into F64_MUL_ADD (two roundings, NaN and infinities as Node)", () => {
  assert.match(listing(MUL_ADD), /F64_MUL_ADD /);
  check(MUL_ADD, [1.5, -2.25, 3]);
  check(MUL_ADD, [1e300, 1e10, 2], false);
  check(MUL_ADD, [NaN, 1, 1], false);
  check(MUL_ADD, [Infinity, 0, 1], false);
  fc.assert(fc.property(fc.double(), fc.double(), fc.integer({ min: 0, max: 5 }), (x, y, n) => { check(MUL_ADD, [x, y, n], false); }), { numRuns: 200 });
});

const RR = bin(`(module (memory 1)
  (func (export "f") (param $a i32) (param $b i32) (param $v i64) (result i64)
    (i64.store (i32.add (local.get $a) (local.get $b)) (local.get $v))
    (i32.store16 offset=9 (i32.add (local.get $a) (local.get $b)) (i32.wrap_i64 (local.get $v)))
    (i32.store8 offset=3 (i32.add (local.get $a) (local.get $b)) (i32.const 0x81))
    (i32.store offset=12 (i32.add (local.get $a) (local.get $b)) (i32.const -2))
    (i64.add
      (i64.load offset=1 (i32.add (local.get $a) (local.get $b)))
      (i64.extend_i32_u (i32.xor
        (i32.xor (i32.load8_s offset=3 (i32.add (local.get $a) (local.get $b))) (i32.load8_u offset=3 (i32.add (local.get $a) (local.get $b))))
        (i32.xor (i32.load16_s offset=9 (i32.add (local.get $a) (local.get $b)))
          (i32.xor (i32.load16_u offset=10 (i32.add (local.get $a) (local.get $b))) (i32.load offset=12 (i32.add (local.get $a) (local.get $b))))))))))`);

test("loads and stores of every width addressed by the sum of two slots (RR forms): values, wrap-around, bounds", () => {
  const l = listing(RR);
  for (const op of ["I32_LOAD8_S_RR", "I32_LOAD8_U_RR", "I32_LOAD16_S_RR", "I32_LOAD16_U_RR", "LOAD32_RR", "LOAD64_RR", "STORE8_RR", "STORE16_RR", "STORE32_RR", "STORE64_RR"]) assert.match(l, new RegExp(`${op} `), op);
  const oursTrap = (a: number, b: number): string | undefined => ours(RR, [a, b, 1n]).trap;
  const nodeTraps = (a: number, b: number): boolean => {
    try { oracle(RR, [a, b, 1n]); return false; } catch (e) { return e instanceof WebAssembly.RuntimeError; }
  };
  check(RR, [100, 7, 0x0123_4567_89ab_cdefn]);
  check(RR, [-16, 33, -2n], false); // the i32.add wraps around
  for (const [a, b] of [[65536 - 16, 0], [65536 - 15, 0], [65536 - 20, 0], [-1, 65536 - 15], [0, 65536], [2147483647, 2147483647]] as const) {
    const n = nodeTraps(a, b);
    assert.is(oursTrap(a, b), n ? "out-of-bounds-memory-access" : undefined, `${a} + ${b}`);
    if (!n) check(RR, [a, b, 5n], false);
  }
  fc.assert(fc.property(fc.integer({ min: 0, max: 65000 }), fc.integer({ min: 0, max: 500 }), fc.bigInt(-(1n << 63n), (1n << 63n) - 1n), (a, b, v) => { check(RR, [a, b, v], false); }), { numRuns: 200 });
});

// The pairs of translate/pairs.ts: adjacent copies (i32, i64, f64), adds of a constant and adds,
// with the second op reading the first's destination, writing the same one, or overwriting the
// first's source; in a loop (a block charged at its head) and in straight-line code.
const PAIRS = bin(`(module
  (func (export "f") (param $x i32) (param $y i32) (param $n i32) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $e i64) (local $f i64) (local $g f64) (local $h f64) (local $i i32)
    (local.set $e (i64.extend_i32_s (local.get $x))) (local.set $g (f64.convert_i32_s (local.get $y)))
    (loop $l
      (local.set $a (local.get $x)) (local.set $b (local.get $a))
      (local.set $f (local.get $e)) (local.set $e (local.get $f))
      (local.set $h (local.get $g)) (local.set $g (f64.const 0.5))
      (local.set $a (i32.add (local.get $a) (i32.const 7))) (local.set $c (i32.add (local.get $a) (i32.const -3)))
      (local.set $x (i32.add (local.get $x) (i32.const 1))) (local.set $x (i32.add (local.get $x) (i32.const 0x7fffffff)))
      (local.set $b (i32.add (local.get $b) (local.get $c))) (local.set $c (i32.add (local.get $b) (local.get $b)))
      (local.set $y (i32.add (local.get $c) (local.get $y))) (local.set $c (i32.add (local.get $y) (local.get $x)))
      (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.set $a (local.get $c)) (local.set $c (local.get $a))
    (i64.add (i64.add (i64.extend_i32_u (local.get $a)) (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32)))
      (i64.add (i64.add (local.get $e) (local.get $f)) (i64.add (i64.reinterpret_f64 (local.get $h)) (i64.extend_i32_s (i32.xor (local.get $c) (local.get $x))))))))`);

test("adjacent copies, adds of a constant and adds fuse into pairs (MOV2, I32_ADD_IMM2, I32_ADD2); results, fuel and every stop exact", () => {
  const l = listing(PAIRS);
  assert.match(l, /MOV2 /);
  assert.match(l, /I32_ADD_IMM2 /);
  assert.match(l, /I32_ADD2 /);
  check(PAIRS, [5, 9, 3]);
  check(PAIRS, [-1, 0x7fffffff, 1]);
  fc.assert(fc.property(fc.integer(), fc.integer(), fc.integer({ min: 0, max: 6 }), (x, y, n) => { check(PAIRS, [x, y, n], false); }), { numRuns: 100 });
  resumesAtEveryStop(PAIRS, [5, 9, 3]);
});

// The pairs chosen from the suite's op mix after the first three (translate/opcodes.ts
// PAIR_TABLE): shifts and rotates by a constant then a xor, a multiply by a constant then an add,
// two f64 multiplies; and the pairs that fall through into their second
// op's case: f64 multiply then a 64-bit load, shift then i32 load (at an unaligned address too),
// add before an add-and-branch loop step (i32 and i64), add before br_if, mask before a branch on
// zero, i32 multiply then add, shift right by a constant then a mask (an i64 multiply-accumulate,
// not a pair, reaches the result too). $t moves the last two loads' addresses (t / 2 for the
// 64-bit one, t for the i32 one): 0 keeps them in bounds, large values make the second half of one of the pairs trap (its fuel
// refunded as for the load alone).
const PAIRS_MIX = bin(`(module (memory 1)
  (func (export "f") (param $x i32) (param $y i32) (param $n i32) (param $t i32) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $e i64) (local $f i64) (local $g f64) (local $h f64) (local $i i32) (local $k i64) (local $n64 i64) (local $one i64) (local $acc i64)
    (local.set $one (i64.const 1)) (local.set $n64 (i64.extend_i32_u (i32.and (local.get $n) (i32.const 7))))
    (local.set $e (i64.extend_i32_s (local.get $x))) (local.set $g (f64.convert_i32_s (local.get $y))) (local.set $h (f64.const 1.25))
    (i64.store (i32.const 64) (i64.const 0x0102030405060708)) (i64.store (i32.const 72) (i64.const -5))
    (loop $l
      (local.set $a (i32.shl (local.get $x) (i32.const 5))) (local.set $b (i32.xor (local.get $a) (local.get $y)))
      (local.set $a (i32.rotl (local.get $b) (i32.const 13))) (local.set $b (i32.xor (local.get $b) (local.get $a)))
      (local.set $c (i32.shr_u (local.get $b) (i32.const 7))) (local.set $b (i32.xor (local.get $y) (local.get $c)))
      (local.set $c (i32.mul (local.get $c) (i32.const 0x9e3779b1))) (local.set $c (i32.add (local.get $c) (local.get $c)))
      (local.set $c (i32.mul (local.get $a) (local.get $c))) (local.set $c (i32.add (local.get $y) (local.get $c)))
      (local.set $y (i32.and (i32.shr_u (local.get $c) (i32.const 7)) (i32.const 0xffffff0f)))
      (local.set $f (i64.mul (local.get $e) (i64.extend_i32_s (local.get $c)))) (local.set $acc (i64.add (local.get $f) (local.get $acc)))
      (local.set $g (f64.mul (local.get $g) (local.get $h))) (local.set $h (f64.mul (local.get $g) (f64.const 0.5)))
      (local.set $f (i64.shr_u (local.get $e) (i64.const 33))) (local.set $e (i64.xor (local.get $e) (local.get $f)))
      (local.set $h (f64.mul (local.get $h) (local.get $h))) (local.set $f (i64.load offset=8 (i32.and (local.get $a) (i32.const 56))))
      (local.set $a (i32.shl (i32.and (local.get $b) (i32.const 15)) (i32.const 2))) (local.set $a (i32.load offset=1 (local.get $a)))
      (block $q (local.set $x (i32.add (local.get $x) (i32.const 3))) (br_if $q (local.get $b)) (local.set $y (i32.const 9)))
      (if (i32.and (local.get $b) (i32.const 6)) (then (local.set $y (i32.add (local.get $y) (i32.const 1)))))
      (local.set $x (i32.add (local.get $x) (i32.const -1)))
      (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (loop $m
      (local.set $b (i32.add (local.get $b) (local.get $a)))
      (br_if $m (i64.lt_u (local.tee $k (i64.add (local.get $k) (local.get $one))) (local.get $n64))))
    (local.set $i (i32.shr_u (local.get $t) (i32.const 1)))
    (local.set $g (f64.mul (local.get $g) (local.get $g))) (local.set $e (i64.load (local.get $i)))
    (local.set $c (i32.shl (local.get $t) (i32.const 0))) (local.set $c (i32.load (local.get $c)))
    (i64.add (i64.add (i64.extend_i32_u (local.get $a)) (i64.shl (i64.extend_i32_u (local.get $b)) (i64.const 32)))
      (i64.add (i64.add (i64.add (local.get $e) (local.get $f)) (local.get $acc)) (i64.add (i64.reinterpret_f64 (f64.add (local.get $g) (local.get $h)))
        (i64.extend_i32_s (i32.xor (local.get $c) (local.get $y))))))))`);

test("the op mix's other pairs, in one case or falling through into the second op; results, fuel, every stop and traps in the second half exact", () => {
  const l = listing(PAIRS_MIX);
  for (const name of ["I32_SHL_IMM_THEN_I32_XOR", "I32_ROTL_IMM_THEN_I32_XOR", "I32_SHR_U_IMM_THEN_I32_XOR", "I32_MUL_IMM_THEN_I32_ADD", "F64_MUL2",
    "F64_MUL_THEN_LOAD64", "I32_SHL_IMM_THEN_LOAD32", "I32_ADD_IMM_THEN_ADD_IMM_BR", "I32_ADD_THEN_I64_ADD_BR",
    "I32_ADD_IMM_THEN_BR_IF", "I32_AND_IMM_THEN_BR_UNLESS", "I32_MUL_THEN_I32_ADD", "I32_SHR_U_IMM_THEN_I32_AND_IMM"]) assert.match(l, new RegExp(`${name} `), name);
  check(PAIRS_MIX, [5, 9, 3, 0]);
  check(PAIRS_MIX, [-1, 0x7fffffff, 2, 0]);
  fc.assert(fc.property(fc.integer(), fc.integer(), fc.integer({ min: 0, max: 6 }), (x, y, n) => { check(PAIRS_MIX, [x, y, n, 0], false); }), { numRuns: 100 });
  // a trap in the second half (the i32 load, aligned or not; the 64-bit load): ours counts what Node's instrumented copy counts
  const inst = new WebAssembly.Instance(new WebAssembly.Module(instrumentFuel(PAIRS_MIX, "wasmtime") as Uint8Array<ArrayBuffer>)).exports;
  for (const t of [65534, 65533, 131060, 0x7ffffff0]) {
    const g = inst[FUEL_EXPORT] as WebAssembly.Global;
    g.value = 0n;
    assert.throws(() => (inst.f as Fn)(5, 9, 3, t), (e: unknown) => e instanceof WebAssembly.RuntimeError, `node traps at t = ${t}`);
    const r = ours(PAIRS_MIX, [5, 9, 3, t]);
    assert.is(r.trap, "out-of-bounds-memory-access", `t = ${t}`);
    assert.is(r.used, Number(g.value), `fuel of the trapping call, t = ${t}`);
  }
  resumesAtEveryStop(PAIRS_MIX, [5, 9, 3, 0]);
});

// An f64 greater-than then a br_if on it (translate/opcodes.ts F64_GT_THEN_BR_IF, a pair in one case:
// fft's range reduction `while x > PI { x -= 2 PI }`). The compare is false for NaN either side,
// -0 > 0 is false, and the infinities compare as numbers; the count of loop turns and the reduced
// value reach the result.
const F64_GT_BR_IF = bin(`(module
  (func (export "f") (param $x f64) (param $lim f64) (param $step f64) (result i64) (local $n i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $n) (i32.const 50)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $x (f64.sub (local.get $x) (local.get $step)))
        (br_if $l (f64.gt (local.get $x) (local.get $lim)))))
    (i64.add (i64.extend_i32_u (local.get $n)) (i64.reinterpret_f64 (local.get $x)))))`);

test("an f64 greater-than then br_if fuse into F64_GT_THEN_BR_IF (NaN, infinities, zeros); results, fuel and every stop exact", () => {
  assert.match(listing(F64_GT_BR_IF), /F64_GT_THEN_BR_IF /);
  for (const args of [[20, 3.14, 6.28], [3, 3, 1], [1, 0, 1], [0, -0, 0], [-0, 0, 0], [NaN, 0, 1], [5, NaN, 1], [Infinity, 1, 1], [-Infinity, -Infinity, 0], [1e300, -1e300, 1e299]]) check(F64_GT_BR_IF, args);
  fc.assert(fc.property(fc.double(), fc.double(), fc.double(), (x, lim, step) => { check(F64_GT_BR_IF, [x, lim, step], false); }), { numRuns: 200 });
});

// The pairs of calls and i32 arithmetic chosen at stop 37 (translate/opcodes.ts PAIR_TABLE): a copy
// or an add of a constant (the last argument), then a call (the pair falls through into CALL's case:
// a first call that translates the callee, or value slots that grow, run the call again from its
// own pc, never the first half again); shl by a constant then an add of a constant; an add of a
// constant then an add; an add then an unsigned compare with a constant (fib's own shape). The
// recursion goes ~3,000 deep, past the value slots' first sizes; `$n` aliases the add's source and
// destination before a call.
const CALL_PAIRS = bin(`(module
  (func $fib (param $n i32) (result i32) (local $acc i32) (local $c i32)
    (if (i32.lt_s (local.get $n) (i32.const 2)) (then (return (local.get $n))))
    (loop $l
      (local.set $acc (i32.add (call $fib (i32.add (local.get $n) (i32.const -1))) (local.get $acc)))
      (local.set $c (i32.gt_u (local.get $n) (i32.const 3)))
      (local.set $n (i32.add (local.get $n) (i32.const -2)))
      (br_if $l (local.get $c)))
    (i32.add (local.get $n) (local.get $acc)))
  (func $deep (param $n i32) (param $k i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n)) (then (local.get $k))
      (else (i32.add (i32.const 1) (call $deep (local.tee $n (i32.add (local.get $n) (i32.const -1))) (local.get $n))))))
  (func (export "f") (param $x i32) (param $y i32) (param $d i32) (result i64) (local $a i32) (local $b i32)
    (local.set $a (i32.shl (local.get $x) (i32.const 3))) (local.set $b (i32.add (local.get $a) (i32.const 12)))
    (local.set $a (i32.add (local.get $b) (i32.const -7))) (local.set $b (i32.add (local.get $a) (local.get $b)))
    (local.set $a (i32.add (local.get $a) (local.get $y))) (local.set $b (i32.gt_u (local.get $a) (i32.const 100)))
    (i64.add (i64.extend_i32_u (i32.add (call $fib (i32.and (local.get $x) (i32.const 15))) (i32.add (local.get $a) (local.get $b))))
      (i64.extend_i32_u (call $deep (i32.and (local.get $d) (i32.const 4095)) (local.get $y))))))`);

test("copies and adds before calls, shl + add, add + add, add + gt_u fuse into pairs; deep calls through them, results, fuel and every stop exact", () => {
  const l = listing(CALL_PAIRS);
  for (const name of ["MOV_THEN_CALL", "I32_ADD_IMM_THEN_CALL", "I32_SHL_IMM_THEN_I32_ADD_IMM", "I32_ADD_IMM_THEN_I32_ADD", "I32_ADD_THEN_I32_GT_U_IMM"]) assert.match(l, new RegExp(`${name} `), name);
  check(CALL_PAIRS, [9, 5, 3]);
  check(CALL_PAIRS, [-1, 0x7fffffff, 40], false);
  check(CALL_PAIRS, [12, -3, 3000], false); // deep: the value slots and frames grow inside the call pairs
  fc.assert(fc.property(fc.integer(), fc.integer(), fc.integer({ min: 0, max: 200 }), (x, y, d) => { check(CALL_PAIRS, [x, y, d], false); }), { numRuns: 60 });
  resumesAtEveryStop(CALL_PAIRS, [9, 5, 3], 3);
});

// The pairs of a dot product unrolled by two (matmul's inner loop; stop 38): an add of two slots
// (the element's address, kept in a local for the second load), then a 64-bit load through it
// (I32_ADD_THEN_LOAD64, falling into LOAD64's case: an address past the memory traps there, an
// unaligned one goes out of line); a multiply-add, then an add of its result
// (F64_MUL_ADD_THEN_F64_ADD). The memory holds doubles made from `$x` (NaN, infinities and -0
// among them); `$base` moves the rows, so that the last loads of a call may be unaligned or past
// the end.
const DOT_PAIRS = bin(`(module (memory 1)
  (func (export "f") (param $x f64) (param $y f64) (param $base i32) (param $n i32) (result f64) (local $i i32) (local $k i32) (local $p i32) (local $s f64) (local $t f64)
    (loop $fill
      (f64.store (i32.shl (local.get $i) (i32.const 3)) (f64.mul (local.get $x) (f64.convert_i32_s (i32.sub (local.get $i) (i32.const 7)))))
      (br_if $fill (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 512))))
    (local.set $s (local.get $y))
    (loop $l
      (local.set $t (f64.mul (f64.load offset=8 (local.tee $p (i32.add (local.get $base) (local.get $k)))) (local.get $y)))
      (local.set $s (f64.add (local.get $t) (f64.add (f64.mul (f64.load (local.get $p)) (local.get $x)) (local.get $s))))
      (local.set $k (i32.add (local.get $k) (i32.const 16)))
      (br_if $l (i32.gt_s (local.tee $n (i32.add (local.get $n) (i32.const -1))) (i32.const 0))))
    (local.get $s)))`);

test("an add before a 64-bit load and a multiply-add before an add fuse into pairs (a dot product); results, fuel, every stop and traps in the load exact", () => {
  const l = listing(DOT_PAIRS);
  for (const name of ["I32_ADD_THEN_LOAD64", "F64_MUL_ADD_THEN_F64_ADD"]) assert.match(l, new RegExp(`${name} `), name);
  for (const args of [[1.5, 0.25, 0, 8], [-2, 3, 24, 30], [NaN, 1, 8, 4], [Infinity, -1, 0, 5], [-0, 0, 16, 3], [1e308, 1e308, 0, 6], [3, 7, 5, 12]]) check(DOT_PAIRS, args);
  fc.assert(fc.property(fc.double(), fc.double(), fc.integer({ min: 0, max: 4096 }), fc.integer({ min: 1, max: 40 }), (x, y, base, n) => { check(DOT_PAIRS, [x, y, base, n], false); }), { numRuns: 150 });
  // the load half traps (past the end of the memory, aligned or not): ours counts what Node's instrumented copy counts
  const inst = new WebAssembly.Instance(new WebAssembly.Module(instrumentFuel(DOT_PAIRS, "wasmtime") as Uint8Array<ArrayBuffer>)).exports;
  for (const [base, n] of [[65536 - 48, 5], [65536 - 47, 9], [65528, 1], [-16, 2], [0x7ffffff0, 1]]) {
    const g = inst[FUEL_EXPORT] as WebAssembly.Global;
    g.value = 0n;
    assert.throws(() => (inst.f as Fn)(2, 3, base, n), (e: unknown) => e instanceof WebAssembly.RuntimeError, `node traps at base = ${base}`);
    const r = ours(DOT_PAIRS, [2, 3, base, n]);
    assert.is(r.trap, "out-of-bounds-memory-access", `base = ${base}`);
    assert.is(r.used, Number(g.value), `fuel of the trapping call, base = ${base}`);
  }
  resumesAtEveryStop(DOT_PAIRS, [1.5, 0.25, 40, 6], 7);
});

// Fuel blocks through labels (stop 39): a label that control falls into from a plain op (a loop
// header after the entry's ops, the end of a block after a store) stays inside the fuel block,
// with no op of its own; a branch to it charges the rest of the block from there. The end of the
// `if` follows a `local.set` that retargeted the xor (its cost is pending there), so it keeps an
// ENTER carrying that cost, which a branch to the label must not pay. Traps after the labels (a
// division by zero, a load past the end of the memory) give back what was charged for the ops
// after them, as the instrumented count says; every budget stops exactly and resumes to the same
// result.
const FALLEN_INTO = bin(`(module (memory 1)
  (func (export "f") (param $x i32) (param $y i32) (result i32) (local $i i32) (local $s i32)
    (local.set $s (i32.add (local.get $x) (i32.const 1)))
    (loop $l
      (local.set $s (i32.add (local.get $s) (local.get $i)))
      (block $skip
        (br_if $skip (i32.and (local.get $i) (i32.const 1)))
        (i32.store (i32.and (local.get $i) (i32.const 255)) (local.get $s)))
      (if (i32.gt_u (local.get $i) (i32.const 5)) (then (local.set $s (i32.xor (local.get $s) (local.get $y)))))
      (local.set $s (i32.add (local.get $s) (i32.div_u (local.get $s) (local.get $y))))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $x) (local.get $i)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 12))))
    (local.get $s)))`);

test("labels fallen into stay inside their fuel block (an ENTER only where fuel is pending); results, fuel, every stop and traps after them exact", () => {
  const l = listing(FALLEN_INTO);
  assert.equal(l.match(/ENTER +1 /g), ["ENTER              1 "], "one ENTER, carrying the pending local.set before the end of the if: " + l);
  for (const args of [[0, 3], [100, 1], [7, 0x7fffffff], [4096, 17], [3, -1]]) check(FALLEN_INTO, args);
  fc.assert(fc.property(fc.integer({ min: 0, max: 65000 }), fc.integer({ min: 1, max: 0x7fffffff }), (x, y) => { check(FALLEN_INTO, [x, y], false); }), { numRuns: 100 });
  // traps after the labels: y = 0 divides by zero in the first iteration; x near the end loads past it in a later one
  const inst = new WebAssembly.Instance(new WebAssembly.Module(instrumentFuel(FALLEN_INTO, "wasmtime") as Uint8Array<ArrayBuffer>)).exports;
  for (const [x, y, trap] of [[5, 0, "integer-divide-by-zero"], [65536 - 8, 3, "out-of-bounds-memory-access"], [65536 - 4, 0x10001, "out-of-bounds-memory-access"], [-1, 9, "out-of-bounds-memory-access"]] as const) {
    const g = inst[FUEL_EXPORT] as WebAssembly.Global;
    g.value = 0n;
    assert.throws(() => (inst.f as Fn)(x, y), (e: unknown) => e instanceof WebAssembly.RuntimeError, `node traps at x = ${x}, y = ${y}`);
    const r = ours(FALLEN_INTO, [x, y]);
    assert.is(r.trap, trap, `x = ${x}, y = ${y}`);
    assert.is(r.used, Number(g.value), `fuel of the trapping call, x = ${x}, y = ${y}`);
  }
  resumesAtEveryStop(FALLEN_INTO, [11, 5]);
});

test.run();
