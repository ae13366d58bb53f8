/**
 * The Canonical ABI call trace (`canonical-abi/abi/trace.ts`): the steps recorded by the spec
 * functions' own hooks, checked against what independently happened.
 *
 * - a `canon lift` over the test heap of `run_tests.py`: the realloc events are exactly the heap's
 *   realloc calls, every value event's bytes are the heap's bytes at its address, the flat
 *   arguments are what the callee received, parameters past MAX_FLAT_PARAMS go through a
 *   realloc'd tuple, a utf16 string's range is twice its code units, and tracing changes nothing;
 * - the uppercase guest: paths (`inputs[0].packets[1].metadata.route.source?.node-id`), the realloc
 *   sequence and its fuel adding up with the core call and post-return to the invocation's fuel,
 *   string contents equal to the inputs' UTF-8, the same outputs and fuel as an untraced call;
 * - every hostile guest that breaks a Canonical ABI rule: the trap event names the rule, the phase
 *   and the WIT path where it fired (a table), and the value being read is marked incomplete;
 * - the text form: an annotated hex dump whose rows hold the bytes of the annotated values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { canon_lift } from "../../canonical-abi/abi/canon-lift.js";
import { ComponentInstanceState, type CoreValue } from "../../canonical-abi/abi/context.js";
import {
  AbiTrace, Component, InvalidArgumentError, instantiateComponent, renderAbiTrace, memoryMap, T, type AbiTraceEvent, type FuncType, type ValType,
} from "../../canonical-abi/index.js";
import { BatchComponent, ExecutionLimits, PureflowError, batchInputsFromWitJson } from "../../src/index.js";
import { Heap } from "./helpers/heap.js";
import { projectRoot } from "../helpers/shared.js";

/** The event kinds whose `step` can be `S` (a value event's step is `"store" | "load"`, so `Extract` would give `never`). */
type Ev<S extends AbiTraceEvent["step"]> = AbiTraceEvent extends infer E ? (E extends { readonly step: infer K } ? (S extends K ? E : never) : never) : never;
const of = <S extends AbiTraceEvent["step"]>(events: readonly AbiTraceEvent[], step: S): Ev<S>[] => events.filter((e): e is Ev<S> => e.step === step);

function func(params: [string, ValType][], result: ValType | null): FuncType {
  return { kind: "func", params: params.map(([label, type]) => ({ label, type })), result };
}

/** A canon lift over the test heap; the callee stores `(7, "ok")` at a return area it picks. */
function heapCall(trace: AbiTrace | null, encoding: "utf8" | "utf16" = "utf8") {
  const heap = new Heap(1024);
  heap.last_alloc = 16;
  const received: CoreValue[][] = [];
  const postReturned: CoreValue[][] = [];
  const ft = func([["a", T.string], ["b", T.list(T.u16)]], T.tuple([T.u8, T.string]));
  const opts = { memory: { buffer: heap.memory.buffer }, string_encoding: encoding, realloc: heap.realloc, post_return: (r: readonly CoreValue[]) => { postReturned.push([...r]); } } as const;
  const callee = (flat: readonly CoreValue[]): CoreValue[] => {
    received.push([...flat]);
    const area = 512; // tuple<u8, string>: u8 @0, string (ptr, len) @4
    heap.memory[area] = 7;
    const text = encoding === "utf8" ? [0x6f, 0x6b] : [0x6f, 0, 0x6b, 0];
    heap.memory.set(text, 600);
    new DataView(heap.memory.buffer).setUint32(area + 4, 600, true);
    new DataView(heap.memory.buffer).setUint32(area + 8, 2, true);
    return [area];
  };
  const result = canon_lift(opts, new ComponentInstanceState(), ft, callee, ["héllo", [1, 2, 65535]], undefined, trace);
  return { heap, received, postReturned, result };
}

test("heap call: realloc events are the heap's realloc calls, value bytes are the heap's bytes", () => {
  const trace = new AbiTrace();
  const { heap, received, postReturned, result } = heapCall(trace);
  assert.equal(result, [7, "ok"]);
  const reallocs = of(trace.events, "realloc");
  assert.equal(reallocs.map((r) => [r.originalPtr, r.originalSize, r.alignment, r.newSize]), heap.calls);
  assert.ok(reallocs.every((r) => r.result !== null && r.fuel === null), "no fuel source: fuel is null, results are recorded");
  for (const e of [...of(trace.events, "store"), ...of(trace.events, "load")]) {
    assert.equal(e.bytes, Array.from(heap.memory.subarray(e.address, e.address + e.size)), `bytes of ${e.path}`);
    assert.ok(e.complete, e.path);
  }
  // the callee received exactly the recorded flat arguments
  const flat = of(trace.events, "flat-args")[0]!;
  assert.equal(flat.values, received[0]!.map((v) => `i32 ${String(v)}`));
  assert.equal(postReturned, [[512]]);
  // "héllo" is 6 UTF-8 bytes, copied by the spec's utf16->utf8 transcoding (realloc 5, grow to 15, shrink to 6)
  const strings = of(trace.events, "range").filter((r) => r.what === "string" && r.phase === "lower");
  assert.equal(strings.map((r) => [r.path, r.length]), [["a", 6]]);
  assert.equal(strings[0]!.bytes, Array.from(new TextEncoder().encode("héllo")));
  assert.equal(heap.calls.map((c) => c[3]).slice(0, 3), [5, 15, 6]);
  const listRange = of(trace.events, "range").find((r) => r.path === "b")!;
  assert.equal([listRange.length, listRange.bytes], [6, [1, 0, 2, 0, 255, 255]]);
  // lifting: the return pointer, then the tuple's elements under `result`
  const rp = of(trace.events, "return-pointer")[0]!;
  assert.equal([rp.address, rp.size, rp.alignment], [512, 12, 4]);
  assert.equal(of(trace.events, "load").map((e) => [e.path, e.type, e.value]), [["result.0", "u8", "7"], ["result.1", "string", '"ok"']]);
  assert.equal(trace.events.map((e) => e.step).slice(-2), ["post-return", "call-end"]);
  assert.equal(trace.events.map((e) => e.seq), trace.events.map((_, i) => i));
});

test("heap call: tracing changes neither the memory, the realloc calls nor the result", () => {
  const a = heapCall(null), b = heapCall(new AbiTrace());
  assert.equal(Array.from(a.heap.memory), Array.from(b.heap.memory));
  assert.equal(a.heap.calls, b.heap.calls);
  assert.equal(a.result, b.result);
  assert.equal(a.received, b.received);
});

test("heap call, utf16: the string range is two bytes per code unit", () => {
  const trace = new AbiTrace();
  const { result } = heapCall(trace, "utf16");
  assert.equal(result, [7, "ok"]);
  const lowered = of(trace.events, "range").find((r) => r.what === "string" && r.phase === "lower")!;
  assert.equal(lowered.length, 10);
  const lifted = of(trace.events, "range").find((r) => r.what === "string" && r.phase === "lift")!;
  assert.equal([lifted.address, lifted.length, lifted.bytes], [600, 4, [0x6f, 0, 0x6b, 0]]);
});

test("more than MAX_FLAT_PARAMS flat values: the parameters are stored in a realloc'd tuple", () => {
  const heap = new Heap(256);
  heap.last_alloc = 8;
  const params: [string, ValType][] = Array.from({ length: 17 }, (_, i) => [`p${i}`, T.u32] as [string, ValType]);
  const ft = func(params, T.u32);
  const trace = new AbiTrace();
  let got: readonly CoreValue[] = [];
  const r = canon_lift({ memory: { buffer: heap.memory.buffer }, string_encoding: "utf8", realloc: heap.realloc, post_return: null }, new ComponentInstanceState(), ft,
    (flat) => { got = flat; return [42]; }, params.map((_, i) => i * 3), undefined, trace);
  assert.is(r, 42);
  const begin = of(trace.events, "call-begin")[0]!;
  assert.ok(begin.paramsInMemory && !begin.resultsInMemory);
  assert.equal(begin.coreParams, ["i32"]);
  const range = of(trace.events, "range")[0]!;
  assert.equal([range.what, range.address, range.length], ["params", 8, 68]);
  assert.equal(got, [8]);
  const stores = of(trace.events, "store");
  assert.equal(stores.map((s) => s.path), params.map(([l]) => l));
  assert.equal(stores[16]!.address, 8 + 64);
  assert.equal(stores[16]!.bytes, [48, 0, 0, 0]);
  // a flat result: no return pointer, no load events
  assert.equal(of(trace.events, "return-pointer").length + of(trace.events, "load").length, 0);
});

test("a trace stops recording at maxEvents and counts the rest", () => {
  const trace = new AbiTrace({ maxEvents: 5 });
  heapCall(trace);
  assert.is(trace.events.length, 5);
  assert.ok(trace.dropped > 0);
  assert.equal(trace.toJSON().dropped, trace.dropped);
});

// ---- the uppercase guest through BatchComponent

const fixture = (name: string) => readFileSync(join(projectRoot, "fixtures", name, "component.wasm"));
const inputsText = readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/inputs.json"), "utf8");
const inputs = batchInputsFromWitJson(inputsText);

test("uppercase guest: paths, realloc sequence, fuel adding up, same outputs as untraced", () => {
  const guest = BatchComponent.fromComponentBytes(fixture("uppercase-guest"));
  const plain = guest.invokeWithReport(inputs);
  const trace = new AbiTrace();
  const traced = guest.invokeWithReport(inputs, { trace });
  assert.is(traced.error, undefined);
  assert.equal(traced.outputs, plain.outputs);
  assert.is(traced.fuelConsumed, plain.fuelConsumed);
  const ev = trace.events;
  const paths = new Set([...of(ev, "store"), ...of(ev, "load")].map((e) => e.path));
  for (const p of ["inputs[0].packets[1].metadata.route.source?.node-id", "inputs[0].packets[0].payload<bytes>", "result", "result<ok>[0].packets[1].payload<bytes>"]) {
    assert.ok(paths.has(p), `path ${p}`);
  }
  // a variant's discriminant check is recorded with its load
  const source = of(ev, "load").find((e) => e.path === "result<ok>[0].packets[0].metadata.route.source")!;
  assert.equal([source.value, source.bytes, source.checks], ["some", [1], ["T9 discriminant 1 < 2 cases"]]);
  // one realloc per list and string of the inputs, in input order: the outer list first
  const reallocs = of(ev, "realloc");
  assert.equal(reallocs[0]!.path, "inputs");
  assert.equal([reallocs[0]!.alignment, reallocs[0]!.newSize], [4, 16]);
  assert.ok(reallocs.every((r) => r.fuel !== null && r.fuel > 0 && r.result !== null && r.result % r.alignment === 0));
  const json = JSON.parse(inputsText) as { packets: unknown[] }[];
  const expectedAllocs = 1 + json.length * 2 + json.reduce((n, b) => n + b.packets.length * 8, 0); // port list; per batch port-id + packets; per packet 7 strings + bytes
  assert.is(reallocs.length, expectedAllocs);
  // fuel: the steps' fuel adds up to the call's (the snapshot's start fuel is charged up front)
  const end = of(ev, "call-end")[0]!;
  assert.is(end.fuel, traced.fuelConsumed);
  const core = of(ev, "core-call")[0]!, post = of(ev, "post-return")[0]!;
  const stepFuel = reallocs.reduce((n, r) => n + (r.fuel ?? 0), 0) + (core.fuel ?? 0) + (post.fuel ?? 0);
  assert.is(stepFuel + (guest.startFuel ?? 0), traced.fuelConsumed);
  // string contents written while lowering are the inputs' UTF-8
  const msg = of(ev, "range").find((r) => r.phase === "lower" && r.path === "inputs[0].packets[0].metadata.message-id")!;
  assert.equal(new TextDecoder().decode(Uint8Array.from(msg.bytes)), "msg-1");
  // flat args: (pointer, length) of the outer list
  assert.equal(of(ev, "flat-args")[0]!.values, [`i32 ${reallocs[0]!.result}`, `i32 ${json.length}`]);
  // the outputs' bytes payload as lifted: uppercase
  const out = of(ev, "range").find((r) => r.phase === "lift" && r.path === "result<ok>[0].packets[0].payload<bytes>")!;
  assert.equal(new TextDecoder().decode(Uint8Array.from(out.bytes)), "HELLO FROM WASM");
});

test("uppercase guest: the text form's hex dump shows the annotated values' bytes", () => {
  const guest = BatchComponent.fromComponentBytes(fixture("uppercase-guest"));
  const trace = new AbiTrace();
  guest.invokeWithReport(inputs, { trace });
  const text = renderAbiTrace(trace.toJSON());
  const store = of(trace.events, "store").find((e) => e.path === "inputs[0].packets[0].metadata.execution.attempt")!;
  const row = store.address - (store.address % 16);
  const line = text.split("\n").find((l) => l.startsWith(`  0x${row.toString(16).padStart(8, "0")}`));
  assert.ok(line !== undefined, "the row of the attempt field is dumped");
  const col = store.address % 16;
  const cells = line!.slice(14).replace("  ", " ").trim().split(/\s+/);
  assert.equal(cells.slice(col, col + 4), ["01", "00", "00", "00"]);
  assert.match(text, `^ 0x${store.address.toString(16)} inputs[0].packets[0].metadata.execution.attempt: u32 = 1`);
  assert.match(text, "-- lowering the arguments");
  assert.match(text, "-- lifting the results");
  // the memory map gives a hovered byte its innermost value
  const map = memoryMap(trace.events, "lower");
  assert.equal(map.get(store.address + 1)?.path, "inputs[0].packets[0].metadata.execution.attempt");
  assert.equal(map.get(store.address + 1)?.value, "1");
});

test("an AbiTrace option of the wrong kind is refused by name", () => {
  const guest = BatchComponent.fromComponentBytes(fixture("uppercase-guest"));
  const r = guest.invokeWithReport(inputs, { trace: {} as AbiTrace });
  assert.ok(r.error instanceof PureflowError);
  assert.match(r.error!.message, "options.trace");
});

test("ComponentFunction.call: a trace option that is not an AbiTrace is an InvalidArgumentError; a real one records the call", () => {
  const f = instantiateComponent(Component.fromBytes(fixture("uppercase-guest"))).getExport(["pureflow:batch/batch@0.1.0", "invoke"]);
  assert.throws(() => f.call([[]], { trace: { events: [] } as unknown as AbiTrace }), (e: unknown) => e instanceof InvalidArgumentError && /options\.trace/.test((e as Error).message));
  const trace = new AbiTrace();
  assert.equal(f.call([[]], { trace }), { tag: "ok", value: [{ "port-id": "out", packets: [] }] });
  const steps = trace.events.map((e) => e.step);
  // the spec's store_list_into_range calls realloc even for an empty list (new size 0)
  assert.equal(steps.slice(0, 6), ["call-begin", "realloc", "range", "flat-args", "core-call", "return-pointer"]);
  assert.equal(steps.slice(-2), ["post-return", "call-end"]);
  const r = of(trace.events, "realloc")[0]!;
  assert.equal([r.path, r.originalPtr, r.originalSize, r.alignment, r.newSize], ["inputs", 0, 0, 4, 0]);
  assert.equal(of(trace.events, "flat-args")[0]!.values[1], "i32 0");
});

// ---- hostile guests: where and why the trap fires

interface TrapCase { fixture: string; rule: string | null; code: string; phase: string; path: string }
const TRAPS: TrapCase[] = [
  { fixture: "invalid-utf8", rule: "T5", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].packets[0].metadata.message-id" },
  { fixture: "misaligned-list", rule: "T7", code: "canonical-abi-trap", phase: "lift", path: "result<ok>" },
  { fixture: "list-out-of-bounds", rule: "T8", code: "canonical-abi-trap", phase: "lift", path: "result<ok>" },
  { fixture: "huge-list", rule: "T6", code: "canonical-abi-trap", phase: "lift", path: "result<ok>" },
  { fixture: "huge-bytes", rule: "T8", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].packets[0].payload<bytes>" },
  { fixture: "huge-string", rule: "T2", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].port-id" },
  { fixture: "string-out-of-bounds", rule: "T4", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].packets[0].metadata.message-id" },
  { fixture: "empty-string-out-of-bounds", rule: "T4", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].packets[0].metadata.message-id" },
  { fixture: "bad-result-discriminant", rule: "T9", code: "canonical-abi-trap", phase: "lift", path: "result" },
  { fixture: "bad-payload-discriminant", rule: "T9", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].packets[0].payload" },
  { fixture: "bad-option-discriminant", rule: "T9", code: "canonical-abi-trap", phase: "lift", path: "result<ok>[0].packets[0].metadata.route.source" },
  { fixture: "misaligned-return-pointer", rule: "T10", code: "canonical-abi-trap", phase: "lift", path: "" },
  { fixture: "return-pointer-out-of-bounds", rule: "T10", code: "canonical-abi-trap", phase: "lift", path: "" },
  { fixture: "realloc-misaligned", rule: "T12", code: "canonical-abi-trap", phase: "lower", path: "inputs" },
  { fixture: "realloc-out-of-bounds", rule: "T12", code: "canonical-abi-trap", phase: "lower", path: "inputs" },
  { fixture: "realloc-trap", rule: null, code: "guest-trap", phase: "lower", path: "inputs" },
  { fixture: "trap", rule: null, code: "guest-trap", phase: "call", path: "" },
  { fixture: "post-return-trap", rule: null, code: "guest-trap", phase: "post-return", path: "" },
];

for (const c of TRAPS) {
  test(`hostile ${c.fixture}: the trace shows ${c.rule ?? c.code} during ${c.phase}${c.path === "" ? "" : ` at ${c.path}`}`, () => {
    const guest = BatchComponent.fromComponentBytes(fixture(`hostile/${c.fixture}`), { limits: ExecutionLimits.default().withFuel(5_000_000) });
    const trace = new AbiTrace();
    const r = guest.invokeWithReport(inputs, { trace });
    assert.ok(r.error !== undefined, "the call fails");
    const last = trace.events[trace.events.length - 1]!;
    assert.is(last.step, "trap", "the trap is the last step");
    const t = last as Ev<"trap">;
    assert.equal([t.rule, t.code, t.phase, t.path], [c.rule, c.code, c.phase, c.path]);
    // the error the host reports is the one traced
    assert.ok(r.error!.message.includes(t.message), `${r.error!.message} includes ${t.message}`);
    if (c.path !== "" && c.phase === "lift") {
      const open = [...of(trace.events, "load")].filter((e) => !e.complete).map((e) => e.path);
      assert.is(open[open.length - 1], c.path, "the innermost incomplete value is where the trap fired");
    }
    if (c.fixture === "realloc-trap") assert.is(of(trace.events, "realloc")[0]!.result, null);
    assert.match(renderAbiTrace(trace.toJSON()), `TRAP${c.rule === null ? "" : ` ${c.rule}`} (${c.code})`);
  });
}

test.run();
