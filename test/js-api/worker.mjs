// One official JS API test file (vendor/js-api/**/*.any.js) in its own worker thread: loads
// testharness.js, the file's META scripts and the file as classic scripts in this realm, with
// either Node's own `WebAssembly` or ours installed as the global, and posts every subtest result
// to the parent as it completes (so a per-file timeout still keeps the results so far).
//
// Ours is the namespace the package exports as `pureflow-wasm/webassembly` (dist/bundle, built by
// `npm run build`, which `npm test` and `npm run jsapi` run first). Plain JavaScript, so
// the worker starts without a TypeScript loader: ~0.15 s of CPU per file instead of ~0.65 s with
// tsx and the interpreter's sources (45 files per run).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import vm from "node:vm";
import { parentPort, workerData } from "node:worker_threads";

const { file, engine } = workerData; // file: path under vendor/js-api; engine: "node" | "ours"
const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "vendor");
const root = join(vendor, "js-api");

if (engine === "ours") {
  const bundle = join(here, "..", "..", "dist", "bundle", "webassembly.js");
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const { WebAssembly } = await import(pathToFileURL(bundle).href);
  Object.defineProperty(globalThis, "WebAssembly", { value: WebAssembly, writable: true, enumerable: false, configurable: true });
}
globalThis.self = globalThis;

function load(path) {
  vm.runInThisContext(readFileSync(path, "utf8"), { filename: path });
}

load(join(vendor, "testharness.js"));
globalThis.add_result_callback((t) => parentPort.postMessage({ type: "result", name: t.name, status: t.status, message: t.message }));
globalThis.add_completion_callback((_tests, status) => parentPort.postMessage({ type: "done", status: status.status, message: status.message }));

const src = readFileSync(join(root, file), "utf8");
for (const m of src.matchAll(/^\/\/ META: script=(.+)$/gm)) {
  const s = m[1].trim();
  load(s.startsWith("/wasm/jsapi/") ? join(root, s.slice("/wasm/jsapi/".length)) : join(root, dirname(file), s));
}
load(join(root, file));
