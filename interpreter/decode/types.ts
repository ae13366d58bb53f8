/**
 * Decoding of the binary format's *types*: value types, reference and heap types, limits, table,
 * memory, global and tag types (spec "Binary Format > Types"). Typed function references are
 * decoded (`(ref null ht)` 0x63, `(ref ht)` 0x64, heap types `func`, `extern`, `exn` and type
 * indices; see `ValType` in `module.ts` for the representation); encodings of proposals this
 * engine does not implement (GC's abstract heap types and packed types, threads' shared
 * memories) are rejected with an `unsupported` CompileError naming the feature.
 */
import { refType, ValType, type AddressType, type GlobalType, type HeapType, type Limits, type MemoryType, type RefType, type TableType } from "./module.js";
import type { Reader } from "./reader.js";

/**
 * The feature of a type byte this engine refuses: the abstract heap types and shorthands of GC
 * (0x6a..0x6e, 0x71..0x75: any, eq, i31, struct, array and the bottom types none, nofunc,
 * noextern, noexn) and the packed types (0x77, 0x78).
 */
function unsupportedTypeByte(b: number): string | undefined {
  if ((b >= 0x6a && b <= 0x6e) || (b >= 0x71 && b <= 0x75) || b === 0x77 || b === 0x78) return "GC";
  return undefined;
}

/**
 * `heaptype`: an abstract heap type (one byte) or a type index (a non-negative s33). `func`,
 * `extern` and `exn` are the abstract heap types of this engine (the others belong to GC).
 */
export function readHeapType(r: Reader): HeapType {
  const at = r.pos;
  const b = r.peek();
  if (b === 0x70 || b === 0x6f || b === 0x69) {
    r.pos++;
    return b - 0x80;
  }
  const x = r.s33();
  if (x >= 0) return x;
  const feature = unsupportedTypeByte(b);
  if (feature !== undefined) throw r.unsupported(feature, `heap type 0x${b.toString(16)}`, at);
  throw r.malformed(`malformed reference type: heap type 0x${b.toString(16)}`, at);
}

/** The value type after its first byte `b` (read at `at`), or -1 when `b` starts none. */
function valTypeAfter(r: Reader, b: number, at: number): number {
  switch (b) {
    case ValType.i32:
    case ValType.i64:
    case ValType.f32:
    case ValType.f64:
    case ValType.v128:
    case ValType.funcref:
    case ValType.externref:
    case ValType.exnref:
      return b;
    case 0x63:
    case 0x64:
      return refType(b === 0x63, readHeapType(r));
    default: {
      const feature = unsupportedTypeByte(b);
      if (feature !== undefined) throw r.unsupported(feature, `value type 0x${b.toString(16)}`, at);
      return -1;
    }
  }
}

/** `valtype`: a number, vector or reference type. */
export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = r.u8();
  const t = valTypeAfter(r, b, at);
  if (t < 0) throw r.malformed(`malformed value type 0x${b.toString(16)}`, at);
  return t;
}

/** `reftype`: a shorthand (funcref, externref, exnref) or `(ref null? ht)`. */
export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const b = r.u8();
  if (b === ValType.funcref || b === ValType.externref || b === ValType.exnref) return b;
  if (b === 0x63 || b === 0x64) return refType(b === 0x63, readHeapType(r));
  const feature = unsupportedTypeByte(b);
  if (feature !== undefined) throw r.unsupported(feature, `reference type 0x${b.toString(16)}`, at);
  throw r.malformed(`malformed reference type 0x${b.toString(16)}`, at);
}

/**
 * `blocktype` as the flat-stream word: -1 empty, `-2 - t` a single value type `t`, or a type
 * index (>= 0; indices beyond int32 are clamped to 2^31-1, which no module can define).
 */
export function readBlockType(r: Reader): number {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return -1;
  }
  const at = r.pos;
  if (b >= 0x40 && b < 0x80) { // a one-byte negative s33: a value type
    r.pos++;
    const t = valTypeAfter(r, b, at);
    if (t < 0) throw r.malformed(`malformed block type`, at);
    return -2 - t;
  }
  const x = r.s33();
  if (x < 0) throw r.malformed(`malformed block type`, at);
  return x > 0x7fffffff ? 0x7fffffff : x;
}

/** A u64 limit (i64 address type) as a JS number: exact up to 2^53, rounded above. */
function readU64Limit(r: Reader): number {
  r.u64();
  return (r.hi >>> 0) * 0x100000000 + (r.lo >>> 0);
}

/** `limits`: min, then max when flagged; u32 values for the i32 address type, u64 for i64. */
function readLimitValues(r: Reader, hasMax: boolean, addressType: AddressType): Limits {
  if (addressType === ValType.i64) {
    const min = readU64Limit(r);
    return { min, max: hasMax ? readU64Limit(r) : undefined };
  }
  const min = r.u32();
  const max = hasMax ? r.u32() : undefined;
  return { min, max };
}

/**
 * `tabletype`: reftype then limits. Flags: bit 0 a maximum follows, bit 2 the address type is
 * i64 (table64); so 0x00, 0x01, 0x04, 0x05.
 */
export function readTableType(r: Reader): TableType {
  const elemType = readRefType(r);
  const at = r.pos;
  const flags = r.u8();
  if (flags === 0 || flags === 1 || flags === 4 || flags === 5) {
    const addressType = flags & 4 ? ValType.i64 : ValType.i32;
    return { addressType, elemType, limits: readLimitValues(r, (flags & 1) !== 0, addressType) };
  }
  throw badLimitsFlags(r, flags, at);
}

/** The limits flags are a one-byte LEB128 (`vu1` in the reference interpreter). */
function badLimitsFlags(r: Reader, flags: number, at: number): Error {
  if (flags & 0x80) return r.malformed(`integer representation too long: limits flags 0x${flags.toString(16)}`, at);
  return r.malformed(`integer too large: malformed limits flags 0x${flags.toString(16)}`, at);
}

/**
 * `memtype`: limits. Flags: bit 0 a maximum follows, bit 1 shared (threads: unsupported), bit 2
 * the address type is i64 (memory64); so 0x00, 0x01, 0x04, 0x05.
 */
export function readMemoryType(r: Reader): MemoryType {
  const at = r.pos;
  const flags = r.u8();
  if (flags === 0 || flags === 1 || flags === 4 || flags === 5) {
    const addressType = flags & 4 ? ValType.i64 : ValType.i32;
    return { addressType, limits: readLimitValues(r, (flags & 1) !== 0, addressType) };
  }
  if (flags === 2 || flags === 3 || flags === 6 || flags === 7) throw r.unsupported("threads", `shared memory (limits flags 0x${flags.toString(16)})`, at);
  throw badLimitsFlags(r, flags, at);
}

/** `globaltype`: valtype then mutability byte 0x00 (const) / 0x01 (var). */
export function readGlobalType(r: Reader): GlobalType {
  const valType = readValType(r);
  const at = r.pos;
  const m = r.u8();
  if (m !== 0 && m !== 1) throw r.malformed(`malformed mutability 0x${m.toString(16)}`, at);
  return { valType, mutable: m === 1 };
}

/** `tagtype`: the attribute byte 0x00 (exception), then a function type index. Returns the type index. */
export function readTagType(r: Reader): number {
  const at = r.pos;
  const a = r.u8();
  if (a !== 0) throw r.malformed(`zero byte expected: tag attribute 0x${a.toString(16)}`, at);
  return r.u32();
}
