// The bench's static server: the repository root on 127.0.0.1 (a free port), GET/HEAD with
// single byte ranges, cross-origin isolation headers (so performance.now() ticks in 5 µs,
// not 100 µs), and a count of the bytes actually handed to the network (not the bytes a
// range asked for: a media element that cancels a long answer is charged what it got).
import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json", ".wasm": "application/wasm", ".jpg": "image/jpeg", ".png": "image/png", ".mp4": "video/mp4",
};

export async function startServer(root) {
  const base = resolve(root);
  const counter = { bytes: 0, requests: 0 };
  const server = createServer(async (req, res) => {
    counter.requests++;
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
    res.setHeader("Cache-Control", "no-store");
    const path = resolve(base, "." + decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!path.startsWith(base + sep)) return res.writeHead(403).end();
    let st;
    try { st = await stat(path); } catch { st = null; }
    if (!st?.isFile()) return res.writeHead(404).end();
    let start = 0, end = st.size - 1, status = 200;
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? "");
    if (m && (m[1] || m[2])) {
      if (m[1] === "") start = Math.max(0, st.size - Number(m[2]));
      else { start = Number(m[1]); if (m[2]) end = Math.min(Number(m[2]), st.size - 1); }
      if (start > end) return res.writeHead(416, { "Content-Range": `bytes */${st.size}` }).end();
      status = 206;
      res.setHeader("Content-Range", `bytes ${start}-${end}/${st.size}`);
    }
    res.setHeader("Accept-Ranges", "bytes");
    res.setHeader("Content-Type", TYPES[extname(path)] ?? "application/octet-stream");
    res.setHeader("Content-Length", String(end - start + 1));
    res.writeHead(status);
    if (req.method === "HEAD") return res.end();
    const stream = createReadStream(path, { start, end });
    stream.on("data", (chunk) => { counter.bytes += chunk.length; });
    stream.on("error", () => res.destroy());
    res.on("close", () => stream.destroy());
    stream.pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    counter,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}
