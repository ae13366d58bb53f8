/**
 * Core workloads of `npm run bench`: each `sharedDir()/bench/*.wasm` (export `bench`, no
 * arguments) on Node's WebAssembly, on our interpreter with fuel off and with fuel on
 * ("wasmtime" costs), interleaved in one process: warm-up, then repetitions; the instruction count
 * comes from our fuel counter with the "instructions" costs and is cross-checked with counts.tsv.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { OurNamespace } from "../scripts/spec/our-engine.js";
import { median, timed } from "./stats.js";

export interface WorkloadRow {
  workload: string;
  /** Wasm instructions of one run (our "instructions" fuel counter). */
  instructions: number;
  /** counts.tsv's figure, when listed. */
  countsTsv: number | undefined;
  v8Ms: number;
  oursMs: number;
  oursFuelMs: number;
  /** M wasm instructions per second, ours with fuel off / on. */
  mips: number;
  mipsFuel: number;
  /** ours / V8, fuel off and on. */
  slowdown: number;
  slowdownFuel: number;
  /** (fuel on / fuel off) - 1. */
  fuelOverhead: number;
  /** Result agreement between V8 and ours. */
  resultsAgree: boolean;
  result: string;
  reps: number;
}

type Bench = () => unknown;

/** Reads counts.tsv (workload -> instructions). */
function readCounts(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const lines = readFileSync(join(dir, "counts.tsv"), "utf8").trim().split("\n").slice(1);
    for (const l of lines) {
      const [w, , instr] = l.split("\t");
      out.set(w, Number(instr));
    }
  } catch {
    // no counts.tsv: the cross-check column stays empty
  }
  return out;
}

export function workloadNames(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith(".wasm")).map((f) => f.slice(0, -5)).sort();
}

/** Runs one workload; `reps` timed runs per engine after `warmup` runs. */
export function runWorkload(dir: string, name: string, ours: OurNamespace, reps: number, warmup: number): WorkloadRow {
  const bytes = new Uint8Array(readFileSync(join(dir, `${name}.wasm`)));
  const v8 = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports.bench as Bench;
  const mod = new ours.Module(bytes);
  const plain = new ours.Instance(mod, {}).exports.bench as Bench;
  const fuelStore = new ours.Store({ fuel: Number.MAX_SAFE_INTEGER, costs: "wasmtime" });
  const fueled = new ours.Instance(mod, {}, { store: fuelStore }).exports.bench as Bench;
  // Instruction count: one run with the "instructions" costs.
  const countStore = new ours.Store({ fuel: Number.MAX_SAFE_INTEGER, costs: "instructions" });
  const counter = new ours.Instance(mod, {}, { store: countStore }).exports.bench as Bench;
  const before = countStore.fuelConsumed;
  const counted = counter();
  const instructions = countStore.fuelConsumed - before;

  const configs: [string, Bench][] = [["v8", v8], ["ours", plain], ["fuel", fueled]];
  const times: Record<string, number[]> = { v8: [], ours: [], fuel: [] };
  const results: Record<string, unknown> = {};
  for (let r = 0; r < warmup + reps; r++) {
    for (const [k, f] of configs) {
      const t = timed(f);
      results[k] = t.value;
      if (r >= warmup) times[k].push(t.ms);
    }
  }
  const v8Ms = median(times.v8), oursMs = median(times.ours), oursFuelMs = median(times.fuel);
  const same = (a: unknown, b: unknown): boolean => (typeof a === "number" && typeof b === "number" ? Object.is(a, b) || (a === b) : a === b);
  return {
    workload: name,
    instructions,
    countsTsv: readCounts(dir).get(name),
    v8Ms,
    oursMs,
    oursFuelMs,
    mips: instructions / oursMs / 1000,
    mipsFuel: instructions / oursFuelMs / 1000,
    slowdown: oursMs / v8Ms,
    slowdownFuel: oursFuelMs / v8Ms,
    fuelOverhead: oursFuelMs / oursMs - 1,
    resultsAgree: same(results.v8, results.ours) && same(results.v8, results.fuel) && same(results.v8, counted),
    result: String(results.v8),
    reps,
  };
}
