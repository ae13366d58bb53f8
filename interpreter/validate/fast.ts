/**
 * The fast body check: decodes and validates one function body straight from the module's bytes
 * in a single pass, allocating nothing, and answers only *yes* or *don't know*.
 *
 * It is the startup path of `new Module`: `validateModule` (and `decodeAndValidate`, during
 * decoding) runs it on every body; only when it answers `false` does the exact path run (the
 * decoder's flat instruction stream and `FunctionValidator`), which either accepts the body or
 * produces the error with the spec's wording and the instruction's byte offset. So this check must
 * be *sound*: `true` only for a body that is well formed (every decoding rule of
 * `decode/instructions.ts`, ending exactly at its declared size) and valid (every rule of
 * `function.ts`); it may answer `false` for anything it does not handle (multi-value `br_table`,
 * every error), at the cost of the slow path. Typed function references are left to the exact
 * path: a module whose types, globals or tables name a type beyond the one-byte ones is not
 * checked here at all, nor is a body declaring such a local; `ref.func` pushes `funcref` (a
 * supertype of its exact type `(ref $t)`: sound, a check with it only fails more often), and the
 * typed-reference instructions are "don't know".
 *
 * Written for a cold JIT (a fresh process runs this in V8's interpreter and baseline tiers first):
 * one loop, one `switch` with literal cases, the stacks in typed arrays held in local variables,
 * the current frame's height and reachability cached in locals, one-byte LEB128 immediates read
 * inline, no calls on the common instructions, no error strings.
 */
import type { FuncType } from "../decode/module.js";
import { Imm, INSTRUCTIONS, isSupported, SIMD_SUBS, SIMD_WORD } from "../decode/opcode-table.js";
import type { ValidationContext } from "./context.js";

const UNKNOWN = 0;
const I32 = 0x7f;
const I64 = 0x7e;
const F32 = 0x7d;
const F64 = 0x7c;
const V128 = 0x7b;
const FUNCREF = 0x70;
const EXTERNREF = 0x6f;

const BLOCK = 0x02;
const LOOP = 0x03;
const IF = 0x04;
const ELSE = 0x05;

const EMPTY: readonly number[] = [];
/** One type and the same type twice, by type byte (index = the byte): stack effects in `control`. */
const SINGLE: (readonly number[])[] = [];
const TWO: (readonly number[])[] = [];
for (let t = 0; t < 256; t++) {
  SINGLE[t] = [t];
  TWO[t] = [t, t];
}
/** What an instruction does to the control stack, besides its operands (`control`'s tail). */
const FRAME_NONE = 0, FRAME_ENTER = 1, FRAME_ELSE = 2, FRAME_END = 3;

/**
 * Instructions {@link FastBodyChecker} `run` checks per call; it then returns {@link RUN_MORE} and
 * is called again where it stopped. Why (startup, issue 11): V8 optimises `run` within the first
 * thousand or so instructions of a fresh process. A call that goes on inside its loop after V8
 * decided to optimise it gets an on-stack-replacement compile of its own, and the next call a
 * regular one as well: two TurboFan compiles of the same function (~17 ms of CPU each for
 * bz2.wasm, whose whole decode and validation takes ~10 ms). With short calls the regular compile
 * alone starts at the next call. Measured on a fresh `new Module`, pinned to one core, 7 processes
 * each: bz2.wasm 33 -> 20 ms of CPU, pulldown-cmark 55 -> 48, spidermonkey 188 -> 180 (within its
 * noise). 64 to 1024 instructions did the same; 4096 let the OSR compile back in.
 */
const RUN_CHUNK = 256;
/** {@link FastBodyChecker} `run`'s results: "don't know" (not valid, or not handled), valid, not finished. */
const RUN_UNKNOWN = 0, RUN_VALID = 1, RUN_MORE = 2;

/** Position after the last multi-byte LEB128 read by {@link u32At} (module state: no allocation). */
let lebNext = 0;

/**
 * Unsigned LEB128 (at most 5 bytes, value < 2^32) at `p`, bounded by `end`; the value, or -1 when
 * malformed or truncated. Sets {@link lebNext}.
 */
function u32At(bytes: Uint8Array, p: number, end: number): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (p >= end) return -1;
    const b = bytes[p++];
    if (shift === 28) {
      if (b & 0xf0) return -1; // continuation or value bits above 2^32
      lebNext = p;
      return (result | (b << 28)) >>> 0;
    }
    result |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) {
      lebNext = p;
      return result >>> 0;
    }
    shift += 7;
  }
}

/** Skips a signed LEB128 of at most `bits` (32 or 64) bits at `p`; the position after it, or -1. */
function skipSigned(bytes: Uint8Array, p: number, end: number, bits: number): number {
  const last = bits === 32 ? 4 : 9; // index of the last byte allowed
  for (let i = 0; ; i++) {
    if (p >= end) return -1;
    const b = bytes[p++];
    if (i === last) {
      if (b & 0x80) return -1;
      if (bits === 32) {
        const top = b & 0x78;
        return top === 0 || top === 0x78 ? p : -1;
      }
      const top = b & 0x7f;
      return top === 0 || top === 0x7f ? p : -1;
    }
    if ((b & 0x80) === 0) return p;
  }
}

/**
 * The plain instructions (no control, no stack polymorphism of their own), described by tables so
 * one short path in the loop handles them all: the simple single-byte instructions of the opcode
 * table (numeric, constants, loads and stores, memory.size/grow), plus locals, globals and drop.
 * `IMM`: immediate kind; `IN1`/`IN2`: operand types popped (second operand first; 0 none,
 * {@link ANY} any type); `OUT`: result pushed (0 none).
 */
const IMM = new Uint8Array(256);
const IN1 = new Uint8Array(256);
const IN2 = new Uint8Array(256);
const OUT = new Uint8Array(256);
const PLAIN = new Uint8Array(256);
/** Natural alignment exponent of the loads and stores, by opcode byte. */
const NATURAL = new Uint8Array(256);
const IMM_NONE = 0;
const IMM_INDEX = 1; // u32 (local/global index)
const IMM_MEMARG = 2; // align (one byte, at most natural) + u32 offset; needs a memory
const IMM_S32 = 3;
const IMM_S64 = 4;
const IMM_4 = 5; // four raw bytes (f32)
const IMM_8 = 6; // eight raw bytes (f64)
const IMM_ZERO = 7; // the reserved zero byte of memory.size/grow; needs a memory
/** This check's immediate kind for each opcode-table layout it handles inline (-1: not inline). */
const FAST_IMM: Readonly<Record<number, number>> = {
  [Imm.none]: IMM_NONE, [Imm.memArg]: IMM_MEMARG, [Imm.i32]: IMM_S32, [Imm.i64]: IMM_S64,
  [Imm.f32]: IMM_4, [Imm.f64]: IMM_8, [Imm.zeroByte]: IMM_ZERO,
};
/** Operand type "anything" (drop). */
const ANY = 1;
/**
 * The simple 0xFC instructions (a signature, no data segment), by sub-opcode: operand types
 * (undefined: not simple), results, and how many reserved memory-index bytes follow (each must
 * be 0, and a memory must exist).
 */
const FC_POPS: (readonly number[] | undefined)[] = [];
const FC_PUSHES: (readonly number[] | undefined)[] = [];
const FC_ZEROS = new Uint8Array(128);
for (const ins of INSTRUCTIONS) {
  if (!isSupported(ins) || ins.operands === undefined || ins.dataIndex === true) continue;
  const ops = ins.operands, out = ins.results!.length === 0 ? 0 : ins.results![0]!;
  if (ins.code < 0x100) {
    const imm = FAST_IMM[ins.imm];
    if (imm === undefined || ops.length > 2 || (ops.length === 0 && out === 0 && imm === IMM_NONE)) continue; // nop: in `control`
    PLAIN[ins.code] = 1;
    IMM[ins.code] = imm;
    IN1[ins.code] = ops[0] ?? 0;
    IN2[ins.code] = ops[1] ?? 0;
    OUT[ins.code] = out;
    NATURAL[ins.code] = ins.align ?? 0;
  } else if (ins.code >= 0xfc00 && ins.code < 0xfc80) {
    const zeros = ins.imm === Imm.none ? 0 : ins.imm === Imm.zeroByte ? 1 : ins.imm === Imm.twoZeroBytes ? 2 : -1;
    if (zeros < 0) continue;
    const sub = ins.code & 0xff;
    FC_POPS[sub] = ops;
    FC_PUSHES[sub] = ins.results!;
    FC_ZEROS[sub] = zeros;
  }
}
/**
 * The SIMD instructions (all simple), by sub-opcode (fixed-width and relaxed): operand types
 * (undefined: not implemented), results, the immediate layout (an `Imm`), the natural alignment
 * of memargs and the lane count of lane immediates.
 */
const FD_POPS: (readonly number[] | undefined)[] = [];
const FD_PUSHES: (readonly number[] | undefined)[] = [];
const FD_IMM = new Uint8Array(SIMD_SUBS);
const FD_NATURAL = new Uint8Array(SIMD_SUBS);
const FD_LANES = new Uint8Array(SIMD_SUBS);
for (const ins of INSTRUCTIONS) {
  if (ins.code < SIMD_WORD || !isSupported(ins) || ins.operands === undefined) continue;
  const sub = ins.code - SIMD_WORD;
  FD_POPS[sub] = ins.operands;
  FD_PUSHES[sub] = ins.results!;
  FD_IMM[sub] = ins.imm;
  FD_NATURAL[sub] = ins.align ?? 0;
  FD_LANES[sub] = ins.lanes ?? 0;
}
PLAIN[0x1a] = 1; IN1[0x1a] = ANY; // drop
// local.get/set/tee, global.get/set: types filled in from the index.
for (let op = 0x20; op <= 0x24; op++) {
  PLAIN[op] = 1;
  IMM[op] = IMM_INDEX;
}

/**
 * The four tables packed into one word per opcode (one load in the loop): bits 0-2 `IMM`, 3-10
 * `IN1`, 11-18 `IN2`, 19-26 `OUT`; 0 for an instruction that is not plain (every plain one has a
 * non-zero field).
 */
const INFO = new Int32Array(256);
for (let op = 0; op < 256; op++) {
  if (PLAIN[op] !== 0) INFO[op] = IMM[op] | (IN1[op] << 3) | (IN2[op] << 11) | (OUT[op] << 19);
}

/** Whether two type lists are the same. */
function sameTypes(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Reusable fast checker; one per module (it holds the module's context). */
export class FastBodyChecker {
  // Operand stack (value types; 0 = unknown) and control stack, shared by the loop and `control`.
  private vals: Uint8Array = new Uint8Array(1024);
  private vh = 0;
  /** Where `run` stopped when it returned {@link RUN_MORE}. */
  private resumeAt = 0;
  private cKind: Uint8Array = new Uint8Array(64);
  private cHeight: Int32Array = new Int32Array(64);
  private cUnr: Uint8Array = new Uint8Array(64);
  private cParams: (readonly number[])[] = [];
  private cResults: (readonly number[])[] = [];
  private ch = 0;
  /** Height of the innermost frame, and whether it is unreachable (cached from the arrays). */
  private floor = 0;
  private unr = 0;
  private returnTypes: readonly number[] = EMPTY;
  private localTypes: Uint8Array = new Uint8Array(256);
  private readonly c: ValidationContext;
  /** False when some function's type index is out of range (the module is invalid anyway). */
  private readonly usable: boolean;

  constructor(c: ValidationContext) {
    this.c = c;
    let usable = true;
    const n = c.types.length;
    for (let i = 0; i < c.funcTypeIndices.length; i++) if (c.funcTypeIndices[i] >>> 0 >= n) usable = false;
    // memory64 / table64: operand types depend on the memory's or table's address type, which
    // this check does not track; the exact validator takes every body of such a module
    if (c.has64) usable = false;
    // Types beyond one byte (typed references) do not fit this check's byte-wide type stacks.
    const wide = (ts: ArrayLike<number>): boolean => {
      for (let i = 0; i < ts.length; i++) if (ts[i]! > 0xff) return true;
      return false;
    };
    for (const t of c.types) if (wide(t.params) || wide(t.results)) usable = false;
    if (wide(c.globalTypes) || wide(c.tableElemTypes)) usable = false;
    this.usable = usable;
    // The stacks grow by replacing their arrays. V8 treats a field stored only once as a constant
    // and lets optimised code depend on that; the first replacement would then throw away that code
    // (and abort a TurboFan compile of `control` in progress: ~150 ms of CPU lost on a big module in
    // a fresh process, measured with --trace-opt). Stored a second time here, every growable field
    // is mutable from the start.
    this.vals = new Uint8Array(this.vals.length);
    this.cKind = new Uint8Array(this.cKind.length);
    this.cHeight = new Int32Array(this.cHeight.length);
    this.cUnr = new Uint8Array(this.cUnr.length);
    this.localTypes = new Uint8Array(this.localTypes.length);
  }

  /**
   * Whether the body whose instructions are `bytes[start..end)`, of function type `type` with
   * local declarations at `localsAt` (`localCount` locals in all), is certainly well formed and valid.
   * `false` means "run the exact path".
   */
  check(bytes: Uint8Array, start: number, end: number, type: FuncType, localsAt: number, localCount: number): boolean {
    if (!this.usable) return false;
    // C.locals: the parameters, then the declared locals, read from the bytes (the decoder has
    // checked the declarations: well formed, `localCount` in all).
    const params = type.params;
    const nParams = params.length;
    const nLocals = nParams + localCount;
    if (this.localTypes.length < nLocals) this.localTypes = new Uint8Array(Math.max(nLocals, this.localTypes.length * 2));
    const lt = this.localTypes;
    for (let i = 0; i < nParams; i++) lt[i] = params[i];
    let li = nParams;
    let q = localsAt;
    const runs = u32At(bytes, q, start);
    q = lebNext;
    for (let j = 0; j < runs; j++) {
      const count = u32At(bytes, q, start);
      const t = bytes[lebNext];
      if (t === 0x63 || t === 0x64) return false; // a typed reference: the exact path
      q = lebNext + 1;
      lt.fill(t, li, li + count);
      li += count;
    }
    // Every single push consumes at least one byte, so a stack of (body bytes + 16) entries only
    // grows for multi-value pushes, which check room themselves.
    if (this.vals.length < end - start + 16) this.vals = new Uint8Array(Math.max(end - start + 16, this.vals.length * 2));
    // The function's own frame.
    this.cKind[0] = BLOCK;
    this.cHeight[0] = 0;
    this.cUnr[0] = 0;
    this.cParams[0] = EMPTY;
    this.cResults[0] = type.results;
    this.returnTypes = type.results;
    this.ch = 1;
    this.vh = 0;
    this.floor = 0;
    this.unr = 0;
    let r: number, p = start;
    while ((r = this.run(bytes, p, end, lt, nLocals)) === RUN_MORE) p = this.resumeAt;
    return r === RUN_VALID;
  }

  /**
   * The loop: plain instructions inline (table-driven), everything else in {@link control}.
   * Kept small so that V8 compiles it early and cheaply. Starts at `start` (an instruction
   * boundary) with the stacks as the fields hold them; checks at most {@link RUN_CHUNK}
   * instructions per call (see there).
   */
  private run(bytes: Uint8Array, start: number, end: number, lt: Uint8Array, nLocals: number): number {
    const c = this.c;
    const globals = c.globalTypes;
    const globalMut = c.globalMutable;
    const nGlobals = globals.length;
    const hasMemory = c.memoryCount > 0;
    // Module constants in locals, and literal numbers in place of the named constants below:
    // fewer loads (and no TDZ checks) per instruction in V8's interpreter and baseline tiers.
    const info = INFO;
    const natural = NATURAL;
    let vals = this.vals;
    let vh = this.vh;
    let floor = this.floor;
    let unr = this.unr;
    let p = start;
    let budget = RUN_CHUNK;
    for (;;) {
      if (p >= end) return RUN_UNKNOWN;
      if (--budget === 0) {
        this.vh = vh;
        this.resumeAt = p;
        return RUN_MORE;
      }
      const op = bytes[p++];
      const f = info[op];
      if (f === 0) {
        this.vh = vh;
        p = this.control(op, bytes, p, end);
        if (p < 0) return RUN_UNKNOWN;
        if (this.ch === 0) return p === end ? RUN_VALID : RUN_UNKNOWN;
        vals = this.vals;
        vh = this.vh;
        floor = this.floor;
        unr = this.unr;
        continue;
      }
      let in1 = (f >> 3) & 0xff;
      let out = f >>> 19;
      const imm = f & 7;
      if (imm !== 0 /* IMM_NONE */) {
        if (imm === 1 /* IMM_INDEX */) {
          let x = bytes[p];
          if (x < 0x80) p++;
          else {
            x = u32At(bytes, p, end);
            if (x < 0) return RUN_UNKNOWN;
            p = lebNext;
          }
          if (op <= 0x22) { // local.get / set / tee
            if (x >= nLocals) return RUN_UNKNOWN;
            const t = lt[x];
            if (op === 0x20) out = t;
            else {
              in1 = t;
              if (op === 0x22) out = t;
            }
          } else { // global.get / set
            if (x >= nGlobals) return RUN_UNKNOWN;
            const t = globals[x];
            if (op === 0x23) out = t;
            else {
              if (globalMut[x] === 0) return RUN_UNKNOWN;
              in1 = t;
            }
          }
        } else if (imm === 2 /* IMM_MEMARG */) {
          // align: one byte, at most the natural alignment; then the offset
          if (!hasMemory || bytes[p] > natural[op]) return RUN_UNKNOWN;
          p++;
          if (bytes[p] < 0x80) p++;
          else {
            if (u32At(bytes, p, end) < 0) return RUN_UNKNOWN;
            p = lebNext;
          }
        } else if (imm === 3 /* IMM_S32 */ || imm === 4 /* IMM_S64 */) {
          if (bytes[p] < 0x80) p++;
          else {
            p = skipSigned(bytes, p, end, imm === 3 /* IMM_S32 */ ? 32 : 64);
            if (p < 0) return RUN_UNKNOWN;
          }
        } else if (imm === 5 /* IMM_4 */) p += 4;
        else if (imm === 6 /* IMM_8 */) p += 8;
        else { // IMM_ZERO
          if (!hasMemory || bytes[p] !== 0) return RUN_UNKNOWN;
          p++;
        }
      }
      // Operands: the second first, then the first; then the result.
      const in2 = (f >> 11) & 0xff;
      if (in2 !== 0) {
        if (vh === floor) {
          if (unr === 0) return RUN_UNKNOWN;
        } else {
          const a = vals[--vh];
          if (a !== in2 && a !== 0 /* UNKNOWN */) return RUN_UNKNOWN;
        }
      }
      if (in1 !== 0) {
        if (vh === floor) {
          if (unr === 0) return RUN_UNKNOWN;
        } else {
          const a = vals[--vh];
          if (a !== in1 && a !== 0 /* UNKNOWN */ && in1 !== 1 /* ANY */) return RUN_UNKNOWN;
        }
      }
      if (out !== 0) vals[vh++] = out;
    }
  }

  /** Pops a value of type `t` (any type when `t` is 0); false on a type mismatch or an empty frame. */
  private pop(t: number): boolean {
    if (this.vh === this.floor) return this.unr !== 0;
    const a = this.vals[--this.vh];
    return a === t || a === UNKNOWN || t === 0;
  }

  /** Pops the types `ts` (last first). */
  private popAll(ts: readonly number[]): boolean {
    for (let i = ts.length - 1; i >= 0; i--) if (!this.pop(ts[i])) return false;
    return true;
  }

  /** Pushes the types `ts`, making room first (see `check`). */
  private pushAll(ts: readonly number[], p: number, end: number): void {
    const n = ts.length;
    if (n === 0) return;
    const need = this.vh + n + (end - p) + 16;
    if (this.vals.length < need) {
      const v = new Uint8Array(Math.max(need, this.vals.length * 2));
      v.set(this.vals);
      this.vals = v;
    }
    const vals = this.vals;
    let vh = this.vh;
    for (let i = 0; i < n; i++) vals[vh++] = ts[i];
    this.vh = vh;
  }

  private setUnreachable(): void {
    this.vh = this.floor;
    this.unr = 1;
    this.cUnr[this.ch - 1] = 1;
  }

  /** The label types of frame `f` (a loop's are its parameters). */
  private labelTypes(f: number): readonly number[] {
    return this.cKind[f] === LOOP ? this.cParams[f] : this.cResults[f];
  }

  /** Reads a u32 immediate at `p`: the value (and {@link lebNext}), or -1. */
  private static u32(bytes: Uint8Array, p: number, end: number): number {
    if (p < end) {
      const b = bytes[p];
      if (b < 0x80) {
        lebNext = p + 1;
        return b;
      }
    }
    return u32At(bytes, p, end);
  }

  /**
   * Every instruction that is not plain: control, calls, select, references, 0xFC, 0xFD. Works on
   * the fields; returns the position after the instruction, or -1 for "don't know".
   *
   * Written for the compile (issue 11, fresh startup): each case only reads its immediates and
   * names its stack effect (`cond`: an i32 condition on top; `pops`; a frame change; then
   * `pushes`, or unreachable); one tail applies it. So `pop`, `popAll`, `pushAll` and
   * `setUnreachable` have one call site each, and TurboFan inlines each of them once instead of at
   * every case (the inlined copies made `control`'s compile ~40 % larger, and it is the largest
   * compile of a big module's fresh `new Module`; bench/README.md "Startup").
   */
  private control(op: number, bytes: Uint8Array, p: number, end: number): number {
    const c = this.c;
    let cond = false;
    let pops: readonly number[] = EMPTY;
    let pushes: readonly number[] = EMPTY;
    let unreachable = false;
    let frame = FRAME_NONE;
    switch (op) {
      case 0x00: // unreachable
        unreachable = true;
        break;
      case 0x01: // nop
        return p;
      case 0x02: // block
      case 0x03: // loop
      case 0x04: { // if
        if (p >= end) return -1;
        const b = bytes[p];
        if (b === 0x40) {
          p++;
        } else if (b === I32 || b === I64 || b === F32 || b === F64 || b === V128 || b === FUNCREF || b === EXTERNREF) {
          pushes = SINGLE[b]; // (the results, kept in `pushes` until the frame is made)
          p++;
        } else {
          // A type index: a non-negative s33 (one byte below 0x40, or a multi-byte u32 whose last
          // byte keeps the sign bit clear).
          let x: number;
          if (b < 0x40) {
            x = b;
            p++;
          } else {
            if (b < 0x80) return -1; // negative: a value type this check does not know
            x = u32At(bytes, p, end);
            if (x < 0) return -1;
            p = lebNext;
            if (bytes[p - 1] & 0x40) return -1;
          }
          if (x >= c.types.length) return -1;
          const ft = c.types[x];
          pops = ft.params;
          pushes = ft.results;
        }
        cond = op === IF;
        frame = FRAME_ENTER;
        break;
      }
      case 0x05: { // else
        const top = this.ch - 1;
        if (this.cKind[top] !== IF) return -1;
        pops = this.cResults[top];
        pushes = this.cParams[top];
        frame = FRAME_ELSE;
        break;
      }
      case 0x0b: { // end
        const top = this.ch - 1;
        const res = this.cResults[top];
        if (this.cKind[top] === IF && !sameTypes(this.cParams[top], res)) return -1; // no else: the params pass through
        pops = res;
        pushes = res;
        frame = FRAME_END;
        break;
      }
      case 0x0c: // br
      case 0x0d: { // br_if
        const x = FastBodyChecker.u32(bytes, p, end);
        if (x < 0 || x >= this.ch) return -1;
        p = lebNext;
        pops = this.labelTypes(this.ch - 1 - x);
        if (op === 0x0c) unreachable = true;
        else {
          cond = true;
          pushes = pops;
        }
        break;
      }
      case 0x0e: { // br_table: every target of arity 0, or all of the same single type
        const n = FastBodyChecker.u32(bytes, p, end);
        if (n < 0) return -1;
        p = lebNext;
        if (n > end - p) return -1;
        let want = -1;
        for (let i = 0; i <= n; i++) {
          const x = FastBodyChecker.u32(bytes, p, end);
          if (x < 0 || x >= this.ch) return -1;
          p = lebNext;
          const ts = this.labelTypes(this.ch - 1 - x);
          if (ts.length > 1) return -1;
          const t = ts.length === 0 ? 0 : ts[0];
          if (want === -1) want = t;
          else if (t !== want) return -1;
        }
        cond = true;
        if (want > 0) pops = SINGLE[want];
        unreachable = true;
        break;
      }
      case 0x0f: // return
        pops = this.returnTypes;
        unreachable = true;
        break;
      case 0x10: case 0x12: { // call, return_call (whose callee must return the function's results)
        const x = FastBodyChecker.u32(bytes, p, end);
        if (x < 0 || x >= c.funcTypeIndices.length) return -1;
        p = lebNext;
        const ft = c.types[c.funcTypeIndices[x]];
        pops = ft.params;
        if (op === 0x10) pushes = ft.results;
        else if (sameTypes(ft.results, this.returnTypes)) unreachable = true;
        else return -1;
        break;
      }
      case 0x11: case 0x13: { // call_indirect, return_call_indirect: typeidx tableidx
        const x = FastBodyChecker.u32(bytes, p, end);
        if (x < 0 || x >= c.types.length) return -1;
        p = lebNext;
        const tx = FastBodyChecker.u32(bytes, p, end);
        if (tx < 0 || tx >= c.tableElemTypes.length || c.tableElemTypes[tx] !== FUNCREF) return -1;
        p = lebNext;
        const ft = c.types[x];
        cond = true; // the table index
        pops = ft.params;
        if (op === 0x11) pushes = ft.results;
        else if (sameTypes(ft.results, this.returnTypes)) unreachable = true;
        else return -1;
        break;
      }
      case 0x1b: { // select (numeric operands)
        // the condition (`pop` written out: it has one call site, in the tail below)
        if (this.vh !== this.floor) {
          const a = this.vals[--this.vh];
          if (a !== I32 && a !== UNKNOWN) return -1;
        } else if (this.unr === 0) return -1;
        let t1 = UNKNOWN;
        let t2 = UNKNOWN;
        if (this.vh !== this.floor) t1 = this.vals[--this.vh];
        else if (this.unr === 0) return -1;
        if (this.vh !== this.floor) t2 = this.vals[--this.vh];
        else if (this.unr === 0) return -1;
        if (t1 === FUNCREF || t1 === EXTERNREF || t2 === FUNCREF || t2 === EXTERNREF || t1 === 0x69 || t2 === 0x69) return -1; // (0x69: exnref)
        if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) return -1;
        this.vals[this.vh++] = t1 === UNKNOWN ? t2 : t1;
        return p;
      }
      case 0x1c: { // select t: exactly one value type
        if (p + 1 >= end || bytes[p] !== 1) return -1;
        const t = bytes[p + 1];
        if (t !== I32 && t !== I64 && t !== F32 && t !== F64 && t !== V128 && t !== FUNCREF && t !== EXTERNREF) return -1;
        if (!this.pop(I32) || !this.pop(t) || !this.pop(t)) return -1;
        this.vals[this.vh++] = t;
        return p + 2;
      }
      case 0xd0: { // ref.null t
        if (p >= end) return -1;
        const t = bytes[p];
        if (t !== FUNCREF && t !== EXTERNREF) return -1;
        this.vals[this.vh++] = t;
        return p + 1;
      }
      case 0xd1: { // ref.is_null
        if (this.vh !== this.floor) {
          const a = this.vals[--this.vh];
          if (a !== FUNCREF && a !== EXTERNREF && a !== UNKNOWN) return -1;
        } else if (this.unr === 0) return -1;
        this.vals[this.vh++] = I32;
        return p;
      }
      case 0xd2: { // ref.func x
        const x = FastBodyChecker.u32(bytes, p, end);
        if (x < 0 || x >= c.funcTypeIndices.length || c.refs[x] === 0) return -1;
        this.vals[this.vh++] = FUNCREF;
        return lebNext;
      }
      case 0xfc: {
        // The simple 0xFC instructions (saturating truncations, memory.copy, memory.fill); the
        // rest takes the exact path.
        if (p >= end) return -1;
        const sub = bytes[p++];
        if (sub >= 0x80) return -1; // a multi-byte sub-opcode
        if (FC_POPS[sub] === undefined) return -1;
        const zeros = FC_ZEROS[sub];
        if (zeros !== 0) {
          if (c.memoryCount === 0 || p + zeros > end) return -1;
          for (let k = 0; k < zeros; k++) if (bytes[p + k] !== 0) return -1;
          p += zeros;
        }
        pops = FC_POPS[sub]!;
        pushes = FC_PUSHES[sub]!;
        break;
      }
      case 0xfd: { // SIMD: every implemented instruction has a signature
        const sub = FastBodyChecker.u32(bytes, p, end);
        if (sub < 0 || sub >= SIMD_SUBS) return -1;
        p = lebNext;
        if (FD_POPS[sub] === undefined) return -1;
        switch (FD_IMM[sub]) {
          case Imm.none:
            break;
          case Imm.memArg:
          case Imm.memArgLane: {
            if (c.memoryCount === 0 || p >= end || bytes[p] > FD_NATURAL[sub]) return -1;
            p++;
            if (u32At(bytes, p, end) < 0) return -1;
            p = lebNext;
            if (FD_IMM[sub] === Imm.memArgLane) {
              if (p >= end || bytes[p] >= FD_LANES[sub]) return -1;
              p++;
            }
            break;
          }
          case Imm.lane:
            if (p >= end || bytes[p] >= FD_LANES[sub]) return -1;
            p++;
            break;
          case Imm.v128:
            if (p + 16 > end) return -1;
            p += 16;
            break;
          case Imm.shuffle:
            if (p + 16 > end) return -1;
            for (let k = 0; k < 16; k++) if (bytes[p + k] >= 32) return -1;
            p += 16;
            break;
          default:
            return -1;
        }
        pops = FD_POPS[sub]!;
        pushes = FD_PUSHES[sub]!;
        break;
      }
      default:
        return -1; // table instructions, bulk table/data ops, unknown opcodes and prefixes
    }
    // The stack effect, in the instruction's order: the condition (on top), the operands, the frame.
    if (cond && !this.pop(I32)) return -1;
    if (!this.popAll(pops)) return -1;
    if (frame !== FRAME_NONE) {
      if (frame === FRAME_ENTER) { // block, loop, if: results in `pushes`; its label is entered with the params
        const ch = this.ch;
        if (ch === this.cKind.length) this.growCtrl();
        this.cKind[ch] = op;
        this.cHeight[ch] = this.vh;
        this.cUnr[ch] = 0;
        this.cParams[ch] = pops;
        this.cResults[ch] = pushes;
        this.ch = ch + 1;
        this.floor = this.vh;
        this.unr = 0;
        pushes = pops;
      } else {
        if (this.vh !== this.floor) return -1; // exactly the frame's results (if's: for its then-arm)
        const top = this.ch - 1;
        if (frame === FRAME_ELSE) {
          this.cKind[top] = ELSE;
          this.cUnr[top] = 0;
          this.unr = 0;
        } else { // FRAME_END
          this.ch = top;
          if (top === 0) return p; // the function's end: nothing follows
          this.floor = this.cHeight[top - 1];
          this.unr = this.cUnr[top - 1];
        }
      }
    }
    if (unreachable) this.setUnreachable();
    else this.pushAll(pushes, p, end);
    return p;
  }

  private growCtrl(): void {
    const n = this.cKind.length * 2;
    const k = new Uint8Array(n); k.set(this.cKind); this.cKind = k;
    const h = new Int32Array(n); h.set(this.cHeight); this.cHeight = h;
    const u = new Uint8Array(n); u.set(this.cUnr); this.cUnr = u;
  }
}
