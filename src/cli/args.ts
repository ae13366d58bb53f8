/**
 * Command-line argument parsing for `pureflow-wasm`: the three commands, their options, and the
 * help texts (one global, one per command, with defaults and formats). A problem with the
 * arguments is a {@link UsageError} (`CLI-USAGE-001`, exit 2).
 */
import { UsageError } from "./errors.js";
import { groupDigits } from "./format.js";
import { DEFAULT_GUEST_FUEL } from "../host/limits.js";

export { UsageError };

/** The parsed command line. */
export type Command =
  | { command: "run"; component: string; inputs: string; fuel?: number; timeoutMs?: number; record?: string; repeat?: number; workers?: number; traceAbi?: boolean; json: boolean }
  | { command: "replay"; record: string; component?: string; stopAtFuel?: number; dump?: boolean; memory?: { start: number; length: number }[]; bisect?: boolean; against?: string; engine?: string; perturbAtFuel?: number; json: boolean }
  | { command: "abi"; subject: string; export?: string; json: boolean }
  | { command: "inspect"; component: string; json: boolean }
  | { command: "evaluate"; component: string; ruleSet: string; context: string; fuel?: number; json: boolean }
  | { command: "call"; component: string; export: string; args: string; fuel?: number; json: boolean }
  | { command: "validate-manifest"; manifest: string; workflow?: string; json: boolean }
  | { command: "help"; topic?: CommandName }
  | { command: "version" };

/** The commands. */
export type CommandName = "run" | "inspect" | "validate-manifest" | "replay" | "abi" | "evaluate" | "call";

const fuelDefault = groupDigits(DEFAULT_GUEST_FUEL);

/** The global usage text (`--help`, and after a usage error with no command). */
export const USAGE = `usage: pureflow-wasm <command> [options]

commands:
  run <component.wasm> <inputs.json|->   run a pureflow:batch@0.1.0 component once on
                                         WIT-shaped JSON inputs; print its outputs
  evaluate <rules.wasm> <rule-set.json> <context.json>
                                         evaluate a rule set once with a pureflow:rules@0.1.0
                                         component; print the decision
  call <component.wasm> <export> <args.json>
                                         call any function of an import-free component with
                                         WIT-shaped JSON arguments; print the result
  inspect <file.wasm>                    describe a component or core module: imports and
                                         exports with their types, which Pureflow world it fits
  validate-manifest <manifest.json>      check a Pureflow WASM component manifest
  replay <record.json|folder>            re-run recorded invocations (run --record) and
                                         compare every field; print the first difference
  abi explain <type|component.wasm>      the Canonical ABI layout of a WIT type or of a
                                         component's exported functions

every command takes --json (one JSON object on stdout, errors included) and -h/--help;
\`pureflow-wasm <command> --help\` shows its options, defaults and formats.
pureflow-wasm -v | --version             print the version

exit status: 0 ok, 1 the guest failed, 2 usage error, 3 input error (file, JSON, inputs,
component, manifest), 4 cannot write output, 5 a bug in pureflow-wasm`;

/** Per-command help texts. */
export const COMMAND_HELP: Readonly<Record<CommandName, string>> = {
  run: `usage: pureflow-wasm run <component.wasm> <inputs.json|-> [--fuel N] [--timeout-ms N] [--record FILE]
                           [--repeat N [--workers K]] [--json]

Runs a component of the pureflow:batch@0.1.0 world (pureflow-node) once: a fresh instance,
fresh memory and a fresh fuel budget, as Pureflow's host does.

arguments:
  <component.wasm>  a WebAssembly component binary (a core module is refused)
  <inputs.json|->   the inputs as WIT-shaped JSON (- reads standard input): an array of
                    port-batches, e.g.
                    [{"port-id": "in", "packets": [{
                       "metadata": {"message-id": "m1", "workflow-id": "flow",
                         "execution": {"execution-id": "run-1", "attempt": 1},
                         "route": {"source": null, "target": {"node-id": "n", "port-id": "in"}}},
                       "payload": {"bytes": [104, 105]}}]}]
                    a payload is {"bytes": [0..255, ...]} or {"control": "<JSON text>"}

options:
  --fuel N          fuel limit: every executed instruction costs 1, some more (docs/fuel.md);
                    default ${fuelDefault}; an integer such as 5000000, 5_000_000 or 1e9
  --timeout-ms N    wall-clock limit in milliseconds (the guest is cancelled, CDT-CANCEL-001);
                    default none; 0 also means none
  --repeat N        measure: run N invocations (each a fresh instance) and print batches/s,
                    latency median/p95 and how many differ from the first (0 for a
                    deterministic guest) instead of the outputs; a progress bar on a terminal
  --workers K       with --repeat: on a pool of K worker threads (default 0: this thread)
  --record FILE     also write a replay record of the invocation to FILE (docs/replay.md):
                    component sha256, inputs, limits, outcome, fuel; \`replay FILE\` re-runs it
  --trace-abi       print every Canonical ABI step of the call before the outputs: each
                    cabi_realloc (pointer, size, alignment -> result, fuel), each value stored
                    and loaded (address, bytes, WIT path, value), the checks made, the flat
                    arguments, the return pointer, post-return, where a trap fired; then an
                    annotated hex dump of the memory touched. With --json: "abiTrace"
  --json            print one JSON object: {"status": "ok"|"error", "outputs", "error":
                    {"code", "category", "message", "exitCode"}, "fuel": {"limit", "consumed"},
                    "elapsedMs"} (and "abiTrace": {"events", "dropped"} with --trace-abi)
  -h, --help        this text

output: the outputs as WIT-shaped JSON on stdout (the same format as the inputs). On a
terminal, stderr shows the fuel used out of the limit while running and when done.
exit status: 0 ok, 1 the guest failed (trap, out of fuel, timeout, guest error), 2 usage
error, 3 input error (unreadable file, invalid JSON, inputs or component), 4 cannot write output`,
  inspect: `usage: pureflow-wasm inspect <file.wasm> [--json]

Describes a WebAssembly component or core module without running it: its kind and size, its
imports and exports with their types (WIT for a component; function signatures, memory, table
and global types for a core module), a component's core modules, and which Pureflow world it
fits: pureflow:batch@0.1.0 (pureflow-node), pureflow:rules@0.1.0 (pureflow-rules-node) or none.
Not fitting is information, not an error: the exit status is 0.

options:
  --json            print one JSON object: {"status", "kind", "size", "imports": [{"name",
                    "kind", "type"}], "exports": [...], "coreModules": [...], "fitsBatchWorld",
                    "fitProblem", "fitsRulesWorld", "rulesFitProblem", "world"} (or {"status":
                    "error", "error": {...}})
  -h, --help        this text

exit status: 0 described (whether or not it fits), 2 usage error, 3 the file cannot be read or
is not a valid WebAssembly component or core module`,
  replay: `usage: pureflow-wasm replay <record.json|folder> [--component <component.wasm>] [--json]
       pureflow-wasm replay <record.json> --stop-at-fuel N --dump [--memory START:LEN,...] [--json]
       pureflow-wasm replay <record.json> --bisect (--against <other.wasm> | --engine <build.js> | --perturb-at-fuel N) [--json]

Re-runs an invocation recorded by \`run --record\` (or recordInvocation) with the recorded inputs
and limits, and compares the new record with the old one field by field: outputs, error code and
message, fuel consumed, engine version (docs/replay.md). With a folder, every *.json record in it
(and its subfolders) is replayed and a summary is printed.

arguments:
  <record.json>     a replay record; its component is --component, or else the file its
                    componentPath names (relative to the record)
  <folder>          replay every record below it (each finds its component by componentPath)

options:
  --component PATH  the recorded component (its sha256 must match the record's)
  --json            print one JSON object: {"status": "identical"|"different", "records":
                    [{"record", "identical", "differences": [{"path", "recorded", "replayed"}]}]}
  --stop-at-fuel N  with --dump: stop the recorded invocation before the first instruction that
                    would take its fuel past N (the exact out-of-fuel stop; docs/replay.md)
  --dump            print the state there: the call stack (function indices, names from the
                    name section, offsets in translated code), each frame's locals and other
                    slots, every global, memory sizes; --json for one JSON object
  --memory R,...    with --dump: hex views of memory ranges START:LEN (decimal or 0x hex) of
                    memory 0 of the stopped frame's instance
  --bisect          find the first fuel point where two executions of the record differ
                    (halving fuel points; state = fuel, call stack functions and locals,
                    globals, memory, and at the end the outcome): the record's component
                    against --against OTHER.wasm; the record run by another build of
                    pureflow-wasm, --engine OTHER/dist/src/index.js (same snapshot format);
                    or against itself with one memory bit flipped at --perturb-at-fuel N (a
                    known divergence, to check the tool)
  -h, --help        this text

exit status: 0 every record replayed identically (--dump: dumped; --bisect: no divergence), 1 a
difference (--bisect: a divergence found), 2 usage error, 3 a record, snapshot or component
cannot be read, or is not a replay record / not the recorded component`,
  abi: `usage: pureflow-wasm abi explain <wit-type | component.wasm> [export] [--json]

Explains how the Canonical ABI lays values out, with the numbers the lifter and lowerer use:
size, alignment, every field's offset and padding (with a byte ruler), the discriminant type of
variants (enum, option and result are variants), strings and lists as (pointer, length) pairs,
the flattened core values (flatten_type), and for functions whether parameters and results go
through memory (more than MAX_FLAT_PARAMS = 16 / MAX_FLAT_RESULTS = 1 flat values) and the core
signatures when lifted and lowered.

arguments:
  <wit-type>        a WIT type written inline (quote it for the shell), e.g.
                    'record { a: u8, b: string }'   'result<list<u32>, string>'
                    'variant { a(u8), b(f64), c }'   'enum { red, green }'   'flags { r, w }'
                    'tuple<u8, u64>'   'option<char>'   'func(x: string, n: u32) -> list<u8>'
  <component.wasm>  a component: explains every exported function (or only [export])

options:
  --json            print one JSON object: {"status": "ok", "type" | "function" | "functions": ...}
  -h, --help        this text

exit status: 0 explained, 2 usage error (e.g. a WIT syntax error, with its column), 3 the file
cannot be read or is not a component, or has no such export`,
  evaluate: `usage: pureflow-wasm evaluate <rules-component.wasm> <rule-set.json> <context.json> [--fuel N] [--json]

Evaluates a rule set once with a component of the pureflow:rules@0.1.0 world
(pureflow-rules-node): a fresh instance and fuel budget, as Pureflow's rules host does.

arguments:
  <rules-component.wasm>  a component exporting pureflow:rules/rules@0.1.0 (fixtures/rules-guest)
  <rule-set.json>   {"id": "rs", "strategy": "first-match" | "all-matches" | "score",
                     "default-action": "drop", "trace-conditions": true,
                     "rules": [{"id": "big", "priority": 0, "description": "",
                       "condition": {"and-node": [{"field-gt": {"path": "amount",
                         "value": {"integer": 100}}}, {"not-node": "never"}]},
                       "action": {"route": "review"}}]}
                    a condition is a tree of the WIT's 24 kinds; actions: {"route": port}, "drop",
                    {"dead-letter": reason}, {"tag": {"key", "value"}}, {"halt": message};
                    scalars: {"text": s}, {"integer": n}, {"float-value": x}, {"boolean": b}, "null-value"
  <context.json>    {"payload": {"control": "{\"amount\": 500}"}, "workflow-id": "flow",
                     "tags": {"k": {"text": "v"}}, "source-node": "src", "arrival-port": "in",
                     "hop-count": 0, "execution-metadata": {}}
                    a control payload given as a string is sent exactly as written

options:
  --fuel N          fuel limit (default ${fuelDefault})
  --json            print one JSON object: {"status", "decision", "error", "fuel": {"limit",
                    "consumed"}, "elapsedMs"}
  -h, --help        this text

output: the decision as WIT-shaped JSON: {"action", "matched-rule" (null for none),
"tags-applied", "conditions-evaluated"}.
exit status: 0 decided, 1 the guest failed, 2 usage error, 3 input error (file, JSON, rule set
or context, a component that does not fit the rules world)`,
  call: `usage: pureflow-wasm call <component.wasm> <export> <args.json> [--fuel N] [--json]

Calls one exported function of any component that imports nothing, with WIT-shaped JSON
arguments, and prints the lifted result as WIT-shaped JSON. The mapping follows the WIT type:
numbers (64-bit integers exact), strings, arrays for lists and tuples, objects keyed by WIT field
names for records, {"case": payload} or "case" for variants, "label" for enums, null or the
value for options, {"ok": v} / {"err": e} for results, arrays of labels for flags; floats may
also be "NaN", "Infinity", "-Infinity".

arguments:
  <component.wasm>  a component that imports nothing
  <export>          interface#function (e.g. pureflow:rules/rules@0.1.0#evaluate) or a function
                    name unique among the exports (\`pureflow-wasm abi explain\` lists them)
  <args.json>       an array of the arguments in order, or an object keyed by parameter name

options:
  --fuel N          fuel limit (default ${fuelDefault})
  --json            print one JSON object: {"status", "function", "result", "error", "fuel",
                    "elapsedMs"}
  -h, --help        this text

exit status: 0 called, 1 the guest failed, 2 usage error, 3 input error (file, JSON, arguments
that do not fit the parameter types, a component with imports or without that export)`,
  "validate-manifest": `usage: pureflow-wasm validate-manifest <manifest.json> [--workflow <workflow.json>] [--json]

Checks a Pureflow WASM component manifest as Pureflow's validate-manifest does, in this order:
the JSON has exactly the fields below; every node id is valid; no node is listed twice; every
component path exists; with --workflow, every node is in the workflow. In addition, each
component must be a WebAssembly component binary (not a directory, a core module or another file).

manifest format:
  {"components": [{"node": "wasm-upper", "component": "guests/upper.wasm", "fuel": 100000000}]}
  node       a node id (required)
  component  a path (required); a relative path is resolved against the manifest's folder
  fuel       an integer >= 0 (optional, default ${fuelDefault})

options:
  --workflow <workflow.json>  a Pureflow workflow ({"id": ..., "nodes": [{"id": ...}, ...]})
  --json            print one JSON object: {"status", "manifest", "components": [{"node",
                    "component", "resolvedPath", "fuel"}], "workflow"} or {"status": "error", "error"}
  -h, --help        this text

exit status: 0 valid, 2 usage error, 3 invalid manifest or unreadable file`,
};

/** The help text for `topic` (the global usage when none). */
export function helpText(topic?: CommandName): string {
  return topic === undefined ? USAGE : COMMAND_HELP[topic];
}

function integerOption(name: string, text: string, max: number): number {
  const plain = text.replace(/_/g, "");
  if (!/^[0-9]+(\.[0-9]*)?([eE]\+?[0-9]+)?$/.test(plain) || /^_|_$|__/.test(text)) {
    throw new UsageError(`${name} must be a non-negative integer (e.g. 5000000, 5_000_000 or 5e6), got \`${text}\``);
  }
  const n = Number(plain);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be an integer, got \`${text}\` = ${n}`);
  if (!Number.isSafeInteger(n) || n > max) throw new UsageError(`${name} must be at most ${max}, got \`${text}\``);
  return n;
}

/** `START:LEN` (each decimal or 0x-hex) of `--memory`. */
function memoryRange(text: string): { start: number; length: number } {
  const m = /^(0x[0-9a-f]+|\d+):(0x[0-9a-f]+|\d+)$/i.exec(text.trim());
  if (m === null) throw new UsageError(`--memory takes START:LEN ranges (decimal or 0x hex, comma-separated), got \`${text}\``, "replay");
  const start = Number(m[1]), length = Number(m[2]);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || length > 1 << 20) throw new UsageError(`--memory range \`${text}\`: LEN must be at most 1048576`, "replay");
  return { start, length };
}

const COMMANDS: Readonly<Record<CommandName, readonly string[]>> = {
  run: ["--fuel", "--timeout-ms", "--record", "--repeat", "--workers", "--trace-abi", "--json"],
  replay: ["--component", "--stop-at-fuel", "--dump", "--memory", "--bisect", "--against", "--engine", "--perturb-at-fuel", "--json"],
  abi: ["--json"],
  inspect: ["--json"],
  "validate-manifest": ["--workflow", "--json"],
  evaluate: ["--fuel", "--json"],
  call: ["--fuel", "--json"],
};
const VALUED = new Set(["--fuel", "--timeout-ms", "--workflow", "--record", "--component", "--repeat", "--workers", "--stop-at-fuel", "--memory", "--against", "--engine", "--perturb-at-fuel"]);

function isCommand(s: string): s is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, s);
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
  if (cmd === "--help" || cmd === "-h" || cmd === "help") {
    const topic = args[0];
    if (topic !== undefined && isCommand(topic)) return { command: "help", topic };
    if (topic !== undefined) throw new UsageError(`unknown command \`${topic}\` (commands: run, evaluate, call, inspect, validate-manifest, replay, abi)`);
    return { command: "help" };
  }
  if (cmd === "--version" || cmd === "-v" || cmd === "-V" || cmd === "version") {
    if (args.length > 0) throw new UsageError(`${cmd} takes no arguments`);
    return { command: "version" };
  }
  if (!isCommand(cmd)) {
    throw new UsageError(cmd.startsWith("-") ? `unknown option \`${cmd}\` (a command comes first: run, evaluate, call, inspect, validate-manifest, replay, abi)` : `unknown command \`${cmd}\` (commands: run, evaluate, call, inspect, validate-manifest, replay, abi)`);
  }
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  let optionsEnded = false;
  while (args.length > 0) {
    const a = args.shift() as string;
    if (optionsEnded || a === "-" || !a.startsWith("-")) {
      positional.push(a);
      continue;
    }
    if (a === "--") {
      optionsEnded = true;
      continue;
    }
    if (a === "--help" || a === "-h") return { command: "help", topic: cmd };
    if (!a.startsWith("--")) throw new UsageError(`unknown option \`${a}\` for \`${cmd}\` (options: ${COMMANDS[cmd].join(", ")}, -h; \`--\` ends the options)`, cmd);
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (!COMMANDS[cmd].includes(name)) throw new UsageError(`unknown option \`${name}\` for \`${cmd}\` (options: ${COMMANDS[cmd].join(", ")})`, cmd);
    if (flags.has(name)) throw new UsageError(`option \`${name}\` given twice`, cmd);
    if (VALUED.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : args.shift();
      if (v === undefined) throw new UsageError(`${name} needs a value`, cmd);
      flags.set(name, v);
    } else {
      if (eq >= 0) throw new UsageError(`option \`${name}\` takes no value`, cmd);
      flags.set(name, true);
    }
  }
  const str = (name: string): string | undefined => {
    const v = flags.get(name);
    return typeof v === "string" ? v : undefined;
  };
  const json = flags.has("--json");
  switch (cmd) {
    case "run": {
      if (positional.length !== 2) throw new UsageError(`run needs <component.wasm> and <inputs.json|->, got ${positional.length} argument(s)`, cmd);
      const out: Command = { command: "run", component: positional[0] as string, inputs: positional[1] as string, json };
      const fuel = str("--fuel");
      if (fuel !== undefined) out.fuel = integerOption("--fuel", fuel, Number.MAX_SAFE_INTEGER);
      const timeout = str("--timeout-ms");
      if (timeout !== undefined) {
        const ms = integerOption("--timeout-ms", timeout, 2 ** 31 - 1);
        if (ms > 0) out.timeoutMs = ms;
      }
      const record = str("--record");
      if (record !== undefined) out.record = record;
      const repeat = str("--repeat"), workers = str("--workers");
      if (repeat !== undefined) {
        out.repeat = integerOption("--repeat", repeat, 2 ** 31 - 1);
        if (out.repeat < 1) throw new UsageError("--repeat must be at least 1", cmd);
      }
      if (workers !== undefined) {
        if (repeat === undefined) throw new UsageError("--workers goes with --repeat", cmd);
        out.workers = integerOption("--workers", workers, 256);
      }
      if (repeat !== undefined && (record !== undefined || out.timeoutMs !== undefined)) throw new UsageError("--repeat measures; it does not combine with --record or --timeout-ms", cmd);
      if (flags.has("--trace-abi")) {
        if (repeat !== undefined) throw new UsageError("--trace-abi traces one invocation; it does not combine with --repeat", cmd);
        out.traceAbi = true;
      }
      return out;
    }
    case "abi": {
      if (positional[0] !== "explain") throw new UsageError(`abi takes the subcommand \`explain\`, got ${positional[0] === undefined ? "none" : `\`${positional[0]}\``}`, cmd);
      if (positional.length < 2 || positional.length > 3) throw new UsageError(`abi explain needs <wit-type | component.wasm> [export], got ${positional.length - 1} argument(s)`, cmd);
      const out: Command = { command: "abi", subject: positional[1] as string, json };
      if (positional[2] !== undefined) out.export = positional[2];
      return out;
    }
    case "replay": {
      if (positional.length !== 1) throw new UsageError(`replay needs one <record.json|folder>, got ${positional.length} argument(s)`, cmd);
      const out: Command = { command: "replay", record: positional[0] as string, json };
      const component = str("--component");
      if (component !== undefined) out.component = component;
      const stop = str("--stop-at-fuel"), memory = str("--memory"), perturb = str("--perturb-at-fuel");
      if (stop !== undefined) out.stopAtFuel = integerOption("--stop-at-fuel", stop, Number.MAX_SAFE_INTEGER);
      if (flags.has("--dump")) {
        if (stop === undefined) throw new UsageError("--dump shows the state at a fuel point: give --stop-at-fuel N", cmd);
        out.dump = true;
      } else if (stop !== undefined) throw new UsageError("--stop-at-fuel goes with --dump", cmd);
      if (memory !== undefined) {
        if (out.dump !== true) throw new UsageError("--memory goes with --dump", cmd);
        out.memory = memory.split(",").map((r) => memoryRange(r));
      }
      if (flags.has("--bisect")) {
        if (out.dump === true) throw new UsageError("--bisect does not combine with --dump", cmd);
        out.bisect = true;
      }
      const against = str("--against"), engine = str("--engine");
      if (out.bisect === true && [against, engine, perturb].filter((x) => x !== undefined).length !== 1) {
        throw new UsageError("--bisect compares with --against OTHER.wasm, --engine OTHER-BUILD/dist/src/index.js or --perturb-at-fuel N (one of them)", cmd);
      }
      if (against !== undefined) {
        if (out.bisect !== true) throw new UsageError("--against goes with --bisect", cmd);
        out.against = against;
      }
      if (engine !== undefined) {
        if (out.bisect !== true) throw new UsageError("--engine goes with --bisect", cmd);
        out.engine = engine;
      }
      if (perturb !== undefined) {
        if (out.bisect !== true) throw new UsageError("--perturb-at-fuel goes with --bisect", cmd);
        out.perturbAtFuel = integerOption("--perturb-at-fuel", perturb, Number.MAX_SAFE_INTEGER);
      }
      return out;
    }
    case "evaluate":
    case "call": {
      const names = cmd === "evaluate" ? "<rules-component.wasm> <rule-set.json> <context.json>" : "<component.wasm> <export> <args.json>";
      if (positional.length !== 3) throw new UsageError(`${cmd} needs ${names}, got ${positional.length} argument(s)`, cmd);
      const [component, second, third] = positional as [string, string, string];
      const out: Command = cmd === "evaluate"
        ? { command: "evaluate", component, ruleSet: second, context: third, json }
        : { command: "call", component, export: second, args: third, json };
      const fuel = str("--fuel");
      if (fuel !== undefined) out.fuel = integerOption("--fuel", fuel, Number.MAX_SAFE_INTEGER);
      return out;
    }
    case "inspect":
      if (positional.length !== 1) throw new UsageError(`inspect needs one <file.wasm>, got ${positional.length} argument(s)`, cmd);
      return { command: "inspect", component: positional[0] as string, json };
    case "validate-manifest": {
      if (positional.length !== 1) throw new UsageError(`validate-manifest needs one <manifest.json>, got ${positional.length} argument(s)`, cmd);
      const out: Command = { command: "validate-manifest", manifest: positional[0] as string, json };
      const wf = str("--workflow");
      if (wf !== undefined) out.workflow = wf;
      return out;
    }
  }
}
