/**
 * One fresh process of `npm run bench` (started by bench/run.ts with `node --trace-deopt
 * --trace-opt --import tsx bench/child.ts <mode> ...`; V8's traces go to stdout, the measurements
 * to the JSON file given with `--out`). Modes:
 *
 * - `workload --wasm <file> [--reps R] [--warmup W] [--no-fuel]`: a module exporting `bench()` (no
 *   imports). In this order: our `new Module` + `new Instance`; our COLD run (the first call in this
 *   process, as a CLI run sees it); V8 compile, instantiate and warm-up (at least 5 runs and 300 ms,
 *   so its tier-up to TurboFan is done), in a worker thread (another isolate: bench/v8-worker.ts
 *   says why); V8 on fresh instances of the warm module (what the old
 *   bench measured: includes first-touch page faults of a new memory); our warm-up runs; then R
 *   rounds, interleaved: ours (fuel off), ours (fuel on, "wasmtime" costs), V8 (a batch of runs on
 *   the same warm instance, >= 20 ms, divided by its size). Last, one run with the "instructions"
 *   costs gives the instruction count. Times are CPU time of this process (`process.cpuUsage`,
 *   user + system; the side not running is blocked), wall time is recorded too. Every result is
 *   compared with V8's.
 * - `detached --wasm <file> [--reps R] [--warmup W]`: ours only, after an ArrayBuffer of this
 *   isolate was detached: cold run, W warm-up and R timed runs.
 * - `coremark --wasm <file> --engine v8|ours`: CoreMark with its own harness: `env.clock_ms` is a
 *   real millisecond clock, one call of `run()` returns the score (0 when invalid).
 * - `startup --wasm <file> --engine v8|ours [--reps R]`: `new Module` + `new Instance` with every
 *   import stubbed (a function that throws), the first in this fresh process, then R more: the
 *   median of the 2nd to 4th ("early") and of the second half ("warm", tiered up).
 *   Each compile gets bytes with a fresh custom section appended so V8's module cache cannot answer.
 * - `mixed --wasm <file>,<file>,... [--reps R] [--warmup W]`: every workload in this ONE process, as
 *   a host running many guests sees them: each instantiated and called once, in the order given (its
 *   first call here, after the ones before it), then W warm-up rounds and R timed rounds over all of
 *   them (fuel off) giving each one's steady state after the dispatch loop has met every other
 *   workload's ops (and V8 has re-optimised it for all of them).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { loadOurInterpreter } from "../scripts/spec/our-engine.js";
import type { OurNamespace } from "../scripts/spec/our-engine.js";
import { MessageChannel, Worker } from "node:worker_threads";
import { median, withNonce } from "./stats.js";
import { askV8, show, type V8WorkerData } from "./v8-worker.js";

/** CPU and wall milliseconds of one call. */
export interface Sample {
  cpu: number;
  wall: number;
}

function measure<T>(f: () => T): Sample & { value: T } {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const value = f();
  const w1 = performance.now();
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1000, wall: w1 - w0, value };
}

/** Result of `workload` mode. */
export interface WorkloadChildResult {
  compileInstantiateMs: Sample;
  cold: Sample;
  coldResult: string;
  v8Ms: number;
  v8WallMs: number;
  v8Batch: number;
  v8FreshMs: number;
  oursMs: number;
  oursWallMs: number;
  oursFuelMs: number | undefined;
  instructions: number;
  result: string;
  mismatches: string[];
  reps: number;
}

type Bench = () => unknown;

/** Starts V8's side of a workload row in a worker thread (bench/v8-worker.ts says why). */
function startV8Worker(): { data: V8WorkerData; worker: Worker } {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  // workers do not inherit `--import tsx`: the boot file registers it, then loads the entry
  const boot = new URL("../scripts/programs/node-worker-boot.mjs", import.meta.url);
  const worker = new Worker(boot, { workerData: { entry: new URL("./v8-worker.ts", import.meta.url).href } });
  worker.postMessage({ port: port2, flag }, [port2]);
  return { data: { port: port1, flag }, worker };
}

function workload(ours: OurNamespace, bytes: Uint8Array, reps: number, warmup: number, fuel: boolean): WorkloadChildResult {
  const mismatches: string[] = [];
  // ours: compile + instantiate, then the cold (first) run
  const ci = measure(() => new ours.Instance(new ours.Module(bytes), {}).exports.bench as Bench);
  const plain = ci.value;
  const cold = measure(plain);
  // V8 (in its worker): compile, instantiate, warm up until tiered up
  const { data: v8, worker } = startV8Worker();
  try {
    const loaded = askV8(v8, { kind: "load", bytes });
    if (loaded.kind !== "load") throw new Error(`bench V8 worker: ${loaded.kind} answered load`);
    const expected = loaded.result;
    if (show(cold.value) !== expected) mismatches.push(`ours cold run gave ${show(cold.value)}, V8 ${expected}`);
    const batch = Math.max(1, Math.ceil(20 / Math.max(loaded.bestRunMs, 0.01)));
    // V8 on fresh instances of the warm module (first-touch page faults included)
    const fresh = askV8(v8, { kind: "fresh", count: 5 });
    if (fresh.kind !== "fresh") throw new Error(`bench V8 worker: ${fresh.kind} answered fresh`);
    // ours: warm-up
    const fuelStore = fuel ? new ours.Store({ fuel: Number.MAX_SAFE_INTEGER, costs: "wasmtime" }) : undefined;
    const fueled = fuelStore === undefined ? undefined : (new ours.Instance(new ours.Module(bytes), {}, { store: fuelStore }).exports.bench as Bench);
    for (let i = 0; i < warmup; i++) {
      plain();
      fueled?.();
    }
    const t = { ours: [] as number[], oursWall: [] as number[], fuel: [] as number[], v8: [] as number[], v8Wall: [] as number[] };
    for (let r = 0; r < reps; r++) {
      const a = measure(plain);
      t.ours.push(a.cpu);
      t.oursWall.push(a.wall);
      if (show(a.value) !== expected) mismatches.push(`ours (fuel off) gave ${show(a.value)}, V8 ${expected}`);
      if (fueled !== undefined) {
        const b = measure(fueled);
        t.fuel.push(b.cpu);
        if (show(b.value) !== expected) mismatches.push(`ours (fuel on) gave ${show(b.value)}, V8 ${expected}`);
      }
      const c = askV8(v8, { kind: "batch", batch });
      if (c.kind !== "batch") throw new Error(`bench V8 worker: ${c.kind} answered batch`);
      t.v8.push(c.cpuMs);
      t.v8Wall.push(c.wallMs);
      if (c.result !== expected) mismatches.push(`V8 gave ${c.result} on a later run, ${expected} on the first`);
    }
    // instruction count
    const countStore = new ours.Store({ fuel: Number.MAX_SAFE_INTEGER, costs: "instructions" });
    const counter = new ours.Instance(new ours.Module(bytes), {}, { store: countStore }).exports.bench as Bench;
    const before = countStore.fuelConsumed;
    const counted = show(counter());
    const instructions = countStore.fuelConsumed - before;
    if (counted !== expected) mismatches.push(`ours (counting) gave ${counted}, V8 ${expected}`);
    return {
      compileInstantiateMs: { cpu: ci.cpu, wall: ci.wall },
      cold: { cpu: cold.cpu, wall: cold.wall },
      coldResult: show(cold.value),
      v8Ms: median(t.v8),
      v8WallMs: median(t.v8Wall),
      v8Batch: batch,
      v8FreshMs: median(fresh.cpuMs),
      oursMs: median(t.ours),
      oursWallMs: median(t.oursWall),
      oursFuelMs: fuel ? median(t.fuel) : undefined,
      instructions,
      result: expected,
      mismatches: [...new Set(mismatches)],
      reps,
    };
  } finally {
    void worker.terminate();
  }
}

/** Result of `detached` mode. */
export interface DetachedChildResult {
  cold: Sample;
  oursMs: number;
  result: string;
  reps: number;
}

/**
 * Our steady state in an isolate where an ArrayBuffer was detached first, as in a host that
 * transferred a buffer, or grew a memory whose `buffer` it had read (the JS API detaches the old
 * one). V8 then checks every typed-array access for a detached buffer (bench/v8-worker.ts).
 */
function detached(ours: OurNamespace, bytes: Uint8Array, reps: number, warmup: number): DetachedChildResult {
  const b = new ArrayBuffer(8);
  structuredClone(b, { transfer: [b] });
  if (b.byteLength !== 0) throw new Error("bench detached: the buffer was not detached");
  const run = new ours.Instance(new ours.Module(bytes), {}).exports.bench as Bench;
  const cold = measure(run);
  const result = show(cold.value);
  for (let i = 0; i < warmup; i++) run();
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const s = measure(run);
    if (show(s.value) !== result) throw new Error(`run ${r + warmup + 2} gave ${show(s.value)}, the first ${result}`);
    times.push(s.cpu);
  }
  return { cold: { cpu: cold.cpu, wall: cold.wall }, oursMs: median(times), result, reps };
}

/** Result of `coremark` mode. */
export interface CoremarkChildResult {
  score: number;
  wallMs: number;
  cpuMs: number;
  clockCalls: number;
}

async function coremark(engine: string, bytes: Uint8Array): Promise<CoremarkChildResult> {
  let clockCalls = 0;
  const t0 = performance.now();
  const clock_ms = (): number => {
    clockCalls++;
    return Math.floor(performance.now() - t0) | 0;
  };
  const imports = { env: { clock_ms } };
  let run: () => unknown;
  if (engine === "v8") {
    run = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports).exports.run as () => unknown;
  } else {
    const ours = await loadOurInterpreter();
    run = new ours.Instance(new ours.Module(bytes), imports).exports.run as () => unknown;
  }
  const m = measure(run);
  return { score: Number(m.value), wallMs: m.wall, cpuMs: m.cpu, clockCalls };
}

/** Result of `startup` mode. */
export interface StartupChildResult {
  /** The first compile of the process. */
  first: Sample;
  /** Median of the 2nd to 4th compiles: V8 still optimising our decoder and validator. */
  early: Sample;
  /** Median of the second half of the `reps` compiles after the first: tiered up. */
  warm: Sample;
  reps: number;
}

async function startup(engine: string, bytes: Uint8Array, reps: number): Promise<StartupChildResult> {
  const stub = (module: string, name: string) => (): never => {
    throw new Error(`bench stub ${module}.${name} called`);
  };
  type Desc = { module: string; name: string; kind: string };
  const importsOf = (descs: readonly Desc[]): Record<string, Record<string, unknown>> => {
    const o: Record<string, Record<string, unknown>> = {};
    for (const d of descs) {
      if (d.kind !== "function") throw new Error(`bench startup: import ${d.module}.${d.name} is a ${d.kind}; only function imports are stubbed`);
      (o[d.module] ??= {})[d.name] = stub(d.module, d.name);
    }
    return o;
  };
  let once: (b: Uint8Array) => unknown;
  if (engine === "v8") {
    once = (b) => {
      const m = new WebAssembly.Module(b as Uint8Array<ArrayBuffer>);
      return new WebAssembly.Instance(m, importsOf(WebAssembly.Module.imports(m)) as WebAssembly.Imports);
    };
  } else {
    const ours = await loadOurInterpreter();
    once = (b) => {
      const m = new ours.Module(b);
      return new ours.Instance(m, importsOf(ours.Module.imports(m) as readonly Desc[]) as never);
    };
  }
  let nonce = 0;
  let input = withNonce(bytes, nonce++);
  const first = measure(() => once(input));
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < reps; i++) {
    input = withNonce(bytes, nonce++);
    const s = measure(() => once(input));
    cpu.push(s.cpu);
    wall.push(s.wall);
  }
  const late = Math.floor(reps / 2);
  return {
    first: { cpu: first.cpu, wall: first.wall },
    early: { cpu: median(cpu.slice(0, 3)), wall: median(wall.slice(0, 3)) },
    warm: { cpu: median(cpu.slice(late)), wall: median(wall.slice(late)) },
    reps,
  };
}

/** Result of `mixed` mode: per workload, in the order given. */
export interface MixedChildResult {
  workloads: { file: string; first: Sample; steadyMs: number; result: string }[];
  reps: number;
}

function mixed(ours: OurNamespace, files: string[], reps: number, warmup: number): MixedChildResult {
  const benches = files.map((file) => {
    const b = new ours.Instance(new ours.Module(new Uint8Array(readFileSync(file))), {}).exports.bench as Bench;
    const first = measure(b);
    return { file, b, first: { cpu: first.cpu, wall: first.wall }, result: show(first.value), times: [] as number[] };
  });
  for (let r = 0; r < warmup + reps; r++) {
    for (const w of benches) {
      const s = measure(w.b);
      if (show(s.value) !== w.result) throw new Error(`${w.file}: run ${r + 2} gave ${show(s.value)}, its first run ${w.result}`);
      if (r >= warmup) w.times.push(s.cpu);
    }
  }
  return { workloads: benches.map((w) => ({ file: w.file, first: w.first, steadyMs: median(w.times), result: w.result })), reps };
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const mode = process.argv[2];
const wasm = arg("--wasm");
const out = arg("--out");
if (wasm === undefined || out === undefined) {
  console.error("usage: bench/child.ts workload|detached|coremark|startup|mixed --wasm FILE[,FILE...] --out FILE [...]");
  process.exit(2);
}
let result: unknown;
if (mode === "mixed") {
  result = mixed(await loadOurInterpreter(), wasm.split(","), Number(arg("--reps") ?? 4), Number(arg("--warmup") ?? 2));
} else if (mode === "workload") {
  const bytes = new Uint8Array(readFileSync(wasm));
  const ours = await loadOurInterpreter();
  result = workload(ours, bytes, Number(arg("--reps") ?? 5), Number(arg("--warmup") ?? 2), !process.argv.includes("--no-fuel"));
} else if (mode === "detached") {
  result = detached(await loadOurInterpreter(), new Uint8Array(readFileSync(wasm)), Number(arg("--reps") ?? 3), Number(arg("--warmup") ?? 2));
} else if (mode === "coremark") {
  result = await coremark(arg("--engine") ?? "ours", new Uint8Array(readFileSync(wasm)));
} else if (mode === "startup") {
  result = await startup(arg("--engine") ?? "ours", new Uint8Array(readFileSync(wasm)), Number(arg("--reps") ?? 3));
} else {
  console.error(`bench/child.ts: unknown mode ${mode}`);
  process.exit(2);
}
writeFileSync(out, JSON.stringify(result));
