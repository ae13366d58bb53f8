// The dispatch loop's reload (execute/loop.ts, SLOW_RELOAD): one run of the loop holds its views
// (the instance, its code arrays, value slots, frames) as constants, and whatever replaces one ends
// that run and starts another from the saved registers; the memory views are read again in place. Each way there is checked against
// Node's WebAssembly (results, memory) and the independent instrumented fuel count, with budgets
// that stop the call around the reloads (out of fuel exactly there, then resumed to the same end):
// first calls whose translation replaces the code arrays, value slots and frames grown in the middle
// of a call, a memory grown by the guest and by a host function, and calls into another instance
// and back (direct, indirect, tail calls).
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store, callResumable } from "../../interpreter/index.js";
import { decodeModule } from "../../interpreter/decode/index.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";
import { FUEL_EXPORT, instrumentFuel } from "../tools/fuel-instrument.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { tail_call: true }).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

/** Many functions with long bodies, called one after the other: their first calls grow the code arrays. */
function manyFunctions(n: number): Uint8Array {
  const funcs: string[] = [];
  for (let k = 0; k < n; k++) {
    let body = "(local.get 0)";
    for (let i = 0; i < 40; i++) body = `(i32.xor (i32.add ${body} (i32.const ${k * 40 + i})) (i32.shl (local.get 0) (i32.const ${i % 31})))`;
    funcs.push(`(func $f${k} (param i32) (result i32) ${body})`);
  }
  const calls = Array.from({ length: n }, (_, k) => `(local.set 1 (call $f${k} (i32.add (local.get 1) (local.get 0))))`).join(" ");
  return bin(`(module ${funcs.join("\n")}
    (func (export "f") (param i32) (result i32) (local i32) ${calls} (local.get 1)))`);
}

/** Deep recursion through a frame of many locals: the value slots and the frame stack grow mid-call. */
const DEEP = bin(`(module
  (func $r (param $n i32) (result i64) (local $a i64) (local $b i64) (local $c i64) (local $d i64)
    ${Array.from({ length: 120 }, (_, i) => `(local $x${i} i64)`).join(" ")}
    (local.set $x7 (i64.extend_i32_u (local.get $n)))
    (if (result i64) (i32.eqz (local.get $n)) (then (i64.const 1))
      (else (i64.add (i64.mul (call $r (i32.sub (local.get $n) (i32.const 1))) (i64.const 3)) (local.get $x7)))))
  (func (export "f") (param i32) (result i64) (call $r (local.get 0))))`);

/** memory.grow in the guest, and a host function that grows the memory too; the new pages are used. */
const GROW = bin(`(module
  (import "h" "grow" (func $grow (param i32) (result i32)))
  (memory (export "mem") 1)
  (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32) (local $top i32)
    (loop $l
      (local.set $top (i32.mul (i32.add
        (if (result i32) (i32.and (local.get $i) (i32.const 1)) (then (call $grow (i32.const 1))) (else (memory.grow (i32.const 1))))
        (i32.const 1)) (i32.const 65536)))
      (i32.store (i32.sub (local.get $top) (i32.const 4)) (i32.add (local.get $i) (i32.const 100)))
      (local.set $s (i32.add (local.get $s) (i32.load (i32.sub (local.get $top) (i32.const 4)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`);

/** Two instances calling each other: direct, through a shared table, and by tail calls. */
const LIB = bin(`(module
  (import "m" "back" (func $back (param i32) (result i32)))
  (table (export "t") 2 funcref)
  (elem (i32.const 0) $twice $down)
  (type $ii (func (param i32) (result i32)))
  (func $twice (export "twice") (param i32) (result i32) (i32.add (call $back (local.get 0)) (local.get 0)))
  (func $down (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
      (else (return_call $back (i32.sub (local.get 0) (i32.const 1)))))))`);
const MAIN = bin(`(module
  (import "lib" "twice" (func $twice (param i32) (result i32)))
  (import "lib" "t" (table 2 funcref))
  (type $ii (func (param i32) (result i32)))
  (func $back (export "back") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (i32.add (local.get 0) (i32.const 5)))
      (else (return_call_indirect (type $ii) (i32.shr_u (local.get 0) (i32.const 1)) (i32.and (local.get 0) (i32.const 1))))))
  (func (export "f") (param $n i32) (result i32) (local $i i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call $twice (local.get $i))))
      (local.set $s (i32.add (local.get $s) (call_indirect (type $ii) (local.get $i) (i32.const 1))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $s)))`);

interface Outcome {
  result: unknown;
  fuel: number;
}

/** Node (with the fuel-instrumented modules): the result and the total count over every instance. */
function oracle(name: string, arg: number): Outcome {
  const fuelOf: WebAssembly.Global[] = [];
  const inst = (bytes: Uint8Array, imports: WebAssembly.Imports): WebAssembly.Exports => {
    const e = new WebAssembly.Instance(new WebAssembly.Module(instrumentFuel(bytes, "wasmtime") as Uint8Array<ArrayBuffer>), imports).exports;
    (e[FUEL_EXPORT] as WebAssembly.Global).value = 0n;
    fuelOf.push(e[FUEL_EXPORT] as WebAssembly.Global);
    return e;
  };
  let f: Fn;
  if (name === "cross") {
    let main: WebAssembly.Exports | undefined;
    const lib = inst(LIB, { m: { back: (x: number) => (main!.back as Fn)(x) } });
    main = inst(MAIN, { lib: { twice: lib.twice!, t: lib.t! } });
    f = main.f as Fn;
  } else if (name === "grow") {
    let e: WebAssembly.Exports | undefined;
    e = inst(GROW, { h: { grow: (n: number) => (e!.mem as WebAssembly.Memory).grow(n) } });
    f = e.f as Fn;
  } else f = inst(name === "deep" ? DEEP : manyFunctions(60), {}).f as Fn;
  const result = f(arg);
  return { result, fuel: fuelOf.reduce((s, g) => s + Number(g.value), 0) };
}

/** Ours in a store of `budget` fuel: the call (resumable), its store. */
function ours(name: string, arg: number, budget: number) {
  const store = new Store({ fuel: budget, costs: "wasmtime" });
  let f: Fn;
  if (name === "cross") {
    let main: Record<string, unknown> | undefined;
    const lib = new Instance(new Module(LIB), { m: { back: (x: number) => (main!.back as Fn)(x) } }, { store }).exports;
    main = new Instance(new Module(MAIN), { lib: { twice: lib.twice, t: lib.t } }, { store }).exports;
    f = main.f as Fn;
  } else if (name === "grow") {
    let e: Record<string, unknown> | undefined;
    e = new Instance(new Module(GROW), { h: { grow: (n: number) => (e!.mem as { grow(n: number): number }).grow(n) } }, { store }).exports;
    f = e.f as Fn;
  } else f = new Instance(new Module(name === "deep" ? DEEP : manyFunctions(60)), {}, { store }).exports.f as Fn;
  return { call: callResumable(f as (...a: never[]) => unknown, [arg]), store };
}

const CASES: [name: string, arg: number, what: string][] = [
  ["many", 3, "first calls that replace the code arrays"],
  ["deep", 400, "value slots and frames grown in the middle of a call"],
  ["grow", 12, "a memory grown by the guest and by a host function"],
];

test("the code arrays of the many-functions module are replaced several times as its functions are first called", () => {
  const cm = translateModule(decodeModule(manyFunctions(60)), resolveCosts("wasmtime"));
  assert.ok(cm.code.length > 8 * 1024, `translated code of ${cm.code.length} words (the arrays start at 1,024 and double)`);
});

for (const [name, arg, what] of CASES) {
  test(`reload: ${what} — result and fuel as Node's, stops around them exact, resumed to the same end`, () => {
    const o = oracle(name, arg);
    const full = ours(name, arg, 1e12);
    assert.is(full.call.state, "finished");
    assert.is(full.call.results, o.result, "result");
    assert.is(full.store.fuelConsumed, o.fuel, "fuel");
    // budgets through the whole run (every 97th unit, and the last ones)
    const budgets = new Set<number>();
    for (let b = 0; b < o.fuel; b += Math.max(1, Math.floor(o.fuel / 97))) budgets.add(b);
    for (let b = Math.max(0, o.fuel - 5); b <= o.fuel; b++) budgets.add(b);
    for (const b of budgets) {
      const r = ours(name, arg, b);
      if (b >= o.fuel) {
        assert.is(r.call.state, "finished", `budget ${b}`);
        continue;
      }
      assert.is(r.call.state, "out-of-fuel", `budget ${b} of ${o.fuel}`);
      assert.is(r.store.fuelConsumed + r.store.getFuel(), b, `budget ${b}: used + left`);
      r.store.setFuel(1e12);
      r.call.resume();
      assert.is(r.call.state, "finished", `budget ${b}: resumed`);
      assert.is(r.call.results, o.result, `budget ${b}: resumed result`);
      assert.is(r.store.fuelConsumed, o.fuel, `budget ${b}: resumed total`);
    }
  });
}

test("reload: calls into another instance and back (direct, table, tail calls) — results and fuel as Node's", () => {
  for (const n of [1, 5, 40]) {
    const o = oracle("cross", n);
    const r = ours("cross", n, 1e12);
    assert.is(r.call.state, "finished");
    assert.is(r.call.results, o.result, `n ${n}: result`);
    assert.is(r.store.fuelConsumed, o.fuel, `n ${n}: fuel`);
  }
});

test("reload: a trap after a reload is reported with the fuel up to the trapping instruction", () => {
  // value slots grown by recursion, then the recursion runs out of its limit: a trap, not a reload
  const store = new Store({ fuel: 1e12, limits: { maxCallDepth: 200 } });
  const f = new Instance(new Module(DEEP), {}, { store }).exports.f as Fn;
  try {
    f(400);
    assert.unreachable("the call depth limit traps");
  } catch (e) {
    assert.instance(e, RuntimeError);
    assert.is((e as RuntimeError).trap, "call-stack-exhausted");
  }
  assert.is(f(150), oracle("deep", 150).result, "the store runs the next call normally");
});

test.run();
