/**
 * The rules world's guest → host rules (Pureflow's `rules.rs` decoding): the lifted result of
 * `rules.evaluate` as a {@link RuleDecision}, with every message of Pureflow's decoder.
 *
 * The generic lifter already guarantees the WIT shape (a bad discriminant or enum value is a
 * Canonical ABI trap), so most checks here cannot fail for a lifted value; they are kept, with
 * Pureflow's wording, for values that reach the decoder by other routes (a foreign lifter, a
 * hand-made value) and are tested directly. What can fail for real guests: `rule-error` results
 * (`guest rule {case}: {message}`) and a routed port id that is not a valid id (`CDT-VAL-001`).
 */
import type { Value } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { validateIdentifier } from "../batch/ids.js";
import type { ConditionSurface, ConditionTrace, RuleAction, RuleDecision, ScalarEntry, ScalarValue } from "./wit-types.js";

type Rec = { readonly [key: string]: Value | undefined };

const SURFACES: ReadonlySet<string> = new Set(["payload", "tag", "provenance", "execution-context", "combinator", "constant"]);
const ERROR_CASES: ReadonlySet<string> = new Set(["malformed-rule-set", "evaluation-failure"]);

function guest(message: string): PureflowError {
  return PureflowError.execution(`guest returned ${message}`);
}

function isRecord(v: Value | undefined): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A `{ tag, value? }` value, or `guest returned non-variant {ctx}`. */
function variant(v: Value | undefined, ctx: string): { tag: string; value: Value | undefined; has: boolean } {
  if (!isRecord(v) || typeof v.tag !== "string") throw guest(`non-variant ${ctx}`);
  return { tag: v.tag, value: v.value, has: "value" in v && v.value !== undefined };
}

function string(v: Value | undefined, ctx: string): string {
  if (typeof v !== "string") throw guest(`non-string ${ctx}`);
  return v;
}

function list(v: Value | undefined, ctx: string): readonly Value[] {
  if (!Array.isArray(v)) throw guest(`non-list ${ctx}`);
  return v as readonly Value[];
}

/** `scalar-value`. */
export function scalarFromValue(v: Value | undefined): ScalarValue {
  const s = variant(v, "scalar value");
  switch (s.tag) {
    case "text": return { tag: "text", value: string(s.value, "scalar text") };
    case "integer":
      if (typeof s.value !== "bigint") throw guest("non-s64 integer scalar");
      return { tag: "integer", value: s.value };
    case "float-value":
      if (typeof s.value !== "number") throw guest("non-f64 float scalar");
      return { tag: "float-value", value: s.value };
    case "boolean":
      if (typeof s.value !== "boolean") throw guest("non-bool boolean scalar");
      return { tag: "boolean", value: s.value };
    case "null-value": return { tag: "null-value" };
    default: throw guest(`unsupported scalar value: ${s.tag}`);
  }
}

function entryFromValue(v: Value | undefined, ctx: string): ScalarEntry {
  if (!isRecord(v)) throw guest(`non-record ${ctx}`);
  return { key: string(v.key, `${ctx} key`), value: scalarFromValue(v.value) };
}

/** `rule-action`; a routed port must be a valid port id (`CDT-VAL-001`). */
export function actionFromValue(v: Value | undefined): RuleAction {
  const a = variant(v, "rule action");
  switch (a.tag) {
    case "route": return { tag: "route", value: validateIdentifier("port id", string(a.value, "route port")) };
    case "drop": return { tag: "drop" };
    case "dead-letter": return { tag: "dead-letter", value: string(a.value, "dead-letter reason") };
    case "tag": return { tag: "tag", value: entryFromValue(a.value, "tag action") };
    case "halt": return { tag: "halt", value: string(a.value, "halt message") };
    default: throw guest(`unsupported rule action: ${a.tag}`);
  }
}

function traceFromValue(v: Value | undefined): ConditionTrace {
  if (!isRecord(v)) throw guest("non-record condition trace");
  const ruleId = string(v["rule-id"], "condition trace rule id");
  if (typeof v.surface !== "string") throw guest("non-enum condition surface");
  if (!SURFACES.has(v.surface)) throw guest(`unknown condition surface: ${v.surface}`);
  if (typeof v.matched !== "boolean") throw guest("non-bool condition trace match");
  return { "rule-id": ruleId, surface: v.surface as ConditionSurface, matched: v.matched };
}

function optionalString(v: Value | undefined, ctx: string): string | null {
  if (!isRecord(v) || (v.tag !== "none" && v.tag !== "some")) throw guest("non-option value");
  return v.tag === "none" ? null : string(v.value, ctx);
}

/** `rule-decision`. */
export function decisionFromValue(v: Value | undefined): RuleDecision {
  if (!isRecord(v)) throw guest("non-record rule decision");
  return {
    action: actionFromValue(v.action),
    "matched-rule": optionalString(v["matched-rule"], "matched rule"),
    "tags-applied": list(v["tags-applied"], "tags applied").map((e) => entryFromValue(e, "applied tag")),
    "conditions-evaluated": list(v["conditions-evaluated"], "conditions evaluated").map(traceFromValue),
  };
}

/**
 * The lifted `result<rule-decision, rule-error>`: the decision, or the guest's error as
 * `CDT-EXEC-001` `guest rule {case}: {message}`.
 */
export function decisionFromEvaluateResult(v: Value | undefined): RuleDecision {
  if (!isRecord(v) || (v.tag !== "ok" && v.tag !== "err")) throw guest("non-result from rules.evaluate");
  if (v.value === undefined) throw guest(v.tag === "ok" ? "empty ok result from rules.evaluate" : "empty error from rules.evaluate");
  if (v.tag === "ok") return decisionFromValue(v.value);
  const e = variant(v.value, "rule error");
  if (!ERROR_CASES.has(e.tag) || typeof e.value !== "string") throw guest(`malformed ${e.tag} rule error`);
  throw PureflowError.execution(`guest rule ${e.tag}: ${e.value}`);
}
