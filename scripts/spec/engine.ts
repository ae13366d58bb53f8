/**
 * The engine interface the spec runner (and the fuzzers) drive. Two implementations: Node's own
 * `WebAssembly` (the oracle, `node-engine.ts`) and pureflow's interpreter (`our-engine.ts`).
 * Values cross this interface as RawValues (see values.ts), so floats stay bit-exact.
 */
import type { RawValue } from "./values.js";

/** The standard JS-API classes an engine namespace provides (WebAssembly or ours). */
export interface JsApiNamespace {
  readonly Global: new (descriptor: { value: string; mutable?: boolean }, value?: unknown) => unknown;
  readonly Table: new (descriptor: { element: string; initial: number; maximum?: number }) => unknown;
  readonly Memory: new (descriptor: { initial: number; maximum?: number }) => unknown;
}

/** What kind of failure an engine raised. */
export type FailureKind = "compile" | "link" | "trap" | "exhaustion" | "exception" | "other";

export interface ClassifiedError {
  readonly kind: FailureKind;
  /** Stable trap code when the engine has one (ours), else undefined. */
  readonly trap: string | undefined;
  readonly message: string;
}

/** An instantiated module as the runner sees it. */
export interface EngineInstance {
  /** The instance's exports in JS-API form, used for `register` and imports of later modules. */
  readonly exports: Record<string, unknown>;
}

export type ImportObject = Record<string, Record<string, unknown>>;

export interface ImportDescriptor {
  readonly module: string;
  readonly name: string;
  readonly kind: string;
}

/** An engine under test. All methods may throw engine errors; the runner classifies them. */
export interface SpecEngine {
  readonly name: string;
  readonly api: JsApiNamespace;
  compile(bytes: Uint8Array): unknown;
  imports(module: unknown): readonly ImportDescriptor[];
  instantiate(module: unknown, imports: ImportObject): EngineInstance;
  /**
   * Calls export `field` with raw arguments of the given types; returns raw results.
   * `paramTypes`/`resultTypes` are wast2json type names (i32, i64, f32, f64, funcref, externref).
   */
  invoke(inst: EngineInstance, field: string, args: readonly RawValue[], paramTypes: readonly string[], resultTypes: readonly string[]): RawValue[];
  /** Reads exported global `field` as a raw value of type `type`. */
  getGlobal(inst: EngineInstance, field: string, type: string): RawValue;
  classify(e: unknown): ClassifiedError;
}

/** Message of anything thrown. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
