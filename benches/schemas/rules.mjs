// The rules of docs/rules.md that no schema library expresses as a field type: what follows from
// the request as a whole (scenario, counts, frames, durations by scenario, shots,
// placeholders), Base64 and URL forms, and the measured media facts. Written once, in plain
// JavaScript, and called from a zod `superRefine` and a valibot `rawCheck`, as a front-end
// developer would. Every function reads the raw request defensively: a wrong type in one
// field must not hide the issues in others (docs/rules.md: "all at once").
//
// Revision 2 of docs/rules.md: O1's 5/10-s rule only for text to video and a first frame
// alone; input videos at most 10.05 s for every provider; `""` in `callback_url` and
// `external_task_id` counts as absent; `too_many_elements`; and the `kling` provider (Kling's
// own API: O1's flat body for `kling-video-o1`, plus `sound` and multi-shot with string
// durations for `kling-v3-omni`). `model(provider, req)` says which rules a request gets.

export const O1_KEYS = ["model_name", "prompt", "image_list", "element_list", "video_list", "mode",
  "aspect_ratio", "duration", "watermark_info", "callback_url", "external_task_id"];
export const KLING_V3_KEYS = [...O1_KEYS, "sound", "multi_shot", "shot_type", "multi_prompt"];
export const V3_KEYS = ["model", "input", "parameters"];
export const V3_INPUT_KEYS = ["prompt", "negative_prompt"];
export const V3_PARAM_KEYS = ["mode", "aspect_ratio", "duration", "sound", "multi_shot", "shot_type",
  "multi_prompt", "image_list", "video_list", "watermark_enabled", "external_task_id"];
export const IMAGE_KEYS = ["image_url", "type"];
export const ELEMENT_KEYS = ["element_id"];
export const VIDEO_KEYS = ["video_url", "refer_type", "keep_original_sound"];
export const SHOT_KEYS = ["index", "prompt", "duration"];
export const ASPECT_RATIOS = ["16:9", "9:16", "1:1"];
export const KLING_MODELS = ["kling-video-o1", "kling-v3-omni"];

/**
 * Which rules a request gets: `"o1"` (the O1 gateway, and Kling's API with `kling-video-o1`
 * or no model), `"v3"` (the V3 gateway), `"kling-v3"` (Kling's API with `kling-v3-omni`),
 * `"kling-unknown"` (Kling's API with a model it does not take: what both models share).
 */
export function model(provider, req) {
  if (provider !== "kling") return provider;
  const m = obj(req) ? req.model_name : undefined;
  if (typeof m !== "string" || m === "kling-video-o1") return "o1";
  return m === "kling-v3-omni" ? "kling-v3" : "kling-unknown";
}

const MB = 1024 * 1024;
const has = (o, k) => o != null && o[k] != null; // null counts as absent
const obj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const arr = (v) => (Array.isArray(v) ? v : []);

/** Length in Unicode scalar values (docs/rules.md: not UTF-16 units). */
export function codePoints(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { n--; i++; }
    }
  }
  return n;
}
/** Empty or only Unicode White_Space. */
export const blank = (s) => /^[\s\u0085]*$/u.test(s);
/** Decimal digits, no sign, no leading zero. */
export const intString = (s) => /^[1-9][0-9]*$/.test(s);
/** Whitespace only, but not empty (revision 2: `""` counts as absent). */
export const blankId = (s) => s.length > 0 && blank(s);
export const callbackOk = (s) => s === "" || httpUrl(s);
export const httpUrl = (s) => /^https?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i.test(s);
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATA_URI = /^data:[^,]*;base64,/i;
export const base64 = (s) => s.length > 0 && s.length % 4 !== 1 && B64.test(s) && !/=[^=]/.test(s);

const IMAGE_EXT = /\.(jpe?g|png|webp|gif|bmp|heic|heif|tiff?|avif|svg|ico)$/i;
const VIDEO_EXT = /\.(mp4|mov|m4v|webm|mkv|avi|flv|wmv|3gp|mpe?g|ogv|ts)$/i;
function extension(url, re) {
  const path = url.replace(/^[a-z]+:\/\/[^/?#]*/i, "").replace(/[?#].*$/, "");
  const m = re.exec(path);
  return m ? m[1].toLowerCase() : null;
}

/** Decodes the first bytes of Base64 (enough for a header). */
function b64Head(s, bytes) {
  const chars = Math.min(s.length, Math.ceil(bytes / 3) * 4);
  let head = s.slice(0, chars - (chars % 4));
  try {
    const bin = atob(head);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch { return new Uint8Array(0); }
}
/** Format and size from an image's first bytes: PNG IHDR, JPEG SOF. */
export function imageHeader(b) {
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
    const dv = new DataView(b.buffer, b.byteOffset);
    return { format: "png", width: dv.getUint32(16), height: dv.getUint32(20) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) { i++; continue; }
      const m = b[i + 1];
      const len = (b[i + 2] << 8) | b[i + 3];
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
        return { format: "jpeg", height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
      }
      i += 2 + len;
    }
    return { format: "jpeg" };
  }
  if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) return { format: "gif", width: b[6] | (b[7] << 8), height: b[8] | (b[9] << 8) };
  if (b.length >= 12 && b[0] === 0x52 && b[8] === 0x57) return { format: "webp" };
  return { format: "unknown" };
}

function imageFacts(add, path, f) {
  if (f.format != null && f.format !== "jpeg" && f.format !== "png") add("image_format", path);
  if (f.bytes != null && f.bytes > 10 * MB) add("image_too_large", path);
  if (f.width != null && f.height != null) {
    if (Math.min(f.width, f.height) < 300) add("image_too_small", path);
    const r = f.width / f.height;
    if (r > 2.5 || r < 1 / 2.5) add("image_aspect_ratio", path);
  }
}
function videoFacts(add, path, f) {
  if (f.format != null && f.format !== "mp4" && f.format !== "mov") add("video_format", path);
  if (f.bytes != null && f.bytes > 200 * MB) add("video_too_large", path);
  if (f.duration != null && (f.duration < 3 || f.duration > 10.05)) add("video_duration", path);
  for (const side of [f.width, f.height]) {
    if (side != null && (side < 720 || side > 2160)) { add("video_resolution", path); break; }
  }
  if (f.fps != null && (f.fps < 24 || f.fps > 60)) add("video_fps", path);
}

function unknownKeys(add, o, known, path) {
  if (!obj(o)) return;
  for (const k in o) if (!known.includes(k)) add("unknown_field", [...path, k], true);
}

function placeholders(add, text, path, counts, v3) {
  if (typeof text !== "string" || !text.includes("<<<")) return;
  for (const m of text.matchAll(/<<<(.*?)>>>/g)) {
    const p = /^(image|element|video)_(0|[1-9][0-9]*)$/.exec(m[1]);
    if (!p || (p[1] === "element" && v3)) { add("placeholder_unknown", path, true); continue; }
    const n = Number(p[2]);
    if (n === 0 || n > counts[p[1]]) add("placeholder_out_of_range", path);
  }
}

/**
 * Every cross-field rule. `add(code, path, warning)` records an issue; `media` is the
 * optional `{images, video}` facts measured by the page.
 */
export function crossRules(provider, req, media, add) {
  if (!obj(req)) return;
  const rules = model(provider, req);
  const v3 = provider === "v3"; // the nested body of the V3 gateway
  const flat = !v3; // o1 and kling: every field at the root, elements documented
  const shotsOn = v3 || rules === "kling-v3"; // multi-shot and sound are checked
  const input = v3 ? (obj(req.input) ? req.input : {}) : req;
  const params = v3 ? (obj(req.parameters) ? req.parameters : {}) : req;
  const at = (name) => (v3 ? [name === "prompt" || name === "negative_prompt" ? "input" : "parameters", name] : [name]);
  const images = arr(params.image_list);
  const elements = flat ? arr(params.element_list) : [];
  const videos = arr(params.video_list);

  // Unknown fields (warnings).
  if (v3) {
    unknownKeys(add, req, V3_KEYS, []);
    unknownKeys(add, req.input, V3_INPUT_KEYS, ["input"]);
    unknownKeys(add, req.parameters, V3_PARAM_KEYS, ["parameters"]);
  } else {
    unknownKeys(add, req, rules === "o1" ? O1_KEYS : KLING_V3_KEYS, []);
    unknownKeys(add, req.watermark_info, ["enabled"], ["watermark_info"]);
    elements.forEach((e, i) => unknownKeys(add, e, ELEMENT_KEYS, ["element_list", i]));
  }
  images.forEach((e, i) => unknownKeys(add, e, IMAGE_KEYS, [...at("image_list"), i]));
  videos.forEach((e, i) => unknownKeys(add, e, VIDEO_KEYS, [...at("video_list"), i]));

  // Scenario.
  const frame = (im) => (obj(im) ? im.type : undefined);
  const firsts = images.filter((im) => frame(im) === "first_frame").length;
  const ends = images.filter((im) => frame(im) === "end_frame").length;
  const refer = (vd) => (obj(vd) && vd.refer_type === "feature" ? "feature" : "base");
  const scenario = videos.length
    ? (videos.some((vd) => refer(vd) === "base") ? "video_edit" : "video_reference")
    : ends ? "first_end_frame" : firsts ? "first_frame"
    : images.length + elements.length ? "reference" : "text_to_video";
  const hasFrame = firsts + ends > 0;
  const edit = scenario === "video_edit";
  const featureVideo = videos.some((vd) => refer(vd) === "feature");

  // Lists: counts and frames.
  const refs = images.length + elements.length;
  if (refs > (videos.length ? 4 : 7)) add("too_many_references", at(images.length ? "image_list" : "element_list"));
  if (flat && hasFrame && elements.length > 3) add("too_many_elements", at("element_list"));
  if (videos.length > 1) add("too_many_videos", at("video_list"));
  images.forEach((im, i) => {
    const t = frame(im);
    if (t !== "first_frame" && t !== "end_frame") return;
    const path = [...at("image_list"), i, "type"];
    if (edit) add("frame_with_video_edit", path);
    if (t === "end_frame" && !firsts) add("end_frame_without_first_frame", path);
    if (t === "end_frame" && images.length > 2) add("end_frame_with_many_images", path);
    if ((t === "first_frame" ? firsts : ends) > 1 && images.findIndex((x) => frame(x) === t) !== i) add("duplicate_frame_type", path);
  });

  // aspect_ratio by scenario. Where it is used, the value is checked here for the `kling`
  // models whose schema leaves it open (ignored or unchecked with frames).
  const ar = params.aspect_ratio;
  const arValue = () => {
    if (typeof ar !== "string") add("invalid_type", at("aspect_ratio"));
    else if (!ASPECT_RATIOS.includes(ar)) add("invalid_value", at("aspect_ratio"));
  };
  if (v3) {
    if (ar == null && !edit) add("aspect_ratio_required", at("aspect_ratio"));
  } else if (hasFrame || edit) {
    if (ar != null && rules === "o1") add("aspect_ratio_not_supported", at("aspect_ratio"));
    if (ar != null && rules === "kling-v3") {
      if (typeof ar !== "string") add("invalid_type", at("aspect_ratio"));
      add("field_ignored", at("aspect_ratio"), true);
    }
  } else if (ar == null) add("aspect_ratio_required", at("aspect_ratio"));
  else if (rules !== "o1") arValue();

  // duration: its type is the field schema's; its range depends on the scenario, and in a
  // video edit it is only ignored (a warning, whatever the value).
  const d = params.duration;
  if (d != null && edit) add("field_ignored", at("duration"), true);
  else if (!v3 && typeof d === "string") {
    const n = intString(d) ? Number(d) : NaN;
    // o1 (revision 2): 5 or 10 only in text to video and with a first frame alone.
    const alone = images.length === 1 && firsts === 1 && !elements.length && !videos.length;
    const fiveTen = rules === "o1" && (scenario === "text_to_video" || alone);
    const max = rules === "o1" ? 10 : rules === "kling-v3" && featureVideo ? 10 : 15;
    if (!(n >= 3 && n <= max) || (fiveTen && n !== 5 && n !== 10)) add("duration_out_of_range", at("duration"));
  } else if (v3 && Number.isInteger(d) && (d < 3 || d > (scenario === "video_reference" ? 10 : 15))) {
    add("duration_out_of_range", at("duration"));
  }
  if (shotsOn && params.sound === "on" && videos.length) add("sound_with_video", at("sound"));

  // Prompts and placeholders.
  const counts = { image: images.length, element: elements.length, video: videos.length };
  const multi = shotsOn && params.multi_shot === true;
  const prompt = input.prompt;
  if (shotsOn && typeof prompt === "string") {
    if (multi) { if (!blank(prompt)) add("field_ignored", at("prompt"), true); }
    else if (blank(prompt)) add("prompt_required", at("prompt"));
    else if (codePoints(prompt) > 2500) add("text_too_long", at("prompt"));
  } else if (shotsOn && prompt == null && !multi) add("prompt_required", at("prompt"));
  if (!multi) placeholders(add, prompt, at("prompt"), counts, v3);

  // Multi-shot (V3 gateway: integer total; kling-v3-omni: a string total).
  if (shotsOn) {
    const shots = params.multi_prompt;
    if (!multi) {
      if (params.shot_type != null) add("field_ignored", at("shot_type"), true);
      if (shots != null) add("field_ignored", at("multi_prompt"), true);
    } else {
      if (params.shot_type == null) add("shot_type_required", at("shot_type"));
      if (params.shot_type === "customize" && (!Array.isArray(shots) || !shots.length)) add("multi_prompt_required", at("multi_prompt"));
      if (Array.isArray(shots)) {
        if (shots.length > 6) add("multi_prompt_count", at("multi_prompt"));
        const given = v3 ? (Number.isInteger(d) ? d : null) : (typeof d === "string" && intString(d) ? Number(d) : null);
        const total = edit ? null : d == null ? 5 : given;
        let sum = 0, wellFormed = true;
        shots.forEach((s, i) => {
          const path = [...at("multi_prompt"), i];
          if (!obj(s)) { wellFormed = false; return; }
          unknownKeys(add, s, SHOT_KEYS, path);
          if (typeof s.index === "number" && s.index !== i + 1) add("shot_index", [...path, "index"]);
          if (typeof s.prompt === "string") {
            if (blank(s.prompt)) add("prompt_required", [...path, "prompt"]);
            else {
              if (codePoints(s.prompt) > 512) add("text_too_long", [...path, "prompt"]);
              placeholders(add, s.prompt, [...path, "prompt"], counts, v3);
            }
          }
          if (typeof s.duration === "string") {
            const ok = intString(s.duration) && (total == null || Number(s.duration) <= total);
            if (!ok) add("shot_duration", [...path, "duration"]);
            if (intString(s.duration)) sum += Number(s.duration); else wellFormed = false;
          } else wellFormed = false;
        });
        if (wellFormed && total != null && sum !== total) add("shot_duration_sum", at("multi_prompt"));
      }
    }
  }

  // Media: URL and Base64 forms, extensions, Base64 bytes, measured facts.
  const facts = obj(media) ? media : {};
  images.forEach((im, i) => {
    if (!obj(im) || typeof im.image_url !== "string") return;
    const path = [...at("image_list"), i, "image_url"];
    const url = im.image_url;
    const measured = arr(facts.images)[i];
    if (httpUrl(url)) {
      if (measured) imageFacts(add, path, measured);
      else { const ext = extension(url, IMAGE_EXT); if (ext && !/^(jpe?g|png)$/.test(ext)) add("image_format", path); }
      return;
    }
    const prefixed = DATA_URI.exec(url);
    const data = prefixed ? url.slice(prefixed[0].length) : url;
    if (prefixed) add("base64_data_uri_prefix", path);
    if (!base64(data)) { if (!prefixed) add("image_url_invalid", path); return; }
    const head = imageHeader(b64Head(data, 65536));
    const pad = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
    imageFacts(add, path, { ...head, bytes: Math.floor((data.length * 3) / 4) - pad, ...(measured || {}) });
  });
  videos.forEach((vd, i) => {
    if (!obj(vd) || typeof vd.video_url !== "string" || i > 0) return;
    const path = [...at("video_list"), i, "video_url"];
    if (!httpUrl(vd.video_url)) return; // the field schema reports video_url_invalid
    if (facts.video) videoFacts(add, path, facts.video);
    else { const ext = extension(vd.video_url, VIDEO_EXT); if (ext && ext !== "mp4" && ext !== "mov") add("video_format", path); }
  });
}
