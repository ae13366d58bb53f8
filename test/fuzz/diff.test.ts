/**
 * The CI slice of the differential fuzzer (issue 2 / issue 7): a fixed-seed run of binaryen -ttf
 * modules over every feature preset, Node's WebAssembly vs ours; any divergence fails. Also
 * checks that the harness can fail (a deliberately wrong engine must diverge) and that Node agrees
 * with itself. The full campaign is `npm run fuzz:diff -- --count N`.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";
import { sliceSize } from "../helpers/slice.js";
import { runCampaign } from "../../scripts/fuzz/campaign.js";
import { diffModule, nodeSide, ourSide } from "../../scripts/fuzz/diff.js";
import { loadOurInterpreter } from "../../scripts/spec/our-engine.js";
import type { CampaignOptions } from "../../scripts/fuzz/campaign.js";

/** Modules in the CI slice (about 0.1 s each, most of it in wasm-opt): 60 in `npm test`, 250 with --full. */
const COUNT = sliceSize("PUREFLOW_FUZZ_COUNT", 60, 250, "-ttf modules (fuzz/diff)");
const SEED = 20260101;

const base: CampaignOptions = {
  count: COUNT,
  seed: SEED,
  features: "mixed",
  denan: true,
  argSets: 3,
  engineB: "ours",
  fuel: 20_000_000,
  outDir: join(projectRoot, "fuzz-out"),
  timeLimitMs: undefined,
};

test("harness self-check: a wrong engine diverges, Node agrees with itself", async () => {
  const bad = await runCampaign({ ...base, count: 12, seed: 7, engineB: "node-mutant", outDir: undefined });
  assert.ok(bad.diverge >= 3, `mutant diverged on only ${bad.diverge} of 12 modules`);
  const self = await runCampaign({ ...base, count: 12, seed: 7, engineB: "node", outDir: undefined });
  assert.is(self.diverge, 0, self.divergences.map((d) => d.detail).join("\n"));
  assert.is(self.agree, 12);
});

test("a module the reference engine cannot compile for lack of a proposal we implement is skipped, not a divergence", async () => {
  // (func (export "f") (result i32) ref.func 0; ref.as_non_null; ref.is_null), ref.func declared:
  // -ttf emits ref.as_non_null with reference types; Node 20's V8 says "enable with --experimental-wasm-typed_funcref"
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // type 0: [] -> [i32]
    0x03, 0x02, 0x01, 0x00, // func 0: type 0
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" func 0
    0x09, 0x05, 0x01, 0x03, 0x00, 0x01, 0x00, // elem declare func 0
    0x0a, 0x08, 0x01, 0x06, 0x00, 0xd2, 0x00, 0xd4, 0xd1, 0x0b,
  ]);
  const r = diffModule(bytes, nodeSide(), ourSide(await loadOurInterpreter(), 1_000_000), 1);
  if (Number(process.versions.node.split(".")[0]) < 22) {
    assert.is(r.status, "skipped", r.detail);
    assert.match(r.detail, /lacks the proposal typed_funcref/);
  } else assert.is(r.status, "agree", r.detail);
});

if (existsSync(join(projectRoot, "interpreter", "index.ts"))) {
  test(`node vs ours: ${COUNT} -ttf modules from seed ${SEED} (mixed features), 0 divergences`, async () => {
    const sum = await runCampaign(base);
    console.log(
      `\n# fuzz-diff: ${sum.modules} modules, ${sum.calls} calls: ${sum.agree} agree, ${sum.diverge} diverge, ${sum.inconclusive} inconclusive; ${(sum.ms / 1000).toFixed(1)}s`,
    );
    assert.is(sum.modules, COUNT);
    assert.ok(sum.calls > COUNT * 5, `only ${sum.calls} export calls were compared`);
    const lines = sum.divergences.map((d) => `seed ${d.seed} (${d.features}): ${d.detail}${d.reproducer ? ` [${d.reproducer}]` : ""}`);
    assert.is(sum.diverge, 0, `divergences:\n${lines.join("\n")}`);
    // Inconclusive = our per-call fuel bound ran out where Node finished: too many is suspicious.
    assert.ok(sum.inconclusive <= COUNT / 20, `${sum.inconclusive} inconclusive modules: ${sum.inconclusives.map((d) => `${d.seed}: ${d.detail}`).join("; ")}`);
  });
} else {
  test("our interpreter exists", () => assert.unreachable("interpreter/index.ts is missing"));
}

test.run();
