/**
 * Every stage agrees with the opcode table (`interpreter/decode/opcode-table.ts`):
 * - the decoder accepts every implemented instruction and writes the words its immediate layout
 *   says (and `immediateWords` and the tools' reader skip the same), and refuses every other
 *   opcode byte and 0xFC sub-opcode: `unsupported` naming the table's feature, else `malformed`;
 * - both validators (exact and fast) accept every simple instruction at its signature and reject
 *   it with an operand of another type or a missing result;
 * - the cost tables name exactly the implemented instructions, and only the table's free ones cost 0;
 * - the translator maps every instruction with a lowering to those internal ops, handles every
 *   other one with a case of its own, and each lowered instruction computes what Node's
 *   WebAssembly computes on sample operands.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeModule } from "../../interpreter/decode/index.js";
import { immediateWords } from "../../interpreter/decode/module.js";
import { BY_INDEX, BY_NAME, Imm, IMM_WORDS, INSTRUCTIONS, isSupported, operatorIndex, SIMD_SUBS, SIMD_WORD, SUPPORTED_FEATURES, UNSUPPORTED_PREFIXES } from "../../interpreter/decode/opcode-table.js";
import { simdLowering } from "../../interpreter/translate/simd.js";
import type { Instruction } from "../../interpreter/decode/opcode-table.js";
import { CompileError } from "../../interpreter/errors.js";
import { Instance, Module, RuntimeError, Store } from "../../interpreter/index.js";
import { OPERATOR_INDEX, resolveCosts } from "../../interpreter/runtime/costs.js";
import { Op } from "../../interpreter/translate/opcodes.js";
import { BINARY, LOADS, STORES, UNARY } from "../../interpreter/translate/ops-map.js";
import { buildContext, validateModule } from "../../interpreter/validate/index.js";
import { FastBodyChecker } from "../../interpreter/validate/fast.js";
import { Cursor, readInstr } from "../../scripts/fuzz/wasm-parse.js";
import { HEADER, funcType, section, sleb, uleb, vec } from "../../scripts/spec/wasm-encode.js";

const implemented = INSTRUCTIONS.filter(isSupported);
const simple = implemented.filter((i) => i.operands !== undefined);
const hex = (w: number): string => `0x${w.toString(16)}`;

/** The opcode bytes of an instruction. */
function opcodeBytes(code: number): number[] {
  return code >= SIMD_WORD ? [0xfd, ...uleb(code & 0xfff)] : code >= 0xfc00 ? [0xfc, ...uleb(code & 0xff)] : [code];
}

/**
 * Sample immediates for each layout: the bytes and the flat-stream words they decode to. `valid`
 * ones are also valid in a module with one memory, one table, a passive data and element segment.
 */
function sampleImmediates(ins: Instruction): { bytes: number[]; words: number[] } {
  switch (ins.imm) {
    case Imm.none: return { bytes: [], words: [] };
    case Imm.index: return { bytes: uleb(300), words: [300] };
    case Imm.blockType: return { bytes: [0x40], words: [-1] };
    case Imm.brTable: return { bytes: [2, 0, 1, 0], words: [2, 0, 1, 0] };
    case Imm.memArg: return { bytes: [ins.align!, ...uleb(1000)], words: [ins.align!, 1000, 0] };
    case Imm.i32: return { bytes: sleb(-5), words: [-5] };
    case Imm.i64: return { bytes: sleb(0x123456789abn), words: [0x456789ab, 0x123] };
    case Imm.f32: return { bytes: [1, 2, 3, 4], words: [0x04030201] };
    case Imm.f64: return { bytes: [1, 2, 3, 4, 5, 6, 7, 8], words: [0x04030201, 0x08070605] };
    case Imm.selectT: return { bytes: [1, 0x7e], words: [1, 0x7e] };
    case Imm.refType: return { bytes: [0x6f], words: [0x6f] };
    case Imm.zeroByte: return { bytes: [0], words: [0] };
    case Imm.twoIndices: return { bytes: [...uleb(5), ...uleb(200)], words: [5, 200] };
    case Imm.indexZeroByte: return { bytes: [...uleb(3), 0], words: [3, 0] };
    case Imm.twoZeroBytes: return { bytes: [0, 0], words: [0, 0] };
    case Imm.v128: return { bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], words: [0x04030201, 0x08070605, 0x0c0b0a09, 0x100f0e0d] };
    case Imm.lane: return { bytes: [1], words: [1] };
    case Imm.memArgLane: return { bytes: [ins.align!, ...uleb(1000), 1], words: [ins.align!, 1000, 0, 1] };
    case Imm.shuffle: return { bytes: [0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31], words: [0x13021100, 0x17061504, 0x1b0a1908, 0x1f0e1d0c] };
    case Imm.tryTable: return { bytes: [0x40, 2, 0, ...uleb(7), 0, 2, 1], words: [-1, 2, 0, 7, 0, 2, 0, 1] };
  }
}

interface ModuleParts {
  readonly params?: readonly number[];
  readonly results?: readonly number[];
  readonly dataCount?: boolean;
  /** Export the function as "f". */
  readonly exported?: boolean;
}

/** A module with one function (body without the final end), a memory of one page, a passive data segment of 16 bytes and an active one at 8. */
function moduleWith(body: readonly number[], parts: ModuleParts = {}): Uint8Array<ArrayBuffer> {
  const fullBody = [0, ...body, 0x0b];
  const sections = [
    section(1, vec([funcType(parts.params ?? [], parts.results ?? [])])),
    section(3, vec([[0]])),
    section(5, vec([[0x00, 0x01]])),
  ];
  if (parts.exported === true) sections.push(section(7, vec([[1, 0x66, 0x00, 0x00]])));
  if (parts.dataCount === true) sections.push(section(12, uleb(2)));
  sections.push(section(10, vec([[...uleb(fullBody.length), ...fullBody]])));
  const segment = [0x80, 0x81, 0x82, 0xff, 0x7f, 0x01, 0x02, 0x03, 0xf0, 0xe0, 0xd0, 0xc0, 0x40, 0x41, 0x42, 0x43];
  sections.push(section(11, vec([[0x01, ...uleb(segment.length), ...segment], [0x00, 0x41, 0x08, 0x0b, ...uleb(segment.length), ...segment]])));
  return new Uint8Array([...HEADER, ...sections.flat()]);
}

function compileError(f: () => unknown): CompileError {
  try {
    f();
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}

test("the table itself: unique names, a layout for each instruction, alignment and signatures where needed", () => {
  assert.ok(implemented.length >= 200, `${implemented.length} implemented instructions`);
  assert.is(BY_NAME.size, implemented.length, "implemented instruction names are unique");
  for (const ins of INSTRUCTIONS) {
    assert.is(BY_INDEX[operatorIndex(ins.code)], ins, `${ins.name} at its index`);
    assert.ok(IMM_WORDS[ins.imm] !== undefined, `${ins.name}: layout ${ins.imm}`);
    assert.ok((ins.operands === undefined) === (ins.results === undefined), `${ins.name}: operands and results together`);
    if (ins.imm === Imm.memArg) assert.ok(ins.align !== undefined && ins.operands !== undefined, `${ins.name}: a memarg instruction has an alignment and a signature`);
    if (ins.lowering !== undefined) assert.ok(ins.operands !== undefined, `${ins.name}: a lowered instruction has a signature`);
  }
  for (const f of new Set(INSTRUCTIONS.map((i) => i.feature))) assert.ok(f.length > 0);
  const layouts = new Set(implemented.map((i) => i.imm));
  assert.equal([...layouts].sort((a, b) => a - b), Object.values(Imm).sort((a, b) => a - b), "every layout is used");
});

test("decoder: every implemented instruction decodes to its opcode word and the words of its immediates", () => {
  for (const ins of implemented) {
    const { bytes, words } = sampleImmediates(ins);
    const own = [...opcodeBytes(ins.code), ...bytes];
    // Structure: block/loop/if need their end; else needs an if; end closes a block of its own.
    let body = own;
    let at = 0; // instruction index of `ins` in the body
    if (ins.imm === Imm.blockType || ins.imm === Imm.tryTable) body = [...own, 0x0b];
    else if (ins.name === "else") [body, at] = [[0x04, 0x40, ...own, 0x0b], 1];
    else if (ins.name === "end") [body, at] = [[0x02, 0x40, ...own], 1];
    const m = decodeModule(moduleWith(body, { dataCount: true }));
    const code = m.codes[0]!.code;
    let pc = 0;
    for (let k = 0; k < at; k++) pc += 1 + immediateWords(code, pc);
    assert.is(code[pc], ins.code, `${ins.name}: opcode word`);
    assert.is(immediateWords(code, pc), words.length, `${ins.name}: immediateWords`);
    assert.equal(Array.from(code.subarray(pc + 1, pc + 1 + words.length)), words, `${ins.name}: immediate words`);
    // The tools' reader reads the same instruction with the same length.
    const c = new Cursor(new Uint8Array(own), 0);
    const read = readInstr(c);
    assert.is(read.op, ins.code, `${ins.name}: tools' reader opcode`);
    assert.is(read.end, own.length, `${ins.name}: tools' reader length`);
    if (ins.dataIndex === true) {
      const e = compileError(() => decodeModule(moduleWith(body)));
      assert.match(e.message, /data count/, `${ins.name} needs the data count section`);
    }
  }
});

test("decoder: every opcode byte and 0xFC sub-opcode outside the table is refused with the table's feature, or malformed", () => {
  let unsupported = 0, malformed = 0;
  const check = (bytes: number[], ins: Instruction | undefined, prefixFeature: string | undefined, what: string): void => {
    const e = compileError(() => decodeModule(moduleWith([...bytes, 0, 0, 0, 0, 0, 0, 0, 0])));
    const feature = prefixFeature ?? ins?.feature;
    if (feature !== undefined) {
      assert.is(e.code, "unsupported", `${what}: ${e.message}`);
      assert.ok(e.message.includes(`unsupported feature ${feature}:`), `${what}: ${e.message}`);
      unsupported++;
    } else {
      assert.is(e.code, "malformed", `${what}: ${e.message}`);
      assert.match(e.message, /illegal opcode/, what);
      malformed++;
    }
  };
  for (let b = 0; b < 256; b++) {
    const ins = BY_INDEX[b];
    if (isSupported(ins) || b === 0xfc || b === 0xfd) continue;
    check([b], ins, UNSUPPORTED_PREFIXES.get(b), hex(b));
  }
  for (let sub = 0; sub < 300; sub++) {
    const ins = sub < 0x100 ? BY_INDEX[operatorIndex(0xfc00 | sub)] : undefined;
    if (isSupported(ins)) continue;
    check([0xfc, ...uleb(sub)], ins, undefined, `0xfc ${sub}`);
  }
  for (let sub = 0; sub < SIMD_SUBS + 40; sub++) {
    const ins = sub < SIMD_SUBS ? BY_INDEX[operatorIndex(SIMD_WORD | sub)] : undefined;
    if (isSupported(ins)) continue;
    check([0xfd, ...uleb(sub)], ins, undefined, `0xfd ${sub}`);
  }
  const refused = INSTRUCTIONS.filter((i) => !SUPPORTED_FEATURES.has(i.feature)).length + UNSUPPORTED_PREFIXES.size;
  assert.is(unsupported, refused, "each refused opcode and prefix of the table is reported unsupported");
  assert.ok(malformed > 50, `${malformed} malformed`);
});

/** Another type than `t` (for the mismatch checks). */
const other = (t: number): number => (t === 0x7f ? 0x7e : 0x7f);

/** A body applying `ins` to its parameters. */
function applyBody(ins: Instruction, n: number): number[] {
  const body: number[] = [];
  for (let i = 0; i < n; i++) body.push(0x20, i);
  const imm = ins.imm === Imm.memArg ? [ins.align!, 0] : ins.imm === Imm.memArgLane ? [ins.align!, 0, 0] : ins.imm === Imm.indexZeroByte ? [0, 0] : sampleImmediates(ins).bytes;
  return [...body, ...opcodeBytes(ins.code), ...imm];
}

/** Exact and fast verdicts on function 0 of `bytes`: [exact error message or "ok", fast check]. */
function verdicts(bytes: Uint8Array): [string, boolean] {
  const m = decodeModule(bytes);
  let exact = "ok";
  try {
    validateModule(m, { fast: false });
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    exact = e.message;
  }
  const b = m.codes[0]!;
  const fast = new FastBodyChecker(buildContext(m)).check(b.bytes, b.start, b.end, m.types[m.funcs[0]!]!, b.localsAt, b.localCount);
  return [exact, fast];
}

/** Whether the fast check vouches for a valid use of `ins` (every simple instruction but those naming a data segment). */
function fastHandles(ins: Instruction): boolean {
  return ins.dataIndex !== true;
}

test("validators: every simple instruction validates at its signature (both paths) and is rejected off it", () => {
  let fastAccepted = 0;
  for (const ins of simple) {
    const ops = ins.operands!, res = ins.results!;
    const body = applyBody(ins, ops.length);
    const [exact, fast] = verdicts(moduleWith(body, { params: ops, results: res, dataCount: true }));
    assert.is(exact, "ok", `${ins.name}: exact validator`);
    // The fast check handles every simple instruction except those naming a data segment.
    assert.is(fast, fastHandles(ins), `${ins.name}: fast check`);
    if (fast) fastAccepted++;
    if (ops.length > 0) {
      const wrong = [other(ops[0]!), ...ops.slice(1)];
      const [e, f] = verdicts(moduleWith(body, { params: wrong, results: res, dataCount: true }));
      assert.match(e, /type mismatch/, `${ins.name} with a wrong first operand`);
      assert.is(f, false, `${ins.name} with a wrong first operand: fast check`);
    }
    if (ins.imm === Imm.memArg || ins.imm === Imm.memArgLane) {
      const over = applyBody(ins, ops.length);
      over[over.length - (ins.imm === Imm.memArg ? 2 : 3)] = ins.align! + 1;
      const [e, f] = verdicts(moduleWith(over, { params: ops, results: res }));
      assert.match(e, /alignment must not be larger than natural/, `${ins.name} with alignment 2^${ins.align! + 1}`);
      assert.is(f, false, `${ins.name} over-aligned: fast check`);
    }
    const wrongResults = res.length === 0 ? [0x7f] : [other(res[0]!)];
    const [e, f] = verdicts(moduleWith(body, { params: ops, results: wrongResults, dataCount: true }));
    assert.match(e, /type mismatch/, `${ins.name} with another result`);
    assert.is(f, false, `${ins.name} with another result: fast check`);
  }
  assert.is(fastAccepted, simple.filter(fastHandles).length);
  assert.ok(simple.length >= 169, `${simple.length} simple instructions`);
});

test("costs: the operator names are the table's implemented instructions; only its free ones cost 0", () => {
  assert.equal([...OPERATOR_INDEX.keys()].sort(), implemented.map((i) => i.name).sort());
  const model = resolveCosts("wasmtime");
  for (const ins of implemented) {
    assert.is(OPERATOR_INDEX.get(ins.name), operatorIndex(ins.code), ins.name);
    assert.is(model.flat[operatorIndex(ins.code)], ins.free === true ? 0 : 1, `${ins.name} cost`);
    if (ins.perUnit !== undefined) assert.ok(Object.hasOwn(model.perUnit, ins.perUnit), `${ins.name}: per-unit cost ${ins.perUnit}`);
  }
  // A custom table can name every instruction.
  const custom = resolveCosts({ ops: Object.fromEntries(implemented.map((i) => [i.name, 7])) });
  for (const ins of implemented) assert.is(custom.flat[operatorIndex(ins.code)], 7, ins.name);
});

const translatorSrc = readFileSync(fileURLToPath(new URL("../../interpreter/translate/translator.ts", import.meta.url)), "utf8");
const translatorCases = new Set([...translatorSrc.matchAll(/case (0x[0-9a-f]+):/g)].map((m) => Number(m[1])));

test("translator: lowered instructions map to their internal ops; every other one has a case of its own", () => {
  const op = (name: string): number => (name === "RETYPE" ? -1 : (Op as Record<string, number>)[name]!);
  for (const ins of implemented) {
    const l = ins.lowering;
    if (ins.code >= SIMD_WORD) {
      // every SIMD instruction becomes the one internal op SIMD (translate/simd.ts)
      assert.is(simdLowering(ins.code - SIMD_WORD).name, ins.name);
      continue;
    }
    if (l === undefined) {
      assert.ok(translatorCases.has(ins.code), `${ins.name} (${hex(ins.code)}): no lowering, so the translator needs a case`);
      continue;
    }
    assert.not.ok(translatorCases.has(ins.code), `${ins.name}: lowered, yet a case of its own`);
    if (ins.imm === Imm.memArg) {
      if (ins.results!.length === 1) assert.equal(LOADS.get(ins.code), [op(l.reg), ins.results![0]], ins.name);
      else assert.is(STORES.get(ins.code), op(l.reg), ins.name);
    } else if (ins.operands!.length === 2) {
      const b = BINARY.get(ins.code)!;
      assert.ok(b !== undefined, ins.name);
      assert.is(b.reg, op(l.reg), ins.name);
      assert.is(b.imm, l.imm === undefined ? -1 : op(l.imm), ins.name);
      assert.is(b.commutative, l.commutative === true, ins.name);
      assert.is(b.mirror, l.mirror === undefined ? -1 : BY_NAME.get(l.mirror)!.code, ins.name);
    } else assert.equal(UNARY.get(ins.code), [op(l.reg), ins.results![0]], ins.name);
  }
  assert.is(BINARY.size + UNARY.size + LOADS.size + STORES.size, implemented.filter((i) => i.lowering !== undefined).length);
});

/** Sample arguments by parameter position and type. */
function sampleArgs(ops: readonly number[]): unknown[] {
  const i32 = [8, 3, 1], i64 = [8n, 3n, 1n], f32 = [-2.5, 1.25, 0], f64 = [-2.5, 1.25, 0];
  return ops.map((t, k) => (t === 0x7f ? i32[k] : t === 0x7e ? i64[k] : t === 0x7d ? f32[k] : f64[k]));
}

test("translator + executor: each simple instruction computes what Node's WebAssembly computes on sample operands", () => {
  const outcome = (f: () => unknown): string => {
    try {
      const v = f();
      return typeof v === "number" && Number.isNaN(v) ? "NaN" : `${typeof v}:${String(v)}`;
    } catch (e) {
      if (e instanceof RuntimeError || e instanceof WebAssembly.RuntimeError) return "trap";
      throw e;
    }
  };
  let n = 0;
  // (SIMD instructions have v128 operands or results, which the JS API cannot pass: the spec
  // suite's simd_* scripts and the SIMD differential fuzzer check them)
  const scalar = simple.filter((i) => i.code < SIMD_WORD);
  for (const ins of scalar) {
    const ops = ins.operands!, res = ins.results!;
    const bytes = moduleWith(applyBody(ins, ops.length), { params: ops, results: res, dataCount: true, exported: true });
    const args = sampleArgs(ops);
    const ours = new Instance(new Module(bytes), {}, { store: new Store() }).exports.f as (...a: unknown[]) => unknown;
    const node = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports.f as (...a: unknown[]) => unknown;
    assert.is(outcome(() => ours(...args)), outcome(() => node(...args)), `${ins.name}(${args.join(", ")})`);
    n++;
  }
  assert.is(n, scalar.length);
});

test.run();
