/**
 * Fuel on a terminal: during a long run stderr shows the fuel used out of the limit, and at the end
 * of a text-mode run one line `N of LIMIT fuel used (P%); T ms`; never on a pipe. Checked in
 * process (`main(argv, io)` with a TTY flag) and with the real binary under a pseudo-terminal
 * (`script`, util-linux).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main, type CliIo } from "../../src/cli/cli.js";
import { projectRoot } from "../helpers/shared.js";
import { bin, inputsPath, tmpFile, upper } from "./helpers.js";

function io(tty: boolean): CliIo & { out: string; err: string } {
  const r = { out: "", err: "", stderrIsTTY: tty, stdout: (t: string) => { r.out += t; }, stderr: (t: string) => { r.err += t; }, readStdin: () => "[]" };
  return r;
}

const args = ["run", "fixtures/hostile/infinite-loop/component.wasm", inputsPath, "--fuel", "9007199254740991", "--timeout-ms", "400"];

test("a long run shows progress with the limit on a TTY, and the fuel at the end", async () => {
  const t = io(true);
  assert.is(await main(args, t), 1);
  assert.match(t.err, /\rrunning: [0-9,]+ of 9,007,199,254,740,991 fuel used \([0-9.]+%\)/);
  assert.match(t.err, /error: CDT-CANCEL-001: execution cancelled: wasm guest invocation timed out after 400 ms\n[0-9,]+ of 9,007,199,254,740,991 fuel used \([0-9.]+%\); [0-9.]+ ms\n$/);
});

test("and never on a pipe", async () => {
  const p = io(false);
  assert.is(await main(args, p), 1);
  assert.is(p.err, "error: CDT-CANCEL-001: execution cancelled: wasm guest invocation timed out after 400 ms\n");
});

test("a successful run on a TTY ends with the fuel used out of the limit; stdout unchanged", async () => {
  const t = io(true);
  assert.is(await main(["run", upper, inputsPath, "--fuel", "1e6"], t), 0);
  assert.is(t.out.trimEnd(), readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8").trimEnd());
  assert.match(t.err, /^[0-9,]+ of 1,000,000 fuel used \([0-9.]+%\); [0-9.]+ ms\n$/);
});

test("the real binary under a pseudo-terminal: fuel used of the limit on stderr, outputs on stdout", () => {
  const out = tmpFile("tty-out.json", "");
  const which = spawnSync("script", ["--version"], { encoding: "utf8" });
  assert.ok(which.status === 0, "`script` (util-linux) is installed: it provides the pseudo-terminal");
  const cmd = `'${process.execPath}' '${bin}' run '${upper}' '${inputsPath}' --fuel 2_000_000 > '${out}'`;
  const r = spawnSync("script", ["-qec", cmd, "/dev/null"], { cwd: projectRoot, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /[0-9,]+ of 2,000,000 fuel used \([0-9.]+%\); [0-9.]+ ms\r?\n/);
  assert.is(readFileSync(out, "utf8").trimEnd(), readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8").trimEnd());
});

test.run();
