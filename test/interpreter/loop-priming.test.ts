// The dispatch loop's priming (execute/loop.ts, PRIME_CHUNKS): the first run of the loop in a realm
// ends its first step-countdown chunks early, through the loop's slow path (and re-enters the loop),
// so that V8 has type feedback for that path before it first optimises the loop. Priming must not be
// observable: the cancellation sources are polled exactly as often and at the same check points as
// in a later, unprimed run in the same realm. Priming happens once per realm, so each case runs in a
// fresh process: the first call there is primed, the second is not; both must stop at the same
// instruction (same fuel) after the same number of polls.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store } from "../../interpreter/index.js";

type Fn = (...a: unknown[]) => unknown;
const CASES = ["branches", "calls", "bulk", "returns"] as const;

/** Runs `name` twice (primed, then not) and returns [polls, fuel consumed, outcome] of each run. */
async function childRun(name: string): Promise<unknown> {
  const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
  const module = new Module(wabt.parseWat("t.wat", `(module (memory 1)
    (func (export "count") (param i32) (result i32) (local i32)
      (loop $l (br_if $l (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0)))) (local.get 1))
    (func $tree (export "tree") (param i32)
      (if (local.get 0) (then (call $tree (i32.sub (local.get 0) (i32.const 1))) (call $tree (i32.sub (local.get 0) (i32.const 1))))))
    (func (export "fill") (loop $l (memory.fill (i32.const 0) (i32.const 1) (i32.const 20000)) (br $l))))`, { bulk_memory: true }).toBinary({}).buffer);
  const out: unknown[] = [];
  for (let run = 0; run < 2; run++) {
    let polls = 0;
    // "returns": a short call that returns inside the first priming chunks, then one that is stopped
    const stopAt = name === "returns" ? 2 : 3;
    const store = new Store({ fuel: 1e12, cancellation: { checkInterval: name === "calls" ? 50 : 100, callback: () => (++polls >= stopAt ? "stop" : undefined) } });
    const exports = new Instance(module, {}, { store }).exports;
    let outcome = "returned";
    try {
      if (name === "branches") (exports.count as Fn)(1_000_000);
      else if (name === "calls") (exports.tree as Fn)(40);
      else if (name === "bulk") (exports.fill as Fn)();
      else {
        (exports.count as Fn)(3);
        (exports.count as Fn)(1_000_000);
      }
    } catch (e) {
      outcome = e instanceof RuntimeError ? `${e.trap}` : String(e);
    }
    out.push([polls, store.fuelConsumed, outcome]);
  }
  return out;
}

if (process.env.PUREFLOW_PRIMING_CHILD !== undefined) {
  console.log(JSON.stringify(await childRun(process.env.PUREFLOW_PRIMING_CHILD)));
} else {
  for (const name of CASES) {
    test(`priming is invisible to cancellation (${name}): the primed first run polls like a later one`, () => {
      const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
        encoding: "utf8",
        env: { ...process.env, PUREFLOW_PRIMING_CHILD: name },
      });
      assert.is(r.status, 0, r.stderr);
      const [first, second] = JSON.parse(r.stdout.trim().split("\n").pop()!) as [unknown[], unknown[]];
      assert.equal(first, second);
      assert.is((first as unknown[])[2], "interrupted");
    });
  }
  test.run();
}
