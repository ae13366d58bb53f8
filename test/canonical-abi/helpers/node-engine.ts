/**
 * Test helper: a `CoreEngine` running core modules on Node's own WebAssembly (an oracle engine
 * for tests only; library code never touches `WebAssembly`). `callAsync` just awaits the sync
 * call, so the async path of the ABI can be exercised without our interpreter.
 */
import type { CoreEngine } from "../../../canonical-abi/link/engine.js";
import { resultsArray } from "../../../canonical-abi/link/engine.js";
import type { CoreValue } from "../../../canonical-abi/abi/context.js";

export const nodeEngine: CoreEngine<WebAssembly.Module> = {
  compile: (bytes) => new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>),
  instantiate: (module, imports) => new WebAssembly.Instance(module, imports as WebAssembly.Imports).exports as Record<string, unknown>,
  call: (func, args) => resultsArray((func as (...a: CoreValue[]) => unknown)(...args)),
  callAsync: async (func, args) => resultsArray((func as (...a: CoreValue[]) => unknown)(...args)),
};
