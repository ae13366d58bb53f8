/**
 * Values crossing the executor's boundary, read from and written to value slots:
 * - JS-API values (i32/f32/f64 as number, i64 as bigint, funcref as the exported JS function or
 *   null, externref any JS value) with the standard API's conversions (ToWebAssemblyValue /
 *   ToJSValue);
 * - `RawValue`s (docs/architecture.md): i32 int32 number, i64 signed bigint, f32 as u32 bits
 *   (number), f64 as u64 bits (bigint), funcref a `FuncInst` or null, externref any JS value.
 * Raw values never pass a float through a JS number, so NaN payloads survive. A v128 raw value is
 * an unsigned 128-bit bigint (lane bytes in memory order: byte 0 of the vector is its low byte);
 * the JS API has no v128 value, so converting one to or from JS is a TypeError.
 *
 * Values sit in the argument/result area one after the other: one slot (two words) each, a v128
 * two slots ({@link valueWords}).
 */
import type { ExecContext } from "./context.js";
import { FuncInst } from "../runtime/func.js";
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import { CONCRETE, heapTypeOf, isFuncRefType, isNullable, isRefType, valTypeName } from "../decode/module.js";

/** A value at internal boundaries (spec runner, globals): see the file comment. */
export type RawValue = number | bigint | FuncInst | null | unknown;

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FUNCREF = 0x70, EXNREF = 0x69;

/** `exnref` or `(ref exn)`. */
function isExn(t: number): boolean {
  return (t & ~0x100) === EXNREF;
}

/** Word offset of each value of types `ts` in an argument/result area (a v128 takes four words, every other value two). */
export function valueWords(ts: readonly number[]): number[] {
  const out: number[] = [];
  let w = 0;
  for (const t of ts) {
    out.push(w);
    w += t === V128 ? 4 : 2;
  }
  return out;
}

/** Words an argument/result area of types `ts` takes. */
export function areaWords(ts: readonly number[]): number {
  let w = 0;
  for (const t of ts) w += t === V128 ? 4 : 2;
  return w;
}

/**
 * The JS API's rule for functions whose type has a v128 or an exnref (parameter or result):
 * calling one from JavaScript, or a JavaScript function imported as one, is a TypeError before
 * anything runs.
 */
export function checkNoV128(type: { readonly params: readonly number[]; readonly results: readonly number[] }): void {
  const p = type.params, r = type.results;
  for (let i = 0; i < p.length; i++) if (p[i] === V128 || isExn(p[i]!)) throw new InvalidArgumentTypeError(`args[${i}]`, `a function with a${p[i] === V128 ? " v128" : "n exnref"} parameter cannot be called from or into JavaScript`);
  for (let i = 0; i < r.length; i++) if (r[i] === V128 || isExn(r[i]!)) throw new InvalidArgumentTypeError("results", `a function with a${r[i] === V128 ? " v128" : "n exnref"} result cannot be called from or into JavaScript`);
}

function v128TypeError(w: number): TypeError {
  return new InvalidArgumentTypeError(argName(w), "v128 values cannot cross the JavaScript boundary");
}

/** Turns a funcref (function instance) into its JS form; set by the API layer. */
export let funcToJs: (f: FuncInst) => unknown = () => {
  throw new Error("funcToJs not installed");
};
/** Turns a JS function into a function instance, or undefined if it is not one of ours. */
export let jsToFunc: (v: unknown) => FuncInst | undefined = () => undefined;

/** Installs the funcref conversions (called once by the public API module). */
export function installFuncConversions(toJs: (f: FuncInst) => unknown, fromJs: (v: unknown) => FuncInst | undefined): void {
  funcToJs = toJs;
  jsToFunc = fromJs;
}

/** A null where a non-nullable reference type is expected (ToWebAssemblyValue's TypeError). */
function nullForNonNullable(argument: string, t: number): InvalidArgumentTypeError {
  return new InvalidArgumentTypeError(argument, `null is not a value of the non-nullable type ${valTypeName(t)}`);
}

/**
 * A function whose type is not the one a `(ref null? $t)` value needs (ToWebAssemblyValue's
 * TypeError). `t` is in canonical form (its type index is a canonical id, as `f.sigId`).
 */
function typeMismatch(argument: string, t: number, f: FuncInst): InvalidArgumentTypeError {
  return new InvalidArgumentTypeError(argument, `a function of type [${f.type.params.map(valTypeName).join(" ")}] -> [${f.type.results.map(valTypeName).join(" ")}] is not a value of ${valTypeName(t)} (a typed function reference: the function types differ)`);
}

/** Writes a JS value of type `t` into word `w` (ToWebAssemblyValue). Throws TypeError like the JS API. */
export function writeJs(ctx: ExecContext, w: number, t: number, v: unknown): void {
  const named = t; // (ref null? $t): the exported function must have that type (checked below)
  if (t !== FUNCREF && isRefType(t)) {
    if (v === null && !isNullable(t)) throw nullForNonNullable(`args[${w >> 1}]`, t);
    if (isFuncRefType(t)) t = FUNCREF;
  }
  switch (t) {
    case I32:
      ctx.s32[w] = typeof v === "number" ? v | 0 : toNumber(w, v) | 0;
      return;
    case I64: {
      const b = BigInt.asIntN(64, typeof v === "bigint" ? v : toBigInt(w, v));
      ctx.s32[w] = Number(BigInt.asIntN(32, b));
      ctx.s32[w + 1] = Number(BigInt.asIntN(32, b >> 32n));
      return;
    }
    case F32:
      ctx.f32[w] = typeof v === "number" ? v : toNumber(w, v);
      return;
    case F64:
      ctx.f64[w >> 1] = typeof v === "number" ? v : toNumber(w, v);
      return;
    case V128:
      throw v128TypeError(w);
    case EXNREF:
      throw new InvalidArgumentTypeError(argName(w), "exnref values cannot cross the JavaScript boundary");
    case FUNCREF: {
      if (v === null) ctx.refs[w >> 1] = null;
      else {
        const f = jsToFunc(v);
        if (f === undefined) throw new InvalidArgumentTypeError(`args[${w >> 1}]`, `funcref value must be null or a function exported by a WebAssembly instance, got ${describeValue(v)}`);
        if ((named & CONCRETE) !== 0 && f.sigId !== heapTypeOf(named)) throw typeMismatch(argName(w), named, f);
        ctx.refs[w >> 1] = f;
        ctx.refsDirty = true;
      }
      return;
    }
    default:
      ctx.refs[w >> 1] = v === undefined ? undefined : v;
      ctx.refsDirty = true;
  }
}

/** The argument name for word `w` of the argument area (argument k lives at word 2k). */
function argName(w: number): string {
  return `args[${w >> 1}]`;
}

/**
 * ECMAScript ToNumber: a typed TypeError for symbols and bigints; an exception thrown by the
 * value's own `valueOf` / `toString` / `Symbol.toPrimitive` propagates unchanged, as the JS API
 * requires.
 */
export function numberFrom(argument: string, v: unknown): number {
  if (typeof v === "symbol" || typeof v === "bigint" || unconvertible(v)) throw new InvalidArgumentTypeError(argument, `cannot convert ${describeValue(v)} to a number`);
  return +(v as number);
}

/** An object ToPrimitive must refuse (no prototype, no conversion method of its own); checked without running getters. */
function unconvertible(v: unknown): boolean {
  return typeof v === "object" && v !== null && Object.getPrototypeOf(v) === null && !(Symbol.toPrimitive in v) && !("valueOf" in v) && !("toString" in v);
}
function toNumber(w: number, v: unknown): number {
  return numberFrom(argName(w), v);
}

/**
 * ECMAScript ToBigInt (what `BigInt.asIntN` applies to its argument): booleans and numeric
 * strings convert; numbers, undefined, null and symbols are a TypeError, an invalid string a
 * SyntaxError; the value's own conversion methods run and their exceptions propagate.
 */
export function bigInt64From(argument: string, v: unknown): bigint {
  if (typeof v === "number" || v === undefined || v === null || typeof v === "symbol" || unconvertible(v)) throw new InvalidArgumentTypeError(argument, `cannot convert ${describeValue(v)} to an i64 (BigInt) value`);
  if (typeof v === "string") {
    try {
      return BigInt.asIntN(64, BigInt(v));
    } catch {
      // StringToBigInt failed: a SyntaxError, as ECMAScript's ToBigInt says, with the argument error's code
      throw Object.assign(new SyntaxError(`${argument}: cannot convert ${describeValue(v)} to an i64 (BigInt) value`), { code: "invalid-argument", argument });
    }
  }
  return BigInt.asIntN(64, v as bigint);
}
function toBigInt(w: number, v: unknown): bigint {
  return bigInt64From(argName(w), v);
}

/** Reads word `w` of type `t` as a JS value (ToJSValue). */
export function readJs(ctx: ExecContext, w: number, t: number): unknown {
  if (t !== FUNCREF && isFuncRefType(t)) t = FUNCREF;
  switch (t) {
    case I32: return ctx.s32[w];
    case I64: return (BigInt(ctx.s32[w + 1]!) << 32n) | BigInt(ctx.s32[w]! >>> 0);
    case F32: return ctx.f32[w];
    case F64: return ctx.f64[w >> 1];
    case V128: throw v128TypeError(w);
    case EXNREF: throw new InvalidArgumentTypeError(argName(w), "exnref values cannot cross the JavaScript boundary");
    case FUNCREF: {
      const f = ctx.refs[w >> 1];
      return f === null || f === undefined ? null : funcToJs(f as FuncInst);
    }
    default: return ctx.refs[w >> 1];
  }
}

/** Writes a raw value of type `t` into word `w`. */
export function writeRaw(ctx: ExecContext, w: number, t: number, v: RawValue): void {
  const named = t; // (ref null? $t): the function instance must have that type (checked below)
  if (t !== FUNCREF && isRefType(t)) {
    if (v === null && !isNullable(t)) throw nullForNonNullable(argName(w), t);
    if (isFuncRefType(t)) t = FUNCREF;
  }
  switch (t) {
    case I32:
    case F32:
      ctx.s32[w] = typeof v === "number" ? v | 0 : typeof v === "bigint" ? Number(BigInt.asIntN(32, v)) : toNumber(w, v) | 0;
      return;
    case I64:
    case F64: {
      const b = BigInt.asUintN(64, typeof v === "bigint" ? v : rawBigInt(w, v));
      ctx.s32[w] = Number(BigInt.asIntN(32, b));
      ctx.s32[w + 1] = Number(BigInt.asIntN(32, b >> 32n));
      return;
    }
    case V128: {
      const b = BigInt.asUintN(128, typeof v === "bigint" ? v : rawBigInt(w, v));
      for (let k = 0; k < 4; k++) ctx.s32[w + k] = Number(BigInt.asIntN(32, b >> BigInt(32 * k)));
      return;
    }
    case FUNCREF: {
      let f: FuncInst | null;
      if (v === null || v instanceof FuncInst) f = v;
      else {
        const g = jsToFunc(v);
        if (g === undefined) throw new InvalidArgumentTypeError(argName(w), `funcref raw value must be null or a function instance, got ${describeValue(v)}`);
        f = g;
      }
      if (f !== null && (named & CONCRETE) !== 0 && f.sigId !== heapTypeOf(named)) throw typeMismatch(argName(w), named, f);
      ctx.refs[w >> 1] = f;
      ctx.refsDirty = true;
      return;
    }
    default:
      ctx.refs[w >> 1] = v;
      ctx.refsDirty = true;
  }
}

/** BigInt(v) for a raw 64-bit argument, with a typed error for values BigInt refuses. */
function rawBigInt(w: number, v: unknown): bigint {
  try {
    return BigInt(v as bigint | number | string | boolean);
  } catch {
    throw new InvalidArgumentTypeError(argName(w), `cannot convert ${describeValue(v)} to a 64-bit raw value`);
  }
}

/** Reads word `w` of type `t` as a raw value. */
export function readRaw(ctx: ExecContext, w: number, t: number): RawValue {
  switch (t) {
    case I32: return ctx.s32[w]!;
    case F32: return ctx.s32[w]! >>> 0;
    case I64: return (BigInt(ctx.s32[w + 1]!) << 32n) | BigInt(ctx.s32[w]! >>> 0);
    case F64: return BigInt.asUintN(64, (BigInt(ctx.s32[w + 1]!) << 32n) | BigInt(ctx.s32[w]! >>> 0));
    case V128: {
      let b = 0n;
      for (let k = 3; k >= 0; k--) b = (b << 32n) | BigInt(ctx.s32[w + k]! >>> 0);
      return b;
    }
    default: return ctx.refs[w >> 1];
  }
}
