/**
 * Test helper: hostile and minimal guests written as core WAT for the batch world (and for
 * small ad-hoc worlds), built into components with jco. Each guest's `invoke` returns a
 * pointer to a return area the test lays out byte by byte, so every lifting trap can be
 * provoked on purpose.
 */
import { BATCH_WIT, buildComponent } from "./build.js";

/** WAT string literal for raw bytes. */
export function watBytes(bytes: readonly number[]): string {
  return '"' + bytes.map((b) => "\\" + (b & 0xff).toString(16).padStart(2, "0")).join("") + '"';
}

/** Little-endian u32 bytes. */
export function u32le(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

const BUMP_REALLOC = `
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (local.get $p)`;

export interface BatchGuestOptions {
  /** Data segments: [address, bytes]. */
  data?: readonly (readonly [number, readonly number[]])[];
  /** Body of invoke `(param i32 i32) (result i32)`; default returns 16 (the return area). */
  invoke?: string;
  /** Body of cabi_realloc `(param i32 i32 i32 i32) (result i32)`; default: a bump allocator from 4096. */
  realloc?: string;
  /** Body of the post-return function `(param i32)`; default: nothing. */
  postReturn?: string;
  /** Extra module fields (imports must come first and go in `imports`). */
  extra?: string;
  /** Import declarations placed before everything else. */
  imports?: string;
  /** Pages of memory (default 1). */
  pages?: number;
}

/** Core WAT of a batch-world guest. */
export function batchGuestWat(o: BatchGuestOptions = {}): string {
  return `(module
  ${o.imports ?? ""}
  (memory (export "memory") ${o.pages ?? 1})
  (global $heap (mut i32) (i32.const 4096))
  ${(o.data ?? []).map(([a, b]) => `(data (i32.const ${a}) ${watBytes(b)})`).join("\n  ")}
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) ${o.realloc ?? BUMP_REALLOC})
  (func (export "pureflow:batch/batch@0.1.0#invoke") (param i32 i32) (result i32) ${o.invoke ?? "(i32.const 16)"})
  (func (export "cabi_post_pureflow:batch/batch@0.1.0#invoke") (param i32) ${o.postReturn ?? ""})
  ${o.extra ?? ""}
)`;
}

/** A batch-world guest component. */
export function batchGuest(o: BatchGuestOptions = {}): Promise<Uint8Array> {
  return buildComponent(batchGuestWat(o), BATCH_WIT, "pureflow-node");
}

/** An `err(guest-failure(<string at ptr, len>))` return area at 16. */
export function errReturnArea(ptr: number, len: number): readonly (readonly [number, readonly number[]])[] {
  return [[16, [1, 0, 0, 0, 0, 0, 0, 0, ...u32le(ptr), ...u32le(len)]]];
}

/** An `ok(list<port-batch> at ptr, len)` return area at 16. */
export function okReturnArea(ptr: number, len: number): readonly (readonly [number, readonly number[]])[] {
  return [[16, [0, 0, 0, 0, ...u32le(ptr), ...u32le(len)]]];
}

/** A small world `test:t/w` exporting `f: <functype>` implemented by core function body `body`. */
export function smallWorld(witFunc: string, coreSig: string, body: string, extra = "", encoding: "utf8" | "utf16" | "compact-utf16" = "utf8"): Promise<Uint8Array> {
  const wit = `package test:t;\nworld w {\n  export f: ${witFunc};\n}\n`;
  const wat = `(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) ${BUMP_REALLOC})
  (func (export "f") ${coreSig} ${body})
  ${extra}
)`;
  return buildComponent(wat, wit, "w", encoding);
}
