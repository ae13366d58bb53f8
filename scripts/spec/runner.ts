/**
 * Runs one wast2json spec script (its JSON command list) against a {@link SpecEngine}:
 * module, register, action, assert_return, assert_trap, assert_exhaustion, assert_invalid,
 * assert_malformed, assert_unlinkable, assert_uninstantiable. Returns per-file counts and the
 * failures with their `.wast` line numbers. Knows nothing about how results are printed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineInstance, ImportObject, SpecEngine } from "./engine.js";
import { messageOf } from "./engine.js";
import { makeSpectest } from "./spectest.js";
import { HostRefs, UnsupportedValue, describe, mismatch, toRaw } from "./values.js";
import type { JsonValue, RawValue } from "./values.js";

interface Action {
  readonly type: "invoke" | "get";
  readonly module?: string;
  readonly field: string;
  readonly args?: readonly JsonValue[];
}

interface Command {
  readonly type: string;
  readonly line: number;
  readonly filename?: string;
  readonly name?: string;
  readonly as?: string;
  readonly action?: Action;
  readonly expected?: readonly JsonValue[];
  /** Relaxed results (`(either ...)`, one result): the result must match one of these. */
  readonly either?: readonly JsonValue[];
  readonly text?: string;
  readonly module_type?: string;
  /** 3.0 scripts: `"true"` on a `(module definition ...)` (compile only). */
  readonly definition?: string;
  /** 3.0 scripts: `module_instance` — the instance name and the definition it instantiates. */
  readonly instance?: string;
  readonly module?: string;
}

export interface Failure {
  readonly line: number;
  readonly type: string;
  readonly detail: string;
}

export interface FileResult {
  readonly file: string;
  passed: number;
  failed: number;
  skipped: number;
  /** reason -> number of skipped assertions */
  readonly skipReasons: Record<string, number>;
  modulesOk: number;
  modulesFailed: number;
  actionsOk: number;
  actionsFailed: number;
  readonly failures: Failure[];
  /** Set when the whole file is skipped by feature. */
  skippedFeature?: string;
  ms: number;
}

export interface RunOptions {
  /** Called before each command (e.g. to reset a per-command deadline). */
  readonly beforeCommand?: () => void;
  /** Files skipped as a whole (the Wasm 3.0 suite: features not implemented), with the reason. */
  readonly featureSkip?: (file: string) => string | undefined;
  /** Assertions skipped because a later Wasm version reversed them (see spec/superseded.ts). */
  readonly superseded?: (type: string, bytes: Uint8Array, text?: string) => string | undefined;
}

/** The trap code our engine should report for a spec trap message ("uninitialized element 2" -> "uninitialized-element"). */
export function trapCodeForText(text: string): string {
  return text.replace(/\s+\d+$/, "").trim().replace(/\s+/g, "-");
}

/** Files skipped as a whole, with the reason (none: every feature of the Wasm 2.0 suite is implemented). */
export function featureSkip(_file: string): string | undefined {
  return undefined;
}

function commandIsAssertion(c: Command): boolean {
  return c.type.startsWith("assert_");
}

/** Runs the spec script `file` (folder name under `specDir`). */
export function runSpecFile(specDir: string, file: string, engine: SpecEngine, options: RunOptions = {}): FileResult {
  const t0 = performance.now();
  const dir = join(specDir, file);
  const json = JSON.parse(readFileSync(join(dir, `${file}.json`), "utf8")) as { commands: Command[] };
  const res: FileResult = {
    file,
    passed: 0,
    failed: 0,
    skipped: 0,
    skipReasons: {},
    modulesOk: 0,
    modulesFailed: 0,
    actionsOk: 0,
    actionsFailed: 0,
    failures: [],
    ms: 0,
  };
  const skip = (reason: string): void => {
    res.skipped++;
    res.skipReasons[reason] = (res.skipReasons[reason] ?? 0) + 1;
  };
  const fail = (c: Command, detail: string): void => {
    if (c.type === "module" || c.type === "module_instance") res.modulesFailed++;
    else if (c.type === "action" || c.type === "register") res.actionsFailed++;
    else res.failed++;
    res.failures.push({ line: c.line, type: c.type, detail });
  };

  const feature = options.featureSkip?.(file) ?? featureSkip(file);
  if (feature !== undefined) {
    res.skippedFeature = feature;
    for (const c of json.commands) if (commandIsAssertion(c)) skip(feature);
    res.ms = performance.now() - t0;
    return res;
  }

  const hostRefs = new HostRefs();
  const spectest = makeSpectest(engine.api);
  const registered = new Map<string, Record<string, unknown>>();
  const named = new Map<string, EngineInstance>();
  let current: EngineInstance | undefined;
  const definitions = new Map<string, unknown>();
  let lastDefinition: unknown;

  const readModule = (c: Command): Uint8Array => new Uint8Array(readFileSync(join(dir, c.filename!)));
  const buildImports = (module: unknown): ImportObject => {
    const obj: ImportObject = {};
    for (const imp of engine.imports(module)) {
      const ns = (obj[imp.module] ??= {});
      const src = imp.module === "spectest" ? spectest : registered.get(imp.module);
      if (src !== undefined && Object.prototype.hasOwnProperty.call(src, imp.name)) ns[imp.name] = src[imp.name];
    }
    return obj;
  };
  const target = (a: Action): EngineInstance => {
    const inst = a.module !== undefined ? named.get(a.module) : current;
    if (inst === undefined) throw new HarnessError(a.module !== undefined ? `no module named ${a.module}` : "no current module (an earlier module command failed)");
    return inst;
  };
  const perform = (a: Action, expectedTypes: readonly string[]): RawValue[] => {
    const inst = target(a);
    if (a.type === "get") return [engine.getGlobal(inst, a.field, expectedTypes[0])];
    const args = (a.args ?? []).map((v) => toRaw(v, hostRefs));
    const paramTypes = (a.args ?? []).map((v) => v.type);
    return engine.invoke(inst, a.field, args, paramTypes, expectedTypes);
  };
  /** Runs `f`, expecting it to throw an error of `kind`; returns a failure detail or undefined. */
  const expectFailure = (f: () => unknown, kind: string, text: string | undefined): string | undefined => {
    let result: unknown;
    try {
      result = f();
    } catch (e) {
      if (e instanceof HarnessError || e instanceof UnsupportedValue) throw e;
      const k = engine.classify(e);
      if (k.kind !== kind) return `expected ${kind} (${text ?? ""}), got ${k.kind}: ${k.message}`;
      if (kind === "trap" && k.trap !== undefined && text !== undefined && k.trap !== trapCodeForText(text))
        return `expected trap ${trapCodeForText(text)}, got trap ${k.trap}: ${k.message}`;
      return undefined;
    }
    return `expected ${kind} (${text ?? ""}), but it succeeded${Array.isArray(result) ? " with [" + result.map(describe).join(", ") + "]" : ""}`;
  };

  for (const c of json.commands) {
    options.beforeCommand?.();
    try {
      switch (c.type) {
        case "module": {
          if (c.definition === "true") {
            // (module definition $M ...): compile only; `module_instance` instantiates it
            try {
              const m = engine.compile(readModule(c));
              lastDefinition = m;
              if (c.name !== undefined) definitions.set(c.name, m);
              res.modulesOk++;
            } catch (e) {
              fail(c, `module definition ${c.filename} failed: ${messageOf(e)}`);
            }
            break;
          }
          let inst: EngineInstance;
          try {
            const m = engine.compile(readModule(c));
            inst = engine.instantiate(m, buildImports(m));
          } catch (e) {
            current = undefined;
            if (c.name !== undefined) named.delete(c.name);
            fail(c, `module ${c.filename} failed: ${messageOf(e)}`);
            break;
          }
          current = inst;
          if (c.name !== undefined) named.set(c.name, inst);
          res.modulesOk++;
          break;
        }
        case "module_instance": {
          const m = c.module !== undefined ? definitions.get(c.module) : lastDefinition;
          if (m === undefined) {
            fail(c, `module_instance: no module definition ${c.module ?? "(latest)"}`);
            break;
          }
          try {
            current = engine.instantiate(m, buildImports(m));
            if (c.instance !== undefined) named.set(c.instance, current);
            res.modulesOk++;
          } catch (e) {
            current = undefined;
            fail(c, `module_instance ${c.instance ?? ""} failed: ${messageOf(e)}`);
          }
          break;
        }
        case "register": {
          const inst = c.name !== undefined ? named.get(c.name) : current;
          if (inst === undefined) {
            fail(c, `register ${c.as}: no module ${c.name ?? "(current)"}`);
            break;
          }
          registered.set(c.as!, inst.exports);
          res.actionsOk++;
          break;
        }
        case "action": {
          try {
            perform(c.action!, (c.expected ?? []).map((v) => v.type));
            res.actionsOk++;
          } catch (e) {
            if (e instanceof UnsupportedValue) throw e;
            fail(c, `action ${c.action!.field} threw ${e instanceof HarnessError ? e.message : messageOf(e)}`);
          }
          break;
        }
        case "assert_return": {
          const expected = c.either !== undefined ? [c.either[0]!] : c.expected ?? [];
          let got: RawValue[];
          try {
            got = perform(c.action!, expected.map((v) => v.type));
          } catch (e) {
            if (e instanceof UnsupportedValue || e instanceof HarnessError) throw e;
            fail(c, `${c.action!.field}: threw ${messageOf(e)}`);
            break;
          }
          if (got.length !== expected.length) {
            fail(c, `${c.action!.field}: expected ${expected.length} results, got ${got.length}`);
            break;
          }
          const problems: string[] = [];
          if (c.either !== undefined) {
            const ms = c.either.map((e) => mismatch(e, got[0], hostRefs));
            if (ms.every((m) => m !== undefined)) problems.push(`result 0 is none of the ${ms.length} allowed: ${ms.join(" / ")}`);
          } else {
            expected.forEach((e, i) => {
              const m = mismatch(e, got[i], hostRefs);
              if (m !== undefined) problems.push(`result ${i}: ${m}`);
            });
          }
          if (problems.length > 0) fail(c, `${c.action!.field}(${(c.action!.args ?? []).map((a) => `${a.type}:${String(a.value)}`).join(", ")}): ${problems.join("; ")}`);
          else res.passed++;
          break;
        }
        case "assert_trap":
        case "assert_exhaustion": {
          const types = (c.expected ?? []).map((v) => v.type);
          const d = expectFailure(() => perform(c.action!, types), c.type === "assert_trap" ? "trap" : "exhaustion", c.text);
          if (d === undefined) res.passed++;
          else fail(c, `${c.action!.field}: ${d}`);
          break;
        }
        case "assert_exception": {
          // the call must end with an uncaught wasm exception
          const types = (c.expected ?? []).map((v) => v.type);
          const d = expectFailure(() => perform(c.action!, types), "exception", undefined);
          if (d === undefined) res.passed++;
          else fail(c, `${c.action!.field}: ${d}`);
          break;
        }
        case "assert_invalid":
        case "assert_malformed": {
          if (c.module_type !== "binary") {
            skip("text-format module (needs a text parser)");
            break;
          }
          const b = readModule(c);
          const why = options.superseded?.(c.type, b, c.text);
          if (why !== undefined) {
            skip(why);
            break;
          }
          const d = expectFailure(() => engine.compile(b), "compile", c.text);
          if (d === undefined) res.passed++;
          else fail(c, `${c.filename}: ${d}`);
          break;
        }
        case "assert_unlinkable":
        case "assert_uninstantiable": {
          if (c.module_type !== "binary") {
            skip("text-format module (needs a text parser)");
            break;
          }
          let m: unknown;
          try {
            m = engine.compile(readModule(c));
          } catch (e) {
            fail(c, `${c.filename}: compile failed: ${messageOf(e)}`);
            break;
          }
          const d = expectFailure(() => engine.instantiate(m, buildImports(m)), c.type === "assert_unlinkable" ? "link" : "trap", c.text);
          if (d === undefined) res.passed++;
          else fail(c, `${c.filename}: ${d}`);
          break;
        }
        default:
          skip(`unknown command type ${c.type}`);
      }
    } catch (e) {
      if (e instanceof UnsupportedValue) {
        if (commandIsAssertion(c)) skip(`harness: ${e.message}`);
      } else if (e instanceof HarnessError) {
        fail(c, e.message);
      } else {
        fail(c, `harness error: ${messageOf(e)}`);
      }
    }
  }
  res.ms = performance.now() - t0;
  return res;
}

/** A problem of the script state (missing module), reported as a failure of the command. */
class HarnessError extends Error {}
