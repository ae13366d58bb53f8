/**
 * Minimises a diverging module, keeping every step after which the two engines still disagree.
 *
 * binaryen's `wasm-reduce` from npm cannot be used: its Emscripten build aborts as soon as it
 * tries to run the test command (no process support), so this is an in-process reducer:
 * 1. drop function exports one at a time;
 * 2. replace function bodies with `unreachable` one at a time;
 * 3. run wasm-opt passes that only remove things (`--remove-unused-module-elements`, `--vacuum`,
 *    `--dce`), in this process through ttf.ts's loader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { funcBody, vec } from "../spec/wasm-encode.js";
import { diffModule } from "./diff.js";
import type { Side } from "./diff.js";
import { exportSection, rebuildModule } from "./module-edit.js";
import { FEATURE_SETS, runWasmOpt } from "./ttf.js";
import { parseModule } from "./wasm-parse.js";

export interface ReduceOptions {
  readonly argSets: number;
  readonly nanTolerantMemory: boolean;
  /** Stop after this many ms (default 120 s). */
  readonly timeLimitMs?: number;
}

/** True when `bytes` is a valid module on which the engines still disagree. */
function stillDiverges(bytes: Uint8Array, makeA: () => Side, makeB: () => Side, seed: number, o: ReduceOptions): boolean {
  if (!WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return false;
  try {
    return diffModule(bytes, makeA(), makeB(), seed, { argSets: o.argSets, nanTolerantMemory: o.nanTolerantMemory }).status === "diverge";
  } catch {
    return false;
  }
}

function withoutExport(b: Uint8Array, k: number): Uint8Array {
  const m = parseModule(b);
  const exports = m.exports.filter((_, i) => i !== k);
  return rebuildModule(m, new Map([[7, exportSection(exports)]]));
}

function withUnreachableBody(b: Uint8Array, k: number): Uint8Array {
  const m = parseModule(b);
  const bodies = m.bodies.map((body, i) => {
    if (i === k) return funcBody([], [0x00]);
    const start = body.codeStart;
    // Re-encode unchanged: locals + code bytes (funcBody adds the final `end`, so drop ours).
    const locals: number[] = [];
    for (const [c, t] of body.locals) for (let j = 0; j < c; j++) locals.push(t);
    return funcBody(locals, Array.from(m.bytes.subarray(start, body.codeEnd - 1)));
  });
  return rebuildModule(m, new Map([[10, vec(bodies)]]));
}

/** Returns the reduced module (the input itself when nothing could be removed). */
export async function reduceModule(input: Uint8Array, makeA: () => Side, makeB: () => Side, seed: number, o: ReduceOptions): Promise<Uint8Array> {
  const t0 = performance.now();
  const out = (): boolean => performance.now() - t0 > (o.timeLimitMs ?? 120_000);
  let cur = input;
  if (!stillDiverges(cur, makeA, makeB, seed, o)) return cur;
  // 1. exports (from the end, so indices of the ones still to try stay valid)
  for (let k = parseModule(cur).exports.length - 1; k >= 0 && !out(); k--) {
    const cand = withoutExport(cur, k);
    if (stillDiverges(cand, makeA, makeB, seed, o)) cur = cand;
  }
  // 2. bodies
  for (let k = 0; k < parseModule(cur).bodies.length && !out(); k++) {
    const cand = withUnreachableBody(cur, k);
    if (cand.length < cur.length && stillDiverges(cand, makeA, makeB, seed, o)) cur = cand;
  }
  // 3. binaryen passes that remove code
  const dir = mkdtempSync(join(tmpdir(), "pureflow-reduce-"));
  try {
    for (const pass of ["--remove-unused-module-elements", "--vacuum", "--dce", "--remove-unused-module-elements"]) {
      if (out()) break;
      writeFileSync(join(dir, "in.wasm"), cur);
      await runWasmOpt([join(dir, "in.wasm"), "-q", "--mvp-features", ...FEATURE_SETS.simd, pass, "-o", join(dir, "out.wasm")]);
      const cand = new Uint8Array(readFileSync(join(dir, "out.wasm")));
      if (cand.length < cur.length && stillDiverges(cand, makeA, makeB, seed, o)) cur = cand;
    }
  } catch {
    // a pass failed: keep what we have
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cur;
}
