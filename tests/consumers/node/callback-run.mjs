// Runs the README's callback handler (callback.mjs) against the fake gateway, which POSTs
// callbacks as Kling does: a task made with a callback_url is handled once, confirmed by a
// query; a body that is not a task gets 400; a callback handled already costs no query.
// Preloaded with json-log.mjs: every console.log is one JSON line.
import assert from "node:assert/strict";
import http from "node:http";
import init, { KlingClient } from "kling-omni";
import { klingCallback, handled } from "./callback.mjs";

await init();
const server = http.createServer((req, res) => klingCallback(req, res));
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${server.address().port}/kling/callback`;
const gateway = process.env.KLING_API_URL;
const stats = async () => (await fetch(`${gateway}/__stats`)).json();

const client = new KlingClient({
  provider: "kling", baseUrl: gateway,
  accessKey: process.env.KLING_ACCESS_KEY, secretKey: process.env.KLING_SECRET_KEY,
});
const sub = await client.submit({ prompt: "a lighthouse at dusk", aspect_ratio: "16:9", duration: "5", callback_url: url });
assert.equal((await fetch(url, { method: "POST", body: '{"task_id":"x"}' })).status, 400);
const t0 = Date.now();
while (!handled.has(sub.taskId)) {
  assert.ok(Date.now() - t0 < 20_000, "no callback handled in 20 s");
  await new Promise((r) => setTimeout(r, 50));
}
// The final callback once more: handled already, so no query.
const before = (await stats()).queries;
const again = { task_id: sub.taskId, task_status: "succeed", task_result: { videos: [] } };
assert.equal((await fetch(url, { method: "POST", body: JSON.stringify(again) })).status, 200);
await new Promise((r) => setTimeout(r, 200));
assert.equal((await stats()).queries, before);
console.log({ handled: handled.size, callbacks: (await stats()).callbacks });
server.close();
