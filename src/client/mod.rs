//! The client with no I/O: every decision of `KlingClient` (which request to send, when to
//! retry and how long to wait, what a lost create means, when a wait ends) made in pure
//! Rust and tested natively; the browser side only carries the steps out.
//!
//! - [`machine`]: one call as a machine that says what to do next and takes each outcome back;
//! - [`config`]: the client's options, their defaults and checks;
//! - [`api`]: how the client talks to a provider, read from its description (URLs, auth,
//!   where the `external_task_id` goes, state names);
//! - [`jwt`]: the token Kling's own API takes, all but the HMAC;
//! - [`retry`]: should an attempt be retried, backoff with full jitter, `Retry-After`;
//! - [`state`]: provider states to one status, the poll interval, the overall timeout;
//! - [`answer`]: the documented answers parsed into one task shape;
//! - [`create`]: what to do when a create request's answer is lost;
//! - [`error`]: the one error type, Kling's codes and their meanings, the [`Secret`] key.
//!
//! ```
//! use kling_omni::client::{answer, state::TaskStatus, Provider};
//! let task = answer::parse_query(Provider::V3, 200,
//!     r#"{"output":{"task_id":"t1","task_status":"Running"},"request_id":"r"}"#).unwrap();
//! assert_eq!(task.status, TaskStatus::Running);
//! ```

// `ClientError` is a flat record of what JS receives; errors are the cold path, and each
// is converted once, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod answer;
pub mod api;
pub mod config;
pub mod create;
pub mod error;
pub mod jwt;
pub mod machine;
pub mod retry;
pub mod state;

pub use crate::model::Provider;
pub use answer::{Submitted, Task, TaskFailure, Video};
pub use error::{ClientError, CodeCategory, ErrorKind, Secret};
pub use state::TaskStatus;
