/**
 * The `pureflow-wasm` command line as a function (`main(argv, io)`): `run`, `evaluate`, `call`,
 * `inspect`, `validate-manifest`, `replay`, `abi`. The executable entry is `main.ts`.
 *
 * Exit statuses and error codes are in `errors.ts` (and the README): 0 ok, 1 the guest failed
 * (`CDT-*`), 2 usage error, 3 input error (`CLI-INPUT-*`, `CLI-MANIFEST-001`), 4 cannot write
 * output, 5 internal error. Text mode prints `error: CODE: category: message` on stderr; `--json`
 * prints one JSON object on stdout for every outcome, errors included. Nothing from a file is
 * ever echoed raw, and expected failures never print a stack trace (PUREFLOW_DEBUG=1 shows one
 * for internal errors).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { parseArgs, helpText, USAGE, type Command } from "./args.js";
import { CliError, EXIT, UsageError, fileProblem, jsonError, printable, safeJson } from "./errors.js";
import { groupDigits, prettyJson } from "./format.js";
import { requireComponentBinary } from "./binary-kind.js";
import { parseJsonText, utf8Text } from "./json-text.js";
// `run` imports the modules it uses one by one, not through the library's door (`../index.js`,
// which loads every module of the library); every other command, and the rare options of `run`
// (--repeat, --record, --trace-abi), load theirs when used (`import()`): a CLI run is a fresh
// process, and the bundle (scripts/bundle-cli.mjs) initialises only what `run` needs.
import { PureflowError } from "../errors.js";
import { BatchComponent, type InvocationReport } from "../host/batch-component.js";
import { ExecutionLimits } from "../host/limits.js";
import { checkBatchInputs, type BatchInputs, type CheckedBatchInputs } from "../batch/batches.js";
// outputs just returned by the invocation: printed without checking their ids again (checked when lifted)
import { batchInputsFromWitJson, freshOutputsToWitJson } from "../batch/wit-json.js";
import type { AbiTrace } from "../../canonical-abi/index.js";

/** The package version (kept equal to package.json's by a test). */
export const VERSION = "0.1.0";

/** Where the CLI writes; replaceable in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string | Uint8Array;
  stderrIsTTY: boolean;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0),
  stderrIsTTY: process.stderr.isTTY === true,
};

function readFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError("CLI-INPUT-001", `cannot read ${what} \`${printable(path)}\`: ${fileProblem(e)}`);
  }
}

/** The one-line text of any error the CLI reports (without `error: `). */
export function describeError(e: unknown): string {
  if (e instanceof CliError || e instanceof PureflowError) return printable(e.toString());
  return printable(internalError(e).toString()) + (debugWanted() && e instanceof Error && e.stack ? "\n" + e.stack : "");
}

/**
 * `PUREFLOW_DEBUG` is set: internal errors come with their stack. False when the runtime denies
 * access to the environment (Deno without `--allow-env` throws on reading it).
 */
function debugWanted(): boolean {
  try {
    return Boolean(process.env.PUREFLOW_DEBUG);
  } catch {
    return false;
  }
}

function internalError(e: unknown): CliError {
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new CliError("CLI-INTERNAL-001", `${msg} (a bug in pureflow-wasm; PUREFLOW_DEBUG=1 shows the stack)`, { cause: e });
}

/** Any thrown value as a reportable error. */
function reportable(e: unknown): CliError | PureflowError {
  return e instanceof CliError || e instanceof PureflowError ? e : internalError(e);
}

function exitCodeOf(e: CliError | PureflowError): number {
  return e instanceof CliError ? e.exitCode : EXIT.guestFailed;
}

function fuelText(consumed: number, limit: number): string {
  const pct = limit > 0 ? ` (${((consumed / limit) * 100).toFixed(consumed === limit ? 0 : 2)}%)` : "";
  return `${groupDigits(consumed)} of ${groupDigits(limit)} fuel used${pct}`;
}

/** The inputs file as `BatchInputs`, and checked once (`checkBatchInputs`): a problem is an input error (CLI-INPUT-003) before any guest runs. */
function readInputs(cmd: Extract<Command, { command: "run" }>, io: CliIo): { inputs: BatchInputs; checked: CheckedBatchInputs } {
  let raw: string | Uint8Array;
  const name = cmd.inputs === "-" ? "<stdin>" : cmd.inputs;
  if (cmd.inputs === "-") {
    try {
      raw = io.readStdin();
    } catch (e) {
      throw new CliError("CLI-INPUT-001", `cannot read inputs from standard input: ${fileProblem(e)}`);
    }
  } else raw = readFile(cmd.inputs, "inputs");
  const text = typeof raw === "string" ? raw : utf8Text(raw, "inputs", name);
  if (typeof raw === "string" && raw.startsWith("\0asm")) throw new CliError("CLI-INPUT-001", `inputs \`${name}\` is a WebAssembly binary, not JSON text`);
  const value = parseJsonText(text, "inputs", name);
  try {
    const inputs = batchInputsFromWitJson(value);
    // the ids and payloads are checked here, once: the invocation lowers this conversion as it is
    return { inputs, checked: checkBatchInputs(inputs) };
  } catch (e) {
    if (!(e instanceof PureflowError)) throw e;
    const detail = e.code === "CDT-EXEC-001" ? e.message : e.toString();
    throw new CliError("CLI-INPUT-003", `\`${printable(name)}\`: ${printable(detail)}`, { cause: e });
  }
}

function loadComponent(path: string, limits: ExecutionLimits, bytes = readFile(path, "component")): BatchComponent {
  requireComponentBinary(path, bytes);
  let guest: BatchComponent;
  try {
    // one invocation: instantiated when invoked, not also once at construction for a snapshot
    // (same outputs, errors and fuel; `run --repeat` builds its own, snapshot-started)
    guest = BatchComponent.fromComponentBytes(bytes, { limits, snapshot: false });
  } catch (e) {
    if (!(e instanceof PureflowError)) throw e;
    throw new CliError("CLI-INPUT-004", `\`${printable(path)}\`: ${printable(e.message)}`, { cause: e });
  }
  const imports = [...guest.compiled.imports.keys()];
  if (imports.length > 0) throw new CliError("CLI-INPUT-004", `\`${printable(path)}\` imports ${imports.map((i) => `\`${printable(i)}\``).join(", ")}; the batch world provides no imports`);
  const problem = guest.bindingProblem();
  if (problem !== undefined) throw new CliError("CLI-INPUT-004", `\`${printable(path)}\` does not fit the batch world: ${printable(problem.message)}`, { cause: problem });
  return guest;
}

/** `run --repeat N [--workers K]`: measures the user's component (issue 18). */
async function repeatRun(cmd: Extract<Command, { command: "run" }>, io: CliIo, limits: ExecutionLimits): Promise<number> {
  const { inputs } = readInputs(cmd, io);
  const bytes = readFile(cmd.component, "component");
  loadComponent(cmd.component, limits, bytes); // the same input checks as a plain run
  const showBar = io.stderrIsTTY && !cmd.json;
  const total = cmd.repeat!;
  const onProgress = showBar
    ? (done: number) => {
      const width = 30, filled = Math.round((done / total) * width);
      io.stderr(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}\x1b[K`);
    }
    : undefined;
  const { invokeRepeated } = await import("../pool/repeat.js");
  const s = await invokeRepeated(bytes, inputs, { repeat: total, workers: cmd.workers ?? 0, limits, onProgress });
  if (showBar) io.stderr("\r\x1b[K");
  const r3 = (x: number): number => Math.round(x * 1000) / 1000;
  if (cmd.json) {
    io.stdout(safeJson(JSON.stringify({
      status: s.first.error ? "error" : "ok",
      error: s.first.error ? jsonError(s.first.error) : undefined,
      repeat: { completed: s.completed, failed: s.failed, mismatches: s.mismatches, workers: s.workers, snapshotStarted: s.snapshotStarted },
      batchesPerSecond: r3(s.batchesPerSecond),
      latencyMs: { median: r3(s.latencyMs.median), p95: r3(s.latencyMs.p95) },
      fuel: { limit: limits.fuel, consumed: s.first.fuelConsumed },
      elapsedMs: r3(s.elapsedMs),
    })) + "\n");
  } else {
    io.stdout(`${s.completed} invocations on ${s.workers === 0 ? "this thread" : `${s.workers} worker threads`}${s.snapshotStarted ? " (snapshot-started)" : ""}: ` +
      `${s.batchesPerSecond.toFixed(1)} batches/s, latency median ${s.latencyMs.median.toFixed(3)} ms, p95 ${s.latencyMs.p95.toFixed(3)} ms; ` +
      `fuel ${fuelText(s.first.fuelConsumed, limits.fuel)} each; ${s.failed} failed, ${s.mismatches} differ from the first\n`);
    if (s.first.error) io.stderr(`error (first invocation): ${describeError(s.first.error)}\n`);
  }
  return s.first.error || s.mismatches > 0 ? EXIT.guestFailed : EXIT.ok;
}

async function run(cmd: Extract<Command, { command: "run" }>, io: CliIo): Promise<number> {
  const limits = cmd.fuel === undefined ? ExecutionLimits.default() : ExecutionLimits.default().withFuel(cmd.fuel);
  if (cmd.repeat !== undefined) {
    try {
      return await repeatRun(cmd, io, limits);
    } catch (e) {
      const error = reportable(e);
      if (error instanceof CliError && error.code === "CLI-INTERNAL-001") throw e;
      if (cmd.json) io.stdout(safeJson(JSON.stringify({ status: "error", error: jsonError(error) })) + "\n");
      else io.stderr(`error: ${describeError(error)}\n`);
      return exitCodeOf(error);
    }
  }
  const started = performance.now();
  const showFuel = io.stderrIsTTY && !cmd.json;
  let report: InvocationReport;
  let recordInputs: CheckedBatchInputs | undefined, recordBytes: Uint8Array | undefined;
  const abi = cmd.traceAbi === true ? await import("../../canonical-abi/index.js") : undefined;
  const trace: AbiTrace | undefined = abi === undefined ? undefined : new abi.AbiTrace();
  try {
    const { checked } = readInputs(cmd, io);
    const bytes = readFile(cmd.component, "component");
    const guest = loadComponent(cmd.component, limits, bytes);
    recordInputs = checked;
    recordBytes = bytes;
    // a signal only with a timeout: without one nothing can cancel the call, and the guest runs
    // with no cancellation source to poll
    let signal: AbortSignal | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (cmd.timeoutMs !== undefined) {
      const ms = cmd.timeoutMs;
      const controller = new AbortController();
      signal = controller.signal;
      timer = setTimeout(() => controller.abort(`wasm guest invocation timed out after ${ms} ms`), ms);
    }
    let progressShown = false;
    const onProgress = showFuel
      ? (p: { fuelConsumed: number }) => {
        progressShown = true;
        io.stderr(`\rrunning: ${fuelText(p.fuelConsumed, limits.fuel)}\x1b[K`);
      }
      : undefined;
    try {
      report = await guest.invokeAsyncWithReport(checked, { signal, onProgress, trace });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (progressShown) io.stderr("\r\x1b[K");
    }
  } catch (e) {
    const error = reportable(e);
    if (error instanceof CliError && error.code === "CLI-INTERNAL-001") throw e;
    if (cmd.json) {
      io.stdout(safeJson(JSON.stringify({ status: "error", error: jsonError(error), fuel: { limit: limits.fuel, consumed: 0 } })) + "\n");
    } else io.stderr(`error: ${describeError(error)}\n`);
    return exitCodeOf(error);
  }
  if (cmd.record !== undefined) {
    // the replay record (docs/replay.md) of what just ran; written before the outputs are printed
    // componentPath lets `replay FILE` find the component without --component
    const [{ recordOf }, { cliComponentIdentity }] = await Promise.all([import("../replay/record.js"), import("./replay.js")]);
    const record = { ...recordOf(cliComponentIdentity(recordBytes!), recordInputs!, limits, report), componentPath: relative(dirname(resolve(cmd.record)), resolve(cmd.component)) };
    try {
      writeFileSync(cmd.record, JSON.stringify(record, null, 1) + "\n");
    } catch (e) {
      throw new CliError("CLI-OUTPUT-001", `cannot write the replay record \`${printable(cmd.record)}\`: ${fileProblem(e)}`);
    }
  }
  const elapsedMs = Math.round(report.elapsedMs * 1000) / 1000;
  if (cmd.json) {
    const obj = {
      status: report.error ? "error" : "ok",
      outputs: report.outputs ? freshOutputsToWitJson(report.outputs) : undefined,
      error: report.error ? jsonError(report.error) : undefined,
      fuel: { limit: report.fuelLimit, consumed: report.fuelConsumed },
      elapsedMs,
      abiTrace: trace?.toJSON(),
    };
    io.stdout(safeJson(JSON.stringify(obj)) + "\n");
    return report.error ? EXIT.guestFailed : EXIT.ok;
  }
  if (trace !== undefined) io.stdout(printable(abi!.renderAbiTrace(trace.toJSON())) + "\n");
  if (report.error) io.stderr(`error: ${describeError(report.error)}\n`);
  else io.stdout(safeJson(prettyJson(freshOutputsToWitJson(report.outputs as NonNullable<InvocationReport["outputs"]>))) + "\n");
  if (showFuel) io.stderr(`${fuelText(report.fuelConsumed, report.fuelLimit)}; ${elapsedMs} ms\n`);
  return report.error ? EXIT.guestFailed : EXIT.ok;
}

async function inspect(cmd: Extract<Command, { command: "inspect" }>, io: CliIo): Promise<number> {
  const { inspectBinary } = await import("./inspect.js");
  const result = inspectBinary(readFile(cmd.component, "file"), cmd.component);
  io.stdout(cmd.json ? safeJson(JSON.stringify(result.json)) + "\n" : result.text);
  return EXIT.ok;
}

async function validateManifestCommand(cmd: Extract<Command, { command: "validate-manifest" }>, io: CliIo): Promise<number> {
  const { validateManifest } = await import("./manifest.js");
  const m = validateManifest(cmd.manifest, cmd.workflow);
  if (cmd.json) {
    const obj = { status: "ok", manifest: m.path, components: m.components, workflow: m.workflowId };
    io.stdout(safeJson(JSON.stringify(obj)) + "\n");
  } else {
    io.stdout(printable(`valid manifest \`${cmd.manifest}\`\ncomponents: ${m.components.length}\n${m.workflowId !== undefined ? `workflow: \`${m.workflowId}\`\n` : ""}`));
  }
  return EXIT.ok;
}

function usageFailure(e: UsageError, json: boolean, io: CliIo): number {
  if (json) {
    io.stdout(safeJson(JSON.stringify({ status: "error", error: jsonError(e) })) + "\n");
  } else {
    const help = e.command === undefined ? USAGE : `${helpText(e.command as "run").split("\n")[0]}\n(\`pureflow-wasm ${e.command} --help\` for the options, defaults and formats)`;
    io.stderr(`error: ${printable(e.toString())}\n\n${help}\n`);
  }
  return EXIT.usage;
}

/** Runs the CLI with `argv` (without node and script paths); resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const json = Array.isArray(argv) && argv.includes("--json");
  let cmd: Command;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return usageFailure(e, json, io);
    throw e;
  }
  try {
    switch (cmd.command) {
      case "help":
        io.stdout(helpText(cmd.topic) + "\n");
        return EXIT.ok;
      case "version":
        io.stdout(`pureflow-wasm ${VERSION}\n`);
        return EXIT.ok;
      case "run":
        return await run(cmd, io);
      case "inspect":
        return await inspect(cmd, io);
      case "validate-manifest":
        return await validateManifestCommand(cmd, io);
      case "replay":
        return await (await import("./replay.js")).replayCommand(cmd, io);
      case "abi":
        return (await import("./abi.js")).abiCommand(cmd, io, readFile);
      case "evaluate":
        return (await import("./evaluate.js")).evaluateCommand(cmd, io, readFile);
      case "call":
        return (await import("./call.js")).callCommand(cmd, io, readFile);
    }
  } catch (e) {
    const error = reportable(e);
    if (json) io.stdout(safeJson(JSON.stringify({ status: "error", error: jsonError(error) })) + "\n");
    else io.stderr(`error: ${describeError(e)}\n`);
    return exitCodeOf(error);
  }
}

