// Entry point of a malformed-fuzzer worker thread: worker threads do not inherit tsx's loader
// hooks, so this plain-JS file loads tsx's API and imports the TypeScript worker (worker.ts).
import { workerData } from "node:worker_threads";
const { tsImport } = await import("tsx/esm/api");
await tsImport(workerData.entry, import.meta.url);
