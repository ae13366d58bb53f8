/** Runs one package driver in a child process (run-one.ts) and parses its JSON line. */
import { spawn } from "node:child_process";

export interface PackageRun {
  readonly name: string;
  readonly engine: "native" | "ours";
  readonly ok: boolean;
  readonly sha256?: string;
  readonly bytes?: number;
  /** Time of the driver's run inside the process (import, compile, work), ms. */
  readonly ms: number;
  readonly error?: string;
}

const root = new URL("../..", import.meta.url).pathname;

/** Spawns `node --import tsx test/packages/run-one.ts name engine size`; a timeout or crash is a failed run. */
export function runPackage(name: string, engine: "native" | "ours", size: "quick" | "full", timeoutMs = 600_000): Promise<PackageRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", "--stack-size=4000", "test/packages/run-one.ts", name, engine, size], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      if (line !== undefined) resolve(JSON.parse(line) as PackageRun);
      else resolve({ name, engine, ok: false, ms: 0, error: `process ended (${signal ?? code}) without a result: ${err.trim().split("\n").slice(-3).join(" | ")}` });
    });
  });
}
