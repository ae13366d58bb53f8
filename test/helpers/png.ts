/**
 * A minimal PNG reader for tests (8-bit greyscale, RGB or RGBA, not interlaced: what headless
 * Chromium's screenshots are), and the pixel variance used to check a screenshot is not blank.
 */
import { inflateSync } from "node:zlib";

/** Decoded pixels: `channels` bytes per pixel, rows top to bottom. */
export interface Pixels { width: number; height: number; channels: number; data: Uint8Array }

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes `png`; throws on anything it does not support. */
export function decodePng(png: Uint8Array): Pixels {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => png[i] === b)) throw new Error("not a PNG file");
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let pos = 8, width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  while (pos < png.length) {
    const len = dv.getUint32(pos);
    const type = String.fromCharCode(...png.subarray(pos + 4, pos + 8));
    const body = png.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = dv.getUint32(pos + 8);
      height = dv.getUint32(pos + 12);
      const depth = body[8], color = body[9], interlace = body[12];
      if (depth !== 8 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${interlace}`);
      channels = color === 0 ? 1 : color === 2 ? 3 : color === 6 ? 4 : color === 4 ? 2 : 0;
      if (channels === 0) throw new Error(`unsupported PNG colour type ${color}`);
    } else if (type === "IDAT") idat.push(body);
    else if (type === "IEND") break;
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[y * stride + x - channels]! : 0;
      const b = y > 0 ? data[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels]! : 0;
      const v = line[x]!;
      data[y * stride + x] = (filter === 0 ? v : filter === 1 ? v + a : filter === 2 ? v + b : filter === 3 ? v + ((a + b) >> 1) : v + paeth(a, b, c)) & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** The variance of the pixels' grey level (0 for a blank image), and how many distinct grey levels occur. */
export function greyStats(p: Pixels): { variance: number; levels: number } {
  let sum = 0, sum2 = 0;
  const n = p.width * p.height;
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const o = i * p.channels;
    const g = p.channels >= 3 ? Math.round(0.299 * p.data[o]! + 0.587 * p.data[o + 1]! + 0.114 * p.data[o + 2]!) : p.data[o]!;
    sum += g;
    sum2 += g * g;
    seen.add(g);
  }
  const mean = sum / n;
  return { variance: sum2 / n - mean * mean, levels: seen.size };
}
