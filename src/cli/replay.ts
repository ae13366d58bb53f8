/**
 * `pureflow-wasm replay <record.json|folder> [--component PATH] [--json]`: re-runs recorded
 * invocations (docs/replay.md) and compares every field. One record: prints `identical` with the
 * outcome, or the first difference and how many there are (exit 1). A folder: every `*.json` below
 * it, a line per record and a summary.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseReplayRecord, replay, type ReplayDifference, type ReplayRecord } from "../index.js";
import { PureflowError } from "../index.js";
import { CliError, EXIT, printable, safeJson } from "./errors.js";
import { fileProblem } from "./manifest.js";
import { parseJsonText, utf8Text } from "./json-text.js";
import type { CliIo } from "./cli.js";

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
  return o.status === "ok" ? `ok, fuel ${r.fuel.consumed.toLocaleString("en-US")}` : `${o.error.code} ${o.error.message.slice(0, 100)}, fuel ${r.fuel.consumed.toLocaleString("en-US")}`;
}

/** Replays the record at `path` (the component from `componentPath` or the record's componentPath). */
function replayFile(path: string, componentPath: string | undefined): Replayed {
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
  const bytes = readBytes(component, "component");
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
export function replayCommand(cmd: { record: string; component?: string; json: boolean }, io: CliIo): number {
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
