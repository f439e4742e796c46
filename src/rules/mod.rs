//! The validator: every rule of `SPEC.md`, all issues at once, paths in the provider's wire
//! format.
//!
//! The request is read once into a [`view::View`] (each field with its type checked once, so a
//! wrong type in one field never hides issues in others), then each rule group looks at the
//! view:
//!
//! - [`fields`]: model name, enums, unknown fields, watermark, callback, external id;
//! - [`text`]: prompts, lengths and placeholders;
//! - [`lists`]: images, elements and videos: counts and frame types;
//! - [`params`]: `aspect_ratio`, `duration` and `sound` by scenario;
//! - [`shots`]: V3 multi-shot;
//! - [`media`]: URLs, Base64 and the facts of each file.
//!
//! ```
//! use kling_omni::{validate_json, Provider, Code, path};
//! let r = validate_json(Provider::O1, r#"{"prompt":"a cat","duration":5,"aspect_ratio":"16:9"}"#,
//!     &Default::default()).unwrap();
//! assert!(r.has(Code::InvalidType, &path!["duration"]));
//! ```

pub mod base64;
pub mod fields;
pub mod lists;
pub mod media;
pub mod options;
pub mod params;
pub mod scenario;
pub mod shots;
pub mod text;
pub mod view;

use crate::model::{MediaFacts, Provider};
use crate::report::{Code, Issue, Path, PathSeg, Report};
use serde_json::Value;
use std::fmt;

/// A malformed argument (not an invalid request: those give a report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgumentError {
    /// The request text is not JSON.
    NotJson(String),
    /// The request is not a JSON object.
    NotAnObject(&'static str),
}

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgumentError::NotJson(e) => write!(f, "request is not valid JSON: {e}"),
            ArgumentError::NotAnObject(t) => write!(f, "request must be a JSON object, got {t}"),
        }
    }
}

impl std::error::Error for ArgumentError {}

/// Validates a request for a provider. An invalid request gives a report; only a request that
/// is not a JSON object is an [`ArgumentError`].
pub fn validate(provider: Provider, request: &Value, media: &MediaFacts) -> Result<Report, ArgumentError> {
    let obj = request.as_object().ok_or(ArgumentError::NotAnObject(view::type_name(request)))?;
    let mut cx = Ctx::new(provider);
    let v = view::View::read(&mut cx, obj);
    let scenario = scenario::detect(&v);
    fields::check(&mut cx, &v);
    text::check(&mut cx, &v);
    lists::check(&mut cx, &v, scenario);
    params::check(&mut cx, &v, scenario);
    shots::check(&mut cx, &v, scenario);
    media::check(&mut cx, &v, media);
    Ok(Report { scenario, issues: cx.issues, unverified: cx.unverified })
}

/// Validates a request given as JSON text.
pub fn validate_json(provider: Provider, request: &str, media: &MediaFacts) -> Result<Report, ArgumentError> {
    let v: Value = serde_json::from_str(request).map_err(|e| ArgumentError::NotJson(e.to_string()))?;
    validate(provider, &v, media)
}

/// What the rules share while they run: the provider, and what has been found.
pub struct Ctx {
    /// The provider the request is for.
    pub provider: Provider,
    /// Issues found so far.
    pub issues: Vec<Issue>,
    /// Media that could not be checked.
    pub unverified: Vec<Path>,
}

impl Ctx {
    /// A fresh context.
    pub fn new(provider: Provider) -> Self {
        Ctx { provider, issues: Vec::new(), unverified: Vec::new() }
    }

    /// Records an issue.
    pub fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    /// Records an issue with no params.
    pub fn report(&mut self, code: Code, path: Path) {
        self.issues.push(Issue::new(code, path));
    }

    /// The path of a top-level field in the provider's wire format: O1 fields sit at the
    /// root; V3 prompts under `input`, everything else under `parameters`.
    pub fn field(&self, name: &str) -> Path {
        match self.provider {
            Provider::O1 => vec![PathSeg::from(name)],
            Provider::V3 => {
                let parent = if name == "prompt" || name == "negative_prompt" { "input" } else { "parameters" };
                vec![PathSeg::from(parent), PathSeg::from(name)]
            }
        }
    }
}

/// Appends segments to a path.
pub fn join(base: &[PathSeg], more: impl IntoIterator<Item = PathSeg>) -> Path {
    let mut p = base.to_vec();
    p.extend(more);
    p
}
