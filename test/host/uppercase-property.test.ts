/**
 * The Rust adapter's QuickCheck property, with fast-check: 0–3 ports `in0..in2`, each with 0–4
 * packets of 0–64 random bytes; every packet comes back uppercased, in input order, on `out`.
 * Differential: the same batches through jco on Node's engine give the same result.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { BatchComponent, BatchInputs, batchesToWitJson, type PortPacket } from "../../src/index.js";
import { fixtureBytes } from "./guests.js";
import { loadReference, type JsonPortBatch } from "../fixtures/jco-reference.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 64);

function quickcheckPacket(p: number, i: number, data: Uint8Array): PortPacket {
  return {
    metadata: {
      messageId: `msg-${p}-${i}`,
      workflowId: "flow-quickcheck",
      execution: { executionId: "run-quickcheck", attempt: 1 },
      route: { source: { nodeId: "source", portId: "out" }, target: { nodeId: "wasm", portId: `in${p}` } },
    },
    payload: { kind: "bytes", bytes: data },
  };
}

test(`uppercase guest property (${RUNS} cases) agrees with the specification and with jco`, async () => {
  const bytesOfGuest = fixtureBytes("uppercase-guest");
  const guest = BatchComponent.fromComponentBytes(bytesOfGuest);
  const reference = await loadReference(bytesOfGuest);
  const arb = fc.array(fc.array(fc.uint8Array({ minLength: 0, maxLength: 64 }), { minLength: 0, maxLength: 4 }), { minLength: 0, maxLength: 3 });
  fc.assert(
    fc.property(arb, (ports) => {
      const inputs = new BatchInputs();
      ports.forEach((packets, p) => inputs.setPort(`in${p}`, packets.map((d, i) => quickcheckPacket(p, i, d))));
      const out = guest.invoke(inputs);
      const expected = ports.flatMap((packets) => packets.map((d) => [...d].map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b))));
      const got = out.packets("out").map((p) => (p.payload.kind === "bytes" ? [...p.payload.bytes] : []));
      assert.equal(got, expected);
      assert.equal(out.packets("out").map((p) => p.metadata.messageId), ports.flatMap((packets, p) => packets.map((_, i) => `msg-${p}-${i}`)));
      assert.is(out.size, expected.length === 0 ? 0 : 1);
      // jco on Node's engine: the raw WIT result (before the host drops the empty `out`)
      const ref = reference.invoke(batchesToWitJson(inputs) as JsonPortBatch[]);
      assert.ok(ref.ok);
      if (ref.ok) {
        const nonEmpty = ref.value.filter((b) => b.packets.length > 0);
        assert.equal(batchesToWitJson(out), nonEmpty);
      }
    }),
    { numRuns: RUNS, seed: Number(process.env.PROPERTY_SEED ?? 20260606) },
  );
});

test.run();
