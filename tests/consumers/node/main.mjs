// Node: the packed package by its name, validating and running the client against the fake
// gateway (KLING_GATEWAY_URL, key "test-key"). Prints one JSON line of results; exits 1 on a
// failed check.
import assert from "node:assert/strict";
import init, { validate, defaults, KlingClient, KlingError, isKlingError, inspectImage } from "kling-omni";
import initValidator, { validate as validateOnly } from "kling-omni/validator";

await init();
await initValidator();
await init(); // a second call does nothing

const results = {};

// The full build and the validator alone give the same report.
const request = { prompt: "x".repeat(2501), duration: 5 };
const full = validate("o1", request);
assert.deepEqual(full.errors.map((e) => e.code), ["text_too_long", "aspect_ratio_required", "invalid_type"]);
assert.deepEqual(validateOnly("o1", JSON.stringify(request)), full);
results.validate = full.errors.map((e) => `${e.path.join(".")}:${e.code}`);
assert.throws(() => validate("o2", {}), (e) => e.name === "KlingArgumentError");

// Media facts from bytes work in Node too (Blob is global).
const png = Buffer.from(process.env.KLING_PNG_BASE64, "base64");
const info = await inspectImage(new Blob([png]));
assert.equal(info.format, "png");
results.inspect = [info.width, info.height];

// The client: generate against the fake gateway, and a typed error for a bad key.
const client = new KlingClient({
  provider: "v3", baseUrl: process.env.KLING_GATEWAY_URL, apiKey: "test-key",
  poll: { intervalMs: 100, maxIntervalMs: 200 },
});
const statuses = [];
const task = await client.generate(
  { ...defaults("v3"), input: { prompt: "a lighthouse at dusk" } },
  { onProgress: (t) => statuses.push(t.status) },
);
assert.equal(task.status, "succeeded");
assert.match(task.videos[0].url, /^http/);
results.generate = { status: task.status, statuses: [...new Set(statuses)] };

const badKey = new KlingClient({ provider: "o1", baseUrl: process.env.KLING_GATEWAY_URL, apiKey: "wrong-key" });
const err = await badKey.submit({ ...defaults("o1"), prompt: "x" }).then(() => null, (e) => e);
assert.ok(isKlingError(err), String(err));
assert.ok(err instanceof KlingError && err instanceof Error, "not a KlingError instance");
assert.equal(err.kind, "api");
assert.ok(!JSON.stringify(err).includes("wrong-key") && !String(err).includes("wrong-key"), "the key leaked");
results.badKey = { kind: err.kind, code: err.code, status: err.status };

// A network failure carries fetch's own error as `cause`.
const down = new KlingClient({ provider: "v3", baseUrl: "http://127.0.0.1:9", retry: { maxRetries: 0 } });
const netErr = await down.get("t").then(() => null, (e) => e);
assert.ok(netErr instanceof KlingError && netErr.kind === "network", String(netErr));
assert.ok(netErr.cause instanceof TypeError, String(netErr.cause));

// An invalid request is refused before anything is sent.
const invalid = await client.submit({ model: "kling-v3-omni", parameters: { duration: 99 } }).then(() => null, (e) => e);
assert.equal(invalid.kind, "validation");
results.refused = invalid.report.errors.map((e) => e.code);

console.log(JSON.stringify(results));
