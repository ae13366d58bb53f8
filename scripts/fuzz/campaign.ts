/**
 * A differential fuzzing campaign: for module seeds `seed, seed+1, ...` generate a `-ttf` module,
 * compare it on two engines (diff.ts), write a reproducer for every divergence. Used by
 * `scripts/fuzz-diff.ts` and by `test/fuzz/diff.test.ts`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadOurInterpreter } from "../spec/our-engine.js";
import { diffModule, mutantSide, nodeSide, ourSide, ourSideFuelOff } from "./diff.js";
import type { DiffReport, Side } from "./diff.js";
import { FEATURE_NAMES, OPT_LEVELS, TtfGenerator } from "./ttf.js";
import type { FeatureSet, OptLevel } from "./ttf.js";

export type EngineB = "ours" | "node" | "node-mutant";

export interface CampaignOptions {
  readonly count: number;
  readonly seed: number;
  /** A feature preset, or "mixed": module seed s uses FEATURE_NAMES[s % 5]. */
  readonly features: FeatureSet | "mixed";
  /** Run binaryen's --denan (default true). Without it, NaN-shaped memory differences are tolerated. */
  readonly denan: boolean;
  readonly argSets: number;
  /** Engine B: "ours" (default), "node" (self-check of the harness) or "node-mutant" (must diverge). */
  readonly engineB: EngineB;
  /** Fuel bound per call on our engine. */
  readonly fuel: number;
  /** Folder for reproducers (none when undefined). */
  readonly outDir: string | undefined;
  /** Stop starting new modules after this many ms. */
  readonly timeLimitMs: number | undefined;
  /** Called after every module. */
  readonly onModule?: (r: ModuleResult) => void;
  /** Run `wasm-opt -O3`/`-Oz` on each module; "mixed": module seed s uses OPT_LEVELS[(s >> 3) % 2]. Default: none. */
  readonly opt?: OptLevel | "mixed";
}

export interface ModuleResult extends DiffReport {
  readonly seed: number;
  readonly features: FeatureSet;
  /** The optimisation level applied, if any. */
  readonly opt?: OptLevel;
  readonly ms: number;
  /** Path of the reproducer, for divergences written to outDir. */
  reproducer?: string;
}

export interface CampaignSummary {
  modules: number;
  agree: number;
  diverge: number;
  inconclusive: number;
  skipped: number;
  calls: number;
  ms: number;
  genMs: number;
  divergences: ModuleResult[];
  inconclusives: ModuleResult[];
}

export function featuresFor(opts: Pick<CampaignOptions, "features">, moduleSeed: number): FeatureSet {
  return opts.features === "mixed" ? FEATURE_NAMES[(moduleSeed >>> 0) % FEATURE_NAMES.length] : opts.features;
}

export function optFor(opts: Pick<CampaignOptions, "opt">, moduleSeed: number): OptLevel | undefined {
  return opts.opt === "mixed" ? OPT_LEVELS[((moduleSeed >>> 0) >>> 3) % OPT_LEVELS.length] : opts.opt;
}

/** Wall-clock bound per call on our engine when fuel metering is off. */
export const FUEL_OFF_TIMEOUT_MS = 10_000;

/**
 * Makes the engine-B side for the module of `seed` (a fresh Store each time for ours). Our
 * engine alternates by seed: even seeds run with fuel metering on (bounded by `fuel` per call),
 * odd seeds with metering off (bounded by a wall-clock timeout), so both executor paths are compared.
 */
export async function sideFactory(engineB: EngineB, fuel: number): Promise<(seed: number) => Side> {
  if (engineB === "node") return () => nodeSide();
  if (engineB === "node-mutant") return () => mutantSide();
  const ns = await loadOurInterpreter();
  return (seed) => ((seed & 1) === 0 ? ourSide(ns, fuel) : ourSideFuelOff(ns, FUEL_OFF_TIMEOUT_MS));
}

export async function runCampaign(opts: CampaignOptions): Promise<CampaignSummary> {
  const gen = new TtfGenerator();
  const makeB = await sideFactory(opts.engineB, opts.fuel);
  const a = nodeSide();
  const sum: CampaignSummary = { modules: 0, agree: 0, diverge: 0, inconclusive: 0, skipped: 0, calls: 0, ms: 0, genMs: 0, divergences: [], inconclusives: [] };
  const t0 = performance.now();
  try {
    for (let i = 0; i < opts.count; i++) {
      if (opts.timeLimitMs !== undefined && performance.now() - t0 > opts.timeLimitMs) break;
      const seed = (opts.seed + i) >>> 0;
      const features = featuresFor(opts, seed);
      const opt = optFor(opts, seed);
      const tg = performance.now();
      const bytes = await gen.generate(seed, { features, denan: opts.denan, opt });
      const tm = performance.now();
      sum.genMs += tm - tg;
      let r: DiffReport;
      try {
        r = diffModule(bytes, a, makeB(seed), seed, { argSets: opts.argSets, nanTolerantMemory: !opts.denan });
      } catch (e) {
        r = { status: "diverge", calls: 0, detail: `harness exception: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, module: bytes };
      }
      const res: ModuleResult = { ...r, seed, features, opt, ms: performance.now() - tm };
      sum.modules++;
      sum.calls += r.calls;
      sum[r.status]++;
      if (r.status === "diverge") {
        if (opts.outDir !== undefined) {
          mkdirSync(opts.outDir, { recursive: true });
          const base = join(opts.outDir, `diff-${seed}-${features}${opt ? "-" + opt : ""}`);
          writeFileSync(`${base}.wasm`, r.module);
          writeFileSync(
            `${base}.txt`,
            `seed ${seed} features ${features} denan ${opts.denan}${opt ? " opt " + opt : ""}\n${r.detail}\nreproduce: npm run fuzz:diff -- --seed ${seed} --count 1 --features ${features}${opts.denan ? "" : " --nan"}${opt ? " --opt " + opt : ""}\nor re-check the module: npm run fuzz:diff -- --module ${base}.wasm --seed ${seed}\n`,
          );
          res.reproducer = `${base}.wasm`;
        }
        sum.divergences.push(res);
      } else if (r.status === "inconclusive") sum.inconclusives.push(res);
      opts.onModule?.(res);
    }
  } finally {
    gen.close();
  }
  sum.ms = performance.now() - t0;
  return sum;
}
