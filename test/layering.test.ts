/**
 * The import graph keeps the layering `docs/architecture.md` claims:
 * `src/ -> canonical-abi/ -> interpreter/`, each layer importing only layers below it and only
 * through their public doors (`canonical-abi/index.ts`, `interpreter/index.ts`), never an internal
 * file; and library code (everything in `src/` outside `src/cli/`) never imports the command line.
 * Every static import, re-export and dynamic `import("...")` with a relative path is checked.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { projectRoot } from "./helpers/shared.js";

const LAYERS = ["interpreter", "canonical-abi", "src"] as const;
type Layer = (typeof LAYERS)[number];
/** The public door(s) of each lower layer. */
const DOORS: Record<Exclude<Layer, "src">, readonly string[]> = {
  interpreter: ["interpreter/index.ts"],
  "canonical-abi": ["canonical-abi/index.ts"],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

function layerOf(rel: string): Layer | undefined {
  return LAYERS.find((l) => rel === l || rel.startsWith(`${l}/`));
}

/** Relative specifiers of every import / re-export / dynamic import in `text` (comments dropped). */
export function importSpecifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
  for (let m = re.exec(code); m !== null; m = re.exec(code)) out.push(m[1] as string);
  return out;
}

/** Every layering violation: `file -> target (why)`. */
function violations(): string[] {
  const out: string[] = [];
  for (const layer of LAYERS) {
    for (const file of files(join(projectRoot, layer))) {
      const from = relative(projectRoot, file);
      for (const spec of importSpecifiers(readFileSync(file, "utf8"))) {
        const target = relative(projectRoot, resolve(dirname(file), spec)).replace(/\.js$/, ".ts");
        const to = layerOf(target);
        if (to === undefined) {
          out.push(`${from} -> ${target} (outside the three layers)`);
          continue;
        }
        if (LAYERS.indexOf(to) > LAYERS.indexOf(layer)) out.push(`${from} -> ${target} (${layer}/ must not import the layer above it, ${to}/)`);
        else if (to !== layer && !DOORS[to as Exclude<Layer, "src">].includes(target)) out.push(`${from} -> ${target} (not through ${to}'s public door ${DOORS[to as Exclude<Layer, "src">].join(", ")})`);
        if (layer === "src" && !from.startsWith("src/cli/") && target.startsWith("src/cli/")) out.push(`${from} -> ${target} (library code must not import the command line)`);
      }
    }
  }
  return out;
}

test("the specifier scanner finds static, re-export, side-effect and dynamic imports, not comments", () => {
  const text = `import { a } from "./a.js";\nexport { b } from "../b.js";\nimport "./c.js";\nconst d = await import("./d.js");\n// import { e } from "./e.js";\n/* export * from "./f.js"; */\nimport x from "node:fs";`;
  assert.equal(importSpecifiers(text), ["./a.js", "../b.js", "./c.js", "./d.js"]);
});

test("src -> canonical-abi -> interpreter, through public doors only; library code never imports the CLI", () => {
  const v = violations();
  const scanned = LAYERS.map((l) => files(join(projectRoot, l)).length);
  console.log(`# layering: ${scanned.reduce((a, b) => a + b, 0)} files scanned (${LAYERS.map((l, i) => `${l} ${scanned[i]}`).join(", ")}), ${v.length} violations`);
  assert.equal(v, [], `layering violations:\n${v.join("\n")}`);
});

test.run();
