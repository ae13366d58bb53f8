/**
 * The entry point of a {@link BatchPool} worker thread on Node.js (`worker_threads`): wires the
 * pool's protocol (`protocol.ts`) to `parentPort`. Not meant to be imported.
 */
import { parentPort } from "node:worker_threads";
import { WorkerSide, type ToWorker } from "./protocol.js";

const port = parentPort;
if (port === null) throw new Error("pureflow-wasm: src/pool/node-worker.js runs only as a worker thread of a BatchPool");
const side = new WorkerSide((message) => port.postMessage(message));
port.on("message", (message: ToWorker) => side.handle(message));
