/**
 * The library's core engine: our interpreter, used only through its public door
 * `interpreter/index.ts` (`Module`, `Instance`, `Store`, `callAsync`). Exported functions take
 * and return JS-API values (i64 as bigint); `callAsync` runs the guest in slices so timers and
 * aborts get to run.
 */
import {
  call, callAsync, callResumable, captureCallSnapshot, Instance, Memory, memoryBytes, Module, restoreCallSnapshot, restoreInstances, snapshotInstances, Store,
  type InstanceSnapshot, type ResumableCall,
} from "../../interpreter/index.js";
import { argumentError } from "../arguments.js";
import type { CoreValue } from "../abi/context.js";
import { resultsArray, type CoreEngine, type CoreResumableCall } from "./engine.js";

type ExportedFunction = (...args: never[]) => unknown;

/** The instance behind each exports object this engine made (for snapshots). */
const instanceOfExports = new WeakMap<object, Instance>();
/** The module of each instance this engine made. */
const moduleOfInstance = new WeakMap<Instance, Module>();

/** The bytes each module was compiled from (execution snapshots name modules by their sha256). */
const bytesOfModule = new WeakMap<Module, Uint8Array>();

/** A resumable interpreter call seen through {@link CoreResumableCall}. */
class InterpreterResumableCall implements CoreResumableCall {
  constructor(readonly call: ResumableCall) {}
  get state(): "finished" | "out-of-fuel" {
    return this.call.state;
  }
  get results(): readonly CoreValue[] {
    return resultsArray(this.call.results);
  }
  resume(): void {
    this.call.resume();
  }
}

function groupOf(exports: readonly Record<string, unknown>[]): { instances: Instance[]; bytes: Uint8Array[] } {
  const instances = instancesOf(exports);
  return { instances, bytes: instances.map((i) => bytesOfModule.get(moduleOfInstance.get(i)!)!) };
}

function instantiateWith(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined, initialize: boolean): Record<string, unknown> {
  // `instantiateComponent(c, { store })` hands the caller's value through unchecked: refuse anything but a Store
  if (store !== undefined && !(store instanceof Store)) throw argumentError("options.store", "an interpreter Store (from `interpreter/index.js`) or undefined", store);
  const instance = new Instance(module, imports, store === undefined ? { initialize } : { store, initialize });
  instanceOfExports.set(instance.exports, instance);
  moduleOfInstance.set(instance, module);
  return instance.exports;
}

function instancesOf(exports: readonly Record<string, unknown>[]): Instance[] {
  return exports.map((e, i) => {
    const inst = instanceOfExports.get(e);
    if (inst === undefined) throw argumentError(`instances[${i}]`, "the exports of a core instance made by this engine", e);
    return inst;
  });
}

/** Our interpreter as a {@link CoreEngine}. */
export const interpreterEngine: CoreEngine<Module, Store> = {
  memoryBytes(memory: unknown): (() => Uint8Array) | undefined {
    return memory instanceof Memory ? () => memoryBytes(memory) : undefined;
  },
  compile(bytes: Uint8Array): Module {
    const module = new Module(bytes as Uint8Array<ArrayBuffer>);
    bytesOfModule.set(module, bytes);
    return module;
  },
  instantiate(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined): Record<string, unknown> {
    return instantiateWith(module, imports, store, true);
  },
  instantiateUninitialized(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined): Record<string, unknown> {
    return instantiateWith(module, imports, store, false);
  },
  snapshot(instances: readonly Record<string, unknown>[]): unknown {
    return snapshotInstances(instancesOf(instances));
  },
  restore(instances: readonly Record<string, unknown>[], snapshot: unknown): void {
    restoreInstances(instancesOf(instances), snapshot as InstanceSnapshot);
  },
  callResumable(func: unknown, args: readonly CoreValue[]): CoreResumableCall {
    return new InterpreterResumableCall(callResumable(func as ExportedFunction, args));
  },
  captureCall(c: CoreResumableCall, instances: readonly Record<string, unknown>[]): Uint8Array {
    if (!(c instanceof InterpreterResumableCall)) throw argumentError("call", "a resumable call made by this engine", c);
    const g = groupOf(instances);
    return captureCallSnapshot(c.call, g.instances, g.bytes);
  },
  restoreCall(bytes: Uint8Array, instances: readonly Record<string, unknown>[], func: unknown): CoreResumableCall {
    const g = groupOf(instances);
    return new InterpreterResumableCall(restoreCallSnapshot(bytes, g.instances, g.bytes, func as ExportedFunction));
  },
  call(func: unknown, args: readonly CoreValue[], options?: { readonly signal?: AbortSignal }): CoreValue[] {
    if (options?.signal !== undefined) return resultsArray(call(func as ExportedFunction, args, { cancellation: { signal: options.signal } }));
    return resultsArray((func as (...a: readonly CoreValue[]) => unknown)(...args));
  },
  async callAsync(func: unknown, args: readonly CoreValue[], options): Promise<CoreValue[]> {
    const opts: { signal?: AbortSignal; sliceSteps?: number } = {};
    if (options.signal !== undefined) opts.signal = options.signal;
    if (options.sliceSteps !== undefined) opts.sliceSteps = options.sliceSteps;
    return resultsArray(await callAsync(func as ExportedFunction, args, opts));
  },
};
