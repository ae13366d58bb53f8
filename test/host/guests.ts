/** Test helpers: loading fixture components and building packets. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import type { PortPacket } from "../../src/index.js";

/** The bytes of `fixtures/<name>/component.wasm`. */
export function fixtureBytes(name: string): Uint8Array {
  return readFileSync(join(projectRoot, "fixtures", name, name.endsWith("core-module") ? "module.wasm" : "component.wasm"));
}

/** The text of `fixtures/uppercase-guest/testdata/<file>`. */
export function testdata(file: string): string {
  return readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", file), "utf8");
}

/** A packet with the testdata's metadata. */
export function packet(id: string, payload: PortPacket["payload"], target = "in"): PortPacket {
  return {
    metadata: {
      messageId: id,
      workflowId: "flow",
      execution: { executionId: "run-1", attempt: 1 },
      route: { source: { nodeId: "source", portId: "out" }, target: { nodeId: "wasm", portId: target } },
    },
    payload,
  };
}

/** A bytes payload from text. */
export function bytes(text: string): PortPacket["payload"] {
  return { kind: "bytes", bytes: new TextEncoder().encode(text) };
}
