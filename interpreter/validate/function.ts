/**
 * Validation of one function body (spec "Validation > Instructions" and the algorithm of the
 * appendix "Validation Algorithm"): an operand stack of value types and a control stack of
 * frames, with stack-polymorphic typing after `unreachable`, `br`, `br_table` and `return`.
 *
 * Both stacks are typed arrays reused across functions; a frame's block type is kept as
 * references to the parameter/result arrays of the module's types, so validating an
 * instruction allocates nothing. The unknown operand type of the algorithm is 0.
 */
import { valTypeName, type FuncBody, type FuncType } from "../decode/module.js";
import { CompileError } from "../errors.js";
import type { ValidationContext } from "./context.js";

/** The algorithm's `Unknown` operand type (below any polymorphic stack). */
const UNKNOWN = 0;
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const FUNCREF = 0x70;

/** Frame kinds: the opcodes that open them (the function's own frame counts as a block). */
const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;

const EMPTY: readonly number[] = [];
const SINGLE: Record<number, readonly number[]> = {
  [I32]: [I32], [I64]: [I64], [F32]: [F32], [F64]: [F64], [FUNCREF]: [FUNCREF], [0x6f]: [0x6f],
};

/**
 * Signatures of the numeric instructions without immediates (0x45..0xc4, and 0xfc00..0xfc07
 * at index 0xc5 + sub): operand 1, operand 2 (0 when unary), result.
 */
const NUM_IN1 = new Uint8Array(0xd0);
const NUM_IN2 = new Uint8Array(0xd0);
const NUM_OUT = new Uint8Array(0xd0);
function sig(from: number, to: number, in1: number, in2: number, out: number): void {
  for (let op = from; op <= to; op++) {
    NUM_IN1[op] = in1;
    NUM_IN2[op] = in2;
    NUM_OUT[op] = out;
  }
}
sig(0x45, 0x45, I32, 0, I32); // i32.eqz
sig(0x46, 0x4f, I32, I32, I32); // i32 comparisons
sig(0x50, 0x50, I64, 0, I32); // i64.eqz
sig(0x51, 0x5a, I64, I64, I32); // i64 comparisons
sig(0x5b, 0x60, F32, F32, I32); // f32 comparisons
sig(0x61, 0x66, F64, F64, I32); // f64 comparisons
sig(0x67, 0x69, I32, 0, I32); // i32 clz ctz popcnt
sig(0x6a, 0x78, I32, I32, I32); // i32 binary
sig(0x79, 0x7b, I64, 0, I64); // i64 clz ctz popcnt
sig(0x7c, 0x8a, I64, I64, I64); // i64 binary
sig(0x8b, 0x91, F32, 0, F32); // f32 unary
sig(0x92, 0x98, F32, F32, F32); // f32 binary
sig(0x99, 0x9f, F64, 0, F64); // f64 unary
sig(0xa0, 0xa6, F64, F64, F64); // f64 binary
sig(0xa7, 0xa7, I64, 0, I32); // i32.wrap_i64
sig(0xa8, 0xa9, F32, 0, I32); // i32.trunc_f32_s/u
sig(0xaa, 0xab, F64, 0, I32); // i32.trunc_f64_s/u
sig(0xac, 0xad, I32, 0, I64); // i64.extend_i32_s/u
sig(0xae, 0xaf, F32, 0, I64); // i64.trunc_f32_s/u
sig(0xb0, 0xb1, F64, 0, I64); // i64.trunc_f64_s/u
sig(0xb2, 0xb3, I32, 0, F32); // f32.convert_i32_s/u
sig(0xb4, 0xb5, I64, 0, F32); // f32.convert_i64_s/u
sig(0xb6, 0xb6, F64, 0, F32); // f32.demote_f64
sig(0xb7, 0xb8, I32, 0, F64); // f64.convert_i32_s/u
sig(0xb9, 0xba, I64, 0, F64); // f64.convert_i64_s/u
sig(0xbb, 0xbb, F32, 0, F64); // f64.promote_f32
sig(0xbc, 0xbc, F32, 0, I32); // i32.reinterpret_f32
sig(0xbd, 0xbd, F64, 0, I64); // i64.reinterpret_f64
sig(0xbe, 0xbe, I32, 0, F32); // f32.reinterpret_i32
sig(0xbf, 0xbf, I64, 0, F64); // f64.reinterpret_i64
sig(0xc0, 0xc1, I32, 0, I32); // i32.extend8_s/16_s
sig(0xc2, 0xc4, I64, 0, I64); // i64.extend8_s/16_s/32_s
sig(0xc5, 0xc6, F32, 0, I32); // i32.trunc_sat_f32_s/u
sig(0xc7, 0xc8, F64, 0, I32); // i32.trunc_sat_f64_s/u
sig(0xc9, 0xca, F32, 0, I64); // i64.trunc_sat_f32_s/u
sig(0xcb, 0xcc, F64, 0, I64); // i64.trunc_sat_f64_s/u

/** Loads and stores 0x28..0x3e: value type and natural alignment exponent. */
const MEM_TYPE = new Uint8Array(0x3f);
const MEM_NATURAL = new Uint8Array(0x3f);
(
  [
    [0x28, I32, 2], [0x29, I64, 3], [0x2a, F32, 2], [0x2b, F64, 3],
    [0x2c, I32, 0], [0x2d, I32, 0], [0x2e, I32, 1], [0x2f, I32, 1],
    [0x30, I64, 0], [0x31, I64, 0], [0x32, I64, 1], [0x33, I64, 1], [0x34, I64, 2], [0x35, I64, 2],
    [0x36, I32, 2], [0x37, I64, 3], [0x38, F32, 2], [0x39, F64, 3],
    [0x3a, I32, 0], [0x3b, I32, 1], [0x3c, I64, 0], [0x3d, I64, 1], [0x3e, I64, 2],
  ] as const
).forEach(([op, t, a]) => {
  MEM_TYPE[op] = t;
  MEM_NATURAL[op] = a;
});

function isNum(t: number): boolean {
  return t === UNKNOWN || (t >= F64 && t <= I32);
}

function isRef(t: number): boolean {
  return t === UNKNOWN || t === FUNCREF || t === 0x6f;
}

function typeName(t: number): string {
  return t === UNKNOWN ? "unknown" : valTypeName(t);
}

function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
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
  private stamp = 0;
  private ctrlParams: (readonly number[])[] = [];
  private ctrlResults: (readonly number[])[] = [];
  private ch = 0;
  private scratch: Int32Array = new Int32Array(32);
  /** C.locals of the current function (reused; only the first params + localCount entries count). */
  private localTypes: Uint8Array = new Uint8Array(64);

  // The function being validated, for error messages.
  private funcIndex = 0;
  private body: FuncBody | undefined;
  private instr = 0;

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
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN) {
      this.fail(`type mismatch: expected ${typeName(expected)}, found ${typeName(actual)}`);
    }
    return actual;
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
    }
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
    if (bt < -1) return undefined;
    if (bt >= c.types.length) this.fail(`unknown type ${bt}`);
    return c.types[bt];
  }

  private needMemory(c: ValidationContext, index: number): void {
    if (index >= c.memoryCount) this.fail(`unknown memory ${index}`);
  }

  private table(c: ValidationContext, x: number): number {
    if (x >= c.tableElemTypes.length) this.fail(`unknown table ${x}`);
    return c.tableElemTypes[x];
  }

  private func(c: ValidationContext, x: number): FuncType {
    if (x >= c.funcTypeIndices.length) this.fail(`unknown function ${x}`);
    return c.types[c.funcTypeIndices[x]];
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
    if (this.localTypes.length < nLocals) this.localTypes = new Uint8Array(Math.max(nLocals, this.localTypes.length * 2));
    const locals = this.localTypes;
    for (let i = 0; i < nParams; i++) locals[i] = type.params[i];
    let li = nParams;
    for (const run of body.locals) {
      locals.fill(run.type, li, li + run.count);
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
        case 0x01: // nop
          pc += 1;
          break;
        case 0x02: // block
        case 0x03: // loop
        case 0x04: { // if
          const bt = code[pc + 1];
          if (op === IF) this.popExpect(I32);
          const ft = this.blockType(c, bt);
          const params = ft === undefined ? EMPTY : ft.params;
          const results = ft === undefined ? (bt === -1 ? EMPTY : SINGLE[-2 - bt]) : ft.results;
          this.popAll(params);
          this.pushCtrl(op, params, results);
          pc += 2;
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
          if (this.ctrlKind[top] === IF && !sameTypes(this.ctrlParams[top], results)) {
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
        case 0x10: { // call
          const ft = this.func(c, code[pc + 1] >>> 0);
          this.popAll(ft.params);
          this.pushAll(ft.results);
          pc += 2;
          break;
        }
        case 0x11: { // call_indirect
          const x = code[pc + 1] >>> 0;
          const t = this.table(c, code[pc + 2] >>> 0);
          if (t !== FUNCREF) this.fail(`type mismatch: call_indirect through a table of ${valTypeName(t)}`);
          if (x >= c.types.length) this.fail(`unknown type ${x}`);
          const ft = c.types[x];
          this.popExpect(I32);
          this.popAll(ft.params);
          this.pushAll(ft.results);
          pc += 3;
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
          this.push(locals[x]);
          pc += 2;
          break;
        }
        case 0x21: { // local.set
          const x = code[pc + 1] >>> 0;
          if (x >= nLocals) this.fail(`unknown local ${x}`);
          this.popExpect(locals[x]);
          pc += 2;
          break;
        }
        case 0x22: { // local.tee
          const x = code[pc + 1] >>> 0;
          if (x >= nLocals) this.fail(`unknown local ${x}`);
          this.popExpect(locals[x]);
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
          this.popExpect(I32);
          this.push(t);
          pc += 2;
          break;
        }
        case 0x26: { // table.set
          const t = this.table(c, code[pc + 1] >>> 0);
          this.popExpect(t);
          this.popExpect(I32);
          pc += 2;
          break;
        }
        case 0x3f: // memory.size
          this.needMemory(c, code[pc + 1] >>> 0);
          this.push(I32);
          pc += 2;
          break;
        case 0x40: // memory.grow
          this.needMemory(c, code[pc + 1] >>> 0);
          this.popExpect(I32);
          this.push(I32);
          pc += 2;
          break;
        case 0x41: this.push(I32); pc += 2; break;
        case 0x42: this.push(I64); pc += 3; break;
        case 0x43: this.push(F32); pc += 2; break;
        case 0x44: this.push(F64); pc += 3; break;
        case 0xd0: // ref.null t
          this.push(code[pc + 1]);
          pc += 2;
          break;
        case 0xd1: { // ref.is_null
          const t = this.pop();
          if (!isRef(t)) this.fail(`type mismatch: ref.is_null expects a reference, found ${typeName(t)}`);
          this.push(I32);
          pc += 1;
          break;
        }
        case 0xd2: { // ref.func x
          const x = code[pc + 1] >>> 0;
          this.func(c, x);
          if (!c.refs[x]) this.fail(`undeclared function reference ${x}`);
          this.push(FUNCREF);
          pc += 2;
          break;
        }
        case 0xfc08: { // memory.init x
          this.needMemory(c, code[pc + 2] >>> 0);
          this.dataSegment(c, code[pc + 1] >>> 0);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(I32);
          pc += 3;
          break;
        }
        case 0xfc09: // data.drop x
          this.dataSegment(c, code[pc + 1] >>> 0);
          pc += 2;
          break;
        case 0xfc0a: // memory.copy
          this.needMemory(c, code[pc + 1] >>> 0);
          this.needMemory(c, code[pc + 2] >>> 0);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(I32);
          pc += 3;
          break;
        case 0xfc0b: // memory.fill
          this.needMemory(c, code[pc + 1] >>> 0);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(I32);
          pc += 2;
          break;
        case 0xfc0c: { // table.init x y
          const t = this.table(c, code[pc + 2] >>> 0);
          const e = this.elemSegment(c, code[pc + 1] >>> 0);
          if (t !== e) this.fail(`type mismatch: table.init of a ${valTypeName(t)} table from a ${valTypeName(e)} segment`);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(I32);
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
          if (t1 !== t2) this.fail(`type mismatch: table.copy from a ${valTypeName(t2)} table to a ${valTypeName(t1)} table`);
          this.popExpect(I32);
          this.popExpect(I32);
          this.popExpect(I32);
          pc += 3;
          break;
        }
        case 0xfc0f: { // table.grow x
          const t = this.table(c, code[pc + 1] >>> 0);
          this.popExpect(I32);
          this.popExpect(t);
          this.push(I32);
          pc += 2;
          break;
        }
        case 0xfc10: // table.size x
          this.table(c, code[pc + 1] >>> 0);
          this.push(I32);
          pc += 2;
          break;
        case 0xfc11: { // table.fill x
          const t = this.table(c, code[pc + 1] >>> 0);
          this.popExpect(I32);
          this.popExpect(t);
          this.popExpect(I32);
          pc += 2;
          break;
        }
        default: {
          if (op >= 0x28 && op <= 0x3e) { // loads and stores
            this.needMemory(c, 0);
            if ((code[pc + 1] >>> 0) > MEM_NATURAL[op]) {
              this.fail(`alignment must not be larger than natural: 2^${code[pc + 1] >>> 0} > ${1 << MEM_NATURAL[op]}`);
            }
            const t = MEM_TYPE[op];
            if (op <= 0x35) {
              this.popExpect(I32);
              this.push(t);
            } else {
              this.popExpect(t);
              this.popExpect(I32);
            }
            pc += 3;
            break;
          }
          const idx = op >= 0x45 && op <= 0xc4 ? op : op >= 0xfc00 && op <= 0xfc07 ? op - 0xfc00 + 0xc5 : -1;
          if (idx < 0) this.fail(`illegal opcode 0x${op.toString(16)} in the instruction stream`);
          const in2 = NUM_IN2[idx];
          if (in2 !== 0) this.popExpect(in2);
          this.popExpect(NUM_IN1[idx]);
          this.push(NUM_OUT[idx]);
          pc += 1;
        }
      }
    }
    if (this.ch !== 0) this.fail("unexpected end of function: unclosed block");
    this.body = undefined;
  }
}
