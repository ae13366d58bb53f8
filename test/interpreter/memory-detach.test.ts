// Issue 10 part 2: a successful growth (wasm `memory.grow`, even by 0 pages, or
// `Memory.prototype.grow`) detaches the ArrayBuffer that `Memory.buffer` handed out before, as
// the JS API's "refresh the Memory buffer" requires. wasm-bindgen's glue depends on it: it keeps
// one cached Uint8Array and refreshes it only when its byteLength is 0. Every check runs on Node's
// WebAssembly (the oracle) and on ours.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as ours from "../../interpreter/index.js";
import { MemoryInst, PAGE_SIZE } from "../../interpreter/runtime/memory.js";
import { memoryFor } from "../../interpreter/js-api/memory.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bytes = (src: string): Uint8Array => wabt.parseWat("t.wat", src, {}).toBinary({}).buffer;

interface Api {
  Module: new (b: Uint8Array) => object;
  Instance: new (m: object, i?: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number }) => { buffer: ArrayBuffer; grow(d: number): number };
}
const ENGINES: [string, Api][] = [
  ["node", WebAssembly as unknown as Api],
  ["ours", ours as unknown as Api],
];

/**
 * A bump allocator that grows memory when it runs out (as a Rust/C allocator does), a checksum
 * over a range, and a function that writes `n` bytes `i*7+1` at a fresh allocation.
 */
const ALLOC = bytes(`(module
  (memory (export "memory") 1 64)
  (global $top (mut i32) (i32.const 1024))
  (func $malloc (export "malloc") (param $n i32) (result i32) (local $p i32) (local $need i32)
    (local.set $p (global.get $top))
    (local.set $need (i32.add (local.get $p) (local.get $n)))
    (if (i32.gt_u (local.get $need) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.div_u (i32.sub (local.get $need) (i32.mul (memory.size) (i32.const 65536))) (i32.const 65536)) (i32.const 1))))))
    (global.set $top (local.get $need))
    (local.get $p))
  (func (export "sum") (param $p i32) (param $n i32) (result i32) (local $s i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $s (i32.add (i32.mul (local.get $s) (i32.const 31)) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "produce") (param $n i32) (result i32) (local $p i32) (local $i i32)
    (local.set $p (call $malloc (local.get $n)))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (local.get $p) (local.get $i)) (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $p))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);

/** wasm-bindgen's glue, reduced: one cached view, refreshed only when its byteLength is 0. */
function bindgenGlue(exports: Record<string, unknown>): { passBytes(b: Uint8Array): [number, number]; takeBytes(p: number, n: number): Uint8Array } {
  const memory = exports.memory as { buffer: ArrayBuffer };
  const malloc = exports.malloc as (n: number) => number;
  let cachedUint8ArrayMemory0: Uint8Array | null = null;
  function getUint8ArrayMemory0(): Uint8Array {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) cachedUint8ArrayMemory0 = new Uint8Array(memory.buffer);
    return cachedUint8ArrayMemory0;
  }
  return {
    passBytes(b) {
      const ptr = malloc(b.length) >>> 0;
      getUint8ArrayMemory0().set(b, ptr);
      return [ptr, b.length];
    },
    takeBytes(p, n) {
      return getUint8ArrayMemory0().slice(p, p + n);
    },
  };
}

function glueRun(api: Api): unknown[] {
  const inst = new api.Instance(new api.Module(ALLOC));
  const e = inst.exports;
  const glue = bindgenGlue(e);
  const sum = e.sum as (p: number, n: number) => number;
  const produce = e.produce as (n: number) => number;
  const out: unknown[] = [];
  // a small allocation (no growth), then allocations that make the allocator grow memory
  for (const n of [100, 70_000, 10, 200_000, 5, 131_072]) {
    const data = Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) & 255);
    const [p, len] = glue.passBytes(data);
    out.push(sum(p, len));
    const q = produce(n);
    out.push(Array.from(glue.takeBytes(q, Math.min(n, 64))), glue.takeBytes(q, n).reduce((a, b) => (a * 31 + b) | 0, 0));
  }
  return out;
}

test("wasm-bindgen-style cached view sees every growth made by the guest's allocator (same as Node)", () => {
  const node = glueRun(ENGINES[0]![1]);
  const mine = glueRun(ENGINES[1]![1]);
  assert.equal(mine, node);
});

for (const [name, api] of ENGINES) {
  test(`${name}: memory.grow in wasm detaches the previous buffer; a failed grow does not`, () => {
    const e = new api.Instance(new api.Module(ALLOC)).exports;
    const memory = e.memory as { buffer: ArrayBuffer };
    const grow = e.grow as (d: number) => number;
    const b0 = memory.buffer;
    assert.is(memory.buffer, b0, "same object until a growth");
    new Uint8Array(b0)[10] = 42;
    assert.is(grow(1), 1);
    assert.is(b0.byteLength, 0, "old buffer detached after grow(1)");
    const b1 = memory.buffer;
    assert.is.not(b1, b0);
    assert.is(b1.byteLength, 2 * PAGE_SIZE);
    assert.is(new Uint8Array(b1)[10], 42, "contents kept");
    assert.is(grow(0), 2);
    assert.is(b1.byteLength, 0, "grow(0) from wasm detaches too");
    const b2 = memory.buffer;
    assert.is(b2.byteLength, 2 * PAGE_SIZE);
    assert.is(new Uint8Array(b2)[10], 42);
    assert.is(grow(1000), -1);
    assert.is(b2.byteLength, 2 * PAGE_SIZE, "a failed grow does not detach");
    assert.is(memory.buffer, b2);
  });

  test(`${name}: Memory.prototype.grow detaches (also by 0); a RangeError does not`, () => {
    const m = new api.Memory({ initial: 1, maximum: 3 });
    const b0 = m.buffer;
    new Uint8Array(b0)[PAGE_SIZE - 1] = 9;
    assert.is(m.grow(0), 1);
    assert.is(b0.byteLength, 0);
    const b1 = m.buffer;
    assert.is(b1.byteLength, PAGE_SIZE);
    assert.is(new Uint8Array(b1)[PAGE_SIZE - 1], 9);
    assert.is(m.grow(2), 1);
    assert.is(b1.byteLength, 0);
    const b2 = m.buffer;
    assert.is(b2.byteLength, 3 * PAGE_SIZE);
    assert.is(new Uint8Array(b2)[PAGE_SIZE - 1], 9);
    let err: unknown;
    try {
      m.grow(1);
    } catch (x) {
      err = x;
    }
    assert.ok(err instanceof RangeError, `expected RangeError, got ${String(err)}`);
    assert.is(b2.byteLength, 3 * PAGE_SIZE);
    assert.is(m.buffer, b2);
  });

  test(`${name}: a growth with no buffer handed out since the last one leaves nothing stale`, () => {
    const e = new api.Instance(new api.Module(ALLOC)).exports;
    const memory = e.memory as { buffer: ArrayBuffer };
    const grow = e.grow as (d: number) => number;
    const produce = e.produce as (n: number) => number;
    const b0 = memory.buffer;
    grow(1);
    grow(1); // no exposure in between
    const p = produce(300_000); // grows again from wasm
    assert.is(b0.byteLength, 0);
    const b = memory.buffer;
    assert.is(b.byteLength, 5 * PAGE_SIZE);
    assert.is(new Uint8Array(b)[p + 299_999], (299_999 * 7 + 1) & 255);
  });
}

test("ours: detaching moves no bytes (copies as before) and the loop reads through the new views", () => {
  const mi = new MemoryInst(1, 100, 16384);
  const m = memoryFor(mi);
  const before = mi.copies;
  const b = m.buffer;
  m.grow(0);
  assert.is(mi.copies, before, "grow(0) moves the bytes without a copy");
  assert.is(b.byteLength, 0);
  assert.is(mi.u8.length, PAGE_SIZE, "the memory's own views cover the moved bytes");
  m.grow(1);
  assert.is(mi.copies, before + 1, "a growth past an exposed exact buffer copies once");
  assert.is(mi.u8.buffer, m.buffer);
});

test("ours: memoryBytes gives the current bytes without handing out the buffer (a growth then detaches nothing)", () => {
  const inst = new ours.Instance(new ours.Module(ALLOC), {});
  const memory = inst.exports.memory as ours.Memory;
  const malloc = inst.exports.malloc as (n: number) => number;
  const before = ours.memoryBytes(memory);
  assert.is(before.length, PAGE_SIZE);
  before[1000] = 42;
  const p = malloc(3 * PAGE_SIZE); // the allocator grows the memory
  const after = ours.memoryBytes(memory);
  assert.is(after.length, 4 * PAGE_SIZE, "a new view of the grown memory");
  assert.is(after[1000], 42, "the bytes written through the old view");
  assert.is(before.length, PAGE_SIZE, "the old view is not detached");
  after[p] = 7;
  assert.is(new Uint8Array(memory.buffer)[p], 7, "the same bytes as the buffer");
  // the buffer, once handed out, is detached by the next growth, as the JS API requires
  const b = memory.buffer;
  malloc(PAGE_SIZE);
  assert.is(b.byteLength, 0);
  assert.is(ours.memoryBytes(memory).length, 5 * PAGE_SIZE);
  for (const bad of [undefined, {}, new ArrayBuffer(8), new WebAssembly.Memory({ initial: 1 })]) {
    assert.throws(() => ours.memoryBytes(bad as never), (e: unknown) => e instanceof ours.InvalidArgumentTypeError && /Memory/.test((e as Error).message));
  }
});

test.run();
