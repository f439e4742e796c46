//! What validation returns: issues as data (code, severity, path, params) and the report
//! that groups them. Messages are rendered by `crate::messages::render` at the boundary (the
//! report knows nothing of them), so the
//! same report can be shown in English or Chinese.

use serde::Serialize;
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

/// How serious an issue is. A request is valid when it has no [`Severity::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The documents say the API rejects or does not support it.
    Error,
    /// The documents say the value is ignored, or the field is not documented.
    Warning,
}

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, $sev:ident;)*) => {
        /// Every stable rule code of `docs/rules.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($(#[$doc])* $variant,)* }

        impl Code {
            /// All codes, in the order of `docs/rules.md`.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable snake_case name (`"text_too_long"`).
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity that `docs/rules.md` gives this code.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// The code with this name, if any.
            pub fn from_name(name: &str) -> Option<Code> {
                match name { $($name => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    /// A field has the wrong JSON type.
    InvalidType = "invalid_type", Error;
    /// A required field is missing.
    Required = "required", Error;
    /// `element_id` is neither a positive integer nor a non-empty string.
    ElementIdInvalid = "element_id_invalid", Error;
    /// A field the provider's documents do not name.
    UnknownField = "unknown_field", Warning;
    /// A value outside its documented set.
    InvalidValue = "invalid_value", Error;
    /// The prompt is empty where it is required.
    PromptRequired = "prompt_required", Error;
    /// A prompt longer than its limit.
    TextTooLong = "text_too_long", Error;
    /// A placeholder whose number is 0 or beyond its list.
    PlaceholderOutOfRange = "placeholder_out_of_range", Error;
    /// `<<<…>>>` that is not one of the documented forms.
    PlaceholderUnknown = "placeholder_unknown", Warning;
    /// A field the API ignores in this request.
    FieldIgnored = "field_ignored", Warning;
    /// Too many images and elements.
    TooManyReferences = "too_many_references", Error;
    /// More than one video.
    TooManyVideos = "too_many_videos", Error;
    /// An end frame without a first frame.
    EndFrameWithoutFirstFrame = "end_frame_without_first_frame", Error;
    /// Two first frames or two end frames.
    DuplicateFrameType = "duplicate_frame_type", Error;
    /// An end frame while the image list has more than two images.
    EndFrameWithManyImages = "end_frame_with_many_images", Error;
    /// A frame image in a video edit.
    FrameWithVideoEdit = "frame_with_video_edit", Error;
    /// `aspect_ratio` is missing where it is required.
    AspectRatioRequired = "aspect_ratio_required", Error;
    /// `aspect_ratio` is present where it is not supported (O1).
    AspectRatioNotSupported = "aspect_ratio_not_supported", Error;
    /// `duration` outside what this scenario accepts.
    DurationOutOfRange = "duration_out_of_range", Error;
    /// V3 `sound: on` with a video.
    SoundWithVideo = "sound_with_video", Error;
    /// V3 multi-shot without `shot_type`.
    ShotTypeRequired = "shot_type_required", Error;
    /// V3 customised multi-shot without shots.
    MultiPromptRequired = "multi_prompt_required", Error;
    /// V3: more than 6 shots.
    MultiPromptCount = "multi_prompt_count", Error;
    /// V3: shot indexes are not exactly 1…n.
    ShotIndex = "shot_index", Error;
    /// V3: a shot's duration is malformed or longer than the total.
    ShotDuration = "shot_duration", Error;
    /// V3: the shots' durations do not add up to the total.
    ShotDurationSum = "shot_duration_sum", Error;
    /// Neither an absolute http(s) URL nor valid Base64.
    ImageUrlInvalid = "image_url_invalid", Error;
    /// Base64 with a `data:…;base64,` prefix.
    Base64DataUriPrefix = "base64_data_uri_prefix", Error;
    /// An image that is not JPEG or PNG.
    ImageFormat = "image_format", Error;
    /// An image over 10 MB.
    ImageTooLarge = "image_too_large", Error;
    /// An image whose shorter side is under 300 px.
    ImageTooSmall = "image_too_small", Error;
    /// An image whose aspect ratio is outside 1:2.5 … 2.5:1.
    ImageAspectRatio = "image_aspect_ratio", Error;
    /// A video URL that is not an absolute http(s) URL.
    VideoUrlInvalid = "video_url_invalid", Error;
    /// A video that is not MP4 or MOV.
    VideoFormat = "video_format", Error;
    /// A video over 200 MB.
    VideoTooLarge = "video_too_large", Error;
    /// A video that is too short or too long.
    VideoDuration = "video_duration", Error;
    /// A video whose width or height is outside 720–2160 px.
    VideoResolution = "video_resolution", Error;
    /// A video under 24 or over 60 fps.
    VideoFps = "video_fps", Error;
    /// O1 `callback_url` that is not an absolute http(s) URL.
    CallbackUrlInvalid = "callback_url_invalid", Error;
    /// A whitespace-only `external_task_id` (an empty one counts as absent).
    ExternalTaskIdInvalid = "external_task_id_invalid", Error;
    /// More than 3 elements while the request has a frame image (O1; revision 2).
    TooManyElements = "too_many_elements", Error;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One step of a path: an object key or an array index (zod's convention).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSeg {
    /// An object key: borrowed for the keys the rules name (`"image_url"`), owned for a key
    /// taken from the request (an unknown field), so most paths allocate only their `Vec`.
    Key(Cow<'static, str>),
    /// An array index.
    Index(usize),
}

impl From<&str> for PathSeg {
    fn from(k: &str) -> Self {
        PathSeg::Key(Cow::Owned(k.to_owned()))
    }
}

impl From<String> for PathSeg {
    fn from(k: String) -> Self {
        PathSeg::Key(Cow::Owned(k))
    }
}

impl From<usize> for PathSeg {
    fn from(i: usize) -> Self {
        PathSeg::Index(i)
    }
}

/// A path in the provider's wire format, e.g. `["parameters","image_list",1,"image_url"]`.
pub type Path = Vec<PathSeg>;

/// Renders a path as a field name people read: `parameters.image_list[1].image_url`.
pub fn path_to_string(path: &[PathSeg]) -> String {
    let mut s = String::new();
    push_path(&mut s, path);
    s
}

/// Appends a path as [`path_to_string`] renders it (`request` for the empty path).
pub fn push_path(out: &mut String, path: &[PathSeg]) {
    let start = out.len();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if out.len() > start {
                    out.push('.');
                }
                out.push_str(k);
            }
            PathSeg::Index(i) => {
                out.push('[');
                crate::write::push_u64(out, *i as u64);
                out.push(']');
            }
        }
    }
    if out.len() == start {
        out.push_str("request");
    }
}

/// How a [`Fix`] edits the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixOp {
    /// Set the value at the path to [`Fix::value`].
    Replace,
    /// Delete the key at the path.
    Remove,
}

/// One edit of the request that fixes an issue without changing what the user meant: only
/// where the right value is certain (a type written the other way, a prefix the API refuses,
/// a field it ignores), never a guess (an unknown field may be a typo of a real one: no fix).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    /// Replace or remove.
    pub op: FixOp,
    /// Where, in the provider's wire format (the issue's own path, for every fix so far).
    pub path: Path,
    /// The new value (`replace` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl Fix {
    /// Set the value at `path`.
    pub fn replace(path: Path, value: impl Into<Value>) -> Self {
        Fix { op: FixOp::Replace, path, value: Some(value.into()) }
    }

    /// Delete the key at `path`.
    pub fn remove(path: Path) -> Self {
        Fix { op: FixOp::Remove, path, value: None }
    }
}

/// One finding: a stable code, where it is, and the values behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// The rule that found it.
    pub code: Code,
    /// Where, in the provider's wire format.
    pub path: Path,
    /// The values behind the finding (`limit`, `actual`, `expected`, …), in the order given.
    pub params: Vec<(&'static str, Value)>,
    /// The one edit of the request that fixes it, where there is one.
    pub fix: Option<Fix>,
}

impl Issue {
    /// A new issue with no params.
    pub fn new(code: Code, path: Path) -> Self {
        Issue { code, path, params: Vec::new(), fix: None }
    }

    /// Adds a param (builder style).
    pub fn with(mut self, key: &'static str, value: impl Into<Value>) -> Self {
        self.params.push((key, value.into()));
        self
    }

    /// Sets the fix (builder style).
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// The fix that removes the field this issue stands at.
    pub fn fix_by_removing(self) -> Self {
        let path = self.path.clone();
        self.with_fix(Fix::remove(path))
    }

    /// The severity of its code.
    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// A param by name.
    pub fn param(&self, key: &str) -> Option<&Value> {
        self.params.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// The kind of generation a request asks for; it follows from the request's lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// No images, elements or video.
    TextToVideo,
    /// A first frame and no end frame.
    FirstFrame,
    /// An end frame (with or without a first frame).
    FirstEndFrame,
    /// Reference images and/or elements, no video.
    Reference,
    /// A video with `refer_type: feature`.
    VideoReference,
    /// A video with `refer_type: base` (the default).
    VideoEdit,
}

impl Scenario {
    /// The wire name (`"text_to_video"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::TextToVideo => "text_to_video",
            Scenario::FirstFrame => "first_frame",
            Scenario::FirstEndFrame => "first_end_frame",
            Scenario::Reference => "reference",
            Scenario::VideoReference => "video_reference",
            Scenario::VideoEdit => "video_edit",
        }
    }
}

/// Everything validation found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The scenario the request falls in.
    pub scenario: Scenario,
    /// Every issue, errors and warnings, in the order found.
    pub issues: Vec<Issue>,
    /// Paths of media not fully checked: nothing measured, or not every fact (the rules on the
    /// facts that were measured still ran).
    pub unverified: Vec<Path>,
}

impl Report {
    /// True when there is no error.
    pub fn valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity() == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity() == Severity::Warning)
    }

    /// The codes found, in order (handy in tests).
    pub fn codes(&self) -> Vec<&'static str> {
        self.issues.iter().map(|i| i.code.as_str()).collect()
    }

    /// True when an issue with this code stands at this path.
    pub fn has(&self, code: Code, path: &[PathSeg]) -> bool {
        self.issues.iter().any(|i| i.code == code && i.path == path)
    }
}

/// Builds a path from keys and indices: `path!["parameters", "image_list", 1]`.
#[macro_export]
macro_rules! path {
    ($($seg:expr),* $(,)?) => { vec![$($crate::report::PathSeg::from($seg)),*] };
}

/// A value shortened for a message (never echo a 10 MB string back).
pub fn short(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

/// Sorts a short list in place, stably (equal items keep their order), by insertion: for the
/// lists whose length the code bounds (an issue's params, a model's providers), where
/// `slice::sort` would bring its general algorithms into the wasm (several KB for each type
/// sorted). Quadratic: a list whose length the request decides takes [`heap_sort`].
pub fn sort_small<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && less(&items[j], &items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Sorts in place in O(n log n) with no allocation and little code (not stably): for lists
/// whose length the request decides, such as its unknown keys.
pub fn heap_sort<T>(items: &mut [T], less: impl Fn(&T, &T) -> bool) {
    let sift = |v: &mut [T], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(&v[child], &v[child + 1]) {
            child += 1;
        }
        if !less(&v[root], &v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    let n = items.len();
    for i in (0..n / 2).rev() {
        sift(items, i, n);
    }
    for end in (1..n).rev() {
        items.swap(0, end);
        sift(items, 0, end);
    }
}

#[cfg(test)]
mod sort_tests {
    use super::sort_small;

    #[test]
    fn sorts_stably() {
        let mut v = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (0, 'f')];
        sort_small(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, [(0, 'f'), (1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: [u8; 0] = [];
        sort_small(&mut empty, |a, b| a < b);
    }

    #[test]
    fn heap_sort_sorts_as_slice_sort() {
        let mut seed = 7u64;
        for len in 0..200 {
            let mut v: Vec<u32> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (seed >> 33) as u32 % 50
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            super::heap_sort(&mut v, |a, b| a < b);
            assert_eq!(v, want, "{len}");
        }
    }
}
