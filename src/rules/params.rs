//! `aspect_ratio`, `duration` and `sound`: what each scenario requires, accepts or ignores.

use super::fields::one_of;
use super::view::{want_int, want_str, Frame, View};
use super::Ctx;
use crate::model::Provider;
use crate::report::{Code, Issue, Scenario};

/// The documented aspect ratios.
pub const ASPECT_RATIOS: &[&str] = &["16:9", "9:16", "1:1"];
/// The documented V3 `sound` values.
pub const SOUNDS: &[&str] = &["on", "off"];
/// O1 `duration` bounds (seconds).
pub const O1_DURATION: (u64, u64) = (3, 10);
/// O1 durations allowed in text-to-video and with a first frame alone (R2).
pub const O1_DURATION_SHORT_LIST: &[&str] = &["5", "10"];
/// O1 durations allowed everywhere else but a video edit: `"3"`…`"10"`.
pub const O1_DURATION_RANGE: &[&str] = &["3", "4", "5", "6", "7", "8", "9", "10"];
/// V3 `duration` bounds (seconds).
pub const V3_DURATION: (i64, i64) = (3, 15);
/// V3 `duration` bounds with a feature-reference video.
pub const V3_DURATION_VIDEO_REFERENCE: (i64, i64) = (3, 10);
/// V3's default duration, used to check shot sums.
pub const V3_DEFAULT_DURATION: i64 = 5;

/// Runs the checks.
pub fn check(cx: &mut Ctx, v: &View, scenario: Scenario) {
    aspect_ratio(cx, v, scenario);
    duration(cx, v, scenario);
    if cx.provider == Provider::V3 {
        if let Some(s) = v.param("sound") {
            let path = cx.field("sound");
            if one_of(cx, s, path.clone(), SOUNDS) == Some("on") && !v.videos.is_empty() {
                cx.report(Code::SoundWithVideo, path);
            }
        }
    }
}

/// Whether this request may carry `aspect_ratio`: `Some(reason)` when it is not supported.
/// O1: not with a frame image or in a video edit. V3: always supported.
pub fn aspect_ratio_unsupported(provider: Provider, v: &View, scenario: Scenario) -> Option<&'static str> {
    if provider != Provider::O1 {
        None
    } else if scenario == Scenario::VideoEdit {
        Some("video_edit")
    } else if v.has_frame() {
        Some("frame")
    } else {
        None
    }
}

/// Whether this request must carry `aspect_ratio`: everywhere it is supported but a V3
/// video edit.
pub fn aspect_ratio_required(provider: Provider, v: &View, scenario: Scenario) -> bool {
    match provider {
        Provider::O1 => aspect_ratio_unsupported(provider, v, scenario).is_none(),
        Provider::V3 => scenario != Scenario::VideoEdit,
    }
}

fn aspect_ratio(cx: &mut Ctx, v: &View, scenario: Scenario) {
    let path = cx.field("aspect_ratio");
    match (v.param("aspect_ratio"), aspect_ratio_unsupported(cx.provider, v, scenario)) {
        // Present where not supported: this one fault, whatever the value (SPEC, fine points).
        (Some(_), Some(reason)) => cx.push(Issue::new(Code::AspectRatioNotSupported, path).with("reason", reason)),
        (Some(a), None) => {
            one_of(cx, a, path, ASPECT_RATIOS);
        }
        (None, _) if aspect_ratio_required(cx.provider, v, scenario) => {
            cx.push(Issue::new(Code::AspectRatioRequired, path).with("allowed", ASPECT_RATIOS.to_vec()))
        }
        (None, _) => {}
    }
}

/// A whole number written as decimal digits with no sign, leading zero, space or fraction
/// (`"05"`, `" 5"`, `"5.0"` are not). Saturates on absurd lengths.
pub fn int_string(s: &str) -> Option<u64> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !(s.len() > 1 && s.starts_with('0'));
    ok.then(|| s.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0'))))
}

/// O1 durations accepted by this request; `None` when ignored (a video edit).
///
/// Revision 2 of the rules (docs/rules.md, "O1 durations"): only `"5"`/`"10"` in
/// `text_to_video` and with a first frame alone (one `first_frame` image, no other image,
/// no element, no video): Kling's O1 FAQ says "文生/图生（不含首尾帧）：可选 5s/10s … 其他情况：
/// 可选 3-10s". First + end frames, a first frame with reference images or elements, an end
/// frame alone, references and `feature` videos take `"3"`…`"10"`.
pub fn o1_durations(v: &View, scenario: Scenario) -> Option<&'static [&'static str]> {
    match scenario {
        Scenario::VideoEdit => None,
        Scenario::TextToVideo => Some(O1_DURATION_SHORT_LIST),
        Scenario::FirstFrame if first_frame_alone(v) => Some(O1_DURATION_SHORT_LIST),
        _ => Some(O1_DURATION_RANGE),
    }
}

/// One `first_frame` image and nothing else: no other image, no element, no video.
pub fn first_frame_alone(v: &View) -> bool {
    matches!(v.images.as_slice(), [only] if only.frame == Frame::First) && v.elements.is_empty() && v.videos.is_empty()
}

/// V3 duration bounds in this scenario; `None` when ignored.
pub fn v3_durations(scenario: Scenario) -> Option<(i64, i64)> {
    match scenario {
        Scenario::VideoEdit => None,
        Scenario::VideoReference => Some(V3_DURATION_VIDEO_REFERENCE),
        _ => Some(V3_DURATION),
    }
}

fn duration(cx: &mut Ctx, v: &View, scenario: Scenario) {
    let Some(d) = v.param("duration") else { return };
    let path = cx.field("duration");
    // The type is checked even where the value is ignored.
    match cx.provider {
        Provider::O1 => {
            let s = want_str(cx, d, path.clone());
            match (o1_durations(v, scenario), s) {
                (None, _) => ignored(cx, path),
                (Some(allowed), Some(s)) => {
                    if !int_string(s).is_some_and(|n| allowed.iter().any(|a| int_string(a) == Some(n))) {
                        let mut issue = Issue::new(Code::DurationOutOfRange, path)
                            .with("actual", super::fields::short(s))
                            .with("allowed", allowed.to_vec());
                        if allowed.len() > 2 {
                            issue = issue.with("min", O1_DURATION.0).with("max", O1_DURATION.1);
                        }
                        cx.push(issue);
                    }
                }
                (Some(_), None) => {}
            }
        }
        Provider::V3 => {
            let n = want_int(cx, d, path.clone());
            match (v3_durations(scenario), n) {
                (None, _) => ignored(cx, path),
                (Some((min, max)), Some(n)) if !(min..=max).contains(&n) => cx.push(
                    Issue::new(Code::DurationOutOfRange, path).with("actual", n).with("min", min).with("max", max),
                ),
                _ => {}
            }
        }
    }
}

fn ignored(cx: &mut Ctx, path: crate::report::Path) {
    cx.push(Issue::new(Code::FieldIgnored, path).with("reason", "video_edit"));
}
