/**
 * The test of record for issue 12 step 3: the Wasm 3.0 spec suite (sharedDir()/wasm-spec-3) on our
 * interpreter. Every script whose features (its MANIFEST.tsv row) we implement must pass with 0
 * failures; the others are reported as skipped, by missing feature, and counted as skipped.
 *
 * `npm test` runs the scripts that differ from the Wasm 2.0 suite (`vs_2.0` new or changed); the
 * 113 byte-identical ones are the 2.0 suite's scripts, run by spec.test.ts. `npm run test:full`
 * (PUREFLOW_TEST_FULL=1) runs all 257 here as well.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sharedDirOrSkip } from "./helpers/shared.js";
import { fullRun } from "./helpers/slice.js";
import { runSpecChild } from "./helpers/spec-run.js";

const specDir = sharedDirOrSkip("wasm-spec-3", "Wasm 3.0 spec suite");
if (specDir === undefined) {
  test.skip("the Wasm 3.0 spec suite on our interpreter", () => {});
} else {
  const rows = readFileSync(join(specDir, "MANIFEST.tsv"), "utf8").split("\n").filter((l) => l !== "");
  const cols = rows[0]!.split("\t");
  const fileCol = cols.indexOf("file"), vsCol = cols.indexOf("vs_2.0");
  const all = rows.slice(1).map((r) => r.split("\t"));
  const files = all.filter((c) => fullRun || c[vsCol] !== "same").map((c) => c[fileCol]!);
  console.log(`# Wasm 3.0 suite: ${files.length} of ${all.length} scripts${fullRun ? "" : " (the ones that differ from the 2.0 suite; npm run test:full runs all)"}`);
  const run = runSpecChild(["--suite", "3", "--file", files.join(",")]);
  if ("why" in run) {
    test("Wasm 3.0 spec runner completes", () => {
      assert.unreachable(run.why);
    });
  } else {
    const data = run.data;
    const t = data.totals;
    console.log(`# spec 3.0 (ours): ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped; modules ${t.modulesOk} ok / ${t.modulesFailed} failed`);
    for (const [reason, n] of Object.entries(t.skipReasons).sort((a, b) => b[1] - a[1])) console.log(`# spec 3.0 skipped ${n}: ${reason}`);
    // the scripts skipped whole (each a skipped test below): one reason line for the runner's summary
    const byFeature = new Map<string, number>();
    for (const f of data.files) if (f.skippedFeature !== undefined) byFeature.set(f.skippedFeature, (byFeature.get(f.skippedFeature) ?? 0) + 1);
    if (byFeature.size > 0) console.log(`# SKIP Wasm 3.0 scripts needing an unimplemented feature, skipped whole: ${[...byFeature].map(([feature, n]) => `${n} ${feature}`).join(", ")}`);
    for (const f of data.files) {
      if (f.skippedFeature !== undefined) {
        // skipped as a whole by feature: counted as skipped, with the reason in the test name
        test.skip(`spec3 ${f.file} (${f.skippedFeature})`, () => {});
        continue;
      }
      test(`spec3 ${f.file}`, () => {
        const bad = f.failed + f.modulesFailed + f.actionsFailed;
        if (bad > 0) {
          const lines = f.failures.slice(0, 15).map((x) => `  ${f.file}.wast:${x.line} ${x.type}: ${x.detail}`);
          assert.unreachable(`${f.file}: ${f.failed} assertions, ${f.modulesFailed} modules, ${f.actionsFailed} actions failed\n${lines.join("\n")}`);
        }
        assert.ok(f.passed > 0 || f.skipped > 0 || f.modulesOk > 0, `${f.file}: nothing ran`);
      });
    }
    test("Wasm 3.0 spec suite ran assertions", () => {
      assert.ok(t.passed + t.failed + t.skipped > 0, "no assertion at all");
      assert.is(t.failed + t.modulesFailed + t.actionsFailed, 0);
    });
  }
}

test.run();
