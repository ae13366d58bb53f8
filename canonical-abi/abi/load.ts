/**
 * Loading (CanonicalABI.md §Loading): `load(cx, ptr, t)` reads a value of type `t` from guest
 * memory at `ptr` and returns its host form (see `../types.ts`). `load` itself only reads: its
 * alignment and bounds were established by the entry points (`load_list_from_range`, the
 * return pointer in `lift_flat_values`), which carry the traps T6–T8 and T10. Traps inside a
 * value: T1 (char), T2–T5 (strings), T9 (discriminant).
 */
import type { Case, Field, FlagsType, ValType, Value, VariantValue } from "../types.js";
import { align_to, alignment, discriminant_size, elem_size, field_offsets, max_case_alignment } from "./alignment.js";
import type { LiftLowerContext } from "./context.js";
import { despecialize } from "./despecialize.js";
import { decode_i32_as_float, decode_i64_as_float } from "./float.js";
import { list_lift_cost } from "./lift-budget.js";
import { load_string_from_range } from "./strings.js";
import { hex, trap } from "./traps.js";
import type { PathSegment } from "./trace.js";

/** Largest list byte length a lift accepts (T6). */
export const MAX_LIST_BYTE_LENGTH = 2 ** 28 - 1;

/**
 * `load(cx, ptr, t)`. `at` names the value inside its parent (field label, list index, case
 * label) for the call trace only; with no trace this is one null check, then {@link load_by_kind}.
 */
export function load(cx: LiftLowerContext, ptr: number, t: ValType, at: PathSegment = null): Value {
  const tr = cx.trace;
  if (tr === null) return load_by_kind(cx, ptr, t);
  return tr.within(at, t, ptr, "load", () => load_by_kind(cx, ptr, t));
}

/** The body of `load`: one case per type. */
function load_by_kind(cx: LiftLowerContext, ptr: number, t: ValType): Value {
  switch (t.kind) {
    case "bool": return convert_int_to_bool(cx.bytes()[ptr]);
    case "u8": return cx.bytes()[ptr];
    case "u16": return cx.view().getUint16(ptr, true);
    case "u32": return cx.view().getUint32(ptr, true);
    case "u64": return cx.view().getBigUint64(ptr, true);
    case "s8": return cx.view().getInt8(ptr);
    case "s16": return cx.view().getInt16(ptr, true);
    case "s32": return cx.view().getInt32(ptr, true);
    case "s64": return cx.view().getBigInt64(ptr, true);
    case "f32": return decode_i32_as_float(cx.view().getUint32(ptr, true));
    case "f64": return decode_i64_as_float(cx.view().getBigUint64(ptr, true));
    case "char": return convert_i32_to_char(cx.view().getUint32(ptr, true));
    case "string": return load_string(cx, ptr);
    case "list": return load_list(cx, ptr, t.elem);
    case "record": return load_record(cx, ptr, t.fields);
    case "tuple": return load_tuple(cx, ptr, t.types);
    case "variant": return load_variant(cx, ptr, t.cases);
    case "enum": return load_variant(cx, ptr, despecializedCases(t)).tag;
    case "option": return load_variant(cx, ptr, despecializedCases(t));
    case "result": return result_from_variant(load_variant(cx, ptr, despecializedCases(t)));
    case "flags": return load_flags(cx, ptr, t);
  }
}

/** The cases of a despecialized enum/option/result. */
export function despecializedCases(t: ValType): readonly Case[] {
  const d = despecialize(t);
  if (d.kind !== "variant") throw new Error(`${t.kind} does not despecialize to a variant`);
  return d.cases;
}

/** The host form of a result: the spec's `error` case label is `err` on the host side. */
export function result_from_variant(v: VariantValue): VariantValue {
  if (v.tag === "ok") return v;
  return v.value === undefined ? { tag: "err" } : { tag: "err", value: v.value };
}

/** `convert_int_to_bool`: 0 is false, every other bit pattern is true (not a trap). */
export function convert_int_to_bool(i: number): boolean {
  return i !== 0;
}

/** `convert_i32_to_char`: T1 traps on values >= 0x110000 and on surrogates. */
export function convert_i32_to_char(i: number): string {
  if (i >= 0x110000) trap("T1", `invalid char bit pattern ${hex(i)} (>= 0x110000)`);
  if (0xd800 <= i && i <= 0xdfff) trap("T1", `invalid char bit pattern ${hex(i)} (a surrogate)`);
  return String.fromCodePoint(i);
}

/** `load_string`: pointer and tagged length from memory, then `load_string_from_range`. */
export function load_string(cx: LiftLowerContext, ptr: number): string {
  const dv = cx.view();
  const begin = dv.getUint32(ptr, true);
  const tagged_code_units = dv.getUint32(ptr + 4, true);
  return load_string_from_range(cx, begin, tagged_code_units);
}

/** `load_list`: pointer and length from memory, then `load_list_from_range`. */
export function load_list(cx: LiftLowerContext, ptr: number, elem_type: ValType): Value {
  const dv = cx.view();
  const begin = dv.getUint32(ptr, true);
  const length = dv.getUint32(ptr + 4, true);
  return load_list_from_range(cx, begin, length, elem_type);
}

/**
 * `load_list_from_range`: T6 (byte length), T7 (alignment), T8 (bounds); then the list's cost is
 * charged to `cx.budget` (`lift-budget.ts`) before any element is read.
 */
export function load_list_from_range(cx: LiftLowerContext, ptr: number, length: number, elem_type: ValType): Value {
  const size = elem_size(elem_type);
  const byte_length = length * size;
  if (byte_length > MAX_LIST_BYTE_LENGTH) trap("T6", `list byte length ${length} x ${size} = ${byte_length} exceeds ${MAX_LIST_BYTE_LENGTH} (2^28-1)`);
  const align = alignment(elem_type);
  if (ptr !== align_to(ptr, align)) trap("T7", `list pointer ${hex(ptr)} not aligned to ${align}`);
  const len = cx.memoryLength();
  if (ptr + byte_length > len) trap("T8", `list content out of bounds: ${hex(ptr)} + ${byte_length} bytes > memory size ${len}`);
  cx.budget.charge(list_lift_cost(length, size), "list");
  if (cx.trace !== null) {
    cx.trace.range("list", ptr, byte_length, [`T6 byte length ${length} x ${size} = ${byte_length} <= 2^28-1`, `T7 ${hex(ptr)} aligned to ${align}`, `T8 ${hex(ptr)} + ${byte_length} <= memory size ${len}`]);
  }
  return load_list_from_valid_range(cx, ptr, length, elem_type);
}

/** `load_list_from_valid_range`; `list<u8>` is one bulk copy into a fresh `Uint8Array`. */
export function load_list_from_valid_range(cx: LiftLowerContext, ptr: number, length: number, elem_type: ValType): Value {
  if (elem_type.kind === "u8") return cx.bytes().slice(ptr, ptr + length);
  const size = elem_size(elem_type);
  const a: Value[] = new Array(length);
  for (let i = 0; i < length; i++) a[i] = load(cx, ptr + i * size, elem_type, i);
  return a;
}

/** `load_record`: fields in order, each at its aligned offset. */
export function load_record(cx: LiftLowerContext, ptr: number, fields: readonly Field[]): Value {
  const record: { [key: string]: Value } = {};
  const offsets = field_offsets(fields); // each field at its aligned offset (ptr is aligned to the record)
  for (let i = 0; i < fields.length; i++) record[fields[i].label] = load(cx, ptr + offsets[i], fields[i].type, fields[i].label);
  return record;
}

/** A tuple is loaded as the record `{"0", "1", ...}` and returned as an array. */
export function load_tuple(cx: LiftLowerContext, ptr: number, types: readonly ValType[]): Value {
  const out: Value[] = [];
  const offsets = field_offsets(types);
  for (let i = 0; i < types.length; i++) out.push(load(cx, ptr + offsets[i], types[i], i));
  return out;
}

/** `load_variant`: T9 traps when the discriminant (read with its own size) is not a case. */
export function load_variant(cx: LiftLowerContext, ptr: number, cases: readonly Case[]): VariantValue {
  const disc_size = discriminant_size(cases);
  const dv = cx.view();
  const case_index = disc_size === 1 ? dv.getUint8(ptr) : disc_size === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true);
  ptr += disc_size;
  if (case_index >= cases.length) trap("T9", `invalid variant discriminant ${case_index} (the type has ${cases.length} cases) at ${hex(ptr - disc_size)}`);
  const c = cases[case_index];
  ptr = align_to(ptr, max_case_alignment(cases));
  if (c.type === null) return { tag: c.label };
  return { tag: c.label, value: load(cx, ptr, c.type, c.label) };
}

/** `load_flags`: the bit vector, unused high bits ignored (not a trap). */
export function load_flags(cx: LiftLowerContext, ptr: number, t: FlagsType): Value {
  const size = elem_size(t);
  const dv = cx.view();
  const i = size === 1 ? dv.getUint8(ptr) : size === 2 ? dv.getUint16(ptr, true) : dv.getUint32(ptr, true);
  return unpack_flags_from_int(i, t.labels);
}

/** `unpack_flags_from_int`: bit k is label k. */
export function unpack_flags_from_int(i: number, labels: readonly string[]): Value {
  const record: { [key: string]: boolean } = {};
  for (let k = 0; k < labels.length; k++) record[labels[k]] = ((i >>> k) & 1) === 1;
  return record;
}
