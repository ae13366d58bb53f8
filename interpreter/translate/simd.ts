/**
 * How fixed-width SIMD instructions are translated: every one becomes the single internal op
 * `SIMD` (`opcodes.ts`), laid out as `[SIMD, cost, len, sub, operand...]` where `len` is the op's
 * whole length in words and `sub` the SIMD sub-op run by `execute/simd.ts`.
 *
 * Sub-ops `0x00..0xff` are the wasm instructions of the same 0xFD sub-opcode (their line in the
 * opcode table says everything the translator needs: operand and result types, immediates, NaN
 * results); their operands are: the destination slot word (when there is a result), the operand
 * slot words (first to last), then the immediates: a memarg's offset, a lane index, or four
 * words of `v128.const` / `i8x16.shuffle` bytes; a memory access ends with the memory index,
 * preceded on a 64-bit memory (memory64) by the offset's high word.
 * Sub-ops `0x100..0x113` are relaxed SIMD (also lines of the opcode table; `execute/simd.ts` says
 * which deterministic result each gives). Sub-ops from `0x120` ({@link SIMD_SUBS}) are the
 * translator's own (v128 `select`, `global.get`, `global.set`, NaN canonicalisation).
 *
 * Value slots: a v128 takes two consecutive 8-byte slots (words `w .. w+3`, lane bytes in memory
 * order: byte 0 of the vector is the low byte of word `w`); every other value takes one.
 */
import { Imm, INSTRUCTIONS, isSupported, SIMD_SUBS, SIMD_WORD } from "../decode/opcode-table.js";
import { Op } from "./opcodes.js";

/** The v128 value type byte. */
export const V128 = 0x7b;

/** Slots a value of type `t` takes. */
export function widthOf(t: number): number {
  return t === V128 ? 2 : 1;
}

/** Slots a sequence of values of types `ts` takes. */
export function slotsOf(ts: readonly number[]): number {
  let n = 0;
  for (let i = 0; i < ts.length; i++) n += ts[i] === V128 ? 2 : 1;
  return n;
}

/** `select` of two v128s: `d a b cond`. */
export const SIMD_SELECT = SIMD_SUBS;
/** `global.get` of a v128 global: `d global`. */
export const SIMD_GLOBAL_GET = SIMD_SUBS + 1;
/** `global.set` of a v128 global: `global a`. */
export const SIMD_GLOBAL_SET = SIMD_SUBS + 2;
/** NaN canonicalisation of the four f32 lanes at `d` (cost 0; `Store({ canonicalizeNaNs })`). */
export const SIMD_CANON_F32X4 = SIMD_SUBS + 3;
/** NaN canonicalisation of the two f64 lanes at `d`. */
export const SIMD_CANON_F64X2 = SIMD_SUBS + 4;
/** Number of SIMD sub-ops. */
export const SIMD_SUB_COUNT = SIMD_SUBS + 5;

/**
 * The hottest sub-ops (5 % and more of the simd128 workload's SIMD ops, bench/README.md "SIMD"),
 * translated into loop cases of their own instead of `SIMD` (sub-op -> internal op): their
 * operands are those of the `SIMD` form (destination, operands, immediates) without `len` and
 * `sub`. None of them has a NaN result, a memory operand or a trap.
 */
export const SIMD_FAST: ReadonlyMap<number, number> = new Map([
  [0x0d, Op.I8X16_SHUFFLE],
  [0x11, Op.I32X4_SPLAT],
  [0x23, Op.I8X16_EQ],
  [0x4e, Op.V128_AND],
  [0xad, Op.I32X4_SHR_U],
  [0xae, Op.I32X4_ADD],
  [0xb5, Op.I32X4_MUL],
]);

/**
 * The v128 loads and stores with loop cases of their own (sub-op -> internal op), when they access
 * memory 0 and it is a 32-bit memory: `[op, cost, d, a, 0, offset]` (loads) and
 * `[op, cost, a, v, 0, offset]` (stores), the layout of the scalar ones.
 */
export const SIMD_FAST_MEMORY: ReadonlyMap<number, number> = new Map([
  [0x00, Op.V128_LOAD],
  [0x5d, Op.V128_LOAD64_ZERO],
  [0x0b, Op.V128_STORE],
]);

/** Every internal op that SIMD code translates into: `SIMD` and the loop cases of its own above. */
export const SIMD_OPS: readonly number[] = [Op.SIMD, ...SIMD_FAST.values(), ...SIMD_FAST_MEMORY.values()];

/** How a wasm SIMD instruction is translated. */
export interface SimdLowering {
  readonly name: string;
  /** Operand types, first to last. */
  readonly operands: readonly number[];
  /** Result type, 0 for none. */
  readonly result: number;
  readonly imm: Imm;
  /** The canonicalisation sub-op that follows it with NaN canonicalisation on, or 0. */
  readonly canon: number;
}

/** By sub-opcode: the implemented SIMD instructions of the opcode table. */
const LOWERING: (SimdLowering | undefined)[] = new Array<SimdLowering | undefined>(SIMD_SUBS).fill(undefined);
for (const ins of INSTRUCTIONS) {
  if (ins.code < SIMD_WORD || !isSupported(ins)) continue;
  const sub = ins.code - SIMD_WORD;
  if (sub >= SIMD_SUBS || ins.operands === undefined) throw new Error(`SIMD translation: ${ins.name} has no fixed signature`);
  const canon = ins.nanResult !== true ? 0 : ins.name.startsWith("f32x4.") ? SIMD_CANON_F32X4 : SIMD_CANON_F64X2;
  LOWERING[sub] = { name: ins.name, operands: ins.operands, result: ins.results!.length === 0 ? 0 : ins.results![0]!, imm: ins.imm, canon };
}

/** The lowering of the implemented SIMD instruction with sub-opcode `sub`. */
export function simdLowering(sub: number): SimdLowering {
  const l = LOWERING[sub];
  if (l === undefined) throw new Error(`SIMD translation: sub-opcode 0x${sub.toString(16)} is not implemented`);
  return l;
}

/** Text name of SIMD sub-op `sub` (listings). */
export function simdSubName(sub: number): string {
  switch (sub) {
    case SIMD_SELECT: return "select.v128";
    case SIMD_GLOBAL_GET: return "global.get.v128";
    case SIMD_GLOBAL_SET: return "global.set.v128";
    case SIMD_CANON_F32X4: return "canon.f32x4";
    case SIMD_CANON_F64X2: return "canon.f64x2";
    default: return LOWERING[sub]?.name ?? `simd.0x${sub.toString(16)}`;
  }
}
