/**
 * Looking inside a stopped invocation (issue 16; `pureflow-wasm replay FILE --stop-at-fuel N
 * --dump`): the call stack of `invoke` at the stop (function indices, names from the name
 * section, positions), the locals and other value slots of each frame, every core instance's
 * globals, and hex views of chosen memory ranges — read from an execution snapshot
 * (`snapshot.ts`), so the dump shows exactly the state a restore would continue from.
 */
import { inspectComponentCallSnapshot } from "../../canonical-abi/index.js";
import type { InspectedFrame, InspectedValue } from "../../interpreter/index.js";
import { PureflowError } from "../errors.js";
import type { BatchComponent } from "../host/batch-component.js";

/** A memory range to show: bytes `[start, start + length)` of memory `memory` (default 0) of core instance `instance` (default: the stopped frame's). */
export interface MemoryRange {
  readonly start: number;
  readonly length: number;
  readonly instance?: number;
  readonly memory?: number;
}

/** What {@link dumpSnapshot} gives (the `--json` form of the dump). */
export interface InvocationDump {
  /** Invocation fuel consumed at the stop, and why it stopped. */
  readonly stop: { readonly fuelConsumed: number; readonly reason: string; readonly nextInstructionCost: number };
  /** The export called (its path). */
  readonly export: readonly string[];
  /** The call stack, outermost first; the last frame is where it stopped. */
  readonly frames: readonly InspectedFrame[];
  readonly globals: readonly { readonly instance: number; readonly index: number; readonly type: string | null; readonly value: string }[];
  readonly memories: readonly { readonly instance: number; readonly index: number; readonly pages: number }[];
  readonly ranges: readonly { readonly instance: number; readonly memory: number; readonly start: number; readonly length: number; readonly hex: string }[];
}

/**
 * Reads `snapshot` (from `invokeUntil`/`resumeInvocation` on `component`) into a dump, with the
 * memory `ranges` asked for. @throws PureflowError (trap `call-snapshot-invalid`) when the
 * snapshot is damaged or not of this component, or a range names a memory it does not hold
 */
export function dumpSnapshot(component: BatchComponent, snapshot: Uint8Array, ranges: readonly MemoryRange[] = []): InvocationDump {
  try {
    const { header, core } = inspectComponentCallSnapshot(snapshot, component.compiled);
    const host = header.host as { fuelConsumed?: unknown; reason?: unknown } | null;
    const last = core.frames[core.frames.length - 1]!;
    return {
      stop: {
        fuelConsumed: typeof host?.fuelConsumed === "number" ? host.fuelConsumed : core.fuel.consumed,
        reason: typeof host?.reason === "string" ? host.reason : "out-of-fuel",
        nextInstructionCost: core.fuel.required,
      },
      export: header.path,
      frames: core.frames,
      globals: core.globals.flatMap((gs, k) => gs.map((g) => ({ instance: k, index: g.index, type: g.type, value: g.value }))),
      memories: core.memories.flatMap((ms, k) => ms.map((m) => ({ instance: k, index: m.index, pages: m.pages }))),
      ranges: ranges.map((r) => {
        const instance = r.instance ?? defaultInstance(core.memories, last.instance);
        const memory = r.memory ?? 0;
        const bytes = core.readMemory(instance, memory, r.start, r.length);
        return { instance, memory, start: r.start, length: bytes.length, hex: Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("") };
      }),
    };
  } catch (e) {
    if (e instanceof PureflowError) throw e;
    throw PureflowError.execution(`cannot dump the execution snapshot: ${e instanceof Error ? e.message : String(e)}`, { cause: e, trap: "call-snapshot-invalid" });
  }
}

/** The stopped frame's instance when it defines memory 0, else the first instance that does. */
function defaultInstance(memories: readonly (readonly { index: number }[])[], stopped: number): number {
  if (memories[stopped]?.some((m) => m.index === 0)) return stopped;
  const k = memories.findIndex((ms) => ms.some((m) => m.index === 0));
  return k < 0 ? stopped : k;
}

function valueLine(v: InspectedValue): string {
  return v.type === null ? v.value : `${v.type} ${v.value}`;
}

/** Hex view: 16 bytes a line, offset, bytes, printable ASCII. */
export function hexView(start: number, hex: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i < hex.length / 2; i += 16) {
    const bytes: number[] = [];
    for (let j = i; j < Math.min(i + 16, hex.length / 2); j++) bytes.push(parseInt(hex.slice(2 * j, 2 * j + 2), 16));
    const text = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`  ${(start + i).toString(16).padStart(8, "0")}  ${bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ").padEnd(47)}  |${text}|`);
  }
  return lines;
}

/** The dump as text (what the command line prints without `--json`). */
export function renderDump(d: InvocationDump): string {
  const out: string[] = [];
  out.push(`stopped at fuel ${d.stop.fuelConsumed.toLocaleString("en-US")} (${d.stop.reason}) in ${d.export.join("#")}; the next instruction costs ${d.stop.nextInstructionCost}`);
  out.push("call stack (outermost first; offsets are in the function's translated code):");
  d.frames.forEach((f, i) => {
    out.push(`  #${i} instance ${f.instance} function ${f.function}${f.name === null ? "" : ` \`${f.name}\``} at offset ${f.offset}${i === d.frames.length - 1 ? " (stopped here)" : ""}`);
    for (const l of f.locals) out.push(`      local ${l.index}${l.name === null ? "" : ` ${l.name}`}: ${valueLine(l)}`);
    if (f.slots.length > 0) out.push(`      other slots (${f.slots.length}): ${f.slots.map(valueLine).join(" ")}`);
  });
  out.push("globals:");
  if (d.globals.length === 0) out.push("  (none)");
  for (const g of d.globals) out.push(`  instance ${g.instance} global ${g.index}: ${g.type ?? "?"} ${g.value}`);
  out.push(`memories: ${d.memories.length === 0 ? "(none)" : d.memories.map((m) => `instance ${m.instance} memory ${m.index} (${m.pages} pages)`).join(", ")}`);
  for (const r of d.ranges) {
    out.push(`memory ${r.memory} of instance ${r.instance}, 0x${r.start.toString(16)}..0x${(r.start + r.length).toString(16)} (${r.length} bytes):`);
    out.push(...hexView(r.start, r.hex));
  }
  return out.join("\n") + "\n";
}
