// `pureflow-wasm abi explain` through the built binary (issue 17, part 1): inline WIT types,
// function types and a component's exports, as text and --json; errors with their codes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli, upper } from "./helpers.js";

test("a WIT type: layout, padding, byte ruler, flattening", () => {
  const r = cli(["abi", "explain", "record { a: u8, b: string }"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /size 12 B, alignment 4/);
  assert.match(r.stdout, /flattened \(flatten_type\): \(i32, i32, i32\)/);
  assert.match(r.stdout, /\(padding to align b to 4\)/);
  const j = JSON.parse(cli(["abi", "explain", "variant { a(u8), b(f64), c }", "--json"]).stdout);
  assert.equal({ size: j.type.size, alignment: j.type.alignment, flat: j.type.flat, d: j.type.discriminant, p: j.type.payloadOffset }, { size: 16, alignment: 8, flat: ["i32", "i64"], d: { type: "u8", size: 1 }, p: 8 });
});

test("a function type: through memory and why, core signatures", () => {
  const r = cli(["abi", "explain", "func(x: string) -> result<list<u32>, string>"]);
  assert.is(r.code, 0);
  assert.match(r.stdout, /flat results: 3 \(i32, i32, i32\) > MAX_FLAT_RESULTS = 1: stored in memory/);
  assert.match(r.stdout, /canon lift\):  \(func \(param i32 i32\) \(result i32\)\)/);
});

test("a component's exports: the batch world's invoke, its packet layout", () => {
  const r = cli(["abi", "explain", upper]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /export pureflow:batch\/batch@0\.1\.0#invoke: func\(inputs: list<port-batch>\)/);
  assert.match(r.stdout, /record \{ metadata: message-metadata, payload: payload \}\n\s+size 76 B, alignment 4/);
  const j = JSON.parse(cli(["abi", "explain", upper, "invoke", "--json"]).stdout);
  assert.is(j.functions.length, 1);
  assert.equal(j.functions[0].lift, { params: ["i32", "i32"], results: ["i32"] });
});

test("errors: WIT syntax (usage, with column), missing export, not a component", () => {
  const cases: [string[], number, RegExp][] = [
    [["abi"], 2, /abi takes the subcommand `explain`/],
    [["abi", "explain"], 2, /needs <wit-type \| component\.wasm>/],
    [["abi", "explain", "list<u8"], 2, /CLI-USAGE-001: usage error: invalid WIT type: expected `>`, found the end \(at column 8\)/],
    [["abi", "explain", "u8", "x"], 2, /export name goes with a component file/],
    [["abi", "explain", upper, "nope"], 3, /CLI-INPUT-004: .*exports no function `nope`/],
    [["abi", "explain", "fixtures/hostile/core-module/module.wasm"], 3, /CLI-INPUT-004/],
    [["abi", "explain", "missing.wasm"], 3, /CLI-INPUT-001/],
  ];
  for (const [args, status, pattern] of cases) {
    const r = cli(args);
    assert.is(r.code, status, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(" "));
  }
  assert.match(cli(["abi", "--help"]).stdout, /usage: pureflow-wasm abi explain/);
});

test.run();
