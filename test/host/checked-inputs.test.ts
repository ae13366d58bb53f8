/**
 * Inputs checked once (`checkBatchInputs` / `CheckedBatchInputs`, issue 15 "id validation runs
 * once per direction"): the same outputs, errors and fuel as the `BatchInputs` they came from,
 * checked and converted at `checkBatchInputs` only, unaffected by later changes to the original,
 * and written by `batchesToWitJson` / `recordOf` as the original would be. And outputs an
 * invocation just returned are written (by the command line) without checking their ids again.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  BatchComponent,
  BatchInputs,
  CheckedBatchInputs,
  ExecutionLimits,
  PureflowError,
  batchInputsFromWitJson,
  batchesToWitJson,
  checkBatchInputs,
  componentIdentity,
  recordOf,
} from "../../src/index.js";
import { freshOutputsToWitJson } from "../../src/batch/wit-json.js";
import { bytes, fixtureBytes, packet, testdata } from "./guests.js";

const upper = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"));

test("checked inputs give the same outputs and fuel as the BatchInputs, any number of times", () => {
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  const checked = checkBatchInputs(inputs);
  assert.ok(checked instanceof CheckedBatchInputs);
  const plain = upper.invokeWithReport(inputs);
  for (let i = 0; i < 3; i++) {
    const r = upper.invokeWithReport(checked);
    assert.is(r.error, undefined);
    assert.equal(batchesToWitJson(r.outputs!), batchesToWitJson(plain.outputs!));
    assert.is(r.fuelConsumed, plain.fuelConsumed);
  }
  assert.equal(batchesToWitJson(checked), batchesToWitJson(inputs));
  assert.equal(JSON.stringify(batchesToWitJson(upper.invoke(checked))), JSON.stringify(JSON.parse(testdata("expected-outputs.json"))));
});

test("an invalid id or payload is reported by checkBatchInputs, with the error the invocation would give", () => {
  const bad = new BatchInputs();
  bad.setPort("in", [packet("not an id!", bytes("x"))]);
  let thrown: unknown;
  try {
    checkBatchInputs(bad);
  } catch (e) {
    thrown = e;
  }
  assert.instance(thrown, PureflowError);
  const viaInvoke = upper.invokeWithReport(bad);
  assert.is((thrown as PureflowError).code, viaInvoke.error!.code);
  assert.is((thrown as PureflowError).message, viaInvoke.error!.message);
  assert.throws(() => checkBatchInputs({} as BatchInputs), (e: unknown) => e instanceof PureflowError);
});

test("changing the original after checking does not reach the checked inputs", () => {
  const inputs = new BatchInputs();
  const p = packet("msg-1", bytes("abc"));
  inputs.setPort("in", [p]);
  const checked = checkBatchInputs(inputs);
  const before = JSON.stringify(batchesToWitJson(checked));
  p.metadata.messageId = "msg-2";
  inputs.setPort("other", [packet("msg-3", bytes("def"))]);
  assert.is(JSON.stringify(batchesToWitJson(checked)), before);
  const out = upper.invoke(checked);
  assert.equal([...out.entries()].map(([port, ps]) => [port, ps.map((q) => q.metadata.messageId)]), [["out", ["msg-1"]]]);
});

test("recordOf writes checked inputs as it writes the BatchInputs they came from", () => {
  const bytesOfUpper = fixtureBytes("uppercase-guest");
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  const checked = checkBatchInputs(inputs);
  const limits = ExecutionLimits.default();
  const report = upper.invokeWithReport(checked);
  const id = componentIdentity(bytesOfUpper);
  assert.equal(recordOf(id, checked, limits, report), recordOf(id, inputs, limits, report));
});

test("outputs just returned are written as batchesToWitJson writes them, without a second check of their ids", () => {
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  const out = upper.invoke(inputs);
  assert.equal(freshOutputsToWitJson(out), batchesToWitJson(out));
  // the ids are not checked again: an id made invalid after the call is written as it is (the
  // command line never changes outputs before printing them), while batchesToWitJson refuses it
  const [[, packets]] = [...out.entries()];
  packets![0]!.metadata.messageId = "not valid!";
  assert.is((freshOutputsToWitJson(out)[0]!.packets[0] as { metadata: { "message-id": string } }).metadata["message-id"], "not valid!");
  assert.throws(() => batchesToWitJson(out), (e: unknown) => e instanceof PureflowError);
});

test.run();
