/**
 * Startup rows (issue 11 part 4): `new Module` + `new Instance` (imports stubbed) of real modules,
 * ours against V8 in the same run, warm (best of several compiles in one process) and **fresh**
 * (the first compile of a new process, cold JIT: what every CLI run and page load sees).
 *
 * Times are CPU time of the process (`process.cpuUsage`, user + system) around the two calls, so a
 * loaded machine inflates them less than wall time; V8 gets a fresh custom section appended to the
 * bytes of every compile so its module cache cannot answer (ours gets the same bytes).
 *
 * Use from `bench/run.ts`: `await startupRows({ modules })`; or alone:
 * `tsx bench/startup-compile.ts [--reps N] [--fresh N] [file.wasm | name ...]` (names are looked up in
 * `$PUREFLOW_SHARED/bench/real/`). The fresh figures come from child processes running this same
 * file with `--child <engine> <path>`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { median } from "./stats.js";

/** One measured module. All times are milliseconds of process CPU time. */
export interface StartupRow {
  name: string;
  bytes: number;
  /** Ours, warm: median over the repetitions after the first. */
  oursWarmMs: number;
  /** Ours, first compile in a fresh process: median over the fresh processes. */
  oursFreshMs: number;
  /** V8, warm (median, fresh custom section each time). */
  v8WarmMs: number;
  /** V8, first compile in a fresh process. */
  v8FreshMs: number;
  /** Split of ours warm: `new Module` alone. */
  oursWarmModuleMs: number;
  /** Split of ours fresh: `new Module` alone. */
  oursFreshModuleMs: number;
}

export interface StartupOptions {
  /** Paths of `.wasm` files (core modules). Default: {@link defaultStartupModules}. */
  modules?: readonly string[];
  /** Compiles per module per engine in the warm process (default 7). */
  reps?: number;
  /** Fresh processes per module per engine (default 3). */
  fresh?: number;
}

const HERE = fileURLToPath(import.meta.url);
const ROOT = join(HERE, "..", "..");

/** The real startup modules of `../shared/bench/real` and the 13 MB StarlingMonkey module when present (`npm run bench:tools`). */
export function defaultStartupModules(): string[] {
  const shared = process.env.PUREFLOW_SHARED ?? join(ROOT, "..", "shared");
  const out: string[] = [];
  for (const n of ["bz2", "pulldown-cmark", "spidermonkey", "erc20", "coremark"]) {
    const p = join(shared, "bench", "real", `${n}.wasm`);
    if (existsSync(p)) out.push(p);
  }
  // installed by `npm run bench:tools` (componentize-js is not in the default install: about 200 MB with jco)
  const big = join(ROOT, ".bench-tools", "node_modules", "@bytecodealliance", "componentize-js", "lib", "starlingmonkey_embedding.debug.wasm");
  if (existsSync(big)) out.push(big);
  return out;
}

/** `bytes` with a custom section holding `tag` appended (a different module for V8's cache). */
function withTag(bytes: Uint8Array, tag: string): Uint8Array {
  const name = new TextEncoder().encode("pureflow-startup");
  const payload = new TextEncoder().encode(tag);
  const contents = [name.length, ...name, ...payload];
  if (contents.length > 127) throw new Error("tag too long");
  const out = new Uint8Array(bytes.length + 2 + contents.length);
  out.set(bytes);
  out[bytes.length] = 0;
  out[bytes.length + 1] = contents.length;
  out.set(contents, bytes.length + 2);
  return out;
}

type Stubs = Record<string, Record<string, unknown>>;
interface Measure { moduleMs: number; totalMs: number }

function cpuMs(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1000;
}

/** Our engine's namespace (loaded lazily so a V8-only child does not load it). */
interface Ours {
  Module: { new (b: Uint8Array): object; imports(m: object): { module: string; name: string; kind: string }[] };
  Instance: new (m: object, imports: Stubs) => object;
}

function stubs(list: readonly { module: string; name: string; kind: string }[]): Stubs | undefined {
  const imports: Stubs = {};
  for (const i of list) {
    if (i.kind !== "function") return undefined; // only function imports are stubbed
    (imports[i.module] ??= {})[i.name] = () => 0;
  }
  return imports;
}

function measureOurs(ours: Ours, bytes: Uint8Array): Measure {
  const c0 = process.cpuUsage();
  const m = new ours.Module(bytes);
  const c1 = process.cpuUsage(c0);
  const imp = stubs(ours.Module.imports(m));
  const c2 = process.cpuUsage();
  if (imp !== undefined) new ours.Instance(m, imp);
  const c3 = process.cpuUsage(c2);
  return { moduleMs: cpuMs(c1), totalMs: cpuMs(c1) + cpuMs(c3) };
}

function measureV8(bytes: Uint8Array): Measure {
  const c0 = process.cpuUsage();
  const m = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
  const c1 = process.cpuUsage(c0);
  const imp = stubs(WebAssembly.Module.imports(m));
  const c2 = process.cpuUsage();
  if (imp !== undefined) new WebAssembly.Instance(m, imp as WebAssembly.Imports);
  const c3 = process.cpuUsage(c2);
  return { moduleMs: cpuMs(c1), totalMs: cpuMs(c1) + cpuMs(c3) };
}

/**
 * Loads our engine: `../interpreter/index.js` (the sources), or the file named by the environment
 * variable `PUREFLOW_STARTUP_ENGINE` (e.g. a built `dist/interpreter/index.js`, or an older build to
 * compare against).
 */
async function loadOurs(): Promise<Ours> {
  const alt = process.env.PUREFLOW_STARTUP_ENGINE;
  const url = alt !== undefined && alt !== "" ? pathToFileURL(alt).href : new URL("../interpreter/index.js", import.meta.url).href;
  return (await import(url)) as Ours;
}

/** Runs one fresh process measuring the first compile of `path` by `engine`. */
function freshChild(engine: "ours" | "v8", path: string, tag: string): Measure {
  const out = execFileSync(process.execPath, [...process.execArgv, HERE, "--child", engine, path, tag], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const line = out.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as Measure;
}

/** Measures every module: warm in this process, fresh in child processes. */
export async function startupRows(opts: StartupOptions = {}): Promise<StartupRow[]> {
  const modules = opts.modules ?? defaultStartupModules();
  const reps = opts.reps ?? 7;
  const fresh = opts.fresh ?? 3;
  const ours = await loadOurs();
  const rows: StartupRow[] = [];
  let serial = 0;
  for (const path of modules) {
    const bytes = new Uint8Array(readFileSync(path));
    const ow: Measure[] = [];
    const vw: Measure[] = [];
    for (let r = 0; r < reps; r++) {
      const tagged = withTag(bytes, `w${process.pid}-${serial++}-${Math.random()}`);
      ow.push(measureOurs(ours, tagged));
      vw.push(measureV8(tagged));
    }
    const of: Measure[] = [];
    const vf: Measure[] = [];
    for (let r = 0; r < fresh; r++) {
      of.push(freshChild("ours", path, `f${process.pid}-${serial++}-${Math.random()}`));
      vf.push(freshChild("v8", path, `f${process.pid}-${serial++}-${Math.random()}`));
    }
    // Warm: skip the first repetition (it is the process's first compile).
    const warm = (ms: Measure[], k: keyof Measure): number => median(ms.slice(ms.length > 1 ? 1 : 0).map((m) => m[k]));
    rows.push({
      name: basename(path, ".wasm"),
      bytes: statSync(path).size,
      oursWarmMs: warm(ow, "totalMs"),
      oursFreshMs: median(of.map((m) => m.totalMs)),
      v8WarmMs: warm(vw, "totalMs"),
      v8FreshMs: median(vf.map((m) => m.totalMs)),
      oursWarmModuleMs: warm(ow, "moduleMs"),
      oursFreshModuleMs: median(of.map((m) => m.moduleMs)),
    });
  }
  return rows;
}

/** The rows as a text table. */
export function formatStartupRows(rows: readonly StartupRow[]): string {
  const f = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const lines = [
    "startup: new Module + new Instance (imports stubbed), CPU ms; warm = median in one process, fresh = first compile of a new process",
    "module                          size    ours warm (Module)   V8 warm  ratio | ours fresh (Module)  V8 fresh  ratio",
  ];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(30)} ${(r.bytes / 1e6).toFixed(2).padStart(6)}MB ${f(r.oursWarmMs).padStart(9)} (${f(r.oursWarmModuleMs).padStart(6)}) ${f(r.v8WarmMs).padStart(9)} ${(r.oursWarmMs / r.v8WarmMs).toFixed(1).padStart(5)}x | ` +
        `${f(r.oursFreshMs).padStart(9)} (${f(r.oursFreshModuleMs).padStart(6)}) ${f(r.v8FreshMs).padStart(9)} ${(r.oursFreshMs / r.v8FreshMs).toFixed(1).padStart(5)}x`,
    );
  }
  return lines.join("\n");
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--child") {
    const [, engine, path, tag] = argv;
    const bytes = withTag(new Uint8Array(readFileSync(path!)), tag!);
    const m = engine === "v8" ? measureV8(bytes) : measureOurs(await loadOurs(), bytes);
    process.stdout.write(`${JSON.stringify(m)}\n`);
    return;
  }
  let reps: number | undefined;
  let fresh: number | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--reps") reps = Number(argv[++i]);
    else if (argv[i] === "--fresh") fresh = Number(argv[++i]);
    else {
      const a = argv[i]!;
      const shared = process.env.PUREFLOW_SHARED ?? join(ROOT, "..", "shared");
      files.push(a.endsWith(".wasm") ? a : join(shared, "bench", "real", `${a}.wasm`));
    }
  }
  const rows = await startupRows({ modules: files.length > 0 ? files : undefined, reps, fresh });
  console.log(formatStartupRows(rows));
}

if (process.argv[1] === HERE) await main(process.argv.slice(2));
