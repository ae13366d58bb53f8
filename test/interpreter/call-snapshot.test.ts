// Execution snapshots (issue 16): a call stopped at a random exact fuel point is captured to bytes,
// restored into fresh instances in a fresh store, and finished: the same result, the same total
// fuel and the same memory as an uninterrupted run. Snapshots of restored calls chain. Damaged or
// mismatched snapshots (truncated, edited, another module, another cost table) give SnapshotError.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Instance, Module, Store, callResumable } from "../../interpreter/index.js";
import { SnapshotError } from "../../interpreter/instantiate/snapshot.js";
import { captureCall, readEnvelope, restoreCall } from "../../interpreter/execute/call-snapshot.js";
import type { Body } from "../../interpreter/execute/call-snapshot.js";
import { withBody } from "../helpers/snapshot-body.js";
import { instanceRuntimeOf } from "../../interpreter/js-api/instance.js";
import { readJsResults } from "../../interpreter/js-api/functions.js";
import type { InstanceRuntime } from "../../interpreter/runtime/instance.js";
import { ShortcutProgram, shortcutArgs } from "../tools/shortcut-programs.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { multi_value: true }).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

interface Outcome {
  result: unknown;
  fuel: number;
  memory: Uint8Array;
}

const BIG = 1e12;

function runtime(i: Instance): InstanceRuntime {
  return instanceRuntimeOf(i)!;
}

/** Uninterrupted run. */
function straight(bytes: Uint8Array, name: string, args: unknown[]): Outcome | undefined {
  const store = new Store({ fuel: BIG, costs: "wasmtime" });
  const inst = new Instance(new Module(bytes), {}, { store });
  try {
    const result = (inst.exports[name] as Fn)(...args);
    return { result, fuel: store.fuelConsumed, memory: new Uint8Array((inst.exports.mem as { buffer: ArrayBuffer } | undefined)?.buffer ?? new ArrayBuffer(0)).slice() };
  } catch {
    return undefined; // a trapping run: nothing to compare snapshots of
  }
}

/** Stops after `stops[0]` fuel, snapshots, restores in a fresh store, repeats for the next stop, then finishes. */
function stopped(bytes: Uint8Array, name: string, args: unknown[], stops: number[]): Outcome & { snapshots: number; bytes: number } {
  const module = new Module(bytes);
  let store = new Store({ fuel: stops[0]!, costs: "wasmtime" });
  let inst = new Instance(module, {}, { store });
  let call = callResumable(inst.exports[name] as Fn, args);
  let snapshots = 0, size = 0;
  for (let s = 1; s <= stops.length && call.state === "out-of-fuel"; s++) {
    const snap = captureCall(call, [runtime(inst)], [bytes]);
    snapshots++;
    size = snap.length;
    store = new Store({ fuel: 0, costs: "wasmtime" });
    inst = new Instance(module, {}, { store, initialize: false });
    call = restoreCall(snap, [runtime(inst)], [bytes], readJsResults);
    store.setFuel(s < stops.length ? stops[s]! : BIG);
    call.resume();
  }
  while (call.state === "out-of-fuel") {
    store.setFuel(BIG);
    call.resume();
  }
  return { result: call.results, fuel: store.fuelConsumed, memory: new Uint8Array((inst.exports.mem as { buffer: ArrayBuffer } | undefined)?.buffer ?? new ArrayBuffer(0)).slice(), snapshots, bytes: size };
}

const same = (a: unknown, b: unknown): boolean => Object.is(a, b) || (typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b));

let checked = 0, taken = 0;

test("random programs: snapshot at random fuel points, restore in a fresh store, finish: same result, fuel, memory", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }), (seed, fractions) => {
      const bytes = bin(new ShortcutProgram(seed).module());
      const args = shortcutArgs(seed);
      const want = straight(bytes, "f", args);
      if (want === undefined) return;
      const stops = fractions.map((x) => Math.floor(x * want.fuel / fractions.length));
      const got = stopped(bytes, "f", args, stops);
      assert.ok(same(got.result, want.result), `result, seed ${seed}, stops ${stops}`);
      assert.is(got.fuel, want.fuel, `total fuel, seed ${seed}, stops ${stops}`);
      assert.ok(Buffer.compare(got.memory, want.memory) === 0, `memory, seed ${seed}`);
      checked++;
      taken += got.snapshots;
    }),
    { numRuns: 150, seed: 16 },
  );
  console.log(`# execution snapshots: ${checked} programs, ${taken} snapshots restored in fresh stores, all finished identically`);
});

test("recursion: frames across many levels of calls and a cross-frame result", () => {
  const bytes = bin(`(module (memory (export "mem") 1)
    (func $fib (param i32) (result i32) (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0)) (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func (export "bench") (result i32) (i32.store (i32.const 8) (call $fib (i32.const 18))) (i32.load (i32.const 8))))`);
  const want = straight(bytes, "bench", [])!;
  for (const frac of [0.0001, 0.3, 0.77, 0.999]) {
    const got = stopped(bytes, "bench", [], [Math.floor(want.fuel * frac), Math.floor(want.fuel * frac / 3)]);
    assert.ok(same(got.result, want.result));
    assert.is(got.fuel, want.fuel);
    assert.ok(Buffer.compare(got.memory, want.memory) === 0);
  }
});

test("damaged or mismatched snapshots are refused with SnapshotError", () => {
  const bytes = bin(new ShortcutProgram(3).module());
  const other = bin(new ShortcutProgram(4).module());
  const module = new Module(bytes);
  const store = new Store({ fuel: 40, costs: "wasmtime" });
  const inst = new Instance(module, {}, { store });
  const call = callResumable(inst.exports.f as Fn, shortcutArgs(3));
  assert.is(call.state, "out-of-fuel");
  const snap = captureCall(call, [runtime(inst)], [bytes]);
  const fresh = (costs: "wasmtime" | "instructions" = "wasmtime", m = module): InstanceRuntime => runtime(new Instance(m, {}, { store: new Store({ fuel: 0, costs }), initialize: false }));
  const refuses = (what: string, f: () => unknown, pattern: RegExp): void => {
    try {
      f();
    } catch (e) {
      assert.instance(e, SnapshotError, what);
      assert.match((e as Error).message, pattern, what);
      return;
    }
    assert.unreachable(`${what}: accepted`);
  };
  refuses("truncated", () => restoreCall(snap.subarray(0, snap.length - 10), [fresh()], [bytes], readJsResults), /damaged|truncated/);
  refuses("too short", () => restoreCall(snap.subarray(0, 20), [fresh()], [bytes], readJsResults), /not an execution snapshot/);
  for (const at of [60, Math.floor(snap.length / 2), snap.length - 1]) {
    const edited = snap.slice();
    edited[at] ^= 1;
    refuses(`edited at ${at}`, () => restoreCall(edited, [fresh()], [bytes], readJsResults), /damaged/);
  }
  const v3 = snap.slice();
  v3[8] = 3;
  refuses("other version", () => restoreCall(v3, [fresh()], [bytes], readJsResults), /version 3/);
  refuses("other module", () => restoreCall(snap, [fresh("wasmtime", new Module(other))], [other], readJsResults), /not the one captured/);
  // a well-formed snapshot whose functions were translated otherwise (another engine version): the
  // translation sha256 changed, the body re-sealed with a valid digest
  const resealed = (edit: (b: Body) => void): Uint8Array => {
    const { body } = readEnvelope(snap);
    edit(body);
    return withBody(snap, body);
  };
  const resumeOf = (bytes2: Uint8Array) => (): unknown => {
    const target = fresh();
    const r = restoreCall(bytes2, [target], [bytes], readJsResults);
    target.store.setFuel(1e9);
    return r.resume();
  };
  assert.type(resumeOf(resealed(() => undefined))(), "object", "the re-sealed snapshot itself restores");
  refuses("another translation", resumeOf(resealed((b) => { b.translation = "0".repeat(64); })), /translated differently/);
  refuses("other cost table", () => restoreCall(snap, [fresh("instructions")], [bytes], readJsResults), /cost table/);
  refuses("not a byte string", () => restoreCall("snapshot" as unknown as Uint8Array, [fresh()], [bytes], readJsResults), /Uint8Array/);
  refuses("a finished call", () => captureCall(callResumable((new Instance(module, {}).exports.f) as Fn, shortcutArgs(3)), [runtime(inst)], [bytes]), /stopped out of fuel/);
});

test.run();
