/**
 * A small WebAssembly 2.0 (non-SIMD) binary *reader* for the harness tools (fuzzers, fuel oracle).
 * Deliberately independent of `interpreter/decode`'s decoder: a tool that checks the interpreter
 * must not share its decoder. It shares only the opcode table (`interpreter/decode/opcode-table.ts`:
 * which opcodes exist and how their immediates are laid out), which is plain data and checked
 * independently: the tools' output modules run on Node's WebAssembly, which decodes them itself.
 * It trusts its input (modules produced by binaryen or the spec suite) and throws plain Errors on
 * anything unexpected; it is not a validator.
 *
 * It gives: the sections as byte ranges (so a tool can copy the ones it does not change), the
 * type/import/function/table/memory/global/export sections decoded, function bodies with their
 * local declarations and the byte range of their code, and an instruction iterator.
 */
import { BY_INDEX, Imm, isSupported, operatorIndex, PREFIX_FC, PREFIX_FD, SIMD_SUBS, SIMD_WORD } from "../../interpreter/decode/opcode-table.js";

export interface FuncTypeT {
  readonly params: number[];
  readonly results: number[];
}

export type ImportDescT =
  | { kind: "func"; typeIndex: number }
  | { kind: "table"; elemType: number; min: number; max: number | undefined }
  | { kind: "memory"; min: number; max: number | undefined }
  | { kind: "global"; valType: number; mutable: boolean }
  | { kind: "tag"; typeIndex: number };

export interface ImportT {
  readonly module: string;
  readonly name: string;
  readonly desc: ImportDescT;
}

export interface ExportT {
  readonly name: string;
  /** 0 func, 1 table, 2 memory, 3 global, 4 tag */
  readonly kind: number;
  readonly index: number;
}

export interface GlobalT {
  readonly valType: number;
  readonly mutable: boolean;
  /** Bytes of the init expression, including its final `end`. */
  readonly init: Uint8Array;
}

export interface SectionT {
  readonly id: number;
  /** Offset of the section id byte. */
  readonly start: number;
  /** Offset of the contents (after the size). */
  readonly contentStart: number;
  readonly end: number;
}

export interface BodyT {
  /** Local declarations as (count, type) runs. */
  readonly locals: [number, number][];
  /** Byte range of the instructions (including the final `end`) in the module. */
  readonly codeStart: number;
  readonly codeEnd: number;
}

export interface ElemT {
  readonly mode: "active" | "passive" | "declarative";
  readonly count: number;
}

export interface DataT {
  readonly mode: "active" | "passive";
  readonly length: number;
}

export interface ParsedModule {
  readonly bytes: Uint8Array;
  readonly sections: SectionT[];
  readonly types: FuncTypeT[];
  readonly imports: ImportT[];
  /** Type index of each defined function. */
  readonly funcs: number[];
  readonly tables: { elemType: number; min: number; max: number | undefined }[];
  readonly memories: { min: number; max: number | undefined }[];
  readonly globals: GlobalT[];
  readonly exports: ExportT[];
  readonly bodies: BodyT[];
  readonly elems: ElemT[];
  readonly datas: DataT[];
  readonly importedFuncs: number;
  readonly importedGlobals: number;
  readonly importedMemories: number;
  readonly importedTables: number;
}

/** Byte cursor with LEB128 reads. */
export class Cursor {
  constructor(
    readonly b: Uint8Array,
    public pos = 0,
  ) {}
  byte(): number {
    if (this.pos >= this.b.length) throw new Error(`unexpected end at ${this.pos}`);
    return this.b[this.pos++];
  }
  u32(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const x = this.byte();
      result += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new Error(`u32 LEB128 too long at ${this.pos}`);
  }
  /** Unsigned LEB128 up to 64 bits (memory64 offsets and limits), as a number (rounded above 2^53). */
  u64(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      const x = this.byte();
      result += (x & 0x7f) * mul;
      if ((x & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new Error(`u64 LEB128 too long at ${this.pos}`);
  }
  /** Signed LEB128 up to 64 bits, as a bigint. */
  s64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const x = this.byte();
      result |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if ((x & 0x80) === 0) {
        if (shift < 64n && (x & 0x40) !== 0) result |= -1n << shift;
        return BigInt.asIntN(64, result);
      }
      if (shift > 70n) throw new Error(`s64 LEB128 too long at ${this.pos}`);
    }
  }
  s32(): number {
    return Number(BigInt.asIntN(32, this.s64()));
  }
  /** Block type: -64 (0x40) empty, a negative value type byte as signed, or a type index. */
  blockType(): number {
    const v = this.s64();
    return Number(v);
  }
  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.b.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  /** Limits; flag bit 2 (memory64, table64) makes them u64. */
  limits(): { min: number; max: number | undefined } {
    const flag = this.byte();
    const min = flag & 4 ? this.u64() : this.u32();
    const max = (flag & 1) !== 0 ? (flag & 4 ? this.u64() : this.u32()) : undefined;
    return { min, max };
  }
}

/** Skips a constant expression (or any instruction sequence) up to and including its `end` at depth 0. */
function skipExpr(c: Cursor): void {
  let depth = 0;
  for (;;) {
    const op = readInstr(c);
    if (op.op === 0x02 || op.op === 0x03 || op.op === 0x04 || op.op === 0x1f) depth++;
    else if (op.op === 0x0b) {
      if (depth === 0) return;
      depth--;
    }
  }
}

/** One decoded instruction: opcode (0xFC-prefixed ones as 0xfc00|sub, 0xFD-prefixed as 0xfd000|sub) and its immediates. */
export interface Instr {
  readonly op: number;
  /** Offset of the first byte. */
  readonly start: number;
  /** Offset after the last byte. */
  readonly end: number;
  /** Integer immediates in order (indices, align/offset, block type, br_table targets...). */
  readonly imm: number[];
  /** i64.const / f64 bits etc. as bigint when relevant. */
  readonly big?: bigint;
}

/** Reads one instruction at the cursor (the immediates as the opcode table lays them out). */
export function readInstr(c: Cursor): Instr {
  const start = c.pos;
  let op = c.byte();
  if (op === PREFIX_FD) {
    const sub = c.u32();
    if (sub >= SIMD_SUBS) throw new Error(`unknown 0xFD sub-opcode ${sub} at ${start}`);
    op = SIMD_WORD | sub;
  } else if (op === PREFIX_FC) {
    const sub = c.u32();
    if (sub > 0xff) throw new Error(`unknown 0xFC sub-opcode ${sub} at ${start}`);
    op = 0xfc00 | sub;
  }
  const ins = BY_INDEX[operatorIndex(op)];
  if (!isSupported(ins)) throw new Error(op >= SIMD_WORD ? `unknown 0xFD sub-opcode ${op & 0xfff} at ${start}` : op >= 0xfc00 ? `unknown 0xFC sub-opcode ${op & 0xff} at ${start}` : `unknown opcode 0x${op.toString(16)} at ${start}`);
  const imm: number[] = [];
  let big: bigint | undefined;
  switch (ins.imm) {
    case Imm.none:
      break;
    case Imm.index:
      imm.push(c.u32());
      break;
    case Imm.blockType:
      imm.push(c.blockType());
      break;
    case Imm.brTable: {
      const n = c.u32();
      imm.push(n);
      for (let i = 0; i <= n; i++) imm.push(c.u32());
      break;
    }
    case Imm.memArg:
      imm.push(c.u32(), c.u64()); // align, offset (a u64 since memory64)
      break;
    case Imm.twoIndices:
      imm.push(c.u32(), c.u32());
      break;
    case Imm.i32:
      imm.push(c.s32());
      break;
    case Imm.i64:
      big = c.s64();
      break;
    case Imm.f32:
      imm.push(c.byte() | (c.byte() << 8) | (c.byte() << 16) | (c.byte() << 24));
      break;
    case Imm.f64: {
      let v = 0n;
      for (let i = 0; i < 8; i++) v |= BigInt(c.byte()) << BigInt(8 * i);
      big = v;
      break;
    }
    case Imm.selectT: {
      const n = c.u32();
      imm.push(n);
      for (let i = 0; i < n; i++) imm.push(c.byte());
      break;
    }
    case Imm.refType:
    case Imm.zeroByte:
      imm.push(c.byte());
      break;
    case Imm.indexZeroByte:
      imm.push(c.u32(), c.byte());
      break;
    case Imm.twoZeroBytes:
      imm.push(c.byte(), c.byte());
      break;
    case Imm.lane:
      imm.push(c.byte());
      break;
    case Imm.memArgLane:
      imm.push(c.u32(), c.u64(), c.byte());
      break;
    case Imm.v128:
    case Imm.shuffle: // sixteen bytes
      for (let i = 0; i < 16; i++) imm.push(c.byte());
      break;
    case Imm.tryTable: { // block type, n, then per clause: kind, tag (catch/catch_ref only), label
      imm.push(c.blockType());
      const n = c.u32();
      imm.push(n);
      for (let i = 0; i < n; i++) {
        const kind = c.byte();
        imm.push(kind, kind < 2 ? c.u32() : 0, c.u32());
      }
      break;
    }
  }
  return big === undefined ? { op, start, end: c.pos, imm } : { op, start, end: c.pos, imm, big };
}

/** Iterates the instructions of a function body's code range. */
export function* instructions(bytes: Uint8Array, start: number, end: number): Generator<Instr> {
  const c = new Cursor(bytes, start);
  while (c.pos < end) yield readInstr(c);
}

/** Parses a module. */
export function parseModule(bytes: Uint8Array): ParsedModule {
  const c = new Cursor(bytes, 8);
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) throw new Error("not a wasm module");
  const m = {
    bytes,
    sections: [] as SectionT[],
    types: [] as FuncTypeT[],
    imports: [] as ImportT[],
    funcs: [] as number[],
    tables: [] as { elemType: number; min: number; max: number | undefined }[],
    memories: [] as { min: number; max: number | undefined }[],
    globals: [] as GlobalT[],
    exports: [] as ExportT[],
    bodies: [] as BodyT[],
    elems: [] as ElemT[],
    datas: [] as DataT[],
    importedFuncs: 0,
    importedGlobals: 0,
    importedMemories: 0,
    importedTables: 0,
  };
  while (c.pos < bytes.length) {
    const start = c.pos;
    const id = c.byte();
    const size = c.u32();
    const contentStart = c.pos;
    const end = contentStart + size;
    m.sections.push({ id, start, contentStart, end });
    const s = new Cursor(bytes, contentStart);
    switch (id) {
      case 1: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          if (s.byte() !== 0x60) throw new Error("bad func type");
          const np = s.u32();
          const params: number[] = [];
          for (let j = 0; j < np; j++) params.push(s.byte());
          const nr = s.u32();
          const results: number[] = [];
          for (let j = 0; j < nr; j++) results.push(s.byte());
          m.types.push({ params, results });
        }
        break;
      }
      case 2: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          const module = s.name();
          const nm = s.name();
          const kind = s.byte();
          let desc: ImportDescT;
          if (kind === 0) {
            desc = { kind: "func", typeIndex: s.u32() };
            m.importedFuncs++;
          } else if (kind === 1) {
            const elemType = s.byte();
            desc = { kind: "table", elemType, ...s.limits() };
            m.importedTables++;
          } else if (kind === 2) {
            desc = { kind: "memory", ...s.limits() };
            m.importedMemories++;
          } else if (kind === 3) {
            desc = { kind: "global", valType: s.byte(), mutable: s.byte() === 1 };
            m.importedGlobals++;
          } else if (kind === 4) {
            s.byte(); // tag attribute (0: exception)
            desc = { kind: "tag", typeIndex: s.u32() };
          } else throw new Error(`bad import kind ${kind}`);
          m.imports.push({ module, name: nm, desc });
        }
        break;
      }
      case 3: {
        const n = s.u32();
        for (let i = 0; i < n; i++) m.funcs.push(s.u32());
        break;
      }
      case 4: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          const elemType = s.byte();
          m.tables.push({ elemType, ...s.limits() });
        }
        break;
      }
      case 5: {
        const n = s.u32();
        for (let i = 0; i < n; i++) m.memories.push(s.limits());
        break;
      }
      case 6: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          const valType = s.byte();
          const mutable = s.byte() === 1;
          const a = s.pos;
          skipExpr(s);
          m.globals.push({ valType, mutable, init: bytes.slice(a, s.pos) });
        }
        break;
      }
      case 7: {
        const n = s.u32();
        for (let i = 0; i < n; i++) m.exports.push({ name: s.name(), kind: s.byte(), index: s.u32() });
        break;
      }
      case 9: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          const flags = s.u32();
          const passiveOrDecl = (flags & 1) !== 0;
          const mode = !passiveOrDecl ? "active" : (flags & 2) !== 0 ? "declarative" : "passive";
          if (!passiveOrDecl) {
            if ((flags & 2) !== 0) s.u32(); // table index
            skipExpr(s); // offset
          }
          if ((flags & 3) !== 0) s.byte(); // elemkind / reftype
          const count = s.u32();
          for (let j = 0; j < count; j++) {
            if ((flags & 4) !== 0) skipExpr(s);
            else s.u32();
          }
          m.elems.push({ mode, count });
        }
        break;
      }
      case 11: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          const flags = s.u32();
          if (flags === 2) s.u32();
          if (flags !== 1) skipExpr(s);
          const length = s.u32();
          s.pos += length;
          m.datas.push({ mode: flags === 1 ? "passive" : "active", length });
        }
        break;
      }
      case 10: {
        const n = s.u32();
        for (let i = 0; i < n; i++) {
          const size = s.u32();
          const bodyEnd = s.pos + size;
          const nl = s.u32();
          const locals: [number, number][] = [];
          for (let j = 0; j < nl; j++) locals.push([s.u32(), s.byte()]);
          m.bodies.push({ locals, codeStart: s.pos, codeEnd: bodyEnd });
          s.pos = bodyEnd;
        }
        break;
      }
      default:
        break;
    }
    c.pos = end;
  }
  return m;
}

/** Type of function `index` in the function index space (imports first). */
export function funcTypeOf(m: ParsedModule, index: number): FuncTypeT {
  if (index < m.importedFuncs) {
    let k = 0;
    for (const imp of m.imports) {
      if (imp.desc.kind === "func") {
        if (k === index) return m.types[imp.desc.typeIndex];
        k++;
      }
    }
  }
  return m.types[m.funcs[index - m.importedFuncs]];
}

/** Element type of table `index` (imports first). */
export function tableElemType(m: ParsedModule, index: number): number {
  if (index < m.importedTables) {
    let k = 0;
    for (const imp of m.imports) {
      if (imp.desc.kind === "table") {
        if (k === index) return imp.desc.elemType;
        k++;
      }
    }
  }
  return m.tables[index - m.importedTables].elemType;
}

/** Type of global `index` in the global index space (imports first). */
export function globalTypeOf(m: ParsedModule, index: number): { valType: number; mutable: boolean } {
  if (index < m.importedGlobals) {
    let k = 0;
    for (const imp of m.imports) {
      if (imp.desc.kind === "global") {
        if (k === index) return imp.desc;
        k++;
      }
    }
  }
  return m.globals[index - m.importedGlobals];
}

/** wast2json-style type name of a value type byte. */
export function typeName(t: number): string {
  switch (t) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: return "v128";
    case 0x70: return "funcref";
    case 0x6f: return "externref";
    default: return `type0x${t.toString(16)}`;
  }
}
