// Serves the demo: www/ at /, the web package at /pkg/, on 127.0.0.1 only, together with
// the fake gateway (tests/gateway.mjs, key "test-key") so the whole flow works offline.
//   node scripts/serve.mjs [--port 8080] [--gateway-port 8081] [--no-gateway]
// The page reads /config.json to find the gateway.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startGateway } from "../tests/gateway.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png",
  ".jpg": "image/jpeg", ".mp4": "video/mp4", ".d.ts": "text/plain; charset=utf-8",
};

/** Serves www/ and pkg/. `config` is answered at /config.json. Resolves with the http.Server. */
export function startDemoServer({ port = 8080, host = "127.0.0.1", config = {} } = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    let rel = decodeURIComponent(url.pathname);
    if (rel === "/config.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(config));
      return;
    }
    const base = rel.startsWith("/pkg/") ? root : path.join(root, "www");
    if (rel === "/") rel = "/index.html";
    const file = path.normalize(path.join(base, rel));
    if (!file.startsWith(base)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * The demo page and the fake gateway. Port 0 picks a free port.
 * @returns {Promise<{url: string, gatewayUrl: string, gateway: object, close: () => Promise<void>}>}
 */
export async function startDemo({ port = 8080, gatewayPort = 8081, gateway = true } = {}) {
  const gw = gateway ? await startGateway({ port: gatewayPort }) : null;
  // The fake gateway's key is public ("test-key"); a real key is only ever typed into the page.
  const config = gw ? { gatewayUrl: gw.url, demoKey: "test-key" } : {};
  const server = await startDemoServer({ port, config });
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    gatewayUrl: gw?.url,
    gateway: gw,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(() => r()));
      if (gw) await gw.close();
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
  };
  const demo = await startDemo({
    port: Number(arg("--port", "8080")),
    gatewayPort: Number(arg("--gateway-port", "8081")),
    gateway: !process.argv.includes("--no-gateway"),
  });
  console.log(`kling-omni demo: ${demo.url}/`);
  if (demo.gatewayUrl) console.log(`fake gateway:    ${demo.gatewayUrl} (key "test-key")`);
  const stop = async () => { await demo.close(); process.exit(0); };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
