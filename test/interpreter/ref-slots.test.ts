// References in value slots (execute/context.ts `refsDirty`): a call that brings a reference into
// the value slots (an externref argument, a host function's result, ref.func, table.get,
// global.get of a reference) leaves none of them in the pooled context it releases, so the pool
// keeps no host object or function alive; a call that moves no reference (a C or Rust program
// with a function table, calling through it) does not clear the slots at all (clearing up to
// 32,768 entries made such calls from the host cost up to ~30 µs each until 2026-12-05).
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module } from "../../interpreter/index.js";
import { acquireContext, releaseContext } from "../../interpreter/execute/context.js";

type Fn = (...a: unknown[]) => unknown;

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const wat = (text: string): Module => new Module(wabt.parseWat("t.wat", text, { reference_types: true, bulk_memory: true }).toBinary({}).buffer);

/** The pooled context the last call released (taken out and put back): the indices of its non-null reference slots. */
function refsLeft(): number[] {
  const ctx = acquireContext();
  const left: number[] = [];
  for (let i = 0; i < ctx.refs.length; i++) if (ctx.refs[i] !== null) left.push(i);
  releaseContext(ctx);
  return left;
}

const hostObject = { big: new Uint8Array(1024) };

const refs = new Instance(
  wat(`(module
    (import "h" "get" (func $get (result externref)))
    (table $t 2 funcref)
    (global $g (mut funcref) (ref.null func))
    (elem (table $t) (i32.const 0) func $f)
    (func $f (result i32) (i32.const 7))
    (func (export "id") (param externref) (result externref) (local.get 0))
    (func (export "keep") (param externref) (result i32) (ref.is_null (local.get 0)))
    (func (export "fromHost") (result i32) (ref.is_null (call $get)))
    (func (export "refFunc") (result i32) (ref.is_null (ref.func $f)))
    (func (export "tableGet") (result i32) (ref.is_null (table.get $t (i32.const 0))))
    (func (export "globalGet") (result i32)
      (global.set $g (ref.func $f))
      (ref.is_null (global.get $g))))`),
  { h: { get: () => hostObject } },
).exports as Record<string, Fn>;

test("a call that brings a reference into the value slots leaves none in the context it releases", () => {
  assert.equal(refsLeft(), []);
  assert.is(refs.id!(hostObject), hostObject);
  assert.equal(refsLeft(), [], "externref argument and result");
  assert.is(refs.keep!(hostObject), 0);
  assert.equal(refsLeft(), [], "externref argument, not returned");
  assert.is(refs.fromHost!(), 0);
  assert.equal(refsLeft(), [], "a host function's result");
  assert.is(refs.refFunc!(), 0);
  assert.equal(refsLeft(), [], "ref.func");
  assert.is(refs.tableGet!(), 0);
  assert.equal(refsLeft(), [], "table.get");
  assert.is(refs.globalGet!(), 0);
  assert.equal(refsLeft(), [], "global.get of a reference");
});

test("a call that moves no reference (through a function table) does not clear the slots", () => {
  const e = new Instance(
    wat(`(module
      (type $i (func (param i32) (result i32)))
      (table 2 funcref)
      (elem (i32.const 0) $dbl $inc)
      (func $dbl (type $i) (i32.mul (local.get 0) (i32.const 2)))
      (func $inc (type $i) (i32.add (local.get 0) (i32.const 1)))
      (func (export "run") (param i32) (result i32)
        (call_indirect (type $i) (call_indirect (type $i) (local.get 0) (i32.const 0)) (i32.const 1))))`),
    {},
  ).exports as Record<string, Fn>;
  // a marker in the pooled context: a call that cleared the slots would remove it
  const ctx = acquireContext();
  const marker = { marker: true };
  ctx.refs[3] = marker;
  releaseContext(ctx);
  assert.is(e.run!(20), 41);
  const again = acquireContext();
  const kept = again.refs[3];
  again.refs[3] = null;
  releaseContext(again);
  assert.is(kept, marker, "the call cleared the reference slots");
  // and a call that does bring one in clears them all, the marker with them
  const c2 = acquireContext();
  c2.refs[3] = marker;
  releaseContext(c2);
  assert.is(refs.keep!(hostObject), 0);
  assert.equal(refsLeft(), []);
});

test.run();
