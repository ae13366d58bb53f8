/**
 * The structural type check (`type-check.ts`) and the WIT rendering (`wit-text.ts`): equal
 * types pass whatever their names; each kind of difference (kind, labels, label order, nested
 * payloads, result sides, tuple arity, parameters) is reported at the right path with both sides.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkFuncType, firstFuncTypeDifference, firstValTypeDifference, valTypesEqual } from "../../canonical-abi/type-check.js";
import { ExportTypeMismatchError } from "../../canonical-abi/errors.js";
import { T, withName } from "../../canonical-abi/types.js";
import { witFunc, witType } from "../../canonical-abi/wit-text.js";
import { invokeType, portBatchType } from "../../src/batch/wit-types.js";

test("equal types pass; names do not matter", () => {
  const a = T.record([["x", T.u32], ["y", T.list(T.string)]], "point");
  const b = T.record([["x", T.u32], ["y", T.list(T.string)]]);
  assert.ok(valTypesEqual(a, b));
  assert.ok(valTypesEqual(withName(T.list(T.u8), "bytes"), T.list(T.u8)));
  assert.is(firstFuncTypeDifference(invokeType, invokeType, "invoke"), null);
});

test("differences are reported at their path with both sides", () => {
  const d1 = firstValTypeDifference(T.record([["a", T.u32]], "r"), T.record([["a", T.s32]]), "t");
  assert.equal(d1, { path: "t.record(r).field(a)", expected: "u32", found: "s32" });
  const d2 = firstValTypeDifference(T.record([["a", T.u32], ["b", T.u8]], "r"), T.record([["b", T.u8], ["a", T.u32]]), "t");
  assert.equal(d2, { path: "t", expected: "record r { a, b }", found: "record { b, a }" });
  const d3 = firstValTypeDifference(T.variant([["a", T.u8], ["b", null]]), T.variant([["a", T.u8], ["b", T.u8]]), "v");
  assert.equal(d3, { path: "v.variant.case(b)", expected: "nothing", found: "u8" });
  const d4 = firstValTypeDifference(T.result(T.u8, null), T.result(T.u8, T.string), "r");
  assert.equal(d4, { path: "r.result.err", expected: "nothing", found: "string" });
  const d5 = firstValTypeDifference(T.tuple([T.u8, T.u8]), T.tuple([T.u8]), "t");
  assert.equal(d5, { path: "t", expected: "tuple of 2", found: "tuple of 1" });
  const d6 = firstValTypeDifference(T.enum(["a", "b"]), T.flags(["a", "b"]), "e");
  assert.equal(d6, { path: "e", expected: "enum { a, b }", found: "flags { a, b }" });
  const d7 = firstValTypeDifference(T.option(T.list(T.u8)), T.option(T.list(T.s8)), "o");
  assert.equal(d7, { path: "o.option.list", expected: "u8", found: "s8" });
  const f1 = firstFuncTypeDifference(T.func([["a", T.u8]], null), T.func([["b", T.u8]], null), "f");
  assert.equal(f1, { path: "f.params", expected: "(a)", found: "(b)" });
  const f2 = firstFuncTypeDifference(T.func([], T.u8), T.func([], null), "f");
  assert.equal(f2, { path: "f.result", expected: "u8", found: "nothing" });
});

test("checkFuncType throws ExportTypeMismatchError naming the difference", () => {
  const other = T.func([["inputs", T.list(T.record([["port-id", T.string], ["packets", T.list(T.u8)]]))]], invokeType.result);
  try {
    checkFuncType("batch.invoke", invokeType, other, "invoke");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ExportTypeMismatchError);
    assert.is((e as ExportTypeMismatchError).path, "invoke.param(inputs).list.record(port-batch).field(packets).list");
    assert.is((e as Error).message, "batch.invoke has the wrong type at invoke.param(inputs).list.record(port-batch).field(packets).list: expected record packet { metadata, payload }, found u8");
  }
});

test("WIT rendering of types and functions", () => {
  assert.is(witFunc(invokeType), "func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>");
  assert.is(witType(portBatchType, true), "record { port-id: string, packets: list<packet> }");
  assert.is(witType(T.result(null, T.string)), "result<_, string>");
  assert.is(witType(T.result(T.u8, null)), "result<u8>");
  assert.is(witType(T.result(null, null)), "result");
  assert.is(witType(T.tuple([T.u8, T.char])), "tuple<u8, char>");
  assert.is(witFunc(T.func([], null)), "func()");
});

test.run();
