//! Kling Omni Video O1 (`kling-video-o1`): the flat request body of
//! `POST /kling/v1/videos/omni-video` and the answers of Kling's official API that the
//! gateway mirrors (`{code, message, request_id, data}`; `code` 0 is success).

pub use super::common::{FrameType, ImageItem, Mode, ReferType, VideoItem};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The only documented `model_name`.
pub const MODEL_NAME: &str = "kling-video-o1";
/// The create path (and, with `/{id}`, the query path).
pub const PATH: &str = "/kling/v1/videos/omni-video";
/// The gateway host of the seed document.
pub const DEFAULT_BASE_URL: &str = "https://models.hingnet.com.cn";

/// One entry of `element_list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementItem {
    /// The element's id: a number (`long`) or, for ids above 2^53, a string.
    pub element_id: Value,
}

/// `watermark_info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatermarkInfo {
    /// Whether to also produce a watermarked result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The O1 create body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct O1Request {
    /// Only `kling-video-o1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_name: Option<String>,
    /// The prompt (required, at most 2500 characters).
    pub prompt: String,
    /// Images (references or frames).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_list: Option<Vec<ImageItem>>,
    /// Elements (subjects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element_list: Option<Vec<ElementItem>>,
    /// At most one video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_list: Option<Vec<VideoItem>>,
    /// `std` or `pro`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Mode>,
    /// `16:9`, `9:16` or `1:1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect_ratio: Option<String>,
    /// A **string** `"3"`…`"10"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// Watermark switch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_info: Option<WatermarkInfo>,
    /// Where the gateway posts the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    /// The caller's own task id, usable to query the task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_task_id: Option<String>,
    /// Undocumented fields, kept so a body round-trips unchanged.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The envelope of every O1 answer: `{code, message, request_id, data}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// 0 on success, otherwise a Kling error code (1000–5002).
    pub code: i64,
    /// `"success"` or the reason.
    #[serde(default)]
    pub message: String,
    /// The request's id, for support.
    #[serde(default)]
    pub request_id: String,
    /// The payload; absent or null on errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    /// Fields not in the documents.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of the create answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedTask {
    /// Kling's task id.
    pub task_id: String,
    /// `submitted` right after creation.
    pub task_status: String,
    /// The gateway's own id (`video_<ULID>`), where the gateway adds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_id: Option<String>,
    /// `task_info.external_task_id`, where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_info: Option<TaskInfo>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    /// Fields not in the documents.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `task_info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// The caller's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_task_id: Option<String>,
    /// Fields not in the documents.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `data` of the query answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueriedTask {
    /// Kling's task id.
    pub task_id: String,
    /// `submitted`, `processing`, `succeed` or `failed`.
    pub task_status: String,
    /// Why it failed (often content moderation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_status_msg: Option<String>,
    /// The gateway's own id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_id: Option<String>,
    /// `external_task_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_info: Option<TaskInfo>,
    /// The videos, once it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_result: Option<TaskResult>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Milliseconds since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    /// The units billed for the task (Kling's own API), a string such as `"5"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_unit_deduction: Option<Value>,
    /// Fields not in the documents.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `task_result`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskResult {
    /// The generated videos.
    #[serde(default)]
    pub videos: Vec<ResultVideo>,
    /// Fields not in the documents.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One generated video. Its URL expires after 30 days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultVideo {
    /// The video's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where to download it.
    pub url: String,
    /// The watermarked copy, where asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark_url: Option<String>,
    /// Seconds, as a string in Kling's answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Value>,
    /// Fields not in the documents.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The create answer.
pub type CreateResponse = Envelope<CreatedTask>;
/// The query answer.
pub type QueryResponse = Envelope<QueriedTask>;
/// An error answer (`data` absent or null).
pub type ErrorResponse = Envelope<Value>;
