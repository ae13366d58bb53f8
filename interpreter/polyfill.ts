/**
 * `pureflow-wasm/polyfill`: importing this module installs this package's `WebAssembly`
 * namespace (`pureflow-wasm/webassembly`) as `globalThis.WebAssembly` when the host has none.
 * {@link installWebAssembly} installs it on request too: `{ force: true }` always (e.g. a page
 * whose Content-Security-Policy forbids WebAssembly compilation while the object exists), or
 * `{ whenUnusable: true }` also when the host's `WebAssembly` refuses to compile the empty module
 * (that probe may itself emit a CSP violation report).
 *
 * The global property is defined as the JS API defines it: writable, not enumerable, configurable.
 */
import { WebAssembly } from "./webassembly.js";
import type { WebAssemblyNamespace } from "./webassembly.js";

export { WebAssembly };
export type { WebAssemblyNamespace };

/** Options of {@link installWebAssembly}. */
export interface InstallOptions {
  /** Install even when the host has a `WebAssembly` object. Default false. */
  readonly force?: boolean;
  /** Install also when the host's `WebAssembly` cannot compile the empty module. Default false. */
  readonly whenUnusable?: boolean;
}

/** The host's own `WebAssembly` as found when this module was first loaded (undefined if none). */
export const nativeWebAssembly: unknown = (globalThis as { WebAssembly?: unknown }).WebAssembly === WebAssembly ? undefined : (globalThis as { WebAssembly?: unknown }).WebAssembly;

const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

function usable(w: unknown): boolean {
  try {
    const M = (w as { Module?: new (b: Uint8Array) => unknown }).Module;
    if (typeof M !== "function") return false;
    new M(EMPTY_MODULE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs this package's `WebAssembly` as `globalThis.WebAssembly` when the host has none (or
 * as `options` ask). Returns whether `globalThis.WebAssembly` is now ours.
 */
export function installWebAssembly(options: InstallOptions = {}): boolean {
  if (typeof options !== "object" || options === null) throw new TypeError(`options: must be an object, got ${options === null ? "null" : typeof options}`);
  const g = globalThis as { WebAssembly?: unknown };
  const current = g.WebAssembly;
  if (current === WebAssembly) return true;
  const install = current === undefined || options.force === true || (options.whenUnusable === true && !usable(current));
  if (!install) return false;
  Object.defineProperty(globalThis, "WebAssembly", { value: WebAssembly, writable: true, enumerable: false, configurable: true });
  return true;
}

/** Whether `globalThis.WebAssembly` is this package's namespace. */
export function isInstalled(): boolean {
  return (globalThis as { WebAssembly?: unknown }).WebAssembly === WebAssembly;
}

installWebAssembly();
