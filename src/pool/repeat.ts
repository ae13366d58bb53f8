/**
 * `invokeRepeated`: invokes one component `repeat` times with the same inputs, on the calling
 * thread or through a {@link BatchPool}, and measures it — what `pureflow-wasm run --repeat N
 * --workers K` reports (issue 18). Every invocation is checked against the first one: same
 * outputs (WIT JSON text) or the same error text, and the same fuel, else `mismatches` counts it.
 */
import { PureflowError } from "../errors.js";
import { argumentError, checkIntegerArgument, checkOptionalFunctionArgument, checkOptionsArgument, checkSignalArgument } from "../arguments.js";
import type { BatchInputs, PortBatches } from "../batch/batches.js";
import { batchesToWitJson } from "../batch/wit-json.js";
import { BatchComponent, type InvocationReport } from "../host/batch-component.js";
import { ExecutionLimits } from "../host/limits.js";
import { BatchPool } from "./batch-pool.js";

/** Options of {@link invokeRepeated}. */
export interface RepeatOptions {
  /** Invocations (1..2^31-1). */
  repeat: number;
  /** 0: the calling thread (`BatchComponent.invoke`); K ≥ 1: a `BatchPool` of K workers (default 0). */
  workers?: number;
  /** Per-invocation limits (default {@link ExecutionLimits.default}). */
  limits?: ExecutionLimits;
  /** Snapshot-started instances (default true). */
  snapshot?: boolean;
  /** Aborting stops: queued invocations are not run, running ones are cancelled. */
  signal?: AbortSignal;
  /** Called after each invocation with the count done so far (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

/** What {@link invokeRepeated} measured. */
export interface RepeatSummary {
  /** The first invocation's report (outputs or error, fuel). */
  first: InvocationReport;
  /** Invocations run (completed, with outputs or with an error). */
  completed: number;
  /** Invocations that ended with an error. */
  failed: number;
  /** Invocations whose outputs, error or fuel differ from the first one's (0 for a deterministic guest). */
  mismatches: number;
  /** Wall-clock time of all invocations (ms; the pool's start-up not included). */
  elapsedMs: number;
  /** `completed / elapsed seconds`. */
  batchesPerSecond: number;
  /** Median and 95th percentile of one invocation's latency (ms; queueing included in a pool). */
  latencyMs: { median: number; p95: number };
  /** Worker threads used (0: the calling thread). */
  workers: number;
  /** Whether invocations started from a snapshot. */
  snapshotStarted: boolean;
}

function fingerprint(r: InvocationReport): string {
  return JSON.stringify([r.outputs === undefined ? null : batchesToWitJson(r.outputs), r.error === undefined ? null : r.error.toString(), r.fuelConsumed]);
}

/**
 * Invokes the component `bytes` `options.repeat` times with `inputs` (see the file comment).
 * With `workers` ≥ 1, `2 × workers` invocations are kept in flight.
 * @throws PureflowError (as a rejection) for a wrong argument or a component that does not compile.
 */
export async function invokeRepeated(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, inputs: BatchInputs | PortBatches, options: RepeatOptions): Promise<RepeatSummary> {
  const o = checkOptionsArgument("options", options);
  const repeat = checkIntegerArgument("options.repeat", o.repeat, 1, 2 ** 31 - 1);
  const workers = o.workers === undefined ? 0 : checkIntegerArgument("options.workers", o.workers, 0, 256);
  if (o.limits !== undefined && !(o.limits instanceof ExecutionLimits)) throw argumentError("options.limits", "an ExecutionLimits", o.limits);
  const limits = o.limits ?? ExecutionLimits.default();
  const signal = o.signal === undefined ? undefined : checkSignalArgument("options.signal", o.signal);
  const onProgress = checkOptionalFunctionArgument("options.onProgress", o.onProgress) as RepeatOptions["onProgress"];
  if (o.snapshot !== undefined && typeof o.snapshot !== "boolean") throw argumentError("options.snapshot", "a boolean", o.snapshot);
  const snapshot = o.snapshot ?? true;

  const latencies: number[] = [];
  let first: InvocationReport | undefined;
  let firstPrint = "";
  let completed = 0, failed = 0, mismatches = 0;
  const record = (r: InvocationReport, ms: number): void => {
    if (first === undefined) {
      first = r;
      firstPrint = fingerprint(r);
    } else if (fingerprint(r) !== firstPrint) mismatches++;
    completed++;
    if (r.error !== undefined) failed++;
    latencies.push(ms);
    onProgress?.(completed, repeat);
  };

  let started: number;
  let snapshotStarted: boolean;
  if (workers === 0) {
    const component = BatchComponent.fromComponentBytes(bytes, { limits, snapshot });
    snapshotStarted = component.snapshotStarted;
    started = performance.now();
    for (let i = 0; i < repeat; i++) {
      if (signal?.aborted) break;
      const t0 = performance.now();
      const r = await component.invokeAsyncWithReport(inputs, signal === undefined ? {} : { signal });
      record(r, performance.now() - t0);
    }
  } else {
    const pool = await BatchPool.create(bytes, { workers, limits, snapshot });
    snapshotStarted = pool.snapshotStarted;
    started = performance.now();
    try {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < repeat && !signal?.aborted) {
          next++;
          const t0 = performance.now();
          const r = await pool.invokeWithReport(inputs, signal === undefined ? {} : { signal });
          record(r, performance.now() - t0);
        }
      };
      await Promise.all(Array.from({ length: Math.min(repeat, 2 * workers) }, lane));
    } finally {
      await pool.close({ mode: "abort" });
    }
  }
  const elapsedMs = performance.now() - started;
  if (first === undefined) throw PureflowError.cancelled("invocations cancelled before the first one ran");
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    first,
    completed,
    failed,
    mismatches,
    elapsedMs,
    batchesPerSecond: completed / (elapsedMs / 1000),
    latencyMs: { median: at(0.5), p95: at(0.95) },
    workers,
    snapshotStarted,
  };
}
