/**
 * Memory instances (spec "Memory Instances"): a byte array of whole 64 KiB pages, with the
 * typed views the executor reads through. State only; `memory.grow` semantics live here so every
 * caller shares them.
 *
 * Growth is amortised (issue 7): the bytes live in a plain `ArrayBuffer` whose capacity may
 * exceed the current size, and the views (`u8`, `u16`, `i32`, `dv`) always cover exactly the
 * current size, so every bounds check may use `u8.length`. Views are re-created after each growth
 * (views of an older buffer stay valid but stale: the executor re-fetches them after anything
 * that may grow memory).
 *
 * Why not a resizable `ArrayBuffer`: measured on Node 20 (V8 11.3), element loads and stores
 * through views of a resizable buffer run 1.6–3x slower than through views of a plain one
 * (sieve, hash loops), fixed-length or length-tracking alike. So capacity grows geometrically
 * instead, and the public `buffer` (which must alias the memory with its exact byte length) is
 * trimmed when asked for: if the capacity exceeds the size, the bytes move once into an
 * exact-size buffer, which becomes the storage. A growth that follows such an exposure allocates
 * exactly (the usual "guest grows, host reads" alternation then copies once per growth, as a
 * non-amortised memory would); a growth that follows another growth with no exposure in
 * between doubles the capacity, so a guest growing in a loop causes O(log n) copies.
 *
 * Detachment (JS API "refresh the Memory buffer"): every successful growth — `memory.grow` in
 * wasm that does not return -1, or `Memory.prototype.grow` — detaches the `ArrayBuffer` that
 * {@link MemoryInst.buffer} handed out, so its `byteLength` becomes 0 (glue such as
 * wasm-bindgen's refreshes its cached views on exactly that sign). Detaching uses
 * `ArrayBuffer.prototype.transfer` where the host has it, else `structuredClone(b, { transfer:
 * [b] })` (Node 20, browsers, workers); both move the bytes without copying. A host with neither
 * leaves the old buffer stale instead. Unlike a native memory's buffer, ours can also be detached
 * by user code (transferring it to a worker, say): after that the memory reads as empty and every
 * access traps out of bounds.
 *
 * The first detach in a thread (a V8 isolate), of any buffer, also throws away every function V8
 * has optimised there that assumed no buffer would ever be detached (its "ArrayBufferDetaching"
 * protector): the dispatch loop, the translator, the decoder; they are compiled again, checking
 * for detachment from then on. When that happens is up to the guest: its first growth after JS
 * read `buffer`. So {@link MemoryInst.buffer} makes that moment come early when it is likely to
 * come at all: exposing the buffer of a memory that has grown before detaches a private buffer
 * first, once per realm ({@link expectDetaching}).
 */

/** Bytes per wasm page. */
export const PAGE_SIZE = 65536;

/**
 * The largest memory length the dispatch loop's bounds checks compare with as it is: 1 GiB - 1,
 * a small integer in every V8 build (31-bit with pointer compression, as in browsers), so an int32
 * to V8's optimised code (a typed array's own length is a float64 to V8). Past it, in a longer
 * memory (one page more than the default limit of 16384 pages allows), the loop checks an access
 * again against the real length (execute/out-of-line-access.ts).
 */
export const FAST_MEMORY_BYTES = 0x3fffffff;

export class MemoryInst {
  /** The storage: at least `pages * PAGE_SIZE` bytes (more when capacity was reserved). */
  private store: ArrayBuffer;
  /** Views of exactly the current size. */
  u8: Uint8Array;
  u16: Uint16Array;
  i32: Int32Array;
  /** 64-bit words (the dispatch loop's 8-aligned 64-bit loads: one load, no two-halves store forwarding). */
  f64: Float64Array;
  dv: DataView;
  /** The views' length in bytes, at most {@link FAST_MEMORY_BYTES}: what the dispatch loop's bounds checks compare with (a small integer field: an int32 to V8). */
  fastLength: number;
  /** Current size in pages. */
  pages: number;
  /** Declared maximum (pages), or undefined. */
  readonly max: number | undefined;
  /**
   * Effective cap: min(declared maximum, 65536, the store's page limit). 65536 pages (4 GiB) holds
   * for 64-bit memories too: this host keeps at most 4 GiB, so an i64 address whose high word is
   * not zero is out of bounds of every memory (the executor's check for 64-bit addresses).
   */
  readonly cap: number;
  /** Whether the address type is i64 (memory64): addresses, sizes and deltas are i64 values. */
  readonly is64: boolean;
  /**
   * How many times the bytes were copied into a new buffer since creation (growth beyond the
   * capacity, or trimming for {@link buffer}). Internal statistic for tests.
   */
  copies = 0;
  /** Whether the growth since the last exposure (or creation) already happened. */
  private grewUnseen = false;
  /** Whether the memory has grown since its creation (by at least one page). */
  private grown = false;
  /**
   * The `ArrayBuffer` last handed out by {@link buffer}, until a growth detaches it; when set it
   * is the storage itself (exposure trims the storage to the exact size).
   */
  private exposed: ArrayBuffer | undefined = undefined;

  constructor(min: number, max: number | undefined, limitPages: number, is64 = false) {
    this.max = max;
    this.is64 = is64;
    this.cap = Math.min(max ?? 65536, 65536, limitPages);
    this.pages = min;
    this.store = new ArrayBuffer(min * PAGE_SIZE);
    this.u8 = new Uint8Array(this.store);
    this.u16 = new Uint16Array(this.store);
    this.i32 = new Int32Array(this.store);
    this.f64 = new Float64Array(this.store);
    this.dv = new DataView(this.store);
    this.fastLength = Math.min(this.u8.length, FAST_MEMORY_BYTES);
  }

  /** Bytes reserved (the storage's size), at least the current size. */
  get capacity(): number {
    return this.store.byteLength;
  }

  /**
   * The memory's bytes as an `ArrayBuffer` of exactly the current size, aliasing the memory
   * until the next growth (a new buffer after a growth; the old one is then stale).
   */
  get buffer(): ArrayBuffer {
    const len = this.pages * PAGE_SIZE;
    if (this.store.byteLength !== len) {
      const b = new ArrayBuffer(len);
      new Uint8Array(b).set(this.u8);
      this.copies++;
      this.adopt(b, len);
    }
    this.grewUnseen = false;
    this.exposed = this.store;
    if (this.grown && !detachingExpected) expectDetaching();
    return this.store;
  }

  /**
   * `memory.grow`: the old size in pages, or -1 when the new size would pass the cap. A success
   * (even by 0 pages) detaches the buffer handed out before, as the JS API requires.
   */
  grow(delta: number): number {
    const old = this.pages;
    if (delta === 0) {
      if (this.exposed !== undefined) {
        // same size: move the bytes into a fresh ArrayBuffer object, detaching the exposed one
        const moved = detach(this.exposed, true);
        this.exposed = undefined;
        if (moved !== undefined) this.adopt(moved, old * PAGE_SIZE);
      }
      return old;
    }
    const n = old + delta;
    if (delta < 0 || n > this.cap) return -1;
    const len = n * PAGE_SIZE;
    if (len > this.store.byteLength) {
      let b: ArrayBuffer | undefined;
      if (this.grewUnseen) {
        // a second growth with no exposure in between: reserve geometrically
        const want = Math.min(Math.max(len, 2 * this.store.byteLength), this.cap * PAGE_SIZE);
        if (want > len) {
          try {
            b = new ArrayBuffer(want);
          } catch {
            b = undefined; // fall back to the exact size
          }
        }
      }
      if (b === undefined) {
        try {
          b = new ArrayBuffer(len);
        } catch {
          return -1; // the host could not allocate: the spec allows failure
        }
      }
      new Uint8Array(b).set(this.u8);
      this.copies++;
      this.store = b;
    }
    // bytes past the old size are still zero: views never reach beyond the size
    this.adopt(this.store, len);
    this.pages = n;
    this.grewUnseen = true;
    this.grown = true;
    if (this.exposed !== undefined) {
      // the exposed buffer was the exact-size storage, so the bytes were copied above
      detach(this.exposed, false);
      this.exposed = undefined;
    }
    return old;
  }

  /** Makes `b` the storage with views over its first `len` bytes. */
  private adopt(b: ArrayBuffer, len: number): void {
    this.store = b;
    this.u8 = new Uint8Array(b, 0, len);
    this.u16 = new Uint16Array(b, 0, len >>> 1);
    this.i32 = new Int32Array(b, 0, len >>> 2);
    this.f64 = new Float64Array(b, 0, len >>> 3);
    this.dv = new DataView(b, 0, len);
    this.fastLength = Math.min(len, FAST_MEMORY_BYTES);
  }
}

/** Whether {@link expectDetaching} has run in this realm. */
let detachingExpected = false;

/**
 * Detaches a private 8-byte buffer, once per realm (see the file comment), when a memory that has
 * grown hands its buffer to JS: the guest grows (its allocator does), and JS glue that reads
 * `memory.buffer` (wasm-bindgen's, emscripten's) reads it again after each call, so the guest's
 * next growth would detach that buffer anyway, by then after V8 has optimised the dispatch loop.
 * Detaching now, before that, spares the recompiles. A guest that grew, but never grows again
 * after JS read its buffer, pays for it: with a detached buffer in its thread, V8 checks every
 * typed-array access, and the dispatch loop runs ~1.3x slower (bench/README.md, "Detached").
 */
function expectDetaching(): void {
  detachingExpected = true;
  try {
    detach(new ArrayBuffer(8), false);
  } catch {
    // only about speed: a host that cannot detach a buffer loses nothing here
  }
}

/** For tests: whether {@link expectDetaching} has run in this realm. */
export function detachingWasExpected(): boolean {
  return detachingExpected;
}

type Transferable = ArrayBuffer & { transfer?: (newLength?: number) => ArrayBuffer };

/**
 * Detaches `b` (its `byteLength` becomes 0). With `keep`, returns a new `ArrayBuffer` holding
 * `b`'s bytes (moved, not copied); without, the bytes are dropped. Undefined when the host can
 * detach nothing (no `transfer`, no `structuredClone`): `b` then stays as it is.
 */
function detach(b: Transferable, keep: boolean): ArrayBuffer | undefined {
  if (typeof b.transfer === "function") return b.transfer(keep ? b.byteLength : 0);
  if (typeof structuredClone === "function") return structuredClone(b, { transfer: [b] });
  return undefined;
}
