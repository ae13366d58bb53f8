/**
 * pureflow's interpreter as a {@link SpecEngine}. Calls go through the raw entry points
 * (`invokeRaw`, `readGlobalRaw`) so floats are passed as bits, never as JS numbers.
 *
 * The interpreter is loaded with a dynamic import of `interpreter/index.js`, typed here by the
 * shape the harness needs ({@link OurNamespace}); `loadOurInterpreter` fails with a clear message
 * while that file does not exist yet.
 */
import type { ClassifiedError, EngineInstance, ImportDescriptor, ImportObject, JsApiNamespace, SpecEngine } from "./engine.js";
import { messageOf } from "./engine.js";
import type { RawValue } from "./values.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/** What the harness uses from `interpreter/index.ts`. */
export interface OurNamespace extends JsApiNamespace {
  readonly Module: (new (bytes: Uint8Array) => object) & { imports(m: object): ImportDescriptor[] };
  readonly Instance: new (module: object, imports?: ImportObject, options?: { store?: unknown }) => { readonly exports: Record<string, unknown> };
  readonly Store: new (options?: Record<string, unknown>) => OurStore;
  readonly CompileError: ErrorClass;
  readonly LinkError: ErrorClass;
  readonly RuntimeError: ErrorClass;
  /** `WebAssembly.Exception` (an uncaught wasm exception), when the interpreter has exception handling. */
  readonly Exception?: abstract new (...args: never[]) => object;
  readonly invokeRaw: (fn: unknown, args: readonly RawValue[]) => RawValue[];
  readonly readGlobalRaw: (g: unknown) => RawValue;
}

/** The fuel part of our Store. */
export interface OurStore {
  getFuel(): number;
  setFuel(n: number): void;
  readonly fuelConsumed: number;
}

let cached: OurNamespace | undefined;

/** Loads `interpreter/index.ts` (through tsx) once. */
export async function loadOurInterpreter(): Promise<OurNamespace> {
  if (cached !== undefined) return cached;
  const url = new URL("../../interpreter/index.js", import.meta.url).href;
  let ns: Record<string, unknown>;
  try {
    ns = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load our interpreter (${url}): ${messageOf(e)}`);
  }
  const missing = ["Module", "Instance", "Memory", "Table", "Global", "CompileError", "LinkError", "RuntimeError", "invokeRaw", "readGlobalRaw"].filter((k) => ns[k] === undefined);
  if (missing.length > 0) throw new Error(`interpreter/index.ts does not export: ${missing.join(", ")}`);
  cached = ns as unknown as OurNamespace;
  return cached;
}

/**
 * Our engine. `instanceOptions` go to every `new Instance`: an object (e.g. a shared store), or a
 * function called once per instance (e.g. a fresh store with a time limit per call).
 */
export class OurEngine implements SpecEngine {
  readonly name = "ours";
  readonly api: JsApiNamespace;
  constructor(
    readonly ns: OurNamespace,
    private readonly instanceOptions: { store?: unknown } | (() => { store?: unknown }) | undefined = undefined,
  ) {
    this.api = ns;
  }

  compile(bytes: Uint8Array): unknown {
    return new this.ns.Module(bytes);
  }

  imports(module: unknown): readonly ImportDescriptor[] {
    return this.ns.Module.imports(module as object);
  }

  instantiate(module: unknown, imports: ImportObject): EngineInstance {
    const o = typeof this.instanceOptions === "function" ? this.instanceOptions() : this.instanceOptions;
    const inst = o === undefined ? new this.ns.Instance(module as object, imports) : new this.ns.Instance(module as object, imports, o);
    return { exports: inst.exports };
  }

  invoke(inst: EngineInstance, field: string, args: readonly RawValue[]): RawValue[] {
    const fn = inst.exports[field];
    if (typeof fn !== "function") throw new Error(`export ${field} is not a function`);
    return this.ns.invokeRaw(fn, args);
  }

  getGlobal(inst: EngineInstance, field: string): RawValue {
    const g = inst.exports[field];
    if (g === undefined) throw new Error(`no export ${field}`);
    return this.ns.readGlobalRaw(g);
  }

  classify(e: unknown): ClassifiedError {
    const message = messageOf(e);
    if (e instanceof this.ns.CompileError) return { kind: "compile", trap: undefined, message };
    if (e instanceof this.ns.LinkError) return { kind: "link", trap: undefined, message };
    if (e instanceof this.ns.RuntimeError) {
      const trap = (e as { trap?: unknown }).trap;
      if (trap === "call-stack-exhausted") return { kind: "exhaustion", trap: String(trap), message };
      return { kind: "trap", trap: typeof trap === "string" ? trap : undefined, message };
    }
    if (this.ns.Exception !== undefined && e instanceof this.ns.Exception) return { kind: "exception", trap: undefined, message };
    return { kind: "other", trap: undefined, message };
  }
}
