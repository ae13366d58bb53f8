/**
 * Shape checks for type descriptors handed to the public door by the caller (`ValType`,
 * `FuncType`, export maps of `ExternType`): the WIT rendering and type comparison functions
 * walk them recursively, so a malformed, cyclic or absurdly deep descriptor must be refused
 * first with an {@link InvalidArgumentError} naming the path of the first problem
 * (`expected.params[0].type.fields[2].label`), never a raw `TypeError` or a stack overflow.
 *
 * The walk is iterative (no recursion of its own), visits each shared node once (a DAG such as
 * `tuple<t, t>` nested 60 deep costs 60 steps, not 2^60), refuses cycles, and refuses nesting
 * deeper than {@link MAX_DESCRIPTOR_DEPTH}. Descriptors the decoder builds always pass.
 */
import { argumentError } from "./arguments.js";
import { InvalidArgumentError } from "./errors.js";

/** How deeply a caller's descriptor may nest (value types, instance types and export maps together). */
export const MAX_DESCRIPTOR_DEPTH = 1000;

const PRIMITIVE_KINDS: ReadonlySet<string> = new Set([
  "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
]);

/** What a node is expected to be. */
type Expect = "valtype" | "valtype?" | "functype" | "externs" | "extern" | "typeentry";

interface Work {
  readonly v: unknown;
  readonly path: string;
  readonly expect: Expect;
  readonly depth: number;
  /** Set on the second visit of a node, when its children are done (it leaves the ancestor set). */
  readonly exit?: true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function expectedText(e: Expect): string {
  switch (e) {
    case "valtype": return "a value type descriptor (`{ kind: \"u32\" }`, `T.list(...)`, ...)";
    case "valtype?": return "a value type descriptor or null";
    case "functype": return "a function type descriptor (`{ kind: \"func\", params, result }`)";
    case "externs": return "a Map of names to extern types";
    case "extern": return "an extern type (`{ kind: \"func\" | \"type\" | \"instance\" | \"component\" | \"module\", ... }`)";
    case "typeentry": return "a type descriptor";
  }
}

/** Checks a descriptor's own fields and returns its children to visit. */
function children(w: Work, fail: (path: string, expected: string, v: unknown) => never): Work[] {
  const { v, path, depth } = w;
  const out: Work[] = [];
  const child = (cv: unknown, cp: string, expect: Expect): void => { out.push({ v: cv, path: cp, expect, depth: depth + 1 }); };
  const label = (lv: unknown, lp: string): void => { if (typeof lv !== "string") fail(lp, "a string label", lv); };
  const list = (lv: unknown, lp: string): readonly unknown[] => {
    if (!Array.isArray(lv)) fail(lp, "an array", lv);
    return lv;
  };
  if (w.expect === "externs") {
    if (!(v instanceof Map)) fail(path, expectedText("externs"), v);
    for (const [name, et] of v as Map<unknown, unknown>) {
      if (typeof name !== "string") fail(`${path} key`, "a string name", name);
      child(et, `${path}.get(${JSON.stringify(name)})`, "extern");
    }
    return out;
  }
  if (!isObject(v) || typeof v.kind !== "string") fail(path, expectedText(w.expect), v);
  const o = v as Record<string, unknown> & { kind: string };
  if (o.name !== undefined && typeof o.name !== "string") fail(`${path}.name`, "a string or undefined", o.name);
  if (w.expect === "extern") {
    switch (o.kind) {
      case "func": child(o.type, `${path}.type`, "functype"); return out;
      case "type": child(o.type, `${path}.type`, "typeentry"); return out;
      case "instance": case "component": child(o.type, `${path}.type`, "typeentry"); return out;
      case "module": return out;
      default: return fail(`${path}.kind`, "one of func, type, instance, component, module", o.kind);
    }
  }
  if (w.expect === "functype" || (w.expect === "typeentry" && o.kind === "func")) {
    if (o.kind !== "func") fail(`${path}.kind`, "\"func\"", o.kind);
    list(o.params, `${path}.params`).forEach((p, i) => {
      const pp = `${path}.params[${i}]`;
      if (!isObject(p)) fail(pp, "a parameter `{ label, type }`", p);
      label(p.label, `${pp}.label`);
      child(p.type, `${pp}.type`, "valtype");
    });
    child(o.result, `${path}.result`, "valtype?");
    return out;
  }
  if (w.expect === "typeentry") {
    if (o.kind === "module-type") return out;
    if (o.kind === "instance" || o.kind === "component") {
      if (o.kind === "component") child(o.imports, `${path}.imports`, "externs");
      child(o.exports, `${path}.exports`, "externs");
      return out;
    }
  }
  if (PRIMITIVE_KINDS.has(o.kind)) return out;
  switch (o.kind) {
    case "record":
      list(o.fields, `${path}.fields`).forEach((f, i) => {
        const fp = `${path}.fields[${i}]`;
        if (!isObject(f)) fail(fp, "a field `{ label, type }`", f);
        label(f.label, `${fp}.label`);
        child(f.type, `${fp}.type`, "valtype");
      });
      return out;
    case "variant":
      list(o.cases, `${path}.cases`).forEach((c, i) => {
        const cp = `${path}.cases[${i}]`;
        if (!isObject(c)) fail(cp, "a case `{ label, type }`", c);
        label(c.label, `${cp}.label`);
        child(c.type, `${cp}.type`, "valtype?");
      });
      return out;
    case "enum": case "flags":
      list(o.labels, `${path}.labels`).forEach((l, i) => label(l, `${path}.labels[${i}]`));
      return out;
    case "list": child(o.elem, `${path}.elem`, "valtype"); return out;
    case "option": child(o.type, `${path}.type`, "valtype"); return out;
    case "tuple":
      list(o.types, `${path}.types`).forEach((t, i) => child(t, `${path}.types[${i}]`, "valtype"));
      return out;
    case "result":
      child(o.ok, `${path}.ok`, "valtype?");
      child(o.err, `${path}.err`, "valtype?");
      return out;
    default:
      return fail(`${path}.kind`, "a primitive kind or record, variant, enum, flags, list, option, tuple, result", o.kind);
  }
}

function checkDescriptor(argument: string, v: unknown, expect: Expect): void {
  const fail = (path: string, expected: string, got: unknown): never => { throw argumentError(path, expected, got); };
  const stack: Work[] = [{ v, path: argument, expect, depth: 0 }];
  const ancestors = new Set<unknown>();
  const done = new Set<unknown>();
  while (stack.length > 0) {
    const w = stack.pop() as Work;
    if (w.exit) {
      ancestors.delete(w.v);
      done.add(w.v);
      continue;
    }
    if (w.v === null && w.expect === "valtype?") continue;
    const isNode = w.v !== null && typeof w.v === "object";
    if (isNode && done.has(w.v)) continue;
    if (isNode && ancestors.has(w.v)) throw new InvalidArgumentError(w.path, "an acyclic descriptor", "a cycle (this descriptor contains itself)");
    if (w.depth > MAX_DESCRIPTOR_DEPTH) throw new InvalidArgumentError(w.path, `a descriptor nested at most ${MAX_DESCRIPTOR_DEPTH} deep`, "a deeper one");
    const next = children(w, fail);
    if (isNode) {
      ancestors.add(w.v);
      stack.push({ ...w, exit: true });
    }
    for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
  }
}

/** `v` must be a well-formed value type descriptor (or null when `nullable`). */
export function checkValTypeArgument(argument: string, v: unknown, nullable = false): void {
  checkDescriptor(argument, v, nullable ? "valtype?" : "valtype");
}

/** `v` must be a well-formed function type descriptor. */
export function checkFuncTypeArgument(argument: string, v: unknown): void {
  checkDescriptor(argument, v, "functype");
}

/** `v` must be a `Map` of names to well-formed extern types (a component's `exports`/`imports`). */
export function checkExternsArgument(argument: string, v: unknown): void {
  checkDescriptor(argument, v, "externs");
}
