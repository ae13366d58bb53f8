/**
 * Table instances (spec "Table Instances"): a vector of references. funcref tables hold
 * function instances (`FuncInst`) or null; externref tables hold any JS value (null = null ref).
 */
export class TableInst {
  elements: unknown[];
  readonly elemType: number;
  readonly max: number | undefined;
  /** Effective cap: min(declared maximum, 2^32-1, the store's element limit). */
  readonly cap: number;

  constructor(elemType: number, min: number, max: number | undefined, limitElements: number, init: unknown = null) {
    this.elemType = elemType;
    this.max = max;
    this.cap = Math.min(max ?? 0xffffffff, 0xffffffff, limitElements);
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
