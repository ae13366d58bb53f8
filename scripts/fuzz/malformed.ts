/**
 * The malformed-input campaign (issue 7): mutate valid binaries (spec-suite modules, -ttf modules,
 * fixture components) and feed them to our decoder/validator (and, when they still compile, to
 * instantiation and a fuel-bounded call of every export). Every failure must be a typed error:
 * `CompileError`, `LinkError`, `RuntimeError`, or a `ComponentError` for components; never a raw
 * TypeError/RangeError, never slower than the time bound.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mutate } from "./mutate.js";
import { Rng } from "./prng.js";
import { FEATURE_NAMES, TtfGenerator } from "./ttf.js";
import { funcTypeOf, parseModule } from "./wasm-parse.js";
import type { OurNamespace } from "../spec/our-engine.js";

export interface Seed {
  readonly name: string;
  readonly kind: "module" | "component";
  readonly bytes: Uint8Array;
}

type ErrorClass = abstract new (...args: never[]) => Error;

export interface ComponentApi {
  readonly Component: { fromBytes(bytes: Uint8Array): unknown };
  readonly instantiateComponent: (c: unknown, options?: { store?: unknown }) => unknown;
  readonly ComponentError: ErrorClass;
}

export interface MalformedOptions {
  readonly count: number;
  readonly seed: number;
  /** First case index (to re-run one case: `from: i, count: 1`). */
  readonly from?: number;
  /** Per-case time bound in ms (a slower case is a failure). */
  readonly timeBoundMs: number;
  /** Fuel for each export call of a mutant that still instantiates. */
  readonly callFuel: number;
  /** Folder for reproducers of failures (none when undefined). */
  readonly outDir: string | undefined;
  readonly onProblem?: (p: Problem) => void;
}

export interface Problem {
  readonly case: number;
  readonly source: string;
  readonly mutations: string[];
  readonly detail: string;
  file?: string;
}

export interface MalformedSummary {
  cases: number;
  /** outcome -> count (compile-error, link-error, instantiated, component-error, ...). */
  outcomes: Record<string, number>;
  problems: Problem[];
  slowestMs: number;
  slowestCase: string;
  ms: number;
  maxHeapMB: number;
}

function walkWasm(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names.sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walkWasm(p, out);
    else if (n.endsWith(".wasm")) out.push(p);
  }
  return out;
}

/** Seeds from the spec suite (every module file), the fixtures and `ttfCount` -ttf modules. */
export async function collectSeeds(specDir: string | undefined, fixturesDir: string | undefined, ttfCount: number, seed: number): Promise<Seed[]> {
  const seeds: Seed[] = [];
  if (specDir !== undefined) for (const f of walkWasm(specDir)) seeds.push({ name: f.slice(specDir.length + 1), kind: "module", bytes: new Uint8Array(readFileSync(f)) });
  if (fixturesDir !== undefined) {
    for (const f of walkWasm(fixturesDir)) {
      const b = new Uint8Array(readFileSync(f));
      seeds.push({ name: f.slice(fixturesDir.length + 1), kind: b[4] === 1 && b[6] === 0 ? "module" : "component", bytes: b });
    }
  }
  if (ttfCount > 0) {
    const gen = new TtfGenerator();
    try {
      for (let i = 0; i < ttfCount; i++) {
        const s = seed + 7919 * i;
        seeds.push({ name: `ttf-${s}`, kind: "module", bytes: await gen.generate(s, { features: FEATURE_NAMES[i % FEATURE_NAMES.length] }) });
      }
    } finally {
      gen.close();
    }
  }
  return seeds;
}

/** Zero arguments of the JS-API form for a parameter type byte. */
function zero(t: number): unknown {
  return t === 0x7e ? 0n : t === 0x70 || t === 0x6f ? null : 0;
}

/**
 * Checks one input. Returns the outcome name, or throws a string describing a problem
 * (an untyped exception).
 */
export function checkInput(ns: OurNamespace, comp: ComponentApi | undefined, kind: "module" | "component", bytes: Uint8Array, callFuel: number): string {
  const typed = (e: unknown, allowed: ErrorClass[], stage: string): string => {
    if (allowed.some((c) => e instanceof c)) return `${stage}:${(e as Error).name}`;
    const name = e instanceof Error ? e.constructor.name : typeof e;
    throw `${stage}: untyped ${name}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`;
  };
  if (kind === "component") {
    if (comp === undefined) return "component-skipped";
    const allowed = [comp.ComponentError, ns.CompileError, ns.LinkError, ns.RuntimeError];
    let c: unknown;
    try {
      c = comp.Component.fromBytes(bytes);
    } catch (e) {
      return typed(e, allowed, "decode");
    }
    try {
      comp.instantiateComponent(c, { store: new ns.Store({ fuel: callFuel }) });
      return "instantiated";
    } catch (e) {
      return typed(e, allowed, "instantiate");
    }
  }
  let m: object;
  try {
    m = new ns.Module(bytes);
  } catch (e) {
    return typed(e, [ns.CompileError], "compile");
  }
  const store = new ns.Store({ fuel: callFuel });
  let exports: Record<string, unknown>;
  try {
    exports = new ns.Instance(m, {}, { store }).exports;
  } catch (e) {
    return typed(e, [ns.LinkError, ns.RuntimeError], "instantiate");
  }
  // It compiled and instantiated: call every export with zeros under the fuel bound.
  let parsed: ReturnType<typeof parseModule> | undefined;
  try {
    parsed = parseModule(bytes);
  } catch {
    parsed = undefined; // our tool reader is stricter/looser than the decoder: skip the calls
  }
  if (parsed === undefined) return "instantiated";
  let traps = 0;
  for (const ex of parsed.exports) {
    if (ex.kind !== 0) continue;
    const f = exports[ex.name];
    if (typeof f !== "function") continue;
    store.setFuel(callFuel);
    try {
      (f as (...a: unknown[]) => unknown)(...funcTypeOf(parsed, ex.index).params.map(zero));
    } catch (e) {
      typed(e, [ns.RuntimeError], `call ${ex.name}`);
      traps++;
    }
  }
  return traps > 0 ? "instantiated+trapped" : "instantiated+ran";
}

export async function runMalformed(ns: OurNamespace, comp: ComponentApi | undefined, seeds: readonly Seed[], opts: MalformedOptions): Promise<MalformedSummary> {
  const sum: MalformedSummary = { cases: 0, outcomes: {}, problems: [], slowestMs: 0, slowestCase: "", ms: 0, maxHeapMB: 0 };
  const t0 = performance.now();
  const from = opts.from ?? 0;
  for (let i = from; i < from + opts.count; i++) {
    const rng = new Rng((opts.seed + i * 0x9e3779b1) >>> 0);
    const src = seeds[rng.int(seeds.length)];
    const { bytes, what } = mutate(src.bytes, rng);
    const tc = performance.now();
    let outcome: string;
    let problem: string | undefined;
    try {
      outcome = checkInput(ns, comp, src.kind, bytes, opts.callFuel);
    } catch (e) {
      outcome = "PROBLEM";
      problem = typeof e === "string" ? e : `harness: ${String(e)}`;
    }
    const ms = performance.now() - tc;
    if (ms > sum.slowestMs) {
      sum.slowestMs = ms;
      sum.slowestCase = `case ${i} ${src.name} ${what.join(" ")}`;
    }
    if (problem === undefined && ms > opts.timeBoundMs) problem = `took ${ms.toFixed(0)} ms (bound ${opts.timeBoundMs} ms), outcome ${outcome}`;
    sum.cases++;
    sum.outcomes[outcome] = (sum.outcomes[outcome] ?? 0) + 1;
    if (i % 256 === 0) sum.maxHeapMB = Math.max(sum.maxHeapMB, process.memoryUsage().heapUsed / 1048576);
    if (problem !== undefined) {
      const p: Problem = { case: i, source: src.name, mutations: what, detail: problem };
      if (opts.outDir !== undefined) {
        mkdirSync(opts.outDir, { recursive: true });
        const f = join(opts.outDir, `malformed-${opts.seed}-${i}.wasm`);
        writeFileSync(f, bytes);
        writeFileSync(f.replace(/\.wasm$/, ".txt"), `source ${src.name} (${src.kind})\nmutations ${what.join(" ")}\n${problem}\nreproduce: node --import tsx scripts/fuzz/malformed-cli.ts --seed ${opts.seed} --from ${i} --count 1\n`);
        p.file = f;
      }
      sum.problems.push(p);
      opts.onProblem?.(p);
    }
  }
  sum.ms = performance.now() - t0;
  return sum;
}
