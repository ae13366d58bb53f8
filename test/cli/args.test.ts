/** CLI argument parsing and output formatting (no guest involved). */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseArgs, UsageError } from "../../src/cli/args.js";
import { prettyJson } from "../../src/cli/format.js";

test("commands and options", () => {
  assert.equal(parseArgs(["run", "c.wasm", "in.json"]), { command: "run", component: "c.wasm", inputs: "in.json", json: false });
  assert.equal(parseArgs(["run", "c.wasm", "-", "--fuel", "5", "--timeout-ms=10", "--json"]), { command: "run", component: "c.wasm", inputs: "-", json: true, fuel: 5, timeoutMs: 10 });
  assert.equal(parseArgs(["inspect", "c.wasm", "--json"]), { command: "inspect", component: "c.wasm", json: true });
  assert.equal(parseArgs(["validate-manifest", "m.json", "--workflow", "w.json"]), { command: "validate-manifest", manifest: "m.json", workflow: "w.json" });
  assert.equal(parseArgs(["--help"]), { command: "help" });
  assert.equal(parseArgs(["run", "--help"]), { command: "help" });
  assert.equal(parseArgs(["--version"]), { command: "version" });
});

test("usage errors", () => {
  const bad = [[], ["x"], ["run"], ["run", "a", "b", "c"], ["run", "a", "b", "--fuel", "-1"], ["run", "a", "b", "--fuel", "1e3"], ["run", "a", "b", "--fuel", "99999999999999999999"],
    ["run", "a", "b", "--json=1"], ["run", "a", "b", "--fuel", "1", "--fuel", "2"], ["inspect", "a", "--fuel", "1"], ["validate-manifest", "m", "--workflow"], ["run", "a", "b", "--timeout-ms", "4294967296"]];
  for (const args of bad) assert.throws(() => parseArgs(args), (e: unknown) => e instanceof UsageError, args.join(" "));
});

test("pretty JSON keeps number arrays on one line", () => {
  assert.is(prettyJson([{ a: [1, 2], b: [], c: { d: null } }]), "[\n  {\n    \"a\": [1, 2],\n    \"b\": [],\n    \"c\": {\n      \"d\": null\n    }\n  }\n]");
  assert.is(prettyJson({ x: undefined, y: "s" }), "{\n  \"y\": \"s\"\n}");
});

test.run();
