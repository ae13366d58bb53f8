/**
 * Resource limits of a store (issue 3). Defaults are chosen for sandboxes and still let the
 * spec suite pass:
 *
 * | limit | default | effect when exceeded |
 * |---|---|---|
 * | `maxMemoryPages` | 16384 (1 GiB) per memory | `memory.grow` returns -1; a larger declared minimum fails instantiation (`LinkError` `limit-exceeded`) |
 * | `maxTableElements` | 10,000,000 per table | `table.grow` returns -1; a larger declared minimum fails instantiation |
 * | `maxCallDepth` | 100,000 wasm frames per invocation | trap `call-stack-exhausted` |
 * | `maxValueStackBytes` | 64 MiB of 8-byte value slots per invocation | trap `call-stack-exhausted` |
 * | `maxInstances` | 10,000 per store | instantiation fails (`LinkError` `limit-exceeded`) |
 * | `maxHostReentrancy` | 100 nested host-to-wasm calls | trap `call-stack-exhausted` |
 */
import { describeValue, InvalidArgumentRangeError, InvalidArgumentTypeError } from "../errors.js";
export interface ResourceLimits {
  readonly maxMemoryPages: number;
  readonly maxTableElements: number;
  readonly maxCallDepth: number;
  readonly maxValueStackBytes: number;
  readonly maxInstances: number;
  readonly maxHostReentrancy: number;
}

export const DEFAULT_LIMITS: ResourceLimits = Object.freeze({
  maxMemoryPages: 16384,
  maxTableElements: 10_000_000,
  maxCallDepth: 100_000,
  maxValueStackBytes: 64 * 1024 * 1024,
  maxInstances: 10_000,
  maxHostReentrancy: 100,
});

/** Fills in defaults and checks that every given limit is a non-negative integer. */
export function resolveLimits(l: Partial<ResourceLimits> | undefined): ResourceLimits {
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  const given: unknown = l;
  if (given !== undefined && (typeof given !== "object" || given === null)) throw new InvalidArgumentTypeError("options.limits", `must be an object of limits, got ${describeValue(given)}`);
  for (const [k, v] of Object.entries(l ?? {})) {
    if (!Object.hasOwn(DEFAULT_LIMITS, k)) throw new InvalidArgumentRangeError("options.limits", `unknown limit ${describeValue(k)}`);
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new InvalidArgumentRangeError(`options.limits.${k}`, `limit ${k} must be a non-negative integer, got ${describeValue(v)}`);
    out[k] = v;
  }
  return Object.freeze(out) as unknown as ResourceLimits;
}
