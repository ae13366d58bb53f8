/**
 * `WebAssembly.Instance`: reads the imports as the JS API says ("read the imports": getter order,
 * TypeError for a missing or non-object module namespace, LinkError for a value of the wrong
 * kind), instantiates (`../instantiate`) and builds the frozen, null-prototype exports object.
 */
import type { Import, ModuleInfo } from "../decode/module.js";
import { canonicalTypeIds, toCanonical } from "../decode/matching.js";
import { valTypeName } from "../decode/module.js";
import { describeValue, InvalidArgumentTypeError, LinkError } from "../errors.js";
import { bigInt64From, numberFrom } from "../execute/values.js";
import { instantiate as instantiateModule } from "../instantiate/instantiate.js";
import { funcTypeText, ResolvedImports } from "../instantiate/link.js";
import { FuncInst } from "../runtime/func.js";
import { GlobalInst } from "../runtime/global.js";
import type { InstanceRuntime } from "../runtime/instance.js";
import { MemoryInst } from "../runtime/memory.js";
import { Store } from "../runtime/store.js";
import { TableInst } from "../runtime/table.js";
import { exportedFunction, funcOfExported, toFuncRef, toRefOfType } from "./functions.js";
import { globalFor, globalInstOf } from "./global.js";
import { memoryFor, memoryInstOf } from "./memory.js";
import { moduleInfo } from "./module.js";
import { tableFor, tableInstOf } from "./table.js";
import { tagFor, tagInstOf } from "./exception.js";
import { TagInst } from "../runtime/tag.js";
import { finishInterface, notA, requireArgs } from "./webidl.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f;

/** Options of `new Instance(...)` (an extension of the JS API; the third argument). */
export interface InstanceOptions {
  /** The store the instance belongs to (fuel, limits, cancellation). Default: a new store, fuel off. */
  readonly store?: Store;
  /**
   * `false`: apply no element or data segment and run no start function; the instance is not
   * usable until `restoreInstances` gives it a captured state. Default `true`.
   */
  readonly initialize?: boolean;
}

const runtimes = new WeakMap<object, InstanceRuntime>();
const exportsObjects = new WeakMap<object, Record<string, unknown>>();

function describeImport(info: ModuleInfo, imp: Import): string {
  const d = imp.desc;
  switch (d.kind) {
    case "func": return `a function ${funcTypeText(info.types[d.typeIndex]!)}`;
    case "memory": return "a WebAssembly.Memory";
    case "table": return `a WebAssembly.Table of ${valTypeName(d.type.elemType)}`;
    case "global": return `a global ${d.type.mutable ? "mut " : ""}${valTypeName(d.type.valType)}`;
    case "tag": return `a WebAssembly.Tag ${funcTypeText(info.types[d.typeIndex]!)}`;
  }
}

/** The JS API's "read the imports" of `info` from `importObject`. @throws TypeError, LinkError */
export function readImports(info: ModuleInfo, importObject: unknown): ResolvedImports {
  if (importObject !== undefined && (typeof importObject !== "object" || importObject === null) && typeof importObject !== "function") {
    throw new InvalidArgumentTypeError("importObject", `must be an object, got ${describeValue(importObject)}`);
  }
  if (info.imports.length > 0 && importObject === undefined) throw new InvalidArgumentTypeError("importObject", `the module has ${info.imports.length} imports but no import object was given`);
  const values: unknown[] = [];
  for (const imp of info.imports) {
    const where = `import "${imp.module}" "${imp.name}"`;
    const o: unknown = (importObject as Record<string, unknown>)[imp.module];
    if ((typeof o !== "object" || o === null) && typeof o !== "function") throw new InvalidArgumentTypeError("importObject", `${JSON.stringify(imp.module)} must be an object, got ${describeValue(o)}`);
    const v: unknown = (o as Record<string, unknown>)[imp.name];
    const d = imp.desc;
    // undefined is a value only for an immutable reference-typed global (an externref holding undefined)
    if (v === undefined && !(d.kind === "global" && !d.type.mutable && (d.type.valType === FUNCREF || d.type.valType === EXTERNREF))) {
      throw new LinkError("unknown-import", `${where}: not provided by the import object (expected ${describeImport(info, imp)})`);
    }
    switch (d.kind) {
      case "func":
        if (typeof v !== "function") throw new LinkError("incompatible-import", `${where}: expected a function, got ${describeValue(v)}`);
        values.push(funcOfExported(v) ?? v);
        break;
      case "memory": {
        const m = memoryInstOf(v);
        if (m === undefined) throw new LinkError("incompatible-import", `${where}: expected a WebAssembly.Memory, got ${describeValue(v)}`);
        values.push(m);
        break;
      }
      case "table": {
        const t = tableInstOf(v);
        if (t === undefined) throw new LinkError("incompatible-import", `${where}: expected a WebAssembly.Table, got ${describeValue(v)}`);
        values.push(t);
        break;
      }
      case "tag": {
        const t = tagInstOf(v);
        if (t === undefined) throw new LinkError("incompatible-import", `${where}: expected a WebAssembly.Tag, got ${describeValue(v)}`);
        values.push(t);
        break;
      }
      case "global": {
        const g = globalInstOf(v);
        if (g !== undefined) {
          values.push(g);
          break;
        }
        const t = toCanonical(d.type.valType, canonicalTypeIds(info.types));
        if (t === I64 && typeof v !== "bigint") throw new LinkError("incompatible-import", `${where}: expected a BigInt or a WebAssembly.Global for an i64 global, got ${describeValue(v)}`);
        if ((t === I32 || t === F32 || t === F64) && typeof v !== "number") throw new LinkError("incompatible-import", `${where}: expected a Number or a WebAssembly.Global, got ${describeValue(v)}`);
        if (d.type.mutable) throw new LinkError("incompatible-import", `${where}: a mutable global must be imported as a WebAssembly.Global, got ${describeValue(v)}`);
        const gi = new GlobalInst(t, false);
        switch (t) {
          case I32: gi.w[0] = numberFrom("value", v) | 0; break;
          case I64: {
            const b = bigInt64From("value", v);
            gi.w[0] = Number(BigInt.asIntN(32, b));
            gi.w[1] = Number(BigInt.asIntN(32, b >> 32n));
            break;
          }
          case F32: new Float32Array(gi.w.buffer)[0] = v as number; break;
          case F64: new Float64Array(gi.w.buffer)[0] = v as number; break;
          case FUNCREF: gi.ref = toFuncRef("value", v); break;
          default:
            try {
              gi.ref = toRefOfType("value", t, v);
            } catch (e) {
              throw new LinkError("incompatible-import", `${where}: ${e instanceof Error ? e.message : String(e)}`);
            }
        }
        values.push(gi);
        break;
      }
    }
  }
  return new ResolvedImports(values);
}

const asInstance = (v: unknown): FuncInst | MemoryInst | TableInst | GlobalInst | TagInst | undefined =>
  v instanceof FuncInst || v instanceof MemoryInst || v instanceof TableInst || v instanceof GlobalInst || v instanceof TagInst ? v : undefined;

/** Instantiates `info` with imports already read. */
export function instantiateResolved(info: ModuleInfo, imports: ResolvedImports, options: InstanceOptions | undefined): InstanceRuntime {
  if (options !== undefined && (typeof options !== "object" || options === null)) throw new InvalidArgumentTypeError("options", `must be an object, got ${describeValue(options)}`);
  const given: unknown = options?.store;
  if (given !== undefined && !(given instanceof Store)) throw new InvalidArgumentTypeError("options.store", `must be a Store, got ${describeValue(given)}`);
  const initialize: unknown = options?.initialize;
  if (initialize !== undefined && typeof initialize !== "boolean") throw new InvalidArgumentTypeError("options.initialize", `must be a boolean, got ${describeValue(initialize)}`);
  return instantiateModule(info, imports, (given as Store | undefined) ?? new Store(), asInstance, initialize !== false);
}

/** The frozen, null-prototype exports object of an instance. */
function buildExports(inst: InstanceRuntime): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const e of inst.module.exports) {
    switch (e.kind) {
      case "func": out[e.name] = exportedFunction(inst.funcs[e.index]!); break;
      case "memory": out[e.name] = memoryFor(inst.memories[e.index]!); break;
      case "table": out[e.name] = tableFor(inst.tables[e.index]!); break;
      case "global": out[e.name] = globalFor(inst.globals[e.index]!); break;
      case "tag": out[e.name] = tagFor(inst.tags[e.index]!); break;
    }
  }
  return Object.freeze(out);
}

function instanceRuntimeOfThis(self: unknown): InstanceRuntime {
  const r = typeof self === "object" && self !== null ? runtimes.get(self) : undefined;
  return r ?? notA("Instance", "this", self);
}

/** An instantiated module (`WebAssembly.Instance`). */
export class Instance {
  /**
   * Links `module` against `importObject` and runs its start function. The third argument
   * (`options`: store, initialize) extends the JS API. @throws TypeError, LinkError, RuntimeError
   */
  constructor(module: unknown, ...rest: unknown[]) {
    requireArgs("WebAssembly.Instance", arguments.length, 1);
    const info = moduleInfo("module", module);
    const inst = instantiateResolved(info, readImports(info, rest[0]), rest[1] as InstanceOptions | undefined);
    attach(this, inst);
  }

  /** Exported functions, memories, tables and globals, by export name (frozen, null prototype). */
  get exports(): Record<string, unknown> {
    instanceRuntimeOfThis(this);
    return exportsObjects.get(this)!;
  }

  /** The store this instance belongs to (an extension of the JS API). */
  get store(): Store {
    return instanceRuntimeOfThis(this).store;
  }
}
finishInterface(Instance, { name: "Instance", length: 1, attributes: ["exports"] });

function attach(o: object, inst: InstanceRuntime): void {
  runtimes.set(o, inst);
  exportsObjects.set(o, buildExports(inst));
}

/** An Instance object for a runtime instance (the asynchronous `instantiate` path). */
export function instanceFromRuntime(inst: InstanceRuntime): Instance {
  const o = Object.create(Instance.prototype) as Instance;
  attach(o, inst);
  return o;
}

/** The runtime state of an Instance object, or undefined. */
export function instanceRuntimeOf(v: unknown): InstanceRuntime | undefined {
  return typeof v === "object" && v !== null ? runtimes.get(v) : undefined;
}
