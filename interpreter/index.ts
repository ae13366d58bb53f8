/**
 * The core interpreter's public door. Mirrors the standard WebAssembly JS API (`Module`,
 * `Instance`, `Memory`, `Table`, `Global`, `CompileError`, `LinkError`, `RuntimeError`) so a
 * harness written for `WebAssembly` runs by swapping the namespace object, and adds:
 * - `Store`: fuel (exact per instruction), cost tables, resource limits, cancellation sources;
 * - `callAsync`: run an exported function in slices, yielding to the event loop (abortable);
 * - `callResumable` / `ResumableCall`: stop on out-of-fuel and continue after `store.setFuel`;
 * - `validate`, `compile`, `instantiate` as in the standard namespace (promises resolve at once);
 * - `invokeRaw` / `readGlobalRaw`: internal raw-value entry points for the spec runner (floats as
 *   bits, never through a JS number).
 */
import { decodeModule } from "./decode/index.js";
import type { ModuleInfo, ValType } from "./decode/module.js";
import { valTypeName } from "./decode/module.js";
import { CompileError, describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError, InvalidStateError, LinkError, RuntimeError } from "./errors.js";
import type { ExecContext } from "./execute/context.js";
import { invoke, invokeAsync, Resumable } from "./execute/invoke.js";
import type { AsyncCallOptions, CallOptions } from "./execute/invoke.js";
import { installFuncConversions, readJs, readRaw, writeJs, writeRaw } from "./execute/values.js";
import type { RawValue } from "./execute/values.js";
import { instantiate as instantiateModule } from "./instantiate/instantiate.js";
import { captureGroup, GroupSnapshot, restoreGroup } from "./instantiate/snapshot.js";
import { FuncInst } from "./runtime/func.js";
import { GlobalInst } from "./runtime/global.js";
import type { InstanceRuntime } from "./runtime/instance.js";
import { MemoryInst } from "./runtime/memory.js";
import { Store } from "./runtime/store.js";
import { TableInst } from "./runtime/table.js";
import { validateModule } from "./validate/index.js";

export { CompileError, InvalidArgumentRangeError, InvalidArgumentTypeError, InvalidStateError, LinkError, RuntimeError, Store, describeValue };
export type { TrapCode, TrapDetails, CompileErrorKind, LinkErrorCode, ArgumentErrorCode, InvalidStateCode } from "./errors.js";
export type { StoreOptions } from "./runtime/store.js";
export { SnapshotError, GroupSnapshot as InstanceSnapshot } from "./instantiate/snapshot.js";
export type { CostTable, CostsOption, PerUnitCosts } from "./runtime/costs.js";
export type { ResourceLimits } from "./runtime/limits.js";
export { DEFAULT_LIMITS } from "./runtime/limits.js";
export type { CancellationOptions, CancelCallbackResult } from "./runtime/cancellation.js";
export { DEFAULT_CHECK_INTERVAL } from "./runtime/cancellation.js";
export { sha256Hex } from "./runtime/sha256.js";
export type { AsyncCallOptions, CallOptions } from "./execute/invoke.js";
export type { RawValue } from "./execute/values.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, FUNCREF = 0x70, EXTERNREF = 0x6f;

// ---- module ------------------------------------------------------------------------------------

/** `Module.exports` / `Module.imports` entry kinds, as in the JS API. */
export type ImportExportKind = "function" | "table" | "memory" | "global";

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

const KIND: Record<string, ImportExportKind> = { func: "function", table: "table", memory: "memory", global: "global" };

const moduleInfos = new WeakMap<Module, ModuleInfo>();

function toBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (typeof SharedArrayBuffer !== "undefined" && bytes instanceof SharedArrayBuffer) return new Uint8Array(bytes);
  throw new InvalidArgumentTypeError("bytes", `must be an ArrayBuffer or a typed array / DataView, got ${describeValue(bytes)}`);
}

/** A decoded and validated module (`WebAssembly.Module`). */
export class Module {
  /** Makes the class nominal for TypeScript (a byte buffer is not a Module). */
  readonly #brand = true;
  /** Decodes and validates `bytes`. @throws CompileError */
  constructor(bytes: ArrayBuffer | ArrayBufferView) {
    const info = decodeModule(toBytes(bytes));
    validateModule(info);
    moduleInfos.set(this, info);
  }

  /** The decoded module (internal). */
  static info(m: Module): ModuleInfo {
    const info = moduleInfos.get(m);
    if (info === undefined) throw new InvalidArgumentTypeError("module", `not a Module, got ${describeValue(m)}`);
    return info;
  }

  /** The module's exports, in order. */
  static exports(m: Module): ModuleExportDescriptor[] {
    return Module.info(m).exports.map((e) => ({ name: e.name, kind: KIND[e.kind]! }));
  }

  /** The module's imports, in order. */
  static imports(m: Module): ModuleImportDescriptor[] {
    return Module.info(m).imports.map((i) => ({ module: i.module, name: i.name, kind: KIND[i.desc.kind]! }));
  }

  /** Contents of the custom sections named `name`. */
  static customSections(m: Module, name: string): ArrayBuffer[] {
    return Module.info(m).customs.filter((c) => c.name === name).map((c) => c.data.slice().buffer);
  }
}

// ---- memory, table, global ---------------------------------------------------------------------

const memoryObjects = new WeakMap<MemoryInst, Memory>();
const tableObjects = new WeakMap<TableInst, Table>();
const globalObjects = new WeakMap<GlobalInst, Global>();
const internals = new WeakMap<object, MemoryInst | TableInst | GlobalInst>();

function checkU32(what: string, v: unknown, allowUndefined: boolean): number | undefined {
  if (v === undefined && allowUndefined) return undefined;
  const n = typeof v === "number" ? v : toNumber(what, v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentTypeError(what, `must be an integer in 0..2^32-1, got ${describeValue(v)}`);
  return n;
}

/** ToNumber that reports a typed error (symbols, bigints, unconvertible objects) instead of a raw TypeError. */
function toNumber(what: string, v: unknown): number {
  if (typeof v === "symbol" || typeof v === "bigint") throw new InvalidArgumentTypeError(what, `cannot convert ${describeValue(v)} to a number`);
  try {
    return Number(v);
  } catch {
    throw new InvalidArgumentTypeError(what, `cannot convert ${describeValue(v)} to a number`);
  }
}

function checkDescriptor(v: unknown): void {
  if (typeof v !== "object" || v === null) throw new InvalidArgumentTypeError("descriptor", `must be an object, got ${describeValue(v)}`);
}

/** Descriptor of `new Memory(...)`. */
export interface MemoryDescriptor {
  readonly initial: number;
  readonly maximum?: number;
}

/** A linear memory (`WebAssembly.Memory`). */
export class Memory {
  /** Creates a memory (default store limits apply), or wraps an instance's memory. */
  constructor(descriptor: MemoryDescriptor, inst?: MemoryInst) {
    let m = inst;
    if (m === undefined) {
      checkDescriptor(descriptor);
      const initial = checkU32("descriptor.initial", descriptor.initial, false)!;
      const maximum = checkU32("descriptor.maximum", descriptor.maximum, true);
      if (initial > 65536) throw new InvalidArgumentRangeError("descriptor.initial", `${initial} pages is above the 65536-page maximum`);
      if (maximum !== undefined && (maximum > 65536 || maximum < initial)) throw new InvalidArgumentRangeError("descriptor.maximum", `${maximum} pages must be in ${initial}..65536 (initial..65536)`);
      m = new MemoryInst(initial, maximum, new Store().limits.maxMemoryPages);
    }
    internals.set(this, m);
    memoryObjects.set(m, this);
  }
  private get m(): MemoryInst {
    return internals.get(this) as MemoryInst;
  }
  /**
   * The current bytes: an ArrayBuffer of exactly the memory's size that aliases it until the next
   * growth (then a new one; the old one keeps its bytes but is stale).
   */
  get buffer(): ArrayBuffer {
    return this.m.buffer;
  }
  /** Grows by `delta` pages; returns the old size in pages. @throws RangeError when it cannot grow. */
  grow(delta: number): number {
    const d = checkU32("delta", delta, false)!;
    const r = this.m.grow(d);
    if (r < 0) throw new InvalidArgumentRangeError("delta", `memory cannot grow by ${d} pages from ${this.m.pages} (maximum ${this.m.cap})`);
    return r;
  }
}

function memoryFor(m: MemoryInst): Memory {
  return memoryObjects.get(m) ?? new Memory({ initial: 0 }, m);
}

/** Descriptor of `new Table(...)`. */
export interface TableDescriptor {
  readonly element: "anyfunc" | "funcref" | "externref";
  readonly initial: number;
  readonly maximum?: number;
}

function elemTypeOf(s: unknown): number {
  if (s === "anyfunc" || s === "funcref") return FUNCREF;
  if (s === "externref") return EXTERNREF;
  throw new InvalidArgumentTypeError("descriptor.element", `must be "funcref" or "externref", got ${describeValue(s)}`);
}

/** A table of references (`WebAssembly.Table`). */
export class Table {
  /** Creates a table filled with `value` (default null), or wraps an instance's table. */
  constructor(descriptor: TableDescriptor, value?: unknown, inst?: TableInst) {
    let t = inst;
    if (t === undefined) {
      checkDescriptor(descriptor);
      const et = elemTypeOf(descriptor.element);
      const initial = checkU32("descriptor.initial", descriptor.initial, false)!;
      const maximum = checkU32("descriptor.maximum", descriptor.maximum, true);
      if (maximum !== undefined && maximum < initial) throw new InvalidArgumentRangeError("descriptor.maximum", `table maximum ${maximum} below initial ${initial}`);
      t = new TableInst(et, initial, maximum, new Store().limits.maxTableElements, toRef(et, value === undefined ? null : value));
    }
    internals.set(this, t);
    tableObjects.set(t, this);
  }
  private get t(): TableInst {
    return internals.get(this) as TableInst;
  }
  get length(): number {
    return this.t.length;
  }
  get(index: number): unknown {
    const i = checkU32("index", index, false)!;
    if (i >= this.t.length) throw new InvalidArgumentRangeError("index", `table index ${i} out of bounds (length ${this.t.length})`);
    return fromRef(this.t.elemType, this.t.elements[i]);
  }
  set(index: number, value?: unknown): void {
    const i = checkU32("index", index, false)!;
    if (i >= this.t.length) throw new InvalidArgumentRangeError("index", `table index ${i} out of bounds (length ${this.t.length})`);
    this.t.elements[i] = toRef(this.t.elemType, value === undefined ? (this.t.elemType === FUNCREF ? null : undefined) : value);
  }
  /** Grows by `delta` elements (filled with `value`); returns the old length. */
  grow(delta: number, value?: unknown): number {
    const d = checkU32("delta", delta, false)!;
    const r = this.t.grow(d, toRef(this.t.elemType, value === undefined ? null : value));
    if (r < 0) throw new InvalidArgumentRangeError("delta", `table cannot grow by ${d} from ${this.t.length} (maximum ${this.t.cap})`);
    return r;
  }
}

function tableFor(t: TableInst): Table {
  return tableObjects.get(t) ?? new Table({ element: "funcref", initial: 0 }, undefined, t);
}

function toRef(t: number, v: unknown): unknown {
  if (t !== FUNCREF) return v;
  if (v === null) return null;
  const f = exportedToFunc.get(v as object);
  if (f === undefined) throw new InvalidArgumentTypeError("value", `funcref value must be null or a function exported by a WebAssembly instance, got ${describeValue(v)}`);
  return f;
}

function fromRef(t: number, v: unknown): unknown {
  if (t !== FUNCREF) return v;
  return v === null || v === undefined ? null : exportedFunction(v as FuncInst);
}

/** Descriptor of `new Global(...)`. */
export interface GlobalDescriptor {
  readonly value: "i32" | "i64" | "f32" | "f64" | "anyfunc" | "funcref" | "externref";
  readonly mutable?: boolean;
}

const VALTYPE_BY_NAME: Record<string, number> = { i32: I32, i64: I64, f32: F32, f64: F64, anyfunc: FUNCREF, funcref: FUNCREF, externref: EXTERNREF };

/** A global variable (`WebAssembly.Global`). */
export class Global {
  /** Creates a global holding `value` (the type's default when omitted), or wraps an instance's global. */
  constructor(descriptor: GlobalDescriptor, value?: unknown, inst?: GlobalInst) {
    let g = inst;
    if (g === undefined) {
      checkDescriptor(descriptor);
      const vt: unknown = descriptor.value;
      const t = typeof vt === "string" && Object.hasOwn(VALTYPE_BY_NAME, vt) ? VALTYPE_BY_NAME[vt] : undefined;
      if (t === undefined) throw new InvalidArgumentTypeError("descriptor.value", `global value type must be i32, i64, f32, f64, funcref or externref, got ${describeValue(vt)}`);
      g = new GlobalInst(t, descriptor.mutable === true);
      setGlobal(g, value === undefined ? (t === I64 ? 0n : t === FUNCREF ? null : t === EXTERNREF ? undefined : 0) : value);
    }
    internals.set(this, g);
    globalObjects.set(g, this);
  }
  private get g(): GlobalInst {
    return internals.get(this) as GlobalInst;
  }
  /** The value (i64 as bigint). Setting an immutable global throws TypeError. */
  get value(): unknown {
    return getGlobal(this.g);
  }
  set value(v: unknown) {
    if (!this.g.mutable) throw new InvalidArgumentTypeError("value", "cannot set an immutable global");
    setGlobal(this.g, v);
  }
  valueOf(): unknown {
    return getGlobal(this.g);
  }
}

function globalFor(g: GlobalInst): Global {
  return globalObjects.get(g) ?? new Global({ value: "i32" }, undefined, g);
}

function getGlobal(g: GlobalInst): unknown {
  switch (g.type) {
    case I32: return g.w[0];
    case I64: return (BigInt(g.w[1]!) << 32n) | BigInt(g.w[0]! >>> 0);
    case F32: return new Float32Array(g.w.buffer)[0];
    case F64: return new Float64Array(g.w.buffer)[0];
    default: return fromRef(g.type, g.ref);
  }
}

function setGlobal(g: GlobalInst, v: unknown): void {
  switch (g.type) {
    case I32: g.w[0] = toNumber("value", v) | 0; return;
    case I64: {
      if (typeof v !== "bigint") throw new InvalidArgumentTypeError("value", `an i64 global takes a BigInt value, got ${describeValue(v)}`);
      const b = BigInt.asIntN(64, v);
      g.w[0] = Number(BigInt.asIntN(32, b));
      g.w[1] = Number(BigInt.asIntN(32, b >> 32n));
      return;
    }
    case F32: new Float32Array(g.w.buffer)[0] = toNumber("value", v); return;
    case F64: new Float64Array(g.w.buffer)[0] = toNumber("value", v); return;
    default: g.ref = toRef(g.type, v);
  }
}

// ---- functions -----------------------------------------------------------------------------------

const exportedToFunc = new WeakMap<object, FuncInst>();

function writeJsArgs(fi: FuncInst, args: readonly unknown[]): (ctx: ExecContext) => void {
  return (ctx) => {
    const p = fi.type.params;
    for (let k = 0; k < p.length; k++) writeJs(ctx, 2 * k, p[k]!, args[k]);
  };
}

function readJsResults(fi: FuncInst): (ctx: ExecContext) => unknown {
  return (ctx) => {
    const r = fi.type.results;
    if (r.length === 0) return undefined;
    if (r.length === 1) return readJs(ctx, 0, r[0]!);
    const out: unknown[] = [];
    for (let k = 0; k < r.length; k++) out.push(readJs(ctx, 2 * k, r[k]!));
    return out;
  };
}

/** The JS function standing for function instance `fi` (one per instance; identity is stable). */
function exportedFunction(fi: FuncInst): (...args: unknown[]) => unknown {
  if (fi.jsFunc !== undefined) return fi.jsFunc;
  const f = function (...args: unknown[]): unknown {
    return invoke(fi, writeJsArgs(fi, args), readJsResults(fi), undefined, storeOf(fi));
  };
  // the JS API's exported functions have length = their parameter count (hosts rely on it)
  Object.defineProperty(f, "length", { value: fi.type.params.length });
  fi.jsFunc = f;
  exportedToFunc.set(f, fi);
  return f;
}

const hostStores = new WeakMap<FuncInst, Store>();
function storeOf(fi: FuncInst): Store {
  if (fi.instance !== undefined) return fi.instance.store;
  let s = hostStores.get(fi);
  if (s === undefined) {
    s = new Store();
    hostStores.set(fi, s);
  }
  return s;
}

installFuncConversions(exportedFunction, (v) => (typeof v === "function" ? exportedToFunc.get(v) : undefined));

function funcOf(fn: unknown): FuncInst {
  const fi = typeof fn === "function" ? exportedToFunc.get(fn) : undefined;
  if (fi === undefined) throw new InvalidArgumentTypeError("fn", `not a function exported by an Instance of this interpreter, got ${describeValue(fn)}`);
  return fi;
}

function checkArgs(args: unknown): readonly unknown[] {
  if (!Array.isArray(args)) throw new InvalidArgumentTypeError("args", `must be an array, got ${describeValue(args)}`);
  return args;
}

function checkOptions(options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null)) throw new InvalidArgumentTypeError("options", `must be an object, got ${describeValue(options)}`);
}

function resolveExtern(v: unknown): FuncInst | MemoryInst | TableInst | GlobalInst | undefined {
  if (typeof v === "function") return exportedToFunc.get(v);
  if (typeof v === "object" && v !== null) return internals.get(v);
  return undefined;
}

// ---- instance ------------------------------------------------------------------------------------

/** Options of `new Instance(...)`. */
export interface InstanceOptions {
  /** The store the instance belongs to (fuel, limits, cancellation). Default: a new store, fuel off. */
  readonly store?: Store;
  /**
   * `false`: apply no element or data segment and run no start function; the instance is not
   * usable until {@link restoreInstances} gives it a captured state. Default `true`.
   */
  readonly initialize?: boolean;
}

/** An instantiated module (`WebAssembly.Instance`). */
export class Instance {
  /** Exported functions, memories, tables and globals, by export name. */
  readonly exports: Record<string, unknown>;
  /** The store this instance belongs to. */
  readonly store: Store;

  /** Links `module` against `importObject` and runs its start function. @throws LinkError, RuntimeError */
  constructor(module: Module, importObject?: object, options?: InstanceOptions) {
    const info = Module.info(module);
    if (options !== undefined && (typeof options !== "object" || options === null)) throw new InvalidArgumentTypeError("options", `must be an object, got ${describeValue(options)}`);
    const given: unknown = options?.store;
    if (given !== undefined && !(given instanceof Store)) throw new InvalidArgumentTypeError("options.store", `must be a Store, got ${describeValue(given)}`);
    const store = options?.store ?? new Store();
    this.store = store;
    const initialize: unknown = options?.initialize;
    if (initialize !== undefined && typeof initialize !== "boolean") throw new InvalidArgumentTypeError("options.initialize", `must be a boolean, got ${describeValue(initialize)}`);
    const inst = instantiateModule(info, importObject, store, resolveExtern, initialize !== false);
    this.exports = buildExports(inst);
    runtimes.set(this, inst);
  }
}

/** Each instance's runtime state (for snapshots). */
const runtimes = new WeakMap<Instance, InstanceRuntime>();

function runtimesOf(argument: string, instances: readonly Instance[]): InstanceRuntime[] {
  if (!Array.isArray(instances)) throw new InvalidArgumentTypeError(argument, `must be an array of Instances, got ${describeValue(instances)}`);
  return instances.map((x, i) => {
    const r = x instanceof Instance ? runtimes.get(x) : undefined;
    if (r === undefined) throw new InvalidArgumentTypeError(`${argument}[${i}]`, `must be an Instance, got ${describeValue(x)}`);
    return r;
  });
}

/**
 * Captures the state of a group of instances right after their instantiation (memories,
 * globals, tables, dropped segments), to start later groups from (see {@link restoreInstances}).
 * Function references are kept by their place in the group. @throws SnapshotError when a
 * reference points outside the group, an externref is not null, or an instance is poisoned.
 */
export function snapshotInstances(instances: readonly Instance[]): GroupSnapshot {
  return captureGroup(runtimesOf("instances", instances));
}

/**
 * Gives `instances` — new instances of the same modules in the same order, linked the same way,
 * created with `initialize: false` — the state captured in `snapshot`: the group is then
 * indistinguishable from the captured one as it was (fuel already spent by start functions is
 * not charged again: the caller accounts for it). @throws SnapshotError on a mismatch.
 */
export function restoreInstances(instances: readonly Instance[], snapshot: GroupSnapshot): void {
  if (!(snapshot instanceof GroupSnapshot)) throw new InvalidArgumentTypeError("snapshot", `must be an InstanceSnapshot, got ${describeValue(snapshot)}`);
  restoreGroup(runtimesOf("instances", instances), snapshot);
}

function buildExports(inst: InstanceRuntime): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const e of inst.module.exports) {
    switch (e.kind) {
      case "func": out[e.name] = exportedFunction(inst.funcs[e.index]!); break;
      case "memory": out[e.name] = memoryFor(inst.memories[e.index]!); break;
      case "table": out[e.name] = tableFor(inst.tables[e.index]!); break;
      case "global": out[e.name] = globalFor(inst.globals[e.index]!); break;
    }
  }
  return Object.freeze(out);
}

// ---- extra entry points ------------------------------------------------------------------------------

/** Calls exported function `fn` with JS-API arguments, with per-call options (e.g. cancellation). */
export function call(fn: (...args: never[]) => unknown, args: readonly unknown[], options?: CallOptions): unknown {
  const fi = funcOf(fn);
  checkArgs(args);
  checkOptions(options);
  return invoke(fi, writeJsArgs(fi, args), readJsResults(fi), options, storeOf(fi));
}

/**
 * Calls exported function `fn` asynchronously: the guest runs in slices of `sliceSteps` check
 * points (function entries / taken branches) and yields to the event loop between them, so an
 * `AbortController.abort()` fired by a timer on this thread stops it (`RuntimeError`
 * `interrupted`). Results and fuel consumed are identical to a synchronous call.
 */
export function callAsync(fn: (...args: never[]) => unknown, args: readonly unknown[], options?: AsyncCallOptions): Promise<unknown> {
  const fi = funcOf(fn);
  checkArgs(args);
  checkOptions(options);
  return invokeAsync(fi, writeJsArgs(fi, args), readJsResults(fi), options);
}

/**
 * A call that stops (instead of failing) when it runs out of fuel, and continues from the exact
 * instruction after the host tops up with `store.setFuel(n)`:
 *
 * ```ts
 * const c = callResumable(instance.exports.run, []);
 * while (c.state === "out-of-fuel") { store.setFuel(1000); c.resume(); }
 * c.results;
 * ```
 * The final results and total fuel consumed equal an uninterrupted run. Other traps throw.
 * A stop inside a wasm call made by a host function (wasm → host → wasm) is not resumable: it
 * throws the out-of-fuel trap.
 */
export type ResumableCall = Resumable<unknown>;

/** Starts a resumable call of exported function `fn` (see {@link ResumableCall}). */
export function callResumable(fn: (...args: never[]) => unknown, args: readonly unknown[], options?: CallOptions): ResumableCall {
  const fi = funcOf(fn);
  checkArgs(args);
  checkOptions(options);
  return new Resumable(fi, writeJsArgs(fi, args), readJsResults(fi), options);
}

/**
 * @internal Spec-runner entry point: calls exported function `fn` with {@link RawValue}
 * arguments (f32 as u32 bits, f64 as u64-bits bigint) and returns raw results.
 */
export function invokeRaw(fn: unknown, args: readonly RawValue[]): RawValue[] {
  const fi = funcOf(fn);
  const t = fi.type;
  checkArgs(args);
  if (args.length !== t.params.length) throw new InvalidArgumentTypeError("args", `expected ${t.params.length} arguments, got ${args.length}`);
  return invoke(
    fi,
    (ctx) => {
      for (let k = 0; k < t.params.length; k++) writeRaw(ctx, 2 * k, t.params[k]!, args[k]);
    },
    (ctx) => t.results.map((rt, k) => readRaw(ctx, 2 * k, rt)),
    undefined,
    storeOf(fi),
  );
}

/** @internal Spec-runner entry point: the raw value of a `Global` object. */
export function readGlobalRaw(global: unknown): RawValue {
  const g = typeof global === "object" && global !== null ? internals.get(global) : undefined;
  if (!(g instanceof GlobalInst)) throw new InvalidArgumentTypeError("global", `not a Global, got ${describeValue(global)}`);
  switch (g.type) {
    case I32: return g.w[0]!;
    case F32: return g.w[0]! >>> 0;
    case I64: return (BigInt(g.w[1]!) << 32n) | BigInt(g.w[0]! >>> 0);
    case F64: return BigInt.asUintN(64, (BigInt(g.w[1]!) << 32n) | BigInt(g.w[0]! >>> 0));
    default: return g.ref;
  }
}

/** Whether `bytes` decode and validate as a module (`WebAssembly.validate`). */
export function validate(bytes: ArrayBuffer | ArrayBufferView): boolean {
  try {
    new Module(bytes);
    return true;
  } catch (e) {
    if (e instanceof CompileError) return false;
    throw e;
  }
}

/** `WebAssembly.compile`: a promise of the decoded and validated module. */
export function compile(bytes: ArrayBuffer | ArrayBufferView): Promise<Module> {
  return new Promise((resolve) => resolve(new Module(bytes)));
}

/** The result of {@link instantiate} given bytes. */
export interface WebAssemblyInstantiatedSource {
  readonly module: Module;
  readonly instance: Instance;
}

/**
 * `WebAssembly.instantiate`: given bytes, a promise of `{ module, instance }`; given a `Module`,
 * a promise of the `Instance`. `options.store` as for `new Instance`.
 */
export function instantiate(source: Module, importObject?: object, options?: InstanceOptions): Promise<Instance>;
export function instantiate(source: ArrayBuffer | ArrayBufferView, importObject?: object, options?: InstanceOptions): Promise<WebAssemblyInstantiatedSource>;
export function instantiate(source: Module | ArrayBuffer | ArrayBufferView, importObject?: object, options?: InstanceOptions): Promise<Instance | WebAssemblyInstantiatedSource> {
  return new Promise((resolve) => {
    if (source instanceof Module) resolve(new Instance(source, importObject, options));
    else {
      const module = new Module(source);
      resolve({ module, instance: new Instance(module, importObject, options) });
    }
  });
}

/** The value type names used in descriptors, by binary encoding (for messages). */
export function typeName(t: ValType): string {
  return valTypeName(t);
}
