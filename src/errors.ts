/**
 * `PureflowError`: the host's one error class, mirroring Pureflow's `PureflowError`
 * (`crates/pureflow-core/src/error.rs`): a stable `code`, its category text, a visibility, a
 * retry disposition, and `toString()` = `CODE: category: message`.
 *
 * | code | category | visibility | retry |
 * |---|---|---|---|
 * | `CDT-VAL-001` | identifier validation failed | user | never |
 * | `CDT-VAL-002` | capability validation failed | user | never |
 * | `CDT-EXEC-001` | node execution failed | internal | unknown |
 * | `CDT-CANCEL-001` | execution cancelled | user | safe |
 */

/** Stable error codes raised by this host. */
export type PureflowErrorCode = "CDT-VAL-001" | "CDT-VAL-002" | "CDT-EXEC-001" | "CDT-CANCEL-001";

/** Who an error is meant for. */
export type ErrorVisibility = "user" | "internal";

/** Whether retrying the same call can help. */
export type RetryDisposition = "never" | "safe" | "unknown";

interface CodeFacts {
  category: string;
  visibility: ErrorVisibility;
  retry: RetryDisposition;
}

const CODES: Record<PureflowErrorCode, CodeFacts> = {
  "CDT-VAL-001": { category: "identifier validation failed", visibility: "user", retry: "never" },
  "CDT-VAL-002": { category: "capability validation failed", visibility: "user", retry: "never" },
  "CDT-EXEC-001": { category: "node execution failed", visibility: "internal", retry: "unknown" },
  "CDT-CANCEL-001": { category: "execution cancelled", visibility: "user", retry: "safe" },
};

/** Extra facts an execution error may carry. */
export interface PureflowErrorDetails {
  /** A guest trap: the interpreter's or the component layer's stable code (e.g. `unreachable`, `out-of-fuel`, `canonical-abi-trap`). */
  trap?: string;
  /** The error this one was mapped from. */
  cause?: unknown;
  /** For a wrong argument of a public function: the argument's name (e.g. `options.limits`). */
  argument?: string;
}

/** An error of the Pureflow batch host. `toString()` gives `CODE: category: message`. */
export class PureflowError extends Error {
  /** Stable code, e.g. `CDT-EXEC-001`. */
  readonly code: PureflowErrorCode;
  /** The code's category text, e.g. `node execution failed`. */
  readonly category: string;
  /** `user` or `internal`. */
  readonly visibility: ErrorVisibility;
  /** `never`, `safe` or `unknown`. */
  readonly retry: RetryDisposition;
  /** For guest traps: the trap's stable code. */
  readonly trap: string | undefined;
  /** For a wrong argument of a public function: the argument's name. */
  readonly argument: string | undefined;

  /** @throws PureflowError (`CDT-EXEC-001`) when `code` is not one of {@link PureflowErrorCode} or `message` is not a string. */
  constructor(code: PureflowErrorCode, message: string, details: PureflowErrorDetails = {}) {
    if (typeof code !== "string" || !Object.prototype.hasOwnProperty.call(CODES, code)) {
      throw PureflowError.invalidArgument("code", `expected one of ${Object.keys(CODES).join(", ")}, got ${typeof code === "string" ? JSON.stringify(code) : typeof code}`);
    }
    if (typeof message !== "string") throw PureflowError.invalidArgument("message", `expected a string, got ${typeof message}`);
    const d: PureflowErrorDetails = details !== null && typeof details === "object" ? details : {};
    super(message, d.cause === undefined ? undefined : { cause: d.cause });
    this.name = "PureflowError";
    const facts = CODES[code];
    this.code = code;
    this.category = facts.category;
    this.visibility = facts.visibility;
    this.retry = facts.retry;
    this.trap = d.trap;
    this.argument = d.argument;
  }

  /** `CODE: category: message`, as Pureflow's `Display`. */
  override toString(): string {
    return `${this.code}: ${this.category}: ${this.message}`;
  }

  /** `CDT-VAL-001`: an identifier is invalid. */
  static invalidIdentifier(message: string): PureflowError {
    return new PureflowError("CDT-VAL-001", message);
  }

  /** `CDT-VAL-002`: a capability descriptor is refused. */
  static invalidCapabilities(message: string): PureflowError {
    return new PureflowError("CDT-VAL-002", message);
  }

  /** `CDT-EXEC-001`: the node (guest or host boundary) failed. */
  static execution(message: string, details: PureflowErrorDetails = {}): PureflowError {
    return new PureflowError("CDT-EXEC-001", message, details);
  }

  /**
   * A public function was called with a wrong argument: `invalid argument \`{argument}\`: {detail}`
   * (`CDT-EXEC-001` unless `code` says otherwise; `CDT-VAL-001` for ids, `CDT-VAL-002` for capabilities).
   */
  static invalidArgument(argument: string, detail: string, code: PureflowErrorCode = "CDT-EXEC-001"): PureflowError {
    return new PureflowError(code, `invalid argument \`${argument}\`: ${detail}`, { argument });
  }

  /** `CDT-CANCEL-001`: the invocation was cancelled. */
  static cancelled(reason: string): PureflowError {
    return new PureflowError("CDT-CANCEL-001", reason);
  }
}

/** True when `e` is a {@link PureflowError}. */
export function isPureflowError(e: unknown): e is PureflowError {
  return e instanceof PureflowError;
}
