// A static file server for the browser tests: 127.0.0.1, a port chosen at run time, GET
// and HEAD with single byte ranges, and CORS headers only when asked for. No dependencies.
//
//   import { startFixtureServer } from "./fixture-server.mjs";
//   const { url, close } = await startFixtureServer({ root: "tests/fixtures/generated", cors: true });
//
// `url` ends with "/". Requests counts and bytes sent per path are in `stats` (tests use
// them to check that reads are bounded).
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve, sep, extname } from "node:path";

const TYPES = {
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
  ".webp": "image/webp", ".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm",
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm",
};

/**
 * `routes` maps a path prefix to a handler `(req, res)` that answers instead of a file (the
 * consumer tests mount the README's proxy at "/kling/"). A path ending in "/" serves its
 * index.html.
 */
export async function startFixtureServer({ root, cors = false, routes = {} } = {}) {
  const base = resolve(root ?? "tests/fixtures/generated");
  const stats = { requests: 0, bytes: 0 };
  const server = createServer(async (req, res) => {
    stats.requests++;
    // Lets pages with `Cross-Origin-Embedder-Policy: require-corp` (the wasm-bindgen test
    // page is one) embed the files in <img>/<video>. This is not CORS: scripts still cannot
    // read the bytes without the headers below.
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    if (cors) {
      res.setHeader("Access-Control-Allow-Origin", "*");
      res.setHeader("Access-Control-Allow-Headers", "Range");
      res.setHeader("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
      res.setHeader("Access-Control-Expose-Headers", "Content-Length, Content-Range, Accept-Ranges");
    }
    const route = Object.keys(routes).find((prefix) => req.url.startsWith(prefix));
    if (route) { routes[route](req, res); return; }
    if (req.method === "OPTIONS") { res.writeHead(204).end(); return; }
    if (req.method !== "GET" && req.method !== "HEAD") { res.writeHead(405).end(); return; }
    let path;
    try {
      path = resolve(base, "." + decodeURIComponent(new URL(req.url, "http://x").pathname));
    } catch { res.writeHead(400).end(); return; }
    if (path !== base && !path.startsWith(base + sep)) { res.writeHead(403).end(); return; }
    if (req.url.split("?")[0].endsWith("/")) path = resolve(path, "index.html");
    let st;
    try { st = await stat(path); } catch { st = null; }
    if (!st || !st.isFile()) { res.writeHead(404).end(); return; }
    const size = st.size;
    res.setHeader("Accept-Ranges", "bytes");
    res.setHeader("Content-Type", TYPES[extname(path).toLowerCase()] ?? "application/octet-stream");
    res.setHeader("Cache-Control", "no-store");
    let start = 0, end = size - 1, status = 200;
    const range = req.headers.range;
    if (range) {
      const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      if (!m || (m[1] === "" && m[2] === "")) { res.writeHead(416, { "Content-Range": `bytes */${size}` }).end(); return; }
      if (m[1] === "") { start = Math.max(0, size - Number(m[2])); }
      else { start = Number(m[1]); if (m[2] !== "") end = Math.min(Number(m[2]), size - 1); }
      if (start >= size || start > end) { res.writeHead(416, { "Content-Range": `bytes */${size}` }).end(); return; }
      status = 206;
      res.setHeader("Content-Range", `bytes ${start}-${end}/${size}`);
    }
    const length = size === 0 ? 0 : end - start + 1;
    res.setHeader("Content-Length", String(length));
    res.writeHead(status);
    if (req.method === "HEAD" || length === 0) { res.end(); return; }
    stats.bytes += length;
    const stream = createReadStream(path, { start, end });
    stream.on("error", () => res.destroy());
    res.on("close", () => stream.destroy());
    stream.pipe(res);
  });
  await new Promise((ok, fail) => { server.once("error", fail); server.listen(0, "127.0.0.1", ok); });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    stats,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
