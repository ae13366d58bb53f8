/**
 * The `pureflow:batch@0.1.0` contract at the ABI layer: the batch world's WIT types as type
 * descriptors (used to lower and lift through the generic Canonical ABI and to check a guest's
 * export), and the typed TypeScript values of the binding.
 *
 * WIT (interface `batch`, world `pureflow-node { export batch; }`):
 * `invoke: func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>`.
 */
import { T, type FuncType, type ListType, type RecordType, type ValType, type VariantType } from "../../canonical-abi/index.js";
import type { MessageEndpoint, MessageMetadata } from "./batches.js";

// The descriptors below are the objects `T.record`, `T.variant`, ... return, built without the
// argument checks of the public door: those checks are for callers' descriptors and walk every
// nested type again at each step, about 1.5 ms of every fresh process (each CLI run) for
// descriptors that are ours. Binding them to the guest's export still compares them with the
// checked `checkFuncType` (binding.ts).
const record = (fields: readonly (readonly [string, ValType])[], name: string): RecordType =>
  ({ kind: "record", fields: fields.map(([label, type]) => ({ label, type })), name });
const variant = (cases: readonly (readonly [string, ValType | null])[], name: string): VariantType =>
  ({ kind: "variant", cases: cases.map(([label, type]) => ({ label, type })), name });
const list = (elem: ValType): ListType => ({ kind: "list", elem });

/** The exported interface instance, as a component export name. */
export const BATCH_INTERFACE_EXPORT = "pureflow:batch/batch@0.1.0";
/** The function inside it. */
export const BATCH_INVOKE_EXPORT = "invoke";

/** `record endpoint { node-id: string, port-id: string }` */
export const endpointType: RecordType = record([["node-id", T.string], ["port-id", T.string]], "endpoint");
/** `record route { source: option<endpoint>, target: endpoint }` */
export const routeType: RecordType = record([["source", { kind: "option", type: endpointType }], ["target", endpointType]], "route");
/** `record execution { execution-id: string, attempt: u32 }` */
export const executionType: RecordType = record([["execution-id", T.string], ["attempt", T.u32]], "execution");
/** `record message-metadata { message-id, workflow-id: string, execution: execution, route: route }` */
export const messageMetadataType: RecordType = record([
  ["message-id", T.string], ["workflow-id", T.string], ["execution", executionType], ["route", routeType],
], "message-metadata");
/** `variant payload { bytes(list<u8>), control(string) }` */
export const payloadType: VariantType = variant([["bytes", list(T.u8)], ["control", T.string]], "payload");
/** `record packet { metadata: message-metadata, payload: payload }` */
export const packetType: RecordType = record([["metadata", messageMetadataType], ["payload", payloadType]], "packet");
/** `record port-batch { port-id: string, packets: list<packet> }` */
export const portBatchType: RecordType = record([["port-id", T.string], ["packets", list(packetType)]], "port-batch");
/** `list<port-batch>`: the inputs, and the outputs of `ok` */
export const portBatchesType: ListType = list(portBatchType);
/** `variant batch-error { guest-failure(string), unsupported-payload(string) }` */
export const batchErrorType: VariantType = variant([["guest-failure", T.string], ["unsupported-payload", T.string]], "batch-error");
/** `invoke: func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>` */
export const invokeType: FuncType = {
  kind: "func",
  params: [{ label: "inputs", type: portBatchesType }],
  result: { kind: "result", ok: portBatchesType, err: batchErrorType },
};

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
