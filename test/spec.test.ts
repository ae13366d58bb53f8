/**
 * The test of record for issues 2 and 12: the whole WebAssembly 2.0 spec suite (fixed-width SIMD
 * included) on our interpreter must pass with 0 failures. Runs `scripts/spec.ts --engine ours` in a child process (so a hang
 * in the interpreter is cut by a timeout instead of blocking `npm test`) and turns each spec file
 * into one uvu test.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot, sharedDirOrSkip } from "./helpers/shared.js";
import { runSpecChild } from "./helpers/spec-run.js";

const specDir = sharedDirOrSkip("wasm-spec", "spec suite");
if (specDir === undefined) {
  // one skipped test stands for the whole suite (about 150 spec files, 52,000 assertions)
  test.skip("the WebAssembly spec suite on our interpreter", () => {});
} else {
  if (!existsSync(join(projectRoot, "interpreter", "index.ts"))) {
    test("our interpreter exists", () => {
      assert.unreachable("interpreter/index.ts does not exist yet: the spec suite cannot run on our engine");
    });
  } else {
    const run = runSpecChild([]);
    if ("why" in run) {
      test("spec runner completes", () => {
        assert.unreachable(run.why);
      });
    } else {
      const data = run.data;
      const t = data.totals;
      console.log(`# spec (ours): ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped; modules ${t.modulesOk} ok / ${t.modulesFailed} failed; actions ${t.actionsOk} ok / ${t.actionsFailed} failed; ${(t.ms / 1000).toFixed(1)}s`);
      for (const [reason, n] of Object.entries(t.skipReasons)) console.log(`# spec skipped ${n}: ${reason}`);
      for (const f of data.files) {
        test(`spec ${f.file}`, () => {
          const bad = f.failed + f.modulesFailed + f.actionsFailed;
          if (bad > 0) {
            const lines = f.failures.slice(0, 15).map((x) => `  ${f.file}.wast:${x.line} ${x.type}: ${x.detail}`);
            assert.unreachable(`${f.file}: ${f.failed} assertions, ${f.modulesFailed} modules, ${f.actionsFailed} actions failed\n${lines.join("\n")}${f.failures.length > 15 ? `\n  ... ${f.failures.length - 15} more` : ""}`);
          }
          assert.ok(f.passed > 0 || f.skippedFeature !== undefined || f.skipped > 0 || f.modulesOk > 0, `${f.file}: nothing ran`);
        });
      }
      test("spec suite ran assertions", () => {
        // The corpus has 26,716 non-SIMD assertions, 581 of them text-format (skipped), and
        // 25,514 in the simd_* scripts, 510 of them text-format.
        assert.ok(t.passed + t.failed >= 51000, `only ${t.passed + t.failed} assertions ran`);
      });
    }
  }
}

test.run();
