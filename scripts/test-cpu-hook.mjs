// Loaded with `--import` into every test process by scripts/run-tests.mjs: when the process exits it
// writes one line `#pureflow-cpu <self> <children>` to stderr, the CPU seconds of this process (all its
// threads) and of the child processes it waited for (the built CLI, other runtimes; Linux only, read
// from /proc/self/stat; 0 elsewhere). The runner removes the line from the output and sums it per file.
import { readFileSync, writeSync } from "node:fs";

/** Clock ticks per second of /proc times: USER_HZ, 100 on every Linux architecture Node supports. */
const USER_HZ = 100;

/** CPU seconds of the waited-for children (fields cutime and cstime of /proc/self/stat), or 0. */
function childrenCpuSeconds() {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    // fields after the command name (which may hold spaces) start at state (field 3)
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / USER_HZ; // fields 16 and 17: cutime, cstime
  } catch {
    return 0;
  }
}

process.on("exit", () => {
  const u = process.cpuUsage();
  const self = (u.user + u.system) / 1e6;
  try {
    writeSync(2, `\n#pureflow-cpu ${self.toFixed(2)} ${childrenCpuSeconds().toFixed(2)}\n`);
  } catch {
    // stderr closed: the runner then shows no CPU time for this file
  }
});
