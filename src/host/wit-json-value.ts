/**
 * WIT-shaped JSON for any WIT type: JSON (as `parseControlJson` reads it, integers beyond 2^53
 * exact) to the generic Canonical ABI value of a type descriptor, and back. One mapping for
 * every world and every function (`pureflow-wasm call`, `evaluate`), derived from the type:
 *
 * | WIT | JSON |
 * |---|---|
 * | `bool` | `true` / `false` |
 * | integers | numbers (64-bit ones exact at any size) |
 * | `f32` `f64` | numbers, or `"NaN"`, `"Infinity"`, `"-Infinity"` |
 * | `char`, `string` | strings |
 * | `list<T>`, `tuple<…>` | arrays (`list<u8>`: an array of byte numbers) |
 * | `record` | an object keyed by the WIT field names (`{"node-id": …}`) |
 * | `variant` | `{"case": payload}`; a case without payload: `"case"` (or `{"case": null}`) |
 * | `enum` | `"label"` |
 * | `option<T>` | `null` for none, else the value (`{"some": v}` when `T` is itself an option) |
 * | `result<T, E>` | `{"ok": v}` / `{"err": e}` (`null` for a side without type) |
 * | `flags` | an array of the labels that are set |
 *
 * A JSON value that does not fit is a `CDT-EXEC-001` error naming its JSON path
 * (`$.rules[0].action: expected ...`).
 */
import type { ValType, Value } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import type { JsonValue } from "../batch/control-json.js";

const INT_RANGES: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n], s8: [-128n, 127n], u16: [0n, 65535n], s16: [-32768n, 32767n], u32: [0n, 4294967295n], s32: [-2147483648n, 2147483647n],
  u64: [0n, (1n << 64n) - 1n], s64: [-(1n << 63n), (1n << 63n) - 1n],
};

function show(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "..." : v);
  return `${typeof v === "bigint" ? v.toString() : String(v)}`;
}

function bad(path: string, expected: string, v: unknown): never {
  throw PureflowError.execution(`${path}: expected ${expected}, got ${show(v)}`);
}

function isObject(v: unknown): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The single `{"case": payload}` key of a variant-like object, or the string itself. */
function caseOf(path: string, v: unknown, labels: readonly string[], what: string): [string, unknown, boolean] {
  const expected = `${what} (one of ${labels.map((l) => JSON.stringify(l)).join(", ")})`;
  if (typeof v === "string") return labels.includes(v) ? [v, undefined, false] : bad(path, expected, v);
  if (!isObject(v) || Object.keys(v).length !== 1) return bad(path, `${expected} as "case" or {"case": payload}`, v);
  const label = Object.keys(v)[0] as string;
  if (!labels.includes(label)) return bad(path, expected, label);
  return [label, v[label], true];
}

/** The generic value of `type` for the WIT-shaped JSON `json` (see the table above). */
export function valueFromWitJson(type: ValType, json: unknown, path = "$"): Value {
  switch (type.kind) {
    case "bool":
      return typeof json === "boolean" ? json : bad(path, "a boolean", json);
    case "u8": case "s8": case "u16": case "s16": case "u32": case "s32": case "u64": case "s64": {
      const [lo, hi] = INT_RANGES[type.kind] as [bigint, bigint];
      const big = typeof json === "bigint" ? json : typeof json === "number" && Number.isInteger(json) ? BigInt(json) : undefined;
      if (big === undefined || big < lo || big > hi) return bad(path, `${type.kind} (an integer ${lo}..${hi})`, json);
      return type.kind === "u64" || type.kind === "s64" ? big : Number(big);
    }
    case "f32": case "f64":
      if (typeof json === "number") return json;
      if (typeof json === "bigint") return Number(json);
      if (json === "NaN") return NaN;
      if (json === "Infinity") return Infinity;
      if (json === "-Infinity") return -Infinity;
      return bad(path, `${type.kind} (a number, "NaN", "Infinity" or "-Infinity")`, json);
    case "char":
      return typeof json === "string" && [...json].length === 1 ? json : bad(path, "char (a one-character string)", json);
    case "string":
      return typeof json === "string" ? json : bad(path, "a string", json);
    case "list": {
      if (!Array.isArray(json)) return bad(path, "a list (an array)", json);
      const items = json.map((x, i) => valueFromWitJson(type.elem, x, `${path}[${i}]`));
      return type.elem.kind === "u8" ? Uint8Array.from(items as number[]) : items;
    }
    case "tuple":
      if (!Array.isArray(json) || json.length !== type.types.length) return bad(path, `a tuple of ${type.types.length} (an array)`, json);
      return type.types.map((t, i) => valueFromWitJson(t, json[i], `${path}[${i}]`));
    case "record": {
      if (!isObject(json)) return bad(path, `a record${type.name ? ` ${type.name}` : ""} (an object)`, json);
      const labels = new Set(type.fields.map((f) => f.label));
      for (const k of Object.keys(json)) if (!labels.has(k)) bad(`${path}.${k}`, `no such field (fields: ${[...labels].join(", ")})`, json[k]);
      const out: { [key: string]: Value } = {};
      for (const f of type.fields) {
        if (!(f.label in json)) throw PureflowError.execution(`${path}: missing field \`${f.label}\``);
        out[f.label] = valueFromWitJson(f.type, json[f.label], `${path}.${f.label}`);
      }
      return out;
    }
    case "variant": {
      const [label, payload, hasPayload] = caseOf(path, json, type.cases.map((c) => c.label), `a variant${type.name ? ` ${type.name}` : ""} case`);
      const c = type.cases.find((x) => x.label === label)!;
      if (c.type === null) return hasPayload && payload !== null ? bad(`${path}.${label}`, "no payload (null)", payload) : { tag: label };
      if (!hasPayload) return bad(path, `{"${label}": payload}`, json);
      return { tag: label, value: valueFromWitJson(c.type, payload, `${path}.${label}`) };
    }
    case "enum":
      return typeof json === "string" && type.labels.includes(json) ? json : bad(path, `one of ${type.labels.map((l) => JSON.stringify(l)).join(", ")}`, json);
    case "option": {
      if (json === null) return { tag: "none" };
      if (type.type.kind === "option") {
        if (!isObject(json) || !("some" in json)) return bad(path, `null or {"some": value}`, json);
        return { tag: "some", value: valueFromWitJson(type.type, json.some, `${path}.some`) };
      }
      return { tag: "some", value: valueFromWitJson(type.type, json, path) };
    }
    case "result": {
      const [label, payload] = caseOf(path, json, ["ok", "err"], "a result");
      const t = label === "ok" ? type.ok : type.err;
      if (t === null) return { tag: label };
      return { tag: label, value: valueFromWitJson(t, payload, `${path}.${label}`) };
    }
    case "flags": {
      if (!Array.isArray(json)) return bad(path, "flags (an array of labels)", json);
      const out: { [key: string]: Value } = Object.fromEntries(type.labels.map((l) => [l, false]));
      json.forEach((l, i) => {
        if (typeof l !== "string" || !type.labels.includes(l)) bad(`${path}[${i}]`, `a flag label (${type.labels.join(", ")})`, l);
        out[l as string] = true;
      });
      return out;
    }
  }
}

/** The WIT-shaped JSON of a generic value of `type` (64-bit integers as bigints: print with {@link witJsonText}). */
export function valueToWitJson(type: ValType, value: Value | undefined): JsonValue {
  const v = value as never;
  switch (type.kind) {
    case "f32": case "f64": {
      const n = v as number;
      return Number.isNaN(n) ? "NaN" : n === Infinity ? "Infinity" : n === -Infinity ? "-Infinity" : n;
    }
    case "list": {
      const items = type.elem.kind === "u8" ? [...(v as Uint8Array)] : (v as Value[]);
      return items.map((x) => valueToWitJson(type.elem, x as Value));
    }
    case "tuple":
      return type.types.map((t, i) => valueToWitJson(t, (v as Value[])[i]));
    case "record":
      return Object.fromEntries(type.fields.map((f) => [f.label, valueToWitJson(f.type, (v as Record<string, Value>)[f.label])]));
    case "variant": {
      const { tag, value: payload } = v as { tag: string; value?: Value };
      const c = type.cases.find((x) => x.label === tag);
      return c === undefined || c.type === null ? tag : { [tag]: valueToWitJson(c.type, payload) };
    }
    case "option": {
      const { tag, value: payload } = v as { tag: string; value?: Value };
      if (tag === "none") return null;
      const inner = valueToWitJson(type.type, payload);
      return type.type.kind === "option" ? { some: inner } : inner;
    }
    case "result": {
      const { tag, value: payload } = v as { tag: "ok" | "err"; value?: Value };
      const t = tag === "ok" ? type.ok : type.err;
      return { [tag]: t === null ? null : valueToWitJson(t, payload) };
    }
    case "flags":
      return type.labels.filter((l) => (v as Record<string, boolean>)[l]);
    default:
      return v as JsonValue;
  }
}

/** JSON text of a WIT-shaped JSON value: fields in order, bigints as exact numbers, `indent` spaces (0: compact). */
export function witJsonText(json: JsonValue, indent = 2): string {
  const marks: string[] = [];
  const text = JSON.stringify(json, (_k, x: unknown) => {
    if (typeof x !== "bigint") return x;
    marks.push(x.toString());
    return `\u0000bigint:${marks.length - 1}`;
  }, indent === 0 ? undefined : indent);
  return text.replace(/"\\u0000bigint:(\d+)"/g, (_m, i: string) => marks[Number(i)] as string);
}
