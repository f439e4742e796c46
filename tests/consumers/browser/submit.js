import init, { KlingClient, KlingError } from "kling-omni";

await init();

// The page calls your own server, which adds the key (proxy.mjs): the key never reaches the page.
const client = new KlingClient({ provider: "v3", baseUrl: `${location.origin}/kling` });
const controller = new AbortController(); // controller.abort() cancels
try {
  const task = await client.generate(
    {
      model: "kling-v3-omni",
      input: { prompt: "a paper boat on a rainy street" },
      parameters: { aspect_ratio: "16:9", duration: 5 },
    },
    { signal: controller.signal, onProgress: (t) => console.log(t.status) }, // "queued", "running", …
  );
  console.log(task.status, task.videos[0].url);
} catch (e) {
  if (!(e instanceof KlingError)) throw e;
  // e.kind: "validation" (e.report), "api" (e.code), "task_failed", "timeout", "aborted", …;
  // e.cause: fetch's own error, for "network"
  console.log("failed", e.kind, e.message);
}
