// Argument misuse at the core interpreter's public door: every bad call in the table throws a typed
// error (the built-in TypeError / RangeError / SyntaxError itself as the JS API requires, carrying
// `code` and `argument` and recognised by instanceof InvalidArgumentTypeError / RangeError; or
// InvalidStateError) with a stable `code` and the offending `argument`, and never
// a raw TypeError/RangeError whose message-building itself throws (symbols, null-prototype objects).
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  Global, Instance, InvalidArgumentRangeError, InvalidArgumentTypeError, InvalidStateError, Memory, Module, Store, Table,
  call, callAsync, callResumable, describeValue, invokeRaw, readGlobalRaw,
} from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const module = new Module(wabt.parseWat("t.wat", `(module
  (global (export "g") i32 (i32.const 7))
  (global (export "g64") (mut i64) (i64.const 0))
  (func (export "add") (param i32 i64 f64) (result i32) (local.get 0))
  (func (export "ref") (param funcref))
  (func (export "spin") (param i32) (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))`).toBinary({}).buffer);
type Fn = (...a: unknown[]) => unknown;
const inst = new Instance(module, {});
const add = inst.exports.add as Fn;
const ref = inst.exports.ref as Fn;
const spin = inst.exports.spin as Fn;
const nullProto: unknown = Object.create(null);
const sym = Symbol("s");
const any = (v: unknown): never => v as never;

// "syntax": ECMAScript ToBigInt of a string that is not an integer is a SyntaxError (the JS API converts i64 arguments with it)
type Kind = "type" | "range" | "state" | "syntax";
const cases: [name: string, kind: Kind, code: string, argument: string | undefined, run: () => unknown][] = [
  ["Module(string)", "type", "invalid-argument", "bytes", () => new Module(any("abc"))],
  ["Module(null)", "type", "invalid-argument", "bytes", () => new Module(any(null))],
  ["Module.exports(non-Module)", "type", "invalid-argument", "moduleObject", () => Module.exports(any({}))],
  ["Instance(non-Module)", "type", "invalid-argument", "module", () => new Instance(any(nullProto))],
  ["Instance store not a Store", "type", "invalid-argument", "options.store", () => new Instance(module, {}, { store: any({ limits: {} }) })],
  ["Instance options null", "type", "invalid-argument", "options", () => new Instance(module, {}, any(5))],
  ["Memory(undefined)", "type", "invalid-argument", "descriptor.initial", () => new Memory(any(undefined))],
  ["Memory(null)", "type", "invalid-argument", "descriptor.initial", () => new Memory(any(null))],
  ["Memory initial symbol", "type", "invalid-argument", "descriptor.initial", () => new Memory({ initial: any(sym) })],
  ["Memory initial null-proto", "type", "invalid-argument", "descriptor.initial", () => new Memory({ initial: any(nullProto) })],
  ["Memory initial -1", "type", "invalid-argument", "descriptor.initial", () => new Memory({ initial: -1 })],
  ["Memory initial too big", "range", "invalid-argument", "descriptor.initial", () => new Memory({ initial: 70000 })],
  ["Memory maximum < initial", "range", "invalid-argument", "descriptor.maximum", () => new Memory({ initial: 2, maximum: 1 })],
  ["Memory grow symbol", "type", "invalid-argument", "delta", () => new Memory({ initial: 1 }).grow(any(sym))],
  ["Memory grow past max", "range", "invalid-argument", "delta", () => new Memory({ initial: 1, maximum: 1 }).grow(1)],
  ["Table(null)", "type", "invalid-argument", "descriptor.element", () => new Table(any(null))],
  ["Table element symbol", "type", "invalid-argument", "descriptor.element", () => new Table({ element: any(sym), initial: 1 })],
  ["Table maximum < initial", "range", "invalid-argument", "descriptor.maximum", () => new Table({ element: "funcref", initial: 2, maximum: 1 })],
  ["Table get symbol", "type", "invalid-argument", "index", () => new Table({ element: "funcref", initial: 1 }).get(any(sym))],
  ["Table get out of range", "range", "invalid-argument", "index", () => new Table({ element: "funcref", initial: 1 }).get(1)],
  ["Table set out of range", "range", "invalid-argument", "index", () => new Table({ element: "externref", initial: 1 }).set(5, 1)],
  ["Table set non-function", "type", "invalid-argument", "value", () => new Table({ element: "funcref", initial: 1 }).set(0, () => 1)],
  ["Table grow past max", "range", "invalid-argument", "delta", () => new Table({ element: "funcref", initial: 1, maximum: 1 }).grow(1)],
  ["Global(undefined)", "type", "invalid-argument", "descriptor.value", () => new Global(any(undefined))],
  ["Global value type symbol", "type", "invalid-argument", "descriptor.value", () => new Global({ value: any(sym) })],
  ["Global value type toString", "type", "invalid-argument", "descriptor.value", () => new Global({ value: any("toString") })],
  ["Global i32 symbol", "type", "invalid-argument", "value", () => new Global({ value: "i32" }, sym)],
  ["Global i64 number", "type", "invalid-argument", "value", () => new Global({ value: "i64" }, 1)],
  ["Global set immutable", "type", "invalid-argument", "value", () => { (inst.exports.g as { value: unknown }).value = 1; }],
  ["Global set symbol", "type", "invalid-argument", "value", () => { new Global({ value: "f64", mutable: true }).value = sym; }],
  ["call(non-export)", "type", "invalid-argument", "fn", () => call(any(() => 1), [])],
  ["call(f, undefined)", "type", "invalid-argument", "args", () => call(add, any(undefined))],
  ["call options null", "type", "invalid-argument", "options", () => call(add, [1, 2n, 3], any(null))],
  ["call symbol i32 arg", "type", "invalid-argument", "args[0]", () => add(sym, 1n, 1)],
  ["call null-proto f64 arg", "type", "invalid-argument", "args[2]", () => add(1, 1n, nullProto)],
  ["call bad BigInt string", "syntax", "invalid-argument", "args[1]", () => add(1, "zz", 1)],
  ["call i64 arg number", "type", "invalid-argument", "args[1]", () => add(1, 5, 1)],
  ["call funcref non-export", "type", "invalid-argument", "args[0]", () => ref(() => 1)],
  ["call cancellation checkInterval", "range", "invalid-argument", "cancellation.checkInterval", () => call(spin, [1], { cancellation: { checkInterval: any(sym) } })],
  ["callResumable(f, 5)", "type", "invalid-argument", "args", () => callResumable(add, any(5))],
  ["invokeRaw non-array", "type", "invalid-argument", "args", () => invokeRaw(add, any("abc"))],
  ["invokeRaw arity", "type", "invalid-argument", "args", () => invokeRaw(add, [1])],
  ["invokeRaw symbol", "type", "invalid-argument", "args[0]", () => invokeRaw(add, [any(sym), 1n, 1n])],
  ["invokeRaw bad i64", "type", "invalid-argument", "args[1]", () => invokeRaw(add, [1, any(1.5), 1n])],
  ["readGlobalRaw non-Global", "type", "invalid-argument", "global", () => readGlobalRaw(nullProto)],
  ["Store(null)", "type", "invalid-argument", "options", () => new Store(any(null))],
  ["Store fuel symbol", "range", "invalid-argument", "options.fuel", () => new Store({ fuel: any(sym) })],
  ["Store fuel null-proto", "range", "invalid-argument", "options.fuel", () => new Store({ fuel: any(nullProto) })],
  ["Store fuel -1", "range", "invalid-argument", "options.fuel", () => new Store({ fuel: -1 })],
  ["setFuel symbol", "range", "invalid-argument", "fuel", () => new Store({ fuel: 1 }).setFuel(any(sym))],
  ["setFuel without metering", "state", "fuel-metering-off", undefined, () => new Store().setFuel(5)],
  ["costs null", "type", "invalid-argument", "options.costs", () => new Store({ costs: any(null) })],
  ["costs unknown preset", "range", "invalid-argument", "options.costs", () => new Store({ costs: any("cheap") })],
  ["costs base unknown", "range", "invalid-argument", "options.costs.base", () => new Store({ costs: { base: any(sym) } })],
  ["costs ops not object", "type", "invalid-argument", "options.costs.ops", () => new Store({ costs: { ops: any("abc") } })],
  ["costs unknown op", "range", "invalid-argument", "options.costs.ops", () => new Store({ costs: { ops: { "i32.frob": 1 } } })],
  ["costs op symbol", "range", "invalid-argument", "options.costs.ops.i32.add", () => new Store({ costs: { ops: { "i32.add": any(sym) } } })],
  ["costs perUnit unknown", "range", "invalid-argument", "options.costs.perUnit", () => new Store({ costs: { perUnit: any({ toString: 1 }) } })],
  ["costs functionEntry -1", "range", "invalid-argument", "options.costs.functionEntry", () => new Store({ costs: { functionEntry: -1 } })],
  ["limits string", "type", "invalid-argument", "options.limits", () => new Store({ limits: any("abc") })],
  ["limits unknown", "range", "invalid-argument", "options.limits", () => new Store({ limits: any({ maxFoo: 1 }) })],
  ["limits symbol value", "range", "invalid-argument", "options.limits.maxCallDepth", () => new Store({ limits: { maxCallDepth: any(sym) } })],
  ["cancellation null", "type", "invalid-argument", "options.cancellation", () => new Store({ cancellation: any(null) })],
  ["cancellation checkInterval", "range", "invalid-argument", "options.cancellation.checkInterval", () => new Store({ cancellation: { checkInterval: any(sym) } })],
  ["cancellation signal", "type", "invalid-argument", "options.cancellation.signal", () => new Store({ cancellation: { signal: any({}) } })],
  ["cancellation flag", "type", "invalid-argument", "options.cancellation.flag", () => new Store({ cancellation: { flag: any([0]) } })],
  ["cancellation flagIndex", "range", "invalid-argument", "options.cancellation.flagIndex", () => new Store({ cancellation: { flag: new Int32Array(1), flagIndex: 3 } })],
  ["cancellation deadline", "type", "invalid-argument", "options.cancellation.deadline", () => new Store({ cancellation: { deadline: any("soon") } })],
  ["cancellation callback", "type", "invalid-argument", "options.cancellation.callback", () => new Store({ cancellation: { callback: any(1) } })],
  ["results before finished", "state", "call-not-finished", undefined, () => {
    const store = new Store({ fuel: 5 });
    const f = new Instance(module, {}, { store }).exports.spin as Fn;
    const c = callResumable(f, [1000]);
    assert.is(c.state, "out-of-fuel");
    return c.results;
  }],
  ["resume after finish", "state", "nothing-to-resume", undefined, () => callResumable(add, [1, 2n, 3]).resume()],
];

for (const [name, kind, code, argument, run] of cases) {
  test(name, () => {
    let err: unknown;
    try {
      run();
    } catch (e) {
      err = e;
    }
    assert.ok(err !== undefined, `${name}: did not throw`);
    const e = err as { code?: unknown; argument?: unknown; message: string };
    if (kind === "type") {
      assert.ok(err instanceof InvalidArgumentTypeError, `${name}: expected InvalidArgumentTypeError, got ${String(err)}`);
      assert.ok(err instanceof TypeError);
    } else if (kind === "range") {
      assert.ok(err instanceof InvalidArgumentRangeError, `${name}: expected InvalidArgumentRangeError, got ${String(err)}`);
      assert.ok(err instanceof RangeError);
    } else if (kind === "syntax") {
      assert.ok(err instanceof SyntaxError, `${name}: expected SyntaxError, got ${String(err)}`);
    } else assert.ok(err instanceof InvalidStateError, `${name}: expected InvalidStateError, got ${String(err)}`);
    assert.is(e.code, code, name);
    if (argument !== undefined) {
      assert.is(e.argument, argument, name);
      assert.ok(e.message.startsWith(`${argument}: `), `${name}: message ${e.message}`);
    }
  });
}

test("callAsync: bad sliceSteps and args are typed", async () => {
  for (const [args, opts, argument] of [[[1], { sliceSteps: 0 }, "options.sliceSteps"], [undefined, {}, "args"], [[1], { sliceSteps: sym }, "options.sliceSteps"]] as const) {
    let err: unknown;
    try {
      await callAsync(spin, any(args), any(opts));
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof InvalidArgumentTypeError || err instanceof InvalidArgumentRangeError, `got ${String(err)}`);
    assert.is((err as { argument: string }).argument, argument);
  }
  // a rejected sliceSteps leaves no call half-begun: a normal call still works afterwards
  assert.is(await callAsync(add, [4, 0n, 0]), 4);
});

test("describeValue never throws", () => {
  const values: unknown[] = [sym, Symbol(), nullProto, null, undefined, 1n, "x".repeat(100), [1, 2], new (class Foo {})(), () => 1, { get constructor(): never { throw new Error("x"); } }];
  for (const v of values) assert.type(describeValue(v), "string");
  assert.is(describeValue(nullProto), "an object with null prototype");
});

test("valid calls still work", () => {
  assert.is(add(3, 1n, 2), 3);
  assert.is(readGlobalRaw(inst.exports.g), 7);
  assert.is(new Store({ fuel: 10, costs: { ops: { "i32.add": 2 } }, limits: { maxCallDepth: 10 }, cancellation: { checkInterval: 5 } }).getFuel(), 10);
});

test.run();
