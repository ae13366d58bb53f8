/**
 * The feature manifest of the Wasm 3.0 spec suite (`MANIFEST.tsv` beside its scripts; see that
 * suite's README): which features beyond Wasm 2.0 each script needs. A script runs when every
 * feature it needs is in {@link IMPLEMENTED_FEATURES}; otherwise it is reported as skipped, with
 * the missing features as the reason (never left out of the counts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Features of the manifest this engine implements (the names MANIFEST.tsv uses). */
export const IMPLEMENTED_FEATURES: ReadonlySet<string> = new Set<string>(["tail-call", "extended-const", "other:const-global.get", "multi-memory", "relaxed-simd", "exceptions", "memory64", "table64", "func-refs"]);

/**
 * Scripts that need a combination we do not implement although each feature is (skipped as a
 * whole with this reason, counted as skipped).
 */
export const KNOWN_GAPS: ReadonlyMap<string, string> = new Map<string, string>([]);

/** file -> features it needs (empty for a plain Wasm 2.0 script). */
export function readManifest(suiteDir: string): Map<string, string[]> | undefined {
  const path = join(suiteDir, "MANIFEST.tsv");
  if (!existsSync(path)) return undefined;
  const [header, ...rows] = readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
  const cols = header!.split("\t");
  const fileCol = cols.indexOf("file"), featCol = cols.indexOf("features");
  if (fileCol < 0 || featCol < 0) throw new Error(`${path}: no "file" or "features" column`);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const cells = r.split("\t");
    const f = cells[featCol]!;
    out.set(cells[fileCol]!, f === "-" ? [] : f.split(","));
  }
  return out;
}

/** The features `file` needs that are not implemented, as a skip reason; undefined when it can run. */
export function missingFeatures(manifest: Map<string, string[]> | undefined, file: string): string | undefined {
  const needs = manifest?.get(file);
  if (needs === undefined) return undefined;
  const gap = KNOWN_GAPS.get(file);
  if (gap !== undefined) return gap;
  const missing = needs.filter((f) => !IMPLEMENTED_FEATURES.has(f));
  return missing.length === 0 ? undefined : `needs ${missing.join(", ")}`;
}
