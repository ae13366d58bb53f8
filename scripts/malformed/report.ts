/**
 * Reporting of the malformed-input campaign: one reproducer block per finding (seed, case
 * number, target, seed input, mutation steps, the error, the command that re-runs it) with the
 * mutated bytes written to `<out>/malformed-<seed>-<case>.wasm`, and the closing summary (counts
 * by outcome, by target, case-time histogram, findings by kind, duration).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FindingRecord, Tally } from "./campaign.js";

/** The text block printed for a finding. */
export function reproducerText(f: FindingRecord, file?: string): string {
  const lines = [
    `FINDING ${f.finding.kind} (${f.finding.stage}): ${f.finding.detail}`,
    `  seed ${f.seed} case ${f.caseNo}, target ${f.target}, seed input ${f.seedName}, ${f.bytes.length} bytes, ${f.ms.toFixed(0)} ms`,
    ...f.steps.map((s) => `  mutation: ${s}`),
    f.finding.kind === "validity-disagreement" && f.target === "component"
      ? `  re-run: npm run fuzz:malformed -- --component-oracle --seed ${f.seed} --start ${f.caseNo} --count 1`
      : `  re-run: npm run fuzz:malformed -- --seed ${f.seed} --case ${f.caseNo} --target ${f.targetOption}`,
  ];
  if (file !== undefined) lines.push(`  bytes: ${file} (re-run: npm run fuzz:malformed -- --file ${file} --target ${f.target})`);
  if (f.finding.stack !== undefined) lines.push(...f.finding.stack.split("\n").map((l) => `  | ${l}`));
  return lines.join("\n");
}

/**
 * Writes the finding's bytes to `<outDir>/malformed-<seed>-<case>.wasm` (or
 * `malformed-<tag>-<case>.wasm` for the sweep and the crafted set) and its description beside
 * them; returns the .wasm path.
 */
export function writeReproducer(outDir: string, f: FindingRecord, tag?: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `malformed-${tag ?? f.seed}-${f.caseNo}.wasm`);
  writeFileSync(file, f.bytes);
  writeFileSync(file.replace(/\.wasm$/, ".txt"), `${reproducerText(f, file)}\n`);
  return file;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w);
}

/** The closing summary. */
export function summaryText(t: Tally, seconds: number, header: string): string {
  const out: string[] = [header];
  out.push(`cases: ${t.cases} in ${seconds.toFixed(1)} s (${(t.cases / Math.max(seconds, 1e-9)).toFixed(0)} cases/s); by target: ${Object.entries(t.byTarget).sort().map(([k, v]) => `${k} ${v}`).join(", ")}`);
  out.push("outcomes:");
  const w = Math.max(1, ...Object.values(t.outcomes).map((v) => String(v).length));
  for (const [k, v] of Object.entries(t.outcomes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out.push(`  ${pad(v, w)}  ${k}`);
  const buckets = ["<1ms", "<10ms", "<100ms", "<1s", ">=1s"].map((b) => `${b} ${t.msBuckets[b] ?? 0}`).join(", ");
  out.push(`case time: ${buckets}; slowest ${t.slowestMs.toFixed(1)} ms (case ${t.slowestCase}); largest resident-set growth in a case ${(t.maxRssGrowth / 2 ** 20).toFixed(1)} MiB`);
  const unconfirmed = Object.entries(t.unconfirmed);
  if (unconfirmed.length > 0) out.push(`over a bound once but not on re-run (not findings): ${unconfirmed.map(([k, v]) => `${k} ${v}`).join(", ")}`);
  const byKind: Record<string, number> = {};
  for (const f of t.findings) byKind[f.finding.kind] = (byKind[f.finding.kind] ?? 0) + 1;
  out.push(`findings: ${t.findings.length}${t.findings.length > 0 ? ` (${Object.entries(byKind).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}`);
  return out.join("\n");
}
