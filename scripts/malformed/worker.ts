/**
 * A worker thread of the malformed-input campaign (started by `pool.ts` through
 * `worker-boot.mjs`). It loads the corpus itself, then takes chunks of case numbers from a shared
 * counter (plus any `pending` ranges handed over from a worker that was stopped) and posts one
 * tally per chunk. Before each case it writes a heartbeat (case number, start time, chunk
 * bounds) into its slot of shared memory, so the main thread can stop it when a case hangs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runRange, type TargetOption, type Tally } from "./campaign.js";
import type { CaseBounds } from "./run-case.js";
import { corpusFingerprint, loadCorpus, type CorpusOptions } from "./seeds.js";

/** What the pool passes to a worker. */
export interface WorkerInput {
  readonly entry: string;
  readonly seed: number;
  readonly target: TargetOption;
  readonly bounds: CaseBounds;
  readonly corpus: CorpusOptions;
  /** Case numbers [start, end) of the campaign. */
  readonly end: number;
  readonly chunk: number;
  /** Ranges to run before taking chunks from the counter. */
  readonly pending: readonly (readonly [number, number])[];
  /** Int32 [next case]. */
  readonly counter: SharedArrayBuffer;
  /** Float64 slot: [current case, started at (ms since epoch, 0 when idle), chunk start, chunk end]. */
  readonly heartbeat: SharedArrayBuffer;
  /** Test hook: at this case, spin forever (`hang`) or end the thread (`exit`), to check the watchdog. */
  readonly debugFault?: DebugFault;
}

/** A fault injected by tests of the pool. */
export interface DebugFault {
  readonly caseNo: number;
  readonly kind: "hang" | "exit";
}

/** Messages a worker posts. */
export type WorkerMessage =
  | { readonly type: "ready"; readonly fingerprint: string }
  | { readonly type: "tally"; readonly tally: Tally }
  | { readonly type: "done" };

const input = workerData as WorkerInput;
const port = parentPort!;
const counter = new Int32Array(input.counter);
const beat = new Float64Array(input.heartbeat);
const corpus = loadCorpus(input.corpus);
port.postMessage({ type: "ready", fingerprint: corpusFingerprint(corpus) } satisfies WorkerMessage);

function run(from: number, to: number): void {
  beat[2] = from;
  beat[3] = to;
  const tally = runRange(corpus, {
    seed: input.seed,
    target: input.target,
    bounds: input.bounds,
    beforeCase: (n) => {
      beat[0] = n;
      beat[1] = Date.now();
      const fault = input.debugFault;
      if (fault !== undefined && fault.caseNo === n) {
        if (fault.kind === "exit") process.exit(3);
        for (;;) {
          // spin until the watchdog terminates this thread
        }
      }
    },
  }, from, to);
  beat[1] = 0;
  port.postMessage({ type: "tally", tally } satisfies WorkerMessage);
}

for (const [from, to] of input.pending) run(from, to);
for (;;) {
  const from = Atomics.add(counter, 0, input.chunk);
  if (from >= input.end) break;
  run(from, Math.min(from + input.chunk, input.end));
}
port.postMessage({ type: "done" } satisfies WorkerMessage);
