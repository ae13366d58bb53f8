/**
 * `npm run bench [-- --json out.json] [--quick] [--reps N] [--only name,...]`: the benchmark suite
 * (issues 6 and 11). See bench/README.md for the workloads and the method.
 *
 * Sections: (1) compute workloads: the five old ones of sharedDir()/bench and the real programs of
 * bench/workloads (C and Rust, built by `npm run bench:build`), each measured in its own fresh
 * `node` process (bench/child.ts, with `--trace-deopt --trace-opt`): our cold first call, our
 * steady state, V8 warm, V8 on fresh instances, fuel overhead, instruction count, and the dispatch
 * loop's deoptimisations; (2) CoreMark with its own harness and a real clock, a fresh process per
 * engine; (3) startup (`new Module` + `new Instance`, imports stubbed) of the real modules, fresh
 * process and warm, ours and V8; (4) component rows, worker pool, decode+validate+translate speed.
 * `--only` takes workload names and section names (mixed, detached, coremark, startup, component, calls, pool, replay, packages, compile, cli).
 * (1b) `mixed`: all workloads in one process (a host running many guests), each one's steady state there.
 * (1c) `detached`: the real programs again, ours only, in a process where an ArrayBuffer was
 * detached first (V8 then checks every typed-array access; bench/v8-worker.ts).
 * Benchmarks are not tests: nothing here fails on a slow figure, but a result that differs from
 * V8's is printed as MISMATCH and makes the exit code 1.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { projectRoot, sharedDirOrSkip } from "../test/helpers/shared.js";
import { loadOurInterpreter } from "../scripts/spec/our-engine.js";
import { componentRows } from "./component.js";
import { callRows, type CallRow } from "./calls.js";
import { poolRows, snapshotRows } from "./pool.js";
import { replayRows } from "./replay.js";
import { packageRows } from "./packages.js";
import { compileSpeed } from "./compile-speed.js";
import { fmt, median } from "./stats.js";
import { cliStartupRows, type CliStartupRow } from "./cli-startup.js";
import { runCoremark, runDetached, runMixed, runStartupMedians, runWorkload, workloadSpecs } from "./workloads.js";
import type { CoremarkRow, DetachedRow, MixedRow, StartupMedianRow, WorkloadRow } from "./workloads.js";

const argv = process.argv.slice(2);
let jsonOut: string | undefined;
let quick = false;
let reps: number | undefined;
let only: string[] | undefined;
let fuel = true;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--json") jsonOut = argv[++i];
  else if (a === "--quick") quick = true;
  else if (a === "--reps") reps = Number(argv[++i]);
  else if (a === "--only") only = argv[++i].split(",");
  else if (a === "--no-fuel") fuel = false;
  else {
    console.error(`bench: unknown option ${a} (options: --json FILE, --quick, --reps N, --only a,b, --no-fuel)`);
    process.exit(2);
  }
}
const R = reps ?? (quick ? 2 : 4);
const W = quick ? 1 : 2;
const wanted = (name: string): boolean => only === undefined || only.includes(name);
const pad = (s: string, n: number): string => s.padStart(n);
const started = performance.now();
let mismatches = 0;

const machine = `node ${process.version}, ${(await import("node:os")).cpus().length} cores, load average ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}`;
console.log(`pureflow-wasm bench (${machine})`);

// (1) compute workloads
const rows: WorkloadRow[] = [];
const benchDir = sharedDirOrSkip("bench", "the five old workloads, CoreMark and the startup modules");
const specs = workloadSpecs(projectRoot, benchDir).filter((s) => wanted(s.name));
if (specs.length > 0) {
  console.log(`\ncompute workloads: one fresh process each; ours ${W} warm-up + ${R} timed runs, interleaved with V8 (in a worker thread); CPU ms, medians`);
  console.log(
    `${"workload".padEnd(9)}${"lang".padEnd(8)}${pad("instr M", 8)}${pad("V8 warm", 9)}${pad("V8 fresh", 9)}${pad("ours", 9)}${pad("x V8", 7)}${pad("x fresh", 8)}${pad("Minstr/s", 9)}${pad("fuel+", 7)}${pad("cold", 9)}${pad("cold/st", 8)}${pad("deopt", 6)}${pad("opt", 4)}  result`,
  );
  for (const spec of specs) {
    let r: WorkloadRow;
    try {
      r = runWorkload(projectRoot, spec, R, W, fuel);
    } catch (e) {
      console.log(`${spec.name.padEnd(9)}FAILED: ${(e as Error).message}`);
      mismatches++;
      continue;
    }
    rows.push(r);
    if (r.mismatches.length > 0) mismatches++;
    const tsv = r.countsTsv !== undefined && r.countsTsv !== r.instructions ? ` (counts.tsv ${r.countsTsv})` : "";
    console.log(
      `${spec.name.padEnd(9)}${spec.lang.padEnd(8)}${pad(fmt(r.instructions / 1e6, 1), 8)}${pad(fmt(r.v8Ms, 2), 9)}${pad(fmt(r.v8FreshMs, 2), 9)}${pad(fmt(r.oursMs, 0), 9)}${pad(fmt(r.slowdown, 1), 7)}${pad(fmt(r.slowdownFresh, 1), 8)}${pad(fmt(r.mips, 0), 9)}${pad(r.fuelOverhead === undefined ? "-" : fmt(r.fuelOverhead * 100, 0) + "%", 7)}${pad(fmt(r.cold.cpu, 0), 9)}${pad(fmt(r.coldRatio, 2), 8)}${pad(String(r.loop.deopts), 6)}${pad(String(r.loop.optimizations), 4)}  ${r.result}${tsv}${r.mismatches.length > 0 ? "  MISMATCH: " + r.mismatches.join("; ") : ""}`,
    );
  }
  const summary = (label: string, rs: WorkloadRow[]): void => {
    if (rs.length === 0) return;
    const sd = rs.map((r) => r.slowdown).sort((a, b) => a - b);
    const cold = rs.map((r) => r.coldRatio).sort((a, b) => a - b);
    console.log(`${label}: x V8 (warm) median ${fmt(median(sd))}, worst ${fmt(sd[sd.length - 1])}; cold/steady median ${fmt(median(cold), 2)}, worst ${fmt(cold[cold.length - 1], 2)}`);
  };
  summary("old five", rows.filter((r) => r.lang === "c (old)"));
  summary("real programs", rows.filter((r) => r.lang !== "c (old)"));
  const deopts = rows.reduce((s, r) => s + r.loop.deopts, 0), opts = rows.reduce((s, r) => s + r.loop.optimizations, 0);
  const compileMs = rows.reduce((s, r) => s + r.loop.compileMs, 0);
  console.log(`dispatch loop (function \`loop\`) over these ${rows.length} processes: ${deopts} deoptimisations, ${opts} optimisations (TurboFan compile time ${fmt(compileMs / 1000, 1)} s)`);
  const reasons = new Map<string, number>();
  for (const r of rows) for (const x of r.loop.reasons) reasons.set(x, (reasons.get(x) ?? 0) + 1);
  for (const [x, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} x ${x}`);
  console.log(
    "columns: instr = wasm instructions of one run (our fuel counter, \"instructions\" costs); V8 warm = CPU time per run on a warm, tiered-up instance (batches >= 20 ms); V8 fresh = first run on a new instance of the warm module (what the old bench measured: memory first-touch included); ours = our steady state, fuel off; x V8 / x fresh = ours / those; fuel+ = fuel on (wasmtime costs) vs off; cold = our first call in the fresh process (CPU ms; wall in --json); deopt/opt = the dispatch loop's deoptimisations / TurboFan optimisations in that process (V8 --trace-deopt/--trace-opt)",
  );
}

// (1b) the same workloads in ONE process: what a host running many guests sees (the dispatch loop
// has met every workload's ops, so its optimised code is the one for all of them)
let mixedRows: MixedRow[] = [];
if (benchDir !== undefined && (only === undefined ? !quick : only.includes("mixed"))) {
  const all = workloadSpecs(projectRoot, benchDir);
  const mspecs = only !== undefined && all.some((s) => only!.includes(s.name)) ? all.filter((s) => only!.includes(s.name)) : all;
  const mreps = Math.max(R, 4);
  console.log(`\nmixed: the ${mspecs.length} workloads in ONE fresh process (each called once in turn, then ${W} warm-up and ${mreps} timed rounds over all; CPU ms, medians)`);
  try {
    const m = runMixed(projectRoot, mspecs, mreps, W);
    mixedRows = m.rows;
    console.log(`${"workload".padEnd(9)}${pad("alone", 8)}${pad("mixed", 8)}${pad("m/alone", 8)}${pad("x V8", 7)}${pad("first", 8)}`);
    for (const x of m.rows) {
      const alone = rows.find((r) => r.workload === x.workload);
      const ref = alone?.result;
      if (ref !== undefined && ref !== x.result) {
        mismatches++;
        console.log(`${x.workload.padEnd(9)}MISMATCH: ${x.result} here, ${ref} alone`);
      }
      console.log(
        `${x.workload.padEnd(9)}${pad(alone === undefined ? "-" : fmt(alone.oursMs, 0), 8)}${pad(fmt(x.steadyMs, 0), 8)}${pad(alone === undefined ? "-" : fmt(x.steadyMs / alone.oursMs, 2), 8)}${pad(alone === undefined ? "-" : fmt(x.steadyMs / alone.v8Ms, 1), 7)}${pad(fmt(x.first, 0), 8)}`,
      );
    }
    const paired = m.rows.map((x) => [x, rows.find((r) => r.workload === x.workload)] as const).filter((p): p is readonly [MixedRow, WorkloadRow] => p[1] !== undefined);
    if (paired.length > 0) {
      const ratio = paired.map(([x, a]) => x.steadyMs / a.oursMs).sort((a, b) => a - b);
      const real = paired.filter(([, a]) => a.lang !== "c (old)").map(([x, a]) => x.steadyMs / a.v8Ms).sort((a, b) => a - b);
      console.log(`mixed / alone (steady): median ${fmt(median(ratio), 2)}, worst ${fmt(ratio[ratio.length - 1]!, 2)}${real.length > 0 ? `; real programs x V8 (warm) in the mixed process: median ${fmt(median(real))}, worst ${fmt(real[real.length - 1]!)}` : ""}`);
    }
    console.log(`dispatch loop in that process: ${m.loop.deopts} deoptimisations, ${m.loop.optimizations} optimisations (TurboFan compile time ${fmt(m.loop.compileMs / 1000, 1)} s)`);
    console.log("columns: alone = steady state in the workload's own process (the table above); mixed = steady state in the shared process; first = its first call there (CPU ms)");
  } catch (e) {
    console.log(`  FAILED: ${(e as Error).message}`);
    mismatches++;
  }
}

// (1c) the real programs after a detach: V8's optimised code then checks every typed-array access
// for a detached buffer, for the rest of the process (bench/v8-worker.ts)
const detachedRows: DetachedRow[] = [];
if (rows.length > 0 && (only === undefined ? !quick : only.includes("detached"))) {
  const dspecs = workloadSpecs(projectRoot, benchDir).filter((s) => s.lang !== "c (old)" && rows.some((r) => r.workload === s.name));
  console.log(`\ndetached: the real programs, ours only, in a fresh process where an ArrayBuffer was detached first (a host that transferred one, or grew a memory whose buffer it had read); ${W} warm-up + ${Math.min(R, 3)} timed runs, CPU ms, medians`);
  console.log(`${"workload".padEnd(9)}${pad("clean", 8)}${pad("detached", 10)}${pad("d/clean", 8)}${pad("x V8", 7)}${pad("cold", 8)}${pad("deopt", 6)}`);
  for (const spec of dspecs) {
    const clean = rows.find((r) => r.workload === spec.name)!;
    let d: DetachedRow;
    try {
      d = runDetached(projectRoot, spec, Math.min(R, 3), W);
    } catch (e) {
      console.log(`${spec.name.padEnd(9)}FAILED: ${(e as Error).message}`);
      mismatches++;
      continue;
    }
    detachedRows.push(d);
    const bad = d.result !== clean.result ? `  MISMATCH: ${d.result} here, ${clean.result} in its row` : "";
    if (bad !== "") mismatches++;
    console.log(`${spec.name.padEnd(9)}${pad(fmt(clean.oursMs, 0), 8)}${pad(fmt(d.oursMs, 0), 10)}${pad(fmt(d.oursMs / clean.oursMs, 2), 8)}${pad(fmt(d.oursMs / clean.v8Ms, 1), 7)}${pad(fmt(d.cold.cpu, 0), 8)}${pad(String(d.loop.deopts), 6)}${bad}`);
  }
  if (detachedRows.length > 0) {
    const paired = detachedRows.map((d) => [d, rows.find((r) => r.workload === d.workload)!] as const);
    const ratio = paired.map(([d, c]) => d.oursMs / c.oursMs).sort((a, b) => a - b);
    const x = paired.map(([d, c]) => d.oursMs / c.v8Ms).sort((a, b) => a - b);
    console.log(`detached / clean: median ${fmt(median(ratio), 2)}, worst ${fmt(ratio[ratio.length - 1]!, 2)}; x V8 (warm) after a detach: median ${fmt(median(x))}, worst ${fmt(x[x.length - 1]!)}`);
  }
}

// (2) CoreMark
let coremark: CoremarkRow[] = [];
if (benchDir !== undefined && (only === undefined ? !quick : only.includes("coremark"))) {
  console.log("\nCoreMark 1.0 (coremark.wasm, its own harness: env.clock_ms = real clock, run() -> score), a fresh process per engine:");
  const file = join(benchDir, "real", "coremark.wasm");
  try {
    coremark = [runCoremark(projectRoot, file, "v8"), runCoremark(projectRoot, file, "ours")];
    const [v, o] = coremark;
    for (const c of coremark) console.log(`  ${c.engine.padEnd(5)} score ${fmt(c.score, 1).padStart(9)}${c.score === 0 ? " (INVALID: its timed run was too short)" : ""}  (run() took ${fmt(c.wallMs / 1000, 1)} s wall, ${fmt(c.cpuMs / 1000, 1)} s CPU${c.engine === "ours" ? `; loop deopts ${c.loop.deopts}, optimisations ${c.loop.optimizations}` : ""})`);
    if (v.score > 0 && o.score > 0) console.log(`  ours / V8 = 1/${fmt(v.score / o.score, 1)}`);
  } catch (e) {
    console.log(`  FAILED: ${(e as Error).message}`);
  }
}

// (3) startup
const startup: StartupMedianRow[] = [];
if (benchDir !== undefined && wanted("startup")) {
  const mods = ["erc20", "bz2", "pulldown-cmark", "spidermonkey"];
  const sreps = quick ? 6 : 16;
  const sprocs = quick ? 1 : 3;
  console.log(`\nstartup: new Module + new Instance (imports stubbed, a fresh custom section per compile), ms; "fresh" = the first in a new process, "early" = median of the next 3, "warm" = median of the last ${sreps / 2} of ${sreps} more; each the median of ${sprocs} fresh process${sprocs === 1 ? "" : "es"} per engine (alternated)`);
  console.log(`${"module".padEnd(16)}${pad("KB", 6)}${pad("ours fresh", 12)}${pad("V8 fresh", 10)}${pad("x", 7)}${pad("ours early", 12)}${pad("ours warm", 11)}${pad("V8 warm", 9)}${pad("x", 7)}   (CPU ms; wall ms in brackets)`);
  for (const m of mods) {
    const file = join(benchDir, "real", `${m}.wasm`);
    try {
      const { ours: o, v8: v } = runStartupMedians(projectRoot, file, sreps, sprocs);
      startup.push(o, v);
      console.log(
        `${m.padEnd(16)}${pad(fmt(o.bytes / 1024, 0), 6)}${pad(fmt(o.first.cpu, 1), 12)}${pad(fmt(v.first.cpu, 1), 10)}${pad(fmt(o.first.cpu / v.first.cpu, 1), 7)}${pad(fmt(o.early.cpu, 1), 12)}${pad(fmt(o.warm.cpu, 1), 11)}${pad(fmt(v.warm.cpu, 1), 9)}${pad(fmt(o.warm.cpu / v.warm.cpu, 1), 7)}   [ours ${fmt(o.first.wall, 0)} / ${fmt(o.warm.wall, 0)}, V8 ${fmt(v.first.wall, 0)} / ${fmt(v.warm.wall, 0)}]`,
      );
    } catch (e) {
      console.log(`${m.padEnd(16)}FAILED: ${(e as Error).message}`);
    }
  }
  console.log("  (CPU time of the whole process: V8's background compile threads count too, so its CPU time can exceed its wall time; wall time is inflated by other processes on a shared machine)");
  if (sprocs > 1) console.log(`  ours fresh, each process (CPU ms): ${startup.filter((r) => r.engine === "ours").map((r) => `${r.module} ${r.firstCpuAll.map((x) => fmt(x, 1)).join(" / ")}`).join("; ")}`);
}

const ours = await loadOurInterpreter();
let comp: Awaited<ReturnType<typeof componentRows>> | undefined;
if (wanted("component")) {
  console.log("\ncomponent rows (host API):");
  comp = await componentRows(projectRoot, quick);
  for (const c of comp.rows) console.log(`  ${c.name}: ${fmt(c.value, 1)} ${c.unit} (${c.detail})`);
  for (const s of comp.skipped) console.log(`  SKIPPED ${s}`);
}

let calls: CallRow[] | undefined;
if (wanted("calls")) {
  console.log("\ncalls across the host boundary (CPU ns per call, medians of 5 batches, parent process):");
  calls = callRows(ours, quick);
  for (const c of calls) console.log(`  ${c.name.padEnd(48)} ours ${fmt(c.oursNs, 0).padStart(6)}  V8 ${fmt(c.v8Ns, 0).padStart(5)}  x${fmt(c.oursNs / c.v8Ns, 1)}`);
}

let pool: Awaited<ReturnType<typeof poolRows>> | undefined;
if (wanted("pool")) {
  console.log("\nworker pool (issue 18):");
  pool = await poolRows(projectRoot, quick);
  for (const c of pool) console.log(`  ${c.name}: ${fmt(c.value, 1)} ${c.unit} (${c.detail})`);
}
let snapshots: ReturnType<typeof snapshotRows> | undefined;
if (wanted("pool")) {
  snapshots = snapshotRows(projectRoot, quick);
  for (const c of snapshots) console.log(`  ${c.name}: ${fmt(c.value, 1)} ${c.unit} (${c.detail})`);
}

let replayFigures: ReturnType<typeof replayRows> | undefined;
if (wanted("replay")) {
  console.log("\nreplay (issue 16): recording overhead, execution snapshots of a 16 MiB memory:");
  replayFigures = replayRows(projectRoot, quick);
  for (const c of replayFigures) console.log(`  ${c.name}: ${fmt(c.value, 2)} ${c.unit} (${c.detail})`);
}

let packages: Awaited<ReturnType<typeof packageRows>> | undefined;
if (wanted("packages")) {
  // real npm packages that ship wasm, each through its own API in its own process (issue 13)
  console.log(`\nnpm packages through pureflow-wasm/polyfill (${quick ? "quick" : "full"} workloads; import + compile + work, ms):`);
  packages = await packageRows(quick);
  for (const p of packages) {
    console.log(`  ${p.name.padEnd(18)} ${p.kind.slice(0, 40).padEnd(40)} V8 ${fmt(p.v8Ms, 0).padStart(7)}  ours ${fmt(p.oursMs, 0).padStart(8)}  x${fmt(p.ratio, 1)}  ${p.agree ? "agree" : `DIFFER ${p.error ?? ""}`}`);
    if (!p.agree) mismatches++;
  }
}

let cs: Awaited<ReturnType<typeof compileSpeed>> | undefined;
if (wanted("compile")) {
  console.log("\ndecode + validate + translate:");
  cs = await compileSpeed(projectRoot, ours, quick ? 1 : 3);
  if (typeof cs === "string") console.log(`  SKIPPED ${cs}`);
  else
    console.log(
    `  ${cs.file} (${fmt(cs.bytes / 1e6, 2)} MB): decode+validate ${fmt(cs.decodeValidateMs)} ms, translate ${fmt(cs.translateMs)} ms => ${fmt(cs.mbPerS)} MB/s (V8 new WebAssembly.Module: ${fmt(cs.v8CompileMs)} ms)${cs.note ? " " + cs.note : ""}`,
    );
}

let cli: CliStartupRow[] | undefined;
if (wanted("cli")) {
  // the uppercase CLI run in a fresh process (issue 11: <= 120 ms wall), next to node -e 0; the library's import
  console.log(`\nCLI: the uppercase run in a fresh process vs node -e 0, and the library's import (medians, ms; issue 11 target <= 120 wall)`);
  cli = cliStartupRows(projectRoot, quick ? 5 : 20);
  for (const r of cli) {
    console.log(`  ${r.name.padEnd(32)} wall ${fmt(r.wallMs)}  CPU ${fmt(r.cpuMs)}  to exit ${fmt(r.toExitMs)}${r.mismatch ? "  MISMATCH" : ""}`);
    if (r.mismatch) mismatches++;
  }
}

console.log(`\nbench took ${fmt((performance.now() - started) / 1000, 0)} s${mismatches > 0 ? `; ${mismatches} workload(s) FAILED or gave a result different from V8's` : ""}`);
if (jsonOut !== undefined) {
  const data = { node: process.version, machine, date: new Date().toISOString(), reps: R, warmup: W, workloads: rows, mixed: mixedRows, detached: detachedRows, coremark, startup, component: comp, calls, pool, snapshots, replay: replayFigures, packages, compile: cs, cli };
  writeFileSync(jsonOut, JSON.stringify(data, null, 1));
  console.log(`\nwrote ${resolve(jsonOut)}`);
}
if (mismatches > 0) process.exitCode = 1;
