/**
 * Argument checks at the host's public door: one helper per kind of check (object, options
 * bag, string, string list, integer in range, function, class instance, abort signal), each
 * throwing a {@link PureflowError} whose message names the argument, what was expected and what
 * was given: `invalid argument \`options.limits\`: expected an ExecutionLimits, got number 5`.
 * The code is `CDT-EXEC-001` unless the caller passes another (`CDT-VAL-001` for identifiers,
 * `CDT-VAL-002` for capability descriptors), and `PureflowError.argument` names the argument.
 * Values are described with the component layer's `describeValue`, which never throws.
 */
import { describeValue } from "../canonical-abi/index.js";
import { PureflowError, type PureflowErrorCode } from "./errors.js";

/** The error for `argument`, which should have been `expected` and is `v`. */
export function argumentError(argument: string, expected: string, v: unknown, code: PureflowErrorCode = "CDT-EXEC-001"): PureflowError {
  return PureflowError.invalidArgument(argument, `expected ${expected}, got ${describeValue(v)}`, code);
}

/** True for a non-null object that is not an array. */
export function isPlainObjectLike(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `v` must be a non-null object that is not an array. */
export function checkObjectArgument(argument: string, v: unknown, expected = "an object", code?: PureflowErrorCode): Record<string, unknown> {
  if (!isPlainObjectLike(v)) throw argumentError(argument, expected, v, code);
  return v;
}

/** `v` must be `undefined` (no options) or an object; returns the object (empty when undefined). */
export function checkOptionsArgument<O extends object>(argument: string, v: O | undefined): Partial<O> {
  if (v === undefined) return {};
  if (!isPlainObjectLike(v)) throw argumentError(argument, "an options object or undefined", v);
  return v;
}

/** `v` must be a string. */
export function checkStringArgument(argument: string, v: unknown, code?: PureflowErrorCode): string {
  if (typeof v !== "string") throw argumentError(argument, "a string", v, code);
  return v;
}

/** `v` must be `undefined` or a string. */
export function checkOptionalStringArgument(argument: string, v: unknown): string | undefined {
  if (v !== undefined && typeof v !== "string") throw argumentError(argument, "a string or undefined", v);
  return v;
}

/** `v` must be `undefined` (empty) or an array of strings; returns a copy. */
export function checkStringListArgument(argument: string, v: unknown, code?: PureflowErrorCode): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw argumentError(argument, "an array of strings or undefined", v, code);
  const out: string[] = [];
  for (let i = 0; i < v.length; i++) out.push(checkStringArgument(`${argument}[${i}]`, v[i], code));
  return out;
}

/** `v` must be an integer (a safe integer) from `min` to `max`. */
export function checkIntegerArgument(argument: string, v: unknown, min: number, max: number): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= max) return v;
  throw argumentError(argument, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`, v);
}

/** `v` must be a function. */
export function checkFunctionArgument(argument: string, v: unknown): (...args: never[]) => unknown {
  if (typeof v !== "function") throw argumentError(argument, "a function", v);
  return v as (...args: never[]) => unknown;
}

/** `v` must be `undefined` or a function. */
export function checkOptionalFunctionArgument(argument: string, v: unknown): ((...args: never[]) => unknown) | undefined {
  return v === undefined ? undefined : checkFunctionArgument(argument, v);
}

/** `v` must be an `AbortSignal` (any object with an `aborted` boolean, so signals of other realms pass). */
export function checkSignalArgument(argument: string, v: unknown): AbortSignal {
  if (!isPlainObjectLike(v) || typeof v.aborted !== "boolean") throw argumentError(argument, "an AbortSignal", v);
  return v as unknown as AbortSignal;
}
