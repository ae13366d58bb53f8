/**
 * The state of one running (or suspended) top-level invocation, all on the heap so the loop can
 * stop at a check point and continue later (async slices, resume after out-of-fuel):
 * the value store (8-byte slots seen as Int32Array/Float32Array/Float64Array, references in a
 * parallel array), the frame stack (3 ints per frame: return pc, caller frame base, whether the
 * caller is another instance), the stack of caller instances for cross-instance calls, and the
 * saved registers of the loop. Contexts are pooled and reused.
 */
import { RuntimeError } from "../errors.js";
import { countCallSteps } from "./checkpoint.js";
import type { CancelSources } from "../runtime/cancellation.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import type { Store } from "../runtime/store.js";

const INITIAL_WORDS = 1 << 13;
const INITIAL_FRAMES = 256;

export class ExecContext {
  buf: ArrayBuffer = new ArrayBuffer(INITIAL_WORDS * 4);
  s32: Int32Array = new Int32Array(this.buf);
  f32: Float32Array = new Float32Array(this.buf);
  f64: Float64Array = new Float64Array(this.buf);
  refs: unknown[] = new Array<unknown>(INITIAL_WORDS >> 1).fill(null);
  frames: Int32Array = new Int32Array(INITIAL_FRAMES * 3);
  instStack: InstanceRuntime[] = [];
  // saved loop registers
  pc = 0;
  fp = 0;
  fsp = 0;
  inst: InstanceRuntime | undefined = undefined;
  /** Fuel register saved by a trap site. */
  fuel = 0;
  /** Set while a host function runs (the store then holds the authoritative fuel). */
  inHost = false;
  /** Fuel already charged for the op at `pc` when it stopped with out-of-fuel (given back on resume). */
  credit = 0;
  /** Set by the out-of-fuel paths: the fuel left at the trap. */
  oof = false;
  oofFuel = 0;
  /** An op overwritten with OOF_STOP (execute/fuel.ts), or patchPc = -1. */
  patchCode: Int32Array | undefined = undefined;
  patchPc = -1;
  patchOp = 0;
  /** Check points left before the next poll / slice end. */
  steps = 0;
  /** Check points between polls. */
  interval = 0;
  /** The branch or call op that counted a check point (loop.ts, its slow path). */
  bpc = 0;
  /** The loop reloads inside a block (loop.ts SLOW_RELOAD_MID): its next run does not charge the block at `pc` again. */
  midBlock = false;
  /** The real step countdown while the loop's priming check point is pending (loop.ts), else 0. */
  primeSteps = 0;
  /** Async slicing: end the slice at the next check point instead of only polling. */
  sliceMode = false;
  store: Store | undefined = undefined;
  cancel: CancelSources | undefined = undefined;
  maxWords = 0;
  maxFrames = 0;
  /**
   * The loop's value-store and frame-stack capacities (words of `s32`, entries of `frames`),
   * clamped to `maxWords` / `maxFrames` (a pooled context may have grown beyond them); set by the
   * loop on entry and after growth.
   */
  wcap = 0;
  fcap = 0;
  /**
   * Whether a reference was written to `refs` during this call (then `refs` is cleared on release,
   * so that a pooled context keeps no host object or function alive). Set by every write that
   * brings a reference in (ref.func, global.get, table.get, values from the host, exceptions,
   * a restored snapshot); copies between slots need not, as their source was such a write.
   * (Until 2026-12-05 it was set for every call into an instance with a table, i.e. nearly every
   * compiled C or Rust program, and clearing up to 32,768 entries made each call from the host
   * cost up to ~30 µs: sql.js spent ~60 ms of ~1.1 s there.)
   */
  refsDirty = false;

  /** Prepares a pooled context for a new invocation in `store`. */
  reset(store: Store, cancel: CancelSources): void {
    this.store = store;
    this.cancel = cancel;
    if (this.instStack.length !== 0) this.instStack.length = 0; // (setting an array's length is a runtime call: ~30 ns a call)
    this.pc = 0;
    this.fp = 0;
    this.fsp = 0;
    this.inst = undefined;
    this.credit = 0;
    this.oof = false;
    this.patchPc = -1;
    this.patchCode = undefined;
    this.interval = cancel.interval;
    this.steps = cancel.interval;
    this.primeSteps = 0;
    this.midBlock = false;
    this.sliceMode = false;
    this.maxWords = Math.floor(store.limits.maxValueStackBytes / 8) * 2;
    this.maxFrames = store.limits.maxCallDepth + 1;
  }

  /** Makes the value store hold at least `words` words, or traps `call-stack-exhausted`. */
  growWords(words: number): void {
    if (words > this.maxWords || this.maxWords === 0) throw new RuntimeError("call-stack-exhausted", `value stack limit of ${this.maxWords * 4} bytes reached`);
    let n = this.s32.length;
    if (n >= words) return;
    while (n < words) n *= 2;
    if (n > this.maxWords) n = this.maxWords;
    const buf = new ArrayBuffer(n * 4);
    new Int32Array(buf).set(this.s32);
    this.buf = buf;
    this.s32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    const refs = this.refs;
    for (let i = refs.length; i < n >> 1; i++) refs.push(null);
  }

  /** Makes the frame stack hold at least `frames` frames, or traps `call-stack-exhausted`. */
  growFrames(frames: number): void {
    if (frames > this.maxFrames) throw new RuntimeError("call-stack-exhausted", `call depth limit of ${this.maxFrames - 1} frames reached`);
    let n = this.frames.length / 3;
    if (n >= frames) return;
    while (n < frames) n *= 2;
    if (n > this.maxFrames) n = this.maxFrames;
    const f = new Int32Array(n * 3);
    f.set(this.frames);
    this.frames = f;
  }
}

const pool: ExecContext[] = [];

/** A context from the pool (or a new one). */
export function acquireContext(): ExecContext {
  return pool.pop() ?? new ExecContext();
}

/** Returns a finished context to the pool (references are cleared so they can be collected). */
export function releaseContext(ctx: ExecContext): void {
  countCallSteps(ctx);
  ctx.store = undefined;
  ctx.cancel = undefined;
  ctx.inst = undefined;
  if (ctx.instStack.length !== 0) ctx.instStack.length = 0;
  if (ctx.s32.length <= 1 << 16) {
    if (ctx.refsDirty) ctx.refs.fill(null);
  } else {
    // a deep run grew the value store: give the memory back
    ctx.buf = new ArrayBuffer(INITIAL_WORDS * 4);
    ctx.s32 = new Int32Array(ctx.buf);
    ctx.f32 = new Float32Array(ctx.buf);
    ctx.f64 = new Float64Array(ctx.buf);
    ctx.refs = new Array<unknown>(INITIAL_WORDS >> 1).fill(null);
    ctx.frames = new Int32Array(INITIAL_FRAMES * 3);
  }
  ctx.refsDirty = false;
  if (pool.length < 8) pool.push(ctx);
}
