/**
 * A native TypeScript evaluator of the rules world's semantics (contract §4b), the counterpart
 * of Pureflow's native `pureflow_rules` evaluator that its conformance tests compare the WASM
 * guest with. It works on the host's own shapes (a condition is a tree, tags are a map), not on
 * the WIT arena, so comparing it with a guest also checks the host codec.
 *
 * - the control payload is read as serde_json reads it (`parseSerdeValue`); bytes or invalid
 *   JSON make every payload-surface condition false;
 * - paths split on `.`, object keys only; eq/neq/in: text = string, integer = `as_i64`, float =
 *   `as_f64`, bool, null; `field-neq` is false for a missing field; gt/lt/gte/lte on `as_f64`
 *   against an integer or float scalar; exists (null counts) / absent (missing or null);
 *   `field-matches`: glob with `*` and `?` over Unicode scalar values;
 * - tags / execution metadata: the entry with the key (maps hold one per key), strict equality;
 * - provenance, workflow, combinators, constants as the WIT comments say;
 * - strategies and traces as `rules-guest/guest.c` (first-match, all-matches, score).
 */
import { controlPayloadText, parseSerdeValue, SerdeNumber, type JsonValue, type SerdeValue } from "../batch/control-json.js";
import { PureflowError } from "../errors.js";
import { sortedEntries, type HostEvalContext } from "./encode.js";
import type { Condition, ConditionSurface, ConditionTrace, RuleDecision, RuleSet, ScalarEntry, ScalarValue } from "./wit-types.js";

interface Env {
  json: SerdeValue | undefined;
  tags: Map<string, ScalarValue>;
  meta: Map<string, ScalarValue>;
  source: string | null;
  port: string | null;
  hop: number;
  workflow: string;
}

function isObject(v: SerdeValue): v is { [key: string]: SerdeValue } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof SerdeNumber);
}

function lookup(root: SerdeValue, path: string): SerdeValue | undefined {
  let cur: SerdeValue = root;
  for (const seg of path.split(".")) {
    if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur;
}

function eqJson(j: SerdeValue, s: ScalarValue): boolean {
  switch (s.tag) {
    case "text": return typeof j === "string" && j === s.value;
    case "integer": return j instanceof SerdeNumber && j.asI64() === s.value;
    case "float-value": return j instanceof SerdeNumber && j.asF64() === s.value;
    case "boolean": return j === s.value;
    case "null-value": return j === null;
  }
}

/** Strict scalar equality (same case and value; floats with `==`). */
export function scalarEquals(a: ScalarValue, b: ScalarValue): boolean {
  if (a.tag !== b.tag) return false;
  return a.tag === "null-value" || (a as { value: unknown }).value === (b as { value: unknown }).value;
}

function compare(j: SerdeValue, s: ScalarValue, op: string): boolean {
  if (!(j instanceof SerdeNumber)) return false;
  const x = j.asF64();
  let y: number;
  if (s.tag === "integer") y = Number(s.value);
  else if (s.tag === "float-value") y = s.value;
  else return false;
  return op === "field-gt" ? x > y : op === "field-lt" ? x < y : op === "field-gte" ? x >= y : x <= y;
}

/** Glob: `*` any run, `?` one Unicode scalar value, anything else itself. */
export function globMatch(pattern: string, text: string): boolean {
  const p = Array.from(pattern);
  const t = Array.from(text);
  let pi = 0, ti = 0, star = -1, mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === "?" || (p[pi] !== "*" && p[pi] === t[ti]))) { pi++; ti++; }
    else if (pi < p.length && p[pi] === "*") { star = pi++; mark = ti; }
    else if (star >= 0) { pi = star + 1; ti = ++mark; }
    else return false;
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

function evalCondition(c: Condition, env: Env): boolean {
  switch (c.tag) {
    case "field-eq": case "field-neq": case "field-gt": case "field-lt": case "field-gte": case "field-lte": {
      if (env.json === undefined) return false;
      const f = lookup(env.json, c.value.path);
      if (f === undefined) return false;
      if (c.tag === "field-eq") return eqJson(f, c.value.value);
      if (c.tag === "field-neq") return !eqJson(f, c.value.value);
      return compare(f, c.value.value, c.tag);
    }
    case "field-in": {
      if (env.json === undefined) return false;
      const f = lookup(env.json, c.value.path);
      return f !== undefined && c.value.values.some((s) => eqJson(f, s));
    }
    case "field-exists": return env.json !== undefined && lookup(env.json, c.value) !== undefined;
    case "field-absent": {
      if (env.json === undefined) return false;
      const f = lookup(env.json, c.value);
      return f === undefined || f === null;
    }
    case "field-matches": {
      if (env.json === undefined) return false;
      const f = lookup(env.json, c.value.path);
      return typeof f === "string" && globMatch(c.value.pattern, f);
    }
    case "tag-eq": case "execution-metadata-eq": {
      const v = (c.tag === "tag-eq" ? env.tags : env.meta).get(c.value.key);
      return v !== undefined && scalarEquals(v, c.value.value);
    }
    case "tag-exists": return env.tags.has(c.value);
    case "tag-absent": return !env.tags.has(c.value);
    case "source-node": return env.source === c.value;
    case "arrived-on-port": return env.port === c.value;
    case "hop-count-gt": return env.hop > c.value;
    case "hop-count-lte": return env.hop <= c.value;
    case "workflow-is": return env.workflow === c.value;
    case "and-node": return c.value.every((x) => evalCondition(x, env));
    case "or-node": return c.value.some((x) => evalCondition(x, env));
    case "not-node": return !evalCondition(c.value, env);
    case "always": return true;
    case "never": return false;
  }
}

/** The surface a condition draws from (the root's, for a trace). */
export function conditionSurface(c: Condition): ConditionSurface {
  if (c.tag.startsWith("field-")) return "payload";
  if (c.tag.startsWith("tag-")) return "tag";
  if (c.tag === "source-node" || c.tag === "arrived-on-port" || c.tag.startsWith("hop-count-")) return "provenance";
  if (c.tag === "workflow-is" || c.tag === "execution-metadata-eq") return "execution-context";
  if (c.tag === "and-node" || c.tag === "or-node" || c.tag === "not-node") return "combinator";
  return "constant";
}

function payloadJson(payload: HostEvalContext["payload"]): SerdeValue | undefined {
  const p = payload as { kind?: string; tag?: string; value?: unknown };
  let text: string;
  if (p.tag === "control") text = p.value as string;
  else if (p.kind === "control") text = controlPayloadText(p as { value: JsonValue; json?: string });
  else if (p.kind === "bytes" || p.tag === "bytes") return undefined;
  else throw PureflowError.execution("payload is not supported by the rules WIT ABI 0.1.0");
  try {
    return parseSerdeValue(text);
  } catch {
    return undefined;
  }
}

function mapOf(entries: readonly unknown[]): Map<string, ScalarValue> {
  return new Map((entries as ScalarEntry[]).map((e) => [e.key, e.value]));
}

/** Evaluates `ruleSet` against `context` natively, deciding as a conforming guest does. */
export function evaluateNative(ruleSet: RuleSet, context: HostEvalContext): RuleDecision {
  const env: Env = {
    json: payloadJson(context.payload),
    tags: mapOf(sortedEntries(context.tags, "tags")),
    meta: mapOf(sortedEntries(context["execution-metadata"], "execution metadata")),
    source: context["source-node"] ?? null,
    port: context["arrival-port"] ?? null,
    hop: context["hop-count"] ?? 0,
    workflow: context["workflow-id"],
  };
  const tags: ScalarEntry[] = [];
  const traces: ConditionTrace[] = [];
  let terminal: RuleSet["rules"][number] | undefined;
  for (const rule of ruleSet.rules) {
    const matched = evalCondition(rule.condition, env);
    if (ruleSet["trace-conditions"]) traces.push({ "rule-id": rule.id, surface: conditionSurface(rule.condition), matched });
    if (!matched) continue;
    if (rule.action.tag === "tag") { tags.push(rule.action.value); continue; }
    if (ruleSet.strategy === "all-matches" || terminal !== undefined) continue;
    terminal = rule;
    if (ruleSet.strategy === "first-match") break;
  }
  return {
    action: terminal === undefined ? ruleSet["default-action"] : terminal.action,
    "matched-rule": terminal === undefined ? null : terminal.id,
    "tags-applied": tags,
    "conditions-evaluated": traces,
  };
}
