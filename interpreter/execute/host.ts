/**
 * Calls from running wasm code out to host functions (plain JS functions imported by a module):
 * arguments are read from the callee's argument slots and converted to JS values; results are
 * converted back and written where the caller expects them (the same slots). A host exception
 * that is not already a trap becomes `RuntimeError("host-error")` with the exception as `cause`.
 */
import { RuntimeError } from "../errors.js";
import type { FuncInst } from "../runtime/func.js";
import type { ExecContext } from "./context.js";
import { readJs, writeJs } from "./values.js";

/** Runs host function `f` with arguments at word `base` of `ctx`; writes its results there. */
export function callHost(ctx: ExecContext, f: FuncInst, base: number): void {
  const t = f.type;
  const np = t.params.length;
  const args = new Array<unknown>(np);
  for (let k = 0; k < np; k++) args[k] = readJs(ctx, base + 2 * k, t.params[k]!);
  let r: unknown;
  try {
    r = f.host!(...args);
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new RuntimeError("call-stack-exhausted", "JS stack exhausted in a host function");
    throw new RuntimeError("host-error", e instanceof Error ? e.message : String(e), { cause: e });
  }
  const nr = t.results.length;
  if (base + 2 * nr > ctx.s32.length) ctx.growWords(base + 2 * nr);
  if (nr === 1) writeJs(ctx, base, t.results[0]!, r);
  else if (nr > 1) {
    if (r === null || typeof r !== "object" || !(Symbol.iterator in r)) throw new TypeError(`host function must return an iterable of ${nr} values`);
    const list = [...(r as Iterable<unknown>)];
    if (list.length !== nr) throw new TypeError(`host function returned ${list.length} values, expected ${nr}`);
    for (let k = 0; k < nr; k++) writeJs(ctx, base + 2 * k, t.results[k]!, list[k]);
  }
}
