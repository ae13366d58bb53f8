/**
 * Stub imports for instantiating a mutated core module: every imported function returns its
 * result types' zero values, and imported memories, tables and globals are created with exactly
 * the declared types. Declared sizes above the fuzzer's store limits are not created (the case
 * then stops after compilation, counted as `stub-unavailable`), so the stubs never allocate much.
 */
import { Global, Memory, Module, Table } from "../../interpreter/index.js";
import type { ValType } from "../../interpreter/decode/module.js";

/** Largest imported memory the stubs create, in pages. */
export const STUB_MAX_MEMORY_PAGES = 256;
/** Largest imported table the stubs create, in elements. */
export const STUB_MAX_TABLE_ELEMENTS = 100_000;

/** The zero value of a value type at the JS-API boundary. */
export function zeroOf(t: ValType): unknown {
  switch (t) {
    case 0x7e: return 0n;
    case 0x70: return null;
    case 0x6f: return null;
    default: return 0;
  }
}

const GLOBAL_TYPE_NAMES: Record<number, "i32" | "i64" | "f32" | "f64" | "funcref" | "externref"> = {
  0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x70: "funcref", 0x6f: "externref",
};

/** The import object, or a reason why the stubs cannot satisfy the module. */
export function stubImports(m: Module): { imports: Record<string, Record<string, unknown>> } | { unavailable: string } {
  const info = Module.info(m);
  const imports: Record<string, Record<string, unknown>> = Object.create(null) as Record<string, Record<string, unknown>>;
  for (const imp of info.imports) {
    const ns = (imports[imp.module] ??= Object.create(null) as Record<string, unknown>);
    const d = imp.desc;
    switch (d.kind) {
      case "func": {
        const ft = info.types[d.typeIndex];
        if (ft === undefined) return { unavailable: `function import of unknown type ${d.typeIndex}` };
        const results = ft.results.map(zeroOf);
        ns[imp.name] = results.length === 0 ? () => undefined : results.length === 1 ? () => results[0] : () => results.slice();
        break;
      }
      case "memory": {
        const { min, max } = d.type.limits;
        if (min > STUB_MAX_MEMORY_PAGES) return { unavailable: `imported memory of ${min} pages` };
        ns[imp.name] = new Memory(max === undefined ? { initial: min } : { initial: min, maximum: Math.min(max, 65536) });
        break;
      }
      case "table": {
        const { min, max } = d.type.limits;
        if (min > STUB_MAX_TABLE_ELEMENTS) return { unavailable: `imported table of ${min} elements` };
        const element = d.type.elemType === 0x70 ? "funcref" : "externref";
        ns[imp.name] = new Table(max === undefined ? { element, initial: min } : { element, initial: min, maximum: max });
        break;
      }
      case "global": {
        const value = GLOBAL_TYPE_NAMES[d.type.valType];
        if (value === undefined) return { unavailable: `global import of type 0x${d.type.valType.toString(16)}` };
        ns[imp.name] = new Global({ value, mutable: d.type.mutable }, zeroOf(d.type.valType));
        break;
      }
    }
  }
  return { imports };
}
