/**
 * Priming the dispatch loop (issue 11: no warm-up storm). V8 compiles an op case of `loop.ts`
 * that has never run (no type feedback) into a deoptimisation: a guest that reaches a new op, or
 * the other way of a branch, after V8 optimised the loop throws that code away, runs unoptimised
 * again and waits for another compile (~100–250 ms of compile time each, on this project's bench).
 * Real programs do this a few times each: their first phase (say, filling an array) gets the loop
 * optimised before the next phase (sorting it) has run a single op of its own.
 *
 * So the loop runs, early, every op the guest's translated code holds, on its main paths and both
 * ways of its branches: the primer's module (primer-module.ts, made by scripts/gen-primer.mjs)
 * has small functions ("snippets") written each for one op, and the primer (instantiate/primer.ts, registered here
 * with {@link registerPrimer}) calls the snippets a set of ops needs, in an instance and a store
 * of its own: the guest's state, fuel and cancellation are untouched, and only V8's feedback for
 * the loop changes. Only ops some guest holds are primed: an op no guest uses stays without
 * feedback and costs the optimised loop nothing.
 *
 * When: translating a function ({@link translateForRun}, the loop's and `invoke`'s way to
 * translate on first call) notes its ops. Priming starts at the end of the loop's priming chunks
 * (`loop.ts` `PRIME_CHUNKS`: 28 steps into the realm's first call that runs that long;
 * {@link enablePriming}), so a short call (the uppercase CLI run) never pays for it; from then
 * on, the ops of each module first met (the whole module when it is small, see
 * {@link WHOLE_MODULE_BYTES}; the snippets of its wasm operators when it is larger, see
 * {@link ownSnippets}) and of each function first translated are primed right away, before they
 * run. Priming costs 10–30 ms in a fresh process (the primer's module is decoded, validated and
 * instantiated once per realm).
 *
 * Everything at the second time: when, after the first priming and 100,000 steps (or 1,000,000
 * units of fuel) of guests, a function brings ops the loop has not run (a realm's second guest),
 * every snippet but the SIMD ones is primed at once (`broad` below). Primed op set by op set,
 * each of those deoptimised the loop V8 had optimised by then and paid another compile: the
 * bench's mixed process (18 programs in one realm) had 14-15 loop deoptimisations and ~25
 * compiles, against 2 and 4-6 with this (1 of them for its SIMD guest); the processes of the six
 * npm packages of the bench 33 and 12-15 (brotli-wasm 15 and 2-3, hash-wasm 6 and 1-2). One
 * larger compile serves them all (larger by what the ops it adds cost V8: @jsquash/png, whose
 * guest reaches it late, ran ~5-8 % longer). A realm whose first priming holds all it needs (a
 * module primed whole or by its operators: every bench workload, CoreMark, a CLI run, the npm
 * packages of the bench but hash-wasm) never pays for it.
 *
 * The broad priming meets a loop V8 has optimised, and V8 starts compiling it again at the
 * primer's first call, reading the feedback of the cases while the primer is still feeding them:
 * installed, that compile deoptimised at the first case it had read too early (the mixed
 * process's one deoptimisation besides its SIMD guest's). So when it has run, the loop changes a
 * guard ({@link broadPrimingDone}, loop.ts `BROAD_PRIMED`) that makes V8 throw such a compile
 * away: the mixed process's loop deoptimisations 2 -> 1 in 5 of 7 processes (2 in the others),
 * its 18 first calls ~7 % shorter in all.
 */
import type { CompiledModule } from "../translate/translator.js";
import { entryPcOf, translateFunction } from "../translate/translator.js";
import { KIND_OPERAND, opLength } from "../translate/opcodes.js";
import { SIMD_OPS } from "../translate/simd.js";
import { PAIR_SECOND_AT } from "../translate/pairs.js";
import { BY_NAME, INSTRUCTIONS, OPERATOR_COUNT, operatorIndex } from "../decode/opcode-table.js";
import type { ModuleInfo } from "../decode/module.js";
import { PRIMER_RARE, SNIPPET_CASES, SNIPPET_KINDED, SNIPPET_OF_KIND, SNIPPET_OPERATORS, SNIPPETS, SNIPPETS_OF_OP } from "./primer-module.js";
import { stepsRun } from "./checkpoint.js";
import { realmFuelConsumed } from "../runtime/store.js";

/** Runs snippets (indices into the primer module's snippets) in the primer's own instance. */
export type PrimerRunner = (snippets: readonly number[]) => void;

/** {@link KIND_OPERAND} by op (0: none), for the scan in {@link note}: each kind is primed on its own (`SNIPPET_OF_KIND`). */
const KIND_AT = new Int8Array(SNIPPETS_OF_OP.length);
for (const [op, at] of KIND_OPERAND) KIND_AT[op] = at;
/** Snippet of (op, kind): `KIND_SNIPPET[op * 32 + kind]` (-1: none). */
const KIND_SNIPPET = new Int16Array(SNIPPETS_OF_OP.length * 32).fill(-1);
for (const [op, kind, k] of SNIPPET_OF_KIND) {
  KIND_SNIPPET[op * 32 + kind] = k;
}

let runner: PrimerRunner | undefined;
/** Per snippet: 0 not wanted yet, 1 wanted (an op of a translated function needs it), 2 run. */
const state = new Uint8Array(SNIPPETS);
let wanted = 0;
let enabled = false;
let running = false;

/** Installs the primer (instantiate/primer.ts does, when it is loaded). */
export function registerPrimer(r: PrimerRunner): void {
  runner = r;
}

/**
 * Modules up to this many bytes of function bodies are primed whole: the first time priming
 * meets one (a function of it translated), all its functions are translated and their ops primed
 * in one go, so a small program's later phases cannot reach an op without feedback. A larger
 * module (where translating everything would cost more than it saves) gets the snippets of the
 * wasm operators it holds ({@link ownSnippets}), and then those of each function first called.
 * Measured with the npm packages of the bench (2026-12-05, 2-3 alternated processes each; CPU
 * time of the process): translated whole, vscode-oniguruma (163 KB of bodies) ran 22-27 % shorter
 * than primed by its operators and @jsquash/png (117 KB) about the same, while sql.js (587 KB)
 * ran 9-14 % and brotli-wasm (359 KB) 20-25 % longer than with every snippet primed (their
 * translation costs more than the cases it spares).
 */
const WHOLE_MODULE_BYTES = 256 * 1024;
/**
 * Bytes of function bodies a realm translates whole for priming, in all: a process that runs many
 * modules (a test suite, a fuzzer, a host with many small guests) stops translating them eagerly
 * once this is spent (priming goes on function by function; by then most snippets have run).
 */
const WHOLE_REALM_BYTES = 512 * 1024;
let wholeBytesLeft = WHOLE_REALM_BYTES;

/**
 * The snippets of the SIMD ops: not primed broadly (a guest with SIMD code brings them itself).
 * Their cases are long (four lanes each), and with them the broad compile of the loop took twice
 * as long (@jsquash/png's last two compiles: 590 and 710 ms against 260-340 and 320-380 without).
 */
const SIMD_SNIPPETS = new Set(SIMD_OPS.flatMap((op) => SNIPPETS_OF_OP[op]!));
/** Whether the realm has turned to priming every snippet (the file comment: everything at the second time). */
let broad = false;
/** Whether that broad priming has run (loop.ts `BROAD_PRIMED`). */
let broadRun = false;
/**
 * Steps (function entries and taken branches, execute/checkpoint.ts) the realm's guests must have
 * run before it turns to priming every snippet: until then V8 has likely not optimised the loop
 * yet, so new ops cost no deoptimisation, and a process that runs many short guests (a test file)
 * does not pay for the larger compile. (Without it this project's `npm test` took 582 s of CPU
 * instead of 514. The npm packages of the bench: 14-17 loop deoptimisations with this alone, 17
 * with 1,000,000, 8-9 without, 12-15 with {@link BROAD_AFTER_FUEL} too.) Steps count at check
 * points and at each call's end (execute/checkpoint.ts `countCallSteps`): until 2026-12-05 a call
 * shorter than the check point interval counted none, and a host making many short calls (sql.js)
 * stayed below this for most of its run.
 */
const BROAD_AFTER_STEPS = 100_000;
/**
 * Or fuel (about instructions, runtime/store.ts `realmFuelConsumed`) charged by the realm's stores:
 * hash code runs long between branches (hash-wasm's guests, one module per algorithm, each met
 * the optimised loop with new ops before 100,000 steps). Measured over the six npm packages of
 * the bench (3 alternated sets of processes each; loop deoptimisations per set): 5,000,000 13-14,
 * 1,000,000 10.7 (@dqbd/tiktoken 2-4 -> 0), 250,000 7 (sql.js 3-5 -> 0-1), but `npm test` then
 * took 547 s of CPU against 490 (1,000,000: 491).
 */
const BROAD_AFTER_FUEL = 1_000_000;

/**
 * Operator classes for {@link ownSnippets}, by operator index (decode/opcode-table.ts
 * `operatorIndex`): the translator writes some wasm operators as op cases of others, so a module
 * that holds one member of a class may run the op cases of every member. The comparisons of one
 * operand type: a comparison with a constant first becomes its mirror (the operands swapped), and a
 * fused branch on it may be negated (translate/ops-map.ts `NEGATED_BRANCH`). `i32.sub` and
 * `i64.sub` by a constant become an add of its negation; an `i32.rotr` by a constant an
 * `i32.rotl`; an `i64.rotl` or `i64.rotr` by a constant a rotate either way (translate/translator.ts
 * `binary`).
 */
const OPERATOR_CLASS = ((): Uint16Array => {
  const cls = new Uint16Array(OPERATOR_COUNT);
  for (let i = 0; i < OPERATOR_COUNT; i++) cls[i] = i;
  const first = new Map<string, number>(); // a comparison's operand type -> its class
  for (const ins of INSTRUCTIONS) {
    const m = /^([if](?:32|64))\.(?:eq|ne|[lg][te](?:_[su])?)$/.exec(ins.name);
    if (m === null) continue;
    if (!first.has(m[1]!)) first.set(m[1]!, operatorIndex(ins.code));
    cls[operatorIndex(ins.code)] = first.get(m[1]!)!;
  }
  for (const [a, b] of [["i32.add", "i32.sub"], ["i64.add", "i64.sub"], ["i32.rotl", "i32.rotr"], ["i64.rotl", "i64.rotr"]] as const) {
    cls[operatorIndex(BY_NAME.get(b)!.code)] = operatorIndex(BY_NAME.get(a)!.code);
  }
  return cls;
})();

/**
 * Bytes of function bodies of large modules a realm reads for {@link ownSnippets}, in all: past
 * them, a large module met turns the realm to priming every snippet (a host cycling through many
 * large guests stops reading them; one broad compile serves them all).
 */
const OWN_SCAN_REALM_BYTES = 16 * 1024 * 1024;
let ownScanBytesLeft = OWN_SCAN_REALM_BYTES;
/** Whether a large module met found {@link OWN_SCAN_REALM_BYTES} spent (the realm then primes broadly). */
let scanSpent = false;

/**
 * The snippets a module larger than {@link WHOLE_MODULE_BYTES} gets when priming meets it, before
 * any of its functions but the first is translated, but the SIMD ones: those whose wasm operators
 * (`SNIPPET_OPERATORS`, up to {@link OPERATOR_CLASS}) the module holds all of; the snippets of
 * every op those run (`SNIPPET_CASES`: an op's own snippets may use an operator the module lacks,
 * as the f32 one of 32-bit loads); and the rare ops' snippet (every compiled program has one,
 * `memory.grow` at least). Its functions bring new ops for as long as it runs (sql.js's statements,
 * brotli-wasm's levels), and each set of them, met after V8 optimised the loop, deoptimised it;
 * these hold nearly all the ops a module's code is translated to (test/interpreter/prime.test.ts
 * checks that on real programs) without translating it. Until 2026-12-05 such a module got every
 * snippet at once, whose compile costs more: over the npm packages of the bench (3 alternated
 * processes each, CPU time of the process), sql.js 4 % and brotli-wasm 3 % shorter with these,
 * @dqbd/tiktoken the same, with no loop deoptimisation in any of them either way (@jsquash/png and
 * vscode-oniguruma are primed whole now: 27 % and 13 % shorter than with every snippet). Reading
 * the operators costs about a validation of the module (spidermonkey.wasm, 4 MB: 40-160 ms).
 */
export function ownSnippets(m: ModuleInfo): number[] {
  const seen = new Uint8Array(OPERATOR_COUNT);
  for (const body of m.codes) body.markOperators(seen);
  const held = new Uint8Array(OPERATOR_COUNT);
  for (let i = 0; i < OPERATOR_COUNT; i++) if (seen[i] === 1) held[OPERATOR_CLASS[i]!] = 1;
  const picked = new Uint8Array(SNIPPETS);
  picked[PRIMER_RARE] = 1;
  for (let k = 0; k < SNIPPETS; k++) {
    if (!SNIPPET_OPERATORS[k]!.every((i) => held[OPERATOR_CLASS[i]!] === 1)) continue;
    picked[k] = 1;
    for (const c of SNIPPET_CASES[k]!) {
      if (c < SNIPPET_KINDED) for (const j of SNIPPETS_OF_OP[c]!) picked[j] = 1;
      else {
        const j = KIND_SNIPPET[c - SNIPPET_KINDED]!;
        if (j >= 0) picked[j] = 1;
      }
    }
  }
  const out: number[] = [];
  for (let k = 0; k < SNIPPETS; k++) if (picked[k] === 1 && !SIMD_SNIPPETS.has(k)) out.push(k);
  return out;
}

/** Modules whose functions were translated before priming started (primed whole then, if small): the last {@link EARLY_MODULES}. */
const EARLY_MODULES = 8;
let early: CompiledModule[] = [];
/** Modules already primed whole. */
const whole = new WeakSet<CompiledModule>();

/** Marks snippet `k` as wanted, unless it has been (or is to be) run. */
function want(k: number): void {
  if (k >= 0 && state[k] === 0) {
    state[k] = 1;
    wanted++;
  }
}

/** Notes the snippets the ops of translated function `f` of `cm` need. */
function note(cm: CompiledModule, f: number): void {
  snippetsOfFunction(cm, f, want);
}

/** Calls `use` with each snippet the ops of translated function `f` of `cm` need (some more than once). */
export function snippetsOfFunction(cm: CompiledModule, f: number, use: (k: number) => void): void {
  const fn = cm.funcs[f]!;
  const code = cm.code;
  for (let pc = fn.entry; pc < fn.end; pc += opLength(code, pc)) {
    snippetsOfOp(code, pc, use);
    // a pair (translate/pairs.ts): its second op's case runs too (the pair falls through into it,
    // or does the same work): that op's own snippets feed both ways of it, and each compare kind
    const second = PAIR_SECOND_AT[code[pc]!]!;
    if (second !== 0) snippetsOfOp(code, pc + second, use);
  }
}

/** Calls `use` with the snippets of the op at `pc` (by compare kind, for the ops that switch on one). */
function snippetsOfOp(code: Int32Array, pc: number, use: (k: number) => void): void {
  const op = code[pc]!;
  if (op >= SNIPPETS_OF_OP.length) return;
  const at = KIND_AT[op]!;
  if (at !== 0) {
    const k = KIND_SNIPPET[op * 32 + (code[pc + at]! & 31)]!;
    if (k >= 0) use(k);
  } else for (const k of SNIPPETS_OF_OP[op]!) use(k);
}

/**
 * When `cm` is small and not yet primed whole: translates all its functions and notes their ops.
 * When it is larger than {@link WHOLE_MODULE_BYTES}: wants its {@link ownSnippets} (or, past
 * {@link OWN_SCAN_REALM_BYTES}, every snippet).
 */
function noteWhole(cm: CompiledModule): void {
  if (whole.has(cm)) return;
  whole.add(cm);
  const codes = cm.env.m.codes;
  let bytes = 0;
  for (let i = 0; i < codes.length; i++) bytes += codes[i]!.end - codes[i]!.start;
  if (bytes > WHOLE_MODULE_BYTES) {
    if (broad) return;
    if (bytes > ownScanBytesLeft) {
      scanSpent = true;
      return;
    }
    ownScanBytesLeft -= bytes;
    for (const k of ownSnippets(cm.env.m)) want(k);
    return;
  }
  if (bytes > wholeBytesLeft) return;
  wholeBytesLeft -= bytes;
  try {
    for (let g = 0; g < codes.length; g++) {
      if (entryPcOf(cm, g) < 0) {
        translateFunction(cm, g);
        note(cm, g);
      }
    }
  } catch {
    // (a function the translator cannot take fails when it is called, as it would unprimed)
  }
}

/** Translates defined function `f` of `cm` (when not yet translated) and primes its ops (see the file comment). */
export function translateForRun(cm: CompiledModule, f: number): void {
  translateFunction(cm, f);
  if (running) return; // the primer's own functions
  note(cm, f);
  if (!enabled) {
    if (!early.includes(cm)) {
      // (a bounded list: a host running many short guests never starts priming)
      if (early.length === EARLY_MODULES) early.shift();
      early.push(cm);
    }
    return;
  }
  noteWhole(cm);
  if (!broad && (scanSpent || (wanted > 0 && (stepsRun() >= BROAD_AFTER_STEPS || realmFuelConsumed() >= BROAD_AFTER_FUEL)))) primeBroadly();
  else primePending();
}

/** Turns the realm to priming every snippet but the SIMD ones, and primes them (the file comment: everything at the second time). */
function primeBroadly(): void {
  broad = true;
  for (let k = 0; k < SNIPPETS; k++) if (!SIMD_SNIPPETS.has(k)) want(k);
  primePending();
  broadRun = true;
}

/**
 * Whether the realm's broad priming has run: the loop then changes its guard (loop.ts
 * `BROAD_PRIMED`), so that V8 throws away a compile of the loop that began while it ran.
 */
export function broadPrimingDone(): boolean {
  return broadRun;
}

/**
 * Called by the loop at the end of its priming chunks: primes the ops noted so far and, from now
 * on, those of every function translated. Returns true when this call did (false: priming had
 * started already, or this is the primer's own run).
 */
export function enablePriming(): boolean {
  if (enabled) return false;
  enabled = true;
  const mods = early;
  early = [];
  for (const cm of mods) noteWhole(cm);
  if (scanSpent) primeBroadly();
  else primePending();
  return true;
}

/** Runs the wanted snippets (once each per realm). A primer that fails stays off. */
function primePending(): void {
  if (wanted === 0 || running || runner === undefined) return;
  const snippets: number[] = [];
  for (let k = 0; k < state.length; k++) {
    if (state[k] !== 1) continue;
    state[k] = 2;
    snippets.push(k);
  }
  wanted = 0;
  running = true;
  try {
    runner(snippets);
  } catch {
    // priming is only about speed: a primer that cannot run must never affect a guest
    runner = undefined;
  } finally {
    running = false;
  }
}

/** For tests: whether priming has started in this realm, the snippets run so far, the ops waiting, and whether the broad priming was chosen and has run. */
export function primingState(): { enabled: boolean; snippetsRun: number; snippetsWanted: number; registered: boolean; broad: boolean; broadRun: boolean } {
  let n = 0;
  for (let k = 0; k < state.length; k++) if (state[k] === 2) n++;
  return { enabled, snippetsRun: n, snippetsWanted: wanted, registered: runner !== undefined, broad, broadRun };
}
