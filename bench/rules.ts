/**
 * The rules world's figures (`npx tsx bench/rules.ts [calls]`): the rules guest's size, and the
 * CPU time of one `RuleComponent.evaluate` (fresh instance, lowering 28 flat parameters through
 * guest memory, evaluation, lifting the decision) on the five-payload routing rule set of
 * test/rules/conformance.test.ts, median and p95 over many warm calls, next to the native
 * evaluator and the fuel one call consumes.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RuleComponent, evaluateNative, type HostEvalContext, type RuleSet } from "../src/index.js";
import { projectRoot } from "../test/helpers/shared.js";

const calls = Number(process.argv[2] ?? 2000);
const bytes = readFileSync(join(projectRoot, "fixtures", "rules-guest", "component.wasm"));
const int = (n: number) => ({ tag: "integer" as const, value: BigInt(n) });
const ruleSet: RuleSet = {
  id: "routing", strategy: "first-match", "default-action": { tag: "route", value: "standard" }, "trace-conditions": true,
  rules: [
    { id: "suspended", condition: { tag: "field-eq", value: { path: "suspended", value: { tag: "boolean", value: true } } }, action: { tag: "dead-letter", value: "suspended" }, priority: 0, description: "" },
    { id: "review", condition: { tag: "field-gt", value: { path: "amount", value: int(10000) } }, action: { tag: "route", value: "review" }, priority: 1, description: "" },
    { id: "europe", condition: { tag: "field-in", value: { path: "region", values: [{ tag: "text", value: "eu" }, { tag: "text", value: "uk" }] } }, action: { tag: "route", value: "europe" }, priority: 2, description: "" },
    { id: "internal", condition: { tag: "field-matches", value: { path: "email", pattern: "*@example.com" } }, action: { tag: "route", value: "internal" }, priority: 3, description: "" },
  ],
};
const payloads = ['{"amount":50000,"region":"us"}', '{"amount":15,"region":"eu"}', '{"amount":10,"email":"bob@example.com"}', '{"suspended":true}', '{"amount":5,"region":"apac"}'];
const contexts: HostEvalContext[] = payloads.map((p) => ({ payload: { tag: "control", value: p }, "workflow-id": "flow", "source-node": "src", "arrival-port": "in" }));

function cpuMicros(f: () => unknown): number {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return d.user + d.system;
}
function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, p95: s[Math.floor(s.length * 0.95)]! };
}

// three rounds, alternating the two start modes (the later mode of a round profits from V8's warm-up)
const guests = { snapshot: RuleComponent.fromComponentBytes(bytes, { snapshot: true }), fresh: RuleComponent.fromComponentBytes(bytes, { snapshot: false }) };
for (const g of Object.values(guests)) for (let i = 0; i < 300; i++) g.evaluate(ruleSet, contexts[i % 5]!); // warm-up: V8 compiles the dispatch loop
const samples: Record<string, number[]> = { snapshot: [], fresh: [] };
for (let round = 0; round < 3; round++) {
  for (const mode of round % 2 === 0 ? ["snapshot", "fresh"] as const : ["fresh", "snapshot"] as const) {
    const g = guests[mode];
    for (let i = 0; i < calls / 3; i++) samples[mode]!.push(cpuMicros(() => g.evaluate(ruleSet, contexts[i % 5]!)));
  }
}
const fuel = guests.fresh.evaluateWithReport(ruleSet, contexts[0]!).fuelConsumed;
for (const mode of ["snapshot", "fresh"] as const) {
  const s = stats(samples[mode]!);
  console.log(`guest evaluate (${mode === "snapshot" ? "snapshot-started" : "fresh instantiation"}): median ${s.median} µs CPU, p95 ${s.p95} µs over ${samples[mode]!.length} calls; fuel ${fuel} (payload 1)`);
}
const native = Array.from({ length: calls }, (_, i) => cpuMicros(() => evaluateNative(ruleSet, contexts[i % 5]!)));
const n = stats(native);
console.log(`native evaluator: median ${n.median} µs CPU, p95 ${n.p95} µs`);
console.log(`rules guest: ${bytes.length} bytes (fixtures/rules-guest/component.wasm)`);
