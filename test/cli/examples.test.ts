/**
 * The README's examples, taken from the README text (blocks marked `<!-- example: NAME -->`) and
 * run against the packed package in a user's folder: the Node host example; the browser page's
 * script (served over HTTP, imported over HTTP by Node's network imports and by Deno, with only
 * `document.getElementById` stood in for); the Web Worker pair in Deno and Bun; the Deno and Bun
 * examples and the command line under both. Deno and Bun come from `npm run runtimes` (or
 * DENO_BIN/BUN_BIN, or the PATH); without them their tests are registered as skipped.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { findRuntime, packAndInstall, readmeExamples } from "./packed.js";

const packed = packAndInstall();
const examples = readmeExamples(readFileSync(join(projectRoot, "README.md"), "utf8"));
for (const [name, code] of examples) writeFileSync(join(packed.dir, name), code);
const expected = JSON.parse(readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8")) as unknown;
const deno = findRuntime("deno");
const bun = findRuntime("bun");
if (deno === undefined) console.log("# SKIP deno not installed (npm run runtimes installs Deno and Bun into .runtimes/)");
if (bun === undefined) console.log("# SKIP bun not installed (npm run runtimes installs Deno and Bun into .runtimes/)");

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: packed.dir, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => p.kill("SIGKILL"), 120_000);
    p.stdout.setEncoding("utf8").on("data", (d: string) => { stdout += d; });
    p.stderr.setEncoding("utf8").on("data", (d: string) => { stderr += d; });
    p.on("close", (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    p.on("error", (e) => { clearTimeout(timer); resolve({ code: null, stdout, stderr: String(e) }); });
  });
}

function outputsOf(r: { code: number | null; stdout: string; stderr: string }, what: string): unknown {
  assert.is(r.code, 0, `${what}: exit ${r.code}\n${r.stderr}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    return assert.unreachable(`${what}: stdout is not JSON: ${r.stdout.slice(0, 500)}\n${r.stderr}`);
  }
}

const TYPES: Record<string, string> = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };

/** Serves the user's folder over HTTP on 127.0.0.1 (as `python3 -m http.server` would). */
function serve(): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
      try {
        const body = readFileSync(join(packed.dir, path));
        res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address() as { port: number };
      resolve({ server, base: `http://127.0.0.1:${addr.port}` });
    });
  });
}

/** A page stand-in: the script's only DOM use is `document.getElementById("out").textContent = ...`; print it. */
const pageShim = (base: string): string => `globalThis.document = { getElementById: (id) => ({ set textContent(v) { if (id === "out") console.log(v); } }) };
await import(${JSON.stringify(`${base}/main.js`)});
`;

test("the README marks every example the tests run", () => {
  assert.equal([...examples.keys()].sort(), ["bun.ts", "deno.ts", "index.html", "main.js", "node-host.mjs", "worker-main.js", "worker.js"]);
  assert.match(examples.get("index.html")!, /Content-Security-Policy" content="default-src 'self'"/);
  assert.match(examples.get("index.html")!, /<script type="module" src="main.js">/, "no inline script: the strict CSP allows none");
});

test("Node: the README host example prints expected-outputs.json (JSON text, not objects)", async () => {
  const r = await run(process.execPath, ["node-host.mjs"]);
  assert.equal(outputsOf(r, "node-host.mjs"), expected);
  assert.match(r.stdout, /^\[\n  \{\n    "port-id": "out",/);
});

/** The modules reachable by static imports from `roots`; fails on a static import of anything but a relative file. */
function staticImportGraph(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)";/gm)) {
      const spec = m[1]!;
      assert.ok(spec.startsWith("."), `${f.slice(packed.pkg.length)} statically imports ${spec}`);
      todo.push(join(f, "..", spec));
    }
    for (const m of text.matchAll(/^import\s+"([^"]+)";/gm)) assert.ok(m[1]!.startsWith("."), `${f} imports ${m[1]}`);
  }
  return seen;
}

test("the library's import graph has no node: module (what a browser loads)", () => {
  const modules = staticImportGraph(["src/index.js", "interpreter/index.js", "canonical-abi/index.js"].map((f) => join(packed.pkg, "dist", f)));
  assert.ok(modules.size > 50, `${modules.size} modules`);
  // the bundled entries the package exports (and the pool's Web Worker script)
  const bundled = staticImportGraph(["index.js", "interpreter.js", "canonical-abi.js", "webassembly.js", "polyfill.js", "web-worker.js"].map((f) => join(packed.pkg, "dist", "bundle", f)));
  assert.ok(bundled.size >= 7, `${bundled.size} bundle files`);
});

test("browser: the page's script over HTTP in Node (network imports, fetch, ArrayBuffer), document stood in", async () => {
  const { server, base } = await serve();
  try {
    writeFileSync(join(packed.dir, "page-node.mjs"), pageShim(base));
    const r = await run(process.execPath, ["--experimental-network-imports", "--no-warnings", "page-node.mjs"]);
    if (/bad option|not allowed in NODE_OPTIONS|unknown.*network-imports/i.test(r.stderr)) {
      return assert.unreachable(`this Node (${process.version}) has no --experimental-network-imports: ${r.stderr}`);
    }
    assert.equal(outputsOf(r, "main.js in Node"), expected);
  } finally {
    server.close();
  }
});

(deno ? test : test.skip)("browser: the page's script over HTTP in Deno (a browser-like runtime), document stood in", async () => {
  const { server, base } = await serve();
  try {
    writeFileSync(join(packed.dir, "page-deno.js"), pageShim(base));
    const host = base.replace("http://", "");
    const r = await run(deno!, ["run", "--quiet", `--allow-net=${host}`, `--allow-import=${host}`, "page-deno.js"]);
    assert.equal(outputsOf(r, "main.js in Deno"), expected);
  } finally {
    server.close();
  }
});

(deno ? test : test.skip)("Web Worker in Deno: worker-main.js + worker.js", async () => {
  const r = await run(deno!, ["run", "--quiet", "--allow-read", "worker-main.js"]);
  assert.equal(outputsOf(r, "worker-main.js in Deno"), expected);
});

(bun ? test : test.skip)("Web Worker in Bun: worker-main.js + worker.js", async () => {
  const r = await run(bun!, ["worker-main.js"]);
  assert.equal(outputsOf(r, "worker-main.js in Bun"), expected);
});

(deno ? test : test.skip)("Deno: the README example (npm package from node_modules) and the command line", async () => {
  const r = await run(deno!, ["run", "--quiet", "--allow-read", "deno.ts"]);
  assert.equal(outputsOf(r, "deno.ts"), expected);
  const c = await run(deno!, ["run", "--quiet", "--allow-read", "node_modules/pureflow-wasm/dist/bin/pureflow-wasm.js", "run", "component.wasm", "inputs.json"]);
  assert.equal(outputsOf(c, "the CLI in Deno"), expected);
  const bad = await run(deno!, ["run", "--quiet", "--allow-read", "node_modules/pureflow-wasm/dist/bin/pureflow-wasm.js", "run", "component.wasm", "component.wasm"]);
  assert.is(bad.code, 3, bad.stderr);
  assert.match(bad.stderr, /^error: CLI-INPUT-001: /);
});

(bun ? test : test.skip)("Bun: the README example and the command line", async () => {
  const r = await run(bun!, ["bun.ts"]);
  assert.equal(outputsOf(r, "bun.ts"), expected);
  const c = await run(bun!, ["node_modules/.bin/pureflow-wasm", "run", "component.wasm", "inputs.json"]);
  assert.equal(outputsOf(c, "the CLI in Bun"), expected);
  const bad = await run(bun!, ["node_modules/.bin/pureflow-wasm", "run", "component.wasm", "component.wasm"]);
  assert.is(bad.code, 3, bad.stderr);
  assert.match(bad.stderr, /^error: CLI-INPUT-001: /);
});

test.run();
