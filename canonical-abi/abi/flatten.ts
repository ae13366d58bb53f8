/**
 * Flattening (CanonicalABI.md §Flattening): `flatten_type`, `flatten_types`, `flatten_variant`,
 * `join` and `flatten_functype` for synchronous functions over a 32-bit memory.
 */
import type { Case, CoreFuncType, CoreValType, FuncType, ValType } from "../types.js";
import { discriminant_type } from "./alignment.js";
import { despecialize } from "./despecialize.js";

/** More flat parameters than this pass through memory (a pointer to a tuple). */
export const MAX_FLAT_PARAMS = 16;
/** More flat results than this pass through memory (a return pointer). */
export const MAX_FLAT_RESULTS = 1;

const cache = new WeakMap<ValType, readonly CoreValType[]>();

/** `flatten_type(t)`: the core value types a value of `t` occupies when passed flat. */
export function flatten_type(t: ValType): readonly CoreValType[] {
  let f = cache.get(t);
  if (f === undefined) {
    f = computeFlatten(t);
    cache.set(t, f);
  }
  return f;
}

function computeFlatten(t: ValType): CoreValType[] {
  const d = despecialize(t);
  switch (d.kind) {
    case "bool": return ["i32"];
    case "u8": case "u16": case "u32": return ["i32"];
    case "s8": case "s16": case "s32": return ["i32"];
    case "s64": case "u64": return ["i64"];
    case "f32": return ["f32"];
    case "f64": return ["f64"];
    case "char": return ["i32"];
    case "string": return ["i32", "i32"];
    case "list": return ["i32", "i32"];
    case "record": return d.fields.flatMap((f) => flatten_type(f.type));
    case "variant": return flatten_variant(d.cases);
    case "flags": return ["i32"];
  }
}

const countCache = new WeakMap<ValType, number>();

/**
 * The number of flat values of `t` (the length of `flatten_type(t)`) without building the list,
 * so a type whose flattening is huge (a DAG of records) is never materialised.
 */
export function flat_count(t: ValType): number {
  let n = countCache.get(t);
  if (n === undefined) {
    const d = despecialize(t);
    switch (d.kind) {
      case "string": case "list": n = 2; break;
      case "record": n = d.fields.reduce((a, f) => a + flat_count(f.type), 0); break;
      case "variant": n = 1 + d.cases.reduce((a, c) => Math.max(a, c.type === null ? 0 : flat_count(c.type)), 0); break;
      default: n = 1;
    }
    countCache.set(t, n);
  }
  return n;
}

/** The number of flat values of a sequence of types. */
export function flat_count_types(ts: readonly ValType[]): number {
  return ts.reduce((a, t) => a + flat_count(t), 0);
}

/** Flattens a sequence of types (parameters, or the result). */
export function flatten_types(ts: readonly ValType[]): CoreValType[] {
  const out: CoreValType[] = [];
  for (const t of ts) for (const f of flatten_type(t)) out.push(f);
  return out;
}

const payloadCache = new WeakMap<readonly Case[], readonly CoreValType[]>();

/** `flatten_variant(cases)[1:]`: the joined payload slots, cached per cases array (lifting and lowering ask once per value). */
export function variant_payload_flat_types(cases: readonly Case[]): readonly CoreValType[] {
  let f = payloadCache.get(cases);
  if (f === undefined) {
    f = flatten_variant(cases).slice(1);
    payloadCache.set(cases, f);
  }
  return f;
}

/** A variant: its discriminant, then for each payload slot the `join` of every case's flat type there. */
export function flatten_variant(cases: readonly Case[]): CoreValType[] {
  const flat: CoreValType[] = [];
  for (const c of cases) {
    if (c.type === null) continue;
    flatten_type(c.type).forEach((ft, i) => {
      if (i < flat.length) flat[i] = join(flat[i], ft);
      else flat.push(ft);
    });
  }
  return [...flatten_type(discriminant_type(cases)), ...flat];
}

/** The tightest core type both `a` and `b` can be bit-cast into. */
export function join(a: CoreValType, b: CoreValType): CoreValType {
  if (a === b) return a;
  if ((a === "i32" && b === "f32") || (a === "f32" && b === "i32")) return "i32";
  return "i64";
}

const paramsCache = new WeakMap<FuncType, readonly ValType[]>();
const resultCache = new WeakMap<FuncType, readonly ValType[]>();
const tupleCache = new WeakMap<readonly ValType[], ValType>();

/** The parameter types of a function type, in order (one array per function type, so layouts cached on it are reused). */
export function param_types(ft: FuncType): readonly ValType[] {
  let ts = paramsCache.get(ft);
  if (ts === undefined) {
    ts = ft.params.map((p) => p.type);
    paramsCache.set(ft, ts);
  }
  return ts;
}

/** The result type of a function type as a list of zero or one types (one array per function type). */
export function result_type(ft: FuncType): readonly ValType[] {
  let ts = resultCache.get(ft);
  if (ts === undefined) {
    ts = ft.result === null ? [] : [ft.result];
    resultCache.set(ft, ts);
  }
  return ts;
}

/** `tuple<ts...>`: the type of values passed through memory as one tuple (one object per `ts` array). */
export function tuple_of(ts: readonly ValType[]): ValType {
  let t = tupleCache.get(ts);
  if (t === undefined) {
    t = { kind: "tuple", types: ts };
    tupleCache.set(ts, t);
  }
  return t;
}

/**
 * `flatten_functype(opts, ft, context)` for synchronous functions over a 32-bit memory:
 * more than {@link MAX_FLAT_PARAMS} flat params become one `i32` pointer; more than
 * {@link MAX_FLAT_RESULTS} flat results become a returned `i32` pointer (`lift`) or an extra
 * `i32` out-pointer parameter with no results (`lower`).
 */
export function flatten_functype(ft: FuncType, context: "lift" | "lower"): CoreFuncType {
  // (the counts decide first, so an over-long flattening is never built)
  const many_params = flat_count_types(param_types(ft)) > MAX_FLAT_PARAMS;
  const many_results = flat_count_types(result_type(ft)) > MAX_FLAT_RESULTS;
  let flat_params: CoreValType[] = many_params ? ["i32"] : flatten_types(param_types(ft));
  let flat_results: CoreValType[] = many_results ? [] : flatten_types(result_type(ft));
  if (many_results) {
    if (context === "lift") {
      flat_results = ["i32"];
    } else {
      flat_params = [...flat_params, "i32"];
      flat_results = [];
    }
  }
  return { params: flat_params, results: flat_results };
}
