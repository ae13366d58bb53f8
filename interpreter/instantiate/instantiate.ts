/**
 * Instantiation (spec "Instantiation"): link imports, allocate the module's functions, tables,
 * memories and globals (refusing declared minimums above the store's limits), evaluate element
 * segments, run active element and data segments in order (a trap there fails instantiation;
 * earlier writes to imported tables/memories stay, as the spec says), drop active and
 * declarative segments, then run the start function.
 */
import { canonicalTypeIds, toCanonical } from "../decode/matching.js";
import type { ModuleInfo } from "../decode/module.js";
import { describeValue, InvalidArgumentTypeError, LinkError, RuntimeError } from "../errors.js";
import { invoke } from "../execute/invoke.js";
import { compiledFor } from "../translate/cache.js";
import { FuncInst } from "../runtime/func.js";
import { GlobalInst } from "../runtime/global.js";
import { InstanceRuntime } from "../runtime/instance.js";
import { MemoryInst } from "../runtime/memory.js";
import { Store } from "../runtime/store.js";
import { TableInst } from "../runtime/table.js";
import { TagInst } from "../runtime/tag.js";
import { evalConst, evalConstRef } from "./const-expr.js";
import { linkImports } from "./link.js";
import type { ExternResolver } from "./link.js";

/**
 * Instantiates validated module `m` in `store`. With `initialize` false, no element or data
 * segment is applied and the start function does not run: the instance's state is then restored
 * from a snapshot (`snapshot.ts`).
 */
export function instantiate(m: ModuleInfo, importObject: unknown, store: Store, resolve: ExternResolver, initialize = true): InstanceRuntime {
  if (!(store instanceof Store)) throw new InvalidArgumentTypeError("options.store", `must be a Store, got ${describeValue(store)}`);
  const limits = store.limits;
  if (store._instances >= limits.maxInstances) throw new LinkError("limit-exceeded", `store already holds ${store._instances} instances (limit maxInstances = ${limits.maxInstances})`);
  for (const t of m.tables) {
    if (t.limits.min > limits.maxTableElements) throw new LinkError("limit-exceeded", `table declares ${t.limits.min} elements minimum, above the limit maxTableElements = ${limits.maxTableElements}`);
  }
  for (const mt of m.memories) {
    if (mt.limits.min > limits.maxMemoryPages) throw new LinkError("limit-exceeded", `memory declares ${mt.limits.min} pages minimum, above the limit maxMemoryPages = ${limits.maxMemoryPages}`);
  }
  const compiled = compiledFor(m, store.costs, store.canonicalizeNaNs);
  const inst = new InstanceRuntime(m, compiled, store);
  inst.sigIds.set(canonicalTypeIds(m.types));
  linkImports(inst, importObject, resolve);
  for (let i = 0; i < m.funcs.length; i++) inst.funcs.push(new FuncInst(m.types[m.funcs[i]!]!, inst, i, undefined));
  // (a table's initialiser, Wasm 3.0, sees the functions and the imported globals)
  for (const t of m.tables) inst.tables.push(new TableInst(toCanonical(t.elemType, inst.sigIds), t.limits.min, t.limits.max, limits.maxTableElements, t.init === undefined ? null : evalConst(inst, t.init).ref, t.addressType === 0x7e));
  for (const mt of m.memories) {
    let mem: MemoryInst;
    try {
      mem = new MemoryInst(mt.limits.min, mt.limits.max, limits.maxMemoryPages, mt.addressType === 0x7e);
    } catch (e) {
      throw new LinkError("limit-exceeded", `could not allocate the memory's ${mt.limits.min} pages (${e instanceof Error ? e.message : String(e)})`);
    }
    inst.memories.push(mem);
  }
  for (const t of m.tags) inst.tags.push(new TagInst(m.types[t]!));
  for (const g of m.globals) {
    const gi = new GlobalInst(toCanonical(g.type.valType, inst.sigIds), g.type.mutable);
    const v = evalConst(inst, g.init);
    gi.w[0] = v.lo;
    gi.w[1] = v.hi;
    gi.ref = v.ref;
    inst.globals.push(gi);
  }
  for (const e of m.elems) inst.elems.push(e.init.map((x) => evalConstRef(inst, x)));
  for (const d of m.datas) inst.datas.push(d.init);
  store._instances++;
  if (!initialize) return inst;
  // active element segments, then data segments (spec 2.0 order); each as table.init/memory.init + drop
  for (let i = 0; i < m.elems.length; i++) {
    const e = m.elems[i]!;
    if (e.mode.kind === "active") {
      const table = inst.tables[e.mode.table]!;
      const offset = segmentOffset(evalConst(inst, e.mode.offset), table.is64);
      const src = inst.elems[i]!;
      if (offset + src.length > table.length) throw new RuntimeError("out-of-bounds-table-access", `element segment ${i} writes up to index ${offset + src.length} but table ${e.mode.table} has ${table.length} elements`);
      for (let k = 0; k < src.length; k++) table.elements[offset + k] = src[k];
      inst.elems[i] = null;
    } else if (e.mode.kind === "declarative") {
      inst.elems[i] = null;
    }
  }
  for (let i = 0; i < m.datas.length; i++) {
    const d = m.datas[i]!;
    if (d.mode.kind === "active") {
      const mem = inst.memories[d.mode.memory]!;
      const offset = segmentOffset(evalConst(inst, d.mode.offset), mem.is64);
      if (offset + d.init.length > mem.u8.length) throw new RuntimeError("out-of-bounds-memory-access", `data segment ${i} writes up to byte ${offset + d.init.length} but memory has ${mem.u8.length} bytes`);
      mem.u8.set(d.init, offset);
      inst.datas[i] = null;
    }
  }
  if (m.start !== undefined) {
    const f = inst.funcs[m.start]!;
    invoke(f, () => {}, () => undefined, undefined, store);
  }
  return inst;
}

/**
 * An active segment's offset: a u32, or for a 64-bit memory or table (memory64, table64) a u64 as
 * a JS number (rounded above 2^53, where it is out of bounds of anything this host holds).
 */
function segmentOffset(v: { lo: number; hi: number }, is64: boolean): number {
  return is64 ? (v.hi >>> 0) * 0x100000000 + (v.lo >>> 0) : v.lo >>> 0;
}
