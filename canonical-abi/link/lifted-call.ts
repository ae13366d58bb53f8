/**
 * Component-level execution snapshots (issue 16): a call of a lifted function run in steps, so
 * that it can stop at an exact fuel point inside its core call, be written to bytes with the
 * whole state of the component — every core instance, every frame of the core call, and the
 * component-level state of the call in progress (which export, the lift budget, the instance
 * entered; the lowered arguments are already in guest memory) — and be finished in another
 * store, process or JS runtime to the same result with the same total fuel.
 *
 * The steps are those of `canon lift` (`abi/canon-lift.ts`): {@link ComponentCall.start} checks
 * entry and lowers the arguments (`realloc` runs); `run()` runs the core call until it returns
 * (state `returned`) or the store runs out of fuel inside it (state `out-of-fuel`: `capture()`,
 * or top up the store's fuel and `run()` again); `finish()` lifts the results and runs
 * `post-return`. The host chooses the fuel of each step (a stop point is just a budget that
 * ends there): the engine's exact out-of-fuel stop is the only mechanism, so stepping costs
 * nothing per instruction. Only the core call can stop: a store that runs out of fuel in
 * `realloc` or `post-return` fails the call as `call` would.
 *
 * Snapshot layout (version 1): `"PFWCALL\0"`, u32 version, u32 length of the JSON part, a sha256
 * (32 bytes), the JSON part (UTF-8: export path, function type as WIT, lift budget, number of core
 * instances, the host's own data), then the core engine's snapshot of the core call (for our
 * interpreter: `interpreter/execute/call-snapshot.ts`). The sha256 covers the JSON part and the
 * first 48 bytes of the core part: the core engine's own header, which holds the sha256 of the
 * rest (checked when the core part is read), so a 16 MiB memory is hashed once, not twice.
 */
import { inspectCallSnapshot, sha256Hex, type CallSnapshotInspection } from "../../interpreter/index.js";
import { canon_lift_begin, canon_lift_end, canon_lift_fail, canon_lift_reenter } from "../abi/canon-lift.js";
import type { CoreValue, LiftLowerContext } from "../abi/context.js";
import { LiftBudget } from "../abi/lift-budget.js";
import { CallSnapshotError } from "../errors.js";
import type { Value } from "../types.js";
import { witFunc } from "../wit-text.js";
import type { CoreResumableCall } from "./engine.js";
import type { LiftParts } from "./lifted-function.js";
import type { CoreModuleDef } from "./plan.js";

const MAGIC = [0x50, 0x46, 0x57, 0x43, 0x41, 0x4c, 0x4c, 0x00]; // "PFWCALL\0"
/** The component call snapshot format version this code writes and reads. */
export const COMPONENT_CALL_SNAPSHOT_VERSION = 1;
const HEADER = 48;

/** Where a stepped component call is. */
export type ComponentCallState = "lowered" | "out-of-fuel" | "returned" | "finished" | "failed";

/** The JSON part of a snapshot. */
export interface ComponentCallSnapshotHeader {
  /** The export path of the function called (as `ComponentInstance.getExport` takes it). */
  readonly path: readonly string[];
  /** Its type as WIT text (checked on restore). */
  readonly type: string;
  /** The lift budget (`maxLiftedBytes`), null when unlimited. */
  readonly maxLiftedBytes: number | null;
  /** How many core instances the component has (the core snapshot covers all of them). */
  readonly coreInstances: number;
  /** What the host stored with the snapshot (e.g. its limits and fuel figures); never interpreted here. */
  readonly host: unknown;
}

/** A snapshot read and checked: its header and the core engine's part. */
export interface ReadComponentCallSnapshot {
  readonly header: ComponentCallSnapshotHeader;
  /** The core engine's snapshot of the core call. */
  readonly core: Uint8Array;
}

/** A call of a lifted function run in steps (see the file comment). */
export class ComponentCall {
  private stateValue: ComponentCallState;
  private core: CoreResumableCall | undefined;
  private flatArgs: readonly CoreValue[] | undefined;
  private flatResults: readonly CoreValue[] | undefined;
  private value: Value | undefined;

  private constructor(
    private readonly parts: LiftParts,
    private readonly cx: LiftLowerContext,
    /** The export path of the function called. */
    readonly path: readonly string[],
    private readonly coreInstances: readonly Record<string, unknown>[],
    private readonly maxLiftedBytes: number | null,
    start: { flatArgs: readonly CoreValue[] } | { core: CoreResumableCall },
  ) {
    if ("flatArgs" in start) {
      this.flatArgs = start.flatArgs;
      this.stateValue = "lowered";
    } else {
      this.core = start.core;
      this.stateValue = "out-of-fuel";
    }
  }

  /**
   * @internal Enters the instance and lowers `args` (`realloc` runs under the store's current
   * fuel). Throws what `call` would (a trap poisons the instance).
   */
  static start(parts: LiftParts, path: readonly string[], coreInstances: readonly Record<string, unknown>[], args: readonly Value[], budget: LiftBudget): ComponentCall {
    if (parts.engine.callResumable === undefined) throw new CallSnapshotError("the core engine has no resumable calls");
    const { cx, flat_args } = canon_lift_begin(parts.opts, parts.state, parts.type, args, budget);
    return new ComponentCall(parts, cx, path, coreInstances, budget.limit === Infinity ? null : budget.limit, { flatArgs: flat_args });
  }

  /**
   * @internal A call restored from `snapshot` into the core instances of a component instance
   * created without initialisation; `parts` are those of the function at `snapshot.header.path`.
   * @throws CallSnapshotError when the snapshot does not fit this component instance
   */
  static restore(parts: LiftParts, snapshot: ReadComponentCallSnapshot, coreInstances: readonly Record<string, unknown>[]): ComponentCall {
    const h = snapshot.header;
    const engine = parts.engine;
    if (engine.restoreCall === undefined) throw new CallSnapshotError("the core engine cannot restore calls");
    const type = witFunc(parts.type);
    if (type !== h.type) throw new CallSnapshotError(`the snapshot's function ${h.path.join(".")} has type \`${h.type}\`; this component's is \`${type}\``);
    if (coreInstances.length !== h.coreInstances) throw new CallSnapshotError(`the snapshot holds ${h.coreInstances} core instances; this component has ${coreInstances.length}`);
    let core: CoreResumableCall;
    try {
      core = engine.restoreCall(snapshot.core, coreInstances, parts.callee);
    } catch (e) {
      throw new CallSnapshotError(`the core call cannot be restored: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const budget = h.maxLiftedBytes === null ? LiftBudget.unlimited() : new LiftBudget(h.maxLiftedBytes);
    const cx = canon_lift_reenter(parts.opts, parts.state, budget);
    return new ComponentCall(parts, cx, h.path, coreInstances, h.maxLiftedBytes, { core });
  }

  /** `lowered`, `out-of-fuel` (stopped in the core call), `returned` (core results in hand), `finished` or `failed`. */
  get state(): ComponentCallState {
    return this.stateValue;
  }

  /**
   * Starts or continues the core call with the store's current fuel, until it returns (state
   * `returned`) or runs out of fuel (`out-of-fuel`). A trap fails the call (state `failed`,
   * the instance poisoned) and is thrown as `call` throws it. Returns this.
   */
  run(): this {
    const s = this.stateValue;
    if (s !== "lowered" && s !== "out-of-fuel") throw new CallSnapshotError(`run(): the call is ${s}`);
    try {
      if (this.core === undefined) {
        this.core = this.parts.engine.callResumable!(this.parts.callee, this.flatArgs!);
        this.flatArgs = undefined;
      } else {
        this.core.resume();
      }
    } catch (e) {
      this.stateValue = "failed";
      return canon_lift_fail(this.parts.state, e);
    }
    if (this.core.state === "finished") {
      this.flatResults = this.core.results;
      this.stateValue = "returned";
    } else {
      this.stateValue = "out-of-fuel";
    }
    return this;
  }

  /** Lifts the results of a returned core call and runs `post-return`; returns the result (undefined when none). */
  finish(): Value | undefined {
    if (this.stateValue !== "returned") throw new CallSnapshotError(`finish(): the call is ${this.stateValue}, not returned`);
    try {
      this.value = canon_lift_end(this.cx, this.parts.type, this.flatResults!);
    } catch (e) {
      this.stateValue = "failed";
      throw e;
    }
    this.stateValue = "finished";
    return this.value;
  }

  /** The result of a finished call. */
  get result(): Value | undefined {
    if (this.stateValue !== "finished") throw new CallSnapshotError(`result: the call is ${this.stateValue}, not finished`);
    return this.value;
  }

  /**
   * Gives up a call stopped out of fuel: it fails as an uninterrupted call that ran out of fuel
   * there would (the instance poisoned, a `GuestTrap` with trap `out-of-fuel` thrown).
   */
  abandon(): never {
    if (this.stateValue !== "out-of-fuel") throw new CallSnapshotError(`abandon(): the call is ${this.stateValue}, not out of fuel`);
    this.stateValue = "failed";
    return canon_lift_fail(this.parts.state, Object.assign(new Error("all fuel consumed"), { trap: "out-of-fuel" }));
  }

  /**
   * Writes the call, stopped out of fuel, and the whole state of the component to bytes, with
   * `host` (JSON-serialisable data the host wants back on restore).
   * @throws CallSnapshotError when the call is not stopped or its state cannot be captured
   */
  capture(host: unknown = null): Uint8Array {
    if (this.stateValue !== "out-of-fuel") throw new CallSnapshotError(`capture(): only a call stopped out of fuel in its core call can be captured; the call is ${this.stateValue}`);
    const engine = this.parts.engine;
    if (engine.captureCall === undefined) throw new CallSnapshotError("the core engine cannot capture calls");
    let core: Uint8Array;
    try {
      core = engine.captureCall(this.core!, this.coreInstances);
    } catch (e) {
      throw new CallSnapshotError(`the core call cannot be captured: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const header: ComponentCallSnapshotHeader = {
      path: [...this.path],
      type: witFunc(this.parts.type),
      maxLiftedBytes: this.maxLiftedBytes,
      coreInstances: this.coreInstances.length,
      host,
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(HEADER + json.length + core.length);
    out.set(MAGIC, 0);
    const dv = new DataView(out.buffer);
    dv.setUint32(8, COMPONENT_CALL_SNAPSHOT_VERSION, true);
    dv.setUint32(12, json.length, true);
    out.set(json, HEADER);
    out.set(core, HEADER + json.length);
    out.set(hexBytes(sealOf(out, json.length)), 16);
    return out;
  }
}

/** What the envelope's sha256 covers: the JSON part and the core part's 48-byte header. */
function sealOf(bytes: Uint8Array, jsonLength: number): string {
  return sha256Hex(bytes.subarray(HEADER, Math.min(bytes.length, HEADER + jsonLength + CORE_HEADER)));
}

/** The core engine's header length that the envelope's sha256 covers (magic, version, length, the core's sha256). */
const CORE_HEADER = 48;

function hexBytes(hex: string): Uint8Array {
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/**
 * Reads and checks a component call snapshot's envelope (magic, version, its sha256, the JSON
 * part's shape) without restoring anything; the core part's own sha256 is checked when it is
 * restored or inspected. @throws CallSnapshotError
 */
export function readComponentCallSnapshot(bytes: Uint8Array): ReadComponentCallSnapshot {
  if (!(bytes instanceof Uint8Array)) throw new CallSnapshotError("an execution snapshot must be a Uint8Array");
  if (bytes.length < HEADER || MAGIC.some((m, i) => bytes[i] !== m)) throw new CallSnapshotError(`not a component execution snapshot (bad magic or shorter than its ${HEADER}-byte header)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== COMPONENT_CALL_SNAPSHOT_VERSION) throw new CallSnapshotError(`component execution snapshot format version ${version}; this engine reads version ${COMPONENT_CALL_SNAPSHOT_VERSION}`);
  const jsonLength = dv.getUint32(12, true);
  if (HEADER + jsonLength > bytes.length) throw new CallSnapshotError(`truncated execution snapshot: its JSON part needs ${jsonLength} bytes, ${bytes.length - HEADER} present`);
  const stored = Array.from(bytes.subarray(16, HEADER), (b) => b.toString(16).padStart(2, "0")).join("");
  if (bytes.length < HEADER + jsonLength + CORE_HEADER) throw new CallSnapshotError(`truncated execution snapshot: ${bytes.length} bytes, its parts need at least ${HEADER + jsonLength + CORE_HEADER}`);
  if (sealOf(bytes, jsonLength) !== stored) throw new CallSnapshotError("execution snapshot damaged: its sha256 does not match its contents (truncated or edited)");
  let h: ComponentCallSnapshotHeader;
  try {
    h = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(HEADER, HEADER + jsonLength))) as ComponentCallSnapshotHeader;
  } catch (e) {
    throw new CallSnapshotError(`execution snapshot damaged: ${(e as Error).message}`);
  }
  const ok = h !== null && typeof h === "object" && Array.isArray(h.path) && h.path.length > 0 && h.path.every((p) => typeof p === "string")
    && typeof h.type === "string" && (h.maxLiftedBytes === null || (Number.isSafeInteger(h.maxLiftedBytes) && h.maxLiftedBytes >= 0))
    && Number.isSafeInteger(h.coreInstances) && h.coreInstances >= 0;
  if (!ok) throw new CallSnapshotError("execution snapshot damaged: its header lacks a field or has one of the wrong type");
  return { header: h, core: bytes.subarray(HEADER + jsonLength) };
}

/**
 * Reads a component call snapshot without running anything: its header and the core call's
 * stack, locals, globals and memories (`inspectCallSnapshot` of the interpreter), the core
 * modules being those of `component`. @throws CallSnapshotError
 */
export function inspectComponentCallSnapshot(bytes: Uint8Array, component: { readonly compiled: ReadonlyMap<CoreModuleDef, unknown> }): { header: ComponentCallSnapshotHeader; core: CallSnapshotInspection } {
  const snap = readComponentCallSnapshot(bytes);
  try {
    return { header: snap.header, core: inspectCallSnapshot(snap.core, [...component.compiled.keys()].map((d) => d.bytes)) };
  } catch (e) {
    throw new CallSnapshotError(`the core call cannot be read: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
