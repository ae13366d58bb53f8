/**
 * The mutations of the malformed-input fuzzer. A case applies a few *structural* mutations (on
 * the section model, so sizes stay true unless the mutation is itself a size lie, and the decoder
 * gets past the framing to the field that was hit), then possibly a few *raw* byte mutations.
 * Structural mutations: LEB128 fields rewritten (overlong, too large, unterminated, out-of-range,
 * huge counts 2^32-1 / 2^31 ...), section length lies, truncated, duplicated, reordered, removed
 * sections, sections spliced in from another seed, byte noise inside one section, and (for
 * components) any of these applied inside an embedded core module or nested component, or an
 * embedded core module swapped for another corpus module. Raw
 * mutations: bit flips, byte sets, insertions, deletions, truncations, LEB128s written anywhere.
 * Every step is described in words for the reproducer.
 */
import { fieldSites, type Site } from "./field-sites.js";
import { mutateSleb, mutateUleb, readUleb, uleb, unterminated, type FieldEncoding } from "./leb128.js";
import type { Rng } from "./prng.js";
import { concat, encodeSections, parseSections, splice, type Section } from "./sections.js";
import type { Corpus, Seed } from "./seeds.js";

/** A mutated input and the steps that made it. */
export interface Mutant {
  readonly bytes: Uint8Array;
  readonly steps: readonly string[];
}

type Kind = "core" | "component";

const HUGE_COUNTS = [2 ** 32 - 1, 2 ** 31, 2 ** 32 - 2, 2 ** 31 - 1, 2 ** 28, 2 ** 28 - 1, 1_000_000, 100_000];
const TAG_VALUES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x40, 0x60, 0x5f, 0x6f, 0x70, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff];

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function encodeField(rng: Rng, site: Site): FieldEncoding {
  if (site.kind === "const32" || site.kind === "const64") return mutateSleb(rng, site.kind === "const32" ? 32 : 64);
  if (site.kind === "tag") {
    const v = rng.bool(0.7) ? rng.pick(TAG_VALUES) : rng.int(256);
    return { bytes: Uint8Array.of(v), what: `tag ${hex(v)}` };
  }
  if (site.kind === "count" && rng.bool(0.5)) {
    const v = rng.pick(HUGE_COUNTS);
    const pad = rng.bool(0.2) ? 5 : 1;
    return { bytes: uleb(v, pad), what: `huge count ${v}${pad > 1 ? " (5 bytes)" : ""}` };
  }
  return mutateUleb(site.value, rng);
}

/** A section chosen at random, preferring ones that have fields. */
function pickSectionWithSites(rng: Rng, kind: Kind, sections: readonly Section[]): { index: number; sites: Site[] } | undefined {
  for (let tries = 0; tries < 6; tries++) {
    const index = rng.int(sections.length);
    const sites = fieldSites(kind, sections[index]!.id, sections[index]!.content);
    if (sites.length > 0) return { index, sites };
  }
  return undefined;
}

function sizeLie(rng: Rng, len: number): FieldEncoding {
  switch (rng.int(7)) {
    case 0: {
      const d = 1 + rng.int(Math.min(8, Math.max(1, len)));
      return { bytes: uleb(Math.max(0, len - d)), what: `size ${len} -> ${Math.max(0, len - d)} (too short)` };
    }
    case 1: {
      const d = 1 + rng.int(16);
      return { bytes: uleb(len + d), what: `size ${len} -> ${len + d} (too long)` };
    }
    case 2: {
      const v = rng.pick([2 ** 32 - 1, 2 ** 31, 2 ** 30, 0x7fffffff, 1 << 20]);
      return { bytes: uleb(v), what: `size ${len} -> ${v} (huge)` };
    }
    case 3: return { bytes: uleb(0), what: `size ${len} -> 0` };
    case 4: return { bytes: uleb(len, 5), what: `size ${len} as 5-byte overlong (valid)` };
    case 5: return { bytes: uleb(len, 6 + rng.int(3)), what: `size ${len} as overlong LEB128 > 5 bytes` };
    default: return { bytes: unterminated(1 + rng.int(5)), what: "size as unterminated LEB128" };
  }
}

function otherSection(rng: Rng, kind: Kind, corpus: Corpus): { section: Section; from: string } | undefined {
  const pool = kind === "core" ? corpus.core : corpus.component;
  if (pool.length === 0) return undefined;
  const seed = rng.pick(pool);
  const list = parseSections(seed.bytes);
  if (list === undefined || list.sections.length === 0) return undefined;
  const i = rng.int(list.sections.length);
  return { section: list.sections[i]!, from: `${seed.name} section ${i}` };
}

/** One structural mutation of `bytes` (a core module or component); undefined when it does not apply. */
function structuralOnce(rng: Rng, kind: Kind, bytes: Uint8Array, corpus: Corpus, depth: number): Mutant | undefined {
  const list = parseSections(bytes);
  if (list === undefined) return undefined;
  const sections = [...list.sections];
  const n = sections.length;
  const describe = (i: number): string => `section ${i} (id ${sections[i]!.id})`;
  const rebuild = (steps: string[]): Mutant => ({ bytes: encodeSections({ preamble: list.preamble, sections }), steps });
  const nestedCandidates = kind === "component" ? sections.map((s, i) => (s.id === 1 || s.id === 4 ? i : -1)).filter((i) => i >= 0) : [];
  const weights = [
    30, // 0 field rewrite
    8, //  1 LEB at a random content offset
    9, //  2 size lie
    5, //  3 truncate content
    5, //  4 duplicate
    5, //  5 swap / move
    4, //  6 remove
    7, //  7 splice from another seed
    6, //  8 byte noise inside a section
    nestedCandidates.length > 0 && depth < 3 ? 35 : 0, // 9 inside an embedded module / component
    2, // 10 preamble
    2, // 11 unknown / extra section
    nestedCandidates.some((i) => sections[i]!.id === 1) && corpus.core.length > 0 ? 5 : 0, // 12 embedded core module swapped for a corpus module
  ];
  const op = n === 0 ? rng.pick([7, 10, 11]) : rng.weighted(weights);
  switch (op) {
    case 0: {
      const chosen = pickSectionWithSites(rng, kind, sections);
      if (chosen === undefined) return undefined;
      const s = sections[chosen.index]!;
      const site = rng.pick(chosen.sites);
      const enc = encodeField(rng, site);
      sections[chosen.index] = { id: s.id, content: splice(s.content, site.at, site.length, enc.bytes) };
      return rebuild([`${describe(chosen.index)}: ${site.kind} field at content+${site.at} (was ${site.value}) -> ${enc.what}`]);
    }
    case 1: {
      const i = rng.int(n);
      const s = sections[i]!;
      if (s.content.length === 0) return undefined;
      const at = rng.int(s.content.length);
      const f = readUleb(s.content, at, s.content.length);
      if (f === undefined) return undefined;
      const enc = mutateUleb(f.value, rng);
      sections[i] = { id: s.id, content: splice(s.content, at, f.length, enc.bytes) };
      return rebuild([`${describe(i)}: LEB128 at content+${at} (was ${f.value}) -> ${enc.what}`]);
    }
    case 2: {
      const i = rng.int(n);
      const s = sections[i]!;
      const lie = sizeLie(rng, s.content.length);
      sections[i] = { id: s.id, content: s.content, sizeBytes: lie.bytes };
      return rebuild([`${describe(i)}: length lie, ${lie.what}`]);
    }
    case 3: {
      const i = rng.int(n);
      const s = sections[i]!;
      const cut = rng.int(s.content.length + 1);
      sections[i] = { id: s.id, content: s.content.subarray(0, cut) };
      return rebuild([`${describe(i)}: content truncated to ${cut} of ${s.content.length} bytes (size kept true)`]);
    }
    case 4: {
      const i = rng.int(n);
      const to = rng.bool(0.5) ? i + 1 : rng.int(n + 1);
      const what = describe(i);
      sections.splice(to, 0, sections[i]!);
      return rebuild([`${what}: duplicated at position ${to}`]);
    }
    case 5: {
      const i = rng.int(n);
      const j = rng.int(n);
      const t = sections[i]!;
      sections[i] = sections[j]!;
      sections[j] = t;
      return rebuild([`sections ${i} (id ${t.id}) and ${j} (id ${sections[i]!.id}) swapped`]);
    }
    case 6: {
      const i = rng.int(n);
      const what = describe(i);
      sections.splice(i, 1);
      return rebuild([`${what}: removed`]);
    }
    case 7: {
      const other = otherSection(rng, kind, corpus);
      if (other === undefined) return undefined;
      const replace = n > 0 && rng.bool(0.5);
      const at = replace ? rng.int(n) : rng.int(n + 1);
      sections.splice(at, replace ? 1 : 0, other.section);
      return rebuild([`${replace ? "replaced" : "inserted at"} position ${at} with ${other.from} (id ${other.section.id})`]);
    }
    case 8: {
      const i = rng.int(n);
      const s = sections[i]!;
      if (s.content.length === 0) return undefined;
      const c = Uint8Array.from(s.content);
      const k = 1 + rng.int(3);
      const where: string[] = [];
      for (let j = 0; j < k; j++) {
        const at = rng.int(c.length);
        if (rng.bool(0.5)) c[at]! ^= 1 << rng.int(8);
        else c[at] = rng.int(256);
        where.push(`+${at}=${hex(c[at]!)}`);
      }
      sections[i] = { id: s.id, content: c };
      return rebuild([`${describe(i)}: content bytes ${where.join(" ")}`]);
    }
    case 9: {
      const i = rng.pick(nestedCandidates);
      const s = sections[i]!;
      const innerKind: Kind = s.id === 1 ? "core" : "component";
      const inner = structural(rng, innerKind, s.content, corpus, depth + 1, 1 + (rng.bool(0.25) ? 1 : 0));
      if (inner === undefined) return undefined;
      sections[i] = { id: s.id, content: inner.bytes };
      return rebuild(inner.steps.map((t) => `in ${describe(i)} (${innerKind === "core" ? "core module" : "component"}): ${t}`));
    }
    case 10: {
      const pre = Uint8Array.from(list.preamble);
      const at = 4 + rng.int(4);
      pre[at] = rng.pick([0, 1, 2, 0x0d, 0xff]);
      return { bytes: encodeSections({ preamble: pre, sections }), steps: [`preamble byte ${at} -> ${hex(pre[at]!)}`] };
    }
    case 12: {
      const i = rng.pick(nestedCandidates.filter((k) => sections[k]!.id === 1));
      const seed = rng.pick(corpus.core);
      sections[i] = { id: 1, content: seed.bytes };
      return rebuild([`${describe(i)}: embedded core module replaced by ${seed.name}`]);
    }
    default: {
      const id = rng.pick(kind === "core" ? [13, 14, 0x7f, 0xff, 12, 0] : [12, 13, 14, 0x7f, 0xff, 0]);
      const content = rng.bytes(rng.int(8));
      const at = rng.int(n + 1);
      sections.splice(at, 0, { id, content });
      return rebuild([`extra section id ${id} (${content.length} random bytes) at position ${at}`]);
    }
  }
}

/** `count` structural mutations in a row (fewer if some do not apply). */
function structural(rng: Rng, kind: Kind, bytes: Uint8Array, corpus: Corpus, depth: number, count: number): Mutant | undefined {
  let cur = bytes;
  const steps: string[] = [];
  for (let k = 0; k < count; k++) {
    let m: Mutant | undefined;
    for (let tries = 0; tries < 4 && m === undefined; tries++) m = structuralOnce(rng, kind, cur, corpus, depth);
    if (m === undefined) continue;
    cur = m.bytes;
    steps.push(...m.steps);
  }
  return steps.length === 0 ? undefined : { bytes: cur, steps };
}

/** One raw byte-level mutation. */
function rawOnce(rng: Rng, b: Uint8Array): Mutant {
  const len = b.length;
  switch (len === 0 ? 2 : rng.weighted([25, 12, 14, 14, 12, 10, 6])) {
    case 0: {
      const c = Uint8Array.from(b);
      const k = 1 + rng.int(4);
      const at: number[] = [];
      for (let i = 0; i < k; i++) {
        const p = rng.int(len);
        const bit = rng.int(8);
        c[p]! ^= 1 << bit;
        at.push(p * 8 + bit);
      }
      return { bytes: c, steps: [`bit flips at bits ${at.join(",")}`] };
    }
    case 1: {
      const c = Uint8Array.from(b);
      const p = rng.int(len);
      c[p] = rng.bool(0.5) ? rng.pick([0x00, 0x7f, 0x80, 0xff, 0x0b, 0x40]) : rng.int(256);
      return { bytes: c, steps: [`byte ${p} -> ${hex(c[p]!)}`] };
    }
    case 2: {
      const p = rng.int(len + 1);
      const ins = rng.bool(0.3) && len > 0 ? b.slice(rng.int(len), undefined).subarray(0, 1 + rng.int(16)) : rng.bytes(1 + rng.int(8));
      return { bytes: splice(b, p, 0, ins), steps: [`inserted ${ins.length} bytes at ${p}`] };
    }
    case 3: {
      const p = rng.int(len);
      const k = Math.min(len - p, 1 + rng.int(rng.bool(0.8) ? 4 : 64));
      return { bytes: splice(b, p, k, new Uint8Array(0)), steps: [`deleted ${k} bytes at ${p}`] };
    }
    case 4: {
      const p = rng.bool(0.2) ? rng.int(Math.min(len, 12)) : rng.int(len);
      return { bytes: b.slice(0, p), steps: [`truncated to ${p} bytes`] };
    }
    case 5: {
      const p = len <= 8 ? rng.int(len + 1) : 8 + rng.int(len - 8);
      const f = readUleb(b, p, len);
      const enc = mutateUleb(f?.value ?? 0, rng);
      return { bytes: splice(b, p, f?.length ?? 0, enc.bytes), steps: [`${f ? "LEB128" : "inserted LEB128"} at byte ${p} -> ${enc.what} (no size fix-up)`] };
    }
    default: {
      const tail = rng.bytes(1 + rng.int(16));
      return { bytes: concat([b, tail]), steps: [`appended ${tail.length} random bytes`] };
    }
  }
}

/** The mutant of `seed` for one case: structural mutations, then possibly raw ones. */
export function mutate(rng: Rng, seed: Seed, corpus: Corpus): Mutant {
  const nStructural = rng.weighted([18, 55, 20, 7]);
  let nRaw = nStructural === 0 ? 1 + rng.int(3) : rng.bool(0.3) ? 1 : 0;
  let bytes = seed.bytes;
  const steps: string[] = [];
  if (nStructural > 0) {
    const m = structural(rng, seed.kind, bytes, corpus, 0, nStructural);
    if (m === undefined) nRaw = Math.max(nRaw, 1);
    else {
      bytes = m.bytes;
      steps.push(...m.steps);
    }
  }
  for (let k = 0; k < nRaw; k++) {
    const m = rawOnce(rng, bytes);
    bytes = m.bytes;
    steps.push(...m.steps);
  }
  return { bytes, steps };
}
