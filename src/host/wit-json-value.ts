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
 * | `record` | an object keyed by the WIT field names (`{"node-id": …}`); an absent option field is none |
 * | `variant` | `{"case": payload}`; a case without payload: `"case"` (or `{"case": null}`) |
 * | `enum` | `"label"` |
 * | `option<T>` | `null` for none, else the value (`{"some": v}` when `T` is itself an option) |
 * | `result<T, E>` | `{"ok": v}` / `{"err": e}` (`null` for a side without type) |
 * | `flags` | an array of the labels that are set |
 *
 * A JSON value that does not fit is an error naming its JSON path and what was expected
 * (`$.rules[0].action: expected ..., found ...`; by default `CDT-EXEC-001`, see {@link WitJsonReadOptions}).
 */
import { describeValue, type ValType, type Value } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import type { JsonValue } from "../batch/control-json.js";

const INT_RANGES: Record<string, [bigint, bigint]> = {
  u8: [0n, 255n], s8: [-128n, 127n], u16: [0n, 65535n], s16: [-32768n, 32767n], u32: [0n, 4294967295n], s32: [-2147483648n, 2147483647n],
  u64: [0n, (1n << 64n) - 1n], s64: [-(1n << 63n), (1n << 63n) - 1n],
};

/** How a reader reports a value that does not fit: the JSON path and what was expected. */
export interface WitJsonReadOptions {
  /** The root's path (default `$`); children are `{path}[i]` and `{path}.{field}`. */
  root?: string;
  /** Throws the error for `what` at `path` (default: `CDT-EXEC-001` `{path}: {what}`). */
  fail?: (path: string, what: string) => never;
}

/** A JSON value for a message: `null`, `an array`, `an object`, `number 5`, `string "x"`. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : describeValue(v);
}

function isObject(v: unknown): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `a`, `a or b`, `a, b or c`. */
function alternatives(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** How a payload of `t` looks in a hint: `[...]`, `"..."`, `{...}`, `...`. */
function hint(t: ValType | null): string {
  if (t === null) return "null";
  return t.kind === "list" || t.kind === "tuple" || t.kind === "flags" ? "[...]" : t.kind === "string" || t.kind === "char" || t.kind === "enum" ? '"..."' : t.kind === "record" ? "{...}" : "...";
}

interface Reader {
  fail: (path: string, what: string) => never;
}

/** A variant-like value (`variant`, `result`): the case label and its payload (undefined: none given). */
function readCase(r: Reader, path: string, json: unknown, cases: readonly { label: string; type: ValType | null }[]): [string, unknown] {
  const forms = cases.map((c) => (c.type === null ? `"${c.label}"` : `{"${c.label}":${hint(c.type)}}`));
  if (typeof json === "string" && cases.some((c) => c.label === json && c.type === null)) return [json, undefined];
  if (!isObject(json)) return r.fail(path, `expected ${alternatives(forms)}, found ${describe(json)}`);
  const keys = Object.keys(json);
  if (keys.length !== 1 || !cases.some((c) => c.label === keys[0])) {
    return r.fail(path, `expected exactly one of ${alternatives(cases.map((c) => `\`${c.label}\``))}, found ${keys.length === 0 ? "no field" : keys.map((k) => `\`${k}\``).join(", ")}`);
  }
  return [keys[0] as string, json[keys[0] as string]];
}

function read(r: Reader, type: ValType, json: unknown, path: string): Value {
  switch (type.kind) {
    case "bool":
      return typeof json === "boolean" ? json : r.fail(path, `expected a boolean, found ${describe(json)}`);
    case "u8": case "s8": case "u16": case "s16": case "u32": case "s32": case "u64": case "s64": {
      const [lo, hi] = INT_RANGES[type.kind] as [bigint, bigint];
      const big = typeof json === "bigint" ? json : typeof json === "number" && Number.isInteger(json) ? BigInt(json) : undefined;
      if (big === undefined || big < lo || big > hi) return r.fail(path, `expected ${type.kind === "u8" ? "a byte (integer 0-255)" : `a ${type.kind}`}, found ${describe(json)}`);
      return type.kind === "u64" || type.kind === "s64" ? big : Number(big);
    }
    case "f32": case "f64":
      if (typeof json === "number") return json;
      if (typeof json === "bigint") return Number(json);
      if (json === "NaN") return NaN;
      if (json === "Infinity") return Infinity;
      if (json === "-Infinity") return -Infinity;
      return r.fail(path, `expected a ${type.kind} (a number, "NaN", "Infinity" or "-Infinity"), found ${describe(json)}`);
    case "char":
      return typeof json === "string" && [...json].length === 1 ? json : r.fail(path, `expected a char (a one-character string), found ${describe(json)}`);
    case "string":
      return typeof json === "string" ? json : r.fail(path, `expected a string, found ${describe(json)}`);
    case "list": {
      if (!Array.isArray(json)) return r.fail(path, `expected an array, found ${describe(json)}`);
      const items = json.map((x, i) => read(r, type.elem, x, `${path}[${i}]`));
      return type.elem.kind === "u8" ? Uint8Array.from(items as number[]) : items;
    }
    case "tuple":
      if (!Array.isArray(json) || json.length !== type.types.length) return r.fail(path, `expected an array of ${type.types.length}, found ${describe(json)}`);
      return type.types.map((t, i) => read(r, t, json[i], `${path}[${i}]`));
    case "record": {
      if (!isObject(json)) return r.fail(path, `expected an object, found ${describe(json)}`);
      const labels = type.fields.map((f) => f.label);
      for (const k of Object.keys(json)) if (!labels.includes(k)) r.fail(path, `unknown field \`${k}\`, expected one of ${labels.map((l) => `\`${l}\``).join(", ")}`);
      // as serde: a missing field is an error, except an option (absent = none)
      for (const f of type.fields) if (!(f.label in json) && f.type.kind !== "option") r.fail(path, `missing field \`${f.label}\``);
      const out: { [key: string]: Value } = {};
      for (const f of type.fields) out[f.label] = f.label in json ? read(r, f.type, json[f.label], `${path}.${f.label}`) : { tag: "none" };
      return out;
    }
    case "variant": {
      const [label, payload] = readCase(r, path, json, type.cases);
      const c = type.cases.find((x) => x.label === label)!;
      if (c.type === null) return payload === undefined || payload === null ? { tag: label } : r.fail(`${path}.${label}`, `expected no payload (null), found ${describe(payload)}`);
      return { tag: label, value: read(r, c.type, payload, `${path}.${label}`) };
    }
    case "enum":
      return typeof json === "string" && type.labels.includes(json) ? json : r.fail(path, `expected one of ${type.labels.map((l) => JSON.stringify(l)).join(", ")}, found ${describe(json)}`);
    case "option": {
      if (json === null) return { tag: "none" };
      if (type.type.kind === "option") {
        if (!isObject(json) || !("some" in json)) return r.fail(path, `expected null or {"some":...}, found ${describe(json)}`);
        return { tag: "some", value: read(r, type.type, json.some, `${path}.some`) };
      }
      return { tag: "some", value: read(r, type.type, json, path) };
    }
    case "result": {
      const [label, payload] = readCase(r, path, json, [{ label: "ok", type: type.ok }, { label: "err", type: type.err }]);
      const t = label === "ok" ? type.ok : type.err;
      return t === null ? { tag: label } : { tag: label, value: read(r, t, payload, `${path}.${label}`) };
    }
    case "flags": {
      if (!Array.isArray(json)) return r.fail(path, `expected an array of flag labels (${type.labels.join(", ")}), found ${describe(json)}`);
      const out: { [key: string]: Value } = Object.fromEntries(type.labels.map((l) => [l, false]));
      json.forEach((l, i) => {
        if (typeof l !== "string" || !type.labels.includes(l)) r.fail(`${path}[${i}]`, `expected a flag label (${type.labels.join(", ")}), found ${describe(l)}`);
        out[l as string] = true;
      });
      return out;
    }
  }
}

/** The generic value of `type` for the WIT-shaped JSON `json` (see the table above). */
export function valueFromWitJson(type: ValType, json: unknown, options: WitJsonReadOptions = {}): Value {
  const fail = options.fail ?? ((path: string, what: string): never => {
    throw PureflowError.execution(`${path}: ${what}`);
  });
  return read({ fail }, type, json, options.root ?? "$");
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
