/** Pureflow's WASM component manifest checks (validate-manifest), in Pureflow's order and wording. */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { validateManifest, ManifestError } from "../../src/cli/manifest.js";
import { PureflowError } from "../../src/errors.js";
import { projectRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const dir = tempDir("pureflow-manifest-");
mkdirSync(join(dir, "guests"));
writeFileSync(join(dir, "guests", "upper.wasm"), readFileSync(join(projectRoot, "fixtures", "uppercase-guest", "component.wasm")));
writeFileSync(join(dir, "wf.json"), JSON.stringify({ pureflow_version: "1", id: "wasm-uppercase", nodes: [{ id: "source" }, { id: "wasm-upper" }], edges: [] }));
let n = 0;
function manifest(v: unknown): string {
  const p = join(dir, `m${n++}.json`);
  writeFileSync(p, typeof v === "string" ? v : JSON.stringify(v));
  return p;
}
/** Pureflow's message of the manifest's problem (the error is always a CLI-MANIFEST-001 ManifestError). */
function message(path: string, wf?: string): string {
  try {
    validateManifest(path, wf);
  } catch (e) {
    assert.ok(e instanceof ManifestError, String(e));
    assert.is((e as ManifestError).code, "CLI-MANIFEST-001");
    assert.is(String(e), `CLI-MANIFEST-001: invalid manifest: ${(e as Error).message}`);
    return (e as Error).message;
  }
  return "valid";
}

test("a valid manifest: relative paths against the manifest folder, default fuel, workflow check", () => {
  const p = manifest({ components: [{ node: "wasm-upper", component: "guests/upper.wasm" }, { node: "source", component: join(dir, "guests", "upper.wasm"), fuel: 5 }] });
  const m = validateManifest(p, join(dir, "wf.json"));
  assert.is(m.components[0].resolvedPath, join(dir, "guests", "upper.wasm"));
  assert.is(m.components[0].fuel, 100_000_000);
  assert.is(m.components[1].fuel, 5);
  assert.is(m.workflowId, "wasm-uppercase");
});

test("decode errors: unknown fields at both levels, missing fields, types", () => {
  assert.match(message(manifest({ components: [], extra: 1 })), /^failed to decode WASM component manifest `.*`: unknown field `extra`, expected `components`$/);
  assert.match(message(manifest({ components: [{ node: "a", component: "x", other: 1 }] })), /unknown field `other`, expected one of `node`, `component`, `fuel`$/);
  assert.match(message(manifest({})), /missing field `components`$/);
  assert.match(message(manifest({ components: [{ node: "a" }] })), /missing field `component`$/);
  assert.match(message(manifest({ components: [{ node: "a", component: "x", fuel: -1 }] })), /invalid value: integer `-1`, expected u64$/);
  assert.match(message(manifest({ components: [{ node: "a", component: "x", fuel: "1" }] })), /invalid type: string "1", expected u64$/);
  assert.match(message(manifest("{")), /^failed to decode WASM component manifest/);
});

test("node ids, duplicates, paths, workflow nodes: in this order", () => {
  assert.is(message(manifest({ components: [{ node: "a b", component: "missing" }] })), "CDT-VAL-001: identifier validation failed: node id must not contain whitespace");
  try {
    validateManifest(manifest({ components: [{ node: "", component: "missing" }] }));
  } catch (e) {
    assert.ok((e as { cause?: unknown }).cause instanceof PureflowError, "the id error keeps Pureflow's CDT-VAL-001 error as cause");
    assert.is(((e as { cause: PureflowError }).cause).code, "CDT-VAL-001");
  }
  assert.is(message(manifest({ components: [{ node: "a", component: "missing" }, { node: "a", component: "missing" }] })), "invalid WASM component manifest: duplicate component entry for node `a`");
  assert.is(message(manifest({ components: [{ node: "a", component: "missing.wasm" }] })), "invalid WASM component manifest: component path `missing.wasm` for node `a` is not readable");
  assert.is(message(manifest({ components: [{ node: "ghost", component: "guests/upper.wasm" }] }), join(dir, "wf.json")), "invalid WASM component manifest: manifest node `ghost` does not exist in workflow `wasm-uppercase`");
  assert.match(message(join(dir, "nope.json")), /^failed to read WASM component manifest `.*nope\.json`: no such file$/);
  assert.match(message(dir), /^failed to read WASM component manifest `.*`: is a directory, not a file$/);
  assert.match(message(manifest("{\n  \"components\": [,]\n}")), /^failed to decode WASM component manifest `.*`: unexpected `,`, expected a value at line 2 column 18$/);
});

test.run();
