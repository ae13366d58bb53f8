/**
 * Modules for the tests of the dispatch loop's memory paths (unaligned-memory, large-memory): one
 * exported function per memory instruction and address form, each `(a i32, b i32, v i64) -> i64`,
 * that loads (the result as i64 bits) or stores `v` (converted) at an address made of `a`, `b`,
 * a folded constant and a memarg offset (see {@link argA}).
 */
import { decodeModule } from "../../interpreter/decode/index.js";
import { OP_NAMES, opLength } from "../../interpreter/translate/opcodes.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";

/**
 * A memory instruction and the conversion between its value and the function's i64 (`""`: none;
 * the function's operand goes last, after the conversion's own ones), and a suffix of the export
 * name when one instruction is tested through several conversions.
 */
export type MemoryOp = readonly [op: string, conv: string, tag?: string];

/** The loads with an aligned-view path in the loop (32/64-bit, floats, 16-bit). */
export const VIEW_LOADS: readonly MemoryOp[] = [
  ["i32.load", "i64.extend_i32_u"], ["i64.load", ""], ["f32.load", "i64.extend_i32_u (i32.reinterpret_f32"],
  ["f64.load", "i64.reinterpret_f64"], ["i32.load16_s", "i64.extend_i32_s"], ["i32.load16_u", "i64.extend_i32_u"],
];
/** The stores with an aligned-view path in the loop. */
export const VIEW_STORES: readonly MemoryOp[] = [
  ["i32.store", "i32.wrap_i64"], ["i64.store", ""], ["f32.store", "f32.reinterpret_i32 (i32.wrap_i64"],
  ["f64.store", "f64.reinterpret_i64"], ["i32.store16", "i32.wrap_i64"],
];
/** The other loads: 8-bit, and the sign- and zero-extending i64 loads. */
export const BYTE_AND_I64_LOADS: readonly MemoryOp[] = [
  ["i32.load8_s", "i64.extend_i32_s"], ["i32.load8_u", "i64.extend_i32_u"],
  ["i64.load8_s", ""], ["i64.load8_u", ""], ["i64.load16_s", ""], ["i64.load16_u", ""], ["i64.load32_s", ""], ["i64.load32_u", ""],
];
/** The other stores: 8-bit, and the narrowing i64 stores. */
export const BYTE_AND_I64_STORES: readonly MemoryOp[] = [["i32.store8", "i32.wrap_i64"], ["i64.store8", ""], ["i64.store16", ""], ["i64.store32", ""]];

/** The v128 loads with a loop case of their own (each half of the vector through its own function). */
export const V128_LOADS: readonly MemoryOp[] = [
  ["v128.load", "i64x2.extract_lane 0", ".lo"], ["v128.load", "i64x2.extract_lane 1", ".hi"],
  ["v128.load64_zero", "i64x2.extract_lane 0", ".lo"], ["v128.load64_zero", "i64x2.extract_lane 1", ".hi"],
];
/** The v128 store with a loop case of its own: the value twice, the high half xor-ed with a constant. */
export const V128_STORES: readonly MemoryOp[] = [["v128.store", "i64x2.replace_lane 1 (i64x2.splat (local.get $v)) (i64.xor (i64.const 0x0f1e2d3c4b5a6978)"]];

/** Address forms: a slot (with a memarg offset), a folded constant plus offset, two slots. */
const FORMS: readonly (readonly [string, string])[] = [
  ["slot", "offset=1 (local.get $a)"],
  ["const", "offset=2 (i32.add (local.get $a) (i32.const 3))"],
  ["slots", "offset=1 (i32.add (local.get $a) (local.get $b))"],
];

function wrap(conv: string, inner: string): string {
  if (conv === "") return inner;
  const opens = conv.split("(").length - conv.split(")").length;
  return `(${conv} ${inner}${")".repeat(opens + 1)}`;
}

/** The functions (WebAssembly text) for `loads` and `stores` in every address form, and their export names. */
export function memoryOpFunctions(loads: readonly MemoryOp[], stores: readonly MemoryOp[]): { funcs: string[]; names: { name: string; store: boolean }[] } {
  const funcs: string[] = [];
  const names: { name: string; store: boolean }[] = [];
  for (const [op, conv, tag = ""] of loads) {
    for (const [form, addr] of FORMS) {
      names.push({ name: `${op}${tag}/${form}`, store: false });
      funcs.push(`(func (export "${op}${tag}/${form}") (param $a i32) (param $b i32) (param $v i64) (result i64) ${wrap(conv, `(${op} ${addr})`)})`);
    }
  }
  for (const [op, conv, tag = ""] of stores) {
    for (const [form, addr] of FORMS) {
      names.push({ name: `${op}${tag}/${form}`, store: true });
      funcs.push(`(func (export "${op}${tag}/${form}") (param $a i32) (param $b i32) (param $v i64) (result i64) (${op} ${addr} ${wrap(conv, "(local.get $v)")}) (i64.const 0))`);
    }
  }
  return { funcs, names };
}

/** The argument `a` that makes function `name` access effective address `ea` with second slot `b` (0 unless the form is `slots`). */
export function argA(name: string, ea: number, b: number): number {
  const fold = name.endsWith("/const") ? 3 : 0;
  const off = name.endsWith("/const") ? 2 : 1;
  return (ea - fold - off - b) | 0;
}

/** The internal ops a module translates into (so a test can check that it exercises the ones it is about). */
export function translatedOps(bytes: Uint8Array): Set<string> {
  const cm = translateModule(decodeModule(bytes), resolveCosts("wasmtime"));
  const seen = new Set<string>();
  for (let pc = 0; pc < cm.code.length; pc += opLength(cm.code, pc)) seen.add(OP_NAMES[cm.code[pc]!]!);
  return seen;
}
