/**
 * The CLI's rules-world commands, run in-process through `main(argv, io)`: `evaluate` (decision
 * as WIT-shaped JSON, --json, --fuel, every kind of bad input with its code and exit status),
 * `call` (any import-free component, WIT-shaped JSON arguments, 64-bit integers exact), and
 * `inspect` naming the Pureflow world a component fits.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main, type CliIo } from "../../src/cli/cli.js";
import { cli as builtCli } from "./helpers.js";
import { tempDir } from "../helpers/temp-dir.js";

const RULES = "fixtures/rules-guest/component.wasm";
const UPPER = "fixtures/uppercase-guest/component.wasm";
const dir = tempDir("pureflow-rules-cli-");

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "", stderr = "";
  const io: CliIo = { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, readStdin: () => "", stderrIsTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

const ruleSet = file("rules.json", JSON.stringify({
  id: "rs", strategy: "first-match", "default-action": { route: "standard" }, "trace-conditions": true,
  rules: [{ id: "big", condition: { "and-node": [{ "field-gt": { path: "amount", value: { integer: 100 } } }, { "not-node": "never" }] }, action: { route: "review" } }],
}));
const small = file("small.json", JSON.stringify({ payload: { control: '{"amount": 5}' }, "workflow-id": "flow" }));
const large = file("large.json", JSON.stringify({ payload: { control: '{"amount": 500}' }, "workflow-id": "flow", tags: { a: "null-value" }, "source-node": "src" }));

test("evaluate: the decision as WIT-shaped JSON; --json with fuel; --fuel 0 fails as the guest", async () => {
  const r = await cli(["evaluate", RULES, ruleSet, large]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { action: { route: "review" }, "matched-rule": "big", "tags-applied": [], "conditions-evaluated": [{ "rule-id": "big", surface: "combinator", matched: true }] });
  const j = await cli(["evaluate", RULES, ruleSet, small, "--json"]);
  const o = JSON.parse(j.stdout);
  assert.is(o.status, "ok");
  assert.equal(o.decision.action, { route: "standard" });
  assert.is(o.decision["matched-rule"], null);
  assert.ok(o.fuel.consumed > 0 && o.fuel.limit === 100_000_000);
  const starved = await cli(["evaluate", RULES, ruleSet, small, "--fuel", "0"]);
  assert.is(starved.code, 1);
  assert.is(starved.stderr, "error: CDT-EXEC-001: node execution failed: guest exceeded fuel limit of 0 units\n");
});

test("evaluate: 64-bit integers exact from the files to the guest and back", async () => {
  const rs = file("big.json", `{"id":"rs","strategy":"all-matches","default-action":"drop","rules":[
    {"id":"t","condition":{"field-eq":{"path":"n","value":{"integer":9007199254740993}}},"action":{"tag":{"key":"k","value":{"integer":-9223372036854775808}}}}]}`);
  const ctx = file("big-ctx.json", JSON.stringify({ payload: { control: '{"n": 9007199254740993}' }, "workflow-id": "w" }));
  const r = await cli(["evaluate", RULES, rs, ctx, "--json"]);
  assert.match(r.stdout, /"tags-applied":\[\{"key":"k","value":\{"integer":-9223372036854775808\}\}\]/);
  const off = file("off-ctx.json", JSON.stringify({ payload: { control: '{"n": 9007199254740992}' }, "workflow-id": "w" }));
  assert.match((await cli(["evaluate", RULES, rs, off, "--json"])).stdout, /"tags-applied":\[\]/);
});

test("evaluate: bad inputs have their codes and exit statuses", async () => {
  const rows: [string[], number, RegExp][] = [
    [["evaluate", RULES, ruleSet], 2, /CLI-USAGE-001: usage error: evaluate needs <rules-component.wasm> <rule-set.json> <context.json>, got 2/],
    [["evaluate", UPPER, ruleSet, small], 3, /CLI-INPUT-004: .*does not fit the rules world: component does not export pureflow:rules\/rules@0\.1\.0/],
    [["evaluate", "fixtures/rules-hostile/imports-function/component.wasm", ruleSet, small], 1, /CDT-EXEC-001: .*failed to instantiate rule component/],
    [["evaluate", RULES, file("bad.json", "{\"id\": }"), small], 3, /CLI-INPUT-002: invalid JSON: rule set `.*bad\.json` is not valid JSON: .* at line 1 column 8/],
    [["evaluate", RULES, file("kind.json", JSON.stringify({ id: "r", strategy: "first-match", "default-action": "drop", rules: [{ id: "x", condition: { "field-like": 1 }, action: "drop" }] })), small], 3, /CLI-INPUT-003: invalid inputs: .*\$\.rules\[0\]\.condition: unknown condition kind `field-like`/],
    [["evaluate", RULES, file("strategy.json", JSON.stringify({ id: "r", strategy: "best", "default-action": "drop", rules: [] })), small], 3, /CLI-INPUT-003: .*\$\.strategy: expected one of "first-match", "all-matches", "score", found string "best"/],
    [["evaluate", RULES, ruleSet, file("ctx-bad.json", JSON.stringify({ payload: { text: "x" }, "workflow-id": "w" }))], 3, /CLI-INPUT-003: .*\$\.payload: expected \{"control"/],
    [["evaluate", RULES, ruleSet, file("ctx-hop.json", JSON.stringify({ payload: { bytes: [] }, "workflow-id": "w", "hop-count": -1 }))], 3, /CLI-INPUT-003: .*\$\.hop-count: expected a u32, found number -1/],
  ];
  for (const [args, code, message] of rows) {
    const r = await cli(args);
    assert.is(r.code, code, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test("call: any export of an import-free component with WIT-shaped JSON arguments", async () => {
  const args = file("args.json", JSON.stringify({
    "rule-set": { id: "rs", strategy: "first-match", rules: [{ id: "r", condition: { nodes: [{ "hop-count-gt": 2 }], root: 0 }, action: { halt: "stop" }, priority: 0, description: "" }], "default-action": "drop", "trace-conditions": false },
    context: { payload: { bytes: [1, 2] }, tags: [], "source-node": null, "arrival-port": "in", "hop-count": 3, "workflow-id": "w", "execution-metadata": [] },
  }));
  const r = await cli(["call", RULES, "pureflow:rules/rules@0.1.0#evaluate", args]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), { ok: { action: { halt: "stop" }, "matched-rule": "r", "tags-applied": [], "conditions-evaluated": [] } });
  const batch = file("batch-args.json", JSON.stringify([[{ "port-id": "in", packets: [{ metadata: { "message-id": "m", "workflow-id": "f", execution: { "execution-id": "e", attempt: 1 }, route: { source: null, target: { "node-id": "n", "port-id": "in" } } }, payload: { bytes: [104, 105] } }] }]]));
  const u = await cli(["call", UPPER, "invoke", batch, "--json"]);
  const o = JSON.parse(u.stdout);
  assert.is(o.function, "pureflow:batch/batch@0.1.0#invoke");
  assert.equal(o.result.ok[0].packets[0].payload, { bytes: [72, 73] });
  const rows: [string[], number, RegExp][] = [
    [["call", UPPER, "evaluate", batch], 3, /CLI-INPUT-004: .*exports no function `evaluate` \(it exports: `pureflow:batch\/batch@0\.1\.0#invoke`\)/],
    [["call", UPPER, "invoke", file("wrong.json", "[[{\"port-id\": 5, \"packets\": []}]]")], 3, /CLI-INPUT-003: .*\$\[0\]\[0\]\.port-id: expected a string, found number 5/],
    [["call", UPPER, "invoke", file("count.json", "[]")], 3, /the function takes 1 argument\(s\), got 0/],
    [["call", "fixtures/rules-hostile/imports-function/component.wasm", "evaluate", args], 3, /CLI-INPUT-004: .*imports `pureflow:rules\/host@0\.1\.0`; call provides no imports/],
    [["call", "fixtures/hostile/trap/component.wasm", "invoke", batch], 1, /CDT-EXEC-001: node execution failed: guest invoke failed: .*unreachable/],
  ];
  for (const [a, code, message] of rows) {
    const x = await cli(a);
    assert.is(x.code, code, `${a.join(" ")}: ${x.stderr}`);
    assert.match(x.stderr, message);
  }
});

test("inspect names the Pureflow world a component fits", async () => {
  const rules = JSON.parse((await cli(["inspect", RULES, "--json"])).stdout);
  assert.is(rules.world, "pureflow-rules-node");
  assert.is(rules.fitsRulesWorld, true);
  assert.is(rules.fitsBatchWorld, false);
  const upper = await cli(["inspect", UPPER]);
  assert.match(upper.stdout, /pureflow world: pureflow-node\n$/);
  const imports = JSON.parse((await cli(["inspect", "fixtures/rules-hostile/imports-function/component.wasm", "--json"])).stdout);
  assert.is(imports.world, null);
  assert.match(imports.rulesFitProblem, /the rules world provides no imports/);
});

test("the built binary (the bundled bin) runs evaluate and call", () => {
  const r = builtCli(["evaluate", RULES, ruleSet, large, "--json"]);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).decision["matched-rule"], "big");
  const bad = builtCli(["call", RULES, "nope", small]);
  assert.is(bad.code, 3);
  assert.match(bad.stderr, /^error: CLI-INPUT-004: .*exports no function `nope`/);
});

test.run();
