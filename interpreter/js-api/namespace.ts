/**
 * The namespace functions of the JS API (`validate`, `compile`, `instantiate`, and the Web API's
 * `compileStreaming` / `instantiateStreaming`) and the `WebAssembly` namespace object itself.
 *
 * Timing follows the specification: argument conversion and the copy of the bytes happen
 * synchronously (a bad argument gives a rejected promise, never a throw); compilation and
 * instantiation run in a later task; "read the imports" happens before instantiation is queued,
 * so import getters run in the spec's order.
 */
import { CompileError as CompileErrorClass } from "../errors.js";
import type { ModuleInfo } from "../decode/module.js";
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import { CompileError, LinkError, RuntimeError } from "./errors.js";
import { Global } from "./global.js";
import { Exception, jsTag, Tag } from "./exception.js";
import { Instance, instanceFromRuntime, instantiateResolved, readImports } from "./instance.js";
import type { InstanceOptions } from "./instance.js";
import { Memory } from "./memory.js";
import { compileBytes, Module, moduleFromInfo, moduleInfoOf } from "./module.js";
import { Table } from "./table.js";
import { bufferSourceCopy, requireArgs } from "./webidl.js";

/** The result of {@link instantiate} given bytes. */
export interface WebAssemblyInstantiatedSource {
  module: Module;
  instance: Instance;
}

/** Runs `f` in a later task (a macrotask where the host has timers). */
function inTask<T>(f: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const run = (): void => {
      try {
        resolve(f());
      } catch (e) {
        reject(e);
      }
    };
    if (typeof setTimeout === "function") setTimeout(run, 0);
    else void Promise.resolve().then(run);
  });
}

/** Whether `bytes` decode and validate as a module (`WebAssembly.validate`). @throws TypeError for a non-BufferSource */
export function validate(bytes: ArrayBuffer | ArrayBufferView): boolean {
  const copy = bufferSourceCopy("bytes", bytes);
  try {
    compileBytes(copy);
    return true;
  } catch (e) {
    if (e instanceof CompileErrorClass) return false;
    throw e;
  }
}

function compileCopy(copy: Uint8Array): Promise<ModuleInfo> {
  return inTask(() => compileBytes(copy));
}

/** `WebAssembly.compile`: a promise of the decoded and validated module. */
export function compile(bytes: ArrayBuffer | ArrayBufferView): Promise<Module> {
  let copy: Uint8Array;
  try {
    copy = bufferSourceCopy("bytes", bytes);
  } catch (e) {
    return Promise.reject(e);
  }
  return compileCopy(copy).then(moduleFromInfo);
}

/** "instantiate a promise of a module": read the imports now, instantiate in a later task. */
function instantiateInfo(info: ModuleInfo, importObject: unknown, options: InstanceOptions | undefined): Promise<Instance> {
  let imports;
  try {
    imports = readImports(info, importObject);
  } catch (e) {
    return Promise.reject(e);
  }
  return inTask(() => instanceFromRuntime(instantiateResolved(info, imports, options)));
}

/**
 * `WebAssembly.instantiate`: given bytes, a promise of `{ module, instance }`; given a `Module`,
 * a promise of the `Instance`. `options` (store, initialize) extends the JS API.
 */
export function instantiate(source: Module, importObject?: object, options?: InstanceOptions): Promise<Instance>;
export function instantiate(source: ArrayBuffer | ArrayBufferView, importObject?: object, options?: InstanceOptions): Promise<WebAssemblyInstantiatedSource>;
export function instantiate(source: unknown, importObject?: unknown, options?: InstanceOptions): Promise<Instance | WebAssemblyInstantiatedSource> {
  const known = moduleInfoOf(source);
  if (known !== undefined) return instantiateInfo(known, importObject, options);
  let copy: Uint8Array;
  try {
    copy = bufferSourceCopy("source", source);
  } catch (e) {
    return Promise.reject(e);
  }
  return compileCopy(copy).then((info) => instantiateInfo(info, importObject, options).then((instance) => ({ module: moduleFromInfo(info), instance })));
}

/** The parts of a fetch `Response` the streaming functions use. */
interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly bodyUsed: boolean;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The bytes of a `Response` (or a promise of one), checked as the Web API's streaming functions do. */
async function responseBytes(source: unknown): Promise<ArrayBuffer> {
  const r: unknown = await source;
  const R = (globalThis as { Response?: abstract new (...a: never[]) => unknown }).Response;
  if (R === undefined || !(r instanceof R)) throw new InvalidArgumentTypeError("source", `must be a Response or a promise of one, got ${describeValue(r)}`);
  const resp = r as ResponseLike;
  const type = (resp.headers.get("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/wasm") throw new InvalidArgumentTypeError("source", `the response's MIME type must be application/wasm, got ${JSON.stringify(type)}${resp.url ? ` (${resp.url})` : ""}`);
  if (!resp.ok) throw new InvalidArgumentTypeError("source", `the response's status is ${resp.status}, not ok${resp.url ? ` (${resp.url})` : ""}`);
  if (resp.bodyUsed) throw new InvalidArgumentTypeError("source", "the response's body was already used");
  return resp.arrayBuffer();
}

/** `WebAssembly.compileStreaming`: compiles the body of a `Response` (or a promise of one). */
export function compileStreaming(source: unknown): Promise<Module> {
  return responseBytes(source).then((b) => compile(b));
}

/** `WebAssembly.instantiateStreaming`: compiles and instantiates the body of a `Response` (or a promise of one). */
export function instantiateStreaming(source: unknown, importObject?: object, options?: InstanceOptions): Promise<WebAssemblyInstantiatedSource> {
  return responseBytes(source).then((b) => instantiate(b as ArrayBuffer, importObject, options));
}

/** The shape of the `WebAssembly` namespace object. */
export interface WebAssemblyNamespace {
  readonly Module: typeof Module;
  readonly Instance: typeof Instance;
  readonly Memory: typeof Memory;
  readonly Table: typeof Table;
  readonly Global: typeof Global;
  readonly Tag: typeof Tag;
  readonly Exception: typeof Exception;
  /** The Tag object of the JavaScript exception tag. */
  readonly JSTag: Tag;
  readonly CompileError: typeof CompileError;
  readonly LinkError: typeof LinkError;
  readonly RuntimeError: typeof RuntimeError;
  validate(bytes: ArrayBuffer | ArrayBufferView): boolean;
  compile(bytes: ArrayBuffer | ArrayBufferView): Promise<Module>;
  instantiate: typeof instantiate;
  compileStreaming(source: unknown): Promise<Module>;
  instantiateStreaming(source: unknown, importObject?: object): Promise<WebAssemblyInstantiatedSource>;
}

/** Builds a fresh `WebAssembly` namespace object (an ordinary object, as the JS API defines it). */
export function createWebAssemblyNamespace(): WebAssemblyNamespace {
  const ns = {};
  const interfaces = { Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError };
  for (const [k, v] of Object.entries(interfaces)) Object.defineProperty(ns, k, { value: v, writable: true, enumerable: false, configurable: true });
  // `readonly attribute Tag JSTag` of the namespace: an accessor
  Object.defineProperty(ns, "JSTag", { get: function JSTag() { return jsTag(); }, enumerable: true, configurable: true });
  // methods of an object literal: named, not constructors, lengths as the JS API says
  const ops = {
    validate(bytes: ArrayBuffer | ArrayBufferView): boolean {
      requireArgs("WebAssembly.validate", arguments.length, 1);
      return validate(bytes);
    },
    compile(bytes: ArrayBuffer | ArrayBufferView): Promise<Module> {
      return compile(bytes);
    },
    instantiate(source: unknown, ...rest: unknown[]): Promise<unknown> {
      return instantiate(source as Module, rest[0] as object, rest[1] as InstanceOptions);
    },
    compileStreaming(source: unknown): Promise<Module> {
      return compileStreaming(source);
    },
    instantiateStreaming(source: unknown, ...rest: unknown[]): Promise<WebAssemblyInstantiatedSource> {
      return instantiateStreaming(source, rest[0] as object, rest[1] as InstanceOptions);
    },
  };
  for (const [k, v] of Object.entries(ops)) Object.defineProperty(ns, k, { value: v, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(ns, Symbol.toStringTag, { value: "WebAssembly", writable: false, enumerable: false, configurable: true });
  return ns as WebAssemblyNamespace;
}
