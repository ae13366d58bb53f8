/**
 * Linking and calling components end to end, with the core modules running on Node's own
 * WebAssembly through the test engine (the interpreter-backed run is in
 * `interpreter-e2e.test.ts`): the uppercase-like guest gives the shared expected outputs; the
 * batch binding finds and type-checks `invoke`; imports are refused naming each import; the
 * static checks of `canon lift` (core signature, realloc/post-return signatures, required and
 * duplicated options) fail with link errors.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { Component, instantiateComponent } from "../../canonical-abi/component.js";
import { ComponentImportNotAllowedError, ComponentLinkError, ExportTypeMismatchError, MissingExportError, UnsupportedComponentFeatureError } from "../../canonical-abi/errors.js";
import { BatchBinding } from "../../src/batch/binding.js";
import type { WitPortBatch } from "../../src/batch/wit-types.js";
import { sharedDirOrSkip, testOrSkip } from "../helpers/shared.js";
import { BATCH_WIT, buildComponent, guestWat } from "./helpers/build.js";
import { nodeEngine } from "./helpers/node-engine.js";
import { batchGuest } from "./helpers/guests.js";
import { fromWitJson, metadata } from "./helpers/wit-json.js";

const upperBytes = await buildComponent(guestWat("uppercase.wat"), BATCH_WIT, "pureflow-node");
const upper = Component.fromBytes(upperBytes, { engine: nodeEngine });
const binding = BatchBinding.fromComponent(upper);
const enc = (s: string) => new TextEncoder().encode(s);

const vectors = sharedDirOrSkip("notes/pureflow-data", "uppercase test vectors");
testOrSkip(vectors)("uppercase guest: shared inputs.json gives expected-outputs.json", () => {
  const dir = vectors as string;
  const inputs = fromWitJson(JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8")));
  const expected = fromWitJson(JSON.parse(readFileSync(join(dir, "expected-outputs.json"), "utf8")));
  const r = binding.invoke(inputs, undefined as never);
  assert.equal(r, { ok: true, value: expected });
});

test("uppercase guest: several ports, empty inputs, control payload", () => {
  const inputs: WitPortBatch[] = [
    { portId: "a", packets: [{ metadata: metadata("1"), payload: { kind: "bytes", bytes: enc("abc-xyz") } }] },
    { portId: "b", packets: [] },
    { portId: "c", packets: [{ metadata: { ...metadata("2"), route: { source: null, target: { nodeId: "n", portId: "p" } } }, payload: { kind: "bytes", bytes: enc("") } }] },
  ];
  const r = binding.invoke(inputs, undefined as never);
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.is(r.value.length, 1);
  assert.is(r.value[0].portId, "out");
  assert.equal(r.value[0].packets.map((p) => p.payload), [{ kind: "bytes", bytes: enc("ABC-XYZ") }, { kind: "bytes", bytes: enc("") }]);
  assert.equal(r.value[0].packets[1].metadata.route.source, null);
  assert.equal(binding.invoke([], undefined as never), { ok: true, value: [{ portId: "out", packets: [] }] });
  const ctl = binding.invoke([{ portId: "in", packets: [{ metadata: metadata("3"), payload: { kind: "control", json: "{}" } }] }], undefined as never);
  assert.equal(ctl, { ok: false, error: { kind: "unsupported-payload", message: "uppercase guest accepts only bytes payloads" } });
});

test("a 1 MiB bytes payload round-trips", () => {
  const big = new Uint8Array(1 << 20);
  for (let i = 0; i < big.length; i++) big[i] = 97 + (i % 26);
  const t0 = performance.now();
  const r = binding.invoke([{ portId: "in", packets: [{ metadata: metadata("big"), payload: { kind: "bytes", bytes: big } }] }], undefined as never);
  const ms = performance.now() - t0;
  assert.ok(r.ok);
  if (!r.ok) return;
  const out = (r.value[0].packets[0].payload as { bytes: Uint8Array }).bytes;
  assert.is(out.length, big.length);
  assert.is(out[0], 65);
  assert.is(out[big.length - 1], 65 + ((big.length - 1) % 26));
  console.log(`\n# 1 MiB list<u8> invoke on Node's engine (ABI + guest loop): ${ms.toFixed(1)} ms`);
});

test("export lookup: missing interface, missing function, not a function", async () => {
  const inst = instantiateComponent(upper);
  assert.throws(() => inst.getExport(["nope"]), (e: unknown) => e instanceof MissingExportError && /component does not export nope/.test((e as Error).message));
  assert.throws(() => inst.getExport(["pureflow:batch/batch@0.1.0", "nope"]), (e: unknown) => e instanceof MissingExportError);
  const otherWit = BATCH_WIT.replace("package pureflow:batch@0.1.0;", "package pureflow:other@0.1.0;");
  const other = Component.fromBytes(await buildComponent(guestWat("uppercase.wat").replaceAll("pureflow:batch/", "pureflow:other/"), otherWit, "pureflow-node"), { engine: nodeEngine });
  assert.throws(() => BatchBinding.fromComponent(other), (e: unknown) => e instanceof MissingExportError && (e as Error).message === "component does not export pureflow:batch/batch@0.1.0");
  const renamedWit = BATCH_WIT.replace("invoke: func", "run: func");
  const renamed = Component.fromBytes(await buildComponent(guestWat("uppercase.wat").replaceAll("#invoke", "#run"), renamedWit, "pureflow-node"), { engine: nodeEngine });
  assert.throws(() => BatchBinding.fromComponent(renamed), (e: unknown) => e instanceof MissingExportError && (e as Error).message === "component does not export batch.invoke");
});

test("a guest built for another WIT version fails the type check naming the first difference", async () => {
  const wit = BATCH_WIT.replace("attempt: u32", "attempt: u64");
  const bytes = await buildComponent(guestWat("uppercase.wat"), wit, "pureflow-node").catch(() => null);
  // the core signature does not depend on attempt's width inside a list, so this builds
  assert.ok(bytes !== null);
  const c = Component.fromBytes(bytes!, { engine: nodeEngine });
  try {
    BatchBinding.fromComponent(c);
    assert.unreachable("should not bind");
  } catch (e) {
    assert.instance(e, ExportTypeMismatchError);
    const m = e as ExportTypeMismatchError;
    assert.is(m.path, "invoke.param(inputs).list.record(port-batch).field(packets).list.record(packet).field(metadata).record(message-metadata).field(execution).record(execution).field(attempt)");
    assert.is(m.expected, "u32");
    assert.is(m.found, "u64");
  }
  const wit2 = BATCH_WIT.replace("variant batch-error { guest-failure(string), unsupported-payload(string) }", "variant batch-error { guest-failure(string), unsupported(string) }");
  const c2 = Component.fromBytes(await buildComponent(guestWat("uppercase.wat"), wit2, "pureflow-node"), { engine: nodeEngine });
  assert.throws(() => BatchBinding.fromComponent(c2), (e: unknown) => e instanceof ExportTypeMismatchError && /invoke\.result\.result\.err: expected variant batch-error \{ guest-failure, unsupported-payload \}, found variant batch-error \{ guest-failure, unsupported \}/.test((e as Error).message));
});

test("a component that imports anything is refused, naming each import", async () => {
  const wit = `package test:imp;
interface host { log: func(msg: string); }
world w { import host; import clock: func() -> u64; export f: func(); }`;
  const wat = `(module
    (import "test:imp/host" "log" (func (param i32 i32)))
    (import "$root" "clock" (func (result i64)))
    (memory (export "memory") 1)
    (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 0))
    (func (export "f")))`;
  const c = Component.fromBytes(await buildComponent(wat, wit, "w"), { engine: nodeEngine });
  try {
    instantiateComponent(c);
    assert.unreachable("should refuse");
  } catch (e) {
    assert.instance(e, ComponentImportNotAllowedError);
    assert.equal([...(e as ComponentImportNotAllowedError).imports].sort(), ["clock", "test:imp/host"]);
    assert.match((e as Error).message, /`test:imp\/host`/);
  }
});

async function linkError(text: string, re: RegExp) {
  const bytes = await parse(text);
  try {
    Component.fromBytes(bytes, { engine: nodeEngine });
    assert.unreachable(`should not link: ${re}`);
  } catch (e) {
    if (!(e instanceof ComponentLinkError)) throw e;
    assert.match((e as Error).message, re);
  }
}

const core = `(core module $m
    (memory (export "mem") 1)
    (func (export "f") (param i32 i32) (result i32) i32.const 0)
    (func (export "g") (param i32))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (func (export "bad-realloc") (param i32 i32 i32) (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (alias core export $i "f" (core func $f))
  (alias core export $i "g" (core func $g))
  (alias core export $i "realloc" (core func $realloc))
  (alias core export $i "bad-realloc" (core func $bad-realloc))`;

test("static checks of canon lift", async () => {
  await linkError(`(component ${core} (func (param "x" u32) (result u32) (canon lift (core func $f))))`, /has type \(func \(param i32 i32\) \(result i32\)\) but flatten_functype gives \(func \(param i32\) \(result i32\)\)/);
  await linkError(`(component ${core} (func (param "s" string) (result u32) (canon lift (core func $f) (memory $mem))))`, /`realloc` option is required/);
  await linkError(`(component ${core} (func (param "s" string) (result u32) (canon lift (core func $f) (realloc $realloc))))`, /requires the `memory` option/);
  await linkError(`(component ${core} (func (param "s" string) (result u32) (canon lift (core func $f) (memory $mem) (realloc $bad-realloc))))`, /realloc must have type \(func \(param i32 i32 i32 i32\) \(result i32\)\)/);
  await linkError(`(component ${core} (func (param "s" string) (result u32) (canon lift (core func $f) (memory $mem) (realloc $realloc) (post-return $f))))`, /post-return must have type \(func \(param i32\)\)/);
  await linkError(`(component ${core} (func (param "s" string) (result u32) (canon lift (core func $f) (memory $mem) (memory $mem) (realloc $realloc))))`, /`memory` given more than once/);
  await linkError(`(component ${core} (func (param "s" string) (result u32) (canon lift (core func $f) (memory $mem) (realloc $realloc) string-encoding=utf8 string-encoding=utf16)))`, /`string-encoding` given more than once/);
  await linkError(`(component ${core} (func (param "a" u32) (param "b" u32) (result string) (canon lift (core func $f))))`, /`memory` option is required/);
  await linkError(`(component ${core} (alias core export $i "nope" (core func)))`, /no export named `nope`/);
  await linkError(`(component ${core} (alias core export $i "mem" (core func)))`, /is a core memory, not a core func/);
  // and the good one links
  const ok = await parse(`(component ${core} (func (export "h") (param "s" string) (result u32) (canon lift (core func $f) (memory $mem) (realloc $realloc) (post-return $g))))`);
  const c = Component.fromBytes(ok, { engine: nodeEngine });
  assert.is(c.toWit(), "export h: func(s: string) -> u32;");
});

test("a 64-bit memory in the canonical options is refused, naming it and where", async () => {
  const b = await parse(`(component
    (core module $m (memory (export "mem") i64 1) (func (export "f") (param i32 i32) (result i32) i32.const 0) (func (export "r") (param i32 i32 i32 i32) (result i32) i32.const 0))
    (core instance $i (instantiate $m))
    (alias core export $i "mem" (core memory $mem))
    (alias core export $i "f" (core func $f))
    (alias core export $i "r" (core func $r))
    (func (param "s" string) (result u32) (canon lift (core func $f) (memory $mem) (realloc $r))))`);
  // a stub engine: the static check comes before any core compile matters
  assert.throws(() => Component.fromBytes(b, { engine: { ...nodeEngine, compile: () => ({}) } }),
    (e: unknown) => e instanceof UnsupportedComponentFeatureError && /64-bit memory \(memory64\) in the `memory` canonical option \(at byte offset \d+\)/.test((e as Error).message));
});

test("WIT rendering of the batch component", () => {
  const wit = upper.toWit();
  assert.match(wit, /^export pureflow:batch\/batch@0\.1\.0: interface \{/);
  assert.match(wit, /record port-batch \{\n    port-id: string,\n    packets: list<packet>,\n  \}/);
  assert.match(wit, /invoke: func\(inputs: list<port-batch>\) -> result<list<port-batch>, batch-error>;/);
  assert.is(upper.coreModules.length, 1);
  assert.ok(upper.coreModules[0].exports.some((e) => e.name === "cabi_realloc"));
});

test("each instantiation is fresh; a batch guest built from the template also works", async () => {
  const c = Component.fromBytes(await batchGuest({ data: [[16, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]] }), { engine: nodeEngine });
  const b = BatchBinding.fromComponent(c);
  assert.equal(b.invoke([], undefined as never), { ok: true, value: [] });
});

test.run();
