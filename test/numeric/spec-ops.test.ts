/**
 * The official spec suite's assertions on single numeric instructions, run directly on the
 * numeric helpers (no decoder or executor involved): i64.wast, f32.wast, f64.wast,
 * f32_bitwise.wast, f64_bitwise.wast, float_misc.wast and conversions.wast from `../shared/wasm-spec`. Each of these
 * modules exports one function per instruction, named after it, so an `invoke` names the helper.
 * f32/f64 `+ - * /` run as the executor computes them inline (Math.fround of the double operation;
 * plain double arithmetic). Instructions with no helper here (the reinterpretations) are
 * counted and reported as skipped (reinterpret only: moving bits is the executor's job). Skips loudly when the shared folder is absent.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as I from "../../interpreter/numeric/i64.js";
import * as F from "../../interpreter/numeric/float.js";
import * as C from "../../interpreter/numeric/convert.js";
import { RuntimeError } from "../../interpreter/errors.js";
import { sharedDirOrSkip, testOrSkip } from "../helpers/shared.js";
import { f32Bits, f32FromBits, f64Bits, f64FromBits } from "./oracle.js";

interface Val {
  type: string;
  value?: string;
}
interface Command {
  type: string;
  line: number;
  action?: { type: string; field: string; args: Val[] };
  expected?: Val[];
  text?: string;
}

/** A spec value as the helpers take it: i32 int32, i64 bigint, f32/f64 bits (int32 / bigint). */
type Raw = number | bigint;

const s = new Int32Array(8);
const put = (w: number, v: bigint): void => {
  s[w] = Number(BigInt.asIntN(32, v));
  s[w + 1] = Number(BigInt.asIntN(32, v >> 32n));
};
const get = (w: number): bigint => (BigInt(s[w + 1]) << 32n) | BigInt(s[w] >>> 0);
const f32 = (b: Raw): number => f32FromBits(b as number);
const f64 = (b: Raw): number => f64FromBits(b as bigint);

type Impl = (args: Raw[]) => Raw;
const i64bin = (fn: (s: Int32Array, d: number, a: number, b: number) => void): Impl => ([a, b]) => (put(0, a as bigint), put(2, b as bigint), fn(s, 4, 0, 2), get(4));
const i64un = (fn: (s: Int32Array, d: number, a: number) => void): Impl => ([a]) => (put(0, a as bigint), fn(s, 4, 0), get(4));
const i64cmp = (fn: (s: Int32Array, a: number, b: number) => boolean): Impl => ([a, b]) => (put(0, a as bigint), put(2, b as bigint), fn(s, 0, 2) ? 1 : 0);
const f32un = (fn: (x: number) => number): Impl => ([a]) => f32Bits(fn(f32(a)));
const f64un = (fn: (x: number) => number): Impl => ([a]) => f64Bits(fn(f64(a)));
const f32bin = (fn: (x: number, y: number) => number): Impl => ([a, b]) => f32Bits(fn(f32(a), f32(b)));
const f64bin = (fn: (x: number, y: number) => number): Impl => ([a, b]) => f64Bits(fn(f64(a), f64(b)));
const hi = (b: Raw): number => Number(BigInt.asIntN(32, (b as bigint) >> 32n));
const withHi = (b: Raw, h: number): bigint => BigInt.asIntN(64, (BigInt(h) << 32n) | ((b as bigint) & 0xffffffffn));
const toI64 = (fn: (s: Int32Array, d: number, x: number) => void, from: (b: Raw) => number): Impl => ([a]) => (fn(s, 0, from(a)), get(0));

const i64Impls: Record<string, Impl> = {
  add: i64bin(I.i64Add), sub: i64bin(I.i64Sub), mul: i64bin(I.i64Mul), div_s: i64bin(I.i64DivS), div_u: i64bin(I.i64DivU),
  rem_s: i64bin(I.i64RemS), rem_u: i64bin(I.i64RemU), and: i64bin(I.i64And), or: i64bin(I.i64Or), xor: i64bin(I.i64Xor),
  shl: i64bin(I.i64Shl), shr_s: i64bin(I.i64ShrS), shr_u: i64bin(I.i64ShrU), rotl: i64bin(I.i64Rotl), rotr: i64bin(I.i64Rotr),
  clz: i64un(I.i64Clz), ctz: i64un(I.i64Ctz), popcnt: i64un(I.i64Popcnt), extend8_s: i64un(I.i64Extend8S), extend16_s: i64un(I.i64Extend16S),
  extend32_s: i64un(I.i64Extend32S), eqz: ([a]) => (put(0, a as bigint), I.i64Eqz(s, 0) ? 1 : 0),
  eq: i64cmp(I.i64Eq), ne: i64cmp(I.i64Ne), lt_s: i64cmp(I.i64LtS), lt_u: i64cmp(I.i64LtU), gt_s: i64cmp(I.i64GtS), gt_u: i64cmp(I.i64GtU),
  le_s: i64cmp(I.i64LeS), le_u: i64cmp(I.i64LeU), ge_s: i64cmp(I.i64GeS), ge_u: i64cmp(I.i64GeU),
};
const f32Impls: Record<string, Impl> = {
  add: f32bin((a, b) => Math.fround(a + b)), sub: f32bin((a, b) => Math.fround(a - b)), mul: f32bin((a, b) => Math.fround(a * b)), div: f32bin((a, b) => Math.fround(a / b)),
  min: f32bin(F.f32Min), max: f32bin(F.f32Max), nearest: f32un(F.f32Nearest), trunc: f32un(F.f32Trunc), ceil: f32un(F.f32Ceil), floor: f32un(F.f32Floor), sqrt: f32un(F.f32Sqrt),
  abs: ([a]) => F.f32Abs(a as number), neg: ([a]) => F.f32Neg(a as number), copysign: ([a, b]) => F.f32Copysign(a as number, b as number),
};
const f64Impls: Record<string, Impl> = {
  add: f64bin((a, b) => a + b), sub: f64bin((a, b) => a - b), mul: f64bin((a, b) => a * b), div: f64bin((a, b) => a / b),
  min: f64bin(F.f64Min), max: f64bin(F.f64Max), nearest: f64un(F.f64Nearest), trunc: f64un(F.f64Trunc), ceil: f64un(F.f64Ceil), floor: f64un(F.f64Floor), sqrt: f64un(F.f64Sqrt),
  abs: ([a]) => withHi(a, F.f64Abs(hi(a))), neg: ([a]) => withHi(a, F.f64Neg(hi(a))), copysign: ([a, b]) => withHi(a, F.f64Copysign(hi(a), hi(b))),
};
const convImpls: Record<string, Impl> = {
  "i32.trunc_f32_s": ([a]) => C.i32TruncF32S(f32(a)), "i32.trunc_f32_u": ([a]) => C.i32TruncF32U(f32(a)),
  "i32.trunc_f64_s": ([a]) => C.i32TruncF64S(f64(a)), "i32.trunc_f64_u": ([a]) => C.i32TruncF64U(f64(a)),
  "i32.trunc_sat_f32_s": ([a]) => C.i32TruncSatF32S(f32(a)), "i32.trunc_sat_f32_u": ([a]) => C.i32TruncSatF32U(f32(a)),
  "i32.trunc_sat_f64_s": ([a]) => C.i32TruncSatF64S(f64(a)), "i32.trunc_sat_f64_u": ([a]) => C.i32TruncSatF64U(f64(a)),
  "i64.trunc_f32_s": toI64(C.i64TruncF32S, f32), "i64.trunc_f32_u": toI64(C.i64TruncF32U, f32),
  "i64.trunc_f64_s": toI64(C.i64TruncF64S, f64), "i64.trunc_f64_u": toI64(C.i64TruncF64U, f64),
  "i64.trunc_sat_f32_s": toI64(C.i64TruncSatF32S, f32), "i64.trunc_sat_f32_u": toI64(C.i64TruncSatF32U, f32),
  "i64.trunc_sat_f64_s": toI64(C.i64TruncSatF64S, f64), "i64.trunc_sat_f64_u": toI64(C.i64TruncSatF64U, f64),
  "f32.convert_i64_s": ([a]) => (put(0, a as bigint), f32Bits(C.f32ConvertI64S(s, 0))), "f32.convert_i64_u": ([a]) => (put(0, a as bigint), f32Bits(C.f32ConvertI64U(s, 0))),
  "f64.convert_i64_s": ([a]) => (put(0, a as bigint), f64Bits(C.f64ConvertI64S(s, 0))), "f64.convert_i64_u": ([a]) => (put(0, a as bigint), f64Bits(C.f64ConvertI64U(s, 0))),
  "f32.convert_i32_s": ([a]) => f32Bits(C.f32ConvertI32S(a as number)), "f32.convert_i32_u": ([a]) => f32Bits(C.f32ConvertI32U(a as number)),
  "f64.convert_i32_s": ([a]) => f64Bits(C.f64ConvertI32S(a as number)), "f64.convert_i32_u": ([a]) => f64Bits(C.f64ConvertI32U(a as number)),
  "f32.demote_f64": ([a]) => f32Bits(C.f32DemoteF64(f64(a))), "f64.promote_f32": ([a]) => f64Bits(C.f64PromoteF32(f32(a))),
  "i32.wrap_i64": ([a]) => (put(0, a as bigint), I.i32WrapI64(s, 0)),
  "i64.extend_i32_s": ([a]) => (I.i64ExtendI32S(s, 0, a as number), get(0)), "i64.extend_i32_u": ([a]) => (I.i64ExtendI32U(s, 0, a as number), get(0)),
};

/** float_misc.wast names its exports `f32.add`, `f64.sqrt`, ... */
const floatMiscImpls: Record<string, Impl> = Object.fromEntries([
  ...Object.entries(f32Impls).map(([k, v]) => [`f32.${k}`, v] as const),
  ...Object.entries(f64Impls).map(([k, v]) => [`f64.${k}`, v] as const),
]);

function parse(v: Val): Raw {
  const t = BigInt(v.value as string);
  return v.type === "i32" || v.type === "f32" ? Number(BigInt.asIntN(32, t)) : BigInt.asIntN(64, t);
}

/** Checks one result against a spec expectation, as bits; NaN patterns follow the spec's classes. */
function matches(got: Raw, want: Val): boolean {
  if (want.value === "nan:canonical" || want.value === "nan:arithmetic") {
    const canonical = want.value === "nan:canonical";
    if (want.type === "f32") {
      const g = got as number;
      return canonical ? (g & 0x7fffffff) === 0x7fc00000 : (g & 0x7fc00000) === 0x7fc00000;
    }
    const g = BigInt.asUintN(64, got as bigint);
    return canonical ? BigInt.asUintN(63, g) === 0x7ff8000000000000n : (g & 0x7ff8000000000000n) === 0x7ff8000000000000n;
  }
  return got === parse(want);
}

const TRAP_TEXT: Record<string, string> = {
  "integer divide by zero": "integer-divide-by-zero",
  "integer overflow": "integer-overflow",
  "invalid conversion to integer": "invalid-conversion-to-integer",
};

const files: [string, Record<string, Impl>][] = [
  ["i64", i64Impls], ["f32", f32Impls], ["f64", f64Impls], ["f32_bitwise", f32Impls], ["f64_bitwise", f64Impls], ["conversions", convImpls], ["float_misc", floatMiscImpls],
];
const root = sharedDirOrSkip("wasm-spec", "numeric helpers on the spec suite's numeric assertions");

for (const [file, impls] of files) {
  testOrSkip(root)(`${file}.wast: assert_return / assert_trap on the numeric helpers`, () => {
    if (root === undefined) return;
    const { commands } = JSON.parse(readFileSync(join(root, file, `${file}.json`), "utf8")) as { commands: Command[] };
    let passed = 0;
    const skipped = new Set<string>();
    let skippedCount = 0;
    const failures: string[] = [];
    for (const c of commands) {
      if ((c.type !== "assert_return" && c.type !== "assert_trap") || c.action?.type !== "invoke") continue;
      const impl = impls[c.action.field];
      if (impl === undefined) {
        skipped.add(c.action.field);
        skippedCount++;
        continue;
      }
      const args = c.action.args.map(parse);
      let got: Raw | string;
      try {
        got = impl(args);
      } catch (e) {
        if (!(e instanceof RuntimeError)) throw e;
        got = `trap ${e.trap}`;
      }
      const ok = c.type === "assert_trap" ? got === `trap ${TRAP_TEXT[c.text as string]}` : typeof got !== "string" && matches(got, (c.expected as Val[])[0]);
      if (ok) passed++;
      else failures.push(`line ${c.line}: ${c.action.field}(${c.action.args.map((a) => a.value).join(", ")}) gave ${String(got)}, want ${c.type === "assert_trap" ? c.text : JSON.stringify(c.expected)}`);
    }
    process.stdout.write(`\n# numeric spec ${file}: ${passed} passed, ${failures.length} failed, ${skippedCount} skipped (no numeric helper: ${[...skipped].join(" ") || "none"})\n`);
    assert.ok(passed > 0, "no assertion ran");
    assert.equal(failures.slice(0, 10), [], `${failures.length} failures`);
  });
}

test.run();
