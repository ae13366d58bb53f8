// The teaching layouts (canonical-abi/abi/explain.ts) on a table of types whose layout follows from
// the Canonical ABI's rules (definitions.py), the WIT type parser, and the rendered text.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { explainFunc, explainType, parseWitType, parseWitTypeOrFunc, renderFuncLayout, renderTypeLayout, WitSyntaxError, type FuncType } from "../../canonical-abi/index.js";

interface Row {
  wit: string;
  size: number;
  alignment: number;
  flat: string[];
  offsets?: number[];
  discriminant?: string;
  payloadOffset?: number;
}

const rows: Row[] = [
  { wit: "bool", size: 1, alignment: 1, flat: ["i32"] },
  { wit: "u64", size: 8, alignment: 8, flat: ["i64"] },
  { wit: "f32", size: 4, alignment: 4, flat: ["f32"] },
  { wit: "char", size: 4, alignment: 4, flat: ["i32"] },
  { wit: "string", size: 8, alignment: 4, flat: ["i32", "i32"] },
  { wit: "list<u64>", size: 8, alignment: 4, flat: ["i32", "i32"] },
  { wit: "record { a: u8, b: string }", size: 12, alignment: 4, flat: ["i32", "i32", "i32"], offsets: [0, 4] },
  { wit: "tuple<u8, u64, u16>", size: 24, alignment: 8, flat: ["i32", "i64", "i32"], offsets: [0, 8, 16] },
  { wit: "record { x: u16, y: u8, z: u32, w: u8 }", size: 12, alignment: 4, flat: ["i32", "i32", "i32", "i32"], offsets: [0, 2, 4, 8] },
  { wit: "variant { a(u8), b(f64), c }", size: 16, alignment: 8, flat: ["i32", "i64"], discriminant: "u8", payloadOffset: 8 },
  { wit: "variant { a(f32), b(u32) }", size: 8, alignment: 4, flat: ["i32", "i32"], discriminant: "u8", payloadOffset: 4 },
  { wit: "variant { a(f32), b(f32) }", size: 8, alignment: 4, flat: ["i32", "f32"], discriminant: "u8", payloadOffset: 4 },
  { wit: "result<list<u32>, string>", size: 12, alignment: 4, flat: ["i32", "i32", "i32"], discriminant: "u8", payloadOffset: 4 },
  { wit: "result<_, string>", size: 12, alignment: 4, flat: ["i32", "i32", "i32"], discriminant: "u8", payloadOffset: 4 },
  { wit: "result", size: 1, alignment: 1, flat: ["i32"], discriminant: "u8", payloadOffset: 1 },
  { wit: "option<u64>", size: 16, alignment: 8, flat: ["i32", "i64"], discriminant: "u8", payloadOffset: 8 },
  { wit: "option<f32>", size: 8, alignment: 4, flat: ["i32", "f32"], discriminant: "u8", payloadOffset: 4 },
  { wit: "enum { a, b, c }", size: 1, alignment: 1, flat: ["i32"], discriminant: "u8", payloadOffset: 1 },
  { wit: `enum { ${Array.from({ length: 256 }, (_, i) => `e${i}`).join(", ")} }`, size: 1, alignment: 1, flat: ["i32"], discriminant: "u8", payloadOffset: 1 },
  { wit: `enum { ${Array.from({ length: 257 }, (_, i) => `e${i}`).join(", ")} }`, size: 2, alignment: 2, flat: ["i32"], discriminant: "u16", payloadOffset: 2 },
  { wit: `flags { ${Array.from({ length: 8 }, (_, i) => `f${i}`).join(", ")} }`, size: 1, alignment: 1, flat: ["i32"] },
  { wit: `flags { ${Array.from({ length: 9 }, (_, i) => `f${i}`).join(", ")} }`, size: 2, alignment: 2, flat: ["i32"] },
  { wit: `flags { ${Array.from({ length: 17 }, (_, i) => `f${i}`).join(", ")} }`, size: 4, alignment: 4, flat: ["i32"] },
];

test("layouts: size, alignment, flattening, offsets, discriminants", () => {
  for (const r of rows) {
    const l = explainType(parseWitType(r.wit));
    const what = r.wit.slice(0, 60);
    assert.is(l.size, r.size, `size of ${what}`);
    assert.is(l.alignment, r.alignment, `alignment of ${what}`);
    assert.equal(l.flat, r.flat, `flat of ${what}`);
    if (r.offsets) assert.equal(l.fields!.map((f) => f.offset), r.offsets, `offsets of ${what}`);
    if (r.discriminant) assert.is(l.discriminant!.type, r.discriminant, `discriminant of ${what}`);
    if (r.payloadOffset !== undefined) assert.is(l.payloadOffset, r.payloadOffset, `payload offset of ${what}`);
    // padding accounts for every byte: fields + padding + trailing = size
    if (l.fields) assert.is(l.fields.reduce((s, f) => s + f.paddingBefore + f.layout.size, 0) + l.trailingPadding!, l.size, `bytes of ${what}`);
  }
});

test("functions: flattening limits and core signatures", () => {
  const f17 = explainFunc(parseWitTypeOrFunc(`func(${Array.from({ length: 17 }, (_, i) => `p${i}: u8`).join(", ")})`) as FuncType);
  assert.ok(f17.paramsInMemory);
  assert.equal(f17.lift.params, ["i32"]);
  const f16 = explainFunc(parseWitTypeOrFunc(`func(${Array.from({ length: 16 }, (_, i) => `p${i}: u8`).join(", ")}) -> u32`) as FuncType);
  assert.not.ok(f16.paramsInMemory);
  assert.equal(f16.lift, { params: Array(16).fill("i32"), results: ["i32"] });
  const s = explainFunc(parseWitTypeOrFunc("func(x: u64) -> string") as FuncType);
  assert.ok(s.resultsInMemory);
  assert.equal(s.lift, { params: ["i64"], results: ["i32"] });
  assert.equal(s.lower, { params: ["i64", "i32"], results: [] });
  const text = renderFuncLayout(s);
  assert.match(text, /flat results: 2 \(i32, i32\) > MAX_FLAT_RESULTS = 1/);
  assert.match(text, /lifted \(an export, canon lift\):  \(func \(param i64\) \(result i32\)\)/);
});

test("rendered text: field table and byte ruler", () => {
  const text = renderTypeLayout(explainType(parseWitType("record { a: u8, b: string }")));
  assert.match(text, /size 12 B, alignment 4/);
  assert.match(text, /\+1      3 B  \(padding to align b to 4\)/);
  assert.match(text, /byte   0  1  2  3  4  5  6  7  8  9 10 11\n\s+a  \.  \.  \.  b  b  b  b  c  c  c  c/);
  assert.match(text, /b = b\.ptr/);
});

test("parser: every WIT value type, kebab-case labels, errors with their column", () => {
  for (const r of rows) assert.ok(parseWitType(r.wit));
  assert.is(parseWitType("  list< option< tuple<u8, char> > >  ").kind, "list");
  const rec = parseWitType("record { message-id: string, %type: u8 }");
  if (rec.kind !== "record") throw new Error(`expected a record, got ${rec.kind}`);
  assert.is(rec.fields[1]!.label, "type");
  const bad: [string, RegExp][] = [
    ["foo", /unknown type `foo`/],
    ["record { camelCase: u8 }", /not a WIT label/],
    ["record { a: u8, a: u16 }", /duplicate field `a`/],
    ["list<u8", /expected `>`, found the end \(at column 8\)/],
    ["record { }", /at least one record field/],
    ["u8 u16", /expected the end of the type/],
    ["result<_>", /an error type/],
    ["enum { a, b, a }", /duplicate enum case/],
    ["", /expected a name/],
  ];
  for (const [text, pattern] of bad) {
    try {
      parseWitType(text);
      assert.unreachable(text);
    } catch (e) {
      assert.instance(e, WitSyntaxError, text);
      assert.match((e as Error).message, pattern, text);
    }
  }
});

test.run();
