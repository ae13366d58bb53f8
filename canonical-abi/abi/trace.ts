/**
 * The Canonical ABI call trace (`pureflow-wasm run --trace-abi`, the `trace` option of
 * `ComponentFunction.call`): an {@link AbiTrace} given to one `canon lift` call records, in order,
 * every step of that call as the lifting and lowering code performs it: each `realloc` (original
 * pointer and size, alignment, new size, the pointer returned, the fuel it used), each value
 * stored while lowering and loaded while lifting (address, size, bytes, WIT path such as
 * `inputs[0].packets[1].metadata.route.source?.node-id`, the value), the content ranges of strings
 * and lists with the checks made on them, the flat core arguments, the core call, the return
 * pointer, `post-return`, and the trap (rule, message and the WIT path where it fired).
 *
 * The events come from hooks in the spec functions themselves (`store`, `load`, `lower_flat`,
 * `lift_flat`, `LiftLowerContext.realloc`, `load_list_from_range`, ...), never from a second
 * implementation; with no trace the hooks cost one null check per value. Paths: a parameter by
 * its name, the result as `result`, record fields `.label`, tuple elements `.0`, list elements
 * `[i]`, an option's payload `?`, a variant's or result's payload `<case>`.
 *
 * Bytes are read once a phase is over (after lowering, before the core call; after lifting, or
 * at the trap), so a value's bytes are what the spec code wrote or read. An event records at most
 * {@link MAX_EVENT_BYTES} bytes; a trace records at most `maxEvents` events (the rest are counted).
 */
import type { CoreValType, FuncType, ValType, Value } from "../types.js";
import { witType } from "../wit-text.js";
import { discriminant_size, elem_size } from "./alignment.js";
import { despecialize } from "./despecialize.js";
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flat_count_types, flatten_functype, param_types, result_type } from "./flatten.js";

/** The WIT path segment a spec function passes for a nested value: a field or case label, or an index. */
export type PathSegment = string | number | null;

/** The most bytes one event records (longer ranges are cut; `bytesTruncated` says so). */
export const MAX_EVENT_BYTES = 4096;

/** A core value as text: `i32 1024`, `i64 -1`, `f64 1.5`. */
export type FlatValueText = string;

/** Which half of the call a step belongs to. */
export type AbiPhase = "lower" | "call" | "lift" | "post-return";

/** Fields every event has. */
interface EventBase {
  /** Position in the trace, from 0. */
  readonly seq: number;
  readonly phase: AbiPhase;
}

/** The call starts: the function, its flat core signature, whether parameters/results go through memory. */
export interface CallBeginEvent extends EventBase {
  readonly step: "call-begin";
  readonly func: string;
  readonly coreParams: readonly CoreValType[];
  readonly coreResults: readonly CoreValType[];
  readonly paramsInMemory: boolean;
  readonly resultsInMemory: boolean;
}

/** One `realloc(original_ptr, original_size, alignment, new_size) -> ptr` call into the guest. */
export interface ReallocEvent extends EventBase {
  readonly step: "realloc";
  readonly path: string;
  readonly originalPtr: number;
  readonly originalSize: number;
  readonly alignment: number;
  readonly newSize: number;
  /** The pointer returned (checked afterwards: T12). */
  result: number | null;
  /** Fuel the guest's realloc consumed (null when the trace has no fuel source). */
  fuel: number | null;
}

/** A value stored into (lowering) or loaded from (lifting) guest memory. */
export interface ValueEvent extends EventBase {
  readonly step: "store" | "load";
  readonly path: string;
  /** The value's WIT type. */
  readonly type: string;
  readonly address: number;
  /**
   * The bytes of the value itself: a scalar's bytes, a string's or list's (pointer, length)
   * pair, a variant's discriminant (its payload is a separate event), a flags bit vector.
   */
  readonly size: number;
  bytes: number[];
  /** The value as text (strings JSON-quoted, variants by their case label, lists by their length). */
  value: string | null;
  /** False when a trap fired while this value was being stored or loaded. */
  complete: boolean;
  /** Checks the value passed while it was loaded: a variant's discriminant (T9), a char (T1). */
  checks: string[];
}

/** The content range of a string or list (or the parameter tuple), with the checks made on it. */
export interface RangeEvent extends EventBase {
  readonly step: "range";
  readonly what: "string" | "list" | "params" | "return-area";
  readonly path: string;
  readonly address: number;
  readonly length: number;
  /** The checks made, in the spec's words, each with its rule id. */
  readonly checks: readonly string[];
  bytes: number[];
  bytesTruncated: boolean;
}

/** The flat core arguments of the core call. */
export interface FlatArgsEvent extends EventBase {
  readonly step: "flat-args";
  readonly values: readonly FlatValueText[];
}

/** The core function returned. */
export interface CoreCallEvent extends EventBase {
  readonly step: "core-call";
  readonly results: readonly FlatValueText[];
  readonly fuel: number | null;
}

/** The results come through the return pointer (more than MAX_FLAT_RESULTS flat values). */
export interface ReturnPointerEvent extends EventBase {
  readonly step: "return-pointer";
  readonly address: number;
  readonly size: number;
  readonly alignment: number;
  readonly checks: readonly string[];
}

/** `post-return` was called with the core results. */
export interface PostReturnEvent extends EventBase {
  readonly step: "post-return";
  readonly fuel: number | null;
}

/** A trap (or host error) ended the call: where (path and phase) and why. */
export interface TrapEvent extends EventBase {
  readonly step: "trap";
  /** The Canonical ABI rule (T1–T15) when it is an ABI trap. */
  readonly rule: string | null;
  /** The error's code (`canonical-abi-trap`, `guest-trap`, `invalid-host-value`, ...). */
  readonly code: string;
  readonly message: string;
  /** The WIT path of the value being stored or loaded, "" outside any value. */
  readonly path: string;
}

/** The call returned normally. */
export interface CallEndEvent extends EventBase {
  readonly step: "call-end";
  readonly fuel: number | null;
}

/** One step of a traced call. */
export type AbiTraceEvent =
  | CallBeginEvent | ReallocEvent | ValueEvent | RangeEvent | FlatArgsEvent | CoreCallEvent
  | ReturnPointerEvent | PostReturnEvent | TrapEvent | CallEndEvent;

/** The JSON form of a trace (`AbiTrace.toJSON`). */
export interface AbiTraceJson {
  readonly events: readonly AbiTraceEvent[];
  /** Events not recorded because the trace was full. */
  readonly dropped: number;
}

/** Options of {@link AbiTrace}. */
export interface AbiTraceOptions {
  /** The most events recorded (default 200,000); later ones are only counted in `dropped`. */
  readonly maxEvents?: number;
  /** The fuel consumed so far by the store the call runs in, to charge each step its fuel. */
  readonly fuel?: () => number;
}

/** Anything with the current guest memory bytes (a `LiftLowerContext`). */
interface MemorySource {
  bytes(): Uint8Array;
}

interface Frame {
  readonly path: string;
  /** The value's kind (`list`, `option`, ...), or `#params` / `#results` at the root. */
  readonly kind: string;
  readonly event: ValueEvent | null;
}

const ROOT_PARAMS = "#params";
const ROOT_RESULTS = "#results";

/** Kinds whose value event would only repeat their fields (records and tuples are paths only). */
function hasOwnBytes(t: ValType): boolean {
  return t.kind !== "record" && t.kind !== "tuple";
}

/** The bytes a value event covers: see {@link ValueEvent.size}. */
function ownSize(t: ValType): number {
  const d = despecialize(t);
  return d.kind === "variant" ? discriminant_size(d.cases) : elem_size(t);
}

/**
 * `t` as WIT text for a trace line: written out when short, else records and variants by their
 * labels only (`record { port-id, packets }`) and the rest abbreviated the same way inside.
 */
export function shortType(t: ValType): string {
  const full = witType(t);
  if (full.length <= 40) return full;
  switch (t.kind) {
    case "record": return `record { ${t.fields.map((f) => f.label).join(", ")} }`;
    case "variant": return `variant { ${t.cases.map((c) => c.label).join(", ")} }`;
    case "list": return `list<${shortType(t.elem)}>`;
    case "option": return `option<${shortType(t.type)}>`;
    case "result": return `result<${t.ok === null ? "_" : shortType(t.ok)}, ${t.err === null ? "_" : shortType(t.err)}>`;
    case "tuple": return `tuple<${t.types.map(shortType).join(", ")}>`;
    default: return full;
  }
}

/** A host or lifted value as short text. */
export function valueText(t: ValType, v: Value | undefined): string | null {
  if (v === undefined) return null;
  switch (t.kind) {
    case "string": {
      const s = v as string;
      return JSON.stringify(s.length > 200 ? s.slice(0, 200) + "…" : s);
    }
    case "char": return JSON.stringify(v);
    case "list": {
      const n = (v as { length?: unknown }).length;
      return typeof n === "number" ? `list of ${n}` : null;
    }
    case "enum": return String(v);
    case "option": case "result": case "variant": {
      const tag = (v as { tag?: unknown }).tag;
      return typeof tag === "string" ? tag : null;
    }
    case "flags": {
      const on = Object.entries(v as Record<string, unknown>).filter(([, b]) => b === true).map(([k]) => k);
      return `{${on.join(", ")}}`;
    }
    case "record": case "tuple": return null;
    default: return typeof v === "bigint" || typeof v === "number" || typeof v === "boolean" ? String(v) : null;
  }
}

/** The checks a loaded value of type `t` passed (described from its decoded value `v`). */
function loadChecks(t: ValType, v: Value | undefined): string[] {
  if (t.kind === "char" && typeof v === "string") return [`T1 0x${(v.codePointAt(0) ?? 0).toString(16)} is a Unicode scalar value`];
  const d = despecialize(t);
  if (d.kind !== "variant" || v === undefined) return [];
  const tag = t.kind === "enum" ? v : (v as { tag?: unknown }).tag;
  const label = t.kind === "result" && tag === "err" ? "error" : tag;
  const index = d.cases.findIndex((c) => c.label === label);
  return index < 0 ? [] : [`T9 discriminant ${index} < ${d.cases.length} cases`];
}

/** `i32 5`, `i64 -1`: a core value with its type. */
export function flatText(v: unknown, t?: CoreValType): FlatValueText {
  const ty = t ?? (typeof v === "bigint" ? "i64" : "i32");
  return `${ty} ${String(v)}`;
}

/**
 * The recorder of one traced call (see the file comment). Create one per call and pass it as
 * the call's `trace` option; read {@link events} or {@link toJSON} afterwards.
 */
export class AbiTrace {
  /** The steps so far, in order. */
  readonly events: AbiTraceEvent[] = [];
  /** Events not recorded because the trace was full. */
  dropped = 0;
  /** The phase the call is in. */
  phase: AbiPhase = "lower";
  private readonly maxEvents: number;
  private fuelSource: (() => number) | null;
  private frames: Frame[] = [];
  private paramNames: readonly string[] = [];
  /** Events whose bytes are read when the phase ends. */
  private pending: (ValueEvent | RangeEvent)[] = [];

  constructor(options: AbiTraceOptions = {}) {
    this.maxEvents = options.maxEvents ?? 200_000;
    this.fuelSource = options.fuel ?? null;
  }

  /** Sets where fuel is read from, unless the trace was created with one (hosts call this with their store's counter). */
  useFuelSource(fuel: () => number): void {
    if (this.fuelSource === null) this.fuelSource = fuel;
  }

  /** Fuel consumed so far, or null without a fuel source. */
  fuelNow(): number | null {
    return this.fuelSource === null ? null : this.fuelSource();
  }

  private push<E extends AbiTraceEvent>(e: Omit<E, "seq" | "phase">): E | null {
    if (this.events.length >= this.maxEvents) {
      this.dropped++;
      return null;
    }
    const full = { seq: this.events.length + this.dropped, phase: this.phase, ...e } as E;
    this.events.push(full);
    return full;
  }

  /** The WIT path of the value being stored or loaded ("" outside any value). */
  currentPath(): string {
    const top = this.frames[this.frames.length - 1];
    return top === undefined || top.kind.startsWith("#") ? "" : top.path;
  }

  /** `canon lift` starts: the function type sets the parameter names of the paths. */
  begin(ft: FuncType): void {
    this.phase = "lower";
    this.paramNames = ft.params.map((p) => p.label);
    this.frames = [{ path: "", kind: ROOT_PARAMS, event: null }];
    const lift = flatten_functype(ft, "lift");
    this.push<CallBeginEvent>({
      step: "call-begin", func: `func(${ft.params.map((p) => `${p.label}: ${shortType(p.type)}`).join(", ")})${ft.result === null ? "" : ` -> ${shortType(ft.result)}`}`, coreParams: lift.params, coreResults: lift.results,
      paramsInMemory: flat_count_types(param_types(ft)) > MAX_FLAT_PARAMS,
      resultsInMemory: flat_count_types(result_type(ft)) > MAX_FLAT_RESULTS,
    });
  }

  /**
   * A spec function starts storing, loading, lowering or lifting a value of type `t` nested at
   * `at` in the current value. `address` is its memory address, or -1 for a flat value.
   */
  enter(at: PathSegment, t: ValType, address: number, step: "store" | "load"): void {
    const parent = this.frames[this.frames.length - 1];
    const path = segmentPath(parent, at, this.paramNames);
    let event: ValueEvent | null = null;
    if (address >= 0 && hasOwnBytes(t)) {
      event = this.push<ValueEvent>({ step, path, type: shortType(t), address, size: ownSize(t), bytes: [], value: null, complete: false, checks: [] });
      if (event !== null) this.pending.push(event);
    }
    this.frames.push({ path, kind: t.kind, event });
  }

  /** The value entered last is complete (`v` is the value stored or loaded). Not called on a trap. */
  leave(t: ValType, v: Value | undefined): void {
    const f = this.frames.pop();
    if (f === undefined || f.event === null) return;
    f.event.value = valueText(t, v);
    f.event.complete = true;
    if (f.event.step === "load") f.event.checks = loadChecks(t, v);
  }

  /**
   * Runs `body` (a spec function's work on one value) between {@link enter} and {@link leave};
   * `value` is the host value when storing or lowering (else `body`'s result is the value).
   */
  within<R>(at: PathSegment, t: ValType, address: number, step: "store" | "load", body: () => R, value?: Value): R {
    this.enter(at, t, address, step);
    const r = body();
    this.leave(t, value === undefined ? (r as Value | undefined) : value);
    return r;
  }

  /** A `realloc` call is about to be made. */
  reallocBegin(originalPtr: number, originalSize: number, alignment: number, newSize: number): ReallocEvent | null {
    return this.push<ReallocEvent>({ step: "realloc", path: this.currentPath(), originalPtr, originalSize, alignment, newSize, result: null, fuel: null });
  }

  /** The content range of a string or list (or the parameter tuple or return area) passed its checks. */
  range(what: RangeEvent["what"], address: number, length: number, checks: readonly string[]): void {
    const e = this.push<RangeEvent>({ step: "range", what, path: this.currentPath(), address, length, checks, bytes: [], bytesTruncated: false });
    if (e !== null) this.pending.push(e);
  }

  /** Lowering is done: the bytes written are read now, and the flat arguments recorded. */
  flatArgs(cx: MemorySource | null, values: readonly unknown[], types: readonly CoreValType[]): void {
    this.flush(cx);
    this.push<FlatArgsEvent>({ step: "flat-args", values: values.map((v, i) => flatText(v, types[i])) });
    this.phase = "call";
  }

  /** The core function returned `results` after consuming `fuel`. */
  coreReturned(results: readonly unknown[], types: readonly CoreValType[], fuel: number | null): void {
    this.push<CoreCallEvent>({ step: "core-call", results: results.map((v, i) => flatText(v, types[i])), fuel });
    this.phase = "lift";
    this.frames = [{ path: "", kind: ROOT_RESULTS, event: null }];
  }

  /** The results are read through the return pointer `address` (checks passed). */
  returnPointer(address: number, size: number, alignment: number, checks: readonly string[]): void {
    this.push<ReturnPointerEvent>({ step: "return-pointer", address, size, alignment, checks });
  }

  /** Lifting is done: the bytes read are recorded now; `post-return` comes next. */
  lifted(cx: MemorySource | null): void {
    this.flush(cx);
    this.phase = "post-return";
  }

  /** `post-return` returned after consuming `fuel`. */
  postReturn(fuel: number | null): void {
    this.push<PostReturnEvent>({ step: "post-return", fuel });
  }

  /** The call returned normally. */
  end(fuel: number | null): void {
    this.push<CallEndEvent>({ step: "call-end", fuel });
  }

  /** The call failed with `error`: where (the path of the value in progress) and why. */
  trapped(cx: MemorySource | null, error: unknown): void {
    const path = this.currentPath();
    this.flush(cx);
    const e = error as { rule?: unknown; code?: unknown; message?: unknown };
    this.push<TrapEvent>({
      step: "trap",
      rule: typeof e?.rule === "string" ? e.rule : null,
      code: typeof e?.code === "string" ? e.code : "error",
      message: typeof e?.message === "string" ? e.message : String(error),
      path,
    });
  }

  /** Reads the bytes of the events recorded since the last flush from the current memory. */
  private flush(cx: MemorySource | null): void {
    let mem: Uint8Array | null = null;
    try {
      mem = cx === null ? null : cx.bytes();
    } catch {
      mem = null;
    }
    for (const e of this.pending) {
      const length = e.step === "range" ? e.length : e.size;
      if (mem === null) continue;
      const start = Math.min(e.address, mem.length);
      const n = Math.min(length, MAX_EVENT_BYTES, mem.length - start);
      e.bytes = Array.from(mem.subarray(start, start + Math.max(0, n)));
      if (e.step === "range") e.bytesTruncated = e.bytes.length < length;
    }
    this.pending = [];
  }

  /** The JSON form: `{ events, dropped }`. */
  toJSON(): AbiTraceJson {
    return { events: this.events, dropped: this.dropped };
  }
}

/** The path of a value at segment `at` inside `parent`. */
function segmentPath(parent: Frame | undefined, at: PathSegment, paramNames: readonly string[]): string {
  if (parent === undefined) return String(at ?? "");
  switch (parent.kind) {
    case ROOT_PARAMS: return typeof at === "number" ? paramNames[at] ?? `arg${at}` : String(at ?? "");
    case ROOT_RESULTS: return "result";
    case "list": return `${parent.path}[${String(at)}]`;
    case "option": return `${parent.path}?`;
    case "variant": case "result": return `${parent.path}<${String(at)}>`;
    default: return `${parent.path}.${String(at)}`;
  }
}
