/**
 * Second step of `npm run build` (after `tsc`): bundles the command line. In `dist/bin/`:
 * - `pureflow-wasm.js`, the package's `bin` (a copy of scripts/bundle-cli-loader.js): loads
 *   `cli-run.js` for a plain `run` (no `--record`, `--repeat`, `--workers`, `--trace-abi`) and
 *   `cli-full.js` for everything else;
 * - `cli-run.cache`, V8's code cache of `cli-run.js`, from a training run of the uppercase fixture
 *   (at the end of this file); the bin uses it when V8 accepts it, else compiles as usual;
 * - `cli-full.js`: the whole command line (dist/src/cli/main.js and what it imports);
 * - `cli-run.js`: the same entry without the modules that `src/cli/cli.ts` loads with `import()`
 *   (the other commands and run's rare options), so it holds and initialises only what a plain
 *   run uses. Each of those imports gives a module that throws: reaching one is a
 *   CLI-INTERNAL-001 naming it;
 * - `node-worker.js`, the pool's Node worker (`run --workers K` resolves `./node-worker.js` next
 *   to `cli-full.js`).
 *
 * Why: a CLI run is a fresh process (issue 11: the uppercase CLI run). Node 20 loads an ES module
 * graph file by file: the ~130 modules of dist/ cost about 100 ms of CPU to resolve, read and
 * compile before `main` runs; one bundled file costs a fraction of that. The library entry
 * points (`dist/src/index.js`, `dist/interpreter/...`) stay unbundled, so importers and their
 * bundlers see the modules as written. The bundles are made from the compiled JavaScript, never
 * from a second copy of the sources, and have no dependencies (the project has none at run time).
 *
 * What each choice saves in a fresh `run` of the uppercase fixture (CPU, this machine):
 * - CommonJS, not ESM (`dist/bin/package.json` says `"type": "commonjs"`): Node's CommonJS
 *   loader starts a file ~7 ms sooner than its ES module loader. `import.meta` becomes
 *   `import_meta` (bundle-cli-import-meta.js, injected).
 * - `cli-run.js` (~140 KB less to compile, and no module wrapped in a lazy initialiser: in
 *   `cli-full.js` the `import()`s make esbuild wrap every module in one): ~5 ms.
 * - The code cache (`cli-run.cache`: the bytecode of the top level and of every function the
 *   training run compiled): ~25 ms of V8 compiling the bundle and, lazily, its functions.
 * - Whitespace and syntax minified (a fresh process parses ~30 % less text: ~6 ms); identifiers
 *   are kept, so names stay readable in V8's traces (the dispatch loop is `loop`).
 */
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const common = {
  absWorkingDir: root,
  outdir: "dist/bin",
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  inject: ["scripts/bundle-cli-import-meta.js"],
  define: { "import.meta": "import_meta" },
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
};
await build({ ...common, entryPoints: { "cli-full": "dist/src/cli/main.js", "node-worker": "dist/src/pool/node-worker.js" } });
/** `cli-run.js`: the modules cli.ts imports lazily are left out (see the file comment). */
const leaveOutLazyModules = {
  name: "leave-out-lazy-modules",
  setup(b) {
    b.onResolve({ filter: /^\./ }, (args) => (args.kind === "dynamic-import" ? { path: args.path, namespace: "not-in-cli-run" } : undefined));
    b.onLoad({ filter: /.*/, namespace: "not-in-cli-run" }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`cli-run.js does not hold ${args.path}: dist/bin/pureflow-wasm.js should have loaded cli-full.js`)});`,
    }));
  },
};
/**
 * `cli-run.js` is one function expression, called at once when Node loads the file (`node
 * cli-run.js`, `require`), and the value of the file when it is compiled as a script: the bin
 * compiles the file's text as it is with its code cache and calls that function as `require`
 * would, with no wrapped copy of the 0.5 MB text for V8 to flatten (~2 ms).
 */
const selfWrapped = {
  banner: { js: "((f) => this === globalThis ? f : f.call(this, exports, require, module, __filename, __dirname))(function (exports, require, module, __filename, __dirname) {" },
  footer: { js: "});" },
};
await build({ ...common, ...selfWrapped, entryPoints: { "cli-run": "dist/src/cli/main.js" }, plugins: [leaveOutLazyModules] });
copyFileSync(join(root, "scripts/bundle-cli-loader.js"), join(root, "dist/bin/pureflow-wasm.js"));
writeFileSync(join(root, "dist/bin/package.json"), '{ "type": "commonjs" }\n');
chmodSync(join(root, "dist/bin/pureflow-wasm.js"), 0o755);

/**
 * cli-run.js's code cache (dist/bin/cli-run.cache, read by the bin: scripts/bundle-cli-loader.js):
 * a training run of the uppercase fixture (scripts/bundle-cli-train.mjs) in a child process with
 * Node's default flags (no NODE_OPTIONS: a cache is rejected by V8 under other flags). The old
 * cache goes first, so a failed training leaves none rather than a stale one; the run's output
 * must be the fixture's expected outputs. Without a cache the bin compiles the bundle as usual,
 * so a failure here is a warning, not a failed build. A bundle with an `import()` gets no cache:
 * V8's deserialised script loses the dynamic import callback vm's `importModuleDynamically` gives
 * (Node 20.20: "A dynamic import callback was not specified"; why cli-full.js has no cache).
 */
rmSync(join(root, "dist/bin/cli-run.cache"), { force: true });
const fixture = join(root, "fixtures/uppercase-guest");
if (!existsSync(join(fixture, "component.wasm"))) console.warn("bundle-cli: no code cache for cli-run.js: fixtures/uppercase-guest is missing");
else if (/\bimport\(/.test(readFileSync(join(root, "dist/bin/cli-run.js"), "latin1"))) console.warn("bundle-cli: no code cache for cli-run.js: it has an import() (see above)");
else {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.PUREFLOW_CODE_CACHE;
  const r = spawnSync(process.execPath, [join(root, "scripts/bundle-cli-train.mjs"), "cli-run.js", "run", join(fixture, "component.wasm"), join(fixture, "testdata/inputs.json")], { cwd: root, env, encoding: "utf8" });
  const expected = readFileSync(join(fixture, "testdata/expected-outputs.json"), "utf8");
  if (r.status !== 0 || r.stdout.trim() !== expected.trim() || !existsSync(join(root, "dist/bin/cli-run.cache"))) {
    rmSync(join(root, "dist/bin/cli-run.cache"), { force: true });
    console.warn(`bundle-cli: no code cache for cli-run.js: the training run failed (exit ${r.status}${r.error ? ", " + r.error.message : ""}): ${(r.stderr || r.stdout).slice(0, 2000)}`);
  }
}
