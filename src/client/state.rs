//! Task states and the poll loop's decisions: each provider's states mapped to one
//! status, the poll interval that grows from 2 s to 10 s, and the overall timeout,
//! checked before every wait so a wait never outlives it.
//!
//! ```
//! use kling_omni::client::state::{poll_interval_ms, TaskStatus};
//! use kling_omni::Provider;
//! assert_eq!(TaskStatus::from_provider(Provider::O1, "succeed"), Some(TaskStatus::Succeeded));
//! assert_eq!(poll_interval_ms(0, 2000, 10_000), 2000);
//! assert_eq!(poll_interval_ms(9, 2000, 10_000), 10_000);
//! ```

use crate::model::Provider;

/// A task's status, the same for both providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Accepted, not started (O1 `submitted`, V3 `Pending`).
    Queued,
    /// Being generated (O1 `processing`, V3 `Running`).
    Running,
    /// Done, with videos (O1 `succeed`, V3 `Success`).
    Succeeded,
    /// Ended without a video (O1 `failed`, V3 `Failure`).
    Failed,
}

impl TaskStatus {
    /// `"queued"`, `"running"`, `"succeeded"` or `"failed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
        }
    }

    /// True for `Succeeded` and `Failed`: polling stops.
    pub fn is_terminal(self) -> bool {
        matches!(self, TaskStatus::Succeeded | TaskStatus::Failed)
    }

    /// The status of a provider's state name; `None` for a name it does not document.
    /// Names are matched exactly as documented (O1 lower case, V3 capitalised), and
    /// also in any case, since gateways are not consistent about it.
    pub fn from_provider(provider: Provider, state: &str) -> Option<TaskStatus> {
        super::api::status_of(provider.description(), state)
    }
}

/// Default first poll interval.
pub const DEFAULT_POLL_INTERVAL_MS: u64 = 2_000;
/// Default longest poll interval.
pub const DEFAULT_POLL_MAX_INTERVAL_MS: u64 = 10_000;
/// Default overall wait: generation takes minutes; give up after 15.
pub const DEFAULT_POLL_TIMEOUT_MS: u64 = 15 * 60 * 1000;

/// The wait before poll number `n + 1`: `initial · 1.5^n`, at most `max`
/// (2 s, 3 s, 4.5 s, 6.75 s, 10 s, 10 s, … with the defaults). A `max` below `initial`
/// keeps the interval at `initial`.
pub fn poll_interval_ms(n: u32, initial_ms: u64, max_ms: u64) -> u64 {
    let max = max_ms.max(initial_ms);
    let mut v = initial_ms as f64;
    for _ in 0..n.min(64) {
        v *= 1.5;
        if v >= max as f64 {
            return max;
        }
    }
    (v.round() as u64).min(max)
}

/// What the poll loop does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStep {
    /// Sleep this long, then query again.
    Wait(u64),
    /// The overall timeout has passed: stop with a timeout error.
    TimedOut,
}

/// Decides the next step of the loop at `now_ms`, for a wait that began at `started_ms`
/// with an overall `timeout_ms` (`None`: no limit) and a planned `interval_ms`. The sleep
/// is cut so it ends at the deadline, not after it.
pub fn next_poll(now_ms: u64, started_ms: u64, timeout_ms: Option<u64>, interval_ms: u64) -> PollStep {
    match timeout_ms {
        None => PollStep::Wait(interval_ms),
        Some(t) => {
            let elapsed = now_ms.saturating_sub(started_ms);
            if elapsed >= t {
                PollStep::TimedOut
            } else {
                PollStep::Wait(interval_ms.min(t - elapsed))
            }
        }
    }
}

/// The time left before the overall deadline, to cap one request's own timeout with;
/// `None` when there is no deadline.
pub fn remaining_ms(now_ms: u64, started_ms: u64, timeout_ms: Option<u64>) -> Option<u64> {
    timeout_ms.map(|t| t.saturating_sub(now_ms.saturating_sub(started_ms)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_states_map_to_one_status() {
        use TaskStatus::*;
        let table: &[(Provider, &str, Option<TaskStatus>)] = &[
            (Provider::O1, "submitted", Some(Queued)),
            (Provider::O1, "processing", Some(Running)),
            (Provider::O1, "succeed", Some(Succeeded)),
            (Provider::O1, "failed", Some(Failed)),
            (Provider::O1, "SUCCEED", Some(Succeeded)),
            (Provider::O1, "Success", None),
            (Provider::O1, "Pending", None),
            (Provider::O1, "", None),
            (Provider::V3, "Pending", Some(Queued)),
            (Provider::V3, "Running", Some(Running)),
            (Provider::V3, "Success", Some(Succeeded)),
            (Provider::V3, "Failure", Some(Failed)),
            (Provider::V3, "pending", Some(Queued)),
            (Provider::V3, "succeed", None),
            (Provider::V3, "failed", None),
            (Provider::V3, "Queued", None),
        ];
        for &(p, s, want) in table {
            assert_eq!(TaskStatus::from_provider(p, s), want, "{p} {s:?}");
        }
        let names: Vec<(&str, bool)> =
            [Queued, Running, Succeeded, Failed].iter().map(|s| (s.as_str(), s.is_terminal())).collect();
        assert_eq!(names, [("queued", false), ("running", false), ("succeeded", true), ("failed", true)]);
    }

    #[test]
    fn interval_grows_from_2_to_10_seconds() {
        let seq: Vec<u64> = (0..8).map(|n| poll_interval_ms(n, 2000, 10_000)).collect();
        assert_eq!(seq, [2000, 3000, 4500, 6750, 10_000, 10_000, 10_000, 10_000]);
        assert_eq!(poll_interval_ms(u32::MAX, 2000, 10_000), 10_000);
        assert_eq!(poll_interval_ms(3, 100, 250), 250);
        assert_eq!(poll_interval_ms(1, 100, 250), 150);
        assert_eq!(poll_interval_ms(5, 500, 100), 500); // max below initial
        assert_eq!(poll_interval_ms(5, 0, 0), 0);
    }

    #[test]
    fn overall_timeout_is_checked_before_each_wait() {
        let table: &[(u64, u64, Option<u64>, u64, PollStep)] = &[
            (1000, 1000, Some(5000), 2000, PollStep::Wait(2000)),
            (4000, 1000, Some(5000), 2000, PollStep::Wait(2000)),
            (5000, 1000, Some(5000), 2000, PollStep::Wait(1000)), // cut to the deadline
            (5999, 1000, Some(5000), 2000, PollStep::Wait(1)),
            (6000, 1000, Some(5000), 2000, PollStep::TimedOut),
            (9000, 1000, Some(5000), 2000, PollStep::TimedOut),
            (9000, 1000, None, 2000, PollStep::Wait(2000)),
            (0, 1000, Some(5000), 2000, PollStep::Wait(2000)), // clock went back
            (1000, 1000, Some(0), 2000, PollStep::TimedOut),
        ];
        for &(now, start, t, iv, want) in table {
            assert_eq!(next_poll(now, start, t, iv), want, "{now} {start} {t:?} {iv}");
        }
        assert_eq!(remaining_ms(3000, 1000, Some(5000)), Some(3000));
        assert_eq!(remaining_ms(9000, 1000, Some(5000)), Some(0));
        assert_eq!(remaining_ms(9000, 1000, None), None);
    }
}
