/**
 * Misuse of the command line, in process (`main(argv, io)` with captured output): a wrong argv
 * (not an array, non-string items) is a usage error (exit 2); wrong files and wrong inputs
 * (missing, a directory, empty, text, a core module, inputs JSON of the wrong shape, invalid ids,
 * control text that is not JSON, bytes out of range) exit 3 with `error: CLI-INPUT-*: category: message`
 * (or the `--json` error object; Pureflow's error, e.g. `CDT-VAL-001`, in the message and as `cause`)
 * and never an internal error or a stack trace.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main, type CliIo } from "../../src/cli/cli.js";
import { projectRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("pureflow-misuse-");
const upper = join(projectRoot, "fixtures", "uppercase-guest", "component.wasm");
const coreModule = join(projectRoot, "fixtures", "hostile", "core-module", "module.wasm");
const validInputs = JSON.parse(readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8")) as Record<string, unknown>[];

function file(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

async function run(argv: unknown, stdin = ""): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIo = { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, readStdin: () => stdin, stderrIsTTY: false };
  const code = await main(argv as string[], io);
  assert.not.match(err, /internal error|\n\s+at /, `no internal error or stack trace: ${err}`);
  return { code, out, err };
}

/** The inputs JSON with one change at `path`. */
function inputsWith(path: (string | number)[], value: unknown): string {
  const copy = structuredClone(validInputs) as unknown as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1]] = value;
  return JSON.stringify(copy);
}

test("a wrong argv is a usage error (exit 2), not a TypeError", async () => {
  for (const argv of [undefined, null, 5, "run", {}, [5], ["run", upper, 7], ["inspect", null]]) {
    const r = await run(argv);
    assert.is(r.code, 2, `argv ${JSON.stringify(argv)}: ${r.err}`);
    assert.match(r.err, /^error: .*\n\nusage:/);
  }
});

test("wrong component files: exit 3 with a typed error", async () => {
  const inputs = file("inputs.json", JSON.stringify(validInputs));
  const cases: [string, string, RegExp, RegExp][] = [
    ["missing", join(tmp, "nope.wasm"), /^CLI-INPUT-001$/, /cannot read component `.*nope\.wasm`: no such file/],
    ["a directory", tmp, /^CLI-INPUT-001$/, /is a directory/],
    ["empty", file("empty.wasm", new Uint8Array(0)), /^CLI-INPUT-004$/, /is not a WebAssembly component: the file is empty/],
    ["text", file("text.wasm", "hello, world"), /^CLI-INPUT-004$/, /does not start with the WebAssembly magic bytes/],
    ["a core module", coreModule, /^CLI-INPUT-004$/, /is a core WebAssembly module, not a component/],
    ["truncated component", file("trunc.wasm", readFileSync(upper).subarray(0, 100)), /^CLI-INPUT-004$/, /malformed component/],
  ];
  for (const [what, path, code, message] of cases) {
    const r = await run(["run", path, inputs]);
    assert.is(r.code, 3, what);
    assert.match(r.err, /^error: CLI-INPUT-00[14]: /, what);
    assert.match(r.err, message, what);
    const j = await run(["run", path, inputs, "--json"]);
    assert.is(j.code, 3, `${what} --json`);
    const obj = JSON.parse(j.out) as { status: string; error: { code: string; message: string }; fuel: { consumed: number } };
    assert.is(obj.status, "error");
    assert.match(obj.error.code, code);
    assert.match(obj.error.message, message);
    assert.is(obj.fuel.consumed, 0);
    const i = await run(["inspect", path]);
    // a core module is described (exit 0: not fitting the batch world is information); the rest cannot be read or decoded
    assert.is(i.code, what === "a core module" ? 0 : 3, `inspect ${what}`);
  }
});

test("wrong inputs: exit 3 naming the JSON path (with line and column for syntax) or Pureflow's id error", async () => {
  const cases: [string, string, RegExp][] = [
    ["not JSON", "{", /^error: CLI-INPUT-002: invalid JSON: inputs `.*` is not valid JSON: unexpected end of input, expected a string key at line 1 column 2/],
    ["an object", "{}", /invalid batch JSON at top level: expected an array, found an object/],
    ["a number packet", inputsWith([0, "packets", 0], 5), /invalid batch JSON at \[0\]\.packets\[0\]: expected an object, found number 5/],
    ["unknown field", inputsWith([0, "extra"], 1), /unknown field `extra`/],
    ["attempt -1", inputsWith([0, "packets", 0, "metadata", "execution", "attempt"], -1), /execution\.attempt: expected a u32, found number -1/],
    ["byte 256", inputsWith([0, "packets", 0, "payload"], { bytes: [256] }), /payload\.bytes\[0\]: expected a byte/],
    ["control not JSON", inputsWith([0, "packets", 0, "payload"], { control: "{x" }), /control payload is not JSON: key must be a string at line 1 column 2/],
    ["blank port id", inputsWith([0, "port-id"], " "), /^error: CLI-INPUT-003: invalid inputs: `.*`: CDT-VAL-001: identifier validation failed: port id must not be empty/],
    ["port id with a tab", inputsWith([0, "port-id"], "a\tb"), /CDT-VAL-001: .*port id must not contain whitespace/],
    ["message id of 300 bytes", inputsWith([0, "packets", 0, "metadata", "message-id"], "m".repeat(300)), /message id must not exceed 256 bytes/],
  ];
  for (const [what, text, message] of cases) {
    const viaFile = await run(["run", upper, file("in.json", text)]);
    assert.is(viaFile.code, 3, what);
    assert.match(viaFile.err, message, what);
    const viaStdin = await run(["run", upper, "-"], text);
    assert.is(viaStdin.code, 3, `${what} (stdin)`);
    assert.match(viaStdin.err, message, `${what} (stdin)`);
  }
  const missing = await run(["run", upper, join(tmp, "none.json")]);
  assert.is(missing.code, 3);
  assert.match(missing.err, /^error: CLI-INPUT-001: unusable input file: cannot read inputs `.*none\.json`: no such file/);
  // and the good inputs still run
  const ok = await run(["run", upper, file("good.json", JSON.stringify(validInputs))]);
  assert.is(ok.code, 0, ok.err);
});

test("validate-manifest with wrong files: exit 3, a clear message", async () => {
  for (const [what, path] of [["an array", file("m1.json", "[1]")], ["empty", file("m2.json", "")], ["a directory", tmp], ["missing", join(tmp, "none.json")]] as const) {
    const r = await run(["validate-manifest", path]);
    assert.is(r.code, 3, what);
    assert.match(r.err, /^error: CLI-MANIFEST-001: invalid manifest: failed to (decode|read) WASM component manifest /, what);
  }
});

test.run();
