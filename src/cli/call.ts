/**
 * `pureflow-wasm call <component.wasm> <export> <args.json> [--fuel N] [--json]`: calls any
 * function of any import-free component with WIT-shaped JSON arguments and prints the lifted
 * result as WIT-shaped JSON (`src/host/wit-json-value.ts`). The engine is the one every world
 * uses: a fresh instance, fuel, the generic Canonical ABI lift and lower.
 *
 * `<export>` is `interface#function` (e.g. `pureflow:rules/rules@0.1.0#evaluate`), or a function
 * name that is unique among the exports. `<args.json>` is an array of the arguments in order, or
 * an object keyed by parameter names.
 */
import { instantiateComponent, type Component, type ExternType, type FuncType, type Value } from "../../canonical-abi/index.js";
import { CancellationToken, DEFAULT_CANCELLATION_REASON, ExecutionLimits, PureflowError, type JsonValue } from "../index.js";
import { compileComponent, createStore } from "../host/engine.js";
import { mapCallError } from "../host/invocation-errors.js";
import { valueFromWitJson, valueToWitJson, witJsonText } from "../host/wit-json-value.js";
import { CliError, EXIT, jsonError, printable, safeJson } from "./errors.js";
import { requireComponentBinary } from "./binary-kind.js";
import { convertWitJson, readWitJsonFile } from "./wit-json-file.js";
import type { CliIo } from "./cli.js";

/** The parsed `call` command. */
export interface CallCommand {
  component: string;
  export: string;
  args: string;
  fuel?: number;
  json: boolean;
}

/** Every exported function: its export path (`[interface, name]` or `[name]`) and type. */
export function exportedFunctions(exports: ReadonlyMap<string, ExternType>, prefix: string[] = []): [string[], FuncType][] {
  const out: [string[], FuncType][] = [];
  for (const [name, et] of exports) {
    if (et.kind === "func") out.push([[...prefix, name], et.type]);
    else if (et.kind === "instance") out.push(...exportedFunctions(et.type.exports as ReadonlyMap<string, ExternType>, [...prefix, name]));
  }
  return out;
}

function findExport(component: Component, path: string, wanted: string): [string[], FuncType] {
  const all = exportedFunctions(component.exports);
  const names = all.map(([p]) => p.join("#"));
  const exact = all.filter(([p]) => p.join("#") === wanted);
  const found = exact.length > 0 ? exact : all.filter(([p]) => p[p.length - 1] === wanted);
  if (found.length === 1) return found[0]!;
  const list = names.map((n) => `\`${printable(n)}\``).join(", ") || "none";
  if (found.length === 0) throw new CliError("CLI-INPUT-004", `\`${printable(path)}\` exports no function \`${printable(wanted)}\` (it exports: ${list})`);
  throw new CliError("CLI-USAGE-001", `\`${printable(wanted)}\` names several exports; give one of ${found.map(([p]) => `\`${printable(p.join("#"))}\``).join(", ")}`);
}

function argumentValues(func: FuncType, json: JsonValue, name: string): Value[] {
  return convertWitJson(name, () => {
    if (Array.isArray(json)) {
      if (json.length !== func.params.length) throw PureflowError.execution(`$: the function takes ${func.params.length} argument(s), got ${json.length}`);
      return func.params.map((p, i) => valueFromWitJson(p.type, json[i], { root: `$[${i}]` }));
    }
    if (json === null || typeof json !== "object") throw PureflowError.execution("$: expected an array of arguments or an object keyed by parameter name");
    const o = json as Record<string, JsonValue>;
    for (const k of Object.keys(o)) if (!func.params.some((p) => p.label === k)) throw PureflowError.execution(`$.${k}: no such parameter (parameters: ${func.params.map((p) => p.label).join(", ") || "none"})`);
    return func.params.map((p) => {
      if (!(p.label in o)) throw PureflowError.execution(`$: missing argument \`${p.label}\``);
      return valueFromWitJson(p.type, o[p.label], { root: `$.${p.label}` });
    });
  });
}

/** Runs `call`; returns the exit status. */
export function callCommand(cmd: CallCommand, io: CliIo, readFile: (path: string, what: string) => Uint8Array): number {
  const limits = cmd.fuel === undefined ? ExecutionLimits.default() : ExecutionLimits.default().withFuel(cmd.fuel);
  const bytes = readFile(cmd.component, "component");
  requireComponentBinary(cmd.component, bytes);
  let component: Component;
  try {
    component = compileComponent(bytes);
  } catch (e) {
    throw new CliError("CLI-INPUT-004", `\`${printable(cmd.component)}\`: ${printable(e instanceof Error ? e.message : String(e))}`, { cause: e });
  }
  const imports = [...component.imports.keys()];
  if (imports.length > 0) throw new CliError("CLI-INPUT-004", `\`${printable(cmd.component)}\` imports ${imports.map((i) => `\`${printable(i)}\``).join(", ")}; call provides no imports`);
  const [path, func] = findExport(component, cmd.component, cmd.export);
  const args = argumentValues(func, readWitJsonFile(readFile(cmd.args, "arguments"), "arguments", cmd.args), cmd.args);
  const token = CancellationToken.active();
  const s = createStore(limits, token);
  const started = performance.now();
  let result: JsonValue | undefined;
  let error: PureflowError | undefined;
  try {
    const lifted = instantiateComponent(component, { store: s.store }).getExport(path).call(args, { maxLiftedBytes: limits.maxOutputBytes });
    result = func.result === null ? null : valueToWitJson(func.result, lifted);
  } catch (e) {
    error = mapCallError(e, token, limits.fuel, { component: "component", cancelledFallback: DEFAULT_CANCELLATION_REASON });
  }
  const fuel = { limit: limits.fuel, consumed: s.fuelConsumed() };
  if (cmd.json) {
    const obj = { status: error ? "error" : "ok", function: path.join("#"), result, error: error ? jsonError(error) : undefined, fuel, elapsedMs: Math.round((performance.now() - started) * 1000) / 1000 };
    io.stdout(safeJson(witJsonText(obj as never, 0)) + "\n");
  } else if (error) io.stderr(`error: ${printable(error.toString())}\n`);
  else io.stdout(safeJson(witJsonText(result as JsonValue)) + "\n");
  return error ? EXIT.guestFailed : EXIT.ok;
}
