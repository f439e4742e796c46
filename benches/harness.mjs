// Runs in Chromium (benches/run.mjs opens it). Every figure is a median: of samples that
// each time a batch of calls long enough (≥ 5 ms) for the clock, or of whole runs.
import { benchBigImage, benchValidate, median, now } from "./timing.mjs";

const params = new URLSearchParams(location.search);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Median ms of an async run, after one warm-up run. */
async function perRun(fn, runs) {
  await fn(-1);
  const xs = [];
  for (let i = 0; i < runs; i++) { const t = now(); await fn(i); xs.push(now() - t); }
  return median(xs);
}

window.benchStartup = async (pkg) => {
  const glue = await import(`/${pkg}/kling_omni.js`);
  const wasmUrl = `/${pkg}/kling_omni_bg.wasm`;
  if (params.get("mode") === "init") {
    const t = now(); await glue.default({ module_or_path: wasmUrl }); return { init_ms: now() - t };
  }
  const t0 = now();
  const bytes = await (await fetch(wasmUrl)).arrayBuffer();
  const t1 = now();
  const module = await WebAssembly.compile(bytes);
  const t2 = now();
  glue.initSync({ module });
  return { fetch_ms: t1 - t0, compile_ms: t2 - t1, instantiate_ms: now() - t2 };
};

// Validation speed, timed on this page (DevTools attached: Playwright drives it) …
window.benchValidate = (cases) => benchValidate(params.get("validator"), cases);
window.benchBigImage = (url) => benchBigImage(params.get("validator"), url);

// … and in a dedicated Worker this page starts, where no DevTools is attached.
function inWorker(job, ...args) {
  const w = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
  return new Promise((ok, fail) => {
    w.onmessage = ({ data }) => { w.terminate(); data.error ? fail(new Error(data.error)) : ok(data.result); };
    w.onerror = (e) => { w.terminate(); fail(new Error("worker: " + e.message)); };
    w.postMessage({ job, args });
  });
}
window.benchValidateWorker = (cases) => inWorker("validate", params.get("validator"), cases);
window.benchBigImageWorker = (url) => inWorker("bigImage", params.get("validator"), url);

window.benchImages = async () => {
  const kling = await import("/" + params.get("full") + "/kling_omni.js");
  await kling.default();
  const out = {};
  for (const id of ["jpeg", "png"]) {
    const file = document.getElementById(id).files[0];
    let info;
    const r = { file_bytes: file.size };
    r.inspect_ms = await perRun(async () => { info = await kling.inspectImage(file); }, 9);
    r.inspect_bytes = info.bytesRead;
    r.inspect_facts = { format: info.format, width: info.width, height: info.height };
    r.bitmap_ms = await perRun(async () => { const b = await createImageBitmap(file); r.bitmap_size = [b.width, b.height]; b.close(); }, 5);
    r.decode_ms = await perRun(async () => {
      const img = new Image(); const u = URL.createObjectURL(file); img.src = u;
      await img.decode(); r.decode_size = [img.naturalWidth, img.naturalHeight]; URL.revokeObjectURL(u);
    }, 5);
    out[id] = r;
  }
  return out;
};

/** Time to `loadedmetadata` of a <video preload=metadata>; the element is emptied after. */
async function videoMetadata(src) {
  const v = document.createElement("video");
  v.preload = "metadata"; v.muted = true;
  const done = new Promise((ok, fail) => { v.onloadedmetadata = ok; v.onerror = () => fail(new Error("video error " + v.error?.code)); });
  const t = now(); v.src = src; await done; const ms = now() - t;
  const facts = { width: v.videoWidth, height: v.videoHeight, duration: v.duration };
  v.removeAttribute("src"); v.load();
  return { ms, facts };
}

const served = async () => { await sleep(300); return window.serverBytes(); }; // reads and resets

/** From a URL (Range requests to the bench server): time, and bytes as served. */
window.benchVideoUrl = async (url, runs) => {
  const kling = await import("/" + params.get("full") + "/kling_omni.js");
  await kling.default();
  const r = {}, iu = [], ib = [], vu = [], vb = [];
  await kling.inspectVideo(url + "?warm"); await videoMetadata(url + "?warm").catch(() => {}); await served();
  for (let i = 0; i < runs; i++) {
    const t = now(); const info = await kling.inspectVideo(url + "?i" + i); iu.push(now() - t);
    r.inspect_bytes_read = info.bytesRead; r.inspect_facts = { width: info.width, height: info.height, duration: info.duration, fps: info.fps };
    ib.push(await served());
    const m = await videoMetadata(url + "?v" + i); vu.push(m.ms); r.video_facts = m.facts;
    vb.push(await served());
  }
  return Object.assign(r, { inspect_ms: median(iu), inspect_served: median(ib), video_ms: median(vu), video_served: median(vb) });
};

/** From a picked File (Blob.slice for inspectVideo; a blob: URL for the element). */
window.benchVideoFile = async () => {
  const kling = await import("/" + params.get("full") + "/kling_omni.js");
  await kling.default();
  const file = document.getElementById("mp4").files[0];
  const r = { file_bytes: file.size };
  let info;
  r.inspect_ms = await perRun(async () => { info = await kling.inspectVideo(file); }, 9);
  r.inspect_bytes_read = info.bytesRead;
  r.video_ms = await perRun(async () => {
    const u = URL.createObjectURL(file); await videoMetadata(u); URL.revokeObjectURL(u);
  }, 5);
  return r;
};
window.harnessReady = true;
