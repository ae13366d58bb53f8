/**
 * `node scripts/loop-deopts.mjs <entry.mjs> [args...]`: runs `entry.mjs` (a script that imports the
 * built library from dist/, e.g. one running a bench workload) under V8's `--trace-deopt` and
 * `--print-bytecode` for the dispatch loop, and prints each deoptimisation of the loop with its
 * reason and the line of dist/interpreter/execute/loop.js it happened on (V8 reports a bytecode
 * offset; the printed bytecode maps offsets to source positions). For issue 11's work on the
 * loop's warm-up: which op cases V8 reaches without type feedback. Needs `npm run build` first.
 * `V8_FLAGS="--flag ..."` passes more V8 flags to the traced process (e.g. `--no-lazy-feedback-allocation`,
 * as in bench/README.md's measurements).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined) {
  console.error("usage: node scripts/loop-deopts.mjs <entry.mjs> [args...]");
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const loopJs = join(root, "dist/interpreter/execute/loop.js");
const r = spawnSync(process.execPath, [...(process.env.V8_FLAGS ?? "").split(" ").filter((f) => f !== ""), "--trace-deopt", "--print-bytecode", "--print-bytecode-filter=loop", entry, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
const out = r.stdout + r.stderr;
const src = readFileSync(loopJs, "utf8");
const lines = src.split("\n");
// bytecode offset -> source position (the last position given at or before it)
const posAt = new Map();
let last = -1;
for (const l of out.split("\n")) {
  const m = /^\s*(\d+)?\s*[ES]?>?\s*0x[0-9a-f]+ @\s+(\d+) :/.exec(l);
  if (m === null) continue;
  if (m[1] !== undefined) last = Number(m[1]);
  if (!posAt.has(Number(m[2]))) posAt.set(Number(m[2]), last);
}
let n = 0;
for (const l of out.split("\n")) {
  if (!l.startsWith("[bailout") || !l.includes("<JSFunction loop (")) continue;
  n++;
  const reason = /reason: ([^)]*)\)/.exec(l)?.[1] ?? "?";
  const off = Number(/bytecode offset (\d+)/.exec(l)?.[1] ?? -1);
  let p = -1;
  for (let o = off; o >= 0 && p < 0; o--) if ((posAt.get(o) ?? -1) >= 0) p = posAt.get(o);
  const line = p < 0 ? 0 : src.slice(0, p).split("\n").length;
  console.log(`${reason} @${off} -> loop.js:${line}: ${(lines[line - 1] ?? "").trim().slice(0, 120)}`);
}
console.log(`${n} deoptimisations of the dispatch loop`);
