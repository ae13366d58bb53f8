/**
 * Static validation of a decoded component (the index-space rules of Binary.md / Explainer.md
 * for the supported subset), producing a `ComponentPlan`. Sections are processed in order and
 * each definition appends to its sort's index space. Checked here, before anything runs:
 * every index is in range and of the right sort; aliases name existing exports of the right
 * sort; `instantiate` supplies every import with a value of the right sort and type (`eq` type
 * bounds compared structurally); export ascriptions match; and for `canon lift`: the core
 * signature equals `flatten_functype`, the realloc and post-return signatures, options given
 * at most once, `realloc` needs `memory`, and the options the types require are present.
 */
import { ComponentLinkError, UnsupportedComponentFeatureError } from "../errors.js";
import { flat_count_types, flatten_functype, result_type } from "../abi/flatten.js";
import { elem_size } from "../abi/alignment.js";
import type { Alias, ComponentAst, Decl, ExternDesc, SortName, TypeDef, ValTypeRef } from "../binary/ast.js";
import type { CoreFuncType, FuncType, ValType } from "../types.js";
import { isPrimitive, primitive, withName } from "../types.js";
import { funcTypesEqual, firstValTypeDifference } from "../type-check.js";
import type { StringEncoding } from "../abi/context.js";
import type { ComponentPlan, CoreModuleDef, ResolvedLiftOptions, Step } from "./plan.js";
import {
  emptyStaticSpaces, type ComponentTypeS, type CoreInstanceS, type CoreItemS, type ExternType, type InstanceTypeS,
  type StaticSpaces, type TypeEntry,
} from "./static-types.js";

/** One scope of index spaces: a component, or a component/instance type's declarators. */
interface Level {
  readonly parent: Level | null;
  readonly spaces: StaticSpaces;
}

function fail(message: string, offset?: number): never {
  throw new ComponentLinkError(offset === undefined ? message : `${message} (definition at byte offset ${offset})`);
}

function at<K extends keyof StaticSpaces>(level: Level, sort: K, index: number, offset: number | undefined): StaticSpaces[K][number] {
  const space = level.spaces[sort];
  if (!(index >= 0 && index < space.length)) fail(`${sort} index ${index} out of range (the ${sort} index space has ${space.length} entries here)`, offset);
  return space[index];
}

function isValType(t: TypeEntry): t is ValType {
  return t.kind !== "func" && t.kind !== "instance" && t.kind !== "component" && t.kind !== "module-type";
}

function resolveValRef(level: Level, ref: ValTypeRef, offset: number | undefined): ValType {
  if (ref.kind === "prim") return primitive(ref.prim);
  const t = at(level, "type", ref.index, offset);
  if (!isValType(t)) fail(`type index ${ref.index} is a ${t.kind} type where a value type is expected`, offset);
  return t;
}

/** How deeply value types may nest (a host limit: lifting and lowering recurse on it). */
export const MAX_VALUE_TYPE_DEPTH = 100;
/** Validation limit of Binary.md: `elem_size` of every value type is below 2^28. */
export const MAX_TYPE_ELEM_SIZE = 2 ** 28;

/**
 * Depths of the composite types met by the resolution in progress (a plain Map, dropped when
 * the top-level resolution ends: a WeakMap with a million keys costs seconds).
 */
let depthCache = new Map<ValType, number>();

/** The largest `typeDepth` among `ts` (a loop, not a spread: a type may have millions of members). */
function maxDepth(ts: readonly (ValType | null)[]): number {
  let m = 0;
  for (const t of ts) {
    const d = typeDepth(t);
    if (d > m) m = d;
  }
  return m;
}

function typeDepth(t: ValType | null): number {
  if (t === null) return 0;
  switch (t.kind) {
    case "record": case "variant": case "list": case "tuple": case "option": case "result": break;
    default: return 1;
  }
  const c = depthCache.get(t);
  if (c !== undefined) return c;
  let d: number;
  switch (t.kind) {
    case "record": d = 1 + maxDepth(t.fields.map((f) => f.type)); break;
    case "variant": d = 1 + maxDepth(t.cases.map((c2) => c2.type)); break;
    case "list": d = 1 + typeDepth(t.elem); if (d === 2) return d; break; // list<scalar>: not worth a cache entry
    case "tuple": d = 1 + maxDepth(t.types); break;
    case "option": d = 1 + typeDepth(t.type); if (d === 2) return d; break;
    case "result": d = 1 + Math.max(typeDepth(t.ok), typeDepth(t.err)); break;
    default: d = 1;
  }
  depthCache.set(t, d);
  return d;
}

/** Checks a freshly resolved value type against the depth and size limits. */
function checkValTypeLimits(t: ValType, offset: number | undefined): void {
  const depth = typeDepth(t);
  if (depth > MAX_VALUE_TYPE_DEPTH) throw new UnsupportedComponentFeatureError(`value type nested ${depth} deep (this host's limit is ${MAX_VALUE_TYPE_DEPTH})`, offset);
  const size = elem_size(t);
  if (size >= MAX_TYPE_ELEM_SIZE) fail(`value type of ${size} bytes: elem_size must be below 2^28`, offset);
}

function resolveTypeDef(level: Level, def: TypeDef, offset: number | undefined): TypeEntry {
  const t = resolveTypeDefUnchecked(level, def, offset);
  if (isValType(t)) checkValTypeLimits(t, offset);
  return t;
}

const primitiveLists = new Map<ValType, ValType>();

/**
 * `list<p>` of a primitive `p`: one shared immutable type object per primitive (types are
 * compared structurally; a type section may define `list<u8>` a million times).
 */
function listOfPrimitive(elem: ValType): ValType {
  let t = primitiveLists.get(elem);
  if (t === undefined) {
    t = Object.freeze({ kind: "list", elem });
    primitiveLists.set(elem, t);
  }
  return t;
}

function resolveTypeDefUnchecked(level: Level, def: TypeDef, offset: number | undefined): TypeEntry {
  switch (def.kind) {
    case "prim": return primitive(def.prim);
    case "list": {
      const elem = resolveValRef(level, def.elem, offset);
      return isPrimitive(elem) ? listOfPrimitive(elem) : { kind: "list", elem };
    }
    case "option": return { kind: "option", type: resolveValRef(level, def.type, offset) };
    default: return resolveTypeDefWithMembers(level, def, offset);
  }
}

function resolveTypeDefWithMembers(level: Level, def: TypeDef, offset: number | undefined): TypeEntry {
  const v = (r: ValTypeRef) => resolveValRef(level, r, offset);
  switch (def.kind) {
    case "prim": return primitive(def.prim);
    case "record": return { kind: "record", fields: def.fields.map((f) => ({ label: f.label, type: v(f.type) })) };
    case "variant": return { kind: "variant", cases: def.cases.map((c) => ({ label: c.label, type: c.type === null ? null : v(c.type) })) };
    case "list": return { kind: "list", elem: v(def.elem) };
    case "tuple": return { kind: "tuple", types: def.types.map(v) };
    case "flags": return { kind: "flags", labels: def.labels };
    case "enum": return { kind: "enum", labels: def.labels };
    case "option": return { kind: "option", type: v(def.type) };
    case "result": return { kind: "result", ok: def.ok === null ? null : v(def.ok), err: def.err === null ? null : v(def.err) };
    case "func": return { kind: "func", params: def.params.map((p) => ({ label: p.label, type: v(p.type) })), result: def.result === null ? null : v(def.result) };
    case "component": {
      const { imports, exports } = resolveDecls(level, def.decls, offset);
      return { kind: "component", imports, exports };
    }
    case "instance": {
      const { exports } = resolveDecls(level, def.decls, offset);
      return { kind: "instance", exports };
    }
  }
}

function resolveExternDesc(level: Level, desc: ExternDesc, offset: number | undefined): ExternType {
  switch (desc.kind) {
    case "module": {
      const t = at(level, "core type", desc.type, offset);
      if (t.kind !== "module") fail(`core type index ${desc.type} is not a module type`, offset);
      return { kind: "module", info: null };
    }
    case "func": {
      const t = at(level, "type", desc.type, offset);
      if (t.kind !== "func") fail(`type index ${desc.type} is a ${t.kind} type where a func type is expected`, offset);
      return { kind: "func", type: t };
    }
    case "type": return { kind: "type", type: at(level, "type", desc.bound.index, offset) };
    case "component": {
      const t = at(level, "type", desc.type, offset);
      if (t.kind !== "component") fail(`type index ${desc.type} is a ${t.kind} type where a component type is expected`, offset);
      return { kind: "component", type: t };
    }
    case "instance": {
      const t = at(level, "type", desc.type, offset);
      if (t.kind !== "instance") fail(`type index ${desc.type} is a ${t.kind} type where an instance type is expected`, offset);
      return { kind: "instance", type: t };
    }
  }
}

/** Appends an imported/exported item to its sort's index space. */
function pushExtern(level: Level, et: ExternType, name: string): void {
  const s = level.spaces;
  switch (et.kind) {
    case "func": s.func.push(et.type); break;
    case "type": s.type.push(isValType(et.type) ? withName(et.type, name) : et.type); break;
    case "instance": s.instance.push(et.type); break;
    case "component": s.component.push(et.type); break;
    case "module": s["core module"].push(et.info); break;
  }
}

function externSort(et: ExternType): SortName {
  return et.kind === "module" ? "core module" : et.kind;
}

function resolveDecls(parent: Level, decls: readonly Decl[], offset: number | undefined): { imports: Map<string, ExternType>; exports: Map<string, ExternType> } {
  const level: Level = { parent, spaces: emptyStaticSpaces() };
  const imports = new Map<string, ExternType>();
  const exports = new Map<string, ExternType>();
  for (const d of decls) {
    switch (d.kind) {
      case "core-type": level.spaces["core type"].push(d.type); break;
      case "type": level.spaces.type.push(resolveTypeDef(level, d.type, offset)); break;
      case "alias": resolveAlias(level, d.alias, offset); break;
      case "import": case "export": {
        const et = resolveExternDesc(level, d.desc, offset);
        const map = d.kind === "import" ? imports : exports;
        if (map.has(d.name)) fail(`duplicate ${d.kind} name \`${d.name}\` in a type`, offset);
        map.set(d.name, et);
        pushExtern(level, et, d.name);
        break;
      }
    }
  }
  return { imports, exports };
}

/**
 * True when every record, variant, enum and flags type reachable from `t` without passing through
 * another such type is named (it was imported, exported or aliased under a name): the types an
 * import or export uses must be nameable in WIT. `list`, `option`, `tuple` and `result` need no
 * name; their members are checked.
 */
function valTypeNamed(t: ValType | null): boolean {
  if (t === null) return true;
  switch (t.kind) {
    case "record": case "variant": case "enum": case "flags": return t.name !== undefined;
    case "list": return valTypeNamed(t.elem);
    case "option": return valTypeNamed(t.type);
    case "tuple": return t.types.every(valTypeNamed);
    case "result": return valTypeNamed(t.ok) && valTypeNamed(t.err);
    default: return true;
  }
}

/** The members of `t` (fields, case payloads, elements) that must be named for `t` to be imported under a name. */
function membersNamed(t: ValType): boolean {
  switch (t.kind) {
    case "record": return t.fields.every((f) => valTypeNamed(f.type));
    case "variant": return t.cases.every((c) => valTypeNamed(c.type));
    case "enum": case "flags": return true;
    default: return valTypeNamed(t);
  }
}

/** True when the types `et` uses are named (see {@link checkExternTypesNamed}). */
function externTypesNamed(et: ExternType): boolean {
  switch (et.kind) {
    case "type": return !isValType(et.type) || membersNamed(et.type);
    case "func": return et.type.params.every((p) => valTypeNamed(p.type)) && valTypeNamed(et.type.result);
    case "instance": {
      for (const e of et.type.exports.values()) if (!externTypesNamed(e)) return false;
      return true;
    }
    default: return true;
  }
}

/**
 * A component's imports and exports may only use named types (wasm-tools: "type not valid to be
 * used as import", "instance not valid to be used as export"): a type's members, a function's
 * parameter and result types, and those of every export of an instance must be named.
 * Limitation: types are structural here, so a name given inside a nested component (e.g. its
 * type import) still counts when the instantiated component is exported one level up, where
 * wasm-tools requires the argument type to be named at that level.
 */
function checkExternTypesNamed(et: ExternType, kind: "import" | "export", name: string, offset: number | undefined): void {
  if (!externTypesNamed(et)) fail(`${kind} \`${name}\` uses a record, variant, enum or flags type that is not named (imported or exported) first`, offset);
}

function resolveAlias(level: Level, alias: Alias, offset: number | undefined): void {
  const { sort, target } = alias;
  const s = level.spaces;
  switch (target.kind) {
    case "export": {
      const inst = at(level, "instance", target.instance, offset);
      const et = inst.exports.get(target.name);
      if (et === undefined) fail(`instance ${target.instance} has no export named \`${target.name}\``, offset);
      if (externSort(et) !== sort) fail(`export \`${target.name}\` of instance ${target.instance} is a ${externSort(et)}, not a ${sort}`, offset);
      pushExtern(level, et, target.name);
      return;
    }
    case "core-export": {
      const inst = at(level, "core instance", target.instance, offset);
      const item = inst.get(target.name);
      if (item === undefined) fail(`core instance ${target.instance} has no export named \`${target.name}\``, offset);
      if (item.sort !== sort) fail(`core export \`${target.name}\` of core instance ${target.instance} is a ${item.sort}, not a ${sort}`, offset);
      pushCoreItem(s, item);
      return;
    }
    case "outer": {
      let l: Level | null = level;
      for (let i = 0; i < target.count && l !== null; i++) l = l.parent;
      if (l === null) fail(`outer alias count ${target.count} exceeds the number of enclosing scopes`, offset);
      if (sort !== "type" && sort !== "core type" && sort !== "core module" && sort !== "component") fail(`outer alias of sort ${sort} is not allowed (only type, core type, core module, component)`, offset);
      const space = l.spaces[sort] as unknown[];
      if (!(target.index < space.length)) fail(`outer alias: ${sort} index ${target.index} out of range (${space.length} entries)`, offset);
      (s[sort] as unknown[]).push(space[target.index]);
      return;
    }
  }
}

function pushCoreItem(s: StaticSpaces, item: CoreItemS): void {
  switch (item.sort) {
    case "core func": s["core func"].push(item.type); break;
    case "core memory": s["core memory"].push(item.memory64); break;
    case "core table": s["core table"].push(null); break;
    case "core global": s["core global"].push(null); break;
    case "core tag": throw new UnsupportedComponentFeatureError("core tag (exception handling) exported from a core instance");
  }
}

function coreTypeEq(a: CoreFuncType, b: CoreFuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i]);
}

function showCore(t: CoreFuncType): string {
  return `(func (param ${t.params.join(" ")}) (result ${t.results.join(" ")}))`.replace(" (param )", "").replace(" (result )", "");
}

/** True when `t` contains a `string` or a `list` (then lifting needs memory and realloc). */
export function contains_string_or_list(t: ValType | null): boolean {
  if (t === null) return false;
  switch (t.kind) {
    case "string": case "list": return true;
    case "record": return t.fields.some((f) => contains_string_or_list(f.type));
    case "variant": return t.cases.some((c) => contains_string_or_list(c.type));
    case "tuple": return t.types.some(contains_string_or_list);
    case "option": return contains_string_or_list(t.type);
    case "result": return contains_string_or_list(t.ok) || contains_string_or_list(t.err);
    default: return false;
  }
}

function resolveLiftOptions(level: Level, canon: { coreFunc: number; options: readonly import("../binary/ast.js").CanonOpt[] }, ft: FuncType, offset: number): ResolvedLiftOptions {
  let encoding: StringEncoding | null = null;
  let memory: number | null = null;
  let realloc: number | null = null;
  let postReturn: number | null = null;
  for (const o of canon.options) {
    switch (o.kind) {
      case "string-encoding":
        if (encoding !== null) fail("canon lift: canonical option `string-encoding` given more than once", offset);
        encoding = o.encoding;
        break;
      case "memory": {
        if (memory !== null) fail("canon lift: canonical option `memory` given more than once", offset);
        const is64 = at(level, "core memory", o.index, offset);
        if (is64) throw new UnsupportedComponentFeatureError("64-bit memory (memory64) in the `memory` canonical option", offset);
        memory = o.index;
        break;
      }
      case "realloc": {
        if (realloc !== null) fail("canon lift: canonical option `realloc` given more than once", offset);
        const t = at(level, "core func", o.index, offset);
        const want: CoreFuncType = { params: ["i32", "i32", "i32", "i32"], results: ["i32"] };
        if (t === null || !coreTypeEq(t, want)) fail(`canon lift: realloc must have type ${showCore(want)}, found ${t === null ? "an unknown type" : showCore(t)}`, offset);
        realloc = o.index;
        break;
      }
      case "post-return": {
        if (postReturn !== null) fail("canon lift: canonical option `post-return` given more than once", offset);
        const t = at(level, "core func", o.index, offset);
        const want: CoreFuncType = { params: flatten_functype(ft, "lift").results, results: [] };
        if (t === null || !coreTypeEq(t, want)) fail(`canon lift: post-return must have type ${showCore(want)}, found ${t === null ? "an unknown type" : showCore(t)}`, offset);
        postReturn = o.index;
        break;
      }
    }
  }
  if (realloc !== null && memory === null) fail("canon lift: the `realloc` option requires the `memory` option", offset);
  const params = ft.params.map((p) => p.type);
  const needsRealloc = params.some(contains_string_or_list) || flat_count_types(params) > 16;
  if (needsRealloc && realloc === null) fail("canon lift: the parameters contain a string or list (or more than 16 flat values), so the `realloc` option is required", offset);
  const results = result_type(ft);
  const needsMemory = needsRealloc || results.some(contains_string_or_list) || flat_count_types(results) > 1;
  if (needsMemory && memory === null) fail("canon lift: the function passes strings, lists or more values than fit flat, so the `memory` option is required", offset);
  return { memory, realloc, postReturn, encoding: encoding ?? "utf8" };
}

/**
 * Options of `canon lower`: each at most once, `realloc` needs `memory`, and the options the
 * types need (`lower(T)` of the params needs `memory`; lifting the result into the caller
 * needs `realloc` when it contains strings or lists; results passed through memory need it).
 */
function resolveLowerOptions(level: Level, options: readonly import("../binary/ast.js").CanonOpt[], ft: FuncType, offset: number): ResolvedLiftOptions {
  let encoding: StringEncoding | null = null;
  let memory: number | null = null;
  let realloc: number | null = null;
  for (const o of options) {
    switch (o.kind) {
      case "string-encoding":
        if (encoding !== null) fail("canon lower: canonical option `string-encoding` given more than once", offset);
        encoding = o.encoding;
        break;
      case "memory":
        if (memory !== null) fail("canon lower: canonical option `memory` given more than once", offset);
        if (at(level, "core memory", o.index, offset)) throw new UnsupportedComponentFeatureError("64-bit memory (memory64) in the `memory` canonical option", offset);
        memory = o.index;
        break;
      case "realloc": {
        if (realloc !== null) fail("canon lower: canonical option `realloc` given more than once", offset);
        const t = at(level, "core func", o.index, offset);
        const want: CoreFuncType = { params: ["i32", "i32", "i32", "i32"], results: ["i32"] };
        if (t === null || !coreTypeEq(t, want)) fail(`canon lower: realloc must have type ${showCore(want)}, found ${t === null ? "an unknown type" : showCore(t)}`, offset);
        realloc = o.index;
        break;
      }
      case "post-return": fail("canon lower: the `post-return` option is only allowed on canon lift", offset);
    }
  }
  if (realloc !== null && memory === null) fail("canon lower: the `realloc` option requires the `memory` option", offset);
  const params = ft.params.map((p) => p.type);
  const results = result_type(ft);
  if ((params.some(contains_string_or_list) || flat_count_types(params) > 16 || flat_count_types(results) > 1) && memory === null) {
    fail("canon lower: the function passes strings, lists or more values than fit flat, so the `memory` option is required", offset);
  }
  if (results.some(contains_string_or_list) && realloc === null) fail("canon lower: the result contains a string or list, so the `realloc` option is required", offset);
  return { memory, realloc, postReturn: null, encoding: encoding ?? "utf8" };
}

/** Is `found` acceptable for an import declared as `expected`? Returns a reason, or null. */
function argMismatch(expected: ExternType, found: ExternType): string | null {
  if (externSort(expected) !== externSort(found)) return `expected a ${externSort(expected)}, got a ${externSort(found)}`;
  switch (expected.kind) {
    case "func": {
      if (funcTypesEqual(expected.type, (found as typeof expected).type)) return null;
      return "function types differ";
    }
    case "type": {
      const f = (found as typeof expected).type;
      if (isValType(expected.type) && isValType(f)) {
        const d = firstValTypeDifference(expected.type, f, "type");
        return d === null ? null : `type differs at ${d.path}: expected ${d.expected}, found ${d.found}`;
      }
      return expected.type.kind === f.kind ? null : `expected a ${expected.type.kind} type, got a ${f.kind} type`;
    }
    case "instance": {
      const f = (found as typeof expected).type;
      for (const [n, et] of expected.type.exports) {
        const g = f.exports.get(n);
        if (g === undefined) return `the instance has no export \`${n}\``;
        const m = argMismatch(et, g);
        if (m !== null) return `export \`${n}\`: ${m}`;
      }
      return null;
    }
    default: return null;
  }
}

function itemType(level: Level, sort: SortName, index: number, offset: number): ExternType {
  switch (sort) {
    case "func": return { kind: "func", type: at(level, "func", index, offset) };
    case "type": return { kind: "type", type: at(level, "type", index, offset) };
    case "instance": return { kind: "instance", type: at(level, "instance", index, offset) };
    case "component": return { kind: "component", type: at(level, "component", index, offset) };
    case "core module": return { kind: "module", info: at(level, "core module", index, offset) };
    default: return fail(`a ${sort} cannot be exported or passed to a component`, offset);
  }
}

/** Validates `ast` (nested in `parent`, or top level when null) and returns its plan. */
export function resolveComponent(ast: ComponentAst, parent: Level | null = null): ComponentPlan {
  if (parent !== null) return resolveComponentAt(ast, parent);
  try {
    return resolveComponentAt(ast, null);
  } finally {
    depthCache = new Map();
  }
}

function resolveComponentAt(ast: ComponentAst, parent: Level | null): ComponentPlan {
  const level: Level = { parent, spaces: emptyStaticSpaces() };
  const s = level.spaces;
  const steps: Step[] = [];
  const imports = new Map<string, ExternType>();
  const exports = new Map<string, ExternType>();
  const coreModules: CoreModuleDef[] = [];
  const funcNames = ast.names.sorts.get("func");
  for (const d of ast.definitions) {
    const off = d.offset;
    switch (d.kind) {
      case "core-module":
        s["core module"].push(d.info);
        coreModules.push(d);
        steps.push({ kind: "core-module", def: d });
        break;
      case "core-instance": {
        const e = d.expr;
        if (e.kind === "instantiate") {
          const info = at(level, "core module", e.module, off);
          if (info === null) throw new UnsupportedComponentFeatureError("instantiating an imported core module", off);
          const args = new Map<string, CoreInstanceS>();
          for (const a of e.args) {
            if (args.has(a.name)) fail(`core instantiate: argument \`${a.name}\` given twice`, off);
            args.set(a.name, at(level, "core instance", a.instance, off));
          }
          let funcImports = 0; // index among the function imports (a running count: a module may import 10^5 things)
          info.imports.forEach((imp) => {
            const funcIndex = imp.kind === "func" ? funcImports++ : -1;
            const inst = args.get(imp.module);
            if (inst === undefined) fail(`core instantiate: module ${e.module} imports \`${imp.module}\` \`${imp.name}\` but no argument named \`${imp.module}\` is given`, off);
            const item = inst.get(imp.name);
            if (item === undefined) fail(`core instantiate: argument \`${imp.module}\` has no export \`${imp.name}\` that module ${e.module} imports`, off);
            if (item.sort !== `core ${imp.kind}`) fail(`core instantiate: import \`${imp.module}\` \`${imp.name}\` is a ${imp.kind} but the argument supplies a ${item.sort}`, off);
            if (item.sort === "core func") {
              const want = info.funcTypes[funcIndex];
              if (want !== null && want !== undefined && item.type !== null && !coreTypeEq(want, item.type)) {
                fail(`core instantiate: import \`${imp.module}\` \`${imp.name}\` expects ${showCore(want)} but the argument supplies ${showCore(item.type)}`, off);
              }
            }
          });
          const out = new Map<string, CoreItemS>();
          for (const x of info.exports) {
            switch (x.kind) {
              case "func": out.set(x.name, { sort: "core func", type: info.funcTypes[x.index] ?? null }); break;
              case "memory": out.set(x.name, { sort: "core memory", memory64: info.memory64[x.index] ?? false }); break;
              case "table": out.set(x.name, { sort: "core table" }); break;
              case "global": out.set(x.name, { sort: "core global" }); break;
              case "tag": out.set(x.name, { sort: "core tag" }); break;
            }
          }
          s["core instance"].push(out);
          steps.push({ kind: "core-instantiate", module: e.module, args: e.args });
        } else {
          const out = new Map<string, CoreItemS>();
          for (const x of e.exports) {
            switch (x.sort) {
              case "core func": out.set(x.name, { sort: "core func", type: at(level, "core func", x.index, off) }); break;
              case "core memory": out.set(x.name, { sort: "core memory", memory64: at(level, "core memory", x.index, off) }); break;
              case "core table": at(level, "core table", x.index, off); out.set(x.name, { sort: "core table" }); break;
              case "core global": at(level, "core global", x.index, off); out.set(x.name, { sort: "core global" }); break;
              default: fail(`core instance inline export \`${x.name}\` of sort ${x.sort} is not supported`, off);
            }
          }
          s["core instance"].push(out);
          steps.push({ kind: "core-exports", exports: e.exports });
        }
        break;
      }
      case "core-type":
        s["core type"].push(d.type);
        steps.push({ kind: "core-type" });
        break;
      case "component": {
        const plan = resolveComponent(d.component, level);
        s.component.push({ kind: "component", imports: plan.imports, exports: plan.exports });
        steps.push({ kind: "component", plan });
        break;
      }
      case "instance": {
        const e = d.expr;
        if (e.kind === "instantiate") {
          const comp = at(level, "component", e.component, off);
          const given = new Map<string, ExternType>();
          for (const a of e.args) {
            if (given.has(a.name)) fail(`instantiate: argument \`${a.name}\` given twice`, off);
            given.set(a.name, itemType(level, a.sort, a.index, off));
          }
          for (const [name, et] of comp.imports) {
            const g = given.get(name);
            if (g === undefined) fail(`instantiate: missing component instantiation argument named \`${name}\``, off);
            const m = argMismatch(et, g);
            if (m !== null) fail(`instantiate: argument \`${name}\` does not match the import: ${m}`, off);
          }
          s.instance.push({ kind: "instance", exports: comp.exports });
          steps.push({ kind: "instantiate", component: e.component, args: e.args });
        } else {
          const out = new Map<string, ExternType>();
          for (const x of e.exports) {
            if (out.has(x.name)) fail(`instance: duplicate export name \`${x.name}\``, off);
            out.set(x.name, itemType(level, x.sort, x.index, off));
          }
          s.instance.push({ kind: "instance", exports: out });
          steps.push({ kind: "instance-exports", exports: e.exports });
        }
        break;
      }
      case "alias": {
        resolveAlias(level, d.alias, off);
        const t = d.alias.target;
        if (t.kind === "export") steps.push({ kind: "alias-export", sort: d.alias.sort, instance: t.instance, name: t.name });
        else if (t.kind === "core-export") steps.push({ kind: "alias-core-export", sort: d.alias.sort, instance: t.instance, name: t.name });
        else steps.push({ kind: "alias-outer", sort: d.alias.sort, count: t.count, index: t.index });
        break;
      }
      case "type": {
        // types live only in the static index space: instantiation has nothing to replay for them
        s.type.push(resolveTypeDef(level, d.type, off));
        break;
      }
      case "canon": {
        const c = d.canon;
        if (c.kind === "lower") {
          const ft = at(level, "func", c.func, off);
          const opts = resolveLowerOptions(level, c.options, ft, off);
          s["core func"].push(flatten_functype(ft, "lower"));
          steps.push({ kind: "lower", func: c.func, opts, type: ft });
          break;
        }
        const ft = at(level, "type", c.type, off);
        if (ft.kind !== "func") fail(`canon lift: type index ${c.type} is a ${ft.kind} type, not a func type`, off);
        const core = at(level, "core func", c.coreFunc, off);
        const want = flatten_functype(ft, "lift");
        if (core === null) fail(`canon lift: core function ${c.coreFunc} has a type this host cannot read`, off);
        if (!coreTypeEq(core, want)) fail(`canon lift: core function ${c.coreFunc} has type ${showCore(core)} but flatten_functype gives ${showCore(want)}`, off);
        const opts = resolveLiftOptions(level, c, ft, off);
        const name = funcNames?.get(s.func.length) ?? null;
        s.func.push(ft);
        steps.push({ kind: "lift", coreFunc: c.coreFunc, opts, type: ft, name });
        break;
      }
      case "import": {
        if (imports.has(d.name)) fail(`duplicate import name \`${d.name}\``, off);
        const et = resolveExternDesc(level, d.desc, off);
        checkExternTypesNamed(et, "import", d.name, off);
        imports.set(d.name, et);
        pushExtern(level, et, d.name);
        steps.push({ kind: "import", name: d.name, sort: externSort(et), bound: et.kind === "type" ? et.type : null });
        break;
      }
      case "export": {
        if (exports.has(d.name)) fail(`duplicate export name \`${d.name}\``, off);
        let et = itemType(level, d.sort, d.index, off);
        if (d.desc !== null) {
          const asc = resolveExternDesc(level, d.desc, off);
          const m = argMismatch(asc, et);
          if (m !== null) fail(`export \`${d.name}\`: the ascribed type does not match: ${m}`, off);
          et = asc;
        }
        checkExternTypesNamed(et, "export", d.name, off);
        exports.set(d.name, et);
        pushExtern(level, et, d.name);
        steps.push({ kind: "export", name: d.name, sort: d.sort, index: d.index });
        break;
      }
    }
  }
  return { steps, imports, exports, coreModules, names: ast.names };
}

export type { Level as StaticLevel, ComponentTypeS, InstanceTypeS };
