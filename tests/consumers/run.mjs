// Installs the packed npm package into throwaway consumer projects in a temporary folder and
// runs each one:
//   types/    tsc --strict --noEmit (TypeScript 7 and 5) over a file that uses every export
//   node/     a Node script: validate, inspect, the client against the fake gateway; the README's
//             Kling examples (a server with the keys, a callback handler) against it too
//   vite/     a Vite app (TypeScript), built and loaded in headless Chromium
//   browser/  a plain page (import map, no bundler) running the README's examples, and a page
//             whose module Worker validates and runs the client, both through the README's proxy
// It also checks that every README example marked `<!-- example: path -->` is that file verbatim.
//
//   node tests/consumers/run.mjs [path/to/kling-omni-x.y.z.tgz]     (make test-package)
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startGateway } from "../gateway.mjs";
import { startFixtureServer } from "../fixture-server.mjs";
import { png } from "../png.mjs";
import { launchChromium } from "../chromium.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..", "..");
const version = /^version = "([^"]+)"/m.exec(readFileSync(path.join(root, "Cargo.toml"), "utf8"))[1];
const tarball = path.resolve(process.argv[2] ?? path.join(root, "target", "npm", `kling-omni-${version}.tgz`));

const results = [];
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - t0} ms)\n${e?.stack ?? e}`);
  }
}
const execFileAsync = promisify(execFile);
const run = (cmd, args, cwd, env = {}) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });

const guard = setTimeout(() => { console.log("FAIL: the consumer tests took over 600 s"); process.exit(1); }, 600_000);
const work = mkdtempSync(path.join(tmpdir(), "kling-consumers-"));
cpSync(tarball, path.join(work, "kling-omni.tgz"));
const projects = ["types", "node", "vite", "browser"];
for (const p of projects) {
  cpSync(path.join(here, p), path.join(work, p), { recursive: true, filter: (f) => !f.includes("node_modules") && !f.includes(`${path.sep}dist`) });
  const t0 = Date.now();
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], path.join(work, p));
  console.log(`     installed ${p} (${Date.now() - t0} ms)`);
}
const installed = path.join(work, "browser", "node_modules", "kling-omni");

await test("the package: exports, files and no `any` in its types", () => {
  const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8"));
  assert.equal(manifest.version, version);
  for (const f of ["name", "version", "description", "license", "repository", "keywords", "types", "exports", "sideEffects", "files"]) {
    assert.ok(manifest[f] !== undefined, `package.json has no ${f}`);
  }
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "node", "default"]);
  const files = readdirSync(installed, { recursive: true }).filter((f) => !f.endsWith(path.sep)).sort();
  // The one JS snippet: the KlingError class (its directory is named by a hash of the crate).
  const snippets = files.filter((f) => f.startsWith(`snippets${path.sep}`) && /\.js$/.test(f));
  assert.equal(snippets.length, 1, `snippets: ${snippets}`);
  assert.ok(snippets[0].endsWith(path.join("src", "wasm", "error.js")), snippets[0]);
  assert.deepEqual(files.filter((f) => /\.(js|wasm|d\.ts)$/.test(f) && !snippets.includes(f)), [
    "kling_omni.d.ts", "kling_omni.js", "kling_omni_bg.wasm", "node.js",
    "validator/kling_omni.d.ts", "validator/kling_omni.js", "validator/kling_omni_bg.wasm", "validator/node.js",
  ].map((f) => f.replace("/", path.sep)));
  for (const d of ["kling_omni.d.ts", "validator/kling_omni.d.ts"]) {
    const code = readFileSync(path.join(installed, d), "utf8").split("\n").filter((l) => !/^\s*(\*|\/\*\*)/.test(l));
    assert.deepEqual(code.filter((l) => /\bany\b/.test(l)), [], `${d} uses any`);
  }
  // Every export has a doc comment, for editors' hover.
  for (const d of ["kling_omni.d.ts", "validator/kling_omni.d.ts"]) {
    const lines = readFileSync(path.join(installed, d), "utf8").split("\n");
    const bare = lines.filter((l, i) => /^export /.test(l) && !/\*\/\s*$/.test(lines.slice(0, i).filter((x) => x.trim()).at(-1) ?? ""));
    assert.deepEqual(bare, [], `exports of ${d} with no doc comment`);
  }
  // The validator alone carries none of the browser layer.
  const validatorTypes = readFileSync(path.join(installed, "validator", "kling_omni.d.ts"), "utf8");
  assert.ok(!validatorTypes.includes("class KlingClient") && !validatorTypes.includes("inspectImage"), "validator build exports more than the validator");
});

await test("README examples are the tested files, verbatim", () => {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const marked = [...readme.matchAll(/<!-- example: (\S+) -->\s*```\w*\n([\s\S]*?)```/g)];
  assert.ok(marked.length >= 4, `only ${marked.length} marked examples in README.md`);
  for (const [, file, body] of marked) {
    const text = readFileSync(path.join(root, file), "utf8");
    assert.equal(body.trim(), text.trim(), `README's example differs from ${file}`);
  }
});

// The package ships docs/ so the README's links to the rules work in node_modules, offline,
// and for this version; a link into docs/ (or between the docs) that the package lacks fails.
await test("the package: the README's links into docs/ and the docs' own links resolve inside it", () => {
  let links = 0;
  for (const doc of ["README.md", "docs/rules.md", "docs/sources/README.md"]) {
    const text = readFileSync(path.join(installed, doc), "utf8");
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)\s]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target) || (doc === "README.md" && !target.startsWith("docs/"))) continue;
      links++;
      assert.ok(existsSync(path.join(installed, path.dirname(doc), target)), `${doc} links ${target}, which the package lacks`);
    }
  }
  assert.ok(links >= 5, `only ${links} links checked`);
});

await test("types: tsc --strict --noEmit accepts a consumer of every export (TypeScript 7 and 5)", () => {
  const dir = path.join(work, "types");
  const consumer = readFileSync(path.join(dir, "consumer.ts"), "utf8");
  for (const d of ["kling_omni.d.ts", "validator/kling_omni.d.ts"]) {
    const names = [...readFileSync(path.join(installed, d), "utf8").matchAll(/^export (?:declare )?(?:function|class|type|interface|const) (\w+)/gm)].map((m) => m[1]);
    assert.ok(names.length > 5, d);
    const unused = [...new Set(names)].filter((n) => !new RegExp(`\\b${n}\\b`).test(consumer));
    assert.deepEqual(unused, [], `consumer.ts does not use these exports of ${d}`);
  }
  for (const tsc of ["node_modules/typescript/bin/tsc", "node_modules/typescript5/bin/tsc"]) {
    try {
      run("node", [tsc, "-p", "."], dir);
    } catch (e) {
      assert.fail(`${tsc}: ${e.stdout}${e.stderr}`);
    }
  }
  // The @ts-expect-error lines only pass if the types refuse them: remove one and tsc must fail.
  const loose = consumer.replace("// @ts-expect-error: an O1 duration is a string\n", "");
  writeFileSync(path.join(dir, "consumer.ts"), loose);
  const refused = (() => { try { run("node", ["node_modules/typescript/bin/tsc", "-p", "."], dir); return ""; } catch (e) { return e.stdout; } })();
  assert.match(refused, /Type 'number' is not assignable to type '[^']*"5"/);
  writeFileSync(path.join(dir, "consumer.ts"), consumer);
});

const gateway = await startGateway();
await test("node: the package by its name validates, inspects and runs the client against the fake gateway", async () => {
  let out;
  try {
    // Not execFileSync: the gateway answers from this process's event loop.
    ({ stdout: out } = await execFileAsync("node", ["main.mjs"], {
      cwd: path.join(work, "node"), encoding: "utf8",
      env: { ...process.env, KLING_GATEWAY_URL: gateway.url, KLING_PNG_BASE64: png(320, 240).toString("base64") },
    }));
  } catch (e) {
    assert.fail(`${e.stdout}${e.stderr}`);
  }
  const r = JSON.parse(out.trim().split("\n").at(-1));
  assert.deepEqual(r.validate, ["prompt:text_too_long", "aspect_ratio:aspect_ratio_required", "duration:invalid_type"]);
  assert.deepEqual(r.inspect, [320, 240]);
  assert.equal(r.generate.status, "succeeded");
  assert.ok(r.generate.statuses.includes("succeeded"), JSON.stringify(r.generate));
  assert.deepEqual(r.badKey, { kind: "api", code: "1002", status: 401 });
  assert.deepEqual(r.refused, ["prompt_required", "aspect_ratio_required", "duration_out_of_range"]);
});

await test("node: the README's Standard Schema example: a TanStack Form (form-core) form validated by klingSchema", async () => {
  let out;
  try {
    ({ stdout: out } = await execFileAsync("node", ["--import", "./json-log.mjs", "form.mjs"], { cwd: path.join(work, "node"), encoding: "utf8" }));
  } catch (e) {
    assert.fail(`${e.stdout}${e.stderr}`);
  }
  const logs = out.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(logs.length, 3, out);
  assert.deepEqual(logs[0], [false, ['duration is 7; here it must be one of "5", "10"']]);
  assert.deepEqual(logs[1], [true]);
  assert.deepEqual(logs[2], [{ formErrors: [], fieldErrors: {
    "input.prompt": ["提示词不能为空，请填写提示词"],
    "parameters.aspect_ratio": ['画面纵横比为必填项，可选 "16:9", "9:16", "1:1"'],
  } }]);
});

// The README's Kling examples, with the fake gateway's test keys in their environment.
const klingEnv = { KLING_API_URL: gateway.url, KLING_ACCESS_KEY: "test-access-key", KLING_SECRET_KEY: "test-secret-key" };
const logLines = (out) => out.trim().split("\n").map((l) => JSON.parse(l));

await test("node: the README's Kling server example: tokens minted on the server, generate, list, klingToken", async () => {
  let out;
  try {
    ({ stdout: out } = await execFileAsync("node", ["--import", "./json-log.mjs", "kling-server.mjs"], {
      cwd: path.join(work, "node"), encoding: "utf8", env: { ...process.env, ...klingEnv },
    }));
  } catch (e) {
    assert.fail(`${e.stdout}${e.stderr}`);
  }
  const logs = logLines(out);
  assert.equal(logs.length, 3, out);
  assert.deepEqual(logs[0].slice(0, 2), ["succeeded", "5"]);
  assert.match(logs[0][2], /^http:\/\/127\.0\.0\.1:\d+\/media\/\d+\.mp4$/);
  assert.deepEqual(logs.slice(1), [[true], ["succeeded"]]);
  const st = gateway.stats();
  assert.equal(st.jwt.expired + st.jwt.invalid + st.jwt.notYet + st.jwt.none, 0, JSON.stringify(st.jwt));
});

await test("node: the README's callback handler: handled once, confirmed by a query, a bad body refused", async () => {
  let out;
  try {
    ({ stdout: out } = await execFileAsync("node", ["--import", "./json-log.mjs", "callback-run.mjs"], {
      cwd: path.join(work, "node"), encoding: "utf8", env: { ...process.env, ...klingEnv },
    }));
  } catch (e) {
    assert.fail(`${e.stdout}${e.stderr}`);
  }
  const logs = logLines(out);
  assert.equal(logs.length, 2, out);
  const [taskId, status, units, urls] = logs[0];
  assert.match(taskId, /^\d+$/);
  assert.deepEqual([status, units, urls.length], ["succeeded", "5", 1]);
  assert.equal(logs[1][0].handled, 1);
  assert.ok(logs[1][0].callbacks >= 3, JSON.stringify(logs[1])); // submitted, processing, succeed
});

const browser = await launchChromium();
async function openPage(url) {
  const page = await browser.newPage();
  const logs = [];
  const errors = [];
  page.on("console", async (msg) => {
    if (msg.type() !== "log") return;
    // In the order logged, although the values arrive out of order.
    const i = logs.push(null) - 1;
    logs[i] = await Promise.all(msg.args().map((a) => a.jsonValue()));
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  const requests = [];
  page.on("request", (r) => requests.push(r));
  await page.goto(url);
  // Polls `check` until it is truthy, looking only while every log has its values.
  const until = async (what, check, ms = 30_000) => {
    const t0 = Date.now();
    for (;;) {
      const v = logs.every((l) => l !== null) && check();
      if (v) return v;
      if (Date.now() - t0 > ms) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { page, logs, errors, requests, until };
}

await test("vite: a built app validates with the package and with kling-omni/validator, and inspects a Blob", async () => {
  const dir = path.join(work, "vite");
  mkdirSync(path.join(dir, "public"), { recursive: true });
  writeFileSync(path.join(dir, "public", "image.png"), png(640, 360));
  try {
    run("npm", ["run", "build", "--silent"], dir);
  } catch (e) {
    assert.fail(`${e.stdout}${e.stderr}`);
  }
  const wasm = readdirSync(path.join(dir, "dist", "assets")).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 2, `dist/assets has ${wasm}`);
  const server = await startFixtureServer({ root: path.join(dir, "dist") });
  try {
    const { page, errors } = await openPage(server.url);
    await page.waitForSelector("#out[data-done]", { timeout: 30_000 });
    const r = JSON.parse(await page.textContent("#out"));
    assert.deepEqual(errors, []);
    assert.deepEqual(r, {
      codes: ["input.prompt:placeholder_out_of_range", "parameters.duration:duration_out_of_range"],
      sameAsValidator: true,
      image: { format: "png", width: 640, height: 360, measuredBy: "header" },
    });
    await page.close();
  } finally {
    await server.close();
  }
});

await test("vite: the dev server runs the same app, with no Vite config", async () => {
  const dir = path.join(work, "vite");
  const { createServer } = await import(pathToFileURL(createRequire(path.join(dir, "x.js")).resolve("vite")).href);
  const server = await createServer({ root: dir, configFile: false, logLevel: "silent",
    server: { host: "127.0.0.1", port: 0, strictPort: false } });
  await server.listen();
  try {
    const { page, errors } = await openPage(server.resolvedUrls.local[0]);
    await page.waitForSelector("#out[data-done]", { timeout: 60_000 });
    const r = JSON.parse(await page.textContent("#out"));
    assert.deepEqual(errors, []);
    assert.deepEqual(r.image, { format: "png", width: 640, height: 360, measuredBy: "header" });
    assert.equal(r.sameAsValidator, true);
    await page.close();
  } finally {
    await server.close();
  }
});

// The README's proxy, mounted at /kling/ beside the pages, adds the gateway's key.
process.env.KLING_O1_URL = gateway.url.replace(/\/$/, "");
process.env.KLING_V3_URL = gateway.url.replace(/\/$/, "");
process.env.KLING_API_KEY = "test-key";
const { klingProxy } = await import(pathToFileURL(path.join(work, "browser", "proxy.mjs")).href);
const site = await startFixtureServer({ root: path.join(work, "browser"), routes: { "/kling/": klingProxy } });

await test("page: the README's examples run in a plain page with an import map", async () => {
  const { page, logs, errors, requests, until } = await openPage(site.url + "page.html");
  await until("the validate example", () => logs.length >= 5 && logs.some((l) => l[0] === true));
  const validateLogs = logs.slice(0, 5);
  assert.deepEqual(validateLogs.slice(0, 4), [
    [false],
    [["text_too_long", "aspect_ratio_required", "invalid_type"]],
    [["prompt"], "提示词有 2612 个字符，上限为 2500"],
    ["first_frame", ["5", "10"], "unsupported"],
  ]);
  assert.ok(logs.some((l) => l.length === 1 && l[0] === true), "validate(defaults) is valid");
  // Pick a 200×200 PNG: too small for Kling.
  await page.setInputFiles("#picker", { name: "small.png", mimeType: "image/png", buffer: png(200, 200) });
  const inspected = await until("the inspect example", () => logs.find((l) => l[0] === "png"));
  assert.deepEqual(inspected.slice(0, 3), ["png", 200, 200]);
  assert.ok(inspected[4] <= Math.min(inspected[3], 16384), `read ${inspected[4]} of ${inspected[3]} bytes`);
  const checked = await until("validateWithMedia", () => logs.find((l) => l.length === 2 && Array.isArray(l[1]) && l[0] === false));
  assert.deepEqual(checked, [false, ["parameters.image_list.0.image_url: image_too_small"]]);
  const done = await until("the submit example", () => logs.find((l) => l.length > 1 && (l[0] === "succeeded" || l[0] === "failed")));
  assert.equal(done[0], "succeeded", JSON.stringify(done));
  assert.match(done[1], /^http/);
  assert.ok(logs.some((l) => l[0] === "running" || l[0] === "queued"), "onProgress was called");
  assert.deepEqual(errors, []);
  // Through the proxy: the page itself never sends a key.
  const calls = requests.filter((r) => r.url().includes("/kling/"));
  assert.ok(calls.length >= 2);
  for (const r of calls) assert.equal((await r.allHeaders()).authorization, undefined);
  await page.close();
});

await test("page: the README's fix and prepareImage examples (issue 17)", async () => {
  const { page, logs, errors, until } = await openPage(site.url + "more.html");
  const fixed = await until("the fix example", () => logs.find((l) => Array.isArray(l[0]) && typeof l[0][0] === "string" && l[0][0].startsWith("remove")));
  const codes = logs.find((l) => Array.isArray(l[0]) && Array.isArray(l[0][0]));
  assert.deepEqual(codes[0], [["aspect_ratio_not_supported", "remove"], ["invalid_type", "replace"], ["base64_data_uri_prefix", "replace"]]);
  assert.ok(logs.some((l) => l[0] === "5" && l[1] === 1), JSON.stringify(logs));
  assert.deepEqual(fixed, [["remove aspect_ratio", "replace duration", "replace image_list.0.image_url"], true]);
  // The prepareImage example: pick a 280 × 280 PNG.
  await page.setInputFiles("#image", { name: "avatar.png", mimeType: "image/png", buffer: png(280, 280) });
  const prepared = await until("the prepareImage example", () => logs.find((l) => l[0] === "jpeg" || l[0] === "cannot prepare this image:"));
  assert.deepEqual(prepared.slice(0, 3), ["jpeg", 300, 300]);
  assert.ok(prepared[3] > 0 && prepared[3] < 100_000, `${prepared[3]} bytes`);
  const messages = await until("the changes", () => logs.find((l) => Array.isArray(l[0]) && typeof l[0][0] === "string" && l[0][0].startsWith("converted")));
  assert.deepEqual(messages[0], ["converted from PNG to JPEG", "scaled up from 280×280 to 300×300 (shorter side at least 300 px)"]);
  await until("the prepared request's verdict", () => logs.at(-1)?.length === 1 && logs.at(-1)[0] === true);
  assert.deepEqual(errors, []);
  await page.close();
});

await test("worker: a module Worker validates and runs the O1 client through the proxy", async () => {
  const { page, logs, errors, until } = await openPage(site.url + "worker.html");
  const messages = () => logs.map((l) => JSON.parse(l[0]));
  await until("the worker's generate", () => messages().find((m) => m.step === "generate" || m.step === "error"), 60_000);
  const m = Object.fromEntries(messages().map((x) => [x.step, x]));
  assert.equal(m.error, undefined, JSON.stringify(m.error));
  assert.deepEqual(m.validate, { step: "validate", valid: true, errors: [] });
  assert.deepEqual(m.invalid, { step: "invalid", valid: false, errors: ["duration_out_of_range"] });
  assert.equal(m.generate.status, "succeeded", JSON.stringify(m.generate));
  assert.match(m.generate.url, /^http/);
  assert.match(m.generate.external, /\S/, "the O1 client sets an external_task_id");
  assert.deepEqual(errors, []);
  await page.close();
});

await browser.close();
await site.close();
await gateway.close();
clearTimeout(guard);
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
const failed = results.filter((r) => !r.ok);
console.log(`${results.length - failed.length}/${results.length} consumer checks passed`);
process.exit(failed.length ? 1 : 0);
