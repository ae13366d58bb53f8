/** Test helper: the WIT-shaped JSON of `../shared/notes/pureflow-data/` to and from the binding's typed values. */
import type { WitEndpoint, WitPortBatch } from "../../../src/batch/wit-types.js";

type J = Record<string, unknown>;

function ep(j: J | null): WitEndpoint | null {
  return j === null ? null : { nodeId: j["node-id"] as string, portId: j["port-id"] as string };
}

export function fromWitJson(json: unknown): WitPortBatch[] {
  return (json as J[]).map((b) => ({
    portId: b["port-id"] as string,
    packets: (b.packets as J[]).map((p) => {
      const m = p.metadata as J;
      const ex = m.execution as J;
      const route = m.route as J;
      const pl = p.payload as J;
      return {
        metadata: {
          messageId: m["message-id"] as string,
          workflowId: m["workflow-id"] as string,
          execution: { executionId: ex["execution-id"] as string, attempt: ex.attempt as number },
          route: { source: ep(route.source as J | null), target: ep(route.target as J)! },
        },
        payload: "bytes" in pl ? { kind: "bytes" as const, bytes: Uint8Array.from(pl.bytes as number[]) } : { kind: "control" as const, json: pl.control as string },
      };
    }),
  }));
}

export function metadata(id: string) {
  return {
    messageId: id, workflowId: "flow", execution: { executionId: "run-1", attempt: 1 },
    route: { source: { nodeId: "source", portId: "out" }, target: { nodeId: "wasm", portId: "in" } },
  };
}
