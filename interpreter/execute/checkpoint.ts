/**
 * Check points: the loop calls `checkpoint` when its step countdown (decremented at every wasm
 * function entry and every taken branch) reaches zero. It polls the cancellation sources and
 * traps `interrupted` when one fires; in async-slice mode it asks the loop to suspend.
 */
import { RuntimeError } from "../errors.js";
import type { ExecContext } from "./context.js";

/** Steps the realm's guests have counted down to check points (about how long they have run: execute/prime.ts reads it). */
let realmSteps = 0;

/** {@link realmSteps}. */
export function stepsRun(): number {
  return realmSteps;
}

/** Returns true when the loop should suspend (end of an async slice). */
export function checkpoint(ctx: ExecContext): boolean {
  realmSteps += ctx.interval;
  const reason = ctx.cancel!.poll();
  if (reason !== undefined) throw new RuntimeError("interrupted", reason, { reason });
  return ctx.sliceMode;
}

/** Before a bulk operation: polls the sources (interrupts when one fired) but never suspends. */
export function pollCancel(ctx: ExecContext): void {
  const reason = ctx.cancel!.poll();
  if (reason !== undefined) throw new RuntimeError("interrupted", reason, { reason });
}
