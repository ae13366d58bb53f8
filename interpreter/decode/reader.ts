/**
 * The byte reader of the binary format: LEB128 integers with the spec's malformedness rules
 * (`integer representation too long`, `integer too large`, unexpected end), raw IEEE bits, UTF-8
 * names and length-checked vectors. Every failure is a `CompileError("malformed", ...)` naming the
 * section being read, the function where relevant, and the byte offset.
 *
 * The reader never allocates per byte: integers come back as JS numbers (a 64-bit integer as two
 * 32-bit halves in {@link Reader.lo}/{@link Reader.hi}).
 */
import { CompileError } from "../errors.js";

/** Reads the bytes of one module. `end` bounds the current section or function body. */
export class Reader {
  /** The whole module. */
  readonly bytes: Uint8Array;
  /** Position of the next byte to read. */
  pos: number;
  /** Exclusive bound of the current region (section, function body, subsection). */
  end: number;
  /** Name of the section being read, used in error messages (e.g. `"code"`). */
  section = "module header";
  /** Index (in the function index space) of the function being decoded, or -1. */
  func = -1;
  /** Low 32 bits of the last {@link Reader.s64} result (as int32). */
  lo = 0;
  /** High 32 bits of the last {@link Reader.s64} result (as int32). */
  hi = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.pos = 0;
    this.end = bytes.length;
  }

  /** Where the reader is, for messages: `"code section, function 3"`. */
  where(): string {
    return this.func >= 0 ? `${this.section} section, function ${this.func}` : `${this.section} section`;
  }

  /** Builds (does not throw) a malformed-module error at `offset` (default: current position). */
  malformed(message: string, offset: number = this.pos): CompileError {
    return new CompileError("malformed", `${message} (${this.where()})`, offset);
  }

  /** Builds (does not throw) an unsupported-feature error at `offset`. */
  unsupported(feature: string, what: string, offset: number = this.pos): CompileError {
    return new CompileError("unsupported", `unsupported feature ${feature}: ${what} (${this.where()})`, offset);
  }

  /** The error for reading past the current region. */
  unexpectedEnd(): CompileError {
    return this.malformed(this.end < this.bytes.length ? "unexpected end of section or function" : "unexpected end");
  }

  /** Number of bytes left in the current region. */
  remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw this.unexpectedEnd();
    return this.bytes[this.pos++];
  }

  /** Peeks the next byte without consuming it; -1 at the end of the region. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos] : -1;
  }

  /** Unsigned LEB128, at most 5 bytes, value < 2^32. Returned as a non-negative number. */
  u32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos < this.end) {
      const b = bytes[pos];
      if (b < 0x80) {
        this.pos = pos + 1;
        return b;
      }
    }
    const start = pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.unexpectedEnd();
      }
      const b = bytes[pos++];
      if (shift === 28) {
        // Fifth byte: only 4 value bits remain; no continuation allowed.
        if (b & 0x80) throw this.malformed("integer representation too long", start);
        if (b & 0x70) throw this.malformed("integer too large", start);
        this.pos = pos;
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return result >>> 0;
      }
      shift += 7;
    }
  }

  /** Signed LEB128 of at most 32 bits, at most 5 bytes. Returned as an int32. */
  s32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    const start = pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.unexpectedEnd();
      }
      const b = bytes[pos++];
      if (shift === 28) {
        if (b & 0x80) throw this.malformed("integer representation too long", start);
        // Bits 32..34 (byte bits 4..6) must repeat the sign bit 31 (byte bit 3).
        const top = b & 0x78;
        if (top !== 0 && top !== 0x78) throw this.malformed("integer too large", start);
        this.pos = pos;
        return result | (b << 28);
      }
      result |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return b & 0x40 ? result | (-1 << shift) : result;
      }
    }
  }

  /**
   * Signed LEB128 of at most 33 bits (block types), at most 5 bytes. Returned as a JS number
   * in -2^32 .. 2^32-1.
   */
  s33(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    const start = pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.unexpectedEnd();
      }
      const b = bytes[pos++];
      if (i === 4) {
        if (b & 0x80) throw this.malformed("integer representation too long", start);
        // Bits 33..34 (byte bits 5..6) must repeat the sign bit 32 (byte bit 4).
        const top = b & 0x70;
        if (top !== 0 && top !== 0x70) throw this.malformed("integer too large", start);
        this.pos = pos;
        result += (b & 0x1f) * mul;
        // Sign bit 32 set: subtract 2^33.
        return b & 0x10 ? result - 0x200000000 : result;
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        this.pos = pos;
        return b & 0x40 ? result - mul : result;
      }
    }
  }

  /**
   * Unsigned LEB128 of at most 64 bits, at most 10 bytes (memory64: memarg offsets, 64-bit
   * limits). The value lands in `lo`/`hi` (its two 32-bit halves, as int32).
   */
  u64(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos < this.end && bytes[pos] < 0x80) {
      // one byte: the common offset
      this.lo = bytes[pos];
      this.hi = 0;
      this.pos = pos + 1;
      return;
    }
    const start = pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.unexpectedEnd();
      }
      const b = bytes[pos++];
      if (shift === 63) {
        // Tenth byte: only value bit 63 remains; no continuation allowed.
        if (b & 0x80) throw this.malformed("integer representation too long", start);
        if (b & 0x7e) throw this.malformed("integer too large", start);
        hi |= (b & 1) << 31;
        break;
      }
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else {
        hi |= v << (shift - 32);
      }
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    this.pos = pos;
    this.lo = lo;
    this.hi = hi;
  }

  /** Signed LEB128 of at most 64 bits, at most 10 bytes. The value lands in `lo`/`hi` (int32 each). */
  s64(): void {
    const bytes = this.bytes;
    let pos = this.pos;
    const start = pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (pos >= this.end) {
        this.pos = pos;
        throw this.unexpectedEnd();
      }
      const b = bytes[pos++];
      if (shift === 63) {
        // Tenth byte: bit 0 is value bit 63, bits 1..6 must repeat it.
        if (b & 0x80) throw this.malformed("integer representation too long", start);
        const top = b & 0x7f;
        if (top !== 0 && top !== 0x7f) throw this.malformed("integer too large", start);
        hi |= (b & 1) << 31;
        break;
      }
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else {
        hi |= v << (shift - 32);
      }
      shift += 7;
      if ((b & 0x80) === 0) {
        if (b & 0x40) {
          if (shift < 32) {
            lo |= -1 << shift;
            hi = -1;
          } else {
            hi |= -1 << (shift - 32);
          }
        }
        break;
      }
    }
    this.pos = pos;
    this.lo = lo;
    this.hi = hi;
  }

  /** Four little-endian bytes as an int32 (the raw IEEE bits of an f32, or a half of an f64). */
  i32le(): number {
    const pos = this.pos;
    if (this.end - pos < 4) {
      this.pos = this.end;
      throw this.unexpectedEnd();
    }
    const b = this.bytes;
    this.pos = pos + 4;
    return b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16) | (b[pos + 3] << 24);
  }

  /**
   * Reads a vector count and checks it against the bytes left, *before* anything is allocated:
   * every element takes at least `minElemBytes` bytes.
   */
  count(minElemBytes = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minElemBytes > this.end - this.pos) throw this.malformed(`length out of bounds: vector of ${n} elements in ${this.end - this.pos} remaining bytes`, at);
    return n;
  }

  /** A byte vector (length + bytes), as a copy. */
  byteVec(): Uint8Array {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) throw this.malformed(`length out of bounds: ${n} bytes with ${this.end - this.pos} remaining`, at);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A name: length-prefixed UTF-8, validated (no overlong forms, surrogates or code points above U+10FFFF). */
  name(): string {
    const at = this.pos;
    const n = this.u32();
    if (n > this.end - this.pos) throw this.malformed(`length out of bounds: name of ${n} bytes with ${this.end - this.pos} remaining`, at);
    const start = this.pos;
    this.pos += n;
    const s = decodeUtf8(this.bytes, start, start + n);
    if (s === undefined) throw this.malformed("malformed UTF-8 encoding", start);
    return s;
  }
}

/**
 * Decodes `bytes[start..end)` as UTF-8 following the Unicode rules the spec requires for names.
 * Returns `undefined` when the bytes are not well-formed UTF-8. A byte-order mark is kept.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string | undefined {
  let out = "";
  let chunk: number[] | undefined;
  let i = start;
  while (i < end) {
    const b0 = bytes[i];
    let cp: number;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (b0 >= 0xc2 && b0 <= 0xdf) {
      if (i + 1 >= end) return undefined;
      const b1 = bytes[i + 1];
      if ((b1 & 0xc0) !== 0x80) return undefined;
      cp = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      if (i + 2 >= end) return undefined;
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return undefined;
      cp = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      // Overlong (< U+0800) or a surrogate (U+D800..U+DFFF).
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      if (i + 3 >= end) return undefined;
      const b1 = bytes[i + 1];
      const b2 = bytes[i + 2];
      const b3 = bytes[i + 3];
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return undefined;
      cp = ((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return undefined;
      i += 4;
    } else {
      // Continuation byte in lead position, overlong lead 0xc0/0xc1, or 0xf5..0xff.
      return undefined;
    }
    chunk ??= [];
    if (cp >= 0x10000) {
      const c = cp - 0x10000;
      chunk.push(0xd800 | (c >> 10), 0xdc00 | (c & 0x3ff));
    } else {
      chunk.push(cp);
    }
    if (chunk.length >= 4096) {
      out += String.fromCharCode.apply(null, chunk);
      chunk.length = 0;
    }
  }
  if (chunk !== undefined && chunk.length > 0) out += String.fromCharCode.apply(null, chunk);
  return out;
}
