/**
 * The real binary's `inspect` and `validate-manifest`: any component or core module described
 * with typed imports and exports, fit with the batch world reported as information (exit 0),
 * files that are not WebAssembly refused with `CLI-INPUT-004` (exit 3), `--json` for every outcome;
 * manifests with Pureflow's checks plus "the component is a component", `CLI-MANIFEST-001` on
 * every error, file problems in words, JSON syntax errors with line and column.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { cli, cliAll, coreModule, tmpDir, tmpFile, upper } from "./helpers.js";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

test("inspect a batch component: typed exports (WIT), core modules, fits: exit 0; --json has objects with types", async () => {
  const [r, j] = await cliAll([{ args: ["inspect", upper] }, { args: ["inspect", upper, "--json"] }]);
  assert.is(r!.code, 0, r!.stderr);
  assert.match(r!.stdout, /^kind: component \(\d+ bytes\)\nimports: none\nexports: 1\n  pureflow:batch\/batch@0\.1\.0: interface \{\n/);
  assert.match(r!.stdout, /    invoke: func\(inputs: list<port-batch>\) -> result<list<port-batch>, batch-error>;/);
  assert.match(r!.stdout, /core modules: 1\n  module 0: \d+ bytes, 0 imports, 4 exports\n/);
  // one fit line per Pureflow world, then the world it is
  assert.match(r!.stdout, /\nfits pureflow-node \(pureflow:batch\/batch@0\.1\.0\): yes\nfits pureflow-rules-node \(pureflow:rules\/rules@0\.1\.0\): no: [^\n]+\npureflow world: pureflow-node\n$/);
  const o = JSON.parse(j!.stdout);
  assert.is(o.status, "ok");
  assert.is(o.kind, "component");
  assert.is(o.fitsBatchWorld, true);
  assert.equal(o.imports, []);
  assert.is(o.exports[0].name, "pureflow:batch/batch@0.1.0");
  assert.is(o.exports[0].kind, "instance");
  assert.match(o.exports[0].type, /^interface \{\n[\s\S]*invoke: func\(inputs: list<port-batch>\)/);
  assert.equal(o.coreModules[0].exports[0], { name: "memory", kind: "memory" });
});

test("inspect a core module: imports and exports with their types; does not fit: information, exit 0", async () => {
  const [r, j] = await cliAll([{ args: ["inspect", coreModule] }, { args: ["inspect", coreModule, "--json"] }]);
  assert.is(r!.code, 0, r!.stderr);
  assert.is(r!.stderr, "");
  assert.match(r!.stdout, /^kind: core module \(\d+ bytes\)\nimports: none\nexports: 4\n  memory: \(memory 1\)\n  cabi_realloc: \(func \(param i32 i32 i32 i32\) \(result i32\)\)\n/);
  assert.match(r!.stdout, /fits pureflow-node .*: no: it is a core module; the batch world needs a component/);
  const o = JSON.parse(j!.stdout);
  assert.is(j!.code, 0);
  assert.is(o.kind, "core module");
  assert.is(o.fitsBatchWorld, false);
  assert.match(o.fitProblem, /core module/);
  assert.equal(o.exports[1], { name: "cabi_realloc", kind: "func", type: "(func (param i32 i32 i32 i32) (result i32))" });
});

test("inspect a core module with imports of every kind (built by hand): types in text-format notation", () => {
  // (module (import "env" "f" (func (param i64) (result f32))) (import "env" "m" (memory 1 2))
  //   (import "env" "t" (table 3 funcref)) (import "env" "g" (global (mut f64))) (func (export "h")) (global (export "c") i32 (i32.const 7)))
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x09, 0x02, 0x60, 0x01, 0x7e, 0x01, 0x7d, 0x60, 0x00, 0x00, // types: (i64)->(f32), ()->()
    0x02, 0x26, 0x04, // imports: 4
    0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00,
    0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x01, 0x01, 0x02,
    0x03, 0x65, 0x6e, 0x76, 0x01, 0x74, 0x01, 0x70, 0x00, 0x03,
    0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x03, 0x7c, 0x01,
    0x03, 0x02, 0x01, 0x01, // funcs: type 1
    0x06, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x07, 0x0b, // global i32 = 7
    0x07, 0x09, 0x02, 0x01, 0x68, 0x00, 0x01, 0x01, 0x63, 0x03, 0x01, // exports: h func 1, c global 1
    0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b, // code
  ]);
  const r = cli(["inspect", tmpFile("kinds.wasm", bytes)]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /imports: 4\n  env f: \(func \(param i64\) \(result f32\)\)\n  env m: \(memory 1 2\)\n  env t: \(table 3 funcref\)\n  env g: \(global \(mut f64\)\)\nexports: 2\n  h: \(func\)\n  c: \(global i32\)\n/);
});

test("inspect a component with imports: imports typed as WIT, fit `no` with the reason, exit 0", () => {
  const r = cli(["inspect", "fixtures/hostile/imports-function/component.wasm"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /imports: 1\n  pureflow:batch\/host@0\.1\.0: interface \{\n    log: func\(message: string\);\n  \}\n/);
  assert.match(r.stdout, /\nfits pureflow-node .*: no: the component imports `pureflow:batch\/host@0\.1\.0`; the batch world provides no imports\n/);
  assert.match(r.stdout, /\nfits pureflow-rules-node .*: no: the component imports `pureflow:batch\/host@0\.1\.0`; the rules world provides no imports\npureflow world: none\n$/);
});

test("inspect what is not WebAssembly: exit 3, CLI-INPUT-001/004, text and --json alike", async () => {
  const cases: [string, RegExp, string][] = [
    [tmpFile("image.png", PNG), /is not a WebAssembly binary: it does not start with the WebAssembly magic bytes 00 61 73 6d \(first bytes: 89 50 4e 47 0d 0a 1a 0a\); it looks like a PNG image/, "CLI-INPUT-004"],
    [tmpDir, /cannot read file `.*`: is a directory, not a file/, "CLI-INPUT-001"],
    [join(tmpDir, "missing.wasm"), /cannot read file `.*missing\.wasm`: no such file/, "CLI-INPUT-001"],
    [tmpFile("trunc.wasm", readFileSync(join(projectRoot, upper)).subarray(0, 100)), /is not a valid component: /, "CLI-INPUT-004"],
    [tmpFile("badcore.wasm", new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0x01, 0xff])), /is not a valid core module: /, "CLI-INPUT-004"],
  ];
  const rs = await cliAll(cases.flatMap(([p]) => [{ args: ["inspect", p] }, { args: ["inspect", p, "--json"] }]));
  cases.forEach(([p, re, code], k) => {
    const r = rs[2 * k]!;
    const j = rs[2 * k + 1]!;
    assert.is(r.code, 3, `${p}: ${r.stdout}${r.stderr}`);
    assert.is(r.stdout, "");
    assert.ok(r.stderr.startsWith(`error: ${code}: `), r.stderr);
    assert.match(r.stderr, re);
    assert.is(j.code, 3);
    assert.is(j.stderr, "");
    const o = JSON.parse(j.stdout);
    assert.is(o.status, "error");
    assert.is(o.error.code, code);
    assert.is(o.error.exitCode, 3);
  });
});

test("validate-manifest: valid (text and --json), with a workflow", async () => {
  const wf = tmpFile("wf.json", JSON.stringify({ pureflow_version: "1", id: "wasm-uppercase", nodes: [{ id: "source", inputs: [], outputs: ["out"] }, { id: "wasm-upper", inputs: ["in"], outputs: ["out"] }], edges: [] }));
  const m = tmpFile("m.json", JSON.stringify({ components: [{ node: "wasm-upper", component: join(projectRoot, upper), fuel: 100000000 }] }));
  const [ok, plain, j] = await cliAll([{ args: ["validate-manifest", m, "--workflow", wf] }, { args: ["validate-manifest", m] }, { args: ["validate-manifest", "--json", m, "--workflow", wf] }]);
  assert.is(ok!.code, 0, ok!.stderr);
  assert.is(ok!.stdout, `valid manifest \`${m}\`\ncomponents: 1\nworkflow: \`wasm-uppercase\`\n`);
  assert.is(plain!.stdout, `valid manifest \`${m}\`\ncomponents: 1\n`);
  assert.is(j!.code, 0);
  assert.equal(JSON.parse(j!.stdout), { status: "ok", manifest: m, components: [{ node: "wasm-upper", component: join(projectRoot, upper), resolvedPath: join(projectRoot, upper), fuel: 100000000 }], workflow: "wasm-uppercase" });
});

test("validate-manifest errors: CLI-MANIFEST-001 with Pureflow's message, exit 3; the component must be a component", async () => {
  const wf = tmpFile("wf2.json", JSON.stringify({ id: "wasm-uppercase", nodes: [{ id: "wasm-upper" }] }));
  mkdirSync(join(tmpDir, "guests.wasm"), { recursive: true });
  const png = tmpFile("guest.png", PNG);
  const cases: [string[], string][] = [
    [["validate-manifest", tmpFile("g.json", JSON.stringify({ components: [{ node: "ghost", component: join(projectRoot, upper) }] })), "--workflow", wf],
      "invalid WASM component manifest: manifest node `ghost` does not exist in workflow `wasm-uppercase`"],
    [["validate-manifest", tmpFile("b.json", JSON.stringify({ components: [{ node: "", component: "x" }] }))], "CDT-VAL-001: identifier validation failed: node id must not be empty"],
    [["validate-manifest", tmpFile("png.json", JSON.stringify({ components: [{ node: "a", component: "guest.png" }] }))],
      "invalid WASM component manifest: component path `guest.png` for node `a` is not a WebAssembly component: it does not start with the WebAssembly magic bytes 00 61 73 6d (first bytes: 89 50 4e 47 0d 0a 1a 0a); it looks like a PNG image"],
    [["validate-manifest", tmpFile("dir.json", JSON.stringify({ components: [{ node: "a", component: "guests.wasm" }] }))],
      "invalid WASM component manifest: component path `guests.wasm` for node `a` is a directory, not a component file"],
    [["validate-manifest", tmpFile("core.json", JSON.stringify({ components: [{ node: "a", component: join(projectRoot, coreModule) }] }))],
      `invalid WASM component manifest: component path \`${join(projectRoot, coreModule)}\` for node \`a\` is a core WebAssembly module, not a component`],
    [["validate-manifest", tmpDir], `failed to read WASM component manifest \`${tmpDir}\`: is a directory, not a file`],
    [["validate-manifest", join(tmpDir, "none.json")], `failed to read WASM component manifest \`${join(tmpDir, "none.json")}\`: no such file`],
    [["validate-manifest", tmpFile("syntax.json", "{\n  \"components\": [\n    {\"node\": \"a\" \"component\": \"x\"}\n  ]\n}")],
      `failed to decode WASM component manifest \`${join(tmpDir, "syntax.json")}\`: unexpected \`"\`, expected \`,\` or \`}\` at line 3 column 18`],
    [["validate-manifest", png], `failed to decode WASM component manifest \`${png}\`: it is not UTF-8 text (a binary file?)`],
  ];
  assert.ok(png.length > 0);
  const rs = await cliAll(cases.flatMap(([args]) => [{ args }, { args: [...args, "--json"] }]));
  cases.forEach(([args, message], k) => {
    const r = rs[2 * k]!;
    const j = rs[2 * k + 1]!;
    assert.is(r.code, 3, args.join(" "));
    assert.is(r.stderr, `error: CLI-MANIFEST-001: invalid manifest: ${message}\n`);
    assert.is(j.code, 3);
    const o = JSON.parse(j.stdout);
    assert.equal({ status: o.status, code: o.error.code, message: o.error.message, exitCode: o.error.exitCode }, { status: "error", code: "CLI-MANIFEST-001", message, exitCode: 3 });
  });
  assert.equal(JSON.parse(rs[3]!.stdout).error.cause, { code: "CDT-VAL-001", category: "identifier validation failed", message: "node id must not be empty" });
});

test.run();
