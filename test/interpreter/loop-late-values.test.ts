// Values a guest meets only after V8 has optimised the dispatch loop (issue 11: no warm-up storm).
// V8 compiles the loop from the type feedback its cases gathered so far (the primer's snippets
// and the guest's own first steps, execute/prime.ts); a path of a case that never ran is compiled
// into a deoptimisation. Each program here runs long with one kind of value, then with another:
// - i64 shifts by a variable count, 1 to 63 first, then 0 (numeric/i64.ts gives a count of 0 mod
//   64 a branch of its own, inlined into the loop: it deoptimised the loop until the primer got a
//   snippet for it, seen in @dqbd/tiktoken's process);
// - unsigned i32 and i64 compares and i64 carries over values below 2^31 first, then of 2^31 and
//   more (measured: no deoptimisation, V8 keeps `x >>> 0` as a 32-bit word in a compare; kept as a
//   guard against a change of the loop that would make it one);
// - i32.div_s by divisors 3 to 9 first, then by -1 (the overflow check's second compare runs only
//   then: it deoptimised the loop until the primer got a snippet for it).
// The child process runs under `--trace-deopt`; the test counts the loop's deoptimisations (0) and
// checks the results against Node's own WebAssembly (the oracle), so the runs did what they say.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module } from "../../interpreter/index.js";

type Run = (...a: unknown[]) => unknown;

async function wasm(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string): { toBinary(o: object): { buffer: Uint8Array<ArrayBuffer> } } }>)();
  return wabt.parseWat("late.wat", text).toBinary({}).buffer;
}

/** `shifts(n, z)`: n rounds of i64 shl/shr_s/shr_u by (i + z) mod 64. */
const SHIFTS = `(module
  (func (export "shifts") (param $n i32) (param $z i64) (result i64) (local $i i32) (local $a i64) (local $k i64)
    (local.set $a (i64.const 0x123456789abcdef))
    (loop $l
      (local.set $k (i64.and (i64.add (i64.extend_i32_u (local.get $i)) (local.get $z)) (i64.const 63)))
      (local.set $a (i64.xor (local.get $a) (i64.shl (local.get $a) (local.get $k))))
      (local.set $a (i64.xor (local.get $a) (i64.shr_u (local.get $a) (local.get $k))))
      (local.set $a (i64.add (local.get $a) (i64.shr_s (local.get $a) (local.get $k))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $a)))`;

/** `compares(n, base, B)`: n rounds of unsigned compares (i32 from base, i64 from B) and i64 adds with carries. */
const COMPARES = `(module
  (func (export "compares") (param $n i32) (param $base i32) (param $B i64) (result i64) (local $i i32) (local $acc i32) (local $I i64) (local $A i64)
    (local.set $I (local.get $B))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.lt_u (i32.add (local.get $base) (local.get $i)) (i32.add (local.get $base) (i32.const 77)))))
      (local.set $acc (i32.add (local.get $acc) (i32.gt_u (i32.add (local.get $base) (local.get $i)) (i32.const 0x40))))
      (if (i32.le_u (i32.add (local.get $base) (local.get $i)) (local.get $acc)) (then (local.set $acc (i32.add (local.get $acc) (i32.const 3)))))
      (local.set $A (i64.add (local.get $A) (local.get $I)))
      (local.set $I (i64.add (local.get $I) (i64.const 3)))
      (local.set $A (i64.sub (local.get $A) (local.get $B)))
      (if (i64.lt_u (local.get $A) (local.get $I)) (then (local.set $acc (i32.add (local.get $acc) (i32.const 1)))))
      (local.set $acc (i32.add (local.get $acc) (i64.ge_u (local.get $I) (local.get $A))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i64.add (local.get $A) (i64.extend_i32_u (local.get $acc)))))`;

/** `divs(n, d)`: n rounds of i32.div_s by d (or by 3 + i mod 7 when d is 0). */
const DIVS = `(module
  (func (export "divs") (param $n i32) (param $d i32) (result i32) (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (i32.div_s (i32.add (local.get $i) (i32.const 1000))
        (select (local.get $d) (i32.add (i32.const 3) (i32.rem_u (local.get $i) (i32.const 7))) (local.get $d)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))`;

/** The calls: long runs with the first kind of values (so V8 optimises the loop), then the second kind. */
const CALLS: [string, string, unknown[][]][] = [
  // counts 1..62 while i < 62 (z = 1), then every count, 0 and 64 included
  [SHIFTS, "shifts", [...Array.from({ length: 3000 }, () => [62, 1n]), [200, 0n]]],
  [DIVS, "divs", [...Array.from({ length: 20 }, () => [100_000, 0]), [1000, -1]]],
  [COMPARES, "compares", [...Array.from({ length: 20 }, () => [100_000, 5, 7n]), [1000, 0x80000000 | 0, -0x7fffffff00000001n], [1000, -1, -1n]]],
];

async function results(engine: "ours" | "node"): Promise<string[]> {
  const out: string[] = [];
  for (const [text, name, calls] of CALLS) {
    const bytes = await wasm(text);
    const f = (engine === "ours" ? new Instance(new Module(bytes), {}).exports[name] : new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports[name]) as Run;
    let last: unknown;
    for (const args of calls) last = f(...args);
    out.push(String(last));
  }
  return out;
}

if (process.env.PUREFLOW_LATE_VALUES_CHILD === "1") {
  console.log("#results " + JSON.stringify(await results("ours")));
} else {
  test("values first met after V8 optimised the loop (a shift by 0, a division by -1, unsigned values of 2^31 and more) do not deoptimise it", async () => {
    const r = spawnSync(process.execPath, ["--trace-deopt", "--import", "tsx", fileURLToPath(import.meta.url)], { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, PUREFLOW_LATE_VALUES_CHILD: "1" } });
    assert.is(r.status, 0, r.stderr);
    const line = r.stdout.split("\n").find((l) => l.startsWith("#results "));
    assert.ok(line !== undefined, r.stdout.slice(-2000));
    assert.equal(JSON.parse(line.slice(9)), await results("node"));
    const deopts = r.stdout.split("\n").filter((l) => /bailout .*<JSFunction loop /.test(l));
    assert.equal(deopts, [], deopts.join("\n"));
  });
  test.run();
}
