/**
 * Entering wasm from the host: top-level calls of a function instance, synchronously, in async
 * slices, or resumably after out-of-fuel. Sets up the first frame (arguments at the base of a
 * pooled context's value store), runs the loop, reads the results, and applies the rules that
 * sit around a call: cancellation sources (store + per call; a source that already fired means
 * no instruction runs), poisoning of an instance after `interrupted`, the host re-entrancy limit.
 */
import { describeValue, InvalidArgumentRangeError, InvalidStateError, RuntimeError } from "../errors.js";
import { CancelSources } from "../runtime/cancellation.js";
import type { CancellationOptions } from "../runtime/cancellation.js";
import type { FuncInst } from "../runtime/func.js";
import type { Store } from "../runtime/store.js";
import { entryPcOf, frameWordsOf, localsEndOf, localsStartOf } from "../translate/translator.js";
import { acquireContext, releaseContext } from "./context.js";
import type { ExecContext } from "./context.js";
import { callHost } from "./host.js";
import { runCatching as run } from "./exceptions.js";
import { areaWords } from "./values.js";
import { translateForRun } from "./prime.js";

/** Writes the arguments at word `2k` for argument k. */
export type ArgWriter = (ctx: ExecContext) => void;
/** Reads results from word `2k` for result k. */
export type ResultReader<R> = (ctx: ExecContext) => R;

let reentrancy = 0;
const NO_SOURCES = new CancelSources([], 0);

/** Options of one top-level call. */
export interface CallOptions {
  /** Extra cancellation sources for this call only (added to the store's). */
  readonly cancellation?: CancellationOptions;
}

function sourcesFor(store: Store, extra: CancellationOptions | undefined): CancelSources {
  if (store.cancellation === undefined && extra === undefined) return NO_SOURCES;
  return new CancelSources([store.cancellation, extra], performance.now());
}

/** Prepares `ctx` to run `fi` (a wasm function) from its entry, with arguments already written. */
function enter(ctx: ExecContext, fi: FuncInst): void {
  const inst = fi.instance!;
  const cm = inst.compiled;
  const f = fi.defIndex;
  if (entryPcOf(cm, f) < 0) translateForRun(cm, f);
  const words = frameWordsOf(cm, f);
  if (words > Math.min(ctx.s32.length, ctx.maxWords)) ctx.growWords(words);
  ctx.s32.fill(0, localsStartOf(cm, f), localsEndOf(cm, f));
  const rl = cm.funcs[f]!.refLocals;
  for (let i = 0; i < rl.length; i++) ctx.refs[rl[i]!] = null;
  ctx.frames[0] = -1;
  ctx.frames[1] = 0;
  ctx.frames[2] = 0;
  ctx.fsp = 3;
  ctx.fp = 0;
  ctx.pc = entryPcOf(cm, f);
  ctx.inst = inst;
}

function beginCall(fi: FuncInst, extra: CancellationOptions | undefined, store?: Store): ExecContext {
  const inst = fi.instance;
  const st = store ?? inst?.store;
  if (st === undefined) throw new Error("host function without a store");
  if (inst?.poisoned !== undefined) throw new RuntimeError("interrupted", `instance was interrupted earlier (${inst.poisoned})`);
  const sources = sourcesFor(st, extra);
  if (!sources.empty) {
    const reason = sources.poll();
    if (reason !== undefined) throw new RuntimeError("interrupted", reason, { reason });
  }
  if (reentrancy >= st.limits.maxHostReentrancy) throw new RuntimeError("call-stack-exhausted", `host re-entrancy limit of ${st.limits.maxHostReentrancy} nested calls reached`);
  const ctx = acquireContext();
  ctx.reset(st, sources);
  const need = Math.max(areaWords(fi.type.params), areaWords(fi.type.results), 2);
  if (need > Math.min(ctx.s32.length, ctx.maxWords)) ctx.growWords(need);
  return ctx;
}

function failed(ctx: ExecContext, fi: FuncInst, e: unknown): never {
  if (e instanceof RuntimeError && e.trap === "interrupted" && fi.instance !== undefined) fi.instance.poisoned = e.reason ?? "interrupted";
  releaseContext(ctx);
  throw e;
}

/** Calls `fi` synchronously to completion. */
export function invoke<R>(fi: FuncInst, writeArgs: ArgWriter, readResults: ResultReader<R>, options?: CallOptions, store?: Store): R {
  const ctx = beginCall(fi, options?.cancellation, store);
  reentrancy++;
  try {
    writeArgs(ctx);
    if (fi.instance === undefined) callHost(ctx, fi, 0);
    else {
      enter(ctx, fi);
      run(ctx);
    }
    const r = readResults(ctx);
    releaseContext(ctx);
    return r;
  } catch (e) {
    return failed(ctx, fi, e);
  } finally {
    reentrancy--;
  }
}

function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (typeof g.setImmediate === "function") return new Promise((r) => g.setImmediate!(r));
  return new Promise((r) => setTimeout(r, 0));
}

/** Options of an async call. */
export interface AsyncCallOptions extends CallOptions {
  /** Aborting stops the guest at its next check point with `RuntimeError("interrupted")`. */
  readonly signal?: AbortSignal;
  /** Check points (function entries / taken branches) per slice before yielding (default 10,000). */
  readonly sliceSteps?: number;
}

/** Calls `fi` in slices, yielding to the event loop between them. Results and fuel equal a sync run. */
export async function invokeAsync<R>(fi: FuncInst, writeArgs: ArgWriter, readResults: ResultReader<R>, options: AsyncCallOptions = {}): Promise<R> {
  const sources: CancellationOptions | undefined =
    options.signal === undefined ? options.cancellation : { ...(options.cancellation ?? {}), signal: options.signal };
  const slice = options.sliceSteps ?? 10_000;
  if (typeof slice !== "number" || !Number.isInteger(slice) || slice < 1) throw new InvalidArgumentRangeError("options.sliceSteps", `must be an integer >= 1, got ${describeValue(slice)}`);
  const ctx = beginCall(fi, sources);
  try {
    writeArgs(ctx);
    if (fi.instance === undefined) callHost(ctx, fi, 0);
    else {
      enter(ctx, fi);
      ctx.sliceMode = true;
      ctx.interval = Math.min(slice, ctx.interval);
      ctx.steps = ctx.interval;
      for (;;) {
        reentrancy++;
        let r: number;
        try {
          r = run(ctx);
        } finally {
          reentrancy--;
        }
        if (r === 0) break;
        await yieldToEventLoop();
        const reason = ctx.cancel!.poll();
        if (reason !== undefined) throw new RuntimeError("interrupted", reason, { reason });
      }
    }
    const r = readResults(ctx);
    releaseContext(ctx);
    return r;
  } catch (e) {
    return failed(ctx, fi, e);
  }
}

/**
 * A call that can stop with `out-of-fuel` and continue later from the exact instruction
 * (fuel.md §6.3 "resume"): after `store.setFuel(n)`, `resume()` goes on; the final results and
 * the total fuel consumed equal an uninterrupted run.
 */
export class Resumable<R> {
  private ctx: ExecContext | undefined;
  private value: R | undefined = undefined;
  private need = 0;
  /** `"finished"` (results available) or `"out-of-fuel"` (top up, then `resume()`). */
  state: "finished" | "out-of-fuel" = "finished";

  /**
   * @internal Starts the call (`writeArgs` given), or, for a call restored from an execution
   * snapshot (`writeArgs` null), takes over the stopped `restored` context (out of fuel, its op
   * needing `required`).
   */
  constructor(
    private readonly fi: FuncInst,
    writeArgs: ArgWriter | null,
    private readonly readResults: ResultReader<R>,
    options?: CallOptions,
    restored?: { fill: (ctx: ExecContext) => void; required: number },
  ) {
    if (writeArgs === null) {
      const ctx = beginCall(fi, options?.cancellation);
      try {
        restored!.fill(ctx);
      } catch (e) {
        releaseContext(ctx);
        throw e;
      }
      this.ctx = ctx;
      this.state = "out-of-fuel";
      this.need = restored!.required;
      return;
    }
    const ctx = beginCall(fi, options?.cancellation);
    this.ctx = ctx;
    try {
      writeArgs(ctx);
    } catch (e) {
      failed(ctx, fi, e);
    }
    if (fi.instance === undefined) {
      reentrancy++;
      try {
        callHost(ctx, fi, 0);
      } catch (e) {
        failed(ctx, fi, e);
      } finally {
        reentrancy--;
      }
      this.finish();
      return;
    }
    enter(ctx, fi);
    this.go();
  }

  /** Results of a finished call. */
  get results(): R {
    if (this.state !== "finished") throw new InvalidStateError("call-not-finished", "the call has not finished (state out-of-fuel): setFuel and resume()");
    return this.value as R;
  }

  /** Fuel the stopped instruction needs (its cost), when out of fuel. */
  get required(): number {
    return this.need;
  }

  /** @internal The function called and the stopped context (out of fuel), for execution snapshots. */
  get _stopped(): { fi: FuncInst; ctx: ExecContext } | undefined {
    return this.state === "out-of-fuel" && this.ctx !== undefined ? { fi: this.fi, ctx: this.ctx } : undefined;
  }

  /** @internal The function the call entered first. */
  get _entered(): FuncInst {
    return this.fi;
  }

  /** Continues an out-of-fuel call with the store's current fuel. Returns this. */
  resume(): this {
    if (this.state !== "out-of-fuel" || this.ctx === undefined) throw new InvalidStateError("nothing-to-resume", "nothing to resume: the call has finished");
    const ctx = this.ctx;
    const store = ctx.store!;
    store._setRemaining(store._fuel + store._bank + ctx.credit);
    store._consumed -= ctx.credit;
    ctx.credit = 0;
    this.go();
    return this;
  }

  private go(): void {
    const ctx = this.ctx!;
    reentrancy++;
    try {
      run(ctx);
    } catch (e) {
      if (e instanceof RuntimeError && e.trap === "out-of-fuel" && ctx.oof) {
        this.state = "out-of-fuel";
        this.need = e.required ?? 0;
        return;
      }
      this.ctx = undefined;
      failed(ctx, this.fi, e);
    } finally {
      reentrancy--;
    }
    this.finish();
  }

  private finish(): void {
    const ctx = this.ctx!;
    this.ctx = undefined;
    this.state = "finished";
    try {
      this.value = this.readResults(ctx);
    } finally {
      releaseContext(ctx);
    }
  }
}
