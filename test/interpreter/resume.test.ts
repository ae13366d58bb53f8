// Resumable execution (issue 3): a call that runs out of fuel stops at the exact instruction and,
// after store.setFuel, continues; the final result and the total fuel equal an uninterrupted run
// (property over random budgets). Async calls in slices give the same results and fuel as sync.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Instance, Module, RuntimeError, Store, callAsync, callResumable } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const module = new Module(wabt.parseWat("t.wat", `(module
  (import "h" "mix" (func $mix (param i32) (result i32)))
  (memory (export "mem") 1)
  (global $acc (mut i64) (i64.const 0))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $fib (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "work") (param i32) (result i64) (local i32 i32)
    (loop $l
      (local.set 2 (i32.add (call $sq (local.get 1)) (call $fib (i32.rem_u (local.get 1) (i32.const 9)))))
      (i32.store (i32.shl (local.get 1) (i32.const 2)) (call $mix (local.get 2)))
      (memory.fill (i32.const 1024) (local.get 1) (i32.const 40))
      (memory.copy (i32.const 2048) (i32.const 1020) (i32.const 30))
      (global.set $acc (i64.add (global.get $acc) (i64.extend_i32_u (i32.load (i32.const 2060)))))
      (global.set $acc (i64.add (global.get $acc) (i64.extend_i32_u (local.get 2))))
      (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
    (global.get $acc)))`, { bulk_memory: true }).toBinary({}).buffer);

const imports = { h: { mix: (x: number) => (Math.imul(x, 2654435761) ^ (x >>> 7)) | 0 } };
type Fn = (...a: unknown[]) => unknown;

function fresh(fuel: number): { store: Store; work: Fn; mem: () => Uint8Array } {
  const store = new Store({ fuel });
  const inst = new Instance(module, imports, { store });
  return { store, work: inst.exports.work as Fn, mem: () => new Uint8Array((inst.exports.mem as { buffer: ArrayBuffer }).buffer) };
}

const N = 25;
const ref = fresh(1e12);
const expected = ref.work(N);
const total = ref.store.fuelConsumed;
const refMem = ref.mem().slice();

test("reference run is deterministic", () => {
  const again = fresh(1e12);
  assert.is(again.work(N), expected);
  assert.is(again.store.fuelConsumed, total);
});

test("resume after out-of-fuel: same result, same total fuel, same memory (random budgets)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 400 }), (chunk) => {
      const r = fresh(chunk);
      const call = callResumable(r.work, [N]);
      let stops = 0;
      while (call.state === "out-of-fuel") {
        stops++;
        assert.ok(call.required > r.store.getFuel(), "stopped although the instruction fit");
        r.store.setFuel(Math.max(chunk, call.required));
        call.resume();
      }
      assert.is(call.results, expected);
      assert.is(r.store.fuelConsumed, total);
      assert.equal(r.mem(), refMem);
      assert.ok(stops >= Math.floor(total / Math.max(chunk, 40)) - 1);
    }),
    { numRuns: 60 },
  );
});

test("resume with budgets of 1 (every instruction a stop) still matches", () => {
  const r = fresh(1);
  const call = callResumable(r.work, [3]);
  const small = fresh(1e9);
  const want = small.work(3);
  let stops = 0;
  while (call.state === "out-of-fuel") {
    stops++;
    r.store.setFuel(call.required);
    call.resume();
  }
  assert.is(call.results, want);
  assert.is(r.store.fuelConsumed, small.store.fuelConsumed);
  assert.ok(stops > 100);
});

test("a synchronous call out of fuel throws out-of-fuel with required", () => {
  const r = fresh(100);
  assert.throws(() => r.work(N), (e: unknown) => e instanceof RuntimeError && e.trap === "out-of-fuel" && (e.required ?? 0) > 0);
  assert.is(r.store.fuelConsumed + r.store.getFuel(), 100);
});

test("async slices: same results and fuel as a sync run, for several slice sizes", async () => {
  for (const sliceSteps of [1, 7, 100, 100000]) {
    const r = fresh(1e12);
    const got = await callAsync(r.work, [N], { sliceSteps });
    assert.is(got, expected);
    assert.is(r.store.fuelConsumed, total);
    assert.equal(r.mem(), refMem);
  }
});

test("async call yields to the event loop between slices", async () => {
  const r = fresh(1e12);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  await callAsync(r.work, [400], { sliceSteps: 50 });
  clearInterval(timer);
  assert.ok(ticks > 0, "no timer ran during the async call");
});

test("resume and async slices across instances (calls into another module's functions)", async () => {
  const libBytes = wabt.parseWat("lib.wat", `(module (memory (export "m") 1)
    (func (export "step") (param i32) (result i32) (local i32)
      (loop $l (local.set 1 (i32.add (local.get 1) (i32.load8_u (local.get 0))))
        (i32.store8 (local.get 0) (i32.add (local.get 1) (i32.const 3)))
        (br_if $l (i32.and (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 7))))
      (local.get 1)))`, {}).toBinary({}).buffer;
  const appBytes = wabt.parseWat("app.wat", `(module (import "lib" "step" (func $step (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (local i32 i32)
      (loop $l (local.set 2 (i32.add (local.get 2) (call $step (local.get 1))))
        (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 8))) (local.get 0))))
      (local.get 2)))`, {}).toBinary({}).buffer;
  const lib = new Module(libBytes), app = new Module(appBytes);
  const make = (fuel: number) => {
    const store = new Store({ fuel });
    const l = new Instance(lib, {}, { store });
    const a = new Instance(app, { lib: { step: l.exports.step } }, { store });
    return { store, run: a.exports.run as Fn, mem: () => new Uint8Array((l.exports.m as { buffer: ArrayBuffer }).buffer).slice(0, 2048) };
  };
  const ref = make(1e12);
  const want = ref.run(1600);
  const wantMem = ref.mem();
  const total = ref.store.fuelConsumed;
  for (const chunk of [1, 3, 17, 250]) {
    const r = make(chunk);
    const c = callResumable(r.run, [1600]);
    while (c.state === "out-of-fuel") {
      r.store.setFuel(chunk);
      c.resume();
    }
    assert.is(c.results, want);
    assert.is(r.store.fuelConsumed, total);
    assert.equal(r.mem(), wantMem);
  }
  for (const sliceSteps of [1, 5, 1000]) {
    const r = make(1e12);
    assert.is(await callAsync(r.run, [1600], { sliceSteps }), want);
    assert.is(r.store.fuelConsumed, total);
    assert.equal(r.mem(), wantMem);
  }
});

test.run();
