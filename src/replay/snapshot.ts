/**
 * Execution snapshots of batch invocations (issue 16): stop an invocation of a
 * {@link BatchComponent} at an exact fuel point (`stopAtFuel`) or when it runs out of fuel
 * (`stopOnOutOfFuel`), get the complete state as bytes, and continue it — in another process or
 * JS runtime, from a `BatchComponent` of the same component bytes and limits — to the same
 * outcome with the same total fuel (`resumeInvocation`). Documented in `docs/replay.md`.
 *
 * The stop uses the interpreter's exact out-of-fuel stop (the store's budget is cut to end at
 * the stop point), never a per-instruction check. Only guest code of the main `invoke` call can
 * stop: a stop point that falls while the inputs are lowered (`cabi_realloc`) moves to the first
 * instruction of `invoke`; one after `invoke` returned (lifting, `post-return`) is not reached,
 * and the invocation finishes. Fuel figures are the invocation's (start functions included, as
 * {@link InvocationReport.fuelConsumed}).
 *
 * The bytes are a component call snapshot (`canonical-abi/link/lifted-call.ts`) whose host part
 * records the limits and fuel figures; restoring checks the component (every core module's
 * sha256), the export, the limits, and a sha256 over the whole snapshot: a damaged, truncated,
 * edited or mismatched snapshot is a `PureflowError` (`CDT-EXEC-001`, trap
 * `call-snapshot-invalid`), never a wrong result.
 */
import { CallSnapshotError, type ComponentCall } from "../../canonical-abi/index.js";
import { sha256Hex, Store } from "../../interpreter/index.js";
import { argumentError, checkIntegerArgument, checkOptionsArgument } from "../arguments.js";
import { PureflowError } from "../errors.js";
import { BatchComponent, outputsFromInvokeResult, type InvocationReport } from "../host/batch-component.js";
import type { InvocationStore } from "../host/engine.js";
import { toWitPortBatches, type BatchInputs, type PortBatches } from "../batch/batches.js";
import { invokeResultFromValue, type SteppedInvoke } from "../batch/binding.js";
import type { ExecutionLimits } from "../host/limits.js";

/** The `format` of the host part of a batch invocation snapshot. */
export const INVOCATION_SNAPSHOT_FORMAT = "pureflow-wasm/batch-invocation";

/** Where to stop an invocation. */
export interface StopOptions {
  /**
   * Stop before the first instruction that would take the invocation's fuel consumed past this
   * figure (an integer >= 0). At or beyond the fuel limit it has no effect.
   */
  readonly stopAtFuel?: number;
  /** Stop (with a snapshot) instead of failing when the invocation runs out of its fuel limit. */
  readonly stopOnOutOfFuel?: boolean;
}

/** Options of {@link resumeInvocation}. */
export interface ResumeOptions extends StopOptions {
  /**
   * Called with the guest's memories (every exported core memory, in instance order) once the
   * state is restored, before anything runs: a host-side perturbation hook, e.g. for `bisect.ts`
   * (flip a bit to inject a divergence at an exact fuel point).
   */
  readonly onRestore?: (memories: Uint8Array[]) => void;
}

/** An invocation stopped with its state captured. */
export interface StoppedInvocation {
  readonly state: "stopped";
  /** `"stop-at-fuel"` (the requested point) or `"out-of-fuel"` (the fuel limit, with `stopOnOutOfFuel`). */
  readonly reason: "stop-at-fuel" | "out-of-fuel";
  /** The snapshot: continue it with {@link resumeInvocation}. */
  readonly snapshot: Uint8Array;
  /**
   * Invocation fuel consumed when it stopped: at most `stopAtFuel`, except when that point fell
   * before `invoke` started (start functions, lowering), where the stop moved to its first
   * instruction. The part of the stopped instruction already charged is given back on resume.
   */
  readonly fuelConsumed: number;
}

/** An invocation that ran to its end. */
export interface FinishedInvocation {
  readonly state: "finished";
  /** Outputs or error and fuel, as {@link BatchComponent.invokeWithReport} gives them. */
  readonly report: InvocationReport;
  /** sha256 of the guest's memories at the end (every exported core memory, in instance order; empty text when there is no instance). */
  readonly memorySha256: string;
}

/** What a stepped invocation came to. */
export type SteppedInvocation = StoppedInvocation | FinishedInvocation;

/** The host part of a snapshot. */
interface HostPart {
  format: typeof INVOCATION_SNAPSHOT_FORMAT;
  limits: { fuel: number; maxMemoryPages: number; maxOutputBytes: number; canonicalizeNaNs: boolean };
  /** Fuel charged up front for the start functions (snapshot-started instances). */
  startFuel: number;
  /** Invocation fuel consumed at the stop. */
  fuelConsumed: number;
  reason: StoppedInvocation["reason"];
}

function checkStop(options: StopOptions | undefined): { stopAt: number | undefined; onOutOfFuel: boolean } {
  const o = checkOptionsArgument("options", options);
  const stopAt = o.stopAtFuel === undefined ? undefined : checkIntegerArgument("options.stopAtFuel", o.stopAtFuel, 0, Number.MAX_SAFE_INTEGER);
  if (o.stopOnOutOfFuel !== undefined && typeof o.stopOnOutOfFuel !== "boolean") throw argumentError("options.stopOnOutOfFuel", "a boolean", o.stopOnOutOfFuel);
  return { stopAt, onOutOfFuel: o.stopOnOutOfFuel === true };
}

function componentArgument(component: unknown): BatchComponent {
  if (!(component instanceof BatchComponent)) throw argumentError("component", "a BatchComponent", component);
  return component;
}

function digestOf(memories: readonly Uint8Array[]): string {
  let n = 0;
  for (const m of memories) n += m.length;
  const all = new Uint8Array(n);
  let p = 0;
  for (const m of memories) {
    all.set(m, p);
    p += m.length;
  }
  return sha256Hex(all);
}

function storeFor(limits: ExecutionLimits, fuel: number): Store {
  return new Store({ fuel, costs: "wasmtime", canonicalizeNaNs: limits.canonicalizeNaNs, limits: { maxMemoryPages: limits.maxMemoryPages } });
}

/**
 * Runs a stepped `invoke` from where it is (lowered, or restored and out of fuel) to its end or
 * its stop: the store's budget is cut to end at the stop point, and restored to the limit once
 * `invoke` returned, so lifting and `post-return` run under the same budget as an uninterrupted
 * invocation.
 */
function drive(component: BatchComponent, stepped: SteppedInvoke, store: Store, startFuel: number, stop: { stopAt: number | undefined; onOutOfFuel: boolean }): SteppedInvocation {
  const limits = component.limits;
  const parts = component._stepping();
  const s: InvocationStore = { store, snapshot: parts.snapshot, fuelConsumed: () => store.fuelConsumed + startFuel };
  const started = performance.now();
  const call: ComponentCall = stepped.call;
  const finished = (r: { outputs?: InvocationReport["outputs"]; error?: PureflowError }): FinishedInvocation => {
    const report: InvocationReport = { fuelLimit: limits.fuel, fuelConsumed: s.fuelConsumed(), elapsedMs: performance.now() - started };
    if (r.outputs !== undefined) report.outputs = r.outputs;
    if (r.error !== undefined) report.error = r.error;
    return { state: "finished", report, memorySha256: digestOf(stepped.memories()) };
  };
  const cutting = stop.stopAt !== undefined && stop.stopAt < limits.fuel;
  const budgetTo = (point: number): void => store.setFuel(Math.max(0, point - s.fuelConsumed()));
  try {
    budgetTo(cutting ? stop.stopAt! : limits.fuel);
    call.run();
    if (call.state === "out-of-fuel") {
      if (!cutting && !stop.onOutOfFuel) call.abandon();
      const reason = cutting ? "stop-at-fuel" : "out-of-fuel";
      const host: HostPart = {
        format: INVOCATION_SNAPSHOT_FORMAT,
        limits: { fuel: limits.fuel, maxMemoryPages: limits.maxMemoryPages, maxOutputBytes: limits.maxOutputBytes, canonicalizeNaNs: limits.canonicalizeNaNs },
        startFuel,
        fuelConsumed: s.fuelConsumed(),
        reason,
      };
      return { state: "stopped", reason, snapshot: captureOrFail(call, host), fuelConsumed: host.fuelConsumed };
    }
    budgetTo(limits.fuel);
    return finished(outputsFromInvokeResult(invokeResultFromValue(call.finish())));
  } catch (e) {
    if (e instanceof PureflowError) throw e;
    return finished({ error: parts.mapError(e, s) });
  }
}

function captureOrFail(call: ComponentCall, host: HostPart): Uint8Array {
  try {
    return call.capture(host);
  } catch (e) {
    throw snapshotError(e);
  }
}

function snapshotError(e: unknown): PureflowError {
  const message = e instanceof Error ? e.message : String(e);
  return PureflowError.execution(`invalid execution snapshot: ${message}`, { cause: e, trap: "call-snapshot-invalid" });
}

/**
 * Invokes `component` on `inputs` in a fresh instance, as {@link BatchComponent.invokeWithReport}
 * does, but stops at `options.stopAtFuel` (or, with `stopOnOutOfFuel`, at the fuel limit) and
 * returns the captured state; without a stop it finishes with the same report.
 * @throws PureflowError for bad arguments, or (`call-snapshot-invalid`) when the stopped state
 * cannot be captured (e.g. a host function on the call stack)
 */
export function invokeUntil(component: BatchComponent, inputs: BatchInputs | PortBatches, options?: StopOptions): SteppedInvocation {
  const c = componentArgument(component);
  const stop = checkStop(options);
  const parts = c._stepping();
  const limits = c.limits;
  const started = performance.now();
  const early = (error: PureflowError, fuelConsumed: number): FinishedInvocation => ({
    state: "finished",
    report: { error, fuelLimit: limits.fuel, fuelConsumed, elapsedMs: performance.now() - started },
    memorySha256: digestOf([]),
  });
  if (parts.bindingError !== undefined || parts.binding === undefined) return early(parts.bindingError ?? PureflowError.execution("no binding"), 0);
  let wit;
  try {
    wit = toWitPortBatches(inputs);
  } catch (e) {
    return early(e instanceof PureflowError ? e : PureflowError.execution(`invalid input batch: ${e instanceof Error ? e.message : String(e)}`, { cause: e }), 0);
  }
  const startFuel = parts.snapshot === undefined ? 0 : parts.snapshot.fuel;
  const store = storeFor(limits, limits.fuel - startFuel);
  let stepped: SteppedInvoke;
  try {
    stepped = parts.binding.startInvoke(wit, store, { maxLiftedBytes: limits.maxOutputBytes, snapshot: parts.snapshot });
  } catch (e) {
    const s: InvocationStore = { store, snapshot: parts.snapshot, fuelConsumed: () => store.fuelConsumed + startFuel };
    return early(parts.mapError(e, s), s.fuelConsumed());
  }
  return drive(c, stepped, store, startFuel, stop);
}

function hostPartOf(host: unknown): HostPart {
  const h = host as Partial<HostPart> | null;
  const l = h?.limits;
  const ok = h !== null && typeof h === "object" && h.format === INVOCATION_SNAPSHOT_FORMAT && typeof l === "object" && l !== null
    && [l.fuel, l.maxMemoryPages, l.maxOutputBytes, h.startFuel, h.fuelConsumed].every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
    && typeof l.canonicalizeNaNs === "boolean" && (h.reason === "stop-at-fuel" || h.reason === "out-of-fuel");
  if (!ok) throw new CallSnapshotError(`not a snapshot of a batch invocation (its host part is not a well-formed "${INVOCATION_SNAPSHOT_FORMAT}")`);
  return h as HostPart;
}

/**
 * Continues a stopped invocation from `snapshot` in a fresh store and instance of `component`
 * (the same component bytes, with the same memory-page and output-size limits and NaN mode; the
 * fuel limit is `component.limits.fuel`, so a snapshot taken at the fuel limit continues with a
 * larger one). It may stop again (`options`), so snapshots chain.
 * @throws PureflowError (`CDT-EXEC-001`, trap `call-snapshot-invalid`) when the snapshot is
 * damaged, truncated, edited, or of another component or limits; for bad arguments
 */
export function resumeInvocation(component: BatchComponent, snapshot: Uint8Array, options?: ResumeOptions): SteppedInvocation {
  const c = componentArgument(component);
  if (!(snapshot instanceof Uint8Array)) throw argumentError("snapshot", "a Uint8Array (an execution snapshot)", snapshot);
  const stop = checkStop(options);
  const parts = c._stepping();
  if (parts.binding === undefined) throw snapshotError(new Error(`the component does not implement the batch world (${parts.bindingError?.message ?? "no binding"})`));
  const limits = c.limits;
  const store = storeFor(limits, 0);
  let stepped: SteppedInvoke;
  let host: HostPart;
  try {
    stepped = parts.binding.restoreInvoke(snapshot, store);
    host = hostPartOf(stepped.host);
    const l = host.limits;
    for (const [name, was, now] of [["maxMemoryPages", l.maxMemoryPages, limits.maxMemoryPages], ["maxOutputBytes", l.maxOutputBytes, limits.maxOutputBytes], ["canonicalizeNaNs", l.canonicalizeNaNs, limits.canonicalizeNaNs]] as const) {
      if (was !== now) throw new CallSnapshotError(`the snapshot was taken with ${name} ${String(was)}; this component's limits say ${String(now)}`);
    }
    if (host.fuelConsumed !== store.fuelConsumed + host.startFuel) throw new CallSnapshotError(`the snapshot's fuel figures disagree (${host.fuelConsumed} consumed, ${store.fuelConsumed} + ${host.startFuel} in its core part)`);
  } catch (e) {
    if (e instanceof PureflowError) throw e;
    throw snapshotError(e);
  }
  const onRestore = options?.onRestore;
  if (onRestore !== undefined) {
    if (typeof onRestore !== "function") throw argumentError("options.onRestore", "a function", onRestore);
    onRestore(stepped.memories());
  }
  return drive(c, stepped, store, host.startFuel, stop);
}
