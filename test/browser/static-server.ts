// The static server of the browser tests: files of the project under a few folders, every
// response with a strict Content-Security-Policy (no 'unsafe-eval', no 'wasm-unsafe-eval'), on
// 127.0.0.1 at a free port; optional in-memory files (e.g. snapshots taken by the test) by URL.
import { existsSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

/** The policy every response carries. */
export const CSP = "default-src 'self'; script-src 'self'";
const TYPES: Record<string, string> = { ".js": "text/javascript", ".html": "text/html", ".json": "application/json", ".wasm": "application/wasm" };

/** A started server, its port, and every path asked for. */
export interface StaticServer {
  readonly server: Server;
  readonly port: number;
  readonly served: string[];
}

/** Serves files of `root` below the `folders` (and `memory` by URL path) until `server.close()`. */
export async function serveStatic(root: string, folders: readonly string[], memory: ReadonlyMap<string, Uint8Array> = new Map()): Promise<StaticServer> {
  const served: string[] = [];
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const inMemory = memory.get(url);
    if (inMemory !== undefined) {
      res.writeHead(200, { "Content-Type": TYPES[extname(url)] ?? "application/octet-stream", "Content-Security-Policy": CSP, "Cache-Control": "no-store" });
      res.end(inMemory);
      return;
    }
    const path = normalize(url).replace(/^\/+/, "");
    const file = join(root, path);
    served.push(path);
    if (!folders.some((p) => path.startsWith(p)) || path.includes("..") || !existsSync(file)) {
      res.writeHead(404, { "Content-Security-Policy": CSP });
      res.end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Content-Security-Policy": CSP, "Cache-Control": "no-store" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port, served };
}
