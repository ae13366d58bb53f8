/**
 * `RuleNode` reproduces Pureflow's `WasmRuleNode`: port `in`, one packet at a time, context
 * from the route, actions route / drop / dead-letter / tag / halt, message ids
 * `{node}-rule-{port}-{seq}`, a record written before the send, and its error texts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  CancellationToken, PureflowError, RuleComponent, RuleNode, type PortPacket, type RuleEvalRecord, type RuleNodePorts,
} from "../../src/index.js";
import { componentBytes, drop, route, ruleSet, text } from "./helpers.js";

const guest = RuleComponent.fromComponentBytes(componentBytes("rules-guest"));

function packet(id: string, json: unknown, source = "upstream"): PortPacket {
  return {
    metadata: {
      messageId: id, workflowId: "flow", execution: { executionId: "run-1", attempt: 1 },
      route: { source: { nodeId: source, portId: "out" }, target: { nodeId: "router", portId: "in" } },
    },
    payload: { kind: "control", value: json as never },
  };
}

/** In-memory ports: `queue` feeds `in`; sends and records are logged in one sequence. */
function memoryPorts(queue: PortPacket[], outputs: string[], log: string[], inputs = ["in"]): RuleNodePorts & { sent: [string, PortPacket][] } {
  const sent: [string, PortPacket][] = [];
  return {
    inputs, outputs, sent,
    recv: () => queue.shift(),
    send: (port, p) => {
      if (port === "dead_letter" && !outputs.includes("dead_letter")) throw new Error("unreachable: the node checks declared ports");
      log.push(`send ${port} ${p.metadata.messageId}`);
      sent.push([port, p]);
    },
  };
}

const rules = ruleSet("first-match", [
  ["halt", { tag: "field-eq", value: { path: "stop", value: { tag: "boolean", value: true } } }, { tag: "halt", value: "operator stop" }],
  ["bad", { tag: "field-exists", value: "error" }, { tag: "dead-letter", value: "has error" }],
  ["tagged", { tag: "source-node", value: "tagger" }, { tag: "tag", value: { key: "t", value: text("x") } }],
  ["big", { tag: "field-gt", value: { path: "amount", value: { tag: "integer", value: 100n } } }, route("large")],
  ["from-in", { tag: "arrived-on-port", value: "in" }, route("small")],
], drop);

test("routes, dead-letters, drops and tags; message ids {node}-rule-{port}-{seq}; records before sends", async () => {
  const log: string[] = [];
  const records: RuleEvalRecord[] = [];
  const node = new RuleNode("router", guest, rules, { onRecord: (r) => { records.push(r); log.push(`record ${r.messageId}`); } });
  const ports = memoryPorts([
    packet("m1", { amount: 500 }), packet("m2", { amount: 5 }), packet("m3", { error: "x" }), packet("m4", {}, "tagger"),
  ], ["large", "small", "dead_letter"], log);
  await node.run(ports);
  assert.equal(log, [
    "record m1", "send large router-rule-large-0",
    "record m2", "send small router-rule-small-1",
    "record m3", "send dead_letter router-rule-dead_letter-2",
    "record m4", "send small router-rule-small-3",
  ]);
  const [port, first] = ports.sent[0];
  assert.is(port, "large");
  assert.equal(first.metadata.route, { source: { nodeId: "router", portId: "large" }, target: { nodeId: "router", portId: "large" } });
  assert.equal(first.metadata.execution, { executionId: "run-1", attempt: 1 });
  assert.equal(first.payload, { kind: "control", value: { amount: 500 } });
  assert.equal(records.map((r) => r.matchedRule), ["big", "from-in", "bad", "from-in"]);
  assert.equal(records[3].tagsApplied, [{ key: "t", value: text("x") }]);
});

test("drop and tag send nothing", async () => {
  const log: string[] = [];
  const node = new RuleNode("n", guest, ruleSet("first-match", [["t", { tag: "always" }, { tag: "tag", value: { key: "k", value: text("v") } }]], drop));
  await node.run(memoryPorts([packet("a", {})], [], log));
  assert.equal(log, []);
});

async function rejection(p: Promise<unknown>): Promise<PureflowError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, PureflowError);
    return e as PureflowError;
  }
  throw new Error("expected a rejection");
}

test("error texts: halt, undeclared ports, dead-letter send failure, evaluation errors, cancellation", async () => {
  const node = new RuleNode("router", guest, rules);
  const log: string[] = [];
  assert.is(String(await rejection(node.run(memoryPorts([packet("h", { stop: true })], [], log)))), "CDT-EXEC-001: node execution failed: rule halted: operator stop");
  assert.is((await rejection(node.run(memoryPorts([], [], log, ["input"])))).message, "wasm rule node: input port `in` not declared");
  assert.is((await rejection(node.run(memoryPorts([packet("m", { amount: 1000 })], [], log)))).message, "output port `large` is not declared");
  assert.is((await rejection(node.run(memoryPorts([packet("d", { error: 1 })], [], log)))).message,
    "dead-letter send failed (has error): CDT-EXEC-001: node execution failed: output port `dead_letter` is not declared");
  const failing = { ...memoryPorts([packet("d", { error: 1 })], ["dead_letter"], log), send: () => { throw new Error("queue full"); } };
  assert.is((await rejection(node.run(failing))).message, "dead-letter send failed (has error): queue full");
  const wrong = RuleComponent.fromComponentBytes(componentBytes("uppercase-guest"));
  const e = await rejection(new RuleNode("router", wrong, rules).run(memoryPorts([packet("x", {})], [], log)));
  assert.is(String(e), "CDT-EXEC-001: node execution failed: wasm rule evaluation error: CDT-EXEC-001: node execution failed: component does not export pureflow:rules/rules@0.1.0");
  const cancelled = CancellationToken.cancelled("shutdown");
  assert.is(String(await rejection(node.run(memoryPorts([packet("x", {})], ["small"], log), cancelled))),
    "CDT-CANCEL-001: execution cancelled: wasm rule node cancelled while waiting for input");
  let recorded = false;
  const afterOne = CancellationToken.custom(() => ({ cancelled: recorded }));
  const flagging = new RuleNode("router", guest, rules, { onRecord: () => { recorded = true; } });
  const sink = memoryPorts([packet("x", { amount: 1 }), packet("y", {})], ["small"], log);
  assert.is(String(await rejection(flagging.run(sink, afterOne))), "CDT-CANCEL-001: execution cancelled: wasm rule node cancelled after processing packet");
  assert.is(sink.sent.length, 1, "the packet was sent before the cancellation was seen; the second never read");
});

test.run();
