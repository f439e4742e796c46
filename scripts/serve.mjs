// Serves the demo: www/ at /, the web package at /pkg/, on 127.0.0.1 only, together with
// the fake gateway (tests/gateway.mjs, key "test-key") so the whole flow works offline.
//   node scripts/serve.mjs [--port 8080] [--gateway-port 8081] [--no-gateway]
// The page reads /config.json to find the gateway.
//
// Kling's own API (`provider: "kling"`) takes tokens minted with a secret key, which must not
// reach the page: this server proxies /kling-api/v1/videos/omni-video[/{id}][?pageNum&pageSize]
// to KLING_API_URL (the fake gateway by default) and adds `Authorization: Bearer <token>`,
// minted here from KLING_ACCESS_KEY and KLING_SECRET_KEY (the fake gateway's test keys by
// default). The page uses `new KlingClient({ provider: "kling", baseUrl: <origin> + "/kling-api" })`
// with no key (config.json: `klingProxyPath`).
import { createServer } from "node:http";
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startGateway, KLING_TEST_ACCESS_KEY, KLING_TEST_SECRET_KEY } from "../tests/gateway.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png",
  ".jpg": "image/jpeg", ".mp4": "video/mp4", ".d.ts": "text/plain; charset=utf-8",
};

/** The path the page sends Kling's own API calls to; this server adds the token. */
export const KLING_PROXY_PATH = "/kling-api";
const KLING_PATH = /^\/v1\/videos\/omni-video(\/[^/?#]+)?$/;
// Headers the page may pass on: the body's type and the fake gateway's test switches.
const FORWARDED = ["content-type", "x-fault", "x-fault-times", "x-task-ms", "x-test-scope"];

/** A token source: Kling's JWT (HS256; iss, exp, nbf), a new one when less than a minute is left. */
export function klingTokens({ accessKey, secretKey, ttlSeconds = 1800 }) {
  let cached = null;
  return () => {
    const now = Math.floor(Date.now() / 1000);
    if (cached && cached.exp - now >= 60) return cached.token;
    const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const input = `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: accessKey, exp: now + ttlSeconds, nbf: now - 5 })}`;
    cached = { token: `${input}.${createHmac("sha256", secretKey).update(input).digest("base64url")}`, exp: now + ttlSeconds };
    return cached.token;
  };
}

/** Forwards a page's Kling call to `upstream` with a fresh token; the page's own Authorization is dropped. */
async function proxyKling(req, res, upstream, token) {
  const url = new URL(req.url, "http://x");
  const rest = url.pathname.slice(KLING_PROXY_PATH.length);
  const m = KLING_PATH.exec(rest);
  const allowed = m && (req.method === "GET" || (req.method === "POST" && !m[1]));
  if (!allowed) {
    res.writeHead(404, { "content-type": "application/json" }).end('{"code":1203,"message":"not a Kling endpoint"}');
    return;
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const headers = { authorization: `Bearer ${token()}` };
  for (const h of FORWARDED) if (req.headers[h] !== undefined) headers[h] = req.headers[h];
  try {
    const answer = await fetch(upstream + rest + url.search, {
      method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    const out = { "content-type": answer.headers.get("content-type") ?? "application/json", "cache-control": "no-store" };
    const retryAfter = answer.headers.get("retry-after");
    if (retryAfter) out["retry-after"] = retryAfter;
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    res.writeHead(502).end();
  }
}

/**
 * Serves www/ and pkg/. `config` is answered at /config.json; with `kling` ({ upstream,
 * accessKey, secretKey }), Kling calls under /kling-api/ are proxied with tokens. Resolves with
 * the http.Server.
 */
export function startDemoServer({ port = 8080, host = "127.0.0.1", config = {}, kling = null } = {}) {
  const token = kling ? klingTokens(kling) : null;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    let rel = decodeURIComponent(url.pathname);
    if (token && rel.startsWith(KLING_PROXY_PATH + "/")) {
      await proxyKling(req, res, kling.upstream.replace(/\/$/, ""), token);
      return;
    }
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
  // Kling's own API through this server, which mints the tokens: the page holds no secret.
  const upstream = process.env.KLING_API_URL ?? gw?.url;
  const kling = upstream
    ? {
      upstream,
      accessKey: process.env.KLING_ACCESS_KEY ?? KLING_TEST_ACCESS_KEY,
      secretKey: process.env.KLING_SECRET_KEY ?? KLING_TEST_SECRET_KEY,
    }
    : null;
  if (kling) config.klingProxyPath = KLING_PROXY_PATH;
  const server = await startDemoServer({ port, config, kling });
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
  console.log(`Kling's own API: ${demo.url}${KLING_PROXY_PATH} → ${process.env.KLING_API_URL ?? demo.gatewayUrl ?? "(none)"}, tokens minted here`);
  const stop = async () => { await demo.close(); process.exit(0); };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
