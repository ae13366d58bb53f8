/**
 * Unit tests of the decoder: LEB128 rules (against a BigInt reference of the spec's rules),
 * UTF-8 names, section structure, the flat instruction stream layout, element/data encodings,
 * unsupported proposals, and hostile input (truncation, garbage, huge counts, size lies):
 * always a CompileError naming section and offset, never a TypeError/RangeError or a hang.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import wabtInit from "wabt";
import { decodeModule, EMBEDDING_LIMITS, MAX_FUNCTION_PARAMS, MAX_FUNCTION_RESULTS, MAX_LOCALS_PER_FUNCTION } from "../../interpreter/decode/index.js";
import { Reader, decodeUtf8 } from "../../interpreter/decode/reader.js";
import { CompileError } from "../../interpreter/errors.js";
import { BY_INDEX, BY_NAME, OPERATOR_COUNT, operatorIndex } from "../../interpreter/decode/opcode-table.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";
import type { ModuleInfo } from "../../interpreter/decode/module.js";

// ---------------------------------------------------------------- binary builders

function uleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

function sleb(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const name = (s: string): number[] => [...uleb(utf8(s).length), ...utf8(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
const mod = (...sections: number[][]): Uint8Array => new Uint8Array([...HEADER, ...sections.flat()]);

/** A module with one function `[] -> results` whose body (without the final end) is `body`. */
function funcModule(body: number[], opts: { memory?: boolean; dataCount?: boolean; locals?: number[][]; results?: number[] } = {}): Uint8Array {
  const results = opts.results ?? [];
  const fullBody = [...vec(opts.locals ?? []), ...body, 0x0b];
  const sections = [
    section(1, vec([[0x60, 0x00, ...vec(results.map((t) => [t]))]])),
    section(3, vec([[0x00]])),
  ];
  if (opts.memory) sections.push(section(5, vec([[0x00, 0x01]])));
  if (opts.dataCount) sections.push(section(12, uleb(0)));
  sections.push(section(10, vec([[...uleb(fullBody.length), ...fullBody]])));
  return mod(...sections);
}

/** Runs `f`, which must throw a CompileError; returns it. */
function compileError(f: () => unknown, code?: string): CompileError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CompileError)) throw new Error(`expected CompileError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    if (code !== undefined) assert.is(e.code, code, e.message);
    return e;
  }
  throw new Error("expected a CompileError, nothing was thrown");
}

/** Decodes, and requires any failure to be a CompileError with section and offset in the message. */
function decodeOrCompileError(bytes: Uint8Array): ModuleInfo | CompileError {
  try {
    return decodeModule(bytes);
  } catch (e) {
    if (!(e instanceof CompileError)) {
      throw new Error(`non-CompileError for ${Buffer.from(bytes).toString("hex")}: ${e instanceof Error ? e.stack : String(e)}`);
    }
    assert.match(e.message, /section/, e.message);
    assert.match(e.message, /at byte offset \d+/, e.message);
    return e;
  }
}

// ---------------------------------------------------------------- LEB128 reference (the spec's rules, with BigInt)

type LebResult = { value: bigint } | { error: "too long" | "too large" | "end" };

/** The spec's `uN`/`sN`: at most ceil(N/7) bytes; the value must fit N bits (signed: sign-extended). */
function refLeb(bytes: number[], bits: number, signed: boolean): LebResult {
  const maxBytes = Math.ceil(bits / 7);
  let v = 0n;
  for (let i = 0; ; i++) {
    if (i >= bytes.length) return { error: "end" };
    const b = bytes[i];
    if (i === maxBytes - 1 && b & 0x80) return { error: "too long" };
    v |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) {
      const width = 7 * (i + 1);
      if (signed) {
        v = BigInt.asIntN(width, v);
        if (v < -(1n << BigInt(bits - 1)) || v >= 1n << BigInt(bits - 1)) return { error: "too large" };
      } else if (v >= 1n << BigInt(bits)) {
        return { error: "too large" };
      }
      return { value: v };
    }
  }
}

function ours(bytes: number[], kind: "u32" | "s32" | "s33" | "s64"): LebResult {
  const r = new Reader(new Uint8Array(bytes));
  r.section = "test";
  try {
    switch (kind) {
      case "u32": return { value: BigInt(r.u32()) };
      case "s32": return { value: BigInt(r.s32()) };
      case "s33": return { value: BigInt(r.s33()) };
      case "s64": r.s64(); return { value: (BigInt(r.hi) << 32n) | BigInt(r.lo >>> 0) };
    }
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    assert.is(e.code, "malformed");
    if (/representation too long/.test(e.message)) return { error: "too long" };
    if (/too large/.test(e.message)) return { error: "too large" };
    if (/unexpected end/.test(e.message)) return { error: "end" };
    throw new Error(`unexpected message ${e.message}`);
  }
}

const lebByte = fc.oneof(
  fc.constantFrom(0x00, 0x01, 0x0f, 0x10, 0x3f, 0x40, 0x70, 0x78, 0x7f, 0x80, 0x81, 0x8f, 0xc0, 0xf0, 0xff),
  fc.integer({ min: 0, max: 255 }),
);
const KINDS = [["u32", 32, false], ["s32", 32, true], ["s33", 33, true], ["s64", 64, true]] as const;

for (const [kind, bits, signed] of KINDS) {
  test(`LEB128 ${kind}: random bytes agree with the spec's rules`, () => {
    fc.assert(
      fc.property(fc.array(lebByte, { minLength: 0, maxLength: 12 }), (bytes) => {
        assert.equal(ours(bytes, kind), refLeb(bytes, bits, signed), Buffer.from(bytes).toString("hex"));
      }),
      { numRuns: 3000 },
    );
  });
  test(`LEB128 ${kind}: every value round-trips, minimal and padded`, () => {
    const lo = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min: lo, max: hi }), fc.integer({ min: 0, max: 9 }), (v, pad) => {
        const enc = signed ? sleb(v) : uleb(v);
        assert.equal(ours(enc, kind), { value: v });
        // Padding with continuation bytes up to the maximum length keeps the value.
        const maxBytes = Math.ceil(bits / 7);
        const padded = enc.slice();
        const fill = v < 0n ? 0x7f : 0x00;
        for (let i = 0; i < pad && padded.length < maxBytes; i++) {
          padded[padded.length - 1] |= 0x80;
          padded.push(fill);
        }
        assert.equal(ours(padded, kind), { value: v });
      }),
      { numRuns: 2000 },
    );
  });
}

test("LEB128: the spec's binary-leb128 edge cases", () => {
  assert.equal(ours([0xff, 0xff, 0xff, 0xff, 0x0f], "u32"), { value: 0xffffffffn });
  assert.equal(ours([0x80, 0x80, 0x80, 0x80, 0x00], "u32"), { value: 0n });
  assert.equal(ours([0x80, 0x80, 0x80, 0x80, 0x80, 0x00], "u32"), { error: "too long" });
  assert.equal(ours([0x82, 0x80, 0x80, 0x80, 0x10], "u32"), { error: "too large" });
  assert.equal(ours([0x80, 0x80], "u32"), { error: "end" });
  assert.equal(ours([0xff, 0xff, 0xff, 0xff, 0x07], "s32"), { value: 0x7fffffffn });
  assert.equal(ours([0x80, 0x80, 0x80, 0x80, 0x78], "s32"), { value: -0x80000000n });
  assert.equal(ours([0xff, 0xff, 0xff, 0xff, 0x4f], "s32"), { error: "too large" });
  assert.equal(ours([0x80, 0x80, 0x80, 0x80, 0x70], "s32"), { error: "too large" });
  assert.equal(ours([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x41], "s64"), { error: "too large" });
  assert.equal(ours([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f], "s64"), { value: -(1n << 63n) });
  assert.equal(ours([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80, 0x00], "s64"), { error: "too long" });
});

// ---------------------------------------------------------------- UTF-8 names

test("names: valid UTF-8 decodes exactly, BOM kept", () => {
  for (const s of ["", "abc", "\u00e9t\u00e9", "\u20ac", "\ud83d\ude00 emoji", "\ufeffbom", "\u0000nul", "x".repeat(10000)]) {
    const b = new TextEncoder().encode(s);
    assert.is(decodeUtf8(b, 0, b.length), s);
    const m = decodeModule(mod(section(0, [...name(s), 1, 2, 3])));
    assert.is(m.customs[0].name, s);
    assert.equal([...m.customs[0].data], [1, 2, 3]);
  }
});

test("names: malformed UTF-8 is rejected (overlong, surrogates, > U+10FFFF, truncated, stray continuation)", () => {
  const bad = [
    [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xf0, 0x80, 0x80, 0x80], // overlong
    [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], // surrogates
    [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], // too large / invalid lead
    [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], // truncated
    [0x80], [0x61, 0xbf], [0xc3, 0x28], // stray / bad continuation
  ];
  for (const b of bad) {
    assert.is(decodeUtf8(new Uint8Array(b), 0, b.length), undefined, Buffer.from(b).toString("hex"));
    // As an export name and as a custom section name.
    const exp = mod(section(7, vec([[...uleb(b.length), ...b, 0x00, 0x00]])));
    const e1 = compileError(() => decodeModule(exp), "malformed");
    assert.match(e1.message, /malformed UTF-8 encoding/);
    assert.match(e1.message, /export section/);
    const cus = mod(section(0, [...uleb(b.length), ...b]));
    assert.match(compileError(() => decodeModule(cus), "malformed").message, /UTF-8/);
  }
});

// ---------------------------------------------------------------- module structure

test("header: magic and version", () => {
  assert.match(compileError(() => decodeModule(new Uint8Array([])), "malformed").message, /magic header not detected/);
  assert.match(compileError(() => decodeModule(new Uint8Array([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0])), "malformed").message, /magic header/);
  assert.match(compileError(() => decodeModule(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0])), "malformed").message, /unknown binary version/);
  assert.match(compileError(() => decodeModule(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])), "malformed").message, /component/);
  const empty = decodeModule(mod());
  assert.is(empty.types.length, 0);
  assert.is(empty.start, undefined);
  assert.is(empty.dataCount, undefined);
});

test("sections: order, repetition, unknown ids, custom sections anywhere", () => {
  const typeSec = section(1, vec([[0x60, 0x00, 0x00]]));
  assert.match(compileError(() => decodeModule(mod(typeSec, typeSec)), "malformed").message, /unexpected content after last section/);
  assert.match(compileError(() => decodeModule(mod(section(3, vec([])), typeSec)), "malformed").message, /out of order/);
  // data count (12) goes before code (10): 12 after 10 is out of order, 10 after 12 is fine.
  assert.match(compileError(() => decodeModule(mod(section(10, vec([])), section(12, [0]))), "malformed").message, /unexpected content/);
  decodeModule(mod(section(12, [0]), section(10, vec([]))));
  assert.match(compileError(() => decodeModule(mod(section(14, []))), "malformed").message, /malformed section id 14/);
  // the tag section (13) goes between memory (5) and global (6)
  decodeModule(mod(section(5, vec([])), section(13, vec([])), section(6, vec([]))));
  assert.match(compileError(() => decodeModule(mod(section(6, vec([])), section(13, vec([])))), "malformed").message, /out of order/);
  const custom = section(0, [...name("hello"), 9, 9]);
  const m = decodeModule(mod(custom, typeSec, custom, section(3, vec([])), custom));
  assert.is(m.customs.length, 3);
  assert.is(m.customs[1].offset > 8, true);
});

test("sections: size must match the contents exactly", () => {
  // Type section declaring one byte more than its contents.
  const lie = [0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00];
  const e = compileError(() => decodeModule(mod(lie)), "malformed");
  assert.match(e.message, /section size mismatch/);
  assert.match(e.message, /type section/);
  // One byte less: the contents run past the end of the section.
  const short = [0x01, 0x03, 0x01, 0x60, 0x00, 0x00];
  assert.match(compileError(() => decodeModule(mod(short)), "malformed").message, /unexpected end of section/);
  // Size larger than the module.
  assert.match(compileError(() => decodeModule(mod([0x01, 0x7f, 0x00])), "malformed").message, /length out of bounds/);
  // Custom section whose name is longer than the section.
  assert.match(compileError(() => decodeModule(mod([0x00, 0x02, 0x05, 0x61])), "malformed").message, /length out of bounds/);
});

test("function and code counts, data count and data section", () => {
  const typeSec = section(1, vec([[0x60, 0x00, 0x00]]));
  const body = [0x02, 0x00, 0x0b];
  assert.match(compileError(() => decodeModule(mod(typeSec, section(3, vec([[0]]))))).message, /function and code section have inconsistent lengths/);
  assert.match(compileError(() => decodeModule(mod(typeSec, section(10, vec([body]))))).message, /inconsistent lengths/);
  assert.match(compileError(() => decodeModule(mod(typeSec, section(3, vec([[0], [0]])), section(10, vec([body]))))).message, /inconsistent lengths/);
  const data = section(11, vec([[0x01, 0x00]]));
  assert.match(compileError(() => decodeModule(mod(section(12, [2]), data))).message, /data count and data section have inconsistent lengths/);
  assert.match(compileError(() => decodeModule(mod(section(12, [1])))).message, /data count and data section/);
  assert.is(decodeModule(mod(section(12, [1]), data)).dataCount, 1);
  // memory.init / data.drop need the data count section.
  assert.match(compileError(() => decodeModule(funcModule([0xfc, 0x09, 0x00])), "malformed").message, /data count section required/);
  decodeModule(funcModule([0xfc, 0x09, 0x00], { dataCount: true }));
});

test("huge counts are rejected before allocating", () => {
  const huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
  const cases: Uint8Array[] = [
    mod([0x01, 0x05, ...huge]), // type count
    mod([0x02, 0x05, ...huge]), // import count
    mod([0x03, 0x05, ...huge]), // function count
    mod(section(0, [...huge])), // custom name length
    mod(section(7, vec([[...huge, 0x61]]))), // export name length
    mod(section(11, vec([[0x01, ...huge]]))), // data bytes length
    funcModule([0x41, 0x00, 0x0e, ...huge, 0x00]), // br_table count
    funcModule([0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, ...huge, 0x7f]), // select t* count
  ];
  for (const bytes of cases) {
    const t0 = Date.now();
    const e = compileError(() => decodeModule(bytes), "malformed");
    assert.match(e.message, /length out of bounds|unexpected end/, e.message);
    assert.ok(Date.now() - t0 < 200, "rejected quickly");
  }
});

test("function types: parameter and result counts are bounded", () => {
  const t = (np: number, nr: number) => mod(section(1, vec([[0x60, ...uleb(np), ...new Array(np).fill(0x7f), ...uleb(nr), ...new Array(nr).fill(0x7e)]])));
  const m = decodeModule(t(MAX_FUNCTION_PARAMS, MAX_FUNCTION_RESULTS));
  assert.is(m.types[0].params.length, MAX_FUNCTION_PARAMS);
  assert.match(compileError(() => decodeModule(t(MAX_FUNCTION_PARAMS + 1, 0)), "malformed").message, /too many parameters/);
  assert.match(compileError(() => decodeModule(t(0, MAX_FUNCTION_RESULTS + 1)), "malformed").message, /too many results/);
});

test("locals: too many locals rejected, runs kept", () => {
  const e = compileError(() => decodeModule(funcModule([], { locals: [[...uleb(0xffffffff), 0x7f], [...uleb(0xffffffff), 0x7e]] })), "malformed");
  assert.match(e.message, /too many locals/);
  assert.match(e.message, /function 0/);
  compileError(() => decodeModule(funcModule([], { locals: [[...uleb(MAX_LOCALS_PER_FUNCTION + 1), 0x7f]] })), "malformed");
  const m = decodeModule(funcModule([], { locals: [[...uleb(3), 0x7f], [...uleb(2), 0x7c]] }));
  assert.is(m.codes[0].localCount, 5);
  assert.equal(m.codes[0].locals, [{ count: 3, type: 0x7f }, { count: 2, type: 0x7c }]);
});

/** A module whose section `id` holds `count` (LEB128) and then `filler` zero bytes (built without spreading: megabytes). */
function countSection(id: number, count: number, filler: number, before: number[] = []): Uint8Array {
  const head = uleb(count);
  const size = head.length + filler;
  const out = new Uint8Array(HEADER.length + before.length + 1 + uleb(size).length + size);
  out.set(HEADER, 0);
  out.set(before, HEADER.length);
  let p = HEADER.length + before.length;
  out[p++] = id;
  out.set(uleb(size), p);
  p += uleb(size).length;
  out.set(head, p);
  return out;
}

test("JS API implementation limits: one over a count limit is a CompileError naming it, found at the count", () => {
  const L = EMBEDDING_LIMITS;
  const cases: [string, number, number, RegExp][] = [
    ["types", 1, L.types, /too many types: 1000001, the limit is 1000000/],
    ["imports", 2, L.imports, /too many imports/],
    ["functions", 3, L.functions, /too many functions/],
    ["tables", 4, L.tables, /too many tables/],
    ["memories", 5, L.memories, /too many memories/],
    ["tags", 13, L.tags, /too many tags/],
    ["globals", 6, L.globals, /too many globals/],
    ["exports", 7, L.exports, /too many exports/],
    ["element segments", 9, L.elementSegments, /too many element segments: 10000001/],
    ["data segments", 11, L.dataSegments, /too many data segments/],
    ["data count", 12, L.dataSegments, /too many data segments/],
  ];
  for (const [what, id, limit, re] of cases) {
    const bytes = id === 12 ? mod(section(12, uleb(limit + 1))) : countSection(id, limit + 1, limit + 1);
    const t0 = Date.now();
    const e = compileError(() => decodeModule(bytes), "malformed");
    assert.match(e.message, re, `${what}: ${e.message}`);
    assert.ok(Date.now() - t0 < 500, `${what}: refused at the count, before reading the entries`);
  }
  // imported and defined tables / memories count together
  const importMemories = (n: number): number[] => section(2, vec(new Array(n).fill([...name("m"), ...name("x"), 0x02, 0x00, 0x01])));
  assert.match(compileError(() => decodeModule(mod(importMemories(60), section(5, vec(new Array(41).fill([0x00, 0x01]))))), "malformed").message, /too many memories \(imported and defined\): 101, the limit is 100/);
  assert.is(decodeModule(mod(importMemories(60), section(5, vec(new Array(40).fill([0x00, 0x01]))))).memories.length, 40);
  assert.match(compileError(() => decodeModule(mod(importMemories(101))), "malformed").message, /too many memories \(imported and defined\): 101/);
  assert.is(decodeModule(mod(importMemories(100))).importedMemoryCount, 100);
  // one element segment of more than 10,000,000 function indices
  const seg = [0x00, 0x41, 0x00, 0x0b]; // active, table 0, offset i32.const 0, then the count
  const oneBig = new Uint8Array(HEADER.length + 16 + L.tableEntries + 1);
  oneBig.set(HEADER, 0);
  const body = [...uleb(1), ...seg, ...uleb(L.tableEntries + 1)];
  const size = body.length + L.tableEntries + 1;
  oneBig.set([9, ...uleb(size), ...body], HEADER.length);
  assert.match(compileError(() => decodeModule(oneBig.subarray(0, HEADER.length + 1 + uleb(size).length + size)), "malformed").message, /too many elements in one segment: 10000001, the limit is 10000000/);
});

test("JS API implementation limits: locals count the parameters; a function body of at most 7,654,321 bytes", () => {
  // type 0 = [i32 i32] -> []; one function with `locals` i32 locals
  const withLocals = (locals: number): Uint8Array => {
    const b = [...vec([[...uleb(locals), 0x7f]]), 0x0b];
    return mod(section(1, vec([[0x60, 2, 0x7f, 0x7f, 0]])), section(3, vec([[0]])), section(10, vec([[...uleb(b.length), ...b]])));
  };
  assert.is(decodeModule(withLocals(MAX_LOCALS_PER_FUNCTION - 2)).codes[0]!.localCount, MAX_LOCALS_PER_FUNCTION - 2);
  assert.match(compileError(() => decodeModule(withLocals(MAX_LOCALS_PER_FUNCTION - 1)), "malformed").message, /too many locals: 49999 declared so far and 2 parameters, the limit is 50000/);
  // a body of nops: [0 local runs] nop* end
  const body = (size: number): Uint8Array => {
    const head = [...HEADER, ...section(1, vec([[0x60, 0, 0]])), ...section(3, vec([[0]]))];
    const code = [...uleb(1), ...uleb(size)];
    const secSize = code.length + size;
    const out = new Uint8Array(head.length + 1 + uleb(secSize).length + secSize);
    out.set(head, 0);
    out.set([10, ...uleb(secSize), ...code], head.length);
    const start = head.length + 1 + uleb(secSize).length + code.length;
    out[start] = 0; // no local runs
    out.fill(0x01, start + 1, start + size - 1); // nop
    out[start + size - 1] = 0x0b;
    return out;
  };
  assert.is(decodeModule(body(EMBEDDING_LIMITS.functionBodyBytes)).codes.length, 1);
  assert.match(compileError(() => decodeModule(body(EMBEDDING_LIMITS.functionBodyBytes + 1)), "malformed").message, /too many bytes in a function body: 7654322, the limit is 7654321/);
});

test("segments with the same offset expression share it (10,000,000 segments fit), and errors still point at the first bad one", () => {
  // 3 active segments on table 0 with offset i32.const 0 share one mode; a different offset does not
  const seg = (off: number): number[] => [0x00, 0x41, ...sleb(off), 0x0b, 0x00];
  const table = section(4, vec([[0x70, 0x00, 0x01]]));
  const m = decodeModule(mod(table, section(9, vec([seg(0), seg(0), seg(1), seg(0)]))));
  assert.is(m.elems[0]!.mode, m.elems[1]!.mode);
  assert.is(m.elems[0]!.mode, m.elems[3]!.mode);
  assert.is.not(m.elems[0]!.mode, m.elems[2]!.mode);
  assert.equal(m.elems[1]!.init, []);
  const d = decodeModule(mod(section(5, vec([[0x00, 0x01]])), section(11, vec([[0x00, 0x41, 0x08, 0x0b, 0x01, 0x07], [0x00, 0x41, 0x08, 0x0b, 0x01, 0x09]]))));
  assert.is(d.datas[0]!.mode, d.datas[1]!.mode);
  assert.equal([...d.datas[1]!.init], [9]);
});

// ---------------------------------------------------------------- flat instruction stream

test("flat stream: immediates, offsets and starts follow module.ts", () => {
  const f64 = [0, 0, 0, 0, 0, 0, 0xf8, 0x7f]; // a NaN bit pattern: low word 0, high 0x7ff80000
  const body = [
    0x02, 0x40, // block (empty)
    0x03, 0x7f, // loop (result i32)
    0x41, ...sleb(-5), // i32.const -5
    0x0e, 0x02, 0x00, 0x01, 0x01, // br_table 0 1 default 1
    0x0b, // end loop
    0x0b, // end block
    0x42, ...sleb(-2n), // i64.const -2
    0x1a,
    0x44, ...f64, 0x1a,
    0x43, 0x00, 0x00, 0xc0, 0x7f, 0x1a, // f32.const NaN bits 0x7fc00000
    0x41, 0x00, 0x28, 0x02, ...uleb(0xfffffff0), 0x1a, // i32.load align=2 offset=0xfffffff0
    0x3f, 0x00, 0x1a, // memory.size
    0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x0a, 0x00, 0x00, // memory.copy
    0xd0, 0x6f, 0xd1, 0x1a, // ref.null extern, ref.is_null
    0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0x1c, 0x01, 0x7f, 0x1a, // select (result i32)
    0x02, 0x00, 0x0b, // block (type 0)
  ];
  const m = decodeModule(funcModule(body, { memory: true }));
  const b = m.codes[0];
  const expected = [
    0x02, -1, 0x03, -2 - 0x7f, 0x41, -5, 0x0e, 2, 0, 1, 1, 0x0b, 0x0b,
    0x42, -2, -1, 0x1a, 0x44, 0, 0x7ff80000, 0x1a, 0x43, 0x7fc00000, 0x1a,
    0x41, 0, 0x28, 2, 0xfffffff0 | 0, 0, 0x1a, 0x3f, 0, 0x1a,
    0x41, 0, 0x41, 0, 0x41, 0, 0xfc0a, 0, 0,
    0xd0, 0x6f, 0xd1, 0x1a, 0x41, 0, 0x41, 0, 0x41, 0, 0x1c, 1, 0x7f, 0x1a, 0x02, 0, 0x0b, 0x0b,
  ];
  assert.equal([...b.code], expected);
  // starts: every instruction's first word; offsets: strictly increasing byte positions.
  assert.is(b.starts.length, b.offsets.length);
  assert.is(b.starts[0], 0);
  assert.is(b.code[b.starts[b.starts.length - 1]], 0x0b);
  for (let k = 1; k < b.offsets.length; k++) assert.ok(b.offsets[k] > b.offsets[k - 1]);
  // The first instruction sits right after the local declarations count (1 byte) of the body.
  const bytes = funcModule(body, { memory: true });
  assert.is(bytes[b.offsets[0]], 0x02);
  assert.is(bytes[b.offsets[b.offsets.length - 1]], 0x0b);
  for (let k = 0; k < b.offsets.length; k++) {
    const word = b.code[b.starts[k]];
    assert.is(word >= 0xfc00 ? 0xfc : word, bytes[b.offsets[k]]);
  }
});

test("flat stream: structure errors (else outside if, missing end, bytes after end)", () => {
  assert.match(compileError(() => decodeModule(funcModule([0x02, 0x40, 0x05, 0x0b]))).message, /else without matching if/);
  assert.match(compileError(() => decodeModule(funcModule([0x04, 0x40, 0x05, 0x05, 0x0b]))).message, /duplicate else/);
  // A body ending inside a block.
  const typeSec = section(1, vec([[0x60, 0x00, 0x00]]));
  const open = [0x00, 0x02, 0x40, 0x0b];
  const e = compileError(() => decodeModule(mod(typeSec, section(3, vec([[0]])), section(10, vec([[...uleb(open.length), ...open]])))), "malformed");
  assert.match(e.message, /unexpected end.*\(code section, function 0\)/);
  const extra = [0x00, 0x0b, 0x01];
  assert.match(compileError(() => decodeModule(mod(typeSec, section(3, vec([[0]])), section(10, vec([[...uleb(extra.length), ...extra]]))))).message, /after the function body's final end/);
  assert.match(compileError(() => decodeModule(funcModule([0x27])), "malformed").message, /illegal opcode 0x27/);
  assert.match(compileError(() => decodeModule(funcModule([0xfc, 0x12])), "unsupported").message, /memory64/);
  assert.match(compileError(() => decodeModule(funcModule([0xfc, 0x20])), "malformed").message, /illegal opcode 0xfc 32/);
  assert.match(compileError(() => decodeModule(funcModule([0x28, 0x20, 0x00], { memory: true })), "malformed").message, /malformed memop flags/);
  // memory.size's memory index is a LEB128 u32 since Wasm 3.0: 0x80 0x00 is memory 0 (2.0: "zero byte expected")
  assert.is(decodeModule(funcModule([0x3f, 0x80, 0x00, 0x1a], { memory: true })).codes.length, 1);
  assert.match(compileError(() => decodeModule(funcModule([0x3f, 0x80], { memory: true })), "malformed").message, /unexpected end/);
  assert.match(compileError(() => decodeModule(funcModule([0xd0, 0x7f])), "malformed").message, /malformed reference type/);
  assert.match(compileError(() => decodeModule(funcModule([0x02, 0x50, 0x0b])), "malformed").message, /malformed block type/);
});

test("unsupported proposals are named", () => {
  const cases: [Uint8Array, RegExp][] = [
    [funcModule([0xfe, 0x00]), /threads/],
    [mod(section(5, vec([[0x03, 0x01, 0x01]]))), /threads/],
    [mod(section(5, vec([[0x07, 0x01, 0x01]]))), /threads/], // shared 64-bit memory
    [funcModule([0xfb, 0x00]), /GC/],
    [mod(section(1, vec([[0x5f, 0x00]]))), /GC/],
    // Wasm 3.0 exception handling is implemented; the legacy instructions are refused
    [funcModule([0x06, 0x40]), /legacy exception handling/],
    [funcModule([0x09, 0x00]), /legacy exception handling/],
    [funcModule([0x18, 0x00]), /legacy exception handling/],
    [funcModule([0x19]), /legacy exception handling/],
    [funcModule([0xd3]), /GC/], // ref.eq belongs to GC
    // typed function references are implemented; GC's heap types are not
    [funcModule([0xd0, 0x71, 0x1a]), /GC/], // ref.null none
    [funcModule([0xd0, 0x73, 0x1a]), /GC/], // ref.null nofunc
    [mod(section(1, vec([[0x60, 0x01, 0x63, 0x6b, 0x00]]))), /GC/], // (ref null struct)
    [mod(section(1, vec([[0x60, 0x01, 0x64, 0x6e, 0x00]]))), /GC/], // (ref any)
  ];
  for (const [bytes, feature] of cases) {
    const e = compileError(() => decodeModule(bytes), "unsupported");
    assert.match(e.message, feature);
    assert.match(e.message, /unsupported feature/);
    assert.match(e.message, /at byte offset \d+/);
  }
});

test("element segments: all 8 encodings, function indices normalised to ref.func", () => {
  const typeSec = section(1, vec([[0x60, 0x00, 0x00]]));
  const funcSec = section(3, vec([[0], [0]]));
  const tableSec = section(4, vec([[0x70, 0x00, 0x02]]));
  const off = [0x41, 0x01, 0x0b];
  const rf = (x: number) => [0xd2, x, 0x0b];
  const segs = [
    [0x00, ...off, ...vec([[0], [1]])],
    [0x01, 0x00, ...vec([[1]])],
    [0x02, 0x00, ...off, 0x00, ...vec([[0]])],
    [0x03, 0x00, ...vec([[1]])],
    [0x04, ...off, ...vec([rf(0), [0xd0, 0x70, 0x0b]])],
    [0x05, 0x70, ...vec([rf(1)])],
    [0x06, 0x00, ...off, 0x70, ...vec([rf(0)])],
    [0x07, 0x70, ...vec([rf(1)])],
  ];
  const body = [0x02, 0x00, 0x0b];
  const m = decodeModule(mod(typeSec, funcSec, tableSec, section(9, vec(segs)), section(10, vec([body, body]))));
  assert.equal(m.elems.map((e) => e.mode.kind), ["active", "passive", "active", "declarative", "active", "passive", "active", "declarative"]);
  assert.equal([...m.elems[0].init[1].code], [0xd2, 1, 0x0b]);
  assert.equal([...m.elems[4].init[1].code], [0xd0, 0x70, 0x0b]);
  const a = m.elems[2].mode;
  assert.ok(a.kind === "active" && a.table === 0 && a.offset.code[1] === 1);
  // Wasm 3.0: function-index segments have type (ref func) (0x170 here), expression segments their own type
  assert.equal(m.elems.map((e) => e.type), [0x170, 0x170, 0x170, 0x170, 0x70, 0x70, 0x70, 0x70]);
  assert.match(compileError(() => decodeModule(mod(section(9, vec([[0x08]]))))).message, /malformed elements segment kind/);
  assert.match(compileError(() => decodeModule(mod(section(9, vec([[0x01, 0x01, 0x00]]))))).message, /elements segment kind/);
});

test("data segments: 3 encodings; limits; global mutability; import/export kinds", () => {
  const m = decodeModule(mod(
    section(5, vec([[0x01, 0x01, 0x02]])),
    section(11, vec([[0x00, 0x41, 0x00, 0x0b, 0x02, 7, 8], [0x01, 0x01, 9], [0x02, 0x00, 0x41, 0x05, 0x0b, 0x00]])),
  ));
  assert.equal(m.memories[0].limits, { min: 1, max: 2 });
  assert.equal(m.datas.map((d) => d.mode.kind), ["active", "passive", "active"]);
  assert.equal([...m.datas[0].init], [7, 8]);
  assert.match(compileError(() => decodeModule(mod(section(11, vec([[0x03]]))))).message, /malformed data segment kind/);
  assert.match(compileError(() => decodeModule(mod(section(6, vec([[0x7f, 0x02, 0x41, 0x00, 0x0b]]))))).message, /malformed mutability/);
  assert.match(compileError(() => decodeModule(mod(section(2, vec([[...name("a"), ...name("b"), 0x05, 0x00]]))))).message, /malformed import kind/);
  assert.match(compileError(() => decodeModule(mod(section(7, vec([[...name("a"), 0x07, 0x00]]))))).message, /malformed export kind/);
  assert.match(compileError(() => decodeModule(mod(section(5, vec([[0x08, 0x01]]))))).message, /limits flags/);
  const imp = decodeModule(mod(section(1, vec([[0x60, 0, 0]])), section(2, vec([
    [...name("m"), ...name("f"), 0x00, 0x00],
    [...name("m"), ...name("t"), 0x01, 0x6f, 0x00, 0x03],
    [...name("m"), ...name("g"), 0x03, 0x7e, 0x01],
  ]))));
  assert.is(imp.importedFuncCount, 1);
  assert.is(imp.importedTableCount, 1);
  assert.is(imp.importedGlobalCount, 1);
  assert.equal(imp.imports[2].desc, { kind: "global", type: { valType: 0x7e, mutable: true } });
});

test("name section: parsed when well formed, ignored when malformed", () => {
  const nameSec = (content: number[]) => section(0, [...name("name"), ...content]);
  const sub = (id: number, c: number[]) => [id, ...uleb(c.length), ...c];
  const good = nameSec([
    ...sub(0, name("mod")),
    ...sub(1, vec([[0, ...name("f0")], [1, ...name("f1")]])),
    ...sub(2, vec([[0, ...vec([[0, ...name("x")]])]])),
  ]);
  const m = decodeModule(mod(good));
  assert.is(m.names?.module, "mod");
  assert.is(m.names?.functions.get(1), "f1");
  assert.is(m.names?.locals.get(0)?.get(0), "x");
  // Malformed contents: bad UTF-8, size lie, truncation. The module still decodes.
  for (const bad of [nameSec(sub(0, [0x01, 0xff])), nameSec([0x01, 0x10, 0x00]), nameSec(sub(1, [0x05, 0x00]))]) {
    const mm = decodeModule(mod(bad));
    assert.is(mm.names, undefined);
    assert.is(mm.customs.length, 1);
  }
});

// ---------------------------------------------------------------- hostile input

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;
async function wat(text: string): Promise<Uint8Array> {
  wabt ??= await wabtInit();
  const m = wabt.parseWat("t.wat", text, { reference_types: true, bulk_memory: true, multi_value: true });
  try {
    return m.toBinary({ write_debug_names: true }).buffer;
  } finally {
    m.destroy();
  }
}

test("markOperators marks each instruction's operator index (0xFC and 0xFD ones too)", async () => {
  wabt ??= await wabtInit();
  const w = wabt.parseWat("ops.wat", `(module (memory 1)
    (func (param i32) (result i32)
      (memory.fill (i32.const 0) (local.get 0) (i32.const 4))
      (drop (i8x16.extract_lane_u 1 (v128.load (i32.const 0))))
      (i32.trunc_sat_f64_u (f64.convert_i32_s (i32.add (local.get 0) (i32.const 1))))))`, { simd: true, bulk_memory: true });
  const m = decodeModule(w.toBinary({}).buffer);
  w.destroy();
  const seen = new Uint8Array(OPERATOR_COUNT);
  m.codes[0]!.markOperators(seen);
  const names: string[] = [];
  for (let i = 0; i < seen.length; i++) if (seen[i] === 1) names.push(BY_INDEX[i]!.name);
  assert.equal(names.sort(), ["drop", "end", "f64.convert_i32_s", "i32.add", "i32.const", "i32.trunc_sat_f64_u", "i8x16.extract_lane_u", "local.get", "memory.fill", "v128.load"]);
  // an operator the body lacks stays unmarked
  assert.is(seen[operatorIndex(BY_NAME.get("i32.sub")!.code)], 0);
});

test("takeCode hands out the flat stream without keeping it; two compiled modules of one module translate alike", async () => {
  wabt ??= await wabtInit();
  const w = wabt.parseWat("take.wat", `(module (memory 1)
    (func (export "f") (param i32) (result i32) (i32.add (i32.load (local.get 0)) (i32.const 7))))`, {});
  const m = decodeModule(w.toBinary({}).buffer);
  w.destroy();
  const body = m.codes[0]!;
  const kept = body.code; // the getter keeps it
  assert.is(body.code, kept);
  const taken = body.takeCode();
  assert.is(taken, kept, "the kept stream is the one handed out");
  const again = body.takeCode();
  assert.is.not(again, taken, "not kept: decoded anew");
  assert.equal([...again], [...taken]);
  // the translator takes the stream (so nothing keeps it once the function is translated)
  const take = body.takeCode.bind(body);
  let takes = 0;
  (body as { takeCode(): Int32Array }).takeCode = () => (takes++, take());
  const a = translateModule(m, resolveCosts("wasmtime")), b = translateModule(m, resolveCosts("wasmtime"));
  assert.is(takes, 2);
  assert.equal([...a.code], [...b.code]);
});

const SAMPLES = [
  `(module
    (type $t (func (param i32 i64) (result i64)))
    (import "env" "f" (func $imp (param i32)))
    (import "env" "g" (global $g i32))
    (memory 1 2)
    (table 4 funcref)
    (global $m (mut i64) (i64.const -7))
    (func $a (export "a") (type $t) (local f32 f64)
      (block (result i64)
        (loop $l
          (br_if $l (i32.eqz (local.get 0)))
          (br_table 0 1 (local.get 0)))
        (i64.add (local.get 1) (global.get $m))))
    (func $b (param i32) (result i32)
      (if (result i32) (local.get 0) (then (i32.load offset=8 (local.get 0))) (else (memory.grow (i32.const 1)))))
    (elem (i32.const 0) $a $b)
    (elem declare func $b)
    (data (i32.const 16) "hello")
    (data "passive")
    (func (export "c") (drop (ref.func $b)) (memory.init 1 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 1)
      (table.init 0 (i32.const 0) (i32.const 0) (i32.const 0)) (elem.drop 0)
      (drop (f64.const nan:0x4)) (drop (f32.const -0.0)) (call $imp (i32.const 3))))`,
  `(module (func (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
        (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1))))))))`,
];

test("truncation: every prefix of valid modules decodes or throws CompileError naming section and offset", async () => {
  let errors = 0;
  for (const text of SAMPLES) {
    const bytes = await wat(text);
    decodeModule(bytes);
    for (let n = 0; n < bytes.length; n++) {
      const r = decodeOrCompileError(bytes.subarray(0, n));
      if (r instanceof CompileError) errors++;
      if (n < 8) assert.ok(r instanceof CompileError);
    }
  }
  assert.ok(errors > 100, `${errors} prefixes rejected`);
});

test("garbage: random bytes, with and without a valid header, are rejected cleanly", () => {
  fc.assert(
    fc.property(fc.boolean(), fc.uint8Array({ minLength: 0, maxLength: 200 }), (withHeader, tail) => {
      const bytes = withHeader ? new Uint8Array([...HEADER, ...tail]) : tail;
      decodeOrCompileError(bytes);
    }),
    { numRuns: 3000 },
  );
});

test("mutations of valid modules decode or throw CompileError, never hang", async () => {
  const modules = await Promise.all(SAMPLES.map(wat));
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), byte: fc.constantFrom(0x00, 0x0b, 0x7f, 0x80, 0xff, 0x41, 0x02) }),
    fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), byte: fc.constant(0) }),
  );
  fc.assert(
    fc.property(fc.nat({ max: modules.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (mi, muts) => {
      const b = [...modules[mi]];
      for (const m of muts) {
        const at = m.at % (b.length + 1);
        if (m.kind === "set" && at < b.length) b[at] = m.byte;
        else if (m.kind === "insert") b.splice(at, 0, m.byte);
        else if (m.kind === "delete") b.splice(at, 1);
      }
      const t0 = Date.now();
      decodeOrCompileError(new Uint8Array(b));
      assert.ok(Date.now() - t0 < 1000, "decoding took too long");
    }),
    { numRuns: 3000 },
  );
});

test("speed: decoding a large function body", () => {
  // 200k instructions: (i32.add (local.get 0) (i32.const N)) repeated, dropped.
  const body: number[] = [0x41, 0x00];
  for (let i = 0; i < 100000; i++) body.push(0x41, ...sleb(i * 37), 0x6a);
  body.push(0x1a);
  const bytes = funcModule(body);
  const cold0 = performance.now();
  const m = decodeModule(bytes);
  const cold = performance.now() - cold0;
  assert.is(m.codes[0].offsets.length, 200003);
  const t0 = performance.now();
  for (let r = 0; r < 5; r++) decodeModule(bytes);
  const ms = (performance.now() - t0) / 5;
  console.log(`\n# decode: ${(bytes.length / 1e6).toFixed(2)} MB body (200k instructions) in ${ms.toFixed(1)} ms warm, ${cold.toFixed(1)} ms cold (${(bytes.length / 1e6 / (ms / 1000)).toFixed(0)} MB/s, ${(0.2 / (ms / 1000)).toFixed(0)} M instr/s warm)`);
  assert.ok(ms < 2000);
});

test.run();
