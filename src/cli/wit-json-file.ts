/**
 * Reading a WIT-shaped JSON file for `evaluate` and `call`: UTF-8 text, JSON syntax errors with
 * line and column (`CLI-INPUT-002`), then the values exactly as serde_json reads them (integers
 * beyond 2^53 kept exact: `parseControlJson`), so a 64-bit argument is never rounded.
 */
import { parseControlJson, PureflowError, type JsonValue } from "../index.js";
import { CliError, printable } from "./errors.js";
import { parseJsonText, utf8Text } from "./json-text.js";

/** The JSON value of file `name` (bytes already read), `what` naming it in messages. */
export function readWitJsonFile(bytes: Uint8Array, what: string, name: string): JsonValue {
  const text = utf8Text(bytes, what, name);
  parseJsonText(text, what, name); // syntax errors with line and column
  try {
    return parseControlJson(text);
  } catch (e) {
    if (!(e instanceof PureflowError)) throw e;
    throw new CliError("CLI-INPUT-002", `${what} \`${printable(name)}\` is not valid JSON: ${printable(e.message)}`, { cause: e });
  }
}

/** Runs `convert` on a file's JSON; a `PureflowError` (a value that does not fit) becomes `CLI-INPUT-003`. */
export function convertWitJson<T>(name: string, convert: () => T): T {
  try {
    return convert();
  } catch (e) {
    if (!(e instanceof PureflowError)) throw e;
    throw new CliError("CLI-INPUT-003", `\`${printable(name)}\`: ${printable(e.message)}`, { cause: e });
  }
}
