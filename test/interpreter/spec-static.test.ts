/**
 * The static half of the spec suite: every module of `../shared/wasm-spec` goes through the
 * decoder and the validator only (no instantiation, no execution).
 *
 * - `module` commands and the modules of `assert_trap`/`assert_uninstantiable`/`assert_unlinkable`
 *   (and `assert_exhaustion`, `assert_return` never carry modules): decode + validate succeed;
 * - binary `assert_malformed`: *decoding* throws a CompileError (`malformed` or `unsupported`);
 * - binary `assert_invalid`: decode + validate throw a CompileError;
 * - text-format (`.wat`) cases test a text parser and are counted as skipped, and so are the
 *   assertions Wasm 3.0 reversed (scripts/spec/superseded.ts).
 *
 * Any other exception (TypeError, RangeError, ...) is a failure.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { decodeModule } from "../../interpreter/decode/index.js";
import { validateModule } from "../../interpreter/validate/index.js";
import { CompileError } from "../../interpreter/errors.js";
import { sharedDirOrSkip } from "../helpers/shared.js";
import { supersededBy30 } from "../../scripts/spec/superseded.js";

interface Command {
  type: string;
  line: number;
  filename?: string;
  text?: string;
  module_type?: string;
}

const root = sharedDirOrSkip("wasm-spec", "spec-static (decoder + validator over the spec suite)");

let passed = 0;
let failed = 0;
let skippedText = 0;
let skippedSuperseded = 0;

const MUST_LOAD = new Set(["module", "assert_trap", "assert_uninstantiable", "assert_unlinkable", "assert_exhaustion", "assert_return"]);

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Checks one script; returns failure descriptions. */
function checkScript(dir: string, name: string): string[] {
  const failures: string[] = [];
  const json = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as { commands: Command[] };
  for (const c of json.commands) {
    if (c.filename === undefined) continue;
    const where = `${name}.wast:${c.line} ${c.type} ${c.filename}`;
    if (!c.filename.endsWith(".wasm")) {
      skippedText++;
      continue;
    }
    const bytes = new Uint8Array(readFileSync(join(dir, c.filename)));
    if (c.type === "assert_malformed") {
      if (supersededBy30(c.type, bytes, c.text) !== undefined) {
        skippedSuperseded++;
        continue;
      }
      if (c.text === "malformed memop flags") {
        // Wasm 3.0 made bit 6 of the flags a memory-index flag: such a module decodes and is then
        // invalid (the 3.0 suite asserts invalid), so decoding + validating must fail
        try {
          validateModule(decodeModule(bytes));
          failures.push(`${where}: validated, expected malformed or invalid (${c.text})`);
        } catch (e) {
          if (!(e instanceof CompileError)) failures.push(`${where}: expected CompileError (${c.text}), got ${describe(e)}`);
        }
        continue;
      }
      try {
        decodeModule(bytes);
        failures.push(`${where}: decoded, expected malformed (${c.text})`);
      } catch (e) {
        if (!(e instanceof CompileError) || (e.code !== "malformed" && e.code !== "unsupported")) {
          failures.push(`${where}: expected CompileError malformed (${c.text}), got ${describe(e)}`);
        }
      }
    } else if (c.type === "assert_invalid") {
      if (supersededBy30(c.type, bytes) !== undefined) {
        skippedSuperseded++;
        continue;
      }
      try {
        validateModule(decodeModule(bytes));
        failures.push(`${where}: validated, expected invalid (${c.text})`);
      } catch (e) {
        if (!(e instanceof CompileError)) failures.push(`${where}: expected CompileError invalid (${c.text}), got ${describe(e)}`);
      }
    } else if (MUST_LOAD.has(c.type)) {
      try {
        validateModule(decodeModule(bytes));
      } catch (e) {
        failures.push(`${where}: ${describe(e)}`);
      }
    } else {
      failures.push(`${where}: unknown command type carrying a module`);
    }
  }
  return failures;
}

if (root === undefined) {
  test.skip("spec-static: decoder + validator over the spec suite", () => {});
} else {
  const scripts = readdirSync(root)
    .filter((d) => existsSync(join(root, d, `${d}.json`)))
    .sort();
  test("the spec suite is there", () => {
    assert.ok(scripts.length >= 100, `expected the 148 scripts, found ${scripts.length}`);
  });
  for (const name of scripts) {
    const dir = join(root, name);
    test(`spec-static ${name}`, () => {
      const failures = checkScript(dir, name);
      const total = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8")) as { commands: Command[] };
      const withModules = total.commands.filter((c) => c.filename !== undefined && c.filename.endsWith(".wasm")).length;
      passed += withModules - failures.length;
      failed += failures.length;
      assert.equal(failures.length, 0, failures.slice(0, 20).join("\n"));
    });
  }
  test("spec-static summary", () => {
    console.log(
      `\n# spec-static: ${passed} passed, ${failed} failed, ${skippedText} skipped (text-format), ${skippedSuperseded} skipped (superseded by Wasm 3.0)`,
    );
    assert.ok(passed > 3000, `only ${passed} modules checked`);
    assert.equal(failed, 0);
  });
}

test.run();
