/**
 * Where the malformed fuzzer's validity oracle, Node 20's own engine (V8 11.3, no flags), is blind:
 * the Wasm 3.0 parts this interpreter implements and Node 20 does not. Node 20 has SIMD, tail
 * calls and the legacy exception handling with tags; it lacks relaxed SIMD, `exnref` (`try_table`,
 * `throw_ref`), typed function references, multi-memory, memory64/table64 and extended constant
 * expressions. A module using one of them is refused by Node 20 whatever else it holds, so a
 * disagreement on it says nothing: the fuzzer records it as an outcome, not a finding.
 *
 * Decided from the decoded module itself (as scripts/spec/superseded.ts decides its skips), never
 * from our engine's verdict.
 */
import type { ModuleInfo } from "../../interpreter/decode/module.js";
import { CONCRETE, NON_NULL } from "../../interpreter/decode/module.js";
import { BY_INDEX, operatorIndex } from "../../interpreter/decode/opcode-table.js";
import { usesThreeZeroConst } from "../spec/superseded.js";

const I64 = 0x7e;
const EXNREF = 0x69;

/** A value type Node 20 does not know: a typed (concrete or non-null) reference, or exnref. */
function newRefType(t: number): boolean {
  return (t & (CONCRETE | NON_NULL)) !== 0 || (t & 0xff) === EXNREF;
}

/** The first Wasm 3.0 part of `m` that Node 20 lacks (a name for the outcome), or undefined. */
export function beyondNode20(m: ModuleInfo): string | undefined {
  if (m.importedMemoryCount + m.memories.length > 1) return "multi-memory";
  const memories = [...m.imports.flatMap((i) => (i.desc.kind === "memory" ? [i.desc.type] : [])), ...m.memories];
  const tables = [...m.imports.flatMap((i) => (i.desc.kind === "table" ? [i.desc.type] : [])), ...m.tables];
  if (memories.some((t) => t.addressType === I64) || tables.some((t) => t.addressType === I64)) return "memory64/table64";
  if (m.types.some((t) => t.params.some(newRefType) || t.results.some(newRefType))) return "typed references in a function type";
  if (tables.some((t) => newRefType(t.elemType) || ("init" in t && t.init !== undefined))) return "typed references in a table";
  if (m.globals.some((g) => newRefType(g.type.valType))) return "typed references in a global";
  const all = m.importedGlobalCount + m.globals.length;
  if (m.globals.some((g, i) => usesThreeZeroConst(m, g.init, m.importedGlobalCount + i))) return "extended constant expressions";
  for (const e of m.elems) {
    if (e.mode.kind === "active" && usesThreeZeroConst(m, e.mode.offset, all)) return "extended constant expressions";
    if (e.init.some((x) => usesThreeZeroConst(m, x, all))) return "extended constant expressions";
  }
  for (const d of m.datas) if (d.mode.kind === "active" && usesThreeZeroConst(m, d.mode.offset, all)) return "extended constant expressions";
  for (const body of m.codes) {
    if (body.locals.some((r) => newRefType(r.type))) return "typed references in a local";
    const code = body.code, starts = body.starts;
    for (let k = 0; k < starts.length; k++) {
      const ins = BY_INDEX[operatorIndex(code[starts[k]!]!)];
      if (ins === undefined) continue;
      if (ins.feature === "relaxed SIMD" || ins.feature === "typed function references") return ins.feature;
      if (ins.name === "try_table" || ins.name === "throw_ref") return "exnref";
    }
  }
  return undefined;
}
