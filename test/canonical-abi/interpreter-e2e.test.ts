/**
 * The batch binding end to end on our interpreter (the library's default engine): the
 * uppercase-like test guest gives the shared expected outputs, fuel and the store's limits
 * apply to realloc + callee + post-return, `invokeAsync` runs in slices and an abort stops a
 * spinning guest, and a fast-check property compares random batches (0–3 ports × 0–4 packets
 * × 0–64 bytes) between our interpreter and Node's engine running the same component.
 * Also measured: 1 MiB `list<u8>` through the ABI (an echo guest, so the guest does no per-byte work).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Component, GuestTrap } from "../../canonical-abi/index.js";
import { Store } from "../../interpreter/index.js";
import { BatchBinding } from "../../src/batch/binding.js";
import type { WitPortBatch } from "../../src/batch/wit-types.js";
import { sharedDirOrSkip, testOrSkip } from "../helpers/shared.js";
import { BATCH_WIT, buildComponent, guestWat } from "./helpers/build.js";
import { batchGuest } from "./helpers/guests.js";
import { nodeEngine } from "./helpers/node-engine.js";
import { fromWitJson, metadata } from "./helpers/wit-json.js";

const bytes = await buildComponent(guestWat("uppercase.wat"), BATCH_WIT, "pureflow-node");
const ours = BatchBinding.fromComponent(Component.fromBytes(bytes));
const oracle = BatchBinding.fromComponent(Component.fromBytes(bytes, { engine: nodeEngine }));

const vectors = sharedDirOrSkip("notes/pureflow-data", "uppercase test vectors");
testOrSkip(vectors)("shared inputs.json gives expected-outputs.json on the interpreter", () => {
  const dir = vectors as string;
  const inputs = fromWitJson(JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8")));
  const expected = fromWitJson(JSON.parse(readFileSync(join(dir, "expected-outputs.json"), "utf8")));
  const store = new Store({ fuel: 100_000_000 });
  assert.equal(ours.invoke(inputs, store), { ok: true, value: expected });
  assert.ok(store.fuelConsumed > 0);
  console.log(`\n# uppercase on shared inputs: ${store.fuelConsumed} fuel (realloc + invoke + post-return)`);
});

test("fuel covers realloc, the callee and post-return: the exact budget succeeds, one less fails", () => {
  const inputs: WitPortBatch[] = [{ portId: "in", packets: [{ metadata: metadata("1"), payload: { kind: "bytes", bytes: new TextEncoder().encode("abc") } }] }];
  const probe = new Store({ fuel: 10_000_000 });
  ours.invoke(inputs, probe);
  const need = probe.fuelConsumed;
  assert.ok(ours.invoke(inputs, new Store({ fuel: need })).ok);
  assert.throws(() => ours.invoke(inputs, new Store({ fuel: need - 1 })), (e: unknown) => e instanceof GuestTrap && e.trap === "out-of-fuel");
});

test("invokeAsync gives the same result; an abort stops a spinning guest", async () => {
  const inputs: WitPortBatch[] = [{ portId: "in", packets: [{ metadata: metadata("1"), payload: { kind: "bytes", bytes: new TextEncoder().encode("async") } }] }];
  assert.equal(await ours.invokeAsync(inputs, new Store(), { sliceSteps: 50 }), ours.invoke(inputs, new Store()));
  const spin = BatchBinding.fromComponent(Component.fromBytes(await batchGuest({ invoke: "(loop $l (br $l)) (i32.const 16)" })));
  const ac = new AbortController();
  setTimeout(() => ac.abort("test shutdown"), 20);
  const t0 = performance.now();
  try {
    await spin.invokeAsync([], new Store(), { signal: ac.signal, sliceSteps: 1000 });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, GuestTrap);
    assert.is((e as GuestTrap).trap, "interrupted");
  }
  // a signal aborted before the call: interrupted before the guest gets anywhere (realloc included)
  const pre = new AbortController();
  pre.abort("early");
  const store = new Store({ fuel: 1_000_000 });
  await ours.invokeAsync(inputs, store, { signal: pre.signal }).then(() => assert.unreachable("pre-aborted"), (e: unknown) => {
    assert.instance(e, GuestTrap);
    assert.is((e as GuestTrap).trap, "interrupted");
  });
  console.log(`\n# abort of a spinning guest through invokeAsync: stopped after ${(performance.now() - t0).toFixed(0)} ms (timer at 20 ms)`);
});

const arbBatches = fc.array(
  fc.record({
    portId: fc.stringMatching(/^[a-z]{1,8}$/),
    packets: fc.array(fc.record({ id: fc.stringMatching(/^[a-z0-9-]{1,12}$/), bytes: fc.uint8Array({ maxLength: 64 }), src: fc.boolean() }), { maxLength: 4 }),
  }),
  { maxLength: 3 },
).map((ports): WitPortBatch[] => ports.map((p) => ({
  portId: p.portId,
  packets: p.packets.map((k) => ({
    metadata: { ...metadata(k.id), route: { source: k.src ? { nodeId: "s", portId: "o" } : null, target: { nodeId: "t", portId: "i" } } },
    payload: { kind: "bytes" as const, bytes: k.bytes },
  })),
})));

test("property: the interpreter and Node's engine agree on random batches", () => {
  fc.assert(fc.property(arbBatches, (inputs) => {
    const a = ours.invoke(inputs, new Store({ fuel: 10_000_000 }));
    const b = oracle.invoke(inputs, undefined as never);
    assert.equal(a, b);
    const upper = inputs.flatMap((p) => p.packets.map((k) => Uint8Array.from((k.payload as { bytes: Uint8Array }).bytes, (c: number) => (c >= 97 && c <= 122 ? c - 32 : c))));
    assert.ok(a.ok);
    if (a.ok) assert.equal(a.value[0].packets.map((k) => (k.payload as { bytes: Uint8Array }).bytes), upper);
  }), { numRuns: 150, seed: 42 });
});

test("1 MiB list<u8> through the ABI is a bulk copy (echo guest)", async () => {
  // the echo guest returns its input packets unchanged: no per-byte guest work
  const echo = BatchBinding.fromComponent(Component.fromBytes(await batchGuest({
    pages: 2,
    invoke: "(i32.store8 (i32.const 16) (i32.const 0)) (i32.store (i32.const 20) (local.get 0)) (i32.store (i32.const 24) (local.get 1)) (i32.const 16)",
    realloc: `(local $p i32) (local $end i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))
      (local.set $end (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))))))
      (global.set $heap (local.get $end)) (local.get $p)`,
  })));
  const big = new Uint8Array(1 << 20);
  for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
  const inputs: WitPortBatch[] = [{ portId: "in", packets: [{ metadata: metadata("big"), payload: { kind: "bytes", bytes: big } }] }];
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = echo.invoke(inputs, new Store());
    times.push(performance.now() - t0);
    assert.ok(r.ok);
    if (r.ok) assert.equal((r.value[0].packets[0].payload as { bytes: Uint8Array }).bytes, big);
  }
  times.sort((a, b) => a - b);
  console.log(`\n# 1 MiB list<u8> lower + lift on the interpreter (echo guest, fresh instance each): median ${times[2].toFixed(2)} ms, best ${times[0].toFixed(2)} ms`);
  assert.ok(times[2] < 200, "bulk copy, not per-element calls");
});

test.run();
