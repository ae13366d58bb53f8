/**
 * Component-level value types and function types as plain, structural descriptors, plus the
 * host-side value representation they lift to and lower from.
 *
 * Types compare structurally (two `record`s with the same labels and field types are the same
 * type); a WIT name, when the component gives one, is kept in {@link ValType.name} only for
 * messages and WIT rendering and never takes part in a comparison.
 *
 * ## Host values (what `lift` returns and `lower` accepts)
 * | WIT type | host value |
 * |---|---|
 * | `bool` | `boolean` |
 * | `u8` `u16` `u32` `s8` `s16` `s32` `f32` `f64` | `number` |
 * | `u64` `s64` | `bigint` |
 * | `char` | a string holding exactly one Unicode scalar value |
 * | `string` | `string` (well-formed UTF-16: no lone surrogates) |
 * | `list<u8>` | `Uint8Array` (any array-like of bytes is accepted when lowering) |
 * | `list<T>` | `T[]` |
 * | `record { a-b: T }` | plain object keyed by the WIT field names as declared (`{ "a-b": ... }`) |
 * | `tuple<A, B>` | `[A, B]` |
 * | `variant { c(T), d }` | `{ tag: "c", value: T }` / `{ tag: "d" }` |
 * | `enum { a, b }` | `"a"` / `"b"` |
 * | `option<T>` | `{ tag: "none" }` / `{ tag: "some", value: T }` |
 * | `result<T, E>` | `{ tag: "ok", value?: T }` / `{ tag: "err", value?: E }` |
 * | `flags { a, b }` | `{ a: boolean, b: boolean }` (missing labels lower as `false`) |
 */

/** Names of the primitive value types. */
export type PrimitiveKind =
  | "bool" | "s8" | "u8" | "s16" | "u16" | "s32" | "u32" | "s64" | "u64"
  | "f32" | "f64" | "char" | "string";

/** A primitive value type. */
export interface PrimitiveType { readonly kind: PrimitiveKind; readonly name?: string }
/** A record field. */
export interface Field { readonly label: string; readonly type: ValType }
/** A variant case; `type` is null for a case without payload. */
export interface Case { readonly label: string; readonly type: ValType | null }
/** `record { fields }` (at least one field). */
export interface RecordType { readonly kind: "record"; readonly fields: readonly Field[]; readonly name?: string }
/** `variant { cases }` (at least one case). */
export interface VariantType { readonly kind: "variant"; readonly cases: readonly Case[]; readonly name?: string }
/** `list<elem>`. */
export interface ListType { readonly kind: "list"; readonly elem: ValType; readonly name?: string }
/** `tuple<types>`. */
export interface TupleType { readonly kind: "tuple"; readonly types: readonly ValType[]; readonly name?: string }
/** `flags { labels }` (1 to 32 labels). */
export interface FlagsType { readonly kind: "flags"; readonly labels: readonly string[]; readonly name?: string }
/** `enum { labels }`. */
export interface EnumType { readonly kind: "enum"; readonly labels: readonly string[]; readonly name?: string }
/** `option<type>`. */
export interface OptionType { readonly kind: "option"; readonly type: ValType; readonly name?: string }
/** `result<ok, err>`; either side may be absent (null). */
export interface ResultType { readonly kind: "result"; readonly ok: ValType | null; readonly err: ValType | null; readonly name?: string }

/** A component-level value type. */
export type ValType =
  | PrimitiveType | RecordType | VariantType | ListType | TupleType
  | FlagsType | EnumType | OptionType | ResultType;

/** A function parameter. */
export interface Param { readonly label: string; readonly type: ValType }
/** A component function type: named parameters and at most one (unnamed) result. */
export interface FuncType { readonly kind: "func"; readonly params: readonly Param[]; readonly result: ValType | null }

/** A core WebAssembly value type as the Canonical ABI flattens to. */
export type CoreValType = "i32" | "i64" | "f32" | "f64";
/** A core function type. */
export interface CoreFuncType { readonly params: readonly CoreValType[]; readonly results: readonly CoreValType[] }

/** A host-side value (see the table in this file's header). */
export type Value =
  | boolean | number | bigint | string | Uint8Array
  | readonly Value[]
  | { readonly [key: string]: Value | undefined };

/** Host form of a variant, option or result value. */
export type VariantValue = { readonly tag: string; readonly value?: Value };

const PRIMS: Record<PrimitiveKind, PrimitiveType> = {
  bool: { kind: "bool" }, s8: { kind: "s8" }, u8: { kind: "u8" }, s16: { kind: "s16" }, u16: { kind: "u16" },
  s32: { kind: "s32" }, u32: { kind: "u32" }, s64: { kind: "s64" }, u64: { kind: "u64" },
  f32: { kind: "f32" }, f64: { kind: "f64" }, char: { kind: "char" }, string: { kind: "string" },
};

/** Constructors for type descriptors (handy in tests and in hand-written expected types). */
export const T = {
  bool: PRIMS.bool, s8: PRIMS.s8, u8: PRIMS.u8, s16: PRIMS.s16, u16: PRIMS.u16, s32: PRIMS.s32, u32: PRIMS.u32,
  s64: PRIMS.s64, u64: PRIMS.u64, f32: PRIMS.f32, f64: PRIMS.f64, char: PRIMS.char, string: PRIMS.string,
  /** `record`; `fields` is a list of `[label, type]`. */
  record: (fields: readonly (readonly [string, ValType])[], name?: string): RecordType =>
    ({ kind: "record", fields: fields.map(([label, type]) => ({ label, type })), ...(name === undefined ? {} : { name }) }),
  /** `variant`; `cases` is a list of `[label, type | null]`. */
  variant: (cases: readonly (readonly [string, ValType | null])[], name?: string): VariantType =>
    ({ kind: "variant", cases: cases.map(([label, type]) => ({ label, type })), ...(name === undefined ? {} : { name }) }),
  list: (elem: ValType): ListType => ({ kind: "list", elem }),
  tuple: (types: readonly ValType[]): TupleType => ({ kind: "tuple", types }),
  flags: (labels: readonly string[], name?: string): FlagsType => ({ kind: "flags", labels, ...(name === undefined ? {} : { name }) }),
  enum: (labels: readonly string[], name?: string): EnumType => ({ kind: "enum", labels, ...(name === undefined ? {} : { name }) }),
  option: (type: ValType): OptionType => ({ kind: "option", type }),
  result: (ok: ValType | null, err: ValType | null): ResultType => ({ kind: "result", ok, err }),
  func: (params: readonly (readonly [string, ValType])[], result: ValType | null): FuncType =>
    ({ kind: "func", params: params.map(([label, type]) => ({ label, type })), result }),
} as const;

/** The primitive type descriptor for a primitive kind. */
export function primitive(kind: PrimitiveKind): PrimitiveType {
  return PRIMS[kind];
}

/** True when `t` is a primitive type. */
export function isPrimitive(t: ValType): t is PrimitiveType {
  return t.kind in PRIMS;
}

/** The same type descriptor carrying a WIT name (used for messages and WIT rendering only). */
export function withName<V extends ValType>(t: V, name: string): V {
  if (isPrimitive(t)) return t;
  return { ...t, name };
}
