/**
 * The batch world's type descriptors (src/batch/wit-types.ts) are written without the door's
 * argument checks, to keep them off every CLI start (issue 11); they must stay exactly what the
 * checked `T` builders of `pureflow-wasm/canonical-abi` make, and render as the world's WIT.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { T, witFunc } from "../../canonical-abi/index.js";
import * as W from "../../src/batch/wit-types.js";

test("the batch world's descriptors equal those of the checked T builders", () => {
  const endpoint = T.record([["node-id", T.string], ["port-id", T.string]], "endpoint");
  const route = T.record([["source", T.option(endpoint)], ["target", endpoint]], "route");
  const execution = T.record([["execution-id", T.string], ["attempt", T.u32]], "execution");
  const metadata = T.record([["message-id", T.string], ["workflow-id", T.string], ["execution", execution], ["route", route]], "message-metadata");
  const payload = T.variant([["bytes", T.list(T.u8)], ["control", T.string]], "payload");
  const packet = T.record([["metadata", metadata], ["payload", payload]], "packet");
  const portBatch = T.record([["port-id", T.string], ["packets", T.list(packet)]], "port-batch");
  const batchError = T.variant([["guest-failure", T.string], ["unsupported-payload", T.string]], "batch-error");
  const invoke = T.func([["inputs", T.list(portBatch)]], T.result(T.list(portBatch), batchError));
  assert.equal(W.endpointType, endpoint);
  assert.equal(W.routeType, route);
  assert.equal(W.executionType, execution);
  assert.equal(W.messageMetadataType, metadata);
  assert.equal(W.payloadType, payload);
  assert.equal(W.packetType, packet);
  assert.equal(W.portBatchType, portBatch);
  assert.equal(W.portBatchesType, T.list(portBatch));
  assert.equal(W.batchErrorType, batchError);
  assert.equal(W.invokeType, invoke);
  // the descriptors pass the door's checks (witFunc checks its argument)
  assert.is(witFunc(W.invokeType), "func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>");
});

test.run();
