/**
 * The decode + validate + translate speed row of `npm run bench`: the largest core module at hand
 * (the biggest `.wasm` under `.bench-tools/node_modules/@bytecodealliance` — the 13 MB StarlingMonkey
 * modules once `npm run bench:tools` has installed componentize-js — or else under
 * node_modules/@bytecodealliance, jco-transpile's 3.5 MB modules, that our interpreter accepts), decoded
 * and validated with `new Module`, then translated with the translator the instances use.
 * Node's `new WebAssembly.Module` on the same bytes is given for reference (V8 compiles lazily).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { OurNamespace } from "../scripts/spec/our-engine.js";
import { median, timed } from "./stats.js";

export interface CompileRow {
  file: string;
  bytes: number;
  decodeValidateMs: number;
  translateMs: number | undefined;
  mbPerS: number;
  v8CompileMs: number;
  note: string;
}

function findWasm(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    const st = statSync(p);
    if (st.isDirectory()) findWasm(p, out);
    else if (n.endsWith(".wasm")) out.push(p);
  }
  return out;
}

function isCoreModule(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0 && b[1] === 0x61 && b[4] === 1 && b[5] === 0 && b[6] === 0 && b[7] === 0;
}

type Translate = (info: unknown, costs: unknown) => unknown;

export async function compileSpeed(root: string, ours: OurNamespace, reps: number): Promise<CompileRow | string> {
  const dirs = [join(root, ".bench-tools", "node_modules", "@bytecodealliance"), join(root, "node_modules", "@bytecodealliance")];
  const files = dirs.flatMap((d) => findWasm(d)).sort((a, b) => statSync(b).size - statSync(a).size);
  let translate: Translate | undefined;
  let resolveCosts: ((c: string) => unknown) | undefined;
  let info: ((m: object) => unknown) | undefined;
  try {
    translate = ((await import(new URL("../interpreter/translate/translator.js", import.meta.url).href)) as { translateModule: Translate }).translateModule;
    resolveCosts = ((await import(new URL("../interpreter/runtime/costs.js", import.meta.url).href)) as { resolveCosts: (c: string) => unknown }).resolveCosts;
    info = (ours.Module as unknown as { info?: (m: object) => unknown }).info;
  } catch {
    translate = undefined;
  }
  for (const f of files) {
    const b = new Uint8Array(readFileSync(f));
    if (!isCoreModule(b)) continue;
    let m: object;
    try {
      m = new ours.Module(b);
    } catch {
      continue; // uses a feature we do not implement (e.g. SIMD): try the next one
    }
    const dv: number[] = [], tr: number[] = [], v8: number[] = [];
    for (let r = 0; r < reps; r++) {
      const t = timed(() => new ours.Module(b));
      dv.push(t.ms);
      m = t.value;
      if (translate !== undefined && resolveCosts !== undefined && info !== undefined) {
        const i = info(m);
        const c = resolveCosts("wasmtime");
        tr.push(timed(() => translate!(i, c)).ms);
      }
      v8.push(timed(() => new WebAssembly.Module(b as Uint8Array<ArrayBuffer>)).ms);
    }
    const d = median(dv), t = tr.length > 0 ? median(tr) : undefined;
    return {
      file: relative(root, f),
      bytes: b.length,
      decodeValidateMs: d,
      translateMs: t,
      mbPerS: b.length / 1e6 / ((d + (t ?? 0)) / 1000),
      v8CompileMs: median(v8),
      note: t === undefined ? "translate time not measured (translator entry point not found)" : "",
    };
  }
  return "no core module under .bench-tools/ or node_modules/@bytecodealliance that our interpreter accepts";
}
