// Entry of the Node-side worker thread (node-runner.ts): registers tsx so the worker can load the
// TypeScript runner, then loads it. Workers do not inherit the parent's `--import tsx`.
import { register } from "tsx/esm/api";
import { workerData } from "node:worker_threads";

register();
await import(workerData.entry);
