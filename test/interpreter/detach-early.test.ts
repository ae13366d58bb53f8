// runtime/memory.ts `expectDetaching`: exposing the buffer of a memory that has grown detaches a
// private buffer, once per realm, so that V8's "ArrayBufferDetaching" protector (every optimised
// function of the thread depends on it) falls before V8 has optimised the dispatch loop, not at the
// guest's next growth. Checked in fresh processes running the built library (dist/) with V8's
// --trace-protector-invalidation: a memory that grew and was read from JS, and never grows again,
// invalidates the protector (our private buffer); one that never grew does not; and the memory's
// own semantics are those of Node's engine either way.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Memory } from "../../interpreter/index.js";
import { detachingWasExpected } from "../../interpreter/runtime/memory.js";

const dist = fileURLToPath(new URL("../../dist/interpreter/index.js", import.meta.url));

/**
 * Runs a fresh `node --trace-protector-invalidation` on a script importing the built library as
 * `ours`; returns how many times V8 reported the protector invalidated, and the script's output.
 */
function traced(script: string): { invalidations: number; out: string } {
  const r = spawnSync(process.execPath, ["--trace-protector-invalidation", "--input-type=module", "-e", `const ours = await import(${JSON.stringify(dist)});\n${script}`], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const lines = (r.stdout + r.stderr).split("\n");
  const trace = (l: string): boolean => l.includes("Invalidating protector cell");
  return {
    invalidations: lines.filter((l) => trace(l) && l.includes("ArrayBufferDetaching")).length,
    out: r.stdout.split("\n").filter((l) => !trace(l)).join("\n"),
  };
}

test("a memory that grew, read from JS and never growing again: the protector falls (our private buffer), once", () => {
  if (!existsSync(dist)) throw new Error("dist/ is missing: run `npm run build` first (npm test does)");
  const r = traced(`
    const m = new ours.Memory({ initial: 1, maximum: 10 });
    m.grow(1);
    const b = m.buffer;
    new Uint8Array(b)[70000] = 7;
    for (let i = 0; i < 3; i++) void m.buffer;
    const m2 = new ours.Memory({ initial: 1 });
    m2.grow(2);
    void m2.buffer;
    console.log(b.byteLength, new Uint8Array(m.buffer)[70000]);`);
  assert.is(r.invalidations, 1);
  // the exposed buffer itself stays attached: only a growth detaches it
  assert.is(r.out.trim(), "131072 7");
});

test("a memory that never grew: reading its buffer detaches nothing", () => {
  const r = traced(`
    const m = new ours.Memory({ initial: 2, maximum: 10 });
    for (let i = 0; i < 3; i++) new Uint8Array(m.buffer)[i] = i;
    m.grow(0);
    console.log(new Uint8Array(m.buffer)[2]);`);
  // (a growth by 0 pages detaches the exposed buffer itself, as the JS API requires: one)
  assert.is(r.invalidations, 1);
  const r2 = traced(`
    const m = new ours.Memory({ initial: 2, maximum: 10 });
    for (let i = 0; i < 3; i++) new Uint8Array(m.buffer)[i] = i;
    console.log(new Uint8Array(m.buffer)[2]);`);
  assert.is(r2.invalidations, 0);
  assert.is(r2.out.trim(), "2");
});

test("in this realm: the flag turns at the first exposure after a growth, and the buffers behave as Node's engine's", () => {
  const results: unknown[][] = [];
  for (const M of [WebAssembly.Memory, Memory as unknown as typeof WebAssembly.Memory]) {
    const m = new M({ initial: 1, maximum: 4 });
    const before = m.buffer;
    const out: unknown[] = [before.byteLength];
    if (M !== WebAssembly.Memory) out.push(detachingWasExpected() === false || "already set by an earlier test file in this process");
    out.push(m.grow(1), before.byteLength);
    const after = m.buffer;
    new Uint8Array(after)[65536] = 9;
    if (M !== WebAssembly.Memory) out.push(detachingWasExpected());
    out.push(after.byteLength, new Uint8Array(m.buffer)[65536], m.buffer === after);
    results.push(out);
  }
  const [native, ours] = results as [unknown[], unknown[]];
  assert.equal(ours.filter((_, i) => i !== 1 && i !== 4), native);
  assert.is(ours[1], true);
  assert.is(ours[4], true);
});

test.run();
