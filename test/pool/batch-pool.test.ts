/**
 * BatchPool against BatchComponent, differentially: the same outputs (byte-identical WIT JSON),
 * the same error codes, messages and traps, the same fuel figures, for the uppercase and compute
 * fixtures and the hostile fixtures (a quick slice of them in `npm test`, all with --full); then
 * the pool's own behaviour: per-task cancellation that leaves the worker running, a worker killed
 * mid-task (replaced, its task failed typed, nothing else lost or run twice), close() in both
 * modes, typed errors for misuse, and messages that are copied, never transferred (both sides).
 *
 * The pool runs its workers from the built library, so this test imports the built entry the
 * package exports (`dist/bundle/index.js`; the wire helpers of one case from `dist/src/pool/`,
 * plain data) throughout, one copy of every class: `npm test` builds first; run `npm run build`
 * before running this file alone.
 */
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";
import { fullRun } from "../helpers/slice.js";
import { fixtureBytes, packet, bytes, testdata } from "../host/guests.js";

// (its pool starts dist/bundle/node-worker.js: a thread loads it ~0.1 s of CPU sooner than the
// ~100 unbundled modules)
const dist = join(projectRoot, "dist", "bundle", "index.js");
if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` first`);
const lib = (await import(dist)) as typeof import("../../src/index.js");
const { BatchComponent, BatchPool, BatchInputs, ExecutionLimits, PureflowError, batchInputsFromWitJson, batchesToWitJson, POOL_CLOSED_REASON } = lib;
type InvocationReport = import("../../src/index.js").InvocationReport;
type BatchInputsT = import("../../src/index.js").BatchInputs;

/** A report's observable content: outputs as WIT JSON text, or the error's code/message/trap; fuel. */
function view(r: InvocationReport): string {
  return JSON.stringify({
    outputs: r.outputs === undefined ? null : JSON.stringify(batchesToWitJson(r.outputs)),
    error: r.error === undefined ? null : { code: r.error.code, message: r.error.message, trap: r.error.trap ?? null, s: r.error.toString() },
    fuelLimit: r.fuelLimit,
    fuelConsumed: r.fuelConsumed,
  });
}

function inputsOf(payloads: { port?: string; id: string; payload: Parameters<typeof packet>[1] }[]): BatchInputsT {
  const b = new BatchInputs();
  for (const p of payloads) b.push(p.port ?? "in", packet(p.id, p.payload, p.port ?? "in"));
  return b;
}

/** `n` pseudo-random bytes. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `cond()` holds (at most `ms`). */
async function until(cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await sleep(5);
  }
}

const computeBytes = fixtureBytes("compute-guest");
/** A compute-guest input whose run takes about `kb` × 4.7M fuel. */
function computeInput(id: string, kb: number, seed = 1): BatchInputsT {
  return inputsOf([{ id, payload: { kind: "bytes", bytes: randomBytes(kb * 1024, seed) } }]);
}

test("uppercase: pool and BatchComponent agree on outputs, errors and fuel (many concurrent tasks)", async () => {
  const bytesU = fixtureBytes("uppercase-guest");
  const limits = ExecutionLimits.default().withFuel(200_000);
  const direct = BatchComponent.fromComponentBytes(bytesU, { limits });
  const pool = await BatchPool.create(bytesU, { workers: 2, limits });
  assert.is(pool.size, 2);
  const cases: BatchInputsT[] = [batchInputsFromWitJson(testdata("inputs.json")), new BatchInputs()];
  for (let i = 0; i < 40; i++) {
    const items: { port?: string; id: string; payload: Parameters<typeof packet>[1] }[] = [];
    for (let k = 0; k < 1 + (i % 4); k++) items.push({ port: k % 2 ? "b" : "a", id: `m-${i}-${k}`, payload: { kind: "bytes", bytes: randomBytes(i * 37 % 500, i * 7 + k) } });
    if (i % 9 === 4) items.push({ id: `c-${i}`, payload: { kind: "control", value: { n: i, s: "x" } } });
    if (i % 13 === 6) items.push({ id: `big-${i}`, payload: { kind: "bytes", bytes: randomBytes(100_000, i) } }); // fuel exhaustion
    cases.push(inputsOf(items));
  }
  const pooled = await Promise.all(cases.map((c) => pool.invokeWithReport(c)));
  let ok = 0, errors = 0, outOfFuel = 0;
  cases.forEach((c, i) => {
    const d = direct.invokeWithReport(c);
    assert.is(view(pooled[i]), view(d), `case ${i}`);
    if (d.outputs) ok++;
    else errors++;
    if (d.error?.trap === "out-of-fuel") outOfFuel++;
  });
  assert.ok(ok > 20 && errors >= 4 && outOfFuel >= 2, `${ok} ok, ${errors} errors, ${outOfFuel} out of fuel`);
  // the throwing form: same error class and text
  const err = await pool.invoke(cases[6]).then(() => undefined, (e: unknown) => e);
  const derr = (() => { try { direct.invoke(cases[6]); } catch (e) { return e; } return undefined; })();
  assert.ok(err instanceof PureflowError && derr instanceof PureflowError);
  assert.is(String(err), String(derr));
  console.log(`\n# pool/uppercase: ${cases.length} tasks identical to BatchComponent (${ok} ok, ${errors} errors, ${outOfFuel} out of fuel)`);
  await pool.close();
});

test("messages to and from workers are copied, never transferred (a transfer slows the sending thread's guests)", async () => {
  // the pool's side: every postMessage of the pool's protocol (init, run) to a worker, spied on in
  // this thread (other workers, e.g. a module loader's, post their own messages)
  const sent: unknown[][] = [];
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]): void {
    const t = (args[0] as { t?: unknown } | null)?.t;
    if (t === "init" || t === "run") sent.push(args);
    post.apply(this, args as Parameters<Worker["postMessage"]>);
  };
  try {
    const pool = await BatchPool.create(fixtureBytes("uppercase-guest"), { workers: 1 });
    const r = await pool.invokeWithReport(batchInputsFromWitJson(testdata("inputs.json")));
    assert.ok(r.outputs !== undefined, `the task failed: ${r.error}`);
    await pool.close();
  } finally {
    Worker.prototype.postMessage = post;
  }
  assert.ok(sent.length >= 2, `${sent.length} messages to the worker (init and a task expected)`);
  for (const args of sent) assert.is(args.length, 1, `a message to a worker came with a transfer list: ${JSON.stringify(args[1])}`);
  // the worker's side: the real entry point, with parentPort.postMessage spied on before it loads;
  // each answer comes wrapped with the transfer list it was posted with
  const entry = pathToFileURL(join(projectRoot, "dist", "bundle", "node-worker.js")).href;
  const spy = `const { parentPort } = require("node:worker_threads");
const post = parentPort.postMessage;
parentPort.postMessage = function (...args) { return post.call(this, { message: args[0], transfer: args.length > 1 ? String(args[1] && args[1].length) : null }); };
import(${JSON.stringify(entry)});`;
  const w = new Worker(spy, { eval: true });
  const answers: { message: { t: string; result?: ArrayBuffer }; transfer: string | null }[] = [];
  const next = (): Promise<(typeof answers)[number]> => new Promise((resolve, reject) => { w.once("message", resolve); w.once("error", reject); });
  try {
    const { limitsToWire } = (await import(pathToFileURL(join(projectRoot, "dist", "src", "pool", "protocol.js")).href)) as typeof import("../../src/pool/protocol.js");
    const { encodePortBatches } = (await import(pathToFileURL(join(projectRoot, "dist", "src", "pool", "wire.js")).href)) as typeof import("../../src/pool/wire.js");
    const ready = next();
    w.postMessage({ t: "init", bytes: fixtureBytes("uppercase-guest"), limits: limitsToWire(ExecutionLimits.default()), flag: new Int32Array(new SharedArrayBuffer(4)), snapshot: false });
    answers.push(await ready);
    const done = next();
    w.postMessage({ t: "run", id: 1, input: encodePortBatches(lib.toWitPortBatches(batchInputsFromWitJson(testdata("inputs.json")))) });
    answers.push(await done);
  } finally {
    await w.terminate();
  }
  assert.equal(answers.map((a) => a.message.t), ["ready", "done"]);
  assert.ok(answers[1]!.message.result instanceof ArrayBuffer && answers[1]!.message.result.byteLength > 0, "the task's result");
  for (const a of answers) assert.is(a.transfer, null, `the worker posted ${a.message.t} with a transfer list of ${a.transfer}`);
});

test("compute guest: outputs match a JS oracle and BatchComponent, fuel identical", async () => {
  const limits = ExecutionLimits.default().withFuel(50_000_000);
  const direct = BatchComponent.fromComponentBytes(computeBytes, { limits });
  const pool = await BatchPool.create(computeBytes, { workers: 2, limits });
  const cases = [1, 2, 3, 4].map((kb) => computeInput(`k${kb}`, kb, kb));
  const pooled = await Promise.all(cases.map((c) => pool.invokeWithReport(c)));
  cases.forEach((c, i) => {
    const d = direct.invokeWithReport(c);
    assert.is(view(pooled[i]), view(d));
    // oracle: iterated FNV-1a in JS
    const payload = c.packets("in")[0].payload as { kind: "bytes"; bytes: Uint8Array };
    let h = 0x811c9dc5;
    for (let r = 0; r < 256; r++) for (const b of payload.bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
    const got = pooled[i].outputs?.packets("out")[0].payload as { kind: "bytes"; bytes: Uint8Array };
    assert.is(new DataView(got.bytes.buffer, got.bytes.byteOffset, 4).getUint32(0, true), h);
  });
  await pool.close();
});

/**
 * The hostile fixtures of the quick slice (one pool each, about 1.5 s of wall time apiece): one per
 * kind of failure the pool must carry back unchanged (lift trap, guest error, core trap, out of fuel,
 * stack exhaustion, memory limit, output limit, refused import, post-return trap). --full runs all.
 */
const QUICK_HOSTILE = ["bad-result-discriminant", "guest-failure", "trap", "infinite-loop", "infinite-recursion", "memory-hog", "output-too-large", "imports-function", "post-return-trap"];

test("hostile fixtures: the pool reports exactly what BatchComponent reports", async () => {
  const all = readdirSync(join(projectRoot, "fixtures", "hostile")).filter((n) => existsSync(join(projectRoot, "fixtures", "hostile", n, "component.wasm")));
  assert.ok(all.length >= 25, `${all.length} hostile fixtures`);
  for (const n of QUICK_HOSTILE) assert.ok(all.includes(n), `quick-slice fixture ${n} is missing`);
  const names = fullRun ? all : QUICK_HOSTILE;
  if (!fullRun) console.log(`# quick slice: ${names.length} of ${all.length} hostile fixtures through the pool (npm run test:full runs all)`);
  const limits = ExecutionLimits.default().withFuel(3_000_000).withMaxMemoryPages(64).withMaxOutputBytes(1 << 20);
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  let compared = 0;
  // two pools at a time
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(names.slice(i, i + 2).map(async (name) => {
      const b = fixtureBytes(`hostile/${name}`);
      const direct = BatchComponent.fromComponentBytes(b, { limits });
      const pool = await BatchPool.create(b, { workers: 1, limits });
      for (const input of [inputs, new BatchInputs()]) {
        const d = direct.invokeWithReport(input);
        const p = await pool.invokeWithReport(input);
        assert.is(view(p), view(d), name);
        compared++;
      }
      await pool.close();
    }));
  }
  // a core module is not a component: create fails as fromComponentBytes does
  const core = fixtureBytes("hostile/core-module");
  const e1 = await BatchPool.create(core, { workers: 1 }).then(() => undefined, (e: unknown) => e);
  let e2: unknown;
  try { BatchComponent.fromComponentBytes(core); } catch (e) { e2 = e; }
  assert.ok(e1 instanceof PureflowError, String(e1));
  assert.is(String(e1), String(e2));
  console.log(`\n# pool/hostile: ${names.length} fixtures, ${compared} reports identical to BatchComponent; compile error identical`);
});

test("cancellation stops one task only; the worker survives and runs the next task", async () => {
  const limits = ExecutionLimits.default().withFuel(Number.MAX_SAFE_INTEGER);
  const pool = await BatchPool.create(computeBytes, { workers: 2, limits });
  const direct = BatchComponent.fromComponentBytes(computeBytes, { limits });
  // a pre-aborted signal never reaches a worker
  const pre = new AbortController();
  pre.abort("not now");
  const r0 = await pool.invokeWithReport(computeInput("x", 1), { signal: pre.signal });
  assert.is(r0.error?.code, "CDT-CANCEL-001");
  assert.is(r0.error?.message, "not now");
  assert.is(r0.fuelConsumed, 0);
  // two long tasks (hours of work); cancel the first only
  const a1 = new AbortController(), a2 = new AbortController();
  const long1 = pool.invokeWithReport(computeInput("long1", 64 * 1024), { signal: a1.signal });
  const long2 = pool.invokeWithReport(computeInput("long2", 64 * 1024), { signal: a2.signal });
  // a third task waits in the queue; aborting it removes it without running it
  const a3 = new AbortController();
  const queued = pool.invokeWithReport(computeInput("q", 1), { signal: a3.signal });
  await until(() => pool.running === 2);
  assert.is(pool.queued, 1);
  a3.abort(new Error("queue abort"));
  const rq = await queued;
  assert.is(rq.error?.toString(), "CDT-CANCEL-001: execution cancelled: queue abort");
  assert.is(rq.fuelConsumed, 0);
  await sleep(200);
  a1.abort("stop one");
  const r1 = await long1;
  assert.is(r1.error?.code, "CDT-CANCEL-001");
  assert.is(r1.error?.message, "stop one");
  assert.ok(r1.fuelConsumed > 0, "the cancelled task had run");
  assert.is(pool.running, 1, "the other task still runs");
  // the freed worker runs a short task, exactly as BatchComponent would
  const small = computeInput("small", 2, 9);
  const rs = await pool.invokeWithReport(small);
  assert.is(view(rs), view(direct.invokeWithReport(small)));
  assert.is(pool.running, 1);
  a2.abort(); // no reason: the default text
  const r2 = await long2;
  assert.is(r2.error?.message, "This operation was aborted");
  assert.is(pool.workersStarted, 2, "no worker was replaced to cancel");
  // BatchComponent.invokeAsync reports the same reasons
  const c = new AbortController();
  c.abort("stop one");
  const d1 = await direct.invokeAsyncWithReport(computeInput("x", 1), { signal: c.signal });
  assert.is(d1.error?.toString(), r1.error?.toString());
  await pool.close();
});

test("a worker killed mid-task is replaced; its task fails typed; nothing lost or run twice", async () => {
  const limits = ExecutionLimits.default().withFuel(Number.MAX_SAFE_INTEGER);
  const pool = await BatchPool.create(computeBytes, { workers: 2, limits });
  const direct = BatchComponent.fromComponentBytes(computeBytes, { limits });
  const long = pool.invokeWithReport(computeInput("long", 64 * 1024));
  const smalls = Array.from({ length: 12 }, (_, i) => computeInput(`s${i}`, 1, 100 + i));
  await until(() => pool.running === 1);
  const settled: number[] = [];
  const results = smalls.map((s, i) => pool.invokeWithReport(s).then((r) => { settled.push(i); return r; }));
  const victim = pool._runningTaskIds().findIndex((id) => id === 1);
  assert.ok(victim >= 0, "the long task's worker");
  await pool._terminateWorker(victim);
  const rl = await long;
  assert.is(rl.error?.code, "CDT-EXEC-001");
  assert.match(rl.error?.message ?? "", /^batch pool worker stopped while running the invocation \(exit code \d+\); it was not retried$/);
  const rs = await Promise.all(results);
  rs.forEach((r, i) => assert.is(view(r), view(direct.invokeWithReport(smalls[i])), `small ${i}`));
  assert.is(settled.length, smalls.length);
  assert.is(new Set(settled).size, smalls.length, "each task settled once");
  assert.is(pool.workersStarted, 3, "one replacement");
  await until(() => pool._runningTaskIds().every((id) => id === undefined));
  // both workers serve again
  const again = await Promise.all([1, 2, 3, 4].map((k) => pool.invokeWithReport(computeInput(`a${k}`, 1, k))));
  assert.ok(again.every((r) => r.outputs !== undefined));
  await pool.close();
});

test("close(): drain finishes queued work, refuses new work; abort cancels", async () => {
  const limits = ExecutionLimits.default().withFuel(Number.MAX_SAFE_INTEGER);
  const pool = await BatchPool.create(computeBytes, { workers: 1, limits });
  const tasks = [1, 2, 3].map((k) => pool.invokeWithReport(computeInput(`d${k}`, 1, k)));
  const closing = pool.close();
  assert.ok(pool.closed);
  assert.is(pool.close(), closing, "the same promise");
  const late = await pool.invokeWithReport(computeInput("late", 1));
  assert.is(late.error?.toString(), "CDT-EXEC-001: node execution failed: batch pool is closed: invoke was called after close()");
  const lateThrow = await pool.invoke(computeInput("late", 1)).then(() => undefined, (e: unknown) => e);
  assert.ok(lateThrow instanceof PureflowError);
  await closing;
  for (const t of await Promise.all(tasks)) assert.ok(t.outputs !== undefined, "drained");

  const pool2 = await BatchPool.create(computeBytes, { workers: 1, limits });
  const running = pool2.invokeWithReport(computeInput("long", 64 * 1024));
  const waiting = pool2.invokeWithReport(computeInput("w", 1));
  await until(() => pool2.running === 1);
  await pool2.close({ mode: "abort" });
  const [rr, rw] = await Promise.all([running, waiting]);
  assert.is(rr.error?.toString(), `CDT-CANCEL-001: execution cancelled: ${POOL_CLOSED_REASON}`);
  assert.is(rw.error?.toString(), `CDT-CANCEL-001: execution cancelled: ${POOL_CLOSED_REASON}`);
  assert.is(rw.fuelConsumed, 0);
});

test("workers get the parent's Node options without --input-type (Node refuses a file worker with it)", async () => {
  const { workerExecArgv } = await import("../../src/pool/threads.js");
  assert.equal(workerExecArgv(["--input-type=module", "-e", "code"]), ["-e", "code"]);
  assert.equal(workerExecArgv(["--input-type", "module", "--no-warnings", "-e", "code"]), ["--no-warnings", "-e", "code"]);
  assert.is(workerExecArgv(["--stack-size=4000", "-e", "code"]), undefined, "inherited as they are");
  assert.is(workerExecArgv([]), undefined);
  // a pool created from `node --input-type=module -e` (before: its workers failed to start)
  const script = `const { BatchPool } = await import(${JSON.stringify(pathToFileURL(dist).href)});
const { readFileSync } = await import("node:fs");
const pool = await BatchPool.create(readFileSync(${JSON.stringify(join(projectRoot, "fixtures/uppercase-guest/component.wasm"))}), { workers: 1 });
await pool.close();
console.log("started", pool.size);`;
  const { spawnSync } = await import("node:child_process");
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), "started 1");
});

test("misuse gives typed errors naming the argument", async () => {
  const u = fixtureBytes("uppercase-guest");
  const bad: [unknown, unknown, string][] = [
    ["not bytes", undefined, "bytes"],
    [u, 5, "options"],
    [u, { workers: 0 }, "options.workers"],
    [u, { workers: 1.5 }, "options.workers"],
    [u, { workers: "2" }, "options.workers"],
    [u, { workers: 1000 }, "options.workers"],
    [u, { limits: { fuel: 5 } }, "options.limits"],
    [u, { threads: "posix" }, "options.threads"],
    [u, { snapshot: 1 }, "options.snapshot"],
  ];
  for (const [b, o, arg] of bad) {
    const e = await BatchPool.create(b as Uint8Array, o as undefined).then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof PureflowError, `${arg}: ${String(e)}`);
    assert.is((e as InstanceType<typeof PureflowError>).argument, arg);
  }
  // an ArrayBuffer is fine, as for BatchComponent.fromComponentBytes
  const pool = await BatchPool.create(new Uint8Array(u).buffer, { workers: 1 });
  const r = await pool.invokeWithReport(new BatchInputs(), { signal: "abort" as unknown as AbortSignal });
  assert.is(r.error?.argument, "options.signal");
  const r2 = await pool.invokeWithReport({} as BatchInputsT);
  const d2 = BatchComponent.fromComponentBytes(u).invokeWithReport({} as BatchInputsT);
  assert.is(view(r2), view(d2));
  assert.throws(() => pool.close({ mode: "later" as "drain" }), (e: unknown) => e instanceof PureflowError && e.argument === "options.mode");
  const ok = await pool.invoke(inputsOf([{ id: "m", payload: bytes("abc") }]));
  assert.is(new TextDecoder().decode((ok.packets("out")[0].payload as { bytes: Uint8Array }).bytes), "ABC");
  await pool.close();
});

test("invokeRepeated (run --repeat N --workers K): counts, identical results, typed misuse", async () => {
  const { invokeRepeated } = lib;
  const u = fixtureBytes("uppercase-guest");
  const inputs = batchInputsFromWitJson(testdata("inputs.json"));
  const direct = BatchComponent.fromComponentBytes(u).invokeWithReport(inputs);
  for (const workers of [0, 2]) {
    let progress = 0;
    const s = await invokeRepeated(u, inputs, { repeat: 25, workers, onProgress: (done) => { progress = done; } });
    assert.is(s.completed, 25);
    assert.is(s.failed, 0);
    assert.is(s.mismatches, 0);
    assert.is(progress, 25);
    assert.is(s.workers, workers);
    assert.ok(s.snapshotStarted);
    assert.ok(s.batchesPerSecond > 0 && s.latencyMs.median > 0 && s.latencyMs.p95 >= s.latencyMs.median);
    assert.is(view(s.first), view(direct));
  }
  const e = await invokeRepeated(u, inputs, { repeat: 0 }).then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof PureflowError && e.argument === "options.repeat");
  const e2 = await invokeRepeated(u, inputs, { repeat: 1, workers: -1 }).then(() => undefined, (x: unknown) => x);
  assert.ok(e2 instanceof PureflowError && e2.argument === "options.workers");
});

test.run();
