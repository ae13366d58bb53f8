// Resource limits (issue 3): memory pages, table elements, call depth, value-stack size,
// instances per store, host re-entrancy. Growth past a limit returns -1; a declared minimum past
// a limit fails instantiation with LinkError "limit-exceeded" naming the limit.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFAULT_LIMITS, Instance, LinkError, Module, RuntimeError, Store } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
function wat(src: string): Module {
  return new Module(wabt.parseWat("t.wat", src, { bulk_memory: true, reference_types: true }).toBinary({}).buffer);
}
type Fn = (...a: unknown[]) => unknown;
function trapOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeError) return e.trap;
    throw e;
  }
  return undefined;
}

test("documented defaults", () => {
  assert.is(DEFAULT_LIMITS.maxMemoryPages, 16384);
  assert.is(DEFAULT_LIMITS.maxCallDepth, 100_000);
  assert.ok(DEFAULT_LIMITS.maxTableElements >= 10_000_000);
  assert.ok(DEFAULT_LIMITS.maxInstances >= 1000);
});

test("memory.grow past maxMemoryPages returns -1; within it succeeds", () => {
  const m = wat(`(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
  const grow = new Instance(m, {}, { store: new Store({ limits: { maxMemoryPages: 4 } }) }).exports.grow as Fn;
  assert.is(grow(3), 1);
  assert.is(grow(1), -1);
  assert.is(grow(0), 4);
  const dflt = new Instance(m).exports.grow as Fn;
  assert.is(dflt(DEFAULT_LIMITS.maxMemoryPages), -1);
});

test("a declared memory minimum above the limit fails instantiation naming the limit", () => {
  const m = wat(`(module (memory 10))`);
  try {
    new Instance(m, {}, { store: new Store({ limits: { maxMemoryPages: 9 } }) });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, LinkError);
    assert.is((e as LinkError).code, "limit-exceeded");
    assert.match((e as Error).message, "maxMemoryPages");
  }
  new Instance(m, {}, { store: new Store({ limits: { maxMemoryPages: 10 } }) });
});

test("table elements: declared minimum and table.grow", () => {
  const m = wat(`(module (table 5 funcref) (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`);
  assert.throws(() => new Instance(m, {}, { store: new Store({ limits: { maxTableElements: 4 } }) }), (e: unknown) => e instanceof LinkError && /maxTableElements/.test(e.message));
  const grow = new Instance(m, {}, { store: new Store({ limits: { maxTableElements: 8 } }) }).exports.grow as Fn;
  assert.is(grow(3), 5);
  assert.is(grow(1), -1);
});

test("call depth and value-stack size give call-stack-exhausted", () => {
  const m = wat(`(module
    (func $d (export "d") (param i32) (result i32) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $d (i32.sub (local.get 0) (i32.const 1))))))
    (func $big (export "big") (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $big (i32.sub (local.get 0) (i32.const 1)))))))`);
  const depth = new Instance(m, {}, { store: new Store({ limits: { maxCallDepth: 50 } }) }).exports as Record<string, Fn>;
  assert.is(depth.d!(48), 0);
  assert.is(trapOf(() => depth.d!(60)), "call-stack-exhausted");
  const stack = new Instance(m, {}, { store: new Store({ limits: { maxValueStackBytes: 64 * 1024 } }) }).exports as Record<string, Fn>;
  assert.is(stack.big!(100), 0);
  assert.is(trapOf(() => stack.big!(1000)), "call-stack-exhausted");
  assert.is(stack.d!(1000), 0);
});

test("instances per store", () => {
  const m = wat(`(module)`);
  const store = new Store({ limits: { maxInstances: 3 } });
  for (let i = 0; i < 3; i++) new Instance(m, {}, { store });
  assert.throws(() => new Instance(m, {}, { store }), (e: unknown) => e instanceof LinkError && e.code === "limit-exceeded" && /maxInstances/.test(e.message));
});

test("host re-entrancy (wasm -> host -> wasm ...) is bounded", () => {
  const m = wat(`(module (import "h" "f" (func $f (param i32))) (func (export "g") (param i32) (call $f (local.get 0))))`);
  let g: Fn = () => {};
  const store = new Store({ limits: { maxHostReentrancy: 20 } });
  g = new Instance(m, { h: { f: (n: number) => g(n + 1) } }, { store }).exports.g as Fn;
  assert.is(trapOf(() => g(0)), "call-stack-exhausted");
});

test("limits are validated", () => {
  assert.throws(() => new Store({ limits: { maxCallDepth: -1 } }), (e: unknown) => e instanceof RangeError);
  assert.throws(() => new Store({ limits: { nope: 1 } as never }), (e: unknown) => e instanceof RangeError);
});

test.run();
