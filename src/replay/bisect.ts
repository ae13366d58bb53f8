/**
 * Pinning down a determinism bug (issue 16; `pureflow-wasm replay FILE --bisect`): two
 * executions that should be identical are compared at halving fuel points until the first fuel
 * point where their states differ is found.
 *
 * An execution is a *probe*: a function giving its state at fuel point F — stopped there by the
 * exact out-of-fuel stop (`snapshot.ts`) and read from the snapshot (`dump.ts`), or its outcome
 * when it ends before F. The state compared is what the guest can observe and what the host
 * gets: the fuel consumed, the call stack's functions with their locals (parameters and declared
 * locals; not the translator's operand and scratch slots, nor positions in translated code, which
 * two engine builds may lay out differently), every global and every memory byte; at the end, the
 * outputs or error and the memory sha256.
 *
 * The search keeps "equal at `lo`, different at `hi`" and halves the gap, so it finds a fuel
 * point F with the states equal at F − 1 and different at F in log2(fuel) probes (each probe
 * re-runs from the start). When a divergence persists once it appears (a different value written
 * to memory, a different path taken) that F is the first divergence; if the states can diverge and
 * converge again, F is a boundary, not necessarily the first. Final states that agree are
 * reported as identical (intermediate states are then not searched).
 *
 * Probes: {@link probeOf} (a component on inputs, optionally perturbed by a host-side hook that
 * flips a memory bit at an exact fuel point — how the tests inject a known divergence),
 * {@link probeOfEngine} (another build of pureflow-wasm, e.g. an older version, loaded from its
 * `dist/src/index.js`), or any function with the same shape.
 */
import { PureflowError } from "../errors.js";
import type { BatchComponent } from "../host/batch-component.js";
import type { BatchInputs, BatchOutputs, PortBatches } from "../batch/batches.js";
import type { ReplayRecord } from "./record.js";
import { batchesToWitJson } from "../batch/wit-json.js";
import { inspectComponentCallSnapshot } from "../../canonical-abi/index.js";
import { invokeUntil, resumeInvocation, type SteppedInvocation } from "./snapshot.js";

/** The state of an execution at a fuel point (see the file comment). */
export type ProbeState =
  | {
    readonly kind: "stopped";
    readonly fuel: number;
    readonly frames: readonly { readonly function: number; readonly name: string | null; readonly locals: readonly string[] }[];
    readonly globals: readonly string[];
    readonly memories: readonly Uint8Array[];
  }
  | { readonly kind: "finished"; readonly fuel: number; readonly outcome: string; readonly memorySha256: string };

/** An execution seen through its states: the state at fuel point `fuel`. */
export type Probe = (fuel: number) => ProbeState;

/** A host-side perturbation: flip bit `bit` of byte `address` of the guest's first memory at fuel point `atFuel`. */
export interface Perturbation {
  readonly atFuel: number;
  readonly address: number;
  readonly bit?: number;
}

/** The state of a stepped invocation; `component` (of this engine) reads its snapshot, `toJson` turns its outputs into WIT-shaped JSON. */
function stateOf(component: BatchComponent, s: SteppedInvocation, toJson: (outputs: unknown) => unknown = (o) => batchesToWitJson(o as BatchOutputs)): ProbeState {
  if (s.state === "finished") {
    const r = s.report;
    const outcome = r.error !== undefined ? r.error.toString() : JSON.stringify(toJson(r.outputs!));
    return { kind: "finished", fuel: r.fuelConsumed, outcome, memorySha256: s.memorySha256 };
  }
  let read;
  try {
    read = inspectComponentCallSnapshot(s.snapshot, component.compiled);
  } catch (e) {
    throw PureflowError.execution(`bisect: cannot read the execution snapshot: ${e instanceof Error ? e.message : String(e)}`, { cause: e, trap: "call-snapshot-invalid" });
  }
  const core = read.core;
  return {
    kind: "stopped",
    fuel: s.fuelConsumed,
    frames: core.frames.map((f) => ({ function: f.function, name: f.name, locals: f.locals.map((l) => `${l.type ?? "?"} ${l.value}`) })),
    globals: core.globals.flatMap((gs, k) => gs.map((g) => `instance ${k} global ${g.index} = ${g.type ?? "?"} ${g.value}`)),
    memories: core.memories.flatMap((ms, k) => ms.map((m) => core.readMemory(k, m.index, 0, m.pages * 65536))),
  };
}

/**
 * The probe of `component` invoked on `inputs`; with `perturb`, the execution is stopped at
 * `perturb.atFuel`, one bit of its first memory is flipped, and it continues from there.
 */
export function probeOf(component: BatchComponent, inputs: BatchInputs | PortBatches, perturb?: Perturbation): Probe {
  return (fuel: number): ProbeState => {
    if (perturb === undefined || fuel < perturb.atFuel) return stateOf(component, invokeUntil(component, inputs, { stopAtFuel: fuel }));
    const first = invokeUntil(component, inputs, { stopAtFuel: perturb.atFuel });
    if (first.state === "finished") return stateOf(component, first); // ended before the perturbation point
    const flip = (memories: Uint8Array[]): void => {
      const m = memories[0];
      if (m === undefined || perturb.address >= m.length) throw PureflowError.execution(`bisect: the perturbation address ${perturb.address} is outside the guest's memory`);
      m[perturb.address]! ^= 1 << (perturb.bit ?? 0);
    };
    return stateOf(component, resumeInvocation(component, first.snapshot, { stopAtFuel: fuel, onRestore: flip }));
  };
}

/**
 * The part of another build of pureflow-wasm (its `dist/src/index.js`) that {@link probeOfEngine}
 * drives: the same names as this build's public door.
 */
export interface EngineBuild {
  readonly BatchComponent: { fromComponentBytes(bytes: Uint8Array, options: { limits: unknown }): unknown };
  readonly batchInputsFromWitJson: (json: unknown) => unknown;
  readonly batchesToWitJson: (batches: unknown) => unknown;
  readonly limitsOf: (record: unknown) => unknown;
  readonly invokeUntil: (component: unknown, inputs: unknown, options: { stopAtFuel: number }) => SteppedInvocation;
}

/** True when `m` (an imported module) has everything {@link EngineBuild} names. */
export function isEngineBuild(m: unknown): m is EngineBuild {
  const x = m as Record<string, unknown> | null;
  return x !== null && typeof x === "object" && typeof (x.BatchComponent as { fromComponentBytes?: unknown } | undefined)?.fromComponentBytes === "function"
    && ["batchInputsFromWitJson", "batchesToWitJson", "limitsOf", "invokeUntil"].every((k) => typeof x[k] === "function");
}

/**
 * The probe of `record` run by another engine build on the component `bytes`: that build stops and
 * snapshots, this one reads its snapshots (`reader`: a component of this build for the same bytes),
 * so the two builds must share the snapshot format version (a mismatch is a typed error).
 */
export function probeOfEngine(engine: EngineBuild, bytes: Uint8Array, record: ReplayRecord, reader: BatchComponent): Probe {
  const component = engine.BatchComponent.fromComponentBytes(bytes, { limits: engine.limitsOf(record) });
  const inputs = engine.batchInputsFromWitJson(record.inputs);
  return (fuel: number): ProbeState => stateOf(reader, engine.invokeUntil(component, inputs, { stopAtFuel: fuel }), engine.batchesToWitJson);
}

function firstByteDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** The differences between two states, each a line of text (empty when equal). */
export function stateDifferences(a: ProbeState, b: ProbeState): string[] {
  const out: string[] = [];
  if (a.kind !== b.kind) return [`one execution ${a.kind === "finished" ? "finished" : "is still running"} (fuel ${a.fuel}), the other ${b.kind === "finished" ? "finished" : "is still running"} (fuel ${b.fuel})`];
  if (a.fuel !== b.fuel) out.push(`fuel consumed: ${a.fuel} vs ${b.fuel}`);
  if (a.kind === "finished" && b.kind === "finished") {
    if (a.outcome !== b.outcome) out.push(`outcome: ${a.outcome.slice(0, 200)} vs ${b.outcome.slice(0, 200)}`);
    if (a.memorySha256 !== b.memorySha256) out.push(`final memory sha256: ${a.memorySha256.slice(0, 16)}… vs ${b.memorySha256.slice(0, 16)}…`);
    return out;
  }
  if (a.kind !== "stopped" || b.kind !== "stopped") return out;
  if (a.frames.length !== b.frames.length) out.push(`call depth: ${a.frames.length} vs ${b.frames.length}`);
  for (let i = 0; i < Math.min(a.frames.length, b.frames.length); i++) {
    const fa = a.frames[i]!, fb = b.frames[i]!;
    if (fa.function !== fb.function) out.push(`frame #${i}: function ${fa.function} vs ${fb.function}`);
    else fa.locals.forEach((l, j) => {
      if (l !== fb.locals[j]) out.push(`frame #${i} (function ${fa.function}${fa.name === null ? "" : ` ${fa.name}`}) local ${j}: ${l} vs ${fb.locals[j] ?? "(none)"}`);
    });
  }
  a.globals.forEach((g, i) => {
    if (g !== b.globals[i]) out.push(`${g} vs ${b.globals[i] ?? "(none)"}`);
  });
  a.memories.forEach((m, i) => {
    const other = b.memories[i];
    if (other === undefined) return;
    const at = firstByteDifference(m, other);
    if (at >= 0) out.push(at >= Math.min(m.length, other.length) ? `memory ${i}: ${m.length} vs ${other.length} bytes` : `memory ${i} first differs at 0x${at.toString(16)}: 0x${m[at]!.toString(16)} vs 0x${other[at]!.toString(16)}`);
  });
  return out;
}

/** What {@link bisectDivergence} found. */
export interface BisectResult {
  /** True when the two executions end in the same state (intermediate states not searched). */
  readonly identical: boolean;
  /** The fuel point where the states first differ (equal at `divergence − 1`), when not identical. */
  readonly divergence?: number;
  /** The differences at that point (or at the end when identical: none). */
  readonly differences: readonly string[];
  /** Probes run per execution (each a run from the start). */
  readonly probes: number;
  /** Fuel each execution consumed to its end. */
  readonly endFuel: readonly [number, number];
}

/**
 * Finds the first fuel point where probes `a` and `b` differ, searching `[0, limit]` (`limit`:
 * the fuel limit of the executions). See the file comment for what is compared.
 */
export function bisectDivergence(a: Probe, b: Probe, limit: number): BisectResult {
  let probes = 0;
  const at = (f: number): [ProbeState, ProbeState] => {
    probes++;
    return [a(f), b(f)];
  };
  const [endA, endB] = at(limit);
  const endDiff = stateDifferences(endA, endB);
  const endFuel: [number, number] = [endA.fuel, endB.fuel];
  if (endDiff.length === 0) return { identical: true, differences: [], probes, endFuel };
  let [sa, sb] = at(0);
  let diff = stateDifferences(sa, sb);
  if (diff.length > 0) return { identical: false, divergence: 0, differences: diff, probes, endFuel };
  let lo = 0, hi = Math.max(endA.fuel, endB.fuel, 1);
  [sa, sb] = at(hi);
  diff = stateDifferences(sa, sb);
  if (diff.length === 0) {
    // equal at the later end point but not at the limit (e.g. one ran out of fuel): search up to the limit
    lo = hi;
    hi = limit;
    diff = endDiff;
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    [sa, sb] = at(mid);
    const d = stateDifferences(sa, sb);
    if (d.length === 0) lo = mid;
    else {
      hi = mid;
      diff = d;
    }
  }
  return { identical: false, divergence: hi, differences: diff, probes, endFuel };
}
