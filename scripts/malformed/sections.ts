/**
 * The section model the structural mutations work on: an 8-byte preamble (magic + version, or
 * magic + version + layer for components) followed by sections `id, size:u32, content`. Core
 * modules and components share this framing. Encoding recomputes every size, unless a section
 * carries a deliberate size lie.
 */
import { readUleb, uleb } from "./leb128.js";

/** One section: its id, its content bytes, and optionally the bytes to write instead of its true size. */
export interface Section {
  readonly id: number;
  readonly content: Uint8Array;
  /** Replaces the size field (a length lie or a malformed LEB128). */
  readonly sizeBytes?: Uint8Array;
}

/** A binary split into its preamble and sections. */
export interface SectionList {
  readonly preamble: Uint8Array;
  readonly sections: readonly Section[];
}

/** Which binary a preamble announces. */
export type BinaryKind = "core" | "component";

/** `core` (version 1, layer 0) or `component` (layer 1), or undefined for anything else. */
export function binaryKind(b: Uint8Array): BinaryKind | undefined {
  if (b.length < 8 || b[0] !== 0 || b[1] !== 0x61 || b[2] !== 0x73 || b[3] !== 0x6d) return undefined;
  if (b[6] === 0 && b[7] === 0 && b[4] === 1 && b[5] === 0) return "core";
  if (b[6] === 1 && b[7] === 0) return "component";
  return undefined;
}

/** Splits `b` into sections, or returns undefined when the framing does not parse exactly. */
export function parseSections(b: Uint8Array): SectionList | undefined {
  if (b.length < 8) return undefined;
  const sections: Section[] = [];
  let pos = 8;
  while (pos < b.length) {
    const id = b[pos]!;
    const size = readUleb(b, pos + 1, b.length);
    if (size === undefined) return undefined;
    const start = pos + 1 + size.length;
    const end = start + size.value;
    if (end > b.length) return undefined;
    sections.push({ id, content: b.subarray(start, end) });
    pos = end;
  }
  return { preamble: b.subarray(0, 8), sections };
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Encodes a section list back to bytes (true sizes unless a section lies about its size). */
export function encodeSections(list: SectionList): Uint8Array {
  const parts: Uint8Array[] = [list.preamble];
  for (const s of list.sections) {
    parts.push(Uint8Array.of(s.id), s.sizeBytes ?? uleb(s.content.length), s.content);
  }
  return concat(parts);
}

/** Replaces `length` bytes at `at` in `b` with `bytes` (a new array). */
export function splice(b: Uint8Array, at: number, length: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length - length + bytes.length);
  out.set(b.subarray(0, at), 0);
  out.set(bytes, at);
  out.set(b.subarray(at + length), at + bytes.length);
  return out;
}
