/**
 * The differential corpus of compiled programs (issue 10, part 3): Csmith programs and programs of
 * our own (test/programs/src, C and Rust), each built at every optimisation level and run on Node's
 * WebAssembly and ours; {@link diffProgram} compares the two runs. Used by
 * `scripts/fuzz-programs.ts` (campaigns) and `test/programs/*.test.ts` (the quick slice).
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { OurNamespace } from "../spec/our-engine.js";
import type { NodeRunner } from "./node-runner.js";
import { compareOutcomes, runOnOurs } from "./run.js";
import type { OurBound, ProgramOutcome } from "./run.js";
import { CompileFailed, OPT_LEVELS, cachedBuild, compileC, compileRust, csmithFlags, csmithSource } from "./toolchain.js";
import type { CLevel } from "./toolchain.js";

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Sources of our own programs. */
export const OWN_SOURCES = join(projectRoot, "test", "programs", "src");

/**
 * - `agree`: same exit status or trap, output, WASI calls and final memory;
 * - `diverge`: anything else;
 * - `timeout`: our bound ran out where Node finished (not a divergence);
 * - `discarded`: Node itself did not finish within its time limit (the program runs too long);
 * - `limit`: a stack exhaustion on one side only (the engines' stack limits differ by design).
 */
export type ProgramStatus = "agree" | "diverge" | "timeout" | "discarded" | "limit";

export interface DiffBounds {
  /** Node's wall-clock limit per run. */
  readonly nodeTimeoutMs: number;
  /** Our bound: fuel metering on with a budget, or off with a deadline. */
  readonly ours: OurBound;
}

export interface ProgramDiff {
  readonly status: ProgramStatus;
  readonly detail: string;
  readonly node: ProgramOutcome;
  readonly ours: ProgramOutcome | undefined;
}

/** Runs `bytes` on both engines (Node first; ours only when Node finished) and compares. */
export async function diffProgram(runner: NodeRunner, ns: OurNamespace, bytes: Uint8Array, bounds: DiffBounds): Promise<ProgramDiff> {
  const node = await runner.run(bytes, bounds.nodeTimeoutMs);
  if (node.status === "timeout") return { status: "discarded", detail: node.message ?? "", node, ours: undefined };
  const ours = runOnOurs(ns, bytes, bounds.ours);
  if (ours.status === "timeout") return { status: "timeout", detail: ours.message ?? "", node, ours };
  const d = compareOutcomes(node, ours);
  if (d === undefined) return { status: "agree", detail: "", node, ours };
  return { status: d.startsWith("limit:") ? "limit" : "diverge", detail: d, node, ours };
}

/** One program built at one level. */
export interface BuiltProgram {
  /** e.g. `csmith-123-O2`, `c/arrays-Os`, `rust/collections-O1`. */
  readonly name: string;
  readonly level: CLevel;
  readonly bytes: Uint8Array;
}

/**
 * Builds Csmith program `seed` at `levels`; compiler failures are reported per level. With `cache`
 * the modules are kept in the build cache (the test slice); campaigns build into a temp folder.
 * `extra`: more clang flags (e.g. `-msimd128`, so that clang vectorises loops into SIMD code).
 */
export function buildCsmith(seed: number, levels: readonly CLevel[] = OPT_LEVELS, cache = true, extra: readonly string[] = []): { source: string; built: BuiltProgram[]; failed: { level: CLevel; error: string }[] } {
  const source = csmithSource(seed);
  const built: BuiltProgram[] = [];
  const failed: { level: CLevel; error: string }[] = [];
  const compile = (level: CLevel) => (out: string): Uint8Array => {
    const src = `${out}.c`;
    writeFileSync(src, source);
    try {
      return compileC(src, level, out, [...csmithFlags(), ...extra]);
    } finally {
      rmSync(src, { force: true });
    }
  };
  for (const level of levels) {
    try {
      let bytes: Uint8Array;
      if (cache && extra.length === 0) bytes = cachedBuild("csmith", source, level, compile(level));
      else {
        const dir = mkdtempSync(join(tmpdir(), "pureflow-csmith-"));
        try {
          bytes = compile(level)(join(dir, "p.wasm"));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      built.push({ name: `csmith-${seed >>> 0}-${level}`, level, bytes });
    } catch (e) {
      if (!(e instanceof CompileFailed)) throw e;
      failed.push({ level, error: e.message });
    }
  }
  return { source, built, failed };
}

/** Our own program sources (`*.c`, `*.rs` in test/programs/src), sorted. */
export function ownSources(): string[] {
  return readdirSync(OWN_SOURCES)
    .filter((f) => f.endsWith(".c") || f.endsWith(".rs"))
    .sort()
    .map((f) => join(OWN_SOURCES, f));
}

/**
 * Builds one of our programs at `level` (cached). A C source may ask for extra clang flags (e.g.
 * wasm features) with a line `pf-flags: ...` in its first comment.
 */
export function buildOwn(file: string, level: CLevel): BuiltProgram {
  const text = readFileSync(file, "utf8");
  const rust = file.endsWith(".rs");
  const flags = /pf-flags:([^\n]*)/.exec(text.slice(0, 2000))?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
  const bytes = cachedBuild(rust ? "rust" : "c", text, level, (out) => (rust ? compileRust(file, level, out) : compileC(file, level, out, ["-Wall", "-Werror", "-std=c11", ...flags])));
  return { name: `${rust ? "rust" : "c"}/${basename(file).replace(/\.(c|rs)$/, "")}-${level}`, level, bytes };
}

/** Writes a reproducer (the module, the C source when there is one, and what differed) to `outDir`. */
export function writeReproducer(outDir: string, p: BuiltProgram, diff: ProgramDiff, source?: string): string {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, p.name.replace(/\//g, "-"));
  writeFileSync(`${base}.wasm`, p.bytes);
  if (source !== undefined) writeFileSync(`${base}.c`, source);
  const show = (o: ProgramOutcome | undefined): string =>
    o === undefined ? "not run" : `${o.status}${o.exitCode !== undefined ? " " + o.exitCode : ""}${o.trap ? " " + o.trap : ""}${o.message ? " (" + o.message + ")" : ""}\nstdout: ${JSON.stringify(o.stdout.slice(0, 2000))}`;
  writeFileSync(`${base}.txt`, `${p.name}: ${diff.status}: ${diff.detail}\nnode: ${show(diff.node)}\nours: ${show(diff.ours)}\nre-check: npm run fuzz:programs -- --module ${base}.wasm\n`);
  return `${base}.wasm`;
}
