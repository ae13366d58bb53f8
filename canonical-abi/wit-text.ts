/**
 * Renders a component's export types as WIT text (for `pureflow-wasm inspect`). Interface
 * instances become `export <name>: interface { ... }` with their type exports as WIT type
 * definitions and their functions as `name: func(...) -> ...;`. Types the component named (by
 * exporting them) are referred to by name; unnamed ones are written out structurally.
 */
import type { ExternType, TypeEntry } from "./link/static-types.js";
import type { FuncType, ValType } from "./types.js";

/** A WIT type expression for `t` (its name when it has one, unless `definition` is true). */
export function witType(t: ValType | null, definition = false): string {
  if (t === null) return "_";
  if (!definition && t.name !== undefined) return t.name;
  switch (t.kind) {
    case "list": return `list<${witType(t.elem)}>`;
    case "option": return `option<${witType(t.type)}>`;
    case "tuple": return `tuple<${t.types.map((u) => witType(u)).join(", ")}>`;
    case "result":
      if (t.ok === null && t.err === null) return "result";
      if (t.err === null) return `result<${witType(t.ok)}>`;
      return `result<${witType(t.ok)}, ${witType(t.err)}>`;
    case "record": return `record { ${t.fields.map((f) => `${f.label}: ${witType(f.type)}`).join(", ")} }`;
    case "variant": return `variant { ${t.cases.map((c) => (c.type === null ? c.label : `${c.label}(${witType(c.type)})`)).join(", ")} }`;
    case "enum": return `enum { ${t.labels.join(", ")} }`;
    case "flags": return `flags { ${t.labels.join(", ")} }`;
    default: return t.kind;
  }
}

/** `func(a: T, ...) -> R`. */
export function witFunc(ft: FuncType): string {
  const params = ft.params.map((p) => `${p.label}: ${witType(p.type)}`).join(", ");
  return `func(${params})${ft.result === null ? "" : ` -> ${witType(ft.result)}`}`;
}

function isValType(t: TypeEntry): t is ValType {
  return t.kind !== "func" && t.kind !== "instance" && t.kind !== "component" && t.kind !== "module-type";
}

function typeDefinition(name: string, t: TypeEntry, indent: string): string {
  if (!isValType(t)) return `${indent}/* type ${name}: ${t.kind} */`;
  const inner = indent + "  ";
  switch (t.kind) {
    case "record": return `${indent}record ${name} {\n${t.fields.map((f) => `${inner}${f.label}: ${witType(f.type)},`).join("\n")}\n${indent}}`;
    case "variant": return `${indent}variant ${name} {\n${t.cases.map((c) => `${inner}${c.type === null ? c.label : `${c.label}(${witType(c.type)})`},`).join("\n")}\n${indent}}`;
    case "enum": return `${indent}enum ${name} {\n${t.labels.map((l) => `${inner}${l},`).join("\n")}\n${indent}}`;
    case "flags": return `${indent}flags ${name} {\n${t.labels.map((l) => `${inner}${l},`).join("\n")}\n${indent}}`;
    default: return `${indent}type ${name} = ${witType(t, true)};`;
  }
}

function externLines(name: string, et: ExternType, indent: string, top: boolean): string[] {
  const kw = top ? "export " : "";
  switch (et.kind) {
    case "func": return [`${indent}${kw}${name}: ${witFunc(et.type)};`];
    case "type": return [typeDefinition(name, et.type, indent)];
    case "instance": {
      const lines = [`${indent}${kw}${name}: interface {`];
      for (const [n, e] of et.type.exports) for (const l of externLines(n, e, indent + "  ", false)) lines.push(l);
      lines.push(`${indent}}`);
      return lines;
    }
    case "component": return [`${indent}${kw}${name}: /* component */;`];
    case "module": return [`${indent}${kw}${name}: /* core module */;`];
  }
}

/** WIT text for a set of exports (or imports, with `keyword` "import"). */
export function renderExternsAsWit(externs: ReadonlyMap<string, ExternType>, keyword: "export" | "import" = "export"): string {
  const lines: string[] = [];
  for (const [name, et] of externs) {
    const l = externLines(name, et, "", true);
    if (keyword === "import") l[0] = l[0].replace(/^export /, "import ");
    for (const x of l) lines.push(x);
  }
  return lines.join("\n");
}
