// Runs every uvu test file under test/ (files named *.test.ts), each in its own Node process
// with tsx as the TypeScript loader, PUREFLOW_TEST_JOBS at a time (default: 2, or 1 on a
// one-core machine). Results are printed in file order, each file's output as one block.
// Lines a test prints starting with "# " are echoed. A test that could not run is registered as
// skipped (uvu's test.skip) and its file prints "# SKIP <reason>"; the summary counts skips per
// reason. The closing line is always "N passed, N failed, N skipped"; before it, the slowest files
// by wall time with their CPU time (the file's process and the processes it waited for, through
// scripts/test-cpu-hook.mjs), PUREFLOW_TEST_TIMES of them (default 10; "all" for every file).
// Slow suites run a quick slice by default; `--full` sets PUREFLOW_TEST_FULL=1 for the test
// processes, which then run their full sizes (test/helpers/slice.ts).
// Usage: node scripts/run-tests.mjs [--full] [substring-filter ...]
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const full = args.includes("--full");
const filters = args.filter((a) => a !== "--full");
const cpuHook = new URL("./test-cpu-hook.mjs", import.meta.url).href;
const CPU_LINE = /^#pureflow-cpu ([\d.]+) ([\d.]+)$/gm;
const jobs = Math.max(1, Number(process.env.PUREFLOW_TEST_JOBS) || Math.min(2, availableParallelism()));

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

/** One reason per kind of skip, so the summary groups them (`../shared not found`, ...). */
function skipReason(line) {
  const text = line.replace(/^# SKIP\s*/, "");
  if (/PUREFLOW_SHARED/.test(text)) return "../shared not found (set PUREFLOW_SHARED to the shared folder)";
  return text;
}

function runFile(file) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ["--import", "tsx", "--import", cpuHook, "--stack-size=4000", file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: "0", ...(full ? { PUREFLOW_TEST_FULL: "1" } : {}) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d) => { out += d; });
    child.stderr.setEncoding("utf8").on("data", (d) => { out += d; });
    child.on("close", (status, signal) => resolve({ file, out, status, signal, secs: (Date.now() - t0) / 1000 }));
    child.on("error", (e) => resolve({ file, out: out + String(e), status: null, signal: null, secs: (Date.now() - t0) / 1000 }));
  });
}

const files = walk(join(root, "test")).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
let passedTests = 0, failedTests = 0, skippedTests = 0;
const skipsByReason = new Map();
const failedFiles = [];
const started = Date.now();

/** Wall and CPU seconds per file, for the closing table. */
const timings = [];

function report(r) {
  const rel = relative(root, r.file);
  // the last such line is the test process's own (a thread or child that loaded the hook too
  // would have written its line earlier)
  const cpu = [...r.out.matchAll(CPU_LINE)].at(-1);
  const cpuSecs = cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined;
  timings.push({ rel, wall: r.secs, cpu: cpuSecs });
  const out = r.out.replace(/\n?#pureflow-cpu [^\n]*(\n|$)/g, "\n");
  // uvu prints "  Total:     N", "  Passed:    N", "  Skipped:   N"
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const ok = r.status === 0;
  passedTests += passed;
  skippedTests += skipped;
  // uvu's Total does not include skipped tests
  const failed = Math.max(0, total - passed);
  failedTests += failed + (ok || failed > 0 ? 0 : 1);
  const lines = out.split("\n");
  const reasons = [...new Set(lines.filter((l) => l.startsWith("# SKIP")).map(skipReason))];
  if (skipped > 0) {
    const reason = reasons.length > 0 ? reasons.join("; ") : `test.skip in ${rel} (no reason printed)`;
    skipsByReason.set(reason, (skipsByReason.get(reason) ?? 0) + skipped);
  }
  const counts = `${passed}/${total} passed${skipped > 0 ? `, ${skipped} skipped` : ""}`;
  const cpuText = cpuSecs === undefined ? "" : `, cpu ${cpuSecs.toFixed(1)}s`;
  const block = [`${ok ? "ok  " : "FAIL"} ${rel} (${counts}, ${r.secs.toFixed(1)}s${cpuText})`];
  for (const line of lines) if (line.startsWith("# ")) block.push("    " + line);
  if (!ok) {
    failedFiles.push(rel);
    if (r.signal) block.push(`    | killed by ${r.signal}`);
    block.push(lines.map((l) => "    | " + l).join("\n"));
  }
  console.log(block.join("\n"));
}

// run `jobs` files at a time; print each file's block in file order as soon as it and all before it are done
const results = new Array(files.length);
let nextToStart = 0;
let nextToPrint = 0;
async function worker() {
  while (nextToStart < files.length) {
    const i = nextToStart++;
    results[i] = await runFile(files[i]);
    while (nextToPrint < files.length && results[nextToPrint] !== undefined) {
      report(results[nextToPrint]);
      results[nextToPrint] = null;
      nextToPrint++;
    }
  }
}
await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, files.length)) }, worker));

const shown = process.env.PUREFLOW_TEST_TIMES === "all" ? timings.length : Number(process.env.PUREFLOW_TEST_TIMES ?? 10) || 0;
if (shown > 0 && timings.length > 1) {
  const cpuTotal = timings.reduce((a, t) => a + (t.cpu ?? 0), 0);
  console.log(`\nslowest files (wall s, cpu s; ${cpuTotal.toFixed(0)} s of CPU in all${full ? ", --full" : ""}):`);
  for (const t of [...timings].sort((a, b) => b.wall - a.wall).slice(0, shown)) {
    console.log(`  ${t.wall.toFixed(1).padStart(6)} ${t.cpu === undefined ? "     ?" : t.cpu.toFixed(1).padStart(6)}  ${t.rel}`);
  }
  // `npm test` must stay under 5 minutes on a quiet 2-core machine: about CPU / 2 of wall time plus
  // the build. Over the budget (or one file over its share), say so; the fix is a quick slice
  // (test/helpers/slice.ts) with the full size behind --full. A warning, not a failure: CPU
  // time grows somewhat on a loaded machine.
  if (!full && filters.length === 0) {
    const budget = Number(process.env.PUREFLOW_TEST_CPU_BUDGET ?? 500);
    if (cpuTotal > budget) console.log(`WARNING: ${cpuTotal.toFixed(0)} s of CPU is over the ${budget} s budget of npm test (under 5 minutes on 2 quiet cores): slice the slowest files (test/helpers/slice.ts)`);
    for (const t of timings) if ((t.cpu ?? 0) > budget / 8) console.log(`WARNING: ${t.rel} used ${t.cpu.toFixed(0)} s of CPU, over an eighth of the budget: give it a quick slice (test/helpers/slice.ts)`);
  }
}
console.log(`\n${files.length} test files in ${((Date.now() - started) / 1000).toFixed(1)}s (${jobs} at a time)${failedFiles.length ? "; failing files: " + failedFiles.join(", ") : ""}`);
for (const [reason, n] of [...skipsByReason].sort((a, b) => b[1] - a[1])) console.log(`${n} skipped: ${reason}`);
console.log(`${passedTests} passed, ${failedTests} failed, ${skippedTests} skipped`);
process.exit(failedFiles.length === 0 && files.length > 0 ? 0 : 1);
