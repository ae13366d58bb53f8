/**
 * Snapshot-started instances (issue 18).
 * - Interpreter: a group of core instances captured after instantiation (data segments, a start
 *   function that writes memory, grows it, sets globals, fills a table, drops a segment) and
 *   restored into uninitialised instances reads exactly like a fresh instantiation, shares
 *   nothing with the captured group (mutating one after the capture changes neither), and
 *   refuses what it cannot name (an externref, a function from outside the group, a mismatch).
 * - Host: `BatchComponent` with snapshots on and off give identical reports (outputs, error
 *   code/message/trap, fuel) for every fixture, limits that stop the guest inside and outside
 *   its start function, random inputs, and the async path; the libc guest's `_initialize` fuel
 *   is charged to every invocation.
 */
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import wabtInit from "wabt";
import { Global, Instance, InvalidArgumentTypeError, Module, Store, restoreInstances, snapshotInstances, SnapshotError } from "../../interpreter/index.js";
import { BatchComponent, BatchInputs, ExecutionLimits, PureflowError, batchInputsFromWitJson, batchesToWitJson, type InvocationReport } from "../../src/index.js";
import { projectRoot } from "../helpers/shared.js";
import { fixtureBytes, packet, testdata } from "../host/guests.js";

const wabt = await wabtInit();
function wat(text: string): Module {
  const m = wabt.parseWat("t.wat", text, { reference_types: true, bulk_memory: true });
  return new Module(m.toBinary({}).buffer as Uint8Array<ArrayBuffer>);
}

// a "library" instance exporting memory, a table and a function; a main instance importing them
const lib = wat(`(module
  (memory (export "mem") 1 10)
  (table (export "tab") 4 funcref)
  (global (export "g") (mut i32) (i32.const 7))
  (func $seven (export "seven") (result i32) (i32.const 7))
  (func $read (export "read") (param i32) (result i32) (i32.load (local.get 0)))
  (data (i32.const 100) "\\01\\02\\03\\04")
  (elem (i32.const 0) $seven))`);
const main = wat(`(module
  (import "lib" "mem" (memory 1 10))
  (import "lib" "tab" (table 4 funcref))
  (import "lib" "g" (global $g (mut i32)))
  (import "lib" "read" (func $read (param i32) (result i32)))
  (type $r (func (result i32)))
  (global $counter (export "counter") (mut i32) (i32.const 0))
  (global $big (export "big") (mut i64) (i64.const 0))
  (global $f (export "f") (mut f64) (f64.const 0))
  (global $fr (mut funcref) (ref.null func))
  (data $passive "\\aa\\bb")
  (data $dropme "\\cc")
  (elem $keep func $nine $read)
  (func $nine (result i32) (i32.const 9))
  (func $start
    (drop (memory.grow (i32.const 2)))
    (i32.store (i32.const 150000) (i32.const 0x12345678))
    (memory.init $passive (i32.const 300) (i32.const 0) (i32.const 2))
    (data.drop $dropme)
    (table.set (i32.const 1) (ref.func $nine))
    (table.set (i32.const 2) (ref.func $read))
    (global.set $fr (ref.func $nine))
    (global.set $g (i32.const 42))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.set $big (i64.const -81985529216486896))
    (global.set $f (f64.const nan:0x4000000000001)))
  (start $start)
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (i32.store (i32.const 100) (i32.const -1)) (drop (memory.grow (i32.const 1)))
    (table.set (i32.const 1) (ref.null func)) (global.set $g (i32.const -5)))
  (func (export "call") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
  (func (export "callref") (result i32) (call_indirect (type $r) (table.set (i32.const 3) (global.get $fr)) (i32.const 3)))
  (func (export "pages") (result i32) (memory.size))
  (func (export "word") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "readvia") (param i32) (result i32) (call $read (local.get 0)))
  (func (export "reinit") (result i32) (memory.init $passive (i32.const 400) (i32.const 0) (i32.const 2)) (i32.load16_u (i32.const 400)))
  (func (export "initdropped") (memory.init $dropme (i32.const 400) (i32.const 0) (i32.const 1)))
  (func (export "elemcopy") (result i32) (table.init $keep (i32.const 0) (i32.const 0) (i32.const 1)) (call_indirect (type $r) (i32.const 0))))`);

type Ex = Record<string, (...a: number[]) => number> & Record<string, unknown>;

/** The value of an exported global (its `Ex` entry is typed as a function, so check what it really is). */
function globalValue(x: unknown): unknown {
  if (!(x instanceof Global)) throw new Error(`expected an exported Global, got ${typeof x}`);
  return x.value;
}

function group(store: Store, initialize: boolean): [Instance, Instance] {
  const a = new Instance(lib, {}, { store, initialize });
  const b = new Instance(main, { lib: a.exports }, { store, initialize });
  return [a, b];
}

/** Everything the group lets one read, in a fixed order (each read runs in a fresh copy, so reads cannot disturb each other). */
function observe(make: () => [Instance, Instance]): string {
  const reads: ((a: Ex, b: Ex) => unknown)[] = [
    (_a, b) => b.pages(),
    (_a, b) => b.word(150000),
    (_a, b) => b.word(100),
    (_a, b) => b.readvia(300),
    (a) => globalValue(a.g),
    (_a, b) => globalValue(b.counter),
    (_a, b) => String(globalValue(b.big)),
    (_a, b) => globalValue(b.f),
    (_a, b) => b.call(0),
    (_a, b) => b.call(1),
    (_a, b) => { try { return b.call(3); } catch (e) { return (e as { trap?: string }).trap; } },
    (_a, b) => b.callref(),
    (_a, b) => b.reinit(),
    (_a, b) => { try { b.initdropped(); return "ok"; } catch (e) { return (e as { trap?: string }).trap; } },
    (_a, b) => b.elemcopy(),
  ];
  return JSON.stringify(reads.map((r) => {
    const [a, b] = make();
    return r(a.exports as Ex, b.exports as Ex);
  }));
}

test("interpreter: a restored group reads exactly like a fresh instantiation and shares nothing", () => {
  const fresh = observe(() => group(new Store(), true));
  const templateStore = new Store({ fuel: 1_000_000 });
  const template = group(templateStore, true);
  const startFuel = templateStore.fuelConsumed;
  assert.ok(startFuel > 10, `start fuel ${startFuel}`);
  const snap = snapshotInstances(template);
  assert.is(snap.memoryBytes, 2048, "only the two 1 KiB blocks initialisation wrote");
  const restore = (): [Instance, Instance] => {
    const store = new Store({ fuel: 1_000_000 });
    const g = group(store, false);
    restoreInstances(g, snap);
    assert.is(store.fuelConsumed, 0, "no start function ran");
    return g;
  };
  assert.is(observe(restore), fresh);
  // mutating the template after the capture changes nothing restored
  (template[1].exports as Ex).bump();
  assert.is(observe(restore), fresh);
  // and mutating a restored group does not reach the next one
  const r = restore();
  (r[1].exports as Ex).bump();
  assert.is((r[1].exports as Ex).pages(), 4);
  assert.is(observe(restore), fresh);
  // an imported function of a restored group is its own library's: it reads the group's memory
  const r2 = restore();
  (r2[1].exports as Ex).bump(); // writes -1 at 100 in r2's memory
  assert.is((r2[1].exports as Ex).readvia(100), -1);
  assert.is((restore()[1].exports as Ex).readvia(100), 0x04030201);
});

test("interpreter: what a snapshot cannot name is refused", () => {
  const ext = wat(`(module (table (export "t") 1 externref) (func (export "set") (param externref) (table.set (i32.const 0) (local.get 0))))`);
  const i = new Instance(ext, {});
  snapshotInstances([i]); // null externref: fine
  (i.exports.set as (x: unknown) => void)({ any: 1 });
  assert.throws(() => snapshotInstances([i]), (e: unknown) => e instanceof SnapshotError && /externref/.test(e.message));
  // the library's table holds a function of the main instance, left out of the group
  const [a, b] = group(new Store(), true);
  assert.throws(() => snapshotInstances([a]), (e: unknown) => e instanceof SnapshotError && /outside/.test(e.message));
  const snap = snapshotInstances([a, b]);
  assert.throws(() => restoreInstances([a], snap), (e: unknown) => e instanceof SnapshotError);
  assert.throws(() => restoreInstances([b, a], snap), (e: unknown) => e instanceof SnapshotError && /not of the module/.test(e.message));
  assert.throws(() => restoreInstances([a, b], {} as typeof snap), (e: unknown) => e instanceof InvalidArgumentTypeError);
  assert.throws(() => snapshotInstances([{}] as Instance[]), (e: unknown) => e instanceof InvalidArgumentTypeError);
  assert.throws(() => new Instance(lib, {}, { initialize: "no" as unknown as boolean }), (e: unknown) => e instanceof InvalidArgumentTypeError);
  // a memory limit below the captured size
  const small = new Store({ limits: { maxMemoryPages: 2 } });
  const g = [new Instance(lib, {}, { store: small, initialize: false })];
  g.push(new Instance(main, { lib: g[0].exports }, { store: small, initialize: false }));
  assert.throws(() => restoreInstances(g, snap), (e: unknown) => e instanceof SnapshotError && /cannot grow/.test(e.message));
});

function view(r: InvocationReport): string {
  return JSON.stringify({
    outputs: r.outputs === undefined ? null : batchesToWitJson(r.outputs),
    error: r.error === undefined ? null : [r.error.code, r.error.message, r.error.trap ?? null],
    fuelLimit: r.fuelLimit,
    fuelConsumed: r.fuelConsumed,
  });
}

const components = ["uppercase-guest", "compute-guest", "libc-guest", "echo-guest", "shapes-guest",
  ...readdirSync(join(projectRoot, "fixtures", "hostile")).map((n) => `hostile/${n}`)]
  .filter((f) => existsSync(join(projectRoot, "fixtures", f, "component.wasm")));

test("host: snapshots on and off give identical reports for every fixture", () => {
  const libc = BatchComponent.fromComponentBytes(fixtureBytes("libc-guest"));
  const libcStart = libc.startFuel ?? 0;
  assert.ok(libcStart > 900_000, `libc _initialize fuel ${libcStart}: ${libc.snapshotProblem()}`);
  const limitsList = [
    ExecutionLimits.default().withFuel(3_000_000).withMaxMemoryPages(64).withMaxOutputBytes(1 << 20),
    ExecutionLimits.default().withFuel(libcStart - 1), // libc: out of fuel in _initialize
    ExecutionLimits.default().withFuel(libcStart + 500), // libc: out of fuel in the call
    ExecutionLimits.default().withFuel(libcStart),
    ExecutionLimits.default().withFuel(0),
  ];
  const inputsList = [batchInputsFromWitJson(testdata("inputs.json")), new BatchInputs()];
  let compared = 0, started = 0;
  for (const name of components) {
    for (const limits of name === "libc-guest" ? limitsList : [limitsList[0], limitsList[4]]) {
      const on = BatchComponent.fromComponentBytes(fixtureBytes(name), { limits });
      const off = BatchComponent.fromComponentBytes(fixtureBytes(name), { limits, snapshot: false });
      assert.not.ok(off.snapshotStarted);
      assert.is(off.snapshotProblem(), "disabled by the snapshot option");
      if (on.snapshotStarted) started++;
      for (const inputs of inputsList) {
        // twice: the second call must not see the first one's state
        for (let k = 0; k < 2; k++) {
          assert.is(view(on.invokeWithReport(inputs)), view(off.invokeWithReport(inputs)), `${name} fuel ${limits.fuel}`);
          compared++;
        }
      }
    }
  }
  const libcLow = BatchComponent.fromComponentBytes(fixtureBytes("libc-guest"), { limits: limitsList[1] });
  assert.not.ok(libcLow.snapshotStarted, "a start function out of fuel: no snapshot");
  assert.match(libcLow.snapshotProblem() ?? "", /first instantiation failed/);
  const libcMid = BatchComponent.fromComponentBytes(fixtureBytes("libc-guest"), { limits: limitsList[2] });
  assert.ok(libcMid.snapshotStarted);
  const r = libcMid.invokeWithReport(inputsList[0]);
  assert.is(r.error?.trap, "out-of-fuel");
  assert.ok(r.fuelConsumed > libcStart && r.fuelConsumed <= libcStart + 500);
  console.log(`\n# snapshot: ${components.length} fixtures (libc: ${limitsList.length} limits, others 2): ${compared} reports identical with and without snapshots (${started} snapshot-started)`);
});

test("host: random inputs, libc and uppercase guests, sync and async: identical with and without snapshots", async () => {
  for (const name of ["libc-guest", "uppercase-guest"]) {
    const on = BatchComponent.fromComponentBytes(fixtureBytes(name));
    const off = BatchComponent.fromComponentBytes(fixtureBytes(name), { snapshot: false });
    assert.ok(on.snapshotStarted);
    const packetArb = fc.record({
      port: fc.constantFrom("a", "b", "in"),
      data: fc.uint8Array({ maxLength: 300 }),
      control: fc.boolean().map((b) => b && Math.random() < 0.1),
    });
    await fc.assert(fc.asyncProperty(fc.array(packetArb, { maxLength: 6 }), async (items) => {
      const inputs = new BatchInputs();
      items.forEach((it, i) => inputs.push(it.port, packet(`m${i}`, it.control ? { kind: "control", value: { i } } : { kind: "bytes", bytes: it.data }, it.port)));
      const a = on.invokeWithReport(inputs);
      assert.is(view(a), view(off.invokeWithReport(inputs)));
      assert.is(view(await on.invokeAsyncWithReport(inputs)), view(a));
    }), { numRuns: 60 });
  }
});

test("host: the snapshot option is checked", () => {
  assert.throws(() => BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"), { snapshot: "yes" as unknown as boolean }),
    (e: unknown) => e instanceof PureflowError && e.argument === "options.snapshot");
  const imports = BatchComponent.fromComponentBytes(fixtureBytes("hostile/imports-function"));
  assert.not.ok(imports.snapshotStarted);
  assert.ok((imports.snapshotProblem() ?? "").length > 0);
});

test.run();
