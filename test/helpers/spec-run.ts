/**
 * Runs `scripts/spec.ts` on our interpreter in a child process (so a hang in the interpreter is
 * cut by a timeout instead of blocking `npm test`) and reads its JSON report. Shared by the spec
 * suite tests (spec.test.ts: Wasm 2.0; spec3.test.ts: Wasm 3.0).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "./shared.js";
import type { FileResult } from "../../scripts/spec/runner.js";

export const SPEC_TIMEOUT_MS = 6 * 60 * 1000;

export interface SpecJson {
  engine: string;
  totals: { passed: number; failed: number; skipped: number; modulesOk: number; modulesFailed: number; actionsOk: number; actionsFailed: number; skipReasons: Record<string, number>; ms: number };
  files: FileResult[];
}

/** The report of `scripts/spec.ts --engine ours --quiet ...args`, or why there is none. */
export function runSpecChild(args: readonly string[]): { data: SpecJson } | { why: string } {
  const tmp = mkdtempSync(join(tmpdir(), "pureflow-spec-"));
  const out = join(tmp, "spec.json");
  const r = spawnSync(process.execPath, ["--import", "tsx", "--stack-size=4000", join(projectRoot, "scripts", "spec.ts"), "--engine", "ours", "--quiet", "--json", out, ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    timeout: SPEC_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const data = existsSync(out) ? (JSON.parse(readFileSync(out, "utf8")) as SpecJson) : undefined;
  rmSync(tmp, { recursive: true, force: true });
  if (data !== undefined) return { data };
  const why = r.error !== undefined ? String(r.error) : `exit ${r.status} signal ${r.signal}`;
  return { why: `spec runner produced no results (${why}; timeout ${SPEC_TIMEOUT_MS / 1000}s)\n${(r.stdout ?? "").slice(-3000)}\n${(r.stderr ?? "").slice(-3000)}` };
}
