// The pure-TS SHA-256 (interpreter/runtime/sha256.ts) that names modules and components in
// execution snapshots and replay records, against node:crypto: every length around the padding
// boundaries, random contents, a subarray view at an odd offset, and FIPS 180-4's vectors.
import { createHash } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { sha256Hex } from "../../interpreter/index.js";

const node = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

test("FIPS 180-4 vectors", () => {
  assert.is(sha256Hex(new TextEncoder().encode("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.is(sha256Hex(new Uint8Array(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.is(sha256Hex(new TextEncoder().encode("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
});

test("every length 0..300 and random contents agree with node:crypto", () => {
  for (let n = 0; n <= 300; n++) {
    const b = new Uint8Array(n).map((_, i) => (i * 131 + n) & 255);
    assert.is(sha256Hex(b), node(b), `length ${n}`);
  }
  fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(7), (b, skip) => {
    const view = b.subarray(Math.min(skip, b.length));
    assert.is(sha256Hex(view), node(view));
  }), { numRuns: 200, seed: 256 });
});

test.run();
