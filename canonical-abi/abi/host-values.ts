/**
 * Checks on host values before they are lowered: a value that does not fit its WIT type is an
 * {@link InvalidHostValueError} naming the type and the value, never a raw TypeError.
 */
import { InvalidHostValueError } from "../errors.js";
import type { Case, Value, VariantValue } from "../types.js";

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v);
  if (typeof v === "bigint") return `${v}n`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (v === null) return "null";
  if (typeof v === "object") return "object";
  return String(v);
}

/** Fails with a message naming the expected type and the value met. */
export function badValue(expected: string, v: unknown): never {
  throw new InvalidHostValueError(`expected ${expected}, got ${show(v)}`);
}

const INT_RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff], s8: [-0x80, 0x7f], u16: [0, 0xffff], s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff], s32: [-0x80000000, 0x7fffffff],
};

/** A 8/16/32-bit integer of the given kind. */
export function expectInt(kind: string, v: Value): number {
  const r = INT_RANGES[kind];
  if (typeof v !== "number" || !Number.isInteger(v) || v < r[0] || v > r[1]) badValue(`${kind} (integer ${r[0]}..${r[1]})`, v);
  return v;
}

/** A 64-bit integer (a bigint in range; a safe integer number is accepted too). */
export function expectInt64(kind: "u64" | "s64", v: Value): bigint {
  let b: bigint;
  if (typeof v === "bigint") b = v;
  else if (typeof v === "number" && Number.isSafeInteger(v)) b = BigInt(v);
  else return badValue(`${kind} (bigint)`, v);
  const ok = kind === "u64" ? b >= 0n && b < 1n << 64n : b >= -(1n << 63n) && b < 1n << 63n;
  if (!ok) badValue(`${kind} (in range)`, v);
  return b;
}

/** A float (any number, NaN included). */
export function expectFloat(kind: string, v: Value): number {
  if (typeof v !== "number") badValue(`${kind} (number)`, v);
  return v;
}

/** A boolean. */
export function expectBool(v: Value): boolean {
  if (typeof v !== "boolean") badValue("bool (boolean)", v);
  return v;
}

/** `char_to_i32`: a string holding exactly one Unicode scalar value. */
export function char_to_i32(v: Value): number {
  if (typeof v !== "string") return badValue("char (one-code-point string)", v);
  const cp = v.codePointAt(0);
  if (cp === undefined || v.length !== (cp > 0xffff ? 2 : 1) || (cp >= 0xd800 && cp <= 0xdfff)) badValue("char (exactly one Unicode scalar value)", v);
  return cp;
}

/** A string. */
export function expectString(v: Value): string {
  if (typeof v !== "string") badValue("string", v);
  return v;
}

/** A list: an array (or a Uint8Array for `list<u8>`). */
export function expectList(v: Value): readonly Value[] | Uint8Array {
  if (Array.isArray(v) || v instanceof Uint8Array) return v as readonly Value[] | Uint8Array;
  return badValue("list (array)", v);
}

/** True when `v` has the host form of a record, flags or variant: a plain object. */
export function isRecordValue(v: Value): v is { readonly [key: string]: Value | undefined } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** A record: a plain object. */
export function expectRecord(v: Value, what: string): { readonly [key: string]: Value | undefined } {
  if (!isRecordValue(v)) badValue(what, v);
  return v;
}

/** A tuple of `n` elements: an array. */
export function expectTuple(v: Value, n: number): readonly Value[] {
  if (!Array.isArray(v) || v.length !== n) badValue(`tuple of ${n} (array)`, v);
  return v as readonly Value[];
}

/** A field of a record value (present and not undefined). */
export function field(rec: { readonly [key: string]: Value | undefined }, label: string): Value {
  const v = rec[label];
  if (v === undefined) throw new InvalidHostValueError(`record is missing field \`${label}\``);
  return v;
}

const labelsCache = new WeakMap<readonly Case[], readonly string[]>();

/** The labels of a variant's cases (cached per cases array: lowering asks once per value). */
export function case_labels(cases: readonly Case[]): readonly string[] {
  let l = labelsCache.get(cases);
  if (l === undefined) {
    l = cases.map((c) => c.label);
    labelsCache.set(cases, l);
  }
  return l;
}

/** `match_case`: the case index and payload of a `{ tag, value? }` host value. */
export function match_case(v: Value, labels: readonly string[], what: string): [number, Value | undefined] {
  if (!isRecordValue(v)) badValue(`${what} ({ tag, value? })`, v);
  const rec = v as unknown as VariantValue;
  const index = typeof rec.tag === "string" ? labels.indexOf(rec.tag) : -1;
  if (index < 0) badValue(`${what} with tag one of ${labels.map((l) => JSON.stringify(l)).join(", ")}`, rec.tag);
  return [index, rec.value];
}
