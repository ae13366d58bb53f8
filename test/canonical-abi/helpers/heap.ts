/**
 * Test helper: the `Heap` of component-model `run_tests.py` (a bump allocator over a fixed
 * byte array standing in for guest memory) and `mk_cx`, building a `LiftLowerContext` on it.
 */
import { align_to } from "../../../canonical-abi/abi/alignment.js";
import { LiftLowerContext, type CoreValue, type StringEncoding } from "../../../canonical-abi/abi/context.js";
import { ComponentError } from "../../../canonical-abi/errors.js";

/** An out-of-memory in the test heap's realloc (the Python version traps). */
export class HeapOom extends ComponentError {
  constructor(msg: string) { super("test-oom", msg); }
}

export class Heap {
  memory: Uint8Array;
  last_alloc = 0;
  calls: [number, number, number, number][] = [];
  constructor(arg: number | ArrayLike<number>) {
    this.memory = typeof arg === "number" ? new Uint8Array(arg) : Uint8Array.from(arg);
  }
  realloc = (original_ptr: number, original_size: number, alignment: number, new_size: number): number => {
    this.calls.push([original_ptr, original_size, alignment, new_size]);
    if (original_ptr !== 0 && new_size < original_size) return align_to(original_ptr, alignment);
    const ret = align_to(this.last_alloc, alignment);
    this.last_alloc = ret + new_size;
    if (this.last_alloc > this.memory.length) throw new HeapOom(`oom: have ${this.memory.length} need ${this.last_alloc}`);
    const n = Math.min(original_size, this.memory.length - ret);
    this.memory.copyWithin(ret, original_ptr, original_ptr + n);
    return ret;
  };
}

export function mk_cx(memory: Uint8Array = new Uint8Array(0), encoding: StringEncoding = "utf8",
  realloc: ((a: number, b: number, c: number, d: number) => number) | null = null,
  post_return: ((r: readonly CoreValue[]) => void) | null = null): LiftLowerContext {
  return new LiftLowerContext({ memory: { buffer: memory.buffer }, string_encoding: encoding, realloc, post_return });
}
