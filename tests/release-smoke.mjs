// Loads the optimised release builds (pkg/, the whole library; pkg-validator/, the validator
// alone; and the packed package's Node entry, target/npm/package/node.js) and runs them:
// a broken wasm-opt writes modules that fail to load or misbehave, which this catches.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

function exercise(k, label) {
  const bad = k.validate("o1", { prompt: "x".repeat(2600), duration: 5 });
  assert.equal(bad.valid, false, label);
  assert.deepEqual(bad.errors.map((e) => e.code).sort(), ["aspect_ratio_required", "invalid_type", "text_too_long"], label);
  const long = bad.errors.find((e) => e.code === "text_too_long");
  assert.deepEqual(long.path, ["prompt"]);
  assert.equal(long.message, "prompt has 2600 characters; the limit is 2500");
  const zh = k.validate("o1", JSON.stringify({ prompt: "x".repeat(2600), aspect_ratio: "16:9" }), null, { locale: "zh" });
  assert.equal(zh.errors[0].message, "提示词有 2600 个字符，上限为 2500");
  const ok = k.validate("v3", k.defaults("v3"));
  assert.deepEqual(ok.errors.map((e) => e.code), ["prompt_required"]);
  assert.throws(() => k.validate("o2", {}), /unknown provider/);
  assert.throws(() => k.validate("o1", "{not json"), /not valid JSON/);
  return statSync(label).size;
}

const version = /^version = "([^"]+)"/m.exec(readFileSync(path.join(root, "Cargo.toml"), "utf8"))[1];
const node = await import(path.join(root, "target/npm/package/node.js"));
assert.equal(JSON.parse(readFileSync(path.join(root, "target/npm/package/package.json"), "utf8")).version, version);
await node.default();
const nodeSize = exercise(node, path.join(root, "target/npm/package/kling_omni_bg.wasm"));
const sizes = { node: nodeSize };
for (const dir of ["pkg", "pkg-validator"]) {
  const web = await import(path.join(root, dir, "kling_omni.js"));
  web.initSync({ module: readFileSync(path.join(root, dir, "kling_omni_bg.wasm")) });
  sizes[dir] = exercise(web, path.join(root, dir, "kling_omni_bg.wasm"));
}
assert.equal(typeof (await import(path.join(root, "pkg-validator/kling_omni.js"))).KlingClient, "undefined", "the validator build has a client");
console.log(`release builds load and run: ${JSON.stringify(sizes)} (wasm bytes)`);
