/**
 * The import/export name grammar (`canonical-abi/binary/extern-names.ts`) as a table of names
 * accepted and refused, including the campaign's bug-4 names (each refused by wasm-tools).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { externNameProblem, isLabel, isSemver } from "../../canonical-abi/binary/extern-names.js";

const VALID_EXPORTS = [
  "f", "invoke", "a-b-c", "get-URL", "HTTP", "a1", "x-Y2-z", "[constructor]res", "[method]res.get-x", "[static]res.new",
  "pureflow:batch/batch@0.1.0", "wasi:http/types", "wasi:http/types@0.2.0-rc-2023-11-10", "a:b/c@1.2.3+build.5", "a:b/c@1.0.0-alpha.1",
];
const INVALID_EXPORTS = [
  "", "-a", "a-", "a--b", "1a", "a-1b", "a_b", "a b", "aB", "Ab", "é", "[method]res", "[foo]x", "a:b", "a/b:c", "a:b/c@1", "a:b/c@01.0.0",
  "a:b/c@1.0.0 ", "a:b/c@", ":b/c", "a:/c", "a:b/",
  "pure&low:batch/batch@0.1.0", "pureflow:batch/batch@0.1.x", "pureflow:batch/batch 0.1.0", "pureflow:batch/ba--h@0.1.0",
  "-ureflow:batch/batch@0.1.0", "pureflow/batch:batch@0.1.0",
];

test("valid export names", () => {
  for (const n of VALID_EXPORTS) assert.is(externNameProblem(n, "export"), undefined, n);
});

test("invalid export names are refused, naming the name", () => {
  for (const n of INVALID_EXPORTS) assert.match(externNameProblem(n, "export") ?? "", "is not a valid export name", JSON.stringify(n));
});

test("import-only forms: accepted as imports, refused as exports", () => {
  for (const n of ["unlocked-dep=<a:b>", "locked-dep=<a:b@1.0.0>", "url=<https://x/y.wasm>", "integrity=<sha256-abc>"]) {
    assert.is(externNameProblem(n, "import"), undefined, n);
    assert.ok(externNameProblem(n, "export"), n);
  }
});

test("labels and semver pieces", () => {
  assert.ok(isLabel("abc-DEF-g1"));
  assert.not.ok(isLabel("abc-Def"));
  assert.ok(isSemver("0.0.0"));
  assert.not.ok(isSemver("1.2"));
  assert.not.ok(isSemver("1.2.3-01"));
});

test.run();
