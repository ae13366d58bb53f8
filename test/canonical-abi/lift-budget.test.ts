/**
 * The lift budget (`canonical-abi/abi/lift-budget.ts`): the cost model as a table (type, flat
 * values over a test heap, cost), the refusal happening before the copy that would pass the
 * limit (with at most `limit` bytes charged), the spec's own traps winning over the budget, and
 * `canon_lift` with a budget (poisons, skips post-return, unlimited by default).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { T, type ValType, type FuncType } from "../../canonical-abi/types.js";
import { CoreValueIter, lift_flat } from "../../canonical-abi/abi/lift.js";
import { LiftBudget, list_lift_cost } from "../../canonical-abi/abi/lift-budget.js";
import { LiftLowerContext, ComponentInstanceState, type CoreValue } from "../../canonical-abi/abi/context.js";
import { canon_lift } from "../../canonical-abi/abi/canon-lift.js";
import { CanonicalAbiTrap, LiftBudgetExceededError } from "../../canonical-abi/errors.js";
import { InvalidArgumentError } from "../../canonical-abi/errors.js";

/** A 64 KiB memory whose bytes 0x100.. hold `count` (ptr,len) string pairs all pointing at one text. */
function memoryWithSharedString(count: number, text: string): Uint8Array {
  const mem = new Uint8Array(65536);
  const enc = new TextEncoder().encode(text);
  const at = 0x8000;
  mem.set(enc, at);
  const dv = new DataView(mem.buffer);
  for (let i = 0; i < count; i++) {
    dv.setUint32(0x100 + 8 * i, at, true);
    dv.setUint32(0x100 + 8 * i + 4, enc.length, true);
  }
  return mem;
}

function cxOver(mem: Uint8Array, budget: LiftBudget): LiftLowerContext {
  return new LiftLowerContext({ memory: { buffer: mem.buffer }, string_encoding: "utf8", realloc: null, post_return: null }, new ComponentInstanceState(), budget);
}

function liftCost(t: ValType, flat: readonly CoreValue[], mem: Uint8Array): number {
  const b = LiftBudget.unlimited();
  lift_flat(cxOver(mem, b), new CoreValueIter(flat), t);
  return b.used;
}

const rec = T.record([["a", T.u32], ["s", T.string]]);
const shared = memoryWithSharedString(10, "héllo"); // 6 bytes each
{
  const dv = new DataView(shared.buffer);
  // records {a, s} at 0x400: 10 of them (8-byte s after the 4-byte a: elem size 12)
  for (let i = 0; i < 10; i++) {
    dv.setUint32(0x400 + 12 * i, i, true);
    dv.setUint32(0x400 + 12 * i + 4, 0x8000, true);
    dv.setUint32(0x400 + 12 * i + 8, 6, true);
  }
}

const table: [string, ValType, CoreValue[], number][] = [
  ["string of 6 bytes", T.string, [0x8000, 6], 6],
  ["empty string", T.string, [0x8000, 0], 0],
  ["list<u8> of 1000", T.list(T.u8), [0, 1000], 1000],
  ["list<u32> of 10", T.list(T.u32), [0, 10], 40],
  ["list<string> of 10 (storage 8 each + 6 each)", T.list(T.string), [0x100, 10], 10 * 8 + 10 * 6],
  ["list<record{u32,string}> of 10", T.list(rec), [0x400, 10], 10 * 12 + 10 * 6],
  ["list<list<u8>> (pairs read as lists)", T.list(T.list(T.u8)), [0x100, 3], 3 * 8 + 3 * 6],
  ["u32 costs nothing", T.u32, [7], 0],
  ["option<string> some", T.option(T.string), [1, 0x8000, 6], 6],
];

for (const [name, t, flat, cost] of table) {
  test(`cost: ${name} = ${cost}`, () => {
    assert.is(liftCost(t, flat, shared), cost);
    // exactly the cost fits; one byte less is refused
    const ok = new LiftBudget(cost);
    lift_flat(cxOver(shared, ok), new CoreValueIter(flat), t);
    assert.is(ok.used, cost);
    if (cost > 0) {
      const tight = new LiftBudget(cost - 1);
      assert.throws(() => lift_flat(cxOver(shared, tight), new CoreValueIter(flat), t), (e: unknown) => e instanceof LiftBudgetExceededError && e.limit === cost - 1);
      assert.ok(tight.used <= cost - 1);
    }
  });
}

test("list_lift_cost: at least one byte per element, even for zero-size elements", () => {
  assert.is(list_lift_cost(10, 0), 10);
  assert.is(list_lift_cost(10, 12), 120);
  assert.is(list_lift_cost(0, 12), 0);
});

test("many elements pointing at one string: refused after copying at most the limit", () => {
  const mem = memoryWithSharedString(1000, "x".repeat(1000)); // 1000 pairs -> one 1000-byte text
  let decoded = 0;
  const b = new LiftBudget(10_000);
  const err = (() => {
    try {
      lift_flat(cxOver(mem, b), new CoreValueIter([0x100, 1000]), T.list(T.string));
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  assert.instance(err, LiftBudgetExceededError);
  const e = err as LiftBudgetExceededError;
  // 8000 for the list storage, then two 1000-byte strings fit exactly, the third does not
  assert.is(e.used, 10_000);
  assert.is(e.requested, 1000);
  assert.is(e.item, "string");
  assert.ok(b.used <= b.limit);
  decoded = (b.used - 8000) / 1000;
  assert.is(decoded, 2);
  assert.match(e.message, /lift budget of 10000 bytes exceeded/);
  assert.is(e.code, "lift-budget-exceeded");
});

test("the list is charged before any element is read", () => {
  const b = new LiftBudget(15);
  assert.throws(() => lift_flat(cxOver(shared, b), new CoreValueIter([0, 4]), T.list(T.u32)), (e: unknown) => e instanceof LiftBudgetExceededError && e.used === 0 && e.requested === 16 && e.item === "list");
  assert.is(b.used, 0);
});

test("the spec's traps come before the budget (T4, T7, T8)", () => {
  const zero = () => new LiftBudget(0);
  assert.throws(() => lift_flat(cxOver(shared, zero()), new CoreValueIter([65530, 100]), T.string), (e: unknown) => e instanceof CanonicalAbiTrap && e.rule === "T4");
  assert.throws(() => lift_flat(cxOver(shared, zero()), new CoreValueIter([2, 1]), T.list(T.u32)), (e: unknown) => e instanceof CanonicalAbiTrap && e.rule === "T7");
  assert.throws(() => lift_flat(cxOver(shared, zero()), new CoreValueIter([0, 2 ** 20]), T.list(T.u8)), (e: unknown) => e instanceof CanonicalAbiTrap && e.rule === "T8");
});

test("LiftBudget refuses a bad limit", () => {
  assert.throws(() => new LiftBudget(-1), (e: unknown) => e instanceof InvalidArgumentError);
  assert.throws(() => new LiftBudget(1.5), (e: unknown) => e instanceof InvalidArgumentError);
  assert.throws(() => new LiftBudget(Number.NaN), (e: unknown) => e instanceof InvalidArgumentError);
  assert.is(LiftBudget.unlimited().limit, Infinity);
});

test("canon_lift with a budget: refused, poisons, post-return not called; unlimited by default", () => {
  const mem = memoryWithSharedString(1, "abcdef");
  const ft: FuncType = { kind: "func", params: [], result: T.string };
  let postReturns = 0;
  const opts = { memory: { buffer: mem.buffer }, string_encoding: "utf8" as const, realloc: null, post_return: () => { postReturns++; } };
  const callee = (): CoreValue[] => [0x100]; // the return area holds the (ptr, len) pair
  assert.is(canon_lift(opts, new ComponentInstanceState(), ft, callee, []), "abcdef");
  assert.is(canon_lift(opts, new ComponentInstanceState(), ft, callee, [], new LiftBudget(6)), "abcdef");
  assert.is(postReturns, 2);
  const inst = new ComponentInstanceState();
  assert.throws(() => canon_lift(opts, inst, ft, callee, [], new LiftBudget(5)), (e: unknown) => e instanceof LiftBudgetExceededError);
  assert.is(postReturns, 2);
  assert.ok(inst.poisoned instanceof LiftBudgetExceededError);
  assert.throws(() => canon_lift(opts, inst, ft, callee, []), (e: unknown) => e instanceof CanonicalAbiTrap && e.rule === "T15");
});

test.run();
