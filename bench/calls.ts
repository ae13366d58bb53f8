/**
 * The `calls` rows of `npm run bench`: what one call across the host boundary costs, ours and
 * V8's, in the parent process (CPU time, ns per call, the median of 5 timed batches after 2
 * warm-up batches):
 * - host -> wasm: a small exported function (`i32.add` of its argument and 1) in a module without
 *   a function table, and the same in a module with one (as nearly every program compiled from C
 *   or Rust has: a host calling such a guest in a loop, like sql.js's statements, met that cost);
 * - wasm -> host: a guest loop that calls a host import per iteration (the loop's own ops
 *   included: 11 wasm instructions per iteration).
 * The modules are assembled here, byte by byte (no tool needed).
 */
import type { OurNamespace } from "../scripts/spec/our-engine.js";
import { median } from "./stats.js";

export interface CallRow {
  name: string;
  oursNs: number;
  v8Ns: number;
}

/** A section: id, size, contents (every size here is below 128: one LEB byte). */
const section = (id: number, bytes: number[]): number[] => [id, bytes.length, ...bytes];
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** Type 0: (i32) -> i32. */
const TYPES = section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]);
/** `(func (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))`. */
const ADD_ONE = [0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x0b];

/** `f` = add one; with `table`: a one-element funcref table holding it (an active element segment). */
function addOneModule(table: boolean): Uint8Array {
  return new Uint8Array([
    ...HEADER,
    ...TYPES,
    ...section(3, [1, 0]),
    ...(table ? section(4, [1, 0x70, 0x00, 1]) : []),
    ...section(7, [1, 1, 0x66, 0x00, 0]),
    ...(table ? section(9, [1, 0x00, 0x41, 0x00, 0x0b, 1, 0]) : []),
    ...section(10, [1, ADD_ONE.length, ...ADD_ONE]),
  ]);
}

/**
 * Imports `h.g: (i32) -> i32`; `f(n)` calls it n times: `(loop (local.set 2 (i32.add (local.get 2)
 * (call $g (local.get 1)))) (br_if 0 (i32.lt_u (local.tee 1 (i32.add (local.get 1) (i32.const 1)))
 * (local.get 0)))) (local.get 2)`.
 */
function hostLoopModule(): Uint8Array {
  const body = [
    1, 2, 0x7f,
    0x03, 0x40,
    0x20, 0x02, 0x20, 0x01, 0x10, 0x00, 0x6a, 0x21, 0x02,
    0x20, 0x01, 0x41, 0x01, 0x6a, 0x22, 0x01, 0x20, 0x00, 0x49, 0x0d, 0x00,
    0x0b,
    0x20, 0x02,
    0x0b,
  ];
  return new Uint8Array([
    ...HEADER,
    ...TYPES,
    ...section(2, [1, 1, 0x68, 1, 0x67, 0x00, 0]),
    ...section(3, [1, 0]),
    ...section(7, [1, 1, 0x66, 0x00, 1]),
    ...section(10, [1, body.length, ...body]),
  ]);
}

/** ns of CPU time per call of `batch(n)` (which makes n calls): the median of 5 timed batches after 2 warm-up ones. */
function nsPerCall(batch: (n: number) => void, n: number): number {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const c0 = process.cpuUsage();
    batch(n);
    const c = process.cpuUsage(c0);
    if (i >= 2) times.push(((c.user + c.system) * 1000) / n);
  }
  return median(times);
}

type Engine = { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: Record<string, unknown> } };

/** The call rows, ours (`ours`) against Node's own engine. */
export function callRows(ours: OurNamespace, quick: boolean): CallRow[] {
  const engines: [string, Engine][] = [["ours", ours as unknown as Engine], ["v8", WebAssembly as unknown as Engine]];
  const scale = quick ? 0.25 : 1;
  const rows: CallRow[] = [];
  const hostToWasm = (table: boolean): CallRow => {
    const ns: Record<string, number> = {};
    for (const [name, e] of engines) {
      const f = new e.Instance(new e.Module(addOneModule(table)), {}).exports.f as (x: number) => number;
      let sink = 0;
      ns[name] = nsPerCall((n) => {
        for (let i = 0; i < n; i++) sink += f(i & 7);
      }, Math.round((name === "ours" ? 100_000 : 2_000_000) * scale));
      if (sink < 0) throw new Error("unreachable");
    }
    return { name: `host -> wasm, ${table ? "module with a function table" : "module without a table"}`, oursNs: ns.ours!, v8Ns: ns.v8! };
  };
  rows.push(hostToWasm(false), hostToWasm(true));
  const ns: Record<string, number> = {};
  for (const [name, e] of engines) {
    const f = new e.Instance(new e.Module(hostLoopModule()), { h: { g: (x: number) => x ^ 1 } }).exports.f as (n: number) => number;
    ns[name] = nsPerCall((n) => void f(n), Math.round((name === "ours" ? 200_000 : 2_000_000) * scale));
  }
  rows.push({ name: "wasm -> host, an import called in a guest loop", oursNs: ns.ours!, v8Ns: ns.v8! });
  return rows;
}
