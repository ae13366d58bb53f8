// Entry of a worker thread written in TypeScript (node-runner.ts, bench/child.ts): registers tsx so
// the worker can load its TypeScript entry (workerData.entry), then loads it. Workers do not
// inherit the parent's `--import tsx`.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
