// Loads and stores at addresses that are not a multiple of their size (execute/out-of-line-access.ts: the
// dispatch loop's aligned views take aligned indices only, and every other address goes to one
// shared site out of the loop). Every internal memory op that has an aligned view path (16, 32 and
// 64 bits; a slot address, a folded constant, two slots) at every misalignment, at the start, in
// the middle and at the very end of memory, and one byte past it (a trap, memory untouched), against
// Node's WebAssembly: results, traps and the whole memory after every call. A coverage check makes
// sure the module really translates into each of those ops, so the test cannot pass by not
// exercising one.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError } from "../../interpreter/index.js";
import { decodeModule } from "../../interpreter/decode/index.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { OP_NAMES, opLength } from "../../interpreter/translate/opcodes.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, {}).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

/** The internal ops with an aligned-view path in the loop (each must appear in the module below). */
const OPS = ["LOAD32", "LOAD64", "I32_LOAD16_S", "I32_LOAD16_U", "STORE32", "STORE64", "STORE16",
  "LOAD32_RR", "LOAD64_RR", "I32_LOAD16_S_RR", "I32_LOAD16_U_RR", "STORE32_RR", "STORE64_RR", "STORE16_RR"];

/** Loads (wasm op, result as i64 bits) and stores (wasm op, the value from an i64 param). */
const LOADS: [string, string][] = [
  ["i32.load", "i64.extend_i32_u"], ["i64.load", ""], ["f32.load", "i64.extend_i32_u (i32.reinterpret_f32"],
  ["f64.load", "i64.reinterpret_f64"], ["i32.load16_s", "i64.extend_i32_s"], ["i32.load16_u", "i64.extend_i32_u"],
];
const STORES: [string, string][] = [
  ["i32.store", "i32.wrap_i64"], ["i64.store", ""], ["f32.store", "f32.reinterpret_i32 (i32.wrap_i64"],
  ["f64.store", "f64.reinterpret_i64"], ["i32.store16", "i32.wrap_i64"],
];
/** Address forms: a slot (with a memarg offset), a folded constant plus offset, two slots. */
const FORMS: [string, string][] = [
  ["slot", "offset=1 (local.get $a)"],
  ["const", "offset=2 (i32.add (local.get $a) (i32.const 3))"],
  ["slots", "offset=1 (i32.add (local.get $a) (local.get $b))"],
];

function wrap(conv: string, inner: string): string {
  if (conv === "") return inner;
  const opens = conv.split("(").length - 1;
  return `(${conv} ${inner}${")".repeat(opens + 1)}`;
}

const funcs: string[] = [];
const names: { name: string; store: boolean }[] = [];
for (const [op, conv] of LOADS) {
  for (const [form, addr] of FORMS) {
    const name = `${op}/${form}`;
    names.push({ name, store: false });
    funcs.push(`(func (export "${name}") (param $a i32) (param $b i32) (param $v i64) (result i64) ${wrap(conv, `(${op} ${addr})`)})`);
  }
}
for (const [op, conv] of STORES) {
  for (const [form, addr] of FORMS) {
    const name = `${op}/${form}`;
    names.push({ name, store: true });
    funcs.push(`(func (export "${name}") (param $a i32) (param $b i32) (param $v i64) (result i64) (${op} ${addr} ${wrap(conv, "(local.get $v)")}) (i64.const 0))`);
  }
}
const PAGE = 65536;
let pattern = "";
for (let i = 0; i < 64; i++) pattern += `\\${((i * 37 + 11) & 0xff).toString(16).padStart(2, "0")}`;
const src = `(module (memory (export "mem") 1)
  (data (i32.const 0) "${pattern}") (data (i32.const ${PAGE - 64}) "${pattern}")
  ${funcs.join("\n  ")})`;
const bytes = bin(src);

test("the module translates into every internal memory op with an aligned-view path", () => {
  const cm = translateModule(decodeModule(bytes), resolveCosts("wasmtime"));
  const seen = new Set<string>();
  for (let pc = 0; pc < cm.code.length; pc += opLength(cm.code, pc)) seen.add(OP_NAMES[cm.code[pc]!]!);
  for (const op of OPS) assert.ok(seen.has(op), `no function translates into ${op}`);
});

test("every such op at every misalignment, near both ends of memory and one past, agrees with Node's engine", () => {
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports;
  const ours = new Instance(new Module(bytes), {}).exports;
  const nodeMem = node.mem as WebAssembly.Memory;
  const oursMem = ours.mem as { buffer: ArrayBuffer };
  let calls = 0, traps = 0, unaligned = 0;
  let value = 0x0123456789abcdefn;
  for (const { name, store } of names) {
    // the effective address before the memarg offset is a + (3 for the folded constant) + b
    const fold = name.endsWith("/const") ? 3 : 0;
    const off = name.endsWith("/const") ? 2 : 1;
    for (const base of [0, 8, 40, PAGE - 24, PAGE - 16, PAGE - 9]) {
      for (let mis = 0; mis < 8; mis++) {
        for (const b of name.endsWith("/slots") ? [0, 5, -3] : [0]) {
          const ea = base + mis;
          const a = (ea - fold - off - b) | 0;
          if ((ea & 3) !== 0) unaligned++;
          value = (value * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
          const v = BigInt.asIntN(64, value);
          const args = [a, b, v];
          let want: { r?: unknown; trap?: boolean }, got: { r?: unknown; trap?: boolean };
          try { want = { r: (node[name] as Fn)(...args) }; } catch (e) { if (!(e instanceof WebAssembly.RuntimeError)) throw e; want = { trap: true }; }
          try { got = { r: (ours[name] as Fn)(...args) }; } catch (e) { if (!(e instanceof RuntimeError)) throw e; got = { trap: true }; }
          calls++;
          if (want.trap === true) traps++;
          const where = `${name} at ${ea} (a ${a}, b ${b}, value ${v})`;
          assert.is(got.trap, want.trap, `trap: ${where}`);
          assert.is(got.r, want.r, `result: ${where}`);
          if (store) {
            const w = new Uint8Array(nodeMem.buffer), g = new Uint8Array(oursMem.buffer);
            for (let i = 0; i < w.length; i++) if (w[i] !== g[i]) assert.unreachable(`memory differs at byte ${i} after ${where}`);
          }
        }
      }
    }
  }
  assert.ok(calls > 1000 && traps > 50 && unaligned > 500, `calls ${calls}, traps ${traps}, unaligned ${unaligned}`);
  console.log(`# ${calls} calls, ${unaligned} at an unaligned address, ${traps} traps`);
});

test.run();
