/**
 * Library purity: the built library (`dist/interpreter`, `dist/canonical-abi`, `dist/src`, and the
 * bundled entry points in `dist/bundle` that the package exports) and its TypeScript sources contain no `eval`, no `Function` constructor and no use of the host's
 * `WebAssembly` object (comments and ordinary string text do not count), and `package.json` has
 * no runtime `dependencies`. `npm test` builds first; run `npm run build` before running this alone.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "./helpers/shared.js";

/**
 * Splits JS/TS source into code (with comments removed and string contents blanked) and the list
 * of string-literal contents. A light lexer: enough for compiler output and our own sources.
 * Regex literals are treated as code (a false alarm there is acceptable; a miss is not).
 */
export function splitCode(src: string): { code: string; strings: string[] } {
  let code = "";
  const strings: string[] = [];
  const braceStack: number[] = []; // template nesting: brace depth at each `${`
  let depth = 0;
  let i = 0;
  const n = src.length;
  const readString = (q: string): void => {
    let s = "";
    i++;
    while (i < n && src[i] !== q) {
      if (src[i] === "\\") { s += src[i + 1] ?? ""; i += 2; continue; }
      if (src[i] === "\n" && q !== "`") break;
      if (q === "`" && src[i] === "$" && src[i + 1] === "{") {
        strings.push(s);
        s = "";
        braceStack.push(depth);
        depth++;
        i += 2;
        code += "` ${";
        return;
      }
      s += src[i];
      i++;
    }
    strings.push(s);
    code += `${q}${q}`;
    i++;
  };
  while (i < n) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") {
      while (i < n && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      code += " ";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      readString(c);
      continue;
    }
    if (c === "{") depth++;
    if (c === "}") {
      depth--;
      if (braceStack.length > 0 && braceStack[braceStack.length - 1] === depth) {
        braceStack.pop();
        // back inside the template literal: readString skips this `}` and reads on.
        code += "}";
        readString("`");
        continue;
      }
    }
    code += c;
    i++;
  }
  return { code, strings };
}

/** Problems found in one file's text. */
export function impurities(src: string): string[] {
  const { code, strings } = splitCode(src);
  const out: string[] = [];
  if (/(^|[^\w$.])eval\b/.test(code)) out.push("eval");
  if (/\bnew\s+Function\b/.test(code) || /(^|[^\w$.])Function\s*\(/.test(code)) out.push("Function constructor");
  if (/(^|[^\w$])WebAssembly\b/.test(code)) out.push("WebAssembly global");
  if (strings.some((s) => s === "WebAssembly" || s === "eval" || s === "Function")) out.push("suspicious string literal (indirect global lookup?)");
  return out;
}

function walk(dir: string, exts: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, exts));
    else if (exts.some((e) => name.endsWith(e)) && !name.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

test("the scanner itself: flags real uses, ignores comments and strings", () => {
  assert.equal(impurities("const x = eval('1');"), ["eval"]);
  assert.equal(impurities("(0, eval)(s)"), ["eval"]);
  assert.equal(impurities("const f = new Function('a', 'return a');"), ["Function constructor"]);
  assert.equal(impurities("const f = Function('return this')();"), ["Function constructor"]);
  assert.equal(impurities("const m = new WebAssembly.Module(b);"), ["WebAssembly global"]);
  assert.equal(impurities("const W = globalThis.WebAssembly;"), ["WebAssembly global"]);
  assert.equal(impurities("const W = globalThis['WebAssembly'];"), ["suspicious string literal (indirect global lookup?)"]);
  assert.equal(impurities("const t = `x${WebAssembly.Memory}y`;"), ["WebAssembly global"]);
  assert.equal(impurities("// uses WebAssembly and eval( in a comment\n/* new Function */ const s = 'all fuel consumed by WebAssembly';"), []);
  assert.equal(impurities("x.evaluate(); y.retrieval(); const isFunction = 1; myFunction(2);"), []);
  assert.equal(impurities("const t = `a ${`b ${c}`} WebAssembly`;"), []);
});

const LIB = ["interpreter", "canonical-abi", "src"];

/**
 * Reviewed exceptions (source path without extension -> problems allowed there). The namespace
 * object and the polyfill must name `WebAssembly`; none of them runs code through the host's.
 */
const ALLOWED: Record<string, readonly string[]> = {
  // declares this package's own namespace object, exported under the name `WebAssembly`
  "interpreter/webassembly": ["WebAssembly global"],
  // installs that object as globalThis.WebAssembly; keeps the host's as `nativeWebAssembly` and,
  // only with `whenUnusable`, asks it to compile the empty module to decide whether to replace it
  "interpreter/polyfill": ["WebAssembly global", "suspicious string literal (indirect global lookup?)"],
  // Symbol.toStringTag of the namespace object is the string "WebAssembly"
  "interpreter/js-api/namespace": ["suspicious string literal (indirect global lookup?)"],
};
function allowed(path: string, problem: string): boolean {
  const key = path.replace(/^dist\//, "").replace(/\.(ts|js|mjs|cjs)$/, "");
  return ALLOWED[key]?.includes(problem) === true;
}

test("built library files are pure (no eval, Function constructor, WebAssembly)", () => {
  const problems: string[] = [];
  let files = 0;
  for (const lib of LIB) {
    const srcDir = join(projectRoot, lib);
    const distDir = join(projectRoot, "dist", lib);
    if (!existsSync(srcDir)) {
      console.log(`\n# purity: ${lib}/ does not exist yet, nothing to check`);
      continue;
    }
    if (walk(srcDir, [".ts"]).length === 0) continue;
    assert.ok(existsSync(distDir), `dist/${lib} missing: run npm run build first`);
    for (const f of walk(distDir, [".js", ".mjs", ".cjs"])) {
      files++;
      for (const p of impurities(readFileSync(f, "utf8"))) if (!allowed(relative(projectRoot, f), p)) problems.push(`${relative(projectRoot, f)}: ${p}`);
    }
  }
  console.log(`\n# purity: ${files} built library files checked`);
  assert.equal(problems, []);
});

test("the bundled entry points (dist/bundle) are pure: a reviewed exception only in a file made from that source", () => {
  const dir = join(projectRoot, "dist", "bundle");
  assert.ok(existsSync(dir), "dist/bundle missing: run npm run build first");
  const problems: string[] = [];
  const files = walk(dir, [".js"]);
  for (const f of files) {
    // the sources a bundle file was made from, by its source map (paths relative to the map); an
    // entry that only re-exports a chunk's bindings (webassembly.js) has none: its module's path
    const map = JSON.parse(readFileSync(f + ".map", "utf8")) as { sources: string[] };
    const sources = map.sources.map((s) => relative(projectRoot, join(dir, s)).replace(/\.ts$/, ""));
    const entry = /^(webassembly|polyfill)\.js$/.exec(relative(dir, f));
    if (entry !== null) sources.push(`interpreter/${entry[1]}`);
    for (const p of impurities(readFileSync(f, "utf8"))) {
      if (!sources.some((s) => ALLOWED[s]?.includes(p) === true)) problems.push(`${relative(projectRoot, f)}: ${p}`);
    }
  }
  assert.ok(files.length >= 7, `${files.length} bundle files`);
  assert.equal(problems, []);
});

test("library sources are pure too", () => {
  const problems: string[] = [];
  for (const lib of LIB) {
    const srcDir = join(projectRoot, lib);
    if (!existsSync(srcDir)) continue;
    for (const f of walk(srcDir, [".ts", ".js", ".mjs"])) for (const p of impurities(readFileSync(f, "utf8"))) if (!allowed(relative(projectRoot, f), p)) problems.push(`${relative(projectRoot, f)}: ${p}`);
  }
  assert.equal(problems, []);
});

test("package.json has no runtime dependencies", () => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as Record<string, unknown>;
  for (const k of ["dependencies", "peerDependencies", "optionalDependencies", "bundledDependencies", "bundleDependencies"]) {
    const v = pkg[k];
    assert.ok(v === undefined || (typeof v === "object" && v !== null && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0), `package.json has ${k}: ${JSON.stringify(v)}`);
  }
});

test.run();
