/**
 * Module validation (spec "Validation > Modules", Wasm 2.0 without SIMD): builds the context
 * `C`, checks imports, function/table/memory/global definitions, element and data segments,
 * the start function, exports, and every function body (`function.ts`).
 *
 * Errors are `CompileError("invalid", ...)` worded as the spec's reference interpreter words them
 * (`type mismatch`, `unknown local 5`, ...), followed by where: section, function, byte offset.
 */
import { decodeModule } from "../decode/index.js";
import { canonicalTypeIds, matchesValType } from "../decode/matching.js";
import { CONCRETE, isNullable, ValType, valTypeName, type BodyCheck, type Limits, type MemoryType, type ModuleInfo, type RefType, type TableType } from "../decode/module.js";
import { validateConstExpr } from "./const-expr.js";
import { invalid, type ValidationContext } from "./context.js";
import { FastBodyChecker } from "./fast.js";
import { FunctionValidator } from "./function.js";

export { FunctionValidator } from "./function.js";
export type { ValidationContext } from "./context.js";

/** Largest memory size in pages (4 GiB) of an i32 memory. */
export const MAX_MEMORY_PAGES = 65536;
/** Largest memory size in pages of an i64 memory (memory64): 2^48 pages, 2^64 bytes. */
export const MAX_MEMORY64_PAGES = 2 ** 48;

function checkLimits(l: Limits, bound: number, boundMessage: string, where: string, offset: number | undefined): void {
  if (l.min > bound || (l.max !== undefined && l.max > bound)) throw invalid(boundMessage, where, offset);
  if (l.max !== undefined && l.min > l.max) {
    throw invalid(`size minimum must not be greater than maximum (${l.min} > ${l.max})`, where, offset);
  }
}

const MEMORY_BOUND_MESSAGE = "memory size must be at most 65536 pages (4GiB)";
const MEMORY64_BOUND_MESSAGE = "memory size must be at most 2^48 pages (2^64 bytes)";
const TABLE_BOUND_MESSAGE = "table size must be at most 2^32-1";
const TABLE64_BOUND_MESSAGE = "table size must be at most 2^64-1";

/** Spec "Memory Types": the limits within the address type's range ("memory size"). */
function checkMemoryType(t: MemoryType, where: string, offset: number | undefined): void {
  if (t.addressType === ValType.i64) checkLimits(t.limits, MAX_MEMORY64_PAGES, MEMORY64_BOUND_MESSAGE, where, offset);
  else checkLimits(t.limits, MAX_MEMORY_PAGES, MEMORY_BOUND_MESSAGE, where, offset);
}

/** Spec "Table Types": the limits within the address type's range. */
function checkTableType(t: TableType, where: string, offset: number | undefined): void {
  if (t.addressType === ValType.i64) checkLimits(t.limits, 2 ** 64, TABLE64_BOUND_MESSAGE, where, offset);
  else checkLimits(t.limits, 0xffffffff, TABLE_BOUND_MESSAGE, where, offset);
}

/** Builds `C` from the module's index spaces, and `C.refs` from everything outside function bodies. */
export function buildContext(m: ModuleInfo): ValidationContext {
  const funcTypeIndices = new Int32Array(m.importedFuncCount + m.funcs.length);
  const tableElemTypes: RefType[] = [];
  const tableTypes: TableType[] = [];
  const memoryTypes: MemoryType[] = [];
  const nGlobals = m.importedGlobalCount + m.globals.length;
  const globalTypes = new Int32Array(nGlobals);
  const globalMutable = new Uint8Array(nGlobals);
  const tagTypeIndices = new Int32Array(m.importedTagCount + m.tags.length);
  let f = 0;
  let g = 0;
  let tg = 0;
  for (const imp of m.imports) {
    const d = imp.desc;
    switch (d.kind) {
      case "func": funcTypeIndices[f++] = d.typeIndex; break;
      case "tag": tagTypeIndices[tg++] = d.typeIndex; break;
      case "table": tableTypes.push(d.type); break;
      case "memory": memoryTypes.push(d.type); break;
      case "global":
        globalTypes[g] = d.type.valType;
        globalMutable[g] = d.type.mutable ? 1 : 0;
        g++;
        break;
    }
  }
  for (const t of m.funcs) funcTypeIndices[f++] = t;
  for (const t of m.tags) tagTypeIndices[tg++] = t;
  tableTypes.push(...m.tables);
  memoryTypes.push(...m.memories);
  for (const t of tableTypes) tableElemTypes.push(t.elemType);
  for (const gl of m.globals) {
    globalTypes[g] = gl.type.valType;
    globalMutable[g] = gl.type.mutable ? 1 : 0;
    g++;
  }

  // C.refs: function indices in globals, element segments, exports (and segment offsets).
  const refs = new Uint8Array(funcTypeIndices.length);
  const markExpr = (code: Int32Array): void => {
    for (let pc = 0; pc < code.length; pc++) {
      const op = code[pc];
      if (op === 0xd2) {
        const x = code[pc + 1] >>> 0;
        if (x < refs.length) refs[x] = 1;
        pc++;
      } else if (op === 0x42 || op === 0x44) {
        pc += 2;
      } else if (op === 0x41 || op === 0x43 || op === 0x23 || op === 0xd0) {
        pc++;
      } else if (op !== 0x0b) {
        break; // not constant: validation rejects it anyway
      }
    }
  };
  for (const gl of m.globals) markExpr(gl.init.code);
  for (const t of m.tables) if (t.init !== undefined) markExpr(t.init.code);
  for (const e of m.elems) {
    for (const x of e.init) markExpr(x.code);
    if (e.mode.kind === "active") markExpr(e.mode.offset.code);
  }
  for (const d of m.datas) if (d.mode.kind === "active") markExpr(d.mode.offset.code);
  for (const ex of m.exports) if (ex.kind === "func" && ex.index < refs.length) refs[ex.index] = 1;

  return {
    module: m,
    types: m.types,
    canon: canonicalTypeIds(m.types),
    funcTypeIndices,
    tableElemTypes,
    tableAddressTypes: Uint8Array.from(tableTypes, (t) => t.addressType),
    memoryCount: memoryTypes.length,
    memoryAddressTypes: Uint8Array.from(memoryTypes, (t) => t.addressType),
    has64: tableTypes.some((t) => t.addressType === ValType.i64) || memoryTypes.some((t) => t.addressType === ValType.i64),
    globalTypes,
    globalMutable,
    elemTypes: m.elems.map((e) => e.type),
    dataCount: m.dataCount,
    refs,
    tagTypeIndices,
  };
}

/** Options of {@link validateModule}. */
export interface ValidateOptions {
  /**
   * Whether function bodies may take the fast check (default true). False validates every body
   * with the exact validator only, ignoring `prevalidated`: the reference the fast path is tested
   * against.
   */
  readonly fast?: boolean;
}

/**
 * Validates a decoded module.
 * @throws CompileError `invalid` naming the rule, the place and the byte offset.
 */
export function validateModule(m: ModuleInfo, options?: ValidateOptions): void {
  const allowFast = options?.fast !== false;
  const nTypes = m.types.length;
  const sectionAt = (id: number): number | undefined => m.sectionOffsets?.get(id);
  const checkTypeIndex = (x: number, where: string, offset: number | undefined): void => {
    if (x >= nTypes) throw invalid(`unknown type ${x}`, where, offset);
  };
  // spec "Tag types": the type of an exception tag has no results
  const checkTagType = (x: number, where: string, offset: number | undefined): void => {
    checkTypeIndex(x, where, offset);
    if (m.types[x]!.results.length !== 0) throw invalid(`non-empty tag result type: type ${x}`, where, offset);
  };
  // A value type naming a type index (a typed reference) needs that type to exist; inside the
  // type section, type `self` may name itself and the types before it (its recursion group).
  const checkValType = (t: number, where: string, offset: number | undefined, bound = nTypes): void => {
    if ((t & CONCRETE) !== 0 && t >>> 10 >= bound) throw invalid(`unknown type ${t >>> 10}`, where, offset);
  };

  // Types.
  m.types.forEach((ft, i) => {
    for (const t of ft.params) checkValType(t, `type section, type ${i}`, sectionAt(1), i + 1);
    for (const t of ft.results) checkValType(t, `type section, type ${i}`, sectionAt(1), i + 1);
  });

  // Imports.
  m.imports.forEach((imp, i) => {
    const where = `import section, import ${i} "${imp.module}" "${imp.name}"`;
    const d = imp.desc;
    if (d.kind === "func") checkTypeIndex(d.typeIndex, where, imp.offset);
    else if (d.kind === "tag") checkTagType(d.typeIndex, where, imp.offset);
    else if (d.kind === "table") {
      checkValType(d.type.elemType, where, imp.offset);
      checkTableType(d.type, where, imp.offset);
    } else if (d.kind === "global") checkValType(d.type.valType, where, imp.offset);
    else if (d.kind === "memory") checkMemoryType(d.type, where, imp.offset);
  });
  // Functions, tables, memories.
  m.funcs.forEach((t, i) => checkTypeIndex(t, `function section, function ${m.importedFuncCount + i}`, sectionAt(3)));
  m.tables.forEach((t, i) => {
    checkValType(t.elemType, `table section, table ${m.importedTableCount + i}`, sectionAt(4));
    checkTableType(t, `table section, table ${m.importedTableCount + i}`, sectionAt(4));
  });
  m.globals.forEach((g, i) => checkValType(g.type.valType, `global section, global ${m.importedGlobalCount + i}`, g.init.offset));
  m.elems.forEach((e, i) => checkValType(e.type, `element section, segment ${i}`, e.offset));
  m.memories.forEach((t, i) => checkMemoryType(t, `memory section, memory ${m.importedMemoryCount + i}`, sectionAt(5)));
  m.tags.forEach((t, i) => checkTagType(t, `tag section, tag ${m.importedTagCount + i}`, sectionAt(13)));

  const c = buildContext(m);

  // Constant expressions (Wasm 3.0): a global's initialiser reads the globals before it,
  // segment offsets and elements read every global (Wasm 2.0: imported globals only).
  const constGlobals = m.importedGlobalCount + m.globals.length;
  // A table's initialiser (the table section comes before the globals: imported globals only);
  // without one, the element type must be defaultable (nullable).
  m.tables.forEach((t, i) => {
    const where = `table section, table ${m.importedTableCount + i}`;
    if (t.init !== undefined) validateConstExpr(c, t.init, t.elemType, m.importedGlobalCount, where);
    else if (!isNullable(t.elemType)) throw invalid(`type mismatch: a table of non-nullable ${valTypeName(t.elemType)} needs an initialiser`, where, sectionAt(4));
  });
  m.globals.forEach((gl, i) => {
    validateConstExpr(c, gl.init, gl.type.valType, m.importedGlobalCount + i, `global section, global ${m.importedGlobalCount + i}`);
  });

  // Element segments.
  m.elems.forEach((e, i) => {
    const where = `element section, segment ${i}`;
    for (const init of e.init) validateConstExpr(c, init, e.type, constGlobals, where);
    if (e.mode.kind === "active") {
      const x = e.mode.table;
      if (x >= c.tableElemTypes.length) throw invalid(`unknown table ${x}`, where, e.offset);
      const t = c.tableElemTypes[x];
      if (!matchesValType(e.type, t, c.canon)) throw invalid(`type mismatch: segment of ${valTypeName(e.type)} for a table of ${valTypeName(t)}`, where, e.offset);
      validateConstExpr(c, e.mode.offset, c.tableAddressTypes[x]! as ValType, constGlobals, where);
    }
  });

  // Data segments.
  m.datas.forEach((d, i) => {
    if (d.mode.kind !== "active") return;
    const where = `data section, segment ${i}`;
    if (d.mode.memory >= c.memoryCount) throw invalid(`unknown memory ${d.mode.memory}`, where, d.offset);
    validateConstExpr(c, d.mode.offset, c.memoryAddressTypes[d.mode.memory]! as ValType, constGlobals, where);
  });

  // Start function.
  if (m.start !== undefined) {
    const x = m.start;
    if (x >= c.funcTypeIndices.length) throw invalid(`unknown function ${x}`, "start section", sectionAt(8));
    const ft = m.types[c.funcTypeIndices[x]];
    if (ft.params.length !== 0 || ft.results.length !== 0) {
      throw invalid(`start function ${x} must have type [] -> []`, "start section", sectionAt(8));
    }
  }

  // Exports: names are unique, indices exist.
  const names = new Set<string>();
  m.exports.forEach((ex, i) => {
    const where = `export section, export ${i} "${ex.name}"`;
    if (names.has(ex.name)) throw invalid(`duplicate export name "${ex.name}"`, where, ex.offset);
    names.add(ex.name);
    const x = ex.index;
    switch (ex.kind) {
      case "func": if (x >= c.funcTypeIndices.length) throw invalid(`unknown function ${x}`, where, ex.offset); break;
      case "table": if (x >= c.tableElemTypes.length) throw invalid(`unknown table ${x}`, where, ex.offset); break;
      case "memory": if (x >= c.memoryCount) throw invalid(`unknown memory ${x}`, where, ex.offset); break;
      case "global": if (x >= c.globalTypes.length) throw invalid(`unknown global ${x}`, where, ex.offset); break;
      case "tag": if (x >= c.tagTypeIndices.length) throw invalid(`unknown tag ${x}`, where, ex.offset); break;
    }
  });

  // Function bodies: those the decoder's body check vouched for are done; the others take the
  // fast check, then (when it cannot tell) the exact validator, which words the error.
  let fast: FastBodyChecker | undefined;
  let fv: FunctionValidator | undefined;
  for (let i = 0; i < m.codes.length; i++) {
    const body = m.codes[i];
    if (allowFast && body.prevalidated) continue;
    const fi = m.importedFuncCount + i;
    const type = m.types[c.funcTypeIndices[fi]];
    if (allowFast) {
      if (fast === undefined) {
        trainFastCheck();
        fast = new FastBodyChecker(c);
      }
      if (fast.check(body.bytes, body.start, body.end, type, body.localsAt, body.localCount)) continue;
    }
    fv ??= new FunctionValidator();
    fv.validate(c, fi, type, body);
  }
}

/**
 * A small valid module whose one body takes every path of the fast check once (every immediate
 * kind, one- and multi-byte LEB128s, every control instruction, typed and untyped select,
 * references, 0xFC ops, stack polymorphism). Source: the WAT in the comment of
 * {@link trainFastCheck}'s test (test/interpreter/validate-fast.test.ts), assembled with wabt.
 */
const TRAINING_MODULE_HEX =
  "0061736d0100000001120360027f7e017f60017f027f7f60017f017f020701016d016600000302010004040170000105" +
  "03010001060b027f0141000b7e0042000b090501030001010ad10101ce0103017d017c82017f41e807218201430000c0" +
  "3f2202210244000000000000044021034280d0dbc3f4021a230041002802e8076a2400410841032d0000ad3703003f00" +
  "40001a23011a027f410003022000047f41010541020b0d0041050e0101010b0b1a2000020141010c000b1a1a41010440" +
  "0105000b024041000d0041010e0100000b4101420210011a4101420241001100001a4101410241031b1ad201d0704103" +
  "1c01701ad06fd11a2002fc001a410041004100fc0a0000410041004100fc0b000240006a1a0c000b41070f0b";

let trained = false;

/** The bytes of the training module (internal: for the test that keeps it exercising the fast path). */
export function fastCheckTrainingModule(): Uint8Array {
  const hex = TRAINING_MODULE_HEX;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
  return bytes;
}

/**
 * Runs the fast check once on {@link TRAINING_MODULE_HEX} (first use in a process only), so V8
 * has seen every branch of its loop before it optimises it: without this, the first real module
 * reaches branches without type feedback one after the other, and each one throws the optimised
 * loop away (a deoptimisation and a recompilation, tens of ms of CPU each in a fresh process).
 */
function trainFastCheck(): void {
  if (trained) return;
  trained = true;
  const m = decodeModule(fastCheckTrainingModule());
  const fast = new FastBodyChecker(buildContext(m));
  const body = m.codes[0];
  // V8 allocates a function's feedback vector only after it has run a while (lazy feedback
  // allocation), so one pass is not enough: the first passes allocate, the later ones record.
  for (let i = 0; i < 12; i++) fast.check(body.bytes, body.start, body.end, m.types[m.funcs[0]], body.localsAt, body.localCount);
}

/** The decoder's {@link BodyCheck} that validates each body as it is decoded (the fast check). */
class DecodeTimeCheck implements BodyCheck {
  private readonly fast: FastBodyChecker;
  private readonly m: ModuleInfo;
  private readonly nTypes: number;

  constructor(m: ModuleInfo) {
    this.m = m;
    this.nTypes = m.types.length;
    trainFastCheck();
    this.fast = new FastBodyChecker(buildContext(m));
  }

  check(bytes: Uint8Array, start: number, end: number, defIndex: number, localsAt: number, localCount: number): boolean {
    const t = this.m.funcs[defIndex];
    if (t === undefined || t >= this.nTypes) return false;
    return this.fast.check(bytes, start, end, this.m.types[t], localsAt, localCount);
  }
}

/**
 * Decodes and validates a module in one pass over its function bodies: the decoder runs the
 * validator's fast check on each body as it reads it, so a valid module's bodies are read once
 * and no flat instruction stream is built (the translator decodes a function when it is first
 * called). Errors are exactly those of `validateModule(decodeModule(bytes))`: any malformed part
 * first, then the invalid parts in the validator's order.
 * @throws CompileError `malformed`, `unsupported` or `invalid`.
 */
export function decodeAndValidate(bytes: Uint8Array): ModuleInfo {
  const m = decodeModule(bytes, { bodyCheck: (partial) => new DecodeTimeCheck(partial) });
  validateModule(m);
  return m;
}
