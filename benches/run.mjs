// `make bench`: sizes, validation speed, media measurement and start-up, in headless Chromium
// and natively, written to BENCHMARKS.md. The Makefile builds what this reads first:
//   node benches/run.mjs --full pkg --validator pkg-validator --native target/bench-native.json
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { startServer } from "./server.mjs";
import { launchChromium } from "../tests/chromium.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const FULL = arg("full", "pkg"), VALIDATOR = arg("validator", "pkg-validator");
const NATIVE = arg("native", "target/bench-native.json");
const OUT = arg("out", "BENCHMARKS.md");
// The figures of an earlier run (the "before" column of issue 15's targets), and where to
// save this run's, when asked: `--save-baseline benches/baseline.json`.
const BASELINE = arg("baseline", "benches/baseline.json");
const SAVE_BASELINE = arg("save-baseline", null);
const log = (...a) => console.log("bench:", ...a);

// ---- 1. sizes -----------------------------------------------------------------------------
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
async function sizeOf(files) {
  let raw = 0, gzip = 0;
  for (const f of files) { const b = await readFile(path.join(root, f)); raw += b.length; gzip += gz(b); }
  return { raw, gzip };
}
await mkdir(path.join(here, "out"), { recursive: true });
const bundles = {};
for (const [name, entry] of [["zod", "schemas/zod.mjs"], ["valibot", "schemas/valibot.mjs"], ["zod-alone", null], ["valibot-alone", null]]) {
  const lib = name.split("-")[0];
  await build({
    ...(entry ? { entryPoints: [path.join(here, entry)] }
      : { stdin: { contents: `export * from "${lib}";`, resolveDir: here, loader: "js" } }),
    bundle: true, minify: true, format: "esm", target: "es2022", legalComments: "none",
    outfile: path.join(here, "out", `${name}.js`), logLevel: "error",
  });
  bundles[name] = await sizeOf([`benches/out/${name}.js`]);
}
const sizes = {
  validator_wasm: await sizeOf([`${VALIDATOR}/kling_omni_bg.wasm`]),
  validator_glue: await sizeOf([`${VALIDATOR}/kling_omni.js`]),
  full_wasm: await sizeOf([`${FULL}/kling_omni_bg.wasm`]),
  full_glue: await sizeOf([`${FULL}/kling_omni.js`]),
  ...bundles,
};
const sum = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });
sizes.validator = sum(sizes.validator_wasm, sizes.validator_glue);
sizes.full = sum(sizes.full_wasm, sizes.full_glue);
log("sizes", JSON.stringify(sizes));

// ---- 2-4. Chromium --------------------------------------------------------------------------
const cases = JSON.parse(await readFile(path.join(here, "requests.json"), "utf8"));
const server = await startServer(root);
const browser = await launchChromium();
const chromiumVersion = browser.browser()?.version() ?? execFileSync("/usr/bin/chromium", ["--version"]).toString().trim();
const harness = `${server.url}benches/harness.html?full=${FULL}&validator=${VALIDATOR}`;
let page = browser.pages()[0] ?? await browser.newPage();
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
const open = async (url) => { await page.goto(url); await page.waitForFunction(() => window.harnessReady); };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

const startup = {};
for (const pkg of [VALIDATOR, FULL]) {
  const init = [], fetched = [], compile = [], inst = [];
  for (let i = 0; i < 9; i++) {
    await open(`${harness}&mode=init&n=${i}`);
    init.push((await page.evaluate((p) => window.benchStartup(p), pkg)).init_ms);
    await open(`${harness}&mode=split&n=${i}`);
    const s = await page.evaluate((p) => window.benchStartup(p), pkg);
    fetched.push(s.fetch_ms); compile.push(s.compile_ms); inst.push(s.instantiate_ms);
  }
  startup[pkg] = { init_ms: median(init), fetch_ms: median(fetched), compile_ms: median(compile), instantiate_ms: median(inst) };
  startup[pkg].ready_ms = startup[pkg].compile_ms + startup[pkg].instantiate_ms;
}
log("start-up", JSON.stringify(startup));

await open(harness);
const validationWorker = await page.evaluate((c) => window.benchValidateWorker(c), cases);
log("validation (Worker) done");
await open(harness);
const validation = await page.evaluate((c) => window.benchValidate(c), cases);
log("validation (page) done");
await open(harness);
const bigImageUrl = "/tests/fixtures/generated/bench-10mb.jpg";
const bigImage = await page.evaluate((u) => window.benchBigImageWorker(u), bigImageUrl);
log("10 MB Base64 image (Worker)", JSON.stringify(bigImage));

await open(harness);
await page.exposeFunction("serverBytes", () => { const b = server.counter.bytes; server.counter.bytes = 0; return b; });
const gen = path.join(root, "tests/fixtures/generated");
await page.setInputFiles("#jpeg", path.join(gen, "bench-10mb.jpg"));
await page.setInputFiles("#png", path.join(gen, "bench-10mb.png"));
await page.setInputFiles("#mp4", path.join(gen, "big.mp4"));
const images = await page.evaluate(() => window.benchImages());
log("images", JSON.stringify(images));
const bigUrl = `${server.url}tests/fixtures/generated/big.mp4`;
const video = { file: await page.evaluate(() => window.benchVideoFile()) };
video.file_bytes = video.file.file_bytes;
video.url = await page.evaluate(([u, n]) => window.benchVideoUrl(u, n), [bigUrl, 5]);
log("video", JSON.stringify(video));
await browser.close();
await server.close();
if (pageErrors.length) throw new Error("page errors: " + pageErrors.join("; "));

// ---- native ---------------------------------------------------------------------------------
const native = JSON.parse(await readFile(path.resolve(root, NATIVE), "utf8")).requests;

// ---- BENCHMARKS.md --------------------------------------------------------------------------
const KB = (b) => `${(b / 1000).toFixed(1)} KB`;
const us = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2)) + " µs";
const ms = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2)) + " ms";
const MB = (b) => `${(b / 1048576).toFixed(2)} MB`;
const pct = (a, b) => `${((100 * a) / b).toFixed(3)} %`;
const yes = (ok) => (ok ? "**met**" : "**missed**");
const cpu = (cpus()[0]?.model ?? "unknown").trim();
const nproc = execFileSync("nproc").toString().trim();
const date = new Date().toISOString().replace(/\.\d+Z$/, " UTC").replace("T", " ");

const med = (rows, key) => median(rows.map((r) => r[key]));
/** Medians by group (valid / invalid requests), and the native figures beside them. */
function speedOf(rows) {
  const groups = { valid: rows.filter((r) => r.verdicts.kling), invalid: rows.filter((r) => !r.verdicts.kling) };
  const speed = {};
  for (const [g, rows] of Object.entries(groups)) {
    speed[g] = Object.fromEntries(["kling_object_us", "kling_text_us", "zod_object_us", "zod_text_us", "valibot_object_us", "valibot_text_us"].map((k) => [k, med(rows, k)]));
    speed[g].native_value_us = median(rows.map((r) => native.find((n) => n.name === r.name).value_ns / 1000));
    // The one-pass text path (validate_json): what wasm runs; older runs had only value_ns.
    speed[g].native_read_us = median(rows.map((r) => { const n = native.find((n) => n.name === r.name); return (n.text_ns ?? n.value_ns) / 1000; }));
    speed[g].native_text_us = median(rows.map((r) => native.find((n) => n.name === r.name).text_and_messages_ns / 1000));
  }
  return { groups, speed };
}
const { groups, speed: pageSpeed } = speedOf(validation);
const { speed } = speedOf(validationWorker);
const disagree = validationWorker.filter((r) => r.verdicts.kling !== r.verdicts.zod || r.verdicts.kling !== r.verdicts.valibot);
const ratio = (a, b) => (a / b).toFixed(a / b >= 10 ? 0 : 2) + "×";

// Issue 15's figures, this run's and the baseline's.
const figures = {
  date, chromium: chromiumVersion,
  valid_object_us: speed.valid.kling_object_us, valid_zod_us: speed.valid.zod_object_us,
  invalid_object_us: speed.invalid.kling_object_us, invalid_zod_us: speed.invalid.zod_object_us,
  page_valid_object_us: pageSpeed.valid.kling_object_us, page_valid_zod_us: pageSpeed.valid.zod_object_us,
  page_invalid_object_us: pageSpeed.invalid.kling_object_us, page_invalid_zod_us: pageSpeed.invalid.zod_object_us,
  native_valid_us: speed.valid.native_read_us,
  validator_gzip: sizes.validator.gzip, full_gzip: sizes.full.gzip,
  big_again_ms: bigImage.again_ms, big_first_ms: bigImage.first_ms,
};
if (SAVE_BASELINE) await writeFile(path.resolve(root, SAVE_BASELINE), JSON.stringify(figures, null, 1) + "\n");
let before = null;
try { before = JSON.parse(await readFile(path.resolve(root, BASELINE), "utf8")); } catch { /* no baseline */ }
const issue15 = [
  ["`validate()` on valid requests, object input (Worker)", (f) => `${ratio(f.valid_object_us, f.valid_zod_us)} zod 4 (${us(f.valid_object_us)} / ${us(f.valid_zod_us)})`,
    "≤ 0.7× zod 4", (f) => f.valid_object_us <= 0.7 * f.valid_zod_us],
  ["`validate()` on invalid requests, object input (Worker)", (f) => `${ratio(f.invalid_object_us, f.invalid_zod_us)} zod 4 (${us(f.invalid_object_us)} / ${us(f.invalid_zod_us)})`,
    "≤ 0.7× zod 4", (f) => f.invalid_object_us <= 0.7 * f.invalid_zod_us],
  ["the same two on the page (DevTools attached): valid / invalid", (f) => `${ratio(f.page_valid_object_us, f.page_valid_zod_us)} / ${ratio(f.page_invalid_object_us, f.page_invalid_zod_us)} zod 4`,
    "(for reference)", null],
  ["native time per valid request (median; JSON text read in one pass + rules; before: a parsed serde_json value + rules)", (f) => us(f.native_valid_us), "≤ 0.5 µs", (f) => f.native_valid_us <= 0.5],
  ["validator build, wasm + glue, gzip", (f) => KB(f.validator_gzip), "≤ 40 KB", (f) => f.validator_gzip <= 40_000],
  ["whole package, wasm + glue, gzip", (f) => KB(f.full_gzip), "≤ 100 KB", (f) => f.full_gzip <= 100_000],
  ["`validate()` with a 10 MB Base64 image, the same string again (Worker)", (f) => ms(f.big_again_ms), "≤ 2 ms", (f) => f.big_again_ms <= 2],
  ["`validate()` with a 10 MB Base64 image, a string never seen (Worker)", (f) => ms(f.big_first_ms), "≤ 20 ms", (f) => f.big_first_ms <= 20],
];

const img = (id) => images[id];
const targets = [
  ["image facts, 10 MB JPEG (picked file)", `${ms(img("jpeg").inspect_ms)}, ${ratio(img("jpeg").bitmap_ms, img("jpeg").inspect_ms)} faster than createImageBitmap; ${KB(img("jpeg").inspect_bytes)} read`,
    "≥ 20 × faster, ≤ 64 KB read", img("jpeg").bitmap_ms >= 20 * img("jpeg").inspect_ms && img("jpeg").inspect_bytes <= 65536],
  ["video facts, 200 MB MP4, `moov` at the end (URL, loopback)", `${pct(video.url.inspect_served, video.file_bytes)} served, ${ratio(video.url.video_ms, video.url.inspect_ms)} faster than loadedmetadata`,
    "≤ 1 % read, ≥ 5 × faster", video.url.inspect_served <= 0.01 * video.file_bytes && video.url.video_ms >= 5 * video.url.inspect_ms],
  ["video facts, same file picked (File)", `${pct(video.file.inspect_bytes_read, video.file_bytes)} read, ${ratio(video.file.video_ms, video.file.inspect_ms)} faster than loadedmetadata`,
    "≤ 1 % read, ≥ 5 × faster", video.file.inspect_bytes_read <= 0.01 * video.file_bytes && video.file.video_ms >= 5 * video.file.inspect_ms],
  ...[[VALIDATOR, "validator build"], [FULL, "whole package"]].flatMap(([p, n]) => [
    [`wasm compile + instantiate (bytes in hand), ${n}`, ms(startup[p].ready_ms), "≤ 10 ms", startup[p].ready_ms <= 10],
    [`wasm fetch + compile + instantiate (\`init()\` from a local server), ${n}`, ms(startup[p].init_ms), "≤ 10 ms", startup[p].init_ms <= 10],
  ]),
];

// Where the bytes and the time go: written by hand from profiles (not regenerated here).
const profile = (await readFile(path.join(here, "profile.md"), "utf8")).trim() + "\n";

const md = `# Benchmarks

Written by \`make bench\` (not part of \`make test\`) on ${date}.

- Machine: ${nproc} CPUs (\`nproc\`), ${cpu}; ${chromiumVersion.startsWith("Chromium") ? chromiumVersion : "Chromium " + chromiumVersion}, headless; Node ${process.version}.
- Reproduce: \`make bench\` from a clean clone (it makes the fixtures, both release builds, the
  zod/valibot bundles and the native bench, then runs \`node benches/run.mjs\`). Figures move
  by ±10–20 % between runs on a shared 2-core machine; ratios are steadier than times.

## Against the targets (issue 15)

"before": ${before ? `the run of ${before.date} kept in \`benches/baseline.json\` (the code before issue 15's work, on the same requests)` : "no baseline (`benches/baseline.json`) was found"};
"after": this run. Speed ratios are medians over the requests, timed in a dedicated Worker.

| figure | before | after | target | |
|---|---|---|---|---|
${issue15.map(([f, m, t, ok]) => `| ${f} | ${before ? m(before) : "—"} | ${m(figures)} | ${t} | ${ok ? yes(ok(figures)) : ""} |`).join("\n")}

## Other targets (issue 7)

| figure | measured | target | |
|---|---|---|---|
${targets.map(([f, m, t, ok]) => `| ${f} | ${m} | ${t} | ${yes(ok)} |`).join("\n")}

## 1. Size

gzip is \`gzip -9\` (zlib level 9) of each file; "wasm + glue" adds the two gzipped sizes.

| what | raw | gzip |
|---|---|---|
| validator build (\`--no-default-features\`): wasm | ${sizes.validator_wasm.raw.toLocaleString("en")} B | ${sizes.validator_wasm.gzip.toLocaleString("en")} B |
| validator build: JS glue | ${sizes.validator_glue.raw.toLocaleString("en")} B | ${sizes.validator_glue.gzip.toLocaleString("en")} B |
| **validator build: wasm + glue** | ${KB(sizes.validator.raw)} | **${KB(sizes.validator.gzip)}** |
| whole package (validator, media, client): wasm | ${sizes.full_wasm.raw.toLocaleString("en")} B | ${sizes.full_wasm.gzip.toLocaleString("en")} B |
| whole package: JS glue | ${sizes.full_glue.raw.toLocaleString("en")} B | ${sizes.full_glue.gzip.toLocaleString("en")} B |
| **whole package: wasm + glue** | ${KB(sizes.full.raw)} | **${KB(sizes.full.gzip)}** |
| zod 4 schema of docs/rules.md (\`benches/schemas/zod.mjs\` + \`rules.mjs\`), esbuild \`--minify\` | ${KB(sizes.zod.raw)} | ${KB(sizes.zod.gzip)} |
| valibot schema of docs/rules.md (\`benches/schemas/valibot.mjs\` + \`rules.mjs\`), esbuild \`--minify\` | ${KB(sizes.valibot.raw)} | ${KB(sizes.valibot.gzip)} |
| for scale: all of zod 4 (\`export * from "zod"\`) | ${KB(sizes["zod-alone"].raw)} | ${KB(sizes["zod-alone"].gzip)} |
| for scale: all of valibot | ${KB(sizes["valibot-alone"].raw)} | ${KB(sizes["valibot-alone"].gzip)} |

The schemas give a verdict (valid or not) and zod's/valibot's own messages; the wasm also
gives stable codes, wire paths, English and Chinese messages with the values behind them,
\`allowedOptions\` and \`defaults\`. The zod and valibot schemas share \`benches/schemas/rules.mjs\`:
the cross-field rules (scenario, counts, frames, durations by scenario, shots, placeholders,
Base64 and URL forms, media facts) are plain JavaScript in a \`superRefine\` / \`rawCheck\`,
which is how either library expresses them; field types, enums, lengths and forms are the
library's own schemas.

## 2. Validation speed (Chromium)

${cases.length} requests (\`benches/requests.json\`, all three providers and both \`kling\` models, ${groups.valid.length} valid and ${groups.invalid.length} invalid, ${cases.filter((c) => c.media).length} with measured
media facts, 2 with Base64 images). Each figure is the median per call over 15 samples of a batch of ≥ 5 ms.
"object": the request as a JS object; "text": as JSON text (zod and valibot get \`JSON.parse(text)\`).
The wasm is the validator build; its report includes every message. Timed twice: in a
dedicated Worker the page starts (no DevTools attached: the comparison), and on the page
Playwright drives (DevTools attached, where each \`new Error()\` zod builds for an invalid
input costs several times more).

| requests | where | kling object | kling text | zod object | zod text | valibot object | valibot text | native Rust (value / text + messages) |
|---|---|---|---|---|---|---|---|---|
${[["Worker", speed], ["page", pageSpeed]].flatMap(([where, sp]) => Object.entries(sp).map(([g, s]) => `| ${g} (median) | ${where} | ${us(s.kling_object_us)} | ${us(s.kling_text_us)} | ${us(s.zod_object_us)} | ${us(s.zod_text_us)} | ${us(s.valibot_object_us)} | ${us(s.valibot_text_us)} | ${us(s.native_value_us)} / ${us(s.native_text_us)} |`)).join("\n")}

Ratios (Worker): valid requests ${ratio(speed.valid.kling_object_us, speed.valid.zod_object_us)} zod's time (object), ${ratio(speed.valid.kling_text_us, speed.valid.zod_text_us)} (text), ${ratio(speed.valid.kling_object_us, speed.valid.valibot_object_us)} valibot's (object);
invalid requests ${ratio(speed.invalid.kling_object_us, speed.invalid.zod_object_us)} zod's (object), ${ratio(speed.invalid.kling_text_us, speed.invalid.zod_text_us)} (text), ${ratio(speed.invalid.kling_object_us, speed.invalid.valibot_object_us)} valibot's (object).
The native time is the rules alone (\`cargo bench --bench validate\`, the release profile):
what the wasm call costs beyond it is the boundary (reading the request, building the report
object) and wasm's own speed.

${disagree.length ? `**Verdicts that differ** (the schemas are then less faithful than they should be): ${disagree.map((r) => r.name).join("; ")}.` : "All three agree on every verdict (valid or not)."}

**A 10 MB Base64 image** (Worker): an O1 request whose first frame is \`${bigImageUrl.slice(1)}\`
(${bigImage.file_bytes.toLocaleString("en")} B, ${bigImage.chars.toLocaleString("en")} characters of Base64), as a form holding a picked file
validates it on each keystroke. Median of 7 single calls.

| | kling, the same string again | kling, a string never seen | zod (same string) | valibot (same string) |
|---|---|---|---|---|
| \`validate()\` | ${ms(bigImage.again_ms)} | ${ms(bigImage.first_ms)} | ${ms(bigImage.zod_ms)} | ${ms(bigImage.valibot_ms)} |

The report: ${bigImage.codes.length ? bigImage.codes.map((c) => `\`${c}\``).join(", ") : "no issue"}.

<details><summary>Per request (µs per call, Worker)</summary>

| request | valid | kling object | kling text | zod object | valibot object | native |
|---|---|---|---|---|---|---|
${validationWorker.map((r) => `| ${r.name} | ${r.verdicts.kling ? "yes" : "no"} | ${us(r.kling_object_us)} | ${us(r.kling_text_us)} | ${us(r.zod_object_us)} | ${us(r.valibot_object_us)} | ${us(native.find((n) => n.name === r.name).value_ns / 1000)} |`).join("\n")}

</details>

## 3. Media

Images are picked files (\`File\`): a ${MB(img("jpeg").file_bytes)} JPEG, ${img("jpeg").bitmap_size.join("×")}, and a ${MB(img("png").file_bytes)} PNG, ${img("png").bitmap_size.join("×")} (MB = 2^20 bytes)
(\`tests/fixtures/generated/bench-10mb.*\`). Median of 9 runs (inspect) or 5 (decoders), after a warm-up.
\`createImageBitmap\` and \`decode()\` read the whole file and decode every pixel.

| file | \`inspectImage\` | read | \`createImageBitmap\` | \`img.decode()\` | speed-up vs bitmap / decode |
|---|---|---|---|---|---|
${["jpeg", "png"].map((id) => { const r = img(id); return `| ${id.toUpperCase()} | ${ms(r.inspect_ms)} | ${r.inspect_bytes.toLocaleString("en")} B | ${ms(r.bitmap_ms)} | ${ms(r.decode_ms)} | ${ratio(r.bitmap_ms, r.inspect_ms)} / ${ratio(r.decode_ms, r.inspect_ms)} |`; }).join("\n")}

Video: \`tests/fixtures/generated/big.mp4\`, ${video.file_bytes.toLocaleString("en")} B, \`moov\` at the end. From a URL on a
local server (Range requests; "served" is what the server handed to the network, median of 5),
and as a picked file (\`inspectVideo\` reads with \`Blob.slice\`; the element gets a \`blob:\` URL).
\`<video preload=metadata>\` is timed to \`loadedmetadata\`.

| source | \`inspectVideo\` | read | \`<video>\` loadedmetadata | read | speed-up |
|---|---|---|---|---|---|
| URL | ${ms(video.url.inspect_ms)} | ${video.url.inspect_served.toLocaleString("en")} B served (${pct(video.url.inspect_served, video.file_bytes)}) | ${ms(video.url.video_ms)} | ${video.url.video_served.toLocaleString("en")} B served (${pct(video.url.video_served, video.file_bytes)}) | ${ratio(video.url.video_ms, video.url.inspect_ms)} |
| File | ${ms(video.file.inspect_ms)} | ${video.file.inspect_bytes_read.toLocaleString("en")} B (${pct(video.file.inspect_bytes_read, video.file_bytes)}) | ${ms(video.file.video_ms)} | not observable | ${ratio(video.file.video_ms, video.file.inspect_ms)} |

Facts agree: inspect ${JSON.stringify(video.url.inspect_facts)}; element ${JSON.stringify(video.url.video_facts)}.

${profile}
## 4. Start-up (Chromium)

A fresh page each run (9 runs, median), nothing cached (\`Cache-Control: no-store\`). On this
shared machine a request to the local Node server alone takes a few milliseconds, which is
why \`init()\` is reported beside compile + instantiate from bytes already fetched.

| build | \`init()\`: fetch + compile + instantiate | fetch (\`arrayBuffer\`) | \`WebAssembly.compile\` | instantiate (\`initSync\`) |
|---|---|---|---|---|
${[[VALIDATOR, "validator"], [FULL, "whole package"]].map(([p, n]) => `| ${n} | ${ms(startup[p].init_ms)} | ${ms(startup[p].fetch_ms)} | ${ms(startup[p].compile_ms)} | ${ms(startup[p].instantiate_ms)} |`).join("\n")}
`;
await writeFile(path.resolve(root, OUT), md);
log(`wrote ${OUT}`);
