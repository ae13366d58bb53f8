/**
 * BatchPool on Web Workers (`threads: "web"`), run under Deno (Node 20 has no Web Worker):
 * the same outputs, errors and fuel as BatchComponent (uppercase guest, with and without fuel
 * exhaustion), a running task cancelled through its flag (the worker survives), a worker killed
 * mid-task (replaced, its task failed typed), close({ mode: "abort" }). The script is
 * `deno/web-pool.mjs`; it imports the built library (`dist/`): run `npm run build` first.
 * Skipped loudly when Deno is absent (`npm run runtimes` installs it into .runtimes/).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";

function findDeno(): string | undefined {
  for (const c of [process.env.DENO_BIN, join(projectRoot, ".runtimes", "node_modules", ".bin", "deno"), "deno"]) {
    if (c === undefined || (c.includes("/") && !existsSync(c))) continue;
    if (spawnSync(c, ["--version"], { encoding: "utf8", timeout: 30_000 }).status === 0) return c;
  }
  return undefined;
}

const deno = findDeno();
if (deno === undefined) console.log("# SKIP pool on Web Workers: deno not installed (npm run runtimes installs it into .runtimes/)");

(deno === undefined ? test.skip : test)("BatchPool on Web Workers (Deno) behaves as on worker_threads", () => {
  // Deno hangs when FORCE_COLOR=0 (as the test runner sets it) is in its environment
  const { FORCE_COLOR: _ignored, ...env } = process.env;
  const r = spawnSync(deno as string, ["run", "--allow-read", join(projectRoot, "test", "pool", "deno", "web-pool.mjs"), projectRoot], { encoding: "utf8", timeout: 300_000, env: { ...env, NO_COLOR: "1" } });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
  assert.equal(out, {
    "uppercase-100000000": true,
    "uppercase-500": true,
    cancelled: "CDT-CANCEL-001: execution cancelled: stop",
    afterCancel: true,
    startedAfterCancel: 2,
    killed: "batch pool worker stopped while running the invocation (terminated); it was not retried",
    afterKill: true,
    startedAfterKill: 3,
    closed: "CDT-CANCEL-001: execution cancelled: batch pool closed",
  });
});

test.run();
