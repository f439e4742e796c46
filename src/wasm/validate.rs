//! `validate`, `allowedOptions`, `defaults` for JavaScript, and the conversions the other
//! exports share: arguments in (provider, request as object or JSON text, media facts,
//! options) and the report out, as plain JS objects.

use crate::messages::Locale;
use crate::model::{MediaFacts, Provider};
use crate::report::Report;
use crate::rules::{self, ArgumentError};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_VALIDATE: &'static str = r#"
/** Which API a request is for: Kling Omni Video O1 on its gateway (`"o1"`), Kling V3 Omni on its task gateway (`"v3"`), or Kling's own API (`"kling"`, models `kling-video-o1` and `kling-v3-omni`). */
export type Provider = "o1" | "v3" | "kling";
/** The kind of generation a request asks for; it follows from its lists. */
export type Scenario = "text_to_video" | "first_frame" | "first_end_frame" | "reference"
  | "video_reference" | "video_edit";
/** One key or index of a path in the provider's wire format (zod's convention). */
export type PathSegment = string | number;
/** Every stable rule code (see the README's table). */
export type IssueCode =
  | "invalid_type" | "required" | "element_id_invalid" | "unknown_field" | "invalid_value"
  | "prompt_required" | "text_too_long" | "placeholder_out_of_range" | "placeholder_unknown"
  | "field_ignored" | "too_many_references" | "too_many_videos" | "end_frame_without_first_frame"
  | "duplicate_frame_type" | "end_frame_with_many_images" | "frame_with_video_edit"
  | "aspect_ratio_required" | "aspect_ratio_not_supported" | "duration_out_of_range"
  | "sound_with_video" | "shot_type_required" | "multi_prompt_required" | "multi_prompt_count"
  | "shot_index" | "shot_duration" | "shot_duration_sum" | "image_url_invalid"
  | "base64_data_uri_prefix" | "image_format" | "image_too_large" | "image_too_small"
  | "image_aspect_ratio" | "video_url_invalid" | "video_format" | "video_too_large"
  | "video_duration" | "video_resolution" | "video_fps" | "callback_url_invalid"
  | "external_task_id_invalid" | "too_many_elements";
/** One edit of the request that fixes an issue: `replace` sets `value` at `path`, `remove` deletes the key at `path` (the issue's own path). Only where the right value is certain; `applyFixes` carries it out. */
export interface Fix {
  op: "replace" | "remove";
  path: PathSegment[];
  /** The new value (`replace` only): the Base64 without its `data:` prefix or line breaks, `"5"` for `5`, `5` for `"5"`. */
  value?: unknown;
}
/** One finding. `params` holds the values behind it (`limit`, `actual`, `allowed`, …); `fix`, where one edit of the request fixes it. */
export interface Issue {
  code: IssueCode;
  path: PathSegment[];
  /** The field as a person reads it, in the report's locale: "Image 1", "Shot 2's duration", "prompt"; "图片 1", "镜头 2 的时长", "提示词". Messages name the field with it. */
  label: string;
  message: string;
  params?: Record<string, unknown>;
  fix?: Fix;
}
/** A fix `applyFixes` carried out, with the code of the issue it fixed. */
export interface AppliedFix extends Fix {
  code: IssueCode;
}
/** What `applyFixes` returns: the fixed request (a new object; the one given is untouched) and the fixes carried out, in the report's order. */
export interface FixResult<R = UntypedRequest> {
  request: R;
  applied: AppliedFix[];
}
/** Which issues `applyFixes` fixes: a whole report, some of its issues, or one. Only code and path are read. */
export type FixSelection = Pick<Report, "errors" | "warnings"> | Pick<Issue, "code" | "path">[] | Pick<Issue, "code" | "path">;
/** What validation found. `valid` is true when there is no error. */
export interface Report {
  valid: boolean;
  scenario: Scenario;
  errors: Issue[];
  warnings: Issue[];
  /** Paths of media not fully checked: nothing was measured, or not every fact (a WebM's fps, an image's size). Rules on the facts that were measured still ran. */
  unverified: PathSegment[][];
}
/** What was measured of an image; a field is absent where it is unknown. */
export interface ImageFacts { format: string; bytes: number; width: number; height: number }
/** What was measured of a video (duration in seconds). */
export interface VideoFacts {
  format: string; bytes: number; duration: number; width: number; height: number; fps: number;
}
/** Facts measured outside the request: `images[i]` is `image_list[i]`. */
export interface MediaFacts {
  images?: (Partial<ImageFacts> | null)[];
  video?: Partial<VideoFacts> | null;
}
/** Options of `validate`. */
export interface ValidateOptions { locale?: "en" | "zh" }
/** How a field stands in the request's current scenario. */
export type FieldUse = "required" | "allowed" | "ignored" | "unsupported";
/** The choices a form should offer for the request's current scenario. */
export interface AllowedOptions {
  scenario: Scenario;
  /** Strings ("5") for `o1` and `kling`; integers for `v3`. Empty where `duration` is ignored. */
  duration: (string | number)[];
  /** Empty where `aspect_ratio` is not supported or ignored (with frames or in a video edit, except on `v3`). */
  aspect_ratio: ("16:9" | "9:16" | "1:1")[];
  /** Where the model has `sound` (`v3`, `kling-v3-omni`): `["off"]` with a video. */
  sound: ("on" | "off")[];
  frame_types: ("first_frame" | "end_frame")[];
  /** Each documented field by its dotted wire path, e.g. `"parameters.duration"`. */
  fields: Record<string, FieldUse>;
}
/** One entry of `image_list`: a reference image, or a first or end frame. */
export interface KlingImageItem {
  /** An absolute http(s) URL, or raw Base64 with no `data:` prefix. JPG/JPEG/PNG, at most 10 MB, shorter side at least 300 px, aspect ratio 1:2.5 to 2.5:1. */
  image_url: string;
  /** Absent for a reference image. */
  type?: "first_frame" | "end_frame";
}
/** One entry of `video_list` (at most one): an MP4/MOV URL, 3–10 s, sides 720–2160 px, 24–60 fps, at most 200 MB. */
export interface KlingVideoItem {
  video_url: string;
  /** `feature`: a reference for the new video; `base` (default): the video to edit. */
  refer_type?: "feature" | "base";
  keep_original_sound?: "yes" | "no";
}
/** A Kling Omni Video O1 request body (`POST /kling/v1/videos/omni-video`). */
export interface O1Request {
  model_name?: "kling-video-o1";
  /** Up to 2500 characters; refers to media as `<<<image_1>>>`, `<<<element_1>>>`, `<<<video_1>>>`. */
  prompt: string;
  image_list?: KlingImageItem[];
  /** Subjects from the element library; a large id belongs in a string (JavaScript numbers lose digits above 2^53). */
  element_list?: { element_id: number | string }[];
  video_list?: KlingVideoItem[];
  /** `pro` (default, 1080p) or `std` (720p). */
  mode?: "std" | "pro";
  /** Required for text-to-video and references; not supported with frames or in a video edit. */
  aspect_ratio?: "16:9" | "9:16" | "1:1";
  /** Seconds, as a string: "5" or "10" for text-to-video and a first frame alone, "3"–"10" otherwise (ignored in a video edit). Default "5". */
  duration?: "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10";
  watermark_info?: { enabled?: boolean };
  callback_url?: string;
  /** Your own id, unique per account; the client sets one when you leave it out (or send ""). */
  external_task_id?: string;
}
/** Kling's own API with `kling-v3-omni` (`POST /v1/videos/omni-video`): O1's flat body plus `sound` and multi-shot. */
export interface KlingV3OmniRequest extends Omit<O1Request, "model_name" | "duration" | "aspect_ratio"> {
  model_name: "kling-v3-omni";
  /** Required for text-to-video and references; ignored with frames or in a video edit. */
  aspect_ratio?: "16:9" | "9:16" | "1:1";
  /** Seconds, as a string, "3"–"15" ("3"–"10" with a `feature` video; ignored in a video edit). Default "5". */
  duration?: "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12" | "13" | "14" | "15";
  /** `off` (default); must be `off` with a video. */
  sound?: "on" | "off";
  /** When true, `prompt` is ignored and `multi_prompt` gives the shots. */
  multi_shot?: boolean;
  shot_type?: "customize";
  /** 1 to 6 shots; their durations (strings) add up to `duration`. */
  multi_prompt?: V3Shot[];
}
/** A request to Kling's own API (the `kling` provider), discriminated by `model_name`: `kling-video-o1` (or none) takes O1's body and rules; `kling-v3-omni` adds `sound` and multi-shot. */
export type KlingRequest = O1Request | KlingV3OmniRequest;
/** One shot of a V3 multi-shot request. */
export interface V3Shot {
  /** 1, 2, … in order. */
  index: number;
  /** Up to 512 characters. */
  prompt: string;
  /** Seconds as a string, at least "1"; the shots add up to `parameters.duration`. */
  duration: string;
}
/** A Kling V3 Omni request body (`POST /v1/tasks/submit`). */
export interface V3Request {
  model: "kling-v3-omni";
  input?: {
    /** Up to 2500 characters; ignored when `multi_shot` is true. */
    prompt?: string;
    negative_prompt?: string;
  };
  parameters?: {
    mode?: "std" | "pro";
    aspect_ratio?: "16:9" | "9:16" | "1:1";
    /** Whole seconds, 3–15 (3–10 with a video). Default 5. */
    duration?: number;
    /** `off` (default); must be `off` with a video. */
    sound?: "on" | "off";
    multi_shot?: boolean;
    shot_type?: "customize";
    /** 1 to 6 shots. */
    multi_prompt?: V3Shot[];
    image_list?: KlingImageItem[];
    video_list?: KlingVideoItem[];
    watermark_enabled?: boolean;
    external_task_id?: string;
  };
}
/**
 * Carries out the fixes of a request's issues and returns the fixed request (a new object) and
 * the fixes applied. The fixes are those of validating `request` now: `issues` only selects which
 * (by code and path; a stale or hand-made one fixes nothing), all of them when left out. Where a
 * removal and another fix touch one field, the removal wins.
 */
export function applyFixes<R extends RequestInput>(provider: Provider, request: R, issues?: FixSelection | null):
  FixResult<R extends string ? UntypedRequest : R>;
/** A request body for one of the providers. */
export type AnyRequest = O1Request | V3Request | KlingV3OmniRequest;
/** Any JSON object, such as one built from a form: wrong types are reported, not thrown. */
export type UntypedRequest = Record<string, unknown>;
/** What the validating functions accept: a request object, typed or not, or its JSON text. */
export type RequestInput = AnyRequest | UntypedRequest | string;
/** A starting request with the documented defaults; only the prompt is left to fill in. */
export function defaults(provider: "o1"): O1Request;
/** A starting request with the documented defaults; only the prompt is left to fill in. */
export function defaults(provider: "v3"): V3Request;
/** A starting request with the documented defaults; only the prompt is left to fill in. */
export function defaults(provider: "kling", options?: { model?: "kling-video-o1" }): O1Request;
/** A starting request with the documented defaults; only the prompt is left to fill in. */
export function defaults(provider: "kling", options: { model: "kling-v3-omni" }): KlingV3OmniRequest;
/** A starting request with the documented defaults; only the prompt is left to fill in. */
export function defaults(provider: Provider, options?: { model?: string }): AnyRequest;
"#;

/// A JS `Error` named `KlingArgumentError` (malformed arguments, not invalid requests).
pub fn argument_error(message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("KlingArgumentError");
    e.into()
}

/// The provider named by a JS value.
pub fn parse_provider(provider: &JsValue) -> Result<Provider, JsValue> {
    let name = provider
        .as_string()
        .ok_or_else(|| argument_error("provider must be the string \"o1\", \"v3\" or \"kling\""))?;
    name.parse::<Provider>().map_err(|e| argument_error(&e.to_string()))
}

/// JSON text of a JS value: a string is taken as JSON text; an object goes through
/// `JSON.stringify`, so cycles, BigInts and the like become argument errors (never a trap),
/// and `toJSON` is honoured as a `fetch` body would.
pub fn json_text(value: &JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if !value.is_object() {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return Err(argument_error(&format!("{what} must be an object or JSON text, got {kind}")));
    }
    js_sys::JSON::stringify(value)
        .map_err(|e| argument_error(&format!("{what} cannot be serialised to JSON: {}", error_text(&e))))
        .map(|s| s.as_string().unwrap_or_default())
}

/// A request given as an object or as its JSON text, read into a JSON value.
#[cfg(any(feature = "media", feature = "client"))]
pub fn parse_request(request: &JsValue) -> Result<Value, JsValue> {
    parse_text(&json_text(request, "request")?)
}

/// A request's JSON text, read into a JSON value that must be an object.
#[cfg(any(feature = "media", feature = "client"))]
fn parse_text(text: &str) -> Result<Value, JsValue> {
    let value = rules::parse_json(text).map_err(arg)?;
    if !value.is_object() {
        return Err(arg(ArgumentError::NotAnObject(crate::json::Doc::from_value(&value).root().type_name())));
    }
    Ok(value)
}

/// Provider and request together, as most exports take them.
#[cfg(feature = "media")]
pub fn parse_args(provider: &JsValue, request: &JsValue) -> Result<(Provider, Value), JsValue> {
    Ok((parse_provider(provider)?, parse_request(request)?))
}

/// Media facts from JS (`undefined`/`null`: none). Unknown keys at the top level are an
/// error (a misspelt `images` would otherwise silently verify nothing).
pub fn parse_media(media: &JsValue) -> Result<MediaFacts, JsValue> {
    if media.is_undefined() || media.is_null() {
        return Ok(MediaFacts::default());
    }
    let text = json_text(media, "media facts")?;
    let malformed = |e: &dyn std::fmt::Display| argument_error(&format!("media facts are malformed: {e}"));
    // The validator's own reader (serde's typed deserializer cost ~40 KB).
    MediaFacts::from_json_text(&text).map_err(|e| malformed(&e))
}

/// `options.locale` (`"en"` by default).
pub fn parse_locale(options: &JsValue) -> Result<Locale, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(Locale::En);
    }
    if !options.is_object() {
        return Err(argument_error("options must be an object such as { locale: \"zh\" }"));
    }
    let locale = js_sys::Reflect::get(options, &JsValue::from_str("locale")).unwrap_or(JsValue::UNDEFINED);
    if locale.is_undefined() || locale.is_null() {
        return Ok(Locale::En);
    }
    locale
        .as_string()
        .and_then(|s| Locale::parse(&s))
        .ok_or_else(|| argument_error("options.locale must be \"en\" or \"zh\""))
}

fn arg(e: ArgumentError) -> JsValue {
    argument_error(&e.to_string())
}

/// The message of a thrown JS value.
pub fn error_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "unknown error".into())
}

/// JSON text written here, as a JS value: one string across the boundary, one `JSON.parse`.
fn parse_json(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text).map_err(|_| argument_error("cannot convert the result"))
}

/// The report as the JS `Report` object, messages in the given locale: its JSON text written
/// in one pass (labels and messages rendered straight into it), then `JSON.parse`.
pub fn report_to_js(report: &Report, locale: Locale) -> Result<JsValue, JsValue> {
    parse_json(&crate::write::report_json(report, locale))
}

/// The JS `AllowedOptions` object.
fn allowed_to_js(o: &rules::options::AllowedOptions) -> Result<JsValue, JsValue> {
    use crate::write::{push_array, push_quoted, push_value};
    use rules::options::FieldUse;
    fn strings(out: &mut String, key: &str, items: &[&str]) {
        out.push_str(key);
        push_array(out, items, |out, s| push_quoted(out, s));
    }
    let mut out = String::with_capacity(1024);
    out.push_str("{\"scenario\":\"");
    out.push_str(o.scenario.as_str());
    out.push_str("\",\"duration\":");
    push_array(&mut out, &o.duration, push_value);
    strings(&mut out, ",\"aspect_ratio\":", &o.aspect_ratio);
    strings(&mut out, ",\"sound\":", &o.sound);
    strings(&mut out, ",\"frame_types\":", &o.frame_types);
    out.push_str(",\"fields\":{");
    for (i, (k, u)) in o.fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_quoted(&mut out, k);
        out.push_str(match u {
            FieldUse::Required => ":\"required\"",
            FieldUse::Allowed => ":\"allowed\"",
            FieldUse::Ignored => ":\"ignored\"",
            FieldUse::Unsupported => ":\"unsupported\"",
        });
    }
    out.push_str("}}");
    parse_json(&out)
}

/// A JSON value as a JS value.
fn value_to_js(v: &Value) -> Result<JsValue, JsValue> {
    let mut out = String::new();
    crate::write::push_value(&mut out, v);
    parse_json(&out)
}

/// Checks a request against every documented rule of its provider. An invalid request gives
/// a report (never throws); malformed arguments throw a `KlingArgumentError`.
#[wasm_bindgen(js_name = validate, unchecked_return_type = "Report")]
pub fn validate_js(
    #[wasm_bindgen(unchecked_param_type = "Provider")] provider: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestInput")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MediaFacts | null")] media: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "ValidateOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let provider = parse_provider(&provider)?;
    let media = media.unwrap_or(JsValue::UNDEFINED);
    let report = validate_input(provider, &request, || parse_media(&media))?;
    let locale = parse_locale(&options.unwrap_or(JsValue::UNDEFINED))?;
    report_to_js(&report.map_err(arg)?, locale)
}

/// The report of a request given as an object or as its JSON text, read in one pass (no
/// tree), the same reading for both; a long Base64 image crosses as its summary
/// (`super::long`), anything else as its whole text. `media` runs once the request's text is
/// taken (the order of the argument errors). `Err`: the request could not be serialised, or
/// `media` failed; `Ok(Err(_))`: the text is not a JSON object.
///
/// The object's text crosses as `JSON.stringify` and wasm-bindgen's string copy. Measured
/// against one call into a JS snippet that probes for long strings, stringifies and encodes
/// the text straight into a scratch buffer in wasm memory (`TextEncoder.encodeInto`): no
/// faster in a Chromium Worker (within 0.3 µs either way on the bench's requests: V8 there
/// copies the strings as fast, and `JSON.stringify` is most of the object's extra cost),
/// 0.8 µs faster per valid object in Node 20, and 1.7 KB gzip more: not taken.
pub fn validate_input(
    provider: Provider,
    request: &JsValue,
    media: impl FnOnce() -> Result<MediaFacts, JsValue>,
) -> Result<Result<Report, ArgumentError>, JsValue> {
    let (text, markers) = match super::long::stringify(request) {
        None => (json_text(request, "request")?, None),
        Some(text) => {
            let (text, markers) = text?;
            (text, Some(markers))
        }
    };
    let facts = media()?;
    let long = markers.as_ref().map(|m| m as &dyn rules::long::LongStrings);
    Ok(rules::validate_text_with(provider, &text, &facts, long))
}

/// The choices a form should offer for the request's current scenario.
#[wasm_bindgen(js_name = allowedOptions, unchecked_return_type = "AllowedOptions")]
pub fn allowed_options_js(
    #[wasm_bindgen(unchecked_param_type = "Provider")] provider: JsValue,
    #[wasm_bindgen(unchecked_param_type = "RequestInput")] request: JsValue,
) -> Result<JsValue, JsValue> {
    let provider = parse_provider(&provider)?;
    let text = json_text(&request, "request")?;
    allowed_to_js(&rules::options::allowed_options_json(provider, &text).map_err(arg)?)
}

/// A starting request with the documented defaults; only the prompt is left to fill in.
/// `options.model` picks one of the provider's models (`kling`: `"kling-v3-omni"`).
/// Typed by the overloads in `TS_VALIDATE` (one return type per provider and model).
#[wasm_bindgen(js_name = defaults, skip_typescript)]
pub fn defaults_js(provider: JsValue, options: Option<JsValue>) -> Result<JsValue, JsValue> {
    let provider = parse_provider(&provider)?;
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let model = if options.is_undefined() || options.is_null() {
        None
    } else if options.is_object() {
        let m = js_sys::Reflect::get(&options, &JsValue::from_str("model")).unwrap_or(JsValue::UNDEFINED);
        match (m.is_undefined() || m.is_null(), m.as_string()) {
            (true, _) => None,
            (false, Some(m)) => Some(m),
            (false, None) => return Err(argument_error("options.model must be a string")),
        }
    } else {
        return Err(argument_error("options must be an object such as { model: \"kling-v3-omni\" }"));
    };
    let value = rules::options::defaults(provider, model.as_deref()).ok_or_else(|| {
        let names: Vec<String> = provider.description().model_names().map(|m| format!("\"{m}\"")).collect();
        argument_error(&format!("provider \"{provider}\" takes the model {}", names.join(" or ")))
    })?;
    value_to_js(&value)
}

/// The issues a JS selection names, by code and path: a report (`errors` and `warnings`), an
/// array of issues, or one issue. `undefined`/`null`: every issue (`None`).
fn parse_selection(selection: &JsValue) -> Result<Option<Vec<(crate::report::Code, crate::report::Path)>>, JsValue> {
    use crate::report::{Code, PathSeg};
    if selection.is_undefined() || selection.is_null() {
        return Ok(None);
    }
    let bad = || argument_error("issues must be a report, an array of issues or one issue (each with code and path)");
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let mut items: Vec<JsValue> = Vec::new();
    if js_sys::Array::is_array(selection) {
        items.extend(js_sys::Array::from(selection).iter());
    } else if !selection.is_object() {
        return Err(bad());
    } else if get(selection, "code").is_undefined() {
        for list in ["errors", "warnings"] {
            let l = get(selection, list);
            if !l.is_undefined() && !l.is_null() {
                if !js_sys::Array::is_array(&l) {
                    return Err(bad());
                }
                items.extend(js_sys::Array::from(&l).iter());
            }
        }
    } else {
        items.push(selection.clone());
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if !item.is_object() {
            return Err(bad());
        }
        let code = get(&item, "code").as_string().ok_or_else(bad)?;
        let path = get(&item, "path");
        if !js_sys::Array::is_array(&path) {
            return Err(bad());
        }
        let mut segs = Vec::new();
        for seg in js_sys::Array::from(&path).iter() {
            if let Some(k) = seg.as_string() {
                segs.push(PathSeg::from(k));
            } else if let Some(n) = seg.as_f64().filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < 4294967296.0) {
                segs.push(PathSeg::Index(n as usize));
            } else {
                return Err(bad());
            }
        }
        // A code this version does not know fixes nothing (a report from a newer version).
        if let Some(code) = Code::from_name(&code) {
            out.push((code, segs));
        }
    }
    Ok(Some(out))
}

/// Carries out the fixes of a request's issues: the fixed request (a new object) and the fixes
/// applied. The fixes are those of validating the request now; `issues` only selects which.
/// The edits are made on `JSON.parse` of the request's JSON text, so the new object keeps
/// the order of its keys (serde_json's map would sort them). Typed in `TS_VALIDATE`.
#[wasm_bindgen(js_name = applyFixes, skip_typescript)]
pub fn apply_fixes_js(provider: JsValue, request: JsValue, issues: Option<JsValue>) -> Result<JsValue, JsValue> {
    let provider = parse_provider(&provider)?;
    let text = json_text(&request, "request")?;
    let only = parse_selection(&issues.unwrap_or(JsValue::UNDEFINED))?;
    let applied = rules::fixes::plan_fixes_json(provider, &text, only.as_deref()).map_err(arg)?;
    let fixed = js_sys::JSON::parse(&text).map_err(|_| argument_error("request is not valid JSON"))?;
    for a in &applied {
        edit_js(&fixed, &a.fix)?;
    }
    // `[{code, op, path, value?}]`.
    let mut list = String::new();
    crate::write::push_array(&mut list, &applied, |list, a| {
        list.push_str("{\"code\":\"");
        list.push_str(a.code.as_str());
        list.push_str("\",");
        crate::write::push_fix_fields(list, &a.fix);
        list.push('}');
    });
    let result = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&result, &JsValue::from_str(k), v);
    set("request", &fixed)?;
    set("applied", &parse_json(&list)?)?;
    Ok(result.into())
}

/// One edit on a JS value parsed from the same JSON text as the value `apply_fixes` edited
/// (so every place on the path is there).
fn edit_js(root: &JsValue, fix: &crate::report::Fix) -> Result<(), JsValue> {
    use crate::report::{FixOp, PathSeg};
    let key = |seg: &PathSeg| match seg {
        PathSeg::Key(k) => JsValue::from_str(k),
        PathSeg::Index(i) => JsValue::from_f64(*i as f64),
    };
    let Some((last, parents)) = fix.path.split_last() else { return Ok(()) };
    let mut at = root.clone();
    for seg in parents {
        at = js_sys::Reflect::get(&at, &key(seg))?;
    }
    let target: js_sys::Object = at.unchecked_into();
    match (fix.op, &fix.value) {
        (FixOp::Replace, Some(v)) => {
            js_sys::Reflect::set(&target, &key(last), &value_to_js(v)?)?;
        }
        _ => {
            js_sys::Reflect::delete_property(&target, &key(last))?;
        }
    }
    Ok(())
}
