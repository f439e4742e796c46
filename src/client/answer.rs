//! The documented answers of both providers, parsed with the wire types of
//! [`crate::model`] into one task shape ([`Task`]) and one submit shape ([`Submitted`]).
//! Error answers and anything malformed become a [`ClientError`] (kind `api`, `http_status`
//! or `invalid_response`): never a panic.
//!
//! Times are milliseconds since the epoch for both providers (V3's `submit_time` and
//! `finish_time` are seconds, multiplied by 1000; `finish_time` is V3's `updatedAt`).
//!
//! ```
//! use kling_omni::client::answer::parse_create;
//! use kling_omni::client::ErrorKind;
//! use kling_omni::Provider;
//! let s = parse_create(Provider::O1, 200, r#"{"code":0,"message":"success","request_id":"r1",
//!     "data":{"task_id":"t1","task_status":"submitted"}}"#).unwrap();
//! assert_eq!(s.task_id, "t1");
//! let e = parse_create(Provider::O1, 429, r#"{"code":1302,"message":"slow down","request_id":"r2"}"#);
//! let e = e.unwrap_err();
//! assert_eq!((e.kind, e.status, e.code.as_deref()), (ErrorKind::Api, Some(429), Some("1302")));
//! ```

use super::error::{normalize_code, ClientError};
use super::state::TaskStatus;
use crate::model::{o1, v3, Provider};
use crate::provider::Answers;
use serde_json::Value;

/// One generated video.
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    /// Where to download it (expires; Kling keeps results 30 days).
    pub url: String,
    /// The video's id (O1).
    pub id: Option<String>,
    /// Seconds (O1 `duration`, V3 `usage.duration`).
    pub duration: Option<f64>,
    /// The watermarked copy (O1, where asked for).
    pub watermark_url: Option<String>,
}

/// Why a task failed.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFailure {
    /// A code, where the provider gave one.
    pub code: Option<String>,
    /// The provider's reason (`task_status_msg`, `error_message`), possibly empty.
    pub message: String,
}

/// A task, the same shape for both providers.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// The provider's task id.
    pub task_id: String,
    /// The status.
    pub status: TaskStatus,
    /// The provider's own state name (`processing`, `Running`, …).
    pub provider_status: String,
    /// The videos, once succeeded.
    pub videos: Vec<Video>,
    /// Why it failed, when it failed.
    pub failure: Option<TaskFailure>,
    /// When it was created, ms since the epoch.
    pub created_at: Option<i64>,
    /// When it last changed (V3: when it finished), ms since the epoch.
    pub updated_at: Option<i64>,
    /// The caller's `external_task_id`, where the answer carries it (O1).
    pub external_task_id: Option<String>,
    /// The answer's `request_id`, where not empty.
    pub request_id: Option<String>,
    /// The units billed for the task, as sent (Kling's `final_unit_deduction`, a string).
    pub units: Option<String>,
    /// The whole answer as sent (for a task of a list, that task's object).
    pub raw: Value,
}

/// The answer to a create.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    /// The provider's task id.
    pub task_id: String,
    /// The `external_task_id` sent with the create, or the one the answer carries.
    pub external_task_id: Option<String>,
    /// `Queued` right after creation (V3's submit answer has no state).
    pub status: TaskStatus,
    /// The answer's `request_id`, where not empty.
    pub request_id: Option<String>,
    /// The whole answer as sent.
    pub raw: Value,
}

impl Submitted {
    /// The submit result made from a task found by looking it up after a lost answer.
    pub fn from_task(task: &Task, external_task_id: Option<String>) -> Submitted {
        Submitted {
            task_id: task.task_id.clone(),
            external_task_id: external_task_id.or_else(|| task.external_task_id.clone()),
            status: task.status,
            request_id: task.request_id.clone(),
            raw: task.raw.clone(),
        }
    }
}

fn is_success(status: u16) -> bool {
    (200..=299).contains(&status)
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Reads the body as JSON and finds an API error in it. `Ok(value)` is a 2xx JSON body
/// with no error.
fn envelope(provider: Provider, status: u16, body: &str) -> Result<Value, ClientError> {
    let value: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            return Err(if is_success(status) {
                ClientError::invalid_response(status, format!("not JSON ({})", e.classify_name()))
            } else {
                ClientError::http_status(status)
            })
        }
    };
    if let Some(err) = api_error(provider, status, &value) {
        return Err(err);
    }
    if !is_success(status) {
        return Err(ClientError::http_status(status));
    }
    if !value.is_object() {
        return Err(ClientError::invalid_response(status, "not a JSON object"));
    }
    Ok(value)
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "io",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "data error",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

/// An API error in a body: O1's `{code ≠ 0, message, request_id}`; for V3, whose error
/// shape is not documented, a top-level `code` or an `error` object (`{code, message}` or
/// a string) in a body without `output.task_id`.
fn api_error(provider: Provider, status: u16, v: &Value) -> Option<ClientError> {
    let obj = v.as_object()?;
    let request_id = non_empty(obj.get("request_id").or_else(|| obj.get("requestId")).and_then(Value::as_str));
    let top_message = obj.get("message").or_else(|| obj.get("msg")).and_then(Value::as_str);
    if provider.description().answers == Answers::Output && v.pointer("/output/task_id").is_some_and(Value::is_string) {
        return None;
    }
    if let Some(code) = obj.get("code").and_then(normalize_code) {
        if code == "0" {
            return None;
        }
        return Some(ClientError::api(status, code, non_empty(top_message), request_id));
    }
    match obj.get("error") {
        Some(Value::Object(e)) => {
            let code = e.get("code").and_then(normalize_code);
            let message = e.get("message").and_then(Value::as_str).or(top_message);
            match code {
                Some(code) => Some(ClientError::api(status, code, non_empty(message), request_id)),
                None if is_success(status) => None,
                None => Some(ClientError::http_status(status)),
            }
        }
        _ => None,
    }
}

fn malformed(status: u16, what: &str, e: serde_json::Error) -> ClientError {
    // The serde message names the field and type, never a value of the body.
    ClientError::invalid_response(status, format!("{what}: {e}"))
}

fn status_of(provider: Provider, http: u16, state: &str) -> Result<TaskStatus, ClientError> {
    TaskStatus::from_provider(provider, state).ok_or_else(|| {
        ClientError::invalid_response(
            http,
            format!("unknown task status {:?}", state.chars().take(40).collect::<String>()),
        )
    })
}

/// The O1 envelope with its `data` read as `T`.
fn o1_envelope<T: serde::de::DeserializeOwned>(
    status: u16,
    raw: &Value,
    what: &str,
) -> Result<(o1::Envelope<T>, T), ClientError> {
    let mut env: o1::Envelope<T> = serde_json::from_value(raw.clone()).map_err(|e| malformed(status, what, e))?;
    match env.data.take() {
        Some(d) => Ok((env, d)),
        None => Err(ClientError::invalid_response(status, "no data")),
    }
}

/// Parses the answer to a create (O1 `POST …/omni-video`, V3 `POST /v1/tasks/submit`).
pub fn parse_create(provider: Provider, status: u16, body: &str) -> Result<Submitted, ClientError> {
    let raw = envelope(provider, status, body)?;
    match provider.description().answers {
        Answers::Envelope => {
            let (env, data): (_, o1::CreatedTask) = o1_envelope(status, &raw, "create answer")?;
            if data.task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty data.task_id"));
            }
            let st = status_of(provider, status, &data.task_status)?;
            Ok(Submitted {
                task_id: data.task_id,
                external_task_id: data.task_info.and_then(|i| i.external_task_id),
                status: st,
                request_id: non_empty(Some(&env.request_id)),
                raw,
            })
        }
        Answers::Output => {
            let r: v3::SubmitResponse =
                serde_json::from_value(raw.clone()).map_err(|e| malformed(status, "submit answer", e))?;
            if r.output.task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty output.task_id"));
            }
            Ok(Submitted {
                task_id: r.output.task_id,
                external_task_id: None,
                status: TaskStatus::Queued,
                request_id: non_empty(Some(&r.request_id)),
                raw,
            })
        }
    }
}

fn duration_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|d| d.is_finite()),
        _ => None,
    }
}

/// `final_unit_deduction` as sent: a string as it is, a number as its decimal text; any
/// other value is left out (it is no reason to reject a task).
fn units_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A task object of Kling's shape (a query's `data`, a list's item, a callback's body).
fn envelope_task(
    provider: Provider,
    status: Option<u16>,
    d: o1::QueriedTask,
    request_id: Option<String>,
    raw: Value,
) -> Result<Task, ClientError> {
    let bad = |detail: String| match status {
        Some(s) => ClientError::invalid_response(s, detail),
        None => ClientError { detail: Some(detail), ..ClientError::new(super::ErrorKind::InvalidResponse) },
    };
    if d.task_id.trim().is_empty() {
        return Err(bad("empty task_id".into()));
    }
    let st = TaskStatus::from_provider(provider, &d.task_status)
        .ok_or_else(|| bad(format!("unknown task status {:?}", d.task_status.chars().take(40).collect::<String>())))?;
    let videos = d
        .task_result
        .map(|r| r.videos)
        .unwrap_or_default()
        .into_iter()
        .map(|v| Video {
            url: v.url,
            id: v.id,
            duration: v.duration.as_ref().and_then(duration_of),
            watermark_url: v.watermark_url,
        })
        .collect();
    let failure = (st == TaskStatus::Failed)
        .then(|| TaskFailure { code: None, message: d.task_status_msg.clone().unwrap_or_default() });
    Ok(Task {
        task_id: d.task_id,
        status: st,
        provider_status: d.task_status,
        videos,
        failure,
        created_at: d.created_at,
        updated_at: d.updated_at,
        external_task_id: d.task_info.and_then(|i| i.external_task_id),
        request_id,
        units: units_of(d.final_unit_deduction.as_ref()),
        raw,
    })
}

/// Parses the answer to a query (O1 `GET …/omni-video/{id}`, V3 `GET /v1/tasks/status`).
pub fn parse_query(provider: Provider, status: u16, body: &str) -> Result<Task, ClientError> {
    let raw = envelope(provider, status, body)?;
    match provider.description().answers {
        Answers::Envelope => {
            let (env, d): (_, o1::QueriedTask) = o1_envelope(status, &raw, "query answer")?;
            if d.task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty data.task_id"));
            }
            envelope_task(provider, Some(status), d, non_empty(Some(&env.request_id)), raw)
        }
        Answers::Output => {
            let r: v3::StatusResponse =
                serde_json::from_value(raw.clone()).map_err(|e| malformed(status, "status answer", e))?;
            let o = r.output;
            if o.task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty output.task_id"));
            }
            let st = status_of(provider, status, &o.task_status)?;
            let duration = r.usage.and_then(|u| u.duration).map(|d| d as f64);
            let videos = o
                .urls
                .unwrap_or_default()
                .into_iter()
                .map(|url| Video { url, id: None, duration, watermark_url: None })
                .collect();
            let failure = (st == TaskStatus::Failed)
                .then(|| TaskFailure { code: None, message: o.error_message.clone().unwrap_or_default() });
            Ok(Task {
                task_id: o.task_id,
                status: st,
                provider_status: o.task_status,
                videos,
                failure,
                created_at: o.submit_time.map(|s| s.saturating_mul(1000)),
                updated_at: o.finish_time.map(|s| s.saturating_mul(1000)),
                external_task_id: None,
                request_id: non_empty(Some(&r.request_id)),
                units: None,
                raw,
            })
        }
    }
}

/// Parses the answer to a list (Kling's `GET /v1/videos/omni-video?pageNum=&pageSize=`):
/// the envelope with `data` an array of tasks. Each task's `raw` is its own object; its
/// `request_id` is the answer's. One malformed task makes the whole answer malformed.
pub fn parse_list(provider: Provider, status: u16, body: &str) -> Result<Vec<Task>, ClientError> {
    let raw = envelope(provider, status, body)?;
    if provider.description().answers != Answers::Envelope {
        return Err(ClientError::invalid_response(status, "this provider has no task list"));
    }
    let request_id = non_empty(raw.get("request_id").and_then(Value::as_str));
    let items = match raw.get("data") {
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ClientError::invalid_response(status, "data is not an array")),
        None => return Err(ClientError::invalid_response(status, "no data")),
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let d: o1::QueriedTask =
                serde_json::from_value(item.clone()).map_err(|e| malformed(status, &format!("list item {i}"), e))?;
            envelope_task(provider, Some(status), d, request_id.clone(), item.clone())
                .map_err(|e| ClientError { detail: e.detail.map(|d| format!("list item {i}: {d}")), ..e })
        })
        .collect()
}

/// Parses the body of a callback Kling POSTs to a request's `callback_url` on each status
/// change: the task object itself (`{task_id, task_status, task_status_msg, task_info,
/// created_at, updated_at, task_result, final_unit_deduction?}`), not wrapped in an
/// envelope. Anything else is an `invalid_response` with no status (it is not an answer to
/// a request of ours).
pub fn parse_callback(provider: Provider, body: &Value) -> Result<Task, ClientError> {
    let bad =
        |detail: String| ClientError { detail: Some(detail), ..ClientError::new(super::ErrorKind::InvalidResponse) };
    if provider.description().answers != Answers::Envelope {
        return Err(bad(format!("{provider} sends no callbacks")));
    }
    if !body.is_object() {
        return Err(bad("a callback body is a JSON object".into()));
    }
    // The serde message names the field and type, never a value of the body.
    let d: o1::QueriedTask = serde_json::from_value(body.clone()).map_err(|e| bad(format!("callback: {e}")))?;
    envelope_task(provider, None, d, None, body.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;
    use serde_json::json;

    const O1_CREATE: &str = r#"{"code":0,"message":"success","request_id":"req_1",
        "data":{"task_id":"task_01","task_status":"submitted","created_at":1735558800000,"updated_at":1735558800000,
        "task_info":{"external_task_id":"ext-1"}}}"#;

    #[test]
    fn o1_create_answer() {
        let s = parse_create(Provider::O1, 200, O1_CREATE).unwrap();
        assert_eq!(
            (s.task_id.as_str(), s.external_task_id.as_deref(), s.status, s.request_id.as_deref()),
            ("task_01", Some("ext-1"), TaskStatus::Queued, Some("req_1"))
        );
        assert_eq!(s.raw["data"]["created_at"], json!(1735558800000i64));
    }

    #[test]
    fn v3_submit_answer() {
        let s = parse_create(Provider::V3, 200, r#"{"output":{"task_id":"abc"},"request_id":"rq"}"#).unwrap();
        assert_eq!(
            (s.task_id.as_str(), s.external_task_id, s.status, s.request_id.as_deref()),
            ("abc", None, TaskStatus::Queued, Some("rq"))
        );
        let s = parse_create(Provider::V3, 200, r#"{"output":{"task_id":"abc"},"request_id":""}"#).unwrap();
        assert_eq!(s.request_id, None);
    }

    #[test]
    fn o1_query_answers() {
        let ok = r#"{"code":0,"message":"success","request_id":"r","data":{"task_id":"t","task_status":"succeed",
            "task_status_msg":"","task_info":{"external_task_id":"e"},"created_at":1,"updated_at":2,
            "task_result":{"videos":[{"id":"v1","url":"https://x/1.mp4","duration":"5.1","watermark_url":"https://x/w.mp4"}]}}}"#;
        let t = parse_query(Provider::O1, 200, ok).unwrap();
        assert_eq!((t.status, t.provider_status.as_str()), (TaskStatus::Succeeded, "succeed"));
        assert_eq!(
            t.videos,
            vec![Video {
                url: "https://x/1.mp4".into(),
                id: Some("v1".into()),
                duration: Some(5.1),
                watermark_url: Some("https://x/w.mp4".into())
            }]
        );
        assert_eq!((t.created_at, t.updated_at, t.external_task_id.as_deref()), (Some(1), Some(2), Some("e")));
        assert_eq!(t.failure, None);

        let failed = r#"{"code":0,"message":"success","request_id":"r","data":{"task_id":"t","task_status":"failed",
            "task_status_msg":"Failure to pass the risk control system"}}"#;
        let t = parse_query(Provider::O1, 200, failed).unwrap();
        assert_eq!(t.status, TaskStatus::Failed);
        assert_eq!(
            t.failure,
            Some(TaskFailure { code: None, message: "Failure to pass the risk control system".into() })
        );
        assert!(t.videos.is_empty());

        let running = r#"{"code":0,"data":{"task_id":"t","task_status":"processing"}}"#;
        let t = parse_query(Provider::O1, 200, running).unwrap();
        assert_eq!((t.status, t.request_id, t.failure), (TaskStatus::Running, None, None));
    }

    #[test]
    fn v3_status_answers() {
        let ok = r#"{"output":{"task_id":"task_id","task_status":"Success","urls":["https://xxxxx/xxxx.mp4"],
            "submit_time":1756959000,"finish_time":1756959050},"usage":{"duration":5},"request_id":""}"#;
        let t = parse_query(Provider::V3, 200, ok).unwrap();
        assert_eq!((t.status, t.provider_status.as_str()), (TaskStatus::Succeeded, "Success"));
        assert_eq!(
            t.videos,
            vec![Video { url: "https://xxxxx/xxxx.mp4".into(), id: None, duration: Some(5.0), watermark_url: None }]
        );
        assert_eq!((t.created_at, t.updated_at), (Some(1_756_959_000_000), Some(1_756_959_050_000)));
        let failed = r#"{"output":{"task_id":"task_id","task_status":"Failure","submit_time":1756959000,
            "finish_time":1756959019,"error_message":"error_message"},"usage":{"duration":5},"request_id":""}"#;
        let t = parse_query(Provider::V3, 200, failed).unwrap();
        assert_eq!(t.failure, Some(TaskFailure { code: None, message: "error_message".into() }));
        let pending = r#"{"output":{"task_id":"a","task_status":"Pending"}}"#;
        assert_eq!(parse_query(Provider::V3, 200, pending).unwrap().status, TaskStatus::Queued);
    }

    fn api(status: u16, code: &str, message: Option<&str>, request_id: Option<&str>) -> ClientError {
        ClientError::api(status, code, message.map(Into::into), request_id.map(Into::into))
    }

    #[test]
    fn error_answers() {
        let table: &[(Provider, u16, &str, ClientError)] = &[
            (
                Provider::O1,
                429,
                r#"{"code":1302,"message":"too fast","request_id":"r1"}"#,
                api(429, "1302", Some("too fast"), Some("r1")),
            ),
            (
                Provider::O1,
                200,
                r#"{"code":1201,"message":"bad","request_id":"r2","data":null}"#,
                api(200, "1201", Some("bad"), Some("r2")),
            ),
            (Provider::O1, 401, r#"{"code":"1004","message":""}"#, api(401, "1004", None, None)),
            (
                Provider::V3,
                500,
                r#"{"code":"006001094","message":"no res"}"#,
                api(500, "006001094", Some("no res"), None),
            ),
            (
                Provider::V3,
                500,
                r#"{"code":6001099,"msg":"x","request_id":"q"}"#,
                api(500, "006001099", Some("x"), Some("q")),
            ),
            (
                Provider::V3,
                400,
                r#"{"error":{"code":"006001095","message":"m"},"request_id":"q"}"#,
                api(400, "006001095", Some("m"), Some("q")),
            ),
            (Provider::V3, 401, r#"{"error":{"message":"no key"}}"#, ClientError::http_status(401)),
            (Provider::O1, 500, "", ClientError::http_status(500)),
            (Provider::O1, 503, "<html>busy</html>", ClientError::http_status(503)),
            (Provider::V3, 502, "  ", ClientError::http_status(502)),
            (Provider::O1, 404, r#"{"detail":"nope"}"#, ClientError::http_status(404)),
        ];
        for (p, status, body, want) in table {
            assert_eq!(&parse_create(*p, *status, body).unwrap_err(), want, "{p} {status} {body}");
            assert_eq!(&parse_query(*p, *status, body).unwrap_err(), want, "{p} {status} {body}");
        }
    }

    #[test]
    fn malformed_answers_are_typed_errors() {
        let cases: &[(Provider, &str, &str)] = &[
            (Provider::O1, "{\"code\":0,\"data\":{\"task_id\":", "not JSON (truncated)"),
            (Provider::O1, "not json", "not JSON (syntax error)"),
            (Provider::O1, "", "not JSON (truncated)"),
            (Provider::O1, "[1,2]", "not a JSON object"),
            (Provider::O1, "null", "not a JSON object"),
            (Provider::O1, r#"{"code":0,"message":"success"}"#, "no data"),
            (Provider::O1, r#"{"code":0,"data":{"task_id":"","task_status":"submitted"}}"#, "empty data.task_id"),
            (
                Provider::O1,
                r#"{"code":0,"data":{"task_id":"t","task_status":"weird"}}"#,
                "unknown task status \"weird\"",
            ),
            (Provider::V3, r#"{"request_id":"x"}"#, "submit answer: missing field `output`"),
            (Provider::V3, r#"{"output":{"task_id":""}}"#, "empty output.task_id"),
        ];
        for &(p, body, detail) in cases {
            match parse_create(p, 200, body) {
                Err(ClientError { kind: ErrorKind::InvalidResponse, status: Some(200), detail: Some(d), .. }) => {
                    assert_eq!(d, detail, "{body}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
        let q: &[(Provider, &str, &str)] = &[
            (Provider::O1, r#"{"code":0,"data":{"task_id":5,"task_status":"succeed"}}"#, "query answer: invalid type"),
            (
                Provider::O1,
                r#"{"code":0,"data":{"task_id":"t","task_status":"succeed","task_result":{"videos":[{"id":"v"}]}}}"#,
                "query answer: missing field `url`",
            ),
            (
                Provider::V3,
                r#"{"output":{"task_id":"t","task_status":"Success","urls":"x"}}"#,
                "status answer: invalid type",
            ),
            (Provider::V3, r#"{"output":{"task_id":"t","task_status":"Done"}}"#, "unknown task status \"Done\""),
            (
                Provider::V3,
                r#"{"output":{"task_id":"t","task_status":"Running","submit_time":"x"}}"#,
                "status answer: invalid type",
            ),
        ];
        for &(p, body, prefix) in q {
            match parse_query(p, 200, body) {
                Err(ClientError {
                    kind: ErrorKind::InvalidResponse, status: Some(200), detail: Some(detail), ..
                }) => {
                    assert!(detail.starts_with(prefix), "{body}: {detail}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn error_answers_are_client_errors() {
        let c = api(429, "1303", Some("busy"), Some("r"));
        assert_eq!(
            (c.kind, c.status, c.code.as_deref(), c.request_id.as_deref(), c.retryable),
            (ErrorKind::Api, Some(429), Some("1303"), Some("r"), true)
        );
        let c = parse_query(Provider::O1, 500, "").unwrap_err();
        assert_eq!((c.kind, c.status, c.retryable), (ErrorKind::HttpStatus, Some(500), true));
        let m = parse_query(Provider::O1, 200, "x").unwrap_err();
        assert_eq!((m.kind, m.status), (ErrorKind::InvalidResponse, Some(200)));
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A crude fuzz: every prefix of documented answers, and junk, for both providers.
        let samples =
            [O1_CREATE, r#"{"output":{"task_id":"t","task_status":"Success","urls":["u"]},"usage":{"duration":5}}"#];
        for s in samples {
            for end in 0..=s.len() {
                if !s.is_char_boundary(end) {
                    continue;
                }
                for p in [Provider::O1, Provider::V3] {
                    for st in [200, 201, 400, 429, 500] {
                        let _ = parse_create(p, st, &s[..end]);
                        let _ = parse_query(p, st, &s[..end]);
                    }
                }
            }
        }
        for junk in ["\u{0}", "{\"code\":1e999}", "{\"code\":[]}", "{\"error\":5}", "{\"output\":null}", "\"x\""] {
            for p in [Provider::O1, Provider::V3] {
                assert!(parse_create(p, 200, junk).is_err(), "{junk}");
                assert!(parse_query(p, 200, junk).is_err(), "{junk}");
            }
        }
    }

    #[test]
    fn kling_units_list_and_callbacks() {
        // (final_unit_deduction as sent, units)
        for (sent, want) in
            [(json!("5"), Some("5")), (json!(7.5), Some("7.5")), (json!(null), None), (json!([1]), None)]
        {
            let body = json!({ "code": 0, "data": { "task_id": "t", "task_status": "succeed", "final_unit_deduction": sent } });
            let t = parse_query(Provider::Kling, 200, &body.to_string()).unwrap();
            assert_eq!(t.units.as_deref(), want, "{sent}");
        }
        let list = json!({ "code": 0, "request_id": "r", "data": [
            { "task_id": "a", "task_status": "succeed", "final_unit_deduction": "10" },
            { "task_id": "b", "task_status": "submitted" } ] });
        let ts = parse_list(Provider::Kling, 200, &list.to_string()).unwrap();
        let got: Vec<(&str, TaskStatus, Option<&str>, Option<&str>)> =
            ts.iter().map(|t| (t.task_id.as_str(), t.status, t.units.as_deref(), t.request_id.as_deref())).collect();
        assert_eq!(
            got,
            [("a", TaskStatus::Succeeded, Some("10"), Some("r")), ("b", TaskStatus::Queued, None, Some("r"))]
        );
        assert_eq!(ts[1].raw, json!({ "task_id": "b", "task_status": "submitted" }));
        // (list body, detail of the invalid_response)
        for (body, detail) in [
            (json!({ "code": 0 }), "no data"),
            (json!({ "code": 0, "data": {} }), "data is not an array"),
            (
                json!({ "code": 0, "data": [{ "task_id": "a", "task_status": "nope" }] }),
                "list item 0: unknown task status \"nope\"",
            ),
            (
                json!({ "code": 0, "data": [{ "task_id": "a", "task_status": "succeed" }, 5] }),
                "list item 1: invalid type",
            ),
        ] {
            let e = parse_list(Provider::Kling, 200, &body.to_string()).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidResponse, "{body}");
            assert!(e.detail.as_deref().unwrap_or("").starts_with(detail), "{body}: {e:?}");
        }
        let e = parse_list(Provider::Kling, 401, r#"{"code":1004,"message":"expired"}"#).unwrap_err();
        assert_eq!((e.kind, e.code.as_deref()), (ErrorKind::Api, Some("1004")));

        let cb = json!({ "task_id": "t", "task_status": "processing", "task_info": { "external_task_id": "e",
            "parent_video": { "id": "p", "url": "u", "duration": "5" } }, "created_at": 1, "updated_at": 2 });
        let t = parse_callback(Provider::Kling, &cb).unwrap();
        assert_eq!(
            (t.status, t.external_task_id.as_deref(), t.request_id, t.raw == cb),
            (TaskStatus::Running, Some("e"), None, true)
        );
        for bad in [
            json!(null),
            json!("t"),
            json!({}),
            json!({ "task_id": "t", "task_status": "x" }),
            json!({ "code": 0, "data": cb }),
        ] {
            let e = parse_callback(Provider::Kling, &bad).unwrap_err();
            assert_eq!((e.kind, e.status), (ErrorKind::InvalidResponse, None), "{bad}");
        }
        assert!(parse_callback(Provider::V3, &cb).is_err());
    }

    #[test]
    fn submitted_from_a_looked_up_task() {
        let t = parse_query(
            Provider::O1,
            200,
            r#"{"code":0,"request_id":"r","data":{"task_id":"t","task_status":"processing","task_info":{"external_task_id":"e"}}}"#,
        )
        .unwrap();
        let s = Submitted::from_task(&t, None);
        assert_eq!(
            (s.task_id.as_str(), s.external_task_id.as_deref(), s.status, s.request_id.as_deref()),
            ("t", Some("e"), TaskStatus::Running, Some("r"))
        );
        assert_eq!(Submitted::from_task(&t, Some("mine".into())).external_task_id.as_deref(), Some("mine"));
    }
}
