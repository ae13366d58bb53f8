/**
 * Hostile guests through the whole stack (fixtures/hostile/*): each gives its typed error, in
 * bounded time, and afterwards the same BatchComponent still serves a good call (empty inputs,
 * on which every hostile guest behaves).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, BatchInputs, ExecutionLimits, PureflowError } from "../../src/index.js";
import { bytes, fixtureBytes, packet } from "./guests.js";

interface Case {
  name: string;
  code: string;
  message: RegExp | string;
  trap?: string;
  limits?: ExecutionLimits;
}

const ABI = (rule: string) => new RegExp(`^guest invoke failed: .*\\((${rule})\\)`);
const cases: Case[] = [
  { name: "trap", code: "CDT-EXEC-001", message: /^guest invoke failed: /, trap: "unreachable" },
  { name: "infinite-loop", code: "CDT-EXEC-001", message: "guest exceeded fuel limit of 1000000 units", trap: "out-of-fuel", limits: ExecutionLimits.new(1_000_000) },
  { name: "infinite-recursion", code: "CDT-EXEC-001", message: /^guest (invoke failed: |exceeded fuel limit)/ },
  { name: "invalid-utf8", code: "CDT-EXEC-001", message: ABI("T5") },
  { name: "list-out-of-bounds", code: "CDT-EXEC-001", message: ABI("T8") },
  { name: "misaligned-list", code: "CDT-EXEC-001", message: ABI("T7") },
  { name: "bad-result-discriminant", code: "CDT-EXEC-001", message: ABI("T9") },
  { name: "bad-payload-discriminant", code: "CDT-EXEC-001", message: ABI("T9") },
  { name: "misaligned-return-pointer", code: "CDT-EXEC-001", message: ABI("T10") },
  { name: "return-pointer-out-of-bounds", code: "CDT-EXEC-001", message: ABI("T10") },
  { name: "realloc-misaligned", code: "CDT-EXEC-001", message: ABI("T12") },
  { name: "realloc-out-of-bounds", code: "CDT-EXEC-001", message: ABI("T12") },
  { name: "realloc-trap", code: "CDT-EXEC-001", message: /^guest invoke failed: .*realloc/, trap: "unreachable" },
  { name: "huge-list", code: "CDT-EXEC-001", message: ABI("T6|T8") },
  { name: "huge-bytes", code: "CDT-EXEC-001", message: ABI("T8") },
  { name: "memory-hog", code: "CDT-EXEC-001", message: /^guest invoke failed: /, trap: "unreachable", limits: ExecutionLimits.default().withMaxMemoryPages(64) },
  { name: "output-too-large", code: "CDT-EXEC-001", message: /^guest output exceeds the output size limit of 67108864 bytes/ },
  { name: "zero-attempt", code: "CDT-EXEC-001", message: "guest returned zero execution attempt" },
  { name: "empty-port-id", code: "CDT-VAL-001", message: "port id must not be empty" },
  { name: "whitespace-id", code: "CDT-VAL-001", message: "message id must not contain whitespace" },
  { name: "long-id", code: "CDT-VAL-001", message: "workflow id must not exceed 256 bytes" },
  { name: "invalid-control-json", code: "CDT-EXEC-001", message: "guest returned invalid control payload: expected ident at line 1 column 2" },
  { name: "guest-failure", code: "CDT-EXEC-001", message: "guest returned guest-failure: boom" },
];

const inputs = BatchInputs.fromPackets([["in", packet("msg-1", bytes("hello"))]]);

for (const c of cases) {
  test(`hostile/${c.name}: ${c.code} ${String(c.message)}`, () => {
    const guest = BatchComponent.fromComponentBytes(fixtureBytes(`hostile/${c.name}`), c.limits ? { limits: c.limits } : {});
    const t0 = performance.now();
    const r = guest.invokeWithReport(inputs);
    const ms = performance.now() - t0;
    assert.ok(r.error, `no error; outputs ${JSON.stringify(r.outputs?.toRecord())}`);
    const e = r.error as PureflowError;
    assert.instance(e, PureflowError);
    assert.is(e.code, c.code, e.toString());
    if (typeof c.message === "string") assert.is(e.message, c.message);
    else assert.match(e.message, c.message);
    if (c.trap) assert.is(e.trap, c.trap, e.toString());
    assert.ok(ms < 10_000, `${c.name} took ${ms} ms`);
    // the same component still serves a good call
    assert.is(guest.invoke(new BatchInputs()).size, 0);
  });
}

test("hostile/imports-function: refused, naming the import", () => {
  let e: unknown;
  try {
    BatchComponent.fromComponentBytes(fixtureBytes("hostile/imports-function")).invoke(new BatchInputs());
  } catch (x) {
    e = x;
  }
  assert.instance(e, PureflowError);
  const m = (e as PureflowError).message;
  assert.is((e as PureflowError).code, "CDT-EXEC-001");
  // Pureflow: refused at instantiation (wasmtime's empty linker), naming the import
  assert.match(m, /^failed to instantiate component: .*`pureflow:batch\/host@0\.1\.0`/);
});

test("hostile/core-module: refused as a core module", () => {
  let e: unknown;
  try {
    BatchComponent.fromComponentBytes(fixtureBytes("hostile/core-module"));
  } catch (x) {
    e = x;
  }
  assert.instance(e, PureflowError);
  assert.match((e as PureflowError).message, /^failed to compile component: .*core (WebAssembly )?module/);
});

test.run();
