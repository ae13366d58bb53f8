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
  CheckedBatchInputs,
  checkBatchInputs,
} from "./batch/batches.js";
export type { PortPacket, PacketPayload, MessageMetadata, MessageRoute, MessageEndpoint, ExecutionMetadata } from "./batch/batches.js";
export { batchInputsFromWitJson, batchOutputsFromWitJson, batchesToWitJson } from "./batch/wit-json.js";
export type { WitJsonPortBatch, WitJsonPacket, WitJsonEndpoint } from "./batch/wit-json.js";
export { parseControlJson, stringifyControlJson, ControlJsonSyntaxError } from "./batch/control-json.js";
export type { JsonValue, JsonObject } from "./batch/control-json.js";
export { validateIdentifier, identifierProblem, MAX_ID_BYTES } from "./batch/ids.js";
export type { IdKind } from "./batch/ids.js";
export type { WitPortBatch, WitPacket, WitPayload, WitMessageMetadata, WitBatchError, WitInvokeResult } from "./batch/wit-types.js";
export { recordInvocation, recordOf, invokeAndRecord, componentIdentity, replay, parseReplayRecord, limitsOf, REPLAY_FORMAT, REPLAY_VERSION } from "./replay/record.js";
export type { ReplayRecord, ReplayResult, ReplayDifference, RecordedOutcome, RecordOptions, ComponentIdentity, RecordedInvocation } from "./replay/record.js";
export { invokeUntil, resumeInvocation, INVOCATION_SNAPSHOT_FORMAT } from "./replay/snapshot.js";
export type { StopOptions, ResumeOptions, SteppedInvocation, StoppedInvocation, FinishedInvocation } from "./replay/snapshot.js";
// the rules world `pureflow:rules@0.1.0` (world `pureflow-rules-node`)
export { RuleComponent, RULES_CANCELLATION_REASON } from "./rules/rule-component.js";
export type { RuleComponentOptions, EvaluationReport } from "./rules/rule-component.js";
export { evaluateNative, globMatch } from "./rules/native-evaluator.js";
export { RuleNode, RULE_INPUT_PORT, DEAD_LETTER_PORT } from "./rules/rule-node.js";
export type { RuleNodePorts, RuleNodeOptions, RuleEvalRecord } from "./rules/rule-node.js";
export { conditionToArena, MAX_CONDITION_DEPTH } from "./rules/encode.js";
export type { HostEvalContext, ScalarMap } from "./rules/encode.js";
export { RULES_WIT_PACKAGE, RULES_WIT_WORLD, RULES_INTERFACE_EXPORT } from "./rules/wit-types.js";
export type {
  ScalarValue, ScalarEntry, Condition, LeafCondition, ConditionNode, ConditionTree, RuleAction, Rule, RuleSet,
  EvaluationStrategy, ConditionSurface, ConditionTrace, RuleDecision,
} from "./rules/wit-types.js";
export { parseSerdeValue, SerdeNumber, controlPayloadFromText, controlPayloadText, jsonValueOfSerde } from "./batch/control-json.js";
export type { SerdeValue } from "./batch/control-json.js";
export { ENGINE_VERSION } from "./version.js";
// the Canonical ABI call trace (InvokeOptions.trace; `pureflow-wasm run --trace-abi`)
export { AbiTrace, renderAbiTrace, memoryMap } from "../canonical-abi/index.js";
export type { AbiTraceEvent, AbiTraceJson, AbiTraceOptions, TouchedByte } from "../canonical-abi/index.js";
