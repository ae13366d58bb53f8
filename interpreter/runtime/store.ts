/**
 * The Store: fuel (issue 3, fuel.md §6), the cost table, resource limits and cancellation
 * sources shared by the instances created in it. Every instance belongs to one store; instances
 * created without one get their own store with fuel metering off.
 *
 * Fuel is charged by the executor to the store of the *top-level* call (a call that crosses
 * into an instance of another store is still charged to the caller's store).
 *
 * Fuel semantics (fuel.md §6): every executed wasm instruction costs its cost-table entry, every
 * entry into a wasm-defined function costs `functionEntry` (1), bulk operations add their
 * per-unit cost after their bounds check and before any write. An instruction whose cost exceeds
 * the remaining fuel traps `out-of-fuel` before any effect, leaving the fuel unchanged and
 * `required` set; so a call succeeds iff the budget is at least its exact total. After any other
 * trap the count includes exactly the instructions up to and including the trapping one.
 *
 * Where we differ from wasmtime on purpose (totals of successful calls are equal):
 * - wasmtime checks fuel only at function entries, loop headers and bulk ops and may overshoot
 *   (or report 0 after out-of-fuel); we stop at the exact instruction and report what is left;
 * - wasmtime may under-count before a non-fuel trap (issue #13802); we are exact;
 * - instantiation (constant expressions, segments) is free here; only the start function is
 *   charged, as a call (wasmtime ≥ v46 charges init code, platform-dependently);
 * - an out-of-fuel stop is resumable (`callResumable`), a wasmtime OutOfFuel trap is not.
 */
import { describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError, InvalidStateError } from "../errors.js";
import type { CostModel, CostsOption } from "./costs.js";
import { resolveCosts } from "./costs.js";
import type { CancellationOptions } from "./cancellation.js";
import { checkCancellation } from "./cancellation.js";
import type { ResourceLimits } from "./limits.js";
import { resolveLimits } from "./limits.js";

/** Options of `new Store(...)`. */
export interface StoreOptions {
  /**
   * Enables fuel metering with this initial amount (an integer 0..2^53-1). Without it metering is
   * off: nothing runs out, and `fuelConsumed` still counts.
   */
  readonly fuel?: number;
  /** Cost table: `"wasmtime"` (default), `"instructions"` or a custom {@link CostTable}. */
  readonly costs?: CostsOption;
  /** Resource limits; see {@link ResourceLimits} for the defaults. */
  readonly limits?: Partial<ResourceLimits>;
  /** Cancellation sources polled during every call in this store. */
  readonly cancellation?: CancellationOptions;
  /**
   * NaN canonicalisation (default `false`), as wasmtime's `cranelift_nan_canonicalization`: every
   * float arithmetic result that is a NaN (add, sub, mul, div, min, max, sqrt, ceil, floor, trunc,
   * nearest, demote, promote) becomes the canonical NaN (`0x7fc00000` / `0x7ff8000000000000`).
   * The spec lets such results carry any NaN bits, which may differ between engines, JS runtimes
   * and processors; with this on they cannot. Moves, loads, stores, `abs`, `neg`, `copysign` and
   * reinterpretations keep their bits as always (they are exact in every engine).
   */
  readonly canonicalizeNaNs?: boolean;
}

const MAX_FUEL = Number.MAX_SAFE_INTEGER;

function checkFuel(argument: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_FUEL) throw new InvalidArgumentRangeError(argument, `fuel must be an integer in 0..2^53-1, got ${describeValue(n)}`);
  return n;
}

export class Store {
  /** Whether fuel metering is on. */
  readonly metering: boolean;
  /** The resolved cost model. */
  readonly costs: CostModel;
  /** The resolved limits. */
  readonly limits: ResourceLimits;
  /** Cancellation sources for every call in this store (per-call sources are added to these). */
  cancellation: CancellationOptions | undefined;
  /** Whether float arithmetic results are NaN-canonicalised (see {@link StoreOptions.canonicalizeNaNs}). */
  readonly canonicalizeNaNs: boolean;
  /** @internal Remaining fuel (MAX when metering is off); authoritative outside running code. */
  _fuel: number;
  /** @internal */
  _consumed = 0;
  /** @internal Number of instances created in this store. */
  _instances = 0;
  /** @internal Depth of nested (host -> wasm) invocations currently running. */
  _nesting = 0;

  /** @throws InvalidArgumentTypeError / InvalidArgumentRangeError on malformed options. */
  constructor(options: StoreOptions = {}) {
    if (typeof options !== "object" || options === null) throw new InvalidArgumentTypeError("options", `must be an object, got ${describeValue(options)}`);
    this.metering = options.fuel !== undefined;
    this._fuel = this.metering ? checkFuel("options.fuel", options.fuel) : MAX_FUEL;
    if (options.cancellation !== undefined) checkCancellation(options.cancellation, "options.cancellation");
    this.costs = resolveCosts(options.costs);
    this.limits = resolveLimits(options.limits);
    this.cancellation = options.cancellation;
    if (options.canonicalizeNaNs !== undefined && typeof options.canonicalizeNaNs !== "boolean") throw new InvalidArgumentTypeError("options.canonicalizeNaNs", `must be a boolean, got ${describeValue(options.canonicalizeNaNs)}`);
    this.canonicalizeNaNs = options.canonicalizeNaNs === true;
  }

  /** Remaining fuel (`Infinity` when metering is off). */
  getFuel(): number {
    return this.metering ? this._fuel : Infinity;
  }

  /** Replaces the remaining fuel. @throws InvalidStateError (`fuel-metering-off`) when metering is off. */
  setFuel(n: number): void {
    if (!this.metering) throw new InvalidStateError("fuel-metering-off", "fuel metering is off for this store (create it with new Store({ fuel }))");
    this._fuel = checkFuel("fuel", n);
  }

  /** Total fuel charged by calls in this store so far (counted even when metering is off). */
  get fuelConsumed(): number {
    return this._consumed;
  }

  /** @internal Fuel budget a new top-level run starts with. */
  _budget(): number {
    if (!this.metering) this._fuel = MAX_FUEL;
    return this._fuel;
  }

  /** @internal Records the fuel left when running code stops or calls out. */
  _sync(fuel: number): void {
    this._consumed += this._fuel - fuel;
    this._fuel = fuel;
  }
}
