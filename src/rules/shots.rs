//! Multi-shot (the V3 gateway, `kling-v3-omni`): `multi_shot`, `shot_type`, `multi_prompt` (1–6 shots, indexes 1…n, prompts
//! of at most 512 characters, integer-string durations of at least 1 s that add up to the
//! total duration).

use super::fields::{one_of, unknown_in, SHOT_ITEM};
use super::loc::Loc;
use super::params::int_string;
use super::text::{is_blank, length, placeholders, SHOT_PROMPT_MAX};
use super::view::{as_int, get, want_bool, want_int_fixable, want_int_string, want_str, wrong_type, View};
use super::Ctx;
use crate::json::Json;
use crate::provider::DurationType;
use crate::report::{Code, Issue, Scenario};

/// The documented `shot_type` values.
pub const SHOT_TYPES: &[&str] = &["customize"];
/// At most this many shots.
pub const MAX_SHOTS: usize = 6;

/// Runs the multi-shot checks, where the model documents multi-shot (elsewhere these names
/// are unknown fields, or not checked for a model the provider does not take).
pub fn check(cx: &mut Ctx, v: &View, scenario: Scenario) {
    if !cx.rules.multi_shot {
        return;
    }
    if let Some(m) = v.param("multi_shot") {
        want_bool(cx, m, cx.field("multi_shot"));
    }
    let shot_type_path = cx.field("shot_type");
    let multi_prompt_path = cx.field("multi_prompt");
    let shot_type = v.param("shot_type");
    let multi_prompt = v.param("multi_prompt");

    if !v.multi_shot {
        // "为 false 时 shot_type 和 multi_prompt 无效": ignored; only their type is checked.
        if let Some(t) = shot_type {
            want_str(cx, t, shot_type_path);
            cx.push(
                Issue::new(Code::FieldIgnored, shot_type_path.path())
                    .with("reason", "multi_shot_off")
                    .fix_by_removing(),
            );
        }
        if let Some(p) = multi_prompt {
            if !p.is_array() {
                wrong_type(cx, multi_prompt_path, "array", p);
            }
            cx.push(
                Issue::new(Code::FieldIgnored, multi_prompt_path.path())
                    .with("reason", "multi_shot_off")
                    .fix_by_removing(),
            );
        }
        return;
    }

    let customize = match shot_type {
        None => {
            cx.report(Code::ShotTypeRequired, shot_type_path);
            false
        }
        Some(t) => one_of(cx, t, shot_type_path, SHOT_TYPES) == Some("customize"),
    };
    let shots = match multi_prompt {
        None => None,
        Some(Json::Array(items)) => Some(items),
        Some(other) => {
            wrong_type(cx, multi_prompt_path, "array", other);
            return;
        }
    };
    let count = shots.map_or(0, |s| s.len());
    if count == 0 {
        if customize {
            cx.report(Code::MultiPromptRequired, multi_prompt_path);
        }
        return;
    }
    if count > MAX_SHOTS {
        cx.push(
            Issue::new(Code::MultiPromptCount, multi_prompt_path.path()).with("limit", MAX_SHOTS).with("actual", count),
        );
    }

    // The total the shots must add up to: `duration`, or 5 when absent. Decision: when
    // `duration` has the wrong type (already reported) or the request is a video edit (its
    // length is the input video's), the total is unknown and the sum is not checked.
    let total = match (v.param("duration"), cx.rules.duration.kind) {
        (None, _) => i64::try_from(cx.rules.duration.default).ok(),
        (Some(d), DurationType::Integer) => as_int(d),
        (Some(d), DurationType::String) => d.as_str().and_then(int_string).and_then(|n| i64::try_from(n).ok()),
    }
    .filter(|_| scenario != Scenario::VideoEdit);

    let mut sum: Option<u64> = Some(0);
    for (i, shot) in shots.into_iter().flat_map(|s| s.iter()).enumerate() {
        let path = multi_prompt_path.index(i);
        let Json::Object(obj) = shot else {
            wrong_type(cx, path, "object", shot);
            sum = None;
            continue;
        };
        unknown_in(cx, obj, path, SHOT_ITEM);
        index(cx, get(obj, "index"), path, i + 1);
        shot_prompt(cx, v, get(obj, "prompt"), path);
        let d = shot_duration(cx, get(obj, "duration"), path, total);
        sum = match (sum, d) {
            (Some(s), Some(d)) => Some(s.saturating_add(d)),
            _ => None,
        };
    }
    if let (Some(sum), Some(total)) = (sum, total) {
        if i64::try_from(sum).ok() != Some(total) {
            cx.push(
                Issue::new(Code::ShotDurationSum, multi_prompt_path.path()).with("expected", total).with("actual", sum),
            );
        }
    }
}

fn index(cx: &mut Ctx, index: Option<Json>, shot: Loc, expected: usize) {
    let path = shot.key("index");
    let Some(index) = index else {
        cx.report(Code::Required, path);
        return;
    };
    if let Some(n) = want_int_fixable(cx, index, path) {
        if i64::try_from(expected).ok() != Some(n) {
            cx.push(Issue::new(Code::ShotIndex, path.path()).with("expected", expected).with("actual", n));
        }
    }
}

fn shot_prompt(cx: &mut Ctx, v: &View, prompt: Option<Json>, shot: Loc) {
    let path = shot.key("prompt");
    let Some(prompt) = prompt else {
        cx.report(Code::Required, path);
        return;
    };
    if let Some(p) = want_str(cx, prompt, path) {
        if is_blank(p) {
            cx.report(Code::PromptRequired, path);
        } else {
            length(cx, p, path, SHOT_PROMPT_MAX);
            placeholders(cx, v, p, path);
        }
    }
}

/// Checks one shot's duration; returns it when well-formed (an integer string), so the sum
/// is taken only when every shot's duration is.
fn shot_duration(cx: &mut Ctx, d: Option<Json>, shot: Loc, total: Option<i64>) -> Option<u64> {
    let path = shot.key("duration");
    let Some(d) = d else {
        cx.report(Code::Required, path);
        return None;
    };
    let s = want_int_string(cx, d, path)?;
    let n = int_string(s);
    let max = total.and_then(|t| u64::try_from(t).ok());
    let ok = n.is_some_and(|n| n >= 1 && max.is_none_or(|m| n <= m));
    if !ok {
        let mut issue =
            Issue::new(Code::ShotDuration, path.path()).with("actual", crate::report::short(s)).with("min", 1);
        if let Some(m) = max {
            issue = issue.with("max", m);
        }
        cx.push(issue);
    }
    n
}
