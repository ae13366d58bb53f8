/**
 * Property: for random rule sets and contexts — all 24 condition kinds, nested combinators, the
 * three strategies, traces on and off, tag actions, JSON payloads whose numbers take every
 * serde_json form (integers, `1.0`-style floats, exponents, beyond 2^53, beyond u64, `-0`),
 * invalid payloads and bytes — the rules guest's decision equals the native evaluator's.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { RuleComponent, evaluateNative } from "../../src/index.js";
import { componentBytes } from "./helpers.js";
import { context, ruleSet } from "./arbitraries.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

/** A deep copy with plain prototypes (fast-check's records have none; the guest's decisions are plain). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

test(`random rule sets and contexts (${RUNS} cases): guest decision == native decision`, () => {
  const guest = RuleComponent.fromComponentBytes(componentBytes("rules-guest"));
  fc.assert(
    fc.property(ruleSet, context, (rs, ctx) => {
      assert.equal(plain(guest.evaluate(rs, ctx)), plain(evaluateNative(rs, ctx)));
    }),
    { numRuns: RUNS, seed: process.env.PROPERTY_SEED === undefined ? undefined : Number(process.env.PROPERTY_SEED) },
  );
});

test.run();
