/**
 * Crafted hostile inputs: structures that random mutation of small seeds cannot reach because
 * they must be *large* or *deep* while staying well formed: huge `br_table`s, 100k nested blocks,
 * 10^5..10^6 types / exports / segments, component types with millions of members, deep type
 * nesting, declared sizes far over the store limits. Each is built deterministically by a short
 * recipe, run like a campaign case (`--crafted`), and must give only typed errors within bounds.
 */
import { sleb, uleb } from "./leb128.js";
import { concat } from "./sections.js";
import type { Target } from "./run-case.js";

/** A crafted input. */
export interface Crafted {
  readonly name: string;
  readonly target: Target;
  readonly build: () => Uint8Array;
}

const u8 = (...x: number[]): Uint8Array => Uint8Array.from(x);
/** A section: id, size, content. */
export const section = (id: number, ...parts: Uint8Array[]): Uint8Array => {
  const c = concat(parts);
  return concat([u8(id), uleb(c.length), c]);
};
const vec = (items: readonly Uint8Array[]): Uint8Array => concat([uleb(items.length), ...items]);
const name = (s: string): Uint8Array => {
  const b = new TextEncoder().encode(s);
  return concat([uleb(b.length), b]);
};
/** `n` copies of `x`. */
export const repeat = (n: number, x: Uint8Array): Uint8Array => {
  const out = new Uint8Array(n * x.length);
  for (let i = 0; i < n; i++) out.set(x, i * x.length);
  return out;
};
/** Core module preamble. */
export const CORE = u8(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
/** Component preamble (version 0x0d, layer 1). */
export const COMPONENT = u8(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);

/** A module with one function `[] -> []` exported as `f`, whose body (after a local declaration list) is `code` + `end`. */
export function oneFunction(code: Uint8Array, locals: Uint8Array = u8(0)): Uint8Array {
  const body = concat([locals, code, u8(0x0b)]);
  return concat([
    CORE,
    section(1, vec([u8(0x60, 0, 0)])),
    section(3, vec([u8(0)])),
    section(7, vec([concat([name("f"), u8(0x00, 0x00)])])),
    section(10, vec([concat([uleb(body.length), body])])),
  ]);
}

/**
 * A module with a memory (1 page, max 1024), a funcref table (1 element, no maximum), one passive
 * data and one passive element segment, and `f: [] -> []` running `code`.
 */
export function withMemoryAndTable(code: Uint8Array): Uint8Array {
  const body = concat([u8(0), code, u8(0x0b)]);
  return concat([
    CORE,
    section(1, vec([u8(0x60, 0, 0)])),
    section(3, vec([u8(0)])),
    section(4, vec([u8(0x70, 0, 1)])),
    section(5, vec([u8(1, 1, 0x80, 0x08)])),
    section(7, vec([concat([name("f"), u8(0, 0)])])),
    section(9, vec([u8(1, 0, 1, 0)])),
    section(12, uleb(1)),
    section(10, vec([concat([uleb(body.length), body])])),
    section(11, vec([concat([u8(1), uleb(16), new Uint8Array(16)])])),
  ]);
}

/** A `br_table` with `n` + 1 targets (all depth 0) inside one block. */
export function brTable(n: number): Uint8Array {
  return oneFunction(concat([u8(0x02, 0x40, 0x41, 0x00, 0x0e), uleb(n), new Uint8Array(n + 1), u8(0x0b)]));
}

/** A component whose type section defines one tuple of `n` u32s. */
export function componentTuple(n: number): Uint8Array {
  return concat([COMPONENT, section(7, uleb(1), u8(0x6f), uleb(n), repeat(n, u8(0x79)))]);
}

/** A component whose type section defines `n` times `list<u8>`. */
export function componentListTypes(n: number): Uint8Array {
  return concat([COMPONENT, section(7, uleb(n), repeat(n, u8(0x70, 0x7d)))]);
}

function manyLabels(tag: number, n: number, prefix: string, after: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [u8(tag), uleb(n)];
  for (let i = 0; i < n; i++) parts.push(name(`${prefix}${i}`), after);
  return concat(parts);
}

/** The crafted set. */
export const CRAFTED: readonly Crafted[] = [
  { name: "br_table with 2^21 targets", target: "core", build: () => brTable(2 ** 21) },
  { name: "br_table with 65,536 targets", target: "core", build: () => brTable(65_536) },
  { name: "100,000 nested blocks", target: "core", build: () => oneFunction(concat([repeat(100_000, u8(0x02, 0x40)), repeat(100_000, u8(0x0b))])) },
  { name: "100,000 nested blocks with an i32 result", target: "core", build: () => oneFunction(concat([repeat(100_000, u8(0x02, 0x7f)), u8(0x41, 0), repeat(100_000, u8(0x0b)), u8(0x1a)])) },
  { name: "100,000 nested ifs", target: "core", build: () => oneFunction(concat([repeat(100_000, u8(0x41, 1, 0x04, 0x40)), repeat(100_000, u8(0x0b))])) },
  { name: "100,000 nested loops, br_if to the outermost", target: "core", build: () => oneFunction(concat([repeat(100_000, u8(0x03, 0x40)), u8(0x41, 0, 0x0d), uleb(99_999), repeat(100_000, u8(0x0b))])) },
  { name: "300,000 i32.const then drops (deep operand stack)", target: "core", build: () => oneFunction(concat([repeat(300_000, u8(0x41, 0x7f)), repeat(300_000, u8(0x1a))])) },
  { name: "50,000 locals, self-recursive (value stack limit)", target: "core", build: () => oneFunction(u8(0x10, 0x00), concat([uleb(1), uleb(50_000), u8(0x7e)])) },
  { name: "infinite loop (fuel)", target: "core", build: () => oneFunction(u8(0x03, 0x40, 0x0c, 0x00, 0x0b)) },
  {
    name: "1000 params and 1000 results through calls and blocks", target: "core", build: () => {
      const n = 1000;
      const i32s = repeat(n, u8(0x7f));
      const types = section(1, vec([concat([u8(0x60, 0), uleb(n), i32s]), concat([u8(0x60), uleb(n), i32s, u8(0)]), concat([u8(0x60), uleb(n), i32s, uleb(n), i32s]), u8(0x60, 0, 0)]));
      const body = (code: Uint8Array): Uint8Array => {
        const b = concat([u8(0), code, u8(0x0b)]);
        return concat([uleb(b.length), b]);
      };
      return concat([
        CORE, types, section(3, vec([u8(0), u8(1), u8(3)])),
        section(7, vec([concat([name("f"), u8(0, 2)])])),
        section(10, vec([body(repeat(n, u8(0x41, 0))), body(u8()), body(u8(0x10, 0, 0x02, 2, 0x0b, 0x03, 2, 0x0b, 0x10, 1))])),
      ]);
    },
  },
  { name: "300,000 types", target: "core", build: () => concat([CORE, section(1, uleb(300_000), repeat(300_000, u8(0x60, 0, 0)))]) },
  {
    name: "100,000 exports", target: "core", build: () => {
      const exps: Uint8Array[] = [];
      for (let i = 0; i < 100_000; i++) exps.push(concat([name(`e${i}`), u8(0, 0)]));
      return concat([CORE, section(1, vec([u8(0x60, 0, 0)])), section(3, vec([u8(0)])), section(7, vec(exps)), section(10, vec([u8(2, 0, 0x0b)]))]);
    },
  },
  { name: "300,000 passive element segments", target: "core", build: () => concat([CORE, section(9, uleb(300_000), repeat(300_000, u8(1, 0, 0)))]) },
  { name: "300,000 passive data segments", target: "core", build: () => concat([CORE, section(12, uleb(300_000)), section(11, uleb(300_000), repeat(300_000, u8(1, 0)))]) },
  { name: "memory of 65,536 pages", target: "core", build: () => concat([CORE, section(5, vec([concat([u8(0), uleb(65_536)])]))]) },
  { name: "table of 2^32-1 elements", target: "core", build: () => concat([CORE, section(4, vec([concat([u8(0x70, 0), uleb(2 ** 32 - 1)])]))]) },
  { name: "imported memory of 65,536 pages and table of 2^32-1", target: "core", build: () => concat([CORE, section(2, vec([concat([name("m"), name("m"), u8(2, 0), uleb(65_536)]), concat([name("m"), name("t"), u8(1, 0x70, 0), uleb(2 ** 32 - 1)])]))]) },
  { name: "export name of 4 MiB", target: "core", build: () => concat([CORE, section(1, vec([u8(0x60, 0, 0)])), section(3, vec([u8(0)])), section(7, vec([concat([name("x".repeat(4 << 20)), u8(0, 0)])])), section(10, vec([u8(2, 0, 0x0b)]))]) },
  { name: "32 MiB data segment into a 1-page memory", target: "core", build: () => concat([CORE, section(5, vec([u8(0, 1)])), section(11, vec([concat([u8(0, 0x41, 0, 0x0b), uleb(32 << 20), new Uint8Array(32 << 20)])]))]) },
  {
    name: "memory.fill of 64 MiB", target: "core", build: () => {
      const b = concat([u8(0, 0x41, 0, 0x41, 0, 0x41, 0x80, 0x80, 0x80, 0x20, 0xfc, 11, 0), u8(0x0b)]);
      return concat([CORE, section(1, vec([u8(0x60, 0, 0)])), section(3, vec([u8(0)])), section(5, vec([u8(0, 0x80, 0x08)])), section(7, vec([concat([name("f"), u8(0, 0)])])), section(10, vec([concat([uleb(b.length), b])]))]);
    },
  },
  { name: "table.grow by 2^32-1", target: "core", build: () => withMemoryAndTable(u8(0xd0, 0x70, 0x41, 0x7f, 0xfc, 15, 0, 0x1a)) },
  { name: "table.fill / table.copy / table.init of 2^32-1 elements", target: "core", build: () => withMemoryAndTable(u8(0x41, 0, 0xd0, 0x70, 0x41, 0x7f, 0xfc, 17, 0, 0x41, 0, 0x41, 0, 0x41, 0x7f, 0xfc, 14, 0, 0, 0x41, 0, 0x41, 0, 0x41, 0x7f, 0xfc, 12, 0, 0)) },
  { name: "memory.grow by 2^32-1, memory.fill / copy / init of 2^32-1 bytes", target: "core", build: () => withMemoryAndTable(u8(0x41, 0x7f, 0x40, 0, 0x1a, 0x41, 0, 0x41, 0, 0x41, 0x7f, 0xfc, 11, 0, 0x41, 0, 0x41, 1, 0x41, 0x7f, 0xfc, 10, 0, 0, 0x41, 0, 0x41, 0, 0x41, 0x7f, 0xfc, 8, 0, 0)) },
  { name: "load at address 2^32-1 with offset 2^32-1", target: "core", build: () => withMemoryAndTable(concat([u8(0x41, 0x7f, 0x28, 2), uleb(2 ** 32 - 1), u8(0x1a)])) },
  { name: "memory.grow to the store limit in a loop, then fill it", target: "core", build: () => withMemoryAndTable(u8(0x03, 0x40, 0x41, 0xc0, 0x00, 0x40, 0, 0x41, 0x7f, 0x47, 0x0d, 0, 0x0b, 0x41, 0, 0x41, 0, 0x41, 0x80, 0x80, 0x80, 0x20, 0xfc, 11, 0)) },
  { name: "component tuple of 2^21 u32s", target: "component", build: () => componentTuple(2 ** 21) },
  { name: "component record of 2^20 fields", target: "component", build: () => concat([COMPONENT, section(7, uleb(1), manyLabels(0x72, 2 ** 20, "f", u8(0x79)))]) },
  { name: "component variant of 2^20 cases", target: "component", build: () => concat([COMPONENT, section(7, uleb(1), manyLabels(0x71, 2 ** 20, "c", u8(0x01, 0x79, 0x00)))]) },
  { name: "component enum of 100,000 labels", target: "component", build: () => concat([COMPONENT, section(7, uleb(1), manyLabels(0x6d, 100_000, "e", u8()))]) },
  { name: "component flags of 100,000 labels", target: "component", build: () => concat([COMPONENT, section(7, uleb(1), manyLabels(0x6e, 100_000, "g", u8()))]) },
  { name: "component with 1,000,000 list<u8> types", target: "component", build: () => componentListTypes(1_000_000) },
  {
    name: "component type list<list<...>> 10,000 deep", target: "component", build: () => {
      const parts: Uint8Array[] = [u8(0x70, 0x7d)];
      // a type index in a value type position is an s33
      for (let i = 1; i < 10_000; i++) parts.push(concat([u8(0x70), sleb(i - 1)]));
      return concat([COMPONENT, section(7, uleb(10_000), concat(parts))]);
    },
  },
  {
    name: "50,000 nested components", target: "component", build: () => {
      let c = COMPONENT;
      for (let i = 0; i < 50_000; i++) c = concat([COMPONENT, section(4, c)]);
      return c;
    },
  },
  { name: "host: component tuple of 2^21 u32s", target: "host", build: () => componentTuple(2 ** 21) },
  { name: "host: br_table module given as a component", target: "host", build: () => brTable(2 ** 21) },
];
