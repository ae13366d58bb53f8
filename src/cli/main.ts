#!/usr/bin/env node
/**
 * The `pureflow-wasm` executable (package `bin`): runs the command line on `process.argv` and
 * sets the exit code (0 success, 1 failure, 2 usage error).
 */
import { describeError, main } from "./cli.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${describeError(e)}\n`);
    process.exitCode = 1;
  },
);
