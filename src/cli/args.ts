/**
 * Command-line argument parsing for `pureflow-wasm`: the three commands, their options, and the
 * usage text. A problem with the arguments is a {@link UsageError} (exit code 2).
 */

/** Wrong arguments: the CLI prints the message and the usage line, and exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The parsed command line. */
export type Command =
  | { command: "run"; component: string; inputs: string; fuel?: number; timeoutMs?: number; json: boolean }
  | { command: "inspect"; component: string; json: boolean }
  | { command: "validate-manifest"; manifest: string; workflow?: string }
  | { command: "help" }
  | { command: "version" };

/** The usage text printed by `--help` and after usage errors. */
export const USAGE = `usage:
  pureflow-wasm run <component.wasm> <inputs.json|-> [--fuel N] [--timeout-ms N] [--json]
      run a pureflow:batch@0.1.0 component on WIT-shaped JSON inputs (- reads stdin);
      prints the outputs as WIT-shaped JSON
  pureflow-wasm inspect <component.wasm> [--json]
      show the component's exports, core modules, and whether it fits the batch world
  pureflow-wasm validate-manifest <manifest.json> [--workflow <workflow.json>]
      check a Pureflow WASM component manifest
  pureflow-wasm --help | --version

exit codes: 0 success, 1 failure (error: CODE: category: message), 2 usage error`;

function count(name: string, text: string | undefined, max: number): number {
  if (text === undefined) throw new UsageError(`${name} needs a value`);
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${name} must be a non-negative integer, got \`${text}\``);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n > max) throw new UsageError(`${name} must be at most ${max}, got \`${text}\``);
  return n;
}

/** Parses `argv` (without the node and script paths). */
export function parseArgs(argv: readonly string[]): Command {
  // `main` is callable from code too: a wrong argv is a usage error, not a raw TypeError
  if (!Array.isArray(argv)) throw new UsageError("the arguments must be an array of strings");
  argv.forEach((a: unknown, i) => {
    if (typeof a !== "string") throw new UsageError(`argument ${i + 1} is not a string`);
  });
  const args = [...argv];
  if (args.length === 0) throw new UsageError("missing command");
  const cmd = args.shift() as string;
  if (cmd === "--help" || cmd === "-h" || cmd === "help") return { command: "help" };
  if (cmd === "--version" || cmd === "-V") return { command: "version" };
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set(["--fuel", "--timeout-ms", "--workflow"]);
  const known: Record<string, readonly string[]> = {
    run: ["--fuel", "--timeout-ms", "--json"],
    inspect: ["--json"],
    "validate-manifest": ["--workflow"],
  };
  if (!(cmd in known)) throw new UsageError(`unknown command \`${cmd}\``);
  while (args.length > 0) {
    const a = args.shift() as string;
    if (a === "--help" || a === "-h") return { command: "help" };
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq >= 0 ? a.slice(0, eq) : a;
      if (!known[cmd].includes(name)) throw new UsageError(`unknown option \`${name}\` for \`${cmd}\``);
      if (flags.has(name)) throw new UsageError(`option \`${name}\` given twice`);
      if (valued.has(name)) {
        const v = eq >= 0 ? a.slice(eq + 1) : args.shift();
        if (v === undefined) throw new UsageError(`${name} needs a value`);
        flags.set(name, v);
      } else {
        if (eq >= 0) throw new UsageError(`option \`${name}\` takes no value`);
        flags.set(name, true);
      }
    } else positional.push(a);
  }
  const str = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === "string" ? v : undefined;
  };
  switch (cmd) {
    case "run": {
      if (positional.length !== 2) throw new UsageError(`run needs <component.wasm> and <inputs.json|->, got ${positional.length} argument(s)`);
      const out: Command = { command: "run", component: positional[0], inputs: positional[1], json: flags.has("--json") };
      if (flags.has("--fuel")) out.fuel = count("--fuel", str("--fuel"), Number.MAX_SAFE_INTEGER);
      if (flags.has("--timeout-ms")) out.timeoutMs = count("--timeout-ms", str("--timeout-ms"), 2 ** 31 - 1);
      return out;
    }
    case "inspect":
      if (positional.length !== 1) throw new UsageError(`inspect needs <component.wasm>, got ${positional.length} argument(s)`);
      return { command: "inspect", component: positional[0], json: flags.has("--json") };
    default: {
      if (positional.length !== 1) throw new UsageError(`validate-manifest needs <manifest.json>, got ${positional.length} argument(s)`);
      const out: Command = { command: "validate-manifest", manifest: positional[0] };
      const wf = str("--workflow");
      if (wf !== undefined) out.workflow = wf;
      return out;
    }
  }
}
