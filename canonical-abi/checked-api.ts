/**
 * The type helpers of the public door (`index.ts`) with their argument checks: WIT rendering,
 * type comparison and the type-descriptor constructors, each refusing a wrong argument with an
 * {@link InvalidArgumentError} naming it (see `arguments.ts`, `type-descriptor-check.ts`)
 * before the unchecked implementation runs. Code inside the layer (the decoder, the linker)
 * builds its descriptors itself and calls the unchecked implementations directly, so the checks
 * cost nothing on its paths.
 */
import { argumentError } from "./arguments.js";
import { checkExternsArgument, checkFuncTypeArgument, checkValTypeArgument } from "./type-descriptor-check.js";
import * as unchecked from "./type-check.js";
import * as wit from "./wit-text.js";
import { T as uncheckedT, primitive as uncheckedPrimitive, withName as uncheckedWithName } from "./types.js";
import type {
  EnumType, FlagsType, FuncType, ListType, OptionType, PrimitiveKind, PrimitiveType, RecordType, ResultType, TupleType, ValType, VariantType,
} from "./types.js";
import type { ExternType } from "./link/static-types.js";
import type { TypeDifference } from "./type-check.js";

function checkString(argument: string, v: unknown): string {
  if (typeof v !== "string") throw argumentError(argument, "a string", v);
  return v;
}

function checkOptionalName(argument: string, v: unknown): string | undefined {
  if (v !== undefined && typeof v !== "string") throw argumentError(argument, "a string or undefined", v);
  return v;
}

function checkPairs(argument: string, v: unknown, nullableType: boolean): void {
  if (!Array.isArray(v)) throw argumentError(argument, "an array of [label, type] pairs", v);
  v.forEach((pair: unknown, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw argumentError(`${argument}[${i}]`, "a [label, type] pair", pair);
    checkString(`${argument}[${i}][0]`, pair[0]);
    checkValTypeArgument(`${argument}[${i}][1]`, pair[1], nullableType);
  });
}

function checkLabels(argument: string, v: unknown): void {
  if (!Array.isArray(v)) throw argumentError(argument, "an array of labels", v);
  v.forEach((l: unknown, i) => checkString(`${argument}[${i}]`, l));
}

function checkTypeList(argument: string, v: unknown): void {
  if (!Array.isArray(v)) throw argumentError(argument, "an array of value types", v);
  v.forEach((t: unknown, i) => checkValTypeArgument(`${argument}[${i}]`, t));
}

/** A WIT type expression for `t` (its name when it has one, unless `definition` is true). @throws InvalidArgumentError */
export function witType(t: ValType | null, definition = false): string {
  checkValTypeArgument("t", t, true);
  return wit.witType(t, definition);
}

/** `func(a: T, ...) -> R`. @throws InvalidArgumentError */
export function witFunc(ft: FuncType): string {
  checkFuncTypeArgument("ft", ft);
  return wit.witFunc(ft);
}

/** WIT text for a set of exports (or imports, with `keyword` "import"). @throws InvalidArgumentError */
export function renderExternsAsWit(externs: ReadonlyMap<string, ExternType>, keyword: "export" | "import" = "export"): string {
  checkExternsArgument("externs", externs);
  if (keyword !== "export" && keyword !== "import") throw argumentError("keyword", "\"export\" or \"import\"", keyword);
  return wit.renderExternsAsWit(externs, keyword);
}

/** The first difference between two value types, or null when they are equal. @throws InvalidArgumentError */
export function firstValTypeDifference(expected: ValType | null, found: ValType | null, path: string): TypeDifference | null {
  checkValTypeArgument("expected", expected, true);
  checkValTypeArgument("found", found, true);
  checkString("path", path);
  return unchecked.firstValTypeDifference(expected, found, path);
}

/** The first difference between two function types (`path` names the function), or null. @throws InvalidArgumentError */
export function firstFuncTypeDifference(expected: FuncType, found: FuncType, path: string): TypeDifference | null {
  checkFuncTypeArgument("expected", expected);
  checkFuncTypeArgument("found", found);
  checkString("path", path);
  return unchecked.firstFuncTypeDifference(expected, found, path);
}

/** True when two value types are structurally equal. @throws InvalidArgumentError */
export function valTypesEqual(a: ValType | null, b: ValType | null): boolean {
  checkValTypeArgument("a", a, true);
  checkValTypeArgument("b", b, true);
  return unchecked.valTypesEqual(a, b);
}

/** True when two function types are structurally equal. @throws InvalidArgumentError */
export function funcTypesEqual(a: FuncType, b: FuncType): boolean {
  checkFuncTypeArgument("a", a);
  checkFuncTypeArgument("b", b);
  return unchecked.funcTypesEqual(a, b);
}

/** Throws `ExportTypeMismatchError` naming the first difference, if any. @throws InvalidArgumentError for wrong arguments */
export function checkFuncType(what: string, expected: FuncType, found: FuncType, path: string): void {
  checkString("what", what);
  checkFuncTypeArgument("expected", expected);
  checkFuncTypeArgument("found", found);
  checkString("path", path);
  unchecked.checkFuncType(what, expected, found, path);
}

const PRIMITIVE_KINDS: readonly PrimitiveKind[] = ["bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string"];

/** The primitive type descriptor for a primitive kind. @throws InvalidArgumentError for an unknown kind */
export function primitive(kind: PrimitiveKind): PrimitiveType {
  if (typeof kind !== "string" || !PRIMITIVE_KINDS.includes(kind)) throw argumentError("kind", `one of ${PRIMITIVE_KINDS.join(", ")}`, kind);
  return uncheckedPrimitive(kind);
}

/** The same type descriptor carrying a WIT name (used for messages and WIT rendering only). @throws InvalidArgumentError */
export function withName<V extends ValType>(t: V, name: string): V {
  checkValTypeArgument("t", t);
  checkString("name", name);
  return uncheckedWithName(t, name);
}

/** Constructors for type descriptors (handy in tests and in hand-written expected types); each checks its arguments. */
export const T = {
  bool: uncheckedT.bool, s8: uncheckedT.s8, u8: uncheckedT.u8, s16: uncheckedT.s16, u16: uncheckedT.u16, s32: uncheckedT.s32, u32: uncheckedT.u32,
  s64: uncheckedT.s64, u64: uncheckedT.u64, f32: uncheckedT.f32, f64: uncheckedT.f64, char: uncheckedT.char, string: uncheckedT.string,
  /** `record`; `fields` is a list of `[label, type]`. */
  record: (fields: readonly (readonly [string, ValType])[], name?: string): RecordType => {
    checkPairs("fields", fields, false);
    checkOptionalName("name", name);
    return uncheckedT.record(fields, name);
  },
  /** `variant`; `cases` is a list of `[label, type | null]`. */
  variant: (cases: readonly (readonly [string, ValType | null])[], name?: string): VariantType => {
    checkPairs("cases", cases, true);
    checkOptionalName("name", name);
    return uncheckedT.variant(cases, name);
  },
  list: (elem: ValType): ListType => {
    checkValTypeArgument("elem", elem);
    return uncheckedT.list(elem);
  },
  tuple: (types: readonly ValType[]): TupleType => {
    checkTypeList("types", types);
    return uncheckedT.tuple(types);
  },
  flags: (labels: readonly string[], name?: string): FlagsType => {
    checkLabels("labels", labels);
    checkOptionalName("name", name);
    return uncheckedT.flags(labels, name);
  },
  enum: (labels: readonly string[], name?: string): EnumType => {
    checkLabels("labels", labels);
    checkOptionalName("name", name);
    return uncheckedT.enum(labels, name);
  },
  option: (type: ValType): OptionType => {
    checkValTypeArgument("type", type);
    return uncheckedT.option(type);
  },
  result: (ok: ValType | null, err: ValType | null): ResultType => {
    checkValTypeArgument("ok", ok, true);
    checkValTypeArgument("err", err, true);
    return uncheckedT.result(ok, err);
  },
  func: (params: readonly (readonly [string, ValType])[], result: ValType | null): FuncType => {
    checkPairs("params", params, false);
    checkValTypeArgument("result", result, true);
    return uncheckedT.func(params, result);
  },
} as const;
