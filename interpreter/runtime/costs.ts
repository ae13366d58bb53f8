/**
 * Fuel cost tables (fuel.md §6.1): the flat cost of every wasm operator, the function-entry
 * cost and the per-unit costs of bulk operations. Presets: `"wasmtime"` (default; wasmtime ≥ v46
 * defaults) and `"instructions"` (same flat costs, no per-unit costs: a pure instruction count).
 * A custom {@link CostTable} starts from a preset and overrides operators by their text name.
 */
import { describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";

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
  /** Flat cost by operator index: opcode byte for 0x00..0xff, `0x100 + sub` for 0xFC-prefixed. */
  readonly flat: Int32Array;
  readonly functionEntry: number;
  readonly perUnit: PerUnitCosts;
}

/** Operator index of a flat-stream opcode word (see decode/module.ts). */
export function costIndex(opWord: number): number {
  return opWord >= 0xfc00 ? 0x100 + (opWord & 0xff) : opWord;
}

const NAMES: Record<number, string> = {};
function names(start: number, list: string): void {
  list.split(" ").forEach((n, i) => { if (n !== "_") NAMES[start + i] = n; });
}
names(0x00, "unreachable nop block loop if else");
names(0x0b, "end br br_if br_table return call call_indirect");
names(0x1a, "drop select select_t");
names(0x20, "local.get local.set local.tee global.get global.set table.get table.set");
names(0x28, "i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32 memory.size memory.grow i32.const i64.const f32.const f64.const");
names(0x45, "i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge");
names(0x67, "i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr");
names(0x8b, "f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign");
names(0xa7, "i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64");
names(0xc0, "i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s");
names(0xd0, "ref.null ref.is_null ref.func");
names(0x100, "i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u memory.init data.drop memory.copy memory.fill table.init elem.drop table.copy table.grow table.size table.fill");

/** Operator index by text name. */
export const OPERATOR_INDEX: ReadonlyMap<string, number> = new Map(Object.entries(NAMES).map(([k, v]) => [v, Number(k)]));

const ZERO_COST = ["nop", "drop", "block", "loop", "unreachable", "return", "else", "end"];
const WASMTIME_UNITS: PerUnitCosts = { memoryCopy: 1, memoryFill: 1, memoryInit: 1, memoryGrow: 0, tableCopy: 1, tableFill: 1, tableInit: 1, tableGrow: 1 };
const NO_UNITS: PerUnitCosts = { memoryCopy: 0, memoryFill: 0, memoryInit: 0, memoryGrow: 0, tableCopy: 0, tableFill: 0, tableInit: 0, tableGrow: 0 };

function checkCost(argument: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > 0x3fffffff) throw new InvalidArgumentRangeError(argument, `cost of ${what} must be an integer in 0..2^30-1, got ${describeValue(v)}`);
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
  const flat = new Int32Array(0x120).fill(1);
  for (const n of ZERO_COST) flat[OPERATOR_INDEX.get(n)!] = 0;
  for (const [name, cost] of Object.entries(opt.ops ?? {})) {
    const idx = OPERATOR_INDEX.get(name);
    if (idx === undefined) throw new InvalidArgumentRangeError(`options.costs.ops`, `unknown operator ${describeValue(name)} in cost table`);
    flat[idx] = checkCost(`options.costs.ops.${name}`, name, cost);
  }
  // typed `select` (0x1c) costs what `select` costs unless set on its own
  if (opt.ops?.["select"] !== undefined && opt.ops["select_t"] === undefined) flat[0x1c] = flat[0x1b]!;
  const perUnit: PerUnitCosts = { ...(base === "wasmtime" ? WASMTIME_UNITS : NO_UNITS) };
  for (const [k, v] of Object.entries(opt.perUnit ?? {})) {
    if (!Object.hasOwn(perUnit, k)) throw new InvalidArgumentRangeError("options.costs.perUnit", `unknown per-unit cost ${describeValue(k)}`);
    (perUnit as unknown as Record<string, number>)[k] = checkCost(`options.costs.perUnit.${k}`, k, v);
  }
  const functionEntry = checkCost("options.costs.functionEntry", "function entry", opt.functionEntry ?? 1);
  const key = isPreset ? base : `custom:${functionEntry}:${Object.values(perUnit).join(",")}:${flat.join(",")}`;
  const model: CostModel = { key, flat, functionEntry, perUnit: Object.freeze(perUnit) };
  if (isPreset) presets.set(base, model);
  return model;
}
