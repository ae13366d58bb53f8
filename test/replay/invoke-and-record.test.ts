// invokeAndRecord (issue 16, recording every invocation at almost no cost): for every fixture
// record, good and hostile, the lazily written record is the committed one (it replays
// identically) and its JSON text equals what recordOf makes of invokeWithReport's report; the
// report equals invokeWithReport's; changing the inputs or outputs objects afterwards does not
// reach the record; bad arguments are typed errors, and inputs that do not convert are refused as
// recordOf refuses them.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  BatchComponent,
  BatchInputs,
  PureflowError,
  batchInputsFromWitJson,
  batchesToWitJson,
  checkBatchInputs,
  componentIdentity,
  invokeAndRecord,
  limitsOf,
  recordOf,
  replay,
} from "../../src/index.js";
import { fixtureComponents } from "../../scripts/record-fixtures.js";
import { projectRoot } from "../helpers/shared.js";

const recordsDir = join(projectRoot, "fixtures", "records");
const components = new Map(fixtureComponents());

test("every fixture record: the lazy record replays identically and equals recordOf's, the report equals invokeWithReport's", () => {
  const names = readdirSync(recordsDir).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5)).sort();
  let compared = 0;
  for (const name of names) {
    const committed = JSON.parse(readFileSync(join(recordsDir, `${name}.json`), "utf8"));
    const bytes = readFileSync(components.get(name)!);
    const limits = limitsOf(committed);
    let component: BatchComponent;
    try {
      component = BatchComponent.fromComponentBytes(bytes, { limits });
    } catch {
      continue; // a component that does not compile has no invocation to record (recordInvocation covers it)
    }
    const inputs = batchInputsFromWitJson(committed.inputs);
    const id = componentIdentity(bytes);
    const { report, record } = invokeAndRecord(component, id, inputs);
    const eager = component.invokeWithReport(inputs);
    assert.is(report.fuelConsumed, eager.fuelConsumed, name);
    assert.is(report.fuelLimit, eager.fuelLimit, name);
    assert.is(report.error?.code, eager.error?.code, name);
    assert.is(report.error?.message, eager.error?.message, name);
    assert.equal(report.outputs === undefined ? undefined : batchesToWitJson(report.outputs), eager.outputs === undefined ? undefined : batchesToWitJson(eager.outputs), name);
    assert.is(JSON.stringify(record), JSON.stringify(recordOf(id, inputs, limits, eager)), name);
    const r = replay(record, bytes);
    assert.equal(r.differences, [], `${name}: ${JSON.stringify(r.differences[0])}`);
    const { componentPath: _path, ...recorded } = committed; // where the file was: not part of the run
    assert.equal(JSON.parse(JSON.stringify(record)), recorded, name);
    compared++;
  }
  assert.ok(compared >= 30, `only ${compared} fixture records compared`);
  console.log(`# invokeAndRecord: ${compared} fixture records made lazily, each equal to the committed one`);
});

test("changing the inputs or outputs after the call does not reach the record", () => {
  const bytes = readFileSync(components.get("uppercase-guest")!);
  const component = BatchComponent.fromComponentBytes(bytes);
  const text = readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8");
  const expected = JSON.stringify(recordOf(componentIdentity(bytes), batchInputsFromWitJson(text), component.limits, component.invokeWithReport(batchInputsFromWitJson(text))));
  for (const given of ["inputs", "checked"] as const) {
    const inputs = batchInputsFromWitJson(text);
    const { report, record } = invokeAndRecord(component, componentIdentity(bytes), given === "checked" ? checkBatchInputs(inputs) : inputs);
    for (const [, packets] of inputs.entries()) {
      for (const p of packets) {
        p.metadata.messageId = "changed";
        if (p.payload.kind === "bytes") p.payload.bytes.fill(0x21);
      }
    }
    for (const [, packets] of report.outputs!.entries()) {
      for (const p of packets) {
        p.metadata.route.target.portId = "changed";
        if (p.payload.kind === "bytes") p.payload.bytes.fill(0x22);
      }
    }
    assert.is(JSON.stringify(record), expected, given);
  }
});

test("inputs that do not convert: the conversion's error is thrown, as recordOf refuses them", () => {
  const bytes = readFileSync(components.get("uppercase-guest")!);
  const component = BatchComponent.fromComponentBytes(bytes);
  const bad = new BatchInputs();
  bad.setPort("in", [{ metadata: { messageId: "bad id!", workflowId: "w", execution: { executionId: "e", attempt: 1 }, route: { source: null, target: { nodeId: "n", portId: "in" } } }, payload: { kind: "bytes", bytes: new Uint8Array(1) } }]);
  const eager = component.invokeWithReport(bad);
  assert.throws(() => invokeAndRecord(component, componentIdentity(bytes), bad), (e: unknown) => e instanceof PureflowError && e.message === eager.error!.message);
  assert.throws(() => recordOf(componentIdentity(bytes), bad, component.limits, eager), (e: unknown) => e instanceof PureflowError);
});

test("bad arguments are typed errors", () => {
  const bytes = readFileSync(components.get("uppercase-guest")!);
  const component = BatchComponent.fromComponentBytes(bytes);
  const id = componentIdentity(bytes);
  const inputs = new BatchInputs();
  for (const [args, what] of [
    [[{}, id, inputs], /`component`/],
    [[component, null, inputs], /`identity`/],
    [[component, { sha256: 1, size: 2 }, inputs], /`identity`/],
    [[component, id, inputs, null], /`options`/],
    [[component, id, inputs, { token: "no" }], /`options.token`/],
  ] as [unknown[], RegExp][]) {
    let thrown: unknown;
    try {
      (invokeAndRecord as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      thrown = e;
    }
    assert.instance(thrown, PureflowError, String(what));
    assert.match((thrown as Error).message, what);
  }
});

test.run();
