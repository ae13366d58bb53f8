/**
 * `BatchPool`: one batch component run by a pool of worker threads — Node.js `worker_threads`, or
 * Web Workers (`threads: "web"`, the default where there is no Node.js: browsers; Deno and Bun
 * have both), see `threads.ts` — so several invocations use several cores and a long guest never
 * blocks the caller's event loop.
 *
 * Same results as {@link BatchComponent}: each worker compiles the component once and runs every
 * task through the same steps as `BatchComponent.invokeWithReport` (fresh instance, fresh fuel
 * budget, the same error mapping), and the pool decodes the guest's raw result on the calling
 * thread exactly as `BatchComponent` does. So outputs are byte-identical, errors have the same
 * code, message and trap, and the fuel figures are the same. Only the error's `cause` (an object
 * of the worker thread) stays behind. Inputs are checked and converted on the calling thread
 * (the same order: cancelled signal, export problem, input errors) and travel, like the
 * results, as binary buffers (`wire.ts`; copied, not transferred: protocol.ts).
 *
 * Scheduling: tasks run in the order they were submitted, one per worker at a time.
 *
 * Cancellation: each worker has a `SharedArrayBuffer` flag that its guest's cancellation check
 * reads (every `cancellationCheckInterval` steps). Aborting a task's `signal` removes it from the
 * queue, or sets its worker's flag while it runs: that task alone fails with `CDT-CANCEL-001`
 * (the signal's reason, or `wasm guest invocation cancelled`), and the worker goes on with the
 * next task. A signal that is already aborted never reaches a worker.
 *
 * A worker that dies (an out-of-memory exit, a bug, `terminate`) is replaced; the task it was
 * running fails with `CDT-EXEC-001` `batch pool worker stopped while running the invocation
 * (...); it was not retried`, and no other task is lost or run twice. Should replacements
 * keep dying before they are ready (three times in a row), the pool fails its waiting tasks
 * and refuses new ones.
 *
 * `close()` refuses new tasks at once (`batch pool is closed`), lets queued and running tasks
 * finish, then ends the workers; `close({ mode: "abort" })` instead fails queued tasks and
 * cancels running ones (`CDT-CANCEL-001` `batch pool closed`), waits for them to stop, then
 * ends the workers. Both resolve once every worker has exited; calling again returns the
 * same promise.
 */
import { PureflowError } from "../errors.js";
import { argumentError, checkIntegerArgument, checkOptionsArgument, checkSignalArgument } from "../arguments.js";
import { BatchInputs, PortBatches, toWitPortBatches } from "../batch/batches.js";
import type { BatchOutputs } from "../batch/batches.js";
import { outputsFromInvokeResult, type InvocationReport } from "../host/batch-component.js";
import { CancellationToken } from "../host/cancellation.js";
import { NodeCapabilities, validateWasmCapabilitiesArgument } from "../host/capabilities.js";
import { ExecutionLimits } from "../host/limits.js";
import { limitsToWire, type DoneMessage, type FromWorker, type ReadyMessage, type ToWorker } from "./protocol.js";
import { decodeInvokeResult, encodePortBatches, errorFromWire } from "./wire.js";
import { availableThreads, defaultThreadApi, spawnerFor, type PoolWorker, type SpawnWorker, type ThreadApi } from "./threads.js";

/** Options of {@link BatchPool.create}. */
export interface BatchPoolOptions {
  /** Worker threads (1..256; default: the machine's available parallelism). */
  workers?: number;
  /** Per-invocation limits (default {@link ExecutionLimits.default}). */
  limits?: ExecutionLimits;
  /** When given, checked with {@link validateWasmCapabilities} first. */
  capabilities?: NodeCapabilities;
  /** Snapshot-started instances in every worker (default `true`; see `BatchComponentOptions.snapshot`). */
  snapshot?: boolean;
  /**
   * The thread API: `"worker_threads"` (default on Node.js) or `"web"` (Web Workers with
   * `type: "module"`; the default elsewhere). Both need `SharedArrayBuffer` (in a browser: a
   * cross-origin isolated page).
   */
  threads?: ThreadApi;
}

/** Options of one pooled invocation. */
export interface PoolInvokeOptions {
  /** Aborting cancels the task (queued: removed; running: its worker's flag is set). */
  signal?: AbortSignal;
}

/** Options of {@link BatchPool.close}. */
export interface PoolCloseOptions {
  /** `"drain"` (default): finish queued and running tasks; `"abort"`: fail queued tasks, cancel running ones. */
  mode?: "drain" | "abort";
}

/** The reason given to tasks failed or cancelled by `close({ mode: "abort" })`. */
export const POOL_CLOSED_REASON = "batch pool closed";

const MAX_WORKERS = 256;
/** Replacements that die before they are ready, in a row, before the pool gives up. */
const MAX_FAILED_STARTS = 3;

interface Task {
  readonly id: number;
  readonly input: ArrayBuffer;
  readonly started: number;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Set when the task was cancelled from this side (signal or close): the reason to report. */
  cancelReason: string | undefined;
  readonly resolve: (report: InvocationReport) => void;
}

interface Slot {
  readonly index: number;
  readonly worker: PoolWorker;
  /** The cancellation flag the worker's guest reads. */
  readonly flag: Int32Array;
  ready: boolean;
  exited: boolean;
  task: Task | undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A batch component served by a pool of worker threads. See the file comment for the semantics. */
export class BatchPool {
  /** The limits applied to every invocation. */
  readonly limits: ExecutionLimits;
  /** The number of worker threads. */
  readonly size: number;
  private readonly bytes: Uint8Array;
  private readonly snapshot: boolean;
  private started = false;
  private readonly spawn: SpawnWorker;
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Task[] = [];
  private bindingProblem: PureflowError | undefined;
  private nextId = 1;
  private closing: Promise<void> | undefined;
  private closeMode: "drain" | "abort" = "drain";
  private broken: PureflowError | undefined;
  private failedStarts = 0;
  private onIdle: (() => void) | undefined;
  /** @internal test statistic: workers started in all (replacements included). */
  workersStarted = 0;

  private constructor(bytes: Uint8Array, limits: ExecutionLimits, size: number, spawn: SpawnWorker, snapshot: boolean) {
    this.snapshot = snapshot;
    this.bytes = bytes;
    this.limits = limits;
    this.size = size;
    this.spawn = spawn;
    this.slots = new Array<Slot | undefined>(size).fill(undefined);
  }

  /**
   * Starts `options.workers` worker threads, each compiling `bytes` once, and resolves when all
   * are ready.
   * @throws PureflowError (as a rejection) `CDT-EXEC-001` `failed to compile component: ...`;
   * `CDT-VAL-002` when `options.capabilities` declares an effect; `invalid argument ...` for a
   * wrong argument (`bytes` not an ArrayBuffer or typed array, `options.workers` not an integer in 1..256,
   * `options.limits` not an ExecutionLimits, ...); `batch pool: could not start a worker
   * thread: ...` when the platform has none.
   */
  static async create(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, options?: BatchPoolOptions): Promise<BatchPool> {
    const o = checkOptionsArgument("options", options);
    if (o.capabilities !== undefined) validateWasmCapabilitiesArgument("options.capabilities", o.capabilities);
    if (o.limits !== undefined && !(o.limits instanceof ExecutionLimits)) {
      throw argumentError("options.limits", "an ExecutionLimits (e.g. ExecutionLimits.default().withFuel(n))", o.limits);
    }
    const limits = o.limits ?? ExecutionLimits.default();
    if (o.snapshot !== undefined && typeof o.snapshot !== "boolean") throw argumentError("options.snapshot", "a boolean", o.snapshot);
    let view: Uint8Array;
    if (bytes instanceof Uint8Array) view = bytes;
    else if (bytes instanceof ArrayBuffer) view = new Uint8Array(bytes);
    else if (ArrayBuffer.isView(bytes)) view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    else throw argumentError("bytes", "a Uint8Array, ArrayBuffer or other typed array (the component binary)", bytes);
    if (o.threads !== undefined && o.threads !== "worker_threads" && o.threads !== "web") throw argumentError("options.threads", "\"worker_threads\" or \"web\"", o.threads);
    const size = o.workers === undefined ? Math.max(1, Math.min(MAX_WORKERS, await availableThreads())) : checkIntegerArgument("options.workers", o.workers, 1, MAX_WORKERS);
    if (typeof SharedArrayBuffer !== "function") {
      throw PureflowError.execution("batch pool: this platform has no SharedArrayBuffer (in a browser the page must be cross-origin isolated: COOP and COEP headers)");
    }
    let spawn: SpawnWorker;
    try {
      spawn = await spawnerFor(o.threads ?? await defaultThreadApi());
    } catch (e) {
      throw PureflowError.execution(`batch pool: could not start a worker thread: ${messageOf(e)}`, { cause: e });
    }
    // one copy of the component's bytes, shared by every worker (each compiles it once)
    const shared = new Uint8Array(new SharedArrayBuffer(view.length));
    shared.set(view);
    const pool = new BatchPool(shared, limits, size, spawn, o.snapshot ?? true);
    const readies: Promise<ReadyMessage>[] = [];
    for (let i = 0; i < size; i++) readies.push(pool.start(i));
    let messages: ReadyMessage[];
    try {
      messages = await Promise.all(readies);
    } catch (e) {
      await pool.close({ mode: "abort" });
      throw e;
    }
    const failed = messages.find((m) => m.compileError !== undefined);
    if (failed?.compileError !== undefined) {
      await pool.close({ mode: "abort" });
      throw errorFromWire(failed.compileError);
    }
    pool.started = messages.every((m) => m.snapshotStarted);
    const problem = messages[0]?.bindingProblem;
    pool.bindingProblem = problem === undefined ? undefined : errorFromWire(problem);
    return pool;
  }

  /** True when the workers' invocations start from a snapshot (see `BatchComponent.snapshotStarted`). */
  get snapshotStarted(): boolean {
    return this.started;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Tasks running on a worker now. */
  get running(): number {
    return this.slots.filter((s) => s?.task !== undefined).length;
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Invokes the guest once on a worker; resolves with its outputs. @throws PureflowError (as a rejection) */
  async invoke(inputs: BatchInputs | PortBatches, options?: PoolInvokeOptions): Promise<BatchOutputs> {
    const report = await this.invokeWithReport(inputs, options);
    if (report.error) throw report.error;
    return report.outputs as BatchOutputs;
  }

  /**
   * Like {@link invoke}, but never rejects: the report holds outputs or error and the fuel the
   * guest used, as `BatchComponent.invokeWithReport` gives them; `elapsedMs` runs from this call
   * to the result (time queued included).
   */
  invokeWithReport(inputs: BatchInputs | PortBatches, options?: PoolInvokeOptions): Promise<InvocationReport> {
    const started = performance.now();
    const fail = (error: PureflowError): Promise<InvocationReport> => Promise.resolve(this.report(started, { error }, 0));
    let signal: AbortSignal | undefined;
    try {
      const o = checkOptionsArgument("options", options);
      signal = o.signal === undefined ? undefined : checkSignalArgument("options.signal", o.signal);
    } catch (e) {
      return fail(e instanceof PureflowError ? e : PureflowError.execution(`invalid invocation options: ${messageOf(e)}`, { cause: e }));
    }
    if (this.closing !== undefined) return fail(PureflowError.execution("batch pool is closed: invoke was called after close()"));
    if (this.broken !== undefined) return fail(this.broken);
    // the order of BatchComponent: cancelled first, then the export problem, then the inputs
    if (signal?.aborted) return fail(PureflowError.cancelled(CancellationToken.fromAbortSignal(signal).reportedReason()));
    if (this.bindingProblem !== undefined) return fail(this.bindingProblem);
    let input: ArrayBuffer;
    try {
      input = encodePortBatches(toWitPortBatches(inputs));
    } catch (e) {
      return fail(e instanceof PureflowError ? e : PureflowError.execution(`invalid input batch: ${messageOf(e)}`, { cause: e }));
    }
    return new Promise<InvocationReport>((resolve) => {
      const task: Task = { id: this.nextId++, input, started, signal, onAbort: undefined, cancelReason: undefined, resolve };
      if (signal !== undefined) {
        task.onAbort = () => this.cancel(task, CancellationToken.fromAbortSignal(signal).reportedReason());
        signal.addEventListener("abort", task.onAbort, { once: true });
      }
      this.queue.push(task);
      this.dispatch();
    });
  }

  /**
   * Stops the pool (see the file comment): new invocations are refused at once; `"drain"`
   * (default) finishes queued and running tasks, `"abort"` fails queued tasks and cancels
   * running ones with `CDT-CANCEL-001` `batch pool closed`. Resolves once every worker exited.
   */
  close(options?: PoolCloseOptions): Promise<void> {
    const o = checkOptionsArgument("options", options);
    const mode = o.mode ?? "drain";
    if (mode !== "drain" && mode !== "abort") throw argumentError("options.mode", "\"drain\" or \"abort\"", mode);
    if (this.closing !== undefined) {
      // a later abort still cancels what a drain was waiting for
      if (mode === "abort" && this.closeMode === "drain") this.abortAll();
      return this.closing;
    }
    this.closeMode = mode;
    this.closing = (async () => {
      if (mode === "abort") this.abortAll();
      await new Promise<void>((resolve) => {
        this.onIdle = resolve;
        this.checkIdle();
      });
      await Promise.all(this.slots.map((s) => (s === undefined || s.exited ? undefined : s.worker.terminate())));
    })();
    return this.closing;
  }

  /** @internal Test hook: ends worker `index`'s thread from outside (as a crash would), running task or not. */
  async _terminateWorker(index: number): Promise<void> {
    const s = this.slots[index];
    if (s !== undefined && !s.exited) await s.worker.terminate();
  }

  /** @internal Test hook: the task id each worker is running (undefined when idle). */
  _runningTaskIds(): (number | undefined)[] {
    return this.slots.map((s) => s?.task?.id);
  }

  private abortAll(): void {
    this.closeMode = "abort";
    for (const t of this.queue.splice(0)) this.finish(t, { error: PureflowError.cancelled(POOL_CLOSED_REASON) }, 0);
    for (const s of this.slots) if (s?.task !== undefined) this.cancel(s.task, POOL_CLOSED_REASON);
    this.checkIdle();
  }

  private report(started: number, r: { outputs?: BatchOutputs; error?: PureflowError }, fuelConsumed: number): InvocationReport {
    const report: InvocationReport = { fuelLimit: this.limits.fuel, fuelConsumed, elapsedMs: performance.now() - started };
    if (r.outputs !== undefined) report.outputs = r.outputs;
    if (r.error !== undefined) report.error = r.error;
    return report;
  }

  private finish(task: Task, r: { outputs?: BatchOutputs; error?: PureflowError }, fuelConsumed: number): void {
    if (task.onAbort !== undefined && task.signal !== undefined) task.signal.removeEventListener("abort", task.onAbort);
    task.onAbort = undefined;
    task.resolve(this.report(task.started, r, fuelConsumed));
  }

  /** Cancels `task`: out of the queue at once, or through its worker's flag while it runs. */
  private cancel(task: Task, reason: string): void {
    if (task.cancelReason !== undefined) return;
    const q = this.queue.indexOf(task);
    if (q >= 0) {
      this.queue.splice(q, 1);
      this.finish(task, { error: PureflowError.cancelled(reason) }, 0);
      this.checkIdle();
      return;
    }
    const slot = this.slots.find((s) => s?.task === task);
    if (slot === undefined) return; // already finished
    task.cancelReason = reason;
    Atomics.store(slot.flag, 0, 1);
  }

  /** Starts (or restarts) worker `index`; resolves with its ready message. */
  private start(index: number): Promise<ReadyMessage> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    return new Promise<ReadyMessage>((resolve, reject) => {
      let slot: Slot | undefined;
      let early: string | undefined;
      let worker: PoolWorker;
      try {
        worker = this.spawn({
          message: (m) => {
            if (slot === undefined) return;
            if (m.t === "ready") {
              slot.ready = true;
              this.failedStarts = 0;
              // an idle worker does not keep the process alive; a running task does
              slot.worker.unref();
              resolve(m);
              this.dispatch();
            } else this.done(slot, m);
          },
          exit: (why) => {
            if (slot === undefined) {
              early = why;
              return;
            }
            slot.exited = true;
            if (!slot.ready) reject(PureflowError.execution(`batch pool: a worker stopped before it was ready (${why})`));
            this.exited(slot, why);
          },
        });
      } catch (e) {
        reject(PureflowError.execution(`batch pool: could not start a worker thread: ${messageOf(e)}`, { cause: e }));
        return;
      }
      this.workersStarted++;
      slot = { index, worker, flag, ready: false, exited: false, task: undefined };
      this.slots[index] = slot;
      if (early !== undefined) {
        slot.exited = true;
        reject(PureflowError.execution(`batch pool: a worker stopped before it was ready (${early})`));
        this.exited(slot, early);
        return;
      }
      worker.post({ t: "init", bytes: this.bytes, limits: limitsToWire(this.limits), flag, snapshot: this.snapshot });
    });
  }

  private exited(slot: Slot, why: string): void {
    const task = slot.task;
    slot.task = undefined;
    if (task !== undefined) {
      this.finish(task, {
        error: PureflowError.execution(`batch pool worker stopped while running the invocation (${why}); it was not retried`),
      }, 0);
    }
    if (this.slots[slot.index] !== slot) return;
    // closing: replace the worker only while a drain still has queued tasks to run
    if (this.closing !== undefined && (this.closeMode === "abort" || this.queue.length === 0)) {
      this.checkIdle();
      return;
    }
    if (!slot.ready) this.failedStarts++;
    if (this.failedStarts >= MAX_FAILED_STARTS) {
      this.broken = PureflowError.execution(`batch pool is broken: ${MAX_FAILED_STARTS} replacement workers in a row stopped before they were ready (last: ${why})`);
      for (const t of this.queue.splice(0)) this.finish(t, { error: this.broken }, 0);
      return;
    }
    // a replacement in the same place; its ready message dispatches the waiting tasks
    this.start(slot.index).catch(() => {
      /* counted in failedStarts by its own exit */
    });
  }

  private done(slot: Slot, m: DoneMessage): void {
    const task = slot.task;
    if (task === undefined || task.id !== m.id) return; // cannot happen: one task per worker
    slot.task = undefined;
    Atomics.store(slot.flag, 0, 0);
    slot.worker.unref();
    let r: { outputs?: BatchOutputs; error?: PureflowError };
    if (m.error !== undefined) {
      const error = errorFromWire(m.error);
      // the worker's flag carries no reason: report the one this side cancelled with
      r = { error: error.code === "CDT-CANCEL-001" && task.cancelReason !== undefined ? PureflowError.cancelled(task.cancelReason) : error };
    } else if (m.result !== undefined) {
      try {
        r = outputsFromInvokeResult(decodeInvokeResult(m.result));
      } catch (e) {
        r = { error: e instanceof PureflowError ? e : PureflowError.execution(`guest invoke failed: ${messageOf(e)}`, { cause: e }) };
      }
    } else {
      r = { error: PureflowError.execution("batch pool: a worker answered with neither result nor error") };
    }
    this.finish(task, r, m.fuelConsumed);
    this.dispatch();
    this.checkIdle();
  }

  /** Hands queued tasks to idle, ready workers, in submission order. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot === undefined || !slot.ready || slot.exited || slot.task !== undefined) continue;
      const task = this.queue.shift() as Task;
      slot.task = task;
      Atomics.store(slot.flag, 0, 0);
      slot.worker.ref();
      const run: ToWorker = { t: "run", id: task.id, input: task.input };
      slot.worker.post(run);
    }
  }

  private checkIdle(): void {
    if (this.onIdle === undefined) return;
    if (this.queue.length > 0 || this.slots.some((s) => s?.task !== undefined)) return;
    const f = this.onIdle;
    this.onIdle = undefined;
    f();
  }
}
