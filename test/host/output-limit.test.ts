/**
 * The output-size limit (`ExecutionLimits.maxOutputBytes`) enforced while lifting, through the
 * whole stack: the uppercase guest's output fits a limit equal to its lift cost (computed here
 * independently from the expected outputs with the documented cost model) and is refused one
 * byte below; the `output-too-large` guest (4096 packets pointing at one 64 KiB payload) is
 * refused after copying at most the limit, sync and async; the same `BatchComponent` then
 * serves a good call. Also the option at the component layer (`ComponentFunction.call`).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, BatchInputs, ExecutionLimits, PureflowError, batchInputsFromWitJson } from "../../src/index.js";
import { Component, instantiateComponent, InvalidHostValueError, LiftBudgetExceededError } from "../../canonical-abi/index.js";
import { Store } from "../../interpreter/index.js";
import { bytes, fixtureBytes, packet, testdata } from "./guests.js";

const utf8 = (s: string) => new TextEncoder().encode(s).length;

interface JsonEndpoint { "node-id": string; "port-id": string }
interface JsonPacket {
  metadata: { "message-id": string; "workflow-id": string; execution: { "execution-id": string }; route: { source: JsonEndpoint | null; target: JsonEndpoint } };
  payload: { bytes?: number[]; control?: string };
}

/** The lift cost of a WIT-JSON output: port-batch 16 bytes, packet 76 bytes, plus every string and byte list. */
function liftCost(json: { "port-id": string; packets: JsonPacket[] }[]): number {
  let n = 16 * json.length;
  for (const b of json) {
    n += utf8(b["port-id"]) + 76 * b.packets.length;
    for (const p of b.packets) {
      const m = p.metadata;
      n += utf8(m["message-id"]) + utf8(m["workflow-id"]) + utf8(m.execution["execution-id"]);
      if (m.route.source) n += utf8(m.route.source["node-id"]) + utf8(m.route.source["port-id"]);
      n += utf8(m.route.target["node-id"]) + utf8(m.route.target["port-id"]);
      n += p.payload.bytes !== undefined ? p.payload.bytes.length : utf8(p.payload.control ?? "");
    }
  }
  return n;
}

const expectedJson = JSON.parse(testdata("expected-outputs.json")) as { "port-id": string; packets: JsonPacket[] }[];
const inputs = batchInputsFromWitJson(testdata("inputs.json"));
const cost = liftCost(expectedJson);

function failure(guest: BatchComponent, batch: BatchInputs): PureflowError {
  const r = guest.invokeWithReport(batch);
  assert.ok(r.error, "expected an error");
  return r.error as PureflowError;
}

test(`uppercase testdata: a limit equal to the lift cost (${cost} bytes) succeeds, one byte less is refused`, () => {
  const exact = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"), { limits: ExecutionLimits.default().withMaxOutputBytes(cost) });
  assert.is(exact.invoke(inputs).packets("out").length, 2);
  const under = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"), { limits: ExecutionLimits.default().withMaxOutputBytes(cost - 1) });
  const e = failure(under, inputs);
  assert.is(e.code, "CDT-EXEC-001");
  assert.match(e.message, new RegExp(`^guest output exceeds the output size limit of ${cost - 1} bytes \\(lifting stopped at a (list|string) of \\d+ bytes after \\d+ bytes\\)$`));
  assert.instance(e.cause, LiftBudgetExceededError);
  assert.is(e.trap, "lift-budget-exceeded");
});

test("the same BatchComponent refuses a larger output, then serves a good call", () => {
  const guest = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"), { limits: ExecutionLimits.default().withMaxOutputBytes(cost) });
  const bigger = BatchInputs.fromPackets([["in", packet("msg-1", bytes("hello from wasm!"))], ["in", packet("msg-2", bytes("second packet"))]]);
  assert.match(failure(guest, bigger).message, /^guest output exceeds the output size limit/);
  assert.equal(guest.invoke(inputs).packets("out").map((p) => p.payload.kind === "bytes" ? new TextDecoder().decode(p.payload.bytes) : ""), ["HELLO FROM WASM", "SECOND PACKET"]);
  assert.is(guest.invoke(new BatchInputs()).size, 0);
});

const hostileInputs = BatchInputs.fromPackets([["in", packet("msg-1", bytes("hello"))]]);

for (const limit of [64 * 1024 * 1024, 1024 * 1024, 1000]) {
  test(`output-too-large with a limit of ${limit} bytes: refused after copying at most the limit`, () => {
    const guest = BatchComponent.fromComponentBytes(fixtureBytes("hostile/output-too-large"), { limits: ExecutionLimits.default().withMaxOutputBytes(limit) });
    const t0 = process.cpuUsage(); // CPU time: wall time on a shared machine charges others' work
    const e = failure(guest, hostileInputs);
    const { user, system } = process.cpuUsage(t0);
    const ms = (user + system) / 1000;
    assert.match(e.message, new RegExp(`^guest output exceeds the output size limit of ${limit} bytes`));
    const cause = e.cause as LiftBudgetExceededError;
    assert.instance(cause, LiftBudgetExceededError);
    assert.ok(cause.used <= limit, `copied ${cause.used} > ${limit}`);
    assert.ok(cause.used + cause.requested > limit);
    // it stopped at the limit, not before: the refused item is at most one payload (64 KiB) or the packet list
    assert.ok(cause.requested <= 4096 * 76, `requested ${cause.requested}`);
    // 256 MiB would be copied without the budget; bounded loosely so a slow machine passes
    assert.ok(ms < 5_000, `took ${ms} ms of CPU`);
    assert.is(guest.invoke(new BatchInputs()).size, 0);
  });
}

test("output-too-large, async: the same error", async () => {
  const guest = BatchComponent.fromComponentBytes(fixtureBytes("hostile/output-too-large"), { limits: ExecutionLimits.default().withMaxOutputBytes(1024 * 1024) });
  const r = await guest.invokeAsyncWithReport(hostileInputs);
  assert.ok(r.error);
  assert.match(r.error?.message ?? "", /^guest output exceeds the output size limit of 1048576 bytes/);
  assert.ok((r.error?.cause as LiftBudgetExceededError).used <= 1024 * 1024);
  assert.is((await guest.invokeAsync(new BatchInputs())).size, 0);
});

test("ComponentFunction.call: maxLiftedBytes bounds the lift; a bad value is an InvalidHostValueError", async () => {
  const component = Component.fromBytes(fixtureBytes("uppercase-guest"));
  const path = ["pureflow:batch/batch@0.1.0", "invoke"];
  const f = () => instantiateComponent(component, { store: new Store() }).getExport(path);
  assert.throws(() => f().call([[]], { maxLiftedBytes: 15 }), (e: unknown) => e instanceof LiftBudgetExceededError && e.limit === 15);
  assert.equal(f().call([[]], { maxLiftedBytes: 16 + 3 }), { tag: "ok", value: [{ "port-id": "out", packets: [] }] });
  assert.throws(() => f().call([[]], { maxLiftedBytes: -1 }), (e: unknown) => e instanceof InvalidHostValueError);
  try {
    await f().callAsync([[]], { maxLiftedBytes: 1.5 });
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, InvalidHostValueError);
  }
  try {
    await f().callAsync([[]], { maxLiftedBytes: 18 });
    assert.unreachable("no error");
  } catch (e) {
    assert.instance(e, LiftBudgetExceededError);
  }
});

test.run();
