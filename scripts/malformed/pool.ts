/**
 * Runs a malformed-input campaign on worker threads: cases are handed out in chunks through a
 * shared counter, each worker's tallies are merged here, and a watchdog stops a worker whose
 * current case has run longer than `hangMs` (a hang the case's own time check can never report)
 * or that died (e.g. out of heap): the case is recorded as a finding and a fresh worker takes
 * over the rest of that chunk. Results do not depend on scheduling: case `n` is a pure function
 * of the seed, `n` and the corpus.
 */
import { Worker } from "node:worker_threads";
import { emptyTally, makeCase, mergeTally, type FindingRecord, type TargetOption, type Tally } from "./campaign.js";
import type { CaseBounds, Finding } from "./run-case.js";
import { corpusFingerprint, type Corpus, type CorpusOptions } from "./seeds.js";
import type { DebugFault, WorkerInput, WorkerMessage } from "./worker.js";

/** Options of {@link runParallel}. */
export interface PoolOptions {
  readonly seed: number;
  /** First case number. */
  readonly start: number;
  readonly count: number;
  readonly target: TargetOption;
  readonly bounds: CaseBounds;
  readonly corpusOptions: CorpusOptions;
  readonly workers: number;
  /** A case running longer than this is stopped and reported as a hang (ms). */
  readonly hangMs: number;
  /** Heap limit of each worker (MiB). */
  readonly workerHeapMb: number;
  readonly chunk?: number;
  /** Test hook: inject a hang or a thread exit at one case (see `worker.ts`). */
  readonly debugFault?: DebugFault;
  /** Called with each merged tally (progress) and each new finding. */
  readonly onProgress?: (total: Tally) => void;
  readonly onFinding?: (f: FindingRecord) => void;
}

interface Slot {
  worker: Worker;
  beat: Float64Array;
  finished: boolean;
  stopped: boolean;
}

/** Runs the campaign on `opts.workers` threads; resolves with the merged tally. */
export function runParallel(corpus: Corpus, opts: PoolOptions): Promise<Tally> {
  const end = opts.start + opts.count;
  const chunk = opts.chunk ?? 25;
  const counter = new SharedArrayBuffer(4);
  new Int32Array(counter)[0] = opts.start;
  const total = emptyTally();
  const fingerprint = corpusFingerprint(corpus);
  const entry = new URL("./worker.ts", import.meta.url).href;
  const boot = new URL("./worker-boot.mjs", import.meta.url);
  const slots: Slot[] = [];

  return new Promise<Tally>((resolve, reject) => {
    let settled = false;
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      for (const s of slots) void s.worker.terminate();
      reject(e);
    };
    const maybeDone = (): void => {
      if (settled || !slots.every((s) => s.finished)) return;
      settled = true;
      clearInterval(watchdog);
      resolve(total);
    };

    const record = (caseNo: number, finding: Finding): void => {
      const c = makeCase(corpus, opts.seed, caseNo, opts.target);
      const rec: FindingRecord = { seed: opts.seed, caseNo, target: c.target, targetOption: opts.target, seedName: c.seedName, steps: c.steps, finding, ms: opts.hangMs, bytes: c.bytes };
      const t = emptyTally();
      t.cases = 1;
      t.byTarget[c.target] = 1;
      t.findings.push(rec);
      mergeTally(total, t);
      opts.onFinding?.(rec);
    };

    const start = (pending: (readonly [number, number])[]): void => {
      const heartbeat = new SharedArrayBuffer(4 * 8);
      const input: WorkerInput = {
        entry, seed: opts.seed, target: opts.target, bounds: opts.bounds, corpus: opts.corpusOptions,
        end, chunk, pending, counter, heartbeat, debugFault: opts.debugFault,
      };
      const worker = new Worker(boot, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: opts.workerHeapMb }, stdout: false, stderr: false });
      const slot: Slot = { worker, beat: new Float64Array(heartbeat), finished: false, stopped: false };
      slots.push(slot);
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") {
          if (m.fingerprint !== fingerprint) fail(new Error(`worker corpus ${m.fingerprint} differs from ${fingerprint}`));
        } else if (m.type === "tally") {
          mergeTally(total, m.tally);
          for (const f of m.tally.findings) opts.onFinding?.(f);
          opts.onProgress?.(total);
        } else {
          slot.finished = true;
          maybeDone();
        }
      });
      const died = (why: string): void => {
        if (slot.finished || slot.stopped || settled) return;
        slot.stopped = true;
        replace(slot, { kind: "worker-died", stage: opts.target, detail: why });
      };
      worker.on("error", (e) => died(`worker thread died: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`));
      worker.on("exit", (code) => died(`worker thread exited with code ${code}`));
    };

    /** Stops `slot` (hung or dead) while it ran a case: records the case, hands the rest of its chunk to a new worker. */
    const replace = (slot: Slot, finding: Finding): void => {
      const b = slot.beat;
      const current = b[0]!, from = b[2]!, to = b[3]!;
      slot.finished = true;
      void slot.worker.terminate();
      if (b[1] === 0) {
        // not inside a case: loading failed (fatal), or it died between chunks (start another)
        if (to <= from) fail(new Error(`a worker failed before running any case: ${finding.detail}`));
        else start([]);
        return;
      }
      record(current, finding);
      const pending: [number, number][] = [];
      if (current > from) pending.push([from, current]);
      if (current + 1 < to) pending.push([current + 1, to]);
      start(pending);
    };

    const watchdog = setInterval(() => {
      const now = Date.now();
      for (const s of [...slots]) {
        if (s.finished || s.stopped) continue;
        const startedAt = s.beat[1]!;
        if (startedAt > 0 && now - startedAt > opts.hangMs) {
          s.stopped = true;
          replace(s, { kind: "hang", stage: opts.target, detail: `case still running after ${opts.hangMs} ms; worker stopped` });
        }
      }
    }, 100);

    for (let i = 0; i < Math.max(1, opts.workers); i++) start([]);
  });
}
