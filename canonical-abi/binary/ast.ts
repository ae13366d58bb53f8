/**
 * The decoded form of a component binary, before any index is resolved: one `Definition` per
 * item of each section, in section order (the order in which the index spaces grow). Every
 * definition keeps the byte offset where it starts, for error messages.
 */
import type { CoreFuncType, CoreValType, PrimitiveKind } from "../types.js";
import type { CoreModuleInfo } from "./core-module.js";
import type { StringEncoding } from "../abi/context.js";

/** Core sorts (`core:sort`) this host accepts. */
export type CoreSortName = "core func" | "core table" | "core memory" | "core global" | "core type" | "core module" | "core instance";
/** All sorts this host accepts (`sort`; `value` and core `tag` are refused while decoding). */
export type SortName = CoreSortName | "func" | "type" | "component" | "instance";

/** A value type reference: a primitive, or an index into the type index space. */
export type ValTypeRef = { readonly kind: "prim"; readonly prim: PrimitiveKind } | { readonly kind: "index"; readonly index: number };

/** A type definition (`deftype`) with unresolved type indices. */
export type TypeDef =
  | { readonly kind: "prim"; readonly prim: PrimitiveKind }
  | { readonly kind: "record"; readonly fields: readonly { readonly label: string; readonly type: ValTypeRef }[] }
  | { readonly kind: "variant"; readonly cases: readonly { readonly label: string; readonly type: ValTypeRef | null }[] }
  | { readonly kind: "list"; readonly elem: ValTypeRef }
  | { readonly kind: "tuple"; readonly types: readonly ValTypeRef[] }
  | { readonly kind: "flags"; readonly labels: readonly string[] }
  | { readonly kind: "enum"; readonly labels: readonly string[] }
  | { readonly kind: "option"; readonly type: ValTypeRef }
  | { readonly kind: "result"; readonly ok: ValTypeRef | null; readonly err: ValTypeRef | null }
  | { readonly kind: "func"; readonly params: readonly { readonly label: string; readonly type: ValTypeRef }[]; readonly result: ValTypeRef | null }
  | { readonly kind: "component"; readonly decls: readonly Decl[] }
  | { readonly kind: "instance"; readonly decls: readonly Decl[] };

/** A declarator inside a component or instance type. */
export type Decl =
  | { readonly kind: "core-type"; readonly type: CoreTypeDef }
  | { readonly kind: "type"; readonly type: TypeDef }
  | { readonly kind: "alias"; readonly alias: Alias }
  | { readonly kind: "import"; readonly name: string; readonly desc: ExternDesc }
  | { readonly kind: "export"; readonly name: string; readonly desc: ExternDesc };

/** `externdesc`: what an import/export (or ascription) declares. */
export type ExternDesc =
  | { readonly kind: "module"; readonly type: number }
  | { readonly kind: "func"; readonly type: number }
  | { readonly kind: "type"; readonly bound: { readonly kind: "eq"; readonly index: number } }
  | { readonly kind: "component"; readonly type: number }
  | { readonly kind: "instance"; readonly type: number };

/** A core type: a function type, or a module type (kept opaque: only its declarations' count matters here). */
export type CoreTypeDef =
  | ({ readonly kind: "func" } & CoreFuncType)
  | { readonly kind: "module"; readonly decls: readonly CoreModuleDecl[] };

/** A declarator of a core module type. */
export type CoreModuleDecl =
  | { readonly kind: "import"; readonly module: string; readonly name: string; readonly desc: CoreImportDesc }
  | { readonly kind: "type"; readonly type: CoreTypeDef }
  | { readonly kind: "alias"; readonly sort: CoreSortName; readonly count: number; readonly index: number }
  | { readonly kind: "export"; readonly name: string; readonly desc: CoreImportDesc };

/** `core:importdesc` in a module type. */
export type CoreImportDesc =
  | { readonly kind: "func"; readonly type: number }
  | { readonly kind: "table"; readonly elem: CoreValType | "ref" }
  | { readonly kind: "memory"; readonly memory64: boolean }
  | { readonly kind: "global"; readonly type: CoreValType | "ref"; readonly mutable: boolean };

/** `alias` targets. */
export type Alias = {
  readonly sort: SortName;
  readonly target:
    | { readonly kind: "export"; readonly instance: number; readonly name: string }
    | { readonly kind: "core-export"; readonly instance: number; readonly name: string }
    | { readonly kind: "outer"; readonly count: number; readonly index: number };
};

/** A `canonopt`. */
export type CanonOpt =
  | { readonly kind: "string-encoding"; readonly encoding: StringEncoding }
  | { readonly kind: "memory"; readonly index: number }
  | { readonly kind: "realloc"; readonly index: number }
  | { readonly kind: "post-return"; readonly index: number };

/** A `canon` definition. */
export type Canon =
  | { readonly kind: "lift"; readonly coreFunc: number; readonly options: readonly CanonOpt[]; readonly type: number }
  | { readonly kind: "lower"; readonly func: number; readonly options: readonly CanonOpt[] };

/** A core instance expression. */
export type CoreInstanceExpr =
  | { readonly kind: "instantiate"; readonly module: number; readonly args: readonly { readonly name: string; readonly instance: number }[] }
  | { readonly kind: "exports"; readonly exports: readonly { readonly name: string; readonly sort: CoreSortName; readonly index: number }[] };

/** A component instance expression. */
export type InstanceExpr =
  | { readonly kind: "instantiate"; readonly component: number; readonly args: readonly { readonly name: string; readonly sort: SortName; readonly index: number }[] }
  | { readonly kind: "exports"; readonly exports: readonly { readonly name: string; readonly sort: SortName; readonly index: number }[] };

/** One definition, in section order. */
export type Definition = { readonly offset: number } & (
  | { readonly kind: "core-module"; readonly bytes: Uint8Array; readonly info: CoreModuleInfo }
  | { readonly kind: "core-instance"; readonly expr: CoreInstanceExpr }
  | { readonly kind: "core-type"; readonly type: CoreTypeDef }
  | { readonly kind: "component"; readonly component: ComponentAst }
  | { readonly kind: "instance"; readonly expr: InstanceExpr }
  | { readonly kind: "alias"; readonly alias: Alias }
  | { readonly kind: "type"; readonly type: TypeDef }
  | { readonly kind: "canon"; readonly canon: Canon }
  | { readonly kind: "import"; readonly name: string; readonly desc: ExternDesc }
  | { readonly kind: "export"; readonly name: string; readonly sort: SortName; readonly index: number; readonly desc: ExternDesc | null }
);

/** Names from the `component-name` custom section (absent or invalid sections give empty maps). */
export interface ComponentNames {
  readonly component: string | null;
  /** sort -> index -> name. */
  readonly sorts: ReadonlyMap<SortName, ReadonlyMap<number, string>>;
}

/** A decoded component. */
export interface ComponentAst {
  readonly definitions: readonly Definition[];
  readonly names: ComponentNames;
  /** Absolute offset of the component's preamble. */
  readonly offset: number;
  /** Size of the component binary in bytes. */
  readonly size: number;
}
