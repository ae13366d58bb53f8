/**
 * The WIT-shaped JSON format of Pureflow's test vectors (`testdata/inputs.json`,
 * `expected-outputs.json`): an array of port-batches with the WIT's kebab-case field names,
 * payloads externally tagged (`{"bytes":[0..255,...]}` or `{"control":"<json text>"}`), and a
 * route `source` that is an endpoint object or `null` (absent also means none).
 *
 * Reading checks the shape strictly (unknown fields refused, like serde's
 * `deny_unknown_fields`) and names the JSON path of the first problem:
 * `invalid batch JSON at [0].packets[1].payload: ...` (`CDT-EXEC-001`). Ids are checked later,
 * by the batch conversion, with Pureflow's identifier errors (`CDT-VAL-001`).
 */
import { describeValue } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { argumentError } from "../arguments.js";
import { BatchInputs, BatchOutputs, PortBatches, toWitPortBatches, type MessageEndpoint, type PacketPayload } from "./batches.js";
import { controlPayloadFromText } from "./control-json.js";

/** A WIT-shaped JSON endpoint. */
export interface WitJsonEndpoint { "node-id": string; "port-id": string }
/** A WIT-shaped JSON packet. */
export interface WitJsonPacket {
  metadata: {
    "message-id": string;
    "workflow-id": string;
    execution: { "execution-id": string; attempt: number };
    route: { source: WitJsonEndpoint | null; target: WitJsonEndpoint };
  };
  payload: { bytes: number[] } | { control: string };
}
/** A WIT-shaped JSON port-batch. */
export interface WitJsonPortBatch { "port-id": string; packets: WitJsonPacket[] }

function bad(path: string, what: string): PureflowError {
  return PureflowError.execution(`invalid batch JSON at ${path === "" ? "top level" : path}: ${what}`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : describeValue(v);
}

function object(v: unknown, path: string, fields: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad(path, `expected an object, found ${describe(v)}`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!fields.includes(k) && !optional.includes(k)) throw bad(path, `unknown field \`${k}\`, expected one of ${[...fields, ...optional].map((f) => `\`${f}\``).join(", ")}`);
  }
  for (const f of fields) if (!(f in o)) throw bad(path, `missing field \`${f}\``);
  return o;
}

function string(v: unknown, path: string): string {
  if (typeof v !== "string") throw bad(path, `expected a string, found ${describe(v)}`);
  return v;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw bad(path, `expected an array, found ${describe(v)}`);
  return v;
}

function endpoint(v: unknown, path: string): MessageEndpoint {
  const o = object(v, path, ["node-id", "port-id"]);
  return { nodeId: string(o["node-id"], `${path}.node-id`), portId: string(o["port-id"], `${path}.port-id`) };
}

function payload(v: unknown, path: string): PacketPayload {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw bad(path, `expected {"bytes":[...]} or {"control":"..."}, found ${describe(v)}`);
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== "bytes" && keys[0] !== "control")) {
    throw bad(path, `expected exactly one of \`bytes\` or \`control\`, found ${keys.length === 0 ? "no field" : keys.map((k) => `\`${k}\``).join(", ")}`);
  }
  const o = v as Record<string, unknown>;
  if (keys[0] === "bytes") {
    const list = array(o.bytes, `${path}.bytes`);
    const bytes = new Uint8Array(list.length);
    list.forEach((b, i) => {
      if (typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255) throw bad(`${path}.bytes[${i}]`, `expected a byte (integer 0-255), found ${describe(b)}`);
      bytes[i] = b;
    });
    return { kind: "bytes", bytes };
  }
  const text = string(o.control, `${path}.control`);
  try {
    return controlPayloadFromText(text);
  } catch (e) {
    throw bad(`${path}.control`, `control payload is not JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads WIT-shaped JSON (text or an already parsed value) into `BatchInputs`: each port-batch's
 * packets are appended under its port id (a port-batch with no packets keeps an empty entry).
 * @throws PureflowError `CDT-EXEC-001` naming the JSON path of the first shape problem.
 */
export function batchInputsFromWitJson(json: string | unknown): BatchInputs {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw PureflowError.execution(`invalid batch JSON: ${(e as Error).message}`);
    }
  }
  const inputs = new BatchInputs();
  array(value, "").forEach((b, bi) => {
    const bp = `[${bi}]`;
    const o = object(b, bp, ["port-id", "packets"]);
    const port = string(o["port-id"], `${bp}.port-id`);
    if (!inputs.has(port)) inputs.setPort(port, []);
    array(o.packets, `${bp}.packets`).forEach((p, pi) => {
      const pp = `${bp}.packets[${pi}]`;
      const po = object(p, pp, ["metadata", "payload"]);
      const mp = `${pp}.metadata`;
      const m = object(po.metadata, mp, ["message-id", "workflow-id", "execution", "route"]);
      const ex = object(m.execution, `${mp}.execution`, ["execution-id", "attempt"]);
      const attempt = ex.attempt;
      if (typeof attempt !== "number" || !Number.isInteger(attempt) || attempt < 0 || attempt > 0xffffffff) {
        throw bad(`${mp}.execution.attempt`, `expected a u32, found ${describe(attempt)}`);
      }
      const route = object(m.route, `${mp}.route`, ["target"], ["source"]);
      const source = route.source === undefined || route.source === null ? null : endpoint(route.source, `${mp}.route.source`);
      inputs.push(port, {
        metadata: {
          messageId: string(m["message-id"], `${mp}.message-id`),
          workflowId: string(m["workflow-id"], `${mp}.workflow-id`),
          execution: { executionId: string(ex["execution-id"], `${mp}.execution.execution-id`), attempt },
          route: { source, target: endpoint(route.target, `${mp}.route.target`) },
        },
        payload: payload(po.payload, `${pp}.payload`),
      });
    });
  });
  return inputs;
}

/**
 * Writes batches (inputs or outputs) as WIT-shaped JSON values, ports in order; control as
 * compact sorted JSON text. The batches are checked as for sending ({@link toWitPortBatches}).
 * @throws PureflowError when `batches` is not a `PortBatches` or holds an invalid packet or id.
 */
export function batchesToWitJson(batches: PortBatches): WitJsonPortBatch[] {
  if (!(batches instanceof PortBatches)) throw argumentError("batches", "a BatchInputs or BatchOutputs", batches);
  return toWitPortBatches(batches).map((b) => ({
    "port-id": b.portId,
    packets: b.packets.map((p) => {
      const m = p.metadata;
      return {
        metadata: {
          "message-id": m.messageId,
          "workflow-id": m.workflowId,
          execution: { "execution-id": m.execution.executionId, attempt: m.execution.attempt },
          route: {
            source: m.route.source ? { "node-id": m.route.source.nodeId, "port-id": m.route.source.portId } : null,
            target: { "node-id": m.route.target.nodeId, "port-id": m.route.target.portId },
          },
        },
        payload: p.payload.kind === "bytes" ? { bytes: [...p.payload.bytes] } : { control: p.payload.json },
      };
    }),
  }));
}

/** Reads WIT-shaped JSON as `BatchOutputs` (same rules as {@link batchInputsFromWitJson}). */
export function batchOutputsFromWitJson(json: string | unknown): BatchOutputs {
  const inputs = batchInputsFromWitJson(json);
  const out = new BatchOutputs();
  for (const [port, packets] of inputs.entries()) out.setPort(port, [...packets]);
  return out;
}
