/**
 * Translated code is cached per (module, cost model): every instance of a module with the same
 * cost table shares one `CompiledModule`; presets ("wasmtime", "instructions") are shared objects.
 */
import type { ModuleInfo } from "../decode/module.js";
import type { CostModel } from "../runtime/costs.js";
import type { CompiledModule } from "./translator.js";
import { translateModule } from "./translator.js";

const cache = new WeakMap<ModuleInfo, Map<string, CompiledModule>>();

/** The translated code of `m` under `costs`, translating on first use. */
export function compiledFor(m: ModuleInfo, costs: CostModel): CompiledModule {
  let byCosts = cache.get(m);
  if (byCosts === undefined) {
    byCosts = new Map();
    cache.set(m, byCosts);
  }
  let c = byCosts.get(costs.key);
  if (c === undefined) {
    c = translateModule(m, costs);
    byCosts.set(costs.key, c);
  }
  return c;
}
