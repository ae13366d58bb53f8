/**
 * `WebAssembly.Global`: a JS object over a global instance (`../runtime/global.ts`, which keeps
 * numbers as raw words so NaN payloads survive). Values convert with ToWebAssemblyValue /
 * ToJSValue; i64 values are BigInts. One object per global instance.
 */
import { InvalidArgumentTypeError } from "../errors.js";
import { bigInt64From, numberFrom } from "../execute/values.js";
import { GlobalInst } from "../runtime/global.js";
import { isFuncRefType } from "../decode/module.js";
import { fromFuncRef, toFuncRef, toRefOfType } from "./functions.js";
import { finishInterface, notA, requireArgs, toDictionary, toEnum } from "./webidl.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b, FUNCREF = 0x70, EXTERNREF = 0x6f, EXNREF = 0x69;
const globals = new WeakMap<object, GlobalInst>();
const objects = new WeakMap<GlobalInst, Global>();
const VALTYPE_BY_NAME = { i32: I32, i64: I64, f32: F32, f64: F64, anyfunc: FUNCREF, funcref: FUNCREF, externref: EXTERNREF } as const;
const f32 = new Float32Array(1);
const f32w = new Int32Array(f32.buffer);

/** Descriptor of `new Global(...)`. */
export interface GlobalDescriptor {
  readonly value: "i32" | "i64" | "f32" | "f64" | "anyfunc" | "funcref" | "externref";
  readonly mutable?: boolean;
}

function globalOf(self: unknown): GlobalInst {
  const g = typeof self === "object" && self !== null ? globals.get(self) : undefined;
  return g ?? notA("Global", "this", self);
}

/** ToJSValue of the global's value. */
export function getGlobalValue(g: GlobalInst): unknown {
  switch (g.type) {
    case I32: return g.w[0];
    case I64: return (BigInt(g.w[1]!) << 32n) | BigInt(g.w[0]! >>> 0);
    case F32: return new Float32Array(g.w.buffer)[0];
    case F64: return new Float64Array(g.w.buffer)[0];
    case FUNCREF: return fromFuncRef(g.ref);
    case V128: throw new InvalidArgumentTypeError("value", "a v128 global's value cannot cross the JavaScript boundary");
    case EXNREF: throw new InvalidArgumentTypeError("value", "an exnref global's value cannot cross the JavaScript boundary");
    default:
      if (g.type === (EXNREF | 0x100)) throw new InvalidArgumentTypeError("value", "an exnref global's value cannot cross the JavaScript boundary");
      return isFuncRefType(g.type) ? fromFuncRef(g.ref) : g.ref;
  }
}

/** ToWebAssemblyValue(v) stored into the global. */
export function setGlobalValue(g: GlobalInst, v: unknown): void {
  switch (g.type) {
    case I32: g.w[0] = numberFrom("value", v) | 0; return;
    case I64: {
      const b = bigInt64From("value", v);
      g.w[0] = Number(BigInt.asIntN(32, b));
      g.w[1] = Number(BigInt.asIntN(32, b >> 32n));
      return;
    }
    case F32: f32[0] = numberFrom("value", v); g.w[0] = f32w[0]!; return;
    case F64: new Float64Array(g.w.buffer)[0] = numberFrom("value", v); return;
    case FUNCREF: g.ref = toFuncRef("value", v); return;
    case V128: throw new InvalidArgumentTypeError("value", "a v128 global's value cannot cross the JavaScript boundary");
    case EXNREF: throw new InvalidArgumentTypeError("value", "an exnref global's value cannot cross the JavaScript boundary");
    default:
      if (g.type === (EXNREF | 0x100)) throw new InvalidArgumentTypeError("value", "an exnref global's value cannot cross the JavaScript boundary");
      g.ref = toRefOfType("value", g.type, v);
  }
}

/** A global variable (`WebAssembly.Global`). */
export class Global {
  /** Creates a global holding `value` (DefaultValue of the type when omitted or undefined). */
  constructor(descriptor: GlobalDescriptor, ...rest: unknown[]) {
    requireArgs("WebAssembly.Global", arguments.length, 1);
    const d = toDictionary("descriptor", descriptor);
    const mutable = Boolean(d.mutable);
    const rawType = d.value;
    if (rawType === undefined) throw new InvalidArgumentTypeError("descriptor.value", "is required");
    const t = VALTYPE_BY_NAME[toEnum("descriptor.value", rawType, ["i32", "i64", "f32", "f64", "anyfunc", "funcref", "externref"])];
    const g = new GlobalInst(t, mutable);
    const v = rest[0];
    if (v === undefined) {
      if (t === FUNCREF) g.ref = null;
      else if (t === EXTERNREF) g.ref = rest.length === 0 ? undefined : v;
    } else setGlobalValue(g, v);
    globals.set(this, g);
    objects.set(g, this);
  }

  /** The value (i64 as BigInt). */
  get value(): unknown {
    return getGlobalValue(globalOf(this));
  }

  /** Sets the value. @throws TypeError for an immutable global */
  set value(v: unknown) {
    const g = globalOf(this);
    // a setter called with no argument behaves as if undefined was passed (WebIDL attribute setters)
    if (!g.mutable) throw new InvalidArgumentTypeError("value", "cannot set an immutable global");
    setGlobalValue(g, v);
  }

  /** The value, as `value`. */
  valueOf(): unknown {
    return getGlobalValue(globalOf(this));
  }
}
finishInterface(Global, { name: "Global", length: 1, methods: ["valueOf"], attributes: ["value"] });

/** The Global object of global instance `g` (created on first use). */
export function globalFor(g: GlobalInst): Global {
  let o = objects.get(g);
  if (o === undefined) {
    o = Object.create(Global.prototype) as Global;
    globals.set(o, g);
    objects.set(g, o);
  }
  return o;
}

/** The global instance behind a Global object, or undefined. */
export function globalInstOf(v: unknown): GlobalInst | undefined {
  return typeof v === "object" && v !== null ? globals.get(v) : undefined;
}
