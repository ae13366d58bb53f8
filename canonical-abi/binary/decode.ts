/**
 * The component binary decoder (Binary.md): preamble, then sections in order. Each section's
 * items become `Definition`s in the order they appear, which is the order the index spaces
 * grow. Nested components (section 4) are decoded recursively; embedded core modules
 * (section 1) are kept as bytes plus the facts `readCoreModuleInfo` extracts.
 *
 * Refused with `UnsupportedComponentFeatureError`: the start (9) and value (12) sections,
 * canonical builtins other than `lift`/`lower` (resources, async, threads, streams, ...),
 * canonical options `async`/`callback`/core-type/gc, and every unsupported type (see
 * `types.ts`). A core module where a component is expected is a `NotAComponentError`.
 */
import { NotAComponentError, UnsupportedComponentFeatureError } from "../errors.js";
import type { StringEncoding } from "../abi/context.js";
import type { Canon, CanonOpt, ComponentAst, ComponentNames, CoreInstanceExpr, Definition, InstanceExpr } from "./ast.js";
import { readCoreModuleInfo } from "./core-module.js";
import { readComponentNames } from "./names.js";
import { Reader } from "./reader.js";
import { readAlias, readCoreSort, readCoreType, readExternDesc, readExternName, readSort, readTypeDef } from "./types.js";

const SECTION_NAMES = ["custom", "core module", "core instance", "core type", "component", "instance", "alias", "type", "canon", "start", "import", "export", "value"];

/** Decodes a component binary. Throws only `ComponentError`s. */
export function decodeComponent(bytes: Uint8Array): ComponentAst {
  if (!(bytes instanceof Uint8Array)) throw new NotAComponentError("expected the component's bytes as a Uint8Array");
  checkPreamble(bytes);
  return decodeAt(bytes, 0, bytes.length, 0, 0);
}

function checkPreamble(bytes: Uint8Array): void {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new NotAComponentError(bytes.length < 4 ? `not a WebAssembly binary: only ${bytes.length} bytes` : "not a WebAssembly binary: bad magic number (expected 00 61 73 6d)");
  }
  const version = bytes[4] | (bytes[5] << 8);
  const layer = bytes[6] | (bytes[7] << 8);
  if (layer === 0) {
    if (version === 1) throw new NotAComponentError("this is a core WebAssembly module (layer 0), not a component; wrap it into a component first (e.g. `jco new` / `wasm-tools component new`)");
    throw new NotAComponentError(`not a component: layer 0 with version 0x${version.toString(16)} (a malformed component header?)`);
  }
  if (layer !== 1) throw new NotAComponentError(`not a component: unknown layer ${layer}`);
  if (version !== 0x0d) throw new UnsupportedComponentFeatureError(`component binary version 0x${version.toString(16)} not supported (expected 0x0d)`, 4);
}

function decodeAt(bytes: Uint8Array, start: number, end: number, base: number, depth: number): ComponentAst {
  if (depth > 100) throw new UnsupportedComponentFeatureError("components nested more than 100 deep", base + start);
  const r = new Reader(bytes, start + 8, end, base);
  const defs: Definition[] = [];
  let names: ComponentNames = { component: null, sorts: new Map() };
  while (!r.atEnd()) {
    const idAt = r.pos;
    const id = r.u8("section id");
    const size = r.u32("section size");
    const s0 = r.pos;
    if (size > r.remaining()) r.fail(`${SECTION_NAMES[id] ?? "unknown"} section size ${size} exceeds the ${r.remaining()} bytes left`, idAt + 1);
    const s = new Reader(bytes, s0, s0 + size, base);
    switch (id) {
      case 0: {
        const name = s.name("custom section name");
        if (name === "component-name") names = readComponentNames(s);
        s.pos = s.end;
        break;
      }
      case 1: {
        const mod = s.take(size, "core module");
        const info = readCoreModuleInfo(mod, base + s0);
        defs.push({ kind: "core-module", offset: base + s0, bytes: mod, info });
        break;
      }
      case 2: {
        const n = s.count("core instance", 2);
        for (let i = 0; i < n; i++) defs.push({ kind: "core-instance", offset: s.offset(), expr: readCoreInstance(s) });
        break;
      }
      case 3: {
        const n = s.count("core type", 1);
        for (let i = 0; i < n; i++) defs.push({ kind: "core-type", offset: s.offset(), type: readCoreType(s) });
        break;
      }
      case 4: {
        const at = s.pos;
        const pre = s.take(Math.min(8, size), "nested component preamble");
        if (pre.length < 8 || pre[0] !== 0 || pre[1] !== 0x61 || pre[2] !== 0x73 || pre[3] !== 0x6d || pre[6] !== 1 || pre[7] !== 0) s.fail("nested component: bad preamble (expected 00 61 73 6d 0d 00 01 00)", at);
        if (pre[4] !== 0x0d || pre[5] !== 0) throw new UnsupportedComponentFeatureError(`nested component binary version 0x${pre[4].toString(16)} not supported (expected 0x0d)`, base + at + 4);
        const inner = decodeAt(bytes.subarray(s0, s0 + size), 0, size, base + s0, depth + 1);
        defs.push({ kind: "component", offset: base + s0, component: inner });
        s.pos = s.end;
        break;
      }
      case 5: {
        const n = s.count("instance", 2);
        for (let i = 0; i < n; i++) defs.push({ kind: "instance", offset: s.offset(), expr: readInstance(s) });
        break;
      }
      case 6: {
        const n = s.count("alias", 3);
        for (let i = 0; i < n; i++) defs.push({ kind: "alias", offset: s.offset(), alias: readAlias(s) });
        break;
      }
      case 7: {
        const n = s.count("type", 1);
        for (let i = 0; i < n; i++) defs.push({ kind: "type", offset: s.offset(), type: readTypeDef(s) });
        break;
      }
      case 8: {
        const n = s.count("canon", 1);
        for (let i = 0; i < n; i++) defs.push({ kind: "canon", offset: s.offset(), canon: readCanon(s) });
        break;
      }
      case 9: throw new UnsupportedComponentFeatureError("start section (🪙 component start functions)", base + idAt);
      case 10: {
        const n = s.count("import", 3);
        for (let i = 0; i < n; i++) {
          const offset = s.offset();
          defs.push({ kind: "import", offset, name: readExternName(s, "import"), desc: readExternDesc(s) });
        }
        break;
      }
      case 11: {
        const n = s.count("export", 3);
        for (let i = 0; i < n; i++) {
          const offset = s.offset();
          const name = readExternName(s, "export");
          const sort = readSort(s);
          const index = s.u32("export index");
          const at = s.pos;
          const has = s.u8("export type ascription flag");
          let desc = null;
          if (has === 1) desc = readExternDesc(s);
          else if (has !== 0) s.fail(`invalid export type ascription flag 0x${has.toString(16)}`, at);
          defs.push({ kind: "export", offset, name, sort, index, desc });
        }
        break;
      }
      case 12: throw new UnsupportedComponentFeatureError("value section (🪙 component values)", base + idAt);
      default: r.fail(`unknown section id ${id}`, idAt);
    }
    if (!s.atEnd()) s.fail(`${SECTION_NAMES[id]} section: ${s.remaining()} unread bytes at the end of the section`);
    r.pos = s0 + size;
  }
  return { definitions: defs, names, offset: base + start, size: end - start };
}

function readCoreInstance(r: Reader): CoreInstanceExpr {
  const at = r.pos;
  const k = r.u8("core instance expression");
  if (k === 0x00) {
    const module = r.u32("module index");
    const n = r.count("instantiate argument", 3);
    const args = [];
    for (let i = 0; i < n; i++) {
      const name = r.name("instantiate argument name");
      const sat = r.pos;
      const sort = r.u8("instantiate argument sort");
      if (sort !== 0x12) r.fail(`core instantiate argument \`${name}\` must be a core instance (sort 0x12), found 0x${sort.toString(16)}`, sat);
      args.push({ name, instance: r.u32("core instance index") });
    }
    return { kind: "instantiate", module, args };
  }
  if (k === 0x01) {
    const n = r.count("inline export", 3);
    const exports = [];
    for (let i = 0; i < n; i++) exports.push({ name: r.name("inline export name"), sort: readCoreSort(r), index: r.u32("index") });
    return { kind: "exports", exports };
  }
  return r.fail(`invalid core instance expression 0x${k.toString(16)}`, at);
}

function readInstance(r: Reader): InstanceExpr {
  const at = r.pos;
  const k = r.u8("instance expression");
  if (k === 0x00) {
    const component = r.u32("component index");
    const n = r.count("instantiate argument", 3);
    const args = [];
    for (let i = 0; i < n; i++) args.push({ name: r.name("instantiate argument name"), sort: readSort(r), index: r.u32("index") });
    return { kind: "instantiate", component, args };
  }
  if (k === 0x01) {
    const n = r.count("inline export", 3);
    const exports = [];
    for (let i = 0; i < n; i++) exports.push({ name: readExternName(r, "inline export"), sort: readSort(r), index: r.u32("index") });
    return { kind: "exports", exports };
  }
  return r.fail(`invalid instance expression 0x${k.toString(16)}`, at);
}

function readCanonOpts(r: Reader): CanonOpt[] {
  const n = r.count("canonical option", 1);
  const opts: CanonOpt[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const k = r.u8("canonical option");
    switch (k) {
      case 0x00: case 0x01: case 0x02: {
        const encoding: StringEncoding = k === 0 ? "utf8" : k === 1 ? "utf16" : "latin1+utf16";
        opts.push({ kind: "string-encoding", encoding });
        break;
      }
      case 0x03: opts.push({ kind: "memory", index: r.u32("memory index") }); break;
      case 0x04: opts.push({ kind: "realloc", index: r.u32("realloc index") }); break;
      case 0x05: opts.push({ kind: "post-return", index: r.u32("post-return index") }); break;
      case 0x06: throw new UnsupportedComponentFeatureError("canonical option `async` (0x06)", r.base + at);
      case 0x07: throw new UnsupportedComponentFeatureError("canonical option `callback` (0x07)", r.base + at);
      case 0x08: throw new UnsupportedComponentFeatureError("canonical option `core-type` (0x08, GC ABI)", r.base + at);
      case 0x09: throw new UnsupportedComponentFeatureError("canonical option `gc` (0x09, GC ABI)", r.base + at);
      default: r.fail(`invalid canonical option 0x${k.toString(16)}`, at);
    }
  }
  return opts;
}

function readCanon(r: Reader): Canon {
  const at = r.pos;
  const k = r.u8("canon opcode");
  switch (k) {
    case 0x00: {
      const s = r.u8("canon lift sort");
      if (s !== 0x00) r.fail(`canon lift: expected 0x00 (core func sort), found 0x${s.toString(16)}`, r.pos - 1);
      const coreFunc = r.u32("core function index");
      const options = readCanonOpts(r);
      return { kind: "lift", coreFunc, options, type: r.u32("type index") };
    }
    case 0x01: {
      const s = r.u8("canon lower sort");
      if (s !== 0x00) r.fail(`canon lower: expected 0x00 (func sort), found 0x${s.toString(16)}`, r.pos - 1);
      const func = r.u32("function index");
      return { kind: "lower", func, options: readCanonOpts(r) };
    }
    case 0x02: case 0x03: case 0x04: case 0x07:
      throw new UnsupportedComponentFeatureError(`canonical resource builtin 0x${k.toString(16).padStart(2, "0")} (resource.new/drop/rep)`, r.base + at);
    default:
      throw new UnsupportedComponentFeatureError(`unsupported canonical builtin 0x${k.toString(16).padStart(2, "0")} (async, threads, streams, futures, error-context and the like)`, r.base + at);
  }
}
