/**
 * Validation of one function body (spec "Validation > Instructions" and the algorithm of the
 * appendix "Validation Algorithm"): an operand stack of value types and a control stack of
 * frames, with stack-polymorphic typing after `unreachable`, `br`, `br_table` and `return`.
 *
 * Both stacks are typed arrays reused across functions; a frame's block type is kept as
 * references to the parameter/result arrays of the module's types, so validating an
 * instruction allocates nothing. The unknown operand type of the algorithm is 0; a reference
 * popped from the polymorphic stack is `(ref bot)`. Operands match their expected types by
 * subtyping (`decode/matching.ts`). Locals of non-defaultable (non-nullable reference) type
 * are tracked as the algorithm's `inits`: set by `local.set`/`local.tee`, reset at the end of
 * the block that set them.
 */
import { matchesResultType, matchesValType } from "../decode/matching.js";
import { CONCRETE, HeapType, isNullable, isRefType, NON_NULL, refType, valTypeName, type FuncBody, type FuncType } from "../decode/module.js";
import { IMM_WORDS, Imm, INSTRUCTIONS, isSupported, OPERATOR_COUNT, operatorIndex } from "../decode/opcode-table.js";
import { CompileError } from "../errors.js";
import type { ValidationContext } from "./context.js";

/** The algorithm's `Unknown` operand type (below any polymorphic stack). */
const UNKNOWN = 0;
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;
const FUNCREF = 0x70;
const EXNREF = 0x69;
/** `(ref exn)`: what `catch_ref` / `catch_all_ref` pass. */
const REF_EXN = refType(false, HeapType.exn);
/** `(ref bot)`: what `pop_ref` returns from the polymorphic stack. */
const BOT_REF = refType(false, HeapType.bot);

/** Frame kinds: the opcodes that open them (the function's own frame counts as a block). */
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;
const TRY_TABLE = 0x1f;

const EMPTY: readonly number[] = [];
/** The result type `[t]` of a block typed by one value type (one array per type, made once). */
const SINGLE = new Map<number, readonly number[]>();
function single(t: number): readonly number[] {
  let r = SINGLE.get(t);
  if (r === undefined) SINGLE.set(t, (r = [t]));
  return r;
}

/**
 * The simple instructions of the opcode table (a fixed stack signature), by operator index:
 * `SIMPLE` says which rule their immediates add (none, a memarg: memory 0 exists and the alignment
 * is at most `NATURAL`, or reserved memory-index bytes: those memories exist), `IN` holds up to
 * three operand types packed a byte each (first operand lowest) with their count in `IN_COUNT`,
 * `OUT` the result type (0 none).
 */
const SIMPLE = new Uint8Array(OPERATOR_COUNT);
const S_PLAIN = 1;
const S_MEMARG = 2;
const S_MEMORY = 3;
const IN = new Int32Array(OPERATOR_COUNT);
const IN_COUNT = new Uint8Array(OPERATOR_COUNT);
const OUT = new Uint8Array(OPERATOR_COUNT);
const NATURAL = new Uint8Array(OPERATOR_COUNT);
const WORDS = new Uint8Array(OPERATOR_COUNT);
/**
 * SIMD lane immediates: lane indices must be below `LANES` (0: no lane immediate); `LANE_AT` is the
 * immediate word holding the lane (1-based), or 0 for `i8x16.shuffle`'s sixteen packed lane bytes.
 */
const LANES = new Uint8Array(OPERATOR_COUNT);
const LANE_AT = new Uint8Array(OPERATOR_COUNT);
for (const ins of INSTRUCTIONS) {
  // (memory.init and data.drop have cases of their own: the data segment rule)
  if (!isSupported(ins) || ins.operands === undefined || ins.dataIndex === true) continue;
  const x = operatorIndex(ins.code);
  const operands = ins.operands, results = ins.results!;
  if (operands.length > 3 || results.length > 1) throw new Error(`validator: ${ins.name}'s signature does not fit the simple path`);
  SIMPLE[x] = ins.imm === Imm.memArg || ins.imm === Imm.memArgLane ? S_MEMARG : ins.imm === Imm.zeroByte || ins.imm === Imm.twoZeroBytes ? S_MEMORY : S_PLAIN;
  if (ins.lanes !== undefined) {
    LANES[x] = ins.lanes;
    LANE_AT[x] = ins.imm === Imm.lane ? 1 : ins.imm === Imm.memArgLane ? 4 : 0;
  }
  for (let k = 0; k < operands.length; k++) IN[x] |= operands[k]! << (8 * k);
  IN_COUNT[x] = operands.length;
  OUT[x] = results.length === 0 ? 0 : results[0]!;
  NATURAL[x] = ins.align ?? 0;
  WORDS[x] = IMM_WORDS[ins.imm]!;
}

/** A number or vector type (what untyped `select` accepts). */
function isNum(t: number): boolean {
  return t === UNKNOWN || (t >= V128 && t <= I32);
}

function typeName(t: number): string {
  return t === UNKNOWN ? "unknown" : valTypeName(t);
}

/** Validates function bodies; reuse one instance for all functions of a module (or many modules). */
export class FunctionValidator {
  private vals: Int32Array = new Int32Array(256);
  private vh = 0;
  private ctrlKind: Uint8Array = new Uint8Array(32);
  private ctrlHeight: Int32Array = new Int32Array(32);
  private ctrlUnreachable: Uint8Array = new Uint8Array(32);
  /** br_table bookkeeping: the last br_table (by stamp) that checked each frame's label types. */
  private ctrlStamp: Int32Array = new Int32Array(32);
  /** Height of the `inits` stack when each frame was pushed (locals set inside it are reset at its end). */
  private ctrlInits: Int32Array = new Int32Array(32);
  private stamp = 0;
  private ctrlParams: (readonly number[])[] = [];
  private ctrlResults: (readonly number[])[] = [];
  private ch = 0;
  private scratch: Int32Array = new Int32Array(32);
  /** C.locals of the current function (reused; only the first params + localCount entries count). */
  private localTypes: Int32Array = new Int32Array(64);
  /** 1 where the local is initialised (parameters and defaultable locals always are). */
  private localInit: Uint8Array = new Uint8Array(64);
  /** The algorithm's `inits`: non-defaultable locals set so far, innermost last. */
  private inits: Int32Array = new Int32Array(16);
  private ih = 0;
  /** Canonical type ids of the module (`C.types` equivalence). */
  private canon: Int32Array = new Int32Array(0);

  // The function being validated, for error messages.
  private funcIndex = 0;
  private body: FuncBody | undefined;
  private instr = 0;

  /** A tail call's callee results must match the function's result types. */
  private sameResults(callee: readonly number[], own: readonly number[], what: string): void {
    if (!matchesResultType(callee, own, this.canon))
      this.fail(`type mismatch: ${what} callee returns [${callee.map(valTypeName).join(" ")}] but the function returns [${own.map(valTypeName).join(" ")}]`);
  }

  private fail(message: string): never {
    const body = this.body;
    const offset = body !== undefined && this.instr < body.offsets.length ? body.offsets[this.instr] : body?.offset;
    throw new CompileError("invalid", `${message} (code section, function ${this.funcIndex})`, offset);
  }

  private push(t: number): void {
    if (this.vh === this.vals.length) {
      const v = new Int32Array(this.vals.length * 2);
      v.set(this.vals);
      this.vals = v;
    }
    this.vals[this.vh++] = t;
  }

  private pushAll(ts: readonly number[]): void {
    for (let i = 0; i < ts.length; i++) this.push(ts[i]);
  }

  private pop(): number {
    const top = this.ch - 1;
    if (this.vh === this.ctrlHeight[top]) {
      if (this.ctrlUnreachable[top]) return UNKNOWN;
      this.fail("type mismatch: operand stack is empty");
    }
    return this.vals[--this.vh];
  }

  private popExpect(expected: number): number {
    const top = this.ch - 1;
    if (this.vh === this.ctrlHeight[top]) {
      if (this.ctrlUnreachable[top]) return UNKNOWN;
      this.fail(`type mismatch: expected ${typeName(expected)} but the operand stack is empty`);
    }
    const actual = this.vals[--this.vh];
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN && !matchesValType(actual, expected, this.canon)) {
      this.fail(`type mismatch: expected ${typeName(expected)}, found ${typeName(actual)}`);
    }
    return actual;
  }

  /** The algorithm's `pop_ref`: a reference type (`(ref bot)` from the polymorphic stack). */
  private popRef(what: string): number {
    const t = this.pop();
    if (t === UNKNOWN) return BOT_REF;
    if (!isRefType(t)) this.fail(`type mismatch: ${what} expects a reference, found ${typeName(t)}`);
    return t;
  }

  /** A value type named by an immediate: its type index (if any) must exist. */
  private checkValType(c: ValidationContext, t: number): void {
    if ((t & CONCRETE) !== 0 && t >>> 10 >= c.types.length) this.fail(`unknown type ${t >>> 10}`);
  }

  /** `local.set`/`local.tee` of a non-defaultable local: now initialised (until the end of the block). */
  private initLocal(x: number): void {
    if (this.localInit[x]) return;
    this.localInit[x] = 1;
    if (this.ih === this.inits.length) {
      const a = new Int32Array(this.ih * 2);
      a.set(this.inits);
      this.inits = a;
    }
    this.inits[this.ih++] = x;
  }

  /** Resets the locals set since the `inits` stack had height `h`. */
  private resetLocals(h: number): void {
    while (this.ih > h) this.localInit[this.inits[--this.ih]] = 0;
  }

  private popAll(ts: readonly number[]): void {
    for (let i = ts.length - 1; i >= 0; i--) this.popExpect(ts[i]);
  }

  private pushCtrl(kind: number, params: readonly number[], results: readonly number[]): void {
    const ch = this.ch;
    if (ch === this.ctrlKind.length) {
      const n = ch * 2;
      const k = new Uint8Array(n); k.set(this.ctrlKind); this.ctrlKind = k;
      const h = new Int32Array(n); h.set(this.ctrlHeight); this.ctrlHeight = h;
      const u = new Uint8Array(n); u.set(this.ctrlUnreachable); this.ctrlUnreachable = u;
      const st = new Int32Array(n); st.set(this.ctrlStamp); this.ctrlStamp = st;
      const ci = new Int32Array(n); ci.set(this.ctrlInits); this.ctrlInits = ci;
    }
    this.ctrlInits[ch] = this.ih;
    this.ctrlKind[ch] = kind;
    this.ctrlHeight[ch] = this.vh;
    this.ctrlUnreachable[ch] = 0;
    this.ctrlStamp[ch] = 0;
    this.ctrlParams[ch] = params;
    this.ctrlResults[ch] = results;
    this.ch = ch + 1;
    this.pushAll(params);
  }

  /** Pops the innermost frame after checking its results are exactly what is left on the stack. */
  private popCtrl(): void {
    if (this.ch === 0) this.fail("type mismatch: end without a block");
    const top = this.ch - 1;
    this.popAll(this.ctrlResults[top]);
    if (this.vh !== this.ctrlHeight[top]) {
      this.fail(`type mismatch: ${this.vh - this.ctrlHeight[top]} value(s) left on the operand stack at the end of the block`);
    }
    this.resetLocals(this.ctrlInits[top]);
    this.ch = top;
  }

  private labelTypes(frame: number): readonly number[] {
    return this.ctrlKind[frame] === LOOP ? this.ctrlParams[frame] : this.ctrlResults[frame];
  }

  /** The frame index of label `l`, failing with `unknown label` when there is none. */
  private label(l: number): number {
    if (l >= this.ch) this.fail(`unknown label ${l}`);
    return this.ch - 1 - l;
  }

  private setUnreachable(): void {
    const top = this.ch - 1;
    this.vh = this.ctrlHeight[top];
    this.ctrlUnreachable[top] = 1;
  }

  private blockType(c: ValidationContext, bt: number): FuncType | undefined {
    if (bt === -1) return undefined;
    if (bt < -1) {
      this.checkValType(c, -2 - bt);
      return undefined;
    }
    if (bt >= c.types.length) this.fail(`unknown type ${bt}`);
    return c.types[bt];
  }

  /** Memory `index` exists; returns its address type (i32, or i64 for a 64-bit memory). */
  private needMemory(c: ValidationContext, index: number): number {
    if (index >= c.memoryCount) this.fail(`unknown memory ${index}`);
    return c.memoryAddressTypes[index];
  }

  private table(c: ValidationContext, x: number): number {
    if (x >= c.tableElemTypes.length) this.fail(`unknown table ${x}`);
    return c.tableElemTypes[x];
  }

  /** Address type of table `x` (which exists). */
  private tableAt(c: ValidationContext, x: number): number {
    return c.tableAddressTypes[x];
  }

  /**
   * The operands of memory.size / grow / fill / copy (the memories exist): of the memory's address
   * type; memory.copy's length is i64 only when both memories are 64-bit (spec "memory.copy").
   */
  private memoryOperands(c: ValidationContext, op: number, x: number, y: number): void {
    const at = c.memoryAddressTypes[x];
    switch (op) {
      case 0x3f: // memory.size
        this.push(at);
        break;
      case 0x40: // memory.grow
        this.popExpect(at);
        this.push(at);
        break;
      case 0xfc0a: { // memory.copy x y: d of x's type, s of y's, n of the smaller
        const as = c.memoryAddressTypes[y];
        this.popExpect(at === I64 && as === I64 ? I64 : I32);
        this.popExpect(as);
        this.popExpect(at);
        break;
      }
      default: // memory.fill: d, byte value, n
        this.popExpect(at);
        this.popExpect(I32);
        this.popExpect(at);
    }
  }

  private func(c: ValidationContext, x: number): FuncType {
    if (x >= c.funcTypeIndices.length) this.fail(`unknown function ${x}`);
    return c.types[c.funcTypeIndices[x]];
  }

  /** The payload types of tag `x` (its type's parameters). */
  private tag(c: ValidationContext, x: number): readonly number[] {
    if (x >= c.tagTypeIndices.length) this.fail(`unknown tag ${x}`);
    return c.types[c.tagTypeIndices[x]!]!.params;
  }

  /** A catch clause of `try_table` (spec "check_catch"): what it passes must be the label's types. */
  private catchClause(c: ValidationContext, kind: number, x: number, l: number): void {
    const given = kind < 2 ? this.tag(c, x) : EMPTY;
    const f = this.label(l);
    const want = this.labelTypes(f);
    const withRef = kind === 1 || kind === 3;
    const n = given.length + (withRef ? 1 : 0);
    let same = want.length === n;
    for (let i = 0; same && i < given.length; i++) same = matchesValType(given[i]!, want[i]!, this.canon);
    // (the caught exception is passed as a (ref exn): never null)
    if (same && withRef) same = matchesValType(REF_EXN, want[n - 1]!, this.canon);
    if (!same) {
      const names = [...given.map(valTypeName), ...(withRef ? ["exnref"] : [])];
      this.fail(`type mismatch: catch handler passes [${names.join(" ")}] but label ${l} takes [${want.map(valTypeName).join(" ")}]`);
    }
  }

  private dataSegment(c: ValidationContext, x: number): void {
    if (c.dataCount === undefined) this.fail("data count section required");
    if (x >= c.dataCount) this.fail(`unknown data segment ${x}`);
  }

  private elemSegment(c: ValidationContext, x: number): number {
    if (x >= c.elemTypes.length) this.fail(`unknown elem segment ${x}`);
    return c.elemTypes[x];
  }

  /**
   * Validates the body of function `funcIndex` (function index space) with type `type`.
   * @throws CompileError `invalid`.
   */
  validate(c: ValidationContext, funcIndex: number, type: FuncType, body: FuncBody): void {
    this.funcIndex = funcIndex;
    this.body = body;
    this.instr = 0;
    this.vh = 0;
    this.ch = 0;

    // C.locals: parameters, then the declared locals.
    const nParams = type.params.length;
    const nLocals = nParams + body.localCount;
    if (this.localTypes.length < nLocals) {
      const n = Math.max(nLocals, this.localTypes.length * 2);
      this.localTypes = new Int32Array(n);
      this.localInit = new Uint8Array(n);
    }
    const locals = this.localTypes;
    const init = this.localInit;
    this.canon = c.canon;
    this.ih = 0;
    for (let i = 0; i < nParams; i++) locals[i] = type.params[i];
    init.fill(1, 0, nParams);
    let li = nParams;
    for (const run of body.locals) {
      // (an unknown type index in a local's type is reported before the first instruction)
      if ((run.type & CONCRETE) !== 0 && run.type >>> 10 >= c.types.length) this.fail(`unknown type ${run.type >>> 10}`);
      locals.fill(run.type, li, li + run.count);
      init.fill((run.type & NON_NULL) !== 0 ? 0 : 1, li, li + run.count);
      li += run.count;
    }
    const globals = c.globalTypes;
    const nGlobals = globals.length;
    const returnTypes = type.results;

    this.pushCtrl(BLOCK, EMPTY, returnTypes);
    const code = body.code;
    const len = code.length;
    let pc = 0;
    for (let k = 0; pc < len; k++) {
      this.instr = k;
      if (this.ch === 0) this.fail("operators remaining after the end of the function");
      const op = code[pc];
      switch (op) {
        case 0x00: // unreachable
          this.setUnreachable();
          pc += 1;
          break;
        case 0x02: // block
        case 0x03: // loop
        case 0x04: { // if
          const bt = code[pc + 1];
          if (op === IF) this.popExpect(I32);
          const ft = this.blockType(c, bt);
          const params = ft === undefined ? EMPTY : ft.params;
          const results = ft === undefined ? (bt === -1 ? EMPTY : single(-2 - bt)) : ft.results;
          this.popAll(params);
          this.pushCtrl(op, params, results);
          pc += 2;
          break;
        }
        case 0x08: { // throw x
          this.popAll(this.tag(c, code[pc + 1] >>> 0));
          this.setUnreachable();
          pc += 2;
          break;
        }
        case 0x0a: // throw_ref
          this.popExpect(EXNREF);
          this.setUnreachable();
          pc += 1;
          break;
        case 0x1f: { // try_table bt catch* (the catch labels are those outside the try_table)
          const bt = code[pc + 1];
          const n = code[pc + 2];
          for (let k = 0; k < n; k++) this.catchClause(c, code[pc + 3 + 3 * k], code[pc + 4 + 3 * k] >>> 0, code[pc + 5 + 3 * k] >>> 0);
          const ft = this.blockType(c, bt);
          const params = ft === undefined ? EMPTY : ft.params;
          const results = ft === undefined ? (bt === -1 ? EMPTY : single(-2 - bt)) : ft.results;
          this.popAll(params);
          this.pushCtrl(TRY_TABLE, params, results);
          pc += 3 + 3 * n;
          break;
        }
        case 0x05: { // else
          const top = this.ch - 1;
          if (this.ctrlKind[top] !== IF) this.fail("else without matching if");
          const params = this.ctrlParams[top];
          const results = this.ctrlResults[top];
          this.popCtrl();
          this.pushCtrl(ELSE, params, results);
          pc += 1;
          break;
        }
        case 0x0b: { // end
          const top = this.ch - 1;
          const results = this.ctrlResults[top];
          if (this.ctrlKind[top] === IF && !matchesResultType(this.ctrlParams[top], results, this.canon)) {
            this.fail("type mismatch: if without else must have matching parameter and result types");
          }
          this.popCtrl();
          this.pushAll(results);
          pc += 1;
          break;
        }
        case 0x0c: { // br
          const f = this.label(code[pc + 1] >>> 0);
          this.popAll(this.labelTypes(f));
          this.setUnreachable();
          pc += 2;
          break;
        }
        case 0x0d: { // br_if
          const f = this.label(code[pc + 1] >>> 0);
          this.popExpect(I32);
          const ts = this.labelTypes(f);
          this.popAll(ts);
          this.pushAll(ts);
          pc += 2;
          break;
        }
        case 0x0e: { // br_table
          const n = code[pc + 1];
          this.popExpect(I32);
          const df = this.label(code[pc + 2 + n] >>> 0);
          const arity = this.labelTypes(df).length;
          if (this.scratch.length < arity) this.scratch = new Int32Array(arity);
          // Each target frame is checked once per br_table (re-checking the same frame changes
          // nothing), so a huge table of wide labels stays linear in its size.
          const stamp = ++this.stamp;
          for (let i = 0; i < n; i++) {
            const f = this.label(code[pc + 2 + i] >>> 0);
            if (this.ctrlStamp[f] === stamp) continue;
            this.ctrlStamp[f] = stamp;
            const ts = this.labelTypes(f);
            if (ts.length !== arity) this.fail(`type mismatch: br_table targets have different arities (${ts.length} and ${arity})`);
            // push_vals(pop_vals(label_types)): keep what was actually on the stack.
            for (let j = arity - 1; j >= 0; j--) this.scratch[j] = this.popExpect(ts[j]);
            for (let j = 0; j < arity; j++) this.push(this.scratch[j]);
          }
          this.popAll(this.labelTypes(df));
          this.setUnreachable();
          pc += n + 3;
          break;
        }
        case 0x0f: // return
          this.popAll(returnTypes);
          this.setUnreachable();
          pc += 1;
          break;
        case 0x10: case 0x12: { // call, return_call (spec "return_call": the callee's results are the function's)
          const ft = this.func(c, code[pc + 1] >>> 0);
          if (op === 0x12) this.sameResults(ft.results, returnTypes, "return_call");
          this.popAll(ft.params);
          if (op === 0x12) this.setUnreachable();
          else this.pushAll(ft.results);
          pc += 2;
          break;
        }
        case 0x11: case 0x13: { // call_indirect, return_call_indirect
          const name = op === 0x11 ? "call_indirect" : "return_call_indirect";
          const x = code[pc + 1] >>> 0;
          const t = this.table(c, code[pc + 2] >>> 0);
          if (!matchesValType(t, FUNCREF, this.canon)) this.fail(`type mismatch: ${name} through a table of ${valTypeName(t)}`);
          if (x >= c.types.length) this.fail(`unknown type ${x}`);
          const ft = c.types[x];
          if (op === 0x13) this.sameResults(ft.results, returnTypes, name);
          this.popExpect(this.tableAt(c, code[pc + 2] >>> 0));
          this.popAll(ft.params);
          if (op === 0x13) this.setUnreachable();
          else this.pushAll(ft.results);
          pc += 3;
          break;
        }
        case 0x14: case 0x15: { // call_ref x, return_call_ref x: [t1* (ref null x)] -> [t2*]
          const x = code[pc + 1] >>> 0;
          if (x >= c.types.length) this.fail(`unknown type ${x}`);
          const ft = c.types[x];
          if (op === 0x15) this.sameResults(ft.results, returnTypes, "return_call_ref");
          this.popExpect(refType(true, x));
          this.popAll(ft.params);
          if (op === 0x15) this.setUnreachable();
          else this.pushAll(ft.results);
          pc += 2;
          break;
        }
        case 0xd4: { // ref.as_non_null: [(ref null ht)] -> [(ref ht)]
          const t = this.popRef("ref.as_non_null");
          this.push(t | NON_NULL);
          pc += 1;
          break;
        }
        case 0xd5: { // br_on_null l: [t* (ref null ht)] -> [t* (ref ht)], branching with [t*] on null
          const f = this.label(code[pc + 1] >>> 0);
          const t = this.popRef("br_on_null");
          const ts = this.labelTypes(f);
          this.popAll(ts);
          this.pushAll(ts);
          this.push(t | NON_NULL);
          pc += 2;
          break;
        }
        case 0xd6: { // br_on_non_null l: [t* (ref null ht)] -> [t*], label l of type [t* (ref ht)]
          const f = this.label(code[pc + 1] >>> 0);
          const ts = this.labelTypes(f);
          const n = ts.length;
          if (n === 0 || !isRefType(ts[n - 1])) this.fail(`type mismatch: br_on_non_null's target label must take a reference last, it takes [${ts.map(valTypeName).join(" ")}]`);
          const t = this.popRef("br_on_non_null");
          if (!matchesValType(t | NON_NULL, ts[n - 1], this.canon)) this.fail(`type mismatch: br_on_non_null of ${typeName(t)} to a label taking ${typeName(ts[n - 1])}`);
          for (let i = n - 2; i >= 0; i--) this.popExpect(ts[i]);
          for (let i = 0; i < n - 1; i++) this.push(ts[i]);
          pc += 2;
          break;
        }
        case 0x1a: // drop
          this.pop();
          pc += 1;
          break;
        case 0x1b: { // select (untyped: numeric operands only)
          this.popExpect(I32);
          const t1 = this.pop();
          const t2 = this.pop();
          if (!isNum(t1) || !isNum(t2)) this.fail(`type mismatch: select without a type needs numeric operands, found ${typeName(t2)} and ${typeName(t1)}`);
          if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.fail(`type mismatch: select operands ${typeName(t2)} and ${typeName(t1)} differ`);
          this.push(t1 === UNKNOWN ? t2 : t1);
          pc += 1;
          break;
        }
        case 0x1c: { // select t*
          const n = code[pc + 1];
          if (n !== 1) this.fail(`invalid result arity: typed select with ${n} types`);
          const t = code[pc + 2];
          this.checkValType(c, t);
          this.popExpect(I32);
          this.popExpect(t);
          this.popExpect(t);
          this.push(t);
          pc += 3;
          break;
        }
        case 0x20: { // local.get
          const x = code[pc + 1] >>> 0;
          if (x >= nLocals) this.fail(`unknown local ${x}`);
          if (!init[x]) this.fail(`uninitialized local ${x}`);
          this.push(locals[x]);
          pc += 2;
          break;
        }
        case 0x21: { // local.set
          const x = code[pc + 1] >>> 0;
          if (x >= nLocals) this.fail(`unknown local ${x}`);
          this.popExpect(locals[x]);
          this.initLocal(x);
          pc += 2;
          break;
        }
        case 0x22: { // local.tee
          const x = code[pc + 1] >>> 0;
          if (x >= nLocals) this.fail(`unknown local ${x}`);
          this.popExpect(locals[x]);
          this.initLocal(x);
          this.push(locals[x]);
          pc += 2;
          break;
        }
        case 0x23: { // global.get
          const x = code[pc + 1] >>> 0;
          if (x >= nGlobals) this.fail(`unknown global ${x}`);
          this.push(globals[x]);
          pc += 2;
          break;
        }
        case 0x24: { // global.set
          const x = code[pc + 1] >>> 0;
          if (x >= nGlobals) this.fail(`unknown global ${x}`);
          if (!c.globalMutable[x]) this.fail(`global is immutable: global.set ${x}`);
          this.popExpect(globals[x]);
          pc += 2;
          break;
        }
        case 0x25: { // table.get
          const t = this.table(c, code[pc + 1] >>> 0);
          this.popExpect(this.tableAt(c, code[pc + 1] >>> 0));
          this.push(t);
          pc += 2;
          break;
        }
        case 0x26: { // table.set
          const t = this.table(c, code[pc + 1] >>> 0);
          this.popExpect(t);
          this.popExpect(this.tableAt(c, code[pc + 1] >>> 0));
          pc += 2;
          break;
        }
        case 0xd0: // ref.null ht: (ref null ht)
          this.checkValType(c, code[pc + 1]);
          this.push(code[pc + 1]);
          pc += 2;
          break;
        case 0xd1: // ref.is_null
          this.popRef("ref.is_null");
          this.push(I32);
          pc += 1;
          break;
        case 0xd2: { // ref.func x: (ref $t), $t the function's type
          const x = code[pc + 1] >>> 0;
          this.func(c, x);
          if (!c.refs[x]) this.fail(`undeclared function reference ${x}`);
          this.push(refType(false, c.funcTypeIndices[x]));
          pc += 2;
          break;
        }
        case 0xfc08: { // memory.init x: d of the memory's address type, s and n i32
          const at = this.needMemory(c, code[pc + 2] >>> 0);
          this.dataSegment(c, code[pc + 1] >>> 0);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(at);
          pc += 3;
          break;
        }
        case 0xfc09: // data.drop x
          this.dataSegment(c, code[pc + 1] >>> 0);
          pc += 2;
          break;
        case 0xfc0c: { // table.init x y
          const t = this.table(c, code[pc + 2] >>> 0);
          const e = this.elemSegment(c, code[pc + 1] >>> 0);
          if (!matchesValType(e, t, this.canon)) this.fail(`type mismatch: table.init of a ${valTypeName(t)} table from a ${valTypeName(e)} segment`);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(this.tableAt(c, code[pc + 2] >>> 0));
          pc += 3;
          break;
        }
        case 0xfc0d: // elem.drop x
          this.elemSegment(c, code[pc + 1] >>> 0);
          pc += 2;
          break;
        case 0xfc0e: { // table.copy x y
          const t1 = this.table(c, code[pc + 1] >>> 0);
          const t2 = this.table(c, code[pc + 2] >>> 0);
          if (!matchesValType(t2, t1, this.canon)) this.fail(`type mismatch: table.copy from a ${valTypeName(t2)} table to a ${valTypeName(t1)} table`);
          // d of x's address type, s of y's, n of the smaller (spec "table.copy")
          const a1 = this.tableAt(c, code[pc + 1] >>> 0), a2 = this.tableAt(c, code[pc + 2] >>> 0);
          this.popExpect(a1 === I64 && a2 === I64 ? I64 : I32);
          this.popExpect(a2);
          this.popExpect(a1);
          pc += 3;
          break;
        }
        case 0xfc0f: { // table.grow x
          const t = this.table(c, code[pc + 1] >>> 0);
          const at = this.tableAt(c, code[pc + 1] >>> 0);
          this.popExpect(at);
          this.popExpect(t);
          this.push(at);
          pc += 2;
          break;
        }
        case 0xfc10: // table.size x
          this.table(c, code[pc + 1] >>> 0);
          this.push(this.tableAt(c, code[pc + 1] >>> 0));
          pc += 2;
          break;
        case 0xfc11: { // table.fill x
          const t = this.table(c, code[pc + 1] >>> 0);
          const at = this.tableAt(c, code[pc + 1] >>> 0);
          this.popExpect(at);
          this.popExpect(t);
          this.popExpect(at);
          pc += 2;
          break;
        }
        default: {
          // The simple instructions (opcode table signatures): the immediates' rule, then the operands.
          const x = operatorIndex(op);
          const kind = x < OPERATOR_COUNT ? SIMPLE[x] : 0;
          if (kind === 0) this.fail(`illegal opcode 0x${op.toString(16)} in the instruction stream`);
          const words = WORDS[x];
          let addressType = I32;
          if (kind === S_MEMARG) { // loads and stores: alignment exponent in bits 0-7, memory index above; u64 offset
            addressType = this.needMemory(c, code[pc + 1] >>> 8);
            if ((code[pc + 1] & 0xff) > NATURAL[x]) {
              this.fail(`alignment must not be larger than natural: 2^${code[pc + 1] & 0xff} > ${1 << NATURAL[x]}`);
            }
            if (addressType !== I64 && code[pc + 3] !== 0) this.fail(`offset out of range: ${(code[pc + 3] >>> 0) * 2 ** 32 + (code[pc + 2] >>> 0)} on a memory with address type i32`);
          } else if (kind === S_MEMORY) { // memory.size / grow / copy / fill: memory indices, then operands of their address types
            for (let w = 1; w <= words; w++) this.needMemory(c, code[pc + w] >>> 0);
            this.memoryOperands(c, op, code[pc + 1] >>> 0, code[pc + 2] >>> 0);
            pc += 1 + words;
            break;
          }
          const lanes = LANES[x];
          if (lanes !== 0) { // SIMD lane indices
            const at = LANE_AT[x];
            if (at !== 0) {
              if (code[pc + at] >= lanes) this.fail(`invalid lane index ${code[pc + at]} (${lanes} lanes)`);
            } else {
              for (let b = 0; b < 16; b++) {
                const l = (code[pc + 1 + (b >> 2)] >>> (8 * (b & 3))) & 0xff;
                if (l >= lanes) this.fail(`invalid lane index ${l} in i8x16.shuffle`);
              }
            }
          }
          const packed = IN[x];
          // a memarg's first operand is the address, of the memory's address type
          for (let k = IN_COUNT[x] - 1; k >= 0; k--) this.popExpect(k === 0 && addressType === I64 ? I64 : (packed >>> (8 * k)) & 0xff);
          const out = OUT[x];
          if (out !== 0) this.push(out);
          pc += 1 + words;
        }
      }
    }
    if (this.ch !== 0) this.fail("unexpected end of function: unclosed block");
    this.body = undefined;
  }
}
