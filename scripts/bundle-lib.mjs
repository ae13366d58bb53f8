/**
 * Third step of `npm run build` (after `tsc` and scripts/bundle-cli.mjs): the library's entry
 * points bundled, in `dist/bundle/`, which the package's `exports` name (`.` -> index.js,
 * `./interpreter`, `./canonical-abi`, `./webassembly`, `./polyfill`), plus the pool's two worker
 * scripts (`node-worker.js`, `web-worker.js`), which src/pool/threads.ts finds beside itself.
 *
 * Why: a fresh Node process loads an ES module graph file by file. Importing the unbundled
 * library (dist/src/index.js: ~100 modules) cost ~160 ms of CPU on the development machine before
 * any guest ran, ~100 ms for dist/interpreter/index.js alone (resolving each specifier, reading and
 * compiling each file); the bundled entries cost ~60 and ~40 ms. Every test file, script and
 * server start that imports the package pays this once.
 *
 * One build with code splitting: the entries share their modules through chunks
 * (`chunk-<hash>.js`), so each module of the library exists once however many entry points a
 * program imports (a `Module` made through `pureflow-wasm/interpreter` is the same class that
 * `pureflow-wasm/webassembly` checks for). The bundles are made from the compiled JavaScript in
 * dist/ (never from a second copy of the sources), ES modules with the code as written (whitespace
 * and names kept), source maps chained to the TypeScript sources through tsc's maps, and nothing
 * platform-specific added: `node:` imports stay imports (the Node-only ones are dynamic or in
 * node-worker.js), so the same files run in browsers, Deno and Bun. The unbundled modules stay in
 * dist/ for the type declarations (`types` in `exports`) and the project's own tests.
 */
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
rmSync(join(root, "dist/bundle"), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  outdir: "dist/bundle",
  entryPoints: {
    index: "dist/src/index.js",
    interpreter: "dist/interpreter/index.js",
    "canonical-abi": "dist/canonical-abi/index.js",
    webassembly: "dist/interpreter/webassembly.js",
    polyfill: "dist/interpreter/polyfill.js",
    "node-worker": "dist/src/pool/node-worker.js",
    "web-worker": "dist/src/pool/web-worker.js",
  },
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: ["node:*"],
  sourcemap: true,
  sourcesContent: true,
  legalComments: "none",
  logLevel: "warning",
});
