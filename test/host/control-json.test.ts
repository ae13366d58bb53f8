/** Control JSON as serde_json: parse errors, number mapping, compact sorted output, float layout. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compareCodePoints, formatF64, parseControlJson, stringifyControlJson, type JsonValue } from "../../src/batch/control-json.js";
import { PureflowError } from "../../src/errors.js";

function err(text: string): string {
  try {
    parseControlJson(text);
  } catch (e) {
    return (e as Error).message;
  }
  return "no error";
}

test("serde_json error messages", () => {
  assert.is(err("not-json"), "expected ident at line 1 column 2");
  assert.is(err(""), "EOF while parsing a value at line 1 column 0");
  assert.is(err("x"), "expected value at line 1 column 1");
  assert.is(err("1 2"), "trailing characters at line 1 column 3");
  assert.is(err("nul"), "EOF while parsing a value at line 1 column 3");
  assert.is(err("[1,]"), "trailing comma at line 1 column 4");
  assert.is(err("[1 2]"), "expected `,` or `]` at line 1 column 4");
  assert.is(err("{\"a\" 1}"), "expected `:` at line 1 column 6");
  assert.is(err("{1:2}"), "key must be a string at line 1 column 2");
  assert.is(err("\"abc"), "EOF while parsing a string at line 1 column 4");
  assert.is(err("01"), "invalid number at line 1 column 2");
  assert.is(err("1e999"), "number out of range at line 1 column 5");
  assert.is(err("[\n  1\n  x]"), "expected `,` or `]` at line 3 column 3");
  assert.is(err("[".repeat(200)), "recursion limit exceeded at line 1 column 128");
  assert.is(err("\"a\u0001\""), "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3");
});

test("numbers: integers, big integers, floats, -0", () => {
  assert.equal(parseControlJson("[0,-1,9007199254740991,9007199254740993,-9223372036854775808,18446744073709551615,18446744073709551616,1.5,1e2,-0]"),
    [0, -1, 9007199254740991, 9007199254740993n, -9223372036854775808n, 18446744073709551615n, 18446744073709551616, 1.5, 100, -0]);
  assert.ok(Object.is((parseControlJson("-0") as number), -0));
});

test("compact output with keys sorted by code point, serde escapes", () => {
  const v = parseControlJson(" { \"b\" : 1 , \"a\" : [ 1.5 , true , null ], \"\\u00e9\": \"x\\ty\\u0001\\\"\\\\/\" } ");
  assert.is(stringifyControlJson(v), "{\"a\":[1.5,true,null],\"b\":1,\"é\":\"x\\ty\\u0001\\\"\\\\/\"}");
  assert.is(stringifyControlJson({ "\ue000": 1, "\ud83d\ude00": 2, z: 3 }), "{\"z\":3,\"\ue000\":1,\"😀\":2}");
  assert.ok(compareCodePoints("\ue000", "\ud83d\ude00") < 0);
  assert.is(stringifyControlJson(parseControlJson("{\"a\":1,\"a\":2}")), "{\"a\":2}");
  assert.is(stringifyControlJson(parseControlJson("{\"__proto__\":{\"x\":1}}")), "{\"__proto__\":{\"x\":1}}");
});

test("ryu float layout", () => {
  const cases: [number, string][] = [[1.5, "1.5"], [0.1, "0.1"], [1e20, "1e20"], [1.5e-7, "1.5e-7"], [123456.789, "123456.789"],
    [1e16, "1e16"], [1.2e16, "1.2e16"], [9007199254740993, "9007199254740992.0"], [0.0001, "0.0001"], [0.00001, "0.00001"], [0.000001, "1e-6"], [-2.5, "-2.5"],
    [5e-324, "5e-324"], [1.7976931348623157e308, "1.7976931348623157e308"], [-0, "-0.0"]];
  for (const [n, s] of cases) assert.is(formatF64(n), s, String(n));
  assert.is(stringifyControlJson([1, 1.5, -0, 2 ** 60, 12345678901234567890n]), "[1,1.5,-0.0,1.152921504606847e18,12345678901234567890]");
});

test("values that are not JSON are refused with CDT-EXEC-001", () => {
  const bad: unknown[] = [NaN, Infinity, undefined, () => 1, new Date(0), 2n ** 64n, "\ud800", [Symbol("x")]];
  for (const v of bad) {
    try {
      stringifyControlJson(v as JsonValue);
      assert.unreachable(String(v));
    } catch (e) {
      assert.instance(e, PureflowError);
      assert.ok((e as PureflowError).message.startsWith("invalid control payload value: "));
    }
  }
  const cyclic: JsonValue[] = [];
  cyclic.push(cyclic);
  assert.throws(() => stringifyControlJson(cyclic), /deeper than 128/);
});

test.run();
