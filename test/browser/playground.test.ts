// The ABI playground (issue 17) in headless Chromium under the strict CSP it is served with
// (`default-src 'self'; script-src 'self'`): built by scripts/playground-build.mjs into a temporary
// folder and served by scripts/playground-serve.mjs. The page opens the uppercase component, runs
// it (outputs = the fixture's expected outputs), hovering a byte names its field and value (the
// addresses come from the same call traced in Node), clicking a step highlights exactly its bytes,
// a hostile component's trap is shown at its field, the explain tab prints what `abi explain`
// prints; no CSP violation, no page error. A screenshot must not be blank (pixel variance); the
// committed docs/playground.png is checked the same way (UPDATE_SCREENSHOT=1 rewrites it). The time
// to open a component and run it in the page is printed. Skips loudly without Chromium.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { AbiTrace, BatchComponent, batchInputsFromWitJson, type AbiTraceEvent } from "../../src/index.js";
import { explainType, parseWitType, renderTypeLayout } from "../../canonical-abi/index.js";
import { projectRoot } from "../helpers/shared.js";
import { decodePng, greyStats } from "../helpers/png.js";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", process.env.CHROMIUM_PATH ?? ""].find((p) => p !== "" && existsSync(p));
const SCREENSHOT = join(projectRoot, "docs", "playground.png");
/** A screenshot of a page with text, boxes and colours: far from a blank (variance 0) one. */
const MIN_VARIANCE = 100;

interface PageState { ready: boolean; fixture: string | null; loadMs: number | null; runMs: number | null; outputs: unknown; error: string | null; runs: number }

if (CHROMIUM === undefined || !existsSync(join(projectRoot, "dist", "src", "index.js"))) {
  const why = CHROMIUM === undefined ? "no Chromium found (/usr/bin/chromium); install it with scripts/install-tools.sh (Debian package chromium)" : "dist/ not built (npm run build)";
  console.log(`# SKIP playground browser test: ${why}`);
  test.skip(`playground in Chromium (skipped: ${why})`, () => {});
  test.run();
} else {
  const { buildPlayground } = (await import(join(projectRoot, "scripts", "playground-build.mjs"))) as { buildPlayground: (out: string) => string };
  const { servePlayground } = (await import(join(projectRoot, "scripts", "playground-serve.mjs"))) as { servePlayground: (dir: string) => import("node:http").Server };
  const { default: puppeteer } = await import("puppeteer-core");

  // the same call in Node, traced: where the page's bytes must be
  const inputsText = readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/inputs.json"), "utf8");
  const expected = JSON.parse(readFileSync(join(projectRoot, "fixtures/uppercase-guest/testdata/expected-outputs.json"), "utf8"));
  const nodeTrace = new AbiTrace();
  BatchComponent.fromComponentBytes(readFileSync(join(projectRoot, "fixtures/uppercase-guest/component.wasm"))).invokeWithReport(batchInputsFromWitJson(inputsText), { trace: nodeTrace });
  const find = (path: string, step: AbiTraceEvent["step"]) => nodeTrace.events.find((e) => e.step === step && "path" in e && e.path === path) as Extract<AbiTraceEvent, { address: number }> & { seq: number };
  const attempt = find("inputs[0].packets[0].metadata.execution.attempt", "store");
  const messageId = find("inputs[0].packets[1].metadata.message-id", "store");
  const outPayload = nodeTrace.events.find((e) => e.step === "range" && e.phase === "lift" && e.path === "result<ok>[0].packets[0].payload<bytes>") as Extract<AbiTraceEvent, { step: "range" }>;

  const dir = mkdtempSync(join(tmpdir(), "pureflow-playground-"));
  buildPlayground(dir);
  const server = servePlayground(dir);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const page = await browser.newPage();
  await page.setViewport({ width: 1360, height: 1000 });
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${String(e)}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const state = async (): Promise<PageState> => (await page.evaluate("window.__playground")) as PageState;
  const text = async (sel: string): Promise<string> => page.$eval(sel, (el) => el.textContent ?? "");
  const runAndWait = async (runs: number): Promise<PageState> => {
    await page.click("#run");
    await page.waitForFunction(`window.__playground.runs === ${runs}`, { timeout: 120_000 });
    return state();
  };

  try {
    const t0 = performance.now();
    await page.goto(url);
    await page.waitForFunction("window.__playground && window.__playground.ready && window.__playground.fixture === 'uppercase-guest'", { timeout: 120_000 });
    const loaded = await state();
    const first = await runAndWait(1);
    const totalMs = performance.now() - t0;
    console.log(`# playground in Chromium (${CHROMIUM}): open the uppercase component ${loaded.loadMs?.toFixed(1)} ms (fetch + compile + WIT), run it traced and draw the trace ${first.runMs?.toFixed(1)} ms; page load to drawn trace ${totalMs.toFixed(0)} ms`);

    test("opens the bundled uppercase component and shows its WIT", async () => {
      assert.ok(loaded.loadMs !== null && loaded.loadMs > 0);
      assert.match(await text("#wit"), "pureflow:batch/batch@0.1.0");
      assert.match(await text("#load-status"), /uppercase-guest: [\d,]+ bytes, opened in/);
    });

    test("runs it on the interpreter: the expected outputs, fuel and time", async () => {
      assert.is(first.error, null);
      assert.equal(first.outputs, expected);
      assert.equal(JSON.parse(await text("#outputs")), expected);
      assert.match(await text("#stats"), "fuel2,672 of ");
      assert.ok(first.runMs !== null && first.runMs > 0);
    });

    test("hovering a byte shows its field and value (lowering and lifting)", async () => {
      await page.click('.phase[data-phase="lower"]');
      await page.hover(`#memory [data-addr="${attempt.address + 1}"]`);
      const info = await text("#byte-info");
      assert.match(info, `0x${(attempt.address + 1).toString(16)}: byte 0x00`);
      assert.match(info, "inputs[0].packets[0].metadata.execution.attempt: u32 = 1");
      // every byte of that value is outlined, and only those
      const same = await page.$$eval("#memory .b.same", (els) => els.map((e) => Number((e as HTMLElement).dataset.addr)));
      assert.equal(same, [0, 1, 2, 3].map((i) => attempt.address + i));
      await page.click('.phase[data-phase="lift"]');
      await page.hover(`#memory [data-addr="${outPayload.address}"]`);
      const lifted = await text("#byte-info");
      assert.match(lifted, "result<ok>[0].packets[0].payload<bytes>: list elements");
      assert.match(lifted, `byte 0x48 (72)`); // "H" of "HELLO FROM WASM"
    });

    test("clicking a step highlights exactly its bytes", async () => {
      await page.click(`#steps li[data-seq="${messageId.seq}"]`);
      const selected = await page.$$eval("#memory .b.selected", (els) => els.map((e) => Number((e as HTMLElement).dataset.addr)));
      assert.equal(selected, Array.from({ length: 8 }, (_, i) => messageId.address + i));
      assert.match(await page.$eval('.phase.active', (e) => (e as HTMLElement).dataset.phase ?? ""), "lower");
    });

    test("a hostile component: the trap is shown at its field", async () => {
      await page.select("#fixture", "hostile/bad-option-discriminant");
      await page.waitForFunction("window.__playground.ready && window.__playground.fixture === 'hostile/bad-option-discriminant'", { timeout: 60_000 });
      const s = await runAndWait(2);
      assert.match(s.error ?? "", "canonical ABI trap (T9)");
      assert.match(await text("#steps li.trap"), "TRAP T9 (canonical-abi-trap) at result<ok>[0].packets[0].metadata.route.source during lift");
      await page.select("#fixture", "uppercase-guest");
      await page.waitForFunction("window.__playground.ready && window.__playground.fixture === 'uppercase-guest'", { timeout: 60_000 });
      await runAndWait(3);
    });

    test("a component file given to the page (the drop zone's file input) is opened and run", async () => {
      const input = await page.$("#file");
      await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(join(projectRoot, "fixtures/echo-guest/component.wasm"));
      await page.waitForFunction("window.__playground.ready && window.__playground.fixture === 'component.wasm'", { timeout: 60_000 });
      const s = await runAndWait(4);
      assert.is(s.error, null);
      assert.equal(s.outputs, JSON.parse(inputsText)); // the echo guest returns its inputs
      assert.match(await text("#load-status"), /component\.wasm: [\d,]+ bytes, opened in/);
      await page.select("#fixture", "uppercase-guest");
      await page.waitForFunction("window.__playground.ready && window.__playground.fixture === 'uppercase-guest'", { timeout: 60_000 });
      await runAndWait(5);
    });

    test("the explain tab prints what abi explain prints", async () => {
      await page.click('.tab[data-tab="explain"]');
      const wit = "result<list<u32>, string>";
      await page.$eval("#wit-type", (el, v) => { (el as HTMLInputElement).value = v as string; }, wit);
      await page.click("#explain");
      assert.is(await text("#layout"), renderTypeLayout(explainType(parseWitType(wit))));
      await page.$eval("#wit-type", (el) => { (el as HTMLInputElement).value = "record { a: }"; });
      await page.click("#explain");
      assert.match(await text("#layout"), /column|expected/i);
      await page.click('.tab[data-tab="run"]');
    });

    test("a screenshot is not blank; neither is the committed docs/playground.png", async () => {
      await page.click('.phase[data-phase="lower"]');
      await page.click(`#steps li[data-seq="${messageId.seq}"]`);
      await page.evaluate("window.scrollTo(0, 0)");
      await page.hover(`#memory [data-addr="${attempt.address}"]`);
      const shot = new Uint8Array(await page.screenshot({ type: "png", fullPage: true }));
      const stats = greyStats(decodePng(shot));
      console.log(`# playground screenshot: grey variance ${stats.variance.toFixed(0)}, ${stats.levels} grey levels`);
      assert.ok(stats.variance > MIN_VARIANCE && stats.levels > 16, JSON.stringify(stats));
      if (process.env.UPDATE_SCREENSHOT === "1") writeFileSync(SCREENSHOT, shot);
      assert.ok(existsSync(SCREENSHOT), "docs/playground.png is committed (UPDATE_SCREENSHOT=1 writes it)");
      const committed = greyStats(decodePng(readFileSync(SCREENSHOT)));
      assert.ok(committed.variance > MIN_VARIANCE && committed.levels > 16, JSON.stringify(committed));
    });

    test("no CSP violation, no page error", async () => {
      assert.equal(await page.evaluate("window.__violations"), []);
      assert.equal(problems, []);
    });

    test.after(async () => {
      await browser.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    });
    test.run();
  } catch (e) {
    await browser.close();
    server.close();
    throw e;
  }
}
