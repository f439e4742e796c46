//! Never a duplicate paid task: what to do when a create request fails.
//!
//! Neither API has an idempotency key, so a create whose answer is lost (a network error
//! after sending, a timeout, a 5xx, a 2xx that cannot be read) may or may not have made a
//! task. The client never sends it again. Instead:
//!
//! The client sets a random `external_task_id` when the request has none (or `""`), for every
//! provider (option `autoExternalId`, on by default), where the provider's description puts
//! it (the root of a flat body, `parameters` of a nested one). A create the browser resends
//! by itself (Chromium does, when a reused keep-alive connection closes before the answer)
//! then carries the same id, which the gateways refuse a second time.
//!
//! - **O1 and Kling's own API** look the task up by that id (`GET …/omni-video/{id}`, which
//!   they document for exactly this). Found: the submit succeeds with that task. Not found,
//!   or the lookup fails too: the create fails with `ambiguous: true`.
//! - **V3** documents `parameters.external_task_id` ("supports querying by that id") but no
//!   query that takes it: `GET /v1/tasks/status` takes only `task_id`. The client does not
//!   guess an undocumented lookup; a lost answer fails at once with `ambiguous: true` and
//!   the `external_task_id`, so the caller can find the task through the provider.
//!
//! Only answers that are refusals (the task was certainly not created) are retried: 429
//! with no code or with 1302/1303, and V3's 006001094 (not enough task resources). Every
//! other error fails at once and is not ambiguous.
//!
//! ```
//! use kling_omni::client::create::{decide, CreateDecision};
//! use kling_omni::client::ClientError;
//! use kling_omni::Provider;
//! assert_eq!(decide(Provider::O1, &ClientError::timeout(60_000), true), CreateDecision::LookUp);
//! assert_eq!(decide(Provider::V3, &ClientError::timeout(60_000), true), CreateDecision::FailAmbiguous);
//! ```

use super::api;
use super::error::{code_info, ClientError, CodeCategory, ErrorKind};
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
pub fn answer_lost(e: &ClientError) -> bool {
    let status = e.status.unwrap_or(0);
    match e.kind {
        ErrorKind::Network | ErrorKind::Timeout | ErrorKind::InvalidResponse => true,
        ErrorKind::HttpStatus => status >= 500,
        ErrorKind::Api => match e.code_info() {
            Some(i) if i.create_safe_to_retry => false,
            // Server-side errors and V3's "task response error" say nothing about
            // whether the task was made.
            Some(i) => matches!(i.category, CodeCategory::Server | CodeCategory::TaskResponse),
            None => status >= 500,
        },
        _ => false,
    }
}

/// True when the failure is a refusal that is safe to send again.
pub fn safe_to_retry(e: &ClientError) -> bool {
    match e.kind {
        ErrorKind::Api => e.code.as_deref().and_then(code_info).is_some_and(|i| i.create_safe_to_retry),
        ErrorKind::HttpStatus => e.status == Some(429),
        _ => false,
    }
}

/// Decides what to do after a create attempt failed. `has_external_id`: the create carried
/// an `external_task_id`. Whether retries are left is the caller's count.
pub fn decide(provider: Provider, e: &ClientError, has_external_id: bool) -> CreateDecision {
    let d = provider.description();
    let lookup = d.query_by_external_id && has_external_id;
    if safe_to_retry(e) {
        CreateDecision::Retry
    } else if lookup
        && e.kind == ErrorKind::Api
        && e.code.as_deref().is_some_and(|c| api::refuses_known_external_id(d, c))
    {
        CreateDecision::CheckExisting
    } else if !lookup && has_external_id && refused_as_task_creation(e) {
        // No lookup (the V3 gateway) and a create refused as a task creation error while it
        // carried an external id: that is how the gateway refuses an id it already holds,
        // which a browser's own resend of this create meets when the first copy got through
        // (Chromium resends a POST dropped on a reused keep-alive connection). The task may
        // exist: ambiguous, naming the id, never a definite "no task" (issue 14).
        CreateDecision::FailAmbiguous
    } else if answer_lost(e) {
        if lookup {
            CreateDecision::LookUp
        } else {
            CreateDecision::FailAmbiguous
        }
    } else {
        CreateDecision::Fail
    }
}

/// A refusal in the "task creation" category (V3's 006001099).
fn refused_as_task_creation(e: &ClientError) -> bool {
    e.kind == ErrorKind::Api && e.code_info().is_some_and(|i| i.category == CodeCategory::TaskCreation)
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
/// The caller's non-empty id where the provider's description puts it (O1 and Kling
/// `external_task_id`, V3 `parameters.external_task_id`). When the field is absent, `null`
/// or `""` (an empty id counts as none) and `auto` is on, a new one from `random` is written
/// into the body (V3: into `parameters`, made when absent). A body that is not an object, or
/// an id of the wrong type or only spaces, is left alone (validation reports it).
pub fn ensure_external_id(provider: Provider, body: &mut Value, auto: bool, random: [u8; 16]) -> Option<String> {
    let d = provider.description();
    let pointer = api::external_id_pointer(d);
    match body.pointer(pointer) {
        Some(Value::String(s)) if !s.trim().is_empty() => return Some(s.clone()),
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(_) => return None,
    }
    if !auto {
        return None;
    }
    // The object that holds it, made where absent or `null` (V3's `parameters`).
    let mut obj = body.as_object_mut()?;
    let mut keys = pointer.trim_start_matches('/').split('/').peekable();
    let mut key = keys.next()?;
    while keys.peek().is_some() {
        let slot = obj.entry(key).or_insert(Value::Null);
        if slot.is_null() {
            *slot = Value::Object(Default::default());
        }
        obj = slot.as_object_mut()?;
        key = keys.next()?;
    }
    let id = auto_external_id(random);
    obj.insert(key.into(), Value::String(id.clone()));
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use CreateDecision::*;

    #[test]
    fn decisions_after_a_failed_create() {
        let network = ClientError::network("");
        let timeout = ClientError::timeout(1);
        let malformed = |s: u16| ClientError::invalid_response(s, "");
        let status = ClientError::http_status;
        let api = |s: u16, c: &str| ClientError::api(s, c, None, None);
        // (provider, failure, has external id, decision)
        let table: &[(Provider, ClientError, bool, CreateDecision)] = &[
            // refusals: safe to send again, whatever the provider
            (Provider::O1, api(429, "1302"), true, Retry),
            (Provider::O1, api(429, "1303"), false, Retry),
            (Provider::V3, api(429, "1302"), false, Retry),
            (Provider::V3, api(500, "006001094"), false, Retry),
            (Provider::O1, status(429), true, Retry),
            (Provider::V3, status(429), false, Retry),
            // lost answers, O1 with an external id: look it up
            (Provider::O1, network.clone(), true, LookUp),
            (Provider::O1, timeout.clone(), true, LookUp),
            (Provider::O1, status(500), true, LookUp),
            (Provider::O1, status(502), true, LookUp),
            (Provider::O1, status(503), true, LookUp),
            (Provider::O1, malformed(200), true, LookUp),
            (Provider::O1, api(500, "5000"), true, LookUp),
            (Provider::O1, api(503, "5001"), true, LookUp),
            (Provider::O1, api(504, "5002"), true, LookUp),
            (Provider::O1, api(500, "12345"), true, LookUp),
            // lost answers with no lookup: ambiguous, never resent
            (Provider::O1, network.clone(), false, FailAmbiguous),
            (Provider::O1, timeout.clone(), false, FailAmbiguous),
            (Provider::O1, malformed(201), false, FailAmbiguous),
            (Provider::V3, network.clone(), true, FailAmbiguous),
            (Provider::V3, timeout.clone(), false, FailAmbiguous),
            (Provider::V3, status(500), false, FailAmbiguous),
            (Provider::V3, status(503), true, FailAmbiguous),
            (Provider::V3, malformed(200), false, FailAmbiguous),
            (Provider::V3, api(500, "006001095"), false, FailAmbiguous),
            // definite errors: fail, not ambiguous
            (Provider::O1, api(401, "1000"), true, Fail),
            (Provider::O1, api(401, "1004"), true, Fail),
            (Provider::O1, api(400, "1201"), false, Fail),
            // an id the gateway already has: an earlier copy may have got through
            (Provider::O1, api(400, "1201"), true, CheckExisting),
            (Provider::V3, api(400, "1201"), true, Fail),
            (Provider::O1, api(400, "1200"), true, Fail),
            (Provider::O1, api(400, "1301"), true, Fail),
            (Provider::O1, api(429, "1304"), true, Fail),
            (Provider::O1, api(429, "1102"), true, Fail),
            (Provider::O1, api(403, "1103"), true, Fail),
            (Provider::V3, api(500, "006001099"), false, Fail),
            // with an external id it may be the refusal of a copy whose first got through
            (Provider::V3, api(500, "006001099"), true, FailAmbiguous),
            (Provider::V3, api(400, "77"), false, Fail),
            (Provider::O1, status(400), true, Fail),
            (Provider::O1, status(401), true, Fail),
            (Provider::V3, status(404), false, Fail),
            // the caller's own doing: fail as it is
            (Provider::O1, ClientError::aborted(), true, Fail),
            (Provider::O1, ClientError::argument("x"), true, Fail),
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
            // R2: an empty id counts as none, so the automatic one fills it
            (Provider::O1, json!({"external_task_id":""}), true, Some(auto.clone()), json!({"external_task_id":auto})),
            (Provider::O1, json!({"external_task_id":""}), false, None, json!({"external_task_id":""})),
            // wrong type or only spaces: left for the validator to report
            (Provider::O1, json!({"external_task_id":"  "}), true, None, json!({"external_task_id":"  "})),
            (Provider::O1, json!({"external_task_id":5}), true, None, json!({"external_task_id":5})),
            (Provider::O1, json!([1]), true, None, json!([1])),
            // Kling's own API: as O1
            (
                Provider::Kling,
                json!({"prompt":"a"}),
                true,
                Some(auto.clone()),
                json!({"prompt":"a","external_task_id":auto}),
            ),
            // V3 (issue 14): set under `parameters`, made when absent or null; never over a
            // value of the wrong type
            (
                Provider::V3,
                json!({"model":"m","parameters":{}}),
                true,
                Some(auto.clone()),
                json!({"model":"m","parameters":{"external_task_id":auto}}),
            ),
            (
                Provider::V3,
                json!({"model":"m"}),
                true,
                Some(auto.clone()),
                json!({"model":"m","parameters":{"external_task_id":auto}}),
            ),
            (
                Provider::V3,
                json!({"parameters":null}),
                true,
                Some(auto.clone()),
                json!({"parameters":{"external_task_id":auto}}),
            ),
            (Provider::V3, json!({"model":"m","parameters":{}}), false, None, json!({"model":"m","parameters":{}})),
            (Provider::V3, json!({"parameters":[]}), true, None, json!({"parameters":[]})),
            (Provider::V3, json!({"parameters":"x"}), true, None, json!({"parameters":"x"})),
            (
                Provider::V3,
                json!({"parameters":{"external_task_id":""}}),
                true,
                Some(auto.clone()),
                json!({"parameters":{"external_task_id":auto}}),
            ),
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
