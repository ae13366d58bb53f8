/**
 * Fixed-width SIMD (v128) instructions: the internal op SIMD (translate/opcodes.ts), reached from
 * the dispatch loop through rare.ts with every loop register saved in `ctx`.
 *
 * Not implemented yet: the translator never emits SIMD (the decoder refuses the 0xFD prefix with
 * CompileError `unsupported`), so reaching this is an internal error.
 */
import type { ExecContext } from "./context.js";

/** Runs the SIMD op at `ctx.pc`; returns the pc of the next op. */
export function simdOp(ctx: ExecContext): number {
  throw new Error(`executor: SIMD op at ${ctx.pc} but SIMD is not implemented`);
}
