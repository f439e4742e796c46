//! The pieces both wire formats share: `mode`, image items with their frame type, and the
//! video item with its `refer_type`.

use serde::{Deserialize, Serialize};

/// Generation mode (`std`/`pro`), shared by both providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Standard (720p).
    Std,
    /// Professional (1080p), the default.
    Pro,
}

/// Frame type of an image, shared by both providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameType {
    /// The first frame of the video.
    FirstFrame,
    /// The last frame of the video.
    EndFrame,
}

/// How a video is used, shared by both providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferType {
    /// Feature reference (`video_reference`).
    Feature,
    /// The video to edit (`video_edit`), the default.
    Base,
}

/// One entry of `image_list` (O1) or `parameters.image_list` (V3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageItem {
    /// An absolute http(s) URL or raw Base64 (no `data:` prefix).
    pub image_url: String,
    /// `first_frame` or `end_frame`; absent for a reference image.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub frame_type: Option<FrameType>,
}

/// One entry of `video_list` (O1) or `parameters.video_list` (V3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VideoItem {
    /// An absolute http(s) URL of an MP4/MOV.
    pub video_url: String,
    /// `feature` or `base`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refer_type: Option<ReferType>,
    /// `yes` or `no`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_original_sound: Option<String>,
}
