//! The validator: every rule of `docs/rules.md`, all issues at once, paths in the provider's wire
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
//! Where one edit of the request fixes an issue, the rule attaches it ([`crate::report::Fix`]);
//! [`fixes::apply_fixes`] carries fixes out.
//!
//! ```
//! use kling_omni::{validate_json, Provider, Code, path};
//! let r = validate_json(Provider::O1, r#"{"prompt":"a cat","duration":5,"aspect_ratio":"16:9"}"#,
//!     &Default::default()).unwrap();
//! assert!(r.has(Code::InvalidType, &path!["duration"]));
//! ```

pub mod base64;
pub mod fields;
pub mod fixes;
pub mod lists;
pub mod loc;
pub mod long;
pub mod media;
pub mod options;
pub mod params;
pub mod scenario;
pub mod shots;
pub mod text;
pub mod view;

use crate::json::{Doc, Json, ReadError};
use crate::model::{MediaFacts, Provider};
use crate::provider::{Description, Layout, Rules};
use crate::report::{Code, Issue, Path, Report};
use loc::Loc;
use serde_json::Value;
use std::fmt;

/// A malformed argument (not an invalid request: those give a report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgumentError {
    /// The request text is not JSON.
    NotJson(String),
    /// The request is not a JSON object.
    NotAnObject(&'static str),
    /// The request nests arrays and objects deeper than [`MAX_DEPTH`] levels (no request
    /// needs more than 5; the parser stops there rather than recurse without end).
    TooDeep,
}

/// The deepest nesting of arrays and objects a request may have, the root included
/// (serde_json's recursion limit of 128 stops at the 128th level; the reader stops there too).
pub const MAX_DEPTH: usize = crate::json::MAX_DEPTH;

impl From<ReadError> for ArgumentError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Syntax(m) => ArgumentError::NotJson(m),
            ReadError::TooDeep => ArgumentError::TooDeep,
        }
    }
}

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgumentError::NotJson(e) => write!(f, "request is not valid JSON: {e}"),
            ArgumentError::NotAnObject(t) => write!(f, "request must be a JSON object, got {t}"),
            ArgumentError::TooDeep => write!(f, "request is nested more than {MAX_DEPTH} levels deep"),
        }
    }
}

impl std::error::Error for ArgumentError {}

/// Validates a request for a provider. An invalid request gives a report; only a request that
/// is not a JSON object is an [`ArgumentError`].
pub fn validate(provider: Provider, request: &Value, media: &MediaFacts) -> Result<Report, ArgumentError> {
    validate_with(provider, request, media, None)
}

/// [`validate`], with the summaries of long `image_url`s the request holds markers for (the
/// wasm layer's; see [`long`]).
pub fn validate_with(
    provider: Provider,
    request: &Value,
    media: &MediaFacts,
    long: Option<&dyn long::LongStrings>,
) -> Result<Report, ArgumentError> {
    validate_doc(provider, Doc::from_value(request).root(), media, long)
}

/// Validates a request given as JSON text, read in one pass by [`crate::json`].
pub fn validate_json(provider: Provider, request: &str, media: &MediaFacts) -> Result<Report, ArgumentError> {
    validate_text_with(provider, request, media, None)
}

/// [`validate_json`], with the summaries of long `image_url`s (see [`validate_with`]).
pub fn validate_text_with(
    provider: Provider,
    request: &str,
    media: &MediaFacts,
    long: Option<&dyn long::LongStrings>,
) -> Result<Report, ArgumentError> {
    crate::json::with_doc(request, |doc| validate_doc(provider, doc?.root(), media, long))
}

/// Validates a read request (see [`crate::json`]).
pub fn validate_doc(
    provider: Provider,
    request: Json,
    media: &MediaFacts,
    long: Option<&dyn long::LongStrings>,
) -> Result<Report, ArgumentError> {
    let obj = request.as_object().ok_or(ArgumentError::NotAnObject(request.type_name()))?;
    let mut cx = Ctx::for_request(provider, obj);
    cx.long = long;
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

/// Reads JSON text into a value, as the validator takes it.
///
/// - Nesting deeper than [`MAX_DEPTH`] is [`ArgumentError::TooDeep`]: serde_json stops
///   there, so no text (nor a JS object, which reaches us as `JSON.stringify`'s text) can
///   exhaust the stack.
/// - A lone UTF-16 surrogate escape (`"\ud83d"`: half an emoji, cut by a `slice` in the
///   page, which `JSON.stringify` writes so) reads as U+FFFD, as the same string does when
///   handed over as a JS string; so an object and its JSON text give the same report, and
///   the client sends what was validated. Only text that failed to parse is scanned again.
pub fn parse_json(text: &str) -> Result<Value, ArgumentError> {
    let error = match serde_json::from_str(text) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let message = error.to_string();
    if message.starts_with("recursion limit exceeded") {
        return Err(ArgumentError::TooDeep);
    }
    if message.starts_with("lone leading surrogate") || message.starts_with("unexpected end of hex escape") {
        if let Some(repaired) = replace_lone_surrogates(text) {
            return parse_json(&repaired);
        }
    }
    Err(ArgumentError::NotJson(message))
}

/// The text with each `\uXXXX` escape of an unpaired surrogate replaced by `\ufffd`, or
/// `None` when it has none.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    let hex = |at: usize| -> Option<u16> {
        let h = text.get(at..at.checked_add(4)?)?;
        h.bytes().all(|b| b.is_ascii_hexdigit()).then(|| u16::from_str_radix(h, 16).ok()).flatten()
    };
    // A `\u` escape at `at` (the backslash), and its code unit.
    let escape = |at: usize| -> Option<u16> { (text.get(at..at + 2)? == "\\u").then(|| hex(at + 2)).flatten() };
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut i, mut copied) = (0, 0);
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = escape(i) else {
            i += 2; // `\\`, `\"`, `\n`, …: the escaped byte is never an escape's start
            continue;
        };
        let paired = match unit {
            0xD800..=0xDBFF => escape(i + 6).is_some_and(|u| (0xDC00..=0xDFFF).contains(&u)),
            0xDC00..=0xDFFF => false,
            _ => {
                i += 6;
                continue;
            }
        };
        if paired {
            i += 12;
            continue;
        }
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(&text[copied..i]);
        o.push_str("\\ufffd");
        i += 6;
        copied = i;
    }
    let mut o = out?;
    o.push_str(&text[copied..]);
    Some(o)
}

/// What the rules share while they run: the provider's description, the rules of the model
/// the request names, and what has been found.
pub struct Ctx<'a> {
    /// The provider the request is for.
    pub provider: Provider,
    /// Its description.
    pub desc: &'static Description,
    /// The rules of the model the request names (the default model's when it names none).
    pub rules: &'static Rules,
    /// Issues found so far.
    pub issues: Vec<Issue>,
    /// Media that could not be checked.
    pub unverified: Vec<Path>,
    /// Where the summaries of long `image_url`s are (the wasm layer's; natively none).
    pub long: Option<&'a dyn long::LongStrings>,
}

impl Ctx<'_> {
    /// A fresh context for the provider's default model.
    pub fn new(provider: Provider) -> Self {
        let desc = provider.description();
        Ctx { provider, desc, rules: desc.models[0], issues: Vec::new(), unverified: Vec::new(), long: None }
    }

    /// A fresh context for the model a request names (its model key at the root; a key of
    /// the wrong type reads as absent, and is reported by `fields`).
    pub fn for_request(provider: Provider, root: crate::json::Obj) -> Self {
        let mut cx = Ctx::new(provider);
        let model = view::get(root, cx.desc.model_key).and_then(Json::as_str);
        cx.rules = cx.desc.rules_for(model);
        cx
    }

    /// Records an issue.
    pub fn push(&mut self, issue: Issue) {
        self.issues.push(issue);
    }

    /// Records an issue with no params.
    pub fn report(&mut self, code: Code, path: Loc) {
        self.issues.push(Issue::new(code, path.path()));
    }

    /// The path of a top-level field in the provider's wire format: a flat body has every
    /// field at the root; a nested one has prompts under `input`, the model at the root and
    /// everything else under `parameters`.
    pub fn field(&self, name: &'static str) -> Loc<'static> {
        field_loc(self.desc, name)
    }
}

/// The place of a top-level field in a provider's wire format (see [`Ctx::field`]).
pub fn field_loc(desc: &Description, name: &'static str) -> Loc<'static> {
    match desc.layout {
        Layout::Flat => Loc::ROOT.key(name),
        Layout::Nested if name == desc.model_key => Loc::ROOT.key(name),
        Layout::Nested => {
            let parent = if name == "prompt" || name == "negative_prompt" { "input" } else { "parameters" };
            Loc::ROOT.key(parent).key(name)
        }
    }
}

/// [`field_loc`] as a report's path.
pub fn field_path(desc: &Description, name: &'static str) -> Path {
    field_loc(desc, name).path()
}
