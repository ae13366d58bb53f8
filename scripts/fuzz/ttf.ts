/**
 * Generates random valid modules with binaryen's `wasm-opt -ttf` (translate-to-fuzz) from seeded
 * random bytes. The npm build of wasm-opt is an Emscripten program; instead of starting a process
 * per module (~0.4 s), it is loaded once and its `main` re-run in this process for every module
 * (~60-100 ms each). Files go through a temporary folder (the program reads and writes the real
 * file system).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { Rng } from "./prng.js";

/** The Wasm 2.0 features without SIMD (binaryen's names). */
const WASM2 = [
  "--enable-mutable-globals",
  "--enable-sign-ext",
  "--enable-nontrapping-float-to-int",
  "--enable-bulk-memory",
  "--enable-bulk-memory-opt",
  "--enable-reference-types",
  "--enable-multivalue",
] as const;

/** Feature presets (all start from `--mvp-features`). */
export const FEATURE_SETS = {
  mvp: ["--enable-mutable-globals"],
  bulk: ["--enable-mutable-globals", "--enable-bulk-memory", "--enable-bulk-memory-opt"],
  ref: ["--enable-mutable-globals", "--enable-reference-types", "--enable-bulk-memory", "--enable-bulk-memory-opt"],
  multivalue: ["--enable-mutable-globals", "--enable-multivalue"],
  all: WASM2,
  /** Everything of `all` plus fixed-width SIMD (the SIMD presets are not in the `mixed` rotation: select them with `--features simd`). */
  simd: [...WASM2, "--enable-simd"],
  /** MVP plus fixed-width SIMD only (no reference types, so no externref imports: the fuel oracle's modules). */
  "simd-mvp": ["--enable-mutable-globals", "--enable-simd"],
  /**
   * Everything of `simd` plus the Wasm 3.0 features implemented so far that Node runs without flags
   * from Node 22 on (tail calls, multi-memory, extended constants): run the campaign under a newer
   * Node as the oracle (`<node 22+> --import tsx scripts/fuzz-diff.ts --features wasm3`; Node 20
   * cannot compile these modules). binaryen 132's -ttf emits few tail calls (about 1 per 13
   * modules) and no second memory, so this adds little beyond the `simd` preset for those two.
   * Relaxed SIMD is left out: V8's relaxed results follow the hardware, ours the deterministic profile.
   */
  wasm3: [...WASM2, "--enable-simd", "--enable-tail-call", "--enable-multimemory", "--enable-extended-const"],
  /**
   * Everything of `simd` with 64-bit memories and tables (binaryen makes about half of the modules
   * memory64 and table64); not in the `mixed` rotation: Node 20 has no memory64, run it under Node 26.
   */
  memory64: [...WASM2, "--enable-simd", "--enable-memory64"],
  /**
   * Everything of the Wasm 2.0 flags plus exception handling (not in the `mixed` rotation: Node 20
   * has no exnref; run the campaign under Node >= 24). binaryen's -ttf emits legacy `try` and
   * `try_table` both: {@link TtfGenerator.args} adds `--translate-to-exnref`, which rewrites the
   * legacy forms.
   */
  eh: [...WASM2, "--enable-exception-handling"],
} as const;
export type FeatureSet = keyof typeof FEATURE_SETS;
/** Every preset. */
export const ALL_FEATURE_NAMES = Object.keys(FEATURE_SETS) as FeatureSet[];
/** The presets of the `mixed` rotation (module seed s uses `FEATURE_NAMES[s % 5]`): the ones Node 20 runs. */
export const FEATURE_NAMES = ALL_FEATURE_NAMES.filter((f) => f !== "simd" && f !== "simd-mvp" && f !== "wasm3" && f !== "memory64" && f !== "eh");

/** Optimisation levels run after generation (`wasm-opt -O3` / `-Oz`) to get optimising-compiler shapes. */
export const OPT_LEVELS = ["O3", "Oz"] as const;
export type OptLevel = (typeof OPT_LEVELS)[number];

type EmModule = {
  arguments: string[];
  print: (s: string) => void;
  printErr: (s: string) => void;
  postRun: (() => void)[];
  onAbort: (what: unknown) => void;
};
type Main = (Module: EmModule, require: NodeRequire, filename: string, dirname: string) => void;

const binDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "node_modules", "binaryen", "bin");

let loaded: Main | undefined;
function loadWasmOpt(): Main {
  if (loaded !== undefined) return loaded;
  const path = join(binDir, "wasm-opt");
  const src = readFileSync(path, "utf8").replace(/^#!.*\n/, "");
  // Test tooling only: the Emscripten script is wrapped in a function so it can be re-run.
  loaded = vm.runInThisContext(`(function(Module, require, __filename, __dirname){${src}\n})`, { filename: path }) as Main;
  return loaded;
}

/** Runs wasm-opt with `args` in this process; resolves with its printed output. */
export function runWasmOpt(args: string[]): Promise<string> {
  const main = loadWasmOpt();
  const req = createRequire(join(binDir, "wasm-opt"));
  return new Promise((resolve, reject) => {
    const out: string[] = [];
    const savedExit = process.exitCode;
    const Module: EmModule = {
      arguments: args,
      print: (s) => out.push(s),
      printErr: (s) => out.push(s),
      postRun: [() => { process.exitCode = savedExit; resolve(out.join("\n")); }],
      onAbort: (what) => reject(new Error(`wasm-opt aborted: ${String(what)}\n${out.join("\n")}`)),
    };
    try {
      main(Module, req, join(binDir, "wasm-opt"), binDir);
    } catch (e) {
      if ((e as { name?: string }).name !== "ExitStatus") reject(e);
    }
  });
}

export interface TtfOptions {
  readonly features: FeatureSet;
  /** Run binaryen's `--denan` pass so that no NaN is produced at run time (default true). */
  readonly denan?: boolean;
  /** Size of the random input in bytes (default: drawn from the seed, 200..6000). */
  readonly inputSize?: number;
  /** Optimise the generated module (after `--denan`) in the same wasm-opt run (default: none). */
  readonly opt?: OptLevel;
}

/** Generates modules from seeds. Create one per process; call `close()` to remove its temp folder. */
export class TtfGenerator {
  private readonly dir = mkdtempSync(join(tmpdir(), "pureflow-ttf-"));
  private n = 0;

  /** Random input bytes for `seed` (what wasm-opt reads). */
  static input(seed: number, size?: number): Uint8Array {
    const rng = new Rng(seed);
    const n = size ?? 200 + rng.int(5800);
    return rng.bytes(n);
  }

  /** The wasm-opt arguments used for a preset (after the input file). */
  static args(opts: TtfOptions): string[] {
    return ["-ttf", "-q", "--mvp-features", ...FEATURE_SETS[opts.features], ...(opts.denan === false ? [] : ["--denan"]), ...(opts.opt === undefined ? [] : [`-${opts.opt}`]), ...(opts.features === "eh" ? ["--translate-to-exnref"] : [])];
  }

  async generate(seed: number, opts: TtfOptions): Promise<Uint8Array> {
    const id = this.n++;
    const inFile = join(this.dir, `in${id}.bin`);
    const outFile = join(this.dir, `out${id}.wasm`);
    writeFileSync(inFile, TtfGenerator.input(seed, opts.inputSize));
    const log = await runWasmOpt([inFile, ...TtfGenerator.args(opts), "-o", outFile]);
    let out: Uint8Array;
    try {
      out = new Uint8Array(readFileSync(outFile));
    } catch {
      throw new Error(`wasm-opt produced no module for seed ${seed}: ${log}`);
    }
    rmSync(inFile, { force: true });
    rmSync(outFile, { force: true });
    return out;
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
