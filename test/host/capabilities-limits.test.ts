/** Capability validation (accept import-free, reject effects), descriptor rules, execution limits. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NodeCapabilities, validateWasmCapabilities, type EffectCapability } from "../../src/host/capabilities.js";
import { DEFAULT_GUEST_FUEL, ExecutionLimits } from "../../src/host/limits.js";
import { PureflowError } from "../../src/errors.js";

function err(f: () => unknown): PureflowError {
  try {
    f();
  } catch (e) {
    assert.instance(e, PureflowError);
    return e as PureflowError;
  }
  throw new Error("expected an error");
}

test("wasm capabilities accept an import-free descriptor", () => {
  validateWasmCapabilities(NodeCapabilities.create({ node: "wasm", receive: ["in"], emit: ["out"] }));
  validateWasmCapabilities(NodeCapabilities.create({ node: "wasm" }));
});

test("wasm capabilities reject every effect, naming the first by its Debug name", () => {
  const e = err(() => validateWasmCapabilities(NodeCapabilities.create({ node: "wasm", receive: ["in"], effects: ["clock"] })));
  assert.is(e.code, "CDT-VAL-002");
  assert.ok(e.message.includes("not enforceable"));
  assert.is(String(e), "CDT-VAL-002: capability validation failed: node `wasm` declares effect capability `Clock` that is not enforceable by its execution boundary");
  const names: [EffectCapability, string][] = [["filesystem_read", "FileSystemRead"], ["filesystem_write", "FileSystemWrite"], ["network_outbound", "NetworkOutbound"],
    ["external_effect", "ExternalEffect"], ["process_spawn", "ProcessSpawn"], ["environment_read", "EnvironmentRead"], ["environment_write", "EnvironmentWrite"], ["clock", "Clock"]];
  for (const [effect, debug] of names) {
    assert.ok(err(() => validateWasmCapabilities(NodeCapabilities.create({ node: "n", effects: [effect, "clock"].filter((x, i, a) => a.indexOf(x) === i) as EffectCapability[] }))).message.includes(`\`${debug}\``));
  }
});

test("descriptor rules: duplicates and conflicts", () => {
  assert.is(err(() => NodeCapabilities.create({ node: "n", effects: ["clock", "clock"] })).message, "node `n` declares duplicate effect capability `Clock`");
  assert.is(err(() => NodeCapabilities.create({ node: "n", receive: ["a", "a"] })).message, "node `n` declares duplicate receive capability for port `a`");
  assert.is(err(() => NodeCapabilities.create({ node: "n", emit: ["a", "a"] })).message, "node `n` declares duplicate emit capability for port `a`");
  assert.is(err(() => NodeCapabilities.create({ node: "n", receive: ["a"], emit: ["a"] })).message, "node `n` declares port `a` for both receive and emit");
  assert.is(err(() => NodeCapabilities.create({ node: "n", receive: [""] })).code, "CDT-VAL-001");
  assert.is(err(() => NodeCapabilities.create({ node: " " })).message, "node id must not be empty");
});

test("execution limits: defaults and builders", () => {
  const d = ExecutionLimits.default();
  assert.is(DEFAULT_GUEST_FUEL, 100_000_000);
  assert.is(d.fuel, 100_000_000);
  assert.is(d.maxMemoryPages, 4096);
  assert.is(d.maxOutputBytes, 64 * 1024 * 1024);
  const l = d.withFuel(5).withCancellationCheckInterval(1).withMaxMemoryPages(2).withMaxOutputBytes(100);
  assert.equal([l.fuel, l.cancellationCheckInterval, l.maxMemoryPages, l.maxOutputBytes], [5, 1, 2, 100]);
  assert.is(d.fuel, 100_000_000);
  assert.is(ExecutionLimits.new(0).fuel, 0);
  assert.throws(() => d.withFuel(-1), (e: unknown) => e instanceof PureflowError && e.code === "CDT-EXEC-001" && /fuel/.test(e.message));
  assert.throws(() => d.withFuel(1.5), (e: unknown) => e instanceof PureflowError && /fuel/.test(e.message));
  assert.throws(() => d.withMaxMemoryPages(65537), (e: unknown) => e instanceof PureflowError && /maxMemoryPages|memory/i.test(e.message));
  assert.throws(() => d.withCancellationCheckInterval(0), (e: unknown) => e instanceof PureflowError && /interval/i.test(e.message));
});

test.run();
