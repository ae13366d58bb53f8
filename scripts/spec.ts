/**
 * `npm run spec`: runs the WebAssembly spec suite (sharedDir()/wasm-spec, wast2json format)
 * against our interpreter or Node's engine and prints per-file and total counts.
 *
 * Options: --suite 2|3 (default 2: sharedDir()/wasm-spec; 3: the Wasm 3.0 suite sharedDir()/wasm-spec-3,
 * whose scripts needing a feature we do not implement are skipped as a whole, by feature, see
 * spec/manifest.ts), --engine ours|node (default ours), --file <name> (repeatable, or comma-separated),
 * --verbose (list every failure with its .wast line), --json <out.json>, --quiet (totals only).
 * Exit status 1 when any assertion, module or action failed.
 */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sharedDir } from "../test/helpers/shared.js";
import type { SpecEngine } from "./spec/engine.js";
import { loadEngine } from "./spec/load-engine.js";
import { missingFeatures, readManifest } from "./spec/manifest.js";
import { runSpecFile } from "./spec/runner.js";
import { supersededBy30 } from "./spec/superseded.js";
import type { FileResult } from "./spec/runner.js";

function parseArgs(argv: string[]): { suite: string; engine: string; files: string[]; verbose: boolean; json?: string; quiet: boolean } {
  const out = { suite: "2", engine: "ours", files: [] as string[], verbose: false, json: undefined as string | undefined, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--engine") out.engine = argv[++i];
    else if (a === "--suite") {
      out.suite = argv[++i];
      if (out.suite !== "2" && out.suite !== "3") {
        console.error(`spec: --suite must be 2 or 3, got ${out.suite}`);
        process.exit(2);
      }
    }
    else if (a === "--file") out.files.push(...argv[++i].split(",").filter((s) => s !== ""));
    else if (a === "--verbose" || a === "-v") out.verbose = true;
    else if (a === "--json") out.json = argv[++i];
    else if (a === "--quiet") out.quiet = true;
    else {
      console.error(`spec: unknown option ${a}`);
      process.exit(2);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const specDir = join(sharedDir(), opts.suite === "3" ? "wasm-spec-3" : "wasm-spec");
  const manifest = opts.suite === "3" ? readManifest(specDir) : undefined;
  if (opts.suite === "3" && manifest === undefined) {
    console.error(`spec: ${specDir}/MANIFEST.tsv not found`);
    process.exit(2);
  }
  let all: string[];
  try {
    all = readdirSync(specDir).filter((n) => statSync(join(specDir, n)).isDirectory()).sort();
  } catch {
    console.error(`spec: ${specDir} not found (set PUREFLOW_SHARED to the shared folder)`);
    process.exit(2);
  }
  const files = opts.files.length > 0 ? opts.files : all;
  for (const f of files) {
    if (!all.includes(f)) {
      console.error(`spec: no spec file ${f} in ${specDir}`);
      process.exit(2);
    }
  }
  const engine: SpecEngine = await loadEngine(opts.engine);
  const results: FileResult[] = [];
  const started = performance.now();
  const pad = (s: string | number, n: number): string => String(s).padStart(n);
  if (!opts.quiet) console.log(`engine ${engine.name}; ${files.length} files from ${specDir}\n${"file".padEnd(32)}${pad("passed", 8)}${pad("failed", 8)}${pad("skipped", 8)}${pad("mod.ok", 8)}${pad("mod.bad", 8)}${pad("ms", 8)}`);
  for (const f of files) {
    const r = runSpecFile(specDir, f, engine, { featureSkip: (file) => missingFeatures(manifest, file), superseded: opts.suite === "2" ? supersededBy30 : undefined });
    results.push(r);
    if (!opts.quiet) {
      const note = r.skippedFeature !== undefined ? `  [${r.skippedFeature}]` : r.actionsFailed > 0 ? `  [${r.actionsFailed} actions failed]` : "";
      console.log(`${f.padEnd(32)}${pad(r.passed, 8)}${pad(r.failed, 8)}${pad(r.skipped, 8)}${pad(r.modulesOk, 8)}${pad(r.modulesFailed, 8)}${pad(r.ms.toFixed(0), 8)}${note}`);
    }
    if (opts.verbose) for (const x of r.failures) console.log(`    ${f}.wast:${x.line} ${x.type}: ${x.detail}`);
  }
  const sum = (k: "passed" | "failed" | "skipped" | "modulesOk" | "modulesFailed" | "actionsOk" | "actionsFailed"): number => results.reduce((a, r) => a + r[k], 0);
  const reasons: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.skipReasons)) reasons[k] = (reasons[k] ?? 0) + v;
  const totals = {
    passed: sum("passed"),
    failed: sum("failed"),
    skipped: sum("skipped"),
    modulesOk: sum("modulesOk"),
    modulesFailed: sum("modulesFailed"),
    actionsOk: sum("actionsOk"),
    actionsFailed: sum("actionsFailed"),
    skipReasons: reasons,
    ms: Math.round(performance.now() - started),
  };
  console.log(`\nspec (${engine.name}): ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped assertions; modules ${totals.modulesOk} ok, ${totals.modulesFailed} failed; actions/registers ${totals.actionsOk} ok, ${totals.actionsFailed} failed; ${(totals.ms / 1000).toFixed(1)}s`);
  for (const [k, v] of Object.entries(reasons)) console.log(`  skipped ${v}: ${k}`);
  const failingFiles = results.filter((r) => r.failed + r.modulesFailed + r.actionsFailed > 0).map((r) => r.file);
  if (failingFiles.length > 0) console.log(`failing files (${failingFiles.length}): ${failingFiles.join(" ")}`);
  if (opts.json !== undefined) writeFileSync(opts.json, JSON.stringify({ engine: engine.name, totals, files: results }, null, 1));
  process.exit(failingFiles.length > 0 ? 1 : 0);
}

await main();
