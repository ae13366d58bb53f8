/**
 * `npm run jsapi [-- --json out.json] [--failures] [file-substring ...]`: the official WebAssembly
 * JS API tests on Node's WebAssembly and on ours; prints subtests passed per file for both, and
 * with --failures every subtest Node passes and we fail, with its message. `--write-baseline`
 * rewrites test/js-api/baseline.json (per-file pass counts and the subtests both engines pass).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsApiFiles, passed, runAll } from "../test/js-api/harness.js";

const argv = process.argv.slice(2);
let jsonOut: string | undefined;
let failures = false;
let writeBaseline = false;
const filters: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === "--json") jsonOut = argv[++i];
  else if (a === "--failures") failures = true;
  else if (a === "--write-baseline") writeBaseline = true;
  else filters.push(a);
}
const files = jsApiFiles().filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
const results = await runAll(files, 300_000, 2);
let tn = 0, to = 0, tt = 0;
const baseline: Record<string, { ours: number; total: number; node: number; both: string[] }> = {};
console.log(`${"file".padEnd(44)}${"subtests".padStart(9)}${"node".padStart(7)}${"ours".padStart(7)}  harness (ours)`);
for (const f of files) {
  const n = results.find((r) => r.file === f && r.engine === "node")!;
  const o = results.find((r) => r.file === f && r.engine === "ours")!;
  const pn = passed(n), po = passed(o);
  const total = Math.max(n.subtests.length, o.subtests.length);
  tn += pn.size; to += po.size; tt += total;
  console.log(`${f.padEnd(44)}${String(total).padStart(9)}${String(pn.size).padStart(7)}${String(po.size).padStart(7)}  ${o.harness}${n.harness === "ok" ? "" : ` (node: ${n.harness})`}`);
  baseline[f] = { total, node: pn.size, ours: po.size, both: [...pn].filter((s) => po.has(s)).sort() };
  if (failures) {
    for (const s of n.subtests) {
      if (s.status !== 0 || po.has(s.name)) continue;
      const m = o.subtests.find((x) => x.name === s.name);
      console.log(`    FAIL ${JSON.stringify(s.name)}: ${m === undefined ? "not run" : (m.message ?? `status ${m.status}`).split("\n")[0]!.slice(0, 300)}`);
    }
  }
}
console.log(`${"total".padEnd(44)}${String(tt).padStart(9)}${String(tn).padStart(7)}${String(to).padStart(7)}`);
if (jsonOut !== undefined) writeFileSync(jsonOut, JSON.stringify(results, null, 1));
if (writeBaseline) {
  const p = join(new URL("..", import.meta.url).pathname, "test/js-api/baseline.json");
  writeFileSync(p, JSON.stringify(baseline, null, 1) + "\n");
  console.log(`wrote ${p}`);
}
