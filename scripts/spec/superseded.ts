/**
 * Wasm 2.0 spec assertions that Wasm 3.0 turned around. The 2.0 suite (sharedDir()/wasm-spec)
 * asserts some restrictions that 3.0 lifted; an engine implementing the 3.0 rule cannot pass them,
 * and the 3.0 suite asserts the opposite. Such an assertion is skipped with the reason below,
 * decided from the module itself (never from the engine's answer):
 *
 * - `assert_invalid` of a module whose constant expression reads a *defined* global (3.0:
 *   "global.get of an immutable global defined earlier"; 2.0: imported globals only) or uses an
 *   extended-constant `i32`/`i64` `add`/`sub`/`mul`;
 * - `assert_invalid` of a module with more than one memory (valid with 3.0's multi-memory);
 * - `assert_malformed` "zero byte expected": 2.0 reserved one 0x00 byte for the memory index of
 *   memory.size/grow/fill/copy/init; since 3.0 it is a LEB128 u32 memory index, so a non-minimal
 *   encoding of 0 (0x80 0x00) is well formed.
 */
import { decodeModule } from "../../interpreter/decode/index.js";
import type { ConstExpr, ModuleInfo } from "../../interpreter/decode/module.js";

const EXTENDED = new Set([0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e]);

/** `visible`: the globals the expression may read under the 3.0 rule (earlier ones for a global's initialiser). */
export function usesThreeZeroConst(m: ModuleInfo, e: ConstExpr, visible: number): boolean {
  for (let pc = 0; pc < e.code.length; pc++) {
    const op = e.code[pc]!;
    if (EXTENDED.has(op)) return true;
    if (op === 0x23) {
      const x = e.code[pc + 1]! >>> 0;
      if (x >= m.importedGlobalCount && x < visible) return true;
      pc++;
    } else if (op === 0x41 || op === 0x43 || op === 0xd0 || op === 0xd2) pc += 1;
    else if (op === 0x42 || op === 0x44) pc += 2;
    else if (op === 0xfd00c) pc += 4;
  }
  return false;
}

/** The skip reason when the 2.0 assertion `type` on module `bytes` was reversed by Wasm 3.0. */
export function supersededBy30(type: string, bytes: Uint8Array, text?: string): string | undefined {
  if (type === "assert_malformed" && text === "zero byte expected") return "superseded by Wasm 3.0: the reserved byte is a LEB128 memory index (multi-memory)";
  if (type !== "assert_invalid") return undefined;
  let m: ModuleInfo;
  try {
    m = decodeModule(bytes);
  } catch {
    return undefined;
  }
  if (m.importedMemoryCount + m.memories.length > 1) return "superseded by Wasm 3.0: more than one memory is valid (multi-memory)";
  const all = m.importedGlobalCount + m.globals.length;
  const exprs: [ConstExpr, number][] = m.globals.map((g, i) => [g.init, m.importedGlobalCount + i]);
  for (const e of m.elems) {
    for (const x of e.init) exprs.push([x, all]);
    if (e.mode.kind === "active") exprs.push([e.mode.offset, all]);
  }
  for (const d of m.datas) if (d.mode.kind === "active") exprs.push([d.mode.offset, all]);
  if (exprs.some(([e, visible]) => usesThreeZeroConst(m, e, visible))) return "superseded by Wasm 3.0: a constant expression reads a defined global or uses extended constants (valid since 3.0)";
  return undefined;
}
