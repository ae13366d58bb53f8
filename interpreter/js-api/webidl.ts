/**
 * The WebIDL pieces the WebAssembly JS API is written in: argument conversions ([EnforceRange]
 * unsigned long, BufferSource, DOMString, enumerations, dictionaries read member by member),
 * missing-argument checks, brand checks, and the shape of interface objects (enumerable
 * operations and attributes, `length`, `Symbol.toStringTag`). Every error is the built-in
 * `TypeError` / `RangeError` carrying `code` and `argument` (see `errors.ts`).
 */
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import { numberFrom } from "../execute/values.js";

/** `[EnforceRange] unsigned long`: ToNumber, then NaN, ±Infinity or out of 0..2^32-1 is a TypeError. */
export function enforceRangeU32(argument: string, v: unknown): number {
  const n = numberFrom(argument, v);
  if (!Number.isFinite(n)) throw new InvalidArgumentTypeError(argument, `must be a finite number in 0..2^32-1, got ${describeValue(v)}`);
  const x = Math.trunc(n);
  if (x < 0 || x > 0xffffffff) throw new InvalidArgumentTypeError(argument, `must be in 0..2^32-1, got ${describeValue(v)}`);
  return x;
}

/**
 * The JS API's `AddressValueToU64` (memory64, table64): for the address type "i32" it is
 * `[EnforceRange] unsigned long`; for "i64", ECMAScript ToBigInt (numbers are a TypeError, an
 * invalid string a SyntaxError), then a value outside 0..2^64-1 is a TypeError. The u64 comes back
 * as a JS number (exact up to 2^53; rounded above, where it exceeds every size this host holds).
 */
export function addressValueToU64(argument: string, v: unknown, is64: boolean): number {
  if (!is64) return enforceRangeU32(argument, v);
  const n = bigIntExact(argument, v);
  if (n < 0n || n > 0xffffffffffffffffn) throw new InvalidArgumentTypeError(argument, `must be in 0..2^64-1, got ${describeValue(v)}`);
  return Number(n);
}

/** ECMAScript ToBigInt without wrapping: the typed errors of `bigInt64From`, the exact value. */
function bigIntExact(argument: string, v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number" || v === undefined || v === null || typeof v === "symbol") throw new InvalidArgumentTypeError(argument, `cannot convert ${describeValue(v)} to a BigInt`);
  if (typeof v === "string") {
    try {
      return BigInt(v);
    } catch {
      throw Object.assign(new SyntaxError(`${argument}: cannot convert ${describeValue(v)} to a BigInt`), { code: "invalid-argument", argument });
    }
  }
  // booleans and objects: BigInt.asIntN applies ToBigInt to its argument (an object's own
  // conversion methods run once); with 2^53-1 bits it never wraps
  return BigInt.asIntN(Number.MAX_SAFE_INTEGER, v as bigint);
}

/** `DOMString`: ToString (symbols are a TypeError; the value's own `toString` exceptions propagate). */
export function toDOMString(argument: string, v: unknown): string {
  if (typeof v === "symbol") throw new InvalidArgumentTypeError(argument, `cannot convert ${describeValue(v)} to a string`);
  return `${v as string}`;
}

/** A WebIDL enumeration: ToString, then one of `values` or a TypeError. */
export function toEnum<T extends string>(argument: string, v: unknown, values: readonly T[]): T {
  const s = toDOMString(argument, v);
  if (!(values as readonly string[]).includes(s)) throw new InvalidArgumentTypeError(argument, `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}, got ${describeValue(s)}`);
  return s as T;
}

/** A dictionary argument: undefined and null read as an empty dictionary; other non-objects are a TypeError. */
export function toDictionary(argument: string, v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" && typeof v !== "function") throw new InvalidArgumentTypeError(argument, `must be an object, got ${describeValue(v)}`);
  return v as Record<string, unknown>;
}

/** `[AllowShared] BufferSource` (an ArrayBuffer, a SharedArrayBuffer, or a view of either): a copy of its bytes. */
export function bufferSourceCopy(argument: string, v: unknown): Uint8Array {
  if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  if (typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer) return new Uint8Array(v).slice();
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  throw new InvalidArgumentTypeError(argument, `must be an ArrayBuffer, a SharedArrayBuffer or a typed array / DataView, got ${describeValue(v)}`);
}

/** WebIDL's check for a missing required argument. */
export function requireArgs(what: string, given: number, required: number): void {
  if (given < required) throw new InvalidArgumentTypeError("arguments", `${what} requires ${required} argument${required === 1 ? "" : "s"}, got ${given}`);
}

/** A brand check failure: `this` (or an argument) is not an object of the interface. */
export function notA(iface: string, argument: string, v: unknown): never {
  throw new InvalidArgumentTypeError(argument, `is not a WebAssembly.${iface}, got ${describeValue(v)}`);
}

/** Gives an interface object and its prototype the WebIDL shape. */
export function finishInterface(
  ctor: { prototype: object },
  spec: { readonly name: string; readonly length: number; readonly methods?: readonly string[]; readonly statics?: readonly string[]; readonly attributes?: readonly string[] },
): void {
  Object.defineProperty(ctor, "length", { value: spec.length });
  Object.defineProperty(ctor, "name", { value: spec.name });
  const proto = ctor.prototype;
  for (const m of spec.methods ?? []) Object.defineProperty(proto, m, { enumerable: true });
  for (const a of spec.attributes ?? []) Object.defineProperty(proto, a, { enumerable: true });
  for (const s of spec.statics ?? []) Object.defineProperty(ctor, s, { enumerable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: `WebAssembly.${spec.name}`, writable: false, enumerable: false, configurable: true });
}
