/**
 * Picks a {@link SpecEngine} by name: "node" (Node's WebAssembly, the oracle) or "ours"
 * (pureflow's interpreter, loaded lazily so the node engine works while ours is absent).
 */
import type { SpecEngine } from "./engine.js";
import { NodeEngine } from "./node-engine.js";

/** Wall-clock limit of one call on our engine in the spec runner. */
export const CALL_TIMEOUT_MS = 20_000;

export async function loadEngine(name: string): Promise<SpecEngine> {
  if (name === "node") return new NodeEngine();
  if (name === "ours") {
    const { OurEngine, loadOurInterpreter } = await import("./our-engine.js");
    const ns = await loadOurInterpreter();
    // A store per instance whose calls are interrupted after CALL_TIMEOUT_MS, so that a hang in
    // the interpreter shows up as a failed command instead of blocking the run.
    return new OurEngine(ns, () => ({ store: new ns.Store({ cancellation: { timeoutMs: CALL_TIMEOUT_MS } }) }));
  }
  throw new Error(`unknown engine ${name} (use ours or node)`);
}
