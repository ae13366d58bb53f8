/**
 * Rewrites modules at the section level for the harness: replace or insert whole sections while
 * copying every other section byte for byte, and `exportEverything` (export memory 0, every table
 * and every global under reserved names so the fuzzer can compare all state on both engines).
 */
import { HEADER, bytes, name, section, uleb, vec } from "../spec/wasm-encode.js";
import { parseModule } from "./wasm-parse.js";
import type { ParsedModule } from "./wasm-parse.js";

/** Position of each known section id in the required order (data count sits between element and code, tag between memory and global). */
const RANK: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 13: 5.5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

/** Rebuilds `m` with the sections in `replace` (id -> contents) replaced or inserted in order. */
export function rebuildModule(m: ParsedModule, replace: ReadonlyMap<number, readonly number[]>): Uint8Array {
  const parts: number[][] = [Array.from(HEADER)];
  const pending = new Map(replace);
  for (const s of m.sections) {
    if (s.id !== 0) {
      for (const [id, contents] of [...pending]) {
        if (RANK[id] < RANK[s.id]) {
          parts.push(section(id, contents));
          pending.delete(id);
        }
      }
    }
    const r = pending.get(s.id);
    if (s.id !== 0 && r !== undefined) {
      parts.push(section(s.id, r));
      pending.delete(s.id);
    } else {
      parts.push(Array.from(m.bytes.subarray(s.start, s.end)));
    }
  }
  for (const [id, contents] of [...pending].sort((a, b) => RANK[a[0]] - RANK[b[0]])) parts.push(section(id, contents));
  return bytes(...parts);
}

export const EXPORT_PREFIX = "__pf_";

/** Encodes an export section. */
export function exportSection(exports: readonly { name: string; kind: number; index: number }[]): number[] {
  return vec(exports.map((e) => [...name(e.name), e.kind, ...uleb(e.index)]));
}

/** Adds exports `__pf_memory`, `__pf_table<i>`, `__pf_global<i>` for state not exported yet. */
export function exportEverything(bytesIn: Uint8Array): Uint8Array {
  const m = parseModule(bytesIn);
  const exports = m.exports.map((e) => ({ ...e }));
  const has = (kind: number, index: number): boolean => exports.some((e) => e.kind === kind && e.index === index);
  if (m.importedMemories + m.memories.length > 0 && !has(2, 0)) exports.push({ name: `${EXPORT_PREFIX}memory`, kind: 2, index: 0 });
  for (let i = 0; i < m.importedTables + m.tables.length; i++) if (!has(1, i)) exports.push({ name: `${EXPORT_PREFIX}table${i}`, kind: 1, index: i });
  for (let i = 0; i < m.importedGlobals + m.globals.length; i++) if (!has(3, i)) exports.push({ name: `${EXPORT_PREFIX}global${i}`, kind: 3, index: i });
  if (exports.length === m.exports.length) return bytesIn;
  return rebuildModule(m, new Map([[7, exportSection(exports)]]));
}
