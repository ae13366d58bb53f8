/**
 * Explanations of Canonical ABI layouts, for teaching (`pureflow-wasm abi explain`): how a WIT
 * value type is laid out in linear memory (size, alignment, every field's offset and padding,
 * discriminants, payload offsets, the (pointer, length) pairs of strings and lists) and how it
 * flattens into core values; for a function type, the flattened core signature and whether the
 * parameters or results go through memory and why.
 *
 * Every number comes from the functions the lifter and lowerer use (`alignment`, `elem_size`,
 * `field_offsets`, `discriminant_type`, `variant_payload_offset`, `flatten_type`,
 * `flatten_functype`), never from a second implementation.
 */
import type { CoreFuncType, CoreValType, FuncType, ValType } from "../types.js";
import { witFunc, witType } from "../wit-text.js";
import { alignment, discriminant_type, elem_size, field_offsets, variant_payload_offset } from "./alignment.js";
import { despecialize } from "./despecialize.js";
import { MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype, flatten_type, flatten_types, param_types, result_type } from "./flatten.js";

/** One field of a record or tuple, at its offset. */
export interface FieldLayout {
  readonly label: string;
  readonly offset: number;
  /** Padding bytes inserted before this field to align it. */
  readonly paddingBefore: number;
  readonly layout: TypeLayout;
}

/** One case of a variant (and of enum, option, result, which are variants underneath). */
export interface CaseLayout {
  readonly label: string;
  /** The discriminant value of the case. */
  readonly index: number;
  readonly payload: TypeLayout | null;
}

/** The layout of a WIT value type (see the file comment). */
export interface TypeLayout {
  /** The type as WIT text. */
  readonly wit: string;
  /** Its kind after `despecialize` (tuple -> record; enum, option, result -> variant). */
  readonly kind: string;
  readonly size: number;
  readonly alignment: number;
  /** `flatten_type`: the core values it becomes as a parameter or result. */
  readonly flat: readonly CoreValType[];
  /** Records and tuples: the fields in order. */
  readonly fields?: readonly FieldLayout[];
  /** Padding after the last field (up to the alignment). */
  readonly trailingPadding?: number;
  /** Variants: the discriminant's integer type and size, where the payload starts, the cases. */
  readonly discriminant?: { readonly type: string; readonly size: number };
  readonly payloadOffset?: number;
  readonly cases?: readonly CaseLayout[];
  /** Strings and lists: stored as a u32 pointer at +0 and a u32 length at +4. */
  readonly pointerAndLength?: { readonly lengthUnit: string };
  /** Lists: the element's layout (elements are `elem_size` apart). */
  readonly element?: TypeLayout;
  /** Flags: the bit of each label. */
  readonly bits?: readonly { readonly label: string; readonly bit: number }[];
}

/** The layout of `t` (see {@link TypeLayout}). */
export function explainType(t: ValType): TypeLayout {
  const d = despecialize(t);
  const base = { wit: witType(t, true), kind: d.kind, size: elem_size(t), alignment: alignment(t), flat: flatten_type(t) };
  switch (d.kind) {
    case "record": {
      const offsets = field_offsets(d.fields);
      let end = 0;
      const fields = d.fields.map((f, i): FieldLayout => {
        const offset = offsets[i]!;
        const fl = { label: t.kind === "tuple" ? String(i) : f.label, offset, paddingBefore: offset - end, layout: explainType(f.type) };
        end = offset + fl.layout.size;
        return fl;
      });
      return { ...base, fields, trailingPadding: base.size - end };
    }
    case "variant": {
      const dt = discriminant_type(d.cases);
      return {
        ...base,
        discriminant: { type: dt.kind, size: elem_size(dt) },
        payloadOffset: variant_payload_offset(d.cases),
        cases: d.cases.map((c, index) => ({ label: c.label, index, payload: c.type === null ? null : explainType(c.type) })),
      };
    }
    case "string": return { ...base, pointerAndLength: { lengthUnit: "bytes (UTF-8)" } };
    case "list": return { ...base, pointerAndLength: { lengthUnit: "elements" }, element: explainType(d.elem) };
    case "flags": return { ...base, bits: d.labels.map((label, bit) => ({ label, bit })) };
    default: return base;
  }
}

/** The Canonical ABI view of a function type. */
export interface FuncLayout {
  readonly wit: string;
  readonly params: readonly { readonly label: string; readonly layout: TypeLayout }[];
  readonly result: TypeLayout | null;
  /** The flattened parameters and results before the limits apply. */
  readonly flatParams: readonly CoreValType[];
  readonly flatResults: readonly CoreValType[];
  /** More than MAX_FLAT_PARAMS (16) flat parameters: they are stored in memory, one i32 pointer passed. */
  readonly paramsInMemory: boolean;
  /** More than MAX_FLAT_RESULTS (1) flat result: stored in memory (a return area). */
  readonly resultsInMemory: boolean;
  /** `flatten_functype(ft, "lift")`: the core function a component exports (`canon lift`). */
  readonly lift: CoreFuncType;
  /** `flatten_functype(ft, "lower")`: the core function a component imports (`canon lower`). */
  readonly lower: CoreFuncType;
}

/** The Canonical ABI view of `ft` (see {@link FuncLayout}). */
export function explainFunc(ft: FuncType): FuncLayout {
  const flatParams = flatten_types(param_types(ft));
  const flatResults = flatten_types(result_type(ft));
  return {
    wit: witFunc(ft),
    params: ft.params.map((p) => ({ label: p.label, layout: explainType(p.type) })),
    result: ft.result === null ? null : explainType(ft.result),
    flatParams,
    flatResults,
    paramsInMemory: flatParams.length > MAX_FLAT_PARAMS,
    resultsInMemory: flatResults.length > MAX_FLAT_RESULTS,
    lift: flatten_functype(ft, "lift"),
    lower: flatten_functype(ft, "lower"),
  };
}

const coreList = (ts: readonly CoreValType[]): string => `(${ts.join(", ")})`;
const coreSig = (f: CoreFuncType): string => `(func (param ${f.params.join(" ") || "-"}) (result ${f.results.join(" ") || "-"}))`;

/** The bytes of a layout, each named by the field (path) it belongs to, or `null` for padding. */
function byteOwners(l: TypeLayout, prefix: string, out: (string | null)[], at: number): void {
  if (l.fields !== undefined) {
    for (const f of l.fields) byteOwners(f.layout, prefix === "" ? f.label : `${prefix}.${f.label}`, out, at + f.offset);
    return;
  }
  if (l.discriminant !== undefined) {
    for (let i = 0; i < l.discriminant.size; i++) out[at + i] = prefix === "" ? "discriminant" : `${prefix}.discriminant`;
    for (let i = l.payloadOffset!; i < l.size; i++) out[at + i] = prefix === "" ? "payload" : `${prefix}.payload`;
    return;
  }
  if (l.pointerAndLength !== undefined) {
    for (let i = 0; i < 4; i++) out[at + i] = prefix === "" ? "ptr" : `${prefix}.ptr`;
    for (let i = 4; i < 8; i++) out[at + i] = prefix === "" ? "len" : `${prefix}.len`;
    return;
  }
  for (let i = 0; i < l.size; i++) out[at + i] = prefix === "" ? "value" : prefix;
}

/** A byte ruler: one column per byte, a letter per field (legend below), `.` for padding. */
export function byteRuler(l: TypeLayout, maxBytes = 80): string {
  const owners: (string | null)[] = new Array<string | null>(l.size).fill(null);
  byteOwners(l, "", owners, 0);
  const names: string[] = [];
  for (const o of owners) if (o !== null && !names.includes(o)) names.push(o);
  const letter = (i: number): string => (i < 26 ? String.fromCharCode(97 + i) : i < 52 ? String.fromCharCode(65 + i - 26) : "#");
  const n = Math.min(l.size, maxBytes);
  const cells: string[] = [], marks: string[] = [];
  for (let b = 0; b < n; b++) {
    cells.push(String(b).padStart(3));
    const o = owners[b];
    marks.push((o === null || o === undefined ? "." : letter(names.indexOf(o))).padStart(3));
  }
  const lines = [`  byte ${cells.join("")}${l.size > n ? " ..." : ""}`, `       ${marks.join("")}`];
  names.forEach((nm, i) => lines.push(`       ${letter(i)} = ${nm}`));
  if (owners.includes(null)) lines.push("       . = padding");
  return lines.join("\n");
}

function layoutLines(l: TypeLayout, indent: string, out: string[]): void {
  if (l.fields !== undefined) {
    for (const f of l.fields) {
      if (f.paddingBefore > 0) out.push(`${indent}+${String(f.offset - f.paddingBefore).padEnd(4)} ${String(f.paddingBefore).padStart(3)} B  (padding to align ${f.label} to ${f.layout.alignment})`);
      out.push(`${indent}+${String(f.offset).padEnd(4)} ${String(f.layout.size).padStart(3)} B  ${f.label}: ${f.layout.wit}  (align ${f.layout.alignment})`);
      if (f.layout.fields !== undefined || f.layout.cases !== undefined) layoutLines(f.layout, indent + "      ", out);
    }
    if ((l.trailingPadding ?? 0) > 0) out.push(`${indent}+${String(l.size - l.trailingPadding!).padEnd(4)} ${String(l.trailingPadding).padStart(3)} B  (padding to the record's alignment ${l.alignment})`);
    return;
  }
  if (l.discriminant !== undefined) {
    out.push(`${indent}+0    ${String(l.discriminant.size).padStart(3)} B  discriminant: ${l.discriminant.type} (${l.cases!.length} cases: the smallest unsigned type that holds ${l.cases!.length - 1})`);
    if (l.payloadOffset! > l.discriminant.size) out.push(`${indent}+${String(l.discriminant.size).padEnd(4)} ${String(l.payloadOffset! - l.discriminant.size).padStart(3)} B  (padding to the largest payload alignment)`);
    for (const c of l.cases!) out.push(`${indent}   case ${c.index} ${c.label}${c.payload === null ? " (no payload)" : `: payload ${c.payload.wit}, ${c.payload.size} B at +${l.payloadOffset}`}`);
    return;
  }
  if (l.pointerAndLength !== undefined) {
    out.push(`${indent}+0      4 B  pointer (u32)`);
    out.push(`${indent}+4      4 B  length (u32, in ${l.pointerAndLength.lengthUnit})`);
    if (l.element !== undefined) out.push(`${indent}   elements: ${l.element.wit}, ${l.element.size} B each (align ${l.element.alignment}), the array aligned to ${l.element.alignment}`);
  }
  if (l.bits !== undefined) out.push(`${indent}   bits: ${l.bits.map((b) => `${b.label} = bit ${b.bit}`).join(", ")}`);
}

/** A readable explanation of a value type's layout: summary, field table, byte ruler. */
export function renderTypeLayout(l: TypeLayout): string {
  const lines = [
    l.wit,
    `  size ${l.size} B, alignment ${l.alignment}${l.kind !== l.wit.split(/[<{ ]/)[0] ? ` (laid out as a ${l.kind})` : ""}`,
    `  flattened (flatten_type): ${coreList(l.flat)} — ${l.flat.length} core value${l.flat.length === 1 ? "" : "s"}`,
  ];
  const detail: string[] = [];
  layoutLines(l, "  ", detail);
  if (detail.length > 0) lines.push("  in memory:", ...detail);
  if (l.size > 0) lines.push(byteRuler(l));
  // a list's elements, and the payloads of variant cases, are explained in turn when compound
  const inner: TypeLayout[] = [];
  if (l.element !== undefined && (l.element.fields !== undefined || l.element.cases !== undefined)) inner.push(l.element);
  for (const c of l.cases ?? []) if (c.payload !== null && (c.payload.fields !== undefined || c.payload.cases !== undefined || c.payload.element !== undefined)) inner.push(c.payload);
  for (const f of l.fields ?? []) if (f.layout.element !== undefined && (f.layout.element.fields !== undefined || f.layout.element.cases !== undefined)) inner.push(f.layout.element);
  for (const t of inner) lines.push(renderTypeLayout(t).split("\n").map((x) => "    " + x).join("\n"));
  return lines.join("\n");
}

/** A readable explanation of a function type: parameters and results, flattening, core signatures. */
export function renderFuncLayout(f: FuncLayout): string {
  const lines = [f.wit];
  for (const p of f.params) lines.push(`  param ${p.label}: ${p.layout.wit}  (${p.layout.size} B, align ${p.layout.alignment}, flat ${coreList(p.layout.flat)})`);
  if (f.result !== null) lines.push(`  result: ${f.result.wit}  (${f.result.size} B, align ${f.result.alignment}, flat ${coreList(f.result.flat)})`);
  lines.push(`  flat parameters: ${f.flatParams.length} ${coreList(f.flatParams)}${f.paramsInMemory ? ` > MAX_FLAT_PARAMS = ${MAX_FLAT_PARAMS}: stored in memory (a tuple of the parameters, allocated with cabi_realloc by the caller when lowering), one i32 pointer passed` : ` <= MAX_FLAT_PARAMS = ${MAX_FLAT_PARAMS}: passed as core values`}`);
  lines.push(`  flat results: ${f.flatResults.length} ${coreList(f.flatResults)}${f.resultsInMemory ? ` > MAX_FLAT_RESULTS = ${MAX_FLAT_RESULTS}: stored in memory; a lifted export returns an i32 pointer to them, a lowered import gets an i32 return-area pointer as its last parameter` : ` <= MAX_FLAT_RESULTS = ${MAX_FLAT_RESULTS}: returned as a core value`}`);
  lines.push(`  core signature when lifted (an export, canon lift):  ${coreSig(f.lift)}`);
  lines.push(`  core signature when lowered (an import, canon lower): ${coreSig(f.lower)}`);
  return lines.join("\n");
}
