/**
 * Pool rows of `npm run bench` (issue 18): batches per second of the uppercase fixture and of the
 * compute-heavy fixture (`fixtures/compute-guest`, a 4 KiB payload hashed 256 times, about 19M
 * fuel per batch) on the calling thread (`BatchComponent.invoke`) and through a `BatchPool` of
 * 1, 2 and N workers (N = the machine's available parallelism, at least 4 to show
 * oversubscription), each after a warm-up, with 2 tasks in flight per worker. Prints the ratio
 * to the single-thread figure. The machine's load is not controlled: other processes using the
 * cores lower the pool figures more than the single-thread one. Also: invoke latency with and
 * without snapshot-started instances (`snapshotRows`).
 */
import { availableParallelism, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BatchComponent, BatchInputs, BatchPool, ExecutionLimits, batchInputsFromWitJson } from "../src/index.js";

/** One measured figure. */
export interface PoolRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

interface Workload {
  name: string;
  bytes: Uint8Array;
  inputs: BatchInputs;
  limits: ExecutionLimits;
  batches: number;
}

function computeInputs(): BatchInputs {
  const payload = new Uint8Array(4096);
  let x = 12345;
  for (let i = 0; i < payload.length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    payload[i] = x & 0xff;
  }
  return new BatchInputs().push("in", {
    metadata: { messageId: "m", workflowId: "w", execution: { executionId: "e", attempt: 1 }, route: { source: null, target: { nodeId: "n", portId: "in" } } },
    payload: { kind: "bytes", bytes: payload },
  });
}

/** Batches/s on the calling thread. */
function single(w: Workload): number {
  const c = BatchComponent.fromComponentBytes(w.bytes, { limits: w.limits });
  for (let i = 0; i < Math.min(50, w.batches); i++) c.invoke(w.inputs);
  const t0 = performance.now();
  for (let i = 0; i < w.batches; i++) c.invoke(w.inputs);
  return w.batches / ((performance.now() - t0) / 1000);
}

/** Batches/s through a pool of `workers`, `2 × workers` tasks in flight. */
async function pooled(w: Workload, workers: number): Promise<number> {
  const pool = await BatchPool.create(w.bytes, { workers, limits: w.limits });
  try {
    const run = async (n: number): Promise<void> => {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < n) {
          next++;
          const r = await pool.invokeWithReport(w.inputs);
          if (r.error) throw r.error;
        }
      };
      await Promise.all(Array.from({ length: 2 * workers }, lane));
    };
    await run(Math.min(50, w.batches) * workers); // warm-up: every worker's JIT
    const t0 = performance.now();
    await run(w.batches);
    return w.batches / ((performance.now() - t0) / 1000);
  } finally {
    await pool.close();
  }
}

/** Median invoke latency (µs) of `w` on the calling thread, with or without snapshot-started instances. */
function latency(w: Workload, snapshot: boolean, n: number): number {
  const c = BatchComponent.fromComponentBytes(w.bytes, { limits: w.limits, snapshot });
  for (let i = 0; i < n; i++) c.invoke(w.inputs); // warm-up
  const t: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    c.invoke(w.inputs);
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1] * 1000;
}

/**
 * Invoke latency with and without snapshot-started instances: the libc guest (wasi-libc,
 * `_initialize` runs a constructor of ~1M instructions) and the uppercase guest (no start
 * function: the snapshot only replaces the data segments).
 */
export function snapshotRows(root: string, quick: boolean): PoolRow[] {
  const rows: PoolRow[] = [];
  const inputs = batchInputsFromWitJson(readFileSync(join(root, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8"));
  for (const name of ["libc-guest", "uppercase-guest"]) {
    const w: Workload = { name, bytes: readFileSync(join(root, "fixtures", name, "component.wasm")), inputs, limits: ExecutionLimits.default(), batches: 0 };
    const n = name === "libc-guest" ? (quick ? 100 : 300) : (quick ? 300 : 2000);
    const fresh = latency(w, false, n);
    const snap = latency(w, true, n);
    rows.push({ name: `${name} invoke, fresh instantiation`, value: fresh, unit: "µs", detail: `median of ${n}` });
    rows.push({ name: `${name} invoke, snapshot start`, value: snap, unit: "µs", detail: `median of ${n}; ${(fresh / snap).toFixed(1)}x faster` });
  }
  return rows;
}

/** Measures the pool rows. */
export async function poolRows(root: string, quick: boolean): Promise<PoolRow[]> {
  const rows: PoolRow[] = [];
  const n = Math.max(4, availableParallelism());
  const workloads: Workload[] = [
    {
      name: "uppercase",
      bytes: readFileSync(join(root, "fixtures", "uppercase-guest", "component.wasm")),
      inputs: batchInputsFromWitJson(readFileSync(join(root, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8")),
      limits: ExecutionLimits.default(),
      batches: quick ? 1000 : 4000,
    },
    {
      name: "compute",
      bytes: readFileSync(join(root, "fixtures", "compute-guest", "component.wasm")),
      inputs: computeInputs(),
      limits: ExecutionLimits.default(),
      batches: quick ? 16 : 48,
    },
  ];
  const load = loadavg().map((l) => l.toFixed(1)).join(" ");
  for (const w of workloads) {
    const base = single(w);
    rows.push({ name: `${w.name} single thread`, value: base, unit: "batches/s", detail: `BatchComponent.invoke, ${w.batches} batches` });
    for (const k of [1, 2, n]) {
      const v = await pooled(w, k);
      rows.push({ name: `${w.name} pool ${k} worker${k > 1 ? "s" : ""}`, value: v, unit: "batches/s", detail: `${(v / base).toFixed(2)}x single thread; ${availableParallelism()} cores, load average ${load}` });
    }
  }
  return rows;
}
