/**
 * A component after static validation: one `Step` per definition (in section order, with every
 * index and type resolved and checked) except type definitions, which live only in the static
 * index space (a type section may hold a million of them and nothing at run time depends on
 * them); the component's imports and exports with their types, and the core modules to compile.
 * Instantiation (`instantiate.ts`) only replays the steps.
 */
import type { StringEncoding } from "../abi/context.js";
import type { ComponentNames, Definition, SortName } from "../binary/ast.js";
import type { CoreModuleInfo } from "../binary/core-module.js";
import type { FuncType } from "../types.js";
import type { ExternType, TypeEntry } from "./static-types.js";

/** The canonical options of a `canon lift`, resolved to core indices. */
export interface ResolvedLiftOptions {
  readonly memory: number | null;
  readonly realloc: number | null;
  readonly postReturn: number | null;
  readonly encoding: StringEncoding;
}

/** The definition of a core module in the binary (the key of the compiled-module cache). */
export type CoreModuleDef = Extract<Definition, { kind: "core-module" }>;

/** One instantiation step. */
export type Step =
  | { readonly kind: "core-module"; readonly def: CoreModuleDef }
  | { readonly kind: "core-instantiate"; readonly module: number; readonly args: readonly { readonly name: string; readonly instance: number }[] }
  | { readonly kind: "core-exports"; readonly exports: readonly { readonly name: string; readonly sort: SortName; readonly index: number }[] }
  | { readonly kind: "core-type" }
  | { readonly kind: "component"; readonly plan: ComponentPlan }
  | { readonly kind: "instantiate"; readonly component: number; readonly args: readonly { readonly name: string; readonly sort: SortName; readonly index: number }[] }
  | { readonly kind: "instance-exports"; readonly exports: readonly { readonly name: string; readonly sort: SortName; readonly index: number }[] }
  | { readonly kind: "alias-export"; readonly sort: SortName; readonly instance: number; readonly name: string }
  | { readonly kind: "alias-core-export"; readonly sort: SortName; readonly instance: number; readonly name: string }
  | { readonly kind: "alias-outer"; readonly sort: SortName; readonly count: number; readonly index: number }
  | { readonly kind: "type"; readonly type: TypeEntry }
  | { readonly kind: "lift"; readonly coreFunc: number; readonly opts: ResolvedLiftOptions; readonly type: FuncType; readonly name: string | null }
  | { readonly kind: "lower"; readonly func: number; readonly opts: ResolvedLiftOptions; readonly type: FuncType }
  | { readonly kind: "import"; readonly name: string; readonly sort: SortName; readonly bound: TypeEntry | null }
  | { readonly kind: "export"; readonly name: string; readonly sort: SortName; readonly index: number };

/** A validated component. */
export interface ComponentPlan {
  readonly steps: readonly Step[];
  readonly imports: ReadonlyMap<string, ExternType>;
  readonly exports: ReadonlyMap<string, ExternType>;
  /** Every core module definition of this component (not of nested ones). */
  readonly coreModules: readonly CoreModuleDef[];
  readonly names: ComponentNames;
}

/** Facts about a core module, for `inspect`. */
export type CoreModuleFacts = CoreModuleInfo;
