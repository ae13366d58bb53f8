/**
 * Rule sets, contexts and decisions as WIT-shaped JSON (`wit-json-value.ts`), for
 * `pureflow-wasm evaluate` and tools. Everything follows the WIT types, with the rules world's
 * host conventions:
 * - a rule's `condition` is written as a tree: `{"and-node": [c, …]}`, `{"or-node": [c, …]}`,
 *   `{"not-node": c}`, `"always"`, `"never"`, and leaves as their WIT case
 *   (`{"field-gt": {"path": "amount", "value": {"integer": 100}}}`);
 * - `priority` (0), `description` ("") and `trace-conditions` (false) may be left out;
 * - a context's `tags` and `execution-metadata` are objects (`{"k": {"text": "v"}}`) or lists of
 *   `{"key", "value"}`; `source-node` / `arrival-port` a string or null (or absent); `hop-count`
 *   defaults to 0; `payload` is `{"control": "<JSON text>"}` (sent exactly as written),
 *   `{"control": <any other JSON value>}` (written compactly, serde style) or `{"bytes": [...]}`.
 */
import { T, type Value } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import type { JsonValue } from "../batch/control-json.js";
import { valueFromWitJson, valueToWitJson } from "../host/wit-json-value.js";
import type { HostEvalContext } from "./encode.js";
import {
  CONDITION_CASES, evaluationStrategyType, ruleActionType, ruleDecisionType, scalarValueType,
  type Condition, type Rule, type RuleDecision, type RuleSet, type ScalarValue,
} from "./wit-types.js";

function isObject(v: unknown): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function fail(path: string, what: string): never {
  throw PureflowError.execution(`${path}: ${what}`);
}

function fields(path: string, json: unknown, allowed: readonly string[]): { [key: string]: JsonValue } {
  if (!isObject(json)) fail(path, "expected an object");
  for (const k of Object.keys(json)) if (!allowed.includes(k)) fail(`${path}.${k}`, `no such field (fields: ${allowed.join(", ")})`);
  return json;
}

/** A condition tree from its JSON (see the file header). */
export function conditionFromJson(json: unknown, path = "$"): Condition {
  const labels = CONDITION_CASES.map(([l]) => l);
  let label: string;
  let payload: unknown;
  if (typeof json === "string") label = json;
  else if (isObject(json) && Object.keys(json).length === 1) {
    label = Object.keys(json)[0] as string;
    payload = json[label];
  } else return fail(path, `expected a condition: "always", "never" or {"<kind>": payload} with kind one of ${labels.join(", ")}`);
  const c = CONDITION_CASES.find(([l]) => l === label);
  if (c === undefined) return fail(path, `unknown condition kind \`${label}\` (kinds: ${labels.join(", ")})`);
  const at = `${path}.${label}`;
  if (label === "and-node" || label === "or-node") {
    if (!Array.isArray(payload)) return fail(at, "expected an array of conditions");
    return { tag: label, value: payload.map((x, i) => conditionFromJson(x, `${at}[${i}]`)) };
  }
  if (label === "not-node") return { tag: "not-node", value: conditionFromJson(payload, at) };
  const type = c[1];
  if (type === null) {
    if (payload !== undefined && payload !== null) fail(at, "this kind takes no payload");
    return { tag: label } as Condition;
  }
  if (payload === undefined) return fail(path, `expected {"${label}": payload}`);
  return { tag: label, value: valueFromWitJson(type, payload, { root: at }) } as Condition;
}

/** A rule set from its JSON (see the file header). */
export function ruleSetFromJson(json: unknown): RuleSet {
  const o = fields("$", json, ["id", "strategy", "rules", "default-action", "trace-conditions"]);
  if (!Array.isArray(o.rules)) fail("$.rules", "expected an array of rules");
  for (const k of ["id", "strategy", "default-action"]) if (!(k in o)) fail("$", `missing field \`${k}\``);
  const rules = o.rules.map((r, i): Rule => {
    const at = `$.rules[${i}]`;
    const ro = fields(at, r, ["id", "condition", "action", "priority", "description"]);
    for (const k of ["id", "condition", "action"]) if (!(k in ro)) fail(at, `missing field \`${k}\``);
    return {
      id: valueFromWitJson(T.string, ro.id, { root: `${at}.id` }) as string,
      condition: conditionFromJson(ro.condition, `${at}.condition`),
      action: valueFromWitJson(ruleActionType, ro.action, { root: `${at}.action` }) as Rule["action"],
      priority: ro.priority === undefined ? 0 : valueFromWitJson(T.u32, ro.priority, { root: `${at}.priority` }) as number,
      description: ro.description === undefined ? "" : valueFromWitJson(T.string, ro.description, { root: `${at}.description` }) as string,
    };
  });
  return {
    id: valueFromWitJson(T.string, o.id, { root: "$.id" }) as string,
    strategy: valueFromWitJson(evaluationStrategyType, o.strategy, { root: "$.strategy" }) as RuleSet["strategy"],
    rules,
    "default-action": valueFromWitJson(ruleActionType, o["default-action"], { root: "$.default-action" }) as RuleSet["default-action"],
    "trace-conditions": o["trace-conditions"] === undefined ? false : valueFromWitJson(T.bool, o["trace-conditions"], { root: "$.trace-conditions" }) as boolean,
  };
}

function scalarMapFromJson(json: unknown, path: string): Map<string, ScalarValue> {
  const out = new Map<string, ScalarValue>();
  if (json === undefined) return out;
  if (Array.isArray(json)) {
    json.forEach((e, i) => {
      const eo = fields(`${path}[${i}]`, e, ["key", "value"]);
      out.set(valueFromWitJson(T.string, eo.key, { root: `${path}[${i}].key` }) as string, valueFromWitJson(scalarValueType, eo.value, { root: `${path}[${i}].value` }) as ScalarValue);
    });
  } else if (isObject(json)) {
    for (const k of Object.keys(json)) out.set(k, valueFromWitJson(scalarValueType, json[k], { root: `${path}.${k}` }) as ScalarValue);
  } else fail(path, "expected an object of key: scalar, or a list of {key, value}");
  return out;
}

/** An evaluation context from its JSON (see the file header); `stringify` writes a non-string control value. */
export function contextFromJson(json: unknown, stringify: (v: JsonValue) => string): HostEvalContext {
  const o = fields("$", json, ["payload", "tags", "source-node", "arrival-port", "hop-count", "workflow-id", "execution-metadata"]);
  if (!("payload" in o)) fail("$", "missing field `payload`");
  if (!("workflow-id" in o)) fail("$", "missing field `workflow-id`");
  const p = o.payload;
  let payload: HostEvalContext["payload"];
  if (isObject(p) && Object.keys(p).length === 1 && "control" in p) {
    payload = { tag: "control", value: typeof p.control === "string" ? p.control : stringify(p.control) };
  } else if (isObject(p) && Object.keys(p).length === 1 && "bytes" in p) {
    payload = { tag: "bytes", value: valueFromWitJson(T.list(T.u8), p.bytes, { root: "$.payload.bytes" }) as Uint8Array };
  } else return fail("$.payload", `expected {"control": "<JSON text>" | value} or {"bytes": [0..255, ...]}`);
  const optional = (k: string): string | null => (o[k] === undefined || o[k] === null ? null : valueFromWitJson(T.string, o[k], { root: `$.${k}` }) as string);
  return {
    payload,
    tags: scalarMapFromJson(o.tags, "$.tags"),
    "source-node": optional("source-node"),
    "arrival-port": optional("arrival-port"),
    "hop-count": o["hop-count"] === undefined ? 0 : valueFromWitJson(T.u32, o["hop-count"], { root: "$.hop-count" }) as number,
    "workflow-id": valueFromWitJson(T.string, o["workflow-id"], { root: "$.workflow-id" }) as string,
    "execution-metadata": scalarMapFromJson(o["execution-metadata"], "$.execution-metadata"),
  };
}

/** A decision as WIT-shaped JSON (`matched-rule` null for none). */
export function decisionToJson(d: RuleDecision): JsonValue {
  const value = { ...d, "matched-rule": d["matched-rule"] === null ? { tag: "none" } : { tag: "some", value: d["matched-rule"] } };
  return valueToWitJson(ruleDecisionType, value as unknown as Value);
}
