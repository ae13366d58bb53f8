/**
 * The real `pureflow-wasm` binary (dist/src/cli/main.js, built by `npm run build`) on the
 * fixtures: stdout, stderr and exit codes of `run`, `inspect`, `validate-manifest`, usage errors
 * and host-side bad input. Never a stack trace for expected failures.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";

const bin = join(projectRoot, "dist", "src", "cli", "main.js");
if (!existsSync(bin)) {
  console.log("# building dist/ (npm run build) for the CLI tests");
  spawnSync(process.execPath, [join(projectRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: projectRoot, stdio: "ignore" });
}

const upper = "fixtures/uppercase-guest/component.wasm";
const inputsPath = "fixtures/uppercase-guest/testdata/inputs.json";
const tmp = mkdtempSync(join(tmpdir(), "pureflow-cli-"));

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: projectRoot, input, encoding: "utf8", timeout: 60_000 });
  assert.not.match(r.stderr, /\n\s+at /, `stack trace in stderr: ${r.stderr}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpFile(name: string, content: string | Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

const controlInputs = (() => {
  const v = JSON.parse(readFileSync(join(projectRoot, inputsPath), "utf8"));
  v[0].packets[1].payload = { control: "{\"b\":1,\"a\":2}" };
  return JSON.stringify(v);
})();

test("the binary starts with a shebang", () => {
  assert.ok(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n"));
});

test("run: testdata gives expected-outputs.json byte for byte, nothing on stderr (a pipe: no progress)", () => {
  const r = cli(["run", upper, inputsPath]);
  assert.is(r.stderr, "");
  assert.is(r.code, 0);
  assert.is(r.stdout.trimEnd(), readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8").trimEnd());
});

test("run: inputs from stdin with -", () => {
  const r = cli(["run", upper, "-"], readFileSync(join(projectRoot, inputsPath), "utf8"));
  assert.is(r.code, 0);
  assert.match(r.stdout, /"HELLO FROM WASM"|72, 69, 76, 76, 79/);
});

test("run --json: one object with outputs, fuel and time", () => {
  const r = cli(["run", upper, inputsPath, "--json"]);
  assert.is(r.code, 0);
  const o = JSON.parse(r.stdout);
  assert.is(o.status, "ok");
  assert.equal(o.outputs, JSON.parse(readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8")));
  assert.is(o.fuel.limit, 100_000_000);
  assert.ok(o.fuel.consumed > 0 && o.fuel.consumed < o.fuel.limit);
  assert.type(o.elapsedMs, "number");
  assert.is(o.error, undefined);
});

test("run: the guest's error on stderr, exit 1", () => {
  const r = cli(["run", upper, tmpFile("control.json", controlInputs)]);
  assert.is(r.code, 1);
  assert.is(r.stdout, "");
  assert.is(r.stderr, "error: CDT-EXEC-001: node execution failed: guest returned unsupported-payload: uppercase guest accepts only bytes payloads\n");
  const j = cli(["run", upper, tmpFile("control2.json", controlInputs), "--json"]);
  assert.is(j.code, 1);
  const o = JSON.parse(j.stdout);
  assert.equal(o.error, { code: "CDT-EXEC-001", category: "node execution failed", message: "guest returned unsupported-payload: uppercase guest accepts only bytes payloads" });
  assert.ok(o.fuel.consumed > 0);
});

test("run --fuel 0: the fuel error; --json reports the fuel", () => {
  const r = cli(["run", upper, inputsPath, "--fuel", "0"]);
  assert.is(r.code, 1);
  assert.is(r.stderr, "error: CDT-EXEC-001: node execution failed: guest exceeded fuel limit of 0 units\n");
  const o = JSON.parse(cli(["run", upper, inputsPath, "--fuel=0", "--json"]).stdout);
  assert.equal(o.fuel, { limit: 0, consumed: 0 });
  assert.is(o.status, "error");
});

test("run --timeout-ms stops an endless guest with CDT-CANCEL-001", () => {
  const t0 = Date.now();
  const r = cli(["run", "fixtures/hostile/infinite-loop/component.wasm", inputsPath, "--timeout-ms", "200", "--fuel", "9007199254740991"]);
  assert.is(r.code, 1);
  assert.is(r.stderr, "error: CDT-CANCEL-001: execution cancelled: wasm guest invocation timed out after 200 ms\n");
  assert.ok(Date.now() - t0 < 20_000);
});

test("usage errors exit 2", () => {
  for (const args of [[], ["frobnicate"], ["run", upper], ["run", upper, inputsPath, "--fuel", "abc"], ["run", upper, inputsPath, "--fuel"], ["run", upper, inputsPath, "--bogus"], ["inspect"], ["validate-manifest"]]) {
    const r = cli(args);
    assert.is(r.code, 2, args.join(" "));
    assert.ok(r.stderr.startsWith("error: "), r.stderr);
    assert.match(r.stderr, /usage:/);
  }
  const h = cli(["--help"]);
  assert.is(h.code, 0);
  assert.match(h.stdout, /pureflow-wasm run <component.wasm>/);
});

test("host-side bad input: clear errors, exit 1", () => {
  const cases: [string[], RegExp][] = [
    [["run", "no/such.wasm", inputsPath], /^error: CDT-EXEC-001: node execution failed: failed to read component `no\/such.wasm`: no such file\n$/],
    [["run", upper, "no/such.json"], /^error: CDT-EXEC-001: node execution failed: failed to read inputs `no\/such.json`: no such file\n$/],
    [["run", tmpFile("empty.wasm", new Uint8Array()), inputsPath], /^error: CDT-EXEC-001: node execution failed: failed to compile component: /],
    [["run", "fixtures/hostile/core-module/module.wasm", inputsPath], /^error: CDT-EXEC-001: node execution failed: failed to compile component: .*core (WebAssembly )?module/],
    [["run", tmpFile("text.wasm", "hello"), inputsPath], /^error: CDT-EXEC-001: node execution failed: failed to compile component: /],
    [["run", upper, tmpFile("bad.json", "{not json")], /^error: CDT-EXEC-001: node execution failed: invalid batch JSON: /],
    [["run", upper, tmpFile("shape.json", "[{\"port-id\":\"in\"}]")], /^error: CDT-EXEC-001: node execution failed: invalid batch JSON at \[0\]: missing field `packets`\n$/],
    [["run", upper, tmpFile("id.json", "[{\"port-id\":\"a b\",\"packets\":[]}]")], /^error: CDT-VAL-001: identifier validation failed: port id must not contain whitespace\n$/],
    [["run", upper, tmpFile("ctl.json", controlInputs.replace("{\\\"b\\\":1,\\\"a\\\":2}", "nope"))], /control payload is not JSON: expected ident at line 1 column 2/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.is(r.code, 1, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.is(r.stdout, "");
  }
});

test("inspect: exports, core modules, fit with the batch world", () => {
  const r = cli(["inspect", upper]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /kind: component/);
  assert.match(r.stdout, /fits pureflow-node \(pureflow:batch\/batch@0\.1\.0\): yes/);
  const j = JSON.parse(cli(["inspect", upper, "--json"]).stdout);
  assert.is(j.fitsBatchWorld, true);
  const core = cli(["inspect", "fixtures/hostile/core-module/module.wasm"]);
  assert.is(core.code, 1);
  assert.match(core.stdout, /kind: core module/);
  assert.match(core.stdout, /fits pureflow-node .*: no/);
});

test("validate-manifest: valid, with workflow, and Pureflow's errors", () => {
  const wf = tmpFile("wf.json", JSON.stringify({ pureflow_version: "1", id: "wasm-uppercase", nodes: [{ id: "source", inputs: [], outputs: ["out"] }, { id: "wasm-upper", inputs: ["in"], outputs: ["out"] }], edges: [] }));
  const m = tmpFile("m.json", JSON.stringify({ components: [{ node: "wasm-upper", component: join(projectRoot, upper), fuel: 100000000 }] }));
  const ok = cli(["validate-manifest", m, "--workflow", wf]);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(ok.stdout, `valid manifest \`${m}\`\ncomponents: 1\nworkflow: \`wasm-uppercase\`\n`);
  assert.is(cli(["validate-manifest", m]).stdout, `valid manifest \`${m}\`\ncomponents: 1\n`);
  const ghost = tmpFile("g.json", JSON.stringify({ components: [{ node: "ghost", component: join(projectRoot, upper) }] }));
  const r = cli(["validate-manifest", ghost, "--workflow", wf]);
  assert.is(r.code, 1);
  assert.is(r.stderr, "error: invalid WASM component manifest: manifest node `ghost` does not exist in workflow `wasm-uppercase`\n");
  const badId = cli(["validate-manifest", tmpFile("b.json", JSON.stringify({ components: [{ node: "", component: "x" }] }))]);
  assert.is(badId.stderr, "error: CDT-VAL-001: identifier validation failed: node id must not be empty\n");
});

test.run();
