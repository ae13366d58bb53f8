/**
 * Conversions between floats and integers with the core specification's exact semantics
 * ("Numerics", conversions `trunc_s`/`trunc_u` (trapping), `trunc_sat_s`/`trunc_sat_u`,
 * `convert_s`/`convert_u`), plus the BigInt boundary helpers for i64 words.
 *
 * Floats arrive as JS numbers holding the f32 or f64 value (an f32 value is exact as a double, so
 * one function serves both source widths; both names are exported). i64 operands and results
 * are two int32 words in an `Int32Array` at a word index (docs/architecture.md, "Value slots").
 *
 * Trapping truncation: NaN traps with `invalid-conversion-to-integer`; a value whose truncation
 * lies outside the target range traps with `integer-overflow`. Ranges, written as conditions on
 * the float `x`: i32 signed `-2^31 - 1 < x < 2^31`, i32 unsigned `-1 < x < 2^32`, i64 signed
 * `-2^63 <= x < 2^63` (no double lies strictly between -2^63 - 1 and -2^63), i64 unsigned
 * `-1 < x < 2^64`.
 *
 * i64 to float conversions round once, to nearest with ties to even. For f64 that is one double
 * addition `hi * 2^32 + lo`; for f32 the low bits that cannot affect the f32 rounding are folded
 * into a sticky bit first, so the value is exact as a double and `Math.fround` rounds only once.
 */
import { RuntimeError } from "../errors.js";

const TWO_31 = 2147483648;
const TWO_32 = 4294967296;
const TWO_63 = 9223372036854775808;
const TWO_64 = 18446744073709551616;

// ---- float -> i32, trapping ----------------------------------------------------------------

/** `i32.trunc_f64_s` (and `i32.trunc_f32_s`): traps on NaN and on results outside [-2^31, 2^31). */
export function i32TruncF64S(x: number): number {
  if (x > -2147483649 && x < TWO_31) return Math.trunc(x) | 0;
  if (x !== x) throw new RuntimeError("invalid-conversion-to-integer");
  throw new RuntimeError("integer-overflow");
}

/** `i32.trunc_f32_s`: same rule as {@link i32TruncF64S} (the nearest f32s are -2^31 - 256 and -2^31). */
export const i32TruncF32S: (x: number) => number = i32TruncF64S;

/** `i32.trunc_f64_u` (and `i32.trunc_f32_u`): traps on NaN and on results outside [0, 2^32). Result as int32. */
export function i32TruncF64U(x: number): number {
  if (x > -1 && x < TWO_32) return Math.trunc(x) | 0;
  if (x !== x) throw new RuntimeError("invalid-conversion-to-integer");
  throw new RuntimeError("integer-overflow");
}

/** `i32.trunc_f32_u`: same rule as {@link i32TruncF64U}. */
export const i32TruncF32U: (x: number) => number = i32TruncF64U;

// ---- float -> i32, saturating --------------------------------------------------------------

/** `i32.trunc_sat_f64_s` (and `_f32_s`): NaN gives 0, out-of-range values clamp to the i32 range. */
export function i32TruncSatF64S(x: number): number {
  if (x > -2147483649 && x < TWO_31) return Math.trunc(x) | 0;
  if (x !== x) return 0;
  return x < 0 ? -0x80000000 : 0x7fffffff;
}

/** `i32.trunc_sat_f32_s`: same rule as {@link i32TruncSatF64S}. */
export const i32TruncSatF32S: (x: number) => number = i32TruncSatF64S;

/** `i32.trunc_sat_f64_u` (and `_f32_u`): NaN gives 0, clamps to [0, 2^32 - 1]. Result as int32. */
export function i32TruncSatF64U(x: number): number {
  if (x > -1 && x < TWO_32) return Math.trunc(x) | 0;
  if (x !== x) return 0;
  return x < 0 ? 0 : -1;
}

/** `i32.trunc_sat_f32_u`: same rule as {@link i32TruncSatF64U}. */
export const i32TruncSatF32U: (x: number) => number = i32TruncSatF64U;

// ---- float -> i64 --------------------------------------------------------------------------

/** Writes the integer-valued double `t` (-2^63 <= t < 2^64) as i64 words (two's complement). */
function storeInteger(s: Int32Array, d: number, t: number): void {
  s[d] = t | 0; // ToInt32 reduces modulo 2^32 exactly, for negative values too
  s[d + 1] = Math.floor(t / TWO_32) | 0;
}

/** `i64.trunc_f64_s` (and `_f32_s`): traps on NaN and on results outside [-2^63, 2^63). */
export function i64TruncF64S(s: Int32Array, d: number, x: number): void {
  if (x >= -TWO_63 && x < TWO_63) {
    storeInteger(s, d, Math.trunc(x));
    return;
  }
  if (x !== x) throw new RuntimeError("invalid-conversion-to-integer");
  throw new RuntimeError("integer-overflow");
}

/** `i64.trunc_f32_s`: same rule as {@link i64TruncF64S}. */
export const i64TruncF32S: (s: Int32Array, d: number, x: number) => void = i64TruncF64S;

/** `i64.trunc_f64_u` (and `_f32_u`): traps on NaN and on results outside [0, 2^64). */
export function i64TruncF64U(s: Int32Array, d: number, x: number): void {
  if (x > -1 && x < TWO_64) {
    storeInteger(s, d, Math.trunc(x));
    return;
  }
  if (x !== x) throw new RuntimeError("invalid-conversion-to-integer");
  throw new RuntimeError("integer-overflow");
}

/** `i64.trunc_f32_u`: same rule as {@link i64TruncF64U}. */
export const i64TruncF32U: (s: Int32Array, d: number, x: number) => void = i64TruncF64U;

/** `i64.trunc_sat_f64_s` (and `_f32_s`): NaN gives 0, out-of-range values clamp to the i64 range. */
export function i64TruncSatF64S(s: Int32Array, d: number, x: number): void {
  if (x >= -TWO_63 && x < TWO_63) {
    storeInteger(s, d, Math.trunc(x));
  } else if (x !== x) {
    s[d] = 0;
    s[d + 1] = 0;
  } else if (x < 0) {
    s[d] = 0;
    s[d + 1] = -0x80000000;
  } else {
    s[d] = -1;
    s[d + 1] = 0x7fffffff;
  }
}

/** `i64.trunc_sat_f32_s`: same rule as {@link i64TruncSatF64S}. */
export const i64TruncSatF32S: (s: Int32Array, d: number, x: number) => void = i64TruncSatF64S;

/** `i64.trunc_sat_f64_u` (and `_f32_u`): NaN gives 0, clamps to [0, 2^64 - 1]. */
export function i64TruncSatF64U(s: Int32Array, d: number, x: number): void {
  if (x > -1 && x < TWO_64) {
    storeInteger(s, d, Math.trunc(x));
  } else if (x > 0) {
    s[d] = -1;
    s[d + 1] = -1;
  } else {
    s[d] = 0;
    s[d + 1] = 0;
  }
}

/** `i64.trunc_sat_f32_u`: same rule as {@link i64TruncSatF64U}. */
export const i64TruncSatF32U: (s: Int32Array, d: number, x: number) => void = i64TruncSatF64U;

// ---- integer -> float ----------------------------------------------------------------------

/** `f64.convert_i64_s`: one correctly rounded double addition. */
export function f64ConvertI64S(s: Int32Array, a: number): number {
  return s[a + 1] * TWO_32 + (s[a] >>> 0);
}

/** `f64.convert_i64_u`: one correctly rounded double addition. */
export function f64ConvertI64U(s: Int32Array, a: number): number {
  return (s[a + 1] >>> 0) * TWO_32 + (s[a] >>> 0);
}

/**
 * The unsigned 64-bit `hi:lo` rounded once to f32. At or above 2^53 the leading one is at bit 53
 * or higher, so f32's rounding bit is at bit 29 or higher and bits 0..10 only matter as "some
 * bit below is set": they are folded into bit 11, which leaves at most 53 significant bits.
 */
function f32FromU64(lo: number, hi: number): number {
  if (hi >>> 0 >= 0x200000 && (lo & 0x7ff) !== 0) lo = (lo & ~0x7ff) | 0x800;
  return Math.fround((hi >>> 0) * TWO_32 + (lo >>> 0));
}

/** `f32.convert_i64_s`: rounds once, to nearest with ties to even. */
export function f32ConvertI64S(s: Int32Array, a: number): number {
  const lo = s[a];
  const hi = s[a + 1];
  if (hi >= 0) return f32FromU64(lo, hi);
  // magnitude of a negative value; -2^63 maps to the unsigned 2^63, as wanted
  return -f32FromU64(-lo | 0, (~hi + (lo === 0 ? 1 : 0)) | 0);
}

/** `f32.convert_i64_u`: rounds once, to nearest with ties to even. */
export function f32ConvertI64U(s: Int32Array, a: number): number {
  return f32FromU64(s[a], s[a + 1]);
}

/** `f32.convert_i32_s`: the int32 is exact as a double, so `Math.fround` rounds once. */
export function f32ConvertI32S(x: number): number {
  return Math.fround(x);
}

/** `f32.convert_i32_u` (the operand as int32 or uint32). */
export function f32ConvertI32U(x: number): number {
  return Math.fround(x >>> 0);
}

/** `f64.convert_i32_s`: exact. */
export function f64ConvertI32S(x: number): number {
  return x | 0;
}

/** `f64.convert_i32_u`: exact (the operand as int32 or uint32). */
export function f64ConvertI32U(x: number): number {
  return x >>> 0;
}

/** `f32.demote_f64`: round once to f32; NaN gives the canonical NaN. */
export function f32DemoteF64(x: number): number {
  return x !== x ? NaN : Math.fround(x);
}

/** `f64.promote_f32`: exact; NaN gives the canonical NaN. */
export function f64PromoteF32(x: number): number {
  return x !== x ? NaN : x;
}

// ---- BigInt boundary -----------------------------------------------------------------------

/** Writes `v` (reduced modulo 2^64) as i64 words at word index `d`. Boundary use only, not hot paths. */
export function i64FromBigInt(s: Int32Array, d: number, v: bigint): void {
  s[d] = Number(BigInt.asIntN(32, v));
  s[d + 1] = Number(BigInt.asIntN(32, v >> 32n));
}

/** Reads the i64 words at word index `a` as a signed bigint. Boundary use only, not hot paths. */
export function i64ToBigInt(s: Int32Array, a: number): bigint {
  return (BigInt(s[a + 1]) << 32n) | BigInt(s[a] >>> 0);
}
