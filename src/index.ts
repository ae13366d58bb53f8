/**
 * pureflow-wasm: the public door of the Pureflow batch host.
 *
 * Run `pureflow:batch@0.1.0` guest components (world `pureflow-node`) on a WebAssembly
 * interpreter written in TypeScript, with Pureflow's semantics: fresh instance and fuel per
 * invocation, cancellation, Pureflow's validation of outputs and its exact error strings.
 *
 * ```ts
 * import { BatchComponent, batchInputsFromWitJson } from "pureflow-wasm";
 * const guest = BatchComponent.fromComponentBytes(bytes);
 * const outputs = guest.invoke(batchInputsFromWitJson(json));
 * ```
 */
export { PureflowError, isPureflowError } from "./errors.js";
export type { PureflowErrorCode, ErrorVisibility, RetryDisposition, PureflowErrorDetails } from "./errors.js";
export { BatchComponent, WIT_PACKAGE, WIT_WORLD, WIT_INTERFACE_EXPORT, liftedOutputBytes } from "./host/batch-component.js";
export type { BatchComponentOptions, InvokeOptions, InvocationReport } from "./host/batch-component.js";
export { BatchPool, POOL_CLOSED_REASON } from "./pool/batch-pool.js";
export type { BatchPoolOptions, PoolInvokeOptions, PoolCloseOptions } from "./pool/batch-pool.js";
export { invokeRepeated } from "./pool/repeat.js";
export type { RepeatOptions, RepeatSummary } from "./pool/repeat.js";
export {
  ExecutionLimits,
  DEFAULT_GUEST_FUEL,
  DEFAULT_CANCELLATION_CHECK_INTERVAL,
  DEFAULT_MAX_MEMORY_PAGES,
  DEFAULT_MAX_OUTPUT_BYTES,
} from "./host/limits.js";
export { CancellationToken, CancellationHandle, DEFAULT_CANCELLATION_REASON } from "./host/cancellation.js";
export { NodeCapabilities, validateWasmCapabilities, EFFECT_DEBUG_NAMES } from "./host/capabilities.js";
export type { EffectCapability, NodeCapabilitiesInit } from "./host/capabilities.js";
export {
  BatchInputs,
  BatchOutputs,
  PortBatches,
  toWitPortBatches,
  fromWitPortBatches,
  guestErrorToPureflowError,
} from "./batch/batches.js";
export type { PortPacket, PacketPayload, MessageMetadata, MessageRoute, MessageEndpoint, ExecutionMetadata } from "./batch/batches.js";
export { batchInputsFromWitJson, batchOutputsFromWitJson, batchesToWitJson } from "./batch/wit-json.js";
export type { WitJsonPortBatch, WitJsonPacket, WitJsonEndpoint } from "./batch/wit-json.js";
export { parseControlJson, stringifyControlJson, ControlJsonSyntaxError } from "./batch/control-json.js";
export type { JsonValue, JsonObject } from "./batch/control-json.js";
export { validateIdentifier, identifierProblem, MAX_ID_BYTES } from "./batch/ids.js";
export type { IdKind } from "./batch/ids.js";
export type { WitPortBatch, WitPacket, WitPayload, WitMessageMetadata, WitBatchError, WitInvokeResult } from "./batch/wit-types.js";
export { recordInvocation, recordOf, replay, parseReplayRecord, limitsOf, REPLAY_FORMAT, REPLAY_VERSION } from "./replay/record.js";
export type { ReplayRecord, ReplayResult, ReplayDifference, RecordedOutcome, RecordOptions } from "./replay/record.js";
export { ENGINE_VERSION } from "./version.js";
