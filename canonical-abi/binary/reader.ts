/**
 * A bounds-checked byte reader for the component binary format: LEB128 integers (`u32`, `s33`
 * with the spec's length and unused-bit rules), names (UTF-8, checked), counts checked against
 * the bytes left before anything is allocated. Every failure is a `MalformedComponentError`
 * carrying the absolute byte offset (readers over nested payloads know their base offset).
 */
import { MalformedComponentError } from "../errors.js";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Reads a slice `[start, end)` of `bytes`; offsets in errors are `base + position`. */
export class Reader {
  readonly bytes: Uint8Array;
  pos: number;
  readonly end: number;
  /** Absolute offset of `bytes[0]` in the outermost binary. */
  readonly base: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length, base = 0) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  /** Absolute offset of the current position. */
  offset(): number {
    return this.base + this.pos;
  }

  /** Raises a malformed-component error at the current position (or at `at`). */
  fail(message: string, at: number = this.pos): never {
    throw new MalformedComponentError(message, this.base + at);
  }

  /** True when every byte of the slice has been read. */
  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Bytes left in the slice. */
  remaining(): number {
    return this.end - this.pos;
  }

  u8(what = "byte"): number {
    if (this.pos >= this.end) this.fail(`unexpected end of input while reading ${what}`);
    return this.bytes[this.pos++];
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. */
  u32(what = "u32"): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8(what);
      if (i === 4) {
        if (b & 0x80) this.fail(`${what}: integer representation too long`, start);
        if (b & 0x70) this.fail(`${what}: integer too large`, start);
      }
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** Signed LEB128 of at most 33 bits (value types: negative codes, non-negative indices). */
  s33(what = "value type"): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8(what);
      if (i === 4) {
        if (b & 0x80) this.fail(`${what}: integer representation too long`, start);
        // 33 bits: 4*7 = 28 bits so far, 5 more bits; the rest must be sign extension
        const top = b & 0x70;
        if (top !== 0 && top !== 0x70) this.fail(`${what}: integer too large`, start);
      }
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        if (shift < 35) {
          if (b & 0x40) result -= 2 ** shift;
        } else {
          result %= 2 ** 33;
          if (result >= 2 ** 32) result -= 2 ** 33;
        }
        return result;
      }
    }
  }

  /** A `vec` count, checked against the bytes left assuming each element takes `minElementBytes`. */
  count(what: string, minElementBytes = 1): number {
    const at = this.pos;
    const n = this.u32(`${what} count`);
    if (n * minElementBytes > this.remaining()) this.fail(`${what} count ${n} exceeds the ${this.remaining()} bytes left`, at);
    return n;
  }

  /** `n` raw bytes (a view, not a copy). */
  take(n: number, what: string): Uint8Array {
    if (n > this.remaining()) this.fail(`${what}: length ${n} exceeds the ${this.remaining()} bytes left`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A `name`: u32 length then UTF-8 bytes. */
  name(what = "name"): string {
    const n = this.u32(`${what} length`);
    const at = this.pos;
    const b = this.take(n, what);
    try {
      return utf8.decode(b);
    } catch {
      return this.fail(`${what} is not valid UTF-8`, at);
    }
  }
}
