// On your server (Node 20+): Kling POSTs the task to a request's callback_url on each status
// change. Mount this handler at that URL. As Kling advises, a callback is only a hint: the
// handler asks Kling what is true (by task_id), and handles each task once.
import init, { KlingClient, parseCallback, KLING_API_SINGAPORE } from "kling-omni";

await init();

const kling = new KlingClient({
  provider: "kling",
  baseUrl: process.env.KLING_API_URL ?? KLING_API_SINGAPORE,
  accessKey: process.env.KLING_ACCESS_KEY,
  secretKey: process.env.KLING_SECRET_KEY,
});

export const handled = new Map(); // task_id → the finished task: your database

export async function klingCallback(req, res) {
  let body = "";
  for await (const chunk of req) body += chunk;
  let told;
  try {
    told = parseCallback(body); // a KlingError (kind "invalid_response") for anything else
  } catch {
    res.writeHead(400).end();
    return;
  }
  res.writeHead(200).end(); // answer at once: the work below must not hold Kling's request
  const ended = (t) => t.status === "succeeded" || t.status === "failed";
  if (!ended(told) || handled.has(told.taskId)) return; // again, or not finished: nothing to do
  const task = await kling.get(told.taskId);
  if (!ended(task) || handled.has(task.taskId)) return;
  handled.set(task.taskId, task);
  console.log(task.taskId, task.status, task.units, task.videos.map((v) => v.url));
}
// import http from "node:http";
// http.createServer((req, res) => req.url === "/kling/callback" ? klingCallback(req, res) : yourSite(req, res)).listen(8080);
