/**
 * Second step of `npm run build` (after `tsc`): bundles the command line into one file,
 * `dist/bin/pureflow-wasm.js` (the package's `bin`), and the pool's Node worker beside it,
 * `dist/bin/node-worker.js` (the CLI's `run --workers K` resolves `./node-worker.js` next to
 * itself).
 *
 * Why: a CLI run is a fresh process, and Node 20 loads an ES module graph file by file. The
 * ~130 modules of dist/ cost about 100 ms of CPU to resolve, read and compile before `main`
 * runs; one bundled file costs a fraction of that (issue 11: the uppercase CLI run). The library
 * entry points (`dist/src/index.js`, `dist/interpreter/...`) stay unbundled, so importers and
 * their bundlers see the modules as written. The bundle is made from the compiled JavaScript,
 * never from a second copy of the sources, and has no dependencies (the project has none at run
 * time).
 */
import { build } from "esbuild";
import { chmodSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
await build({
  absWorkingDir: root,
  entryPoints: {
    "pureflow-wasm": "dist/src/cli/main.js",
    "node-worker": "dist/src/pool/node-worker.js",
  },
  outdir: "dist/bin",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // whitespace and syntax minified (a fresh process parses ~30 % less text: about 6 ms of CPU per
  // run); identifiers are kept, so names stay readable in V8's traces (the dispatch loop is `loop`)
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: false,
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
});
chmodSync(join(root, "dist/bin/pureflow-wasm.js"), 0o755);
