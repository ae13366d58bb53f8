/**
 * The WIT-shaped JSON format of Pureflow's test vectors (`testdata/inputs.json`,
 * `expected-outputs.json`): an array of port-batches with the WIT's kebab-case field names,
 * payloads externally tagged (`{"bytes":[0..255,...]}` or `{"control":"<json text>"}`), and a
 * route `source` that is an endpoint object or `null` (absent also means none).
 *
 * This is the generic WIT-shaped JSON of `list<port-batch>` (`src/host/wit-json-value.ts`, derived
 * from the type descriptors in `wit-types.ts`); the only batch-specific step is the control text,
 * kept in serde's form (`controlPayloadFromText`). Reading checks the shape strictly (unknown
 * fields refused, like serde's `deny_unknown_fields`) and names the JSON path of the first
 * problem: `invalid batch JSON at [0].packets[1].payload: ...` (`CDT-EXEC-001`). Ids are checked
 * later, by the batch conversion, with Pureflow's identifier errors (`CDT-VAL-001`).
 */
import { PureflowError } from "../errors.js";
import { argumentError } from "../arguments.js";
import { valueFromWitJson, valueToWitJson } from "../host/wit-json-value.js";
import { BatchInputs, BatchOutputs, CheckedBatchInputs, PortBatches, freshOutputsToWit, toWitPortBatches, type PacketPayload } from "./batches.js";
import { portBatchesFromValue, portBatchesToValue } from "./binding.js";
import { controlPayloadFromText } from "./control-json.js";
import { portBatchesType, type WitPortBatch } from "./wit-types.js";

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


function bad(path: string, what: string): never {
  throw PureflowError.execution(`invalid batch JSON at ${path === "" ? "top level" : path}: ${what}`);
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
  const batches = portBatchesFromValue(valueFromWitJson(portBatchesType, value, { root: "", fail: bad }));
  const inputs = new BatchInputs();
  batches.forEach((b, bi) => {
    if (!inputs.has(b.portId)) inputs.setPort(b.portId, []);
    b.packets.forEach((p, pi) => {
      let payload: PacketPayload;
      if (p.payload.kind === "bytes") payload = p.payload;
      else {
        try {
          payload = controlPayloadFromText(p.payload.json);
        } catch (e) {
          bad(`[${bi}].packets[${pi}].payload.control`, `control payload is not JSON: ${(e as Error).message}`);
        }
      }
      inputs.push(b.portId, { metadata: p.metadata, payload });
    });
  });
  return inputs;
}

/**
 * Writes batches (inputs or outputs) as WIT-shaped JSON values, ports in order; control as
 * compact sorted JSON text. The batches are checked as for sending ({@link toWitPortBatches}),
 * except inputs already checked ({@link CheckedBatchInputs}), which are written as they are.
 * @throws PureflowError when `batches` is not a `PortBatches` or holds an invalid packet or id.
 */
export function batchesToWitJson(batches: PortBatches | CheckedBatchInputs): WitJsonPortBatch[] {
  if (batches instanceof CheckedBatchInputs) return witPortBatchesToJson(batches._wit());
  if (!(batches instanceof PortBatches)) throw argumentError("batches", "a BatchInputs or BatchOutputs", batches);
  return witPortBatchesToJson(toWitPortBatches(batches));
}

/** WIT port-batches (already checked) as WIT-shaped JSON values, through the generic codec. */
function witPortBatchesToJson(wit: readonly WitPortBatch[]): WitJsonPortBatch[] {
  return valueToWitJson(portBatchesType, portBatchesToValue(wit)) as unknown as WitJsonPortBatch[];
}

/**
 * @internal {@link batchesToWitJson} for outputs an invocation has just returned and nothing has
 * changed since (the command line printing them): their ids were checked when they were lifted
 * and are not checked again (issue 15: once per direction).
 */
export function freshOutputsToWitJson(outputs: BatchOutputs): WitJsonPortBatch[] {
  return witPortBatchesToJson(freshOutputsToWit(outputs));
}

/** Reads WIT-shaped JSON as `BatchOutputs` (same rules as {@link batchInputsFromWitJson}). */
export function batchOutputsFromWitJson(json: string | unknown): BatchOutputs {
  const inputs = batchInputsFromWitJson(json);
  const out = new BatchOutputs();
  for (const [port, packets] of inputs.entries()) out.setPort(port, [...packets]);
  return out;
}
