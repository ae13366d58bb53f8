/**
 * Node's own `WebAssembly` as a {@link SpecEngine} (the oracle; allowed in tools and tests only).
 *
 * The JS API turns f32/f64 into JS numbers, which can change NaN payloads (an f32 signalling NaN
 * is quieted). So calls and global reads that involve floats go through a small generated wrapper
 * module that imports the target and reinterprets every float parameter/result as an integer of
 * the same width; a v128 (which the JS API cannot pass at all) travels as two i64 halves, low
 * first. Wasm-to-wasm imports of an exported function pass values without conversion.
 */
import { HEADER, T, bytes, funcBody, funcType, name, section, uleb, vec } from "./wasm-encode.js";
import type { ClassifiedError, EngineInstance, ImportDescriptor, ImportObject, JsApiNamespace, SpecEngine } from "./engine.js";
import { messageOf } from "./engine.js";
import type { RawValue } from "./values.js";

const typeByte: Record<string, number> = {
  i32: T.i32,
  i64: T.i64,
  f32: T.f32,
  f64: T.f64,
  v128: T.v128,
  funcref: T.funcref,
  externref: T.externref,
};

function tb(t: string): number {
  const b = typeByte[t];
  if (b === undefined) throw new Error(`node engine: unsupported value type ${t}`);
  return b;
}

/** The integer types a value travels as through the wrapper (a float reinterpreted, a v128 as two i64). */
function intsOf(t: string): number[] {
  return t === "f32" ? [T.i32] : t === "f64" ? [T.i64] : t === "v128" ? [T.i64, T.i64] : [tb(t)];
}

/** Whether calls or global reads with a value of type `t` need a wrapper module. */
function needsWrapper(t: string): boolean {
  return t === "f32" || t === "f64" || t === "v128";
}

/** Builds the call wrapper: (int-ified params) -> (int-ified results), calling import "m" "f". */
export function callWrapperBytes(params: readonly string[], results: readonly string[]): Uint8Array {
  const code: number[] = [];
  let w = 0; // wrapper parameter index
  for (const p of params) {
    code.push(0x20, ...uleb(w++));
    if (p === "f32") code.push(0xbe); // f32.reinterpret_i32
    else if (p === "f64") code.push(0xbf); // f64.reinterpret_i64
    else if (p === "v128") code.push(0xfd, 0x12, 0x20, ...uleb(w++), 0xfd, 0x1e, 0x01); // i64x2.splat lo; i64x2.replace_lane 1 hi
  }
  code.push(0x10, 0x00); // call 0
  for (let j = results.length - 1; j >= 0; j--) code.push(0x21, ...uleb(w + j));
  results.forEach((r, j) => {
    code.push(0x20, ...uleb(w + j));
    if (r === "f32") code.push(0xbc); // i32.reinterpret_f32
    else if (r === "f64") code.push(0xbd); // i64.reinterpret_f64
    else if (r === "v128") code.push(0xfd, 0x1d, 0x00, 0x20, ...uleb(w + j), 0xfd, 0x1d, 0x01); // i64x2.extract_lane 0, 1
  });
  return bytes(
    HEADER,
    section(1, vec([funcType(params.map(tb), results.map(tb)), funcType(params.flatMap(intsOf), results.flatMap(intsOf))])),
    section(2, vec([[...name("m"), ...name("f"), 0x00, 0x00]])),
    section(3, vec([[0x01]])),
    section(7, vec([[...name("w"), 0x00, 0x01]])),
    section(10, vec([funcBody(results.map(tb), code)])),
  );
}

/** Builds the global reader: import global "m" "g" of type t, export "w" returning its bits. */
export function globalWrapperBytes(t: string, mutable: boolean): Uint8Array {
  const code = [0x23, 0x00];
  if (t === "f32") code.push(0xbc);
  else if (t === "f64") code.push(0xbd);
  else if (t === "v128") code.push(0xfd, 0x1d, 0x00, 0x23, 0x00, 0xfd, 0x1d, 0x01);
  return bytes(
    HEADER,
    section(1, vec([funcType([], intsOf(t))])),
    section(2, vec([[...name("m"), ...name("g"), 0x03, tb(t), mutable ? 1 : 0]])),
    section(3, vec([[0x00]])),
    section(7, vec([[...name("w"), 0x00, 0x00]])),
    section(10, vec([funcBody([], code)])),
  );
}

type WasmFn = (...args: unknown[]) => unknown;

/** Converts a raw argument to what the (wrapped) JS function expects (a v128: two values). */
function argToJs(v: RawValue, t: string): unknown[] {
  if (t === "f64") return [BigInt.asIntN(64, v as bigint)];
  if (t === "f32") return [(v as number) | 0];
  if (t === "v128") {
    const b = BigInt.asUintN(128, BigInt(v as bigint));
    return [BigInt.asIntN(64, b), BigInt.asIntN(64, b >> 64n)];
  }
  return [v];
}

/** Converts the wrapper's result values `vs` (from index `at`) of a value of type `t`; returns [value, next index]. */
function resultFromJs(vs: readonly unknown[], at: number, t: string): [RawValue, number] {
  const v = vs[at];
  if (t === "f32") return [(v as number) >>> 0, at + 1];
  if (t === "f64") return [BigInt.asUintN(64, v as bigint), at + 1];
  if (t === "i32") return [(v as number) | 0, at + 1];
  if (t === "v128") return [(BigInt.asUintN(64, vs[at + 1] as bigint) << 64n) | BigInt.asUintN(64, v as bigint), at + 2];
  return [v as RawValue, at + 1];
}

/** All results of a call: the JS value(s) returned by the (wrapped) function, converted. */
function resultsFromJs(r: unknown, types: readonly string[]): RawValue[] {
  const n = types.reduce((k, t) => k + (t === "v128" ? 2 : 1), 0);
  const vs = n === 0 ? [] : n === 1 ? [r] : (r as unknown[]);
  const out: RawValue[] = [];
  let at = 0;
  for (const t of types) {
    const [v, next] = resultFromJs(vs, at, t);
    out.push(v);
    at = next;
  }
  return out;
}

/** Node's engine. Wrapper modules are compiled once per signature and cached. */
export class NodeEngine implements SpecEngine {
  readonly name = "node";
  readonly api: JsApiNamespace = WebAssembly as unknown as JsApiNamespace;
  private readonly callWrappers = new Map<string, WebAssembly.Module>();
  private readonly globalWrappers = new Map<string, WebAssembly.Module>();

  compile(b: Uint8Array): unknown {
    return new WebAssembly.Module(b as Uint8Array<ArrayBuffer>);
  }

  imports(module: unknown): readonly ImportDescriptor[] {
    return WebAssembly.Module.imports(module as WebAssembly.Module);
  }

  instantiate(module: unknown, imports: ImportObject): EngineInstance {
    const inst = new WebAssembly.Instance(module as WebAssembly.Module, imports as WebAssembly.Imports);
    return { exports: inst.exports as Record<string, unknown> };
  }

  invoke(inst: EngineInstance, field: string, args: readonly RawValue[], paramTypes: readonly string[], resultTypes: readonly string[]): RawValue[] {
    const target = inst.exports[field];
    if (typeof target !== "function") throw new Error(`node engine: export ${field} is not a function`);
    const needsWrap = paramTypes.some(needsWrapper) || resultTypes.some(needsWrapper);
    let fn = target as WasmFn;
    if (needsWrap) {
      const key = paramTypes.join(",") + "->" + resultTypes.join(",");
      let m = this.callWrappers.get(key);
      if (m === undefined) {
        m = new WebAssembly.Module(callWrapperBytes(paramTypes, resultTypes) as Uint8Array<ArrayBuffer>);
        this.callWrappers.set(key, m);
      }
      fn = new WebAssembly.Instance(m, { m: { f: target as WasmFn } }).exports.w as WasmFn;
    }
    const jsArgs = needsWrap ? args.flatMap((a, i) => argToJs(a, paramTypes[i])) : args;
    const r = fn(...jsArgs);
    return resultsFromJs(r, resultTypes);
  }

  getGlobal(inst: EngineInstance, field: string, type: string): RawValue {
    const g = inst.exports[field];
    if (!(g instanceof WebAssembly.Global)) throw new Error(`node engine: export ${field} is not a global`);
    if (!needsWrapper(type)) return resultsFromJs(g.value, [type])[0];
    // The global's mutability is not visible through the JS API: try both import types.
    for (const mutable of [false, true]) {
      const key = `${type}/${mutable}`;
      let m = this.globalWrappers.get(key);
      if (m === undefined) {
        m = new WebAssembly.Module(globalWrapperBytes(type, mutable) as Uint8Array<ArrayBuffer>);
        this.globalWrappers.set(key, m);
      }
      try {
        const w = new WebAssembly.Instance(m, { m: { g } }).exports.w as WasmFn;
        return resultsFromJs(w(), [type])[0];
      } catch (e) {
        if (!(e instanceof WebAssembly.LinkError)) throw e;
      }
    }
    throw new Error(`node engine: cannot read global ${field} as ${type}`);
  }

  classify(e: unknown): ClassifiedError {
    const message = messageOf(e);
    if (e instanceof WebAssembly.CompileError) return { kind: "compile", trap: undefined, message };
    if (e instanceof WebAssembly.LinkError) return { kind: "link", trap: undefined, message };
    if (e instanceof WebAssembly.RuntimeError) return { kind: "trap", trap: undefined, message };
    if (e instanceof RangeError && /call stack/i.test(e.message)) return { kind: "exhaustion", trap: undefined, message };
    const Exc = (WebAssembly as unknown as { Exception?: abstract new (...a: never[]) => object }).Exception;
    if (Exc !== undefined && e instanceof Exc) return { kind: "exception", trap: undefined, message };
    return { kind: "other", trap: undefined, message };
  }
}
