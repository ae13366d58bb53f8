/**
 * The development install stays light (issue 14): `npm ci` installs only what the tests use. jco's
 * componentize tooling (StarlingMonkey, QuickJS, wizer, rolldown, a second TypeScript: about
 * 200 MB) is not needed, since its transpiler and wasm-tools come as `@bytecodealliance/jco-transpile`;
 * the benchmark module it carried is installed on demand by `npm run bench:tools`. This test
 * measures node_modules (apparent size of its files) against a bound and names the largest packages.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";

/** The bound, in MB (10^6 bytes): 323 MB measured after the change, 523 MB before it (with jco). */
const MAX_MB = 400;

function sizeOf(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += sizeOf(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

/** Top-level packages of node_modules (scoped ones as `@scope/name`) with their sizes. */
function packages(root: string): [string, number][] {
  const out: [string, number][] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === ".bin" || e.name === ".cache") continue;
    const p = join(root, e.name);
    if (e.name.startsWith("@")) for (const s of readdirSync(p, { withFileTypes: true })) { if (s.isDirectory()) out.push([`${e.name}/${s.name}`, sizeOf(join(p, s.name))]); }
    else out.push([e.name, sizeOf(p)]);
  }
  return out.sort((a, b) => b[1] - a[1]);
}

const nodeModules = join(projectRoot, "node_modules");

test("the lock file holds no componentize tooling", () => {
  const lock = JSON.parse(readFileSync(join(projectRoot, "package-lock.json"), "utf8")) as { packages: Record<string, unknown> };
  const heavy = Object.keys(lock.packages).filter((k) => /node_modules\/(@bytecodealliance\/(jco|componentize-js[^/]*|wizer[^/]*|weval)|componentize-qjs|@andreiltd\/[^/]+)$/.test(k));
  assert.equal(heavy, [], `the default install pulls ${heavy.join(", ")} (use @bytecodealliance/jco-transpile; bench modules via npm run bench:tools)`);
});

test(`node_modules is under ${MAX_MB} MB`, () => {
  assert.ok(existsSync(nodeModules), "node_modules not found (npm ci first)");
  const pk = packages(nodeModules);
  const total = sizeOf(nodeModules) / 1e6;
  console.log(`\n# install: node_modules ${total.toFixed(0)} MB; largest: ${pk.slice(0, 5).map(([n, s]) => `${n} ${(s / 1e6).toFixed(0)} MB`).join(", ")}`);
  assert.ok(total < MAX_MB, `node_modules is ${total.toFixed(0)} MB, over ${MAX_MB} MB; largest: ${pk.slice(0, 10).map(([n, s]) => `${n} ${(s / 1e6).toFixed(0)} MB`).join(", ")}`);
});

test.run();
