/**
 * Control payloads keep their JSON text as serde_json holds it: through the echo guest, from a
 * WIT-JSON file and back, `1.0` stays `1.0`, `1e2` becomes serde's `100.0`, `-0` `-0.0`, and
 * integers beyond 2^53 stay exact; a value changed in place is written from the value again.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, BatchInputs, batchInputsFromWitJson, batchesToWitJson, controlPayloadFromText, controlPayloadText, toWitPortBatches } from "../../src/index.js";
import { fixtureBytes, packet } from "./guests.js";

const TEXT = '{ "b": 1e2, "a": 1.0, "c": 18446744073709551615, "d": -0, "e": [2.50, 3] }';
const SERDE = '{"a":1.0,"b":100.0,"c":18446744073709551615,"d":-0.0,"e":[2.5,3]}';

test("a control payload read from text is written back in serde's form; equality sees only kind and value", () => {
  const p = controlPayloadFromText(TEXT);
  assert.equal(p, { kind: "control", value: { a: 1, b: 100, c: 18446744073709551615n, d: -0, e: [2.5, 3] } });
  assert.is(p.json, SERDE);
  assert.is(controlPayloadText(p), SERDE);
  (p.value as { a: number }).a = 2;
  assert.is(controlPayloadText(p), '{"a":2,"b":100,"c":18446744073709551615,"d":-0.0,"e":[2.5,3]}', "changed in place: written from the value");
  assert.is(controlPayloadText({ value: { x: 1 } }), '{"x":1}');
});

test("through the echo guest and the WIT-JSON codec, 1.0 stays 1.0", () => {
  const echo = BatchComponent.fromComponentBytes(fixtureBytes("echo-guest"));
  const inputs = new BatchInputs();
  inputs.push("in", packet("m1", controlPayloadFromText(TEXT)));
  assert.equal(toWitPortBatches(inputs)[0]!.packets[0]!.payload, { kind: "control", json: SERDE });
  const out = echo.invoke(inputs);
  const json = batchesToWitJson(out);
  assert.equal(json[0]!.packets[0]!.payload, { control: SERDE });
  // and from a WIT-JSON file, as `pureflow-wasm run` reads it
  const again = echo.invoke(batchInputsFromWitJson(JSON.stringify(json)));
  assert.equal(batchesToWitJson(again)[0]!.packets[0]!.payload, { control: SERDE });
});

test.run();
