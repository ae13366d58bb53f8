/**
 * LEB128 reading and (mal)encoding for the malformed-input fuzzer: well-formed encodings, valid
 * overlong ones (padded up to the 5-byte limit of a u32), malformed ones (too long, too large,
 * unterminated), and the "interesting" values spliced into count, size and index fields.
 */

/** A decoded unsigned LEB128 field: its value (up to 2^35 - 1) and length in bytes. */
export interface LebField {
  readonly value: number;
  readonly length: number;
}

/**
 * Reads an unsigned LEB128 of at most `maxBytes` bytes at `pos`, or returns undefined when it is
 * unterminated within the limit or runs past `end`.
 */
export function readUleb(b: Uint8Array, pos: number, end: number, maxBytes = 5): LebField | undefined {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < maxBytes; i++) {
    if (pos + i >= end) return undefined;
    const byte = b[pos + i]!;
    value += (byte & 0x7f) * mul;
    mul *= 128;
    if ((byte & 0x80) === 0) return { value, length: i + 1 };
  }
  return undefined;
}

/** Length in bytes of a (signed or unsigned) LEB128 at `pos`, at most `maxBytes`; undefined if unterminated. */
export function lebLength(b: Uint8Array, pos: number, end: number, maxBytes = 10): number | undefined {
  for (let i = 0; i < maxBytes; i++) {
    if (pos + i >= end) return undefined;
    if ((b[pos + i]! & 0x80) === 0) return i + 1;
  }
  return undefined;
}

/** Unsigned LEB128 of `value` (a non-negative integer below 2^53), padded with 0x80 groups to at least `minBytes`. */
export function uleb(value: number, minBytes = 1): Uint8Array {
  const out: number[] = [];
  let v = value;
  do {
    const byte = v % 128;
    v = Math.floor(v / 128);
    out.push(byte);
  } while (v > 0);
  while (out.length < minBytes) out.push(0);
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return Uint8Array.from(out);
}

/** Signed LEB128 of `value` (an integer within ±2^52), padded with sign groups to at least `minBytes`. */
export function sleb(value: number, minBytes = 1): Uint8Array {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = ((v % 128) + 128) % 128;
    v = Math.floor(v / 128);
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(byte);
    if (done) break;
  }
  const fill = value < 0 ? 0x7f : 0;
  while (out.length < minBytes) out.push(fill);
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return Uint8Array.from(out);
}

/** `n` continuation bytes: an LEB128 that never terminates. */
export function unterminated(n: number): Uint8Array {
  return new Uint8Array(n).fill(0x80);
}

/** The values most likely to break a count, size or index field whose current value is `v`. */
export function interestingValues(v: number): number[] {
  return [
    0, 1, Math.max(0, v - 1), v + 1, v * 2 + 1, 0x7f, 0x80, 0x3fff, 0x4000, 0xffff, 0x10000, 0x10001,
    2 ** 24, 2 ** 28 - 1, 2 ** 28, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 32 - 2, 2 ** 32 - 1,
  ];
}

/** One way of re-encoding an unsigned field, with a description for the reproducer. */
export interface FieldEncoding {
  readonly bytes: Uint8Array;
  readonly what: string;
}

/**
 * A random re-encoding of an unsigned field currently holding `v`: an interesting value encoded
 * normally or padded (valid up to 5 bytes), or a malformed encoding (6+ bytes, 5 bytes with
 * bits above 2^32 set, a value ≥ 2^32, unterminated).
 */
export function mutateUleb(v: number, r: { int(n: number): number; pick<T>(xs: readonly T[]): T }): FieldEncoding {
  switch (r.int(8)) {
    case 0: return { bytes: uleb(v, 5), what: `overlong-valid(${v}, 5 bytes)` };
    case 1: {
      const n = 6 + r.int(5);
      return { bytes: uleb(v, n), what: `overlong-too-long(${v}, ${n} bytes)` };
    }
    case 2: {
      // 5th byte with bits above bit 31 set: "integer too large"
      const hi = r.pick([0x10, 0x20, 0x40, 0x70, 0x7f]);
      const b = uleb(v % 2 ** 28, 5);
      b[4] = (b[4]! & 0x0f) | hi;
      return { bytes: b, what: `too-large(5th byte 0x${b[4]!.toString(16)})` };
    }
    case 3: {
      const big = r.pick([2 ** 32, 2 ** 32 + 1, 2 ** 33, 2 ** 35 - 1]);
      return { bytes: uleb(big), what: `value ${big} (≥ 2^32)` };
    }
    case 4: {
      const n = 1 + r.int(6);
      return { bytes: unterminated(n), what: `unterminated(${n} bytes)` };
    }
    default: {
      const x = r.pick(interestingValues(v));
      const pad = r.int(4) === 0 ? 5 : 1;
      return { bytes: uleb(x, pad), what: `value ${x}${pad > 1 ? " (padded to 5 bytes)" : ""}` };
    }
  }
}

/** A random re-encoding of a signed (i32/i64 constant) field. */
export function mutateSleb(r: { int(n: number): number; pick<T>(xs: readonly T[]): T }, bits: 32 | 64): FieldEncoding {
  const limit = bits === 32 ? 5 : 10;
  switch (r.int(4)) {
    case 0: {
      const n = limit + 1 + r.int(3);
      return { bytes: sleb(-1, n), what: `s-overlong-too-long(-1, ${n} bytes)` };
    }
    case 1: {
      // last byte's unused bits not a sign extension: "integer too large"
      const b = sleb(0, limit);
      b[limit - 1] = bits === 32 ? 0x70 : 0x7e;
      return { bytes: b, what: `s-too-large(last byte 0x${b[limit - 1]!.toString(16)})` };
    }
    case 2: return { bytes: unterminated(1 + r.int(limit + 2)), what: "s-unterminated" };
    default: {
      const x = r.pick([0, -1, 1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 50)]);
      return { bytes: sleb(x, r.int(3) === 0 ? limit : 1), what: `s-value ${x}` };
    }
  }
}
