/**
 * The dispatch loop's memory accesses that its fast paths do not take: at an address that is not
 * a multiple of the access size, or past the loop's fast limit in a memory larger than that.
 *
 * loop.ts reads and writes 16-, 32- and 64-bit values of memory 0 through the memory's
 * `Uint16Array` / `Int32Array` views, which take aligned indices only. Every such op checks the
 * bounds first, then the alignment, and an access that is not aligned leaves the switch for one
 * shared site of the loop that calls {@link outOfLineAccess} (wasm allows any alignment; the
 * alignment hint of a memarg promises nothing).
 *
 * The loop also checks bounds against a memory length that V8 can hold as an int32: the length,
 * but at most `FAST_MEMORY_BYTES` (1 GiB - 1; runtime/memory.ts `MemoryInst.fastLength`). A JS
 * typed array's own length is a float64 to V8, and comparing an address with it cost every memory
 * op a float-to-int conversion and its check (perf: 9 such sequences in sha256's optimised loop).
 * So every access that ends past that length comes here too, whatever its size, and is checked
 * against the real length here: out of bounds (the usual case: a guest's trap), it throws the
 * trap (the loop saved its registers first); in bounds (only in a memory larger than the fast
 * limit: a store with a page limit above 16384 pages), it is done.
 *
 * Kept out of the loop on purpose (issue 11): V8 compiles a path of the loop that never ran into a
 * deoptimisation, and an unaligned path used to sit inline in 13 op cases (a `DataView` call each).
 * A guest that first reached one of them after V8 had optimised the loop threw the optimised loop
 * away (lz and search in the bench did, every run). Now the primer (prime.ts) feeds the one shared
 * call site, and the aligned paths stay as small as before. The price is a call per unaligned
 * access (lz makes about 1 % of its accesses unaligned).
 *
 * This function must stay too big for V8 to inline into the loop (its cases would then be the
 * loop's again, each a deoptimisation until it ran).
 *
 * Same operand layouts as the loop (translate/opcodes.ts): loads `[op, cost, d, a, c, offset]`
 * (the v128 ones included),
 * stores `[op, cost, a, v, c, offset]`, the two-slot forms `[op, cost, d, a, b, offset]` and
 * `[op, cost, a, b, v, offset]`; the effective address is computed as in the loop. Little-endian,
 * as wasm memory is.
 */
import { RuntimeError } from "../errors.js";

/** `ea`, the address of an access of `size` bytes, after the bounds check against the memory's whole length (the spec's trap of every load and store). */
function inBounds(ea: number, size: number, dv: DataView): number {
  if (ea + size > dv.byteLength) throw new RuntimeError("out-of-bounds-memory-access", `access of ${size} bytes at ${ea} but memory has ${dv.byteLength} bytes`);
  return ea;
}

/** The checked effective address of the op at `pc` (an access of `size` bytes) addressed by the slot at `code[a]`, its constant `c` (pc+4) and offset (pc+5). */
function addrConst(code: Int32Array, s32: Int32Array, fp: number, pc: number, a: number, size: number, dv: DataView): number {
  return inBounds(((s32[fp + code[a]!]! + code[pc + 4]!) >>> 0) + (code[pc + 5]! >>> 0), size, dv);
}

/** The checked effective address of the op at `pc` (an access of `size` bytes) addressed by the two slots at `code[a]`, `code[a + 1]` and its offset (pc+5). */
function addrSlots(code: Int32Array, s32: Int32Array, fp: number, pc: number, a: number, size: number, dv: DataView): number {
  return inBounds(((s32[fp + code[a]!]! + s32[fp + code[a + 1]!]!) >>> 0) + (code[pc + 5]! >>> 0), size, dv);
}

/**
 * Runs the memory op at `pc` (one of those the loop sends here: not aligned, or past the fast
 * limit), through the memory's `DataView`. Writes its destination (a load) or memory (a store);
 * the loop then moves on to the next op.
 */
export function outOfLineAccess(code: Int32Array, pc: number, s32: Int32Array, fp: number, dv: DataView): void {
  const op = code[pc]!;
  switch (op) {
    case 205 /* LOAD32 */:
    case 234 /* LOAD32_RR */: {
      const ea = op === 205 /* LOAD32 */ ? addrConst(code, s32, fp, pc, pc + 3, 4, dv) : addrSlots(code, s32, fp, pc, pc + 3, 4, dv);
      s32[fp + code[pc + 2]!] = dv.getInt32(ea, true);
      return;
    }
    case 206 /* LOAD64 */:
    case 258 /* LOAD64_RR */: {
      const ea = op === 206 /* LOAD64 */ ? addrConst(code, s32, fp, pc, pc + 3, 8, dv) : addrSlots(code, s32, fp, pc, pc + 3, 8, dv);
      const d = fp + code[pc + 2]!;
      s32[d] = dv.getInt32(ea, true);
      s32[d + 1] = dv.getInt32(ea + 4, true);
      return;
    }
    // i32 loads of 8 and 16 bits, signed or not (the two-slot forms are numbered after the others)
    case 207 /* I32_LOAD8_S */:
    case 208 /* I32_LOAD8_U */:
    case 209 /* I32_LOAD16_S */:
    case 210 /* I32_LOAD16_U */:
    case 233 /* I32_LOAD8_U_RR */:
    case 255 /* I32_LOAD8_S_RR */:
    case 256 /* I32_LOAD16_S_RR */:
    case 257 /* I32_LOAD16_U_RR */: {
      const size = op === 207 /* I32_LOAD8_S */ || op === 208 /* I32_LOAD8_U */ || op === 233 /* I32_LOAD8_U_RR */ || op === 255 /* I32_LOAD8_S_RR */ ? 1 : 2;
      const ea = op <= 210 /* I32_LOAD16_U */ ? addrConst(code, s32, fp, pc, pc + 3, size, dv) : addrSlots(code, s32, fp, pc, pc + 3, size, dv);
      s32[fp + code[pc + 2]!] =
        op === 207 /* I32_LOAD8_S */ || op === 255 /* I32_LOAD8_S_RR */ ? dv.getInt8(ea) :
        op === 208 /* I32_LOAD8_U */ || op === 233 /* I32_LOAD8_U_RR */ ? dv.getUint8(ea) :
        op === 209 /* I32_LOAD16_S */ || op === 256 /* I32_LOAD16_S_RR */ ? dv.getInt16(ea, true) :
        dv.getUint16(ea, true);
      return;
    }
    case 211 /* I64_LOAD8_S */:
    case 212 /* I64_LOAD8_U */:
    case 213 /* I64_LOAD16_S */:
    case 214 /* I64_LOAD16_U */:
    case 215 /* I64_LOAD32_S */:
    case 216 /* I64_LOAD32_U */: {
      const ea = addrConst(code, s32, fp, pc, pc + 3, op <= 212 /* I64_LOAD8_U */ ? 1 : op <= 214 /* I64_LOAD16_U */ ? 2 : 4, dv);
      const v =
        op === 211 /* I64_LOAD8_S */ ? dv.getInt8(ea) :
        op === 212 /* I64_LOAD8_U */ ? dv.getUint8(ea) :
        op === 213 /* I64_LOAD16_S */ ? dv.getInt16(ea, true) :
        op === 214 /* I64_LOAD16_U */ ? dv.getUint16(ea, true) :
        dv.getInt32(ea, true);
      const d = fp + code[pc + 2]!;
      s32[d] = v;
      s32[d + 1] = op === 212 /* I64_LOAD8_U */ || op === 214 /* I64_LOAD16_U */ || op === 216 /* I64_LOAD32_U */ ? 0 : v >> 31;
      return;
    }
    // stores: the value's slot follows the address (one slot, or two for the _RR forms)
    case 219 /* STORE8 */:
    case 235 /* STORE8_RR */: {
      const rr = op === 235 /* STORE8_RR */;
      dv.setUint8(rr ? addrSlots(code, s32, fp, pc, pc + 2, 1, dv) : addrConst(code, s32, fp, pc, pc + 2, 1, dv), s32[fp + code[pc + (rr ? 4 : 3)]!]! & 0xff);
      return;
    }
    case 217 /* STORE32 */:
    case 236 /* STORE32_RR */: {
      const rr = op === 236 /* STORE32_RR */;
      dv.setInt32(rr ? addrSlots(code, s32, fp, pc, pc + 2, 4, dv) : addrConst(code, s32, fp, pc, pc + 2, 4, dv), s32[fp + code[pc + (rr ? 4 : 3)]!]!, true);
      return;
    }
    case 220 /* STORE16 */:
    case 259 /* STORE16_RR */: {
      const rr = op === 259 /* STORE16_RR */;
      dv.setUint16(rr ? addrSlots(code, s32, fp, pc, pc + 2, 2, dv) : addrConst(code, s32, fp, pc, pc + 2, 2, dv), s32[fp + code[pc + (rr ? 4 : 3)]!]!, true);
      return;
    }
    case 218 /* STORE64 */:
    case 260 /* STORE64_RR */: {
      const rr = op === 260 /* STORE64_RR */;
      const ea = rr ? addrSlots(code, s32, fp, pc, pc + 2, 8, dv) : addrConst(code, s32, fp, pc, pc + 2, 8, dv);
      const v = fp + code[pc + (rr ? 4 : 3)]!;
      dv.setInt32(ea, s32[v]!, true);
      dv.setInt32(ea + 4, s32[v + 1]!, true);
      return;
    }
    // v128 (16 bytes; V128_LOAD64_ZERO reads 8 and zeroes the high ones)
    case 294 /* V128_LOAD */:
    case 295 /* V128_LOAD64_ZERO */: {
      const wide = op === 294 /* V128_LOAD */;
      const ea = addrConst(code, s32, fp, pc, pc + 3, wide ? 16 : 8, dv);
      const d = fp + code[pc + 2]!;
      s32[d] = dv.getInt32(ea, true);
      s32[d + 1] = dv.getInt32(ea + 4, true);
      s32[d + 2] = wide ? dv.getInt32(ea + 8, true) : 0;
      s32[d + 3] = wide ? dv.getInt32(ea + 12, true) : 0;
      return;
    }
    case 296 /* V128_STORE */: {
      const ea = addrConst(code, s32, fp, pc, pc + 2, 16, dv);
      const v = fp + code[pc + 3]!;
      for (let i = 0; i < 4; i++) dv.setInt32(ea + 4 * i, s32[v + i]!, true);
      return;
    }
    default:
      throw new Error(`outOfLineAccess: op ${op} at ${pc} is not a memory op of the loop (an engine bug)`);
  }
}
