//! The client's pure decisions: which answers to retry, how long to wait, what state a
//! task is in, what a lost create answer means, and the error every failure becomes.
//! The browser side (`fetch`, timers, `AbortSignal`) lives in the wasm layer and only
//! carries these decisions out, so all of them are tested natively.
//!
//! - [`retry`]: should an attempt be retried, backoff with full jitter, `Retry-After`;
//! - [`state`]: provider states to one status, the poll interval, the overall timeout;
//! - [`answer`]: the four documented answers parsed into one task shape;
//! - [`create`]: what to do when a create request's answer is lost;
//! - [`error`]: the error kinds, Kling's codes and their meanings, the [`Secret`] key.
//!
//! ```
//! use kling_omni::client::{answer, state::TaskStatus, Provider};
//! let task = answer::parse_query(Provider::V3, 200,
//!     r#"{"output":{"task_id":"t1","task_status":"Running"},"request_id":"r"}"#).unwrap();
//! assert_eq!(task.status, TaskStatus::Running);
//! ```

pub mod answer;
pub mod create;
pub mod error;
pub mod jwt;
pub mod retry;
pub mod state;

pub use crate::model::Provider;
pub use answer::{Submitted, Task, TaskFailure, Video};
pub use error::{ClientError, CodeCategory, ErrorKind, Secret};
pub use state::TaskStatus;
