/**
 * Type equivalence and subtyping of value types (spec "Validation > Matching" of Wasm 3.0, typed
 * function references without GC): what validation, import matching (functions, tables,
 * globals) and table/element/global typing use to say "a value of type `a` may stand where `b`
 * is expected".
 *
 * Defined types are function types only, each its own (singleton) recursion group, none with a
 * declared supertype. Two type indices are *equivalent* when their function types are equal after
 * replacing every type index in them by its type's canonical id (a reference to the type itself
 * by "rec 0"): {@link canonicalTypeIds} interns that form process-wide, so equivalent types of any
 * modules share one id (the id `call_indirect` compares, `runtime/func.ts` `sigIdOf`).
 *
 * The rules (`<:` is "matches"):
 * - a number or vector type matches only itself;
 * - `(ref null? ht1) <: (ref null? ht2)` when `ht1 <: ht2` and the first is nullable only if the
 *   second is;
 * - heap types: `x <: x'` when `x` and `x'` are equivalent; a type index `x <: func`; `bot` (the
 *   validation algorithm's unknown reference) matches every heap type; `func`, `extern`, `exn`
 *   match themselves only.
 *
 * Types are compared in one *index space*: heap type indices of one module with that module's
 * canonical ids (`canon`), or canonical ids themselves (`canon` undefined: the runtime's form,
 * see {@link toCanonical}).
 */
import { CONCRETE, HeapType, isNullable, isRefType, MAX_TYPE_INDEX, NON_NULL, type FuncType, type ValType } from "./module.js";

/** Canonical ids per type index (`ids[x]`), or undefined for types already in canonical form. */
export type Canon = ArrayLike<number> | undefined;

function heapId(ht: number, canon: Canon): number {
  if (canon === undefined) return ht;
  return ht < canon.length ? canon[ht]! : -1 - ht; // an unknown index: equal only to itself
}

/** `ht1 <: ht2` (both heap types of the index space of `canon`). */
export function matchesHeapType(ht1: number, ht2: number, canon: Canon): boolean {
  if (ht1 === HeapType.bot) return true;
  if (ht1 >= 0) {
    if (ht2 === HeapType.func) return true;
    return ht2 >= 0 && heapId(ht1, canon) === heapId(ht2, canon);
  }
  return ht1 === ht2;
}

/** The heap type of reference type `t` (as `module.ts` `heapTypeOf`, inlined for the validators). */
function heap(t: number): number {
  return (t & CONCRETE) !== 0 ? t >>> 10 : (t & 0x7f) - 0x80;
}

/**
 * `t1 <: t2` for value types of the index space of `canon`. The validators' unknown type 0 is not
 * a value type: callers handle it.
 */
export function matchesValType(t1: ValType, t2: ValType, canon: Canon): boolean {
  if (t1 === t2) return true;
  if (!isRefType(t1) || !isRefType(t2)) return false;
  if ((t1 & NON_NULL) === 0 && (t2 & NON_NULL) !== 0) return false;
  return matchesHeapType(heap(t1), heap(t2), canon);
}

/** Whether every `a[i] <: b[i]` (same lengths). */
export function matchesResultType(a: readonly number[], b: readonly number[], canon: Canon): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!matchesValType(a[i]!, b[i]!, canon)) return false;
  return true;
}

/** Type equivalence of value types (each matches the other). */
export function equalValTypes(t1: ValType, t2: ValType, canon: Canon): boolean {
  return t1 === t2 || (matchesValType(t1, t2, canon) && matchesValType(t2, t1, canon));
}

/** `t` with its type index (if any) replaced by the canonical id (the runtime's form of types). */
export function toCanonical(t: ValType, canon: ArrayLike<number>): ValType {
  if ((t & CONCRETE) === 0) return t;
  const x = t >>> 10;
  const id = x < canon.length ? canon[x]! : MAX_TYPE_INDEX;
  return (t & 0x3ff) | (Math.min(id, MAX_TYPE_INDEX) << 10);
}

/**
 * Value type `t`, a parameter or result of function type `owner`, in the runtime's canonical form:
 * the type index it names (if any) replaced by the canonical id of that type of `owner`'s type
 * section. A type built outside a module (the JS API's) names no index and is returned as it is.
 */
export function canonicalIn(owner: FuncType, t: ValType): ValType {
  if ((t & CONCRETE) === 0) return t;
  const canon = sectionOf.get(owner);
  return canon === undefined ? t : toCanonical(t, canon);
}

// ---- canonical type ids (process-wide)

const ids = new Map<string, number>();
const byTypes = new WeakMap<readonly FuncType[], Int32Array>();
const byFuncType = new WeakMap<FuncType, number>();
/** The canonical ids of the type section each module's `FuncType` belongs to (see {@link canonicalIn}). */
const sectionOf = new WeakMap<FuncType, Int32Array>();

function intern(key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size;
    ids.set(key, id);
  }
  return id;
}

/** The key of a value type inside function type `self` of a module whose earlier types have ids `out`. */
function typeKey(t: ValType, self: number, out: Int32Array): string {
  if ((t & CONCRETE) === 0) return String(t);
  const x = t >>> 10;
  const prefix = (t & NON_NULL) !== 0 ? "r" : "n";
  if (x === self) return `${prefix}rec0`;
  if (x < self) return `${prefix}#${out[x]}`;
  return `${prefix}?`; // a forward reference: invalid (validation says "unknown type")
}

/** The canonical key of a function type without type indices (shared with host-built types). */
function plainKey(t: FuncType): string {
  return `${t.params.join(",")}>${t.results.join(",")}`;
}

function hasIndices(t: FuncType): boolean {
  for (const v of t.params) if ((v & CONCRETE) !== 0) return true;
  for (const v of t.results) if ((v & CONCRETE) !== 0) return true;
  return false;
}

/**
 * The canonical id of every type of a module's type section (cached per `types` array). Also
 * records each `FuncType` object's id for {@link funcTypeId}.
 */
export function canonicalTypeIds(types: readonly FuncType[]): Int32Array {
  let out = byTypes.get(types);
  if (out !== undefined) return out;
  out = new Int32Array(types.length);
  for (let i = 0; i < types.length; i++) {
    const t = types[i]!;
    const key = hasIndices(t)
      ? `${t.params.map((v) => typeKey(v, i, out!)).join(",")}>${t.results.map((v) => typeKey(v, i, out!)).join(",")}`
      : plainKey(t);
    const id = intern(key);
    out[i] = id;
    if (!byFuncType.has(t)) byFuncType.set(t, id);
    if (!sectionOf.has(t)) sectionOf.set(t, out);
  }
  byTypes.set(types, out);
  return out;
}

/**
 * The canonical id of function type `t`: the id its module's {@link canonicalTypeIds} gave it, or
 * (a type built outside a module, whose value types name no type index) its structural id.
 */
export function funcTypeId(t: FuncType): number {
  const known = byFuncType.get(t);
  if (known !== undefined) return known;
  const id = intern(hasIndices(t) ? `?${plainKey(t)}` : plainKey(t));
  byFuncType.set(t, id);
  return id;
}
