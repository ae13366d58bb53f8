/**
 * Pair fusion (superinstructions chosen from the op mix of the whole bench suite, bench/op-mix.tsv):
 * after a function is translated, two adjacent ops of one basic block that form a pair of
 * {@link PAIRS} become one op, so the dispatch loop dispatches once for both.
 *
 * The rewrite is in place: the first op's opcode word becomes the pair's, its cost word the sum of
 * both costs, and the second op's words stay where they are (the pair op's layout in opcodes.ts
 * skips the second op's opcode and cost words). No code moves, so branch targets, labels and
 * return addresses keep their meaning, and a pair is one op of the length of the two.
 *
 * Exactness: the pair runs the first op, then the second (so the second sees the first's result
 * when they share a slot), as the two ops did. The first op of every pair cannot trap, writes
 * nothing but frame slots and does not end a block (opcodes.ts checks the last), so fuel charged for
 * the pair can only stop before it: the out-of-fuel path splits the pair's cost into its
 * instructions (`fuelSplits`, the first op's then the second's) exactly as for any op standing for
 * several instructions. The second op may trap, branch or end the block: the loop then runs it
 * from its own pc (the pair falls through into that op's case), so a trap there gives back what
 * its block charged after the second op (`rest` at the second op's pc, set by the translator's
 * `blockCosts`), as for the op alone. A pair costs at most FUEL_WINDOW (runtime/costs.ts), like
 * every op.
 */
import { FUEL_WINDOW } from "../runtime/costs.js";
import { OP_OPERANDS, opLength, PAIRS } from "./opcodes.js";
import { splitOf } from "./translator.js";

/** [first op, second op, pair op]: the pairs of the op table (translate/opcodes.ts). */
export { PAIRS };

/** For a pair op: where its second op's words start (its first op's length); others: undefined. */
export const PAIR_SECOND: ReadonlyMap<number, number> = new Map(PAIRS.map(([a, , f]) => [f, 2 + OP_OPERANDS[a]!]));

/** {@link PAIR_SECOND} as a table by opcode (0: not a pair), for the translator's passes over every op (no hashing). */
export const PAIR_SECOND_AT: Uint8Array = new Uint8Array(OP_OPERANDS.length);
for (const [op, at] of PAIR_SECOND) PAIR_SECOND_AT[op] = at;

/** 1 for an op that is the first op of some pair. */
const PAIR_FIRST = new Uint8Array(OP_OPERANDS.length);
for (const [a] of PAIRS) PAIR_FIRST[a] = 1;

/** Fused op by first op * 512 + second op (absent: no pair). */
const FUSED = new Map<number, number>(PAIRS.map(([a, b, f]) => [a * 512 + b, f]));

/**
 * Fuses the pairs in `code[entry, end)`. A pair never spans a basic-block start: its second op is
 * not at a label (`isLabel[pc - entry]` is 1 at one; the other block starts follow ops that end a
 * block, and no first op of a pair ends one). `splits` are the translator's fuel splits (the
 * entries of both ops become the pair's).
 */
export function fusePairs(code: Int32Array, entry: number, end: number, isLabel: Uint8Array, splits: Map<number, Int32Array>): void {
  let pc = entry;
  while (pc < end) {
    const len = opLength(code, pc);
    const next = pc + len;
    if (next < end && PAIR_FIRST[code[pc]!] === 1 && isLabel[next - entry] === 0) {
      const fused = FUSED.get(code[pc]! * 512 + code[next]!);
      const cost = code[pc + 1]! + code[next + 1]!;
      if (fused !== undefined && cost <= FUEL_WINDOW) {
        if (splits.has(pc) || splits.has(next)) {
          const a = splitOf(splits, pc, code[pc + 1]!), b = splitOf(splits, next, code[next + 1]!);
          const s = new Int32Array(a.length + b.length);
          s.set(a);
          s.set(b, a.length);
          splits.set(pc, s);
          splits.delete(next);
        }
        code[pc] = fused;
        code[pc + 1] = cost;
        pc = next + opLength(code, next);
        continue;
      }
    }
    pc = next;
  }
}
