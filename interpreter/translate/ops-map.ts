/**
 * How each plain wasm numeric/memory instruction maps onto internal ops (`opcodes.ts`): the
 * register form, the immediate form when one exists, and the value types involved, all derived
 * from the opcode table's `lowering` entries (`decode/opcode-table.ts`). Control flow, locals,
 * calls and bulk ops are handled by the translator itself. Below them: the translator's own
 * op-to-op maps (fused compare-and-branch, negated branches, register+register addressing).
 */
import { BY_NAME, INSTRUCTIONS, Imm, isSupported } from "../decode/opcode-table.js";
import { Op } from "./opcodes.js";

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

/** Binary operators by wasm opcode word. */
export const BINARY = new Map<number, BinInfo>();
/** Unary operators (and conversions): `[op, result type]`; `op = -1` means a pure bit move (reinterpret, wrap). */
export const UNARY = new Map<number, readonly [number, number]>();
/** Loads: `[op, result type]`. */
export const LOADS = new Map<number, readonly [number, number]>();
/** Stores. */
export const STORES = new Map<number, number>();

/** The internal op named `name` (a table entry naming an op that does not exist is a bug). */
function opNamed(name: string, wasm: string): number {
  const op = (Op as Readonly<Record<string, number>>)[name];
  if (op === undefined) throw new Error(`opcode table: ${wasm} is lowered to ${name}, which is not an internal op`);
  return op;
}

for (const ins of INSTRUCTIONS) {
  const l = ins.lowering;
  if (l === undefined || !isSupported(ins)) continue;
  const operands = ins.operands!, results = ins.results!;
  if (ins.imm === Imm.memArg) {
    if (results.length === 1) LOADS.set(ins.code, [opNamed(l.reg, ins.name), results[0]!]);
    else STORES.set(ins.code, opNamed(l.reg, ins.name));
  } else if (operands.length === 2) {
    const mirror = l.mirror === undefined ? -1 : BY_NAME.get(l.mirror)?.code;
    if (mirror === undefined) throw new Error(`opcode table: ${ins.name} mirrors unknown instruction ${l.mirror}`);
    BINARY.set(ins.code, {
      reg: opNamed(l.reg, ins.name),
      imm: l.imm === undefined ? -1 : opNamed(l.imm, ins.name),
      commutative: l.commutative === true,
      operand: operands[0]!,
      result: results[0]!,
      mirror,
    });
  } else if (operands.length === 1) UNARY.set(ins.code, [l.reg === "RETYPE" ? -1 : opNamed(l.reg, ins.name), results[0]!]);
  else throw new Error(`opcode table: ${ins.name} has a lowering but is neither a load, a store, a unary nor a binary operator`);
}

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
