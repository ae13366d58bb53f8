/**
 * Host-side bad input never escapes as a raw exception: random JSON through the WIT-JSON reader,
 * random text through the control-JSON parser (validity agrees with JSON.parse where serde and
 * JS agree), and mutated component bytes through compile + invoke. Everything either works or
 * throws a typed error (`PureflowError`, `ControlJsonSyntaxError`), each case in bounded time.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  BatchComponent,
  BatchInputs,
  ControlJsonSyntaxError,
  PureflowError,
  batchInputsFromWitJson,
  parseControlJson,
  stringifyControlJson,
  type JsonValue,
} from "../../src/index.js";
import { fixtureBytes, testdata } from "./guests.js";

const SEED = Number(process.env.PROPERTY_SEED ?? 424242);

function typedOnly(f: () => unknown, ...allowed: (new (...a: never[]) => Error)[]): void {
  try {
    f();
  } catch (e) {
    if (!allowed.some((c) => e instanceof c)) throw new Error(`raw exception escaped: ${String(e)}`);
  }
}

test("random JSON values and mutated testdata through the WIT-JSON reader and invoke", () => {
  const upper = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"));
  const valid = JSON.parse(testdata("inputs.json")) as unknown;
  const mutated = fc.tuple(fc.jsonValue(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 })).map(([replacement, path]) => {
    const copy = structuredClone(valid) as unknown;
    let node = copy as Record<string, unknown> | unknown[];
    for (let i = 0; i < path.length - 1; i++) {
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const next = (node as Record<string, unknown>)[keys[path[i] % keys.length]];
      if (next === null || typeof next !== "object") break;
      node = next as Record<string, unknown>;
    }
    const keys = Object.keys(node);
    if (keys.length > 0) (node as Record<string, unknown>)[keys[path[path.length - 1] % keys.length]] = replacement;
    return copy;
  });
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), mutated), (v) => {
      let inputs: BatchInputs | undefined;
      typedOnly(() => { inputs = batchInputsFromWitJson(v); }, PureflowError);
      if (inputs) typedOnly(() => upper.invoke(inputs as BatchInputs), PureflowError);
    }),
    { numRuns: 400, seed: SEED },
  );
});

test("control JSON: random text parses or gives a serde-style error; validity agrees with JSON.parse", () => {
  const jsonish = fc.stringMatching(/^[\s\[\]{}",:0-9a-z.+\-eE\\]{0,24}$/);
  fc.assert(
    fc.property(fc.oneof(fc.string(), jsonish), (s) => {
      let ours: JsonValue | undefined;
      let ourError: unknown;
      try {
        ours = parseControlJson(s);
      } catch (e) {
        ourError = e;
        assert.instance(e, ControlJsonSyntaxError);
        assert.match((e as Error).message, / at line \d+ column \d+$/);
      }
      let jsOk = true;
      let js: unknown;
      try {
        js = JSON.parse(s);
      } catch {
        jsOk = false;
      }
      // known grammar differences: serde refuses lone surrogate escapes and out-of-range numbers
      const jsOnly = /\\u[dD][89a-fA-F]|[0-9][eE][+]?[0-9]{3}/.test(s);
      if (!jsOnly) assert.is(ourError === undefined, jsOk, `${JSON.stringify(s)}: ours ${String(ourError)}`);
      if (ourError === undefined && jsOk && typeof js !== "object") assert.is(typeof ours === "bigint" ? Number(ours) : ours, js);
    }),
    { numRuns: 2000, seed: SEED },
  );
});

test("control JSON: stringify(parse(JSON.stringify(v))) is compact, key-sorted and parses back to the same value", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const text = stringifyControlJson(parseControlJson(JSON.stringify(v)));
      assert.equal(parseControlJson(text), parseControlJson(JSON.stringify(v)));
      assert.is(stringifyControlJson(parseControlJson(text)), text);
      assert.not.match(text, /[\n]/);
    }),
    { numRuns: 500, seed: SEED },
  );
});

test("mutated component bytes: compile and invoke give PureflowError or work, each quickly", () => {
  const good = fixtureBytes("uppercase-guest");
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  let compiled = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 4 }), (edits) => {
      let b = Uint8Array.from(good);
      for (const [at, value, kind] of edits) {
        if (kind === 0) b[at] = value;
        else if (kind === 1) b = b.subarray(0, at);
        else if (kind === 2) b = Uint8Array.from([...b.subarray(0, at), value, ...b.subarray(at)]);
        else b[at] ^= 1 << (value & 7);
      }
      const t0 = performance.now();
      let guest: BatchComponent | undefined;
      typedOnly(() => { guest = BatchComponent.fromComponentBytesWithLimits(b, BatchComponent.fromComponentBytes(good).limits.withFuel(10_000_000)); }, PureflowError);
      if (guest) {
        compiled++;
        typedOnly(() => (guest as BatchComponent).invoke(inputs), PureflowError);
      }
      assert.ok(performance.now() - t0 < 2000, "a case took longer than 2 s");
    }),
    { numRuns: 300, seed: SEED },
  );
  console.log(`\n# mutated components: ${compiled} of 300 still compiled`);
});

test.run();
