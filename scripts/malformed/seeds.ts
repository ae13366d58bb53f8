/**
 * The seed corpus of the malformed-input fuzzer: valid inputs to mutate.
 * - core modules: every `module` command of the spec suite (`sharedDir()/wasm-spec`) that our
 *   interpreter compiles (SIMD modules are left out: they all stop at the same CompileError),
 *   the benchmark workloads (`sharedDir()/bench/*.wasm`), `fixtures/hostile/core-module`, and the
 *   core modules embedded in the fixture components;
 * - components: every `fixtures/** /component.wasm`.
 * The order is deterministic (sorted paths), so a case is reproducible from seed + case number
 * given the same corpus; the corpus fingerprint is printed with every campaign.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { Module } from "../../interpreter/index.js";
import { projectRoot, sharedDir } from "../../test/helpers/shared.js";
import { parseSections } from "./sections.js";

/** One seed input. */
export interface Seed {
  /** Where it comes from (path, and command line for spec modules). */
  readonly name: string;
  readonly kind: "core" | "component";
  readonly bytes: Uint8Array;
}

/** The corpus: seeds by kind, and what could not be loaded. */
export interface Corpus {
  readonly core: readonly Seed[];
  readonly component: readonly Seed[];
  /** Notes on missing parts (e.g. no shared folder). */
  readonly notes: readonly string[];
}

/** Options of {@link loadCorpus}. */
export interface CorpusOptions {
  /** Take at most this many spec-suite modules (evenly spread), default all. */
  readonly maxSpecModules?: number;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function compiles(bytes: Uint8Array): boolean {
  try {
    new Module(bytes);
    return true;
  } catch {
    return false;
  }
}

interface SpecCommand {
  readonly type: string;
  readonly filename?: string;
  readonly line?: number;
}

function specModules(notes: string[]): Seed[] {
  const dir = join(sharedDir(), "wasm-spec");
  if (!existsSync(dir)) {
    notes.push(`no spec-suite seeds: ${dir} not found (set PUREFLOW_SHARED)`);
    return [];
  }
  const out: Seed[] = [];
  let skipped = 0;
  for (const sub of readdirSync(dir).sort()) {
    const json = join(dir, sub, `${sub}.json`);
    if (!existsSync(json)) continue;
    const commands = (JSON.parse(readFileSync(json, "utf8")) as { commands: SpecCommand[] }).commands;
    for (const c of commands) {
      if (c.type !== "module" || c.filename === undefined || !c.filename.endsWith(".wasm")) continue;
      const bytes = new Uint8Array(readFileSync(join(dir, sub, c.filename)));
      if (compiles(bytes)) out.push({ name: `wasm-spec/${sub}/${c.filename} (line ${c.line ?? "?"})`, kind: "core", bytes });
      else skipped++;
    }
  }
  if (skipped > 0) notes.push(`${skipped} spec-suite modules left out (they do not compile here, e.g. SIMD)`);
  return out;
}

function benchModules(notes: string[]): Seed[] {
  const dir = join(sharedDir(), "bench");
  if (!existsSync(dir)) {
    notes.push(`no bench seeds: ${dir} not found`);
    return [];
  }
  return readdirSync(dir).sort().filter((f) => f.endsWith(".wasm")).map((f) => ({ name: `bench/${f}`, kind: "core" as const, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}

/** Core modules embedded (section id 1) in a component, recursively through nested components (id 4). */
export function embeddedCoreModules(bytes: Uint8Array): Uint8Array[] {
  const list = parseSections(bytes);
  if (list === undefined) return [];
  const out: Uint8Array[] = [];
  for (const s of list.sections) {
    if (s.id === 1) out.push(s.content);
    else if (s.id === 4) out.push(...embeddedCoreModules(s.content));
  }
  return out;
}

function dedupe(seeds: Seed[]): Seed[] {
  const seen = new Set<string>();
  return seeds.filter((s) => {
    const h = createHash("sha1").update(s.bytes).digest("hex");
    if (seen.has(h)) return false;
    seen.add(h);
    return true;
  });
}

function spread<T>(xs: T[], max: number | undefined): T[] {
  if (max === undefined || xs.length <= max) return xs;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.floor((i * xs.length) / max)]!);
  return out;
}

/** Loads the corpus (deterministic order). */
export function loadCorpus(options: CorpusOptions = {}): Corpus {
  const notes: string[] = [];
  const fixtureDir = join(projectRoot, "fixtures");
  const fixtureFiles = walk(fixtureDir, []).filter((p) => p.endsWith(".wasm"));
  const component: Seed[] = [];
  const fixtureCore: Seed[] = [];
  for (const p of fixtureFiles) {
    const bytes = new Uint8Array(readFileSync(p));
    const name = relative(projectRoot, p);
    if (p.endsWith("component.wasm")) {
      component.push({ name, kind: "component", bytes });
      embeddedCoreModules(bytes).forEach((m, i) => {
        if (compiles(m)) fixtureCore.push({ name: `${name} core module ${i}`, kind: "core", bytes: Uint8Array.from(m) });
      });
    } else if (compiles(bytes)) fixtureCore.push({ name, kind: "core", bytes });
  }
  const core = dedupe([...fixtureCore, ...benchModules(notes), ...spread(specModules(notes), options.maxSpecModules)]);
  return { core, component: dedupe(component), notes };
}

/** A short fingerprint of the corpus (to check a reproducer runs against the same seeds). */
export function corpusFingerprint(c: Corpus): string {
  const h = createHash("sha1");
  for (const s of [...c.core, ...c.component]) h.update(s.name).update(s.bytes);
  return h.digest("hex").slice(0, 12);
}
