/**
 * Host limits on component types (wasmparser's, so what wasmtime refuses is refused here too):
 * at most 10,000 members in one record, variant, tuple or enum, refused with an
 * `UnsupportedComponentFeatureError` naming the limit; the limit itself is accepted. And a type
 * section of many small types decodes without per-type cache entries (no quadratic slowdown).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Component, UnsupportedComponentFeatureError } from "../../canonical-abi/index.js";
import { MAX_TYPE_MEMBERS } from "../../canonical-abi/binary/types.js";

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

/** A component whose type section holds the one type definition `def`. */
function componentWithType(def: Uint8Array): Uint8Array {
  const content = new Uint8Array([0x01, ...def]);
  const head = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, ...uleb(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head);
  out.set(content, head.length);
  return out;
}

function tuple(n: number): Uint8Array {
  return new Uint8Array([0x6f, ...uleb(n), ...new Array<number>(n).fill(0x79)]);
}

/** `enum` (0x6d) or `record` (0x72, every field u32) with labels `l0`, `l1`, ... */
function labelled(code: 0x6d | 0x72, n: number): Uint8Array {
  const parts: number[] = [code, ...uleb(n)];
  for (let i = 0; i < n; i++) {
    const l = new TextEncoder().encode(`l${i}`);
    parts.push(...uleb(l.length), ...l);
    if (code === 0x72) parts.push(0x79);
  }
  return new Uint8Array(parts);
}

for (const [what, make] of [["tuple", tuple], ["enum", (n: number) => labelled(0x6d, n)], ["record", (n: number) => labelled(0x72, n)]] as const) {
  test(`${what}: ${MAX_TYPE_MEMBERS} members decode, ${MAX_TYPE_MEMBERS + 1} are refused naming the limit`, () => {
    Component.fromBytes(componentWithType(make(MAX_TYPE_MEMBERS)));
    try {
      Component.fromBytes(componentWithType(make(MAX_TYPE_MEMBERS + 1)));
      assert.unreachable("accepted");
    } catch (e) {
      assert.instance(e, UnsupportedComponentFeatureError);
      assert.match((e as Error).message, `${what} type with ${MAX_TYPE_MEMBERS + 1} members (this host's limit is ${MAX_TYPE_MEMBERS}`);
    }
  });
}

test("a tuple of 2^21 members is refused at decode time (no stack overflow from a spread)", () => {
  assert.throws(() => Component.fromBytes(componentWithType(tuple(2 ** 21))), (e: unknown) => e instanceof UnsupportedComponentFeatureError);
});

test("200,000 list<u8> types decode in well under a second per 100,000", () => {
  const n = 200_000;
  const body = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) body.set([0x70, 0x7d], 2 * i);
  const content = new Uint8Array([...uleb(n), ...body]);
  const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, ...uleb(content.length), ...content]);
  const t0 = performance.now();
  Component.fromBytes(bytes);
  const ms = performance.now() - t0;
  console.log(`# ${n} list<u8> types decoded and resolved in ${ms.toFixed(0)} ms`);
  assert.ok(ms < 2000, `took ${ms} ms`);
});

test.run();
