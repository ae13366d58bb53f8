/**
 * Translated code is cached per (module, cost model): every instance of a module with the same
 * cost table shares one `CompiledModule`; presets ("wasmtime", "instructions") are shared objects.
 * Its functions are translated on their first call (`translateFunction`), so creating it is cheap.
 */
import type { ModuleInfo } from "../decode/module.js";
import type { CostModel } from "../runtime/costs.js";
import type { CompiledModule } from "./translator.js";
import { createCompiledModule } from "./translator.js";

const cache = new WeakMap<ModuleInfo, Map<string, CompiledModule>>();

/** The (lazily) translated code of `m` under `costs`, NaN-canonicalising when `canonicalizeNaNs`. */
export function compiledFor(m: ModuleInfo, costs: CostModel, canonicalizeNaNs = false): CompiledModule {
  let byCosts = cache.get(m);
  if (byCosts === undefined) {
    byCosts = new Map();
    cache.set(m, byCosts);
  }
  const key = canonicalizeNaNs ? `${costs.key}|canonical-nan` : costs.key;
  let c = byCosts.get(key);
  if (c === undefined) {
    c = createCompiledModule(m, costs, canonicalizeNaNs);
    byCosts.set(key, c);
  }
  return c;
}
