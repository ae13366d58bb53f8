/**
 * Table instances (spec "Table Instances"): a vector of references. funcref tables hold
 * function instances (`FuncInst`) or null; externref tables hold any JS value (null = null ref).
 * A table never holds more than 2^32-2 elements (a JS array holds at most 2^32-1), so the
 * index 2^32-1 is out of bounds of every table: the executor narrows a 64-bit index or count
 * whose high word is not zero to it (table64).
 */

/** The most elements a table may hold here, on either address type. */
export const MAX_TABLE_LENGTH = 0xfffffffe;

export class TableInst {
  elements: unknown[];
  /** The element (reference) type, in canonical form (as {@link GlobalInst.type}). */
  readonly elemType: number;
  readonly max: number | undefined;
  /** Effective cap: min(declared maximum, {@link MAX_TABLE_LENGTH}, the store's element limit). */
  readonly cap: number;
  /** Whether the address type is i64 (table64): indices, sizes and deltas are i64 values. */
  readonly is64: boolean;

  constructor(elemType: number, min: number, max: number | undefined, limitElements: number, init: unknown = null, is64 = false) {
    this.elemType = elemType;
    this.max = max;
    this.is64 = is64;
    this.cap = Math.min(max ?? MAX_TABLE_LENGTH, MAX_TABLE_LENGTH, limitElements);
    this.elements = new Array<unknown>(min).fill(init);
  }

  get length(): number {
    return this.elements.length;
  }

  /** `table.grow`: old length, or -1 past the cap. */
  grow(delta: number, init: unknown): number {
    const old = this.elements.length;
    if (delta < 0 || old + delta > this.cap) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    return old;
  }
}
