/**
 * The package as a user gets it: `npm pack` of the built project (scripts not run: `dist/` is
 * already built by `npm test`), installed with `npm install <tarball>` (offline: the package has
 * no dependencies) into a fresh folder that also holds the uppercase fixture as `component.wasm`
 * and `inputs.json`. Also finds the optional runtimes (Deno, Bun) of `npm run runtimes`.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

/** A packed-and-installed copy of the package. */
export interface Packed {
  /** The tarball. */
  tarball: string;
  /** `npm pack --json`'s report: files with sizes, packed and unpacked size. */
  report: { files: { path: string; size: number }[]; size: number; unpackedSize: number; entryCount: number };
  /** The user's folder: `node_modules/pureflow-wasm`, `component.wasm`, `inputs.json`, `fixtures/`. */
  dir: string;
  /** `dir/node_modules/pureflow-wasm`. */
  pkg: string;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Packs and installs the package; throws with npm's output when that fails. */
export function packAndInstall(): Packed {
  const out = tempDir("pureflow-pack-");
  const pack = spawnSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", out], { cwd: projectRoot, encoding: "utf8", timeout: 120_000 });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const report = (JSON.parse(pack.stdout) as Packed["report"][])[0]!;
  const tarball = join(out, (report as unknown as { filename: string }).filename);
  const dir = join(out, "user");
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user", private: true, type: "module" }));
  const install = spawnSync(npm, ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball], { cwd: dir, encoding: "utf8", timeout: 120_000 });
  if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
  copyFileSync(join(projectRoot, "fixtures", "uppercase-guest", "component.wasm"), join(dir, "component.wasm"));
  copyFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), join(dir, "inputs.json"));
  mkdirSync(join(dir, "fixtures", "uppercase-guest", "testdata"), { recursive: true });
  copyFileSync(join(projectRoot, "fixtures", "uppercase-guest", "component.wasm"), join(dir, "fixtures", "uppercase-guest", "component.wasm"));
  copyFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), join(dir, "fixtures", "uppercase-guest", "testdata", "inputs.json"));
  return { tarball, report, dir, pkg: join(dir, "node_modules", "pureflow-wasm") };
}

/**
 * The path of runtime `name` (`deno`, `bun`): `$DENO_BIN` / `$BUN_BIN`, then `.runtimes/` (from
 * `npm run runtimes`), then the PATH; undefined when none runs.
 */
export function findRuntime(name: "deno" | "bun"): string | undefined {
  const candidates = [process.env[`${name.toUpperCase()}_BIN`], join(projectRoot, ".runtimes", "node_modules", ".bin", name), name];
  for (const c of candidates) {
    if (c === undefined || (c.includes("/") && !existsSync(c))) continue;
    const r = spawnSync(c, ["--version"], { encoding: "utf8", timeout: 30_000 });
    if (r.status === 0) return c;
  }
  return undefined;
}

/** The fenced code blocks of README.md preceded by `<!-- example: NAME -->`, by name. */
export function readmeExamples(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- example: ([\w.-]+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)) out.set(m[1]!, m[2]! + "\n");
  return out;
}
