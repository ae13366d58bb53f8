/**
 * A component-level function made by `canon lift`: its type, and `call`/`callAsync` that run
 * the Canonical ABI's call sequence (`abi/canon-lift.ts`) over the core callee, `realloc` and
 * `post-return` of one component instance, with an optional lift budget (`maxLiftedBytes`).
 */
import { canon_lift, canon_lift_async, toGuestTrap } from "../abi/canon-lift.js";
import type { CanonicalOptions, ComponentInstanceState, CoreValue, GuestMemory } from "../abi/context.js";
import { LiftBudget } from "../abi/lift-budget.js";
import { checkArrayArgument, checkCountArgument, checkFunctionArgument, checkOptionsArgument, checkSignalArgument } from "../arguments.js";
import { ComponentLinkError } from "../errors.js";
import type { FuncType, Value } from "../types.js";
import type { CoreCallAsyncOptions, CoreEngine } from "./engine.js";
import type { ResolvedLiftOptions } from "./plan.js";

/** Options of {@link ComponentFunction.call}. */
export interface ComponentCallOptions {
  /**
   * The most bytes lifting the result may copy out of guest memory (the lift budget,
   * `abi/lift-budget.ts`): a string costs its byte length, a list `length × max(elem_size, 1)`,
   * nested strings and lists counted again. Passing it fails the call with
   * `LiftBudgetExceededError` before the copy that would exceed it. Default: no limit.
   */
  readonly maxLiftedBytes?: number;
}

/** Options of {@link ComponentFunction.callAsync}: the async core call's and the lift budget. */
export interface ComponentCallAsyncOptions extends CoreCallAsyncOptions, ComponentCallOptions {}

/** A callable component function (an export of a component instance). */
export interface ComponentFunction {
  /** The function's component-level type. */
  readonly type: FuncType;
  /** The function's name from the component's name section, when it has one. */
  readonly name: string | null;
  /** Calls the function with host values (see `types.ts` for the representation); returns the result (undefined when none). */
  call(args: readonly Value[], options?: ComponentCallOptions): Value | undefined;
  /**
   * The same through the engine's async (sliced) call for the main core call; `realloc` and
   * `post-return` run synchronously, with `options.signal` as an extra cancellation source.
   */
  callAsync(args: readonly Value[], options?: ComponentCallAsyncOptions): Promise<Value | undefined>;
}

/**
 * Checks a call's arguments at the door (`InvalidArgumentError` naming the argument): `args` an
 * array (its values are checked against the WIT types while lowering: `InvalidHostValueError`),
 * `options` an object whose `maxLiftedBytes` is a non-negative integer or Infinity, `signal` an
 * AbortSignal, `sliceSteps` a positive integer. Returns the call's lift budget.
 */
function checkCall(args: unknown, options: ComponentCallAsyncOptions | undefined): LiftBudget {
  checkArrayArgument("args", args);
  const opts = checkOptionsArgument("options", options);
  checkSignalArgument("options.signal", opts.signal);
  if (opts.sliceSteps !== undefined) checkCountArgument("options.sliceSteps", opts.sliceSteps, 1, 2 ** 31 - 1);
  const max = opts.maxLiftedBytes;
  if (max === undefined) return LiftBudget.unlimited();
  return new LiftBudget(checkCountArgument("options.maxLiftedBytes", max, 0, Number.MAX_SAFE_INTEGER, true));
}

/** Builds the function of one `canon lift` in one instance. */
export function makeLiftedFunction(
  engine: CoreEngine, store: unknown, state: ComponentInstanceState, type: FuncType, name: string | null,
  callee: unknown, resolved: ResolvedLiftOptions, memory: unknown, realloc: unknown, postReturn: unknown,
): ComponentFunction {
  if (memory !== null && (typeof memory !== "object" || !("buffer" in (memory as object)))) {
    throw new ComponentLinkError("the `memory` canonical option does not refer to a memory with a buffer");
  }
  const makeOpts = (signal: AbortSignal | undefined): CanonicalOptions => {
    const callOpts = signal === undefined ? undefined : { signal };
    return {
      memory: memory as GuestMemory | null,
      string_encoding: resolved.encoding,
      realloc: realloc === null ? null : (a: number, b: number, c: number, d: number): number => {
        let r: CoreValue[];
        try {
          r = engine.call(realloc, [a | 0, b | 0, c | 0, d | 0], callOpts);
        } catch (e) {
          throw toGuestTrap(e, "realloc");
        }
        if (typeof r[0] !== "number") throw new ComponentLinkError("realloc did not return an i32");
        return r[0];
      },
      post_return: postReturn === null ? null : (results: readonly CoreValue[]): void => {
        try {
          engine.call(postReturn, results, callOpts);
        } catch (e) {
          throw toGuestTrap(e, "post-return");
        }
      },
    };
  };
  const opts = makeOpts(undefined);
  return {
    type,
    name,
    call(args: readonly Value[], options?: ComponentCallOptions): Value | undefined {
      const budget = checkCall(args, options);
      return canon_lift(opts, state, type, (flat) => engine.call(callee, flat), args, budget);
    },
    callAsync(args: readonly Value[], options?: ComponentCallAsyncOptions): Promise<Value | undefined> {
      const callAsync = engine.callAsync;
      if (callAsync === undefined) return Promise.reject(new ComponentLinkError("this core engine has no async call API"));
      let budget: LiftBudget;
      try {
        budget = checkCall(args, options);
      } catch (e) {
        return Promise.reject(e);
      }
      const o = options ?? {};
      return canon_lift_async(makeOpts(o.signal), state, type, (flat) => callAsync.call(engine, callee, flat, o, store), args, budget);
    },
  };
}
