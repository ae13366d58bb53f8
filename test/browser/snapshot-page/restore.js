// Restores execution snapshots taken in Node (test/browser/snapshot.test.ts serves them with a
// manifest) and finishes each invocation here, reporting what it came to: outputs or error, fuel
// consumed, memory sha256. Plain ES modules from the project's dist/; nothing imports `node:`.
import { BatchComponent, batchInputsFromWitJson, batchesToWitJson, limitsOf, parseReplayRecord, resumeInvocation, invokeUntil } from "/dist/src/index.js";

async function bytesOf(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

function outcome(r) {
  const rep = r.report;
  return {
    state: r.state,
    outputs: rep.outputs === undefined ? null : batchesToWitJson(rep.outputs),
    error: rep.error === undefined ? null : rep.error.toString(),
    fuel: rep.fuelConsumed,
    memory: r.memorySha256,
  };
}

try {
  const manifest = await (await fetch("/snapshots/manifest.json")).json();
  const results = [];
  for (const entry of manifest) {
    const record = parseReplayRecord(await (await fetch(entry.record)).text());
    const component = BatchComponent.fromComponentBytes(await bytesOf(entry.component), { limits: limitsOf(record) });
    const restored = resumeInvocation(component, await bytesOf(entry.snapshot));
    // and an uninterrupted run here, for the record
    const straight = invokeUntil(component, batchInputsFromWitJson(record.inputs));
    results.push({ snapshot: entry.snapshot, restored: restored.state === "finished" ? outcome(restored) : { state: restored.state }, straight: outcome(straight) });
  }
  window.__results = { results };
} catch (e) {
  window.__results = { error: `${e && e.name}: ${e && e.message}\n${e && e.stack}` };
}
