/**
 * Node's WebAssembly behind a wall-clock bound: programs run in a worker thread, which is
 * terminated (and replaced on the next run) when a program exceeds its time limit. A run that
 * ends that way has status `timeout`. The limit starts when the program is sent, after the
 * worker has loaded (loading the TypeScript runner can take seconds on a busy machine).
 */
import { Worker } from "node:worker_threads";
import type { ProgramOutcome } from "./run.js";

const boot = new URL("./node-worker-boot.mjs", import.meta.url);
const entry = new URL("./node-worker.ts", import.meta.url).href;

export class NodeRunner {
  private worker: { readonly w: Worker; readonly ready: Promise<void> } | undefined;
  private next = 0;

  /** Runs `bytes` (`_start`) on Node's engine; status `timeout` after `timeoutMs`. */
  async run(bytes: Uint8Array, timeoutMs: number): Promise<ProgramOutcome> {
    const started = (this.worker ??= this.spawn());
    await started.ready;
    const w = started.w;
    const id = this.next++;
    return new Promise<ProgramOutcome>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        w.off("message", onMessage);
        w.off("error", onError);
      };
      const onMessage = (m: { id: number; outcome: ProgramOutcome }): void => {
        if (m.id !== id) return;
        done();
        resolve(m.outcome);
      };
      const onError = (e: Error): void => {
        done();
        this.worker = undefined;
        reject(e);
      };
      const timer = setTimeout(() => {
        done();
        this.worker = undefined;
        void w.terminate();
        resolve({ status: "timeout", message: `Node run exceeded ${timeoutMs} ms`, stdout: "", stderr: "", outputTruncated: false, calls: [], callCount: 0 });
      }, timeoutMs);
      w.on("message", onMessage);
      w.on("error", onError);
      w.postMessage({ id, bytes });
    });
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    const started = this.worker;
    this.worker = undefined;
    if (started !== undefined) await started.w.terminate();
  }

  private spawn(): { w: Worker; ready: Promise<void> } {
    // Referenced while it loads (nothing else may keep the process alive meanwhile); afterwards
    // each run's timer does, and a runner that is never closed does not hold the process open.
    const w = new Worker(boot, { workerData: { entry } });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }): void => {
        if (m.ready !== true) return;
        w.off("message", onMessage);
        w.off("error", onError);
        w.unref();
        resolve();
      };
      const onError = (e: Error): void => {
        w.off("message", onMessage);
        this.worker = undefined;
        reject(e);
      };
      w.on("message", onMessage);
      w.on("error", onError);
    });
    return { w, ready };
  }
}
