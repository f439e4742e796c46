//! Facts about media measured outside the request (a picked file, a URL the page loaded),
//! handed to the validator. Every field is optional: a fact that could not be measured is
//! absent, and the rules that need it stay silent (the media is then listed as unverified).

use serde::{Deserialize, Serialize};

/// Facts about the media of one request. `images[i]` describes `image_list[i]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaFacts {
    /// One entry per `image_list` item; `None` where nothing was measured.
    #[serde(default)]
    pub images: Vec<Option<ImageFacts>>,
    /// The facts of `video_list[0]`, if measured.
    #[serde(default)]
    pub video: Option<VideoFacts>,
}

/// What was measured of an image.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageFacts {
    /// `"jpeg"`, `"png"`, `"gif"`, `"webp"`, `"bmp"`, … (lower case, from the content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<f64>,
    /// Width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// Height in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
}

/// What was measured of a video.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VideoFacts {
    /// `"mp4"`, `"mov"`, `"webm"`, … (lower case, from the content).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<f64>,
    /// Duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Width in pixels (as displayed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// Height in pixels (as displayed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<f64>,
    /// Frames per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
}

impl ImageFacts {
    /// True when at least one fact is known.
    pub fn any_known(&self) -> bool {
        self.format.is_some() || self.bytes.is_some() || self.width.is_some() || self.height.is_some()
    }
}

impl VideoFacts {
    /// True when at least one fact is known.
    pub fn any_known(&self) -> bool {
        self.format.is_some()
            || self.bytes.is_some()
            || self.duration.is_some()
            || self.width.is_some()
            || self.height.is_some()
            || self.fps.is_some()
    }
}
