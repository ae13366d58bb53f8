/**
 * The `pureflow-wasm` command line as a function (`main(argv, io)`): `run`, `inspect`,
 * `validate-manifest`. The executable entry is `main.ts`.
 * Exit codes: 0 success, 1 failure (`error: CODE: category: message` on stderr), 2 usage error.
 * Expected failures never print a stack trace (set PUREFLOW_DEBUG=1 to see one for internal errors).
 */
import { readFileSync } from "node:fs";
import { parseArgs, UsageError, USAGE, type Command } from "./args.js";
import { prettyJson } from "./format.js";
import { inspectComponent } from "./inspect.js";
import { ManifestError, validateManifest } from "./manifest.js";
import {
  BatchComponent,
  ExecutionLimits,
  PureflowError,
  batchInputsFromWitJson,
  batchesToWitJson,
  type BatchInputs,
  type InvocationReport,
} from "../index.js";

const VERSION = "0.1.0";

/** Where the CLI writes; replaceable in tests. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  stderrIsTTY: boolean;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, "utf8"),
  stderrIsTTY: process.stderr.isTTY === true,
};

function readFile(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw PureflowError.execution(`failed to read ${what} \`${path}\`: ${err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "is a directory" : err.message}`);
  }
}

export function describeError(e: unknown): string {
  if (e instanceof PureflowError || e instanceof ManifestError) return e.toString();
  const internal = e instanceof Error ? e.message : String(e);
  return `internal error: ${internal}${process.env.PUREFLOW_DEBUG && e instanceof Error && e.stack ? "\n" + e.stack : ""}`;
}

async function run(cmd: Extract<Command, { command: "run" }>, io: CliIo): Promise<number> {
  const limits = cmd.fuel === undefined ? ExecutionLimits.default() : ExecutionLimits.default().withFuel(cmd.fuel);
  const started = performance.now();
  let report: InvocationReport;
  try {
    const bytes = readFile(cmd.component, "component");
    const text = cmd.inputs === "-" ? io.readStdin() : new TextDecoder().decode(readFile(cmd.inputs, "inputs"));
    const inputs: BatchInputs = batchInputsFromWitJson(text);
    const guest = BatchComponent.fromComponentBytesWithLimits(bytes, limits);
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (cmd.timeoutMs !== undefined) {
      const ms = cmd.timeoutMs;
      timer = setTimeout(() => controller.abort(`wasm guest invocation timed out after ${ms} ms`), ms);
    }
    let progressShown = false;
    const onProgress = io.stderrIsTTY && !cmd.json
      ? (p: { fuelConsumed: number }) => {
        progressShown = true;
        io.stderr(`\rrunning: ${p.fuelConsumed.toLocaleString("en-US")} fuel used`);
      }
      : undefined;
    try {
      report = await guest.invokeAsyncWithReport(inputs, { signal: controller.signal, onProgress });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (progressShown) io.stderr("\r\x1b[K");
    }
  } catch (e) {
    const error = e instanceof PureflowError ? e : undefined;
    if (!error) throw e;
    report = { error, fuelLimit: limits.fuel, fuelConsumed: 0, elapsedMs: performance.now() - started };
  }
  if (cmd.json) {
    const obj = {
      status: report.error ? "error" : "ok",
      outputs: report.outputs ? batchesToWitJson(report.outputs) : undefined,
      error: report.error ? { code: report.error.code, category: report.error.category, message: report.error.message } : undefined,
      fuel: { limit: report.fuelLimit, consumed: report.fuelConsumed },
      elapsedMs: Math.round(report.elapsedMs * 1000) / 1000,
    };
    io.stdout(JSON.stringify(obj) + "\n");
    return report.error ? 1 : 0;
  }
  if (report.error) {
    io.stderr(`error: ${report.error.toString()}\n`);
    return 1;
  }
  io.stdout(prettyJson(batchesToWitJson(report.outputs as NonNullable<InvocationReport["outputs"]>)) + "\n");
  return 0;
}

function validateManifestCommand(cmd: Extract<Command, { command: "validate-manifest" }>, io: CliIo): number {
  const m = validateManifest(cmd.manifest, cmd.workflow);
  io.stdout(`valid manifest \`${cmd.manifest}\`\ncomponents: ${m.components.length}\n${m.workflowId !== undefined ? `workflow: \`${m.workflowId}\`\n` : ""}`);
  return 0;
}

/** Runs the CLI with `argv` (without node and script paths); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  try {
    switch (cmd.command) {
      case "help":
        io.stdout(USAGE + "\n");
        return 0;
      case "version":
        io.stdout(`pureflow-wasm ${VERSION}\n`);
        return 0;
      case "run":
        return await run(cmd, io);
      case "inspect": {
        const bytes = readFile(cmd.component, "component");
        const result = inspectComponent(bytes);
        io.stdout(cmd.json ? JSON.stringify(result.json) + "\n" : result.text);
        return result.fitsBatchWorld ? 0 : 1;
      }
      case "validate-manifest":
        return validateManifestCommand(cmd, io);
    }
  } catch (e) {
    io.stderr(`error: ${describeError(e)}\n`);
    return 1;
  }
}
