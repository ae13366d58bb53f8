/**
 * Exact fuel at block speed (fuel.md §6.2). The loop charges fuel once per fuel block (a run of
 * ops up to a branch, call or return, through the labels control falls into: translate/
 * translator.ts): on entering a block at `pc` it charges `rest[pc]` (the cost of the block from
 * `pc` on), so the ops themselves carry no fuel code. This file holds the rare paths that keep the count exact:
 *
 * - `blockShortfall`: the block costs more than what the loop holds. When the store's bank
 *   (fuel beyond `FUEL_WINDOW`, runtime/costs.ts and runtime/store.ts) covers it, the block is
 *   charged and the loop goes on with a full register. Otherwise the block costs more than what
 *   is left: its ops are charged one by one as far as they fit whole; the first op that does not
 *   fit is overwritten with OOF_STOP (the original opcode is kept in the context), and the ops
 *   before it run normally. Blocks contain no branches or calls before their last op, so control
 *   reaches the stop unless an earlier op traps (the loop's catch restores the op). If the very
 *   first op does not fit, the stop happens at once.
 * - `outOfFuelAt`: at the op that does not fit, splits it back into the wasm instructions it
 *   stands for (`fuelSplits`), charges them in program order as far as fuel reaches and traps
 *   `out-of-fuel` with `required` = the first cost that does not fit. What was charged of that
 *   op is the resume *credit*: resuming re-runs the op from its start with the credit given back
 *   (everything charged before the failing instruction had only frame-local effects).
 * - `trapRefund`: after any other trap at op `pc`, the fuel pre-charged for the ops after it in
 *   its block is given back, so the count includes exactly the ops up to the trapping one.
 */
import { RuntimeError } from "../errors.js";
import { Op, opLength } from "../translate/opcodes.js";
import type { CompiledModule } from "../translate/translator.js";
import type { ExecContext } from "./context.js";

/** Traps `out-of-fuel` at the op at `pc`, `fuel` being what is left before it. */
export function outOfFuelAt(ctx: ExecContext, cm: CompiledModule, pc: number, fuel: number): never {
  const cost = cm.code[pc + 1]!;
  const split = cm.fuelSplits.get(pc);
  let f = fuel;
  let required = cost;
  if (split !== undefined) {
    for (let i = 0; i < split.length; i++) {
      const c = split[i]!;
      if (c > f) {
        required = c;
        break;
      }
      f -= c;
    }
  } else {
    // no entry: `cost` instructions of cost 1; all that fit are charged
    required = 1;
    f = 0;
  }
  ctx.oof = true;
  ctx.oofFuel = f;
  ctx.credit = fuel - f;
  throw new RuntimeError("out-of-fuel", `an instruction costs ${required}, ${f} left`, { required });
}

/** Entering the block at `pc` costs more than `fuel`: charges what fits and plants the stop. Returns the fuel left. */
export function blockShortfall(ctx: ExecContext, cm: CompiledModule, pc: number, fuel: number): number {
  // the loop holds at most FUEL_WINDOW (runtime/costs.ts): banked fuel may cover the block
  const store = ctx.store!;
  const covered = store._cover(fuel, cm.rest[pc]!);
  if (covered >= 0) return covered;
  if (store._bank > 0) fuel = store._drain();
  const code = cm.code;
  let f = fuel;
  let p = pc;
  for (;;) {
    const c = code[p + 1]!;
    if (c > f) break;
    f -= c;
    p += opLength(code, p);
  }
  if (p === pc) outOfFuelAt(ctx, cm, p, f);
  ctx.patchCode = code;
  ctx.patchPc = p;
  ctx.patchOp = code[p]!;
  code[p] = Op.OOF_STOP;
  return f;
}

/** The loop reached the planted stop at `pc`: restores the op and traps. */
export function fuelStop(ctx: ExecContext, cm: CompiledModule, pc: number, fuel: number): never {
  restorePatch(ctx);
  outOfFuelAt(ctx, cm, pc, fuel);
}

/** Puts back an op overwritten by `blockShortfall`, if any. */
export function restorePatch(ctx: ExecContext): void {
  if (ctx.patchPc >= 0) {
    ctx.patchCode![ctx.patchPc] = ctx.patchOp;
    ctx.patchPc = -1;
    ctx.patchCode = undefined;
  }
}

/**
 * Fuel to give back after a trap (not out-of-fuel) at the op at `pc`: what its block charged for
 * the ops after it (less the part a planted stop left uncharged).
 */
export function trapRefund(ctx: ExecContext, cm: CompiledModule, pc: number): number {
  const after = cm.rest[pc]! - cm.code[pc + 1]!;
  const uncharged = ctx.patchPc >= 0 ? cm.rest[ctx.patchPc]! : 0;
  return after - uncharged;
}
