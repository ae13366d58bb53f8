/**
 * Check points: the loop calls `checkpoint` when its step countdown (decremented at every wasm
 * function entry and every taken branch) reaches zero. It polls the cancellation sources and
 * traps `interrupted` when one fires; in async-slice mode it asks the loop to suspend.
 */
import { RuntimeError } from "../errors.js";
import type { ExecContext } from "./context.js";

/** Steps the realm's guests have counted down (about how long they have run: execute/prime.ts reads it). */
let realmSteps = 0;

/** {@link realmSteps}. */
export function stepsRun(): number {
  return realmSteps;
}

/**
 * Counts, at the end of a call, the steps it ran since its last check point (or its start): a
 * call shorter than the check point interval reaches none, and a host making many short calls
 * (sql.js's statements, a tokenizer's words) ran its guests for a long time with nothing counted.
 */
export function countCallSteps(ctx: ExecContext): void {
  const used = ctx.interval - ctx.steps;
  if (used > 0) realmSteps += used;
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
