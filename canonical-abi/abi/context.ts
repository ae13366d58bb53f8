/**
 * The state the lifting and lowering functions work on, as `definitions.py` passes it around in
 * `cx`: the canonical options of the `canon lift` (`memory`, `string-encoding`, `realloc`,
 * `post-return`) and the component instance's flags (`may_enter`, `may_leave`, poisoned).
 *
 * Guest memory is read through views that are rebuilt whenever the memory's bytes change (a
 * `realloc` or the callee may grow it), so every access sees the current size.
 */
import { ComponentLinkError } from "../errors.js";
import { LiftBudget } from "./lift-budget.js";
import type { AbiTrace } from "./trace.js";

/** The string encodings a `canon lift` may declare. */
export type StringEncoding = "utf8" | "utf16" | "latin1+utf16";

/** A guest linear memory: anything with a current `buffer` (our `Memory`, a WebAssembly.Memory, a test heap). */
export interface GuestMemory {
  readonly buffer: ArrayBufferLike;
  /**
   * The current bytes without handing out `buffer`, when the engine can give them (our
   * interpreter's `memoryBytes`): reading `buffer` makes the next growth detach it, which slows
   * every later typed-array access of the thread (interpreter/js-api/memory.ts `memoryBytes`).
   */
  readonly bytes?: () => Uint8Array;
}

/** `realloc(original_ptr, original_size, alignment, new_size) -> ptr`, calling into the guest. */
export type Realloc = (originalPtr: number, originalSize: number, alignment: number, newSize: number) => number;

/** A core value as it crosses the core call boundary: i32/f32/f64 as numbers, i64 as bigint. */
export type CoreValue = number | bigint;

/** The canonical options of one `canon lift` (`canonopt`s). */
export interface CanonicalOptions {
  /** `(memory m)`, or null when absent. */
  readonly memory: GuestMemory | null;
  /** `string-encoding=...` (default utf8). */
  readonly string_encoding: StringEncoding;
  /** `(realloc f)`, or null when absent. */
  readonly realloc: Realloc | null;
  /** `(post-return f)`, or null when absent. */
  readonly post_return: ((results: readonly CoreValue[]) => void) | null;
}

/** What all component instances of one top-level instantiation share: a trap poisons them all. */
export interface InstanceTree {
  poisoned: Error | null;
}

/** Per-component-instance flags guarded by `canon lift` and `canon lower` (spec: `ComponentInstance`). */
export class ComponentInstanceState {
  /** False while the instance is on the call stack (reentrance guard, T14). */
  may_enter = true;
  /** False while lowering and during `realloc`/`post-return` (calling out then traps, T13). */
  may_leave = true;
  /** Shared with every instance of the same top-level instantiation. */
  readonly tree: InstanceTree;
  constructor(tree: InstanceTree = { poisoned: null }) {
    this.tree = tree;
  }
  /** Set by any trap: no instance of the tree may be entered again (T15). */
  get poisoned(): Error | null {
    return this.tree.poisoned;
  }
  set poisoned(e: Error | null) {
    this.tree.poisoned = e;
  }
}

/** Placeholder views until the first access (shared: a context per call must not allocate buffers). */
const EMPTY_U8 = new Uint8Array(0);
const EMPTY_DV = new DataView(EMPTY_U8.buffer);

/**
 * `cx` of `definitions.py`: the options plus views over the current guest memory, and the
 * host's {@link LiftBudget} for what lifting may copy out (unlimited unless the caller gives one),
 * and the call's {@link AbiTrace} (null unless the caller traces the call: the spec functions
 * then check `cx.trace` once per value and do nothing else).
 */
export class LiftLowerContext {
  readonly opts: CanonicalOptions;
  readonly inst: ComponentInstanceState;
  /** Charged by every string and list lifted out of guest memory. */
  readonly budget: LiftBudget;
  /** The call's trace, or null (`trace.ts`). */
  readonly trace: AbiTrace | null;
  private buf: ArrayBufferLike | null = null;
  private u8: Uint8Array = EMPTY_U8;
  private dv: DataView = EMPTY_DV;

  constructor(opts: CanonicalOptions, inst: ComponentInstanceState = new ComponentInstanceState(), budget: LiftBudget = LiftBudget.unlimited(), trace: AbiTrace | null = null) {
    this.opts = opts;
    this.inst = inst;
    this.budget = budget;
    this.trace = trace;
  }

  private refresh(): void {
    const m = this.opts.memory;
    if (m === null) throw new ComponentLinkError("canonical ABI needs the `memory` option here, but the canon lift has none");
    if (m.bytes !== undefined) {
      const u8 = m.bytes();
      if (u8 !== this.u8) {
        this.u8 = u8;
        this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
      }
      return;
    }
    const b = m.buffer;
    if (b !== this.buf) {
      this.buf = b;
      this.u8 = new Uint8Array(b);
      this.dv = new DataView(b);
    }
  }

  /** The guest memory's current bytes. */
  bytes(): Uint8Array {
    this.refresh();
    return this.u8;
  }

  /** A DataView over the guest memory's current bytes (little-endian accessors are used throughout). */
  view(): DataView {
    this.refresh();
    return this.dv;
  }

  /** `len(cx.opts.memory)`: the current memory size in bytes. */
  memoryLength(): number {
    this.refresh();
    return this.u8.length;
  }

  /** Calls the guest's `realloc`; the result is read as an unsigned 32-bit pointer. */
  realloc(originalPtr: number, originalSize: number, alignment: number, newSize: number): number {
    const r = this.opts.realloc;
    if (r === null) throw new ComponentLinkError("canonical ABI needs the `realloc` option here, but the canon lift has none");
    const tr = this.trace;
    if (tr === null) return r(originalPtr, originalSize, alignment, newSize) >>> 0;
    const event = tr.reallocBegin(originalPtr, originalSize, alignment, newSize);
    const before = tr.fuelNow();
    const ptr = r(originalPtr, originalSize, alignment, newSize) >>> 0;
    if (event !== null) {
      event.result = ptr;
      const after = tr.fuelNow();
      event.fuel = before === null || after === null ? null : after - before;
    }
    return ptr;
  }
}
