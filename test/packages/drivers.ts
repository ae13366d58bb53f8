/**
 * Real npm packages that ship WebAssembly, each driven through its own public JS API. A driver
 * imports its package lazily (inside `run`), so the package binds whichever `WebAssembly` is the
 * global at that moment: the host's, or ours installed by `pureflow-wasm/polyfill`. Every driver
 * returns its outputs as bytes, compared byte for byte between the two engines.
 *
 * `quick` runs a smaller workload (the slice in `npm test`); the full one is for the bench.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const enc = new TextEncoder();

/** A deterministic byte pattern (xorshift32). */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
  }
  return out;
}

/** Text with repetition, as compressors and tokenizers see in practice. */
export function prose(n: number): string {
  const words = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "WebAssembly", "interpreter", "fuel", "component", "naïve", "café", "日本語", "🙂", "1234", "\n"];
  const r = pattern(n, 7);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(words[r[i]! % words.length]!);
  return parts.join(" ");
}

function concat(parts: readonly (Uint8Array | string)[]): Uint8Array {
  const bs = parts.map((p) => (typeof p === "string" ? enc.encode(p) : p));
  const out = new Uint8Array(bs.reduce((a, b) => a + b.length + 4, 0));
  let o = 0;
  for (const b of bs) {
    new DataView(out.buffer).setUint32(o, b.length, true);
    out.set(b, o + 4);
    o += b.length + 4;
  }
  return out;
}

export interface PackageDriver {
  /** npm package name. */
  readonly name: string;
  /** What kind of code it is. */
  readonly kind: string;
  /** Runs the package's public API; returns every output as bytes. */
  run(quick: boolean): Promise<Uint8Array>;
}

export const drivers: readonly PackageDriver[] = [
  {
    name: "hash-wasm",
    kind: "hashing (SHA-256, SHA3, BLAKE3, xxHash64, CRC32, Argon2id)",
    async run(quick) {
      const h = await import("hash-wasm");
      const data = pattern(quick ? 20_000 : 400_000, 1);
      const parts: string[] = [
        await h.sha256(data), await h.sha3(data, 512), await h.blake3(data), await h.xxhash64(data), await h.crc32(data), await h.md5(data),
        await h.argon2id({ password: "correct horse", salt: pattern(16, 2), parallelism: 1, iterations: quick ? 1 : 3, memorySize: quick ? 64 : 1024, hashLength: 32, outputType: "hex" }),
      ];
      const s = await h.createSHA512();
      s.init();
      for (let i = 0; i < 8; i++) s.update(pattern(1000 + i, 10 + i));
      parts.push(s.digest("hex"));
      return concat(parts);
    },
  },
  {
    name: "sql.js",
    kind: "SQL engine (SQLite, Emscripten)",
    async run(quick) {
      const initSqlJs = require("sql.js") as (o?: object) => Promise<{ Database: new (b?: Uint8Array) => { run(s: string, p?: unknown[]): void; exec(s: string): { columns: string[]; values: unknown[][] }[]; export(): Uint8Array; close(): void } }>;
      const SQL = await initSqlJs();
      const db = new SQL.Database();
      db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, v REAL, b BLOB)");
      const n = quick ? 50 : 2000;
      const words = prose(n).split(" ");
      db.run("BEGIN");
      for (let i = 0; i < n; i++) db.run("INSERT INTO t (name, v, b) VALUES (?, ?, ?)", [words[i]!, i * 1.25 - 7, pattern(8, i + 1)]);
      db.run("COMMIT");
      db.run("CREATE INDEX tn ON t(name)");
      const q = db.exec("SELECT name, count(*), sum(v), max(id), hex(min(b)) FROM t GROUP BY name ORDER BY name; SELECT sqlite_version(); SELECT printf('%.6f', avg(v)) FROM t WHERE name LIKE '%o%'");
      const file = db.export();
      db.close();
      return concat([JSON.stringify(q), file]);
    },
  },
  {
    name: "brotli-wasm",
    kind: "compression (Brotli, Rust + wasm-bindgen)",
    async run(quick) {
      const brotli = require("brotli-wasm") as { compress(b: Uint8Array, o?: { quality?: number }): Uint8Array; decompress(b: Uint8Array): Uint8Array };
      const text = enc.encode(prose(quick ? 3_000 : 60_000));
      const c9 = brotli.compress(text, { quality: quick ? 5 : 9 });
      const c1 = brotli.compress(pattern(quick ? 5_000 : 100_000, 3), { quality: 1 });
      const back = brotli.decompress(c9);
      return concat([c9, c1, back]);
    },
  },
  {
    name: "@dqbd/tiktoken",
    kind: "tokenizer (tiktoken, Rust + wasm-bindgen)",
    async run(quick) {
      const { get_encoding } = require("@dqbd/tiktoken") as { get_encoding(n: string): { encode(s: string): Uint32Array; decode(t: Uint32Array): Uint8Array; free(): void } };
      const e = get_encoding("gpt2");
      const text = prose(quick ? 300 : 20_000);
      const tokens = e.encode(text);
      const back = e.decode(tokens);
      e.free();
      return concat([new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength), back]);
    },
  },
  {
    name: "vscode-oniguruma",
    kind: "regex engine (Oniguruma, Emscripten)",
    async run(quick) {
      const onig = require("vscode-oniguruma") as {
        loadWASM(b: ArrayBuffer): Promise<void>;
        OnigScanner: new (p: string[]) => { findNextMatchSync(s: unknown, start: number): { index: number; captureIndices: { start: number; end: number }[] } | null; dispose(): void };
        OnigString: new (s: string) => { dispose(): void };
      };
      const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
      await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const scanner = new onig.OnigScanner(["\\b(fox|dog)\\b", "(?i)webassembly", "[\\p{Han}]+", "\\d{2,}", "(\\w+)é"]);
      const text = prose(quick ? 200 : 5_000);
      const s = new onig.OnigString(text);
      const found: number[] = [];
      let pos = 0;
      for (;;) {
        const m = scanner.findNextMatchSync(s, pos);
        if (m === null) break;
        found.push(m.index, ...m.captureIndices.flatMap((c) => [c.start, c.end]));
        pos = Math.max(m.captureIndices[0]!.end, pos + 1);
      }
      s.dispose();
      scanner.dispose();
      return new Uint8Array(Int32Array.from(found).buffer);
    },
  },
  {
    name: "@jsquash/png",
    kind: "image codec (PNG, Rust + wasm-bindgen)",
    async run(quick) {
      // the package targets browsers: Node has no ImageData class, so a minimal one stands in
      const g = globalThis as { ImageData?: unknown };
      g.ImageData ??= class ImageData {
        readonly colorSpace = "srgb";
        constructor(readonly data: Uint8ClampedArray, readonly width: number, readonly height: number) {}
      };
      const encode = (await import("@jsquash/png/encode.js")).default;
      const { init } = await import("@jsquash/png/decode.js");
      const decode = (await import("@jsquash/png/decode.js")).default as (b: ArrayBuffer) => Promise<{ data: Uint8ClampedArray; width: number; height: number }>;
      const wasm = readFileSync(require.resolve("@jsquash/png/codec/pkg/squoosh_png_bg.wasm"));
      await (init as (m: unknown) => Promise<unknown>)(wasm);
      const w = quick ? 24 : 256, h = quick ? 16 : 192;
      const px = new Uint8ClampedArray(w * h * 4);
      const noise = pattern(w * h, 9);
      for (let i = 0; i < w * h; i++) {
        px[4 * i] = (i % w) * 255 / w;
        px[4 * i + 1] = Math.floor(i / w) * 255 / h;
        px[4 * i + 2] = noise[i]! & 0xf0;
        px[4 * i + 3] = 255 - (noise[i]! & 7);
      }
      const png = new Uint8Array(await encode(new ImageData(px, w, h)));
      const back = await decode(png.buffer as ArrayBuffer);
      return concat([png, new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength), `${back.width}x${back.height}`]);
    },
  },
];
