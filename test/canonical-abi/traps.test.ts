/**
 * Every dynamic Canonical ABI check of the checklist (T1–T15, `../shared/notes/canonical-abi.md`
 * §1.7) that applies without resources and async, provoked end to end by hand-written hostile
 * guests running on our interpreter, each giving its typed error with the rule id; plus guest
 * traps in the callee, realloc and post-return (with the interpreter's trap code), poisoning,
 * reentrance, and host values that do not fit their type (typed error, no poisoning).
 * T13 (may_leave) needs `canon lower` and is exercised in `canon-lower.test.ts` (with a second
 * T14 case). Not applicable: T11 (resource handles), T16 (async).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CanonicalAbiTrap, Component, GuestTrap, InvalidHostValueError, instantiateComponent, type CanonicalAbiRule, type Value } from "../../canonical-abi/index.js";
import { Store } from "../../interpreter/index.js";
import { BatchBinding } from "../../src/batch/binding.js";
import type { WitPortBatch } from "../../src/batch/wit-types.js";
import { batchGuest, errReturnArea, okReturnArea, smallWorld, u32le, type BatchGuestOptions } from "./helpers/guests.js";
import { metadata } from "./helpers/wit-json.js";
import { buildComponent } from "./helpers/build.js";

const ONE: WitPortBatch[] = [{ portId: "in", packets: [{ metadata: metadata("1"), payload: { kind: "bytes", bytes: Uint8Array.of(1, 2, 3) } }] }];
const seen = new Set<string>();

async function binding(o: BatchGuestOptions): Promise<BatchBinding> {
  return BatchBinding.fromComponent(Component.fromBytes(await batchGuest(o)));
}

function expectTrap(f: () => unknown, rule: CanonicalAbiRule, re: RegExp): void {
  try {
    f();
  } catch (e) {
    assert.instance(e, CanonicalAbiTrap, `expected ${rule}, got ${String(e)}`);
    assert.is((e as CanonicalAbiTrap).rule, rule, String(e));
    assert.is((e as CanonicalAbiTrap).code, "canonical-abi-trap");
    assert.match((e as Error).message, re);
    seen.add(rule);
    return;
  }
  assert.unreachable(`expected trap ${rule}`);
}

test("T5: invalid UTF-8 in a returned string (bad byte, overlong, surrogate, truncated)", async () => {
  for (const bytes of [[0xff, 0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x61, 0xe2, 0x82], [0xf5, 0x80, 0x80, 0x80]]) {
    const b = await binding({ data: [...errReturnArea(64, bytes.length), [64, bytes]] });
    expectTrap(() => b.invoke([], new Store()), "T5", /invalid utf-8 in string at 0x40/);
  }
  // a BOM is content, not dropped; valid multi-byte text is fine
  const ok = await binding({ data: [...errReturnArea(64, 5), [64, [0xef, 0xbb, 0xbf, 0xc3, 0xa9]]] });
  assert.equal(ok.invoke([], new Store()), { ok: false, error: { kind: "guest-failure", message: "\ufeffé" } });
});

test("T4: string out of bounds, even when empty; T2: string longer than 2^28-1", async () => {
  let b = await binding({ data: errReturnArea(0x10001, 0) });
  expectTrap(() => b.invoke([], new Store()), "T4", /string content out of bounds: 0x10001 \+ 0 bytes > memory size 65536/);
  b = await binding({ data: errReturnArea(0xfff0, 0x20) });
  expectTrap(() => b.invoke([], new Store()), "T4", /out of bounds/);
  b = await binding({ data: errReturnArea(0x10000, 0) });
  assert.equal(b.invoke([], new Store()), { ok: false, error: { kind: "guest-failure", message: "" } }, "ptr == memory size with len 0 is in bounds");
  b = await binding({ data: errReturnArea(0, 2 ** 28) });
  expectTrap(() => b.invoke([], new Store()), "T2", /string byte length 268435456 exceeds 268435455/);
});

test("T3: misaligned UTF-16 string pointer; T1: invalid char", async () => {
  const c = Component.fromBytes(await smallWorld("func() -> string", "(result i32)", "(i32.const 16)", `(data (i32.const 16) "\\41\\00\\00\\00\\01\\00\\00\\00")`, "utf16"));
  expectTrap(() => instantiateComponent(c, { store: new Store() }).getExport(["f"]).call([]), "T3", /string pointer 0x41 not aligned to 2/);
  const c2 = Component.fromBytes(await smallWorld("func() -> string", "(result i32)", "(i32.const 16)", `(data (i32.const 16) "\\40\\00\\00\\00\\01\\00\\00\\00") (data (i32.const 64) "\\00\\d8")`, "utf16"));
  expectTrap(() => instantiateComponent(c2, { store: new Store() }).getExport(["f"]).call([]), "T5", /unpaired high surrogate 0xd800/);
  for (const [v, re] of [[0xd800, /0xd800 \(a surrogate\)/], [0x110000, /0x110000 \(>= 0x110000\)/], [-1, /0xffffffff/]] as const) {
    const cc = Component.fromBytes(await smallWorld("func() -> char", "(result i32)", `(i32.const ${v})`));
    expectTrap(() => instantiateComponent(cc, { store: new Store() }).getExport(["f"]).call([]), "T1", re);
  }
  const ok = Component.fromBytes(await smallWorld("func() -> char", "(result i32)", "(i32.const 0x1F600)"));
  assert.is(instantiateComponent(ok, { store: new Store() }).getExport(["f"]).call([]), "😀");
});

test("T6, T7, T8: list length, alignment, bounds", async () => {
  let b = await binding({ data: okReturnArea(64, 2 ** 24 + 1) });
  expectTrap(() => b.invoke([], new Store()), "T6", /list byte length 16777217 x 16 = 268435472 exceeds 268435455/);
  b = await binding({ data: okReturnArea(0x102, 1) });
  expectTrap(() => b.invoke([], new Store()), "T7", /list pointer 0x102 not aligned to 4/);
  b = await binding({ data: okReturnArea(0xfff0, 2) });
  expectTrap(() => b.invoke([], new Store()), "T8", /list content out of bounds: 0xfff0 \+ 32 bytes > memory size 65536/);
  // nested: a port-batch whose packets list is out of bounds
  b = await binding({ data: [...okReturnArea(64, 1), [64, [0, 0, 0, 0, 0, 0, 0, 0, ...u32le(0x20000), ...u32le(1)]]] });
  expectTrap(() => b.invoke([], new Store()), "T8", /0x20000 \+ 76 bytes/);
});

test("T9: invalid discriminants in memory and flat", async () => {
  let b = await binding({ data: [[16, [2]]] });
  expectTrap(() => b.invoke([], new Store()), "T9", /invalid variant discriminant 2 \(the type has 2 cases\)/);
  // payload variant inside a packet
  b = await binding({ data: [...okReturnArea(64, 1), [64, [0, 0, 0, 0, 0, 0, 0, 0, ...u32le(128), ...u32le(1)]], [192, [5]]] });
  expectTrap(() => b.invoke([], new Store()), "T9", /invalid variant discriminant 5/);
  // option<endpoint> discriminant in the route
  b = await binding({ data: [...okReturnArea(64, 1), [64, [0, 0, 0, 0, 0, 0, 0, 0, ...u32le(128), ...u32le(1)]], [128 + 28, [9]]] });
  expectTrap(() => b.invoke([], new Store()), "T9", /invalid variant discriminant 9/);
  // flat: an enum result in one i32, compared on all 32 bits
  const enumWorld = `package test:t;\nworld w {\n  enum e { a, b }\n  export f: func() -> e;\n}\n`;
  const mk = async (v: number) => Component.fromBytes(await buildComponent(`(module (func (export "f") (result i32) (i32.const ${v})))`, enumWorld, "w"));
  assert.is(instantiateComponent(await mk(1), { store: new Store() }).getExport(["f"]).call([]), "b");
  const bad = await mk(0x10001);
  expectTrap(() => instantiateComponent(bad, { store: new Store() }).getExport(["f"]).call([]), "T9", /invalid variant discriminant 65537 \(the type has 2 cases\)/);
});

test("T10: return pointer misaligned or out of bounds", async () => {
  let b = await binding({ invoke: "(i32.const 17)" });
  expectTrap(() => b.invoke([], new Store()), "T10", /return pointer 0x11 not aligned to 4/);
  b = await binding({ invoke: "(i32.const 65524)" });
  expectTrap(() => b.invoke([], new Store()), "T10", /return pointer out of bounds: 0xfff4 \+ 16 bytes > memory size 65536/);
});

test("T12: realloc results are checked (alignment, bounds), for lists and strings", async () => {
  let b = await binding({ realloc: "(i32.const 3)" });
  expectTrap(() => b.invoke(ONE, new Store()), "T12", /realloc return: result 0x3 not aligned to 4/);
  b = await binding({ realloc: "(i32.const -256)" });
  expectTrap(() => b.invoke(ONE, new Store()), "T12", /realloc return: beyond end of memory \(0xffffff00 \+ 16 > memory size 65536\)/);
  // the first (list) allocation is fine, the string allocation (align 1) is beyond memory
  b = await binding({ realloc: "(if (result i32) (i32.eq (local.get 2) (i32.const 1)) (then (i32.const 65534)) (else (i32.const 1024)))" });
  expectTrap(() => b.invoke([{ portId: "port-xyz", packets: [] }], new Store()), "T12", /0xfffe \+ 8 > memory size 65536/);
});

test("T15: guest traps in callee, realloc and post-return carry the interpreter's trap code; the instance is poisoned", async () => {
  const b = await binding({ invoke: "unreachable" });
  const inst = instantiateComponent(b.component, { store: new Store() });
  const f = inst.getExport(["pureflow:batch/batch@0.1.0", "invoke"]);
  try {
    f.call([[]]);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, GuestTrap);
    assert.is((e as GuestTrap).trap, "unreachable");
    assert.is((e as GuestTrap).during, "callee");
    assert.is((e as GuestTrap).code, "guest-trap");
    assert.ok((e as Error).cause !== undefined);
  }
  assert.ok(inst.poisoned);
  expectTrap(() => f.call([[]]), "T15", /poisoned by an earlier trap/);
  const r = await binding({ realloc: "unreachable" });
  assert.throws(() => r.invoke(ONE, new Store()), (e: unknown) => e instanceof GuestTrap && e.during === "realloc" && e.trap === "unreachable");
  const p = await binding({ data: okReturnArea(0, 0), postReturn: "(drop (i32.div_u (i32.const 1) (i32.const 0)))" });
  assert.throws(() => p.invoke([], new Store()), (e: unknown) => e instanceof GuestTrap && e.during === "post-return" && e.trap === "integer-divide-by-zero");
  // fuel runs out in the guest: a guest trap with the interpreter's code
  const spin = await binding({ invoke: "(loop $l (br $l)) (i32.const 16)" });
  assert.throws(() => spin.invoke([], new Store({ fuel: 1000 })), (e: unknown) => e instanceof GuestTrap && e.trap === "out-of-fuel");
  // a start function that traps during instantiation
  const start = await binding({ extra: "(func $s unreachable) (start $s)" });
  assert.throws(() => start.invoke([], new Store()), (e: unknown) => e instanceof GuestTrap && e.during === "start");
  seen.add("T15");
});

test("T14: entering an instance that is already on the call stack traps", async () => {
  const b = await binding({ data: okReturnArea(0, 0), invoke: "(local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 100000)))) (i32.const 16)" });
  const inst = instantiateComponent(b.component, { store: new Store() });
  const f = inst.getExport(["pureflow:batch/batch@0.1.0", "invoke"]);
  const pending = f.callAsync([[]], { sliceSteps: 100 });
  await new Promise((r) => setTimeout(r, 0));
  expectTrap(() => f.call([[]]), "T14", /already on the call stack/);
  assert.equal(await pending, { tag: "ok", value: [] });
  assert.equal(f.call([[]]), { tag: "ok", value: [] }, "usable again once it left");
});

test("host values that do not fit the type: typed error, instance not poisoned", async () => {
  const b = await binding({ data: okReturnArea(0, 0) });
  const inst = instantiateComponent(b.component, { store: new Store() });
  const f = inst.getExport(["pureflow:batch/batch@0.1.0", "invoke"]);
  const bad: Value[] = [
    [{ "port-id": 5, packets: [] }],
    [{ "port-id": "p" }],
    [{ "port-id": "p", packets: [{ metadata: {}, payload: { tag: "bytes", value: Uint8Array.of() } }] }],
    [{ "port-id": "\ud800", packets: [] }],
    "not a list",
  ];
  for (const v of bad) assert.throws(() => f.call([v]), (e: unknown) => e instanceof InvalidHostValueError, JSON.stringify(v));
  assert.throws(() => f.call([]), (e: unknown) => e instanceof InvalidHostValueError && /expected 1 argument/.test((e as Error).message));
  assert.not.ok(inst.poisoned);
  assert.equal(f.call([[]]), { tag: "ok", value: [] });
  const payload = [{ "port-id": "p", packets: [{ metadata: { "message-id": "m", "workflow-id": "w", execution: { "execution-id": "e", attempt: -1 }, route: { source: { tag: "none" }, target: { "node-id": "n", "port-id": "p" } } }, payload: { tag: "bytes", value: Uint8Array.of() } }] }];
  assert.throws(() => f.call([payload]), (e: unknown) => e instanceof InvalidHostValueError && /expected u32 \(integer 0\.\.4294967295\), got -1/.test((e as Error).message));
  assert.throws(() => b.invoke([{ portId: "p", packets: [{ metadata: metadata("x"), payload: { kind: "other" } as never }] }], new Store()), (e: unknown) => e instanceof InvalidHostValueError);
  assert.throws(() => b.invoke([{ portId: "p" } as never], new Store()), (e: unknown) => e instanceof InvalidHostValueError);
});

test.after(() => {
  const all: CanonicalAbiRule[] = ["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T12", "T14", "T15"];
  const missing = all.filter((r) => !seen.has(r));
  console.log(`\n# canonical ABI traps exercised end to end: ${[...seen].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))).join(" ")}; T13 in canon-lower.test.ts; not applicable: T11 (resources), T16 (async)`);
  if (missing.length > 0) throw new Error(`traps never exercised: ${missing.join(", ")}`);
});

test.run();
