/**
 * Random WebAssembly programs (WAT text) built around every translation shortcut of
 * `interpreter/translate/translator.ts`, for the shortcut property test
 * (`test/interpreter/shortcuts-property.test.ts`).
 *
 * Each program is one exported function `f (param i32 i32 i64 f64) (result i64)` over a one-page
 * memory. Its body is a random sequence of statements, each an instance of one shortcut pattern
 * (address folding into loads/stores of every width, compare-and-branch, add-and-branch,
 * multiply-add, constant immediates, lazy `local + constant`, `local.set` retargeting, copies at
 * block ends and around loops, constants pooled inside loops, the fused pairs of adjacent ops, including
 * those whose second op traps or branches), whose operands are drawn from every
 * kind of operand source the translator distinguishes: a parameter, a declared local, a constant
 * (small or large, inside a loop or not), a temporary computed by an op, a lazy `local + constant`,
 * the same local used twice, and a stored value aliasing the address's local. The function returns
 * a checksum of every local, so a wrong value anywhere shows in the result or in memory.
 *
 * Loops only ever count with locals the statements do not write, so every program terminates.
 * Float arithmetic results pass through `$c64`/`$c32`, which canonicalise NaNs: the bits of an
 * arithmetic NaN are not deterministic across engines, and they would reach the checksum or memory.
 */
import { Rng } from "../../scripts/malformed/prng.js";

type T = "i32" | "i64" | "f32" | "f64";

/** Locals: addresses stay small in `$a`/`$b` (written only with masked values); `$c`/`$d` hold anything. */
const I32_SAFE = ["$p0", "$a", "$b"];
const I32_ANY = ["$p0", "$p1", "$a", "$b", "$c", "$d"];
const I32_WRITABLE = ["$c", "$d"];
const I64_LOCALS = ["$p2", "$e", "$f"];
const F64_LOCALS = ["$p3", "$g", "$h"];
const F32_LOCALS = ["$x", "$y"];
/** Loop counters (never written by statements): i32 `$i`, `$j`; i64 `$k`. */
const COUNTERS_I32 = ["$i", "$j"];

const SMALL_CONSTS = [0, 1, 2, 3, 4, 7, 8, 16, 24, 77, 100, 255, 1000];
const ANY_CONSTS = [0, 1, -1, 2, 31, 32, 33, 63, 64, 77, 0x7fffffff, -0x80000000, 65535, 65536, 123456789, -8];

const I32_BINOPS = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "div_u", "rem_u", "div_s", "rem_s"];
const I32_CMPS = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"];
const I64_BINOPS = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "div_u", "rem_u"];
const F64_BINOPS = ["add", "sub", "mul", "div", "min", "max", "copysign"];

const STORES: readonly [string, T, number][] = [
  ["i32.store", "i32", 4], ["i32.store8", "i32", 1], ["i32.store16", "i32", 2],
  ["i64.store", "i64", 8], ["i64.store8", "i64", 1], ["i64.store16", "i64", 2], ["i64.store32", "i64", 4],
  ["f32.store", "f32", 4], ["f64.store", "f64", 8],
];
const LOADS: readonly [string, T, number][] = [
  ["i32.load", "i32", 4], ["i32.load8_s", "i32", 1], ["i32.load8_u", "i32", 1], ["i32.load16_s", "i32", 2], ["i32.load16_u", "i32", 2],
  ["i64.load", "i64", 8], ["i64.load8_s", "i64", 1], ["i64.load8_u", "i64", 1], ["i64.load16_s", "i64", 2], ["i64.load16_u", "i64", 2],
  ["i64.load32_s", "i64", 4], ["i64.load32_u", "i64", 4], ["f32.load", "f32", 4], ["f64.load", "f64", 8],
];

export class ShortcutProgram {
  private readonly r: Rng;
  /** Loop nesting while generating (counters in use). */
  private loops = 0;
  private labels = 0;

  /**
   * `canonWrap: false` leaves float arithmetic results unwrapped (the same program otherwise: the
   * wrappers draw nothing from the generator), for running with NaN canonicalisation on.
   */
  constructor(seed: number, private readonly options: { canonWrap?: boolean } = {}) {
    this.r = new Rng(seed >>> 0, 7);
  }

  /** `expr` through the NaN-canonicalising function of its type (unless `canonWrap` is false). */
  private canon(t: "f32" | "f64", expr: string): string {
    return this.options.canonWrap === false ? expr : `(call $c${t === "f32" ? 32 : 64} ${expr})`;
  }

  /** A float binary op, canonicalised unless it is `copysign` (a bit operation, exact everywhere). */
  private floatBinop(t: "f32" | "f64", depth: number): string {
    const op = this.pick(F64_BINOPS);
    const e = `(${t}.${op} ${t === "f32" ? this.f32(depth + 1) : this.f64(depth + 1)} ${t === "f32" ? this.f32(depth + 1) : this.f64(depth + 1)})`;
    return op === "copysign" ? e : this.canon(t, e);
  }

  private pick<X>(xs: readonly X[]): X {
    return xs[this.r.int(xs.length)]!;
  }

  private chance(p: number): boolean {
    return this.r.bool(p);
  }

  private smallConst(): string {
    return `(i32.const ${this.pick(SMALL_CONSTS)})`;
  }

  private anyConst(t: T): string {
    switch (t) {
      case "i32": return `(i32.const ${this.chance(0.5) ? this.pick(ANY_CONSTS) : this.r.range(-300, 300)})`;
      case "i64": return `(i64.const ${this.pick(["0", "1", "-1", "32", "63", "64", "77", "0x7fffffffffffffff", "-0x8000000000000000", "4294967296", "0xffffffff", "123456789012", String(this.r.range(-300, 300))])})`;
      case "f32": return `(f32.const ${this.pick(["0", "-0", "1.5", "-2.25", "3.4e38", "1e-40", "inf", "-inf", "nan", "77"])})`;
      case "f64": return `(f64.const ${this.pick(["0", "-0", "1.5", "-2.25", "1.7e308", "5e-324", "inf", "-inf", "nan", "77", "0.1"])})`;
    }
  }

  /** An address: small enough to stay in the page most of the time, in every addressing form. */
  private address(): string {
    const base = (): string => {
      switch (this.r.int(6)) {
        case 0: return `(local.get ${this.pick(I32_SAFE)})`;
        case 1: return this.smallConst();
        case 2: return `(i32.add (local.get ${this.pick(I32_SAFE)}) ${this.smallConst()})`; // lazy local + const
        case 3: return `(i32.and ${this.i32(1)} (i32.const 1023))`; // a temp
        case 4: return `(local.get ${this.loops > 0 ? this.pick(COUNTERS_I32.slice(0, this.loops)) : "$a"})`;
        default: return `(i32.shl (i32.and (local.get ${this.pick(I32_ANY)}) (i32.const 63)) (i32.const ${this.r.int(4)}))`;
      }
    };
    switch (this.r.int(5)) {
      case 0: return base();
      case 1: case 2: return `(i32.add ${base()} ${base()})`; // register + register (or constant + register)
      case 3: return `(i32.add ${base()} ${this.smallConst()})`;
      default: return `(i32.add ${this.smallConst()} ${base()})`;
    }
  }

  private memArg(width: number): string {
    const off = this.chance(0.5) ? 0 : this.pick([1, 4, 8, 16, 100]);
    const align = this.pick([1, 2, 4, 8].filter((a) => a <= width));
    return `${off ? `offset=${off} ` : ""}align=${align}`;
  }

  /** An i32 value from any operand source. */
  i32(depth: number): string {
    const k = this.r.int(depth > 2 ? 4 : 13);
    switch (k) {
      case 0: case 1: return `(local.get ${this.pick(I32_ANY)})`;
      case 2: return this.anyConst("i32");
      case 3: return `(i32.add (local.get ${this.pick(I32_ANY)}) ${this.smallConst()})`;
      case 4: return `(i32.sub (local.get ${this.pick(I32_ANY)}) ${this.smallConst()})`;
      case 5: {
        const op = this.pick(I32_BINOPS);
        const a = this.chance(0.3) ? this.anyConst("i32") : this.i32(depth + 1);
        const b = this.chance(0.4) ? this.anyConst("i32") : this.i32(depth + 1);
        return op.startsWith("div") || op.startsWith("rem") ? `(i32.${op} ${a} (i32.or ${b} (i32.const 1)))` : `(i32.${op} ${a} ${b})`;
      }
      case 6: return `(i32.${this.pick(I32_CMPS)} ${this.i32(depth + 1)} ${this.chance(0.4) ? this.anyConst("i32") : this.i32(depth + 1)})`;
      case 7: { const [op, , w] = this.pick(LOADS.filter(([, t]) => t === "i32")); return `(${op} ${this.memArg(w)} ${this.address()})`; }
      case 8: return `(i32.wrap_i64 ${this.i64(depth + 1)})`;
      case 9: return `(select ${this.i32(depth + 1)} ${this.i32(depth + 1)} ${this.i32(depth + 1)})`;
      case 10: return `(call $g ${this.i32(depth + 1)} ${this.i32(depth + 1)})`;
      case 11: return `(local.tee ${this.pick(I32_WRITABLE)} ${this.i32(depth + 1)})`;
      default: {
        const l = this.pick(I32_ANY);
        return `(i32.${this.pick(["add", "mul", "xor", "sub"])} (local.get ${l}) (local.get ${l}))`; // the same slot twice
      }
    }
  }

  i64(depth: number): string {
    switch (this.r.int(depth > 2 ? 3 : 9)) {
      case 0: case 1: return `(local.get ${this.pick(I64_LOCALS)})`;
      case 2: return this.anyConst("i64");
      case 3: return `(i64.extend_i32_${this.pick(["s", "u"])} ${this.i32(depth + 1)})`;
      case 4: case 5: {
        const op = this.pick(I64_BINOPS);
        const b = this.chance(0.5) ? this.anyConst("i64") : this.i64(depth + 1);
        return op.startsWith("div") || op.startsWith("rem") ? `(i64.${op} ${this.i64(depth + 1)} (i64.or ${b} (i64.const 1)))` : `(i64.${op} ${this.i64(depth + 1)} ${b})`;
      }
      case 6: { const [op, , w] = this.pick(LOADS.filter(([, t]) => t === "i64")); return `(${op} ${this.memArg(w)} ${this.address()})`; }
      case 7: return `(i64.reinterpret_f64 ${this.f64(depth + 1)})`;
      default: return `(local.tee ${this.pick(["$e", "$f"])} ${this.i64(depth + 1)})`;
    }
  }

  f64(depth: number): string {
    switch (this.r.int(depth > 2 ? 3 : 8)) {
      case 0: case 1: return `(local.get ${this.pick(F64_LOCALS)})`;
      case 2: return this.anyConst("f64");
      case 3: return this.floatBinop("f64", depth);
      case 4: // multiply-add, the product on either side
        return this.chance(0.5)
          ? this.canon("f64", `(f64.add (f64.mul ${this.f64(depth + 1)} ${this.f64(depth + 1)}) ${this.f64(depth + 1)})`)
          : this.canon("f64", `(f64.add ${this.f64(depth + 1)} (f64.mul ${this.f64(depth + 1)} ${this.f64(depth + 1)}))`);
      case 5: return `(f64.load ${this.memArg(8)} ${this.address()})`;
      case 6: return `(f64.convert_i32_s ${this.i32(depth + 1)})`;
      default: return this.canon("f64", `(f64.promote_f32 ${this.f32(depth + 1)})`);
    }
  }

  f32(depth: number): string {
    switch (this.r.int(depth > 2 ? 3 : 6)) {
      case 0: case 1: return `(local.get ${this.pick(F32_LOCALS)})`;
      case 2: return this.anyConst("f32");
      case 3: return this.floatBinop("f32", depth);
      case 4: return `(f32.load ${this.memArg(4)} ${this.address()})`;
      default: return this.canon("f32", `(f32.demote_f64 ${this.f64(depth + 1)})`);
    }
  }

  private value(t: T): string {
    return t === "i32" ? this.i32(0) : t === "i64" ? this.i64(0) : t === "f32" ? this.f32(0) : this.f64(0);
  }

  /** A stored value, including the forms that must be materialised next to a folded address. */
  private storedValue(t: T, addr: string): string {
    if (t === "i32") {
      switch (this.r.int(6)) {
        case 0: return this.anyConst("i32"); // a constant (pooled inside a loop, or not)
        case 1: return `(i32.add (local.get ${this.pick(I32_ANY)}) ${this.smallConst()})`; // lazy local + const
        case 2: { // the value aliasing the address's local
          const m = /local\.get (\$(?:p0|p1|a|b|c|d|i|j))\b/.exec(addr);
          return m ? `(i32.add (local.get ${m[1]}) (i32.const 8))` : this.i32(0);
        }
        default: return this.i32(0);
      }
    }
    if (t === "i64" && this.chance(0.4)) return this.anyConst("i64");
    return this.value(t);
  }

  private statement(depth: number): string {
    const k = this.r.int(depth > 2 ? 6 : 16);
    switch (k) {
      case 0: case 1: case 2: { // store through every addressing form
        const [op, t, w] = this.pick(STORES);
        const addr = this.address();
        return `(${op} ${this.memArg(w)} ${addr} ${this.storedValue(t, addr)})`;
      }
      case 3: { // load into a local (the load's destination retargeted)
        const [op, t, w] = this.pick(LOADS);
        const dst = t === "i32" ? this.pick(I32_WRITABLE) : t === "i64" ? this.pick(["$e", "$f"]) : t === "f32" ? this.pick(F32_LOCALS) : this.pick(["$g", "$h"]);
        return `(local.set ${dst} (${op} ${this.memArg(w)} ${this.address()}))`;
      }
      case 4: { // local.set of an op reading the same local (retargeting with aliasing)
        const dst = this.pick(I32_WRITABLE);
        return `(local.set ${dst} (i32.${this.pick(I32_BINOPS.slice(0, 10))} (local.get ${dst}) ${this.chance(0.5) ? this.anyConst("i32") : this.i32(1)}))`;
      }
      case 5: { // masked writes keep $a/$b usable as addresses
        const dst = this.pick(["$a", "$b"]);
        return `(local.set ${dst} (i32.and ${this.i32(1)} (i32.const ${this.pick([255, 1023, 4095])})))`;
      }
      case 6: {
        const dst = this.pick(["$e", "$f"]);
        return `(local.set ${dst} ${this.chance(0.3) ? `(i64.${this.pick(I64_BINOPS.slice(0, 9))} (local.get ${dst}) ${this.anyConst("i64")})` : this.i64(0)})`;
      }
      case 7: {
        const dst = this.pick(["$g", "$h"]);
        return this.chance(0.5) ? `(local.set ${dst} ${this.f64(0)})` : `(local.set ${this.pick(F32_LOCALS)} ${this.f32(0)})`;
      }
      case 8: { // compare-and-branch out of a block (register and immediate forms, i32 and i64)
        const l = `$B${this.labels++}`;
        const cond = this.chance(0.7)
          ? `(i32.${this.pick(I32_CMPS)} ${this.i32(1)} ${this.chance(0.5) ? this.anyConst("i32") : this.i32(1)})`
          : this.chance(0.3) ? `(i64.eqz ${this.i64(1)})` : `(i64.${this.pick(I32_CMPS)} ${this.i64(1)} ${this.i64(1)})`;
        return `(block ${l} (br_if ${l} ${cond}) ${this.statements(depth + 1, 2)})`;
      }
      case 9: { // if/else on a compare, or a plain value
        const cond = this.chance(0.5) ? `(i32.${this.pick(I32_CMPS)} ${this.i32(1)} ${this.chance(0.5) ? this.anyConst("i32") : this.i32(1)})`
          : this.chance(0.3) ? (this.chance(0.4) ? `(i64.eqz ${this.i64(1)})` : `(i64.${this.pick(I32_CMPS)} ${this.i64(1)} ${this.i64(1)})`) : this.i32(1);
        return `(if ${cond} (then ${this.statements(depth + 1, 2)}) (else ${this.statements(depth + 1, 1)}))`;
      }
      case 10: return this.loop(depth);
      case 11: { // block results copied at the block end and by branches (two values)
        const l = `$R${this.labels++}`;
        const d1 = this.pick(I32_WRITABLE), d2 = this.pick(["$e", "$f"]);
        return `(block ${l} (result i32 i64) ${this.i32(1)} ${this.i64(1)} (br_if ${l} ${this.i32(1)}) (drop) (drop) ${this.statements(depth + 1, 1)} ${this.i32(1)} ${this.i64(1)})` +
          ` (local.set ${d2}) (local.set ${d1})`;
      }
      case 12: { // br_table with a value, targets with different stack heights
        const l0 = `$T${this.labels++}`, l1 = `$T${this.labels++}`;
        const dst = this.pick(I32_WRITABLE);
        return `(local.set ${dst} (block ${l0} (result i32) (i32.add (block ${l1} (result i32) ${this.i32(1)} (br_table ${l0} ${l1} ${l0} (i32.and ${this.i32(1)} (i32.const 3)))) ${this.smallConst()})))`;
      }
      case 13: case 14: return this.pair();
      default: { // if with a parameter and a result (flat form), and select
        const dst = this.pick(I32_WRITABLE);
        return `${this.i32(1)} ${this.i32(1)} (if (param i32) (result i32) (then (i32.add ${this.smallConst()})) (else (i32.mul ${this.anyConst("i32")}))) (local.set ${dst})`;
      }
    }
  }

  /**
   * Two adjacent statements (or an expression) that translate to one of the fused pairs
   * (translate/opcodes.ts `PAIR_TABLE`): copies, adds, shifts and rotates by a constant followed by
   * a xor, a multiply by a constant and an add, two f64 multiplies (and an i64 shift and xor, a pair
   * measured and not kept: its ops still go through the shortcuts), and the
   * pairs whose second op can trap or branch: an f64 multiply then a 64-bit load, a shift then an
   * i32 load (unaligned and out-of-bounds addresses included), an add before a loop's add-and-branch
   * step (i32 and i64), an add before a `br_if`, a mask before a `br_if` on zero; an i32 multiply
   * then an add, a shift right by a constant then a mask, an f64 greater-than then a `br_if` on it
   * (NaN, infinities and zeros of either sign among the operands), a shift by a constant then an
   * add of a constant, an add of a constant then an add, an add then an unsigned compare with a
   * constant, calls whose last argument is a copy or an add of a constant, an add of two slots
   * then a 64-bit load through it, and a multiply-add then an add of its result. The second half
   * may read the first's destination, write the same one, or overwrite the first's source, so the
   * pair must run its halves in order.
   */
  private pair(): string {
    const kind = this.r.int(23);
    const alias = this.r.int(4); // 0: second reads the first's destination, 1: same destination, 2: second writes the first's source, 3: free
    const c = (): string => `(i32.const ${this.chance(0.5) ? this.pick(ANY_CONSTS) : this.r.range(-300, 300)})`;
    const get = (l: string): string => `(local.get ${l})`;
    /** [d1, s1, d2, s2] for two ops over `dsts` / `srcs` with the drawn aliasing. */
    const halves = (dsts: readonly string[], srcs: readonly string[]): [string, string, string, string] => {
      const d1 = this.pick(dsts), s1 = this.pick(srcs);
      const d2 = alias === 1 ? d1 : alias === 2 && dsts.includes(s1) ? s1 : this.pick(dsts);
      const s2 = alias === 0 ? d1 : this.pick(srcs);
      return [d1, s1, d2, s2];
    };
    switch (kind) {
      case 0: { // two copies: i32, i64 or f64 locals
        const typed = this.pick([0, 0, 1, 2]);
        const [d1, s1, d2, s2] = halves(typed === 1 ? ["$e", "$f"] : typed === 2 ? ["$g", "$h"] : I32_WRITABLE, typed === 1 ? I64_LOCALS : typed === 2 ? F64_LOCALS : I32_ANY);
        return `(local.set ${d1} ${get(s1)}) (local.set ${d2} ${get(s2)})`;
      }
      case 1: { const [d1, s1, d2, s2] = halves(I32_WRITABLE, I32_ANY); return `(local.set ${d1} (i32.add ${get(s1)} ${c()})) (local.set ${d2} (i32.add ${get(s2)} ${c()}))`; }
      case 2: {
        const [d1, s1, d2, s2] = halves(I32_WRITABLE, I32_ANY);
        return `(local.set ${d1} (i32.add ${get(s1)} ${get(this.pick(I32_ANY))})) (local.set ${d2} (i32.add ${get(this.pick(I32_ANY))} ${get(s2)}))`;
      }
      case 3: case 4: case 5: case 6: { // shl / rotl / shr_u by a constant, then xor; multiply by a constant, then add
        const [first, second] = kind === 3 ? ["shl", "xor"] : kind === 4 ? ["rotl", "xor"] : kind === 5 ? ["shr_u", "xor"] : ["mul", "add"];
        const k = kind === 6 ? c() : `(i32.const ${this.pick([0, 1, 3, 7, 13, 31, 32, 33, -1])})`;
        if (this.chance(0.3)) return `(local.set ${this.pick(I32_WRITABLE)} (i32.${second} (i32.${first} ${get(this.pick(I32_ANY))} ${k}) ${get(this.pick(I32_ANY))}))`;
        const [d1, s1, d2, s2] = halves(I32_WRITABLE, I32_ANY);
        const other = get(this.pick(I32_ANY));
        return `(local.set ${d1} (i32.${first} ${get(s1)} ${k})) (local.set ${d2} (i32.${second} ${this.chance(0.5) ? `${get(s2)} ${other}` : `${other} ${get(s2)}`}))`;
      }
      case 7: { // two f64 multiplies (canonicalised after both: a NaN's bits are not deterministic)
        const [d1, s1, d2, s2] = halves(["$g", "$h"], F64_LOCALS);
        return `(local.set ${d1} (f64.mul ${get(s1)} ${get(this.pick(F64_LOCALS))})) (local.set ${d2} (f64.mul ${get(this.pick(F64_LOCALS))} ${get(s2)}))` +
          ` (local.set $g ${this.canon("f64", "(local.get $g)")}) (local.set $h ${this.canon("f64", "(local.get $h)")})`;
      }
      case 8: { // i64 shift right by a constant, then xor
        const [d1, s1, d2, s2] = halves(["$e", "$f"], I64_LOCALS);
        return `(local.set ${d1} (i64.shr_u ${get(s1)} (i64.const ${this.pick([0, 1, 7, 31, 32, 33, 63, 64, -1])}))) (local.set ${d2} (i64.xor ${get(s2)} ${get(this.pick(I64_LOCALS))}))`;
      }
      case 9: { // f64 multiply, then a 64-bit load (i64 or f64) at a folded address
        const [d1] = halves(["$g", "$h"], F64_LOCALS);
        const f = this.chance(0.5);
        const load = `(${f ? "f64" : "i64"}.load ${this.memArg(8)} ${this.pairAddress()})`;
        return `(local.set ${d1} (f64.mul ${get(this.pick(F64_LOCALS))} ${get(this.pick(F64_LOCALS))})) (local.set ${f ? this.pick(["$g", "$h"]) : this.pick(["$e", "$f"])} ${f ? this.canon("f64", load) : load})` +
          ` (local.set ${d1} ${this.canon("f64", get(d1))})`;
      }
      case 10: { // shift by a constant, then an i32 load through it (or through another address)
        const k = `(i32.const ${this.pick([0, 1, 2, 2, 3, 31])})`;
        if (this.chance(0.4)) return `(local.set ${this.pick(I32_WRITABLE)} (i32.load ${this.memArg(4)} (i32.shl (i32.and ${get(this.pick(I32_ANY))} (i32.const 1023)) ${k})))`;
        const d1 = this.pick(I32_WRITABLE);
        const addr = this.chance(0.5) ? get(d1) : this.pairAddress();
        return `(local.set ${d1} (i32.shl ${get(this.pick(I32_ANY))} ${k})) (local.set ${this.pick(I32_WRITABLE)} (i32.load ${this.memArg(4)} ${addr}))`;
      }
      case 11: case 12: { // an add (of a constant / of two slots) before a loop's add-and-branch step (i32 / i64 counter)
        const i64 = kind === 12;
        if (this.loops >= (i64 ? 1 : 2)) return this.pair();
        const l = `$P${this.labels++}`, n = this.r.range(1, 5);
        const [d1, s1] = halves(I32_WRITABLE, [...I32_ANY, ...COUNTERS_I32.slice(0, this.loops + 1)]);
        const add = i64 ? `(i32.add ${get(s1)} ${get(this.pick(I32_ANY))})` : `(i32.add ${get(s1)} ${c()})`;
        if (i64) {
          return `(local.set $n64 (i64.const ${n})) (local.set $k (i64.const 0)) (loop ${l} (local.set ${d1} ${add}) (br_if ${l} (i64.${this.pick(["lt_u", "lt_s", "ne"])} (local.tee $k (i64.add (local.get $k) (local.get $one64))) (local.get $n64))))`;
        }
        const ctr = COUNTERS_I32[this.loops]!;
        const bound = this.chance(0.5) ? `(i32.const ${n})` : "(local.get $n)";
        return `(local.set $n (i32.const ${n})) (local.set ${ctr} (i32.const 0)) (loop ${l} (local.set ${d1} ${add}) (br_if ${l} (i32.${this.pick(["lt_s", "lt_u", "ne"])} (local.tee ${ctr} (i32.add (local.get ${ctr}) (i32.const 1))) ${bound})))`;
      }
      case 13: { // an add of a constant, then a br_if on a slot (the add's destination, or another)
        const l = `$Q${this.labels++}`;
        const [d1, s1] = halves(I32_WRITABLE, I32_ANY);
        const cond = alias === 0 ? d1 : this.pick(I32_ANY);
        return `(block ${l} (local.set ${d1} (i32.add ${get(s1)} ${c()})) (br_if ${l} ${get(cond)}) ${this.statement(3)})`;
      }
      case 15: case 16: { // i32 multiply of two slots, then add; shift right by a constant, then a mask
        const mul = kind === 15;
        const k = mul ? get(this.pick(I32_ANY)) : `(i32.const ${this.pick([0, 1, 3, 7, 13, 31, 32, 33, -1])})`;
        const m = mul ? get(this.pick(I32_ANY)) : c();
        const [first, second] = mul ? ["mul", "add"] : ["shr_u", "and"];
        if (this.chance(0.3)) return `(local.set ${this.pick(I32_WRITABLE)} (i32.${second} (i32.${first} ${get(this.pick(I32_ANY))} ${k}) ${m}))`;
        const [d1, s1, d2, s2] = halves(I32_WRITABLE, I32_ANY);
        return `(local.set ${d1} (i32.${first} ${get(s1)} ${k})) (local.set ${d2} (i32.${second} ${mul && this.chance(0.5) ? `${m} ${get(s2)}` : `${get(s2)} ${m}`}))`;
      }
      case 17: { // an f64 greater-than, then a br_if on it (the compare of the loop's range-reduction idiom)
        const l = `$Q${this.labels++}`;
        return `(block ${l} (br_if ${l} (f64.gt ${this.f64(3)} ${this.f64(3)})) ${this.statement(3)})`;
      }
      case 18: case 19: case 20: { // shl by a constant then add a constant; add a constant then add; add then gt_u a constant
        const [d1, s1, d2, s2] = halves(I32_WRITABLE, I32_ANY);
        const other = get(this.pick(I32_ANY));
        if (kind === 18) return `(local.set ${d1} (i32.shl ${get(s1)} (i32.const ${this.pick([0, 1, 2, 3, 31, 32])}))) (local.set ${d2} (i32.add ${get(s2)} ${c()}))`;
        if (kind === 19) return `(local.set ${d1} (i32.add ${get(s1)} ${c()})) (local.set ${d2} (i32.add ${this.chance(0.5) ? `${get(s2)} ${other}` : `${other} ${get(s2)}`}))`;
        if (this.chance(0.3)) return `(local.set ${d2} (call $g ${get(s1)} ${this.chance(0.5) ? get(s2) : `(i32.add ${get(s2)} ${c()})`}))`;
        return `(local.set ${d1} (i32.add ${get(s1)} ${other})) (local.set ${d2} (i32.gt_u ${get(s2)} ${c()}))`;
      }
      case 21: { // an add of two slots (kept in a local), then a 64-bit load through it (i64 or f64)
        const d1 = this.pick(I32_WRITABLE);
        const f = this.chance(0.5);
        const load = `(${f ? "f64" : "i64"}.load ${this.memArg(8)} (local.tee ${d1} (i32.add ${get(this.pick(I32_SAFE))} ${get(this.pick(I32_ANY))})))`;
        return `(local.set ${f ? this.pick(["$g", "$h"]) : this.pick(["$e", "$f"])} ${f ? this.canon("f64", load) : load})`;
      }
      case 22: { // a multiply-add, then an add of its result (canonicalised after: a NaN's bits are not deterministic)
        const [g1, g2, g3, g4] = [this.pick(F64_LOCALS), this.pick(F64_LOCALS), this.pick(F64_LOCALS), this.pick(F64_LOCALS)];
        const inner = `(f64.add (f64.mul ${get(g1)} ${get(g2)}) ${get(g3)})`;
        const d = this.pick(["$g", "$h"]);
        return `(local.set ${d} (f64.add ${this.chance(0.5) ? `${get(g4)} ${inner}` : `${inner} ${get(g4)}`})) (local.set ${d} ${this.canon("f64", get(d))})`;
      }
      default: { // a mask, then a branch when it is zero
        const [d1, s1] = halves(I32_WRITABLE, I32_ANY);
        return this.chance(0.5)
          ? `(if (i32.and ${get(s1)} ${c()}) (then ${this.statement(3)}))`
          : `(local.set ${d1} (i32.and ${get(s1)} ${c()})) (if ${get(d1)} (then ${this.statement(3)}) (else ${this.statement(3)}))`;
      }
    }
  }

  /** An address the load can fold (a local, or a local plus a constant): in the page, unaligned, or far out of it. */
  private pairAddress(): string {
    const l = this.chance(0.85) ? this.pick(I32_SAFE) : this.pick(["$p1", "$c", "$d"]);
    return this.chance(0.5) ? `(local.get ${l})` : `(i32.add (local.get ${l}) (i32.const ${this.pick([1, 3, 4, 8, 65530, 70000])}))`;
  }

  /** A counted loop with one of the add-and-branch shapes of a loop step. */
  private loop(depth: number): string {
    if (this.loops >= 2) return this.statement(depth + 1);
    const l = `$L${this.labels++}`;
    const n = this.r.range(1, 6);
    const useI64 = this.loops === 0 && this.chance(0.25); // one i64 counter ($k), outermost only
    const c = COUNTERS_I32[this.loops]!;
    this.loops++;
    const body = this.statements(depth + 1, this.r.range(1, 4));
    this.loops--;
    if (useI64) {
      // i64 counter: the step is a constant or a slot holding 1 (I64_ADD_IMM_BR / I64_ADD_BR)
      const step = this.chance(0.5) ? "(i64.const 1)" : "(local.get $one64)";
      const cmp = this.pick(["lt_u", "lt_s", "ne"]);
      const bound = this.chance(0.5) ? `(i64.const ${n})` : `(local.get $n64)`;
      return `(local.set $n64 (i64.const ${n})) (local.set $k (i64.const 0)) (loop ${l} ${body} (br_if ${l} (i64.${cmp} (local.tee $k (i64.add (local.get $k) ${step})) ${bound})))`;
    }
    switch (this.r.int(4)) {
      case 0: // tee + compare with an immediate
        return `(local.set ${c} (i32.const 0)) (loop ${l} ${body} (br_if ${l} (i32.${this.pick(["lt_s", "lt_u", "ne"])} (local.tee ${c} (i32.add (local.get ${c}) (i32.const 1))) (i32.const ${n}))))`;
      case 1: // set, then compare the local with a slot (bound on either side)
        return `(local.set $n (i32.const ${n})) (local.set ${c} (i32.const 0)) (loop ${l} ${body} (local.set ${c} (i32.add (local.get ${c}) (i32.const 1)))` +
          (this.chance(0.5) ? ` (br_if ${l} (i32.lt_s (local.get ${c}) (local.get $n)))` : ` (br_if ${l} (i32.gt_u (local.get $n) (local.get ${c})))`) + `)`;
      case 2: // count down to zero: a plain br_if on the sum
        return `(local.set ${c} (i32.const ${n})) (loop ${l} ${body} (br_if ${l} (local.tee ${c} (i32.sub (local.get ${c}) (i32.const 1)))))`;
      default: // exit test at the top (block + loop), step at the bottom
        return `(local.set ${c} (i32.const 0)) (block $X${l.slice(1)} (loop ${l} (br_if $X${l.slice(1)} (i32.ge_s (local.get ${c}) (i32.const ${n}))) ${body} (local.set ${c} (i32.add (local.get ${c}) (i32.const 1))) (br ${l})))`;
    }
  }

  private statements(depth: number, n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.statement(depth));
    return out.join(" ");
  }

  /** The whole module. */
  module(): string {
    const body = this.statements(0, this.r.range(4, 12));
    const sum: string[] = [];
    for (const l of ["$p0", "$p1", "$a", "$b", "$c", "$d", "$i", "$j"]) sum.push(`(i64.extend_i32_u (local.get ${l}))`);
    for (const l of ["$p2", "$e", "$f", "$k"]) sum.push(`(local.get ${l})`);
    for (const l of ["$p3", "$g", "$h"]) sum.push(`(i64.reinterpret_f64 (local.get ${l}))`);
    for (const l of F32_LOCALS) sum.push(`(i64.extend_i32_u (i32.reinterpret_f32 (local.get ${l})))`);
    let acc = "(i64.const 0)";
    for (const s of sum) acc = `(i64.add (i64.mul ${acc} (i64.const 1000003)) ${s})`;
    return `(module (memory (export "mem") 1)
  (func $g (param i32 i32) (result i32) (i32.sub (i32.mul (local.get 0) (i32.const 3)) (local.get 1)))
  (func $c64 (param f64) (result f64) (select (f64.const nan) (local.get 0) (f64.ne (local.get 0) (local.get 0))))
  (func $c32 (param f32) (result f32) (select (f32.const nan) (local.get 0) (f32.ne (local.get 0) (local.get 0))))
  (func (export "f") (param $p0 i32) (param $p1 i32) (param $p2 i64) (param $p3 f64) (result i64)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $i i32) (local $j i32) (local $n i32)
    (local $e i64) (local $f i64) (local $k i64) (local $n64 i64) (local $one64 i64)
    (local $g f64) (local $h f64) (local $x f32) (local $y f32)
    (local.set $one64 (i64.const 1))
    (local.set $a (i32.and (local.get $p1) (i32.const 1023)))
    (local.set $b (i32.const 40))
    ${body}
    ${acc}))`;
  }
}

/** Arguments for `f`: small parameters (addresses) most of the time, large ones sometimes. */
export function shortcutArgs(seed: number): [number, number, bigint, number] {
  const r = new Rng(seed >>> 0, 9);
  const p0 = r.bool(0.8) ? r.int(2000) : r.range(-2147483648, 2147483647);
  const p1 = r.bool(0.5) ? r.int(300) : r.range(-2147483648, 2147483647);
  const p2 = BigInt.asIntN(64, (BigInt(r.range(-2147483648, 2147483647)) << 32n) | BigInt(r.int(0x7fffffff)));
  const p3 = r.bool(0.2) ? NaN : (r.int(2000) - 1000) / 8;
  return [p0, p1, p2, p3];
}
