/**
 * The seam between the component linker and a core WebAssembly engine. The library's engine is
 * our interpreter (`interpreter-engine.ts`, through `interpreter/index.ts` only); tests may plug
 * in other engines (e.g. Node's own WebAssembly as an oracle, or a scripted fake) through the
 * same interface. Values crossing it: i32/f32/f64 as numbers, i64 as bigint.
 */
import type { CoreValue, GuestMemory } from "../abi/context.js";

/** Options of an async (sliced) core call. */
export interface CoreCallAsyncOptions {
  /** Aborting stops the guest at its next cancellation check. */
  readonly signal?: AbortSignal;
  /** Interpreter steps between yields to the event loop. */
  readonly sliceSteps?: number;
}

/** A core WebAssembly engine as the component linker uses it. */
export interface CoreEngine<Module = unknown, Store = unknown> {
  /** Compiles (decodes and validates) a core module once; the result is instantiated many times. */
  compile(bytes: Uint8Array): Module;
  /** Instantiates `module` with `imports` (module name -> field name -> extern value) in `store`. */
  instantiate(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined): Record<string, unknown>;
  /**
   * Calls an exported core function; returns its results as an array. `options.signal` (used
   * for `realloc`/`post-return` inside an async call) adds a cancellation source for this call.
   */
  call(func: unknown, args: readonly CoreValue[], options?: { readonly signal?: AbortSignal }): CoreValue[];
  /**
   * Snapshot support (optional, issue 18): instantiates `module` like {@link instantiate} but
   * applies no segment and runs no start function; the state comes from {@link restore}.
   */
  instantiateUninitialized?(module: Module, imports: Record<string, Record<string, unknown>>, store: Store | undefined): Record<string, unknown>;
  /** Captures the state of the core instances whose exports `instances` are (in creation order); throws when it cannot. */
  snapshot?(instances: readonly Record<string, unknown>[]): unknown;
  /** Gives uninitialised core instances (same modules, same order, same links) the captured state. */
  restore?(instances: readonly Record<string, unknown>[], snapshot: unknown): void;
  /**
   * Execution snapshots (optional, issue 16): starts a call of an exported core function that
   * stops, instead of failing, when the store runs out of fuel inside it.
   */
  callResumable?(func: unknown, args: readonly CoreValue[]): CoreResumableCall;
  /** Captures a call stopped out of fuel with the state of `instances` (every core instance of the component, in creation order). */
  captureCall?(call: CoreResumableCall, instances: readonly Record<string, unknown>[]): Uint8Array;
  /** Restores a captured call into uninitialised core instances (same modules, same order, same links); `func` must be the function it entered. */
  restoreCall?(bytes: Uint8Array, instances: readonly Record<string, unknown>[], func: unknown): CoreResumableCall;
  /** Calls an exported core function through a resumable/async API, when the engine has one. */
  callAsync?(func: unknown, args: readonly CoreValue[], options: CoreCallAsyncOptions, store: Store | undefined): Promise<CoreValue[]>;
  /**
   * For a memory this engine made: a function giving its current bytes without handing out its
   * `buffer` (so that growing it detaches nothing); undefined for any other value.
   */
  memoryBytes?(memory: unknown): (() => Uint8Array) | undefined;
}

/**
 * A core memory as the `memory` canonical option reads it: through the engine's
 * {@link CoreEngine.memoryBytes} when it gives one (GuestMemory.bytes says why), else its `buffer`.
 */
export function guestMemory(engine: CoreEngine, memory: unknown): GuestMemory {
  const m = memory as GuestMemory;
  const bytes = engine.memoryBytes?.(memory);
  if (bytes === undefined) return m;
  return {
    get buffer(): ArrayBufferLike {
      return m.buffer;
    },
    bytes,
  };
}

/** A core call that can stop out of fuel and continue (after the host tops up the store's fuel). */
export interface CoreResumableCall {
  /** `"finished"` (results available) or `"out-of-fuel"` (top up, then `resume()`). */
  readonly state: "finished" | "out-of-fuel";
  /** The results of a finished call. */
  readonly results: readonly CoreValue[];
  /** Continues an out-of-fuel call with the store's current fuel. */
  resume(): void;
}

/** Normalises a JS-API style call result (undefined, one value, or an array) into an array. */
export function resultsArray(r: unknown): CoreValue[] {
  if (r === undefined) return [];
  if (Array.isArray(r)) return r as CoreValue[];
  return [r as CoreValue];
}
