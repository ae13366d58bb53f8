// Fuel (issue 3, fuel.md §6): the wasmtime test totals of §6.5, the exact trap rule, fuel after
// other traps, the order of bulk-op charges, and fuel across the block-charging machinery
// (traps and out-of-fuel in the middle of basic blocks).
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store } from "../../interpreter/index.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
function wat(src: string): Module {
  return new Module(wabt.parseWat("t.wat", src, { bulk_memory: true, reference_types: true, multi_value: true }).toBinary({}).buffer);
}

type Fn = (...a: unknown[]) => unknown;
/** Runs export `name` of `src` with `budget` fuel; returns outcome and fuel figures. */
function run(src: string, name = "test", budget = 1_000_000, costs?: "wasmtime" | "instructions") {
  const m = wat(src);
  const store = new Store({ fuel: 1_000_000_000, costs });
  const inst = new Instance(m, {}, { store });
  store.setFuel(budget);
  const before = store.fuelConsumed;
  let error: unknown;
  let result: unknown;
  try {
    result = (inst.exports[name] as Fn)();
  } catch (e) {
    error = e;
  }
  return { result, error, left: store.getFuel(), used: store.fuelConsumed - before };
}

const totals: [string, string, number][] = [
  ["empty function", `(func (export "test"))`, 1],
  ["i32.const 0 drop", `(func (export "test") i32.const 0 drop)`, 2],
  ["block end", `(func (export "test") block end)`, 1],
  ["six consts + nop + drops", `(func (export "test") i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5 i32.const 6 drop drop drop drop drop drop nop)`, 7],
  ["return + dead code", `(func (export "test") return i32.const 1 drop)`, 1],
  ["if not taken around a call", `(func $empty) (func (export "test") i32.const 0 if call $empty end)`, 3],
  ["if taken with const+drop", `(func (export "test") i32.const 1 if i32.const 0 drop end)`, 4],
  ["br_if taken", `(func (export "test") block i32.const 1 br_if 0 i32.const 0 drop end)`, 3],
  ["br_if not taken", `(func (export "test") block i32.const 0 br_if 0 i32.const 0 drop end)`, 4],
  ["call $empty", `(func $empty) (func (export "test") call $empty)`, 3],
  ["i32.const 0 call_indirect", `(type $t (func)) (table 1 funcref) (elem (i32.const 0) $empty) (func $empty) (func (export "test") i32.const 0 call_indirect (type $t))`, 4],
  ["10-iteration countdown loop", `(func (export "test") (local i32) i32.const 10 local.set 0 loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end)`, 53],
  ["memory.copy 100", `(memory 1) (func (export "test") i32.const 0 i32.const 100 i32.const 100 memory.copy)`, 105],
  ["memory.fill 100", `(memory 1) (func (export "test") i32.const 0 i32.const 7 i32.const 100 memory.fill)`, 105],
  ["table.copy 100", `(table 200 funcref) (func (export "test") i32.const 0 i32.const 100 i32.const 100 table.copy)`, 105],
  ["table.fill 100", `(table 200 funcref) (func (export "test") i32.const 0 ref.null func i32.const 100 table.fill)`, 105],
  ["memory.init 20", `(memory 1) (data "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") (func (export "test") i32.const 0 i32.const 0 i32.const 20 memory.init 0)`, 25],
  ["table.init 20", `(table 30 funcref) (elem func $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f $f) (func $f) (func (export "test") i32.const 0 i32.const 0 i32.const 20 table.init 0)`, 25],
  ["table.grow 100 + drop", `(table 0 funcref) (func (export "test") ref.null func i32.const 100 table.grow drop)`, 104],
  ["add2", `(func (export "test") (param i32) (result i32) local.get 0 i32.const 2 i32.add)`, 4],
];

for (const [name, body, total] of totals) {
  const src = `(module ${body})`;
  test(`fuel total: ${name} = ${total}`, () => {
    const ok = run(src);
    assert.is(ok.error, undefined);
    assert.is(ok.used, total);
    assert.is(ok.left, 1_000_000 - total);
  });
  test(`fuel trap rule: ${name}: budget ${total} succeeds, ${total - 1} traps out-of-fuel`, () => {
    const exact = run(src, "test", total);
    assert.is(exact.error, undefined);
    assert.is(exact.left, 0);
    if (total === 0) return;
    const short = run(src, "test", total - 1);
    assert.instance(short.error, RuntimeError);
    const e = short.error as RuntimeError;
    assert.is(e.trap, "out-of-fuel");
    assert.ok((e.required ?? 0) > short.left, `required ${e.required} must exceed what is left (${short.left})`);
    assert.is(short.used + short.left, total - 1);
  });
}

test("unreachable: traps with fuel 1 used (entry; unreachable costs 0)", () => {
  const r = run(`(module (func (export "test") unreachable))`);
  assert.is((r.error as RuntimeError).trap, "unreachable");
  assert.is(r.used, 1);
});

test("six consts + unreachable = 7", () => {
  const r = run(`(module (func (export "test") i32.const 1 i32.const 2 i32.const 3 i32.const 4 i32.const 5 i32.const 6 unreachable))`);
  assert.is((r.error as RuntimeError).trap, "unreachable");
  assert.is(r.used, 7);
});

test("fuel after a trap in the middle of a block is exact (ops after it are not charged)", () => {
  const src = `(module (func (export "test") (param i32) (result i32)
    i32.const 7 local.get 0 i32.div_s
    i32.const 1 i32.add i32.const 3 i32.mul))`;
  const m = wat(src);
  const store = new Store({ fuel: 1000 });
  const f = new Instance(m, {}, { store }).exports.test as Fn;
  assert.is(f(1), 24);
  assert.is(store.fuelConsumed, 8);
  try {
    f(0);
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).trap, "integer-divide-by-zero");
  }
  // entry 1 + const 1 + local.get 1 + div 1
  assert.is(store.fuelConsumed, 8 + 4);
  assert.is(store.getFuel(), 1000 - 12);
});

test("fuel after an out-of-bounds load in a loop body is exact", () => {
  const src = `(module (memory 1) (func (export "test") (param i32) (local i32)
    loop
      local.get 1 i32.const 1 i32.add local.set 1
      local.get 0 i32.load drop
      local.get 0 i32.const 16384 i32.add local.set 0
      local.get 1 i32.const 100 i32.lt_u br_if 0
    end))`;
  const m = wat(src);
  const store = new Store({ fuel: 100000 });
  const f = new Instance(m, {}, { store }).exports.test as Fn;
  try {
    f(0);
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).trap, "out-of-bounds-memory-access");
  }
  // iterations 1-4 complete (addresses 0, 16384, 32768, 49152); the 5th loads at 65536 and traps.
  // per complete iteration: 4 + 2 + 4 + 4 = 14 (drop is free); the trapping one: 4 + local.get + load = 6
  assert.is(store.fuelConsumed, 1 + 4 * 14 + 6);
});

test("bulk order: an out-of-bounds memory.fill pays no per-byte cost", () => {
  const r = run(`(module (memory 1) (func (export "test") i32.const 65500 i32.const 0 i32.const 100 memory.fill))`);
  assert.is((r.error as RuntimeError).trap, "out-of-bounds-memory-access");
  assert.is(r.used, 5);
});

test("bulk order: out-of-fuel on the per-byte cost leaves the flat costs charged and writes nothing", () => {
  const src = `(module (memory (export "mem") 1) (func (export "test") i32.const 0 i32.const 9 i32.const 100 memory.fill))`;
  const m = wat(src);
  const store = new Store({ fuel: 104 });
  const inst = new Instance(m, {}, { store });
  try {
    (inst.exports.test as Fn)();
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).trap, "out-of-fuel");
    assert.is((e as RuntimeError).required, 100);
  }
  assert.is(store.getFuel(), 99);
  const mem = new Uint8Array((inst.exports.mem as { buffer: ArrayBuffer }).buffer);
  assert.is(mem[0], 0);
});

test("costs 'instructions': bulk ops have no per-unit cost", () => {
  const r = run(`(module (memory 1) (func (export "test") i32.const 0 i32.const 7 i32.const 100 memory.fill))`, "test", 1000, "instructions");
  assert.is(r.used, 5);
});

test("custom cost table: operator costs and function entry", () => {
  const m = wat(`(module (func $g) (func (export "test") (result i32) call $g i32.const 2 i32.const 3 i32.mul))`);
  const store = new Store({ fuel: 1000, costs: { ops: { "i32.mul": 10, call: 5 }, functionEntry: 2 } });
  const f = new Instance(m, {}, { store }).exports.test as Fn;
  assert.is(f(), 6);
  // entry 2 + call 5 + callee entry 2 + consts 2 + mul 10
  assert.is(store.fuelConsumed, 21);
});

test("host import calls cost the call only; the host sees exact fuel and may set it", () => {
  let seen = -1;
  const m = wat(`(module (import "h" "f" (func $f)) (func (export "test") i32.const 1 drop call $f i32.const 2 drop))`);
  const store = new Store({ fuel: 100 });
  const inst = new Instance(m, { h: { f: () => { seen = store.getFuel(); store.setFuel(50); } } }, { store });
  (inst.exports.test as Fn)();
  // before the host runs: entry 1 + const 1 + call 1 = 3
  assert.is(seen, 97);
  assert.is(store.getFuel(), 49);
});

test("metering off: nothing runs out and fuelConsumed still counts", () => {
  const m = wat(`(module (func (export "test") (local i32) i32.const 10 local.set 0 loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end))`);
  const store = new Store();
  (new Instance(m, {}, { store }).exports.test as Fn)();
  assert.is(store.fuelConsumed, 53);
  assert.is(store.getFuel(), Infinity);
  assert.throws(() => store.setFuel(5));
});

test("every budget from 0 to total: success iff budget >= total; used + left = budget", () => {
  const src = `(module (memory 1) (global $g (mut i32) (i32.const 0))
    (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
    (func (export "test") (result i32) (local i32 i32)
      loop
        local.get 0 call $sq global.get $g i32.add global.set $g
        local.get 0 i32.const 4 i32.mul global.get $g i32.store
        i32.const 64 local.get 0 i32.const 8 memory.fill
        local.get 0 i32.const 1 i32.add local.tee 0 i32.const 6 i32.ne br_if 0
      end
      global.get $g))`;
  const full = run(src);
  assert.is(full.result, 0 + 1 + 4 + 9 + 16 + 25);
  const total = full.used;
  for (let b = 0; b <= total; b++) {
    const r = run(src, "test", b);
    if (b >= total) {
      assert.is(r.error, undefined, `budget ${b}`);
      assert.is(r.result, 55);
    } else {
      assert.is((r.error as RuntimeError | undefined)?.trap, "out-of-fuel", `budget ${b}`);
    }
    assert.is(r.used + r.left, b, `budget ${b}`);
  }
});

test.run();
