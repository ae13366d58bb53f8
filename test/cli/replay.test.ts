// `pureflow-wasm run --record` and `pureflow-wasm replay` through the built binary (issue 16):
// a record replays identically, an edited one gives exit 1 and the first difference, a folder of
// records is summarised, and every bad input has its own CLI code and exit status.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, inputsPath, tmpDir, tmpFile, upper, RAW_BYTES } from "./helpers.js";
import { projectRoot } from "../helpers/shared.js";

test("run --record writes a record that replay re-runs identically (no --component needed)", () => {
  const file = join(tmpDir, "upper.replay.json");
  const r = cli(["run", upper, inputsPath, "--record", file]);
  assert.is(r.code, 0, r.stderr);
  const record = JSON.parse(readFileSync(file, "utf8"));
  assert.is(record.format, "pureflow-wasm/replay-record");
  assert.is(record.outcome.status, "ok");
  assert.equal(JSON.parse(r.stdout), record.outcome.outputs);
  const again = cli(["replay", file]);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /identical \(ok, fuel 2,672\)/);
  const json = JSON.parse(cli(["replay", file, "--json"]).stdout);
  assert.equal(json, { status: "identical", records: [{ record: file, identical: true, differences: [] }] });
});

test("a guest failure is recorded too; an edited record gives exit 1 and names the first difference", () => {
  const file = join(tmpDir, "trap.replay.json");
  const r = cli(["run", "fixtures/hostile/trap/component.wasm", inputsPath, "--record", file, "--fuel", "5000"]);
  assert.is(r.code, 1);
  const record = JSON.parse(readFileSync(file, "utf8"));
  assert.is(record.outcome.error.trap, "unreachable");
  assert.is(record.options.fuel, 5000);
  assert.is(cli(["replay", file]).code, 0);
  record.outcome.error.message = "something else";
  writeFileSync(file, JSON.stringify(record));
  const d = cli(["replay", file]);
  assert.is(d.code, 1);
  assert.match(d.stdout, /DIFFERENT at outcome\.error\.message: recorded "something else", replayed "guest invoke failed/);
});

test("replay of a folder: every fixture record, with a summary", () => {
  const r = cli(["replay", "fixtures/records"]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const n = readdirSync("fixtures/records").filter((f) => f.endsWith(".json")).length;
  assert.ok(n >= 35, `${n} records`);
  assert.match(r.stdout, new RegExp(`\\n${n} records: ${n} identical, 0 different\\n$`));
});

test("bad inputs: their own codes and exit statuses, no raw bytes", () => {
  const rec = readFileSync("fixtures/records/uppercase-guest.json", "utf8");
  const cases: [string[], number, RegExp][] = [
    [["replay"], 2, /CLI-USAGE-001/],
    [["replay", "a", "b"], 2, /CLI-USAGE-001/],
    [["replay", "missing.json"], 3, /CLI-INPUT-001.*no such file/],
    [["replay", tmpFile("bad.json", "{")], 3, /CLI-INPUT-002/],
    [["replay", tmpFile("notrec.json", "[1]")], 3, /CLI-REPLAY-001: invalid replay record: .*expected a JSON object/],
    [["replay", tmpFile("nopath.json", JSON.stringify({ ...JSON.parse(rec), componentPath: undefined }))], 3, /CLI-REPLAY-001: .*give it with --component/],
    [["replay", tmpFile("other.json", rec), "--component", "fixtures/echo-guest/component.wasm"], 3, /CLI-REPLAY-001: .*not the recorded one/],
    [["replay", tmpFile("bin.json", readFileSync(upper))], 3, /CLI-INPUT-001|CLI-INPUT-002/],
    [["run", upper, inputsPath, "--record"], 2, /--record needs a value/],
  ];
  for (const [args, status, pattern] of cases) {
    const r = cli(args);
    assert.is(r.code, status, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(" "));
    assert.not.match(r.stderr, RAW_BYTES);
    assert.not.match(r.stderr, /\n\s+at /, "no stack trace");
  }
});

test("replay --stop-at-fuel N --dump: call stack, locals, globals, memory hex; --json; finished before N", () => {
  const rec = "fixtures/records/uppercase-guest.json";
  const r = cli(["replay", rec, "--stop-at-fuel", "1500", "--dump", "--memory", "0x590:32,16:16"]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^stopped at fuel 1,500 \(stop-at-fuel\) in pureflow:batch\/batch@0\.1\.0#invoke/);
  assert.match(r.stdout, /#0 instance 0 function 1 at offset \d+ \(stopped here\)/);
  assert.match(r.stdout, /local 13 buf: i32 1436\n/);
  assert.match(r.stdout, /instance 0 global 0: i32 \d+/);
  assert.match(r.stdout, /00000590  00 00 00 00 00 00 00 00 00 00 00 00 48 45 4c 4c  \|\.{12}HELL\|/);
  const j = JSON.parse(cli(["replay", rec, "--stop-at-fuel", "1500", "--dump", "--json"]).stdout);
  assert.is(j.status, "stopped");
  assert.is(j.stop.fuelConsumed, 1500);
  assert.is(j.frames[0].locals.find((l: { name: string }) => l.name === "buf").value, "1436");
  const late = cli(["replay", rec, "--stop-at-fuel", "99999", "--dump"]);
  assert.is(late.code, 0);
  assert.match(late.stdout, /ended \(fuel 2,672\) before it reached fuel 99,999/);
});

test("replay --bisect: an injected divergence is pinned at its fuel point; a different component; usage errors", () => {
  const rec = "fixtures/records/uppercase-guest.json";
  const r = cli(["replay", rec, "--bisect", "--perturb-at-fuel", "1777"]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout, /^DIVERGED at fuel 1,777 \(identical at 1,776\)/);
  assert.match(r.stdout, /memory 0 first differs at 0x0: 0x0 vs 0x1/);
  const j = JSON.parse(cli(["replay", rec, "--bisect", "--against", "fixtures/echo-guest/component.wasm", "--json"]).stdout);
  assert.is(j.status, "diverged");
  assert.is(j.divergence, 0);
  // another engine build: this build's dist, as is (identical), and a "build" whose engine flips
  // bit 2 of memory byte 3 at fuel 1,600 (a determinism bug planted in a wrapper of dist)
  const sameEngine = cli(["replay", rec, "--bisect", "--engine", "dist/src/index.js"]);
  assert.is(sameEngine.code, 0, sameEngine.stderr);
  assert.match(sameEngine.stdout, /^identical: the record's component and the engine build `dist\/src\/index\.js`/);
  const dist = join(projectRoot, "dist/src/index.js");
  const broken = tmpFile("broken-engine.mjs", `import * as real from ${JSON.stringify(dist)};
export * from ${JSON.stringify(dist)};
export function invokeUntil(c, inputs, options) {
  if (options.stopAtFuel < 1600) return real.invokeUntil(c, inputs, options);
  const first = real.invokeUntil(c, inputs, { stopAtFuel: 1600 });
  if (first.state === "finished") return first;
  return real.resumeInvocation(c, first.snapshot, { stopAtFuel: options.stopAtFuel, onRestore: (m) => { m[0][3] ^= 4; } });
}
`);
  const e = cli(["replay", rec, "--bisect", "--engine", broken]);
  assert.is(e.code, 1, e.stderr);
  assert.match(e.stdout, /^DIVERGED at fuel 1,600 \(identical at 1,599\): the record's component vs the engine build/);
  assert.match(e.stdout, /memory 0 first differs at 0x3: 0x0 vs 0x4/);
  const notEngine = cli(["replay", rec, "--bisect", "--engine", tmpFile("not-engine.mjs", "export const x = 1;\n")]);
  assert.is(notEngine.code, 3);
  assert.match(notEngine.stderr, /CLI-REPLAY-001: .*is not a build of pureflow-wasm with execution snapshots/);
  const same = cli(["replay", rec, "--bisect", "--against", "fixtures/uppercase-guest/component.wasm"]);
  assert.is(same.code, 0);
  assert.match(same.stdout, /^identical: /);
  const cases: [string[], number, RegExp][] = [
    [["replay", rec, "--dump"], 2, /--dump shows the state at a fuel point/],
    [["replay", rec, "--stop-at-fuel", "5"], 2, /--stop-at-fuel goes with --dump/],
    [["replay", rec, "--stop-at-fuel", "5", "--dump", "--memory", "12"], 2, /START:LEN/],
    [["replay", rec, "--bisect"], 2, /--against OTHER\.wasm, --engine .* or --perturb-at-fuel/],
    [["replay", rec, "--bisect", "--against", "x.wasm", "--perturb-at-fuel", "3"], 2, /one of them/],
    [["replay", "fixtures/records", "--bisect", "--perturb-at-fuel", "3"], 3, /CLI-INPUT-001.*folder/],
    [["replay", rec, "--bisect", "--against", "fixtures/hostile/core-module/module.wasm"], 3, /CLI-REPLAY-001/],
  ];
  for (const [args, status, pattern] of cases) {
    const e = cli(args);
    assert.is(e.code, status, `${args.join(" ")}: ${e.stderr}`);
    assert.match(e.stderr, pattern, args.join(" "));
    assert.not.match(e.stderr, /\n\s+at /, "no stack trace");
  }
});

test("help", () => {
  const r = cli(["replay", "--help"]);
  assert.is(r.code, 0);
  assert.match(r.stdout, /usage: pureflow-wasm replay <record\.json\|folder>/);
  assert.match(cli(["--help"]).stdout, /replay <record\.json\|folder>/);
});

test.run();
