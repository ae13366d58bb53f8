/**
 * Runs one package driver (drivers.ts) in this process on one engine and prints one JSON line:
 * `{ name, engine, ok, sha256, bytes, ms, error? }`. Usage:
 *   node --import tsx test/packages/run-one.ts <package> <native|ours> [quick|full]
 * With `ours`, pureflow-wasm/polyfill replaces globalThis.WebAssembly before the package loads.
 */
import { createHash } from "node:crypto";
import { installWebAssembly } from "../../interpreter/polyfill.js";
import { drivers } from "./drivers.js";

const [name, engine, size] = process.argv.slice(2);
const d = drivers.find((x) => x.name === name);
if (d === undefined || (engine !== "native" && engine !== "ours")) {
  console.error("usage: run-one.ts <package> <native|ours> [quick|full]");
  process.exit(2);
}
if (engine === "ours") installWebAssembly({ force: true });
const t0 = performance.now();
try {
  const out = await d.run(size !== "full");
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ name, engine, ok: true, sha256: createHash("sha256").update(out).digest("hex"), bytes: out.length, ms }));
} catch (e) {
  console.log(JSON.stringify({ name, engine, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e), ms: performance.now() - t0 }));
}
