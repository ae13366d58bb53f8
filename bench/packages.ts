/**
 * Bench rows for issue 13's real packages: each package's full workload (test/packages/drivers.ts)
 * in its own process on Node's WebAssembly and through pureflow-wasm/polyfill; the time of the
 * driver's run (package import, compilation, work) and the ratio ours / V8. Not a test: nothing
 * fails on a slow figure; outputs that differ are reported.
 */
import { drivers } from "../test/packages/drivers.js";
import { runPackage } from "../test/packages/spawn.js";

export interface PackageRow {
  readonly name: string;
  readonly kind: string;
  readonly v8Ms: number;
  readonly oursMs: number;
  /** oursMs / v8Ms. */
  readonly ratio: number;
  /** Both runs succeeded with identical output bytes. */
  readonly agree: boolean;
  readonly error?: string;
}

/** Runs every package (one after the other, so timings do not share the CPU). */
export async function packageRows(quick = false): Promise<PackageRow[]> {
  const rows: PackageRow[] = [];
  for (const d of drivers) {
    const a = await runPackage(d.name, "native", quick ? "quick" : "full");
    const b = await runPackage(d.name, "ours", quick ? "quick" : "full");
    const agree = a.ok && b.ok && a.sha256 === b.sha256;
    rows.push({ name: d.name, kind: d.kind, v8Ms: a.ms, oursMs: b.ms, ratio: b.ms / a.ms, agree, error: a.error ?? b.error });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  console.log(`${"package".padEnd(20)}${"V8 ms".padStart(10)}${"ours ms".padStart(11)}${"x V8".padStart(8)}  agree`);
  for (const r of await packageRows(quick)) console.log(`${r.name.padEnd(20)}${r.v8Ms.toFixed(0).padStart(10)}${r.oursMs.toFixed(0).padStart(11)}${r.ratio.toFixed(1).padStart(8)}  ${r.agree ? "yes" : `NO ${r.error ?? "outputs differ"}`}`);
}
