/**
 * `pureflow-wasm/webassembly`: a `WebAssembly` namespace object shaped exactly as the JS API
 * defines it (an ordinary object with `Symbol.toStringTag` "WebAssembly"; the interfaces
 * `Module`, `Instance`, `Memory`, `Table`, `Global`, `CompileError`, `LinkError`,
 * `RuntimeError`; `validate`, `compile`, `instantiate`, `compileStreaming`,
 * `instantiateStreaming`), backed by this package's interpreter: no `eval`, no native
 * WebAssembly. Use it where code expects `WebAssembly`, or install it with
 * `pureflow-wasm/polyfill`.
 */
// registers the loop's primer (execute/prime.ts)
import "./instantiate/primer.js";
import { createWebAssemblyNamespace } from "./js-api/namespace.js";
import type { WebAssemblyNamespace } from "./js-api/namespace.js";

export type { WebAssemblyNamespace } from "./js-api/namespace.js";

/** The namespace object (one per loaded copy of this package). */
export const WebAssembly: WebAssemblyNamespace = createWebAssemblyNamespace();
export default WebAssembly;
