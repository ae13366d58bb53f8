/**
 * The generic WIT-shaped JSON codec (`src/host/wit-json-value.ts`): a property over random WIT
 * types and values of every kind (64-bit integers at their limits, NaN and infinities, astral
 * characters, nested options, results, flags) — written as JSON text and read back, the value is
 * the same; plus the messages of values that do not fit.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { T, type ValType, type Value } from "../../canonical-abi/index.js";
import { parseControlJson } from "../../src/index.js";
import { valueFromWitJson, valueToWitJson, witJsonText } from "../../src/host/wit-json-value.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

type Pair = { type: ValType; value: fc.Arbitrary<Value> };

const text = fc.string({ unit: "grapheme", maxLength: 6 });
const leaves: Pair[] = [
  { type: T.bool, value: fc.boolean() },
  { type: T.u8, value: fc.integer({ min: 0, max: 255 }) },
  { type: T.s32, value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) },
  { type: T.u32, value: fc.integer({ min: 0, max: 2 ** 32 - 1 }) },
  { type: T.s64, value: fc.bigInt(-(1n << 63n), (1n << 63n) - 1n) },
  { type: T.u64, value: fc.bigInt(0n, (1n << 64n) - 1n) },
  { type: T.f64, value: fc.double() },
  { type: T.string, value: text },
  { type: T.char, value: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }).chain((a) => fc.constantFrom(a, "😀", "é")) },
];

function pairOf(depth: number): fc.Arbitrary<Pair> {
  const leaf = fc.constantFrom(...leaves);
  if (depth === 0) return leaf;
  const inner = pairOf(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    inner.map((p): Pair => ({ type: T.list(p.type), value: fc.array(p.value, { maxLength: 3 }) as fc.Arbitrary<Value> })),
    fc.array(inner, { minLength: 1, maxLength: 3 }).map((ps): Pair => ({
      type: T.record(ps.map((p, i) => [`f-${i}`, p.type] as const)),
      value: fc.tuple(...ps.map((p) => p.value)).map((vs) => Object.fromEntries(vs.map((v, i) => [`f-${i}`, v]))),
    })),
    fc.array(fc.option(inner, { nil: null }), { minLength: 1, maxLength: 3 }).map((ps): Pair => ({
      type: T.variant(ps.map((p, i) => [`c-${i}`, p === null ? null : p.type] as const)),
      value: fc.integer({ min: 0, max: ps.length - 1 }).chain((i): fc.Arbitrary<Value> => {
        const p = ps[i];
        return p === null ? fc.constant({ tag: `c-${i}` }) : p.value.map((v) => ({ tag: `c-${i}`, value: v }));
      }),
    })),
    inner.map((p): Pair => ({ type: T.option(p.type), value: fc.option(p.value, { nil: null }).map((v) => (v === null ? { tag: "none" } : { tag: "some", value: v })) })),
    fc.tuple(inner, inner).map(([a, b]): Pair => ({
      type: T.result(a.type, b.type),
      value: fc.oneof(a.value.map((v) => ({ tag: "ok", value: v })), b.value.map((v) => ({ tag: "err", value: v }))),
    })),
    fc.tuple(inner, inner).map(([a, b]): Pair => ({ type: T.tuple([a.type, b.type]), value: fc.tuple(a.value, b.value) as fc.Arbitrary<Value> })),
    fc.constant<Pair>({ type: T.enum(["red", "green", "blue"]), value: fc.constantFrom("red", "green", "blue") }),
    fc.constant<Pair>({ type: T.flags(["r", "w", "x"]), value: fc.record({ r: fc.boolean(), w: fc.boolean(), x: fc.boolean() }) }),
    fc.constant<Pair>({ type: T.list(T.u8), value: fc.uint8Array({ maxLength: 5 }) }),
  );
}

/** Deep copy with plain prototypes (fast-check's records have none). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Uint8Array) return [...v];
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

test(`JSON text round trip of random WIT types and values (${RUNS} cases)`, () => {
  fc.assert(
    fc.property(pairOf(3).chain((p) => p.value.map((v) => [p.type, v] as const)), ([type, value]) => {
      const json = witJsonText(valueToWitJson(type, value), 0);
      const back = valueFromWitJson(type, parseControlJson(json));
      assert.equal(plain(back), plain(value), json);
    }),
    { numRuns: RUNS },
  );
});

test("the JSON forms and the messages of values that do not fit", () => {
  const rec = T.record([["a-b", T.u32], ["c", T.option(T.string)]]);
  assert.equal(valueFromWitJson(rec, { "a-b": 1 }), { "a-b": 1, c: { tag: "none" } }, "an absent option field is none");
  assert.is(witJsonText(valueToWitJson(T.s64, -(1n << 63n)), 0), "-9223372036854775808");
  assert.equal(valueToWitJson(T.option(T.option(T.u8)), { tag: "some", value: { tag: "none" } }), { some: null });
  const v = T.variant([["x", null], ["y", T.string]]);
  assert.equal(valueFromWitJson(v, "x"), { tag: "x" });
  assert.equal(valueFromWitJson(v, { y: "s" }), { tag: "y", value: "s" });
  const rows: [ValType, unknown, string][] = [
    [rec, { "a-b": 1, z: 2 }, "$: unknown field `z`, expected one of `a-b`, `c`"],
    [rec, {}, "$: missing field `a-b`"],
    [rec, { "a-b": -1 }, "$.a-b: expected a u32, found number -1"],
    [T.u8, 256, "$: expected a byte (integer 0-255), found number 256"],
    [v, "y", "$: expected \"x\" or {\"y\":\"...\"}, found string \"y\""],
    [v, { x: 1 }, "$.x: expected no payload (null), found number 1"],
    [v, { y: "a", x: null }, "$: expected exactly one of `x` or `y`, found `y`, `x`"],
    [T.enum(["a", "b"]), "c", "$: expected one of \"a\", \"b\", found string \"c\""],
    [T.list(T.string), "x", "$: expected an array, found string \"x\""],
    [T.s64, 2n ** 63n, "$: expected a s64, found bigint 9223372036854775808n"],
  ];
  for (const [type, json, message] of rows) {
    assert.throws(() => valueFromWitJson(type, json), (e: Error) => e.message === message, message);
  }
});

test.run();
