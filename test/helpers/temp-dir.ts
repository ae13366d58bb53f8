/**
 * Temporary folders for tests and benchmarks, removed when the process exits (a test run leaves
 * nothing behind in the system's temporary folder; a transpiled jco module is imported from one,
 * so it cannot be removed before the process ends).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made: string[] = [];
let hooked = false;

/** A new empty folder `<tmpdir>/<prefix>XXXXXX`, removed (with its contents) at process exit. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  if (!hooked) {
    hooked = true;
    process.on("exit", () => {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}
