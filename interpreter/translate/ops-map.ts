/**
 * How each plain wasm numeric/memory instruction maps onto internal ops (`opcodes.ts`): the
 * register form, the immediate form when one exists, and the value types involved. Control
 * flow, locals, calls and bulk ops are handled by the translator itself.
 */
import { Op } from "./opcodes.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;

/** A binary operator: `[regOp, immOp (-1 none), commutative, operand type, result type, mirror]`. */
export interface BinInfo {
  readonly reg: number;
  readonly imm: number;
  readonly commutative: boolean;
  readonly operand: number;
  readonly result: number;
  /** For comparisons: the wasm opcode of the same comparison with operands swapped. */
  readonly mirror: number;
}

export const BINARY = new Map<number, BinInfo>();
function bin(w: number, reg: number, imm: number, comm: boolean, operand: number, result: number, mirror = -1): void {
  BINARY.set(w, { reg, imm, commutative: comm, operand, result, mirror });
}
// i32 comparisons 0x46..0x4f
bin(0x46, Op.I32_EQ, Op.I32_EQ_IMM, true, I32, I32, 0x46);
bin(0x47, Op.I32_NE, Op.I32_NE_IMM, true, I32, I32, 0x47);
bin(0x48, Op.I32_LT_S, Op.I32_LT_S_IMM, false, I32, I32, 0x4a);
bin(0x49, Op.I32_LT_U, Op.I32_LT_U_IMM, false, I32, I32, 0x4b);
bin(0x4a, Op.I32_GT_S, Op.I32_GT_S_IMM, false, I32, I32, 0x48);
bin(0x4b, Op.I32_GT_U, Op.I32_GT_U_IMM, false, I32, I32, 0x49);
bin(0x4c, Op.I32_LE_S, Op.I32_LE_S_IMM, false, I32, I32, 0x4e);
bin(0x4d, Op.I32_LE_U, Op.I32_LE_U_IMM, false, I32, I32, 0x4f);
bin(0x4e, Op.I32_GE_S, Op.I32_GE_S_IMM, false, I32, I32, 0x4c);
bin(0x4f, Op.I32_GE_U, Op.I32_GE_U_IMM, false, I32, I32, 0x4d);
// i64 comparisons 0x51..0x5a
const i64cmp = [Op.I64_EQ, Op.I64_NE, Op.I64_LT_S, Op.I64_LT_U, Op.I64_GT_S, Op.I64_GT_U, Op.I64_LE_S, Op.I64_LE_U, Op.I64_GE_S, Op.I64_GE_U];
i64cmp.forEach((op, i) => bin(0x51 + i, op, -1, i < 2, I64, I32));
// f32 0x5b..0x60, f64 0x61..0x66
[Op.F32_EQ, Op.F32_NE, Op.F32_LT, Op.F32_GT, Op.F32_LE, Op.F32_GE].forEach((op, i) => bin(0x5b + i, op, -1, false, F32, I32));
[Op.F64_EQ, Op.F64_NE, Op.F64_LT, Op.F64_GT, Op.F64_LE, Op.F64_GE].forEach((op, i) => bin(0x61 + i, op, -1, false, F64, I32));
// i32 arithmetic 0x6a..0x78
bin(0x6a, Op.I32_ADD, Op.I32_ADD_IMM, true, I32, I32);
bin(0x6b, Op.I32_SUB, -1, false, I32, I32);
bin(0x6c, Op.I32_MUL, Op.I32_MUL_IMM, true, I32, I32);
bin(0x6d, Op.I32_DIV_S, -1, false, I32, I32);
bin(0x6e, Op.I32_DIV_U, -1, false, I32, I32);
bin(0x6f, Op.I32_REM_S, -1, false, I32, I32);
bin(0x70, Op.I32_REM_U, -1, false, I32, I32);
bin(0x71, Op.I32_AND, Op.I32_AND_IMM, true, I32, I32);
bin(0x72, Op.I32_OR, Op.I32_OR_IMM, true, I32, I32);
bin(0x73, Op.I32_XOR, Op.I32_XOR_IMM, true, I32, I32);
bin(0x74, Op.I32_SHL, Op.I32_SHL_IMM, false, I32, I32);
bin(0x75, Op.I32_SHR_S, Op.I32_SHR_S_IMM, false, I32, I32);
bin(0x76, Op.I32_SHR_U, Op.I32_SHR_U_IMM, false, I32, I32);
bin(0x77, Op.I32_ROTL, Op.I32_ROTL_IMM, false, I32, I32);
bin(0x78, Op.I32_ROTR, -1, false, I32, I32);
// i64 arithmetic 0x7c..0x8a
bin(0x7c, Op.I64_ADD, Op.I64_ADD_IMM, true, I64, I64);
bin(0x7d, Op.I64_SUB, -1, false, I64, I64);
bin(0x7e, Op.I64_MUL, Op.I64_MUL_IMM, true, I64, I64);
bin(0x7f, Op.I64_DIV_S, -1, false, I64, I64);
bin(0x80, Op.I64_DIV_U, -1, false, I64, I64);
bin(0x81, Op.I64_REM_S, -1, false, I64, I64);
bin(0x82, Op.I64_REM_U, -1, false, I64, I64);
bin(0x83, Op.I64_AND, Op.I64_AND_IMM, true, I64, I64);
bin(0x84, Op.I64_OR, -1, true, I64, I64);
bin(0x85, Op.I64_XOR, -1, true, I64, I64);
bin(0x86, Op.I64_SHL, Op.I64_SHL_IMM, false, I64, I64);
bin(0x87, Op.I64_SHR_S, Op.I64_SHR_S_IMM, false, I64, I64);
bin(0x88, Op.I64_SHR_U, Op.I64_SHR_U_IMM, false, I64, I64);
bin(0x89, Op.I64_ROTL, -1, false, I64, I64);
bin(0x8a, Op.I64_ROTR, -1, false, I64, I64);
// f32 0x92..0x98, f64 0xa0..0xa6
[Op.F32_ADD, Op.F32_SUB, Op.F32_MUL, Op.F32_DIV, Op.F32_MIN, Op.F32_MAX, Op.F32_COPYSIGN].forEach((op, i) => bin(0x92 + i, op, -1, false, F32, F32));
[Op.F64_ADD, Op.F64_SUB, Op.F64_MUL, Op.F64_DIV, Op.F64_MIN, Op.F64_MAX, Op.F64_COPYSIGN].forEach((op, i) => bin(0xa0 + i, op, -1, false, F64, F64));

/** Unary operators (and conversions): `[op, result type]`; `op = -1` means a pure bit move (reinterpret). */
export const UNARY = new Map<number, readonly [number, number]>([
  [0x45, [Op.I32_EQZ, I32]], [0x50, [Op.I64_EQZ, I32]],
  [0x67, [Op.I32_CLZ, I32]], [0x68, [Op.I32_CTZ, I32]], [0x69, [Op.I32_POPCNT, I32]],
  [0x79, [Op.I64_CLZ, I64]], [0x7a, [Op.I64_CTZ, I64]], [0x7b, [Op.I64_POPCNT, I64]],
  [0x8b, [Op.F32_ABS, F32]], [0x8c, [Op.F32_NEG, F32]], [0x8d, [Op.F32_CEIL, F32]], [0x8e, [Op.F32_FLOOR, F32]],
  [0x8f, [Op.F32_TRUNC, F32]], [0x90, [Op.F32_NEAREST, F32]], [0x91, [Op.F32_SQRT, F32]],
  [0x99, [Op.F64_ABS, F64]], [0x9a, [Op.F64_NEG, F64]], [0x9b, [Op.F64_CEIL, F64]], [0x9c, [Op.F64_FLOOR, F64]],
  [0x9d, [Op.F64_TRUNC, F64]], [0x9e, [Op.F64_NEAREST, F64]], [0x9f, [Op.F64_SQRT, F64]],
  [0xa7, [-1, I32]], // i32.wrap_i64: the low word already is the i32 (a retype, like reinterpret)
  [0xa8, [Op.I32_TRUNC_F32_S, I32]], [0xa9, [Op.I32_TRUNC_F32_U, I32]], [0xaa, [Op.I32_TRUNC_F64_S, I32]], [0xab, [Op.I32_TRUNC_F64_U, I32]],
  [0xac, [Op.I64_EXTEND_I32_S, I64]], [0xad, [Op.I64_EXTEND_I32_U, I64]],
  [0xae, [Op.I64_TRUNC_F32_S, I64]], [0xaf, [Op.I64_TRUNC_F32_U, I64]], [0xb0, [Op.I64_TRUNC_F64_S, I64]], [0xb1, [Op.I64_TRUNC_F64_U, I64]],
  [0xb2, [Op.F32_CONVERT_I32_S, F32]], [0xb3, [Op.F32_CONVERT_I32_U, F32]], [0xb4, [Op.F32_CONVERT_I64_S, F32]], [0xb5, [Op.F32_CONVERT_I64_U, F32]],
  [0xb6, [Op.F32_DEMOTE_F64, F32]],
  [0xb7, [Op.F64_CONVERT_I32_S, F64]], [0xb8, [Op.F64_CONVERT_I32_U, F64]], [0xb9, [Op.F64_CONVERT_I64_S, F64]], [0xba, [Op.F64_CONVERT_I64_U, F64]],
  [0xbb, [Op.F64_PROMOTE_F32, F64]],
  [0xbc, [-1, I32]], [0xbd, [-1, I64]], [0xbe, [-1, F32]], [0xbf, [-1, F64]],
  [0xc0, [Op.I32_EXTEND8_S, I32]], [0xc1, [Op.I32_EXTEND16_S, I32]],
  [0xc2, [Op.I64_EXTEND8_S, I64]], [0xc3, [Op.I64_EXTEND16_S, I64]], [0xc4, [Op.I64_EXTEND32_S, I64]],
  [0xfc00, [Op.I32_TRUNC_SAT_F32_S, I32]], [0xfc01, [Op.I32_TRUNC_SAT_F32_U, I32]], [0xfc02, [Op.I32_TRUNC_SAT_F64_S, I32]], [0xfc03, [Op.I32_TRUNC_SAT_F64_U, I32]],
  [0xfc04, [Op.I64_TRUNC_SAT_F32_S, I64]], [0xfc05, [Op.I64_TRUNC_SAT_F32_U, I64]], [0xfc06, [Op.I64_TRUNC_SAT_F64_S, I64]], [0xfc07, [Op.I64_TRUNC_SAT_F64_U, I64]],
]);

/** Loads 0x28..0x35: `[op, result type]`. */
export const LOADS = new Map<number, readonly [number, number]>([
  [0x28, [Op.LOAD32, I32]], [0x29, [Op.LOAD64, I64]], [0x2a, [Op.LOAD32, F32]], [0x2b, [Op.LOAD64, F64]],
  [0x2c, [Op.I32_LOAD8_S, I32]], [0x2d, [Op.I32_LOAD8_U, I32]], [0x2e, [Op.I32_LOAD16_S, I32]], [0x2f, [Op.I32_LOAD16_U, I32]],
  [0x30, [Op.I64_LOAD8_S, I64]], [0x31, [Op.I64_LOAD8_U, I64]], [0x32, [Op.I64_LOAD16_S, I64]], [0x33, [Op.I64_LOAD16_U, I64]],
  [0x34, [Op.I64_LOAD32_S, I64]], [0x35, [Op.I64_LOAD32_U, I64]],
]);

/** Stores 0x36..0x3e. */
export const STORES = new Map<number, number>([
  [0x36, Op.STORE32], [0x37, Op.STORE64], [0x38, Op.STORE32], [0x39, Op.STORE64],
  [0x3a, Op.STORE8], [0x3b, Op.STORE16], [0x3c, Op.STORE8], [0x3d, Op.STORE16], [0x3e, Op.STORE32],
]);

/** i32 compare op -> fused compare-and-branch op (register and immediate forms). */
export const FUSED_BRANCH = new Map<number, number>([
  [Op.I32_EQ, Op.BR_I32_EQ], [Op.I32_NE, Op.BR_I32_NE], [Op.I32_LT_S, Op.BR_I32_LT_S], [Op.I32_LT_U, Op.BR_I32_LT_U],
  [Op.I32_GT_S, Op.BR_I32_GT_S], [Op.I32_GT_U, Op.BR_I32_GT_U], [Op.I32_LE_S, Op.BR_I32_LE_S], [Op.I32_LE_U, Op.BR_I32_LE_U],
  [Op.I32_GE_S, Op.BR_I32_GE_S], [Op.I32_GE_U, Op.BR_I32_GE_U],
  [Op.I32_EQ_IMM, Op.BR_I32_EQ_IMM], [Op.I32_NE_IMM, Op.BR_I32_NE_IMM], [Op.I32_LT_S_IMM, Op.BR_I32_LT_S_IMM], [Op.I32_LT_U_IMM, Op.BR_I32_LT_U_IMM],
  [Op.I32_GT_S_IMM, Op.BR_I32_GT_S_IMM], [Op.I32_GT_U_IMM, Op.BR_I32_GT_U_IMM], [Op.I32_LE_S_IMM, Op.BR_I32_LE_S_IMM], [Op.I32_LE_U_IMM, Op.BR_I32_LE_U_IMM],
  [Op.I32_GE_S_IMM, Op.BR_I32_GE_S_IMM], [Op.I32_GE_U_IMM, Op.BR_I32_GE_U_IMM],
]);

for (let k = 0; k < 10; k++) FUSED_BRANCH.set(Op.I64_EQ + k, Op.BR_I64_EQ + k);
FUSED_BRANCH.set(Op.I64_EQZ, Op.BR_I64_EQZ);
FUSED_BRANCH.set(Op.I32_EQZ, Op.BR_UNLESS);

/** Negation of a fused branch condition (branch when the comparison is false). */
export const NEGATED_BRANCH = new Map<number, number>();
const negPairs: [number, number][] = [
  [Op.BR_I32_EQ, Op.BR_I32_NE], [Op.BR_I32_LT_S, Op.BR_I32_GE_S], [Op.BR_I32_LT_U, Op.BR_I32_GE_U],
  [Op.BR_I32_GT_S, Op.BR_I32_LE_S], [Op.BR_I32_GT_U, Op.BR_I32_LE_U],
  [Op.BR_I32_EQ_IMM, Op.BR_I32_NE_IMM], [Op.BR_I32_LT_S_IMM, Op.BR_I32_GE_S_IMM], [Op.BR_I32_LT_U_IMM, Op.BR_I32_GE_U_IMM],
  [Op.BR_I32_GT_S_IMM, Op.BR_I32_LE_S_IMM], [Op.BR_I32_GT_U_IMM, Op.BR_I32_LE_U_IMM],
  [Op.BR_IF, Op.BR_UNLESS],
  [Op.BR_I64_EQ, Op.BR_I64_NE], [Op.BR_I64_LT_S, Op.BR_I64_GE_S], [Op.BR_I64_LT_U, Op.BR_I64_GE_U],
  [Op.BR_I64_GT_S, Op.BR_I64_LE_S], [Op.BR_I64_GT_U, Op.BR_I64_LE_U], [Op.BR_I64_EQZ, Op.BR_I64_NEZ],
];
for (const [a, b] of negPairs) { NEGATED_BRANCH.set(a, b); NEGATED_BRANCH.set(b, a); }

/** Loads with a register+register form (address = sum of two slots, folding a preceding i32.add). */
export const LOAD_RR = new Map<number, number>([
  [Op.I32_LOAD8_U, Op.I32_LOAD8_U_RR], [Op.I32_LOAD8_S, Op.I32_LOAD8_S_RR], [Op.I32_LOAD16_S, Op.I32_LOAD16_S_RR],
  [Op.I32_LOAD16_U, Op.I32_LOAD16_U_RR], [Op.LOAD32, Op.LOAD32_RR], [Op.LOAD64, Op.LOAD64_RR],
]);

/** Stores with a register+register form. */
export const STORE_RR = new Map<number, number>([
  [Op.STORE8, Op.STORE8_RR], [Op.STORE16, Op.STORE16_RR], [Op.STORE32, Op.STORE32_RR], [Op.STORE64, Op.STORE64_RR],
]);
