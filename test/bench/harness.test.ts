/**
 * The benchmark harness's own pieces (no timings): the V8 trace parser that counts the dispatch
 * loop's deoptimisations, the fresh custom section appended for startup rows, and the committed
 * workload modules (each has a source, exports `bench`, imports nothing, and returns the same value
 * on V8 twice in a row, so the bench can compare engines on a warm instance), and the `mixed` child
 * (several workloads in one process) giving V8's results.
 */
import { existsSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";
import { loopTrace, runMixed, workloadSpecs } from "../../bench/workloads.js";
import { withNonce } from "../../bench/stats.js";
import { workloadSources } from "../../bench/build.js";

const TRACE = [
  "[marking 0x3de8ba71e9f1 <JSFunction loop (sfi = 0x262d50f6cb49)> for optimization to TURBOFAN, ConcurrencyMode::kConcurrent, reason: hot and stable]",
  "[compiling method 0x3de8ba71e9f1 <JSFunction loop (sfi = 0x262d50f6cb49)> (target TURBOFAN) OSR, mode: ConcurrencyMode::kConcurrent]",
  "[completed compiling 0x3de8ba71e9f1 <JSFunction loop (sfi = 0x262d50f6cb49)> (target TURBOFAN) OSR - took 0.009, 321.071, 0.792 ms]",
  "[completed optimizing 0x3de8ba71e9f1 <JSFunction loop (sfi = 0x262d50f6cb49)> (target TURBOFAN) OSR]",
  "[bailout (kind: deopt-eager, reason: Insufficient type feedback for binary operation): begin. deoptimizing 0x3de8ba71e9f1 <JSFunction loop (sfi = 0x262d50f6cb49)>, 0x2bb9a671f2b9 <Code TURBOFAN>, opt id 9, bytecode offset 6253",
  "[bailout (kind: deopt-lazy, reason: (unknown)): begin. deoptimizing 0x1 <JSFunction loopHelper (sfi = 0x2)>, 0x3 <Code TURBOFAN>",
  "[bailout (kind: deopt-soft, reason: Insufficient type feedback for call): begin. deoptimizing 0x1 <JSFunction invoke (sfi = 0x2)>",
  "[completed optimizing 0x1 <JSFunction run (sfi = 0x2)> (target TURBOFAN)]",
  "[bailout (kind: deopt-soft, reason: Insufficient type feedback for call): begin. deoptimizing 0x3de8ba71e9f1 <JSFunction loop (sfi = 0x262d50f6cb49)>, 0x2bb9a671f2b9 <Code TURBOFAN>",
].join("\n");

test("loopTrace counts only the function `loop`", () => {
  const t = loopTrace(TRACE);
  assert.is(t.deopts, 2);
  assert.is(t.optimizations, 1);
  assert.equal(t.reasons, ["deopt-eager: Insufficient type feedback for binary operation", "deopt-soft: Insufficient type feedback for call"]);
  assert.ok(Math.abs(t.compileMs - 321.872) < 1e-9);
  assert.is(loopTrace("").deopts, 0);
});

test("withNonce appends a valid custom section with a fresh payload", () => {
  const bytes = new Uint8Array(readFileSync(`${projectRoot}/bench/workloads/vm/vm.wasm`));
  const a = withNonce(bytes, 0), b = withNonce(bytes, 0);
  assert.ok(Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0, "two calls give different bytes");
  assert.equal(a.subarray(0, bytes.length), bytes);
  const m = new WebAssembly.Module(a as Uint8Array<ArrayBuffer>);
  assert.is(WebAssembly.Module.customSections(m, "pureflow-bench-nonce").length, 1);
});

test("every committed workload has a source, exports bench, imports nothing, repeats its result", () => {
  const specs = workloadSpecs(projectRoot, undefined);
  const sources = workloadSources();
  assert.ok(specs.length >= 8, `at least 8 own workloads (found ${specs.length})`);
  assert.ok(specs.filter((s) => s.lang === "rust").length >= 2, "at least 2 in Rust");
  for (const s of specs) {
    assert.ok(s.source !== undefined ? existsSync(s.source) : sources.has(s.name), `${s.name} has a source`);
    const m = new WebAssembly.Module(readFileSync(s.file));
    assert.equal(WebAssembly.Module.imports(m), [], `${s.name} imports nothing`);
    assert.ok(WebAssembly.Module.exports(m).some((e) => e.name === "bench" && e.kind === "function"), `${s.name} exports bench`);
  }
  // one cheap workload run twice on V8 (the bench relies on repeatable results per instance)
  const vm = specs.find((s) => s.name === "vm")!;
  const f = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(vm.file))).exports.bench as () => number;
  assert.is(f(), f());
});

test("the mixed child runs several workloads in one process and gets V8's result for each", () => {
  const specs = workloadSpecs(projectRoot, undefined).filter((s) => s.name === "vm" || s.name === "simd-off");
  assert.is(specs.length, 2);
  const m = runMixed(projectRoot, specs, 1, 0);
  assert.equal(m.rows.map((r) => r.workload), specs.map((s) => s.name));
  for (const [i, r] of m.rows.entries()) {
    const v8 = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(specs[i]!.file))).exports.bench as () => unknown;
    const want = v8();
    assert.is(r.result, typeof want === "bigint" ? `${want}n` : String(want), `${r.workload}: same result as V8`);
    assert.ok(r.steadyMs > 0 && r.first > 0, `${r.workload}: timed`);
  }
  assert.ok(m.loop.optimizations >= 1, "the trace of that process was read (the loop was optimised)");
});

test.run();
