/**
 * Second step of `npm run build` (after `tsc`): bundles the command line into one file,
 * `dist/bin/pureflow-wasm.js` (the package's `bin`), and the pool's Node worker beside it,
 * `dist/bin/node-worker.js` (the CLI's `run --workers K` resolves `./node-worker.js` next to
 * itself).
 *
 * Why: a CLI run is a fresh process (issue 11: the uppercase CLI run). Node 20 loads an ES module
 * graph file by file: the ~130 modules of dist/ cost about 100 ms of CPU to resolve, read and
 * compile before `main` runs; one bundled file costs a fraction of that. The library entry
 * points (`dist/src/index.js`, `dist/interpreter/...`) stay unbundled, so importers and their
 * bundlers see the modules as written. The bundle is made from the compiled JavaScript, never
 * from a second copy of the sources, and has no dependencies (the project has none at run time).
 *
 * How, and what each choice saves in a fresh `run` of the uppercase fixture (CPU, this machine):
 * - CommonJS, not ESM (`dist/bin/package.json` says `"type": "commonjs"`, so the file keeps its
 *   name): Node's CommonJS loader starts a file ~7 ms sooner than its ES module loader.
 *   `import.meta` becomes `import_meta` (bundle-cli-import-meta.js, injected).
 * - The command modules a run does not use are reached through `import()` (src/cli/cli.ts), so
 *   each module of the bundle is wrapped in an initialiser called on first use: `run` initialises
 *   only its own modules, never those of `inspect`, `replay`, `evaluate`, the pool or the rules
 *   world.
 * - Whitespace and syntax minified (a fresh process parses ~30 % less text: ~6 ms); identifiers
 *   are kept, so names stay readable in V8's traces (the dispatch loop is `loop`).
 */
import { build } from "esbuild";
import { chmodSync, writeFileSync } from "node:fs";
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
});
writeFileSync(join(root, "dist/bin/package.json"), '{ "type": "commonjs" }\n');
chmodSync(join(root, "dist/bin/pureflow-wasm.js"), 0o755);
