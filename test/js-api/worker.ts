// One official JS API test file (vendor/js-api/**/*.any.js) in its own worker thread: loads
// testharness.js, the file's META scripts and the file as classic scripts in this realm, with
// either Node's own `WebAssembly` or ours installed as the global, and posts every subtest result
// to the parent as it completes (so a per-file timeout still keeps the results so far).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { parentPort, workerData } from "node:worker_threads";

interface Data {
  readonly file: string; // path under vendor/js-api
  readonly engine: "node" | "ours";
}
const { file, engine } = workerData as Data;
const vendor = join(dirname(new URL(import.meta.url).pathname), "vendor");
const root = join(vendor, "js-api");

if (engine === "ours") {
  const { WebAssembly } = (await import("../../interpreter/webassembly.js")) as { WebAssembly: object };
  Object.defineProperty(globalThis, "WebAssembly", { value: WebAssembly, writable: true, enumerable: false, configurable: true });
}
(globalThis as { self?: unknown }).self = globalThis;

function load(path: string): void {
  vm.runInThisContext(readFileSync(path, "utf8"), { filename: path });
}

load(join(vendor, "testharness.js"));
const g = globalThis as unknown as {
  add_result_callback(cb: (t: { name: string; status: number; message: string | null }) => void): void;
  add_completion_callback(cb: (tests: unknown[], status: { status: number; message: string | null }) => void): void;
};
g.add_result_callback((t) => parentPort!.postMessage({ type: "result", name: t.name, status: t.status, message: t.message }));
g.add_completion_callback((_tests, status) => parentPort!.postMessage({ type: "done", status: status.status, message: status.message }));

const src = readFileSync(join(root, file), "utf8");
for (const m of src.matchAll(/^\/\/ META: script=(.+)$/gm)) {
  const s = m[1]!.trim();
  load(s.startsWith("/wasm/jsapi/") ? join(root, s.slice("/wasm/jsapi/".length)) : join(root, dirname(file), s));
}
load(join(root, file));
