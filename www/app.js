// The kling-omni demo: one form over the three providers, validated on every change, picked
// files measured (and kept as Files until they are sent), the request body shown, fixes one
// click away, and a submit through KlingClient to the fake gateway unless a real host is
// chosen. English and Chinese throughout. Plain ES module.
import * as kling from "../pkg/kling_omni.js";

const {
  default: init, validate, validateWithMedia, allowedOptions, defaults, inspectImage, inspectVideo, inspectRequest,
  applyFixes, KlingClient,
} = kling;
// From later releases of the package: used when present.
const prepareImage = kling.prepareImage;

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...kids) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
};
const provider = () => document.querySelector("input[name=provider]:checked").value;
const locale = () => document.querySelector("input[name=locale]:checked").value;
const model = () => $("model").value;
const flat = (p = provider()) => p !== "v3";
/** The rules the form follows: "o1", "v3" or, on Kling's own API, its model's. */
const v3ish = (p = provider()) => p === "v3" || (p === "kling" && model() === "kling-v3-omni");
const codePoints = (s) => [...s].length;
const PROMPT_LIMIT = 2500;
const PATHS = { o1: "/kling/v1/videos/omni-video", v3: "/v1/tasks/submit", kling: "/v1/videos/omni-video" };
const RATIOS = ["16:9", "9:16", "1:1"];
// Real hosts, per provider: used only when the user picks one in "Send requests to".
const REAL_HOSTS = {
  o1: [["o1", "https://models.hingnet.com.cn", "the O1 gateway (hingnet)", "O1 网关（hingnet）"]],
  v3: [["v3", "https://api.modelverse.cn", "the V3 gateway (ModelVerse)", "V3 网关（ModelVerse）"]],
  kling: [
    ["kling-sg", "https://api-singapore.klingai.com", "Kling Singapore", "可灵新加坡"],
    ["kling-bj", "https://api-beijing.klingai.com", "Kling Beijing", "可灵北京"],
  ],
};

// ---------- words: the page's own (the library's messages come in the report's locale) ----------
const T = {
  en: {
    valid: "The request is valid", errors: (n) => `${n} error${n === 1 ? "" : "s"}`, warnings: (n) => `${n} warning${n === 1 ? "" : "s"}`,
    unverified: "Not measured, so not checked: ", partly: "Partly measured (some rules not checked): ",
    reference: "reference (no frame type)",
    ignoredEdit: "Not sent: in a video edit the output is as long as the input video.",
    durationWhy: (s, list) => `In this scenario (${s}) the API takes ${list} s.`,
    aspectFrame: "Not sent: the first or end frame sets the shape.", aspectEdit: "Not sent: a video edit keeps the input video's shape.",
    soundVideo: "Only off: the API takes no sound with a reference video.",
    frameWhy: (list) => `Not offered here: ${list}.`,
    promptIgnored: "Not sent with multi-shot: each shot has its own prompt.",
    idle: "Idle", submitting: "Submitting…", queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed",
    stopped: "Stopped waiting: the task continues at Kling (there is no cancel endpoint).",
    resume: "Resume waiting", existing: (id, st) => `A task with external id "${id}" already exists (${st}): showing that task, not a new one. Change the id to make a new task.`,
    elapsed: (s) => `Elapsed: ${s.toFixed(1)} s`, copied: "Copied", copyFailed: "Copy failed: select the text instead",
    sum: (a, b) => `Shots add up to ${a} s of ${b} s`, noSecondsLeft: "No seconds left for a new shot: raise the duration first.",
    remove: (what) => `Remove ${what}`, url: "URL", base64: "Base64", file: "File",
    image: (n) => `Image ${n}`, shot: (n) => `Shot ${n}`, source: "source", frameType: "frame type", prompt: "prompt", durationS: "duration (s)",
    thumb: (n) => `Thumbnail of image ${n}`, read: (n) => `read ${n} bytes`,
    open: "Open the video", kind: "Error kind", reason: "Provider's reason",
    hostDemo: "The fake gateway (demo, free)", hostCustom: "Your own URL (a proxy)…",
    hostReal: (name, url) => `Real: ${name} — ${url}`,
    targetDemo: (url) => `Sends to the fake gateway at ${url}: a demo, nothing is paid.`,
    targetReal: (name, url) => `Sends to ${name} (${url}): a real request, paid with your key.`,
    targetCustom: (url) => `Sends to ${url} (your own URL).`,
    targetNone: "Enter a Base URL under Settings: nothing is sent without one.",
    download: (size) => `Download request.json (${size}) for curl's --data @request.json`,
    fix: "Fix", makeItFit: "Make it fit", fitting: "Fitting…", fitted: (changes, size) => `Made to fit: ${changes} → ${size}.`,
    fitFailed: (m) => `Could not make it fit: ${m}`, fixed: (n) => `Fixed ${n} issue${n === 1 ? "" : "s"}.`,
  },
  zh: {
    valid: "请求有效", errors: (n) => `${n} 个错误`, warnings: (n) => `${n} 个警告`,
    unverified: "未测量（因此未检查）：", partly: "部分已测量（部分规则未检查）：",
    reference: "参考图（无帧类型）",
    ignoredEdit: "不发送：视频编辑时输出与输入视频时长一致。",
    durationWhy: (s, list) => `此场景（${s}）接口只接受 ${list} 秒。`,
    aspectFrame: "不发送：画面比例由首帧或尾帧决定。", aspectEdit: "不发送：视频编辑沿用输入视频的比例。",
    soundVideo: "只能为 off：有参考视频时接口不支持声音。",
    frameWhy: (list) => `此处不可选：${list}。`,
    promptIgnored: "多镜头模式下不发送：每个镜头有自己的提示词。",
    idle: "空闲", submitting: "提交中…", queued: "排队中", running: "生成中", succeeded: "已完成", failed: "失败",
    stopped: "已停止等待：任务仍在可灵继续生成（接口没有取消功能）。",
    resume: "继续等待", existing: (id, st) => `自定义任务 ID "${id}" 的任务已存在（${st}）：显示的是该任务，而不是新任务。请更换 ID 以创建新任务。`,
    elapsed: (s) => `已用时：${s.toFixed(1)} 秒`, copied: "已复制", copyFailed: "复制失败，请手动选择文本",
    sum: (a, b) => `分镜时长合计 ${a} 秒 / 总时长 ${b} 秒`, noSecondsLeft: "没有剩余时长可分给新镜头：请先增加总时长。",
    remove: (what) => `删除${what}`, url: "URL", base64: "Base64", file: "文件",
    image: (n) => `图片 ${n}`, shot: (n) => `镜头 ${n}`, source: "来源", frameType: "帧类型", prompt: "提示词", durationS: "时长（秒）",
    thumb: (n) => `图片 ${n} 的缩略图`, read: (n) => `已读取 ${n} 字节`,
    open: "打开视频", kind: "错误类型", reason: "服务商给出的原因",
    hostDemo: "模拟网关（演示，免费）", hostCustom: "自定义地址（代理）…",
    hostReal: (name, url) => `真实服务：${name} — ${url}`,
    targetDemo: (url) => `将发送到模拟网关 ${url}：仅为演示，不产生费用。`,
    targetReal: (name, url) => `将发送到 ${name}（${url}）：真实请求，使用你的密钥计费。`,
    targetCustom: (url) => `将发送到 ${url}（自定义地址）。`,
    targetNone: "请在“设置”中填写 Base URL：未填写时不会发送任何请求。",
    download: (size) => `下载 request.json（${size}），供 curl 的 --data @request.json 使用`,
    fix: "修正", makeItFit: "自动调整", fitting: "调整中…", fitted: (changes, size) => `已调整：${changes} → ${size}。`,
    fitFailed: (m) => `无法自动调整：${m}`, fixed: (n) => `已修正 ${n} 个问题。`,
  },
};
const t = () => T[locale()];

// The static page in Chinese, by data-i18n key (the English is the HTML's own).
const ZH_PAGE = {
  intro: "构建可灵 Omni 视频请求，离线按全部文档规则检查，测量你选择的文件，然后提交。",
  bannerA: "演示模式：请求发送到模拟网关", bannerB: "，使用其公开的测试密钥。不会离开本机，也不产生费用。只有在“设置”中选择真实服务时才会使用它。",
  provider: "服务商", providerO1: "可灵 O1 网关", providerV3: "可灵 V3 Omni 网关", providerKling: "可灵官方 API",
  model: "模型", modelHint: "每个模型只显示自己的字段：kling-v3-omni 增加声音、多镜头和最长 15 秒的时长。",
  prompt: "提示词", negativePrompt: "反向提示词", images: "图片", addImage: "添加图片", elements: "主体",
  elementIds: "主体 ID，用逗号分隔", video: "视频", videoOn: "使用参考视频", videoUrl: "视频 URL",
  videoFile: "或选择文件进行测量（上传后接口需要它的 URL）", referBase: "base — 编辑此视频", referFeature: "feature — 作为参考",
  notSet: "（不设置）", mode: "生成模式", aspectRatio: "画面纵横比", duration: "时长（秒）", sound: "声音",
  multiShot: "多镜头", addShot: "添加镜头", watermark: "水印", callbackUrl: "回调地址", externalId: "自定义任务 ID",
  reset: "恢复为服务商的默认值", report: "检查结果", scenario: "场景：", fixAll: "全部修正", body: "请求体",
  copyJson: "复制 JSON", copyCurl: "复制 curl 命令", settings: "设置", host: "请求发送到",
  hostHint: "make demo 启动的模拟网关、真实服务（使用你的密钥计费）或你自己的代理（若代理会添加密钥，请留空）。",
  apiKey: "API 密钥（只保存在此标签页的内存中）", rememberKey: "在此标签页的 sessionStorage 中保存", submit: "提交",
  generate: "生成", stopWaiting: "停止等待",
  bodyAria: "JSON 格式的请求体", progressAria: "进度",
  dev: "开发者工具：示例、粘贴 JSON、故障模拟、HTTP 记录", example: "示例（每个服务商的每个场景各一个）",
  paste: "粘贴 JSON 格式的请求（按上面选择的服务商检查）", pasteCheck: "检查", pasteLoad: "填入表单",
  fault: "模拟网关的故障（仅演示模式）", noFault: "无：任务成功", httpLog: "HTTP 调用（密钥已隐藏）",
  f1301: "create-1301：内容安全（400）", f1303: "create-1303：并发上限（429）", f500: "create-500：服务器错误，未创建任务", f500c: "create-500-created：任务已创建，响应丢失", fdrop: "create-drop：任务创建后连接断开", fq503: "query-503：状态查询失败", fmod: "moderation：任务未通过内容审核", fslow: "slow：任务需要 60 秒",
};
const EN_PAGE = {};
function translatePage() {
  document.querySelectorAll("[data-i18n]").forEach((e) => {
    const key = e.dataset.i18n;
    EN_PAGE[key] ??= e.textContent;
    e.textContent = locale() === "zh" ? (ZH_PAGE[key] ?? EN_PAGE[key]) : EN_PAGE[key];
  });
  document.querySelectorAll("[data-i18n-aria]").forEach((e) => {
    const key = e.dataset.i18nAria;
    EN_PAGE[key] ??= e.getAttribute("aria-label");
    e.setAttribute("aria-label", locale() === "zh" ? (ZH_PAGE[key] ?? EN_PAGE[key]) : EN_PAGE[key]);
  });
  document.documentElement.lang = locale() === "zh" ? "zh-CN" : "en";
}

// ---------- form state that is not a plain input ----------
const images = [];   // { source: "url"|"base64"|"file", value, file, b64 (a promise, made once when needed), type, info }
let shots = [];      // { prompt, duration }
let videoFile = null, videoInfo = null;
let config = {};
let lastReport = null, lastOptions = null;

// A picked file is a File until it has to be sent: the form validates a placeholder URL with
// the file's measured facts; the body view names it; submit and copy read its Base64, once.
const mb = (bytes) => (bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);
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
  return buildFor("send", p);
}
function buildFor(view, p = provider()) {
  fileView = FILE_VIEWS[view];
  try { return build(p); } finally { fileView = FILE_VIEWS.validate; }
}

// ---------- building the wire body ----------
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
  const ratio = $("aspect_ratio").disabled ? "" : $("aspect_ratio").value;
  const duration = Number($("duration").value || 5);
  const ext = $("external_task_id").value;
  const multi = v3ish(p) && $("multi_shot").checked;
  const shotList = () => shots.map((s, i) => ({ index: i + 1, prompt: s.prompt, duration: String(s.duration).trim() }));
  if (flat(p)) {
    const r = { model_name: p === "kling" ? model() : "kling-video-o1" };
    if (!multi || $("prompt").value.trim()) r.prompt = $("prompt").value;
    if (imageList.length) r.image_list = imageList;
    const ids = $("elements").value.split(",").map((s) => s.trim()).filter(Boolean);
    if (ids.length) r.element_list = ids.map((s) => ({ element_id: /^[1-9]\d{0,14}$/.test(s) ? Number(s) : s }));
    if (videoList.length) r.video_list = videoList;
    r.mode = $("mode").value;
    if (ratio) r.aspect_ratio = ratio;
    if (!$("duration").disabled) r.duration = String(duration);
    if (v3ish(p)) {
      r.sound = $("sound").value;
      r.multi_shot = multi;
      if (multi) { r.shot_type = $("shot_type").value; r.multi_prompt = shotList(); }
    }
    if ($("watermark").checked) r.watermark_info = { enabled: true };
    if ($("callback_url").value.trim()) r.callback_url = $("callback_url").value.trim();
    if (ext !== "") r.external_task_id = ext;
    return r;
  }
  const input = {};
  if (!multi || $("prompt").value.trim()) input.prompt = $("prompt").value;
  if ($("negative_prompt").value) input.negative_prompt = $("negative_prompt").value;
  const params = { mode: $("mode").value };
  if (ratio) params.aspect_ratio = ratio;
  if (!$("duration").disabled) params.duration = duration;
  params.sound = $("sound").value;
  params.multi_shot = multi;
  if (multi) { params.shot_type = $("shot_type").value; params.multi_prompt = shotList(); }
  if (imageList.length) params.image_list = imageList;
  if (videoList.length) params.video_list = videoList;
  if ($("watermark").checked) params.watermark_enabled = true;
  if (ext !== "") params.external_task_id = ext;
  return { model: "kling-v3-omni", input, parameters: params };
}

/** Puts a wire request (a fixed one, an example) back into the form. Picked files stay. */
function load(p, r) {
  const w = p === "v3" ? { ...r.parameters, ...r.input } : r;
  if (p === "kling") $("model").value = w.model_name === "kling-v3-omni" ? "kling-v3-omni" : "kling-video-o1";
  $("prompt").value = w.prompt ?? "";
  $("negative_prompt").value = w.negative_prompt ?? "";
  const list = Array.isArray(w.image_list) ? w.image_list : [];
  list.forEach((item, i) => {
    const im = images[i] ?? (images[i] = { source: "url", value: "", file: null, b64: null, type: "", info: null });
    if (im.source !== "file") {
      im.value = String(item?.image_url ?? "");
      im.source = /^https?:/i.test(im.value) ? "url" : "base64";
    }
    im.type = item?.type ?? "";
  });
  images.length = list.length;
  $("elements").value = (w.element_list ?? []).map((e) => e?.element_id).join(", ");
  const v = Array.isArray(w.video_list) ? w.video_list[0] : undefined;
  $("video-on").checked = !!v;
  if (v) {
    $("video-url").value = v.video_url ?? "";
    $("refer_type").value = v.refer_type ?? "feature";
    $("keep_original_sound").value = v.keep_original_sound ?? "";
  }
  if (w.mode) $("mode").value = w.mode;
  pending.aspect = w.aspect_ratio;
  pending.duration = w.duration === undefined ? undefined : String(w.duration);
  if (w.sound) $("sound").value = w.sound;
  $("multi_shot").checked = w.multi_shot === true;
  if (Array.isArray(w.multi_prompt)) shots = w.multi_prompt.map((s) => ({ prompt: s?.prompt ?? "", duration: String(s?.duration ?? "") }));
  $("watermark").checked = w.watermark_info?.enabled === true || w.watermark_enabled === true;
  $("callback_url").value = w.callback_url ?? "";
  $("external_task_id").value = w.external_task_id ?? "";
  renderImages();
  renderShots();
}
// Values a load sets once the choices of the new request are known.
const pending = { aspect: undefined, duration: undefined };

// ---------- choices: exactly what allowedOptions allows, with the reason shown ----------
function fieldUse(a, key) {
  return a.fields[key] ?? a.fields[`parameters.${key}`] ?? a.fields[`input.${key}`];
}
function setWhy(id, text) {
  $(id).textContent = text ?? "";
}
function fillSelect(select, values, want) {
  const current = want ?? select.value;
  select.replaceChildren(...values.map((v) => el("option", { value: String(v), textContent: String(v) })));
  const strs = values.map(String);
  select.value = strs.includes(current) ? current : (strs.includes("5") ? "5" : strs[0] ?? "");
}

function applyAllowed() {
  const p = provider();
  // The first pass reads the form as it is; its options shape the selects.
  const a = allowedOptions(p, build(p));
  lastOptions = a;
  // Fields appear and disappear with the provider and the model.
  document.querySelectorAll("#form [data-field]").forEach((box) => {
    const f = box.dataset.field;
    const on = f === "watermark" ? true : f === "model_name" ? p === "kling" : fieldUse(a, f) !== undefined;
    box.hidden = !on;
  });
  // Duration: the scenario's values only; a video edit sends none.
  const durs = a.duration.map(String);
  const dUse = fieldUse(a, "duration");
  const dIgnored = dUse === "ignored" || !durs.length;
  fillSelect($("duration"), durs.length ? durs : [$("duration").value || "5"], pending.duration);
  pending.duration = undefined;
  $("duration").disabled = dIgnored;
  const all = p === "o1" || (p === "kling" && !v3ish(p)) ? 2 : 13;
  setWhy("duration-why", dIgnored ? t().ignoredEdit : durs.length < all || p === "o1" ? t().durationWhy(a.scenario, durs.join(", ")) : "");
  // Aspect ratio: the allowed ratios; none at all where a frame or an edit sets the shape.
  const aUse = fieldUse(a, "aspect_ratio");
  const aOff = aUse === "unsupported" || aUse === "ignored" || !a.aspect_ratio.length;
  const ratios = aOff ? RATIOS : a.aspect_ratio;
  fillSelect($("aspect_ratio"), ratios, pending.aspect ?? ($("aspect_ratio").value || "16:9"));
  pending.aspect = undefined;
  $("aspect_ratio").disabled = aOff;
  setWhy("aspect_ratio-why", aOff ? (a.scenario === "video_edit" ? t().aspectEdit : t().aspectFrame) : "");
  // Sound: only what the scenario takes.
  if (v3ish(p)) {
    fillSelect($("sound"), a.sound.length ? a.sound : ["off"], $("sound").value);
    setWhy("sound-why", a.sound.length === 1 ? t().soundVideo : "");
  }
  // Prompt: not sent with multi-shot.
  setWhy("prompt-why", fieldUse(a, "prompt") === "ignored" && !$("prompt").value.trim() ? t().promptIgnored : "");
  // Frame types per image, and why some are missing.
  document.querySelectorAll("select.frame-type").forEach((s) => {
    const off = [];
    for (const o of s.options) {
      o.disabled = o.value !== "" && !a.frame_types.includes(o.value);
      if (o.disabled) off.push(o.value);
    }
    const why = $(`${s.id}-why`);
    if (why) why.textContent = off.length ? t().frameWhy(off.join(", ")) : "";
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
      if (c === "video_url") return videoFile ? "video" : "video_url"; // a picked file's problems sit under the file
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

const IMAGE_PROBLEMS = new Set(["image_format", "image_too_large", "image_too_small", "image_aspect_ratio"]);

function fixButton(issue) {
  const b = el("button", { type: "button", className: "fix", textContent: t().fix });
  b.dataset.code = issue.code;
  b.onclick = () => fixIssues(issue);
  return b;
}
function fitButton(i) {
  const b = el("button", { type: "button", className: "fit", id: `image-${i}-fit`, textContent: t().makeItFit });
  b.onclick = () => makeItFit(images[i], b);
  return b;
}

function issueItem(issue, cls) {
  const li = el("li", { className: cls });
  li.append(el("strong", { textContent: issue.label }), " — ", issue.message, " ",
    el("code", { className: "code", textContent: issue.code }), " ",
    el("code", { className: "path", textContent: JSON.stringify(issue.path) }));
  if (issue.fix) li.append(" ", fixButton(issue));
  return li;
}

function showReport(report) {
  lastReport = report;
  document.querySelectorAll("#form .msg").forEach((m) => m.replaceChildren());
  document.querySelectorAll("#form input, #form select, #form textarea").forEach((i) => i.setAttribute("aria-invalid", "false"));
  const fits = new Set();
  const place = (issue, cls) => {
    const key = fieldKey(issue.path);
    const msg = key && ($(`msg-${key}`) || $(`msg-${key.replace(/-(prompt|duration)$/, "-prompt")}`));
    if (!msg) return;
    const line = el("span", { className: cls, textContent: `${issue.message} (${issue.code})` });
    if (issue.fix) line.append(" ", fixButton(issue));
    msg.append(line);
    // "Make it fit" beside a picked image's problems.
    const m = /^image-(\d+)$/.exec(key);
    if (m && IMAGE_PROBLEMS.has(issue.code) && images[m[1]]?.source === "file" && prepareImage && !fits.has(m[1])) {
      fits.add(m[1]);
      msg.append(fitButton(Number(m[1])));
    }
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
  $("fix-all").hidden = ![...report.errors, ...report.warnings].some((i) => i.fix);
  // Unmeasured media, by the form's names; a file with some facts is "partly measured".
  const none = [], partly = [];
  for (const path of report.unverified) {
    const key = fieldKey(path);
    const m = /^image-(\d+)$/.exec(key ?? "");
    const name = m ? t().image(Number(m[1]) + 1) : key === "video" || key === "video_url" ? (locale() === "zh" ? "视频 1" : "Video 1") : JSON.stringify(path);
    const measured = m ? images[m[1]]?.info?.format : key === "video" || key === "video_url" ? videoInfo?.format : undefined;
    (measured ? partly : none).push(name);
  }
  $("unverified").textContent = [none.length ? t().unverified + none.join(", ") : "", partly.length ? t().partly + partly.join(", ") : ""]
    .filter(Boolean).join(" · ");
  $("submit").disabled = !report.valid || running || !baseUrl();
}

// ---------- fixes ----------
function fixIssues(selection) {
  const p = provider();
  const { request, applied } = applyFixes(p, build(p), selection);
  load(p, request);
  refresh();
  $("copied").textContent = t().fixed(applied.length);
}

async function makeItFit(im, button) {
  if (!im?.file) return;
  button.disabled = true;
  button.textContent = t().fitting;
  try {
    const out = await prepareImage(im.file, { locale: locale() });
    const name = im.file.name.replace(/\.[^.]*$/, "") + (out.format === "png" ? ".png" : ".jpg");
    const file = new File([out.blob], name, { type: out.format === "png" ? "image/png" : "image/jpeg" });
    const changes = (out.changes ?? []).map((c) => c.message ?? c.code).join("; ");
    im.fitNote = t().fitted(changes, `${out.width}×${out.height} px, ${mb(out.bytes)}`);
    await pickImage(im, file, true);
  } catch (e) {
    im.fitNote = t().fitFailed(e?.message ?? String(e));
    renderImages();
    refresh();
  }
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
  const auth = p === "v3" ? "$KLING_API_KEY" : "Bearer $KLING_API_KEY";
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
let hostChoice = null; // what the user picked; a fallback the page made is not a choice
function fillHosts() {
  const sel = $("host");
  const current = sel.value;
  const opts = [];
  if (demoUrl()) opts.push(el("option", { value: "demo", textContent: t().hostDemo }));
  for (const [value, url, en, zh] of REAL_HOSTS[provider()]) opts.push(el("option", { value, textContent: t().hostReal(locale() === "zh" ? zh : en, url) }));
  opts.push(el("option", { value: "custom", textContent: t().hostCustom }));
  sel.replaceChildren(...opts);
  // A real host of another provider is never carried over: back to the demo (an explicit choice only).
  const want = hostChoice ?? current;
  const ok = opts.some((o) => o.value === want);
  // A real host is never restored by the page: after another provider it must be chosen again.
  if (!ok && want !== "demo" && want !== "custom") hostChoice = null;
  sel.value = ok ? want : (demoUrl() ? "demo" : "custom");
  showHost();
}
function realHost(value) {
  return REAL_HOSTS[provider()].find(([v]) => v === value);
}
/**
 * The fake gateway's URL for this provider. Kling's own API goes through the demo's server
 * (config.klingProxyPath), which mints the tokens: the page never holds the secret key.
 */
function demoUrl(p = provider()) {
  if (p !== "kling") return config.gatewayUrl ?? "";
  return config.klingProxyPath ? `${location.origin}${config.klingProxyPath}` : "";
}
function baseUrl() {
  const h = $("host").value;
  if (h === "demo") return demoUrl();
  if (h === "custom") return $("base-url").value.trim();
  return realHost(h)?.[1] ?? "";
}
function showHost() {
  const h = $("host").value;
  const input = $("base-url");
  input.readOnly = h !== "custom";
  if (h !== "custom") input.value = baseUrl();
  $("demo-banner").hidden = h !== "demo";
  $("demo-url").textContent = demoUrl() || config.gatewayUrl || "";
  const url = baseUrl();
  const target = $("target");
  const real = realHost(h);
  target.className = real ? "real" : "";
  target.textContent = !url ? t().targetNone : h === "demo" ? t().targetDemo(url)
    : real ? t().targetReal(locale() === "zh" ? real[3] : real[2], url) : t().targetCustom(url);
}

// ---------- refresh: on every change ----------
let seq = 0;
async function refresh() {
  const my = ++seq;
  const p = provider();
  $("video-box").hidden = !$("video-on").checked;
  $("shots-box").hidden = !$("multi_shot").checked;
  for (const id of ["prompt", "negative_prompt"]) {
    const n = codePoints($(id).value);
    $(`${id}-count`).textContent = `${n} / ${PROMPT_LIMIT}`;
    $(`${id}-count`).className = n > PROMPT_LIMIT ? "over" : "";
  }
  applyAllowed();
  renderShotsSum();
  showHost();
  const req = build(p);
  $("endpoint").textContent = `POST ${PATHS[p]}`;
  // A body file offered for curl belongs to the body it was made from.
  if (bodyFileUrl) { URL.revokeObjectURL(bodyFileUrl); bodyFileUrl = null; $("download-body").hidden = true; }
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
    const name = t().image(i + 1);
    const src = el("select", { id: `image-${i}-source` },
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
    const type = el("select", { id: `image-${i}-type`, className: "frame-type" },
      el("option", { value: "", textContent: t().reference }),
      el("option", { value: "first_frame", textContent: "first_frame" }),
      el("option", { value: "end_frame", textContent: "end_frame" }));
    type.value = im.type;
    type.onchange = () => { im.type = type.value; refresh(); };
    const rm = el("button", { type: "button", textContent: t().remove(name) });
    rm.onclick = () => { images.splice(i, 1); renderImages(); refresh(); };
    const facts = el("div", { className: "facts", id: `image-${i}-facts` });
    if (im.info) showImageFacts(facts, im, i);
    row.append(el("label", { htmlFor: src.id, textContent: `${name}: ${t().source}` }), src,
      el("label", { htmlFor: value.id, textContent: `${name}: ${t()[im.source]}` }), value,
      el("label", { htmlFor: type.id, textContent: `${name}: ${t().frameType}` }), type,
      el("div", { className: "hint why", id: `image-${i}-type-why` }), rm, facts,
      el("div", { className: "hint", id: `image-${i}-fit-note`, textContent: im.fitNote ?? "" }),
      el("div", { className: "msg", id: msgId }));
    return row;
  }));
}

function showImageFacts(box, im, index) {
  const i = im.info;
  const parts = [im.file?.name ?? ""];
  if (i.format) parts.push(i.format.toUpperCase());
  if (i.width) parts.push(`${i.width}×${i.height} px`);
  if (i.bytes !== undefined) parts.push(mb(i.bytes));
  if (i.orientation && i.orientation !== 1) parts.push(`EXIF orientation ${i.orientation}`);
  parts.push(t().read(i.bytesRead));
  if (i.error) parts.push(i.error);
  box.replaceChildren();
  if (im.thumb) box.append(el("img", { src: im.thumb, alt: t().thumb(index + 1), className: "thumb" }));
  box.append(el("span", { textContent: parts.join(" · ") }));
}

async function pickImage(im, file, keepNote = false) {
  im.file = file ?? null;
  im.info = null;
  im.b64 = null;
  im.sent = null;
  if (!keepNote) im.fitNote = null;
  if (im.thumb) URL.revokeObjectURL(im.thumb);
  im.thumb = file ? URL.createObjectURL(file) : null;
  if (file) im.info = await inspectImage(file);
  // In place: re-rendering would empty the file input the user just used.
  const i = images.indexOf(im);
  const facts = $(`image-${i}-facts`);
  if (facts) facts.replaceChildren();
  if (facts && im.info) showImageFacts(facts, im, i);
  const note = $(`image-${i}-fit-note`);
  if (note) note.textContent = im.fitNote ?? "";
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
    if (v.bytes !== undefined) parts.push(mb(v.bytes));
    parts.push(t().read(v.bytesRead));
    if (v.error) parts.push(v.error);
    $("video-facts").append(el("span", { textContent: parts.join(" · ") }));
  }
  refresh();
}

// ---------- shots ----------
function renderShots() {
  $("shots").replaceChildren(...shots.map((s, i) => {
    const li = el("li", { className: "shot" });
    const name = t().shot(i + 1);
    const pr = el("input", { id: `shot-${i}-prompt`, type: "text", value: s.prompt });
    pr.setAttribute("aria-describedby", `msg-shot-${i}-prompt`);
    pr.oninput = () => { s.prompt = pr.value; refresh(); };
    const du = el("input", { id: `shot-${i}-duration`, type: "number", min: 1, max: 15, step: 1, value: s.duration });
    du.setAttribute("aria-describedby", `msg-shot-${i}-duration`);
    du.oninput = () => { s.duration = du.value; refresh(); };
    const rm = el("button", { type: "button", textContent: t().remove(name) });
    rm.onclick = () => { shots.splice(i, 1); renderShots(); refresh(); };
    li.append(el("label", { htmlFor: pr.id, textContent: `${name}: ${t().prompt}` }), pr,
      el("label", { htmlFor: du.id, textContent: `${name}: ${t().durationS}` }), du, rm,
      el("div", { className: "msg", id: `msg-shot-${i}-prompt` }), el("div", { className: "msg", id: `msg-shot-${i}-duration` }));
    return li;
  }));
}
const shotSum = () => shots.reduce((a, s) => a + (Number(s.duration) || 0), 0);
function renderShotsSum() {
  const total = Number($("duration").value || 5);
  const left = total - shotSum();
  $("shots-sum").textContent = t().sum(shotSum(), total) + (left < 1 && shots.length < 6 ? ` · ${t().noSecondsLeft}` : "");
  $("add-shot").disabled = shots.length >= 6 || left < 1;
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
let running = false, controller = null, timer = null, lastTaskId = null, lastElapsed = null;
const STEP = { submitting: 0.5, queued: 1, running: 2, succeeded: 3 };

function setStatus(key) {
  $("status").textContent = t()[key] ?? key;
  $("status").dataset.state = key;
  $("status").className = key === "failed" ? "error" : key === "succeeded" ? "ok" : "";
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

function showVideo(task) {
  const url = task.videos[0]?.url;
  if (!url) return;
  const video = el("video", { src: url, controls: true, autoplay: true, muted: true, loop: true, playsInline: true });
  video.setAttribute("aria-label", locale() === "zh" ? "生成的视频" : "The generated video");
  $("result").append(video, el("p", {}, el("a", { href: url, target: "_blank", rel: "noopener", textContent: t().open })));
}

function newClient(p) {
  // A fault of the fake gateway, asked for by header: only when requests go there.
  const fault = $("host").value === "demo" ? $("fault").value : "";
  return new KlingClient({
    // Through the demo's Kling proxy no key is sent: the server adds a token.
    provider: p, baseUrl: baseUrl(), apiKey: (p === "kling" && $("host").value === "demo") ? undefined : $("api-key").value || undefined, locale: locale(),
    poll: { intervalMs: 500, maxIntervalMs: 2000 }, ...(fault ? { headers: { "x-fault": fault } } : {}),
  });
}

/** Runs `work(client, signal)` with the page in its "running" state. */
async function run(work) {
  if (running) return;
  const p = provider();
  if (!baseUrl()) return; // never the client's default host: that would be a real, paid call nobody chose
  $("failure").replaceChildren();
  $("failure").dataset.kind = "";
  $("result").replaceChildren();
  running = true;
  $("submit").disabled = true;
  $("cancel").disabled = false;
  controller = new AbortController();
  const started = performance.now();
  const tick = () => { lastElapsed = (performance.now() - started) / 1000; $("elapsed").textContent = t().elapsed(lastElapsed); };
  timer = setInterval(tick, 100);
  let client;
  try {
    client = newClient(p);
    const task = await work(client, controller.signal, p);
    setStatus("succeeded");
    showVideo(task);
  } catch (e) {
    if (e?.kind === "aborted") {
      // Only the waiting stopped: the task goes on at Kling, and can be waited for again.
      setStatus("stopped");
      $("status").className = "warning";
      if (lastTaskId) {
        const resume = el("button", { type: "button", id: "resume", textContent: t().resume });
        resume.onclick = () => run((c, signal) => c.wait(lastTaskId, { signal, onProgress: (tk) => setStatus(tk.status) }));
        $("failure").append(resume);
      }
      $("failure").dataset.kind = "stopped";
    } else {
      setStatus("failed");
      showFailure(e);
    }
  } finally {
    client?.free();
    clearInterval(timer);
    tick();
    running = false;
    controller = null;
    $("cancel").disabled = true;
    refresh();
  }
}

function submit() {
  return run(async (client, signal, p) => {
    setStatus("submitting");
    lastTaskId = null;
    const req = await buildToSend(p);
    const ext = $("external_task_id").value.trim();
    const onProgress = (tk) => { lastTaskId = tk.taskId; setStatus(tk.status); };
    // A reused external id: say so, and show that task, before anything is created.
    if (ext && p !== "v3") {
      const existing = await client.getByExternalId(ext, { signal }).catch(() => null);
      if (existing) {
        lastTaskId = existing.taskId;
        $("failure").append(el("p", { id: "existing", className: "warning", textContent: t().existing(ext, existing.status) }));
        return existing.status === "succeeded" ? existing : client.wait(existing.taskId, { signal, onProgress });
      }
    }
    const files = { images: images.map((im) => (im.source === "file" ? im.file : null)), video: $("video-on").checked ? videoFile : null };
    const media = files.images.some(Boolean) || files.video ? await inspectRequest(p, req, files) : undefined;
    return client.generate(req, { signal, media, onProgress });
  });
}

// ---------- for developers: examples, paste JSON, faults, the HTTP log ----------
const SCENARIO_EXAMPLES = {
  text_to_video: { prompt: "A paper boat drifts down a rainy street at dusk", aspect_ratio: "16:9", duration: "5" },
  reference: { prompt: "<<<image_1>>> walks through a sunlit garden", image_list: [{ image_url: "https://cdn.example.com/cat.jpg" }], aspect_ratio: "16:9", duration: "5" },
  first_frame: { prompt: "The cat in the picture slowly turns its head", image_list: [{ image_url: "https://cdn.example.com/cat.jpg", type: "first_frame" }], duration: "5" },
  first_end_frame: {
    prompt: "The cat walks from the door to the window", duration: "5",
    image_list: [{ image_url: "https://cdn.example.com/door.jpg", type: "first_frame" }, { image_url: "https://cdn.example.com/window.jpg", type: "end_frame" }],
  },
  video_reference: {
    prompt: "A new shot of the same street, in the style of <<<video_1>>>", aspect_ratio: "16:9", duration: "5",
    video_list: [{ video_url: "https://cdn.example.com/street.mp4", refer_type: "feature" }],
  },
  video_edit: { prompt: "Make it snow in <<<video_1>>>", video_list: [{ video_url: "https://cdn.example.com/street.mp4", refer_type: "base" }] },
  multi_shot: {
    multi_shot: true, shot_type: "customize", aspect_ratio: "16:9", duration: "5",
    multi_prompt: [{ index: 1, prompt: "The cat looks up", duration: "2" }, { index: 2, prompt: "The cat jumps onto the wall", duration: "3" }],
  },
};
const EXAMPLE_SETS = [["o1", "kling-video-o1"], ["v3", "kling-v3-omni"], ["kling", "kling-video-o1"], ["kling", "kling-v3-omni"]];
/** The example request of a scenario, in the provider's wire format. */
function example(p, modelName, scenario) {
  const flatReq = { mode: "pro", ...structuredClone(SCENARIO_EXAMPLES[scenario]) };
  if (p !== "v3") {
    const r = { model_name: p === "kling" ? modelName : "kling-video-o1", ...flatReq };
    if (modelName === "kling-v3-omni" && p === "kling") r.sound = "off";
    return r;
  }
  const { prompt, ...params } = flatReq;
  if (params.duration !== undefined) params.duration = Number(params.duration);
  // V3 wants an aspect ratio with a frame too.
  if (scenario !== "video_edit") params.aspect_ratio ??= "16:9";
  return { model: "kling-v3-omni", input: prompt === undefined ? {} : { prompt }, parameters: { sound: "off", multi_shot: false, ...params } };
}
function fillExamples() {
  const sel = $("example");
  const keep = sel.value;
  sel.replaceChildren(el("option", { value: "", textContent: locale() === "zh" ? "（选择一个示例）" : "(choose an example)" }),
    ...EXAMPLE_SETS.flatMap(([p, m]) => Object.keys(SCENARIO_EXAMPLES)
      .filter((s) => s !== "multi_shot" || m === "kling-v3-omni")
      .map((s) => {
        const o = el("option", { value: `${p}|${m}|${s}`, textContent: `${p}${p === "kling" ? ` · ${m}` : ""} · ${s}` });
        o.dataset.scenario = s === "multi_shot" ? "text_to_video" : s;
        return o;
      })));
  sel.value = keep;
}
function loadExample(value) {
  const [p, m, s] = value.split("|");
  if (!s) return;
  document.querySelector(`input[name=provider][value=${p}]`).checked = true;
  if (p === "kling") $("model").value = m;
  images.length = 0;
  videoFile = null;
  videoInfo = null;
  $("video-file").value = "";
  $("video-facts").replaceChildren();
  fillHosts();
  load(p, example(p, m, s));
  refresh();
}
function pasted() {
  const text = $("paste").value;
  let report;
  try {
    report = validate(provider(), text, null, { locale: locale() });
  } catch (e) {
    report = { [e.name]: e.message };
  }
  $("raw-report").hidden = false;
  $("raw-report").textContent = JSON.stringify(report, null, 2);
  return report;
}

// Every HTTP call the page makes, with the key masked: what the client sends and gets.
const realFetch = window.fetch.bind(window);
window.fetch = async (input, init) => {
  const req = new Request(input, init);
  const started = performance.now();
  const auth = req.headers.get("authorization");
  const masked = auth ? auth.replace(/^(Bearer )?(.*)$/i, (_, b, k) => `${b ?? ""}${"•".repeat(Math.min(8, k.length))} (${k.length} characters)`) : "";
  const line = el("li", { textContent: `${req.method} ${req.url} …` });
  if (!req.url.endsWith("/config.json")) $("http-log").append(line);
  try {
    const res = await realFetch(req);
    line.textContent = `${req.method} ${req.url} → ${res.status} (${Math.round(performance.now() - started)} ms)${masked ? ` · Authorization: ${masked}` : ""}`;
    return res;
  } catch (e) {
    line.textContent = `${req.method} ${req.url} → ${e?.name ?? "error"} (${Math.round(performance.now() - started)} ms)`;
    throw e;
  }
};

// ---------- start ----------
function reset() {
  const p = provider();
  const d = defaults(p, p === "kling" ? { model: model() } : undefined);
  const w = p === "v3" ? { ...d.parameters, ...d.input } : d;
  images.length = 0;
  $("video-file").value = "";
  videoFile = null;
  videoInfo = null;
  $("video-facts").replaceChildren();
  load(p, { ...d, ...(p === "v3" ? { input: { prompt: "A cat walks slowly through a sunlit garden" } } : { prompt: "A cat walks slowly through a sunlit garden" }) });
  $("refer_type").value = "feature";
  $("elements").value = "";
  $("video-on").checked = false;
  $("sound").value = w.sound ?? "off";
  shots = [{ prompt: "The cat looks up", duration: "2" }, { prompt: "The cat jumps onto the wall", duration: "3" }];
  if (!running) {
    setStatus("idle");
    $("progress").value = 0;
    for (const id of ["failure", "result"]) $(id).replaceChildren();
    $("failure").dataset.kind = "";
    $("copied").textContent = "";
    $("elapsed").textContent = "";
    lastElapsed = null;
  }
  renderImages();
  renderShots();
  refresh();
}

await init();
try { config = await (await fetch("config.json")).json(); } catch { config = {}; }
translatePage();
fillHosts();
$("host").addEventListener("change", () => {
  hostChoice = $("host").value;
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
  if (e.target.name === "provider" || e.target.id === "multi_shot" || e.target.id === "model") renderShots();
  refresh();
});
document.querySelectorAll("input[name=locale]").forEach((r) => r.addEventListener("change", () => {
  translatePage();
  fillExamples();
  renderImages();
  renderShots();
  fillHosts();
  refresh();
  $("copied").textContent = "";
  document.querySelectorAll("#result a").forEach((a) => { a.textContent = t().open; });
  if (lastElapsed !== null) $("elapsed").textContent = t().elapsed(lastElapsed);
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
  // A new shot takes the seconds the others leave.
  const left = Number($("duration").value || 5) - shotSum();
  shots.push({ prompt: "", duration: String(Math.max(1, left)) });
  renderShots();
  refresh();
  $(`shot-${shots.length - 1}-prompt`).focus();
};
$("reset").onclick = reset;
fillExamples();
$("example").onchange = () => loadExample($("example").value);
$("paste-check").onclick = pasted;
$("paste-load").onclick = () => {
  let r;
  try { r = JSON.parse($("paste").value); } catch { pasted(); return; }
  if (r && typeof r === "object" && !Array.isArray(r)) { images.length = 0; load(provider(), r); refresh(); }
  pasted();
};
$("fix-all").onclick = () => fixIssues(lastReport);
$("copy-json").onclick = async () => copy(JSON.stringify(await buildToSend(), null, 2));
$("copy-curl").onclick = async () => copy(curl(await buildToSend()));
$("submit").onclick = submit;
$("cancel").onclick = () => controller?.abort();
setStatus("idle");
reset();
