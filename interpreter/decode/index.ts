/**
 * The module decoder (spec "Binary Format > Modules"): header, sections in their required order,
 * each section's contents, into a {@link ModuleInfo}. Function bodies become flat instruction
 * streams (see `instructions.ts`).
 *
 * Every failure is a `CompileError` (`malformed`, or `unsupported` for a known proposal this engine
 * does not implement) whose message names the section, the function where relevant, and the byte
 * offset. Counts are checked against the bytes left before anything is allocated.
 */
import type {
  BodyCheck, CustomSection, Data, DataMode, Elem, ElemMode, Export, ExternKind, FuncBody, FuncType, Global, Import,
  ImportDesc, LocalRun, MemoryType, ModuleInfo, NameSection, RefType, TableType,
} from "./module.js";
import { HeapType, refType, ValType } from "./module.js";
import { ExprDecoder, Keep } from "./instructions.js";
import { parseNameSection } from "./names.js";
import { Reader } from "./reader.js";
import { readGlobalType, readMemoryType, readRefType, readTableType, readTagType, readValType } from "./types.js";
import type { ConstExpr } from "./module.js";

export { Reader, decodeUtf8 } from "./reader.js";

/** Most locals one function may have, its parameters included (the JS API's limit, {@link EMBEDDING_LIMITS}). */
export const MAX_LOCALS_PER_FUNCTION = 50000;

/**
 * Most parameters, and most results, one function type may have (as in JS engines). Validation
 * work per block, call or branch is proportional to these, so they bound the validator's
 * worst case on hostile input.
 */
export const MAX_FUNCTION_PARAMS = 1000;
export const MAX_FUNCTION_RESULTS = 1000;

/**
 * The JS API's implementation limits (WebAssembly JavaScript Interface, "Implementation-defined
 * Limits"): a module beyond one of them is rejected with a `CompileError` (here `malformed`, "too
 * many ..."), whoever decodes it. They also bound what a hostile module can make the decoder
 * allocate. Sizes of tables and memories are checked by the memory type rules and at instantiation
 * (`runtime/limits.ts`); the parameter, result and local limits are the constants above.
 */
export const EMBEDDING_LIMITS = {
  moduleBytes: 1_073_741_824,
  types: 1_000_000,
  functions: 1_000_000,
  imports: 1_000_000,
  exports: 1_000_000,
  globals: 1_000_000,
  tags: 1_000_000,
  dataSegments: 100_000,
  /** Element segments (the JS API test suite's `limits.any.js`). */
  elementSegments: 10_000_000,
  /** Entries of one table initialisation (one element segment). */
  tableEntries: 10_000_000,
  /** Tables, imported and defined. */
  tables: 100_000,
  /** Memories, imported and defined. */
  memories: 100,
  /** Bytes of one function body, its local declarations included. */
  functionBodyBytes: 7_654_321,
} as const;

/** Throws the "too many" error when `n` (read at `at`) exceeds `limit`. */
function checkLimit(r: Reader, n: number, limit: number, what: string, at: number): void {
  if (n > limit) throw r.malformed(`too many ${what}: ${n}, the limit is ${limit}`, at);
}

/** Section ids of the binary format. */
export const SectionId = {
  custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7,
  start: 8, element: 9, code: 10, data: 11, dataCount: 12, tag: 13,
} as const;

const SECTION_NAMES = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "data count", "tag"];

/**
 * Position of each known section id in the required order (the data count section sits between
 * element and code, the tag section between memory and global).
 */
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

const EXTERN_KINDS: readonly ExternKind[] = ["func", "table", "memory", "global", "tag"];

/** Mutable counterpart of {@link ModuleInfo} while decoding. */
interface Building {
  types: FuncType[];
  imports: Import[];
  funcs: number[];
  tables: TableType[];
  memories: MemoryType[];
  tags: number[];
  globals: Global[];
  exports: Export[];
  start: number | undefined;
  elems: Elem[];
  datas: Data[];
  dataCount: number | undefined;
  codes: FuncBody[];
  customs: CustomSection[];
  /** Parsed on first read from the `name` sections' contents (see {@link nameSections}). */
  readonly names: NameSection | undefined;
  /** Contents of each `name` custom section, in order (start, end pairs). */
  nameSections: number[];
  importedFuncCount: number;
  importedTableCount: number;
  importedMemoryCount: number;
  importedGlobalCount: number;
  importedTagCount: number;
  sectionOffsets: Map<number, number>;
}

/** Options of {@link decodeModule}. */
export interface DecodeOptions {
  /**
   * Called once when the code section starts (every section the validation context needs has
   * been read by then), with the module so far; the {@link BodyCheck} it returns runs on each body
   * in place of the decoder's own pass. This is how `decodeAndValidate` decodes and validates
   * function bodies in one pass.
   */
  readonly bodyCheck?: (m: ModuleInfo) => BodyCheck | undefined;
}

/**
 * Decodes a core WebAssembly module (binary format, version 1). Every part of the module is
 * checked for well-formedness now; function bodies' flat instruction streams are built on first
 * access (`FuncBody.code`), from `bytes`, which must therefore not change afterwards (the JS API
 * layer hands a private copy).
 * @throws CompileError `malformed` or `unsupported`.
 */
export function decodeModule(bytes: Uint8Array, options?: DecodeOptions): ModuleInfo {
  const r = new Reader(bytes);
  if (bytes.length > EMBEDDING_LIMITS.moduleBytes) throw r.malformed(`module too large: ${bytes.length} bytes, the limit is ${EMBEDDING_LIMITS.moduleBytes}`, 0);
  // The name section is optional debugging information (1.8 MB in a 13 MB module): it is parsed
  // when first asked for, the first one that parses winning, as when it was read eagerly.
  let names: NameSection | undefined;
  let namesRead = 0;
  const m: Building = {
    types: [], imports: [], funcs: [], tables: [], memories: [], tags: [], globals: [], exports: [],
    start: undefined, elems: [], datas: [], dataCount: undefined, codes: [], customs: [],
    get names(): NameSection | undefined {
      const ranges = this.nameSections;
      while (names === undefined && namesRead < ranges.length) {
        names = parseNameSection(bytes, ranges[namesRead], ranges[namesRead + 1]);
        namesRead += 2;
      }
      return names;
    },
    nameSections: [],
    importedFuncCount: 0, importedTableCount: 0, importedMemoryCount: 0, importedGlobalCount: 0, importedTagCount: 0,
    sectionOffsets: new Map(),
  };
  readHeader(r);
  const exprs = new ExprDecoder();
  const consts = new ConstExprReader(exprs);
  let lastOrder = 0;
  let sawCode = false;
  let sawData = false;
  while (r.pos < bytes.length) {
    r.end = bytes.length;
    r.section = "module";
    r.func = -1;
    const idAt = r.pos;
    const id = r.u8();
    if (id > 13) throw r.malformed(`malformed section id ${id}`, idAt);
    const name = SECTION_NAMES[id];
    r.section = name;
    const sizeAt = r.pos;
    const size = r.u32();
    if (size > bytes.length - r.pos) {
      throw r.malformed(`length out of bounds: section size ${size} but only ${bytes.length - r.pos} bytes remain (unexpected end)`, sizeAt);
    }
    const end = r.pos + size;
    r.end = end;
    if (id !== SectionId.custom) {
      const order = SECTION_ORDER[id];
      if (order <= lastOrder) throw r.malformed(`unexpected content after last section: ${name} section out of order or repeated`, idAt);
      lastOrder = order;
      m.sectionOffsets.set(id, r.pos);
    }
    switch (id) {
      case SectionId.custom: readCustomSection(r, m, end); break;
      case SectionId.type: readTypeSection(r, m); break;
      case SectionId.import: readImportSection(r, m); break;
      case SectionId.function: {
        const at = r.pos;
        const n = r.count(1);
        checkLimit(r, n, EMBEDDING_LIMITS.functions, "functions", at);
        for (let i = 0; i < n; i++) m.funcs.push(r.u32());
        break;
      }
      case SectionId.table: {
        const at = r.pos;
        const n = r.count(1);
        checkLimit(r, m.importedTableCount + n, EMBEDDING_LIMITS.tables, "tables (imported and defined)", at);
        for (let i = 0; i < n; i++) m.tables.push(readTable(r, consts));
        break;
      }
      case SectionId.memory: {
        const at = r.pos;
        const n = r.count(1);
        checkLimit(r, m.importedMemoryCount + n, EMBEDDING_LIMITS.memories, "memories (imported and defined)", at);
        for (let i = 0; i < n; i++) m.memories.push(readMemoryType(r));
        break;
      }
      case SectionId.tag: {
        const at = r.pos;
        const n = r.count(1);
        checkLimit(r, n, EMBEDDING_LIMITS.tags, "tags", at);
        for (let i = 0; i < n; i++) m.tags.push(readTagType(r));
        break;
      }
      case SectionId.global: {
        const at = r.pos;
        const n = r.count(1);
        checkLimit(r, n, EMBEDDING_LIMITS.globals, "globals", at);
        for (let i = 0; i < n; i++) {
          const type = readGlobalType(r);
          m.globals.push({ type, init: consts.read(r) });
        }
        break;
      }
      case SectionId.export: readExportSection(r, m); break;
      case SectionId.start: m.start = r.u32(); break;
      case SectionId.element: readElementSection(r, m, consts); break;
      case SectionId.dataCount: {
        const at = r.pos;
        m.dataCount = r.u32();
        checkLimit(r, m.dataCount, EMBEDDING_LIMITS.dataSegments, "data segments", at);
        break;
      }
      case SectionId.code: sawCode = true; readCodeSection(r, m, exprs, options); break;
      case SectionId.data: sawData = true; readDataSection(r, m, consts); break;
    }
    r.func = -1;
    if (r.pos !== end) throw r.malformed(`section size mismatch: section declares ${size} bytes but its contents end ${r.pos < end ? "before" : "after"} that`, r.pos);
  }
  r.end = bytes.length;
  r.section = "module";
  if (!sawCode && m.funcs.length > 0) {
    throw r.malformed(`function and code section have inconsistent lengths: ${m.funcs.length} functions declared, no code section`, bytes.length);
  }
  if (!sawData && m.dataCount !== undefined && m.dataCount !== 0) {
    throw r.malformed(`data count and data section have inconsistent lengths: data count ${m.dataCount}, no data section`, bytes.length);
  }
  return m;
}

function readHeader(r: Reader): void {
  const b = r.bytes;
  if (b.length < 4 || b[0] !== 0x00 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) {
    throw r.malformed("magic header not detected: a module starts with \\0asm", 0);
  }
  if (b.length < 8) throw r.malformed("unexpected end: truncated binary version", 4);
  const version = b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24);
  if (version !== 1) {
    const hint = b[6] === 0x01 && b[7] === 0x00 ? " (layer 1: this is a component, not a core module)" : "";
    throw r.malformed(`unknown binary version 0x${(version >>> 0).toString(16)}${hint}`, 4);
  }
  r.pos = 8;
}

function readCustomSection(r: Reader, m: Building, end: number): void {
  const offset = r.pos;
  const name = r.name();
  const dataStart = r.pos;
  m.customs.push({ name, data: r.bytes.slice(dataStart, end), offset });
  if (name === "name") m.nameSections.push(dataStart, end);
  r.pos = end;
}

function readTypeSection(r: Reader, m: Building): void {
  const nAt = r.pos;
  const n = r.count(1);
  checkLimit(r, n, EMBEDDING_LIMITS.types, "types", nAt);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const form = r.u8();
    if (form !== 0x60) {
      if (form === 0x5e || form === 0x5f || form === 0x50 || form === 0x4f || form === 0x4e) {
        throw r.unsupported("GC", `type form 0x${form.toString(16)}`, at);
      }
      if (form & 0x80) throw r.malformed(`integer representation too long: type form 0x${form.toString(16)}`, at);
      throw r.malformed(`malformed function type: form 0x${form.toString(16)}, expected 0x60`, at);
    }
    const npAt = r.pos;
    const np = r.count(1);
    if (np > MAX_FUNCTION_PARAMS) throw r.malformed(`too many parameters: function type ${i} has ${np}, the limit is ${MAX_FUNCTION_PARAMS}`, npAt);
    const params: ValType[] = new Array(np);
    for (let j = 0; j < np; j++) params[j] = readValType(r);
    const nrAt = r.pos;
    const nr = r.count(1);
    if (nr > MAX_FUNCTION_RESULTS) throw r.malformed(`too many results: function type ${i} has ${nr}, the limit is ${MAX_FUNCTION_RESULTS}`, nrAt);
    const results: ValType[] = new Array(nr);
    for (let j = 0; j < nr; j++) results[j] = readValType(r);
    m.types.push({ params, results });
  }
}

function readImportSection(r: Reader, m: Building): void {
  const nAt = r.pos;
  const n = r.count(1);
  checkLimit(r, n, EMBEDDING_LIMITS.imports, "imports", nAt);
  for (let i = 0; i < n; i++) {
    const offset = r.pos;
    const module = r.name();
    const name = r.name();
    const at = r.pos;
    const kind = r.u8();
    let desc: ImportDesc;
    switch (kind) {
      case 0: desc = { kind: "func", typeIndex: r.u32() }; m.importedFuncCount++; break;
      case 1:
        desc = { kind: "table", type: readTableType(r) };
        checkLimit(r, ++m.importedTableCount, EMBEDDING_LIMITS.tables, "tables (imported and defined)", offset);
        break;
      case 2:
        desc = { kind: "memory", type: readMemoryType(r) };
        checkLimit(r, ++m.importedMemoryCount, EMBEDDING_LIMITS.memories, "memories (imported and defined)", offset);
        break;
      case 3: desc = { kind: "global", type: readGlobalType(r) }; m.importedGlobalCount++; break;
      case 4: desc = { kind: "tag", typeIndex: readTagType(r) }; m.importedTagCount++; break;
      default: throw r.malformed(`malformed import kind ${kind}`, at);
    }
    m.imports.push({ module, name, desc, offset });
  }
}

function readExportSection(r: Reader, m: Building): void {
  const nAt = r.pos;
  const n = r.count(1);
  checkLimit(r, n, EMBEDDING_LIMITS.exports, "exports", nAt);
  for (let i = 0; i < n; i++) {
    const offset = r.pos;
    const name = r.name();
    const at = r.pos;
    const kind = r.u8();
    if (kind > 4) throw r.malformed(`malformed export kind ${kind}`, at);
    m.exports.push({ name, kind: EXTERN_KINDS[kind], index: r.u32(), offset });
  }
}

/**
 * Reads a module's constant expressions. Expressions with the same bytes share one decoded code
 * array (never written after decoding), as do the `ref.func x` of function-index element segments
 * with the same `x`: a module of millions of segments (10,000,000 are allowed) would otherwise hold
 * millions of identical arrays.
 */
class ConstExprReader {
  private readonly shared = new Map<string, Int32Array>();
  private readonly refFuncs = new Map<number, Int32Array>();
  private readonly elemModes = new Map<string, ElemMode>();
  private readonly dataModes = new Map<string, DataMode>();
  /** The bytes of the expression {@link read} last read, as a string (undefined when long). */
  private lastKey: string | undefined = undefined;
  constructor(private readonly exprs: ExprDecoder) {}

  /** A constant expression: instructions up to the closing `end`. */
  read(r: Reader): ConstExpr {
    const offset = r.pos;
    const e = this.exprs.decode(r, 16);
    this.lastKey = undefined;
    if (r.pos - offset > 24) return { code: e.code, offset };
    let key = "";
    for (let i = offset; i < r.pos; i++) key += String.fromCharCode(r.bytes[i]!);
    this.lastKey = key;
    let code = this.shared.get(key);
    if (code === undefined) {
      code = e.code;
      this.shared.set(key, code);
    }
    return { code, offset };
  }

  /**
   * The mode of an active element segment of table `table`, its offset expression read here.
   * Segments of the same table with the same offset bytes share one mode: the validity and the
   * value of the expression depend on nothing else, so the first of them is the one where an
   * error is found and reported (at its own byte offset).
   */
  activeElemMode(r: Reader, table: number): ElemMode {
    return this.sharedMode(r, table, this.elemModes, (offset) => ({ kind: "active", table, offset }));
  }

  /** The same for an active data segment of memory `memory`. */
  activeDataMode(r: Reader, memory: number): DataMode {
    return this.sharedMode(r, memory, this.dataModes, (offset) => ({ kind: "active", memory, offset }));
  }

  private sharedMode<M>(r: Reader, index: number, cache: Map<string, M>, make: (offset: ConstExpr) => M): M {
    const offset = this.read(r);
    if (this.lastKey === undefined) return make(offset);
    const key = `${index}:${this.lastKey}`;
    let mode = cache.get(key);
    if (mode === undefined) {
      mode = Object.freeze(make(offset));
      cache.set(key, mode);
    }
    return mode;
  }

  /** `ref.func x` as a constant expression (function-index forms of element segments). */
  refFunc(x: number, offset: number): ConstExpr {
    let code = this.refFuncs.get(x);
    if (code === undefined) {
      code = Int32Array.of(0xd2, x, 0x0b);
      this.refFuncs.set(x, code);
    }
    return { code, offset };
  }
}

/** The elements of an empty segment, and the modes without an offset (shared: never written). */
const NO_ELEMENTS: readonly ConstExpr[] = Object.freeze([]);
const PASSIVE: ElemMode = Object.freeze({ kind: "passive" });
const DECLARATIVE: ElemMode = Object.freeze({ kind: "declarative" });

/** `table`: a table type, or (Wasm 3.0) `0x40 0x00` then a table type and its initialiser expression. */
function readTable(r: Reader, consts: ConstExprReader): TableType {
  if (r.peek() !== 0x40) return readTableType(r);
  r.pos++;
  const at = r.pos;
  const z = r.u8();
  if (z !== 0) throw r.malformed(`malformed table: byte 0x${z.toString(16)} after 0x40, expected 0x00`, at);
  const t = readTableType(r);
  return { ...t, init: consts.read(r) };
}

/**
 * Element section: segments in the 8 encodings (flags 0..7). Bit 0: passive/declarative (else
 * active); bit 1: explicit table index (active) or declarative; bit 2: expressions (else function indices).
 */
function readElementSection(r: Reader, m: Building, consts: ConstExprReader): void {
  const nAt = r.pos;
  const n = r.count(1);
  checkLimit(r, n, EMBEDDING_LIMITS.elementSegments, "element segments", nAt);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) throw r.malformed(`malformed elements segment kind ${flags}`, at);
    let mode: ElemMode;
    if ((flags & 1) === 0) {
      const table = flags & 2 ? r.u32() : 0;
      mode = consts.activeElemMode(r, table);
    } else {
      mode = flags & 2 ? DECLARATIVE : PASSIVE;
    }
    const usesExprs = (flags & 4) !== 0;
    // Wasm 3.0: a segment of function indices has type (ref func) (its elements are never null);
    // one of expressions without an explicit type, funcref
    let type: RefType = usesExprs ? ValType.funcref : refType(false, HeapType.func);
    if ((flags & 3) !== 0) {
      if (usesExprs) {
        type = readRefType(r);
      } else {
        const kAt = r.pos;
        const kind = r.u8();
        if (kind !== 0) throw r.malformed(`malformed elements segment kind: elemkind 0x${kind.toString(16)}`, kAt);
      }
    }
    const cAt = r.pos;
    const count = r.count(1);
    checkLimit(r, count, EMBEDDING_LIMITS.tableEntries, "elements in one segment", cAt);
    if (count === 0) {
      m.elems.push({ type, init: NO_ELEMENTS, mode, offset: at });
      continue;
    }
    const init: ConstExpr[] = new Array(count);
    for (let j = 0; j < count; j++) {
      if (usesExprs) {
        init[j] = consts.read(r);
      } else {
        const xAt = r.pos;
        init[j] = consts.refFunc(r.u32(), xAt);
      }
    }
    m.elems.push({ type, init, mode, offset: at });
  }
}

function readDataSection(r: Reader, m: Building, consts: ConstExprReader): void {
  const at = r.pos;
  // One copy of the section; each segment's bytes are a view of it (one buffer, not one per segment).
  const copy = r.bytes.slice(at, r.end);
  const n = r.count(1);
  checkLimit(r, n, EMBEDDING_LIMITS.dataSegments, "data segments", at);
  if (m.dataCount !== undefined && n !== m.dataCount) {
    throw r.malformed(`data count and data section have inconsistent lengths: data count ${m.dataCount}, data section ${n}`, at);
  }
  for (let i = 0; i < n; i++) {
    const fAt = r.pos;
    const flags = r.u32();
    let mode: DataMode;
    switch (flags) {
      case 0: mode = consts.activeDataMode(r, 0); break;
      case 1: mode = { kind: "passive" }; break;
      case 2: {
        const memory = r.u32();
        mode = consts.activeDataMode(r, memory);
        break;
      }
      default: throw r.malformed(`malformed data segment kind ${flags}`, fAt);
    }
    const lenAt = r.pos;
    const len = r.u32();
    if (len > r.end - r.pos) throw r.malformed(`length out of bounds: ${len} bytes with ${r.end - r.pos} remaining`, lenAt);
    const init = copy.subarray(r.pos - at, r.pos - at + len);
    r.pos += len;
    m.datas.push({ init, mode, offset: fAt });
  }
}

/** Scratch decoder for bodies decoded on demand (one thread: reused by every module). */
const lazyExprs = new ExprDecoder();

/** A function body whose flat instruction stream is decoded from the module's bytes on first use. */
class LazyFuncBody implements FuncBody {
  readonly localCount: number;
  readonly localsAt: number;
  readonly offset: number;
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
  readonly prevalidated: boolean;
  /** Function index (in the function index space), for messages. */
  private readonly func: number;
  private runs: readonly LocalRun[] | undefined;
  private flat: Int32Array | undefined;
  private instrOffsets: Int32Array | undefined;
  private instrStarts: Int32Array | undefined;

  constructor(bytes: Uint8Array, func: number, offset: number, start: number, end: number, localsAt: number, localCount: number, prevalidated: boolean, flat: Int32Array | undefined) {
    this.bytes = bytes;
    this.func = func;
    this.offset = offset;
    this.start = start;
    this.end = end;
    this.localsAt = localsAt;
    this.runs = undefined;
    this.localCount = localCount;
    this.prevalidated = prevalidated;
    this.flat = flat;
    this.instrOffsets = undefined;
    this.instrStarts = undefined;
  }

  private decode(keep: Keep, operators?: Uint8Array) {
    const r = new Reader(this.bytes);
    r.pos = this.start;
    r.end = this.end;
    r.section = "code";
    r.func = this.func;
    return lazyExprs.decode(r, this.end - this.start, keep, operators);
  }

  markOperators(operators: Uint8Array): void {
    this.decode(Keep.nothing, operators);
  }

  /** The local declarations, read again from the bytes (the decoder checked them). */
  get locals(): readonly LocalRun[] {
    if (this.runs === undefined) {
      const r = new Reader(this.bytes);
      r.pos = this.localsAt;
      r.end = this.end;
      const n = r.u32();
      const runs: LocalRun[] = [];
      for (let j = 0; j < n; j++) {
        const count = r.u32();
        runs.push({ count, type: readValType(r) });
      }
      this.runs = runs;
    }
    return this.runs;
  }

  get code(): Int32Array {
    return (this.flat ??= this.decode(Keep.code).code);
  }

  takeCode(): Int32Array {
    const flat = this.flat ?? this.decode(Keep.code).code;
    this.flat = undefined;
    return flat;
  }

  get offsets(): Int32Array {
    if (this.instrOffsets === undefined) {
      const e = this.decode(Keep.codeAndOffsets);
      this.flat ??= e.code;
      this.instrOffsets = e.offsets;
      this.instrStarts = e.starts;
    }
    return this.instrOffsets;
  }

  get starts(): Int32Array {
    if (this.instrStarts === undefined) void this.offsets;
    return this.instrStarts!;
  }
}

function readCodeSection(r: Reader, m: Building, exprs: ExprDecoder, options: DecodeOptions | undefined): void {
  const at = r.pos;
  const n = r.count(1);
  if (n !== m.funcs.length) {
    throw r.malformed(`function and code section have inconsistent lengths: ${m.funcs.length} functions declared, ${n} bodies`, at);
  }
  const sectionEnd = r.end;
  const bytes = r.bytes;
  const checker = options?.bodyCheck?.(m);
  for (let i = 0; i < n; i++) {
    r.func = m.importedFuncCount + i;
    const offset = r.pos;
    const size = r.u32();
    if (size > sectionEnd - r.pos) throw r.malformed(`length out of bounds: function body of ${size} bytes, ${sectionEnd - r.pos} remain in the section`, offset);
    checkLimit(r, size, EMBEDDING_LIMITS.functionBodyBytes, "bytes in a function body", offset);
    const bodyEnd = r.pos + size;
    r.end = bodyEnd;
    const localsAt = r.pos;
    const runs = r.count(1);
    // the limit counts the parameters too (an unknown type index is left to validation)
    const params = m.types[m.funcs[i]!]?.params.length ?? 0;
    let localCount = 0;
    for (let j = 0; j < runs; j++) {
      const cAt = r.pos;
      const count = r.u32();
      localCount += count;
      if (params + localCount > MAX_LOCALS_PER_FUNCTION) {
        throw r.malformed(`too many locals: ${localCount} declared so far and ${params} parameters, the limit is ${MAX_LOCALS_PER_FUNCTION}`, cAt);
      }
      readValType(r);
    }
    const start = r.pos;
    let valid = false;
    let flat: Int32Array | undefined;
    if (checker !== undefined) valid = checker.check(bytes, start, bodyEnd, i, localsAt, localCount);
    if (valid) {
      r.pos = bodyEnd;
    } else {
      // The exact decoder: throws the malformed error; a body it accepts but the check did not
      // vouch for keeps its flat stream (the validator reads it next).
      const e = exprs.decode(r, bodyEnd - r.pos, checker !== undefined ? Keep.code : Keep.nothing);
      if (r.pos !== bodyEnd) throw r.malformed(`section size mismatch: ${bodyEnd - r.pos} bytes after the function body's final end`, r.pos);
      if (e.usesDataIndex && m.dataCount === undefined) {
        throw r.malformed("data count section required: memory.init or data.drop used without a data count section", offset);
      }
      if (checker !== undefined) flat = e.code;
    }
    m.codes.push(new LazyFuncBody(bytes, r.func, offset, start, bodyEnd, localsAt, localCount, valid, flat));
    r.end = sectionEnd;
  }
  r.func = -1;
}
