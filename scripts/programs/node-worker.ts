/**
 * The worker thread of {@link NodeRunner}: announces that it is loaded, then runs each program it
 * is sent on Node's WebAssembly with the shared WASI stubs and posts back the outcome.
 */
import { parentPort } from "node:worker_threads";
import { runOnNode } from "./run.js";

parentPort!.on("message", (m: { id: number; bytes: Uint8Array }) => {
  parentPort!.postMessage({ id: m.id, outcome: runOnNode(m.bytes) });
});
parentPort!.postMessage({ ready: true });
