/**
 * `BatchComponent`: a `pureflow:batch@0.1.0` guest component ready to be invoked, the
 * TypeScript counterpart of Pureflow's `WasmtimeBatchComponent`.
 *
 * Construction compiles the component once (decoded core modules are cached) and, unless the
 * `snapshot` option is false, instantiates it once and keeps the state of its core instances
 * (memories, globals, tables after data segments and start functions such as `_initialize`).
 * Every invocation gets a fresh instance — started from a copy of that snapshot, or instantiated
 * afresh — fresh memory and a fresh fuel budget, so nothing carries over between calls (guests
 * use bump allocators that never free). Start functions' fuel is charged to every invocation
 * either way (up front when snapshot-started), so the figures do not depend on the option.
 * What one invocation does, in order:
 * 1. a token that is already cancelled gives `CDT-CANCEL-001` (its reason, or
 *    `wasm guest invocation cancelled`) without touching the guest;
 * 2. the inputs are checked and converted (ports sorted bytewise, control as compact JSON);
 * 3. a fresh store (fuel, memory limit, cancellation polling) and instance; `invoke` is called;
 * 4. a failure is mapped: cancellation first (`CDT-CANCEL-001`), then fuel exhaustion
 *    (`guest exceeded fuel limit of {N} units`), instantiation (`failed to instantiate
 *    component: ...`), export lookup (Pureflow's three messages), and any other trap or ABI
 *    violation (`guest invoke failed: ...`, with the trap's code in `PureflowError.trap`);
 *    A result larger than the output-size limit (`ExecutionLimits.maxOutputBytes`, counted by
 *    the Canonical ABI's lift budget while lifting, so at most that many bytes are copied) is
 *    `guest output exceeds the output size limit of {N} bytes (...)`;
 * 5. `err(batch-error)` becomes `guest returned {case}: {message}`; otherwise the outputs are
 *    validated and normalised as Pureflow does (`fromWitPortBatches`).
 */
import { AbiTrace, type ComponentSnapshot } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { argumentError, checkIntegerArgument, checkOptionalFunctionArgument, checkOptionsArgument, checkSignalArgument } from "../arguments.js";
import { BatchInputs, BatchOutputs, CheckedBatchInputs, checkWitPortBatchesArgument, fromWitPortBatches, guestErrorToPureflowError, toWitPortBatches, type PortBatches } from "../batch/batches.js";
import type { WitInvokeResult, WitPortBatch } from "../batch/wit-types.js";
import { utf8ByteLength } from "../batch/ids.js";
import { CancellationToken } from "./cancellation.js";
import { NodeCapabilities, validateWasmCapabilitiesArgument } from "./capabilities.js";
import { ExecutionLimits } from "./limits.js";
import { bindBatch, callInvoke, callInvokeAsync, createSnapshot, createStore, type CompiledComponent, type InvocationStore } from "./engine.js";
import type { BatchBinding } from "../batch/binding.js";
import { asPureflowError, mapCallError, mapSetupError, messageOf, type InvocationErrorWording } from "./invocation-errors.js";
import { checkLimitsArgument, checkTokenArgument, compileWithOptions } from "./component-options.js";
import { DEFAULT_CANCELLATION_REASON } from "./cancellation.js";

/** How the batch world words instantiation and cancellation errors. */
const BATCH_WORDING: InvocationErrorWording = { component: "component", cancelledFallback: DEFAULT_CANCELLATION_REASON };

/** The package of the WIT contract. */
export const WIT_PACKAGE = "pureflow:batch@0.1.0";
/** The world a guest must implement. */
export const WIT_WORLD = "pureflow-node";
/** The exported interface instance, as a component export name. */
export const WIT_INTERFACE_EXPORT = "pureflow:batch/batch@0.1.0";

/** Options of {@link BatchComponent.fromComponentBytes}. */
export interface BatchComponentOptions {
  /** Per-invocation limits (default {@link ExecutionLimits.default}). */
  limits?: ExecutionLimits;
  /** When given, checked with {@link validateWasmCapabilities} first. */
  capabilities?: NodeCapabilities;
  /**
   * Snapshot-started instances (default `true`): the component is instantiated once at
   * construction (data segments, start functions such as a guest's `_initialize`) and every
   * invocation starts from a copy of that state instead of instantiating afresh. The fuel the
   * start functions consumed is charged to every invocation up front, so outputs, errors and
   * fuel figures are those of a fresh instantiation. When that first instantiation fails (or
   * its start functions need more than `MAX_SNAPSHOT_START_FUEL`, 500,000,000) or its state
   * cannot be captured, every invocation instantiates afresh (see {@link BatchComponent.snapshotProblem}).
   */
  snapshot?: boolean;
}

/** Options of one invocation. */
export interface InvokeOptions {
  /** A cancellation token (default: never cancelled). */
  token?: CancellationToken;
  /** An abort signal; aborting cancels the call (reason: the signal's reason). */
  signal?: AbortSignal;
  /** Async only: interpreter steps between yields to the event loop (default 100,000). */
  sliceSteps?: number;
  /** Async only: called between slices with the fuel consumed so far. */
  onProgress?: (progress: { fuelConsumed: number }) => void;
  /**
   * Records every Canonical ABI step of the call (`realloc`s with their fuel, values stored and
   * loaded with addresses, bytes and WIT paths, checks, flat arguments, return pointer,
   * `post-return`, the trap and where it fired) into this `AbiTrace`; `renderAbiTrace` prints it.
   * Default: none (no cost).
   */
  trace?: AbiTrace;
}

/** What one invocation did: its outputs or its error, with the fuel and time it took. */
export interface InvocationReport {
  outputs?: BatchOutputs;
  error?: PureflowError;
  /** The fuel budget of the call. */
  fuelLimit: number;
  /** Fuel consumed by guest code (including `cabi_realloc` while the inputs were lowered). */
  fuelConsumed: number;
  /** Wall-clock time of the call in milliseconds. */
  elapsedMs: number;
}

const DEFAULT_SLICE_STEPS = 100_000;

/** Throws the invalid-argument error for `argument`. */
function argumentFail(argument: string, expected: string, v: unknown): never {
  throw argumentError(argument, expected, v);
}

/** The checked options of one invocation. */
interface CheckedInvokeOptions {
  token: CancellationToken;
  signal: AbortSignal | undefined;
  sliceSteps: number;
  onProgress: ((progress: { fuelConsumed: number }) => void) | undefined;
  trace: AbiTrace | undefined;
}

/** Checks an invocation's options (`PureflowError` naming the option) and fills in the defaults. */
function checkInvokeOptions(options: InvokeOptions | undefined): CheckedInvokeOptions {
  const o = checkOptionsArgument("options", options);
  return {
    token: o.token === undefined ? CancellationToken.active() : checkTokenArgument("options.token", o.token),
    signal: o.signal === undefined ? undefined : checkSignalArgument("options.signal", o.signal),
    sliceSteps: o.sliceSteps === undefined ? DEFAULT_SLICE_STEPS : checkIntegerArgument("options.sliceSteps", o.sliceSteps, 1, 2 ** 31 - 1),
    onProgress: checkOptionalFunctionArgument("options.onProgress", o.onProgress) as CheckedInvokeOptions["onProgress"],
    trace: o.trace === undefined || o.trace instanceof AbiTrace ? o.trace : argumentFail("options.trace", "an AbiTrace", o.trace),
  };
}

/**
 * Total bytes a lifted result holds (strings in UTF-8, byte lists, control text). Informational:
 * the output-size limit is enforced while lifting, by the lift budget, whose count also includes
 * the lists' element storage, so it is never below this figure.
 */
export function liftedOutputBytes(batches: readonly WitPortBatch[]): number {
  checkWitPortBatchesArgument("batches", batches);
  let n = 0;
  for (const b of batches) {
    n += utf8ByteLength(b.portId);
    for (const p of b.packets) {
      const m = p.metadata;
      n += utf8ByteLength(m.messageId) + utf8ByteLength(m.workflowId) + utf8ByteLength(m.execution.executionId) + 4;
      if (m.route.source) n += utf8ByteLength(m.route.source.nodeId) + utf8ByteLength(m.route.source.portId);
      n += utf8ByteLength(m.route.target.nodeId) + utf8ByteLength(m.route.target.portId);
      n += p.payload.kind === "bytes" ? p.payload.bytes.length : utf8ByteLength(p.payload.json);
    }
  }
  return n;
}

/** @internal What {@link BatchComponent.invokeWitRaw} gives: the guest's raw result or an error, fuel and time. */
export interface RawInvocation {
  result?: WitInvokeResult;
  error?: PureflowError;
  fuelConsumed: number;
  elapsedMs: number;
}

/**
 * @internal Step 5 of an invocation: `err(batch-error)` becomes `guest returned {case}: {message}`,
 * `ok` outputs are validated and normalised (`fromWitPortBatches`).
 */
export function outputsFromInvokeResult(result: WitInvokeResult): { outputs?: BatchOutputs; error?: PureflowError } {
  try {
    if (!result.ok) return { error: guestErrorToPureflowError(result.error) };
    return { outputs: fromWitPortBatches(result.value) };
  } catch (e) {
    return { error: e instanceof PureflowError ? e : PureflowError.execution(`guest invoke failed: ${messageOf(e)}`, { cause: e }) };
  }
}

/** A compiled `pureflow:batch@0.1.0` component; every invocation runs in a fresh instance. */
export class BatchComponent {
  /** The limits applied to every invocation. */
  readonly limits: ExecutionLimits;
  private readonly component: CompiledComponent;
  private readonly binding: BatchBinding | undefined;
  /** A lookup/type problem found at construction; reported at invoke time, as wasmtime does. */
  private readonly bindingError: PureflowError | undefined;

  /** The state every invocation starts from, when snapshot-started. */
  private readonly snapshot: ComponentSnapshot | undefined;
  private readonly snapshotError: string | undefined;

  private constructor(component: CompiledComponent, limits: ExecutionLimits, snapshot: boolean) {
    this.component = component;
    this.limits = limits;
    let binding: BatchBinding | undefined;
    let bindingError: PureflowError | undefined;
    try {
      binding = bindBatch(component);
    } catch (e) {
      bindingError = BatchComponent.mapSetupError(e);
    }
    this.binding = binding;
    this.bindingError = bindingError;
    let snap: ComponentSnapshot | undefined;
    let snapError: string | undefined;
    if (!snapshot) snapError = "disabled by the snapshot option";
    else if (bindingError !== undefined) snapError = "the component does not implement the batch world";
    else {
      try {
        snap = createSnapshot(component, limits);
      } catch (e) {
        snapError = `the first instantiation failed or could not be captured: ${messageOf(e)}`;
      }
    }
    this.snapshot = snap;
    this.snapshotError = snapError;
  }

  /** True when invocations start from a snapshot of the instantiated component (see {@link BatchComponentOptions.snapshot}). */
  get snapshotStarted(): boolean {
    return this.snapshot !== undefined;
  }

  /** Why invocations do not start from a snapshot (undefined when they do). */
  snapshotProblem(): string | undefined {
    return this.snapshotError;
  }

  /** Fuel the component's start functions consume (charged to every invocation), when snapshot-started. */
  get startFuel(): number | undefined {
    return this.snapshot?.fuel;
  }

  /**
   * Compiles `bytes` (a component binary) with the default limits, or those in `options`.
   * @throws PureflowError `CDT-EXEC-001` `failed to compile component: ...`; `CDT-VAL-002` when
   * `options.capabilities` declares an effect; `invalid argument ...` for a wrong argument
   * (`bytes` not an ArrayBuffer or typed array, `options.limits` not an ExecutionLimits, ...).
   * `bytes` may be a `Uint8Array` (e.g. `readFileSync`), an `ArrayBuffer` (e.g.
   * `await (await fetch(url)).arrayBuffer()`) or any other typed array / DataView, as
   * `WebAssembly.Module` accepts; the bytes are read, never kept or changed.
   */
  static fromComponentBytes(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, options?: BatchComponentOptions): BatchComponent {
    const c = compileWithOptions(bytes, options, "component");
    return new BatchComponent(c.component, c.limits, c.snapshot);
  }

  /** Compiles with `limits` (Pureflow's `from_component_bytes_with_limits`). */
  static fromComponentBytesWithLimits(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, limits: ExecutionLimits): BatchComponent {
    checkLimitsArgument("limits", limits);
    return BatchComponent.fromComponentBytes(bytes, { limits });
  }

  /** Checks `capabilities` first, then compiles (Pureflow's `from_component_bytes_with_capabilities`). */
  static fromComponentBytesWithCapabilities(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, capabilities: NodeCapabilities): BatchComponent {
    validateWasmCapabilitiesArgument("capabilities", capabilities);
    return BatchComponent.fromComponentBytes(bytes, { capabilities });
  }

  /** Checks `capabilities`, then compiles with `limits`. */
  static fromComponentBytesWithCapabilitiesAndLimits(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, capabilities: NodeCapabilities, limits: ExecutionLimits): BatchComponent {
    validateWasmCapabilitiesArgument("capabilities", capabilities);
    checkLimitsArgument("limits", limits);
    return BatchComponent.fromComponentBytes(bytes, { capabilities, limits });
  }

  /** The export lookup / type problem that every invocation would report, if any (for inspection). */
  bindingProblem(): PureflowError | undefined {
    return this.bindingError;
  }

  /** The compiled component (for inspection). */
  get compiled(): CompiledComponent {
    return this.component;
  }

  /** Invokes the guest once with no cancellation. @throws PureflowError */
  invoke(inputs: BatchInputs | PortBatches | CheckedBatchInputs): BatchOutputs {
    return this.invokeWithCancellation(inputs, CancellationToken.active());
  }

  /** Invokes the guest once; `token` is polled before and during the call. @throws PureflowError */
  invokeWithCancellation(inputs: BatchInputs | PortBatches | CheckedBatchInputs, token: CancellationToken): BatchOutputs {
    checkTokenArgument("token", token);
    const report = this.invokeWithReport(inputs, { token });
    if (report.error) throw report.error;
    return report.outputs as BatchOutputs;
  }

  /**
   * Invokes the guest in cooperative slices: the event loop runs between slices, so an
   * `AbortSignal` (e.g. `AbortSignal.timeout(ms)`) stops a running guest. @throws PureflowError
   */
  async invokeAsync(inputs: BatchInputs | PortBatches | CheckedBatchInputs, options: InvokeOptions = {}): Promise<BatchOutputs> {
    const report = await this.invokeAsyncWithReport(inputs, options);
    if (report.error) throw report.error;
    return report.outputs as BatchOutputs;
  }

  /**
   * Like {@link invokeWithCancellation}, but never throws: the report holds outputs or error, fuel
   * and time (wrong options too: `invalid argument \`options.token\`: ...`).
   */
  invokeWithReport(inputs: BatchInputs | PortBatches | CheckedBatchInputs, options?: InvokeOptions): InvocationReport {
    const started = performance.now();
    let opts: CheckedInvokeOptions;
    try {
      opts = checkInvokeOptions(options);
    } catch (e) {
      return this.report({ error: asPureflowError(e, "invalid invocation options: ") }, 0, started);
    }
    const token = BatchComponent.tokenOf(opts);
    const prepared = this.prepare(inputs, token);
    if ("error" in prepared) return this.report({ error: prepared.error }, 0, started);
    const { wit, store } = prepared;
    let result: WitInvokeResult;
    try {
      result = callInvoke(this.binding as BatchBinding, wit, store, this.limits.maxOutputBytes, opts.trace);
    } catch (e) {
      return this.report({ error: this.mapCallError(e, token, store) }, store.fuelConsumed(), started);
    }
    return this.report(this.decode(result), store.fuelConsumed(), started);
  }

  /**
   * Like {@link invokeAsync}, but never rejects: the report holds outputs or error, fuel and time.
   * An `onProgress` callback that throws is not called again, and its error becomes the call's
   * error when the call otherwise succeeded (it never escapes into the timer).
   */
  async invokeAsyncWithReport(inputs: BatchInputs | PortBatches | CheckedBatchInputs, options?: InvokeOptions): Promise<InvocationReport> {
    const started = performance.now();
    let opts: CheckedInvokeOptions;
    try {
      opts = checkInvokeOptions(options);
    } catch (e) {
      return this.report({ error: asPureflowError(e, "invalid invocation options: ") }, 0, started);
    }
    const token = BatchComponent.tokenOf(opts);
    const prepared = this.prepare(inputs, token);
    if ("error" in prepared) return this.report({ error: prepared.error }, 0, started);
    const { wit, store } = prepared;
    const progress = opts.onProgress;
    let progressError: PureflowError | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    if (progress) {
      timer = setInterval(() => {
        try {
          progress({ fuelConsumed: store.fuelConsumed() });
        } catch (e) {
          progressError = asPureflowError(e, "the onProgress callback threw: ");
          clearInterval(timer);
        }
      }, 100);
    }
    let result: WitInvokeResult;
    try {
      result = await callInvokeAsync(this.binding as BatchBinding, wit, store, opts.signal, opts.sliceSteps, this.limits.maxOutputBytes, opts.trace);
    } catch (e) {
      return this.report({ error: this.mapCallError(e, token, store) }, store.fuelConsumed(), started);
    } finally {
      if (timer !== undefined) clearInterval(timer);
    }
    if (progressError !== undefined) return this.report({ error: progressError }, store.fuelConsumed(), started);
    return this.report(this.decode(result), store.fuelConsumed(), started);
  }

  private static tokenOf(options: CheckedInvokeOptions): CancellationToken {
    const token = options.token;
    const signal = options.signal;
    if (signal === undefined) return token;
    const fromSignal = CancellationToken.fromAbortSignal(signal);
    return CancellationToken.custom(() => {
      if (token.isCancelled()) return { cancelled: true, reason: token.reason() };
      if (fromSignal.isCancelled()) return { cancelled: true, reason: fromSignal.reason() };
      return { cancelled: false };
    });
  }

  private report(r: { outputs?: BatchOutputs; error?: PureflowError }, fuelConsumed: number, started: number): InvocationReport {
    const report: InvocationReport = { fuelLimit: this.limits.fuel, fuelConsumed, elapsedMs: performance.now() - started };
    if (r.outputs !== undefined) report.outputs = r.outputs;
    if (r.error !== undefined) report.error = r.error;
    return report;
  }

  /**
   * @internal The worker pool's door (`src/pool/worker.ts`): invokes with inputs already
   * converted by `toWitPortBatches` (on the calling thread) and returns the guest's raw result
   * undecoded, so the caller decodes it with {@link outputsFromInvokeResult} exactly as
   * {@link invokeWithReport} would. Same steps, same order, same errors and fuel otherwise.
   */
  invokeWitRaw(wit: WitPortBatch[], token: CancellationToken): RawInvocation {
    const started = performance.now();
    const prepared = this.prepareWith(() => wit, token);
    if ("error" in prepared) return { error: prepared.error, fuelConsumed: 0, elapsedMs: performance.now() - started };
    const { store } = prepared;
    try {
      const result = callInvoke(this.binding as BatchBinding, prepared.wit, store, this.limits.maxOutputBytes);
      return { result, fuelConsumed: store.fuelConsumed(), elapsedMs: performance.now() - started };
    } catch (e) {
      return { error: this.mapCallError(e, token, store), fuelConsumed: store.fuelConsumed(), elapsedMs: performance.now() - started };
    }
  }

  /**
   * @internal The door of execution snapshots (`src/replay/snapshot.ts`): the binding (or the
   * error every invocation reports), the state invocations start from, and the error mapping of
   * {@link invokeWithReport}, so a stepped invocation fails exactly as an uninterrupted one.
   */
  _stepping(): { binding: BatchBinding | undefined; bindingError: PureflowError | undefined; snapshot: ComponentSnapshot | undefined; mapError: (e: unknown, store: InvocationStore) => PureflowError } {
    return {
      binding: this.binding,
      bindingError: this.bindingError,
      snapshot: this.snapshot,
      mapError: (e, store) => this.mapCallError(e, CancellationToken.active(), store),
    };
  }

  private prepare(inputs: BatchInputs | PortBatches | CheckedBatchInputs, token: CancellationToken): { error: PureflowError } | { wit: WitPortBatch[]; store: InvocationStore } {
    // checked inputs (checkBatchInputs) are lowered as they are: checked and converted once
    return this.prepareWith(() => (inputs instanceof CheckedBatchInputs ? (inputs._wit() as WitPortBatch[]) : toWitPortBatches(inputs)), token);
  }

  private prepareWith(convert: () => WitPortBatch[], token: CancellationToken): { error: PureflowError } | { wit: WitPortBatch[]; store: InvocationStore } {
    try {
      // a custom token's probe may throw (a PureflowError naming the problem)
      if (token.isCancelled()) return { error: PureflowError.cancelled(token.reportedReason()) };
    } catch (e) {
      return { error: asPureflowError(e, "cancellation token failed: ") };
    }
    if (this.bindingError) return { error: this.bindingError };
    let wit: WitPortBatch[];
    try {
      wit = convert();
    } catch (e) {
      return { error: e instanceof PureflowError ? e : PureflowError.execution(`invalid input batch: ${messageOf(e)}`, { cause: e }) };
    }
    return { wit, store: createStore(this.limits, token, this.snapshot) };
  }

  private decode(result: WitInvokeResult): { outputs?: BatchOutputs; error?: PureflowError } {
    return outputsFromInvokeResult(result);
  }

  /** Maps an export lookup or instantiation problem found before the call. */
  private static mapSetupError(e: unknown): PureflowError {
    return mapSetupError(e, BATCH_WORDING);
  }

  private mapCallError(e: unknown, token: CancellationToken, store: InvocationStore): PureflowError {
    void store;
    return mapCallError(e, token, this.limits.fuel, BATCH_WORDING);
  }
}
