/**
 * The interpreter's error classes, named and shaped like the standard WebAssembly JS API's
 * (`CompileError`, `LinkError`, `RuntimeError`), each with a stable machine-readable `code`.
 * Their prototypes are the prototypes of the JS API's constructors (`js-api/errors.ts`), so
 * `e.constructor === WebAssembly.CompileError` for an error thrown here; `name` lives on the
 * prototype, as for the built-in NativeErrors.
 *
 * - `CompileError`: the bytes are malformed (decoding) or the module is invalid (validation).
 * - `LinkError`: instantiation could not resolve or type-check an import, or a resource limit
 *   refused the module's declared minimum.
 * - `RuntimeError`: a trap. `trap` is one of {@link TrapCode}.
 */

/** Stable trap codes carried by {@link RuntimeError.trap}. */
export type TrapCode =
  | "unreachable"
  | "integer-divide-by-zero"
  | "integer-overflow"
  | "invalid-conversion-to-integer"
  | "out-of-bounds-memory-access"
  | "out-of-bounds-table-access"
  | "indirect-call-type-mismatch"
  | "uninitialized-element"
  | "undefined-element"
  | "null-reference"
  | "null-function-reference"
  | "call-stack-exhausted"
  | "out-of-fuel"
  | "interrupted";

/** Why a module failed to compile: malformed bytes, or a valid encoding that does not validate. */
export type CompileErrorKind = "malformed" | "invalid" | "unsupported";

/** The module's bytes are malformed or the module does not validate. */
export class CompileError extends Error {
  /** Stable code: `malformed`, `invalid` or `unsupported` (a known proposal we do not implement). */
  readonly code: CompileErrorKind;
  /** Byte offset in the module where the problem was found, when known. */
  readonly offset: number | undefined;
  constructor(code: CompileErrorKind, message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at byte offset ${offset})`);
    this.code = code;
    this.offset = offset;
  }
}

/** Stable codes for {@link LinkError}. */
export type LinkErrorCode = "unknown-import" | "incompatible-import" | "limit-exceeded";

/** Instantiation could not link an import, or a declared size exceeds a configured limit. */
export class LinkError extends Error {
  readonly code: LinkErrorCode;
  constructor(code: LinkErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Extra facts some traps carry. */
export interface TrapDetails {
  /** `out-of-fuel`: the cost of the instruction that could not be paid. */
  required?: number;
  /** `interrupted`: the reason given by the cancellation source. */
  reason?: string;
  /** What caused the trap, where something did (an interrupt's source error, for instance). */
  cause?: unknown;
}

const TRAP_MESSAGES: Record<TrapCode, string> = {
  unreachable: "unreachable executed",
  "integer-divide-by-zero": "integer divide by zero",
  "integer-overflow": "integer overflow",
  "invalid-conversion-to-integer": "invalid conversion to integer",
  "out-of-bounds-memory-access": "out of bounds memory access",
  "out-of-bounds-table-access": "out of bounds table access",
  "indirect-call-type-mismatch": "indirect call type mismatch",
  "uninitialized-element": "uninitialized element",
  "undefined-element": "undefined element",
  "null-reference": "null reference",
  "null-function-reference": "null function reference",
  "call-stack-exhausted": "call stack exhausted",
  "out-of-fuel": "all fuel consumed by WebAssembly",
  interrupted: "interrupted",
};

/** A trap: execution stopped abnormally. `trap` says why, with a stable code. */
export class RuntimeError extends Error {
  readonly code: TrapCode;
  readonly trap: TrapCode;
  readonly required: number | undefined;
  readonly reason: string | undefined;
  constructor(trap: TrapCode, detail?: string, details: TrapDetails = {}) {
    super(detail === undefined ? TRAP_MESSAGES[trap] : `${TRAP_MESSAGES[trap]}: ${detail}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = trap;
    this.trap = trap;
    this.required = details.required;
    this.reason = details.reason;
  }
}

/** Stable code of argument misuse at the public door ({@link InvalidArgumentTypeError}, {@link InvalidArgumentRangeError}). */
export type ArgumentErrorCode = "invalid-argument";

/** Makes `e` (a built-in TypeError or RangeError) carry the argument error's `code` and `argument`. */
function argumentError<E extends Error>(e: E, argument: string): E {
  Object.defineProperty(e, "code", { value: "invalid-argument", writable: true, enumerable: true, configurable: true });
  Object.defineProperty(e, "argument", { value: argument, writable: true, enumerable: true, configurable: true });
  return e;
}

/**
 * An argument of a public entry point has the wrong type. The WebAssembly JS API requires the
 * built-in `TypeError` itself (`e.constructor === TypeError`), so `new InvalidArgumentTypeError(...)`
 * returns a plain `TypeError` carrying a stable `code` (`invalid-argument`) and the name of the
 * offending `argument`; `instanceof InvalidArgumentTypeError` recognises exactly those.
 */
export class InvalidArgumentTypeError extends TypeError {
  /** Stable code: always `invalid-argument`. */
  declare readonly code: ArgumentErrorCode;
  /** The argument (or option / descriptor field) that was wrong, e.g. `descriptor.initial`. */
  declare readonly argument: string;
  constructor(argument: string, message: string) {
    super();
    return argumentError(new TypeError(`${argument}: ${message}`), argument) as InvalidArgumentTypeError;
  }
  static override [Symbol.hasInstance](v: unknown): boolean {
    return v instanceof TypeError && (v as { code?: unknown }).code === "invalid-argument";
  }
}

/**
 * An argument of a public entry point is out of its allowed range: the built-in `RangeError`
 * itself (as the WebAssembly JS API requires) carrying a stable `code` (`invalid-argument`) and
 * the name of the offending `argument`; `instanceof InvalidArgumentRangeError` recognises those.
 */
export class InvalidArgumentRangeError extends RangeError {
  /** Stable code: always `invalid-argument`. */
  declare readonly code: ArgumentErrorCode;
  /** The argument (or option / descriptor field) that was wrong, e.g. `options.fuel`. */
  declare readonly argument: string;
  constructor(argument: string, message: string) {
    super();
    return argumentError(new RangeError(`${argument}: ${message}`), argument) as InvalidArgumentRangeError;
  }
  static override [Symbol.hasInstance](v: unknown): boolean {
    return v instanceof RangeError && (v as { code?: unknown }).code === "invalid-argument";
  }
}

/** Stable codes for {@link InvalidStateError}. */
export type InvalidStateCode = "call-not-finished" | "nothing-to-resume" | "fuel-metering-off";

/** An operation was used in a state where it means nothing (e.g. `resume()` on a finished call). */
export class InvalidStateError extends Error {
  readonly code: InvalidStateCode;
  constructor(code: InvalidStateCode, message: string) {
    super(message);
    this.name = "InvalidStateError";
    this.code = code;
  }
}

/**
 * Describes any value for an error message without ever throwing (unlike `String(v)`, which
 * throws on symbols and on objects without a usable `toString`).
 */
export function describeValue(v: unknown): string {
  switch (typeof v) {
    case "string": return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
    case "number": case "boolean": case "undefined": return String(v);
    case "bigint": return `${v}n`;
    case "symbol": return v.description === undefined ? "a symbol" : `symbol ${JSON.stringify(v.description)}`;
    case "function": return "a function";
    default: {
      if (v === null) return "null";
      if (Array.isArray(v)) return `an array of length ${v.length}`;
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto === null) return "an object with null prototype";
      try {
        const c: unknown = (proto as { constructor?: unknown }).constructor;
        if (typeof c === "function" && typeof c.name === "string" && c.name !== "") return `a ${c.name} object`;
      } catch {
        // fall through
      }
      return "an object";
    }
  }
}

for (const [c, name] of [[CompileError, "CompileError"], [LinkError, "LinkError"], [RuntimeError, "RuntimeError"]] as const) {
  Object.defineProperty(c.prototype, "name", { value: name, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(c.prototype, "message", { value: "", writable: true, enumerable: false, configurable: true });
}

/**
 * Marks a value thrown by a host function as a trap for exception handling: wasm handlers
 * (`catch_all`, `catch_all_ref`) never catch an object carrying this symbol set to true, as they
 * never catch a {@link RuntimeError}. The component layer marks what `canon lower` throws (the
 * Component Model treats a failing host call as a trap). A registered symbol, so that it is the
 * same in every copy of the library.
 */
export const UNCATCHABLE: unique symbol = Symbol.for("pureflow-wasm.uncatchable") as never;

/** Whether wasm exception handlers may catch `e` thrown by a host function (not a trap, not marked {@link UNCATCHABLE}). */
export function catchableByWasm(e: unknown): boolean {
  if (e instanceof RuntimeError) return false;
  return !((typeof e === "object" || typeof e === "function") && e !== null && (e as { [UNCATCHABLE]?: unknown })[UNCATCHABLE] === true);
}
