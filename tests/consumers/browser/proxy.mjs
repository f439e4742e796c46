// On your server (Node 20+, no dependencies): forwards the client's calls to Kling with the key,
// which stays in the server's environment. Mount it at /kling and give the client
// `baseUrl: location.origin + "/kling"`.
const O1 = process.env.KLING_O1_URL ?? "https://models.hingnet.com.cn";
const V3 = process.env.KLING_V3_URL ?? "https://api.modelverse.cn";
const KEY = process.env.KLING_API_KEY ?? "";

export async function klingProxy(req, res) {
  const path = req.url.replace(/^\/kling(?=\/)/, "");
  const o1 = path.startsWith("/kling/v1/videos/omni-video");
  if (!o1 && !/^\/v1\/tasks\/(submit|status)\b/.test(path)) {
    res.writeHead(404).end(); // forward only Kling's own endpoints
    return;
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const answer = await fetch((o1 ? O1 : V3) + path, {
      method: req.method,
      headers: { "content-type": "application/json", authorization: o1 ? `Bearer ${KEY}` : KEY },
      body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  } catch {
    res.writeHead(502).end();
  }
}
// import http from "node:http";
// http.createServer((req, res) => req.url.startsWith("/kling/") ? klingProxy(req, res) : yourSite(req, res)).listen(8080);
