/**
 * What constructing a component of any Pureflow world checks and does, in Pureflow's order:
 * the options (capabilities first: `CDT-VAL-002`; limits; the snapshot flag), the bytes (any
 * BufferSource, read and never kept), then compiling (`failed to compile {what}: ...`). Shared by
 * `BatchComponent` and `RuleComponent`, with the argument checks of their other methods.
 */
import { PureflowError } from "../errors.js";
import { argumentError, checkOptionsArgument } from "../arguments.js";
import { CancellationToken } from "./cancellation.js";
import { validateWasmCapabilitiesArgument, type NodeCapabilities } from "./capabilities.js";
import { ExecutionLimits } from "./limits.js";
import { compileComponent, type CompiledComponent } from "./engine.js";
import { messageOf } from "./invocation-errors.js";

/** The construction options every world's component takes. */
export interface ComponentOptions {
  /** Per-invocation limits (default {@link ExecutionLimits.default}). */
  limits?: ExecutionLimits;
  /** When given, checked with `validateWasmCapabilities` first. */
  capabilities?: NodeCapabilities;
  /** Snapshot-started instances (default true). */
  snapshot?: boolean;
}

/** `bytes` (a BufferSource) as a Uint8Array over the same memory. */
export function componentBytesView(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  throw argumentError("bytes", "a Uint8Array, ArrayBuffer or other typed array (the component binary)", bytes);
}

/** `v` must be an `ExecutionLimits`. */
export function checkLimitsArgument(argument: string, v: unknown): ExecutionLimits {
  if (!(v instanceof ExecutionLimits)) throw argumentError(argument, "an ExecutionLimits (e.g. ExecutionLimits.default().withFuel(n))", v);
  return v;
}

/** `v` must be a `CancellationToken`. */
export function checkTokenArgument(argument: string, v: unknown): CancellationToken {
  if (!(v instanceof CancellationToken)) throw argumentError(argument, "a CancellationToken (e.g. CancellationToken.fromAbortSignal(signal))", v);
  return v;
}

/**
 * Checks `options`, then compiles `bytes`; `what` names the component in the compile error
 * (`component`, `rule component`).
 * @throws PureflowError `failed to compile {what}: ...`, `CDT-VAL-002`, `invalid argument ...`
 */
export function compileWithOptions(bytes: unknown, options: ComponentOptions | undefined, what: string): { component: CompiledComponent; limits: ExecutionLimits; snapshot: boolean } {
  const o = checkOptionsArgument("options", options);
  if (o.capabilities !== undefined) validateWasmCapabilitiesArgument("options.capabilities", o.capabilities);
  const limits = o.limits === undefined ? ExecutionLimits.default() : checkLimitsArgument("options.limits", o.limits);
  if (o.snapshot !== undefined && typeof o.snapshot !== "boolean") throw argumentError("options.snapshot", "a boolean", o.snapshot);
  const view = componentBytesView(bytes);
  try {
    return { component: compileComponent(view), limits, snapshot: o.snapshot ?? true };
  } catch (e) {
    throw PureflowError.execution(`failed to compile ${what}: ${messageOf(e)}`, { cause: e });
  }
}
