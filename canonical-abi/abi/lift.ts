/**
 * Flat lifting (CanonicalABI.md §Flat Lifting): `lift_flat(cx, vi, t)` turns core values into
 * a host value; `lift_flat_values` lifts a function's results, reading them through the return
 * pointer (checked: T10) when they flatten to more than `max_flat` values.
 */
import { ComponentLinkError } from "../errors.js";
import type { Case, CoreValType, Field, ValType, Value, VariantValue } from "../types.js";
import { align_to, alignment, elem_size } from "./alignment.js";
import type { CoreValue, LiftLowerContext } from "./context.js";
import { flat_count_types, flatten_type, tuple_of, variant_payload_flat_types } from "./flatten.js";
import { canonicalize_nan32, canonicalize_nan64, decode_i32_as_float, decode_i64_as_float } from "./float.js";
import { convert_i32_to_char, convert_int_to_bool, despecializedCases, load_list_from_range, load_tuple, result_from_variant, unpack_flags_from_int } from "./load.js";
import { load_string_from_range } from "./strings.js";
import { hex, trap } from "./traps.js";
import type { PathSegment } from "./trace.js";

/** Something that yields core values of a requested type (`CoreValueIter` or a coercing wrapper). */
export interface ValueIter {
  /** The next value: i32 as an unsigned number, i64 as an unsigned bigint, floats as numbers. */
  next(t: CoreValType): CoreValue;
}

/** `CoreValueIter`: walks a list of core values, normalising their JS representation. */
export class CoreValueIter implements ValueIter {
  readonly values: readonly CoreValue[];
  i = 0;
  constructor(values: readonly CoreValue[]) {
    this.values = values;
  }
  next(t: CoreValType): CoreValue {
    if (this.i >= this.values.length) throw new ComponentLinkError(`core function returned ${this.values.length} values, fewer than its type declares`);
    const v = this.values[this.i++];
    switch (t) {
      case "i32":
        if (typeof v !== "number") throw new ComponentLinkError(`core value ${String(v)} is not an i32`);
        return v >>> 0;
      case "i64":
        if (typeof v === "bigint") return BigInt.asUintN(64, v);
        if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt.asUintN(64, BigInt(v));
        throw new ComponentLinkError(`core value ${String(v)} is not an i64`);
      case "f32": case "f64":
        if (typeof v !== "number") throw new ComponentLinkError(`core value ${String(v)} is not an ${t}`);
        return v;
    }
  }
  /** True when every value has been consumed. */
  done(): boolean {
    return this.i === this.values.length;
  }
}

/**
 * `lift_flat(cx, vi, t)`. `at` names the value inside its parent for the call trace only; with
 * no trace this is one null check, then {@link lift_flat_by_kind}.
 */
export function lift_flat(cx: LiftLowerContext, vi: ValueIter, t: ValType, at: PathSegment = null): Value {
  const tr = cx.trace;
  if (tr === null) return lift_flat_by_kind(cx, vi, t);
  return tr.within(at, t, -1, "load", () => lift_flat_by_kind(cx, vi, t));
}

/** The body of `lift_flat`: one case per type. */
function lift_flat_by_kind(cx: LiftLowerContext, vi: ValueIter, t: ValType): Value {
  switch (t.kind) {
    case "bool": return convert_int_to_bool(vi.next("i32") as number);
    case "u8": return lift_flat_unsigned(vi, 8);
    case "u16": return lift_flat_unsigned(vi, 16);
    case "u32": return lift_flat_unsigned(vi, 32);
    case "u64": return vi.next("i64") as bigint;
    case "s8": return lift_flat_signed(vi, 8);
    case "s16": return lift_flat_signed(vi, 16);
    case "s32": return lift_flat_signed(vi, 32);
    case "s64": return BigInt.asIntN(64, vi.next("i64") as bigint);
    case "f32": return canonicalize_nan32(vi.next("f32") as number);
    case "f64": return canonicalize_nan64(vi.next("f64") as number);
    case "char": return convert_i32_to_char(vi.next("i32") as number);
    case "string": return lift_flat_string(cx, vi);
    case "list": return lift_flat_list(cx, vi, t.elem);
    case "record": return lift_flat_record(cx, vi, t.fields);
    case "tuple": return t.types.map((u, i) => lift_flat(cx, vi, u, i));
    case "variant": return lift_flat_variant(cx, vi, t.cases);
    case "enum": return lift_flat_variant(cx, vi, despecializedCases(t)).tag;
    case "option": return lift_flat_variant(cx, vi, despecializedCases(t));
    case "result": return result_from_variant(lift_flat_variant(cx, vi, despecializedCases(t)));
    case "flags": return unpack_flags_from_int(vi.next("i32") as number, t.labels);
  }
}

/** `lift_flat_unsigned` from an i32: the unused high bits are ignored (not a trap). */
export function lift_flat_unsigned(vi: ValueIter, t_width: 8 | 16 | 32): number {
  const i = vi.next("i32") as number;
  return t_width === 32 ? i : i % 2 ** t_width;
}

/** `lift_flat_signed` from an i32: the low `t_width` bits, two's complement. */
export function lift_flat_signed(vi: ValueIter, t_width: 8 | 16 | 32): number {
  let i = (vi.next("i32") as number) % 2 ** t_width;
  if (i >= 2 ** (t_width - 1)) i -= 2 ** t_width;
  return i;
}

/** `lift_flat_string`: pointer and tagged length, then `load_string_from_range`. */
export function lift_flat_string(cx: LiftLowerContext, vi: ValueIter): string {
  const ptr = vi.next("i32") as number;
  const packed_length = vi.next("i32") as number;
  return load_string_from_range(cx, ptr, packed_length);
}

/** `lift_flat_list`: pointer and length, then `load_list_from_range`. */
export function lift_flat_list(cx: LiftLowerContext, vi: ValueIter, elem_type: ValType): Value {
  const ptr = vi.next("i32") as number;
  const length = vi.next("i32") as number;
  return load_list_from_range(cx, ptr, length, elem_type);
}

/** `lift_flat_record`: each field in turn. */
export function lift_flat_record(cx: LiftLowerContext, vi: ValueIter, fields: readonly Field[]): Value {
  const record: { [key: string]: Value } = {};
  for (const f of fields) record[f.label] = lift_flat(cx, vi, f.type, f.label);
  return record;
}

/**
 * `lift_flat_variant`: T9 traps when the i32 discriminant (all 32 bits) is not a case. The
 * payload is read through the joined flat types with the spec's coercions, and the unused
 * trailing slots are consumed.
 */
export function lift_flat_variant(cx: LiftLowerContext, vi: ValueIter, cases: readonly Case[]): VariantValue {
  const flat_types = variant_payload_flat_types(cases);
  const case_index = vi.next("i32") as number;
  if (case_index >= cases.length) trap("T9", `invalid variant discriminant ${case_index} (the type has ${cases.length} cases)`);
  let k = 0;
  const coerce: ValueIter = {
    next(want: CoreValType): CoreValue {
      const have = flat_types[k++];
      const x = vi.next(have);
      if (have === "i32" && want === "f32") return decode_i32_as_float(x as number);
      if (have === "i64" && want === "i32") return wrap_i64_to_i32(x as bigint);
      if (have === "i64" && want === "f32") return decode_i32_as_float(wrap_i64_to_i32(x as bigint));
      if (have === "i64" && want === "f64") return decode_i64_as_float(x as bigint);
      return x;
    },
  };
  const c = cases[case_index];
  const v = c.type === null ? undefined : lift_flat(cx, coerce, c.type, c.label);
  for (; k < flat_types.length; k++) vi.next(flat_types[k]);
  return v === undefined ? { tag: c.label } : { tag: c.label, value: v };
}

/** `wrap_i64_to_i32`. */
export function wrap_i64_to_i32(i: bigint): number {
  return Number(BigInt.asUintN(32, i));
}

/**
 * `lift_flat_values(cx, max_flat, vi, ts)`: more than `max_flat` flat values come through one
 * pointer to a tuple, which must be aligned and in bounds (T10).
 */
export function lift_flat_values(cx: LiftLowerContext, max_flat: number, vi: ValueIter, ts: readonly ValType[]): Value[] {
  if (flat_count_types(ts) > max_flat) {
    const ptr = vi.next("i32") as number;
    const tuple_type = tuple_of(ts);
    const align = alignment(tuple_type);
    if (ptr !== align_to(ptr, align)) trap("T10", `return pointer ${hex(ptr)} not aligned to ${align}`);
    const size = elem_size(tuple_type);
    const len = cx.memoryLength();
    if (ptr + size > len) trap("T10", `return pointer out of bounds: ${hex(ptr)} + ${size} bytes > memory size ${len}`);
    if (cx.trace !== null) cx.trace.returnPointer(ptr, size, align, [`T10 ${hex(ptr)} aligned to ${align}`, `T10 ${hex(ptr)} + ${size} <= memory size ${len}`]);
    return load_tuple(cx, ptr, ts) as Value[];
  }
  return ts.map((t, i) => lift_flat(cx, vi, t, i));
}

/** The flat types of `t` (re-exported for the lowering side's coercions). */
export { flatten_type };
