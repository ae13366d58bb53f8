/**
 * The two thread APIs a {@link BatchPool} runs on, behind one small interface: Node.js
 * `worker_threads` (Node, and Deno and Bun through their Node compatibility) and Web Workers
 * (`new Worker(url, { type: "module" })`: browsers, Deno, Bun). A worker reports each message,
 * and once that it is gone (`exit`, with a reason): on `worker_threads` when its thread exits for
 * any reason; on Web Workers when it raises an uncaught error or a message cannot be read (the
 * pool then terminates it, as a Web Worker has no exit event) or when the pool terminates it.
 */
import type { FromWorker, ToWorker } from "./protocol.js";

/** Which thread API: `"worker_threads"` (Node.js) or `"web"` (Web Workers). */
export type ThreadApi = "worker_threads" | "web";

/** What a worker tells the pool. */
export interface WorkerEvents {
  message(m: FromWorker): void;
  /** The worker is gone; `why` names the cause (e.g. `exit code 1`, `it failed: ...`). */
  exit(why: string): void;
}

/** A worker thread as the pool uses it. */
export interface PoolWorker {
  /** Sends a message (copied: protocol.ts says why nothing is transferred). */
  post(message: ToWorker): void;
  /** Ends the thread (its `exit` follows). */
  terminate(): Promise<void>;
  /** Whether the thread keeps the process alive (Node.js only; no-ops elsewhere). */
  ref(): void;
  unref(): void;
}

/** Starts one worker. */
export type SpawnWorker = (events: WorkerEvents) => PoolWorker;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string" ? (e as { message: string }).message : String(e);
}

/**
 * A worker script beside this file: the compiled `.js`, or, run from the TypeScript sources
 * (the tests and benchmarks run them through tsx), a two-line module that registers tsx's hooks
 * (`tsx/esm/api`, a development dependency) and imports the `.ts` file, because Node 20 does not
 * apply the parent's loader hooks in a worker.
 */
function scriptUrl(name: string): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL(`./${name}.js`, import.meta.url);
  const entry = new URL(`./${name}.ts`, import.meta.url).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const source = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

/**
 * The Node options to start a worker with: undefined (a worker inherits its parent's) unless the
 * parent has `--input-type`, which is valid only for `--eval`/`--print`/stdin input: Node refuses
 * to start a worker from a file with it, so a pool created in `node --input-type=module -e "..."`
 * got workers that failed. Then the parent's options without it. (Given explicitly, the list is
 * checked by Node like any worker's `execArgv`: a per-process option such as `--stack-size` in it
 * is refused with an error naming it, where inheriting would have kept it.)
 */
export function workerExecArgv(parent: readonly string[]): string[] | undefined {
  if (!parent.some((a) => a === "--input-type" || a.startsWith("--input-type="))) return undefined;
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const a = parent[i]!;
    if (a === "--input-type") i++; // and its value
    else if (!a.startsWith("--input-type=")) out.push(a);
  }
  return out;
}

/** The spawner for `api` (`worker_threads` is imported here, only when asked for). */
export async function spawnerFor(api: ThreadApi): Promise<SpawnWorker> {
  if (api === "web") {
    const WebWorker = (globalThis as { Worker?: new (url: URL, options: { type: "module" }) => Worker }).Worker;
    if (typeof WebWorker !== "function") throw new Error("this platform has no Web Worker (globalThis.Worker)");
    return (events) => {
      const w = new WebWorker(new URL("./web-worker.js", import.meta.url), { type: "module" });
      let gone = false;
      const exit = (why: string): void => {
        if (gone) return;
        gone = true;
        w.terminate();
        events.exit(why);
      };
      w.onmessage = (e: MessageEvent) => {
        if (!gone) events.message(e.data as FromWorker);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        exit(`it failed: ${e.message}`);
      };
      w.onmessageerror = () => exit("it sent a message that could not be read");
      return {
        post: (m) => w.postMessage(m),
        terminate: async () => exit("terminated"),
        ref: () => {},
        unref: () => {},
      };
    };
  }
  const { Worker } = await import("node:worker_threads");
  const execArgv = workerExecArgv(process.execArgv);
  return (events) => {
    const w = execArgv === undefined ? new Worker(scriptUrl("node-worker")) : new Worker(scriptUrl("node-worker"), { execArgv });
    let lastError: unknown;
    w.on("message", (m: FromWorker) => events.message(m));
    w.on("error", (e) => {
      lastError = e;
    });
    w.on("exit", (code) => events.exit(lastError !== undefined ? `it failed: ${messageOf(lastError)}` : `exit code ${code}`));
    return {
      post: (m) => w.postMessage(m),
      terminate: async () => {
        await w.terminate();
      },
      ref: () => w.ref(),
      unref: () => w.unref(),
    };
  };
}

/** The thread API to use when none is asked for: `worker_threads` where it loads, else Web Workers. */
export async function defaultThreadApi(): Promise<ThreadApi> {
  const isNode = typeof process === "object" && process !== null && typeof process.versions?.node === "string";
  if (isNode) return "worker_threads";
  return "web";
}

/** Threads the machine offers (default pool size). */
export async function availableThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof process === "object" && process !== null && typeof process.versions?.node === "string") {
    try {
      const os = await import("node:os");
      return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    } catch {
      // fall through
    }
  }
  return typeof nav?.hardwareConcurrency === "number" && nav.hardwareConcurrency > 0 ? nav.hardwareConcurrency : 2;
}
