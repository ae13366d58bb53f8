/**
 * Cooperative cancellation sources (issue 3, fuel.md §6.4). The executor decrements a step
 * countdown at every wasm function entry and every taken branch (which includes every loop
 * back-edge); when it reaches zero it polls these sources and resets the countdown to
 * `checkInterval`. Guarantee: once a source reports cancellation, the guest stops with
 * `RuntimeError("interrupted")` within `checkInterval` further function entries/taken branches
 * (plus the straight-line code and at most one bulk operation between two of them), so every
 * infinite loop or infinite recursion is interrupted.
 */
import { describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";

/** What a host callback returns: falsy to continue, `true` or a reason string to interrupt. */
export type CancelCallbackResult = boolean | string | undefined | void;

export interface CancellationOptions {
  /** Interrupts when aborted (noticed at check points; on one thread only between tasks, so use it with async calls). */
  readonly signal?: AbortSignal;
  /** A flag another thread sets (`Atomics.store(flag, index, nonzero)`); usually over a SharedArrayBuffer. */
  readonly flag?: Int32Array;
  /** Index in `flag` (default 0). */
  readonly flagIndex?: number;
  /** Absolute deadline in `performance.now()` milliseconds. */
  readonly deadline?: number;
  /** Relative deadline: milliseconds from the start of each top-level call. */
  readonly timeoutMs?: number;
  /** Polled at every check; returning `true` or a string interrupts. */
  readonly callback?: () => CancelCallbackResult;
  /** Check points between polls (default 10,000; at least 1). */
  readonly checkInterval?: number;
}

/** Default number of check points (function entries / taken branches) between polls. */
export const DEFAULT_CHECK_INTERVAL = 10_000;

/**
 * Checks the shape of cancellation options (called when a Store is created and when a call
 * starts, so a malformed option fails at once rather than at the first poll).
 * @param argument the option's name for the error (e.g. `options.cancellation`).
 * @throws InvalidArgumentTypeError / InvalidArgumentRangeError
 */
export function checkCancellation(o: unknown, argument: string): asserts o is CancellationOptions {
  if (typeof o !== "object" || o === null) throw new InvalidArgumentTypeError(argument, `must be an object, got ${describeValue(o)}`);
  const c = o as Record<string, unknown>;
  const signal = c["signal"];
  if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof (signal as { aborted?: unknown }).aborted !== "boolean"))
    throw new InvalidArgumentTypeError(`${argument}.signal`, `must be an AbortSignal, got ${describeValue(signal)}`);
  const flag = c["flag"];
  if (flag !== undefined && !(flag instanceof Int32Array)) throw new InvalidArgumentTypeError(`${argument}.flag`, `must be an Int32Array, got ${describeValue(flag)}`);
  const flagIndex = c["flagIndex"];
  if (flagIndex !== undefined) {
    const len = flag instanceof Int32Array ? flag.length : 0;
    if (typeof flagIndex !== "number" || !Number.isInteger(flagIndex) || flagIndex < 0 || flagIndex >= len)
      throw new InvalidArgumentRangeError(`${argument}.flagIndex`, `must be an integer index into flag (0..${len - 1}), got ${describeValue(flagIndex)}`);
  }
  for (const k of ["deadline", "timeoutMs"]) {
    const v = c[k];
    if (v !== undefined && (typeof v !== "number" || Number.isNaN(v))) throw new InvalidArgumentTypeError(`${argument}.${k}`, `must be a number of milliseconds, got ${describeValue(v)}`);
  }
  const callback = c["callback"];
  if (callback !== undefined && typeof callback !== "function") throw new InvalidArgumentTypeError(`${argument}.callback`, `must be a function, got ${describeValue(callback)}`);
  const ci = c["checkInterval"];
  if (ci !== undefined && (typeof ci !== "number" || !Number.isInteger(ci) || ci < 1)) throw new InvalidArgumentRangeError(`${argument}.checkInterval`, `must be an integer >= 1, got ${describeValue(ci)}`);
}

/** Sources merged for one invocation; `poll` returns a reason when cancelled, else undefined. */
export class CancelSources {
  private readonly list: CancellationOptions[];
  private readonly deadline: number;
  readonly interval: number;

  constructor(opts: readonly (CancellationOptions | undefined)[], start: number) {
    this.list = opts.filter((o): o is CancellationOptions => o !== undefined);
    for (const o of this.list) checkCancellation(o, "cancellation");
    let deadline = Infinity;
    let interval = DEFAULT_CHECK_INTERVAL;
    for (const o of this.list) {
      if (o.deadline !== undefined) deadline = Math.min(deadline, o.deadline);
      if (o.timeoutMs !== undefined) deadline = Math.min(deadline, start + o.timeoutMs);
      if (o.checkInterval !== undefined) {
                interval = Math.min(interval, o.checkInterval);
      }
    }
    this.deadline = deadline;
    this.interval = interval;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  poll(): string | undefined {
    for (const o of this.list) {
      if (o.signal?.aborted) {
        const r: unknown = o.signal.reason;
        return r instanceof Error ? `aborted: ${r.message}` : r === undefined ? "aborted" : `aborted: ${String(r)}`;
      }
      if (o.flag !== undefined && Atomics.load(o.flag, o.flagIndex ?? 0) !== 0) return "cancellation flag set";
      if (o.callback !== undefined) {
        const r = o.callback();
        if (r === true) return "host callback requested interruption";
        if (typeof r === "string" && r !== "") return r;
      }
    }
    if (this.deadline !== Infinity && performance.now() >= this.deadline) return "deadline passed";
    return undefined;
  }
}
