/**
 * `canon lift` for a synchronous call from the host (CanonicalABI.md §canon lift):
 *
 * 1. entry checks: the instance is not poisoned by an earlier trap (T15) and not already on the
 *    call stack (`may_enter`, T14);
 * 2. `lower_flat_values` the arguments (may call `realloc`);
 * 3. call the core function (a core trap is a component trap, T15);
 * 4. `lift_flat_values` the results (checks T1–T10 on the way; values are copied out, each
 *    string and list charged to the caller's {@link LiftBudget} before it is copied);
 * 5. call `post-return` with the same core results, `may_leave` false.
 *
 * Any trap poisons the instance: later calls are refused with T15. So does a lift stopped by the
 * budget (`LiftBudgetExceededError`): `post-return` did not run. A host value that does not fit
 * its type (`InvalidHostValueError`) is the caller's mistake and does not poison.
 */
import { ComponentError, GuestTrap, InvalidHostValueError } from "../errors.js";
import type { FuncType, Value } from "../types.js";
import { ComponentInstanceState, LiftLowerContext, type CanonicalOptions, type CoreValue } from "./context.js";
import { LiftBudget } from "./lift-budget.js";
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, param_types, result_type } from "./flatten.js";
import { CoreValueIter, lift_flat_values } from "./lift.js";
import { lower_flat_values } from "./lower.js";
import { trap } from "./traps.js";

/** The core function a `canon lift` wraps, called synchronously. */
export type CoreCallee = (args: readonly CoreValue[]) => readonly CoreValue[];
/** The core function a `canon lift` wraps, called through a resumable/async API. */
export type AsyncCoreCallee = (args: readonly CoreValue[]) => Promise<readonly CoreValue[]>;

/** Turns anything thrown by guest code into a {@link GuestTrap} (component errors pass through). */
export function toGuestTrap(e: unknown, during: "callee" | "realloc" | "post-return" | "start"): ComponentError {
  if (e instanceof ComponentError) return e;
  // a component error thrown by a lowered function (host import) and carried through the core engine
  const cause = typeof e === "object" && e !== null ? (e as { cause?: unknown }).cause : undefined;
  if (cause instanceof ComponentError) return cause;
  const code = typeof e === "object" && e !== null && typeof (e as { trap?: unknown }).trap === "string" ? (e as { trap: string }).trap : "unknown";
  return new GuestTrap(code, during, e);
}

function enter(inst: ComponentInstanceState): void {
  if (inst.poisoned !== null) trap("T15", `component instance is poisoned by an earlier trap (${inst.poisoned.message}); it may not be entered again`);
  if (!inst.may_enter) trap("T14", "cannot enter component instance: it is already on the call stack (reentrance)");
  inst.may_enter = false;
}

function fail(inst: ComponentInstanceState, e: unknown, during: "callee" | "realloc" | "post-return" | "start"): never {
  const err = toGuestTrap(e, during);
  if (!(err instanceof InvalidHostValueError) && inst.poisoned === null) inst.poisoned = err;
  throw err;
}

function finish(cx: LiftLowerContext, ft: FuncType, flat_results: readonly CoreValue[]): Value | undefined {
  const results = lift_flat_values(cx, MAX_FLAT_RESULTS, new CoreValueIter(flat_results), result_type(ft));
  const post_return = cx.opts.post_return;
  if (post_return !== null) {
    cx.inst.may_leave = false;
    try {
      post_return(flat_results);
    } catch (e) {
      throw toGuestTrap(e, "post-return");
    } finally {
      cx.inst.may_leave = true;
    }
  }
  return results.length === 0 ? undefined : results[0];
}

/**
 * `canon_lift(opts, inst, ft, callee)` called by the host with `args`; returns the result value
 * (undefined when none). `budget` bounds what lifting the result may copy out (default: none).
 */
export function canon_lift(opts: CanonicalOptions, inst: ComponentInstanceState, ft: FuncType, callee: CoreCallee, args: readonly Value[], budget: LiftBudget = LiftBudget.unlimited()): Value | undefined {
  enter(inst);
  let during: "callee" | "realloc" | "post-return" | "start" = "realloc";
  try {
    const cx = new LiftLowerContext(opts, inst, budget);
    const flat_args = lower_flat_values(cx, MAX_FLAT_PARAMS, args, param_types(ft));
    during = "callee";
    const flat_results = callee(flat_args);
    return finish(cx, ft, flat_results);
  } catch (e) {
    return fail(inst, e, during);
  } finally {
    inst.may_enter = true;
  }
}

/** The same call sequence with the main core call made through an async (sliced) API. */
export async function canon_lift_async(opts: CanonicalOptions, inst: ComponentInstanceState, ft: FuncType, callee: AsyncCoreCallee, args: readonly Value[], budget: LiftBudget = LiftBudget.unlimited()): Promise<Value | undefined> {
  enter(inst);
  let during: "callee" | "realloc" | "post-return" | "start" = "realloc";
  try {
    const cx = new LiftLowerContext(opts, inst, budget);
    const flat_args = lower_flat_values(cx, MAX_FLAT_PARAMS, args, param_types(ft));
    during = "callee";
    const flat_results = await callee(flat_args);
    return finish(cx, ft, flat_results);
  } catch (e) {
    return fail(inst, e, during);
  } finally {
    inst.may_enter = true;
  }
}
