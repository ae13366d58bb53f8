/** Test helpers for the rules world: the built rules guest, small constructors for conditions and scalars. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import type { Condition, HostEvalContext, RuleAction, RuleSet, ScalarValue } from "../../src/index.js";

/** The bytes of `fixtures/<name>/component.wasm`. */
export function componentBytes(name: string): Uint8Array {
  return readFileSync(join(projectRoot, "fixtures", name, "component.wasm"));
}

export const text = (value: string): ScalarValue => ({ tag: "text", value });
export const int = (value: bigint | number): ScalarValue => ({ tag: "integer", value: BigInt(value) });
export const float = (value: number): ScalarValue => ({ tag: "float-value", value });
export const bool = (value: boolean): ScalarValue => ({ tag: "boolean", value });
export const nul: ScalarValue = { tag: "null-value" };

export const route = (port: string): RuleAction => ({ tag: "route", value: port });
export const drop: RuleAction = { tag: "drop" };

/** A context around a control payload given as JSON text. */
export function controlContext(json: string, extra: Partial<HostEvalContext> = {}): HostEvalContext {
  return { payload: { tag: "control", value: json }, "workflow-id": "flow", ...extra };
}

/** A rule set of `[id, condition, action]` rules. */
export function ruleSet(strategy: RuleSet["strategy"], rules: [string, Condition, RuleAction][], defaultAction: RuleAction = drop, trace = false): RuleSet {
  return {
    id: "rules-under-test", strategy, "default-action": defaultAction, "trace-conditions": trace,
    rules: rules.map(([id, condition, action], i) => ({ id, condition, action, priority: i, description: `rule ${id}` })),
  };
}
