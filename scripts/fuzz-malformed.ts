/**
 * `npm run fuzz:malformed -- --count N [--seed S] [--target core|component|host|all]
 *   [--time-limit-ms 1000]`: the malformed-input fuzzing campaign (issue 7).
 *
 * Mutates valid core modules (spec suite, bench workloads, fixture core modules) and the fixture
 * components (bit flips, insertions, deletions, truncations, overlong / too-large / unterminated
 * LEB128s in count, size and index fields, section length lies, huge counts, duplicated,
 * reordered and spliced sections) and runs each case through the public API of its target
 * (see `malformed/run-case.ts`). A finding is any exception other than the target's typed errors
 * (also when wrapped as the `cause` of a typed one), a case over the time bound, a case growing
 * the resident set by more than the memory bound, a hang, or a dead worker. Each finding prints a
 * reproducer and its bytes go to `<out>/malformed-<seed>-<case>.wasm`. Exit code 1 when there is
 * any finding, 2 on bad usage.
 *
 * Other options: --start K (first case number, default 0), --workers W (threads, default
 * min(2, CPUs); 0 runs in this thread), --memory-limit-mb M (default 256), --hang-ms H (default
 * max(10 s, 10 x time limit)), --out DIR (default fuzz-out), --max-spec-modules K, --quiet;
 * --case N (run one case of the campaign here, print it, write its bytes), --file F (run a saved
 * input against --target, default core), --crafted (also run the crafted hostile inputs of
 * `malformed/crafted.ts`), --crafted-only, --sweep (instead of random cases: the systematic
 * LEB128 field sweep of `malformed/sweep.ts` over every fixture, bench and component seed; core
 * seeds are run as core and host, components as component), --component-oracle (instead of the
 * campaign: component cases our decoder accepts must pass wasm-tools' validation, via jco).
 */
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { emptyTally, makeCase, mergeTally, runRange, tallyCase, type FindingRecord, type TargetOption, type Tally } from "./malformed/campaign.js";
import { runParallel } from "./malformed/pool.js";
import { reproducerText, summaryText, writeReproducer } from "./malformed/report.js";
import { DEFAULT_BOUNDS, runCase, type CaseBounds, type Target } from "./malformed/run-case.js";
import { corpusFingerprint, loadCorpus, type CorpusOptions } from "./malformed/seeds.js";
import { CRAFTED } from "./malformed/crafted.js";
import { sweep } from "./malformed/sweep.js";
import { componentOracle } from "./malformed/component-oracle.js";

function usage(msg: string): never {
  console.error(`fuzz-malformed: ${msg}`);
  process.exit(2);
}

interface Options {
  count: number;
  seed: number;
  start: number;
  target: TargetOption;
  bounds: CaseBounds;
  workers: number;
  hangMs: number | undefined;
  out: string;
  corpus: CorpusOptions;
  quiet: boolean;
  caseNo: number | undefined;
  file: string | undefined;
  crafted: "no" | "also" | "only";
  sweep: boolean;
  componentOracle: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    count: 1000, seed: Date.now() % 1_000_000, start: 0, target: "all", bounds: DEFAULT_BOUNDS,
    workers: Math.min(2, availableParallelism()), hangMs: undefined, out: "fuzz-out", corpus: {}, quiet: false,
    caseNo: undefined, file: undefined, crafted: "no", sweep: false, componentOracle: false,
  };
  let timeLimitMs = DEFAULT_BOUNDS.timeLimitMs;
  let memoryMb = DEFAULT_BOUNDS.memoryLimitBytes / 2 ** 20;
  const int = (a: string, v: string | undefined, min = 0): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < min) usage(`${a} needs an integer ≥ ${min}, got ${String(v)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = (): string | undefined => argv[++i];
    switch (a) {
      case "--count": o.count = int(a, v()); break;
      case "--seed": o.seed = int(a, v()); break;
      case "--start": o.start = int(a, v()); break;
      case "--target": {
        const t = v();
        if (t !== "core" && t !== "component" && t !== "host" && t !== "all") usage(`--target must be core|component|host|all, got ${String(t)}`);
        o.target = t;
        break;
      }
      case "--time-limit-ms": timeLimitMs = int(a, v(), 1); break;
      case "--memory-limit-mb": memoryMb = int(a, v(), 1); break;
      case "--workers": o.workers = int(a, v()); break;
      case "--hang-ms": o.hangMs = int(a, v(), 1); break;
      case "--out": o.out = v() ?? usage("--out needs a folder"); break;
      case "--max-spec-modules": o.corpus = { maxSpecModules: int(a, v(), 1) }; break;
      case "--case": o.caseNo = int(a, v()); break;
      case "--file": o.file = v() ?? usage("--file needs a path"); break;
      case "--quiet": o.quiet = true; break;
      case "--crafted": o.crafted = "also"; break;
      case "--crafted-only": o.crafted = "only"; break;
      case "--sweep": o.sweep = true; break;
      case "--component-oracle": o.componentOracle = true; break;
      default: usage(`unknown option ${a}`);
    }
  }
  o.bounds = { timeLimitMs, memoryLimitBytes: memoryMb * 2 ** 20 };
  return o;
}

function printFinding(o: Options, f: FindingRecord): void {
  const file = writeReproducer(o.out, f);
  console.log(reproducerText(f, file));
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));

  if (o.file !== undefined) {
    const target: Target = o.target === "all" ? "core" : o.target;
    const r = runCase(target, new Uint8Array(readFileSync(o.file)), o.bounds);
    console.log(`${o.file} as ${target}: ${r.ms.toFixed(1)} ms`);
    for (const x of r.outcomes) console.log(`  outcome: ${x}`);
    for (const f of r.findings) console.log(`  FINDING ${f.kind} (${f.stage}): ${f.detail}${f.stack ? `\n${f.stack.split("\n").map((l) => `  | ${l}`).join("\n")}` : ""}`);
    process.exit(r.findings.length > 0 ? 1 : 0);
  }

  const t0 = performance.now();
  const corpus = loadCorpus(o.corpus);
  const header = `fuzz:malformed seed ${o.seed}, cases ${o.start}..${o.start + o.count - 1}, target ${o.target}, bounds ${o.bounds.timeLimitMs} ms / ${(o.bounds.memoryLimitBytes / 2 ** 20).toFixed(0)} MiB per case; corpus ${corpus.core.length} core modules + ${corpus.component.length} components (fingerprint ${corpusFingerprint(corpus)})`;
  for (const n of corpus.notes) console.log(`note: ${n}`);

  if (o.caseNo !== undefined) {
    const c = makeCase(corpus, o.seed, o.caseNo, o.target);
    console.log(`seed ${o.seed} case ${o.caseNo} (--target ${o.target}): target ${c.target}, seed input ${c.seedName}, ${c.bytes.length} bytes`);
    for (const s of c.steps) console.log(`  mutation: ${s}`);
    const t = runRange(corpus, { seed: o.seed, target: o.target, bounds: o.bounds }, o.caseNo, o.caseNo + 1);
    for (const k of Object.keys(t.outcomes)) console.log(`  outcome: ${k}`);
    console.log(`  ${t.slowestMs.toFixed(1)} ms`);
    const file = writeReproducer(o.out, { seed: o.seed, caseNo: o.caseNo, target: c.target, targetOption: o.target, seedName: c.seedName, steps: c.steps, finding: { kind: "raw-exception", stage: "-", detail: "(written by --case)" }, ms: t.slowestMs, bytes: c.bytes });
    console.log(`  bytes: ${file}`);
    for (const f of t.findings) console.log(reproducerText(f));
    process.exit(t.findings.length > 0 ? 1 : 0);
  }

  let craftedFindings = 0;
  if (o.crafted !== "no") {
    console.log(`crafted hostile inputs (${CRAFTED.length}):`);
    CRAFTED.forEach((c, i) => {
      const bytes = c.build();
      const r = runCase(c.target, bytes, o.bounds, { oracle: false });
      console.log(`  ${r.findings.length > 0 ? "FINDING" : "ok     "} ${c.name} (${c.target}, ${bytes.length} bytes, ${r.ms.toFixed(0)} ms): ${r.outcomes.slice(0, 3).join("; ")}`);
      for (const f of r.findings) {
        craftedFindings++;
        const file = writeReproducer(o.out, { seed: 0, caseNo: i, target: c.target, targetOption: c.target, seedName: `crafted: ${c.name}`, steps: [c.name], finding: f, ms: r.ms, bytes }, "crafted");
        console.log(`    ${f.kind} (${f.stage}): ${f.detail}\n    bytes: ${file} (re-run: npm run fuzz:malformed -- --file ${file} --target ${c.target})`);
        if (f.stack) console.log(f.stack.split("\n").slice(0, 4).map((l) => `    | ${l}`).join("\n"));
      }
    });
    console.log(`crafted: ${CRAFTED.length} inputs, ${craftedFindings} findings`);
    if (o.crafted === "only") process.exit(craftedFindings > 0 ? 1 : 0);
  }

  if (o.componentOracle) {
    const t = await componentOracle(corpus, o.seed, o.start, o.count, (f) => printFinding(o, f));
    const secs = (performance.now() - t0) / 1000;
    console.log(`component validity differential, seed ${o.seed}, cases ${o.start}..${o.start + o.count - 1}: ${t.cases} cases in ${secs.toFixed(1)} s; accepted by us ${t.accepted}, by wasm-tools too ${t.agreed}; findings: ${t.disagreements.length}`);
    process.exit(t.disagreements.length > 0 ? 1 : 0);
  }

  if (o.sweep) {
    const seeds = [...corpus.core.filter((x) => !x.name.startsWith("wasm-spec/")), ...corpus.component];
    const t = emptyTally();
    for (const seed of seeds) {
      let k = 0;
      for (const m of sweep(seed)) {
        for (const target of (seed.kind === "core" ? ["core", "host"] : ["component"]) as Target[]) {
          const r = runCase(target, m.bytes, o.bounds);
          tallyCase(t, target, r, t.cases);
          for (const f of r.findings) {
            const rec: FindingRecord = { seed: 0, caseNo: t.cases, target, targetOption: target, seedName: `sweep of ${seed.name} (mutant ${k})`, steps: [m.what], finding: f, ms: r.ms, bytes: m.bytes };
            t.findings.push(rec);
            const file = writeReproducer(o.out, rec, "sweep");
            console.log(`${reproducerText(rec, file).split("\n").filter((l) => !l.startsWith("  re-run:")).join("\n")}`);
          }
        }
        k++;
      }
    }
    console.log(summaryText(t, (performance.now() - t0) / 1000, `sweep of ${seeds.length} seeds (every LEB128 field x 7 encodings)`));
    process.exit(t.findings.length > 0 ? 1 : 0);
  }

  console.log(header);
  let total: Tally;
  let lastProgress = performance.now();
  const progress = (t: Tally): void => {
    const now = performance.now();
    if (o.quiet || now - lastProgress < 5000) return;
    lastProgress = now;
    const secs = (now - t0) / 1000;
    console.log(`  ... ${t.cases}/${o.count} cases, ${secs.toFixed(0)} s, ${(t.cases / secs).toFixed(0)} cases/s, ${t.findings.length} findings`);
  };
  if (o.workers === 0) {
    total = emptyTally();
    const step = 500;
    for (let from = o.start; from < o.start + o.count; from += step) {
      const part = runRange(corpus, { seed: o.seed, target: o.target, bounds: o.bounds }, from, Math.min(from + step, o.start + o.count));
      for (const f of part.findings) printFinding(o, f);
      mergeTally(total, part);
      progress(total);
    }
  } else {
    total = await runParallel(corpus, {
      seed: o.seed, start: o.start, count: o.count, target: o.target, bounds: o.bounds, corpusOptions: o.corpus,
      workers: o.workers, hangMs: o.hangMs ?? Math.max(10_000, 10 * o.bounds.timeLimitMs), workerHeapMb: 2048,
      onProgress: progress,
      onFinding: (f) => printFinding(o, f),
    });
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(summaryText(total, secs, `\n${header}\n(${o.workers === 0 ? "in this thread" : `${o.workers} worker threads`})`));
  if (o.crafted !== "no") console.log(`crafted: ${CRAFTED.length} inputs, ${craftedFindings} findings`);
  process.exit(total.findings.length + craftedFindings > 0 ? 1 : 0);
}

await main();
