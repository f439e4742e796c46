//! The wire model of both APIs: request bodies and every documented answer, with the
//! exact wire names, plus the provider switch and the media facts handed to the validator.

pub mod common;
pub mod facts;
pub mod o1;
pub mod v3;

use std::fmt;
use std::str::FromStr;

pub use facts::{ImageFacts, MediaFacts, VideoFacts};

/// Which API a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// Kling Omni Video O1: flat body, `POST /kling/v1/videos/omni-video`.
    O1,
    /// Kling V3 Omni: `model`/`input`/`parameters`, `POST /v1/tasks/submit`.
    V3,
}

impl Provider {
    /// `"o1"` or `"v3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::O1 => "o1",
            Provider::V3 => "v3",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The providers that take a model name, by their names (`["kling", "v3"]` for
/// `kling-v3-omni`); empty for a name no provider takes. Kling's own API (`kling`) serves
/// both models in the flat body.
pub fn providers_of_model(name: &str) -> &'static [&'static str] {
    match name {
        o1::MODEL_NAME => &["o1", "kling"],
        v3::MODEL => &["kling", "v3"],
        _ => &[],
    }
}

/// An unknown provider name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown provider {:?}: expected \"o1\" or \"v3\"", self.0)
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "o1" => Ok(Provider::O1),
            "v3" => Ok(Provider::V3),
            other => Err(UnknownProvider(other.chars().take(40).collect())),
        }
    }
}
