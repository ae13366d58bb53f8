/**
 * The text form of a Canonical ABI call trace (`pureflow-wasm run --trace-abi`): the steps of
 * `trace.ts` one per line, in order, then an annotated hex dump of the guest memory each phase
 * touched (the bytes written while lowering, the bytes read while lifting), every row followed by
 * the WIT paths of the values that start in it. Also {@link memoryMap}: the byte-to-value map the
 * dump and the playground's memory map are drawn from.
 */
import type { AbiTraceEvent, AbiTraceJson, RangeEvent, ValueEvent } from "./trace.js";

/** One byte the call touched: its value and what it belongs to. */
export interface TouchedByte {
  readonly address: number;
  readonly byte: number;
  /** The WIT path of the most specific value covering it. */
  readonly path: string;
  /** `seq` of that value's event. */
  readonly seq: number;
  /** What the byte is: the value's type, or `string bytes` / `list elements` for a content range. */
  readonly what: string;
  /** The value as text, when the byte belongs to one value. */
  readonly value: string | null;
}

function hex(n: number, width = 0): string {
  return "0x" + n.toString(16).padStart(width, "0");
}

function fuelText(f: number | null): string {
  return f === null ? "" : `  (fuel ${f})`;
}

function bytesText(bytes: readonly number[], max = 16): string {
  const shown = bytes.slice(0, max).map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length > max ? `${shown} …` : shown;
}

/**
 * The bytes of one phase as a map address -> touched byte. A byte inside several events belongs
 * to the smallest (a list element's field rather than the list's whole content range).
 */
export function memoryMap(events: readonly AbiTraceEvent[], phase: "lower" | "lift"): Map<number, TouchedByte> {
  const owners: (ValueEvent | RangeEvent)[] = [];
  for (const e of events) {
    if ((e.step === "store" || e.step === "load" || e.step === "range") && (phase === "lower" ? e.phase === "lower" : e.phase === "lift")) owners.push(e);
  }
  const span = (e: ValueEvent | RangeEvent): number => e.bytes.length;
  owners.sort((a, b) => span(b) - span(a)); // larger first, so smaller ones overwrite them
  const map = new Map<number, TouchedByte>();
  for (const e of owners) {
    const what = e.step === "range" ? `${e.what === "list" ? "list elements" : e.what === "string" ? "string bytes" : e.what}` : e.type;
    const value = e.step === "range" ? null : e.value;
    e.bytes.forEach((byte, i) => map.set(e.address + i, { address: e.address + i, byte, path: e.path, seq: e.seq, what, value }));
  }
  return map;
}

/** The annotated hex dump of `map` (at most `maxRows` rows of 16 bytes). */
export function hexDump(map: ReadonlyMap<number, TouchedByte>, events: readonly AbiTraceEvent[], maxRows = 400): string[] {
  if (map.size === 0) return ["  (no bytes)"];
  const rows = [...new Set([...map.keys()].map((a) => a - (a % 16)))].sort((a, b) => a - b);
  const starts = new Map<number, [number, string][]>();
  for (const e of events) {
    if (e.step !== "store" && e.step !== "load" && e.step !== "range") continue;
    const first = map.get(e.address);
    if (first === undefined || first.seq !== e.seq) continue;
    const label = e.step === "range" ? `${e.path || "(call)"}: ${e.what} content, ${e.length} bytes` : `${e.path}: ${e.type}${e.value === null ? "" : ` = ${e.value}`}`;
    const list = starts.get(e.address - (e.address % 16)) ?? [];
    list.push([e.address, `${hex(e.address)} ${label}`]);
    starts.set(e.address - (e.address % 16), list);
  }
  for (const list of starts.values()) list.sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  let previous = -1;
  for (const row of rows.slice(0, maxRows)) {
    if (previous >= 0 && row !== previous + 16) out.push("  ...");
    previous = row;
    let hexPart = "", ascii = "";
    for (let a = row; a < row + 16; a++) {
      const t = map.get(a);
      hexPart += (t === undefined ? ".." : t.byte.toString(16).padStart(2, "0")) + (a % 8 === 7 ? "  " : " ");
      ascii += t === undefined ? " " : t.byte >= 0x20 && t.byte < 0x7f ? String.fromCharCode(t.byte) : ".";
    }
    out.push(`  ${hex(row, 8)}  ${hexPart}|${ascii}|`);
    for (const [, s] of starts.get(row) ?? []) out.push(`      ^ ${s}`);
  }
  if (rows.length > maxRows) out.push(`  … ${rows.length - maxRows} more rows`);
  return out;
}

/** One event as one line. */
export function eventLine(e: AbiTraceEvent): string {
  const n = `#${e.seq}`.padEnd(5);
  switch (e.step) {
    case "call-begin":
      return `${n} call ${e.func}\n      core signature (${e.coreParams.join(", ")}) -> (${e.coreResults.join(", ")}); ` +
        `parameters ${e.paramsInMemory ? "through memory (more than 16 flat values)" : "as flat values"}, ` +
        `results ${e.resultsInMemory ? "through a return pointer (more than 1 flat value)" : "as flat values"}`;
    case "realloc":
      return `${n} realloc(${hex(e.originalPtr)}, ${e.originalSize}, ${e.alignment}, ${e.newSize}) -> ${e.result === null ? "(trapped)" : hex(e.result)}${fuelText(e.fuel)}  for ${e.path || "(call)"}`;
    case "store": case "load":
      return `${n} ${e.step} ${hex(e.address)} ${e.path}: ${e.type}${e.value === null ? "" : ` = ${e.value}`}  [${bytesText(e.bytes)}]` +
        `${e.checks.length > 0 ? `; checks: ${e.checks.join("; ")}` : ""}${e.complete ? "" : "  <- trap inside this value"}`;
    case "range":
      return `${n} ${e.what} content ${hex(e.address)}..${hex(e.address + e.length)} (${e.length} bytes) for ${e.path || "(call)"}; checks: ${e.checks.join("; ")}`;
    case "flat-args":
      return `${n} flat core arguments: ${e.values.length === 0 ? "(none)" : e.values.join(", ")}`;
    case "core-call":
      return `${n} core function returned: ${e.results.length === 0 ? "(nothing)" : e.results.join(", ")}${fuelText(e.fuel)}`;
    case "return-pointer":
      return `${n} return pointer ${hex(e.address)} (${e.size} bytes, alignment ${e.alignment}); checks: ${e.checks.join("; ")}`;
    case "post-return":
      return `${n} post-return called with the core results${fuelText(e.fuel)}`;
    case "trap":
      return `${n} TRAP${e.rule === null ? "" : ` ${e.rule}`} (${e.code}) ${e.path === "" ? `during ${e.phase}` : `at ${e.path} during ${e.phase}`}: ${e.message}`;
    case "call-end":
      return `${n} call returned${e.fuel === null ? "" : ` (fuel used by the whole call: ${e.fuel})`}`;
  }
}

const PHASE_TITLES: Record<string, string> = {
  lower: "lowering the arguments (host values -> guest memory and flat core values)",
  call: "the core call",
  lift: "lifting the results (guest memory and flat core values -> host values)",
  "post-return": "post-return",
};

/** The whole trace as text: the steps by phase, then the hex dumps. */
export function renderAbiTrace(trace: AbiTraceJson): string {
  const out: string[] = [];
  let phase = "";
  for (const e of trace.events) {
    if (e.step !== "call-begin" && e.phase !== phase) {
      phase = e.phase;
      out.push(`-- ${PHASE_TITLES[phase] ?? phase}`);
    }
    out.push(eventLine(e));
  }
  if (trace.dropped > 0) out.push(`(${trace.dropped} further events not recorded: the trace was full)`);
  for (const p of ["lower", "lift"] as const) {
    out.push("", `memory ${p === "lower" ? "written while lowering" : "read while lifting"} (.. = not touched):`);
    out.push(...hexDump(memoryMap(trace.events, p), trace.events));
  }
  return out.join("\n") + "\n";
}
