//! Kling's own API (`kling`): the flat body at `POST /v1/videos/omni-video` for two models,
//! `kling-video-o1` (O1's rules, unchanged) and `kling-v3-omni` (O1's fields plus `sound` and
//! multi-shot, string durations up to 15 s); JWT authentication; task list.

use super::{Answers, AspectRatioRule, Auth, Description, Duration, DurationType, Layout, QueryPath, Rules};
use super::{Watermark, SOUNDS};
use crate::model::Provider;

/// The create path (and, with `/{id}`, the query path; with `?pageNum=&pageSize=`, the list).
pub const PATH: &str = "/v1/videos/omni-video";
/// The international host.
pub const SINGAPORE: &str = "https://api-singapore.klingai.com";
/// The mainland China host.
pub const BEIJING: &str = "https://api-beijing.klingai.com";
/// The second model.
pub const V3_OMNI: &str = "kling-v3-omni";

/// The documented keys of a `kling-v3-omni` body: O1's plus `sound` and multi-shot.
pub const V3_OMNI_FIELDS: &[&str] = &[
    "model_name",
    "prompt",
    "image_list",
    "element_list",
    "video_list",
    "mode",
    "aspect_ratio",
    "duration",
    "watermark_info",
    "callback_url",
    "external_task_id",
    "sound",
    "multi_shot",
    "shot_type",
    "multi_prompt",
];

/// `kling-v3-omni`'s `duration`: a string `"3"`…`"15"`, `"3"`…`"10"` with a `feature` video,
/// default `"5"`.
pub const V3_OMNI_DURATION: Duration = Duration {
    kind: DurationType::String,
    range: (3, 15),
    with_feature_video: Some((3, 10)),
    short_list: None,
    default: 5,
};

/// The rules of `kling-v3-omni` on Kling's own API.
pub static V3_OMNI_RULES: Rules = Rules {
    model: V3_OMNI,
    fields: V3_OMNI_FIELDS,
    input_fields: &[],
    elements: Some(super::o1::ELEMENTS),
    negative_prompt: false,
    duration: V3_OMNI_DURATION,
    sound: Some(SOUNDS),
    multi_shot: true,
    aspect_ratio: AspectRatioRule::IgnoredWithFrameOrEdit,
    watermark: Watermark::Info,
    callback: true,
};

/// A model Kling's API does not take: the fields of both models are known (not flagged) but
/// those only one model has (`sound`, multi-shot) are not checked; `duration` is a string
/// within the wider domain, 3–15.
pub static UNKNOWN_MODEL_RULES: Rules = Rules {
    model: "",
    fields: V3_OMNI_FIELDS,
    input_fields: &[],
    elements: Some(super::o1::ELEMENTS),
    negative_prompt: false,
    duration: Duration {
        kind: DurationType::String,
        range: (3, 15),
        with_feature_video: None,
        short_list: None,
        default: 5,
    },
    sound: None,
    multi_shot: false,
    aspect_ratio: AspectRatioRule::UncheckedWithFrameOrEdit,
    watermark: Watermark::Info,
    callback: true,
};

/// Kling's own API.
pub static DESCRIPTION: Description = Description {
    provider: Provider::Kling,
    name: "kling",
    title: "Kling's own API",
    label: ("Kling's own API", "可灵官方 API"),
    layout: Layout::Flat,
    model_key: "model_name",
    model_required: false,
    models: &[&super::o1::RULES, &V3_OMNI_RULES],
    unknown_model: &UNKNOWN_MODEL_RULES,
    // Two hosts, and the user chooses: no default.
    default_base_url: None,
    create_path: PATH,
    query_path: QueryPath::Segment(PATH),
    list_path: Some(PATH),
    query_by_external_id: true,
    auth: Auth::Jwt,
    answers: Answers::Envelope,
};
