/**
 * Fixed-width SIMD (v128) instructions: the internal op SIMD (`translate/opcodes.ts`), laid out
 * `[SIMD, cost, len, sub, operand...]` (`translate/simd.ts` says what the operands of each sub-op
 * are), called from the dispatch loop's own `SIMD` case with every loop register saved in `ctx`.
 *
 * A v128 lives in two consecutive value slots (words `w .. w+3`, byte `i` of the vector is byte
 * `i` of those words in little-endian order, as in memory). Each op copies its v128 operands into
 * small scratch buffers, computes the result lane by lane through typed-array views of them (the
 * views give the lane shapes and the wrapping of integer lanes), and writes it back: operands are
 * all read before the destination is written, so a destination may be an operand.
 *
 * Floats: lanes that are only moved or selected (splat, extract/replace_lane, shuffle, abs, neg,
 * pmin, pmax, bitwise ops) are moved as bits, so NaN payloads survive; arithmetic lanes go through
 * `Float32Array`/`Float64Array` (one rounding to f32, as the scalar path) and the numeric helpers
 * of `numeric/` (min, max, rounding, conversions), whose NaN results are canonical.
 *
 * Relaxed SIMD (sub-ops 0x100..0x113) gives the results of the spec's *deterministic profile*
 * (every choice parameter 0), the same on every host: `relaxed_swizzle` is `swizzle`; the
 * `relaxed_trunc` ops are the saturating truncations; `relaxed_madd`/`relaxed_nmadd` are unfused
 * (`a*b` rounded, then `+ c` rounded; nmadd negates `a`); `relaxed_laneselect` is `bitselect`;
 * `relaxed_min`/`relaxed_max` are `min`/`max`; `relaxed_q15mulr_s` is `q15mulr_sat_s`; the relaxed
 * dot products treat the second operand as signed and saturate the i16 sums.
 */
import { RuntimeError } from "../errors.js";
import { f32Ceil, f32Floor, f32Max, f32Min, f32Nearest, f32Trunc, f64Ceil, f64Floor, f64Max, f64Min, f64Nearest, f64Trunc } from "../numeric/float.js";
import { i32TruncSatF64S, i32TruncSatF64U } from "../numeric/convert.js";
import { i64Add, i64Mul, i64Shl, i64ShrS, i64ShrU, i64Sub } from "../numeric/i64.js";
import type { GlobalInst } from "../runtime/global.js";
import type { ExecContext } from "./context.js";
import { effectiveAddress64 } from "./memory-n.js";

/** A 16-byte scratch vector with every lane view. */
class Vec {
  readonly buf = new ArrayBuffer(16);
  readonly i8 = new Int8Array(this.buf);
  readonly u8 = new Uint8Array(this.buf);
  readonly i16 = new Int16Array(this.buf);
  readonly u16 = new Uint16Array(this.buf);
  readonly i32 = new Int32Array(this.buf);
  readonly u32 = new Uint32Array(this.buf);
  readonly i64 = new BigInt64Array(this.buf);
  readonly u64 = new BigUint64Array(this.buf);
  readonly f32 = new Float32Array(this.buf);
  readonly f64 = new Float64Array(this.buf);
}

const A = new Vec(), B = new Vec(), C = new Vec(), R = new Vec();

// Lane views of the value store (re-made when the store's buffer is replaced): the elementwise
// operations read and write lanes in place (each result lane depends only on the same lanes of the
// operands, so a destination that is also an operand is fine).
let vbuf: ArrayBuffer | undefined;
let v8 = new Int8Array(0), vu8 = new Uint8Array(0), v16 = new Int16Array(0), vu16 = new Uint16Array(0);
let vu32 = new Uint32Array(0), vf32 = new Float32Array(0), vf64 = new Float64Array(0);
function views(buf: ArrayBuffer): void {
  vbuf = buf;
  v8 = new Int8Array(buf);
  vu8 = new Uint8Array(buf);
  v16 = new Int16Array(buf);
  vu16 = new Uint16Array(buf);
  vu32 = new Uint32Array(buf);
  vf32 = new Float32Array(buf);
  vf64 = new Float64Array(buf);
}

/** Loads the v128 at word `w` of `s` into `v`. */
function get(v: Vec, s: Int32Array, w: number): void {
  const x = v.i32;
  x[0] = s[w]!;
  x[1] = s[w + 1]!;
  x[2] = s[w + 2]!;
  x[3] = s[w + 3]!;
}

/** Stores `v` at word `w` of `s`. */
function put(v: Vec, s: Int32Array, w: number): void {
  const x = v.i32;
  s[w] = x[0]!;
  s[w + 1] = x[1]!;
  s[w + 2] = x[2]!;
  s[w + 3] = x[3]!;
}

function oob(ea: number, size: number, len: number): RuntimeError {
  return new RuntimeError("out-of-bounds-memory-access", `access of ${size} bytes at ${ea} but memory has ${len} bytes`);
}

/**
 * The bytes of the memory the SIMD op at `ctx.pc` accesses (its last word is the memory index;
 * on a 64-bit memory the word before it is the offset's high word), after the bounds check of an
 * access of `size` bytes at the address in value word `aw` (an i64 on a 64-bit memory: words
 * `aw`, `aw + 1`) plus `offset`; the effective address is left in `ea`, the memory's DataView in `mdv`.
 */
let ea = 0;
let mdv: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
function memory(ctx: ExecContext, aw: number, offset: number, size: number): Uint8Array {
  const code = ctx.inst!.compiled.code, pc = ctx.pc, last = pc + code[pc + 2]! - 1;
  const mem = ctx.inst!.memories[code[last]!];
  if (mem !== undefined && mem.is64) {
    ea = effectiveAddress64(mem, code[last]!, ctx.s32[aw]!, ctx.s32[aw + 1]!, offset, code[last - 1]!, size);
    mdv = mem.dv;
    return mem.u8;
  }
  const u8 = mem === undefined ? EMPTY : mem.u8;
  ea = (ctx.s32[aw]! >>> 0) + (offset >>> 0);
  if (ea + size > u8.length) throw oob(ea, size, u8.length);
  if (mem !== undefined) mdv = mem.dv;
  return u8;
}
const EMPTY = new Uint8Array(0);

function satS8(x: number): number { return x < -128 ? -128 : x > 127 ? 127 : x; }
function satU8(x: number): number { return x < 0 ? 0 : x > 255 ? 255 : x; }
function satS16(x: number): number { return x < -32768 ? -32768 : x > 32767 ? 32767 : x; }
function satU16(x: number): number { return x < 0 ? 0 : x > 65535 ? 65535 : x; }

function popcnt8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

/** Runs the SIMD op at `ctx.pc`; returns the pc of the next op. */
export function simdOp(ctx: ExecContext): number {
  const code = ctx.inst!.compiled.code;
  const pc = ctx.pc;
  const fp = ctx.fp;
  const s = ctx.s32;
  const len = code[pc + 2]!;
  const sub = code[pc + 3]!;
  const o = pc + 4; // first operand
  const r = R;
  if (ctx.buf !== vbuf) views(ctx.buf);
  switch (sub) {
    // ---- elementwise operations, in place on the lanes of the value store -----------------------
    case 0x4d: { const d = fp + code[o]!, a = fp + code[o + 1]!; s[d] = ~s[a]!; s[d + 1] = ~s[a + 1]!; s[d + 2] = ~s[a + 2]!; s[d + 3] = ~s[a + 3]!; break; }
    case 0x4e: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! & s[b + i]!; break; }
    case 0x4f: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! & ~s[b + i]!; break; }
    case 0x50: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! | s[b + i]!; break; }
    case 0x51: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! ^ s[b + i]!; break; }
    case 0x109: case 0x10a: case 0x10b: case 0x10c: // iNxM.relaxed_laneselect: as bitselect (every mask bit used)
    case 0x52: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!, c = fp + code[o + 3]!; for (let i = 0; i < 4; i++) { const m = s[c + i]!; s[d + i] = (s[a + i]! & m) | (s[b + i]! & ~m); } break; }
    // i8x16
    case 0x23: { const d = 4 * (fp + code[o]!), a = 4 * (fp + code[o + 1]!), b = 4 * (fp + code[o + 2]!); for (let i = 0; i < 16; i++) v8[d + i] = v8[a + i] === v8[b + i] ? -1 : 0; break; }
    case 0x24: { const d = 4 * (fp + code[o]!), a = 4 * (fp + code[o + 1]!), b = 4 * (fp + code[o + 2]!); for (let i = 0; i < 16; i++) v8[d + i] = v8[a + i] !== v8[b + i] ? -1 : 0; break; }
    case 0x6e: { const d = 4 * (fp + code[o]!), a = 4 * (fp + code[o + 1]!), b = 4 * (fp + code[o + 2]!); for (let i = 0; i < 16; i++) v8[d + i] = v8[a + i]! + v8[b + i]!; break; }
    case 0x71: { const d = 4 * (fp + code[o]!), a = 4 * (fp + code[o + 1]!), b = 4 * (fp + code[o + 2]!); for (let i = 0; i < 16; i++) v8[d + i] = v8[a + i]! - v8[b + i]!; break; }
    case 0x77: { const d = 4 * (fp + code[o]!), a = 4 * (fp + code[o + 1]!), b = 4 * (fp + code[o + 2]!); for (let i = 0; i < 16; i++) { const x = vu8[a + i]!, y = vu8[b + i]!; vu8[d + i] = x < y ? x : y; } break; }
    case 0x79: { const d = 4 * (fp + code[o]!), a = 4 * (fp + code[o + 1]!), b = 4 * (fp + code[o + 2]!); for (let i = 0; i < 16; i++) { const x = vu8[a + i]!, y = vu8[b + i]!; vu8[d + i] = x > y ? x : y; } break; }
    // i16x8
    case 0x2d: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), b = 2 * (fp + code[o + 2]!); for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i] === v16[b + i] ? -1 : 0; break; }
    case 0x2f: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), b = 2 * (fp + code[o + 2]!); for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i]! < v16[b + i]! ? -1 : 0; break; }
    case 0x31: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), b = 2 * (fp + code[o + 2]!); for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i]! > v16[b + i]! ? -1 : 0; break; }
    case 0x8b: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), n = s[fp + code[o + 2]!]! & 15; for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i]! << n; break; }
    case 0x8c: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), n = s[fp + code[o + 2]!]! & 15; for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i]! >> n; break; }
    case 0x8d: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), n = s[fp + code[o + 2]!]! & 15; for (let i = 0; i < 8; i++) vu16[d + i] = vu16[a + i]! >>> n; break; }
    case 0x8e: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), b = 2 * (fp + code[o + 2]!); for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i]! + v16[b + i]!; break; }
    case 0x91: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), b = 2 * (fp + code[o + 2]!); for (let i = 0; i < 8; i++) v16[d + i] = v16[a + i]! - v16[b + i]!; break; }
    case 0x95: { const d = 2 * (fp + code[o]!), a = 2 * (fp + code[o + 1]!), b = 2 * (fp + code[o + 2]!); for (let i = 0; i < 8; i++) v16[d + i] = Math.imul(v16[a + i]!, v16[b + i]!); break; }
    // i32x4
    case 0x37: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i] === s[b + i] ? -1 : 0; break; }
    case 0x39: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! < s[b + i]! ? -1 : 0; break; }
    case 0x3b: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! > s[b + i]! ? -1 : 0; break; }
    case 0xab: { const d = fp + code[o]!, a = fp + code[o + 1]!, n = s[fp + code[o + 2]!]! & 31; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! << n; break; }
    case 0xac: { const d = fp + code[o]!, a = fp + code[o + 1]!, n = s[fp + code[o + 2]!]! & 31; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! >> n; break; }
    case 0xad: { const d = fp + code[o]!, a = fp + code[o + 1]!, n = s[fp + code[o + 2]!]! & 31; for (let i = 0; i < 4; i++) s[d + i] = s[a + i]! >>> n; break; }
    case 0xae: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = (s[a + i]! + s[b + i]!) | 0; break; }
    case 0xb1: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = (s[a + i]! - s[b + i]!) | 0; break; }
    case 0xb5: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) s[d + i] = Math.imul(s[a + i]!, s[b + i]!); break; }
    case 0xb6: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) { const x = s[a + i]!, y = s[b + i]!; s[d + i] = x < y ? x : y; } break; }
    case 0xb8: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) { const x = s[a + i]!, y = s[b + i]!; s[d + i] = x > y ? x : y; } break; }
    case 0xb7: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) { const x = vu32[a + i]!, y = vu32[b + i]!; vu32[d + i] = x < y ? x : y; } break; }
    case 0xb9: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) { const x = vu32[a + i]!, y = vu32[b + i]!; vu32[d + i] = x > y ? x : y; } break; }
    // i64x2 (on 32-bit halves)
    case 0xce: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; i64Add(s, d, a, b); i64Add(s, d + 2, a + 2, b + 2); break; }
    case 0xd1: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; i64Sub(s, d, a, b); i64Sub(s, d + 2, a + 2, b + 2); break; }
    case 0xd5: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; i64Mul(s, d, a, b); i64Mul(s, d + 2, a + 2, b + 2); break; }
    case 0xcb: { const d = fp + code[o]!, a = fp + code[o + 1]!, n = fp + code[o + 2]!; i64Shl(s, d, a, n); i64Shl(s, d + 2, a + 2, n); break; }
    case 0xcc: { const d = fp + code[o]!, a = fp + code[o + 1]!, n = fp + code[o + 2]!; i64ShrS(s, d, a, n); i64ShrS(s, d + 2, a + 2, n); break; }
    case 0xcd: { const d = fp + code[o]!, a = fp + code[o + 1]!, n = fp + code[o + 2]!; i64ShrU(s, d, a, n); i64ShrU(s, d + 2, a + 2, n); break; }
    // f32x4, f64x2 arithmetic (one rounding per lane through the Float32Array)
    case 0xe4: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) vf32[d + i] = vf32[a + i]! + vf32[b + i]!; break; }
    case 0xe5: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) vf32[d + i] = vf32[a + i]! - vf32[b + i]!; break; }
    case 0xe6: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) vf32[d + i] = vf32[a + i]! * vf32[b + i]!; break; }
    case 0xe7: { const d = fp + code[o]!, a = fp + code[o + 1]!, b = fp + code[o + 2]!; for (let i = 0; i < 4; i++) vf32[d + i] = vf32[a + i]! / vf32[b + i]!; break; }
    case 0xf0: { const d = (fp + code[o]!) >> 1, a = (fp + code[o + 1]!) >> 1, b = (fp + code[o + 2]!) >> 1; vf64[d] = vf64[a]! + vf64[b]!; vf64[d + 1] = vf64[a + 1]! + vf64[b + 1]!; break; }
    case 0xf1: { const d = (fp + code[o]!) >> 1, a = (fp + code[o + 1]!) >> 1, b = (fp + code[o + 2]!) >> 1; vf64[d] = vf64[a]! - vf64[b]!; vf64[d + 1] = vf64[a + 1]! - vf64[b + 1]!; break; }
    case 0xf2: { const d = (fp + code[o]!) >> 1, a = (fp + code[o + 1]!) >> 1, b = (fp + code[o + 2]!) >> 1; vf64[d] = vf64[a]! * vf64[b]!; vf64[d + 1] = vf64[a + 1]! * vf64[b + 1]!; break; }
    case 0xf3: { const d = (fp + code[o]!) >> 1, a = (fp + code[o + 1]!) >> 1, b = (fp + code[o + 2]!) >> 1; vf64[d] = vf64[a]! / vf64[b]!; vf64[d + 1] = vf64[a + 1]! / vf64[b + 1]!; break; }
    // ---- memory -------------------------------------------------------------------------------
    case 0x00: { // v128.load: d addr offset
      memory(ctx, fp + code[o + 1]!, code[o + 2]!, 16);
      const dv = mdv, d = fp + code[o]!, e = ea;
      s[d] = dv.getInt32(e, true); s[d + 1] = dv.getInt32(e + 4, true); s[d + 2] = dv.getInt32(e + 8, true); s[d + 3] = dv.getInt32(e + 12, true);
      break;
    }
    case 0x01: case 0x02: case 0x03: case 0x04: case 0x05: case 0x06: { // v128.loadNxM_s/u
      const m = memory(ctx, fp + code[o + 1]!, code[o + 2]!, 8);
      const t = A;
      for (let i = 0; i < 8; i++) t.u8[i] = m[ea + i]!;
      switch (sub) {
        case 0x01: for (let i = 0; i < 8; i++) r.i16[i] = t.i8[i]!; break;
        case 0x02: for (let i = 0; i < 8; i++) r.i16[i] = t.u8[i]!; break;
        case 0x03: for (let i = 0; i < 4; i++) r.i32[i] = t.i16[i]!; break;
        case 0x04: for (let i = 0; i < 4; i++) r.i32[i] = t.u16[i]!; break;
        case 0x05: r.i32[0] = t.i32[0]!; r.i32[1] = t.i32[0]! >> 31; r.i32[2] = t.i32[1]!; r.i32[3] = t.i32[1]! >> 31; break;
        default: r.i32[0] = t.i32[0]!; r.i32[1] = 0; r.i32[2] = t.i32[1]!; r.i32[3] = 0; break;
      }
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x07: case 0x08: case 0x09: case 0x0a: { // v128.loadN_splat
      const size = 1 << (sub - 0x07);
      const m = memory(ctx, fp + code[o + 1]!, code[o + 2]!, size);
      for (let i = 0; i < 16; i++) r.u8[i] = m[ea + (i & (size - 1))]!;
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x0b: { // v128.store: addr v offset
      memory(ctx, fp + code[o]!, code[o + 2]!, 16);
      const dv = mdv, a = fp + code[o + 1]!, e = ea;
      dv.setInt32(e, s[a]!, true); dv.setInt32(e + 4, s[a + 1]!, true); dv.setInt32(e + 8, s[a + 2]!, true); dv.setInt32(e + 12, s[a + 3]!, true);
      break;
    }
    case 0x5c: case 0x5d: { // v128.load32_zero / load64_zero
      memory(ctx, fp + code[o + 1]!, code[o + 2]!, sub === 0x5c ? 4 : 8);
      const dv = mdv, d = fp + code[o]!, e = ea;
      s[d] = dv.getInt32(e, true);
      s[d + 1] = sub === 0x5c ? 0 : dv.getInt32(e + 4, true);
      s[d + 2] = 0;
      s[d + 3] = 0;
      break;
    }
    case 0x54: case 0x55: case 0x56: case 0x57: { // v128.loadN_lane: d addr v offset lane
      const size = 1 << (sub - 0x54);
      const m = memory(ctx, fp + code[o + 1]!, code[o + 3]!, size);
      get(r, s, fp + code[o + 2]!);
      const at = code[o + 4]! * size;
      for (let i = 0; i < size; i++) r.u8[at + i] = m[ea + i]!;
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x58: case 0x59: case 0x5a: case 0x5b: { // v128.storeN_lane: addr v offset lane
      const size = 1 << (sub - 0x58);
      const m = memory(ctx, fp + code[o]!, code[o + 2]!, size);
      get(A, s, fp + code[o + 1]!);
      const at = code[o + 3]! * size;
      for (let i = 0; i < size; i++) m[ea + i] = A.u8[at + i]!;
      break;
    }
    // ---- constants, shuffles, splats, lanes ----------------------------------------------------
    case 0x0c: { // v128.const: d w0 w1 w2 w3
      const d = fp + code[o]!;
      s[d] = code[o + 1]!;
      s[d + 1] = code[o + 2]!;
      s[d + 2] = code[o + 3]!;
      s[d + 3] = code[o + 4]!;
      break;
    }
    case 0x0d: { // i8x16.shuffle: d a b lanes(4 words)
      get(A, s, fp + code[o + 1]!);
      get(B, s, fp + code[o + 2]!);
      const d = 4 * (fp + code[o]!), au = A.u8, bu = B.u8;
      for (let w = 0; w < 4; w++) {
        const lanes = code[o + 3 + w]!;
        for (let k = 0; k < 4; k++) {
          const l = (lanes >>> (8 * k)) & 0xff;
          vu8[d + 4 * w + k] = l < 16 ? au[l]! : bu[l - 16]!;
        }
      }
      break;
    }
    case 0x0e: // i8x16.swizzle
    case 0x100: { // i8x16.relaxed_swizzle: as swizzle (an index >= 16 gives 0)
      get(A, s, fp + code[o + 1]!);
      get(B, s, fp + code[o + 2]!);
      for (let i = 0; i < 16; i++) {
        const l = B.u8[i]!;
        r.u8[i] = l < 16 ? A.u8[l]! : 0;
      }
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x0f: case 0x10: case 0x11: case 0x13: { // i8x16/i16x8/i32x4/f32x4.splat (f32: bits)
      const x = s[fp + code[o + 1]!]!;
      const w = sub === 0x0f ? Math.imul(x & 0xff, 0x01010101) : sub === 0x10 ? Math.imul(x & 0xffff, 0x00010001) : x;
      const d = fp + code[o]!;
      s[d] = w; s[d + 1] = w; s[d + 2] = w; s[d + 3] = w;
      break;
    }
    case 0x12: case 0x14: { // i64x2.splat, f64x2.splat (bits)
      const a = fp + code[o + 1]!, lo = s[a]!, hi = s[a + 1]!;
      const d = fp + code[o]!;
      s[d] = lo; s[d + 1] = hi; s[d + 2] = lo; s[d + 3] = hi;
      break;
    }
    case 0x15: case 0x16: { // i8x16.extract_lane_s/u: d a lane
      get(A, s, fp + code[o + 1]!);
      const l = code[o + 2]!;
      s[fp + code[o]!] = sub === 0x15 ? A.i8[l]! : A.u8[l]!;
      break;
    }
    case 0x18: case 0x19: {
      get(A, s, fp + code[o + 1]!);
      const l = code[o + 2]!;
      s[fp + code[o]!] = sub === 0x18 ? A.i16[l]! : A.u16[l]!;
      break;
    }
    case 0x1b: case 0x1f: // i32x4/f32x4.extract_lane (bits)
      s[fp + code[o]!] = s[fp + code[o + 1]! + code[o + 2]!]!;
      break;
    case 0x1d: case 0x21: { // i64x2/f64x2.extract_lane (bits)
      const a = fp + code[o + 1]! + 2 * code[o + 2]!, d = fp + code[o]!;
      const lo = s[a]!, hi = s[a + 1]!;
      s[d] = lo;
      s[d + 1] = hi;
      break;
    }
    case 0x17: case 0x1a: case 0x1c: case 0x1e: case 0x20: case 0x22: { // *.replace_lane: d a x lane
      get(r, s, fp + code[o + 1]!);
      const x = fp + code[o + 2]!, l = code[o + 3]!;
      switch (sub) {
        case 0x17: r.i8[l] = s[x]!; break;
        case 0x1a: r.i16[l] = s[x]!; break;
        case 0x1c: case 0x20: r.i32[l] = s[x]!; break;
        default: r.i32[2 * l] = s[x]!; r.i32[2 * l + 1] = s[x + 1]!; break;
      }
      put(r, s, fp + code[o]!);
      break;
    }
    // ---- any_true ----------------------------------------------------------------------------
    case 0x53: { // v128.any_true
      const a = fp + code[o + 1]!;
      s[fp + code[o]!] = (s[a]! | s[a + 1]! | s[a + 2]! | s[a + 3]!) !== 0 ? 1 : 0;
      break;
    }
    // ---- all_true, bitmask ----------------------------------------------------------------------
    case 0x63: case 0x83: case 0xa3: case 0xc3: { // *.all_true
      get(A, s, fp + code[o + 1]!);
      let t = 1;
      if (sub === 0x63) { for (let i = 0; i < 16; i++) if (A.u8[i] === 0) t = 0; }
      else if (sub === 0x83) { for (let i = 0; i < 8; i++) if (A.u16[i] === 0) t = 0; }
      else if (sub === 0xa3) { for (let i = 0; i < 4; i++) if (A.i32[i] === 0) t = 0; }
      else { for (let i = 0; i < 2; i++) if (A.i32[2 * i] === 0 && A.i32[2 * i + 1] === 0) t = 0; }
      s[fp + code[o]!] = t;
      break;
    }
    case 0x64: case 0x84: case 0xa4: case 0xc4: { // *.bitmask
      get(A, s, fp + code[o + 1]!);
      let m = 0;
      if (sub === 0x64) { for (let i = 0; i < 16; i++) m |= (A.u8[i]! >>> 7) << i; }
      else if (sub === 0x84) { for (let i = 0; i < 8; i++) m |= (A.u16[i]! >>> 15) << i; }
      else if (sub === 0xa4) { for (let i = 0; i < 4; i++) m |= (A.i32[i]! >>> 31) << i; }
      else { for (let i = 0; i < 2; i++) m |= (A.i32[2 * i + 1]! >>> 31) << i; }
      s[fp + code[o]!] = m;
      break;
    }
    // ---- relaxed SIMD with three operands (the others share the cases of the ops they equal) -----
    case 0x105: case 0x106: { // f32x4.relaxed_madd / relaxed_nmadd: unfused, a*b rounded to f32, then + c
      get(A, s, fp + code[o + 1]!); get(B, s, fp + code[o + 2]!); get(C, s, fp + code[o + 3]!);
      const neg = sub === 0x106;
      for (let i = 0; i < 4; i++) r.f32[i] = Math.fround(neg ? -A.f32[i]! * B.f32[i]! : A.f32[i]! * B.f32[i]!) + C.f32[i]!;
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x107: case 0x108: { // f64x2.relaxed_madd / relaxed_nmadd: unfused, two roundings
      get(A, s, fp + code[o + 1]!); get(B, s, fp + code[o + 2]!); get(C, s, fp + code[o + 3]!);
      const neg = sub === 0x108;
      for (let i = 0; i < 2; i++) r.f64[i] = (neg ? -A.f64[i]! * B.f64[i]! : A.f64[i]! * B.f64[i]!) + C.f64[i]!;
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x113: { // i32x4.relaxed_dot_i8x16_i7x16_add_s: the signed i16 dot (saturating), pairwise into i32, + c
      get(A, s, fp + code[o + 1]!); get(B, s, fp + code[o + 2]!); get(C, s, fp + code[o + 3]!);
      for (let i = 0; i < 4; i++) {
        const lo = satS16(A.i8[4 * i]! * B.i8[4 * i]! + A.i8[4 * i + 1]! * B.i8[4 * i + 1]!);
        const hi = satS16(A.i8[4 * i + 2]! * B.i8[4 * i + 2]! + A.i8[4 * i + 3]! * B.i8[4 * i + 3]!);
        r.i32[i] = lo + hi + C.i32[i]!;
      }
      put(r, s, fp + code[o]!);
      break;
    }
    // ---- global, select, canonicalisation (the translator's own sub-ops) ----------------------
    case 0x120: { // select.v128 (translate/simd.ts SIMD_SELECT): d a b cond
      const src = s[fp + code[o + 3]!] !== 0 ? fp + code[o + 1]! : fp + code[o + 2]!;
      get(r, s, src);
      put(r, s, fp + code[o]!);
      break;
    }
    case 0x121: { // global.get.v128: d g
      const g = ctx.inst!.globals[code[o + 1]!]!;
      const v = g.ref instanceof Int32Array ? g.ref : ZERO;
      const d = fp + code[o]!;
      s[d] = v[0]!; s[d + 1] = v[1]!; s[d + 2] = v[2]!; s[d + 3] = v[3]!;
      break;
    }
    case 0x122: { // global.set.v128: g a
      const g: GlobalInst = ctx.inst!.globals[code[o]!]!;
      let v = g.ref;
      if (!(v instanceof Int32Array)) g.ref = v = new Int32Array(4);
      const a = fp + code[o + 1]!;
      const w = v as Int32Array;
      w[0] = s[a]!; w[1] = s[a + 1]!; w[2] = s[a + 2]!; w[3] = s[a + 3]!;
      break;
    }
    case 0x123: { // canon.f32x4
      const d = fp + code[o]!;
      for (let i = 0; i < 4; i++) if ((s[d + i]! & 0x7f800000) === 0x7f800000 && (s[d + i]! & 0x7fffff) !== 0) s[d + i] = 0x7fc00000;
      break;
    }
    case 0x124: { // canon.f64x2
      const d = fp + code[o]!;
      for (let i = 0; i < 4; i += 2) {
        const hi = s[d + i + 1]!;
        if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || s[d + i] !== 0)) {
          s[d + i] = 0;
          s[d + i + 1] = 0x7ff80000;
        }
      }
      break;
    }
    default:
      lanewise(ctx, sub, code, o, s, fp);
  }
  return pc + len;
}

const ZERO = new Int32Array(4);

/** The lane-wise operations (one result v128 at `d`, operands `a` and maybe `b`). */
function lanewise(ctx: ExecContext, sub: number, code: Int32Array, o: number, s: Int32Array, fp: number): void {
  const d = fp + code[o]!;
  get(A, s, fp + code[o + 1]!);
  const binary = UNARY_OR_BINARY[sub];
  if (binary === 0) throw new Error(`executor: unknown SIMD sub-op ${sub} at ${ctx.pc}`);
  if (binary === 2) get(B, s, fp + code[o + 2]!);
  const r = R, a = A, b = B;
  switch (sub) {
    // ---- comparisons ---------------------------------------------------------------------------
    case 0x25: for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! < b.i8[i]! ? -1 : 0; break;
    case 0x26: for (let i = 0; i < 16; i++) r.i8[i] = a.u8[i]! < b.u8[i]! ? -1 : 0; break;
    case 0x27: for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! > b.i8[i]! ? -1 : 0; break;
    case 0x28: for (let i = 0; i < 16; i++) r.i8[i] = a.u8[i]! > b.u8[i]! ? -1 : 0; break;
    case 0x29: for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! <= b.i8[i]! ? -1 : 0; break;
    case 0x2a: for (let i = 0; i < 16; i++) r.i8[i] = a.u8[i]! <= b.u8[i]! ? -1 : 0; break;
    case 0x2b: for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! >= b.i8[i]! ? -1 : 0; break;
    case 0x2c: for (let i = 0; i < 16; i++) r.i8[i] = a.u8[i]! >= b.u8[i]! ? -1 : 0; break;
    case 0x2e: for (let i = 0; i < 8; i++) r.i16[i] = a.i16[i] !== b.i16[i] ? -1 : 0; break;
    case 0x30: for (let i = 0; i < 8; i++) r.i16[i] = a.u16[i]! < b.u16[i]! ? -1 : 0; break;
    case 0x32: for (let i = 0; i < 8; i++) r.i16[i] = a.u16[i]! > b.u16[i]! ? -1 : 0; break;
    case 0x33: for (let i = 0; i < 8; i++) r.i16[i] = a.i16[i]! <= b.i16[i]! ? -1 : 0; break;
    case 0x34: for (let i = 0; i < 8; i++) r.i16[i] = a.u16[i]! <= b.u16[i]! ? -1 : 0; break;
    case 0x35: for (let i = 0; i < 8; i++) r.i16[i] = a.i16[i]! >= b.i16[i]! ? -1 : 0; break;
    case 0x36: for (let i = 0; i < 8; i++) r.i16[i] = a.u16[i]! >= b.u16[i]! ? -1 : 0; break;
    case 0x38: for (let i = 0; i < 4; i++) r.i32[i] = a.i32[i] !== b.i32[i] ? -1 : 0; break;
    case 0x3a: for (let i = 0; i < 4; i++) r.i32[i] = a.u32[i]! < b.u32[i]! ? -1 : 0; break;
    case 0x3c: for (let i = 0; i < 4; i++) r.i32[i] = a.u32[i]! > b.u32[i]! ? -1 : 0; break;
    case 0x3d: for (let i = 0; i < 4; i++) r.i32[i] = a.i32[i]! <= b.i32[i]! ? -1 : 0; break;
    case 0x3e: for (let i = 0; i < 4; i++) r.i32[i] = a.u32[i]! <= b.u32[i]! ? -1 : 0; break;
    case 0x3f: for (let i = 0; i < 4; i++) r.i32[i] = a.i32[i]! >= b.i32[i]! ? -1 : 0; break;
    case 0x40: for (let i = 0; i < 4; i++) r.i32[i] = a.u32[i]! >= b.u32[i]! ? -1 : 0; break;
    case 0x41: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i] === b.f32[i] ? -1 : 0; break;
    case 0x42: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i] !== b.f32[i] ? -1 : 0; break;
    case 0x43: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i]! < b.f32[i]! ? -1 : 0; break;
    case 0x44: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i]! > b.f32[i]! ? -1 : 0; break;
    case 0x45: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i]! <= b.f32[i]! ? -1 : 0; break;
    case 0x46: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i]! >= b.f32[i]! ? -1 : 0; break;
    case 0x47: for (let i = 0; i < 2; i++) r.i64[i] = a.f64[i] === b.f64[i] ? -1n : 0n; break;
    case 0x48: for (let i = 0; i < 2; i++) r.i64[i] = a.f64[i] !== b.f64[i] ? -1n : 0n; break;
    case 0x49: for (let i = 0; i < 2; i++) r.i64[i] = a.f64[i]! < b.f64[i]! ? -1n : 0n; break;
    case 0x4a: for (let i = 0; i < 2; i++) r.i64[i] = a.f64[i]! > b.f64[i]! ? -1n : 0n; break;
    case 0x4b: for (let i = 0; i < 2; i++) r.i64[i] = a.f64[i]! <= b.f64[i]! ? -1n : 0n; break;
    case 0x4c: for (let i = 0; i < 2; i++) r.i64[i] = a.f64[i]! >= b.f64[i]! ? -1n : 0n; break;
    case 0xd6: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i] === b.i64[i] ? -1n : 0n; break;
    case 0xd7: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i] !== b.i64[i] ? -1n : 0n; break;
    case 0xd8: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i]! < b.i64[i]! ? -1n : 0n; break;
    case 0xd9: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i]! > b.i64[i]! ? -1n : 0n; break;
    case 0xda: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i]! <= b.i64[i]! ? -1n : 0n; break;
    case 0xdb: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i]! >= b.i64[i]! ? -1n : 0n; break;
    // ---- float conversions -----------------------------------------------------------------------
    case 0x5e: // f32x4.demote_f64x2_zero
      r.f32[0] = a.f64[0]!; r.f32[1] = a.f64[1]!; r.i32[2] = 0; r.i32[3] = 0;
      for (let i = 0; i < 2; i++) if (r.f32[i] !== r.f32[i]) r.i32[i] = 0x7fc00000;
      break;
    case 0x5f: // f64x2.promote_low_f32x4
      for (let i = 0; i < 2; i++) {
        const x = a.f32[i]!;
        r.f64[i] = x !== x ? NaN : x;
      }
      break;
    case 0x101: // i32x4.relaxed_trunc_f32x4_s: as trunc_sat
    case 0xf8: for (let i = 0; i < 4; i++) r.i32[i] = i32TruncSatF64S(a.f32[i]!); break;
    case 0x102: // i32x4.relaxed_trunc_f32x4_u: as trunc_sat
    case 0xf9: for (let i = 0; i < 4; i++) r.i32[i] = i32TruncSatF64U(a.f32[i]!); break;
    case 0xfa: for (let i = 0; i < 4; i++) r.f32[i] = a.i32[i]!; break;
    case 0xfb: for (let i = 0; i < 4; i++) r.f32[i] = a.u32[i]!; break;
    case 0x103: // i32x4.relaxed_trunc_f64x2_s_zero: as trunc_sat
    case 0xfc: r.i32[0] = i32TruncSatF64S(a.f64[0]!); r.i32[1] = i32TruncSatF64S(a.f64[1]!); r.i32[2] = 0; r.i32[3] = 0; break;
    case 0x104: // i32x4.relaxed_trunc_f64x2_u_zero: as trunc_sat
    case 0xfd: r.i32[0] = i32TruncSatF64U(a.f64[0]!); r.i32[1] = i32TruncSatF64U(a.f64[1]!); r.i32[2] = 0; r.i32[3] = 0; break;
    case 0xfe: { const x = a.i32[0]!, y = a.i32[1]!; r.f64[0] = x; r.f64[1] = y; break; }
    case 0xff: { const x = a.u32[0]!, y = a.u32[1]!; r.f64[0] = x; r.f64[1] = y; break; }
    // ---- i8x16 -------------------------------------------------------------------------------
    case 0x60: for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! < 0 ? -a.i8[i]! : a.i8[i]!; break;
    case 0x61: for (let i = 0; i < 16; i++) r.i8[i] = -a.i8[i]!; break;
    case 0x62: for (let i = 0; i < 16; i++) r.u8[i] = popcnt8(a.u8[i]!); break;
    case 0x65: for (let i = 0; i < 8; i++) { r.i8[i] = satS8(a.i16[i]!); r.i8[i + 8] = satS8(b.i16[i]!); } break;
    case 0x66: for (let i = 0; i < 8; i++) { r.u8[i] = satU8(a.i16[i]!); r.u8[i + 8] = satU8(b.i16[i]!); } break;
    case 0x6b: { const n = s[fp + code[o + 2]!]! & 7; for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! << n; break; }
    case 0x6c: { const n = s[fp + code[o + 2]!]! & 7; for (let i = 0; i < 16; i++) r.i8[i] = a.i8[i]! >> n; break; }
    case 0x6d: { const n = s[fp + code[o + 2]!]! & 7; for (let i = 0; i < 16; i++) r.u8[i] = a.u8[i]! >>> n; break; }
    case 0x6f: for (let i = 0; i < 16; i++) r.i8[i] = satS8(a.i8[i]! + b.i8[i]!); break;
    case 0x70: for (let i = 0; i < 16; i++) r.u8[i] = satU8(a.u8[i]! + b.u8[i]!); break;
    case 0x72: for (let i = 0; i < 16; i++) r.i8[i] = satS8(a.i8[i]! - b.i8[i]!); break;
    case 0x73: for (let i = 0; i < 16; i++) r.u8[i] = satU8(a.u8[i]! - b.u8[i]!); break;
    case 0x76: for (let i = 0; i < 16; i++) r.i8[i] = Math.min(a.i8[i]!, b.i8[i]!); break;
    case 0x78: for (let i = 0; i < 16; i++) r.i8[i] = Math.max(a.i8[i]!, b.i8[i]!); break;
    case 0x7b: for (let i = 0; i < 16; i++) r.u8[i] = (a.u8[i]! + b.u8[i]! + 1) >>> 1; break;
    // ---- i16x8 -------------------------------------------------------------------------------
    case 0x7c: for (let i = 0; i < 8; i++) r.i16[i] = a.i8[2 * i]! + a.i8[2 * i + 1]!; break;
    case 0x7d: for (let i = 0; i < 8; i++) r.i16[i] = a.u8[2 * i]! + a.u8[2 * i + 1]!; break;
    case 0x80: for (let i = 0; i < 8; i++) r.i16[i] = a.i16[i]! < 0 ? -a.i16[i]! : a.i16[i]!; break;
    case 0x81: for (let i = 0; i < 8; i++) r.i16[i] = -a.i16[i]!; break;
    case 0x111: // i16x8.relaxed_q15mulr_s: as q15mulr_sat_s
    case 0x82: for (let i = 0; i < 8; i++) r.i16[i] = satS16((a.i16[i]! * b.i16[i]! + 0x4000) >> 15); break;
    case 0x85: for (let i = 0; i < 4; i++) { r.i16[i] = satS16(a.i32[i]!); r.i16[i + 4] = satS16(b.i32[i]!); } break;
    case 0x86: for (let i = 0; i < 4; i++) { r.u16[i] = satU16(a.i32[i]!); r.u16[i + 4] = satU16(b.i32[i]!); } break;
    case 0x87: for (let i = 0; i < 8; i++) r.i16[i] = a.i8[i]!; break;
    case 0x88: for (let i = 0; i < 8; i++) r.i16[i] = a.i8[i + 8]!; break;
    case 0x89: for (let i = 0; i < 8; i++) r.i16[i] = a.u8[i]!; break;
    case 0x8a: for (let i = 0; i < 8; i++) r.i16[i] = a.u8[i + 8]!; break;
    case 0x8f: for (let i = 0; i < 8; i++) r.i16[i] = satS16(a.i16[i]! + b.i16[i]!); break;
    case 0x90: for (let i = 0; i < 8; i++) r.u16[i] = satU16(a.u16[i]! + b.u16[i]!); break;
    case 0x92: for (let i = 0; i < 8; i++) r.i16[i] = satS16(a.i16[i]! - b.i16[i]!); break;
    case 0x93: for (let i = 0; i < 8; i++) r.u16[i] = satU16(a.u16[i]! - b.u16[i]!); break;
    case 0x96: for (let i = 0; i < 8; i++) r.i16[i] = Math.min(a.i16[i]!, b.i16[i]!); break;
    case 0x97: for (let i = 0; i < 8; i++) r.u16[i] = Math.min(a.u16[i]!, b.u16[i]!); break;
    case 0x98: for (let i = 0; i < 8; i++) r.i16[i] = Math.max(a.i16[i]!, b.i16[i]!); break;
    case 0x99: for (let i = 0; i < 8; i++) r.u16[i] = Math.max(a.u16[i]!, b.u16[i]!); break;
    case 0x9b: for (let i = 0; i < 8; i++) r.u16[i] = (a.u16[i]! + b.u16[i]! + 1) >>> 1; break;
    case 0x9c: for (let i = 0; i < 8; i++) r.i16[i] = a.i8[i]! * b.i8[i]!; break;
    case 0x9d: for (let i = 0; i < 8; i++) r.i16[i] = a.i8[i + 8]! * b.i8[i + 8]!; break;
    case 0x9e: for (let i = 0; i < 8; i++) r.u16[i] = a.u8[i]! * b.u8[i]!; break;
    case 0x9f: for (let i = 0; i < 8; i++) r.u16[i] = a.u8[i + 8]! * b.u8[i + 8]!; break;
    // ---- i32x4 -------------------------------------------------------------------------------
    case 0x7e: for (let i = 0; i < 4; i++) r.i32[i] = a.i16[2 * i]! + a.i16[2 * i + 1]!; break;
    case 0x7f: for (let i = 0; i < 4; i++) r.i32[i] = a.u16[2 * i]! + a.u16[2 * i + 1]!; break;
    case 0xa0: for (let i = 0; i < 4; i++) r.i32[i] = a.i32[i]! < 0 ? -a.i32[i]! : a.i32[i]!; break;
    case 0xa1: for (let i = 0; i < 4; i++) r.i32[i] = -a.i32[i]!; break;
    case 0xa7: for (let i = 0; i < 4; i++) r.i32[i] = a.i16[i]!; break;
    case 0xa8: for (let i = 0; i < 4; i++) r.i32[i] = a.i16[i + 4]!; break;
    case 0xa9: for (let i = 0; i < 4; i++) r.i32[i] = a.u16[i]!; break;
    case 0xaa: for (let i = 0; i < 4; i++) r.i32[i] = a.u16[i + 4]!; break;
    case 0x112: for (let i = 0; i < 8; i++) r.i16[i] = satS16(a.i8[2 * i]! * b.i8[2 * i]! + a.i8[2 * i + 1]! * b.i8[2 * i + 1]!); break; // i16x8.relaxed_dot_i8x16_i7x16_s: signed, saturating
    case 0xba: for (let i = 0; i < 4; i++) r.i32[i] = a.i16[2 * i]! * b.i16[2 * i]! + a.i16[2 * i + 1]! * b.i16[2 * i + 1]!; break;
    case 0xbc: for (let i = 0; i < 4; i++) r.i32[i] = a.i16[i]! * b.i16[i]!; break;
    case 0xbd: for (let i = 0; i < 4; i++) r.i32[i] = a.i16[i + 4]! * b.i16[i + 4]!; break;
    case 0xbe: for (let i = 0; i < 4; i++) r.u32[i] = a.u16[i]! * b.u16[i]!; break;
    case 0xbf: for (let i = 0; i < 4; i++) r.u32[i] = a.u16[i + 4]! * b.u16[i + 4]!; break;
    // ---- i64x2 -------------------------------------------------------------------------------
    case 0xc0: for (let i = 0; i < 2; i++) r.i64[i] = a.i64[i]! < 0n ? -a.i64[i]! : a.i64[i]!; break;
    case 0xc1: for (let i = 0; i < 2; i++) r.i64[i] = -a.i64[i]!; break;
    case 0xc7: r.i64[0] = BigInt(a.i32[0]!); r.i64[1] = BigInt(a.i32[1]!); break;
    case 0xc8: r.i64[0] = BigInt(a.i32[2]!); r.i64[1] = BigInt(a.i32[3]!); break;
    case 0xc9: r.i32[0] = a.i32[0]!; r.i32[2] = a.i32[1]!; r.i32[1] = 0; r.i32[3] = 0; break;
    case 0xca: r.i32[0] = a.i32[2]!; r.i32[2] = a.i32[3]!; r.i32[1] = 0; r.i32[3] = 0; break;
    case 0xdc: for (let i = 0; i < 2; i++) r.i64[i] = BigInt(a.i32[i]!) * BigInt(b.i32[i]!); break;
    case 0xdd: for (let i = 0; i < 2; i++) r.i64[i] = BigInt(a.i32[i + 2]!) * BigInt(b.i32[i + 2]!); break;
    case 0xde: for (let i = 0; i < 2; i++) r.u64[i] = BigInt(a.u32[i]!) * BigInt(b.u32[i]!); break;
    case 0xdf: for (let i = 0; i < 2; i++) r.u64[i] = BigInt(a.u32[i + 2]!) * BigInt(b.u32[i + 2]!); break;
    // ---- f32x4 -------------------------------------------------------------------------------
    case 0x67: for (let i = 0; i < 4; i++) r.f32[i] = f32Ceil(a.f32[i]!); break;
    case 0x68: for (let i = 0; i < 4; i++) r.f32[i] = f32Floor(a.f32[i]!); break;
    case 0x69: for (let i = 0; i < 4; i++) r.f32[i] = f32Trunc(a.f32[i]!); break;
    case 0x6a: for (let i = 0; i < 4; i++) r.f32[i] = f32Nearest(a.f32[i]!); break;
    case 0xe0: for (let i = 0; i < 4; i++) r.i32[i] = a.i32[i]! & 0x7fffffff; break;
    case 0xe1: for (let i = 0; i < 4; i++) r.i32[i] = a.i32[i]! ^ -0x80000000; break;
    case 0xe3: for (let i = 0; i < 4; i++) r.f32[i] = Math.sqrt(a.f32[i]!); break;
    case 0x10d: // f32x4.relaxed_min: as min
    case 0xe8: for (let i = 0; i < 4; i++) r.f32[i] = f32Min(a.f32[i]!, b.f32[i]!); break;
    case 0x10e: // f32x4.relaxed_max: as max
    case 0xe9: for (let i = 0; i < 4; i++) r.f32[i] = f32Max(a.f32[i]!, b.f32[i]!); break;
    case 0xea: for (let i = 0; i < 4; i++) r.i32[i] = b.f32[i]! < a.f32[i]! ? b.i32[i]! : a.i32[i]!; break; // pmin: bits of the chosen operand
    case 0xeb: for (let i = 0; i < 4; i++) r.i32[i] = a.f32[i]! < b.f32[i]! ? b.i32[i]! : a.i32[i]!; break; // pmax
    // ---- f64x2 -------------------------------------------------------------------------------
    case 0x74: for (let i = 0; i < 2; i++) r.f64[i] = f64Ceil(a.f64[i]!); break;
    case 0x75: for (let i = 0; i < 2; i++) r.f64[i] = f64Floor(a.f64[i]!); break;
    case 0x7a: for (let i = 0; i < 2; i++) r.f64[i] = f64Trunc(a.f64[i]!); break;
    case 0x94: for (let i = 0; i < 2; i++) r.f64[i] = f64Nearest(a.f64[i]!); break;
    case 0xec: r.i32[0] = a.i32[0]!; r.i32[1] = a.i32[1]! & 0x7fffffff; r.i32[2] = a.i32[2]!; r.i32[3] = a.i32[3]! & 0x7fffffff; break;
    case 0xed: r.i32[0] = a.i32[0]!; r.i32[1] = a.i32[1]! ^ -0x80000000; r.i32[2] = a.i32[2]!; r.i32[3] = a.i32[3]! ^ -0x80000000; break;
    case 0xef: for (let i = 0; i < 2; i++) { const x = Math.sqrt(a.f64[i]!); r.f64[i] = x !== x ? NaN : x; } break;
    case 0x10f: // f64x2.relaxed_min: as min
    case 0xf4: for (let i = 0; i < 2; i++) r.f64[i] = f64Min(a.f64[i]!, b.f64[i]!); break;
    case 0x110: // f64x2.relaxed_max: as max
    case 0xf5: for (let i = 0; i < 2; i++) r.f64[i] = f64Max(a.f64[i]!, b.f64[i]!); break;
    case 0xf6: for (let i = 0; i < 2; i++) { const c = b.f64[i]! < a.f64[i]!; r.i32[2 * i] = c ? b.i32[2 * i]! : a.i32[2 * i]!; r.i32[2 * i + 1] = c ? b.i32[2 * i + 1]! : a.i32[2 * i + 1]!; } break;
    case 0xf7: for (let i = 0; i < 2; i++) { const c = a.f64[i]! < b.f64[i]!; r.i32[2 * i] = c ? b.i32[2 * i]! : a.i32[2 * i]!; r.i32[2 * i + 1] = c ? b.i32[2 * i + 1]! : a.i32[2 * i + 1]!; } break;
    default:
      throw new Error(`executor: unknown SIMD sub-op ${sub} at ${ctx.pc}`);
  }
  put(r, s, d);
}

/** For the lane-wise sub-ops: 1 one v128 operand (shifts: a v128 and a scalar count), 2 two v128 operands, 0 not lane-wise. */
const UNARY_OR_BINARY = new Uint8Array(0x120);
{
  const unary = [
    0x5e, 0x5f, 0x60, 0x61, 0x62, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x74, 0x75, 0x7a, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81,
    0x87, 0x88, 0x89, 0x8a, 0x94, 0xa0, 0xa1, 0xa7, 0xa8, 0xa9, 0xaa, 0xc0, 0xc1, 0xc7, 0xc8,
    0xc9, 0xca, 0xe0, 0xe1, 0xe3, 0xec, 0xed, 0xef, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
    0x101, 0x102, 0x103, 0x104,
  ];
  const binary = [
    0x65, 0x66, 0x6f, 0x70, 0x72, 0x73, 0x76, 0x78, 0x7b, 0x82, 0x85, 0x86, 0x8f, 0x90, 0x92,
    0x93, 0x96, 0x97, 0x98, 0x99, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xba, 0xbc, 0xbd,
    0xbe, 0xbf, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe8, 0xe9,
    0xea, 0xeb, 0xf4, 0xf5, 0xf6, 0xf7,
    0x10d, 0x10e, 0x10f, 0x110, 0x111, 0x112,
  ];
  for (const x of unary) UNARY_OR_BINARY[x] = 1;
  for (const x of binary) UNARY_OR_BINARY[x] = 2;
  for (let x = 0x23; x <= 0x4c; x++) UNARY_OR_BINARY[x] = 2; // comparisons
}
