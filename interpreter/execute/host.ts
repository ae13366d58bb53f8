/**
 * Calls from running wasm code out to host functions (plain JS functions imported by a module):
 * arguments are read from the callee's argument slots and converted to JS values; results are
 * converted back and written where the caller expects them (the same slots).
 *
 * Whatever a host function throws reaches the caller of the outermost wasm export as that same
 * value unless a wasm handler catches it (`catch_all`: `exceptions.ts`), as the WebAssembly JS API requires (Emscripten's exception and `longjmp` glue throws a
 * value through wasm frames and catches it on the other side). The frames it unwinds are
 * released, with fuel settled as for a trap (`loop.ts` `run`). Layers that promise typed errors
 * wrap it there: the component layer turns it into a `GuestTrap` (`canonical-abi/abi/canon-lift.ts`),
 * and the batch host into a `PureflowError`.
 */
import { canonicalIn } from "../decode/matching.js";
import type { FuncInst } from "../runtime/func.js";
import type { ExecContext } from "./context.js";
import { checkNoV128, readJs, writeJs } from "./values.js";

/** Runs host function `f` with arguments at word `base` of `ctx`; writes its results there. */
export function callHost(ctx: ExecContext, f: FuncInst, base: number): void {
  const t = f.type;
  checkNoV128(t); // the JS API: a TypeError before the host function runs
  const np = t.params.length;
  const args = new Array<unknown>(np);
  for (let k = 0; k < np; k++) args[k] = readJs(ctx, base + 2 * k, t.params[k]!);
  const r = f.host!(...args);
  const nr = t.results.length;
  if (base + 2 * nr > ctx.s32.length) ctx.growWords(base + 2 * nr);
  if (nr === 1) writeJs(ctx, base, canonicalIn(t, t.results[0]!), r);
  else if (nr > 1) {
    if (r === null || typeof r !== "object" || !(Symbol.iterator in r)) throw new TypeError(`host function must return an iterable of ${nr} values`);
    const list = [...(r as Iterable<unknown>)];
    if (list.length !== nr) throw new TypeError(`host function returned ${list.length} values, expected ${nr}`);
    for (let k = 0; k < nr; k++) writeJs(ctx, base + 2 * k, canonicalIn(t, t.results[k]!), list[k]);
  }
}
