/**
 * Fuel cost tables (fuel.md §6.1): the flat cost of every wasm operator, the function-entry
 * cost and the per-unit costs of bulk operations. Presets: `"wasmtime"` (default; wasmtime ≥ v46
 * defaults) and `"instructions"` (same flat costs, no per-unit costs: a pure instruction count).
 * A custom {@link CostTable} starts from a preset and overrides operators by their text name.
 */
import { describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";
import { INSTRUCTIONS, isSupported, operatorIndex, SIMD_INDEX, SIMD_SUBS } from "../decode/opcode-table.js";

/** Per-unit costs of bulk operations, charged after the bounds check and before any write. */
export interface PerUnitCosts {
  readonly memoryCopy: number;
  readonly memoryFill: number;
  readonly memoryInit: number;
  readonly memoryGrow: number;
  readonly tableCopy: number;
  readonly tableFill: number;
  readonly tableInit: number;
  readonly tableGrow: number;
}

/** A custom cost table. All costs are non-negative integers. */
export interface CostTable {
  /** Preset to start from (default `"wasmtime"`). */
  readonly base?: "wasmtime" | "instructions";
  /** Flat cost per operator, by its text-format name (`"i32.add"`, `"call"`, `"memory.fill"`, ...). */
  readonly ops?: Readonly<Record<string, number>>;
  /** Cost of entering a wasm-defined function (default 1). */
  readonly functionEntry?: number;
  /** Overrides of the per-unit bulk costs. */
  readonly perUnit?: Partial<PerUnitCosts>;
}

/** Cost preset name or custom table, as accepted by `new Store({ costs })`. */
export type CostsOption = "wasmtime" | "instructions" | CostTable;

/** A resolved cost model: what the translator and executor read. */
export interface CostModel {
  /** Cache key: equal keys mean equal models. */
  readonly key: string;
  /** Flat cost by operator index: opcode byte for 0x00..0xff, `0x100 + sub` for 0xFC-prefixed, `0x200 + sub` for 0xFD-prefixed (SIMD). */
  readonly flat: Int32Array;
  readonly functionEntry: number;
  readonly perUnit: PerUnitCosts;
}

/** Operator index of a flat-stream opcode word (see decode/module.ts): the opcode table's {@link operatorIndex}. */
export const costIndex: (opWord: number) => number = operatorIndex;

/**
 * Length of {@link CostModel.flat}: the single-byte opcodes, the 0xFC sub-opcodes (the first 0x20
 * are used) and the SIMD sub-opcodes (at `SIMD_INDEX`: 0x100 fixed-width, then relaxed SIMD). Fixed,
 * because a custom model's key (which call snapshots record) lists the entries: the first
 * {@link KEY_SIZE} always, the fixed-width SIMD ones only when one of them differs from 1, the
 * relaxed SIMD ones likewise (so keys of tables without such costs are those written before SIMD
 * or relaxed SIMD existed).
 */
const FLAT_SIZE = SIMD_INDEX + SIMD_SUBS;
const KEY_SIZE = 0x120;

/** Operator index by text name: every implemented instruction of the opcode table. */
export const OPERATOR_INDEX: ReadonlyMap<string, number> = new Map(
  INSTRUCTIONS.filter(isSupported).map((ins) => {
    const index = operatorIndex(ins.code);
    if (index >= FLAT_SIZE) throw new Error(`cost table: operator ${ins.name} (index 0x${index.toString(16)}) does not fit the flat cost array`);
    return [ins.name, index];
  }),
);

/** The operators that cost 0 in every preset (the opcode table's `free` ones). */
const ZERO_COST = INSTRUCTIONS.filter((ins) => isSupported(ins) && ins.free === true).map((ins) => ins.name);
const WASMTIME_UNITS: PerUnitCosts = { memoryCopy: 1, memoryFill: 1, memoryInit: 1, memoryGrow: 0, tableCopy: 1, tableFill: 1, tableInit: 1, tableGrow: 1 };
const NO_UNITS: PerUnitCosts = { memoryCopy: 0, memoryFill: 0, memoryInit: 0, memoryGrow: 0, tableCopy: 0, tableFill: 0, tableInit: 0, tableGrow: 0 };

/**
 * The most fuel running code holds at a time, and the largest cost of one instruction, of one
 * translated op and of one fuel block's charge: 2^30 - 1, V8's largest small integer (Smi) with
 * pointer compression. So the dispatch loop's fuel register and the charges it subtracts are
 * always small integers: before V8 optimises the loop (the first call in a fresh process)
 * `fuel -= cost` allocates no heap number per block, and the optimised loop does integer
 * arithmetic. A store's budget above it waits in the store's bank (runtime/store.ts); the
 * translator splits a block that would cost more (translate/translator.ts `emit`).
 */
export const FUEL_WINDOW = 2 ** 30 - 1;

function checkCost(argument: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > FUEL_WINDOW) throw new InvalidArgumentRangeError(argument, `cost of ${what} must be an integer in 0..2^30-1, got ${describeValue(v)}`);
  return v;
}

const presets = new Map<string, CostModel>();

/** Resolves a preset name or custom table into a {@link CostModel}. Presets are shared objects. */
export function resolveCosts(option: CostsOption | undefined): CostModel {
  const given: unknown = option;
  if (typeof given === "string" && given !== "wasmtime" && given !== "instructions") throw new InvalidArgumentRangeError("options.costs", `unknown cost preset ${describeValue(given)} (expected "wasmtime", "instructions" or a cost table)`);
  if (given !== undefined && typeof given !== "string" && (typeof given !== "object" || given === null)) throw new InvalidArgumentTypeError("options.costs", `must be "wasmtime", "instructions" or a cost table object, got ${describeValue(given)}`);
  const opt: CostTable = option === undefined || option === "wasmtime" ? { base: "wasmtime" } : option === "instructions" ? { base: "instructions" } : option;
  const base = opt.base ?? "wasmtime";
  if (base !== "wasmtime" && base !== "instructions") throw new InvalidArgumentRangeError("options.costs.base", `unknown cost preset ${describeValue(base)}`);
  for (const field of ["ops", "perUnit"] as const) {
    const v: unknown = opt[field];
    if (v !== undefined && (typeof v !== "object" || v === null)) throw new InvalidArgumentTypeError(`options.costs.${field}`, `must be an object, got ${describeValue(v)}`);
  }
  const isPreset = opt.ops === undefined && opt.functionEntry === undefined && opt.perUnit === undefined;
  if (isPreset) {
    const p = presets.get(base);
    if (p !== undefined) return p;
  }
  const flat = new Int32Array(FLAT_SIZE).fill(1);
  for (const n of ZERO_COST) flat[OPERATOR_INDEX.get(n)!] = 0;
  for (const [name, cost] of Object.entries(opt.ops ?? {})) {
    const idx = OPERATOR_INDEX.get(name);
    if (idx === undefined) throw new InvalidArgumentRangeError(`options.costs.ops`, `unknown operator ${describeValue(name)} in cost table`);
    flat[idx] = checkCost(`options.costs.ops.${name}`, name, cost);
  }
  // typed `select` (0x1c) costs what `select` costs unless set on its own
  if (opt.ops?.["select"] !== undefined && opt.ops["select_t"] === undefined) flat[OPERATOR_INDEX.get("select_t")!] = flat[OPERATOR_INDEX.get("select")!]!;
  const perUnit: PerUnitCosts = { ...(base === "wasmtime" ? WASMTIME_UNITS : NO_UNITS) };
  for (const [k, v] of Object.entries(opt.perUnit ?? {})) {
    if (!Object.hasOwn(perUnit, k)) throw new InvalidArgumentRangeError("options.costs.perUnit", `unknown per-unit cost ${describeValue(k)}`);
    (perUnit as unknown as Record<string, number>)[k] = checkCost(`options.costs.perUnit.${k}`, k, v);
  }
  const functionEntry = checkCost("options.costs.functionEntry", "function entry", opt.functionEntry ?? 1);
  const simd = flat.subarray(SIMD_INDEX, SIMD_INDEX + 0x100), relaxed = flat.subarray(SIMD_INDEX + 0x100);
  const simdKey = (simd.every((c) => c === 1) ? "" : `:simd:${simd.join(",")}`) + (relaxed.every((c) => c === 1) ? "" : `:relaxed:${relaxed.join(",")}`);
  const key = isPreset ? base : `custom:${functionEntry}:${Object.values(perUnit).join(",")}:${flat.subarray(0, KEY_SIZE).join(",")}${simdKey}`;
  const model: CostModel = { key, flat, functionEntry, perUnit: Object.freeze(perUnit) };
  if (isPreset) presets.set(base, model);
  return model;
}
