/**
 * Exception handling at run time (Wasm 3.0 `throw`, `throw_ref`, `try_table`), without JS
 * recursion per wasm call: `throw` / `throw_ref` (rare.ts) raise an {@link ExceptionInst} as a JS
 * exception with every loop register saved in the context; {@link runCatching}, the driver that
 * runs the loop, catches it, looks for a handler by pc in the handler tables the translator made
 * (`CompiledModule.handlers`; `try_table` emits no op), unwinds the frame stack to it (across
 * instances), writes the payload (and the exnref) where the handler's label expects its values,
 * and runs the loop again from the label.
 *
 * The host boundary (JS API "run a host function", "call an Exported Function"):
 * - a host function called from wasm that throws: a wasm exception (an {@link ExceptionInst}, or
 *   a JS-API `WebAssembly.Exception` standing for one) is thrown on as that exception; any other
 *   JS value `v` becomes an exception of the JavaScript exception tag ({@link JS_TAG}) with
 *   payload `v`, which `catch_all` / `catch_all_ref` (and `catch` of an imported `JSTag`) catch;
 * - an exception that no handler catches leaves the outermost wasm frame of the invocation: an
 *   exception of {@link JS_TAG} as its payload value itself, any other one as
 *   {@link exceptionToJs} makes it (the JS API installs `WebAssembly.Exception`).
 *
 * Never catchable: traps (`RuntimeError`, which includes out-of-fuel, interrupts and the host
 * limits such as call-stack exhaustion), and host errors marked `UNCATCHABLE` (errors.ts; the
 * component layer marks what `canon lower` throws). They unwind everything as before.
 *
 * Fuel (docs/fuel.md): `throw` and `throw_ref` cost their cost-table entry like any instruction;
 * unwinding frames costs nothing; the handler's label is a basic-block start, charged on entry
 * like a branch target. The driver re-enters the loop, whose entry charges that block (or stops
 * out of fuel there, resumable from the label).
 */
import { catchableByWasm } from "../errors.js";
import { ExceptionInst, JS_TAG, jsValueException } from "../runtime/tag.js";
import { Op } from "../translate/opcodes.js";
import { HANDLER_WORDS } from "../translate/translator.js";
import type { ExecContext } from "./context.js";
import { run } from "./loop.js";

/** Internal opcodes (translate/opcodes.ts) that may call a host function, and those that raise. */
const { CALL_IMPORT, CALL_INDIRECT, RETURN_CALL_IMPORT, RETURN_CALL_INDIRECT, THROW, THROW_REF } = Op;

/** An exception's JS form when it leaves wasm (set by the JS API layer; default: the instance itself). */
export let exceptionToJs: (e: ExceptionInst) => unknown = (e) => e;
/** The exception a JS value stands for (a JS-API `WebAssembly.Exception`), or undefined. */
export let jsToException: (v: unknown) => ExceptionInst | undefined = () => undefined;

/** Installs the JS API's exception conversions (called once by the public API module). */
export function installExceptionConversions(toJs: (e: ExceptionInst) => unknown, fromJs: (v: unknown) => ExceptionInst | undefined): void {
  exceptionToJs = toJs;
  jsToException = fromJs;
}

/** The exception a value thrown by a host function stands for inside wasm (see the file comment). */
export function exceptionOf(v: unknown): ExceptionInst {
  if (v instanceof ExceptionInst) return v;
  return jsToException(v) ?? jsValueException(v);
}

/** Throws exception `e` out of wasm to the host (see the file comment). */
export function throwToHost(e: ExceptionInst): never {
  if (e.tag === JS_TAG) throw e.refs![0];
  throw exceptionToJs(e);
}

/**
 * Whether `e`, thrown out of the loop with the registers at `ctx.pc`, is a wasm exception that a
 * handler may catch: raised by `throw`/`throw_ref`, or thrown by a host function at a call op;
 * never a trap.
 */
function catchable(ctx: ExecContext, e: unknown): boolean {
  if (!catchableByWasm(e)) return false;
  const op = ctx.inst!.compiled.code[ctx.pc]!;
  if (op === THROW || op === THROW_REF) return e instanceof ExceptionInst;
  return op === CALL_IMPORT || op === CALL_INDIRECT || op === RETURN_CALL_IMPORT || op === RETURN_CALL_INDIRECT;
}

/**
 * Runs the loop of `ctx` (`loop.ts` `run`: 0 returned, 1 suspended), handling the exceptions that
 * wasm code catches. An exception no handler catches is thrown to the host ({@link throwToHost});
 * anything else (traps) is rethrown as is.
 */
export function runCatching(ctx: ExecContext): number {
  for (;;) {
    try {
      return run(ctx);
    } catch (e) {
      if (!catchable(ctx, e)) throw e;
      const exn = exceptionOf(e);
      if (!unwindTo(ctx, exn)) throwToHost(exn);
    }
  }
}

/**
 * Looks for the handler of `exn` from the registers saved in `ctx` outwards, frame by frame;
 * when found, pops the frames above it, writes the label's values and sets the registers to the
 * label. Returns false when no wasm frame of this invocation catches it.
 */
function unwindTo(ctx: ExecContext, exn: ExceptionInst): boolean {
  let inst = ctx.inst!;
  let pc = ctx.pc, fp = ctx.fp, fsp = ctx.fsp;
  const frames = ctx.frames;
  // a return_call* to a host function has already replaced its frame: its try_tables are left
  const op = inst.compiled.code[pc];
  let skip = op === RETURN_CALL_IMPORT || op === RETURN_CALL_INDIRECT;
  for (;;) {
    const cm = inst.compiled;
    const h = cm.handlers;
    const range = skip || h.length === 0 ? -1 : handlersOf(cm.handlerFuncs, pc);
    if (range >= 0) {
      for (let e = cm.handlerFuncs[range + 2]!, last = cm.handlerFuncs[range + 3]!; e < last; e += HANDLER_WORDS) {
        if (pc < h[e]! || pc >= h[e + 1]!) continue;
        const kind = h[e + 2]!;
        if (kind < 2 && inst.tags[h[e + 3]!] !== exn.tag) continue;
        deliver(ctx, exn, kind, fp + h[e + 5]!);
        ctx.pc = h[e + 4]!;
        ctx.fp = fp;
        ctx.fsp = fsp;
        ctx.inst = inst;
        return true;
      }
    }
    skip = false;
    // the frame returns: as the loop's RETURN does, without its results
    fsp -= 3;
    const rpc = frames[fsp]!;
    if (rpc < 0) {
      ctx.fsp = fsp;
      return false;
    }
    fp = frames[fsp + 1]!;
    if (frames[fsp + 2] !== 0) inst = ctx.instStack.pop()!;
    pc = rpc - 1; // inside the call op the frame was called from
  }
}

/** The index in `funcs` (`CompiledModule.handlerFuncs`) of the function holding `pc`, or -1 when it has no handlers. */
function handlersOf(funcs: readonly number[], pc: number): number {
  let lo = 0, hi = funcs.length / 4 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = mid * 4;
    if (pc < funcs[at]!) hi = mid - 1;
    else if (pc >= funcs[at + 1]!) lo = mid + 1;
    else return at;
  }
  return -1;
}

/** Writes what a catch clause of `kind` passes to its label, from word `dst` on: the payload (kinds 0, 1), the exnref (kinds 1, 3). */
function deliver(ctx: ExecContext, exn: ExceptionInst, kind: number, dst: number): void {
  let slot = dst >> 1;
  if (kind < 2) {
    ctx.s32.set(exn.words, dst);
    const r = exn.refs;
    if (r !== null) {
      for (let k = 0; k < r.length; k++) ctx.refs[slot + k] = r[k];
      ctx.refsDirty = true;
    }
    slot += exn.tag.slots;
  }
  if (kind === 1 || kind === 3) {
    ctx.refs[slot] = exn;
    ctx.refsDirty = true;
  }
}
