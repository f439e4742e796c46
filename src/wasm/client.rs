//! `KlingClient`: the browser client. It carries out the pure decisions of
//! [`crate::client`] with `fetch`, timers and `AbortSignal`.
//!
//! - `fetch`, `setTimeout` and `clearTimeout` are the global ones (`globalThis`), never
//!   `window`, so the client works in a page, a Web Worker and Node 18+.
//! - Each attempt has its own `AbortController`: the per-request timeout and the caller's
//!   signal both abort it, so one abort stops the fetch in flight, its body read and every
//!   timer at once. Sleeps (backoff, poll interval) listen to the caller's signal too.
//! - The API key is held as a [`Secret`] and only read to build the `Authorization` header;
//!   every error is redacted before it reaches JavaScript.

// `ClientError` is a flat record of what JS receives; errors are the cold path, and the
// record is converted once, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

use crate::client::answer::{self, Submitted, Task};
use crate::client::create::{self, CreateDecision};
use crate::client::retry::{self, Failure};
use crate::client::state::{self, PollStep, TaskStatus};
use crate::client::{ClientError, ErrorKind, Secret};
use crate::messages::Locale;
use crate::model::{MediaFacts, Provider};
use crate::provider::{Auth, QueryPath};
use js_sys::{Function, Object, Promise, Reflect};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, AbortSignal, Headers, Request, RequestInit, Response};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (Window, WorkerGlobalScope and Node alike).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(input: &Request) -> Result<Promise, JsValue>;
    /// The global `setTimeout`; its id is a number in browsers and an object in Node.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = r#"
/** Options of `new KlingClient(options)`. */
export interface KlingClientOptions {
  provider: Provider;
  /** Default: `https://models.hingnet.com.cn` (O1), `https://api.modelverse.cn` (V3). Use your own proxy's URL to keep the key off the page. */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <key>` (O1) or `Authorization: <key>` (V3). Omit it behind a proxy that adds it: no `Authorization` header is sent. */
  apiKey?: string;
  /** Extra headers on every request (a proxy's own token, …). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. Default 60000. */
  timeoutMs?: number;
  /** Polling in `wait`: first interval (default 2000), longest interval (default 10000; it grows ×1.5), overall timeout (default 900000). */
  poll?: { intervalMs?: number; maxIntervalMs?: number; timeoutMs?: number };
  /** Retries of queries, and of creates the API refused (429, 1302, 1303, 006001094). Default 2 retries, 1000 ms base, 30000 ms longest. */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** O1: set a random `external_task_id` when the request has none, so a lost create answer can be looked up. Default true. */
  autoExternalId?: boolean;
  /** Language of error messages. Default "en". */
  locale?: "en" | "zh";
}

/** A task's status, the same for both providers. */
export type KlingTaskStatus = "queued" | "running" | "succeeded" | "failed";

/** One generated video. Its URL expires (30 days). */
export interface KlingVideo { url: string; id?: string; duration?: number; watermarkUrl?: string }

/** A task, the same shape for both providers. Times are ms since the epoch. */
export interface KlingTask {
  taskId: string;
  status: KlingTaskStatus;
  /** The provider's own state: `submitted`/`processing`/`succeed`/`failed` (O1), `Pending`/`Running`/`Success`/`Failure` (V3). */
  providerStatus: string;
  videos: KlingVideo[];
  failure?: { code?: string; message: string };
  createdAt?: number;
  updatedAt?: number;
  externalTaskId?: string;
  requestId?: string;
  /** The answer as sent. */
  raw: unknown;
}

/** What `submit` resolves with. */
export interface KlingSubmitResult {
  taskId: string;
  /** The `external_task_id` the create carried (O1: set by the client unless `autoExternalId: false`). */
  externalTaskId?: string;
  status: KlingTaskStatus;
  requestId?: string;
  raw: unknown;
}

/** Options of `submit`. */
export interface KlingSubmitOptions {
  signal?: AbortSignal;
  /** Validate first and reject with the report, sending nothing, when invalid. Default true. */
  validate?: boolean;
  /** Facts measured about the request's media (see `inspect`), for the media rules. */
  media?: MediaFacts;
}

/** Options of `wait`. */
export interface KlingWaitOptions {
  signal?: AbortSignal;
  /** Called with the task after every poll. Errors it throws are ignored. */
  onProgress?: (task: KlingTask) => void;
  /** Overall timeout in ms; default `poll.timeoutMs`. */
  timeoutMs?: number;
}

/** Options of `generate`: submit's and wait's. */
export interface KlingGenerateOptions extends KlingSubmitOptions, KlingWaitOptions {}

/** What every client error carries. `kind` narrows the union. */
interface KlingErrorBase extends Error {
  name: "KlingError";
  /** Worth trying the same call again later. */
  retryable: boolean;
  /** A create whose answer was lost: the task may exist. It was not sent again. */
  ambiguous: boolean;
  status?: number;
  /** The provider's code as text: "1302", "006001094". */
  code?: string;
  /** What the code is about. */
  category?: "authentication" | "account" | "request" | "policy" | "rate_limit" | "server" | "resources" | "task_response" | "task_creation";
  /** The provider's own message. */
  providerMessage?: string;
  requestId?: string;
  taskId?: string;
  externalTaskId?: string;
  detail?: string;
}
/** The request is invalid: nothing was sent. `report` says why. */
export interface KlingValidationError extends KlingErrorBase { kind: "validation"; report: Report }
/** `fetch` failed: refused, dropped, DNS or CORS. A lost create is `ambiguous`. */
export interface KlingNetworkError extends KlingErrorBase { kind: "network" }
/** A request took longer than `timeoutMs`, or the whole wait did. */
export interface KlingTimeoutError extends KlingErrorBase { kind: "timeout"; timeoutMs: number }
/** Your `AbortSignal` fired. */
export interface KlingAbortedError extends KlingErrorBase { kind: "aborted" }
/** A non-2xx status with no API error in the body (a proxy's 502, …). */
export interface KlingHttpStatusError extends KlingErrorBase { kind: "http_status"; status: number }
/** The API answered with an error code: see `code`, `category` and `providerMessage`. */
export interface KlingApiError extends KlingErrorBase { kind: "api"; code: string; status: number }
/** The task ended in failure; `task.failure` has the provider's reason. */
export interface KlingTaskFailedError extends KlingErrorBase { kind: "task_failed"; taskId: string; task: KlingTask }
/** A 2xx answer that is not the documented shape; `detail` says what was wrong. */
export interface KlingInvalidResponseError extends KlingErrorBase { kind: "invalid_response"; status: number }
/** Bad options or arguments (not an invalid request: that is `validation`). */
export interface KlingArgumentError extends KlingErrorBase { kind: "argument" }
/** Every error the client throws or rejects with. */
export type KlingError =
  | KlingValidationError | KlingNetworkError | KlingTimeoutError | KlingAbortedError | KlingHttpStatusError
  | KlingApiError | KlingTaskFailedError | KlingInvalidResponseError | KlingArgumentError;

/** A client for one provider. Works in a page, a Web Worker and Node 18+. */
export class KlingClient {
  free(): void;
  /** Throws a `KlingArgumentError` for bad options. */
  constructor(options: KlingClientOptions);
  readonly provider: Provider;
  readonly baseUrl: string;
  /** Validates, then creates the task. A lost answer is never resent: see `ambiguous`. Rejects with a `KlingError`. */
  submit(request: RequestInput, options?: KlingSubmitOptions): Promise<KlingSubmitResult>;
  /** Queries one task (retried on network errors, 429, 5xx, 1302, 1303, 5000–5002). */
  get(taskId: string, options?: { signal?: AbortSignal }): Promise<KlingTask>;
  /** O1 only: queries a task by its `external_task_id`. */
  getByExternalId(externalTaskId: string, options?: { signal?: AbortSignal }): Promise<KlingTask>;
  /** Polls until the task ends: resolves with the succeeded task, rejects with `task_failed` (with the provider's reason), `timeout` or `aborted`. */
  wait(taskId: string, options?: KlingWaitOptions): Promise<KlingTask>;
  /** `submit` then `wait`. */
  generate(request: RequestInput, options?: KlingGenerateOptions): Promise<KlingTask>;
}

/** True for errors from `KlingClient`. */
export function isKlingError(e: unknown): e is KlingError;
"#;

/// Default per-request timeout.
const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// Default retries.
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first backoff ceiling (docs/rules.md: retry 1302/1303/5000–5002 with backoff, 1 s and up).
const DEFAULT_BASE_DELAY_MS: u64 = 1_000;
/// Default longest backoff.
const DEFAULT_MAX_DELAY_MS: u64 = 30_000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PollOptions {
    interval_ms: Option<f64>,
    max_interval_ms: Option<f64>,
    timeout_ms: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RetryOptions {
    max_retries: Option<f64>,
    base_delay_ms: Option<f64>,
    max_delay_ms: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    provider: String,
    base_url: Option<String>,
    api_key: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    timeout_ms: Option<f64>,
    poll: Option<PollOptions>,
    retry: Option<RetryOptions>,
    auto_external_id: Option<bool>,
    locale: Option<String>,
}

struct Config {
    provider: Provider,
    base_url: String,
    api_key: Option<Secret>,
    headers: Vec<(String, String)>,
    timeout_ms: u64,
    poll_interval_ms: u64,
    poll_max_interval_ms: u64,
    poll_timeout_ms: u64,
    max_retries: u32,
    base_delay_ms: u64,
    max_delay_ms: u64,
    auto_external_id: bool,
    locale: Locale,
}

/// serde-wasm-bindgen reads only the fields a struct names, so unknown keys (a typo such
/// as `apikey`, which would silently send no key) are checked here.
fn check_keys(o: &JsValue, allowed: &[&str], what: &str) -> Result<(), ClientError> {
    if !o.is_object() {
        return Ok(());
    }
    for k in js_sys::Object::keys(o.unchecked_ref::<js_sys::Object>()).iter() {
        let k = k.as_string().unwrap_or_default();
        if !allowed.contains(&k.as_str()) {
            let k: String = k.chars().take(40).collect();
            return Err(ClientError::argument(format!(
                "unknown option {what}{k:?}; expected one of {}",
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

fn ms(v: Option<f64>, name: &str, default: u64) -> Result<u64, ClientError> {
    match v {
        None => Ok(default),
        Some(x) if x.is_finite() && (0.0..=9.0e15).contains(&x) => Ok(x.round() as u64),
        Some(_) => Err(ClientError::argument(format!("{name} must be a finite number ≥ 0"))),
    }
}

impl Config {
    fn from_options(o: Options) -> Result<Config, ClientError> {
        let provider: Provider =
            o.provider.parse().map_err(|e: crate::model::UnknownProvider| ClientError::argument(e.to_string()))?;
        let desc = provider.description();
        let base = match (o.base_url, desc.default_base_url) {
            (Some(b), _) => b,
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                return Err(ClientError::argument(format!(
                    "baseUrl is required for provider \"{}\" (e.g. KLING_API_SINGAPORE or KLING_API_BEIJING)",
                    desc.name
                )))
            }
        };
        let base_url = base.trim().trim_end_matches('/').to_string();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(ClientError::argument("baseUrl must be an absolute http(s) URL"));
        }
        let locale = match o.locale.as_deref() {
            None | Some("en") => Locale::En,
            Some("zh") => Locale::Zh,
            Some(_) => return Err(ClientError::argument("locale must be \"en\" or \"zh\"")),
        };
        let poll = o.poll.unwrap_or(PollOptions { interval_ms: None, max_interval_ms: None, timeout_ms: None });
        let retry = o.retry.unwrap_or(RetryOptions { max_retries: None, base_delay_ms: None, max_delay_ms: None });
        let max_retries = ms(retry.max_retries, "retry.maxRetries", DEFAULT_MAX_RETRIES as u64)?.min(20) as u32;
        let mut headers = Vec::new();
        for (k, v) in o.headers.unwrap_or_default() {
            headers.push((k, v));
        }
        Ok(Config {
            provider,
            base_url,
            api_key: o.api_key.filter(|k| !k.is_empty()).map(Secret::new),
            headers,
            timeout_ms: ms(o.timeout_ms, "timeoutMs", DEFAULT_TIMEOUT_MS)?,
            poll_interval_ms: ms(poll.interval_ms, "poll.intervalMs", state::DEFAULT_POLL_INTERVAL_MS)?,
            poll_max_interval_ms: ms(poll.max_interval_ms, "poll.maxIntervalMs", state::DEFAULT_POLL_MAX_INTERVAL_MS)?,
            poll_timeout_ms: ms(poll.timeout_ms, "poll.timeoutMs", state::DEFAULT_POLL_TIMEOUT_MS)?,
            max_retries,
            base_delay_ms: ms(retry.base_delay_ms, "retry.baseDelayMs", DEFAULT_BASE_DELAY_MS)?,
            max_delay_ms: ms(retry.max_delay_ms, "retry.maxDelayMs", DEFAULT_MAX_DELAY_MS)?,
            auto_external_id: o.auto_external_id.unwrap_or(true),
            locale,
        })
    }

    fn create_url(&self) -> String {
        format!("{}{}", self.base_url, self.provider.description().create_path)
    }

    fn query_url(&self, id: &str) -> String {
        let id: String = js_sys::encode_uri_component(id).into();
        match self.provider.description().query_path {
            QueryPath::Segment(path) => format!("{}{}/{}", self.base_url, path, id),
            QueryPath::TaskIdParam(path) => format!("{}{}?task_id={}", self.base_url, path, id),
        }
    }

    fn authorization(&self) -> Option<String> {
        let key = self.api_key.as_ref()?;
        Some(match self.provider.description().auth {
            Auth::Bearer | Auth::Jwt => format!("Bearer {}", key.expose()),
            Auth::BareKey => key.expose().to_string(),
        })
    }
}

// ---------------------------------------------------------------------------------------
// Timers, abort listeners and fetch.

/// A `setTimeout` that is cleared when dropped.
struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    fn start(ms: u64, f: impl FnMut() + 'static) -> Timer {
        let callback = Closure::<dyn FnMut()>::new(f);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms as f64);
        Timer { id, _callback: callback }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An `abort` listener on the caller's signal, removed when dropped.
struct AbortListener {
    signal: AbortSignal,
    callback: Closure<dyn FnMut()>,
}

impl AbortListener {
    fn on(signal: &AbortSignal, f: impl FnMut() + 'static) -> AbortListener {
        let callback = Closure::<dyn FnMut()>::new(f);
        let _ = signal.add_event_listener_with_callback("abort", callback.as_ref().unchecked_ref());
        AbortListener { signal: signal.clone(), callback }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", self.callback.as_ref().unchecked_ref());
    }
}

fn is_aborted(signal: Option<&AbortSignal>) -> bool {
    signal.is_some_and(|s| s.aborted())
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Sleeps `ms`, or fails with `aborted` as soon as the signal fires (the timer is cleared).
async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Result<(), ClientError> {
    if is_aborted(signal) {
        return Err(ClientError::aborted());
    }
    let mut fns: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| fns = Some((resolve, reject)));
    let Some((resolve, reject)) = fns else {
        return Ok(());
    };
    let _timer = Timer::start(ms, move || {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let _listener = signal.map(|s| {
        AbortListener::on(s, move || {
            let _ = reject.call0(&JsValue::UNDEFINED);
        })
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(|_| ClientError::aborted())
}

/// One answer: status, body text, and `Retry-After` in ms where given.
struct Answer {
    status: u16,
    body: String,
    retry_after_ms: Option<u64>,
}

/// Why an attempt got no answer.
enum NoAnswer {
    Network(String),
    Timeout(u64),
    /// The caller aborted; `sent` when the request had left.
    Aborted {
        sent: bool,
    },
}

fn js_error_message(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => err.message().into(),
        None => e.as_string().unwrap_or_default(),
    }
}

fn js_error_text(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name: String = err.name().into();
        let msg: String = err.message().into();
        let cause = Reflect::get(err, &"cause".into())
            .ok()
            .and_then(|c| c.dyn_ref::<js_sys::Error>().map(|c| String::from(c.message())));
        match cause {
            Some(c) if !c.is_empty() => format!("{name}: {msg} ({c})"),
            _ => format!("{name}: {msg}"),
        }
    } else {
        e.as_string().unwrap_or_else(|| "fetch failed".to_string())
    }
}

/// Sends one request with its own `AbortController`, aborted by the timeout and by the
/// caller's signal; reads the whole body under the same controller.
async fn send(
    cfg: &Config,
    method: &str,
    url: &str,
    body: Option<&str>,
    signal: Option<&AbortSignal>,
    timeout_ms: u64,
) -> Result<Answer, NoAnswer> {
    if is_aborted(signal) {
        return Err(NoAnswer::Aborted { sent: false });
    }
    let controller = AbortController::new().map_err(|e| NoAnswer::Network(js_error_text(&e)))?;
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let c = controller.clone();
        let flag = timed_out.clone();
        Timer::start(timeout_ms, move || {
            flag.set(true);
            c.abort();
        })
    };
    let _listener = signal.map(|s| {
        let c = controller.clone();
        AbortListener::on(s, move || c.abort())
    });

    let headers = Headers::new().map_err(|e| NoAnswer::Network(js_error_text(&e)))?;
    for (k, v) in &cfg.headers {
        headers.set(k, v).map_err(|_| NoAnswer::Network(format!("invalid header {k:?}")))?;
    }
    if let Some(auth) = cfg.authorization() {
        // The error of `set` could carry the value: never pass it on.
        headers.set("Authorization", &auth).map_err(|_| NoAnswer::Network("invalid apiKey for a header".into()))?;
    }
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(b) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&JsValue::from_str(b));
    }
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    let request = Request::new_with_str_and_init(url, &init).map_err(|e| NoAnswer::Network(js_error_text(&e)))?;

    let classify = |e: JsValue, sent: bool| {
        if is_aborted(signal) {
            NoAnswer::Aborted { sent }
        } else if timed_out.get() {
            NoAnswer::Timeout(timeout_ms)
        } else {
            NoAnswer::Network(js_error_text(&e))
        }
    };
    let promise = global_fetch(&request).map_err(|e| classify(e, false))?;
    let resp = JsFuture::from(promise).await.map_err(|e| classify(e, true))?;
    let resp: Response = resp.dyn_into().map_err(|_| NoAnswer::Network("fetch did not give a Response".into()))?;
    let status = resp.status();
    let retry_after_ms = resp
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|v| retry::parse_retry_after(&v, now_ms().max(0.0) as u64));
    let text_promise = resp.text().map_err(|e| classify(e, true))?;
    let text = JsFuture::from(text_promise).await.map_err(|e| classify(e, true))?;
    Ok(Answer { status, body: text.as_string().unwrap_or_default(), retry_after_ms })
}

// ---------------------------------------------------------------------------------------
// The calls.

/// An overall deadline (`wait`'s timeout).
#[derive(Clone, Copy)]
struct Deadline {
    at_ms: f64,
    timeout_ms: u64,
}

impl Deadline {
    fn remaining(&self) -> u64 {
        let r = self.at_ms - now_ms();
        if r <= 0.0 {
            0
        } else {
            r.ceil() as u64
        }
    }
    fn error(&self) -> ClientError {
        ClientError::timeout(self.timeout_ms)
    }
}

/// A query (status, lookup) with retries and backoff; the deadline caps every wait.
async fn query(
    cfg: &Config,
    url: &str,
    signal: Option<&AbortSignal>,
    deadline: Option<Deadline>,
) -> Result<Task, ClientError> {
    let mut attempt: u32 = 0;
    loop {
        let mut timeout = cfg.timeout_ms;
        if let Some(d) = deadline {
            let r = d.remaining();
            if r == 0 {
                return Err(d.error());
            }
            timeout = timeout.min(r);
        }
        let (failure, err, retry_after) = match send(cfg, "GET", url, None, signal, timeout).await {
            Ok(a) => match answer::parse_query(cfg.provider, a.status, &a.body) {
                Ok(task) => return Ok(task),
                Err(e) => (e.failure(), e.into_error(), a.retry_after_ms),
            },
            Err(NoAnswer::Aborted { .. }) => return Err(ClientError::aborted()),
            Err(NoAnswer::Timeout(ms)) => {
                if let Some(d) = deadline.filter(|d| d.remaining() == 0) {
                    return Err(d.error());
                }
                (Failure::Timeout, ClientError::timeout(ms), None)
            }
            Err(NoAnswer::Network(detail)) => (Failure::Network, ClientError::network(detail), None),
        };
        if attempt >= cfg.max_retries || !retry::query_should_retry(&failure) {
            return Err(err);
        }
        let mut delay =
            retry::retry_delay_ms(attempt, cfg.base_delay_ms, cfg.max_delay_ms, js_sys::Math::random(), retry_after);
        if let Some(d) = deadline {
            delay = delay.min(d.remaining());
        }
        sleep(delay, signal).await?;
        attempt += 1;
    }
}

fn random_bytes() -> [u8; 16] {
    let mut out = [0u8; 16];
    let arr = js_sys::Uint8Array::new_with_length(16);
    let filled = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(|c| c.is_object())
        .and_then(|c| {
            let f = Reflect::get(&c, &"getRandomValues".into()).ok()?.dyn_into::<Function>().ok()?;
            f.call1(&c, &arr).ok()
        })
        .is_some();
    if filled {
        arr.copy_to(&mut out);
    } else {
        for b in out.iter_mut() {
            *b = (js_sys::Math::random() * 256.0).floor().clamp(0.0, 255.0) as u8;
        }
    }
    out
}

/// Validates (unless told not to), sets the external id, creates; never resends a create
/// whose answer was lost.
async fn submit(
    cfg: &Config,
    mut body: Value,
    validate: bool,
    media: MediaFacts,
    signal: Option<&AbortSignal>,
) -> Result<Submitted, ClientError> {
    if !body.is_object() {
        return Err(ClientError::argument("the request must be an object"));
    }
    if validate {
        let report =
            crate::rules::validate(cfg.provider, &body, &media).map_err(|e| ClientError::argument(e.to_string()))?;
        if !report.valid() {
            return Err(ClientError::validation(report));
        }
    }
    let ext = create::ensure_external_id(cfg.provider, &mut body, cfg.auto_external_id, random_bytes());
    let text = serde_json::to_string(&body).map_err(|e| ClientError::argument(e.to_string()))?;
    let url = cfg.create_url();
    let mut attempt: u32 = 0;
    loop {
        let (failure, err, retry_after) = match send(cfg, "POST", &url, Some(&text), signal, cfg.timeout_ms).await {
            Ok(a) => match answer::parse_create(cfg.provider, a.status, &a.body) {
                Ok(mut s) => {
                    if s.external_task_id.is_none() {
                        s.external_task_id = ext;
                    }
                    return Ok(s);
                }
                Err(e) => (e.failure(), e.into_error(), a.retry_after_ms),
            },
            Err(NoAnswer::Aborted { sent }) => {
                let e = ClientError::aborted();
                return Err(if sent { e.into_ambiguous(ext) } else { e });
            }
            Err(NoAnswer::Timeout(ms)) => (Failure::Timeout, ClientError::timeout(ms), None),
            Err(NoAnswer::Network(d)) => (Failure::Network, ClientError::network(d), None),
        };
        match create::decide(cfg.provider, &failure, ext.is_some()) {
            CreateDecision::Retry if attempt < cfg.max_retries => {
                let delay = retry::retry_delay_ms(
                    attempt,
                    cfg.base_delay_ms,
                    cfg.max_delay_ms,
                    js_sys::Math::random(),
                    retry_after,
                );
                sleep(delay, signal).await?;
                attempt += 1;
            }
            CreateDecision::Retry | CreateDecision::Fail => return Err(err),
            CreateDecision::FailAmbiguous => return Err(err.into_ambiguous(ext)),
            CreateDecision::CheckExisting => {
                let Some(id) = ext.clone() else {
                    return Err(err);
                };
                return match query(cfg, &cfg.query_url(&id), signal, None).await {
                    Ok(task) => Ok(Submitted::from_task(&task, Some(id))),
                    Err(e) if e.kind == ErrorKind::Aborted => Err(e),
                    Err(_) => Err(err),
                };
            }
            CreateDecision::LookUp => {
                let Some(id) = ext.clone() else {
                    return Err(err.into_ambiguous(None));
                };
                return match query(cfg, &cfg.query_url(&id), signal, None).await {
                    Ok(task) => Ok(Submitted::from_task(&task, Some(id))),
                    Err(e) if e.kind == ErrorKind::Aborted => Err(e.into_ambiguous(Some(id))),
                    Err(_) => Err(err.into_ambiguous(Some(id))),
                };
            }
        }
    }
}

/// Polls until the task ends.
async fn wait(
    cfg: &Config,
    task_id: &str,
    signal: Option<&AbortSignal>,
    on_progress: Option<&Function>,
    timeout_ms: u64,
) -> Result<Task, (ClientError, Option<Task>)> {
    let started = now_ms();
    let deadline = Deadline { at_ms: started + timeout_ms as f64, timeout_ms };
    let url = cfg.query_url(task_id);
    let mut n: u32 = 0;
    loop {
        let task = query(cfg, &url, signal, Some(deadline)).await.map_err(|e| (with_task_id(e, task_id), None))?;
        if let Some(cb) = on_progress {
            if let Ok(js) = task_to_js(&task) {
                // The caller's callback cannot break the loop.
                let _ = cb.call1(&JsValue::NULL, &js);
            }
        }
        match task.status {
            TaskStatus::Succeeded => return Ok(task),
            TaskStatus::Failed => {
                let f = task.failure.clone();
                let e = ClientError::task_failed(
                    task.task_id.clone(),
                    f.as_ref().map(|f| f.message.clone()).filter(|m| !m.is_empty()),
                    f.and_then(|f| f.code),
                );
                let e = ClientError {
                    request_id: task.request_id.clone(),
                    external_task_id: task.external_task_id.clone(),
                    ..e
                };
                return Err((e, Some(task)));
            }
            TaskStatus::Queued | TaskStatus::Running => {}
        }
        let interval = state::poll_interval_ms(n, cfg.poll_interval_ms, cfg.poll_max_interval_ms);
        let now = now_ms().max(0.0) as u64;
        match state::next_poll(now, started.max(0.0) as u64, Some(timeout_ms), interval) {
            PollStep::TimedOut => return Err((with_task_id(deadline.error(), task_id), None)),
            PollStep::Wait(ms) => sleep(ms, signal).await.map_err(|e| (with_task_id(e, task_id), None))?,
        }
        n = n.saturating_add(1);
    }
}

fn with_task_id(mut e: ClientError, task_id: &str) -> ClientError {
    if e.task_id.is_none() {
        e.task_id = Some(task_id.to_string());
    }
    e
}

// ---------------------------------------------------------------------------------------
// JS values.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VideoJs<'a> {
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    watermark_url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FailureJs<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
    message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TaskJs<'a> {
    task_id: &'a str,
    status: &'static str,
    provider_status: &'a str,
    videos: Vec<VideoJs<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    failure: Option<FailureJs<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_task_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SubmittedJs<'a> {
    task_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    external_task_id: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<&'a str>,
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsValue::from_str(&e.to_string()))
}

/// `raw` (the answer as sent) through `JSON.parse`, set on the converted object. The
/// serializer assigns keys (`o[k] = v`), so a `"__proto__"` key in an answer would set that
/// object's prototype and vanish; `JSON.parse` keeps it as an own key, as sent.
fn with_raw(js: JsValue, raw: &Value) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(raw).map_err(|e| JsValue::from_str(&e.to_string()))?;
    Reflect::set(&js, &JsValue::from_str("raw"), &js_sys::JSON::parse(&text)?)?;
    Ok(js)
}

fn task_to_js(t: &Task) -> Result<JsValue, JsValue> {
    to_js(&TaskJs {
        task_id: &t.task_id,
        status: t.status.as_str(),
        provider_status: &t.provider_status,
        videos: t
            .videos
            .iter()
            .map(|v| VideoJs {
                url: &v.url,
                id: v.id.as_deref(),
                duration: v.duration,
                watermark_url: v.watermark_url.as_deref(),
            })
            .collect(),
        failure: t.failure.as_ref().map(|f| FailureJs { code: f.code.as_deref(), message: &f.message }),
        created_at: t.created_at,
        updated_at: t.updated_at,
        external_task_id: t.external_task_id.as_deref(),
        request_id: t.request_id.as_deref(),
    })
    .and_then(|js| with_raw(js, &t.raw))
}

fn submitted_to_js(s: &Submitted) -> Result<JsValue, JsValue> {
    to_js(&SubmittedJs {
        task_id: &s.task_id,
        external_task_id: s.external_task_id.as_deref(),
        status: s.status.as_str(),
        request_id: s.request_id.as_deref(),
    })
    .and_then(|js| with_raw(js, &s.raw))
}

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    let _ = Reflect::set(o, &JsValue::from_str(k), &v.into());
}

/// The JS `Error` for a client error: `name: "KlingError"`, `kind`, and the values that
/// apply. The key is redacted from every text first.
fn error_to_js(e: ClientError, cfg: Option<&Config>, task: Option<&Task>) -> JsValue {
    let e = match cfg.and_then(|c| c.api_key.as_ref()) {
        Some(k) => e.redacted(k),
        None => e,
    };
    let locale = cfg.map_or(Locale::En, |c| c.locale);
    let err = js_sys::Error::new(&e.message(locale));
    err.set_name("KlingError");
    let o: &Object = err.as_ref();
    set(o, "kind", e.kind.as_str());
    set(o, "retryable", e.retryable);
    set(o, "ambiguous", e.ambiguous);
    if let Some(s) = e.status {
        set(o, "status", s);
    }
    if let Some(c) = &e.code {
        set(o, "code", c.as_str());
        if let Some(i) = e.code_info() {
            set(o, "category", i.category.as_str());
        }
    }
    let strings = [
        ("providerMessage", &e.provider_message),
        ("requestId", &e.request_id),
        ("taskId", &e.task_id),
        ("externalTaskId", &e.external_task_id),
        ("detail", &e.detail),
    ];
    for (k, v) in strings {
        if let Some(v) = v {
            set(o, k, v.as_str());
        }
    }
    if let Some(t) = e.timeout_ms {
        set(o, "timeoutMs", t as f64);
    }
    if let Some(r) = &e.report {
        if let Ok(js) = super::validate::report_to_js(r, locale) {
            set(o, "report", js);
        }
    }
    if let Some(t) = task {
        if let Ok(js) = task_to_js(t) {
            set(o, "task", js);
        }
    }
    err.into()
}

/// True for errors from `KlingClient`.
#[wasm_bindgen(js_name = isKlingError, skip_typescript)]
pub fn is_kling_error(e: &JsValue) -> bool {
    e.is_instance_of::<js_sys::Error>()
        && Reflect::get(e, &"name".into()).ok().and_then(|n| n.as_string()).as_deref() == Some("KlingError")
        && Reflect::get(e, &"kind".into()).ok().is_some_and(|k| k.is_string())
}

/// Reads an optional field of an options object.
fn field(o: &JsValue, k: &str) -> Option<JsValue> {
    if !o.is_object() {
        return None;
    }
    Reflect::get(o, &JsValue::from_str(k)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

fn signal_of(o: &JsValue) -> Result<Option<AbortSignal>, ClientError> {
    match field(o, "signal") {
        None => Ok(None),
        Some(s) => {
            s.dyn_into::<AbortSignal>().map(Some).map_err(|_| ClientError::argument("signal must be an AbortSignal"))
        }
    }
}

fn check_options_object(o: &JsValue) -> Result<(), ClientError> {
    if o.is_undefined() || o.is_null() || o.is_object() {
        Ok(())
    } else {
        Err(ClientError::argument("options must be an object"))
    }
}

struct SubmitArgs {
    body: Value,
    validate: bool,
    media: MediaFacts,
    signal: Option<AbortSignal>,
}

fn submit_args(request: JsValue, options: &JsValue) -> Result<SubmitArgs, ClientError> {
    check_options_object(options)?;
    let body = super::validate::parse_request(&request).map_err(|e| ClientError::argument(js_error_message(&e)))?;
    let validate = match field(options, "validate") {
        None => true,
        Some(v) => v.as_bool().ok_or_else(|| ClientError::argument("validate must be a boolean"))?,
    };
    let media = match field(options, "media") {
        None => MediaFacts::default(),
        Some(m) => super::validate::parse_media(&m).map_err(|e| ClientError::argument(js_error_message(&e)))?,
    };
    Ok(SubmitArgs { body, validate, media, signal: signal_of(options)? })
}

fn wait_args(cfg: &Config, options: &JsValue) -> Result<(Option<AbortSignal>, Option<Function>, u64), ClientError> {
    check_options_object(options)?;
    let on_progress = match field(options, "onProgress") {
        None => None,
        Some(f) => Some(f.dyn_into::<Function>().map_err(|_| ClientError::argument("onProgress must be a function"))?),
    };
    let timeout = ms(field(options, "timeoutMs").and_then(|v| v.as_f64()), "timeoutMs", cfg.poll_timeout_ms)?;
    Ok((signal_of(options)?, on_progress, timeout))
}

fn task_id_arg(id: &JsValue, what: &str) -> Result<String, ClientError> {
    match id.as_string() {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(ClientError::argument(format!("{what} must be a non-empty string"))),
    }
}

/// A client for one provider (see the TypeScript declaration).
#[wasm_bindgen(skip_typescript)]
pub struct KlingClient {
    cfg: Rc<Config>,
}

#[wasm_bindgen]
impl KlingClient {
    /// `new KlingClient(options)`; throws a `KlingError` of kind `argument` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<KlingClient, JsValue> {
        // Read the key first, only to redact it from an error about the other options.
        let key = field(&options, "apiKey").and_then(|k| k.as_string()).map(Secret::new);
        let redact = |e: ClientError| match &key {
            Some(k) => error_to_js(e.redacted(k), None, None),
            None => error_to_js(e, None, None),
        };
        if !options.is_object() {
            return Err(redact(ClientError::argument("options must be an object with a provider")));
        }
        check_keys(
            &options,
            &["provider", "baseUrl", "apiKey", "headers", "timeoutMs", "poll", "retry", "autoExternalId", "locale"],
            "",
        )
        .map_err(redact)?;
        if let Some(p) = field(&options, "poll") {
            check_keys(&p, &["intervalMs", "maxIntervalMs", "timeoutMs"], "poll.").map_err(redact)?;
        }
        if let Some(r) = field(&options, "retry") {
            check_keys(&r, &["maxRetries", "baseDelayMs", "maxDelayMs"], "retry.").map_err(redact)?;
        }
        let opts: Options = serde_wasm_bindgen::from_value(options)
            .map_err(|e| redact(ClientError::argument(format!("invalid options: {e}"))))?;
        let cfg = Config::from_options(opts).map_err(redact)?;
        Ok(KlingClient { cfg: Rc::new(cfg) })
    }

    /// `"o1"` or `"v3"`.
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> String {
        self.cfg.provider.as_str().to_string()
    }

    /// The base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.cfg.base_url.clone()
    }

    /// Validates, then creates the task.
    pub fn submit(&self, request: JsValue, options: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let args = submit_args(request, &options).map_err(|e| error_to_js(e, Some(&cfg), None))?;
            match submit(&cfg, args.body, args.validate, args.media, args.signal.as_ref()).await {
                Ok(s) => submitted_to_js(&s),
                Err(e) => Err(error_to_js(e, Some(&cfg), None)),
            }
        })
    }

    /// Queries one task.
    pub fn get(&self, task_id: JsValue, options: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let run = async {
                check_options_object(&options)?;
                let id = task_id_arg(&task_id, "taskId")?;
                let signal = signal_of(&options)?;
                query(&cfg, &cfg.query_url(&id), signal.as_ref(), None).await
            };
            match run.await {
                Ok(t) => task_to_js(&t),
                Err(e) => Err(error_to_js(e, Some(&cfg), None)),
            }
        })
    }

    /// O1 only: queries a task by its `external_task_id`.
    #[wasm_bindgen(js_name = getByExternalId)]
    pub fn get_by_external_id(&self, external_task_id: JsValue, options: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let run = async {
                if !cfg.provider.description().query_by_external_id {
                    return Err(ClientError::argument(
                        "getByExternalId is O1 only: V3 documents no query by external_task_id",
                    ));
                }
                check_options_object(&options)?;
                let id = task_id_arg(&external_task_id, "externalTaskId")?;
                let signal = signal_of(&options)?;
                query(&cfg, &cfg.query_url(&id), signal.as_ref(), None).await
            };
            match run.await {
                Ok(t) => task_to_js(&t),
                Err(e) => Err(error_to_js(e, Some(&cfg), None)),
            }
        })
    }

    /// Polls until the task ends.
    pub fn wait(&self, task_id: JsValue, options: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let id = task_id_arg(&task_id, "taskId").map_err(|e| error_to_js(e, Some(&cfg), None))?;
            let (signal, on_progress, timeout) =
                wait_args(&cfg, &options).map_err(|e| error_to_js(e, Some(&cfg), None))?;
            match wait(&cfg, &id, signal.as_ref(), on_progress.as_ref(), timeout).await {
                Ok(t) => task_to_js(&t),
                Err((e, t)) => Err(error_to_js(e, Some(&cfg), t.as_ref())),
            }
        })
    }

    /// `submit` then `wait`.
    pub fn generate(&self, request: JsValue, options: JsValue) -> Promise {
        let cfg = self.cfg.clone();
        future_to_promise(async move {
            let args = submit_args(request, &options).map_err(|e| error_to_js(e, Some(&cfg), None))?;
            let (signal, on_progress, timeout) =
                wait_args(&cfg, &options).map_err(|e| error_to_js(e, Some(&cfg), None))?;
            let s = submit(&cfg, args.body, args.validate, args.media, signal.as_ref())
                .await
                .map_err(|e| error_to_js(e, Some(&cfg), None))?;
            match wait(&cfg, &s.task_id, signal.as_ref(), on_progress.as_ref(), timeout).await {
                Ok(t) => task_to_js(&t),
                Err((e, t)) => {
                    let e = ClientError { external_task_id: e.external_task_id.or(s.external_task_id), ..e };
                    Err(error_to_js(e, Some(&cfg), t.as_ref()))
                }
            }
        })
    }
}
