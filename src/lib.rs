//! # kling-omni
//!
//! Prepare, check and send requests to Kling's Omni video-generation APIs from a web page:
//! Kling Omni Video **O1** (flat body, `POST /kling/v1/videos/omni-video`) and Kling
//! **V3 Omni** (`model`/`input`/`parameters`, `POST /v1/tasks/submit`).
//!
//! The crate is a pure core, tested natively, and a browser layer compiled only for
//! `wasm32`:
//!
//! - [`model`]: the wire types of the APIs and their answers;
//! - [`provider`]: one description per provider (layout, fields, limits, endpoints, auth);
//! - [`rules`]: every documented constraint, returning a [`Report`] of all issues at once;
//! - [`messages`]: one table of English and Chinese messages;
//! - [`media`]: format sniffing, image/video header readers that never decode pixels, and
//!   the bounded read loop that measures a file, a URL or Base64 (the browser layer drives it);
//! - [`client`]: the client's pure decisions (retry, backoff, task states).
//!
//! ```
//! use kling_omni::{validate_json, Provider};
//! let report = validate_json(Provider::V3, r#"{"model":"kling-v3-omni","input":{"prompt":"a cat"},
//!     "parameters":{"aspect_ratio":"16:9","duration":5}}"#, &Default::default()).unwrap();
//! assert!(report.valid());
//! assert_eq!(report.scenario.as_str(), "text_to_video");
//! ```
#![deny(missing_docs)]

pub mod client;
pub mod json;
pub mod labels;
pub mod media;
pub mod messages;
pub mod model;
pub mod provider;
pub mod report;
pub mod rules;
pub mod write;

#[cfg(target_arch = "wasm32")]
mod wasm;

/// The media inspection exports (`inspectImage`, `inspectVideo`, `inspectRequest`,
/// `validateWithMedia` in JavaScript), for Rust-side browser tests.
#[cfg(all(target_arch = "wasm32", feature = "media"))]
pub use wasm::inspect::{inspect_image_js, inspect_request_js, inspect_video_js, validate_with_media_js};

/// `prepareImage` in JavaScript, for Rust-side browser tests.
#[cfg(all(target_arch = "wasm32", feature = "media"))]
pub use wasm::prepare::prepare_image_js;

/// The JavaScript exports, reachable from Rust for the wasm test suites.
#[cfg(target_arch = "wasm32")]
pub mod wasm_api {
    /// Long `image_url`s replaced by markers, and summaries made, so far (`src/wasm/long.rs`).
    pub use crate::wasm::long::counts as long_string_counts;
    pub use crate::wasm::panic::install as install_panic_hook;
    pub use crate::wasm::schema::{flatten_issues_js, kling_schema_js};
    pub use crate::wasm::validate::{allowed_options_js, apply_fixes_js, defaults_js, validate_js};
}

/// The browser client (`new KlingClient(options)` in JavaScript), `klingToken` and
/// `parseCallback`, for Rust-side browser tests.
#[cfg(all(target_arch = "wasm32", feature = "client"))]
pub use wasm::client::{kling_token, parse_callback, KlingClient};

pub use messages::Locale;
pub use model::{ImageFacts, MediaFacts, Provider, VideoFacts};
pub use report::{Code, Fix, FixOp, Issue, Path, PathSeg, Report, Scenario, Severity};
pub use rules::fixes::{apply_fixes, Applied};
pub use rules::options::{allowed_options, defaults, AllowedOptions, FieldUse};
pub use rules::{validate, validate_json, ArgumentError};
