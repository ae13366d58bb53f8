/**
 * Pureflow batches on the host side (`BatchInputs` / `BatchOutputs`: packets keyed by port id)
 * and their conversion to and from the WIT values of `pureflow:batch@0.1.0`, exactly as
 * Pureflow's Rust adapter does it:
 *
 * - {@link toWitPortBatches}: ports sorted by id (bytewise UTF-8), packet order kept, a port with
 *   no packets still sent as an empty port-batch; control payloads written as compact JSON with
 *   sorted keys. Host-side values are checked first (ids, attempt 1..2^32-1, payload shape),
 *   because JS cannot make them impossible the way Rust's types do.
 * - {@link fromWitPortBatches}: first every packet's metadata of every batch is validated, in
 *   Pureflow's order (message id, workflow id, execution id, attempt ≥ 1, route source node/port,
 *   route target node/port); then batch by batch the port id, then each control payload must
 *   parse as JSON. Duplicate ports are merged by appending; port-batches with no packets leave no
 *   entry; ports come out sorted.
 */
import { describeValue } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { argumentError, checkObjectArgument, checkStringArgument } from "../arguments.js";
import { validateIdentifier } from "./ids.js";
import { compareCodePoints, controlPayloadFromText, controlPayloadText, type JsonValue } from "./control-json.js";
import type { WitPacket, WitPortBatch, WitPayload, WitMessageMetadata } from "./wit-types.js";

/** One end of a route. */
export interface MessageEndpoint {
  nodeId: string;
  portId: string;
}
/** Where a packet comes from (`null`: no source) and goes to. */
export interface MessageRoute {
  source: MessageEndpoint | null;
  target: MessageEndpoint;
}
/** The execution a packet belongs to; `attempt` is at least 1. */
export interface ExecutionMetadata {
  executionId: string;
  attempt: number;
}
/** A packet's metadata (Pureflow's `MessageMetadata`). */
export interface MessageMetadata {
  messageId: string;
  workflowId: string;
  execution: ExecutionMetadata;
  route: MessageRoute;
}
/** A packet's payload: raw bytes, or a JSON control value. */
/**
 * A packet's payload: raw bytes, or a JSON control value. A control payload read from JSON text
 * (a guest's output, a WIT-JSON file) also carries `json` (non-enumerable), that text in
 * serde_json's compact form, so it is sent on exactly as serde would (`1.0` stays `1.0`) for as
 * long as `value` still says the same.
 */
export type PacketPayload = { kind: "bytes"; bytes: Uint8Array } | { kind: "control"; value: JsonValue; readonly json?: string };
/** A packet (Pureflow's `PortPacket`). */
export interface PortPacket {
  metadata: MessageMetadata;
  payload: PacketPayload;
}

/** `v` must be an array of packet objects (their fields are checked when the batch is converted). */
function checkPacketList(argument: string, v: unknown): PortPacket[] {
  if (!Array.isArray(v)) throw argumentError(argument, "an array of packets", v);
  for (let i = 0; i < v.length; i++) checkObjectArgument(`${argument}[${i}]`, v[i], "a packet { metadata, payload }");
  return v as PortPacket[];
}

/**
 * Packets keyed by port id, ports iterated in bytewise UTF-8 order (Pureflow's `BTreeMap<PortId, Vec<PortPacket>>`).
 * Building one checks shapes only (ports are strings, packets objects; `PureflowError` naming the
 * argument otherwise); ids and packet fields are validated when the batch is sent.
 */
export class PortBatches {
  private readonly map = new Map<string, PortPacket[]>();

  /** Builds a batch set from `[port, packet]` pairs (appended in order). @throws PureflowError for a wrong shape */
  static fromPackets<T extends PortBatches>(this: new () => T, packets: Iterable<readonly [string, PortPacket]>): T {
    if (packets === null || packets === undefined || typeof (packets as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function" || typeof packets === "string") {
      throw argumentError("packets", "an iterable of [port, packet] pairs", packets);
    }
    const b = new this();
    let i = 0;
    for (const pair of packets as Iterable<unknown>) {
      if (!Array.isArray(pair) || pair.length !== 2) throw argumentError(`packets[${i}]`, "a [port, packet] pair", pair);
      b.push(checkStringArgument(`packets[${i}][0]`, pair[0]), checkObjectArgument(`packets[${i}][1]`, pair[1], "a packet { metadata, payload }") as unknown as PortPacket);
      i++;
    }
    return b;
  }

  /** Builds a batch set from `{ port: packets[] }` (an empty array keeps an empty entry). @throws PureflowError for a wrong shape */
  static fromRecord<T extends PortBatches>(this: new () => T, record: Readonly<Record<string, readonly PortPacket[]>>): T {
    checkObjectArgument("record", record, "an object { port: packets[] }");
    const b = new this();
    for (const [port, packets] of Object.entries(record)) b.setPort(port, [...checkPacketList(`record[${JSON.stringify(port)}]`, packets)]);
    return b;
  }

  /** Appends `packet` on `port`. @throws PureflowError when `port` is not a string or `packet` not an object */
  push(port: string, packet: PortPacket): this {
    checkStringArgument("port", port);
    checkObjectArgument("packet", packet, "a packet { metadata, payload }");
    const list = this.map.get(port);
    if (list) list.push(packet);
    else this.map.set(port, [packet]);
    return this;
  }

  /** Sets the packets of `port` (an empty array keeps an entry with no packets). @throws PureflowError for a wrong shape */
  setPort(port: string, packets: PortPacket[]): this {
    checkStringArgument("port", port);
    this.map.set(port, checkPacketList("packets", packets));
    return this;
  }

  /** The packets of `port` (empty when absent). */
  packets(port: string): readonly PortPacket[] {
    return this.map.get(port) ?? [];
  }

  /** Whether `port` has an entry. */
  has(port: string): boolean {
    return this.map.has(port);
  }

  /** Port ids in bytewise UTF-8 order. */
  ports(): string[] {
    return [...this.map.keys()].sort(compareCodePoints);
  }

  /** `[port, packets]` in bytewise UTF-8 port order. */
  entries(): [string, readonly PortPacket[]][] {
    return this.ports().map((p) => [p, this.map.get(p) as PortPacket[]]);
  }

  /** Number of port entries. */
  get size(): number {
    return this.map.size;
  }

  /** Total number of packets. */
  packetCount(): number {
    let n = 0;
    for (const l of this.map.values()) n += l.length;
    return n;
  }

  /** `{ port: packets[] }` in port order. */
  toRecord(): Record<string, PortPacket[]> {
    const out: Record<string, PortPacket[]> = {};
    for (const [p, l] of this.entries()) Object.defineProperty(out, p, { value: [...l], enumerable: true, writable: true, configurable: true });
    return out;
  }
}

/** The inputs of one invocation. */
export class BatchInputs extends PortBatches {}
/** The outputs of one invocation. */
export class BatchOutputs extends PortBatches {}

const MAX_U32 = 0xffffffff;

function inputProblem(message: string): PureflowError {
  return PureflowError.execution(`invalid input batch: ${message}`);
}

function checkString(v: unknown, what: string): string {
  if (typeof v !== "string") throw inputProblem(`${what} must be a string`);
  return v;
}

function checkEndpoint(e: unknown, what: string): MessageEndpoint {
  if (e === null || typeof e !== "object") throw inputProblem(`${what} must be an object with nodeId and portId`);
  const o = e as Partial<MessageEndpoint>;
  validateIdentifier("node id", checkString(o.nodeId, `${what}.nodeId`));
  validateIdentifier("port id", checkString(o.portId, `${what}.portId`));
  return { nodeId: o.nodeId as string, portId: o.portId as string };
}

/** Checks a host-side metadata value in Pureflow's order; returns it as WIT metadata. */
function checkMetadata(m: unknown): WitMessageMetadata {
  if (m === null || typeof m !== "object") throw inputProblem("packet metadata must be an object");
  const md = m as Partial<MessageMetadata>;
  const messageId = validateIdentifier("message id", checkString(md.messageId, "metadata.messageId"));
  const workflowId = validateIdentifier("workflow id", checkString(md.workflowId, "metadata.workflowId"));
  const ex = md.execution as Partial<ExecutionMetadata> | undefined;
  if (ex === null || typeof ex !== "object") throw inputProblem("metadata.execution must be an object");
  const executionId = validateIdentifier("execution id", checkString(ex.executionId, "metadata.execution.executionId"));
  const attempt = ex.attempt;
  if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 1 || attempt > MAX_U32) {
    throw inputProblem(`execution attempt must be an integer from 1 to ${MAX_U32}, got ${typeof attempt === "number" ? String(attempt) : describeValue(attempt)}`);
  }
  const route = md.route as Partial<MessageRoute> | undefined;
  if (route === null || typeof route !== "object") throw inputProblem("metadata.route must be an object");
  const source = route.source === null || route.source === undefined ? null : checkEndpoint(route.source, "metadata.route.source");
  const target = checkEndpoint(route.target, "metadata.route.target");
  return { messageId, workflowId, execution: { executionId, attempt }, route: { source, target } };
}

function toWitPayload(p: unknown): WitPayload {
  if (p === null || typeof p !== "object") throw inputProblem("packet payload must be an object");
  const pl = p as { kind?: unknown; bytes?: unknown; value?: unknown };
  if (pl.kind === "bytes") {
    if (!(pl.bytes instanceof Uint8Array)) throw inputProblem("a bytes payload must hold a Uint8Array");
    return { kind: "bytes", bytes: pl.bytes };
  }
  if (pl.kind === "control") return { kind: "control", json: controlPayloadText(pl as { value: JsonValue; json?: string }) };
  // Pureflow: any other payload variant (Arrow) is not part of the WIT ABI
  throw PureflowError.execution("payload is not supported by WIT ABI 0.1.0");
}

/**
 * Inputs as WIT port-batches: sorted by port id, packets in order, control as compact sorted JSON.
 * @throws PureflowError `CDT-VAL-001` for an invalid id, `CDT-EXEC-001` for a malformed value.
 */
export function toWitPortBatches(inputs: BatchInputs | PortBatches): WitPortBatch[] {
  if (!(inputs instanceof PortBatches)) throw inputProblem("inputs must be a BatchInputs");
  return inputs.entries().map(([portId, packets]) => {
    validateIdentifier("port id", portId);
    if (!Array.isArray(packets)) throw inputProblem(`port \`${portId}\` must hold an array of packets`);
    return {
      portId,
      packets: packets.map((p: unknown): WitPacket => {
        if (p === null || typeof p !== "object") throw inputProblem("a packet must be an object with metadata and payload");
        const pk = p as Partial<PortPacket>;
        return { metadata: checkMetadata(pk.metadata), payload: toWitPayload(pk.payload) };
      }),
    };
  });
}

/**
 * Inputs checked once: {@link checkBatchInputs} validates a `BatchInputs` (ids, attempts,
 * payloads, as {@link toWitPortBatches}) and keeps the WIT port-batches it made, privately, so
 * that invocations given this object lower them without checking or converting again (the
 * command line reports an input problem before any guest runs and then invokes with the same
 * conversion). Later changes to the original `BatchInputs` (ports, packets, metadata, control
 * values) do not reach it; a bytes payload's `Uint8Array` is shared, not copied.
 */
export class CheckedBatchInputs {
  readonly #wit: readonly WitPortBatch[];
  private constructor(wit: readonly WitPortBatch[]) {
    this.#wit = wit;
  }
  /** @internal Made by {@link checkBatchInputs} only. */
  static _of(wit: readonly WitPortBatch[]): CheckedBatchInputs {
    return new CheckedBatchInputs(wit);
  }
  /** @internal The WIT port-batches (read by the component's invocation). */
  _wit(): readonly WitPortBatch[] {
    return this.#wit;
  }
}

/**
 * Checks and converts `inputs` once (see {@link CheckedBatchInputs}).
 * @throws PureflowError `CDT-VAL-001` for an invalid id, `CDT-EXEC-001` for a malformed value
 */
export function checkBatchInputs(inputs: BatchInputs | PortBatches): CheckedBatchInputs {
  return CheckedBatchInputs._of(toWitPortBatches(inputs));
}

/**
 * @internal Outputs an invocation has just returned, as WIT port-batches, without checking their
 * ids again: {@link fromWitPortBatches} checked them when they were lifted, and the caller (the
 * command line, printing them) has not changed them since. Same conversion as
 * {@link toWitPortBatches} otherwise (ports in order, control as compact sorted JSON).
 */
export function freshOutputsToWit(outputs: BatchOutputs): WitPortBatch[] {
  return outputs.entries().map(([portId, packets]) => ({ portId, packets: packets.map((p): WitPacket => ({ metadata: p.metadata, payload: toWitPayload(p.payload) })) }));
}

/** `v` must be a WIT endpoint `{ nodeId, portId }` of strings. */
function checkWitEndpoint(argument: string, v: unknown): void {
  const o = checkObjectArgument(argument, v, "an endpoint { nodeId, portId }");
  checkStringArgument(`${argument}.nodeId`, o.nodeId);
  checkStringArgument(`${argument}.portId`, o.portId);
}

/**
 * `v` must be WIT port-batches as the binding lifts them (`wit-types.ts`): the shape only, not
 * the ids (those are Pureflow's validation, with its own errors and order). Lifted guest values
 * always pass; a caller's hand-made value gets a `PureflowError` naming the first wrong field.
 */
export function checkWitPortBatchesArgument(argument: string, v: unknown): readonly WitPortBatch[] {
  if (!Array.isArray(v)) throw argumentError(argument, "an array of WIT port-batches { portId, packets }", v);
  v.forEach((b: unknown, bi) => {
    const bp = `${argument}[${bi}]`;
    const bo = checkObjectArgument(bp, b, "a WIT port-batch { portId, packets }");
    checkStringArgument(`${bp}.portId`, bo.portId);
    if (!Array.isArray(bo.packets)) throw argumentError(`${bp}.packets`, "an array of WIT packets", bo.packets);
    bo.packets.forEach((p: unknown, pi) => {
      const pp = `${bp}.packets[${pi}]`;
      const po = checkObjectArgument(pp, p, "a WIT packet { metadata, payload }");
      const m = checkObjectArgument(`${pp}.metadata`, po.metadata, "WIT metadata { messageId, workflowId, execution, route }");
      checkStringArgument(`${pp}.metadata.messageId`, m.messageId);
      checkStringArgument(`${pp}.metadata.workflowId`, m.workflowId);
      const ex = checkObjectArgument(`${pp}.metadata.execution`, m.execution, "{ executionId, attempt }");
      checkStringArgument(`${pp}.metadata.execution.executionId`, ex.executionId);
      const attempt = ex.attempt;
      if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 0 || attempt > MAX_U32) {
        throw argumentError(`${pp}.metadata.execution.attempt`, `an integer from 0 to ${MAX_U32}`, attempt);
      }
      const route = checkObjectArgument(`${pp}.metadata.route`, m.route, "{ source, target }");
      if (route.source !== null && route.source !== undefined) checkWitEndpoint(`${pp}.metadata.route.source`, route.source);
      checkWitEndpoint(`${pp}.metadata.route.target`, route.target);
      const pl = checkObjectArgument(`${pp}.payload`, po.payload, "{ kind: \"bytes\", bytes } or { kind: \"control\", json }");
      if (pl.kind === "bytes") {
        if (!(pl.bytes instanceof Uint8Array)) throw argumentError(`${pp}.payload.bytes`, "a Uint8Array", pl.bytes);
      } else if (pl.kind === "control") {
        checkStringArgument(`${pp}.payload.json`, pl.json);
      } else {
        throw argumentError(`${pp}.payload.kind`, "\"bytes\" or \"control\"", pl.kind);
      }
    });
  });
  return v as readonly WitPortBatch[];
}

/** Validates one guest packet's metadata in Pureflow's order. */
function validateGuestMetadata(m: WitMessageMetadata): MessageMetadata {
  validateIdentifier("message id", m.messageId);
  validateIdentifier("workflow id", m.workflowId);
  validateIdentifier("execution id", m.execution.executionId);
  if (m.execution.attempt === 0) throw PureflowError.execution("guest returned zero execution attempt");
  const source = m.route.source ?? null;
  if (source) {
    validateIdentifier("node id", source.nodeId);
    validateIdentifier("port id", source.portId);
  }
  validateIdentifier("node id", m.route.target.nodeId);
  validateIdentifier("port id", m.route.target.portId);
  return {
    messageId: m.messageId,
    workflowId: m.workflowId,
    execution: { executionId: m.execution.executionId, attempt: m.execution.attempt },
    route: {
      source: source ? { nodeId: source.nodeId, portId: source.portId } : null,
      target: { nodeId: m.route.target.nodeId, portId: m.route.target.portId },
    },
  };
}

/**
 * Guest output port-batches as `BatchOutputs`, validated and normalised as Pureflow's host does.
 * @throws PureflowError `CDT-VAL-001` for an invalid id; `CDT-EXEC-001` for attempt 0
 * (`guest returned zero execution attempt`) or control text that is not JSON
 * (`guest returned invalid control payload: {serde error}`), or for a value of the wrong shape
 * (`invalid argument \`batches[0].portId\`: ...`).
 */
export function fromWitPortBatches(batches: readonly WitPortBatch[]): BatchOutputs {
  checkWitPortBatchesArgument("batches", batches);
  const metadata = batches.map((b) => b.packets.map((p) => validateGuestMetadata(p.metadata)));
  const out = new BatchOutputs();
  batches.forEach((b, bi) => {
    validateIdentifier("port id", b.portId);
    b.packets.forEach((p, pi) => {
      let payload: PacketPayload;
      if (p.payload.kind === "bytes") payload = { kind: "bytes", bytes: p.payload.bytes };
      else {
        try {
          payload = controlPayloadFromText(p.payload.json);
        } catch (e) {
          throw PureflowError.execution(`guest returned invalid control payload: ${(e as Error).message}`, { cause: e });
        }
      }
      out.push(b.portId, { metadata: metadata[bi][pi], payload });
    });
  });
  return out;
}

/** A guest's `batch-error` as Pureflow reports it: `CDT-EXEC-001` `guest returned {case}: {message}`. */
export function guestErrorToPureflowError(error: { kind: string; message: string }): PureflowError {
  const o = checkObjectArgument("error", error, "a batch error { kind, message }");
  checkStringArgument("error.kind", o.kind);
  checkStringArgument("error.message", o.message);
  return PureflowError.execution(`guest returned ${error.kind}: ${error.message}`);
}
