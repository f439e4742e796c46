// The demo page's main flows in Firefox (geckodriver) or WebKitGTK (WebKitWebDriver), through
// the small WebDriver client beside this file; Chromium has the fuller Playwright suite
// (demo.spec.mjs). Same servers as `make demo` (scripts/serve.mjs), on free ports.
// Elements are found by id only. Screenshots go to test-output/<engine>-*.png.
//
//   node tests/e2e/webdriver.spec.mjs firefox
//   xvfb-run -a node tests/e2e/webdriver.spec.mjs webkit     (MiniBrowser needs a display)
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { startDemo } from "../../scripts/serve.mjs";
import { png } from "../png.mjs";
import { startDriver } from "./webdriver.mjs";

const engine = process.argv[2];
if (!["firefox", "webkit"].includes(engine)) {
  console.error("usage: node tests/e2e/webdriver.spec.mjs firefox|webkit");
  process.exit(2);
}
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = path.join(root, "test-output");

const results = [];
let s; // the WebDriver session
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${engine}: ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${engine}: ${name}\n     ${String(e && e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
    await shot(`FAIL-${name.replace(/\W+/g, "-")}`).catch(() => {});
  }
}
const shot = async (name) => writeFile(path.join(out, `${engine}-${name}.png`), await s.screenshot());
const byId = (id) => `[id="${id}"]`;
const text = (id) => s.execute("return document.getElementById(arguments[0]).textContent", id);
const until = (script, what, timeout) => s.until(script, { what, timeout });

// Back to the provider's defaults, in English, with `provider` picked.
async function start(provider) {
  await s.click(byId("reset"));
  await s.click('input[name=locale][value=en]');
  await s.click(`input[name=provider][value=${provider}]`);
  await until(`return document.getElementById("summary").textContent !== "Loading…"`, "the report");
}

await mkdir(out, { recursive: true });
const files = await mkdtemp(path.join(tmpdir(), "kling-webdriver-"));
const small = path.join(files, "small.png");
const big = path.join(files, "ok.png");
await writeFile(small, png(200, 200));
await writeFile(big, png(400, 300));

const demo = await startDemo({ port: 0, gatewayPort: 0 });
const t0 = Date.now();
const driver = await startDriver(engine);
const guard = setTimeout(() => { console.log(`FAIL ${engine}: the suite took over 240 s`); process.exit(1); }, 240_000);
try {
  s = await driver.session();
  console.log(`${engine}: ${s.browser} (driver and browser up in ${Date.now() - t0} ms)`);
  await s.cmd("POST", "/window/rect", { width: 1280, height: 900 }).catch(() => {});

  await test("the page loads and the default O1 request is valid", async () => {
    await s.navigate(`${demo.url}/`);
    await until(`return /valid|error/i.test(document.getElementById("summary").textContent)`, "the first report", 30000);
    await start("o1");
    await until(`return document.getElementById("summary").className === "ok"`, "a valid report");
    assert.equal(await s.execute(`return document.getElementById("base-url").value`), demo.gatewayUrl);
    assert.equal(await text("scenario"), "text_to_video");
    await shot("01-default");
  });

  await test("typing past the prompt limit shows the error as you type", async () => {
    await start("o1");
    // 2600 characters set at once, the last 12 typed: each keystroke re-validates.
    await s.execute(`document.getElementById("prompt").value = "a".repeat(2600)`);
    await s.sendKeys(byId("prompt"), "b".repeat(12));
    await until(`return document.getElementById("prompt-count").textContent === "2612 / 2500"`, "the count 2612 / 2500");
    await until(`return document.getElementById("msg-prompt").textContent.includes("text_too_long")`, "text_too_long");
    assert.equal(await s.attribute(byId("prompt"), "aria-invalid"), "true");
    assert.match(await text("msg-prompt"), /2612/);
    assert.match(await text("errors"), /text_too_long/);
    await shot("02-prompt-too-long");
  });

  await test("switching the language to Chinese translates the messages", async () => {
    // Carries on from the over-long prompt.
    const en = await text("msg-prompt");
    await s.click('input[name=locale][value=zh]');
    await until(`return /提示词/.test(document.getElementById("msg-prompt").textContent)`, "the Chinese message");
    const zh = await text("msg-prompt");
    assert.match(zh, /2612/);
    assert.notEqual(zh, en);
    assert.match(await text("summary"), /错误/);
    await shot("03-prompt-too-long-zh");
    await s.click('input[name=locale][value=en]');
    await until(`return document.getElementById("msg-prompt").textContent.includes("2500")`, "English again");
    assert.doesNotMatch(await text("summary"), /错误/);
  });

  await test("a picked 200×200 PNG is measured and shows image_too_small", async () => {
    await start("v3");
    await s.click(byId("add-image"));
    await s.click(`${byId("image-0-source")} option[value=file]`);
    await until(`return document.getElementById("image-0-value")?.type === "file"`, "the file input");
    await s.sendKeys(byId("image-0-value"), small); // a file input takes the file's path
    await until(`return document.getElementById("msg-image-0")?.textContent.includes("image_too_small")`, "image_too_small");
    assert.match(await text("image-0-facts"), /200×200/);
    assert.match(await text("image-0-facts"), /PNG/);
    assert.equal(await s.attribute(byId("image-0-value"), "aria-invalid"), "true");
    await shot("04-image-too-small");
    // A big enough one is fine, as a first frame.
    await s.sendKeys(byId("image-0-value"), big);
    await s.click(`${byId("image-0-type")} option[value=first_frame]`);
    await until(`return document.getElementById("summary").className === "ok"`, "a valid report");
    assert.equal(await text("scenario"), "first_frame");
  });

  for (const provider of ["v3", "o1"]) {
    await test(`a ${provider} submit ends with the video shown`, async () => {
      await start(provider);
      await s.click(byId("submit"));
      await until(`return document.getElementById("status").dataset.state === "succeeded"`, "succeeded", 20000);
      assert.match(await text("elapsed"), /Elapsed: \d+\.\d s/);
      assert.match(await s.attribute("#result a", "href"), /\/media\/.+\.mp4$/);
      // The 957-byte H.264 file plays where the engine has an H.264 decoder; it must load.
      const video = await until(`const v = document.querySelector("#result video");
        return v && (v.currentTime > 0 || v.error) && { time: v.currentTime, error: v.error && v.error.code, src: v.currentSrc }`,
        "the video to play (or fail)", 20000);
      assert.equal(video.error, null, `the video did not play: MediaError ${video.error} (${video.src})`);
      await s.execute(`document.getElementById("result").scrollIntoView()`);
      await shot(`05-submit-${provider}`);
    });
  }
} finally {
  clearTimeout(guard);
  await s?.close().catch(() => {});
  await driver.close();
  await demo.close();
  await rm(files, { recursive: true, force: true });
}

const failed = results.filter(([, ok]) => !ok).length;
if (failed) console.log(`--- the driver's and the browser's output (last lines):\n${driver.log().split("\n").slice(-40).join("\n")}`);
console.log(`${engine}: ${results.length - failed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots in test-output/`);
process.exit(failed ? 1 : 0);
