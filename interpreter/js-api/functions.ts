/**
 * Exported functions (JS API "Exported Function Exotic Objects"): one JS function per function
 * instance, identity stable, `name` = the function's index in its module's function index space
 * (as a string), `length` = its parameter count, not a constructor. Calling converts the arguments
 * with ToWebAssemblyValue and the results with ToJSValue (several results: an array). Also the
 * funcref conversions the executor uses (`values.ts`).
 */
import { canonicalIn } from "../decode/matching.js";
import { CONCRETE, heapTypeOf, isFuncRefType, isNullable, NON_NULL, ValType, valTypeName } from "../decode/module.js";
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import type { ExecContext } from "../execute/context.js";
import { invoke } from "../execute/invoke.js";
import { checkNoV128, installFuncConversions, readJs, writeJs } from "../execute/values.js";
import type { FuncInst } from "../runtime/func.js";
import { Store } from "../runtime/store.js";

const exportedToFunc = new WeakMap<object, FuncInst>();
const hostStores = new WeakMap<FuncInst, Store>();

/** The store a call of `fi` runs in: its instance's, or one per host function. */
export function storeOf(fi: FuncInst): Store {
  if (fi.instance !== undefined) return fi.instance.store;
  let s = hostStores.get(fi);
  if (s === undefined) {
    s = new Store();
    hostStores.set(fi, s);
  }
  return s;
}

/** Writes JS arguments (missing ones are `undefined`, converted as the JS API says). */
export function writeJsArgs(fi: FuncInst, args: readonly unknown[]): (ctx: ExecContext) => void {
  return (ctx) => {
    checkNoV128(fi.type); // before any argument conversion and before anything runs
    const p = fi.type.params;
    for (let k = 0; k < p.length; k++) writeJs(ctx, 2 * k, canonicalIn(fi.type, p[k]!), args[k]);
  };
}

/** Reads the results: undefined, one value, or an array of values. */
export function readJsResults(fi: FuncInst): (ctx: ExecContext) => unknown {
  return (ctx) => {
    const r = fi.type.results;
    if (r.length === 0) return undefined;
    if (r.length === 1) return readJs(ctx, 0, r[0]!);
    const out: unknown[] = [];
    for (let k = 0; k < r.length; k++) out.push(readJs(ctx, 2 * k, r[k]!));
    return out;
  };
}

/** The function index of `fi` in its module's function index space (imports first). */
function funcIndex(fi: FuncInst): number {
  const inst = fi.instance;
  if (inst === undefined) return 0;
  let imported = 0;
  for (const imp of inst.module.imports) if (imp.desc.kind === "func") imported++;
  return imported + fi.defIndex;
}

/** The JS function standing for function instance `fi` (one per instance; identity is stable). */
export function exportedFunction(fi: FuncInst): (...args: unknown[]) => unknown {
  if (fi.jsFunc !== undefined) return fi.jsFunc;
  // an arrow function: like the JS API's built-in function objects, it is not a constructor
  const f = (...args: unknown[]): unknown => invoke(fi, writeJsArgs(fi, args), readJsResults(fi), undefined, storeOf(fi));
  Object.defineProperty(f, "length", { value: fi.type.params.length });
  Object.defineProperty(f, "name", { value: String(funcIndex(fi)) });
  fi.jsFunc = f;
  exportedToFunc.set(f, fi);
  return f;
}

/** The function instance behind an exported function, or undefined for any other value. */
export function funcOfExported(v: unknown): FuncInst | undefined {
  return typeof v === "function" ? exportedToFunc.get(v) : undefined;
}

/** `funcOfExported`, or a TypeError naming `argument`. */
export function funcOf(argument: string, fn: unknown): FuncInst {
  const fi = funcOfExported(fn);
  if (fi === undefined) throw new InvalidArgumentTypeError(argument, `not a function exported by a WebAssembly instance of this interpreter, got ${describeValue(fn)}`);
  return fi;
}

/** ToWebAssemblyValue for a funcref: null or an exported function. */
export function toFuncRef(argument: string, v: unknown): FuncInst | null {
  if (v === null) return null;
  const f = funcOfExported(v);
  if (f === undefined) throw new InvalidArgumentTypeError(argument, `funcref value must be null or a function exported by a WebAssembly instance, got ${describeValue(v)}`);
  return f;
}

/**
 * ToWebAssemblyValue for a value of reference type `t` (in canonical form, as runtime instances
 * keep it): null only for a nullable type; for a function reference type an exported function,
 * of an equivalent type when `t` names one; any other value for externref.
 */
export function toRefOfType(argument: string, t: number, v: unknown): unknown {
  if ((t & ~NON_NULL) === ValType.exnref) throw new InvalidArgumentTypeError(argument, "exnref values cannot cross the JavaScript boundary");
  if (v === null) {
    if (!isNullable(t)) throw new InvalidArgumentTypeError(argument, `null is not a value of the non-nullable type ${valTypeName(t)}`);
    return null;
  }
  if (!isFuncRefType(t)) return v;
  const f = toFuncRef(argument, v)!;
  if ((t & CONCRETE) !== 0 && f.sigId !== heapTypeOf(t)) throw new InvalidArgumentTypeError(argument, `the function's type does not match ${valTypeName(t)}`);
  return f;
}

/** ToJSValue for a funcref. */
export function fromFuncRef(v: unknown): unknown {
  return v === null || v === undefined ? null : exportedFunction(v as FuncInst);
}

installFuncConversions(exportedFunction, funcOfExported);
