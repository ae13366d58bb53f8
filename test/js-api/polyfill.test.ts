// pureflow-wasm/webassembly (a WebAssembly namespace object shaped as the JS API says) and
// pureflow-wasm/polyfill (installs it as globalThis.WebAssembly), through the package's own
// exports (dist/, built by npm test); compileStreaming / instantiateStreaming with a Response.
import { spawnSync } from "node:child_process";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { WebAssembly as ours } from "pureflow-wasm/webassembly";

const native = globalThis.WebAssembly as unknown as Record<string | symbol, unknown>;
const ns = ours as unknown as Record<string | symbol, unknown>;
// (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
const ADD = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100, 100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11]);

test("every property the host's WebAssembly has (but Tag/Exception/Function/JSTag), ours has with the same attributes", () => {
  const skip = new Set(["Tag", "Exception", "Function", "JSTag", "Suspending", "promising"]);
  for (const key of Reflect.ownKeys(native)) {
    if (typeof key === "string" && skip.has(key)) continue;
    const a = Object.getOwnPropertyDescriptor(native, key)!;
    const b = Object.getOwnPropertyDescriptor(ns, key);
    assert.ok(b !== undefined, `missing ${String(key)}`);
    assert.equal([b.writable, b.enumerable, b.configurable, typeof b.value], [a.writable, a.enumerable, a.configurable, typeof a.value], String(key));
    if (typeof a.value === "function") assert.equal([(b.value as Function).name, (b.value as Function).length], [(a.value as Function).name, (a.value as Function).length], String(key));
  }
  assert.is(Object.prototype.toString.call(ours), "[object WebAssembly]");
  assert.is(Object.getPrototypeOf(ours), Object.prototype);
});

test("the namespace runs a module; errors are its own classes", async () => {
  const { instance, module } = await ours.instantiate(ADD);
  assert.is((instance.exports.add as (a: number, b: number) => number)(2, 40), 42);
  assert.ok(module instanceof ours.Module);
  assert.equal(ours.Module.exports(module), [{ name: "add", kind: "function" }]);
  let err: unknown;
  try {
    new ours.Module(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0]));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ours.CompileError && (err as Error).constructor === ours.CompileError);
});

test("compileStreaming / instantiateStreaming take a Response or a promise of one; check MIME type and status", async () => {
  const resp = (): Response => new Response(ADD, { headers: { "Content-Type": "application/wasm" } });
  const m = await ours.compileStreaming(resp());
  assert.equal(ours.Module.exports(m), [{ name: "add", kind: "function" }]);
  const r = await ours.instantiateStreaming(Promise.resolve(resp()));
  assert.is((r.instance.exports.add as (a: number, b: number) => number)(1, 2), 3);
  const rejects = async (p: Promise<unknown>, what: string): Promise<void> => {
    let err: unknown;
    await p.catch((e: unknown) => (err = e));
    assert.ok(err instanceof TypeError, `${what}: ${String(err)}`);
  };
  await rejects(ours.compileStreaming(new Response(ADD, { headers: { "Content-Type": "text/plain" } })), "wrong MIME type");
  await rejects(ours.compileStreaming(new Response(ADD, { status: 404, headers: { "Content-Type": "application/wasm" } })), "404");
  await rejects(ours.compileStreaming(ADD), "bytes instead of a Response");
  // Node's own engine agrees on each of these
  await rejects((native.compileStreaming as (s: unknown) => Promise<unknown>)(new Response(ADD, { headers: { "Content-Type": "text/plain" } })), "native, wrong MIME type");
});

function runNode(code: string): string {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: new URL("../..", import.meta.url).pathname, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test("pureflow-wasm/polyfill installs the namespace only where there is none, or when asked", () => {
  const absent = runNode(`delete globalThis.WebAssembly;
    const p = await import("pureflow-wasm/polyfill");
    const { WebAssembly: ns } = await import("pureflow-wasm/webassembly");
    const d = Object.getOwnPropertyDescriptor(globalThis, "WebAssembly");
    const { instance } = await WebAssembly.instantiate(new Uint8Array(${JSON.stringify([...ADD])}));
    console.log(JSON.stringify([globalThis.WebAssembly === ns, p.isInstalled(), d.writable, d.enumerable, d.configurable, instance.exports.add(20, 22)]));`);
  assert.is(absent, "[true,true,true,false,true,42]");
  const present = runNode(`const native = globalThis.WebAssembly;
    const p = await import("pureflow-wasm/polyfill");
    const before = globalThis.WebAssembly === native;
    const forced = p.installWebAssembly({ force: true });
    console.log(JSON.stringify([before, p.nativeWebAssembly === native, forced, globalThis.WebAssembly !== native, p.installWebAssembly({ whenUnusable: true })]));`);
  assert.is(present, "[true,true,true,true,true]");
  const usable = runNode(`const p = await import("pureflow-wasm/polyfill");
    console.log(JSON.stringify([p.installWebAssembly({ whenUnusable: true }), p.isInstalled()]));`);
  assert.is(usable, "[false,false]", "Node's engine compiles: not replaced");
});

test.run();
