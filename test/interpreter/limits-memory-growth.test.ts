// Amortised memory growth (issue 7): a guest growing memory one page at a time must not copy the
// whole memory on every growth. Counted through MemoryInst.copies (how many times the bytes moved
// to a new buffer), not wall time. Memory.buffer keeps aliasing the memory with its exact size.
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Memory, Module } from "../../interpreter/index.js";
import { MemoryInst, PAGE_SIZE } from "../../interpreter/runtime/memory.js";
import { memoryFor } from "../../interpreter/js-api/memory.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
function wat(src: string): Module {
  return new Module(wabt.parseWat("t.wat", src, { bulk_memory: true }).toBinary({}).buffer);
}
type Fn = (...a: number[]) => number;

/** A guest over an imported memory: grow-loop, grow, load8/store8, load32/store32. */
const GUEST = wat(`(module
  (memory (import "m" "mem") 1)
  (func (export "growTo") (param $pages i32) (result i32) (local $n i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (memory.size) (local.get $pages)))
      (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then (return (i32.const -1))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $n))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store32") (param i32 i32) (i32.store (local.get 0) (local.get 1))))`);

function guest(min: number, max: number | undefined): { mi: MemoryInst; mem: Memory; f: Record<string, Fn> } {
  const mi = new MemoryInst(min, max, 16384);
  const mem = memoryFor(mi);
  const f = new Instance(GUEST, { m: { mem } }).exports as unknown as Record<string, Fn>;
  return { mi, mem, f };
}

test("a guest growing 1 page at a time to 4,096 pages copies O(log n) times", () => {
  const { mi, mem, f } = guest(1, 4096);
  f.store32!(100, 0x12345678);
  f.store8!(PAGE_SIZE - 1, 0xab);
  assert.is(f.growTo!(4096), 4095);
  assert.is(mi.pages, 4096);
  assert.ok(mi.copies <= 14, `${mi.copies} copies for 4,095 growths`);
  assert.ok(mi.capacity <= 4096 * PAGE_SIZE, `capacity ${mi.capacity} passes the declared maximum`);
  // contents survive, new pages are zero, the last byte is addressable, one past it traps
  assert.is(f.load32!(100), 0x12345678);
  assert.is(f.load8!(PAGE_SIZE - 1), 0xab);
  assert.is(f.load8!(4096 * PAGE_SIZE - 1), 0);
  assert.is(f.load32!(2000 * PAGE_SIZE), 0);
  assert.throws(() => f.load8!(4096 * PAGE_SIZE));
  assert.is(f.grow!(1), -1);
  // the public buffer has the exact size and aliases the memory both ways
  const b = mem.buffer;
  assert.is(b.byteLength, 4096 * PAGE_SIZE);
  assert.is(new DataView(b).getInt32(100, true), 0x12345678);
  new Uint8Array(b)[4096 * PAGE_SIZE - 2] = 77;
  assert.is(f.load8!(4096 * PAGE_SIZE - 2), 77);
  f.store8!(5, 9);
  assert.is(new Uint8Array(b)[5], 9);
  assert.is(mem.buffer, b, "same buffer until the next growth");
});

test("growth past a reserved capacity never reaches beyond the declared maximum (no max: the store limit)", () => {
  const { mi, f } = guest(1, undefined);
  assert.is(f.growTo!(300), 299);
  assert.ok(mi.copies <= 11, `${mi.copies} copies`);
  assert.ok(mi.capacity <= 16384 * PAGE_SIZE);
  assert.is(f.load8!(300 * PAGE_SIZE - 1), 0);
  assert.throws(() => f.load8!(300 * PAGE_SIZE));
});

test("grow in place within reserved capacity: new pages are zero, bounds are the size, not the capacity", () => {
  const { mi, mem, f } = guest(1, 64);
  f.grow!(1);
  f.grow!(1); // second unseen growth reserves geometrically
  assert.ok(mi.capacity > 3 * PAGE_SIZE, `capacity ${mi.capacity}`);
  const cap = mi.capacity;
  // fill the whole current memory, then grow in place and look at the new page
  new Uint8Array(mem.buffer).fill(0xff); // exposure trims to the exact size
  assert.is(mem.buffer.byteLength, 3 * PAGE_SIZE);
  assert.is(f.grow!(1), 3);
  assert.is(f.grow!(1), 4);
  assert.is(f.load8!(3 * PAGE_SIZE), 0);
  assert.is(f.load32!(5 * PAGE_SIZE - 4), 0);
  assert.throws(() => f.load8!(5 * PAGE_SIZE));
  assert.throws(() => f.store8!(5 * PAGE_SIZE, 1));
  assert.is(f.load8!(3 * PAGE_SIZE - 1), 0xff);
  assert.ok(cap > 0);
});

test("guest growth alternating with host reads of Memory.buffer: exact sizes, at most one copy per growth", () => {
  const { mi, mem, f } = guest(1, undefined);
  let prev = mem.buffer;
  for (let i = 2; i <= 40; i++) {
    f.grow!(1);
    f.store8!(i * PAGE_SIZE - 1, i);
    const b = mem.buffer;
    assert.is(b.byteLength, i * PAGE_SIZE);
    assert.is.not(b, prev);
    assert.is(new Uint8Array(b)[i * PAGE_SIZE - 1], i);
    if (i > 2) assert.is(new Uint8Array(b)[(i - 1) * PAGE_SIZE - 1], i - 1);
    prev = b;
  }
  assert.ok(mi.copies <= 39, `${mi.copies} copies for 39 growths`);
});

test("Memory.grow from JS, many small steps: O(log n) copies; buffer exact afterwards", () => {
  const mi = new MemoryInst(0, undefined, 16384);
  const mem = memoryFor(mi);
  for (let i = 0; i < 1000; i++) assert.is(mem.grow(1), i);
  assert.ok(mi.copies <= 12, `${mi.copies} copies`);
  assert.is(mem.buffer.byteLength, 1000 * PAGE_SIZE);
  assert.is(mem.grow(0), 1000);
  assert.throws(() => mem.grow(16384), (e: unknown) => e instanceof RangeError);
});

test.run();
