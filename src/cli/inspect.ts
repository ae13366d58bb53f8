/**
 * `pureflow-wasm inspect`: what a binary is (core module, component, or neither), the
 * component's exports and core modules as far as the component layer describes them, and whether
 * it fits the `pureflow:batch@0.1.0` world (compiles, exports `invoke` with the right type, imports
 * nothing).
 */
import { BatchComponent, PureflowError, WIT_INTERFACE_EXPORT, WIT_WORLD } from "../index.js";
import { describeCompiled } from "./describe.js";

/** The inspection result: text for people, JSON for tools. */
export interface InspectResult {
  fitsBatchWorld: boolean;
  text: string;
  json: Record<string, unknown>;
}

function kindOf(bytes: Uint8Array): "component" | "core module" | "not wasm" {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return "not wasm";
  return bytes[6] === 0x01 && bytes[7] === 0x00 ? "component" : "core module";
}

/** Inspects `bytes`. Never throws for bad input: problems are part of the result. */
export function inspectComponent(bytes: Uint8Array): InspectResult {
  const kind = kindOf(bytes);
  const lines = [`kind: ${kind} (${bytes.length} bytes)`];
  const json: Record<string, unknown> = { kind, size: bytes.length };
  let fits = false;
  let problem: string | undefined;
  let guest: BatchComponent | undefined;
  try {
    guest = BatchComponent.fromComponentBytes(bytes);
  } catch (e) {
    problem = e instanceof PureflowError ? e.toString() : String(e);
  }
  if (guest) {
    const d = describeCompiled(guest.compiled);
    json.imports = d.imports;
    json.exports = d.exports;
    json.wit = d.wit;
    json.coreModules = d.coreModules;
    lines.push(`imports: ${d.imports.length === 0 ? "none" : ""}`);
    for (const i of d.imports) lines.push(`  ${i}`);
    lines.push("exports:");
    for (const e of d.exports) lines.push(`  ${e}`);
    lines.push("export types (WIT):");
    for (const l of d.wit.trimEnd().split("\n")) lines.push(`  ${l}`);
    lines.push(`core modules: ${d.coreModules.length}`);
    for (const m of d.coreModules) {
      lines.push(`  module ${m.index}: ${m.size} bytes, ${m.imports.length} imports, ${m.exports.length} exports`);
      for (const i of m.imports) lines.push(`    import ${i}`);
      for (const x of m.exports) lines.push(`    export ${x}`);
    }
    const check = guest.bindingProblem();
    if (check) problem = check.toString();
    else if (d.imports.length > 0) problem = `the component imports ${d.imports.join(", ")}; the batch world links nothing`;
    else fits = true;
  }
  json.fitsBatchWorld = fits;
  if (problem !== undefined) json.problem = problem;
  lines.push(`fits ${WIT_WORLD} (${WIT_INTERFACE_EXPORT}): ${fits ? "yes" : `no: ${problem ?? "unknown"}`}`);
  return { fitsBatchWorld: fits, text: lines.join("\n") + "\n", json };
}
