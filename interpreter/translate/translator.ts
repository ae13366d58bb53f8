/**
 * Translation: validated wasm function bodies (the decoder's flat instruction stream) into the
 * register-style internal code of `opcodes.ts`, one growing `Int32Array` per module, each
 * function on its first call ({@link translateFunction}).
 *
 * How it works (one pass per function):
 * - Frame layout, in slots: `[params | declared locals | scratch | operand stack]`. Operand-stack
 *   position `h` has a fixed *home* slot; the translator tracks stack heights statically.
 * - A compile-time stack records where each operand value is: a local (`local.get` emits
 *   nothing), a constant (emits nothing; becomes an immediate or is materialised on demand), a
 *   local plus a constant (`local.get x; i32.const c; i32.add` emits nothing; loads and stores
 *   fold it into their address) or its home slot (a *temp*, written by the op that produced it).
 *   `local.set` after an op retargets that op's destination to the local.
 * - Fuel: the cost of every wasm instruction that emits no op (local.get/set/tee, consts, drop,
 *   nop, block, ...) is kept *pending* and added to the next emitted op, whose cost is then the
 *   sum; the split is recorded in `fuelSplits` for the exact slow path. This only ever defers
 *   charges across effects that are invisible outside the frame (local writes), so every
 *   observable point (trap, memory/global/table write, call, out-of-fuel) sees the exact count.
 *   The executor charges whole fuel blocks (`rest`, computed by `blockCosts`): a block runs from
 *   the entry or the op after a branch, call or return (any BLOCK_END op) to the next such op,
 *   *through* the labels inside it (a branch to a label charges the rest of the block from
 *   there, so falling into a label costs no dispatch); a label reached with pending fuel gets an
 *   ENTER op first, which ends the block (the pending cost is the ENTER's, charged on the way in
 *   only).
 * - Fusion: an i32/i64 comparison (or `eqz`) immediately followed by `br_if`/`if` becomes one
 *   compare-and-branch op, and an `i32.add` of a constant right before it folds in too
 *   (ADD_IMM_BR, the usual loop step; also a plain `br_if` on such a sum, a count-down loop),
 *   and so does an i64.add (slot or constant) before an i64 compare-and-branch (I64_ADD_BR,
 *   I64_ADD_IMM_BR); `f64.mul` followed by an `f64.add` of its result is F64_MUL_ADD (two
 *   roundings, exactly as the two instructions); binary ops with a constant operand use immediate forms;
 *   constants used as operands inside loops live in pool slots set once at the outermost loop's
 *   entry; `i32.wrap_i64` and reinterpretations are retypes.
 * - Branches copy block results into the target block's home slots only where they are not
 *   already there; dead code after unconditional transfers is skipped.
 * - Once a function is translated, adjacent plain ops of the pairs in `pairs.ts` (two copies, two
 *   `i32.add`s) become one op in place.
 */
import type { FuncType, ModuleInfo } from "../decode/module.js";
import { immediateWords, isRefType } from "../decode/module.js";
import { Imm, INSTRUCTIONS, SIMD_WORD } from "../decode/opcode-table.js";
import type { CostModel } from "../runtime/costs.js";
import { costIndex, FUEL_WINDOW } from "../runtime/costs.js";
import { BINARY, FUSED_BRANCH, LOAD_RR, LOADS, NEGATED_BRANCH, STORE_RR, STORES, UNARY } from "./ops-map.js";
import { BLOCK_END, Op, opLength } from "./opcodes.js";
import { fusePairs, PAIR_SECOND_AT } from "./pairs.js";
import { SIMD_FAST, SIMD_FAST_MEMORY, SIMD_GLOBAL_GET, SIMD_GLOBAL_SET, SIMD_SELECT, simdLowering, slotsOf, V128, widthOf } from "./simd.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70;
const TEMP = 0, LOCAL = 1, CONST = 2, LAZY_ADD = 3;
/** Most constants one function keeps in pool slots. */
const MAX_POOL = 64;

/** Opcode word of `v128.const`, and its SIMD sub-op. */
const V128_CONST_SUB = 0x0c;
const V128_CONST = SIMD_WORD | V128_CONST_SUB;

/** Key of a pool constant: its kind (0 32-bit, 1 64-bit, 2 v128) and value words. */
function poolKey(kind: number, words: readonly number[]): string {
  return kind === 2 ? `128:${words.join(":")}` : `${kind === 1 ? 64 : 32}:${words[0]}:${words[1]}`;
}

/** Per-function facts the executor needs. */
export interface CompiledFunc {
  readonly typeIndex: number;
  /** Code index of the first op. */
  readonly entry: number;
  /** Code index just past the function's last op. */
  readonly end: number;
  /** Slots the parameters take (a v128 takes two slots, every other value one). */
  readonly numParams: number;
  /** Slots of params + declared locals + constant pool + scratch. */
  readonly numLocals: number;
  /** Slots the frame needs (locals + operand stack), at least the result count. */
  readonly frameSlots: number;
  /** Slots the results take. */
  readonly numResults: number;
  /** Slots (frame-relative) of declared locals of reference type, set to null at entry. */
  readonly refLocals: Int32Array;
}

/**
 * A module's translated code, shared by every instance of the module with the same cost model.
 *
 * Functions are translated **lazily**, on their first call (as wasmi does): the module was fully
 * validated at compile time, so translation cannot fail, and a function that never runs costs
 * nothing. `code` and `rest` grow as functions are appended (the arrays are replaced, so a
 * holder reloads them after anything that may translate: a call, a host call); the per-function
 * facts ({@link CompiledModule.funcInfo}) have an entry per defined function from the start, an entry
 * pc of -1 until `f` is translated. {@link translateFunction} translates one function,
 * {@link translateModule} all.
 */
export interface CompiledModule {
  /** The internal code of every translated function (capacity may exceed what is used). */
  code: Int32Array;
  /** Per defined function, once translated. */
  readonly funcs: (CompiledFunc | undefined)[];
  /**
   * Per defined function `f`, what a call of it needs, {@link FUNC_INFO_WORDS} words from
   * `f * FUNC_INFO_WORDS` (read with {@link entryPcOf}, {@link frameWordsOf}, {@link localsStartOf}
   * and {@link localsEndOf} outside the loop):
   * - `FI_ENTRY`: its entry pc; -1 until it is translated;
   * - `FI_FRAME_WORDS`: the words of its frame (parameters, locals, operand slots);
   * - `FI_LOCALS_START`: its first declared local's word (its locals are zeroed from here);
   * - `FI_LOCALS_END`: the end of its locals' words (even), plus 1 when it has reference locals
   *   (they are set to null as well).
   *
   * One array rather than one per fact, so that a call reads its callee's from one place (issue 11:
   * five typed arrays per call before; with the loop's capacities as constants and the locals
   * zeroed two words a step, fib's steady state -8 to -12 % in alternated processes). The loop
   * reads it with literal offsets (`f << 2`, then `info[f + 1]` for the frame words, ...);
   * test/interpreter/engine-opcodes.test.ts checks them against these constants.
   */
  readonly funcInfo: Int32Array;
  /**
   * For ops standing for several wasm instructions: their individual costs, in program order.
   * An op without an entry stands for `cost` instructions of cost 1 (see {@link splitOf}).
   */
  readonly fuelSplits: ReadonlyMap<number, Int32Array>;
  /**
   * Per op (indexed by its pc): the fuel cost of the rest of its fuel block from this op on,
   * inclusive. At a block's first op this is the block's cost, charged on entry.
   */
  rest: Int32Array;
  readonly costs: CostModel;
  /** Whether float arithmetic results are NaN-canonicalised (CANON_F32/CANON_F64 after them). */
  readonly canonicalizeNaNs: boolean;
  /** The translator's state (the module, the growing code), used by {@link translateFunction}. */
  readonly env: Env;
  /**
   * Exception handlers of every translated function ({@link HANDLER_WORDS} words each, see
   * {@link HandlerWord}): for each catch clause of each `try_table`, the code range of its body,
   * the clause, and where it sends control. A function's entries are appended when it is
   * translated, innermost `try_table` first and clauses in order, so the first entry whose range
   * holds a pc is the handler the spec's `throw` finds first. `try_table` emits no op.
   */
  readonly handlers: number[];
  /**
   * The functions that have handler entries, in translation order (so by increasing code index):
   * four words each, the function's code range `[entry, end)` and its entries' word range
   * `[first, last)` in {@link handlers}. The unwinder finds a pc's function by binary search.
   */
  readonly handlerFuncs: number[];
}

/** Words per exception handler entry in `CompiledModule.handlers`. */
export const HANDLER_WORDS = 6;
/**
 * The words of a handler entry: the body's code range `[start, end)`, the clause kind (0 `catch`,
 * 1 `catch_ref`, 2 `catch_all`, 3 `catch_all_ref`), the module's tag index (catch kinds 0 and 1),
 * the label's code index (a basic-block start) and the frame-relative word where the label's
 * values go (the payload, then the exnref for the `_ref` kinds).
 */
export const HandlerWord = { start: 0, end: 1, kind: 2, tag: 3, target: 4, dst: 5 } as const;

/** A catch clause of a `try_table` being translated. */
interface Clause {
  readonly kind: number;
  readonly tag: number;
  /** The block the clause's label names. */
  readonly label: Ctrl;
  /** Frame-relative word of the label's first value. */
  readonly dst: number;
}

interface Ctrl {
  kind: "block" | "loop" | "if" | "func" | "try";
  /** Stack height below the block's params. */
  base: number;
  params: readonly number[];
  results: readonly number[];
  /** Code index of the loop head (loops). */
  loopPc: number;
  /** Code positions of forward branch targets to patch with the end label. */
  patches: number[];
  /** `if`: position of the branch-to-else target, -1 once patched. */
  elsePatch: number;
  /** `if` with params: first scratch slot holding a copy of the params. */
  scratch: number;
  unreachable: boolean;
  sawElse: boolean;
  /** Handler entries (indices into the function's pending entries) whose target is this block's end label. */
  handlerPatches?: number[];
  /** `try_table`: code index where its body starts, and its catch clauses. */
  tryStart?: number;
  clauses?: Clause[];
}

function blockSig(m: ModuleInfo, bt: number): FuncType {
  if (bt === -1) return { params: [], results: [] };
  if (bt < -1) return { params: [], results: [(-2 - bt) as FuncType["results"][number]] };
  return m.types[bt]!;
}

/** Whether values of type `t` are references (kept in the reference slots). */
function isRef(t: number): boolean {
  return isRefType(t);
}

const I32_IMM_SPECIAL = new Set([0x6b, 0x74, 0x75, 0x76, 0x77, 0x78]);
const I64_IMM = new Set([0x7c, 0x7d, 0x7e, 0x83, 0x86, 0x87, 0x88]);

/**
 * Whether the constant at `pc` will be consumed as an immediate (or written straight into a
 * local) by the translator, so it needs no constant-pool slot: `c op` with an immediate form,
 * `c local.get op` with a commutative/mirrored immediate form, `c local.set/tee`.
 */
function becomesImmediate(code: Int32Array, pc: number): boolean {
  const op = code[pc]!;
  const n1 = pc + 1 + immediateWords(code, pc);
  const next = code[n1]!;
  if (next === 0x21 || next === 0x22) return true;
  if (op === 0x41) {
    const b = BINARY.get(next);
    if (b !== undefined && b.operand === I32 && (b.imm >= 0 || I32_IMM_SPECIAL.has(next))) return true;
    if (next === 0x20) {
      const n2 = code[n1 + 2]!;
      const b2 = BINARY.get(n2);
      if (b2 !== undefined && b2.operand === I32 && b2.imm >= 0 && (b2.commutative || b2.mirror >= 0)) return true;
      if (n2 === 0x6b) return true;
    }
  }
  if (op === 0x42 && I64_IMM.has(next)) return true;
  return false;
}

/** The translator's output: a growable Int32Array (half the memory of a JS array), with the parallel `rest` array. */
class CodeBuffer {
  a: Int32Array = new Int32Array(1024);
  private n = 0;
  get length(): number {
    return this.n;
  }
  /** Truncates (only ever shortens). */
  set length(n: number) {
    this.n = n;
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  slice(from: number, to: number): number[] {
    return Array.from(this.a.subarray(from, to));
  }
}

/** The individual costs of the op at `pc` with total `cost` (stored, or `cost` ones). */
export function splitOf(splits: ReadonlyMap<number, Int32Array>, pc: number, cost: number): Int32Array {
  return splits.get(pc) ?? new Int32Array(cost).fill(1);
}

/**
 * Float instructions whose NaN results may carry any NaN bits (spec: "nondeterministic NaN"),
 * by wasm opcode -> result type: the opcode table's `nanResult` ones (ceil/floor/trunc/nearest/
 * sqrt, add/sub/mul/div/min/max, demote, promote; abs/neg/copysign are bit operations and exact).
 */
const NAN_RESULT = new Map<number, number>(INSTRUCTIONS.filter((i) => i.nanResult === true).map((i) => [i.code, i.results![0]!]));

/** A module ready for lazy translation: nothing is translated yet. */
export function createCompiledModule(m: ModuleInfo, costs: CostModel, canonicalizeNaNs = false): CompiledModule {
  const funcTypes: number[] = [];
  const globalTypes: number[] = [];
  const tableTypes: number[] = [];
  const table64: number[] = [];
  const memory64: number[] = [];
  for (const imp of m.imports) {
    if (imp.desc.kind === "func") funcTypes.push(imp.desc.typeIndex);
    else if (imp.desc.kind === "global") globalTypes.push(imp.desc.type.valType);
    else if (imp.desc.kind === "table") {
      tableTypes.push(imp.desc.type.elemType);
      table64.push(imp.desc.type.addressType === I64 ? 1 : 0);
    } else if (imp.desc.kind === "memory") memory64.push(imp.desc.type.addressType === I64 ? 1 : 0);
  }
  for (const t of m.funcs) funcTypes.push(t);
  for (const g of m.globals) globalTypes.push(g.type.valType);
  for (const t of m.tables) {
    tableTypes.push(t.elemType);
    table64.push(t.addressType === I64 ? 1 : 0);
  }
  for (const mt of m.memories) memory64.push(mt.addressType === I64 ? 1 : 0);
  const out = new CodeBuffer();
  const env: Env = { m, costs, canonicalizeNaNs, out, splits: new Map(), funcTypes, globalTypes, tableTypes, table64: Uint8Array.from(table64), memory64: Uint8Array.from(memory64), labels: [], isLabel: new Uint8Array(1024), handlers: [], handlerFuncs: [] };
  const n = m.codes.length;
  return {
    code: out.a,
    funcs: new Array<CompiledFunc | undefined>(n).fill(undefined),
    funcInfo: newFuncInfo(n),
    fuelSplits: env.splits,
    rest: new Int32Array(out.a.length),
    costs,
    canonicalizeNaNs,
    env,
    handlers: env.handlers,
    handlerFuncs: env.handlerFuncs,
  };
}

/** Words per defined function in {@link CompiledModule.funcInfo}. */
export const FUNC_INFO_WORDS = 4;
/** The words of a function's entry in {@link CompiledModule.funcInfo} (see there). */
export const FI_ENTRY = 0, FI_FRAME_WORDS = 1, FI_LOCALS_START = 2, FI_LOCALS_END = 3;

/** {@link CompiledModule.funcInfo} for `n` functions, none translated. */
function newFuncInfo(n: number): Int32Array {
  const info = new Int32Array(n * FUNC_INFO_WORDS);
  for (let f = 0; f < n; f++) info[f * FUNC_INFO_WORDS + FI_ENTRY] = -1;
  return info;
}

/** Defined function `f`'s entry pc, -1 when it is not translated yet. */
export function entryPcOf(cm: CompiledModule, f: number): number {
  return cm.funcInfo[f * FUNC_INFO_WORDS + FI_ENTRY]!;
}

/** The words of defined function `f`'s frame (it must be translated). */
export function frameWordsOf(cm: CompiledModule, f: number): number {
  return cm.funcInfo[f * FUNC_INFO_WORDS + FI_FRAME_WORDS]!;
}

/** The first word of defined function `f`'s declared locals (it must be translated). */
export function localsStartOf(cm: CompiledModule, f: number): number {
  return cm.funcInfo[f * FUNC_INFO_WORDS + FI_LOCALS_START]!;
}

/** The end (exclusive) of defined function `f`'s declared locals' words (it must be translated). */
export function localsEndOf(cm: CompiledModule, f: number): number {
  return cm.funcInfo[f * FUNC_INFO_WORDS + FI_LOCALS_END]! & ~1;
}

/** Translates defined function `f` of `cm` if it is not translated yet (its first call). */
export function translateFunction(cm: CompiledModule, f: number): void {
  if (entryPcOf(cm, f) >= 0) return;
  const env = cm.env;
  const fn = new FuncTranslator(env, f).run();
  const code = env.out.a;
  if (cm.rest.length < code.length) {
    const r = new Int32Array(code.length);
    r.set(cm.rest);
    cm.rest = r;
  }
  // the labels as marks by position in the function (a label may sit at its end), cleared after
  if (env.isLabel.length <= fn.end - fn.entry) env.isLabel = new Uint8Array(Math.max(fn.end - fn.entry + 1, 2 * env.isLabel.length));
  const isLabel = env.isLabel, labels = env.labels;
  for (let i = 0; i < labels.length; i++) isLabel[labels[i]! - fn.entry] = 1;
  fusePairs(code, fn.entry, fn.end, isLabel, env.splits);
  blockCosts(code, fn, cm.rest);
  for (let i = 0; i < labels.length; i++) isLabel[labels[i]! - fn.entry] = 0;
  if (labels.length !== 0) labels.length = 0;
  cm.code = code;
  cm.funcs[f] = fn;
  const at = f * FUNC_INFO_WORDS, info = cm.funcInfo;
  info[at + FI_FRAME_WORDS] = fn.frameSlots * 2;
  info[at + FI_LOCALS_START] = fn.numParams * 2;
  info[at + FI_LOCALS_END] = fn.numLocals * 2 + (fn.refLocals.length > 0 ? 1 : 0);
  info[at + FI_ENTRY] = fn.entry; // last: the function is ready
}

/** Translates every defined function of a validated module (eagerly; tests, listings and the compile-speed bench). */
export function translateModule(m: ModuleInfo, costs: CostModel, canonicalizeNaNs = false): CompiledModule {
  const cm = createCompiledModule(m, costs, canonicalizeNaNs);
  for (let f = 0; f < m.codes.length; f++) translateFunction(cm, f);
  const used = cm.env.out.length;
  cm.code = cm.code.slice(0, used);
  cm.rest = cm.rest.slice(0, used);
  return cm;
}

/**
 * Splits one function's code into fuel blocks (starting at the entry and after every BLOCK_END
 * op; a label that a plain op falls into does not end one, see the file comment) and computes
 * `rest` for every op by a backward pass (and for the second op inside each pair).
 */
function blockCosts(code: Int32Array, fn: CompiledFunc, rest: Int32Array): void {
  const pcs: number[] = [];
  for (let pc = fn.entry; pc < fn.end; pc += opLength(code, pc)) pcs.push(pc);
  let after = 0;
  for (let i = pcs.length - 1; i >= 0; i--) {
    const pc = pcs[i]!;
    const r = code[pc + 1]! + (BLOCK_END[code[pc]!] === 1 ? 0 : after);
    rest[pc] = r;
    // a pair's second op (translate/pairs.ts) can trap at its own pc: what is left from there
    const second = PAIR_SECOND_AT[code[pc]!]!;
    if (second !== 0) rest[pc + second] = r - code[pc + 1]! + code[pc + second + 1]!;
    after = r;
  }
}

/** The translator's state for one module (internal to translation). */
export interface Env {
  readonly m: ModuleInfo;
  readonly costs: CostModel;
  readonly canonicalizeNaNs: boolean;
  readonly out: CodeBuffer;
  readonly splits: Map<number, Int32Array>;
  readonly funcTypes: readonly number[];
  readonly globalTypes: readonly number[];
  readonly tableTypes: readonly number[];
  /** 1 for every table whose address type is i64 (table64). */
  readonly table64: Uint8Array;
  /** 1 for every memory whose address type is i64 (memory64). */
  readonly memory64: Uint8Array;
  /** Code indices where labels (branch targets) were placed, in the function being translated. */
  readonly labels: number[];
  /** Scratch for translateFunction: 1 at a label's position in the function being finished (else 0). */
  isLabel: Uint8Array;
  /** Exception handler entries of every translated function (`CompiledModule.handlers`, `handlerFuncs`). */
  readonly handlers: number[];
  readonly handlerFuncs: number[];
}

class FuncTranslator {
  private readonly out: CodeBuffer;
  private readonly flat: Int32Array;
  private readonly localTypes: number[] = [];
  /** Slot of each local (frame-relative): a v128 local takes two slots. */
  private localSlot: Int32Array = new Int32Array(0);
  /** Slots of params + declared locals + pool + scratch (the operand stack starts after them). */
  private numLocals = 0;
  /** Slots the parameters take. */
  private paramSlots = 0;
  private numParams = 0;
  private scratchNext = 0;
  // compile-time operand stack
  private sk: number[] = [];
  private sv: number[] = [];
  private sv2: number[] = [];
  private st: number[] = [];
  /** Constant-pool word of a CONST entry inside a loop, else -1. */
  private sp: number[] = [];
  /**
   * Positions of stack entries pushed as LOCAL/LAZY_ADD (some may be stale: popped or
   * materialised), so that block entries and local.set need not scan the whole stack.
   */
  private refPos: number[] = [];
  /** Per local: how many LOCAL/LAZY_ADD entries on the stack read it. */
  private refsTo: Int32Array = new Int32Array(0);
  /**
   * `homeAt[pos]`: slot of operand-stack position `pos`, relative to the start of the operand
   * stack (set for every position up to the current height: a v128 below takes two slots).
   */
  private homeAt: number[] = [0];
  /** Most operand-stack slots in use at once. */
  private maxSlots = 0;
  /** Constants used inside loops live in pool slots, set once at the outermost loop's entry. */
  private readonly pool = new Map<string, number>();
  /** Per outermost loop: the pool constants set at its entry, `[word, kind (0 32-bit, 1 64-bit, 2 v128), value words...]`. */
  private readonly loopPools = new Map<number, number[][]>();
  /** The values (four words each) of the v128 constants on the compile-time stack (a CONST entry's `sv` indexes it). */
  private readonly v128Consts: number[][] = [];
  private loopDepth = 0;
  private ctrl: Ctrl[] = [];
  /** This function's handler entries (HANDLER_WORDS each), appended to the module's when it is done. */
  private readonly handlers: number[] = [];
  /** Costs of pending instructions: `pending[0 .. pendingN)` (an array reused without truncation). */
  private pending: number[] = [];
  private pendingN = 0;
  private pendingSum = 0;
  /**
   * Fuel of the ops emitted since the current fuel block began (its charge so far), kept at most
   * {@link FUEL_WINDOW} by `emit` (an ENTER splits a block that would cost more; see `emit`).
   */
  private blockSum = 0;
  /** Code index of the last emitted op whose destination may be retargeted or fused, else -1. */
  private lastOp = -1;
  /** Code index of that op's destination operand. */
  private lastDest = -1;
  /** Code indices of the emitted ops since the last label (for fusions across two ops). */
  private recent0 = -1;
  private recent1 = -1;
  private readonly type: FuncType;

  constructor(private readonly env: Env, private readonly defIndex: number) {
    this.out = env.out;
    const body = env.m.codes[defIndex]!;
    this.flat = body.takeCode();
    this.type = env.m.types[env.m.funcs[defIndex]!]!;
    for (const p of this.type.params) this.localTypes.push(p);
    this.numParams = this.type.params.length;
    for (const run of body.locals) for (let k = 0; k < run.count; k++) this.localTypes.push(run.type);
    this.localSlot = new Int32Array(this.localTypes.length);
    let slots = 0;
    for (let i = 0; i < this.localTypes.length; i++) {
      if (i === this.numParams) this.paramSlots = slots;
      this.localSlot[i] = slots;
      slots += widthOf(this.localTypes[i]!);
    }
    if (this.numParams === this.localTypes.length) this.paramSlots = slots;
    // pre-scan: scratch slots for `if` blocks with params (their copies for the else arm), and
    // the constants used inside loops (pool slots, after the declared locals)
    let scratch = 0;
    const code = this.flat;
    const isLoop: boolean[] = [];
    let depth = 0, outer = -1;
    const poolBase = slots;
    let poolSlots = 0;
    for (let pc = 0; pc < code.length; pc += 1 + immediateWords(code, pc)) {
      const op = code[pc]!;
      if (op === 0x04 && code[pc + 1]! >= 0) scratch += slotsOf(env.m.types[code[pc + 1]!]!.params);
      if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x1f) {
        isLoop.push(op === 0x03);
        if (op === 0x03) {
          if (depth === 0) outer = pc;
          depth++;
        }
      } else if (op === 0x0b) {
        if (isLoop.pop() === true) depth--;
      } else if (depth > 0 && ((op >= 0x41 && op <= 0x44 && !becomesImmediate(code, pc)) || op === V128_CONST)) {
        const kind = op === V128_CONST ? 2 : op === 0x42 || op === 0x44 ? 1 : 0;
        const words = kind === 2 ? [code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, code[pc + 4]!] : [code[pc + 1]!, kind === 1 ? code[pc + 2]! : 0];
        const key = poolKey(kind, words);
        let w = this.pool.get(key);
        if (w === undefined && this.pool.size < MAX_POOL) {
          w = (poolBase + poolSlots) * 2;
          poolSlots += kind === 2 ? 2 : 1;
          this.pool.set(key, w);
        }
        if (w !== undefined) {
          let list = this.loopPools.get(outer);
          if (list === undefined) this.loopPools.set(outer, (list = []));
          if (!list.some((e) => e[0] === w)) list.push([w!, kind, ...words]);
        }
      }
    }
    this.scratchNext = poolBase + poolSlots;
    this.numLocals = poolBase + poolSlots + scratch;
    this.refsTo = new Int32Array(this.numLocals);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private cost(opWord: number): number {
    return this.env.costs.flat[costIndex(opWord)]!;
  }

  private addPending(c: number): void {
    if (c !== 0) {
      this.pending[this.pendingN++] = c;
      this.pendingSum += c;
    }
  }

  private home(pos: number): number {
    return (this.numLocals + this.homeAt[pos]!) * 2;
  }

  /** Slot word of local `x`. */
  private lw(x: number): number {
    return this.localSlot[x]! * 2;
  }

  /** Home slot word of value `k` of the label types (or results) `ts` of a block whose base is `base`. */
  private blockHome(base: number, ts: readonly number[], k: number): number {
    let at = this.homeAt[base]!;
    for (let j = 0; j < k; j++) at += widthOf(ts[j]!);
    return (this.numLocals + at) * 2;
  }

  /** Emits the moves of one value of type `t` from slot word `src` to slot word `dst` (a v128: two slots, in a safe order). */
  private move(t: number, dst: number, src: number): void {
    if (t === V128) {
      if (dst > src) {
        this.emit(Op.MOV, 0, dst + 2, src + 2);
        this.emit(Op.MOV, 0, dst, src);
      } else {
        this.emit(Op.MOV, 0, dst, src);
        this.emit(Op.MOV, 0, dst + 2, src + 2);
      }
    } else this.emit(isRef(t) ? Op.MOV_REF : Op.MOV, 0, dst, src);
  }

  /**
   * Emits an op charging pending fuel plus `own`; returns its code index.
   *
   * Charges stay small integers (the loop's fuel register is at most FUEL_WINDOW, runtime/costs.ts):
   * when pending fuel plus `own` would cost more, pending instructions are first charged by NOPs;
   * when the block's charge would pass it, an ENTER first ends the block (control falls into the
   * next one, which is charged on its own). Only costs near 2^30 in a custom cost table do this.
   */
  private emit(op: number, own: number, ...operands: number[]): number {
    if (this.pendingN > 0 && this.pendingSum + own > FUEL_WINDOW) this.flushPending(own);
    if (this.blockSum > 0 && this.blockSum + this.pendingSum + own > FUEL_WINDOW) this.splitBlock();
    const pc = this.out.length;
    const out = this.out;
    this.blockSum = BLOCK_END[op] === 1 ? 0 : this.blockSum + this.pendingSum + own;
    out.push(op);
    out.push(this.pendingSum + own);
    for (let i = 0; i < operands.length; i++) out.push(operands[i]!);
    // the split is stored only when it is not "cost many instructions of cost 1" (the rule for
    // ops without an entry; with the preset tables nearly every op)
    if (this.pendingSum !== this.pendingN || (own !== 0 && own !== 1)) {
      const s = this.pending.slice(0, this.pendingN);
      if (own !== 0) s.push(own);
      this.env.splits.set(pc, Int32Array.from(s));
    }
    this.pendingN = 0;
    this.pendingSum = 0;
    this.lastOp = -1;
    this.lastDest = -1;
    this.recent1 = this.recent0;
    this.recent0 = pc;
    return pc;
  }

  /**
   * Charges pending instructions with NOPs (in program order, each at most FUEL_WINDOW) until the
   * rest of them plus `own` fit in FUEL_WINDOW, or none is left (see `emit`).
   */
  private flushPending(own: number): void {
    const costs = this.pending.slice(0, this.pendingN);
    let left = this.pendingSum;
    this.pendingN = 0;
    this.pendingSum = 0;
    let i = 0;
    while (i < costs.length && left + own > FUEL_WINDOW) {
      const start = i;
      while (i < costs.length && (i === start || this.pendingSum + costs[i]! <= FUEL_WINDOW)) {
        this.pending[this.pendingN++] = costs[i]!;
        this.pendingSum += costs[i]!;
        i++;
      }
      left -= this.pendingSum;
      this.emit(Op.NOP, 0);
    }
    for (; i < costs.length; i++) {
      this.pending[this.pendingN++] = costs[i]!;
      this.pendingSum += costs[i]!;
    }
  }

  /** Ends the current fuel block with an ENTER of cost 0 (pending fuel goes on to the next op; see `emit`). */
  private splitBlock(): void {
    const pc = this.out.length;
    this.out.push(Op.ENTER);
    this.out.push(0);
    this.blockSum = 0;
    this.lastOp = -1;
    this.lastDest = -1;
    this.recent1 = this.recent0;
    this.recent0 = pc;
  }

  /**
   * Places a label (a branch target) at the current position. When fuel is pending, an ENTER op
   * first ends the current block (carrying the pending fuel, which only the way in from before
   * the label costs). Otherwise a label that control falls into from a plain op stays inside the
   * current fuel block (see the file comment: `blockCosts` charges the block through it, and a
   * branch to it charges the rest from there); `blockSum` goes on, so the block from its start
   * stays within FUEL_WINDOW (`emit` splits it with an ENTER when it would not). Returns the
   * label's code index.
   */
  private placeLabel(): number {
    if (this.pendingN > 0) this.emit(Op.ENTER, 0);
    const pc = this.out.length;
    this.env.labels.push(pc);
    this.lastOp = -1;
    this.lastDest = -1;
    this.recent0 = -1;
    this.recent1 = -1;
    return pc;
  }

  /** Emits an op with a single destination operand right after the cost (retargetable). */
  private emitD(op: number, own: number, d: number, ...operands: number[]): number {
    const pc = this.emit(op, own, d, ...operands);
    this.lastOp = pc;
    this.lastDest = pc + 2;
    return pc;
  }


  private push(kind: number, v: number, v2: number, t: number): void {
    this.sk.push(kind);
    this.sv.push(v);
    this.sv2.push(v2);
    this.st.push(t);
    let pw = -1;
    if (kind === CONST && this.loopDepth > 0) {
      if (t === V128) pw = this.pool.get(poolKey(2, this.v128Consts[v]!)) ?? -1;
      else {
        const wide = t === I64 || t === F64;
        pw = this.pool.get(poolKey(wide ? 1 : 0, [v, wide ? v2 : 0])) ?? -1;
      }
    }
    this.sp.push(pw);
    if (kind === LOCAL || kind === LAZY_ADD) {
      this.refsTo[v]!++;
      if (this.refPos.length > 2 * this.sk.length + 16) this.refPos = this.refPos.filter((i) => i < this.sk.length - 1 && (this.sk[i] === LOCAL || this.sk[i] === LAZY_ADD));
      this.refPos.push(this.sk.length - 1);
    }
    const p = this.sk.length - 1;
    const top = this.homeAt[p]! + (t === V128 ? 2 : 1);
    this.homeAt[p + 1] = top;
    if (top > this.maxSlots) this.maxSlots = top;
  }

  private pushTemp(t: number): void {
    this.push(TEMP, 0, 0, t);
  }

  private pop(): void {
    const k = this.sk[this.sk.length - 1];
    if (k === LOCAL || k === LAZY_ADD) this.refsTo[this.sv[this.sv.length - 1]!]!--;
    this.sp.pop();
    this.sk.pop();
    this.sv.pop();
    this.sv2.pop();
    this.st.pop();
  }

  private truncate(h: number): void {
    while (this.sk.length > h) this.pop();
  }

  /** Writes the value of stack entry `i` into slot word `dst` (a move or a constant). */
  private copyEntry(i: number, dst: number): void {
    const k = this.sk[i]!, t = this.st[i]!;
    if (k === LAZY_ADD) {
      this.emit(Op.I32_ADD_IMM, 0, dst, this.lw(this.sv[i]!), this.sv2[i]!);
      return;
    }
    if (k === CONST) {
      if (t === V128) this.emitSimdNoDest(V128_CONST_SUB, 0, dst, ...this.v128Consts[this.sv[i]!]!);
      else if (t === I32 || t === F32) this.emit(Op.CONST32, 0, dst, this.sv[i]!);
      else this.emit(Op.CONST64, 0, dst, this.sv[i]!, this.sv2[i]!);
      return;
    }
    const src = k === LOCAL ? this.lw(this.sv[i]!) : this.home(i);
    if (src === dst) return;
    this.move(t, dst, src);
  }

  /** Makes stack entry `i` live in its home slot. */
  private materialize(i: number): void {
    const k = this.sk[i];
    if (k === TEMP) return;
    this.copyEntry(i, this.home(i));
    if (k === LOCAL || k === LAZY_ADD) this.refsTo[this.sv[i]!]!--;
    this.sk[i] = TEMP;
  }

  /**
   * A 64-bit table index or count (table64) at stack entry `i`, narrowed into its home slot for
   * the table op that takes it (INDEX64): the value when its high word is 0, else 2^32-1, out of
   * bounds of every table. Returns the home slot word.
   */
  private index64(i: number): number {
    const a = this.use(i);
    const d = this.home(i);
    this.emit(Op.INDEX64, 0, d, a);
    return d;
  }

  /** Slot word of stack entry `i` as an operand (materialising constants). */
  private use(i: number): number {
    const k = this.sk[i]!;
    if (k === LOCAL) return this.lw(this.sv[i]!);
    if (k === CONST) {
      if (this.sp[i]! >= 0) return this.sp[i]!;
      this.materialize(i);
    } else if (k === LAZY_ADD) this.materialize(i);
    return this.home(i);
  }

  /** Before a control structure: entries referring to locals become temps (a local.set inside
   *  one arm must not change what they read on another path); the top `n` become temps too. */
  private settleForBlock(nParams: number): void {
    const h = this.sk.length;
    for (const i of this.refPos) if (i < h && (this.sk[i] === LOCAL || this.sk[i] === LAZY_ADD)) this.materialize(i);
    this.refPos.length = 0;
    for (let i = Math.max(0, h - nParams); i < h; i++) this.materialize(i);
  }

  private arity(c: Ctrl): readonly number[] {
    return c.kind === "loop" ? c.params : c.results;
  }

  private needsMoves(c: Ctrl): boolean {
    const n = this.arity(c).length, h = this.sk.length;
    for (let k = 0; k < n; k++) {
      const i = h - n + k;
      if (this.sk[i] !== TEMP || i !== c.base + k) return true;
    }
    return false;
  }

  /** Copies the branch values into the target block's home slots. */
  private branchMoves(c: Ctrl): void {
    const ts = this.arity(c), n = ts.length, h = this.sk.length;
    for (let k = 0; k < n; k++) {
      const i = h - n + k;
      if (this.sk[i] === TEMP && i === c.base + k) continue;
      this.copyEntry(i, this.blockHome(c.base, ts, k));
    }
  }

  /** At a block's end: its results fall through into its home slots. */
  private moveResults(c: Ctrl): void {
    const n = c.results.length, h = this.sk.length;
    for (let k = 0; k < n; k++) {
      const i = h - n + k;
      if (this.sk[i] === TEMP && i === c.base + k) continue;
      this.copyEntry(i, this.blockHome(c.base, c.results, k));
    }
  }

  /** Target of a branch to `c`: its loop head, or registers a forward patch at `pos`. */
  private target(c: Ctrl, pos: number): void {
    if (c.kind === "loop") this.out.a[pos] = c.loopPc;
    else c.patches.push(pos);
  }

  private patchTo(pos: number, pc: number): void {
    this.out.a[pos] = pc;
  }

  /**
   * Emits a conditional branch on the value just popped from position `h` (its entry kind/value
   * in `k`, `v`): jumps when the condition is true, or false when `negate`. Fuses a preceding
   * i32 comparison. Returns the code index of the target operand.
   */
  private condBranch(k: number, v: number, h: number, negate: boolean, own: number): number {
    if (k === TEMP && this.lastOp >= 0 && this.out.a[this.lastDest] === this.home(h)) {
      const cmpOp = this.out.a[this.lastOp]!;
      const fused = FUSED_BRANCH.get(cmpOp);
      if (fused !== undefined) {
        const operands = this.unEmitLast(cmpOp === Op.I32_EQZ || cmpOp === Op.I64_EQZ ? 1 : 2);
        const op = negate ? NEGATED_BRANCH.get(fused)! : fused;
        // x = a + c immediately before a compare-and-branch on x: one ADD_IMM_BR
        const prev = this.recent0 >= 0 ? this.recent0 : undefined;
        if (op >= Op.BR_I32_EQ && op <= Op.BR_I32_GE_U_IMM && prev !== undefined && prev + 5 === this.out.length &&
            this.out.a[prev] === Op.I32_ADD_IMM && this.out.a[prev + 2] === operands[0] && (op >= Op.BR_I32_EQ_IMM || operands[1] !== operands[0])) {
          const addCost = this.out.a[prev + 1]!;
          const addSplit = splitOf(this.env.splits, prev, addCost);
          this.env.splits.delete(prev);
          const [d, a, c] = [this.out.a[prev + 2]!, this.out.a[prev + 3]!, this.out.a[prev + 4]!];
          this.out.length = prev;
          this.recent0 = -1;
          this.prependPending(addSplit);
          this.pendingSum += addCost;
          this.blockSum -= addCost;
          const pc = this.emit(Op.ADD_IMM_BR, own, d, a, c, op - Op.BR_I32_EQ, operands[1]!, 0);
          return pc + 7;
        }
        // x = a + b (i64, b a slot or an immediate) immediately before an i64 compare-and-branch on x
        if (op >= Op.BR_I64_EQ && op <= Op.BR_I64_GE_U && prev !== undefined && this.out.a[prev + 2] === operands[0] &&
            ((this.out.a[prev] === Op.I64_ADD && prev + 5 === this.out.length) || (this.out.a[prev] === Op.I64_ADD_IMM && prev + 6 === this.out.length))) {
          const addOp = this.out.a[prev]!, addCost = this.out.a[prev + 1]!;
          const addSplit = splitOf(this.env.splits, prev, addCost);
          this.env.splits.delete(prev);
          const addOperands = this.out.slice(prev + 2, this.out.length);
          this.out.length = prev;
          this.recent0 = -1;
          this.prependPending(addSplit);
          this.pendingSum += addCost;
          this.blockSum -= addCost;
          const fop = addOp === Op.I64_ADD ? Op.I64_ADD_BR : Op.I64_ADD_IMM_BR;
          const pc = this.emit(fop, own, ...addOperands, op - Op.BR_I64_EQ, operands[1]!, 0);
          return pc + 2 + addOperands.length + 2;
        }
        const pc = this.emit(op, own, ...operands, 0);
        return pc + 2 + operands.length;
      }
    }
    let slot: number;
    if (k === LOCAL) slot = this.lw(v);
    else if (k === CONST) {
      // a constant condition: materialise it in its (now free) home slot
      this.emit(Op.CONST32, 0, this.home(h), v);
      slot = this.home(h);
    } else slot = this.home(h);
    // x = a + c immediately before a branch on x (a count-down loop): one ADD_IMM_BR on x != 0 / x == 0
    const prev = this.recent0;
    if (k !== CONST && prev >= 0 && prev + 5 === this.out.length && this.out.a[prev] === Op.I32_ADD_IMM && this.out.a[prev + 2] === slot) {
      const addCost = this.out.a[prev + 1]!;
      const addSplit = splitOf(this.env.splits, prev, addCost);
      this.env.splits.delete(prev);
      const [d, a, c] = [this.out.a[prev + 2]!, this.out.a[prev + 3]!, this.out.a[prev + 4]!];
      this.out.length = prev;
      this.recent0 = -1;
      this.lastOp = -1;
      this.lastDest = -1;
      this.prependPending(addSplit);
      this.pendingSum += addCost;
      this.blockSum -= addCost;
      const kind = (negate ? Op.BR_I32_EQ_IMM : Op.BR_I32_NE_IMM) - Op.BR_I32_EQ;
      const pc = this.emit(Op.ADD_IMM_BR, own, d, a, c, kind, 0, 0);
      return pc + 7;
    }
    const pc = this.emit(negate ? Op.BR_UNLESS : Op.BR_IF, own, slot, 0);
    return pc + 3;
  }

  /**
   * Removes the last emitted op (a pure op whose result only the instruction being translated
   * consumes) and moves its fuel into the pending prefix; returns its `n` operands after the
   * destination.
   */
  private unEmitLast(n: number): number[] {
    const pc = this.lastOp;
    const cost = this.out.a[pc + 1]!;
    const prior = splitOf(this.env.splits, pc, cost);
    this.env.splits.delete(pc);
    const operands = this.out.slice(pc + 3, pc + 3 + n);
    this.out.length = pc;
    if (this.recent0 === pc) {
      this.recent0 = this.recent1;
      this.recent1 = -1;
    }
    this.prependPending(prior);
    this.pendingSum += cost;
    this.blockSum -= cost;
    this.lastOp = -1;
    this.lastDest = -1;
    return operands;
  }

  /** Puts `costs` before the pending ones (their instructions come earlier in program order). */
  private prependPending(costs: Int32Array): void {
    const cur = this.pending.slice(0, this.pendingN);
    this.pendingN = 0;
    for (let i = 0; i < costs.length; i++) if (costs[i] !== 0) this.pending[this.pendingN++] = costs[i]!;
    for (const c of cur) this.pending[this.pendingN++] = c;
  }

  /**
   * Slot word of stack entry `i` as an operand, for an op whose other operands `x`, `y` were
   * already fixed (a store whose address was folded from an `i32.add` that is no longer
   * emitted). Where the entry must first be materialised (a constant without a pool slot, a lazy
   * `local + constant`), it goes into a home slot that is neither `x` nor `y`: its own home may
   * be exactly where the folded add found its second operand (`arr[i] = 77`: the shifted index
   * lives in the slot the constant would be written to).
   */
  private useAvoiding(i: number, x: number, y: number): number {
    const k = this.sk[i]!;
    if (k === LOCAL || k === TEMP || (k === CONST && this.sp[i]! >= 0)) return this.use(i);
    for (const pos of [i, i - 1, i + 1]) {
      const slot = this.home(pos);
      if (pos < 0 || slot === x || slot === y) continue;
      const end = this.homeAt[pos]! + 1;
      if (end > this.maxSlots) this.maxSlots = end;
      this.copyEntry(i, slot);
      return slot;
    }
    throw new Error("translator: no free slot for a stored value"); // three candidates, two excluded
  }

  /**
   * With NaN canonicalisation on: after the float arithmetic instruction `op` (wasm opcode) that
   * wrote slot `d`, a CANON op turns a NaN there into the canonical NaN. Costs no fuel.
   */
  private canonicalize(op: number, d: number): void {
    if (!this.env.canonicalizeNaNs) return;
    const t = NAN_RESULT.get(op);
    if (t !== undefined) this.emit(t === F32 ? Op.CANON_F32 : Op.CANON_F64, 0, d);
  }

  /** Whether stack entry `i` is the temp just written by an `i32.add` of two slots (the last op). */
  private lastIsAddOf(i: number): boolean {
    return this.sk[i] === TEMP && this.lastOp >= 0 && this.out.a[this.lastDest] === this.home(i) && this.out.a[this.lastOp] === Op.I32_ADD;
  }

  /** Address operands of a load/store whose address is stack entry `i`: folds a preceding `i32.add` of a constant. */
  private address(i: number): [number, number] {
    if (this.sk[i] === LAZY_ADD) return [this.lw(this.sv[i]!), this.sv2[i]!];
    if (this.sk[i] === TEMP && this.lastOp >= 0 && this.out.a[this.lastDest] === this.home(i) && this.out.a[this.lastOp] === Op.I32_ADD_IMM) {
      const [a, c] = this.unEmitLast(2);
      return [a!, c!];
    }
    return [this.use(i), 0];
  }

  /** Skips dead code up to the `else`/`end` that closes the current block; returns its pc. */
  private skipDead(pc: number): number {
    const code = this.flat;
    let depth = 0;
    for (;;) {
      const op = code[pc]!;
      if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x1f) depth++;
      else if (op === 0x0b) {
        if (depth === 0) return pc;
        depth--;
      } else if (op === 0x05 && depth === 0) return pc;
      pc += 1 + immediateWords(code, pc);
    }
  }

  // ---- the pass --------------------------------------------------------------------------------

  run(): CompiledFunc {
    const env = this.env, out = this.out, code = this.flat, m = env.m;
    const entry = out.length;
    this.addPending(env.costs.functionEntry);
    this.ctrl.push({ kind: "func", base: 0, params: [], results: this.type.results, loopPc: -1, patches: [], elsePatch: -1, scratch: -1, unreachable: false, sawElse: false });
    let pc = 0;
    while (this.ctrl.length > 0) {
      const op = code[pc]!;
      const next = pc + 1 + immediateWords(code, pc);
      const own = this.cost(op);
      const h = this.sk.length;
      switch (op) {
        case 0x00: // unreachable
          this.emit(Op.UNREACHABLE, own);
          pc = this.markDead(next);
          continue;
        case 0x01: // nop
          this.addPending(own);
          break;
        case 0x02: case 0x03: { // block, loop
          const sig = blockSig(m, code[pc + 1]!);
          this.settleForBlock(sig.params.length);
          this.addPending(own);
          const c: Ctrl = { kind: op === 0x02 ? "block" : "loop", base: h - sig.params.length, params: sig.params, results: sig.results, loopPc: -1, patches: [], elsePatch: -1, scratch: -1, unreachable: false, sawElse: false };
          if (op === 0x03) {
            if (this.loopDepth === 0) {
              for (const [w, kind, lo, hi, w2, w3] of this.loopPools.get(pc) ?? []) {
                if (kind === 2) this.emitSimdNoDest(V128_CONST_SUB, 0, w!, lo!, hi!, w2!, w3!);
                else if (kind === 1) this.emit(Op.CONST64, 0, w!, lo!, hi!);
                else this.emit(Op.CONST32, 0, w!, lo!);
              }
            }
            this.loopDepth++;
            c.loopPc = this.placeLabel();
          }
          this.ctrl.push(c);
          break;
        }
        case 0x04: { // if
          const sig = blockSig(m, code[pc + 1]!);
          if (this.sk[h - 1] === LAZY_ADD) this.materialize(h - 1);
          const ck = this.sk[h - 1]!, cv = this.sv[h - 1]!;
          this.pop();
          const np = sig.params.length;
          const c: Ctrl = { kind: "if", base: h - 1 - np, params: sig.params, results: sig.results, loopPc: -1, patches: [], elsePatch: -1, scratch: -1, unreachable: false, sawElse: false };
          this.settleForBlock(np);
          if (np > 0) {
            c.scratch = this.scratchNext;
            this.scratchNext += slotsOf(sig.params);
            for (let k = 0, at = c.scratch; k < np; at += widthOf(sig.params[k]!), k++) this.copyEntry(c.base + k, at * 2);
          }
          c.elsePatch = this.condBranch(ck, cv, h - 1, true, own);
          this.ctrl.push(c);
          break;
        }
        case 0x1f: { // try_table: no op; its clauses become handler entries at its end
          const sig = blockSig(m, code[pc + 1]!);
          const n = code[pc + 2]!;
          const clauses: Clause[] = [];
          for (let k = 0; k < n; k++) {
            // a clause's label is counted from outside the try_table
            const label = this.ctrl[this.ctrl.length - 1 - code[pc + 5 + 3 * k]!]!;
            clauses.push({ kind: code[pc + 3 + 3 * k]!, tag: code[pc + 4 + 3 * k]!, label, dst: this.blockHome(label.base, this.arity(label), 0) });
          }
          this.settleForBlock(sig.params.length);
          this.addPending(own);
          this.ctrl.push({ kind: "try", base: h - sig.params.length, params: sig.params, results: sig.results, loopPc: -1, patches: [], elsePatch: -1, scratch: -1, unreachable: false, sawElse: false, tryStart: out.length, clauses });
          break;
        }
        case 0x08: { // throw x: the payload at consecutive home slots, like call arguments
          const params = m.types[this.tagType(code[pc + 1]!)]!.params;
          const n = params.length;
          for (let i = h - n; i < h; i++) this.materialize(i);
          this.emit(Op.THROW, own, code[pc + 1]!, this.home(h - n));
          pc = this.markDead(next);
          continue;
        }
        case 0x0a: { // throw_ref
          this.emit(Op.THROW_REF, own, this.use(h - 1));
          pc = this.markDead(next);
          continue;
        }
        case 0x05: { // else
          const c = this.ctrl[this.ctrl.length - 1]!;
          this.addPending(own);
          if (!c.unreachable) {
            this.branchMoves(c);
            const p = this.emit(Op.BR, 0, 0);
            c.patches.push(p + 2);
          }
          this.pendingN = 0;
          this.pendingSum = 0;
          this.patchTo(c.elsePatch, this.placeLabel());
          c.elsePatch = -1;
          c.sawElse = true;
          c.unreachable = false;
          this.truncate(c.base);
          for (let k = 0, at = c.scratch; k < c.params.length; at += widthOf(c.params[k]!), k++) {
            this.push(TEMP, 0, 0, c.params[k]!);
            this.move(c.params[k]!, this.home(c.base + k), at * 2);
          }
          break;
        }
        case 0x0b: { // end
          const c = this.ctrl.pop()!;
          if (c.kind === "loop") this.loopDepth--;
          if (c.kind === "try") this.endTry(c);
          this.addPending(own);
          const fall = !c.unreachable;
          const used = c.kind !== "loop" && (c.patches.length > 0 || c.elsePatch >= 0 || (c.handlerPatches?.length ?? 0) > 0);
          if (c.kind === "func" && fall && !used && c.results.length === 1 && !isRef(c.results[0]!) && c.results[0] !== V128) {
            this.emit(Op.RETURN1, 0, this.use(this.sk.length - 1));
            break;
          }
          if (fall) this.moveResults(c);
          if (used) {
            const at = this.placeLabel();
            for (const p of c.patches) this.patchTo(p, at);
            if (c.elsePatch >= 0) this.patchTo(c.elsePatch, at);
            for (const e of c.handlerPatches ?? []) this.handlers[e + HandlerWord.target] = at;
          }
          this.truncate(c.base);
          for (const t of c.results) this.pushTemp(t);
          const reachable = fall || used;
          if (c.kind === "func") {
            if (reachable) this.emit(c.results.some(isRef) ? Op.RETURN_REFS : Op.RETURN, 0, this.home(0), slotsOf(c.results));
            break;
          }
          if (!reachable) {
            pc = this.markDead(next);
            continue;
          }
          break;
        }
        case 0x0c: { // br
          const c = this.ctrl[this.ctrl.length - 1 - code[pc + 1]!]!;
          this.branchMoves(c);
          const p = this.emit(Op.BR, own, 0);
          this.target(c, p + 2);
          pc = this.markDead(next);
          continue;
        }
        case 0x0d: { // br_if
          const c = this.ctrl[this.ctrl.length - 1 - code[pc + 1]!]!;
          if (this.sk[h - 1] === LAZY_ADD) this.materialize(h - 1);
          const ck = this.sk[h - 1]!, cv = this.sv[h - 1]!;
          this.pop();
          if (!this.needsMoves(c)) {
            const pos = this.condBranch(ck, cv, h - 1, false, own);
            this.target(c, pos);
          } else {
            const skip = this.condBranch(ck, cv, h - 1, true, own);
            this.branchMoves(c);
            const p = this.emit(Op.BR, 0, 0);
            this.target(c, p + 2);
            this.patchTo(skip, this.placeLabel());
          }
          break;
        }
        case 0x0e: { // br_table
          const n = code[pc + 1]!;
          const idx = this.use(h - 1);
          this.pop();
          const labels: Ctrl[] = [];
          for (let k = 0; k <= n; k++) labels.push(this.ctrl[this.ctrl.length - 1 - code[pc + 2 + k]!]!);
          // the targets are pushed one by one (a spread of 2^21 labels would overflow the JS stack)
          const p = this.emit(Op.BR_TABLE, own, idx, n);
          for (let k = 0; k <= n; k++) out.push(0);
          const stubs = new Map<Ctrl, number>();
          for (let k = 0; k <= n; k++) {
            const c = labels[k]!;
            if (!this.needsMoves(c)) this.target(c, p + 4 + k);
            else {
              let s = stubs.get(c);
              if (s === undefined) {
                s = this.placeLabel();
                this.branchMoves(c);
                const b = this.emit(Op.BR, 0, 0);
                this.target(c, b + 2);
                stubs.set(c, s);
              }
              out.a[p + 4 + k] = s;
            }
          }
          pc = this.markDead(next);
          continue;
        }
        case 0x0f: { // return
          const c = this.ctrl[0]!;
          if (c.results.length === 1 && !isRef(c.results[0]!) && c.results[0] !== V128) {
            const src = this.use(h - 1);
            this.emit(Op.RETURN1, own, src);
            pc = this.markDead(next);
            continue;
          }
          this.branchMoves(c);
          const refs = c.results.some(isRef);
          this.emit(refs ? Op.RETURN_REFS : Op.RETURN, own, this.home(0), slotsOf(c.results));
          pc = this.markDead(next);
          continue;
        }
        case 0x10: { // call
          const f = code[pc + 1]!;
          const ft = m.types[env.funcTypes[f]!]!;
          this.call(ft, h, (argBase) => {
            if (f >= m.importedFuncCount) this.emit(Op.CALL, own, f - m.importedFuncCount, argBase);
            else this.emit(Op.CALL_IMPORT, own, f, argBase);
          }, 0);
          break;
        }
        case 0x11: { // call_indirect
          const ti = code[pc + 1]!, table = code[pc + 2]!;
          const ft = m.types[ti]!;
          const idx = env.table64[table] === 1 ? this.index64(h - 1) : this.use(h - 1);
          this.call(ft, h - 1, (argBase) => this.emit(Op.CALL_INDIRECT, own, ti, table, idx, argBase), 1);
          break;
        }
        case 0x12: case 0x13: { // return_call, return_call_indirect
          const indirect = op === 0x13;
          const ft = indirect ? m.types[code[pc + 1]!]! : m.types[env.funcTypes[code[pc + 1]!]!]!;
          const n = ft.params.length, top = indirect ? h - 1 : h;
          for (let i = top - n; i < top; i++) this.materialize(i);
          const argBase = this.home(top - n);
          const pw = 2 * slotsOf(ft.params), refs = ft.params.some(isRef) ? 1 : 0;
          if (indirect) {
            const idx = env.table64[code[pc + 2]!] === 1 ? this.index64(h - 1) : this.use(h - 1);
            this.emit(Op.RETURN_CALL_INDIRECT, own, code[pc + 1]!, code[pc + 2]!, idx, argBase, pw, refs);
          }
          else if (code[pc + 1]! >= m.importedFuncCount) this.emit(Op.RETURN_CALL, own, code[pc + 1]! - m.importedFuncCount, argBase, pw, refs);
          else this.emit(Op.RETURN_CALL_IMPORT, own, code[pc + 1]!, argBase, pw, refs);
          // a host function as the target: the call returned its results at argBase; return them
          if (indirect || code[pc + 1]! < m.importedFuncCount) this.emit(ft.results.some(isRef) ? Op.RETURN_REFS : Op.RETURN, 0, argBase, slotsOf(ft.results));
          pc = this.markDead(next);
          continue;
        }
        case 0x14: { // call_ref x: the reference into the hidden table, then call_indirect through it
          const ti = code[pc + 1]!, hidden = m.importedTableCount + m.tables.length;
          this.call(m.types[ti]!, h - 1, (argBase) => {
            this.materialize(h - 1);
            const a = this.home(h - 1);
            this.emit(Op.CALL_REF_TARGET, own, a, hidden);
            this.emit(Op.CALL_INDIRECT, 0, ti, hidden, a, argBase);
          }, 1);
          break;
        }
        case 0x15: { // return_call_ref x: the same with return_call_indirect
          const ti = code[pc + 1]!, hidden = m.importedTableCount + m.tables.length;
          const ft = m.types[ti]!;
          const n = ft.params.length;
          for (let i = h - 1 - n; i < h; i++) this.materialize(i);
          const argBase = this.home(h - 1 - n), a = this.home(h - 1);
          this.emit(Op.CALL_REF_TARGET, own, a, hidden);
          this.emit(Op.RETURN_CALL_INDIRECT, 0, ti, hidden, a, argBase, 2 * slotsOf(ft.params), ft.params.some(isRef) ? 1 : 0);
          // a host function as the target: the call returned its results at argBase; return them
          this.emit(ft.results.some(isRef) ? Op.RETURN_REFS : Op.RETURN, 0, argBase, slotsOf(ft.results));
          pc = this.markDead(next);
          continue;
        }
        case 0xd4: // ref.as_non_null: a null check; the value stays where it is
          this.emit(Op.REF_AS_NON_NULL, own, this.use(h - 1));
          break;
        case 0xd5: case 0xd6: { // br_on_null l, br_on_non_null l: ref.is_null, then a conditional branch
          const c = this.ctrl[this.ctrl.length - 1 - code[pc + 1]!]!;
          const onNull = op === 0xd5;
          this.materialize(h - 1);
          const t = this.st[h - 1]!;
          this.pushTemp(I32); // the condition, in the slot above the reference
          this.emitD(Op.REF_IS_NULL, own, this.home(h), this.home(h - 1));
          this.pop();
          // br_on_null branches without the reference; br_on_non_null with it (the label's last value)
          if (onNull) this.pop();
          if (!this.needsMoves(c)) this.target(c, this.condBranch(TEMP, 0, h, !onNull, 0));
          else {
            const skip = this.condBranch(TEMP, 0, h, onNull, 0);
            this.branchMoves(c);
            const p = this.emit(Op.BR, 0, 0);
            this.target(c, p + 2);
            this.patchTo(skip, this.placeLabel());
          }
          // falling through: br_on_null keeps the (non-null) reference in its slot, br_on_non_null drops it
          if (onNull) this.pushTemp(t);
          else this.pop();
          break;
        }
        case 0x1a: // drop
          this.pop();
          this.addPending(own);
          break;
        case 0x1b: case 0x1c: { // select
          const t = this.st[h - 2]!;
          const c = this.use(h - 1), b = this.use(h - 2), a = this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          if (t === V128) this.emitSimd(SIMD_SELECT, own, this.home(h - 3), a, b, c);
          else this.emitD(isRef(t) ? Op.SELECT_REF : Op.SELECT, own, this.home(h - 3), a, b, c);
          this.pushTemp(op === 0x1c ? code[pc + 2]! : t);
          break;
        }
        case 0x20: // local.get
          this.addPending(own);
          this.push(LOCAL, code[pc + 1]!, 0, this.localTypes[code[pc + 1]!]!);
          break;
        case 0x21: case 0x22: { // local.set, local.tee
          const x = code[pc + 1]!;
          this.setLocal(x, own);
          if (op === 0x22) this.push(LOCAL, x, 0, this.localTypes[x]!);
          break;
        }
        case 0x23: { // global.get
          const g = code[pc + 1]!;
          const t = env.globalTypes[g]!;
          if (t === V128) this.emitSimd(SIMD_GLOBAL_GET, own, this.home(h), g);
          else this.emitD(isRef(t) ? Op.GLOBAL_GET_REF : Op.GLOBAL_GET, own, this.home(h), g);
          this.pushTemp(t);
          break;
        }
        case 0x24: { // global.set
          const g = code[pc + 1]!;
          const t = env.globalTypes[g]!;
          const a = this.use(h - 1);
          this.pop();
          if (t === V128) this.emitSimdNoDest(SIMD_GLOBAL_SET, own, g, a);
          else this.emit(isRef(t) ? Op.GLOBAL_SET_REF : Op.GLOBAL_SET, own, g, a);
          break;
        }
        case 0x25: { // table.get
          const t = code[pc + 1]!;
          const i = env.table64[t] === 1 ? this.index64(h - 1) : this.use(h - 1);
          this.pop();
          this.emitD(Op.TABLE_GET, own, this.home(h - 1), t, i);
          this.pushTemp(env.tableTypes[t]!);
          break;
        }
        case 0x26: { // table.set
          const t = code[pc + 1]!;
          const v = this.use(h - 1), i = env.table64[t] === 1 ? this.index64(h - 2) : this.use(h - 2);
          this.pop(); this.pop();
          this.emit(Op.TABLE_SET, own, t, i, v);
          break;
        }
        case 0x3f: // memory.size
          if (env.memory64[code[pc + 1]!] === 1) {
            this.emitD(Op.MEMORY64_SIZE, own, this.home(h), code[pc + 1]!);
            this.pushTemp(I64);
            break;
          }
          if (code[pc + 1] !== 0) this.emitD(Op.MEMORY_SIZE_N, own, this.home(h), code[pc + 1]!);
          else this.emitD(Op.MEMORY_SIZE, own, this.home(h));
          this.pushTemp(I32);
          break;
        case 0x40: { // memory.grow
          const a = this.use(h - 1);
          this.pop();
          if (env.memory64[code[pc + 1]!] === 1) {
            this.emitD(Op.MEMORY64_GROW, own, this.home(h - 1), a, code[pc + 1]!);
            this.pushTemp(I64);
            break;
          }
          if (code[pc + 1] !== 0) this.emitD(Op.MEMORY_GROW_N, own, this.home(h - 1), a, code[pc + 1]!);
          else this.emitD(Op.MEMORY_GROW, own, this.home(h - 1), a);
          this.pushTemp(I32);
          break;
        }
        case 0x41: case 0x43: // i32.const f32.const
          this.addPending(own);
          this.push(CONST, code[pc + 1]!, 0, op === 0x41 ? I32 : F32);
          break;
        case 0x42: case 0x44: // i64.const f64.const
          this.addPending(own);
          this.push(CONST, code[pc + 1]!, code[pc + 2]!, op === 0x42 ? I64 : F64);
          break;
        case 0xd0: // ref.null
          this.emitD(Op.REF_NULL, own, this.home(h));
          this.pushTemp(code[pc + 1]!);
          break;
        case 0xd1: { // ref.is_null
          const a = this.use(h - 1);
          this.pop();
          this.emitD(Op.REF_IS_NULL, own, this.home(h - 1), a);
          this.pushTemp(I32);
          break;
        }
        case 0xd2: // ref.func
          this.emitD(Op.REF_FUNC, own, this.home(h), code[pc + 1]!);
          this.pushTemp(FUNCREF);
          break;
        case 0xfc08: { // memory.init
          const n = this.use(h - 1), s = this.use(h - 2), d = this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          if (env.memory64[code[pc + 2]!] === 1) this.emit(Op.MEMORY64_INIT, own, code[pc + 1]!, d, s, n, code[pc + 2]!);
          else if (code[pc + 2] !== 0) this.emit(Op.MEMORY_INIT_N, own, code[pc + 1]!, d, s, n, code[pc + 2]!);
          else this.emit(Op.MEMORY_INIT, own, code[pc + 1]!, d, s, n);
          break;
        }
        case 0xfc09: // data.drop
          this.emit(Op.DATA_DROP, own, code[pc + 1]!);
          break;
        case 0xfc0a: { // memory.copy
          const n = this.use(h - 1), s = this.use(h - 2), d = this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          if (env.memory64[code[pc + 1]!] === 1 || env.memory64[code[pc + 2]!] === 1) this.emit(Op.MEMORY64_COPY, own, d, s, n, code[pc + 1]!, code[pc + 2]!);
          else if (code[pc + 1] !== 0 || code[pc + 2] !== 0) this.emit(Op.MEMORY_COPY_N, own, d, s, n, code[pc + 1]!, code[pc + 2]!);
          else this.emit(Op.MEMORY_COPY, own, d, s, n);
          break;
        }
        case 0xfc0b: { // memory.fill
          const n = this.use(h - 1), v = this.use(h - 2), d = this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          if (env.memory64[code[pc + 1]!] === 1) this.emit(Op.MEMORY64_FILL, own, d, v, n, code[pc + 1]!);
          else if (code[pc + 1] !== 0) this.emit(Op.MEMORY_FILL_N, own, d, v, n, code[pc + 1]!);
          else this.emit(Op.MEMORY_FILL, own, d, v, n);
          break;
        }
        case 0xfc0c: { // table.init (d of the table's address type; s, n i32)
          const n = this.use(h - 1), s = this.use(h - 2), d = env.table64[code[pc + 2]!] === 1 ? this.index64(h - 3) : this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          this.emit(Op.TABLE_INIT, own, code[pc + 1]!, code[pc + 2]!, d, s, n);
          break;
        }
        case 0xfc0d: // elem.drop
          this.emit(Op.ELEM_DROP, own, code[pc + 1]!);
          break;
        case 0xfc0e: { // table.copy (d of the destination's address type, s of the source's, n i64 when both are)
          const d64 = env.table64[code[pc + 1]!] === 1, s64 = env.table64[code[pc + 2]!] === 1;
          const n = d64 && s64 ? this.index64(h - 1) : this.use(h - 1), s = s64 ? this.index64(h - 2) : this.use(h - 2), d = d64 ? this.index64(h - 3) : this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          this.emit(Op.TABLE_COPY, own, code[pc + 1]!, code[pc + 2]!, d, s, n);
          break;
        }
        case 0xfc0f: { // table.grow
          const n = this.use(h - 1), v = this.use(h - 2);
          this.pop(); this.pop();
          if (env.table64[code[pc + 1]!] === 1) {
            this.emitD(Op.TABLE64_GROW, own, this.home(h - 2), code[pc + 1]!, v, n);
            this.pushTemp(I64);
            break;
          }
          this.emitD(Op.TABLE_GROW, own, this.home(h - 2), code[pc + 1]!, v, n);
          this.pushTemp(I32);
          break;
        }
        case 0xfc10: // table.size
          this.emitD(Op.TABLE_SIZE, own, this.home(h), code[pc + 1]!);
          if (env.table64[code[pc + 1]!] === 1) {
            // an i64 result: the size (below 2^32) zero-extended
            this.emit(Op.I64_EXTEND_I32_U, 0, this.home(h), this.home(h));
            this.pushTemp(I64);
            break;
          }
          this.pushTemp(I32);
          break;
        case 0xfc11: { // table.fill
          const t64 = env.table64[code[pc + 1]!] === 1;
          const n = t64 ? this.index64(h - 1) : this.use(h - 1), v = this.use(h - 2), i = t64 ? this.index64(h - 3) : this.use(h - 3);
          this.pop(); this.pop(); this.pop();
          this.emit(Op.TABLE_FILL, own, code[pc + 1]!, i, v, n);
          break;
        }
        default: {
          if (op >= SIMD_WORD) {
            this.simd(op, own, h, pc);
            break;
          }
          const load = LOADS.get(op);
          const store = STORES.get(op);
          const memory = load !== undefined || store !== undefined ? code[pc + 1]! >>> 8 : 0;
          if ((load !== undefined || store !== undefined) && env.memory64[memory] === 1) {
            // a 64-bit memory (memory64, memory 0 included): the i64-address ops of rare.ts, with the u64 offset
            if (load !== undefined) {
              const a = this.use(h - 1);
              this.pop();
              this.emitD(Op.MEM64_LOAD, own, this.home(h - 1), a, code[pc + 2]!, code[pc + 3]!, memory, op);
              this.pushTemp(load[1]);
            } else {
              const v = this.use(h - 1), a = this.use(h - 2);
              this.pop(); this.pop();
              this.emit(Op.MEM64_STORE, own, a, v, code[pc + 2]!, code[pc + 3]!, memory, op);
            }
          } else if (memory !== 0) {
            // a memory other than 0 (multi-memory): the generic ops of rare.ts, by the wasm opcode
            if (load !== undefined) {
              const a = this.use(h - 1);
              this.pop();
              this.emitD(Op.MEM_LOAD_N, own, this.home(h - 1), a, code[pc + 2]!, memory, op);
              this.pushTemp(load[1]);
            } else {
              const v = this.use(h - 1), a = this.use(h - 2);
              this.pop(); this.pop();
              this.emit(Op.MEM_STORE_N, own, a, v, code[pc + 2]!, memory, op);
            }
          } else if (load !== undefined) {
            const [iop, t] = load;
            const rr = LOAD_RR.get(iop) ?? -1;
            if (rr >= 0 && this.lastIsAddOf(h - 1)) {
              const [a, b] = this.unEmitLast(2);
              this.pop();
              this.emitD(rr, own, this.home(h - 1), a!, b!, code[pc + 2]!);
              this.pushTemp(t);
              break;
            }
            const [a, c] = this.address(h - 1);
            this.pop();
            this.emitD(iop, own, this.home(h - 1), a, c, code[pc + 2]!);
            this.pushTemp(t);
          } else if (store !== undefined) {
            const sop = store;
            const rr = STORE_RR.get(sop) ?? -1;
            if (rr >= 0 && this.lastIsAddOf(h - 2)) {
              const [a, b] = this.unEmitLast(2);
              const v = this.useAvoiding(h - 1, a!, b!);
              this.pop(); this.pop();
              this.emit(rr, own, a!, b!, v, code[pc + 2]!);
              break;
            }
            const [a, c] = this.address(h - 2);
            const v = this.useAvoiding(h - 1, a, a);
            this.pop(); this.pop();
            this.emit(sop, own, a, v, c, code[pc + 2]!);
          } else if (BINARY.has(op)) {
            this.binary(op, own, h);
          } else if (UNARY.has(op)) {
            const [uop, t] = UNARY.get(op)!;
            if (uop === -1) {
              // reinterpret / wrap: same words, new type (numeric moves copy both words; i32 ops read the low word)
              this.st[h - 1] = t;
              this.addPending(own);
            } else {
              const a = this.use(h - 1);
              this.pop();
              this.emitD(uop, own, this.home(h - 1), a);
              this.canonicalize(op, this.home(h - 1));
              this.pushTemp(t);
            }
          } else {
            throw new Error(`translator: unexpected opcode 0x${op.toString(16)} in function ${this.defIndex}`);
          }
        }
      }
      pc = next;
    }
    if (this.handlers.length > 0) {
      env.handlerFuncs.push(entry, out.length, env.handlers.length, env.handlers.length + this.handlers.length);
      for (const w of this.handlers) env.handlers.push(w);
    }
    const f = this.type;
    const refLocals: number[] = [];
    for (let i = this.numParams; i < this.localTypes.length; i++) if (isRef(this.localTypes[i]!)) refLocals.push(this.localSlot[i]!);
    return {
      typeIndex: env.m.funcs[this.defIndex]!,
      entry,
      end: out.length,
      numParams: this.paramSlots,
      numLocals: this.numLocals,
      frameSlots: Math.max(this.numLocals + this.maxSlots, slotsOf(f.results), 1),
      numResults: slotsOf(f.results),
      refLocals: Int32Array.from(refLocals),
    };
  }

  /** The type index of tag `x` (imports first). */
  private tagType(x: number): number {
    const m = this.env.m;
    if (x >= m.importedTagCount) return m.tags[x - m.importedTagCount]!;
    for (const imp of m.imports) if (imp.desc.kind === "tag" && x-- === 0) return imp.desc.typeIndex;
    throw new Error(`translator: unknown tag ${x}`);
  }

  /**
   * The end of a `try_table` body: one handler entry per catch clause over the body's code range,
   * sent to the clause's label (a loop's head now, a block's end label when it is placed).
   */
  private endTry(c: Ctrl): void {
    const start = c.tryStart!, end = this.out.length;
    if (start === end) return; // an empty body cannot throw
    for (const cl of c.clauses!) {
      const e = this.handlers.length;
      this.handlers.push(start, end, cl.kind, cl.tag, -1, cl.dst);
      if (cl.label.kind === "loop") this.handlers[e + HandlerWord.target] = cl.label.loopPc;
      else (cl.label.handlerPatches ??= []).push(e);
    }
  }

  /** After an unconditional transfer: the rest of the block is dead. Returns the pc to go on at. */
  private markDead(next: number): number {
    const c = this.ctrl[this.ctrl.length - 1]!;
    c.unreachable = true;
    this.pendingN = 0;
    this.pendingSum = 0;
    return this.skipDead(next);
  }

  private setLocal(x: number, own: number): void {
    const h = this.sk.length;
    const xw = this.lw(x);
    const k = this.sk[h - 1]!;
    // entries below the top that read local x (the top itself is consumed by this local.set)
    const refs = this.refsTo[x]! - ((k === LOCAL || k === LAZY_ADD) && this.sv[h - 1] === x ? 1 : 0) > 0;
    if (!refs && k === TEMP && this.lastOp >= 0 && this.out.a[this.lastDest] === this.home(h - 1)) {
      // the op that produced the value writes the local directly
      this.out.a[this.lastDest] = xw;
      this.pop();
      this.addPending(own);
      // keep lastOp so that a following fusion check sees the destination is no longer a temp
      return;
    }
    if (refs) for (const i of this.refPos) if (i < h - 1 && (this.sk[i] === LOCAL || this.sk[i] === LAZY_ADD) && this.sv[i] === x) this.materialize(i);
    this.addPending(own);
    if (k === LOCAL && this.sv[h - 1] === x) {
      this.pop();
      return;
    }
    this.copyEntry(h - 1, xw);
    this.pop();
  }

  /** Emits a SIMD op `[SIMD, cost, len, sub, d, operand...]` whose destination `d` may be retargeted. */
  private emitSimd(sub: number, own: number, d: number, ...operands: number[]): number {
    const pc = this.emit(Op.SIMD, own, 5 + operands.length, sub, d, ...operands);
    this.lastOp = pc;
    this.lastDest = pc + 4;
    return pc;
  }

  /** Emits a SIMD op without a destination. */
  private emitSimdNoDest(sub: number, own: number, ...operands: number[]): number {
    return this.emit(Op.SIMD, own, 4 + operands.length, sub, ...operands);
  }

  /** The last words of a SIMD memory access: the memory index, after the offset's high word on a 64-bit memory. */
  private simdMemory(memory: number, offHi: number): number[] {
    return this.env.memory64[memory] === 1 ? [offHi, memory] : [memory];
  }

  /** A wasm SIMD instruction (opcode word `op`, at `pc` of the flat stream): one SIMD op (see `simd.ts`). */
  private simd(op: number, own: number, h: number, pc: number): void {
    const code = this.flat;
    const sub = op - SIMD_WORD;
    if (sub === V128_CONST_SUB) {
      // a constant: emits nothing (a pool slot inside loops, else written where it is used)
      this.addPending(own);
      this.v128Consts.push([code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, code[pc + 4]!]);
      this.push(CONST, this.v128Consts.length - 1, 0, V128);
      return;
    }
    const l = simdLowering(sub);
    const n = l.operands.length;
    const operands: number[] = [];
    for (let k = 0; k < n; k++) operands.push(this.use(h - n + k));
    switch (l.imm) {
      case Imm.none: break;
      // offset (low word), [lane,] memory; on a 64-bit memory (memory64) the offset's high word before the memory
      case Imm.memArg: operands.push(code[pc + 2]!, ...this.simdMemory(code[pc + 1]! >>> 8, code[pc + 3]!)); break;
      case Imm.memArgLane: operands.push(code[pc + 2]!, code[pc + 4]!, ...this.simdMemory(code[pc + 1]! >>> 8, code[pc + 3]!)); break;
      case Imm.lane: operands.push(code[pc + 1]!); break;
      case Imm.v128: case Imm.shuffle: operands.push(code[pc + 1]!, code[pc + 2]!, code[pc + 3]!, code[pc + 4]!); break;
      default: throw new Error(`translator: SIMD immediate layout ${l.imm} of ${l.name}`);
    }
    for (let k = 0; k < n; k++) this.pop();
    const fastMemory = SIMD_FAST_MEMORY.get(sub);
    // (operands: the address, [the value,] the offset, the memory index: memory 0 of 32 bits only)
    const memory0 = fastMemory !== undefined && operands.length === n + 2 && operands[n + 1] === 0;
    if (l.result === 0) {
      if (memory0) this.emit(fastMemory, own, operands[0]!, operands[1]!, 0, operands[2]!);
      else this.emitSimdNoDest(sub, own, ...operands);
      return;
    }
    const d = this.home(h - n);
    if (memory0) {
      this.emitD(fastMemory, own, d, operands[0]!, 0, operands[1]!);
      this.pushTemp(l.result);
      return;
    }
    const fast = SIMD_FAST.get(sub);
    if (fast !== undefined) this.emitD(fast, own, d, ...operands);
    else this.emitSimd(sub, own, d, ...operands);
    if (l.canon !== 0 && this.env.canonicalizeNaNs) this.emitSimdNoDest(l.canon, 0, d);
    this.pushTemp(l.result);
  }

  private call(ft: FuncType, h: number, emitCall: (argBase: number) => void, extraPops: number): void {
    const n = ft.params.length;
    for (let i = h - n; i < h; i++) this.materialize(i);
    const argBase = this.home(h - n);
    emitCall(argBase);
    for (let k = 0; k < n + extraPops; k++) this.pop();
    for (const t of ft.results) this.pushTemp(t);
  }

  private binary(op: number, own: number, h: number): void {
    const info = BINARY.get(op)!;
    const ka = this.sk[h - 2]!, kb = this.sk[h - 1]!;
    if ((op === 0x6a || op === 0x6b) && kb === CONST && (ka === LOCAL || ka === LAZY_ADD)) {
      // local (+ const) + const: stays lazy (folded into addresses, materialised on other uses)
      const c = op === 0x6a ? this.sv[h - 1]! : -this.sv[h - 1]! | 0;
      const x = this.sv[h - 2]!, base = ka === LAZY_ADD ? this.sv2[h - 2]! : 0;
      this.pop(); this.pop();
      this.push(LAZY_ADD, x, (base + c) | 0, I32);
      this.addPending(own);
      return;
    }
    if (op === 0x6a && ka === CONST && kb === LOCAL) {
      const c = this.sv[h - 2]!, x = this.sv[h - 1]!;
      this.pop(); this.pop();
      this.push(LAZY_ADD, x, c, I32);
      this.addPending(own);
      return;
    }
    const d = this.home(h - 2);
    const is32 = info.operand === I32;
    if (is32 && kb === CONST) {
      const c = this.sv[h - 1]!;
      let iop = info.imm, imm = c;
      if (op === 0x6b) { iop = Op.I32_ADD_IMM; imm = -c | 0; }
      if (op === 0x74 || op === 0x75 || op === 0x76 || op === 0x77) imm = c & 31;
      if (op === 0x78) { iop = Op.I32_ROTL_IMM; imm = (32 - (c & 31)) & 31; }
      if (iop >= 0) {
        const a = this.use(h - 2);
        this.pop(); this.pop();
        this.emitD(iop, own, d, a, imm);
        this.pushTemp(info.result);
        return;
      }
    }
    if (is32 && ka === CONST && kb !== CONST) {
      const c = this.sv[h - 2]!;
      let iop = -1;
      if (info.commutative) iop = info.imm;
      else if (info.mirror >= 0) iop = BINARY.get(info.mirror)!.imm;
      else if (op === 0x6b) iop = Op.I32_SUB_FROM_IMM;
      if (iop >= 0) {
        const b = this.use(h - 1);
        this.pop(); this.pop();
        this.emitD(iop, own, d, b, c);
        this.pushTemp(info.result);
        return;
      }
    }
    if ((op === 0x89 || op === 0x8a) && kb === CONST) {
      // i64.rotl / i64.rotr by a constant: as a rotate left by k (mod 64), written as the rotate
      // left or right by 1..31 (I64_ROTL_IMM, I64_ROTR_IMM) or the swap of the halves (k = 32);
      // by 0 the register form below
      const k = op === 0x89 ? this.sv[h - 1]! & 63 : (64 - (this.sv[h - 1]! & 63)) & 63;
      if (k !== 0) {
        const a = this.use(h - 2);
        this.pop(); this.pop();
        if (k < 32) this.emitD(Op.I64_ROTL_IMM, own, d, a, k);
        else if (k === 32) this.emitD(Op.I64_ROT32, own, d, a);
        else this.emitD(Op.I64_ROTR_IMM, own, d, a, 64 - k);
        this.pushTemp(info.result);
        return;
      }
    }
    if (info.operand === I64 && kb === CONST) {
      let lo = this.sv[h - 1]!, hi = this.sv2[h - 1]!;
      let iop = info.imm;
      if (op === 0x7d) {
        const v = BigInt.asIntN(64, -((BigInt(hi) << 32n) | BigInt(lo >>> 0)));
        lo = Number(BigInt.asIntN(32, v));
        hi = Number(BigInt.asIntN(32, v >> 32n));
        iop = Op.I64_ADD_IMM;
      }
      if (op === 0x86 || op === 0x87 || op === 0x88) { lo &= 63; hi = 0; }
      if (iop >= 0) {
        const a = this.use(h - 2);
        this.pop(); this.pop();
        this.emitD(iop, own, d, a, lo, hi);
        this.pushTemp(info.result);
        return;
      }
    }
    if (op === 0xa0 && this.lastOp >= 0 && this.out.a[this.lastOp] === Op.F64_MUL && this.lastOp + 5 === this.out.length) {
      // f64.mul immediately followed by an f64.add of its result: one F64_MUL_ADD. The other addend
      // must be readable without emitting anything (a local, a pooled constant, an earlier temp).
      const md = this.out.a[this.lastDest]!;
      const other = this.sk[h - 1] === TEMP && md === this.home(h - 1) ? h - 2 : this.sk[h - 2] === TEMP && md === this.home(h - 2) ? h - 1 : -1;
      const ko = other >= 0 ? this.sk[other]! : -1;
      if (other >= 0 && (ko === LOCAL || (ko === TEMP && other === h - 2) || (ko === CONST && this.sp[other]! >= 0))) {
        const c = this.use(other);
        const [x, y] = this.unEmitLast(2);
        this.pop(); this.pop();
        this.emitD(Op.F64_MUL_ADD, own, d, x!, y!, c); // (never with canonicalisation: a CANON op follows every f64.mul)
        this.pushTemp(info.result);
        return;
      }
    }
    const b = this.use(h - 1);
    const a = this.use(h - 2);
    this.pop(); this.pop();
    this.emitD(info.reg, own, d, a, b);
    this.canonicalize(op, d);
    this.pushTemp(info.result);
  }
}
