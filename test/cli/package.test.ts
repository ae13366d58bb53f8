/**
 * The packed package (`npm pack`, installed into a fresh folder): its files (LICENSE, README, the
 * rule documents, no tests or sources), metadata, source maps that work on their own (every source
 * inlined), README links that resolve inside the package, `sideEffects` covering every module that
 * registers at import, the installed `bin`, and the package checks of `publint` and
 * `@arethetypeswrong/cli` (dev dependencies; ESM-only profile: the package is ESM, Node ≥ 20).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { packAndInstall } from "./packed.js";

const packed = packAndInstall();
const files = packed.report.files.map((f) => f.path);
console.log(`# package: ${packed.report.entryCount} files, ${(packed.report.size / 1024).toFixed(0)} kB packed, ${(packed.report.unpackedSize / 1024).toFixed(0)} kB unpacked`);
const pkgJson = JSON.parse(readFileSync(join(packed.pkg, "package.json"), "utf8")) as Record<string, unknown>;
const expected = JSON.parse(readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8")) as unknown;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

test("the package holds LICENSE, README, the rule documents and dist; no tests, fixtures or TypeScript sources", () => {
  for (const f of ["LICENSE", "README.md", "package.json", "docs/errors.md", "docs/fuel.md", "docs/canonical-abi-traps.md", "dist/src/index.js", "dist/src/index.d.ts", "dist/src/cli/main.js", "dist/bin/pureflow-wasm.js", "dist/bin/cli-run.js", "dist/bin/cli-full.js", "dist/bin/package.json", "dist/bin/node-worker.js", "dist/interpreter/index.js", "dist/canonical-abi/index.js"]) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  for (const f of files) assert.not.match(f, /^(test|fixtures|scripts|bench|src|interpreter|canonical-abi|tmp-coord)\//, `${f} should not be packed`);
  for (const f of files) assert.ok(!f.endsWith(".ts") || f.endsWith(".d.ts"), `${f}: a TypeScript source`);
});

test("LICENSE is the Apache License 2.0 text; metadata: license, keywords, sideEffects, engines, bin", () => {
  const license = readFileSync(join(packed.pkg, "LICENSE"), "utf8");
  assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\//);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
  assert.is(pkgJson.license, "Apache-2.0");
  assert.ok(Array.isArray(pkgJson.keywords) && (pkgJson.keywords as string[]).includes("webassembly"));
  assert.ok(Array.isArray(pkgJson.sideEffects), "sideEffects lists the modules with import-time effects");
  assert.equal(pkgJson.bin, { "pureflow-wasm": "dist/bin/pureflow-wasm.js" });
});

test("sideEffects covers every module that registers something at import", () => {
  const patterns = (pkgJson.sideEffects as string[]).map((p) => new RegExp("^" + p.replace(/^\.\//, "").replace(/[.]/g, "\\.").replace(/\*/g, "[^/]*") + "$"));
  const registering = walk(join(packed.pkg, "dist")).filter((f) => f.endsWith(".js") && /^(registerDefaultCoreEngine|installFuncConversions)\(/m.test(readFileSync(f, "utf8")));
  assert.ok(registering.length >= 2, `found ${registering.length} registering modules`);
  for (const f of registering) {
    const rel = relative(packed.pkg, f);
    assert.ok(patterns.some((p) => p.test(rel)), `${rel} registers at import but is not in sideEffects`);
  }
});

test("source maps work without the sources: every map inlines every source; every .js names an existing map", () => {
  const all = walk(join(packed.pkg, "dist"));
  const maps = all.filter((f) => f.endsWith(".js.map"));
  assert.ok(maps.length > 50, `${maps.length} maps`);
  for (const m of maps) {
    const map = JSON.parse(readFileSync(m, "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
    assert.ok(Array.isArray(map.sourcesContent) && map.sourcesContent.length === map.sources.length, `${relative(packed.pkg, m)}: sourcesContent`);
    assert.ok(map.sourcesContent!.every((c) => typeof c === "string" && c.length > 0), `${relative(packed.pkg, m)}: every source inlined`);
  }
  for (const js of all.filter((f) => f.endsWith(".js"))) {
    const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(js, "utf8"))?.[1];
    if (url !== undefined) assert.ok(existsSync(join(dirname(js), url)), `${relative(packed.pkg, js)} -> ${url}`);
  }
});

test("README links resolve inside the package", () => {
  const readme = readFileSync(join(packed.pkg, "README.md"), "utf8");
  const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((l) => !/^[a-z]+:/.test(l));
  assert.ok(links.length >= 3, `${links.length} relative links`);
  for (const l of links) assert.ok(existsSync(join(packed.pkg, l)), `README links ${l}, not in the package`);
});

test("the installed bin runs: version, and the uppercase guest on its test vectors", () => {
  const bin = join(packed.dir, "node_modules", ".bin", "pureflow-wasm");
  const v = spawnSync(bin, ["-v"], { cwd: packed.dir, encoding: "utf8" });
  assert.is(v.stdout, `pureflow-wasm ${pkgJson.version as string}\n`);
  const r = spawnSync(bin, ["run", "component.wasm", "inputs.json"], { cwd: packed.dir, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout), expected);
});

test("the installed library: its entry points share one copy of each module; BatchPool's worker threads start from the bundle", () => {
  // dist/bundle (scripts/bundle-lib.mjs): the entries share chunks, so a Module made through one
  // entry is the class another entry checks for; the pool finds node-worker.js beside its chunk
  const script = `
import { readFileSync } from "node:fs";
import * as interp from "pureflow-wasm/interpreter";
import { WebAssembly as ns } from "pureflow-wasm/webassembly";
import { BatchPool, batchInputsFromWitJson, batchesToWitJson } from "pureflow-wasm";
const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
const shared = ns.Module === interp.Module && new interp.Module(empty) instanceof ns.Module && ns.Memory === interp.Memory;
const pool = await BatchPool.create(readFileSync("component.wasm"), { workers: 1 });
const wit = JSON.parse(readFileSync("inputs.json", "utf8"));
const outputs = batchesToWitJson(await pool.invoke(batchInputsFromWitJson(wit)));
const size = pool.size;
await pool.close();
console.log(JSON.stringify({ shared, size, outputs }));
`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: packed.dir, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { shared: boolean; size: number; outputs: unknown };
  assert.ok(out.shared, "pureflow-wasm/interpreter and pureflow-wasm/webassembly share their classes");
  assert.is(out.size, 1);
  assert.equal(out.outputs, expected);
});

test("publint: the packed package has no problems (warnings count)", () => {
  const cli = join(projectRoot, "node_modules", "publint", "src", "cli.js");
  const r = spawnSync(process.execPath, [cli, "run", packed.tarball, "--strict"], { cwd: projectRoot, encoding: "utf8", timeout: 120_000 });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /All good!/);
});

test("@arethetypeswrong/cli: types resolve for every entry point (ESM-only profile)", () => {
  const cli = join(projectRoot, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
  const r = spawnSync(process.execPath, [cli, packed.tarball, "--profile", "esm-only", "--format", "json"], { cwd: projectRoot, encoding: "utf8", timeout: 180_000 });
  const report = JSON.parse(r.stdout) as { analysis: { entrypoints: Record<string, unknown>; problems?: unknown[] }; problems?: unknown };
  const entrypoints = Object.keys(report.analysis.entrypoints).filter((e) => e !== "./package.json").sort();
  assert.equal(entrypoints, Object.keys(pkgJson.exports as Record<string, unknown>).filter((e) => e !== "./package.json").sort(), "attw checked every entry point of `exports`");
  assert.ok(entrypoints.includes(".") && entrypoints.includes("./interpreter") && entrypoints.includes("./canonical-abi"), entrypoints.join(", "));
  assert.is(r.status, 0, `attw found problems: ${JSON.stringify(report.problems ?? report.analysis.problems).slice(0, 2000)}`);
});

test.run();
