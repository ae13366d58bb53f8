// The checks run in the page and in a Web Worker under a strict CSP (no 'unsafe-eval', no
// 'wasm-unsafe-eval'): the host's WebAssembly must be refused, our interpreter must not be.
// Plain ES modules loaded from the project's dist/bundle/ (the files the package exports) and
// node_modules/: nothing here imports `node:`.
import { BatchComponent, batchInputsFromWitJson, batchesToWitJson } from "/dist/bundle/index.js";
import { Instance, Module } from "/dist/bundle/interpreter.js";
import { installWebAssembly, nativeWebAssembly } from "/dist/bundle/polyfill.js";

const EMPTY = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
// (func (export "fac") (param i64) (result i64) ...) iterative factorial
const FAC = new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,126,1,126,3,2,1,0,7,7,1,3,102,97,99,0,0,10,39,1,37,1,1,126,66,1,33,1,2,64,3,64,32,0,80,13,1,32,1,32,0,126,33,1,32,0,66,1,125,33,0,12,0,11,11,32,1,11]);

function pattern(n) {
  const out = new Uint8Array(n);
  let x = 1;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 255; }
  return out;
}

export async function runChecks() {
  const r = { where: typeof document === "undefined" ? "worker" : "page" };
  // 1. the CSP is active: the host's own WebAssembly refuses to compile
  try {
    await nativeWebAssembly.compile(EMPTY);
    r.nativeCompile = "allowed";
  } catch (e) {
    r.nativeCompile = `refused: ${e && e.name}: ${String(e && e.message).slice(0, 160)}`;
  }
  // 2. the uppercase batch component through BatchComponent
  const base = new URL("/fixtures/uppercase-guest/", location.href);
  const bytes = await (await fetch(new URL("component.wasm", base))).arrayBuffer();
  const inputs = batchInputsFromWitJson(await (await fetch(new URL("testdata/inputs.json", base))).text());
  const expected = JSON.parse(await (await fetch(new URL("testdata/expected-outputs.json", base))).text());
  const guest = BatchComponent.fromComponentBytes(bytes);
  let outputs = guest.invoke(inputs);
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    outputs = guest.invoke(inputs);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  r.uppercaseMatches = JSON.stringify(batchesToWitJson(outputs)) === JSON.stringify(expected);
  r.uppercaseMedianMs = times[times.length >> 1];
  // 3. a core module through the interpreter
  const fac = new Instance(new Module(FAC)).exports.fac;
  r.fac20 = String(fac(20n));
  // 4. an npm package, unchanged, through the polyfill
  r.installed = installWebAssembly({ force: true });
  const hw = await import("/node_modules/hash-wasm/dist/index.esm.js");
  r.sha256 = await hw.sha256(pattern(10000));
  r.xxhash64 = await hw.xxhash64(pattern(10000));
  return r;
}
