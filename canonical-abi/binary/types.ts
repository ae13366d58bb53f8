/**
 * Decoding of the type section's contents (Binary.md §Type Definitions): `defvaltype`,
 * `functype`, `componenttype`, `instancetype` with their declarators, `externdesc`, and core
 * types (function and module types). Types outside the supported subset (resources, handles,
 * async function types, streams, futures, error-context, maps, fixed-length lists, the removed
 * `union`) are refused with `UnsupportedComponentFeatureError` naming them and their offset.
 */
import { UnsupportedComponentFeatureError } from "../errors.js";
import type { CoreValType, PrimitiveKind } from "../types.js";
import type { Alias, CoreImportDesc, CoreModuleDecl, CoreSortName, CoreTypeDef, Decl, ExternDesc, SortName, TypeDef, ValTypeRef } from "./ast.js";
import { externNameProblem } from "./extern-names.js";
import { Reader } from "./reader.js";

const PRIMS: Record<number, PrimitiveKind> = {
  0x7f: "bool", 0x7e: "s8", 0x7d: "u8", 0x7c: "s16", 0x7b: "u16", 0x7a: "s32", 0x79: "u32",
  0x78: "s64", 0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char", 0x73: "string",
};

function unsupported(r: Reader, what: string, at: number): never {
  throw new UnsupportedComponentFeatureError(what, r.base + at);
}

/** One shared (immutable) reference per primitive type: a type section may name them millions of times. */
const PRIM_REFS: Record<number, ValTypeRef> = Object.fromEntries(
  Object.entries(PRIMS).map(([code, prim]) => [code, Object.freeze({ kind: "prim", prim })]),
);

/** One shared (immutable) `list<p>` definition per primitive `p`. */
const PRIM_LISTS: Record<string, TypeDef> = Object.fromEntries(
  Object.values(PRIM_REFS).map((ref) => [(ref as { prim: string }).prim, Object.freeze({ kind: "list", elem: ref })]),
);

/** `valtype`: an s33 — negative values are primitive type codes, others type indices. */
export function readValType(r: Reader): ValTypeRef {
  const at = r.pos;
  const b = r.bytes[r.pos];
  // a one-byte primitive code (0x73..0x7f): the common case, without the s33 decoder
  if (r.pos < r.end && b >= 0x73 && b <= 0x7f) {
    r.pos++;
    return PRIM_REFS[b];
  }
  const v = r.s33("value type");
  if (v >= 0) return { kind: "index", index: v };
  const code = v + 0x80;
  const prim = PRIMS[code];
  if (prim !== undefined) return PRIM_REFS[code];
  if (code === 0x64) unsupported(r, "error-context type (0x64)", at);
  return r.fail(`invalid value type 0x${(code & 0xff).toString(16)}`, at);
}

/** `label'`, checked for uniqueness (case-insensitively) within `seen`. */
function readLabel(r: Reader, seen: Set<string>, what: string): string {
  const at = r.pos;
  const l = r.name(`${what} label`);
  if (l.length === 0) r.fail(`empty ${what} label`, at);
  const key = l.toLowerCase();
  if (seen.has(key)) r.fail(`duplicate ${what} label \`${l}\``, at);
  seen.add(key);
  return l;
}

function optional<T>(r: Reader, what: string, read: () => T): T | null {
  const at = r.pos;
  const b = r.u8(what);
  if (b === 0) return null;
  if (b === 1) return read();
  return r.fail(`invalid ${what} flag 0x${b.toString(16)} (expected 0x00 or 0x01)`, at);
}

/** How deeply component and instance types may nest inside each other (a host limit). */
export const MAX_TYPE_DECL_NESTING = 64;

/**
 * Most members of one record, variant, tuple or enum type: wasmparser's limits
 * (`MAX_WASM_RECORD_FIELDS`, `MAX_WASM_VARIANT_CASES`, `MAX_WASM_TUPLE_TYPES`,
 * `MAX_WASM_ENUM_CASES`), so a component wasmtime refuses is refused here too.
 */
export const MAX_TYPE_MEMBERS = 10_000;

function checkMembers(r: Reader, n: number, what: string, at: number): void {
  if (n > MAX_TYPE_MEMBERS) throw new UnsupportedComponentFeatureError(`${what} type with ${n} members (this host's limit is ${MAX_TYPE_MEMBERS}, as wasmparser's)`, r.base + at);
}

/** `type`: a `deftype`. */
export function readTypeDef(r: Reader, depth = 0): TypeDef {
  const at = r.pos;
  if (depth > MAX_TYPE_DECL_NESTING) throw new UnsupportedComponentFeatureError(`component/instance types nested more than ${MAX_TYPE_DECL_NESTING} deep`, r.base + at);
  const b = r.bytes[r.pos];
  if (r.pos >= r.end) r.fail("unexpected end of input while reading a type");
  if (PRIMS[b] !== undefined) { r.pos++; return { kind: "prim", prim: PRIMS[b] }; }
  r.pos++;
  switch (b) {
    case 0x72: {
      const n = r.count("record field", 2);
      if (n === 0) r.fail("record type with no fields", at);
      checkMembers(r, n, "record", at);
      const seen = new Set<string>();
      const fields = [];
      for (let i = 0; i < n; i++) fields.push({ label: readLabel(r, seen, "record field"), type: readValType(r) });
      return { kind: "record", fields };
    }
    case 0x71: {
      const n = r.count("variant case", 3);
      if (n === 0) r.fail("variant type with no cases", at);
      checkMembers(r, n, "variant", at);
      const seen = new Set<string>();
      const cases = [];
      for (let i = 0; i < n; i++) {
        const label = readLabel(r, seen, "variant case");
        const type = optional(r, "case payload", () => readValType(r));
        const end = r.pos;
        const z = r.u8("case terminator");
        if (z === 1) unsupported(r, "variant case `refines` (removed from the component model)", end);
        if (z !== 0) r.fail(`invalid variant case terminator 0x${z.toString(16)} (expected 0x00)`, end);
        cases.push({ label, type });
      }
      return { kind: "variant", cases };
    }
    case 0x70: {
      const elem = readValType(r);
      return elem.kind === "prim" ? PRIM_LISTS[elem.prim] : { kind: "list", elem };
    }
    case 0x67: return unsupported(r, "fixed-length list type (0x67)", at);
    case 0x6f: {
      const n = r.count("tuple element", 1);
      if (n === 0) r.fail("tuple type with no elements", at);
      checkMembers(r, n, "tuple", at);
      const types = [];
      for (let i = 0; i < n; i++) types.push(readValType(r));
      return { kind: "tuple", types };
    }
    case 0x6e: case 0x6d: {
      const what = b === 0x6e ? "flags" : "enum";
      const n = r.count(`${what} label`, 1);
      if (n === 0) r.fail(`${what} type with no labels`, at);
      if (b === 0x6e && n > 32) r.fail(`flags type with ${n} labels (at most 32 are allowed)`, at);
      checkMembers(r, n, what, at);
      const seen = new Set<string>();
      const labels = [];
      for (let i = 0; i < n; i++) labels.push(readLabel(r, seen, what));
      return b === 0x6e ? { kind: "flags", labels } : { kind: "enum", labels };
    }
    case 0x6c: return unsupported(r, "union type (0x6c, removed from the component model in 2023)", at);
    case 0x6b: return { kind: "option", type: readValType(r) };
    case 0x6a: {
      const ok = optional(r, "result ok type", () => readValType(r));
      const err = optional(r, "result error type", () => readValType(r));
      return { kind: "result", ok, err };
    }
    case 0x69: return unsupported(r, "resource handle type `own` (0x69)", at);
    case 0x68: return unsupported(r, "resource handle type `borrow` (0x68)", at);
    case 0x66: return unsupported(r, "stream type (0x66)", at);
    case 0x65: return unsupported(r, "future type (0x65)", at);
    case 0x64: return unsupported(r, "error-context type (0x64)", at);
    case 0x63: return unsupported(r, "map type (0x63)", at);
    case 0x40: {
      const n = r.count("parameter", 2);
      const seen = new Set<string>();
      const params = [];
      for (let i = 0; i < n; i++) params.push({ label: readLabel(r, seen, "parameter"), type: readValType(r) });
      const rat = r.pos;
      const k = r.u8("result list");
      let result: ValTypeRef | null;
      if (k === 0x00) result = readValType(r);
      else if (k === 0x01) {
        const m = r.u32("named result count");
        if (m !== 0) unsupported(r, `named function results (${m}; removed from the component model in 2024)`, rat);
        result = null;
      } else return r.fail(`invalid result list 0x${k.toString(16)}`, rat);
      return { kind: "func", params, result };
    }
    case 0x43: return unsupported(r, "async function type (0x43)", at);
    case 0x41: {
      const n = r.count("component type declarator", 2);
      const decls: Decl[] = [];
      for (let i = 0; i < n; i++) decls.push(readDecl(r, true, depth + 1));
      return { kind: "component", decls };
    }
    case 0x42: {
      const n = r.count("instance type declarator", 2);
      const decls: Decl[] = [];
      for (let i = 0; i < n; i++) decls.push(readDecl(r, false, depth + 1));
      return { kind: "instance", decls };
    }
    case 0x3f: return unsupported(r, "resource type definition (0x3f)", at);
    default: return r.fail(`invalid type opcode 0x${b.toString(16)}`, at);
  }
}

function readDecl(r: Reader, inComponent: boolean, depth: number): Decl {
  const at = r.pos;
  const k = r.u8("declarator");
  switch (k) {
    case 0x00: return { kind: "core-type", type: readCoreType(r, depth) };
    case 0x01: return { kind: "type", type: readTypeDef(r, depth) };
    case 0x02: return { kind: "alias", alias: readAlias(r) };
    case 0x03:
      if (!inComponent) r.fail("import declarator in an instance type", at);
      return { kind: "import", name: readExternName(r, "import"), desc: readExternDesc(r) };
    case 0x04: return { kind: "export", name: readExternName(r, "export"), desc: readExternDesc(r) };
    default: return r.fail(`invalid declarator 0x${k.toString(16)}`, at);
  }
}

/**
 * `importname'` / `exportname'`: 0x00 or 0x01 then a name (name attributes are refused), checked
 * against the name grammar (`extern-names.ts`).
 */
export function readExternName(r: Reader, what: "import" | "export" | "inline export"): string {
  const at = r.pos;
  const k = r.u8(`${what} name kind`);
  if (k === 0x00 || k === 0x01) {
    const nameAt = r.pos;
    const name = r.name(`${what} name`);
    const problem = externNameProblem(name, what === "import" ? "import" : "export");
    if (problem !== undefined) r.fail(problem, nameAt);
    return name;
  }
  if (k === 0x02) unsupported(r, `${what} name with attributes (0x02)`, at);
  return r.fail(`invalid leading byte (0x${k.toString(16)}) for ${what} name`, at);
}

/** `externdesc`. */
export function readExternDesc(r: Reader): ExternDesc {
  const at = r.pos;
  const k = r.u8("extern descriptor");
  switch (k) {
    case 0x00: {
      const b = r.u8("core sort");
      if (b !== 0x11) r.fail(`invalid core extern descriptor 0x${b.toString(16)} (only core module is allowed)`, at);
      return { kind: "module", type: r.u32("type index") };
    }
    case 0x01: return { kind: "func", type: r.u32("type index") };
    case 0x02: return unsupported(r, "value import/export (🪙)", at);
    case 0x03: {
      const bat = r.pos;
      const b = r.u8("type bound");
      if (b === 0x00) return { kind: "type", bound: { kind: "eq", index: r.u32("type index") } };
      if (b === 0x01) return unsupported(r, "resource type import/export `(sub resource)`", bat);
      return r.fail(`invalid type bound 0x${b.toString(16)}`, bat);
    }
    case 0x04: return { kind: "component", type: r.u32("type index") };
    case 0x05: return { kind: "instance", type: r.u32("type index") };
    default: return r.fail(`invalid extern descriptor 0x${k.toString(16)}`, at);
  }
}

/** `core:sort`. */
export function readCoreSort(r: Reader): CoreSortName {
  const at = r.pos;
  const b = r.u8("core sort");
  switch (b) {
    case 0x00: return "core func";
    case 0x01: return "core table";
    case 0x02: return "core memory";
    case 0x03: return "core global";
    case 0x04: return unsupported(r, "core tag sort (exception handling)", at);
    case 0x10: return "core type";
    case 0x11: return "core module";
    case 0x12: return "core instance";
    default: return r.fail(`invalid core sort 0x${b.toString(16)}`, at);
  }
}

/** `sort`. */
export function readSort(r: Reader): SortName {
  const at = r.pos;
  const b = r.u8("sort");
  switch (b) {
    case 0x00: return readCoreSort(r);
    case 0x01: return "func";
    case 0x02: return unsupported(r, "value sort (🪙)", at);
    case 0x03: return "type";
    case 0x04: return "component";
    case 0x05: return "instance";
    default: return r.fail(`invalid sort 0x${b.toString(16)}`, at);
  }
}

/** `alias`. */
export function readAlias(r: Reader): Alias {
  const sort = readSort(r);
  const at = r.pos;
  const k = r.u8("alias target");
  switch (k) {
    case 0x00: return { sort, target: { kind: "export", instance: r.u32("instance index"), name: r.name("alias export name") } };
    case 0x01: return { sort, target: { kind: "core-export", instance: r.u32("core instance index"), name: r.name("alias core export name") } };
    case 0x02: return { sort, target: { kind: "outer", count: r.u32("outer count"), index: r.u32("outer index") } };
    default: return r.fail(`invalid alias target 0x${k.toString(16)}`, at);
  }
}

function coreValType(r: Reader): CoreValType | "ref" {
  const at = r.pos;
  const b = r.u8("core value type");
  switch (b) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x70: case 0x6f: return "ref";
    case 0x7b: return unsupported(r, "v128 in a core type", at);
    default: return r.fail(`invalid core value type 0x${b.toString(16)}`, at);
  }
}

function coreLimits(r: Reader): boolean {
  const at = r.pos;
  const f = r.u8("limits flags");
  if (f > 0x07) r.fail(`invalid limits flags 0x${f.toString(16)}`, at);
  const is64 = (f & 4) !== 0;
  const read = () => { if (is64) { for (let i = 0; i < 10; i++) if ((r.u8("u64") & 0x80) === 0) return; r.fail("u64 too long"); } else r.u32("limit"); };
  read();
  if (f & 1) read();
  return is64;
}

function readCoreImportDesc(r: Reader): CoreImportDesc {
  const at = r.pos;
  const k = r.u8("core import descriptor");
  switch (k) {
    case 0x00: return { kind: "func", type: r.u32("type index") };
    case 0x01: { const elem = coreValType(r); coreLimits(r); return { kind: "table", elem: elem === "ref" ? "ref" : elem }; }
    case 0x02: return { kind: "memory", memory64: coreLimits(r) };
    case 0x03: { const type = coreValType(r); const m = r.u8("mutability"); if (m > 1) r.fail("invalid mutability", r.pos - 1); return { kind: "global", type, mutable: m === 1 }; }
    case 0x04: return unsupported(r, "core tag import (exception handling)", at);
    default: return r.fail(`invalid core import descriptor 0x${k.toString(16)}`, at);
  }
}

/** `core:type`: a function type or a module type (GC types are refused). */
export function readCoreType(r: Reader, depth = 0): CoreTypeDef {
  const at = r.pos;
  if (depth > MAX_TYPE_DECL_NESTING) throw new UnsupportedComponentFeatureError(`core module types nested more than ${MAX_TYPE_DECL_NESTING} deep`, r.base + at);
  const b = r.u8("core type");
  if (b === 0x60) {
    const np = r.count("core params");
    const params: CoreValType[] = [];
    for (let i = 0; i < np; i++) { const t = coreValType(r); if (t === "ref") unsupported(r, "reference types in a core function type declared by a component", at); params.push(t); }
    const nr = r.count("core results");
    const results: CoreValType[] = [];
    for (let i = 0; i < nr; i++) { const t = coreValType(r); if (t === "ref") unsupported(r, "reference types in a core function type declared by a component", at); results.push(t); }
    return { kind: "func", params, results };
  }
  if (b === 0x50) {
    const n = r.count("module type declarator", 2);
    const decls: CoreModuleDecl[] = [];
    for (let i = 0; i < n; i++) {
      const dat = r.pos;
      const k = r.u8("module type declarator");
      switch (k) {
        case 0x00: decls.push({ kind: "import", module: r.name("import module name"), name: r.name("import name"), desc: readCoreImportDesc(r) }); break;
        case 0x01: decls.push({ kind: "type", type: readCoreType(r, depth + 1) }); break;
        case 0x02: {
          const sort = readCoreSort(r);
          const t = r.u8("core alias target");
          if (t !== 0x01) r.fail(`invalid core alias target 0x${t.toString(16)} (only outer aliases are allowed)`, dat);
          decls.push({ kind: "alias", sort, count: r.u32("outer count"), index: r.u32("outer index") });
          break;
        }
        case 0x03: decls.push({ kind: "export", name: r.name("export name"), desc: readCoreImportDesc(r) }); break;
        default: r.fail(`invalid module type declarator 0x${k.toString(16)}`, dat);
      }
    }
    return { kind: "module", decls };
  }
  if (b === 0x00 && r.bytes[r.pos] === 0x50) unsupported(r, "GC core module type encoding (0x00 0x50)", at);
  if (b === 0x4e || b === 0x4f || b === 0x5e || b === 0x5f) unsupported(r, `GC core type 0x${b.toString(16)}`, at);
  return r.fail(`invalid core type 0x${b.toString(16)}`, at);
}
