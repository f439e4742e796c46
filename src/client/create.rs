//! Never a duplicate paid task: what to do when a create request fails.
//!
//! Neither API has an idempotency key, so a create whose answer is lost (a network error
//! after sending, a timeout, a 5xx, a 2xx that cannot be read) may or may not have made a
//! task. The client never sends it again. Instead:
//!
//! - **O1** looks the task up by its `external_task_id` (`GET …/omni-video/{id}`, which the
//!   gateway documents for exactly this). The client sets a random one when the caller
//!   gives none (option `autoExternalId`, on by default). Found: the submit succeeds with
//!   that task. Not found, or the lookup fails too: the create fails with `ambiguous: true`.
//! - **V3** documents `parameters.external_task_id` ("supports querying by that id") but no
//!   query that takes it: `GET /v1/tasks/status` takes only `task_id`. The client does not
//!   guess an undocumented lookup and does not add an id to V3 bodies; a lost answer fails at
//!   once with `ambiguous: true`, carrying the caller's own `external_task_id` if it set
//!   one, so the caller can reconcile through the provider.
//!
//! Only answers that are refusals (the task was certainly not created) are retried: 429
//! with no code or with 1302/1303, and V3's 006001094 (not enough task resources). Every
//! other error fails at once and is not ambiguous.
//!
//! ```
//! use kling_omni::client::create::{decide, CreateDecision};
//! use kling_omni::client::retry::Failure;
//! use kling_omni::Provider;
//! assert_eq!(decide(Provider::O1, &Failure::Timeout, true), CreateDecision::LookUp);
//! assert_eq!(decide(Provider::V3, &Failure::Timeout, true), CreateDecision::FailAmbiguous);
//! ```

use super::error::code_info;
use super::retry::Failure;
use crate::model::Provider;
use serde_json::Value;

/// What to do after a create attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateDecision {
    /// A refusal: no task was made. Send again after a backoff (if retries are left).
    Retry,
    /// The answer was lost: look the task up by its `external_task_id` before deciding.
    LookUp,
    /// O1 refused the create as an invalid parameter (1201) while it carried an
    /// `external_task_id`: the gateway refuses an id it already has (its "idempotency
    /// control"), which is what happens when an earlier copy of this create got through
    /// (a browser resends a POST by itself when a reused keep-alive connection closes
    /// before the answer). Look the id up: found, that is the task; not found, fail with
    /// the original error, not ambiguous.
    CheckExisting,
    /// The answer was lost and there is no lookup: fail with `ambiguous: true`.
    FailAmbiguous,
    /// A definite error: no task was made, nothing to retry.
    Fail,
}

/// True when the failure means the answer to a create was lost, so the task may exist.
pub fn answer_lost(failure: &Failure) -> bool {
    match failure {
        Failure::Network | Failure::Timeout | Failure::Malformed { .. } => true,
        Failure::Status { status, .. } => *status >= 500,
        Failure::Api { status, code } => match code_info(code) {
            Some(i) if i.create_safe_to_retry => false,
            // Server-side errors and V3's "task response error" say nothing about
            // whether the task was made.
            Some(i) => matches!(i.category, super::CodeCategory::Server | super::CodeCategory::TaskResponse),
            None => *status >= 500,
        },
    }
}

/// True when the failure is a refusal that is safe to send again.
pub fn safe_to_retry(failure: &Failure) -> bool {
    match failure {
        Failure::Api { code, .. } => code_info(code).is_some_and(|i| i.create_safe_to_retry),
        Failure::Status { status, .. } => *status == 429,
        _ => false,
    }
}

/// Decides what to do after a create attempt failed. `has_external_id`: the create carried
/// an `external_task_id`. Whether retries are left is the caller's count.
pub fn decide(provider: Provider, failure: &Failure, has_external_id: bool) -> CreateDecision {
    if safe_to_retry(failure) {
        CreateDecision::Retry
    } else if provider.description().query_by_external_id
        && has_external_id
        && matches!(failure, Failure::Api { code, .. } if code == "1201")
    {
        CreateDecision::CheckExisting
    } else if answer_lost(failure) {
        if provider.description().query_by_external_id && has_external_id {
            CreateDecision::LookUp
        } else {
            CreateDecision::FailAmbiguous
        }
    } else {
        CreateDecision::Fail
    }
}

/// A random `external_task_id` from 16 random bytes: `ko-` and 32 hex digits.
pub fn auto_external_id(random: [u8; 16]) -> String {
    let mut s = String::with_capacity(35);
    s.push_str("ko-");
    for b in random {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// The `external_task_id` a create will carry, setting one where the client should.
///
/// O1: the caller's non-empty `external_task_id`, or, when the field is absent or `null` and
/// `auto` is on, a new one from `random` written into the body. V3: the caller's
/// `parameters.external_task_id`, never set by the client (see the module notes). A body
/// that is not an object, or an id of the wrong type, is left alone (validation reports it).
pub fn ensure_external_id(provider: Provider, body: &mut Value, auto: bool, random: [u8; 16]) -> Option<String> {
    match provider {
        Provider::O1 | Provider::Kling => {
            let obj = body.as_object_mut()?;
            match obj.get("external_task_id") {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                None | Some(Value::Null) if auto => {
                    let id = auto_external_id(random);
                    obj.insert("external_task_id".into(), Value::String(id.clone()));
                    Some(id)
                }
                _ => None,
            }
        }
        Provider::V3 => match body.pointer("/parameters/external_task_id") {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use CreateDecision::*;

    #[test]
    fn decisions_after_a_failed_create() {
        // (provider, failure, has external id, decision)
        let table: &[(Provider, Failure, bool, CreateDecision)] = &[
            // refusals: safe to send again, whatever the provider
            (Provider::O1, Failure::api(429, "1302"), true, Retry),
            (Provider::O1, Failure::api(429, "1303"), false, Retry),
            (Provider::V3, Failure::api(429, "1302"), false, Retry),
            (Provider::V3, Failure::api(500, "006001094"), false, Retry),
            (Provider::O1, Failure::Status { status: 429, has_body: false }, true, Retry),
            (Provider::V3, Failure::Status { status: 429, has_body: true }, false, Retry),
            // lost answers, O1 with an external id: look it up
            (Provider::O1, Failure::Network, true, LookUp),
            (Provider::O1, Failure::Timeout, true, LookUp),
            (Provider::O1, Failure::Status { status: 500, has_body: false }, true, LookUp),
            (Provider::O1, Failure::Status { status: 502, has_body: true }, true, LookUp),
            (Provider::O1, Failure::Status { status: 503, has_body: false }, true, LookUp),
            (Provider::O1, Failure::Malformed { status: 200 }, true, LookUp),
            (Provider::O1, Failure::api(500, "5000"), true, LookUp),
            (Provider::O1, Failure::api(503, "5001"), true, LookUp),
            (Provider::O1, Failure::api(504, "5002"), true, LookUp),
            (Provider::O1, Failure::api(500, "12345"), true, LookUp),
            // lost answers with no lookup: ambiguous, never resent
            (Provider::O1, Failure::Network, false, FailAmbiguous),
            (Provider::O1, Failure::Timeout, false, FailAmbiguous),
            (Provider::O1, Failure::Malformed { status: 201 }, false, FailAmbiguous),
            (Provider::V3, Failure::Network, true, FailAmbiguous),
            (Provider::V3, Failure::Timeout, false, FailAmbiguous),
            (Provider::V3, Failure::Status { status: 500, has_body: false }, false, FailAmbiguous),
            (Provider::V3, Failure::Status { status: 503, has_body: false }, true, FailAmbiguous),
            (Provider::V3, Failure::Malformed { status: 200 }, false, FailAmbiguous),
            (Provider::V3, Failure::api(500, "006001095"), false, FailAmbiguous),
            // definite errors: fail, not ambiguous
            (Provider::O1, Failure::api(401, "1000"), true, Fail),
            (Provider::O1, Failure::api(401, "1004"), true, Fail),
            (Provider::O1, Failure::api(400, "1201"), false, Fail),
            // an id the gateway already has: an earlier copy may have got through
            (Provider::O1, Failure::api(400, "1201"), true, CheckExisting),
            (Provider::V3, Failure::api(400, "1201"), true, Fail),
            (Provider::O1, Failure::api(400, "1200"), true, Fail),
            (Provider::O1, Failure::api(400, "1301"), true, Fail),
            (Provider::O1, Failure::api(429, "1304"), true, Fail),
            (Provider::O1, Failure::api(429, "1102"), true, Fail),
            (Provider::O1, Failure::api(403, "1103"), true, Fail),
            (Provider::V3, Failure::api(500, "006001099"), false, Fail),
            (Provider::V3, Failure::api(400, "77"), false, Fail),
            (Provider::O1, Failure::Status { status: 400, has_body: true }, true, Fail),
            (Provider::O1, Failure::Status { status: 401, has_body: false }, true, Fail),
            (Provider::V3, Failure::Status { status: 404, has_body: false }, false, Fail),
        ];
        for (p, f, ext, want) in table {
            assert_eq!(decide(*p, f, *ext), *want, "{p} {f:?} ext={ext}");
        }
    }

    #[test]
    fn auto_ids_are_hex() {
        assert_eq!(auto_external_id([0; 16]), "ko-00000000000000000000000000000000");
        let r = [0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xfe, 0xff];
        assert_eq!(auto_external_id(r), "ko-deadbeef0102030405060708090afeff");
    }

    #[test]
    fn external_ids_set_only_where_they_should_be() {
        let r = [7u8; 16];
        let auto = auto_external_id(r);
        // (provider, body, auto, returned id, body after)
        let table: Vec<(Provider, Value, bool, Option<String>, Value)> = vec![
            (
                Provider::O1,
                json!({"prompt":"a"}),
                true,
                Some(auto.clone()),
                json!({"prompt":"a","external_task_id":auto}),
            ),
            (
                Provider::O1,
                json!({"prompt":"a","external_task_id":null}),
                true,
                Some(auto.clone()),
                json!({"prompt":"a","external_task_id":auto}),
            ),
            (Provider::O1, json!({"prompt":"a"}), false, None, json!({"prompt":"a"})),
            (
                Provider::O1,
                json!({"external_task_id":"mine"}),
                true,
                Some("mine".into()),
                json!({"external_task_id":"mine"}),
            ),
            (
                Provider::O1,
                json!({"external_task_id":"mine"}),
                false,
                Some("mine".into()),
                json!({"external_task_id":"mine"}),
            ),
            // wrong type or empty: left for the validator to report
            (Provider::O1, json!({"external_task_id":""}), true, None, json!({"external_task_id":""})),
            (Provider::O1, json!({"external_task_id":5}), true, None, json!({"external_task_id":5})),
            (Provider::O1, json!([1]), true, None, json!([1])),
            // V3: never set by the client
            (Provider::V3, json!({"model":"m","parameters":{}}), true, None, json!({"model":"m","parameters":{}})),
            (Provider::V3, json!({"model":"m"}), true, None, json!({"model":"m"})),
            (
                Provider::V3,
                json!({"parameters":{"external_task_id":"v"}}),
                true,
                Some("v".into()),
                json!({"parameters":{"external_task_id":"v"}}),
            ),
        ];
        for (p, mut body, auto_on, want_id, want_body) in table {
            let before = body.clone();
            assert_eq!(ensure_external_id(p, &mut body, auto_on, r), want_id, "{p} {before}");
            assert_eq!(body, want_body, "{p} {before}");
        }
    }
}
