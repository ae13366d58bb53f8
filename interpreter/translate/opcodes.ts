/**
 * The internal instruction set run by the executor (`execute/loop.ts`): register-style ops over
 * frame-relative value slots. Every op is laid out in the module's code `Int32Array` as
 *
 *     [opcode, fuelCost, operand...]
 *
 * - `fuelCost` is the sum of the cost-table entries of the wasm instructions the op stands for
 *   (fuel.md §6), charged before the op runs. When it is the sum of several wasm instructions the
 *   translator records the split in `CompiledModule.fuelSplits` (used only on the exact slow path).
 * - Slot operands (`d` destination, `a`/`b`/`c` sources) are **word** offsets from the frame base
 *   (slot k of the frame = words 2k, 2k+1; see docs/architecture.md "Value slots").
 * - `imm` operands are int32 immediates; `t` operands are absolute code indices (branch targets).
 *
 * The executor's `switch` uses the numeric values literally (V8 only builds a jump table for
 * literal case labels); `test/interpreter/engine-opcodes.test.ts` checks that every `case N:` in
 * the loop carries the name this table gives N.
 */

/** [name, operand count] in opcode order. BR_TABLE has a variable length (see its handler). */
const TABLE = [
  // control
  ["NOP", 0], // does nothing (its cost is charged with its block)
  ["ENTER", 0], // ends this fuel block (before a label reached with pending fuel, or a block split at FUEL_WINDOW), charges the next
  ["OOF_STOP", 0], // temporarily written over an op where fuel runs out inside a block (fuel.ts)
  ["UNREACHABLE", 0],
  ["BR", 1], // t
  ["BR_IF", 2], // c t : jump if s32[c] != 0
  ["BR_UNLESS", 2], // c t : jump if s32[c] == 0
  ["BR_TABLE", 2], // i n, then n+1 targets
  ["RETURN", 2], // src count : copy count slots from src to frame slot 0, return
  ["RETURN_REFS", 2], // same, also copies references
  ["RETURN1", 1], // src : one numeric result, copied from slot src to frame slot 0, return
  ["CALL", 2], // defIndex argBase
  ["CALL_IMPORT", 2], // funcIndex argBase
  ["CALL_INDIRECT", 4], // typeIndex tableIndex idx argBase
  // fused i32 compare + branch: jump if a OP b
  ["BR_I32_EQ", 3], ["BR_I32_NE", 3], ["BR_I32_LT_S", 3], ["BR_I32_LT_U", 3], ["BR_I32_GT_S", 3],
  ["BR_I32_GT_U", 3], ["BR_I32_LE_S", 3], ["BR_I32_LE_U", 3], ["BR_I32_GE_S", 3], ["BR_I32_GE_U", 3],
  // same with b an immediate: a imm t
  ["BR_I32_EQ_IMM", 3], ["BR_I32_NE_IMM", 3], ["BR_I32_LT_S_IMM", 3], ["BR_I32_LT_U_IMM", 3], ["BR_I32_GT_S_IMM", 3],
  ["BR_I32_GT_U_IMM", 3], ["BR_I32_LE_S_IMM", 3], ["BR_I32_LE_U_IMM", 3], ["BR_I32_GE_S_IMM", 3], ["BR_I32_GE_U_IMM", 3],
  // moves and constants
  ["MOV", 2], // d a (both words)
  ["MOV_REF", 2],
  ["CONST32", 2], // d imm
  ["CONST64", 3], // d lo hi
  ["REF_NULL", 1], // d
  ["REF_FUNC", 2], // d funcIndex
  ["REF_IS_NULL", 2], // d a
  ["SELECT", 4], // d a b c : d = s32[c] ? a : b
  ["SELECT_REF", 4],
  ["GLOBAL_GET", 2], // d g
  ["GLOBAL_SET", 2], // g a
  ["GLOBAL_GET_REF", 2],
  ["GLOBAL_SET_REF", 2],
  // i32 binary: d a b
  ["I32_ADD", 3], ["I32_SUB", 3], ["I32_MUL", 3], ["I32_DIV_S", 3], ["I32_DIV_U", 3], ["I32_REM_S", 3],
  ["I32_REM_U", 3], ["I32_AND", 3], ["I32_OR", 3], ["I32_XOR", 3], ["I32_SHL", 3], ["I32_SHR_S", 3],
  ["I32_SHR_U", 3], ["I32_ROTL", 3], ["I32_ROTR", 3],
  ["I32_EQ", 3], ["I32_NE", 3], ["I32_LT_S", 3], ["I32_LT_U", 3], ["I32_GT_S", 3], ["I32_GT_U", 3],
  ["I32_LE_S", 3], ["I32_LE_U", 3], ["I32_GE_S", 3], ["I32_GE_U", 3],
  // i32 binary with immediate: d a imm
  ["I32_ADD_IMM", 3], ["I32_MUL_IMM", 3], ["I32_AND_IMM", 3], ["I32_OR_IMM", 3], ["I32_XOR_IMM", 3],
  ["I32_SHL_IMM", 3], ["I32_SHR_S_IMM", 3], ["I32_SHR_U_IMM", 3], ["I32_ROTL_IMM", 3],
  ["I32_EQ_IMM", 3], ["I32_NE_IMM", 3], ["I32_LT_S_IMM", 3], ["I32_LT_U_IMM", 3], ["I32_GT_S_IMM", 3],
  ["I32_GT_U_IMM", 3], ["I32_LE_S_IMM", 3], ["I32_LE_U_IMM", 3], ["I32_GE_S_IMM", 3], ["I32_GE_U_IMM", 3],
  ["I32_SUB_FROM_IMM", 3], // d a imm : imm - a
  // i32 unary: d a
  ["I32_EQZ", 2], ["I32_CLZ", 2], ["I32_CTZ", 2], ["I32_POPCNT", 2], ["I32_EXTEND8_S", 2], ["I32_EXTEND16_S", 2],
  // i64 binary: d a b
  ["I64_ADD", 3], ["I64_SUB", 3], ["I64_MUL", 3], ["I64_DIV_S", 3], ["I64_DIV_U", 3], ["I64_REM_S", 3],
  ["I64_REM_U", 3], ["I64_AND", 3], ["I64_OR", 3], ["I64_XOR", 3], ["I64_SHL", 3], ["I64_SHR_S", 3],
  ["I64_SHR_U", 3], ["I64_ROTL", 3], ["I64_ROTR", 3],
  ["I64_EQ", 3], ["I64_NE", 3], ["I64_LT_S", 3], ["I64_LT_U", 3], ["I64_GT_S", 3], ["I64_GT_U", 3],
  ["I64_LE_S", 3], ["I64_LE_U", 3], ["I64_GE_S", 3], ["I64_GE_U", 3],
  // i64 with a 64-bit immediate: d a lo hi
  ["I64_ADD_IMM", 4], ["I64_MUL_IMM", 4], ["I64_AND_IMM", 4], ["I64_SHL_IMM", 4], ["I64_SHR_U_IMM", 4], ["I64_SHR_S_IMM", 4],
  // i64 unary: d a
  ["I64_EQZ", 2], ["I64_CLZ", 2], ["I64_CTZ", 2], ["I64_POPCNT", 2], ["I64_EXTEND8_S", 2], ["I64_EXTEND16_S", 2],
  ["I64_EXTEND32_S", 2], ["I32_WRAP_I64", 2], ["I64_EXTEND_I32_S", 2], ["I64_EXTEND_I32_U", 2],
  // f32: d a b / d a
  ["F32_ADD", 3], ["F32_SUB", 3], ["F32_MUL", 3], ["F32_DIV", 3], ["F32_MIN", 3], ["F32_MAX", 3], ["F32_COPYSIGN", 3],
  ["F32_EQ", 3], ["F32_NE", 3], ["F32_LT", 3], ["F32_GT", 3], ["F32_LE", 3], ["F32_GE", 3],
  ["F32_ABS", 2], ["F32_NEG", 2], ["F32_CEIL", 2], ["F32_FLOOR", 2], ["F32_TRUNC", 2], ["F32_NEAREST", 2], ["F32_SQRT", 2],
  // f64
  ["F64_ADD", 3], ["F64_SUB", 3], ["F64_MUL", 3], ["F64_DIV", 3], ["F64_MIN", 3], ["F64_MAX", 3], ["F64_COPYSIGN", 3],
  ["F64_EQ", 3], ["F64_NE", 3], ["F64_LT", 3], ["F64_GT", 3], ["F64_LE", 3], ["F64_GE", 3],
  ["F64_ABS", 2], ["F64_NEG", 2], ["F64_CEIL", 2], ["F64_FLOOR", 2], ["F64_TRUNC", 2], ["F64_NEAREST", 2], ["F64_SQRT", 2],
  // conversions: d a
  ["I32_TRUNC_F32_S", 2], ["I32_TRUNC_F32_U", 2], ["I32_TRUNC_F64_S", 2], ["I32_TRUNC_F64_U", 2],
  ["I64_TRUNC_F32_S", 2], ["I64_TRUNC_F32_U", 2], ["I64_TRUNC_F64_S", 2], ["I64_TRUNC_F64_U", 2],
  ["F32_CONVERT_I32_S", 2], ["F32_CONVERT_I32_U", 2], ["F32_CONVERT_I64_S", 2], ["F32_CONVERT_I64_U", 2],
  ["F32_DEMOTE_F64", 2],
  ["F64_CONVERT_I32_S", 2], ["F64_CONVERT_I32_U", 2], ["F64_CONVERT_I64_S", 2], ["F64_CONVERT_I64_U", 2],
  ["F64_PROMOTE_F32", 2],
  ["I32_TRUNC_SAT_F32_S", 2], ["I32_TRUNC_SAT_F32_U", 2], ["I32_TRUNC_SAT_F64_S", 2], ["I32_TRUNC_SAT_F64_U", 2],
  ["I64_TRUNC_SAT_F32_S", 2], ["I64_TRUNC_SAT_F32_U", 2], ["I64_TRUNC_SAT_F64_S", 2], ["I64_TRUNC_SAT_F64_U", 2],
  // loads: d a c offset, effective address ((s32[a] + c) mod 2^32) + offset (f32/f64 loads are LOAD32/LOAD64: bits only)
  ["LOAD32", 4], ["LOAD64", 4], ["I32_LOAD8_S", 4], ["I32_LOAD8_U", 4], ["I32_LOAD16_S", 4], ["I32_LOAD16_U", 4],
  ["I64_LOAD8_S", 4], ["I64_LOAD8_U", 4], ["I64_LOAD16_S", 4], ["I64_LOAD16_U", 4], ["I64_LOAD32_S", 4], ["I64_LOAD32_U", 4],
  // stores: a v c offset (address as for loads)
  ["STORE32", 4], ["STORE64", 4], ["STORE8", 4], ["STORE16", 4],
  // fused i64 compare + branch: a b t (jump if a OP b); and a t for eqz/nez
  ["BR_I64_EQ", 3], ["BR_I64_NE", 3], ["BR_I64_LT_S", 3], ["BR_I64_LT_U", 3], ["BR_I64_GT_S", 3],
  ["BR_I64_GT_U", 3], ["BR_I64_LE_S", 3], ["BR_I64_LE_U", 3], ["BR_I64_GE_S", 3], ["BR_I64_GE_U", 3],
  ["BR_I64_EQZ", 2], ["BR_I64_NEZ", 2],
  // loads/stores addressed by the sum of two slots: d a b offset / a b v offset
  ["I32_LOAD8_U_RR", 4], ["LOAD32_RR", 4], ["STORE8_RR", 4], ["STORE32_RR", 4],
  // fused loop step: d = a + c; jump to t if (d OP b). kind = BR_I32_* opcode - BR_I32_EQ (0..19; >= 10: b immediate)
  ["ADD_IMM_BR", 6], // d a c kind b t
  // memory
  ["MEMORY_SIZE", 1], // d
  ["MEMORY_GROW", 2], // d a
  ["MEMORY_FILL", 3], // d v n
  ["MEMORY_COPY", 3], // d s n
  ["MEMORY_INIT", 4], // seg d s n
  ["DATA_DROP", 1], // seg
  // tables
  ["TABLE_GET", 3], // d table i
  ["TABLE_SET", 3], // table i v
  ["TABLE_SIZE", 2], // d table
  ["TABLE_GROW", 4], // d table init n
  ["TABLE_FILL", 4], // table i v n
  ["TABLE_COPY", 5], // dstTable srcTable d s n
  ["TABLE_INIT", 5], // seg table d s n
  ["ELEM_DROP", 1], // seg
  // more fusions (appended so that earlier numbers stay put)
  ["F64_MUL_ADD", 4], // d a b c : d = a * b + c (two roundings, as f64.mul then f64.add)
  ["I64_ADD_BR", 6], // d a b kind c t : d = a + b; jump to t if d OP c, OP = BR_I64_EQ + kind (0..9)
  ["I64_ADD_IMM_BR", 7], // d a lo hi kind c t : same with b the immediate (lo, hi)
  // more loads/stores addressed by the sum of two slots: d a b offset / a b v offset
  ["I32_LOAD8_S_RR", 4], ["I32_LOAD16_S_RR", 4], ["I32_LOAD16_U_RR", 4], ["LOAD64_RR", 4], ["STORE16_RR", 4], ["STORE64_RR", 4],
  // NaN canonicalisation (emitted after float arithmetic only when the store asks for it)
  ["CANON_F32", 1], // d : a NaN in f32 slot d becomes 0x7fc00000
  ["CANON_F64", 1], // d : a NaN in f64 slot d becomes 0x7ff8000000000000
  // every fixed-width SIMD instruction (execute/simd.ts, translate/simd.ts): len sub operand...,
  // len = the op's whole length in words, sub = the SIMD sub-op (translate/simd.ts numbers them)
  ["SIMD", 1],
  // tail calls: move the pw argument words at argBase to the frame base (and their references when
  // refs != 0) and enter the callee in this frame. A RETURN of the callee's results from argBase
  // follows the IMPORT/INDIRECT forms: the path taken when the target is a host function.
  ["RETURN_CALL", 4], // defIndex argBase pw refs
  ["RETURN_CALL_IMPORT", 4], // funcIndex argBase pw refs
  ["RETURN_CALL_INDIRECT", 6], // typeIndex tableIndex idx argBase pw refs
  // memories other than 0 (multi-memory; memory 0 keeps the ops above), run by rare.ts
  ["MEM_LOAD_N", 5], // d a offset memory wasmOpcode : address s32[a] + offset
  ["MEM_STORE_N", 5], // a v offset memory wasmOpcode
  ["MEMORY_SIZE_N", 2], // d memory
  ["MEMORY_GROW_N", 3], // d a memory
  ["MEMORY_FILL_N", 4], // d v n memory
  ["MEMORY_COPY_N", 5], // d s n dstMemory srcMemory
  ["MEMORY_INIT_N", 5], // seg d s n memory
  // exception handling (execute/rare.ts raises, execute/exceptions.ts finds the handler)
  ["THROW", 2], // tagIndex argBase : a new exception of tag tagIndex, payload from argBase on
  ["THROW_REF", 1], // a : the exception refs[a] again (null traps)
  // 64-bit memories (memory64; any memory index, memory 0 included), run by rare.ts: an i64
  // address/size/delta lives in two words, offsets are u64 (low and high immediate words)
  ["MEM64_LOAD", 6], // d a offLo offHi memory wasmOpcode : address s32[a], s32[a + 1] + offset
  ["MEM64_STORE", 6], // a v offLo offHi memory wasmOpcode
  ["MEMORY64_SIZE", 2], // d memory : an i64 result
  ["MEMORY64_GROW", 3], // d a memory : i64 delta, i64 result
  ["MEMORY64_FILL", 4], // d v n memory : d, n i64
  ["MEMORY64_COPY", 5], // d s n dstMemory srcMemory : each operand of its memory's address type (n: i64 only when both are)
  ["MEMORY64_INIT", 5], // seg d s n memory : d i64, s and n i32
  // 64-bit tables (table64), run by rare.ts: an i64 index or count narrowed in front of the
  // table op that takes it (so the table ops and their traps stay those of 32-bit tables)
  ["INDEX64", 2], // d a : s32[d] = s32[a] when s32[a + 1] == 0, else 2^32-1 (out of bounds of every table)
  ["TABLE64_GROW", 4], // d table init n : n an i64 delta, an i64 result
  // typed function references (execute/rare.ts). call_ref / return_call_ref are CALL_REF_TARGET
  // followed by CALL_INDIRECT / RETURN_CALL_INDIRECT (cost 0) through the instance's hidden
  // call_ref table (table index = the module's table count; element 0, index slot a)
  ["CALL_REF_TARGET", 2], // a table : refs[a] (null traps) into element 0 of the hidden table, s32[a] = 0
  ["REF_AS_NON_NULL", 1], // a : traps when refs[a] is null
  // the hottest SIMD sub-ops (of the simd128 workload, bench/README.md "SIMD") as loop cases of
  // their own (translate/simd.ts SIMD_FAST): the operands of their SIMD form without len and sub.
  // A v128 slot is words w..w+3; each result word depends only on the same words of the operands
  // (but for the shuffle, which reads both operands first), so a destination may be an operand.
  // (only the sub-ops of 5 % and more of its SIMD ops: every case makes the loop longer, and V8
  // waits the longer before it first optimises it, for every guest)
  ["V128_AND", 3], // d a b
  ["I32X4_ADD", 3], ["I32X4_MUL", 3], // d a b
  ["I32X4_SHR_U", 3], // d a n : lanes of a shifted right by s32[n] mod 32
  ["I32X4_SPLAT", 2], // d a : four copies of s32[a]
  ["I8X16_EQ", 3], // d a b : bytes 0xff where equal, else 0
  ["I8X16_SHUFFLE", 7], // d a b l0 l1 l2 l3 : byte 4w+k of d is byte (lw >>> 8k) & 31 of a:b (0..15 a, 16..31 b)
  // and the v128 loads and stores of memory 0 (a 32-bit memory), laid out as the scalar ones
  // (the address s32[a] + c + offset; c is 0: the translator folds nothing into it)
  ["V128_LOAD", 4], // d a c offset
  ["V128_LOAD64_ZERO", 4], // d a c offset : the low 8 bytes, the high ones 0
  ["V128_STORE", 4], // a v c offset
  // i64 rotates by a constant k in 1..31 (64-bit hash code: SHA-512, BLAKE2b, xxh64, Keccak; 5.6
  // million in hash-wasm's run). A rotate by 33..63 is one the other way by 64 - k, one by 32 swaps
  // the halves (BLAKE2b's first rotate); by 0 (mod 64) it stays I64_ROTL / I64_ROTR (rare.ts)
  ["I64_ROTL_IMM", 3], // d a k
  ["I64_ROTR_IMM", 3], // d a k
  ["I64_ROT32", 2], // d a : the halves of a swapped
] as const;

/**
 * Pairs of adjacent ops of one basic block, fused after a function is translated
 * (translate/pairs.ts), chosen from the op mix of the whole bench suite and CoreMark (bench/op-mix.tsv):
 * [name, first op, second op]. A pair's opcodes follow the table above. Its layout is the first
 * op's operands, then the whole second op in place (its opcode and cost words are not read by the
 * pair), so its operand count is derived: first's + 2 + second's. The first op never traps and
 * never ends a block; the pair ends a block when its second op does. The loop runs a pair either
 * in one case (both halves written out), or runs the first half and falls through into the second
 * op's own case with `pc` at the second op's words: then a trap, an unaligned access or a taken
 * branch of the second half is the second op's, at its own pc.
 */
const PAIR_TABLE = [
  ["MOV2", "MOV", "MOV"],
  ["I32_ADD_IMM2", "I32_ADD_IMM", "I32_ADD_IMM"],
  ["I32_ADD2", "I32_ADD", "I32_ADD"],
  ["I32_SHL_IMM_THEN_I32_XOR", "I32_SHL_IMM", "I32_XOR"],
  ["I32_ROTL_IMM_THEN_I32_XOR", "I32_ROTL_IMM", "I32_XOR"],
  ["I32_SHR_U_IMM_THEN_I32_XOR", "I32_SHR_U_IMM", "I32_XOR"],
  ["I32_MUL_IMM_THEN_I32_ADD", "I32_MUL_IMM", "I32_ADD"],
  ["F64_MUL2", "F64_MUL", "F64_MUL"],
  ["F64_MUL_THEN_LOAD64", "F64_MUL", "LOAD64"],
  ["I32_SHL_IMM_THEN_LOAD32", "I32_SHL_IMM", "LOAD32"],
  ["I32_ADD_IMM_THEN_ADD_IMM_BR", "I32_ADD_IMM", "ADD_IMM_BR"],
  ["I32_ADD_THEN_I64_ADD_BR", "I32_ADD", "I64_ADD_BR"],
  ["I32_ADD_IMM_THEN_BR_IF", "I32_ADD_IMM", "BR_IF"],
  ["I32_AND_IMM_THEN_BR_UNLESS", "I32_AND_IMM", "BR_UNLESS"],
  ["I32_MUL_THEN_I32_ADD", "I32_MUL", "I32_ADD"],
  ["I32_SHR_U_IMM_THEN_I32_AND_IMM", "I32_SHR_U_IMM", "I32_AND_IMM"],
  ["F64_GT_THEN_BR_IF", "F64_GT", "BR_IF"],
  ["MOV_THEN_CALL", "MOV", "CALL"],
  ["I32_ADD_IMM_THEN_CALL", "I32_ADD_IMM", "CALL"],
  ["I32_SHL_IMM_THEN_I32_ADD_IMM", "I32_SHL_IMM", "I32_ADD_IMM"],
  ["I32_ADD_IMM_THEN_I32_ADD", "I32_ADD_IMM", "I32_ADD"],
  ["I32_ADD_THEN_I32_GT_U_IMM", "I32_ADD", "I32_GT_U_IMM"],
  ["F64_MUL_ADD_THEN_F64_ADD", "F64_MUL_ADD", "F64_ADD"],
  ["I32_ADD_THEN_LOAD64", "I32_ADD", "LOAD64"],
] as const;

/** Name of an internal op. */
export type OpName = (typeof TABLE)[number][0] | (typeof PAIR_TABLE)[number][0];

/** Single ops' names, then the pairs'. */
const NAMES: readonly OpName[] = [...TABLE.map(([n]) => n), ...PAIR_TABLE.map(([n]) => n)];

/** Opcode numbers by name. */
export const Op: Readonly<Record<OpName, number>> = Object.freeze(Object.fromEntries(NAMES.map((n, i) => [n, i])) as Record<OpName, number>);

/** Opcode names by number. */
export const OP_NAMES: readonly OpName[] = NAMES;

/** The pairs: [first op, second op, pair op]. */
export const PAIRS: readonly (readonly [number, number, number])[] = PAIR_TABLE.map(([n, a, b]) => [Op[a], Op[b], Op[n]] as const);

/**
 * The fused loop steps whose case switches on a compare-kind operand (`kind`, 0..9, plus 10 when
 * the compared value is an immediate for ADD_IMM_BR): op -> the word of that operand, from the op's
 * pc (the layouts in the table above). The primer feeds each kind on its own (execute/prime.ts,
 * scripts/gen-primer.mjs).
 */
export const KIND_OPERAND: ReadonlyMap<number, number> = new Map([
  [Op.ADD_IMM_BR, 5], // d a c kind b t
  [Op.I64_ADD_BR, 5], // d a b kind c t
  [Op.I64_ADD_IMM_BR, 6], // d a lo hi kind c t
]);

/** Operand word count of each opcode (BR_TABLE: the fixed part only). */
export const OP_OPERANDS: Int32Array = (() => {
  const k = new Int32Array(NAMES.length);
  TABLE.forEach(([, n], i) => { k[i] = n; });
  for (const [a, b, f] of PAIRS) k[f] = k[a]! + 2 + k[b]!;
  return k;
})();

/**
 * Ops after which a new fuel block starts (fuel is charged per block: see execute/fuel.ts):
 * branches, returns, calls, `unreachable`, ENTER, and the ops with a variable (per-unit) cost.
 */
export const BLOCK_END: Uint8Array = (() => {
  const b = new Uint8Array(NAMES.length);
  const names: OpName[] = ["ENTER", "UNREACHABLE", "BR", "BR_IF", "BR_UNLESS", "BR_TABLE", "RETURN", "RETURN_REFS", "RETURN1", "CALL", "CALL_IMPORT", "CALL_INDIRECT",
    "RETURN_CALL", "RETURN_CALL_IMPORT", "RETURN_CALL_INDIRECT", "MEMORY64_GROW", "MEMORY64_FILL", "MEMORY64_COPY", "MEMORY64_INIT", "TABLE64_GROW", "MEMORY_GROW_N", "MEMORY_FILL_N", "MEMORY_COPY_N", "MEMORY_INIT_N", "MEMORY_GROW", "MEMORY_FILL", "MEMORY_COPY", "MEMORY_INIT", "TABLE_GROW", "TABLE_FILL", "TABLE_COPY", "TABLE_INIT",
    "BR_I64_EQZ", "BR_I64_NEZ", "ADD_IMM_BR", "I64_ADD_BR", "I64_ADD_IMM_BR", "THROW", "THROW_REF"];
  for (const n of names) b[Op[n]] = 1;
  for (const [n] of TABLE) if (n.startsWith("BR_I32_") || n.startsWith("BR_I64_")) b[Op[n as OpName]] = 1;
  for (const [a, s, f] of PAIRS) {
    if (b[a] === 1) throw new Error(`opcodes: the first op of pair ${NAMES[f]} ends a block`);
    b[f] = b[s]!;
  }
  return b;
})();

/** Ops after which control never falls through. */
export const TERMINAL: Uint8Array = (() => {
  const b = new Uint8Array(NAMES.length);
  for (const n of ["UNREACHABLE", "BR", "BR_TABLE", "RETURN", "RETURN_REFS", "RETURN1", "RETURN_CALL", "THROW", "THROW_REF"] as OpName[]) b[Op[n]] = 1;
  return b;
})();

/** Length in words of the op at `code[pc]`. */
export function opLength(code: Int32Array, pc: number): number {
  const op = code[pc]!;
  if (op === Op.BR_TABLE) return 4 + code[pc + 3]! + 1;
  if (op === Op.SIMD) return code[pc + 2]!;
  return 2 + OP_OPERANDS[op]!;
}
