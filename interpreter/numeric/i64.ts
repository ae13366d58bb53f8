/**
 * Exact 64-bit integer arithmetic on two int32 words: the `i64` instructions of the core
 * specification (section "Numerics", integer operations `iadd`, `imul`, `idiv_s`, ... at N = 64)
 * computed without BigInt.
 *
 * Calling convention (docs/architecture.md, "Value slots"): every operand and result lives in an
 * `Int32Array` `s`, an i64 at word index `i` as low word `s[i]` and high word `s[i + 1]`.
 * Binary operations are `(s, d, a, b)`, unary ones `(s, d, a)`, with `d`, `a`, `b` word indices;
 * `d` may equal `a` or `b` (every function reads its operands before it writes). Nothing here
 * allocates; traps are thrown as {@link RuntimeError}.
 *
 * Division uses exact doubles when both operands are below 2^53 in magnitude (a correctly rounded
 * quotient of two integers below 2^53 truncates to the exact integer quotient), and otherwise a
 * division on halves: two exact double steps when the divisor is at most 2^21, 32/16/16-bit steps
 * when it fits in 32 bits, a double estimate corrected
 * by at most two subtractions when it does not.
 */
import { RuntimeError } from "../errors.js";

const TWO_32 = 4294967296;
/** High words `h` with `-2^21 <= h < 2^21` mean `|value| <= 2^53` (signed view). */
const SAFE_HI = 0x200000;

// Results of `divmodU64`, kept in module variables so that division allocates nothing.
let qLo = 0;
let qHi = 0;
let rLo = 0;
let rHi = 0;

/** High 32 bits (as int32) of the unsigned 64-bit product of two 32-bit words. */
export function mulHiU32(x: number, y: number): number {
  const x0 = x & 0xffff;
  const x1 = x >>> 16;
  const y0 = y & 0xffff;
  const y1 = y >>> 16;
  const p01 = x0 * y1;
  const p10 = x1 * y0;
  const mid = ((x0 * y0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (x1 * y1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/**
 * Unsigned 64-bit division with remainder of `nh:nl` by a non-zero `dh:dl` (words as int32,
 * read as unsigned). Leaves the quotient in `qLo`/`qHi`, the remainder in `rLo`/`rHi`.
 */
function divmodU64(nl: number, nh: number, dl: number, dh: number): void {
  const nhU = nh >>> 0;
  const nlU = nl >>> 0;
  const dhU = dh >>> 0;
  const dlU = dl >>> 0;
  if (dhU === 0 && dlU <= SAFE_HI) {
    // Divisor at most 2^21: two steps; the second partial dividend r * 2^32 + low is below 2^53.
    const q1 = Math.floor(nhU / dlU);
    const m = (nhU - q1 * dlU) * TWO_32 + nlU;
    const q0 = Math.floor(m / dlU);
    qHi = q1 | 0;
    qLo = q0 | 0;
    rHi = 0;
    rLo = (m - q0 * dlU) | 0;
    return;
  }
  if (dhU === 0) {
    // Divisor below 2^32: long division in steps of 32, 16 and 16 bits; every partial
    // dividend stays below 2^48, so each step is an exact double division.
    const q2 = Math.floor(nhU / dlU);
    let r = nhU - q2 * dlU;
    const m = r * 65536 + (nlU >>> 16);
    const q1 = Math.floor(m / dlU);
    r = m - q1 * dlU;
    const l = r * 65536 + (nlU & 0xffff);
    const q0 = Math.floor(l / dlU);
    r = l - q0 * dlU;
    qHi = q2 | 0;
    qLo = (q1 * 65536 + q0) | 0;
    rHi = 0;
    rLo = r | 0;
    return;
  }
  if (nhU < dhU || (nhU === dhU && nlU < dlU)) {
    qLo = 0;
    qHi = 0;
    rLo = nl;
    rHi = nh;
    return;
  }
  // Divisor at least 2^32, so the quotient q is below 2^32. The double estimate is within 1 of
  // q; one less (floored at 0) is within [q - 2, q], and at most two corrections finish it.
  let q = Math.floor((nhU * TWO_32 + nlU) / (dhU * TWO_32 + dlU));
  if (q > 0) q -= 1;
  // r = n - q * d; the product is at most n, so it fits in 64 bits.
  const pl = Math.imul(q, dl);
  const ph = (mulHiU32(q, dl) + Math.imul(q, dh)) | 0;
  let lo = (nl - pl) | 0;
  let hi = (nh - ph - ((nlU < pl >>> 0) ? 1 : 0)) | 0;
  for (;;) {
    const hiU = hi >>> 0;
    if (hiU < dhU || (hiU === dhU && lo >>> 0 < dlU)) break;
    const borrow = lo >>> 0 < dlU ? 1 : 0;
    lo = (lo - dl) | 0;
    hi = (hi - dh - borrow) | 0;
    q += 1;
  }
  qLo = q | 0;
  qHi = 0;
  rLo = lo;
  rHi = hi;
}

/** Writes the integer-valued double `v` (|v| < 2^64) as an i64 at word `d` (two's complement). */
function storeDouble(s: Int32Array, d: number, v: number): void {
  s[d] = v | 0;
  s[d + 1] = Math.floor(v / TWO_32) | 0;
}

/** `i64.add`: wrap-around addition. */
export function i64Add(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const lo = (al + s[b]) | 0;
  s[d + 1] = (s[a + 1] + s[b + 1] + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
  s[d] = lo;
}

/** `i64.sub`: wrap-around subtraction. */
export function i64Sub(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const bl = s[b];
  s[d + 1] = (s[a + 1] - s[b + 1] - (al >>> 0 < bl >>> 0 ? 1 : 0)) | 0;
  s[d] = (al - bl) | 0;
}

/** `i64.mul`: wrap-around multiplication (low 64 bits of the product). */
export function i64Mul(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const ah = s[a + 1];
  const bl = s[b];
  const bh = s[b + 1];
  s[d] = Math.imul(al, bl);
  s[d + 1] = (mulHiU32(al, bl) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
}

/** `i64.div_s`: traps on a zero divisor and on `-2^63 / -1` (integer overflow); truncates toward zero. */
export function i64DivS(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const ah = s[a + 1];
  const bl = s[b];
  const bh = s[b + 1];
  if ((bl | bh) === 0) throw new RuntimeError("integer-divide-by-zero");
  if (ah >= -SAFE_HI && ah < SAFE_HI && bh >= -SAFE_HI && bh < SAFE_HI) {
    storeDouble(s, d, Math.trunc((ah * TWO_32 + (al >>> 0)) / (bh * TWO_32 + (bl >>> 0))));
    return;
  }
  if (ah === -0x80000000 && al === 0 && (bl & bh) === -1) throw new RuntimeError("integer-overflow");
  let nl = al;
  let nh = ah;
  if (nh < 0) {
    nh = (~nh + (nl === 0 ? 1 : 0)) | 0;
    nl = -nl | 0;
  }
  let ml = bl;
  let mh = bh;
  if (mh < 0) {
    mh = (~mh + (ml === 0 ? 1 : 0)) | 0;
    ml = -ml | 0;
  }
  divmodU64(nl, nh, ml, mh);
  if ((ah ^ bh) < 0) {
    s[d + 1] = (~qHi + (qLo === 0 ? 1 : 0)) | 0;
    s[d] = -qLo | 0;
  } else {
    s[d] = qLo;
    s[d + 1] = qHi;
  }
}

/** `i64.div_u`: unsigned division; traps on a zero divisor. */
export function i64DivU(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const ah = s[a + 1];
  const bl = s[b];
  const bh = s[b + 1];
  if ((bl | bh) === 0) throw new RuntimeError("integer-divide-by-zero");
  if (ah >>> 0 < SAFE_HI && bh >>> 0 < SAFE_HI) {
    storeDouble(s, d, Math.floor((ah * TWO_32 + (al >>> 0)) / (bh * TWO_32 + (bl >>> 0))));
    return;
  }
  divmodU64(al, ah, bl, bh);
  s[d] = qLo;
  s[d + 1] = qHi;
}

/** `i64.rem_s`: remainder with the dividend's sign; traps on a zero divisor; `-2^63 rem_s -1` is 0. */
export function i64RemS(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const ah = s[a + 1];
  const bl = s[b];
  const bh = s[b + 1];
  if ((bl | bh) === 0) throw new RuntimeError("integer-divide-by-zero");
  if (ah >= -SAFE_HI && ah < SAFE_HI && bh >= -SAFE_HI && bh < SAFE_HI) {
    // `%` on doubles is exact and takes the dividend's sign, as rem_s does.
    storeDouble(s, d, (ah * TWO_32 + (al >>> 0)) % (bh * TWO_32 + (bl >>> 0)));
    return;
  }
  let nl = al;
  let nh = ah;
  if (nh < 0) {
    nh = (~nh + (nl === 0 ? 1 : 0)) | 0;
    nl = -nl | 0;
  }
  let ml = bl;
  let mh = bh;
  if (mh < 0) {
    mh = (~mh + (ml === 0 ? 1 : 0)) | 0;
    ml = -ml | 0;
  }
  divmodU64(nl, nh, ml, mh);
  if (ah < 0) {
    s[d + 1] = (~rHi + (rLo === 0 ? 1 : 0)) | 0;
    s[d] = -rLo | 0;
  } else {
    s[d] = rLo;
    s[d + 1] = rHi;
  }
}

/** `i64.rem_u`: unsigned remainder; traps on a zero divisor. */
export function i64RemU(s: Int32Array, d: number, a: number, b: number): void {
  const al = s[a];
  const ah = s[a + 1];
  const bl = s[b];
  const bh = s[b + 1];
  if ((bl | bh) === 0) throw new RuntimeError("integer-divide-by-zero");
  if (ah >>> 0 < SAFE_HI && bh >>> 0 < SAFE_HI) {
    storeDouble(s, d, (ah * TWO_32 + (al >>> 0)) % (bh * TWO_32 + (bl >>> 0)));
    return;
  }
  divmodU64(al, ah, bl, bh);
  s[d] = rLo;
  s[d + 1] = rHi;
}

/** `i64.and`. */
export function i64And(s: Int32Array, d: number, a: number, b: number): void {
  s[d] = s[a] & s[b];
  s[d + 1] = s[a + 1] & s[b + 1];
}

/** `i64.or`. */
export function i64Or(s: Int32Array, d: number, a: number, b: number): void {
  s[d] = s[a] | s[b];
  s[d + 1] = s[a + 1] | s[b + 1];
}

/** `i64.xor`. */
export function i64Xor(s: Int32Array, d: number, a: number, b: number): void {
  s[d] = s[a] ^ s[b];
  s[d + 1] = s[a + 1] ^ s[b + 1];
}

/** `i64.shl`: shift left by the i64 at word `b`, modulo 64. */
export function i64Shl(s: Int32Array, d: number, a: number, b: number): void {
  const k = s[b] & 63;
  const lo = s[a];
  const hi = s[a + 1];
  if (k === 0) {
    s[d] = lo;
    s[d + 1] = hi;
  } else if (k < 32) {
    s[d + 1] = (hi << k) | (lo >>> (32 - k));
    s[d] = lo << k;
  } else {
    s[d + 1] = lo << (k - 32);
    s[d] = 0;
  }
}

/** `i64.shr_s`: arithmetic shift right by the i64 at word `b`, modulo 64. */
export function i64ShrS(s: Int32Array, d: number, a: number, b: number): void {
  const k = s[b] & 63;
  const lo = s[a];
  const hi = s[a + 1];
  if (k === 0) {
    s[d] = lo;
    s[d + 1] = hi;
  } else if (k < 32) {
    s[d] = (lo >>> k) | (hi << (32 - k));
    s[d + 1] = hi >> k;
  } else {
    s[d] = hi >> (k - 32);
    s[d + 1] = hi >> 31;
  }
}

/** `i64.shr_u`: logical shift right by the i64 at word `b`, modulo 64. */
export function i64ShrU(s: Int32Array, d: number, a: number, b: number): void {
  const k = s[b] & 63;
  const lo = s[a];
  const hi = s[a + 1];
  if (k === 0) {
    s[d] = lo;
    s[d + 1] = hi;
  } else if (k < 32) {
    s[d] = (lo >>> k) | (hi << (32 - k));
    s[d + 1] = hi >>> k;
  } else {
    s[d] = hi >>> (k - 32);
    s[d + 1] = 0;
  }
}

/** `i64.rotl`: rotate left by the i64 at word `b`, modulo 64. */
export function i64Rotl(s: Int32Array, d: number, a: number, b: number): void {
  let k = s[b] & 63;
  let lo = s[a];
  let hi = s[a + 1];
  if (k >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    k -= 32;
  }
  if (k === 0) {
    s[d] = lo;
    s[d + 1] = hi;
  } else {
    s[d] = (lo << k) | (hi >>> (32 - k));
    s[d + 1] = (hi << k) | (lo >>> (32 - k));
  }
}

/** `i64.rotr`: rotate right by the i64 at word `b`, modulo 64. */
export function i64Rotr(s: Int32Array, d: number, a: number, b: number): void {
  let k = s[b] & 63;
  let lo = s[a];
  let hi = s[a + 1];
  if (k >= 32) {
    const t = lo;
    lo = hi;
    hi = t;
    k -= 32;
  }
  if (k === 0) {
    s[d] = lo;
    s[d + 1] = hi;
  } else {
    s[d] = (lo >>> k) | (hi << (32 - k));
    s[d + 1] = (hi >>> k) | (lo << (32 - k));
  }
}

/** `i64.clz`: count of leading zero bits (0..64), written as an i64. */
export function i64Clz(s: Int32Array, d: number, a: number): void {
  const hi = s[a + 1];
  s[d] = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(s[a]);
  s[d + 1] = 0;
}

/** Trailing zero bits of a 32-bit word (32 for zero). */
function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/** `i64.ctz`: count of trailing zero bits (0..64), written as an i64. */
export function i64Ctz(s: Int32Array, d: number, a: number): void {
  const lo = s[a];
  s[d] = lo !== 0 ? ctz32(lo) : 32 + ctz32(s[a + 1]);
  s[d + 1] = 0;
}

/** Number of one bits in a 32-bit word. */
function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** `i64.popcnt`: count of one bits (0..64), written as an i64. */
export function i64Popcnt(s: Int32Array, d: number, a: number): void {
  const n = popcnt32(s[a]) + popcnt32(s[a + 1]);
  s[d] = n;
  s[d + 1] = 0;
}

/** `i64.eqz`. */
export function i64Eqz(s: Int32Array, a: number): boolean {
  return (s[a] | s[a + 1]) === 0;
}

/** `i64.eq`. */
export function i64Eq(s: Int32Array, a: number, b: number): boolean {
  return s[a] === s[b] && s[a + 1] === s[b + 1];
}

/** `i64.ne`. */
export function i64Ne(s: Int32Array, a: number, b: number): boolean {
  return s[a] !== s[b] || s[a + 1] !== s[b + 1];
}

/** `i64.lt_s`. */
export function i64LtS(s: Int32Array, a: number, b: number): boolean {
  const ah = s[a + 1];
  const bh = s[b + 1];
  return ah < bh || (ah === bh && s[a] >>> 0 < s[b] >>> 0);
}

/** `i64.lt_u`. */
export function i64LtU(s: Int32Array, a: number, b: number): boolean {
  const ah = s[a + 1];
  const bh = s[b + 1];
  return ah >>> 0 < bh >>> 0 || (ah === bh && s[a] >>> 0 < s[b] >>> 0);
}

/** `i64.gt_s`. */
export function i64GtS(s: Int32Array, a: number, b: number): boolean {
  return i64LtS(s, b, a);
}

/** `i64.gt_u`. */
export function i64GtU(s: Int32Array, a: number, b: number): boolean {
  return i64LtU(s, b, a);
}

/** `i64.le_s`. */
export function i64LeS(s: Int32Array, a: number, b: number): boolean {
  return !i64LtS(s, b, a);
}

/** `i64.le_u`. */
export function i64LeU(s: Int32Array, a: number, b: number): boolean {
  return !i64LtU(s, b, a);
}

/** `i64.ge_s`. */
export function i64GeS(s: Int32Array, a: number, b: number): boolean {
  return !i64LtS(s, a, b);
}

/** `i64.ge_u`. */
export function i64GeU(s: Int32Array, a: number, b: number): boolean {
  return !i64LtU(s, a, b);
}

/** `i64.extend8_s`: sign-extends the low 8 bits. */
export function i64Extend8S(s: Int32Array, d: number, a: number): void {
  const lo = (s[a] << 24) >> 24;
  s[d] = lo;
  s[d + 1] = lo >> 31;
}

/** `i64.extend16_s`: sign-extends the low 16 bits. */
export function i64Extend16S(s: Int32Array, d: number, a: number): void {
  const lo = (s[a] << 16) >> 16;
  s[d] = lo;
  s[d + 1] = lo >> 31;
}

/** `i64.extend32_s`: sign-extends the low 32 bits. */
export function i64Extend32S(s: Int32Array, d: number, a: number): void {
  const lo = s[a];
  s[d] = lo;
  s[d + 1] = lo >> 31;
}

/** `i64.extend_i32_s`: writes the int32 `x` sign-extended. */
export function i64ExtendI32S(s: Int32Array, d: number, x: number): void {
  s[d] = x;
  s[d + 1] = x >> 31;
}

/** `i64.extend_i32_u`: writes the 32-bit `x` zero-extended. */
export function i64ExtendI32U(s: Int32Array, d: number, x: number): void {
  s[d] = x;
  s[d + 1] = 0;
}

/** `i32.wrap_i64`: the low word. */
export function i32WrapI64(s: Int32Array, a: number): number {
  return s[a];
}
