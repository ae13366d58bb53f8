/**
 * `RuleNode`: a workflow node that routes packets with decisions from a rules guest, the
 * TypeScript counterpart of Pureflow's `WasmRuleNode` (`rules_node.rs`).
 *
 * It receives on port `in`, one packet at a time, until the port closes. For each packet:
 * 1. the context is built from the packet: its payload, `source-node` = the route's source node,
 *    `arrival-port` = the route's target port, workflow id, empty tags and execution metadata,
 *    hop count 0;
 * 2. the rule set is evaluated; any error becomes `CDT-EXEC-001`
 *    `wasm rule evaluation error: {error}` (a cancellation too, nested in the message);
 * 3. a {@link RuleEvalRecord} is written, before anything is sent;
 * 4. the action: `route(p)` sends the payload on port `p` as a new message
 *    `{node}-rule-{p}-{seq}` routed `node:p → node:p`; `dead-letter(reason)` sends it on port
 *    `dead_letter` (a failure: `dead-letter send failed ({reason}): {error}`); `drop` and `tag` send
 *    nothing; `halt(m)` fails the node with `rule halted: {m}`;
 * 5. a cancelled token ends the node: `wasm rule node cancelled after processing packet`.
 * A node without an input port `in` fails first: `wasm rule node: input port \`in\` not declared`;
 * a token cancelled while waiting for input: `wasm rule node cancelled while waiting for input`.
 */
import { PureflowError } from "../errors.js";
import { argumentError, checkFunctionArgument, checkObjectArgument, checkOptionalFunctionArgument, checkOptionsArgument } from "../arguments.js";
import { CancellationToken } from "../host/cancellation.js";
import { checkTokenArgument } from "../host/component-options.js";
import { validateIdentifier } from "../batch/ids.js";
import type { PortPacket } from "../batch/batches.js";
import { RuleComponent } from "./rule-component.js";
import type { RuleAction, RuleDecision, RuleSet } from "./wit-types.js";

/** The port a rule node receives on. */
export const RULE_INPUT_PORT = "in";
/** The port dead-lettered packets go to. */
export const DEAD_LETTER_PORT = "dead_letter";

/** What a rule node writes for every evaluated packet (before it sends anything). */
export interface RuleEvalRecord {
  nodeId: string;
  ruleSetId: string;
  messageId: string;
  action: RuleAction;
  matchedRule: string | null;
  tagsApplied: RuleDecision["tags-applied"];
  conditionsEvaluated: RuleDecision["conditions-evaluated"];
}

/** The ports a node runs against (an engine's `PortsIn` / `PortsOut`). */
export interface RuleNodePorts {
  /** Declared input ports. */
  readonly inputs: readonly string[];
  /** Declared output ports. */
  readonly outputs: readonly string[];
  /** The next packet on `port`, or undefined once the port is closed. */
  recv(port: string): Promise<PortPacket | undefined> | PortPacket | undefined;
  /** Sends `packet` on `port` (throws when the port refuses it). */
  send(port: string, packet: PortPacket): Promise<void> | void;
}

/** Options of a {@link RuleNode}. */
export interface RuleNodeOptions {
  /** Receives a record for every evaluated packet, before the packet is sent. */
  onRecord?: (record: RuleEvalRecord) => void;
}

/** An error as Pureflow displays it (`CODE: category: message` for a PureflowError). */
function display(e: unknown): string {
  return e instanceof PureflowError ? e.toString() : e instanceof Error ? e.message : String(e);
}

/** A node routing every packet of port `in` by a rules guest's decision. */
export class RuleNode {
  private seq = 0;

  /** @throws PureflowError for a wrong argument (`CDT-VAL-001` for an invalid node id). */
  constructor(
    /** This node's id (message ids and routes name it). */
    readonly nodeId: string,
    private readonly component: RuleComponent,
    private readonly ruleSet: RuleSet,
    private readonly options: RuleNodeOptions = {},
  ) {
    validateIdentifier("node id", nodeId);
    if (!(component instanceof RuleComponent)) throw argumentError("component", "a RuleComponent", component);
    checkObjectArgument("ruleSet", ruleSet, "a rule set { id, strategy, rules, default-action, trace-conditions }");
    const o = checkOptionsArgument("options", options);
    checkOptionalFunctionArgument("options.onRecord", o.onRecord);
  }

  /** Runs until port `in` closes; rejects with a `PureflowError` as described in the file header. */
  async run(ports: RuleNodePorts, token: CancellationToken = CancellationToken.active()): Promise<void> {
    const p = checkObjectArgument("ports", ports, "ports { inputs, outputs, recv, send }");
    if (!Array.isArray(p.inputs) || !Array.isArray(p.outputs)) throw argumentError("ports", "ports whose `inputs` and `outputs` are arrays of port ids", ports);
    checkFunctionArgument("ports.recv", p.recv);
    checkFunctionArgument("ports.send", p.send);
    checkTokenArgument("token", token);
    if (!ports.inputs.includes(RULE_INPUT_PORT)) {
      throw PureflowError.execution(`wasm rule node: input port \`${RULE_INPUT_PORT}\` not declared`);
    }
    for (;;) {
      if (token.isCancelled()) throw PureflowError.cancelled("wasm rule node cancelled while waiting for input");
      const packet = await ports.recv(RULE_INPUT_PORT);
      if (packet === undefined) return;
      await this.process(packet, ports, token);
      if (token.isCancelled()) throw PureflowError.cancelled("wasm rule node cancelled after processing packet");
    }
  }

  /** Evaluates one packet and carries out its action (steps 1–4). */
  async process(packet: PortPacket, ports: Pick<RuleNodePorts, "outputs" | "send">, token: CancellationToken = CancellationToken.active()): Promise<RuleDecision> {
    let decision: RuleDecision;
    try {
      decision = this.component.evaluateWithCancellation(this.ruleSet, {
        payload: packet.payload,
        "source-node": packet.metadata.route.source?.nodeId ?? null,
        "arrival-port": packet.metadata.route.target.portId,
        "hop-count": 0,
        "workflow-id": packet.metadata.workflowId,
      }, token);
    } catch (e) {
      throw PureflowError.execution(`wasm rule evaluation error: ${display(e)}`, { cause: e });
    }
    this.options.onRecord?.({
      nodeId: this.nodeId, ruleSetId: this.ruleSet.id, messageId: packet.metadata.messageId, action: decision.action,
      matchedRule: decision["matched-rule"], tagsApplied: decision["tags-applied"], conditionsEvaluated: decision["conditions-evaluated"],
    });
    const action = decision.action;
    switch (action.tag) {
      case "route":
        await this.send(ports, action.value, packet);
        break;
      case "dead-letter":
        try {
          await this.send(ports, DEAD_LETTER_PORT, packet);
        } catch (e) {
          throw PureflowError.execution(`dead-letter send failed (${action.value}): ${display(e)}`, { cause: e });
        }
        break;
      case "halt":
        throw PureflowError.execution(`rule halted: ${action.value}`);
      default: // drop, tag: nothing is sent
        break;
    }
    return decision;
  }

  private async send(ports: Pick<RuleNodePorts, "outputs" | "send">, port: string, packet: PortPacket): Promise<void> {
    if (!ports.outputs.includes(port)) throw PureflowError.execution(`output port \`${port}\` is not declared`);
    const endpoint = { nodeId: this.nodeId, portId: port };
    await ports.send(port, {
      metadata: {
        messageId: `${this.nodeId}-rule-${port}-${this.seq++}`,
        workflowId: packet.metadata.workflowId,
        execution: { ...packet.metadata.execution },
        route: { source: endpoint, target: { ...endpoint } },
      },
      payload: packet.payload,
    });
  }
}
