/**
 * The component validity differential: for mutated components that our `Component.fromBytes`
 * accepts, wasm-tools (through jco's `componentWit`, which decodes and validates the component)
 * must accept them too. A component we accept and wasm-tools refuses is a finding
 * (`validity-disagreement`): we would run a component the Component Model says is invalid. The
 * other direction is not checked: this host refuses valid features on purpose (async, resources).
 * Tooling only (jco is a dev dependency); runs in this thread because jco's API is asynchronous.
 */
import { Component } from "../../canonical-abi/index.js";
import { makeCase, type FindingRecord } from "./campaign.js";
import type { Corpus } from "./seeds.js";

/** Counts of a differential run. */
export interface OracleTally {
  cases: number;
  /** Cases our decoder accepted (and wasm-tools was asked about). */
  accepted: number;
  /** Accepted by both. */
  agreed: number;
  disagreements: FindingRecord[];
}

type WitFn = (bytes: Uint8Array) => Promise<unknown> | unknown;

/** Runs component cases `start .. start + count - 1` of `seed` through both validators. */
export async function componentOracle(corpus: Corpus, seed: number, start: number, count: number, onFinding?: (f: FindingRecord) => void): Promise<OracleTally> {
  const jco = (await import("@bytecodealliance/jco-transpile/wasm-tools")) as unknown as { componentWit: WitFn };
  const t: OracleTally = { cases: 0, accepted: 0, agreed: 0, disagreements: [] };
  for (let n = start; n < start + count; n++) {
    const c = makeCase(corpus, seed, n, "component");
    t.cases++;
    try {
      Component.fromBytes(c.bytes);
    } catch {
      continue; // refused by us (raw exceptions are the main campaign's business)
    }
    t.accepted++;
    try {
      await jco.componentWit(c.bytes);
      t.agreed++;
    } catch (e) {
      const why = String(e instanceof Error ? e.message : e).split("\n").filter((l) => l.trim() !== "").slice(0, 3).join(" | ");
      const rec: FindingRecord = {
        seed, caseNo: n, target: "component", targetOption: "component", seedName: c.seedName, steps: c.steps,
        finding: { kind: "validity-disagreement", stage: "component decode", detail: `Component.fromBytes accepts a component wasm-tools rejects: ${why}` },
        ms: 0, bytes: c.bytes,
      };
      t.disagreements.push(rec);
      onFinding?.(rec);
    }
  }
  return t;
}
