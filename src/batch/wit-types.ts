/**
 * The `pureflow:batch@0.1.0` contract at the ABI layer: the batch world's WIT types as type
 * descriptors (used to lower and lift through the generic Canonical ABI and to check a guest's
 * export), and the typed TypeScript values of the binding.
 *
 * WIT (interface `batch`, world `pureflow-node { export batch; }`):
 * `invoke: func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>`.
 */
import { T, type FuncType, type RecordType, type VariantType } from "../../canonical-abi/index.js";
import type { MessageEndpoint, MessageMetadata } from "./batches.js";

/** The exported interface instance, as a component export name. */
export const BATCH_INTERFACE_EXPORT = "pureflow:batch/batch@0.1.0";
/** The function inside it. */
export const BATCH_INVOKE_EXPORT = "invoke";

/** `record endpoint { node-id: string, port-id: string }` */
export const endpointType: RecordType = T.record([["node-id", T.string], ["port-id", T.string]], "endpoint");
/** `record route { source: option<endpoint>, target: endpoint }` */
export const routeType: RecordType = T.record([["source", T.option(endpointType)], ["target", endpointType]], "route");
/** `record execution { execution-id: string, attempt: u32 }` */
export const executionType: RecordType = T.record([["execution-id", T.string], ["attempt", T.u32]], "execution");
/** `record message-metadata { message-id, workflow-id: string, execution: execution, route: route }` */
export const messageMetadataType: RecordType = T.record([
  ["message-id", T.string], ["workflow-id", T.string], ["execution", executionType], ["route", routeType],
], "message-metadata");
/** `variant payload { bytes(list<u8>), control(string) }` */
export const payloadType: VariantType = T.variant([["bytes", T.list(T.u8)], ["control", T.string]], "payload");
/** `record packet { metadata: message-metadata, payload: payload }` */
export const packetType: RecordType = T.record([["metadata", messageMetadataType], ["payload", payloadType]], "packet");
/** `record port-batch { port-id: string, packets: list<packet> }` */
export const portBatchType: RecordType = T.record([["port-id", T.string], ["packets", T.list(packetType)]], "port-batch");
/** `variant batch-error { guest-failure(string), unsupported-payload(string) }` */
export const batchErrorType: VariantType = T.variant([["guest-failure", T.string], ["unsupported-payload", T.string]], "batch-error");
/** `invoke: func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>` */
export const invokeType: FuncType = T.func([["inputs", T.list(portBatchType)]], T.result(T.list(portBatchType), batchErrorType));

/** `endpoint`: the host's {@link MessageEndpoint} (one declaration of the shape). */
export type WitEndpoint = MessageEndpoint;
/** `message-metadata`: the host's {@link MessageMetadata} (`route.source` null is `none`). */
export type WitMessageMetadata = MessageMetadata;
/** `payload`: `bytes` as a Uint8Array, `control` as JSON text. */
export type WitPayload = { kind: "bytes"; bytes: Uint8Array } | { kind: "control"; json: string };
/** `packet`. */
export interface WitPacket { metadata: WitMessageMetadata; payload: WitPayload }
/** `port-batch`. */
export interface WitPortBatch { portId: string; packets: WitPacket[] }
/** `batch-error`. */
export type WitBatchError = { kind: "guest-failure" | "unsupported-payload"; message: string };
/** The result of `invoke`. */
export type WitInvokeResult = { ok: true; value: WitPortBatch[] } | { ok: false; error: WitBatchError };
