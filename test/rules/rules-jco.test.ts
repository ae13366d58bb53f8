/**
 * An independent oracle for the rules world's Canonical ABI path: the same rules guest
 * transpiled by jco and run on Node's own WebAssembly engine must decide exactly as our
 * interpreter does, for random rule sets and contexts. This checks what the batch world never
 * exercises — 28 flat parameters stored in guest memory through `cabi_realloc`, 8-aligned
 * `s64`/`f64` payloads, enums, the 24-case variant, `list<u32>` arenas — against a second
 * implementation. jco's JS values (camelCase records, `{ tag, val }` variants, `undefined` for
 * none) are converted from and to the generic values by walking the WIT descriptors.
 * Test code only: the library never uses the host's WebAssembly.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { transpileBytes } from "@bytecodealliance/jco-transpile";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ValType, Value } from "../../canonical-abi/index.js";
import { RuleComponent } from "../../src/index.js";
import { contextToValue, ruleSetToValue } from "../../src/rules/encode.js";
import { decisionFromEvaluateResult } from "../../src/rules/decode.js";
import { evalContextType, ruleDecisionType, ruleErrorType, ruleSetType } from "../../src/rules/wit-types.js";
import { camelLabel } from "../../src/host/host-shape.js";
import { componentBytes } from "./helpers.js";
import { context, ruleSet } from "./arbitraries.js";
import { tempDir } from "../helpers/temp-dir.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

/** A generic value as jco's JS value. */
function toJco(t: ValType, v: unknown): unknown {
  switch (t.kind) {
    case "record": return Object.fromEntries(t.fields.map((f) => [camelLabel(f.label), toJco(f.type, (v as Record<string, unknown>)[f.label])]));
    case "variant": {
      const x = v as { tag: string; value?: unknown };
      const c = t.cases.find((k) => k.label === x.tag)!;
      return c.type === null ? { tag: x.tag } : { tag: x.tag, val: toJco(c.type, x.value) };
    }
    case "option": {
      const x = v as { tag: string; value?: unknown };
      return x.tag === "none" ? undefined : toJco(t.type, x.value);
    }
    case "list": return t.elem.kind === "u8" ? v : (v as unknown[]).map((x) => toJco(t.elem, x));
    default: return v;
  }
}

/** jco's JS value as the generic value. */
function fromJco(t: ValType, v: unknown): unknown {
  switch (t.kind) {
    case "record": return Object.fromEntries(t.fields.map((f) => [f.label, fromJco(f.type, (v as Record<string, unknown>)[camelLabel(f.label)])]));
    case "variant": {
      const x = v as { tag: string; val?: unknown };
      const c = t.cases.find((k) => k.label === x.tag)!;
      return c.type === null ? { tag: x.tag } : { tag: x.tag, value: fromJco(c.type, x.val) };
    }
    case "option": return v === undefined || v === null ? { tag: "none" } : { tag: "some", value: fromJco(t.type, v) };
    case "list": return t.elem.kind === "u8" ? v : Array.from(v as ArrayLike<unknown>, (x) => fromJco(t.elem, x));
    default: return v;
  }
}

/** Deep copy with plain prototypes (fast-check's records have none; decisions are plain). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

test(`rules guest on jco/V8 == on this interpreter, random rule sets and contexts (${RUNS} cases)`, async () => {
  const bytes = componentBytes("rules-guest");
  const { files } = await transpileBytes(bytes, { name: "rules", emitTypescriptDeclarations: false, noComponentErrorWrapping: false });
  const dir = tempDir("pureflow-rules-jco-");
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  writeFileSync(join(dir, "package.json"), '{"type":"module"}');
  const mod = (await import(pathToFileURL(join(dir, "rules.js")).href)) as { rules: { evaluate(rs: unknown, ctx: unknown): unknown } };
  const guest = RuleComponent.fromComponentBytes(bytes);
  let decisions = 0;
  fc.assert(
    fc.property(ruleSet, context, (rs, ctx) => {
      const rsValue = ruleSetToValue(rs);
      const ctxValue = contextToValue(ctx);
      const ours = guest.evaluateWitValues(rsValue, ctxValue);
      let reference: unknown;
      try {
        reference = { tag: "ok", value: fromJco(ruleDecisionType, mod.rules.evaluate(toJco(ruleSetType, rsValue), toJco(evalContextType, ctxValue))) };
      } catch (e) {
        const payload = (e as { payload?: unknown }).payload;
        if (payload === undefined) throw e;
        reference = { tag: "err", value: fromJco(ruleErrorType, payload) };
      }
      const expected = decisionFromEvaluateResult(reference as Value);
      assert.equal(plain(ours.decision), plain(expected), ours.error ? String(ours.error) : "decisions differ");
      decisions++;
    }),
    { numRuns: RUNS },
  );
  console.log(`# rules jco differential: ${decisions} decisions identical on jco (V8) and this interpreter`);
});

test.run();
