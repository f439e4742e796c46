//! Kling V3 Omni (`kling-v3-omni`) on the task gateway: `POST /v1/tasks/submit` with
//! `{model, input, parameters}` and `GET /v1/tasks/status?task_id=`.

pub use super::common::{FrameType, ImageItem, Mode, ReferType, VideoItem};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The only documented `model`.
pub const MODEL: &str = "kling-v3-omni";
/// The submit path.
pub const SUBMIT_PATH: &str = "/v1/tasks/submit";
/// The status path (with `?task_id=`).
pub const STATUS_PATH: &str = "/v1/tasks/status";
/// The gateway host of the seed document.
pub const DEFAULT_BASE_URL: &str = "https://api.modelverse.cn";

/// The V3 submit body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct V3Request {
    /// Only `kling-v3-omni` (required).
    pub model: String,
    /// Prompts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// Everything else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Parameters>,
    /// Undocumented fields, kept so a body round-trips unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `input`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Input {
    /// At most 2500 characters; required unless `multi_shot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// At most 2500 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative_prompt: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One shot of `parameters.multi_prompt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shot {
    /// 1-based position.
    pub index: u32,
    /// At most 512 characters.
    pub prompt: String,
    /// Seconds as a **string**.
    pub duration: String,
}

/// `parameters`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Parameters {
    /// `std` or `pro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// `16:9`, `9:16`, `1:1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// Integer seconds 3–15, default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// `on` or `off`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<String>,
    /// Multi-shot switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_shot: Option<bool>,
    /// `customize`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shot_type: Option<String>,
    /// The shots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_prompt: Option<Vec<Shot>>,
    /// Images.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_list: Option<Vec<ImageItem>>,
    /// At most one video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_list: Option<Vec<VideoItem>>,
    /// Watermark switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_enabled: Option<bool>,
    /// The caller's own id, usable to query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_task_id: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The submit answer: `{output: {task_id}, request_id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitResponse {
    /// `{task_id}`.
    pub output: SubmitOutput,
    /// The request's id.
    #[serde(default)]
    pub request_id: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `output` of the submit answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmitOutput {
    /// The task's id.
    pub task_id: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The status answer, success and failure alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusResponse {
    /// The task.
    pub output: StatusOutput,
    /// `{duration}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
    /// The request's id (may be empty).
    #[serde(default)]
    pub request_id: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `output` of the status answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusOutput {
    /// The task's id.
    pub task_id: String,
    /// `Pending`, `Running`, `Success` or `Failure`.
    pub task_status: String,
    /// The result URLs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// Seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_time: Option<i64>,
    /// Seconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finish_time: Option<i64>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `usage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Seconds of video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
