/**
 * Instance snapshots (issue 18): the state a group of instances holds after instantiation
 * (their defined memories, globals and tables, and which data/element segments are dropped),
 * captured once, and restored into a group of fresh instances of the same modules, linked the
 * same way and created without initialisation (`instantiate(..., initialize = false)`: no
 * segment is applied and no start function runs). A restored group is in exactly the state the
 * captured one was in; nothing is shared with it (memories and tables are copies).
 *
 * References are captured by position: a function reference is recorded as "function `i` of
 * instance `k` of the group" (imported functions included: a host function imported at the same
 * place in the new group stands for the old one), and restored as the function at that place in
 * the new group. A reference the group cannot name that way (a function of an instance outside
 * the group, a non-null `externref`) makes the capture fail with `SnapshotError`, as does a
 * poisoned instance; a restore fails with it when the new group does not match the captured one.
 * A v128 global is captured as its four 32-bit words.
 */
import { FuncInst } from "../runtime/func.js";
import type { GlobalInst } from "../runtime/global.js";
import { ExceptionInst } from "../runtime/tag.js";
import type { InstanceRuntime } from "../runtime/instance.js";

/** Thrown when a group of instances cannot be captured or restored (the message says why). */
export class SnapshotError extends Error {
  readonly code = "snapshot-unsupported";
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

/** A function reference by place: function `i` of instance `k` of the group; `null` is the null reference. */
type RefToken = null | { readonly k: number; readonly i: number };

interface InstanceState {
  /**
   * Defined memories by index: size in pages and a copy of every run of blocks that is not all
   * zero (a fresh memory is zero, so a restore copies only what initialisation wrote).
   */
  readonly memories: readonly { readonly index: number; readonly pages: number; readonly runs: readonly { readonly offset: number; readonly bytes: Uint8Array }[] }[];
  /** Defined globals by index: the raw words and the reference; a v128 global's four words in `v128`. */
  readonly globals: readonly { readonly index: number; readonly lo: number; readonly hi: number; readonly ref: RefToken; readonly v128?: readonly number[] }[];
  /** Defined tables by index: every element. */
  readonly tables: readonly { readonly index: number; readonly elements: readonly RefToken[] }[];
  /** Per data segment: dropped or not. */
  readonly datasDropped: readonly boolean[];
  /** Per element segment: its references, or null once dropped. */
  readonly elems: readonly (readonly RefToken[] | null)[];
}

/** The captured state of a group of instances (opaque; see the file comment). */
export class GroupSnapshot {
  /** @internal */
  constructor(readonly states: readonly InstanceState[], readonly modules: readonly unknown[]) {}

  /** Bytes of memory the snapshot holds. */
  get memoryBytes(): number {
    let n = 0;
    for (const s of this.states) for (const m of s.memories) for (const r of m.runs) n += r.bytes.length;
    return n;
  }
}

/** The v128 value type; a v128 global keeps its four words in `ref` (an `Int32Array`, or null for zero). */
const V128 = 0x7b;

/** The four words of v128 global `g`. */
function v128Words(g: GlobalInst): Int32Array {
  return g.ref instanceof Int32Array ? g.ref : new Int32Array(4);
}

/** Granularity of the zero check (bytes). */
const BLOCK = 1024;

/** Copies of the runs of `BLOCK`-byte blocks of `u8` that hold a non-zero byte. */
function nonZeroRuns(u8: Uint8Array): { offset: number; bytes: Uint8Array }[] {
  const words = new Int32Array(u8.buffer, u8.byteOffset, u8.length >>> 2);
  const runs: { offset: number; bytes: Uint8Array }[] = [];
  let start = -1;
  for (let b = 0; b < u8.length; b += BLOCK) {
    let zero = true;
    for (let w = b >>> 2, end = (b + BLOCK) >>> 2; w < end; w++) {
      if (words[w] !== 0) {
        zero = false;
        break;
      }
    }
    if (!zero && start < 0) start = b;
    else if (zero && start >= 0) {
      runs.push({ offset: start, bytes: u8.slice(start, b) });
      start = -1;
    }
  }
  if (start >= 0) runs.push({ offset: start, bytes: u8.slice(start) });
  return runs;
}

/** Captures the state of `group` (see the file comment). @throws SnapshotError */
export function captureGroup(group: readonly InstanceRuntime[]): GroupSnapshot {
  const places = new Map<unknown, { k: number; i: number }>();
  group.forEach((inst, k) => inst.funcs.forEach((f, i) => {
    if (!places.has(f)) places.set(f, { k, i });
  }));
  const token = (ref: unknown, where: string): RefToken => {
    if (ref === null || ref === undefined) return null;
    const p = places.get(ref);
    if (p !== undefined) return p;
    throw new SnapshotError(`${where} holds ${ref instanceof FuncInst ? "a function from outside the instances captured" : ref instanceof ExceptionInst ? "an exnref (exceptions are not captured)" : "a non-null externref"}`);
  };
  const states = group.map((inst, k): InstanceState => {
    if (inst.poisoned !== undefined) throw new SnapshotError(`instance ${k} is poisoned (${inst.poisoned})`);
    const m = inst.module;
    const memories = [];
    for (let i = m.importedMemoryCount; i < inst.memories.length; i++) {
      const mem = inst.memories[i]!;
      memories.push({ index: i, pages: mem.pages, runs: nonZeroRuns(mem.u8) });
    }
    const globals = [];
    for (let i = m.importedGlobalCount; i < inst.globals.length; i++) {
      const g = inst.globals[i]!;
      if (g.type === V128) globals.push({ index: i, lo: 0, hi: 0, ref: null, v128: [...v128Words(g)] });
      else globals.push({ index: i, lo: g.w[0]!, hi: g.w[1]!, ref: token(g.ref, `global ${i} of instance ${k}`) });
    }
    const tables = [];
    // (the module's own tables only: not the hidden table call_ref uses, `execute/rare.ts`)
    for (let i = m.importedTableCount; i < m.importedTableCount + m.tables.length; i++) {
      tables.push({ index: i, elements: inst.tables[i]!.elements.map((e, j) => token(e, `element ${j} of table ${i} of instance ${k}`)) });
    }
    return {
      memories,
      globals,
      tables,
      datasDropped: inst.datas.map((d) => d === null),
      elems: inst.elems.map((e, i) => (e === null ? null : e.map((r) => token(r, `element segment ${i} of instance ${k}`)))),
    };
  });
  return new GroupSnapshot(states, group.map((inst) => inst.module));
}

/**
 * Restores `snapshot` into `group`: fresh instances of the same modules, in the same order,
 * created without initialisation. @throws SnapshotError when the group does not match.
 */
export function restoreGroup(group: readonly InstanceRuntime[], snapshot: GroupSnapshot): void {
  if (group.length !== snapshot.states.length) throw new SnapshotError(`the snapshot holds ${snapshot.states.length} instances, ${group.length} given`);
  group.forEach((inst, k) => {
    if (inst.module !== snapshot.modules[k]) throw new SnapshotError(`instance ${k} is not of the module captured there`);
  });
  const ref = (t: RefToken): unknown => (t === null ? null : group[t.k]!.funcs[t.i]!);
  group.forEach((inst, k) => {
    const s = snapshot.states[k]!;
    for (const m of s.memories) {
      const mem = inst.memories[m.index]!;
      if (mem.pages < m.pages && mem.grow(m.pages - mem.pages) < 0) {
        throw new SnapshotError(`memory ${m.index} of instance ${k} cannot grow to the captured ${m.pages} pages (its limit is ${mem.cap})`);
      }
      if (mem.pages !== m.pages) throw new SnapshotError(`memory ${m.index} of instance ${k} has ${mem.pages} pages, the snapshot ${m.pages}`);
      const u8 = mem.u8;
      for (const r of m.runs) u8.set(r.bytes, r.offset);
    }
    for (const g of s.globals) {
      const gi = inst.globals[g.index];
      if (gi === undefined) throw new SnapshotError(`instance ${k} has no global ${g.index}`);
      if ((gi.type === V128) !== (g.v128 !== undefined)) throw new SnapshotError(`global ${g.index} of instance ${k} is ${gi.type === V128 ? "" : "not "}a v128 global, the snapshot says otherwise`);
      if (g.v128 !== undefined) {
        if (!Array.isArray(g.v128) || g.v128.length !== 4 || !g.v128.every((w) => Number.isInteger(w) && w >= -0x80000000 && w <= 0xffffffff)) {
          throw new SnapshotError(`global ${g.index} of instance ${k}: a v128 value must be four 32-bit words`);
        }
        gi.ref = Int32Array.from(g.v128);
        continue;
      }
      gi.w[0] = g.lo;
      gi.w[1] = g.hi;
      gi.ref = ref(g.ref);
    }
    for (const t of s.tables) {
      const table = inst.tables[t.index]!;
      if (t.elements.length > table.cap) throw new SnapshotError(`table ${t.index} of instance ${k} cannot hold the captured ${t.elements.length} elements`);
      table.elements = t.elements.map(ref);
    }
    s.datasDropped.forEach((dropped, i) => {
      if (dropped) inst.datas[i] = null;
    });
    s.elems.forEach((e, i) => {
      inst.elems[i] = e === null ? null : e.map(ref);
    });
  });
}
