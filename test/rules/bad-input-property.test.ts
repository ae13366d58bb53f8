/**
 * Bad input never escapes as a raw TypeError: random JS values in place of a rule set, a rule, a
 * condition, an action or a context (fast-check's `anything`, mixed into otherwise good values)
 * give a decision or a typed `PureflowError`, from `RuleComponent.evaluateWithReport`,
 * `evaluate` and the CLI's JSON readers alike.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { PureflowError, RuleComponent, stringifyControlJson, type RuleSet } from "../../src/index.js";
import { contextFromJson, ruleSetFromJson } from "../../src/rules/rules-json.js";
import { componentBytes, controlContext, route, ruleSet } from "./helpers.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const guest = RuleComponent.fromComponentBytes(componentBytes("rules-guest"));
const good = ruleSet("first-match", [["r", { tag: "field-exists", value: "a" }, route("out")]]);
const junk = fc.anything({ maxDepth: 3, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withDate: true });

/** `good` with `value` put at one of several places. */
function spliced(place: number, value: unknown): [unknown, unknown] {
  const rs = JSON.parse(JSON.stringify(good)) as Record<string, unknown> & { rules: Record<string, unknown>[] };
  const ctx: Record<string, unknown> = { ...controlContext('{"a":1}') };
  switch (place) {
    case 0: return [value, ctx];
    case 1: return [rs, value];
    case 2: rs.rules[0]!.condition = value; break;
    case 3: rs.rules[0]!.action = value; break;
    case 4: rs.strategy = value; break;
    case 5: rs.rules = value as never; break;
    case 6: ctx.payload = value; break;
    case 7: ctx.tags = value; break;
    case 8: ctx["hop-count"] = value; break;
    default: rs.rules[0]!.condition = { tag: "and-node", value: [value] }; break;
  }
  return [rs, ctx];
}

test(`random junk in a rule set or context: a decision or a typed PureflowError (${RUNS} cases)`, () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9 }), junk, (place, value) => {
      const [rs, ctx] = spliced(place, value);
      const r = guest.evaluateWithReport(rs as RuleSet, ctx as never);
      if (r.error !== undefined) assert.instance(r.error, PureflowError, String(r.error));
      else assert.ok(r.decision !== undefined);
      for (const f of [() => ruleSetFromJson(rs), () => contextFromJson(ctx, stringifyControlJson)]) {
        try {
          f();
        } catch (e) {
          assert.instance(e, PureflowError, `${place}: ${String(e)}`);
        }
      }
    }),
    { numRuns: RUNS },
  );
});

test.run();
