/**
 * Second step of `npm run build` (after `tsc`): bundles the command line. In `dist/bin/`:
 * - `pureflow-wasm.js`, the package's `bin`: a few lines that load `cli-run.js` for a plain
 *   `run` (no `--record`, `--repeat`, `--workers`, `--trace-abi`) and `cli-full.js` for
 *   everything else;
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
 * - Whitespace and syntax minified (a fresh process parses ~30 % less text: ~6 ms); identifiers
 *   are kept, so names stay readable in V8's traces (the dispatch loop is `loop`).
 */
import { build } from "esbuild";
import { chmodSync, writeFileSync } from "node:fs";
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
await build({ ...common, entryPoints: { "cli-run": "dist/src/cli/main.js" }, plugins: [leaveOutLazyModules] });
writeFileSync(join(root, "dist/bin/pureflow-wasm.js"), `#!/usr/bin/env node
"use strict";
// The pureflow-wasm command (written by scripts/bundle-cli.mjs): a plain \`run\` loads cli-run.js,
// which holds only what it uses; everything else loads cli-full.js.
const args = process.argv.slice(2);
const lazy = /^--(record|repeat|workers|trace-abi)(=|$)/;
require(args[0] === "run" && !args.some((a) => lazy.test(a)) ? "./cli-run.js" : "./cli-full.js");
`);
writeFileSync(join(root, "dist/bin/package.json"), '{ "type": "commonjs" }\n');
chmodSync(join(root, "dist/bin/pureflow-wasm.js"), 0o755);
