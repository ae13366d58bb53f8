/**
 * `pureflow-wasm abi explain <type|component.wasm> [export] [--json]`: the Canonical ABI layout of
 * a WIT type written inline (`'record { a: u8, b: string }'`, `'func(x: string) -> u32'`) or of a
 * component's exported functions: size, alignment, offsets and padding, discriminants,
 * flattening, whether values go through memory and why, core signatures (canonical-abi/abi/explain.ts).
 */
import { existsSync, statSync } from "node:fs";
import {
  Component,
  ComponentError,
  explainFunc,
  explainType,
  parseWitTypeOrFunc,
  renderFuncLayout,
  renderTypeLayout,
  type ExternType,
  type FuncType,
} from "../../canonical-abi/index.js";
import { CliError, EXIT, printable, safeJson } from "./errors.js";
import type { CliIo } from "./cli.js";

/** Every function a component exports: `name` or `interface#name`, with its type. */
function exportedFunctions(exports: ReadonlyMap<string, ExternType>, prefix = ""): [string, FuncType][] {
  const out: [string, FuncType][] = [];
  for (const [name, et] of exports) {
    if (et.kind === "func") out.push([prefix === "" ? name : `${prefix}#${name}`, et.type]);
    else if (et.kind === "instance") out.push(...exportedFunctions(et.type.exports as ReadonlyMap<string, ExternType>, name));
  }
  return out;
}

function looksLikeFile(arg: string): boolean {
  return arg.endsWith(".wasm") || (existsSync(arg) && statSync(arg).isFile());
}

/** Runs `abi explain`; returns the exit status. */
export function abiCommand(cmd: { subject: string; export?: string; json: boolean }, io: CliIo, readFile: (path: string, what: string) => Uint8Array): number {
  if (!looksLikeFile(cmd.subject)) {
    if (cmd.export !== undefined) throw new CliError("CLI-USAGE-001", "an export name goes with a component file, not with a WIT type");
    let t;
    try {
      t = parseWitTypeOrFunc(cmd.subject);
    } catch (e) {
      if (!(e instanceof ComponentError)) throw e;
      throw new CliError("CLI-USAGE-001", printable(e.message), { cause: e });
    }
    if (t.kind === "func") {
      const f = explainFunc(t);
      io.stdout(cmd.json ? safeJson(JSON.stringify({ status: "ok", function: f })) + "\n" : renderFuncLayout(f) + "\n");
    } else {
      const l = explainType(t);
      io.stdout(cmd.json ? safeJson(JSON.stringify({ status: "ok", type: l })) + "\n" : renderTypeLayout(l) + "\n");
    }
    return EXIT.ok;
  }
  const bytes = readFile(cmd.subject, "component");
  let component: Component;
  try {
    component = Component.fromBytes(bytes);
  } catch (e) {
    if (!(e instanceof ComponentError)) throw e;
    throw new CliError("CLI-INPUT-004", `\`${printable(cmd.subject)}\`: ${printable(e.message)}`, { cause: e });
  }
  let funcs = exportedFunctions(component.exports);
  if (cmd.export !== undefined) {
    funcs = funcs.filter(([n]) => n === cmd.export || n.endsWith(`#${cmd.export}`));
    if (funcs.length === 0) throw new CliError("CLI-INPUT-004", `\`${printable(cmd.subject)}\` exports no function \`${printable(cmd.export)}\` (it exports: ${exportedFunctions(component.exports).map(([n]) => printable(n)).join(", ") || "none"})`);
  }
  if (cmd.json) {
    io.stdout(safeJson(JSON.stringify({ status: "ok", functions: funcs.map(([name, ft]) => ({ name, ...explainFunc(ft) })) })) + "\n");
    return EXIT.ok;
  }
  if (funcs.length === 0) io.stdout(`\`${printable(cmd.subject)}\` exports no functions\n`);
  for (const [name, ft] of funcs) {
    io.stdout(`export ${printable(name)}: ${renderFuncLayout(explainFunc(ft))}\n`);
    for (const p of ft.params) io.stdout(`\nparam ${p.label}:\n${renderTypeLayout(explainType(p.type))}\n`);
    if (ft.result !== null) io.stdout(`\nresult:\n${renderTypeLayout(explainType(ft.result))}\n`);
    io.stdout("\n");
  }
  return EXIT.ok;
}
