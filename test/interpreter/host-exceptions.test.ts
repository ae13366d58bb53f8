// What a host function (an import) throws reaches the caller of the wasm export as that same value,
// as the WebAssembly JS API requires and Node's engine does (issue 10): Errors, non-Error values,
// across nested wasm -> host -> wasm frames, in the shape of Emscripten's `invoke_*`/`setThrew`
// longjmp glue; the store stays usable and fuel is settled exactly as for a trap.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store, callAsync } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const wat = (src: string): Uint8Array => wabt.parseWat("t.wat", src).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

const THROWER = wat(`(module
  (import "h" "boom" (func $boom (param i32)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (func (export "f") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (call $boom (local.get 0))
    (i32.const 42)))`);

/** Instantiates `bytes` on both engines with the same imports. */
function both(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): [Record<string, unknown>, Record<string, unknown>] {
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), imports as WebAssembly.Imports).exports;
  const ours = new Instance(new Module(bytes), imports).exports;
  return [node as Record<string, unknown>, ours];
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

test("every kind of thrown value reaches the caller unchanged, as on Node's engine", () => {
  const sym = Symbol("s");
  const values: unknown[] = [new Error("plain"), new TypeError("type"), new RangeError("range"), 7, "text", undefined, null, sym, { tag: 1 }, Infinity, 0n];
  for (const v of values) {
    const [node, ours] = both(THROWER, { h: { boom: () => { throw v; } } });
    const a = thrown(() => (node.f as Fn)(1));
    const b = thrown(() => (ours.f as Fn)(1));
    assert.ok(Object.is(a, v), `node passes ${String(v)} through`);
    assert.ok(Object.is(b, v), `ours passes ${String(v)} through`);
  }
});

test("a RuntimeError thrown by a host function is passed through too (not re-wrapped)", () => {
  const r = new RuntimeError("unreachable");
  const [, ours] = both(THROWER, { h: { boom: () => { throw r; } } });
  assert.ok(thrown(() => (ours.f as Fn)(0)) === r);
});

test("through nested wasm -> host -> wasm frames; the instance works afterwards", () => {
  // inner export calls the throwing import; the outer export calls a host function that calls inner
  const bytes = wat(`(module
    (import "h" "boom" (func $boom (param i32)))
    (import "h" "reenter" (func $reenter (param i32) (result i32)))
    (func (export "inner") (param i32) (result i32) (if (i32.eqz (local.get 0)) (then (call $boom (i32.const 9)))) (i32.add (local.get 0) (i32.const 100)))
    (func (export "outer") (param i32) (result i32) (i32.mul (call $reenter (local.get 0)) (i32.const 2))))`);
  const marker = { longjmp: true };
  for (const engine of ["node", "ours"] as const) {
    let ex: Record<string, unknown> = {};
    const imports = { h: { boom: () => { throw marker; }, reenter: (x: number) => (ex.inner as Fn)(x) } };
    ex = engine === "node" ? both(bytes, imports)[0] : both(bytes, imports)[1];
    assert.ok(thrown(() => (ex.outer as Fn)(0)) === marker, engine);
    assert.is((ex.outer as Fn)(5), 210, `${engine}: usable after the throw`);
  }
});

test("Emscripten-style setjmp/longjmp glue: invoke_* catches what the callee threw and calls setThrew", () => {
  // $main calls invoke_vi(fp, arg); the callee (through the table) longjmps by calling an import
  // that throws; the JS wrapper catches it and records it with setThrew; $main reads the flag.
  const bytes = wat(`(module
    (import "env" "invoke_vi" (func $invoke_vi (param i32 i32)))
    (import "env" "throw_longjmp" (func $throw_longjmp))
    (table (export "table") 2 funcref)
    (elem (i32.const 1) $callee)
    (global $threw (mut i32) (i32.const 0))
    (global $depth (mut i32) (i32.const 0))
    (func (export "setThrew") (param i32) (global.set $threw (local.get 0)))
    (func $callee (param i32)
      (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
      (if (i32.gt_u (local.get 0) (i32.const 3)) (then (call $throw_longjmp)))
      (global.set $depth (i32.add (global.get $depth) (i32.const 10))))
    (func (export "main") (param i32) (result i32)
      (global.set $threw (i32.const 0)) (global.set $depth (i32.const 0))
      (call $invoke_vi (i32.const 1) (local.get 0))
      (i32.add (i32.mul (global.get $threw) (i32.const 1000)) (global.get $depth))))`);
  const LONGJMP = Infinity; // what Emscripten's glue throws for a longjmp
  for (const engine of ["node", "ours"] as const) {
    let ex: Record<string, unknown> = {};
    const imports = {
      env: {
        throw_longjmp: () => { throw LONGJMP; },
        invoke_vi: (fp: number, a: number) => {
          try {
            ((ex.table as { get(i: number): Fn }).get(fp))(a);
          } catch (e) {
            if (e !== LONGJMP) throw e;
            (ex.setThrew as Fn)(1);
          }
        },
      },
    };
    ex = engine === "node" ? both(bytes, imports)[0] : both(bytes, imports)[1];
    assert.is((ex.main as Fn)(2), 11, `${engine}: no longjmp`);
    assert.is((ex.main as Fn)(5), 1001, `${engine}: longjmp caught by the glue`);
    assert.is((ex.main as Fn)(1), 11, `${engine}: next call normal`);
  }
});

test("fuel after a host throw is settled exactly (as after a trap), and the store is reusable", () => {
  const store = new Store({ fuel: 1_000_000, costs: "wasmtime" });
  const boom = new Error("x");
  let fire = true;
  const ex = new Instance(new Module(THROWER), { h: { boom: () => { if (fire) throw boom; } } }, { store }).exports;
  const before = store.fuelConsumed;
  assert.ok(thrown(() => (ex.f as Fn)(1)) === boom);
  const usedThrow = store.fuelConsumed - before;
  fire = false;
  const mid = store.fuelConsumed;
  assert.is((ex.f as Fn)(1), 42);
  const usedOk = store.fuelConsumed - mid;
  // entry 1 + global.get, i32.const, i32.add, global.set (4) + local.get, call (2) = 7 before the
  // host call; the successful call adds i32.const (1)
  assert.is(usedThrow, 7);
  assert.is(usedOk, 8);
  assert.is(store.fuelConsumed + store.getFuel(), 1_000_000);
  assert.is((ex.g as { value: number }).value, 2);
});

test("callAsync rejects with the same value", async () => {
  const boom = { reason: "async" };
  const ex = new Instance(new Module(THROWER), { h: { boom: () => { throw boom; } } }).exports;
  let got: unknown;
  await callAsync(ex.f as Fn, [1]).catch((e: unknown) => { got = e; });
  assert.ok(got === boom);
});

test.run();
