/**
 * The rule tables shipped in docs/ agree with the code: every CLI code's category and exit status
 * (docs/errors.md and the README against `src/cli/errors.ts`), every Canonical ABI rule T1–T15 with
 * the files that raise it (docs/canonical-abi-traps.md against the `trap("Tn", ...)` calls), the
 * fuel table (docs/fuel.md against the default cost model), and the package's documents link
 * nothing outside the package.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../helpers/shared.js";
import { CLI_ERROR_CODES, type CliErrorCode } from "../../src/cli/errors.js";
import { OPERATOR_INDEX, resolveCosts } from "../../interpreter/runtime/costs.js";

const read = (p: string): string => readFileSync(join(projectRoot, p), "utf8");

function cliRows(md: string): Map<string, { exit: number; category: string }> {
  const rows = new Map<string, { exit: number; category: string }>();
  for (const m of md.matchAll(/^\| (\d) \| `(CLI-[A-Z]+-\d{3})` \| ([^|]+) \|/gm)) rows.set(m[2]!, { exit: Number(m[1]), category: m[3]!.trim() });
  return rows;
}

test("docs/errors.md and the README list every CLI code with its category and exit status", () => {
  for (const file of ["docs/errors.md", "README.md"]) {
    const rows = cliRows(read(file));
    assert.equal([...rows.keys()].sort(), Object.keys(CLI_ERROR_CODES).sort(), file);
    for (const [code, facts] of Object.entries(CLI_ERROR_CODES)) {
      assert.equal(rows.get(code), { exit: facts.exit, category: facts.category }, `${file}: ${code as CliErrorCode}`);
    }
  }
});

test("docs/canonical-abi-traps.md: T1–T15, each with the files that raise it", () => {
  const md = read("docs/canonical-abi-traps.md");
  const raisedIn = new Map<string, Set<string>>();
  for (const name of readdirSync(join(projectRoot, "canonical-abi", "abi"))) {
    if (!name.endsWith(".ts") || name === "traps.ts") continue; // traps.ts defines trap() and shows an example in its comment
    for (const m of read(`canonical-abi/abi/${name}`).matchAll(/trap\("(T\d+)"/g)) {
      if (!raisedIn.has(m[1]!)) raisedIn.set(m[1]!, new Set());
      raisedIn.get(m[1]!)!.add(`abi/${name}`);
    }
  }
  for (let i = 1; i <= 15; i++) {
    const rule = `T${i}`;
    const row = new RegExp(`^\\| ${rule} \\|(.*)$`, "m").exec(md);
    assert.ok(row, `${rule} has a row`);
    const files = new Set([...row![1]!.matchAll(/`(abi\/[a-z-]+\.ts)`/g)].map((m) => m[1]!));
    if (rule === "T11") {
      assert.is(raisedIn.get(rule), undefined, "T11 is not raised (resources are refused at decode)");
      assert.match(row![1]!, /not reachable/);
    } else assert.equal([...files].sort(), [...(raisedIn.get(rule) ?? [])].sort(), `${rule}: the files named are those that raise it`);
  }
});

test("docs/fuel.md: the zero-cost instructions and per-unit costs are those of the default cost model", () => {
  const md = read("docs/fuel.md");
  const model = resolveCosts(undefined);
  const zeroRow = /^\| ((?:`[a-z_.]+`, )*`[a-z_.]+`) \| 0 \|$/m.exec(md);
  assert.ok(zeroRow, "a row of zero-cost instructions");
  const zero = [...zeroRow![1]!.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]!).sort();
  const actualZero = [...OPERATOR_INDEX].filter(([, i]) => model.flat[i] === 0).map(([n]) => n).sort();
  assert.equal(zero, actualZero);
  assert.ok([...OPERATOR_INDEX].every(([, i]) => model.flat[i] === 0 || model.flat[i] === 1), "every other instruction costs 1");
  assert.is(model.functionEntry, 1);
  assert.equal(model.perUnit, { memoryCopy: 1, memoryFill: 1, memoryInit: 1, memoryGrow: 0, tableCopy: 1, tableFill: 1, tableInit: 1, tableGrow: 1 });
  assert.match(md, /\| `memory\.copy`, `memory\.fill`, `memory\.init` \| 1 more per byte \|/);
  assert.match(md, /\| `table\.copy`, `table\.fill`, `table\.init`, `table\.grow` \| 1 more per element \|/);
  assert.match(md, /\| `memory\.grow` \| 0 per page \|/);
});

test("README and the shipped docs link nothing outside the package (no ../shared)", () => {
  for (const file of ["README.md", "docs/errors.md", "docs/fuel.md", "docs/canonical-abi-traps.md"]) {
    const text = read(file);
    for (const m of text.matchAll(/\]\(([^)]+)\)/g)) assert.not.match(m[1]!, /^\.\.\//, `${file} links ${m[1]}`);
    assert.not.match(text, /`\.\.\/shared\/notes/, `${file} points readers at ../shared/notes`);
  }
});

test.run();
