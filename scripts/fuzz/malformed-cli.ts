/**
 * `node --import tsx scripts/fuzz/malformed-cli.ts --count N [--seed S] [--from I] [--ttf K] [--time-bound MS]`:
 * a second, in-process malformed-input fuzzer with its own mutators (fuzz/mutate.ts), kept beside
 * the campaign of record (`npm run fuzz:malformed`, scripts/malformed/) for independent coverage.
 * Mutations of valid binaries (every spec-suite module, K binaryen -ttf modules, the fixture
 * components and modules) go to our decoder, validator, instantiation and (fuel-bounded) calls.
 * Every failure must be a typed error; a raw exception or a case slower than the bound (default
 * 1000 ms) is a problem, written to --out (default fuzz-out). Exit 1 on any problem.
 */
import { join } from "node:path";
import { projectRoot, sharedDirOrSkip } from "../../test/helpers/shared.js";
import { loadOurInterpreter } from "../spec/our-engine.js";
import { collectSeeds, runMalformed } from "./malformed.js";
import type { ComponentApi } from "./malformed.js";

const argv = process.argv.slice(2);
let count = 10000;
let seed = 1;
let from = 0;
let ttf = 20;
let timeBound = 1000;
let outDir = "fuzz-out";
let callFuel = 100_000;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = (): number => Number(argv[++i]);
  if (a === "--count") count = v();
  else if (a === "--seed") seed = v();
  else if (a === "--from") from = v();
  else if (a === "--ttf") ttf = v();
  else if (a === "--time-bound") timeBound = v();
  else if (a === "--call-fuel") callFuel = v();
  else if (a === "--out") outDir = argv[++i];
  else {
    console.error(`malformed-cli: unknown option ${a}`);
    process.exit(2);
  }
}

const ns = await loadOurInterpreter();
let comp: ComponentApi | undefined;
try {
  comp = (await import(new URL("../../canonical-abi/index.js", import.meta.url).href)) as ComponentApi;
  if (typeof comp.Component?.fromBytes !== "function") comp = undefined;
} catch (e) {
  console.log(`malformed-cli: component layer not loadable (${String(e)}); component seeds are skipped`);
}
const seeds = await collectSeeds(sharedDirOrSkip("wasm-spec", "spec-suite seeds"), join(projectRoot, "fixtures"), ttf, seed);
console.log(`malformed-cli: ${count} cases from seed ${seed} (first case ${from}); ${seeds.length} seed binaries (${seeds.filter((s) => s.kind === "component").length} components); bound ${timeBound} ms per case`);
const sum = await runMalformed(ns, comp, seeds, {
  count,
  seed,
  from,
  timeBoundMs: timeBound,
  callFuel,
  outDir,
  onProblem: (p) => console.log(`PROBLEM case ${p.case} (${p.source}; ${p.mutations.join(" ")}): ${p.detail.split("\n").slice(0, 4).join(" | ")}${p.file ? `\n  reproducer: ${p.file}` : ""}`),
});
const outcomes = Object.entries(sum.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
console.log(`malformed-cli: ${sum.cases} cases in ${(sum.ms / 1000).toFixed(1)}s, ${sum.problems.length} problems; slowest ${sum.slowestMs.toFixed(1)} ms (${sum.slowestCase}); max heap ${sum.maxHeapMB.toFixed(0)} MB\n  outcomes: ${outcomes}`);
process.exit(sum.problems.length > 0 ? 1 : 0);
