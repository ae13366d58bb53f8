// 64-bit loads (LOAD64, LOAD64_RR: i64.load and f64.load) take one 64-bit move when the address is
// a multiple of 8 (the memory's Float64Array view into the slot's) and two 32-bit moves when it is a
// multiple of 4 only. Both must keep all 64 bits: every NaN pattern (signalling, quiet with a
// payload, V8's "hole" NaN 0xFFF7FFFF_FFF7FFFF), infinities, negative zero and plain integers,
// read back as i64 and as f64 (then reinterpreted), at a folded constant address and at a sum of two
// slots, in a loop long enough for V8 to optimise the dispatch loop (the bits must survive its
// optimised code as well as the interpreter's), against Node's WebAssembly.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module } from "../../interpreter/index.js";
import { decodeModule } from "../../interpreter/decode/index.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { OP_NAMES, opLength } from "../../interpreter/translate/opcodes.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
type Fn = (...a: unknown[]) => unknown;

const PATTERNS = [
  0x7ff0000000000001n, 0x7ff4000000000000n, 0x7fffffffffffffffn, 0xfff7fffffff7ffffn, 0xfff8000000000000n, 0x7ff8000000000123n,
  0xffffffffffffffffn, 0x7ff0000000000000n, 0xfff0000000000000n, 0x8000000000000000n, 0n, 1n, 0x0000000100000000n, 0x123456789abcdef0n,
].map((x) => BigInt.asIntN(64, x));

// $fill writes the patterns at 8-aligned slots from 0 and at 4-aligned ones from 1028; $sum reads
// them back n times through every load form and folds the bits into a checksum.
const SRC = `(module (memory (export "mem") 1)
  (func (export "put") (param $i i32) (param $v i64)
    (i64.store (i32.shl (local.get $i) (i32.const 3)) (local.get $v))
    (i64.store offset=1028 (i32.shl (local.get $i) (i32.const 3)) (local.get $v)))
  (func (export "sum") (param $n i32) (param $count i32) (param $base i32) (result i64) (local $i i32) (local $k i32) (local $acc i64) (local $a i32)
    (loop $outer
      (local.set $i (i32.const 0))
      (loop $l
        (local.set $a (i32.shl (local.get $i) (i32.const 3)))
        (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31))
          (i64.xor (i64.load (i32.add (local.get $a) (local.get $base)))
            (i64.rotl (i64.reinterpret_f64 (f64.load offset=8 (i32.add (local.get $a) (local.get $base)))) (i64.const 7)))))
        (local.set $acc (i64.xor (local.get $acc) (i64.reinterpret_f64 (f64.load (i32.add (local.get $base) (local.get $a))))))
        (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.sub (local.get $count) (i32.const 1)))))
      (br_if $outer (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
    (local.get $acc))
  (func (export "get") (param $at i32) (result i64) (i64.reinterpret_f64 (f64.load (local.get $at)))))`;
const bytes = wabt.parseWat("t.wat", SRC, {}).toBinary({}).buffer;

test("the module's loads are the internal ops with the two paths", () => {
  const cm = translateModule(decodeModule(bytes), resolveCosts("wasmtime"));
  const seen = new Set<string>();
  for (let pc = 0; pc < cm.code.length; pc += opLength(cm.code, pc)) seen.add(OP_NAMES[cm.code[pc]!]!);
  for (const op of ["LOAD64", "LOAD64_RR"]) assert.ok(seen.has(op), `${op} not produced`);
});

test("64-bit loads keep every bit (NaN patterns, both alignments, interpreted and optimised), as Node does", () => {
  const ours = new Instance(new Module(bytes), {}).exports;
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports;
  PATTERNS.forEach((v, i) => {
    (ours.put as Fn)(i, v);
    (node.put as Fn)(i, v);
  });
  for (const base of [0, 1028]) {
    for (let i = 0; i < PATTERNS.length; i++) {
      const at = base + 8 * i;
      assert.is((ours.get as Fn)(at), (node.get as Fn)(at), `f64.load at ${at} (pattern ${PATTERNS[i]!.toString(16)})`);
    }
    // a short call, then one long enough for the loop to be optimised while it runs
    for (const n of [1, 20_000]) assert.is((ours.sum as Fn)(n, PATTERNS.length, base), (node.sum as Fn)(n, PATTERNS.length, base), `sum n=${n} base=${base}`);
  }
  assert.equal(new Uint8Array((ours.mem as WebAssembly.Memory).buffer), new Uint8Array((node.mem as WebAssembly.Memory).buffer));
});

test.run();
