//! `aspect_ratio`, `duration` and `sound`: what each scenario requires, accepts or ignores,
//! as the model's [`Rules`] describe it.

use super::fields::one_of;
use super::loc::Loc;
use super::view::{want_int_fixable, want_int_string, want_str, View};
use super::Ctx;
use crate::provider::{AspectRatioRule, Domain, DurationType, Rules};
use crate::report::short;
use crate::report::{Code, Issue, Scenario};

pub use crate::provider::{ASPECT_RATIOS, SOUNDS};

/// Runs the checks.
pub fn check(cx: &mut Ctx, v: &View, scenario: Scenario) {
    aspect_ratio(cx, v, scenario);
    duration(cx, v, scenario);
    if let (Some(values), Some(s)) = (cx.rules.sound, v.param("sound")) {
        let path = cx.field("sound");
        if one_of(cx, s, path, values) == Some("on") && !v.videos.is_empty() {
            cx.report(Code::SoundWithVideo, path);
        }
    }
}

/// How `aspect_ratio` stands in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AspectUse {
    /// Must be present.
    Required,
    /// May be present.
    Allowed,
    /// Present is an error (O1 with a frame image, `"frame"`, or in a `"video_edit"`).
    Unsupported(&'static str),
    /// Present is ignored (`kling-v3-omni` with a frame image or in a video edit).
    Ignored(&'static str),
    /// Not checked (a model the provider does not take, where its models disagree).
    Unchecked,
}

/// How `aspect_ratio` stands in this request, by the model's rule: with a frame image or in
/// a video edit the rules differ; everywhere else it is required.
pub fn aspect_use(rules: &Rules, v: &View, scenario: Scenario) -> AspectUse {
    let edit = scenario == Scenario::VideoEdit;
    let reason = if edit {
        Some("video_edit")
    } else if v.has_frame() {
        Some("frame")
    } else {
        None
    };
    match (rules.aspect_ratio, reason) {
        (AspectRatioRule::RequiredExceptEdit, _) if edit => AspectUse::Allowed,
        (_, None) | (AspectRatioRule::RequiredExceptEdit, _) => AspectUse::Required,
        (AspectRatioRule::UnsupportedWithFrameOrEdit, Some(r)) => AspectUse::Unsupported(r),
        (AspectRatioRule::IgnoredWithFrameOrEdit, Some(r)) => AspectUse::Ignored(r),
        (AspectRatioRule::UncheckedWithFrameOrEdit, Some(_)) => AspectUse::Unchecked,
    }
}

fn aspect_ratio(cx: &mut Ctx, v: &View, scenario: Scenario) {
    let path = cx.field("aspect_ratio");
    match (v.param("aspect_ratio"), aspect_use(cx.rules, v, scenario)) {
        // Present where not supported: this one fault, whatever the value (fine points).
        (Some(_), AspectUse::Unsupported(reason)) => {
            cx.push(Issue::new(Code::AspectRatioNotSupported, path.path()).with("reason", reason).fix_by_removing())
        }
        // Ignored: its type check and the warning, nothing else.
        (Some(a), AspectUse::Ignored(reason)) => {
            want_str(cx, a, path);
            cx.push(
                Issue::new(Code::FieldIgnored, path.path()).with("reason", aspect_reason(reason)).fix_by_removing(),
            );
        }
        (Some(a), AspectUse::Required | AspectUse::Allowed) => {
            one_of(cx, a, path, ASPECT_RATIOS);
        }
        (None, AspectUse::Required) => {
            cx.push(Issue::new(Code::AspectRatioRequired, path.path()).with("allowed", ASPECT_RATIOS.to_vec()))
        }
        _ => {}
    }
}

/// The `field_ignored` reason of an ignored `aspect_ratio`.
fn aspect_reason(reason: &'static str) -> &'static str {
    if reason == "frame" {
        "aspect_ratio_from_frame"
    } else {
        "aspect_ratio_from_video"
    }
}

/// A whole number written as decimal digits with no sign, leading zero, space or fraction
/// (`"05"`, `" 5"`, `"5.0"` are not). Saturates on absurd lengths.
pub fn int_string(s: &str) -> Option<u64> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !(s.len() > 1 && s.starts_with('0'));
    ok.then(|| s.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0'))))
}

/// The `duration` values this request accepts, in seconds; `None` where it is ignored (a
/// video edit).
///
/// Revision 2: O1's short list (`"5"`/`"10"`) holds only in `text_to_video` and with a first
/// frame alone (one `first_frame` image, no other image, no element, no video); first + end
/// frames, a first frame with references or elements, an end frame alone, references and
/// `feature` videos take the whole range (Kling's O1 FAQ: "文生/图生（不含首尾帧）：可选
/// 5s/10s … 其他情况：可选 3-10s"). See docs/rules.md, `duration_out_of_range`.
pub fn durations(rules: &Rules, v: &View, scenario: Scenario) -> Option<Domain> {
    let short = scenario == Scenario::TextToVideo || v.first_frame_alone();
    rules.duration.domain(scenario == Scenario::VideoEdit, short, v.has_feature_video())
}

fn duration(cx: &mut Ctx, v: &View, scenario: Scenario) {
    let Some(d) = v.param("duration") else { return };
    let path = cx.field("duration");
    let accepted = durations(cx.rules, v, scenario);
    // The type is checked even where the value is ignored.
    match cx.rules.duration.kind {
        DurationType::String => {
            let s = want_int_string(cx, d, path);
            match (accepted, s) {
                (None, _) => ignored(cx, path),
                (Some(allowed), Some(s)) => {
                    if !int_string(s).is_some_and(|n| allowed.contains(n)) {
                        let mut issue = Issue::new(Code::DurationOutOfRange, path.path())
                            .with("actual", short(s))
                            .with("allowed", allowed.values().iter().map(u64::to_string).collect::<Vec<_>>());
                        // A range gives its bounds too (a short list speaks for itself).
                        if !allowed.is_list() {
                            let (min, max) = allowed.bounds();
                            issue = issue.with("min", min).with("max", max);
                        }
                        cx.push(issue);
                    }
                }
                (Some(_), None) => {}
            }
        }
        DurationType::Integer => {
            let n = want_int_fixable(cx, d, path);
            match (accepted, n) {
                (None, _) => ignored(cx, path),
                (Some(allowed), Some(n)) if !u64::try_from(n).is_ok_and(|n| allowed.contains(n)) => {
                    let (min, max) = allowed.bounds();
                    cx.push(
                        Issue::new(Code::DurationOutOfRange, path.path())
                            .with("actual", n)
                            .with("min", min)
                            .with("max", max),
                    )
                }
                _ => {}
            }
        }
    }
}

fn ignored(cx: &mut Ctx, path: Loc) {
    cx.push(Issue::new(Code::FieldIgnored, path.path()).with("reason", "video_edit").fix_by_removing());
}
