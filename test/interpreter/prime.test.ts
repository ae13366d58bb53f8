// The loop's primer (execute/prime.ts, instantiate/primer.ts, the generated execute/primer-module.ts):
// the generated module must still be what scripts/gen-primer.mjs makes from the current translator
// (when the translator changes how it translates a snippet, this fails: run `npm run gen:primer`),
// every op case of the loop that the translator emits must have a snippet, and priming must happen
// in a long first call (not in a short one), run without failing, and leave the guest's results and
// fuel as they are. Priming happens once per realm, so the runs are in fresh processes.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, Store, callAsync } from "../../interpreter/index.js";
import { ownSnippets, primingState, snippetsOfFunction } from "../../interpreter/execute/prime.js";
import { SNIPPETS, SNIPPETS_OF_OP } from "../../interpreter/execute/primer-module.js";
import { SIMD_OPS } from "../../interpreter/translate/simd.js";
import { PRIMER_FUEL, primerBytes, primerFuelUsed, runPrimer } from "../../interpreter/instantiate/primer.js";
import { decodeAndValidate } from "../../interpreter/validate/index.js";
import { moduleInfoOf } from "../../interpreter/js-api/module.js";
import { decodeModule } from "../../interpreter/decode/index.js";
import { translateModule } from "../../interpreter/translate/translator.js";
import { OP_NAMES, opLength, type OpName } from "../../interpreter/translate/opcodes.js";
import { resolveCosts } from "../../interpreter/runtime/costs.js";

type Fn = (...a: unknown[]) => unknown;

/** The TypeScript sources under `dir`, recursively. */
function sourceFiles(dir: URL): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...sourceFiles(new URL(`${e.name}/`, dir)));
    else if (e.name.endsWith(".ts")) out.push(fileURLToPath(new URL(e.name, dir)));
  }
  return out;
}
type Primer = { lines: string[]; missing: string[] };
const gen = (await import(new URL("../../scripts/gen-primer.mjs", import.meta.url).href)) as {
  buildPrimer(): Promise<Primer>;
  primerModuleText(p: Primer): string;
};

/**
 * A guest: `count(n)` loops n times (a taken branch each), `mix(n)` runs i32, i64 and f64 code n
 * times. `large`: with a function never called whose body makes the module's code larger than
 * execute/prime.ts primes whole (270 KB: 90,000 times `i32.const 1; drop`).
 */
async function guest(large = false): Promise<Module> {
  const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string): { toBinary(o: object): { buffer: Uint8Array } } }>)();
  const padding = large ? `(func ${"(drop (i32.const 1))".repeat(90_000)})` : "";
  return new Module(wabt.parseWat("g.wat", `(module (memory 1) ${padding}
    (func (export "count") (param i32) (result i32) (local i32)
      (loop $l (br_if $l (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0)))) (local.get 1))
    (func (export "mix") (param i32) (result i64) (local i32 i64 f64)
      (loop $l
        (local.set 2 (i64.add (i64.mul (local.get 2) (i64.const 6364136223846793005)) (i64.extend_i32_u (local.get 1))))
        (local.set 3 (f64.add (local.get 3) (f64.convert_i32_s (local.get 1))))
        (i32.store (i32.and (i32.shl (local.get 1) (i32.const 2)) (i32.const 1023)) (local.get 1))
        (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
      (i64.add (local.get 2) (i64.trunc_sat_f64_s (local.get 3)))))`).toBinary({}).buffer);
}

/** In a fresh process: the priming state before and after a short and a long call, and each call's result and fuel. */
async function child(): Promise<unknown> {
  const m = await guest();
  const states: unknown[] = [primingState()];
  const runs: unknown[] = [];
  for (const n of [2, 100_000, 100_000]) {
    const store = new Store({ fuel: 1e12 });
    const e = new Instance(m, {}, { store }).exports;
    const r = [String((e.count as Fn)(n)), String((e.mix as Fn)(n)), store.fuelConsumed];
    runs.push(r);
    states.push(primingState());
  }
  return { states, runs };
}

/** A second guest, with ops the first lacks (f32 arithmetic and conversions, i32.rem_u): `g(n)`. */
async function otherGuest(): Promise<Module> {
  const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string): { toBinary(o: object): { buffer: Uint8Array } } }>)();
  return new Module(wabt.parseWat("h.wat", `(module
    (func (export "g") (param i32) (result i32) (local i32 f32)
      (loop $l
        (local.set 2 (f32.add (local.get 2) (f32.convert_i32_u (local.get 1))))
        (br_if $l (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
      (i32.add (i32.trunc_sat_f32_s (local.get 2)) (i32.rem_u (local.get 0) (i32.const 7)))))`).toBinary({}).buffer);
}

/**
 * In a fresh process: the first guest's long calls (unless "alone"; "early": 20,000 steps, fewer
 * than execute/prime.ts BROAD_AFTER_STEPS, else 1,200,000), then the second guest's; the priming
 * state after each and the second guest's result and fuel.
 */
async function twoGuestsChild(which: string): Promise<unknown> {
  const states: unknown[] = [];
  if (which !== "alone") {
    const e = new Instance(await guest(), {}).exports;
    (e.mix as Fn)(which === "early" ? 20_000 : 100_000);
    if (which !== "early") (e.count as Fn)(1_100_000);
    states.push(primingState());
  }
  const store = new Store({ fuel: 1e12 });
  const g = new Instance(await otherGuest(), {}, { store }).exports.g as Fn;
  const run = [String(g(100_000)), store.fuelConsumed];
  states.push(primingState());
  return { states, run };
}

/**
 * In a fresh process: the large guest's `mix(1,000)` (long enough to prime, far below the steps and
 * fuel after which a realm primes broadly anyway), then `count(100,000)` and `mix(100,000)`; the
 * priming state before and after the first call, and the later calls' results and fuel.
 */
async function largeChild(): Promise<unknown> {
  const m = await guest(true);
  const states: unknown[] = [primingState()];
  (new Instance(m, {}).exports.mix as Fn)(1_000);
  states.push(primingState());
  const store = new Store({ fuel: 1e12 });
  const e = new Instance(m, {}, { store }).exports;
  const r = [String((e.count as Fn)(100_000)), String((e.mix as Fn)(100_000)), store.fuelConsumed];
  return { states, run: r };
}

/** In a fresh process: a first long call that is async (slices, no priming chunks), then the same call sync; priming state and each call's result and fuel. */
async function asyncChild(): Promise<unknown> {
  const m = await guest();
  const runs: unknown[] = [];
  const states: unknown[] = [];
  for (const sliced of [true, false]) {
    const store = new Store({ fuel: 1e12 });
    const e = new Instance(m, {}, { store }).exports;
    const r = sliced ? await callAsync(e.mix as Fn, [100_000], { sliceSteps: 5_000 }) : (e.mix as Fn)(100_000);
    runs.push([String(r), store.fuelConsumed]);
    states.push(primingState());
  }
  return { states, runs };
}

if (process.env.PUREFLOW_PRIMER_CHILD !== undefined) {
  const which = process.env.PUREFLOW_PRIMER_CHILD;
  console.log(JSON.stringify(await (which === "async" ? asyncChild() : which === "large" ? largeChild() : which === "two" || which === "alone" || which === "early" ? twoGuestsChild(which) : child())));
} else {
  test("the generated primer module is what scripts/gen-primer.mjs makes from the current translator", async () => {
    const p = await gen.buildPrimer();
    const file = readFileSync(fileURLToPath(new URL("../../interpreter/execute/primer-module.ts", import.meta.url)), "utf8");
    assert.ok(file === gen.primerModuleText(p), "interpreter/execute/primer-module.ts is stale: run `npm run build && npm run gen:primer`");
  });

  test("the primer's module is valid (the primer decodes it without validating: instantiate/primer.ts)", () => {
    const m = decodeAndValidate(primerBytes());
    assert.is(m.codes.length, m.funcs.length);
    assert.ok(m.codes.length > SNIPPETS, `${m.codes.length} functions for ${SNIPPETS} snippets`);
  });

  test("every op case of the loop the translator emits has a snippet", async () => {
    const p = await gen.buildPrimer();
    // NOP and I32_WRAP_I64 are never emitted (i32.wrap_i64 reuses the low word); UNREACHABLE and
    // OOF_STOP (written over an op where fuel runs out) end the call, so feedback there is moot
    assert.equal(p.missing, ["NOP", "OOF_STOP", "UNREACHABLE", "I32_WRAP_I64"]);
    assert.ok(p.lines.length > 200, `${p.lines.length} snippets`);
  });

  test("the snippets of an op run by rare.ts run the loop's rare case (its `default:`)", () => {
    const src = (path: string): Set<string> => new Set([...readFileSync(new URL(path, import.meta.url), "utf8").matchAll(/case \d+ \/\* ([A-Z0-9_]+) \*\//g)].map((m) => m[1]!));
    const loopCases = src("../../interpreter/execute/loop.ts");
    const rare = [...src("../../interpreter/execute/rare.ts")].filter((n) => !loopCases.has(n));
    const m = decodeModule(primerBytes());
    const cm = translateModule(m, resolveCosts("instructions"));
    const funcOf = new Map(m.exports.map((e) => [e.name, e.index - m.imports.filter((i) => i.desc.kind === "func").length]));
    const runsRare = (k: number): boolean => {
      const fn = cm.funcs[funcOf.get(`s${k}`)!]!;
      for (let pc = fn.entry; pc < fn.end; pc += opLength(cm.code, pc)) if (rare.includes(OP_NAMES[cm.code[pc]!]!)) return true;
      return false;
    };
    let checked = 0;
    for (const name of rare) {
      for (const k of SNIPPETS_OF_OP[OP_NAMES.indexOf(name as OpName)]!) {
        assert.ok(runsRare(k), `snippet ${k} of ${name} runs no op of rare.ts`);
        checked++;
      }
    }
    assert.ok(checked > 50, `${checked} snippets checked`);
  });

  test("the loop's priming guards are objects of their own shape: no other object of the package begins with their field", () => {
    // V8 folds a guard's field only while no object of its shape has had the field written
    // (execute/loop.ts `PRIMED`); `{ done: false }`, the guard's first form, shared its shape
    // with every object that begins with `done`. Only the loop's own two objects may begin so.
    const loopText = readFileSync(new URL("../../interpreter/execute/loop.ts", import.meta.url), "utf8");
    for (const field of ["pureflowFirstPrimingDone", "pureflowBroadPrimingDone"]) {
      const begins = new RegExp(`\\{\\s*${field}\\s*:`, "g");
      assert.is(loopText.match(begins)?.length, 1, `${field}: one object in loop.ts`);
      for (const dir of ["interpreter", "canonical-abi", "src"]) {
        for (const file of sourceFiles(new URL(`../../${dir}/`, import.meta.url))) {
          if (file.endsWith("/interpreter/execute/loop.ts")) continue;
          assert.not.ok(begins.test(readFileSync(file, "utf8")), `${file} begins an object with ${field}`);
          begins.lastIndex = 0;
        }
      }
    }
  });

  test("every snippet ends: all of them, with every argument set, use a fraction of the primer's fuel", () => {
    const before = primerFuelUsed();
    runPrimer(Array.from({ length: SNIPPETS }, (_, k) => k));
    const used = primerFuelUsed() - before;
    assert.ok(used > 100_000, `used ${used}`);
    assert.ok(used < PRIMER_FUEL / 4, `all snippets used ${used} of the primer's ${PRIMER_FUEL} fuel`);
  });

  test("a long first call primes the loop (a short one does not); results and fuel stay the same", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { encoding: "utf8", env: { ...process.env, PUREFLOW_PRIMER_CHILD: "1" } });
    assert.is(r.status, 0, r.stderr);
    const { states, runs } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { states: ReturnType<typeof primingState>[]; runs: unknown[][] };
    assert.equal(states[0], { enabled: false, snippetsRun: 0, snippetsWanted: 0, registered: true, broad: false, broadRun: false });
    // a call of a few steps ends before priming starts
    assert.is(states[1]!.enabled, false);
    assert.is(states[1]!.snippetsRun, 0);
    // the long call primed what the guest holds, and the primer did not fail (it stays registered)
    assert.is(states[2]!.enabled, true);
    assert.ok(states[2]!.snippetsRun > 10, JSON.stringify(states[2]));
    assert.is(states[2]!.snippetsWanted, 0);
    assert.is(states[2]!.registered, true);
    // nothing more to prime for the same guest (a small module: all its ops were in the first
    // priming, so it never turns to priming every snippet)
    assert.equal(states[3], states[2]);
    assert.is(states[3]!.broad, false);
    assert.ok(states[3]!.snippetsRun < SNIPPETS, JSON.stringify(states[3]));
    // the primed call and the later one agree on results and fuel
    assert.equal(runs[1], runs[2]);
  });

  test("ops met after the first priming and 100,000 steps (a realm's second guest) prime every snippet but the SIMD ones; the guest's result and fuel stay the same", () => {
    const spawn = (which: string): { states: ReturnType<typeof primingState>[]; run: unknown[] } => {
      const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { encoding: "utf8", env: { ...process.env, PUREFLOW_PRIMER_CHILD: which } });
      assert.is(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split("\n").pop()!) as { states: ReturnType<typeof primingState>[]; run: unknown[] };
    };
    const two = spawn("two");
    // the first guest primed its own ops only
    assert.is(two.states[0]!.enabled, true);
    assert.is(two.states[0]!.broad, false);
    assert.ok(two.states[0]!.snippetsRun < SNIPPETS, JSON.stringify(two.states[0]));
    // the second brought ops of its own: every snippet ran, and the primer still works
    const simd = new Set(SIMD_OPS.flatMap((op) => SNIPPETS_OF_OP[op]!));
    assert.ok(simd.size > 0);
    assert.equal(two.states[1], { enabled: true, snippetsRun: SNIPPETS - simd.size, snippetsWanted: 0, registered: true, broad: true, broadRun: true });
    // alone in its realm (its own ops primed only), the second guest computes the same with the same fuel
    const alone = spawn("alone");
    assert.is(alone.states[0]!.broad, false);
    assert.ok(alone.states[0]!.snippetsRun < SNIPPETS, JSON.stringify(alone.states[0]));
    assert.equal(two.run, alone.run);
    // after fewer steps (V8 has likely not optimised the loop yet), the second guest's ops only
    const early = spawn("early");
    assert.is(early.states[1]!.broad, false);
    assert.ok(early.states[1]!.snippetsRun < SNIPPETS, JSON.stringify(early.states[1]));
    assert.equal(early.run, alone.run);
  });

  test("a module too large to be primed whole gets the snippets of the operators it holds at its first priming; results and fuel stay the same", async () => {
    const spawn = (which: string): { states: ReturnType<typeof primingState>[]; run?: unknown[]; runs?: unknown[][] } => {
      const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { encoding: "utf8", env: { ...process.env, PUREFLOW_PRIMER_CHILD: which } });
      assert.is(r.status, 0, r.stderr);
      return JSON.parse(r.stdout.trim().split("\n").pop()!) as { states: ReturnType<typeof primingState>[]; run?: unknown[]; runs?: unknown[][] };
    };
    const large = spawn("large");
    assert.is(large.states[0]!.enabled, false);
    // its own snippets and those of the first call's functions (this small guest lacks operators
    // every compiled program holds, so its operators do not give all of them), not every one
    const own = ownSnippets(moduleInfoOf(await guest(true))!);
    const simd = new Set(SIMD_OPS.flatMap((op) => SNIPPETS_OF_OP[op]!));
    assert.ok(own.length > 20, `${own.length} snippets`);
    assert.ok(large.states[1]!.snippetsRun >= own.length && large.states[1]!.snippetsRun < SNIPPETS - simd.size - 50, JSON.stringify(large.states[1]));
    assert.equal({ ...large.states[1], snippetsRun: 0 }, { enabled: true, snippetsRun: 0, snippetsWanted: 0, registered: true, broad: false, broadRun: false });
    // the same functions in the small guest (its own ops primed only): the same results and fuel
    const small = spawn("1");
    assert.is(small.states[2]!.broad, false);
    assert.equal(large.run, small.runs![1]);
  });

  test("a large module's own snippets hold every snippet its translated code needs (real compiled programs)", () => {
    // the npm packages' modules (test/packages), primed by their operators or whole
    const modules = ["brotli-wasm/pkg.node/brotli_wasm_bg.wasm", "sql.js/dist/sql-wasm.wasm", "@dqbd/tiktoken/tiktoken_bg.wasm", "@jsquash/png/codec/pkg/squoosh_png_bg.wasm", "vscode-oniguruma/release/onig.wasm"];
    const simd = new Set(SIMD_OPS.flatMap((op) => SNIPPETS_OF_OP[op]!));
    for (const path of modules) {
      const m = decodeAndValidate(new Uint8Array(readFileSync(new URL(`../../node_modules/${path}`, import.meta.url))));
      const own = new Set(ownSnippets(m));
      const cm = translateModule(m, resolveCosts("instructions"));
      const need = new Set<number>();
      for (let f = 0; f < m.codes.length; f++) snippetsOfFunction(cm, f, (k) => need.add(k));
      const missing = [...need].filter((k) => !own.has(k) && !simd.has(k));
      assert.equal(missing, [], `${path}: snippets its code needs that its operators do not give`);
      // and fewer than every snippet (what such a module got before)
      assert.ok(own.size < SNIPPETS - simd.size, `${path}: ${own.size} snippets`);
    }
  });

  test("an async first call (in slices, suspended at every slice end) primes the loop too; results and fuel stay the same", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { encoding: "utf8", env: { ...process.env, PUREFLOW_PRIMER_CHILD: "async" } });
    assert.is(r.status, 0, r.stderr);
    const { states, runs } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { states: ReturnType<typeof primingState>[]; runs: unknown[][] };
    assert.is(states[0]!.enabled, true, "the async call primed");
    assert.ok(states[0]!.snippetsRun > 10, JSON.stringify(states[0]));
    assert.equal(runs[0], runs[1]);
  });

  test.run();
}
