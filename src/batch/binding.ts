/**
 * The `pureflow:batch` binding: finds and type-checks the guest's `invoke` export, converts the
 * typed values of `wit-types.ts` to and from the generic host values of the Canonical ABI
 * (`canonical-abi/types.ts`) by the host shape derived from the WIT descriptors
 * (`src/host/host-shape.ts`; the payload is the world's one rule), and calls `invoke` in a fresh
 * component instance. All lifting and
 * lowering goes through the generic ABI, so the same code paths run any WIT function.
 *
 * Errors (all `ComponentError`s): a missing export is `MissingExportError` with Pureflow's
 * messages (`component does not export pureflow:batch/batch@0.1.0`, `component does not export
 * batch.invoke`, `batch.invoke export is not a function`); a wrong type is
 * `ExportTypeMismatchError` naming the first difference; instantiation and call errors are the
 * component layer's (import refused, ABI traps, guest traps).
 */
import {
  checkFuncType, Component, instantiateComponent, restoreComponentCall, type ComponentCall, type ComponentSnapshot, InvalidHostValueError, MissingExportError,
  type ExternType, type ValType, type Value, type AbiTrace,
} from "../../canonical-abi/index.js";
import { fromHostShape, toHostShape, type ShapeRule, type ShapeRules } from "../host/host-shape.js";
import type { Store } from "../../interpreter/index.js";
import {
  BATCH_INTERFACE_EXPORT, BATCH_INVOKE_EXPORT, invokeType, payloadType, portBatchesType,
  type WitBatchError, type WitInvokeResult, type WitPayload, type WitPortBatch,
} from "./wit-types.js";

/** The batch world's one rule of its own: the payload is `{ kind: "bytes", bytes }` / `{ kind: "control", json }`. */
const BATCH_RULES: ShapeRules = new Map<ValType, ShapeRule>([[payloadType, {
  toHost: (v) => {
    const p = v as { tag: string; value?: Value };
    return p.tag === "bytes" ? { kind: "bytes", bytes: p.value as Uint8Array } : { kind: "control", json: p.value as string };
  },
  fromHost: (host, path) => {
    const p = host as Partial<WitPayload> | null;
    if (p !== null && typeof p === "object" && p.kind === "bytes") return { tag: "bytes", value: p.bytes as Uint8Array };
    if (p !== null && typeof p === "object" && p.kind === "control") return { tag: "control", value: p.json as string };
    throw new InvalidHostValueError(`${path}: payload kind must be "bytes" or "control", got ${String(JSON.stringify((p as { kind?: unknown } | null)?.kind))}`);
  },
}]]);


/** Typed port batches -> the generic value of `list<port-batch>` (the host shape derived from the WIT). */
export function portBatchesToValue(inputs: readonly WitPortBatch[]): Value {
  if (!Array.isArray(inputs)) throw new InvalidHostValueError("inputs must be an array of port batches");
  return fromHostShape(portBatchesType, inputs, BATCH_RULES, "inputs");
}

/** The generic value of `list<port-batch>` -> typed port batches. */
export function portBatchesFromValue(v: Value): WitPortBatch[] {
  return toHostShape(portBatchesType, v, BATCH_RULES) as WitPortBatch[];
}

/** The generic value of `result<list<port-batch>, batch-error>` -> the typed result. */
export function invokeResultFromValue(v: Value | undefined): WitInvokeResult {
  const r = v as { tag: string; value?: Value };
  if (r.tag === "ok") return { ok: true, value: portBatchesFromValue(r.value as Value) };
  const e = r.value as { tag: string; value?: Value };
  const error: WitBatchError = { kind: e.tag as WitBatchError["kind"], message: e.value as string };
  return { ok: false, error };
}

/** Options of {@link BatchBinding.invoke}. */
export interface BatchInvokeOptions {
  /**
   * The output-size budget: the most bytes lifting the result may copy out of guest memory
   * (strings: their bytes; lists: `length × max(elem_size, 1)`, nested ones counted again; see
   * `canonical-abi/abi/lift-budget.ts`). Beyond it the call fails with
   * `LiftBudgetExceededError` before copying further. Default: no limit.
   */
  maxLiftedBytes?: number;
  /** Record the call's Canonical ABI steps into this trace (`canonical-abi/abi/trace.ts`). */
  trace?: AbiTrace | undefined;
  /** Start the instance from this snapshot of the component instead of instantiating afresh. */
  snapshot?: ComponentSnapshot | undefined;
}

/** Options of {@link BatchBinding.invokeAsync}. */
export interface BatchInvokeAsyncOptions extends BatchInvokeOptions {
  /** Aborting stops the guest at its next cancellation check. */
  signal?: AbortSignal;
  /** Interpreter steps between yields to the event loop. */
  sliceSteps?: number;
}

/** An `invoke` call run in steps, with the memories of its instance and the host data of the snapshot it was restored from (null otherwise). */
export interface SteppedInvoke {
  readonly call: ComponentCall;
  readonly host: unknown;
  memories(): Uint8Array[];
}

/** A component checked to implement the batch world, ready to invoke. */
export class BatchBinding {
  /** The component. */
  readonly component: Component;

  private constructor(component: Component) {
    this.component = component;
  }

  /** Decodes the component, checks it exports `pureflow:batch/batch@0.1.0` with `invoke` of the expected type (errors name the first difference). */
  static fromComponent(component: Component): BatchBinding {
    const iface: ExternType | undefined = component.exports.get(BATCH_INTERFACE_EXPORT);
    if (iface === undefined || iface.kind !== "instance") {
      throw new MissingExportError(`component does not export ${BATCH_INTERFACE_EXPORT}`, [BATCH_INTERFACE_EXPORT]);
    }
    const f = iface.type.exports.get(BATCH_INVOKE_EXPORT);
    if (f === undefined) throw new MissingExportError("component does not export batch.invoke", [BATCH_INTERFACE_EXPORT, BATCH_INVOKE_EXPORT]);
    if (f.kind !== "func") throw new MissingExportError("batch.invoke export is not a function", [BATCH_INTERFACE_EXPORT, BATCH_INVOKE_EXPORT]);
    checkFuncType("batch.invoke", invokeType, f.type, "invoke");
    return new BatchBinding(component);
  }

  /** Fresh component instance in `store`, lowers inputs (through the generic ABI), calls, lifts, post-return. */
  invoke(inputs: WitPortBatch[], store: Store, options: BatchInvokeOptions = {}): WitInvokeResult {
    const args = [portBatchesToValue(inputs)];
    const f = instantiateComponent(this.component, options.snapshot === undefined ? { store } : { store, snapshot: options.snapshot }).getExport([BATCH_INTERFACE_EXPORT, BATCH_INVOKE_EXPORT]);
    return invokeResultFromValue(f.call(args, options.trace === undefined ? { maxLiftedBytes: options.maxLiftedBytes } : { maxLiftedBytes: options.maxLiftedBytes, trace: options.trace }));
  }

  /**
   * Execution snapshots (issue 16): a fresh instance, inputs lowered, and `invoke` ready to run
   * in steps (`ComponentCall`: `run()` until it returns or the store runs out of fuel, `capture()`,
   * `finish()`). Lowering errors are thrown as {@link invoke} throws them.
   */
  startInvoke(inputs: WitPortBatch[], store: Store, options: BatchInvokeOptions = {}): SteppedInvoke {
    const args = [portBatchesToValue(inputs)];
    const instance = instantiateComponent(this.component, options.snapshot === undefined ? { store } : { store, snapshot: options.snapshot });
    const call = instance.startCall([BATCH_INTERFACE_EXPORT, BATCH_INVOKE_EXPORT], args, { maxLiftedBytes: options.maxLiftedBytes });
    return { call, host: null, memories: () => memoriesOf(instance.coreInstances) };
  }

  /** Restores an `invoke` call captured by `ComponentCall.capture()` into a fresh instance in `store` (`restoreComponentCall`). */
  restoreInvoke(snapshot: Uint8Array, store: Store): SteppedInvoke {
    const r = restoreComponentCall(this.component, snapshot, { store });
    return { call: r.call, host: r.host, memories: () => memoriesOf(r.instance.coreInstances) };
  }

  /** The same, with the main core call in cooperative slices (timers and aborts run between slices). */
  async invokeAsync(inputs: WitPortBatch[], store: Store, options: BatchInvokeAsyncOptions = {}): Promise<WitInvokeResult> {
    const args = [portBatchesToValue(inputs)];
    const f = instantiateComponent(this.component, options.snapshot === undefined ? { store } : { store, snapshot: options.snapshot }).getExport([BATCH_INTERFACE_EXPORT, BATCH_INVOKE_EXPORT]);
    const { snapshot: _snapshot, ...callOptions } = options;
    return invokeResultFromValue(await f.callAsync(args, callOptions));
  }
}

/** The bytes of every memory the core instances export, in instance order (for memory digests). */
export function memoriesOf(coreInstances: readonly Record<string, unknown>[]): Uint8Array[] {
  const seen = new Set<unknown>();
  const out: Uint8Array[] = [];
  for (const exports of coreInstances) {
    for (const v of Object.values(exports)) {
      const buffer = typeof v === "object" && v !== null && "buffer" in v ? (v as { buffer: unknown }).buffer : undefined;
      if (buffer instanceof ArrayBuffer && !seen.has(v)) {
        seen.add(v);
        out.push(new Uint8Array(buffer));
      }
    }
  }
  return out;
}
