/**
 * The test runner's own promises (scripts/run-tests.mjs): every file's line carries its wall and
 * CPU time, the run ends with the slowest-files table, CPU time includes the processes a test
 * waited for (scripts/test-cpu-hook.mjs), and the quick/full slices (test/helpers/slice.ts) obey
 * `--full` and a suite's own environment variable. Runs the real runner on two small test files.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";

const runner = join(projectRoot, "scripts", "run-tests.mjs");
const hook = join(projectRoot, "scripts", "test-cpu-hook.mjs");
const SMALL = ["test/bench/harness.test.ts", "test/canonical-abi/extern-names.test.ts"];

function node(args: string[], env: Record<string, string> = {}): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd: projectRoot, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", ...env }, timeout: 600_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test("each file's line has wall and CPU time; the run ends with the slowest files and the counts; --full is a flag", () => {
  // the two small files have no slices: --full changes nothing in them but the table's header
  const r = node([runner, "--full", ...SMALL], { PUREFLOW_TEST_TIMES: "all" });
  assert.is(r.status, 0, r.out);
  assert.match(r.out, /^2 test files in /m, "--full is not taken as a filter");
  for (const f of SMALL) assert.match(r.out, new RegExp(`^ok   ${f.replace(/[./]/g, "\\$&")} \\(\\d+/\\d+ passed, [\\d.]+s, cpu [\\d.]+s\\)$`, "m"));
  assert.match(r.out, /^slowest files \(wall s, cpu s; \d+ s of CPU in all, --full\):$/m);
  for (const f of SMALL) assert.match(r.out, new RegExp(`^ +[\\d.]+ +[\\d.]+  ${f.replace(/[./]/g, "\\$&")}$`, "m"));
  assert.not.match(r.out, /#pureflow-cpu/, "the hook's line is removed from the output");
  assert.match(r.out, /^\d+ passed, 0 failed, 0 skipped$/m);
});

test("the CPU hook counts the process's own CPU and that of the children it waited for", () => {
  // a child that spins for 300 ms of CPU; the parent does nothing itself
  const spin = "const t = process.cpuUsage(); while ((process.cpuUsage(t).user + process.cpuUsage(t).system) < 300000);";
  const parent = `require("node:child_process").spawnSync(process.execPath, ["-e", ${JSON.stringify(spin)}]);`;
  const r = node(["--import", hook, "-e", parent]);
  assert.is(r.status, 0, r.out);
  const m = /^#pureflow-cpu ([\d.]+) ([\d.]+)$/m.exec(r.out);
  assert.ok(m, r.out);
  if (process.platform === "linux") assert.ok(Number(m[2]) >= 0.25, `children CPU ${m[2]} s, expected >= 0.3 s`);
  assert.ok(Number(m[1]) < 5, `own CPU ${m[1]} s`);
});

test("slices: quick by default, full under --full (PUREFLOW_TEST_FULL=1), a suite's variable wins, a bad one is refused", () => {
  const probe = `import { sliceSize } from ${JSON.stringify(join(projectRoot, "test", "helpers", "slice.ts"))}; console.log("size=" + sliceSize("PUREFLOW_PROBE_COUNT", 3, 30, "probe cases"));`;
  const run = (env: Record<string, string>) => node(["--import", "tsx", "--input-type=module", "-e", probe], env);
  const quick = run({});
  assert.match(quick.out, /^# quick slice: 3 of 30 probe cases \(npm run test:full runs all\)$/m);
  assert.match(quick.out, /^size=3$/m);
  const full = run({ PUREFLOW_TEST_FULL: "1" });
  assert.match(full.out, /^size=30$/m);
  assert.not.match(full.out, /quick slice/);
  const own = run({ PUREFLOW_TEST_FULL: "1", PUREFLOW_PROBE_COUNT: "7" });
  assert.match(own.out, /^# probe cases: 7 \(PUREFLOW_PROBE_COUNT\)$/m);
  assert.match(own.out, /^size=7$/m);
  const bad = run({ PUREFLOW_PROBE_COUNT: "lots" });
  assert.is.not(bad.status, 0);
  assert.match(bad.out, /PUREFLOW_PROBE_COUNT=lots: expected a whole number of probe cases/);
});

test.run();
