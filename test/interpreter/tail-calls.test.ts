// Tail calls (issue 12 step 3, Wasm 3.0 `return_call` / `return_call_indirect`): a tail call
// replaces the caller's frame, so a chain of any length runs in a constant number of frames
// (checked against a call-depth limit far below the chain's length) and a constant JS stack; fuel
// is exact (the "instructions" preset counts one per executed instruction and one per function
// entry, a tail-called one included; computed by hand here),
// an out-of-fuel stop inside a chain resumes to the same result and total; async slices suspend
// and resume at a callee's entry; tail calls across instances come back to the caller's instance;
// a host function as the target returns its results; the traps of `return_call_indirect`; and
// validation of the callee's result types.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompileError, Instance, Module, RuntimeError, Store, call, callAsync, callResumable } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const wat = (src: string): Module => new Module(wabt.parseWat("t.wat", src, { tail_call: true }).toBinary({}).buffer);
type Fn = (...a: unknown[]) => unknown;

const counting = wat(`(module
  (type $ii (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $count $odd)
  (global $g (export "g") (mut i32) (i32.const 0))
  ;; count(n) = 7 when n = 0, else count(n - 1): 7 instructions per step, 4 for the last one
  (func $count (export "count") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
      (else (return_call $count (i32.sub (local.get 0) (i32.const 1))))))
  ;; the same with a plain call: every step keeps its frame
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 7))
      (else (call $deep (i32.sub (local.get 0) (i32.const 1))))))
  ;; mutual recursion through the table
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call_indirect (type $ii) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
  (func $odd (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even (i32.sub (local.get 0) (i32.const 1))))))
  ;; i64 and f64 parameters move to the frame base with their full width
  (func $mix (export "mix") (param i64 f64 i32) (result f64)
    (if (result f64) (i32.eqz (local.get 2)) (then (f64.add (f64.convert_i64_s (local.get 0)) (local.get 1)))
      (else (return_call $mix (i64.add (local.get 0) (i64.const 0x100000000)) (f64.mul (local.get 1) (f64.const 0.5)) (i32.sub (local.get 2) (i32.const 1))))))
  (func (export "bad_index") (result i32) (return_call_indirect (type $ii) (i32.const 0) (i32.const 5)))
  (func (export "bad_type") (result i64) (return_call_indirect (result i64) (i32.const 0)))
)`);

const shallow = (): Store => new Store({ limits: { maxCallDepth: 40 } });

test("a chain of a million tail calls runs in a constant number of frames", () => {
  const e = new Instance(counting, {}, { store: shallow() }).exports as Record<string, Fn>;
  assert.is(e.count!(1_000_000), 7);
  assert.is(e.even!(1_000_001), 0);
  assert.is(e.even!(1_000_000), 1);
  // the same depth with a plain call exceeds the limit of 40 frames
  assert.throws(() => e.deep!(1000), (x: unknown) => x instanceof RuntimeError && x.trap === "call-stack-exhausted");
  assert.is(e.deep!(30), 7);
});

test("parameters of every width reach the callee intact", () => {
  const e = new Instance(counting, {}, { store: shallow() }).exports as Record<string, Fn>;
  // after 3 steps: i64 = 1 + 3 * 2^32, f64 = 10 / 8
  assert.is(e.mix!(1n, 10, 3), 1 + 3 * 2 ** 32 + 1.25);
});

test("fuel is exact: 7 instructions + 1 function entry per step, 4 + 1 for the last, with return_call and with call alike", () => {
  for (const n of [0, 1, 2, 25, 1000]) {
    const store = new Store({ fuel: 1e9, costs: "instructions" });
    const e = new Instance(counting, {}, { store }).exports as Record<string, Fn>;
    const before = store.fuelConsumed;
    assert.is(e.count!(n), 7);
    assert.is(store.fuelConsumed - before, 8 * n + 5, `count(${n})`);
    if (n <= 25) {
      const s2 = new Store({ fuel: 1e9, costs: "instructions" });
      const e2 = new Instance(counting, {}, { store: s2 }).exports as Record<string, Fn>;
      assert.is(e2.deep!(n), 7);
      assert.is(s2.fuelConsumed, 8 * n + 5, `deep(${n})`);
    }
  }
});

test("an out-of-fuel stop inside a tail-call chain resumes to the same result and fuel", () => {
  for (const budget of [1, 6, 7, 8, 50, 333]) {
    const store = new Store({ fuel: budget, costs: "instructions" });
    const e = new Instance(counting, {}, { store }).exports as Record<string, Fn>;
    const c = callResumable(e.even as never, [501]);
    let stops = 0;
    while (c.state === "out-of-fuel") {
      stops++;
      store.setFuel(budget);
      c.resume();
    }
    assert.is(c.results, 0);
    assert.ok(stops > 0);
    const plain = new Store({ fuel: 1e9, costs: "instructions" });
    const p = new Instance(counting, {}, { store: plain }).exports as Record<string, Fn>;
    assert.is(p.even!(501), 0);
    assert.is(store.fuelConsumed, plain.fuelConsumed, `budget ${budget}`);
  }
});

test("async slices suspend and resume inside a tail-call chain", async () => {
  const e = new Instance(counting, {}, { store: shallow() }).exports as Record<string, Fn>;
  assert.is(await callAsync(e.even as never, [200_001], { sliceSteps: 7 }), 0);
  assert.is(await callAsync(e.count as never, [100_000], { sliceSteps: 3 }), 7);
});

test("return_call_indirect traps like call_indirect", () => {
  const e = new Instance(counting, {}, { store: shallow() }).exports as Record<string, Fn>;
  assert.throws(() => e.bad_index!(), (x: unknown) => x instanceof RuntimeError && x.trap === "undefined-element");
  assert.throws(() => e.bad_type!(), (x: unknown) => x instanceof RuntimeError && x.trap === "indirect-call-type-mismatch");
});

test("tail calls across instances and to host functions come back to the caller's instance", () => {
  // A: ping(n) tail-calls B's pong(n - 1); B: pong(n) tail-calls A's ping(n - 1) (an import each way
  // through a table B fills later); each side reads its own global after the chain returns.
  const a = wat(`(module
    (import "b" "pong" (func $pong (param i32) (result i32)))
    (import "h" "host" (func $host (param i32) (result i32)))
    (global $mine (mut i32) (i32.const 100))
    (func $ping (export "ping") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (global.get $mine))
        (else (return_call $pong (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "viaHost") (param i32) (result i32) (return_call $host (local.get 0)))
    (func (export "around") (param i32) (result i32)
      (i32.add (call $ping (local.get 0)) (global.get $mine))))`);
  const b = wat(`(module
    (type $ii (func (param i32) (result i32)))
    (table (export "t") 1 funcref)
    (global $mine (mut i32) (i32.const 200))
    (func (export "pong") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (global.get $mine))
        (else (return_call_indirect (type $ii) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0))))))`);
  const store = shallow();
  const bi = new Instance(b, {}, { store });
  const ai = new Instance(a, { b: { pong: bi.exports.pong }, h: { host: (x: number) => x * 3 } }, { store });
  (bi.exports.t as WebAssembly.Table).set(0, ai.exports.ping as never);
  const ping = ai.exports.ping as Fn;
  assert.is(ping(0), 100);
  assert.is(ping(1), 200);
  assert.is(ping(100_000), 100); // even: ends in A
  assert.is(ping(100_001), 200); // odd: ends in B
  assert.is((ai.exports.around as Fn)(50_001), 300); // B's 200, then A's own global
  assert.is((ai.exports.viaHost as Fn)(14), 42);
  assert.is(call(ai.exports.around as never, [3]), 300);
});

test("validation: the callee must return the function's result types", () => {
  const bytes = wabt.parseWat("t.wat", `(module
    (func $f (result i64) (i64.const 1))
    (func (result i32) (return_call $f)))`, { tail_call: true }).toBinary({}).buffer;
  assert.throws(() => new Module(bytes), (x: unknown) => x instanceof CompileError && /return_call/.test(x.message));
});

test.run();
