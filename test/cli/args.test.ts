/** CLI argument parsing and output formatting (no guest involved). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseArgs, UsageError } from "../../src/cli/args.js";
import { groupDigits, prettyJson } from "../../src/cli/format.js";
import { jsonSyntaxError } from "../../src/cli/json-text.js";

test("commands and options", () => {
  assert.equal(parseArgs(["run", "c.wasm", "in.json"]), { command: "run", component: "c.wasm", inputs: "in.json", json: false });
  assert.equal(parseArgs(["run", "c.wasm", "-", "--fuel", "5", "--timeout-ms=10", "--json"]), { command: "run", component: "c.wasm", inputs: "-", json: true, fuel: 5, timeoutMs: 10 });
  assert.equal(parseArgs(["inspect", "c.wasm", "--json"]), { command: "inspect", component: "c.wasm", json: true });
  assert.equal(parseArgs(["validate-manifest", "m.json", "--workflow", "w.json"]), { command: "validate-manifest", manifest: "m.json", workflow: "w.json", json: false });
  assert.equal(parseArgs(["validate-manifest", "m.json", "--json"]), { command: "validate-manifest", manifest: "m.json", json: true });
  assert.equal(parseArgs(["--help"]), { command: "help" });
  assert.equal(parseArgs(["run", "--help"]), { command: "help", topic: "run" });
  assert.equal(parseArgs(["help", "inspect"]), { command: "help", topic: "inspect" });
  assert.equal(parseArgs(["--version"]), { command: "version" });
  assert.equal(parseArgs(["-v"]), { command: "version" });
  assert.equal(parseArgs(["run", "a", "b", "--fuel", "1e9"]), { command: "run", component: "a", inputs: "b", json: false, fuel: 1e9 });
  assert.equal(parseArgs(["run", "a", "b", "--fuel", "1_000", "--timeout-ms", "0"]), { command: "run", component: "a", inputs: "b", json: false, fuel: 1000 });
  assert.equal(parseArgs(["run", "--", "-a", "-"]), { command: "run", component: "-a", inputs: "-", json: false });
});

test("usage errors", () => {
  const bad = [[], ["x"], ["run"], ["run", "a", "b", "c"], ["run", "a", "b", "--fuel", "-1"], ["run", "a", "b", "--fuel", "1.5"], ["run", "a", "b", "--fuel", "1e-3"], ["run", "a", "b", "--fuel", "1__0"], ["run", "a", "b", "-j"], ["-v", "x"], ["run", "a", "b", "--fuel", "99999999999999999999"],
    ["run", "a", "b", "--json=1"], ["run", "a", "b", "--fuel", "1", "--fuel", "2"], ["inspect", "a", "--fuel", "1"], ["validate-manifest", "m", "--workflow"], ["run", "a", "b", "--timeout-ms", "4294967296"]];
  for (const args of bad) {
    try {
      parseArgs(args);
      assert.unreachable(`accepted: ${args.join(" ")}`);
    } catch (e) {
      assert.ok(e instanceof UsageError, args.join(" "));
      assert.is((e as UsageError).code, "CLI-USAGE-001");
    }
  }
});

test("pretty JSON keeps number arrays on one line", () => {
  assert.is(prettyJson([{ a: [1, 2], b: [], c: { d: null } }]), "[\n  {\n    \"a\": [1, 2],\n    \"b\": [],\n    \"c\": {\n      \"d\": null\n    }\n  }\n]");
  assert.is(prettyJson({ x: undefined, y: "s" }), "{\n  \"y\": \"s\"\n}");
});

test("groupDigits writes integers as toLocaleString(\"en-US\") does, without loading ICU", () => {
  const values = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, 100_000_000, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, 1.5, -0, NaN, Infinity];
  for (let k = 1; k < 16; k++) values.push(10 ** k - 1, 10 ** k, 10 ** k + 1);
  for (const v of values) assert.is(groupDigits(v), v.toLocaleString("en-US"), String(v));
  assert.is(groupDigits(100_000_000), "100,000,000");
});

test("jsonSyntaxError: undefined exactly when JSON.parse accepts (random texts near JSON)", () => {
  const pieces = ["[", "]", "{", "}", ",", ":", "\"a\"", "1", "-0.5e3", "true", "null", " ", "\n", "\"\\u00e9\"", "x", "01", "\"\\q\""];
  let seed = 12345;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
  for (let k = 0; k < 5000; k++) {
    let text = "";
    const len = 1 + rnd(8);
    for (let i = 0; i < len; i++) text += pieces[rnd(pieces.length)];
    let ok = true;
    try {
      JSON.parse(text);
    } catch {
      ok = false;
    }
    const p = jsonSyntaxError(text);
    assert.is(p === undefined, ok, `${JSON.stringify(text)}: ${p?.message}`);
  }
  // deep nesting: no stack overflow
  assert.is(jsonSyntaxError("[".repeat(1_000_000))?.message, "unexpected end of input, expected a value");
});

test.run();
