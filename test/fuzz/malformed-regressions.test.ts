/**
 * Regression tests for the bugs the malformed-input campaign found (issue 7). Each test holds the
 * reproducer's recipe (a few bytes of framing around a long run of one repeated byte, built here so
 * the test needs no large file) and asserts the required behaviour: bad or hostile input gives a
 * typed error (`CompileError`/`LinkError`/`RuntimeError`, `ComponentError`, `PureflowError` with no
 * raw cause) or works, within bounded time, and invalid components are refused. Bugs 1-3 were
 * fixed by the owners of the files named below (bug 1: commit a71bd43; bugs 2 and 3: commit
 * 44ba5d5); these tests keep them fixed. Bugs 4 and 5 are open: their tests FAIL until fixed.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CompileError, Instance, LinkError, Module, RuntimeError, Store } from "../../interpreter/index.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Component, ComponentError } from "../../canonical-abi/index.js";
import { projectRoot } from "../helpers/shared.js";
import { BatchComponent, PureflowError } from "../../src/index.js";

function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return out;
}

function bytesOf(...parts: (number[] | Uint8Array)[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function section(id: number, ...content: (number[] | Uint8Array)[]): Uint8Array {
  const c = bytesOf(...content);
  return bytesOf([id, ...uleb(c.length)], c);
}

/**
 * Module with one exported function `f: [] -> []` whose body is
 * `block; i32.const 0; br_table 0 0 ... 0 (n + 1 labels); end; end`.
 */
function brTableModule(n: number): Uint8Array {
  const body = bytesOf([0x00, 0x02, 0x40, 0x41, 0x00, 0x0e, ...uleb(n)], new Uint8Array(n + 1), [0x0b, 0x0b]);
  return bytesOf(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, [0x01, 0x60, 0x00, 0x00]),
    section(3, [0x01, 0x00]),
    section(7, [0x01, 0x01, 0x66, 0x00, 0x00]),
    section(10, [0x01, ...uleb(body.length)], body),
  );
}

/** Component whose type section defines one `tuple<u32, u32, ...>` of `n` members. */
function tupleComponent(n: number): Uint8Array {
  return bytesOf([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], section(7, [0x01, 0x6f, ...uleb(n)], new Uint8Array(n).fill(0x79)));
}

/** Component whose type section defines `list<u8>` `n` times. */
function listTypesComponent(n: number): Uint8Array {
  const c = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) c.set([0x70, 0x7d], 2 * i);
  return bytesOf([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00], section(7, uleb(n), c));
}

function typedCore(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CompileError || e instanceof LinkError || e instanceof RuntimeError)) {
      throw new Error(`raw exception escaped: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
}

/*
 * Bug 1 (interpreter/translate/translator.ts, FuncTranslator.run, case 0x0e br_table):
 * `this.emit(Op.BR_TABLE, own, idx, n, ...targets)` spreads every target as a call argument
 * (and `emit` spreads them again into `this.out.push`), so a br_table with about 65,536 or more
 * labels throws `RangeError: Maximum call stack size exceeded` from `new Instance` (translation is
 * lazy, so `new Module` succeeds). Found by `npm run fuzz:malformed -- --crafted-only`.
 * Fixed in a71bd43 (no argument spread when emitting br_table targets).
 */
test("the validity oracle is blind where Node 20 lacks a Wasm 3.0 part (a 30,000-case campaign's one 'disagreement': a second memory)", async () => {
  const { beyondNode20 } = await import("../../scripts/malformed/node20-gaps.js");
  const { decodeModule } = await import("../../interpreter/decode/index.js");
  const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const name = (x: string): number[] => [x.length, ...[...x].map((c) => c.charCodeAt(0))];
  // (import "test" "memory-2-inf" (memory 0)) (memory 1): the campaign's case 28854 of seed 5150001
  const twoMemories = bytesOf(HEADER, section(2, [1, ...name("test"), ...name("memory-2-inf"), 0x02, 0x00, 0x00]), section(5, [1, 0x00, 0x01]));
  if (Number(process.versions.node.split(".")[0]) < 22) assert.is(WebAssembly.validate(twoMemories as Uint8Array<ArrayBuffer>), false, "Node 20 refuses a second memory");
  assert.is(beyondNode20(decodeModule(twoMemories)), "multi-memory");
  // an extended constant expression (Node 20 refuses it), and a plain module (not blind)
  const extended = bytesOf(HEADER, section(6, [1, 0x7f, 0x00, 0x41, 1, 0x41, 2, 0x6a, 0x0b]));
  assert.is(beyondNode20(decodeModule(extended)), "extended constant expressions");
  const plain = bytesOf(HEADER, section(5, [1, 0x00, 0x01]), section(6, [1, 0x7f, 0x00, 0x41, 1, 0x0b]));
  assert.is(beyondNode20(decodeModule(plain)), undefined);
});

test("bug 1: br_table with 2^21 labels gives a typed error or runs (was RangeError from new Instance)", () => {
  const bytes = brTableModule(2 ** 21);
  typedCore(() => {
    const m = new Module(bytes);
    const inst = new Instance(m, {}, { store: new Store({ fuel: 100_000 }) });
    (inst.exports.f as () => void)();
  });
});

/*
 * Bug 2 (canonical-abi/link/resolve.ts, typeDepth): `Math.max(...t.types.map(typeDepth))` (and the
 * same for record fields and variant cases) spreads every member as a call argument, so a tuple /
 * record / variant with about 130,000 or more members makes `Component.fromBytes` throw
 * `RangeError: Maximum call stack size exceeded`; the host maps it to a `PureflowError` whose
 * cause is that raw RangeError. Fixed in 44ba5d5 (no spreads over type members; a 10,000-member
 * limit for record/variant/tuple/enum, as wasmparser has).
 */
test("bug 2: a tuple type of 2^21 members gives a ComponentError (was RangeError from Component.fromBytes)", () => {
  const bytes = tupleComponent(2 ** 21);
  try {
    Component.fromBytes(bytes);
  } catch (e) {
    assert.ok(e instanceof ComponentError, `raw exception escaped: ${String(e)}`);
  }
});

test("bug 2 via the host: BatchComponent.fromComponentBytes gives a PureflowError without a raw cause", () => {
  const bytes = tupleComponent(2 ** 21);
  try {
    BatchComponent.fromComponentBytes(bytes);
    assert.unreachable("a component without the batch export must not compile");
  } catch (e) {
    assert.ok(e instanceof PureflowError, `raw exception escaped: ${String(e)}`);
    const cause = (e as Error).cause;
    assert.ok(cause === undefined || cause instanceof ComponentError, `PureflowError wraps a raw ${String(cause)}`);
  }
});

/*
 * Bug 3 (canonical-abi, component type section decoding/resolution): 1,000,000 `list<u8>` type
 * definitions (a 2 MB component) take about 4-6 s in `Component.fromBytes` (superlinear: 200,000
 * take about 1 s, 400,000 about 3.4 s), over the campaign's 1 s bound. A host limit on the number
 * of types (wasmtime's validator allows at most 1,000,000 types per module/component) or a
 * faster resolution would fix it. Improved in 44ba5d5 (about 1.3 s under load); the campaign's
 * crafted case, which decodes twice (Component.fromBytes, then BatchComponent), still exceeds 1 s.
 */
test("bug 3: 1,000,000 list<u8> types decode (or are refused) within 3 s of CPU time", () => {
  const bytes = listTypesComponent(1_000_000);
  // CPU time, not wall time: the test must not fail because the machine is busy with other work
  const c0 = process.cpuUsage();
  try {
    Component.fromBytes(bytes);
  } catch (e) {
    assert.ok(e instanceof ComponentError, `raw exception escaped: ${String(e)}`);
  }
  const c = process.cpuUsage(c0);
  const ms = (c.user + c.system) / 1000;
  console.log(`\n# malformed regressions: 1,000,000 list<u8> types decoded in ${ms.toFixed(0)} ms of CPU time`);
  assert.ok(ms < 3000, `Component.fromBytes took ${ms.toFixed(0)} ms of CPU time`);
});

/*
 * Bug 4 (canonical-abi/binary/types.ts, readExternName): import and export names are not checked
 * against the Component Model's name grammar (Explainer.md, "Import and Export Definitions":
 * `exportname ::= <plainname> | <interfacename>`, kebab-case labels, `namespace:package/name@semver`).
 * A component exporting `pure&low:batch/batch@0.1.0` decodes and links; wasm-tools (jco's
 * `componentWit`) rejects it: "not a valid extern name". Found by the component validity
 * differential (`npm run fuzz:malformed -- --component-oracle`, case 1710 of seed 4242: a byte of
 * the echo guest's export name changed).
 * Reproducer: fixtures/echo-guest/component.wasm with the 26 bytes of the export section's name
 * `pureflow:batch/batch@0.1.0` replaced by each name below (same length, so no size changes).
 */
const INVALID_NAMES = [
  "pure&low:batch/batch@0.1.0", // not a kebab label
  "pureflow:batch/batch@0.1.x", // bad semver
  "pureflow:batch/batch 0.1.0", // trailing characters
  "pureflow:batch/ba--h@0.1.0", // empty kebab word
  "-ureflow:batch/batch@0.1.0", // leading dash
  "pureflow/batch:batch@0.1.0", // ':' after '/'
];

function echoWithExportName(name: string): Uint8Array {
  const bytes = Uint8Array.from(readFileSync(join(projectRoot, "fixtures", "echo-guest", "component.wasm")));
  const old = new TextEncoder().encode("pureflow:batch/batch@0.1.0");
  // the export section (id 11) is the last top-level section holding the name; find the name there
  let pos = 8;
  let at = -1;
  while (pos < bytes.length) {
    const id = bytes[pos]!;
    let size = 0, shift = 0, p = pos + 1;
    for (;;) {
      const b = bytes[p++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (id === 11) {
      for (let i = p; i + old.length <= p + size; i++) if (old.every((b, k) => bytes[i + k] === b)) at = i;
    }
    pos = p + size;
  }
  assert.ok(at > 0, "export name not found in the echo guest");
  bytes.set(new TextEncoder().encode(name), at);
  return bytes;
}

test("bug 4 control: the echo guest with its own export name decodes", () => {
  Component.fromBytes(echoWithExportName("pureflow:batch/batch@0.1.0"));
});

for (const name of INVALID_NAMES) {
  test(`bug 4: export name ${JSON.stringify(name)} is refused with a ComponentError (was accepted)`, () => {
    const bytes = echoWithExportName(name);
    try {
      Component.fromBytes(bytes);
    } catch (e) {
      assert.ok(e instanceof ComponentError, `raw exception escaped: ${String(e)}`);
      return;
    }
    assert.unreachable(`Component.fromBytes accepted the invalid export name ${JSON.stringify(name)}`);
  });
}

/*
 * Bug 5 (canonical-abi/link, import/export type checks): a type reachable from an import's type
 * must itself be named (imported or exported) before it is used. In the reproducer (the long-id
 * fixture with two sections of its nested shim component swapped, seed 4242 case 46347 of
 * `--component-oracle`), `import-type-message-metadata` is `(eq 7)` where record 7 has a field of
 * type 1, a plain record that is neither imported nor exported. wasm-tools refuses it ("type not
 * valid to be used as import"); Component.fromBytes accepts it.
 * Reproducer: test/fuzz/reproducers/unnamed-type-in-import.wasm (2,818 bytes).
 */
test("bug 5: an import whose type uses an unnamed record is refused with a ComponentError (was accepted)", () => {
  const bytes = readFileSync(join(projectRoot, "test", "fuzz", "reproducers", "unnamed-type-in-import.wasm"));
  try {
    Component.fromBytes(bytes);
  } catch (e) {
    assert.ok(e instanceof ComponentError, `raw exception escaped: ${String(e)}`);
    return;
  }
  assert.unreachable("Component.fromBytes accepted an import whose type refers to an unnamed record");
});

test.run();
