// End-to-end tests of the demo page (www/) in Debian's Chromium, driven by playwright-core,
// against the servers `make demo` starts (scripts/serve.mjs: page + fake gateway), here on
// free ports. Screenshots go to test-output/. Run: node tests/e2e/demo.spec.mjs
import { mkdir, readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { startDemo } from "../../scripts/serve.mjs";
import { MODERATION_REASON } from "../gateway.mjs";
import { png } from "../png.mjs";
import { launchChromium } from "../chromium.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const out = path.join(root, "test-output");

const results = [];
let page;
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split("\n").slice(0, 6).join("\n     ")}`);
    await page?.screenshot({ path: path.join(out, `FAIL-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
  }
}
const shot = (name) => page.screenshot({ path: path.join(out, `${name}.png`), fullPage: true });
const text = (sel) => page.locator(sel).innerText();
const until = (fn, arg, timeout = 15000) => page.waitForFunction(fn, arg, { timeout, polling: 50 });
const enabledOptions = (sel) => page.$$eval(`${sel} option`, (os) => os.filter((o) => !o.disabled).map((o) => o.value));
async function start(providerValue = "o1") {
  await page.click("#reset");
  await page.check(`input[name=locale][value=en]`);
  await page.check(`input[name=provider][value=${providerValue}]`);
  await until(() => document.querySelector("#summary").textContent !== "Loading…");
}
async function setPrompt(value) {
  await page.fill("#prompt", value);
}

await mkdir(out, { recursive: true });
const demo = await startDemo({ port: 0, gatewayPort: 0 });
const context = await launchChromium({ viewport: { width: 1280, height: 900 } });
const guard = setTimeout(() => { console.log("FAIL: the suite took over 180 s"); process.exit(1); }, 180_000);
const pageErrors = [];
// A demo never calls a real endpoint: every request that leaves 127.0.0.1 is refused and recorded.
const outside = [];
await context.route((url) => !/^(http:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(url.href), (route) => {
  outside.push(route.request().url());
  return route.abort();
});
const figures = {};
try {
  page = context.pages()[0] ?? await context.newPage();
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // The gateway's refusals (fault tests) log "Failed to load resource"; the page's own files must not fail.
  page.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource/.test(m.text())) pageErrors.push(`console: ${m.text()}`); });
  page.on("response", (r) => { if (r.url().startsWith(demo.url) && r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`); });
  await page.goto(`${demo.url}/`);
  await until(() => /valid|error/i.test(document.querySelector("#summary").textContent));

  await test("the default O1 request is valid and points at the fake gateway", async () => {
    await start("o1");
    await until(() => document.querySelector("#summary").className === "ok");
    assert.equal(await page.inputValue("#base-url"), demo.gatewayUrl);
    assert.equal(await text("#scenario"), "text_to_video");
    assert.ok(!page.url().includes("key"), "no key in the URL");
    await shot("01-default");
  });

  await test("an over-long prompt shows its error in English and Chinese", async () => {
    await start("o1");
    await setPrompt("猫".repeat(2612));
    await until(() => document.querySelector("#msg-prompt").textContent.includes("text_too_long"));
    assert.equal(await text("#prompt-count"), "2612 / 2500");
    assert.equal(await page.getAttribute("#prompt", "aria-invalid"), "true");
    assert.match(await page.getAttribute("#prompt", "aria-describedby"), /msg-prompt/);
    const en = await text("#msg-prompt");
    assert.match(en, /2612/);
    assert.match(en, /2500/);
    assert.match(await text("#errors"), /text_too_long/);
    await shot("02-prompt-too-long-en");
    await page.check("input[name=locale][value=zh]");
    await until(() => /提示词/.test(document.querySelector("#msg-prompt").textContent));
    const zh = await text("#msg-prompt");
    assert.match(zh, /2612/);
    assert.notEqual(zh, en);
    assert.match(await text("#summary"), /错误/);
    await shot("03-prompt-too-long-zh");
    await page.check("input[name=locale][value=en]");
  });

  await test("switching the provider changes the duration choices", async () => {
    await start("o1");
    assert.deepEqual(await enabledOptions("#duration"), ["5", "10"]);
    await page.check("input[name=provider][value=v3]");
    await until(() => [...document.querySelectorAll("#duration option")].filter((o) => !o.disabled).length === 13);
    assert.deepEqual(await enabledOptions("#duration"), ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]);
    assert.equal(await page.isVisible("#negative_prompt"), true);
    assert.equal(await page.isVisible("#callback_url"), false);
    await page.check("input[name=provider][value=o1]");
    await until(() => [...document.querySelectorAll("#duration option")].filter((o) => !o.disabled).length === 2);
  });

  await test("a picked 200×200 PNG is measured and shows image_too_small", async () => {
    await start("v3");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "file");
    await page.setInputFiles("#image-0-value", { name: "small.png", mimeType: "image/png", buffer: png(200, 200) });
    await until(() => document.querySelector("#msg-image-0")?.textContent.includes("image_too_small"));
    assert.match(await text("#image-0-facts"), /200×200/);
    assert.match(await text("#image-0-facts"), /PNG/);
    assert.equal(await page.getAttribute("#image-0-value", "aria-invalid"), "true");
    assert.match(await text("#summary"), /error/);
    await shot("04-image-too-small");
    // A big enough one is fine, as a first frame.
    await page.setInputFiles("#image-0-value", { name: "ok.png", mimeType: "image/png", buffer: png(400, 300) });
    await page.selectOption("#image-0-type", "first_frame");
    await until(() => document.querySelector("#summary").className === "ok");
    assert.equal(await text("#scenario"), "first_frame");
  });

  await test("a valid V3 multi-shot request is built", async () => {
    await start("v3");
    await page.check("#multi_shot");
    await until(() => document.querySelector("#summary").className === "ok");
    let body = JSON.parse(await text("#body"));
    assert.equal(body.model, "kling-v3-omni");
    assert.equal(body.parameters.multi_shot, true);
    assert.equal(body.parameters.shot_type, "customize");
    assert.deepEqual(body.parameters.multi_prompt.map((s) => [s.index, s.duration]), [[1, "2"], [2, "3"]]);
    // A shot that breaks the sum says so under the shots; a new shot takes the seconds left (issue 18, item 5).
    await page.fill("#shot-1-duration", "2");
    await until(() => /shot_duration_sum/.test(document.querySelector("#errors").textContent));
    await shot("05-multishot-sum-wrong");
    await page.click("#add-shot");
    await page.fill("#shot-2-prompt", "The cat sleeps");
    await until(() => document.querySelector("#summary").className === "ok");
    body = JSON.parse(await text("#body"));
    assert.deepEqual(body.parameters.multi_prompt.map((s) => s.duration), ["2", "2", "1"]);
    // No seconds left: no new shot, and the reason is shown.
    assert.equal(await page.isDisabled("#add-shot"), true);
    assert.match(await text("#shots-sum"), /No seconds left/);
    await page.selectOption("#duration", "6");
    await page.click("#add-shot");
    await page.fill("#shot-3-prompt", "The cat wakes");
    await until(() => document.querySelector("#summary").className === "ok");
    body = JSON.parse(await text("#body"));
    assert.equal(body.parameters.duration, 6);
    assert.equal(body.parameters.multi_prompt.length, 4);
    await shot("06-multishot-valid");
  });

  await test("a submit ends with the video playing", async () => {
    await start("v3");
    await page.click("#submit");
    await until(() => ["queued", "running", "succeeded"].includes(document.querySelector("#status").dataset.state));
    await until(() => {
      const v = document.querySelector("#result video");
      return v && !v.paused && v.readyState >= 2 && v.currentTime > 0;
    }, null, 20000);
    assert.equal(await page.getAttribute("#status", "data-state"), "succeeded");
    assert.match(await text("#elapsed"), /Elapsed: \d+\.\d s/);
    assert.match(await page.getAttribute("#result a", "href"), /\/media\/.+\.mp4$/);
    await shot("07-submit-succeeded");
    const o1 = await startO1AndWait();
    assert.ok(o1);
  });

  await test("Stop waiting says the task goes on at Kling, and offers to resume", async () => {
    await start("o1");
    await page.click("#submit");
    await until(() => ["queued", "running"].includes(document.querySelector("#status").dataset.state));
    await shot("08-running");
    assert.equal(await text("#cancel"), "Stop waiting");
    await page.click("#cancel");
    await until(() => document.querySelector("#status").dataset.state === "stopped");
    assert.match(await text("#status"), /continues at Kling/);
    assert.notEqual(await page.getAttribute("#status", "class"), "error");
    assert.equal(await page.isDisabled("#cancel"), true);
    await shot("09-stopped");
    await page.click("#resume");
    await until(() => document.querySelector("#status").dataset.state === "succeeded", null, 20000);
    await until(() => document.querySelector("#result video"));
  });

  await test("a reused external task id says so before showing its task", async () => {
    await start("o1");
    const id = `demo-${Date.now()}`;
    await page.fill("#external_task_id", id);
    await page.click("#submit");
    await until(() => document.querySelector("#status").dataset.state === "succeeded", null, 20000);
    assert.equal(await page.isVisible("#existing"), false);
    const creates = async () => (await demo.gateway.stats()).created;
    const before = await creates();
    await until(() => !document.querySelector("#submit").disabled);
    await page.click("#submit");
    await until(() => document.querySelector("#existing"));
    assert.match(await text("#existing"), new RegExp(`"${id}" already exists`));
    await until(() => document.querySelector("#status").dataset.state === "succeeded", null, 20000);
    assert.equal(await creates(), before, "no second task");
  });

  await test("a gateway fault shows its typed error", async () => {
    await start("o1");
    await setPrompt("A cat #fault=create-1301");
    await page.click("#submit");
    await until(() => document.querySelector("#failure").dataset.kind === "api");
    const f = await text("#failure");
    assert.match(f, /1301/);
    assert.match(f, /policy/);
    assert.match(f, /content security policy triggered/);
    assert.equal(await page.getAttribute("#status", "data-state"), "failed");
    await shot("10-fault-1301");
    // A task that fails in moderation: the provider's reason.
    await start("v3");
    await setPrompt("A cat #fault=moderation");
    await page.click("#submit");
    await until(() => document.querySelector("#failure").dataset.kind === "task_failed");
    assert.ok((await text("#failure")).includes(MODERATION_REASON));
    await shot("11-moderation");
  });

  await test("layout: no sideways scroll at 360, 390 and 1366 px, long text wraps in its own box", async () => {
    const long200 = "A cat walks slowly through a sunlit garden, ".repeat(5).slice(0, 200);
    for (const width of [360, 390, 1366]) {
      await page.setViewportSize({ width, height: 900 });
      for (const [name, prompt] of [["default", null], ["200 characters", long200], ["10,000 characters", "x".repeat(10000)]]) {
        await start("o1");
        if (prompt) await setPrompt(prompt);
        await until((n) => document.querySelector("#prompt-count").textContent.startsWith(String(n)), prompt ? [...prompt].length : 42);
        await until(() => document.querySelector("#body").textContent.includes(document.querySelector("#prompt").value.slice(0, 50)));
        const m = await page.evaluate(() => ({
          page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
          form: Math.round(document.querySelector("#form").getBoundingClientRect().width),
        }));
        figures[`${width} px, ${name} prompt`] = m;
        assert.ok(m.page <= m.view, `${width} px, ${name} prompt: the page is ${m.page} px wide in a ${m.view} px window`);
        // The form keeps its share of the width (at 1366 px it used to shrink to 244 px).
        if (width === 1366) assert.ok(m.form >= 600, `1366 px, ${name} prompt: the form is ${m.form} px wide`);
        else assert.ok(m.form >= width - 60, `${width} px, ${name} prompt: the form is ${m.form} px wide`);
      }
      if (width !== 1366) await shot(`12-layout-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await test("demo mode: a banner names the fake gateway; real hosts only by choice, named before any request", async () => {
    await start("o1");
    assert.equal(await page.isVisible("#demo-banner"), true);
    assert.match(await text("#demo-banner"), new RegExp(demo.gatewayUrl.replace(/[.:/]/g, "\\$&")));
    assert.match(await text("#target"), /fake gateway/i);
    // An empty Base URL sends nothing (it used to go to the real O1 host with the demo's key).
    const before = outside.length;
    await page.selectOption("#host", "custom");
    await page.fill("#base-url", "");
    await until(() => document.querySelector("#submit").disabled);
    assert.match(await text("#target"), /Base URL/);
    await page.click("#submit", { force: true }).catch(() => {});
    // A real host is a choice, and its name shows before the first request; no banner then.
    await page.selectOption("#host", "o1");
    await until(() => /models\.hingnet\.com\.cn/.test(document.querySelector("#target").textContent));
    assert.match(await text("#target"), /real|paid/i);
    assert.equal(await page.isVisible("#demo-banner"), false);
    assert.equal(await page.inputValue("#base-url"), "https://models.hingnet.com.cn");
    assert.equal(outside.length, before, `requests left the machine: ${outside.join(", ")}`);
    // Another provider does not carry the real host over, nor does coming back restore it.
    await page.check("input[name=provider][value=v3]");
    assert.equal(await page.inputValue("#host"), "demo");
    await page.check("input[name=provider][value=o1]");
    assert.equal(await page.inputValue("#host"), "demo");
    assert.equal(await page.inputValue("#base-url"), demo.gatewayUrl);
    assert.equal(await page.isVisible("#demo-banner"), true);
  });

  await test("a picked file stays a File: measured, shown as a placeholder, its Base64 built only to copy or send", async () => {
    await start("o1");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "file");
    const head = png(1600, 900);
    const big = Buffer.concat([head, Buffer.alloc(Math.round(9.5 * 1048576) - head.length)]);
    await page.setInputFiles("#image-0-value", { name: "photo.png", mimeType: "image/png", buffer: big });
    await until(() => document.querySelector("#image-0-facts").textContent.includes("1600×900"));
    await until(() => document.querySelector("#body").textContent.includes('"<Base64 of photo.png, 9.5 MB>"'));
    assert.ok((await text("#body")).length < 1500, "the body view stays readable");
    await until(() => document.querySelector("#summary").className === "ok");
    // A keystroke re-validates with the file's measured facts, not 12.7 MB of Base64.
    const times = [];
    for (let i = 0; i < 5; i++) {
      times.push(await page.evaluate(() => new Promise((resolve) => {
        const p = document.querySelector("#prompt");
        const ob = new MutationObserver(() => { ob.disconnect(); resolve(performance.now() - t0); });
        ob.observe(document.querySelector("#summary"), { childList: true, characterData: true, subtree: true, attributes: true });
        const t0 = performance.now();
        p.value += "!";
        p.dispatchEvent(new Event("input", { bubbles: true }));
      })));
    }
    times.sort((a, b) => a - b);
    figures["keystroke with a 9.5 MB image, ms (sorted)"] = times.map((x) => Math.round(x));
    assert.ok(times[2] < 40, `a keystroke took ${times[2]} ms (median of 5)`);
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: demo.url });
    // Copy curl: a body this large goes to a file (a 13.9 MB argument fails: "Argument list too long").
    await page.evaluate(() => { document.querySelector("#copied").textContent = ""; });
    await page.click("#copy-curl");
    await until(() => document.querySelector("#copied").textContent !== "");
    const curlText = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(curlText, /--data @request\.json/);
    assert.ok(curlText.length < 1000, `curl is ${curlText.length} characters`);
    assert.equal(await page.getAttribute("#download-body", "download"), "request.json");
    const size = await page.evaluate(async () => (await (await fetch(document.querySelector("#download-body").href)).blob()).size);
    assert.ok(size > 9.5 * 1048576 * 4 / 3, `request.json is ${size} bytes`);
    // Copy JSON: the real Base64, built when it is needed.
    await page.evaluate(() => { document.querySelector("#copied").textContent = ""; });
    await page.click("#copy-json");
    await until(() => document.querySelector("#copied").textContent !== "");
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.ok(copied.image_list[0].image_url.startsWith("iVBORw0KGgo"));
    assert.equal(copied.image_list[0].image_url.length, Math.ceil(big.length / 3) * 4);
    await shot("13-file-placeholder");
    // Submit sends that Base64.
    const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().startsWith(demo.gatewayUrl));
    await page.click("#submit");
    const body = JSON.parse((await sent).postData());
    assert.equal(body.image_list[0].image_url, copied.image_list[0].image_url);
    await until(() => document.querySelector("#status").dataset.state === "succeeded", null, 20000);
  });

  await test("messages name fields as the form does (Image 1, Shot 1), in both languages", async () => {
    await start("v3");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "file");
    await page.setInputFiles("#image-0-value", { name: "small.png", mimeType: "image/png", buffer: png(200, 200) });
    await until(() => /200×200/.test(document.querySelector("#msg-image-0")?.textContent));
    const img = await text("#msg-image-0");
    assert.match(img, /^Image 1 is 200×200 px/);
    assert.doesNotMatch(img + await text("#errors"), /image_list\[/);
    await page.check("#multi_shot");
    await page.fill("#shot-0-duration", "0");
    await until(() => /Shot 1/.test(document.querySelector("#msg-shot-0-duration")?.textContent));
    assert.doesNotMatch(await text("#msg-shot-0-duration"), /multi_prompt\[/);
    await page.check("input[name=locale][value=zh]");
    await until(() => /图片 1/.test(document.querySelector("#msg-image-0").textContent));
    assert.match(await text("#msg-shot-0-duration"), /镜头 1/);
    assert.match(await text("#errors"), /图片 1/);
    await page.check("input[name=locale][value=en]");
  });

  await test("a picked video's problems sit under the file, and what was measured is not called unmeasured", async () => {
    const webm = path.join(root, "tests", "fixtures", "generated", "clip.webm");
    if (!existsSync(webm)) execFileSync(path.join(root, "tests", "fixtures", "make.sh"), { stdio: "ignore" });
    await start("o1");
    await page.check("#video-on");
    await page.fill("#video-url", "https://cdn.example.com/clip.mp4");
    await page.setInputFiles("#video-file", { name: "clip.webm", mimeType: "video/webm", buffer: await readFile(webm) });
    await until(() => /video_duration/.test(document.querySelector("#msg-video").textContent));
    assert.match(await text("#msg-video"), /^Video 1 /);
    assert.equal(await text("#msg-video_url"), "");
    assert.doesNotMatch(await text("#unverified"), /not measured/i);
    await page.uncheck("#video-on");
  });

  await test("中文 switches the whole page, not only the messages", async () => {
    await start("v3");
    await page.click("#add-image");
    await page.check("#multi_shot");
    await page.check("input[name=locale][value=zh]");
    await until(() => document.documentElement.lang === "zh-CN");
    await until(() => /错误|有效/.test(document.querySelector("#summary").textContent));
    // Wire names, values and product names stay as they are sent; no other English word.
    const keep = new Set(["O1", "V3", "URL", "Base64", "JSON", "curl", "API", "ID", "Kling", "Omni", "English", "first_frame",
      "end_frame", "multi_shot", "shot_type", "refer_type", "keep_original_sound", "base", "feature", "customize", "pro", "std",
      "on", "off", "yes", "no", "sessionStorage", "kling", "omni", "video", "videos", "tasks", "submit", "make", "demo",
      "https", "http", "hingnet", "ModelVerse", "request", "json", "text_to_video", "POST", "data", "key", "test", "Language", "Base"]);
    const words = await page.evaluate(() => {
      const seen = [];
      for (const e of document.querySelectorAll("label, legend, button, h1, h2, p, a, .hint, option, #target, #demo-banner")) {
        if (!e.checkVisibility()) continue;
        const own = [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(" ");
        seen.push(...(own.match(/[A-Za-z][A-Za-z_]{2,}/g) ?? []));
      }
      return seen;
    });
    const english = [...new Set(words.filter((w) => !keep.has(w)))];
    assert.deepEqual(english, [], `English left in the Chinese page: ${english.join(", ")}`);
    assert.match(await text("#add-image"), /图片/);
    assert.equal(await page.getAttribute("#body", "aria-label"), "JSON 格式的请求体");
    await shot("14-zh");
    await page.check("input[name=locale][value=en]");
    await until(() => document.documentElement.lang === "en");
    assert.match(await text("#add-image"), /Add an image/);
  });

  await test("controls offer exactly what allowedOptions allows, with the reason shown", async () => {
    const options = (sel) => page.$$eval(`${sel} option`, (os) => os.map((o) => o.value));
    await start("v3");
    // SPEC: shot_type is only "customize".
    assert.deepEqual(await options("#shot_type"), ["customize"]);
    // O1 text to video: 5 or 10 s, and the page says why.
    await start("o1");
    assert.deepEqual(await options("#duration"), ["5", "10"]);
    assert.match(await text("#duration-why"), /text_to_video.*5, 10/);
    // No "(none)" aspect ratio that snaps back: with a first frame the select is off, with the reason.
    assert.deepEqual(await options("#aspect_ratio"), ["16:9", "9:16", "1:1"]);
    await page.click("#add-image");
    await page.fill("#image-0-value", "https://cdn.example.com/a.jpg");
    await page.selectOption("#image-0-type", "first_frame");
    await until(() => document.querySelector("#aspect_ratio").disabled);
    assert.match(await text("#aspect_ratio-why"), /frame sets the shape/);
    assert.equal(JSON.parse(await text("#body")).aspect_ratio, undefined);
    assert.equal(await page.isVisible("#aspect_ratio-why"), true);
    // V3 with a reference video: sound only "off", said beside it.
    await start("v3");
    await page.check("#video-on");
    await page.fill("#video-url", "https://cdn.example.com/clip.mp4");
    await until(() => document.querySelector("#sound-why").textContent !== "");
    assert.deepEqual(await options("#sound"), ["off"]);
    // A video edit sends no duration, and says so.
    await page.selectOption("#refer_type", "base");
    await until(() => document.querySelector("#duration").disabled);
    assert.match(await text("#duration-why"), /as long as the input video/);
    await page.uncheck("#video-on");
  });

  await test("Kling's own API: the model switch shows each model's fields and choices", async () => {
    await start("kling");
    assert.equal(await page.isVisible("#model"), true);
    assert.equal(await page.inputValue("#model"), "kling-video-o1");
    assert.equal(await page.isVisible("#sound"), false);
    assert.equal(await page.isVisible("#multi_shot"), false);
    assert.equal(await page.isVisible("#negative_prompt"), false);
    assert.equal(await page.isVisible("#callback_url"), true);
    assert.deepEqual(await enabledOptions("#duration"), ["5", "10"]);
    await until(() => document.querySelector("#summary").className === "ok");
    await page.selectOption("#model", "kling-v3-omni");
    await until(() => !document.querySelector("[data-field=sound]").hidden);
    assert.equal(await page.isVisible("#multi_shot"), true);
    assert.deepEqual(await enabledOptions("#duration"), ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]);
    await page.check("#multi_shot");
    await until(() => document.querySelector("#summary").className === "ok");
    const body = JSON.parse(await text("#body"));
    assert.equal(body.model_name, "kling-v3-omni");
    assert.equal(body.duration, "5");
    assert.equal(body.multi_shot, true);
    assert.deepEqual(body.multi_prompt.map((s) => s.duration), ["2", "3"]);
    assert.equal(await text("#endpoint"), "POST /v1/videos/omni-video");
    await shot("15-kling-v3-omni");
    // Back to kling-video-o1: sound and multi-shot go, and are not sent.
    await page.selectOption("#model", "kling-video-o1");
    await until(() => document.querySelector("[data-field=sound]").hidden);
    const o1 = JSON.parse(await text("#body"));
    assert.equal(o1.sound, undefined);
    assert.equal(o1.multi_shot, undefined);
    await until(() => document.querySelector("#summary").className === "ok");
  });

  await test("Kling's own API submits through the demo server's token proxy (both models), the page holding no key", async () => {
    for (const modelName of ["kling-video-o1", "kling-v3-omni"]) {
      await start("kling");
      await page.selectOption("#model", modelName);
      await until(() => document.querySelector("#summary").className === "ok");
      assert.match(await text("#target"), new RegExp(`${demo.url.replace(/[.:/]/g, "\\$&")}/kling-api`));
      const sent = page.waitForRequest((r) => r.method() === "POST" && r.url().includes("/kling-api/"));
      await page.click("#submit");
      const req = await sent;
      assert.equal(req.url(), `${demo.url}/kling-api/v1/videos/omni-video`);
      assert.equal(req.headers().authorization, undefined, "the page sends no key: the server adds the token");
      assert.equal(JSON.parse(req.postData()).model_name, modelName);
      await until(() => document.querySelector("#status").dataset.state === "succeeded", null, 20000);
      await until(() => document.querySelector("#result video"));
    }
    await shot("19-kling-succeeded");
  });

  await test("Make it fit beside a picked image's problems: the changes and the new size shown", async () => {
    await start("v3");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "file");
    await page.setInputFiles("#image-0-value", { name: "wide.png", mimeType: "image/png", buffer: png(900, 200) });
    await until(() => document.querySelector("#image-0-fit"));
    assert.match(await text("#msg-image-0"), /image_too_small/);
    assert.match(await text("#msg-image-0"), /image_aspect_ratio/);
    await page.click("#image-0-fit");
    await until(() => /Made to fit/.test(document.querySelector("#image-0-fit-note")?.textContent));
    await until(() => document.querySelector("#summary").className === "ok");
    const note = await text("#image-0-fit-note");
    assert.match(note, /→ \d+×\d+ px, \d+\.\d [KM]B/);
    const [w, h] = note.match(/→ (\d+)×(\d+)/).slice(1).map(Number);
    assert.ok(Math.min(w, h) >= 300 && w / h <= 2.5, `${w}×${h}`);
    assert.match(await text("#image-0-facts"), new RegExp(`${w}×${h}`));
    assert.equal(await page.isVisible("#image-0-fit"), false);
    assert.match(await text("#body"), /<Base64 of wide\.(jpg|png), /);
    await shot("16-made-to-fit");
  });

  await test("Fix beside a fixable issue, and Fix all", async () => {
    const b64 = png(400, 300).toString("base64");
    await start("o1");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "base64");
    await page.fill("#image-0-value", `data:image/png;base64,${b64}`);
    await until(() => document.querySelector("#msg-image-0 button.fix"));
    await page.click("#msg-image-0 button.fix");
    await until(() => document.querySelector("#summary").className === "ok");
    assert.equal(await page.inputValue("#image-0-value"), b64);
    // Several at once: a data: prefix, an external id of spaces, a prompt multi-shot ignores.
    await start("v3");
    await page.check("#multi_shot");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "base64");
    await page.fill("#image-0-value", `data:image/png;base64,${b64}`);
    await page.fill("#external_task_id", "   ");
    await until(() => document.querySelectorAll("#errors button.fix, #warnings button.fix").length === 3);
    assert.equal(await page.isVisible("#fix-all"), true);
    await shot("17-fixable");
    await page.click("#fix-all");
    await until(() => document.querySelector("#summary").className === "ok" && !document.querySelector("#warnings li"));
    assert.equal(await page.inputValue("#image-0-value"), b64);
    assert.equal(await page.inputValue("#external_task_id"), "");
    assert.equal(await page.inputValue("#prompt"), "");
    assert.equal(await page.isVisible("#fix-all"), false);
    assert.match(await text("#copied"), /Fixed 3 issues/);
  });

  await test("for developers: an example per scenario and provider, paste JSON, faults, the HTTP log with the key masked", async () => {
    await start("o1");
    await page.click("#dev summary");
    const examples = await page.$$eval("#example option", (os) => os.filter((o) => o.value).map((o) => [o.value, o.dataset.scenario]));
    // 6 scenarios × (o1, v3, kling with each model) + multi-shot for the two V3 models.
    assert.equal(examples.length, 26);
    for (const [value, scenario] of examples) {
      await page.selectOption("#example", value);
      await until((v) => document.querySelector(`input[name=provider][value=${v.split("|")[0]}]`).checked, value);
      await until((s) => document.querySelector("#scenario").textContent === s && document.querySelector("#summary").className === "ok", scenario, 5000)
        .catch(async () => assert.fail(`${value}: ${await text("#scenario")} · ${await text("#summary")} · ${await text("#errors")}`));
    }
    // Paste JSON: the raw report, labels and all.
    await start("o1");
    await page.evaluate(() => { document.querySelector("#dev").open = true; });
    await page.fill("#paste", '{"prompt": "a cat", "duration": 5, "aspect_ratio": "16:9"}');
    await page.click("#paste-check");
    const raw = JSON.parse(await text("#raw-report"));
    assert.deepEqual(raw.errors.map((e) => [e.code, e.label, e.fix?.value]), [["invalid_type", "duration", "5"]]);
    await page.click("#paste-load");
    await until(() => document.querySelector("#prompt").value === "a cat");
    // A fault by switch; the HTTP log shows the calls, never the key.
    await page.selectOption("#fault", "create-1301");
    await page.click("#submit");
    await until(() => document.querySelector("#failure").dataset.kind === "api");
    assert.match(await text("#failure"), /1301/);
    await page.selectOption("#fault", "");
    const log = await text("#http-log");
    assert.match(log, /POST http:\/\/127\.0\.0\.1:\d+\/kling\/v1\/videos\/omni-video → 400/);
    assert.match(log, /Authorization: Bearer •+ \(8 characters\)/);
    assert.doesNotMatch(log, /test-key/);
    await shot("18-developers");
  });

  // Into test-output/; into www/ (the README's) with UPDATE_SCREENSHOTS=1 (`make screenshots`):
  // the thumbnail's pixels differ slightly from run to run, which would dirty the tree each time.
  const readme = process.env.UPDATE_SCREENSHOTS === "1" ? path.join(root, "www") : out;
  await test("README screenshots in English and Chinese (screenshot.png, screenshot-zh.png)", async () => {
    await page.setViewportSize({ width: 1280, height: 1350 });
    // A fresh page: the same picture whatever the tests before left behind.
    await page.goto(`${demo.url}/`);
    await until(() => /valid|error/i.test(document.querySelector("#summary").textContent));
    await start("v3");
    await page.evaluate(() => { document.querySelector("#dev").open = false; });
    await page.check("#multi_shot");
    await page.click("#add-image");
    await page.selectOption("#image-0-source", "file");
    await page.setInputFiles("#image-0-value", { name: "avatar.png", mimeType: "image/png", buffer: png(280, 280) });
    await until(() => document.querySelector("#image-0-fit") && document.querySelector("#fix-all:not([hidden])")
      && document.querySelector("#image-0-facts img")?.complete);
    await page.evaluate(() => document.querySelector("#image-0-facts img").decode());
    await page.waitForTimeout(200);
    // The port `make demo` uses, not this run's free one: the same picture from run to run.
    const asMakeDemo = () => page.evaluate((url) => {
      for (const e of [document.querySelector("#demo-url"), document.querySelector("#target")]) e.textContent = e.textContent.replace(url, "http://127.0.0.1:8081");
      document.querySelector("#base-url").value = "http://127.0.0.1:8081";
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    }, demo.gatewayUrl).then(() => page.mouse.move(1279, 1));
    await asMakeDemo();
    await page.screenshot({ path: path.join(readme, "screenshot.png") });
    await page.check("input[name=locale][value=zh]");
    await until(() => /图片 1/.test(document.querySelector("#msg-image-0").textContent) && /自动调整/.test(document.querySelector("#image-0-fit").textContent));
    await asMakeDemo();
    await page.screenshot({ path: path.join(readme, "screenshot-zh.png") });
    await page.check("input[name=locale][value=en]");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await test("the page logged no errors and called no real endpoint", async () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(pageErrors, []);
  });
} finally {
  clearTimeout(guard);
  await context.close().catch(() => {});
  await demo.close();
}

// O1 too: the same page, the other wire format and auth header.
async function startO1AndWait() {
  await start("o1");
  await page.click("#submit");
  await until(() => document.querySelector("#status").dataset.state === "succeeded", null, 20000);
  await until(() => { const v = document.querySelector("#result video"); return v && v.currentTime > 0; }, null, 20000);
  return true;
}

console.log(JSON.stringify(figures));
const failed = results.filter(([, ok]) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed; screenshots in test-output/`);
process.exit(failed ? 1 : 0);
