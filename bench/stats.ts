/** Small statistics helpers for the benchmark: median and a high-resolution timer. */

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Milliseconds taken by `f()` and its result. */
export function timed<T>(f: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

/** Formats a number with `d` decimals, or "-" when not finite. */
export function fmt(x: number | undefined, d = 1): string {
  return x === undefined || !Number.isFinite(x) ? "-" : x.toFixed(d);
}

/**
 * Appends a custom section named `pureflow-bench-nonce` with a fresh payload (pid, `nonce`, a random
 * number), so an engine with a module cache keyed on the bytes cannot answer a repeated compile.
 */
export function withNonce(bytes: Uint8Array, nonce: number): Uint8Array {
  const name = new TextEncoder().encode("pureflow-bench-nonce");
  const payload = new TextEncoder().encode(`${process.pid}-${nonce}-${Math.random()}`);
  const body = [name.length, ...name, ...payload];
  const size: number[] = [];
  let n = body.length;
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    size.push(b);
  } while (n !== 0);
  const out = new Uint8Array(bytes.length + 1 + size.length + body.length);
  out.set(bytes, 0);
  out.set([0, ...size, ...body], bytes.length);
  return out;
}
