/**
 * `despecialize` (CanonicalABI.md §Despecialization): specialized value types replaced by their
 * expansion, so the layout rules only deal with fundamental types:
 * `tuple` -> `record {"0", "1", ...}`, `enum` -> `variant` without payloads,
 * `option<T>` -> `variant { none, some(T) }`, `result<T, E>` -> `variant { ok(T?), error(E?) }`.
 * `string` and `flags` keep their own representation. Results are cached per type object.
 */
import type { RecordType, ValType, VariantType } from "../types.js";

/** A fundamental type: what `despecialize` returns. */
export type DespecializedType = Exclude<ValType, { kind: "tuple" | "enum" | "option" | "result" }>;

const cache = new WeakMap<ValType, DespecializedType>();

/** The fundamental expansion of `t` (the identity for fundamental types). */
export function despecialize(t: ValType): DespecializedType {
  switch (t.kind) {
    case "tuple": case "enum": case "option": case "result": break;
    default: return t;
  }
  let d = cache.get(t);
  if (d === undefined) {
    d = expand(t);
    cache.set(t, d);
  }
  return d;
}

function expand(t: ValType): RecordType | VariantType {
  switch (t.kind) {
    case "tuple": return { kind: "record", fields: t.types.map((type, i) => ({ label: String(i), type })) };
    case "enum": return { kind: "variant", cases: t.labels.map((label) => ({ label, type: null })) };
    case "option": return { kind: "variant", cases: [{ label: "none", type: null }, { label: "some", type: t.type }] };
    case "result": return { kind: "variant", cases: [{ label: "ok", type: t.ok }, { label: "error", type: t.err }] };
    default: throw new Error(`despecialize: ${t.kind} is not specialized`);
  }
}
