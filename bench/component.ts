/**
 * Component rows of `npm run bench`, through the host API (`src/index.ts`, `BatchComponent`):
 * invoke latency of the uppercase fixture on its testdata (a fresh instance per call, as the host
 * does), batches per second, and payload throughput for one 1 MiB packet. Rows that cannot run
 * (host API or fixture missing) are returned as skip reasons.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { median, timed } from "./stats.js";

export interface ComponentRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

interface HostApi {
  BatchComponent: { fromComponentBytes(bytes: Uint8Array): { invoke(inputs: unknown): unknown } };
  batchInputsFromWitJson(json: unknown): unknown;
}

export async function componentRows(root: string, quick: boolean): Promise<{ rows: ComponentRow[]; skipped: string[] }> {
  const skipped: string[] = [];
  const rows: ComponentRow[] = [];
  const fixture = join(root, "fixtures", "uppercase-guest", "component.wasm");
  const inputsFile = join(root, "fixtures", "uppercase-guest", "testdata", "inputs.json");
  if (!existsSync(join(root, "src", "index.ts"))) return { rows, skipped: ["component rows: src/index.ts (host API) does not exist yet"] };
  if (!existsSync(fixture) || !existsSync(inputsFile)) return { rows, skipped: ["component rows: fixtures/uppercase-guest (component.wasm, testdata/inputs.json) not found"] };
  let api: HostApi;
  try {
    api = (await import(new URL("../src/index.js", import.meta.url).href)) as HostApi;
    if (typeof api.BatchComponent?.fromComponentBytes !== "function" || typeof api.batchInputsFromWitJson !== "function") throw new Error("BatchComponent.fromComponentBytes / batchInputsFromWitJson not exported");
  } catch (e) {
    return { rows, skipped: [`component rows: host API not usable: ${String(e)}`] };
  }
  const comp = api.BatchComponent.fromComponentBytes(new Uint8Array(readFileSync(fixture)));
  const json = JSON.parse(readFileSync(inputsFile, "utf8")) as { packets: { payload: unknown }[] }[];
  const inputs = api.batchInputsFromWitJson(json);

  // 1. Invoke latency, fresh instance per call (the host's normal mode).
  try {
    const n = quick ? 50 : 300;
    // Warm up for a fixed time so that the JIT has settled before timing single calls.
    const w0 = performance.now();
    while (performance.now() - w0 < (quick ? 300 : 1500)) comp.invoke(inputs);
    const ts: number[] = [];
    for (let i = 0; i < n; i++) ts.push(timed(() => comp.invoke(inputs)).ms);
    const packets = json.reduce((a, p) => a + p.packets.length, 0);
    rows.push({ name: "uppercase invoke latency (fresh instance)", value: median(ts) * 1000, unit: "µs (median)", detail: `${n} calls, ${json.length} port(s), ${packets} packet(s)` });
    // 2. Batches per second over a fixed wall-clock window.
    const windowMs = quick ? 300 : 1000;
    let count = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < windowMs) {
      comp.invoke(inputs);
      count++;
    }
    rows.push({ name: "uppercase batches per second", value: count / ((performance.now() - t0) / 1000), unit: "batches/s", detail: `${count} invocations in ${windowMs} ms` });
  } catch (e) {
    skipped.push(`uppercase latency: invoke failed: ${String(e)}`);
  }

  // 3. One 1 MiB packet.
  try {
    const size = 1 << 20;
    const big = JSON.parse(JSON.stringify([{ ...json[0], packets: [json[0].packets[0]] }])) as { packets: { payload: unknown }[] }[];
    big[0].packets[0].payload = { bytes: Array.from({ length: size }, (_, i) => 97 + (i % 26)) };
    const bigInputs = api.batchInputsFromWitJson(big);
    comp.invoke(bigInputs);
    const reps = quick ? 3 : 10;
    const ts: number[] = [];
    for (let i = 0; i < reps; i++) ts.push(timed(() => comp.invoke(bigInputs)).ms);
    const ms = median(ts);
    rows.push({ name: "uppercase 1 MiB packet throughput", value: size / 1e6 / (ms / 1000), unit: "MB/s", detail: `median ${ms.toFixed(1)} ms per call over ${reps} calls` });
  } catch (e) {
    skipped.push(`1 MiB packet: invoke failed: ${String(e)}`);
  }
  return { rows, skipped };
}
