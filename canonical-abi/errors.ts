/**
 * The component layer's error classes. Every error the component decoder, linker, type check
 * or Canonical ABI raises is a {@link ComponentError} with a stable machine-readable `code`:
 *
 * | class | code | raised when |
 * |---|---|---|
 * | {@link MalformedComponentError} | `malformed-component` | the bytes do not decode (truncated, bad LEB128, bad section size, ...) |
 * | {@link UnsupportedComponentFeatureError} | `unsupported-component-feature` | a valid construct outside the sync, 32-bit-memory, resource-free subset |
 * | {@link NotAComponentError} | `not-a-component` | a core module (layer 0) or something that is not wasm at all |
 * | {@link ComponentImportNotAllowedError} | `component-import-not-allowed` | the component imports anything (the host links nothing) |
 * | {@link ComponentLinkError} | `component-link-error` | an index, name, type or signature does not resolve / check |
 * | {@link MissingExportError} | `missing-export` | a looked-up export does not exist or has the wrong sort |
 * | {@link ExportTypeMismatchError} | `export-type-mismatch` | an export's type differs from the expected WIT type |
 * | {@link InvalidHostValueError} | `invalid-host-value` | a host value does not fit the WIT type it is lowered as |
 * | {@link InvalidArgumentError} | `invalid-argument` | (a subclass of the above) a public function, constructor or method got an argument of the wrong type or out of range |
 * | {@link CanonicalAbiTrap} | `canonical-abi-trap` | a dynamic Canonical ABI check failed (`rule` T1..T15) |
 * | {@link LiftBudgetExceededError} | `lift-budget-exceeded` | lifting a result would materialise more than the caller's budget (`abi/lift-budget.ts`) |
 * | {@link GuestTrap} | `guest-trap` | core wasm trapped inside the callee, `realloc` or `post-return` |
 * | {@link CallSnapshotError} | `call-snapshot-invalid` | an execution snapshot of a component call cannot be taken, or is damaged, truncated, edited or of another component/export |
 */

/** Base class of every component-layer error. */
export class ComponentError extends Error {
  /** Stable machine-readable code (see the table in this file's header). */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ComponentError";
    this.code = code;
  }
}

/** The component binary is malformed: it cannot be decoded. */
export class MalformedComponentError extends ComponentError {
  /** Byte offset in the (outermost) binary where decoding failed. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super("malformed-component", `malformed component: ${message} (at byte offset ${offset})`);
    this.name = "MalformedComponentError";
    this.offset = offset;
  }
}

/** A construct this host does not implement (async, resources, streams, memory64, value/start sections...). */
export class UnsupportedComponentFeatureError extends ComponentError {
  /** Byte offset where the construct was met, when it comes from the binary. */
  readonly offset: number | undefined;
  constructor(message: string, offset?: number) {
    super("unsupported-component-feature", offset === undefined ? `unsupported component feature: ${message}` : `unsupported component feature: ${message} (at byte offset ${offset})`);
    this.name = "UnsupportedComponentFeatureError";
    this.offset = offset;
  }
}

/** The bytes are not a component: a core module (layer 0), or not WebAssembly at all. */
export class NotAComponentError extends ComponentError {
  constructor(message: string) {
    super("not-a-component", message);
    this.name = "NotAComponentError";
  }
}

/** The component imports something; this host links nothing (not even WASI). */
export class ComponentImportNotAllowedError extends ComponentError {
  /** Every import name of the component, in order. */
  readonly imports: readonly string[];
  constructor(imports: readonly string[]) {
    super("component-import-not-allowed", `component imports are not allowed (the host provides no imports); the component imports: ${imports.map((n) => `\`${n}\``).join(", ")}`);
    this.name = "ComponentImportNotAllowedError";
    this.imports = imports;
  }
}

/** Linking failed: an index, an export name, a type or a core signature does not check. */
export class ComponentLinkError extends ComponentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("component-link-error", message, options);
    this.name = "ComponentLinkError";
  }
}

/** An export looked up by name does not exist (or is not of the expected sort). */
export class MissingExportError extends ComponentError {
  /** The path that was looked up. */
  readonly path: readonly string[];
  constructor(message: string, path: readonly string[]) {
    super("missing-export", message);
    this.name = "MissingExportError";
    this.path = path;
  }
}

/** An export's type is not the expected WIT type; the message names the first difference. */
export class ExportTypeMismatchError extends ComponentError {
  /** Where the first difference is, e.g. `invoke.params[0].list.record(port-batch).field(packets)`. */
  readonly path: string;
  /** What was expected at `path`. */
  readonly expected: string;
  /** What the component has at `path`. */
  readonly found: string;
  constructor(what: string, path: string, expected: string, found: string) {
    super("export-type-mismatch", `${what} has the wrong type at ${path}: expected ${expected}, found ${found}`);
    this.name = "ExportTypeMismatchError";
    this.path = path;
    this.expected = expected;
    this.found = found;
  }
}

/**
 * A host value handed to the ABI does not fit its WIT type (never a raw TypeError). The caller's
 * mistake: it never poisons the instance. {@link InvalidArgumentError} is its subclass for the
 * arguments of the public API themselves.
 */
export class InvalidHostValueError extends ComponentError {
  /** @param code only for subclasses (default `invalid-host-value`). */
  constructor(message: string, code = "invalid-host-value") {
    super(code, message);
    this.name = "InvalidHostValueError";
  }
}

/**
 * A public function, constructor or method of the component layer was called with an argument
 * of the wrong type or out of range (e.g. bytes that are not a `Uint8Array`, a negative budget,
 * a malformed type descriptor). `argument` names it; the message names it, what was expected
 * and what was given. Raised before anything runs, so no instance is touched or poisoned. A
 * subclass of {@link InvalidHostValueError} (a value the host handed over does not fit), with its
 * own code.
 */
export class InvalidArgumentError extends InvalidHostValueError {
  /** The argument, as the API documents it (e.g. `bytes`, `options.maxLiftedBytes`, `path[1]`). */
  readonly argument: string;
  constructor(argument: string, expected: string, got: string) {
    super(`invalid argument \`${argument}\`: expected ${expected}, got ${got}`, "invalid-argument");
    this.name = "InvalidArgumentError";
    this.argument = argument;
  }
}

/** Identifiers of the dynamic Canonical ABI checks (see `../shared/notes/canonical-abi.md` §1.7). */
export type CanonicalAbiRule =
  | "T1" | "T2" | "T3" | "T4" | "T5" | "T6" | "T7" | "T8" | "T9" | "T10"
  | "T11" | "T12" | "T13" | "T14" | "T15";

/** A dynamic Canonical ABI check failed (a trap). `rule` names the checklist item. */
export class CanonicalAbiTrap extends ComponentError {
  /** The rule that trapped, T1..T15. */
  readonly rule: CanonicalAbiRule;
  constructor(rule: CanonicalAbiRule, message: string) {
    super("canonical-abi-trap", `canonical ABI trap (${rule}): ${message}`);
    this.name = "CanonicalAbiTrap";
    this.rule = rule;
  }
}

/**
 * Lifting a result would materialise more bytes than the caller allowed (`maxLiftedBytes`). A
 * host limit, not a Canonical ABI rule: raised before the copy that would pass the limit, so at
 * most `limit` bytes were copied.
 */
export class LiftBudgetExceededError extends ComponentError {
  /** The budget in bytes. */
  readonly limit: number;
  /** Bytes already charged (copied) when the lift stopped; never more than `limit`. */
  readonly used: number;
  /** The cost of the string or list that was refused. */
  readonly requested: number;
  /** What was refused. */
  readonly item: "string" | "list";
  constructor(limit: number, used: number, requested: number, item: "string" | "list") {
    super("lift-budget-exceeded", `lift budget of ${limit} bytes exceeded: a ${item} of ${requested} bytes after ${used} bytes already lifted`);
    this.name = "LiftBudgetExceededError";
    this.limit = limit;
    this.used = used;
    this.requested = requested;
    this.item = item;
  }
}

/** Core wasm trapped inside the callee, `realloc` or `post-return` (rule T15). */
export class GuestTrap extends ComponentError {
  /** The interpreter's trap code (e.g. `unreachable`, `out-of-fuel`, `interrupted`), or `unknown`. */
  readonly trap: string;
  /** Where the trap happened: `callee`, `realloc`, `post-return`, or a core module's `start` function during instantiation. */
  readonly during: "callee" | "realloc" | "post-return" | "start";
  constructor(trap: string, during: "callee" | "realloc" | "post-return" | "start", cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super("guest-trap", `guest trapped in ${during}: ${detail}`, { cause });
    this.name = "GuestTrap";
    this.trap = trap;
    this.during = during;
  }
}

/**
 * An execution snapshot of a component call (`link/lifted-call.ts`) cannot be taken (the call is
 * not stopped in its core call, a host function is on the stack...) or cannot be restored: not a
 * snapshot, another format version, damaged (sha256 mismatch: truncated or edited), or taken of
 * another component, export or core module. Never a wrong result instead.
 */
export class CallSnapshotError extends ComponentError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("call-snapshot-invalid", message, options);
    this.name = "CallSnapshotError";
  }
}
