/**
 * Argument checks at the component layer's public door: one helper per kind of check (bytes,
 * options bag, count/limit, string path, function, class instance), each throwing
 * {@link InvalidArgumentError} naming the argument, what was expected and what was given. The
 * public functions call these first, so a wrong argument never surfaces as a raw
 * `TypeError`/`RangeError` from deep inside. {@link describeValue} renders any JS value for
 * such messages without ever throwing (symbols, `Object.create(null)`, cycles, huge strings).
 */
import { InvalidArgumentError } from "./errors.js";

const MAX_SHOWN_CHARS = 40;

/**
 * A short description of any JS value for an error message (`undefined`, `null`, `number NaN`,
 * `bigint 10n`, `string "abc"`, `a function`, `an array (length 2)`, `a Uint8Array (length 3)`,
 * `an ArrayBuffer`, `an object`). Never throws and never calls user code.
 */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case "undefined": return "undefined";
    case "boolean": return `boolean ${v}`;
    case "number": return `number ${Object.is(v, -0) ? "-0" : String(v)}`;
    case "bigint": return `bigint ${v.toString()}n`;
    case "string": return `string ${JSON.stringify(v.length > MAX_SHOWN_CHARS ? v.slice(0, MAX_SHOWN_CHARS) + "..." : v)}`;
    case "symbol": return "a symbol";
    case "function": return "a function";
    default: break;
  }
  if (v === null) return "null";
  try {
    if (Array.isArray(v)) return `an array (length ${v.length})`;
    if (ArrayBuffer.isView(v)) {
      const name = Object.prototype.toString.call(v).slice(8, -1);
      return `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}${"length" in v ? ` (length ${String((v as { length: unknown }).length)})` : ""}`;
    }
    if (v instanceof ArrayBuffer) return "an ArrayBuffer";
    if (typeof SharedArrayBuffer !== "undefined" && v instanceof SharedArrayBuffer) return "a SharedArrayBuffer";
  } catch {
    // a revoked Proxy: Array.isArray throws on it
  }
  return "an object";
}

/** The {@link InvalidArgumentError} for `argument`, which should have been `expected` and is `v`. */
export function argumentError(argument: string, expected: string, v: unknown): InvalidArgumentError {
  return new InvalidArgumentError(argument, expected, describeValue(v));
}

/** `v` must be a `Uint8Array` (a Node `Buffer` is one). */
export function checkBytesArgument(argument: string, v: unknown): Uint8Array {
  if (!(v instanceof Uint8Array)) throw argumentError(argument, "a Uint8Array", v);
  return v;
}

/** `v` must be `undefined` (no options) or a non-array object; returns the object (empty when undefined). */
export function checkOptionsArgument<O extends object>(argument: string, v: O | undefined): O | Record<string, never> {
  if (v === undefined) return {};
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw argumentError(argument, "an options object or undefined", v);
  return v;
}

/**
 * `v` must be an integer from `min` to `max` (a safe integer), or `Infinity` when `allowInfinity`.
 * NaN, fractions, bigints, strings and everything else are refused.
 */
export function checkCountArgument(argument: string, v: unknown, min: number, max: number, allowInfinity = false): number {
  if (typeof v === "number" && ((allowInfinity && v === Infinity) || (Number.isSafeInteger(v) && v >= min && v <= max))) return v;
  const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  throw argumentError(argument, allowInfinity ? `${range} or Infinity` : range, v);
}

/** `v` must be a non-empty array of strings (an export path). */
export function checkStringPathArgument(argument: string, v: unknown): readonly string[] {
  if (!Array.isArray(v) || v.length === 0) throw argumentError(argument, "a non-empty array of export names", v);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== "string") throw argumentError(`${argument}[${i}]`, "a string", v[i]);
  }
  return v as readonly string[];
}

/** `v` must be an array (e.g. a call's argument list). */
export function checkArrayArgument(argument: string, v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) throw argumentError(argument, "an array", v);
  return v;
}

/** `v` must be a function. */
export function checkFunctionArgument(argument: string, v: unknown): (...args: never[]) => unknown {
  if (typeof v !== "function") throw argumentError(argument, "a function", v);
  return v as (...args: never[]) => unknown;
}

/** `v` must be an instance of `cls` (named `what` in the message). */
export function checkInstanceArgument<C>(argument: string, v: unknown, cls: abstract new (...a: never[]) => C, what: string): C {
  if (!(v instanceof cls)) throw argumentError(argument, what, v);
  return v;
}

/** `v` must be `undefined` or an object carrying an `aborted` boolean (an `AbortSignal`). */
export function checkSignalArgument(argument: string, v: unknown): AbortSignal | undefined {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object" || typeof (v as { aborted?: unknown }).aborted !== "boolean") {
    throw argumentError(argument, "an AbortSignal or undefined", v);
  }
  return v as AbortSignal;
}
