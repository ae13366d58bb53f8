/**
 * The bundled binary (scripts/bundle-cli.mjs) runs every command: dist/bin/pureflow-wasm.js loads
 * cli-run.js for a plain `run` and cli-full.js for everything else. cli-full.js initialises
 * `run`'s modules only, and loads those of the other commands and of run's rare options on first
 * use (`import()` in src/cli/cli.ts); cli-run.js holds `run`'s modules only. A module left out of
 * a bundle, an option the launcher sends to the wrong bundle, or a module whose initialisation
 * depends on another's shows here as a command that fails. (How long a run takes is measured by
 * `npm run bench`, not tested here.)
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { bin, cliAll, inputsPath, tmpFile, upper } from "./helpers.js";

const RULES = "fixtures/rules-guest/component.wasm";
const dir = join(projectRoot, "dist/bin");
const expected = JSON.parse(readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8"));

function required(file: string): string[] {
  return [...readFileSync(join(dir, file), "utf8").matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
}

test("CommonJS bundles beside their package.json, requiring only Node's own modules; the launcher requires the two CLI bundles", () => {
  assert.equal(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")), { type: "commonjs" });
  for (const file of ["cli-full.js", "cli-run.js", "node-worker.js"]) {
    const r = required(file);
    assert.ok(r.length > 0, file);
    for (const m of r) assert.ok(m.startsWith("node:"), `${file} requires ${m}`);
    assert.not.match(readFileSync(join(dir, file), "utf8"), /\bimport\.meta\b/, `${file} still uses import.meta`);
  }
  assert.ok(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n"));
  // a plain run loads cli-run.js (with its code cache when usable: test/cli/code-cache.test.ts), anything else cli-full.js
  assert.match(readFileSync(bin, "utf8"), /if \(args\[0\] === "run" && !args\.some\(\(a\) => lazy\.test\(a\)\)\) loadBundle\("cli-run\.js"\);\n\s*else require\("\.\/cli-full\.js"\);/);
  // cli-run.js holds no other command
  const run = readFileSync(join(dir, "cli-run.js"), "utf8");
  for (const name of ["inspectBinary", "validateManifest", "replayCommand", "abiCommand", "evaluateCommand", "callCommand", "invokeRepeated", "renderAbiTrace"]) {
    assert.not.match(run, new RegExp(`function ${name}\\b`), `cli-run.js holds ${name}`);
  }
});

test("every command and every lazily loaded option of run works through the launcher", async () => {
  const record = tmpFile("record.json", "");
  const record2 = tmpFile("record2.json", "");
  const ruleSet = tmpFile("rules.json", JSON.stringify({
    id: "rs", strategy: "first-match", "default-action": { route: "standard" }, "trace-conditions": false,
    rules: [{ id: "big", condition: { "field-gt": { path: "amount", value: { integer: 100 } } }, action: { route: "review" } }],
  }));
  const context = tmpFile("context.json", JSON.stringify({ payload: { control: '{"amount": 500}' }, "workflow-id": "flow" }));
  const callArgs = tmpFile("call-args.json", JSON.stringify([[{ "port-id": "in", packets: [{ metadata: { "message-id": "m", "workflow-id": "f", execution: { "execution-id": "e", attempt: 1 }, route: { source: null, target: { "node-id": "n", "port-id": "in" } } }, payload: { bytes: [104, 105] } }] }]]));
  const manifest = tmpFile("manifest.json", JSON.stringify({ components: [{ node: "wasm-upper", component: join(projectRoot, upper) }] }));
  // --record first (in both spellings): replay reads what they wrote
  const recorded = await cliAll([{ args: ["run", upper, inputsPath, "--record", record] }, { args: ["run", "--json", upper, inputsPath, `--record=${record2}`] }]);
  for (const r of recorded) assert.is(r.code, 0, r.stderr);
  const cases: [string[], (r: { stdout: string; stderr: string }) => void][] = [
    [["run", upper, inputsPath], (r) => assert.equal(JSON.parse(r.stdout), expected)],
    [["run", upper, inputsPath, "--json", "--fuel", "5000", "--timeout-ms", "60000"], (r) => assert.equal(JSON.parse(r.stdout).outputs, expected)],
    [["run", upper, inputsPath, "--trace-abi"], (r) => assert.match(r.stdout, /realloc/)],
    [["run", upper, inputsPath, "--trace-abi=", "--json"], (r) => assert.ok(JSON.parse(r.stdout).status)],
    [["run", upper, inputsPath, "--repeat", "2", "--workers", "1", "--json"], (r) => assert.equal(JSON.parse(r.stdout).repeat.completed, 2)],
    [["run", upper, inputsPath, "--repeat=2", "--json"], (r) => assert.equal(JSON.parse(r.stdout).repeat.completed, 2)],
    [["replay", record], (r) => assert.match(r.stdout, /identical/)],
    [["replay", record2], (r) => assert.match(r.stdout, /identical/)],
    [["inspect", upper], (r) => assert.match(r.stdout, /pureflow-node/)],
    [["validate-manifest", manifest], (r) => assert.match(r.stdout, /^valid manifest/)],
    [["abi", "explain", "record { a: u8, b: string }"], (r) => assert.ok(r.stdout.length > 0)],
    [["evaluate", RULES, ruleSet, context], (r) => assert.equal(JSON.parse(r.stdout)["matched-rule"], "big")],
    [["call", upper, "invoke", callArgs], (r) => assert.ok(JSON.parse(r.stdout).ok !== undefined)],
    [["help", "run"], (r) => assert.match(r.stdout, /^usage: pureflow-wasm run/)],
    [["run", "--help"], (r) => assert.match(r.stdout, /^usage: pureflow-wasm run/)],
    [["--version"], (r) => assert.match(r.stdout, /^pureflow-wasm \d/)],
  ];
  const results = await cliAll(cases.map(([args]) => ({ args })), 2);
  results.forEach((r, i) => {
    const args = cases[i]![0];
    // `--trace-abi=` is a usage error (the option takes no value): exit 2 from cli-full.js, not an internal error
    if (args.includes("--trace-abi=")) return assert.is(r.code, 2, r.stderr);
    assert.is(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    cases[i]![1](r);
  });
});

test("a plain run gives the same bytes from either bundle; cli-run.js refuses what it does not hold with an internal error naming it", () => {
  const node = (file: string, args: string[]) => spawnSync(process.execPath, [join(dir, file), ...args], { cwd: projectRoot, encoding: "utf8" });
  for (const args of [["run", upper, inputsPath], ["run", upper, inputsPath, "--json", "--fuel", "1000"], ["run", upper, "fixtures/uppercase-guest/component.wasm"]]) {
    const a = node("cli-run.js", args), b = node("cli-full.js", args);
    assert.is(a.status, b.status, args.join(" "));
    assert.is(a.stdout.replace(/"elapsedMs":[\d.]+/, ""), b.stdout.replace(/"elapsedMs":[\d.]+/, ""), args.join(" "));
    assert.is(a.stderr, b.stderr, args.join(" "));
  }
  const r = node("cli-run.js", ["inspect", upper]);
  assert.is(r.status, 5);
  assert.match(r.stderr, /^error: CLI-INTERNAL-001: .*cli-run\.js does not hold \.\/inspect\.js/);
});

test.run();
