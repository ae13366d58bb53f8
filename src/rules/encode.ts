/**
 * The rules world's host → guest rules (Pureflow's `rules.rs` codec), the only conversions the
 * rules binding adds to the generic Canonical ABI values:
 * - a rule's condition tree becomes the WIT arena: children are pushed before their parent, so
 *   the root is the last index pushed for that rule;
 * - tags and execution metadata (maps: Pureflow's `BTreeMap`s) are sent sorted by key (bytewise
 *   UTF-8); a repeated key keeps its last value;
 * - a control payload given as a JSON value is written with serde_json's compact form
 *   (`controlPayloadText`: its serde text when it carries one, so `1.0` stays `1.0`); one given
 *   as JSON text is sent as is (the guest reads the same value);
 *   any other payload is `payload is not supported by the rules WIT ABI 0.1.0`.
 * Everything else (field types, ranges) is checked by the generic lowerer.
 */
import type { Value } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { isPlainObjectLike } from "../arguments.js";
import { compareCodePoints, controlPayloadText, type JsonValue } from "../batch/control-json.js";
import type { PacketPayload } from "../batch/batches.js";
import type { Condition, ConditionNode, ConditionTree, RuleSet, ScalarEntry, ScalarValue } from "./wit-types.js";

/** The deepest condition tree the host encodes (a guest evaluates it recursively). */
export const MAX_CONDITION_DEPTH = 1000;

/** Key/value pairs: a Map, a plain object, or a list of `scalar-entry` records. */
export type ScalarMap = ReadonlyMap<string, ScalarValue> | Readonly<Record<string, ScalarValue>> | readonly ScalarEntry[];

/**
 * The evaluation context as the host holds it (Pureflow's `HostEvalContext`). Optional fields
 * default to empty maps, `none` and hop count 0.
 */
export interface HostEvalContext {
  /** A packet payload: `{ kind: "bytes" | "control" }` as in a batch, or the WIT value `{ tag: "bytes" | "control" }` (control as JSON text). */
  payload: PacketPayload | { tag: "bytes"; value: Uint8Array } | { tag: "control"; value: string };
  tags?: ScalarMap;
  "source-node"?: string | null;
  "arrival-port"?: string | null;
  "hop-count"?: number;
  "workflow-id": string;
  "execution-metadata"?: ScalarMap;
}

function invalid(what: string): PureflowError {
  return PureflowError.execution(`invalid rule evaluation input: ${what}`);
}

/** `condition` flattened into `nodes`, children first; returns the index of its root. */
function pushCondition(condition: Condition, nodes: ConditionNode[], ruleId: string, depth: number): number {
  if (depth > MAX_CONDITION_DEPTH) throw invalid(`the condition of rule \`${ruleId}\` nests deeper than ${MAX_CONDITION_DEPTH} levels`);
  if (!isPlainObjectLike(condition) || typeof condition.tag !== "string") throw invalid(`rule \`${ruleId}\` has a condition that is not a { tag, value? } object`);
  if (condition.tag === "and-node" || condition.tag === "or-node") {
    if (!Array.isArray(condition.value)) throw invalid(`rule \`${ruleId}\`: ${condition.tag} must hold an array of conditions`);
    const children = condition.value.map((c) => pushCondition(c, nodes, ruleId, depth + 1));
    nodes.push({ tag: condition.tag, value: children });
  } else if (condition.tag === "not-node") {
    const child = pushCondition(condition.value, nodes, ruleId, depth + 1);
    nodes.push({ tag: "not-node", value: child });
  } else {
    nodes.push(condition as ConditionNode);
  }
  return nodes.length - 1;
}

/** A condition tree as the WIT arena (children before parent, root = last index). */
export function conditionToArena(condition: Condition, ruleId = "?"): ConditionTree {
  const nodes: ConditionNode[] = [];
  const root = pushCondition(condition, nodes, ruleId, 0);
  return { nodes, root };
}

/** A rule set as the generic value of `rule-set` (conditions as arenas). */
export function ruleSetToValue(ruleSet: RuleSet): Value {
  if (!isPlainObjectLike(ruleSet)) throw invalid("the rule set must be an object");
  if (!Array.isArray(ruleSet.rules)) throw invalid("the rule set's `rules` must be an array");
  return {
    id: ruleSet.id,
    strategy: ruleSet.strategy,
    rules: ruleSet.rules.map((r, i): Value => {
      if (!isPlainObjectLike(r)) throw invalid(`rule ${i} must be an object`);
      const id = typeof r.id === "string" ? r.id : `#${i}`;
      return { id: r.id, condition: conditionToArena(r.condition, id) as unknown as Value, action: r.action as Value, priority: r.priority, description: r.description };
    }),
    "default-action": ruleSet["default-action"] as Value,
    "trace-conditions": ruleSet["trace-conditions"],
  } as Value;
}

/** `map` as `scalar-entry` values sorted by key (a repeated key keeps its last value). */
export function sortedEntries(map: ScalarMap | undefined, what: string): Value[] {
  if (map === undefined) return [];
  const byKey = new Map<string, ScalarValue>();
  if (map instanceof Map) for (const [k, v] of map) byKey.set(k, v);
  else if (Array.isArray(map)) {
    for (const e of map as readonly ScalarEntry[]) {
      if (!isPlainObjectLike(e)) throw invalid(`${what} entries must be { key, value } objects`);
      byKey.set(e.key, e.value);
    }
  } else if (isPlainObjectLike(map)) for (const k of Object.keys(map)) byKey.set(k, (map as Record<string, ScalarValue>)[k]);
  else throw invalid(`${what} must be a Map, an object or a list of { key, value }`);
  for (const k of byKey.keys()) if (typeof k !== "string") throw invalid(`${what} keys must be strings`);
  return [...byKey.keys()].sort(compareCodePoints).map((key) => ({ key, value: byKey.get(key) as Value }));
}

/** The `packet-payload` value of a host payload (see {@link HostEvalContext.payload}). */
export function payloadToValue(payload: HostEvalContext["payload"]): Value {
  if (isPlainObjectLike(payload)) {
    const p = payload as Record<string, unknown>;
    if (p.kind === "bytes" || p.tag === "bytes") return { tag: "bytes", value: (p.kind === "bytes" ? p.bytes : p.value) as Value };
    if (p.tag === "control") return { tag: "control", value: p.value as Value };
    if (p.kind === "control") {
      try {
        return { tag: "control", value: controlPayloadText(p as { value: JsonValue; json?: string }) };
      } catch (e) {
        throw PureflowError.execution(`failed to encode control payload: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    }
  }
  // Pureflow: any other payload variant (Arrow) is not part of the rules WIT ABI
  throw PureflowError.execution("payload is not supported by the rules WIT ABI 0.1.0");
}

function optionOf(v: string | null | undefined): Value {
  return v === null || v === undefined ? { tag: "none" } : { tag: "some", value: v };
}

/** The context as the generic value of `eval-context`. */
export function contextToValue(context: HostEvalContext): Value {
  if (!isPlainObjectLike(context)) throw invalid("the context must be an object");
  return {
    payload: payloadToValue(context.payload),
    tags: sortedEntries(context.tags, "tags"),
    "source-node": optionOf(context["source-node"]),
    "arrival-port": optionOf(context["arrival-port"]),
    "hop-count": context["hop-count"] ?? 0,
    "workflow-id": context["workflow-id"],
    "execution-metadata": sortedEntries(context["execution-metadata"], "execution metadata"),
  } as Value;
}
