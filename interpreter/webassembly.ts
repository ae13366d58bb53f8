/** Temporary: baseline namespace object (replaced by the spec-shaped namespace). */
import * as ns from "./index.js";
export const WebAssembly: Record<string, unknown> = { ...ns };
