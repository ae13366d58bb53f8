/**
 * Unit tests of the validator for the trickier rules (unreachable polymorphism, select, ref.func
 * declarations, data count, constant expressions, block types, module-level rules), and a
 * differential test against Node's own WebAssembly validator (an oracle allowed in tests) over
 * mutated modules: opcode substitutions inside function bodies and random byte edits.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import wabtInit from "wabt";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { decodeModule } from "../../interpreter/decode/index.js";
import { validateModule } from "../../interpreter/validate/index.js";
import { CompileError } from "../../interpreter/errors.js";
import { sharedDirOrSkip } from "../helpers/shared.js";

let wabt: Awaited<ReturnType<typeof wabtInit>> | undefined;
/** Text to binary with wabt, *without* validation (so invalid modules can be written). */
async function wat(text: string): Promise<Uint8Array> {
  wabt ??= await wabtInit();
  const m = wabt.parseWat("t.wat", text, { reference_types: true, bulk_memory: true, multi_value: true });
  try {
    return m.toBinary({}).buffer;
  } finally {
    m.destroy();
  }
}

async function valid(text: string): Promise<void> {
  const bytes = await wat(text);
  try {
    validateModule(decodeModule(bytes));
  } catch (e) {
    throw new Error(`expected valid: ${text}\n  got ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The module must fail validation with a CompileError `invalid` whose message starts with `spec`. */
async function invalid(text: string, spec: string | RegExp): Promise<CompileError> {
  const bytes = await wat(text);
  const m = decodeModule(bytes);
  try {
    validateModule(m);
  } catch (e) {
    if (!(e instanceof CompileError)) throw new Error(`expected CompileError for ${text}, got ${String(e)}`);
    assert.is(e.code, "invalid", e.message);
    if (typeof spec === "string") assert.ok(e.message.startsWith(spec), `"${e.message}" should start with "${spec}"`);
    else assert.match(e.message, spec);
    return e;
  }
  throw new Error(`expected invalid (${String(spec)}): ${text}`);
}

const B = (s: string) => new Uint8Array(s.trim().split(/\s+/).map((x) => parseInt(x, 16)));

test("unreachable code is stack-polymorphic", async () => {
  await valid(`(module (func (result i32) unreachable))`);
  await valid(`(module (func (result i32) unreachable i32.add))`);
  await valid(`(module (func (result i32) unreachable select))`);
  await valid(`(module (func unreachable drop drop drop))`);
  await valid(`(module (func (result i64) (return (i64.const 1)) i32.add drop i64.const 0))`);
  await valid(`(module (func (result f32) (block (result f32) (br 0 (f32.const 0)) i32.eqz drop f32.const 1)))`);
  await valid(`(module (func (param i32) (result i32) (block (result i32) (br_table 0 0 (i32.const 1) (local.get 0)))))`);
  await invalid(`(module (func (result i32) unreachable (i64.const 0) i32.add))`, "type mismatch");
  await invalid(`(module (func (block (br 0) (i32.const 1))))`, "type mismatch");
  await invalid(`(module (func (result i32) (return) (i64.const 1)))`, "type mismatch");
  await invalid(`(module (func unreachable (ref.null func) (ref.null func) (i32.const 0) select drop))`, "type mismatch");
  // br_table targets must agree in arity.
  await invalid(`(module (func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0))) (i32.const 0))))`, "type mismatch");
  await invalid(`(module (func (result i32) (block (result i32) (br_table 0 (i64.const 1) (i32.const 0)))))`, "type mismatch");
  await invalid(`(module (func (block (br 2))))`, "unknown label");
});

test("select: untyped only on numeric operands; typed select needs exactly one type", async () => {
  await valid(`(module (func (result i64) (select (i64.const 1) (i64.const 2) (i32.const 0))))`);
  await valid(`(module (func (result funcref) (select (result funcref) (ref.null func) (ref.null func) (i32.const 0))))`);
  await invalid(`(module (func (drop (select (ref.null func) (ref.null func) (i32.const 0)))))`, "type mismatch");
  await invalid(`(module (func (drop (select (ref.null extern) (ref.null extern) (i32.const 0)))))`, "type mismatch");
  await invalid(`(module (func (drop (select (i32.const 1) (i64.const 1) (i32.const 0)))))`, "type mismatch");
  await invalid(`(module (func (drop (select (i32.const 1) (i32.const 1) (i64.const 0)))))`, "type mismatch");
  // select with 2 types (binary only): 1c 02 7f 7f
  const two = B("00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 0a 0f 01 0d 00 41 00 41 00 41 00 1c 02 7f 7f 1a 0b");
  const e = (() => { try { validateModule(decodeModule(two)); } catch (x) { return x; } })();
  assert.ok(e instanceof CompileError && e.code === "invalid" && /invalid result arity/.test(e.message));
});

test("ref.func requires the function to be declared outside function bodies (C.refs)", async () => {
  await invalid(`(module (func $f) (func (drop (ref.func $f))))`, "undeclared function reference");
  await valid(`(module (func $f) (elem declare func $f) (func (drop (ref.func $f))))`);
  await valid(`(module (func $f) (export "f" (func $f)) (func (drop (ref.func $f))))`);
  await valid(`(module (func $f) (global funcref (ref.func $f)) (func (drop (ref.func $f))))`);
  await valid(`(module (table 1 funcref) (func $f) (elem (i32.const 0) $f) (func (drop (ref.func $f))))`);
  await invalid(`(module (func (drop (ref.func 7))))`, "unknown function 7");
  await invalid(`(module (func (drop (ref.is_null (i32.const 0)))))`, "type mismatch");
});

test("data count: memory.init and data.drop need it and index data segments by it", async () => {
  // (memory 1) (datacount 0) (func (data.drop 0)) -> unknown data segment 0
  const bytes = B("00 61 73 6d 01 00 00 00 01 04 01 60 00 00 03 02 01 00 05 03 01 00 01 0c 01 00 0a 07 01 05 00 fc 09 00 0b");
  let e: unknown;
  try { validateModule(decodeModule(bytes)); } catch (x) { e = x; }
  assert.ok(e instanceof CompileError && e.code === "invalid", String(e));
  assert.match((e as Error).message, /unknown data segment 0 \(code section, function 0\)/);
  assert.is((e as CompileError).offset, 31); // the fc opcode byte
  await valid(`(module (memory 1) (data "x") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop 0)))`);
  await invalid(`(module (memory 1) (data "x") (func (data.drop 1)))`, "unknown data segment 1");
  await invalid(`(module (data "x") (func (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))))`, "unknown memory 0");
});

test("constant expressions (Wasm 3.0): constant instructions, immutable globals defined before, extended constants, result type", async () => {
  await valid(`(module (global (import "m" "g") i32) (global i32 (global.get 0)) (global i64 (i64.const 1)) (global externref (ref.null extern)))`);
  await invalid(`(module (global (import "m" "g") (mut i32)) (global i32 (global.get 0)))`, "constant expression required");
  await valid(`(module (global i32 (i32.const 0)) (global i32 (global.get 0)))`);
  await invalid(`(module (global i32 (global.get 1)) (global i32 (i32.const 0)))`, "unknown global 1");
  await invalid(`(module (global i32 (i64.const 0)))`, "type mismatch");
  await invalid(`(module (memory 1) (data (i64.const 0) "x"))`, "type mismatch");
  await invalid(`(module (global (mut i32) (i32.const 0)) (memory 1) (data (global.get 0) "x"))`, "constant expression required");
  await invalid(`(module (memory 1) (data (global.get 0) "x"))`, "unknown global 0");
  await invalid(`(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))`, "type mismatch");
  // Non-constant instructions (binary: global i32 = i32.const 1; i32.const 2; i32.div_s; i32.add
  // would be an extended constant).
  const add = B("00 61 73 6d 01 00 00 00 06 09 01 7f 00 41 01 41 02 6d 0b");
  const nop = B("00 61 73 6d 01 00 00 00 06 05 01 7f 00 01 0b");
  const empty = B("00 61 73 6d 01 00 00 00 06 04 01 7f 00 0b");
  const twoValues = B("00 61 73 6d 01 00 00 00 06 08 01 7f 00 41 01 41 02 0b");
  for (const [bytes, msg] of [[add, /constant expression required/], [nop, /constant expression required/], [empty, /type mismatch/], [twoValues, /type mismatch/]] as const) {
    let e: unknown;
    try { validateModule(decodeModule(bytes)); } catch (x) { e = x; }
    assert.ok(e instanceof CompileError && e.code === "invalid", String(e));
    assert.match((e as Error).message, msg);
    assert.match((e as Error).message, /global section, global 0/);
  }
});

test("blocks: multi-value block types, if without else, else typing", async () => {
  await valid(`(module (type $t (func (param i32 i32) (result i32 i32)))
    (func (result i32 i32) (i32.const 1) (i32.const 2) (block (type $t) (param i32 i32) (result i32 i32))))`);
  await invalid(`(module (type $t (func (param i32 i32) (result i32 i32)))
    (func (result i32 i32) (i32.const 1) (block (type $t) (param i32 i32) (result i32 i32))))`, "type mismatch");
  await valid(`(module (func (param i32) (result i32) (local.get 0) (if (param i32) (result i32) (i32.const 1) (then (i32.const 1) i32.add))))`);
  await invalid(`(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)))))`, "type mismatch");
  await invalid(`(module (func (result i32) (if (result i32) (i32.const 1) (then (i32.const 1)) (else (i64.const 1)))))`, "type mismatch");
  await valid(`(module (func (result i32) (loop (result i32) (br 0 (i32.const 1)))))`); // br to a loop takes its parameters
  await invalid(`(module (func (i32.const 1) (loop (param i32) (drop) (br 0))))`, "type mismatch");
  await valid(`(module (func (param i32) (result i32) (local.get 0) (loop (param i32) (result i32) (br_if 0 (local.get 0)))))`);
});

test("variables, memories, tables, calls", async () => {
  await invalid(`(module (func (param i32) (drop (local.get 2))))`, "unknown local 2");
  await invalid(`(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))`, "global is immutable");
  await invalid(`(module (func (drop (global.get 3))))`, "unknown global 3");
  await invalid(`(module (func (drop (i32.load (i32.const 0)))))`, "unknown memory 0");
  await invalid(`(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))`, "alignment must not be larger than natural");
  await invalid(`(module (memory 1) (func (drop (i64.load8_u align=2 (i32.const 0)))))`, "alignment must not be larger than natural");
  await valid(`(module (memory 1) (func (drop (i64.load align=8 (i32.const 0))) (i64.store32 align=4 (i32.const 0) (i64.const 0))))`);
  await invalid(`(module (table 1 externref) (type $t (func)) (func (call_indirect (type $t) (i32.const 0))))`, "type mismatch");
  await invalid(`(module (type $t (func)) (func (call_indirect (type $t) (i32.const 0))))`, "unknown table 0");
  await invalid(`(module (func (call 9)))`, "unknown function 9");
  await invalid(`(module (table 1 funcref) (table 1 externref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))`, "type mismatch");
  await invalid(`(module (table 1 externref) (elem funcref (ref.null func)) (func (table.init 0 (i32.const 0) (i32.const 0) (i32.const 0))))`, "type mismatch");
  await invalid(`(module (table 1 funcref) (func (elem.drop 4)))`, "unknown elem segment 4");
  await valid(`(module (table 1 externref) (func (param externref) (result i32) (table.grow (local.get 0) (i32.const 1)) (table.fill 0 (i32.const 0) (local.get 0) (i32.const 1)) (table.set (i32.const 0) (local.get 0)) (drop (table.get (i32.const 0)))))`);
  await invalid(`(module (table 1 externref) (func (drop (table.grow (ref.null func) (i32.const 1)))))`, "type mismatch");
});

test("module rules: start, exports, limits, memories", async () => {
  await invalid(`(module (func (param i32)) (start 0))`, "start function");
  await invalid(`(module (func (result i32) (i32.const 0)) (start 0))`, "start function");
  const dup = await invalid(`(module (func) (export "a" (func 0)) (export "a" (func 0)))`, "duplicate export name");
  assert.match(dup.message, /export section, export 1 "a"\) \(at byte offset \d+\)/);
  const bytes = await wat(`(module (func) (export "a" (func 0)) (export "a" (func 0)))`);
  assert.equal([...bytes.subarray(dup.offset!, dup.offset! + 4)], [0x01, 0x61, 0x00, 0x00]); // name "a", kind func, index 0
  const start = await invalid(`(module (func (param i32)) (start 0))`, "start function");
  assert.match(start.message, /start section\) \(at byte offset \d+\)/);
  await invalid(`(module (memory 65537))`, "memory size must be at most 65536 pages (4GiB)");
  await invalid(`(module (memory 1 65537))`, "memory size must be at most 65536 pages (4GiB)");
  await invalid(`(module (memory 2 1))`, "size minimum must not be greater than maximum");
  await invalid(`(module (table 2 1 funcref))`, "size minimum must not be greater than maximum");
  await valid(`(module (memory (import "a" "b") 1) (memory 1))`); // multi-memory (Wasm 3.0)
  await valid(`(module (memory 0 65536) (table 0 0xffffffff funcref))`);
});

test("error messages name the function and the offending instruction's byte offset", async () => {
  const bytes = await wat(`(module (func) (func (result i32) (nop) (i64.const 0)))`);
  const m = decodeModule(bytes);
  let e: unknown;
  try { validateModule(m); } catch (x) { e = x; }
  assert.ok(e instanceof CompileError);
  const ce = e as CompileError;
  assert.match(ce.message, /type mismatch: expected i32, found i64 \(code section, function 1\)/);
  // The error sits at the function's final `end`, where the result is checked.
  const body = m.codes[1];
  assert.is(ce.offset, body.offsets[body.offsets.length - 1]);
  assert.is(bytes[ce.offset!], 0x0b);
});

// ---------------------------------------------------------------- differential against Node's validator

interface Seed { bytes: Uint8Array; offsets: number[] }

function seedsFromSpec(): Seed[] {
  const root = sharedDirOrSkip("wasm-spec", "validator differential seeds from the spec suite (using local samples only)");
  const out: Seed[] = [];
  if (root === undefined) return out;
  for (const d of readdirSync(root).sort()) {
    if (d.startsWith("simd") || !existsSync(join(root, d, `${d}.json`))) continue;
    const json = JSON.parse(readFileSync(join(root, d, `${d}.json`), "utf8")) as { commands: { type: string; filename?: string }[] };
    for (const c of json.commands) {
      if (c.type !== "module" || c.filename === undefined || !c.filename.endsWith(".wasm")) continue;
      const bytes = new Uint8Array(readFileSync(join(root, d, c.filename)));
      const offsets = decodeModule(bytes).codes.flatMap((b) => [...b.offsets]);
      if (offsets.length > 0) out.push({ bytes, offsets });
    }
  }
  return out;
}

const LOCAL_SAMPLES = [
  `(module (memory 1) (table 2 funcref) (global $g (mut i32) (i32.const 0))
    (func $f (param i32 i64) (result i64) (local f32 f64)
      (block (result i64) (loop (br_if 0 (i32.eqz (local.get 0))) (global.set $g (i32.load (local.get 0))))
        (i64.add (local.get 1) (i64.extend_i32_u (global.get $g)))))
    (func (result f64) (f64.add (f64.load (i32.const 8)) (f64.convert_i32_s (memory.size))))
    (elem (i32.const 0) $f))`,
  `(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.mul (local.get 0) (i32.const 3))) (else (select (i32.const 1) (i32.const 2) (local.get 0))))))`,
];

const NO_IMMEDIATE = [0x00, 0x01, 0x0f, 0x1a, 0x1b, 0xd1, ...Array.from({ length: 0xc4 - 0x45 + 1 }, (_, i) => 0x45 + i)];
const ONE_INDEX = [0x20, 0x21, 0x22, 0x23, 0x24, 0x10, 0x0c, 0x0d, 0xd2, 0x25, 0x26, 0x41, 0x3f, 0x40];
const MEMARG = Array.from({ length: 0x3e - 0x28 + 1 }, (_, i) => 0x28 + i);
const SAME_SHAPE = new Map<number, number[]>();
for (const g of [NO_IMMEDIATE, ONE_INDEX, MEMARG, [0x02, 0x03, 0x04]]) for (const op of g) SAME_SHAPE.set(op, g);

/** Ours vs Node's validator; `unsupported` on our side and V8's implementation limits are not disagreements. */
function compare(bytes: Uint8Array, stats: Record<string, number>): string | undefined {
  let ours: CompileError | undefined;
  try {
    validateModule(decodeModule(bytes));
  } catch (e) {
    if (!(e instanceof CompileError)) throw new Error(`non-CompileError ${String(e)} for ${Buffer.from(bytes).toString("hex")}`);
    ours = e;
  }
  let v8: string | undefined;
  try {
    new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  } catch (e) {
    v8 = e instanceof Error ? e.message : String(e);
  }
  const key = `${ours === undefined ? "ok" : ours.code}/${v8 === undefined ? "ok" : "rejected"}`;
  stats[key] = (stats[key] ?? 0) + 1;
  if ((ours === undefined) === (v8 === undefined)) return undefined;
  if (ours?.code === "unsupported") return undefined;
  if (v8 !== undefined && /implementation limit|larger than implementation/.test(v8)) return undefined;
  // Node 20 lacks some Wasm 3.0 features that we validate (a `ref.null` of a type index, say):
  // its rejection then names the flag that would enable one, and is no verdict on the module
  if (ours === undefined && v8 !== undefined && /enable with --experimental-wasm-/.test(v8)) {
    stats["ok/node-lacks-feature"] = (stats["ok/node-lacks-feature"] ?? 0) + 1;
    return undefined;
  }
  // Wasm 3.0's multi-memory: a memarg whose alignment field has bit 6 set names a memory index
  // next. Node 20 reads the field as an alignment of 2^64 and more, and says so without naming a
  // flag
  const alignment = v8 === undefined ? null : /invalid alignment; expected maximum alignment is \d+, actual alignment is (\d+)/.exec(v8);
  if (ours === undefined && alignment !== null && (Number(alignment[1]) & 0x40) !== 0) {
    stats["ok/node-lacks-feature"] = (stats["ok/node-lacks-feature"] ?? 0) + 1;
    return undefined;
  }
  return `ours: ${ours?.message ?? "valid"}; node: ${v8 ?? "valid"}; bytes ${Buffer.from(bytes).toString("hex").slice(0, 600)}`;
}

/** Validates the module `hex` (it must be valid for us) and compares it with Node's verdict: no disagreement. The comparison's counts. */
function noDisagreement(hex: string): Record<string, number> {
  const bytes = new Uint8Array(Buffer.from(hex, "hex"));
  validateModule(decodeModule(bytes));
  const stats: Record<string, number> = {};
  assert.is(compare(bytes, stats), undefined);
  return stats;
}

test("differential: a rejection by Node 20 for a feature it lacks is no disagreement", () => {
  // a mutant the differential below once produced: `ref.null 0` (a type index, Wasm 3.0's
  // function references) after `local.get 0`, then `unreachable`; valid (Node 26 agrees), while
  // Node 20 says "Invalid indexed heap type, enable with --experimental-wasm-typed-funcref"
  noDisagreement("0061736d0100000001090260000060017f017f0303020001050401010101071c03076d656d6f727930020004746573740000076c6f6164385f7500010a0d020300010b07002000d000000b0b21040041020b040301040101040207010800410c0b05070502030601050409020706");
});

test("differential: a memarg naming a memory index (multi-memory), which Node 20 reads as a huge alignment, is no disagreement", () => {
  // a mutant the differential below produced: `i32.load` with the alignment field 0x41 (bit 6: a
  // memory index follows; alignment 2^1), memory 0, offset 36; valid (Node 26 agrees), while Node
  // 20 says "invalid alignment; expected maximum alignment is 2, actual alignment is 65"
  const hex = "0061736d01000000010b0260027f7e017e6000017c030302000104040170000205030100010606017f0141000b0907010041000b01000a2c021e02017d017c027e03402000450d00200028410024000b20012300ad7c0b0b0b0041082b03003f00b7a00b";
  assert.is(noDisagreement(hex)["ok/node-lacks-feature"], 1);
  // without bit 6, the field is an alignment: 2^5 is past i32.load's natural one, invalid for us too
  const bad = Buffer.from(hex, "hex");
  bad[bad.indexOf(Buffer.from("2841", "hex")) + 1] = 0x05;
  assert.throws(() => validateModule(decodeModule(new Uint8Array(bad))), /alignment/);
});

test("differential: validator agrees with Node's WebAssembly on mutated modules", async () => {
  let seeds = seedsFromSpec();
  const local = await Promise.all(LOCAL_SAMPLES.map(wat));
  seeds = seeds.concat(local.map((bytes) => ({ bytes, offsets: decodeModule(bytes).codes.flatMap((b) => [...b.offsets]) })));
  const stats: Record<string, number> = {};
  const disagreements: string[] = [];
  // Opcode substitutions inside function bodies (same immediate shape): mostly decodable, stresses typing.
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), (si, edits) => {
      const { bytes, offsets } = seeds[si];
      const b = bytes.slice();
      for (const [a, r] of edits) {
        const at = offsets[a % offsets.length];
        const g = SAME_SHAPE.get(b[at]);
        if (g !== undefined) b[at] = g[r % g.length];
      }
      const d = compare(b, stats);
      if (d !== undefined) disagreements.push(d);
    }),
    { numRuns: 4000 },
  );
  // Random byte edits anywhere after the header.
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(fc.record({ k: fc.nat(2), at: fc.nat(), v: fc.nat(255) }), { minLength: 1, maxLength: 2 }), (si, edits) => {
      const b = [...seeds[si].bytes];
      for (const e of edits) {
        const at = 8 + (e.at % Math.max(1, b.length - 7));
        if (e.k === 0) b[at] = e.v;
        else if (e.k === 1) b.splice(at, 0, e.v);
        else b.splice(at, 1);
      }
      const d = compare(new Uint8Array(b), stats);
      if (d !== undefined) disagreements.push(d);
    }),
    { numRuns: 4000 },
  );
  const summary = Object.entries(stats).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`\n# validate differential (ours/node): ${summary}; ${disagreements.length} disagreements`);
  assert.ok((stats["ok/ok"] ?? 0) > 500, "enough valid mutants");
  assert.ok((stats["invalid/rejected"] ?? 0) > 500, "enough invalid mutants");
  assert.equal(disagreements.slice(0, 5), []);
});

test("hostile: deeply nested blocks with the largest block type stay linear in the module size", () => {
  // type 0 = [i32 x 1000] -> []; body: unreachable, then 20k nested `block (type 0)`.
  const uleb = (n: number) => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const P = 1000;
  const N = 20000;
  const typeSec = [0x02, 0x60, ...uleb(P), ...new Array(P).fill(0x7f), 0x00, 0x60, 0x00, 0x00];
  const body = [0x00, 0x00];
  for (let i = 0; i < N; i++) body.push(0x02, 0x00);
  for (let i = 0; i < N; i++) body.push(0x0b);
  body.push(0x0b);
  const code = [0x01, ...uleb(body.length), ...body];
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, ...uleb(typeSec.length), ...typeSec, 3, 2, 1, 1, 10, ...uleb(code.length), ...code]);
  const t0 = performance.now();
  let e: unknown;
  try { validateModule(decodeModule(bytes)); } catch (x) { e = x; }
  const ms = performance.now() - t0;
  assert.ok(e instanceof CompileError && e.code === "invalid", String(e));
  console.log(`\n# validate hostile nesting: ${N} blocks x ${P} params in ${ms.toFixed(0)} ms`);
  assert.ok(ms < 5000, `${ms} ms`);
});

test("speed: validating a large function body", () => {
  // (local i32) then 100k x (local.get 0; i32.const k; i32.add; local.set 0) inside nested blocks.
  const body: number[] = [0x01, 0x01, 0x7f];
  for (let d = 0; d < 50; d++) body.push(0x02, 0x40);
  for (let i = 0; i < 100000; i++) body.push(0x20, 0x00, 0x41, i & 0x3f, 0x6a, 0x21, 0x00);
  for (let d = 0; d < 50; d++) body.push(0x0b);
  body.push(0x0b);
  const size = (n: number) => { const o: number[] = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const code = [0x01, ...size(body.length), ...body];
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, ...size(code.length), ...code]);
  const m = decodeModule(bytes);
  validateModule(m); // warm-up
  const t0 = performance.now();
  const reps = 5;
  for (let r = 0; r < reps; r++) validateModule(m);
  const ms = (performance.now() - t0) / reps;
  const n = m.codes[0].offsets.length;
  console.log(`\n# validate: ${(n / 1e3).toFixed(0)}k instructions in ${ms.toFixed(1)} ms (${(n / 1e3 / ms).toFixed(0)} M instr/s)`);
  assert.ok(ms < 1000);
});

test.run();
