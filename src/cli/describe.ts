/**
 * Plain descriptions of WebAssembly binaries for `inspect`: a component's imports and exports
 * with their types as WIT, and its core modules; a core module's imports and exports with their
 * types in the text format's notation (`(func (param i32) (result i32))`, `(memory 1 16)`,
 * `(table 1 funcref)`, `(global (mut i32))`).
 */
import { Module, typeName } from "../../interpreter/index.js";
import { renderExternsAsWit, type Component, type ExternType } from "../../canonical-abi/index.js";

/** One import or export with its type. */
export interface ItemDescription {
  /** The name; for a core import `module` and `name` are separate. */
  name: string;
  /** For core imports: the module name. */
  module?: string;
  /** `func`, `instance`, `type`, `component`, `module` (components); `func`, `table`, `memory`, `global` (core). */
  kind: string;
  /** The type: WIT for a component item, text-format notation for a core item. */
  type: string;
}

/** One core module inside a component. */
export interface CoreModuleDescription {
  index: number;
  size: number;
  imports: { module: string; name: string; kind: string }[];
  exports: { name: string; kind: string }[];
}

/** What `inspect` knows about a component. */
export interface ComponentDescription {
  imports: ItemDescription[];
  exports: ItemDescription[];
  /** The exports rendered as WIT. */
  wit: string;
  coreModules: CoreModuleDescription[];
}

/** What `inspect` knows about a core module. */
export interface CoreModuleFullDescription {
  imports: ItemDescription[];
  exports: ItemDescription[];
  /** Index of the start function, if any. */
  start?: number;
  /** Number of functions defined (not imported). */
  definedFunctions: number;
}

function externItem(name: string, et: ExternType, keyword: "import" | "export"): ItemDescription {
  const text = renderExternsAsWit(new Map([[name, et]]), keyword);
  // `export name: <type>` (possibly over several lines): keep the type only
  const prefix = `${keyword} ${name}: `;
  const type = (text.startsWith(prefix) ? text.slice(prefix.length) : text).replace(/;$/, "");
  return { name, kind: et.kind, type };
}

/** Describes `component` from what the component layer exposes. */
export function describeComponent(component: Component): ComponentDescription {
  return {
    imports: [...component.imports].map(([n, t]) => externItem(n, t, "import")),
    exports: [...component.exports].map(([n, t]) => externItem(n, t, "export")),
    wit: component.toWit(),
    coreModules: component.coreModules.map((m, index) => ({
      index,
      size: m.size,
      imports: m.imports.map((i) => ({ module: i.module, name: i.name, kind: i.kind })),
      exports: m.exports.map((e) => ({ name: e.name, kind: e.kind })),
    })),
  };
}

type ModuleInfo = ReturnType<typeof Module.info>;
type FuncType = ModuleInfo["types"][number];
type Limits = ModuleInfo["memories"][number]["limits"];

/** A value type in the text format's words (`i32`, `funcref`, `(ref null 3)`, ...). */
function valType(t: number): string {
  return typeName(t);
}

function funcText(t: FuncType | undefined): string {
  if (t === undefined) return "(func)";
  const params = t.params.length > 0 ? ` (param ${t.params.map(valType).join(" ")})` : "";
  const results = t.results.length > 0 ? ` (result ${t.results.map(valType).join(" ")})` : "";
  return `(func${params}${results})`;
}

function limitsText(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

/** Describes a core module (decoded and validated by the interpreter). */
export function describeCoreModule(module: Module): CoreModuleFullDescription {
  const info = Module.info(module);
  const funcTypes: (FuncType | undefined)[] = [];
  const tables: string[] = [];
  const memories: string[] = [];
  const globals: string[] = [];
  const tags: string[] = [];
  const imports: ItemDescription[] = info.imports.map((i) => {
    let type: string;
    switch (i.desc.kind) {
      case "func":
        funcTypes.push(info.types[i.desc.typeIndex]);
        type = funcText(info.types[i.desc.typeIndex]);
        break;
      case "table":
        type = `(table ${limitsText(i.desc.type.limits)} ${valType(i.desc.type.elemType)})`;
        tables.push(type);
        break;
      case "memory":
        type = `(memory ${limitsText(i.desc.type.limits)})`;
        memories.push(type);
        break;
      case "global":
        type = `(global ${i.desc.type.mutable ? `(mut ${valType(i.desc.type.valType)})` : valType(i.desc.type.valType)})`;
        globals.push(type);
        break;
      case "tag":
        type = `(tag ${funcText(info.types[i.desc.typeIndex])})`;
        tags.push(type);
        break;
    }
    return { module: i.module, name: i.name, kind: i.desc.kind, type };
  });
  for (const ti of info.funcs) funcTypes.push(info.types[ti]);
  for (const t of info.tables) tables.push(`(table ${limitsText(t.limits)} ${valType(t.elemType)})`);
  for (const m of info.memories) memories.push(`(memory ${limitsText(m.limits)})`);
  for (const t of info.tags) tags.push(`(tag ${funcText(info.types[t])})`);
  for (const g of info.globals) globals.push(`(global ${g.type.mutable ? `(mut ${valType(g.type.valType)})` : valType(g.type.valType)})`);
  const exports: ItemDescription[] = info.exports.map((e) => {
    const space = e.kind === "func" ? funcTypes.map(funcText) : e.kind === "table" ? tables : e.kind === "memory" ? memories : e.kind === "tag" ? tags : globals;
    return { name: e.name, kind: e.kind, type: space[e.index] ?? "?" };
  });
  const out: CoreModuleFullDescription = { imports, exports, definedFunctions: info.funcs.length };
  if (info.start !== undefined) out.start = info.start;
  return out;
}
