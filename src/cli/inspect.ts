/**
 * `pureflow-wasm inspect`: what a binary is (component or core module), its imports and exports
 * with their types, a component's core modules, and which Pureflow world it fits, if any: the
 * batch world `pureflow:batch@0.1.0` (`pureflow-node`: exports `invoke` with the right type,
 * imports nothing) or the rules world `pureflow:rules@0.1.0` (`pureflow-rules-node`: exports
 * `evaluate`). Not fitting is part of the description, not an error; a file that is not valid
 * WebAssembly is a `CLI-INPUT-004` error.
 */
import { Component, ComponentError } from "../../canonical-abi/index.js";
import { Module } from "../../interpreter/index.js";
import { BatchComponent, PureflowError, RuleComponent, RULES_INTERFACE_EXPORT, RULES_WIT_WORLD, WIT_INTERFACE_EXPORT, WIT_WORLD } from "../index.js";
import { describeComponent, describeCoreModule, type ItemDescription } from "./describe.js";
import { CliError, printable } from "./errors.js";
import { binaryKind, notWasmDetail } from "./binary-kind.js";

/** The inspection result: text for people, JSON for tools. */
export interface InspectResult {
  fitsBatchWorld: boolean;
  /** The Pureflow world the component fits (`pureflow-node`, `pureflow-rules-node`), or null. */
  world: string | null;
  text: string;
  json: Record<string, unknown>;
}

function messageOf(e: unknown): string {
  return e instanceof PureflowError ? e.toString() : e instanceof Error ? e.message : String(e);
}

function itemLines(items: ItemDescription[]): string[] {
  const out: string[] = [];
  for (const it of items) {
    const name = it.module !== undefined ? `${it.module} ${it.name}` : it.name;
    const typeLines = printable(it.type).split("\n");
    out.push(`  ${printable(name)}: ${typeLines[0]}`);
    for (const l of typeLines.slice(1)) out.push(`  ${l}`);
  }
  return out;
}

/**
 * Inspects `bytes` (from file `name`).
 * @throws CliError `CLI-INPUT-004` when the bytes are not a valid component or core module.
 */
export function inspectBinary(bytes: Uint8Array, name: string): InspectResult {
  const kind = binaryKind(bytes);
  if (kind === undefined) throw new CliError("CLI-INPUT-004", `\`${printable(name)}\` is not a WebAssembly binary: ${notWasmDetail(bytes)}`);
  const lines = [`kind: ${kind} (${bytes.length} bytes)`];
  const json: Record<string, unknown> = { status: "ok", kind, size: bytes.length };
  let problem: string | undefined;
  let rulesProblem: string | undefined;
  if (kind === "core module") {
    let module: Module;
    try {
      module = new Module(bytes);
    } catch (e) {
      throw new CliError("CLI-INPUT-004", `\`${printable(name)}\` is not a valid core module: ${printable(messageOf(e))}`, { cause: e });
    }
    const d = describeCoreModule(module);
    json.imports = d.imports;
    json.exports = d.exports;
    json.definedFunctions = d.definedFunctions;
    if (d.start !== undefined) json.start = d.start;
    lines.push(`imports: ${d.imports.length === 0 ? "none" : d.imports.length}`, ...itemLines(d.imports));
    lines.push(`exports: ${d.exports.length === 0 ? "none" : d.exports.length}`, ...itemLines(d.exports));
    lines.push(`defined functions: ${d.definedFunctions}${d.start !== undefined ? `; start function: ${d.start}` : ""}`);
    problem = "it is a core module; the batch world needs a component (e.g. `jco new` or `wasm-tools component new` wraps a module)";
    rulesProblem = "it is a core module; the rules world needs a component";
  } else {
    let component: Component;
    try {
      component = Component.fromBytes(bytes);
    } catch (e) {
      if (!(e instanceof ComponentError)) throw e;
      throw new CliError("CLI-INPUT-004", `\`${printable(name)}\` is not a valid component: ${printable(messageOf(e))}`, { cause: e });
    }
    const d = describeComponent(component);
    json.imports = d.imports;
    json.exports = d.exports;
    json.wit = d.wit;
    json.coreModules = d.coreModules;
    lines.push(`imports: ${d.imports.length === 0 ? "none" : d.imports.length}`, ...itemLines(d.imports));
    lines.push(`exports: ${d.exports.length === 0 ? "none" : d.exports.length}`, ...itemLines(d.exports));
    lines.push(`core modules: ${d.coreModules.length}`);
    for (const m of d.coreModules) {
      lines.push(`  module ${m.index}: ${m.size} bytes, ${m.imports.length} imports, ${m.exports.length} exports`);
      for (const i of m.imports) lines.push(`    import ${printable(i.module)} ${printable(i.name)} (${i.kind})`);
      for (const x of m.exports) lines.push(`    export ${printable(x.name)} (${x.kind})`);
    }
    if (d.imports.length > 0) {
      const imported = d.imports.map((i) => `\`${i.name}\``).join(", ");
      problem = `the component imports ${imported}; the batch world provides no imports`;
      rulesProblem = `the component imports ${imported}; the rules world provides no imports`;
    } else {
      try {
        problem = BatchComponent.fromComponentBytes(bytes).bindingProblem()?.message;
      } catch (e) {
        problem = messageOf(e);
      }
      try {
        rulesProblem = RuleComponent.fromComponentBytes(bytes, { snapshot: false }).bindingProblem()?.message;
      } catch (e) {
        rulesProblem = messageOf(e);
      }
    }
  }
  const fits = problem === undefined;
  json.fitsBatchWorld = fits;
  if (problem !== undefined) json.fitProblem = problem;
  lines.push(`fits ${WIT_WORLD} (${WIT_INTERFACE_EXPORT}): ${fits ? "yes" : `no: ${printable(problem ?? "")}`}`);
  const fitsRules = rulesProblem === undefined;
  json.fitsRulesWorld = fitsRules;
  if (rulesProblem !== undefined) json.rulesFitProblem = rulesProblem;
  lines.push(`fits ${RULES_WIT_WORLD} (${RULES_INTERFACE_EXPORT}): ${fitsRules ? "yes" : `no: ${printable(rulesProblem ?? "")}`}`);
  const world = fits ? WIT_WORLD : fitsRules ? RULES_WIT_WORLD : null;
  json.world = world;
  lines.push(`pureflow world: ${world ?? "none"}`);
  return { fitsBatchWorld: fits, world, text: lines.join("\n") + "\n", json };
}
