/**
 * Node's WebAssembly behind a wall-clock bound: programs run in a worker thread, which is
 * terminated (and replaced on the next run) when a program exceeds its time limit. A run that
 * ends that way has status `timeout`.
 */
import { Worker } from "node:worker_threads";
import type { ProgramOutcome } from "./run.js";

const boot = new URL("./node-worker-boot.mjs", import.meta.url);
const entry = new URL("./node-worker.ts", import.meta.url).href;

export class NodeRunner {
  private worker: Worker | undefined;
  private next = 0;

  /** Runs `bytes` (`_start`) on Node's engine; status `timeout` after `timeoutMs`. */
  run(bytes: Uint8Array, timeoutMs: number): Promise<ProgramOutcome> {
    const w = (this.worker ??= this.spawn());
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
    const w = this.worker;
    this.worker = undefined;
    if (w !== undefined) await w.terminate();
  }

  private spawn(): Worker {
    const w = new Worker(boot, { workerData: { entry } });
    w.unref();
    return w;
  }
}
