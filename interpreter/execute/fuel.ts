/**
 * The exact out-of-fuel slow path (fuel.md §6.2). The loop charges each op's whole cost when
 * the remaining fuel covers it; when it does not, this splits the op back into the wasm
 * instructions it stands for (`CompiledModule.fuelSplits`), charges them in program order as far
 * as the fuel reaches, and traps `out-of-fuel` at the first one that does not fit, with
 * `required` = its cost. Everything charged before it only had effects invisible outside the
 * frame (see translate/translator.ts), so stopping here is exactly the per-instruction rule; the
 * part charged is the op's resume *credit*: resuming re-runs the op from its start with the
 * credit given back.
 */
import { RuntimeError } from "../errors.js";
import type { CompiledModule } from "../translate/translator.js";
import type { ExecContext } from "./context.js";

/** Always throws `out-of-fuel` for the op at `pc` whose cost exceeds `fuel`. */
export function fuelShortfall(ctx: ExecContext, cm: CompiledModule, pc: number, fuel: number): never {
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
  }
  ctx.oof = true;
  ctx.oofFuel = f;
  ctx.credit = fuel - f;
  throw new RuntimeError("out-of-fuel", `an instruction costs ${required}, ${f} left`, { required });
}
