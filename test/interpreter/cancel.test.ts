// Cooperative cancellation (issue 3): a flag set from a worker thread stops a synchronous
// `(loop br 0)`; a deadline stops a spin; a pre-aborted signal runs no instruction; a timer abort
// stops an async run; an exponential call tree without loops (function-entry checks) is
// interrupted; the instance is poisoned afterwards. Prints the measured latency.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store, call, callAsync } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const module = new Module(wabt.parseWat("t.wat", `(module
  (func (export "spin") (loop $l (br $l)))
  (func (export "count") (param i32) (result i32) (local i32)
    (loop $l (br_if $l (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0)))) (local.get 1))
  (func $tree (export "tree") (param i32)
    (if (local.get 0) (then (call $tree (i32.sub (local.get 0) (i32.const 1))) (call $tree (i32.sub (local.get 0) (i32.const 1)))))))`, {}).toBinary({}).buffer);
type Fn = (...a: unknown[]) => unknown;

function interrupted(f: () => unknown): RuntimeError {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeError && e.trap === "interrupted") return e;
    throw e;
  }
  throw new Error("expected an interrupted trap, the call returned");
}

test("a SharedArrayBuffer flag set by a worker thread stops a synchronous (loop br 0)", async () => {
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const stamp = new Float64Array(new SharedArrayBuffer(8));
  const store = new Store({ fuel: Number.MAX_SAFE_INTEGER, cancellation: { flag } });
  const spin = new Instance(module, {}, { store }).exports.spin as Fn;
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     const flag = new Int32Array(workerData.flag), stamp = new Float64Array(workerData.stamp);
     setTimeout(() => { stamp[0] = Date.now(); Atomics.store(flag, 0, 1); }, 60);`,
    { eval: true, workerData: { flag: flag.buffer, stamp: stamp.buffer } },
  );
  await new Promise((r) => worker.once("online", r));
  const e = interrupted(() => spin());
  const latencyMs = Date.now() - stamp[0]!;
  await worker.terminate();
  assert.match(e.message, "flag");
  assert.ok(stamp[0]! > 0, "worker never set the flag");
  // generous bound: the machine may be loaded; the guarantee is in check points (next tests)
  assert.ok(latencyMs < 1000, `latency ${latencyMs} ms`);
  console.log(`# cancellation latency (worker flag, default interval): ${latencyMs} ms, ${store.fuelConsumed} instructions run`);
});

test("a wall-clock deadline stops a spin", () => {
  const store = new Store({ cancellation: { timeoutMs: 30 } });
  const spin = new Instance(module, {}, { store }).exports.spin as Fn;
  const t0 = performance.now();
  const e = interrupted(() => spin());
  const ms = performance.now() - t0;
  assert.match(e.message, "deadline");
  assert.ok(ms >= 29 && ms < 2000, `stopped after ${ms} ms`);
});

test("a pre-aborted signal runs no instruction (sync and async)", async () => {
  const ac = new AbortController();
  ac.abort("stop");
  const store = new Store({ fuel: 1000, cancellation: { signal: ac.signal } });
  const count = new Instance(module, {}, { store }).exports.count as Fn;
  interrupted(() => count(10));
  assert.is(store.fuelConsumed, 0);
  const store2 = new Store({ fuel: 1000 });
  const count2 = new Instance(module, {}, { store: store2 }).exports.count as Fn;
  try {
    await callAsync(count2, [10], { signal: ac.signal });
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).trap, "interrupted");
  }
  assert.is(store2.fuelConsumed, 0);
});

test("an AbortController aborted by a timer stops an async run on the same thread", async () => {
  const store = new Store({ fuel: Number.MAX_SAFE_INTEGER });
  const spin = new Instance(module, {}, { store }).exports.spin as Fn;
  const ac = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ac.abort(), 30);
  try {
    await callAsync(spin, [], { signal: ac.signal, sliceSteps: 20000 });
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).trap, "interrupted");
  }
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `stopped after ${ms} ms`);
  console.log(`# async abort latency: ${(ms - 30).toFixed(1)} ms after the timer`);
});

test("an exponential call tree (no loops) is interrupted at function entries", () => {
  let polls = 0;
  const store = new Store({ cancellation: { checkInterval: 1000, callback: () => (++polls >= 5 ? "enough" : undefined) } });
  const tree = new Instance(module, {}, { store }).exports.tree as Fn;
  const e = interrupted(() => tree(60));
  assert.is(e.reason, "enough");
  assert.is(polls, 5);
  assert.ok(store.fuelConsumed < 5 * 1000 * 20, `${store.fuelConsumed} instructions`);
});

test("bounded latency: interrupted within checkInterval check points of the source firing", () => {
  for (const interval of [1, 10, 1000]) {
    let fire = false;
    const store = new Store({ fuel: 1e12, cancellation: { checkInterval: interval, callback: () => fire } });
    const count = new Instance(module, {}, { store }).exports.count as Fn;
    // a first call with the source quiet runs to completion
    assert.is(count(5000), 5000);
    fire = true;
    const before = store.fuelConsumed;
    interrupted(() => count(1_000_000));
    // each iteration is one taken branch (one check point) costing 5 fuel
    const iterations = (store.fuelConsumed - before) / 5;
    assert.ok(iterations <= interval + 1, `interval ${interval}: ran ${iterations} iterations`);
  }
});

test("cancellation is polled before bulk operations", () => {
  const m = new Module(wabt.parseWat("b.wat", `(module (memory 1) (func (export "fill") (loop $l (memory.fill (i32.const 0) (i32.const 1) (i32.const 65536)) (br $l))))`, { bulk_memory: true }).toBinary({}).buffer);
  let polls = 0;
  const store = new Store({ cancellation: { checkInterval: 100, callback: () => ++polls > 3 } });
  const fill = new Instance(m, {}, { store }).exports.fill as Fn;
  interrupted(() => fill());
  // each fill of 64 KiB counts 17 check points: the sources are polled every ~6 iterations
  assert.is(polls, 4);
  assert.ok(store.fuelConsumed < 30 * 65536, `${store.fuelConsumed} fuel`);
});

test("per-call cancellation options and poisoning after an interrupt", () => {
  const store = new Store();
  const inst = new Instance(module, {}, { store });
  const spin = inst.exports.spin as Fn;
  const count = inst.exports.count as Fn;
  interrupted(() => call(spin, [], { cancellation: { timeoutMs: 5 } }));
  const e = interrupted(() => count(3));
  assert.match(e.message, "interrupted earlier");
  // other instances of the same module are unaffected
  assert.is((new Instance(module, {}, { store }).exports.count as Fn)(3), 3);
});

test.run();
