/**
 * The primer (see execute/prime.ts for why and when it runs): instantiates the primer's module
 * (execute/primer-module.ts) once per realm, in a store of its own with metering off, and calls
 * the snippets it is asked for with each of {@link ARG_SETS}. Loading this file registers it;
 * interpreter/index.ts and the WebAssembly namespace load it.
 */
import { invoke } from "../execute/invoke.js";
import { registerPrimer } from "../execute/prime.js";
import { PRIMER_HELPERS, PRIMER_HEX, PRIMER_SPIN, SNIPPETS_OF_OP } from "../execute/primer-module.js";
import { Op } from "../translate/opcodes.js";
import { entryPcOf, translateFunction } from "../translate/translator.js";
import { FuncInst } from "../runtime/func.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import { Store } from "../runtime/store.js";
import { decodeModule } from "../decode/index.js";
import type { BodyCheck } from "../decode/module.js";
import { instantiate } from "./instantiate.js";

/**
 * The snippets' arguments (x y: i32, X Y: i64 as low and high words, p q: f64, P Q: f32, a: an
 * address): x below, above and equal to y and to the snippets' immediates (100, 101), and zero; X
 * below and above Y, equal to it, and equal in its low word only (also to X + 1 and X + X, the
 * loop steps' first values); Y equal to X + 1 and to X + X (so a loop step that exits on "not
 * equal" falls through once); X zero. Values stay small: values of 2^31 and more (or their unsigned views)
 * would give V8 "number" feedback where a guest with small values has "small integer" feedback,
 * and slow its arithmetic down; a guest with large values feeds that itself. Addresses are aligned
 * (the unaligned path of the loads and stores is one shared out-of-line site of the loop,
 * execute/out-of-line-access.ts, which two snippets feed with odd offsets of their own).
 */
const ARG_SETS: readonly (readonly number[])[] = [
  // x, y,  Xlo, Xhi, Ylo, Yhi, p,   q,    P,    Q,    a
  [5, 9, 5, 0, 9, 0, 1.5, 2.25, 1.5, 2.25, 64],
  [200, 150, 200, 0, 150, 0, 2.25, 1.5, 2.25, 1.5, 64],
  [100, 100, 100, 0, 100, 0, 1, 1, 1, 1, 64],
  [0, 7, 7, 0, 7, 1, -1, -1, -1, -1, 64],
  [0, 7, 7, 0, 8, 1, -1, -1, -1, -1, 64],
  [0, 7, 7, 0, 14, 1, -1, -1, -1, -1, 64],
  [5, 6, 5, 0, 6, 0, 1.5, 2.25, 1.5, 2.25, 64],
  [5, 10, 5, 0, 10, 0, 1.5, 2.25, 1.5, 2.25, 64],
  [0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 64],
];

let instance: InstanceRuntime | undefined;
let store: Store | undefined;

/**
 * The primer's fuel: every snippet is bounded (test/interpreter/prime.test.ts runs them all, with
 * every argument set, well within it), so running out means a snippet that does not end: the
 * primer then stops for good (prime.ts) instead of holding up the guest.
 */
export const PRIMER_FUEL = 2_000_000;

/** The primer module's bytes, from their hex text (exported for the test that validates them). */
export function primerBytes(): Uint8Array {
  const b = new Uint8Array(PRIMER_HEX.length >> 1);
  for (let i = 0; i < b.length; i++) {
    const h = PRIMER_HEX.charCodeAt(2 * i), l = PRIMER_HEX.charCodeAt(2 * i + 1);
    b[i] = ((h < 97 ? h - 48 : h - 87) << 4) | (l < 97 ? l - 48 : l - 87); // "0".."9", "a".."f"
  }
  return b;
}

/**
 * Vouches for every function body of the primer's module: it is this package's own constant,
 * made by scripts/gen-primer.mjs and validated by test/interpreter/prime.test.ts, so the primer
 * decodes it without validating it. (Validating it was the first use of many of the validator's
 * paths in a process, ~5 ms of a fresh process's first long call, against ~2 ms to decode it.)
 */
const TRUSTED: BodyCheck = { check: () => true };

function primerInstance(): InstanceRuntime {
  if (instance !== undefined) return instance;
  const m = decodeModule(primerBytes(), { bodyCheck: () => TRUSTED });
  store = new Store({ fuel: PRIMER_FUEL });
  const resolve = (v: unknown): FuncInst | undefined => (v instanceof FuncInst ? v : undefined);
  const host = (x: unknown): number => ((x as number) + 1) | 0;
  instance = instantiate(m, { t: { host } }, store, resolve);
  return instance;
}

/** The fuel the primer has used in this realm. */
export function primerFuelUsed(): number {
  return store === undefined ? 0 : store.fuelConsumed;
}

/** Calls snippet `k` with argument set `s`. */
function callSnippet(inst: InstanceRuntime, k: number, s: readonly number[]): void {
  const fi = inst.funcs[1 + PRIMER_HELPERS + k]!; // (after the import and the helpers)
  invoke(
    fi,
    (ctx) => {
      const w = ctx.s32;
      w[0] = s[0]!; // x
      w[2] = s[1]!; // y
      w[4] = s[2]!; w[5] = s[3]!; // X
      w[6] = s[4]!; w[7] = s[5]!; // Y
      ctx.f64[4] = s[6]!; // p (slot 4)
      ctx.f64[5] = s[7]!; // q
      ctx.f32[12] = s[8]!; // P (slot 6)
      ctx.f32[14] = s[9]!; // Q
      w[16] = s[10]!; // a (slot 8)
    },
    () => undefined,
  );
}

/**
 * Iterations of the primer's `spin` loop run before its first snippets in a realm. V8 allocates
 * the loop's feedback vector only once the loop has run for a while (its budget is 8 times its
 * bytecode, about 33 KB: `--interrupt-budget-factor-for-feedback-allocation`), and an op case
 * run before that records no type feedback; nor does a run of the loop that started before
 * (an interpreter frame keeps the vector it entered with). The snippets are short runs of the loop
 * each, so without this the first ones of a fresh process could run unrecorded (traced with
 * %DebugPrint: the vector appeared at the 12th of sieve's 17 snippets, and its I32_ADD and
 * I32_LOAD8_U cases were compiled without feedback and deoptimised). In a fresh realm the spin
 * gets the vector after 250-300 iterations (Node 20); this is four times that, well under a
 * millisecond. More is worse: every iteration after the vector exists also counts towards V8's
 * decision to compile the loop, and a compile that starts while the snippets run sees only part
 * of their feedback (4,096 iterations: 10-11 deoptimisations over the 16 bench workloads, against
 * 2-6 with 1,200 and 5-8 without the spin; bench/README.md).
 */
const SPIN_ITERATIONS = 1200;
/**
 * The spin runs with a check point every this many taken branches, so that the loop's slow path
 * (its check points, execute/loop.ts) also runs once the vector exists. The guest's priming chunks
 * pass through it, but often before V8 has allocated the vector (traced with %DebugPrint: fib's
 * 252 priming steps all ran without one, json's all but the last chunk), and a loop compiled
 * without that feedback deoptimised at the guest's first check point after it (fib and sieve in
 * the bench: "insufficient type feedback for compare operation" at `slow >= SLOW_RELOAD`).
 */
const SPIN_CHECK_INTERVAL = 64;
let spun = false;

/** Runs the primer's `spin` loop once per realm, so that the loop has its feedback vector (and its check points have run) before the snippets run. */
function allocateFeedback(inst: InstanceRuntime): void {
  spun = true;
  invoke(inst.funcs[1 + PRIMER_SPIN]!, (ctx) => { ctx.s32[0] = SPIN_ITERATIONS; }, () => undefined, { cancellation: { checkInterval: SPIN_CHECK_INTERVAL } });
}

let refillFed = false;

/**
 * Feeds the loop's refill path once per realm. Running code holds at most FUEL_WINDOW (2^30 - 1)
 * of a budget and moves more in from the store's bank when a block does not fit (runtime/store.ts,
 * execute/fuel.ts `blockShortfall`); a guest does so after 2^30 units, long after V8 optimised
 * the loop, so those call sites must have run before or the loop deoptimises there (measured: 11
 * of the bench's 20 deoptimisations before this). The CALL snippet runs twice with the primer's
 * store holding just too little: nothing (the charge at the loop's entry), then exactly the cost
 * of its entry block (the callee's entry block is charged in the loop's shared charge tail).
 */
function feedRefill(inst: InstanceRuntime, st: Store): void {
  refillFed = true;
  const k = SNIPPETS_OF_OP[Op.CALL]![0]!;
  const s = ARG_SETS[0]!;
  callSnippet(inst, k, s); // (translates it)
  st._holdAtMost(0);
  callSnippet(inst, k, s);
  const cm = inst.compiled;
  st._holdAtMost(cm.rest[entryPcOf(cm, PRIMER_HELPERS + k)]!);
  callSnippet(inst, k, s);
}

/** Calls each snippet in `snippets` once with every argument set (the first time, after the spin, and then feeds the refill path). */
export function runPrimer(snippets: readonly number[]): void {
  const inst = primerInstance();
  if (!spun) allocateFeedback(inst);
  // All translated first (V8 may start compiling the loop while the primer runs, and reads the
  // cases' feedback as the compile goes: the translator run between the snippets kept it
  // incomplete for longer), then each snippet with every argument set. (Every snippet with one
  // set, then with the next, made the first calls of json and sha256 ~30 % slower: measured,
  // bench/README.md.)
  for (const k of snippets) if (entryPcOf(inst.compiled, PRIMER_HELPERS + k) < 0) translateFunction(inst.compiled, PRIMER_HELPERS + k);
  for (const k of snippets) for (const s of ARG_SETS) callSnippet(inst, k, s);
  // (after the snippets: run before them, the loop still deoptimised at that call; measured,
  // bench/README.md)
  if (!refillFed) feedRefill(inst, store!);
}

registerPrimer(runPrimer);
