/**
 * The workloads of `npm run bench` and the fresh processes that measure them. Each measurement runs
 * in its own `node` process (bench/child.ts) started with `--trace-deopt --trace-opt`, so every row
 * starts cold exactly like a CLI run, and V8's traces tell how often the dispatch loop (the
 * function `loop` of interpreter/execute/loop.ts) was optimised and deoptimised in that process.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CoremarkChildResult, DetachedChildResult, MixedChildResult, Sample, StartupChildResult, WorkloadChildResult } from "./child.js";
import { median } from "./stats.js";

/** A benchmark workload: a module exporting `bench()` with no imports. */
export interface WorkloadSpec {
  name: string;
  file: string;
  /** "c" / "rust" for ours (bench/workloads), "c (old)" for the five of sharedDir()/bench. */
  lang: string;
  /** The instruction count listed in counts.tsv, for the old five. */
  countsTsv?: number;
  /** The source, when it is not bench/workloads/<name>/<name>.{c,rs} (the SIMD pair). */
  source?: string;
}

/** What V8's `--trace-deopt --trace-opt` said about the dispatch loop in one process. */
export interface LoopTrace {
  /** "bailout (kind: deopt-...)" lines for `<JSFunction loop`. */
  deopts: number;
  /** The deopt kinds and reasons, e.g. "deopt-eager: Insufficient type feedback for binary operation". */
  reasons: string[];
  /** "completed optimizing" lines for the loop (OSR or not). */
  optimizations: number;
  /** Sum of TurboFan's compile phase times for the loop ("took a, b, c ms"), ms. */
  compileMs: number;
}

/** Counts the dispatch loop's optimisations and deoptimisations in a V8 trace. */
export function loopTrace(stdout: string): LoopTrace {
  const t: LoopTrace = { deopts: 0, reasons: [], optimizations: 0, compileMs: 0 };
  for (const line of stdout.split("\n")) {
    if (!line.includes("<JSFunction loop (")) continue;
    const bail = /^\[bailout \(kind: ([\w-]+), reason: ([^)]*)\)/.exec(line);
    if (bail !== null) {
      t.deopts++;
      t.reasons.push(`${bail[1]}: ${bail[2]}`);
    } else if (line.startsWith("[completed optimizing")) t.optimizations++;
    else if (line.startsWith("[completed compiling")) {
      const m = /took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
      if (m !== null) t.compileMs += Number(m[1]) + Number(m[2]) + Number(m[3]);
    }
  }
  return t;
}

/** Runs bench/child.ts in a fresh process; returns its JSON result and the loop trace. */
export function runChild<T>(root: string, args: string[], timeoutMs = 600_000): { result: T; trace: LoopTrace; wallMs: number } {
  const dir = mkdtempSync(join(tmpdir(), "pureflow-bench-"));
  const out = join(dir, "out.json");
  try {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--trace-deopt", "--trace-opt", "--import", "tsx", join(root, "bench", "child.ts"), ...args, "--out", out], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 30,
      timeout: timeoutMs,
    });
    const wallMs = performance.now() - t0;
    if (r.error !== undefined) throw new Error(`bench child (${args.join(" ")}) failed to run: ${r.error.message}`);
    if (r.status !== 0 || !existsSync(out)) {
      const err = (r.stderr ?? "").trim().split("\n").slice(-15).join("\n");
      throw new Error(`bench child (${args.join(" ")}) exited with ${r.status ?? r.signal}:\n${err}`);
    }
    return { result: JSON.parse(readFileSync(out, "utf8")) as T, trace: loopTrace(r.stdout ?? ""), wallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads counts.tsv (workload -> instructions) of the old five. */
function readCounts(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const lines = readFileSync(join(dir, "counts.tsv"), "utf8").trim().split("\n").slice(1);
    for (const l of lines) {
      const [w, , instr] = l.split("\t");
      out.set(w, Number(instr));
    }
  } catch {
    // no counts.tsv: the cross-check stays empty
  }
  return out;
}

/** The old five (sharedDir()/bench/*.wasm), then ours (bench/workloads/<name>/<name>.wasm). */
export function workloadSpecs(root: string, sharedBench: string | undefined): WorkloadSpec[] {
  const specs: WorkloadSpec[] = [];
  if (sharedBench !== undefined) {
    const counts = readCounts(sharedBench);
    for (const f of readdirSync(sharedBench).filter((f) => f.endsWith(".wasm")).sort()) {
      const name = f.slice(0, -5);
      specs.push({ name, file: join(sharedBench, f), lang: "c (old)", countsTsv: counts.get(name) });
    }
  }
  const wdir = join(root, "bench", "workloads");
  for (const name of readdirSync(wdir).sort()) {
    const file = join(wdir, name, `${name}.wasm`);
    if (!existsSync(file)) continue;
    const lang = existsSync(join(wdir, name, `${name}.rs`)) ? "rust" : "c";
    specs.push({ name, file, lang });
  }
  // one C source built with and without -msimd128 (bench/workloads/simd/BUILD.md)
  const simd = join(wdir, "simd");
  if (existsSync(join(simd, "simd128.wasm"))) specs.push({ name: "simd128", file: join(simd, "simd128.wasm"), lang: "c+simd", source: join(simd, "kernels.c") });
  if (existsSync(join(simd, "scalar.wasm"))) specs.push({ name: "simd-off", file: join(simd, "scalar.wasm"), lang: "c", source: join(simd, "kernels.c") });
  return specs;
}

/** One row of the workload table. */
export interface WorkloadRow extends WorkloadChildResult {
  workload: string;
  lang: string;
  countsTsv: number | undefined;
  /** ours / V8 warm (CPU time). */
  slowdown: number;
  /** ours / V8 on a fresh instance. */
  slowdownFresh: number;
  /** M wasm instructions per second, ours, fuel off. */
  mips: number;
  /** (fuel on / fuel off) - 1. */
  fuelOverhead: number | undefined;
  /** cold CPU time / steady-state CPU time. */
  coldRatio: number;
  loop: LoopTrace;
  /** Wall time of the whole child process. */
  processWallMs: number;
}

export function runWorkload(root: string, spec: WorkloadSpec, reps: number, warmup: number, fuel: boolean): WorkloadRow {
  const args = ["workload", "--wasm", spec.file, "--reps", String(reps), "--warmup", String(warmup)];
  if (!fuel) args.push("--no-fuel");
  const { result: r, trace, wallMs } = runChild<WorkloadChildResult>(root, args);
  return {
    ...r,
    workload: spec.name,
    lang: spec.lang,
    countsTsv: spec.countsTsv,
    slowdown: r.oursMs / r.v8Ms,
    slowdownFresh: r.oursMs / r.v8FreshMs,
    mips: r.instructions / r.oursMs / 1000,
    fuelOverhead: r.oursFuelMs === undefined ? undefined : r.oursFuelMs / r.oursMs - 1,
    coldRatio: r.cold.cpu / r.oursMs,
    loop: trace,
    processWallMs: wallMs,
  };
}

/** Our steady state after a detach (bench/child.ts `detached`), next to the workload's own row. */
export interface DetachedRow extends DetachedChildResult {
  workload: string;
  loop: LoopTrace;
}

export function runDetached(root: string, spec: WorkloadSpec, reps: number, warmup: number): DetachedRow {
  const { result, trace } = runChild<DetachedChildResult>(root, ["detached", "--wasm", spec.file, "--reps", String(reps), "--warmup", String(warmup)]);
  return { ...result, workload: spec.name, loop: trace };
}

/** CoreMark in a fresh process per engine. */
export interface CoremarkRow {
  engine: string;
  score: number;
  wallMs: number;
  cpuMs: number;
  loop: LoopTrace;
}

export function runCoremark(root: string, file: string, engine: "v8" | "ours"): CoremarkRow {
  const { result, trace } = runChild<CoremarkChildResult>(root, ["coremark", "--wasm", file, "--engine", engine]);
  return { engine, score: result.score, wallMs: result.wallMs, cpuMs: result.cpuMs, loop: trace };
}

/** Startup of one module on one engine in a fresh process. */
export interface StartupRow extends StartupChildResult {
  module: string;
  bytes: number;
  engine: string;
}

export function runStartup(root: string, file: string, engine: "v8" | "ours", reps: number): StartupRow {
  const { result } = runChild<StartupChildResult>(root, ["startup", "--wasm", file, "--engine", engine, "--reps", String(reps)]);
  return { ...result, module: file.replace(/^.*\//, "").replace(/\.wasm$/, ""), bytes: readFileSync(file).length, engine };
}

/** A startup row over several fresh processes: each figure the median of the processes' own. */
export interface StartupMedianRow extends StartupRow {
  /** How many fresh processes the figures are medians of. */
  processes: number;
  /** Each process's first compile (CPU ms), in the order they ran. */
  firstCpuAll: number[];
}

/**
 * Startup of `file` by both engines in `processes` fresh processes each, alternated (ours, V8,
 * ours, ...) so that a slow stretch of a shared machine falls on both; each figure is the median
 * over that engine's processes (one process's fresh figure swings by 15-25 % here).
 */
export function runStartupMedians(root: string, file: string, reps: number, processes: number): { ours: StartupMedianRow; v8: StartupMedianRow } {
  const runs: Record<"ours" | "v8", StartupRow[]> = { ours: [], v8: [] };
  for (let p = 0; p < processes; p++) {
    runs.ours.push(runStartup(root, file, "ours", reps));
    runs.v8.push(runStartup(root, file, "v8", reps));
  }
  const combine = (rows: StartupRow[]): StartupMedianRow => {
    const of = (pick: (r: StartupRow) => Sample): Sample => ({ cpu: median(rows.map((r) => pick(r).cpu)), wall: median(rows.map((r) => pick(r).wall)) });
    return { ...rows[0]!, first: of((r) => r.first), early: of((r) => r.early), warm: of((r) => r.warm), processes: rows.length, firstCpuAll: rows.map((r) => r.first.cpu) };
  };
  return { ours: combine(runs.ours), v8: combine(runs.v8) };
}

/** The workloads run one after the other in ONE process (bench/child.ts `mixed`). */
export interface MixedRow {
  workload: string;
  /** Its first call in that process (after the workloads before it had run). */
  first: number;
  /** Its steady state there (median CPU ms of the rounds over all workloads). */
  steadyMs: number;
  result: string;
}

export function runMixed(root: string, specs: readonly WorkloadSpec[], reps: number, warmup: number): { rows: MixedRow[]; loop: LoopTrace } {
  const { result, trace } = runChild<MixedChildResult>(root, ["mixed", "--wasm", specs.map((s) => s.file).join(","), "--reps", String(reps), "--warmup", String(warmup)], 1_800_000);
  return {
    rows: result.workloads.map((w, i) => ({ workload: specs[i]!.name, first: w.first.cpu, steadyMs: w.steadyMs, result: w.result })),
    loop: trace,
  };
}
