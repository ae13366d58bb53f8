/**
 * Cancellation tokens (Pureflow's `CancellationToken` / `CancellationHandle`). A token is
 * polled by the host before the guest runs and by the interpreter while it runs (at function
 * entries and loop back-edges, every `cancellationCheckInterval` steps). Sources: an explicit
 * handle, an `AbortSignal`, or a `SharedArrayBuffer` flag set from another thread.
 * A token is per invocation: cancelling one never disturbs another call.
 * Wrong arguments (a probe that is not a function, a signal that is not an `AbortSignal`, a flag
 * that is not an `Int32Array`, an index outside it, a reason that is not a string) are refused
 * when the token is made, with a `PureflowError` naming the argument; a custom probe that throws
 * or answers something other than `{ cancelled: boolean, reason?: string }` fails the poll with a
 * `PureflowError` too, never a raw TypeError.
 */
import { PureflowError } from "../errors.js";
import { argumentError, checkFunctionArgument, checkIntegerArgument, checkOptionalStringArgument, checkSignalArgument, isPlainObjectLike } from "../arguments.js";

/** The message used when a cancellation gives no reason. */
export const DEFAULT_CANCELLATION_REASON = "wasm guest invocation cancelled";

function reasonOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  if (value !== null && typeof value === "object" && typeof (value as { message?: unknown }).message === "string") {
    return (value as { message: string }).message;
  }
  return undefined;
}

const NOT_CANCELLED = Object.freeze({ cancelled: false });

type ProbeResult = { cancelled: boolean; reason?: string };

/** Runs a caller's probe and checks its answer. @throws PureflowError when it throws or answers junk. */
function runCustomProbe(probe: () => ProbeResult): ProbeResult {
  let r: unknown;
  try {
    r = probe();
  } catch (e) {
    if (e instanceof PureflowError) throw e;
    throw PureflowError.execution(`cancellation token probe threw: ${e instanceof Error ? e.message : typeof e === "string" ? e : "a non-error value"}`, { cause: e });
  }
  if (!isPlainObjectLike(r) || typeof r.cancelled !== "boolean" || (r.reason !== undefined && typeof r.reason !== "string")) {
    throw argumentError("probe", "probe() to return { cancelled: boolean, reason?: string }", r);
  }
  return r as ProbeResult;
}

/** Something that can be asked whether it was cancelled, and why. */
export class CancellationToken {
  private readonly probe: () => { cancelled: boolean; reason?: string };
  /** False only for {@link active} tokens, which can never be cancelled: the host then does not poll them at all. */
  readonly canBeCancelled: boolean;

  private constructor(probe: () => { cancelled: boolean; reason?: string }, canBeCancelled = true) {
    this.probe = probe;
    this.canBeCancelled = canBeCancelled;
  }

  /**
   * A token backed by any source: `probe()` says whether it is cancelled and, optionally, why.
   * @throws PureflowError when `probe` is not a function (and at poll time, when it throws or answers junk).
   */
  static custom(probe: () => { cancelled: boolean; reason?: string }): CancellationToken {
    checkFunctionArgument("probe", probe);
    return new CancellationToken(() => runCustomProbe(probe));
  }

  /** A token that is never cancelled. */
  static active(): CancellationToken {
    return new CancellationToken(() => NOT_CANCELLED, false);
  }

  /** A token that is already cancelled with `reason`. @throws PureflowError when `reason` is neither a string nor undefined. */
  static cancelled(reason?: string): CancellationToken {
    checkOptionalStringArgument("reason", reason);
    return new CancellationToken(() => ({ cancelled: true, reason }));
  }

  /**
   * Cancelled when `signal` aborts; the reason is the signal's reason (a string, or an error's message).
   * @throws PureflowError when `signal` is not an `AbortSignal`.
   */
  static fromAbortSignal(signal: AbortSignal): CancellationToken {
    checkSignalArgument("signal", signal);
    return new CancellationToken(() => (signal.aborted ? { cancelled: true, reason: reasonOf(signal.reason as unknown) } : { cancelled: false }));
  }

  /**
   * Cancelled when `Atomics.load(flag, index) !== 0` (another thread can set it while the guest
   * runs in this one). `flag` should view a `SharedArrayBuffer`.
   * @throws PureflowError when `flag` is not an `Int32Array`, `index` is not an index of it, or
   * `reason` is neither a string nor undefined.
   */
  static fromSharedFlag(flag: Int32Array, index = 0, reason?: string): CancellationToken {
    if (!(flag instanceof Int32Array)) throw argumentError("flag", "an Int32Array (ideally over a SharedArrayBuffer)", flag);
    if (flag.length === 0) throw argumentError("flag", "an Int32Array with at least one element", flag);
    checkIntegerArgument("index", index, 0, flag.length - 1);
    checkOptionalStringArgument("reason", reason);
    return new CancellationToken(() => (Atomics.load(flag, index) !== 0 ? { cancelled: true, reason } : { cancelled: false }));
  }

  /** True once cancelled. */
  isCancelled(): boolean {
    return this.probe().cancelled;
  }

  /** The cancellation's reason, when cancelled with one. */
  reason(): string | undefined {
    const p = this.probe();
    return p.cancelled ? p.reason : undefined;
  }

  /** The reason to report: the token's reason or {@link DEFAULT_CANCELLATION_REASON}. */
  reportedReason(): string {
    return this.reason() ?? DEFAULT_CANCELLATION_REASON;
  }
}

/** Cancels the tokens it hands out (Pureflow's `CancellationHandle`). */
export class CancellationHandle {
  private state: { cancelled: boolean; reason?: string } = { cancelled: false };

  /** A token that follows this handle. */
  token(): CancellationToken {
    return CancellationToken.custom(() => this.state);
  }

  /** Cancels every token of this handle; the first reason wins. @throws PureflowError when `reason` is neither a string nor undefined. */
  cancel(reason?: string): void {
    checkOptionalStringArgument("reason", reason);
    if (!this.state.cancelled) this.state = { cancelled: true, reason };
  }
}
