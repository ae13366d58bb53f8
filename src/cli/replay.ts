/**
 * `pureflow-wasm replay <record.json|folder> [--component PATH] [--json]`: re-runs recorded
 * invocations (docs/replay.md) and compares every field. One record: prints `identical` with the
 * outcome, or the first difference and how many there are (exit 1). A folder: every `*.json` below
 * it, a line per record and a summary. With `--stop-at-fuel N --dump`: the state of the recorded
 * invocation at fuel point N (`replay/dump.ts`); with `--bisect`: the first fuel point where it and
 * a second execution differ (`replay/bisect.ts`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { BatchComponent, limitsOf, parseReplayRecord, replay, type ComponentIdentity, type ReplayDifference, type ReplayRecord } from "../index.js";
import { createRequire } from "node:module";
import { batchInputsFromWitJson } from "../batch/wit-json.js";
import { invokeUntil } from "../replay/snapshot.js";
import { dumpSnapshot, renderDump } from "../replay/dump.js";
import { bisectDivergence, isEngineBuild, probeOf, probeOfEngine, type EngineBuild } from "../replay/bisect.js";
import { pathToFileURL } from "node:url";
import { PureflowError } from "../index.js";
import { CliError, EXIT, fileProblem, printable, safeJson } from "./errors.js";
import { groupDigits } from "./format.js";
import { parseJsonText, utf8Text } from "./json-text.js";
import type { CliIo } from "./cli.js";

/** The `replay` command's arguments (`args.ts`). */
export interface ReplayCommand {
  record: string;
  component?: string;
  stopAtFuel?: number;
  dump?: boolean;
  memory?: { start: number; length: number }[];
  bisect?: boolean;
  against?: string;
  engine?: string;
  perturbAtFuel?: number;
  json: boolean;
}

/** The outcome of replaying one record file. */
interface Replayed {
  record: string;
  identical: boolean;
  differences: readonly ReplayDifference[];
  summary: string;
}

function readBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new CliError("CLI-INPUT-001", `cannot read ${what} \`${printable(path)}\`: ${fileProblem(e)}`);
  }
}

function short(v: unknown): string {
  const t = JSON.stringify(v) ?? String(v);
  return printable(t.length > 120 ? `${t.slice(0, 117)}...` : t);
}

function outcomeText(r: ReplayRecord): string {
  const o = r.outcome;
  return o.status === "ok" ? `ok, fuel ${groupDigits(r.fuel.consumed)}` : `${o.error.code} ${o.error.message.slice(0, 100)}, fuel ${groupDigits(r.fuel.consumed)}`;
}

/** Reads the record at `path` and its component (`componentPath`, or the record's componentPath). */
function readRecord(path: string, componentPath: string | undefined): { record: ReplayRecord; bytes: Uint8Array } {
  const text = utf8Text(readBytes(path, "replay record"), "replay record", path);
  const value = parseJsonText(text, "replay record", path);
  let record: ReplayRecord;
  try {
    record = parseReplayRecord(value);
  } catch (e) {
    throw new CliError("CLI-REPLAY-001", `\`${printable(path)}\`: ${printable((e as Error).message)}`, { cause: e });
  }
  const component = componentPath ?? (record.componentPath === undefined ? undefined : resolve(dirname(path), record.componentPath));
  if (component === undefined) throw new CliError("CLI-REPLAY-001", `\`${printable(path)}\` names no component file (componentPath): give it with --component`);
  return { record, bytes: readBytes(component, "component") };
}

/** Replays the record at `path` (the component from `componentPath` or the record's componentPath). */
function replayFile(path: string, componentPath: string | undefined): Replayed {
  const { record, bytes } = readRecord(path, componentPath);
  let r;
  try {
    r = replay(record, bytes);
  } catch (e) {
    if (!(e instanceof PureflowError)) throw e;
    throw new CliError("CLI-REPLAY-001", `\`${printable(path)}\`: ${printable(e.message)}`, { cause: e });
  }
  return { record: path, identical: r.identical, differences: r.differences, summary: outcomeText(r.replayed) };
}

function recordsBelow(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...recordsBelow(p));
    else if (name.endsWith(".json")) out.push(p);
  }
  return out;
}

/** Runs the `replay` command; returns the exit status. */
export function replayCommand(cmd: ReplayCommand, io: CliIo): number | Promise<number> {
  if (cmd.engine !== undefined) return loadEngine(cmd.engine).then((engine) => lookInside(cmd, io, engine));
  if (cmd.dump === true || cmd.bisect === true) return lookInside(cmd, io, undefined);
  let isDir: boolean;
  try {
    isDir = statSync(cmd.record).isDirectory();
  } catch (e) {
    throw new CliError("CLI-INPUT-001", `cannot read replay record \`${printable(cmd.record)}\`: ${fileProblem(e)}`);
  }
  const files = isDir ? recordsBelow(cmd.record) : [cmd.record];
  if (isDir && files.length === 0) throw new CliError("CLI-INPUT-001", `no *.json replay records below \`${printable(cmd.record)}\``);
  const results = files.map((f) => replayFile(f, cmd.component));
  const different = results.filter((r) => !r.identical);
  if (cmd.json) {
    const obj = { status: different.length === 0 ? "identical" : "different", records: results.map((r) => ({ record: r.record, identical: r.identical, differences: r.differences })) };
    io.stdout(safeJson(JSON.stringify(obj)) + "\n");
    return different.length === 0 ? EXIT.ok : EXIT.guestFailed;
  }
  for (const r of results) {
    const name = isDir ? printable(relative(cmd.record, r.record)) : printable(r.record);
    if (r.identical) io.stdout(`${name}: identical (${r.summary})\n`);
    else {
      const d = r.differences[0]!;
      io.stdout(`${name}: DIFFERENT at ${d.path}: recorded ${short(d.recorded)}, replayed ${short(d.replayed)}${r.differences.length > 1 ? ` (+${r.differences.length - 1} more)` : ""}\n`);
    }
  }
  if (isDir) io.stdout(`${results.length} records: ${results.length - different.length} identical, ${different.length} different\n`);
  return different.length === 0 ? EXIT.ok : EXIT.guestFailed;
}

/**
 * The component's identity for a replay record, hashed with Node's own SHA-256 (the command line
 * runs on Node only; the digest is the library's `sha256Hex`, test/interpreter/sha256.test.ts):
 * in a fresh process the library's hash runs as cold JavaScript, ~10 ms for a 3 KB component.
 */
export function cliComponentIdentity(bytes: Uint8Array): ComponentIdentity {
  // node:crypto is loaded when first needed (`run --record`, `replay`), not by every CLI run
  const { createHash } = createRequire(import.meta.url)("node:crypto") as typeof import("node:crypto");
  return { sha256: createHash("sha256").update(bytes).digest("hex"), size: bytes.length };
}

/** A component of the record's limits; a file that is not one is `CLI-REPLAY-001`. */
function componentOf(bytes: Uint8Array, record: ReplayRecord, what: string): BatchComponent {
  const digest = cliComponentIdentity(bytes).sha256;
  if (what === "the recorded component" && digest !== record.component.sha256) {
    throw new CliError("CLI-REPLAY-001", `the component given (sha256 ${digest.slice(0, 16)}…) is not the recorded one (sha256 ${record.component.sha256.slice(0, 16)}…)`);
  }
  try {
    return BatchComponent.fromComponentBytes(bytes, { limits: limitsOf(record) });
  } catch (e) {
    throw new CliError("CLI-REPLAY-001", `${what} cannot be used: ${printable((e as Error).message)}`, { cause: e });
  }
}

/** `replay FILE --stop-at-fuel N --dump` and `replay FILE --bisect ...` (src/replay/dump.ts, bisect.ts). */
function lookInside(cmd: ReplayCommand, io: CliIo, engine: EngineBuild | undefined): number {
  let isDir = false;
  try {
    isDir = statSync(cmd.record).isDirectory();
  } catch (e) {
    throw new CliError("CLI-INPUT-001", `cannot read replay record \`${printable(cmd.record)}\`: ${fileProblem(e)}`);
  }
  if (isDir) throw new CliError("CLI-INPUT-001", `--dump and --bisect take one record file, \`${printable(cmd.record)}\` is a folder`);
  const { record, bytes } = readRecord(cmd.record, cmd.component);
  const component = componentOf(bytes, record, "the recorded component");
  const inputs = batchInputsFromWitJson(record.inputs);
  const invalid = (e: unknown): never => {
    if (e instanceof PureflowError && e.trap === "call-snapshot-invalid") throw new CliError("CLI-REPLAY-001", printable(e.message), { cause: e });
    throw e;
  };
  if (cmd.dump === true) {
    const stop = cmd.stopAtFuel!;
    let s;
    try {
      s = invokeUntil(component, inputs, { stopAtFuel: stop });
    } catch (e) {
      return invalid(e);
    }
    if (s.state === "finished") {
      const f = s.report.fuelConsumed;
      if (cmd.json) io.stdout(safeJson(JSON.stringify({ status: "finished", fuelConsumed: f, stopAtFuel: stop })) + "\n");
      else io.stdout(`the invocation ended (fuel ${groupDigits(f)}) before it reached fuel ${groupDigits(stop)} in guest code: nothing to dump\n`);
      return EXIT.ok;
    }
    let d;
    try {
      d = dumpSnapshot(component, s.snapshot, cmd.memory ?? []);
    } catch (e) {
      return invalid(e);
    }
    io.stdout(cmd.json ? safeJson(JSON.stringify({ status: "stopped", ...d })) + "\n" : printable(renderDump(d)));
    return EXIT.ok;
  }
  const a = probeOf(component, inputs);
  let b;
  if (cmd.against !== undefined) b = probeOf(componentOf(readBytes(cmd.against, "component"), record, `\`${printable(cmd.against)}\``), inputs);
  else if (engine !== undefined) {
    try {
      b = probeOfEngine(engine, bytes, record, component);
    } catch (e) {
      throw new CliError("CLI-REPLAY-001", `the engine build \`${printable(cmd.engine!)}\` cannot run the record: ${printable(e instanceof Error ? e.message : String(e))}`, { cause: e });
    }
  } else b = probeOf(component, inputs, { atFuel: cmd.perturbAtFuel!, address: 0 });
  let r;
  try {
    r = bisectDivergence(a, b, record.options.fuel);
  } catch (e) {
    return invalid(e);
  }
  const against = cmd.against !== undefined ? `\`${printable(cmd.against)}\`` : cmd.engine !== undefined ? `the engine build \`${printable(cmd.engine)}\`` : `itself with bit 0 of memory byte 0 flipped at fuel ${cmd.perturbAtFuel!}`;
  if (cmd.json) io.stdout(safeJson(JSON.stringify({ status: r.identical ? "identical" : "diverged", ...r })) + "\n");
  else if (r.identical) io.stdout(`identical: the record's component and ${against} end in the same state (fuel ${groupDigits(r.endFuel[0])}; ${r.probes} probes)\n`);
  else {
    const before = r.divergence === 0 ? "different from the start" : `identical at ${groupDigits(r.divergence! - 1)}`;
    io.stdout(`DIVERGED at fuel ${groupDigits(r.divergence!)} (${before}): the record's component vs ${against}; ${r.probes} probes, end fuel ${groupDigits(r.endFuel[0])} vs ${groupDigits(r.endFuel[1])}\n`);
    for (const d of r.differences.slice(0, 20)) io.stdout(`  ${printable(d)}\n`);
    if (r.differences.length > 20) io.stdout(`  (+${r.differences.length - 20} more)\n`);
  }
  return r.identical ? EXIT.ok : EXIT.guestFailed;
}


/** Imports another build of pureflow-wasm (its `dist/src/index.js`, or a folder holding it). */
async function loadEngine(path: string): Promise<EngineBuild> {
  let file = resolve(path);
  try {
    if (statSync(file).isDirectory()) file = join(file, "dist", "src", "index.js");
  } catch (e) {
    throw new CliError("CLI-INPUT-001", `cannot read the engine build \`${printable(path)}\`: ${fileProblem(e)}`);
  }
  let m: unknown;
  try {
    m = await import(pathToFileURL(file).href);
  } catch (e) {
    throw new CliError("CLI-REPLAY-001", `the engine build \`${printable(path)}\` cannot be loaded: ${printable(e instanceof Error ? e.message : String(e))}`, { cause: e });
  }
  if (!isEngineBuild(m)) throw new CliError("CLI-REPLAY-001", `\`${printable(path)}\` is not a build of pureflow-wasm with execution snapshots (it lacks BatchComponent, invokeUntil, limitsOf, batchInputsFromWitJson or batchesToWitJson)`);
  return m;
}
