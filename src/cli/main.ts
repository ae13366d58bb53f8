#!/usr/bin/env node
/**
 * The `pureflow-wasm` executable (package `bin`): runs the command line on `process.argv` and
 * sets the exit status (see `errors.ts`). A standard output that cannot be written (`> /dev/full`,
 * a closed pipe) ends with `CLI-OUTPUT-001` and exit status 4, never Node's unhandled-error trace;
 * a closed pipe (`| head`) is not reported on stderr.
 */
import { describeError, main } from "./cli.js";
import { CliError, EXIT } from "./errors.js";

let outputFailed = false;
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (outputFailed) return;
  outputFailed = true;
  process.exitCode = EXIT.output;
  if (e.code === "EPIPE") return;
  const why = e.code === "ENOSPC" ? "no space left on the device (ENOSPC)" : e.code !== undefined ? `${e.message.split(",")[0]} (${e.code})` : e.message;
  process.stderr.write(`error: ${new CliError("CLI-OUTPUT-001", `cannot write to standard output: ${why}`).toString()}\n`);
});
// a broken stderr has nowhere to be reported: never let it crash with a trace
process.stderr.on("error", () => {
  process.exitCode = outputFailed ? EXIT.output : process.exitCode;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = outputFailed ? EXIT.output : code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${describeError(e)}\n`);
    process.exitCode = EXIT.internal;
  },
);
