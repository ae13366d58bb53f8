/**
 * The seam between the Pureflow host and the layers below it: compiling a component
 * (`canonical-abi`), making a fresh interpreter `Store` with fuel, memory limit and cancellation
 * for one invocation (`interpreter`), and calling the batch world's `invoke` through the
 * `pureflow:batch` binding (`src/batch/binding.ts`). Everything the host needs from those layers
 * goes through this file, so an interface change below touches one place.
 */
import { Component, snapshotComponent, type AbiTrace, type ComponentSnapshot } from "../../canonical-abi/index.js";
import { Store } from "../../interpreter/index.js";
import { BatchBinding } from "../batch/binding.js";
import type { WitInvokeResult, WitPortBatch } from "../batch/wit-types.js";
import type { CancellationToken } from "./cancellation.js";
import type { ExecutionLimits } from "./limits.js";

/** A compiled component (decoded and validated once, modules cached). */
export type CompiledComponent = Component;

/** Decodes, validates and links-checks `bytes` as a component. Throws the component layer's errors. */
export function compileComponent(bytes: Uint8Array): CompiledComponent {
  return Component.fromBytes(bytes);
}

/** The batch world's binding of a compiled component. Throws when the export is missing or mistyped. */
export function bindBatch(component: CompiledComponent): BatchBinding {
  return BatchBinding.fromComponent(component);
}

/** One invocation's store and its fuel budget. */
export interface InvocationStore {
  store: Store;
  /** The snapshot the instance starts from, if any. */
  snapshot: ComponentSnapshot | undefined;
  /** Fuel consumed so far. */
  fuelConsumed(): number;
}

/**
 * A fresh store: fresh fuel, the memory limit, and `token` polled every
 * `cancellationCheckInterval` steps (not at all when the token can never be cancelled, which
 * spares every core call — each `realloc` included — a poll).
 */
export function createStore(limits: ExecutionLimits, token: CancellationToken, snapshot?: ComponentSnapshot): InvocationStore {
  // starting from a snapshot: the fuel its start functions consumed is charged up front
  const spent = snapshot === undefined ? 0 : snapshot.fuel;
  const store = new Store({
    fuel: limits.fuel - spent,
    costs: "wasmtime",
    canonicalizeNaNs: limits.canonicalizeNaNs,
    limits: { maxMemoryPages: limits.maxMemoryPages },
    ...(token.canBeCancelled ? {
      cancellation: {
        checkInterval: limits.cancellationCheckInterval,
        callback: () => token.isCancelled(),
      },
    } : {}),
  });
  return {
    store,
    snapshot,
    fuelConsumed: () => store.fuelConsumed + spent,
  };
}

/** The most fuel the start functions may use for a snapshot to be taken (beyond it: no snapshot). */
export const MAX_SNAPSHOT_START_FUEL = 500_000_000;

/**
 * Instantiates `component` once under `limits` (a store with the invocation's fuel budget and
 * memory limit, no cancellation) and captures its state, with the fuel its start functions
 * consumed. Throws whatever the instantiation or the capture throws: the caller then keeps
 * instantiating afresh, so such a component behaves exactly as before.
 */
export function createSnapshot(component: CompiledComponent, limits: ExecutionLimits): ComponentSnapshot {
  // bounded: construction must end even for a start function that loops under a huge budget
  const store = new Store({ fuel: Math.min(limits.fuel, MAX_SNAPSHOT_START_FUEL), costs: "wasmtime", limits: { maxMemoryPages: limits.maxMemoryPages } });
  return snapshotComponent(component, { store, fuelConsumed: () => store.fuelConsumed });
}

/**
 * Calls `invoke` once, synchronously, in a fresh instance living in `store`; lifting the result
 * may copy at most `maxOutputBytes` (the lift budget).
 */
export function callInvoke(binding: BatchBinding, inputs: WitPortBatch[], s: InvocationStore, maxOutputBytes: number, trace?: AbiTrace): WitInvokeResult {
  trace?.useFuelSource(s.fuelConsumed);
  return binding.invoke(inputs, s.store, { maxLiftedBytes: maxOutputBytes, snapshot: s.snapshot, trace });
}

/** Calls `invoke` once in cooperative slices (the event loop runs between slices, so timers and aborts fire). */
export function callInvokeAsync(binding: BatchBinding, inputs: WitPortBatch[], s: InvocationStore, signal: AbortSignal | undefined, sliceSteps: number, maxOutputBytes: number, trace?: AbiTrace): Promise<WitInvokeResult> {
  trace?.useFuelSource(s.fuelConsumed);
  return binding.invokeAsync(inputs, s.store, { signal, sliceSteps, maxLiftedBytes: maxOutputBytes, snapshot: s.snapshot, trace });
}
