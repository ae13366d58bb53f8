// Replay records (issue 16): every fixture, good and hostile, has a committed record
// (fixtures/records, `npm run records`) and replaying it gives the same record, field by field.
// A record that does not match its run says where; invalid records and other components are refused.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PureflowError } from "../../src/index.js";
import { parseReplayRecord, recordInvocation, replay, REPLAY_FORMAT } from "../../src/replay/record.js";
import { ENGINE_VERSION } from "../../src/version.js";
import { fixtureComponents, RECORD_LIMITS } from "../../scripts/record-fixtures.js";
import { projectRoot } from "../helpers/shared.js";

const recordsDir = join(projectRoot, "fixtures", "records");
const components = new Map(fixtureComponents());

test("every fixture has a record, and every record replays identically", () => {
  const names = readdirSync(recordsDir).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)).sort();
  assert.equal(names, [...components.keys()].sort(), "records and fixtures (run npm run records)");
  let ok = 0, errors = 0;
  for (const name of names) {
    const record = JSON.parse(readFileSync(join(recordsDir, `${name}.json`), "utf8"));
    const r = replay(record, readFileSync(components.get(name)!));
    assert.equal(r.differences, [], `${name}: first difference ${JSON.stringify(r.differences[0])}`);
    assert.ok(r.identical);
    if (record.outcome.status === "ok") ok++;
    else errors++;
  }
  console.log(`# replay records: ${names.length} fixture records replayed identically (${ok} ok, ${errors} typed errors)`);
});

test("a record that does not match its run names the first difference", () => {
  const bytes = readFileSync(components.get("uppercase-guest")!);
  const inputs = readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8");
  const rec = recordInvocation(bytes, inputs, { limits: RECORD_LIMITS });
  assert.is(rec.format, REPLAY_FORMAT);
  assert.is(rec.engine, `pureflow-wasm ${ENGINE_VERSION}`);
  const edited = JSON.parse(JSON.stringify(rec));
  edited.fuel.consumed += 1;
  edited.outcome.outputs[0].packets[0].payload.bytes[0] = 0;
  const r = replay(edited, bytes);
  assert.not.ok(r.identical);
  assert.equal(r.differences.map((d) => d.path), ["outcome.outputs[0].packets[0].payload.bytes[0]", "fuel.consumed"]);
  assert.is(r.differences[1]!.recorded, rec.fuel.consumed + 1);
  // a smaller fuel limit in the record changes the outcome: replay follows the record's limits
  const starved = JSON.parse(JSON.stringify(rec));
  starved.options.fuel = 100;
  const s = replay(starved, bytes);
  assert.ok(s.differences.some((d) => d.path === "outcome.status"));
  assert.is(s.replayed.outcome.status, "error");
});

test("invalid records and other components are refused with PureflowError", () => {
  const bytes = readFileSync(components.get("uppercase-guest")!);
  const rec = JSON.parse(readFileSync(join(recordsDir, "uppercase-guest.json"), "utf8"));
  const refuses = (what: string, f: () => unknown, pattern: RegExp): void => {
    try {
      f();
    } catch (e) {
      assert.instance(e, PureflowError, what);
      assert.match((e as Error).message, pattern, what);
      return;
    }
    assert.unreachable(`${what}: accepted`);
  };
  refuses("other component", () => replay(rec, readFileSync(components.get("echo-guest")!)), /not the recorded one/);
  refuses("not JSON", () => parseReplayRecord("{"), /not JSON/);
  refuses("array", () => parseReplayRecord([]), /expected a JSON object/);
  refuses("format", () => parseReplayRecord({ ...rec, format: "x" }), /format must be/);
  refuses("future version", () => parseReplayRecord({ ...rec, version: 99 }), /reads up to 1/);
  refuses("bad sha", () => parseReplayRecord({ ...rec, component: { sha256: "zz", size: 1 } }), /component must be/);
  refuses("bad fuel", () => parseReplayRecord({ ...rec, options: { ...rec.options, fuel: -1 } }), /options.fuel/);
  refuses("bad status", () => parseReplayRecord({ ...rec, outcome: { status: "maybe" } }), /outcome.status/);
  refuses("bytes of wrong type", () => replay(rec, "abc" as unknown as Uint8Array), /componentBytes/);
  assert.ok(parseReplayRecord(JSON.stringify(rec)).component.sha256 === rec.component.sha256);
});

test("ENGINE_VERSION is package.json's version", () => {
  assert.is(ENGINE_VERSION, JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")).version);
});

test.run();
