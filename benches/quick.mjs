// A quick look at some of `make bench`'s figures without the whole run (nothing written):
//   node benches/quick.mjs [--validator pkg-validator] [--big] [--validate] [--page]
// --big: the 10 MB Base64 image (Worker); --validate: the zod/valibot comparison (Worker, or
// the page with --page), medians by group.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./server.mjs";
import { launchChromium } from "../tests/chromium.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const has = (name) => process.argv.includes(`--${name}`);
const VALIDATOR = arg("validator", "pkg-validator");
const server = await startServer(root);
const browser = await launchChromium();
const page = browser.pages()[0] ?? await browser.newPage();
await page.goto(`${server.url}benches/harness.html?validator=${VALIDATOR}&full=pkg`);
await page.waitForFunction(() => window.harnessReady);
if (has("big")) console.log(JSON.stringify(await page.evaluate((u) => window.benchBigImageWorker(u), "/tests/fixtures/generated/bench-10mb.jpg")));
if (has("validate")) {
  const cases = JSON.parse(await readFile(path.join(here, "requests.json"), "utf8"));
  const rows = await page.evaluate(([c, p]) => (p ? window.benchValidate(c) : window.benchValidateWorker(c)), [cases, has("page")]);
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
  for (const valid of [true, false]) {
    const g = rows.filter((r) => r.verdicts.kling === valid);
    const m = (k) => median(g.map((r) => r[k])).toFixed(2);
    console.log(valid ? "valid  " : "invalid", "kling object", m("kling_object_us"), "text", m("kling_text_us"), "zod", m("zod_object_us"), "valibot", m("valibot_object_us"),
      "ratio", (median(g.map((r) => r.kling_object_us)) / median(g.map((r) => r.zod_object_us))).toFixed(2));
  }
  if (has("rows")) for (const r of rows) console.log(r.name, r.kling_object_us.toFixed(2), r.zod_object_us.toFixed(2));
}
await browser.close();
await server.close();
