// A/B timing of several validator builds on benches/requests.json, interleaved so that the
// load of a shared machine falls on all of them alike (no zod; for choosing between builds,
// `make bench` gives the reported figures):
//   node benches/ab.mjs pkg-base pkg-validator [--rounds 7] [--chromium]
// In Node, or with --chromium in a dedicated Worker of headless Chromium (as the targets are
// timed). Checks first that every build gives the first one's reports (both locales, object
// and text). Per build: the fastest over rounds of each group's median (over requests) of the
// fastest sample's µs per call (valid / invalid, object / text): minima, as other processes
// only add time.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback; };
const has = (name) => { const i = args.indexOf(`--${name}`); return i >= 0 && args.splice(i, 1).length > 0; };
const ROUNDS = flag("rounds", 7);
const CHROMIUM = has("chromium");
const cases = JSON.parse(await readFile(path.join(here, "requests.json"), "utf8"));

/** Runs where the builds are loaded: `loaded` is [{dir, glue}]. Self-contained (sent to a Worker as text). */
function abRun(loaded, cases, rounds) {
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
  const texts = cases.map((c) => JSON.stringify(c.request));
  for (const b of loaded.slice(1)) {
    cases.forEach((c, i) => {
      for (const input of [c.request, texts[i]]) for (const locale of ["en", "zh"]) {
        const [x, y] = [loaded[0], b].map((k) => JSON.stringify(k.glue.validate(c.provider, input, c.media ?? null, { locale })));
        if (x !== y) throw new Error(`${b.dir} differs on ${c.name} (${locale}):\n${x}\n${y}`);
      }
    });
  }
  const verdicts = cases.map((c) => loaded[0].glue.validate(c.provider, c.request, c.media ?? null).valid);
  const perCall = (fn) => {
    let k = 1;
    for (;;) { const t = performance.now(); for (let i = 0; i < k; i++) fn(); if (performance.now() - t >= 3) break; k *= 2; }
    const xs = [];
    for (let j = 0; j < 5; j++) { const t = performance.now(); for (let i = 0; i < k; i++) fn(); xs.push(((performance.now() - t) / k) * 1000); }
    return Math.min(...xs);
  };
  for (const b of loaded) {
    const until = performance.now() + 1000;
    while (performance.now() < until) cases.forEach((c, i) => { b.glue.validate(c.provider, c.request, c.media ?? null); b.glue.validate(c.provider, texts[i], c.media ?? null); });
  }
  const out = loaded.map((b) => ({ dir: b.dir, rounds: [] }));
  for (let r = 0; r < rounds; r++) {
    loaded.forEach((b, n) => {
      const row = { valid_object: [], valid_text: [], invalid_object: [], invalid_text: [] };
      cases.forEach((c, i) => {
        const g = verdicts[i] ? "valid" : "invalid";
        row[`${g}_object`].push(perCall(() => b.glue.validate(c.provider, c.request, c.media ?? null)));
        row[`${g}_text`].push(perCall(() => b.glue.validate(c.provider, texts[i], c.media ?? null)));
      });
      out[n].rounds.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, median(v)])));
    });
  }
  return out;
}

let results;
if (CHROMIUM) {
  const { startServer } = await import("./server.mjs");
  const { launchChromium } = await import("../tests/chromium.mjs");
  const server = await startServer(path.join(here, ".."));
  const browser = await launchChromium();
  const page = browser.pages()[0] ?? await browser.newPage();
  await page.goto(`${server.url}benches/harness.html`);
  results = await page.evaluate(([dirs, cases, rounds, run]) => {
    const source = `const abRun = ${run};
      self.onmessage = async ({ data: [dirs, cases, rounds] }) => {
        try {
          const loaded = [];
          for (const dir of dirs) { const glue = await import(new URL("/" + dir + "/kling_omni.js", ${JSON.stringify(location.origin)})); await glue.default({ module_or_path: new URL("/" + dir + "/kling_omni_bg.wasm", ${JSON.stringify(location.origin)}) }); loaded.push({ dir, glue }); }
          self.postMessage({ result: abRun(loaded, cases, rounds) });
        } catch (e) { self.postMessage({ error: String(e?.stack ?? e) }); }
      };`;
    const w = new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })), { type: "module" });
    return new Promise((ok, fail) => {
      w.onmessage = ({ data }) => { w.terminate(); data.error ? fail(new Error(data.error)) : ok(data.result); };
      w.onerror = (e) => { w.terminate(); fail(new Error("worker: " + e.message)); };
      w.postMessage([dirs, cases, rounds]);
    });
  }, [args, cases, ROUNDS, abRun.toString()]);
  await browser.close();
  await server.close();
} else {
  const loaded = [];
  for (const dir of args) {
    const glue = await import(pathToFileURL(path.resolve(dir, "kling_omni.js")).href);
    glue.initSync({ module: await readFile(path.resolve(dir, "kling_omni_bg.wasm")) });
    loaded.push({ dir, glue });
  }
  results = abRun(loaded, cases, ROUNDS);
}
for (const b of results) {
  const m = (k) => Math.min(...b.rounds.map((r) => r[k])).toFixed(2);
  console.log(b.dir.padEnd(16), "valid object", m("valid_object"), "text", m("valid_text"), "| invalid object", m("invalid_object"), "text", m("invalid_text"));
}
