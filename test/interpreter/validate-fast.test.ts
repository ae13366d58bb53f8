/**
 * The startup path (`decodeAndValidate`: bodies decoded and validated in one pass by the fast
 * check, the exact path only when it cannot tell) against the reference (`decodeModule` then
 * `validateModule` with the exact validator only): same verdict and, on failure, the same
 * CompileError (code, message, byte offset), over the spec suite's modules (every `module`,
 * `assert_invalid` and `assert_malformed` binary) and mutants of them (opcode substitutions with
 * the same immediate shape inside bodies, random byte edits). The fast check must be sound: one
 * body it wrongly accepts shows up here as a verdict difference.
 *
 * Also: how many bodies of real programs take the fast path (they should all), and the training
 * module that warms the fast check up (it must assemble to the bytes the library holds, and take
 * every path without falling back).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import wabtInit from "wabt";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { decodeModule } from "../../interpreter/decode/index.js";
import { buildContext, decodeAndValidate, fastCheckTrainingModule, validateModule } from "../../interpreter/validate/index.js";
import { FastBodyChecker } from "../../interpreter/validate/fast.js";
import { CompileError } from "../../interpreter/errors.js";
import { uleb } from "../../scripts/malformed/leb128.js";
import { sharedDir, sharedDirOrSkip, testOrSkip } from "../helpers/shared.js";

type Outcome = string; // "ok", or "code|offset|message"

function outcome(f: () => unknown): Outcome {
  try {
    f();
    return "ok";
  } catch (e) {
    if (!(e instanceof CompileError)) throw new Error(`not a CompileError: ${String(e)}`);
    return `${e.code}|${e.offset}|${e.message}`;
  }
}

const reference = (bytes: Uint8Array): Outcome => outcome(() => validateModule(decodeModule(bytes), { fast: false }));
const startup = (bytes: Uint8Array): Outcome => outcome(() => decodeAndValidate(bytes));
/** The two-pass form (decode, then validateModule with the fast check), as the JS API calls it. */
const twoPass = (bytes: Uint8Array): Outcome => outcome(() => validateModule(decodeModule(bytes)));

const specRoot = sharedDirOrSkip("wasm-spec", "fast-path differential over the spec suite");

function specModules(): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (specRoot === undefined) return out;
  for (const d of readdirSync(specRoot).sort()) {
    if (!existsSync(join(specRoot, d, `${d}.json`))) continue;
    const json = JSON.parse(readFileSync(join(specRoot, d, `${d}.json`), "utf8")) as { commands: { type: string; filename?: string; module_type?: string }[] };
    for (const c of json.commands) {
      if (c.filename === undefined || !c.filename.endsWith(".wasm")) continue;
      if (c.type !== "module" && c.type !== "assert_invalid" && c.type !== "assert_malformed") continue;
      out.push(new Uint8Array(readFileSync(join(specRoot, d, c.filename))));
    }
  }
  return out;
}

const modules = specModules();

testOrSkip(specRoot)("every spec module: the startup path and the reference agree exactly", () => {
  const diffs: string[] = [];
  const tally: Record<string, number> = {};
  for (const bytes of modules) {
    const r = reference(bytes);
    const s = startup(bytes);
    const t = twoPass(bytes);
    const k = r === "ok" ? "ok" : r.slice(0, r.indexOf("|"));
    tally[k] = (tally[k] ?? 0) + 1;
    if (r !== s || r !== t) diffs.push(`reference ${r}\n startup ${s}\n two-pass ${t}\n bytes ${Buffer.from(bytes).toString("hex").slice(0, 400)}`);
  }
  console.log(`\n# fast path vs reference, spec modules: ${Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(", ")}; ${diffs.length} differences`);
  assert.ok((tally.ok ?? 0) > 1000 && (tally.invalid ?? 0) > 500 && (tally.malformed ?? 0) > 200, "the corpus has every kind");
  assert.equal(diffs.slice(0, 3), []);
});

const NO_IMMEDIATE = [0x00, 0x01, 0x0f, 0x1a, 0x1b, 0xd1, ...Array.from({ length: 0xc4 - 0x45 + 1 }, (_, i) => 0x45 + i)];
const ONE_INDEX = [0x20, 0x21, 0x22, 0x23, 0x24, 0x10, 0x0c, 0x0d, 0xd2, 0x25, 0x26, 0x41, 0x42, 0x3f, 0x40];
const MEMARG = Array.from({ length: 0x3e - 0x28 + 1 }, (_, i) => 0x28 + i);
const BLOCKS = [0x02, 0x03, 0x04];
const SAME_SHAPE = new Map<number, number[]>();
for (const g of [NO_IMMEDIATE, ONE_INDEX, MEMARG, BLOCKS]) for (const op of g) SAME_SHAPE.set(op, g);

testOrSkip(specRoot)("mutants of spec modules: the startup path and the reference agree exactly", () => {
  const seeds = modules
    .filter((b) => reference(b) === "ok")
    .map((bytes) => ({ bytes, offsets: decodeModule(bytes).codes.flatMap((b) => [...b.offsets]) }))
    .filter((s) => s.offsets.length > 0);
  const diffs: string[] = [];
  const tally: Record<string, number> = {};
  const check = (b: Uint8Array): void => {
    const r = reference(b);
    const s = startup(b);
    const t = twoPass(b);
    const k = r === "ok" ? "ok" : r.slice(0, r.indexOf("|"));
    tally[k] = (tally[k] ?? 0) + 1;
    if (r !== s || r !== t) diffs.push(`reference ${r}\n startup ${s}\n two-pass ${t}\n bytes ${Buffer.from(b).toString("hex").slice(0, 600)}`);
  };
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), (si, edits) => {
      const { bytes, offsets } = seeds[si];
      const b = bytes.slice();
      for (const [a, r] of edits) {
        const at = offsets[a % offsets.length];
        const g = SAME_SHAPE.get(b[at]);
        if (g !== undefined) b[at] = g[r % g.length];
      }
      check(b);
    }),
    { numRuns: 4000 },
  );
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(fc.record({ k: fc.nat(2), at: fc.nat(), v: fc.nat(255) }), { minLength: 1, maxLength: 2 }), (si, edits) => {
      const b = [...seeds[si].bytes];
      for (const e of edits) {
        const at = 8 + (e.at % Math.max(1, b.length - 7));
        if (e.k === 0) b[at] = e.v;
        else if (e.k === 1) b.splice(at, 0, e.v);
        else b.splice(at, 1);
      }
      check(new Uint8Array(b));
    }),
    { numRuns: 4000 },
  );
  console.log(`\n# fast path vs reference, mutants: ${Object.entries(tally).map(([k, v]) => `${k} ${v}`).join(", ")}; ${diffs.length} differences`);
  assert.ok((tally.ok ?? 0) > 500 && (tally.invalid ?? 0) > 500, "enough valid and invalid mutants");
  assert.equal(diffs.slice(0, 3), []);
});

/** Fraction of the bodies of `bytes` the fast check accepts on its own. */
function fastShare(bytes: Uint8Array): { fast: number; bodies: number } {
  const m = decodeModule(bytes);
  const fast = new FastBodyChecker(buildContext(m));
  let n = 0;
  for (let i = 0; i < m.codes.length; i++) {
    const b = m.codes[i];
    if (fast.check(b.bytes, b.start, b.end, m.types[m.funcs[i]], b.localsAt, b.localCount)) n++;
  }
  return { fast: n, bodies: m.codes.length };
}

/**
 * A module of one function `() -> i32` (locals: i32 i32 i64) whose body is long: `run` checks it
 * in calls of 256 instructions (fast.ts `RUN_CHUNK`), resuming mid-body with the operand and
 * control stacks as it left them. Statements keep the stack balanced; some push up to 300 values
 * before folding them (a deep stack across a resume), nest blocks, ifs and loops across resumes,
 * or leave a block through `br` with unreachable code after it (a polymorphic stack).
 */
function longBodyModule(stmts: number[][]): Uint8Array {
  const leb = (n: number): number[] => [...uleb(n)];
  const body = [2, 2, 0x7f, 1, 0x7e, ...stmts.flat(), 0x20, 1, 0x0b]; // locals: 2 i32, 1 i64; ...; local.get 1
  const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
  return new Uint8Array([
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

const statement: fc.Memo<number[]> = fc.memo((depth) => {
  const leaf = fc.oneof(
    fc.integer({ min: 0, max: 63 }).map((k) => [0x41, k, 0x21, 0]), // i32.const k; local.set 0
    fc.integer({ min: 0, max: 63 }).map((k) => [0x20, 0, 0x41, k, 0x6a, 0x21, 1]), // local.get 0; i32.const k; i32.add; local.set 1
    fc.integer({ min: 0, max: 63 }).map((k) => [0x42, k, 0x20, 2, 0x7c, 0x22, 2, 0x1a]), // i64.const; local.get 2; i64.add; local.tee 2; drop
    fc.integer({ min: 2, max: 300 }).map((m) => [...Array<number>(m).fill(0).flatMap(() => [0x41, 1]), ...Array<number>(m - 1).fill(0x6a), 0x21, 1]), // m consts folded
    fc.constant<number[]>([0x02, 0x40, 0x0c, 0, 0x6a, 0x1a, 0x0b]), // block br 0 (i32.add drop: unreachable) end
  );
  if (depth <= 0) return leaf;
  const inner = fc.array(statement(depth - 1), { maxLength: 12 }).map((ss) => ss.flat());
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    inner.map((b) => [0x02, 0x40, ...b, 0x0b]), // block
    inner.map((b) => [0x03, 0x40, ...b, 0x0b]), // loop
    fc.tuple(inner, inner).map(([a, b]) => [0x20, 0, 0x04, 0x40, ...a, 0x05, ...b, 0x0b]), // if else
    inner.map((b) => [0x02, 0x7f, ...b, 0x41, 5, 0x0b, 0x21, 0]), // block (result i32) ... i32.const 5 end; local.set 0
  );
});

test("long bodies (run resumes mid-body every 256 instructions): valid ones take the fast path; edits agree with the reference", () => {
  let edits = 0;
  fc.assert(
    fc.property(fc.array(statement(3), { minLength: 20, maxLength: 120 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), (stmts, changes) => {
      const bytes = longBodyModule(stmts);
      assert.is(reference(bytes), "ok");
      assert.is(startup(bytes), "ok");
      assert.equal(fastShare(bytes), { fast: 1, bodies: 1 });
      if (changes.length === 0) return;
      // byte edits inside the body's instructions (after the header and the locals)
      const bodyStart = bytes.length - stmts.flat().length - 3;
      const mutant = bytes.slice();
      for (const [at, v] of changes) mutant[bodyStart + (at % (bytes.length - 3 - bodyStart))] = v;
      edits++;
      const r = reference(mutant);
      assert.is(startup(mutant), r);
      assert.is(twoPass(mutant), r);
    }),
    { numRuns: 40 },
  );
  console.log(`\n# long bodies: 40 valid, ${edits} with byte edits, all agree`);
});

const realDir = join(sharedDir(), "bench", "real");
testOrSkip(existsSync(realDir))("real programs: every body takes the fast path", () => {
  const lines: string[] = [];
  for (const name of ["bz2", "pulldown-cmark", "spidermonkey", "erc20", "coremark"]) {
    const p = join(realDir, `${name}.wasm`);
    if (!existsSync(p)) continue;
    const { fast, bodies } = fastShare(new Uint8Array(readFileSync(p)));
    lines.push(`${name} ${fast}/${bodies}`);
    assert.is(fast, bodies, `${name}: bodies that fell back to the exact path`);
  }
  console.log(`\n# fast path share of bodies: ${lines.join(", ")}`);
});

/** The training module's source (assembled with wabt; `fastCheckTrainingModule()` holds its bytes). */
const TRAINING_WAT = `(module
  (type $t0 (func (param i32 i64) (result i32)))
  (type $t1 (func (param i32) (result i32 i32)))
  (import "m" "f" (func $imp (param i32 i64) (result i32)))
  (table 1 funcref)
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  (global $h i64 (i64.const 0))
  (elem declare func $f)
  (func $f (type $t0) (local f32 f64 ${"i32 ".repeat(130).trim()})
    (local.set 130 (i32.const 1000))
    (local.set 2 (local.tee 2 (f32.const 1.5)))
    (local.set 3 (f64.const 2.5))
    (drop (i64.const 100000000000))
    (global.set $g (i32.add (global.get $g) (i32.load offset=1000 (i32.const 0))))
    (i64.store (i32.const 8) (i64.extend_i32_u (i32.load8_u (i32.const 3))))
    (drop (memory.grow (memory.size)))
    (drop (global.get $h))
    (block $b (result i32)
      i32.const 0
      loop $l (param i32) (result i32)
        local.get 0
        if (result i32) i32.const 1 else i32.const 2 end
        br_if $l
        i32.const 5
        br_table $b $b
      end
    )
    drop
    local.get 0
    block $b2 (type $t1)
      i32.const 1
      br 0
    end
    drop
    drop
    (if (i32.const 1) (then nop) (else unreachable))
    (block (br_if 0 (i32.const 0)) (br_table 0 0 (i32.const 1)))
    (drop (call $f (i32.const 1) (i64.const 2)))
    (drop (call_indirect (type $t0) (i32.const 1) (i64.const 2) (i32.const 0)))
    (drop (select (i32.const 1) (i32.const 2) (i32.const 3)))
    (drop (select (result funcref) (ref.func $f) (ref.null func) (i32.const 3)))
    (drop (ref.is_null (ref.null extern)))
    (drop (i32.trunc_sat_f32_s (local.get 2)))
    (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 0))
    (block (unreachable) (i32.add) (drop) (br 0))
    (return (i32.const 7))
  )
)`;

test("the training module is its WAT source, valid, and takes the fast path", async () => {
  const wabt = await wabtInit();
  const parsed = wabt.parseWat("train.wat", TRAINING_WAT, { reference_types: true, bulk_memory: true, multi_value: true });
  let bytes: Uint8Array;
  try {
    bytes = parsed.toBinary({}).buffer;
  } finally {
    parsed.destroy();
  }
  assert.equal([...fastCheckTrainingModule()], [...bytes]);
  new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  assert.equal(fastShare(bytes), { fast: 1, bodies: 1 });
  assert.is(reference(bytes), "ok");
});

test("a body the fast check vouched for is marked prevalidated; its code decodes on demand", () => {
  const m = decodeAndValidate(fastCheckTrainingModule());
  const body = m.codes[0];
  assert.ok(body.prevalidated);
  assert.is(body.code[body.code.length - 1], 0x0b);
  assert.is(body.offsets.length, body.starts.length);
  assert.is(body.bytes[body.offsets[0]], body.code[0]);
  // The two-pass form leaves the flag unset and validates in validateModule.
  assert.not.ok(decodeModule(fastCheckTrainingModule()).codes[0].prevalidated);
});

test.run();
