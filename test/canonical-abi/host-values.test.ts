/**
 * Host values handed to the ABI: every type accepts its documented host form (see
 * `canonical-abi/types.ts`) and refuses anything else with an `InvalidHostValueError` naming
 * the type and the value — never a raw TypeError/RangeError.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { lower_flat } from "../../canonical-abi/abi/lower.js";
import { lift_flat, CoreValueIter } from "../../canonical-abi/abi/lift.js";
import { store } from "../../canonical-abi/abi/store.js";
import { load } from "../../canonical-abi/abi/load.js";
import { InvalidHostValueError } from "../../canonical-abi/errors.js";
import { T, type ValType, type Value } from "../../canonical-abi/types.js";
import { Heap, mk_cx } from "./helpers/heap.js";

const cases: [ValType, Value, Value[]][] = [
  [T.bool, true, [1, "true", null as never]],
  [T.u8, 255, [256, -1, 1.5, "1", 1n]],
  [T.s8, -128, [-129, 128]],
  [T.u16, 65535, [65536]],
  [T.s16, -32768, [32768]],
  [T.u32, 4294967295, [2 ** 32, -1, NaN]],
  [T.s32, -(2 ** 31), [2 ** 31]],
  [T.u64, 2n ** 64n - 1n, [2n ** 64n, -1n, 1.5, "1"]],
  [T.s64, -(2n ** 63n), [2n ** 63n]],
  [T.f32, 1.5, ["1.5", 1n]],
  [T.f64, NaN, [true]],
  [T.char, "😀", ["", "ab", "\ud800", 65]],
  [T.string, "héllo", [5, "\udc00x", null as never]],
  [T.list(T.u8), Uint8Array.of(1, 2), [[256], "ab", { length: 1 } as never]],
  [T.list(T.string), ["a", "b"], [[1], "ab"]],
  [T.record([["a-b", T.u8]]), { "a-b": 1 }, [{ a: 1 }, [1], null as never]],
  [T.tuple([T.u8, T.string]), [1, "x"], [[1], { 0: 1, 1: "x" }]],
  [T.variant([["c", T.u8], ["d", null]]), { tag: "c", value: 3 }, [{ tag: "e" }, { tag: "c" }, "c"]],
  [T.enum(["x", "y"]), "y", ["z", 1, { tag: "x" }]],
  [T.option(T.u8), { tag: "some", value: 1 }, [null as never, 1, { tag: "some" }, { tag: "ok", value: 1 }]],
  [T.result(T.u8, null), { tag: "err" }, [{ tag: "error" }, { tag: "ok" }]],
  [T.flags(["a", "b"]), { b: true }, [{ c: true }, { a: 1 }, ["a"]]],
];

test("each type accepts its host form, flat and in memory", () => {
  for (const [t, good] of cases) {
    const heap = new Heap(256);
    const cx = mk_cx(heap.memory, "utf8", heap.realloc);
    const flat = lower_flat(cx, good, t);
    const back = lift_flat(cx, new CoreValueIter(flat), t);
    const expect = t.kind === "flags" ? { a: false, b: true } : t.kind === "f64" ? NaN : good;
    if (t.kind === "f64") assert.ok(Number.isNaN(back as number));
    else assert.equal(back, expect, `flat ${t.kind}`);
    const heap2 = new Heap(256);
    const cx2 = mk_cx(heap2.memory, "utf8", heap2.realloc);
    const ptr = heap2.realloc(0, 0, 8, 64);
    store(cx2, good, t, ptr);
    const back2 = load(cx2, ptr, t);
    if (t.kind === "f64") assert.ok(Number.isNaN(back2 as number));
    else assert.equal(back2, expect, `memory ${t.kind}`);
  }
});

test("anything else is an InvalidHostValueError, flat and in memory", () => {
  let n = 0;
  for (const [t, , bads] of cases) {
    for (const bad of bads) {
      const heap = new Heap(256);
      const cx = mk_cx(heap.memory, "utf8", heap.realloc);
      for (const run of [() => lower_flat(cx, bad, t), () => store(cx, bad, t, 64)]) {
        try {
          run();
          assert.unreachable(`${t.kind} accepted ${String(bad)}`);
        } catch (e) {
          if (!(e instanceof InvalidHostValueError)) throw new Error(`${t.kind} with ${String(bad)}: ${String(e)}`);
          assert.is(e.code, "invalid-host-value");
          n++;
        }
      }
    }
  }
  console.log(`\n# host values: ${n} ill-typed values refused with InvalidHostValueError`);
});

test.run();
