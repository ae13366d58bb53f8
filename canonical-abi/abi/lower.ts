/**
 * Flat lowering (CanonicalABI.md §Flat Lowering): `lower_flat(cx, v, t)` turns a host value into
 * core values (i32 as a signed 32-bit number, i64 as a signed bigint, floats as numbers, the
 * forms a WebAssembly call takes); `lower_flat_values` lowers a function's arguments, through a
 * `realloc`'d tuple (checked: T12) when they flatten to more than `max_flat` values, or into the
 * caller's result area given as an out-pointer (checked: T10; `canon lower`).
 */
import type { Case, Field, ValType, Value } from "../types.js";
import { align_to, alignment, elem_size } from "./alignment.js";
import type { CoreValue, LiftLowerContext } from "./context.js";
import { flat_count_types, flatten_type, tuple_of, variant_payload_flat_types } from "./flatten.js";
import { encode_float_as_i32, encode_float_as_i64 } from "./float.js";
import {
  badValue, case_labels, char_to_i32, isRecordValue, expectBool, expectFloat, expectInt, expectInt64, expectString, expectTuple, field, match_case,
} from "./host-values.js";
import { despecializedCases } from "./load.js";
import { pack_flags_into_int, store_list_into_range, store_tuple } from "./store.js";
import { store_host_string_into_range } from "./strings.js";
import { hex, trap } from "./traps.js";
import type { PathSegment } from "./trace.js";
import type { ValueIter } from "./lift.js";
import { InvalidHostValueError } from "../errors.js";

/**
 * `lower_flat(cx, v, t)`. `at` names the value inside its parent for the call trace only; with
 * no trace this is one null check, then {@link lower_flat_by_kind}.
 */
export function lower_flat(cx: LiftLowerContext, v: Value, t: ValType, at: PathSegment = null): CoreValue[] {
  const tr = cx.trace;
  if (tr === null) return lower_flat_by_kind(cx, v, t);
  return tr.within(at, t, -1, "store", () => lower_flat_by_kind(cx, v, t), v);
}

/** The body of `lower_flat`: one case per type. */
function lower_flat_by_kind(cx: LiftLowerContext, v: Value, t: ValType): CoreValue[] {
  switch (t.kind) {
    case "bool": return [expectBool(v) ? 1 : 0];
    case "u8": case "u16": case "u32": case "s8": case "s16": case "s32": return [expectInt(t.kind, v) | 0];
    case "u64": case "s64": return [BigInt.asIntN(64, expectInt64(t.kind, v))];
    case "f32": return [expectFloat("f32", v)];
    case "f64": return [expectFloat("f64", v)];
    case "char": return [char_to_i32(v)];
    case "string": return lower_flat_string(cx, expectString(v));
    case "list": return lower_flat_list(cx, v, t.elem);
    case "record": return lower_flat_record(cx, v, t.fields);
    case "tuple": {
      const tup = expectTuple(v, t.types.length);
      return t.types.flatMap((u, i) => lower_flat(cx, tup[i], u, i));
    }
    case "variant": return lower_flat_variant(cx, v, t.cases, case_labels(t.cases), "variant");
    case "enum": {
      if (typeof v !== "string") return badValue(`enum (one of ${t.labels.join(", ")})`, v);
      return lower_flat_variant(cx, { tag: v }, despecializedCases(t), t.labels, "enum");
    }
    case "option": return lower_flat_variant(cx, v, despecializedCases(t), ["none", "some"], "option");
    case "result": return lower_flat_variant(cx, v, despecializedCases(t), ["ok", "err"], "result");
    case "flags": return [pack_flags_into_int(v, t.labels) | 0];
  }
}

/** `lower_flat_string`: `store_string_into_range`, then `[ptr, tagged_code_units]`. */
export function lower_flat_string(cx: LiftLowerContext, v: string): CoreValue[] {
  const [ptr, packed_length] = store_host_string_into_range(cx, v);
  return [ptr | 0, packed_length | 0];
}

/** `lower_flat_list`: `store_list_into_range`, then `[ptr, length]`. */
export function lower_flat_list(cx: LiftLowerContext, v: Value, elem_type: ValType): CoreValue[] {
  const [ptr, length] = store_list_into_range(cx, v, elem_type);
  return [ptr | 0, length | 0];
}

/** `lower_flat_record`: each field in turn. */
export function lower_flat_record(cx: LiftLowerContext, v: Value, fields: readonly Field[]): CoreValue[] {
  if (!isRecordValue(v)) badValue(`record { ${fields.map((f) => f.label).join(", ")} } (object)`, v);
  const rec = v;
  const flat: CoreValue[] = [];
  for (const f of fields) flat.push(...lower_flat(cx, field(rec, f.label), f.type, f.label));
  return flat;
}

/**
 * `lower_flat_variant`: the case index, the payload coerced into the joined flat types, and
 * zeros for the unused trailing slots.
 */
export function lower_flat_variant(cx: LiftLowerContext, v: Value, cases: readonly Case[], hostLabels: readonly string[], what: string): CoreValue[] {
  const [case_index, case_value] = match_case(v, hostLabels, what);
  const flat_types = variant_payload_flat_types(cases);
  const c = cases[case_index];
  const payload: CoreValue[] = [];
  if (c.type !== null) {
    if (case_value === undefined) throw new InvalidHostValueError(`${what} case \`${hostLabels[case_index]}\` needs a value`);
    const lowered = lower_flat(cx, case_value, c.type, c.label);
    const haves = flatten_type(c.type);
    lowered.forEach((fv, i) => {
      const have = haves[i];
      const want = flat_types[i];
      if (have === "f32" && want === "i32") payload.push(encode_float_as_i32(fv as number) | 0);
      else if (have === "i32" && want === "i64") payload.push(BigInt((fv as number) >>> 0));
      else if (have === "f32" && want === "i64") payload.push(BigInt(encode_float_as_i32(fv as number)));
      else if (have === "f64" && want === "i64") payload.push(BigInt.asIntN(64, encode_float_as_i64(fv as number)));
      else payload.push(fv);
    });
  }
  for (let i = payload.length; i < flat_types.length; i++) payload.push(flat_types[i] === "i64" ? 0n : 0);
  return [case_index, ...payload];
}

/**
 * `lower_flat_values(cx, max_flat, vs, ts)`: more than `max_flat` flat values are stored as a
 * tuple in memory obtained from `realloc` (checked: T12) and passed as one pointer.
 * `may_leave` is false meanwhile.
 */
export function lower_flat_values(cx: LiftLowerContext, max_flat: number, vs: readonly Value[], ts: readonly ValType[], out_param?: ValueIter): CoreValue[] {
  if (vs.length !== ts.length) throw new InvalidHostValueError(`expected ${ts.length} argument(s), got ${vs.length}`);
  cx.inst.may_leave = false;
  try {
    if (flat_count_types(ts) > max_flat) {
      const tuple_type = tuple_of(ts);
      const align = alignment(tuple_type);
      const size = elem_size(tuple_type);
      let ptr: number;
      let flat_vals: CoreValue[];
      if (out_param === undefined) {
        ptr = cx.realloc(0, 0, align, size);
        if (ptr !== align_to(ptr, align)) trap("T12", `realloc return: result ${hex(ptr)} not aligned to ${align}`);
        const len = cx.memoryLength();
        if (ptr + size > len) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${size} > memory size ${len})`);
        if (cx.trace !== null) cx.trace.range("params", ptr, size, [`T12 realloc result ${hex(ptr)} aligned to ${align}`, `T12 ${hex(ptr)} + ${size} <= memory size ${len}`]);
        flat_vals = [ptr | 0];
      } else {
        // the caller passed a pointer to its own result area (canon lower)
        ptr = out_param.next("i32") as number;
        if (ptr !== align_to(ptr, align)) trap("T10", `result pointer ${hex(ptr)} not aligned to ${align}`);
        const len = cx.memoryLength();
        if (ptr + size > len) trap("T10", `result pointer out of bounds: ${hex(ptr)} + ${size} bytes > memory size ${len}`);
        flat_vals = [];
      }
      store_tuple(cx, vs, ptr, ts);
      return flat_vals;
    }
    const flat_vals: CoreValue[] = [];
    for (let i = 0; i < vs.length; i++) flat_vals.push(...lower_flat(cx, vs[i], ts[i], i));
    return flat_vals;
  } finally {
    cx.inst.may_leave = true;
  }
}
