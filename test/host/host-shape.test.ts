/**
 * The host shape derived from WIT descriptors (`src/host/host-shape.ts`): camelCase records,
 * options as null, a world's own rule by descriptor identity, round trips, and typed errors
 * naming the path of a host value of the wrong form.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InvalidHostValueError, T, type ValType, type Value } from "../../canonical-abi/index.js";
import { camelLabel, fromHostShape, toHostShape, type ShapeRule } from "../../src/host/host-shape.js";

const point = T.variant([["a", T.u8], ["b", null]]);
const rules = new Map<ValType, ShapeRule>([[point, {
  toHost: (v) => ((v as { tag: string }).tag === "a" ? { kind: "a", n: (v as { value: number }).value } : { kind: "b" }),
  fromHost: (h, path) => {
    const o = h as { kind?: string; n?: number };
    if (o?.kind === "a") return { tag: "a", value: o.n as number };
    if (o?.kind === "b") return { tag: "b" };
    throw new InvalidHostValueError(`${path}: kind must be a or b`);
  },
}]]);
const type = T.list(T.record([["node-id", T.string], ["maybe-end", T.option(T.record([["x-y-z", T.u32]]))], ["p", point], ["bytes", T.list(T.u8)]]));

test("camelCase labels", () => {
  assert.is(camelLabel("node-id"), "nodeId");
  assert.is(camelLabel("a-b2-c"), "aB2C");
  assert.is(camelLabel("plain"), "plain");
});

test("host shape <-> generic value round trip; the rule applies by identity", () => {
  const host = [
    { nodeId: "n", maybeEnd: { xYZ: 7 }, p: { kind: "a", n: 3 }, bytes: new Uint8Array([1, 2]) },
    { nodeId: "m", maybeEnd: null, p: { kind: "b" }, bytes: new Uint8Array() },
  ];
  const value = fromHostShape(type, host, rules);
  assert.equal(value, [
    { "node-id": "n", "maybe-end": { tag: "some", value: { "x-y-z": 7 } }, p: { tag: "a", value: 3 }, bytes: new Uint8Array([1, 2]) },
    { "node-id": "m", "maybe-end": { tag: "none" }, p: { tag: "b" }, bytes: new Uint8Array() },
  ] as Value);
  assert.equal(toHostShape(type, value, rules), host);
});

test("a host value of the wrong form: InvalidHostValueError naming its path", () => {
  const rows: [unknown, string][] = [
    [5, "inputs: expected an array"],
    [[7], "inputs[0]: expected an object"],
    [[{ nodeId: "n", maybeEnd: 3, p: { kind: "b" }, bytes: new Uint8Array() }], "inputs[0].maybeEnd: expected an object"],
    [[{ nodeId: "n", maybeEnd: null, p: { kind: "c" }, bytes: new Uint8Array() }], "inputs[0].p: kind must be a or b"],
  ];
  for (const [host, message] of rows) {
    assert.throws(() => fromHostShape(type, host, rules, "inputs"), (e: Error) => e instanceof InvalidHostValueError && e.message === message, message);
  }
});

test.run();
