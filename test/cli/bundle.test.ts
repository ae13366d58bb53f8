/**
 * The bundled binary (dist/bin/pureflow-wasm.js, made by scripts/bundle-cli.mjs) runs every
 * command: the bundle is one CommonJS file in which `run` initialises only its own modules and
 * every other command, and `run`'s rare options, load theirs on first use (`import()` in
 * src/cli/cli.ts). A module left out of the bundle, or one whose initialisation depends on the
 * order of another's, shows here as a command that fails. (How long a run takes is measured by
 * `npm run bench`, not tested here.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { bin, cliAll, inputsPath, tmpFile, upper } from "./helpers.js";

const RULES = "fixtures/rules-guest/component.wasm";
const expected = JSON.parse(readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8"));

test("the bundle is one CommonJS file beside its package.json; it requires only Node's own modules", () => {
  assert.equal(JSON.parse(readFileSync(join(projectRoot, "dist/bin/package.json"), "utf8")), { type: "commonjs" });
  for (const file of [bin, join(projectRoot, "dist/bin/node-worker.js")]) {
    const text = readFileSync(file, "utf8");
    const required = [...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
    assert.ok(required.length > 0, file);
    for (const r of required) assert.ok(r.startsWith("node:"), `${file} requires ${r}`);
    assert.not.match(text, /\bimport\.meta\b/, `${file} still uses import.meta`);
  }
});

test("every command and every lazily loaded option of run works from the bundle", async () => {
  const record = tmpFile("record.json", "");
  const ruleSet = tmpFile("rules.json", JSON.stringify({
    id: "rs", strategy: "first-match", "default-action": { route: "standard" }, "trace-conditions": false,
    rules: [{ id: "big", condition: { "field-gt": { path: "amount", value: { integer: 100 } } }, action: { route: "review" } }],
  }));
  const context = tmpFile("context.json", JSON.stringify({ payload: { control: '{"amount": 500}' }, "workflow-id": "flow" }));
  const callArgs = tmpFile("call-args.json", JSON.stringify([[{ "port-id": "in", packets: [{ metadata: { "message-id": "m", "workflow-id": "f", execution: { "execution-id": "e", attempt: 1 }, route: { source: null, target: { "node-id": "n", "port-id": "in" } } }, payload: { bytes: [104, 105] } }] }]]));
  const manifest = tmpFile("manifest.json", JSON.stringify({ components: [{ node: "wasm-upper", component: join(projectRoot, upper) }] }));
  // --record first: replay reads what it wrote
  const [recorded] = await cliAll([{ args: ["run", upper, inputsPath, "--record", record] }]);
  assert.is(recorded!.code, 0, recorded!.stderr);
  const cases: [string[], (r: { stdout: string; stderr: string }) => void][] = [
    [["run", upper, inputsPath], (r) => assert.equal(JSON.parse(r.stdout), expected)],
    [["run", upper, inputsPath, "--json"], (r) => assert.equal(JSON.parse(r.stdout).outputs, expected)],
    [["run", upper, inputsPath, "--trace-abi"], (r) => assert.match(r.stdout, /realloc/)],
    [["run", upper, inputsPath, "--repeat", "2", "--workers", "1", "--json"], (r) => assert.equal(JSON.parse(r.stdout).repeat.completed, 2)],
    [["replay", record], (r) => assert.match(r.stdout, /identical/)],
    [["inspect", upper], (r) => assert.match(r.stdout, /pureflow-node/)],
    [["validate-manifest", manifest], (r) => assert.match(r.stdout, /^valid manifest/)],
    [["abi", "explain", "record { a: u8, b: string }"], (r) => assert.ok(r.stdout.length > 0)],
    [["evaluate", RULES, ruleSet, context], (r) => assert.equal(JSON.parse(r.stdout)["matched-rule"], "big")],
    [["call", upper, "invoke", callArgs], (r) => assert.ok(JSON.parse(r.stdout).ok !== undefined)],
    [["help", "run"], (r) => assert.match(r.stdout, /^usage: pureflow-wasm run/)],
    [["--version"], (r) => assert.match(r.stdout, /^pureflow-wasm \d/)],
  ];
  const results = await cliAll(cases.map(([args]) => ({ args })), 2);
  results.forEach((r, i) => {
    assert.is(r.code, 0, `${cases[i]![0].join(" ")}: ${r.stderr}`);
    cases[i]![1](r);
  });
});

test.run();
