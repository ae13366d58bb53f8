/**
 * The messages between a {@link BatchPool} and its workers (structured-cloned; the batch data
 * inside them are `ArrayBuffer`s in the format of `wire.ts`), and the worker's side of the
 * protocol, independent of the thread API (`node-worker.ts` wires it to `worker_threads`).
 *
 * Messages are copied, never transferred. A transfer detaches the `ArrayBuffer` in the sending
 * thread, and the first detach in a thread makes V8 check every typed-array access of that thread
 * for a detached buffer from then on. The interpreter's dispatch loop does little else: a worker
 * that transferred its first result ran every later guest ~25 % slower (bench `pool`, compute
 * guest: 42 -> 55 batches/s with one worker once results were copied), and so would guests that
 * the pool's own thread runs after it transferred a task's input. A copy costs ~0.3 ms a MB.
 *
 * One worker compiles the component once (at `init`) and then runs one task at a time. Each
 * task's cancellation is the worker's `SharedArrayBuffer` flag (an `Int32Array` of one element),
 * which the pool sets to cancel the running task and clears before it hands over the next one;
 * the guest's cancellation check reads it, so cancelling never needs the worker to receive a
 * message while the guest runs, and never ends the worker.
 */
import { PureflowError } from "../errors.js";
import { BatchComponent } from "../host/batch-component.js";
import { CancellationToken } from "../host/cancellation.js";
import { ExecutionLimits } from "../host/limits.js";
import { decodePortBatches, encodeInvokeResult, errorToWire, type WireError } from "./wire.js";

/** The plain figures of an {@link ExecutionLimits}. */
export interface WireLimits {
  readonly fuel: number;
  readonly cancellationCheckInterval: number;
  readonly maxMemoryPages: number;
  readonly maxOutputBytes: number;
  readonly canonicalizeNaNs: boolean;
}

/** Pool -> worker: compile the component. */
export interface InitMessage {
  readonly t: "init";
  readonly bytes: Uint8Array;
  readonly limits: WireLimits;
  /** The worker's cancellation flag (an `Int32Array` over a `SharedArrayBuffer`). */
  readonly flag: Int32Array;
  /** `BatchComponentOptions.snapshot`. */
  readonly snapshot: boolean;
}

/** Pool -> worker: run one task. */
export interface RunMessage {
  readonly t: "run";
  readonly id: number;
  /** The inputs, as `toWitPortBatches` gave them, encoded by `encodePortBatches`. */
  readonly input: ArrayBuffer;
}

/** Worker -> pool: compiled (or not). */
export interface ReadyMessage {
  readonly t: "ready";
  /** `failed to compile component: ...` */
  readonly compileError?: WireError;
  /** The export lookup / type problem every invocation reports. */
  readonly bindingProblem?: WireError;
  /** Whether the worker's invocations start from a snapshot. */
  readonly snapshotStarted: boolean;
}

/** Worker -> pool: one task's outcome. */
export interface DoneMessage {
  readonly t: "done";
  readonly id: number;
  /** The guest's raw result (`encodeInvokeResult`), when the call returned. */
  readonly result?: ArrayBuffer;
  readonly error?: WireError;
  readonly fuelConsumed: number;
  readonly elapsedMs: number;
}

export type ToWorker = InitMessage | RunMessage;
export type FromWorker = ReadyMessage | DoneMessage;

/** `limits` as plain figures. */
export function limitsToWire(limits: ExecutionLimits): WireLimits {
  return {
    fuel: limits.fuel,
    cancellationCheckInterval: limits.cancellationCheckInterval,
    maxMemoryPages: limits.maxMemoryPages,
    maxOutputBytes: limits.maxOutputBytes,
    canonicalizeNaNs: limits.canonicalizeNaNs,
  };
}

function limitsFromWire(w: WireLimits): ExecutionLimits {
  return new ExecutionLimits(w.fuel, w.cancellationCheckInterval, w.maxMemoryPages, w.maxOutputBytes, w.canonicalizeNaNs);
}

function asPureflowError(e: unknown, prefix: string): PureflowError {
  if (e instanceof PureflowError) return e;
  return PureflowError.execution(`${prefix}${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/**
 * The worker's state machine: `handle` takes each message from the pool and answers through
 * `post(message)`.
 */
export class WorkerSide {
  private component: BatchComponent | undefined;
  private token: CancellationToken | undefined;

  constructor(private readonly post: (message: FromWorker) => void) {}

  handle(message: ToWorker): void {
    if (message.t === "init") this.init(message);
    else this.run(message);
  }

  private init(m: InitMessage): void {
    try {
      this.token = CancellationToken.fromSharedFlag(m.flag, 0);
      this.component = BatchComponent.fromComponentBytes(m.bytes, { limits: limitsFromWire(m.limits), snapshot: m.snapshot });
    } catch (e) {
      this.post({ t: "ready", compileError: errorToWire(asPureflowError(e, "failed to compile component: ")), snapshotStarted: false });
      return;
    }
    const problem = this.component.bindingProblem();
    const ready: ReadyMessage = problem === undefined
      ? { t: "ready", snapshotStarted: this.component.snapshotStarted }
      : { t: "ready", bindingProblem: errorToWire(problem), snapshotStarted: this.component.snapshotStarted };
    this.post(ready);
  }

  private run(m: RunMessage): void {
    const component = this.component;
    const token = this.token;
    if (component === undefined || token === undefined) {
      this.post({ t: "done", id: m.id, error: errorToWire(PureflowError.execution("batch pool: a task reached a worker before its component was compiled")), fuelConsumed: 0, elapsedMs: 0 });
      return;
    }
    let raw;
    try {
      raw = component.invokeWitRaw(decodePortBatches(m.input), token);
    } catch (e) {
      this.post({ t: "done", id: m.id, error: errorToWire(asPureflowError(e, "guest invoke failed: ")), fuelConsumed: 0, elapsedMs: 0 });
      return;
    }
    if (raw.result !== undefined) {
      const result = encodeInvokeResult(raw.result);
      this.post({ t: "done", id: m.id, result, fuelConsumed: raw.fuelConsumed, elapsedMs: raw.elapsedMs });
    } else {
      const error = errorToWire(raw.error ?? PureflowError.execution("guest invoke failed: no result and no error"));
      this.post({ t: "done", id: m.id, error, fuelConsumed: raw.fuelConsumed, elapsedMs: raw.elapsedMs });
    }
  }
}
