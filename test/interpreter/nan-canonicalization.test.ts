// NaN canonicalisation (Store option `canonicalizeNaNs`, as wasmtime's cranelift_nan_canonicalization):
// every float arithmetic result that is a NaN becomes the canonical NaN; bit operations, moves,
// loads and reinterpretations keep their bits. Checked op by op on NaN payloads, and on random
// programs against Node's engine running the same program with every float arithmetic result
// passed through a canonicalising function (test/tools/shortcut-programs.ts).
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { Instance, InvalidArgumentTypeError, Module, RuntimeError, Store, invokeRaw } from "../../interpreter/index.js";
import { trapGroup } from "../../scripts/fuzz/diff.js";
import { ShortcutProgram, shortcutArgs } from "../tools/shortcut-programs.js";

const wabt = await (createRequire(import.meta.url)("wabt") as () => Promise<{ parseWat(n: string, s: string, f?: object): { toBinary(o: object): { buffer: Uint8Array } } }>)();
const bin = (src: string): Uint8Array => wabt.parseWat("t.wat", src, { multi_value: true }).toBinary({}).buffer;
type Fn = (...a: unknown[]) => unknown;

const CANON32 = 0x7fc00000;
const CANON64 = 0x7ff8000000000000n;
const NAN32 = 0x7fa12345; // a signalling NaN with a payload
const NEG_NAN32 = 0xffc0abcd;
const NAN64 = 0x7ff4000000000abcn;
const NEG_NAN64 = 0xfff8000000001234n;

function exportsWith(src: string, canonicalizeNaNs: boolean): Record<string, unknown> {
  return new Instance(new Module(bin(src)), {}, { store: new Store({ canonicalizeNaNs }) }).exports;
}

const F32_UNARY = ["ceil", "floor", "trunc", "nearest", "sqrt"];
const F32_BINARY = ["add", "sub", "mul", "div", "min", "max"];

test("every NaN-producing f32/f64 op gives the canonical NaN; abs/neg/copysign/moves keep the bits", () => {
  const fns: string[] = [];
  for (const t of ["f32", "f64"]) {
    for (const op of F32_UNARY) fns.push(`(func (export "${t}.${op}") (param ${t}) (result ${t}) (${t}.${op} (local.get 0)))`);
    for (const op of F32_BINARY) fns.push(`(func (export "${t}.${op}") (param ${t} ${t}) (result ${t}) (${t}.${op} (local.get 0) (local.get 1)))`);
    for (const op of ["abs", "neg"]) fns.push(`(func (export "${t}.${op}") (param ${t}) (result ${t}) (${t}.${op} (local.get 0)))`);
    fns.push(`(func (export "${t}.copysign") (param ${t} ${t}) (result ${t}) (${t}.copysign (local.get 0) (local.get 1)))`);
    fns.push(`(func (export "${t}.id") (param ${t}) (result ${t}) (local.get 0))`);
    fns.push(`(func (export "${t}.store-load") (param ${t}) (result ${t}) (${t}.store (i32.const 8) (local.get 0)) (${t}.load (i32.const 8)))`);
  }
  fns.push(`(func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))`);
  fns.push(`(func (export "promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))`);
  fns.push(`(func (export "inf-inf") (result f64) (f64.sub (f64.const inf) (f64.const inf)))`);
  const src = `(module (memory 1) ${fns.join("\n")})`;
  const on = exportsWith(src, true), off = exportsWith(src, false);
  for (const [t, nans, canon] of [["f32", [NAN32, NEG_NAN32], CANON32], ["f64", [NAN64, NEG_NAN64], CANON64]] as const) {
    for (const x of nans) {
      for (const op of F32_UNARY) assert.equal(invokeRaw(on[`${t}.${op}`], [x]), [canon], `${t}.${op}`);
      for (const op of F32_BINARY) {
        const one = t === "f32" ? 0x3f800000 : 0x3ff0000000000000n;
        assert.equal(invokeRaw(on[`${t}.${op}`], [x, one]), [canon], `${t}.${op}(nan, 1)`);
        assert.equal(invokeRaw(on[`${t}.${op}`], [one, x]), [canon], `${t}.${op}(1, nan)`);
      }
      // bit operations and moves: the same bits with and without canonicalisation
      for (const name of ["abs", "neg", "id", "store-load"]) assert.equal(invokeRaw(on[`${t}.${name}`], [x]), invokeRaw(off[`${t}.${name}`], [x]), `${t}.${name}`);
      const neg = t === "f32" ? 0xbf800000 : 0xbff0000000000000n;
      assert.equal(invokeRaw(on[`${t}.copysign`], [x, neg]), invokeRaw(off[`${t}.copysign`], [x, neg]), `${t}.copysign`);
    }
    // non-NaN results are untouched
    const two = t === "f32" ? 0x40000000 : 0x4000000000000000n;
    assert.equal(invokeRaw(on[`${t}.add`], [two, two]), invokeRaw(off[`${t}.add`], [two, two]));
  }
  assert.equal(invokeRaw(on.demote, [NAN64]), [CANON32]);
  assert.equal(invokeRaw(on.promote, [NAN32]), [CANON64]);
  assert.equal(invokeRaw(on["inf-inf"], []), [CANON64]);
  assert.equal(invokeRaw(on["f32.id"], [NAN32]), [NAN32], "a NaN argument passes through unchanged");
});

test("the option is checked and per store (a module compiled once serves both modes)", () => {
  assert.throws(() => new Store({ canonicalizeNaNs: "yes" as unknown as boolean }), (e: unknown) => e instanceof InvalidArgumentTypeError && /canonicalizeNaNs/.test((e as Error).message));
  const m = new Module(bin(`(module (func (export "f") (param f32) (result f32) (f32.add (local.get 0) (f32.const 1))))`));
  const on = new Instance(m, {}, { store: new Store({ canonicalizeNaNs: true }) }).exports.f;
  const off = new Instance(m, {}, { store: new Store() }).exports.f;
  assert.equal(invokeRaw(on, [NAN32]), [CANON32]);
  assert.equal(invokeRaw(off, [CANON32]), [CANON32]);
  assert.ok(new Store().canonicalizeNaNs === false && new Store({ canonicalizeNaNs: true }).canonicalizeNaNs === true);
});

test("random programs with raw float arithmetic, canonicalised, equal Node's run with canonicalising wrappers", () => {
  let calls = 0;
  for (let seed = 1; seed <= 250; seed++) {
    const raw = bin(new ShortcutProgram(seed, { canonWrap: false }).module());
    const wrapped = bin(new ShortcutProgram(seed).module());
    const module = new Module(raw);
    for (let k = 0; k < 2; k++) {
      const args = shortcutArgs(seed * 7 + k);
      const node = new WebAssembly.Instance(new WebAssembly.Module(wrapped as Uint8Array<ArrayBuffer>)).exports;
      const ours = new Instance(module, {}, { store: new Store({ canonicalizeNaNs: true }) }).exports;
      let a: unknown, b: unknown;
      try { a = (node.f as Fn)(...args); } catch (e) { a = `trap ${trapGroup({ message: (e as Error).message } as Parameters<typeof trapGroup>[0])}`; }
      try { b = (ours.f as Fn)(...args); } catch (e) { if (!(e instanceof RuntimeError)) throw e; b = `trap ${trapGroup({ trap: e.trap, message: e.message } as Parameters<typeof trapGroup>[0])}`; }
      assert.is(b, a, `seed ${seed}, args ${args.map(String)}`);
      const ma = new Uint8Array((node.mem as WebAssembly.Memory).buffer), mb = new Uint8Array((ours.mem as { buffer: ArrayBuffer }).buffer);
      assert.ok(Buffer.compare(ma, mb) === 0, `memory, seed ${seed}`);
      calls++;
    }
  }
  console.log(`# NaN canonicalisation: ${calls} calls of 250 random programs equal Node's canonicalised run`);
});

test.run();
