// A module Worker: validation and the client off the main thread. Import maps do not reach
// Workers, so the package's web build is imported by its path.
import init, { validate, KlingClient, isKlingError } from "./node_modules/kling-omni/kling_omni.js";

await init();

const request = { model_name: "kling-video-o1", prompt: "a fox in the snow", aspect_ratio: "16:9", duration: "5" };
const report = validate("o1", request);
postMessage({ step: "validate", valid: report.valid, errors: report.errors.map((e) => e.code) });
const bad = validate("o1", { ...request, duration: "7" });
postMessage({ step: "invalid", valid: bad.valid, errors: bad.errors.map((e) => e.code) });

const client = new KlingClient({ provider: "o1", baseUrl: `${self.location.origin}/kling`, poll: { intervalMs: 200 } });
try {
  const statuses = [];
  const task = await client.generate(request, { onProgress: (t) => statuses.push(t.status) });
  postMessage({ step: "generate", status: task.status, url: task.videos[0].url, statuses, external: task.externalTaskId ?? null });
} catch (e) {
  postMessage({ step: "generate", failed: isKlingError(e) ? e.kind : String(e), message: e.message });
}
