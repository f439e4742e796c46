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
use crate::model::Provider;
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

/// Why an answer does not have the documented shape, in serde's words for the same cases
/// ("missing field `x`", "invalid type ..."). It names the field and what was expected,
/// never a value of the body.
enum Shape {
    Missing(&'static str),
    Type(&'static str, &'static str),
}

impl core::fmt::Display for Shape {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Shape::Missing(k) => write!(f, "missing field `{k}`"),
            Shape::Type(k, want) => write!(f, "invalid type for `{k}`, expected {want}"),
        }
    }
}

type Read<T> = Result<T, Shape>;
type Obj = serde_json::Map<String, Value>;

fn malformed(status: u16, what: &str, e: Shape) -> ClientError {
    ClientError::invalid_response(status, format!("{what}: {e}"))
}

/// The wire types' rules, read by hand (the typed serde structs of [`crate::model`] cost the
/// package tens of KB): an object where a struct is; `Option` fields absent or `null`;
/// defaulted `String` fields absent (but not `null`); unknown fields ignored.
fn object<'a>(v: &'a Value, k: &'static str) -> Read<&'a Obj> {
    v.as_object().ok_or(Shape::Type(k, "an object"))
}

fn opt_object<'a>(o: &'a Obj, k: &'static str) -> Read<Option<&'a Obj>> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => object(v, k).map(Some),
    }
}

fn string<'a>(o: &'a Obj, k: &'static str) -> Read<&'a str> {
    o.get(k).ok_or(Shape::Missing(k))?.as_str().ok_or(Shape::Type(k, "a string"))
}

/// A `String` with `#[serde(default)]`: absent is empty, `null` is a wrong type.
fn string_or_empty<'a>(o: &'a Obj, k: &'static str) -> Read<&'a str> {
    match o.get(k) {
        None => Ok(""),
        Some(v) => v.as_str().ok_or(Shape::Type(k, "a string")),
    }
}

fn opt_string(o: &Obj, k: &'static str) -> Read<Option<String>> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_str().map(|s| Some(s.to_string())).ok_or(Shape::Type(k, "a string")),
    }
}

fn opt_i64(o: &Obj, k: &'static str) -> Read<Option<i64>> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or(Shape::Type(k, "an integer")),
    }
}

fn array<'a>(v: &'a Value, k: &'static str) -> Read<&'a [Value]> {
    v.as_array().map(Vec::as_slice).ok_or(Shape::Type(k, "an array"))
}

/// O1's envelope (`code` an integer, `message` and `request_id` strings) and its `data`,
/// when not absent or `null`.
fn read_envelope(raw: &Value) -> Read<(&str, Option<&Value>)> {
    let o = object(raw, "answer")?;
    o.get("code").ok_or(Shape::Missing("code"))?.as_i64().ok_or(Shape::Type("code", "an integer"))?;
    string_or_empty(o, "message")?;
    let request_id = string_or_empty(o, "request_id")?;
    Ok((request_id, o.get("data").filter(|d| !d.is_null())))
}

/// `task_info.external_task_id`, where there is one.
fn external_id(o: &Obj) -> Read<Option<String>> {
    match opt_object(o, "task_info")? {
        Some(info) => opt_string(info, "external_task_id"),
        None => Ok(None),
    }
}

/// A task object of Kling's shape (`o1::QueriedTask`), read.
struct Queried<'a> {
    task_id: &'a str,
    task_status: &'a str,
    task_status_msg: Option<String>,
    external_task_id: Option<String>,
    videos: Vec<Video>,
    created_at: Option<i64>,
    updated_at: Option<i64>,
    final_unit_deduction: Option<&'a Value>,
}

fn read_queried(v: &Value) -> Read<Queried<'_>> {
    let o = object(v, "data")?;
    let task_id = string(o, "task_id")?;
    let task_status = string(o, "task_status")?;
    let task_status_msg = opt_string(o, "task_status_msg")?;
    opt_string(o, "platform_id")?;
    let external_task_id = external_id(o)?;
    let mut videos = Vec::new();
    if let Some(r) = opt_object(o, "task_result")? {
        if let Some(list) = r.get("videos") {
            for v in array(list, "videos")? {
                let v = object(v, "videos")?;
                videos.push(Video {
                    id: opt_string(v, "id")?,
                    url: string(v, "url")?.to_string(),
                    watermark_url: opt_string(v, "watermark_url")?,
                    duration: v.get("duration").and_then(duration_of),
                });
            }
        }
    }
    Ok(Queried {
        task_id,
        task_status,
        task_status_msg,
        external_task_id,
        videos,
        created_at: opt_i64(o, "created_at")?,
        updated_at: opt_i64(o, "updated_at")?,
        final_unit_deduction: o.get("final_unit_deduction").filter(|v| !v.is_null()),
    })
}

fn status_of(provider: Provider, http: u16, state: &str) -> Result<TaskStatus, ClientError> {
    TaskStatus::from_provider(provider, state).ok_or_else(|| {
        ClientError::invalid_response(
            http,
            format!("unknown task status {:?}", state.chars().take(40).collect::<String>()),
        )
    })
}

/// The O1 envelope's `request_id` and its `data`, read with `read`.
fn o1_envelope<'a, T>(
    status: u16,
    raw: &'a Value,
    what: &str,
    read: impl FnOnce(&'a Value) -> Read<T>,
) -> Result<(&'a str, T), ClientError> {
    let (request_id, data) = read_envelope(raw).map_err(|e| malformed(status, what, e))?;
    let data = data.map(read).transpose().map_err(|e| malformed(status, what, e))?;
    match data {
        Some(d) => Ok((request_id, d)),
        None => Err(ClientError::invalid_response(status, "no data")),
    }
}

/// A created task (`o1::CreatedTask`): its id, state and `external_task_id`.
fn read_created(v: &Value) -> Read<(&str, &str, Option<String>)> {
    let o = object(v, "data")?;
    let task_id = string(o, "task_id")?;
    let task_status = string(o, "task_status")?;
    opt_string(o, "platform_id")?;
    let ext = external_id(o)?;
    opt_i64(o, "created_at")?;
    opt_i64(o, "updated_at")?;
    Ok((task_id, task_status, ext))
}

/// V3's `output` object (required) and `request_id` (a string, absent is empty).
fn read_output(raw: &Value) -> Read<(&Obj, &str)> {
    let o = object(raw, "answer")?;
    let output = object(o.get("output").ok_or(Shape::Missing("output"))?, "output")?;
    Ok((output, string_or_empty(o, "request_id")?))
}

/// Parses the answer to a create (O1 `POST …/omni-video`, V3 `POST /v1/tasks/submit`).
pub fn parse_create(provider: Provider, status: u16, body: &str) -> Result<Submitted, ClientError> {
    let raw = envelope(provider, status, body)?;
    match provider.description().answers {
        Answers::Envelope => {
            let (request_id, (task_id, task_status, ext)) = o1_envelope(status, &raw, "create answer", read_created)?;
            if task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty data.task_id"));
            }
            let st = status_of(provider, status, task_status)?;
            Ok(Submitted {
                task_id: task_id.to_string(),
                external_task_id: ext,
                status: st,
                request_id: non_empty(Some(request_id)),
                raw,
            })
        }
        Answers::Output => {
            let read = read_output(&raw).and_then(|(o, request_id)| Ok((string(o, "task_id")?, request_id)));
            let (task_id, request_id) = read.map_err(|e| malformed(status, "submit answer", e))?;
            if task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty output.task_id"));
            }
            Ok(Submitted {
                task_id: task_id.to_string(),
                external_task_id: None,
                status: TaskStatus::Queued,
                request_id: non_empty(Some(request_id)),
                raw,
            })
        }
    }
}

/// A duration as sent: a number, or a decimal in a string (`"5.1"`).
fn duration_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => super::retry::decimal(s.trim()).filter(|d| d.is_finite()),
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
    d: Queried<'_>,
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
    let st = TaskStatus::from_provider(provider, d.task_status)
        .ok_or_else(|| bad(format!("unknown task status {:?}", d.task_status.chars().take(40).collect::<String>())))?;
    let failure =
        (st == TaskStatus::Failed).then(|| TaskFailure { code: None, message: d.task_status_msg.unwrap_or_default() });
    let units = units_of(d.final_unit_deduction);
    Ok(Task {
        task_id: d.task_id.to_string(),
        status: st,
        provider_status: d.task_status.to_string(),
        videos: d.videos,
        failure,
        created_at: d.created_at,
        updated_at: d.updated_at,
        external_task_id: d.external_task_id,
        request_id,
        units,
        raw,
    })
}

/// V3's status answer (`v3::StatusResponse`), read.
struct V3Status<'a> {
    task_id: &'a str,
    task_status: &'a str,
    urls: Vec<String>,
    submit_time: Option<i64>,
    finish_time: Option<i64>,
    error_message: Option<String>,
    duration: Option<i64>,
    request_id: &'a str,
}

fn read_v3_status(raw: &Value) -> Read<V3Status<'_>> {
    let (o, request_id) = read_output(raw)?;
    let task_id = string(o, "task_id")?;
    let task_status = string(o, "task_status")?;
    let mut urls = Vec::new();
    if let Some(list) = o.get("urls").filter(|v| !v.is_null()) {
        for u in array(list, "urls")? {
            urls.push(u.as_str().ok_or(Shape::Type("urls", "a string"))?.to_string());
        }
    }
    let duration = match raw.get("usage").filter(|v| !v.is_null()) {
        Some(u) => opt_i64(object(u, "usage")?, "duration")?,
        None => None,
    };
    Ok(V3Status {
        task_id,
        task_status,
        urls,
        submit_time: opt_i64(o, "submit_time")?,
        finish_time: opt_i64(o, "finish_time")?,
        error_message: opt_string(o, "error_message")?,
        duration,
        request_id,
    })
}

/// Parses the answer to a query (O1 `GET …/omni-video/{id}`, V3 `GET /v1/tasks/status`).
pub fn parse_query(provider: Provider, status: u16, body: &str) -> Result<Task, ClientError> {
    let raw = envelope(provider, status, body)?;
    match provider.description().answers {
        Answers::Envelope => {
            let (request_id, d) = o1_envelope(status, &raw, "query answer", read_queried)?;
            if d.task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty data.task_id"));
            }
            envelope_task(provider, Some(status), d, non_empty(Some(request_id)), raw.clone())
        }
        Answers::Output => {
            let o = read_v3_status(&raw).map_err(|e| malformed(status, "status answer", e))?;
            if o.task_id.trim().is_empty() {
                return Err(ClientError::invalid_response(status, "empty output.task_id"));
            }
            let st = status_of(provider, status, o.task_status)?;
            let duration = o.duration.map(|d| d as f64);
            let videos = o.urls.into_iter().map(|url| Video { url, id: None, duration, watermark_url: None }).collect();
            let failure = (st == TaskStatus::Failed)
                .then(|| TaskFailure { code: None, message: o.error_message.unwrap_or_default() });
            Ok(Task {
                task_id: o.task_id.to_string(),
                status: st,
                provider_status: o.task_status.to_string(),
                videos,
                failure,
                created_at: o.submit_time.map(|s| s.saturating_mul(1000)),
                updated_at: o.finish_time.map(|s| s.saturating_mul(1000)),
                external_task_id: None,
                request_id: non_empty(Some(o.request_id)),
                units: None,
                raw: raw.clone(),
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
            let d = read_queried(item).map_err(|e| malformed(status, &format!("list item {i}"), e))?;
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
    let d = read_queried(body).map_err(|e| bad(format!("callback: {e}")))?;
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
