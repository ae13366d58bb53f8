// The fuel window (runtime/store.ts FUEL_WINDOW): running code holds at most 2^30 - 1 fuel at a
// time and the rest waits in the store's bank, so the dispatch loop's fuel register stays a small
// integer. These tests make runs that cost far more than the window (custom costs of up to 2^30 - 1
// per instruction, per-unit bulk costs) and check that the counts are those of one register: the
// totals equal closed-form figures worked out from a run with the default costs, a budget of
// exactly the total succeeds and one less stops out of fuel, whatever is left is reported exactly,
// metering off counts the same, a resumable call stopped inside the bank's range finishes with the
// same total, and a block that alone costs more than the window is charged whole. What running
// code holds stays a V8 small integer through refills and drains.
import { createRequire } from "node:module";
import { setFlagsFromString } from "node:v8";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store, callResumable } from "../../interpreter/index.js";
import type { CostsOption } from "../../interpreter/index.js";
import { FUEL_WINDOW } from "../../interpreter/runtime/costs.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
function wat(src: string): Module {
  return new Module(wabt.parseWat("t.wat", src, { bulk_memory: true }).toBinary({}).buffer);
}

type Fn = (...a: unknown[]) => unknown;
const MAX = Number.MAX_SAFE_INTEGER;

// V8's own view of a value: a small integer (Smi) or a boxed number. The store's `_fuel` becomes the
// dispatch loop's fuel register, which the optimised loop takes for a Smi (a boxed one deoptimised it).
setFlagsFromString("--allow-natives-syntax");
const isSmi = new Function("x", "return %IsSmi(x)") as (x: unknown) => boolean;

interface Case {
  name: string;
  src: string;
  arg: number;
  result: number | undefined;
  costs: CostsOption;
  /** The total with `costs`, from the total with the default costs. */
  total: (defaultTotal: number) => number;
}

const K = 2 ** 29;
const cases: Case[] = [
  {
    name: "a loop whose i32.mul costs 2^29 (10 iterations: 5 windows)",
    src: `(module (func (export "test") (param $n i32) (result i32) (local $acc i32)
      i32.const 1 local.set $acc
      loop
        local.get $acc i32.const 3 i32.mul local.set $acc
        local.get $n i32.const 1 i32.sub local.tee $n
        br_if 0
      end
      local.get $acc))`,
    arg: 10,
    result: 59049,
    costs: { ops: { "i32.mul": K } },
    total: (t) => t + 10 * (K - 1),
  },
  {
    name: "memory.fill of 64 KiB at 2^20 per byte (2^36 in one bulk charge)",
    src: `(module (memory 2) (func (export "test") (param $n i32) (result i32)
      i32.const 0 i32.const 7 local.get $n memory.fill
      i32.const 65535 i32.load8_u))`,
    arg: 65536,
    result: 7,
    costs: { perUnit: { memoryFill: 2 ** 20 } },
    total: (t) => t + 65536 * (2 ** 20 - 1),
  },
  {
    name: "one block of two instructions at 2^30 - 1 each (more than the window at once)",
    src: `(module (func (export "test") (param $x i32) (result i32)
      local.get $x i32.const 5 i32.add i32.const 2 i32.sub))`,
    arg: 40,
    result: 43,
    costs: { ops: { "i32.add": FUEL_WINDOW, "i32.sub": FUEL_WINDOW } },
    total: (t) => t + 2 * (FUEL_WINDOW - 1),
  },
  {
    name: "three local.get at 2^30 - 1 each, pending before one op (charged by NOPs of their own)",
    src: `(module (func (export "test") (param $x i32) (result i32)
      local.get $x local.get $x i32.add local.get $x i32.add))`,
    arg: 7,
    result: 21,
    costs: { ops: { "local.get": FUEL_WINDOW } },
    total: (t) => t + 3 * (FUEL_WINDOW - 1),
  },
  {
    name: "a counting loop fused into one add-compare-branch op, its instructions at 2^30 - 1 each",
    src: `(module (func (export "test") (param $n i32) (result i32) (local $i i32)
      loop
        local.get $i i32.const 1 i32.add local.tee $i
        local.get $n i32.lt_s br_if 0
      end
      local.get $i))`,
    arg: 5,
    result: 5,
    costs: { ops: { "local.get": FUEL_WINDOW, "i32.add": FUEL_WINDOW, "i32.lt_s": FUEL_WINDOW, br_if: FUEL_WINDOW } },
    // per iteration 2 local.get, i32.add, i32.lt_s, br_if; then the last local.get
    total: (t) => t + 26 * (FUEL_WINDOW - 1),
  },
];

/** Runs export `test` of `c` in a store with `costs` and `budget` (undefined: metering off). */
function run(c: Case, budget: number | undefined, costs: CostsOption | undefined) {
  const store = new Store(budget === undefined ? { costs } : { fuel: budget, costs });
  const inst = new Instance(wat(c.src), {}, { store });
  let result: unknown, error: unknown;
  try {
    result = (inst.exports.test as Fn)(c.arg);
  } catch (e) {
    error = e;
  }
  return { result, error, used: store.fuelConsumed, left: store.getFuel(), store };
}

const haveSameMap = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: unknown, b: unknown) => boolean;

test("every store has one hidden class, whatever its budget and however much it consumed; a fresh one reports +0 consumed", () => {
  // (the optimised loop calls store._sync on host calls: a store whose counters turned into double
  // fields later had another class, and that call deoptimised the loop: CoreMark did, every process)
  const stores = [new Store(), new Store({ fuel: 0 }), new Store({ fuel: 10 }), new Store({ fuel: MAX }), new Store({ fuel: 2 ** 40, costs: "instructions" })];
  for (const s of stores) assert.ok(Object.is(s.fuelConsumed, 0), "fuelConsumed is +0");
  for (const s of stores) assert.ok(haveSameMap(s, stores[0]), "same hidden class as a fresh store");
  // 10 x 2^29 charged: past 2^31, where a small integer ends
  const m = wat(`(module (func (export "test") (param $n i32) (result i32)
    loop local.get $n i32.const 1 i32.sub local.tee $n br_if 0 end local.get $n))`);
  const charged = new Store({ costs: { ops: { "i32.sub": 2 ** 29 } } });
  (new Instance(m, {}, { store: charged }).exports.test as Fn)(10);
  assert.ok(charged.fuelConsumed > 2 ** 31, `consumed ${charged.fuelConsumed}`);
  assert.ok(haveSameMap(charged, stores[0]), "a store past 2^31 consumed keeps the class");
});

test("a store holds at most FUEL_WINDOW (a small integer) in the register running code reads", () => {
  for (const n of [0, 1, FUEL_WINDOW - 1, FUEL_WINDOW, FUEL_WINDOW + 1, 2 ** 40, MAX]) {
    const s = new Store({ fuel: n });
    assert.ok(Number.isInteger(s._fuel) && s._fuel <= FUEL_WINDOW && s._fuel >= 0, `fuel ${n}: held ${s._fuel}`);
    assert.is(s.getFuel(), n);
    s.setFuel(n);
    assert.is(s.getFuel(), n);
  }
  assert.ok(new Store()._fuel <= FUEL_WINDOW, "metering off");
  assert.is(FUEL_WINDOW, 2 ** 30 - 1);
});

for (const c of cases) {
  test(`fuel window: ${c.name}`, () => {
    const base = run(c, 1_000_000, undefined);
    assert.is(base.error, undefined);
    assert.is(base.result, c.result);
    assert.ok(base.used < FUEL_WINDOW, "the default-cost run fits in one window");
    const total = c.total(base.used);
    assert.ok(total > FUEL_WINDOW, `the total ${total} is more than one window`);

    // a budget far above the total, the total itself, the total plus a little
    for (const budget of [MAX, 2 ** 40, total, total + 12345, total + FUEL_WINDOW + 1]) {
      const r = run(c, budget, c.costs);
      assert.is(r.error, undefined, `budget ${budget}: ${String(r.error)}`);
      assert.is(r.result, c.result);
      assert.is(r.used, total, `budget ${budget}: used`);
      assert.is(r.left, budget - total, `budget ${budget}: left`);
      assert.ok(isSmi(r.store._fuel), `budget ${budget}: the register left after refills is a small integer, got a boxed ${r.store._fuel}`);
    }

    // one less than the total: out of fuel, and the figures add up
    const short = run(c, total - 1, c.costs);
    assert.instance(short.error, RuntimeError);
    assert.is((short.error as RuntimeError & { code: string }).code, "out-of-fuel");
    assert.is(short.used + short.left, total - 1, "used + left = budget after out-of-fuel");
    assert.ok(short.left < total - short.used, "what is left does not cover the rest");
    assert.ok(isSmi(short.store._fuel), "after the bank was drained: a small integer");

    // metering off counts the same
    const off = run(c, undefined, c.costs);
    assert.is(off.error, undefined);
    assert.is(off.result, c.result);
    assert.is(off.used, total, "metering off: used");
    assert.is(off.left, Infinity);
    assert.ok(isSmi(off.store._fuel), "metering off: a small integer after refills");

    // resumable: stopped one short (with more than a window left), topped up, the same total
    const store = new Store({ fuel: total - 1, costs: c.costs });
    const inst = new Instance(wat(c.src), {}, { store });
    const call = callResumable(inst.exports.test as Fn as (...a: never[]) => unknown, [c.arg]);
    assert.is(call.state, "out-of-fuel");
    store.setFuel(2 ** 40);
    const usedAtStop = store.fuelConsumed;
    call.resume();
    assert.is(call.state, "finished");
    assert.is(call.results, c.result);
    assert.is(store.fuelConsumed, total, "resumed: used");
    assert.is(store.getFuel(), 2 ** 40 - (total - usedAtStop), "resumed: left");
  });
}

test.run();
