// `pureflow-wasm run --trace-abi [--json]` through the built binary (issue 17): the Canonical ABI
// steps of one invocation, then the outputs; the JSON form carries the same trace; a hostile
// guest's trap is shown with its rule and the WIT path where it fired; misuse is refused.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cli, inputsPath, upper } from "./helpers.js";

test("text: steps in order, annotated hex dump, then the outputs", () => {
  const r = cli(["run", upper, inputsPath, "--trace-abi"]);
  assert.is(r.code, 0, r.stderr);
  const out = r.stdout;
  const order = ["#0    call func(inputs: list<record { port-id, packets }>)", "-- lowering the arguments", "realloc(0x0, 0, 4, 16) -> 0x", "flat core arguments: i32 ",
    "-- the core call", "core function returned: i32 ", "-- lifting the results", "return pointer 0x", "post-return called", "call returned (fuel used by the whole call: 2672)",
    "memory written while lowering", "memory read while lifting", '"port-id": "out"'];
  let at = -1;
  for (const s of order) {
    const i = out.indexOf(s, at + 1);
    assert.ok(i > at, `\`${s}\` after the previous step`);
    at = i;
  }
  assert.match(out, /store 0x[0-9a-f]+ inputs\[0\]\.packets\[1\]\.metadata\.route\.source\?\.node-id: string = "source"  \[[0-9a-f ]+\]/);
  assert.match(out, /\n  0x[0-9a-f]{8}  ([0-9a-f.]{2} {1,2}){16}\|.{16}\|\n      \^ 0x/);
});

test("--json: the trace as events beside the outputs and fuel", () => {
  const r = cli(["run", upper, inputsPath, "--trace-abi", "--json"]);
  assert.is(r.code, 0, r.stderr);
  const o = JSON.parse(r.stdout);
  assert.is(o.status, "ok");
  assert.is(o.abiTrace.dropped, 0);
  const steps: string[] = o.abiTrace.events.map((e: { step: string }) => e.step);
  assert.is(steps[0], "call-begin");
  assert.is(steps[steps.length - 1], "call-end");
  assert.is(o.abiTrace.events[steps.length - 1].fuel, o.fuel.consumed);
  assert.ok(steps.filter((s) => s === "realloc").length > 10);
  const plain = JSON.parse(cli(["run", upper, inputsPath, "--json"]).stdout);
  assert.equal(o.outputs, plain.outputs);
  assert.is(plain.abiTrace, undefined);
});

test("a hostile guest: exit 1, the trap with its rule and the WIT path where it fired", () => {
  const r = cli(["run", "fixtures/hostile/bad-option-discriminant/component.wasm", inputsPath, "--trace-abi"]);
  assert.is(r.code, 1);
  assert.match(r.stdout, /load 0x11c result<ok>\[0\]\.packets\[0\]\.metadata\.route\.source: option<record \{ node-id, port-id \}>  \[02\]  <- trap inside this value/);
  assert.match(r.stdout, "TRAP T9 (canonical-abi-trap) at result<ok>[0].packets[0].metadata.route.source during lift: canonical ABI trap (T9): invalid variant discriminant 2");
  assert.match(r.stderr, /^error: CDT-EXEC-001/);
  const j = JSON.parse(cli(["run", "fixtures/hostile/realloc-misaligned/component.wasm", inputsPath, "--trace-abi", "--json"]).stdout);
  assert.is(j.status, "error");
  const last = j.abiTrace.events[j.abiTrace.events.length - 1];
  assert.equal([last.step, last.rule, last.phase, last.path], ["trap", "T12", "lower", "inputs"]);
});

test("misuse: --trace-abi with --repeat, or with a value", () => {
  const a = cli(["run", upper, inputsPath, "--trace-abi", "--repeat", "2"]);
  assert.is(a.code, 2);
  assert.match(a.stderr, "--trace-abi traces one invocation");
  const b = cli(["run", upper, inputsPath, "--trace-abi=yes"]);
  assert.is(b.code, 2);
  assert.match(b.stderr, "takes no value");
});

test.run();
