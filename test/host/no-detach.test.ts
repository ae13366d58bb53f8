/**
 * A host call whose guest grows its memory detaches no ArrayBuffer. The Canonical ABI reads guest
 * memory through the interpreter's `memoryBytes`, not `Memory.prototype.buffer`: a buffer handed
 * out must be detached when the memory grows (the JS API says so), and the first detach in a
 * thread makes V8 check every later typed-array access of it, the interpreter's included (guests
 * ran ~25 % slower after it: bench/README.md "Detached").
 *
 * Detaches are counted by wrapping the two ways the interpreter detaches (`structuredClone` with a
 * transfer list, `ArrayBuffer.prototype.transfer` where the host has it); a control case reads a
 * core memory's `buffer` and grows it, which must count one.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, BatchInputs, ExecutionLimits, RuleComponent } from "../../src/index.js";
import { Instance, Module } from "../../interpreter/index.js";
import { bytes, fixtureBytes, packet } from "./guests.js";

type Transfer = (this: ArrayBuffer, length?: number) => ArrayBuffer;

/** Runs `f` and returns how many ArrayBuffers it detached (through structuredClone or transfer). */
function detachesDuring(f: () => void): number {
  let n = 0;
  const clone = globalThis.structuredClone;
  const proto = ArrayBuffer.prototype as ArrayBuffer & { transfer?: Transfer };
  const transfer = proto.transfer;
  globalThis.structuredClone = ((value: unknown, options?: StructuredSerializeOptions) => {
    n += options?.transfer?.length ?? 0;
    return clone(value, options);
  }) as typeof structuredClone;
  if (transfer !== undefined) {
    proto.transfer = function (this: ArrayBuffer, length?: number): ArrayBuffer {
      n++;
      return transfer.call(this, length);
    };
  }
  try {
    f();
  } finally {
    globalThis.structuredClone = clone;
    if (transfer !== undefined) proto.transfer = transfer;
  }
  return n;
}

test("control: a core memory's buffer read, then grown, is detached (the counter sees it)", () => {
  // (module (memory (export "m") 1))
  const wasm = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 5, 1, 1, 109, 2, 0]);
  const memory = new Instance(new Module(wasm), {}).exports.m as WebAssembly.Memory;
  const n = detachesDuring(() => {
    const b = memory.buffer;
    memory.grow(1);
    assert.is(b.byteLength, 0, "the old buffer is detached");
  });
  assert.is(n, 1);
});

test("a batch call whose guest grows its memory (4 MiB in, 4 MiB out) detaches nothing", () => {
  const upper = BatchComponent.fromComponentBytes(fixtureBytes("uppercase-guest"), { limits: ExecutionLimits.default().withFuel(1e12) });
  const inputs = new BatchInputs().push("in", packet("big", { kind: "bytes", bytes: new Uint8Array(4 << 20).fill(97) }));
  let out: Uint8Array | undefined;
  const n = detachesDuring(() => {
    const r = upper.invokeWithReport(inputs);
    const p = r.outputs?.toRecord()["out"]?.[0]?.payload;
    out = p?.kind === "bytes" ? p.bytes : undefined;
  });
  assert.ok(out !== undefined && out.length === 4 << 20 && out[0] === 65 && out[out.length - 1] === 65, "the guest uppercased the packet");
  assert.is(n, 0);
});

test("the libc guest (a real malloc growing memory) and a rules call detach nothing", () => {
  const libc = BatchComponent.fromComponentBytes(fixtureBytes("libc-guest"), { limits: ExecutionLimits.default().withFuel(1e12) });
  const inputs = new BatchInputs().push("in", packet("big", bytes("x".repeat(1 << 20))));
  let ok = false;
  const n = detachesDuring(() => {
    ok = libc.invokeWithReport(inputs).outputs !== undefined;
  });
  assert.ok(ok, "the libc guest ran");
  assert.is(n, 0);
  const rules = RuleComponent.fromComponentBytes(fixtureBytes("rules-guest"));
  const m = detachesDuring(() => {
    rules.evaluateWithReport(
      { id: "r", strategy: "first-match", rules: [], "default-action": { tag: "drop" }, "trace-conditions": false },
      { payload: { kind: "bytes", bytes: new Uint8Array(1 << 20) }, tags: {}, "workflow-id": "w" } as never,
    );
  });
  assert.is(m, 0);
});

test.run();
