/**
 * The decoded module: what the decoder produces and every later stage (validate, translate,
 * instantiate) reads. Plain data, no behaviour. Names follow the spec's "Modules" chapter.
 *
 * Function bodies are kept as a *flat instruction stream* (`FuncBody.code`, an Int32Array): the
 * decoder has already turned every instruction's bytes into words, so the validator and the
 * translator never look at LEB128 again. The word layout of each instruction is documented at
 * {@link FlatInstr}; `FuncBody.offsets` gives each instruction's byte offset for error messages.
 * Bodies are decoded on first access (startup decodes and validates in one pass over the bytes
 * without building them; the translator asks for a function's `code` when it is first called).
 */
import { IMM_WORDS, INSTRUCTIONS, OPERATOR_COUNT, operatorIndex } from "./opcode-table.js";

/**
 * Value types as one number each (every stage uses this representation: the flat stream's
 * block-type, select and ref.null words, the validators' operand stacks, the translator, the
 * runtime's table and global instances):
 *
 * - number and vector types: their binary encoding (`i32` 0x7f ... `v128` 0x7b);
 * - nullable references to an abstract heap type: the shorthand's byte, `funcref` = `(ref null
 *   func)` 0x70, `externref` = `(ref null extern)` 0x6f (and `exnref` = `(ref null exn)` 0x69);
 * - the same, non-nullable: {@link NON_NULL} | that byte (`(ref func)` 0x170);
 * - references to a type index `x` (a function type): {@link CONCRETE} | `x << 10`, with
 *   {@link NON_NULL} for `(ref x)`. Type indices above {@link MAX_TYPE_INDEX} are kept as it.
 *
 * A heap type alone ({@link HeapType}) is the s33 of its encoding: negative for the abstract ones
 * (`func` -0x10, `extern` -0x11, `exn` -0x17), the type index otherwise. Helpers: {@link refType},
 * {@link isRefType}, {@link isNullable}, {@link heapTypeOf}; subtyping is `matching.ts`.
 */
export const ValType = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
  /** `exnref` (exception handling): `(ref null exn)`. */
  exnref: 0x69,
} as const;
export type ValType = number;
/** A reference type (a {@link ValType} for which {@link isRefType} holds). */
export type RefType = number;
/** A heap type: the s33 of its encoding (abstract < 0, a type index >= 0). */
export type HeapType = number;

/** Flag of a non-nullable reference type (`(ref ht)`, encoding 0x64). */
export const NON_NULL = 0x100;
/** Flag of a reference to a type index (the index is `t >>> 10`). */
export const CONCRETE = 0x200;
/** Largest type index a value type holds (larger ones are clamped to it: an unknown type in any valid module). */
export const MAX_TYPE_INDEX = 0x1fffff;

/** Abstract heap types (s33 values of their encodings). */
export const HeapType = {
  func: -0x10,
  extern: -0x11,
  exn: -0x17,
  /** The validation algorithm's bottom heap type (no encoding): the type of unknown references. */
  bot: -0x7f,
} as const;

/** `(ref null? ht)`. */
export function refType(nullable: boolean, ht: HeapType): RefType {
  const base = ht >= 0 ? CONCRETE | (Math.min(ht, MAX_TYPE_INDEX) << 10) : ht & 0x7f;
  return nullable ? base : base | NON_NULL;
}

/** Whether `t` is a reference type (0, the validators' unknown type, is not). */
export function isRefType(t: number): boolean {
  return t >= NON_NULL || (t > 0 && t < ValType.v128);
}

/**
 * Whether `t` is a reference type to functions (`funcref`, `(ref null? func)`, `(ref null? $t)`):
 * its values are function instances or null (the others, `externref`, any host value).
 */
export function isFuncRefType(t: number): boolean {
  return t === ValType.funcref || (isRefType(t) && ((t & CONCRETE) !== 0 || (t & 0xff) === ValType.funcref));
}

/** Whether reference type `t` admits null. */
export function isNullable(t: RefType): boolean {
  return (t & NON_NULL) === 0;
}

/** The heap type of reference type `t`. */
export function heapTypeOf(t: RefType): HeapType {
  return (t & CONCRETE) !== 0 ? t >>> 10 : (t & 0x7f) - 0x80;
}

function heapTypeName(ht: HeapType): string {
  switch (ht) {
    case HeapType.func: return "func";
    case HeapType.extern: return "extern";
    case HeapType.exn: return "exn";
    case HeapType.bot: return "bot";
    default: return ht >= 0 ? String(ht) : `<heap type ${ht}>`;
  }
}

export function valTypeName(t: number): string {
  switch (t) {
    case ValType.i32: return "i32";
    case ValType.i64: return "i64";
    case ValType.f32: return "f32";
    case ValType.f64: return "f64";
    case ValType.v128: return "v128";
    case ValType.funcref: return "funcref";
    case ValType.externref: return "externref";
    case ValType.exnref: return "exnref";
    default:
      if (isRefType(t)) return `(ref ${isNullable(t) ? "null " : ""}${heapTypeName(heapTypeOf(t))})`;
      return `<unknown type 0x${t.toString(16)}>`;
  }
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/**
 * `max` is undefined when absent. For an i32 address type both are u32 values (0 .. 2^32-1); for
 * an i64 address type (memory64, table64) u64 values, as JS numbers (exact up to 2^53, rounded
 * above: every such size is far beyond what a host can allocate).
 */
export interface Limits {
  readonly min: number;
  readonly max: number | undefined;
}

/**
 * The address type of a memory or table (Wasm 3.0, spec "Address Types"): i32, or i64 for a
 * 64-bit memory (memory64) or table (table64), whose addresses, sizes and offsets are i64 values.
 */
export type AddressType = typeof ValType.i32 | typeof ValType.i64;

export interface TableType {
  readonly addressType: AddressType;
  readonly elemType: RefType;
  readonly limits: Limits;
  /**
   * A defined table's initialiser (Wasm 3.0, table section encoding `0x40 0x00 tabletype expr`):
   * every element starts as its value. Absent: null (the element type must then be nullable).
   */
  readonly init?: ConstExpr;
}

export interface MemoryType {
  readonly addressType: AddressType;
  readonly limits: Limits;
}

export interface GlobalType {
  readonly valType: ValType;
  readonly mutable: boolean;
}

export type ExternKind = "func" | "table" | "memory" | "global" | "tag";

/**
 * An import's description. A tag (exception handling) names its type by a function type index:
 * the exception's payload is the type's parameters, and its results must be empty.
 */
export type ImportDesc =
  | { readonly kind: "func"; readonly typeIndex: number }
  | { readonly kind: "table"; readonly type: TableType }
  | { readonly kind: "memory"; readonly type: MemoryType }
  | { readonly kind: "global"; readonly type: GlobalType }
  | { readonly kind: "tag"; readonly typeIndex: number };

export interface Import {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDesc;
  /** Byte offset of the import entry in the module (set by the decoder; for error messages). */
  readonly offset?: number;
}

export interface Export {
  readonly name: string;
  readonly kind: ExternKind;
  readonly index: number;
  /** Byte offset of the export entry in the module (set by the decoder; for error messages). */
  readonly offset?: number;
}

/**
 * A constant expression, as a flat instruction stream (same word layout as function bodies,
 * ending with the `end` opcode 0x0b). Only the instructions the decoder accepts in constant
 * position appear; the validator checks they are *constant* and well typed.
 */
export interface ConstExpr {
  readonly code: Int32Array;
  /** Byte offset of the expression in the module, for error messages. */
  readonly offset: number;
}

export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
}

export type ElemMode =
  | { readonly kind: "passive" }
  | { readonly kind: "declarative" }
  | { readonly kind: "active"; readonly table: number; readonly offset: ConstExpr };

/** Element segment. Function-index encodings are normalised to `ref.func i` expressions. */
export interface Elem {
  readonly type: RefType;
  readonly init: readonly ConstExpr[];
  readonly mode: ElemMode;
  /** Byte offset of the segment in the module (set by the decoder; for error messages). */
  readonly offset?: number;
}

export type DataMode =
  | { readonly kind: "passive" }
  | { readonly kind: "active"; readonly memory: number; readonly offset: ConstExpr };

export interface Data {
  readonly init: Uint8Array;
  readonly mode: DataMode;
  /** Byte offset of the segment in the module (set by the decoder; for error messages). */
  readonly offset?: number;
}

/** Locals are kept run-length encoded as in the binary (a declared count may be huge and invalid). */
export interface LocalRun {
  readonly count: number;
  readonly type: ValType;
}

/**
 * A function body. The instructions are decoded on demand: `code` (and, for error messages,
 * `offsets`/`starts`) are computed from the module's bytes on first access and kept, so a module
 * whose functions are never translated never holds their flat streams. The decoder has already
 * checked that the bytes decode (or a {@link BodyCheck} vouched for them), so these never throw.
 */
export interface FuncBody {
  /** The local declarations (read from the bytes on first access). */
  readonly locals: readonly LocalRun[];
  /** Total number of declared locals (not counting parameters). */
  readonly localCount: number;
  /** Byte offset of the local declarations (their count) in the module. */
  readonly localsAt: number;
  /** Flat instruction stream, including the final `end` (0x0b). See {@link FlatInstr}. */
  readonly code: Int32Array;
  /**
   * The flat instruction stream for one use, not kept: the one {@link code} holds, which the body
   * then lets go, or one decoded anew. The translator's way to read a body: a translated
   * function no longer needs it, and kept for every translated function the streams took more
   * memory than the translated code (spidermonkey.wasm translated whole: ~90 MB against ~34).
   */
  takeCode(): Int32Array;
  /**
   * Byte offset (in the module) of every instruction. `offsets[k]` belongs to the instruction
   * whose opcode word is at `code[starts[k]]`. Computed on first access (error messages only).
   */
  readonly offsets: Int32Array;
  /** Word index in `code` where each instruction starts (parallel to `offsets`). */
  readonly starts: Int32Array;
  /**
   * Marks `operators[operatorIndex(word)] = 1` (decode/opcode-table.ts) for the opcode word of
   * every instruction of the body, decoding it from the module's bytes again (the flat stream is
   * not kept).
   */
  markOperators(operators: Uint8Array): void;
  /** Byte offset of the body (its size field) in the module. */
  readonly offset: number;
  /** Byte range of the instructions in the module (after the locals; `end` is exclusive). */
  readonly start: number;
  readonly end: number;
  /** The module's bytes (the body's instructions are `bytes[start..end)`). */
  readonly bytes: Uint8Array;
  /**
   * True when a {@link BodyCheck} found the body well formed *and valid* while decoding, so the
   * validator need not look at it again.
   */
  readonly prevalidated: boolean;
}

/**
 * A check the decoder runs on each function body as it reads it (see `decodeModule`'s options):
 * the validator's single-pass fast path. `true` means the instructions `bytes[start..end)` of
 * defined function `defIndex` are well formed and valid; `false` means "don't know", and the
 * decoder then decodes them itself (throwing the exact `malformed` error when they are).
 */
export interface BodyCheck {
  /** `localsAt`: byte offset of the body's local declarations (already checked by the decoder). */
  check(bytes: Uint8Array, start: number, end: number, defIndex: number, localsAt: number, localCount: number): boolean;
}

export interface CustomSection {
  readonly name: string;
  readonly data: Uint8Array;
  readonly offset: number;
}

/** Names from the `name` custom section, when present and well formed (it is optional). */
export interface NameSection {
  readonly module?: string;
  readonly functions: ReadonlyMap<number, string>;
  readonly locals: ReadonlyMap<number, ReadonlyMap<number, string>>;
}

export interface ModuleInfo {
  readonly types: readonly FuncType[];
  readonly imports: readonly Import[];
  /** Type index of each function *defined* by the module (imported functions come first in the index space). */
  readonly funcs: readonly number[];
  readonly tables: readonly TableType[];
  readonly memories: readonly MemoryType[];
  /** Type index of each tag *defined* by the module (tag section; imported tags come first in the index space). */
  readonly tags: readonly number[];
  readonly globals: readonly Global[];
  readonly exports: readonly Export[];
  readonly start: number | undefined;
  readonly elems: readonly Elem[];
  readonly datas: readonly Data[];
  /** The data count section's value, when present. */
  readonly dataCount: number | undefined;
  /** One body per defined function, parallel to `funcs`. */
  readonly codes: readonly FuncBody[];
  readonly customs: readonly CustomSection[];
  readonly names: NameSection | undefined;
  /** Derived counts of each index space (imports first). */
  readonly importedFuncCount: number;
  readonly importedTableCount: number;
  readonly importedMemoryCount: number;
  readonly importedGlobalCount: number;
  readonly importedTagCount: number;
  /**
   * Byte offset of the contents of each known section, by section id (set by the decoder; for
   * error messages about entries that carry no offset of their own: function types, tables,
   * memories, the start function).
   */
  readonly sectionOffsets?: ReadonlyMap<number, number>;
}

/**
 * Flat instruction word layout (one instruction = opcode word + immediates; the words each
 * immediate layout of the opcode table takes are its `IMM_WORDS`):
 *
 * - Opcode word: the opcode byte (0x00..0xfb); for the 0xFC prefix, `0xfc00 | subopcode`
 *   (e.g. `i32.trunc_sat_f32_s` = 0xfc00, `memory.copy` = 0xfc0a).
 * - `block` 0x02 / `loop` 0x03 / `if` 0x04: one blocktype word `bt`:
 *   `bt = -1` empty (`[] -> []`); `bt = -2 - t` for a single result of value type `t`
 *   (e.g. i32 -> -2 - 0x7f); `bt >= 0` a type index.
 * - `else` 0x05, `end` 0x0b: none.
 * - `br` 0x0c / `br_if` 0x0d: label depth.
 * - `br_table` 0x0e: `n`, then `n` label depths, then the default depth.
 * - `throw` 0x08: tag index. `throw_ref` 0x0a: none.
 * - `try_table` 0x1f: blocktype word `bt` (as `block`), count `n`, then `n` catch clauses of three
 *   words each: kind (0 `catch`, 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`), tag index (0
 *   for the `catch_all` kinds), label depth. It opens a frame closed by `end`, like `block`.
 * - `call` 0x10: function index. `call_indirect` 0x11: type index, table index. `call_ref` 0x14 /
 *   `return_call_ref` 0x15: type index.
 * - `select` 0x1b: none. typed `select` 0x1c: count `n` (1 for valid code), then `n` value types.
 * - `local.get/set/tee` 0x20-0x22, `global.get/set` 0x23-0x24: index.
 * - `table.get/set` 0x25/0x26: table index.
 * - loads/stores 0x28-0x3e: `align` (the alignment exponent in bits 0-7, the memory index
 *   above), then the offset (a u64 since memory64) as two words: low 32 bits, high 32 bits
 *   (each as int32; read them with `>>> 0`). For an i32 memory a valid offset has a high word 0.
 * - `memory.size` 0x3f / `memory.grow` 0x40: memory index (0 in valid code).
 * - `i32.const` 0x41: value (int32). `i64.const` 0x42: low 32 bits, high 32 bits (as int32).
 *   `f32.const` 0x43: IEEE bits (as int32). `f64.const` 0x44: low bits, high bits.
 * - numeric 0x45-0xc4: none.
 * - `ref.null` 0xd0: the reference type `(ref null ht)` of its heap type `ht` (a `ValType`).
 *   `ref.is_null` 0xd1: none. `ref.func` 0xd2: function index. `ref.as_non_null` 0xd4: none.
 *   `br_on_null` 0xd5 / `br_on_non_null` 0xd6: label depth.
 * - 0xFC: `*.trunc_sat_*` 0-7: none. `memory.init` 8: data index, memory index. `data.drop` 9:
 *   data index. `memory.copy` 10: dst memory, src memory. `memory.fill` 11: memory index.
 *   `table.init` 12: elem index, table index. `elem.drop` 13: elem index. `table.copy` 14:
 *   dst table, src table. `table.grow` 15 / `table.size` 16 / `table.fill` 17: table index.
 * - 0xFD (SIMD): opcode word `0xfd000 | subopcode`. Loads/stores: `align`, offset low, offset high as above.
 *   `v128.const`: four words (bytes 0..3 in word 0, little-endian). `i8x16.shuffle`: its sixteen
 *   lane bytes, four to a word the same way. `*.extract_lane` / `*.replace_lane`: the lane index.
 *   `v128.load*_lane` / `v128.store*_lane`: `align`, offset low, offset high, lane index. The rest: none.
 */
export type FlatInstr = never;

/** Word value of a 0xFD-prefixed (SIMD) opcode. */
export function fdOp(sub: number): number {
  return 0xfd000 | sub;
}

/** Word value of a 0xFC-prefixed opcode. */
export function fcOp(sub: number): number {
  return 0xfc00 | sub;
}

/** Immediate words per operator index (-1: variable), from the opcode table's layouts. */
const WORDS = new Int8Array(OPERATOR_COUNT);
for (const ins of INSTRUCTIONS) WORDS[operatorIndex(ins.code)] = IMM_WORDS[ins.imm]!;

/** Number of immediate words that follow opcode `op` at `code[pc]` (pc points at the opcode). */
export function immediateWords(code: Int32Array, pc: number): number {
  const op = code[pc]!;
  const w = WORDS[operatorIndex(op)]!;
  if (w >= 0) return w;
  if (op === 0x0e) return code[pc + 1]! + 2; // br_table: n targets, default
  if (op === 0x1f) return 2 + 3 * code[pc + 2]!; // try_table: blocktype, n, n clauses of 3 words
  return code[pc + 1]! + 1; // typed select: n types
}
