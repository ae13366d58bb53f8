// Constant expressions of Wasm 3.0 (issue 12 step 3): extended constants (i32/i64 add, sub, mul,
// wrapping like the instructions) and `global.get` of an immutable global defined earlier in a
// global's initialiser, or of any immutable global in segment offsets; what stays invalid:
// reading itself or a later global, a mutable global, operand type mismatches.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompileError, Global, Instance, Module } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { extended_const: true }).toBinary({}).buffer;

test("extended constants and global.get of earlier defined globals are evaluated like the instructions", () => {
  const m = new Module(bin(`(module
    (import "env" "base" (global $base i32))
    (global $a i32 (i32.add (global.get $base) (i32.const 0x7fffffff)))
    (global $b i32 (i32.mul (global.get $a) (i32.sub (i32.const 3) (i32.const 5))))
    (global $c i64 (i64.mul (i64.add (i64.const 0x7fffffffffffffff) (i64.const 2)) (i64.const 3)))
    (global $d i64 (i64.sub (global.get $c) (i64.const -1)))
    (memory 1)
    (data (i32.add (global.get $base) (i32.mul (i32.const 4) (i32.const 4))) "\\2a")
    (func (export "a") (result i32) (global.get $a))
    (func (export "b") (result i32) (global.get $b))
    (func (export "c") (result i64) (global.get $c))
    (func (export "d") (result i64) (global.get $d))
    (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))`));
  const e = new Instance(m, { env: { base: new Global({ value: "i32" }, 2) } }).exports as Record<string, (...a: number[]) => unknown>;
  assert.is(e.a!(), (2 + 0x7fffffff) | 0);
  assert.is(e.b!(), Math.imul((2 + 0x7fffffff) | 0, -2));
  const c = BigInt.asIntN(64, (0x7fffffffffffffffn + 2n) * 3n);
  assert.is(e.c!(), c);
  assert.is(e.d!(), BigInt.asIntN(64, c + 1n));
  assert.is(e.byte!(18), 42);
});

test("still invalid: reading itself or a later global, a mutable global, mismatched operands", () => {
  const cases: [string, RegExp][] = [
    ["(global $x i32 (global.get $x))", /unknown global/],
    ["(global i32 (global.get 1)) (global i32 (i32.const 0))", /unknown global/],
    ["(global $m (mut i32) (i32.const 1)) (global i32 (global.get $m))", /mutable/],
    ["(global i32 (i32.add (i32.const 1) (i64.const 1)))", /type mismatch/],
    ["(global i64 (i32.add (i32.const 1) (i32.const 1)))", /type mismatch/],
    ["(global i32 (i32.div_s (i32.const 1) (i32.const 1)))", /constant expression required/],
  ];
  for (const [decls, why] of cases) {
    const bytes = wabt.parseWat("t.wat", `(module ${decls})`, { extended_const: true }).toBinary({}).buffer;
    assert.throws(() => new Module(bytes), (x: unknown) => x instanceof CompileError && why.test(x.message), decls);
  }
});

test.run();
