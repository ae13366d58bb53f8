/**
 * The component binary decoder: a jco-built batch component decodes to the shape
 * wit-component emits; truncated and corrupted versions always fail with a `ComponentError`
 * (never a raw exception); core modules, bad preambles and unsupported features are refused
 * with the right class, naming what was met and where.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { decodeComponent } from "../../canonical-abi/binary/decode.js";
import { Component } from "../../canonical-abi/component.js";
import {
  ComponentError, MalformedComponentError, NotAComponentError, UnsupportedComponentFeatureError,
} from "../../canonical-abi/errors.js";
import { BATCH_WIT, buildComponent, guestWat } from "./helpers/build.js";
import { component, leb, MODULE_PREAMBLE, section, sleb, str } from "./helpers/bytes.js";
import { nodeEngine } from "./helpers/node-engine.js";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";

const upper = await buildComponent(guestWat("uppercase.wat"), BATCH_WIT, "pureflow-node");

function throwsClass(f: () => unknown, cls: new (...a: never[]) => Error, pattern?: RegExp): Error {
  try {
    f();
  } catch (e) {
    assert.instance(e, cls, `expected ${cls.name}, got ${String(e)}`);
    if (pattern) assert.match((e as Error).message, pattern);
    return e as Error;
  }
  assert.unreachable(`expected ${cls.name}`);
  throw new Error("unreachable");
}

test("a jco-built batch component decodes to wit-component's shape", () => {
  const ast = decodeComponent(upper);
  const kinds = ast.definitions.map((d) => d.kind);
  assert.is(kinds.filter((k) => k === "core-module").length, 1);
  assert.is(kinds.filter((k) => k === "component").length, 1, "one shim component");
  assert.is(kinds.filter((k) => k === "canon").length, 1);
  const exp = ast.definitions.filter((d) => d.kind === "export");
  assert.equal(exp.map((d) => (d as { name: string }).name), ["pureflow:batch/batch@0.1.0"]);
  const shim = ast.definitions.find((d) => d.kind === "component") as Extract<(typeof ast.definitions)[number], { kind: "component" }>;
  const imports = shim.component.definitions.filter((d) => d.kind === "import").map((d) => (d as { name: string }).name);
  assert.ok(imports.includes("import-func-invoke"));
  assert.ok(imports.includes("import-type-port-batch"));
  assert.is(ast.names.sorts.get("func")?.get(0), "invoke", "component-name section read");
});

test("every truncation of the component is a ComponentError (or, at a section boundary, a smaller valid component)", () => {
  let n = 0, valid = 0;
  for (let len = 0; len < upper.length; len++) {
    try {
      const c = Component.fromBytes(upper.subarray(0, len), { engine: nodeEngine });
      valid++;
      assert.ok(c.coreModules.length <= 1);
    } catch (e) {
      if (!(e instanceof ComponentError)) throw new Error(`truncation at ${len}: raw ${String(e)}`);
      n++;
    }
  }
  assert.ok(n > upper.length - 40, "nearly every truncation fails");
  console.log(`\n# decoder: ${upper.length} truncations: ${n} ComponentError, ${valid} valid smaller components (cut at a section boundary)`);
});

test("random corruptions decode or fail with a ComponentError, never a raw exception", () => {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  let ok = 0, failed = 0;
  for (let i = 0; i < 1500; i++) {
    const b = Uint8Array.from(upper);
    const flips = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < flips; k++) b[8 + Math.floor(rand() * (b.length - 8))] = Math.floor(rand() * 256);
    try {
      Component.fromBytes(b, { engine: nodeEngine });
      ok++;
    } catch (e) {
      if (!(e instanceof ComponentError)) throw new Error(`corruption ${i}: raw ${(e as Error)?.stack ?? String(e)}`);
      failed++;
    }
  }
  console.log(`\n# decoder: 1500 corruptions: ${ok} still valid, ${failed} ComponentError`);
});

test("a core module is not a component", () => {
  throwsClass(() => decodeComponent(Uint8Array.from([...MODULE_PREAMBLE])), NotAComponentError, /core WebAssembly module/);
  throwsClass(() => decodeComponent(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 0, 0])), NotAComponentError, /layer 0/);
  throwsClass(() => decodeComponent(Uint8Array.from([1, 2, 3])), NotAComponentError);
  throwsClass(() => decodeComponent(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])), NotAComponentError, /magic/);
  throwsClass(() => decodeComponent(Uint8Array.from([0, 0x61, 0x73, 0x6d, 0x0c, 0, 1, 0])), UnsupportedComponentFeatureError, /version 0xc not supported \(expected 0x0d\)/);
});

test("malformed: bad section id, oversize section, bad LEB, trailing bytes, huge counts", () => {
  throwsClass(() => decodeComponent(component([13, 0])), MalformedComponentError, /unknown section id 13/);
  throwsClass(() => decodeComponent(component([7, 10, 1])), MalformedComponentError, /size 10 exceeds/);
  throwsClass(() => decodeComponent(component([7, 0x80, 0x80, 0x80, 0x80, 0x80, 0])), MalformedComponentError, /too long/);
  throwsClass(() => decodeComponent(component(section(7, [0, 0]))), MalformedComponentError, /unread bytes/);
  const e = throwsClass(() => decodeComponent(component(section(7, [...leb(1_000_000)]))), MalformedComponentError, /count 1000000 exceeds/) as MalformedComponentError;
  assert.is(e.offset, 10);
  throwsClass(() => decodeComponent(component(section(7, [1, 0x72, 0]))), MalformedComponentError, /record type with no fields/);
  const flags33 = [1, 0x6e, 33, ...Array.from({ length: 33 }, (_, i) => str(`f${i}`)).flat()];
  throwsClass(() => decodeComponent(component(section(7, flags33))), MalformedComponentError, /33 labels \(at most 32/);
  throwsClass(() => decodeComponent(component(section(7, [1, 0x72, 2, ...str("a"), 0x79, ...str("A"), 0x79]))), MalformedComponentError, /duplicate record field label/);
  throwsClass(() => decodeComponent(component(section(7, [1, 0x70, 0x50]))), MalformedComponentError, /invalid value type/);
});

test("unsupported features name what they met and where", () => {
  const cases: [Uint8Array, RegExp][] = [
    [component(section(9, [0, 0, 0])), /start section/],
    [component(section(12, [0])), /value section/],
    [component(section(7, [1, 0x3f, 0x7f, 0])), /resource type definition \(0x3f\) \(at byte offset 11\)/],
    [component(section(7, [1, 0x69, 0])), /own/],
    [component(section(7, [1, 0x68, 0])), /borrow/],
    [component(section(7, [1, 0x66, 1, 0x7d])), /stream type/],
    [component(section(7, [1, 0x65, 0])), /future type/],
    [component(section(7, [1, 0x64])), /error-context/],
    [component(section(7, [1, 0x63, 0x73, 0x73])), /map type/],
    [component(section(7, [1, 0x67, 0x7d, 4])), /fixed-length list/],
    [component(section(7, [1, 0x43, 0, 1, 0])), /async function type/],
    [component(section(7, [1, 0x6c, 1, 0x7d])), /union/],
    [component(section(8, [1, 0x09])), /unsupported canonical builtin 0x09/],
    [component(section(8, [1, 0x02, 0])), /resource builtin/],
    [component(section(8, [1, 0x00, 0x00, 0, 1, 0x06, 0])), /`async`/],
    [component(section(8, [1, 0x00, 0x00, 0, 1, 0x07, 0, 0])), /`callback`/],
    [component(section(10, [1, 0, ...str("v"), 0x02, 0x01, 0x7d])), /value import/],
    [component(section(10, [1, 0, ...str("r"), 0x03, 0x01])), /sub resource/],
  ];
  for (const [bytes, re] of cases) throwsClass(() => decodeComponent(bytes), UnsupportedComponentFeatureError, re);
});

test("hostile type graphs: exponential sizes, deep nesting — refused fast, no stack overflow", () => {
  // t0 = record { a: u8, b: u8 }; t(i) = record { a: t(i-1), b: t(i-1) }: elem_size doubles each step
  const types: number[] = [0x72, 2, ...str("a"), 0x7d, ...str("b"), 0x7d];
  for (let i = 1; i < 40; i++) types.push(0x72, 2, ...str("a"), ...sleb(i - 1), ...str("b"), ...sleb(i - 1));
  const t0 = performance.now();
  throwsClass(() => Component.fromBytes(component(section(7, [40, ...types])), { engine: nodeEngine }), ComponentError, /elem_size must be below 2\^28/);
  assert.ok(performance.now() - t0 < 500);
  // list<list<...<u8>>> 150 deep
  const deep: number[] = [0x70, 0x7d];
  for (let i = 1; i < 150; i++) deep.push(0x70, ...sleb(i - 1));
  throwsClass(() => Component.fromBytes(component(section(7, [...leb(150), ...deep])), { engine: nodeEngine }), UnsupportedComponentFeatureError, /nested 101 deep \(this host's limit is 100\)/);
  // component types nested 100000 deep in 300 KB: a typed error, not a stack overflow
  const nest: number[] = [];
  for (let i = 0; i < 100000; i++) nest.push(0x41, 1, 0x01);
  nest.push(0x41, 0);
  throwsClass(() => decodeComponent(component(section(7, [1, ...nest]))), UnsupportedComponentFeatureError, /nested more than 64 deep/);
});

test("component text from jco parse: nested components, outer aliases, instance types decode and validate", async () => {
  const bytes = await parse(`(component
    (type $r (record (field "a" u32) (field "b" string)))
    (type $it (instance (alias outer 1 0 (type)) (export "t" (type (eq 0)))))
    (component $inner
      (alias outer 1 0 (type $outer-r))
      (import "r" (type $named-r (eq $outer-r)))
      (type $l (list $named-r))
      (import "x" (type (eq $l)))
    )
    (instance (instantiate $inner (with "r" (type $r)) (with "x" (type $r))))
  )`);
  // the `with` argument is a record where a list is expected: a link error naming the difference
  try {
    Component.fromBytes(bytes, { engine: nodeEngine });
    assert.unreachable("should not link");
  } catch (e) {
    assert.instance(e, ComponentError);
    assert.match((e as Error).message, /argument `x` does not match the import: type differs/);
  }
});

test("every committed fixture decodes and validates (or is refused with a ComponentError)", () => {
  const root = join(projectRoot, "fixtures");
  if (!existsSync(root)) { console.log("\n# SKIP fixtures: fixtures/ not found"); return; }
  const files: string[] = [];
  const walk = (d: string) => { for (const n of readdirSync(d)) { const p = join(d, n); if (statSync(p).isDirectory()) walk(p); else if (n.endsWith(".wasm")) files.push(p); } };
  walk(root);
  let ok = 0, refused = 0;
  for (const f of files) {
    const bytes = readFileSync(f);
    try {
      Component.fromBytes(bytes, { engine: nodeEngine });
      ok++;
    } catch (e) {
      if (!(e instanceof ComponentError)) throw new Error(`${f}: raw ${String(e)}`);
      if (f.endsWith("module.wasm")) assert.instance(e, NotAComponentError);
      refused++;
    }
  }
  console.log(`\n# fixtures: ${files.length} .wasm files, ${ok} components validated, ${refused} refused with a ComponentError`);
});

test("imports may only use named types: an unnamed record in a function import is refused, an imported one accepted", async () => {
  const unnamed = await parse(`(component
    (type $r (record (field "a" u32)))
    (import "f" (func (param "x" $r)))
  )`);
  try {
    Component.fromBytes(unnamed, { engine: nodeEngine });
    assert.unreachable("accepted");
  } catch (e) {
    assert.instance(e, ComponentError);
    assert.match((e as Error).message, /import `f` uses a record, variant, enum or flags type that is not named/);
  }
  const named = await parse(`(component
    (type $r (record (field "a" u32)))
    (import "r" (type $nr (eq $r)))
    (type $l (list $nr))
    (import "f" (func (param "x" $l)))
  )`);
  const c = Component.fromBytes(named, { engine: nodeEngine });
  assert.equal([...c.imports.keys()], ["r", "f"]);
  // a type import whose record field is an unnamed record is refused too (campaign bug 5)
  const nested = await parse(`(component
    (type $inner (record (field "a" u32)))
    (type $outer (record (field "b" $inner)))
    (import "outer" (type (eq $outer)))
  )`);
  assert.throws(() => Component.fromBytes(nested, { engine: nodeEngine }), (e: unknown) => e instanceof ComponentError && /import `outer` uses/.test((e as Error).message));
});

test("exports may only use named types: a function export over an unnamed record is refused", async () => {
  const bytes = await parse(`(component
    (core module $m (func (export "f") (param i32)))
    (core instance $i (instantiate $m))
    (type $r (record (field "a" u32)))
    (type $ft (func (param "x" $r)))
    (alias core export $i "f" (core func $cf))
    (func $f (type $ft) (canon lift (core func $cf)))
    (export "f" (func $f))
  )`);
  assert.throws(() => Component.fromBytes(bytes, { engine: nodeEngine }), (e: unknown) => e instanceof ComponentError && /export `f` uses a record/.test((e as Error).message));
  const named = await parse(`(component
    (core module $m (func (export "f") (param i32)))
    (core instance $i (instantiate $m))
    (type $r (record (field "a" u32)))
    (export $nr "r" (type $r))
    (type $ft (func (param "x" $nr)))
    (alias core export $i "f" (core func $cf))
    (func $f (type $ft) (canon lift (core func $cf)))
    (export "f" (func $f))
  )`);
  Component.fromBytes(named, { engine: nodeEngine });
});

test.run();
