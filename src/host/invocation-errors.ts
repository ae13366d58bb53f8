/**
 * How a failed invocation of any world becomes a `PureflowError`, in Pureflow's order:
 * cancellation first (`CDT-CANCEL-001`: the token's reason, or the world's fallback reason),
 * then fuel exhaustion (`guest exceeded fuel limit of {N} units`), instantiation (`failed to
 * instantiate {what}: ...`), export lookup (the world's messages), the output-size limit, and
 * any other trap or ABI violation (`guest invoke failed: ...`, the trap's code in `trap`).
 */
import {
  ComponentError, ComponentImportNotAllowedError, LiftBudgetExceededError, MissingExportError, describeValue,
} from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import type { CancellationToken } from "./cancellation.js";

/** What differs between worlds in the mapping. */
export interface InvocationErrorWording {
  /** The component as `failed to instantiate {component}: ...` names it (`component`, `rule component`). */
  component: string;
  /** The cancellation reason when the token gives none. */
  cancelledFallback: string;
}

/** The message of any thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === "string" ? e : describeValue(e);
}

/** `e` as a PureflowError (a non-Pureflow error becomes `CDT-EXEC-001` `{prefix}{message}`). */
export function asPureflowError(e: unknown, prefix: string): PureflowError {
  return e instanceof PureflowError ? e : PureflowError.execution(`${prefix}${messageOf(e)}`, { cause: e });
}

/** The stable trap code in `e` or its causes (interpreter or component layer), if any. */
export function trapCodeOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur !== null && typeof cur === "object"; depth++) {
    const t = (cur as { trap?: unknown }).trap;
    if (typeof t === "string" && t !== "unknown") return t;
    cur = (cur as { cause?: unknown }).cause;
  }
  if (e instanceof ComponentError) return e.code;
  return undefined;
}

/** An export lookup or instantiation problem found before the call. */
export function mapSetupError(e: unknown, wording: InvocationErrorWording): PureflowError {
  if (e instanceof PureflowError) return e;
  // the lookup errors already carry Pureflow's messages
  if (e instanceof MissingExportError) return PureflowError.execution(e.message, { cause: e, trap: e.code });
  if (e instanceof ComponentImportNotAllowedError) {
    return PureflowError.execution(`failed to instantiate ${wording.component}: ${e.message}`, { cause: e, trap: e.code });
  }
  return PureflowError.execution(`guest invoke failed: ${messageOf(e)}`, { cause: e, trap: trapCodeOf(e) });
}

/** A failure of the call itself (`fuel` is the invocation's budget). */
export function mapCallError(e: unknown, token: CancellationToken, fuel: number, wording: InvocationErrorWording): PureflowError {
  if (e instanceof PureflowError) return e;
  const trap = trapCodeOf(e);
  // cancellation is reported before trap and fuel mapping
  try {
    if (token.isCancelled() || trap === "interrupted") return PureflowError.cancelled(token.reason() ?? wording.cancelledFallback);
  } catch (probeError) {
    return asPureflowError(probeError, "cancellation token failed: ");
  }
  if (trap === "out-of-fuel") return PureflowError.execution(`guest exceeded fuel limit of ${fuel} units`, { cause: e, trap });
  if (e instanceof ComponentImportNotAllowedError || (e instanceof ComponentError && e.code === "component-link-error")) {
    return PureflowError.execution(`failed to instantiate ${wording.component}: ${messageOf(e)}`, { cause: e, trap: e.code });
  }
  if (e instanceof MissingExportError) return mapSetupError(e, wording);
  if (e instanceof LiftBudgetExceededError) {
    return PureflowError.execution(
      `guest output exceeds the output size limit of ${e.limit} bytes (lifting stopped at a ${e.item} of ${e.requested} bytes after ${e.used} bytes)`,
      { cause: e, trap: e.code },
    );
  }
  return PureflowError.execution(`guest invoke failed: ${messageOf(e)}`, { cause: e, trap });
}
