// A/B timing in Node of several validator builds on benches/requests.json, interleaved so that
// the load of a shared machine falls on all of them alike (no browser, no zod):
//   node benches/ab.mjs pkg-base pkg-validator [--rounds 7]
// Per build: the median over rounds of each group's median µs per call (valid / invalid,
// object / text). For choosing between two builds; `make bench` gives the reported figures.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback; };
const ROUNDS = flag("rounds", 7);
const cases = JSON.parse(await readFile(path.join(here, "requests.json"), "utf8"));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const builds = [];
for (const dir of args) {
  const glue = await import(pathToFileURL(path.resolve(dir, "kling_omni.js")).href);
  glue.initSync({ module: await readFile(path.resolve(dir, "kling_omni_bg.wasm")) });
  builds.push({ dir, glue, rounds: [] });
}
const texts = cases.map((c) => JSON.stringify(c.request));
// Every build gives the same reports (both locales, object and text) as the first.
for (const b of builds.slice(1)) {
  cases.forEach((c, i) => {
    for (const input of [c.request, texts[i]]) for (const locale of ["en", "zh"]) {
      const [x, y] = [builds[0], b].map((k) => JSON.stringify(k.glue.validate(c.provider, input, c.media ?? null, { locale })));
      if (x !== y) throw new Error(`${b.dir} differs on ${c.name} (${locale}):\n${x}\n${y}`);
    }
  });
}
const verdicts = cases.map((c) => builds[0].glue.validate(c.provider, c.request, c.media ?? null).valid);
function perCall(fn) {
  let k = 1;
  for (;;) { const t = performance.now(); for (let i = 0; i < k; i++) fn(); if (performance.now() - t >= 3) break; k *= 2; }
  const xs = [];
  for (let j = 0; j < 5; j++) { const t = performance.now(); for (let i = 0; i < k; i++) fn(); xs.push(((performance.now() - t) / k) * 1000); }
  return median(xs);
}
for (const b of builds) {
  const until = performance.now() + 1000;
  while (performance.now() < until) cases.forEach((c, i) => { b.glue.validate(c.provider, c.request, c.media ?? null); b.glue.validate(c.provider, texts[i], c.media ?? null); });
}
for (let r = 0; r < ROUNDS; r++) {
  for (const b of builds) {
    const row = { valid_object: [], valid_text: [], invalid_object: [], invalid_text: [] };
    cases.forEach((c, i) => {
      const g = verdicts[i] ? "valid" : "invalid";
      row[`${g}_object`].push(perCall(() => b.glue.validate(c.provider, c.request, c.media ?? null)));
      row[`${g}_text`].push(perCall(() => b.glue.validate(c.provider, texts[i], c.media ?? null)));
    });
    b.rounds.push(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, median(v)])));
  }
}
for (const b of builds) {
  const m = (k) => median(b.rounds.map((r) => r[k])).toFixed(2);
  console.log(b.dir.padEnd(16), "valid object", m("valid_object"), "text", m("valid_text"), "| invalid object", m("invalid_object"), "text", m("invalid_text"));
}
