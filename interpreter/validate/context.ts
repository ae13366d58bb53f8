/**
 * The validation context `C` of the spec ("Validation > Conventions > Contexts"): the types of
 * every index space of the module, flattened into arrays of small integers so the function
 * validator reads them without allocating. Built once per module by `validateModule`.
 */
import { CompileError } from "../errors.js";
import type { FuncType, ModuleInfo, RefType } from "../decode/module.js";

export interface ValidationContext {
  readonly module: ModuleInfo;
  /** `C.types`. */
  readonly types: readonly FuncType[];
  /** The canonical id of every type (`decode/matching.ts`): type indices with equal ids are equivalent. */
  readonly canon: Int32Array;
  /** `C.funcs`: the type index of every function in the function index space (imports first). */
  readonly funcTypeIndices: Int32Array;
  /** `C.tables`: element type of every table (imports first). */
  readonly tableElemTypes: readonly RefType[];
  /** `C.tables`: address type of every table (0x7f i32, 0x7e i64: table64). */
  readonly tableAddressTypes: Uint8Array;
  /** Number of memories (imports first). */
  readonly memoryCount: number;
  /** `C.mems`: address type of every memory (0x7f i32, 0x7e i64: memory64). */
  readonly memoryAddressTypes: Uint8Array;
  /** Whether any memory or table has the i64 address type (the fast body check then defers to the exact validator). */
  readonly has64: boolean;
  /** `C.globals`: value type of every global (imports first). */
  readonly globalTypes: Int32Array;
  /** `C.globals`: 1 where the global is mutable. */
  readonly globalMutable: Uint8Array;
  /** `C.elems`: the reference type of every element segment. */
  readonly elemTypes: readonly RefType[];
  /** `C.datas`: the number of data segments as declared by the data count section (undefined when absent). */
  readonly dataCount: number | undefined;
  /** `C.refs`: 1 for every function index that occurs in the module outside function bodies. */
  readonly refs: Uint8Array;
  /** `C.tags`: the type index of every tag (imports first). */
  readonly tagTypeIndices: Int32Array;
}

/** An `invalid` CompileError with the spec's wording followed by where it happened. */
export function invalid(message: string, where: string, offset: number | undefined): CompileError {
  return new CompileError("invalid", `${message} (${where})`, offset);
}
