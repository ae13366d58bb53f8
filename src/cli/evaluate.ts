/**
 * `pureflow-wasm evaluate <rules-component.wasm> <rule-set.json> <context.json> [--fuel N] [--json]`:
 * evaluates a rule set once with a `pureflow:rules@0.1.0` component (world `pureflow-rules-node`)
 * and prints the decision as WIT-shaped JSON (`src/rules/rules-json.ts` gives the file formats).
 */
import {
  ExecutionLimits, PureflowError, RuleComponent, stringifyControlJson, type EvaluationReport,
} from "../index.js";
import { contextFromJson, decisionToJson, ruleSetFromJson } from "../rules/rules-json.js";
import { witJsonText } from "../host/wit-json-value.js";
import { CliError, EXIT, jsonError, printable, safeJson } from "./errors.js";
import { requireComponentBinary } from "./binary-kind.js";
import { convertWitJson, readWitJsonFile } from "./wit-json-file.js";
import type { CliIo } from "./cli.js";

/** The parsed `evaluate` command. */
export interface EvaluateCommand {
  component: string;
  ruleSet: string;
  context: string;
  fuel?: number;
  json: boolean;
}

/** Compiles a rules component or fails with `CLI-INPUT-004` saying why it cannot be used. */
export function loadRuleComponent(path: string, bytes: Uint8Array, limits: ExecutionLimits): RuleComponent {
  requireComponentBinary(path, bytes);
  let guest: RuleComponent;
  try {
    guest = RuleComponent.fromComponentBytesWithLimits(bytes, limits);
  } catch (e) {
    if (!(e instanceof PureflowError)) throw e;
    throw new CliError("CLI-INPUT-004", `\`${printable(path)}\`: ${printable(e.message)}`, { cause: e });
  }
  const problem = guest.bindingProblem();
  if (problem !== undefined) throw new CliError("CLI-INPUT-004", `\`${printable(path)}\` does not fit the rules world: ${printable(problem.message)}`, { cause: problem });
  return guest;
}

/** Runs `evaluate`; returns the exit status. */
export function evaluateCommand(cmd: EvaluateCommand, io: CliIo, readFile: (path: string, what: string) => Uint8Array): number {
  const limits = cmd.fuel === undefined ? ExecutionLimits.default() : ExecutionLimits.default().withFuel(cmd.fuel);
  const guest = loadRuleComponent(cmd.component, readFile(cmd.component, "component"), limits);
  const ruleSetJson = readWitJsonFile(readFile(cmd.ruleSet, "rule set"), "rule set", cmd.ruleSet);
  const ruleSet = convertWitJson(cmd.ruleSet, () => ruleSetFromJson(ruleSetJson));
  const contextJson = readWitJsonFile(readFile(cmd.context, "context"), "context", cmd.context);
  const context = convertWitJson(cmd.context, () => contextFromJson(contextJson, stringifyControlJson));
  const report: EvaluationReport = guest.evaluateWithReport(ruleSet, context);
  const decision = report.decision === undefined ? undefined : decisionToJson(report.decision);
  if (cmd.json) {
    const obj = {
      status: report.error ? "error" : "ok",
      decision,
      error: report.error ? jsonError(report.error) : undefined,
      fuel: { limit: report.fuelLimit, consumed: report.fuelConsumed },
      elapsedMs: Math.round(report.elapsedMs * 1000) / 1000,
    };
    io.stdout(safeJson(witJsonText(obj as never, 0)) + "\n");
  } else if (report.error) io.stderr(`error: ${printable(report.error.toString())}\n`);
  else io.stdout(safeJson(witJsonText(decision!)) + "\n");
  return report.error ? EXIT.guestFailed : EXIT.ok;
}
