/**
 * CI slice of the component validity differential (`npm run fuzz:malformed -- --component-oracle`):
 * mutated fixture components that our `Component.fromBytes` accepts must also pass wasm-tools'
 * validation (jco's `componentWit`). A component we accept and wasm-tools refuses means we would
 * run a component the Component Model calls invalid. (Core modules get the same check against
 * Node's `WebAssembly.validate` inside every core case of `malformed.test.ts`.)
 * Set MALFORMED_ORACLE_CASES to change the slice size (default 1,500 in `npm test`, 3,000 with --full).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { componentOracle } from "../../scripts/malformed/component-oracle.js";
import { reproducerText } from "../../scripts/malformed/report.js";
import { loadCorpus } from "../../scripts/malformed/seeds.js";
import { sliceSize } from "../helpers/slice.js";

const SEED = 4242;
const CASES = sliceSize("MALFORMED_ORACLE_CASES", 1_500, 3_000, "mutated components");

test(`component validity differential: ${CASES} mutated components, everything we accept wasm-tools accepts`, async () => {
  const corpus = loadCorpus();
  const t = await componentOracle(corpus, SEED, 0, CASES);
  console.log(`\n# component oracle: ${t.cases} cases, accepted by us ${t.accepted}, by wasm-tools too ${t.agreed}, disagreements ${t.disagreements.length}`);
  assert.ok(t.accepted > 50, "too few mutants decode for the differential to mean anything");
  for (const f of t.disagreements.slice(0, 5)) console.log(reproducerText(f));
  assert.is(t.disagreements.length, 0, t.disagreements[0]?.finding.detail);
});

test.run();
