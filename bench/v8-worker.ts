/**
 * V8's side of a `workload` row of `npm run bench` (bench/child.ts), in a worker thread of the
 * child process, i.e. in another V8 isolate than our interpreter's.
 *
 * Why a separate isolate: V8 optimises typed-array accesses on the assumption that no ArrayBuffer
 * of the isolate has ever been detached (its "array buffer detaching protector"). The first detach
 * in an isolate invalidates that for good, and from then on optimised code loads and checks the
 * buffer's detached bit on every typed-array access. V8's own wasm detaches the memory's
 * ArrayBuffer each time a guest grows its memory, which every workload with an allocator does: run
 * in the same isolate, V8's warm-up made our dispatch loop (typed arrays throughout) 18-27 %
 * slower for the rest of the process (measured on bignum, sha256 and fft). A user of this
 * interpreter has that slowdown only if their own process detaches a buffer; the bench measures
 * that case on its own (`npm run bench`'s "detached" section, `bench/child.ts detached`).
 *
 * Protocol: the parent posts one request at a time on `port` and blocks in `Atomics.wait` on
 * `flag[0]`; the worker answers on `port` and sets and notifies `flag[0]`. While one side runs the
 * other is blocked, so `process.cpuUsage()` (the whole process) measures the running side (and
 * V8's background compile threads, as before).
 */
import { parentPort, receiveMessageOnPort, type MessagePort } from "node:worker_threads";

/** A request to the worker. */
export type V8Request =
  /** Compiles and instantiates `bytes`, calls `bench()` once, then warms up (>= 5 runs and 300 ms). */
  | { kind: "load"; bytes: Uint8Array }
  /** `count` first runs, each on a fresh instance of the warm module (memory first-touch included). */
  | { kind: "fresh"; count: number }
  /** One timed batch of `batch` runs on the warm instance. */
  | { kind: "batch"; batch: number };

/** The worker's answer. */
export type V8Reply =
  | { kind: "load"; result: string; bestRunMs: number }
  | { kind: "fresh"; cpuMs: number[] }
  | { kind: "batch"; cpuMs: number; wallMs: number; result: string }
  | { kind: "error"; message: string };

/** What the parent gives the worker at start. */
export interface V8WorkerData {
  port: MessagePort;
  flag: Int32Array;
}

type Bench = () => unknown;

/** A result as the rows print it (BigInt with its `n`). */
export function show(v: unknown): string {
  return typeof v === "bigint" ? `${v}n` : String(v);
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function serve({ port, flag }: V8WorkerData): void {
  let mod: WebAssembly.Module | undefined;
  let bench: Bench | undefined;
  const answer = (r: V8Reply): void => {
    port.postMessage(r);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on("message", (req: V8Request) => {
    try {
      if (req.kind === "load") {
        mod = new WebAssembly.Module(req.bytes as Uint8Array<ArrayBuffer>);
        bench = new WebAssembly.Instance(mod).exports.bench as Bench;
        const result = show(bench());
        const start = performance.now();
        let best = Infinity;
        for (let i = 0; i < 5 || performance.now() - start < 300; i++) {
          const c0 = cpuMs();
          bench();
          best = Math.min(best, cpuMs() - c0);
        }
        answer({ kind: "load", result, bestRunMs: best });
      } else if (mod === undefined || bench === undefined) {
        answer({ kind: "error", message: `${req.kind} before load` });
      } else if (req.kind === "fresh") {
        const out: number[] = [];
        for (let i = 0; i < req.count; i++) {
          const f = new WebAssembly.Instance(mod).exports.bench as Bench;
          const c0 = cpuMs();
          f();
          out.push(cpuMs() - c0);
        }
        answer({ kind: "fresh", cpuMs: out });
      } else {
        const c0 = cpuMs();
        const w0 = performance.now();
        let v: unknown;
        for (let i = 0; i < req.batch; i++) v = bench();
        answer({ kind: "batch", cpuMs: (cpuMs() - c0) / req.batch, wallMs: (performance.now() - w0) / req.batch, result: show(v) });
      }
    } catch (e) {
      answer({ kind: "error", message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    }
  });
}

/** The parent's end: sends a request and blocks until the worker answers. */
export function askV8(data: V8WorkerData, req: V8Request): V8Reply {
  Atomics.store(data.flag, 0, 0);
  data.port.postMessage(req);
  Atomics.wait(data.flag, 0, 0);
  const m = receiveMessageOnPort(data.port);
  if (m === undefined) throw new Error("bench V8 worker: no answer");
  const reply = m.message as V8Reply;
  if (reply.kind === "error") throw new Error(`bench V8 worker: ${reply.message}`);
  return reply;
}

if (parentPort !== null) {
  parentPort.once("message", (data: V8WorkerData) => serve(data));
}
