/**
 * `canon lower` for a synchronous call (CanonicalABI.md §canon lower): core code calls a
 * component-level function. The caller must be allowed to leave (`may_leave`, T13: not from
 * inside its own `realloc`, `post-return` or while being lowered into); its flat arguments are
 * lifted from its memory (a parameter pointer when there are more than 16, checked: T10); the
 * callee runs (a lifted function of this or another component instance, which checks T14/T15);
 * the result is lowered back, through the caller's out-pointer when it does not fit one value
 * (checked: T10). Any trap poisons the instance tree.
 */
import type { FuncType, Value } from "../types.js";
import { LiftLowerContext, type CanonicalOptions, type ComponentInstanceState, type CoreValue } from "./context.js";
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, param_types, result_type } from "./flatten.js";
import { CoreValueIter, lift_flat_values } from "./lift.js";
import { lower_flat_values } from "./lower.js";
import { trap } from "./traps.js";

/** The component-level function being lowered. */
export type ComponentCallee = (args: readonly Value[]) => Value | undefined;

/** `canon_lower(opts, inst, ft, callee)` called by core code with `flat_args`; returns the flat results. */
export function canon_lower(opts: CanonicalOptions, inst: ComponentInstanceState, ft: FuncType, callee: ComponentCallee, flat_args: readonly CoreValue[]): CoreValue[] {
  if (inst.poisoned !== null) trap("T15", `component instance is poisoned by an earlier trap (${inst.poisoned.message})`);
  if (!inst.may_leave) trap("T13", "cannot leave component instance: it is inside realloc, post-return or a lowering (may_leave is false)");
  try {
    const cx = new LiftLowerContext(opts, inst);
    const vi = new CoreValueIter(flat_args);
    const args = lift_flat_values(cx, MAX_FLAT_PARAMS, vi, param_types(ft));
    const result = callee(args);
    const results = result_type(ft);
    return lower_flat_values(cx, MAX_FLAT_RESULTS, result === undefined ? [] : [result], results, vi);
  } catch (e) {
    if (inst.poisoned === null && e instanceof Error) inst.poisoned = e;
    throw e;
  }
}
