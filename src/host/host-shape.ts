/**
 * A world's TypeScript host shape derived from its WIT type descriptors, for worlds whose public
 * API predates the generic values (the batch world's camelCase records): records keyed by the
 * camelCase of their WIT labels (`node-id` -> `nodeId`), `option<T>` as the value or `null`,
 * lists as arrays (`list<u8>` a Uint8Array), everything else as the generic Canonical ABI value —
 * except the types a world lists in its `rules` (by descriptor identity), which it converts
 * itself (e.g. the batch payload `{ kind: "bytes" | "control" }`). One mapping in both
 * directions, so a shape is declared once: by the WIT.
 *
 * The descriptor is compiled once into a tree of small converter functions (cached per
 * descriptor and rules), so converting a value costs about what hand-written code costs.
 * {@link fromHostShape} checks the host value's form as it goes (an `InvalidHostValueError`
 * naming the path, never a raw TypeError); {@link toHostShape} trusts a lifted value.
 */
import { InvalidHostValueError, type ValType, type Value } from "../../canonical-abi/index.js";

/** A world's own conversion of one composite type (matched by descriptor identity; primitives take none). */
export interface ShapeRule {
  toHost(value: Value): unknown;
  /** @throws InvalidHostValueError for a host value of the wrong form */
  fromHost(host: unknown, path: string): Value;
}

/** The world's rules, keyed by the descriptors they apply to. */
export type ShapeRules = ReadonlyMap<ValType, ShapeRule>;

/** `node-id` -> `nodeId`. */
export function camelLabel(label: string): string {
  return label.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

const PRIMITIVE_KINDS: ReadonlySet<string> = new Set(["bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string"]);

/** A converter; `null` stands for "the value as it is". */
type Conv = ((v: unknown) => unknown) | null;

/** A host value of the wrong form, with the path below the point where it was found. */
class ShapeProblem extends Error {
  constructor(message: string, readonly trail: string[] = []) {
    super(message);
  }
}

function within(segment: string, e: unknown): never {
  if (e instanceof ShapeProblem) e.trail.unshift(segment);
  throw e;
}

function compileToHost(type: ValType, rules: ShapeRules): Conv {
  if (PRIMITIVE_KINDS.has(type.kind)) return null;
  const rule = rules.get(type);
  if (rule !== undefined) return (v) => rule.toHost(v as Value);
  switch (type.kind) {
    case "record": {
      const labels = type.fields.map((f) => f.label);
      const names = labels.map(camelLabel);
      const convs = type.fields.map((f) => compileToHost(f.type, rules));
      return (v) => {
        const r = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < labels.length; i++) {
          const c = convs[i];
          const x = r[labels[i]!];
          out[names[i]!] = c === null ? x : c!(x);
        }
        return out;
      };
    }
    case "option": {
      const c = compileToHost(type.type, rules);
      return (v) => {
        const o = v as { tag: string; value?: unknown };
        return o.tag === "none" ? null : c === null ? o.value : c(o.value);
      };
    }
    case "list": {
      if (type.elem.kind === "u8") return null;
      const c = compileToHost(type.elem, rules);
      return c === null ? null : (v) => (v as unknown[]).map(c);
    }
    default:
      return null;
  }
}

function compileFromHost(type: ValType, rules: ShapeRules): Conv {
  if (PRIMITIVE_KINDS.has(type.kind)) return null;
  const rule = rules.get(type);
  if (rule !== undefined) {
    return (h) => {
      try {
        return rule.fromHost(h, "");
      } catch (e) {
        throw e instanceof InvalidHostValueError ? new ShapeProblem(e.message.replace(/^: /, "")) : e;
      }
    };
  }
  switch (type.kind) {
    case "record": {
      const labels = type.fields.map((f) => f.label);
      const names = labels.map(camelLabel);
      const convs = type.fields.map((f) => compileFromHost(f.type, rules));
      return (h) => {
        if (h === null || typeof h !== "object" || Array.isArray(h)) throw new ShapeProblem("expected an object");
        const r = h as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < labels.length; i++) {
          const c = convs[i];
          const x = r[names[i]!];
          if (c === null) out[labels[i]!] = x;
          else {
            try {
              out[labels[i]!] = c!(x);
            } catch (e) {
              within(`.${names[i]}`, e);
            }
          }
        }
        return out;
      };
    }
    case "option": {
      const c = compileFromHost(type.type, rules);
      return (h) => (h === null || h === undefined ? { tag: "none" } : { tag: "some", value: c === null ? h : c(h) });
    }
    case "list": {
      if (type.elem.kind === "u8") return null;
      const c = compileFromHost(type.elem, rules);
      return (h) => {
        if (!Array.isArray(h)) throw new ShapeProblem("expected an array");
        if (c === null) return h;
        const out = new Array<unknown>(h.length);
        for (let i = 0; i < h.length; i++) {
          try {
            out[i] = c(h[i]);
          } catch (e) {
            within(`[${i}]`, e);
          }
        }
        return out;
      };
    }
    default:
      return null;
  }
}

const toCache = new WeakMap<ShapeRules, WeakMap<ValType, Conv>>();
const fromCache = new WeakMap<ShapeRules, WeakMap<ValType, Conv>>();

function cached(cache: WeakMap<ShapeRules, WeakMap<ValType, Conv>>, type: ValType, rules: ShapeRules, compile: (t: ValType, r: ShapeRules) => Conv): Conv {
  let byType = cache.get(rules);
  if (byType === undefined) cache.set(rules, (byType = new WeakMap()));
  let c = byType.get(type);
  if (c === undefined) byType.set(type, (c = compile(type, rules)));
  return c;
}

/** A lifted generic value of `type` in the host shape. */
export function toHostShape(type: ValType, value: Value | undefined, rules: ShapeRules): unknown {
  const c = cached(toCache, type, rules, compileToHost);
  return c === null ? value : c(value);
}

/** A host value in the host shape of `type` as the generic value the lowerer takes (`path` names it in errors). */
export function fromHostShape(type: ValType, host: unknown, rules: ShapeRules, path = "value"): Value {
  const c = cached(fromCache, type, rules, compileFromHost);
  if (c === null) return host as Value;
  try {
    return c(host) as Value;
  } catch (e) {
    if (e instanceof ShapeProblem) throw new InvalidHostValueError(`${path}${e.trail.join("")}: ${e.message}`);
    throw e;
  }
}
