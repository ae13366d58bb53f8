// i64 rotates by a constant (translate/opcodes.ts I64_ROTL_IMM, I64_ROTR_IMM, I64_ROT32: loop
// cases for counts 1..31 either way and 32; 0 mod 64 keeps the register form of rare.ts): every count from
// -1 to 129 both ways, on values that make each bit visible, against Node's engine; and the
// translation of each count is the form it should be.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, Store } from "../../interpreter/index.js";
import { decodeModule } from "../../interpreter/decode/index.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { OP_NAMES, opLength } from "../../interpreter/translate/opcodes.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";

type Fn = (...a: unknown[]) => unknown;

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string): { toBinary(o: object): { buffer: Uint8Array } } }>)();

const COUNTS: number[] = [];
for (let k = -1; k <= 129; k++) COUNTS.push(k);
COUNTS.push(-63, -32, 0x7fffffff, -0x80000000);

const funcs: string[] = [];
for (const [i, k] of COUNTS.entries()) {
  for (const op of ["rotl", "rotr"]) funcs.push(`(func (export "${op}${i}") (param i64) (result i64) (i64.${op} (local.get 0) (i64.const ${k})))`);
}
// the counts also as a value (the register form), for the same values
funcs.push(`(func (export "rotlv") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1)))`);
funcs.push(`(func (export "rotrv") (param i64 i64) (result i64) (i64.rotr (local.get 0) (local.get 1)))`);
const bytes = wabt.parseWat("r.wat", `(module ${funcs.join("\n")})`).toBinary({}).buffer;

const VALUES = [0n, 1n, -1n, 0x8000000000000000n, 0x0123456789abcdefn, -0x0123456789abcdefn, 0x00000000ffffffffn, -0x100000000n, 0x5555555555555555n, 0x7fffffff80000001n];

test("i64.rotl and i64.rotr by every constant count agree with Node's engine", () => {
  const ours = new Instance(new Module(bytes), {}, { store: new Store({ fuel: 1e9 }) }).exports as Record<string, Fn>;
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports as Record<string, Fn>;
  let checked = 0;
  for (const [i, k] of COUNTS.entries()) {
    for (const op of ["rotl", "rotr"]) {
      for (const v of VALUES) {
        const want = node[`${op}${i}`]!(v);
        assert.is(ours[`${op}${i}`]!(v), want, `i64.${op} ${v} by ${k}`);
        assert.is(ours[`${op}v`]!(v, BigInt(k)), want, `i64.${op} ${v} by a value ${k}`);
        checked++;
      }
    }
  }
  assert.is(checked, COUNTS.length * 2 * VALUES.length);
});

test("a constant count of 1..63 (mod 64) becomes a loop case of its own; 0 the register form", () => {
  const m = decodeModule(bytes);
  const cm = translateModule(m, resolveCosts("instructions"));
  const exportOf = new Map(m.exports.map((e) => [e.index, e.name]));
  for (let f = 0; f < m.codes.length; f++) {
    const name = exportOf.get(f)!;
    const match = /^(rotl|rotr)(\d+)$/.exec(name);
    if (match === null) continue;
    const k = COUNTS[Number(match[2])]!;
    const left = (match[1] === "rotl" ? k : 64 - k) & 63; // as a rotate left
    const fn = cm.funcs[f]!;
    const ops: string[] = [];
    for (let pc = fn.entry; pc < fn.end; pc += opLength(cm.code, pc)) ops.push(OP_NAMES[cm.code[pc]!]!);
    const want = left === 0 ? (match[1] === "rotl" ? "I64_ROTL" : "I64_ROTR") : left < 32 ? "I64_ROTL_IMM" : left === 32 ? "I64_ROT32" : "I64_ROTR_IMM";
    assert.ok(ops.includes(want), `${name} (by ${k}): ${ops.join(" ")}, wanted ${want}`);
  }
});

test.run();
