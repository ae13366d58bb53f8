/**
 * The compilers of the program corpus (Debian packages; `scripts/install-tools.sh` installs them):
 * `clang --target=wasm32-wasi` with wasi-libc and lld, `csmith` with its headers, and Debian's
 * `rustc` with the `wasm32-wasi` standard library. Paths can be overridden through environment
 * variables (PUREFLOW_CLANG, PUREFLOW_WASI_SYSROOT, PUREFLOW_CSMITH, PUREFLOW_CSMITH_INCLUDE,
 * PUREFLOW_RUSTC). `/usr/bin/rustc` is preferred over a rustup `rustc` on the PATH, which usually
 * lacks the wasm32-wasi target.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Optimisation levels every C and Rust program is built at. */
export const OPT_LEVELS = ["O0", "O1", "O2", "Os"] as const;
export type CLevel = (typeof OPT_LEVELS)[number];

/**
 * Csmith options: small programs (a few hundred to ~1,200 lines) that compile in about a second
 * and usually finish within a few million instructions. Packed structs are left out (clang warns
 * about unaligned accesses through them, which are still defined, but they add little here).
 */
export const CSMITH_OPTIONS = ["--no-packed-struct", "--max-funcs", "6", "--max-block-depth", "3", "--max-block-size", "4", "--max-expr-complexity", "8"];

function onPath(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  const p = r.stdout.trim();
  return r.status === 0 && p !== "" ? p : undefined;
}

function firstExisting(paths: readonly (string | undefined)[]): string | undefined {
  return paths.find((p): p is string => p !== undefined && existsSync(p));
}

/** Where each tool is, or undefined when it is missing. */
export interface Toolchain {
  readonly clang: string | undefined;
  /** A sysroot with `include/wasm32-wasi` and `lib/wasm32-wasi/libc.a`. */
  readonly sysroot: string | undefined;
  readonly csmith: string | undefined;
  /** The folder holding `csmith.h`. */
  readonly csmithInclude: string | undefined;
  /** A rustc with the wasm32-wasi standard library. */
  readonly rustc: string | undefined;
}

let cached: Toolchain | undefined;

/** Finds the tools (once per process). */
export function findToolchain(): Toolchain {
  if (cached !== undefined) return cached;
  const env = process.env;
  // An override that names a missing file counts as missing (it is never replaced by a PATH lookup).
  const given = (v: string | undefined): string | undefined => (v !== undefined && existsSync(v) ? v : undefined);
  const clang = "PUREFLOW_CLANG" in env ? given(env.PUREFLOW_CLANG) : onPath("clang") ?? onPath("clang-14");
  const sysroot = [env.PUREFLOW_WASI_SYSROOT, "/usr/share/wasi-sysroot", "/usr"].find(
    (s) => s !== undefined && existsSync(join(s, "lib", "wasm32-wasi", "libc.a")) && existsSync(join(s, "include", "wasm32-wasi", "stdio.h")),
  );
  const csmith = "PUREFLOW_CSMITH" in env ? given(env.PUREFLOW_CSMITH) : onPath("csmith");
  const csmithInclude = [env.PUREFLOW_CSMITH_INCLUDE, "/usr/include/csmith", "/usr/local/include/csmith", "/usr/include/csmith-2.3.0"].find(
    (d) => d !== undefined && existsSync(join(d, "csmith.h")),
  );
  let rustc = "PUREFLOW_RUSTC" in env ? given(env.PUREFLOW_RUSTC) : firstExisting(["/usr/bin/rustc", onPath("rustc")]);
  if (rustc !== undefined) {
    const sysrootOut = spawnSync(rustc, ["--print", "sysroot"], { encoding: "utf8" }).stdout?.trim() ?? "";
    if (!existsSync(join(sysrootOut, "lib", "rustlib", "wasm32-wasi"))) rustc = undefined;
  }
  cached = { clang, sysroot, csmith, csmithInclude, rustc };
  return cached;
}

function missingCTools(t: Toolchain): string[] {
  const m = [t.clang === undefined ? "clang" : "", t.sysroot === undefined ? "wasi-libc (no wasm32-wasi sysroot)" : ""].filter(Boolean);
  if (m.length === 0 && !existsSync("/usr/bin/wasm-ld") && onPath("wasm-ld") === undefined && onPath("wasm-ld-14") === undefined) m.push("lld (wasm-ld)");
  return m;
}

/** Why C programs cannot be built here, or undefined when they can. */
export function missingForC(t: Toolchain = findToolchain()): string | undefined {
  const m = missingCTools(t);
  return m.length > 0 ? `missing ${m.join(", ")}; run scripts/install-tools.sh` : undefined;
}

/** Why Csmith programs cannot be built here, or undefined. */
export function missingForCsmith(t: Toolchain = findToolchain()): string | undefined {
  const m = [t.csmith === undefined ? "csmith" : "", t.csmithInclude === undefined ? "csmith.h (libcsmith-dev)" : "", ...missingCTools(t)].filter(Boolean);
  return m.length > 0 ? `missing ${m.join(", ")}; run scripts/install-tools.sh` : undefined;
}

/** Why Rust programs cannot be built here, or undefined. */
export function missingForRust(t: Toolchain = findToolchain()): string | undefined {
  return t.rustc === undefined ? "missing a rustc with the wasm32-wasi standard library (Debian rustc + libstd-rust-dev-wasm32); run scripts/install-tools.sh" : undefined;
}

/** A compiler failure (the program is counted as not compiled, not as a divergence). */
export class CompileFailed extends Error {
  constructor(readonly tool: string, readonly output: string) {
    super(`${tool} failed: ${output.slice(0, 2000)}`);
    this.name = "CompileFailed";
  }
}

function run(tool: string, args: readonly string[], timeoutMs: number): void {
  const r = spawnSync(tool, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 16 << 20 });
  if (r.error !== undefined || r.status !== 0) throw new CompileFailed(`${tool} ${args.join(" ")}`, `${r.error?.message ?? ""}${r.stderr ?? ""}${r.stdout ?? ""}`);
}

/**
 * Compiles C file `src` to a WASI command module at `level`; returns the module bytes. Note: at
 * -O1 and above, clang's wasm driver runs `wasm-opt -O<level>` on the linked module when binaryen's
 * `wasm-opt` is on the PATH (Debian's binaryen 108 here, as install-tools.sh installs it), so
 * those builds are LLVM output further optimised by binaryen; -O0 builds and Rust builds are not.
 */
export function compileC(src: string, level: CLevel, out: string, extra: readonly string[] = [], timeoutMs = 120_000): Uint8Array {
  const t = findToolchain();
  const why = missingForC(t);
  if (why !== undefined) throw new Error(why);
  run(t.clang!, ["--target=wasm32-wasi", `--sysroot=${t.sysroot}`, `-${level}`, "-w", ...extra, src, "-o", out], timeoutMs);
  return new Uint8Array(readFileSync(out));
}

/** Compiles Rust file `src` (a `main` program using std) for wasm32-wasi at `level`. */
export function compileRust(src: string, level: CLevel, out: string, timeoutMs = 300_000): Uint8Array {
  const t = findToolchain();
  const why = missingForRust(t);
  if (why !== undefined) throw new Error(why);
  const opt = level === "Os" ? "s" : level.slice(1);
  // Overflow checks stay on at every level (as in debug builds), so checked arithmetic is exercised optimised too.
  run(t.rustc!, ["--target", "wasm32-wasi", "--edition", "2021", "-C", `opt-level=${opt}`, "-C", "overflow-checks=on", "-C", "debuginfo=0", "-C", "strip=debuginfo", "-A", "warnings", src, "-o", out], timeoutMs);
  return new Uint8Array(readFileSync(out));
}

/** Generates the Csmith program of `seed` (C source text). */
export function csmithSource(seed: number, options: readonly string[] = CSMITH_OPTIONS): string {
  const t = findToolchain();
  if (t.csmith === undefined) throw new Error("csmith is missing; run scripts/install-tools.sh");
  return execFileSync(t.csmith, ["--seed", String(seed >>> 0), ...options], { encoding: "utf8", maxBuffer: 64 << 20, timeout: 60_000 });
}

/** The extra clang flags for a Csmith program (its runtime headers). */
export function csmithFlags(): string[] {
  const inc = findToolchain().csmithInclude;
  if (inc === undefined) throw new Error("csmith.h is missing (libcsmith-dev); run scripts/install-tools.sh");
  return [`-I${inc}`];
}

/**
 * A build cache (content-addressed by source text, language, level and compiler version) under
 * the system's temp folder, so repeated test runs do not recompile the corpus.
 */
export function cachedBuild(kind: "c" | "rust" | "csmith", srcText: string, level: CLevel, build: (out: string) => Uint8Array): Uint8Array {
  const t = findToolchain();
  const tool = kind === "rust" ? t.rustc : t.clang;
  const version = tool !== undefined ? (versions.get(tool) ?? versions.set(tool, spawnSync(tool, ["--version"], { encoding: "utf8" }).stdout ?? "").get(tool)!) : "";
  const key = createHash("sha256").update(`${kind}\0${level}\0${version}\0${srcText}`).digest("hex").slice(0, 24);
  const dir = join(tmpdir(), "pureflow-programs-cache");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${key}.wasm`);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const bytes = build(tmp);
    renameSync(tmp, file);
    return bytes;
  } finally {
    rmSync(tmp, { force: true });
  }
}

const versions = new Map<string, string>();
