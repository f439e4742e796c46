// A fake gateway for the three providers, for tests and the demo. Node, no dependencies.
//
//   import { startGateway } from "./gateway.mjs";
//   const gw = await startGateway({ port: 0 });   // { url, close, stats }
//   node tests/gateway.mjs [--port N] [--key K] [--ttl SECONDS] [--keep-alive]   (prints its URL)
//
// Endpoints (the documented answer shapes of docs/rules.md, "The client"):
//   POST /kling/v1/videos/omni-video        O1 create   (Authorization: Bearer <key>)
//   GET  /kling/v1/videos/omni-video/{id}   O1 query by task_id, external_task_id or platform_id
//   POST /v1/tasks/submit                   V3 submit   (Authorization: <key>, no Bearer)
//   GET  /v1/tasks/status?task_id=…         V3 status
//   POST /v1/videos/omni-video              Kling's own API: create (Authorization: Bearer <JWT>)
//   GET  /v1/videos/omni-video/{id}         Kling: query by task_id or external_task_id
//   GET  /v1/videos/omni-video?pageNum=P&pageSize=S   Kling: the list, newest first (P 1…1000,
//                                           default 1; S 1…500, default 30), of the tasks made
//                                           in the request's scope
// Kling's tokens are checked as Kling does: HS256 under the secret key (`KLING_TEST_SECRET_KEY`),
// `iss` the access key (`KLING_TEST_ACCESS_KEY`), `nbf` and `exp` against the clock. No header:
// 401 code 1001; a bad token (signature, `iss`, shape): 1002; not yet valid: 1003; expired: 1004.
// A header `x-clock-warp: T0,R` runs the token clock R times as fast from T0 (ms since the
// epoch), so a test can cover half an hour of tokens in seconds with `Date.now` warped alike.
// Kling tasks carry `final_unit_deduction` once done (the duration, ×2 for `mode: "pro"`) and
// `watermark_url` per video when `watermark_info.enabled`. With a `callback_url` (O1, Kling),
// the task is POSTed there as Kling does, on creation and on each status change.
//   GET  /media/{task_id}.mp4               the result: a real 64×64, 1 s H.264 MP4 (957 bytes)
//   GET  /__stats[?scope=S]  POST /__reset  counters, for tests (also `gw.stats(scope)`)
//
// Tasks move queued → running → succeeded over `queuedMs` + `runningMs` (300 + 700 ms by
// default; per request: header `x-task-ms: N` for the whole run).
//
// Keep-alive: every answer closes its connection (see `cors` below), unless the gateway is
// started with `keepAlive: true` (`--keep-alive`), as a real gateway behind HTTP/1.1 would
// be: then a request can go on a connection an earlier one opened (a reused connection).
//
// Scopes: a request with header `x-test-scope: S` is counted under S as well as globally,
// and its fault counters are S's own, so tests that run at once do not disturb each other.
//
// Faults, by header `x-fault: NAME` (or `#fault=NAME` in the prompt), optionally only for
// the first N matching requests: `x-fault-times: N`. Create faults apply to creates only,
// query faults to queries only, so one client can carry the header through a whole test.
//   create-500          500, empty body, no task made
//   create-500-created  the task is made, then 500 with an empty body (a lost answer)
//   create-503          503, empty body, no task made
//   create-429          429 with no body code
//   create-1302         429 with code 1302;   create-1303: 429 with code 1303
//   create-1304         429 with code 1304 (IP allow-list: not worth retrying)
//   create-1301         400 with code 1301 (content safety)
//   create-006001094    (V3) 500 with code 006001094; create-006001099 likewise
//   create-malformed    the task is made, the answer is truncated JSON
//   create-hang         the task is made, no answer ever
//   create-drop         the task is made, then the connection is dropped
//   query-500 / query-503 / query-1302 / query-malformed / query-hang / query-drop
//   moderation          the task ends `failed` with a content-moderation reason
//   auth-1004           (O1, Kling) any call answers 401 with code 1004 (expired token)
//   auth-echo           (O1, Kling) 401 with code 1002 whose message and request_id echo the
//                       Authorization header back (a careless server; the client must redact it)
//   slow                the task takes 60 s (for overall-timeout tests)
//   create-proto        the task is made; the answer also carries `__proto__` and
//                       `constructor` keys (a hostile proxy), in its root and its data

import http from "node:http";
import { createHmac, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";

export const RESULT_MP4 = Buffer.from(
  "AAAAIGZ0eXBpc29tAAACAGlzb21pc28yYXZjMW1wNDEAAANAbW9vdgAAAGxtdmhkAAAAAAAAAAAAAAAAAAAD6AAAA+gAAQAAAQAA" +
  "AAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAA" +
  "Ao90cmFrAAAAXHRraGQAAAADAAAAAAAAAAAAAAABAAAAAAAAA+gAAAAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAABAAAA" +
  "AAAAAAAAAAAAAABAAAAAAEAAAABAAAAAAAAkZWR0cwAAABxlbHN0AAAAAAAAAAEAAAPoAAAgAAABAAAAAAIHbWRpYQAAACBtZGhk" +
  "AAAAAAAAAAAAAAAAAABAAAAAQABVxAAAAAAALWhkbHIAAAAAAAAAAHZpZGUAAAAAAAAAAAAAAABWaWRlb0hhbmRsZXIAAAABsm1p" +
  "bmYAAAAUdm1oZAAAAAEAAAAAAAAAAAAAACRkaW5mAAAAHGRyZWYAAAAAAAAAAQAAAAx1cmwgAAAAAQAAAXJzdGJsAAAAwnN0c2QA" +
  "AAAAAAAAAQAAALJhdmMxAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAEAAQABIAAAASAAAAAAAAAABDExhdmMgbGlieDI2NAAAAAAA" +
  "AAAAAAAAAAAAAAAAAAAAGP//AAAAOGF2Y0MBZAAK/+EAGmdkAAqscgREJsBEAAADAAQAAAMAIDxIlhGAAQAHaOhDg5LIsP34+AAA" +
  "AAAQcGFzcAAAAAEAAAABAAAAFGJ0cnQAAAAAAAACaAAAAmgAAAAYc3R0cwAAAAAAAAABAAAABAAAEAAAAAAUc3RzcwAAAAAAAAAB" +
  "AAAAAQAAAChjdHRzAAAAAAAAAAMAAAABAAAgAAAAAAEAAEAAAAAAAgAAEAAAAAAcc3RzYwAAAAAAAAABAAAAAQAAAAQAAAABAAAA" +
  "JHN0c3oAAAAAAAAAAAAAAAQAAAAlAAAADgAAAA0AAAANAAAAFHN0Y28AAAAAAAAAAQAAA3AAAAA9dWR0YQAAADVtZXRhAAAAAAAA" +
  "ACFoZGxyAAAAAAAAAABtZGlyYXBwbAAAAAAAAAAAAAAAAAhpbHN0AAAACGZyZWUAAABVbWRhdAAAACFliIEAAl/+O7PAoqtE3uvy" +
  "a21hGqi4ksyWzk+pjfTuMvkAAAAKQZoIbYgh/wDPgAAAAAlBnhAnEEf/LeEAAAAJAZ4YTUgh/zgg",
  "base64",
);

export const MODERATION_REASON = "Failure to pass the risk control system: content moderation";

const O1_PATH = "/kling/v1/videos/omni-video";
const KLING_PATH = "/v1/videos/omni-video";
/** The keys the fake Kling API takes (test values: the demo's server mints with them too). */
export const KLING_TEST_ACCESS_KEY = "test-access-key";
export const KLING_TEST_SECRET_KEY = "test-secret-key";

const JWT_MESSAGES = {
  1001: "Authorization is empty",
  1002: "Authorization is invalid",
  1003: "Authorization is not yet valid",
  1004: "Authorization has expired",
};

/** Checks a Kling `Authorization` header at `nowS` (Unix seconds): 0 when good, else Kling's code. */
export function checkKlingToken(header, nowS, { accessKey = KLING_TEST_ACCESS_KEY, secretKey = KLING_TEST_SECRET_KEY } = {}) {
  if (header === undefined || header === "") return 1001;
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header);
  if (!m) return 1002;
  let head, claims;
  try {
    head = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(m[2], "base64url").toString("utf8"));
  } catch {
    return 1002;
  }
  const signature = createHmac("sha256", secretKey).update(`${m[1]}.${m[2]}`).digest("base64url");
  if (head?.alg !== "HS256" || signature !== m[3] || claims?.iss !== accessKey) return 1002;
  if (typeof claims.exp !== "number" || typeof claims.nbf !== "number") return 1002;
  if (nowS < claims.nbf) return 1003;
  if (nowS >= claims.exp) return 1004;
  return 0;
}

function emptyStats() {
  return {
    created: 0,         // tasks made
    createRequests: 0,  // create requests received (refused ones included)
    queries: 0,         // query requests received (lists included)
    lists: 0,           // Kling list requests received
    callbacks: 0,       // callbacks POSTed (answered or not)
    auth: { bearer: 0, bare: 0, none: 0, wrong: 0 },
    // Kling's tokens: accepted, distinct accepted tokens, and refusals by reason.
    jwt: { valid: 0, tokens: 0, none: 0, invalid: 0, notYet: 0, expired: 0 },
  };
}

/**
 * Starts the gateway on 127.0.0.1.
 * @param {{port?: number, key?: string, accessKey?: string, secretKey?: string, queuedMs?: number, runningMs?: number, log?: boolean, keepAlive?: boolean}} [options]
 * @returns {Promise<{url: string, close: () => Promise<void>, stats: (scope?: string) => object}>}
 */
export async function startGateway({
  port = 0, key = "test-key", accessKey = KLING_TEST_ACCESS_KEY, secretKey = KLING_TEST_SECRET_KEY,
  queuedMs = 300, runningMs = 700, log = false, keepAlive = false,
} = {}) {
  const tasks = new Map();   // task_id -> task
  const byExternal = new Map();
  const byPlatform = new Map();
  let global = emptyStats();
  let scopes = new Map();    // scope -> stats
  let faultUses = new Map(); // scope|fault -> count
  const sockets = new Set();
  const timers = new Set();  // callbacks to come
  let seenTokens = new Map(); // scope -> Set of accepted tokens ("" for all)
  let seq = 0;
  let base = "";

  const scopeStats = (scope) => {
    if (!scope) return null;
    if (!scopes.has(scope)) scopes.set(scope, emptyStats());
    return scopes.get(scope);
  };
  const count = (scope, f) => { f(global); const s = scopeStats(scope); if (s) f(s); };

  // Every answer closes its connection. Browsers resend a request by themselves (POST
  // included) when a *reused* keep-alive connection closes before any answer; with
  // keep-alive, "create-drop" would test Chromium's network stack instead of the client.
  // `keepAlive: true` is for the tests of exactly that (tests/client_suite: reused connections).
  const cors = (req) => ({
    ...(keepAlive ? {} : { "connection": "close" }),
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": req.headers["access-control-request-headers"] || "authorization, content-type",
    "access-control-expose-headers": "retry-after, x-request-id",
    "access-control-max-age": "600",
  });

  function send(req, res, status, body, extra = {}) {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, { ...cors(req), "content-type": "application/json; charset=utf-8", ...extra });
    res.end(text);
  }

  function requestId() { return `req_${Date.now().toString(36)}_${(++seq).toString(36)}`; }

  // The fault this request asks for, if it applies to this kind of call and has uses left.
  function fault(req, scope, kind, prompt) {
    let name = req.headers["x-fault"];
    if (!name && typeof prompt === "string") {
      const m = /#fault=([\w-]+)/.exec(prompt);
      if (m) name = m[1];
    }
    if (!name) return null;
    const applies = name.startsWith(kind + "-") || (kind === "create" && (name === "moderation" || name === "slow"));
    if (!applies) return null;
    const times = Number(req.headers["x-fault-times"] || "Infinity");
    const k = `${scope || ""}|${name}`;
    const used = faultUses.get(k) || 0;
    if (used >= times) return null;
    faultUses.set(k, used + 1);
    return name;
  }

  // The token clock: real time, or warped by `x-clock-warp: T0,R`.
  function tokenNowS(req) {
    const warp = /^(\d+),(\d+(?:\.\d+)?)$/.exec(req.headers["x-clock-warp"] || "");
    const now = Date.now();
    const ms = warp ? Number(warp[1]) + (now - Number(warp[1])) * Number(warp[2]) : now;
    return Math.floor(ms / 1000);
  }

  function checkAuth(req, res, provider, scope) {
    const h = req.headers["authorization"];
    if (provider === "kling") {
      const code = checkKlingToken(h, tokenNowS(req), { accessKey, secretKey });
      const reason = { 0: "valid", 1001: "none", 1002: "invalid", 1003: "notYet", 1004: "expired" }[code];
      count(scope, (s) => { s.jwt[reason] += 1; });
      if (code === 0) {
        for (const [sc, st] of [["", global], ...(scope ? [[scope, scopeStats(scope)]] : [])]) {
          if (!seenTokens.has(sc)) seenTokens.set(sc, new Set());
          const seen = seenTokens.get(sc);
          if (!seen.has(h)) { seen.add(h); st.jwt.tokens += 1; }
        }
        return true;
      }
      send(req, res, 401, { code, message: JWT_MESSAGES[code], request_id: requestId() });
      return false;
    }
    const form = h === undefined ? "none" : h === `Bearer ${key}` ? "bearer" : h === key ? "bare" : "wrong";
    count(scope, (s) => { s.auth[form] += 1; });
    // V3 takes the bare key (its documented example) or `Bearer <key>` (revision 2).
    const ok = provider === "o1" ? form === "bearer" : form === "bare" || form === "bearer";
    if (ok) return true;
    if (provider === "o1") {
      const code = form === "none" ? 1001 : 1002;
      send(req, res, 401, { code, message: code === 1001 ? "Authorization is empty" : "Authorization is invalid", request_id: requestId() });
    } else {
      send(req, res, 401, { error: { message: "invalid api key", type: "authentication_error" }, request_id: requestId() });
    }
    return false;
  }

  function makeTask(provider, body, req, scope, f) {
    const now = Date.now();
    const total = f === "slow" ? 60_000 : Number(req.headers["x-task-ms"]) || queuedMs + runningMs;
    const flat = provider !== "v3";
    const id = provider === "o1" ? `task_${randomUUID().replace(/-/g, "").slice(0, 20)}`
      : provider === "kling" ? `${now}${String(++seq).padStart(5, "0")}` : randomUUID();
    const ext = flat ? body.external_task_id : body.parameters?.external_task_id;
    const task = {
      id, provider, createdAt: now, seq: ++seq, scope,
      pro: body.mode === "pro",
      watermark: body.watermark_info?.enabled === true,
      queuedUntil: now + Math.round(total * queuedMs / (queuedMs + runningMs || 1)),
      doneAt: now + total,
      external: typeof ext === "string" && ext ? ext : undefined,
      platformId: `video_${(now.toString(36) + randomUUID().replace(/-/g, "")).slice(0, 26).toUpperCase()}`,
      fail: f === "moderation",
      duration: flat ? String(body.duration ?? "5") : Number(body.parameters?.duration ?? 5),
      queryFaults: 0,
    };
    tasks.set(id, task);
    if (task.external) byExternal.set(`${provider}|${task.external}`, task);
    byPlatform.set(task.platformId, task);
    count(scope, (s) => { s.created += 1; });
    if (flat && typeof body.callback_url === "string" && /^https?:\/\//.test(body.callback_url)) {
      scheduleCallbacks(task, body.callback_url, scope);
    }
    return task;
  }

  // Kling POSTs the task to `callback_url` on each status change: here on creation, when it
  // starts running and when it ends. Failed deliveries are not retried.
  function scheduleCallbacks(task, url, scope) {
    const post = () => {
      count(scope, (s) => { s.callbacks += 1; });
      fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(taskData(task)) })
        .then((r) => r.arrayBuffer(), () => {})
        .catch(() => {});
    };
    for (const at of [0, task.queuedUntil - task.createdAt, task.doneAt - task.createdAt]) {
      const t = setTimeout(() => { timers.delete(t); post(); }, at + 5);
      timers.add(t);
    }
  }

  function stateOf(task) {
    const now = Date.now();
    const step = now < task.queuedUntil ? 0 : now < task.doneAt ? 1 : task.fail ? 3 : 2;
    return task.provider !== "v3"
      ? ["submitted", "processing", "succeed", "failed"][step]
      : ["Pending", "Running", "Success", "Failure"][step];
  }

  // A task as the O1 gateway or Kling's own API describes it (query `data`, list item,
  // callback body).
  function taskData(task) {
    const d = o1Data(task);
    if (task.provider !== "kling") return d;
    delete d.platform_id;
    d.watermark_info = { enabled: task.watermark };
    if (d.task_status === "succeed") {
      d.final_unit_deduction = String(Number(task.duration) * (task.pro ? 2 : 1));
      for (const v of d.task_result.videos) {
        if (task.watermark) v.watermark_url = `${base}/media/${task.id}.mp4?watermark=1`;
      }
    }
    return d;
  }

  function o1Data(task) {
    const st = stateOf(task);
    const d = {
      task_id: task.id, platform_id: task.platformId, task_status: st,
      task_status_msg: st === "failed" ? MODERATION_REASON : "",
      task_info: task.external ? { external_task_id: task.external } : {},
      created_at: task.createdAt, updated_at: st === "succeed" || st === "failed" ? task.doneAt : task.createdAt,
    };
    if (st === "succeed") {
      d.task_result = { videos: [{ id: `${task.id}_v0`, url: `${base}/media/${task.id}.mp4`, duration: task.duration }] };
    }
    return d;
  }

  function v3Output(task) {
    const st = stateOf(task);
    const o = { task_id: task.id, task_status: st, submit_time: Math.floor(task.createdAt / 1000) };
    if (st === "Success" || st === "Failure") o.finish_time = Math.floor(task.doneAt / 1000);
    if (st === "Success") o.urls = [`${base}/media/${task.id}.mp4`];
    if (st === "Failure") o.error_message = MODERATION_REASON;
    return { output: o, usage: { duration: task.duration }, request_id: "" };
  }

  // Answers an error for a fault, or does the lost-answer thing. Returns true when handled.
  function applyErrorFault(req, res, provider, f) {
    const o1 = provider !== "v3"; // Kling's envelope, on both flat-body APIs
    const apiErr = (status, code, message) => send(req, res, status, o1
      ? { code, message, request_id: requestId() }
      : { error: { code: String(code), message }, request_id: requestId() });
    const name = f.replace(/^(create|query|auth)-/, "");
    switch (name) {
      case "500": res.writeHead(500, cors(req)); res.end(); return true;
      case "503": res.writeHead(503, cors(req)); res.end(); return true;
      case "429": res.writeHead(429, { ...cors(req), "retry-after": "0" }); res.end(); return true;
      case "1302": apiErr(429, 1302, "too many requests"); return true;
      case "1303": apiErr(429, 1303, "parallel task over resource pack limit"); return true;
      case "1304": apiErr(429, 1304, "ip not in whitelist"); return true;
      case "1301": apiErr(400, 1301, "content security policy triggered"); return true;
      case "1004": apiErr(401, 1004, "token expired"); return true;
      case "echo": {
        // A careless server: the header comes back in the message and as the request id.
        const h = String(req.headers["authorization"] ?? "");
        send(req, res, 401, { code: 1002, message: `invalid authorization: ${h}`, request_id: h });
        return true;
      }
      case "006001094": apiErr(500, "006001094", "任务资源不足"); return true;
      case "006001099": apiErr(500, "006001099", "任务创建错误"); return true;
      case "malformed": res.writeHead(200, { ...cors(req), "content-type": "application/json" }); res.end('{"code":0,"data":{"task_'); return true;
      case "hang": return true; // never answer; close() destroys the socket
      case "drop": req.socket.destroy(); return true;
      default: return false;
    }
  }

  async function readBody(req) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function handle(req, res) {
    const u = new URL(req.url, "http://x");
    const scope = req.headers["x-test-scope"] || "";
    if (log) console.error(req.method, u.pathname, req.headers["x-fault"] || "");
    if (req.method === "OPTIONS") { res.writeHead(204, cors(req)); res.end(); return; }

    if (u.pathname === "/__stats" && req.method === "GET") {
      const s = u.searchParams.get("scope");
      return send(req, res, 200, s ? (scopes.get(s) || emptyStats()) : global);
    }
    if (u.pathname === "/__reset" && req.method === "POST") {
      tasks.clear(); byExternal.clear(); byPlatform.clear();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      global = emptyStats(); scopes = new Map(); faultUses = new Map(); seenTokens = new Map();
      return send(req, res, 200, { ok: true });
    }
    if (u.pathname.startsWith("/media/") && req.method === "GET") {
      res.writeHead(200, { ...cors(req), "content-type": "video/mp4", "content-length": RESULT_MP4.length });
      res.end(RESULT_MP4);
      return;
    }

    const isO1Create = u.pathname === O1_PATH && req.method === "POST";
    const isO1Query = u.pathname.startsWith(O1_PATH + "/") && req.method === "GET";
    const isV3Submit = u.pathname === "/v1/tasks/submit" && req.method === "POST";
    const isV3Status = u.pathname === "/v1/tasks/status" && req.method === "GET";
    const isKlingCreate = u.pathname === KLING_PATH && req.method === "POST";
    const isKlingList = u.pathname === KLING_PATH && req.method === "GET";
    const isKlingQuery = u.pathname.startsWith(KLING_PATH + "/") && req.method === "GET";
    if (!(isO1Create || isO1Query || isV3Submit || isV3Status || isKlingCreate || isKlingList || isKlingQuery)) {
      return send(req, res, 404, { code: 1203, message: "not found", request_id: requestId() });
    }
    const provider = isO1Create || isO1Query ? "o1" : isV3Submit || isV3Status ? "v3" : "kling";
    const flat = provider !== "v3";
    const isCreate = isO1Create || isV3Submit || isKlingCreate;
    const text = isCreate ? await readBody(req) : "";
    count(scope, (s) => {
      if (isCreate) s.createRequests += 1; else s.queries += 1;
      if (isKlingList) s.lists += 1;
    });

    const authFault = fault(req, scope, "auth", null);
    if (authFault && applyErrorFault(req, res, provider, authFault)) return;
    if (!checkAuth(req, res, provider, scope)) return;

    if (isCreate) {
      let body;
      try { body = JSON.parse(text); } catch { body = null; }
      if (!body || typeof body !== "object" || Array.isArray(body)) {
        return send(req, res, 400, flat
          ? { code: 1200, message: "request body is not a JSON object", request_id: requestId() }
          : { error: { code: "006001099", message: "invalid body" }, request_id: requestId() });
      }
      const prompt = flat ? body.prompt : body.input?.prompt;
      const f = fault(req, scope, "create", prompt);
      // Faults that refuse before any task exists.
      if (f && !["create-500-created", "create-malformed", "create-hang", "create-drop", "moderation", "slow"].includes(f)) {
        if (applyErrorFault(req, res, provider, f)) return;
      }
      const ext = flat ? body.external_task_id : body.parameters?.external_task_id;
      if (typeof ext === "string" && ext && byExternal.has(`${provider}|${ext}`)) {
        return send(req, res, 400, flat
          ? { code: 1201, message: "external_task_id already exists", request_id: requestId() }
          : { error: { code: "006001099", message: "external_task_id already exists" }, request_id: requestId() });
      }
      const task = makeTask(provider, body, req, scope, f);
      if (f === "create-500-created") { res.writeHead(500, cors(req)); res.end(); return; }
      if (f === "create-proto") {
        // JSON text, so the keys are written as sent: an object literal would set a prototype.
        const hostile = '"__proto__":{"polluted":true,"task_id":"fake"},"constructor":{"prototype":{"polluted":true}}';
        const ok = flat
          ? `{${hostile},"code":0,"message":"success","request_id":"${requestId()}","data":{${hostile},"task_id":"${task.id}","task_status":"submitted","created_at":${task.createdAt},"updated_at":${task.createdAt}}}`
          : `{${hostile},"output":{${hostile},"task_id":"${task.id}"},"request_id":"${requestId()}"}`;
        return send(req, res, 200, ok);
      }
      if (f && applyErrorFault(req, res, provider, f)) return; // malformed, hang, drop
      if (flat) {
        const d = o1Data(task);
        return send(req, res, 200, {
          code: 0, message: "success", request_id: requestId(),
          data: { task_id: d.task_id, ...(provider === "o1" && { platform_id: d.platform_id }), task_status: "submitted", task_info: d.task_info, created_at: d.created_at, updated_at: d.updated_at },
        });
      }
      return send(req, res, 200, { output: { task_id: task.id }, request_id: requestId() });
    }

    // Queries (and lists).
    const f = fault(req, scope, "query", null);
    if (f && applyErrorFault(req, res, provider, f)) return;
    if (isKlingList) {
      const page = (name, max, dflt) => {
        const v = u.searchParams.get(name);
        if (v === null) return dflt;
        return /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= max ? Number(v) : NaN;
      };
      const pageNum = page("pageNum", 1000, 1);
      const pageSize = page("pageSize", 500, 30);
      if (Number.isNaN(pageNum) || Number.isNaN(pageSize)) {
        return send(req, res, 400, { code: 1201, message: "pageNum must be 1-1000 and pageSize 1-500", request_id: requestId() });
      }
      const mine = [...tasks.values()].filter((t) => t.provider === "kling" && t.scope === scope).sort((a, b) => b.seq - a.seq);
      const data = mine.slice((pageNum - 1) * pageSize, pageNum * pageSize).map(taskData);
      return send(req, res, 200, { code: 0, message: "SUCCEED", request_id: requestId(), data });
    }
    if (provider === "kling") {
      const id = decodeURIComponent(u.pathname.slice(KLING_PATH.length + 1));
      const task = (tasks.get(id)?.provider === "kling" && tasks.get(id)) || byExternal.get(`kling|${id}`);
      if (!task) return send(req, res, 404, { code: 1203, message: "task not found", request_id: requestId() });
      return send(req, res, 200, { code: 0, message: "SUCCEED", request_id: requestId(), data: taskData(task) });
    }
    if (provider === "o1") {
      const id = decodeURIComponent(u.pathname.slice(O1_PATH.length + 1));
      const task = (tasks.get(id)?.provider === "o1" && tasks.get(id)) || byExternal.get(`o1|${id}`) || byPlatform.get(id);
      if (!task) return send(req, res, 404, { code: 1203, message: "task not found", request_id: requestId() });
      return send(req, res, 200, { code: 0, message: "success", request_id: requestId(), data: o1Data(task) });
    }
    const id = u.searchParams.get("task_id") || "";
    const task = tasks.get(id);
    if (!task || task.provider !== "v3") {
      return send(req, res, 404, { error: { code: "006001095", message: "task not found" }, request_id: requestId() });
    }
    return send(req, res, 200, v3Output(task));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      try { send(req, res, 500, { code: 5000, message: String(e && e.message), request_id: "" }); } catch { /* gone */ }
    });
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    stats: (scope) => JSON.parse(JSON.stringify(scope ? (scopes.get(scope) || emptyStats()) : global)),
    close: () => new Promise((resolve) => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

// `node tests/gateway.mjs [--port N] [--key K] [--ttl SECONDS]`: prints the URL; stops on
// SIGINT/SIGTERM or after --ttl seconds (default 1800) so it never outlives a test run.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
  };
  const gw = await startGateway({
    port: Number(arg("--port", "0")), key: arg("--key", "test-key"),
    log: process.argv.includes("--log"), keepAlive: process.argv.includes("--keep-alive"),
  });
  console.log(gw.url);
  const stop = async () => { await gw.close(); process.exit(0); };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setTimeout(stop, Number(arg("--ttl", "1800")) * 1000).unref();
}
