/**
 * Replay rows of `npm run bench` (issue 16, section `replay`), through the host API:
 * - recording overhead: the uppercase fixture's invoke alone, recorded with `invokeAndRecord`
 *   (the record's JSON made when read), and followed by building its record at once (`recordOf`);
 *   the component hashed once beforehand with `componentIdentity`, as a recording host does; the
 *   calls alternate and each overhead is the median of the paired ratios;
 * - execution snapshots of a 16 MiB memory: the uppercase guest given one 16 MiB packet, stopped
 *   at the first instruction of `invoke` (the packet lowered into guest memory): snapshot size,
 *   capture time (`ComponentCall.capture`) and restore time (`restoreComponentCall` into a fresh
 *   store: checks, instantiation without initialisation, the state copied in).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { BatchComponent, ExecutionLimits, batchInputsFromWitJson, componentIdentity, invokeAndRecord, invokeUntil, recordOf } from "../src/index.js";
import { restoreComponentCall } from "../canonical-abi/index.js";
import { Store } from "../interpreter/index.js";
import { median } from "./stats.js";

export interface ReplayRow {
  name: string;
  value: number;
  unit: string;
  detail: string;
}

export function replayRows(root: string, quick: boolean): ReplayRow[] {
  const rows: ReplayRow[] = [];
  const bytes = readFileSync(join(root, "fixtures/uppercase-guest/component.wasm"));
  const json = JSON.parse(readFileSync(join(root, "fixtures/uppercase-guest/testdata/inputs.json"), "utf8")) as { packets: { payload: unknown }[] }[];
  const inputs = batchInputsFromWitJson(json);
  const limits = ExecutionLimits.default();
  const c = BatchComponent.fromComponentBytes(bytes, { limits });
  const id = componentIdentity(bytes);

  // 1. recording overhead
  const w0 = performance.now();
  while (performance.now() - w0 < (quick ? 300 : 1500)) {
    recordOf(id, inputs, limits, c.invokeWithReport(inputs));
    invokeAndRecord(c, id, inputs);
  }
  const n = quick ? 200 : 1000;
  // pairs of calls, plain and recorded, in alternating order (so neither always follows the
  // other's garbage); one series for each way of recording
  const pairs = (recordedCall: () => void): { plain: number[]; recorded: number[]; ratios: number[] } => {
    const plain: number[] = [], recorded: number[] = [], ratios: number[] = [];
    for (let i = 0; i < n; i++) {
      let a = 0, b = 0;
      for (const first of i % 2 === 0 ? [true, false] : [false, true]) {
        const t = performance.now();
        if (first) c.invokeWithReport(inputs);
        else recordedCall();
        if (first) a = performance.now() - t;
        else b = performance.now() - t;
      }
      plain.push(a);
      recorded.push(b);
      ratios.push(b / a);
    }
    return { plain, recorded, ratios };
  };
  const lazy = pairs(() => invokeAndRecord(c, id, inputs));
  const eager = pairs(() => recordOf(id, inputs, limits, c.invokeWithReport(inputs)));
  rows.push({ name: "uppercase invoke", value: median(lazy.plain) * 1000, unit: "µs (median)", detail: `${n} calls, paired with recorded ones in alternating order` });
  rows.push({ name: "uppercase invokeAndRecord", value: median(lazy.recorded) * 1000, unit: "µs (median)", detail: `overhead ${((median(lazy.ratios) - 1) * 100).toFixed(1)} % (median of ${n} paired ratios; target < 5 %; the record's JSON is made when read)` });
  rows.push({ name: "uppercase invoke + recordOf", value: median(eager.recorded) * 1000, unit: "µs (median)", detail: `overhead ${((median(eager.ratios) - 1) * 100).toFixed(1)} % (the record built at once: inputs and outputs converted, outputs hashed)` });

  // 2. a 16 MiB memory
  const size = 16 << 20;
  const big = JSON.parse(JSON.stringify([{ ...json[0], packets: [json[0]!.packets[0]] }])) as { packets: { payload: unknown }[] }[];
  big[0]!.packets[0]!.payload = { bytes: Array.from({ length: size }, (_, i) => 97 + (i % 26)) };
  const bigLimits = ExecutionLimits.default().withFuel(4_000_000_000);
  const bc = BatchComponent.fromComponentBytes(bytes, { limits: bigLimits });
  const stop = invokeUntil(bc, batchInputsFromWitJson(big), { stopAtFuel: 0 });
  if (stop.state !== "stopped") throw new Error("the 16 MiB invocation did not stop");
  const reps = quick ? 2 : 5;
  const capture: number[] = [], restore: number[] = [];
  let snapshot = stop.snapshot;
  for (let i = 0; i < reps; i++) {
    const store = new Store({ fuel: 0, costs: "wasmtime", limits: { maxMemoryPages: bigLimits.maxMemoryPages } });
    let t = performance.now();
    const r = restoreComponentCall(bc.compiled, snapshot, { store });
    restore.push(performance.now() - t);
    t = performance.now();
    snapshot = r.call.capture(r.host);
    capture.push(performance.now() - t);
  }
  const mib = (x: number): string => (x / (1 << 20)).toFixed(2);
  rows.push({ name: "16 MiB memory: snapshot size", value: snapshot.length / (1 << 20), unit: "MiB", detail: `${snapshot.length} bytes; memory holds a ${mib(size)} MiB packet, stopped at the first instruction of invoke` });
  rows.push({ name: "16 MiB memory: capture", value: median(capture), unit: "ms (median)", detail: `${reps} captures (runs of non-zero 1 KiB blocks copied, frames, sha256 of the core part)` });
  rows.push({ name: "16 MiB memory: restore", value: median(restore), unit: "ms (median)", detail: `${reps} restores into fresh stores (sha256 checks, uninitialised instances, state copied in)` });
  return rows;
}
