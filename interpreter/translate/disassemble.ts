/**
 * A readable listing of translated code, for debugging and tests: one line per internal op with
 * its pc, name, fuel cost (and split) and operands (slots shown as `sN`, immediates as numbers,
 * branch targets as `@pc`; the words a pair op does not read as `_`).
 */
import type { CompiledModule } from "./translator.js";
import { translateFunction } from "./translator.js";
import { OP_NAMES, OP_OPERANDS, Op, opLength } from "./opcodes.js";
import { PAIR_SECOND } from "./pairs.js";
import { simdSubName } from "./simd.js";

/** Lists the ops of defined function `defIndex` of `cm` (translating it if it was not yet). */
export function disassemble(cm: CompiledModule, defIndex: number): string {
  translateFunction(cm, defIndex);
  const code = cm.code;
  const { entry: start, end } = cm.funcs[defIndex]!;
  const lines: string[] = [];
  for (let pc = start; pc < end; pc += opLength(code, pc)) {
    const op = code[pc]!;
    const name = op === Op.SIMD ? `SIMD ${simdSubName(code[pc + 3]!)}` : OP_NAMES[op] ?? `?${op}`;
    const split = cm.fuelSplits.get(pc);
    const cost = `${code[pc + 1]}${split ? `[${Array.from(split).join("+")}]` : ""}`;
    const ops: string[] = [];
    const n = op === Op.BR_TABLE ? 2 + code[pc + 3]! + 1 : op === Op.SIMD ? code[pc + 2]! - 2 : OP_OPERANDS[op]!;
    const second = PAIR_SECOND.get(op); // a pair: its second op's opcode and cost words are not read
    for (let k = 0; k < n; k++) ops.push(second !== undefined && (k + 2 === second || k + 2 === second + 1) ? "_" : String(code[pc + 2 + k]));
    lines.push(`${String(pc).padStart(6)}  ${name.padEnd(18)} ${cost.padEnd(10)} ${ops.join(" ")}`);
  }
  return lines.join("\n");
}
