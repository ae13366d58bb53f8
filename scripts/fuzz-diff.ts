/**
 * `npm run fuzz:diff -- --count N --seed S [--features mvp|bulk|ref|multivalue|all|simd|wasm3|mixed]`:
 * differential fuzzing of our interpreter against Node's WebAssembly on binaryen `-ttf` modules.
 * Our engine runs even module seeds with fuel metering on and odd ones with it off. The `wasm3`
 * preset needs a Node that runs Wasm 3.0 without flags as the oracle (see fuzz/ttf.ts).
 *
 * Other options: --opt O3|Oz|mixed (optimise each module with wasm-opt after generation, so the
 * code has optimising-compiler shapes; mixed alternates by seed), --nan (no --denan pass;
 * NaN-shaped memory differences tolerated, but NaN bits
 * that reach an integer through a reinterpret can still differ legitimately: the spec lets an
 * operation on a non-canonical NaN return any arithmetic NaN, so check such reports by hand), --args K
 * (argument sets per export, default 3), --engine-b ours|node|node-mutant (self-checks of the harness),
 * --fuel N (per-call bound on ours, default 20,000,000), --out DIR (reproducers, default
 * fuzz-out), --time-limit SEC, --module FILE (re-check one saved module; exit 1 if it diverges),
 * --reduce (minimise each divergence in process, see fuzz/reduce.ts: npm's wasm-reduce cannot
 * run commands), --quiet.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { runCampaign } from "./fuzz/campaign.js";
import { sideFactory } from "./fuzz/campaign.js";
import type { CampaignOptions, EngineB } from "./fuzz/campaign.js";
import { diffModule, nodeSide } from "./fuzz/diff.js";
import { reduceModule } from "./fuzz/reduce.js";
import { ALL_FEATURE_NAMES, OPT_LEVELS } from "./fuzz/ttf.js";
import type { FeatureSet, OptLevel } from "./fuzz/ttf.js";

function usage(msg: string): never {
  console.error(`fuzz-diff: ${msg}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let count = 100;
let seed = Date.now() % 1_000_000;
let features: FeatureSet | "mixed" = "mixed";
let denan = true;
let argSets = 3;
let engineB: EngineB = "ours";
let fuel = 20_000_000;
let outDir = "fuzz-out";
let timeLimit: number | undefined;
let moduleFile: string | undefined;
let reduce = false;
let quiet = false;
let opt: OptLevel | "mixed" | undefined;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const next = (): string => argv[++i] ?? usage(`${a} needs a value`);
  if (a === "--count") count = Number(next());
  else if (a === "--seed") seed = Number(next());
  else if (a === "--features") {
    const f = next();
    if (f !== "mixed" && !(ALL_FEATURE_NAMES as string[]).includes(f)) usage(`unknown feature set ${f} (${ALL_FEATURE_NAMES.join("|")}|mixed)`);
    features = f as FeatureSet | "mixed";
  } else if (a === "--opt") {
    const o = next();
    if (o !== "mixed" && !(OPT_LEVELS as readonly string[]).includes(o)) usage(`unknown optimisation level ${o} (${OPT_LEVELS.join("|")}|mixed)`);
    opt = o as OptLevel | "mixed";
  } else if (a === "--nan") denan = false;
  else if (a === "--args") argSets = Number(next());
  else if (a === "--engine-b") {
    const e = next();
    if (e !== "ours" && e !== "node" && e !== "node-mutant") usage(`unknown engine ${e}`);
    engineB = e;
  } else if (a === "--fuel") fuel = Number(next());
  else if (a === "--out") outDir = next();
  else if (a === "--time-limit") timeLimit = Number(next()) * 1000;
  else if (a === "--module") moduleFile = next();
  else if (a === "--reduce") reduce = true;
  else if (a === "--quiet") quiet = true;
  else usage(`unknown option ${a}`);
}
if (!Number.isInteger(count) || count < 0) usage("--count must be a non-negative integer");

if (moduleFile !== undefined) {
  const bytes = new Uint8Array(readFileSync(moduleFile));
  const b = (await sideFactory(engineB, fuel))(seed);
  const r = diffModule(bytes, nodeSide(), b, seed, { argSets, nanTolerantMemory: !denan });
  console.log(`${r.status} after ${r.calls} calls${r.detail ? ": " + r.detail : ""}`);
  process.exit(r.status === "diverge" ? 1 : 0);
}

let done = 0;
const t0 = performance.now();
const opts: CampaignOptions = {
  count,
  seed,
  features,
  denan,
  argSets,
  engineB,
  fuel,
  outDir,
  timeLimitMs: timeLimit,
  opt,
  onModule(r) {
    done++;
    if (done % 500 === 0) console.log(`  ... ${done} modules, ${((performance.now() - t0) / 1000).toFixed(0)}s`);
    if (r.status === "diverge") console.log(`DIVERGENCE seed ${r.seed} (${r.features}${r.opt ? " " + r.opt : ""}): ${r.detail}${r.reproducer ? `\n  reproducer: ${r.reproducer}` : ""}`);
    else if (!quiet && r.status === "inconclusive") console.log(`inconclusive seed ${r.seed} (${r.features}): ${r.detail}`);
  },
};
console.log(`fuzz-diff: ${count} modules from seed ${seed}, features ${features}${opt === undefined ? "" : opt === "mixed" ? ", wasm-opt -O3/-Oz" : `, wasm-opt -${opt}`}${denan ? " (denan)" : " (NaNs allowed)"}, node vs ${engineB}`);
const sum = await runCampaign(opts);
console.log(
  `fuzz-diff: ${sum.modules} modules, ${sum.calls} export calls: ${sum.agree} agree, ${sum.diverge} diverge, ${sum.inconclusive} inconclusive (step bound), ${sum.skipped} skipped; ${(sum.ms / 1000).toFixed(1)}s (generation ${(sum.genMs / 1000).toFixed(1)}s)`,
);
if (reduce) {
  const makeB = await sideFactory(engineB, fuel);
  for (const d of sum.divergences) {
    if (d.reproducer === undefined) continue;
    const small = await reduceModule(d.module, nodeSide, () => makeB(d.seed), d.seed, { argSets, nanTolerantMemory: !denan });
    const file = d.reproducer.replace(/\.wasm$/, ".reduced.wasm");
    writeFileSync(file, small);
    console.log(`  reduced ${d.module.length} -> ${small.length} bytes: ${file}`);
  }
}
process.exit(sum.diverge > 0 ? 1 : 0);
