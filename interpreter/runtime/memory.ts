/**
 * Memory instances (spec "Memory Instances"): a byte array of whole 64 KiB pages, with the
 * typed views the executor reads through. Growing allocates a new buffer and copies (views of
 * the old buffer stay valid but stale: the executor re-fetches them after anything that may grow
 * memory). State only; `memory.grow` semantics live here so every caller shares them.
 */

/** Bytes per wasm page. */
export const PAGE_SIZE = 65536;

export class MemoryInst {
  buffer: ArrayBuffer;
  u8: Uint8Array;
  u16: Uint16Array;
  i32: Int32Array;
  dv: DataView;
  /** Current size in pages. */
  pages: number;
  /** Declared maximum (pages), or undefined. */
  readonly max: number | undefined;
  /** Effective cap: min(declared maximum, 65536, the store's page limit). */
  readonly cap: number;

  constructor(min: number, max: number | undefined, limitPages: number) {
    this.max = max;
    this.cap = Math.min(max ?? 65536, 65536, limitPages);
    this.pages = min;
    this.buffer = new ArrayBuffer(min * PAGE_SIZE);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.dv = new DataView(this.buffer);
  }

  /** `memory.grow`: the old size in pages, or -1 when the new size would pass the cap. */
  grow(delta: number): number {
    const old = this.pages;
    if (delta === 0) return old;
    const n = old + delta;
    if (delta < 0 || n > this.cap) return -1;
    let buf: ArrayBuffer;
    try {
      buf = new ArrayBuffer(n * PAGE_SIZE);
    } catch {
      return -1; // the host could not allocate: the spec allows failure
    }
    new Uint8Array(buf).set(this.u8);
    this.buffer = buf;
    this.u8 = new Uint8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = new DataView(buf);
    this.pages = n;
    return old;
  }
}
