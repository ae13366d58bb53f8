// Memory ops in a memory longer than 1 GiB - 1 (runtime/memory.ts FAST_MEMORY_BYTES):
// the dispatch loop checks bounds against the memory's length clamped to that limit (an int32 for
// V8), and an access that ends past it is checked again against the real length, then done out of
// line. Every internal op with a bounds check in the loop (8-, 16-, 32- and 64-bit loads and
// stores, sign- and zero-extending i64 loads, v128 loads and stores; a slot address, a folded
// constant, two slots), at
// every address from just below the limit to just above it and at the very end of memory and one
// past it (a trap, memory untouched), against Node's WebAssembly: results, traps and the bytes
// around the address after every call. A coverage check makes sure the module really translates
// into each of those ops. Memory pages are allocated lazily by the OS: only the touched ones cost.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store } from "../../interpreter/index.js";
import { FAST_MEMORY_BYTES } from "../../interpreter/runtime/memory.js";
import { BYTE_AND_I64_LOADS, BYTE_AND_I64_STORES, V128_LOADS, V128_STORES, VIEW_LOADS, VIEW_STORES, argA, memoryOpFunctions, translatedOps } from "../helpers/memory-ops.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { simd: true }).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

/** The internal ops with a bounds check in the loop (each must appear in the module below). */
const OPS = ["LOAD32", "LOAD64", "I32_LOAD8_S", "I32_LOAD8_U", "I32_LOAD16_S", "I32_LOAD16_U",
  "I64_LOAD8_S", "I64_LOAD8_U", "I64_LOAD16_S", "I64_LOAD16_U", "I64_LOAD32_S", "I64_LOAD32_U",
  "STORE32", "STORE64", "STORE8", "STORE16",
  "I32_LOAD8_U_RR", "I32_LOAD8_S_RR", "LOAD32_RR", "LOAD64_RR", "I32_LOAD16_S_RR", "I32_LOAD16_U_RR",
  "STORE8_RR", "STORE16_RR", "STORE32_RR", "STORE64_RR", "V128_LOAD", "V128_LOAD64_ZERO", "V128_STORE"];

const { funcs, names } = memoryOpFunctions([...VIEW_LOADS, ...BYTE_AND_I64_LOADS, ...V128_LOADS], [...VIEW_STORES, ...BYTE_AND_I64_STORES, ...V128_STORES]);
const PAGE = 65536;
/** Just over 1 GiB (above the default page limit): the fast limit falls inside the memory. */
const PAGES = 16400;
const LENGTH = PAGES * PAGE;
const bytes = bin(`(module (memory (export "mem") ${PAGES}) ${funcs.join("\n  ")})`);

test("the module translates into every internal memory op with a bounds check", () => {
  const seen = translatedOps(bytes);
  for (const op of OPS) assert.ok(seen.has(op), `no function translates into ${op}`);
});

test("every such op across the fast limit, at the end of a memory over 1 GiB and one past, agrees with Node's engine", () => {
  assert.ok(LENGTH > FAST_MEMORY_BYTES + PAGE, "the memory must extend past the fast limit");
  const node = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports;
  const ours = new Instance(new Module(bytes), {}, { store: new Store({ limits: { maxMemoryPages: PAGES } }) }).exports;
  const w = new Uint8Array((node.mem as WebAssembly.Memory).buffer);
  const g = new Uint8Array((ours.mem as { buffer: ArrayBuffer }).buffer);
  assert.is(g.length, LENGTH);
  // the same bytes around both places in both memories
  for (const start of [FAST_MEMORY_BYTES - 64, LENGTH - 64]) {
    for (let i = 0; i < 128 && start + i < LENGTH; i++) w[start + i] = g[start + i] = (i * 37 + 11) & 0xff;
  }
  let calls = 0, traps = 0, past = 0;
  let value = 0x0123456789abcdefn;
  for (const { name, store } of names) {
    for (const base of [FAST_MEMORY_BYTES - 17, LENGTH - 17]) {
      for (let k = 0; k < 20; k++) {
        for (const b of name.endsWith("/slots") ? [0, 5] : [0]) {
          const ea = base + k;
          const a = argA(name, ea, b);
          if (ea > FAST_MEMORY_BYTES - 8) past++;
          value = (value * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
          const v = BigInt.asIntN(64, value);
          const args = [a, b, v];
          let want: { r?: unknown; trap?: boolean }, got: { r?: unknown; trap?: boolean };
          try { want = { r: (node[name] as Fn)(...args) }; } catch (e) { if (!(e instanceof WebAssembly.RuntimeError)) throw e; want = { trap: true }; }
          try { got = { r: (ours[name] as Fn)(...args) }; } catch (e) {
            if (!(e instanceof RuntimeError)) throw e;
            assert.is(e.code, "out-of-bounds-memory-access", `${name} at ${ea}: ${e.message}`);
            assert.match(e.message, String(LENGTH), "the message names the real length");
            got = { trap: true };
          }
          calls++;
          if (want.trap === true) traps++;
          const where = `${name} at ${ea} (a ${a}, b ${b}, value ${v})`;
          assert.is(got.trap, want.trap, `trap: ${where}`);
          assert.is(got.r, want.r, `result: ${where}`);
          if (store) for (let i = Math.max(0, ea - 16); i < Math.min(LENGTH, ea + 24); i++) if (w[i] !== g[i]) assert.unreachable(`memory differs at byte ${i} after ${where}`);
        }
      }
    }
  }
  assert.ok(calls > 900 && traps > 150 && past > 600, `calls ${calls}, traps ${traps}, past the fast limit ${past}`);
  console.log(`# ${calls} calls, ${past} past the fast limit, ${traps} traps`);
});

test.run();
