/**
 * Just enough of a core module's binary to link it at the component level: the signatures of
 * its functions (imported and defined), its imports and exports, and its memories (to refuse
 * 64-bit memories in canonical options). Full decoding and validation stay with the core
 * interpreter; this reader only walks the type, import, function, memory and export sections.
 */
import type { CoreFuncType, CoreValType } from "../types.js";
import { Reader } from "./reader.js";

/** Kinds of core imports/exports. */
export type CoreExternKind = "func" | "table" | "memory" | "global" | "tag";

/** One core import. */
export interface CoreImportInfo { readonly module: string; readonly name: string; readonly kind: CoreExternKind }
/** One core export. */
export interface CoreExportInfo { readonly name: string; readonly kind: CoreExternKind; readonly index: number }

/** What the component layer needs to know about a core module. */
export interface CoreModuleInfo {
  /** Size of the module binary in bytes. */
  readonly size: number;
  readonly imports: readonly CoreImportInfo[];
  readonly exports: readonly CoreExportInfo[];
  /** Signature of every function (imports first), or null when its type is not a plain function type. */
  readonly funcTypes: readonly (CoreFuncType | null)[];
  /** For every memory (imports first): true when it is a 64-bit memory. */
  readonly memory64: readonly boolean[];
}

const KINDS: CoreExternKind[] = ["func", "table", "memory", "global", "tag"];

function valtype(r: Reader): CoreValType | "other" {
  const b = r.u8("core value type");
  switch (b) {
    case 0x7f: return "i32";
    case 0x7e: return "i64";
    case 0x7d: return "f32";
    case 0x7c: return "f64";
    case 0x7b: case 0x70: case 0x6f: return "other";
    case 0x64: case 0x63: r.s33("heap type"); return "other";
    default:
      if (b >= 0x69 && b <= 0x74) return "other";
      return r.fail(`invalid core value type 0x${b.toString(16)}`, r.pos - 1);
  }
}

function limits(r: Reader): boolean {
  const flags = r.u8("limits flags");
  if (flags > 0x07) r.fail(`invalid limits flags 0x${flags.toString(16)}`, r.pos - 1);
  const is64 = (flags & 0x04) !== 0;
  if (is64) { readU64(r); if (flags & 1) readU64(r); } else { r.u32("limit minimum"); if (flags & 1) r.u32("limit maximum"); }
  return is64;
}

function readU64(r: Reader): void {
  for (let i = 0; i < 10; i++) if ((r.u8("u64") & 0x80) === 0) return;
  r.fail("u64: integer representation too long");
}

/** Reads the module-level facts of a core module binary (`bytes` start with the core preamble). */
export function readCoreModuleInfo(bytes: Uint8Array, base: number): CoreModuleInfo {
  const r = new Reader(bytes, 0, bytes.length, base);
  const magic = r.take(8, "core module preamble");
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) r.fail("core module: bad magic number", 0);
  if (magic[4] !== 1 || magic[5] !== 0 || magic[6] !== 0 || magic[7] !== 0) r.fail("core module: expected version 1, layer 0", 4);
  const types: (CoreFuncType | null)[] = [];
  const imports: CoreImportInfo[] = [];
  const exports: CoreExportInfo[] = [];
  const funcTypes: (CoreFuncType | null)[] = [];
  const memory64: boolean[] = [];
  while (!r.atEnd()) {
    const id = r.u8("section id");
    const size = r.u32("section size");
    const start = r.pos;
    if (size > r.remaining()) r.fail(`core module section ${id}: size ${size} exceeds the ${r.remaining()} bytes left`, start);
    const s = new Reader(bytes, start, start + size, base);
    switch (id) {
      case 1: { // type
        const n = s.count("core type", 1);
        for (let i = 0; i < n; i++) {
          const form = s.u8("core type form");
          if (form !== 0x60) { types.push(null); s.pos = s.end; break; } // GC types: left to the core validator
          const np = s.count("params");
          const params: CoreValType[] = [];
          let ok = true;
          for (let k = 0; k < np; k++) { const t = valtype(s); if (t === "other") ok = false; else params.push(t); }
          const nr = s.count("results");
          const results: CoreValType[] = [];
          for (let k = 0; k < nr; k++) { const t = valtype(s); if (t === "other") ok = false; else results.push(t); }
          types.push(ok ? { params, results } : null);
        }
        break;
      }
      case 2: { // import
        const n = s.count("core import", 3);
        for (let i = 0; i < n; i++) {
          const module = s.name("import module name");
          const name = s.name("import name");
          const k = s.u8("import kind");
          switch (k) {
            case 0x00: { const ti = s.u32("type index"); funcTypes.push(types[ti] ?? null); break; }
            case 0x01: valtype(s); limits(s); break;
            case 0x02: memory64.push(limits(s)); break;
            case 0x03: valtype(s); s.u8("mutability"); break;
            case 0x04: s.u8("tag attribute"); s.u32("tag type"); break;
            default: s.fail(`invalid core import kind 0x${k.toString(16)}`, s.pos - 1);
          }
          imports.push({ module, name, kind: KINDS[k] });
        }
        break;
      }
      case 3: { // function
        const n = s.count("core function", 1);
        for (let i = 0; i < n; i++) funcTypes.push(types[s.u32("type index")] ?? null);
        break;
      }
      case 5: { // memory
        const n = s.count("core memory", 2);
        for (let i = 0; i < n; i++) memory64.push(limits(s));
        break;
      }
      case 7: { // export
        const n = s.count("core export", 3);
        for (let i = 0; i < n; i++) {
          const name = s.name("export name");
          const k = s.u8("export kind");
          if (k > 4) s.fail(`invalid core export kind 0x${k.toString(16)}`, s.pos - 1);
          exports.push({ name, kind: KINDS[k], index: s.u32("export index") });
        }
        break;
      }
      default:
        break;
    }
    r.pos = start + size;
  }
  return { size: bytes.length, imports, exports, funcTypes, memory64 };
}
