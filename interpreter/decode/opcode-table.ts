/**
 * The opcode table: one description of every WebAssembly instruction this engine knows about
 * (spec "Binary Format > Instructions", plus the opcodes of proposals it refuses), from which
 * every stage derives what it needs:
 *
 * - the decoder (`instructions.ts`): the accepted opcodes and how to read their immediates
 *   ({@link Imm}), and the feature named by the `unsupported` error for a refused opcode;
 * - the flat stream (`module.ts` `immediateWords`): how many immediate words follow an opcode;
 * - the validators (`validate/function.ts`, `validate/fast.ts`): the stack signature of the
 *   *simple* instructions (fixed operand and result types, no typing rule of their own);
 * - the cost tables (`runtime/costs.ts`): each operator's text name and whether it is free;
 * - the translator (`translate/ops-map.ts`): the internal op(s) a plain instruction becomes, by
 *   the name `translate/opcodes.ts` gives them.
 *
 * Opcode words are those of the flat stream: the opcode byte, `0xfc00 | sub` for the
 * 0xFC-prefixed instructions, `0xfd000 | sub` ({@link SIMD_WORD}) for the 0xFD-prefixed (SIMD) ones. `test/interpreter/opcode-table.test.ts` checks that every stage agrees
 * with this table. To add a plain numeric instruction: its line here, its internal op in
 * `translate/opcodes.ts` and its handler in `execute/loop.ts` (or `rare.ts`); decoding, validation,
 * costs and the op mapping follow from the line.
 */

/** Immediate layout of an instruction (what follows the opcode in the binary format). */
export const Imm = {
  /** No immediate. */
  none: 0,
  /** One u32 index (label, function, local, global, table, element or data segment). */
  index: 1,
  /** A block type: 0x40, a value type, or an s33 type index. */
  blockType: 2,
  /** `br_table`: a vector of label indices, then the default label. */
  brTable: 3,
  /** `memarg`: u32 alignment flags (exponent, memory-index flag), the memory index when flagged, u64 offset. */
  memArg: 4,
  /** An s32 constant. */
  i32: 5,
  /** An s64 constant. */
  i64: 6,
  /** Four bytes: an f32 in little-endian IEEE 754. */
  f32: 7,
  /** Eight bytes: an f64 in little-endian IEEE 754. */
  f64: 8,
  /** Typed `select`: a vector of value types. */
  selectT: 9,
  /** A heap type (`ref.null`; the flat word is the type `(ref null ht)`). */
  refType: 10,
  /** The reserved memory-index byte (0x00 in Wasm 2.0): memory.size, memory.grow, memory.fill. */
  zeroByte: 11,
  /** Two u32 indices (call_indirect type+table, table.init elem+table, table.copy dst+src). */
  twoIndices: 12,
  /** A u32 index, then the reserved memory-index byte (memory.init). */
  indexZeroByte: 13,
  /** Two reserved memory-index bytes (memory.copy). */
  twoZeroBytes: 14,
  /** Sixteen bytes: a v128 constant (4 words, little-endian: word 0 holds bytes 0..3). */
  v128: 15,
  /** One lane-index byte (extract_lane, replace_lane). */
  lane: 16,
  /** A memarg, then a lane-index byte (load_lane, store_lane): align, offset (two words), lane. */
  memArgLane: 17,
  /** Sixteen lane-index bytes (i8x16.shuffle), packed four to a word (word 0 holds lanes 0..3). */
  shuffle: 18,
  /**
   * `try_table`: a block type, then a vector of catch clauses (kind byte 0..3, a tag index for
   * `catch`/`catch_ref`, a label index).
   */
  tryTable: 19,
} as const;
export type Imm = (typeof Imm)[keyof typeof Imm];

/**
 * Words each immediate layout takes in the flat stream (see `FlatInstr` in `module.ts`); -1 for
 * the variable ones (`br_table`: count + targets + default; typed `select`: count + types).
 */
export const IMM_WORDS: readonly number[] = [0, 1, 1, -1, 3, 1, 2, 1, 2, -1, 1, 1, 2, 2, 2, 4, 1, 4, 4, -1];

/**
 * The proposals (features) an instruction belongs to, by the name the `unsupported` error gives.
 * Those in {@link SUPPORTED_FEATURES} are implemented; opcodes of the others are refused at
 * decode time with `CompileError` code `unsupported` naming the feature.
 */
export type Feature =
  | "mvp"
  | "sign-extension operators"
  | "non-trapping float-to-int conversions"
  | "bulk memory"
  | "reference types"
  | "SIMD"
  | "relaxed SIMD"
  | "threads"
  | "exception handling"
  | "legacy exception handling"
  | "tail calls"
  | "typed function references"
  | "GC"
  | "memory64 / multi-memory";

/** The features this engine implements (the rest of {@link Feature} is refused). */
export const SUPPORTED_FEATURES: ReadonlySet<Feature> = new Set<Feature>([
  "mvp", "sign-extension operators", "non-trapping float-to-int conversions", "bulk memory", "reference types", "tail calls", "SIMD",
  "relaxed SIMD",
  "exception handling",
  "typed function references",
]);

/**
 * How the translator maps a plain instruction onto internal ops (names of `translate/opcodes.ts`'s
 * `Op`). Instructions without one are special cases of the translator (a `case` of its own).
 */
export interface Lowering {
  /** The register form (`d a b` / `d a`); `"RETYPE"` for a pure retype (the same bits, a new type). */
  readonly reg: string;
  /** The form with an immediate second operand (`d a imm`), when one exists. */
  readonly imm?: string;
  /** Whether the operands may be swapped (so a constant first operand can become the immediate). */
  readonly commutative?: boolean;
  /** For comparisons: the text name of the same comparison with its operands swapped. */
  readonly mirror?: string;
}

/** Per-unit cost a bulk instruction charges on top of its flat cost (a key of `PerUnitCosts`). */
export type PerUnit = "memoryCopy" | "memoryFill" | "memoryInit" | "memoryGrow" | "tableCopy" | "tableFill" | "tableInit" | "tableGrow";

/** One instruction. */
export interface Instruction {
  /** Opcode word: the opcode byte, `0xfc00 | sub` for 0xFC-prefixed, `0xfd000 | sub` for 0xFD-prefixed instructions. */
  readonly code: number;
  /** Text-format name (the cost tables' operator name); typed `select` is `select_t`. */
  readonly name: string;
  readonly imm: Imm;
  readonly feature: Feature;
  /**
   * Operand types (first to last) of a *simple* instruction: one whose typing is this fixed
   * signature and nothing else (no index-dependent types, no polymorphism). Absent otherwise.
   */
  readonly operands?: readonly number[];
  /** Result types of a simple instruction (absent when {@link operands} is). */
  readonly results?: readonly number[];
  /** Natural alignment exponent (loads and stores). */
  readonly align?: number;
  /** Costs 0 in every preset (fuel.md §6.1: the structural instructions and drop). */
  readonly free?: boolean;
  /** The per-unit cost charged on top of the flat one. */
  readonly perUnit?: PerUnit;
  /** Names a data segment (needs the data count section). */
  readonly dataIndex?: boolean;
  /** May produce a NaN with any payload (spec "nondeterministic NaN"): results are canonicalised. */
  readonly nanResult?: boolean;
  /** Lane-index immediates must be below this (SIMD lane instructions: the lane count; shuffle: 32). */
  readonly lanes?: number;
  readonly lowering?: Lowering;
}

/** Value type bytes (as in `module.ts`'s `ValType`; repeated here so this file imports nothing). */
const VALTYPE: Readonly<Record<string, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };

/** The 0xFC prefix (saturating truncations, bulk memory and table instructions). */
export const PREFIX_FC = 0xfc;
/** The 0xFD prefix (SIMD): a u32 sub-opcode follows. */
export const PREFIX_FD = 0xfd;
/** Opcode word of the 0xFD-prefixed instruction with sub-opcode 0: the word is `SIMD_WORD | sub`. */
export const SIMD_WORD = 0xfd000;
/** SIMD sub-opcodes the table has room for (the fixed-width ones are 0..0xff, relaxed SIMD 0x100..0x113). */
export const SIMD_SUBS = 0x120;

/**
 * Prefix bytes whose whole space belongs to a refused proposal (each instruction of these is
 * refused the same way, so they are listed by prefix rather than one by one).
 */
export const UNSUPPORTED_PREFIXES: ReadonlyMap<number, Feature> = new Map<number, Feature>([
  [0xfb, "GC"],
  [0xfe, "threads"],
]);

const list: Instruction[] = [];
let feature: Feature = "mvp";

const signatures = new Map<string, { operands: number[]; results: number[] }>();

/** Parses a signature `"i32 i32 -> i32"` into operand and result types (shared by equal signatures). */
function signature(sig: string): { operands: number[]; results: number[] } {
  let parsed = signatures.get(sig);
  if (parsed === undefined) signatures.set(sig, (parsed = parseSignature(sig)));
  return parsed;
}

function parseSignature(sig: string): { operands: number[]; results: number[] } {
  const [ins, outs] = sig.split("->");
  if (outs === undefined) throw new Error(`opcode table: signature ${JSON.stringify(sig)} has no "->"`);
  const types = (s: string): number[] => s.split(" ").filter((w) => w !== "").map((w) => {
    const t = VALTYPE[w];
    if (t === undefined) throw new Error(`opcode table: unknown value type ${JSON.stringify(w)}`);
    return t;
  });
  return { operands: types(ins!), results: types(outs) };
}

type Extra = Omit<Partial<Instruction>, "code" | "name" | "imm" | "feature" | "operands" | "results">;
const NO_EXTRA: Extra = {};

/** An instruction of the current {@link feature}; `sig` only for simple ones. */
function op(code: number, name: string, imm: Imm, sig?: string, extra: Extra = NO_EXTRA): void {
  const s = sig === undefined ? undefined : signature(sig);
  // One object shape for every entry (no spreads: this runs once per entry at startup).
  list.push({
    code, name, imm, feature, operands: s?.operands, results: s?.results, align: extra.align, free: extra.free,
    perUnit: extra.perUnit, dataIndex: extra.dataIndex, nanResult: extra.nanResult, lanes: extra.lanes, lowering: extra.lowering,
  });
}

/** A simple instruction without immediates, lowered to internal op `reg` (and `lowering` extras). */
function num(code: number, name: string, sig: string, reg: string, lowering?: Omit<Lowering, "reg">): void {
  const l: Lowering = lowering === undefined ? { reg } : { reg, imm: lowering.imm, commutative: lowering.commutative, mirror: lowering.mirror };
  op(code, name, Imm.none, sig, { lowering: l });
}

/** A float instruction whose NaN results are nondeterministic. */
function numNaN(code: number, name: string, sig: string, reg: string): void {
  op(code, name, Imm.none, sig, { nanResult: true, lowering: { reg } });
}

/** A load or store with natural alignment exponent `align`. */
function mem(code: number, name: string, sig: string, align: number, reg: string): void {
  op(code, name, Imm.memArg, sig, { align, lowering: { reg } });
}

/** An opcode of a refused proposal (decoding it fails with `unsupported` naming `f`). */
function refused(f: Feature, code: number, name: string): void {
  const current = feature;
  feature = f;
  op(code, name, Imm.none);
  feature = current;
}

// ---- control instructions
op(0x00, "unreachable", Imm.none, undefined, { free: true });
op(0x01, "nop", Imm.none, "->", { free: true });
op(0x02, "block", Imm.blockType, undefined, { free: true });
op(0x03, "loop", Imm.blockType, undefined, { free: true });
op(0x04, "if", Imm.blockType);
op(0x05, "else", Imm.none, undefined, { free: true });
// the legacy exception instructions (try/catch/rethrow/delegate, a proposal Wasm 3.0 did not adopt) are refused
refused("legacy exception handling", 0x06, "try");
refused("legacy exception handling", 0x07, "catch");
feature = "exception handling";
op(0x08, "throw", Imm.index);
refused("legacy exception handling", 0x09, "rethrow");
op(0x0a, "throw_ref", Imm.none);
feature = "mvp";
op(0x0b, "end", Imm.none, undefined, { free: true });
op(0x0c, "br", Imm.index);
op(0x0d, "br_if", Imm.index);
op(0x0e, "br_table", Imm.brTable);
op(0x0f, "return", Imm.none, undefined, { free: true });
op(0x10, "call", Imm.index);
op(0x11, "call_indirect", Imm.twoIndices);
feature = "tail calls";
op(0x12, "return_call", Imm.index);
op(0x13, "return_call_indirect", Imm.twoIndices);
feature = "mvp";
feature = "typed function references";
op(0x14, "call_ref", Imm.index);
op(0x15, "return_call_ref", Imm.index);
feature = "mvp";
refused("legacy exception handling", 0x18, "delegate");
refused("legacy exception handling", 0x19, "catch_all");

// ---- parametric instructions
op(0x1a, "drop", Imm.none, undefined, { free: true });
op(0x1b, "select", Imm.none);
feature = "reference types";
op(0x1c, "select_t", Imm.selectT);
feature = "exception handling";
op(0x1f, "try_table", Imm.tryTable);

// ---- variable instructions
feature = "mvp";
op(0x20, "local.get", Imm.index);
op(0x21, "local.set", Imm.index);
op(0x22, "local.tee", Imm.index);
op(0x23, "global.get", Imm.index);
op(0x24, "global.set", Imm.index);

// ---- table instructions
feature = "reference types";
op(0x25, "table.get", Imm.index);
op(0x26, "table.set", Imm.index);

// ---- memory instructions
feature = "mvp";
mem(0x28, "i32.load", "i32 -> i32", 2, "LOAD32");
mem(0x29, "i64.load", "i32 -> i64", 3, "LOAD64");
mem(0x2a, "f32.load", "i32 -> f32", 2, "LOAD32");
mem(0x2b, "f64.load", "i32 -> f64", 3, "LOAD64");
mem(0x2c, "i32.load8_s", "i32 -> i32", 0, "I32_LOAD8_S");
mem(0x2d, "i32.load8_u", "i32 -> i32", 0, "I32_LOAD8_U");
mem(0x2e, "i32.load16_s", "i32 -> i32", 1, "I32_LOAD16_S");
mem(0x2f, "i32.load16_u", "i32 -> i32", 1, "I32_LOAD16_U");
mem(0x30, "i64.load8_s", "i32 -> i64", 0, "I64_LOAD8_S");
mem(0x31, "i64.load8_u", "i32 -> i64", 0, "I64_LOAD8_U");
mem(0x32, "i64.load16_s", "i32 -> i64", 1, "I64_LOAD16_S");
mem(0x33, "i64.load16_u", "i32 -> i64", 1, "I64_LOAD16_U");
mem(0x34, "i64.load32_s", "i32 -> i64", 2, "I64_LOAD32_S");
mem(0x35, "i64.load32_u", "i32 -> i64", 2, "I64_LOAD32_U");
mem(0x36, "i32.store", "i32 i32 ->", 2, "STORE32");
mem(0x37, "i64.store", "i32 i64 ->", 3, "STORE64");
mem(0x38, "f32.store", "i32 f32 ->", 2, "STORE32");
mem(0x39, "f64.store", "i32 f64 ->", 3, "STORE64");
mem(0x3a, "i32.store8", "i32 i32 ->", 0, "STORE8");
mem(0x3b, "i32.store16", "i32 i32 ->", 1, "STORE16");
mem(0x3c, "i64.store8", "i32 i64 ->", 0, "STORE8");
mem(0x3d, "i64.store16", "i32 i64 ->", 1, "STORE16");
mem(0x3e, "i64.store32", "i32 i64 ->", 2, "STORE32");
op(0x3f, "memory.size", Imm.zeroByte, "-> i32");
op(0x40, "memory.grow", Imm.zeroByte, "i32 -> i32", { perUnit: "memoryGrow" });

// ---- numeric instructions: constants
op(0x41, "i32.const", Imm.i32, "-> i32");
op(0x42, "i64.const", Imm.i64, "-> i64");
op(0x43, "f32.const", Imm.f32, "-> f32");
op(0x44, "f64.const", Imm.f64, "-> f64");

// ---- comparisons
num(0x45, "i32.eqz", "i32 -> i32", "I32_EQZ");
num(0x46, "i32.eq", "i32 i32 -> i32", "I32_EQ", { imm: "I32_EQ_IMM", commutative: true, mirror: "i32.eq" });
num(0x47, "i32.ne", "i32 i32 -> i32", "I32_NE", { imm: "I32_NE_IMM", commutative: true, mirror: "i32.ne" });
num(0x48, "i32.lt_s", "i32 i32 -> i32", "I32_LT_S", { imm: "I32_LT_S_IMM", mirror: "i32.gt_s" });
num(0x49, "i32.lt_u", "i32 i32 -> i32", "I32_LT_U", { imm: "I32_LT_U_IMM", mirror: "i32.gt_u" });
num(0x4a, "i32.gt_s", "i32 i32 -> i32", "I32_GT_S", { imm: "I32_GT_S_IMM", mirror: "i32.lt_s" });
num(0x4b, "i32.gt_u", "i32 i32 -> i32", "I32_GT_U", { imm: "I32_GT_U_IMM", mirror: "i32.lt_u" });
num(0x4c, "i32.le_s", "i32 i32 -> i32", "I32_LE_S", { imm: "I32_LE_S_IMM", mirror: "i32.ge_s" });
num(0x4d, "i32.le_u", "i32 i32 -> i32", "I32_LE_U", { imm: "I32_LE_U_IMM", mirror: "i32.ge_u" });
num(0x4e, "i32.ge_s", "i32 i32 -> i32", "I32_GE_S", { imm: "I32_GE_S_IMM", mirror: "i32.le_s" });
num(0x4f, "i32.ge_u", "i32 i32 -> i32", "I32_GE_U", { imm: "I32_GE_U_IMM", mirror: "i32.le_u" });
num(0x50, "i64.eqz", "i64 -> i32", "I64_EQZ");
num(0x51, "i64.eq", "i64 i64 -> i32", "I64_EQ", { commutative: true });
num(0x52, "i64.ne", "i64 i64 -> i32", "I64_NE", { commutative: true });
num(0x53, "i64.lt_s", "i64 i64 -> i32", "I64_LT_S");
num(0x54, "i64.lt_u", "i64 i64 -> i32", "I64_LT_U");
num(0x55, "i64.gt_s", "i64 i64 -> i32", "I64_GT_S");
num(0x56, "i64.gt_u", "i64 i64 -> i32", "I64_GT_U");
num(0x57, "i64.le_s", "i64 i64 -> i32", "I64_LE_S");
num(0x58, "i64.le_u", "i64 i64 -> i32", "I64_LE_U");
num(0x59, "i64.ge_s", "i64 i64 -> i32", "I64_GE_S");
num(0x5a, "i64.ge_u", "i64 i64 -> i32", "I64_GE_U");
num(0x5b, "f32.eq", "f32 f32 -> i32", "F32_EQ");
num(0x5c, "f32.ne", "f32 f32 -> i32", "F32_NE");
num(0x5d, "f32.lt", "f32 f32 -> i32", "F32_LT");
num(0x5e, "f32.gt", "f32 f32 -> i32", "F32_GT");
num(0x5f, "f32.le", "f32 f32 -> i32", "F32_LE");
num(0x60, "f32.ge", "f32 f32 -> i32", "F32_GE");
num(0x61, "f64.eq", "f64 f64 -> i32", "F64_EQ");
num(0x62, "f64.ne", "f64 f64 -> i32", "F64_NE");
num(0x63, "f64.lt", "f64 f64 -> i32", "F64_LT");
num(0x64, "f64.gt", "f64 f64 -> i32", "F64_GT");
num(0x65, "f64.le", "f64 f64 -> i32", "F64_LE");
num(0x66, "f64.ge", "f64 f64 -> i32", "F64_GE");

// ---- i32 arithmetic
num(0x67, "i32.clz", "i32 -> i32", "I32_CLZ");
num(0x68, "i32.ctz", "i32 -> i32", "I32_CTZ");
num(0x69, "i32.popcnt", "i32 -> i32", "I32_POPCNT");
num(0x6a, "i32.add", "i32 i32 -> i32", "I32_ADD", { imm: "I32_ADD_IMM", commutative: true });
num(0x6b, "i32.sub", "i32 i32 -> i32", "I32_SUB");
num(0x6c, "i32.mul", "i32 i32 -> i32", "I32_MUL", { imm: "I32_MUL_IMM", commutative: true });
num(0x6d, "i32.div_s", "i32 i32 -> i32", "I32_DIV_S");
num(0x6e, "i32.div_u", "i32 i32 -> i32", "I32_DIV_U");
num(0x6f, "i32.rem_s", "i32 i32 -> i32", "I32_REM_S");
num(0x70, "i32.rem_u", "i32 i32 -> i32", "I32_REM_U");
num(0x71, "i32.and", "i32 i32 -> i32", "I32_AND", { imm: "I32_AND_IMM", commutative: true });
num(0x72, "i32.or", "i32 i32 -> i32", "I32_OR", { imm: "I32_OR_IMM", commutative: true });
num(0x73, "i32.xor", "i32 i32 -> i32", "I32_XOR", { imm: "I32_XOR_IMM", commutative: true });
num(0x74, "i32.shl", "i32 i32 -> i32", "I32_SHL", { imm: "I32_SHL_IMM" });
num(0x75, "i32.shr_s", "i32 i32 -> i32", "I32_SHR_S", { imm: "I32_SHR_S_IMM" });
num(0x76, "i32.shr_u", "i32 i32 -> i32", "I32_SHR_U", { imm: "I32_SHR_U_IMM" });
num(0x77, "i32.rotl", "i32 i32 -> i32", "I32_ROTL", { imm: "I32_ROTL_IMM" });
num(0x78, "i32.rotr", "i32 i32 -> i32", "I32_ROTR");

// ---- i64 arithmetic
num(0x79, "i64.clz", "i64 -> i64", "I64_CLZ");
num(0x7a, "i64.ctz", "i64 -> i64", "I64_CTZ");
num(0x7b, "i64.popcnt", "i64 -> i64", "I64_POPCNT");
num(0x7c, "i64.add", "i64 i64 -> i64", "I64_ADD", { imm: "I64_ADD_IMM", commutative: true });
num(0x7d, "i64.sub", "i64 i64 -> i64", "I64_SUB");
num(0x7e, "i64.mul", "i64 i64 -> i64", "I64_MUL", { imm: "I64_MUL_IMM", commutative: true });
num(0x7f, "i64.div_s", "i64 i64 -> i64", "I64_DIV_S");
num(0x80, "i64.div_u", "i64 i64 -> i64", "I64_DIV_U");
num(0x81, "i64.rem_s", "i64 i64 -> i64", "I64_REM_S");
num(0x82, "i64.rem_u", "i64 i64 -> i64", "I64_REM_U");
num(0x83, "i64.and", "i64 i64 -> i64", "I64_AND", { imm: "I64_AND_IMM", commutative: true });
num(0x84, "i64.or", "i64 i64 -> i64", "I64_OR", { commutative: true });
num(0x85, "i64.xor", "i64 i64 -> i64", "I64_XOR", { commutative: true });
num(0x86, "i64.shl", "i64 i64 -> i64", "I64_SHL", { imm: "I64_SHL_IMM" });
num(0x87, "i64.shr_s", "i64 i64 -> i64", "I64_SHR_S", { imm: "I64_SHR_S_IMM" });
num(0x88, "i64.shr_u", "i64 i64 -> i64", "I64_SHR_U", { imm: "I64_SHR_U_IMM" });
num(0x89, "i64.rotl", "i64 i64 -> i64", "I64_ROTL");
num(0x8a, "i64.rotr", "i64 i64 -> i64", "I64_ROTR");

// ---- f32 arithmetic
num(0x8b, "f32.abs", "f32 -> f32", "F32_ABS");
num(0x8c, "f32.neg", "f32 -> f32", "F32_NEG");
numNaN(0x8d, "f32.ceil", "f32 -> f32", "F32_CEIL");
numNaN(0x8e, "f32.floor", "f32 -> f32", "F32_FLOOR");
numNaN(0x8f, "f32.trunc", "f32 -> f32", "F32_TRUNC");
numNaN(0x90, "f32.nearest", "f32 -> f32", "F32_NEAREST");
numNaN(0x91, "f32.sqrt", "f32 -> f32", "F32_SQRT");
numNaN(0x92, "f32.add", "f32 f32 -> f32", "F32_ADD");
numNaN(0x93, "f32.sub", "f32 f32 -> f32", "F32_SUB");
numNaN(0x94, "f32.mul", "f32 f32 -> f32", "F32_MUL");
numNaN(0x95, "f32.div", "f32 f32 -> f32", "F32_DIV");
numNaN(0x96, "f32.min", "f32 f32 -> f32", "F32_MIN");
numNaN(0x97, "f32.max", "f32 f32 -> f32", "F32_MAX");
num(0x98, "f32.copysign", "f32 f32 -> f32", "F32_COPYSIGN");

// ---- f64 arithmetic
num(0x99, "f64.abs", "f64 -> f64", "F64_ABS");
num(0x9a, "f64.neg", "f64 -> f64", "F64_NEG");
numNaN(0x9b, "f64.ceil", "f64 -> f64", "F64_CEIL");
numNaN(0x9c, "f64.floor", "f64 -> f64", "F64_FLOOR");
numNaN(0x9d, "f64.trunc", "f64 -> f64", "F64_TRUNC");
numNaN(0x9e, "f64.nearest", "f64 -> f64", "F64_NEAREST");
numNaN(0x9f, "f64.sqrt", "f64 -> f64", "F64_SQRT");
numNaN(0xa0, "f64.add", "f64 f64 -> f64", "F64_ADD");
numNaN(0xa1, "f64.sub", "f64 f64 -> f64", "F64_SUB");
numNaN(0xa2, "f64.mul", "f64 f64 -> f64", "F64_MUL");
numNaN(0xa3, "f64.div", "f64 f64 -> f64", "F64_DIV");
numNaN(0xa4, "f64.min", "f64 f64 -> f64", "F64_MIN");
numNaN(0xa5, "f64.max", "f64 f64 -> f64", "F64_MAX");
num(0xa6, "f64.copysign", "f64 f64 -> f64", "F64_COPYSIGN");

// ---- conversions
num(0xa7, "i32.wrap_i64", "i64 -> i32", "RETYPE"); // the low word already is the i32
num(0xa8, "i32.trunc_f32_s", "f32 -> i32", "I32_TRUNC_F32_S");
num(0xa9, "i32.trunc_f32_u", "f32 -> i32", "I32_TRUNC_F32_U");
num(0xaa, "i32.trunc_f64_s", "f64 -> i32", "I32_TRUNC_F64_S");
num(0xab, "i32.trunc_f64_u", "f64 -> i32", "I32_TRUNC_F64_U");
num(0xac, "i64.extend_i32_s", "i32 -> i64", "I64_EXTEND_I32_S");
num(0xad, "i64.extend_i32_u", "i32 -> i64", "I64_EXTEND_I32_U");
num(0xae, "i64.trunc_f32_s", "f32 -> i64", "I64_TRUNC_F32_S");
num(0xaf, "i64.trunc_f32_u", "f32 -> i64", "I64_TRUNC_F32_U");
num(0xb0, "i64.trunc_f64_s", "f64 -> i64", "I64_TRUNC_F64_S");
num(0xb1, "i64.trunc_f64_u", "f64 -> i64", "I64_TRUNC_F64_U");
num(0xb2, "f32.convert_i32_s", "i32 -> f32", "F32_CONVERT_I32_S");
num(0xb3, "f32.convert_i32_u", "i32 -> f32", "F32_CONVERT_I32_U");
num(0xb4, "f32.convert_i64_s", "i64 -> f32", "F32_CONVERT_I64_S");
num(0xb5, "f32.convert_i64_u", "i64 -> f32", "F32_CONVERT_I64_U");
numNaN(0xb6, "f32.demote_f64", "f64 -> f32", "F32_DEMOTE_F64");
num(0xb7, "f64.convert_i32_s", "i32 -> f64", "F64_CONVERT_I32_S");
num(0xb8, "f64.convert_i32_u", "i32 -> f64", "F64_CONVERT_I32_U");
num(0xb9, "f64.convert_i64_s", "i64 -> f64", "F64_CONVERT_I64_S");
num(0xba, "f64.convert_i64_u", "i64 -> f64", "F64_CONVERT_I64_U");
numNaN(0xbb, "f64.promote_f32", "f32 -> f64", "F64_PROMOTE_F32");
num(0xbc, "i32.reinterpret_f32", "f32 -> i32", "RETYPE");
num(0xbd, "i64.reinterpret_f64", "f64 -> i64", "RETYPE");
num(0xbe, "f32.reinterpret_i32", "i32 -> f32", "RETYPE");
num(0xbf, "f64.reinterpret_i64", "i64 -> f64", "RETYPE");

// ---- sign extension
feature = "sign-extension operators";
num(0xc0, "i32.extend8_s", "i32 -> i32", "I32_EXTEND8_S");
num(0xc1, "i32.extend16_s", "i32 -> i32", "I32_EXTEND16_S");
num(0xc2, "i64.extend8_s", "i64 -> i64", "I64_EXTEND8_S");
num(0xc3, "i64.extend16_s", "i64 -> i64", "I64_EXTEND16_S");
num(0xc4, "i64.extend32_s", "i64 -> i64", "I64_EXTEND32_S");

// ---- reference instructions
feature = "reference types";
op(0xd0, "ref.null", Imm.refType);
op(0xd1, "ref.is_null", Imm.none);
op(0xd2, "ref.func", Imm.index);
refused("GC", 0xd3, "ref.eq");
feature = "typed function references";
op(0xd4, "ref.as_non_null", Imm.none);
op(0xd5, "br_on_null", Imm.index);
op(0xd6, "br_on_non_null", Imm.index);

// ---- 0xFC: saturating truncation
feature = "non-trapping float-to-int conversions";
num(0xfc00, "i32.trunc_sat_f32_s", "f32 -> i32", "I32_TRUNC_SAT_F32_S");
num(0xfc01, "i32.trunc_sat_f32_u", "f32 -> i32", "I32_TRUNC_SAT_F32_U");
num(0xfc02, "i32.trunc_sat_f64_s", "f64 -> i32", "I32_TRUNC_SAT_F64_S");
num(0xfc03, "i32.trunc_sat_f64_u", "f64 -> i32", "I32_TRUNC_SAT_F64_U");
num(0xfc04, "i64.trunc_sat_f32_s", "f32 -> i64", "I64_TRUNC_SAT_F32_S");
num(0xfc05, "i64.trunc_sat_f32_u", "f32 -> i64", "I64_TRUNC_SAT_F32_U");
num(0xfc06, "i64.trunc_sat_f64_s", "f64 -> i64", "I64_TRUNC_SAT_F64_S");
num(0xfc07, "i64.trunc_sat_f64_u", "f64 -> i64", "I64_TRUNC_SAT_F64_U");

// ---- 0xFC: bulk memory and table instructions
feature = "bulk memory";
op(0xfc08, "memory.init", Imm.indexZeroByte, "i32 i32 i32 ->", { dataIndex: true, perUnit: "memoryInit" });
op(0xfc09, "data.drop", Imm.index, undefined, { dataIndex: true });
op(0xfc0a, "memory.copy", Imm.twoZeroBytes, "i32 i32 i32 ->", { perUnit: "memoryCopy" });
op(0xfc0b, "memory.fill", Imm.zeroByte, "i32 i32 i32 ->", { perUnit: "memoryFill" });
op(0xfc0c, "table.init", Imm.twoIndices, undefined, { perUnit: "tableInit" });
op(0xfc0d, "elem.drop", Imm.index);
op(0xfc0e, "table.copy", Imm.twoIndices, undefined, { perUnit: "tableCopy" });
feature = "reference types";
op(0xfc0f, "table.grow", Imm.index, undefined, { perUnit: "tableGrow" });
op(0xfc10, "table.size", Imm.index);
op(0xfc11, "table.fill", Imm.index, undefined, { perUnit: "tableFill" });
refused("memory64 / multi-memory", 0xfc12, "0xfc 18");
refused("memory64 / multi-memory", 0xfc13, "0xfc 19");

// ---- 0xFD: fixed-width SIMD (opcode word SIMD_WORD | sub)
feature = "SIMD";
/** A SIMD instruction with sub-opcode `sub`. */
function v(sub: number, name: string, imm: Imm, sig: string, extra: Extra = NO_EXTRA): void {
  op(SIMD_WORD | sub, name, imm, sig, extra);
}
/** A SIMD instruction without immediates whose NaN results are nondeterministic. */
function vNaN(sub: number, name: string, sig: string): void {
  v(sub, name, Imm.none, sig, { nanResult: true });
}
const V_V = "v128 -> v128", VV_V = "v128 v128 -> v128", VI_V = "v128 i32 -> v128", V_I = "v128 -> i32";
v(0x00, "v128.load", Imm.memArg, "i32 -> v128", { align: 4 });
v(0x01, "v128.load8x8_s", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x02, "v128.load8x8_u", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x03, "v128.load16x4_s", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x04, "v128.load16x4_u", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x05, "v128.load32x2_s", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x06, "v128.load32x2_u", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x07, "v128.load8_splat", Imm.memArg, "i32 -> v128", { align: 0 });
v(0x08, "v128.load16_splat", Imm.memArg, "i32 -> v128", { align: 1 });
v(0x09, "v128.load32_splat", Imm.memArg, "i32 -> v128", { align: 2 });
v(0x0a, "v128.load64_splat", Imm.memArg, "i32 -> v128", { align: 3 });
v(0x0b, "v128.store", Imm.memArg, "i32 v128 ->", { align: 4 });
v(0x0c, "v128.const", Imm.v128, "-> v128");
v(0x0d, "i8x16.shuffle", Imm.shuffle, VV_V, { lanes: 32 });
v(0x0e, "i8x16.swizzle", Imm.none, VV_V);
v(0x0f, "i8x16.splat", Imm.none, "i32 -> v128");
v(0x10, "i16x8.splat", Imm.none, "i32 -> v128");
v(0x11, "i32x4.splat", Imm.none, "i32 -> v128");
v(0x12, "i64x2.splat", Imm.none, "i64 -> v128");
v(0x13, "f32x4.splat", Imm.none, "f32 -> v128");
v(0x14, "f64x2.splat", Imm.none, "f64 -> v128");
v(0x15, "i8x16.extract_lane_s", Imm.lane, V_I, { lanes: 16 });
v(0x16, "i8x16.extract_lane_u", Imm.lane, V_I, { lanes: 16 });
v(0x17, "i8x16.replace_lane", Imm.lane, VI_V, { lanes: 16 });
v(0x18, "i16x8.extract_lane_s", Imm.lane, V_I, { lanes: 8 });
v(0x19, "i16x8.extract_lane_u", Imm.lane, V_I, { lanes: 8 });
v(0x1a, "i16x8.replace_lane", Imm.lane, VI_V, { lanes: 8 });
v(0x1b, "i32x4.extract_lane", Imm.lane, V_I, { lanes: 4 });
v(0x1c, "i32x4.replace_lane", Imm.lane, VI_V, { lanes: 4 });
v(0x1d, "i64x2.extract_lane", Imm.lane, "v128 -> i64", { lanes: 2 });
v(0x1e, "i64x2.replace_lane", Imm.lane, "v128 i64 -> v128", { lanes: 2 });
v(0x1f, "f32x4.extract_lane", Imm.lane, "v128 -> f32", { lanes: 4 });
v(0x20, "f32x4.replace_lane", Imm.lane, "v128 f32 -> v128", { lanes: 4 });
v(0x21, "f64x2.extract_lane", Imm.lane, "v128 -> f64", { lanes: 2 });
v(0x22, "f64x2.replace_lane", Imm.lane, "v128 f64 -> v128", { lanes: 2 });
// comparisons: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u per integer shape, eq ne lt gt le ge per float shape
{
  const intCmp = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
  intCmp.forEach((c, k) => v(0x23 + k, `i8x16.${c}`, Imm.none, VV_V));
  intCmp.forEach((c, k) => v(0x2d + k, `i16x8.${c}`, Imm.none, VV_V));
  intCmp.forEach((c, k) => v(0x37 + k, `i32x4.${c}`, Imm.none, VV_V));
  const floatCmp = ["eq", "ne", "lt", "gt", "le", "ge"];
  floatCmp.forEach((c, k) => v(0x41 + k, `f32x4.${c}`, Imm.none, VV_V));
  floatCmp.forEach((c, k) => v(0x47 + k, `f64x2.${c}`, Imm.none, VV_V));
}
v(0x4d, "v128.not", Imm.none, V_V);
v(0x4e, "v128.and", Imm.none, VV_V);
v(0x4f, "v128.andnot", Imm.none, VV_V);
v(0x50, "v128.or", Imm.none, VV_V);
v(0x51, "v128.xor", Imm.none, VV_V);
v(0x52, "v128.bitselect", Imm.none, "v128 v128 v128 -> v128");
v(0x53, "v128.any_true", Imm.none, V_I);
v(0x54, "v128.load8_lane", Imm.memArgLane, "i32 v128 -> v128", { align: 0, lanes: 16 });
v(0x55, "v128.load16_lane", Imm.memArgLane, "i32 v128 -> v128", { align: 1, lanes: 8 });
v(0x56, "v128.load32_lane", Imm.memArgLane, "i32 v128 -> v128", { align: 2, lanes: 4 });
v(0x57, "v128.load64_lane", Imm.memArgLane, "i32 v128 -> v128", { align: 3, lanes: 2 });
v(0x58, "v128.store8_lane", Imm.memArgLane, "i32 v128 ->", { align: 0, lanes: 16 });
v(0x59, "v128.store16_lane", Imm.memArgLane, "i32 v128 ->", { align: 1, lanes: 8 });
v(0x5a, "v128.store32_lane", Imm.memArgLane, "i32 v128 ->", { align: 2, lanes: 4 });
v(0x5b, "v128.store64_lane", Imm.memArgLane, "i32 v128 ->", { align: 3, lanes: 2 });
v(0x5c, "v128.load32_zero", Imm.memArg, "i32 -> v128", { align: 2 });
v(0x5d, "v128.load64_zero", Imm.memArg, "i32 -> v128", { align: 3 });
vNaN(0x5e, "f32x4.demote_f64x2_zero", V_V);
vNaN(0x5f, "f64x2.promote_low_f32x4", V_V);
v(0x60, "i8x16.abs", Imm.none, V_V);
v(0x61, "i8x16.neg", Imm.none, V_V);
v(0x62, "i8x16.popcnt", Imm.none, V_V);
v(0x63, "i8x16.all_true", Imm.none, V_I);
v(0x64, "i8x16.bitmask", Imm.none, V_I);
v(0x65, "i8x16.narrow_i16x8_s", Imm.none, VV_V);
v(0x66, "i8x16.narrow_i16x8_u", Imm.none, VV_V);
vNaN(0x67, "f32x4.ceil", V_V);
vNaN(0x68, "f32x4.floor", V_V);
vNaN(0x69, "f32x4.trunc", V_V);
vNaN(0x6a, "f32x4.nearest", V_V);
v(0x6b, "i8x16.shl", Imm.none, VI_V);
v(0x6c, "i8x16.shr_s", Imm.none, VI_V);
v(0x6d, "i8x16.shr_u", Imm.none, VI_V);
v(0x6e, "i8x16.add", Imm.none, VV_V);
v(0x6f, "i8x16.add_sat_s", Imm.none, VV_V);
v(0x70, "i8x16.add_sat_u", Imm.none, VV_V);
v(0x71, "i8x16.sub", Imm.none, VV_V);
v(0x72, "i8x16.sub_sat_s", Imm.none, VV_V);
v(0x73, "i8x16.sub_sat_u", Imm.none, VV_V);
vNaN(0x74, "f64x2.ceil", V_V);
vNaN(0x75, "f64x2.floor", V_V);
v(0x76, "i8x16.min_s", Imm.none, VV_V);
v(0x77, "i8x16.min_u", Imm.none, VV_V);
v(0x78, "i8x16.max_s", Imm.none, VV_V);
v(0x79, "i8x16.max_u", Imm.none, VV_V);
vNaN(0x7a, "f64x2.trunc", V_V);
v(0x7b, "i8x16.avgr_u", Imm.none, VV_V);
v(0x7c, "i16x8.extadd_pairwise_i8x16_s", Imm.none, V_V);
v(0x7d, "i16x8.extadd_pairwise_i8x16_u", Imm.none, V_V);
v(0x7e, "i32x4.extadd_pairwise_i16x8_s", Imm.none, V_V);
v(0x7f, "i32x4.extadd_pairwise_i16x8_u", Imm.none, V_V);
v(0x80, "i16x8.abs", Imm.none, V_V);
v(0x81, "i16x8.neg", Imm.none, V_V);
v(0x82, "i16x8.q15mulr_sat_s", Imm.none, VV_V);
v(0x83, "i16x8.all_true", Imm.none, V_I);
v(0x84, "i16x8.bitmask", Imm.none, V_I);
v(0x85, "i16x8.narrow_i32x4_s", Imm.none, VV_V);
v(0x86, "i16x8.narrow_i32x4_u", Imm.none, VV_V);
v(0x87, "i16x8.extend_low_i8x16_s", Imm.none, V_V);
v(0x88, "i16x8.extend_high_i8x16_s", Imm.none, V_V);
v(0x89, "i16x8.extend_low_i8x16_u", Imm.none, V_V);
v(0x8a, "i16x8.extend_high_i8x16_u", Imm.none, V_V);
v(0x8b, "i16x8.shl", Imm.none, VI_V);
v(0x8c, "i16x8.shr_s", Imm.none, VI_V);
v(0x8d, "i16x8.shr_u", Imm.none, VI_V);
v(0x8e, "i16x8.add", Imm.none, VV_V);
v(0x8f, "i16x8.add_sat_s", Imm.none, VV_V);
v(0x90, "i16x8.add_sat_u", Imm.none, VV_V);
v(0x91, "i16x8.sub", Imm.none, VV_V);
v(0x92, "i16x8.sub_sat_s", Imm.none, VV_V);
v(0x93, "i16x8.sub_sat_u", Imm.none, VV_V);
vNaN(0x94, "f64x2.nearest", V_V);
v(0x95, "i16x8.mul", Imm.none, VV_V);
v(0x96, "i16x8.min_s", Imm.none, VV_V);
v(0x97, "i16x8.min_u", Imm.none, VV_V);
v(0x98, "i16x8.max_s", Imm.none, VV_V);
v(0x99, "i16x8.max_u", Imm.none, VV_V);
v(0x9b, "i16x8.avgr_u", Imm.none, VV_V);
v(0x9c, "i16x8.extmul_low_i8x16_s", Imm.none, VV_V);
v(0x9d, "i16x8.extmul_high_i8x16_s", Imm.none, VV_V);
v(0x9e, "i16x8.extmul_low_i8x16_u", Imm.none, VV_V);
v(0x9f, "i16x8.extmul_high_i8x16_u", Imm.none, VV_V);
v(0xa0, "i32x4.abs", Imm.none, V_V);
v(0xa1, "i32x4.neg", Imm.none, V_V);
v(0xa3, "i32x4.all_true", Imm.none, V_I);
v(0xa4, "i32x4.bitmask", Imm.none, V_I);
v(0xa7, "i32x4.extend_low_i16x8_s", Imm.none, V_V);
v(0xa8, "i32x4.extend_high_i16x8_s", Imm.none, V_V);
v(0xa9, "i32x4.extend_low_i16x8_u", Imm.none, V_V);
v(0xaa, "i32x4.extend_high_i16x8_u", Imm.none, V_V);
v(0xab, "i32x4.shl", Imm.none, VI_V);
v(0xac, "i32x4.shr_s", Imm.none, VI_V);
v(0xad, "i32x4.shr_u", Imm.none, VI_V);
v(0xae, "i32x4.add", Imm.none, VV_V);
v(0xb1, "i32x4.sub", Imm.none, VV_V);
v(0xb5, "i32x4.mul", Imm.none, VV_V);
v(0xb6, "i32x4.min_s", Imm.none, VV_V);
v(0xb7, "i32x4.min_u", Imm.none, VV_V);
v(0xb8, "i32x4.max_s", Imm.none, VV_V);
v(0xb9, "i32x4.max_u", Imm.none, VV_V);
v(0xba, "i32x4.dot_i16x8_s", Imm.none, VV_V);
v(0xbc, "i32x4.extmul_low_i16x8_s", Imm.none, VV_V);
v(0xbd, "i32x4.extmul_high_i16x8_s", Imm.none, VV_V);
v(0xbe, "i32x4.extmul_low_i16x8_u", Imm.none, VV_V);
v(0xbf, "i32x4.extmul_high_i16x8_u", Imm.none, VV_V);
v(0xc0, "i64x2.abs", Imm.none, V_V);
v(0xc1, "i64x2.neg", Imm.none, V_V);
v(0xc3, "i64x2.all_true", Imm.none, V_I);
v(0xc4, "i64x2.bitmask", Imm.none, V_I);
v(0xc7, "i64x2.extend_low_i32x4_s", Imm.none, V_V);
v(0xc8, "i64x2.extend_high_i32x4_s", Imm.none, V_V);
v(0xc9, "i64x2.extend_low_i32x4_u", Imm.none, V_V);
v(0xca, "i64x2.extend_high_i32x4_u", Imm.none, V_V);
v(0xcb, "i64x2.shl", Imm.none, VI_V);
v(0xcc, "i64x2.shr_s", Imm.none, VI_V);
v(0xcd, "i64x2.shr_u", Imm.none, VI_V);
v(0xce, "i64x2.add", Imm.none, VV_V);
v(0xd1, "i64x2.sub", Imm.none, VV_V);
v(0xd5, "i64x2.mul", Imm.none, VV_V);
v(0xd6, "i64x2.eq", Imm.none, VV_V);
v(0xd7, "i64x2.ne", Imm.none, VV_V);
v(0xd8, "i64x2.lt_s", Imm.none, VV_V);
v(0xd9, "i64x2.gt_s", Imm.none, VV_V);
v(0xda, "i64x2.le_s", Imm.none, VV_V);
v(0xdb, "i64x2.ge_s", Imm.none, VV_V);
v(0xdc, "i64x2.extmul_low_i32x4_s", Imm.none, VV_V);
v(0xdd, "i64x2.extmul_high_i32x4_s", Imm.none, VV_V);
v(0xde, "i64x2.extmul_low_i32x4_u", Imm.none, VV_V);
v(0xdf, "i64x2.extmul_high_i32x4_u", Imm.none, VV_V);
v(0xe0, "f32x4.abs", Imm.none, V_V);
v(0xe1, "f32x4.neg", Imm.none, V_V);
vNaN(0xe3, "f32x4.sqrt", V_V);
vNaN(0xe4, "f32x4.add", VV_V);
vNaN(0xe5, "f32x4.sub", VV_V);
vNaN(0xe6, "f32x4.mul", VV_V);
vNaN(0xe7, "f32x4.div", VV_V);
vNaN(0xe8, "f32x4.min", VV_V);
vNaN(0xe9, "f32x4.max", VV_V);
v(0xea, "f32x4.pmin", Imm.none, VV_V);
v(0xeb, "f32x4.pmax", Imm.none, VV_V);
v(0xec, "f64x2.abs", Imm.none, V_V);
v(0xed, "f64x2.neg", Imm.none, V_V);
vNaN(0xef, "f64x2.sqrt", V_V);
vNaN(0xf0, "f64x2.add", VV_V);
vNaN(0xf1, "f64x2.sub", VV_V);
vNaN(0xf2, "f64x2.mul", VV_V);
vNaN(0xf3, "f64x2.div", VV_V);
vNaN(0xf4, "f64x2.min", VV_V);
vNaN(0xf5, "f64x2.max", VV_V);
v(0xf6, "f64x2.pmin", Imm.none, VV_V);
v(0xf7, "f64x2.pmax", Imm.none, VV_V);
v(0xf8, "i32x4.trunc_sat_f32x4_s", Imm.none, V_V);
v(0xf9, "i32x4.trunc_sat_f32x4_u", Imm.none, V_V);
v(0xfa, "f32x4.convert_i32x4_s", Imm.none, V_V);
v(0xfb, "f32x4.convert_i32x4_u", Imm.none, V_V);
v(0xfc, "i32x4.trunc_sat_f64x2_s_zero", Imm.none, V_V);
v(0xfd, "i32x4.trunc_sat_f64x2_u_zero", Imm.none, V_V);
v(0xfe, "f64x2.convert_low_i32x4_s", Imm.none, V_V);
v(0xff, "f64x2.convert_low_i32x4_u", Imm.none, V_V);

// ---- 0xFD 0x100..0x113: relaxed SIMD, with the results of the spec's deterministic profile
// (every choice parameter 0; `execute/simd.ts` says what each one computes)
feature = "relaxed SIMD";
const VVV_V = "v128 v128 v128 -> v128";
v(0x100, "i8x16.relaxed_swizzle", Imm.none, VV_V);
v(0x101, "i32x4.relaxed_trunc_f32x4_s", Imm.none, V_V);
v(0x102, "i32x4.relaxed_trunc_f32x4_u", Imm.none, V_V);
v(0x103, "i32x4.relaxed_trunc_f64x2_s_zero", Imm.none, V_V);
v(0x104, "i32x4.relaxed_trunc_f64x2_u_zero", Imm.none, V_V);
vNaN(0x105, "f32x4.relaxed_madd", VVV_V);
vNaN(0x106, "f32x4.relaxed_nmadd", VVV_V);
vNaN(0x107, "f64x2.relaxed_madd", VVV_V);
vNaN(0x108, "f64x2.relaxed_nmadd", VVV_V);
v(0x109, "i8x16.relaxed_laneselect", Imm.none, VVV_V);
v(0x10a, "i16x8.relaxed_laneselect", Imm.none, VVV_V);
v(0x10b, "i32x4.relaxed_laneselect", Imm.none, VVV_V);
v(0x10c, "i64x2.relaxed_laneselect", Imm.none, VVV_V);
vNaN(0x10d, "f32x4.relaxed_min", VV_V);
vNaN(0x10e, "f32x4.relaxed_max", VV_V);
vNaN(0x10f, "f64x2.relaxed_min", VV_V);
vNaN(0x110, "f64x2.relaxed_max", VV_V);
v(0x111, "i16x8.relaxed_q15mulr_s", Imm.none, VV_V);
v(0x112, "i16x8.relaxed_dot_i8x16_i7x16_s", Imm.none, VV_V);
v(0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", Imm.none, VVV_V);

/** Every instruction of the table, in opcode order (refused ones included: check `feature`). */
export const INSTRUCTIONS: readonly Instruction[] = list;

/** Operator index of the SIMD instruction with sub-opcode 0 ({@link operatorIndex}). */
export const SIMD_INDEX = 0x200;

/** Size of the operator index space ({@link operatorIndex}). */
export const OPERATOR_COUNT = SIMD_INDEX + SIMD_SUBS;

/**
 * Dense index of an opcode word: the byte for single-byte opcodes, `0x100 + sub` for 0xFC ones,
 * `0x200 + sub` for 0xFD (SIMD) ones (the cost tables and the per-opcode arrays of every stage are
 * indexed by it).
 */
export function operatorIndex(word: number): number {
  return word >= SIMD_WORD ? SIMD_INDEX + (word & 0xfff) : word >= 0xfc00 ? 0x100 + (word & 0xff) : word;
}

/** The instruction at each operator index (undefined when the opcode is unknown). */
export const BY_INDEX: readonly (Instruction | undefined)[] = (() => {
  const a: (Instruction | undefined)[] = new Array<Instruction | undefined>(OPERATOR_COUNT).fill(undefined);
  for (const ins of list) {
    const i = operatorIndex(ins.code);
    if (a[i] !== undefined) throw new Error(`opcode table: opcode 0x${ins.code.toString(16)} listed twice`);
    a[i] = ins;
  }
  return a;
})();

/** The implemented instructions by text name. */
export const BY_NAME: ReadonlyMap<string, Instruction> = new Map(list.filter((i) => SUPPORTED_FEATURES.has(i.feature)).map((i) => [i.name, i]));

/** Whether `ins` is implemented (its feature is supported). */
export function isSupported(ins: Instruction | undefined): ins is Instruction {
  return ins !== undefined && SUPPORTED_FEATURES.has(ins.feature);
}
