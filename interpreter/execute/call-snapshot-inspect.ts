/**
 * Looking inside an execution snapshot (issue 16, `pureflow-wasm replay --stop-at-fuel N --dump`):
 * reads a snapshot of `call-snapshot.ts` — without restoring or running anything — into the call
 * stack (instance, function index in the module's function index space, its name from the name
 * section, the position), the locals of each frame with their types and values, the frame's other
 * value slots (operands and the translator's scratch slots, raw), every instance's globals, and
 * its memories (read any range). The modules are found among `moduleBytes` by their sha256.
 *
 * A position is the offset of the stopped op (or, for a caller, of the op it continues at) in the
 * function's translated code: the translator keeps no map back to wasm byte offsets.
 */
import type { ModuleInfo } from "../decode/module.js";
import { valTypeName } from "../decode/module.js";
import { SnapshotError } from "../instantiate/snapshot.js";
import { sha256Hex } from "../runtime/sha256.js";
import { readEnvelope } from "./call-snapshot.js";

/** The v128 value type. */
const V128 = 0x7b;

/** A value slot as the dump shows it. */
export interface InspectedValue {
  /** Its type (`i32`, `i64`, `f32`, `f64`, `funcref`, ...), or null for a slot of unknown type. */
  readonly type: string | null;
  /** The value as text: integers in decimal, floats as numbers with their bits, references by place, unknown slots as 64-bit hex. */
  readonly value: string;
}

/** One frame of the call stack. */
export interface InspectedFrame {
  /** Instance of the group (index in the snapshot's instance list). */
  readonly instance: number;
  /** Function index in its module's function index space (imported functions first). */
  readonly function: number;
  /** Its name from the name section, or null. */
  readonly name: string | null;
  /** Offset of the op it stopped at (or continues at) in the function's translated code. */
  readonly offset: number;
  /** Parameters and declared locals, in index order (names from the name section when present). */
  readonly locals: readonly (InspectedValue & { readonly index: number; readonly name: string | null })[];
  /** The frame's other value slots (operands and scratch slots), in slot order. */
  readonly slots: readonly InspectedValue[];
}

/** What an execution snapshot holds, readable. */
export interface CallSnapshotInspection {
  readonly fuel: { readonly remaining: number; readonly consumed: number; readonly credit: number; readonly required: number };
  readonly costs: string;
  readonly canonicalizeNaNs: boolean;
  /** The modules of the group: sha256, size, and the module's name from its name section. */
  readonly modules: readonly { readonly sha256: string; readonly size: number; readonly name: string | null }[];
  /** The call stack, outermost first; the last frame is where the call stopped. */
  readonly frames: readonly InspectedFrame[];
  /** Defined globals of each instance. */
  readonly globals: readonly (readonly (InspectedValue & { readonly index: number })[])[];
  /** Defined memories of each instance: index, size in pages. */
  readonly memories: readonly (readonly { readonly index: number; readonly pages: number }[])[];
  /** Bytes `[start, start + length)` of memory `index` of instance `instance` (zero beyond the captured runs; clipped at the memory's end). */
  readMemory(instance: number, index: number, start: number, length: number): Uint8Array;
}

function hex64(lo: number, hi: number): string {
  return `0x${(hi >>> 0).toString(16).padStart(8, "0")}${(lo >>> 0).toString(16).padStart(8, "0")}`;
}

/** A v128 from its four words, as the text format writes it (`i32x4` lanes in hex). */
function v128Text(w: readonly number[]): InspectedValue {
  return { type: "v128", value: `i32x4 ${w.map((x) => `0x${(x >>> 0).toString(16).padStart(8, "0")}`).join(" ")}` };
}

/** A value from its two words and type (a v128's four words are `lo`, `hi`, `w2`, `w3`). */
function valueText(type: number | null, lo: number, hi: number, ref: { k: number; i: number } | null | undefined, w2 = 0, w3 = 0): InspectedValue {
  const name = type === null ? null : valTypeName(type);
  switch (name) {
    case "v128": return v128Text([lo, hi, w2, w3]);
    case "i32": return { type: name, value: String(lo | 0) };
    case "i64": return { type: name, value: String(BigInt.asIntN(64, (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0))) };
    case "f32": {
      const f = new Float32Array(new Uint32Array([lo >>> 0]).buffer)[0]!;
      return { type: name, value: `${f} (0x${(lo >>> 0).toString(16).padStart(8, "0")})` };
    }
    case "f64": {
      const f = new Float64Array(new Uint32Array([lo >>> 0, hi >>> 0]).buffer)[0]!;
      return { type: name, value: `${f} (${hex64(lo, hi)})` };
    }
    case null: return { type: null, value: ref ? `ref (instance ${ref.k}, function ${ref.i})` : hex64(lo, hi) };
    default: return { type: name, value: ref ? `function ${ref.i} of instance ${ref.k}` : "null" };
  }
}

/**
 * Reads `bytes` (an execution snapshot) with the modules it names, found among `moduleBytes` by
 * sha256. @throws SnapshotError when the snapshot is damaged or a module is missing
 */
export function inspectCall(bytes: Uint8Array, moduleBytes: readonly Uint8Array[], infoOf: (bytes: Uint8Array) => ModuleInfo): CallSnapshotInspection {
  const { body, blob } = readEnvelope(bytes);
  const bySha = new Map<string, Uint8Array>();
  for (const b of moduleBytes) bySha.set(sha256Hex(b), b);
  const infos = body.modules.map((m, k) => {
    const b = bySha.get(m.sha256);
    if (b === undefined) throw new SnapshotError(`instance ${k}: no module with sha256 ${m.sha256.slice(0, 16)}… among the ${moduleBytes.length} given`);
    return infoOf(b);
  });
  const words = new Int32Array(blob.slice(body.values[0], body.values[0] + body.values[1]).buffer);
  const refAt = new Map<number, { k: number; i: number } | null>(body.refs.map(([s, r]) => [s, r]));
  const slot = (word: number): [number, number] => [words[word] ?? 0, words[word + 1] ?? 0];

  const positions = [...body.frames, body.at];
  const frames = positions.map((p, n): InspectedFrame => {
    const info = infos[p.k]!;
    const index = info.importedFuncCount + p.f;
    const type = info.types[info.funcs[p.f]!]!;
    const localTypes: number[] = [...type.params];
    for (const run of info.codes[p.f]!.locals) for (let i = 0; i < run.count; i++) localTypes.push(run.type);
    const fp = p.fp;
    const end = n + 1 < positions.length ? positions[n + 1]!.fp : body.words;
    const nSlots = Math.max(0, (end - fp) >> 1);
    const localNames = info.names?.locals.get(index);
    // a v128 takes two slots (translate/simd.ts), every other value one
    const locals: (InspectedValue & { index: number; name: string | null })[] = [];
    let at = 0;
    for (let i = 0; i < localTypes.length; i++) {
      const t = localTypes[i]!, width = t === V128 ? 2 : 1;
      if (at + width > nSlots) break;
      const [lo, hi] = slot(fp + 2 * at);
      const [w2, w3] = width === 2 ? slot(fp + 2 * at + 2) : [0, 0];
      locals.push({ index: i, name: localNames?.get(i) ?? null, ...valueText(t, lo, hi, refAt.get((fp >> 1) + at), w2, w3) });
      at += width;
    }
    const slots: InspectedValue[] = [];
    for (let s = at; s < nSlots; s++) {
      const [lo, hi] = slot(fp + 2 * s);
      slots.push(valueText(null, lo, hi, refAt.get((fp >> 1) + s)));
    }
    return { instance: p.k, function: index, name: info.names?.functions.get(index) ?? null, offset: p.off, locals, slots };
  });

  const globals = body.instances.map((st, k) => st.globals.map((g) => ({ index: g.index, ...(g.v128 !== undefined ? v128Text(g.v128) : valueText(infos[k]!.globals[g.index - infos[k]!.importedGlobalCount]?.type.valType ?? null, g.lo, g.hi, g.ref)) })));
  const memories = body.instances.map((st) => st.memories.map((m) => ({ index: m.index, pages: m.pages })));
  return {
    fuel: { ...body.fuel },
    costs: body.costs,
    canonicalizeNaNs: body.canonicalizeNaNs,
    modules: body.modules.map((m, k) => ({ sha256: m.sha256, size: m.size, name: infos[k]!.names?.module ?? null })),
    frames,
    globals,
    memories,
    readMemory(instance: number, index: number, start: number, length: number): Uint8Array {
      const m = body.instances[instance]?.memories.find((x) => x.index === index);
      if (m === undefined) throw new SnapshotError(`instance ${instance} has no defined memory ${index} in the snapshot`);
      const size = m.pages * 65536;
      const from = Math.min(Math.max(0, start), size);
      const out = new Uint8Array(Math.max(0, Math.min(size, from + length) - from));
      for (const [offset, [o, n]] of m.runs) {
        const a = Math.max(offset, from), b = Math.min(offset + n, from + out.length);
        if (a < b) out.set(blob.subarray(o + (a - offset), o + (b - offset)), a - from);
      }
      return out;
    },
  };
}
