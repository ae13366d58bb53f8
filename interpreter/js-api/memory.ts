/**
 * `WebAssembly.Memory`: a JS object over a memory instance (`../runtime/memory.ts`, which keeps
 * the bytes, the growth rule and the buffer detachment). One object per memory instance.
 */
import { InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";
import { MemoryInst } from "../runtime/memory.js";
import { Store } from "../runtime/store.js";
import { addressValueToU64, finishInterface, notA, requireArgs, toDictionary, toEnum } from "./webidl.js";

const memories = new WeakMap<object, MemoryInst>();
const objects = new WeakMap<MemoryInst, Memory>();

/** Descriptor of `new Memory(...)`. */
export interface MemoryDescriptor {
  /** Pages: a number for the address type "i32", a bigint for "i64". */
  readonly initial: number | bigint;
  readonly maximum?: number | bigint;
  /** The address type: "i32" (default) or "i64" (a 64-bit memory, memory64). */
  readonly address?: "i32" | "i64";
}

/** Largest valid size in pages of a 32-bit / 64-bit memory (spec "Memory Types"). */
const MAX_PAGES = 65536, MAX_PAGES64 = 2 ** 48;

function memOf(self: unknown): MemoryInst {
  const m = typeof self === "object" && self !== null ? memories.get(self) : undefined;
  return m ?? notA("Memory", "this", self);
}

/** A linear memory (`WebAssembly.Memory`). */
export class Memory {
  /**
   * Creates a memory of `descriptor.initial` pages (default store limits apply); with `address:
   * "i64"` a 64-bit memory, whose sizes are bigints.
   */
  constructor(descriptor: MemoryDescriptor) {
    requireArgs("WebAssembly.Memory", arguments.length, 1);
    const d = toDictionary("descriptor", descriptor);
    const address = d.address;
    const is64 = address !== undefined && toEnum("descriptor.address", address, ["i32", "i64"]) === "i64";
    const rawInitial = d.initial;
    if (rawInitial === undefined) throw new InvalidArgumentTypeError("descriptor.initial", "is required");
    const initial = addressValueToU64("descriptor.initial", rawInitial, is64);
    const rawMaximum = d.maximum;
    const maximum = rawMaximum === undefined ? undefined : addressValueToU64("descriptor.maximum", rawMaximum, is64);
    const most = is64 ? MAX_PAGES64 : MAX_PAGES, mostText = is64 ? "2^48" : "65536";
    if (initial > most) throw new InvalidArgumentRangeError("descriptor.initial", `${initial} pages is above the ${mostText}-page maximum`);
    if (maximum !== undefined && (maximum > most || maximum < initial)) throw new InvalidArgumentRangeError("descriptor.maximum", `${maximum} pages must be in ${initial}..${mostText} (initial..${mostText})`);
    const limit = new Store().limits.maxMemoryPages;
    if (initial > limit) throw new InvalidArgumentRangeError("descriptor.initial", `${initial} pages is above this store's limit maxMemoryPages = ${limit}`);
    let m: MemoryInst;
    try {
      m = new MemoryInst(initial, maximum, limit, is64);
    } catch (e) {
      throw new InvalidArgumentRangeError("descriptor.initial", `could not allocate ${initial} pages (${e instanceof Error ? e.message : String(e)})`);
    }
    memories.set(this, m);
    objects.set(m, this);
  }

  /**
   * The current bytes: the same ArrayBuffer, of exactly the memory's size, until the next
   * successful growth detaches it (its `byteLength` then reads 0).
   */
  get buffer(): ArrayBuffer {
    return memOf(this).buffer;
  }

  /**
   * Grows by `delta` pages; returns the old size in pages (bigints for a 64-bit memory).
   * @throws RangeError when it cannot grow.
   */
  grow(delta: number | bigint): number | bigint {
    const m = memOf(this);
    requireArgs("Memory.prototype.grow", arguments.length, 1);
    const d = addressValueToU64("delta", delta, m.is64);
    const r = m.grow(d);
    if (r < 0) throw new InvalidArgumentRangeError("delta", `memory cannot grow by ${d} pages from ${m.pages} (maximum ${m.cap})`);
    return m.is64 ? BigInt(r) : r;
  }
}
finishInterface(Memory, { name: "Memory", length: 1, methods: ["grow"], attributes: ["buffer"] });

/** The Memory object of memory instance `m` (created on first use). */
export function memoryFor(m: MemoryInst): Memory {
  let o = objects.get(m);
  if (o === undefined) {
    o = Object.create(Memory.prototype) as Memory;
    memories.set(o, m);
    objects.set(m, o);
  }
  return o;
}

/**
 * The current bytes of `memory` (a {@link Memory}), for a host that reads and writes guest memory
 * (the Canonical ABI's lifting and lowering): unlike `memory.buffer`, this does not hand out the
 * buffer, so a later growth of the memory detaches nothing. A detach costs the whole thread: V8
 * then checks every typed-array access of it, the interpreter's included, for a detached buffer
 * (~25 % slower guests from then on). The view covers exactly the memory's current size; take a
 * new one after anything that may grow the memory (a growth gives a new view, and may move the
 * bytes to a new buffer). Its `buffer` may extend past the memory: never use it beyond the view.
 * @throws InvalidArgumentTypeError when `memory` is not a Memory.
 */
export function memoryBytes(memory: Memory): Uint8Array {
  return memOf(memory).u8;
}

/** The memory instance behind a Memory object, or undefined. */
export function memoryInstOf(v: unknown): MemoryInst | undefined {
  return typeof v === "object" && v !== null ? memories.get(v) : undefined;
}
