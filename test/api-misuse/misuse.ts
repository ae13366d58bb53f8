/**
 * Test helpers for API-misuse tests: a table of wrong argument values (every JS type and the
 * awkward ones: NaN, fractions, huge numbers, bigints, symbols, functions, null-prototype and
 * cyclic objects, typed arrays, sparse arrays), a fast-check arbitrary of arbitrary JS values,
 * and assertions that a call throws the layer's typed error (`PureflowError` or a
 * `ComponentError` subclass) with its code and naming the argument, never a raw
 * `TypeError`/`RangeError`.
 */
import * as assert from "uvu/assert";
import fc from "fast-check";
import { ComponentError } from "../../canonical-abi/index.js";
import { PureflowError } from "../../src/index.js";

/** The seed of every property in these tests (override with PROPERTY_SEED). */
export const SEED = Number(process.env.PROPERTY_SEED ?? 707070);

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;
const cyclicArray: unknown[] = [1];
cyclicArray.push(cyclicArray);
// eslint-disable-next-line no-sparse-arrays
const sparse = [, 1] as unknown[];

/** Wrong values of every kind, named for messages. */
export const WRONG: readonly (readonly [string, unknown])[] = [
  ["undefined", undefined], ["null", null], ["true", true], ["0", 0], ["-1", -1], ["-0", -0], ["1.5", 1.5],
  ["NaN", NaN], ["Infinity", Infinity], ["-Infinity", -Infinity], ["2^60", 2 ** 60], ["bigint 10n", 10n],
  ["string", "abc"], ["empty string", ""], ["symbol", Symbol("s")], ["function", () => 1], ["array", [1, 2]],
  ["sparse array", sparse], ["cyclic array", cyclicArray], ["empty object", {}], ["null-prototype object", Object.create(null) as unknown],
  ["cyclic object", cyclic], ["Uint8Array", new Uint8Array(2)], ["Int32Array", new Int32Array(1)], ["ArrayBuffer", new ArrayBuffer(2)],
  ["Date", new Date(0)], ["Map", new Map()], ["boxed number", Object(5) as unknown],
];

/** Wrong values except those in `except` (by name), for arguments where some of them are valid. */
export function wrongExcept(...except: string[]): readonly (readonly [string, unknown])[] {
  return WRONG.filter(([n]) => !except.includes(n));
}

/** Any JS value: fast-check's `anything` with every option on, plus the table above. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withNullPrototype: true,
    withObjectString: true, withSet: true, withSparseArray: true, withTypedArray: true, withUnicodeString: true,
  }),
  fc.constantFrom(...WRONG.map(([, v]) => v)),
  fc.func(fc.anything()),
);

/** What a typed error must look like. */
export interface Expected {
  /** `PureflowError` code (`CDT-...`) or component-layer code (`invalid-argument`, ...). */
  code: string;
  /** The argument the error must name (`PureflowError.argument` / `InvalidArgumentError.argument`, and in backticks in the message). */
  argument?: string;
  /** A pattern the message must match. */
  message?: RegExp;
}

/** True for the layers' typed errors. */
export function isTyped(e: unknown): e is PureflowError | ComponentError {
  return e instanceof PureflowError || e instanceof ComponentError;
}

function describeThrown(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : typeof e === "symbol" ? "a symbol" : String(e);
}

/** Checks a caught error against `expected`. */
export function checkError(e: unknown, expected: Expected, what: string): void {
  if (!isTyped(e)) assert.unreachable(`${what}: raw exception escaped: ${describeThrown(e)}`);
  const err = e as PureflowError | ComponentError;
  assert.is(err.code, expected.code, `${what}: code (message: ${err.message})`);
  if (expected.argument !== undefined) {
    assert.is((err as { argument?: unknown }).argument, expected.argument, `${what}: argument named by ${err.message}`);
    assert.ok(err.message.includes(`\`${expected.argument}\``), `${what}: message names \`${expected.argument}\`: ${err.message}`);
  }
  if (expected.message !== undefined) assert.match(err.message, expected.message, `${what}: message`);
}

/** `f()` must throw a typed error matching `expected`. */
export function throwsTyped(f: () => unknown, expected: Expected, what: string): void {
  let threw = false;
  try {
    f();
  } catch (e) {
    threw = true;
    checkError(e, expected, what);
  }
  if (!threw) assert.unreachable(`${what}: did not throw`);
}

/** `f()` must reject with a typed error matching `expected` (a synchronous throw counts too). */
export async function rejectsTyped(f: () => Promise<unknown>, expected: Expected, what: string): Promise<void> {
  let threw = false;
  try {
    await f();
  } catch (e) {
    threw = true;
    checkError(e, expected, what);
  }
  if (!threw) assert.unreachable(`${what}: did not reject`);
}

/** `f()` either returns or throws a typed error; returns true when it threw. */
export function typedOrOk(f: () => unknown, what: string): boolean {
  try {
    f();
    return false;
  } catch (e) {
    if (!isTyped(e)) assert.unreachable(`${what}: raw exception escaped: ${describeThrown(e)}`);
    return true;
  }
}
