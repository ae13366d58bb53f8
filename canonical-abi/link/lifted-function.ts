/**
 * A component-level function made by `canon lift`: its type, and `call`/`callAsync` that run
 * the Canonical ABI's call sequence (`abi/canon-lift.ts`) over the core callee, `realloc` and
 * `post-return` of one component instance, with an optional lift budget (`maxLiftedBytes`).
 */
import { canon_lift, canon_lift_async, toGuestTrap } from "../abi/canon-lift.js";
import type { CanonicalOptions, ComponentInstanceState, CoreValue, GuestMemory } from "../abi/context.js";
import { LiftBudget } from "../abi/lift-budget.js";
import { AbiTrace } from "../abi/trace.js";
import { argumentError, checkArrayArgument, checkCountArgument, checkFunctionArgument, checkOptionsArgument, checkSignalArgument } from "../arguments.js";
import { ComponentLinkError } from "../errors.js";
import type { FuncType, Value } from "../types.js";
import { guestMemory, type CoreCallAsyncOptions, type CoreEngine } from "./engine.js";
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
  /**
   * Records every Canonical ABI step of this call into the given {@link AbiTrace} (`realloc`
   * calls, values stored and loaded with their addresses, bytes and WIT paths, checks, the flat
   * arguments, the return pointer, `post-return`, the trap). Default: none (no cost).
   */
  readonly trace?: AbiTrace;
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
  if (opts.trace !== undefined && !(opts.trace instanceof AbiTrace)) throw argumentError("options.trace", "an AbiTrace", opts.trace);
  const max = opts.maxLiftedBytes;
  if (max === undefined) return LiftBudget.unlimited();
  return new LiftBudget(checkCountArgument("options.maxLiftedBytes", max, 0, Number.MAX_SAFE_INTEGER, true));
}

/** @internal What a stepped call (`lifted-call.ts`) needs of a lifted function. */
export interface LiftParts {
  readonly engine: CoreEngine;
  readonly state: ComponentInstanceState;
  readonly type: FuncType;
  readonly opts: CanonicalOptions;
  readonly callee: unknown;
}

const liftParts = new WeakMap<ComponentFunction, LiftParts>();

/** @internal The parts of a function made by {@link makeLiftedFunction}, or undefined. */
export function liftPartsOf(f: ComponentFunction): LiftParts | undefined {
  return liftParts.get(f);
}

/** @internal The lift budget of `options` (checked as {@link ComponentFunction.call} does). */
export function liftBudgetOf(options: ComponentCallOptions | undefined): LiftBudget {
  return checkCall([], options);
}

/** The call's trace (checked by `checkCall`), or null. */
function traceOf(options: ComponentCallOptions | undefined): AbiTrace | null {
  return options?.trace ?? null;
}

/** Builds the function of one `canon lift` in one instance. */
export function makeLiftedFunction(
  engine: CoreEngine, store: unknown, state: ComponentInstanceState, type: FuncType, name: string | null,
  callee: unknown, resolved: ResolvedLiftOptions, memory: unknown, realloc: unknown, postReturn: unknown,
): ComponentFunction {
  if (memory !== null && (typeof memory !== "object" || !("buffer" in (memory as object)))) {
    throw new ComponentLinkError("the `memory` canonical option does not refer to a memory with a buffer");
  }
  const guest: GuestMemory | null = memory === null ? null : guestMemory(engine, memory);
  const makeOpts = (signal: AbortSignal | undefined): CanonicalOptions => {
    const callOpts = signal === undefined ? undefined : { signal };
    return {
      memory: guest,
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
  const f: ComponentFunction = {
    type,
    name,
    call(args: readonly Value[], options?: ComponentCallOptions): Value | undefined {
      const budget = checkCall(args, options);
      return canon_lift(opts, state, type, (flat) => engine.call(callee, flat), args, budget, traceOf(options));
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
      return canon_lift_async(makeOpts(o.signal), state, type, (flat) => callAsync.call(engine, callee, flat, o, store), args, budget, traceOf(o));
    },
  };
  liftParts.set(f, { engine, state, type, opts, callee });
  return f;
}
