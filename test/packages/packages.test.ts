// Issue 13, real packages unchanged: six popular npm packages that ship WebAssembly (hashing, SQL,
// compression, a tokenizer, a regex engine, an image codec), each driven through its own public
// API (drivers.ts) once on Node's WebAssembly and once with pureflow-wasm/polyfill installed in
// its place, each run in its own process; the outputs must agree byte for byte (SHA-256 of all
// outputs). Quick workloads of four packages here (brotli-wasm and @dqbd/tiktoken spend 20-45 s
// in their initialisation on our engine: PUREFLOW_PACKAGES=all adds them); `npx tsx
// bench/packages.ts` runs the full workloads of all six.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { drivers } from "./drivers.js";
import { runPackage } from "./spawn.js";
import type { PackageRun } from "./spawn.js";

const results = new Map<string, [PackageRun, PackageRun]>();
const SLOW = new Set(["brotli-wasm", "@dqbd/tiktoken"]);
const all = process.env.PUREFLOW_PACKAGES === "all";
const chosen = drivers.filter((d) => all || !SLOW.has(d.name));
if (!all) console.log(`# packages: ${[...SLOW].join(", ")} run only with PUREFLOW_PACKAGES=all (slow initialisation)`);
const names = chosen.map((d) => d.name);
for (let i = 0; i < names.length; i += 2) {
  await Promise.all(names.slice(i, i + 2).map(async (n) => {
    const native = await runPackage(n, "native", "quick");
    const ours = await runPackage(n, "ours", "quick");
    results.set(n, [native, ours]);
  }));
}
for (const [n, [a, b]] of results) console.log(`# package ${n}: ${a.ok && b.ok && a.sha256 === b.sha256 ? "agree" : "DIFFER"} (${b.bytes ?? 0} output bytes; process time native ${Math.round(a.ms)} ms, ours ${Math.round(b.ms)} ms)`);

for (const d of chosen) {
  test(`${d.name} (${d.kind}): same output bytes on Node's engine and through the polyfill`, () => {
    const [a, b] = results.get(d.name)!;
    assert.ok(a.ok, `native run failed: ${a.error}`);
    assert.ok(b.ok, `our run failed: ${b.error}`);
    assert.ok(a.bytes! > 0);
    assert.is(b.sha256, a.sha256);
    assert.is(b.bytes, a.bytes);
  });
}

test.run();
