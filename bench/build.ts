/**
 * `npm run bench:build [-- --check] [name ...]`: builds the benchmark workloads
 * `bench/workloads/<name>/<name>.{c,rs}` into `bench/workloads/<name>/<name>.wasm`.
 *
 * C: Debian `clang --target=wasm32-wasi` with Debian's wasi-libc (sysroot `/usr`) and lld, `-O2`,
 * no entry point (the module exports `bench` and `memory`; wasi-libc's malloc/qsort/string
 * functions are linked in and need no imports). Rust: Debian `/usr/bin/rustc` (the rustup one
 * usually has no wasm target) for `wasm32-unknown-unknown`, `cdylib`, `opt-level=2`, std (its
 * allocator is Rust's own dlmalloc port). Source paths are remapped so the output does not depend
 * on where the repository is checked out.
 *
 * The built `.wasm` files are committed, so `npm run bench` needs no compiler; `--check` rebuilds
 * into a temporary folder and fails when a committed file differs from what the sources give.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const wdir = join(root, "bench", "workloads");
const CLANG = process.env.PUREFLOW_CLANG ?? "clang";
const RUSTC = process.env.PUREFLOW_RUSTC ?? "/usr/bin/rustc";
const SYSROOT = process.env.PUREFLOW_WASI_SYSROOT ?? "/usr";

/** The workloads with a source file: name -> [language, source path]. */
export function workloadSources(): Map<string, { lang: "c" | "rust"; src: string }> {
  const out = new Map<string, { lang: "c" | "rust"; src: string }>();
  for (const name of readdirSync(wdir).sort()) {
    const c = join(wdir, name, `${name}.c`), rs = join(wdir, name, `${name}.rs`);
    if (existsSync(c)) out.set(name, { lang: "c", src: c });
    else if (existsSync(rs)) out.set(name, { lang: "rust", src: rs });
  }
  return out;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: root });
  if (r.error !== undefined) throw new Error(`bench:build: cannot run ${cmd}: ${r.error.message} (install with scripts/install-tools.sh)`);
  if (r.status !== 0) throw new Error(`bench:build: ${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
}

function build(name: string, lang: "c" | "rust", src: string, out: string): void {
  if (lang === "c") {
    run(CLANG, ["--target=wasm32-wasi", `--sysroot=${SYSROOT}`, "-O2", "-std=c11", "-Wall", "-Werror", `-ffile-prefix-map=${root}=.`,
      "-nostartfiles", "-Wl,--no-entry", "-Wl,--strip-debug", "-o", out, src, "-lm"]);
  } else {
    run(RUSTC, ["--target", "wasm32-unknown-unknown", "--crate-type", "cdylib", "--edition", "2021", "-C", "opt-level=2", "-C", "debuginfo=0",
      "-C", "panic=abort", "-C", "strip=debuginfo", `--remap-path-prefix=${root}=.`, "--crate-name", name, "-o", out, src]);
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  const checkOnly = argv.includes("--check");
  const names = argv.filter((a) => !a.startsWith("--"));
  const sources = workloadSources();
  const tmp = mkdtempSync(join(tmpdir(), "bench-build-"));
  let bad = 0;
  try {
    for (const [name, { lang, src }] of sources) {
      if (names.length > 0 && !names.includes(name)) continue;
      const dest = join(wdir, name, `${name}.wasm`);
      const out = join(tmp, `${name}.wasm`);
      build(name, lang, src, out);
      const bytes = readFileSync(out);
      const same = existsSync(dest) && Buffer.compare(bytes, readFileSync(dest)) === 0;
      if (checkOnly) {
        console.log(`${name}: ${same ? "same as committed" : "DIFFERS from the committed .wasm"}`);
        if (!same) bad++;
      } else {
        writeFileSync(dest, bytes);
        console.log(`${name} (${lang}): ${bytes.length} bytes${same ? " (unchanged)" : ""}`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (bad > 0) process.exit(1);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
