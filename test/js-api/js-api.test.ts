// The official WebAssembly JS API tests (vendor/js-api, from WebAssembly/spec test/js-api) with our
// namespace installed as the `WebAssembly` global, one worker per file with a timeout. Guards
// against regressions: per file, at least the committed number of subtests pass, and every
// subtest listed in baseline.json (those Node's own engine and ours both passed when it was
// written by `npm run jsapi -- --write-baseline`) still passes. limits.any.js (modules of a million
// entries; minutes on any engine) runs only in `npm run jsapi`.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { jsApiFiles, passed, runFile } from "./harness.js";
import type { FileResult } from "./harness.js";

const baseline = JSON.parse(readFileSync(new URL("./baseline.json", import.meta.url), "utf8")) as Record<string, { total: number; node: number; ours: number; both: string[] }>;
const files = jsApiFiles().filter((f) => f !== "limits.any.js");

const results: FileResult[] = [];
for (let i = 0; i < files.length; i += 2) results.push(...(await Promise.all(files.slice(i, i + 2).map((f) => runFile(f, "ours", 60_000)))));
let ours = 0, node = 0, total = 0;
for (const r of results) {
  const b = baseline[r.file];
  ours += passed(r).size;
  node += b?.node ?? 0;
  total += b?.total ?? r.subtests.length;
}
console.log(`# js-api (without limits.any.js): ours ${ours} of ${total} subtests pass; Node's engine ${node} (baseline.json)`);

test("every vendored test file has a baseline", () => {
  for (const f of files) assert.ok(baseline[f] !== undefined, `${f} missing from baseline.json`);
});

for (const r of results) {
  test(`${r.file}: no subtest that passed before fails now`, () => {
    const b = baseline[r.file]!;
    const p = passed(r);
    const lost = b.both.filter((s) => !p.has(s));
    const why = lost.map((s) => `${JSON.stringify(s)}: ${r.subtests.find((x) => x.name === s)?.message ?? "not run"}`);
    assert.equal(lost.length, 0, `harness: ${r.harness}; now failing:\n${why.join("\n")}`);
    assert.ok(p.size >= b.ours, `${p.size} subtests pass, baseline ${b.ours}`);
  });
}

test.run();
