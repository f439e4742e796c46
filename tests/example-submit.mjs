// Submits a request to the fake gateway with the package's Node entry and prints the video URL.
//
//   make package
//   node tests/example-submit.mjs            # starts its own gateway on a free port
//   node tests/example-submit.mjs v3         # the same with Kling V3 Omni
//   KLING_GATEWAY_URL=http://127.0.0.1:PORT node tests/example-submit.mjs   # a running one
//
// The same code runs in a page or a Worker with the web build (`--target web`).
import { startGateway } from "./gateway.mjs";

// In your code: `import init, { KlingClient, isKlingError } from "kling-omni";`
const entry = process.env.KLING_PKG || new URL("../target/npm/package/node.js", import.meta.url).href;
const { default: init, KlingClient, isKlingError } = await import(entry);
await init();

const provider = process.argv[2] === "v3" ? "v3" : "o1";
const own = process.env.KLING_GATEWAY_URL ? null : await startGateway();
const baseUrl = process.env.KLING_GATEWAY_URL || own.url;

const client = new KlingClient({
  provider,
  baseUrl,                 // your proxy or the provider's host
  apiKey: "test-key",      // the fake gateway's key; leave it out behind a proxy that adds it
  poll: { intervalMs: 200, maxIntervalMs: 1000, timeoutMs: 60_000 },
});

const request = provider === "o1"
  ? { model_name: "kling-video-o1", prompt: "a cat on a skateboard", aspect_ratio: "16:9", duration: "5" }
  : { model: "kling-v3-omni", input: { prompt: "a sunset over the sea" }, parameters: { aspect_ratio: "16:9", duration: 5 } };

let code = 0;
try {
  const task = await client.generate(request, {
    onProgress: (t) => console.error(`${t.taskId}: ${t.status} (${t.providerStatus})`),
  });
  console.log(task.videos[0].url);
} catch (e) {
  if (isKlingError(e)) console.error(`${e.kind}: ${e.message}`);
  else console.error(e);
  code = 1;
} finally {
  client.free();
  if (own) await own.close();
}
process.exit(code);
