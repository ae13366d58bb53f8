/**
 * Cooperative cancellation sources (issue 3, fuel.md §6.4). The executor decrements a step
 * countdown at every wasm function entry and every taken branch (which includes every loop
 * back-edge); when it reaches zero it polls these sources and resets the countdown to
 * `checkInterval`. Guarantee: once a source reports cancellation, the guest stops with
 * `RuntimeError("interrupted")` within `checkInterval` further function entries/taken branches
 * (plus the straight-line code and at most one bulk operation between two of them), so every
 * infinite loop or infinite recursion is interrupted.
 */

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

/** Sources merged for one invocation; `poll` returns a reason when cancelled, else undefined. */
export class CancelSources {
  private readonly list: CancellationOptions[];
  private readonly deadline: number;
  readonly interval: number;

  constructor(opts: readonly (CancellationOptions | undefined)[], start: number) {
    this.list = opts.filter((o): o is CancellationOptions => o !== undefined);
    let deadline = Infinity;
    let interval = DEFAULT_CHECK_INTERVAL;
    for (const o of this.list) {
      if (o.deadline !== undefined) deadline = Math.min(deadline, o.deadline);
      if (o.timeoutMs !== undefined) deadline = Math.min(deadline, start + o.timeoutMs);
      if (o.checkInterval !== undefined) {
        if (!Number.isInteger(o.checkInterval) || o.checkInterval < 1) throw new RangeError(`checkInterval must be an integer >= 1, got ${o.checkInterval}`);
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
