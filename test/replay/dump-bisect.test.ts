// Looking inside a stopped invocation (src/replay/dump.ts) and bisecting two executions
// (src/replay/bisect.ts), issue 16. The dump is checked against what the uppercase guest must hold
// at the stop (its output buffer holds the uppercased prefix of the payload its locals point at,
// as long as its loop counter); bisect must pin an injected divergence (a memory bit flipped at a random exact fuel
// point) at exactly that point, and a modified component at the first point a linear scan of every
// fuel point finds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { parse, componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import { BatchComponent, PureflowError } from "../../src/index.js";
import { invokeUntil } from "../../src/replay/snapshot.js";
import { dumpSnapshot, renderDump } from "../../src/replay/dump.js";
import { bisectDivergence, probeOf, stateDifferences } from "../../src/replay/bisect.js";
import { limitsOf, parseReplayRecord } from "../../src/replay/record.js";
import { batchInputsFromWitJson } from "../../src/batch/wit-json.js";
import { projectRoot } from "../helpers/shared.js";

const record = parseReplayRecord(readFileSync(join(projectRoot, "fixtures/records/uppercase-guest.json"), "utf8"));
const bytes = readFileSync(join(projectRoot, "fixtures/uppercase-guest/component.wasm"));
const limits = limitsOf(record);
const inputs = batchInputsFromWitJson(record.inputs);
const component = BatchComponent.fromComponentBytes(bytes, { limits });
const endFuel = component.invokeWithReport(inputs).fuelConsumed;
/** Fuel at the first instruction of `invoke` (start functions and lowering before it). */
const entryFuel = (invokeUntil(component, inputs, { stopAtFuel: 0 }) as { fuelConsumed: number }).fuelConsumed;
/** The payloads of the inputs, in order, as text. */
const payloads = (record.inputs as { packets: { payload: { bytes?: number[] } }[] }[]).flatMap((b) => b.packets.map((p) => String.fromCharCode(...(p.payload.bytes ?? []))));

test("dump: the stopped uppercase loop's locals agree with its memory; every fuel point dumps", () => {
  let checked = 0;
  for (let f = 0; f <= endFuel; f += 37) {
    const s = invokeUntil(component, inputs, { stopAtFuel: f });
    if (s.state === "finished") continue;
    const d = dumpSnapshot(component, s.snapshot, []);
    assert.is(d.stop.fuelConsumed, s.fuelConsumed);
    assert.ok(d.stop.fuelConsumed <= Math.max(f, entryFuel), `fuel ${d.stop.fuelConsumed} at a stop asked at ${f}`);
    assert.equal(d.export, ["pureflow:batch/batch@0.1.0", "invoke"]);
    const top = d.frames[d.frames.length - 1]!;
    const local = (name: string): number | undefined => {
      const l = top.locals.find((x) => x.name === name);
      return l === undefined ? undefined : Number(l.value);
    };
    const buf = local("buf"), i = local("i"), src = local("src"), n = local("n");
    if (buf === undefined || i === undefined || src === undefined || n === undefined || buf === 0 || i === 0 || i > n) continue;
    // in (or after) the copy loop of a packet: src[0..n) is one of the payloads, buf[0..i) its uppercased prefix
    const [b, p] = dumpSnapshot(component, s.snapshot, [{ start: buf, length: i }, { start: src, length: n }]).ranges.map((r) => String.fromCharCode(...(r.hex.match(/../g) ?? []).map((h) => parseInt(h, 16))));
    assert.ok(payloads.includes(p!), `fuel ${f}: src holds ${JSON.stringify(p)}`);
    assert.is(b, p!.slice(0, i).toUpperCase(), `fuel ${f}: buf holds ${JSON.stringify(b)}`);
    checked++;
    assert.match(renderDump(d), /call stack \(outermost first/);
  }
  assert.ok(checked >= 5, `stops inside the copy loop: ${checked}`);
});

test("dump: memory ranges clip at the memory's end; an unknown memory is a typed error", () => {
  const s = invokeUntil(component, inputs, { stopAtFuel: 1500 });
  if (s.state !== "stopped") throw new Error("expected a stop");
  const d = dumpSnapshot(component, s.snapshot, [{ start: 65530, length: 100 }]);
  assert.is(d.ranges[0]!.length, 6);
  assert.throws(() => dumpSnapshot(component, s.snapshot, [{ start: 0, length: 4, memory: 3 }]), (e: unknown) => e instanceof PureflowError && e.trap === "call-snapshot-invalid");
  const edited = s.snapshot.slice();
  edited[edited.length - 3] ^= 1;
  assert.throws(() => dumpSnapshot(component, edited), (e: unknown) => e instanceof PureflowError && /damaged/.test((e as Error).message));
});

// bytes 0..15 are never written by the guest (its return area starts at 16), so a flip there persists to the end
test("bisect: a memory bit flipped at a random fuel point is pinned at exactly that point", () => {
  let runs = 0;
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 15 }), (at, address) => {
      const r = bisectDivergence(probeOf(component, inputs), probeOf(component, inputs, { atFuel: at, address }), limits.fuel);
      assert.is(r.identical, false);
      assert.is(r.divergence, at, `flipped at ${at}`);
      assert.ok(r.differences.some((d) => d.startsWith(`memory 0 first differs at 0x${address.toString(16)}:`)), r.differences.join("; "));
      assert.ok(r.probes <= 2 + Math.ceil(Math.log2(endFuel)) + 2, `probes ${r.probes}`);
      runs++;
    }),
    { numRuns: 8, seed: 16 },
  );
  assert.is(runs, 8);
  const same = bisectDivergence(probeOf(component, inputs), probeOf(BatchComponent.fromComponentBytes(bytes.slice(), { limits }), inputs), limits.fuel);
  assert.is(same.identical, true);
});

test("bisect: a modified component diverges at the first fuel point a linear scan finds", async () => {
  const wat = readFileSync(join(projectRoot, "fixtures/uppercase-guest/guest.wat"), "utf8");
  const changed = wat.replace("(local.set $c (i32.sub (local.get $c) (i32.const 0x20)))", "(local.set $c (i32.sub (local.get $c) (i32.const 0x1f)))");
  assert.is.not(changed, wat);
  const wit = readFileSync(join(projectRoot, "wit/pureflow-batch.wit"), "utf8");
  const other = BatchComponent.fromComponentBytes(await componentNew(await componentEmbed({ binary: await parse(changed), witSource: wit, world: "pureflow-node", stringEncoding: "utf8" })), { limits });
  const a = probeOf(component, inputs), b = probeOf(other, inputs);
  const r = bisectDivergence(a, b, limits.fuel);
  assert.is(r.identical, false);
  const d = r.divergence!;
  // independent oracle: every fuel point before d agrees, d does not
  for (let f = 0; f < d; f++) assert.equal(stateDifferences(a(f), b(f)), [], `fuel ${f}`);
  assert.ok(stateDifferences(a(d), b(d)).length > 0);
  assert.ok(r.differences.some((x) => /local \d+: i32 \d+ vs i32 \d+/.test(x)), r.differences.join("; "));
  console.log(`# bisect: modified uppercase guest diverges at fuel ${d} (${r.probes} probes; linear scan of ${d} points agrees)`);
});

test.run();
