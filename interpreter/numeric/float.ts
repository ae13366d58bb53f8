/**
 * Float operations whose WebAssembly semantics differ from JavaScript's `Math.*`, and the
 * sign-bit operations on float bit patterns (core specification, "Numerics", floating-point
 * operations `fmin`, `fmax`, `fnearest`, `ftrunc`, `fceil`, `ffloor`, `fsqrt`, `fabs`, `fneg`,
 * `fcopysign`).
 *
 * Values are JS numbers holding an f32 or f64 value (f32 results are already f32-exact: every
 * function here returns one of its inputs, an integer of at most the input's magnitude, or NaN).
 * Any NaN result is the canonical NaN (`NaN`), which the specification always allows: its
 * results for NaN inputs are "an arithmetic NaN", and canonical NaNs are arithmetic. This matters
 * because V8's `Math.trunc`, `Math.ceil` and `Math.floor` return a signalling NaN unchanged, which
 * the specification does not allow.
 *
 * What JS already does right: `Math.fround(x op y)` for f32 `+ - * /` and `Math.fround(Math.sqrt(x))`
 * are correctly rounded (double has more than 2*24+2 bits), and `Math.min`/`Math.max` order
 * -0 below +0 as `fmin`/`fmax` require; only their NaN results are normalised here.
 *
 * `fabs`, `fneg` and `fcopysign` must not touch a NaN's payload, so they work on bit patterns:
 * the f32 versions on the int32 bit pattern, the f64 versions on the high word (the low word is
 * unchanged by all three).
 */

const TWO_52 = 4503599627370496;

/** `f32.min`: NaN if either operand is NaN, and -0 < +0. */
export function f32Min(a: number, b: number): number {
  return a !== a || b !== b ? NaN : Math.min(a, b);
}

/** `f32.max`: NaN if either operand is NaN, and -0 < +0. */
export function f32Max(a: number, b: number): number {
  return a !== a || b !== b ? NaN : Math.max(a, b);
}

/** `f64.min`: NaN if either operand is NaN, and -0 < +0. */
export function f64Min(a: number, b: number): number {
  return a !== a || b !== b ? NaN : Math.min(a, b);
}

/** `f64.max`: NaN if either operand is NaN, and -0 < +0. */
export function f64Max(a: number, b: number): number {
  return a !== a || b !== b ? NaN : Math.max(a, b);
}

/**
 * `f64.nearest`: round to the nearest integer, ties to even, keeping the sign (so -0.4 gives -0).
 * Adding and subtracting 2^52 rounds a magnitude below 2^52 to an integer in the current
 * (ties-to-even) rounding mode; magnitudes at or above 2^52 are already integers.
 */
export function f64Nearest(x: number): number {
  if (x !== x) return NaN;
  const m = Math.abs(x);
  if (m >= TWO_52 || m === 0) return x;
  const r = m + TWO_52 - TWO_52;
  return x < 0 ? -r : r;
}

/**
 * `f32.nearest`. The nearest integer to an f32 value is itself an f32 value (every integer below
 * 2^24 is one, and every f32 at or above 2^23 is an integer), so the f64 rounding is exact here.
 */
export function f32Nearest(x: number): number {
  return f64Nearest(x);
}

/** `f64.trunc`: round toward zero (sign kept); NaN gives the canonical NaN. */
export function f64Trunc(x: number): number {
  return x !== x ? NaN : Math.trunc(x);
}

/** `f64.ceil`: round toward +infinity (sign kept, so -0.5 gives -0); NaN gives the canonical NaN. */
export function f64Ceil(x: number): number {
  return x !== x ? NaN : Math.ceil(x);
}

/** `f64.floor`: round toward -infinity; NaN gives the canonical NaN. */
export function f64Floor(x: number): number {
  return x !== x ? NaN : Math.floor(x);
}

/** `f64.sqrt`: correctly rounded square root; NaN and negative operands give the canonical NaN. */
export function f64Sqrt(x: number): number {
  return x !== x ? NaN : Math.sqrt(x);
}

/** `f32.trunc` (the result of truncating an f32 value is an f32 value). */
export function f32Trunc(x: number): number {
  return x !== x ? NaN : Math.trunc(x);
}

/** `f32.ceil`. */
export function f32Ceil(x: number): number {
  return x !== x ? NaN : Math.ceil(x);
}

/** `f32.floor`. */
export function f32Floor(x: number): number {
  return x !== x ? NaN : Math.floor(x);
}

/** `f32.sqrt`: the double square root rounded once more to f32 is correctly rounded. */
export function f32Sqrt(x: number): number {
  return x !== x ? NaN : Math.fround(Math.sqrt(x));
}

/** `f32.abs` on an f32 bit pattern (int32): clears the sign bit, payload untouched. */
export function f32Abs(bits: number): number {
  return bits & 0x7fffffff;
}

/** `f32.neg` on an f32 bit pattern (int32): flips the sign bit, payload untouched. */
export function f32Neg(bits: number): number {
  return bits ^ -0x80000000;
}

/** `f32.copysign` on f32 bit patterns: `a`'s magnitude bits with `b`'s sign bit. */
export function f32Copysign(a: number, b: number): number {
  return (a & 0x7fffffff) | (b & -0x80000000);
}

/** `f64.abs` on the high word of an f64 (the low word is unchanged). */
export function f64Abs(hi: number): number {
  return hi & 0x7fffffff;
}

/** `f64.neg` on the high word of an f64 (the low word is unchanged). */
export function f64Neg(hi: number): number {
  return hi ^ -0x80000000;
}

/** `f64.copysign` on high words: `a`'s high word with `b`'s sign bit (`a`'s low word is kept). */
export function f64Copysign(aHi: number, bHi: number): number {
  return (aHi & 0x7fffffff) | (bHi & -0x80000000);
}
