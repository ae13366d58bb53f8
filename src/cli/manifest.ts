/**
 * Pureflow's WASM component manifest (`pureflow validate-manifest`), checked in Pureflow's order:
 * 1. the JSON decodes with no unknown fields at either level
 *    (`failed to decode WASM component manifest `{path}`: {detail}`);
 * 2. every node id is valid (a `CDT-VAL-001` message);
 * 3. no node appears twice (`invalid WASM component manifest: duplicate component entry for node `x``);
 * 4. every component path exists, relative paths resolved against the manifest's folder
 *    (`invalid WASM component manifest: component path `{p}` for node `{n}` is not readable`);
 * 5. with a workflow, every node exists in it
 *    (`invalid WASM component manifest: manifest node `{n}` does not exist in workflow `{w}``);
 * 6. (beyond Pureflow, which never loads them) every component is a file holding a valid
 *    WebAssembly component, not a directory, a core module or another file
 *    (`invalid WASM component manifest: component path `{p}` for node `{n}` is a directory, not a component file`, ...).
 * Every problem is a {@link ManifestError} (`CLI-MANIFEST-001`, exit 3) whose message is
 * Pureflow's text; an invalid node id carries Pureflow's `CDT-VAL-001` error as its cause. This
 * lives with the command line because it reads files (`node:fs`); the library itself stays free
 * of Node-only modules. Decode details follow serde's wording (`missing field`, `unknown field`,
 * `invalid type`); JSON syntax errors name the line and column.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { Component, ComponentError } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { identifierProblem } from "../batch/ids.js";
import { DEFAULT_GUEST_FUEL } from "../host/limits.js";
import { CliError, fileProblem, printable } from "./errors.js";
import { binaryKind, notWasmDetail } from "./binary-kind.js";
import { jsonSyntaxError, utf8Text } from "./json-text.js";

/** One manifest entry, with its path resolved. */
export interface ManifestComponent {
  node: string;
  /** The path as written. */
  component: string;
  /** The path resolved against the manifest's folder. */
  resolvedPath: string;
  /** Fuel for this node (default 100,000,000). */
  fuel: number;
}

/** A validated manifest. */
export interface ComponentManifest {
  path: string;
  components: ManifestComponent[];
  /** The workflow's id when one was checked. */
  workflowId?: string;
}

/**
 * A manifest or workflow problem (`CLI-MANIFEST-001`): `message` is the text Pureflow's CLI
 * prints; `toString()` is `CLI-MANIFEST-001: invalid manifest: {message}`.
 */
export class ManifestError extends CliError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("CLI-MANIFEST-001", message, options);
    this.name = "ManifestError";
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const p = jsonSyntaxError(text);
    throw new Error(p === undefined ? "invalid JSON" : `${p.message} at line ${p.line} column ${p.column}`);
  }
}

function readText(path: string, what: string, verb: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ManifestError(`failed to read ${what} \`${printable(path)}\`: ${fileProblem(e)}`);
  }
  try {
    return utf8Text(bytes, what, path);
  } catch (e) {
    throw new ManifestError(`failed to ${verb} ${what} \`${printable(path)}\`: ${e instanceof CliError ? e.message.replace(/^.*?\x60 is /, "it is ") : String(e)}`);
  }
}

/** Why `path` (a manifest's component) is not a component, or undefined when it is one. */
function componentProblem(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return statSync(path).isDirectory() ? "is a directory, not a component file" : "is not a regular file";
    const bytes = readFileSync(path);
    const kind = binaryKind(bytes);
    if (kind === undefined) return `is not a WebAssembly component: ${notWasmDetail(bytes)}`;
    if (kind === "core module") return "is a core WebAssembly module, not a component";
    Component.fromBytes(bytes);
    return undefined;
  } catch (e) {
    if (e instanceof ComponentError) return `is not a valid component: ${printable(e.message)}`;
    return `is not readable: ${fileProblem(e)}`;
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "sequence";
  if (typeof v === "object") return "map";
  if (typeof v === "string") return `string ${JSON.stringify(v)}`;
  if (typeof v === "number") return Number.isInteger(v) ? (v < 0 ? `integer \`${v}\`` : `integer \`${v}\``) : `floating point \`${v}\``;
  return `${typeof v} \`${String(v)}\``;
}

function decode(text: string): { node: string; component: string; fuel?: number }[] {
  const v = parseJson(text);
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`invalid type: ${typeName(v)}, expected struct WasmComponentManifest`);
  const top = v as Record<string, unknown>;
  for (const k of Object.keys(top)) if (k !== "components") throw new Error(`unknown field \`${k}\`, expected \`components\``);
  if (!("components" in top)) throw new Error("missing field `components`");
  if (!Array.isArray(top.components)) throw new Error(`invalid type: ${typeName(top.components)}, expected a sequence`);
  return top.components.map((c: unknown) => {
    if (c === null || typeof c !== "object" || Array.isArray(c)) throw new Error(`invalid type: ${typeName(c)}, expected struct WasmComponentEntry`);
    const o = c as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!["node", "component", "fuel"].includes(k)) throw new Error(`unknown field \`${k}\`, expected one of \`node\`, \`component\`, \`fuel\``);
    for (const f of ["node", "component"]) if (!(f in o)) throw new Error(`missing field \`${f}\``);
    if (typeof o.node !== "string") throw new Error(`invalid type: ${typeName(o.node)}, expected a string`);
    if (typeof o.component !== "string") throw new Error(`invalid type: ${typeName(o.component)}, expected a string`);
    if (o.component.length === 0) throw new Error("component path must not be empty");
    if (o.fuel !== undefined && o.fuel !== null) {
      if (typeof o.fuel !== "number" || !Number.isInteger(o.fuel)) throw new Error(`invalid type: ${typeName(o.fuel)}, expected u64`);
      if (o.fuel < 0) throw new Error(`invalid value: ${typeName(o.fuel)}, expected u64`);
      if (!Number.isSafeInteger(o.fuel)) throw new Error(`fuel ${o.fuel} is larger than this host supports (${Number.MAX_SAFE_INTEGER})`);
      return { node: o.node, component: o.component, fuel: o.fuel };
    }
    return { node: o.node, component: o.component };
  });
}

/** Reads a workflow file (JSON) and returns its id and node ids. */
export function readWorkflowNodes(path: string): { id: string; nodes: string[] } {
  const text = readText(path, "workflow", "decode");
  let v: unknown;
  try {
    v = parseJson(text);
  } catch (e) {
    throw new ManifestError(`failed to decode workflow \`${printable(path)}\`: ${(e as Error).message}`);
  }
  const w = v as { id?: unknown; nodes?: unknown };
  if (w === null || typeof w !== "object" || typeof w.id !== "string" || !Array.isArray(w.nodes)) {
    throw new ManifestError(`failed to read workflow \`${printable(path)}\`: expected an object with a string \`id\` and a \`nodes\` array`);
  }
  const nodes = w.nodes.map((n: unknown, i: number) => {
    const id = (n as { id?: unknown } | null)?.id;
    if (typeof id !== "string") throw new ManifestError(`failed to read workflow \`${printable(path)}\`: node ${i} has no string \`id\``);
    return id;
  });
  return { id: w.id, nodes };
}

/**
 * Validates a manifest file as Pureflow's `validate-manifest` does.
 * @throws ManifestError for every problem (an invalid node id: with Pureflow's `CDT-VAL-001`
 * error as `cause` and its text as the message).
 */
export function validateManifest(path: string, workflowPath?: string): ComponentManifest {
  const text = readText(path, "WASM component manifest", "decode");
  let entries: ReturnType<typeof decode>;
  try {
    entries = decode(text);
  } catch (e) {
    throw new ManifestError(`failed to decode WASM component manifest \`${printable(path)}\`: ${printable((e as Error).message)}`);
  }
  for (const e of entries) {
    const problem = identifierProblem("node id", e.node);
    if (problem) {
      const cause = PureflowError.invalidIdentifier(problem);
      throw new ManifestError(cause.toString(), { cause });
    }
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.node)) throw new ManifestError(`invalid WASM component manifest: duplicate component entry for node \`${e.node}\``);
    seen.add(e.node);
  }
  const base = dirname(path);
  const components = entries.map((e) => {
    const resolvedPath = isAbsolute(e.component) ? e.component : resolve(base, e.component);
    if (!existsSync(resolvedPath)) {
      throw new ManifestError(`invalid WASM component manifest: component path \`${printable(e.component)}\` for node \`${e.node}\` is not readable`);
    }
    return { node: e.node, component: e.component, resolvedPath, fuel: e.fuel ?? DEFAULT_GUEST_FUEL };
  });
  const manifest: ComponentManifest = { path, components };
  if (workflowPath !== undefined) {
    const wf = readWorkflowNodes(workflowPath);
    const nodes = new Set(wf.nodes);
    for (const c of components) {
      if (!nodes.has(c.node)) throw new ManifestError(`invalid WASM component manifest: manifest node \`${c.node}\` does not exist in workflow \`${printable(wf.id)}\``);
    }
    manifest.workflowId = wf.id;
  }
  for (const c of components) {
    const problem = componentProblem(c.resolvedPath);
    if (problem !== undefined) throw new ManifestError(`invalid WASM component manifest: component path \`${printable(c.component)}\` for node \`${printable(c.node)}\` ${problem}`);
  }
  return manifest;
}
