/**
 * BatchComponent on real guests, mirroring the Rust adapter's tests: constants, fixture testdata,
 * empty batch, control → unsupported-payload, fuel 0, pre-cancelled token, plus fresh state per
 * invocation, mid-call cancellation (sync and async), per-invocation cancellation, round trips
 * through the echo guest, output normalisation through the shapes guest, compile errors.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Worker } from "node:worker_threads";
import {
  BatchComponent,
  BatchInputs,
  CancellationHandle,
  CancellationToken,
  DEFAULT_GUEST_FUEL,
  ExecutionLimits,
  NodeCapabilities,
  PureflowError,
  WIT_PACKAGE,
  WIT_WORLD,
  batchInputsFromWitJson,
  batchOutputsFromWitJson,
  type BatchOutputs,
} from "../../src/index.js";
import { bytes, fixtureBytes, packet, testdata } from "./guests.js";

const upper = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"));

function err(f: () => unknown): PureflowError {
  try {
    f();
  } catch (e) {
    assert.instance(e, PureflowError);
    return e as PureflowError;
  }
  throw new Error("expected a PureflowError");
}

async function rejects(p: Promise<unknown>): Promise<PureflowError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, PureflowError);
    return e as PureflowError;
  }
  throw new Error("expected a PureflowError");
}

function text(out: BatchOutputs, port: string): string[] {
  return out.packets(port).map((p) => (p.payload.kind === "bytes" ? new TextDecoder().decode(p.payload.bytes) : JSON.stringify(p.payload.value)));
}

test("constants name the WIT ABI", () => {
  assert.is(WIT_PACKAGE, "pureflow:batch@0.1.0");
  assert.is(WIT_WORLD, "pureflow-node");
  assert.is(DEFAULT_GUEST_FUEL, 100_000_000);
  assert.is(upper.limits.fuel, 100_000_000);
});

test("uppercase guest: testdata inputs give the expected outputs", () => {
  const out = upper.invoke(batchInputsFromWitJson(testdata("inputs.json")));
  assert.equal(out.toRecord(), batchOutputsFromWitJson(testdata("expected-outputs.json")).toRecord());
});

test("uppercase guest: an empty batch gives no outputs", () => {
  assert.is(upper.invoke(new BatchInputs()).size, 0);
  assert.is(upper.invoke(BatchInputs.fromRecord({ in: [] })).size, 0);
});

test("uppercase guest: a control payload gives the guest's unsupported-payload error", () => {
  const e = err(() => upper.invoke(BatchInputs.fromPackets([["in", packet("m", bytes("a"))], ["in", packet("c", { kind: "control", value: { a: 1 } })]])));
  assert.is(String(e), "CDT-EXEC-001: node execution failed: guest returned unsupported-payload: uppercase guest accepts only bytes payloads");
});

test("fuel 0 gives the stable fuel error", () => {
  const g = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("uppercase-guest"), ExecutionLimits.new(0));
  const e = err(() => g.invoke(batchInputsFromWitJson(testdata("inputs.json"))));
  assert.is(String(e), "CDT-EXEC-001: node execution failed: guest exceeded fuel limit of 0 units");
  assert.is(e.trap, "out-of-fuel");
});

test("a pre-cancelled token gives CDT-CANCEL-001 with its reason and never runs the guest", () => {
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  const e = err(() => upper.invokeWithCancellation(inputs, CancellationToken.cancelled("test shutdown")));
  assert.is(String(e), "CDT-CANCEL-001: execution cancelled: test shutdown");
  assert.is(e.visibility, "user");
  assert.is(e.retry, "safe");
  const r = upper.invokeWithReport(inputs, { token: CancellationToken.cancelled() });
  assert.is(r.error?.message, "wasm guest invocation cancelled");
  assert.is(r.fuelConsumed, 0);
});

test("every invocation is fresh: same outputs and same fuel each time", () => {
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  const a = upper.invokeWithReport(inputs);
  const b = upper.invokeWithReport(inputs);
  assert.ok(a.outputs && b.outputs);
  assert.equal(a.outputs?.toRecord(), b.outputs?.toRecord());
  assert.ok(a.fuelConsumed > 0 && a.fuelConsumed < a.fuelLimit, `fuel ${a.fuelConsumed}`);
  assert.is(a.fuelConsumed, b.fuelConsumed);
  console.log(`\n# uppercase testdata call: ${a.fuelConsumed} fuel`);
});

test("a running guest is cancelled at its next check, reported before trap/fuel mapping", () => {
  const loop = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.default().withCancellationCheckInterval(100));
  let polls = 0;
  const token = CancellationToken.custom(() => (++polls > 3 ? { cancelled: true, reason: "stop now" } : { cancelled: false }));
  const inputs = BatchInputs.fromPackets([["in", packet("m", bytes("x"))]]);
  const e = err(() => loop.invokeWithCancellation(inputs, token));
  assert.is(String(e), "CDT-CANCEL-001: execution cancelled: stop now");
  const handle = new CancellationHandle();
  let n = 0;
  const t2 = CancellationToken.custom(() => {
    if (++n === 5) handle.cancel();
    return { cancelled: handle.token().isCancelled() };
  });
  assert.is(err(() => loop.invokeWithCancellation(inputs, t2)).message, "wasm guest invocation cancelled");
  // and the same component still serves a good call
  assert.is(loop.invoke(new BatchInputs()).size, 0);
});

test("only CancellationToken.active() is never polled; every other token can be cancelled", () => {
  assert.is(CancellationToken.active().canBeCancelled, false);
  for (const t of [CancellationToken.cancelled(), CancellationToken.custom(() => ({ cancelled: false })), new CancellationHandle().token(),
    CancellationToken.fromAbortSignal(new AbortController().signal), CancellationToken.fromSharedFlag(new Int32Array(1))]) {
    assert.is(t.canBeCancelled, true);
  }
  // an active token gives the same outputs and fuel as a polled, never-cancelled one
  const upper = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"));
  const inputs = BatchInputs.fromPackets([["in", packet("m", bytes("abc"))]]);
  let polls = 0;
  const a = upper.invokeWithReport(inputs, { token: CancellationToken.active() });
  const b = upper.invokeWithReport(inputs, { token: CancellationToken.custom(() => (polls++, { cancelled: false })) });
  assert.ok(polls >= 1);
  assert.equal(a.outputs?.toRecord(), b.outputs?.toRecord());
  assert.is(a.fuelConsumed, b.fuelConsumed);
});

test("cancellation is reported before fuel mapping", () => {
  // The guest runs out of fuel; the token turns cancelled only at the host's check after the
  // call (calibrated: the number of probes of an identical, never-cancelled call).
  const loop = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.new(5000).withCancellationCheckInterval(1_000_000));
  const inputs = BatchInputs.fromPackets([["in", packet("m", bytes("x"))]]);
  let probes = 0;
  const calibration = loop.invokeWithReport(inputs, { token: CancellationToken.custom(() => (probes++, { cancelled: false })) });
  assert.is(calibration.error?.message, "guest exceeded fuel limit of 5000 units");
  const total = probes;
  let n = 0;
  const token = CancellationToken.custom(() => (++n >= total ? { cancelled: true, reason: "shutdown during call" } : { cancelled: false }));
  const r = loop.invokeWithReport(inputs, { token });
  assert.is(r.error?.toString(), "CDT-CANCEL-001: execution cancelled: shutdown during call");
  assert.is(r.fuelConsumed, 5000, "the guest ran until its fuel was gone");
});

test("a shared flag set by another thread cancels a running synchronous call", async () => {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const loop = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.new(Number.MAX_SAFE_INTEGER).withCancellationCheckInterval(1000));
  const inputs = BatchInputs.fromPackets([["in", packet("m", bytes("x"))]]);
  assert.is(err(() => loop.invokeWithCancellation(inputs, CancellationToken.fromSharedFlag(Int32Array.from([1]), 0, "flag set"))).message, "flag set");
  // a worker sets the flag 100 ms after it starts, while this thread is busy in the guest
  const worker = new Worker("const { workerData } = require('node:worker_threads'); setTimeout(() => Atomics.store(workerData, 0, 1), 100);", { eval: true, workerData: flag });
  await new Promise((resolve) => worker.once("online", resolve));
  const t0 = performance.now();
  const r = loop.invokeWithReport(inputs, { token: CancellationToken.fromSharedFlag(flag, 0, "stopped by another thread") });
  const ms = performance.now() - t0;
  await worker.terminate();
  assert.is(r.error?.toString(), "CDT-CANCEL-001: execution cancelled: stopped by another thread");
  assert.ok(ms < 5000, `cancelled after ${ms} ms`);
  assert.ok(r.fuelConsumed > 0);
});

test("invokeAsync: an AbortSignal timeout stops an endless guest; other calls are not disturbed", async () => {
  const loop = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.new(Number.MAX_SAFE_INTEGER));
  const inputs = BatchInputs.fromPackets([["in", packet("m", bytes("x"))]]);
  const controller = new AbortController();
  const t0 = performance.now();
  setTimeout(() => controller.abort("deadline reached"), 50);
  const other = upper.invokeAsync(batchInputsFromWitJson(testdata("inputs.json")));
  const e = await rejects(loop.invokeAsync(inputs, { signal: controller.signal }));
  const ms = performance.now() - t0;
  assert.is(String(e), "CDT-CANCEL-001: execution cancelled: deadline reached");
  assert.ok(ms < 3000, `cancelled after ${ms} ms`);
  const out = await other;
  assert.equal(text(out, "out"), ["HELLO FROM WASM", "SECOND PACKET"]);
  const e2 = await rejects(loop.invokeAsync(inputs, { signal: AbortSignal.timeout(20) }));
  assert.is(e2.code, "CDT-CANCEL-001");
});

test("fuel exhaustion in an endless loop names the limit", () => {
  const loop = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.new(12345));
  const r = loop.invokeWithReport(BatchInputs.fromPackets([["in", packet("m", bytes("x"))]]));
  assert.is(r.error?.toString(), "CDT-EXEC-001: node execution failed: guest exceeded fuel limit of 12345 units");
  assert.is(r.fuelConsumed, 12345);
});

test("echo guest: bytes and control payloads round trip; control normalised as serde does", () => {
  const echo = BatchComponent.fromComponentBytes(fixtureBytes("echo-guest"));
  const inputs = BatchInputs.fromPackets([
    ["z", packet("m1", { kind: "bytes", bytes: new Uint8Array([0, 255, 1]) })],
    ["a", packet("m2", { kind: "control", value: { b: [1, 2.5, "é"], a: null, c: { y: true, x: false } } })],
    ["a", packet("m3", { kind: "bytes", bytes: new Uint8Array(0) })],
  ]);
  inputs.setPort("empty", []);
  const out = echo.invoke(inputs);
  assert.equal(out.ports(), ["a", "z"]);
  assert.equal(out.packets("a"), inputs.packets("a"));
  assert.equal(out.packets("z"), inputs.packets("z"));
});

test("shapes guest: duplicate ports merged, empty batch dropped, ports sorted, control parsed", () => {
  const out = BatchComponent.fromComponentBytes(fixtureBytes("shapes-guest")).invoke(BatchInputs.fromPackets([["in", packet("m", bytes("x"))]]));
  assert.equal(out.ports(), ["a", "z"]);
  assert.equal(text(out, "z"), ["one", "two"]);
  assert.equal(out.packets("a")[0].payload, { kind: "control", value: { a: [1.5, true, null], b: 1 } });
  assert.equal(out.packets("z").map((p) => p.metadata.messageId), ["msg-1", "msg-3"]);
  assert.is(out.packets("a")[0].metadata.execution.attempt, 2);
});

test("capability constructors", () => {
  const ok = NodeCapabilities.create({ node: "wasm", receive: ["in"], emit: ["out"] });
  BatchComponent.fromComponentBytesWithCapabilities(fixtureBytes("uppercase-guest"), ok);
  BatchComponent.fromComponentBytesWithCapabilitiesAndLimits(fixtureBytes("uppercase-guest"), ok, ExecutionLimits.new(5));
  const bad = NodeCapabilities.create({ node: "wasm", effects: ["network_outbound"] });
  assert.is(err(() => BatchComponent.fromComponentBytesWithCapabilities(fixtureBytes("uppercase-guest"), bad)).code, "CDT-VAL-002");
});

test("not a component: empty, garbage, truncated, a core module", () => {
  const good = fixtureBytes("uppercase-guest");
  for (const [what, b] of [["empty", new Uint8Array(0)], ["garbage", new TextEncoder().encode("hello, not wasm")], ["truncated", good.subarray(0, good.length >> 1)],
    ["core module", fixtureBytes("hostile/core-module")]] as const) {
    const e = err(() => BatchComponent.fromComponentBytes(b));
    assert.is(e.code, "CDT-EXEC-001", what);
    assert.ok(e.message.startsWith("failed to compile component: "), `${what}: ${e.message}`);
  }
  assert.match(err(() => BatchComponent.fromComponentBytes(fixtureBytes("hostile/core-module"))).message, /core (WebAssembly )?module/);
});

test.run();
