/**
 * The `spectest` host module the spec scripts import, built from an engine's JS-API classes:
 * functions print*, globals global_i32/i64/f32/f64 (666 / 666.6), table (funcref 10..20),
 * table64 (the same with the i64 address type), memory (1..2 pages).
 */
import type { JsApiNamespace } from "./engine.js";

export function makeSpectest(api: JsApiNamespace): Record<string, unknown> {
  const print = (): void => {};
  return {
    print,
    print_i32: print,
    print_i64: print,
    print_f32: print,
    print_f64: print,
    print_i32_f32: print,
    print_f64_f64: print,
    global_i32: new api.Global({ value: "i32", mutable: false }, 666),
    global_i64: new api.Global({ value: "i64", mutable: false }, 666n),
    global_f32: new api.Global({ value: "f32", mutable: false }, 666.6),
    global_f64: new api.Global({ value: "f64", mutable: false }, 666.6),
    table: new api.Table({ element: "anyfunc", initial: 10, maximum: 20 }),
    ...table64(api),
    memory: new api.Memory({ initial: 1, maximum: 2 }),
  };
}

/** `spectest.table64`, where the engine's Table takes the i64 address type (Node 20's does not). */
function table64(api: JsApiNamespace): Record<string, unknown> {
  try {
    return { table64: new api.Table({ element: "anyfunc", initial: 10n, maximum: 20n, address: "i64" } as never) };
  } catch {
    return {};
  }
}
