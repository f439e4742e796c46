//! Fields with a documented set of values or a simple form: the model name, `mode`,
//! `keep_original_sound`, the watermark switch, `callback_url`, `external_task_id`; and the
//! `unknown_field` warnings for names the provider's documents do not give.

use super::loc::Loc;
use super::view::{get, want_bool, want_str, wrong_type, View};
use super::Ctx;
use crate::json::{Json, Obj};
use crate::provider::{Layout, Watermark};
use crate::report::{short, Code, Issue};

const IMAGE_ITEM: &[&str] = &["image_url", "type"];
const ELEMENT_ITEM: &[&str] = &["element_id"];
const VIDEO_ITEM: &[&str] = &["video_url", "refer_type", "keep_original_sound"];
const WATERMARK_INFO: &[&str] = &["enabled"];
/// The documented keys of a V3 shot (`multi_prompt[i]`).
pub const SHOT_ITEM: &[&str] = &["index", "prompt", "duration"];

pub use crate::provider::MODES;
/// The documented `keep_original_sound` values.
pub const KEEP_SOUND: &[&str] = &["yes", "no"];

/// Runs the field checks.
pub fn check(cx: &mut Ctx, v: &View) {
    unknown_fields(cx, v);
    model(cx, v);
    if let Some(mode) = v.param("mode") {
        one_of(cx, mode, cx.field("mode"), MODES);
    }
    for video in &v.videos {
        if let Some(k) = video.obj.and_then(|o| get(o, "keep_original_sound")) {
            one_of(cx, k, video.path().key("keep_original_sound"), KEEP_SOUND);
        }
    }
    watermark(cx, v);
    if cx.rules.callback {
        if let Some(cb) = v.param("callback_url") {
            let path = cx.field("callback_url");
            if let Some(s) = want_str(cx, cb, path) {
                // R2: `""` counts as absent (Kling's own examples send `"callback_url": ""`).
                if !s.is_empty() && !super::media::is_http_url(s) {
                    cx.push(Issue::new(Code::CallbackUrlInvalid, path.path()).with("actual", short(s)));
                }
            }
        }
    }
    if let Some(id) = v.param("external_task_id") {
        let path = cx.field("external_task_id");
        if let Some(s) = want_str(cx, id, path) {
            // R2: `""` counts as absent (Kling's own examples send `"external_task_id": ""`);
            // only a whitespace-only id is a fault.
            if !s.is_empty() && s.chars().all(char::is_whitespace) {
                cx.push(Issue::new(Code::ExternalTaskIdInvalid, path.path()).fix_by_removing());
            }
        }
    }
}

/// Checks a string against its documented set: `invalid_type` or `invalid_value`.
/// Values are case-sensitive (`"PRO"` is not `"pro"`). Returns the value when it is valid.
pub fn one_of<'a>(cx: &mut Ctx, v: Json<'a>, path: Loc, allowed: &[&str]) -> Option<&'a str> {
    let s = want_str(cx, v, path)?;
    if allowed.contains(&s) {
        Some(s)
    } else {
        invalid_value(cx, path, allowed, s);
        None
    }
}

/// Reports `invalid_value` with the allowed set and the actual value.
pub fn invalid_value(cx: &mut Ctx, path: Loc, allowed: &[&str], actual: &str) {
    cx.push(
        Issue::new(Code::InvalidValue, path.path()).with("allowed", allowed.to_vec()).with("actual", short(actual)),
    );
}

fn model(cx: &mut Ctx, v: &View) {
    let key = cx.desc.model_key;
    let path = Loc::ROOT.key(key);
    match get(v.root, key) {
        None if cx.desc.model_required => cx.report(Code::Required, path),
        None => {}
        Some(m) => {
            let Some(s) = want_str(cx, m, path) else { return };
            if cx.desc.model_names().all(|name| name != s) {
                let allowed: Vec<&str> = cx.desc.model_names().collect();
                let mut issue =
                    Issue::new(Code::InvalidValue, path.path()).with("allowed", allowed).with("actual", short(s));
                // R2: a model another provider takes; the message names that provider.
                // Those that take this body as it is (the same layout) first.
                let mut served_by = crate::model::providers_of_model(s);
                let other_layout = |p: &crate::model::Provider| p.description().layout != cx.desc.layout;
                crate::report::sort_small(&mut served_by, |a, b| !other_layout(a) && other_layout(b));
                if !served_by.is_empty() {
                    issue = issue.with("served_by", served_by.iter().map(|p| p.as_str()).collect::<Vec<_>>());
                }
                cx.push(issue);
            }
        }
    }
}

fn watermark(cx: &mut Ctx, v: &View) {
    match cx.rules.watermark {
        Watermark::Info => {
            let Some(w) = v.param("watermark_info") else { return };
            let path = cx.field("watermark_info");
            match w {
                Json::Object(m) => {
                    if let Some(e) = get(m, "enabled") {
                        want_bool(cx, e, path.key("enabled"));
                    }
                }
                other => wrong_type(cx, path, "object", other),
            }
        }
        Watermark::Enabled => {
            if let Some(w) = v.param("watermark_enabled") {
                want_bool(cx, w, cx.field("watermark_enabled"));
            }
        }
    }
}

fn unknown_fields(cx: &mut Ctx, v: &View) {
    let rules = cx.rules;
    match cx.desc.layout {
        Layout::Flat => unknown_in(cx, v.root, Loc::ROOT, rules.fields),
        Layout::Nested => {
            unknown_in(cx, v.root, Loc::ROOT, &[cx.desc.model_key, "input", "parameters"]);
            if let Some(i) = v.input {
                unknown_in(cx, i, Loc::ROOT.key("input"), rules.input_fields);
            }
            if let Some(p) = v.params {
                unknown_in(cx, p, Loc::ROOT.key("parameters"), rules.fields);
            }
        }
    }
    if rules.watermark == Watermark::Info {
        if let Some(Json::Object(w)) = v.param("watermark_info") {
            unknown_in(cx, w, cx.field("watermark_info"), WATERMARK_INFO);
        }
    }
    for e in v.elements.iter() {
        if let Json::Object(m) = e.item {
            unknown_in(cx, m, e.path(), ELEMENT_ITEM);
        }
    }
    for img in v.images.iter() {
        if let Some(m) = img.obj {
            unknown_in(cx, m, img.path(), IMAGE_ITEM);
        }
    }
    for video in v.videos.iter() {
        if let Some(m) = video.obj {
            unknown_in(cx, m, video.path(), VIDEO_ITEM);
        }
    }
}

/// Warns about each key of `obj` that is not in `known`, in the order of the keys' bytes, a
/// key written twice once (as a JSON object reads: the last value stands).
pub fn unknown_in(cx: &mut Ctx, obj: Obj, base: Loc, known: &[&str]) {
    // Nothing is collected unless a key is unknown: the valid request allocates nothing.
    // Each unknown key with its place, so that a key written twice keeps its last value.
    let mut unknown: Vec<(&str, usize, bool)> = Vec::new();
    for (at, (key, value)) in obj.iter().enumerate() {
        if !known.contains(&key) {
            unknown.push((key, at, value.is_null()));
        }
    }
    if unknown.is_empty() {
        return;
    }
    // By key, then by place: O(n log n) whatever the request holds.
    crate::report::heap_sort(&mut unknown, |a, b| (a.0, a.1) < (b.0, b.1));
    for (i, &(key, _, null)) in unknown.iter().enumerate() {
        // The last of a repeated key stands; `null` counts as absent, for unknown fields too.
        if unknown.get(i + 1).is_some_and(|next| next.0 == key) || null {
            continue;
        }
        cx.push(
            Issue::new(Code::UnknownField, base.key_of(key).path())
                .with("field", short(key))
                .with("provider", cx.provider.as_str()),
        );
    }
}
