/**
 * The training run that makes a bundle's V8 code cache (started by scripts/bundle-cli.mjs in a
 * child process with Node's default flags): `node scripts/bundle-cli-train.mjs <bundle> <args...>`
 * compiles `dist/bin/<bundle>` exactly as the bin (dist/bin/pureflow-wasm.js) does, runs it on
 * `<args...>` as the command line, and when the process exits writes the cache next to the bundle
 * (`cli-run.js` -> `cli-run.cache`), holding V8's data from `script.createCachedData()` taken
 * then: the top level and every function the run compiled, so a later run finds them compiled.
 * The command's own output and exit status are left as they are, for the build to check.
 */
import { renameSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const bin = join(dirname(fileURLToPath(import.meta.url)), "../dist/bin/pureflow-wasm.js");
const loader = createRequire(import.meta.url)(bin);
const [bundle, ...args] = process.argv.slice(2);
const file = join(dirname(bin), bundle);
const source = readFileSync(file);
const script = loader.compileBundle(file, source, undefined);
process.on("exit", () => {
  const out = loader.cacheFileOf(file);
  writeFileSync(out + ".tmp", loader.cacheFileBytes(source, script.createCachedData()));
  renameSync(out + ".tmp", out);
});
process.argv = [process.argv[0], bin, ...args];
loader.runCompiled(script, file);
