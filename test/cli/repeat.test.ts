// `pureflow-wasm run --repeat N [--workers K]` through the built binary (issue 18): measures a
// component on this thread or a worker pool, reports mismatches, refuses misuse.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli, inputsPath, upper } from "./helpers.js";

test("--repeat on this thread and on 2 workers: every invocation equals the first", () => {
  for (const extra of [[], ["--workers", "2"]]) {
    const r = cli(["run", upper, inputsPath, "--repeat", "20", ...extra, "--json"]);
    assert.is(r.code, 0, r.stderr);
    const o = JSON.parse(r.stdout);
    assert.equal(o.repeat, { completed: 20, failed: 0, mismatches: 0, workers: extra.length === 0 ? 0 : 2, snapshotStarted: true });
    assert.is(o.fuel.consumed, 2672);
    assert.ok(o.batchesPerSecond > 0 && o.latencyMs.p95 >= o.latencyMs.median);
  }
  const t = cli(["run", upper, inputsPath, "--repeat", "5"]);
  assert.match(t.stdout, /^5 invocations on this thread \(snapshot-started\): [\d.]+ batches\/s/);
});

test("a failing guest: exit 1 with the first invocation's error", () => {
  const r = cli(["run", "fixtures/hostile/trap/component.wasm", inputsPath, "--repeat", "3"]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /3 failed, 0 differ from the first/);
  assert.match(r.stderr, /error \(first invocation\): CDT-EXEC-001/);
});

test("misuse", () => {
  for (const [args, pattern] of [
    [["run", upper, inputsPath, "--workers", "2"], /--workers goes with --repeat/],
    [["run", upper, inputsPath, "--repeat", "0"], /at least 1/],
    [["run", upper, inputsPath, "--repeat", "3", "--record", "x.json"], /does not combine/],
    [["run", upper, inputsPath, "--repeat", "3", "--workers", "999"], /at most 256/],
  ] as [string[], RegExp][]) {
    const r = cli(args);
    assert.is(r.code, 2, args.join(" "));
    assert.match(r.stderr, pattern);
  }
});

test.run();
