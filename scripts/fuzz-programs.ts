/**
 * `npm run fuzz:programs -- --count N [--seed S] [--kind csmith|ttf-opt|own|all] [--opt ...]`:
 * the differential corpus of compiled programs (issue 10), Node's WebAssembly vs ours.
 *
 * - `csmith`: N random C programs from Csmith (seeds S, S+1, ...), each compiled with clang
 *   (wasm32-wasi, wasi-libc) at every level of `--opt` (a comma list of O0,O1,O2,Os; default all
 *   four), `_start` run on both engines: exit status or trap, stdout/stderr, WASI calls and a digest
 *   of the final memory compared.
 *   With `--rotate`, program i is built only at level i mod (number of levels). With `--simd`,
 *   clang also gets `-msimd128` and vectorises loops into SIMD code (O2 and Os; its results are
 *   labelled `csmith+simd128`).
 * - `ttf-opt`: N binaryen `-ttf` modules passed through `wasm-opt -O3`/`-Oz` (`--opt O3|Oz|mixed`,
 *   default mixed), through the differential fuzzer of `npm run fuzz:diff`.
 * - `own`: our C and Rust programs (test/programs/src) at every level of `--opt`; `--count` unused.
 * - `all`: the three, with N Csmith programs and 4N ttf modules.
 *
 * Bounds: our engine gets `--fuel F` (default 200,000,000) per program with metering on for even
 * program numbers, and metering off with a deadline of `--deadline SEC` (default 60) for odd ones,
 * so both executor paths are compared; running out is counted as a timeout, not a divergence.
 * Node gets `--node-timeout SEC` (default 10, wall clock, counted from when the loaded worker gets
 * the program) per run in a worker thread; a program that Node does not finish is discarded. Other options: --out DIR (reproducers, default fuzz-out/programs),
 * --time-limit SEC (stop starting new programs), --module FILE (re-check one saved WASI module;
 * exit 1 if it diverges), --quiet. Exit status 1 when anything diverged.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadOurInterpreter } from "./spec/our-engine.js";
import { runCampaign } from "./fuzz/campaign.js";
import { OPT_LEVELS as TTF_LEVELS } from "./fuzz/ttf.js";
import type { OptLevel } from "./fuzz/ttf.js";
import { buildCsmith, buildOwn, diffProgram, ownSources, writeReproducer } from "./programs/corpus.js";
import type { BuiltProgram, ProgramDiff, ProgramStatus } from "./programs/corpus.js";
import { NodeRunner } from "./programs/node-runner.js";
import type { OurBound } from "./programs/run.js";
import { OPT_LEVELS, missingForC, missingForCsmith, missingForRust } from "./programs/toolchain.js";
import type { CLevel } from "./programs/toolchain.js";

function usage(msg: string): never {
  console.error(`fuzz-programs: ${msg}`);
  process.exit(2);
}

type Kind = "csmith" | "ttf-opt" | "own" | "all";
const argv = process.argv.slice(2);
let count = 10;
let seed = Date.now() % 1_000_000;
let kind: Kind = "all";
let optArg: string | undefined;
let fuel = 200_000_000;
let deadlineMs = 60_000;
let nodeTimeoutMs = 10_000;
let outDir = join("fuzz-out", "programs");
let timeLimitMs: number | undefined;
let moduleFile: string | undefined;
let quiet = false;
let rotate = false;
let simd = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = (): string => argv[++i] ?? usage(`${a} needs a value`);
  const num = (): number => {
    const v = Number(next());
    if (!Number.isFinite(v) || v < 0) usage(`${a} needs a non-negative number`);
    return v;
  };
  if (a === "--count") count = num();
  else if (a === "--seed") seed = num();
  else if (a === "--kind") {
    const k = next();
    if (!["csmith", "ttf-opt", "own", "all"].includes(k)) usage(`unknown kind ${k} (csmith|ttf-opt|own|all)`);
    kind = k as Kind;
  } else if (a === "--opt") optArg = next();
  else if (a === "--fuel") fuel = num();
  else if (a === "--deadline") deadlineMs = num() * 1000;
  else if (a === "--node-timeout") nodeTimeoutMs = num() * 1000;
  else if (a === "--out") outDir = next();
  else if (a === "--time-limit") timeLimitMs = num() * 1000;
  else if (a === "--module") moduleFile = next();
  else if (a === "--quiet") quiet = true;
  else if (a === "--rotate") rotate = true;
  else if (a === "--simd") simd = true;
  else usage(`unknown option ${a}`);
}
if (!Number.isInteger(count)) usage("--count must be an integer");

function cLevels(): CLevel[] {
  if (optArg === undefined || kind === "ttf-opt") return [...OPT_LEVELS];
  const ls = optArg.split(",");
  for (const l of ls) if (!(OPT_LEVELS as readonly string[]).includes(l)) usage(`unknown C optimisation level ${l} (a comma list of ${OPT_LEVELS.join(",")})`);
  return ls as CLevel[];
}
function ttfOpt(): OptLevel | "mixed" {
  if (optArg === undefined || kind !== "ttf-opt") return "mixed";
  if (optArg !== "mixed" && !(TTF_LEVELS as readonly string[]).includes(optArg)) usage(`unknown wasm-opt level ${optArg} (${TTF_LEVELS.join("|")}|mixed)`);
  return optArg as OptLevel | "mixed";
}
if (kind === "all" && optArg !== undefined) usage("--opt needs a single --kind");
const levels = cLevels();
const ttfLevel = ttfOpt();

const t0 = performance.now();
const timeUp = (): boolean => timeLimitMs !== undefined && performance.now() - t0 > timeLimitMs;
const ns = await loadOurInterpreter();
const runner = new NodeRunner();
/** Program number n: fuel metering on for even n, off (deadline) for odd n. */
const boundFor = (n: number): OurBound => ((n & 1) === 0 ? { fuel } : { timeoutMs: deadlineMs });

if (moduleFile !== undefined) {
  const bytes = new Uint8Array(readFileSync(moduleFile));
  const d = await diffProgram(runner, ns, bytes, { nodeTimeoutMs, ours: { fuel } });
  console.log(`${d.status}${d.detail ? ": " + d.detail : ""}`);
  console.log(`node: ${d.node.status} ${d.node.exitCode ?? ""} ${JSON.stringify(d.node.stdout.slice(0, 300))}`);
  if (d.ours) console.log(`ours: ${d.ours.status} ${d.ours.exitCode ?? ""} ${JSON.stringify(d.ours.stdout.slice(0, 300))}`);
  await runner.close();
  process.exit(d.status === "diverge" ? 1 : 0);
}

type Tally = Record<ProgramStatus | "compiled" | "compileFailed", number>;
const newTally = (): Tally => ({ compiled: 0, compileFailed: 0, agree: 0, diverge: 0, timeout: 0, discarded: 0, limit: 0 });
const perLevel = new Map<string, Tally>();
const divergences: string[] = [];
let programs = 0;

async function check(p: BuiltProgram, tallyKey: string, source: string | undefined): Promise<void> {
  const t = perLevel.get(tallyKey) ?? perLevel.set(tallyKey, newTally()).get(tallyKey)!;
  t.compiled++;
  let d: ProgramDiff;
  try {
    d = await diffProgram(runner, ns, p.bytes, { nodeTimeoutMs, ours: boundFor(programs) });
  } catch (e) {
    d = { status: "diverge", detail: `harness exception: ${e instanceof Error ? e.stack ?? e.message : String(e)}`, node: { status: "error", stdout: "", stderr: "", outputTruncated: false, calls: [], callCount: 0 }, ours: undefined };
  }
  programs++;
  t[d.status]++;
  if (d.status === "diverge") {
    const file = writeReproducer(outDir, p, d, source);
    divergences.push(`${p.name}: ${d.detail} [${file}]`);
    console.log(`DIVERGENCE ${p.name}: ${d.detail}\n  reproducer: ${file}`);
  } else if (!quiet && (d.status === "limit" || d.status === "timeout")) console.log(`${d.status} ${p.name}: ${d.detail}`);
  if (programs % 100 === 0) console.log(`  ... ${programs} programs, ${((performance.now() - t0) / 1000).toFixed(0)}s`);
}

function printTallies(title: string, keys: readonly string[]): void {
  const total = newTally();
  for (const k of keys) {
    const t = perLevel.get(k);
    if (t === undefined) continue;
    for (const f of Object.keys(total) as (keyof Tally)[]) total[f] += t[f];
    console.log(`  ${k.padEnd(14)} compiled ${t.compiled}, failed to compile ${t.compileFailed}, agree ${t.agree}, diverge ${t.diverge}, timeout ${t.timeout}, discarded (Node too slow) ${t.discarded}, stack-limit ${t.limit}`);
  }
  console.log(`${title}: compiled ${total.compiled}, agree ${total.agree}, diverge ${total.diverge}, timeout ${total.timeout}, discarded ${total.discarded}, stack-limit ${total.limit}, failed to compile ${total.compileFailed}`);
}

let failed = false;
// Stopped from outside (Ctrl-C, kill): print what ran so far, then exit 130 (143 for SIGTERM). The
// signal must reach this node process: `npm run` / `npx` wrappers killed with it end it without.
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    console.log(`fuzz-programs: stopped by ${sig} after ${programs} programs, ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    printTallies("so far", [...perLevel.keys()]);
    console.log(`fuzz-programs: ${divergences.length} divergences so far`);
    for (const d of divergences) console.log(`  ${d}`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}
try {
  if (kind === "own" || kind === "all") {
    const whyC = missingForC();
    const whyR = missingForRust();
    for (const file of ownSources()) {
      const why = file.endsWith(".rs") ? whyR : whyC;
      if (why !== undefined) {
        console.log(`# skipped ${file}: ${why}`);
        continue;
      }
      for (const level of levels) await check(buildOwn(file, level), `own ${level}`, undefined);
    }
    printTallies("own programs", levels.map((l) => `own ${l}`));
  }
  if (kind === "csmith" || kind === "all") {
    const why = missingForCsmith();
    if (why !== undefined) {
      console.log(`# skipped csmith: ${why}`);
      failed = true;
    } else {
      let generated = 0;
      for (let i = 0; i < count && !timeUp(); i++) {
        const s = (seed + i) >>> 0;
        // --rotate: program i is built at one level, levels[i mod n], so a campaign of N programs
        // spreads over the levels at the cost of N builds instead of N x levels.
        const b = buildCsmith(s, rotate ? [levels[i % levels.length]!] : levels, false, simd ? ["-msimd128"] : []);
        generated++;
        for (const f of b.failed) {
          const t = perLevel.get(`csmith ${f.level}`) ?? perLevel.set(`csmith ${f.level}`, newTally()).get(`csmith ${f.level}`)!;
          t.compileFailed++;
          if (!quiet) console.log(`csmith ${s} -${f.level} did not compile: ${f.error.slice(0, 300)}`);
        }
        for (const p of b.built) await check(p, `csmith ${p.level}`, b.source);
      }
      console.log(`csmith${simd ? "+simd128" : ""}: ${generated} programs generated from seed ${seed}, levels ${levels.join(",")}${rotate ? " (rotated: one level per program)" : ""}`);
      printTallies("csmith", levels.map((l) => `csmith ${l}`));
    }
  }
  if (kind === "ttf-opt" || kind === "all") {
    const n = kind === "all" ? count * 4 : count;
    const byOpt = new Map<string, { modules: number; agree: number; diverge: number; inconclusive: number }>();
    const sum = await runCampaign({
      count: n, seed, features: "mixed", denan: true, argSets: 3, engineB: "ours", fuel: 20_000_000, outDir, opt: ttfLevel,
      timeLimitMs: timeLimitMs === undefined ? undefined : Math.max(0, timeLimitMs - (performance.now() - t0)),
      onModule(r) {
        const k = r.opt ?? "none";
        const t = byOpt.get(k) ?? byOpt.set(k, { modules: 0, agree: 0, diverge: 0, inconclusive: 0 }).get(k)!;
        t.modules++;
        t[r.status === "skipped" ? "inconclusive" : r.status]++;
        if (r.status === "diverge") {
          divergences.push(`ttf ${r.seed} (${r.features} ${r.opt}): ${r.detail} [${r.reproducer}]`);
          console.log(`DIVERGENCE ttf seed ${r.seed} (${r.features} ${r.opt}): ${r.detail}\n  reproducer: ${r.reproducer}`);
        }
      },
    });
    for (const [k, t] of byOpt) console.log(`  -${k.padEnd(13)} modules ${t.modules}, agree ${t.agree}, diverge ${t.diverge}, inconclusive ${t.inconclusive}`);
    console.log(`ttf-opt (wasm-opt ${ttfLevel === "mixed" ? "-O3/-Oz" : "-" + ttfLevel}): ${sum.modules} modules from seed ${seed}, ${sum.calls} export calls: ${sum.agree} agree, ${sum.diverge} diverge, ${sum.inconclusive} inconclusive (step bound)`);
  }
} finally {
  await runner.close();
}
console.log(`fuzz-programs: ${divergences.length} divergences in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
for (const d of divergences) console.log(`  ${d}`);
process.exit(divergences.length > 0 || failed ? 1 : 0);
