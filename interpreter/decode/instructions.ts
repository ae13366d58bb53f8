/**
 * Decoding of instruction sequences (spec "Binary Format > Instructions") into the flat
 * instruction stream documented at `FlatInstr` in `module.ts`: one opcode word, then its
 * immediates as words. Used for function bodies and constant expressions alike.
 *
 * Besides the encoding rules, the decoder checks the *structure* the binary grammar implies:
 * `else` only directly inside an `if` (once), and the expression ends with the `end` that closes
 * its outermost block. Typing is the validator's job.
 *
 * Opcodes of proposals this engine does not implement are rejected with an `unsupported`
 * CompileError naming the feature; opcodes that exist in no proposal are `malformed`.
 *
 * Buffers are scratch arrays reused across expressions and grown geometrically, so decoding
 * allocates nothing per instruction.
 */
import { readBlockType, readRefType, readValType } from "./types.js";
import type { Reader } from "./reader.js";

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
   * `sizeHint` (bytes the expression may take) pre-sizes the buffers.
   */
  decode(r: Reader, sizeHint: number, keep: Keep = Keep.code): DecodedExpr {
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
      code[n++] = op;
      switch (op) {
        // ---- control instructions
        case 0x00: // unreachable
        case 0x01: // nop
        case 0x0f: // return
          break;
        case 0x02: // block
        case 0x03: // loop
        case 0x04: // if
          code[n++] = readBlockType(r);
          if (depth >= kinds.length) {
            const nk = new Uint8Array(kinds.length * 2);
            nk.set(kinds);
            this.kinds = kinds = nk;
          }
          kinds[depth++] = op === 0x04 ? 1 : 0;
          break;
        case 0x05: // else
          if (kinds[depth - 1] !== 1) throw r.malformed(depth === 1 || kinds[depth - 1] === 0 ? "else without matching if" : "duplicate else in if", at);
          kinds[depth - 1] = 2;
          break;
        case 0x0b: // end
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
        case 0x0c: // br
        case 0x0d: // br_if
          code[n++] = r.u32();
          break;
        case 0x0e: { // br_table
          const count = r.count(1);
          if (n + count + 8 > code.length) code = this.growCode(n + count + 8);
          code[n++] = count;
          for (let i = 0; i < count; i++) code[n++] = r.u32();
          code[n++] = r.u32();
          break;
        }
        case 0x10: // call
          code[n++] = r.u32();
          break;
        case 0x11: // call_indirect typeidx tableidx
          code[n++] = r.u32();
          code[n++] = r.u32();
          break;

        // ---- parametric instructions
        case 0x1a: // drop
        case 0x1b: // select
          break;
        case 0x1c: { // select t*
          const count = r.count(1);
          if (n + count + 8 > code.length) code = this.growCode(n + count + 8);
          code[n++] = count;
          for (let i = 0; i < count; i++) code[n++] = readValType(r);
          break;
        }

        // ---- variable instructions
        case 0x20: case 0x21: case 0x22: case 0x23: case 0x24:
        // ---- table.get / table.set
        case 0x25: case 0x26:
          code[n++] = r.u32();
          break;

        // ---- memory instructions
        case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: case 0x2e: case 0x2f:
        case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35: case 0x36: case 0x37:
        case 0x38: case 0x39: case 0x3a: case 0x3b: case 0x3c: case 0x3d: case 0x3e: {
          const alignAt = r.pos;
          const align = r.u32();
          if (align & 0x40) throw r.unsupported("multi-memory", `memory index flag in memarg (align field 0x${align.toString(16)})`, alignAt);
          if (align >= 32) throw r.malformed(`malformed memop flags 0x${align.toString(16)}`, alignAt);
          code[n++] = align;
          code[n++] = r.u32();
          break;
        }
        case 0x3f: // memory.size
        case 0x40: // memory.grow
          code[n++] = readZeroMemIndex(r);
          break;

        // ---- numeric constants
        case 0x41:
          code[n++] = r.s32();
          break;
        case 0x42:
          r.s64();
          code[n++] = r.lo;
          code[n++] = r.hi;
          break;
        case 0x43:
          code[n++] = r.i32le();
          break;
        case 0x44:
          code[n++] = r.i32le();
          code[n++] = r.i32le();
          break;

        // ---- reference instructions
        case 0xd0:
          code[n++] = readRefType(r);
          break;
        case 0xd1:
          break;
        case 0xd2:
          code[n++] = r.u32();
          break;

        case 0xfc: {
          const subAt = r.pos;
          const sub = r.u32();
          code[n - 1] = 0xfc00 | (sub & 0xff);
          if (sub <= 7) break; // *.trunc_sat_*
          switch (sub) {
            case 8: // memory.init dataidx 0x00
              usesDataIndex = true;
              code[n++] = r.u32();
              code[n++] = readZeroMemIndex(r);
              break;
            case 9: // data.drop
              usesDataIndex = true;
              code[n++] = r.u32();
              break;
            case 10: // memory.copy 0x00 0x00
              code[n++] = readZeroMemIndex(r);
              code[n++] = readZeroMemIndex(r);
              break;
            case 11: // memory.fill 0x00
              code[n++] = readZeroMemIndex(r);
              break;
            case 12: // table.init elemidx tableidx
            case 14: // table.copy dst src
              code[n++] = r.u32();
              code[n++] = r.u32();
              break;
            case 13: // elem.drop
            case 15: // table.grow
            case 16: // table.size
            case 17: // table.fill
              code[n++] = r.u32();
              break;
            default:
              if (sub === 18 || sub === 19) throw r.unsupported("memory64 / multi-memory", `0xfc ${sub}`, at);
              throw r.malformed(`illegal opcode 0xfc ${sub}`, subAt);
          }
          break;
        }

        default:
          if (op >= 0x45 && op <= 0xc4) break; // numeric instructions without immediates
          throw unknownOpcode(r, op, at);
      }
    }
  }
}

/** The reserved memory-index byte of memory instructions in Wasm 2.0: must be the single byte 0x00. */
function readZeroMemIndex(r: Reader): number {
  const at = r.pos;
  const b = r.u8();
  if (b === 0) return 0;
  if (b < 0x80) throw r.unsupported("multi-memory", `memory index ${b} (zero byte expected)`, at);
  throw r.malformed("zero byte expected", at);
}

/** The error for an opcode byte the decoder does not accept. */
function unknownOpcode(r: Reader, op: number, at: number): Error {
  const hex = `0x${op.toString(16).padStart(2, "0")}`;
  switch (op) {
    case 0xfd: return r.unsupported("SIMD", `opcode prefix ${hex}`, at);
    case 0xfe: return r.unsupported("threads", `atomic opcode prefix ${hex}`, at);
    case 0xfb: return r.unsupported("GC", `opcode prefix ${hex}`, at);
    case 0x06: case 0x07: case 0x08: case 0x09: case 0x0a: case 0x18: case 0x19: case 0x1f:
      return r.unsupported("exception handling", `opcode ${hex}`, at);
    case 0x12: case 0x13: return r.unsupported("tail calls", `opcode ${hex}`, at);
    case 0x14: case 0x15: case 0xd3: case 0xd4: case 0xd5: case 0xd6:
      return r.unsupported("typed function references", `opcode ${hex}`, at);
    default: return r.malformed(`illegal opcode ${hex}`, at);
  }
}
