// The execution engine on hand-written WAT: control flow, calls, deep recursion without JS
// recursion, call_indirect, tables, memory, globals, traps, i64 on 32-bit halves checked
// against BigInt, and NaN bit patterns preserved through moves.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Instance, Module, RuntimeError, Store, invokeRaw, readGlobalRaw } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
function wat(src: string): Module {
  return new Module(wabt.parseWat("t.wat", src, { bulk_memory: true, reference_types: true, multi_value: true }).toBinary({}).buffer);
}
type Fn = (...a: unknown[]) => unknown;
function exportsOf(src: string, imports: object = {}, store?: Store): Record<string, Fn> {
  return new Instance(wat(src), imports, store ? { store } : undefined).exports as Record<string, Fn>;
}
function trapOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof RuntimeError) return e.trap;
    throw e;
  }
  return undefined;
}

test("control flow: blocks with results, br_table, nested loops, if/else with params", () => {
  const e = exportsOf(`(module
    (func (export "classify") (param i32) (result i32)
      (block $d (block $c (block $b (block $a (br_table $a $b $c $d (local.get 0))) (return (i32.const 10))) (return (i32.const 11))) (return (i32.const 12)))
      (i32.const 13))
    (func (export "sum2d") (param i32) (result i32) (local i32 i32 i32)
      (loop $outer
        (local.set 2 (i32.const 0))
        (loop $inner
          (local.set 3 (i32.add (local.get 3) (i32.mul (local.get 1) (local.get 2))))
          (br_if $inner (i32.lt_s (local.tee 2 (i32.add (local.get 2) (i32.const 1))) (local.get 0))))
        (br_if $outer (i32.lt_s (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
      (local.get 3))
    (func (export "ifparams") (param i32 i32) (result i32)
      (local.get 0) (local.get 1)
      (if (param i32) (result i32) (then (i32.const 100) (i32.add)) (else (i32.const 200) (i32.sub))))
    (func (export "multi") (param i32) (result i32 i32) (local.get 0) (i32.const 1) (i32.add) (local.get 0))
    (func (export "blockval") (param i32) (result i32)
      (block (result i32) (i32.const 5) (br_if 0 (local.get 0)) (drop) (i32.const 7)))
    (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
  )`);
  assert.equal([0, 1, 2, 3, 4, 99, -1].map((x) => e.classify!(x)), [10, 11, 12, 13, 13, 13, 13]);
  let expect = 0;
  for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect += i * j;
  assert.is(e.sum2d!(7), expect);
  assert.is(e.ifparams!(1, 5), 101);
  assert.is(e.ifparams!(5, 0), -195);
  assert.equal(e.multi!(41), [42, 41]);
  assert.is(e.blockval!(1), 5);
  assert.is(e.blockval!(0), 7);
  assert.equal(e.swap!(1, 2), [2, 1]);
});

test("local.set clobbering a pending local.get is handled", () => {
  const e = exportsOf(`(module (func (export "f") (param i32) (result i32)
    (local.get 0) (local.set 0 (i32.const 100)) (local.get 0) (i32.sub)))`);
  assert.is(e.f!(7), -93);
});

test("calls: recursion (fib), mutual recursion, multi-value results through calls", () => {
  const e = exportsOf(`(module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $even (export "even") (param i32) (result i32) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
    (func $odd (param i32) (result i32) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
    (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (local.get 0)))
    (func (export "usepair") (param i32) (result i32) (call $pair (local.get 0)) (i32.sub))
  )`);
  assert.is(e.fib!(20), 6765);
  assert.is(e.even!(1001), 0);
  assert.is(e.even!(1000), 1);
  assert.is(e.usepair!(5), -20);
});

test("recursion 100,000 deep runs without JS stack overflow; infinite recursion traps call-stack-exhausted", () => {
  const src = `(module
    (func $down (export "down") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
    (func $inf (export "inf") (call $inf)))`;
  const e = exportsOf(src, {}, new Store({ limits: { maxCallDepth: 200_000 } }));
  assert.is(e.down!(100_000), 100_000);
  assert.is(trapOf(() => e.inf!()), "call-stack-exhausted");
  const small = exportsOf(src, {}, new Store({ limits: { maxCallDepth: 1000 } }));
  assert.is(trapOf(() => small.down!(5000)), "call-stack-exhausted");
  assert.is(small.down!(900), 900);
});

test("call_indirect: dispatch, type mismatch, null and out-of-bounds elements", () => {
  const e = exportsOf(`(module
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (table 4 funcref)
    (elem (i32.const 0) $inc $dbl $nop)
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (func $nop)
    (func (export "call") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0))))`);
  assert.is(e.call!(0, 10), 11);
  assert.is(e.call!(1, 10), 20);
  assert.is(trapOf(() => e.call!(2, 10)), "indirect-call-type-mismatch");
  assert.is(trapOf(() => e.call!(3, 10)), "uninitialized-element");
  assert.is(trapOf(() => e.call!(4, 10)), "undefined-element");
});

test("tables: get/set/grow/size/fill/copy from wasm and from JS", () => {
  const inst = new Instance(wat(`(module
    (table $t (export "t") 2 10 externref)
    (func (export "set") (param i32 externref) (table.set $t (local.get 0) (local.get 1)))
    (func (export "get") (param i32) (result externref) (table.get $t (local.get 0)))
    (func (export "grow") (param i32 externref) (result i32) (table.grow $t (local.get 1) (local.get 0)))
    (func (export "size") (result i32) (table.size $t))
    (func (export "fill") (param i32 externref i32) (table.fill $t (local.get 0) (local.get 1) (local.get 2))))`));
  const e = inst.exports as Record<string, Fn> & { t: { length: number; get(i: number): unknown; set(i: number, v: unknown): void; grow(n: number, v?: unknown): number } };
  const o1 = { a: 1 }, o2 = { b: 2 };
  e.set(0, o1);
  assert.is(e.get(0), o1);
  assert.is(e.t.get(0), o1);
  e.t.set(1, o2);
  assert.is(e.get(1), o2);
  assert.is(e.grow(3, "x"), 2);
  assert.is(e.size(), 5);
  assert.is(e.get(4), "x");
  assert.is(e.grow(100, null), -1);
  e.fill(1, 7, 3);
  assert.equal([1, 2, 3].map((i) => e.get(i)), [7, 7, 7]);
  assert.is(trapOf(() => e.get(5)), "out-of-bounds-table-access");
  assert.is(trapOf(() => e.fill(4, 1, 2)), "out-of-bounds-table-access");
  assert.is(e.t.length, 5);
});

test("memory: loads/stores of every width, unaligned, offsets, grow, bounds (u32 offset arithmetic)", () => {
  const inst = new Instance(wat(`(module (memory (export "mem") 1 3)
    (func (export "st64") (param i32 i64) (i64.store offset=3 (local.get 0) (local.get 1)))
    (func (export "ld64") (param i32) (result i64) (i64.load offset=3 (local.get 0)))
    (func (export "ld8s") (param i32) (result i32) (i32.load8_s (local.get 0)))
    (func (export "ld16s") (param i32) (result i64) (i64.load16_s offset=1 (local.get 0)))
    (func (export "ld32u") (param i32) (result i64) (i64.load32_u (local.get 0)))
    (func (export "st16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
    (func (export "ldhigh") (param i32) (result i32) (i32.load offset=4294967295 (local.get 0)))
    (func (export "ldplus") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 4))))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size)))`));
  const e = inst.exports as Record<string, Fn> & { mem: { buffer: ArrayBuffer } };
  e.st64(1, -2n);
  assert.is(e.ld64(1), -2n);
  assert.is(e.ld8s(4), -2);
  assert.is(e.ld16s(3), -2n);
  assert.is(e.ld32u(4), 0xfffffffen);
  e.st16(100, 0x8001);
  assert.is(new DataView(e.mem.buffer).getUint16(100, true), 0x8001);
  assert.is(trapOf(() => e.ldhigh(0)), "out-of-bounds-memory-access");
  assert.is(trapOf(() => e.ldhigh(1)), "out-of-bounds-memory-access");
  assert.is(trapOf(() => e.ld64(65536 - 11 + 1)), "out-of-bounds-memory-access");
  assert.is(trapOf(() => e.ldplus(-4)), undefined); // (-4 + 4) wraps to address 0
  assert.is(trapOf(() => e.ldplus(65532)), "out-of-bounds-memory-access");
  assert.is(e.grow(1), 1);
  assert.is(e.size(), 2);
  assert.is(e.ldplus(65532), 0);
  assert.is(e.grow(2), -1);
  assert.is(e.mem.buffer.byteLength, 2 * 65536);
});

test("globals: mutable i64/f64 from wasm and JS, imported Global objects are shared", async () => {
  const { Global } = await import("../../interpreter/index.js");
  const g = new Global({ value: "i64", mutable: true }, 5n);
  const e = exportsOf(`(module (import "env" "g" (global $g (mut i64)))
    (global $f (export "f") (mut f64) (f64.const 1.5))
    (func (export "inc") (global.set $g (i64.add (global.get $g) (i64.const 1))))
    (func (export "getf") (result f64) (global.get $f)))`, { env: { g } });
  e.inc!();
  e.inc!();
  assert.is(g.value, 7n);
  g.value = -1n;
  e.inc!();
  assert.is(g.value, 0n);
  assert.is(e.getf!(), 1.5);
  (e.f as unknown as { value: number }).value = 2.25;
  assert.is(e.getf!(), 2.25);
});

test("traps: unreachable, divide by zero, overflow, invalid conversion", () => {
  const e = exportsOf(`(module
    (func (export "u") unreachable)
    (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "div64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0))))`);
  assert.is(trapOf(() => e.u!()), "unreachable");
  assert.is(trapOf(() => e.div!(1, 0)), "integer-divide-by-zero");
  assert.is(trapOf(() => e.div!(-2147483648, -1)), "integer-overflow");
  assert.is(e.rem!(-2147483648, -1), 0);
  assert.is(trapOf(() => e.div64!(-(2n ** 63n), -1n)), "integer-overflow");
  assert.is(trapOf(() => e.trunc!(NaN)), "invalid-conversion-to-integer");
  assert.is(trapOf(() => e.trunc!(3e9)), "integer-overflow");
});

test("i64 arithmetic on 32-bit halves equals BigInt (property)", () => {
  const e = exportsOf(`(module
    (func (export "add") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
    (func (export "sub") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
    (func (export "mul") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
    (func (export "and") (param i64 i64) (result i64) (i64.and (local.get 0) (local.get 1)))
    (func (export "shl") (param i64 i64) (result i64) (i64.shl (local.get 0) (local.get 1)))
    (func (export "shr_s7") (param i64) (result i64) (i64.shr_s (local.get 0) (i64.const 7)))
    (func (export "shr_u40") (param i64) (result i64) (i64.shr_u (local.get 0) (i64.const 40)))
    (func (export "mulk") (param i64) (result i64) (i64.mul (local.get 0) (i64.const 6364136223846793005)))
    (func (export "addk") (param i64) (result i64) (i64.add (local.get 0) (i64.const -1442695040888963407)))
    (func (export "lt_s") (param i64 i64) (result i32) (i64.lt_s (local.get 0) (local.get 1)))
    (func (export "lt_u") (param i64 i64) (result i32) (i64.lt_u (local.get 0) (local.get 1)))
    (func (export "ge_u_br") (param i64 i64) (result i32) (block (br_if 0 (i64.ge_u (local.get 0) (local.get 1))) (return (i32.const 0))) (i32.const 1))
    (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0))))`);
  const s64 = (x: bigint) => BigInt.asIntN(64, x);
  const u64 = (x: bigint) => BigInt.asUintN(64, x);
  fc.assert(
    fc.property(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), (a, b) => {
      assert.is(e.add!(a, b), s64(a + b));
      assert.is(e.sub!(a, b), s64(a - b));
      assert.is(e.mul!(a, b), s64(a * b));
      assert.is(e.and!(a, b), s64(a & b));
      assert.is(e.shl!(a, b), s64(a << (u64(b) & 63n)));
      assert.is(e.shr_s7!(a), a >> 7n);
      assert.is(e.shr_u40!(a), s64(u64(a) >> 40n));
      assert.is(e.mulk!(a), s64(a * 6364136223846793005n));
      assert.is(e.addk!(a), s64(a - 1442695040888963407n));
      assert.is(e.lt_s!(a, b), a < b ? 1 : 0);
      assert.is(e.lt_u!(a, b), u64(a) < u64(b) ? 1 : 0);
      assert.is(e.ge_u_br!(a, b), u64(a) >= u64(b) ? 1 : 0);
      assert.is(e.eqz!(a), a === 0n ? 1 : 0);
    }),
    { numRuns: 300 },
  );
  for (const [a, b] of [[0n, 0n], [-1n, 1n], [2n ** 32n - 1n, 1n], [-(2n ** 63n), -1n], [2n ** 63n - 1n, 2n ** 63n - 1n]] as const) {
    assert.is(e.add!(a, b), s64(a + b));
    assert.is(e.mul!(a, b), s64(a * b));
  }
});

test("NaN bit patterns survive locals, globals, select, loads/stores, reinterpret, tables of params (raw path)", () => {
  const inst = new Instance(wat(`(module (memory 1)
    (global $g32 (mut f32) (f32.const 0)) (global $g64 (export "g64") (mut f64) (f64.const 0))
    (func (export "f32") (param f32) (result f32) (local f32)
      (local.set 1 (local.get 0)) (global.set $g32 (local.get 1))
      (f32.store (i32.const 8) (global.get $g32))
      (select (f32.load (i32.const 8)) (f32.const 1) (i32.const 1)))
    (func (export "f64") (param f64) (result f64) (local f64)
      (local.set 1 (local.get 0)) (global.set $g64 (local.get 1))
      (f64.store offset=1 (i32.const 16) (global.get $g64))
      (select (f64.const 1) (f64.load offset=1 (i32.const 16)) (i32.const 0)))
    (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0)))
    (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
    (func (export "reinterp") (param i32) (result f32) (f32.reinterpret_i32 (local.get 0))))`));
  const e = inst.exports as Record<string, Fn>;
  const sNaN32 = 0x7fa00001;
  assert.equal(invokeRaw(e.f32, [sNaN32]), [sNaN32]);
  assert.equal(invokeRaw(e.f32, [0xffc12345]), [0xffc12345]);
  const sNaN64 = 0x7ff0000000000123n;
  assert.equal(invokeRaw(e.f64, [sNaN64]), [sNaN64]);
  assert.is(readGlobalRaw(inst.exports.g64), sNaN64);
  assert.equal(invokeRaw(e.neg, [sNaN32]), [(sNaN32 ^ 0x80000000) >>> 0]);
  assert.equal(invokeRaw(e.copysign, [0x7ff4000000000001n, 0x8000000000000000n]), [0xfff4000000000001n]);
  assert.equal(invokeRaw(e.reinterp, [0x7f800001]), [0x7f800001]);
});

test("exported functions passed back as imports link directly (same function instance)", () => {
  const a = new Instance(wat(`(module (func (export "id") (param f32) (result f32) (local.get 0)))`));
  const b = new Instance(wat(`(module (import "a" "id" (func $id (param f32) (result f32))) (func (export "call") (param f32) (result f32) (call $id (local.get 0))))`), { a: { id: a.exports.id } });
  assert.equal(invokeRaw(b.exports.call, [0x7f800123]), [0x7f800123]);
});

test("host functions: arguments, results, multi-value; what a host function throws reaches the caller as that value", () => {
  const seen: unknown[] = [];
  const e = exportsOf(`(module
    (import "h" "log" (func $log (param i32 i64 f32 f64)))
    (import "h" "two" (func $two (result i32 i64)))
    (import "h" "boom" (func $boom))
    (func (export "go") (result i64) (local i64) (call $log (i32.const -1) (i64.const -2) (f32.const 1.5) (f64.const 2.5)) (call $two) (local.set 0) (i64.extend_i32_s) (local.get 0) (i64.add))
    (func (export "boom") (call $boom)))`, { h: { log: (...a: unknown[]) => seen.push(...a), two: () => [3, 4n], boom: () => { throw nope; } } });
  const nope = new Error("nope");
  assert.is(e.go!(), 7n);
  assert.equal(seen, [-1, -2n, 1.5, 2.5]);
  assert.throws(() => e.boom!(), (err: unknown) => err === nope);
});

test("start function runs at instantiation; a trapping start fails it with RuntimeError", () => {
  let called = 0;
  exportsOf(`(module (import "h" "f" (func $f)) (start $f))`, { h: { f: () => called++ } });
  assert.is(called, 1);
  assert.throws(() => exportsOf(`(module (func $s unreachable) (start $s))`), (e: unknown) => e instanceof RuntimeError && e.trap === "unreachable");
});

test("translation stays linear on hostile operand stacks (50k local.get then local.set / blocks)", () => {
  const leb = (n: number): number[] => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const mod = (body: number[]): Uint8Array => {
    const func = [1, 2, 0x7f, ...body, 0x0b];
    const code = [1, ...leb(func.length), ...func];
    return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 10, ...leb(code.length), ...code]);
  };
  const N = 50_000; // quadratic work would be ~2.5e9 steps here
  const bodies = [
    [...Array(N).fill([0x20, 0]).flat(), ...Array(N).fill([0x21, 1]).flat()],
    [...Array(N).fill([0x20, 0]).flat(), ...Array(N).fill([0x02, 0x40]).flat(), ...Array(N).fill(0x0b), ...Array(N).fill(0x1a)],
  ];
  for (const body of bodies) {
    // CPU time of this process, not wall time: on a shared machine wall time charges other
    // processes' work to this one. Linear work takes well under a second; quadratic, minutes.
    const t0 = process.cpuUsage();
    ((new Instance(new Module(mod(body))).exports as Record<string, Fn>).f!)();
    const { user, system } = process.cpuUsage(t0);
    const ms = (user + system) / 1000;
    assert.ok(ms < 10_000, `took ${ms.toFixed(0)} ms of CPU`);
  }
});

test.run();
