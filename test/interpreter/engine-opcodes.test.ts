// The dispatch loop uses literal opcode numbers (V8 builds a jump table only for literal case
// labels), each followed by its name in a comment. This checks every such number against the
// opcode table, and that every opcode has exactly one case: in the loop or in its rare-op helper.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { OP_NAMES, Op } from "../../interpreter/translate/opcodes.js";
import { FI_ENTRY, FI_FRAME_WORDS, FI_LOCALS_END, FI_LOCALS_START, FUNC_INFO_WORDS } from "../../interpreter/translate/translator.js";

const read = (f: string): string => readFileSync(fileURLToPath(new URL(`../../interpreter/execute/${f}`, import.meta.url)), "utf8");
const loopSrc = read("loop.ts");
const rareSrc = read("rare.ts");
const outOfLineSrc = read("out-of-line-access.ts");
const src = loopSrc + rareSrc + outOfLineSrc;
const casesOf = (s: string): string[] => [...s.matchAll(/case (\d+) \/\* ([A-Z0-9_]+) \*\/:/g)].map((m) => m[2]!);

test("every `N /* NAME */` in the loop matches the opcode table", () => {
  const refs = [...src.matchAll(/\b(\d+) \/\* ([A-Z0-9_]+) \*\//g)];
  assert.ok(refs.length > OP_NAMES.length, `found ${refs.length} references`);
  for (const [, n, name] of refs) {
    assert.ok(name! in Op, `unknown op name ${name}`);
    assert.is(Number(n), (Op as Record<string, number>)[name!], `${name} is ${(Op as Record<string, number>)[name!]}, loop says ${n}`);
  }
  assert.not.match(src, /\bOp\.[A-Z]/, "the loop must not read Op.* (use literal numbers)");
});

test("out-of-line-access.ts handles exactly the loop's op cases that leave for its shared site (`break outOfLine`)", () => {
  // the op cases of the loop, each with its body up to the next case label
  const sends = new Set<string>();
  const parts = loopSrc.split(/(?=case \d+ \/\* [A-Z0-9_]+ \*\/:)/);
  let group: string[] = [];
  for (const part of parts) {
    // labels of one case group share the body of the last one
    group.push(...casesOf(part));
    if (/^case \d+ \/\* [A-Z0-9_]+ \*\/:\s*$/.test(part)) continue;
    if (part.includes("break outOfLine;")) for (const name of group) sends.add(name);
    group = [];
  }
  assert.ok(sends.size >= 26, `found ${sends.size} ops sending accesses out of line`);
  assert.equal([...new Set(casesOf(outOfLineSrc))].sort(), [...sends].sort());
});

test("the loop's literal offsets into a callee's funcInfo words match the translator's layout", () => {
  // `var f = ... << 2` (the callee's first word), then `info[f + 1 /* frame words */]` and the like
  const shifts = [...loopSrc.matchAll(/var f = (?:code\[pc \+ 2\]!|fi\.defIndex) << (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(shifts.length >= 4, `found ${shifts.length} callee lookups`);
  for (const k of shifts) assert.is(1 << k, FUNC_INFO_WORDS);
  const names: Record<string, number> = { "frame words": FI_FRAME_WORDS, "locals start": FI_LOCALS_START, "locals end": FI_LOCALS_END };
  const refs = [...loopSrc.matchAll(/\[f \+ (\d) \/\* ([a-z ]+) \*\/\]/g)];
  assert.ok(refs.length >= 12, `found ${refs.length} offsets`);
  for (const [, n, name] of refs) assert.is(Number(n), names[name!], name);
  assert.is(FI_ENTRY, 0, "the entry pc is read as info[f]");
});

test("every opcode has a case in the loop or in rare.ts, never in both", () => {
  const inLoop = new Set(casesOf(loopSrc)), inRare = new Set(casesOf(rareSrc));
  const missing = OP_NAMES.filter((n) => !inLoop.has(n) && !inRare.has(n));
  assert.equal(missing, []);
  const both = OP_NAMES.filter((n) => inLoop.has(n) && inRare.has(n));
  assert.equal(both, []);
  assert.ok(inRare.size > 0 && inLoop.size > inRare.size);
});

test.run();
