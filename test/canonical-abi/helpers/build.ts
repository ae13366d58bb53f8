/**
 * Test helper: builds components from core WAT + WIT with jco's JS API (`parse`, then
 * `componentEmbed` with the WIT as text, then `componentNew`), as `fixture-recipe.md` describes.
 * Results are cached per process.
 */
import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, Promise<Uint8Array>>();

/** The test guests' folder. */
export const guestsDir = join(here, "..", "guests");

/** The batch world's WIT, as the test guests embed it (the same text as the shared contract). */
export const BATCH_WIT = `package pureflow:batch@0.1.0;

interface batch {
    record endpoint { node-id: string, port-id: string }
    record route { source: option<endpoint>, target: endpoint }
    record execution { execution-id: string, attempt: u32 }
    record message-metadata { message-id: string, workflow-id: string, execution: execution, route: route }
    variant payload { bytes(list<u8>), control(string) }
    record packet { metadata: message-metadata, payload: payload }
    record port-batch { port-id: string, packets: list<packet> }
    variant batch-error { guest-failure(string), unsupported-payload(string) }
    invoke: func(inputs: list<port-batch>) -> result<list<port-batch>, batch-error>;
}

world pureflow-node {
    export batch;
}
`;

/** Builds a component from core WAT text and a WIT world. */
export function buildComponent(wat: string, wit: string, world: string, encoding: "utf8" | "utf16" | "compact-utf16" = "utf8"): Promise<Uint8Array> {
  const key = `${world}\n${encoding}\n${wit}\n${wat}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = (async () => {
      const core = await parse(wat);
      const embedded = await componentEmbed({ binary: core, witSource: wit, world, stringEncoding: encoding } as Parameters<typeof componentEmbed>[0]);
      return componentNew(embedded);
    })();
    cache.set(key, p);
  }
  return p;
}

/** Reads a WAT file of the guests folder. */
export function guestWat(name: string): string {
  return readFileSync(join(guestsDir, name), "utf8");
}
