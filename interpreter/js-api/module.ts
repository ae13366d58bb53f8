/**
 * `WebAssembly.Module`: decodes and validates a copy of the bytes (`../decode`, `../validate`);
 * `Module.exports`, `Module.imports`, `Module.customSections` describe it.
 */
import type { ModuleInfo } from "../decode/module.js";
import { decodeAndValidate } from "../validate/index.js";
import { bufferSourceCopy, finishInterface, notA, requireArgs, toDOMString } from "./webidl.js";

/** `Module.exports` / `Module.imports` entry kinds, as in the JS API. */
export type ImportExportKind = "function" | "table" | "memory" | "global" | "tag";

/** An import of a module, as `Module.imports` lists it. */
export interface ModuleImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: ImportExportKind;
}

/** An export of a module, as `Module.exports` lists it. */
export interface ModuleExportDescriptor {
  readonly name: string;
  readonly kind: ImportExportKind;
}

const KIND: Record<string, ImportExportKind> = { func: "function", table: "table", memory: "memory", global: "global", tag: "tag" };
const infos = new WeakMap<object, ModuleInfo>();

/** Decodes and validates `bytes` (already a private copy). @throws CompileError */
export function compileBytes(bytes: Uint8Array): ModuleInfo {
  // One pass over the function bodies (decoded and validated together); the bytes must not
  // change afterwards, as bodies are decoded again on first call: they are a private copy here.
  return decodeAndValidate(bytes);
}

/** The decoded module behind a Module object, or undefined. */
export function moduleInfoOf(v: unknown): ModuleInfo | undefined {
  return typeof v === "object" && v !== null ? infos.get(v) : undefined;
}

/** The decoded module behind `m`, or a TypeError naming `argument`. */
export function moduleInfo(argument: string, m: unknown): ModuleInfo {
  return moduleInfoOf(m) ?? notA("Module", argument, m);
}

/** A Module object for an already compiled module. */
export function moduleFromInfo(info: ModuleInfo): Module {
  const o = Object.create(Module.prototype) as Module;
  infos.set(o, info);
  return o;
}

/** A decoded and validated module (`WebAssembly.Module`). */
export class Module {
  /** Makes the class nominal for TypeScript (a byte buffer is not a Module). */
  readonly #brand = true;
  /** Decodes and validates a copy of `bytes`. @throws TypeError (not a BufferSource), CompileError */
  constructor(bytes: ArrayBuffer | ArrayBufferView) {
    requireArgs("WebAssembly.Module", arguments.length, 1);
    infos.set(this, compileBytes(bufferSourceCopy("bytes", bytes)));
  }

  /** @internal The decoded module (for tools in this package). Not part of the JS API. */
  static info(m: Module): ModuleInfo {
    return moduleInfo("module", m);
  }

  /** The module's exports, in order. */
  static exports(moduleObject: Module): ModuleExportDescriptor[] {
    const info = moduleInfo("moduleObject", moduleObject);
    return info.exports.map((e) => ({ name: e.name, kind: KIND[e.kind]! }));
  }

  /** The module's imports, in order. */
  static imports(moduleObject: Module): ModuleImportDescriptor[] {
    const info = moduleInfo("moduleObject", moduleObject);
    return info.imports.map((i) => ({ module: i.module, name: i.name, kind: KIND[i.desc.kind]! }));
  }

  /** Copies of the contents of the custom sections named `sectionName`, in order. */
  static customSections(moduleObject: Module, sectionName: string): ArrayBuffer[] {
    const info = moduleInfo("moduleObject", moduleObject);
    requireArgs("WebAssembly.Module.customSections", arguments.length, 2);
    const name = toDOMString("sectionName", sectionName);
    return info.customs.filter((c) => c.name === name).map((c) => c.data.slice().buffer);
  }
}
finishInterface(Module, { name: "Module", length: 1, statics: ["exports", "imports", "customSections"] });
Object.defineProperty(Module, "info", { enumerable: false });
