/**
 * Finds `../shared` (spec suite, benchmark workloads, notes) for tests and tools.
 * The location comes from the environment variable PUREFLOW_SHARED, by default the folder
 * `shared` beside the project root. Tests that need it call `sharedDirOrSkip` and skip loudly.
 */
import { existsSync } from "node:fs";
import { test } from "uvu";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function sharedDir(): string {
  return process.env.PUREFLOW_SHARED ?? join(projectRoot, "..", "shared");
}

/**
 * uvu's `test` when `needed` is there, else `test.skip`: a test that cannot run is registered as
 * skipped, so the runner counts it (with the `# SKIP` reason its file printed) instead of it
 * passing without running.
 */
export function testOrSkip(needed: unknown): typeof test | typeof test.skip {
  return needed === undefined || needed === false ? test.skip : test;
}

/** Returns the path of `sub` inside the shared folder, or undefined after printing why it is skipped. */
export function sharedDirOrSkip(sub: string, what: string): string | undefined {
  const p = join(sharedDir(), sub);
  if (!existsSync(p)) {
    console.log(`# SKIP ${what}: ${p} not found (set PUREFLOW_SHARED to the shared folder)`);
    return undefined;
  }
  return p;
}
