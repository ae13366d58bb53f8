/**
 * The pool's wire format: WIT port-batches, a guest's raw `invoke` result and `PureflowError`s
 * as compact binary buffers that are posted between threads (never JSON). Lossless:
 * byte payloads are copied as they are, strings travel as UTF-8 when well formed and as UTF-16
 * code units otherwise (a lone surrogate survives), numbers as u32.
 *
 * Layout (little-endian): a string is `u8 form` (0 UTF-8, 1 UTF-16) `u32 length` (bytes or code
 * units) then its data; a byte list is `u32 length` then the bytes. A port-batch list is
 * `u32 count`, then per batch `port-id`, `u32 packets`, per packet `message-id`, `workflow-id`,
 * `execution-id`, `u32 attempt`, `u8 has-source` [`node-id`, `port-id`], target `node-id`,
 * `port-id`, `u8 payload` (0 bytes, 1 control) and the byte list or the control text.
 * A result is `u8` 0 (ok, then a port-batch list) or 1 (err, then `u8` case
 * 0 guest-failure / 1 unsupported-payload and the message).
 */
import { PureflowError, type PureflowErrorCode } from "../errors.js";
import type { WitEndpoint, WitInvokeResult, WitPacket, WitPortBatch } from "../batch/wit-types.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** True when `s` has no lone surrogate (UTF-8 then round-trips it exactly). */
function isWellFormed(s: string): boolean {
  const f = (s as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof f === "function") return f.call(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** A growable little-endian byte writer. */
class Writer {
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  private at = 0;

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.at + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.at));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.at++] = v;
  }

  u32(v: number): void {
    this.reserve(4);
    this.dv.setUint32(this.at, v >>> 0, true);
    this.at += 4;
  }

  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  str(s: string): void {
    if (isWellFormed(s)) {
      this.u8(0);
      // at most 3 bytes per UTF-16 code unit
      this.reserve(4 + s.length * 3);
      const lenAt = this.at;
      this.at += 4;
      const { written } = encoder.encodeInto(s, this.buf.subarray(this.at));
      this.dv.setUint32(lenAt, written, true);
      this.at += written;
    } else {
      this.u8(1);
      this.u32(s.length);
      this.reserve(s.length * 2);
      for (let i = 0; i < s.length; i++) {
        this.dv.setUint16(this.at, s.charCodeAt(i), true);
        this.at += 2;
      }
    }
  }

  /** The written bytes in an `ArrayBuffer` of their exact size. */
  finish(): ArrayBuffer {
    return this.buf.buffer.slice(0, this.at) as ArrayBuffer;
  }
}

/** Thrown on a buffer that does not follow the layout (a bug: both ends are this file). */
function malformed(what: string): PureflowError {
  return PureflowError.execution(`batch pool: malformed message from another thread (${what})`);
}

/** A bounds-checked reader over a buffer written by {@link Writer}. */
class Reader {
  private readonly u8a: Uint8Array;
  private readonly dv: DataView;
  private at = 0;

  constructor(buffer: ArrayBuffer) {
    this.u8a = new Uint8Array(buffer);
    this.dv = new DataView(buffer);
  }

  private need(n: number): void {
    if (this.at + n > this.u8a.length) throw malformed(`${n} bytes wanted at ${this.at} of ${this.u8a.length}`);
  }

  u8(): number {
    this.need(1);
    return this.u8a[this.at++];
  }

  u32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.at, true);
    this.at += 4;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.u32();
    this.need(n);
    // a copy: the payload owns its bytes, as a lifted list does
    const b = this.u8a.slice(this.at, this.at + n);
    this.at += n;
    return b;
  }

  str(): string {
    const form = this.u8();
    const n = this.u32();
    if (form === 0) {
      this.need(n);
      const s = decoder.decode(this.u8a.subarray(this.at, this.at + n));
      this.at += n;
      return s;
    }
    if (form !== 1) throw malformed(`string form ${form}`);
    this.need(n * 2);
    let s = "";
    for (let i = 0; i < n; i += 4096) {
      const codes: number[] = [];
      for (let k = i; k < Math.min(n, i + 4096); k++) codes.push(this.dv.getUint16(this.at + 2 * k, true));
      s += String.fromCharCode(...codes);
    }
    this.at += n * 2;
    return s;
  }

  end(): void {
    if (this.at !== this.u8a.length) throw malformed(`${this.u8a.length - this.at} trailing bytes`);
  }
}

function writeEndpoint(w: Writer, e: WitEndpoint): void {
  w.str(e.nodeId);
  w.str(e.portId);
}

function writeBatches(w: Writer, batches: readonly WitPortBatch[]): void {
  w.u32(batches.length);
  for (const b of batches) {
    w.str(b.portId);
    w.u32(b.packets.length);
    for (const p of b.packets) {
      const m = p.metadata;
      w.str(m.messageId);
      w.str(m.workflowId);
      w.str(m.execution.executionId);
      w.u32(m.execution.attempt);
      if (m.route.source === null) w.u8(0);
      else {
        w.u8(1);
        writeEndpoint(w, m.route.source);
      }
      writeEndpoint(w, m.route.target);
      if (p.payload.kind === "bytes") {
        w.u8(0);
        w.bytes(p.payload.bytes);
      } else {
        w.u8(1);
        w.str(p.payload.json);
      }
    }
  }
}

function readEndpoint(r: Reader): WitEndpoint {
  const nodeId = r.str();
  return { nodeId, portId: r.str() };
}

function readBatches(r: Reader): WitPortBatch[] {
  const n = r.u32();
  const out: WitPortBatch[] = [];
  for (let i = 0; i < n; i++) {
    const portId = r.str();
    const np = r.u32();
    const packets: WitPacket[] = [];
    for (let k = 0; k < np; k++) {
      const messageId = r.str();
      const workflowId = r.str();
      const executionId = r.str();
      const attempt = r.u32();
      const source = r.u8() === 0 ? null : readEndpoint(r);
      const target = readEndpoint(r);
      const kind = r.u8();
      const payload = kind === 0 ? { kind: "bytes" as const, bytes: r.bytes() } : { kind: "control" as const, json: r.str() };
      packets.push({ metadata: { messageId, workflowId, execution: { executionId, attempt }, route: { source, target } }, payload });
    }
    out.push({ portId, packets });
  }
  return out;
}

/** WIT port-batches -> a buffer. */
export function encodePortBatches(batches: readonly WitPortBatch[]): ArrayBuffer {
  const w = new Writer();
  writeBatches(w, batches);
  return w.finish();
}

/** The inverse of {@link encodePortBatches}. */
export function decodePortBatches(buffer: ArrayBuffer): WitPortBatch[] {
  const r = new Reader(buffer);
  const out = readBatches(r);
  r.end();
  return out;
}

/** A guest's raw `invoke` result -> a buffer. */
export function encodeInvokeResult(result: WitInvokeResult): ArrayBuffer {
  const w = new Writer();
  if (result.ok) {
    w.u8(0);
    writeBatches(w, result.value);
  } else {
    w.u8(1);
    w.u8(result.error.kind === "guest-failure" ? 0 : 1);
    w.str(result.error.message);
  }
  return w.finish();
}

/** The inverse of {@link encodeInvokeResult}. */
export function decodeInvokeResult(buffer: ArrayBuffer): WitInvokeResult {
  const r = new Reader(buffer);
  let result: WitInvokeResult;
  if (r.u8() === 0) result = { ok: true, value: readBatches(r) };
  else {
    const kind = r.u8() === 0 ? "guest-failure" as const : "unsupported-payload" as const;
    result = { ok: false, error: { kind, message: r.str() } };
  }
  r.end();
  return result;
}

/** A `PureflowError` as it crosses threads (its `cause` stays behind: it may not be cloneable). */
export interface WireError {
  readonly code: PureflowErrorCode;
  readonly message: string;
  readonly trap?: string;
  readonly argument?: string;
}

/** `e` as a {@link WireError}. */
export function errorToWire(e: PureflowError): WireError {
  const w: { code: PureflowErrorCode; message: string; trap?: string; argument?: string } = { code: e.code, message: e.message };
  if (e.trap !== undefined) w.trap = e.trap;
  if (e.argument !== undefined) w.argument = e.argument;
  return w;
}

/** The `PureflowError` a {@link WireError} stands for (same code, message, trap and argument). */
export function errorFromWire(w: WireError): PureflowError {
  const details: { trap?: string; argument?: string } = {};
  if (w.trap !== undefined) details.trap = w.trap;
  if (w.argument !== undefined) details.argument = w.argument;
  return new PureflowError(w.code, w.message, details);
}
