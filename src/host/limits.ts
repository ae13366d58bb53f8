/**
 * `ExecutionLimits`: the per-invocation budget of a {@link BatchComponent} (Pureflow's
 * `WasmtimeExecutionLimits`, plus the memory and output limits Pureflow lacks). Immutable;
 * the `with...` builders return a new value.
 *
 * | limit | default | meaning |
 * |---|---|---|
 * | `fuel` | 100,000,000 (`DEFAULT_GUEST_FUEL`) | guest instructions per invocation, wasmtime's cost table |
 * | `cancellationCheckInterval` | 10,000 | steps between polls of the cancellation token |
 * | `maxMemoryPages` | 4,096 (256 MiB) | largest linear memory, in 64 KiB pages; `memory.grow` beyond it returns -1 |
 * | `maxOutputBytes` | 64 MiB | total bytes the host may lift out of one result, counted while lifting (below) |
 *
 * The output size is counted by the Canonical ABI's lift budget (`canonical-abi/abi/lift-budget.ts`)
 * as the result is lifted, and the call fails before the copy that would exceed it: a string costs
 * its byte length, a list `length × max(element size, 1)` bytes of element storage (a
 * `port-batch` is 16 bytes, a `packet` 76), nested strings and lists counted again.
 */
import { argumentError, checkIntegerArgument } from "../arguments.js";

/** Pureflow's default fuel per invocation. */
export const DEFAULT_GUEST_FUEL = 100_000_000;
/** Default steps between cancellation polls. */
export const DEFAULT_CANCELLATION_CHECK_INTERVAL = 10_000;
/** Default memory limit in 64 KiB pages (256 MiB). */
export const DEFAULT_MAX_MEMORY_PAGES = 4096;
/** Default output-size limit in bytes (64 MiB). */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Limits applied to every invocation. */
export class ExecutionLimits {
  /** Fuel per invocation (a fresh budget for each call). */
  readonly fuel: number;
  /** Steps between polls of the cancellation token (bounded cancellation latency). */
  readonly cancellationCheckInterval: number;
  /** Largest linear memory in 64 KiB pages. */
  readonly maxMemoryPages: number;
  /** Largest total size of the strings and lists lifted from one result, in bytes (see the cost model above). */
  readonly maxOutputBytes: number;
  /**
   * NaN canonicalisation of float arithmetic results (default `false`; wasmtime's
   * `cranelift_nan_canonicalization`): makes float results identical on every JS runtime and
   * processor, and to any other engine that canonicalises (see docs/determinism.md).
   */
  readonly canonicalizeNaNs: boolean;

  /**
   * @param fuel fuel per invocation (default {@link DEFAULT_GUEST_FUEL}); 0 makes every call fail.
   * @throws PureflowError (`CDT-EXEC-001`, `invalid argument \`fuel\`: ...`) when a value is not
   * an integer in its range (fuel and output size 0..2^53-1, check interval 1..2^31-1, pages 0..65536).
   */
  constructor(fuel: number = DEFAULT_GUEST_FUEL, cancellationCheckInterval = DEFAULT_CANCELLATION_CHECK_INTERVAL,
    maxMemoryPages = DEFAULT_MAX_MEMORY_PAGES, maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES, canonicalizeNaNs = false) {
    this.fuel = checkIntegerArgument("fuel", fuel, 0, Number.MAX_SAFE_INTEGER);
    this.cancellationCheckInterval = checkIntegerArgument("cancellationCheckInterval", cancellationCheckInterval, 1, 2 ** 31 - 1);
    this.maxMemoryPages = checkIntegerArgument("maxMemoryPages", maxMemoryPages, 0, 65536);
    this.maxOutputBytes = checkIntegerArgument("maxOutputBytes", maxOutputBytes, 0, Number.MAX_SAFE_INTEGER);
    if (typeof canonicalizeNaNs !== "boolean") throw argumentError("canonicalizeNaNs", "a boolean", canonicalizeNaNs);
    this.canonicalizeNaNs = canonicalizeNaNs;
    Object.freeze(this);
  }

  /** The defaults (Pureflow's `WasmtimeExecutionLimits::default()`). */
  static default(): ExecutionLimits {
    return new ExecutionLimits();
  }

  /** The defaults with another fuel budget (Pureflow's `WasmtimeExecutionLimits::new(fuel)`). */
  static new(fuel: number): ExecutionLimits {
    return new ExecutionLimits(checkIntegerArgument("fuel", fuel, 0, Number.MAX_SAFE_INTEGER));
  }

  /** A copy with another fuel budget. */
  withFuel(fuel: number): ExecutionLimits {
    // checked here too: `undefined` must not fall back to the constructor's default
    return new ExecutionLimits(checkIntegerArgument("fuel", fuel, 0, Number.MAX_SAFE_INTEGER), this.cancellationCheckInterval, this.maxMemoryPages, this.maxOutputBytes, this.canonicalizeNaNs);
  }

  /** A copy with another cancellation check interval (steps). */
  withCancellationCheckInterval(steps: number): ExecutionLimits {
    return new ExecutionLimits(this.fuel, checkIntegerArgument("cancellationCheckInterval", steps, 1, 2 ** 31 - 1), this.maxMemoryPages, this.maxOutputBytes, this.canonicalizeNaNs);
  }

  /** A copy with another memory limit (64 KiB pages). */
  withMaxMemoryPages(pages: number): ExecutionLimits {
    return new ExecutionLimits(this.fuel, this.cancellationCheckInterval, checkIntegerArgument("maxMemoryPages", pages, 0, 65536), this.maxOutputBytes, this.canonicalizeNaNs);
  }

  /** A copy with another output-size limit (bytes). */
  withMaxOutputBytes(bytes: number): ExecutionLimits {
    return new ExecutionLimits(this.fuel, this.cancellationCheckInterval, this.maxMemoryPages, checkIntegerArgument("maxOutputBytes", bytes, 0, Number.MAX_SAFE_INTEGER), this.canonicalizeNaNs);
  }

  /** A copy with NaN canonicalisation on or off (see {@link ExecutionLimits.canonicalizeNaNs}). */
  withCanonicalizeNaNs(on: boolean): ExecutionLimits {
    if (typeof on !== "boolean") throw argumentError("canonicalizeNaNs", "a boolean", on);
    return new ExecutionLimits(this.fuel, this.cancellationCheckInterval, this.maxMemoryPages, this.maxOutputBytes, on);
  }
}
