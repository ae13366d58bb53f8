/**
 * API misuse of the Pureflow host (`src/index.ts`): every public function, constructor and
 * method called with wrong argument types and values gets a `PureflowError` with its code whose
 * message names the argument (`PureflowError.argument`), never a raw TypeError/RangeError, a
 * hang or an exception escaping into a timer; `invokeWithReport` never throws; the same
 * `BatchComponent` still serves a good call afterwards. Each table row names the argument the
 * error must name; fast-check properties throw arbitrary JS values at every argument.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import {
  BatchComponent, BatchInputs, CancellationHandle, CancellationToken, ExecutionLimits, NodeCapabilities, PortBatches, PureflowError,
  batchInputsFromWitJson, batchOutputsFromWitJson, batchesToWitJson, fromWitPortBatches, guestErrorToPureflowError, identifierProblem,
  liftedOutputBytes, parseControlJson, stringifyControlJson, toWitPortBatches, validateIdentifier, validateWasmCapabilities,
  type InvokeOptions, type JsonValue, type PortPacket,
} from "../../src/index.js";
import { fixtureBytes, packet, bytes, testdata } from "../host/guests.js";
import { SEED, WRONG, anyValue, rejectsTyped, throwsTyped, typedOrOk, wrongExcept } from "./misuse.js";

const any = (v: unknown): never => v as never;
const upperBytes = fixtureBytes("uppercase-guest");
const upper = BatchComponent.fromComponentBytes(upperBytes);
const goodInputs = (): BatchInputs => batchInputsFromWitJson(testdata("inputs.json"));
const expectedOutputs = JSON.parse(testdata("expected-outputs.json")) as unknown;
/** Names of the wrong values that are objects (accepted where any options object is). */
const OBJECTS = ["empty object", "null-prototype object", "cyclic object", "Uint8Array", "Int32Array", "ArrayBuffer", "Date", "Map", "boxed number"];
let checked = 0;

function row(f: () => unknown, code: string, argument: string | undefined, what: string, message?: RegExp): void {
  throwsTyped(f, { code, argument, message }, what);
  checked++;
}

function stillServes(guest: BatchComponent = upper): void {
  assert.equal(batchesToWitJson(guest.invoke(goodInputs())), expectedOutputs, "the component still serves a good call");
}

test("BatchComponent constructors: bytes, options, limits, capabilities", () => {
  // any BufferSource is accepted (Uint8Array, ArrayBuffer from fetch().arrayBuffer(), other typed arrays), as WebAssembly.Module accepts
  for (const [n, v] of wrongExcept("Uint8Array", "Int32Array", "ArrayBuffer")) row(() => BatchComponent.fromComponentBytes(any(v)), "CDT-EXEC-001", "bytes", `fromComponentBytes(${n})`);
  row(() => BatchComponent.fromComponentBytes(new Uint8Array(2)), "CDT-EXEC-001", undefined, "fromComponentBytes(2 bytes)", /^failed to compile component: not a WebAssembly binary/);
  for (const [n, v] of wrongExcept("undefined", ...OBJECTS)) row(() => BatchComponent.fromComponentBytes(upperBytes, any(v)), "CDT-EXEC-001", "options", `options ${n}`);
  for (const [n, v] of wrongExcept("undefined")) {
    row(() => BatchComponent.fromComponentBytes(upperBytes, { limits: any(v) }), "CDT-EXEC-001", "options.limits", `options.limits ${n}`);
    row(() => BatchComponent.fromComponentBytesWithLimits(upperBytes, any(v)), "CDT-EXEC-001", "limits", `fromComponentBytesWithLimits(bytes, ${n})`);
    row(() => BatchComponent.fromComponentBytesWithCapabilitiesAndLimits(upperBytes, NodeCapabilities.create({ node: "n" }), any(v)), "CDT-EXEC-001", "limits", `...AndLimits(limits ${n})`);
  }
  // a limits look-alike is not an ExecutionLimits
  row(() => BatchComponent.fromComponentBytes(upperBytes, { limits: any({ fuel: 10, cancellationCheckInterval: 1, maxMemoryPages: 1, maxOutputBytes: 1 }) }), "CDT-EXEC-001", "options.limits", "limits look-alike");
  for (const [n, v] of wrongExcept(...OBJECTS)) {
    if (v === undefined) continue;
    row(() => BatchComponent.fromComponentBytes(upperBytes, { capabilities: any(v) }), "CDT-VAL-002", "options.capabilities", `options.capabilities ${n}`);
    row(() => BatchComponent.fromComponentBytesWithCapabilities(upperBytes, any(v)), "CDT-VAL-002", "capabilities", `fromComponentBytesWithCapabilities(bytes, ${n})`);
  }
  row(() => BatchComponent.fromComponentBytes(upperBytes, { capabilities: any({ node: 5 }) }), "CDT-VAL-002", "options.capabilities.node", "capabilities node 5");
  row(() => BatchComponent.fromComponentBytes(upperBytes, { capabilities: any({ node: "n", effects: ["clock"] }) }), "CDT-VAL-002", undefined, "a plain descriptor with an effect", /`Clock` that is not enforceable/);
  // a plain, valid descriptor is accepted as NodeCapabilities would be
  BatchComponent.fromComponentBytes(upperBytes, { capabilities: any({ node: "wasm", receive: ["in"], emit: ["out"] }) });
});

test("ExecutionLimits: every limit refuses non-integers, NaN, fractions, bigints, out-of-range values", () => {
  const cases: [string, (v: number) => unknown, string, number[]][] = [
    ["fuel", (v) => new ExecutionLimits(v), "fuel", [-1, 2 ** 53]],
    ["ExecutionLimits.new", (v) => ExecutionLimits.new(v), "fuel", [-1]],
    ["withFuel", (v) => ExecutionLimits.default().withFuel(v), "fuel", [-1, 2 ** 60]],
    ["withCancellationCheckInterval", (v) => ExecutionLimits.default().withCancellationCheckInterval(v), "cancellationCheckInterval", [0, -0, 2 ** 31]],
    ["withMaxMemoryPages", (v) => ExecutionLimits.default().withMaxMemoryPages(v), "maxMemoryPages", [65537]],
    ["withMaxOutputBytes", (v) => ExecutionLimits.default().withMaxOutputBytes(v), "maxOutputBytes", [-1]],
  ];
  for (const [name, f, argument, extra] of cases) {
    const wrong = wrongExcept("0", "-0").filter(([n]) => !(n === "undefined" && name === "fuel"));
    for (const [n, v] of wrong) row(() => f(any(v)), "CDT-EXEC-001", argument, `${name}(${n})`);
    for (const v of extra) row(() => f(v), "CDT-EXEC-001", argument, `${name}(${v})`);
  }
  assert.is(new ExecutionLimits().fuel, 100_000_000);
  assert.is(ExecutionLimits.default().withFuel(0).fuel, 0);
  // arbitrary values: an ExecutionLimits or a typed error
  fc.assert(fc.property(anyValue, anyValue, anyValue, anyValue, (a, b, c, d) => {
    typedOrOk(() => new ExecutionLimits(any(a), any(b), any(c), any(d)), "new ExecutionLimits(...)");
  }), { seed: SEED, numRuns: 300 });
});

test("CancellationToken and CancellationHandle: probe, signal, flag, index, reason", () => {
  for (const [n, v] of wrongExcept("function")) row(() => CancellationToken.custom(any(v)), "CDT-EXEC-001", "probe", `custom(${n})`);
  for (const [n, v] of wrongExcept("undefined", "string", "empty string")) {
    row(() => CancellationToken.cancelled(any(v)), "CDT-EXEC-001", "reason", `cancelled(${n})`);
    row(() => new CancellationHandle().cancel(any(v)), "CDT-EXEC-001", "reason", `handle.cancel(${n})`);
    row(() => CancellationToken.fromSharedFlag(new Int32Array(1), 0, any(v)), "CDT-EXEC-001", "reason", `fromSharedFlag(flag, 0, ${n})`);
  }
  for (const [n, v] of WRONG) row(() => CancellationToken.fromAbortSignal(any(v)), "CDT-EXEC-001", "signal", `fromAbortSignal(${n})`);
  for (const [n, v] of wrongExcept("Int32Array")) row(() => CancellationToken.fromSharedFlag(any(v)), "CDT-EXEC-001", "flag", `fromSharedFlag(${n})`);
  row(() => CancellationToken.fromSharedFlag(new Int32Array(0)), "CDT-EXEC-001", "flag", "fromSharedFlag(empty flag)");
  for (const [n, v] of wrongExcept("undefined", "0", "-0")) row(() => CancellationToken.fromSharedFlag(new Int32Array(2), any(v)), "CDT-EXEC-001", "index", `fromSharedFlag(flag, ${n})`);
  row(() => CancellationToken.fromSharedFlag(new Int32Array(2), 2), "CDT-EXEC-001", "index", "index past the end");
  // a probe that answers junk or throws fails the poll with a typed error
  for (const [n, v] of WRONG) row(() => CancellationToken.custom(() => any(v)).isCancelled(), "CDT-EXEC-001", "probe", `probe answering ${n}`);
  row(() => CancellationToken.custom(() => ({ cancelled: true, reason: any(5) })).reason(), "CDT-EXEC-001", "probe", "probe answering a numeric reason");
  row(() => CancellationToken.custom(() => { throw new TypeError("inner"); }).isCancelled(), "CDT-EXEC-001", undefined, "throwing probe", /probe threw: inner/);
  // the valid forms still work
  assert.is(CancellationToken.cancelled("x").reportedReason(), "x");
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const t = CancellationToken.fromSharedFlag(flag, 1, "flagged");
  assert.is(t.isCancelled(), false);
  Atomics.store(flag, 1, 1);
  assert.is(t.reportedReason(), "flagged");
  const ac = new AbortController();
  ac.abort(Object.create(null));
  assert.is(CancellationToken.fromAbortSignal(ac.signal).reportedReason(), "wasm guest invocation cancelled");
});

test("NodeCapabilities.create and validateWasmCapabilities: wrong shapes are CDT-VAL-002 naming the field", () => {
  for (const [n, v] of wrongExcept(...OBJECTS)) {
    row(() => NodeCapabilities.create(any(v)), "CDT-VAL-002", "init", `create(${n})`);
    row(() => validateWasmCapabilities(any(v)), "CDT-VAL-002", "capabilities", `validateWasmCapabilities(${n})`);
  }
  row(() => NodeCapabilities.create(any({})), "CDT-VAL-002", "init.node", "create({})");
  for (const [n, v] of wrongExcept("string", "empty string")) row(() => NodeCapabilities.create({ node: any(v) }), "CDT-VAL-002", "init.node", `node ${n}`);
  for (const field of ["receive", "emit", "effects"] as const) {
    for (const [n, v] of wrongExcept("undefined", "array", "sparse array", "cyclic array")) {
      row(() => NodeCapabilities.create({ node: "n", [field]: any(v) }), "CDT-VAL-002", `init.${field}`, `${field} ${n}`);
    }
    for (const [n, v] of wrongExcept("string", "empty string")) row(() => NodeCapabilities.create({ node: "n", [field]: any([v]) }), "CDT-VAL-002", `init.${field}[0]`, `${field}[0] ${n}`);
  }
  row(() => NodeCapabilities.create({ node: "n", effects: any(["constructor"]) }), "CDT-VAL-002", undefined, "inherited property name as effect", /unknown effect capability `constructor`/);
  row(() => NodeCapabilities.create({ node: " " }), "CDT-VAL-001", undefined, "blank node id", /node id must not be empty/);
  row(() => validateWasmCapabilities(any({ node: "n", effects: ["clock"] })), "CDT-VAL-002", undefined, "plain descriptor", /`Clock`/);
  validateWasmCapabilities(any({ node: "n", receive: ["in"] }));
});

test("identifiers, control JSON and errors: non-strings and bad kinds are typed", () => {
  for (const [n, v] of wrongExcept("string", "empty string")) {
    row(() => validateIdentifier("port id", any(v)), "CDT-VAL-001", undefined, `validateIdentifier(port id, ${n})`, /^port id must be a string, got /);
    assert.match(identifierProblem("node id", any(v)) ?? "", /^node id must be a string, got /);
    row(() => parseControlJson(any(v)), "CDT-EXEC-001", "text", `parseControlJson(${n})`);
    row(() => new PureflowError("CDT-EXEC-001", any(v)), "CDT-EXEC-001", "message", `new PureflowError(code, ${n})`);
  }
  for (const [n, v] of WRONG) {
    row(() => validateIdentifier(any(v), "a b"), "CDT-EXEC-001", "kind", `validateIdentifier(${n}, ...)`);
    row(() => new PureflowError(any(v), "m"), "CDT-EXEC-001", "code", `new PureflowError(${n}, m)`);
  }
  row(() => identifierProblem(any("Port ID"), "x"), "CDT-EXEC-001", "kind", "identifierProblem(unknown kind)");
  // a syntax error is a PureflowError too (serde's message kept)
  row(() => parseControlJson("{1:2}"), "CDT-EXEC-001", undefined, "syntax error", /^key must be a string at line 1 column 2$/);
  // non-JSON control values: typed, and whatever is written is valid JSON
  const sparse = [1, , 3] as unknown[]; // eslint-disable-line no-sparse-arrays
  const cyclic: Record<string, unknown> = {};
  cyclic.c = cyclic;
  const bad: [string, unknown][] = [
    ["sparse array", sparse], ["cyclic", cyclic], ["NaN", NaN], ["Infinity", Infinity], ["undefined", undefined], ["function", () => 1],
    ["symbol", Symbol("x")], ["bigint 2^64", 2n ** 64n], ["Date", new Date(0)], ["Map", new Map()], ["Uint8Array", new Uint8Array(1)],
    ["lone surrogate", "\ud800"], ["nested undefined", { a: [undefined] }], ["deep", JSON.parse("[".repeat(200) + "]".repeat(200)) as unknown],
  ];
  for (const [n, v] of bad) row(() => stringifyControlJson(any(v)), "CDT-EXEC-001", undefined, `stringifyControlJson(${n})`, /^invalid control payload value: /);
  fc.assert(fc.property(anyValue, (v) => {
    let text: string | undefined;
    if (!typedOrOk(() => { text = stringifyControlJson(any(v)); }, "stringifyControlJson")) JSON.parse(text as string);
  }), { seed: SEED, numRuns: 1000 });
});

test("batch containers and conversions: wrong shapes name the argument", () => {
  for (const [n, v] of WRONG) {
    const expectedArg = v instanceof Uint8Array || v instanceof Int32Array || (Array.isArray(v) && v.length > 0) ? "packets[0]" : "packets";
    if (v instanceof Map || typeof v === "string") {
      if (typeof v === "string") row(() => BatchInputs.fromPackets(any(v)), "CDT-EXEC-001", "packets", `fromPackets(${n})`);
      continue;
    }
    row(() => BatchInputs.fromPackets(any(v)), "CDT-EXEC-001", expectedArg, `fromPackets(${n})`);
  }
  row(() => BatchInputs.fromPackets(any([["p", 5]])), "CDT-EXEC-001", "packets[0][1]", "fromPackets pair with a number packet");
  row(() => BatchInputs.fromPackets(any([[5, {}]])), "CDT-EXEC-001", "packets[0][0]", "fromPackets pair with a number port");
  for (const [n, v] of wrongExcept(...OBJECTS)) row(() => BatchInputs.fromRecord(any(v)), "CDT-EXEC-001", "record", `fromRecord(${n})`);
  row(() => BatchInputs.fromRecord(any({ p: 5 })), "CDT-EXEC-001", 'record["p"]', "fromRecord port of a number");
  row(() => BatchInputs.fromRecord(any({ p: [null] })), "CDT-EXEC-001", 'record["p"][0]', "fromRecord null packet");
  for (const [n, v] of wrongExcept("string", "empty string")) row(() => new BatchInputs().push(any(v), packet("m", bytes("x"))), "CDT-EXEC-001", "port", `push(${n}, packet)`);
  for (const [n, v] of wrongExcept(...OBJECTS)) row(() => new BatchInputs().push("p", any(v)), "CDT-EXEC-001", "packet", `push(p, ${n})`);
  for (const [n, v] of wrongExcept("array", "sparse array", "cyclic array")) row(() => new BatchInputs().setPort("p", any(v)), "CDT-EXEC-001", "packets", `setPort(p, ${n})`);
  for (const [n, v] of WRONG) {
    row(() => batchesToWitJson(any(v)), "CDT-EXEC-001", "batches", `batchesToWitJson(${n})`);
    row(() => toWitPortBatches(any(v)), "CDT-EXEC-001", undefined, `toWitPortBatches(${n})`, /inputs must be a BatchInputs/);
  }
  for (const [n, v] of wrongExcept("array", "sparse array", "cyclic array")) {
    row(() => fromWitPortBatches(any(v)), "CDT-EXEC-001", "batches", `fromWitPortBatches(${n})`);
    row(() => liftedOutputBytes(any(v)), "CDT-EXEC-001", "batches", `liftedOutputBytes(${n})`);
  }
  const wit = toWitPortBatches(goodInputs());
  const broken = (path: (string | number)[], value: unknown): unknown => {
    const copy = structuredClone(wit) as unknown as Record<string | number, unknown>;
    let node: Record<string | number, unknown> = copy;
    for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
    node[path[path.length - 1]] = value;
    return copy;
  };
  const deep: [(string | number)[], unknown, string][] = [
    [[0], null, "batches[0]"], [[0, "portId"], 7, "batches[0].portId"], [[0, "packets"], {}, "batches[0].packets"],
    [[0, "packets", 0, "metadata"], "m", "batches[0].packets[0].metadata"],
    [[0, "packets", 0, "metadata", "execution", "attempt"], 1.5, "batches[0].packets[0].metadata.execution.attempt"],
    [[0, "packets", 0, "metadata", "route", "target"], undefined, "batches[0].packets[0].metadata.route.target"],
    [[0, "packets", 0, "metadata", "route", "source"], 3, "batches[0].packets[0].metadata.route.source"],
    [[0, "packets", 0, "payload", "kind"], "arrow", "batches[0].packets[0].payload.kind"],
    [[0, "packets", 0, "payload", "bytes"], [1, 2], "batches[0].packets[0].payload.bytes"],
  ];
  for (const [path, value, argument] of deep) {
    row(() => fromWitPortBatches(any(broken(path, value))), "CDT-EXEC-001", argument, `fromWitPortBatches with ${argument} broken`);
    row(() => liftedOutputBytes(any(broken(path, value))), "CDT-EXEC-001", argument, `liftedOutputBytes with ${argument} broken`);
  }
  for (const [n, v] of wrongExcept(...OBJECTS)) row(() => guestErrorToPureflowError(any(v)), "CDT-EXEC-001", "error", `guestErrorToPureflowError(${n})`);
  row(() => guestErrorToPureflowError(any({ kind: 1, message: "m" })), "CDT-EXEC-001", "error.kind", "error.kind a number");
  // a batch with a malformed packet cannot be written as JSON either
  row(() => batchesToWitJson(BatchInputs.fromRecord({ p: [any({ metadata: 1, payload: 2 })] })), "CDT-EXEC-001", undefined, "batchesToWitJson(bad packet)", /metadata must be an object/);
});

test("WIT-shaped JSON readers: any value or text gives inputs or a typed error", () => {
  for (const [n, v] of WRONG) {
    typedOrOk(() => batchInputsFromWitJson(v), `batchInputsFromWitJson(${n})`);
    typedOrOk(() => batchOutputsFromWitJson(v), `batchOutputsFromWitJson(${n})`);
  }
  row(() => batchInputsFromWitJson(10n), "CDT-EXEC-001", undefined, "bigint json", /invalid batch JSON at top level: expected an array, found bigint 10n/);
  row(() => batchInputsFromWitJson("[" + "[".repeat(100_000) + "]".repeat(100_000) + "]"), "CDT-EXEC-001", undefined, "deeply nested JSON text", /invalid batch JSON/);
  fc.assert(fc.property(fc.oneof(anyValue, fc.string(), fc.json()), (v) => {
    typedOrOk(() => batchInputsFromWitJson(v), "batchInputsFromWitJson");
  }), { seed: SEED, numRuns: 1000 });
});

test("invoke family: inputs, tokens and options; invokeWithReport never throws; the component keeps serving", async () => {
  const inputs = goodInputs();
  for (const [n, v] of WRONG) row(() => upper.invoke(any(v)), "CDT-EXEC-001", undefined, `invoke(${n})`, /inputs must be a BatchInputs/);
  for (const [n, v] of WRONG) row(() => upper.invokeWithCancellation(inputs, any(v)), "CDT-EXEC-001", "token", `invokeWithCancellation(inputs, ${n})`);
  const reportError = (options: unknown): PureflowError => {
    const r = upper.invokeWithReport(inputs, any(options));
    assert.ok(r.error !== undefined && r.outputs === undefined, "an error report");
    return r.error as PureflowError;
  };
  for (const [n, v] of wrongExcept("undefined", ...OBJECTS)) {
    row(() => { throw reportError(v); }, "CDT-EXEC-001", "options", `invokeWithReport(inputs, ${n})`);
    await rejectsTyped(() => upper.invokeAsync(inputs, any(v)), { code: "CDT-EXEC-001", argument: "options" }, `invokeAsync(inputs, ${n})`);
  }
  for (const [n, v] of wrongExcept("undefined")) {
    row(() => { throw reportError({ token: v }); }, "CDT-EXEC-001", "options.token", `options.token ${n}`);
    row(() => { throw reportError({ signal: v }); }, "CDT-EXEC-001", "options.signal", `options.signal ${n}`);
    await rejectsTyped(() => upper.invokeAsync(inputs, { signal: any(v) }), { code: "CDT-EXEC-001", argument: "options.signal" }, `invokeAsync signal ${n}`);
  }
  for (const [n, v] of wrongExcept("undefined", "function")) {
    await rejectsTyped(() => upper.invokeAsync(inputs, { onProgress: any(v) }), { code: "CDT-EXEC-001", argument: "options.onProgress" }, `onProgress ${n}`);
  }
  for (const [n, v] of wrongExcept("undefined")) {
    await rejectsTyped(() => upper.invokeAsync(inputs, { sliceSteps: any(v) }), { code: "CDT-EXEC-001", argument: "options.sliceSteps" }, `sliceSteps ${n}`);
  }
  // a custom token whose probe throws or answers junk: a typed error in the report, no raw escape
  const throwing = CancellationToken.custom(() => { throw new RangeError("probe broke"); });
  row(() => { throw reportError({ token: throwing }); }, "CDT-EXEC-001", undefined, "throwing probe", /probe threw: probe broke/);
  row(() => upper.invokeWithCancellation(inputs, CancellationToken.custom(() => any(null))), "CDT-EXEC-001", "probe", "junk probe");
  // a probe that fails only while the guest runs (the first poll is fine)
  let polls = 0;
  const late = CancellationToken.custom(() => {
    if (++polls > 1) throw new Error("late failure");
    return { cancelled: false };
  });
  const spin = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.new(5_000_000).withCancellationCheckInterval(1000));
  const spinInputs = BatchInputs.fromRecord({ in: [packet("m", bytes("x"))] });
  const lateReport = spin.invokeWithReport(spinInputs, { token: late });
  assert.instance(lateReport.error, PureflowError, "late probe failure is a PureflowError");
  // the same component still serves a good call
  stillServes();
  checked++;
});

test("onProgress that throws never escapes into the timer; arbitrary options and inputs are typed", async () => {
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown): void => { uncaught.push(e); };
  process.on("uncaughtException", onUncaught);
  try {
    const spin = BatchComponent.fromComponentBytesWithLimits(fixtureBytes("hostile/infinite-loop"), ExecutionLimits.new(40_000_000));
    let calls = 0;
    const report = await spin.invokeAsyncWithReport(BatchInputs.fromRecord({ in: [packet("m", bytes("x"))] }), {
      onProgress: () => { calls++; throw new Error("progress boom"); },
    });
    assert.instance(report.error, PureflowError);
    assert.ok(calls <= 1, `the throwing callback is not called again (${calls} calls)`);
    await new Promise((r) => setTimeout(r, 250));
    assert.is(uncaught.length, 0, "no uncaught exception");
  } finally {
    process.off("uncaughtException", onUncaught);
  }
  // arbitrary options objects and packet shapes
  const optionArb = fc.record({ token: anyValue, signal: anyValue, sliceSteps: anyValue, onProgress: anyValue }, { requiredKeys: [] });
  await fc.assert(fc.asyncProperty(fc.oneof(anyValue, optionArb), async (options) => {
    const r = upper.invokeWithReport(goodInputs(), any(options));
    if (r.error !== undefined) assert.instance(r.error, PureflowError);
    const a = await upper.invokeAsyncWithReport(goodInputs(), any(options));
    if (a.error !== undefined) assert.instance(a.error, PureflowError);
  }), { seed: SEED, numRuns: 150 });
  const packetArb = fc.oneof(
    anyValue,
    fc.record({ metadata: fc.oneof(anyValue, fc.constant(packet("m", bytes("x")).metadata)), payload: anyValue }),
    fc.record({ metadata: fc.constant(packet("m", bytes("x")).metadata), payload: fc.record({ kind: fc.constantFrom("bytes", "control", "arrow"), bytes: anyValue, value: anyValue }) }),
  );
  fc.assert(fc.property(fc.array(packetArb, { maxLength: 3 }), (packets) => {
    typedOrOk(() => upper.invoke(BatchInputs.fromRecord({ in: packets as PortPacket[] })), "invoke(arbitrary packets)");
  }), { seed: SEED, numRuns: 300 });
  // control payloads of any value: typed or delivered as JSON
  fc.assert(fc.property(anyValue, (value) => {
    const p: PortPacket = { ...packet("m", bytes("x")), payload: { kind: "control", value: any(value) as JsonValue } };
    typedOrOk(() => upper.invoke(BatchInputs.fromRecord({ in: [p] })), "invoke(control value)");
  }), { seed: SEED, numRuns: 300 });
  stillServes();
  const options: InvokeOptions = {};
  assert.equal(batchesToWitJson(await upper.invokeAsync(goodInputs(), options)), expectedOutputs);
  assert.ok(PortBatches !== undefined);
  console.log(`# host API misuse: ${checked} table rows checked (each a typed error naming its argument), plus fast-check properties`);
});

test.run();
