/**
 * The quick slice of the compiled-program corpus (issue 10, part 3); the full campaigns are
 * `npm run fuzz:programs`. Every program runs `_start` on Node's WebAssembly and on ours with the
 * same WASI stubs; exit status or trap, output, WASI calls and final memory must agree.
 *
 * - our own C and Rust programs (test/programs/src) at -O0/-O1/-O2/-Os: besides agreeing between
 *   engines, each program must print the same thing at every level (they are free of undefined
 *   behaviour) and end as its source says (exits.c: exit 5; trap.c: out-of-bounds trap; panic.rs:
 *   unreachable after its panic message; the others: exit 0);
 * - fixed-seed Csmith programs at the four levels (4 of the 12 seeds in `npm test`, all with --full);
 * - binaryen -ttf modules passed through wasm-opt -O3/-Oz (30 in `npm test`, 120 with --full).
 *
 * The modules are built at test time with Debian's clang/wasi-libc, csmith and rustc
 * (scripts/install-tools.sh; `.ci/run` calls it when a tool is missing) and cached in the system
 * temp folder by content. Without the tools the C/Csmith/Rust tests are skipped loudly.
 */
import { basename } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCampaign } from "../../scripts/fuzz/campaign.js";
import { buildCsmith, buildOwn, diffProgram, ownSources, writeReproducer } from "../../scripts/programs/corpus.js";
import type { ProgramDiff } from "../../scripts/programs/corpus.js";
import { NodeRunner } from "../../scripts/programs/node-runner.js";
import { compareOutcomes, runOnOurs } from "../../scripts/programs/run.js";
import type { ProgramOutcome } from "../../scripts/programs/run.js";
import { OPT_LEVELS, missingForC, missingForCsmith, missingForRust } from "../../scripts/programs/toolchain.js";
import { loadOurInterpreter } from "../../scripts/spec/our-engine.js";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { sliceSize } from "../helpers/slice.js";

/**
 * Csmith 2.3.0 seeds (with CSMITH_OPTIONS) whose programs are short (111-724 lines) and finish in
 * under a million instructions at -O0; the campaigns take every seed.
 */
const ALL_CSMITH_SEEDS = [3, 4, 6, 7, 8, 9, 13, 14, 16, 17, 19, 23];
const CSMITH_SEEDS = ALL_CSMITH_SEEDS.slice(0, sliceSize("PUREFLOW_CSMITH_SEEDS", 4, ALL_CSMITH_SEEDS.length, "Csmith seeds (programs)"));
const TTF_COUNT = sliceSize("PUREFLOW_PROGRAMS_TTF_COUNT", 30, 120, "optimised -ttf modules (programs)");
const TTF_SEED = 20261003;
const OUT = join(projectRoot, "fuzz-out", "programs");
const NODE_TIMEOUT_MS = 20_000;
const FUEL = 200_000_000;

/** How each own program must end (on both engines, at every level). */
const EXPECTED_END: Record<string, string> = {
  "exits.c": "exit 5",
  "trap.c": "trap memory-oob",
  "panic.rs": "trap unreachable",
};

const runner = new NodeRunner();
test.after(async () => {
  await runner.close();
});

function explain(name: string, d: ProgramDiff, file: string | undefined): string {
  return `${name}: ${d.status}: ${d.detail}${file ? ` [${file}]` : ""}`;
}

test("harness: compareOutcomes tells every kind of difference apart", () => {
  const base: ProgramOutcome = { status: "exit", exitCode: 0, stdout: "checksum = 1\n", stderr: "", outputTruncated: false, calls: ["proc_exit(0)"], callCount: 3, memory: { bytes: 65536, sha256: "aa" } };
  assert.is(compareOutcomes(base, { ...base }), undefined);
  const cases: [Partial<ProgramOutcome>, RegExp][] = [
    [{ exitCode: 1 }, /^status: node exit 0; ours exit 1/],
    [{ status: "trap", exitCode: undefined, trap: "unreachable", message: "m" }, /^status: /],
    [{ status: "trap", exitCode: undefined, trap: "stack-exhausted", message: "m" }, /^limit: /],
    [{ stdout: "checksum = 2\n" }, /^stdout differs at line 1/],
    [{ stderr: "x" }, /^stderr /],
    [{ calls: ["proc_exit(1)"] }, /^WASI calls/],
    [{ callCount: 4 }, /^WASI calls: 3 \/ 4/],
    [{ memory: { bytes: 131072, sha256: "aa" } }, /^final memory size/],
    [{ memory: { bytes: 65536, sha256: "bb" } }, /^final memory contents differ/],
    [{ memory: undefined }, /^memory exported on one side only/],
  ];
  for (const [change, re] of cases) {
    const d = compareOutcomes(base, { ...base, ...change });
    assert.ok(d !== undefined && re.test(d), `${JSON.stringify(change)} gave ${d}`);
  }
  const trap = (g: string): ProgramOutcome => ({ ...base, status: "trap", exitCode: undefined, trap: g, message: "" });
  assert.is(compareOutcomes(trap("conversion|int-overflow"), trap("int-overflow")), undefined);
  assert.match(compareOutcomes(trap("memory-oob"), trap("unreachable")) ?? "", /^trap: /);
});

const whyC = missingForC();
const whyRust = missingForRust();
if (whyC === undefined) {
  test("harness: a wrong engine diverges (i32.const 77 -> 78 in arrays.c -O2 on Node's side)", async () => {
    const ns = await loadOurInterpreter();
    const p = buildOwn(join(projectRoot, "test", "programs", "src", "arrays.c"), "O2");
    const mutant = p.bytes.slice();
    let changed = 0;
    for (let i = 0; i + 2 < mutant.length; i++) {
      if (mutant[i] === 0x41 && mutant[i + 1] === 0xcd && mutant[i + 2] === 0x00) {
        mutant[i + 1] = 0xce;
        changed++;
      }
    }
    assert.ok(changed > 0, "no i32.const 77 in arrays.c -O2");
    const node = await runner.run(mutant, NODE_TIMEOUT_MS);
    const ours = runOnOurs(ns, p.bytes, { fuel: FUEL });
    assert.is(node.status, "exit");
    assert.is(ours.status, "exit");
    assert.match(compareOutcomes(node, ours) ?? "agree", /^stdout differs/);
    assert.is(compareOutcomes(await runner.run(p.bytes, NODE_TIMEOUT_MS), ours), undefined);
  });
}
if (whyC !== undefined) console.log(`# SKIP C programs of the corpus: ${whyC}`);
if (whyRust !== undefined) console.log(`# SKIP Rust programs of the corpus: ${whyRust}`);
for (const file of ownSources()) {
  const name = basename(file);
  const why = name.endsWith(".rs") ? whyRust : whyC;
  if (why !== undefined) {
    test.skip(`own program ${name} at ${OPT_LEVELS.join("/")}`, () => {});
    continue;
  }
  test(`own program ${name} at ${OPT_LEVELS.join("/")}: engines agree, same output at every level, ends as expected`, async () => {
    const ns = await loadOurInterpreter();
    const outputs = new Map<string, string>();
    for (const level of OPT_LEVELS) {
      const p = buildOwn(file, level);
      // Fuel metering on for -O0/-O2, off (deadline) for -O1/-Os: both executor paths.
      const d = await diffProgram(runner, ns, p.bytes, { nodeTimeoutMs: NODE_TIMEOUT_MS, ours: level === "O0" || level === "O2" ? { fuel: FUEL } : { timeoutMs: 120_000 } });
      if (d.status !== "agree") assert.unreachable(explain(p.name, d, d.status === "diverge" ? writeReproducer(OUT, p, d) : undefined));
      const o = d.ours!;
      const end = o.status === "exit" ? `exit ${o.exitCode}` : `${o.status} ${o.trap ?? ""}`.trim();
      assert.is(end, EXPECTED_END[name] ?? "exit 0", `${p.name} ended with ${end}: ${o.message ?? ""}\n${o.stderr}`);
      assert.ok(o.stdout.length > 0, `${p.name} printed nothing`);
      outputs.set(level, `${end}\n${o.stdout}\n${o.stderr}`);
    }
    const o0 = outputs.get("O0")!;
    for (const [level, out] of outputs) assert.is(out, o0, `${name}: -${level} printed something else than -O0`);
  });
}

const whyCsmith = missingForCsmith();
if (whyCsmith !== undefined) {
  console.log(`# SKIP Csmith programs of the corpus: ${whyCsmith}`);
  test.skip(`Csmith programs (seeds ${CSMITH_SEEDS.join(",")}) at ${OPT_LEVELS.join("/")}`, () => {});
} else {
  test(`${CSMITH_SEEDS.length} Csmith programs (seeds ${CSMITH_SEEDS.join(",")}) at ${OPT_LEVELS.join("/")}: engines agree`, async () => {
    const ns = await loadOurInterpreter();
    const problems: string[] = [];
    let agreed = 0;
    let n = 0;
    for (const seed of CSMITH_SEEDS) {
      const b = buildCsmith(seed);
      for (const f of b.failed) problems.push(`csmith ${seed} -${f.level} did not compile: ${f.error.slice(0, 300)}`);
      const checksums = new Set<string>();
      for (const p of b.built) {
        const d = await diffProgram(runner, ns, p.bytes, { nodeTimeoutMs: NODE_TIMEOUT_MS, ours: (n++ & 1) === 0 ? { fuel: FUEL } : { timeoutMs: 120_000 } });
        if (d.status === "agree") agreed++;
        else problems.push(explain(p.name, d, d.status === "diverge" ? writeReproducer(OUT, p, d, b.source) : undefined));
        if (d.node.status === "exit") checksums.add(d.node.stdout);
      }
      // Csmith programs are free of undefined behaviour: every level prints the same checksum.
      if (checksums.size > 1) problems.push(`csmith ${seed}: the levels print different checksums on Node (a compiler difference, or a program that is not UB-free)`);
    }
    console.log(`\n# programs: ${CSMITH_SEEDS.length} Csmith programs x ${OPT_LEVELS.length} levels: ${agreed} agree`);
    assert.is(problems.length, 0, problems.join("\n"));
    assert.is(agreed, CSMITH_SEEDS.length * OPT_LEVELS.length);
  });
}

test(`${TTF_COUNT} -ttf modules through wasm-opt -O3/-Oz from seed ${TTF_SEED}: 0 divergences`, async () => {
  const sum = await runCampaign({
    count: TTF_COUNT, seed: TTF_SEED, features: "mixed", denan: true, argSets: 3, engineB: "ours", fuel: 20_000_000, outDir: join(projectRoot, "fuzz-out"), timeLimitMs: undefined, opt: "mixed",
  });
  console.log(`\n# programs: ${sum.modules} optimised -ttf modules, ${sum.calls} calls: ${sum.agree} agree, ${sum.diverge} diverge, ${sum.inconclusive} inconclusive`);
  assert.is(sum.modules, TTF_COUNT);
  assert.ok(sum.calls > TTF_COUNT * 5, `only ${sum.calls} export calls were compared`);
  assert.is(sum.diverge, 0, sum.divergences.map((d) => `seed ${d.seed} (${d.features} ${d.opt}): ${d.detail} [${d.reproducer}]`).join("\n"));
  assert.ok(sum.inconclusive <= TTF_COUNT / 20, `${sum.inconclusive} inconclusive modules`);
});

test.run();
