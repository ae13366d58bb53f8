/**
 * Structural type comparison: `firstDifference(expected, found)` walks two value or function
 * types side by side and reports the first place they differ as a path plus both sides
 * (e.g. `invoke.result.ok.list.record(port-batch).field(packets)`). WIT names never take
 * part; labels, case order, field order and every nested type do.
 */
import type { FuncType, ValType } from "./types.js";
import { ExportTypeMismatchError } from "./errors.js";

/** Where two types first differ. */
export interface TypeDifference {
  readonly path: string;
  readonly expected: string;
  readonly found: string;
}

/** A short rendering of a type's head (for messages): `record { a, b }`, `list`, `u32`, ... */
export function describeType(t: ValType | FuncType | null): string {
  if (t === null) return "nothing";
  switch (t.kind) {
    case "record": return `record${t.name ? ` ${t.name}` : ""} { ${t.fields.map((f) => f.label).join(", ")} }`;
    case "variant": return `variant${t.name ? ` ${t.name}` : ""} { ${t.cases.map((c) => c.label).join(", ")} }`;
    case "enum": return `enum { ${t.labels.join(", ")} }`;
    case "flags": return `flags { ${t.labels.join(", ")} }`;
    case "tuple": return `tuple of ${t.types.length}`;
    case "func": return `func(${t.params.map((p) => p.label).join(", ")})${t.result ? " -> ..." : ""}`;
    default: return t.kind;
  }
}

function seg(t: ValType): string {
  return t.name !== undefined && (t.kind === "record" || t.kind === "variant" || t.kind === "enum" || t.kind === "flags") ? `${t.kind}(${t.name})` : t.kind;
}

/** The first difference between two value types, or null when they are equal. */
export function firstValTypeDifference(expected: ValType | null, found: ValType | null, path: string): TypeDifference | null {
  if (expected === null || found === null) {
    if (expected === found) return null;
    return { path, expected: describeType(expected), found: describeType(found) };
  }
  if (expected === found) return null;
  if (expected.kind !== found.kind) return { path, expected: describeType(expected), found: describeType(found) };
  const p = `${path}.${seg(expected)}`;
  switch (expected.kind) {
    case "record": {
      const f = found as typeof expected;
      if (f.fields.length !== expected.fields.length || f.fields.some((x, i) => x.label !== expected.fields[i].label)) {
        return { path, expected: describeType(expected), found: describeType(f) };
      }
      for (let i = 0; i < expected.fields.length; i++) {
        const d = firstValTypeDifference(expected.fields[i].type, f.fields[i].type, `${p}.field(${expected.fields[i].label})`);
        if (d) return d;
      }
      return null;
    }
    case "variant": {
      const f = found as typeof expected;
      if (f.cases.length !== expected.cases.length || f.cases.some((x, i) => x.label !== expected.cases[i].label)) {
        return { path, expected: describeType(expected), found: describeType(f) };
      }
      for (let i = 0; i < expected.cases.length; i++) {
        const d = firstValTypeDifference(expected.cases[i].type, f.cases[i].type, `${p}.case(${expected.cases[i].label})`);
        if (d) return d;
      }
      return null;
    }
    case "enum": case "flags": {
      const f = found as typeof expected;
      if (f.labels.length !== expected.labels.length || f.labels.some((x, i) => x !== expected.labels[i])) {
        return { path, expected: describeType(expected), found: describeType(f) };
      }
      return null;
    }
    case "list": return firstValTypeDifference(expected.elem, (found as typeof expected).elem, p);
    case "option": return firstValTypeDifference(expected.type, (found as typeof expected).type, p);
    case "result": {
      const f = found as typeof expected;
      return firstValTypeDifference(expected.ok, f.ok, `${p}.ok`) ?? firstValTypeDifference(expected.err, f.err, `${p}.err`);
    }
    case "tuple": {
      const f = found as typeof expected;
      if (f.types.length !== expected.types.length) return { path, expected: describeType(expected), found: describeType(f) };
      for (let i = 0; i < expected.types.length; i++) {
        const d = firstValTypeDifference(expected.types[i], f.types[i], `${p}.${i}`);
        if (d) return d;
      }
      return null;
    }
    default: return null; // equal primitives
  }
}

/** The first difference between two function types (`path` names the function), or null. */
export function firstFuncTypeDifference(expected: FuncType, found: FuncType, path: string): TypeDifference | null {
  if (expected.params.length !== found.params.length || expected.params.some((x, i) => x.label !== found.params[i].label)) {
    return { path: `${path}.params`, expected: `(${expected.params.map((x) => x.label).join(", ")})`, found: `(${found.params.map((x) => x.label).join(", ")})` };
  }
  for (let i = 0; i < expected.params.length; i++) {
    const d = firstValTypeDifference(expected.params[i].type, found.params[i].type, `${path}.param(${expected.params[i].label})`);
    if (d) return d;
  }
  return firstValTypeDifference(expected.result, found.result, `${path}.result`);
}

/** True when two value types are structurally equal. */
export function valTypesEqual(a: ValType | null, b: ValType | null): boolean {
  return firstValTypeDifference(a, b, "") === null;
}

/** True when two function types are structurally equal. */
export function funcTypesEqual(a: FuncType, b: FuncType): boolean {
  return firstFuncTypeDifference(a, b, "") === null;
}

/** Throws {@link ExportTypeMismatchError} naming the first difference, if any. */
export function checkFuncType(what: string, expected: FuncType, found: FuncType, path: string): void {
  const d = firstFuncTypeDifference(expected, found, path);
  if (d !== null) throw new ExportTypeMismatchError(what, d.path, d.expected, d.found);
}
