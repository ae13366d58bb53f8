/**
 * fast-check arbitraries of the rules world, shared by the property tests: rule sets (all 24
 * condition kinds, nesting, the three strategies, traces on/off, tag actions) and contexts (JSON
 * payloads whose numbers take every serde_json form, invalid payloads, bytes, tags, provenance).
 */
import fc from "fast-check";
import type { Condition, HostEvalContext, RuleAction, RuleSet, ScalarValue } from "../../src/index.js";

const KEYS = ["a", "b", "c", "a.b", ""];
const PATHS = ["a", "b", "c", "a.b", "a.c", "b.a", "", "a.b.c"];
const WORDS = ["", "x", "eu", "bob@example.com", "é😀", "a*b", "h?"];
const NUMBER_TEXTS = ["0", "1", "1.0", "-1", "2.5", "1e2", "-0", "9007199254740993", "18446744073709551615", "-9223372036854775808", "1.5e-3", "100000000000000000000000"];

const path = fc.constantFrom(...PATHS);
const word = fc.constantFrom(...WORDS);
const scalar: fc.Arbitrary<ScalarValue> = fc.oneof(
  word.map((value) => ({ tag: "text" as const, value })),
  fc.oneof(fc.bigInt(-3n, 3n), fc.constantFrom(100n, 9007199254740993n, -9223372036854775808n, 9223372036854775807n)).map((value) => ({ tag: "integer" as const, value })),
  fc.constantFrom(0, -0, 1, 2.5, -1, 100, 0.0015, 1e20, NaN).map((value) => ({ tag: "float-value" as const, value })),
  fc.boolean().map((value) => ({ tag: "boolean" as const, value })),
  fc.constant({ tag: "null-value" as const }),
);
const entry = fc.record({ key: fc.constantFrom("k1", "k2", "k3"), value: scalar });

const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.tuple(fc.constantFrom("field-eq", "field-neq", "field-gt", "field-lt", "field-gte", "field-lte" as const), path, scalar)
    .map(([tag, p, value]) => ({ tag, value: { path: p, value } }) as Condition),
  fc.tuple(path, fc.array(scalar, { maxLength: 3 })).map(([p, values]) => ({ tag: "field-in" as const, value: { path: p, values } })),
  fc.tuple(fc.constantFrom("field-exists", "field-absent" as const), path).map(([tag, value]) => ({ tag, value }) as Condition),
  fc.tuple(path, fc.constantFrom("*", "?", "*@example.com", "e?", "*😀", "x", "")).map(([p, pattern]) => ({ tag: "field-matches" as const, value: { path: p, pattern } })),
  fc.tuple(fc.constantFrom("tag-eq", "execution-metadata-eq" as const), entry).map(([tag, value]) => ({ tag, value }) as Condition),
  fc.tuple(fc.constantFrom("tag-exists", "tag-absent" as const), fc.constantFrom("k1", "k2", "k3")).map(([tag, value]) => ({ tag, value }) as Condition),
  fc.tuple(fc.constantFrom("source-node", "arrived-on-port" as const), fc.constantFrom("src", "in", "")).map(([tag, value]) => ({ tag, value }) as Condition),
  fc.tuple(fc.constantFrom("hop-count-gt", "hop-count-lte" as const), fc.integer({ min: 0, max: 4 })).map(([tag, value]) => ({ tag, value }) as Condition),
  fc.constantFrom("flow", "other").map((value) => ({ tag: "workflow-is" as const, value })),
  fc.constantFrom<Condition>({ tag: "always" }, { tag: "never" }),
);

const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom("and-node", "or-node" as const), fc.array(tie("c"), { maxLength: 3 })).map(([tag, value]) => ({ tag, value }) as Condition),
    tie("c").map((value) => ({ tag: "not-node" as const, value })),
  ),
})).c;

const action: fc.Arbitrary<RuleAction> = fc.oneof(
  fc.constantFrom("out", "review").map((value) => ({ tag: "route" as const, value })),
  fc.constant({ tag: "drop" as const }),
  fc.constant({ tag: "dead-letter" as const, value: "bad" }),
  entry.map((value) => ({ tag: "tag" as const, value })),
  fc.constant({ tag: "halt" as const, value: "stop" }),
);

export const ruleSet: fc.Arbitrary<RuleSet> = fc.record({
  id: fc.constant("rs"),
  strategy: fc.constantFrom("first-match", "all-matches", "score" as const),
  rules: fc.array(fc.record({ condition, action, priority: fc.integer({ min: 0, max: 9 }) }), { maxLength: 5 })
    .map((rs) => rs.map((r, i) => ({ id: `rule-${i}`, description: "", ...r }))),
  "default-action": action,
  "trace-conditions": fc.boolean(),
});

/** JSON text with every serde number form, sometimes invalid. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...NUMBER_TEXTS),
    word.map((w) => JSON.stringify(w)),
    fc.constantFrom("true", "false", "null"),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie("v")), { maxLength: 4 }).map((kv) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`),
    fc.array(tie("v"), { maxLength: 2 }).map((a) => `[${a.join(",")}]`),
  ),
})).v;

const payload: fc.Arbitrary<HostEvalContext["payload"]> = fc.oneof(
  { weight: 8, arbitrary: jsonText.map((value) => ({ tag: "control" as const, value })) },
  { weight: 1, arbitrary: fc.constantFrom("{", "{\"a\":1,}", "[01]", "1e400", "\"\\ud800\"").map((value) => ({ tag: "control" as const, value })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }).map((bytes) => ({ kind: "bytes" as const, bytes })) },
);

export const context: fc.Arbitrary<HostEvalContext> = fc.record({
  payload,
  tags: fc.array(entry, { maxLength: 3 }),
  "source-node": fc.option(fc.constantFrom("src", "other"), { nil: null }),
  "arrival-port": fc.option(fc.constantFrom("in", "x"), { nil: null }),
  "hop-count": fc.integer({ min: 0, max: 5 }),
  "workflow-id": fc.constantFrom("flow", "other"),
  "execution-metadata": fc.array(entry, { maxLength: 3 }),
});

