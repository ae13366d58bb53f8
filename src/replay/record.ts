/**
 * Replay records (issue 16): one invocation of a batch component captured as a small JSON
 * document that another machine, JS runtime or engine version can re-run and compare field by
 * field. The format is documented in `docs/replay.md`; {@link REPLAY_FORMAT} and
 * {@link REPLAY_VERSION} name it.
 *
 * A record pins everything that can change an outcome (docs/determinism.md): the component's
 * sha256 and size, the world and export, the inputs (WIT-shaped JSON, as Pureflow's test vectors),
 * the fuel limit, cost table, memory-page and output-size limits and NaN mode; and it holds the
 * outcome (outputs and their sha256, or the error's code, category, message and trap), the fuel
 * consumed and the engine version. Wall-clock time is left out: it is never replayable.
 */
import { sha256Hex } from "../../interpreter/index.js";
import { ENGINE_VERSION } from "../version.js";
import { PureflowError } from "../errors.js";
import { argumentError } from "../arguments.js";
import { BatchComponent, WIT_PACKAGE, WIT_WORLD, outputsFromInvokeResult, type InvocationReport } from "../host/batch-component.js";
import { CancellationToken } from "../host/cancellation.js";
import { ExecutionLimits } from "../host/limits.js";
import { batchInputsFromWitJson, batchesToWitJson } from "../batch/wit-json.js";
import { CheckedBatchInputs, checkBatchInputs, fromWitPortBatches, type BatchInputs } from "../batch/batches.js";
import type { WitPortBatch } from "../batch/wit-types.js";

/** The `format` field of every replay record. */
export const REPLAY_FORMAT = "pureflow-wasm/replay-record";
/** The version of the format this code writes (and the highest it reads). */
export const REPLAY_VERSION = 1;

/** The outcome of a recorded invocation. */
export type RecordedOutcome =
  | { readonly status: "ok"; readonly outputs: unknown; readonly outputsSha256: string }
  | { readonly status: "error"; readonly error: { readonly code: string; readonly category: string; readonly message: string; readonly trap: string | null } };

/** A replay record (see the file comment and docs/replay.md). */
export interface ReplayRecord {
  readonly format: typeof REPLAY_FORMAT;
  readonly version: number;
  readonly engine: string;
  readonly component: { readonly sha256: string; readonly size: number };
  /**
   * Optional: where the component file was, relative to the record file (how `pureflow-wasm
   * replay` finds it without `--component`). Not compared on replay.
   */
  readonly componentPath?: string;
  readonly world: string;
  readonly export: string;
  readonly inputs: unknown;
  readonly options: {
    readonly fuel: number;
    readonly costs: "wasmtime";
    readonly maxMemoryPages: number;
    readonly maxOutputBytes: number;
    readonly canonicalizeNaNs: boolean;
  };
  readonly outcome: RecordedOutcome;
  readonly fuel: { readonly consumed: number };
}

/** One field that differs between a record and its replay. */
export interface ReplayDifference {
  /** A JSON path into the record, e.g. `outcome.error.message` or `outcome.outputs[0].packets[1]`. */
  readonly path: string;
  readonly recorded: unknown;
  readonly replayed: unknown;
}

/** What {@link replay} found. */
export interface ReplayResult {
  /** True when every field of the new record equals the recorded one. */
  readonly identical: boolean;
  /** The fields that differ, in record order (the first is the first difference). */
  readonly differences: readonly ReplayDifference[];
  /** The record of the re-run. */
  readonly replayed: ReplayRecord;
}

/** The world and export every batch record names. */
const WORLD = `${WIT_PACKAGE}/${WIT_WORLD}`;
const EXPORT = "pureflow:batch/batch@0.1.0#invoke";

/** Options of {@link recordInvocation}. */
export interface RecordOptions {
  /** Limits of the invocation (default: {@link ExecutionLimits.default}). */
  readonly limits?: ExecutionLimits;
}

function bytesOf(argument: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw argumentError(argument, "a Uint8Array or ArrayBuffer", bytes);
}

/**
 * Invokes the batch component `componentBytes` on `inputs` (WIT-shaped JSON, as text or value,
 * or {@link BatchInputs}) and records the invocation. Never throws for what the guest does: its
 * error is part of the record. @throws PureflowError for bad arguments
 */
export function recordInvocation(componentBytes: Uint8Array | ArrayBuffer, inputs: unknown, options: RecordOptions = {}): ReplayRecord {
  const bytes = bytesOf("componentBytes", componentBytes);
  if (typeof options !== "object" || options === null) throw argumentError("options", "an object", options);
  const limits = options.limits ?? ExecutionLimits.default();
  if (!(limits instanceof ExecutionLimits)) throw argumentError("options.limits", "an ExecutionLimits", limits);
  const batchInputs: BatchInputs = isBatchInputs(inputs) ? inputs : batchInputsFromWitJson(inputs);
  let component: BatchComponent;
  try {
    component = BatchComponent.fromComponentBytes(bytes, { limits });
  } catch (e) {
    return recordOf(bytes, batchInputs, limits, { error: e instanceof PureflowError ? e : PureflowError.execution(String(e)), fuelConsumed: 0 });
  }
  return recordOf(bytes, batchInputs, limits, component.invokeWithReport(batchInputs));
}

/** What {@link invokeAndRecord} gives: the invocation's report and its replay record. */
export interface RecordedInvocation {
  readonly report: InvocationReport;
  /**
   * The record of the invocation. Its `inputs` and `outcome` are written on first read (by
   * `JSON.stringify`, {@link replay} or a field access) from private copies taken when the
   * invocation ended, so recording adds almost nothing to the call itself, and later changes to
   * the inputs or outputs objects do not reach it.
   */
  readonly record: ReplayRecord;
}

/**
 * Invokes `component` on `inputs` and records the invocation: the same report as
 * `component.invokeWithReport(inputs, { token })`, and the record {@link recordOf} would make of
 * it. For hosts that record every invocation: the component is named by its
 * {@link componentIdentity} (hashed once), and the record's JSON, output digest included, is
 * made only when it is read (see {@link RecordedInvocation.record}); the call pays for copies of
 * the inputs and outputs it keeps, not for their conversion or hashing.
 * @throws PureflowError for bad arguments, and for inputs that do not convert (an invalid id or
 * payload: `recordOf` refuses them too); never for what the guest does
 */
export function invokeAndRecord(component: BatchComponent, identity: ComponentIdentity, inputs: BatchInputs | CheckedBatchInputs, options: { token?: CancellationToken } = {}): RecordedInvocation {
  if (!(component instanceof BatchComponent)) throw argumentError("component", "a BatchComponent", component);
  if (typeof identity !== "object" || identity === null || typeof identity.sha256 !== "string" || typeof identity.size !== "number") throw argumentError("identity", "a ComponentIdentity { sha256, size }", identity);
  if (typeof options !== "object" || options === null) throw argumentError("options", "an object", options);
  const token = options.token ?? CancellationToken.active();
  if (!(token instanceof CancellationToken)) throw argumentError("options.token", "a CancellationToken", token);
  const limits = component.limits;
  // inputs that do not convert cannot be written in a record: their error is thrown here
  const given = inputs instanceof CheckedBatchInputs;
  const checked = given ? inputs : checkBatchInputs(inputs);
  const raw = component.invokeWitRaw(checked._wit() as WitPortBatch[], token);
  const decoded = raw.result !== undefined ? outputsFromInvokeResult(raw.result) : { error: raw.error };
  const report: InvocationReport = { fuelLimit: limits.fuel, fuelConsumed: raw.fuelConsumed, elapsedMs: raw.elapsedMs };
  if (decoded.outputs !== undefined) report.outputs = decoded.outputs;
  if (decoded.error !== undefined) report.error = decoded.error;
  // What the record keeps: port-batches nobody else can reach. Those made here (the inputs'
  // conversion, the lifted result) are private but for their byte payloads, which the caller's
  // inputs and the returned outputs share: only those are copied. Checked inputs the caller
  // gave may be used again: copied whole.
  const keptInputs = given ? copyPortBatches(checked._wit()) : ownBytes(checked._wit() as WitPortBatch[]);
  const keptOutputs = decoded.error === undefined && raw.result?.ok === true ? ownBytes(raw.result.value) : undefined;
  const error = decoded.error;
  const record = lazyRecord(identity, limits, raw.fuelConsumed, () => batchesToWitJson(CheckedBatchInputs._of(keptInputs)), () => {
    if (error !== undefined) return errorOutcome(error);
    return okOutcome(batchesToWitJson(fromWitPortBatches(keptOutputs!)));
  });
  return { report, record };
}

/** Gives `batches` (objects no one else holds) their own copies of their byte payloads. */
function ownBytes(batches: WitPortBatch[]): WitPortBatch[] {
  for (const b of batches) {
    for (const p of b.packets) if (p.payload.kind === "bytes") p.payload = { kind: "bytes", bytes: p.payload.bytes.slice() };
  }
  return batches;
}

/** A private copy of WIT port-batches (objects and byte payloads; strings are immutable). */
function copyPortBatches(batches: readonly WitPortBatch[]): WitPortBatch[] {
  return batches.map((b) => ({
    portId: b.portId,
    packets: b.packets.map((p) => {
      const m = p.metadata;
      const src = m.route.source;
      return {
        metadata: {
          messageId: m.messageId,
          workflowId: m.workflowId,
          execution: { executionId: m.execution.executionId, attempt: m.execution.attempt },
          route: { source: src === null ? null : { nodeId: src.nodeId, portId: src.portId }, target: { nodeId: m.route.target.nodeId, portId: m.route.target.portId } },
        },
        payload: p.payload.kind === "bytes" ? { kind: "bytes" as const, bytes: p.payload.bytes.slice() } : { kind: "control" as const, json: p.payload.json },
      };
    }),
  }));
}

/** A record whose `inputs` and `outcome` are made on first read (same fields, same order as {@link recordOf}'s). */
function lazyRecord(identity: ComponentIdentity, limits: ExecutionLimits, fuelConsumed: number, makeInputs: () => unknown, makeOutcome: () => RecordedOutcome): ReplayRecord {
  let inputs: unknown, outcome: RecordedOutcome | undefined;
  let haveInputs = false;
  // getters of an object literal are own, enumerable properties: JSON.stringify and every reader
  // see a plain record
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    engine: `pureflow-wasm ${ENGINE_VERSION}`,
    component: { sha256: identity.sha256, size: identity.size },
    world: WORLD,
    export: EXPORT,
    get inputs(): unknown {
      if (!haveInputs) {
        inputs = makeInputs();
        haveInputs = true;
      }
      return inputs;
    },
    options: optionsOf(limits),
    get outcome(): RecordedOutcome {
      return (outcome ??= makeOutcome());
    },
    fuel: { consumed: fuelConsumed },
  };
}

/** A component as a record names it: the sha256 and size of its bytes. */
export interface ComponentIdentity {
  readonly sha256: string;
  readonly size: number;
}

/** The identity of the component `bytes` (hash it once, record many invocations of it with {@link recordOf}). */
export function componentIdentity(bytes: Uint8Array): ComponentIdentity {
  return { sha256: sha256Hex(bytes), size: bytes.length };
}

/**
 * The record of an invocation already made (e.g. the command line's `run --record`, which runs
 * in slices with a progress display): `report` is what `invokeWithReport`/`invokeAsyncWithReport`
 * gave, or the construction error with 0 fuel. `component` is the component's bytes, or its
 * {@link componentIdentity} (a host recording every invocation hashes the component once).
 * `inputs` are those the invocation was given; inputs checked once ({@link CheckedBatchInputs})
 * are written as they are, without checking them again.
 */
export function recordOf(component: Uint8Array | ComponentIdentity, inputs: BatchInputs | CheckedBatchInputs, limits: ExecutionLimits, report: Pick<InvocationReport, "outputs" | "error" | "fuelConsumed">): ReplayRecord {
  const outcome: RecordedOutcome = report.error !== undefined ? errorOutcome(report.error) : okOutcome(batchesToWitJson(report.outputs!));
  return {
    format: REPLAY_FORMAT,
    version: REPLAY_VERSION,
    engine: `pureflow-wasm ${ENGINE_VERSION}`,
    component: component instanceof Uint8Array ? componentIdentity(component) : { sha256: component.sha256, size: component.size },
    world: WORLD,
    export: EXPORT,
    inputs: batchesToWitJson(inputs),
    options: optionsOf(limits),
    outcome,
    fuel: { consumed: report.fuelConsumed },
  };
}

function isBatchInputs(v: unknown): v is BatchInputs {
  return typeof v === "object" && v !== null && typeof (v as { ports?: unknown }).ports === "function" && !Array.isArray(v);
}

/** The record's `options`: the limits that can change an outcome. */
function optionsOf(limits: ExecutionLimits): ReplayRecord["options"] {
  return { fuel: limits.fuel, costs: "wasmtime", maxMemoryPages: limits.maxMemoryPages, maxOutputBytes: limits.maxOutputBytes, canonicalizeNaNs: limits.canonicalizeNaNs };
}

/** An `ok` outcome: the outputs as WIT-shaped JSON and the sha256 of their JSON text. */
function okOutcome(outputs: unknown): RecordedOutcome {
  return { status: "ok", outputs, outputsSha256: sha256Hex(new TextEncoder().encode(JSON.stringify(outputs))) };
}

function errorOutcome(e: unknown): RecordedOutcome {
  const err = e instanceof PureflowError ? e : PureflowError.execution(e instanceof Error ? e.message : String(e));
  return { status: "error", error: { code: err.code, category: err.category, message: err.message, trap: err.trap ?? null } };
}

/**
 * Checks that `value` is a replay record this engine reads, and returns it typed.
 * @throws PureflowError (`CDT-EXEC-001`, `invalid replay record: ...`) naming the first problem
 */
export function parseReplayRecord(value: unknown): ReplayRecord {
  let v = value;
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch (e) {
      throw PureflowError.execution(`invalid replay record: not JSON (${(e as Error).message})`);
    }
  }
  const fail = (what: string): never => {
    throw PureflowError.execution(`invalid replay record: ${what}`);
  };
  if (typeof v !== "object" || v === null || Array.isArray(v)) return fail("expected a JSON object");
  const r = v as Record<string, unknown>;
  if (r.format !== REPLAY_FORMAT) fail(`format must be "${REPLAY_FORMAT}", got ${JSON.stringify(r.format)}`);
  if (typeof r.version !== "number" || !Number.isInteger(r.version) || r.version < 1) fail("version must be an integer >= 1");
  if ((r.version as number) > REPLAY_VERSION) fail(`format version ${r.version as number}; this engine reads up to ${REPLAY_VERSION}`);
  const c = r.component as Record<string, unknown> | undefined;
  if (typeof c !== "object" || c === null || typeof c.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(c.sha256) || !Number.isSafeInteger(c.size)) fail("component must be { sha256: 64 hex digits, size: integer }");
  if (r.world !== WORLD) fail(`world must be "${WORLD}", got ${JSON.stringify(r.world)}`);
  if (r.export !== EXPORT) fail(`export must be "${EXPORT}", got ${JSON.stringify(r.export)}`);
  const o = r.options as Record<string, unknown> | undefined;
  if (typeof o !== "object" || o === null) fail("options missing");
  for (const k of ["fuel", "maxMemoryPages", "maxOutputBytes"]) if (!Number.isSafeInteger(o![k]) || (o![k] as number) < 0) fail(`options.${k} must be an integer >= 0`);
  if (o!.costs !== "wasmtime") fail(`options.costs must be "wasmtime", got ${JSON.stringify(o!.costs)}`);
  if (typeof o!.canonicalizeNaNs !== "boolean") fail("options.canonicalizeNaNs must be a boolean");
  const out = r.outcome as Record<string, unknown> | undefined;
  if (typeof out !== "object" || out === null || (out.status !== "ok" && out.status !== "error")) fail(`outcome.status must be "ok" or "error"`);
  if (out!.status === "error") {
    const e = out!.error as Record<string, unknown> | undefined;
    if (typeof e !== "object" || e === null || typeof e.code !== "string" || typeof e.message !== "string" || typeof e.category !== "string" || !(e.trap === null || typeof e.trap === "string")) fail("outcome.error must be { code, category, message: strings, trap: string or null }");
  } else if (typeof out!.outputsSha256 !== "string") fail("outcome.outputsSha256 must be a string");
  const f = r.fuel as Record<string, unknown> | undefined;
  if (typeof f !== "object" || f === null || !Number.isSafeInteger(f.consumed)) fail("fuel.consumed must be an integer");
  if (typeof r.engine !== "string") fail("engine must be a string");
  if (r.componentPath !== undefined && typeof r.componentPath !== "string") fail("componentPath must be a string when present");
  return r as unknown as ReplayRecord;
}

/** Limits a record asks for. */
export function limitsOf(record: ReplayRecord): ExecutionLimits {
  const o = record.options;
  return new ExecutionLimits(o.fuel, undefined, o.maxMemoryPages, o.maxOutputBytes, o.canonicalizeNaNs);
}

/**
 * Re-runs `record` on `componentBytes` (which must be the recorded component) and compares the
 * new record with it field by field. The engine version is compared too: a record made by
 * another version differs there (and says so), whatever else agrees.
 * @throws PureflowError when the record is invalid or the component is not the recorded one
 */
export function replay(record: unknown, componentBytes: Uint8Array | ArrayBuffer): ReplayResult {
  const rec = parseReplayRecord(record);
  const bytes = bytesOf("componentBytes", componentBytes);
  const digest = sha256Hex(bytes);
  if (digest !== rec.component.sha256) throw PureflowError.execution(`replay: the component given (sha256 ${digest.slice(0, 16)}…, ${bytes.length} bytes) is not the recorded one (sha256 ${rec.component.sha256.slice(0, 16)}…, ${rec.component.size} bytes)`);
  const run = recordInvocation(bytes, rec.inputs, { limits: limitsOf(rec) });
  const replayed: ReplayRecord = rec.componentPath === undefined ? run : { ...run, componentPath: rec.componentPath };
  const differences: ReplayDifference[] = [];
  diff("", rec, replayed, differences);
  return { identical: differences.length === 0, differences, replayed };
}

/** Appends to `out` every leaf where `a` and `b` differ (JSON values), in key order of `a`. */
function diff(path: string, a: unknown, b: unknown, out: ReplayDifference[]): void {
  if (Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diff(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    for (const k of keys) diff(path === "" ? k : `${path}.${k}`, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], out);
    return;
  }
  out.push({ path, recorded: a, replayed: b });
}
