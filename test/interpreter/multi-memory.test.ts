// Multi-memory (issue 12 step 3, Wasm 3.0): the same program run on memory 0 (the dispatch loop's
// own load/store ops, checked against Node's engine by the other suites) and on memory 1 (the
// generic ops of rare.ts) must give the same results, traps and fuel; copies between memories;
// exports of a second memory; memories stay separate. (Active data segments of other memories are
// covered by the Wasm 3.0 spec suite: wabt 1.0's text parser encodes them wrongly.)
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Memory, Module, RuntimeError, Store } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
type Fn = (...a: unknown[]) => unknown;

/** The program, with every memory instruction on memory `m` (the other memory is a decoy). */
function program(m: number): Module {
  const M = m === 0 ? "$a" : "$b", other = m === 0 ? "$b" : "$a";
  const src = `(module
    (memory $a 1 3) (memory $b 1 3)
    (data $d "\\01\\82\\03\\84\\05\\86\\07\\88\\ff\\fe")
    (func (export "setup") (memory.init ${M} $d (i32.const 100) (i32.const 0) (i32.const 10)))
    (data $p "passive-data")
    (export "mem" (memory ${M}))
    (func (export "loads") (param $p i32) (result i64) (local $acc i64)
      (local.set $acc (i64.extend_i32_s (i32.load ${M} offset=0 (local.get $p))))
      (local.set $acc (i64.xor (local.get $acc) (i64.load ${M} offset=1 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.reinterpret_f64 (f64.load ${M} (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.reinterpret_f32 (f32.load ${M} offset=2 (local.get $p))))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load8_s ${M} offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load8_u ${M} offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load16_s ${M} offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load16_u ${M} offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.load8_s ${M} offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load8_u ${M} offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load16_s ${M} offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load16_u ${M} offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load32_s ${M} offset=6 (local.get $p))))
      (i64.add (local.get $acc) (i64.load32_u ${M} offset=6 (local.get $p))))
    (func (export "stores") (param $p i32) (param $v i64)
      (i64.store ${M} (local.get $p) (local.get $v))
      (i32.store ${M} offset=9 (local.get $p) (i32.wrap_i64 (local.get $v)))
      (f32.store ${M} offset=14 (local.get $p) (f32.const -1.5))
      (f64.store ${M} offset=18 (local.get $p) (f64.const 2.25))
      (i32.store8 ${M} offset=27 (local.get $p) (i32.const 0x1ff))
      (i32.store16 ${M} offset=29 (local.get $p) (i32.const 0x1fffe))
      (i64.store8 ${M} offset=32 (local.get $p) (local.get $v))
      (i64.store16 ${M} offset=34 (local.get $p) (local.get $v))
      (i64.store32 ${M} offset=37 (local.get $p) (local.get $v))
      (i32.store ${other} (local.get $p) (i32.const 0x5a5a5a5a)))
    (func (export "bulk") (param $d i32) (param $n i32)
      (memory.fill ${M} (local.get $d) (i32.const 0xab) (local.get $n))
      (memory.copy ${M} ${M} (i32.add (local.get $d) (i32.const 1)) (local.get $d) (local.get $n))
      (memory.init ${M} $p (i32.add (local.get $d) (i32.const 40)) (i32.const 2) (i32.const 7)))
    (func (export "grow") (param i32) (result i32) (memory.grow ${M} (local.get 0)))
    (func (export "size") (result i32) (memory.size ${M}))
    (func (export "sizeOther") (result i32) (memory.size ${other}))
    (func (export "byte") (param i32) (result i32) (i32.load8_u ${M} (local.get 0)))
    (func (export "otherByte") (param i32) (result i32) (i32.load8_u ${other} (local.get 0))))`;
  return new Module(wabt.parseWat("t.wat", src, { multi_memory: true }).toBinary({}).buffer);
}

function run(m: number): unknown[] {
  const store = new Store({ fuel: 1e9 });
  const e = new Instance(program(m), {}, { store }).exports as Record<string, Fn>;
  const out: unknown[] = [];
  e.setup!();
  const attempt = (f: () => unknown): void => {
    try {
      out.push(f());
    } catch (x) {
      out.push(x instanceof RuntimeError ? `trap ${x.trap}: ${x.message.replace(/memory \d+ has/, "memory has")}` : `error ${String(x)}`);
    }
  };
  for (const p of [100, 0, 65530, 65528, 65536, -1]) attempt(() => e.loads!(p));
  for (const [p, v] of [[200, -2n], [0, 0x123456789abcdefn], [65500, 7n], [65520, 1n]] as const) {
    attempt(() => e.stores!(p, v));
    for (let k = 0; k < 42; k++) attempt(() => e.byte!((p + k) & 0xffff));
  }
  attempt(() => e.bulk!(300, 50));
  attempt(() => e.bulk!(65500, 30));
  for (let k = 290; k < 400; k++) attempt(() => e.byte!(k));
  attempt(() => e.size!());
  attempt(() => e.grow!(1));
  attempt(() => e.grow!(5));
  attempt(() => e.size!());
  attempt(() => e.sizeOther!());
  attempt(() => e.loads!(65536 + 100));
  attempt(() => e.otherByte!(100));
  out.push(store.fuelConsumed);
  out.push(new Uint8Array((e.mem as unknown as Memory).buffer).length);
  return out;
}

test("memory 1 behaves exactly like memory 0: results, traps, bulk ops, growth and fuel", () => {
  const zero = run(0), one = run(1);
  assert.equal(one, zero);
  // the decoy memory was written by `stores` and nothing else read it
  assert.ok(zero.some((x) => typeof x === "string" && x.startsWith("trap out-of-bounds-memory-access")));
});

test("memory.copy between two memories, and exports of the second memory", () => {
  const src = `(module
    (memory (export "m0") 1) (memory (export "m1") 2)
    (data $s "second")
    (func (export "init") (memory.init 1 $s (i32.const 65536) (i32.const 0) (i32.const 6)))
    (func (export "copy") (param i32 i32 i32) (memory.copy 0 1 (local.get 0) (local.get 1) (local.get 2)))
    (func (export "back") (param i32 i32 i32) (memory.copy 1 0 (local.get 0) (local.get 1) (local.get 2))))`;
  const e = new Instance(new Module(wabt.parseWat("t.wat", src, { multi_memory: true }).toBinary({}).buffer), {}).exports as Record<string, Fn>;
  e.init!();
  const m0 = new Uint8Array((e.m0 as unknown as Memory).buffer), m1 = new Uint8Array((e.m1 as unknown as Memory).buffer);
  assert.is(m1.length, 131072);
  assert.is(new TextDecoder().decode(m1.subarray(65536, 65542)), "second");
  e.copy!(10, 65536, 6);
  assert.is(new TextDecoder().decode(m0.subarray(10, 16)), "second");
  assert.is(m1[10], 0);
  e.back!(0, 10, 3);
  assert.is(new TextDecoder().decode(m1.subarray(0, 3)), "sec");
  assert.throws(() => e.copy!(0, 131070, 6), (x: unknown) => x instanceof RuntimeError && x.trap === "out-of-bounds-memory-access" && /source/.test(x.message));
  assert.throws(() => e.copy!(65534, 0, 6), (x: unknown) => x instanceof RuntimeError && x.trap === "out-of-bounds-memory-access" && /destination/.test(x.message));
});

test.run();
