/**
 * Differential round trip through the echo guest: random batches (Unicode ids, bytes and control
 * payloads, empty ports) go through our host and through jco on Node's engine; after Pureflow's
 * output normalisation both give the same outputs, equal to the inputs minus empty ports.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { BatchComponent, BatchInputs, batchOutputsFromWitJson, batchesToWitJson, identifierProblem, type PortPacket } from "../../src/index.js";
import { fixtureBytes } from "./guests.js";
import { loadReference, type JsonPortBatch } from "../fixtures/jco-reference.js";

const id = fc.string({ minLength: 1, maxLength: 12, unit: fc.oneof(fc.constantFrom("a", "Z", "-", ":", "/", "é", "日", "😀", "\u00a0"), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })) })
  .filter((s) => identifierProblem("port id", s) === undefined);

const packetArb: fc.Arbitrary<PortPacket> = fc.record({
  messageId: id, workflowId: id, executionId: id, attempt: fc.integer({ min: 1, max: 0xffffffff }),
  source: fc.option(fc.tuple(id, id), { nil: null }), target: fc.tuple(id, id),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 32 }).map((bytes) => ({ kind: "bytes" as const, bytes })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => ({ kind: "control" as const, value: JSON.parse(JSON.stringify(v)) })),
  ),
}).map((r) => ({
  metadata: {
    messageId: r.messageId, workflowId: r.workflowId,
    execution: { executionId: r.executionId, attempt: r.attempt },
    route: { source: r.source ? { nodeId: r.source[0], portId: r.source[1] } : null, target: { nodeId: r.target[0], portId: r.target[1] } },
  },
  payload: r.payload,
}));

test("echo guest: our host and jco agree, and outputs equal inputs without empty ports", async () => {
  const bytes = fixtureBytes("echo-guest");
  const guest = BatchComponent.fromComponentBytes(bytes);
  const reference = await loadReference(bytes);
  fc.assert(
    fc.property(fc.dictionary(id, fc.array(packetArb, { maxLength: 3 }), { maxKeys: 4 }), (record) => {
      const inputs = BatchInputs.fromRecord(record);
      const ours = batchesToWitJson(guest.invoke(inputs));
      const ref = reference.invoke(batchesToWitJson(inputs) as JsonPortBatch[]);
      assert.ok(ref.ok, JSON.stringify(ref));
      if (!ref.ok) return;
      const theirs = batchesToWitJson(batchOutputsFromWitJson(ref.value.filter((b) => b.packets.length > 0)));
      assert.equal(ours, theirs);
      const expected = batchesToWitJson(inputs).filter((b) => b.packets.length > 0);
      assert.equal(ours, expected);
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 150), seed: Number(process.env.PROPERTY_SEED ?? 7) },
  );
});

test.run();
