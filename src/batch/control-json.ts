/**
 * Control payloads as JSON, the way Pureflow's Rust host treats them with serde_json:
 * - {@link parseControlJson} parses JSON text like `serde_json::from_str::<Value>`, with serde's
 *   error messages (`expected ident at line 1 column 2`, `trailing characters at ...`, ...), its
 *   recursion limit (128) and its number rules;
 * - {@link stringifyControlJson} writes compact JSON like `Value::to_string()`: no spaces, object
 *   keys sorted bytewise (UTF-8 order = code point order), serde's string escapes, integers as
 *   integers and floats in shortest round-trip form (Rust `ryu` layout: `1.5`, `100.0`, `1e20`).
 *
 * How numbers map between JSON and JS (host-side {@link JsonValue}):
 * - JSON integer tokens (no `.`, no exponent) become `number` when they are safe integers, and
 *   `bigint` beyond ±2^53 when they fit u64/i64 (beyond that serde reads them as floats, and so
 *   do we); `-0` becomes the float `-0` (serde reads it as the f64 `-0.0`).
 * - JSON float tokens become `number`.
 * - Writing: a `number` that is a safe integer (except `-0`) is written as an integer; any other
 *   finite `number` as a float (`1.5`, `1e20`, `-0.0`); a `bigint` as an integer (it must fit
 *   i64 or u64). NaN and ±Infinity are refused (serde has no such JSON numbers).
 * - A float token with an integral value (`1.0`, `1e2`) is the JS number `1`/`100` in a
 *   {@link JsonValue}, which cannot tell it from the integer `1`/`100`. So that such a value still
 *   goes out as serde writes it (`1.0`/`100.0`), a control payload read from JSON text also keeps
 *   that text in serde's form ({@link controlPayloadFromText}: `{ kind, value, json }`), and
 *   {@link controlPayloadText} writes it while it still describes `value`. {@link parseSerdeValue}
 *   gives the numbers exactly as serde holds them ({@link SerdeNumber}).
 */
import { PureflowError } from "../errors.js";
import { checkStringArgument } from "../arguments.js";
import { hasLoneSurrogate } from "./ids.js";

/** A JSON value on the host side (control payloads). See the file header for number rules. */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
/** A JSON object (own enumerable string keys). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** serde_json's recursion limit when parsing. */
export const JSON_RECURSION_LIMIT = 128;

/**
 * A JSON syntax error with serde_json's message shape: `{what} at line {l} column {c}`. A
 * {@link PureflowError} (`CDT-EXEC-001`), so it carries the host's stable code.
 */
export class ControlJsonSyntaxError extends PureflowError {
  readonly line: number;
  readonly column: number;
  constructor(what: string, line: number, column: number) {
    super("CDT-EXEC-001", `${what} at line ${line} column ${column}`);
    this.name = "ControlJsonSyntaxError";
    this.line = line;
    this.column = column;
  }
}

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

class Parser {
  private i = 0;
  private depth = JSON_RECURSION_LIMIT;
  /** `typed`: numbers become {@link SerdeNumber}s (u64 / i64 / f64, as serde_json holds them). */
  constructor(private readonly s: string, private readonly typed = false) {}

  /** Error located just after the character at index `at` (serde's "consumed" position). */
  private fail(what: string, at: number): never {
    const pos = Math.min(at, this.s.length);
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < pos; k++) if (this.s.charCodeAt(k) === 0x0a) { line++; lineStart = k + 1; }
    // serde counts columns in bytes
    let column = 0;
    for (let k = lineStart; k < pos; k++) {
      const c = this.s.charCodeAt(k);
      column += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xfc00) === 0xd800 ? 4 : (c & 0xfc00) === 0xdc00 ? 0 : 3;
    }
    throw new ControlJsonSyntaxError(what, line, column);
  }
  private eof(what: string): never {
    return this.fail(what, this.s.length);
  }
  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) this.i++;
      else break;
    }
  }

  parseDocument(): JsonValue {
    this.ws();
    if (this.i >= this.s.length) this.eof("EOF while parsing a value");
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail("trailing characters", this.i + 1);
    return v;
  }

  private value(): JsonValue {
    const s = this.s;
    this.ws();
    if (this.i >= s.length) this.eof("EOF while parsing a value");
    const c = s[this.i];
    switch (c) {
      case "n": this.i++; this.ident("ull"); return null;
      case "t": this.i++; this.ident("rue"); return true;
      case "f": this.i++; this.ident("alse"); return false;
      case "\"": this.i++; return this.string();
      case "[": return this.array();
      case "{": return this.object();
      case "-": this.i++; return this.number(false);
      default:
        if (c >= "0" && c <= "9") return this.number(true);
        return this.fail("expected value", this.i + 1);
    }
  }

  private ident(rest: string): void {
    for (const ch of rest) {
      if (this.i >= this.s.length) this.eof("EOF while parsing a value");
      if (this.s[this.i] !== ch) this.fail("expected ident", this.i + 1);
      this.i++;
    }
  }

  private number(positive: boolean): JsonValue {
    const s = this.s;
    const start = this.i;
    if (this.i >= s.length) this.eof("EOF while parsing a value");
    const first = s[this.i];
    if (first === "0") {
      this.i++;
      if (this.i < s.length && s[this.i] >= "0" && s[this.i] <= "9") this.fail("invalid number", this.i + 1);
    } else if (first >= "1" && first <= "9") {
      while (this.i < s.length && s[this.i] >= "0" && s[this.i] <= "9") this.i++;
    } else {
      this.fail("invalid number", this.i + 1);
    }
    let isFloat = false;
    if (this.i < s.length && s[this.i] === ".") {
      isFloat = true;
      this.i++;
      if (this.i >= s.length) this.eof("EOF while parsing a value");
      if (!(s[this.i] >= "0" && s[this.i] <= "9")) this.fail("invalid number", this.i + 1);
      while (this.i < s.length && s[this.i] >= "0" && s[this.i] <= "9") this.i++;
    }
    if (this.i < s.length && (s[this.i] === "e" || s[this.i] === "E")) {
      isFloat = true;
      this.i++;
      if (this.i < s.length && (s[this.i] === "+" || s[this.i] === "-")) this.i++;
      if (this.i >= s.length) this.eof("EOF while parsing a value");
      if (!(s[this.i] >= "0" && s[this.i] <= "9")) this.fail("invalid number", this.i + 1);
      while (this.i < s.length && s[this.i] >= "0" && s[this.i] <= "9") this.i++;
    }
    const digits = s.slice(start, this.i);
    if (this.typed) return this.serdeNumber(positive, isFloat, digits) as unknown as JsonValue;
    if (!isFloat) {
      const big = positive ? BigInt(digits) : -BigInt(digits);
      if (big === 0n && !positive) return -0;
      if (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big);
      if (big <= U64_MAX && big >= I64_MIN) return big;
    }
    const n = Number((positive ? "" : "-") + digits);
    if (!Number.isFinite(n)) this.fail("number out of range", this.i);
    return n;
  }

  /** serde_json's `ParserNumber` for a number token (`digits` without its sign). */
  private serdeNumber(positive: boolean, isFloat: boolean, digits: string): SerdeNumber {
    if (!isFloat) {
      const magnitude = BigInt(digits);
      if (magnitude <= U64_MAX) {
        if (positive) return new SerdeNumber("u64", magnitude);
        if (magnitude === 0n) return new SerdeNumber("f64", -0);
        if (magnitude <= -I64_MIN) return new SerdeNumber("i64", -magnitude);
        return new SerdeNumber("f64", -Number(magnitude));
      }
    }
    const n = Number((positive ? "" : "-") + digits);
    if (!Number.isFinite(n)) this.fail("number out of range", this.i);
    return new SerdeNumber("f64", n);
  }

  private string(): string {
    const s = this.s;
    let out = "";
    let run = this.i;
    for (;;) {
      if (this.i >= s.length) this.eof("EOF while parsing a string");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(run, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail("control character (\\u0000-\\u001F) found while parsing a string", this.i + 1);
      if (c !== 0x5c) { this.i++; continue; }
      out += s.slice(run, this.i);
      this.i++;
      if (this.i >= s.length) this.eof("EOF while parsing a string");
      const e = s[this.i++];
      switch (e) {
        case "\"": out += "\""; break;
        case "\\": out += "\\"; break;
        case "/": out += "/"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "u": {
          const hi = this.hex4();
          if (hi >= 0xdc00 && hi <= 0xdfff) this.fail("lone leading surrogate in hex escape", this.i);
          if (hi >= 0xd800 && hi <= 0xdbff) {
            if (s[this.i] !== "\\" || s[this.i + 1] !== "u") {
              this.fail("unexpected end of hex escape", Math.min(this.i + 1, s.length));
            }
            this.i += 2;
            const lo = this.hex4();
            if (lo < 0xdc00 || lo > 0xdfff) this.fail("lone leading surrogate in hex escape", this.i);
            out += String.fromCharCode(hi, lo);
          } else out += String.fromCharCode(hi);
          break;
        }
        default:
          this.fail("invalid escape", this.i);
      }
      run = this.i;
    }
  }

  private hex4(): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      if (this.i >= this.s.length) this.eof("EOF while parsing a string");
      const d = parseInt(this.s[this.i], 16);
      if (Number.isNaN(d)) this.fail("invalid escape", this.i + 1);
      v = v * 16 + d;
      this.i++;
    }
    return v;
  }

  private enter(): void {
    this.depth--;
    if (this.depth === 0) this.fail("recursion limit exceeded", this.i + 1);
  }

  private array(): JsonValue[] {
    this.enter();
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.i >= this.s.length) this.eof("EOF while parsing a list");
    if (this.s[this.i] === "]") { this.i++; this.depth++; return out; }
    for (;;) {
      out.push(this.value());
      this.ws();
      if (this.i >= this.s.length) this.eof("EOF while parsing a list");
      const c = this.s[this.i];
      if (c === "]") { this.i++; this.depth++; return out; }
      if (c !== ",") this.fail("expected `,` or `]`", this.i + 1);
      this.i++;
      this.ws();
      if (this.i < this.s.length && this.s[this.i] === "]") this.fail("trailing comma", this.i + 1);
    }
  }

  private object(): JsonObject {
    this.enter();
    this.i++;
    const out: JsonObject = {};
    this.ws();
    if (this.i >= this.s.length) this.eof("EOF while parsing an object");
    if (this.s[this.i] === "}") { this.i++; this.depth++; return out; }
    for (;;) {
      if (this.i >= this.s.length) this.eof("EOF while parsing an object");
      if (this.s[this.i] !== "\"") this.fail("key must be a string", this.i + 1);
      this.i++;
      const key = this.string();
      this.ws();
      if (this.i >= this.s.length) this.eof("EOF while parsing an object");
      if (this.s[this.i] !== ":") this.fail("expected `:`", this.i + 1);
      this.i++;
      setKey(out, key, this.value());
      this.ws();
      if (this.i >= this.s.length) this.eof("EOF while parsing an object");
      const c = this.s[this.i];
      if (c === "}") { this.i++; this.depth++; return out; }
      if (c !== ",") this.fail("expected `,` or `}`", this.i + 1);
      this.i++;
      this.ws();
      if (this.i < this.s.length && this.s[this.i] === "}") this.fail("trailing comma", this.i + 1);
    }
  }
}

/** Sets `obj[key]` as an own data property (also for `__proto__`); a repeated key keeps the last value, as serde's map. */
function setKey(obj: JsonObject, key: string, value: JsonValue): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Parses JSON text as serde_json does into a {@link JsonValue}.
 * @throws ControlJsonSyntaxError with serde_json's message (e.g. `expected ident at line 1 column 2`);
 * PureflowError when `text` is not a string.
 */
export function parseControlJson(text: string): JsonValue {
  return new Parser(checkStringArgument("text", text)).parseDocument();
}

/**
 * A JSON number exactly as serde_json holds it (`Number`: `PosInt(u64)`, `NegInt(i64)` or
 * `Float(f64)`), so `1` and `1.0` stay different and integers beyond 2^53 exact.
 */
export class SerdeNumber {
  constructor(
    /** `u64`: a non-negative integer token; `i64`: a negative one; `f64`: any other number. */
    readonly kind: "u64" | "i64" | "f64",
    /** The value: a bigint for `u64`/`i64`, a number for `f64`. */
    readonly value: bigint | number,
  ) {}

  /** serde's `as_i64`: the integer when it fits i64, else undefined. */
  asI64(): bigint | undefined {
    if (this.kind === "f64") return undefined;
    const v = this.value as bigint;
    return v <= (1n << 63n) - 1n ? v : undefined;
  }

  /** serde's `as_f64` (integers rounded to the nearest f64). */
  asF64(): number {
    return typeof this.value === "bigint" ? Number(this.value) : this.value;
  }
}

/** A JSON value with serde_json's numbers ({@link SerdeNumber}). */
export type SerdeValue = null | boolean | string | SerdeNumber | SerdeValue[] | { [key: string]: SerdeValue };

/**
 * Parses JSON text as `serde_json::from_str::<Value>` does, numbers kept as serde holds them.
 * @throws ControlJsonSyntaxError with serde_json's message; PureflowError when `text` is not a string.
 */
export function parseSerdeValue(text: string): SerdeValue {
  return new Parser(checkStringArgument("text", text), true).parseDocument() as unknown as SerdeValue;
}

/** Compares two strings by Unicode code points (the order of their UTF-8 bytes). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // a surrogate (D800–DFFF) stands for a code point above every BMP unit from E000 on
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? (y >= 0xe000 ? 1 : x - y) : (x >= 0xe000 ? -1 : x - y);
    return x - y;
  }
  return a.length - b.length;
}

const HEX = "0123456789abcdef";

function writeString(s: string): string {
  let out = "\"";
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = "\\\"";
    else if (c === 0x5c) esc = "\\\\";
    else if (c < 0x20) {
      esc = c === 0x08 ? "\\b" : c === 0x0c ? "\\f" : c === 0x0a ? "\\n" : c === 0x0d ? "\\r" : c === 0x09 ? "\\t"
        : "\\u00" + HEX[c >> 4] + HEX[c & 15];
    }
    if (esc !== undefined) {
      out += s.slice(run, i) + esc;
      run = i + 1;
    }
  }
  return out + s.slice(run) + "\"";
}

/** Formats a finite f64 as Rust's `ryu` does (serde_json's float output). */
export function formatF64(n: number): string {
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const sign = n < 0 ? "-" : "";
  const [mant, expText] = Math.abs(n).toExponential().split("e");
  const digits = mant.replace(".", "");
  const len = digits.length;
  const kk = Number(expText) + 1; // 10^(kk-1) <= v < 10^kk
  const k = kk - len;
  let body: string;
  if (k >= 0 && kk <= 16) body = digits + "0".repeat(k) + ".0";
  else if (kk > 0 && kk <= 16) body = digits.slice(0, kk) + "." + digits.slice(kk);
  else if (kk > -5 && kk <= 0) body = "0." + "0".repeat(-kk) + digits;
  else if (len === 1) body = digits + "e" + (kk - 1);
  else body = digits[0] + "." + digits.slice(1) + "e" + (kk - 1);
  return sign + body;
}

function invalid(reason: string): PureflowError {
  return PureflowError.execution(`invalid control payload value: ${reason}`);
}

function write(v: unknown, depth: number): string {
  if (depth > JSON_RECURSION_LIMIT) throw invalid(`nests deeper than ${JSON_RECURSION_LIMIT} levels (or is cyclic)`);
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean": return v ? "true" : "false";
    case "string":
      if (hasLoneSurrogate(v)) throw invalid("a string holds a lone UTF-16 surrogate (not valid Unicode)");
      return writeString(v);
    case "number":
      if (!Number.isFinite(v)) throw invalid(`${v} is not a JSON number`);
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : formatF64(v);
    case "bigint":
      if (v > U64_MAX || v < I64_MIN) throw invalid(`integer ${v} does not fit i64 or u64`);
      return v.toString();
    case "object": {
      if (v instanceof SerdeNumber) {
        if (v.kind !== "f64") return (v.value as bigint).toString();
        if (!Number.isFinite(v.value)) throw invalid(`${v.value} is not a JSON number`);
        return formatF64(v.value as number);
      }
      if (Array.isArray(v)) {
        // a plain loop, not map(): a hole of a sparse array is refused as undefined, not written as nothing
        const items: string[] = [];
        for (let i = 0; i < v.length; i++) items.push(write(v[i], depth + 1));
        return "[" + items.join(",") + "]";
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) throw invalid("an object that is not a plain object");
      const keys = Object.keys(v).sort(compareCodePoints);
      const o = v as Record<string, unknown>;
      return "{" + keys.map((k) => {
        if (hasLoneSurrogate(k)) throw invalid("an object key holds a lone UTF-16 surrogate (not valid Unicode)");
        return writeString(k) + ":" + write(o[k], depth + 1);
      }).join(",") + "}";
    }
    default:
      throw invalid(`a ${typeof v} is not a JSON value`);
  }
}

/**
 * Writes `value` as compact JSON with sorted keys, as serde_json's `Value::to_string()`.
 * @throws PureflowError (`CDT-EXEC-001`) when `value` is not a JSON value (NaN, undefined, a cycle...).
 */
export function stringifyControlJson(value: JsonValue | SerdeValue): string {
  return write(value, 0);
}

/** A serde value as a {@link JsonValue} (what {@link parseControlJson} gives for the same text). */
export function jsonValueOfSerde(v: SerdeValue): JsonValue {
  if (v instanceof SerdeNumber) {
    if (typeof v.value !== "bigint") return v.value;
    return v.value >= BigInt(Number.MIN_SAFE_INTEGER) && v.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.value) : v.value;
  }
  if (Array.isArray(v)) return v.map(jsonValueOfSerde);
  if (v !== null && typeof v === "object") {
    const out: JsonObject = {};
    for (const k of Object.keys(v)) setKey(out, k, jsonValueOfSerde(v[k] as SerdeValue));
    return out;
  }
  return v;
}

/**
 * A control payload read from JSON text: the value, and (as the non-enumerable property `json`,
 * so equality checks and spreads see only `{ kind, value }`) the text in serde's compact form,
 * where `1.0` stays `1.0`.
 */
export function controlPayloadFromText(text: string): { kind: "control"; value: JsonValue; readonly json?: string } {
  const serde = parseSerdeValue(text);
  const payload = { kind: "control" as const, value: jsonValueOfSerde(serde) };
  Object.defineProperty(payload, "json", { value: stringifyControlJson(serde), enumerable: false });
  return payload;
}

/**
 * The JSON text a control payload is sent as: its `json` text when it has one that still
 * describes its `value` (so `1.0` read from a guest or a file goes out as `1.0`), otherwise
 * `value` written as serde writes it. @throws PureflowError when `value` is not a JSON value.
 */
export function controlPayloadText(payload: { value: JsonValue; json?: string }): string {
  const written = stringifyControlJson(payload.value);
  const json = payload.json;
  if (typeof json !== "string" || json === written) return written;
  try {
    return stringifyControlJson(jsonValueOfSerde(parseSerdeValue(json))) === written ? json : written;
  } catch {
    return written;
  }
}
