/**
 * The command line's own errors and exit statuses. A problem with what the user gave (arguments,
 * files, inputs, the component, a manifest) is a {@link CliError} with a `CLI-*` code and an exit
 * status of its own, distinct from a guest that ran and failed (a `CDT-*` {@link PureflowError},
 * exit 1). The table below is the one the README shows.
 *
 * | exit | code | category | when |
 * |---|---|---|---|
 * | 0 | — | — | success (`inspect` also when the file does not fit the batch world: that is information) |
 * | 1 | `CDT-EXEC-001`, `CDT-CANCEL-001`, `CDT-VAL-001` | (Pureflow's) | the guest ran and failed: trap, out of fuel, timeout, a guest error, invalid outputs |
 * | 2 | `CLI-USAGE-001` | usage error | unknown command or option, missing or extra argument, bad option value |
 * | 3 | `CLI-INPUT-001` | unusable input file | a file is missing, a directory, unreadable, or not UTF-8 text where text is needed |
 * | 3 | `CLI-INPUT-002` | invalid JSON | a JSON file is not JSON (with line and column) |
 * | 3 | `CLI-INPUT-003` | invalid inputs | the inputs JSON is not WIT-shaped batch inputs (JSON path, or Pureflow's id error as cause) |
 * | 3 | `CLI-INPUT-004` | not a usable component | not WebAssembly, a core module where a component is needed, malformed, or not of the batch world |
 * | 3 | `CLI-MANIFEST-001` | invalid manifest | `validate-manifest`: Pureflow's manifest checks, and the component must be a component |
 * | 3 | `CLI-REPLAY-001` | invalid replay record | `replay`: the record is not a replay record (docs/replay.md), or the component given is not the recorded one; `--dump`/`--bisect`: an execution snapshot or engine build that cannot be used |
 * | 4 | `CLI-OUTPUT-001` | cannot write output | standard output is closed or full (`> /dev/full`) |
 * | 5 | `CLI-INTERNAL-001` | internal error | a bug in pureflow-wasm (PUREFLOW_DEBUG=1 prints the stack) |
 */
import { PureflowError } from "../errors.js";

/** Exit statuses of `pureflow-wasm`. */
export const EXIT = {
  ok: 0,
  guestFailed: 1,
  usage: 2,
  input: 3,
  output: 4,
  internal: 5,
} as const;

/** The command line's own error codes. */
export type CliErrorCode =
  | "CLI-USAGE-001"
  | "CLI-INPUT-001"
  | "CLI-INPUT-002"
  | "CLI-INPUT-003"
  | "CLI-INPUT-004"
  | "CLI-MANIFEST-001"
  | "CLI-REPLAY-001"
  | "CLI-OUTPUT-001"
  | "CLI-INTERNAL-001";

/** Category text and exit status of each {@link CliErrorCode}. */
export const CLI_ERROR_CODES: Readonly<Record<CliErrorCode, { category: string; exit: number }>> = {
  "CLI-USAGE-001": { category: "usage error", exit: EXIT.usage },
  "CLI-INPUT-001": { category: "unusable input file", exit: EXIT.input },
  "CLI-INPUT-002": { category: "invalid JSON", exit: EXIT.input },
  "CLI-INPUT-003": { category: "invalid inputs", exit: EXIT.input },
  "CLI-INPUT-004": { category: "not a usable component", exit: EXIT.input },
  "CLI-MANIFEST-001": { category: "invalid manifest", exit: EXIT.input },
  "CLI-REPLAY-001": { category: "invalid replay record", exit: EXIT.input },
  "CLI-OUTPUT-001": { category: "cannot write output", exit: EXIT.output },
  "CLI-INTERNAL-001": { category: "internal error", exit: EXIT.internal },
};

/** An error of the command line (not of the guest). `toString()` gives `CODE: category: message`. */
export class CliError extends Error {
  /** Stable code, e.g. `CLI-INPUT-002`. */
  readonly code: CliErrorCode;
  /** The code's category text. */
  readonly category: string;
  /** The process exit status for this error. */
  readonly exitCode: number;

  constructor(code: CliErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.category = CLI_ERROR_CODES[code].category;
    this.exitCode = CLI_ERROR_CODES[code].exit;
  }

  override toString(): string {
    return `${this.code}: ${this.category}: ${this.message}`;
  }
}

/** Wrong arguments: exit 2 with the command's usage. */
export class UsageError extends CliError {
  /** The command whose usage applies, if known. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super("CLI-USAGE-001", message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** The JSON form of any error the CLI reports (`--json`). */
export interface JsonError {
  code: string;
  category: string;
  message: string;
  exitCode: number;
  /** The library error underneath a CLI error (e.g. Pureflow's `CDT-VAL-001` for an invalid input id). */
  cause?: { code: string; category: string; message: string };
}

/** `e` as {@link JsonError}. */
export function jsonError(e: CliError | PureflowError): JsonError {
  const out: JsonError = {
    code: e.code,
    category: e.category,
    message: e.message,
    exitCode: e instanceof CliError ? e.exitCode : EXIT.guestFailed,
  };
  const cause = (e as { cause?: unknown }).cause;
  if (e instanceof CliError && cause instanceof PureflowError) out.cause = { code: cause.code, category: cause.category, message: cause.message };
  return out;
}

/**
 * Makes `text` safe to print on a terminal: C0/C1 control characters (except newline and tab),
 * DEL, and the line/paragraph separators become `\u{...}` escapes, so a binary file or a hostile
 * name never sends raw bytes or escape sequences to the terminal.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/**
 * `JSON.stringify(value)` with the characters JSON allows raw but terminals may act on (DEL, C1
 * controls, U+2028/2029) written as `\uXXXX` escapes: still the same JSON value.
 */
export function safeJson(text: string): string {
  return text.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A file-system error in words (`no such file`, `is a directory`, ...), never a bare errno code. */
export function fileProblem(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "ENOENT": return "no such file";
    case "EISDIR": return "is a directory, not a file";
    case "EACCES": case "EPERM": return "permission denied";
    case "ENOTDIR": return "a part of the path is not a directory";
    case "ENAMETOOLONG": return "the path is too long";
    case "ELOOP": return "too many symbolic links";
    case "ERR_FS_FILE_TOO_LARGE": return "the file is too large";
    default: return err.code !== undefined ? `cannot read it (${err.code})` : String(err.message);
  }
}
