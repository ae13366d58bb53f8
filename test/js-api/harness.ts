/**
 * Runs the official WebAssembly JS API tests (WebAssembly/spec `test/js-api`, vendored under
 * vendor/) file by file, each in a fresh worker thread with a per-file timeout, on Node's own
 * `WebAssembly` or on ours installed as the global.
 */
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { Worker } from "node:worker_threads";

export type Engine = "node" | "ours";
/** testharness.js statuses: 0 PASS, 1 FAIL, 2 TIMEOUT, 3 NOTRUN, 4 PRECONDITION_FAILED. */
export interface SubtestResult {
  readonly name: string;
  readonly status: number;
  readonly message: string | null;
}
export interface FileResult {
  readonly file: string;
  readonly engine: Engine;
  readonly subtests: SubtestResult[];
  /** Harness status at completion (0 OK, 1 ERROR, 2 TIMEOUT, 3 PRECONDITION_FAILED), or why it did not complete. */
  readonly harness: string;
  readonly ms: number;
}

const here = dirname(new URL(import.meta.url).pathname);
export const jsApiRoot = join(here, "vendor", "js-api");

/** Every `.any.js` file under vendor/js-api, relative to it, sorted. */
export function jsApiFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".any.js")) out.push(relative(jsApiRoot, p));
    }
  };
  walk(jsApiRoot);
  return out;
}

/** Runs one file on one engine; resolves with the results so far when `timeoutMs` passes. */
export function runFile(file: string, engine: Engine, timeoutMs: number): Promise<FileResult> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const subtests: SubtestResult[] = [];
    // worker.mjs is plain JavaScript (no TypeScript loader in the worker) and runs the built bundle
    const w = new Worker(new URL("./worker.mjs", import.meta.url), { workerData: { file, engine }, execArgv: [], resourceLimits: { stackSizeMb: 16 }, stderr: true, stdout: true });
    let finished = false;
    const finish = (harness: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      void w.terminate();
      resolve({ file, engine, subtests, harness, ms: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish(`timeout after ${timeoutMs} ms`), timeoutMs);
    w.on("message", (m: { type: string; name: string; status: number; message: string | null }) => {
      if (m.type === "result") subtests.push({ name: m.name, status: m.status, message: m.message });
      else if (m.type === "done") finish(m.status === 0 ? "ok" : `harness status ${m.status}: ${m.message ?? ""}`);
    });
    w.on("error", (e) => finish(`worker error: ${e instanceof Error ? e.message : String(e)}`));
    w.on("exit", (code) => finish(`worker exited (${code}) before completion`));
  });
}

/** Runs `files` on both engines, `parallel` workers at a time. */
export async function runAll(files: readonly string[], timeoutMs: number, parallel = 2): Promise<FileResult[]> {
  const jobs: [string, Engine][] = [];
  for (const f of files) jobs.push([f, "node"], [f, "ours"]);
  const out: FileResult[] = new Array(jobs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const k = next++;
      out[k] = await runFile(jobs[k]![0], jobs[k]![1], timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return out;
}

export const passed = (r: FileResult): Set<string> => new Set(r.subtests.filter((s) => s.status === 0).map((s) => s.name));
