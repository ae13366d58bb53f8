/**
 * Decoding of instruction sequences (spec "Binary Format > Instructions") into the flat
 * instruction stream documented at `FlatInstr` in `module.ts`: one opcode word, then its
 * immediates as words. Used for function bodies and constant expressions alike.
 *
 * Besides the encoding rules, the decoder checks the *structure* the binary grammar implies:
 * `else` only directly inside an `if` (once), and the expression ends with the `end` that closes
 * its outermost block. Typing is the validator's job.
 *
 * Which opcodes exist, how their immediates are laid out, and which proposal a refused opcode
 * belongs to all come from the opcode table (`opcode-table.ts`): opcodes of proposals this engine
 * does not implement are rejected with an `unsupported` CompileError naming the feature; opcodes
 * that exist in no proposal are `malformed`.
 *
 * Buffers are scratch arrays reused across expressions and grown geometrically, so decoding
 * allocates nothing per instruction.
 */
import { refType } from "./module.js";
import { readBlockType, readHeapType, readValType } from "./types.js";
import type { Reader } from "./reader.js";
import { BY_INDEX, Imm, INSTRUCTIONS, isSupported, operatorIndex, PREFIX_FC, PREFIX_FD, SIMD_SUBS, SIMD_WORD, UNSUPPORTED_PREFIXES } from "./opcode-table.js";

/** Output of one decoded expression (copies, sized exactly; empty when not asked for). */
export interface DecodedExpr {
  readonly code: Int32Array;
  readonly offsets: Int32Array;
  readonly starts: Int32Array;
  /** Whether `memory.init` or `data.drop` occurs (these need the data count section). */
  readonly usesDataIndex: boolean;
}

/** What {@link ExprDecoder.decode} keeps: nothing (a well-formedness check), the code, or the code with offsets. */
export const Keep = { nothing: 0, code: 1, codeAndOffsets: 2 } as const;
export type Keep = (typeof Keep)[keyof typeof Keep];

const NO_WORDS = new Int32Array(0);

// How the decoder reads each opcode: an immediate layout (`Imm`, 0..18) or one of these.
/** `else`: structure check. */
const K_ELSE = 24;
/** `end`: closes a frame (the expression when it is the outermost). */
const K_END = 25;
/** The 0xFC prefix: a u32 sub-opcode follows. */
const K_PREFIX = 26;
/** Not accepted: an opcode of a refused proposal, or of none. */
const K_REFUSED = 27;
/** The 0xFD prefix (SIMD): a u32 sub-opcode follows. */
const K_PREFIX_FD = 28;
/** Added to a 0xFC sub-opcode's kind when the instruction names a data segment. */
const K_DATA = 32;

/** Decoding kind by opcode byte, by 0xFC sub-opcode and by 0xFD sub-opcode; derived from the opcode table. */
const BYTE_KIND = new Uint8Array(256).fill(K_REFUSED);
const FC_KIND = new Uint8Array(256).fill(K_REFUSED);
const FD_KIND = new Uint8Array(SIMD_SUBS).fill(K_REFUSED);
for (const ins of INSTRUCTIONS) {
  if (!isSupported(ins)) continue;
  if (ins.code >= SIMD_WORD) {
    FD_KIND[ins.code - SIMD_WORD] = ins.imm;
    BYTE_KIND[PREFIX_FD] = K_PREFIX_FD;
  } else if (ins.code >= 0xfc00) {
    FC_KIND[ins.code & 0xff] = ins.imm + (ins.dataIndex === true ? K_DATA : 0);
    BYTE_KIND[PREFIX_FC] = K_PREFIX;
  } else {
    if (ins.dataIndex === true) throw new Error(`decoder: ${ins.name} names a data segment, which only 0xFC instructions are decoded to record`);
    BYTE_KIND[ins.code] = ins.name === "else" ? K_ELSE : ins.name === "end" ? K_END : ins.imm;
  }
}

/** Reusable buffers for decoding expressions. */
export class ExprDecoder {
  private code: Int32Array = new Int32Array(1024);
  private offsets: Int32Array = new Int32Array(256);
  private starts: Int32Array = new Int32Array(256);
  /** Control nesting: 0 block/loop/outermost, 1 `if` before `else`, 2 `if` after `else`. */
  private kinds: Uint8Array = new Uint8Array(64);

  /** Makes room for at least `words` words in `code`. */
  private growCode(words: number): Int32Array {
    let n = this.code.length * 2;
    while (n < words) n *= 2;
    const c = new Int32Array(n);
    c.set(this.code);
    this.code = c;
    return c;
  }

  private growInstrs(min: number): void {
    let n = this.offsets.length * 2;
    while (n < min) n *= 2;
    const o = new Int32Array(n);
    o.set(this.offsets);
    this.offsets = o;
    const s = new Int32Array(n);
    s.set(this.starts);
    this.starts = s;
  }

  /**
   * Decodes instructions from `r.pos` up to and including the `end` that closes the expression.
   * `sizeHint` (bytes the expression may take) pre-sizes the buffers. With `operators`, also
   * marks `operators[operatorIndex(word)] = 1` for every instruction's opcode word (an array of
   * `OPERATOR_COUNT` entries; execute/prime.ts's picture of a module's operators).
   */
  decode(r: Reader, sizeHint: number, keep: Keep = Keep.code, operators?: Uint8Array): DecodedExpr {
    let code = this.code;
    if (code.length < sizeHint + 8) code = this.growCode(sizeHint + 8);
    // A body of n bytes holds at most n instructions.
    const withOffsets = keep === Keep.codeAndOffsets;
    if (withOffsets && this.offsets.length < sizeHint + 1) this.growInstrs(sizeHint + 1);
    let offsets = this.offsets;
    let starts = this.starts;
    let kinds = this.kinds;
    let depth = 1; // the outermost block (function body or constant expression)
    kinds[0] = 0;
    let n = 0; // words written
    let k = 0; // instructions written
    let usesDataIndex = false;
    const bytes = r.bytes;
    for (;;) {
      if (n + 8 > code.length) code = this.growCode(n + 8);
      const at = r.pos;
      if (withOffsets) {
        if (k >= offsets.length) {
          this.growInstrs(k + 1);
          offsets = this.offsets;
          starts = this.starts;
        }
        offsets[k] = at;
        starts[k] = n;
        k++;
      }
      if (at >= r.end) throw r.unexpectedEnd();
      const op = bytes[at];
      r.pos = at + 1;
      let kind = BYTE_KIND[op]!;
      if (kind === K_PREFIX) {
        const subAt = r.pos;
        const sub = r.u32();
        kind = sub < 0x100 ? FC_KIND[sub]! : K_REFUSED;
        if (kind === K_REFUSED) throw unknownFcOpcode(r, sub, subAt, at);
        if (kind >= K_DATA) {
          usesDataIndex = true;
          kind -= K_DATA;
        }
        code[n++] = 0xfc00 | sub;
      } else if (kind === K_PREFIX_FD) {
        const subAt = r.pos;
        const sub = r.u32();
        kind = sub < SIMD_SUBS ? FD_KIND[sub]! : K_REFUSED;
        if (kind === K_REFUSED) throw unknownFdOpcode(r, sub, subAt, at);
        code[n++] = SIMD_WORD | sub;
      } else code[n++] = op;
      if (operators !== undefined) operators[operatorIndex(code[n - 1]!)] = 1;
      switch (kind) {
        case Imm.none:
          break;
        case K_ELSE:
          if (kinds[depth - 1] !== 1) throw r.malformed(depth === 1 || kinds[depth - 1] === 0 ? "else without matching if" : "duplicate else in if", at);
          kinds[depth - 1] = 2;
          break;
        case K_END:
          depth--;
          if (depth === 0) {
            this.code = code;
            return {
              code: keep === Keep.nothing ? NO_WORDS : code.slice(0, n),
              offsets: withOffsets ? offsets.slice(0, k) : NO_WORDS,
              starts: withOffsets ? starts.slice(0, k) : NO_WORDS,
              usesDataIndex,
            };
          }
          break;
        case Imm.index:
          code[n++] = r.u32();
          break;
        case Imm.tryTable: { // try_table: a block type, catch clauses; opens a frame like block
          code[n++] = readBlockType(r);
          const count = r.count(2);
          if (n + 3 * count + 8 > code.length) code = this.growCode(n + 3 * count + 8);
          code[n++] = count;
          for (let i = 0; i < count; i++) {
            const kAt = r.pos;
            const kind = r.u8();
            if (kind > 3) throw r.malformed(`malformed catch clause 0x${kind.toString(16)}`, kAt);
            code[n++] = kind;
            code[n++] = kind < 2 ? r.u32() : 0;
            code[n++] = r.u32();
          }
          if (depth >= kinds.length) {
            const nk = new Uint8Array(kinds.length * 2);
            nk.set(kinds);
            this.kinds = kinds = nk;
          }
          kinds[depth++] = 0;
          break;
        }
        case Imm.blockType: // block, loop, if: opens a frame
          code[n++] = readBlockType(r);
          if (depth >= kinds.length) {
            const nk = new Uint8Array(kinds.length * 2);
            nk.set(kinds);
            this.kinds = kinds = nk;
          }
          kinds[depth++] = op === 0x04 /* if */ ? 1 : 0;
          break;
        case Imm.brTable: {
          const count = r.count(1);
          if (n + count + 8 > code.length) code = this.growCode(n + count + 8);
          code[n++] = count;
          for (let i = 0; i < count; i++) code[n++] = r.u32();
          code[n++] = r.u32();
          break;
        }
        case Imm.memArg: {
          const alignAt = r.pos;
          const align = r.u32();
          // bit 6 of the flags: a memory index follows (multi-memory); the flat word keeps the
          // alignment exponent in bits 0-7 and the memory index above (see module.ts FlatInstr)
          const memory = (align & 0x40) !== 0 ? r.u32() : 0;
          const exp = align & ~0x40;
          if (exp >= 32) throw r.malformed(`malformed memop flags 0x${align.toString(16)}`, alignAt);
          code[n++] = exp | (Math.min(memory, MAX_MEMORY_WORD) << 8);
          // the offset is a u64 since memory64 (the validator refuses one >= 2^32 on an i32 memory)
          r.u64();
          code[n++] = r.lo;
          code[n++] = r.hi;
          break;
        }
        case Imm.i32:
          code[n++] = r.s32();
          break;
        case Imm.i64:
          r.s64();
          code[n++] = r.lo;
          code[n++] = r.hi;
          break;
        case Imm.f32:
          code[n++] = r.i32le();
          break;
        case Imm.f64:
          code[n++] = r.i32le();
          code[n++] = r.i32le();
          break;
        case Imm.selectT: {
          const count = r.count(1);
          if (n + count + 8 > code.length) code = this.growCode(n + count + 8);
          code[n++] = count;
          for (let i = 0; i < count; i++) code[n++] = readValType(r);
          break;
        }
        case Imm.refType: // ref.null ht: the word is the type (ref null ht)
          code[n++] = refType(true, readHeapType(r));
          break;
        case Imm.zeroByte:
          code[n++] = readZeroMemIndex(r);
          break;
        case Imm.twoIndices:
          code[n++] = r.u32();
          code[n++] = r.u32();
          break;
        case Imm.indexZeroByte:
          code[n++] = r.u32();
          code[n++] = readZeroMemIndex(r);
          break;
        case Imm.twoZeroBytes:
          code[n++] = readZeroMemIndex(r);
          code[n++] = readZeroMemIndex(r);
          break;
        case Imm.v128:
        case Imm.shuffle: // sixteen bytes, four to a word
          code[n++] = r.i32le();
          code[n++] = r.i32le();
          code[n++] = r.i32le();
          code[n++] = r.i32le();
          break;
        case Imm.lane:
          code[n++] = r.u8();
          break;
        case Imm.memArgLane: {
          const alignAt = r.pos;
          const align = r.u32();
          const memory = (align & 0x40) !== 0 ? r.u32() : 0; // as in Imm.memArg
          const exp = align & ~0x40;
          if (exp >= 32) throw r.malformed(`malformed memop flags 0x${align.toString(16)}`, alignAt);
          code[n++] = exp | (Math.min(memory, MAX_MEMORY_WORD) << 8);
          r.u64();
          code[n++] = r.lo;
          code[n++] = r.hi;
          code[n++] = r.u8();
          break;
        }
        default:
          throw unknownOpcode(r, op, at);
      }
    }
  }
}

/** Memory indices above this are kept as this (every one of them is an unknown memory to the validator). */
const MAX_MEMORY_WORD = 0x7fffff;

/**
 * The memory index of memory.size/grow/fill/copy/init: a u32 since Wasm 3.0 (multi-memory; Wasm 2.0
 * reserved a single 0x00 byte there).
 */
function readZeroMemIndex(r: Reader): number {
  return Math.min(r.u32(), MAX_MEMORY_WORD);
}

/** The error for an opcode byte the decoder does not accept: the table's feature, or `malformed`. */
function unknownOpcode(r: Reader, op: number, at: number): Error {
  const hex = `0x${op.toString(16).padStart(2, "0")}`;
  const prefixFeature = UNSUPPORTED_PREFIXES.get(op);
  if (prefixFeature !== undefined) return r.unsupported(prefixFeature, `opcode prefix ${hex}`, at);
  const ins = BY_INDEX[op];
  if (ins !== undefined) return r.unsupported(ins.feature, `opcode ${hex} (${ins.name})`, at);
  return r.malformed(`illegal opcode ${hex}`, at);
}

/** The error for a 0xFC sub-opcode the decoder does not accept (`sub` read at `subAt`, the prefix at `at`). */
function unknownFcOpcode(r: Reader, sub: number, subAt: number, at: number): Error {
  const ins = sub < 0x100 ? BY_INDEX[operatorIndex(0xfc00 | sub)] : undefined;
  if (ins !== undefined) return r.unsupported(ins.feature, `0xfc ${sub}`, at);
  return r.malformed(`illegal opcode 0xfc ${sub}`, subAt);
}

/** The error for a 0xFD sub-opcode the decoder does not accept (`sub` read at `subAt`, the prefix at `at`). */
function unknownFdOpcode(r: Reader, sub: number, subAt: number, at: number): Error {
  const ins = sub < SIMD_SUBS ? BY_INDEX[operatorIndex(SIMD_WORD | sub)] : undefined;
  if (ins !== undefined) return r.unsupported(ins.feature, `0xfd ${sub} (${ins.name})`, at);
  return r.malformed(`illegal opcode 0xfd ${sub}`, subAt);
}
