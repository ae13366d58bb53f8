/**
 * Bulk memory and table operations (`memory.fill/copy/init`, `table.fill/copy/init/grow`,
 * `memory.grow`), called from the dispatch loop. Order per fuel.md §6.2: the op's flat cost was
 * charged by the loop; then the spec's bounds check (trap, no variable cost); then the
 * per-unit cost (`out-of-fuel` before any write, fuel unchanged, resumable at the same op);
 * then the whole operation. Each returns the fuel left.
 */
import { RuntimeError } from "../errors.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import type { MemoryInst } from "../runtime/memory.js";
import type { ExecContext } from "./context.js";

/** Charges a variable cost `v`, or stops with `out-of-fuel` (the op's flat cost becomes the resume credit). */
export function chargeUnits(ctx: ExecContext, fuel: number, v: number, flatCost: number): number {
  if (v > fuel) {
    // the loop holds at most FUEL_WINDOW (runtime/costs.ts): banked fuel may cover the charge
    const covered = ctx.store!._cover(fuel, v);
    if (covered >= 0) return covered;
    ctx.oof = true;
    ctx.oofFuel = fuel;
    ctx.credit = flatCost;
    throw new RuntimeError("out-of-fuel", `bulk operation needs ${v} more`, { required: v });
  }
  return fuel - v;
}

function memOob(what: string, end: number, len: number): RuntimeError {
  return new RuntimeError("out-of-bounds-memory-access", `${what} up to byte ${end} but memory has ${len} bytes`);
}

function tableOob(what: string, end: number, len: number): RuntimeError {
  return new RuntimeError("out-of-bounds-table-access", `${what} up to index ${end} but the table/segment has ${len} elements`);
}

export function memoryFill(ctx: ExecContext, mem: MemoryInst, fuel: number, flat: number, d: number, val: number, n: number, perUnit: number): number {
  const len = mem.u8.length;
  if (d + n > len) throw memOob("memory.fill", d + n, len);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  mem.u8.fill(val & 255, d, d + n);
  return fuel;
}

export function memoryCopy(ctx: ExecContext, mem: MemoryInst, fuel: number, flat: number, d: number, s: number, n: number, perUnit: number): number {
  const len = mem.u8.length;
  if (s + n > len || d + n > len) throw memOob("memory.copy", Math.max(s, d) + n, len);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  mem.u8.copyWithin(d, s, s + n);
  return fuel;
}

/** memory.copy between two memories (multi-memory); `memoryCopy` when they are the same. */
export function memoryCopyBetween(ctx: ExecContext, dst: MemoryInst, src: MemoryInst, fuel: number, flat: number, d: number, s: number, n: number, perUnit: number): number {
  if (dst === src) return memoryCopy(ctx, dst, fuel, flat, d, s, n, perUnit);
  if (s + n > src.u8.length) throw memOob("memory.copy (source)", s + n, src.u8.length);
  if (d + n > dst.u8.length) throw memOob("memory.copy (destination)", d + n, dst.u8.length);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  dst.u8.set(src.u8.subarray(s, s + n), d);
  return fuel;
}

export function memoryInit(ctx: ExecContext, inst: InstanceRuntime, mem: MemoryInst, fuel: number, flat: number, seg: number, d: number, s: number, n: number, perUnit: number): number {
  const data = inst.datas[seg] ?? EMPTY_BYTES;
  const len = mem.u8.length;
  if (s + n > data.length) throw memOob(`memory.init from data segment ${seg}`, s + n, data.length);
  if (d + n > len) throw memOob("memory.init", d + n, len);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  mem.u8.set(data.subarray(s, s + n), d);
  return fuel;
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_REFS: unknown[] = [];

export function memoryGrow(ctx: ExecContext, mem: MemoryInst, fuel: number, flat: number, n: number, perUnit: number): [number, number] {
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  return [mem.grow(n), fuel];
}

export function tableFill(ctx: ExecContext, inst: InstanceRuntime, fuel: number, flat: number, t: number, i: number, v: unknown, n: number, perUnit: number): number {
  const el = inst.tables[t]!.elements;
  if (i + n > el.length) throw tableOob("table.fill", i + n, el.length);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  for (let k = 0; k < n; k++) el[i + k] = v;
  return fuel;
}

export function tableCopy(ctx: ExecContext, inst: InstanceRuntime, fuel: number, flat: number, dt: number, st: number, d: number, s: number, n: number, perUnit: number): number {
  const de = inst.tables[dt]!.elements, se = inst.tables[st]!.elements;
  if (s + n > se.length) throw tableOob("table.copy source", s + n, se.length);
  if (d + n > de.length) throw tableOob("table.copy destination", d + n, de.length);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  if (de === se && d > s) for (let k = n - 1; k >= 0; k--) de[d + k] = se[s + k];
  else for (let k = 0; k < n; k++) de[d + k] = se[s + k];
  return fuel;
}

export function tableInit(ctx: ExecContext, inst: InstanceRuntime, fuel: number, flat: number, seg: number, t: number, d: number, s: number, n: number, perUnit: number): number {
  const src = inst.elems[seg] ?? EMPTY_REFS;
  const el = inst.tables[t]!.elements;
  if (s + n > src.length) throw tableOob(`table.init from element segment ${seg}`, s + n, src.length);
  if (d + n > el.length) throw tableOob("table.init", d + n, el.length);
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  for (let k = 0; k < n; k++) el[d + k] = src[s + k];
  return fuel;
}

export function tableGrow(ctx: ExecContext, inst: InstanceRuntime, fuel: number, flat: number, t: number, init: unknown, n: number, perUnit: number): [number, number] {
  fuel = chargeUnits(ctx, fuel, n * perUnit, flat);
  return [inst.tables[t]!.grow(n, init), fuel];
}
