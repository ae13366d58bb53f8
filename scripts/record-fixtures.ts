/**
 * `npm run records`: writes a replay record (docs/replay.md) of every fixture component, good and
 * hostile, to fixtures/records/<path>.json, all on the uppercase guest's test inputs with small
 * limits (2,000,000 fuel, 64 memory pages) so that loops and memory hogs end quickly.
 * test/replay/records.test.ts replays them all; re-run this after a change that is meant to
 * alter an outcome (and say so in the commit), or after a version bump.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ExecutionLimits } from "../src/index.js";
import { recordInvocation } from "../src/replay/record.js";
import { projectRoot } from "../test/helpers/shared.js";

/** The limits every fixture record is made with. */
export const RECORD_LIMITS = ExecutionLimits.new(2_000_000).withMaxMemoryPages(64);

/** Every fixture component: [record name, path]. */
export function fixtureComponents(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== "records") walk(p);
      } else if (name === "component.wasm" || name === "module.wasm") out.push([relative(join(projectRoot, "fixtures"), dir).replaceAll("/", "--"), p]);
    }
  };
  walk(join(projectRoot, "fixtures"));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const inputs = readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8");
  const dir = join(projectRoot, "fixtures", "records");
  mkdirSync(dir, { recursive: true });
  for (const [name, path] of fixtureComponents()) {
    const record = { ...recordInvocation(readFileSync(path), inputs, { limits: RECORD_LIMITS }), componentPath: relative(dir, path) };
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 1) + "\n");
    console.log(`${name}: ${record.outcome.status === "ok" ? "ok" : record.outcome.error.code + " " + record.outcome.error.message.slice(0, 80)}, fuel ${record.fuel.consumed}`);
  }
}
