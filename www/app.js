// The kling-omni demo: one form over both providers, validated on every change, picked files
// measured, the request body shown, and a submit through KlingClient. Plain ES module.
import init, {
  validate, validateWithMedia, allowedOptions, defaults, inspectImage, inspectVideo, inspectRequest,
  KlingClient,
} from "../pkg/kling_omni.js";

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};
const provider = () => document.querySelector("input[name=provider]:checked").value;
const locale = () => document.querySelector("input[name=locale]:checked").value;
const codePoints = (s) => [...s].length;
const PROMPT_LIMIT = 2500;
const PATHS = { o1: "/kling/v1/videos/omni-video", v3: "/v1/tasks/submit" };
const ALL_DURATIONS = { o1: [3, 4, 5, 6, 7, 8, 9, 10], v3: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] };
const RATIOS = ["16:9", "9:16", "1:1"];
// Real hosts, per provider: used only when the user picks one in "Send requests to".
const REAL_HOSTS = {
  o1: [["o1", "https://models.hingnet.com.cn", "the O1 gateway (hingnet)"]],
  v3: [["v3", "https://api.modelverse.cn", "the V3 gateway (ModelVerse)"]],
  kling: [["kling-sg", "https://api-singapore.klingai.com", "Kling Singapore"], ["kling-bj", "https://api-beijing.klingai.com", "Kling Beijing"]],
};

const T = {
  en: {
    valid: "The request is valid", errors: (n) => `${n} error${n === 1 ? "" : "s"}`, warnings: (n) => `${n} warning${n === 1 ? "" : "s"}`,
    unverified: "Not measured (so not checked): ", none: "(none)", reference: "reference (no frame type)",
    notAllowed: "Not offered in this scenario", ignored: "Ignored in this scenario", unsupported: "Not supported with a frame image or in a video edit",
    idle: "Idle", submitting: "Submitting…", queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed",
    cancelled: "Cancelled", elapsed: (s) => `Elapsed: ${s.toFixed(1)} s`, copied: "Copied", copyFailed: "Copy failed: select the text instead",
    sum: (a, b) => `Shots add up to ${a} s of ${b} s`, remove: "Remove", url: "URL", base64: "Base64", file: "File",
    download: (size) => `Download request.json (${size}) for curl's --data @request.json`,
    open: "Open the video", kind: "Error kind", reason: "Provider's reason",
    hostDemo: "The fake gateway (demo, free)", hostReal: (name, url) => `Real: ${name} — ${url}`, hostCustom: "Your own URL (a proxy)…",
    targetDemo: (url) => `Sends to the fake gateway at ${url}: a demo, nothing is paid.`,
    targetReal: (name, url) => `Sends to ${name} (${url}): a real request, paid with your key.`,
    targetCustom: (url) => `Sends to ${url} (your own URL).`,
    targetNone: "Enter a Base URL under Settings: nothing is sent without one.",
  },
  zh: {
    valid: "请求有效", errors: (n) => `${n} 个错误`, warnings: (n) => `${n} 个警告`,
    unverified: "未测量（因此未检查）：", none: "（不设置）", reference: "参考图（无帧类型）",
    notAllowed: "当前场景不可选", ignored: "当前场景忽略此项", unsupported: "有首尾帧或视频编辑时不支持",
    idle: "空闲", submitting: "提交中…", queued: "排队中", running: "生成中", succeeded: "已完成", failed: "失败",
    cancelled: "已取消", elapsed: (s) => `已用时：${s.toFixed(1)} 秒`, copied: "已复制", copyFailed: "复制失败，请手动选择文本",
    sum: (a, b) => `分镜时长合计 ${a} 秒 / 总时长 ${b} 秒`, remove: "删除", url: "URL", base64: "Base64", file: "文件",
    download: (size) => `下载 request.json（${size}），供 curl 的 --data @request.json 使用`,
    open: "打开视频", kind: "错误类型", reason: "服务商给出的原因",
    hostDemo: "模拟网关（演示，免费）", hostReal: (name, url) => `真实服务：${name} — ${url}`, hostCustom: "自定义地址（代理）…",
    targetDemo: (url) => `将发送到模拟网关 ${url}：仅为演示，不产生费用。`,
    targetReal: (name, url) => `将发送到 ${name}（${url}）：真实请求，使用你的密钥计费。`,
    targetCustom: (url) => `将发送到 ${url}（自定义地址）。`,
    targetNone: "请在“设置”中填写 Base URL：未填写时不会发送任何请求。",
  },
};
const t = () => T[locale()];

// ---------- form state that is not a plain input ----------
const images = [];   // { source: "url"|"base64"|"file", value, file, b64 (a promise, made once when needed), type, info }
let shots = [];      // { prompt, duration }
let videoFile = null, videoInfo = null;
let lastRatio = "16:9";
let config = {};

// ---------- building the wire body ----------
// A picked file is a File until it has to be sent: the form validates a placeholder URL with
// the file's measured facts; the body view names it; submit and copy read its Base64, once.
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
const FILE_VIEWS = {
  validate: (im) => (im.file ? `https://picked-file.invalid/${encodeURIComponent(im.file.name)}` : ""),
  view: (im) => (im.file ? `<Base64 of ${im.file.name}, ${mb(im.file.size)}>` : ""),
  send: (im) => im.sent ?? "",
};
let fileView = FILE_VIEWS.validate;
function fileBase64(im) {
  im.b64 ??= new Promise((resolve) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => resolve("");
    r.readAsDataURL(im.file);
  });
  return im.b64;
}
/** The request as it will be sent: every picked file's Base64 read (once per file). */
async function buildToSend(p = provider()) {
  for (const im of images) if (im.source === "file" && im.file) im.sent = await fileBase64(im);
  fileView = FILE_VIEWS.send;
  try { return build(p); } finally { fileView = FILE_VIEWS.validate; }
}
function buildFor(view, p = provider()) {
  fileView = FILE_VIEWS[view];
  try { return build(p); } finally { fileView = FILE_VIEWS.validate; }
}

function common() {
  const imageList = images.map((im) => {
    const image_url = im.source === "file" ? fileView(im) : im.value.trim();
    return im.type ? { image_url, type: im.type } : { image_url };
  });
  const videoList = $("video-on").checked ? [(() => {
    const v = { video_url: $("video-url").value.trim(), refer_type: $("refer_type").value };
    if ($("keep_original_sound").value) v.keep_original_sound = $("keep_original_sound").value;
    return v;
  })()] : [];
  return { imageList, videoList };
}

function build(p = provider()) {
  const { imageList, videoList } = common();
  const ratio = $("aspect_ratio").value;
  const duration = Number($("duration").value || 5);
  const ext = $("external_task_id").value;
  if (p === "o1") {
    const r = { model_name: "kling-video-o1", prompt: $("prompt").value };
    if (imageList.length) r.image_list = imageList;
    const ids = $("elements").value.split(",").map((s) => s.trim()).filter(Boolean);
    if (ids.length) r.element_list = ids.map((s) => ({ element_id: /^[1-9]\d{0,14}$/.test(s) ? Number(s) : s }));
    if (videoList.length) r.video_list = videoList;
    r.mode = $("mode").value;
    if (ratio) r.aspect_ratio = ratio;
    if (!$("duration").disabled) r.duration = String(duration);
    if ($("watermark").checked) r.watermark_info = { enabled: true };
    if ($("callback_url").value.trim()) r.callback_url = $("callback_url").value.trim();
    if (ext !== "") r.external_task_id = ext;
    return r;
  }
  const multi = $("multi_shot").checked;
  const input = {};
  if (!multi || $("prompt").value.trim()) input.prompt = $("prompt").value;
  if ($("negative_prompt").value) input.negative_prompt = $("negative_prompt").value;
  const params = { mode: $("mode").value };
  if (ratio) params.aspect_ratio = ratio;
  if (!$("duration").disabled) params.duration = duration;
  params.sound = $("sound").value;
  params.multi_shot = multi;
  if (multi) {
    params.shot_type = $("shot_type").value;
    if (params.shot_type === "customize") {
      params.multi_prompt = shots.map((s, i) => ({ index: i + 1, prompt: s.prompt, duration: String(s.duration).trim() }));
    }
  }
  if (imageList.length) params.image_list = imageList;
  if (videoList.length) params.video_list = videoList;
  if ($("watermark").checked) params.watermark_enabled = true;
  if (ext !== "") params.external_task_id = ext;
  return { model: "kling-v3-omni", input, parameters: params };
}

// ---------- choices from allowedOptions ----------
function fillSelect(select, values, allowed, reason, pick) {
  const current = select.value;
  select.replaceChildren(...values.map((v) => {
    const ok = allowed.includes(v);
    const o = el("option", { value: v === "" ? "" : String(v), textContent: v === "" ? t().none : String(v), disabled: !ok });
    if (!ok) o.title = reason;
    return o;
  }));
  select.value = pick(current);
}

function applyAllowed() {
  const p = provider();
  const a = allowedOptions(p, build(p));
  // Duration: every documented value, those outside the scenario disabled.
  const durs = ALL_DURATIONS[p];
  const allowedD = a.duration.map(Number);
  const durationUse = a.fields[p === "o1" ? "duration" : "parameters.duration"];
  fillSelect($("duration"), durs, allowedD, t().notAllowed, (cur) => {
    const n = Number(cur || 5);
    if (allowedD.includes(n) || !allowedD.length) return String(n);
    return String(allowedD.includes(5) ? 5 : allowedD.reduce((b, v) => (Math.abs(v - n) < Math.abs(b - n) ? v : b)));
  });
  $("duration").disabled = durationUse === "ignored" || !allowedD.length;
  $("duration-why").textContent = $("duration").disabled ? t().ignored : "";
  // Aspect ratio: none where unsupported; restored when it is offered again.
  const ratios = a.aspect_ratio;
  fillSelect($("aspect_ratio"), ["", ...RATIOS], ["", ...ratios], t().unsupported, (cur) => {
    if (!ratios.length) return "";
    if (cur === "" && ratios.includes(lastRatio)) return lastRatio;
    return cur;
  });
  $("aspect_ratio-why").textContent = ratios.length ? "" : t().unsupported;
  // Sound (V3): only "off" with a video.
  for (const o of $("sound").options) {
    o.disabled = p === "v3" && !a.sound.includes(o.value);
    o.title = o.disabled ? t().notAllowed : "";
  }
  if ($("sound").selectedOptions[0]?.disabled) $("sound").value = "off";
  $("sound-why").textContent = p === "v3" && a.sound.length === 1 ? t().notAllowed + ": on" : "";
  // Frame types per image.
  document.querySelectorAll("select.frame-type").forEach((s) => {
    for (const o of s.options) o.disabled = o.value !== "" && !a.frame_types.includes(o.value);
  });
  return a;
}

// ---------- issue paths → fields ----------
function fieldKey(path) {
  let p = path;
  if (p[0] === "input" || p[0] === "parameters") p = p.slice(1);
  const [a, b, c] = p;
  switch (a) {
    case undefined: return null;
    case "image_list": return b === undefined ? "image_list" : `image-${b}`;
    case "element_list": return "element_list";
    case "video_list":
      if (c === "video_url") return "video_url";
      if (c === "refer_type" || c === "keep_original_sound") return c;
      return "video";
    case "multi_prompt":
      if (b === undefined) return "multi_prompt";
      return c === "prompt" || c === "duration" ? `shot-${b}-${c}` : `shot-${b}-prompt`;
    case "watermark_info": case "watermark_enabled": return "watermark";
    default: return a;
  }
}

// The input a message describes: the element whose aria-describedby names msg-<key>.
function inputFor(key) {
  return document.querySelector(`#form [aria-describedby~="msg-${key}"]`);
}

function issueItem(issue, cls) {
  const li = el("li", { className: cls });
  li.append(el("code", { className: "code", textContent: issue.code }), " ",
    el("code", { className: "path", textContent: JSON.stringify(issue.path) }), " — ", issue.message);
  return li;
}

function showReport(report) {
  document.querySelectorAll("#form .msg").forEach((m) => m.replaceChildren());
  document.querySelectorAll("#form input, #form select, #form textarea").forEach((i) => i.setAttribute("aria-invalid", "false"));
  const place = (issue, cls) => {
    const key = fieldKey(issue.path);
    const msg = key && ($(`msg-${key}`) || $(`msg-${key.replace(/-(prompt|duration)$/, "-prompt")}`));
    if (!msg) return;
    msg.append(el("span", { className: cls, textContent: `${issue.message} (${issue.code})` }));
    if (cls === "error") inputFor(key)?.setAttribute("aria-invalid", "true");
  };
  report.errors.forEach((i) => place(i, "error"));
  report.warnings.forEach((i) => place(i, "warning"));
  const s = $("summary");
  s.className = report.valid ? "ok" : "error";
  s.textContent = report.valid
    ? (report.warnings.length ? `${t().valid} · ${t().warnings(report.warnings.length)}` : t().valid)
    : [t().errors(report.errors.length), report.warnings.length ? t().warnings(report.warnings.length) : ""].filter(Boolean).join(" · ");
  $("scenario").textContent = report.scenario;
  $("errors").replaceChildren(...report.errors.map((i) => issueItem(i, "error")));
  $("warnings").replaceChildren(...report.warnings.map((i) => issueItem(i, "warning")));
  $("unverified").textContent = report.unverified.length ? t().unverified + report.unverified.map((p) => JSON.stringify(p)).join(", ") : "";
  $("submit").disabled = !report.valid || running || !baseUrl();
}

// ---------- the request body ----------
function bodyText(req, abbreviate) {
  return JSON.stringify(req, (k, v) => (abbreviate && k === "image_url" && typeof v === "string" && v.length > 120
    ? `${v.slice(0, 60)}…(${v.length} characters)` : v), 2);
}
// Above this, a body goes to a file: one argument of more than 128 KiB fails ("Argument list too long").
const CURL_INLINE_MAX = 100_000;
let bodyFileUrl = null;
function curl(req) {
  const p = provider();
  const auth = p === "o1" ? "Bearer $KLING_API_KEY" : "$KLING_API_KEY";
  const base = (baseUrl() || "").replace(/\/+$/, "");
  const text = JSON.stringify(req);
  const head = `curl -sS -X POST '${base}${PATHS[p]}' \\\n  -H "Authorization: ${auth}" \\\n  -H 'Content-Type: application/json' \\\n  `;
  const link = $("download-body");
  if (bodyFileUrl) URL.revokeObjectURL(bodyFileUrl);
  bodyFileUrl = null;
  link.hidden = true;
  if (text.length <= CURL_INLINE_MAX) return `${head}-d '${text.replace(/'/g, "'\\''")}'`;
  bodyFileUrl = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.href = bodyFileUrl;
  link.textContent = t().download(mb(text.length));
  link.hidden = false;
  return `${head}--data @request.json`;
}

// ---------- where requests go: the fake gateway unless the user chooses a real host ----------
let customUrl = "";
function fillHosts() {
  const sel = $("host");
  const current = sel.value;
  const opts = [];
  if (config.gatewayUrl) opts.push(el("option", { value: "demo", textContent: t().hostDemo }));
  for (const [value, url, name] of REAL_HOSTS[provider()]) opts.push(el("option", { value, textContent: t().hostReal(name, url) }));
  opts.push(el("option", { value: "custom", textContent: t().hostCustom }));
  sel.replaceChildren(...opts);
  // A real host of another provider is never carried over: back to the demo (an explicit choice only).
  sel.value = opts.some((o) => o.value === current) ? current : (config.gatewayUrl ? "demo" : "custom");
  showHost();
}
function realHost(value) {
  return REAL_HOSTS[provider()].find(([v]) => v === value);
}
function baseUrl() {
  const h = $("host").value;
  if (h === "demo") return config.gatewayUrl;
  if (h === "custom") return $("base-url").value.trim();
  return realHost(h)?.[1] ?? "";
}
function showHost() {
  const h = $("host").value;
  const input = $("base-url");
  input.readOnly = h !== "custom";
  if (h !== "custom") input.value = baseUrl();
  $("demo-banner").hidden = h !== "demo";
  $("demo-url").textContent = config.gatewayUrl ?? "";
  const url = baseUrl();
  const target = $("target");
  const real = realHost(h);
  target.className = real ? "real" : "";
  target.textContent = !url ? t().targetNone : h === "demo" ? t().targetDemo(url) : real ? t().targetReal(real[2], url) : t().targetCustom(url);
}

// ---------- refresh: on every change ----------
let seq = 0;
async function refresh() {
  const my = ++seq;
  const p = provider();
  document.querySelectorAll(".o1-only").forEach((e) => { e.hidden = p !== "o1"; });
  document.querySelectorAll(".v3-only").forEach((e) => { e.hidden = p !== "v3"; });
  $("video-box").hidden = !$("video-on").checked;
  $("shots-box").hidden = !$("multi_shot").checked;
  for (const id of ["prompt", "negative_prompt"]) {
    const n = codePoints($(id).value);
    $(`${id}-count`).textContent = `${n} / ${PROMPT_LIMIT}`;
    $(`${id}-count`).className = n > PROMPT_LIMIT ? "over" : "";
  }
  if ($("aspect_ratio").value) lastRatio = $("aspect_ratio").value;
  applyAllowed();
  renderShotsSum();
  const req = build(p);
  $("endpoint").textContent = `POST ${PATHS[p]}`;
  $("body").textContent = bodyText(buildFor("view", p), true);
  const files = { images: images.map((im) => (im.source === "file" ? im.file : null)), video: $("video-on").checked ? videoFile : null };
  let report;
  try {
    report = files.images.some(Boolean) || files.video
      ? await validateWithMedia(p, req, files, { locale: locale() })
      : validate(p, req, null, { locale: locale() });
  } catch (e) {
    if (my !== seq) return;
    $("summary").className = "error";
    $("summary").textContent = `${e.name}: ${e.message}`;
    return;
  }
  if (my !== seq) return; // a newer change is being validated
  showReport(report);
}

// ---------- images ----------
function renderImages() {
  const box = $("images");
  box.replaceChildren(...images.map((im, i) => {
    const row = el("div", { className: "image-row" });
    const msgId = `msg-image-${i}`;
    const src = el("select", { id: `image-${i}-source`, ariaLabel: `Image ${i + 1}: source` },
      ...["url", "base64", "file"].map((v) => el("option", { value: v, textContent: t()[v], selected: im.source === v })));
    src.onchange = () => { im.source = src.value; im.info = null; renderImages(); refresh(); };
    let value;
    if (im.source === "file") {
      value = el("input", { type: "file", id: `image-${i}-value`, accept: "image/png,image/jpeg,image/*" });
      value.onchange = () => pickImage(im, value.files[0]);
    } else {
      value = el(im.source === "base64" ? "textarea" : "input", { id: `image-${i}-value`, value: im.value, rows: 2 });
      if (im.source === "url") { value.type = "url"; value.placeholder = "https://…/image.jpg"; }
      value.oninput = () => { im.value = value.value; refresh(); };
    }
    value.setAttribute("aria-describedby", `${msgId} image-${i}-facts`);
    value.setAttribute("aria-invalid", "false");
    const valueLabel = el("label", { htmlFor: value.id, textContent: `Image ${i + 1}: ${t()[im.source]}` });
    const type = el("select", { id: `image-${i}-type`, className: "frame-type" },
      el("option", { value: "", textContent: t().reference }),
      el("option", { value: "first_frame", textContent: "first_frame" }),
      el("option", { value: "end_frame", textContent: "end_frame" }));
    type.value = im.type;
    type.onchange = () => { im.type = type.value; refresh(); };
    const typeLabel = el("label", { htmlFor: type.id, textContent: `Image ${i + 1}: frame type` });
    const rm = el("button", { type: "button", textContent: `${t().remove} ${i + 1}` });
    rm.onclick = () => { images.splice(i, 1); renderImages(); refresh(); };
    const facts = el("div", { className: "facts", id: `image-${i}-facts` });
    if (im.info) showImageFacts(facts, im);
    row.append(el("label", { htmlFor: src.id, textContent: `Image ${i + 1}: source` }), src, valueLabel, value, typeLabel, type, rm, facts,
      el("div", { className: "msg", id: msgId }));
    return row;
  }));
}

function showImageFacts(box, im) {
  const i = im.info;
  const parts = [];
  if (i.format) parts.push(i.format.toUpperCase());
  if (i.width) parts.push(`${i.width}×${i.height} px`);
  if (i.bytes !== undefined) parts.push(`${(i.bytes / 1024).toFixed(1)} KB`);
  if (i.orientation && i.orientation !== 1) parts.push(`EXIF orientation ${i.orientation}`);
  parts.push(`read ${i.bytesRead} bytes`);
  if (i.error) parts.push(i.error);
  box.replaceChildren();
  if (im.thumb) box.append(el("img", { src: im.thumb, alt: `Thumbnail of image`, className: "thumb" }));
  box.append(el("span", { textContent: parts.join(" · ") }));
}

async function pickImage(im, file) {
  im.file = file ?? null;
  im.info = null;
  im.b64 = null;
  im.sent = null;
  if (im.thumb) URL.revokeObjectURL(im.thumb);
  im.thumb = file ? URL.createObjectURL(file) : null;
  if (file) im.info = await inspectImage(file);
  const i = images.indexOf(im);
  const facts = $(`image-${i}-facts`);
  if (facts && im.info) showImageFacts(facts, im);
  refresh();
}

// ---------- video ----------
async function pickVideo(file) {
  videoFile = file ?? null;
  videoInfo = null;
  $("video-facts").replaceChildren();
  if (file) {
    videoInfo = await inspectVideo(file);
    const v = videoInfo;
    const parts = [];
    if (v.format) parts.push(v.format.toUpperCase());
    if (v.codec) parts.push(v.codec);
    if (v.width) parts.push(`${v.width}×${v.height} px`);
    if (v.duration !== undefined) parts.push(`${v.duration.toFixed(2)} s`);
    if (v.fps !== undefined) parts.push(`${v.fps.toFixed(2)} fps${v.variableFps ? " (variable)" : ""}`);
    if (v.bytes !== undefined) parts.push(`${(v.bytes / 1048576).toFixed(2)} MB`);
    if (v.hasAudio !== undefined) parts.push(v.hasAudio ? "audio" : "no audio");
    parts.push(`read ${v.bytesRead} bytes`);
    if (v.error) parts.push(v.error);
    $("video-facts").append(el("span", { textContent: parts.join(" · ") }));
  }
  refresh();
}

// ---------- shots ----------
function renderShots() {
  $("shots").replaceChildren(...shots.map((s, i) => {
    const li = el("li", { className: "shot" });
    const pr = el("input", { id: `shot-${i}-prompt`, type: "text", value: s.prompt });
    pr.setAttribute("aria-describedby", `msg-shot-${i}-prompt`);
    pr.oninput = () => { s.prompt = pr.value; refresh(); };
    const du = el("input", { id: `shot-${i}-duration`, type: "number", min: 1, max: 15, step: 1, value: s.duration });
    du.setAttribute("aria-describedby", `msg-shot-${i}-duration`);
    du.oninput = () => { s.duration = du.value; refresh(); };
    const rm = el("button", { type: "button", textContent: `${t().remove} shot ${i + 1}` });
    rm.onclick = () => { shots.splice(i, 1); renderShots(); refresh(); };
    li.append(el("label", { htmlFor: pr.id, textContent: `Shot ${i + 1} prompt` }), pr,
      el("label", { htmlFor: du.id, textContent: `Shot ${i + 1} duration (s)` }), du, rm,
      el("div", { className: "msg", id: `msg-shot-${i}-prompt` }), el("div", { className: "msg", id: `msg-shot-${i}-duration` }));
    return li;
  }));
  $("add-shot").disabled = shots.length >= 6;
}
function renderShotsSum() {
  const sum = shots.reduce((a, s) => a + (Number(s.duration) || 0), 0);
  $("shots-sum").textContent = t().sum(sum, Number($("duration").value || 5));
}

// ---------- copy ----------
async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    $("copied").textContent = t().copied;
  } catch {
    $("copied").textContent = t().copyFailed;
  }
}

// ---------- submit ----------
let running = false, controller = null, timer = null;
const STEP = { submitting: 0.5, queued: 1, running: 2, succeeded: 3 };

function setStatus(key) {
  $("status").textContent = t()[key] ?? key;
  $("status").dataset.state = key;
  if (STEP[key] !== undefined) $("progress").value = STEP[key];
}

function showFailure(e) {
  const box = $("failure");
  const rows = [[t().kind, e?.kind ?? e?.name ?? "error"]];
  if (e?.code) rows.push(["code", e.code]);
  if (e?.category) rows.push(["category", e.category]);
  if (e?.status) rows.push(["HTTP", String(e.status)]);
  const reason = e?.task?.failure?.message ?? e?.providerMessage;
  if (reason) rows.push([t().reason, reason]);
  if (e?.requestId) rows.push(["request_id", e.requestId]);
  if (e?.taskId) rows.push(["task_id", e.taskId]);
  rows.push(["message", e?.message ?? String(e)]);
  box.replaceChildren(el("dl", {}, ...rows.flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v })])));
  box.dataset.kind = e?.kind ?? "";
}

async function submit() {
  if (running) return;
  const p = provider();
  const target = baseUrl();
  if (!target) return; // never the client's default host: that would be a real, paid call nobody chose
  const apiKey = $("api-key").value || undefined;
  $("failure").replaceChildren();
  $("failure").dataset.kind = "";
  $("result").replaceChildren();
  running = true;
  $("submit").disabled = true;
  $("cancel").disabled = false;
  controller = new AbortController();
  const started = performance.now();
  timer = setInterval(() => { $("elapsed").textContent = t().elapsed((performance.now() - started) / 1000); }, 100);
  setStatus("submitting");
  let client;
  try {
    const req = await buildToSend(p);
    client = new KlingClient({ provider: p, baseUrl: target, apiKey, locale: locale(), poll: { intervalMs: 500, maxIntervalMs: 2000 } });
    const files = { images: images.map((im) => (im.source === "file" ? im.file : null)), video: $("video-on").checked ? videoFile : null };
    const media = files.images.some(Boolean) || files.video ? await inspectRequest(p, req, files) : undefined;
    const task = await client.generate(req, {
      signal: controller.signal,
      media,
      onProgress: (tk) => setStatus(tk.status),
    });
    setStatus("succeeded");
    const url = task.videos[0]?.url;
    if (url) {
      const video = el("video", { src: url, controls: true, autoplay: true, muted: true, loop: true, playsInline: true });
      video.setAttribute("aria-label", "The generated video");
      $("result").append(video, el("p", {}, el("a", { href: url, target: "_blank", rel: "noopener", textContent: t().open })));
    }
  } catch (e) {
    setStatus(e?.kind === "aborted" ? "cancelled" : "failed");
    showFailure(e);
  } finally {
    client?.free();
    clearInterval(timer);
    $("elapsed").textContent = t().elapsed((performance.now() - started) / 1000);
    running = false;
    controller = null;
    $("cancel").disabled = true;
    refresh();
  }
}

// ---------- start ----------
function reset() {
  const d = defaults("v3").parameters;
  $("prompt").value = "A cat walks slowly through a sunlit garden";
  $("negative_prompt").value = "";
  images.length = 0;
  shots = [{ prompt: "The cat looks up", duration: "2" }, { prompt: "The cat jumps onto the wall", duration: "3" }];
  $("elements").value = "";
  $("video-on").checked = false;
  $("video-url").value = "";
  $("video-file").value = "";
  videoFile = null;
  $("refer_type").value = "feature";
  $("keep_original_sound").value = "";
  $("mode").value = d.mode;
  lastRatio = d.aspect_ratio;
  $("aspect_ratio").value = d.aspect_ratio;
  $("duration").value = String(d.duration);
  $("sound").value = d.sound;
  $("multi_shot").checked = false;
  $("watermark").checked = false;
  $("callback_url").value = "";
  $("external_task_id").value = "";
  renderImages();
  renderShots();
  refresh();
}

await init();
try { config = await (await fetch("config.json")).json(); } catch { config = {}; }
fillHosts();
$("host").addEventListener("change", () => {
  if ($("host").value === "custom") $("base-url").value = customUrl;
  showHost();
  refresh();
});
$("base-url").addEventListener("input", () => {
  if ($("host").value === "custom") customUrl = $("base-url").value;
  showHost();
  refresh();
});
const kept = sessionStorage.getItem("kling-omni-key");
if (kept) { $("api-key").value = kept; $("remember-key").checked = true; } else if (config.demoKey) $("api-key").value = config.demoKey;
const keepKey = () => {
  if ($("remember-key").checked) sessionStorage.setItem("kling-omni-key", $("api-key").value);
  else sessionStorage.removeItem("kling-omni-key");
};
$("api-key").addEventListener("input", keepKey);
$("remember-key").addEventListener("change", keepKey);

$("form").addEventListener("input", (e) => { if (!e.target.closest("#images, #shots")) refresh(); });
$("form").addEventListener("change", (e) => {
  if (e.target.closest("#images, #shots") || e.target.id === "video-file") return;
  if (e.target.name === "provider") fillHosts();
  if (e.target.name === "provider" || e.target.id === "multi_shot") renderShots();
  refresh();
});
document.querySelectorAll("input[name=locale]").forEach((r) => r.addEventListener("change", () => {
  document.documentElement.lang = locale() === "zh" ? "zh-CN" : "en";
  renderImages();
  renderShots();
  fillHosts();
  refresh();
  if ($("status").dataset.state) setStatus($("status").dataset.state);
}));
$("video-file").addEventListener("change", () => pickVideo($("video-file").files[0]));
$("add-image").onclick = () => {
  images.push({ source: "url", value: "", file: null, b64: null, type: "", info: null });
  renderImages();
  refresh();
  $(`image-${images.length - 1}-source`).focus();
};
$("add-shot").onclick = () => {
  shots.push({ prompt: "", duration: "1" });
  renderShots();
  refresh();
  $(`shot-${shots.length - 1}-prompt`).focus();
};
$("reset").onclick = reset;
$("copy-json").onclick = async () => copy(JSON.stringify(await buildToSend(), null, 2));
$("copy-curl").onclick = async () => copy(curl(await buildToSend()));
$("submit").onclick = submit;
$("cancel").onclick = () => controller?.abort();
setStatus("idle");
reset();
