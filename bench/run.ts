/**
 * `npm run bench [-- --json out.json] [--quick] [--reps N] [--only name,...]`: the benchmark suite
 * of issue 6. Core workloads (sharedDir()/bench) on Node's WebAssembly and on our interpreter
 * with fuel off and on, interleaved in this process; component rows through the host API; the
 * decode+validate+translate speed on the largest module at hand. Prints tables; `--json` writes
 * everything measured. Benchmarks are not tests: nothing here fails on a slow figure.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { projectRoot, sharedDirOrSkip } from "../test/helpers/shared.js";
import { loadOurInterpreter } from "../scripts/spec/our-engine.js";
import { componentRows } from "./component.js";
import { poolRows, snapshotRows } from "./pool.js";
import { compileSpeed } from "./compile-speed.js";
import { fmt } from "./stats.js";
import { runWorkload, workloadNames } from "./workloads.js";
import type { WorkloadRow } from "./workloads.js";

const argv = process.argv.slice(2);
let jsonOut: string | undefined;
let quick = false;
let reps: number | undefined;
let only: string[] | undefined;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--json") jsonOut = argv[++i];
  else if (a === "--quick") quick = true;
  else if (a === "--reps") reps = Number(argv[++i]);
  else if (a === "--only") only = argv[++i].split(",");
  else {
    console.error(`bench: unknown option ${a}`);
    process.exit(2);
  }
}
const R = reps ?? (quick ? 2 : 5);
const W = quick ? 1 : 2;

const ours = await loadOurInterpreter();
const rows: WorkloadRow[] = [];
const benchDir = sharedDirOrSkip("bench", "core workloads");
const pad = (s: string, n: number): string => s.padStart(n);
if (benchDir !== undefined) {
  console.log(`core workloads (${benchDir}): ${W} warm-up + ${R} timed runs each, interleaved; median ms`);
  console.log(`${"workload".padEnd(10)}${pad("instr (M)", 11)}${pad("V8 ms", 9)}${pad("ours ms", 10)}${pad("fuel ms", 10)}${pad("M instr/s", 11)}${pad("fuel M/s", 10)}${pad("x V8", 8)}${pad("x V8 fuel", 10)}${pad("fuel ovh", 10)}${pad("vs tsv", 8)}  result`);
  for (const name of workloadNames(benchDir)) {
    if (only !== undefined && !only.includes(name)) continue;
    const r = runWorkload(benchDir, name, ours, R, W);
    rows.push(r);
    const tsv = r.countsTsv === undefined ? "-" : `${fmt((r.instructions / r.countsTsv - 1) * 100, 2)}%`;
    console.log(
      `${name.padEnd(10)}${pad(fmt(r.instructions / 1e6, 2), 11)}${pad(fmt(r.v8Ms, 2), 9)}${pad(fmt(r.oursMs), 10)}${pad(fmt(r.oursFuelMs), 10)}${pad(fmt(r.mips, 0), 11)}${pad(fmt(r.mipsFuel, 0), 10)}${pad(fmt(r.slowdown), 8)}${pad(fmt(r.slowdownFuel), 10)}${pad(fmt(r.fuelOverhead * 100) + "%", 10)}${pad(tsv, 8)}  ${r.result}${r.resultsAgree ? "" : "  RESULTS DIFFER"}`,
    );
  }
  console.log(`instr = our fuel counter with the "instructions" costs (zero-cost nop/drop/block/loop/end/else/return/unreachable are not counted); vs tsv = that count relative to counts.tsv`);
  const sd = rows.map((r) => r.slowdownFuel).sort((a, b) => a - b);
  if (sd.length > 0) console.log(`median slowdown vs V8 with fuel: ${fmt(sd[sd.length >> 1])}x; worst ${fmt(sd[sd.length - 1])}x`);
}

console.log("\ncomponent rows (host API):");
const comp = await componentRows(projectRoot, quick);
for (const c of comp.rows) console.log(`  ${c.name}: ${fmt(c.value, 1)} ${c.unit} (${c.detail})`);
for (const s of comp.skipped) console.log(`  SKIPPED ${s}`);

console.log("\nworker pool (issue 18):");
const pool = await poolRows(projectRoot, quick);
for (const c of pool) console.log(`  ${c.name}: ${fmt(c.value, 1)} ${c.unit} (${c.detail})`);
const snapshots = snapshotRows(projectRoot, quick);
for (const c of snapshots) console.log(`  ${c.name}: ${fmt(c.value, 1)} ${c.unit} (${c.detail})`);

console.log("\ndecode + validate + translate:");
const cs = await compileSpeed(projectRoot, ours, quick ? 1 : 3);
if (typeof cs === "string") console.log(`  SKIPPED ${cs}`);
else
  console.log(
    `  ${cs.file} (${fmt(cs.bytes / 1e6, 2)} MB): decode+validate ${fmt(cs.decodeValidateMs)} ms, translate ${fmt(cs.translateMs)} ms => ${fmt(cs.mbPerS)} MB/s (V8 new WebAssembly.Module: ${fmt(cs.v8CompileMs)} ms)${cs.note ? " " + cs.note : ""}`,
  );

if (jsonOut !== undefined) {
  const data = { node: process.version, date: new Date().toISOString(), reps: R, warmup: W, workloads: rows, component: comp, pool, snapshots, compile: cs };
  writeFileSync(jsonOut, JSON.stringify(data, null, 1));
  console.log(`\nwrote ${resolve(jsonOut)}`);
}
