/**
 * Rebuilds every guest fixture under `fixtures/` from its hand-written WAT (`npm run fixtures`),
 * or from C (`guest.c`, compiled by clang with wasi-libc; see `compileC`).
 *
 * A fixture is a folder holding `guest.wat` and, optionally, `fixture.json`:
 *   { "kind": "component" | "core",   // default "component"
 *     "wit": "<path from the repo root or the fixture folder>", // default "wit/pureflow-batch.wit"
 *     "world": "<world name>",         // default "pureflow-node"
 *     "cflags": ["<extra clang flag>"] } // C guests only
 * A component fixture is built the way Pureflow's guests are packaged, with jco (which bundles
 * wasm-tools): `parse` (WAT -> core wasm), `componentEmbed` (the WIT world into a
 * `component-type` custom section, utf8 strings), `componentNew` (core module -> component).
 * It is written to `component.wasm`; a core fixture is written to `module.wasm`.
 * The built files are committed, so tests need no toolchain. The output is deterministic.
 *
 * Usage: npm run fixtures [-- <substring filter>...]
 */
import { parse, componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fixturesDir = join(root, "fixtures");

interface FixtureConfig {
  kind: "component" | "core";
  wit: string;
  world: string;
  /** Extra clang flags for a C guest (e.g. `-Wl,--strip-debug`). */
  cflags?: string[];
}

function findFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findFixtures(p));
    else if (name === "guest.wat" || name === "guest.c") out.push(dir);
  }
  return out;
}

function readConfig(dir: string): FixtureConfig {
  const config: FixtureConfig = { kind: "component", wit: "wit/pureflow-batch.wit", world: "pureflow-node" };
  const file = join(dir, "fixture.json");
  if (existsSync(file)) Object.assign(config, JSON.parse(readFileSync(file, "utf8")) as Partial<FixtureConfig>);
  return config;
}

function resolveWit(dir: string, wit: string): string {
  const local = join(dir, wit);
  return existsSync(local) ? local : join(root, wit);
}

/**
 * A C guest (`guest.c`, e.g. `fixtures/libc-guest`): clang against Debian's wasi-libc
 * (packages clang, lld, wasi-libc), reactor model, so wasi-libc's `_initialize` runs the C
 * constructors (wit-component calls it from a start function at instantiation).
 */
function compileC(dir: string, cflags: readonly string[] = []): Uint8Array {
  const out = join(tmpdir(), `pureflow-fixture-${process.pid}.wasm`);
  const r = spawnSync("clang", ["--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-mexec-model=reactor", ...cflags, "-o", out, join(dir, "guest.c")], { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) throw new Error(`clang (with wasi-libc) failed: ${r.error?.message ?? r.stderr}`);
  const bytes = readFileSync(out);
  rmSync(out);
  return bytes;
}

async function build(dir: string): Promise<string> {
  const config = readConfig(dir);
  const core = existsSync(join(dir, "guest.c")) ? compileC(dir, config.cflags) : await parse(readFileSync(join(dir, "guest.wat"), "utf8"));
  if (config.kind === "core") {
    writeFileSync(join(dir, "module.wasm"), core);
    return `${relative(root, join(dir, "module.wasm"))} (${core.length} bytes, core module)`;
  }
  const witSource = readFileSync(resolveWit(dir, config.wit), "utf8");
  const embedded = await componentEmbed({ binary: core, witSource, world: config.world, stringEncoding: "utf8" });
  const component = await componentNew(embedded);
  writeFileSync(join(dir, "component.wasm"), component);
  return `${relative(root, join(dir, "component.wasm"))} (${component.length} bytes, world ${config.world})`;
}

const filters = process.argv.slice(2);
const dirs = findFixtures(fixturesDir).filter((d) => filters.length === 0 || filters.some((f) => d.includes(f)));
let failed = 0;
for (const dir of dirs) {
  try {
    console.log(`built ${await build(dir)}`);
  } catch (e) {
    failed++;
    console.error(`FAILED ${relative(root, dir)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.log(`${dirs.length - failed} fixtures built, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
