//! One description per provider: its wire layout, field names and types, enum sets, limits,
//! duration domain by scenario, defaults, endpoints and auth form. The rules, `allowedOptions`,
//! `defaults`, the messages, the client and the docs read these descriptions; they never ask
//! "is this provider V3?".
//!
//! A provider takes one or more models ([`Rules`]): the `kling` provider (Kling's own API)
//! serves `kling-video-o1` and `kling-v3-omni` in one flat body, each with its own rules.
//! Adding a provider is a new module here and its row in [`Provider`]'s table
//! (`crate::model::Provider::description`); the rules need no change unless it brings a rule
//! of a new kind.

pub mod doc;
pub mod kling;
pub mod o1;
pub mod v3;

use crate::model::Provider;

/// Where a provider's fields sit in its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Every field at the root (O1, Kling's own API).
    Flat,
    /// `model` at the root, `prompt`/`negative_prompt` under `input`, the rest under
    /// `parameters` (the V3 gateway).
    Nested,
}

/// The JSON type a `duration` is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationType {
    /// A string of decimal digits (`"5"`).
    String,
    /// A JSON integer (`5`).
    Integer,
}

/// What `duration` accepts (seconds, inclusive), by scenario. In a `video_edit` it is always
/// ignored (the output is as long as the input video).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// How it is written.
    pub kind: DurationType,
    /// The range everywhere else.
    pub range: (u64, u64),
    /// The range with a `feature` reference video, where it is narrower.
    pub with_feature_video: Option<(u64, u64)>,
    /// Only these values in `text_to_video` and with a first frame alone (O1's 5/10 rule).
    pub short_list: Option<&'static [u64]>,
    /// The default, which multi-shot durations must add up to when `duration` is absent.
    pub default: u64,
}

/// How `aspect_ratio` stands with a frame image or in a video edit. Everywhere else it is
/// required, from [`ASPECT_RATIOS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AspectRatioRule {
    /// O1: with a frame image or in a video edit it is not supported (an error).
    UnsupportedWithFrameOrEdit,
    /// V3 gateway: required in every scenario but a video edit (allowed there); frames do
    /// not change it.
    RequiredExceptEdit,
    /// `kling-v3-omni`: with a frame image or in a video edit it is ignored (a warning; Kling's
    /// spec: "required when the first-frame reference or video editing features are not used").
    IgnoredWithFrameOrEdit,
    /// A model the provider does not take: the two models disagree with a frame or in an
    /// edit, so it is not checked there.
    UncheckedWithFrameOrEdit,
}

/// How the watermark switch is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watermark {
    /// `watermark_info: {"enabled": bool}` (Kling's official form).
    Info,
    /// `watermark_enabled: bool` (the V3 gateway).
    Enabled,
}

/// `element_list`, where a model documents it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elements {
    /// At most this many elements while the request has a frame image (revision 2).
    pub max_with_frame: Option<usize>,
}

/// The rules of one model on one provider.
#[derive(Debug)]
pub struct Rules {
    /// The model's name (`"kling-v3-omni"`); empty for the rules of a model the provider does
    /// not take.
    pub model: &'static str,
    /// The documented keys of the section that holds the parameters: the root of a flat
    /// body, `parameters` of a nested one (the model key included for a flat body).
    pub fields: &'static [&'static str],
    /// The documented keys of `input` (nested bodies only).
    pub input_fields: &'static [&'static str],
    /// `element_list`, where documented (elsewhere it is an unknown field).
    pub elements: Option<Elements>,
    /// `negative_prompt` is documented.
    pub negative_prompt: bool,
    /// `duration`.
    pub duration: Duration,
    /// The `sound` values, where documented; `sound: "on"` is then an error with any video.
    pub sound: Option<&'static [&'static str]>,
    /// `multi_shot`, `shot_type` and `multi_prompt` are documented and checked.
    pub multi_shot: bool,
    /// `aspect_ratio` with a frame image or in a video edit.
    pub aspect_ratio: AspectRatioRule,
    /// The watermark switch.
    pub watermark: Watermark,
    /// `callback_url` is documented.
    pub callback: bool,
}

/// How the client authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `Authorization: <key>` by default, `Bearer <key>` on request (the V3 gateway, R2).
    BareKey,
    /// `Authorization: Bearer <JWT>`, the JWT minted from an access key and a secret key
    /// (Kling's own API); a token minted elsewhere is sent as it is.
    Jwt,
}

/// How a query for one task is addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryPath {
    /// `GET {base}{path}/{id}`: a task id or an external task id.
    Segment(&'static str),
    /// `GET {base}{path}?task_id={id}`.
    TaskIdParam(&'static str),
}

/// The shape of the provider's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// Kling's `{code, message, request_id, data}`, `code` 0 = success; states
    /// `submitted`/`processing`/`succeed`/`failed`.
    Envelope,
    /// The V3 gateway's `{output{task_id, task_status, …}, usage, request_id}`; states
    /// `Pending`/`Running`/`Success`/`Failure`.
    Output,
}

/// Everything the library knows of one provider.
#[derive(Debug)]
pub struct Description {
    /// Which provider.
    pub provider: Provider,
    /// Its name in the API (`"o1"`, `"v3"`, `"kling"`).
    pub name: &'static str,
    /// What it is, for docs.
    pub title: &'static str,
    /// How messages name it, in English and Chinese (`"the V3 gateway"`, `"V3 网关"`).
    pub label: (&'static str, &'static str),
    /// Where its fields sit.
    pub layout: Layout,
    /// The key that names the model (`model_name`, `model`).
    pub model_key: &'static str,
    /// The model key must be present.
    pub model_required: bool,
    /// The models it takes, each with its rules; the first is the default when the model is
    /// absent.
    pub models: &'static [&'static Rules],
    /// The rules for a model it does not take (reported `invalid_value` on its own): the
    /// fields and limits its models share.
    pub unknown_model: &'static Rules,
    /// The base URL of the documented host, where there is one the user need not choose.
    pub default_base_url: Option<&'static str>,
    /// The create path (`POST {base}{path}`).
    pub create_path: &'static str,
    /// How one task is queried.
    pub query_path: QueryPath,
    /// The list path (`GET {base}{path}?pageNum=&pageSize=`), where there is one.
    pub list_path: Option<&'static str>,
    /// A task can be queried by its `external_task_id` (the id in the query path).
    pub query_by_external_id: bool,
    /// How the client authenticates.
    pub auth: Auth,
    /// The shape of its answers.
    pub answers: Answers,
}

/// The documented aspect ratios (every provider).
pub const ASPECT_RATIOS: &[&str] = &["16:9", "9:16", "1:1"];
/// The documented `mode` values (every provider).
pub const MODES: &[&str] = &["std", "pro"];
/// The documented `sound` values.
pub const SOUNDS: &[&str] = &["on", "off"];

impl Description {
    /// The rules for the model a request names (`None`: the model key is absent, or not a
    /// string: the default model's rules).
    pub fn rules_for(&self, model: Option<&str>) -> &'static Rules {
        match model {
            None => self.models[0],
            Some(m) => self.models.iter().find(|r| r.model == m).copied().unwrap_or(self.unknown_model),
        }
    }

    /// The names of the models it takes.
    pub fn model_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.models.iter().map(|r| r.model)
    }
}

/// The descriptions of every provider, in the order of [`Provider::ALL`].
pub fn all() -> [&'static Description; 3] {
    [&o1::DESCRIPTION, &v3::DESCRIPTION, &kling::DESCRIPTION]
}

/// The `duration` values one request accepts: a short list or a whole range (no allocation:
/// `validate` asks on every keystroke; the values are listed only for a report or a form).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Only these (O1's `"5"`/`"10"`), ascending.
    List(&'static [u64]),
    /// Every whole number from the first to the second, inclusive.
    Range(u64, u64),
}

impl Domain {
    /// Whether `n` is accepted.
    pub fn contains(&self, n: u64) -> bool {
        match *self {
            Domain::List(l) => l.contains(&n),
            Domain::Range(lo, hi) => (lo..=hi).contains(&n),
        }
    }

    /// The smallest and largest value.
    pub fn bounds(&self) -> (u64, u64) {
        match *self {
            Domain::List(l) => (l.first().copied().unwrap_or(0), l.last().copied().unwrap_or(0)),
            Domain::Range(lo, hi) => (lo, hi),
        }
    }

    /// Every value, ascending.
    pub fn values(&self) -> Vec<u64> {
        match *self {
            Domain::List(l) => l.to_vec(),
            Domain::Range(lo, hi) => (lo..=hi).collect(),
        }
    }

    /// True for a short list rather than a range.
    pub fn is_list(&self) -> bool {
        matches!(self, Domain::List(_))
    }
}

impl Duration {
    /// What is accepted, given whether the request is a first frame alone or text to video
    /// (`short`) and has a `feature` video; `None` in a video edit (ignored).
    pub fn domain(&self, edit: bool, short: bool, feature_video: bool) -> Option<Domain> {
        if edit {
            return None;
        }
        if let (true, Some(list)) = (short, self.short_list) {
            return Some(Domain::List(list));
        }
        let (lo, hi) = if feature_video { self.with_feature_video.unwrap_or(self.range) } else { self.range };
        Some(Domain::Range(lo, hi))
    }
}
