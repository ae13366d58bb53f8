/**
 * Test helper: the WIT-shaped JSON of `../shared/notes/pureflow-data/` as the binding's typed
 * values, read by the generic WIT-JSON codec over the batch world's type descriptors (no second
 * declaration of the packet shape here).
 */
import { T } from "../../../canonical-abi/index.js";
import { valueFromWitJson } from "../../../src/host/wit-json-value.js";
import { portBatchesFromValue } from "../../../src/batch/binding.js";
import { portBatchType, type WitPortBatch } from "../../../src/batch/wit-types.js";

export function fromWitJson(json: unknown): WitPortBatch[] {
  return portBatchesFromValue(valueFromWitJson(T.list(portBatchType), json));
}

export function metadata(id: string) {
  return {
    messageId: id, workflowId: "flow", execution: { executionId: "run-1", attempt: 1 },
    route: { source: { nodeId: "source", portId: "out" }, target: { nodeId: "wasm", portId: "in" } },
  };
}
