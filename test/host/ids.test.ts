/** Identifier rules (Pureflow's `pureflow-types`): messages, their order, the explicit White_Space list. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { identifierProblem, isUnicodeWhiteSpace, utf8ByteLength, validateIdentifier } from "../../src/batch/ids.js";
import { PureflowError } from "../../src/errors.js";

test("valid ids, including Unicode, punctuation, `:` and `/`", () => {
  for (const id of ["a", "msg-1", "node:port/x", "é", "日本", "🙂", "a".repeat(256), "é".repeat(128), "\ufeff"]) {
    assert.is(identifierProblem("port id", id), undefined, JSON.stringify(id));
  }
});

test("length is checked first, in UTF-8 bytes", () => {
  assert.is(identifierProblem("workflow id", "a".repeat(257)), "workflow id must not exceed 256 bytes");
  assert.is(identifierProblem("workflow id", "é".repeat(129)), "workflow id must not exceed 256 bytes");
  assert.is(identifierProblem("workflow id", " ".repeat(300)), "workflow id must not exceed 256 bytes");
  assert.is(utf8ByteLength("🙂é a"), 4 + 2 + 2);
});

test("empty after trimming Unicode White_Space", () => {
  for (const id of ["", " ", "\t", "\u3000", "\u0085 \u00a0"]) assert.is(identifierProblem("port id", id), "port id must not be empty");
});

test("whitespace before control characters; the explicit list, not JS \\s", () => {
  assert.is(identifierProblem("message id", "msg 1"), "message id must not contain whitespace");
  assert.is(identifierProblem("message id", "a\u0085b"), "message id must not contain whitespace");
  assert.is(identifierProblem("message id", "a\n\u0001"), "message id must not contain whitespace");
  assert.is(identifierProblem("node id", "a\u0001"), "node id must not contain control characters");
  assert.is(identifierProblem("node id", "a\u007f"), "node id must not contain control characters");
  assert.is(identifierProblem("node id", "a\u009f"), "node id must not contain control characters");
  // U+FEFF is JS whitespace but not Unicode White_Space; U+180E neither
  assert.is(identifierProblem("node id", "a\ufeffb"), undefined);
  assert.ok(!isUnicodeWhiteSpace(0xfeff));
  const list = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2005, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000];
  let count = 0;
  for (let cp = 0; cp < 0x10000; cp++) if (isUnicodeWhiteSpace(cp)) count++;
  assert.is(count, 25);
  for (const cp of list) assert.ok(isUnicodeWhiteSpace(cp), cp.toString(16));
});

test("every code unit below U+0100 between two letters, and the 256/257 ASCII boundary (the ASCII fast path agrees with the rules)", () => {
  for (let c = 0; c < 0x100; c++) {
    const id = "a" + String.fromCharCode(c) + "b";
    const expected = isUnicodeWhiteSpace(c) ? "node id must not contain whitespace"
      : c <= 0x1f || (c >= 0x7f && c <= 0x9f) ? "node id must not contain control characters" : undefined;
    assert.is(identifierProblem("node id", id), expected, c.toString(16));
  }
  assert.is(identifierProblem("node id", "~".repeat(256)), undefined);
  assert.is(identifierProblem("node id", "!".repeat(257)), "node id must not exceed 256 bytes");
  assert.is(identifierProblem("node id", " "), "node id must not be empty");
});

test("lone surrogates are refused; validateIdentifier throws CDT-VAL-001", () => {
  assert.is(identifierProblem("port id", "a\ud800"), "port id must be valid Unicode (it contains a lone surrogate)");
  try {
    validateIdentifier("port id", "");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, PureflowError);
    assert.is(String(e), "CDT-VAL-001: identifier validation failed: port id must not be empty");
    assert.is((e as PureflowError).visibility, "user");
    assert.is((e as PureflowError).retry, "never");
  }
});

test.run();
