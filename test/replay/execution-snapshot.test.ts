// Component-level execution snapshots (issue 16, src/replay/snapshot.ts): an invocation stopped at
// a random exact fuel point inside `invoke` is captured with the whole component state, restored in
// a fresh BatchComponent (fresh store and instance), and finished: the same outputs or error, the
// same total fuel and the same memory digest as an uninterrupted invocation. Over every fixture
// record (good and hostile) and random batch components built around random programs
// (test/tools/shortcut-programs.ts). Damaged or mismatched snapshots give typed errors.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { parse, componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import { BatchComponent, ExecutionLimits, PureflowError } from "../../src/index.js";
import { invokeUntil, resumeInvocation, type FinishedInvocation, type SteppedInvocation } from "../../src/replay/snapshot.js";
import { limitsOf, parseReplayRecord } from "../../src/replay/record.js";
import { batchInputsFromWitJson, batchesToWitJson } from "../../src/batch/wit-json.js";
import type { BatchInputs } from "../../src/batch/batches.js";
import { ShortcutProgram } from "../tools/shortcut-programs.js";
import { SEED, anyValue, typedOrOk } from "../api-misuse/misuse.js";
import { projectRoot, testOrSkip } from "../helpers/shared.js";

interface Case {
  name: string;
  bytes: Uint8Array;
  limits: ExecutionLimits;
  inputs: BatchInputs;
}

/** Outcome of a finished invocation, as compared. */
function outcome(f: FinishedInvocation): { outputs: unknown; error: string | null; trap: string | null; fuel: number; memory: string } {
  const r = f.report;
  return {
    outputs: r.outputs === undefined ? null : batchesToWitJson(r.outputs),
    error: r.error === undefined ? null : r.error.toString(),
    trap: r.error?.trap ?? null,
    fuel: r.fuelConsumed,
    memory: f.memorySha256,
  };
}

function finished(s: SteppedInvocation, what: string): FinishedInvocation {
  assert.is(s.state, "finished", what);
  return s as FinishedInvocation;
}

/**
 * Stops at each of `stops` in turn (each a fresh component, store and instance), then finishes.
 * Each stop is at most its point, or where the invocation already was (the first instruction of
 * `invoke`, or the previous stop), never beyond.
 */
function chained(c: Case, stops: readonly number[]): { result: FinishedInvocation; snapshots: number; sizes: number[] } {
  const first = invokeUntil(BatchComponent.fromComponentBytes(c.bytes, { limits: c.limits }), c.inputs, { stopAtFuel: 0 });
  const entry = first.state === "stopped" ? first.fuelConsumed : 0;
  let step = invokeUntil(BatchComponent.fromComponentBytes(c.bytes, { limits: c.limits }), c.inputs, { stopAtFuel: stops[0]! });
  let snapshots = 0, before = entry;
  const sizes: number[] = [];
  for (let i = 1; step.state === "stopped"; i++) {
    const at = stops[i - 1] ?? Infinity;
    assert.ok(step.fuelConsumed <= Math.max(at, before), `stop ${i}: fuel ${step.fuelConsumed}, asked ${at}, was at ${before}`);
    if (at >= before) assert.ok(step.fuelConsumed > at - 1000, `stop ${i}: fuel ${step.fuelConsumed} far before ${at}`);
    before = step.fuelConsumed;
    snapshots++;
    sizes.push(step.snapshot.length);
    const fresh = BatchComponent.fromComponentBytes(c.bytes, { limits: c.limits });
    step = resumeInvocation(fresh, step.snapshot, i < stops.length ? { stopAtFuel: stops[i]! } : {});
  }
  return { result: step, snapshots, sizes };
}

const recordsDir = join(projectRoot, "fixtures/records");
const fixtureCases: Case[] = readdirSync(recordsDir).filter((f) => f.endsWith(".json")).sort().map((f) => {
  const rec = parseReplayRecord(readFileSync(join(recordsDir, f), "utf8"));
  return { name: f, bytes: readFileSync(join(recordsDir, rec.componentPath!)), limits: limitsOf(rec), inputs: batchInputsFromWitJson(rec.inputs) };
});

let restored = 0, checkedRuns = 0;

/** Property: 1–3 random stop points (chained, each restored in a fresh component) finish as `want`. */
function stopsFinishAs(c: Case, want: ReturnType<typeof outcome>, numRuns: number, seed: number): void {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 3 }), (fractions) => {
      const stops = fractions.map((x) => Math.floor(x * want.fuel)).sort((a, b) => a - b);
      const got = chained(c, stops);
      assert.equal(outcome(got.result), want, `${c.name}, stops ${stops}`);
      restored += got.snapshots;
      checkedRuns++;
    }),
    { numRuns, seed },
  );
}

test("every fixture: stop at random fuel points (chained), restore in fresh components, finish identically", () => {
  let stoppable = 0;
  for (const c of fixtureCases) {
    let component: BatchComponent;
    try {
      component = BatchComponent.fromComponentBytes(c.bytes, { limits: c.limits });
    } catch {
      continue; // not a component (core-module): nothing runs, nothing to stop
    }
    const want = invokeUntil(component, c.inputs);
    if (want.state !== "finished") throw new Error("no stop asked");
    const w = outcome(want);
    // the stepped path reports what invokeWithReport reports
    const plain = component.invokeWithReport(c.inputs);
    assert.is(w.fuel, plain.fuelConsumed, `${c.name}: fuel vs invokeWithReport`);
    assert.is(w.error, plain.error?.toString() ?? null, `${c.name}: error vs invokeWithReport`);
    stopsFinishAs(c, w, 4, 1600 + c.name.length);
    if (w.fuel > 0) stoppable++;
  }
  assert.ok(stoppable >= 30, `fixtures that ran guest code: ${stoppable}`);
});

// random batch components: `invoke` runs a random program of test/tools/shortcut-programs.ts (its
// result stored in memory), then echoes its inputs back
const wit = readFileSync(join(projectRoot, "wit/pureflow-batch.wit"), "utf8");
async function randomComponent(seed: number): Promise<Uint8Array> {
  const program = new ShortcutProgram(seed).module();
  const inner = program.slice(program.indexOf("\n")).replace(/\)\s*$/, "").replace('(func (export "f")', "(func $f");
  const r = seed % 997;
  const wat = `(module (memory (export "memory") 1) (global $heap (mut i32) (i32.const 8192))
  (func (export "cabi_realloc") (param $op i32) (param $ol i32) (param $al i32) (param $nl i32) (result i32) (local $p i32)
    (if (i32.eqz (local.get $nl)) (then (return (local.get $al))))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $al) (i32.const 1))) (i32.sub (i32.const 0) (local.get $al))))
    (global.set $heap (i32.add (local.get $p) (local.get $nl)))
    (if (i32.gt_u (global.get $heap) (i32.const 65536)) (then unreachable))
    (memory.copy (local.get $p) (local.get $op) (select (local.get $ol) (local.get $nl) (i32.lt_u (local.get $ol) (local.get $nl))))
    (local.get $p))
  (func (export "cabi_post_pureflow:batch/batch@0.1.0#invoke") (param i32))
  (func (export "pureflow:batch/batch@0.1.0#invoke") (param $ptr i32) (param $len i32) (result i32)
    (i64.store (i32.const 4096) (call $f (i32.add (local.get $len) (i32.const ${r})) (i32.const ${(seed >> 3) % 300}) (i64.const ${seed * 7919}) (f64.const ${(seed % 200) / 8})))
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (local.get $ptr))
    (i32.store (i32.const 24) (local.get $len))
    (i32.const 16))
  ${inner})`;
  const core = await parse(wat);
  return componentNew(await componentEmbed({ binary: core, witSource: wit, world: "pureflow-node", stringEncoding: "utf8" }));
}

test("random components: stop at random fuel points (chained), restore, finish identically", async () => {
  const inputs = fixtureCases.find((c) => c.name === "uppercase-guest.json")!.inputs;
  const limits = ExecutionLimits.new(50_000_000).withMaxMemoryPages(16);
  const seeds = fc.sample(fc.integer({ min: 1, max: 1_000_000 }), { numRuns: 24, seed: 16 });
  let components = 0;
  for (const seed of seeds) {
    const c: Case = { name: `random ${seed}`, bytes: await randomComponent(seed), limits, inputs };
    const want = outcome(finished(invokeUntil(BatchComponent.fromComponentBytes(c.bytes, { limits }), inputs), c.name));
    components++;
    stopsFinishAs(c, want, 5, seed);
  }
  assert.is(components, 24);
});

test("stopOnOutOfFuel: the fuel-limit stop continues with a larger limit to the uninterrupted outcome", () => {
  const c = fixtureCases.find((x) => x.name === "compute-guest.json")!;
  const big = BatchComponent.fromComponentBytes(c.bytes, { limits: c.limits });
  const want = outcome(finished(invokeUntil(big, c.inputs), "big"));
  const smallLimits = c.limits.withFuel(Math.floor(want.fuel * 0.6));
  const small = BatchComponent.fromComponentBytes(c.bytes, { limits: smallLimits });
  // without the option: the usual fuel error
  const failed = finished(invokeUntil(small, c.inputs), "small");
  assert.match(failed.report.error!.message, /exceeded fuel limit/);
  assert.is(failed.report.error!.toString(), small.invokeWithReport(c.inputs).error!.toString());
  const stopped = invokeUntil(small, c.inputs, { stopOnOutOfFuel: true });
  assert.is(stopped.state, "stopped");
  if (stopped.state !== "stopped") return;
  assert.is(stopped.reason, "out-of-fuel");
  assert.ok(stopped.fuelConsumed <= smallLimits.fuel);
  // the same limit again: out of fuel at once, with the same error
  const again = finished(resumeInvocation(small, stopped.snapshot), "again");
  assert.is(again.report.error!.toString(), failed.report.error!.toString());
  assert.equal(outcome(finished(resumeInvocation(big, stopped.snapshot), "resumed")), want);
});

const dist = join(projectRoot, "dist/src/index.js");
if (!existsSync(dist)) console.log("# SKIP cross-process restore: dist/ not built (npm run build)");
testOrSkip(existsSync(dist))("a snapshot written to a file is finished by another Node process (the built dist) identically", () => {
  const c = fixtureCases.find((x) => x.name === "libc-guest.json")!;
  const component = BatchComponent.fromComponentBytes(c.bytes, { limits: c.limits });
  const want = outcome(finished(invokeUntil(component, c.inputs), "straight"));
  const stop = invokeUntil(component, c.inputs, { stopAtFuel: component.startFuel! + Math.floor((want.fuel - component.startFuel!) / 2) });
  if (stop.state !== "stopped") throw new Error("expected a stop");
  const dir = mkdtempSync(join(tmpdir(), "pureflow-snapshot-"));
  writeFileSync(join(dir, "stop.pfwsnap"), stop.snapshot);
  const script = `const m = await import(${JSON.stringify(pathToFileURL(dist).href)});
const { readFileSync } = await import("node:fs");
const rec = m.parseReplayRecord(readFileSync(${JSON.stringify(join(recordsDir, c.name))}, "utf8"));
const c = m.BatchComponent.fromComponentBytes(readFileSync(${JSON.stringify(join(projectRoot, "fixtures/libc-guest/component.wasm"))}), { limits: m.limitsOf(rec) });
const r = m.resumeInvocation(c, readFileSync(${JSON.stringify(join(dir, "stop.pfwsnap"))}));
console.log(JSON.stringify({ state: r.state, outputs: r.report.outputs === undefined ? null : m.batchesToWitJson(r.report.outputs), error: r.report.error === undefined ? null : r.report.error.toString(), trap: r.report.error?.trap ?? null, fuel: r.report.fuelConsumed, memory: r.memorySha256 }));`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 120_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.is(child.status, 0, child.stderr);
  const got = JSON.parse(child.stdout) as { state: string } & ReturnType<typeof outcome>;
  assert.is(got.state, "finished");
  const { state: _state, ...rest } = got;
  assert.equal(rest, want);
});

function refuses(what: string, f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (e) {
    assert.instance(e, PureflowError, what);
    assert.is((e as PureflowError).trap, "call-snapshot-invalid", what);
    assert.match((e as Error).message, pattern, what);
    return;
  }
  assert.unreachable(`${what}: accepted`);
}

test("damaged, truncated, edited or mismatched snapshots are refused with a typed error", () => {
  const up = fixtureCases.find((x) => x.name === "uppercase-guest.json")!;
  const echo = fixtureCases.find((x) => x.name === "echo-guest.json")!;
  const component = BatchComponent.fromComponentBytes(up.bytes, { limits: up.limits });
  const s = invokeUntil(component, up.inputs, { stopAtFuel: 1500 });
  if (s.state !== "stopped") throw new Error("expected a stop");
  const snap = s.snapshot;
  refuses("truncated", () => resumeInvocation(component, snap.subarray(0, snap.length - 7)), /damaged/);
  refuses("header only", () => resumeInvocation(component, snap.subarray(0, 30)), /not a component execution snapshot/);
  refuses("not a snapshot", () => resumeInvocation(component, new TextEncoder().encode("hello, this is not a snapshot at all, not even close")), /not a component execution snapshot/);
  for (const at of [20, 60, Math.floor(snap.length / 2), snap.length - 1]) {
    const edited = snap.slice();
    edited[at] ^= 0x10;
    refuses(`edited at ${at}`, () => resumeInvocation(component, edited), /damaged/);
  }
  const v2 = snap.slice();
  v2[8] = 2;
  refuses("other version", () => resumeInvocation(component, v2), /version 2/);
  refuses("other component", () => resumeInvocation(BatchComponent.fromComponentBytes(echo.bytes, { limits: up.limits }), snap), /not the one captured/);
  refuses("other memory limit", () => resumeInvocation(BatchComponent.fromComponentBytes(up.bytes, { limits: up.limits.withMaxMemoryPages(32) }), snap), /maxMemoryPages 64/);
  refuses("other NaN mode", () => resumeInvocation(BatchComponent.fromComponentBytes(up.bytes, { limits: up.limits.withCanonicalizeNaNs(true) }), snap), /NaN canonicalisation|canonicalizeNaNs/);
  assert.throws(() => resumeInvocation(component, "snapshot" as unknown as Uint8Array), (e: unknown) => e instanceof PureflowError && /invalid argument `snapshot`/.test((e as Error).message));
  assert.throws(() => invokeUntil(component, up.inputs, { stopAtFuel: -1 }), (e: unknown) => e instanceof PureflowError && /stopAtFuel/.test((e as Error).message));
  // arbitrary values at every argument: a typed error (or a typed result), never a raw exception
  fc.assert(fc.property(anyValue, anyValue, anyValue, (x, y, z) => {
    typedOrOk(() => invokeUntil(x as BatchComponent, y as BatchInputs, z as object), "invokeUntil(x, y, z)");
    typedOrOk(() => invokeUntil(component, y as BatchInputs, z as object), "invokeUntil(component, y, z)");
    typedOrOk(() => invokeUntil(component, up.inputs, { stopAtFuel: y as number, stopOnOutOfFuel: z as boolean }), "invokeUntil options");
    typedOrOk(() => resumeInvocation(x as BatchComponent, y as Uint8Array, z as object), "resumeInvocation(x, y, z)");
    typedOrOk(() => resumeInvocation(component, y as Uint8Array, z as object), "resumeInvocation(component, y, z)");
    typedOrOk(() => resumeInvocation(component, snap, { stopAtFuel: y as number }), "resumeInvocation options");
  }), { numRuns: 150, seed: SEED });
  // the snapshot still works after all that
  assert.is(finished(resumeInvocation(component, snap), "intact").report.fuelConsumed, component.invokeWithReport(up.inputs).fuelConsumed);
  console.log(`# execution snapshots (component level): ${checkedRuns} stepped invocations, ${restored} snapshots restored in fresh components, all finished identically`);
});

test.run();
