/**
 * Runs a compiled WASI command program (`_start`) on one engine and describes what it did: exit
 * status or trap, what it printed, the WASI calls it made and a digest of its final memory.
 * {@link compareOutcomes} says whether two such descriptions agree. The same WASI stubs
 * (wasi.ts) serve both engines.
 */
import { createHash } from "node:crypto";
import { messageOf } from "../spec/engine.js";
import type { ClassifiedError } from "../spec/engine.js";
import { NodeEngine } from "../spec/node-engine.js";
import { OurEngine } from "../spec/our-engine.js";
import type { OurNamespace } from "../spec/our-engine.js";
import { trapGroup } from "../fuzz/diff.js";
import { ProcExit, createWasi } from "./wasi.js";
import type { ImportEntry, WasiState } from "./wasi.js";

/**
 * - `exit`: `_start` returned (exit code 0) or called `proc_exit`;
 * - `trap`: a WebAssembly trap (`trap` is its category, shared by both engines' vocabularies);
 * - `timeout`: the engine's bound ran out (our fuel or deadline, or Node's wall-clock limit);
 * - `error`: anything else (compile or link failure, a harness exception).
 */
export type ProgramStatus = "exit" | "trap" | "timeout" | "error";

/** What one run of a program did. Plain data, so it can cross a worker boundary. */
export interface ProgramOutcome {
  readonly status: ProgramStatus;
  readonly exitCode?: number;
  /** Trap category (see `trapGroup` in fuzz/diff.ts), for status `trap`. */
  readonly trap?: string;
  /** The engine's message, for `trap`, `timeout` and `error`. */
  readonly message?: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputTruncated: boolean;
  /** WASI calls other than writes to stdout/stderr, in order (bounded), and the total call count. */
  readonly calls: readonly string[];
  readonly callCount: number;
  /** The exported memory at the end: size in bytes and SHA-256 of its contents. */
  readonly memory?: { readonly bytes: number; readonly sha256: string };
  /** Our engine only: fuel consumed. */
  readonly fuel?: number;
}

/** How our engine is bounded: fuel metering on with this budget, or off with a wall-clock deadline. */
export type OurBound = { readonly fuel: number } | { readonly timeoutMs: number };

const decoder = new TextDecoder("utf-8", { fatal: false });

function finish(state: WasiState, memory: { buffer: ArrayBuffer } | undefined, part: Pick<ProgramOutcome, "status" | "exitCode" | "trap" | "message" | "fuel">): ProgramOutcome {
  let mem: ProgramOutcome["memory"];
  if (memory !== undefined) {
    const buf = new Uint8Array(memory.buffer);
    mem = { bytes: buf.length, sha256: createHash("sha256").update(buf).digest("hex") };
  }
  return {
    ...part,
    stdout: decoder.decode(new Uint8Array(state.stdout)),
    stderr: decoder.decode(new Uint8Array(state.stderr)),
    outputTruncated: state.truncated,
    calls: state.calls,
    callCount: state.callCount,
    memory: mem,
  };
}

function memoryExport(exports: Record<string, unknown>): { buffer: ArrayBuffer } | undefined {
  const m = exports.memory as { buffer?: unknown } | undefined;
  return m !== undefined && m.buffer instanceof ArrayBuffer ? (m as { buffer: ArrayBuffer }) : undefined;
}

/** The outcome of a failure `e` raised while running; `classify` is the engine's classifier. */
function failure(e: unknown, classify: (e: unknown) => ClassifiedError, isBudget: (e: unknown) => boolean): Pick<ProgramOutcome, "status" | "exitCode" | "trap" | "message"> {
  if (e instanceof ProcExit) return { status: "exit", exitCode: e.code };
  if (isBudget(e)) return { status: "timeout", message: messageOf(e) };
  const c = classify(e);
  if (c.kind === "trap") return { status: "trap", trap: trapGroup(c), message: c.message };
  if (c.kind === "exhaustion") return { status: "trap", trap: "stack-exhausted", message: c.message };
  return { status: "error", message: `${c.kind}: ${c.message}` };
}

/** Runs `bytes` on Node's WebAssembly, in this thread (see node-runner.ts for a bounded run). */
export function runOnNode(bytes: Uint8Array): ProgramOutcome {
  const engine = new NodeEngine();
  const wasi = createWasi();
  let memory: { buffer: ArrayBuffer } | undefined;
  const classify = (e: unknown): ClassifiedError => engine.classify(e);
  try {
    const mod = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    const inst = new WebAssembly.Instance(mod, wasi.imports(WebAssembly.Module.imports(mod) as ImportEntry[]) as WebAssembly.Imports);
    memory = memoryExport(inst.exports as Record<string, unknown>);
    wasi.state.memory = memory;
    const start = inst.exports._start;
    if (typeof start !== "function") return finish(wasi.state, memory, { status: "error", message: "no _start export" });
    start();
    return finish(wasi.state, memory, { status: "exit", exitCode: 0 });
  } catch (e) {
    return finish(wasi.state, memory, failure(e, classify, () => false));
  }
}

/** Runs `bytes` on our interpreter with a fresh Store bounded by `bound`. */
export function runOnOurs(ns: OurNamespace, bytes: Uint8Array, bound: OurBound): ProgramOutcome {
  const engine = new OurEngine(ns);
  const store = "fuel" in bound ? new ns.Store({ fuel: bound.fuel, costs: "instructions" }) : new ns.Store({ cancellation: { timeoutMs: bound.timeoutMs } });
  const wasi = createWasi();
  let memory: { buffer: ArrayBuffer } | undefined;
  // A host function's exception may come back as it was thrown, or wrapped in a host-error trap.
  const unwrap = (e: unknown): unknown =>
    e instanceof ns.RuntimeError && (e as { trap?: string }).trap === "host-error" && (e as { cause?: unknown }).cause !== undefined ? (e as { cause?: unknown }).cause : e;
  const isBudget = (e: unknown): boolean => e instanceof ns.RuntimeError && ["out-of-fuel", "interrupted"].includes(String((e as { trap?: string }).trap));
  const fuel = (): number => store.fuelConsumed;
  try {
    const mod = new ns.Module(bytes);
    const inst = new ns.Instance(mod, wasi.imports(ns.Module.imports(mod)), { store });
    memory = memoryExport(inst.exports);
    wasi.state.memory = memory;
    const start = inst.exports._start;
    if (typeof start !== "function") return finish(wasi.state, memory, { status: "error", message: "no _start export" });
    (start as () => unknown)();
    return finish(wasi.state, memory, { status: "exit", exitCode: 0, fuel: fuel() });
  } catch (e) {
    return finish(wasi.state, memory, { ...failure(unwrap(e), (x) => engine.classify(x), isBudget), fuel: fuel() });
  }
}

/**
 * Compares two outcomes of the same program; undefined when they agree, else what differs.
 * Timeouts are not compared (the caller counts them). A stack exhaustion on one side only is
 * reported as `limit:` (the engines' stack limits differ by design), not as a difference.
 */
export function compareOutcomes(a: ProgramOutcome, b: ProgramOutcome, labels: readonly [string, string] = ["node", "ours"]): string | undefined {
  const [la, lb] = labels;
  const status = (o: ProgramOutcome): string => (o.status === "exit" ? `exit ${o.exitCode}` : o.status === "trap" ? `trap ${o.trap} (${o.message})` : `${o.status} (${o.message})`);
  if (a.status !== b.status || a.exitCode !== b.exitCode) {
    const stack = (o: ProgramOutcome): boolean => o.status === "trap" && o.trap === "stack-exhausted";
    if (stack(a) !== stack(b)) return `limit: ${la} ${status(a)}; ${lb} ${status(b)}`;
    return `status: ${la} ${status(a)}; ${lb} ${status(b)}`;
  }
  if (a.status === "trap" && !a.trap!.split("|").some((g) => b.trap!.split("|").includes(g))) return `trap: ${la} ${status(a)}; ${lb} ${status(b)}`;
  if (a.status === "error" && a.message !== b.message) return `error: ${la} ${a.message}; ${lb} ${b.message}`;
  if (a.stdout !== b.stdout) return `stdout ${firstDiff(a.stdout, b.stdout, la, lb)}`;
  if (a.stderr !== b.stderr) return `stderr ${firstDiff(a.stderr, b.stderr, la, lb)}`;
  if (a.callCount !== b.callCount || a.calls.join("\n") !== b.calls.join("\n")) {
    const i = a.calls.findIndex((c, k) => c !== b.calls[k]);
    return `WASI calls: ${a.callCount} / ${b.callCount}${i >= 0 ? `, first difference at call ${i}: ${la} ${a.calls[i]} / ${lb} ${b.calls[i]}` : ""}`;
  }
  if ((a.memory === undefined) !== (b.memory === undefined)) return "memory exported on one side only";
  if (a.memory !== undefined && b.memory !== undefined) {
    if (a.memory.bytes !== b.memory.bytes) return `final memory size: ${la} ${a.memory.bytes} / ${lb} ${b.memory.bytes}`;
    if (a.memory.sha256 !== b.memory.sha256) return `final memory contents differ (same size ${a.memory.bytes})`;
  }
  return undefined;
}

function firstDiff(x: string, y: string, la: string, lb: string): string {
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  const line = x.slice(0, i).split("\n").length;
  const clip = (s: string): string => JSON.stringify(s.slice(Math.max(0, i - 20), i + 40));
  return `differs at line ${line} (char ${i}): ${la} ${clip(x)} / ${lb} ${clip(y)}`;
}
