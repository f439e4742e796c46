// On your server (Node 20+): Kling's own API with your access key and secret key, which stay in
// the server's environment. The client mints its own tokens (HS256 JWTs of 30 minutes) and
// mints a new one when less than a minute is left.
import init, { KlingClient, klingToken, KLING_API_SINGAPORE } from "kling-omni";

await init();

const keys = { accessKey: process.env.KLING_ACCESS_KEY, secretKey: process.env.KLING_SECRET_KEY };
const baseUrl = process.env.KLING_API_URL ?? KLING_API_SINGAPORE; // or KLING_API_BEIJING
const kling = new KlingClient({ provider: "kling", baseUrl, ...keys });

const task = await kling.generate({
  model_name: "kling-v3-omni",
  prompt: "a paper boat on a rainy street",
  aspect_ratio: "16:9",
  duration: "5",
  sound: "on",
});
console.log(task.status, task.units, task.videos[0].url); // "succeeded" "5" "https://…"

// Your tasks, newest first: pageNum 1–1000 (default 1), pageSize 1–500 (default 30).
const recent = await kling.list({ pageSize: 10 });
console.log(recent.some((t) => t.taskId === task.taskId)); // true

// A token for another service that calls Kling: it sends `Authorization: Bearer <token>`, or
// passes it to a KlingClient as apiKey. It lives 30 minutes unless ttlSeconds says otherwise.
const token = await klingToken({ ...keys, ttlSeconds: 600 });
const elsewhere = new KlingClient({ provider: "kling", baseUrl, apiKey: token });
console.log((await elsewhere.get(task.taskId)).status); // "succeeded"
