/**
 * Re-sealing an execution snapshot (interpreter/execute/call-snapshot.ts) for the tests that check
 * what a restore refuses in a well-formed snapshot: its JSON part replaced, its digest made anew.
 */
import { sha256Hex } from "../../interpreter/runtime/sha256.js";

/** `snap` with its JSON part replaced by `body`, its digest made anew (layout: magic, version, JSON length, sha256 of the rest, JSON, blob). */
export function withBody(snap: Uint8Array, body: unknown): Uint8Array {
  const jsonLength = new DataView(snap.buffer, snap.byteOffset, snap.byteLength).getUint32(12, true);
  const json = new TextEncoder().encode(JSON.stringify(body));
  const blob = snap.subarray(48 + jsonLength);
  const out = new Uint8Array(48 + json.length + blob.length);
  out.set(snap.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, json.length, true);
  out.set(json, 48);
  out.set(blob, 48 + json.length);
  const digest = sha256Hex(out.subarray(48));
  for (let i = 0; i < 32; i++) out[16 + i] = Number.parseInt(digest.slice(2 * i, 2 * i + 2), 16);
  return out;
}
