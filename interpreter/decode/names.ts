/**
 * The `name` custom section (spec appendix "Custom Sections > Name Section"): module name,
 * function names, local names. It is optional debugging information, so it is read leniently:
 * a malformed name section is ignored (the result is `undefined`), never an error, as the spec
 * says of custom sections.
 */
import type { NameSection } from "./module.js";
import { Reader } from "./reader.js";

function readNameMap(r: Reader): Map<number, string> {
  const map = new Map<number, string>();
  const n = r.count(1);
  for (let i = 0; i < n; i++) {
    const idx = r.u32();
    map.set(idx, r.name());
  }
  return map;
}

/**
 * Parses the contents of a `name` custom section (`bytes[start..end)`, after the section's own
 * name). Returns `undefined` when the contents are malformed.
 */
export function parseNameSection(bytes: Uint8Array, start: number, end: number): NameSection | undefined {
  const r = new Reader(bytes);
  r.pos = start;
  r.end = end;
  r.section = "custom name";
  let module: string | undefined;
  let functions = new Map<number, string>();
  const locals = new Map<number, ReadonlyMap<number, string>>();
  let lastId = -1;
  try {
    while (r.pos < end) {
      const id = r.u8();
      if (id <= lastId) return undefined; // subsections appear at most once, in order
      lastId = id;
      const size = r.u32();
      if (size > end - r.pos) return undefined;
      const subEnd = r.pos + size;
      r.end = subEnd;
      switch (id) {
        case 0:
          module = r.name();
          break;
        case 1:
          functions = readNameMap(r);
          break;
        case 2: {
          const n = r.count(1);
          for (let i = 0; i < n; i++) {
            const f = r.u32();
            locals.set(f, readNameMap(r));
          }
          break;
        }
        default:
          r.pos = subEnd; // other subsections (labels, types, ...) are skipped
      }
      if (r.pos !== subEnd) return undefined;
      r.end = end;
    }
  } catch {
    return undefined;
  }
  return module === undefined ? { functions, locals } : { module, functions, locals };
}
