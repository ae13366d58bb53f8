/**
 * Float helpers of the Canonical ABI: bit reinterpretation between integers and floats, and
 * NaN canonicalisation (`canonicalize_nan32/64`: lifted NaNs are the canonical NaN; this host
 * also lowers the canonical NaN, as the deterministic profile requires).
 */

/** The canonical f32 NaN bit pattern. */
export const CANONICAL_FLOAT32_NAN = 0x7fc00000;
/** The canonical f64 NaN bit pattern. */
export const CANONICAL_FLOAT64_NAN = 0x7ff8000000000000n;

const scratch = new DataView(new ArrayBuffer(8));

/** `f32.reinterpret_i32`. */
export function core_f32_reinterpret_i32(i: number): number {
  scratch.setUint32(0, i >>> 0, true);
  return scratch.getFloat32(0, true);
}

/** `f64.reinterpret_i64`. */
export function core_f64_reinterpret_i64(i: bigint): number {
  scratch.setBigUint64(0, BigInt.asUintN(64, i), true);
  return scratch.getFloat64(0, true);
}

/** NaN canonicalisation on lift (a JS number carries no NaN payload, so this is the identity otherwise). */
export function canonicalize_nan32(f: number): number {
  return Number.isNaN(f) ? NaN : f;
}

/** NaN canonicalisation on lift for f64. */
export function canonicalize_nan64(f: number): number {
  return Number.isNaN(f) ? NaN : f;
}

/** `decode_i32_as_float`: reinterpret, then canonicalise NaN. */
export function decode_i32_as_float(i: number): number {
  return canonicalize_nan32(core_f32_reinterpret_i32(i));
}

/** `decode_i64_as_float`: reinterpret, then canonicalise NaN. */
export function decode_i64_as_float(i: bigint): number {
  return canonicalize_nan64(core_f64_reinterpret_i64(i));
}

/** `encode_float_as_i32`: the f32 bits of `f` (NaN lowered as the canonical NaN). */
export function encode_float_as_i32(f: number): number {
  if (Number.isNaN(f)) return CANONICAL_FLOAT32_NAN;
  scratch.setFloat32(0, f, true);
  return scratch.getUint32(0, true);
}

/** `encode_float_as_i64`: the f64 bits of `f` (NaN lowered as the canonical NaN), unsigned. */
export function encode_float_as_i64(f: number): bigint {
  if (Number.isNaN(f)) return CANONICAL_FLOAT64_NAN;
  scratch.setFloat64(0, f, true);
  return scratch.getBigUint64(0, true);
}
