/**
 * Minimises a diverging module with binaryen's `wasm-reduce`: the "interesting" test re-runs
 * `scripts/fuzz-diff.ts --module <test file>` (exit 1 = still diverges, output silenced), so the
 * reduction keeps any module on which the engines still disagree.
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ReduceOptions {
  readonly denan: boolean;
  readonly engineB: string;
  readonly fuel: number;
  readonly argSets: number;
  /** Overall bound for wasm-reduce in seconds (default 300). */
  readonly timeoutSec?: number;
}

/** Returns the path of the reduced module, or undefined when wasm-reduce could not run. */
export async function reduceDivergence(file: string, seed: number, o: ReduceOptions): Promise<string | undefined> {
  const test = file.replace(/\.wasm$/, ".test.wasm");
  const work = file.replace(/\.wasm$/, ".reduced.wasm");
  const check = [
    JSON.stringify(process.execPath),
    "--import tsx",
    JSON.stringify(join(root, "scripts", "fuzz-diff.ts")),
    `--module ${JSON.stringify(resolve(test))}`,
    `--seed ${seed}`,
    `--engine-b ${o.engineB}`,
    `--fuel ${o.fuel}`,
    `--args ${o.argSets}`,
    o.denan ? "" : "--nan",
    "> /dev/null 2>&1",
  ].join(" ");
  const r = spawnSync(
    process.execPath,
    [join(root, "node_modules", "binaryen", "bin", "wasm-reduce"), file, `--command=sh -c '${check.replace(/'/g, "'\\''")}'`, "-t", test, "-w", work, "--timeout", "20", "-b", join(root, "node_modules", ".bin")],
    { cwd: root, encoding: "utf8", timeout: (o.timeoutSec ?? 300) * 1000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (!existsSync(work)) {
    console.log(`  wasm-reduce did not produce ${work}: ${(r.stdout ?? "").slice(-500)} ${(r.stderr ?? "").slice(-500)} ${r.error ?? ""}`);
    return undefined;
  }
  console.log(`  reduced ${statSync(file).size} -> ${statSync(work).size} bytes`);
  return work;
}
