/**
 * What kind of WebAssembly binary a file is, from its first bytes, and the `CLI-INPUT-004` refusal
 * of anything but a component. Kept apart from `inspect.ts` so that `run` loads only this.
 */
import { CliError, printable } from "./errors.js";

/** `component`, `core module`, or undefined when the bytes are not a WebAssembly binary. */
export function binaryKind(bytes: Uint8Array): "component" | "core module" | undefined {
  if (bytes.length < 8 || bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) return undefined;
  return bytes[6] === 0x01 && bytes[7] === 0x00 ? "component" : "core module";
}

/**
 * Refuses `bytes` (file `path`) unless it is a component binary: `CLI-INPUT-004` for a file that is
 * not WebAssembly (saying what it looks like) or a core module.
 */
export function requireComponentBinary(path: string, bytes: Uint8Array): void {
  const kind = binaryKind(bytes);
  if (kind === undefined) throw new CliError("CLI-INPUT-004", `\`${printable(path)}\` is not a WebAssembly component: ${notWasmDetail(bytes)}`);
  if (kind === "core module") throw new CliError("CLI-INPUT-004", `\`${printable(path)}\` is a core WebAssembly module, not a component (\`pureflow-wasm inspect\` describes it)`);
}

/** What the first bytes of a non-wasm file look like, for the error message. */
export function notWasmDetail(bytes: Uint8Array): string {
  if (bytes.length === 0) return "the file is empty";
  const head = [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  const magic: [number[], string][] = [[[0x89, 0x50, 0x4e, 0x47], "a PNG image"], [[0x7f, 0x45, 0x4c, 0x46], "an ELF executable"], [[0x50, 0x4b, 0x03, 0x04], "a zip archive"], [[0x25, 0x50, 0x44, 0x46], "a PDF document"], [[0x1f, 0x8b], "a gzip archive"]];
  const known = magic.find(([m]) => m.every((b, i) => bytes[i] === b));
  const looksText = bytes.subarray(0, 64).every((b) => b === 9 || b === 10 || b === 13 || (b >= 0x20 && b < 0x7f));
  const what = known ? `; it looks like ${known[1]}` : looksText ? "; it looks like text" : "";
  return `it does not start with the WebAssembly magic bytes 00 61 73 6d (first bytes: ${head})${what}`;
}
