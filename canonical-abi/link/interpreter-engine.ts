/**
 * The library's core engine: our interpreter, used only through its public door
 * `interpreter/index.ts` (`Module`, `Instance`, `Store`, `callAsync`). Exported functions take
 * and return JS-API values (i64 as bigint); `callAsync` runs the guest in slices so timers and
 * aborts get to run.
 */
import { call, callAsync, Instance, Module, restoreInstances, snapshotInstances, Store, type InstanceSnapshot } from "../../interpreter/index.js";
import { argumentError } from "../arguments.js";
import type { CoreValue } from "../abi/context.js";
import { resultsArray, type CoreEngine } from "./engine.js";

type ExportedFunction = (...args: never[]) => unknown;

/** The instance behind each exports object this engine made (for snapshots). */
const instanceOfExports = new WeakMap<object, Instance>();

function instantiateWith(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined, initialize: boolean): Record<string, unknown> {
  // `instantiateComponent(c, { store })` hands the caller's value through unchecked: refuse anything but a Store
  if (store !== undefined && !(store instanceof Store)) throw argumentError("options.store", "an interpreter Store (from `interpreter/index.js`) or undefined", store);
  const instance = new Instance(module, imports, store === undefined ? { initialize } : { store, initialize });
  instanceOfExports.set(instance.exports, instance);
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
  compile(bytes: Uint8Array): Module {
    return new Module(bytes as Uint8Array<ArrayBuffer>);
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
