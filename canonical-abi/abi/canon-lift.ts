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
 * With a trace (`trace.ts`) every step is recorded, a trap with the path where it fired.
 *
 * Any trap poisons the instance: later calls are refused with T15. So does a lift stopped by the
 * budget (`LiftBudgetExceededError`): `post-return` did not run. A host value that does not fit
 * its type (`InvalidHostValueError`) is the caller's mistake and does not poison.
 */
import { ComponentError, GuestTrap, InvalidHostValueError } from "../errors.js";
import type { FuncType, Value } from "../types.js";
import { ComponentInstanceState, LiftLowerContext, type CanonicalOptions, type CoreValue } from "./context.js";
import { LiftBudget } from "./lift-budget.js";
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype, param_types, result_type } from "./flatten.js";
import { CoreValueIter, lift_flat_values } from "./lift.js";
import { lower_flat_values } from "./lower.js";
import { trap } from "./traps.js";
import type { AbiTrace } from "./trace.js";

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
  const tr = cx.trace;
  if (tr !== null) tr.lifted(cx);
  const post_return = cx.opts.post_return;
  if (post_return !== null) {
    cx.inst.may_leave = false;
    const before = tr === null ? null : tr.fuelNow();
    try {
      post_return(flat_results);
    } catch (e) {
      throw toGuestTrap(e, "post-return");
    } finally {
      cx.inst.may_leave = true;
    }
    if (tr !== null) tr.postReturn(fuelSince(tr, before));
  }
  if (tr !== null) tr.end(tr.fuelNow());
  return results.length === 0 ? undefined : results[0];
}

/** Fuel consumed since `before` (null without a fuel source). */
function fuelSince(tr: AbiTrace, before: number | null): number | null {
  const now = tr.fuelNow();
  return now === null || before === null ? null : now - before;
}

/** Traced calls: lowering is done, the flat arguments are recorded (`trace.ts`). */
function traceLowered(cx: LiftLowerContext, ft: FuncType, flat_args: readonly CoreValue[]): number | null {
  const tr = cx.trace as AbiTrace;
  tr.flatArgs(cx, flat_args, flatten_functype(ft, "lift").params);
  return tr.fuelNow();
}

/** Traced calls: the core function returned. */
function traceCalled(cx: LiftLowerContext, ft: FuncType, flat_results: readonly CoreValue[], before: number | null): void {
  const tr = cx.trace as AbiTrace;
  tr.coreReturned(flat_results, flatten_functype(ft, "lift").results, fuelSince(tr, before));
}

/**
 * `canon_lift(opts, inst, ft, callee)` called by the host with `args`; returns the result value
 * (undefined when none). `budget` bounds what lifting the result may copy out (default: none).
 */
export function canon_lift(opts: CanonicalOptions, inst: ComponentInstanceState, ft: FuncType, callee: CoreCallee, args: readonly Value[], budget: LiftBudget = LiftBudget.unlimited(), trace: AbiTrace | null = null): Value | undefined {
  enter(inst);
  let during: "callee" | "realloc" | "post-return" | "start" = "realloc";
  const cx = new LiftLowerContext(opts, inst, budget, trace);
  try {
    if (trace !== null) trace.begin(ft);
    const flat_args = lower_flat_values(cx, MAX_FLAT_PARAMS, args, param_types(ft));
    const before = trace === null ? null : traceLowered(cx, ft, flat_args);
    during = "callee";
    const flat_results = callee(flat_args);
    if (trace !== null) traceCalled(cx, ft, flat_results, before);
    return finish(cx, ft, flat_results);
  } catch (e) {
    if (trace !== null) trace.trapped(cx, toGuestTrap(e, during));
    return fail(inst, e, during);
  } finally {
    inst.may_enter = true;
  }
}

/** The same call sequence with the main core call made through an async (sliced) API. */
export async function canon_lift_async(opts: CanonicalOptions, inst: ComponentInstanceState, ft: FuncType, callee: AsyncCoreCallee, args: readonly Value[], budget: LiftBudget = LiftBudget.unlimited(), trace: AbiTrace | null = null): Promise<Value | undefined> {
  enter(inst);
  let during: "callee" | "realloc" | "post-return" | "start" = "realloc";
  const cx = new LiftLowerContext(opts, inst, budget, trace);
  try {
    if (trace !== null) trace.begin(ft);
    const flat_args = lower_flat_values(cx, MAX_FLAT_PARAMS, args, param_types(ft));
    const before = trace === null ? null : traceLowered(cx, ft, flat_args);
    during = "callee";
    const flat_results = await callee(flat_args);
    if (trace !== null) traceCalled(cx, ft, flat_results, before);
    return finish(cx, ft, flat_results);
  } catch (e) {
    if (trace !== null) trace.trapped(cx, toGuestTrap(e, during));
    return fail(inst, e, during);
  } finally {
    inst.may_enter = true;
  }
}

/**
 * A `canon lift` call the host runs in steps (execution snapshots, `link/lifted-call.ts`): the
 * same sequence as {@link canon_lift}, cut where the core call runs, so the core call can stop
 * out of fuel, be captured, and be finished — in another store or process — by
 * {@link canon_lift_end}. Steps 1–2 (entry checks, lowering); the instance stays entered.
 * @returns the context the lift will use and the flat arguments of the core call
 */
export function canon_lift_begin(opts: CanonicalOptions, inst: ComponentInstanceState, ft: FuncType, args: readonly Value[], budget: LiftBudget): { cx: LiftLowerContext; flat_args: readonly CoreValue[] } {
  enter(inst);
  try {
    const cx = new LiftLowerContext(opts, inst, budget);
    return { cx, flat_args: lower_flat_values(cx, MAX_FLAT_PARAMS, args, param_types(ft)) };
  } catch (e) {
    inst.may_enter = true;
    return fail(inst, e, "realloc");
  }
}

/**
 * Re-enters `inst` for a call restored from an execution snapshot: the instance is on the call
 * stack again (`may_enter` false) with the context the lift will use.
 */
export function canon_lift_reenter(opts: CanonicalOptions, inst: ComponentInstanceState, budget: LiftBudget): LiftLowerContext {
  enter(inst);
  return new LiftLowerContext(opts, inst, budget);
}

/** The core call of a stepped `canon lift` failed (step 3): poisons the instance and leaves it. */
export function canon_lift_fail(inst: ComponentInstanceState, e: unknown): never {
  inst.may_enter = true;
  return fail(inst, e, "callee");
}

/** Steps 4–5 of a stepped `canon lift`: lift the results, `post-return`, leave the instance. */
export function canon_lift_end(cx: LiftLowerContext, ft: FuncType, flat_results: readonly CoreValue[]): Value | undefined {
  try {
    return finish(cx, ft, flat_results);
  } catch (e) {
    return fail(cx.inst, e, "callee");
  } finally {
    cx.inst.may_enter = true;
  }
}
