/**
 * The static (validation-time) view of a component's index spaces: what each index denotes,
 * independent of any instantiation. Since this host has no resources and only `eq` type
 * bounds, every type is known statically: a type import is its bound.
 */
import type { CoreFuncType, FuncType, ValType } from "../types.js";
import type { CoreModuleInfo } from "../binary/core-module.js";
import type { CoreTypeDef } from "../binary/ast.js";

/** The type of an instance: its exports. */
export interface InstanceTypeS {
  readonly kind: "instance";
  readonly exports: ReadonlyMap<string, ExternType>;
}

/** The type of a component: its imports and exports. */
export interface ComponentTypeS {
  readonly kind: "component";
  readonly imports: ReadonlyMap<string, ExternType>;
  readonly exports: ReadonlyMap<string, ExternType>;
}

/** What a `type` index denotes. */
export type TypeEntry = ValType | FuncType | InstanceTypeS | ComponentTypeS | { readonly kind: "module-type" };

/** The type of an import or export. */
export type ExternType =
  | { readonly kind: "func"; readonly type: FuncType }
  | { readonly kind: "type"; readonly type: TypeEntry }
  | { readonly kind: "instance"; readonly type: InstanceTypeS }
  | { readonly kind: "component"; readonly type: ComponentTypeS }
  | { readonly kind: "module"; readonly info: CoreModuleInfo | null };

/** What a core export of a core instance is, statically. */
export type CoreItemS =
  | { readonly sort: "core func"; readonly type: CoreFuncType | null }
  | { readonly sort: "core memory"; readonly memory64: boolean }
  | { readonly sort: "core table" }
  | { readonly sort: "core global" }
  | { readonly sort: "core tag" };

/** A core instance's exports, statically. */
export type CoreInstanceS = ReadonlyMap<string, CoreItemS>;

/** Static entries of every index space of one scope. */
export interface StaticSpaces {
  "core func": (CoreFuncType | null)[];
  "core table": null[];
  "core memory": boolean[];
  "core global": null[];
  "core type": CoreTypeDef[];
  "core module": (CoreModuleInfo | null)[];
  "core instance": CoreInstanceS[];
  func: FuncType[];
  type: TypeEntry[];
  component: ComponentTypeS[];
  instance: InstanceTypeS[];
}

/** Fresh, empty static index spaces. */
export function emptyStaticSpaces(): StaticSpaces {
  return {
    "core func": [], "core table": [], "core memory": [], "core global": [], "core type": [],
    "core module": [], "core instance": [], func: [], type: [], component: [], instance: [],
  };
}
