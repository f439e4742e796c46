//! Every way a client call can fail, as data: an [`ErrorKind`] that TypeScript narrows on,
//! the values behind it (status, code, request id, …), and a message in English or
//! Chinese. Kling's numeric codes and V3's gateway codes are mapped to a [`CodeCategory`]
//! and a meaning by [`code_info`].
//!
//! The API key is a [`Secret`]: it prints as `***`, and [`ClientError::redacted`] removes it
//! from any text a server echoed back, so it never reaches a message or debug output.
//!
//! ```
//! use kling_omni::client::error::{code_info, CodeCategory};
//! let info = code_info("1303").unwrap();
//! assert_eq!(info.category, CodeCategory::RateLimit);
//! assert!(info.retryable);
//! ```

use crate::messages::Locale;
use crate::report::Report;
use std::fmt;

/// An API key. Its `Debug` and `Display` print `***`; only [`Secret::expose`] gives the
/// value, for the one place that builds the `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        Secret(key.into())
    }

    /// The key itself. Use it only to build the `Authorization` header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the key replaced by `***`.
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_string()
        } else {
            text.replace(&self.0, "***")
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// What kind of failure an error is; the `kind` field of the JS error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request is invalid; nothing was sent. Carries the report.
    Validation,
    /// `fetch` failed (connection refused or dropped, DNS, CORS).
    Network,
    /// A request or the whole wait took longer than its timeout.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A non-2xx status with no API error in the body.
    HttpStatus,
    /// The API answered with an error code.
    Api,
    /// The task ended in failure; carries the provider's reason.
    TaskFailed,
    /// A 2xx answer that is not the documented shape.
    InvalidResponse,
    /// A malformed argument or option (not an invalid request: that is `Validation`).
    Argument,
}

impl ErrorKind {
    /// The wire name: `"validation"`, `"network"`, `"timeout"`, `"aborted"`,
    /// `"http_status"`, `"api"`, `"task_failed"`, `"invalid_response"`, `"argument"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::Api => "api",
            ErrorKind::TaskFailed => "task_failed",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::Argument => "argument",
        }
    }
}

/// What a provider's error code is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeCategory {
    /// 1000–1004: the key is missing, invalid, not yet valid or expired.
    Authentication,
    /// 1100–1103: account exception, arrears, resource pack, no permission.
    Account,
    /// 1200–1203: invalid parameters, method or resource.
    Request,
    /// 1300–1301: platform or content-safety policy.
    Policy,
    /// 1302–1304: rate, concurrency, IP allow-list.
    RateLimit,
    /// 5000–5002: server error, unavailable, timeout.
    Server,
    /// V3 006001094: not enough task resources.
    Resources,
    /// V3 006001095: task response error.
    TaskResponse,
    /// V3 006001099: task creation error.
    TaskCreation,
}

impl CodeCategory {
    /// The wire name (`"rate_limit"`).
    pub fn as_str(self) -> &'static str {
        match self {
            CodeCategory::Authentication => "authentication",
            CodeCategory::Account => "account",
            CodeCategory::Request => "request",
            CodeCategory::Policy => "policy",
            CodeCategory::RateLimit => "rate_limit",
            CodeCategory::Server => "server",
            CodeCategory::Resources => "resources",
            CodeCategory::TaskResponse => "task_response",
            CodeCategory::TaskCreation => "task_creation",
        }
    }
}

/// The meaning of one documented code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// What it is about.
    pub category: CodeCategory,
    /// Worth retrying a query with backoff.
    pub retryable: bool,
    /// The answer is a refusal: no task was created, so a create may be sent again.
    pub create_safe_to_retry: bool,
    /// English meaning.
    pub en: &'static str,
    /// Chinese meaning.
    pub zh: &'static str,
}

const fn info(
    category: CodeCategory,
    retryable: bool,
    create_safe_to_retry: bool,
    en: &'static str,
    zh: &'static str,
) -> CodeInfo {
    CodeInfo { category, retryable, create_safe_to_retry, en, zh }
}

/// The meaning of a documented code (`"1302"`, `"006001094"`), or `None` for any other.
pub fn code_info(code: &str) -> Option<CodeInfo> {
    use CodeCategory::*;
    Some(match code {
        "1000" => info(Authentication, false, false, "authentication failed", "身份验证失败"),
        "1001" => info(Authentication, false, false, "the Authorization header is empty", "Authorization 为空"),
        "1002" => info(Authentication, false, false, "the Authorization value is invalid", "Authorization 值非法"),
        "1003" => {
            info(Authentication, false, false, "the Authorization is not yet valid", "Authorization 未到有效时间")
        }
        "1004" => info(Authentication, false, false, "the Authorization has expired", "Authorization 已失效"),
        "1100" => info(Account, false, false, "account exception", "账户异常"),
        "1101" => info(Account, false, false, "account in arrears", "账户欠费"),
        "1102" => info(Account, false, false, "resource pack used up or expired", "资源包已用完或已过期"),
        "1103" => info(Account, false, false, "no permission for this resource or API", "请求的资源无权限"),
        "1200" => info(Request, false, false, "invalid request parameters", "请求参数非法"),
        "1201" => {
            info(Request, false, false, "invalid parameter (wrong key or value)", "参数非法（key 或 value 错误）")
        }
        "1202" => info(Request, false, false, "invalid request method", "请求的 method 无效"),
        "1203" => info(Request, false, false, "the requested resource does not exist", "请求的资源不存在"),
        "1300" => info(Policy, false, false, "platform policy triggered", "触发平台策略"),
        "1301" => info(Policy, false, false, "content safety policy triggered", "触发内容安全策略"),
        "1302" => info(RateLimit, true, true, "too many requests: rate limit exceeded", "请求过快，超过平台速率限制"),
        "1303" => {
            info(RateLimit, true, true, "concurrency or QPS over the resource pack limit", "并发或 QPS 超出资源包限制")
        }
        "1304" => info(RateLimit, false, false, "IP address not on the allow-list", "触发平台 IP 白名单策略"),
        "5000" => info(Server, true, false, "server internal error", "服务器内部错误"),
        "5001" => info(Server, true, false, "server temporarily unavailable", "服务器暂时不可用，通常是在维护"),
        "5002" => info(Server, true, false, "server internal timeout", "服务器内部超时"),
        "006001094" => info(Resources, true, true, "not enough task resources", "任务资源不足"),
        "006001095" => info(TaskResponse, true, false, "task response error", "任务响应错误"),
        "006001099" => info(TaskCreation, false, false, "task creation error", "任务创建错误"),
        _ => return None,
    })
}

/// A code as the API sent it, as text: numbers are written in decimal, and V3's codes sent
/// as numbers get their leading zeros back (`6001094` → `"006001094"`).
pub fn normalize_code(code: &serde_json::Value) -> Option<String> {
    let s = match code {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    if s.is_empty() {
        return None;
    }
    if s.len() < 9 && s.len() >= 7 && s.bytes().all(|b| b.is_ascii_digit()) {
        let padded = format!("{s:0>9}");
        if padded.starts_with("006001") {
            return Some(padded);
        }
    }
    Some(s)
}

/// A status worth retrying when the body says nothing more: 408, 429 and 5xx.
pub fn status_retryable(status: u16) -> bool {
    status == 408 || status == 429 || (500..=599).contains(&status)
}

/// Any failure of a client call, and of each attempt within it: the retry and create
/// decisions read the same value the caller finally sees.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The HTTP status, where an answer came.
    pub status: Option<u16>,
    /// The provider's error code, as text (`"1302"`, `"006001094"`).
    pub code: Option<String>,
    /// The provider's own message (`message`, `task_status_msg`, `error_message`).
    pub provider_message: Option<String>,
    /// The answer's `request_id`, for support.
    pub request_id: Option<String>,
    /// Worth retrying the same call later.
    pub retryable: bool,
    /// A create request whose answer was lost: the task may exist. It was not sent again.
    pub ambiguous: bool,
    /// The task's id, where known.
    pub task_id: Option<String>,
    /// The create's `external_task_id`, where there is one (look the task up by it later).
    pub external_task_id: Option<String>,
    /// The validation report (kind `Validation`).
    pub report: Option<Report>,
    /// The timeout that fired, in milliseconds (kind `Timeout`).
    pub timeout_ms: Option<u64>,
    /// More detail, in English (what was malformed, what the network said).
    pub detail: Option<String>,
    /// The request this error came from ([`crate::client::machine::HttpRequest::id`]), for
    /// network failures: a driver attaches its platform's own error to it as `cause`.
    pub send_id: Option<u32>,
}

impl ClientError {
    /// An error of this kind with no values.
    pub fn new(kind: ErrorKind) -> Self {
        ClientError {
            kind,
            status: None,
            code: None,
            provider_message: None,
            request_id: None,
            retryable: false,
            ambiguous: false,
            task_id: None,
            external_task_id: None,
            report: None,
            timeout_ms: None,
            detail: None,
            send_id: None,
        }
    }

    /// A validation error carrying its report.
    pub fn validation(report: Report) -> Self {
        ClientError { report: Some(report), ..ClientError::new(ErrorKind::Validation) }
    }

    /// A network error (`fetch` rejected), retryable.
    pub fn network(detail: impl Into<String>) -> Self {
        ClientError { retryable: true, detail: Some(detail.into()), ..ClientError::new(ErrorKind::Network) }
    }

    /// A timeout after `ms` milliseconds, retryable.
    pub fn timeout(ms: u64) -> Self {
        ClientError { retryable: true, timeout_ms: Some(ms), ..ClientError::new(ErrorKind::Timeout) }
    }

    /// The caller aborted.
    pub fn aborted() -> Self {
        ClientError::new(ErrorKind::Aborted)
    }

    /// A non-2xx status with no API error; retryable for 408, 429 and 5xx.
    pub fn http_status(status: u16) -> Self {
        ClientError {
            status: Some(status),
            retryable: status_retryable(status),
            ..ClientError::new(ErrorKind::HttpStatus)
        }
    }

    /// An API error code; retryable as [`code_info`] says, or by status for unknown codes.
    pub fn api(status: u16, code: impl Into<String>, message: Option<String>, request_id: Option<String>) -> Self {
        let code = code.into();
        let retryable = match code_info(&code) {
            Some(i) => i.retryable,
            None => status_retryable(status),
        };
        ClientError {
            status: Some(status),
            code: Some(code),
            provider_message: message,
            request_id,
            retryable,
            ..ClientError::new(ErrorKind::Api)
        }
    }

    /// A task that ended in failure, with the provider's reason.
    pub fn task_failed(task_id: impl Into<String>, reason: Option<String>, code: Option<String>) -> Self {
        ClientError {
            task_id: Some(task_id.into()),
            provider_message: reason,
            code,
            ..ClientError::new(ErrorKind::TaskFailed)
        }
    }

    /// A 2xx answer that is not the documented shape.
    pub fn invalid_response(status: u16, detail: impl Into<String>) -> Self {
        ClientError {
            status: Some(status),
            detail: Some(detail.into()),
            ..ClientError::new(ErrorKind::InvalidResponse)
        }
    }

    /// A malformed argument.
    pub fn argument(detail: impl Into<String>) -> Self {
        ClientError { detail: Some(detail.into()), ..ClientError::new(ErrorKind::Argument) }
    }

    /// Marks a lost create answer: the task may exist, it was not sent again; no retry.
    pub fn into_ambiguous(mut self, external_task_id: Option<String>) -> Self {
        self.ambiguous = true;
        self.retryable = false;
        self.external_task_id = external_task_id;
        self
    }

    /// The meaning of its code, where documented.
    pub fn code_info(&self) -> Option<CodeInfo> {
        self.code.as_deref().and_then(code_info)
    }

    /// The same error with the key removed from every text a server could have echoed.
    pub fn redacted(mut self, secret: &Secret) -> Self {
        for field in [
            &mut self.provider_message,
            &mut self.detail,
            &mut self.code,
            &mut self.request_id,
            &mut self.task_id,
            &mut self.external_task_id,
        ] {
            if let Some(s) = field.as_mut() {
                *s = secret.redact(s);
            }
        }
        self
    }

    /// The human message in a locale.
    pub fn message(&self, locale: Locale) -> String {
        let zh = locale == Locale::Zh;
        let mut m = match self.kind {
            ErrorKind::Validation => {
                let codes: Vec<&str> = self.report.iter().flat_map(|r| r.errors().map(|i| i.code.as_str())).collect();
                if zh {
                    format!("请求无效，未发送：{} 个错误（{}）", codes.len(), codes.join("、"))
                } else {
                    format!("The request is invalid and was not sent: {} error(s) ({})", codes.len(), codes.join(", "))
                }
            }
            ErrorKind::Network => {
                if zh {
                    "网络错误：请求未完成".to_string()
                } else {
                    "Network error: the request did not complete".to_string()
                }
            }
            ErrorKind::Timeout => {
                let ms = self.timeout_ms.unwrap_or(0);
                if zh {
                    format!("超时：{ms} 毫秒内未完成")
                } else {
                    format!("Timed out after {ms} ms")
                }
            }
            ErrorKind::Aborted => if zh { "已取消" } else { "Aborted" }.to_string(),
            ErrorKind::HttpStatus => {
                let s = self.status.unwrap_or(0);
                if zh {
                    format!("HTTP {s}，响应中没有 API 错误信息")
                } else {
                    format!("HTTP {s} with no API error in the answer")
                }
            }
            ErrorKind::Api => {
                let code = self.code.as_deref().unwrap_or("");
                let meaning = match code_info(code) {
                    Some(i) => {
                        if zh {
                            i.zh
                        } else {
                            i.en
                        }
                    }
                    None => {
                        if zh {
                            "未知错误码"
                        } else {
                            "undocumented code"
                        }
                    }
                };
                if zh {
                    format!("API 错误 {code}：{meaning}")
                } else {
                    format!("API error {code}: {meaning}")
                }
            }
            ErrorKind::TaskFailed => {
                let id = self.task_id.as_deref().unwrap_or("");
                if zh {
                    format!("任务 {id} 失败")
                } else {
                    format!("Task {id} failed")
                }
            }
            ErrorKind::InvalidResponse => {
                if zh {
                    "服务器的响应不是文档所述的格式".to_string()
                } else {
                    "The server's answer is not the documented shape".to_string()
                }
            }
            ErrorKind::Argument => if zh { "参数错误" } else { "Invalid argument" }.to_string(),
        };
        if let Some(pm) = self.provider_message.as_deref().filter(|s| !s.trim().is_empty()) {
            m.push_str(if zh { "：" } else { ": " });
            m.push_str(pm);
        } else if let Some(d) = self.detail.as_deref().filter(|s| !s.trim().is_empty()) {
            m.push_str(if zh { "（" } else { " (" });
            m.push_str(d);
            m.push_str(if zh { "）" } else { ")" });
        }
        if self.ambiguous {
            match (&self.external_task_id, zh) {
                (Some(id), false) => m.push_str(&format!(
                    ". The task may have been created; it was not sent again (external_task_id: {id})"
                )),
                (None, false) => m.push_str(". The task may have been created; it was not sent again"),
                (Some(id), true) => m.push_str(&format!("。任务可能已创建，未重新发送（external_task_id：{id}）")),
                (None, true) => m.push_str("。任务可能已创建，未重新发送"),
            }
        }
        m
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Locale::En))
    }
}

impl std::error::Error for ClientError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_documented_code_has_its_category_and_retry_flags() {
        use CodeCategory::*;
        // (code, category, retryable query, create safe to retry)
        let table: &[(&str, CodeCategory, bool, bool)] = &[
            ("1000", Authentication, false, false),
            ("1001", Authentication, false, false),
            ("1002", Authentication, false, false),
            ("1003", Authentication, false, false),
            ("1004", Authentication, false, false),
            ("1100", Account, false, false),
            ("1101", Account, false, false),
            ("1102", Account, false, false),
            ("1103", Account, false, false),
            ("1200", Request, false, false),
            ("1201", Request, false, false),
            ("1202", Request, false, false),
            ("1203", Request, false, false),
            ("1300", Policy, false, false),
            ("1301", Policy, false, false),
            ("1302", RateLimit, true, true),
            ("1303", RateLimit, true, true),
            ("1304", RateLimit, false, false),
            ("5000", Server, true, false),
            ("5001", Server, true, false),
            ("5002", Server, true, false),
            ("006001094", Resources, true, true),
            ("006001095", TaskResponse, true, false),
            ("006001099", TaskCreation, false, false),
        ];
        for &(code, cat, retry, safe) in table {
            let i = code_info(code).unwrap_or_else(|| panic!("{code} unmapped"));
            assert_eq!((i.category, i.retryable, i.create_safe_to_retry), (cat, retry, safe), "{code}");
            assert!(!i.en.is_empty() && !i.zh.is_empty(), "{code}");
        }
        for unknown in ["0", "999", "1005", "1104", "1204", "1305", "5003", "6001094", "", "abc"] {
            assert_eq!(code_info(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn codes_are_normalized_to_text() {
        let table = [
            (json!(1302), Some("1302")),
            (json!("1302"), Some("1302")),
            (json!(6001094), Some("006001094")),
            (json!("006001099"), Some("006001099")),
            (json!(" 5000 "), Some("5000")),
            (json!(1234567), Some("1234567")),
            (json!(""), None),
            (json!(null), None),
            (json!(true), None),
        ];
        for (v, want) in table {
            assert_eq!(normalize_code(&v).as_deref(), want, "{v}");
        }
    }

    #[test]
    fn kinds_have_stable_names() {
        let table = [
            (ErrorKind::Validation, "validation"),
            (ErrorKind::Network, "network"),
            (ErrorKind::Timeout, "timeout"),
            (ErrorKind::Aborted, "aborted"),
            (ErrorKind::HttpStatus, "http_status"),
            (ErrorKind::Api, "api"),
            (ErrorKind::TaskFailed, "task_failed"),
            (ErrorKind::InvalidResponse, "invalid_response"),
            (ErrorKind::Argument, "argument"),
        ];
        for (k, s) in table {
            assert_eq!(k.as_str(), s);
        }
    }

    #[test]
    fn api_errors_are_retryable_by_code_then_by_status() {
        assert!(ClientError::api(429, "1302", None, None).retryable);
        assert!(!ClientError::api(429, "1304", None, None).retryable);
        assert!(!ClientError::api(429, "1101", None, None).retryable);
        assert!(!ClientError::api(401, "1004", None, None).retryable);
        assert!(ClientError::api(503, "9999", None, None).retryable);
        assert!(!ClientError::api(400, "9999", None, None).retryable);
        assert!(ClientError::http_status(502).retryable);
        assert!(!ClientError::http_status(404).retryable);
    }

    #[test]
    fn messages_in_both_languages() {
        let e = ClientError::api(429, "1303", Some("parallel task over resource pack limit".into()), Some("r1".into()));
        assert_eq!(
            e.message(Locale::En),
            "API error 1303: concurrency or QPS over the resource pack limit: parallel task over resource pack limit"
        );
        assert_eq!(
            e.message(Locale::Zh),
            "API 错误 1303：并发或 QPS 超出资源包限制：parallel task over resource pack limit"
        );
        let e = ClientError::timeout(1500).into_ambiguous(Some("ko_1".into()));
        assert_eq!(
            e.to_string(),
            "Timed out after 1500 ms. The task may have been created; it was not sent again (external_task_id: ko_1)"
        );
        assert_eq!(
            e.message(Locale::Zh),
            "超时：1500 毫秒内未完成。任务可能已创建，未重新发送（external_task_id：ko_1）"
        );
        assert!(!e.retryable);
        let e = ClientError::task_failed("t9", Some("content moderation".into()), None);
        assert_eq!(e.to_string(), "Task t9 failed: content moderation");
        assert_eq!(e.message(Locale::Zh), "任务 t9 失败：content moderation");
        assert_eq!(ClientError::aborted().message(Locale::Zh), "已取消");
        assert_eq!(ClientError::http_status(502).to_string(), "HTTP 502 with no API error in the answer");
        assert_eq!(
            ClientError::invalid_response(200, "missing data.task_id").to_string(),
            "The server's answer is not the documented shape (missing data.task_id)"
        );
        assert_eq!(ClientError::api(400, "42", None, None).to_string(), "API error 42: undocumented code");
    }

    #[test]
    fn validation_message_lists_error_codes() {
        use crate::report::{Code, Issue, Scenario};
        let report = Report {
            scenario: Scenario::TextToVideo,
            issues: vec![
                Issue::new(Code::PromptRequired, crate::path!["prompt"]),
                Issue::new(Code::UnknownField, crate::path!["x"]),
                Issue::new(Code::DurationOutOfRange, crate::path!["duration"]),
            ],
            unverified: vec![],
        };
        let e = ClientError::validation(report);
        assert_eq!(
            e.to_string(),
            "The request is invalid and was not sent: 2 error(s) (prompt_required, duration_out_of_range)"
        );
        assert_eq!(e.message(Locale::Zh), "请求无效，未发送：2 个错误（prompt_required、duration_out_of_range）");
    }

    #[test]
    fn the_key_never_shows() {
        let key = "sk-live-0123456789abcdef";
        let s = Secret::new(key);
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(&s)), "Some(***)");
        assert_eq!(s.expose(), key);
        // A server that echoes the key back in its message, its request id, anything.
        let e = ClientError::api(401, "1002", Some(format!("bad key Bearer {key}")), Some(key.into())).redacted(&s);
        let e = ClientError { detail: Some(format!("{key}{key}")), ..e };
        let e = e.redacted(&s);
        for text in [e.to_string(), e.message(Locale::Zh), format!("{e:?}")] {
            assert!(!text.contains(key), "{text}");
        }
        assert_eq!(e.provider_message.as_deref(), Some("bad key Bearer ***"));
        assert_eq!(e.detail.as_deref(), Some("******"));
        assert_eq!(Secret::new("").redact("abc"), "abc");
    }
}
