//! Kling Omni Video O1 on its gateway: the flat body of `POST /kling/v1/videos/omni-video`,
//! one model (`kling-video-o1`), answers as Kling's own API.

use super::{Answers, AspectRatioRule, Auth, Description, Duration, DurationType, Elements, Layout, QueryPath};
use super::{Rules, Watermark};
use crate::model::{o1, Provider};

/// The documented keys of an O1 body.
pub const FIELDS: &[&str] = &[
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
];

/// O1's `duration`: a string `"3"`…`"10"`; only `"5"`/`"10"` in text-to-video and with a
/// first frame alone (revision 2: Kling's O1 FAQ, "文生/图生（不含首尾帧）：可选 5s/10s …
/// 其他情况：可选 3-10s").
pub const DURATION: Duration = Duration {
    kind: DurationType::String,
    range: (3, 10),
    with_feature_video: None,
    short_list: Some(&[5, 10]),
    default: 5,
};

/// `element_list`: counted with the images; at most 3 with a frame image (revision 2).
pub const ELEMENTS: Elements = Elements { max_with_frame: Some(3) };

/// The rules of `kling-video-o1` (also on Kling's own API, unchanged).
pub static RULES: Rules = Rules {
    model: o1::MODEL_NAME,
    fields: FIELDS,
    input_fields: &[],
    elements: Some(ELEMENTS),
    negative_prompt: false,
    duration: DURATION,
    sound: None,
    multi_shot: false,
    aspect_ratio: AspectRatioRule::UnsupportedWithFrameOrEdit,
    watermark: Watermark::Info,
    callback: true,
};

/// The O1 gateway.
pub static DESCRIPTION: Description = Description {
    provider: Provider::O1,
    name: "o1",
    title: "Kling Omni Video O1 (gateway)",
    label: ("the O1 gateway", "O1 网关"),
    layout: Layout::Flat,
    model_key: "model_name",
    model_required: false,
    models: &[&RULES],
    unknown_model: &RULES,
    default_base_url: Some(o1::DEFAULT_BASE_URL),
    create_path: o1::PATH,
    query_path: QueryPath::Segment(o1::PATH),
    list_path: None,
    query_by_external_id: true,
    auth: Auth::Bearer,
    answers: Answers::Envelope,
};
