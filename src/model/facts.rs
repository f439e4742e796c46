//! Facts about media measured outside the request (a picked file, a URL the page loaded),
//! handed to the validator. Every field is optional: a fact that could not be measured is
//! absent, and the rules that need it stay silent (the media is then listed as unverified).

use crate::json::{Arr, Doc, Json, Obj};
use serde::{Deserialize, Serialize};
use serde_json::Value;

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

impl MediaFacts {
    /// Reads facts from JSON as the derived `Deserialize` does: an object whose only keys are
    /// `images` (an array of objects or `null`) and `video` (an object or `null`); in an
    /// image or a video, unknown keys are ignored, `format` is a string, the rest numbers, and
    /// `null` is an unknown fact. The wasm layer reads facts with this: serde's typed
    /// deserializer and its error messages (which print floats) were ~40 KB of the
    /// validator's wasm.
    pub fn from_json(v: &Value) -> Result<MediaFacts, String> {
        MediaFacts::from_doc(Doc::from_value(v).root())
    }

    /// [`MediaFacts::from_json`] of JSON text, read by the validator's own reader.
    pub fn from_json_text(text: &str) -> Result<MediaFacts, String> {
        crate::json::with_doc(text, |doc| match doc {
            Ok(doc) => MediaFacts::from_doc(doc.root()),
            Err(crate::json::ReadError::Syntax(m)) => Err(m),
            Err(crate::json::ReadError::TooDeep) => Err("nested too deep".into()),
        })
    }

    /// [`MediaFacts::from_json`] of a read document.
    pub fn from_doc(v: Json) -> Result<MediaFacts, String> {
        let (images, video) = match v {
            Json::Object(obj) => {
                // The first unknown key in sorted order, as a map of the object names it.
                let other = obj.iter().map(|(k, _)| k).filter(|k| *k != "images" && *k != "video").min();
                if let Some(other) = other {
                    return Err(format!("unknown field `{other}`, expected `images` or `video`"));
                }
                (obj.get("images"), obj.get("video"))
            }
            // Like any derived struct, the fields in order as an array.
            Json::Array(items) if items.len() <= 2 => (items.get(0), items.get(1)),
            other => return Err(format!("expected an object with `images` and `video`, got {}", kind(other))),
        };
        let mut facts = MediaFacts::default();
        if let Some(v) = images {
            let items = v.as_array().ok_or_else(|| format!("images: expected an array, got {}", kind(v)))?;
            facts.images = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    match item {
                        Json::Null => Ok(None),
                        item => image(&Fields::of(item, 4)?).map(Some),
                    }
                    .map_err(|e| format!("images[{i}]: {e}"))
                })
                .collect::<Result<_, String>>()?;
        }
        if let Some(v) = video.filter(|v| !v.is_null()) {
            facts.video = Some(Fields::of(v, 6).and_then(|f| video_facts(&f)).map_err(|e| format!("video: {e}"))?);
        }
        Ok(facts)
    }
}

/// An image's or a video's facts: an object (unknown keys ignored) or, like any derived
/// struct, an array of the fields in order.
enum Fields<'a> {
    Named(Obj<'a>),
    InOrder(Arr<'a>),
}

impl<'a> Fields<'a> {
    fn of(v: Json<'a>, count: usize) -> Result<Fields<'a>, String> {
        match v {
            Json::Object(o) => Ok(Fields::Named(o)),
            Json::Array(items) if items.len() <= count => Ok(Fields::InOrder(items)),
            other => Err(format!("expected an object, got {}", kind(other))),
        }
    }

    fn get(&self, key: &str, index: usize) -> Option<Json<'a>> {
        match self {
            Fields::Named(o) => o.get(key),
            Fields::InOrder(items) => items.get(index),
        }
    }

    fn number(&self, key: &str, index: usize) -> Result<Option<f64>, String> {
        match self.get(key, index) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::Number(n)) => Ok(Some(n.as_f64())),
            Some(other) => Err(format!("{key}: expected a number, got {}", kind(other))),
        }
    }

    fn format(&self) -> Result<Option<String>, String> {
        match self.get("format", 0) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.to_owned())),
            Some(other) => Err(format!("format: expected a string, got {}", kind(other))),
        }
    }
}

fn image(f: &Fields) -> Result<ImageFacts, String> {
    Ok(ImageFacts {
        format: f.format()?,
        bytes: f.number("bytes", 1)?,
        width: f.number("width", 2)?,
        height: f.number("height", 3)?,
    })
}

fn video_facts(f: &Fields) -> Result<VideoFacts, String> {
    Ok(VideoFacts {
        format: f.format()?,
        bytes: f.number("bytes", 1)?,
        duration: f.number("duration", 2)?,
        width: f.number("width", 3)?,
        height: f.number("height", 4)?,
        fps: f.number("fps", 5)?,
    })
}

fn kind(v: Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `from_json` accepts and reads exactly what the derived `Deserialize` does.
    #[test]
    fn from_json_agrees_with_serde() {
        let cases = [
            r#"{}"#,
            r#"{"images":[],"video":null}"#,
            r#"{"images":[null,{"format":"jpeg","bytes":1843200,"width":1080,"height":1920}]}"#,
            r#"{"images":[{"format":"png","bytes":null,"width":200.5,"extra":[1]}]}"#,
            r#"{"video":{"format":"mp4","bytes":24117248,"duration":8.04,"width":1920,"height":1080,"fps":29.97,"codec":"avc1"}}"#,
            r#"{"video":{}}"#,
            r#"{"images":[{"width":-1e300,"height":18446744073709551615}]}"#,
            r#"{"images":null}"#,
            r#"{"images":{}}"#,
            r#"{"images":[1]}"#,
            r#"{"images":[{"format":5}]}"#,
            r#"{"images":[{"width":"300"}]}"#,
            r#"{"video":[]}"#,
            r#"{"video":["mp4",1,2,3,4,5]}"#,
            r#"{"video":["mp4",1,2,3,4,5,6]}"#,
            r#"{"images":[["png",1,2,3]],"video":[null]}"#,
            r#"{"images":[["png",1,2,3,4]]}"#,
            r#"{"images":[["png","1"]]}"#,
            r#"[[],null]"#,
            r#"[[],null,1]"#,
            r#"[null]"#,
            r#"{"video":{"fps":true}}"#,
            r#"{"imgs":[]}"#,
            r#"[]"#,
            r#"null"#,
            r#""x""#,
        ];
        for text in cases {
            let value: Value = serde_json::from_str(text).unwrap();
            let derived = serde_json::from_str::<MediaFacts>(text).map_err(|e| e.to_string());
            let ours = MediaFacts::from_json(&value);
            assert_eq!(derived.is_ok(), ours.is_ok(), "{text}: serde {derived:?}, ours {ours:?}");
            if let (Ok(a), Ok(b)) = (derived, ours) {
                assert_eq!(a, b, "{text}");
            }
        }
    }
}
