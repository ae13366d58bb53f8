/**
 * Validates the fuel oracle's rewriter (test/tools/fuel-instrument.ts) on hand-written modules
 * whose totals are known from fuel.md §6.5 (wasmtime's tests/all/fuel.wast, pre-v46 values for a
 * direct call, plus the per-unit bulk costs), run on Node's WebAssembly. The same cases are then
 * checked on our interpreter's `store.fuelConsumed` when it is available.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import wabtInit from "wabt";
import { FUEL_EXPORT, instrumentFuel } from "./tools/fuel-instrument.js";
import type { OracleCosts } from "./tools/fuel-instrument.js";
import { projectRoot } from "./helpers/shared.js";
import { loadOurInterpreter } from "../scripts/spec/our-engine.js";
import type { OurNamespace } from "../scripts/spec/our-engine.js";

const wabt = await wabtInit();

function wat(src: string): Uint8Array {
  const mod = wabt.parseWat("case.wat", src, { bulk_memory: true, reference_types: true, multi_value: true });
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

interface Case {
  readonly name: string;
  readonly body: string;
  /** Extra module fields (memory, table, other functions...). */
  readonly fields?: string;
  readonly wasmtime: number;
  /** Total with per-unit costs off, when different. */
  readonly instructions?: number;
  /** The call traps (the count still includes the trapping instruction). */
  readonly traps?: boolean;
}

/** fuel.md §6.5; `test` is always called directly from the host. */
const CASES: Case[] = [
  { name: "empty function", body: "", wasmtime: 1 },
  { name: "i32.const 0 drop", body: "i32.const 0 drop", wasmtime: 2 },
  { name: "block end", body: "block end", wasmtime: 1 },
  { name: "unreachable", body: "unreachable", wasmtime: 1, traps: true },
  { name: "six consts + unreachable", body: "i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0 i32.const 0 unreachable", wasmtime: 7, traps: true },
  { name: "return + dead code", body: "return i32.const 0 drop i32.const 0 drop", wasmtime: 1 },
  { name: "if not taken around a call", body: "i32.const 0 if call $empty end", wasmtime: 3 },
  { name: "if taken with const+drop", body: "i32.const 1 if i32.const 0 drop end", wasmtime: 4 },
  { name: "br_if taken", body: "block i32.const 1 br_if 0 end", wasmtime: 3 },
  { name: "br_if not taken", body: "block i32.const 0 br_if 0 i32.const 0 drop end", wasmtime: 4 },
  { name: "call $empty", body: "call $empty", wasmtime: 3 },
  { name: "i32.const 0 call_indirect", body: "i32.const 0 call_indirect (type $t)", fields: "(type $t (func)) (table 1 funcref) (elem (i32.const 0) $empty)", wasmtime: 4 },
  {
    name: "10-iteration countdown loop",
    body: "(local i32) i32.const 10 local.set 0 loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0 end",
    wasmtime: 53,
  },
  { name: "memory.copy 100", body: "i32.const 0 i32.const 100 i32.const 100 memory.copy", fields: "(memory 1)", wasmtime: 105, instructions: 5 },
  { name: "memory.fill 100", body: "i32.const 0 i32.const 0 i32.const 100 memory.fill", fields: "(memory 1)", wasmtime: 105, instructions: 5 },
  { name: "memory.init 20", body: "i32.const 0 i32.const 0 i32.const 20 memory.init $d", fields: "(memory 1) (data $d \"abcdefghijklmnopqrstuvwxyz\")", wasmtime: 25, instructions: 5 },
  { name: "table.copy 100", body: "i32.const 0 i32.const 100 i32.const 100 table.copy", fields: "(table 200 funcref)", wasmtime: 105, instructions: 5 },
  { name: "table.fill 100", body: "i32.const 0 ref.null func i32.const 100 table.fill 0", fields: "(table 200 funcref)", wasmtime: 105, instructions: 5 },
  { name: "table.init 20", body: "i32.const 0 i32.const 0 i32.const 20 table.init $e", fields: "(table 200 funcref) (elem $e func $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty $empty)", wasmtime: 25, instructions: 5 },
  { name: "table.grow 100 + drop", body: "ref.null func i32.const 100 table.grow 0 drop", fields: "(table 0 funcref)", wasmtime: 104, instructions: 4 },
  { name: "add2", body: "(local i32) local.get 0 i32.const 2 i32.add drop", wasmtime: 4 },
  // Per-unit rules (fuel.md §6.2): an out-of-bounds bulk op pays only its flat cost; a failed grow pays the delta.
  { name: "memory.fill out of bounds", body: "i32.const 65500 i32.const 0 i32.const 100 memory.fill", fields: "(memory 1)", wasmtime: 5, traps: true },
  { name: "memory.init after data.drop", body: "data.drop $d i32.const 0 i32.const 0 i32.const 1 memory.init $d", fields: "(memory 1) (data $d \"ab\")", wasmtime: 6, traps: true },
  { name: "memory.init of an active segment (dropped)", body: "i32.const 0 i32.const 0 i32.const 0 memory.init 0", fields: "(memory 1) (data (i32.const 0) \"ab\")", wasmtime: 5 },
  { name: "failed table.grow pays the delta", body: "ref.null func i32.const 100 table.grow 0 drop", fields: "(table 0 10 funcref)", wasmtime: 104, instructions: 4 },
  { name: "memory.grow has no per-page cost", body: "i32.const 1 memory.grow drop", fields: "(memory 1)", wasmtime: 3 },
  { name: "call to a host import costs 1", body: "call $host", fields: '(import "env" "host" (func $host))', wasmtime: 2 },
];

function moduleFor(c: Case): Uint8Array {
  // `$empty` first so that the call_indirect element and the import (if any) resolve.
  const imports = c.fields?.match(/\(import[^)]*\(func[^)]*\)\)/)?.[0] ?? "";
  const rest = (c.fields ?? "").replace(imports, "");
  return wat(`(module ${imports} (func $empty) ${rest} (func (export "test") ${c.body}))`);
}

function expected(c: Case, costs: OracleCosts): number {
  return costs === "wasmtime" ? c.wasmtime : c.instructions ?? c.wasmtime;
}

const hostImports = { env: { host: (): void => {} } };

for (const costs of ["wasmtime", "instructions"] as const) {
  test(`rewriter on Node (${costs}): fuel.md §6.5 totals`, () => {
    for (const c of CASES) {
      const inst = new WebAssembly.Instance(new WebAssembly.Module(instrumentFuel(moduleFor(c), costs) as Uint8Array<ArrayBuffer>), hostImports);
      const fuel = inst.exports[FUEL_EXPORT] as WebAssembly.Global;
      fuel.value = 0n;
      let trapped = false;
      try {
        (inst.exports.test as () => void)();
      } catch (e) {
        if (!(e instanceof WebAssembly.RuntimeError)) throw e;
        trapped = true;
      }
      assert.is(trapped, c.traps === true, `${c.name}: trap`);
      assert.is(Number(fuel.value), expected(c, costs), `${c.name} (${costs})`);
    }
  });
}

test("rewriter keeps the module valid and its behaviour (results unchanged)", () => {
  const b = wat(`(module (memory 1) (func (export "f") (param i32) (result i32) (local i32)
      local.get 0 i32.const 3 i32.mul local.set 1
      block (result i32) local.get 1 i32.const 7 i32.add end
      i32.const 0 local.get 0 i32.const 4 memory.fill
      i32.const 0 i32.load8_u i32.add))`);
  const plain = new WebAssembly.Instance(new WebAssembly.Module(b as Uint8Array<ArrayBuffer>)).exports.f as (x: number) => number;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(instrumentFuel(b) as Uint8Array<ArrayBuffer>)).exports;
  for (const x of [0, 1, 5, 200]) assert.is((inst.f as (x: number) => number)(x), plain(x));
  // 4 calls: each 1 entry + 13 + 1 + 4 (locals/consts/ops...) — just check it grows per call.
  assert.ok(Number((inst[FUEL_EXPORT] as WebAssembly.Global).value) > 4 * 10);
});

let ours: OurNamespace | undefined;
if (existsSync(join(projectRoot, "interpreter", "index.ts"))) {
  try {
    ours = await loadOurInterpreter();
  } catch (e) {
    console.log(`# fuel-oracle-rewriter: our interpreter does not load (${String(e)})`);
  }
} else console.log("# SKIP fuel on ours: interpreter/index.ts missing");

if (ours !== undefined) {
  const ns = ours;
  for (const costs of ["wasmtime", "instructions"] as const) {
    test(`our store.fuelConsumed (${costs}) matches the same totals`, () => {
      for (const c of CASES) {
        const store = new ns.Store({ fuel: 1_000_000, costs });
        const inst = new ns.Instance(new ns.Module(moduleFor(c)), hostImports, { store });
        const before = store.fuelConsumed;
        let trapped = false;
        try {
          (inst.exports.test as () => void)();
        } catch (e) {
          if (!(e instanceof ns.RuntimeError)) throw e;
          trapped = true;
        }
        assert.is(trapped, c.traps === true, `${c.name}: trap on ours`);
        assert.is(store.fuelConsumed - before, expected(c, costs), `${c.name} (${costs}) on ours`);
      }
    });
  }
}

test.run();
