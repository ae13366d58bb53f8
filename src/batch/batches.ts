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
import { PureflowError } from "../errors.js";
import { validateIdentifier } from "./ids.js";
import { compareCodePoints, parseControlJson, stringifyControlJson, type JsonValue } from "./control-json.js";
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
export type PacketPayload = { kind: "bytes"; bytes: Uint8Array } | { kind: "control"; value: JsonValue };
/** A packet (Pureflow's `PortPacket`). */
export interface PortPacket {
  metadata: MessageMetadata;
  payload: PacketPayload;
}

/** Packets keyed by port id, ports iterated in bytewise UTF-8 order (Pureflow's `BTreeMap<PortId, Vec<PortPacket>>`). */
export class PortBatches {
  private readonly map = new Map<string, PortPacket[]>();

  /** Builds a batch set from `[port, packet]` pairs (appended in order). */
  static fromPackets<T extends PortBatches>(this: new () => T, packets: Iterable<readonly [string, PortPacket]>): T {
    const b = new this();
    for (const [port, packet] of packets) b.push(port, packet);
    return b;
  }

  /** Builds a batch set from `{ port: packets[] }` (an empty array keeps an empty entry). */
  static fromRecord<T extends PortBatches>(this: new () => T, record: Readonly<Record<string, readonly PortPacket[]>>): T {
    const b = new this();
    for (const [port, packets] of Object.entries(record)) b.setPort(port, [...packets]);
    return b;
  }

  /** Appends `packet` on `port`. */
  push(port: string, packet: PortPacket): this {
    const list = this.map.get(port);
    if (list) list.push(packet);
    else this.map.set(port, [packet]);
    return this;
  }

  /** Sets the packets of `port` (an empty array keeps an entry with no packets). */
  setPort(port: string, packets: PortPacket[]): this {
    this.map.set(port, packets);
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
    throw inputProblem(`execution attempt must be an integer from 1 to ${MAX_U32}, got ${String(attempt)}`);
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
  if (pl.kind === "control") return { kind: "control", json: stringifyControlJson(pl.value as JsonValue) };
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
 * (`guest returned invalid control payload: {serde error}`).
 */
export function fromWitPortBatches(batches: readonly WitPortBatch[]): BatchOutputs {
  const metadata = batches.map((b) => b.packets.map((p) => validateGuestMetadata(p.metadata)));
  const out = new BatchOutputs();
  batches.forEach((b, bi) => {
    validateIdentifier("port id", b.portId);
    b.packets.forEach((p, pi) => {
      let payload: PacketPayload;
      if (p.payload.kind === "bytes") payload = { kind: "bytes", bytes: p.payload.bytes };
      else {
        try {
          payload = { kind: "control", value: parseControlJson(p.payload.json) };
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
  return PureflowError.execution(`guest returned ${error.kind}: ${error.message}`);
}
