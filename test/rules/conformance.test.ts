/**
 * Conformance of the rules guest (`fixtures/rules-guest`, built from C) with the native
 * evaluator, as Pureflow's `rules_node.rs` tests compare its WASM guest with `pureflow_rules`:
 * first-match routing over five JSON payloads (amount / region / email / suspended), all-matches
 * tagging, score, traces; then a table of single conditions (every one of the 24 kinds, the
 * serde_json number rules, paths, glob, invalid payloads) where guest, native evaluator and the
 * expected answer must agree.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Component, renderExternsAsWit } from "../../canonical-abi/index.js";
import { MAX_CONDITION_DEPTH, RuleComponent, evaluateNative, type Condition, type HostEvalContext, type RuleDecision, type RuleSet } from "../../src/index.js";
import { bool, componentBytes, controlContext, drop, float, int, nul, route, ruleSet, text } from "./helpers.js";

const guest = RuleComponent.fromComponentBytes(componentBytes("rules-guest"));

function both(rs: RuleSet, ctx: HostEvalContext): RuleDecision {
  const g = guest.evaluate(rs, ctx);
  const n = evaluateNative(rs, ctx);
  assert.equal(g, n, "guest and native evaluator disagree");
  return g;
}

const routing = ruleSet("first-match", [
  ["suspended", { tag: "field-eq", value: { path: "suspended", value: bool(true) } }, { tag: "dead-letter", value: "account suspended" }],
  ["mark-large", { tag: "field-gte", value: { path: "amount", value: int(1000) } }, { tag: "tag", value: { key: "size", value: text("large") } }],
  ["review", { tag: "field-gt", value: { path: "amount", value: int(10000) } }, route("review")],
  ["europe", { tag: "field-in", value: { path: "region", values: [text("eu"), text("uk")] } }, route("europe")],
  ["internal", { tag: "field-matches", value: { path: "email", pattern: "*@example.com" } }, route("internal")],
], route("standard"), true);

const PAYLOADS: [string, string, string | null, string[]][] = [
  ['{"amount":50000,"region":"us","email":"a@b.org","suspended":false}', "review", "review", ["suspended", "mark-large", "review"]],
  ['{"amount":1500.5,"region":"eu","email":"c@d.org","suspended":false}', "europe", "europe", ["suspended", "mark-large", "review", "europe"]],
  ['{"amount":10,"region":"us","email":"bob@example.com"}', "internal", "internal", ["suspended", "mark-large", "review", "europe", "internal"]],
  ['{"amount":99999,"region":"eu","suspended":true}', "dead-letter", "suspended", ["suspended"]],
  ['{"amount":5,"region":"apac","email":"x@example.org"}', "standard", null, ["suspended", "mark-large", "review", "europe", "internal"]],
];

test("first-match routing over five JSON payloads: guest == native == expected", () => {
  for (const [payload, port, matched, evaluated] of PAYLOADS) {
    const d = both(routing, controlContext(payload));
    if (port === "dead-letter") assert.equal(d.action, { tag: "dead-letter", value: "account suspended" });
    else assert.equal(d.action, route(port), payload);
    assert.is(d["matched-rule"], matched, payload);
    assert.equal(d["conditions-evaluated"].map((t) => t["rule-id"]), evaluated, payload);
    const large = JSON.parse(payload).amount >= 1000 && !JSON.parse(payload).suspended;
    assert.equal(d["tags-applied"], large ? [{ key: "size", value: text("large") }] : [], payload);
  }
});

test("all-matches tagging: every rule evaluated, tags collected in rule order, default action, no matched rule", () => {
  const rs = ruleSet("all-matches", [
    ["t1", { tag: "always" }, { tag: "tag", value: { key: "a", value: int(1) } }],
    ["r1", { tag: "always" }, route("never-used")],
    ["t2", { tag: "field-exists", value: "x" }, { tag: "tag", value: { key: "b", value: float(2.5) } }],
    ["t3", { tag: "never" }, { tag: "tag", value: { key: "c", value: nul } }],
    ["t4", { tag: "tag-exists", value: "seen" }, { tag: "tag", value: { key: "d", value: bool(false) } }],
  ], route("default-port"), true);
  const d = both(rs, controlContext('{"x":null}', { tags: { seen: text("yes") } }));
  assert.equal(d.action, route("default-port"));
  assert.is(d["matched-rule"], null);
  assert.equal(d["tags-applied"].map((t) => t.key), ["a", "b", "d"]);
  assert.equal(d["conditions-evaluated"].map((t) => [t["rule-id"], t.matched]), [["t1", true], ["r1", true], ["t2", true], ["t3", false], ["t4", true]]);
});

test("score: every rule evaluated, the first terminal match wins (priority unused)", () => {
  const rs = ruleSet("score", [
    ["low", { tag: "hop-count-lte", value: 3 }, route("first")],
    ["t", { tag: "always" }, { tag: "tag", value: { key: "k", value: int(-1) } }],
    ["high", { tag: "always" }, route("second")],
  ], drop, true);
  rs.rules[2].priority = 1000;
  const d = both(rs, controlContext("{}", { "hop-count": 2 }));
  assert.equal(d.action, route("first"));
  assert.is(d["matched-rule"], "low");
  assert.equal(d["conditions-evaluated"].length, 3);
  assert.equal(d["tags-applied"], [{ key: "k", value: int(-1) }]);
});

test("traces off: no trace entries; traces on: the root's surface for each kind", () => {
  const off = both(ruleSet("first-match", [["a", { tag: "always" }, drop]]), controlContext("{}"));
  assert.equal(off["conditions-evaluated"], []);
  const kinds: [Condition, string][] = [
    [{ tag: "field-exists", value: "x" }, "payload"], [{ tag: "tag-absent", value: "x" }, "tag"],
    [{ tag: "source-node", value: "n" }, "provenance"], [{ tag: "hop-count-gt", value: 0 }, "provenance"],
    [{ tag: "workflow-is", value: "flow" }, "execution-context"], [{ tag: "execution-metadata-eq", value: { key: "k", value: nul } }, "execution-context"],
    [{ tag: "and-node", value: [] }, "combinator"], [{ tag: "not-node", value: { tag: "always" } }, "combinator"],
    [{ tag: "never" }, "constant"],
  ];
  const rs = ruleSet("all-matches", kinds.map(([c], i) => [`r${i}`, c, drop] as [string, Condition, typeof drop]), drop, true);
  const d = both(rs, controlContext("{}"));
  assert.equal(d["conditions-evaluated"].map((t) => t.surface), kinds.map(([, s]) => s));
});

/** [payload JSON (or a context), condition, expected match] */
type Row = [string | HostEvalContext, Condition, boolean];
const eq = (path: string, value: ReturnType<typeof int>): Condition => ({ tag: "field-eq", value: { path, value } });
const nest = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

const TABLE: Row[] = [
  // serde_json numbers: 1 and 1.0 differ for integers, not for floats
  ['{"x":1.0}', eq("x", int(1)), false], ['{"x":1.0}', eq("x", float(1)), true],
  ['{"x":1}', eq("x", int(1)), true], ['{"x":1}', eq("x", float(1)), true],
  ['{"x":1e2}', eq("x", int(100)), false], ['{"x":1e2}', eq("x", float(100)), true],
  ['{"x":9007199254740993}', eq("x", int(9007199254740993n)), true], ['{"x":9007199254740993}', eq("x", int(9007199254740992n)), false],
  ['{"x":-9223372036854775808}', eq("x", int(-9223372036854775808n)), true],
  ['{"x":18446744073709551615}', eq("x", int(-1)), false], ['{"x":18446744073709551615}', { tag: "field-gt", value: { path: "x", value: int(0) } }, true],
  ['{"x":-0}', eq("x", int(0)), false], ['{"x":-0}', eq("x", float(0)), true],
  ['{"x":-18446744073709551617}', { tag: "field-lt", value: { path: "x", value: float(-1e19) } }, true],
  ['{"x":"5"}', { tag: "field-gt", value: { path: "x", value: int(1) } }, false],
  ['{"x":5}', { tag: "field-gt", value: { path: "x", value: text("1") } }, false],
  ['{"x":2.5}', { tag: "field-gte", value: { path: "x", value: float(2.5) } }, true],
  ['{"x":2.5}', { tag: "field-lte", value: { path: "x", value: int(2) } }, false],
  ['{"x":2.5}', { tag: "field-lt", value: { path: "x", value: int(3) } }, true],
  // neq, in, exists, absent
  ["{}", { tag: "field-neq", value: { path: "x", value: int(1) } }, false],
  ['{"x":2}', { tag: "field-neq", value: { path: "x", value: int(1) } }, true],
  ['{"x":true}', { tag: "field-in", value: { path: "x", values: [nul, bool(true)] } }, true],
  ['{"x":null}', { tag: "field-in", value: { path: "x", values: [] } }, false],
  ['{"x":null}', { tag: "field-exists", value: "x" }, true], ['{"x":null}', { tag: "field-absent", value: "x" }, true],
  ['{"x":0}', { tag: "field-absent", value: "x" }, false], ["{}", { tag: "field-absent", value: "x" }, true],
  // paths: dotted object keys only, the last of repeated keys
  ['{"a":{"b":"c"}}', eq("a.b", text("c")), true], ['{"a.b":"c"}', eq("a.b", text("c")), false],
  ['{"a":["x"]}', { tag: "field-exists", value: "a.0" }, false], ['{"":{"":1}}', eq(".", int(1)), true],
  ['{"x":1,"x":2}', eq("x", int(2)), true], ['{"x":"\\u00e9\\ud83d\\ude00"}', eq("x", text("é😀")), true],
  // glob over Unicode scalar values
  ['{"e":"bob@example.com"}', { tag: "field-matches", value: { path: "e", pattern: "*@example.com" } }, true],
  ['{"e":"héllo"}', { tag: "field-matches", value: { path: "e", pattern: "h?llo" } }, true],
  ['{"e":"h😀llo"}', { tag: "field-matches", value: { path: "e", pattern: "h?llo" } }, true],
  ['{"e":"hello"}', { tag: "field-matches", value: { path: "e", pattern: "h*l*o*" } }, true],
  ['{"e":"hello"}', { tag: "field-matches", value: { path: "e", pattern: "*x*" } }, false],
  ['{"e":5}', { tag: "field-matches", value: { path: "e", pattern: "*" } }, false],
  // payloads serde_json refuses: every payload condition is false (absent too)
  ["not json", { tag: "field-absent", value: "x" }, false], ['{"x":1,}', { tag: "field-absent", value: "x" }, false],
  ['{"x":1e400}', { tag: "field-absent", value: "y" }, false], ['{"x":"\\ud800"}', { tag: "field-absent", value: "y" }, false],
  ['{"x":01}', { tag: "field-absent", value: "y" }, false], [nest(128), { tag: "field-absent", value: "y" }, false],
  [`{"x":${nest(126)}}`, { tag: "field-exists", value: "x" }, true], ["[] x", { tag: "field-absent", value: "x" }, false],
  [{ payload: { kind: "bytes", bytes: new Uint8Array([123, 125]) }, "workflow-id": "flow" }, { tag: "field-absent", value: "x" }, false],
  [{ payload: { kind: "control", value: { x: 1.5 } }, "workflow-id": "flow" }, eq("x", float(1.5)), true],
  // tags and execution metadata: strict scalar equality
  [controlContext("{}", { tags: { k: int(1) } }), { tag: "tag-eq", value: { key: "k", value: int(1) } }, true],
  [controlContext("{}", { tags: { k: int(1) } }), { tag: "tag-eq", value: { key: "k", value: float(1) } }, false],
  [controlContext("{}", { tags: { k: float(NaN) } }), { tag: "tag-eq", value: { key: "k", value: float(NaN) } }, false],
  [controlContext("{}", { tags: { k: float(-0) } }), { tag: "tag-eq", value: { key: "k", value: float(0) } }, true],
  [controlContext("{}", { tags: [{ key: "k", value: int(1) }, { key: "k", value: int(2) }] }), { tag: "tag-eq", value: { key: "k", value: int(2) } }, true],
  [controlContext("{}", { tags: new Map([["k", nul]]) }), { tag: "tag-exists", value: "k" }, true],
  [controlContext("{}"), { tag: "tag-absent", value: "k" }, true],
  [controlContext("{}", { "execution-metadata": { run: text("a") } }), { tag: "execution-metadata-eq", value: { key: "run", value: text("a") } }, true],
  // provenance and execution context
  [controlContext("{}", { "source-node": "src" }), { tag: "source-node", value: "src" }, true],
  [controlContext("{}"), { tag: "source-node", value: "src" }, false],
  [controlContext("{}", { "arrival-port": "in" }), { tag: "arrived-on-port", value: "in" }, true],
  [controlContext("{}", { "hop-count": 3 }), { tag: "hop-count-gt", value: 3 }, false],
  [controlContext("{}", { "hop-count": 3 }), { tag: "hop-count-lte", value: 3 }, true],
  [controlContext("{}"), { tag: "workflow-is", value: "flow" }, true],
  // combinators and constants
  [controlContext("{}"), { tag: "and-node", value: [] }, true], [controlContext("{}"), { tag: "or-node", value: [] }, false],
  [controlContext("{}"), { tag: "or-node", value: [{ tag: "never" }, { tag: "not-node", value: { tag: "never" } }] }, true],
  [controlContext("{}"), { tag: "and-node", value: [{ tag: "always" }, { tag: "never" }] }, false],
];

test(`condition table (${TABLE.length} rows, all 24 kinds): guest == native == expected`, () => {
  const seen = new Set<string>();
  for (const [payload, condition, expected] of TABLE) {
    const ctx = typeof payload === "string" ? controlContext(payload) : payload;
    const d = both(ruleSet("first-match", [["r", condition, route("yes")]]), ctx);
    assert.is(d["matched-rule"] === "r", expected, `${JSON.stringify(condition, (_k, v) => typeof v === "bigint" ? `${v}n` : v)} on ${typeof payload === "string" ? payload : "context"}`);
    const visit = (c: Condition): void => {
      seen.add(c.tag);
      if (c.tag === "and-node" || c.tag === "or-node") c.value.forEach(visit);
      if (c.tag === "not-node") visit(c.value);
    };
    visit(condition);
  }
  assert.is(seen.size, 24, `condition kinds covered: ${[...seen].join(", ")}`);
});

test("arena indices the host never makes: out-of-range child is false, out-of-range root is false with surface constant", () => {
  const ctx = { payload: { tag: "control", value: "{}" }, tags: [], "source-node": { tag: "none" }, "arrival-port": { tag: "none" }, "hop-count": 0, "workflow-id": "w", "execution-metadata": [] };
  const rs = (nodes: unknown[], root: number) => ({
    id: "raw", strategy: "first-match", "default-action": { tag: "drop" }, "trace-conditions": true,
    rules: [{ id: "r", condition: { nodes, root }, action: { tag: "route", value: "yes" }, priority: 0, description: "" }],
  });
  const notMissing = guest.evaluateWitValues(rs([{ tag: "not-node", value: 7 }], 0) as never, ctx as never);
  assert.is(notMissing.decision?.["matched-rule"], "r");
  const andMissing = guest.evaluateWitValues(rs([{ tag: "always" }, { tag: "and-node", value: [0, 9] }], 1) as never, ctx as never);
  assert.is(andMissing.decision?.["matched-rule"], null);
  const badRoot = guest.evaluateWitValues(rs([{ tag: "always" }], 5) as never, ctx as never);
  assert.is(badRoot.decision?.["matched-rule"], null);
  assert.equal(badRoot.decision?.["conditions-evaluated"], [{ "rule-id": "r", surface: "constant", matched: false }]);
});

test("the deepest trees the host sends (1000 levels) and the deepest JSON serde reads (127) evaluate alike; deeper trees are refused typed", () => {
  let c: Condition = { tag: "field-exists", value: "" };
  for (let i = 1; i < MAX_CONDITION_DEPTH; i++) c = i % 2 ? { tag: "not-node", value: c } : { tag: "and-node", value: [c, { tag: "always" }] };
  const deepJson = controlContext("[".repeat(127) + "]".repeat(127));
  both(ruleSet("first-match", [["deep", c, route("x")]], drop, true), deepJson);
  both(ruleSet("first-match", [["deep", c, route("x")]], drop, true), controlContext('{"":0}'));
  const tooDeep = ruleSet("first-match", [["deep", { tag: "not-node", value: { tag: "not-node", value: c } }, route("x")]]);
  assert.throws(() => guest.evaluate(tooDeep, deepJson), /invalid rule evaluation input: the condition of rule `deep` nests deeper than 1000 levels/);
});

test("the rules guest's WIT has the contract's shape (as Pureflow's rules_wit.rs checks)", () => {
  const c = Component.fromBytes(componentBytes("rules-guest"));
  assert.is(guest.bindingProblem(), undefined, "evaluate has exactly the WIT type");
  assert.equal([...c.imports.keys()], [], "the world imports nothing");
  assert.equal([...c.exports.keys()], ["pureflow:rules/rules@0.1.0"], "one export: the rules interface");
  const iface = c.exports.get("pureflow:rules/rules@0.1.0")!;
  assert.is(iface.kind, "instance");
  const funcs = [...(iface.kind === "instance" ? iface.type.exports : new Map()).entries()].filter(([, e]) => e.kind === "func").map(([n]) => n);
  assert.equal(funcs, ["evaluate"], "rules has only evaluate");
  const wit = renderExternsAsWit(c.exports);
  for (const name of ["rule-set", "eval-context", "rule-decision", "condition-tree", "condition-node", "scalar-value", "rule-error"]) assert.ok(wit.includes(name), `${name} in ${wit.slice(0, 200)}`);
  assert.not.match(wit, /channel|port-batch|send|recv|stream|writer|reader/);
});

test.run();
