/**
 * Cancellation tokens (Pureflow's `CancellationToken` / `CancellationHandle`). A token is
 * polled by the host before the guest runs and by the interpreter while it runs (at function
 * entries and loop back-edges, every `cancellationCheckInterval` steps). Sources: an explicit
 * handle, an `AbortSignal`, or a `SharedArrayBuffer` flag set from another thread.
 * A token is per invocation: cancelling one never disturbs another call.
 */

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

/** Something that can be asked whether it was cancelled, and why. */
export class CancellationToken {
  private readonly probe: () => { cancelled: boolean; reason?: string };
  /** False only for {@link active} tokens, which can never be cancelled: the host then does not poll them at all. */
  readonly canBeCancelled: boolean;

  private constructor(probe: () => { cancelled: boolean; reason?: string }, canBeCancelled = true) {
    this.probe = probe;
    this.canBeCancelled = canBeCancelled;
  }

  /** A token backed by any source: `probe()` says whether it is cancelled and, optionally, why. */
  static custom(probe: () => { cancelled: boolean; reason?: string }): CancellationToken {
    return new CancellationToken(probe);
  }

  /** A token that is never cancelled. */
  static active(): CancellationToken {
    return new CancellationToken(() => NOT_CANCELLED, false);
  }

  /** A token that is already cancelled with `reason`. */
  static cancelled(reason?: string): CancellationToken {
    return new CancellationToken(() => ({ cancelled: true, reason }));
  }

  /** Cancelled when `signal` aborts; the reason is the signal's reason (a string, or an error's message). */
  static fromAbortSignal(signal: AbortSignal): CancellationToken {
    return new CancellationToken(() => (signal.aborted ? { cancelled: true, reason: reasonOf(signal.reason as unknown) } : { cancelled: false }));
  }

  /**
   * Cancelled when `Atomics.load(flag, index) !== 0` (another thread can set it while the guest
   * runs in this one). `flag` should view a `SharedArrayBuffer`.
   */
  static fromSharedFlag(flag: Int32Array, index = 0, reason?: string): CancellationToken {
    if (!Number.isInteger(index) || index < 0 || index >= flag.length) throw new RangeError(`flag index ${index} is outside the flag array (length ${flag.length})`);
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

  /** Cancels every token of this handle; the first reason wins. */
  cancel(reason?: string): void {
    if (!this.state.cancelled) this.state = { cancelled: true, reason };
  }
}
