/**
 * The entry point of a {@link BatchPool} worker on the Web Worker API (browsers, Deno, Bun):
 * wires the pool's protocol (`protocol.ts`) to the worker's global scope. Not meant to be imported.
 */
import { WorkerSide, type ToWorker } from "./protocol.js";

const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((e: MessageEvent) => void) | null;
};
const side = new WorkerSide((message) => scope.postMessage(message));
scope.onmessage = (e: MessageEvent) => side.handle(e.data as ToWorker);
