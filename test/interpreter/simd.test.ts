/**
 * Fixed-width SIMD beyond the spec suite's one-instruction tests (issue 12): v128 values in frames
 * (two slots each) mixed with scalars through calls, blocks, loops, if/else with parameters,
 * br_table, select, locals, globals and call_indirect, checked against Node's WebAssembly on
 * exports of scalar type; the JS API's TypeError for v128 at the JS boundary; NaN
 * canonicalisation of SIMD float results; fuel of 1 per SIMD instruction; out-of-bounds traps;
 * unknown 0xFD sub-opcodes; raw calls with v128 values.
 */
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompileError, Global, Instance, Module, RuntimeError, Store, invokeRaw } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const wasm = (src: string): Uint8Array<ArrayBuffer> => wabt.parseWat("t.wat", src, { simd: true, multi_value: true, reference_types: true, bulk_memory: true }).toBinary({}).buffer as Uint8Array<ArrayBuffer>;
type Fn = (...a: unknown[]) => unknown;

/** Runs export `name` on both engines with `args`; returns [ours, node] (results or "trap"). */
function both(bytes: Uint8Array<ArrayBuffer>, name: string, args: unknown[], imports: Record<string, Record<string, unknown>> = {}): [unknown, unknown] {
  const run = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (e) {
      if (e instanceof RuntimeError || e instanceof WebAssembly.RuntimeError) return "trap";
      throw e;
    }
  };
  const ours = new Instance(new Module(bytes), imports, { store: new Store() }).exports[name] as Fn;
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports as WebAssembly.Imports).exports[name] as Fn;
  return [run(() => ours(...args)), run(() => node(...args))];
}

const FRAMES = `
(module
  (type $mix (func (param i32 v128 f64 v128 i64) (result v128 i32 v128)))
  (table 2 funcref)
  (elem (i32.const 0) $mix $mix2)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (memory 1)
  (func $mix (type $mix) (param $a i32) (param $v v128) (param $d f64) (param $w v128) (param $l i64) (result v128 i32 v128)
    (local $t v128) (local $x i32) (local $u v128)
    (local.set $t (i32x4.add (local.get $v) (i32x4.splat (local.get $a))))
    (local.set $x (i32.add (local.get $a) (i32.wrap_i64 (local.get $l))))
    (local.set $u (f64x2.mul (local.get $w) (f64x2.splat (local.get $d))))
    (local.get $t) (local.get $x) (local.get $u))
  (func $mix2 (type $mix) (param $a i32) (param $v v128) (param $d f64) (param $w v128) (param $l i64) (result v128 i32 v128)
    (local.get $w) (local.get $a) (local.get $v))
  ;; (i32 i64) -> (i64 i64): uses v128 everywhere inside, scalars at the boundary
  (func (export "calls") (param $a i32) (param $l i64) (result i64 i64)
    (local $r v128) (local $s v128) (local $k i32)
    (call $mix (local.get $a) (i64x2.splat (local.get $l)) (f64.const 1.5) (f64x2.splat (f64.convert_i32_s (local.get $a))) (local.get $l))
    (local.set $s) (local.set $k) (local.set $r)
    (call_indirect (type $mix) (local.get $k) (local.get $r) (f64.const 2) (local.get $s) (i64.const 7) (i32.and (local.get $a) (i32.const 1)))
    (drop) (drop)
    (i64x2.extract_lane 0) (i64x2.extract_lane 1 (local.get $s)))
  (func (export "blocks") (param $a i32) (param $l i64) (result i64 i64)
    (local $v v128)
    (local.set $a (i32.and (local.get $a) (i32.const 7)))
    (local.set $v (i64x2.splat (local.get $l)))
    local.get $v
    block $out (param v128) (result v128 i32)
      loop $top (param v128) (result v128 i32)
        local.get $a
        i32x4.splat
        i32x4.add
        i32.const 3
        i32x4.splat
        i32x4.mul
        local.get $a
        i32.const 1
        i32.sub
        local.tee $a
        i32.const 0
        i32.gt_s
        br_if $top
        local.get $a
        local.get $a
        i32.const 1
        i32.and
        br_if $out
      end
    end
    drop
    local.get $a
    i32.const 1
    i32.and
    if (param v128) (result v128 v128)
      local.get $v
    else
      v128.const i32x4 9 9 9 9
      local.get $v
      i8x16.swizzle
    end
    local.get $a
    i32.const 5
    i32.lt_s
    select
    local.tee $v
    global.get $g
    i64x2.add
    global.set $g
    global.get $g
    i64x2.extract_lane 0
    local.get $v
    i64x2.extract_lane 1)
  (func (export "table") (param $i i32) (param $l i64) (result i64)
    (block $a (result v128)
      (block $b (result v128)
        (block $c (result v128)
          (i64x2.splat (local.get $l))
          (br_table $a $b $c (local.get $i)))
        (i64x2.add (i64x2.splat (i64.const 100))) (br $a))
      (i64x2.mul (v128.const i64x2 3 5)))
    (i64x2.extract_lane 1))
  (func (export "memory") (param $p i32) (param $l i64) (result i64 i32)
    (v128.store offset=3 (local.get $p) (i64x2.splat (local.get $l)))
    (v128.store8_lane 5 (i32.const 100) (v128.load (local.get $p)))
    (i64x2.extract_lane 1 (v128.load32_zero offset=7 (local.get $p)))
    (i32.load (i32.const 97)))
  (func (export "selects") (param $c i32) (param $l i64) (result i64)
    (local $a v128) (local $b v128)
    (local.set $a (i64x2.splat (local.get $l)))
    (local.set $b (i64x2.neg (local.get $a)))
    (i64x2.extract_lane 0 (select (result v128) (local.get $a) (local.get $b) (local.get $c))))
)`;

test("v128 values in frames, blocks, calls, globals and memory agree with Node's WebAssembly", () => {
  const bytes = wasm(FRAMES);
  let n = 0;
  for (const a of [0, 1, 2, 3, 7, -1, 0x7fffffff]) {
    for (const l of [0n, 1n, -5n, 0x123456789abcdefn]) {
      for (const f of ["calls", "blocks", "memory", "selects"]) {
        const args = f === "memory" ? [(a & 0xff) + 10, l] : [a, l];
        const [ours, node] = both(bytes, f, args);
        assert.equal(ours, node, `${f}(${a}, ${l})`);
        n++;
      }
      const [ours, node] = both(bytes, "table", [a & 3, l]);
      assert.equal(ours, node, `table(${a & 3}, ${l})`);
    }
  }
  assert.ok(n > 100);
});

test("the JS API: a function with v128 in its type is a TypeError before it runs, both ways", () => {
  const bytes = wasm(`(module
    (import "h" "f" (func $f (param v128)))
    (import "h" "r" (func $r (param i32) (result v128)))
    (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "p") (param v128) (global.set $n (i32.add (global.get $n) (i32.const 1))))
    (func (export "q") (result v128) (global.set $n (i32.add (global.get $n) (i32.const 1))) (v128.const i64x2 0 0))
    (func (export "callF") (call $f (v128.const i64x2 1 2)))
    (func (export "callR") (drop (call $r (i32.const 1)))))`);
  let hostCalls = 0;
  const imports = { h: { f: () => { hostCalls++; }, r: () => { hostCalls++; return 0; } } };
  const inst = new Instance(new Module(bytes), imports);
  for (const f of ["p", "q", "callF", "callR"]) assert.throws(() => (inst.exports[f] as Fn)(), (e: unknown) => e instanceof TypeError && /v128/.test((e as Error).message), f);
  assert.is((inst.exports.n as Global).value, 0, "no function body ran");
  assert.is(hostCalls, 0, "no host function ran");
  // Node agrees
  const ni = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
  for (const f of ["p", "q", "callF", "callR"]) assert.throws(() => (ni.exports[f] as Fn)(), TypeError, `node ${f}`);
  assert.is((ni.exports.n as WebAssembly.Global).value, 0);
  assert.is(hostCalls, 0);
});

test("raw calls pass v128 values as unsigned 128-bit bigints (byte 0 lowest)", () => {
  const bytes = wasm(`(module (func (export "f") (param i32 v128 i64) (result v128 i32)
    (i32x4.add (local.get 1) (i32x4.splat (local.get 0))) (i32.wrap_i64 (local.get 2))))`);
  const inst = new Instance(new Module(bytes), {});
  const r = invokeRaw(inst.exports.f, [1, 0x00000004_00000003_00000002_ffffffffn, 9n]);
  assert.equal(r, [0x00000005_00000004_00000003_00000000n, 9]);
});

test("v128 globals: initialised from an imported one, then written without touching it", () => {
  const a = new Instance(new Module(wasm(`(module (global (export "g") v128 (v128.const i32x4 1 2 3 4)))`)), {});
  const b = new Instance(new Module(wasm(`(module (import "a" "g" (global $i v128))
    (global $m (mut v128) (global.get $i))
    (func (export "bump") (result i32 i32) (global.set $m (i32x4.add (global.get $m) (global.get $i)))
      (i32x4.extract_lane 3 (global.get $m)) (i32x4.extract_lane 3 (global.get $i))))`)), { a: { g: a.exports.g } });
  assert.equal((b.exports.bump as Fn)(), [8, 4]);
  assert.equal((b.exports.bump as Fn)(), [12, 4]);
  // the JS API: a v128 global's value is a TypeError to read, and a Global of type v128 cannot be made
  assert.throws(() => (a.exports.g as Global).value, TypeError);
  assert.throws(() => new Global({ value: "v128" as "i32" }, 0), TypeError);
});

test("NaN canonicalisation covers SIMD float results", () => {
  const bytes = wasm(`(module (func (export "f") (param i32 i64) (result i32 i64)
    (local $v v128)
    (local.set $v (f32x4.add (f32x4.splat (f32.reinterpret_i32 (local.get 0))) (f32x4.splat (f32.const 1))))
    (i32x4.extract_lane 2 (local.get $v))
    (i64x2.extract_lane 1 (f64x2.sqrt (f64x2.splat (f64.reinterpret_i64 (local.get 1)))))))`);
  const m = new Module(bytes);
  const canon = new Instance(m, {}, { store: new Store({ canonicalizeNaNs: true }) }).exports.f as Fn;
  // a NaN with a payload and the sign bit: canonical (positive, quiet, no payload) afterwards
  assert.equal(canon(0xffc12345 | 0, -0x7f00000000000001n), [0x7fc00000, 0x7ff8000000000000n]);
  assert.equal(canon(0x3f800000, 0x4010000000000000n), [0x40000000, 0x4000000000000000n], "numbers are untouched");
});

test("fuel: every SIMD instruction costs 1 (both presets), the loads and stores trap out of bounds like the scalar ones", () => {
  const bytes = wasm(`(module (memory 1)
    (func (export "f") (result i32) (i32x4.extract_lane 0 (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8))))
    (func (export "oob") (param i32) (drop (v128.load (local.get 0))))
    (func (export "oobStore") (param i32) (v128.store16_lane 7 (local.get 0) (v128.const i64x2 0 0))))`);
  for (const costs of ["wasmtime", "instructions"] as const) {
    const store = new Store({ fuel: 1000, costs });
    const inst = new Instance(new Module(bytes), {}, { store });
    const before = store.fuelConsumed;
    assert.is((inst.exports.f as Fn)(), 6);
    assert.is(store.fuelConsumed - before, 5, `${costs}: function entry + 4 instructions`);
  }
  const inst = new Instance(new Module(bytes), {});
  (inst.exports.oob as Fn)(65536 - 16);
  assert.throws(() => (inst.exports.oob as Fn)(65536 - 15), (e: unknown) => e instanceof RuntimeError && e.trap === "out-of-bounds-memory-access" && /16 bytes at 65521/.test(e.message));
  assert.throws(() => (inst.exports.oobStore as Fn)(-1), (e: unknown) => e instanceof RuntimeError && e.trap === "out-of-bounds-memory-access" && /2 bytes at 4294967295/.test(e.message));
});

test("0xFD sub-opcodes past relaxed SIMD are malformed, naming the opcode", () => {
  for (const sub of [0x114, 0x11f, 0x120, 0x200]) {
    const body = [0x00, 0xfd, 0x80 | (sub & 0x7f), sub >> 7, 0x0b];
    const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, body.length + 2, 1, body.length, ...body]);
    assert.throws(() => new Module(bytes), (e: unknown) => e instanceof CompileError && e.code === "malformed" && new RegExp(`0xfd ${sub}`).test(e.message), `0xfd ${sub}`);
  }
});

test.run();
