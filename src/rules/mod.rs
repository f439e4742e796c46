//! The validator.
use crate::model::{MediaFacts, Provider};
use crate::report::{Report, Scenario};
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

/// Validates a request for a provider.
pub fn validate(_provider: Provider, _request: &Value, _media: &MediaFacts) -> Result<Report, ArgumentError> {
    Ok(Report { scenario: Scenario::TextToVideo, issues: vec![], unverified: vec![] })
}

/// Validates a request given as JSON text.
pub fn validate_json(provider: Provider, request: &str, media: &MediaFacts) -> Result<Report, ArgumentError> {
    let v: Value = serde_json::from_str(request).map_err(|e| ArgumentError::NotJson(e.to_string()))?;
    validate(provider, &v, media)
}
