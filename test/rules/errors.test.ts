/**
 * Every error of Pureflow's rules adapter (contract §4b "Rules errors"), reproduced: setup and
 * lookup, result shape and guest rule errors, decision decoding, inputs, cancellation, fuel and
 * traps; hostile rules guests (bad variant case, bad enum, misaligned f64 list, oversized list,
 * an import) give typed errors, and the same RuleComponent serves a good call afterwards.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Component } from "../../canonical-abi/index.js";
import {
  CancellationToken, ExecutionLimits, PureflowError, RuleComponent, RuleNode, type HostEvalContext, type RuleSet,
} from "../../src/index.js";
import { decisionFromEvaluateResult } from "../../src/rules/decode.js";
import { checkWorldExport } from "../../src/host/world-export.js";
import { RULES_EVALUATE } from "../../src/rules/rule-component.js";
import { componentBytes, controlContext, drop, route, ruleSet } from "./helpers.js";

const good = componentBytes("rules-guest");
const simple = ruleSet("first-match", [["r", { tag: "always" }, route("out")]]);
const ctx = controlContext('{"a":1}');

/** The `CODE: category: message` of what `f` throws (it must throw a PureflowError). */
function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.instance(e, PureflowError);
    return String(e);
  }
  throw new Error("expected a PureflowError");
}

const EXEC = "CDT-EXEC-001: node execution failed: ";
/** Each reproduced message, counted once (the report's "n of n"). */
const reproduced = new Set<string>();
function expectExec(f: () => unknown, message: string | RegExp, label: string): void {
  const got = failure(f);
  if (typeof message === "string") assert.is(got, EXEC + message);
  else assert.match(got, message);
  reproduced.add(label);
}

test("setup and lookup: compile, instantiate, the three export messages", () => {
  expectExec(() => RuleComponent.fromComponentBytes(new Uint8Array([0, 97, 115, 109, 9, 9])), /^CDT-EXEC-001: node execution failed: failed to compile rule component: /, "failed to compile rule component");
  const imports = RuleComponent.fromComponentBytes(componentBytes("rules-hostile/imports-function"));
  expectExec(() => imports.evaluate(simple, ctx), /^CDT-EXEC-001: node execution failed: failed to instantiate rule component: .*pureflow:rules\/host@0\.1\.0/, "failed to instantiate rule component");
  const batch = RuleComponent.fromComponentBytes(componentBytes("uppercase-guest"));
  expectExec(() => batch.evaluate(simple, ctx), "component does not export pureflow:rules/rules@0.1.0", "component does not export pureflow:rules/rules@0.1.0");
  // the generic lookup with the rules labels, on an interface that lacks `evaluate` / holds a type of that name
  const upper = Component.fromBytes(componentBytes("uppercase-guest"));
  const iface = "pureflow:batch/batch@0.1.0";
  assert.throws(() => checkWorldExport(upper, { ...RULES_EVALUATE, interfaceName: iface }), /^component does not export rules\.evaluate$/);
  reproduced.add("component does not export rules.evaluate");
  assert.throws(() => checkWorldExport(upper, { ...RULES_EVALUATE, interfaceName: iface, funcName: "endpoint" }), /^rules\.evaluate export is not a function$/);
  reproduced.add("rules.evaluate export is not a function");
});

test("result shape and guest rule errors", () => {
  const guest = RuleComponent.fromComponentBytes(componentBytes("rules-hostile/rule-error"));
  expectExec(() => guest.evaluate(simple, ctx), "guest rule malformed-rule-set: bad arena", "guest rule {case}: {msg}");
  expectExec(() => decisionFromEvaluateResult(7), "guest returned non-result from rules.evaluate", "non-result");
  expectExec(() => decisionFromEvaluateResult({ tag: "ok" }), "guest returned empty ok result from rules.evaluate", "empty ok result");
  expectExec(() => decisionFromEvaluateResult({ tag: "err" }), "guest returned empty error from rules.evaluate", "empty error");
  expectExec(() => decisionFromEvaluateResult({ tag: "err", value: { tag: "evaluation-failure", value: 3 } }), "guest returned malformed evaluation-failure rule error", "malformed {case} rule error");
  expectExec(() => decisionFromEvaluateResult({ tag: "err", value: { tag: "evaluation-failure", value: "x" } }), "guest rule evaluation-failure: x", "guest rule {case}: {msg}");
});

test("decision decoding: every message of the decoder", () => {
  const decision = (patch: Record<string, unknown>) => ({ tag: "ok", value: { action: { tag: "drop" }, "matched-rule": { tag: "none" }, "tags-applied": [], "conditions-evaluated": [], ...patch } });
  const scalar = (value: unknown) => decision({ "tags-applied": [{ key: "k", value }] });
  const trace = (t: Record<string, unknown>) => decision({ "conditions-evaluated": [{ "rule-id": "r", surface: "tag", matched: true, ...t }] });
  const rows: [unknown, string][] = [
    [decision({ action: { tag: "teleport" } }), "guest returned unsupported rule action: teleport"],
    [scalar({ tag: "complex", value: 1 }), "guest returned unsupported scalar value: complex"],
    [scalar({ tag: "integer", value: 1 }), "guest returned non-s64 integer scalar"],
    [scalar({ tag: "float-value", value: 1n }), "guest returned non-f64 float scalar"],
    [scalar({ tag: "boolean", value: 0 }), "guest returned non-bool boolean scalar"],
    [trace({ matched: 1 }), "guest returned non-bool condition trace match"],
    [trace({ surface: 4 }), "guest returned non-enum condition surface"],
    [trace({ surface: "aura" }), "guest returned unknown condition surface: aura"],
    [decision({ "matched-rule": "r" }), "guest returned non-option value"],
    [decision({ action: "drop" }), "guest returned non-variant rule action"],
    [decision({ action: { tag: "route", value: 5 } }), "guest returned non-string route port"],
  ];
  for (const [value, message] of rows) {
    expectExec(() => decisionFromEvaluateResult(value as never), message, message.replace(/: \w+$/, ""));
  }
  // a routed port must be a valid port id (Pureflow's PortId::new): CDT-VAL-001
  const guest = RuleComponent.fromComponentBytes(good);
  assert.is(failure(() => guest.evaluate(ruleSet("first-match", [["r", { tag: "always" }, route("bad port")]]), ctx)),
    "CDT-VAL-001: identifier validation failed: port id must not contain whitespace");
});

test("inputs: unsupported payload, control that cannot be encoded, malformed values", () => {
  const guest = RuleComponent.fromComponentBytes(good);
  expectExec(() => guest.evaluate(simple, { ...ctx, payload: { kind: "arrow" } as never }), "payload is not supported by the rules WIT ABI 0.1.0", "payload is not supported by the rules WIT ABI 0.1.0");
  expectExec(() => guest.evaluate(simple, { ...ctx, payload: { kind: "control", value: NaN } }), /^CDT-EXEC-001: node execution failed: failed to encode control payload: /, "failed to encode control payload");
  assert.match(failure(() => guest.evaluate({ ...simple, strategy: "best" as never }, ctx)), /^CDT-EXEC-001: node execution failed: invalid rule evaluation input: .*first-match/);
  assert.match(failure(() => guest.evaluate(simple, { payload: { tag: "control", value: "{}" } } as HostEvalContext)), /invalid rule evaluation input: .*workflow-id/);
  assert.match(failure(() => guest.evaluate({ ...simple, rules: [{ ...simple.rules[0], condition: null as never }] }, ctx)), /invalid rule evaluation input: rule `r` has a condition that is not/);
  assert.match(failure(() => guest.evaluate(null as unknown as RuleSet, ctx)), /invalid rule evaluation input: the rule set must be an object/);
});

test("cancellation: before the call (reason or Pureflow's fallback) and during it", () => {
  const guest = RuleComponent.fromComponentBytes(good, { limits: ExecutionLimits.default().withCancellationCheckInterval(100) });
  assert.is(failure(() => guest.evaluateWithCancellation(simple, ctx, CancellationToken.cancelled("test shutdown"))), "CDT-CANCEL-001: execution cancelled: test shutdown");
  assert.is(failure(() => guest.evaluateWithCancellation(simple, ctx, CancellationToken.custom(() => ({ cancelled: true })))), "CDT-CANCEL-001: execution cancelled: wasm rule evaluation cancelled");
  reproduced.add("wasm rule evaluation cancelled");
  let probes = 0;
  const later = CancellationToken.custom(() => (++probes > 2 ? { cancelled: true, reason: "stop now" } : { cancelled: false }));
  const many = ruleSet("all-matches", Array.from({ length: 200 }, (_, i) => [`r${i}`, { tag: "field-matches", value: { path: "a", pattern: "*x*y*z*" } }, drop] as [string, never, typeof drop]));
  const report = guest.evaluateWithReport(many, controlContext(JSON.stringify({ a: "a".repeat(200) })), later);
  assert.is(String(report.error), "CDT-CANCEL-001: execution cancelled: stop now");
  assert.ok(report.fuelConsumed > 0, "the guest ran before the cancellation");
});

test("fuel and traps map as in the batch adapter", () => {
  const starved = RuleComponent.fromComponentBytesWithLimits(good, ExecutionLimits.new(0));
  assert.is(failure(() => starved.evaluate(simple, ctx)), EXEC + "guest exceeded fuel limit of 0 units");
  const guest = RuleComponent.fromComponentBytes(good);
  const cycle = {
    id: "raw", strategy: "first-match", "default-action": { tag: "drop" }, "trace-conditions": false,
    rules: [{ id: "r", condition: { nodes: [{ tag: "and-node", value: [0] }], root: 0 }, action: { tag: "drop" }, priority: 0, description: "" }],
  };
  const wit = { payload: { tag: "control", value: "{}" }, tags: [], "source-node": { tag: "none" }, "arrival-port": { tag: "none" }, "hop-count": 0, "workflow-id": "w", "execution-metadata": [] };
  const r = guest.evaluateWitValues(cycle as never, wit as never);
  assert.match(String(r.error), /^CDT-EXEC-001: node execution failed: guest invoke failed: /);
  assert.ok(r.error?.trap !== undefined, `a trap code: ${r.error?.trap}`);
});

test("hostile rules guests give typed Canonical ABI errors, and the component still serves good calls", () => {
  const rows: [string, RegExp][] = [
    ["bad-action-case", /guest invoke failed: canonical ABI trap \(T9\): invalid variant discriminant 7 \(the type has 5 cases\)/],
    ["bad-surface-enum", /guest invoke failed: canonical ABI trap \(T9\): invalid (enum|variant) discriminant 9/],
    ["misaligned-f64", /guest invoke failed: canonical ABI trap \(T7\): list pointer 0x104 not aligned to 8/],
    ["oversized-arena", /guest invoke failed: canonical ABI trap \(T6\): list byte length 268435455 x 12/],
  ];
  for (const [name, message] of rows) {
    const guest = RuleComponent.fromComponentBytes(componentBytes(`rules-hostile/${name}`));
    const e = failure(() => guest.evaluate(simple, ctx));
    assert.match(e, /^CDT-EXEC-001: node execution failed: /, name);
    assert.match(e, message, `${name}: ${e}`);
  }
  const guest = RuleComponent.fromComponentBytes(good);
  assert.is(failure(() => RuleComponent.fromComponentBytesWithLimits(good, ExecutionLimits.new(0)).evaluate(simple, ctx)), EXEC + "guest exceeded fuel limit of 0 units");
  assert.equal(guest.evaluate(simple, ctx).action, route("out"));
});

test("argument misuse: typed PureflowErrors naming the argument, never a raw TypeError", async () => {
  const guest = RuleComponent.fromComponentBytes(good);
  const rows: [() => unknown, RegExp][] = [
    [() => RuleComponent.fromComponentBytes("wasm" as never), /invalid argument `bytes`/],
    [() => RuleComponent.fromComponentBytes(good, { limits: 5 as never }), /invalid argument `options\.limits`/],
    [() => RuleComponent.fromComponentBytes(good, { snapshot: "no" as never }), /invalid argument `options\.snapshot`/],
    [() => RuleComponent.fromComponentBytesWithLimits(good, {} as never), /invalid argument `limits`/],
    [() => guest.evaluateWithCancellation(simple, ctx, "now" as never), /invalid argument `token`/],
    [() => guest.evaluate(simple, 7 as never), /invalid rule evaluation input: the context must be an object/],
    [() => new RuleNode("a b", guest, simple), /CDT-VAL-001: .*node id must not contain whitespace/],
    [() => new RuleNode("n", {} as never, simple), /invalid argument `component`/],
    [() => new RuleNode("n", guest, null as never), /invalid argument `ruleSet`/],
  ];
  for (const [f, message] of rows) assert.match(failure(f), message);
  const node = new RuleNode("n", guest, simple);
  for (const [ports, message] of [[null, /invalid argument `ports`/], [{ inputs: "in", outputs: [] }, /invalid argument `ports`/], [{ inputs: ["in"], outputs: [], recv: 1, send: () => {} }, /invalid argument `ports\.recv`/]] as const) {
    try {
      await node.run(ports as never);
      assert.unreachable("accepted");
    } catch (e) {
      assert.instance(e, PureflowError);
      assert.match(String(e), message);
    }
  }
});

test("count of reproduced rules adapter messages", () => {
  // 5 setup/lookup + 5 result/guest + 11 decoding + 2 inputs + 1 cancellation fallback
  console.log(`# rules error strings reproduced: ${reproduced.size} of 24`);
  assert.is(reproduced.size, 24, [...reproduced].join(" | "));
});

test.run();
