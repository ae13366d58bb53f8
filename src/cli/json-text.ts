/**
 * Reading JSON files for the command line: bytes -> UTF-8 text -> value, with every problem a
 * {@link CliError} that names the file and, for syntax errors, the line and column
 * (`inputs `in.json` is not valid JSON: unexpected `}`, expected a value at line 3 column 17`).
 * A WebAssembly binary or other binary file is recognised and named, never echoed.
 *
 * `JSON.parse` does the parsing; only when it fails does {@link jsonSyntaxError} walk the text
 * (iteratively: deep nesting cannot overflow the stack) to find where and why.
 */
import { CliError, printable } from "./errors.js";

/** Where a JSON text stops being JSON: the UTF-16 offset and what was found/expected. */
export interface JsonSyntaxProblem {
  offset: number;
  line: number;
  /** 1-based, counted in characters (code points) from the start of the line. */
  column: number;
  message: string;
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i) as number;
  const c = String.fromCodePoint(cp);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff) return `character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return c === "`" ? "'`'" : `\`${c}\``;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  for (let i = lineStart; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < offset) i++;
    column++;
  }
  return { line, column };
}

/**
 * The first syntax error of `text` as JSON (RFC 8259), or undefined when it is valid JSON.
 * Never throws, never recurses.
 */
export function jsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 0x5b `[` or 0x7b `{`
  let state: "value" | "key" | "after" = "value";
  const fail = (expected: string): JsonSyntaxProblem => {
    const found = i >= n ? "end of input" : describeChar(text, i);
    return { offset: i, ...position(text, i), message: `unexpected ${found}${expected ? `, expected ${expected}` : ""}` };
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const string = (): JsonSyntaxProblem | undefined => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) {
        i = start;
        const p = position(text, start);
        return { offset: start, ...p, message: "unterminated string" };
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === undefined) continue;
        if ('"\\/bfnrt'.includes(e)) i++;
        else if (e === "u") {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? "")) return fail("a hex digit of a \\u escape");
        } else return fail("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      } else if (c < 0x20) return fail("no control character inside a string (write it as an escape)");
      else i++;
    }
  };
  const digits = (): boolean => {
    const s = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i > s;
  };
  const number = (): JsonSyntaxProblem | undefined => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return fail("a digit");
    if (text[i] === ".") {
      i++;
      if (!digits()) return fail("a digit after `.`");
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return fail("a digit in the exponent");
    }
    return undefined;
  };
  for (;;) {
    ws();
    if (state === "value") {
      if (i >= n) return fail("a value");
      const c = text[i] as string;
      if (c === "{" || c === "[") {
        i++;
        ws();
        if (text[i] === (c === "{" ? "}" : "]")) {
          i++;
          state = "after";
        } else {
          stack.push(c.charCodeAt(0));
          state = c === "{" ? "key" : "value";
        }
        continue;
      }
      let err: JsonSyntaxProblem | undefined;
      if (c === '"') err = string();
      else if (c === "-" || (c >= "0" && c <= "9")) err = number();
      else {
        const word = ["true", "false", "null"].find((w) => text.startsWith(w, i));
        if (word === undefined) return fail("a value");
        i += word.length;
      }
      if (err) return err;
      state = "after";
    } else if (state === "key") {
      if (text[i] !== '"') return fail("a string key");
      const err = string();
      if (err) return err;
      ws();
      if (text[i] !== ":") return fail("`:`");
      i++;
      state = "value";
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (i < n) return fail("the end of the input");
        return undefined;
      }
      const close = top === 0x7b ? "}" : "]";
      if (text[i] === ",") {
        i++;
        state = top === 0x7b ? "key" : "value";
      } else if (text[i] === close) {
        i++;
        stack.pop();
      } else return fail(`\`,\` or \`${close}\``);
    }
  }
}

/** True when `bytes` start like a WebAssembly binary. */
export function looksLikeWasm(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
}

/**
 * Decodes `bytes` as UTF-8 text for a file called `what` `name` (a leading BOM is dropped).
 * @throws CliError `CLI-INPUT-001` for a WebAssembly binary or bytes that are not UTF-8 text.
 */
export function utf8Text(bytes: Uint8Array, what: string, name: string): string {
  if (looksLikeWasm(bytes)) throw new CliError("CLI-INPUT-001", `${what} \`${printable(name)}\` is a WebAssembly binary, not JSON text (are the arguments in the right order?)`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CliError("CLI-INPUT-001", `${what} \`${printable(name)}\` is not UTF-8 text (a binary file?)`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parses JSON `text` of a file called `what` `name`.
 * @throws CliError `CLI-INPUT-002` naming the line and column of the first syntax error.
 */
export function parseJsonText(text: string, what: string, name: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const p = jsonSyntaxError(text);
    const where = p === undefined ? "" : `: ${p.message} at line ${p.line} column ${p.column}`;
    throw new CliError("CLI-INPUT-002", `${what} \`${printable(name)}\` is not valid JSON${where}`);
  }
}
