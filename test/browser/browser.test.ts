// Issue 13, a real browser under a strict CSP: headless Chromium (Debian's `chromium`, driven by
// puppeteer-core) opens a page served from 127.0.0.1 with
//   Content-Security-Policy: default-src 'self'; script-src 'self'
// (no 'unsafe-eval', no 'wasm-unsafe-eval') on every response, and runs page/checks.js in the page
// and in a module Web Worker: the host's WebAssembly.compile is refused (the CSP is active); the
// uppercase batch component gives its expected outputs through BatchComponent; a core module runs
// through the interpreter; hash-wasm, unchanged, runs through pureflow-wasm/polyfill and agrees
// with Node's engine. The only CSP violation reports allowed are the ones the deliberate native
// compile causes. Skips loudly when no Chromium is installed (scripts/install-tools.sh installs it).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, batchInputsFromWitJson } from "../../src/index.js";
import { serveStatic } from "./static-server.js";

const root = new URL("../..", import.meta.url).pathname;
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", process.env.CHROMIUM_PATH ?? ""].find((p) => p !== "" && existsSync(p));
/** Only these folders are served. */
const SERVED = ["dist/", "fixtures/uppercase-guest/", "node_modules/hash-wasm/dist/", "test/browser/page/"];

interface Checks {
  where: string; nativeCompile: string; uppercaseMatches: boolean; uppercaseMedianMs: number; fac20: string; installed: boolean; sha256: string; xxhash64: string;
  error?: string; violations?: { where: string; directive: string; blocked: string }[];
}

if (CHROMIUM === undefined) {
  console.log("# SKIPPED browser test: no Chromium found (/usr/bin/chromium); install it with scripts/install-tools.sh (Debian package chromium)");
  test("browser test skipped: no Chromium", () => {});
  test.run();
} else {
  const { default: puppeteer } = await import("puppeteer-core");
  const { server, port, served } = await serveStatic(root, SERVED);
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  let results: { page: Checks; worker: Checks; violations: { where: string; directive: string; blocked: string }[]; error?: string } | undefined;
  const consoleLines: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("console", (m) => consoleLines.push(m.text()));
    page.on("pageerror", (e) => consoleLines.push(`pageerror: ${String(e)}`));
    await page.goto(`http://127.0.0.1:${port}/test/browser/page/index.html`);
    await page.waitForFunction("window.__results !== undefined", { timeout: 240_000, polling: 200 });
    results = (await page.evaluate("window.__results")) as typeof results;
  } finally {
    await browser.close();
    server.close();
  }

  // the same values from Node's own engine (hash-wasm) and from our interpreter in Node
  const { sha256, xxhash64 } = await import("hash-wasm");
  const pat = new Uint8Array(10000);
  let x = 1;
  for (let i = 0; i < pat.length; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; pat[i] = x & 255; }
  const want = { sha256: await sha256(pat), xxhash64: await xxhash64(pat) };
  const guest = BatchComponent.fromComponentBytes(readFileSync(join(root, "fixtures/uppercase-guest/component.wasm")));
  const inputs = batchInputsFromWitJson(readFileSync(join(root, "fixtures/uppercase-guest/testdata/inputs.json"), "utf8"));
  guest.invoke(inputs);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    guest.invoke(inputs);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const nodeMs = times[times.length >> 1]!;
  if (results?.page !== undefined && results.worker !== undefined) {
    console.log(`# browser (${CHROMIUM}): uppercase invoke median ${results.page.uppercaseMedianMs.toFixed(2)} ms in the page, ${results.worker.uppercaseMedianMs?.toFixed(2)} ms in a worker; Node ${nodeMs.toFixed(2)} ms`);
    console.log(`# browser: native compile ${results.page.nativeCompile.slice(0, 100)}; CSP violation reports: ${JSON.stringify([...results.violations, ...(results.worker.violations ?? [])])}`);
  }

  test("the page ran to the end", () => {
    assert.ok(results !== undefined);
    assert.is(results!.error, undefined, `${results!.error}\n${consoleLines.join("\n")}`);
  });
  for (const where of ["page", "worker"] as const) {
    test(`${where}: the CSP is active (the host's WebAssembly.compile is refused)`, () => {
      const r = results![where];
      assert.is(r.error, undefined, r.error);
      assert.ok(r.nativeCompile.startsWith("refused: CompileError"), r.nativeCompile);
    });
    test(`${where}: uppercase component gives its expected outputs through BatchComponent`, () => {
      assert.ok(results![where].uppercaseMatches);
    });
    test(`${where}: a core module through the interpreter`, () => {
      assert.is(results![where].fac20, "2432902008176640000");
    });
    test(`${where}: hash-wasm through the polyfill agrees with Node's engine`, () => {
      const r = results![where];
      assert.ok(r.installed);
      assert.is(r.sha256, want.sha256);
      assert.is(r.xxhash64, want.xxhash64);
    });
  }
  test("no CSP violation other than the deliberate native compiles; nothing outside the served folders was asked for", () => {
    const all = [...results!.violations, ...(results!.worker.violations ?? [])];
    const other = all.filter((v) => v.blocked !== "wasm-eval");
    assert.equal(other, [], JSON.stringify(other));
    assert.ok(all.length <= 2, JSON.stringify(all));
    const outside = served.filter((p) => !SERVED.some((s) => p.startsWith(s)) && p !== "favicon.ico");
    assert.equal(outside, []);
  });
  test.run();
}
