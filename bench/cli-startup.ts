/**
 * The uppercase CLI run in a fresh process (issue 11's target: ≤ 120 ms wall): the package's bin
 * (`dist/bin/pureflow-wasm.js`, made by `npm run build`) running
 * `run fixtures/uppercase-guest/component.wasm fixtures/uppercase-guest/testdata/inputs.json`,
 * alternated with `node -e 0` (Node's own start and exit on this machine, the floor of any CLI).
 *
 * Each process is started with a preloaded CommonJS hook (`-r`, written to a temporary folder:
 * a CommonJS preload costs next to nothing, an ES module one would start Node's ES module loader)
 * that writes, when the process exits, its CPU time (`process.cpuUsage()`, all threads) and the
 * time since it started (`performance.now()`). Wall time is measured here, around the child
 * (fork, exec and teardown included). Medians of `reps` runs of each; the run's standard output
 * (a pipe, as a tool reading it would see) must be `expected-outputs.json`, or the row is a
 * mismatch. A third row runs the CLI with `PUREFLOW_CODE_CACHE=off` (the bin compiles cli-run.js
 * without the V8 code cache `npm run build` made: scripts/bundle-cli-loader.js), alternated with
 * the others, so the cache's effect is measured on the same machine state. Two more rows import
 * the library and exit: its bundled entry (`dist/bundle/index.js`, what `import "pureflow-wasm"`
 * loads) and the unbundled modules it is made from (`dist/src/index.js`).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { median } from "./stats.js";
import { tempDir } from "../test/helpers/temp-dir.js";

/** One command's medians over `reps` fresh processes, in ms. */
export interface CliStartupRow {
  name: string;
  reps: number;
  /** Wall time measured around the child process. */
  wallMs: number;
  /** The child's own CPU time at exit (user + system, every thread). */
  cpuMs: number;
  /** The child's time from its start to its `exit` event. */
  toExitMs: number;
  /** The output was not the expected one (only for the CLI run). */
  mismatch: boolean;
}

const HOOK = `process.on("exit", () => {
  const u = process.cpuUsage();
  require("node:fs").writeSync(2, "\\n#pureflow-cli-startup " + ((u.user + u.system) / 1000).toFixed(3) + " " + performance.now().toFixed(3) + "\\n");
});
`;

/** Runs `node -e 0`, the uppercase CLI run and the library imports `reps` times each, alternately. */
export function cliStartupRows(projectRoot: string, reps: number): CliStartupRow[] {
  const hook = join(tempDir("pureflow-cli-startup-"), "hook.cjs");
  writeFileSync(hook, HOOK);
  const fixture = join(projectRoot, "fixtures/uppercase-guest");
  const expected = readFileSync(join(fixture, "testdata/expected-outputs.json"), "utf8");
  const run = [join(projectRoot, "dist/bin/pureflow-wasm.js"), "run", join(fixture, "component.wasm"), join(fixture, "testdata/inputs.json")];
  const commands: { name: string; args: string[]; check: boolean; env?: Record<string, string> }[] = [
    { name: "node -e 0", args: ["-e", "0"], check: false },
    { name: "pureflow-wasm run (uppercase)", args: run, check: true },
    { name: "  the same, no code cache", args: run, check: true, env: { PUREFLOW_CODE_CACHE: "off" } },
    // the library's import alone, as a script or test sees it: the bundled entry the package
    // exports (scripts/bundle-lib.mjs), and the unbundled modules it is made from
    { name: "import pureflow-wasm (bundle)", args: ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(join(projectRoot, "dist/bundle/index.js")).href)})`], check: false },
    { name: "  the same, unbundled modules", args: ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(join(projectRoot, "dist/src/index.js")).href)})`], check: false },
  ];
  const samples = commands.map(() => ({ wall: [] as number[], cpu: [] as number[], toExit: [] as number[], mismatch: false }));
  for (let i = 0; i < reps; i++) {
    commands.forEach((c, k) => {
      const t0 = process.hrtime.bigint();
      const env = { ...process.env, ...c.env };
      if (c.env === undefined) delete env.PUREFLOW_CODE_CACHE;
      const r = spawnSync(process.execPath, ["-r", hook, ...c.args], { cwd: projectRoot, encoding: "utf8", env });
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      const m = /#pureflow-cli-startup ([\d.]+) ([\d.]+)/.exec(r.stderr ?? "");
      const s = samples[k]!;
      if (r.status !== 0 || m === null || (c.check && r.stdout.trim() !== expected.trim())) s.mismatch = true;
      s.wall.push(wall);
      if (m !== null) {
        s.cpu.push(Number(m[1]));
        s.toExit.push(Number(m[2]));
      }
    });
  }
  return commands.map((c, k) => {
    const s = samples[k]!;
    return { name: c.name, reps, wallMs: median(s.wall), cpuMs: median(s.cpu), toExitMs: median(s.toExit), mismatch: s.mismatch };
  });
}
