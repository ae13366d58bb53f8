/**
 * Storing (CanonicalABI.md §Storing): `store(cx, v, t, ptr)` writes the host value `v` of type
 * `t` into guest memory at `ptr`. Variable-length contents (strings, lists) are allocated with
 * the guest's `realloc`, and every `realloc` result is checked (T12). Host values that do not
 * fit the type raise `InvalidHostValueError`.
 */
import { InvalidHostValueError } from "../errors.js";
import type { Case, Field, FlagsType, ValType, Value } from "../types.js";
import { align_to, alignment, discriminant_size, elem_size, field_offsets, max_case_alignment } from "./alignment.js";
import type { LiftLowerContext } from "./context.js";
import { encode_float_as_i32, encode_float_as_i64 } from "./float.js";
import {
  badValue, case_labels, char_to_i32, isRecordValue, expectBool, expectFloat, expectInt, expectInt64, expectList, expectString,
  expectTuple, field, match_case,
} from "./host-values.js";
import { despecializedCases } from "./load.js";
import { REALLOC_I32_MAX, store_host_string_into_range } from "./strings.js";
import { hex, trap } from "./traps.js";
import type { PathSegment } from "./trace.js";

/**
 * `store(cx, v, t, ptr)`. `at` names the value inside its parent (field label, list index, case
 * label) for the call trace only; with no trace this is one null check, then {@link store_by_kind}.
 */
export function store(cx: LiftLowerContext, v: Value, t: ValType, ptr: number, at: PathSegment = null): void {
  const tr = cx.trace;
  if (tr === null) return store_by_kind(cx, v, t, ptr);
  tr.within(at, t, ptr, "store", () => store_by_kind(cx, v, t, ptr), v);
}

/** The body of `store`: one case per type. */
function store_by_kind(cx: LiftLowerContext, v: Value, t: ValType, ptr: number): void {
  switch (t.kind) {
    case "bool": cx.bytes()[ptr] = expectBool(v) ? 1 : 0; return;
    case "u8": cx.bytes()[ptr] = expectInt("u8", v); return;
    case "s8": cx.view().setInt8(ptr, expectInt("s8", v)); return;
    case "u16": cx.view().setUint16(ptr, expectInt("u16", v), true); return;
    case "s16": cx.view().setInt16(ptr, expectInt("s16", v), true); return;
    case "u32": cx.view().setUint32(ptr, expectInt("u32", v), true); return;
    case "s32": cx.view().setInt32(ptr, expectInt("s32", v), true); return;
    case "u64": cx.view().setBigUint64(ptr, expectInt64("u64", v), true); return;
    case "s64": cx.view().setBigInt64(ptr, expectInt64("s64", v), true); return;
    case "f32": cx.view().setUint32(ptr, encode_float_as_i32(expectFloat("f32", v)), true); return;
    case "f64": cx.view().setBigUint64(ptr, encode_float_as_i64(expectFloat("f64", v)), true); return;
    case "char": cx.view().setUint32(ptr, char_to_i32(v), true); return;
    case "string": store_string(cx, expectString(v), ptr); return;
    case "list": store_list(cx, v, ptr, t.elem); return;
    case "record": store_record(cx, v, ptr, t.fields); return;
    case "tuple": store_tuple(cx, v, ptr, t.types); return;
    case "variant": store_variant(cx, v, ptr, t.cases, case_labels(t.cases), "variant"); return;
    case "enum": {
      if (typeof v !== "string") badValue(`enum (one of ${t.labels.join(", ")})`, v);
      store_variant(cx, { tag: v }, ptr, despecializedCases(t), t.labels, "enum");
      return;
    }
    case "option": store_variant(cx, v, ptr, despecializedCases(t), ["none", "some"], "option"); return;
    case "result": store_variant(cx, v, ptr, despecializedCases(t), ["ok", "err"], "result"); return;
    case "flags": store_flags(cx, v, ptr, t); return;
  }
}

/** `store_string`: the string's pointer and tagged length, written at `ptr`. */
export function store_string(cx: LiftLowerContext, v: string, ptr: number): void {
  const [begin, tagged_code_units] = store_host_string_into_range(cx, v);
  const dv = cx.view();
  dv.setUint32(ptr, begin, true);
  dv.setUint32(ptr + 4, tagged_code_units, true);
}

/** `store_list`: the list's pointer and length, written at `ptr`. */
export function store_list(cx: LiftLowerContext, v: Value, ptr: number, elem_type: ValType): void {
  const [begin, length] = store_list_into_range(cx, v, elem_type);
  const dv = cx.view();
  dv.setUint32(ptr, begin, true);
  dv.setUint32(ptr + 4, length, true);
}

/** `store_list_into_range`: one `realloc` of `len * elem_size` (checked, T12), then the elements. */
export function store_list_into_range(cx: LiftLowerContext, v: Value, elem_type: ValType): [number, number] {
  const list = expectList(v);
  const size = elem_size(elem_type);
  const byte_length = list.length * size;
  if (byte_length > REALLOC_I32_MAX) throw new InvalidHostValueError(`list of ${list.length} elements needs ${byte_length} bytes, more than a 32-bit realloc can allocate`);
  const align = alignment(elem_type);
  const ptr = cx.realloc(0, 0, align, byte_length);
  if (ptr !== align_to(ptr, align)) trap("T12", `realloc return: result ${hex(ptr)} not aligned to ${align}`);
  const len = cx.memoryLength();
  if (ptr + byte_length > len) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${byte_length} > memory size ${len})`);
  if (cx.trace !== null) cx.trace.range("list", ptr, byte_length, [`T12 realloc result ${hex(ptr)} aligned to ${align}`, `T12 ${hex(ptr)} + ${byte_length} <= memory size ${len}`]);
  store_list_into_valid_range(cx, list, ptr, elem_type);
  return [ptr, list.length];
}

/** `store_list_into_valid_range`; a `Uint8Array` for `list<u8>` is one bulk copy. */
export function store_list_into_valid_range(cx: LiftLowerContext, list: readonly Value[] | Uint8Array, ptr: number, elem_type: ValType): void {
  if (elem_type.kind === "u8" && list instanceof Uint8Array) {
    cx.bytes().set(list, ptr);
    return;
  }
  const size = elem_size(elem_type);
  for (let i = 0; i < list.length; i++) store(cx, list[i], elem_type, ptr + i * size, i);
}

/** `store_record`: fields in order, each at its aligned offset. */
export function store_record(cx: LiftLowerContext, v: Value, ptr: number, fields: readonly Field[]): void {
  if (!isRecordValue(v)) badValue(`record { ${fields.map((f) => f.label).join(", ")} } (object)`, v);
  const rec = v;
  const offsets = field_offsets(fields); // each field at its aligned offset (ptr is aligned to the record)
  for (let i = 0; i < fields.length; i++) store(cx, field(rec, fields[i].label), fields[i].type, ptr + offsets[i], fields[i].label);
}

/** A tuple is stored as the record `{"0", "1", ...}`; its host form is an array. */
export function store_tuple(cx: LiftLowerContext, v: Value, ptr: number, types: readonly ValType[]): void {
  const tup = expectTuple(v, types.length);
  const offsets = field_offsets(types);
  for (let i = 0; i < types.length; i++) store(cx, tup[i], types[i], ptr + offsets[i], i);
}

/** `store_variant`: discriminant with its own size, then the payload at the common payload offset. */
export function store_variant(cx: LiftLowerContext, v: Value, ptr: number, cases: readonly Case[], hostLabels: readonly string[], what: string): void {
  const [case_index, case_value] = match_case(v, hostLabels, what);
  const disc_size = discriminant_size(cases);
  const dv = cx.view();
  if (disc_size === 1) dv.setUint8(ptr, case_index);
  else if (disc_size === 2) dv.setUint16(ptr, case_index, true);
  else dv.setUint32(ptr, case_index, true);
  ptr += disc_size;
  ptr = align_to(ptr, max_case_alignment(cases));
  const c = cases[case_index];
  if (c.type !== null) {
    if (case_value === undefined) throw new InvalidHostValueError(`${what} case \`${hostLabels[case_index]}\` needs a value`);
    store(cx, case_value, c.type, ptr, c.label);
  }
}

/** `store_flags`: the packed bit vector. */
export function store_flags(cx: LiftLowerContext, v: Value, ptr: number, t: FlagsType): void {
  const i = pack_flags_into_int(v, t.labels);
  const size = elem_size(t);
  const dv = cx.view();
  if (size === 1) dv.setUint8(ptr, i);
  else if (size === 2) dv.setUint16(ptr, i, true);
  else dv.setUint32(ptr, i, true);
}

/** `pack_flags_into_int`: label k sets bit k; missing labels are false, unknown labels are an error. */
export function pack_flags_into_int(v: Value, labels: readonly string[]): number {
  if (!isRecordValue(v)) badValue(`flags { ${labels.join(", ")} } (object of booleans)`, v);
  const rec = v;
  for (const k of Object.keys(rec)) if (!labels.includes(k)) throw new InvalidHostValueError(`flags value has unknown label \`${k}\``);
  let i = 0;
  labels.forEach((l, shift) => {
    const b = rec[l];
    if (b !== undefined && typeof b !== "boolean") badValue(`boolean for flag \`${l}\``, b);
    if (b === true) i |= 1 << shift;
  });
  return i >>> 0;
}
