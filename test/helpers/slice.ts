/**
 * Quick and full sizes of the slow suites (fuzzers, random-program oracles, property tests).
 * `npm test` runs a quick slice of each, so the whole suite stays within a few minutes; the full
 * sizes run with `npm run test:full` (or `node scripts/run-tests.mjs --full [filter]`), which sets
 * PUREFLOW_TEST_FULL=1. A suite's own environment variable, when set, wins over both.
 */

/** True when the full sizes were asked for (PUREFLOW_TEST_FULL=1). */
export const fullRun: boolean = process.env.PUREFLOW_TEST_FULL === "1";

/**
 * The size a sliced suite runs: the number in the environment variable `envName` when it is set,
 * else `full` under `--full`, else `quick`. Prints one `# ` line (echoed by the runner) saying
 * which slice ran, so a quick run never passes for a full one.
 */
export function sliceSize(envName: string, quick: number, full: number, what: string): number {
  const raw = process.env[envName];
  if (raw !== undefined && raw !== "") {
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${envName}=${raw}: expected a whole number of ${what}`);
    console.log(`# ${what}: ${n} (${envName})`);
    return n;
  }
  if (fullRun) return full;
  console.log(`# quick slice: ${quick} of ${full} ${what} (npm run test:full runs all)`);
  return quick;
}
