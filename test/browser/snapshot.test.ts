// Issue 16, execution snapshots across JS runtimes: invocations of three fixtures (the uppercase
// guest, the compute guest, the C/libc guest) are stopped in Node at several exact fuel points and
// captured; headless Chromium (Debian's `chromium`, driven by puppeteer-core) loads the snapshots
// from a local server (strict CSP, as test/browser/browser.test.ts), restores each in a fresh
// BatchComponent and finishes it: the same outputs, the same total fuel and the same memory sha256
// as the uninterrupted run in Node (and as an uninterrupted run in the browser). Needs `npm run
// build` (the page loads dist/). Skips loudly when no Chromium is installed
// (scripts/install-tools.sh installs it).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { BatchComponent, batchInputsFromWitJson, batchesToWitJson, invokeUntil, limitsOf, parseReplayRecord, type FinishedInvocation } from "../../src/index.js";
import { serveStatic } from "./static-server.js";

const root = new URL("../..", import.meta.url).pathname;
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", process.env.CHROMIUM_PATH ?? ""].find((p) => p !== "" && existsSync(p));
const SERVED = ["dist/", "fixtures/", "test/browser/snapshot-page/"];
const FIXTURES = ["uppercase-guest", "compute-guest", "libc-guest"];

interface Outcome { state: string; outputs: unknown; error: string | null; fuel: number; memory: string }

function outcome(r: FinishedInvocation): Outcome {
  const rep = r.report;
  return { state: r.state, outputs: rep.outputs === undefined ? null : batchesToWitJson(rep.outputs), error: rep.error === undefined ? null : rep.error.toString(), fuel: rep.fuelConsumed, memory: r.memorySha256 };
}

if (CHROMIUM === undefined) {
  console.log("# SKIPPED browser snapshot test: no Chromium found (/usr/bin/chromium); install it with scripts/install-tools.sh (Debian package chromium)");
  test.skip("snapshots taken in Node finish identically in Chromium (skipped: no Chromium)", () => {});
  test.run();
} else if (!existsSync(join(root, "dist/src/replay/snapshot.js"))) {
  console.log("# SKIPPED browser snapshot test: dist/ lacks the snapshot API; run `npm run build` first");
  test.skip("snapshots taken in Node finish identically in Chromium (skipped: not built)", () => {});
  test.run();
} else {
  // take the snapshots in Node
  const snapshots = new Map<string, Uint8Array>();
  const manifest: { record: string; component: string; snapshot: string }[] = [];
  const expected = new Map<string, Outcome>();
  for (const name of FIXTURES) {
    const recordPath = `fixtures/records/${name}.json`;
    const record = parseReplayRecord(readFileSync(join(root, recordPath), "utf8"));
    const componentPath = `fixtures/${name}/component.wasm`;
    const c = BatchComponent.fromComponentBytes(readFileSync(join(root, componentPath)), { limits: limitsOf(record) });
    const inputs = batchInputsFromWitJson(record.inputs);
    const full = invokeUntil(c, inputs);
    if (full.state !== "finished") throw new Error("no stop asked");
    const start = c.startFuel ?? 0;
    for (const frac of [0.05, 0.4, 0.8, 0.97]) {
      const at = Math.floor(start + (full.report.fuelConsumed - start) * frac);
      const s = invokeUntil(c, inputs, { stopAtFuel: at });
      if (s.state !== "stopped") continue;
      const url = `/snapshots/${name}-${at}.bin`;
      snapshots.set(url, s.snapshot);
      manifest.push({ record: `/${recordPath}`, component: `/${componentPath}`, snapshot: url });
      expected.set(url, outcome(full));
    }
  }
  snapshots.set("/snapshots/manifest.json", new TextEncoder().encode(JSON.stringify(manifest)));

  const { default: puppeteer } = await import("puppeteer-core");
  const { server, port } = await serveStatic(root, SERVED, snapshots);
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  let results: { results?: { snapshot: string; restored: Outcome; straight: Outcome }[]; error?: string } | undefined;
  const consoleLines: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("console", (m) => consoleLines.push(m.text()));
    page.on("pageerror", (e) => consoleLines.push(`pageerror: ${String(e)}`));
    await page.goto(`http://127.0.0.1:${port}/test/browser/snapshot-page/index.html`);
    await page.waitForFunction("window.__results !== undefined", { timeout: 240_000, polling: 200 });
    results = (await page.evaluate("window.__results")) as typeof results;
  } finally {
    await browser.close();
    server.close();
  }

  test("the page ran to the end", () => {
    assert.ok(results !== undefined);
    assert.is(results!.error, undefined, `${results!.error}\n${consoleLines.join("\n")}`);
    assert.is(results!.results!.length, manifest.length);
    assert.ok(manifest.length >= 9, `snapshots taken: ${manifest.length}`);
  });
  test("every snapshot taken in Node finishes in Chromium with the outputs, fuel and memory of the uninterrupted Node run", () => {
    for (const r of results!.results!) {
      assert.equal(r.restored, expected.get(r.snapshot), r.snapshot);
      assert.equal(r.straight, expected.get(r.snapshot), `${r.snapshot}: uninterrupted in the browser`);
    }
    console.log(`# browser snapshots: ${results!.results!.length} snapshots (${FIXTURES.join(", ")}) taken in Node, restored and finished in Chromium identically`);
  });
  test.run();
}
