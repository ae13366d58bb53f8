/**
 * Loads and stores on a memory other than memory 0 (multi-memory, Wasm 3.0) and on 64-bit memories
 * (memory64, any index): the internal ops MEM_LOAD_N / MEM_STORE_N and MEM64_LOAD / MEM64_STORE,
 * run by rare.ts and described by the wasm opcode they stand for (memory 0 of 32-bit address type
 * keeps the dispatch loop's own load and store ops). Not on the hot path: written for reading,
 * with the same traps and value layout as the loop's ops (spec "Memory Instructions").
 */
import { RuntimeError } from "../errors.js";
import type { MemoryInst } from "../runtime/memory.js";

/** Bytes accessed by each load/store opcode (0x28..0x3e). */
const SIZE: Readonly<Record<number, number>> = {
  0x28: 4, 0x29: 8, 0x2a: 4, 0x2b: 8, 0x2c: 1, 0x2d: 1, 0x2e: 2, 0x2f: 2, 0x30: 1, 0x31: 1, 0x32: 2, 0x33: 2, 0x34: 4, 0x35: 4,
  0x36: 4, 0x37: 8, 0x38: 4, 0x39: 8, 0x3a: 1, 0x3b: 2, 0x3c: 1, 0x3d: 2, 0x3e: 4,
};

/** The effective address `base + offset` (both u32, no wrap-around), checked against `mem`. */
function effectiveAddress(mem: MemoryInst, index: number, base: number, offset: number, size: number): number {
  const ea = (base >>> 0) + (offset >>> 0);
  const len = mem.u8.length;
  if (ea + size > len) throw new RuntimeError("out-of-bounds-memory-access", `access of ${size} bytes at ${ea} but memory ${index} has ${len} bytes`);
  return ea;
}

/**
 * The effective address of an access of `size` bytes on a 64-bit memory: the i64 address whose
 * words are `lo`, `hi` plus the u64 offset `offLo`, `offHi`, checked against `mem` exactly (the
 * spec's sum has no wrap-around, not even at 2^64). Without BigInt: this host keeps at most 4 GiB
 * in a memory, so a non-zero high word of the address or the offset is out of bounds, and
 * otherwise the sum of the low words (below 2^33) is the address, checked against the length.
 */
export function effectiveAddress64(mem: MemoryInst, index: number, lo: number, hi: number, offLo: number, offHi: number, size: number): number {
  const ea = (lo >>> 0) + (offLo >>> 0);
  const len = mem.u8.length;
  if ((hi | offHi) !== 0 || ea + size > len) {
    const exact = ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)) + ((BigInt(offHi >>> 0) << 32n) | BigInt(offLo >>> 0));
    throw new RuntimeError("out-of-bounds-memory-access", `access of ${size} bytes at ${exact} but memory ${index} has ${len} bytes`);
  }
  return ea;
}

/** Runs load `op` from memory `index`: writes the value's words at `s32[d]` (and `s32[d + 1]` for 64-bit values). */
export function loadN(mem: MemoryInst, index: number, op: number, s32: Int32Array, d: number, base: number, offset: number): void {
  loadAt(mem.dv, op, s32, d, effectiveAddress(mem, index, base, offset, SIZE[op]!));
}

/** Runs load `op` from 64-bit memory `index` at the i64 address in words `s32[a]`, `s32[a + 1]` plus the u64 offset. */
export function load64(mem: MemoryInst, index: number, op: number, s32: Int32Array, d: number, a: number, offLo: number, offHi: number): void {
  loadAt(mem.dv, op, s32, d, effectiveAddress64(mem, index, s32[a]!, s32[a + 1]!, offLo, offHi, SIZE[op]!));
}

/** Load `op` at the (checked) effective address `ea`. */
function loadAt(dv: DataView, op: number, s32: Int32Array, d: number, ea: number): void {
  switch (op) {
    case 0x28: case 0x2a: s32[d] = dv.getInt32(ea, true); return; // i32.load, f32.load (bits)
    case 0x29: case 0x2b: s32[d] = dv.getInt32(ea, true); s32[d + 1] = dv.getInt32(ea + 4, true); return;
    case 0x2c: s32[d] = dv.getInt8(ea); return;
    case 0x2d: s32[d] = dv.getUint8(ea); return;
    case 0x2e: s32[d] = dv.getInt16(ea, true); return;
    case 0x2f: s32[d] = dv.getUint16(ea, true); return;
    case 0x30: case 0x32: case 0x34: { // i64 sign-extending loads
      const v = op === 0x30 ? dv.getInt8(ea) : op === 0x32 ? dv.getInt16(ea, true) : dv.getInt32(ea, true);
      s32[d] = v;
      s32[d + 1] = v >> 31;
      return;
    }
    default: { // 0x31, 0x33, 0x35: i64 zero-extending loads
      s32[d] = op === 0x31 ? dv.getUint8(ea) : op === 0x33 ? dv.getUint16(ea, true) : dv.getInt32(ea, true);
      s32[d + 1] = 0;
    }
  }
}

/** Runs store `op` to memory `index` of the value whose words are at `s32[v]` (and `s32[v + 1]`). */
export function storeN(mem: MemoryInst, index: number, op: number, s32: Int32Array, v: number, base: number, offset: number): void {
  storeAt(mem.dv, SIZE[op]!, s32, v, effectiveAddress(mem, index, base, offset, SIZE[op]!));
}

/** Runs store `op` to 64-bit memory `index` at the i64 address in words `s32[a]`, `s32[a + 1]` plus the u64 offset. */
export function store64(mem: MemoryInst, index: number, op: number, s32: Int32Array, v: number, a: number, offLo: number, offHi: number): void {
  storeAt(mem.dv, SIZE[op]!, s32, v, effectiveAddress64(mem, index, s32[a]!, s32[a + 1]!, offLo, offHi, SIZE[op]!));
}

/** A store of `size` bytes at the (checked) effective address `ea`. */
function storeAt(dv: DataView, size: number, s32: Int32Array, v: number, ea: number): void {
  switch (size) {
    case 1: dv.setInt8(ea, s32[v]!); return;
    case 2: dv.setInt16(ea, s32[v]!, true); return;
    case 4: dv.setInt32(ea, s32[v]!, true); return;
    default: dv.setInt32(ea, s32[v]!, true); dv.setInt32(ea + 4, s32[v + 1]!, true);
  }
}

/**
 * An i64 operand (a 64-bit memory's address, size or delta) as a JS number: exact below 2^53,
 * rounded above, where it is beyond every bound this host checks it against (at most 4 GiB).
 */
export function u64At(s32: Int32Array, w: number): number {
  return (s32[w + 1]! >>> 0) * 0x100000000 + (s32[w]! >>> 0);
}

/** Writes the i64 result `r` (a page count or -1) at words `s32[d]`, `s32[d + 1]`. */
export function setI64(s32: Int32Array, d: number, r: number): void {
  s32[d] = r;
  s32[d + 1] = r < 0 ? -1 : 0;
}
