/**
 * `RuleComponent`: a `pureflow:rules@0.1.0` guest component (world `pureflow-rules-node`) ready
 * to evaluate rule sets, the TypeScript counterpart of Pureflow's `WasmtimeRuleComponent`.
 *
 * It shares the batch host's machinery: compile once (optionally snapshot the instantiated
 * state), a fresh instance, memory and fuel budget per evaluation, cancellation polled during
 * the call, and the same error mapping (`invocation-errors.ts`) with the rules wording:
 * 1. a token already cancelled: `CDT-CANCEL-001` (its reason, or `wasm rule evaluation cancelled`);
 * 2. the rule set and context become WIT values (`encode.ts`: arenas, sorted maps, control text);
 * 3. `rules.evaluate` is called through the generic Canonical ABI (28 flat parameters: the
 *    arguments go through guest memory obtained from `cabi_realloc`);
 * 4. failures: cancellation, `guest exceeded fuel limit of {N} units`, `failed to instantiate
 *    rule component: ...`, the lookup messages, `guest invoke failed: ...`;
 * 5. the result is decoded (`decode.ts`): `guest rule {case}: {message}` for a rule-error.
 */
import { InvalidHostValueError, type ComponentSnapshot, type Value } from "../../canonical-abi/index.js";
import { PureflowError } from "../errors.js";
import { CancellationToken } from "../host/cancellation.js";
import { validateWasmCapabilitiesArgument, type NodeCapabilities } from "../host/capabilities.js";
import type { ExecutionLimits } from "../host/limits.js";
import { createSnapshot, createStore, type CompiledComponent } from "../host/engine.js";
import { asPureflowError, mapCallError, mapSetupError, type InvocationErrorWording } from "../host/invocation-errors.js";
import { checkLimitsArgument, checkTokenArgument, compileWithOptions, type ComponentOptions } from "../host/component-options.js";
import { callWorldExport, checkWorldExport, type WorldExport } from "../host/world-export.js";
import { contextToValue, ruleSetToValue, type HostEvalContext } from "./encode.js";
import { decisionFromEvaluateResult } from "./decode.js";
import { RULES_EVALUATE_EXPORT, RULES_INTERFACE_EXPORT, evaluateType, type RuleDecision, type RuleSet } from "./wit-types.js";

/** The reason of a cancelled evaluation when the token gives none (Pureflow's wording). */
export const RULES_CANCELLATION_REASON = "wasm rule evaluation cancelled";

/** `rules.evaluate` in the world `pureflow-rules-node`. */
export const RULES_EVALUATE: WorldExport = {
  interfaceName: RULES_INTERFACE_EXPORT, funcName: RULES_EVALUATE_EXPORT, funcType: evaluateType, label: "rules.evaluate",
};

const RULES_WORDING: InvocationErrorWording = { component: "rule component", cancelledFallback: RULES_CANCELLATION_REASON };

/** Options of {@link RuleComponent.fromComponentBytes}: limits, capabilities, snapshot (as `BatchComponentOptions`). */
export type RuleComponentOptions = ComponentOptions;

/** What one evaluation did: its decision or its error, the fuel and CPU-independent time it took. */
export interface EvaluationReport {
  decision?: RuleDecision;
  error?: PureflowError;
  fuelLimit: number;
  /** Fuel consumed by guest code (including `cabi_realloc` while the arguments were lowered). */
  fuelConsumed: number;
  /** Wall-clock time of the call in milliseconds. */
  elapsedMs: number;
}

/** A compiled `pureflow:rules@0.1.0` component; every evaluation runs in a fresh instance. */
export class RuleComponent {
  /** The limits applied to every evaluation. */
  readonly limits: ExecutionLimits;
  private readonly component: CompiledComponent;
  private readonly bindingError: PureflowError | undefined;
  private readonly snapshot: ComponentSnapshot | undefined;

  private constructor(component: CompiledComponent, limits: ExecutionLimits, snapshot: boolean) {
    this.component = component;
    this.limits = limits;
    let bindingError: PureflowError | undefined;
    try {
      checkWorldExport(component, RULES_EVALUATE);
    } catch (e) {
      bindingError = mapSetupError(e, RULES_WORDING);
    }
    this.bindingError = bindingError;
    let snap: ComponentSnapshot | undefined;
    if (snapshot && bindingError === undefined) {
      try {
        snap = createSnapshot(component, limits);
      } catch {
        snap = undefined; // every evaluation instantiates afresh, with the same outcome
      }
    }
    this.snapshot = snap;
  }

  /**
   * Compiles `bytes` (a component binary) with the default limits, or those in `options`.
   * @throws PureflowError `CDT-EXEC-001` `failed to compile rule component: ...`; `CDT-VAL-002` when
   * `options.capabilities` declares an effect; `invalid argument ...` for a wrong argument.
   */
  static fromComponentBytes(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, options?: RuleComponentOptions): RuleComponent {
    const c = compileWithOptions(bytes, options, "rule component");
    return new RuleComponent(c.component, c.limits, c.snapshot);
  }

  /** Compiles with `limits` (Pureflow's `from_component_bytes_with_limits`). */
  static fromComponentBytesWithLimits(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, limits: ExecutionLimits): RuleComponent {
    checkLimitsArgument("limits", limits);
    return RuleComponent.fromComponentBytes(bytes, { limits });
  }

  /** Checks `capabilities` first, then compiles (Pureflow's `from_component_bytes_with_capabilities`). */
  static fromComponentBytesWithCapabilities(bytes: Uint8Array | ArrayBuffer | ArrayBufferView, capabilities: NodeCapabilities): RuleComponent {
    validateWasmCapabilitiesArgument("capabilities", capabilities);
    return RuleComponent.fromComponentBytes(bytes, { capabilities });
  }

  /** The export lookup / type problem every evaluation would report, if any. */
  bindingProblem(): PureflowError | undefined {
    return this.bindingError;
  }

  /** Evaluates `ruleSet` against `context` once. @throws PureflowError */
  evaluate(ruleSet: RuleSet, context: HostEvalContext): RuleDecision {
    return this.evaluateWithCancellation(ruleSet, context, CancellationToken.active());
  }

  /** Evaluates once; `token` is polled before and during the call. @throws PureflowError */
  evaluateWithCancellation(ruleSet: RuleSet, context: HostEvalContext, token: CancellationToken): RuleDecision {
    checkTokenArgument("token", token);
    const report = this.evaluateWithReport(ruleSet, context, token);
    if (report.error) throw report.error;
    return report.decision as RuleDecision;
  }

  /** Like {@link evaluateWithCancellation}, but never throws: the report holds decision or error, fuel and time. */
  evaluateWithReport(ruleSet: RuleSet, context: HostEvalContext, token: CancellationToken = CancellationToken.active()): EvaluationReport {
    return this.run(() => [ruleSetToValue(ruleSet), contextToValue(context)], token);
  }

  /**
   * Evaluates with the WIT values themselves (a `rule-set` whose conditions are already arenas,
   * an `eval-context` as sent): for tools and tests that need what the host codec never makes
   * (an out-of-range arena index, unsorted tags). Same steps and errors otherwise.
   */
  evaluateWitValues(ruleSet: Value, context: Value, token: CancellationToken = CancellationToken.active()): EvaluationReport {
    return this.run(() => [ruleSet, context], token);
  }

  private run(args: () => Value[], token: CancellationToken): EvaluationReport {
    const started = performance.now();
    const report = (r: { decision?: RuleDecision; error?: PureflowError }, fuelConsumed: number): EvaluationReport =>
      ({ ...r, fuelLimit: this.limits.fuel, fuelConsumed, elapsedMs: performance.now() - started });
    try {
      checkTokenArgument("token", token);
      if (token.isCancelled()) return report({ error: PureflowError.cancelled(token.reason() ?? RULES_CANCELLATION_REASON) }, 0);
    } catch (e) {
      return report({ error: asPureflowError(e, "cancellation token failed: ") }, 0);
    }
    if (this.bindingError) return report({ error: this.bindingError }, 0);
    let values: Value[];
    try {
      values = args();
    } catch (e) {
      return report({ error: asPureflowError(e, "invalid rule evaluation input: ") }, 0);
    }
    const s = createStore(this.limits, token, this.snapshot);
    let result: Value | undefined;
    try {
      result = callWorldExport(this.component, RULES_EVALUATE, values, s.store, { maxLiftedBytes: this.limits.maxOutputBytes, snapshot: s.snapshot });
    } catch (e) {
      const error = e instanceof InvalidHostValueError
        ? PureflowError.execution(`invalid rule evaluation input: ${e.message}`, { cause: e })
        : mapCallError(e, token, this.limits.fuel, RULES_WORDING);
      return report({ error }, s.fuelConsumed());
    }
    try {
      return report({ decision: decisionFromEvaluateResult(result) }, s.fuelConsumed());
    } catch (e) {
      return report({ error: asPureflowError(e, "guest invoke failed: ") }, s.fuelConsumed());
    }
  }
}
