// Runs every uvu test file under test/ (files named *.test.ts), each in its own Node process
// with tsx as the TypeScript loader, and prints one closing line "N passed, N failed".
// Usage: node scripts/run-tests.mjs [substring-filter ...]
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

const files = walk(join(root, "test")).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
let passedTests = 0, failedTests = 0, skippedTests = 0;
const failedFiles = [];
const started = Date.now();
for (const file of files) {
  const rel = relative(root, file);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", "--stack-size=4000", file], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  // uvu prints "  Total:     N", "  Passed:    N", "  Skipped:   N"
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const ok = r.status === 0;
  passedTests += passed;
  skippedTests += skipped;
  failedTests += Math.max(0, total - passed - skipped) + (ok || total - passed - skipped > 0 ? 0 : 1);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`${ok ? "ok  " : "FAIL"} ${rel} (${passed}/${total} passed, ${secs}s)`);
  // Lines a test prints on purpose (loud skips, summaries) start with '#'.
  for (const line of out.split("\n")) if (line.startsWith("# ")) console.log("    " + line);
  if (!ok) {
    failedFiles.push(rel);
    console.log(out.split("\n").map((l) => "    | " + l).join("\n"));
  }
}
console.log(`\n${files.length} test files in ${((Date.now() - started) / 1000).toFixed(1)}s${failedFiles.length ? "; failing files: " + failedFiles.join(", ") : ""}`);
console.log(`${passedTests} passed, ${failedTests} failed, ${skippedTests} skipped`);
process.exit(failedFiles.length === 0 && files.length > 0 ? 0 : 1);
