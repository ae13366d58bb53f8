/**
 * A tiny WebAssembly binary *writer* for the harness (spec runner wrappers, fuzzers, fuel oracle).
 * It is deliberately independent of the interpreter's decoder: tools that check the interpreter
 * must not share its code. Only what the harness needs is here: LEB128, names, sections, vectors.
 */

/** Value type bytes. */
export const T = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
  funcref: 0x70,
  externref: 0x6f,
} as const;

export type ValTypeName = keyof typeof T;

/** Unsigned LEB128 of a u32 (or any non-negative safe integer). */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a bigint (works for i32 and i64). */
export function sleb(n: bigint | number): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const signBit = (b & 0x40) !== 0;
    if ((v === 0n && !signBit) || (v === -1n && signBit)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/** A name: length + UTF-8 bytes. */
export function name(s: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(s));
  return [...uleb(bytes.length), ...bytes];
}

/** A vector: count + concatenated items. */
export function vec(items: readonly (readonly number[])[]): number[] {
  const out = uleb(items.length);
  for (const it of items) out.push(...it);
  return out;
}

/** A section: id + size + contents. */
export function section(id: number, contents: readonly number[]): number[] {
  return [id, ...uleb(contents.length), ...contents];
}

/** A function type entry. */
export function funcType(params: readonly number[], results: readonly number[]): number[] {
  return [0x60, ...uleb(params.length), ...params, ...uleb(results.length), ...results];
}

/** Module header. */
export const HEADER: readonly number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A function body: locals (one entry per type, run-length encoded) and code bytes (without final `end`). */
export function funcBody(locals: readonly number[], code: readonly number[]): number[] {
  const runs: number[][] = [];
  for (const t of locals) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  const body = [...vec(runs.map(([c, t]) => [...uleb(c), t])), ...code, 0x0b];
  return [...uleb(body.length), ...body];
}

/** Concatenates byte arrays into a Uint8Array. */
export function bytes(...parts: readonly (readonly number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
