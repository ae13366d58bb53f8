/**
 * Picks a {@link SpecEngine} by name: "node" (Node's WebAssembly, the oracle) or "ours"
 * (pureflow's interpreter, loaded lazily so the node engine works while ours is absent).
 */
import type { SpecEngine } from "./engine.js";
import { NodeEngine } from "./node-engine.js";

export async function loadEngine(name: string): Promise<SpecEngine> {
  if (name === "node") return new NodeEngine();
  if (name === "ours") {
    const { OurEngine, loadOurInterpreter } = await import("./our-engine.js");
    return new OurEngine(await loadOurInterpreter());
  }
  throw new Error(`unknown engine ${name} (use ours or node)`);
}
