/**
 * The fuel oracle's module rewriter (test-only, independent of our decoder and translator).
 *
 * It rewrites a module so that it counts its own cost (fuel.md §6) in a mutable i64 global
 * exported as `__fuel`, then the module runs on Node's WebAssembly:
 * - before every instruction whose flat cost is not 0, `__fuel += cost` (so a trapping
 *   instruction's flat cost is counted, as the rule requires);
 * - at every defined function's entry, `__fuel += 1`;
 * - with per-unit costs ("wasmtime"), after the flat cost of a bulk op and only when its bounds
 *   check passes, `__fuel += units` (memory.copy/fill/init: bytes; table.copy/fill/init:
 *   elements); table.grow always adds the requested delta; memory.grow adds 0 per page.
 *   Passive segment lengths are tracked in extra globals (data.drop / elem.drop set them to 0;
 *   active and declarative segments start at 0, as after instantiation).
 *
 * Costs: 0 for nop, drop, block, loop, unreachable, return, else, end; 1 for everything else.
 * This rule is written out here from fuel.md, on purpose not read from the opcode table's `free`
 * flags: the oracle checks the costs the library derives from that table. (Instructions are read
 * by `scripts/fuzz/wasm-parse.ts`, which does use the table's immediate layouts.)
 */
import { HEADER, bytes as concat, funcBody, name, section, sleb, uleb, vec } from "../../scripts/spec/wasm-encode.js";
import { rebuildModule, exportSection } from "../../scripts/fuzz/module-edit.js";
import { instructions, parseModule, tableElemType } from "../../scripts/fuzz/wasm-parse.js";
import type { Instr } from "../../scripts/fuzz/wasm-parse.js";

/** The two cost presets of fuel.md §6.1. */
export type OracleCosts = "wasmtime" | "instructions";

export const FUEL_EXPORT = "__fuel";

const ZERO_COST = new Set([0x01, 0x1a, 0x02, 0x03, 0x00, 0x0f, 0x05, 0x0b]);

/** Flat cost of an opcode word (0xFC ops as 0xfc00|sub). */
export function flatCost(op: number): number {
  return ZERO_COST.has(op) ? 0 : 1;
}

// Opcodes used in inserted code.
const GLOBAL_GET = 0x23, GLOBAL_SET = 0x24, LOCAL_GET = 0x20, LOCAL_SET = 0x21, I64_CONST = 0x42, I64_ADD = 0x7c;
const I64_EXTEND_I32_U = 0xad, I64_LE_U = 0x58, I64_SHL = 0x86, I32_AND = 0x71, I32_CONST = 0x41, IF = 0x04, END = 0x0b;

/**
 * Returns the instrumented module. `costs` selects whether per-unit bulk costs are counted.
 * Throws on modules it cannot handle (SIMD, or an existing export named `__fuel`).
 */
export function instrumentFuel(input: Uint8Array, costs: OracleCosts = "wasmtime"): Uint8Array {
  const m = parseModule(input);
  if (m.exports.some((e) => e.name === FUEL_EXPORT)) throw new Error(`module already exports ${FUEL_EXPORT}`);
  const perUnit = costs === "wasmtime";
  const F = m.importedGlobals + m.globals.length; // the fuel global
  const dataLen = (k: number): number => F + 1 + k; // remaining length of data segment k
  const elemLen = (k: number): number => F + 1 + m.datas.length + k;

  const fuelAddConst = (c: number): number[] => [GLOBAL_GET, ...uleb(F), I64_CONST, ...sleb(c), I64_ADD, GLOBAL_SET, ...uleb(F)];
  /** `__fuel += extend_u(local x)` */
  const fuelAddLocal = (x: number): number[] => [GLOBAL_GET, ...uleb(F), LOCAL_GET, ...uleb(x), I64_EXTEND_I32_U, I64_ADD, GLOBAL_SET, ...uleb(F)];
  /** i64 value on the stack: `extend_u(local a) + extend_u(local n)` */
  const sum = (a: number, n: number): number[] => [LOCAL_GET, ...uleb(a), I64_EXTEND_I32_U, LOCAL_GET, ...uleb(n), I64_EXTEND_I32_U, I64_ADD];
  const memBytes = (): number[] => [0x3f, 0x00, I64_EXTEND_I32_U, I64_CONST, 16, I64_SHL];
  const tableLen = (t: number): number[] => [0xfc, ...uleb(16), ...uleb(t), I64_EXTEND_I32_U];
  const globalLen = (g: number): number[] => [GLOBAL_GET, ...uleb(g), I64_EXTEND_I32_U];
  /** `if (cond1 && cond2) __fuel += n`, each cond an i32 on the stack. */
  const chargeIf = (conds: number[][], n: number): number[] => {
    const out: number[] = [];
    conds.forEach((c, i) => {
      out.push(...c);
      if (i > 0) out.push(I32_AND);
    });
    out.push(IF, 0x40, ...fuelAddLocal(n), END);
    return out;
  };

  const bodies: number[][] = [];
  m.bodies.forEach((body, fi) => {
    const type = m.types[m.funcs[fi]];
    let nLocals = type.params.length;
    for (const [c] of body.locals) nLocals += c;
    // Scratch locals: three i32, one funcref, one externref.
    const A = nLocals, B = nLocals + 1, C = nLocals + 2, RF = nLocals + 3, RX = nLocals + 4;
    const code: number[] = [...fuelAddConst(1)]; // function entry
    const copy = (ins: Instr): void => {
      for (let i = ins.start; i < ins.end; i++) code.push(m.bytes[i]);
    };
    const saveABC = (): number[] => [LOCAL_SET, ...uleb(C), LOCAL_SET, ...uleb(B), LOCAL_SET, ...uleb(A)];
    const loadABC = (): number[] => [LOCAL_GET, ...uleb(A), LOCAL_GET, ...uleb(B), LOCAL_GET, ...uleb(C)];
    for (const ins of instructions(m.bytes, body.codeStart, body.codeEnd)) {
      const c = flatCost(ins.op);
      if (c !== 0) code.push(...fuelAddConst(c));
      if (perUnit) {
        switch (ins.op) {
          case 0xfc0a: // memory.copy [d s n]
            code.push(...saveABC(), ...chargeIf([[...sum(A, C), ...memBytes(), I64_LE_U], [...sum(B, C), ...memBytes(), I64_LE_U]], C), ...loadABC());
            break;
          case 0xfc0b: // memory.fill [d val n]
            code.push(...saveABC(), ...chargeIf([[...sum(A, C), ...memBytes(), I64_LE_U]], C), ...loadABC());
            break;
          case 0xfc08: // memory.init x [d s n]
            code.push(...saveABC(), ...chargeIf([[...sum(A, C), ...memBytes(), I64_LE_U], [...sum(B, C), ...globalLen(dataLen(ins.imm[0])), I64_LE_U]], C), ...loadABC());
            break;
          case 0xfc0e: // table.copy dst src [d s n]
            code.push(...saveABC(), ...chargeIf([[...sum(A, C), ...tableLen(ins.imm[0]), I64_LE_U], [...sum(B, C), ...tableLen(ins.imm[1]), I64_LE_U]], C), ...loadABC());
            break;
          case 0xfc0c: // table.init x t [d s n]
            code.push(...saveABC(), ...chargeIf([[...sum(A, C), ...tableLen(ins.imm[1]), I64_LE_U], [...sum(B, C), ...globalLen(elemLen(ins.imm[0])), I64_LE_U]], C), ...loadABC());
            break;
          case 0xfc11: { // table.fill t [i val n]
            const R = tableElemType(m, ins.imm[0]) === 0x6f ? RX : RF;
            code.push(LOCAL_SET, ...uleb(C), LOCAL_SET, ...uleb(R), LOCAL_SET, ...uleb(A));
            code.push(...chargeIf([[...sum(A, C), ...tableLen(ins.imm[0]), I64_LE_U]], C));
            code.push(LOCAL_GET, ...uleb(A), LOCAL_GET, ...uleb(R), LOCAL_GET, ...uleb(C));
            break;
          }
          case 0xfc0f: // table.grow t [val n]: the requested delta is always charged
            code.push(LOCAL_SET, ...uleb(C), ...fuelAddLocal(C), LOCAL_GET, ...uleb(C));
            break;
        }
      }
      copy(ins);
      if (ins.op === 0xfc09) code.push(I32_CONST, 0, GLOBAL_SET, ...uleb(dataLen(ins.imm[0]))); // data.drop
      if (ins.op === 0xfc0d) code.push(I32_CONST, 0, GLOBAL_SET, ...uleb(elemLen(ins.imm[0]))); // elem.drop
    }
    // funcBody appends an `end`; the copied code already ends with the body's own `end`.
    code.pop();
    const locals: number[] = [];
    for (const [cnt, t] of body.locals) for (let i = 0; i < cnt; i++) locals.push(t);
    locals.push(0x7f, 0x7f, 0x7f, 0x70, 0x6f);
    bodies.push(funcBody(locals, code));
  });

  // Global section: originals + fuel + segment lengths.
  const globals: number[][] = m.globals.map((g) => [g.valType, g.mutable ? 1 : 0, ...g.init]);
  globals.push([0x7e, 1, I64_CONST, 0, END]);
  for (const d of m.datas) globals.push([0x7f, 1, I32_CONST, ...sleb(d.mode === "passive" ? d.length : 0), END]);
  for (const e of m.elems) globals.push([0x7f, 1, I32_CONST, ...sleb(e.mode === "passive" ? e.count : 0), END]);
  const exports = [...m.exports, { name: FUEL_EXPORT, kind: 3, index: F }];

  const replace = new Map<number, readonly number[]>([
    [6, vec(globals)],
    [7, exportSection(exports)],
  ]);
  if (m.bodies.length > 0) replace.set(10, vec(bodies));
  return rebuildModule(m, replace);
}

/** Re-exported for tests that build small modules by hand. */
export { HEADER, concat, name, section, uleb, vec };
