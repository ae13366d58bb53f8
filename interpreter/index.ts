/**
 * The core interpreter's public door (re-exports only). Mirrors the standard WebAssembly JS API
 * (`Module`, `Instance`, `Memory`, `Table`, `Global`, `CompileError`, `LinkError`, `RuntimeError`,
 * `validate`, `compile`, `instantiate`; `js-api/`) so a harness written for `WebAssembly` runs by
 * swapping the namespace object (`pureflow-wasm/webassembly` gives a spec-shaped one), and adds:
 * - `Store`: fuel (exact per instruction), cost tables, resource limits, cancellation sources;
 * - `call` / `callAsync`: per-call options; run an exported function in slices, yielding to the
 *   event loop (abortable);
 * - `callResumable` / `ResumableCall`: stop on out-of-fuel and continue after `store.setFuel`;
 * - `snapshotInstances` / `restoreInstances`: start instance groups from a captured state;
 * - `captureCallSnapshot` / `restoreCallSnapshot`: a resumable call stopped out of fuel, as bytes
 *   that another store, process or JS runtime continues from (execution snapshots);
 * - `invokeRaw` / `readGlobalRaw`: internal raw-value entry points for the spec runner (floats as
 *   bits, never through a JS number).
 *
 * The error classes exported here take a stable `code` first (`new RuntimeError("unreachable")`);
 * the namespace object's constructors take `(message, options)` as the JS API says. Both share
 * one prototype each, so `instanceof` and `constructor` agree between them.
 */
// registers the loop's primer (execute/prime.ts)
import "./instantiate/primer.js";
import type { ValType } from "./decode/module.js";
import { valTypeName } from "./decode/module.js";

export { CompileError, InvalidArgumentRangeError, InvalidArgumentTypeError, InvalidStateError, LinkError, RuntimeError, UNCATCHABLE, describeValue } from "./errors.js";
export type { TrapCode, TrapDetails, CompileErrorKind, LinkErrorCode, ArgumentErrorCode, InvalidStateCode } from "./errors.js";
export { Store } from "./runtime/store.js";
export type { StoreOptions } from "./runtime/store.js";
export { SnapshotError, GroupSnapshot as InstanceSnapshot } from "./instantiate/snapshot.js";
export type { CostTable, CostsOption, PerUnitCosts } from "./runtime/costs.js";
export type { ResourceLimits } from "./runtime/limits.js";
export { DEFAULT_LIMITS } from "./runtime/limits.js";
export type { CancellationOptions, CancelCallbackResult } from "./runtime/cancellation.js";
export { DEFAULT_CHECK_INTERVAL } from "./runtime/cancellation.js";
export { sha256Hex } from "./runtime/sha256.js";
export type { AsyncCallOptions, CallOptions } from "./execute/invoke.js";
export type { RawValue } from "./execute/values.js";

export { Module } from "./js-api/module.js";
export type { ImportExportKind, ModuleExportDescriptor, ModuleImportDescriptor } from "./js-api/module.js";
export { Instance } from "./js-api/instance.js";
export type { InstanceOptions } from "./js-api/instance.js";
export { Memory, memoryBytes } from "./js-api/memory.js";
export type { MemoryDescriptor } from "./js-api/memory.js";
export { Table } from "./js-api/table.js";
export type { TableDescriptor } from "./js-api/table.js";
export { Global } from "./js-api/global.js";
export type { GlobalDescriptor } from "./js-api/global.js";
export { Exception, Tag, jsTag } from "./js-api/exception.js";
export type { ExceptionOptions, TagType } from "./js-api/exception.js";
export { compile, compileStreaming, instantiate, instantiateStreaming, validate } from "./js-api/namespace.js";
export type { WebAssemblyInstantiatedSource } from "./js-api/namespace.js";
export { call, callAsync, callResumable, invokeRaw, readGlobalRaw } from "./js-api/calls.js";
export type { ResumableCall } from "./js-api/calls.js";
export { captureCallSnapshot, inspectCallSnapshot, restoreCallSnapshot, restoreInstances, snapshotInstances } from "./js-api/snapshots.js";
export type { CallSnapshotInspection, InspectedFrame, InspectedValue } from "./execute/call-snapshot-inspect.js";
export { CALL_SNAPSHOT_VERSION } from "./execute/call-snapshot.js";

/** The value type names used in descriptors, by binary encoding (for messages). */
export function typeName(t: ValType): string {
  return valTypeName(t);
}
