// The public door mirrors the standard WebAssembly JS API: Module.exports/imports/customSections,
// LinkErrors naming module/field and both types, Memory/Table/Global objects, function identity,
// default stores, CompileError on bad bytes.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompileError, Global, Instance, LinkError, Memory, Module, Store, Table, compile, instantiate, validate } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
function bytes(src: string): Uint8Array {
  return wabt.parseWat("t.wat", src, { bulk_memory: true, reference_types: true }).toBinary({}).buffer;
}
const wat = (src: string) => new Module(bytes(src));
type Fn = (...a: unknown[]) => unknown;

test("Module.exports / Module.imports / customSections", () => {
  const m = wat(`(module (import "a" "f" (func)) (import "a" "m" (memory 1)) (import "b" "g" (global i32)) (import "b" "t" (table 1 funcref))
    (func (export "x")) (export "mem" (memory 0)) (global (export "gl") i32 (i32.const 1)) (table (export "tb") 1 externref))`);
  assert.equal(Module.imports(m), [
    { module: "a", name: "f", kind: "function" }, { module: "a", name: "m", kind: "memory" },
    { module: "b", name: "g", kind: "global" }, { module: "b", name: "t", kind: "table" },
  ]);
  assert.equal(Module.exports(m), [{ name: "x", kind: "function" }, { name: "mem", kind: "memory" }, { name: "gl", kind: "global" }, { name: "tb", kind: "table" }]);
  const withCustom = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 0, 6, 2, 104, 105, 33, 1, 2]);
  const cs = Module.customSections(new Module(withCustom), "hi");
  assert.is(cs.length, 1);
  assert.equal([...new Uint8Array(cs[0]!)], [33, 1, 2]);
});

test("CompileError on malformed and invalid bytes", () => {
  assert.throws(() => new Module(new Uint8Array([1, 2, 3])), (e: unknown) => e instanceof CompileError);
  assert.throws(() => wat(`(module (func (result i32)))`), (e: unknown) => e instanceof CompileError);
});

test("LinkError: missing import names module/field; mismatched types name both", () => {
  const m = wat(`(module (import "env" "f" (func (param i32) (result i64))))`);
  // a missing module namespace is a TypeError (JS API "read the imports"); a missing field a LinkError
  assert.throws(() => new Instance(m, {}), (e: unknown) => e instanceof TypeError && e.constructor === TypeError && /"env"/.test((e as Error).message));
  assert.throws(() => new Instance(m), (e: unknown) => e instanceof TypeError && e.constructor === TypeError);
  assert.throws(() => new Instance(m, { env: {} }), (e: unknown) => e instanceof LinkError && e.code === "unknown-import" && /"env" "f"/.test(e.message) && /\(i32\) -> \(i64\)/.test(e.message));
  const other = new Instance(wat(`(module (func (export "g") (param f32)))`));
  assert.throws(() => new Instance(m, { env: { f: other.exports.g } }), (e: unknown) => e instanceof LinkError && e.code === "incompatible-import" && /\(i32\) -> \(i64\)/.test(e.message) && /\(f32\) -> \(\)/.test(e.message));
  const mm = wat(`(module (import "env" "m" (memory 2 3)))`);
  assert.throws(() => new Instance(mm, { env: { m: new Memory({ initial: 1 }) } }), (e: unknown) => e instanceof LinkError);
  assert.throws(() => new Instance(mm, { env: { m: new Memory({ initial: 2 }) } }), (e: unknown) => e instanceof LinkError);
  new Instance(mm, { env: { m: new Memory({ initial: 2, maximum: 3 }) } });
  const gm = wat(`(module (import "env" "g" (global (mut i32))))`);
  assert.throws(() => new Instance(gm, { env: { g: new Global({ value: "i32" }, 1) } }), (e: unknown) => e instanceof LinkError);
  assert.throws(() => new Instance(gm, { env: { g: 1 } }), (e: unknown) => e instanceof LinkError);
  new Instance(gm, { env: { g: new Global({ value: "i32", mutable: true }, 1) } });
  new Instance(wat(`(module (import "env" "g" (global i64)))`), { env: { g: 5n } });
});

test("Memory, Table, Global objects behave like the standard ones", () => {
  const mem = new Memory({ initial: 1, maximum: 2 });
  assert.is(mem.buffer.byteLength, 65536);
  assert.is(mem.grow(1), 1);
  assert.is(mem.buffer.byteLength, 131072);
  assert.throws(() => mem.grow(1), (e: unknown) => e instanceof RangeError);
  const t = new Table({ element: "externref", initial: 2 }, "init");
  assert.is(t.length, 2);
  assert.is(t.get(1), "init");
  assert.is(t.grow(1, 9), 2);
  assert.is(t.get(2), 9);
  assert.throws(() => t.get(3), (e: unknown) => e instanceof RangeError);
  const g = new Global({ value: "f32", mutable: false }, 1.1);
  assert.is(g.value, Math.fround(1.1));
  assert.is(g.valueOf(), Math.fround(1.1));
  assert.throws(() => { g.value = 2; }, (e: unknown) => e instanceof TypeError);
  const gi = new Global({ value: "i64", mutable: true });
  assert.is(gi.value, 0n);
});

test("function identity: exports, tables and funcref round trips give the same JS function", () => {
  const inst = new Instance(wat(`(module (table (export "t") 1 funcref) (elem (i32.const 0) $f) (func $f (export "f") (result i32) (i32.const 42))
    (func (export "id") (param funcref) (result funcref) (local.get 0)))`));
  const f = inst.exports.f as Fn;
  assert.is(inst.exports.f, f);
  assert.is((inst.exports.t as Table).get(0), f);
  assert.is((inst.exports.id as Fn)(f), f);
  assert.is((inst.exports.id as Fn)(null), null);
  assert.throws(() => (inst.exports.id as Fn)(() => 1), (e: unknown) => e instanceof TypeError);
  assert.is(f(), 42);
  assert.is(f.length, 0);
  assert.is((inst.exports.id as Fn).length, 1);
  assert.ok(Object.isFrozen(inst.exports));
});

test("re-exported host functions and values at the boundary", () => {
  const host = (a: number) => a * 2;
  const inst = new Instance(wat(`(module (import "h" "f" (func $f (param i32) (result i32))) (export "f" (func $f))
    (func (export "conv") (param i32 i64 f32 f64) (result i32 i64 f32 f64) (local.get 0) (local.get 1) (local.get 2) (local.get 3)))`), { h: { f: host } });
  assert.is((inst.exports.f as Fn)(21), 42);
  assert.equal((inst.exports.conv as Fn)(2 ** 32 + 5, 2n ** 64n + 3n, 1.1, "2.5"), [5, 3n, Math.fround(1.1), 2.5]);
  assert.throws(() => (inst.exports.conv as Fn)(1, 1, 1, 1), (e: unknown) => e instanceof TypeError);
});

test("instances without a store get their own store with fuel metering off", () => {
  const inst = new Instance(wat(`(module (func (export "f")))`));
  assert.is(inst.store.getFuel(), Infinity);
  (inst.exports.f as Fn)();
  assert.is(inst.store.fuelConsumed, 1);
  const s = new Store({ fuel: 10 });
  const i2 = new Instance(wat(`(module (func (export "f")))`), {}, { store: s });
  (i2.exports.f as Fn)();
  assert.is(s.getFuel(), 9);
});

test("validate / compile / instantiate like the standard namespace", async () => {
  const b = bytes(`(module (func (export "f") (result i32) (i32.const 7)))`);
  assert.is(validate(b), true);
  assert.is(validate(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), false);
  const m = await compile(b);
  const i = await instantiate(m);
  assert.is((i.exports.f as Fn)(), 7);
  const both = await instantiate(b, {});
  assert.instance(both.module, Module);
  assert.is((both.instance.exports.f as Fn)(), 7);
  try {
    await compile(new Uint8Array([1]));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, CompileError);
  }
});

test.run();
