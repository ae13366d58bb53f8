/**
 * Hostile guests through the whole stack (fixtures/hostile/*): each gives its typed error, in
 * bounded time, and afterwards the same BatchComponent still serves a good call (empty inputs,
 * on which every hostile guest behaves). A Canonical ABI violation must carry its rule
 * (T1–T16 of `../shared/notes/canonical-abi.md` §1.7) on the `CanonicalAbiTrap` in the error's
 * cause chain; every rule that can occur in the batch world must be provoked by some fixture
 * (the table in fixtures/README.md says why the others cannot occur).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, BatchInputs, ExecutionLimits, PureflowError } from "../../src/index.js";
import { CanonicalAbiTrap, GuestTrap, type CanonicalAbiRule } from "../../canonical-abi/index.js";
import { bytes, fixtureBytes, packet } from "./guests.js";

interface Case {
  name: string;
  code: string;
  message: RegExp | string;
  trap?: string;
  limits?: ExecutionLimits;
  /** The Canonical ABI rule the `CanonicalAbiTrap` in the cause chain must name. */
  rule?: CanonicalAbiRule;
  /** Where the `GuestTrap` in the cause chain must say the guest trapped (T15). */
  during?: GuestTrap["during"];
}

/** The first error of class `C` in `e`'s cause chain. */
function inCauses<C>(e: unknown, C: abstract new (...args: never[]) => C): C | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 8 && cur !== null && typeof cur === "object"; depth++) {
    if (cur instanceof C) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Rules provoked by the fixtures below (T15 counts the guest traps in callee, realloc, post-return). */
const seen = new Set<string>();

const ABI = (rule: string) => new RegExp(`^guest invoke failed: .*\\((${rule})\\)`);
const cases: Case[] = [
  { name: "trap", code: "CDT-EXEC-001", message: /^guest invoke failed: /, trap: "unreachable", during: "callee" },
  { name: "infinite-loop", code: "CDT-EXEC-001", message: "guest exceeded fuel limit of 1000000 units", trap: "out-of-fuel", limits: ExecutionLimits.new(1_000_000) },
  { name: "infinite-recursion", code: "CDT-EXEC-001", message: /^guest (invoke failed: |exceeded fuel limit)/ },
  { name: "invalid-utf8", code: "CDT-EXEC-001", message: ABI("T5"), rule: "T5" },
  { name: "list-out-of-bounds", code: "CDT-EXEC-001", message: ABI("T8"), rule: "T8" },
  { name: "misaligned-list", code: "CDT-EXEC-001", message: ABI("T7"), rule: "T7" },
  { name: "bad-result-discriminant", code: "CDT-EXEC-001", message: ABI("T9"), rule: "T9" },
  { name: "bad-payload-discriminant", code: "CDT-EXEC-001", message: ABI("T9"), rule: "T9" },
  { name: "misaligned-return-pointer", code: "CDT-EXEC-001", message: ABI("T10"), rule: "T10" },
  { name: "return-pointer-out-of-bounds", code: "CDT-EXEC-001", message: ABI("T10"), rule: "T10" },
  { name: "realloc-misaligned", code: "CDT-EXEC-001", message: ABI("T12"), rule: "T12" },
  { name: "realloc-out-of-bounds", code: "CDT-EXEC-001", message: ABI("T12"), rule: "T12" },
  { name: "realloc-trap", code: "CDT-EXEC-001", message: /^guest invoke failed: .*realloc/, trap: "unreachable", during: "realloc" },
  { name: "huge-list", code: "CDT-EXEC-001", message: ABI("T6"), rule: "T6" },
  { name: "huge-bytes", code: "CDT-EXEC-001", message: ABI("T8"), rule: "T8" },
  { name: "memory-hog", code: "CDT-EXEC-001", message: /^guest invoke failed: /, trap: "unreachable", limits: ExecutionLimits.default().withMaxMemoryPages(64) },
  { name: "output-too-large", code: "CDT-EXEC-001", message: /^guest output exceeds the output size limit of 67108864 bytes/ },
  { name: "zero-attempt", code: "CDT-EXEC-001", message: "guest returned zero execution attempt" },
  { name: "empty-port-id", code: "CDT-VAL-001", message: "port id must not be empty" },
  { name: "whitespace-id", code: "CDT-VAL-001", message: "message id must not contain whitespace" },
  { name: "long-id", code: "CDT-VAL-001", message: "workflow id must not exceed 256 bytes" },
  { name: "invalid-control-json", code: "CDT-EXEC-001", message: "guest returned invalid control payload: expected ident at line 1 column 2" },
  { name: "guest-failure", code: "CDT-EXEC-001", message: "guest returned guest-failure: boom" },
  // strings (utf8 in the batch world): T2 length limit, T4 bounds (also when empty)
  { name: "huge-string", code: "CDT-EXEC-001", rule: "T2", message: "guest invoke failed: canonical ABI trap (T2): string byte length 268435456 exceeds 268435455 (2^28-1)" },
  { name: "string-out-of-bounds", code: "CDT-EXEC-001", rule: "T4", message: "guest invoke failed: canonical ABI trap (T4): string content out of bounds: 0xfff8 + 16 bytes > memory size 65536" },
  { name: "empty-string-out-of-bounds", code: "CDT-EXEC-001", rule: "T4", message: "guest invoke failed: canonical ABI trap (T4): string content out of bounds: 0x10001 + 0 bytes > memory size 65536" },
  { name: "bad-option-discriminant", code: "CDT-EXEC-001", rule: "T9", message: "guest invoke failed: canonical ABI trap (T9): invalid variant discriminant 2 (the type has 2 cases) at 0x11c" },
  // T15 in post-return: the result was well formed, but the call still fails
  { name: "post-return-trap", code: "CDT-EXEC-001", trap: "unreachable", during: "post-return", message: "guest invoke failed: guest trapped in post-return: unreachable executed" },
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
    if (c.rule) {
      const abi = inCauses(e, CanonicalAbiTrap);
      assert.ok(abi, `no CanonicalAbiTrap in the cause chain of ${e.toString()}`);
      assert.is(abi.rule, c.rule, e.toString());
      seen.add(c.rule);
    }
    if (c.during) {
      const g = inCauses(e, GuestTrap);
      assert.ok(g, `no GuestTrap in the cause chain of ${e.toString()}`);
      assert.is(g.during, c.during, e.toString());
      seen.add("T15");
    }
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

test.after(() => {
  // Rules that can occur in the batch world (utf8 strings, no char, resources, imports or async):
  // see the T1–T16 table in fixtures/README.md.
  const applicable = ["T2", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T12", "T15"];
  const missing = applicable.filter((r) => !seen.has(r));
  console.log(`\n# hostile fixtures provoke canonical ABI rules: ${applicable.filter((r) => seen.has(r)).join(" ")}`);
  if (missing.length > 0) throw new Error(`canonical ABI rules with no hostile fixture: ${missing.join(", ")}`);
});

test.run();
