//! Kling V3 Omni on its task gateway: `model`/`input`/`parameters` at
//! `POST /v1/tasks/submit`, one model (`kling-v3-omni`), `output`-shaped answers.

use super::{Answers, AspectRatioRule, Auth, Description, Duration, DurationType, Layout, QueryPath, Rules};
use super::{Watermark, SOUNDS};
use crate::model::{v3, Provider};

/// The documented keys of `parameters`.
pub const FIELDS: &[&str] = &[
    "mode",
    "aspect_ratio",
    "duration",
    "sound",
    "multi_shot",
    "shot_type",
    "multi_prompt",
    "image_list",
    "video_list",
    "watermark_enabled",
    "external_task_id",
];
/// The documented keys of `input`.
pub const INPUT_FIELDS: &[&str] = &["prompt", "negative_prompt"];

/// V3's `duration`: an integer 3–15, 3–10 with a `feature` video, default 5.
pub const DURATION: Duration = Duration {
    kind: DurationType::Integer,
    range: (3, 15),
    with_feature_video: Some((3, 10)),
    short_list: None,
    default: 5,
};

/// The rules of `kling-v3-omni` on the V3 gateway. It documents no `element_list`: an
/// unknown field there, not counted toward the reference limit.
pub static RULES: Rules = Rules {
    model: v3::MODEL,
    fields: FIELDS,
    input_fields: INPUT_FIELDS,
    elements: None,
    negative_prompt: true,
    duration: DURATION,
    sound: Some(SOUNDS),
    multi_shot: true,
    aspect_ratio: AspectRatioRule::RequiredExceptEdit,
    watermark: Watermark::Enabled,
    callback: false,
};

/// The V3 gateway.
pub static DESCRIPTION: Description = Description {
    provider: Provider::V3,
    name: "v3",
    title: "Kling V3 Omni (task gateway)",
    label: ("the V3 gateway", "V3 网关"),
    layout: Layout::Nested,
    model_key: "model",
    model_required: true,
    models: &[&RULES],
    unknown_model: &RULES,
    default_base_url: Some(v3::DEFAULT_BASE_URL),
    create_path: v3::SUBMIT_PATH,
    query_path: QueryPath::TaskIdParam(v3::STATUS_PATH),
    list_path: None,
    query_by_external_id: false,
    auth: Auth::BareKey,
    answers: Answers::Output,
};
