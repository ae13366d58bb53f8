/**
 * A module instance's runtime state (spec "Module Instances"): its function, table, memory,
 * global and tag instances, the remaining (not dropped) segments, and the module's translated code.
 * Built by `instantiate/`, run by `execute/`.
 */
import type { ModuleInfo } from "../decode/module.js";
import type { CompiledModule } from "../translate/translator.js";
import type { FuncInst } from "./func.js";
import type { GlobalInst } from "./global.js";
import type { MemoryInst } from "./memory.js";
import type { Store } from "./store.js";
import type { TableInst } from "./table.js";
import type { TagInst } from "./tag.js";

export class InstanceRuntime {
  readonly funcs: FuncInst[] = [];
  readonly tables: TableInst[] = [];
  readonly memories: MemoryInst[] = [];
  readonly globals: GlobalInst[] = [];
  /** Tag instances (exception handling), imports first. */
  readonly tags: TagInst[] = [];
  /** Data segments; null once dropped (`data.drop`, or active after instantiation). */
  readonly datas: (Uint8Array | null)[] = [];
  /** Element segments as resolved references; null once dropped. */
  readonly elems: (unknown[] | null)[] = [];
  /** Structural signature id per type index (for `call_indirect`). */
  readonly sigIds: Int32Array;
  /** Set after an `interrupted` trap: every later call into the instance fails. */
  poisoned: string | undefined = undefined;
  constructor(
    readonly module: ModuleInfo,
    readonly compiled: CompiledModule,
    readonly store: Store,
  ) {
    this.sigIds = new Int32Array(module.types.length);
  }
}
