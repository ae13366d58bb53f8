// `npm run playground:build`: the ABI playground as static files in playground/dist/ (or the
// folder given as the first argument): the page (playground/*.html|css|js), the library's browser
// modules (dist/src, dist/canonical-abi, dist/interpreter without the Node-only CLI and worker
// entries: what `npm run build` made), and the bundled components with their inputs
// (fixtures/index.json). Needs `npm run build` first. Exported as buildPlayground for the test.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** The bundled components: the first is opened when the page loads. */
export const PLAYGROUND_FIXTURES = [
  { name: "uppercase-guest", title: "uppercase (well-behaved)", about: "Pureflow's uppercase fixture: every bytes payload ASCII-uppercased onto port `out`." },
  { name: "echo-guest", title: "echo (well-behaved)", about: "Returns its inputs unchanged: the result's list pointer is the input list itself." },
  { name: "shapes-guest", title: "shapes (well-behaved)", about: "Returns fixed outputs of several shapes (bytes and control payloads, an empty port)." },
  { name: "hostile/bad-option-discriminant", title: "hostile: bad option discriminant (T9)", about: "Writes tag 2 into route.source, an option<endpoint>: lifting traps with T9 at that field." },
  { name: "hostile/invalid-utf8", title: "hostile: invalid UTF-8 (T5)", about: "A message-id holding the bytes C3 28: lifting the string traps with T5." },
  { name: "hostile/misaligned-list", title: "hostile: misaligned list (T7)", about: "The ok list pointer is 66, but a port-batch needs 4-byte alignment: T7." },
  { name: "hostile/realloc-misaligned", title: "hostile: misaligned realloc (T12)", about: "cabi_realloc returns 1025 for every request: lowering the first list traps with T12." },
  { name: "hostile/post-return-trap", title: "hostile: post-return traps", about: "Returns well-formed outputs, then its post-return function executes unreachable." },
];

const LIB_SKIP = new Set(["src/cli", "src/pool/node-worker.js"]);

function copyJs(from, to, rel = "") {
  for (const name of readdirSync(join(from, rel))) {
    const r = rel === "" ? name : `${rel}/${name}`;
    if ([...LIB_SKIP].some((s) => r.startsWith(s))) continue;
    const p = join(from, r);
    if (statSync(p).isDirectory()) copyJs(from, to, r);
    else if (name.endsWith(".js")) {
      mkdirSync(join(to, rel), { recursive: true });
      cpSync(p, join(to, r));
    }
  }
}

/** Builds the playground into `out` (default playground/dist); returns the folder. */
export function buildPlayground(out = join(root, "playground", "dist")) {
  if (!existsSync(join(root, "dist", "src", "index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const name of readdirSync(join(root, "playground"))) {
    if (/\.(html|css|js|svg)$/.test(name)) cpSync(join(root, "playground", name), join(out, name));
  }
  for (const lib of ["src", "canonical-abi", "interpreter"]) {
    for (const sub of readdirSync(join(root, "dist", lib))) {
      const rel = `${lib}/${sub}`;
      if (LIB_SKIP.has(rel)) continue;
      const p = join(root, "dist", rel);
      if (statSync(p).isDirectory()) copyJs(join(root, "dist"), join(out, "lib"), rel);
      else if (sub.endsWith(".js") && !LIB_SKIP.has(rel)) {
        mkdirSync(join(out, "lib", lib), { recursive: true });
        cpSync(p, join(out, "lib", rel));
      }
    }
  }
  const inputs = readFileSync(join(root, "fixtures", "uppercase-guest", "testdata", "inputs.json"), "utf8");
  mkdirSync(join(out, "fixtures"), { recursive: true });
  const index = PLAYGROUND_FIXTURES.map((f) => {
    const file = `fixtures/${f.name.replace("/", "-")}.wasm`;
    cpSync(join(root, "fixtures", f.name, "component.wasm"), join(out, file));
    return { ...f, file, inputs };
  });
  writeFileSync(join(out, "fixtures", "index.json"), JSON.stringify(index, null, 1) + "\n");
  return out;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = buildPlayground(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  console.log(`playground built in ${out} (serve it with npm run playground)`);
}
