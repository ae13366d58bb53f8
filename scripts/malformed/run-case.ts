/**
 * Runs one mutated input against one target and classifies what happened.
 * - `core`: `new Module(bytes)`, whose verdict (valid or not) must agree with Node's
 *   `WebAssembly.validate` (the oracle; our `unsupported` verdicts excepted); if it compiles, `new Instance(module, stubImports, { store })`
 *   with a small fuel budget and store limits, then every exported function is called with zero
 *   arguments (fuel refilled per call). Allowed failures: `CompileError`, `LinkError`, `RuntimeError`.
 * - `component`: `Component.fromBytes(bytes)` (allowed: `ComponentError`); if it decodes, a
 *   `BatchComponent` with a small fuel budget is built and invoked with the fixture inputs
 *   (allowed: `PureflowError`).
 * - `host`: `BatchComponent.fromComponentBytes(bytes)` and, if it compiles, one invocation
 *   (allowed: `PureflowError`).
 * A typed error whose `cause` chain holds a raw exception (e.g. a TypeError mapped into
 * `PureflowError` "guest invoke failed: ...") is a finding too. So is a case slower than the time
 * bound, or one that grows the resident set by more than the memory bound.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ComponentError, Component } from "../../canonical-abi/index.js";
import { CompileError, Instance, LinkError, Module, RuntimeError, Store } from "../../interpreter/index.js";
import type { ValType } from "../../interpreter/decode/module.js";
import { BatchComponent, BatchInputs, ControlJsonSyntaxError, ExecutionLimits, PureflowError, batchInputsFromWitJson } from "../../src/index.js";
import { projectRoot } from "../../test/helpers/shared.js";
import { stubImports, zeroOf } from "./stubs.js";
import { beyondNode20 } from "./node20-gaps.js";
import { decodeModule } from "../../interpreter/decode/index.js";

/** What a case is run against. */
export type Target = "core" | "component" | "host";

/** Fuel per exported-function call (core) and per invocation (component, host). */
export const CASE_FUEL = 100_000;
/** Most exported functions called per core case. */
export const MAX_CALLS = 24;
/** Store limits of core cases: 64 MiB per memory, 1M table elements, 10,000 frames, 8 MiB of value stack. */
export const CORE_STORE_LIMITS = { maxMemoryPages: 1024, maxTableElements: 1_000_000, maxCallDepth: 10_000, maxValueStackBytes: 8 * 2 ** 20 } as const;
/**
 * Memory limit of component and host invocations (pages of 64 KiB). Small on purpose: a guest that
 * grows page by page (the memory-hog fixture) costs time quadratic in this limit, because every
 * `memory.grow` copies the buffer (a documented limitation of the interpreter).
 */
export const COMPONENT_MAX_MEMORY_PAGES = 64;

/** Something the campaign must report: a raw exception, a slow case, a memory blow-up, a hang. */
export interface Finding {
  readonly kind: "raw-exception" | "wrapped-raw-exception" | "wrong-layer-error" | "validity-disagreement" | "slow" | "memory" | "hang" | "worker-died";
  /** Where it happened (`core compile`, `component invoke`, ...). */
  readonly stage: string;
  readonly detail: string;
  /** Top of the stack of the offending exception, when there is one. */
  readonly stack?: string;
}

/** The result of one case. */
export interface CaseResult {
  /** Outcome keys to count (e.g. `core compile: CompileError malformed`). */
  readonly outcomes: string[];
  readonly findings: Finding[];
  /** Wall-clock time of the case (ms). */
  readonly ms: number;
  /** Resident-set growth over the case (bytes; process-wide). */
  readonly rssGrowth: number;
}

/** Limits a campaign enforces per case. */
export interface CaseBounds {
  readonly timeLimitMs: number;
  readonly memoryLimitBytes: number;
}

export const DEFAULT_BOUNDS: CaseBounds = { timeLimitMs: 1000, memoryLimitBytes: 256 * 1024 * 1024 };

/** Options of {@link runCase}. */
export interface CaseOptions {
  /**
   * Check core verdicts against Node's `WebAssembly.validate` (default true). Off for crafted
   * inputs, whose sizes are over V8's implementation limits (e.g. 100,000 data segments) on purpose.
   */
  readonly oracle?: boolean;
}

type ErrorClass = abstract new (...args: never[]) => Error;
const CORE_ERRORS: readonly ErrorClass[] = [CompileError, LinkError, RuntimeError];
const COMPONENT_ERRORS: readonly ErrorClass[] = [ComponentError];
const HOST_ERRORS: readonly ErrorClass[] = [PureflowError];
/** Classes allowed anywhere in a typed error's `cause` chain. */
const TYPED_CAUSES: readonly ErrorClass[] = [CompileError, LinkError, RuntimeError, ComponentError, PureflowError, ControlJsonSyntaxError];

function isA(e: unknown, classes: readonly ErrorClass[]): boolean {
  return classes.some((c) => e instanceof c);
}

function nameOf(e: unknown): string {
  if (e instanceof Error) return e.constructor?.name ?? e.name;
  return typeof e;
}

function describeError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return `${nameOf(e)}: ${msg.length > 300 ? `${msg.slice(0, 300)}...` : msg}`;
}

function stackTop(e: unknown): string | undefined {
  if (!(e instanceof Error) || e.stack === undefined) return undefined;
  return e.stack.split("\n").slice(0, 8).join("\n");
}

function codeOf(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  const trap = (e as { trap?: unknown }).trap;
  return typeof trap === "string" && trap !== c ? `${String(c)}/${trap}` : String(c);
}

/**
 * Checks a caught exception: undefined when it is one of `allowed` with only typed causes, or the
 * finding otherwise.
 */
export function checkError(e: unknown, allowed: readonly ErrorClass[], stage: string, wrongLayer: readonly ErrorClass[] = []): Finding | undefined {
  if (!isA(e, allowed)) {
    const kind = isA(e, wrongLayer) ? "wrong-layer-error" : "raw-exception";
    return { kind, stage, detail: describeError(e), stack: stackTop(e) };
  }
  let cur: unknown = (e as Error).cause;
  for (let depth = 0; depth < 8 && cur !== undefined && cur !== null; depth++) {
    if (!isA(cur, TYPED_CAUSES)) {
      return { kind: "wrapped-raw-exception", stage, detail: `${describeError(e)} <- caused by ${describeError(cur)}`, stack: stackTop(cur) };
    }
    cur = (cur as Error).cause;
  }
  return undefined;
}

function funcParams(m: Module, index: number): readonly ValType[] | undefined {
  const info = Module.info(m);
  const typeIndex = index < info.importedFuncCount
    ? (info.imports.filter((i) => i.desc.kind === "func")[index]?.desc as { typeIndex: number } | undefined)?.typeIndex
    : info.funcs[index - info.importedFuncCount];
  return typeIndex === undefined ? undefined : info.types[typeIndex]?.params;
}

/**
 * The validity oracle: Node's own engine (allowed in tooling, never in library code) must agree
 * with our decoder + validator on whether the bytes form a valid module. Our `unsupported` errors
 * are exempt (V8 implements proposals we refuse, e.g. threads), and so are modules we accept that
 * use a Wasm 3.0 part Node 20 lacks (`node20-gaps.ts`).
 */
function checkValidity(bytes: Uint8Array, ours: "ok" | string, message: string, outcomes: string[], findings: Finding[]): void {
  if (typeof WebAssembly === "undefined" || ours === "unsupported") return;
  const node = WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>);
  if (node === (ours === "ok")) {
    outcomes.push("core oracle: agrees");
    return;
  }
  if (ours === "ok") {
    // a Wasm 3.0 part Node 20 lacks: it rejects the module for that, the oracle is blind here
    const gap = beyondNode20(decodeModule(bytes));
    if (gap !== undefined) {
      outcomes.push(`core oracle: blind (Node 20 lacks ${gap})`);
      return;
    }
  }
  findings.push({
    kind: "validity-disagreement",
    stage: "core compile",
    detail: ours === "ok" ? "our Module accepts bytes that Node's WebAssembly.validate rejects" : `Node's WebAssembly.validate accepts bytes we reject: ${message}`,
  });
}

function runCore(bytes: Uint8Array, outcomes: string[], findings: Finding[], oracle: boolean): void {
  let m: Module;
  try {
    m = new Module(bytes);
  } catch (e) {
    const f = checkError(e, [CompileError], "core compile", [LinkError, RuntimeError, ComponentError, PureflowError]);
    if (f) findings.push(f);
    else {
      outcomes.push(`core compile: CompileError ${codeOf(e)}`);
      if (oracle) checkValidity(bytes, String((e as CompileError).code), (e as Error).message, outcomes, findings);
    }
    return;
  }
  outcomes.push("core compile: ok");
  if (oracle) checkValidity(bytes, "ok", "", outcomes, findings);
  const stubs = stubImports(m);
  if ("unavailable" in stubs) {
    outcomes.push("core instantiate: stub-unavailable");
    return;
  }
  const store = new Store({ fuel: CASE_FUEL, limits: CORE_STORE_LIMITS });
  let inst: Instance;
  try {
    inst = new Instance(m, stubs.imports, { store });
  } catch (e) {
    const f = checkError(e, CORE_ERRORS, "core instantiate");
    if (f) findings.push(f);
    else outcomes.push(`core instantiate: ${nameOf(e)} ${codeOf(e)}`);
    return;
  }
  outcomes.push("core instantiate: ok");
  let calls = 0;
  for (const exp of Module.info(m).exports) {
    if (exp.kind !== "func" || calls >= MAX_CALLS) continue;
    const params = funcParams(m, exp.index);
    const fn = inst.exports[exp.name];
    if (params === undefined || typeof fn !== "function") continue;
    calls++;
    store.setFuel(CASE_FUEL);
    try {
      (fn as (...args: unknown[]) => unknown)(...params.map(zeroOf));
      outcomes.push("core call: returned");
    } catch (e) {
      // The JS API's TypeError for a v128 crossing the JS boundary (an export or a host import with v128 in its type)
      if (e instanceof TypeError && /v128/.test(e.message) && (e as { code?: unknown }).code === "invalid-argument") {
        outcomes.push("core call: TypeError (v128 at the JavaScript boundary)");
        continue;
      }
      const f = checkError(e, CORE_ERRORS, `core call ${JSON.stringify(exp.name)}`);
      if (f) findings.push(f);
      else outcomes.push(`core call: ${nameOf(e)} ${codeOf(e)}`);
    }
  }
}

let fixtureInputs: BatchInputs | undefined;
/** The batch inputs invocations use (the uppercase fixture's testdata). */
export function invocationInputs(): BatchInputs {
  fixtureInputs ??= batchInputsFromWitJson(readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8"));
  return fixtureInputs;
}

const COMPONENT_LIMITS = ExecutionLimits.new(CASE_FUEL).withMaxMemoryPages(COMPONENT_MAX_MEMORY_PAGES);

function invokeBatch(bytes: Uint8Array, prefix: string, outcomes: string[], findings: Finding[]): void {
  let guest: BatchComponent;
  try {
    guest = BatchComponent.fromComponentBytesWithLimits(bytes, COMPONENT_LIMITS);
  } catch (e) {
    const f = checkError(e, HOST_ERRORS, `${prefix} compile`, [ComponentError, CompileError, LinkError, RuntimeError]);
    if (f) findings.push(f);
    else outcomes.push(`${prefix} compile: PureflowError ${codeOf(e)}`);
    return;
  }
  outcomes.push(`${prefix} compile: ok`);
  try {
    const report = guest.invokeWithReport(invocationInputs());
    if (report.error === undefined) outcomes.push(`${prefix} invoke: ok`);
    else {
      const f = checkError(report.error, HOST_ERRORS, `${prefix} invoke`);
      if (f) findings.push(f);
      else outcomes.push(`${prefix} invoke: PureflowError ${codeOf(report.error)}`);
    }
  } catch (e) {
    findings.push(checkError(e, [], `${prefix} invoke (invokeWithReport threw)`) ?? { kind: "raw-exception", stage: `${prefix} invoke`, detail: describeError(e) });
  }
}

function runComponent(bytes: Uint8Array, outcomes: string[], findings: Finding[]): void {
  try {
    Component.fromBytes(bytes);
  } catch (e) {
    const f = checkError(e, COMPONENT_ERRORS, "component decode", [CompileError, LinkError, RuntimeError, PureflowError]);
    if (f) findings.push(f);
    else outcomes.push(`component decode: ${codeOf(e)}`);
    return;
  }
  outcomes.push("component decode: ok");
  invokeBatch(bytes, "component batch", outcomes, findings);
}

/** Runs `bytes` against `target`, measuring time and resident-set growth. */
export function runCase(target: Target, bytes: Uint8Array, bounds: CaseBounds = DEFAULT_BOUNDS, options: CaseOptions = {}): CaseResult {
  const outcomes: string[] = [];
  const findings: Finding[] = [];
  const rss0 = process.memoryUsage.rss();
  const t0 = performance.now();
  try {
    if (target === "core") runCore(bytes, outcomes, findings, options.oracle ?? true);
    else if (target === "component") runComponent(bytes, outcomes, findings);
    else invokeBatch(bytes, "host", outcomes, findings);
  } catch (e) {
    // an exception thrown outside the guarded calls (e.g. while classifying) is still a finding
    findings.push({ kind: "raw-exception", stage: `${target} (unguarded)`, detail: describeError(e), stack: stackTop(e) });
  }
  const ms = performance.now() - t0;
  const rssGrowth = process.memoryUsage.rss() - rss0;
  if (ms > bounds.timeLimitMs) findings.push({ kind: "slow", stage: target, detail: `case took ${ms.toFixed(0)} ms (bound ${bounds.timeLimitMs} ms)` });
  if (rssGrowth > bounds.memoryLimitBytes) {
    findings.push({ kind: "memory", stage: target, detail: `resident set grew by ${(rssGrowth / 2 ** 20).toFixed(0)} MiB (bound ${(bounds.memoryLimitBytes / 2 ** 20).toFixed(0)} MiB)` });
  }
  return { outcomes, findings, ms, rssGrowth };
}
