/**
 * The `component-name` custom section (Binary.md §Name Section): the component's own name and
 * per-sort name maps. Like the core `name` section, an invalid name section is ignored, never
 * an error: whatever decodes before the first problem is kept.
 */
import type { ComponentNames, SortName } from "./ast.js";
import { Reader } from "./reader.js";
import { readSort } from "./types.js";

/** Parses the payload of a `component-name` section (after the section's own name). */
export function readComponentNames(r: Reader): ComponentNames {
  let component: string | null = null;
  const sorts = new Map<SortName, Map<number, string>>();
  try {
    while (!r.atEnd()) {
      const id = r.u8("name subsection id");
      const size = r.u32("name subsection size");
      const start = r.pos;
      if (size > r.remaining()) break;
      const s = new Reader(r.bytes, start, start + size, r.base);
      if (id === 0) component = s.name("component name");
      else if (id === 1) {
        const sort = readSort(s);
        const n = s.count("name", 2);
        const map = new Map<number, string>();
        for (let i = 0; i < n; i++) {
          const idx = s.u32("index");
          map.set(idx, s.name("name"));
        }
        sorts.set(sort, map);
      }
      r.pos = start + size;
    }
  } catch {
    // invalid name sections must not cause rejection
  }
  return { component, sorts };
}
