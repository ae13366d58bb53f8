/**
 * API misuse of the component layer (`canonical-abi/index.ts`): every public function,
 * constructor and method called with wrong argument types and values gets an
 * `InvalidArgumentError` (`invalid-argument`, a subclass of `InvalidHostValueError`) naming the
 * argument, or the layer's own typed error where the value is the right type but wrong
 * (`not-a-component`, `missing-export`, `invalid-host-value`); never a raw TypeError/RangeError
 * or a stack overflow. Type descriptors handed to the type helpers are checked whole: malformed,
 * cyclic and absurdly deep ones are refused with the path of the first problem; a DAG-shaped one
 * is checked in linear time. A misused instance is not poisoned and still serves a good call.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  Component, InvalidArgumentError, InvalidHostValueError, LiftBudget, MAX_DESCRIPTOR_DEPTH, T, checkFuncType, firstFuncTypeDifference,
  firstValTypeDifference, funcTypesEqual, instantiateComponent, interpreterEngine, list_lift_cost, primitive, registerDefaultCoreEngine,
  renderExternsAsWit, valTypesEqual, witFunc, witType, withName, type ComponentInstance, type ValType,
} from "../../canonical-abi/index.js";
import { Store } from "../../interpreter/index.js";
import { fixtureBytes } from "../host/guests.js";
import { SEED, WRONG, anyValue, rejectsTyped, throwsTyped, typedOrOk, wrongExcept } from "./misuse.js";

const any = (v: unknown): never => v as never;
const upperBytes = fixtureBytes("uppercase-guest");
const component = Component.fromBytes(upperBytes);
const INVOKE = ["pureflow:batch/batch@0.1.0", "invoke"];
const OBJECTS = ["empty object", "null-prototype object", "cyclic object", "Uint8Array", "Int32Array", "ArrayBuffer", "Date", "Map", "boxed number"];
const ARRAYS = ["array", "sparse array", "cyclic array"];
let checked = 0;

function row(f: () => unknown, argument: string | undefined, what: string, code = "invalid-argument", message?: RegExp): void {
  throwsTyped(f, { code, argument, message }, what);
  checked++;
}

function stillServes(inst: ComponentInstance): void {
  assert.is(inst.poisoned, false, "not poisoned by misuse");
  assert.equal(inst.getExport(INVOKE).call([[]]), { tag: "ok", value: [{ "port-id": "out", packets: [] }] }, "a good call still works");
}

test("Component.fromBytes, registerDefaultCoreEngine, instantiateComponent", () => {
  for (const [n, v] of wrongExcept("Uint8Array")) row(() => Component.fromBytes(any(v)), "bytes", `fromBytes(${n})`);
  row(() => Component.fromBytes(new Uint8Array(2)), undefined, "fromBytes(2 bytes)", "not-a-component");
  for (const [n, v] of wrongExcept("undefined", ...OBJECTS)) row(() => Component.fromBytes(upperBytes, any(v)), "options", `fromBytes(bytes, ${n})`);
  for (const [n, v] of wrongExcept("undefined")) row(() => Component.fromBytes(upperBytes, { engine: any(v) }), "options.engine", `options.engine ${n}`);
  row(() => Component.fromBytes(upperBytes, { engine: any({ compile: () => 1, instantiate: 5, call: () => 1 }) }), "options.engine", "engine without instantiate");
  for (const [n, v] of WRONG) row(() => registerDefaultCoreEngine(any(v)), "engine", `registerDefaultCoreEngine(${n})`);
  // the refused registrations left the default engine in place
  assert.ok(Component.fromBytes(upperBytes).engine === interpreterEngine);
  for (const [n, v] of WRONG) row(() => instantiateComponent(any(v)), "component", `instantiateComponent(${n})`);
  row(() => instantiateComponent(any({ plan: component.plan, engine: component.engine, compiled: component.compiled })), "component", "component look-alike");
  for (const [n, v] of wrongExcept("undefined", ...OBJECTS)) row(() => instantiateComponent(component, any(v)), "options", `instantiateComponent(c, ${n})`);
  for (const [n, v] of wrongExcept("undefined")) row(() => instantiateComponent(component, { store: v }), "options.store", `options.store ${n}`);
  stillServes(instantiateComponent(component, { store: new Store() }));
});

test("getExport, call and callAsync: path, args and options; the instance is not poisoned", async () => {
  const inst = instantiateComponent(component);
  for (const [n, v] of wrongExcept(...ARRAYS)) row(() => inst.getExport(any(v)), "path", `getExport(${n})`);
  row(() => inst.getExport([]), "path", "getExport([])");
  for (const [n, v] of wrongExcept("string", "empty string")) row(() => inst.getExport([any(v)]), "path[0]", `getExport([${n}])`);
  row(() => inst.getExport([INVOKE[0], any(5)]), "path[1]", "getExport([iface, 5])");
  row(() => inst.getExport(["nope"]), undefined, "getExport([nope])", "missing-export");
  const f = inst.getExport(INVOKE);
  for (const [n, v] of wrongExcept(...ARRAYS)) {
    row(() => f.call(any(v)), "args", `call(${n})`);
    await rejectsTyped(() => f.callAsync(any(v)), { code: "invalid-argument", argument: "args" }, `callAsync(${n})`);
  }
  // right type, wrong values: the Canonical ABI's host-value errors
  row(() => f.call([]), undefined, "call([])", "invalid-host-value", /expected 1 argument\(s\), got 0/);
  for (const [n, v] of WRONG) row(() => f.call([v as never]), undefined, `call([${n}])`, "invalid-host-value");
  row(() => f.call([[{ "port-id": 5, packets: [] }]]), undefined, "port-id a number", "invalid-host-value");
  for (const [n, v] of wrongExcept("undefined", ...OBJECTS)) {
    row(() => f.call([[]], any(v)), "options", `call([[]], ${n})`);
    await rejectsTyped(() => f.callAsync([[]], any(v)), { code: "invalid-argument", argument: "options" }, `callAsync([[]], ${n})`);
  }
  for (const [n, v] of wrongExcept("undefined", "0", "-0", "Infinity")) {
    row(() => f.call([[]], { maxLiftedBytes: any(v) }), "options.maxLiftedBytes", `maxLiftedBytes ${n}`);
    await rejectsTyped(() => f.callAsync([[]], { maxLiftedBytes: any(v) }), { code: "invalid-argument", argument: "options.maxLiftedBytes" }, `async maxLiftedBytes ${n}`);
  }
  for (const [n, v] of wrongExcept("undefined")) {
    await rejectsTyped(() => f.callAsync([[]], { signal: any(v) }), { code: "invalid-argument", argument: "options.signal" }, `callAsync signal ${n}`);
    await rejectsTyped(() => f.callAsync([[]], { sliceSteps: any(v) }), { code: "invalid-argument", argument: "options.sliceSteps" }, `callAsync sliceSteps ${n}`);
  }
  // InvalidArgumentError is an InvalidHostValueError (the caller's mistake, which never poisons)
  try {
    f.call(any(5));
  } catch (e) {
    assert.instance(e, InvalidArgumentError);
    assert.instance(e, InvalidHostValueError);
  }
  // arbitrary args and options: a value or a typed error, and never a poisoned instance
  fc.assert(fc.property(fc.oneof(anyValue, fc.array(anyValue, { maxLength: 2 })), anyValue, (args, options) => {
    typedOrOk(() => f.call(any(args), any(options)), "call(arbitrary)");
  }), { seed: SEED, numRuns: 500 });
  stillServes(inst);
  assert.equal(await f.callAsync([[]], { sliceSteps: 10 }), { tag: "ok", value: [{ "port-id": "out", packets: [] }] });
});

test("LiftBudget and list_lift_cost", () => {
  for (const [n, v] of wrongExcept("0", "-0", "Infinity")) row(() => new LiftBudget(any(v)), "limit", `new LiftBudget(${n})`);
  const b = new LiftBudget(100);
  for (const [n, v] of wrongExcept("0", "-0", "1.5", "Infinity", "2^60")) row(() => b.charge(any(v), "list"), "bytes", `charge(${n})`);
  for (const [n, v] of WRONG) row(() => b.charge(1, any(v)), "item", `charge(1, ${n})`);
  assert.is(b.used, 0, "refused charges charge nothing");
  row(() => b.charge(101, "list"), undefined, "over budget", "lift-budget-exceeded");
  for (const [n, v] of wrongExcept("0", "-0", "1.5", "Infinity", "2^60")) {
    row(() => list_lift_cost(any(v), 1), "length", `list_lift_cost(${n}, 1)`);
    row(() => list_lift_cost(1, any(v)), "elem_size", `list_lift_cost(1, ${n})`);
  }
  assert.is(list_lift_cost(3, 0), 3);
});

test("type helpers and T constructors: malformed descriptors name the path of the first problem", () => {
  const ft = T.func([["a", T.u8]], T.string);
  for (const [n, v] of wrongExcept("null")) {
    row(() => witType(any(v)), "t", `witType(${n})`);
    row(() => valTypesEqual(T.u8, any(v)), "b", `valTypesEqual(u8, ${n})`);
    row(() => firstValTypeDifference(any(v), null, "p"), "expected", `firstValTypeDifference(${n})`);
    row(() => T.list(any(v)), "elem", `T.list(${n})`);
    row(() => T.option(any(v)), "type", `T.option(${n})`);
    row(() => T.func([], any(v)), "result", `T.func([], ${n})`);
  }
  for (const [n, v] of WRONG) {
    row(() => witFunc(any(v)), "ft", `witFunc(${n})`);
    row(() => funcTypesEqual(any(v), ft), "a", `funcTypesEqual(${n}, ft)`);
    row(() => firstFuncTypeDifference(ft, any(v), "f"), "found", `firstFuncTypeDifference(ft, ${n})`);
    row(() => checkFuncType("x", any(v), ft, "f"), "expected", `checkFuncType(x, ${n}, ft)`);
    if (!(v instanceof Map)) row(() => renderExternsAsWit(any(v)), "externs", `renderExternsAsWit(${n})`);
    row(() => primitive(any(v)), "kind", `primitive(${n})`);
    row(() => withName(any(v), "n"), "t", `withName(${n})`);
  }
  for (const [n, v] of wrongExcept("string", "empty string")) {
    row(() => withName(T.u8, any(v)), "name", `withName(u8, ${n})`);
    row(() => checkFuncType(any(v), ft, ft, "f"), "what", `checkFuncType(${n}, ...)`);
    row(() => T.enum([any(v)]), "labels[0]", `T.enum([${n}])`);
  }
  for (const [n, v] of wrongExcept(...ARRAYS)) {
    row(() => T.record(any(v)), "fields", `T.record(${n})`);
    row(() => T.tuple(any(v)), "types", `T.tuple(${n})`);
    row(() => T.flags(any(v)), "labels", `T.flags(${n})`);
    row(() => T.func(any(v), null), "params", `T.func(${n})`);
  }
  row(() => T.record([["a", any({ kind: "nope" })]]), "fields[0][1].kind", "record field of unknown kind");
  row(() => T.record([any(["a"])]), "fields[0]", "record pair of one");
  row(() => T.variant([["a", any(5)]]), "cases[0][1]", "variant case of a number");
  T.variant([["a", null]]);
  row(() => renderExternsAsWit(new Map([["f", any({ kind: "func", type: { kind: "func", params: [{ label: 1, type: T.u8 }], result: null } })]])),
    'externs.get("f").type.params[0].label', "extern param label a number");
  row(() => renderExternsAsWit(new Map([["f", any({ kind: "thing" })]])), 'externs.get("f").kind', "extern of unknown kind");
  row(() => renderExternsAsWit(new Map([[any(5), any({ kind: "module" })]])), "externs key", "extern name a number");
  row(() => renderExternsAsWit(component.exports, any("imports")), "keyword", "keyword");
  row(() => witType(any({ kind: "record", fields: [{ label: "a", type: { kind: "list", elem: { kind: "variant", cases: 5 } } }] })),
    "t.fields[0].type.elem.cases", "deep malformed descriptor");
  row(() => witType(any({ kind: "u8", name: 5 })), "t.name", "name a number");
  // the component's own types pass every check
  assert.match(renderExternsAsWit(component.exports), /invoke: func\(inputs: list<port-batch>\)/);
});

test("cyclic, deep and DAG-shaped descriptors: refused or checked in linear time, never a stack overflow", () => {
  const cyc: Record<string, unknown> = { kind: "list" };
  cyc.elem = cyc;
  row(() => witType(any(cyc)), "t.elem", "cyclic list", "invalid-argument", /cycle/);
  const cycRec: Record<string, unknown> = { kind: "record", fields: [] };
  (cycRec.fields as unknown[]).push({ label: "me", type: { kind: "option", type: cycRec } });
  row(() => valTypesEqual(any(cycRec), T.u8), "a.fields[0].type.type", "cyclic record", "invalid-argument", /cycle/);
  let deep: ValType = T.u8;
  for (let i = 0; i < 100_000; i++) deep = { kind: "list", elem: deep };
  row(() => witType(deep), undefined, "100,000 nested lists", "invalid-argument", new RegExp(`nested at most ${MAX_DESCRIPTOR_DEPTH} deep`));
  let ok: ValType = T.u8;
  for (let i = 0; i < 500; i++) ok = T.option(ok);
  assert.is(witType(ok).length, "option<".length * 500 + "u8".length + 500);
  // a DAG: tuple<t, t> nested 60 deep (2^60 paths) is checked once per node
  let dag: ValType = T.u8;
  for (let i = 0; i < 60; i++) dag = { kind: "tuple", types: [dag, dag] };
  const t0 = performance.now();
  assert.ok(valTypesEqual(dag, dag));
  assert.ok(performance.now() - t0 < 500, "linear-time check");
  // arbitrary descriptor-like objects through every type helper
  const kinds = ["u8", "string", "record", "variant", "list", "tuple", "flags", "enum", "option", "result", "func", "instance", "type", "module", "nope"];
  const junk = fc.constantFrom(...WRONG.map(([, v]) => v)); // cheaper than anyValue inside a recursive generator
  const descriptor = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true },
      junk,
      fc.record({ kind: fc.constantFrom(...kinds), name: fc.oneof(fc.constant(undefined), fc.string(), junk) }, { requiredKeys: ["kind"] }),
      fc.record({
        kind: fc.constantFrom(...kinds), elem: tie("node"), type: tie("node"), ok: tie("node"), err: fc.oneof(fc.constant(null), tie("node")),
        fields: fc.array(fc.record({ label: fc.oneof(fc.string(), junk), type: tie("node") }), { maxLength: 3 }),
        cases: fc.array(fc.record({ label: fc.string(), type: fc.oneof(fc.constant(null), tie("node")) }), { maxLength: 3 }),
        types: fc.array(tie("node"), { maxLength: 3 }), labels: fc.array(fc.oneof(fc.string(), junk), { maxLength: 3 }),
        params: fc.oneof(junk, fc.array(fc.record({ label: fc.string(), type: tie("node") }), { maxLength: 2 })), result: tie("node"),
      }, { requiredKeys: ["kind"] }),
    ),
  })).node;
  fc.assert(fc.property(descriptor, descriptor, (a, b) => {
    typedOrOk(() => witType(any(a)), "witType");
    typedOrOk(() => witFunc(any(a)), "witFunc");
    typedOrOk(() => valTypesEqual(any(a), any(b)), "valTypesEqual");
    typedOrOk(() => funcTypesEqual(any(a), any(b)), "funcTypesEqual");
    typedOrOk(() => checkFuncType("f", any(a), any(b), "f"), "checkFuncType");
    typedOrOk(() => renderExternsAsWit(new Map([["x", any({ kind: "type", type: a })], ["y", any(b)]])), "renderExternsAsWit");
    typedOrOk(() => T.record([["a", any(a)]]), "T.record");
  }), { seed: SEED, numRuns: 1000 });
  console.log(`# component-layer API misuse: ${checked} table rows checked (each a typed error), plus fast-check properties`);
});

test.run();
