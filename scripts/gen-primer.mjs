/**
 * `npm run gen:primer` (needs `npm run build` first): writes interpreter/execute/primer-module.ts,
 * the primer's module (execute/prime.ts): small wasm functions ("snippets") that each run some of
 * the dispatch loop's op cases on their main paths, and, for every internal op, which snippets
 * run it. The snippets are written below as WebAssembly text (one snippet per line of `lines`),
 * assembled by wabt, then translated by the built translator (dist/) to find the internal ops each
 * one becomes. test/interpreter/prime.test.ts checks that the generated file still matches the
 * translator and that every op case of the loop is covered; when it fails, run this again.
 *
 * Each snippet takes the same parameters (x y: i32, X Y: i64, p q: f64, P Q: f32, a: i32, an
 * aligned address) and returns $r. instantiate/primer.ts calls every snippet it needs with each of
 * its argument sets (less, greater, equal, zero), so both ways of every branch and of every
 * short-circuit compare are taken.
 */
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

/** Added to `op * 32 + kind` in the generated `SNIPPET_CASES` (above every op number). */
const KINDED = 1 << 16;

/** The snippet that runs the loop's `default:` case (rare.ts): `i64.rotl` by a count in a local. */
const RARE_SNIPPET = "(local.set $R (i64.rotl (local.get $X) (local.get $Y)))";

/**
 * Builds the primer from the snippets below and the built translator (dist/): its bytes, each
 * op's snippets, each (op, kind)'s snippet, and the loop cases no snippet runs.
 */
export async function buildPrimer() {

  const i32bin = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
  const i32imm = ["add", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
  const i64bin = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u"];
  const i64imm = ["add", "mul", "and", "shl", "shr_u", "shr_s"];
  const cmp = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
  const fbin = ["add", "sub", "mul", "div", "copysign"];
  const fcmp = ["eq", "ne", "lt", "gt", "le", "ge"];

  /** One snippet per entry: the body of a function (locals $r $R $d $s $i $I $v are declared). */
  const lines = [];
  const p = (s) => lines.push(s);
// moves and a return only: the snippet of the ops every function has
p(`(local.set $r (local.get $x))`);
  for (const o of i32bin) p(`(local.set $r (i32.${o} (local.get $x) (local.get $y)))`);
  for (const o of i32imm) p(`(local.set $r (i32.${o} (local.get $x) (i32.const 100)))`);
  p(`(local.set $r (i32.sub (i32.const 100) (local.get $x)))`);
  for (const o of ["eqz", "clz", "ctz", "popcnt", "extend8_s", "extend16_s"]) p(`(local.set $r (i32.${o} (local.get $x)))`);
  for (const o of ["div_s", "div_u", "rem_s", "rem_u"]) p(`(local.set $r (i32.${o} (local.get $x) (i32.or (local.get $y) (i32.const 1))))`);
  // a divisor of -1: the overflow check's second compare (a === -2^31) runs only then, and a
  // guest's first division by -1 after V8 optimised the loop deoptimised it (found by probing
  // every numeric op with unusual values after an optimised run; the only one found)
  p(`(local.set $r (i32.div_s (local.get $x) (i32.or (local.get $y) (i32.const -1))))`);
  // unsigned views of 2^31 and more (a hash over a table size, say): with only small ones V8
  // speculated that `x >>> 0` stays a small integer, and the first larger one deoptimised the
  // loop ("lost precision", seen in the bench's mixed process); "number" feedback costs nothing
  // there (the views are uint32 words either way, and the division and remainder unsigned ones)
  for (const o of ["div_u", "rem_u"]) p(`(local.set $r (i32.${o} (i32.or (local.get $x) (i32.const 0x80000000)) (i32.or (local.get $y) (i32.const 0x80000001))))`);
  for (const o of i64bin) p(`(local.set $R (i64.${o} (local.get $X) (local.get $Y)))`);
  // shifts by a count that is 0 modulo 64 (numeric/i64.ts: a branch of its own, which the loop
  // inlines; no argument set has one, and a guest's first such shift after V8 optimised the loop
  // deoptimised it: "generic keyed access", seen in @dqbd/tiktoken's process)
  for (const o of ["shl", "shr_s", "shr_u"]) p(`(local.set $R (i64.${o} (local.get $X) (i64.shl (local.get $Y) (i64.const 6))))`);
  for (const o of cmp) p(`(local.set $r (i64.${o} (local.get $X) (local.get $Y)))`);
  for (const o of ["div_u", "rem_u"]) {
    p(`(local.set $R (i64.${o} (local.get $X) (i64.or (local.get $Y) (i64.const 1))))`);
    // a dividend of 2^63 and more over a small divisor, and over a divisor of 2^31 and more (the
    // general path): the unsigned views of those words are beyond small integers
    p(`(local.set $R (i64.${o} (i64.or (local.get $X) (i64.const 0x8000000080000000)) (i64.or (local.get $Y) (i64.const 1))))`);
    p(`(local.set $R (i64.${o} (i64.or (local.get $X) (i64.const 0x8000000080000000)) (i64.or (local.get $Y) (i64.const 0x80000001))))`);
  }
  for (const o of i64imm) for (const k of o.startsWith("sh") ? [0, 5, 40] : [1234567890123]) p(`(local.set $R (i64.${o} (local.get $X) (i64.const ${k})))`);
  // rotates by a constant: I64_ROTL_IMM, I64_ROTR_IMM (a rotate left by 45 is one right by 19), I64_ROT32
  for (const k of [13, 45, 32]) p(`(local.set $R (i64.rotl (local.get $X) (i64.const ${k})))`);
  p(`(local.set $r (i64.eqz (local.get $X)))`);
  for (const o of ["extend8_s", "extend16_s", "extend32_s"]) p(`(local.set $R (i64.${o} (local.get $X)))`);
  // one operator each (execute/prime.ts `ownSnippets`: a module may hold one without the other)
  p(`(local.set $R (i64.extend_i32_s (local.get $x)))`);
  p(`(local.set $R (i64.extend_i32_u (local.get $x)))`);
  p(`(local.set $r (i32.wrap_i64 (local.get $X)))`);
  for (const o of fbin) {
    p(`(local.set $d (f64.${o} (local.get $p) (local.get $q)))`);
    p(`(local.set $s (f32.${o} (local.get $P) (local.get $Q)))`);
  }
  for (const o of fcmp) {
    p(`(local.set $r (f64.${o} (local.get $p) (local.get $q)))`);
    p(`(local.set $r (f32.${o} (local.get $P) (local.get $Q)))`);
  }
  for (const o of ["abs", "neg", "sqrt"]) {
    p(`(local.set $d (f64.${o} (local.get $p)))`);
    p(`(local.set $s (f32.${o} (local.get $P)))`);
  }
  p(`(local.set $d (f64.add (f64.mul (local.get $p) (local.get $q)) (local.get $d)))`);
  for (const c of ["f64.convert_i32_s", "f64.convert_i32_u"]) p(`(local.set $d (${c} (local.get $x)))`);
  for (const c of ["f32.convert_i32_s", "f32.convert_i32_u"]) p(`(local.set $s (${c} (local.get $x)))`);
  // an unsigned view of 2^31 and more: its value goes straight into a float slot, so "number"
  // feedback costs nothing there, and without it the first such guest value deoptimised the loop
  // ("lost precision", seen in the bench's mixed process)
  p(`(local.set $d (f64.convert_i32_u (i32.or (local.get $x) (i32.const 0x80000000))))`);
  p(`(local.set $s (f32.convert_i32_u (i32.or (local.get $x) (i32.const 0x80000000))))`);
  p(`(local.set $d (f64.promote_f32 (local.get $P)))`);
  // memory at address $a (aligned or not, as the argument set says), constant offsets
  p(`(i32.store (local.get $a) (local.get $x)) (local.set $r (i32.load offset=4 (local.get $a)))`);
  p(`(i64.store offset=8 (local.get $a) (local.get $X)) (local.set $R (i64.load offset=8 (local.get $a)))`);
  p(`(i32.store8 offset=1 (local.get $a) (local.get $y)) (i32.store16 offset=2 (local.get $a) (local.get $y))`);
  p(`(f64.store offset=16 (local.get $a) (local.get $p)) (local.set $d (f64.load offset=16 (local.get $a)))`);
  p(`(f32.store offset=24 (local.get $a) (local.get $P)) (local.set $s (f32.load offset=24 (local.get $a)))`);
  for (const o of ["i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"]) p(`(local.set $r (${o} offset=4 (local.get $a)))`);
  for (const o of ["i64.load8_s", "i64.load8_u", "i64.load16_s", "i64.load16_u", "i64.load32_s", "i64.load32_u"]) p(`(local.set $R (${o} offset=8 (local.get $a)))`);
  // addresses that are the sum of two values
  for (const o of ["i32.load", "i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"]) p(`(local.set $r (${o} offset=4 (i32.add (local.get $a) (local.get $a))))`);
  p(`(local.set $R (i64.load offset=8 (i32.add (local.get $a) (local.get $a))))`);
  // 64-bit loads at a multiple of 8 and at a multiple of 4 only (the loop's two paths for them)
  for (const off of [8, 12]) {
    p(`(local.set $R (i64.load offset=${off} (local.get $a)))`);
    p(`(local.set $R (i64.load offset=${off} (i32.add (local.get $a) (local.get $a))))`);
  }
  for (const [o, v] of [["i32.store", "$y"], ["i32.store8", "$y"], ["i32.store16", "$y"], ["i64.store", "$X"]]) p(`(${o} offset=32 (i32.add (local.get $a) (local.get $a)) (local.get ${v}))`);
  // unaligned addresses (odd offsets): the loop's one out-of-line site for them (execute/out-of-line-access.ts)
  p(`(i32.store offset=1 (local.get $a) (local.get $x)) (local.set $r (i32.load offset=1 (local.get $a)))`);
  p(`(i32.store16 offset=1 (local.get $a) (local.get $y)) (local.set $r (i32.load16_s offset=1 (local.get $a)))`);
  // compare and branch (slot and immediate), loop steps (i = i + 1, then compare: slot and immediate bound), i64 likewise
  for (const o of cmp) {
    p(`(block $b (br_if $b (i32.${o} (local.get $x) (local.get $y))) (local.set $r (i32.const 1)))`);
    p(`(block $b (br_if $b (i32.${o} (local.get $x) (i32.const 100))) (local.set $r (i32.const 1)))`);
    p(`(block $b (br_if $b (i64.${o} (local.get $X) (local.get $Y))) (local.set $r (i32.const 1)))`);
    p(`(local.set $i (local.get $x)) (block $b (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $b (i32.${o} (local.get $i) (local.get $y))) (br_if $l (i32.lt_u (local.get $i) (i32.const 110)))))`);
    p(`(local.set $i (local.get $x)) (block $b (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $b (i32.${o} (local.get $i) (i32.const 101))) (br_if $l (i32.lt_u (local.get $i) (i32.const 110)))))`);
    p(`(local.set $I (local.get $X)) (block $b (loop $l (local.set $I (i64.add (local.get $I) (i64.const 1))) (br_if $b (i64.${o} (local.get $I) (local.get $Y))) (br_if $l (i64.lt_u (local.get $I) (i64.const 110)))))`);
    // (bounded by its own count: with X = 0, I stays put)
    p(`(local.set $I (local.get $X)) (block $b (loop $l (local.set $I (i64.add (local.get $I) (local.get $X))) (br_if $b (i64.${o} (local.get $I) (local.get $Y))) (br_if $l (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 110)))))`);
  }
  p(`(block $b (br_if $b (i64.eqz (local.get $X))) (local.set $r (i32.const 1)))`);
  p(`(block $b (br_if $b (i32.eqz (i64.eqz (local.get $X)))) (local.set $r (i32.const 1)))`);
  p(`(if (i64.eqz (local.get $X)) (then (local.set $r (i32.const 1))))`);
  p(`(local.set $i (i32.const 3)) (loop $l (br_if $l (local.tee $i (i32.add (local.get $i) (i32.const -1)))))`);
  p(`(block $b (br_if $b (local.get $x)) (local.set $r (i32.const 1)))`);
  // ENTER: a label reached with pending fuel (a value read and dropped) ends its fuel block
  p(`(block $b (br_if $b (local.get $x)) (drop (local.get $y))) (local.set $r (i32.add (local.get $y) (i32.const 1)))`);
  p(`(block $b (br_if $b (i32.eqz (local.get $x))) (local.set $r (i32.const 1)))`);
  p(`(if (i32.gt_s (local.get $x) (local.get $y)) (then (local.set $r (i32.const 2))) (else (local.set $r (i32.const 3))))`);
  p(`(block $b2 (block $b1 (block $b0 (br_table $b0 $b1 $b2 (i32.and (local.get $x) (i32.const 3)))) (local.set $r (i32.const 1))) (local.set $r (i32.const 2)))`);
  // an index whose unsigned view is 2^31 and more (a negative one: the default), as for div_u above
  p(`(block $b2 (block $b1 (block $b0 (br_table $b0 $b1 $b2 (i32.or (local.get $x) (i32.const 0x80000000)))) (local.set $r (i32.const 1))) (local.set $r (i32.const 2)))`);
  // moves, constants, select, globals, memory.size
  p(`(local.set $i (local.get $x)) (local.set $I (i64.const 0x123456789abcdef)) (local.set $i (i32.const 0x7fffffff)) (local.set $r (local.get $i))`);
  p(`(local.set $r (select (local.get $x) (local.get $y) (i32.gt_s (local.get $x) (local.get $y))))`);
  // pairs (translate/pairs.ts): two copies, two adds of a constant, two adds
  p(`(local.set $i (local.get $x)) (local.set $r (local.get $y))`);
  p(`(local.set $i (i32.add (local.get $x) (i32.const 4))) (local.set $r (i32.add (local.get $y) (i32.const 1)))`);
  p(`(local.set $i (i32.add (local.get $x) (local.get $y))) (local.set $r (i32.add (local.get $i) (local.get $x)))`);
  // pairs of a shift, rotate or multiply by a constant and an i32 op, two f64 multiplies
  p(`(local.set $r (i32.xor (i32.shl (local.get $x) (i32.const 3)) (local.get $y)))`);
  p(`(local.set $r (i32.xor (i32.rotl (local.get $x) (i32.const 7)) (local.get $y)))`);
  p(`(local.set $r (i32.xor (i32.shr_u (local.get $x) (i32.const 5)) (local.get $y)))`);
  p(`(local.set $r (i32.add (i32.mul (local.get $x) (i32.const 31)) (local.get $y)))`);
  p(`(local.set $r (i32.add (i32.mul (local.get $x) (local.get $y)) (local.get $x)))`);
  p(`(local.set $r (i32.and (i32.shr_u (local.get $x) (i32.const 5)) (i32.const 127)))`);
  p(`(local.set $i (i32.shl (local.get $x) (i32.const 3))) (local.set $r (i32.add (local.get $y) (i32.const 12)))`);
  p(`(local.set $i (i32.add (local.get $x) (i32.const 3))) (local.set $r (i32.add (local.get $i) (local.get $y)))`);
  p(`(local.set $i (i32.add (local.get $x) (local.get $y))) (local.set $r (i32.gt_u (local.get $i) (i32.const 100)))`);
  p(`(local.set $d (f64.mul (local.get $p) (local.get $q))) (local.set $d (f64.mul (local.get $d) (local.get $q))) (local.set $r (i32.trunc_sat_f64_s (local.get $d)))`);
  // pairs that fall through into the second op's case: loads, branches, add-and-branch steps
  p(`(local.set $d (f64.mul (local.get $p) (local.get $q))) (local.set $R (i64.load (local.get $a))) (local.set $r (i32.wrap_i64 (local.get $R)))`);
  // (these two with no operator but the pair's own: a large module is primed by the operators it
  // holds, execute/prime.ts ownSnippets)
  p(`(local.set $i (i32.add (local.get $a) (local.get $x))) (local.set $R (i64.load (local.get $i)))`);
  p(`(local.set $d (f64.add (local.get $p) (f64.add (f64.mul (local.get $p) (local.get $q)) (local.get $q))))`);
  p(`(local.set $r (i32.load (i32.shl (i32.and (local.get $x) (i32.const 15)) (i32.const 2))))`);
  p(`(local.set $i (i32.const 0)) (loop $l (local.set $r (i32.add (local.get $r) (i32.const 3))) (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 4))))`);
  p(`(local.set $I (i64.const 0)) (local.set $R (i64.const 1)) (loop $l (local.set $r (i32.add (local.get $r) (local.get $x))) (br_if $l (i64.lt_u (local.tee $I (i64.add (local.get $I) (local.get $R))) (i64.const 3))))`);
  p(`(block $b (local.set $r (i32.add (local.get $y) (i32.const 5))) (br_if $b (local.get $x)) (local.set $r (i32.const 1)))`);
  p(`(block $b (br_if $b (f64.gt (local.get $p) (local.get $q))) (local.set $r (i32.const 1)))`);
  p(`(if (i32.and (local.get $x) (i32.const 4)) (then (local.set $r (i32.const 1))))`);
  p(`(global.set $g (local.get $x)) (local.set $r (global.get $g)) (global.set $G (local.get $X)) (local.set $R (global.get $G))`);
  p(`(local.set $r (memory.size))`);
  // the loop's default case (rare.ts) and SIMD (simd.ts)
  p(RARE_SNIPPET);
  p(`(local.set $v (i32x4.splat (local.get $x))) (local.set $v (i32x4.add (local.get $v) (local.get $v))) (local.set $r (i32x4.extract_lane 1 (local.get $v)))`);
  // the SIMD sub-ops with loop cases of their own (translate/simd.ts SIMD_FAST)
  for (const o of ["v128.and", "i32x4.mul", "i8x16.eq"]) p(`(local.set $v (${o} (i32x4.splat (local.get $x)) (i32x4.splat (local.get $y)))) (local.set $r (i32x4.extract_lane 2 (local.get $v)))`);
  p(`(local.set $v (i32x4.shr_u (i32x4.splat (local.get $x)) (local.get $y))) (local.set $r (i32x4.extract_lane 3 (local.get $v)))`);
  p(`(v128.store (local.get $a) (i32x4.splat (local.get $x))) (local.set $v (v128.load offset=4 (local.get $a))) (local.set $v (v128.load64_zero offset=8 (local.get $a))) (local.set $r (i32x4.extract_lane 1 (local.get $v)))`);
  p(`(local.set $v (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31 (i32x4.splat (local.get $x)) (i32x4.splat (local.get $y)))) (local.set $r (i32x4.extract_lane 0 (local.get $v)))`);
  // calls: direct, host, indirect, tail calls of each kind, recursion, two results. Not calls into
// another instance: that path (switching instances) makes V8 keep every view of the instance in
// memory in the optimised loop, and costs guests that never switch (measured: sort 450 -> 600 ms);
// a guest that does feeds it itself
  p(`(local.set $r (call $inc (local.get $x)))`);
  p(`(local.set $r (call $inc (i32.add (local.get $x) (i32.const 1))))`);
  p(`(local.set $r (call $host (local.get $x)))`);
    p(`(local.set $r (call_indirect (type $ii) (local.get $x) (i32.and (local.get $y) (i32.const 3))))`);
  p(`(local.set $r (call $tail (local.get $x)))`);
  p(`(local.set $r (call $tailh (local.get $x)))`);
  p(`(local.set $r (call $taili (local.get $y)))`);
    p(`(local.set $r (call $deep (i32.and (local.get $x) (i32.const 15))))`);
  p(`(call $two (local.get $x)) (local.set $i) (local.set $r)`);
  p(`(local.set $r (ref.is_null (call $ref (local.get $x))))`);

  const sig = "(param $x i32) (param $y i32) (param $X i64) (param $Y i64) (param $p f64) (param $q f64) (param $P f32) (param $Q f32) (param $a i32) (result i32)";
  const locals = "(local $r i32) (local $R i64) (local $d f64) (local $s f32) (local $i i32) (local $I i64) (local $v v128) (local $n i32)";
  // (only $r is returned: an epilogue using every local would put its ops in every snippet, and each
  // op a snippet runs is fed for the whole realm, whether the guest needs it or not)
  const result = "(local.get $r)";
  /**
   * The functions before the snippets (their defined-function indices come first). Every callee
   * declares a local, so that any snippet that calls one feeds the call cases' zeroing of the
   * declared locals (a guest primed without $inc's snippet deoptimised the loop there: vm, stop 39).
   */
  const helpers = `
    (type $ii (func (param i32) (result i32)))
    (import "t" "host" (func $host (param i32) (result i32)))
      (memory 1)
    (func $spin (param i32) (local i32) (loop $l (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0)))))
    (global $g (mut i32) (i32.const 7))
    (global $G (mut i64) (i64.const 7))
    (table 4 funcref)
    (elem (i32.const 0) $inc $inc $inc $inc)
    (func $inc (export "inc") (param i32) (result i32) (local i32) (local.set 1 (i32.add (local.get 0) (i32.const 1))) (local.get 1))
    (func $two (param i32) (result i32 i32) (local i32) (local.get 0) (local.get 0))
    (func $deep (param i32) (result i32) (local i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
        (else (i32.add (call $deep (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
    (func $tail (param i32) (result i32) (return_call $inc (local.get 0)))
    (func $tailh (param i32) (result i32) (return_call $host (local.get 0)))
    (func $taili (param i32) (result i32) (return_call_indirect (type $ii) (local.get 0) (i32.and (local.get 0) (i32.const 3))))
    (func $ref (param i32) (result funcref) (ref.func $inc))`;
  const HELPERS = (helpers.match(/^\s*\(func \$/gm) ?? []).length;
  const wat = `(module${helpers}\n${lines.map((b, k) => `  (func (export "s${k}") ${sig} ${locals}\n    ${b}\n    ${result})`).join("\n")}\n)\n`;

  const wabt = await require("wabt")();
  const bytes = new Uint8Array(wabt.parseWat("primer.wat", wat, { simd: true, tail_call: true, multi_value: true }).toBinary({}).buffer);

  // the internal ops each snippet becomes (the built translator)
  const { decodeModule } = await import(join(root, "dist/interpreter/decode/index.js"));
  const { translateFunction, createCompiledModule } = await import(join(root, "dist/interpreter/translate/translator.js"));
  const { resolveCosts } = await import(join(root, "dist/interpreter/runtime/costs.js"));
  const { OP_NAMES, opLength, KIND_OPERAND } = await import(join(root, "dist/interpreter/translate/opcodes.js"));
  const cm = createCompiledModule(decodeModule(bytes), resolveCosts("wasmtime"), false);
  const opsOf = (f) => {
    translateFunction(cm, f);
    const fn = cm.funcs[f];
    const set = new Set();
    for (let pc = fn.entry; pc < fn.end; pc += opLength(cm.code, pc)) set.add(cm.code[pc]);
    return set;
  };
  /** Each helper's ops, with those of the helpers it calls (by name, in the order of `helpers`). */
  const helperNames = [...helpers.matchAll(/^\s*\(func \$(\w+)/gm)].map((m) => m[1]);
  const helperOwn = new Map(helperNames.map((n, f) => [n, opsOf(f)]));
  const calls = { tail: ["inc"], taili: ["inc"], deep: ["deep"] };
  const helperOps = (n) => new Set([...helperOwn.get(n), ...(calls[n] ?? []).flatMap((c) => [...helperOwn.get(c)])]);
  /**
   * For each internal op, the snippets that run it, chosen so that priming an op feeds as little
   * else as possible: the snippets written for it (their own op, the one they run that the fewest
   * snippets run, in their function or in a helper they call: up to MAX_PER_OP, e.g. a shift by 0,
   * 5 and 40), else the one that runs the fewest ops in all (moves, returns: the first snippet). The fused loop steps whose case switches on a compare-kind operand
   * (translate/opcodes.ts \`KIND_OPERAND\`) are mapped by (op, kind).
   */
  const MAX_PER_OP = 4;
  const full = [];
  const kinded = new Map();
  /** Each snippet's compare-kind cases, as op * 32 + kind. */
  const kindsOf = lines.map(() => new Set());
  lines.forEach((line, k) => {
    const f = HELPERS + k;
    const ops = opsOf(f);
    for (const m of line.matchAll(/call(?:_indirect)? (?:\(type \$\w+\) )?\$?(\w+)/g)) {
      const callee = line.includes("call_indirect") ? "inc" : m[1];
      if (helperOwn.has(callee)) for (const o of helperOps(callee)) ops.add(o);
    }
    full[k] = ops;
    const fn = cm.funcs[f];
    for (let pc = fn.entry; pc < fn.end; pc += opLength(cm.code, pc)) {
      const at = KIND_OPERAND.get(cm.code[pc]);
      if (at === undefined) continue;
      const key = `${cm.code[pc]} ${cm.code[pc + at]}`;
      if (!kinded.has(key)) kinded.set(key, k);
      kindsOf[k].add(cm.code[pc] * 32 + (cm.code[pc + at] & 31));
    }
  });
  // the wasm operators each snippet runs, with those of the helpers it calls (execute/prime.ts:
  // a large module gets the snippets whose operators it holds)
  const { OPERATOR_COUNT } = await import(join(root, "dist/interpreter/decode/opcode-table.js"));
  const pm = decodeModule(bytes);
  const markHelper = (n, seen) => {
    pm.codes[helperNames.indexOf(n)].markOperators(seen);
    for (const c of calls[n] ?? []) if (c !== n) markHelper(c, seen);
  };
  const operators = lines.map((line, k) => {
    const seen = new Uint8Array(OPERATOR_COUNT);
    pm.codes[HELPERS + k].markOperators(seen);
    for (const m of line.matchAll(/call(?:_indirect)? (?:\(type \$\w+\) )?\$?(\w+)/g)) {
      const callee = line.includes("call_indirect") ? "inc" : m[1];
      if (helperOwn.has(callee)) markHelper(callee, seen);
    }
    const list = [];
    for (let i = 0; i < seen.length; i++) if (seen[i] === 1) list.push(i);
    return list;
  });
  const holders = OP_NAMES.map((_, o) => lines.map((_, k) => k).filter((k) => full[k].has(o)));
  // a snippet's own op: the one it runs that the fewest snippets run (what it was written for)
  const primary = full.map((ops) => [...ops].sort((x, y) => holders[x].length - holders[y].length || x - y)[0]);
  const snippetsOf = OP_NAMES.map((_, o) => {
    const own = holders[o].filter((k) => primary[k] === o);
    if (own.length > 0) return own.slice(0, MAX_PER_OP);
    if (holders[o].length === 0) return [];
    const least = Math.min(...holders[o].map((k) => full[k].size));
    return [holders[o].find((k) => full[k].size === least)];
  });
  // the ops rare.ts runs (through the loop's one \`default:\` case, the same for all of them): any
  // snippet that runs one feeds that case, so an op of rare.ts no snippet runs takes the rare one's
  const rareSrc = readFileSync(join(root, "interpreter/execute/rare.ts"), "utf8");
  // (the register form: a rotate by a constant is a loop case of its own, I64_ROTL_IMM)
  const rareCase = lines.indexOf(RARE_SNIPPET);
  if (rareCase < 0) throw new Error("gen-primer: the rare ops' snippet is missing");
  for (const m of rareSrc.matchAll(/case \d+ \/\* ([A-Z0-9_]+) \*\//g)) {
    const o = OP_NAMES.indexOf(m[1]);
    if (o >= 0 && snippetsOf[o].length === 0) snippetsOf[o] = [rareCase];
  }
  // the loop's op cases no snippet runs
  const loopSrc = readFileSync(join(root, "interpreter/execute/loop.ts"), "utf8");
  const cases = [...loopSrc.matchAll(/case \d+ \/\* ([A-Z0-9_]+) \*\//g)].map((m) => m[1]);
  const missing = [...new Set(cases)].filter((n) => snippetsOf[OP_NAMES.indexOf(n)].length === 0);

  const snippetCases = lines.map((_, k) => [...[...full[k]].sort((x, y) => x - y), ...[...kindsOf[k]].sort((x, y) => x - y).map((c) => KINDED + c)]);
  return { lines, bytes, snippetsOf, kinded, operators, cases: snippetCases, rareCase, missing, HELPERS, HELPER_NAMES: helperNames, OP_NAMES };
}

/** The text of interpreter/execute/primer-module.ts for a built primer. */
export function primerModuleText({ lines, bytes, snippetsOf, kinded, operators, cases, rareCase, HELPERS, HELPER_NAMES, OP_NAMES }) {
let hex = "";
for (const b of bytes) hex += b.toString(16).padStart(2, "0");
const chunks = hex.match(/.{1,120}/g);
const out = `/**
 * GENERATED by scripts/gen-primer.mjs (\`npm run gen:primer\`) — do not edit. The primer's module
 * (see execute/prime.ts): ${lines.length} snippet functions, exported as "s0".."s${lines.length - 1}", each running
 * some of the dispatch loop's op cases; and, for each internal op (translate/opcodes.ts), the
 * snippets that run it. test/interpreter/prime.test.ts checks both against the translator.
 */

/** The primer module's bytes (a WebAssembly binary), in hex (instantiate/primer.ts decodes them). */
export const PRIMER_HEX =
${chunks.map((c) => `  "${c}"`).join(" +\n")};

/** Number of snippet functions. */
export const SNIPPETS = ${lines.length};

/** Defined functions before the snippets (snippet k is defined function PRIMER_HELPERS + k). */
export const PRIMER_HELPERS = ${HELPERS};

/**
 * The defined function \`spin(n)\`: a loop of n taken branches, run before the first snippets (see
 * instantiate/primer.ts \`allocateFeedback\`).
 */
export const PRIMER_SPIN = ${HELPER_NAMES.indexOf("spin")};

/** For internal op n, the snippets that run it (none: an op no snippet runs). */
export const SNIPPETS_OF_OP: readonly (readonly number[])[] = [
${snippetsOf.map((l, o) => `  [${l.join(", ")}], // ${OP_NAMES[o]}`).join("\n")}
];

/**
 * For snippet k, the wasm operators it runs (\`operatorIndex\` of decode/opcode-table.ts), with those
 * of the helpers it calls: execute/prime.ts primes a large module with the snippets whose operators it holds.
 */
export const SNIPPET_OPERATORS: readonly (readonly number[])[] = [
${operators.map((l, k) => `  [${l.join(", ")}], // s${k}`).join("\n")}
];

/**
 * For snippet k, the loop cases it runs: the internal ops of its code (with those of the helpers it
 * calls), then, for the ops whose case switches on a compare kind operand, \`SNIPPET_KINDED + op * 32 + kind\`.
 */
export const SNIPPET_CASES: readonly (readonly number[])[] = [
${cases.map((l, k) => `  [${l.join(", ")}], // s${k}`).join("\n")}
];

/** Added to \`op * 32 + kind\` in {@link SNIPPET_CASES}. */
export const SNIPPET_KINDED = ${KINDED};

/** The snippet that runs the loop's \`default:\` case (the ops of execute/rare.ts). */
export const PRIMER_RARE = ${rareCase};

/** For the ops whose case switches on a compare kind operand: [op, kind, snippet] for each kind a snippet runs. */
export const SNIPPET_OF_KIND: readonly (readonly [number, number, number])[] = [
${[...kinded].map(([key, k]) => `  [${key.replace(" ", ", ")}, ${k}],`).join("\n")}
];
`;
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const p = await buildPrimer();
  console.log(`${p.lines.length} snippets; loop cases no snippet runs: ${p.missing.join(" ") || "none"}`);
  writeFileSync(join(root, "interpreter/execute/primer-module.ts"), primerModuleText(p));
  console.log("wrote interpreter/execute/primer-module.ts");
}
