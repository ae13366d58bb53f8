/**
 * The independent fuel oracle (issue 3): over binaryen -ttf random modules (fixed seeds), every
 * export call's cost counted by the instrumented module on Node's WebAssembly
 * (test/tools/fuel-instrument.ts) must equal our `store.fuelConsumed` for the same call, and on a
 * fresh instance a budget of exactly that count must give the same outcome while one unit less
 * must trap `out-of-fuel`. Both cost presets are checked ("wasmtime" with per-unit bulk costs,
 * "instructions"), and a custom table that makes every instruction cost 2^28 + 3 (runs far beyond
 * the fuel running code holds at a time: the translator's block splits and the store's bank).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "./helpers/shared.js";
import { FUEL_EXPORT, instrumentFuel } from "./tools/fuel-instrument.js";
import type { OracleCosts } from "./tools/fuel-instrument.js";
import { argFor, classifyOutcome, describeOutcome, makeImports, nodeSide, ourSideWithStore, sameOutcome, sideState } from "../scripts/fuzz/diff.js";
import type { Outcome, Side } from "../scripts/fuzz/diff.js";
import { Rng } from "../scripts/fuzz/prng.js";
import { ALL_FEATURE_NAMES, FEATURE_NAMES, TtfGenerator } from "../scripts/fuzz/ttf.js";
import type { FeatureSet } from "../scripts/fuzz/ttf.js";
import { funcTypeOf, parseModule, typeName } from "../scripts/fuzz/wasm-parse.js";
import type { ParsedModule } from "../scripts/fuzz/wasm-parse.js";
import { loadOurInterpreter } from "../scripts/spec/our-engine.js";
import type { OurNamespace, OurStore } from "../scripts/spec/our-engine.js";
import type { RawValue } from "../scripts/spec/values.js";
import { sliceSize } from "./helpers/slice.js";
import { OPERATOR_INDEX, resolveCosts } from "../interpreter/runtime/costs.js";

/** Random modules: 12 in `npm test`, 40 with --full (the same seed, so the quick ones are the first 12). */
const MODULES = sliceSize("PUREFLOW_FUEL_ORACLE_COUNT", 12, 40, "-ttf modules (fuel oracle)");
const SEED = 31337;
/**
 * `PUREFLOW_FUEL_ORACLE_FEATURES=<preset>`: every module of that -ttf preset instead of the
 * rotation. With `eh` (exception handling) the oracle side needs a Node whose WebAssembly has
 * exnref (Node >= 24): run this file with that Node, e.g.
 * `PUREFLOW_FUEL_ORACLE_FEATURES=eh /path/to/node26 node_modules/tsx/dist/cli.mjs test/fuel-oracle.test.ts`.
 */
const ONLY_FEATURES = process.env.PUREFLOW_FUEL_ORACLE_FEATURES as FeatureSet | undefined;
if (ONLY_FEATURES !== undefined && !(ALL_FEATURE_NAMES as string[]).includes(ONLY_FEATURES)) throw new Error(`PUREFLOW_FUEL_ORACLE_FEATURES: unknown preset ${ONLY_FEATURES}`);
const BIG = Number.MAX_SAFE_INTEGER;

/**
 * Every instruction (and function entry) of the "instructions" preset at cost K = 2^28 + 3: the
 * total must be K times the instrumented count. Blocks of more than three instructions then cost
 * more than the fuel running code holds at a time (FUEL_WINDOW, 2^30 - 1), so the translator's
 * block splits and the store's bank are checked over random programs.
 */
const K = 2 ** 28 + 3;
const SCALED_TABLE = {
  base: "instructions",
  functionEntry: K,
  ops: Object.fromEntries([...OPERATOR_INDEX].filter(([, i]) => resolveCosts("instructions").flat[i] !== 0).map(([name]) => [name, K])),
};
const VARIANTS: readonly { name: string; costs: OracleCosts; model: unknown; scale: number; modules: number }[] = [
  { name: "wasmtime", costs: "wasmtime", model: "wasmtime", scale: 1, modules: MODULES },
  { name: "instructions", costs: "instructions", model: "instructions", scale: 1, modules: MODULES },
  { name: "instructions at 2^28 + 3 each", costs: "instructions", model: SCALED_TABLE, scale: K, modules: sliceSize("PUREFLOW_FUEL_ORACLE_SCALED_COUNT", 6, 40, "-ttf modules (fuel oracle, scaled costs)") },
];

interface CallCase {
  readonly name: string;
  readonly args: RawValue[];
  readonly pt: string[];
  readonly rt: string[];
}

/** Instantiates `bytes` on `side` with the ttf host imports and calls `c`; returns the outcome. */
function runOnce(side: Side, m: ParsedModule, bytes: Uint8Array, c: CallCase, beforeCall: (exports: Record<string, unknown>) => void): Outcome {
  const st = sideState(side);
  const mod = side.engine.compile(bytes);
  st.inst = side.engine.instantiate(mod, makeImports(m, st));
  beforeCall(st.inst.exports);
  try {
    return { kind: "ok", results: side.engine.invoke(st.inst, c.name, c.args, c.pt, c.rt) };
  } catch (e) {
    return classifyOutcome(side, e);
  }
}

let ours: OurNamespace | undefined;
if (existsSync(join(projectRoot, "interpreter", "index.ts"))) ours = await loadOurInterpreter();

if (ours === undefined) {
  test("our interpreter exists", () => assert.unreachable("interpreter/index.ts is missing"));
} else {
  const ns = ours;
  for (const variant of VARIANTS) {
    const { costs, scale, modules } = variant;
    test(`fuel oracle (${variant.name}): instrumented count on Node${scale === 1 ? "" : " x scale"} == our fuelConsumed; exact budget succeeds, one less traps`, async () => {
      const gen = new TtfGenerator();
      let cases = 0, skipped = 0, bulkCases = 0;
      const problems: string[] = [];
      const seedBase = costs === "wasmtime" ? SEED : SEED + 100_000;
      try {
        for (let i = 0; i < modules && problems.length < 5; i++) {
          const seed = seedBase + i;
          const features = ONLY_FEATURES ?? FEATURE_NAMES[seed % FEATURE_NAMES.length];
          const original = await gen.generate(seed, { features });
          const m = parseModule(original);
          const instrumented = instrumentFuel(original, costs);
          const mi = parseModule(instrumented);
          // The other preset, to see how many calls exercise per-unit bulk costs.
          const plain = costs === "wasmtime" ? instrumentFuel(original, "instructions") : undefined;
          const rng = new Rng(seed);
          for (const ex of m.exports.filter((e) => e.kind === 0)) {
            const ft = funcTypeOf(m, ex.index);
            if (ft.params.includes(0x69) || ft.results.includes(0x69)) continue; // exnref: not callable from JS
            for (let set = 0; set < 2; set++) {
              const c: CallCase = { name: ex.name, args: ft.params.map((t) => argFor(t, rng, set)), pt: ft.params.map(typeName), rt: ft.results.map(typeName) };
              const where = `seed ${seed} (${features}) ${c.name} set ${set}`;
              // 1. Node, instrumented: the oracle's count.
              let fuelGlobal: { value: bigint } | undefined;
              let nodeOut: Outcome;
              try {
                nodeOut = runOnce(nodeSide(), mi, instrumented, c, (exp) => {
                  fuelGlobal = exp[FUEL_EXPORT] as { value: bigint };
                  fuelGlobal.value = 0n;
                });
              } catch (e) {
                skipped++; // instantiation failed (start function trapped...): nothing to count
                continue;
              }
              if (nodeOut.kind === "trap" && nodeOut.group === "stack-exhausted") { skipped++; continue; }
              const expected = Number(fuelGlobal!.value) * scale;
              // 2. Ours, plenty of fuel: the count must match.
              const store: OurStore = new ns.Store({ fuel: BIG, costs: variant.model });
              let before = 0;
              const ourOut = runOnce(ourSideWithStore(ns, store, () => {}), m, original, c, () => { before = store.fuelConsumed; });
              const got = store.fuelConsumed - before;
              if (ourOut.kind === "trap" && ourOut.group === "stack-exhausted") { skipped++; continue; }
              cases++;
              if (!sameOutcome(nodeOut, ourOut, c.rt)) { problems.push(`${where}: outcome node ${describeOutcome(nodeOut)} / ours ${describeOutcome(ourOut)}`); continue; }
              if (got !== expected) { problems.push(`${where}: oracle counts ${expected}, ours ${got}`); continue; }
              if (plain !== undefined) {
                let g2: { value: bigint } | undefined;
                runOnce(nodeSide(), mi, plain, c, (exp) => { g2 = exp[FUEL_EXPORT] as { value: bigint }; g2.value = 0n; });
                if (Number(g2!.value) * scale !== expected) bulkCases++;
              }
              // 3. Exactly that budget: same outcome.
              const s2: OurStore = new ns.Store({ fuel: BIG, costs: variant.model });
              const exact = runOnce(ourSideWithStore(ns, s2, () => {}), m, original, c, () => s2.setFuel(expected));
              if (!sameOutcome(ourOut, exact, c.rt)) { problems.push(`${where}: with budget ${expected} ours gives ${describeOutcome(exact)} instead of ${describeOutcome(ourOut)}`); continue; }
              if (s2.getFuel() !== 0) problems.push(`${where}: ${s2.getFuel()} fuel left after an exact budget`);
              // 4. One unit less: out-of-fuel.
              const s3: OurStore = new ns.Store({ fuel: BIG, costs: variant.model });
              const short = runOnce(ourSideWithStore(ns, s3, () => {}), m, original, c, () => s3.setFuel(expected - 1));
              if (short.kind !== "budget" || !/fuel/.test(short.message)) problems.push(`${where}: with budget ${expected - 1} ours gives ${describeOutcome(short)}, not out-of-fuel`);
            }
          }
        }
      } finally {
        gen.close();
      }
      console.log(`\n# fuel oracle (${variant.name}): ${cases} export calls over ${modules} -ttf modules${ONLY_FEATURES === undefined ? "" : ` (preset ${ONLY_FEATURES})`} agree with the instrumented count (${skipped} skipped: instantiation failure or stack exhaustion)${costs === "wasmtime" ? `; ${bulkCases} of them with per-unit bulk costs` : ""}`);
      assert.equal(problems, []);
      assert.ok(cases > modules * 5, `only ${cases} calls were checked`);
    });
  }
}

/** Bulk operations with random operands (in and out of bounds, dropped segments, growth). */
const BULK_WAT = `(module
  (memory 1 3) (table 64 100 funcref) (func $f0)
  (data $d "0123456789abcdef0123456789abcdef")
  (elem $e func $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0 $f0)
  (func (export "mcopy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
  (func (export "mfill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
  (func (export "minit") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $d)
  (func (export "ddrop") data.drop $d)
  (func (export "tcopy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.copy)
  (func (export "tfill") (param i32 i32 i32) local.get 0 ref.func $f0 local.get 2 table.fill)
  (func (export "tinit") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 table.init $e)
  (func (export "edrop") elem.drop $e)
  (func (export "tgrow") (param i32 i32 i32) ref.null func local.get 2 table.grow drop)
  (func (export "mgrow") (param i32 i32 i32) local.get 2 memory.grow drop))`;

if (ours !== undefined) {
  const ns = ours;
  test("fuel oracle on bulk operations with random operands (wasmtime costs, state carried across calls)", async () => {
    const wabt = await (await import("wabt")).default();
    const wm = wabt.parseWat("bulk.wat", BULK_WAT, { bulk_memory: true, reference_types: true });
    const original = wm.toBinary({}).buffer;
    wm.destroy();
    const instrumented = instrumentFuel(original, "wasmtime");
    const names = ["mcopy", "mfill", "minit", "ddrop", "tcopy", "tfill", "tinit", "edrop", "tgrow", "mgrow"];
    const problems: string[] = [];
    let perUnit = 0;
    for (let round = 0; round < 6; round++) {
      const rng = new Rng(round + 77);
      const val = (): number => rng.pick([0, 1, 5, 16, 31, 32, 33, 60, 64, 100, 65535, 65536, 65500, 131072, -1, rng.int(70000), rng.int(70)]);
      const seq = Array.from({ length: 30 }, () => ({ name: rng.pick(names), args: [val(), val(), rng.pick([0, 1, 3, 16, 20, 32, 40, 100, 70000, -1, rng.int(50)])] }));
      const node = new WebAssembly.Instance(new WebAssembly.Module(instrumented as Uint8Array<ArrayBuffer>)).exports;
      const fuel = node[FUEL_EXPORT] as WebAssembly.Global;
      const counts: number[] = [];
      const outcomes: string[] = [];
      for (const c of seq) {
        fuel.value = 0n;
        try { (node[c.name] as (...a: number[]) => void)(...c.args); outcomes.push("ok"); } catch (e) { if (!(e instanceof WebAssembly.RuntimeError)) throw e; outcomes.push("trap"); }
        counts.push(Number(fuel.value));
        if (Number(fuel.value) > 10) perUnit++;
      }
      const runOurs = (k: number, budget: number | undefined): { out: string; used: number; trap?: string } => {
        const store = new ns.Store({ fuel: BIG, costs: "wasmtime" });
        const inst = new ns.Instance(new ns.Module(original), {}, { store });
        let res = { out: "", used: 0 } as { out: string; used: number; trap?: string };
        for (let i = 0; i <= k; i++) {
          const c = seq[i];
          if (i === k && budget !== undefined) store.setFuel(budget);
          const before = store.fuelConsumed;
          let out = "ok", trap: string | undefined;
          try { (inst.exports[c.name] as (...a: number[]) => void)(...c.args); } catch (e) { if (!(e instanceof ns.RuntimeError)) throw e; trap = (e as { trap?: string }).trap; out = trap === "out-of-fuel" ? "out-of-fuel" : "trap"; }
          res = { out, used: store.fuelConsumed - before, trap };
        }
        return res;
      };
      for (let k = 0; k < seq.length && problems.length < 5; k++) {
        const where = `round ${round} call ${k} ${seq[k].name}(${seq[k].args.join(", ")})`;
        const full = runOurs(k, undefined);
        if (full.out !== outcomes[k] || full.used !== counts[k]) { problems.push(`${where}: node ${outcomes[k]} ${counts[k]} / ours ${full.out} ${full.used}`); continue; }
        const exact = runOurs(k, counts[k]);
        if (exact.out !== outcomes[k]) problems.push(`${where}: budget ${counts[k]} gives ${exact.out}`);
        const short = runOurs(k, counts[k] - 1);
        if (short.out !== "out-of-fuel") problems.push(`${where}: budget ${counts[k] - 1} gives ${short.out}`);
      }
    }
    console.log(`\n# fuel oracle (bulk): 180 calls, ${perUnit} with per-unit costs, each checked with exact and exact-1 budgets`);
    assert.equal(problems, []);
    assert.ok(perUnit > 20, `only ${perUnit} calls charged per-unit costs`);
  });
}

test.run();
