/**
 * A plain description of a compiled component for `inspect`: its imports and exports (export
 * types as WIT text) and its core modules (size, imports, exports).
 */
import type { Component } from "../../canonical-abi/index.js";

/** One core module of a component. */
export interface CoreModuleDescription {
  index: number;
  size: number;
  imports: string[];
  exports: string[];
}

/** What `inspect` prints about a component. */
export interface ComponentDescription {
  imports: string[];
  exports: string[];
  /** The exports rendered as WIT. */
  wit: string;
  coreModules: CoreModuleDescription[];
}

/** Describes `component` from what the component layer exposes. */
export function describeCompiled(component: Component): ComponentDescription {
  return {
    imports: [...component.imports.keys()],
    exports: [...component.exports.keys()],
    wit: component.toWit(),
    coreModules: component.coreModules.map((m, index) => ({
      index,
      size: m.size,
      imports: m.imports.map((i) => `${i.module} ${i.name} (${i.kind})`),
      exports: m.exports.map((e) => `${e.name} (${e.kind})`),
    })),
  };
}
