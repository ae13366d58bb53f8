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
import { FUEL_WINDOW, resolveCosts } from "./costs.js";
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

/**
 * The first value of a numeric field that must be a double field from the start: -0 is never a
 * small integer, so V8 gives the field its double representation at once (the constructor then
 * stores the real value, +0, which keeps it).
 */
const DOUBLE_FIELD = -0;

function checkFuel(argument: string, n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_FUEL) throw new InvalidArgumentRangeError(argument, `fuel must be an integer in 0..2^53-1, got ${describeValue(n)}`);
  return n;
}

/**
 * Fuel every store of this realm has charged so far, as far as recorded (`_sync`, `_take`): about
 * how long its guests have run (execute/prime.ts reads it). A double field from the start, as the
 * stores' counters (`_sync` runs in the optimised loop at host calls).
 */
const REALM = { consumed: DOUBLE_FIELD };

/** {@link REALM}'s fuel charged so far. */
export function realmFuelConsumed(): number {
  return REALM.consumed;
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
  /**
   * @internal Remaining fuel held by running code, at most {@link FUEL_WINDOW} (always a small
   * integer: the dispatch loop's fuel register is loaded from it); authoritative outside running
   * code. The remaining fuel is `_fuel + _bank`: a budget above the window (metering off is
   * 2^53 - 1) waits in the bank and is moved in when a block or bulk op needs it (`_take`, from
   * execute/fuel.ts and execute/bulk.ts), so the counts are those of one register.
   */
  _fuel: number;
  /**
   * @internal Remaining fuel beyond `_fuel` (MAX in all when metering is off); see {@link FUEL_WINDOW}.
   * This and `_consumed` outgrow a small integer, so both are double fields from the start
   * ({@link DOUBLE_FIELD}): every store has one hidden class. A field that became a double later
   * (a store with a small budget, or after 2^31 units consumed) gave that store another class, and
   * the optimised loop's next host call (`store._sync`) deoptimised it ("wrong map": CoreMark,
   * whose clock import is called after it has run billions of instructions, did in every process).
   */
  _bank = DOUBLE_FIELD;
  /** @internal Fuel charged so far (a double field, see `_bank`). */
  _consumed = DOUBLE_FIELD;
  /** @internal Number of instances created in this store. */
  _instances = 0;
  /** @internal Depth of nested (host -> wasm) invocations currently running. */
  _nesting = 0;

  /** @throws InvalidArgumentTypeError / InvalidArgumentRangeError on malformed options. */
  constructor(options: StoreOptions = {}) {
    if (typeof options !== "object" || options === null) throw new InvalidArgumentTypeError("options", `must be an object, got ${describeValue(options)}`);
    this.metering = options.fuel !== undefined;
    this._fuel = 0;
    this._consumed = 0;
    this._setRemaining(this.metering ? checkFuel("options.fuel", options.fuel) : MAX_FUEL);
    if (options.cancellation !== undefined) checkCancellation(options.cancellation, "options.cancellation");
    this.costs = resolveCosts(options.costs);
    this.limits = resolveLimits(options.limits);
    this.cancellation = options.cancellation;
    if (options.canonicalizeNaNs !== undefined && typeof options.canonicalizeNaNs !== "boolean") throw new InvalidArgumentTypeError("options.canonicalizeNaNs", `must be a boolean, got ${describeValue(options.canonicalizeNaNs)}`);
    this.canonicalizeNaNs = options.canonicalizeNaNs === true;
  }

  /** Remaining fuel (`Infinity` when metering is off). */
  getFuel(): number {
    return this.metering ? this._fuel + this._bank : Infinity;
  }

  /** Replaces the remaining fuel. @throws InvalidStateError (`fuel-metering-off`) when metering is off. */
  setFuel(n: number): void {
    if (!this.metering) throw new InvalidStateError("fuel-metering-off", "fuel metering is off for this store (create it with new Store({ fuel }))");
    this._setRemaining(checkFuel("fuel", n));
  }

  /** Total fuel charged by calls in this store so far (counted even when metering is off). */
  get fuelConsumed(): number {
    return this._consumed;
  }

  /** @internal Records the fuel left when running code stops or calls out. */
  _sync(fuel: number): void {
    REALM.consumed += this._fuel - fuel;
    this._consumed += this._fuel - fuel;
    this._fuel = fuel;
  }

  /**
   * @internal Makes the remaining fuel `n` (held up to {@link FUEL_WINDOW}, the rest banked).
   *
   * What is held is made a small integer (`| 0`, exact below the window): `n` is computed from the
   * bank, a double field, so it is a boxed number even when its value is small, and a boxed number
   * here becomes the dispatch loop's fuel register, which V8's optimised loop takes for a small
   * integer: the loop deoptimised ("not a Smi") at its next entry (bench/README.md).
   */
  _setRemaining(n: number): void {
    const held = n < FUEL_WINDOW ? n | 0 : FUEL_WINDOW;
    this._fuel = held;
    this._bank = n - held;
  }

  /** @internal Moves what running code holds beyond `n` into the bank (the primer feeds the loop's refill path with it). */
  _holdAtMost(n: number): void {
    if (this._fuel > n) {
      this._bank += this._fuel - n;
      this._fuel = n;
    }
  }

  /**
   * @internal Running code that holds `fuel` needs `v`, more than that: when the bank has fuel,
   * records what was used (`_sync`) and, when the remaining fuel covers `v`, charges it and
   * returns the new `_fuel` (moving banked fuel in). Returns -1 when it does not.
   */
  _cover(fuel: number, v: number): number {
    if (this._bank === 0) return -1;
    this._sync(fuel);
    return v <= fuel + this._bank ? this._take(v) : -1;
  }

  /**
   * @internal Charges `v` (at most the remaining fuel, `_fuel + _bank`) to running code that
   * holds the fuel in `_fuel` (call `_sync` first), moving banked fuel in; returns the new `_fuel`.
   */
  _take(v: number): number {
    REALM.consumed += v;
    this._consumed += v;
    this._setRemaining(this._fuel + this._bank - v);
    return this._fuel;
  }

  /**
   * @internal Moves all banked fuel into `_fuel` and returns it: when what is left, bank included,
   * does not cover a block (less than {@link FUEL_WINDOW} then), before its out-of-fuel stop.
   */
  _drain(): number {
    this._fuel = (this._fuel + this._bank) | 0; // (less than FUEL_WINDOW here; a small integer, see _setRemaining)
    this._bank = 0;
    return this._fuel;
  }
}
