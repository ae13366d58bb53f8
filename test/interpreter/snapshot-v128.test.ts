/**
 * v128 values in snapshots (issue 12, SIMD): an instance snapshot captures and restores v128
 * globals (their four words), a call snapshot of a function with v128 locals restores to the same
 * result and fuel, the inspector shows every local at its own slots (a v128 takes two), and a
 * damaged v128 global in a snapshot is refused with SnapshotError.
 */
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, SnapshotError, Store, callResumable, inspectCallSnapshot, restoreInstances, snapshotInstances } from "../../interpreter/index.js";
import { captureCall, readEnvelope, restoreCall } from "../../interpreter/execute/call-snapshot.js";
import { instanceRuntimeOf } from "../../interpreter/js-api/instance.js";
import { readJsResults } from "../../interpreter/js-api/functions.js";
import { withBody } from "../helpers/snapshot-body.js";

type Wabt = { parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } };
const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<Wabt>)();
const bin = (src: string): Uint8Array<ArrayBuffer> => wabt.parseWat("t.wat", src, { simd: true, multi_value: true }).toBinary({}).buffer as Uint8Array<ArrayBuffer>;
type Fn = (...a: unknown[]) => unknown;

const GLOBALS = bin(`(module
  (global $k v128 (v128.const i32x4 1 2 3 4))
  (global $g (mut v128) (v128.const i32x4 0 0 0 0))
  (global $n (mut i64) (i64.const 0))
  (func $start
    (global.set $g (i32x4.add (global.get $k) (v128.const i32x4 0x10000000 0x20000000 0x30000000 0x40000000)))
    (global.set $n (i64.const -5)))
  (start $start)
  (func (export "read") (result i64 i64 i64)
    (i64x2.extract_lane 0 (global.get $g)) (i64x2.extract_lane 1 (global.get $g)) (global.get $n)))`);

test("an instance snapshot captures and restores v128 globals", () => {
  const module = new Module(GLOBALS);
  const a = new Instance(module, {});
  const snap = snapshotInstances([a]);
  const b = new Instance(module, {}, { initialize: false });
  assert.equal((b.exports.read as Fn)(), [0n, 0n, 0n]);
  restoreInstances([b], snap);
  assert.equal((b.exports.read as Fn)(), (a.exports.read as Fn)());
  assert.equal((b.exports.read as Fn)(), [0x2000000210000001n, 0x4000000430000003n, -5n]);
});

const LOOP = bin(`(module
  (func (export "f") (param $n i32) (result i64 i64 i32)
    (local $v v128) (local $x i32) (local $w v128) (local $y f64)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (local.set $w (v128.const i32x4 -1 -1 -1 -1))
    (local.set $y (f64.const 0.5))
    (loop $l
      (local.set $v (i32x4.add (local.get $v) (i32x4.splat (local.get $x))))
      (local.set $w (v128.xor (local.get $w) (local.get $v)))
      (local.set $y (f64.add (local.get $y) (f64.const 1)))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $x) (local.get $n))))
    (i64x2.extract_lane 0 (local.get $w)) (i64x2.extract_lane 1 (local.get $v)) (local.get $x)))`);

test("a call with v128 locals: snapshot, inspect, restore and finish with the same result and fuel", () => {
  const module = new Module(LOOP);
  const whole = new Store({ fuel: 1e9 });
  const want = (new Instance(module, {}, { store: whole }).exports.f as Fn)(50);
  for (const stop of [7, 40, 123, 300]) {
    const store = new Store({ fuel: stop });
    const inst = new Instance(module, {}, { store });
    const call = callResumable(inst.exports.f as Fn, [50]);
    assert.is(call.state, "out-of-fuel");
    const snap = captureCall(call, [instanceRuntimeOf(inst)!], [LOOP]);
    const seen = inspectCallSnapshot(snap, [LOOP]);
    const locals = seen.frames[0]!.locals;
    assert.equal(locals.map((l) => l.type), ["i32", "v128", "i32", "v128", "f64"], `stop ${stop}`);
    assert.is(locals[0]!.value, "50");
    assert.match(locals[1]!.value, /^i32x4 0x[0-9a-f]{8} 0x[0-9a-f]{8} 0x[0-9a-f]{8} 0x[0-9a-f]{8}$/);
    // the i32 after the v128 is the loop counter (not a word of the vector), the f64 0.5 + counter or one less
    const x = Number(locals[2]!.value);
    assert.ok(x >= 0 && x <= 50, `stop ${stop}: x = ${locals[2]!.value}`);
    const y = Number(locals[4]!.value.split(" ")[0]);
    assert.ok(y === x + 0.5 || y === x + 1.5, `stop ${stop}: y = ${locals[4]!.value} with x = ${x}`);
    // v = (1 2 3 4) + splat(0 + 1 + ... + k) for some k: the lanes differ by 1
    const lanes = locals[1]!.value.split(" ").slice(1).map((h) => Number.parseInt(h, 16) | 0);
    assert.equal([lanes[1]! - lanes[0]!, lanes[2]! - lanes[1]!, lanes[3]! - lanes[2]!], [1, 1, 1]);
    const store2 = new Store({ fuel: 0 });
    const inst2 = new Instance(module, {}, { store: store2, initialize: false });
    const resumed = restoreCall(snap, [instanceRuntimeOf(inst2)!], [LOOP], readJsResults);
    store2.setFuel(1e9);
    resumed.resume();
    assert.equal(resumed.results, want, `stop ${stop}`);
    assert.is(store2.fuelConsumed, whole.fuelConsumed, `stop ${stop}`); // the restored store carries the captured consumption
  }
});

test("a damaged v128 global in a call snapshot is refused with SnapshotError", () => {
  const V128_GLOBAL = bin(`(module (global $g (mut v128) (v128.const i32x4 9 8 7 6))
    (func (export "f") (param $n i32) (loop $l (global.set $g (i32x4.add (global.get $g) (global.get $g)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))))`);
  const module = new Module(V128_GLOBAL);
  const inst = new Instance(module, {}, { store: new Store({ fuel: 20 }) });
  const call = callResumable(inst.exports.f as Fn, [100]);
  const snap = captureCall(call, [instanceRuntimeOf(inst)!], [V128_GLOBAL]);
  assert.match(inspectCallSnapshot(snap, [V128_GLOBAL]).globals[0]![0]!.value, /^i32x4 /);
  // rewrite the JSON part: the v128 global with three words, then with none
  const { body } = readEnvelope(snap);
  for (const bad of [[1, 2, 3], undefined]) {
    const b = structuredClone(body);
    if (bad === undefined) delete (b.instances[0]!.globals[0] as { v128?: number[] }).v128;
    else b.instances[0]!.globals[0]!.v128 = bad;
    const damaged = withBody(snap, b);
    const fresh = new Instance(module, {}, { store: new Store({ fuel: 0 }), initialize: false });
    assert.throws(() => restoreCall(damaged, [instanceRuntimeOf(fresh)!], [V128_GLOBAL], readJsResults), (e: unknown) => e instanceof SnapshotError && /v128/.test(e.message), String(bad));
  }
});

test.run();
