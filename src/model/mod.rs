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
    /// Kling's own API: the flat body at `POST /v1/videos/omni-video`, models
    /// `kling-video-o1` and `kling-v3-omni`.
    Kling,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 3] = [Provider::O1, Provider::V3, Provider::Kling];

    /// Everything the library knows of this provider: one description each.
    pub fn description(self) -> &'static crate::provider::Description {
        match self {
            Provider::O1 => &crate::provider::o1::DESCRIPTION,
            Provider::V3 => &crate::provider::v3::DESCRIPTION,
            Provider::Kling => &crate::provider::kling::DESCRIPTION,
        }
    }

    /// `"o1"`, `"v3"` or `"kling"`.
    pub fn as_str(self) -> &'static str {
        self.description().name
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The providers that take a model name (`[Kling, V3]` for `kling-v3-omni`), read from their
/// descriptions; empty for a name no provider takes.
pub fn providers_of_model(name: &str) -> Vec<Provider> {
    Provider::ALL.into_iter().filter(|p| p.description().model_names().any(|m| m == name)).collect()
}

/// An unknown provider name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown provider {:?}: expected \"o1\", \"v3\" or \"kling\"", self.0)
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| UnknownProvider(s.chars().take(40).collect()))
    }
}
