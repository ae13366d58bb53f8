// Loads and stores at addresses that are not a multiple of their size (execute/out-of-line-access.ts: the
// dispatch loop's aligned views take aligned indices only, and every other address goes to one
// shared site out of the loop). Every internal memory op that has an aligned view path (16, 32 and
// 64 bits, and v128; a slot address, a folded constant, two slots) at every misalignment, at the start, in
// the middle and at the very end of memory, and one byte past it (a trap, memory untouched), against
// Node's WebAssembly: results, traps and the whole memory after every call. A coverage check makes
// sure the module really translates into each of those ops, so the test cannot pass by not
// exercising one.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError } from "../../interpreter/index.js";
import { V128_LOADS, V128_STORES, VIEW_LOADS, VIEW_STORES, argA, memoryOpFunctions, translatedOps } from "../helpers/memory-ops.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { simd: true }).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

/** The internal ops with an aligned-view path in the loop (each must appear in the module below). */
const OPS = ["LOAD32", "LOAD64", "I32_LOAD16_S", "I32_LOAD16_U", "STORE32", "STORE64", "STORE16",
  "LOAD32_RR", "LOAD64_RR", "I32_LOAD16_S_RR", "I32_LOAD16_U_RR", "STORE32_RR", "STORE64_RR", "STORE16_RR",
  "V128_LOAD", "V128_LOAD64_ZERO", "V128_STORE"];

const { funcs, names } = memoryOpFunctions([...VIEW_LOADS, ...V128_LOADS], [...VIEW_STORES, ...V128_STORES]);
const PAGE = 65536;
let pattern = "";
for (let i = 0; i < 64; i++) pattern += `\\${((i * 37 + 11) & 0xff).toString(16).padStart(2, "0")}`;
const src = `(module (memory (export "mem") 1)
  (data (i32.const 0) "${pattern}") (data (i32.const ${PAGE - 64}) "${pattern}")
  ${funcs.join("\n  ")})`;
const bytes = bin(src);

test("the module translates into every internal memory op with an aligned-view path", () => {
  const seen = translatedOps(bytes);
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
    for (const base of [0, 8, 40, PAGE - 24, PAGE - 16, PAGE - 9]) {
      for (let mis = 0; mis < 8; mis++) {
        for (const b of name.endsWith("/slots") ? [0, 5, -3] : [0]) {
          const ea = base + mis;
          const a = argA(name, ea, b);
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
