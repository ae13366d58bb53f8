/**
 * The real `pureflow-wasm` binary (dist/bin/pureflow-wasm.js, built by `npm run build`) on the
 * fixtures: `run` stdout, stderr and exit statuses; the exit-status table (guest failures 1,
 * usage 2, input 3, output 4) with the codes of `src/cli/errors.ts`; `--json` for every outcome;
 * number forms of `--fuel`; `--timeout-ms 0`; version and per-command help. Never a stack trace
 * or a raw control byte (checked on every call by `helpers.ts`).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { bin, cli, cliAll, coreModule, inputsPath, tmpDir, tmpFile, upper } from "./helpers.js";

const expected = readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8");
const validInputs = JSON.parse(readFileSync(join(projectRoot, inputsPath), "utf8")) as Record<string, unknown>[];
const controlInputs = (() => {
  const v = structuredClone(validInputs) as { packets: { payload: unknown }[] }[];
  v[0]!.packets[1]!.payload = { control: "{\"b\":1,\"a\":2}" };
  return JSON.stringify(v);
})();

test("the binary starts with a shebang", () => {
  assert.ok(readFileSync(join(projectRoot, "dist/bin/pureflow-wasm.js"), "utf8").startsWith("#!/usr/bin/env node\n"));
});

test("run: testdata gives expected-outputs.json byte for byte, nothing on stderr (a pipe: no progress); stdin with -", async () => {
  const [file, stdin] = await cliAll([{ args: ["run", upper, inputsPath] }, { args: ["run", upper, "-"], input: readFileSync(join(projectRoot, inputsPath)) }]);
  for (const r of [file!, stdin!]) {
    assert.is(r.stderr, "");
    assert.is(r.code, 0);
    assert.is(r.stdout.trimEnd(), expected.trimEnd());
  }
});

test("run --json: one object with outputs, fuel and time", () => {
  const r = cli(["run", upper, inputsPath, "--json"]);
  assert.is(r.code, 0);
  const o = JSON.parse(r.stdout);
  assert.is(o.status, "ok");
  assert.equal(o.outputs, JSON.parse(expected));
  assert.is(o.fuel.limit, 100_000_000);
  assert.ok(o.fuel.consumed > 0 && o.fuel.consumed < o.fuel.limit);
  assert.type(o.elapsedMs, "number");
  assert.is(o.error, undefined);
});

test("run: the guest's error on stderr, exit 1; --json gives the error with exitCode 1", async () => {
  const [r, j] = await cliAll([{ args: ["run", upper, tmpFile("control.json", controlInputs)] }, { args: ["run", upper, tmpFile("control2.json", controlInputs), "--json"] }]);
  assert.is(r!.code, 1);
  assert.is(r!.stdout, "");
  assert.is(r!.stderr, "error: CDT-EXEC-001: node execution failed: guest returned unsupported-payload: uppercase guest accepts only bytes payloads\n");
  assert.is(j!.code, 1);
  const o = JSON.parse(j!.stdout);
  assert.equal(o.error, { code: "CDT-EXEC-001", category: "node execution failed", message: "guest returned unsupported-payload: uppercase guest accepts only bytes payloads", exitCode: 1 });
  assert.ok(o.fuel.consumed > 0);
});

test("--fuel: 0 runs out at once; integers in any plain form (1e9, 5_000_000, 2.5e3) are accepted; fractions refused", async () => {
  const rs = await cliAll([
    { args: ["run", upper, inputsPath, "--fuel", "0"] },
    { args: ["run", upper, inputsPath, "--fuel=0", "--json"] },
    { args: ["run", upper, inputsPath, "--fuel", "1e9", "--json"] },
    { args: ["run", upper, inputsPath, "--fuel", "5_000_000", "--json"] },
    { args: ["run", upper, inputsPath, "--fuel=2.5e3", "--json"] },
    { args: ["run", upper, inputsPath, "--fuel", "1.5"] },
    { args: ["run", upper, inputsPath, "--fuel", "1e400"] },
    { args: ["run", upper, inputsPath, "--fuel", "-5"] },
  ]);
  assert.is(rs[0]!.code, 1);
  assert.is(rs[0]!.stderr, "error: CDT-EXEC-001: node execution failed: guest exceeded fuel limit of 0 units\n");
  const zero = JSON.parse(rs[1]!.stdout);
  assert.equal(zero.fuel, { limit: 0, consumed: 0 });
  assert.is(zero.status, "error");
  assert.is(JSON.parse(rs[2]!.stdout).fuel.limit, 1_000_000_000);
  assert.is(JSON.parse(rs[3]!.stdout).fuel.limit, 5_000_000);
  const small = JSON.parse(rs[4]!.stdout);
  assert.is(small.fuel.limit, 2500);
  for (const r of rs.slice(5)) {
    assert.is(r.code, 2, r.args.join(" "));
    assert.match(r.stderr, /^error: CLI-USAGE-001: usage error: --fuel must be/);
  }
});

test("--timeout-ms stops an endless guest with CDT-CANCEL-001; --timeout-ms 0 means no limit", async () => {
  const [loop, zero] = await cliAll([
    { args: ["run", "fixtures/hostile/infinite-loop/component.wasm", inputsPath, "--timeout-ms", "200", "--fuel", "9007199254740991"] },
    { args: ["run", upper, inputsPath, "--timeout-ms", "0"] },
  ]);
  assert.is(loop!.code, 1);
  assert.is(loop!.stderr, "error: CDT-CANCEL-001: execution cancelled: wasm guest invocation timed out after 200 ms\n");
  assert.is(zero!.code, 0, zero!.stderr);
  assert.is(zero!.stdout.trimEnd(), expected.trimEnd());
});

test("usage errors: exit 2, CLI-USAGE-001, the command's usage line; unknown short flags refused; --json gives a JSON error", async () => {
  const cases = [[], ["frobnicate"], ["-x"], ["run", upper], ["run", upper, inputsPath, "--fuel", "abc"], ["run", upper, inputsPath, "--fuel"],
    ["run", upper, inputsPath, "--bogus"], ["run", upper, inputsPath, "-j"], ["run", "-q", upper, inputsPath], ["inspect"], ["inspect", "-z", upper], ["validate-manifest"], ["validate-manifest", "m.json", "-w", "x"]];
  const rs = await cliAll(cases.map((args) => ({ args })));
  for (const r of rs) {
    assert.is(r.code, 2, r.args.join(" "));
    assert.match(r.stderr, /^error: CLI-USAGE-001: usage error: /, r.args.join(" "));
    assert.match(r.stderr, /\n\nusage: pureflow-wasm /);
    assert.is(r.stdout, "");
  }
  assert.match(rs[7]!.stderr, /unknown option `-j` for `run`/);
  assert.match(rs[7]!.stderr, /usage: pureflow-wasm run <component\.wasm>.*\n\(`pureflow-wasm run --help`/);
  const js = await cliAll([{ args: ["run", upper, "--json"] }, { args: ["inspect", "--json", "-z", upper] }, { args: ["nope", "--json"] }]);
  for (const j of js) {
    assert.is(j.code, 2);
    assert.is(j.stderr, "");
    const o = JSON.parse(j.stdout);
    assert.is(o.status, "error");
    assert.is(o.error.code, "CLI-USAGE-001");
    assert.is(o.error.exitCode, 2);
  }
});

test("-- ends the options: a file whose name starts with - is a file", () => {
  const dashed = tmpFile("-inputs.json", readFileSync(join(projectRoot, inputsPath)));
  const r = cli(["run", "--", upper, dashed.replace(tmpDir + "/", "")], undefined);
  // run from the project root: the relative name does not exist there, so this is an input error, not a usage error
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /^error: CLI-INPUT-001: unusable input file: cannot read inputs `-inputs\.json`: no such file\n$/);
});

test("-v, -V, --version print the package's version; help and per-command help", async () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { version: string };
  const rs = await cliAll([["-v"], ["-V"], ["--version"], ["--help"], ["run", "--help"], ["inspect", "-h"], ["validate-manifest", "--help"], ["help", "run"]].map((args) => ({ args })));
  for (const r of rs.slice(0, 3)) {
    assert.is(r.code, 0);
    assert.is(r.stdout, `pureflow-wasm ${pkg.version}\n`);
  }
  for (const r of rs.slice(3)) assert.is(r.code, 0, r.args.join(" "));
  const [global, run, inspect, manifest, helpRun] = rs.slice(3).map((r) => r.stdout);
  assert.match(global!, /usage: pureflow-wasm <command>/);
  assert.match(global!, /exit status: 0 ok, 1 the guest failed, 2 usage error, 3 input error/);
  assert.match(run!, /^usage: pureflow-wasm run <component\.wasm> <inputs\.json\|->/);
  assert.match(run!, /default 100,000,000/, "run --help names the default fuel");
  assert.match(run!, /"port-id": "in", "packets"/, "run --help shows the input format");
  assert.match(run!, /\{"bytes": \[0\.\.255, \.\.\.\]\} or \{"control": "<JSON text>"\}/);
  assert.match(run!, /--timeout-ms N [^\n]*\n[^\n]*default none; 0 also means none/);
  assert.match(inspect!, /^usage: pureflow-wasm inspect <file\.wasm>/);
  assert.match(inspect!, /Not fitting is information, not an error: the exit status is 0/);
  assert.match(manifest!, /^usage: pureflow-wasm validate-manifest <manifest\.json>/);
  assert.match(manifest!, /"components": \[\{"node": "wasm-upper", "component": "guests\/upper\.wasm", "fuel": 100000000\}\]/);
  assert.match(manifest!, /optional, default 100,000,000/);
  assert.is(helpRun, run);
  assert.ok(new Set([global, run, inspect, manifest]).size === 4, "four different help texts");
});

test("input errors of run: exit 3 with their own CLI codes (text and --json), never CDT-EXEC-001", async () => {
  const cases: [string[], RegExp, string][] = [
    [["run", "no/such.wasm", inputsPath], /^error: CLI-INPUT-001: unusable input file: cannot read component `no\/such.wasm`: no such file\n$/, "CLI-INPUT-001"],
    [["run", upper, "no/such.json"], /^error: CLI-INPUT-001: unusable input file: cannot read inputs `no\/such.json`: no such file\n$/, "CLI-INPUT-001"],
    [["run", upper, "fixtures"], /cannot read inputs `fixtures`: is a directory, not a file\n$/, "CLI-INPUT-001"],
    [["run", tmpFile("empty.wasm", new Uint8Array()), inputsPath], /^error: CLI-INPUT-004: not a usable component: `.*empty\.wasm` is not a WebAssembly component: the file is empty\n$/, "CLI-INPUT-004"],
    [["run", coreModule, inputsPath], /^error: CLI-INPUT-004: not a usable component: `.*module\.wasm` is a core WebAssembly module, not a component/, "CLI-INPUT-004"],
    [["run", tmpFile("text.wasm", "hello"), inputsPath], /is not a WebAssembly component: .*it looks like text\n$/, "CLI-INPUT-004"],
    [["run", tmpFile("trunc.wasm", readFileSync(join(projectRoot, upper)).subarray(0, 100)), inputsPath], /^error: CLI-INPUT-004: not a usable component: `.*trunc\.wasm`: failed to compile component: /, "CLI-INPUT-004"],
    [["run", "fixtures/hostile/imports-function/component.wasm", inputsPath], /^error: CLI-INPUT-004: not a usable component: /, "CLI-INPUT-004"],
    [["run", upper, tmpFile("object.json", "{}")], /^error: CLI-INPUT-003: invalid inputs: `.*object\.json`: invalid batch JSON at top level: expected an array, found an object\n$/, "CLI-INPUT-003"],
    [["run", upper, tmpFile("shape.json", "[{\"port-id\":\"in\"}]")], /^error: CLI-INPUT-003: invalid inputs: `.*shape\.json`: invalid batch JSON at \[0\]: missing field `packets`\n$/, "CLI-INPUT-003"],
    [["run", upper, tmpFile("id.json", "[{\"port-id\":\"a b\",\"packets\":[]}]")], /^error: CLI-INPUT-003: invalid inputs: `.*id\.json`: CDT-VAL-001: identifier validation failed: port id must not contain whitespace\n$/, "CLI-INPUT-003"],
    [["run", upper, tmpFile("ctl.json", controlInputs.replace("{\\\"b\\\":1,\\\"a\\\":2}", "nope"))], /control payload is not JSON: expected ident at line 1 column 2/, "CLI-INPUT-003"],
    [["run", upper, tmpFile("bad.json", "{not json")], /^error: CLI-INPUT-002: invalid JSON: inputs `.*bad\.json` is not valid JSON: unexpected `n`, expected a string key at line 1 column 2\n$/, "CLI-INPUT-002"],
  ];
  const rs = await cliAll(cases.flatMap(([args]) => [{ args }, { args: [...args, "--json"] }]));
  cases.forEach(([args, re, code], k) => {
    const r = rs[2 * k]!;
    const j = rs[2 * k + 1]!;
    assert.is(r.code, 3, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(" "));
    assert.is(r.stdout, "");
    assert.is(j.code, 3);
    assert.is(j.stderr, "");
    const o = JSON.parse(j.stdout);
    assert.is(o.status, "error");
    assert.is(o.error.code, code);
    assert.is(o.error.exitCode, 3);
    assert.equal(o.fuel.consumed, 0);
  });
  const id = JSON.parse(rs[2 * 10 + 1]!.stdout);
  assert.equal(id.error.cause, { code: "CDT-VAL-001", category: "identifier validation failed", message: "port id must not contain whitespace" });
});

test("JSON syntax errors name the line and column", async () => {
  const cases: [string, string][] = [
    ["[{\"port-id\": \"in\",\n  \"packets\": [}]", "unexpected `}`, expected a value at line 2 column 15"],
    ["[\n  {\"port-id\": \"in\", \"packets\": []},\n]", "unexpected `]`, expected a value at line 3 column 1"],
    ["[{\"port-id\": \"in\" \"packets\": []}]", "unexpected `\"`, expected `,` or `}` at line 1 column 19"],
    ["[{\"port-id\": \"in\", \"packets\": [", "unexpected end of input, expected a value at line 1 column 32"],
    ["[\"caf\u00e9 \u{1F600}\", tru]", "unexpected `t`, expected a value at line 1 column 12"],
    ["[\"tab\there\"]", "unexpected character U+0009, expected no control character inside a string (write it as an escape) at line 1 column 6"],
    ["[1] [2]", "unexpected `[`, expected the end of the input at line 1 column 5"],
    ["", "unexpected end of input, expected a value at line 1 column 1"],
    ["[\"\\x\"]", "unexpected `x`, expected an escape"],
    ["[01]", "unexpected `1`, expected `,` or `]` at line 1 column 3"],
  ];
  const rs = await cliAll(cases.map(([text], i) => ({ args: ["run", upper, tmpFile(`syntax${i}.json`, text)] })));
  cases.forEach(([, message], i) => {
    assert.is(rs[i]!.code, 3);
    assert.ok(rs[i]!.stderr.includes(`is not valid JSON: ${message}`), `${JSON.stringify(cases[i]![0])}: ${rs[i]!.stderr}`);
  });
});

test("no raw bytes on the terminal: binary inputs, binary stdin, hostile file names", async () => {
  const binary = new Uint8Array(256).map((_, i) => i);
  const rs = await cliAll([
    { args: ["run", upper, upper] },
    { args: ["run", upper, "-"], input: readFileSync(join(projectRoot, upper)) },
    { args: ["run", upper, tmpFile("binary.json", binary)] },
    { args: ["run", upper, tmpFile("ctl\u001b[31mred\u0007.json", "{")] },
    { args: ["run", tmpFile("bin\u0001.wasm", binary), inputsPath] },
    { args: ["run", upper, tmpFile("nul.json", "[\"a\u0000b\"]")] },
  ]);
  for (const r of rs) assert.is(r.code, 3, `${r.args.join(" ")}: ${r.stderr}`);
  assert.match(rs[0]!.stderr, /inputs `fixtures\/uppercase-guest\/component\.wasm` is a WebAssembly binary, not JSON text \(are the arguments in the right order\?\)/);
  assert.match(rs[1]!.stderr, /inputs `<stdin>` is a WebAssembly binary/);
  assert.match(rs[2]!.stderr, /is not UTF-8 text/);
  assert.match(rs[3]!.stderr, /ctl\\u\{1b\}\[31mred\\u\{7\}\.json/);
  assert.match(rs[4]!.stderr, /bin\\u\{1\}\.wasm` is not a WebAssembly component: it does not start with the WebAssembly magic bytes 00 61 73 6d \(first bytes: 00 01 02 03 04 05 06 07\)/);
  assert.match(rs[5]!.stderr, /character U\+0000/);
});

test("stdout that cannot be written (> /dev/full): CLI-OUTPUT-001, exit 4, no Node trace; also with --json and for help", () => {
  assert.ok(existsSync("/dev/full"), "/dev/full exists (Linux)");
  for (const args of [["run", upper, inputsPath], ["run", upper, inputsPath, "--json"], ["inspect", upper], ["--help"]]) {
    const full = openSync("/dev/full", "w");
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: projectRoot, stdio: ["ignore", full, "pipe"], encoding: "utf8", timeout: 60_000 });
    closeSync(full);
    assert.is(r.status, 4, `${args.join(" ")}: ${r.stderr}`);
    assert.is(r.stderr, "error: CLI-OUTPUT-001: cannot write output: cannot write to standard output: no space left on the device (ENOSPC)\n");
  }
});

test.run();
