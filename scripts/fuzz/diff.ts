/**
 * The differential check of one module: instantiate it on two engines (Node's WebAssembly and
 * ours), call every exported function with several argument sets, and compare after each call
 * the outcome (results bit-exact, or the trap's category), the `fuzzing-support` log calls,
 * every global, the memory bytes and the tables' null patterns. The module is first rewritten
 * to export all of its state (`exportEverything`).
 */
import type { ClassifiedError, EngineInstance, ImportObject, SpecEngine } from "../spec/engine.js";
import { messageOf } from "../spec/engine.js";
import type { OurNamespace, OurStore } from "../spec/our-engine.js";
import { OurEngine } from "../spec/our-engine.js";
import { NodeEngine } from "../spec/node-engine.js";
import { describe } from "../spec/values.js";
import type { RawValue } from "../spec/values.js";
import { exportEverything } from "./module-edit.js";
import { Rng } from "./prng.js";
import { funcTypeOf, globalTypeOf, parseModule, typeName } from "./wasm-parse.js";
import type { ParsedModule } from "./wasm-parse.js";

/** Thrown by the shared host functions (so both engines see the same exception). */
export class HostThrow extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostThrow";
  }
}

/** One engine with its per-module state hooks. */
export interface Side {
  readonly label: string;
  readonly engine: SpecEngine;
  /** Called before every export call (ours: refill the step/fuel bound). */
  beforeCall(): void;
  /** True when `e` is our own step bound running out (the comparison is then inconclusive). */
  isBudget(e: unknown): boolean;
}

/** Node's engine as a side. */
export function nodeSide(): Side {
  return { label: "node", engine: new NodeEngine(), beforeCall() {}, isBudget: () => false };
}

/** Node's engine with i32 results off by one: a deliberately wrong engine for self-tests. */
export function mutantSide(): Side {
  const base = new NodeEngine();
  const engine: SpecEngine = {
    name: "node-mutant",
    api: base.api,
    compile: (b) => base.compile(b),
    imports: (m) => base.imports(m),
    instantiate: (m, i) => base.instantiate(m, i),
    invoke: (inst, f, args, pt, rt) => base.invoke(inst, f, args, pt, rt).map((v, i) => (rt[i] === "i32" ? ((v as number) + 1) | 0 : v)),
    getGlobal: (i, f, t) => base.getGlobal(i, f, t),
    classify: (e) => base.classify(e),
  };
  return { label: "node-mutant", engine, beforeCall() {}, isBudget: () => false };
}

/**
 * Our engine as a side. With `fuelBound`, each module gets its own Store with fuel and every call
 * starts with `fuelBound` fuel; running out makes the module's comparison inconclusive.
 */
export function ourSide(ns: OurNamespace, fuelBound: number | undefined): Side {
  if (fuelBound === undefined) return ourSideWithStore(ns, undefined, () => {});
  const store = new ns.Store({ fuel: fuelBound, costs: "instructions" });
  return ourSideWithStore(ns, store, () => store.setFuel(fuelBound));
}

/**
 * Our engine with fuel metering off (the executor's other path); each call is bounded by a
 * wall-clock timeout through the store's cancellation instead (trap `interrupted`).
 */
export function ourSideFuelOff(ns: OurNamespace, timeoutMs: number): Side {
  const store = new ns.Store({ cancellation: { timeoutMs } });
  return { ...ourSideWithStore(ns, store, () => {}), label: "ours(fuel off)" };
}

/** Our engine with a given store (instances are created in it); `beforeCall` runs before each call. */
export function ourSideWithStore(ns: OurNamespace, store: OurStore | undefined, beforeCall: () => void): Side {
  const engine = store === undefined ? new OurEngine(ns) : new OurEngine(ns, { store });
  const isBudget = (e: unknown): boolean => e instanceof ns.RuntimeError && ((e as { trap?: string }).trap === "out-of-fuel" || (e as { trap?: string }).trap === "interrupted");
  return {
    label: "ours",
    engine,
    beforeCall,
    isBudget,
  };
}

/**
 * Trap category (shared by both engines' vocabularies). A message that does not tell two
 * categories apart gives both, separated by `|`; categories match when they share one.
 */
export function trapGroup(c: ClassifiedError): string {
  if (c.trap !== undefined) {
    switch (c.trap) {
      case "unreachable": return "unreachable";
      case "integer-divide-by-zero": return "div-by-zero";
      case "integer-overflow": return "int-overflow";
      case "invalid-conversion-to-integer": return "conversion";
      case "out-of-bounds-memory-access": return "memory-oob";
      case "out-of-bounds-table-access": case "undefined-element": return "table-oob";
      case "uninitialized-element": case "indirect-call-type-mismatch": return "indirect-call";
      case "null-reference": return "null-reference";
      case "call-stack-exhausted": return "stack-exhausted";
      default: return `trap:${c.trap}`;
    }
  }
  const m = c.message;
  if (/unreachable/.test(m)) return "unreachable";
  if (/divide by zero|remainder by zero/.test(m)) return "div-by-zero";
  if (/divide result unrepresentable|integer overflow/.test(m)) return "int-overflow";
  // V8 words both float->int failures (NaN: spec "invalid conversion"; out of range: spec
  // "integer overflow") as "float unrepresentable in integer range".
  if (/float unrepresentable/.test(m)) return "conversion|int-overflow";
  if (/invalid conversion/.test(m)) return "conversion";
  if (/memory access out of bounds|data segment out of bounds|out of bounds memory/.test(m)) return "memory-oob";
  if (/table index is out of bounds|element segment out of bounds|invalid index into function table|out of bounds table/.test(m)) return "table-oob";
  if (/null function or function signature mismatch|signature mismatch|uninitialized element/.test(m)) return "indirect-call";
  if (/null/.test(m)) return "null-reference";
  return `unknown-trap:${m}`;
}

export type Outcome =
  | { kind: "ok"; results: RawValue[] }
  | { kind: "trap"; group: string; message: string }
  | { kind: "host"; message: string }
  | { kind: "budget"; message: string }
  /** An uncaught wasm exception (a `WebAssembly.Exception` left the export). */
  | { kind: "exception"; message: string }
  | { kind: "error"; message: string };

export function classifyOutcome(side: Side, e: unknown): Outcome {
  if (side.isBudget(e)) return { kind: "budget", message: messageOf(e) };
  if (e instanceof HostThrow) return { kind: "host", message: e.message };
  // A trap in a nested call made by a host function (call-export) passes through it unchanged.
  const c = side.engine.classify(e);
  if (c.kind === "trap") return { kind: "trap", group: trapGroup(c), message: c.message };
  // A v128 crossing the JS boundary (a host import such as log-v128 called from wasm): the JS API's
  // TypeError on both engines, compared like a trap.
  if (e instanceof TypeError && /type incompatibility when transforming from\/to JS|v128 values cannot cross the JavaScript boundary|cannot be called from or into JavaScript/.test(c.message)) {
    return { kind: "trap", group: "v128-js-boundary", message: c.message };
  }
  if (c.kind === "exhaustion") return { kind: "trap", group: "stack-exhausted", message: c.message };
  if (c.kind === "exception") return { kind: "exception", message: c.message };
  return { kind: "error", message: c.message };
}

export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case "ok": return `ok [${o.results.map(describe).join(", ")}]`;
    case "trap": return `trap ${o.group} (${o.message})`;
    default: return `${o.kind} (${o.message})`;
  }
}

function isNaNBits(v: RawValue, t: string): boolean {
  if (t === "f32" && typeof v === "number") return (v & 0x7f800000) === 0x7f800000 && (v & 0x7fffff) !== 0;
  if (t === "f64" && typeof v === "bigint") return (v & 0x7ff0000000000000n) === 0x7ff0000000000000n && (v & 0xfffffffffffffn) !== 0n;
  return false;
}

/** Compares raw values of type `t`; NaNs compare equal to NaNs (arithmetic NaN bits are nondeterministic). */
function sameValue(a: RawValue, b: RawValue, t: string): boolean {
  switch (t) {
    case "i32": return typeof a === "number" && typeof b === "number" && (a | 0) === (b | 0);
    case "i64": return typeof a === "bigint" && typeof b === "bigint" && BigInt.asIntN(64, a) === BigInt.asIntN(64, b);
    case "f32": return typeof a === "number" && typeof b === "number" && ((a >>> 0) === (b >>> 0) || (isNaNBits(a, t) && isNaNBits(b, t)));
    case "f64": return typeof a === "bigint" && typeof b === "bigint" && (BigInt.asUintN(64, a) === BigInt.asUintN(64, b) || (isNaNBits(a, t) && isNaNBits(b, t)));
    case "v128": return typeof a === "bigint" && typeof b === "bigint" && BigInt.asUintN(128, a) === BigInt.asUintN(128, b);
    case "externref": return (a === null) === (b === null) && (a === null || (a as { ext?: unknown }).ext === (b as { ext?: unknown }).ext);
    default: return (a === null || a === undefined) === (b === null || b === undefined); // funcref: identity differs per engine
  }
}

export function sameOutcome(a: Outcome, b: Outcome, resultTypes: readonly string[]): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "ok" && b.kind === "ok") return a.results.length === b.results.length && a.results.every((v, i) => sameValue(v, b.results[i], resultTypes[i]));
  if (a.kind === "trap" && b.kind === "trap") {
    const gb = b.group.split("|");
    return a.group.split("|").some((g) => gb.includes(g));
  }
  return true;
}

/** A log entry from the fuzzing-support imports: floats by value, NaN as "nan". */
function logText(kind: string, args: readonly unknown[]): string {
  return `${kind}(${args.map((a) => (typeof a === "number" && Number.isNaN(a) ? "nan" : typeof a === "number" && Object.is(a, -0) ? "-0" : typeof a === "object" || typeof a === "function" ? (a === null ? "null" : typeof a) : String(a))).join(",")})`;
}

/** JS-API argument of a type, for calls the host functions make (all zero). */
function zeroArg(t: number): unknown {
  return t === 0x7e ? 0n : t === 0x70 || t === 0x6f ? null : 0;
}

/** Per-engine state the shared host functions use. */
export interface SideState {
  readonly side: Side;
  inst: EngineInstance | undefined;
  readonly logs: string[];
  /** Host re-entries (call-export / call-ref) during the current top-level call. */
  hostCalls: number;
  /** Current nesting of host re-entries. */
  hostDepth: number;
}

/**
 * Bounds on host re-entry per top-level call. ttf modules can build exponential call trees
 * through call-export-catch (each caught trap resets binaryen's hang limit); these bounds keep a
 * module's run short and are hit identically on both engines as long as they agree.
 */
export const MAX_HOST_CALLS = 200;
export const MAX_HOST_DEPTH = 6;
export const MAX_LOG_ENTRIES = 20000;

/** A fresh {@link SideState} for `side`. */
export function sideState(side: Side): SideState {
  return { side, inst: undefined, logs: [], hostCalls: 0, hostDepth: 0 };
}

/**
 * The host imports of a -ttf module (fuzzing-support logs, call-export, call-ref, table-get/set,
 * sleep; imported globals, memories and tables), built from `st.side`'s JS-API classes. Set
 * `st.inst` after instantiation so that call-export can reach the exports.
 */
export function makeImports(m: ParsedModule, st: SideState): ImportObject {
  const api = st.side.engine.api;
  const obj: ImportObject = {};
  const exportsOrThrow = (): Record<string, unknown> => {
    if (st.inst === undefined) throw new HostThrow("host called before exports exist");
    return st.inst.exports;
  };
  const funcExports = (): [string, unknown][] => Object.entries(exportsOrThrow()).filter(([, v]) => typeof v === "function");
  const callFn = (f: unknown): void => reenter(() => {
    if (typeof f !== "function") throw new HostThrow("not callable");
    // Only parameterless functions: a funcref's parameter types are not visible to the host.
    if ((f as { length: number }).length !== 0) throw new HostThrow("call with parameters");
    f();
  });
  const reenter = (f: () => void): void => {
    if (++st.hostCalls > MAX_HOST_CALLS) throw new HostThrow("host re-entry limit");
    if (st.hostDepth >= MAX_HOST_DEPTH) throw new HostThrow("host re-entry depth limit");
    st.hostDepth++;
    try {
      f();
    } finally {
      st.hostDepth--;
    }
  };
  const callExportByIndex = (i: number): void => reenter(() => {
    const fs = funcExports();
    if (i >>> 0 >= fs.length) throw new HostThrow("export index out of range");
    const [name, f] = fs[i >>> 0];
    const ex = m.exports.find((e) => e.name === name);
    const ft = ex !== undefined ? funcTypeOf(m, ex.index) : undefined;
    // (the JS API cannot pass a v128: both engines would throw a TypeError, before or after the call)
    if (ft !== undefined && (ft.params.includes(0x7b) || ft.results.includes(0x7b))) throw new HostThrow("call-export of a function with v128 in its type");
    (f as (...a: unknown[]) => unknown)(...(ft?.params ?? []).map(zeroArg));
  });
  const catching = (f: () => void): number => {
    try {
      f();
      return 0;
    } catch (e) {
      if (st.side.isBudget(e)) throw e;
      return 1;
    }
  };
  const table = (): { length: number; get(i: number): unknown; set(i: number, v: unknown): void } => {
    const t = Object.values(exportsOrThrow()).find((v) => v instanceof (api.Table as unknown as AnyClass)) as { length: number | bigint; get(i: number | bigint): unknown; set(i: number | bigint, v: unknown): void } | undefined;
    if (t === undefined) throw new HostThrow("no table");
    if (typeof t.length === "number") return t as { length: number; get(i: number): unknown; set(i: number, v: unknown): void };
    // a 64-bit table (table64): bigint length and indices
    return { length: Number(t.length), get: (i) => t.get(BigInt(i)), set: (i, v) => t.set(BigInt(i), v) };
  };
  // exception handling (the `eh` preset): tag imports, and `throw`, which throws a JS exception
  // (argument 0) or a WebAssembly.Exception of the imported "wasmtag" (its argument as payload)
  type TagApi = { Tag: new (t: { parameters: string[] }) => unknown; Exception: new (tag: unknown, payload: unknown[]) => unknown; JSTag?: unknown; jsTag?: () => unknown };
  const ehApi = api as unknown as TagApi;
  const tags = new Map<string, unknown>();
  const tagFor = (name: string, typeIndex: number): unknown => {
    let t = tags.get(name);
    if (t === undefined) {
      t = name === "jstag" ? ehApi.JSTag ?? ehApi.jsTag!() : new ehApi.Tag({ parameters: typeIndex < 0 ? ["i32"] : m.types[typeIndex]!.params.map((p) => (p === 0x70 ? "anyfunc" : typeName(p))) });
      tags.set(name, t);
    }
    return t;
  };
  for (const imp of m.imports) {
    const ns = (obj[imp.module] ??= {});
    const d = imp.desc;
    if (d.kind === "tag") {
      ns[imp.name] = tagFor(imp.name, d.typeIndex);
      continue;
    }
    if (d.kind === "func") {
      const log = (...args: unknown[]): void => {
        if (st.logs.length >= MAX_LOG_ENTRIES) throw new HostThrow("log limit");
        st.logs.push(logText(imp.name, args));
      };
      switch (imp.name) {
        case "log-i32": case "log-i64": case "log-f32": case "log-f64":
          ns[imp.name] = log;
          break;
        case "call-export":
          ns[imp.name] = (i: number): void => { st.logs.push(`call-export(${i})`); callExportByIndex(i); };
          break;
        case "call-export-catch":
          ns[imp.name] = (i: number): number => { st.logs.push(`call-export-catch(${i})`); return catching(() => callExportByIndex(i)); };
          break;
        case "call-ref":
          ns[imp.name] = (f: unknown): void => { st.logs.push(`call-ref(${f === null ? "null" : "func"})`); if (f === null) throw new HostThrow("null call-ref"); callFn(f); };
          break;
        case "call-ref-catch":
          ns[imp.name] = (f: unknown): number => { st.logs.push(`call-ref-catch(${f === null ? "null" : "func"})`); return catching(() => { if (f === null) throw new HostThrow("null call-ref"); callFn(f); }); };
          break;
        case "sleep":
          ns[imp.name] = (_ms: number, id: number): number => id;
          break;
        case "throw":
          ns[imp.name] = (which: number): void => {
            st.logs.push(`throw(${which})`);
            if (which === 0) throw new HostThrow("thrown by the host");
            const wasmTag = m.imports.find((i) => i.desc.kind === "tag" && i.name === "wasmtag");
            const tag = wasmTag !== undefined && wasmTag.desc.kind === "tag" ? tagFor("wasmtag", wasmTag.desc.typeIndex) : tagFor("(fresh)", -1);
            throw new ehApi.Exception(tag, [which]);
          };
          break;
        case "table-get":
          ns[imp.name] = (i: number): unknown => { const t = table(); if (i >>> 0 >= t.length) throw new HostThrow("table-get out of bounds"); return t.get(i >>> 0); };
          break;
        case "table-set":
          ns[imp.name] = (i: number, v: unknown): void => { const t = table(); if (i >>> 0 >= t.length) throw new HostThrow("table-set out of bounds"); t.set(i >>> 0, v); };
          break;
        default:
          ns[imp.name] = (...args: unknown[]): void => { st.logs.push(logText(imp.name, args)); throw new HostThrow(`unknown import ${imp.module}.${imp.name}`); };
      }
    } else if (d.kind === "global") {
      const t = typeName(d.valType);
      const v = t === "i64" ? 0n : t === "funcref" ? null : t === "externref" ? { ext: `global ${imp.name}` } : 0;
      ns[imp.name] = new api.Global({ value: t === "funcref" ? "anyfunc" : t, mutable: d.mutable }, v);
    } else if (d.kind === "memory") {
      ns[imp.name] = new api.Memory(d.max === undefined ? { initial: d.min } : { initial: d.min, maximum: d.max });
    } else {
      const element = d.elemType === 0x6f ? "externref" : "anyfunc";
      ns[imp.name] = new api.Table(d.max === undefined ? { element, initial: d.min } : { element, initial: d.min, maximum: d.max });
    }
  }
  return obj;
}

/** Argument values (raw) for a parameter type; `set` 0 is all zeros. */
export function argFor(t: number, rng: Rng, set: number): RawValue {
  if (set === 0) return t === 0x7e || t === 0x7c || t === 0x7b ? 0n : t === 0x70 || t === 0x6f ? null : 0;
  switch (t) {
    case 0x7b: return rng.bool() ? (rng.u64() << 64n) | rng.u64() : BigInt.asUintN(128, rng.pick([-1n, 1n, 0x7fc000007f8000003f80000080000000n, 0x8000000000000000fff0000000000000n]));
    case 0x7f: return rng.pick([1, -1, 0x7fffffff, -0x80000000, 2, 100, 65535, 65536, rng.u32() | 0, rng.int(256)]);
    case 0x7e: return BigInt.asIntN(64, rng.pick([1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x100000000n, rng.u64(), BigInt(rng.int(1000))]));
    case 0x7d: return rng.pick([0x3f800000, 0x80000000, 0x7f800000, 0xff800000, 0x4f000000, 0xcf000000, 0x00000001, rng.u32(), 0x40490fdb]);
    case 0x7c: return rng.pick([0x3ff0000000000000n, 0x8000000000000000n, 0x7ff0000000000000n, 0x43e0000000000000n, 0xc1e0000000000000n, 1n, rng.u64(), 0x400921fb54442d18n]);
    case 0x6f: return rng.bool() ? null : { ext: rng.int(4) };
    default: return null;
  }
}

export interface DiffReport {
  /** agree: all calls matched; diverge: a mismatch; inconclusive: our bound ran out; skipped: module not usable. */
  status: "agree" | "diverge" | "inconclusive" | "skipped";
  calls: number;
  detail: string;
  /** The (export-everything) module that was compared. */
  module: Uint8Array;
}

export interface DiffOptions {
  /** Argument sets per export (default 3: zeros and two random sets). */
  readonly argSets?: number;
  /** Compare memories exactly (default) or tolerate NaN-shaped differences (when run without --denan). */
  readonly nanTolerantMemory?: boolean;
}

type AnyClass = new (...args: never[]) => object;

/** The bytes of the instance's (first) exported memory. */
function memoryOf(inst: EngineInstance, api: { Memory: unknown }): Uint8Array | undefined {
  for (const v of Object.values(inst.exports)) {
    if (v instanceof (api.Memory as AnyClass)) return new Uint8Array((v as { buffer: ArrayBuffer }).buffer);
  }
  return undefined;
}

/** Explains every differing byte range by a window of 4 or 8 bytes that is a NaN on both sides. */
function nanExplains(a: Uint8Array, b: Uint8Array): boolean {
  const dv1 = new DataView(a.buffer, a.byteOffset, a.byteLength);
  const dv2 = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const nan32 = (dv: DataView, o: number): boolean => { const v = dv.getUint32(o, true); return (v & 0x7f800000) === 0x7f800000 && (v & 0x7fffff) !== 0; };
  const nan64 = (dv: DataView, o: number): boolean => { const hi = dv.getUint32(o + 4, true); const lo = dv.getUint32(o, true); return (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0); };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    let ok = false;
    for (let s = Math.max(0, i - 7); s <= i && !ok; s++) {
      if (s + 4 <= a.length && s + 4 > i && nan32(dv1, s) && nan32(dv2, s)) ok = true;
      else if (s + 8 <= a.length && nan64(dv1, s) && nan64(dv2, s)) ok = true;
    }
    if (!ok) return false;
  }
  return true;
}

/** Runs the differential check of `bytesIn` on sides `a` (reference) and `b`. */
export function diffModule(bytesIn: Uint8Array, a: Side, b: Side, seed: number, options: DiffOptions = {}): DiffReport {
  const bytes = exportEverything(bytesIn);
  const m = parseModule(bytes);
  const sides: SideState[] = [a, b].map(sideState);
  const report = (status: DiffReport["status"], calls: number, detail: string): DiffReport => ({ status, calls, detail, module: bytes });

  // Instantiate on both.
  const inst: (Outcome | undefined)[] = sides.map((st) => {
    try {
      const mod = st.side.engine.compile(bytes);
      st.side.beforeCall();
      st.inst = st.side.engine.instantiate(mod, makeImports(m, st));
      return undefined;
    } catch (e) {
      const c = st.side.engine.classify(e);
      return c.kind === "trap" || c.kind === "exhaustion" ? classifyOutcome(st.side, e) : ({ kind: "error", message: `${c.kind}: ${c.message}` } as Outcome);
    }
  });
  if (inst[0] !== undefined || inst[1] !== undefined) {
    // a module using a proposal this engine refuses by design (binaryen's -ttf may emit a
    // `ref.as_non_null` of typed function references, which Node 26 accepts): skipped, by name
    const refused = inst[0] === undefined && inst[1]?.kind === "error" ? /unsupported feature ([^:]+):/.exec(inst[1].message) : null;
    if (refused !== null) return report("skipped", 0, `uses ${refused[1]}, which this engine refuses (CompileError unsupported)`);
    // the other way round: the reference engine says it lacks a proposal we implement (Node 20's V8
    // refuses the `ref.as_non_null` of typed function references that -ttf emits with reference
    // types, "enable with --experimental-wasm-typed_funcref"): the oracle is blind there, skipped
    const lacks = inst[1] === undefined && inst[0]?.kind === "error" ? /enable with --experimental-wasm-([\w-]+)/.exec(inst[0].message) : null;
    if (lacks !== null) return report("skipped", 0, `${a.label} lacks the proposal ${lacks[1]} (it says: enable with --experimental-wasm-${lacks[1]}); this engine implements it`);
    if (inst[1]?.kind === "budget") return report("inconclusive", 0, `instantiation ran out of our bound`);
    if (inst[0] !== undefined && inst[1] !== undefined && sameOutcome(inst[0], inst[1], [])) return report("agree", 0, `both failed to instantiate: ${describeOutcome(inst[0])}`);
    return report("diverge", 0, `instantiation: ${a.label} ${inst[0] ? describeOutcome(inst[0]) : "ok"}; ${b.label} ${inst[1] ? describeOutcome(inst[1]) : "ok"}`);
  }

  const rng = new Rng(seed ^ 0x5bd1e995);
  const argSets = options.argSets ?? 3;
  // (a function with an exnref in its type cannot be called from JavaScript: the JS API's TypeError
  // on Node, and our raw entry point used here does not model it; such exports are not called)
  const funcs = m.exports.filter((e) => e.kind === 0 && ![...funcTypeOf(m, e.index).params, ...funcTypeOf(m, e.index).results].includes(0x69));
  // (an exnref global's value cannot be read from JavaScript)
  const globals = m.exports.filter((e) => e.kind === 3 && globalTypeOf(m, e.index).valType !== 0x69).map((e) => ({ name: e.name, type: typeName(globalTypeOf(m, e.index).valType) }));
  // (an exnref table's elements cannot be read from JavaScript)
  const tableType = (i: number): number => (i < m.importedTables ? (m.imports.filter((x) => x.desc.kind === "table")[i]!.desc as { elemType: number }).elemType : m.tables[i - m.importedTables]!.elemType);
  const tables = m.exports.filter((e) => e.kind === 1 && tableType(e.index) !== 0x69).map((e) => e.name);
  let calls = 0;
  const checkState = (where: string): string | undefined => {
    const [la, lb] = [sides[0].logs, sides[1].logs];
    if (la.length !== lb.length || la.some((x, i) => x !== lb[i])) {
      const i = la.findIndex((x, k) => x !== lb[k]);
      return `${where}: log calls differ at entry ${i < 0 ? Math.min(la.length, lb.length) : i}: ${a.label} ${la.slice(Math.max(0, i), i + 3).join(" ")} / ${b.label} ${lb.slice(Math.max(0, i), i + 3).join(" ")} (lengths ${la.length}/${lb.length})`;
    }
    for (const g of globals) {
      const va = a.engine.getGlobal(sides[0].inst!, g.name, g.type);
      const vb = b.engine.getGlobal(sides[1].inst!, g.name, g.type);
      if (!sameValue(va, vb, g.type)) return `${where}: global ${g.name} (${g.type}) ${a.label} ${describe(va)} / ${b.label} ${describe(vb)}`;
    }
    const ma = memoryOf(sides[0].inst!, a.engine.api);
    const mb = memoryOf(sides[1].inst!, b.engine.api);
    if ((ma === undefined) !== (mb === undefined)) return `${where}: memory export present on one side only`;
    if (ma !== undefined && mb !== undefined) {
      if (ma.length !== mb.length) return `${where}: memory size ${a.label} ${ma.length} / ${b.label} ${mb.length}`;
      if (Buffer.compare(ma, mb) !== 0 && !(options.nanTolerantMemory === true && nanExplains(ma, mb))) {
        let i = 0;
        while (ma[i] === mb[i]) i++;
        return `${where}: memory differs first at byte ${i}: ${a.label} ${ma[i]} / ${b.label} ${mb[i]}`;
      }
    }
    for (const t of tables) {
      // a 64-bit table (table64) has a bigint length and takes bigint indices
      const ta = sides[0].inst!.exports[t] as { length: number | bigint; get(i: number | bigint): unknown };
      const tb = sides[1].inst!.exports[t] as { length: number | bigint; get(i: number | bigint): unknown };
      if (ta.length !== tb.length) return `${where}: table ${t} length ${ta.length} / ${tb.length}`;
      const wide = typeof ta.length === "bigint";
      for (let i = 0; i < Math.min(Number(ta.length), 4096); i++) {
        const x = wide ? BigInt(i) : i;
        if ((ta.get(x) === null) !== (tb.get(x) === null)) return `${where}: table ${t}[${i}] null on one side only`;
      }
    }
    return undefined;
  };
  const s0 = checkState("after instantiation");
  if (s0 !== undefined) return report("diverge", 0, s0);

  for (const ex of funcs) {
    const ft = funcTypeOf(m, ex.index);
    const pt = ft.params.map(typeName);
    const rt = ft.results.map(typeName);
    for (let set = 0; set < argSets; set++) {
      const args = ft.params.map((t) => argFor(t, rng, set));
      const outcomes = sides.map((st): Outcome => {
        try {
          st.side.beforeCall();
          st.hostCalls = 0;
          return { kind: "ok", results: st.side.engine.invoke(st.inst!, ex.name, args, pt, rt) };
        } catch (e) {
          return classifyOutcome(st.side, e);
        }
      });
      calls++;
      const where = `call ${calls} ${ex.name}(${args.map(describe).join(", ")})`;
      if (outcomes[1].kind === "budget" || outcomes[0].kind === "budget") return report("inconclusive", calls, `${where}: ran out of the step bound`);
      if (!sameOutcome(outcomes[0], outcomes[1], rt)) return report("diverge", calls, `${where}: ${a.label} ${describeOutcome(outcomes[0])}; ${b.label} ${describeOutcome(outcomes[1])}`);
      if (outcomes[0].kind === "error") return report("diverge", calls, `${where}: unexpected exception on both: ${outcomes[0].message}`);
      const s = checkState(where);
      if (s !== undefined) return report("diverge", calls, s);
      for (const st of sides) st.logs.length = 0;
    }
  }
  return report("agree", calls, "");
}
