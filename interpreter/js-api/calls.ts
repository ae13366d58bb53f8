/**
 * Entry points beyond the JS API for exported functions: calls with per-call options
 * (`call`), asynchronous sliced calls (`callAsync`), resumable calls (`callResumable`), and the
 * raw-value entry points of the spec runner (`invokeRaw`, `readGlobalRaw`).
 */
import { canonicalIn } from "../decode/matching.js";
import { describeValue, InvalidArgumentTypeError } from "../errors.js";
import { invoke, invokeAsync, Resumable } from "../execute/invoke.js";
import type { AsyncCallOptions, CallOptions } from "../execute/invoke.js";
import { readRaw, valueWords, writeRaw } from "../execute/values.js";
import type { RawValue } from "../execute/values.js";
import { funcOf, readJsResults, storeOf, writeJsArgs } from "./functions.js";
import { globalInstOf } from "./global.js";

const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c, V128 = 0x7b;

function checkArgs(args: unknown): readonly unknown[] {
  if (!Array.isArray(args)) throw new InvalidArgumentTypeError("args", `must be an array, got ${describeValue(args)}`);
  return args;
}

function checkOptions(options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null)) throw new InvalidArgumentTypeError("options", `must be an object, got ${describeValue(options)}`);
}

/** Calls exported function `fn` with JS-API arguments, with per-call options (e.g. cancellation). */
export function call(fn: (...args: never[]) => unknown, args: readonly unknown[], options?: CallOptions): unknown {
  const fi = funcOf("fn", fn);
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
  const fi = funcOf("fn", fn);
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
  const fi = funcOf("fn", fn);
  checkArgs(args);
  checkOptions(options);
  return new Resumable(fi, writeJsArgs(fi, args), readJsResults(fi), options);
}

/**
 * @internal Spec-runner entry point: calls exported function `fn` with {@link RawValue}
 * arguments (f32 as u32 bits, f64 as u64-bits bigint) and returns raw results.
 */
export function invokeRaw(fn: unknown, args: readonly RawValue[]): RawValue[] {
  const fi = funcOf("fn", fn);
  const t = fi.type;
  checkArgs(args);
  if (args.length !== t.params.length) throw new InvalidArgumentTypeError("args", `expected ${t.params.length} arguments, got ${args.length}`);
  const pw = valueWords(t.params), rw = valueWords(t.results);
  return invoke(
    fi,
    (ctx) => {
      for (let k = 0; k < t.params.length; k++) writeRaw(ctx, pw[k]!, canonicalIn(t, t.params[k]!), args[k]);
    },
    (ctx) => t.results.map((rt, k) => readRaw(ctx, rw[k]!, rt)),
    undefined,
    storeOf(fi),
  );
}

/** @internal Spec-runner entry point: the raw value of a `Global` object. */
export function readGlobalRaw(global: unknown): RawValue {
  const g = globalInstOf(global);
  if (g === undefined) throw new InvalidArgumentTypeError("global", `not a Global, got ${describeValue(global)}`);
  switch (g.type) {
    case I32: return g.w[0]!;
    case F32: return g.w[0]! >>> 0;
    case I64: return (BigInt(g.w[1]!) << 32n) | BigInt(g.w[0]! >>> 0);
    case F64: return BigInt.asUintN(64, (BigInt(g.w[1]!) << 32n) | BigInt(g.w[0]! >>> 0));
    case V128: { // the four words in `ref` (an unsigned 128-bit bigint, byte 0 lowest)
      const w = g.ref instanceof Int32Array ? g.ref : new Int32Array(4);
      return (BigInt(w[3]! >>> 0) << 96n) | (BigInt(w[2]! >>> 0) << 64n) | (BigInt(w[1]! >>> 0) << 32n) | BigInt(w[0]! >>> 0);
    }
    default: return g.ref;
  }
}
