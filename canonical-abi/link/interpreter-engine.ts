/**
 * The library's core engine: our interpreter, used only through its public door
 * `interpreter/index.ts` (`Module`, `Instance`, `Store`, `callAsync`). Exported functions take
 * and return JS-API values (i64 as bigint); `callAsync` runs the guest in slices so timers and
 * aborts get to run.
 */
import { call, callAsync, Instance, Module, Store } from "../../interpreter/index.js";
import { argumentError } from "../arguments.js";
import type { CoreValue } from "../abi/context.js";
import { resultsArray, type CoreEngine } from "./engine.js";

type ExportedFunction = (...args: never[]) => unknown;

/** Our interpreter as a {@link CoreEngine}. */
export const interpreterEngine: CoreEngine<Module, Store> = {
  compile(bytes: Uint8Array): Module {
    return new Module(bytes as Uint8Array<ArrayBuffer>);
  },
  instantiate(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined): Record<string, unknown> {
    // `instantiateComponent(c, { store })` hands the caller's value through unchecked: refuse anything but a Store
    if (store !== undefined && !(store instanceof Store)) throw argumentError("options.store", "an interpreter Store (from `interpreter/index.js`) or undefined", store);
    return new Instance(module, imports, store === undefined ? undefined : { store }).exports;
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
