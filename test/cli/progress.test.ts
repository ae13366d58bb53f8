/**
 * The CLI in-process (`main(argv, io)`): progress (fuel used so far) is written on a TTY during a
 * long run and never on a pipe.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main, type CliIo } from "../../src/cli/cli.js";

function io(tty: boolean): CliIo & { out: string; err: string } {
  const r = { out: "", err: "", stderrIsTTY: tty, stdout: (t: string) => { r.out += t; }, stderr: (t: string) => { r.err += t; }, readStdin: () => "[]" };
  return r;
}

const args = ["run", "fixtures/hostile/infinite-loop/component.wasm", "fixtures/uppercase-guest/testdata/inputs.json", "--fuel", "9007199254740991", "--timeout-ms", "400"];

test("a long run shows progress on a TTY", async () => {
  const t = io(true);
  assert.is(await main(args, t), 1);
  assert.match(t.err, /\rrunning: [0-9,]+ fuel used/);
  assert.match(t.err, /error: CDT-CANCEL-001: execution cancelled: wasm guest invocation timed out after 400 ms\n$/);
});

test("and never on a pipe", async () => {
  const p = io(false);
  assert.is(await main(args, p), 1);
  assert.is(p.err, "error: CDT-CANCEL-001: execution cancelled: wasm guest invocation timed out after 400 ms\n");
});

test.run();
