// `npm run playground`: builds the ABI playground (scripts/playground-build.mjs) and serves it on
// http://127.0.0.1:8080/ (PORT=... to change) with the strict CSP it is made for:
//   Content-Security-Policy: default-src 'self'; script-src 'self'
// Only files inside the built folder are served. Exported as servePlayground for the test.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlayground } from "./playground-build.mjs";

export const PLAYGROUND_CSP = "default-src 'self'; script-src 'self'";
const TYPES = { ".js": "text/javascript", ".html": "text/html; charset=utf-8", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm", ".png": "image/png", ".svg": "image/svg+xml" };

/** A server for the files under `folder` (not yet listening). */
export function servePlayground(folder) {
  const base = resolve(folder);
  return createServer((req, res) => {
    let path;
    try {
      path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    } catch {
      path = "/";
    }
    if (path.endsWith("/")) path += "index.html";
    const file = resolve(join(base, path));
    const headers = { "Content-Security-Policy": PLAYGROUND_CSP, "Cache-Control": "no-store" };
    if (!(file === base || file.startsWith(base + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, "Content-Type": "text/plain" });
      res.end("not found");
      return;
    }
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = buildPlayground();
  const port = Number(process.env.PORT ?? 8080);
  servePlayground(out).listen(port, "127.0.0.1", () => {
    console.log(`ABI playground: http://127.0.0.1:${port}/  (Ctrl-C stops it)`);
  });
}
