/**
 * CI slice of the malformed-input campaign (`npm run fuzz:malformed`, issue 7): a fixed-seed run
 * of random mutations over all three targets, the systematic LEB128 field sweep over a few seeds,
 * and checks that the machinery itself works (reproducible cases, every mutation family in use,
 * findings are detected, the worker pool agrees with a single thread). Fails on any finding. The
 * slice runs on two worker threads, so a hanging case is stopped and reported by the watchdog.
 * Set MALFORMED_CASES to change the slice size (default 2,000 in `npm test`, 8,000 with --full).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { emptyTally, makeCase, mergeTally, runRange, type Tally } from "../../scripts/malformed/campaign.js";
import { readUleb, sleb, uleb, unterminated } from "../../scripts/malformed/leb128.js";
import { runParallel } from "../../scripts/malformed/pool.js";
import { reproducerText, summaryText } from "../../scripts/malformed/report.js";
import { checkError, DEFAULT_BOUNDS, runCase, type Target } from "../../scripts/malformed/run-case.js";
import { loadCorpus, type Corpus } from "../../scripts/malformed/seeds.js";
import { sweep } from "../../scripts/malformed/sweep.js";
import { CompileError, RuntimeError } from "../../interpreter/index.js";
import { MalformedComponentError } from "../../canonical-abi/index.js";
import { PureflowError } from "../../src/index.js";
import { sliceSize } from "../helpers/slice.js";

const SEED = 20_240_607;
/**
 * CI machines are shared and the bound is wall time: the slice allows 10 s per case (a hang guard:
 * pathological, e.g. quadratic, inputs take minutes); the campaign (npm run fuzz:malformed) keeps
 * its 1 s bound. A case must exceed it twice to count.
 */
const CI_BOUNDS = { ...DEFAULT_BOUNDS, timeLimitMs: 10_000 };
const CASES = sliceSize("MALFORMED_CASES", 2_000, 8_000, "malformed cases");

let corpus: Corpus | undefined;
function getCorpus(): Corpus {
  if (corpus === undefined) {
    corpus = loadCorpus();
    for (const n of corpus.notes) console.log(`\n# malformed corpus: ${n}`);
    console.log(`\n# malformed corpus: ${corpus.core.length} core modules, ${corpus.component.length} components`);
  }
  return corpus;
}

function failOnFindings(t: Tally, what: string): void {
  if (t.findings.length === 0) return;
  for (const f of t.findings.slice(0, 10)) console.log(reproducerText(f));
  assert.unreachable(`${what}: ${t.findings.length} findings (first: ${t.findings[0]!.finding.kind} ${t.findings[0]!.finding.detail})`);
}

test(`fixed-seed slice: ${CASES} cases over core, component and host give only typed errors, in bounds`, async () => {
  const t0 = performance.now();
  // on worker threads: the pool's watchdog turns a hanging case into a finding instead of a stuck test
  const t = await runParallel(getCorpus(), {
    seed: SEED, target: "all", bounds: CI_BOUNDS, start: 0, count: CASES, corpusOptions: {}, workers: 2, hangMs: 20_000, workerHeapMb: 2048,
  });
  const secs = (performance.now() - t0) / 1000;
  for (const line of summaryText(t, secs, "malformed slice").split("\n")) if (/^(cases|findings|case time)/.test(line)) console.log(`\n# ${line}`);
  assert.is(t.cases, CASES);
  // the slice must reach every stage, or it tests less than it claims
  for (const stage of ["core compile: ok", "core instantiate: ok", "core call: returned", "component decode: ok", "component batch invoke: ok", "host compile: ok"]) {
    assert.ok((t.outcomes[stage] ?? 0) > 0, `no case reached "${stage}"`);
  }
  assert.ok(Object.keys(t.outcomes).some((k) => k.startsWith("core compile: CompileError malformed")));
  assert.ok(Object.keys(t.outcomes).some((k) => k.startsWith("component decode: malformed-component")));
  failOnFindings(t, "random slice");
});

test("systematic sweep: every LEB128 field of the fixture core module, the bench modules and the echo component", () => {
  const c = getCorpus();
  const seeds = [...c.core.filter((s) => s.name.startsWith("bench/") || s.name.includes("hostile/core-module")), ...c.component.filter((s) => s.name.includes("echo-guest"))];
  assert.ok(seeds.length >= 2, "sweep seeds missing");
  const t = emptyTally();
  for (const s of seeds) {
    for (const m of sweep(s)) {
      const targets: Target[] = s.kind === "core" ? ["core"] : ["component"];
      for (const target of targets) {
        const r = runCase(target, m.bytes, CI_BOUNDS);
        t.cases++;
        for (const o of r.outcomes) t.outcomes[o] = (t.outcomes[o] ?? 0) + 1;
        for (const f of r.findings) {
          t.findings.push({ seed: 0, caseNo: t.cases, target, targetOption: target, seedName: s.name, steps: [m.what], finding: f, ms: r.ms, bytes: m.bytes });
        }
      }
    }
  }
  console.log(`\n# malformed sweep: ${t.cases} field mutants of ${seeds.length} seeds, ${t.findings.length} findings`);
  assert.ok(t.cases > 500);
  failOnFindings(t, "sweep");
});

test("a case is a pure function of seed and case number", () => {
  const c = getCorpus();
  for (const n of [0, 1, 17, 999, 123_456]) {
    const a = makeCase(c, SEED, n, "all");
    const b = makeCase(c, SEED, n, "all");
    assert.equal(a.steps, b.steps);
    assert.equal(a.bytes, b.bytes);
    assert.is(a.target, b.target);
  }
  assert.not.equal(makeCase(c, SEED, 1, "all").bytes, makeCase(c, SEED + 1, 1, "all").bytes);
});

test("every mutation family is used", () => {
  const c = getCorpus();
  const families: Record<string, RegExp> = {
    "bit flips": /^bit flips/,
    "byte insertion": /^inserted \d+ bytes/,
    "byte deletion": /^deleted \d+ bytes/,
    truncation: /^truncated to/,
    "overlong valid LEB128": /overlong-valid/,
    "overlong LEB128 > 5 bytes": /overlong-too-long/,
    "too-large LEB128": /too-large/,
    "unterminated LEB128": /unterminated/,
    "huge count": /huge count (4294967295|2147483648)/,
    "length lie (short)": /length lie, .*too short/,
    "length lie (long)": /length lie, .*too long/,
    "length lie (huge)": /length lie, .*huge/,
    "duplicated section": /duplicated at position/,
    "reordered sections": /swapped/,
    "removed section": /removed$/,
    "spliced section": /(inserted at|replaced) position \d+ with /,
    "mutation inside an embedded core module": /^in section \d+ \(id 1\) \(core module\)/,
    "embedded core module swapped": /embedded core module replaced by /,
    "field of a function body": /^section \d+ \(id 10\): (index|align|offset|const32|const64|count|size|tag) field/,
  };
  const seen = new Set<string>();
  for (let n = 0; n < 4000 && seen.size < Object.keys(families).length; n++) {
    for (const s of makeCase(c, SEED, n, "all").steps) for (const [k, re] of Object.entries(families)) if (re.test(s)) seen.add(k);
  }
  const missing = Object.keys(families).filter((k) => !seen.has(k));
  assert.equal(missing, [], `families never generated: ${missing.join(", ")}`);
});

test("LEB128 encodings are what they claim", () => {
  for (const v of [0, 1, 127, 128, 2 ** 31, 2 ** 32 - 1]) {
    assert.equal(readUleb(uleb(v), 0, 10)?.value, v);
    const padded = uleb(v, 5);
    assert.is(padded.length, 5);
    assert.equal(readUleb(padded, 0, 5), { value: v, length: 5 });
    assert.is(readUleb(uleb(v, 6), 0, 6), undefined, "6 bytes is longer than a u32 may be");
  }
  assert.is(readUleb(unterminated(3), 0, 3), undefined);
  assert.equal([...sleb(-1)], [0x7f]);
  assert.equal([...sleb(-1, 3)], [0xff, 0xff, 0x7f]);
  assert.equal([...sleb(64)], [0xc0, 0x00]);
});

test("the checks can fail: raw exceptions, raw causes, wrong-layer errors, time and memory bounds", () => {
  assert.is(checkError(new CompileError("malformed", "x"), [CompileError], "s"), undefined);
  assert.is(checkError(new TypeError("x"), [CompileError], "s")?.kind, "raw-exception");
  assert.is(checkError(new RangeError("Maximum call stack size exceeded"), [RuntimeError], "s")?.kind, "raw-exception");
  assert.is(checkError(new CompileError("malformed", "x"), [MalformedComponentError], "s", [CompileError])?.kind, "wrong-layer-error");
  const wrapped = new PureflowError("CDT-EXEC-001", "guest invoke failed: boom", { cause: new TypeError("boom") });
  assert.is(checkError(wrapped, [PureflowError], "s")?.kind, "wrapped-raw-exception");
  const typed = new PureflowError("CDT-EXEC-001", "guest invoke failed", { cause: new RuntimeError("unreachable") });
  assert.is(checkError(typed, [PureflowError], "s"), undefined);
  const bytes = getCorpus().core[0]!.bytes;
  assert.ok(runCase("core", bytes, { timeLimitMs: -1, memoryLimitBytes: DEFAULT_BOUNDS.memoryLimitBytes }).findings.some((f) => f.kind === "slow"));
  assert.ok(runCase("core", bytes, { timeLimitMs: 1000, memoryLimitBytes: -Infinity }).findings.some((f) => f.kind === "memory"));
  assert.equal(runCase("core", bytes).findings, []);
});

test("the worker pool gives the same counts as one thread", async () => {
  const c = getCorpus();
  const opts = { seed: SEED, target: "all" as const, bounds: DEFAULT_BOUNDS };
  const single = runRange(c, opts, 500, 900);
  const pooled = await runParallel(c, { ...opts, start: 500, count: 400, corpusOptions: {}, workers: 2, hangMs: 30_000, workerHeapMb: 1024, chunk: 13 });
  assert.is(pooled.cases, 400);
  assert.equal(pooled.byTarget, single.byTarget);
  assert.equal(pooled.outcomes, single.outcomes);
  failOnFindings(mergeTally(emptyTally(), pooled), "pooled range");
});

for (const kind of ["hang", "exit"] as const) {
  test(`the pool survives a worker ${kind === "hang" ? "hanging in" : "dying during"} a case: it is a finding and every other case still runs`, async () => {
    const c = getCorpus();
    const opts = { seed: SEED, target: "all" as const, bounds: DEFAULT_BOUNDS };
    const t = await runParallel(c, { ...opts, start: 0, count: 60, corpusOptions: {}, workers: 2, hangMs: 1500, workerHeapMb: 1024, chunk: 10, debugFault: { caseNo: 25, kind } });
    assert.is(t.cases, 60);
    assert.is(t.findings.length, 1);
    assert.is(t.findings[0]!.caseNo, 25);
    assert.is(t.findings[0]!.finding.kind, kind === "hang" ? "hang" : "worker-died");
    // the other 59 cases were counted exactly once
    const single = mergeTally(runRange(c, opts, 0, 25), runRange(c, opts, 26, 60));
    assert.equal(t.outcomes, single.outcomes);
  });
}

test.run();
