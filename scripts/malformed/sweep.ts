/**
 * The systematic sweep: instead of random choices, every LEB128 field of a seed (every count,
 * size, index, limit, alignment and offset that `fieldSites` finds, in every section, and inside
 * the core modules and nested components of a component) is rewritten with each of a fixed list
 * of hostile encodings (huge counts 2^32-1 / 2^31 / 2^28, a valid 5-byte overlong form, a 6-byte
 * overlong form, a too-large 5th byte, an unterminated LEB128), with section sizes kept true so the
 * decoder reaches the field. Deterministic: the n-th mutant of a seed is always the same.
 */
import { fieldSites } from "./field-sites.js";
import { uleb, unterminated } from "./leb128.js";
import { encodeSections, parseSections, splice } from "./sections.js";
import type { Seed } from "./seeds.js";

/** One sweep mutant. */
export interface SweepMutant {
  readonly bytes: Uint8Array;
  readonly what: string;
}

const ENCODINGS: readonly ((v: number) => { bytes: Uint8Array; what: string })[] = [
  () => ({ bytes: uleb(2 ** 32 - 1), what: "2^32-1" }),
  () => ({ bytes: uleb(2 ** 31), what: "2^31" }),
  () => ({ bytes: uleb(2 ** 28), what: "2^28" }),
  (v) => ({ bytes: uleb(v, 5), what: `${v} as 5-byte overlong (valid)` }),
  (v) => ({ bytes: uleb(v, 6), what: `${v} as 6-byte overlong (malformed)` }),
  (v) => {
    const b = uleb(v % 2 ** 28, 5);
    b[4] = 0x70 | (b[4]! & 0x0f);
    return { bytes: b, what: "5 bytes with bits above 2^32 (too large)" };
  },
  () => ({ bytes: unterminated(3), what: "unterminated" }),
];

const SWEPT_KINDS = new Set(["count", "size", "index", "limit", "align", "offset"]);

function* sweepBinary(kind: "core" | "component", bytes: Uint8Array, path: string): Generator<SweepMutant> {
  const list = parseSections(bytes);
  if (list === undefined) return;
  for (let i = 0; i < list.sections.length; i++) {
    const s = list.sections[i]!;
    const replaceContent = (content: Uint8Array): Uint8Array => {
      const sections = [...list.sections];
      sections[i] = { id: s.id, content };
      return encodeSections({ preamble: list.preamble, sections });
    };
    for (const site of fieldSites(kind, s.id, s.content)) {
      if (!SWEPT_KINDS.has(site.kind)) continue;
      for (const enc of ENCODINGS) {
        const e = enc(site.value);
        yield { bytes: replaceContent(splice(s.content, site.at, site.length, e.bytes)), what: `${path}section ${i} (id ${s.id}) ${site.kind} at content+${site.at} (was ${site.value}) -> ${e.what}` };
      }
    }
    if (kind === "component" && (s.id === 1 || s.id === 4)) {
      for (const inner of sweepBinary(s.id === 1 ? "core" : "component", s.content, `${path}in section ${i} (id ${s.id}): `)) {
        yield { bytes: replaceContent(inner.bytes), what: inner.what };
      }
    }
  }
}

/** Every sweep mutant of `seed`. */
export function sweep(seed: Seed): Generator<SweepMutant> {
  return sweepBinary(seed.kind, seed.bytes, "");
}
