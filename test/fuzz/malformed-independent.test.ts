/**
 * (Written by the fuzz-diff engineer as test/fuzz/malformed.test.ts; kept here under its own name
 * when that file became the campaign's own CI slice.)
 * CI slices of the malformed-input fuzzers (issue 7), each in a child process so that a hang is
 * cut by a timeout: the campaign of record `npm run fuzz:malformed` (scripts/fuzz-malformed.ts +
 * scripts/malformed/, another engineer's) and the independent in-process fuzzer
 * scripts/fuzz/malformed-cli.ts (mutated spec-suite modules, -ttf modules and fixture components
 * through our decoder, validator, instantiation and fuel-bounded calls). Every failure must be a
 * typed error within the time bound.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../helpers/shared.js";
import { checkInput } from "../../scripts/fuzz/malformed.js";
import type { OurNamespace } from "../../scripts/spec/our-engine.js";
import { mutate } from "../../scripts/fuzz/mutate.js";
import { Rng } from "../../scripts/fuzz/prng.js";

const COUNT = Number(process.env.PUREFLOW_MALFORMED_COUNT ?? 20000);
/**
 * Per-case bound of the CI slice. The campaign default is 1 s; CI gets 2 s of headroom, and the
 * slice gives each export call 1,000 fuel instead of 100,000: calls into the big frames
 * of skip-stack-guard-page.0.wasm are slow per unit of fuel (value-stack growth, see the
 * harness report), ~0.2 s per 1,000 fuel here and seconds under load.
 */
const TIME_BOUND_MS = 2000;

test("the checker flags untyped exceptions and accepts typed ones", () => {
  class CompileError extends Error {}
  const fake = (thrown: unknown): OurNamespace =>
    ({ Module: class { constructor() { throw thrown; } }, CompileError, LinkError: CompileError, RuntimeError: CompileError, Store: class {} }) as unknown as OurNamespace;
  let msg = "";
  try {
    checkInput(fake(new TypeError("boom")), undefined, "module", new Uint8Array(8), 1);
  } catch (e) {
    msg = String(e);
  }
  assert.match(msg, /untyped TypeError/);
  assert.is(checkInput(fake(new CompileError("x")), undefined, "module", new Uint8Array(8), 1), "compile:Error");
});

test("mutations are deterministic and change the input", () => {
  const input = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0b]);
  let changed = 0;
  for (let i = 0; i < 200; i++) {
    const a = mutate(input, new Rng(i));
    const b = mutate(input, new Rng(i));
    assert.equal(a.bytes, b.bytes);
    if (a.bytes.length !== input.length || a.bytes.some((x, k) => x !== input[k])) changed++;
  }
  assert.ok(changed > 180, `only ${changed} of 200 mutants differ from the input`);
});

if (existsSync(join(projectRoot, "interpreter", "index.ts"))) {
  test(`${COUNT} mutated binaries: only typed errors, each under ${TIME_BOUND_MS} ms`, () => {
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--stack-size=4000", join(projectRoot, "scripts", "fuzz", "malformed-cli.ts"), "--count", String(COUNT), "--seed", "20260101", "--ttf", "4", "--call-fuel", "1000", "--time-bound", String(TIME_BOUND_MS), "--out", join(projectRoot, "fuzz-out")],
      { cwd: projectRoot, encoding: "utf8", timeout: 240_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    const summary = out.split("\n").filter((l) => l.startsWith("malformed-cli:")).pop() ?? "";
    console.log(`\n# ${summary}`);
    assert.is(r.status, 0, `malformed-cli failed (status ${r.status}, signal ${r.signal}):\n${out.slice(-4000)}`);
    assert.match(summary, new RegExp(`${COUNT} cases`));
  });
}

test.run();
