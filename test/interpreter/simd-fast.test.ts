/**
 * The SIMD sub-ops that have loop cases of their own (translate/simd.ts `SIMD_FAST`: v128.and,
 * i32x4 add/mul/shr_u/splat, i8x16.eq, i8x16.shuffle; and `SIMD_FAST_MEMORY`: v128.load,
 * v128.load64_zero, v128.store of memory 0, here from value sources and addresses of each kind:
 * the address edge cases are in unaligned-memory and large-memory), against
 * Node's WebAssembly over every operand source: locals, temporaries, constants (either side),
 * the same local on both sides, a destination that is one of the operands (the result written
 * back into an operand's local, which the translator turns into the op writing that local
 * directly), and a loop (the op run many times on its own result). Inputs are seeded random
 * 128-bit values plus edge lanes, and for i8x16.eq second operands that share some bytes with
 * the first. Also checks that the module does translate into those loop cases.
 */
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, Store } from "../../interpreter/index.js";
import { SIMD_FAST, SIMD_FAST_MEMORY } from "../../interpreter/translate/simd.js";
import { OP_NAMES } from "../../interpreter/translate/opcodes.js";
import { translatedOps } from "../helpers/memory-ops.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const wasm = (src: string): Uint8Array<ArrayBuffer> => wabt.parseWat("t.wat", src, { simd: true, multi_value: true }).toBinary({}).buffer as Uint8Array<ArrayBuffer>;
type Fn = (...a: unknown[]) => unknown;

const BINARY = ["v128.and", "i32x4.add", "i32x4.mul", "i8x16.eq"];
const SHIFTS = ["i32x4.shr_u"];
/** Shuffle lane lists: interleaved, one operand only, reversed, repeated lanes, the other operand only, word moves. */
const SHUFFLES = [
  "0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31",
  "15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0",
  "31 30 29 28 27 26 25 24 23 22 21 20 19 18 17 16",
  "0 0 0 0 5 5 5 5 16 16 31 31 7 23 7 23",
  "16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31",
  "4 5 6 7 0 1 2 3 28 29 30 31 8 9 10 11",
  "8 17 18 19 9 21 22 23 10 25 26 27 11 29 30 31",
];
const K = "(v128.const i32x4 0x80000000 0xffffffff 0 0x7fffffff)";

/** The function bodies of one op `o` applied as `app(x, y)`, each over (v, w, n) and returning $v's and the result's halves. */
function forms(app: (x: string, y: string) => string, second: "v128" | "i32"): string[] {
  const w = second === "v128" ? "(local.get $w)" : "(local.get $n)";
  const other = second === "v128" ? [K, "(v128.not (local.get $w))", "(i32x4.add (local.get $w) (local.get $v))"] : ["(i32.const 33)", "(i32.add (local.get $n) (i32.const 1))"];
  const out: string[] = [];
  out.push(`(local.set $r ${app("(local.get $v)", w)})`);
  for (const y of other) out.push(`(local.set $r ${app("(local.get $v)", y)})`);
  out.push(`(local.set $r ${app("(v128.xor (local.get $v) (local.get $w))", w)})`);
  if (second === "v128") {
    out.push(`(local.set $r ${app(K, "(local.get $w)")})`);
    out.push(`(local.set $r ${app("(local.get $v)", "(local.get $v)")})`);
    out.push(`(local.set $w ${app("(local.get $v)", "(local.get $w)")}) (local.set $r (local.get $w))`);
  }
  out.push(`(local.set $v ${app("(local.get $v)", w)}) (local.set $r (local.get $v))`);
  // a loop: the op on its own result, n & 15 times
  out.push(`(local.set $i (i32.and (local.get $n) (i32.const 15)))
    (block $out (loop $l (br_if $out (i32.eqz (local.get $i)))
      (local.set $v ${app("(local.get $v)", w)})
      (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br $l)))
    (local.set $r (local.get $v))`);
  return out;
}

/** Every function: [export name, body]. */
function functions(): [string, string][] {
  const fns: [string, string][] = [];
  const add = (op: string, bodies: string[]): void => bodies.forEach((b, k) => fns.push([`${op}/${k}`, b]));
  for (const o of BINARY) add(o, forms((x, y) => `(${o} ${x} ${y})`, "v128"));
  for (const o of SHIFTS) add(o, forms((x, y) => `(${o} ${x} ${y})`, "i32"));
  for (const [k, lanes] of SHUFFLES.entries()) add(`i8x16.shuffle.${k}`, forms((x, y) => `(i8x16.shuffle ${lanes} ${x} ${y})`, "v128"));
  // the v128 loads and stores of memory 0: values from locals, constants and temporaries, a load
  // into an operand's local, aligned and unaligned addresses, in a loop
  add("v128.memory", [
    "(v128.store (i32.and (local.get $n) (i32.const 0xff0)) (local.get $v)) (local.set $r (v128.load (i32.and (local.get $n) (i32.const 0xff0))))",
    "(v128.store offset=16 (i32.const 32) (v128.const i32x4 1 -2 0x80000000 4)) (local.set $r (v128.load offset=16 (i32.const 32)))",
    "(v128.store (i32.const 64) (i32x4.add (local.get $v) (local.get $w))) (local.set $v (v128.load (i32.const 64))) (local.set $r (local.get $v))",
    "(v128.store (i32.const 80) (local.get $w)) (local.set $r (v128.load64_zero offset=4 (i32.const 80)))",
    "(v128.store offset=3 (i32.const 96) (local.get $w)) (local.set $r (v128.load64_zero offset=5 (i32.const 96))) (local.set $v (v128.load offset=1 (i32.const 98)))",
    `(local.set $i (i32.and (local.get $n) (i32.const 15)))
    (block $out (loop $l (br_if $out (i32.eqz (local.get $i)))
      (v128.store (i32.shl (local.get $i) (i32.const 4)) (i32x4.add (local.get $v) (v128.load offset=16 (i32.shl (local.get $i) (i32.const 4)))))
      (local.set $v (v128.load (i32.shl (local.get $i) (i32.const 4))))
      (local.set $i (i32.sub (local.get $i) (i32.const 1))) (br $l)))
    (local.set $r (v128.load64_zero (i32.const 16)))`,
  ]);
  add("i32x4.splat", [
    "(local.set $r (i32x4.splat (local.get $n)))",
    "(local.set $r (i32x4.splat (i32.const -7)))",
    "(local.set $r (i32x4.splat (i32.add (local.get $n) (i32.wrap_i64 (local.get $a0)))))",
    "(local.set $v (i32x4.splat (i32x4.extract_lane 3 (local.get $v)))) (local.set $r (local.get $v))",
  ]);
  return fns;
}

function moduleText(): string {
  const sig = "(param $a0 i64) (param $a1 i64) (param $b0 i64) (param $b1 i64) (param $n i32) (result i64 i64 i64 i64)";
  const pre = `(local $v v128) (local $w v128) (local $r v128) (local $i i32)
    (local.set $v (i64x2.replace_lane 1 (i64x2.splat (local.get $a0)) (local.get $a1)))
    (local.set $w (i64x2.replace_lane 1 (i64x2.splat (local.get $b0)) (local.get $b1)))`;
  const post = "(i64x2.extract_lane 0 (local.get $r)) (i64x2.extract_lane 1 (local.get $r)) (i64x2.extract_lane 0 (local.get $v)) (i64x2.extract_lane 1 (local.get $v))";
  return `(module (memory 1) ${functions().map(([name, body]) => `(func (export "${name}") ${sig} ${pre} ${body} ${post})`).join("\n")})`;
}

/** A seeded xorshift generator of 64-bit values, with edge lanes now and then. */
function values(seed: number): () => bigint {
  let s = seed >>> 0 || 1;
  const next32 = (): number => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s;
  };
  const edges = [0, 0xffffffff, 0x80000000, 0x7fffffff, 1, 0x00ff00ff];
  const lane = (): number => (next32() % 5 === 0 ? edges[next32() % edges.length]! : next32());
  return () => BigInt.asIntN(64, (BigInt(lane()) << 32n) | BigInt(lane()));
}

/** `b` sharing some bytes with `a` (so that i8x16.eq sees both equal and different bytes). */
function mixBytes(a: bigint, b: bigint, mask: number): bigint {
  let out = 0n;
  for (let k = 0; k < 8; k++) {
    const src = (mask >> k) & 1 ? a : b;
    out |= ((BigInt.asUintN(64, src) >> BigInt(8 * k)) & 0xffn) << BigInt(8 * k);
  }
  return BigInt.asIntN(64, out);
}

test("the module translates into every SIMD_FAST and SIMD_FAST_MEMORY loop case", () => {
  const ops = translatedOps(wasm(moduleText()));
  for (const op of [...SIMD_FAST.values(), ...SIMD_FAST_MEMORY.values()]) assert.ok(ops.has(OP_NAMES[op]!), `${OP_NAMES[op]} not emitted`);
});

test("SIMD_FAST ops agree with Node's WebAssembly over every operand source", () => {
  const bytes = wasm(moduleText());
  const ours = new Instance(new Module(bytes), {}, { store: new Store() }).exports;
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const next = values(0x5eed);
  let calls = 0;
  for (const [name] of functions()) {
    for (let k = 0; k < 24; k++) {
      const a0 = next(), a1 = next();
      let b0 = next(), b1 = next();
      if (k % 2 === 1) {
        b0 = mixBytes(a0, b0, k * 37);
        b1 = mixBytes(a1, b1, k * 91);
      }
      const n = k < 4 ? [0, 31, 32, -1][k]! : Number(BigInt.asIntN(32, next()));
      const args = [a0, a1, b0, b1, n];
      const got = (ours[name] as Fn)(...args), want = (node[name] as Fn)(...args);
      assert.equal(got, want, `${name}(${args.join(", ")})`);
      calls++;
    }
  }
  assert.ok(calls > 2000, `${calls} calls`);
});

test.run();
