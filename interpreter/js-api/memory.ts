/**
 * `WebAssembly.Memory`: a JS object over a memory instance (`../runtime/memory.ts`, which keeps
 * the bytes, the growth rule and the buffer detachment). One object per memory instance.
 */
import { InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";
import { MemoryInst } from "../runtime/memory.js";
import { Store } from "../runtime/store.js";
import { enforceRangeU32, finishInterface, notA, requireArgs, toDictionary, toEnum } from "./webidl.js";

const memories = new WeakMap<object, MemoryInst>();
const objects = new WeakMap<MemoryInst, Memory>();

/** Descriptor of `new Memory(...)`. */
export interface MemoryDescriptor {
  readonly initial: number;
  readonly maximum?: number;
  /** Only `"i32"` (memory64 is not implemented). */
  readonly address?: "i32";
}

function memOf(self: unknown): MemoryInst {
  const m = typeof self === "object" && self !== null ? memories.get(self) : undefined;
  return m ?? notA("Memory", "this", self);
}

/** A linear memory (`WebAssembly.Memory`). */
export class Memory {
  /** Creates a memory of `descriptor.initial` pages (default store limits apply). */
  constructor(descriptor: MemoryDescriptor) {
    requireArgs("WebAssembly.Memory", arguments.length, 1);
    const d = toDictionary("descriptor", descriptor);
    const address = d.address;
    if (address !== undefined && toEnum("descriptor.address", address, ["i32", "i64"]) === "i64") throw new InvalidArgumentTypeError("descriptor.address", "memory64 (address \"i64\") is not supported by this interpreter");
    const rawInitial = d.initial;
    if (rawInitial === undefined) throw new InvalidArgumentTypeError("descriptor.initial", "is required");
    const initial = enforceRangeU32("descriptor.initial", rawInitial);
    const rawMaximum = d.maximum;
    const maximum = rawMaximum === undefined ? undefined : enforceRangeU32("descriptor.maximum", rawMaximum);
    if (initial > 65536) throw new InvalidArgumentRangeError("descriptor.initial", `${initial} pages is above the 65536-page maximum`);
    if (maximum !== undefined && (maximum > 65536 || maximum < initial)) throw new InvalidArgumentRangeError("descriptor.maximum", `${maximum} pages must be in ${initial}..65536 (initial..65536)`);
    const limit = new Store().limits.maxMemoryPages;
    if (initial > limit) throw new InvalidArgumentRangeError("descriptor.initial", `${initial} pages is above this store's limit maxMemoryPages = ${limit}`);
    let m: MemoryInst;
    try {
      m = new MemoryInst(initial, maximum, limit);
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

  /** Grows by `delta` pages; returns the old size in pages. @throws RangeError when it cannot grow. */
  grow(delta: number): number {
    const m = memOf(this);
    requireArgs("Memory.prototype.grow", arguments.length, 1);
    const d = enforceRangeU32("delta", delta);
    const r = m.grow(d);
    if (r < 0) throw new InvalidArgumentRangeError("delta", `memory cannot grow by ${d} pages from ${m.pages} (maximum ${m.cap})`);
    return r;
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

/** The memory instance behind a Memory object, or undefined. */
export function memoryInstOf(v: unknown): MemoryInst | undefined {
  return typeof v === "object" && v !== null ? memories.get(v) : undefined;
}
