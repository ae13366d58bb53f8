/**
 * Seeded mutations of valid binaries for the malformed-input fuzzer (issue 7): bit flips, byte
 * insertions/deletions, truncations, overlong and out-of-range LEB128s, section-length lies,
 * huge counts, and splices of random bytes. Each mutation is named so a failure says what was done.
 */
import { Rng } from "./prng.js";

export type MutationKind =
  | "bit-flip"
  | "byte-set"
  | "insert"
  | "delete"
  | "truncate"
  | "overlong-leb"
  | "leb-out-of-range"
  | "section-size-lie"
  | "huge-count"
  | "random-run"
  | "duplicate-range";

export const MUTATIONS: readonly MutationKind[] = ["bit-flip", "byte-set", "insert", "delete", "truncate", "overlong-leb", "leb-out-of-range", "section-size-lie", "huge-count", "random-run", "duplicate-range"];

/** Start offsets and sizes of the top-level sections (or [] when the header is not there). */
function sectionHeads(b: Uint8Array): { start: number; sizeAt: number; sizeLen: number; contentStart: number; size: number }[] {
  const out: { start: number; sizeAt: number; sizeLen: number; contentStart: number; size: number }[] = [];
  let p = 8;
  while (p < b.length) {
    const start = p;
    p++;
    const sizeAt = p;
    let size = 0, mul = 1, len = 0;
    for (;;) {
      if (p >= b.length || len > 5) return out;
      const x = b[p++];
      len++;
      size += (x & 0x7f) * mul;
      mul *= 128;
      if ((x & 0x80) === 0) break;
    }
    out.push({ start, sizeAt, sizeLen: len, contentStart: p, size });
    p += size;
  }
  return out;
}

/** Offsets that look like the start of a LEB128 (a section size or the first byte of a section's contents). */
function lebSites(b: Uint8Array): number[] {
  const heads = sectionHeads(b);
  const sites: number[] = [];
  for (const h of heads) {
    sites.push(h.sizeAt);
    if (h.size > 0 && h.contentStart < b.length) sites.push(h.contentStart); // usually a vector count
  }
  return sites;
}

function splice(b: Uint8Array, at: number, del: number, ins: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(b.length - del + ins.length);
  out.set(b.subarray(0, at), 0);
  out.set(Array.from(ins), at);
  out.set(b.subarray(at + del), at + ins.length);
  return out;
}

/** Length of the LEB128 at `p` (at most 10 bytes). */
function lebLength(b: Uint8Array, p: number): number {
  let n = 0;
  while (p + n < b.length && n < 10) {
    if ((b[p + n] & 0x80) === 0) return n + 1;
    n++;
  }
  return n;
}

/** Applies 1..3 mutations to `input`. Returns the bytes and what was done. */
export function mutate(input: Uint8Array, rng: Rng): { bytes: Uint8Array; what: string[] } {
  let b = input;
  const what: string[] = [];
  const n = 1 + (rng.bool(0.3) ? rng.int(3) : 0);
  for (let k = 0; k < n; k++) {
    const kind = rng.pick(MUTATIONS);
    const pos = b.length === 0 ? 0 : rng.int(b.length);
    switch (kind) {
      case "bit-flip":
        if (b.length === 0) break;
        b = b.slice();
        b[pos] ^= 1 << rng.int(8);
        what.push(`${kind}@${pos}`);
        break;
      case "byte-set":
        if (b.length === 0) break;
        b = b.slice();
        b[pos] = rng.pick([0x00, 0x7f, 0x80, 0xff, 0x40, 0x41, 0x0b, 0xfc, 0xfd, rng.int(256)]);
        what.push(`${kind}@${pos}=${b[pos]}`);
        break;
      case "insert": {
        const len = 1 + rng.int(4);
        b = splice(b, pos, 0, rng.bytes(len));
        what.push(`${kind}@${pos}+${len}`);
        break;
      }
      case "delete": {
        const len = Math.min(1 + rng.int(4), b.length - pos);
        b = splice(b, pos, len, []);
        what.push(`${kind}@${pos}-${len}`);
        break;
      }
      case "truncate":
        b = b.slice(0, pos);
        what.push(`${kind}@${pos}`);
        break;
      case "overlong-leb": {
        // Re-encode a LEB128 with extra 0x80 continuation bytes (overlong, possibly too long).
        const sites = lebSites(b);
        const at = sites.length > 0 ? rng.pick(sites) : pos;
        const len = lebLength(b, at);
        if (len === 0) break;
        const bytes = Array.from(b.subarray(at, at + len));
        bytes[bytes.length - 1] |= 0x80;
        const extra = 1 + rng.int(6);
        for (let i = 0; i < extra - 1; i++) bytes.push(0x80);
        bytes.push(0x00);
        b = splice(b, at, len, bytes);
        what.push(`${kind}@${at}+${extra}`);
        break;
      }
      case "leb-out-of-range": {
        // A 5-byte u32 LEB with bits set beyond 32 (or a value of 2^32-1).
        const sites = lebSites(b);
        const at = sites.length > 0 ? rng.pick(sites) : pos;
        const len = lebLength(b, at);
        const enc = rng.bool() ? [0xff, 0xff, 0xff, 0xff, 0x7f] : [0xff, 0xff, 0xff, 0xff, 0x0f];
        b = splice(b, at, len, enc);
        what.push(`${kind}@${at}`);
        break;
      }
      case "section-size-lie": {
        const heads = sectionHeads(b);
        if (heads.length === 0) break;
        const h = rng.pick(heads);
        const lie = Math.max(0, h.size + rng.pick([-3, -2, -1, 1, 2, 3, 100, 1 << 20, -h.size]));
        const enc: number[] = [];
        let v = lie;
        do {
          let x = v & 0x7f;
          v = Math.floor(v / 128);
          if (v !== 0) x |= 0x80;
          enc.push(x);
        } while (v !== 0);
        b = splice(b, h.sizeAt, h.sizeLen, enc);
        what.push(`${kind}@${h.start}:${h.size}->${lie}`);
        break;
      }
      case "huge-count": {
        // Replace a vector count (first LEB of a section's contents) with a huge value.
        const heads = sectionHeads(b).filter((h) => h.size > 0);
        if (heads.length === 0) break;
        const h = rng.pick(heads);
        const len = lebLength(b, h.contentStart);
        const enc = rng.pick([[0xff, 0xff, 0xff, 0xff, 0x0f], [0x80, 0x80, 0x80, 0x80, 0x08], [0xff, 0xff, 0x3f], [0x80, 0x80, 0x04]]);
        b = splice(b, h.contentStart, len, enc);
        what.push(`${kind}@${h.contentStart}`);
        break;
      }
      case "random-run": {
        const len = Math.min(1 + rng.int(16), b.length - pos);
        b = b.slice();
        b.set(rng.bytes(len), pos);
        what.push(`${kind}@${pos}x${len}`);
        break;
      }
      case "duplicate-range": {
        const len = Math.min(1 + rng.int(32), b.length - pos);
        const at = b.length === 0 ? 0 : rng.int(b.length);
        b = splice(b, at, 0, b.slice(pos, pos + len));
        what.push(`${kind}@${pos}x${len}->${at}`);
        break;
      }
    }
  }
  return { bytes: b, what };
}
