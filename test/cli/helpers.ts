/**
 * Running the real built `pureflow-wasm` (the package's `bin`, dist/bin/pureflow-wasm.js: the
 * bundle `npm run build` makes of dist/src/cli/main.js; built here when missing) as a child process, one at a time or several at once.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

export const bin = join(projectRoot, "dist", "bin", "pureflow-wasm.js");
if (!existsSync(bin)) {
  console.log("# building dist/ (npm run build) for the CLI tests");
  spawnSync(process.execPath, [join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: projectRoot, stdio: "ignore" });
  spawnSync(process.execPath, [join(projectRoot, "scripts", "bundle-cli.mjs")], { cwd: projectRoot, stdio: "ignore" });
}

export const upper = "fixtures/uppercase-guest/component.wasm";
export const inputsPath = "fixtures/uppercase-guest/testdata/inputs.json";
export const coreModule = "fixtures/hostile/core-module/module.wasm";

/** What a run of the CLI gave. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  args: string[];
}

/** Characters that must never reach a terminal from the CLI (anything but \t \n; ESC only on a TTY). */
// eslint-disable-next-line no-control-regex
export const RAW_BYTES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function check(r: CliResult): CliResult {
  const all = r.stdout + r.stderr;
  assert.not.match(all, /\n\s+at |Unhandled|node:internal/, `stack trace from ${r.args.join(" ")}: ${all}`);
  assert.not.match(all, RAW_BYTES, `raw control bytes from ${r.args.join(" ")}: ${JSON.stringify(all.slice(0, 400))}`);
  return r;
}

/** Runs the CLI synchronously. */
export function cli(args: string[], input?: string | Uint8Array): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: projectRoot, input, encoding: "utf8", timeout: 60_000 });
  return check({ code: r.status, stdout: r.stdout, stderr: r.stderr, args });
}

/** Runs the CLI asynchronously (several calls run in parallel). */
export function cliAsync(args: string[], input?: string | Uint8Array): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd: projectRoot });
    let stdout = "";
    let stderr = "";
    p.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
    p.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    p.on("error", reject);
    p.on("close", (code) => {
      try {
        resolve(check({ code, stdout, stderr, args }));
      } catch (e) {
        reject(e);
      }
    });
    p.stdin.on("error", () => {});
    p.stdin.end(input);
  });
}

/** Runs every argument list, at most `width` at a time, and returns the results in order. */
export async function cliAll(cases: { args: string[]; input?: string | Uint8Array }[], width = 4): Promise<CliResult[]> {
  const out: CliResult[] = new Array(cases.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < cases.length) {
      const i = next++;
      const c = cases[i]!;
      out[i] = await cliAsync(c.args, c.input);
    }
  }
  await Promise.all(Array.from({ length: Math.min(width, cases.length) }, worker));
  return out;
}

const tmp = tempDir("pureflow-cli-");

/** Writes a temporary file and returns its path. */
export function tmpFile(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

/** The temporary folder of this test file. */
export const tmpDir = tmp;
