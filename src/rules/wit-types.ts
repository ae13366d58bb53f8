/**
 * The `pureflow:rules@0.1.0` contract at the ABI layer: the rules world's WIT types as type
 * descriptors (lowered and lifted by the generic Canonical ABI, and checked against a guest's
 * export), and the TypeScript types of their host values.
 *
 * One shape of data: a host value here IS the generic Canonical ABI value of the WIT type
 * (records keyed by their kebab-case WIT field names, variants `{ tag, value? }`, enums strings,
 * `s64` bigint), so nothing is converted field by field. The only world-specific conversions
 * are in `encode.ts` (a condition tree as an arena, tags sorted by key) and `decode.ts`.
 *
 * WIT (`wit/pureflow-rules.wit`, interface `rules`, world `pureflow-rules-node { export rules; }`):
 * `evaluate: func(rule-set: rule-set, context: eval-context) -> result<rule-decision, rule-error>`.
 */
import { T, type EnumType, type FuncType, type RecordType, type ValType, type VariantType } from "../../canonical-abi/index.js";

/** The package of the WIT contract. */
export const RULES_WIT_PACKAGE = "pureflow:rules@0.1.0";
/** The world a rules guest implements. */
export const RULES_WIT_WORLD = "pureflow-rules-node";
/** The exported interface instance, as a component export name. */
export const RULES_INTERFACE_EXPORT = "pureflow:rules/rules@0.1.0";
/** The function inside it. */
export const RULES_EVALUATE_EXPORT = "evaluate";

/** `variant scalar-value { text(string), integer(s64), float-value(f64), boolean(bool), null-value }` */
export const scalarValueType: VariantType = T.variant([
  ["text", T.string], ["integer", T.s64], ["float-value", T.f64], ["boolean", T.bool], ["null-value", null],
], "scalar-value");
/** `record scalar-entry { key: string, value: scalar-value }` */
export const scalarEntryType: RecordType = T.record([["key", T.string], ["value", scalarValueType]], "scalar-entry");
/** `record field-predicate { path: string, value: scalar-value }` */
export const fieldPredicateType: RecordType = T.record([["path", T.string], ["value", scalarValueType]], "field-predicate");
/** `record field-in-predicate { path: string, values: list<scalar-value> }` */
export const fieldInPredicateType: RecordType = T.record([["path", T.string], ["values", T.list(scalarValueType)]], "field-in-predicate");
/** `record field-match-predicate { path: string, pattern: string }` */
export const fieldMatchPredicateType: RecordType = T.record([["path", T.string], ["pattern", T.string]], "field-match-predicate");

/** The 24 cases of `condition-node`, in WIT order, with their payload types. */
export const CONDITION_CASES: readonly (readonly [string, ValType | null])[] = [
  ["field-eq", fieldPredicateType], ["field-neq", fieldPredicateType], ["field-gt", fieldPredicateType],
  ["field-lt", fieldPredicateType], ["field-gte", fieldPredicateType], ["field-lte", fieldPredicateType],
  ["field-in", fieldInPredicateType], ["field-exists", T.string], ["field-absent", T.string],
  ["field-matches", fieldMatchPredicateType],
  ["tag-eq", scalarEntryType], ["tag-exists", T.string], ["tag-absent", T.string],
  ["source-node", T.string], ["arrived-on-port", T.string], ["hop-count-gt", T.u32], ["hop-count-lte", T.u32],
  ["workflow-is", T.string], ["execution-metadata-eq", scalarEntryType],
  ["and-node", T.list(T.u32)], ["or-node", T.list(T.u32)], ["not-node", T.u32],
  ["always", null], ["never", null],
];
/** `variant condition-node { ... }` (24 cases; combinators reference children by arena index). */
export const conditionNodeType: VariantType = T.variant(CONDITION_CASES, "condition-node");
/** `record condition-tree { nodes: list<condition-node>, root: u32 }` */
export const conditionTreeType: RecordType = T.record([["nodes", T.list(conditionNodeType)], ["root", T.u32]], "condition-tree");
/** `variant rule-action { route(string), drop, dead-letter(string), tag(scalar-entry), halt(string) }` */
export const ruleActionType: VariantType = T.variant([
  ["route", T.string], ["drop", null], ["dead-letter", T.string], ["tag", scalarEntryType], ["halt", T.string],
], "rule-action");
/** `enum evaluation-strategy { first-match, all-matches, score }` */
export const evaluationStrategyType: EnumType = T.enum(["first-match", "all-matches", "score"], "evaluation-strategy");
/** `record rule { id: string, condition: condition-tree, action: rule-action, priority: u32, description: string }` */
export const ruleType: RecordType = T.record([
  ["id", T.string], ["condition", conditionTreeType], ["action", ruleActionType], ["priority", T.u32], ["description", T.string],
], "rule");
/** `record rule-set { id, strategy, rules: list<rule>, default-action, trace-conditions: bool }` */
export const ruleSetType: RecordType = T.record([
  ["id", T.string], ["strategy", evaluationStrategyType], ["rules", T.list(ruleType)],
  ["default-action", ruleActionType], ["trace-conditions", T.bool],
], "rule-set");
/** `variant packet-payload { bytes(list<u8>), control(string) }` */
export const packetPayloadType: VariantType = T.variant([["bytes", T.list(T.u8)], ["control", T.string]], "packet-payload");
/** `record eval-context { payload, tags, source-node, arrival-port, hop-count, workflow-id, execution-metadata }` */
export const evalContextType: RecordType = T.record([
  ["payload", packetPayloadType], ["tags", T.list(scalarEntryType)], ["source-node", T.option(T.string)],
  ["arrival-port", T.option(T.string)], ["hop-count", T.u32], ["workflow-id", T.string],
  ["execution-metadata", T.list(scalarEntryType)],
], "eval-context");
/** `enum condition-surface { payload, tag, provenance, execution-context, combinator, constant }` */
export const conditionSurfaceType: EnumType = T.enum(["payload", "tag", "provenance", "execution-context", "combinator", "constant"], "condition-surface");
/** `record condition-trace { rule-id: string, surface: condition-surface, matched: bool }` */
export const conditionTraceType: RecordType = T.record([["rule-id", T.string], ["surface", conditionSurfaceType], ["matched", T.bool]], "condition-trace");
/** `record rule-decision { action, matched-rule: option<string>, tags-applied, conditions-evaluated }` */
export const ruleDecisionType: RecordType = T.record([
  ["action", ruleActionType], ["matched-rule", T.option(T.string)], ["tags-applied", T.list(scalarEntryType)],
  ["conditions-evaluated", T.list(conditionTraceType)],
], "rule-decision");
/** `variant rule-error { malformed-rule-set(string), evaluation-failure(string) }` */
export const ruleErrorType: VariantType = T.variant([["malformed-rule-set", T.string], ["evaluation-failure", T.string]], "rule-error");
/** `evaluate: func(rule-set: rule-set, context: eval-context) -> result<rule-decision, rule-error>` */
export const evaluateType: FuncType = T.func([["rule-set", ruleSetType], ["context", evalContextType]], T.result(ruleDecisionType, ruleErrorType));

// ---- host values (the generic Canonical ABI values of the types above) ----

/** `scalar-value`. */
export type ScalarValue =
  | { tag: "text"; value: string }
  | { tag: "integer"; value: bigint }
  | { tag: "float-value"; value: number }
  | { tag: "boolean"; value: boolean }
  | { tag: "null-value" };
/** `scalar-entry`. */
export interface ScalarEntry { key: string; value: ScalarValue }
/** `field-predicate`. */
export interface FieldPredicate { path: string; value: ScalarValue }
/** `field-in-predicate`. */
export interface FieldInPredicate { path: string; values: ScalarValue[] }
/** `field-match-predicate`. */
export interface FieldMatchPredicate { path: string; pattern: string }
/** The labels of the `field-predicate` cases. */
export type FieldComparison = "field-eq" | "field-neq" | "field-gt" | "field-lt" | "field-gte" | "field-lte";

/** A leaf of a condition: every `condition-node` case except the three combinators. */
export type LeafCondition =
  | { tag: FieldComparison; value: FieldPredicate }
  | { tag: "field-in"; value: FieldInPredicate }
  | { tag: "field-exists" | "field-absent"; value: string }
  | { tag: "field-matches"; value: FieldMatchPredicate }
  | { tag: "tag-eq" | "execution-metadata-eq"; value: ScalarEntry }
  | { tag: "tag-exists" | "tag-absent" | "source-node" | "arrived-on-port" | "workflow-is"; value: string }
  | { tag: "hop-count-gt" | "hop-count-lte"; value: number }
  | { tag: "always" | "never" };

/**
 * A condition as the host writes it: a tree (Pureflow's recursive `Condition`). The combinators
 * hold their children; `encode.ts` flattens the tree into the WIT's arena.
 */
export type Condition =
  | LeafCondition
  | { tag: "and-node" | "or-node"; value: Condition[] }
  | { tag: "not-node"; value: Condition };

/** `condition-node` as it travels: combinators hold arena indices. */
export type ConditionNode =
  | LeafCondition
  | { tag: "and-node" | "or-node"; value: number[] }
  | { tag: "not-node"; value: number };
/** `condition-tree`. */
export interface ConditionTree { nodes: ConditionNode[]; root: number }
/** `rule-action`. */
export type RuleAction =
  | { tag: "route" | "dead-letter" | "halt"; value: string }
  | { tag: "drop" }
  | { tag: "tag"; value: ScalarEntry };
/** `evaluation-strategy`. */
export type EvaluationStrategy = "first-match" | "all-matches" | "score";
/** A rule as the host writes it (its condition a tree). */
export interface Rule { id: string; condition: Condition; action: RuleAction; priority: number; description: string }
/** A rule set as the host writes it. */
export interface RuleSet {
  id: string;
  strategy: EvaluationStrategy;
  rules: Rule[];
  "default-action": RuleAction;
  "trace-conditions": boolean;
}
/** `condition-surface`. */
export type ConditionSurface = "payload" | "tag" | "provenance" | "execution-context" | "combinator" | "constant";
/** `condition-trace`. */
export interface ConditionTrace { "rule-id": string; surface: ConditionSurface; matched: boolean }
/** `rule-decision` as the host reads it (`matched-rule`: the id, or null for `none`). */
export interface RuleDecision {
  action: RuleAction;
  "matched-rule": string | null;
  "tags-applied": ScalarEntry[];
  "conditions-evaluated": ConditionTrace[];
}
