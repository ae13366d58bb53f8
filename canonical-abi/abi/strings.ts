/**
 * Strings in the Canonical ABI: `load_string_from_range` (with the checks T2–T5) and
 * `store_string_into_range` with the spec's transcoding algorithms (`store_string_copy`,
 * `store_string_to_utf8`, `store_utf8_to_utf16`, `store_string_to_latin1_or_utf16`,
 * `store_probably_utf16_to_latin1_or_utf16`), each checking every `realloc` result (T12).
 *
 * A host (JS) string is lowered as what it is: UTF-16 code units, i.e. with the hint
 * `(src_encoding = "utf16", src_code_units = s.length)`. The spec's functions also accept the
 * other source hints so the reference test tables can drive every transcoding path.
 */
import { InvalidHostValueError } from "../errors.js";
import { align_to } from "./alignment.js";
import type { LiftLowerContext, StringEncoding } from "./context.js";
import { hex, trap } from "./traps.js";

/** The bit of `tagged_code_units` that marks UTF-16 in `latin1+utf16`. */
export const UTF16_TAG = 2 ** 31;
/** Largest string byte length a lift accepts (T2). */
export const MAX_STRING_BYTE_LENGTH = 2 ** 28 - 1;
/** Largest size passed to a 32-bit `realloc`. */
export const REALLOC_I32_MAX = 2 ** 32 - 1;

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * `load_string_from_range(cx, ptr, tagged_code_units)`: reads a string of the callee's
 * encoding. Traps: byte length above 2^28-1 (T2), misaligned pointer (T3), out of bounds even
 * when empty (T4), invalid encoding (T5). The byte length is charged to `cx.budget` before the
 * bytes are decoded.
 */
export function load_string_from_range(cx: LiftLowerContext, ptr: number, tagged_code_units: number): string {
  let alignment: number;
  let byte_length: number;
  let encoding: "utf-8" | "utf-16-le" | "latin-1";
  switch (cx.opts.string_encoding) {
    case "utf8":
      alignment = 1;
      byte_length = tagged_code_units;
      encoding = "utf-8";
      break;
    case "utf16":
      alignment = 2;
      byte_length = 2 * tagged_code_units;
      encoding = "utf-16-le";
      break;
    case "latin1+utf16":
      alignment = 2;
      if (tagged_code_units >= UTF16_TAG) {
        byte_length = 2 * (tagged_code_units - UTF16_TAG);
        encoding = "utf-16-le";
      } else {
        byte_length = tagged_code_units;
        encoding = "latin-1";
      }
      break;
  }
  if (byte_length > MAX_STRING_BYTE_LENGTH) trap("T2", `string byte length ${byte_length} exceeds ${MAX_STRING_BYTE_LENGTH} (2^28-1)`);
  if (ptr !== align_to(ptr, alignment)) trap("T3", `string pointer ${hex(ptr)} not aligned to ${alignment}`);
  const mem = cx.bytes();
  if (ptr + byte_length > mem.length) trap("T4", `string content out of bounds: ${hex(ptr)} + ${byte_length} bytes > memory size ${mem.length}`);
  cx.budget.charge(byte_length, "string");
  if (cx.trace !== null) {
    cx.trace.range("string", ptr, byte_length, [`T2 byte length ${byte_length} <= 2^28-1`, `T3 ${hex(ptr)} aligned to ${alignment}`, `T4 ${hex(ptr)} + ${byte_length} <= memory size ${mem.length}`, `T5 valid ${encoding} (checked while decoding)`]);
  }
  const bytes = mem.subarray(ptr, ptr + byte_length);
  switch (encoding) {
    case "utf-8":
      if (byte_length <= SHORT_STRING_BYTES) {
        const ascii = decode_short_ascii(mem, ptr, byte_length);
        if (ascii !== null) return ascii;
      }
      try {
        return utf8Decoder.decode(bytes);
      } catch {
        return trap("T5", `invalid utf-8 in string at ${hex(ptr)} (${byte_length} bytes)`);
      }
    case "utf-16-le":
      return decode_utf16le(bytes, ptr);
    case "latin-1":
      return decode_latin1(bytes);
  }
}

/** Strings up to this many bytes are decoded by a plain loop when ASCII (faster than TextDecoder for short ones). */
const SHORT_STRING_BYTES = 64;

/** The ASCII text at `mem[ptr..ptr+n)`, or null when a byte is not ASCII (then the full decoder runs). */
function decode_short_ascii(mem: Uint8Array, ptr: number, n: number): string | null {
  let s = "";
  for (let k = ptr; k < ptr + n; k++) {
    const b = mem[k];
    if (b >= 0x80) return null;
    s += String.fromCharCode(b);
  }
  return s;
}

function decode_utf16le(bytes: Uint8Array, ptr: number): string {
  const n = bytes.length >>> 1;
  const units = new Uint16Array(n);
  for (let i = 0; i < n; i++) units[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
  for (let i = 0; i < n; i++) {
    const u = units[i];
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 1 < n ? units[i + 1] : 0;
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      trap("T5", `invalid utf-16 in string at ${hex(ptr)}: unpaired high surrogate ${hex(u)} at code unit ${i}`);
    } else if (u >= 0xdc00 && u <= 0xdfff) {
      trap("T5", `invalid utf-16 in string at ${hex(ptr)}: unpaired low surrogate ${hex(u)} at code unit ${i}`);
    }
  }
  return unitsToString(units);
}

function decode_latin1(bytes: Uint8Array): string {
  return unitsToString(bytes);
}

function unitsToString(units: Uint8Array | Uint16Array): string {
  let s = "";
  const CHUNK = 8192;
  for (let i = 0; i < units.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, Array.from(units.subarray(i, i + CHUNK)));
  }
  return s;
}

/** True when `s` has no unpaired surrogate (so it is a valid component-model `string`). */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u < 0xd800 || u > 0xdfff) continue;
    if (u <= 0xdbff && i + 1 < s.length) {
      const v = s.charCodeAt(i + 1);
      if (v >= 0xdc00 && v <= 0xdfff) { i++; continue; }
    }
    return false;
  }
  return true;
}

/** Lowers a host string: the JS string is the source, as UTF-16 code units. */
export function store_host_string_into_range(cx: LiftLowerContext, s: string): [number, number] {
  if (!isWellFormed(s)) throw new InvalidHostValueError("string contains an unpaired surrogate and is not a valid component-model string");
  const r = store_string_into_range(cx, s, "utf16", s.length);
  if (cx.trace !== null) {
    const n = tagged_byte_length(cx.opts.string_encoding, r[1]);
    cx.trace.range("string", r[0], n, [`T12 realloc results aligned and in bounds; ${n} bytes of ${cx.opts.string_encoding} written`]);
  }
  return r;
}

/** The byte length of a string of `tagged_code_units` in `encoding` (as `load_string_from_range` computes it). */
export function tagged_byte_length(encoding: StringEncoding, tagged_code_units: number): number {
  switch (encoding) {
    case "utf8": return tagged_code_units;
    case "utf16": return 2 * tagged_code_units;
    case "latin1+utf16": return tagged_code_units >= UTF16_TAG ? 2 * (tagged_code_units - UTF16_TAG) : tagged_code_units;
  }
}

/**
 * `store_string_into_range(cx, (src, src_encoding, src_tagged_code_units))`: writes `src`
 * in the callee's encoding through `realloc`, returning `[ptr, tagged_code_units]`.
 */
export function store_string_into_range(cx: LiftLowerContext, src: string, src_encoding: StringEncoding, src_tagged_code_units: number): [number, number] {
  let src_simple_encoding: "utf8" | "utf16" | "latin1";
  let src_code_units: number;
  if (src_encoding === "latin1+utf16") {
    if (src_tagged_code_units >= UTF16_TAG) {
      src_simple_encoding = "utf16";
      src_code_units = src_tagged_code_units - UTF16_TAG;
    } else {
      src_simple_encoding = "latin1";
      src_code_units = src_tagged_code_units;
    }
  } else {
    src_simple_encoding = src_encoding;
    src_code_units = src_tagged_code_units;
  }
  switch (cx.opts.string_encoding) {
    case "utf8":
      switch (src_simple_encoding) {
        case "utf8": return store_string_copy(cx, src, src_code_units, 1, 1, "utf-8");
        case "utf16": return store_utf16_to_utf8(cx, src, src_code_units);
        case "latin1": return store_latin1_to_utf8(cx, src, src_code_units);
      }
      break;
    case "utf16":
      switch (src_simple_encoding) {
        case "utf8": return store_utf8_to_utf16(cx, src, src_code_units);
        case "utf16": return store_string_copy(cx, src, src_code_units, 2, 2, "utf-16-le");
        case "latin1": return store_string_copy(cx, src, src_code_units, 2, 2, "utf-16-le");
      }
      break;
    case "latin1+utf16":
      switch (src_encoding) {
        case "utf8": return store_string_to_latin1_or_utf16(cx, src, src_code_units);
        case "utf16": return store_string_to_latin1_or_utf16(cx, src, src_code_units);
        case "latin1+utf16":
          if (src_simple_encoding === "latin1") return store_string_copy(cx, src, src_code_units, 1, 2, "latin-1");
          return store_probably_utf16_to_latin1_or_utf16(cx, src, src_code_units);
      }
  }
  throw new Error("unreachable: string encodings");
}

function checkReallocSize(size: number): void {
  if (size > REALLOC_I32_MAX) throw new InvalidHostValueError(`string needs ${size} bytes, more than a 32-bit realloc can allocate (${REALLOC_I32_MAX})`);
}

/** Checks a `realloc` result: aligned (T12) and `ptr + size` within memory (T12). */
function checkRealloc(cx: LiftLowerContext, ptr: number, alignment: number, size: number): void {
  if (ptr !== align_to(ptr, alignment)) trap("T12", `realloc return: result ${hex(ptr)} not aligned to ${alignment}`);
  const len = cx.memoryLength();
  if (ptr + size > len) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${size} > memory size ${len})`);
}

/** Writes `src` UTF-16LE-encoded at `ptr`. */
function write_utf16le(cx: LiftLowerContext, src: string, ptr: number, fromUnit = 0): void {
  const mem = cx.bytes();
  for (let i = fromUnit; i < src.length; i++) {
    const u = src.charCodeAt(i);
    mem[ptr + 2 * i] = u & 0xff;
    mem[ptr + 2 * i + 1] = u >>> 8;
  }
}

/** `store_string_copy`: the exact destination size is known, one allocation, one copy. */
export function store_string_copy(cx: LiftLowerContext, src: string, src_code_units: number, dst_code_unit_size: number, dst_alignment: number, dst_encoding: "utf-8" | "utf-16-le" | "latin-1"): [number, number] {
  const dst_byte_length = dst_code_unit_size * src_code_units;
  checkReallocSize(dst_byte_length);
  const ptr = cx.realloc(0, 0, dst_alignment, dst_byte_length);
  checkRealloc(cx, ptr, dst_alignment, dst_byte_length);
  switch (dst_encoding) {
    case "utf-8": {
      const encoded = utf8Encoder.encode(src);
      if (encoded.length !== dst_byte_length) throw new Error(`store_string_copy: utf-8 length ${encoded.length} != ${dst_byte_length}`);
      cx.bytes().set(encoded, ptr);
      break;
    }
    case "utf-16-le":
      write_utf16le(cx, src, ptr);
      break;
    case "latin-1": {
      const mem = cx.bytes();
      for (let i = 0; i < src.length; i++) mem[ptr + i] = src.charCodeAt(i);
      break;
    }
  }
  return [ptr, src_code_units];
}

/** `store_utf16_to_utf8`: worst case 3 bytes per UTF-16 code unit. */
export function store_utf16_to_utf8(cx: LiftLowerContext, src: string, src_code_units: number): [number, number] {
  return store_string_to_utf8(cx, src, src_code_units, src_code_units * 3);
}

/** `store_latin1_to_utf8`: worst case 2 bytes per Latin-1 byte. */
export function store_latin1_to_utf8(cx: LiftLowerContext, src: string, src_code_units: number): [number, number] {
  return store_string_to_utf8(cx, src, src_code_units, src_code_units * 2);
}

/**
 * `store_string_to_utf8`: allocate one byte per source code unit, copy while the code points
 * are ASCII; at the first other one grow to the worst case, finish, then shrink to fit.
 */
export function store_string_to_utf8(cx: LiftLowerContext, src: string, src_code_units: number, worst_case_size: number): [number, number] {
  checkReallocSize(src_code_units);
  let ptr = cx.realloc(0, 0, 1, src_code_units);
  if (ptr + src_code_units > cx.memoryLength()) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${src_code_units} > memory size ${cx.memoryLength()})`);
  // Code points below 2^7 are one code unit and one byte each, so `i` indexes source and destination alike.
  const mem = cx.bytes();
  let i = 0;
  for (; i < src.length; i++) {
    const u = src.charCodeAt(i);
    if (u >= 0x80) break;
    mem[ptr + i] = u;
  }
  if (i === src.length) return [ptr, src_code_units];
  const encoded = utf8Encoder.encode(src);
  checkReallocSize(worst_case_size);
  ptr = cx.realloc(ptr, src_code_units, 1, worst_case_size);
  if (ptr + worst_case_size > cx.memoryLength()) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${worst_case_size} > memory size ${cx.memoryLength()})`);
  cx.bytes().set(encoded.subarray(i), ptr + i);
  if (worst_case_size > encoded.length) {
    ptr = cx.realloc(ptr, worst_case_size, 1, encoded.length);
    if (ptr + encoded.length > cx.memoryLength()) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${encoded.length} > memory size ${cx.memoryLength()})`);
  }
  return [ptr, encoded.length];
}

/** `store_utf8_to_utf16`: worst case two bytes per UTF-8 byte, then shrink to fit. */
export function store_utf8_to_utf16(cx: LiftLowerContext, src: string, src_code_units: number): [number, number] {
  const worst_case_size = 2 * src_code_units;
  checkReallocSize(worst_case_size);
  let ptr = cx.realloc(0, 0, 2, worst_case_size);
  checkRealloc(cx, ptr, 2, worst_case_size);
  write_utf16le(cx, src, ptr);
  const encoded_length = 2 * src.length;
  if (encoded_length < worst_case_size) {
    ptr = cx.realloc(ptr, worst_case_size, 2, encoded_length);
    checkRealloc(cx, ptr, 2, encoded_length);
  }
  return [ptr, encoded_length / 2];
}

/**
 * `store_string_to_latin1_or_utf16`: speculate Latin-1; at the first code point above 0xFF grow
 * to UTF-16, inflate the bytes already written in place, finish, shrink if possible.
 */
export function store_string_to_latin1_or_utf16(cx: LiftLowerContext, src: string, src_code_units: number): [number, number] {
  checkReallocSize(src_code_units);
  let ptr = cx.realloc(0, 0, 2, src_code_units);
  checkRealloc(cx, ptr, 2, src_code_units);
  let dst_byte_length = 0;
  for (let k = 0; k < src.length; k++) {
    const u = src.charCodeAt(k);
    if (u < 0x100) {
      cx.bytes()[ptr + dst_byte_length] = u;
      dst_byte_length += 1;
    } else {
      const worst_case_size = 2 * src_code_units;
      checkReallocSize(worst_case_size);
      ptr = cx.realloc(ptr, src_code_units, 2, worst_case_size);
      checkRealloc(cx, ptr, 2, worst_case_size);
      const mem = cx.bytes();
      for (let j = dst_byte_length - 1; j >= 0; j--) {
        mem[ptr + 2 * j] = mem[ptr + j];
        mem[ptr + 2 * j + 1] = 0;
      }
      write_utf16le(cx, src, ptr, dst_byte_length);
      const encoded_length = 2 * src.length;
      if (worst_case_size > encoded_length) {
        ptr = cx.realloc(ptr, worst_case_size, 2, encoded_length);
        checkRealloc(cx, ptr, 2, encoded_length);
      }
      return [ptr, encoded_length / 2 + UTF16_TAG];
    }
  }
  if (dst_byte_length < src_code_units) {
    ptr = cx.realloc(ptr, src_code_units, 2, dst_byte_length);
    checkRealloc(cx, ptr, 2, dst_byte_length);
  }
  return [ptr, dst_byte_length];
}

/**
 * `store_probably_utf16_to_latin1_or_utf16`: the producer chose UTF-16, so allocate for
 * UTF-16; deflate to Latin-1 at the end if every code point fits.
 */
export function store_probably_utf16_to_latin1_or_utf16(cx: LiftLowerContext, src: string, src_code_units: number): [number, number] {
  const src_byte_length = 2 * src_code_units;
  checkReallocSize(src_byte_length);
  let ptr = cx.realloc(0, 0, 2, src_byte_length);
  checkRealloc(cx, ptr, 2, src_byte_length);
  write_utf16le(cx, src, ptr);
  let wide = false;
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) >= 0x100) { wide = true; break; }
  if (wide) return [ptr, src.length + UTF16_TAG];
  const latin1_size = src.length;
  const mem = cx.bytes();
  for (let i = 0; i < latin1_size; i++) mem[ptr + i] = mem[ptr + 2 * i];
  ptr = cx.realloc(ptr, src_byte_length, 1, latin1_size);
  if (ptr + latin1_size > cx.memoryLength()) trap("T12", `realloc return: beyond end of memory (${hex(ptr)} + ${latin1_size} > memory size ${cx.memoryLength()})`);
  return [ptr, latin1_size];
}
