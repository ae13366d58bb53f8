/**
 * Batches and their WIT conversion, mirroring the Rust adapter's unit tests:
 * round trip of bytes and control payloads, invalid control JSON, result decoding (validation
 * order, merge, drop, sort), guest error mapping, and the fixture testdata's WIT shape.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { BatchInputs, BatchOutputs, fromWitPortBatches, guestErrorToPureflowError, toWitPortBatches, type PortPacket } from "../../src/batch/batches.js";
import { batchInputsFromWitJson, batchesToWitJson } from "../../src/batch/wit-json.js";
import type { WitPortBatch } from "../../src/batch/wit-types.js";
import { PureflowError } from "../../src/errors.js";

function packet(id: string, payload: PortPacket["payload"], attempt = 1): PortPacket {
  return {
    metadata: {
      messageId: id,
      workflowId: "flow",
      execution: { executionId: "run-1", attempt },
      route: { source: { nodeId: "source", portId: "out" }, target: { nodeId: "wasm", portId: "in" } },
    },
    payload,
  };
}

function catchError(f: () => unknown): PureflowError {
  try {
    f();
  } catch (e) {
    assert.instance(e, PureflowError);
    return e as PureflowError;
  }
  throw new Error("expected an error");
}

test("port batches round trip bytes and control payloads; ports sorted bytewise, control compact and sorted", () => {
  const inputs = BatchInputs.fromPackets([
    ["z", packet("m1", { kind: "bytes", bytes: new Uint8Array([1, 2, 3]) })],
    ["a", packet("m2", { kind: "control", value: { b: [1, 2.5], a: "x" } })],
    ["é", packet("m3", { kind: "bytes", bytes: new Uint8Array([]) })],
    ["Z", packet("m4", { kind: "bytes", bytes: new Uint8Array([9]) })],
  ]);
  const wit = toWitPortBatches(inputs);
  assert.equal(wit.map((b) => b.portId), ["Z", "a", "z", "é"]);
  assert.equal(wit[1].packets[0].payload, { kind: "control", json: "{\"a\":\"x\",\"b\":[1,2.5]}" });
  const back = fromWitPortBatches(wit);
  assert.equal(back.ports(), ["Z", "a", "z", "é"]);
  assert.equal(back.packets("a"), inputs.packets("a"));
  assert.equal(back.packets("z"), inputs.packets("z"));
  assert.equal(back.packets("é"), inputs.packets("é"));
});

test("an input port with no packets is still sent as an empty port-batch", () => {
  const inputs = BatchInputs.fromRecord({ empty: [], a: [packet("m", { kind: "bytes", bytes: new Uint8Array([1]) })] });
  assert.equal(toWitPortBatches(inputs).map((b) => [b.portId, b.packets.length]), [["a", 1], ["empty", 0]]);
});

test("invalid control payload is rejected with serde's message", () => {
  const wit = toWitPortBatches(BatchInputs.fromPackets([["out", packet("m", { kind: "bytes", bytes: new Uint8Array() })]]));
  wit[0].packets[0].payload = { kind: "control", json: "not-json" };
  const e = catchError(() => fromWitPortBatches(wit));
  assert.is(String(e), "CDT-EXEC-001: node execution failed: guest returned invalid control payload: expected ident at line 1 column 2");
});

test("result decoding: duplicates merged in order, empty batches vanish, ports sorted", () => {
  const base = toWitPortBatches(BatchInputs.fromPackets([
    ["x", packet("m1", { kind: "bytes", bytes: new Uint8Array([1]) })],
    ["x", packet("m2", { kind: "control", value: [1, null] })],
  ]))[0];
  const batches: WitPortBatch[] = [
    { portId: "z", packets: [base.packets[0]] },
    { portId: "a", packets: [base.packets[1]] },
    { portId: "z", packets: [base.packets[1]] },
    { portId: "empty", packets: [] },
  ];
  const out = fromWitPortBatches(batches);
  assert.instance(out, BatchOutputs);
  assert.equal(out.ports(), ["a", "z"]);
  assert.equal(out.packets("z").map((p) => p.metadata.messageId), ["m1", "m2"]);
  assert.equal(out.packets("a")[0].payload, { kind: "control", value: [1, null] });
  assert.ok(!out.has("empty"));
  assert.equal(fromWitPortBatches([{ portId: "out", packets: [] }]).size, 0);
});

test("result decoding validates every metadata first, in Pureflow's order, before port ids", () => {
  const p = toWitPortBatches(BatchInputs.fromPackets([["x", packet("m", { kind: "bytes", bytes: new Uint8Array() })]]))[0].packets[0];
  const clone = () => structuredClone(p);
  const bad1 = clone();
  bad1.metadata.messageId = "";
  bad1.metadata.workflowId = " w";
  assert.is(catchError(() => fromWitPortBatches([{ portId: "ok", packets: [bad1] }])).message, "message id must not be empty");
  const bad2 = clone();
  bad2.metadata.workflowId = "w w";
  // the bad port id of batch 0 is reported after the bad metadata of batch 1
  assert.is(catchError(() => fromWitPortBatches([{ portId: "", packets: [] }, { portId: "ok", packets: [bad2] }])).message, "workflow id must not contain whitespace");
  const bad3 = clone();
  bad3.metadata.execution.attempt = 0;
  bad3.metadata.route.target.portId = "";
  const e3 = catchError(() => fromWitPortBatches([{ portId: "ok", packets: [bad3] }]));
  assert.is(String(e3), "CDT-EXEC-001: node execution failed: guest returned zero execution attempt");
  const bad4 = clone();
  bad4.metadata.route.source = { nodeId: "n\u0007", portId: "" };
  assert.is(catchError(() => fromWitPortBatches([{ portId: "ok", packets: [bad4] }])).message, "node id must not contain control characters");
  const bad5 = clone();
  bad5.metadata.route.source = null;
  bad5.metadata.route.target.nodeId = "x".repeat(257);
  assert.is(catchError(() => fromWitPortBatches([{ portId: "ok", packets: [bad5] }])).message, "node id must not exceed 256 bytes");
  const e6 = catchError(() => fromWitPortBatches([{ portId: "", packets: [] }]));
  assert.is(String(e6), "CDT-VAL-001: identifier validation failed: port id must not be empty");
});

test("guest error maps to an execution error", () => {
  const e = guestErrorToPureflowError({ kind: "unsupported-payload", message: "uppercase guest accepts only bytes payloads" });
  assert.is(String(e), "CDT-EXEC-001: node execution failed: guest returned unsupported-payload: uppercase guest accepts only bytes payloads");
  assert.is(e.visibility, "internal");
  assert.is(e.retry, "unknown");
  assert.is(guestErrorToPureflowError({ kind: "guest-failure", message: "boom" }).message, "guest returned guest-failure: boom");
});

test("host-side bad inputs: ids, attempt, payload shapes", () => {
  const bytes = { kind: "bytes", bytes: new Uint8Array() } as const;
  assert.is(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a b", packet("m", bytes)]]))).message, "port id must not contain whitespace");
  assert.is(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", packet("", bytes)]]))).code, "CDT-VAL-001");
  assert.match(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", packet("m", bytes, 0)]]))).message, /attempt must be an integer from 1 to 4294967295, got 0/);
  assert.match(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", packet("m", bytes, 1.5)]]))).message, /got 1.5/);
  assert.is(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", packet("m", { kind: "arrow" } as never)]]))).message, "payload is not supported by WIT ABI 0.1.0");
  assert.match(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", packet("m", { kind: "bytes", bytes: [1] } as never)]]))).message, /Uint8Array/);
  assert.match(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", packet("m", { kind: "control", value: NaN })]]))).message, /invalid control payload value/);
  assert.match(catchError(() => toWitPortBatches(BatchInputs.fromPackets([["a", { metadata: null } as never]]))).message, /metadata must be an object/);
  assert.match(catchError(() => toWitPortBatches({} as never)).message, /inputs must be a BatchInputs/);
});

test("the uppercase fixture's testdata has the WIT shape and round-trips through the JSON format", () => {
  const dir = join(projectRoot, "fixtures", "uppercase-guest", "testdata");
  for (const name of ["inputs.json", "expected-outputs.json"]) {
    const json = JSON.parse(readFileSync(join(dir, name), "utf8"));
    const batches = batchInputsFromWitJson(json);
    assert.is(batches.packetCount(), 2);
    assert.equal(batchesToWitJson(batches), json);
    toWitPortBatches(batches);
  }
});

test("WIT JSON shape errors name the path", () => {
  const msg = (v: unknown) => catchError(() => batchInputsFromWitJson(v)).message;
  assert.is(msg({}), "invalid batch JSON at top level: expected an array, found an object");
  assert.is(msg("[1"), msg("[1").startsWith("invalid batch JSON: ") ? msg("[1") : "?");
  assert.is(msg([{ "port-id": "a" }]), "invalid batch JSON at [0]: missing field `packets`");
  assert.is(msg([{ "port-id": "a", packets: [], extra: 1 }]), "invalid batch JSON at [0]: unknown field `extra`, expected one of `port-id`, `packets`");
  const good = JSON.parse(readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8"));
  const p = good[0].packets[0];
  p.payload = { bytes: [1, 256] };
  assert.is(msg(good), "invalid batch JSON at [0].packets[0].payload.bytes[1]: expected a byte (integer 0-255), found number 256");
  p.payload = { control: "{" };
  assert.is(msg(good), "invalid batch JSON at [0].packets[0].payload.control: control payload is not JSON: EOF while parsing an object at line 1 column 1");
  p.payload = { bytes: [], control: "1" };
  assert.match(msg(good), /exactly one of `bytes` or `control`/);
  p.payload = { bytes: [] };
  p.metadata.execution.attempt = -1;
  assert.is(msg(good), "invalid batch JSON at [0].packets[0].metadata.execution.attempt: expected a u32, found number -1");
});

test.run();
