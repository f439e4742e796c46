//! The results of `inspectImage` and `inspectVideo` ([`ImageInfo`], [`VideoInfo`]): how the
//! measured facts, the way they were measured and the errors are assembled into the
//! objects JavaScript receives (serialised as they are, camelCase), and the facts the
//! validator reads from them.

use super::bmff::{BmffError, VideoHeader};
use super::image::{HeaderError, ImageHeader};
use super::range::RangeError;
use super::sniff::Format;
use crate::model::{ImageFacts, VideoFacts};
use crate::rules::base64;
use crate::write::{self, JsonObject};
use serde::{Serialize, Serializer};
use std::fmt;

/// How the facts were measured (`measuredBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MeasuredBy {
    /// From the file's own bytes.
    Header,
    /// Through `createImageBitmap` (a picked image the header reader could not read).
    Bitmap,
    /// Through an `<img>` or `<video>` element.
    Element,
    /// Nothing could be measured.
    #[default]
    None,
}

/// Why the bytes could not be measured.
#[derive(Debug, Clone, PartialEq)]
pub enum InspectError {
    /// Base64 text that does not decode.
    Base64(base64::Problem),
    /// The browser could not read the bytes: its own message (a failed `fetch`, no CORS, …).
    Browser(String),
    /// An answer to a `Range` request that cannot be used.
    Range(RangeError),
    /// The image header could not be read (`NeedMore` here means the file ended first).
    Header(HeaderError),
    /// A video that is not MP4 or MOV: only its format is read.
    NotBmff(Format),
    /// The server told neither `Content-Range` nor `Content-Length`: no box walk without
    /// the file size.
    NoSize,
    /// The MP4/MOV boxes could not be walked or `moov` read.
    Bmff(BmffError),
    /// The file ends inside `moov`.
    MoovTruncated,
}

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectError::Base64(p) => write!(f, "not valid Base64 ({})", p.as_str()),
            InspectError::Browser(text) => f.write_str(text),
            InspectError::Range(e) => e.fmt(f),
            InspectError::Header(HeaderError::NeedMore { .. }) => f.write_str("the file ends before its header does"),
            InspectError::Header(e) => e.fmt(f),
            InspectError::NotBmff(Format::Unknown) => {
                f.write_str("an unknown format is not MP4 or MOV: only its format is read")
            }
            InspectError::NotBmff(format) => write!(f, "{format} is not MP4 or MOV: only its format is read"),
            InspectError::NoSize => f.write_str("the server did not tell the file's size"),
            InspectError::Bmff(e) => e.fmt(f),
            InspectError::MoovTruncated => f.write_str("the file ends inside moov"),
        }
    }
}

impl std::error::Error for InspectError {}

impl From<RangeError> for InspectError {
    fn from(e: RangeError) -> Self {
        InspectError::Range(e)
    }
}

/// The `error` of a result: what stopped the reader and, where the browser's own
/// measurement was tried and failed too, why. Serialised as one text, `"reader; browser"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What stopped the reader.
    pub error: InspectError,
    /// Why the `<img>`/`<video>` element failed too, where one was tried.
    pub fallback: Option<String>,
}

impl Failure {
    /// The reader's error alone.
    pub fn new(error: InspectError) -> Self {
        Failure { error, fallback: None }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fallback {
            Some(fallback) => write!(f, "{}; {fallback}", self.error),
            None => self.error.fmt(f),
        }
    }
}

impl Serialize for Failure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The names of the facts that are not known, for `unknown`.
fn missing(facts: &[(bool, &'static str)]) -> Vec<&'static str> {
    facts.iter().filter(|(known, _)| !known).map(|(_, name)| *name).collect()
}

/// What `inspectImage` gives: the facts (width and height as displayed), how they were
/// measured, what is unknown and why.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ImageInfo {
    /// `"jpeg"`, `"png"`, … from the magic bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The file size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<f64>,
    /// Displayed width (EXIF orientation applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Displayed height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Width as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_width: Option<u32>,
    /// Height as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_height: Option<u32>,
    /// EXIF orientation 1–8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orientation: Option<u8>,
    /// Bytes read (received, or decoded for Base64).
    pub bytes_read: f64,
    /// How the facts were measured.
    pub measured_by: MeasuredBy,
    /// The facts not measured, set by [`ImageInfo::finish`].
    pub unknown: Vec<&'static str>,
    /// Why something could not be measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
}

impl MeasuredBy {
    /// The name JavaScript sees (`measuredBy`).
    pub fn as_str(self) -> &'static str {
        match self {
            MeasuredBy::Header => "header",
            MeasuredBy::Bitmap => "bitmap",
            MeasuredBy::Element => "element",
            MeasuredBy::None => "none",
        }
    }
}

/// `bytesRead`, `measuredBy`, `unknown` and `error`, the fields both infos end with.
fn push_tail(
    o: &mut JsonObject<'_>,
    bytes_read: f64,
    measured_by: MeasuredBy,
    unknown: &[&str],
    error: Option<&Failure>,
) {
    o.float("bytesRead", Some(bytes_read));
    o.str("measuredBy", Some(measured_by.as_str()));
    let list = o.key("unknown");
    list.push('[');
    for (i, u) in unknown.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        write::push_quoted(list, u);
    }
    list.push(']');
    o.str("error", error.map(ToString::to_string).as_deref());
}

impl ImageInfo {
    /// The `ImageInfo` JavaScript receives, as JSON (what its `Serialize` writes, without a
    /// serde serializer in the package).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let mut o = JsonObject::open(&mut out);
        o.str("format", self.format.as_deref());
        o.float("bytes", self.bytes);
        o.int("width", self.width.map(i64::from));
        o.int("height", self.height.map(i64::from));
        o.int("storedWidth", self.stored_width.map(i64::from));
        o.int("storedHeight", self.stored_height.map(i64::from));
        o.int("orientation", self.orientation.map(i64::from));
        push_tail(&mut o, self.bytes_read, self.measured_by, &self.unknown, self.error.as_ref());
        o.close();
        out
    }

    /// Fills `unknown` from the facts present.
    pub fn finish(mut self) -> Self {
        self.unknown = missing(&[
            (self.format.is_some(), "format"),
            (self.bytes.is_some(), "bytes"),
            (self.width.is_some(), "width"),
            (self.height.is_some(), "height"),
        ]);
        self
    }

    /// The facts the validator reads, `None` when nothing is known.
    pub fn facts(&self) -> Option<ImageFacts> {
        let f = ImageFacts {
            format: self.format.clone(),
            bytes: self.bytes,
            width: self.width.map(f64::from),
            height: self.height.map(f64::from),
        };
        f.any_known().then_some(f)
    }

    /// Takes what a header says.
    pub fn set_header(&mut self, h: &ImageHeader) {
        let (w, hh) = h.displayed();
        self.format = Some(h.format.name().to_string());
        self.width = Some(w);
        self.height = Some(hh);
        self.stored_width = Some(h.width);
        self.stored_height = Some(h.height);
        self.orientation = h.orientation;
        self.measured_by = MeasuredBy::Header;
    }
}

/// What `inspectVideo` gives: the facts (width and height as displayed), the track's
/// details, how they were measured, what is unknown and why.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct VideoInfo {
    /// `"mp4"`, `"mov"`, `"webm"`, … from the magic bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The file size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<f64>,
    /// Seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// Displayed width (rotation applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Displayed height.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
    /// Average frames per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps: Option<f64>,
    /// Width as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_width: Option<u32>,
    /// Height as stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_height: Option<u32>,
    /// Clockwise rotation: 0, 90, 180 or 270.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rotation: Option<u16>,
    /// From the longest frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps_min: Option<f64>,
    /// From the shortest frame.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fps_max: Option<f64>,
    /// True when frame durations differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variable_fps: Option<bool>,
    /// The sample entry's four-character code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codec: Option<String>,
    /// True when a sound track is present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_audio: Option<bool>,
    /// Bytes read (received, or decoded for Base64).
    pub bytes_read: f64,
    /// How the facts were measured.
    pub measured_by: MeasuredBy,
    /// The facts not measured, set by [`VideoInfo::finish`].
    pub unknown: Vec<&'static str>,
    /// Why something could not be measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
}

impl VideoInfo {
    /// The `VideoInfo` JavaScript receives, as JSON (what its `Serialize` writes).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let mut o = JsonObject::open(&mut out);
        o.str("format", self.format.as_deref());
        o.float("bytes", self.bytes);
        o.float("duration", self.duration);
        o.int("width", self.width.map(i64::from));
        o.int("height", self.height.map(i64::from));
        o.float("fps", self.fps);
        o.int("storedWidth", self.stored_width.map(i64::from));
        o.int("storedHeight", self.stored_height.map(i64::from));
        o.int("rotation", self.rotation.map(i64::from));
        o.float("fpsMin", self.fps_min);
        o.float("fpsMax", self.fps_max);
        o.bool("variableFps", self.variable_fps);
        o.str("codec", self.codec.as_deref());
        o.bool("hasAudio", self.has_audio);
        push_tail(&mut o, self.bytes_read, self.measured_by, &self.unknown, self.error.as_ref());
        o.close();
        out
    }

    /// Fills `unknown` from the facts present.
    pub fn finish(mut self) -> Self {
        self.unknown = missing(&[
            (self.format.is_some(), "format"),
            (self.bytes.is_some(), "bytes"),
            (self.duration.is_some(), "duration"),
            (self.width.is_some(), "width"),
            (self.height.is_some(), "height"),
            (self.fps.is_some(), "fps"),
        ]);
        self
    }

    /// The facts the validator reads, `None` when nothing is known.
    pub fn facts(&self) -> Option<VideoFacts> {
        let f = VideoFacts {
            format: self.format.clone(),
            bytes: self.bytes,
            duration: self.duration,
            width: self.width.map(f64::from),
            height: self.height.map(f64::from),
            fps: self.fps,
        };
        f.any_known().then_some(f)
    }

    /// Takes what `moov` says.
    pub fn set_header(&mut self, h: &VideoHeader) {
        let (w, hh) = h.displayed();
        self.format = Some(h.format.name().to_string());
        self.duration = h.duration;
        self.width = w;
        self.height = hh;
        self.stored_width = h.width;
        self.stored_height = h.height;
        self.rotation = Some(h.rotation);
        self.fps = h.fps.map(|f| f.avg);
        self.fps_min = h.fps.map(|f| f.min);
        self.fps_max = h.fps.map(|f| f.max);
        self.variable_fps = h.fps.map(|f| f.variable);
        self.codec = h.codec.clone();
        self.has_audio = Some(h.has_audio);
        self.measured_by = MeasuredBy::Header;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_texts() {
        for (e, text) in [
            (InspectError::Base64(base64::Problem::UrlSafe), "not valid Base64 (url_safe)"),
            (InspectError::Browser("Failed to fetch".into()), "Failed to fetch"),
            (InspectError::Range(RangeError::Status(404)), "HTTP 404"),
            (InspectError::Header(HeaderError::NeedMore { len: 9 }), "the file ends before its header does"),
            (InspectError::Header(HeaderError::Malformed("x")), "malformed header: x"),
            (InspectError::NotBmff(Format::Unknown), "an unknown format is not MP4 or MOV: only its format is read"),
            (InspectError::NotBmff(Format::WebM), "webm is not MP4 or MOV: only its format is read"),
            (InspectError::NoSize, "the server did not tell the file's size"),
            (InspectError::Bmff(BmffError::NoMoov), "no moov box"),
            (InspectError::MoovTruncated, "the file ends inside moov"),
        ] {
            assert_eq!(e.to_string(), text);
        }
        let both = Failure { error: InspectError::NoSize, fallback: Some("timed out".into()) };
        assert_eq!(serde_json::to_value(&both).unwrap(), json!("the server did not tell the file's size; timed out"));
    }

    #[test]
    fn assembles_what_javascript_sees() {
        let mut info = ImageInfo::default();
        info.set_header(&ImageHeader { format: Format::Jpeg, width: 640, height: 480, orientation: Some(6) });
        info.bytes = Some(1000.0);
        info.bytes_read = 1000.0;
        let info = info.finish();
        assert_eq!(
            serde_json::to_value(&info).unwrap(),
            json!({"format": "jpeg", "bytes": 1000.0, "width": 480, "height": 640, "storedWidth": 640,
                   "storedHeight": 480, "orientation": 6, "bytesRead": 1000.0, "measuredBy": "header", "unknown": []})
        );
        assert_eq!(info.facts().unwrap().width, Some(480.0));
        let none = VideoInfo { error: Some(Failure::new(InspectError::NoSize)), ..Default::default() }.finish();
        assert_eq!(
            serde_json::to_value(&none).unwrap(),
            json!({"bytesRead": 0.0, "measuredBy": "none",
                   "unknown": ["format", "bytes", "duration", "width", "height", "fps"],
                   "error": "the server did not tell the file's size"})
        );
        assert_eq!(none.facts(), None);
    }

    /// `to_json` writes exactly what the serde derive writes (key order, number forms,
    /// escapes), for every field present and absent.
    #[test]
    fn json_is_what_serde_writes() {
        let full_image = ImageInfo {
            format: Some("jpeg".into()),
            bytes: Some(10_485_760.0),
            width: Some(4032),
            height: Some(3024),
            stored_width: Some(3024),
            stored_height: Some(4032),
            orientation: Some(6),
            bytes_read: 16_384.0,
            measured_by: MeasuredBy::Bitmap,
            unknown: vec![],
            error: Some(Failure {
                error: InspectError::Browser("a \"quoted\"\nline".into()),
                fallback: Some("é".into()),
            }),
        };
        let full_video = VideoInfo {
            format: Some("mp4".into()),
            bytes: Some(1.5e9),
            duration: Some(5.005),
            width: Some(1080),
            height: Some(1920),
            fps: Some(29.97002997002997),
            stored_width: Some(1920),
            stored_height: Some(1080),
            rotation: Some(90),
            fps_min: Some(23.976),
            fps_max: Some(30.0),
            variable_fps: Some(true),
            codec: Some("avc1".into()),
            has_audio: Some(false),
            bytes_read: 0.5,
            measured_by: MeasuredBy::Element,
            unknown: vec!["fps"],
            error: Some(Failure::new(InspectError::MoovTruncated)),
        };
        for info in [ImageInfo::default(), ImageInfo::default().finish(), full_image] {
            assert_eq!(info.to_json(), serde_json::to_string(&info).unwrap());
        }
        for info in [VideoInfo::default(), VideoInfo::default().finish(), full_video] {
            assert_eq!(info.to_json(), serde_json::to_string(&info).unwrap());
        }
    }
}
