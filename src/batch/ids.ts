/**
 * Identifier rules of Pureflow (`crates/pureflow-types`), applied to message, workflow,
 * execution, node and port ids. Checks run in Pureflow's order:
 * 1. UTF-8 byte length > 256 → `{kind} must not exceed 256 bytes`;
 * 2. empty after trimming White_Space → `{kind} must not be empty`;
 * 3. any Unicode White_Space character → `{kind} must not contain whitespace`;
 * 4. any control character (category Cc) → `{kind} must not contain control characters`.
 * Everything else is accepted (any Unicode, punctuation, `:` and `/`).
 *
 * White_Space is the explicit Unicode list Rust's `char::is_whitespace` uses, NOT JS `\s`
 * (which adds U+FEFF and lacks U+0085). One addition for JS strings, which can hold lone
 * UTF-16 surrogates that no Rust string can: such an id is refused with
 * `{kind} must be valid Unicode (it contains a lone surrogate)`, after the four checks.
 */
import { PureflowError } from "../errors.js";
import { argumentError } from "../arguments.js";
import { describeValue } from "../../canonical-abi/index.js";

/** The id kinds, named as Pureflow's messages name them. */
export type IdKind = "workflow id" | "execution id" | "message id" | "node id" | "port id";

/** The longest id, in UTF-8 bytes. */
export const MAX_ID_BYTES = 256;

/** Unicode White_Space (Rust `char::is_whitespace`): U+0009–000D, 0020, 0085, 00A0, 1680, 2000–200A, 2028, 2029, 202F, 205F, 3000. */
export function isUnicodeWhiteSpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) || cp === 0x20 || cp === 0x85 || cp === 0xa0 || cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

/** Control characters (general category Cc, Rust `char::is_control`): U+0000–001F and U+007F–009F. */
export function isControlCharacter(cp: number): boolean {
  return cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
}

/** UTF-8 length of a JS string in bytes (a lone surrogate counts 3, as its U+FFFD replacement). */
export function utf8ByteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** True when `s` holds a UTF-16 surrogate that is not part of a pair. */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      if (i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
      else return true;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * True for a non-empty id of at most 256 printable ASCII characters (U+0021–007E): it passes all
 * four checks, so the common case skips the code-point walk.
 */
function isPrintableAsciiId(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > MAX_ID_BYTES) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

const ID_KINDS: ReadonlySet<string> = new Set<IdKind>(["workflow id", "execution id", "message id", "node id", "port id"]);

/**
 * The reason `value` is not a valid `kind`, or undefined when it is valid (a value that is not a
 * string: `{kind} must be a string, got ...`).
 * @throws PureflowError (`CDT-EXEC-001`) when `kind` is not one of {@link IdKind}.
 */
export function identifierProblem(kind: IdKind, value: string): string | undefined {
  if (!ID_KINDS.has(kind)) throw argumentError("kind", `one of ${[...ID_KINDS].map((k) => JSON.stringify(k)).join(", ")}`, kind);
  if (typeof value !== "string") return `${kind} must be a string, got ${describeValue(value)}`;
  if (isPrintableAsciiId(value)) return undefined;
  if (utf8ByteLength(value) > MAX_ID_BYTES) return `${kind} must not exceed ${MAX_ID_BYTES} bytes`;
  let allWhite = true;
  let white = false;
  let control = false;
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    if (isUnicodeWhiteSpace(cp)) white = true;
    else allWhite = false;
    if (isControlCharacter(cp)) control = true;
  }
  if (allWhite) return `${kind} must not be empty`;
  if (white) return `${kind} must not contain whitespace`;
  if (control) return `${kind} must not contain control characters`;
  if (hasLoneSurrogate(value)) return `${kind} must be valid Unicode (it contains a lone surrogate)`;
  return undefined;
}

/** Checks `value` as a `kind` id; throws `CDT-VAL-001` with Pureflow's message when invalid. */
export function validateIdentifier(kind: IdKind, value: string): string {
  const problem = identifierProblem(kind, value);
  if (problem !== undefined) throw PureflowError.invalidIdentifier(problem);
  return value;
}
