// Fuel of SIMD code against the independent oracle (issue 12; the same check as fuel-oracle.test.ts
// on binaryen -ttf modules with fixed-width SIMD): the modules are instrumented to
// count their own cost (test/tools/fuel-instrument.ts, independent of our decoder/translator) and
// run on Node's WebAssembly; for every export call our store.fuelConsumed must equal the oracle's
// count, and a budget of exactly that count must succeed while one unit less traps out-of-fuel
// (with the fuel charged before the failing instruction = budget - what is left).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, Module, RuntimeError, Store } from "../../interpreter/index.js";
import { TtfGenerator } from "../../scripts/fuzz/ttf.js";
import { FUEL_EXPORT, instrumentFuel } from "../tools/fuel-instrument.js";

const MODULES = Number(process.env.FUEL_ORACLE_MODULES ?? 12);
let simdOps = 0;
const I32 = 0x7f, I64 = 0x7e, F32 = 0x7d, F64 = 0x7c;
type Fn = (...a: unknown[]) => unknown;

function argsFor(types: readonly number[], k: number): unknown[] {
  return types.map((t, i) => {
    const v = ((k + 1) * 7919 + i * 104729) % 1000 - 500;
    return t === I64 ? BigInt(v) * 1000003n : t === F32 || t === F64 ? v / 7 : v;
  });
}

/** Host imports for both engines: functions returning a default of their result type. */
function importsFor(m: Module): Record<string, Record<string, unknown>> | undefined {
  const info = Module.info(m);
  const out: Record<string, Record<string, unknown>> = {};
  for (const imp of info.imports) {
    if (imp.desc.kind !== "func") return undefined;
    const t = info.types[imp.desc.typeIndex]!;
    const r = t.results;
    (out[imp.module] ??= {})[imp.name] = () => (r.length === 0 ? undefined : r.length === 1 ? (r[0] === I64 ? 0n : 0) : r.map((x) => (x === I64 ? 0n : 0)));
  }
  return out;
}

test(`fuel equals the instrumented oracle on ${MODULES} random modules, and budget = count is exact`, async () => {
  const gen = new TtfGenerator();
  let calls = 0, budgetChecks = 0;
  try {
    for (let seed = 1; seed <= MODULES; seed++) {
      const bytes = await gen.generate(seed * 7717 + 5, { features: "simd-mvp" });
      let ours: Module;
      try {
        ours = new Module(bytes);
      } catch {
        continue;
      }
      for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xfd) simdOps++; // (a rough count: bytes 0xfd)
      const imports = importsFor(ours);
      if (imports === undefined) continue;
      const info = Module.info(ours);
      const instrumented = new WebAssembly.Module(instrumentFuel(bytes, "wasmtime") as Uint8Array<ArrayBuffer>);
      const funcType = (idx: number) => {
        const ti = idx < info.importedFuncCount ? (info.imports.filter((i) => i.desc.kind === "func")[idx]!.desc as { typeIndex: number }).typeIndex : info.funcs[idx - info.importedFuncCount]!;
        return info.types[ti]!;
      };
      for (const e of info.exports) {
        if (e.kind !== "func" || e.name === "hangLimitInitializer") continue;
        const ft = funcType(e.index);
        if (![...ft.params, ...ft.results].every((t) => t === I32 || t === I64 || t === F32 || t === F64)) continue;
        for (let k = 0; k < 2; k++) {
          const args = argsFor(ft.params, k);
          // the oracle
          let ni: WebAssembly.Instance;
          try {
            ni = new WebAssembly.Instance(instrumented, imports as WebAssembly.Imports);
          } catch {
            // the start function traps: instantiation must fail on ours as well
            assert.throws(() => new Instance(ours, imports), (x: unknown) => x instanceof RuntimeError, `seed ${seed}: start must trap on ours too`);
            break;
          }
          (ni.exports.hangLimitInitializer as Fn | undefined)?.();
          const g = ni.exports[FUEL_EXPORT] as WebAssembly.Global;
          const before = g.value as bigint;
          let nodeTrap = false;
          try {
            (ni.exports[e.name] as Fn)(...args);
          } catch {
            nodeTrap = true;
          }
          const expected = Number((g.value as bigint) - before);
          // ours, with plenty of fuel
          const run = (budget: number) => {
            const store = new Store({ fuel: 1e12 });
            const inst = new Instance(ours, imports, { store });
            (inst.exports.hangLimitInitializer as Fn | undefined)?.();
            store.setFuel(budget);
            const c0 = store.fuelConsumed;
            let err: unknown;
            try {
              (inst.exports[e.name] as Fn)(...args);
            } catch (x) {
              err = x;
            }
            return { used: store.fuelConsumed - c0, left: store.getFuel(), err };
          };
          const full = run(1e12);
          assert.is(full.err !== undefined, nodeTrap, `seed ${seed} ${e.name}: trap mismatch (${String(full.err)})`);
          assert.is(full.used, expected, `seed ${seed} ${e.name}(${args.join(",")}): fuel`);
          calls++;
          if (expected > 0 && expected < 2_000_000) {
            const exact = run(expected);
            assert.is((exact.err as RuntimeError | undefined)?.trap === "out-of-fuel", false, `seed ${seed} ${e.name}: budget = count must not run out`);
            const short = run(expected - 1);
            if (!nodeTrap || (short.err as RuntimeError).trap === "out-of-fuel") {
              assert.is((short.err as RuntimeError | undefined)?.trap, "out-of-fuel", `seed ${seed} ${e.name}: budget = count - 1 must run out`);
              assert.is(short.used + short.left, expected - 1);
            }
            budgetChecks++;
          }
        }
      }
    }
  } finally {
    gen.close();
  }
  console.log(`# SIMD fuel oracle: ${calls} export calls equal the instrumented count; ${budgetChecks} exact-budget checks (about ${simdOps} SIMD opcodes in the modules)`);
  assert.ok(calls > 10, `only ${calls} calls checked`);
});

test.run();
