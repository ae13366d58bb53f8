/**
 * Layout rules of the Canonical ABI for 32-bit memories (`ptr_size` = 4): `align_to`,
 * `alignment`, `elem_size`, `discriminant_type`, `max_case_alignment` (CanonicalABI.md
 * §Alignment, §Element Size). `alignment`, `elem_size` and `max_case_alignment` are cached per
 * type object because `load`/`store` ask for them once per list element.
 */
import type { Case, Field, ValType } from "../types.js";
import { T } from "../types.js";
import { despecialize } from "./despecialize.js";

/** Pointer size of a 32-bit memory. */
export const PTR_SIZE = 4;

/** Rounds `ptr` up to a multiple of `alignment`. */
export function align_to(ptr: number, alignment: number): number {
  return Math.ceil(ptr / alignment) * alignment;
}

const alignCache = new WeakMap<ValType, number>();
const sizeCache = new WeakMap<ValType, number>();

/**
 * `compute(t)`, remembered per composite type object in `cache`. Fixed-size kinds are computed
 * directly: no cache entry (a WeakMap with millions of keys is slow).
 */
function memoized(cache: WeakMap<ValType, number>, t: ValType, compute: (t: ValType) => number): number {
  switch (t.kind) {
    case "record": case "variant": case "tuple": case "enum": case "option": case "result": break;
    default: return compute(t);
  }
  let v = cache.get(t);
  if (v === undefined) {
    v = compute(t);
    cache.set(t, v);
  }
  return v;
}

/** `alignment(t)`: the byte alignment of `t` in linear memory. */
export function alignment(t: ValType): number {
  return memoized(alignCache, t, computeAlignment);
}

function computeAlignment(t: ValType): number {
  const d = despecialize(t);
  switch (d.kind) {
    case "bool": case "s8": case "u8": return 1;
    case "s16": case "u16": return 2;
    case "s32": case "u32": case "f32": case "char": return 4;
    case "s64": case "u64": case "f64": return 8;
    case "string": return PTR_SIZE;
    case "list": return PTR_SIZE;
    case "record": return alignment_record(d.fields);
    case "variant": return alignment_variant(d.cases);
    case "flags": return alignment_flags(d.labels);
  }
}

/** Record alignment: the largest field alignment (at least 1). */
export function alignment_record(fields: readonly Field[]): number {
  let a = 1;
  for (const f of fields) a = Math.max(a, alignment(f.type));
  return a;
}

/** Variant alignment: the larger of the discriminant's and the largest case payload's. */
export function alignment_variant(cases: readonly Case[]): number {
  return Math.max(alignment(discriminant_type(cases)), max_case_alignment(cases));
}

/** The smallest unsigned integer type that can number `cases` (u8, u16 or u32). */
export function discriminant_type(cases: readonly Case[]): ValType {
  const n = cases.length;
  if (!(n > 0 && n < 2 ** 32)) throw new RangeError(`discriminant_type: ${n} cases`);
  switch (Math.ceil(Math.log2(n) / 8)) {
    case 0: return T.u8;
    case 1: return T.u8;
    case 2: return T.u16;
    default: return T.u32;
  }
}

const caseAlignCache = new WeakMap<readonly Case[], number>();

/** The largest alignment among the case payloads (1 when no case has a payload); cached per cases array. */
export function max_case_alignment(cases: readonly Case[]): number {
  let a = caseAlignCache.get(cases);
  if (a === undefined) {
    a = 1;
    for (const c of cases) if (c.type !== null) a = Math.max(a, alignment(c.type));
    caseAlignCache.set(cases, a);
  }
  return a;
}

/** `elem_size(discriminant_type(cases))`: 1, 2 or 4 bytes (what `load`/`store` of a variant ask first). */
export function discriminant_size(cases: readonly Case[]): number {
  const n = cases.length;
  return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
}

/** Flags alignment: 1, 2 or 4 bytes for up to 8, 16 or 32 labels. */
export function alignment_flags(labels: readonly string[]): number {
  const n = labels.length;
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4;
}

/** `elem_size(t)`: the number of bytes a value of `t` occupies as a list element. */
export function elem_size(t: ValType): number {
  return memoized(sizeCache, t, computeElemSize);
}

function computeElemSize(t: ValType): number {
  const d = despecialize(t);
  switch (d.kind) {
    case "bool": case "s8": case "u8": return 1;
    case "s16": case "u16": return 2;
    case "s32": case "u32": case "f32": case "char": return 4;
    case "s64": case "u64": case "f64": return 8;
    case "string": return 2 * PTR_SIZE;
    case "list": return 2 * PTR_SIZE;
    case "record": return elem_size_record(d.fields);
    case "variant": return elem_size_variant(d.cases);
    case "flags": return elem_size_flags(d.labels);
  }
}

const offsetsCache = new WeakMap<readonly (Field | ValType)[], readonly number[]>();

/**
 * The byte offset of each field of a record (or element of a tuple) from the record's start:
 * the `align_to(ptr, alignment(f.type))` / `ptr += elem_size(f.type)` walk of `load_record` and
 * `store_record`, done once per fields array.
 */
export function field_offsets(fields: readonly Field[] | readonly ValType[]): readonly number[] {
  let o = offsetsCache.get(fields);
  if (o === undefined) {
    const out: number[] = [];
    let s = 0;
    for (const f of fields) {
      const t = "label" in f ? f.type : f;
      s = align_to(s, alignment(t));
      out.push(s);
      s += elem_size(t);
    }
    o = out;
    offsetsCache.set(fields, o);
  }
  return o;
}

/** Record size: fields laid out in order, each aligned, the total rounded up to the record's alignment. */
export function elem_size_record(fields: readonly Field[]): number {
  let s = 0;
  for (const f of fields) {
    s = align_to(s, alignment(f.type));
    s += elem_size(f.type);
  }
  return align_to(s, alignment_record(fields));
}

/** Variant size: discriminant, padding to the payload alignment, the largest payload, rounded up. */
export function elem_size_variant(cases: readonly Case[]): number {
  let s = elem_size(discriminant_type(cases));
  s = align_to(s, max_case_alignment(cases));
  let cs = 0;
  for (const c of cases) if (c.type !== null) cs = Math.max(cs, elem_size(c.type));
  s += cs;
  return align_to(s, alignment_variant(cases));
}

/** Flags size: 1, 2 or 4 bytes. */
export function elem_size_flags(labels: readonly string[]): number {
  const n = labels.length;
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4;
}

/** Offset of the payload of a variant value relative to its start (the same for every case). */
export function variant_payload_offset(cases: readonly Case[]): number {
  return align_to(elem_size(discriminant_type(cases)), max_case_alignment(cases));
}
