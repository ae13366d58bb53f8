/**
 * Node's own `WebAssembly` as a {@link SpecEngine} (the oracle; allowed in tools and tests only).
 *
 * The JS API turns f32/f64 into JS numbers, which can change NaN payloads (an f32 signalling NaN
 * is quieted). So calls and global reads that involve floats go through a small generated wrapper
 * module that imports the target and reinterprets every float parameter/result as an integer of
 * the same width. Wasm-to-wasm imports of an exported function pass values without conversion.
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
  funcref: T.funcref,
  externref: T.externref,
};

function tb(t: string): number {
  const b = typeByte[t];
  if (b === undefined) throw new Error(`node engine: unsupported value type ${t}`);
  return b;
}

/** The integer type a float is reinterpreted as. */
function intOf(t: string): number {
  return t === "f32" ? T.i32 : t === "f64" ? T.i64 : tb(t);
}

/** Builds the call wrapper: (int-ified params) -> (int-ified results), calling import "m" "f". */
export function callWrapperBytes(params: readonly string[], results: readonly string[]): Uint8Array {
  const code: number[] = [];
  params.forEach((p, i) => {
    code.push(0x20, ...uleb(i));
    if (p === "f32") code.push(0xbe); // f32.reinterpret_i32
    else if (p === "f64") code.push(0xbf); // f64.reinterpret_i64
  });
  code.push(0x10, 0x00); // call 0
  for (let j = results.length - 1; j >= 0; j--) code.push(0x21, ...uleb(params.length + j));
  results.forEach((r, j) => {
    code.push(0x20, ...uleb(params.length + j));
    if (r === "f32") code.push(0xbc); // i32.reinterpret_f32
    else if (r === "f64") code.push(0xbd); // i64.reinterpret_f64
  });
  return bytes(
    HEADER,
    section(1, vec([funcType(params.map(tb), results.map(tb)), funcType(params.map(intOf), results.map(intOf))])),
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
  return bytes(
    HEADER,
    section(1, vec([funcType([], [intOf(t)])])),
    section(2, vec([[...name("m"), ...name("g"), 0x03, tb(t), mutable ? 1 : 0]])),
    section(3, vec([[0x00]])),
    section(7, vec([[...name("w"), 0x00, 0x00]])),
    section(10, vec([funcBody([], code)])),
  );
}

type WasmFn = (...args: unknown[]) => unknown;

/** Converts a raw argument to what the (wrapped) JS function expects. */
function argToJs(v: RawValue, t: string): unknown {
  if (t === "f64") return BigInt.asIntN(64, v as bigint);
  if (t === "f32") return (v as number) | 0;
  return v;
}

function resultFromJs(v: unknown, t: string): RawValue {
  if (t === "f32") return (v as number) >>> 0;
  if (t === "f64") return BigInt.asUintN(64, v as bigint);
  if (t === "i32") return (v as number) | 0;
  return v as RawValue;
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
    const needsWrap = paramTypes.some((t) => t === "f32" || t === "f64") || resultTypes.some((t) => t === "f32" || t === "f64");
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
    const jsArgs = args.map((a, i) => (needsWrap ? argToJs(a, paramTypes[i]) : a));
    const r = fn(...jsArgs);
    if (resultTypes.length === 0) return [];
    if (resultTypes.length === 1) return [resultFromJs(r, resultTypes[0])];
    const arr = r as unknown[];
    return resultTypes.map((t, i) => resultFromJs(arr[i], t));
  }

  getGlobal(inst: EngineInstance, field: string, type: string): RawValue {
    const g = inst.exports[field];
    if (!(g instanceof WebAssembly.Global)) throw new Error(`node engine: export ${field} is not a global`);
    if (type !== "f32" && type !== "f64") return resultFromJs(g.value, type);
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
        return resultFromJs(w(), type);
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
    return { kind: "other", trap: undefined, message };
  }
}
