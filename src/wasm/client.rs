//! `KlingClient` in JavaScript: converts values and drives a [`Call`] (the pure client of
//! [`crate::client::machine`]) with `fetch`, timers and `AbortSignal`. Nothing here decides:
//! every retry, wait, deadline and look-up is the machine's.
//!
//! - `fetch`, `setTimeout` and `clearTimeout` are the global ones (`globalThis`), never
//!   `window`, so the client works in a page, a Web Worker and Node 20+.
//! - Each request has its own `AbortController`: its timeout and the caller's signal both
//!   abort it, so one abort stops the fetch in flight, its body read and every timer at
//!   once. Sleeps listen to the caller's signal too.
//! - Errors are `KlingError`s (`src/wasm/error.js`), redacted of the key before they reach
//!   JavaScript, with the failed `fetch`'s own error as `cause`.
//! - Tokens for Kling's own API are signed with Web Crypto (`crypto.subtle`, HMAC SHA-256)
//!   when the machine asks ([`Step::Sign`]): in a page, a Web Worker, Node 20+ and Workers
//!   runtimes alike. `klingToken` mints one the same way; `parseCallback` reads a callback.

// `ClientError` is a flat record of what JS receives (see `crate::client`).
#![allow(clippy::result_large_err)]

use crate::client::answer::{Submitted, Task};
use crate::client::config::{self, Config};
use crate::client::machine::{self, id_arg, Call, Done, Env, Failed, HttpRequest, Outcome, Step};
use crate::client::{jwt, ClientError, ErrorKind, Provider, Secret};
use crate::messages::Locale;
use crate::model::MediaFacts;
use crate::write::{self, JsonObject};
use js_sys::{Function, Object, Promise, Reflect};
use serde_json::Value;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen(typescript_custom_section)]
const TS_CLIENT: &'static str = include_str!("client.d.ts");

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (Window, WorkerGlobalScope and Node alike).
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(input: &web_sys::Request) -> Result<Promise, JsValue>;
    /// The global `setTimeout`; its id is a number in browsers and an object in Node.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    /// The global `clearTimeout`.
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

#[wasm_bindgen(module = "/src/wasm/error.js")]
extern "C" {
    /// The `KlingError` class, exported by the package as it is (its type is in client.d.ts).
    #[wasm_bindgen(js_name = KlingError, reexport, skip_typescript)]
    #[allow(dead_code)]
    fn kling_error_class();
    /// `new KlingError(message, cause)`.
    #[wasm_bindgen(js_name = klingError)]
    fn new_kling_error(message: &str, cause: &JsValue) -> js_sys::Error;
    /// `KLING_API_SINGAPORE`, exported by the package as it is.
    #[wasm_bindgen(js_name = KLING_API_SINGAPORE, reexport, skip_typescript)]
    #[allow(dead_code)]
    fn kling_api_singapore();
    /// `KLING_API_BEIJING`, exported by the package as it is.
    #[wasm_bindgen(js_name = KLING_API_BEIJING, reexport, skip_typescript)]
    #[allow(dead_code)]
    fn kling_api_beijing();
}

// ---------------------------------------------------------------------------------------
// Timers, abort listeners, fetch: carrying out one step.

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

/// Now and a random number, for the machine.
fn env() -> Env {
    Env { now_ms: js_sys::Date::now().max(0.0) as u64, random: js_sys::Math::random() }
}

/// Sleeps `ms`, or stops as soon as the signal fires (the timer is cleared).
async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Outcome {
    if is_aborted(signal) {
        return Outcome::Aborted { sent: false };
    }
    let mut fns: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| fns = Some((resolve, reject)));
    let Some((resolve, reject)) = fns else {
        return Outcome::Slept;
    };
    let _timer = Timer::start(ms, move || {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let _listener = signal.map(|s| {
        AbortListener::on(s, move || {
            let _ = reject.call0(&JsValue::UNDEFINED);
        })
    });
    match JsFuture::from(promise).await {
        Ok(_) => Outcome::Slept,
        Err(_) => Outcome::Aborted { sent: false },
    }
}

fn js_error_message(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => err.message().into(),
        None => e.as_string().unwrap_or_default(),
    }
}

/// `Name: message (cause's message)` of a JS error.
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

fn network(detail: impl Into<String>) -> (Outcome, Option<JsValue>) {
    (Outcome::Network { detail: detail.into() }, None)
}

/// Sends one request with its own `AbortController`, aborted by the timeout and by the
/// caller's signal, and reads the whole body under the same controller. The `fetch` is the
/// global one, and its error object is the `cause` the caller gets.
async fn send(req: &HttpRequest, signal: Option<&AbortSignal>) -> (Outcome, Option<JsValue>) {
    if is_aborted(signal) {
        return (Outcome::Aborted { sent: false }, None);
    }
    let controller = match AbortController::new() {
        Ok(c) => c,
        Err(e) => return network(js_error_text(&e)),
    };
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let c = controller.clone();
        let flag = timed_out.clone();
        Timer::start(req.timeout_ms, move || {
            flag.set(true);
            c.abort();
        })
    };
    let _listener = signal.map(|s| {
        let c = controller.clone();
        AbortListener::on(s, move || c.abort())
    });
    // `Headers::set` reports a bad name or value.
    let Ok(headers) = web_sys::Headers::new() else {
        return network("Headers is not available");
    };
    for (k, v) in &req.headers {
        if headers.set(k, v).is_err() {
            return network(format!("invalid header {k:?}"));
        }
    }
    if let Some(auth) = &req.authorization {
        // The error of `set` could carry the value: never pass it on.
        if headers.set("Authorization", auth.expose()).is_err() {
            return network("invalid apiKey for a header");
        }
    }
    let url = match request_url(&req.url, &req.query) {
        Ok(u) => u,
        Err(e) => return network(js_error_text(&e)),
    };
    let init = web_sys::RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(&controller.signal()));
    if let Some(b) = &req.body {
        init.set_body(&JsValue::from_str(b));
    }
    let request = match web_sys::Request::new_with_str_and_init(&url, &init) {
        Ok(r) => r,
        Err(e) => return network(js_error_text(&e)),
    };
    let classify = |e: Option<JsValue>, detail: String, sent: bool| {
        if is_aborted(signal) {
            (Outcome::Aborted { sent }, None)
        } else if timed_out.get() {
            (Outcome::Timeout, None)
        } else {
            (Outcome::Network { detail }, e)
        }
    };
    let promise = match global_fetch(&request) {
        Ok(p) => p,
        Err(e) => return classify(None, js_error_text(&e), false),
    };
    let resp = match JsFuture::from(promise).await.map(JsCast::dyn_into::<web_sys::Response>) {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => return network("fetch did not give a Response"),
        Err(e) => return classify(Some(e.clone()), js_error_text(&e), true),
    };
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after").ok().flatten();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    match text {
        Ok(body) => (Outcome::Answer { status, retry_after, body: body.as_string().unwrap_or_default() }, None),
        Err(e) => classify(None, js_error_text(&e), true),
    }
}

/// The request's URL, absolute (as `fetch` resolves it against the page), with the query
/// appended to any it has (`URLSearchParams` encoding).
fn request_url(url: &str, query: &[(String, String)]) -> Result<String, JsValue> {
    let absolute = web_sys::Url::new(&web_sys::Request::new_with_str(url)?.url())?;
    let params = web_sys::UrlSearchParams::new()?;
    for (k, v) in query {
        params.append(k, v);
    }
    let params = String::from(params.to_string());
    let search = absolute.search();
    absolute.set_search(&if search.is_empty() { params } else { format!("{search}&{params}") });
    Ok(String::from(absolute.to_string()))
}

// ---------------------------------------------------------------------------------------
// Web Crypto: the HMAC of a token.

/// `globalThis.crypto.subtle`, or why there is none.
fn subtle() -> Result<JsValue, String> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .filter(JsValue::is_object)
        .ok_or("Web Crypto (globalThis.crypto) is not available here")?;
    Reflect::get(&crypto, &"subtle".into()).ok().filter(JsValue::is_object).ok_or_else(|| {
        "crypto.subtle is not available here (a page served over plain http is not a secure context)".into()
    })
}

/// `obj[name](...args)`, awaited.
async fn call_async(obj: &JsValue, name: &str, args: &js_sys::Array) -> Result<JsValue, String> {
    let f: Function =
        Reflect::get(obj, &name.into()).ok().and_then(|f| f.dyn_into().ok()).ok_or(format!("no {name} here"))?;
    let p = Reflect::apply(&f, obj, args).map_err(|e| js_error_text(&e))?;
    JsFuture::from(Promise::resolve(&p)).await.map_err(|e| js_error_text(&e))
}

/// HMAC-SHA256 of `input` under `secret`, with Web Crypto. Errors never hold the secret
/// (Web Crypto's messages name the operation, not the key).
async fn hmac_sha256(secret: &Secret, input: &str) -> Result<Vec<u8>, String> {
    let subtle = subtle()?;
    let algorithm = Object::new();
    set(&algorithm, "name", "HMAC");
    set(&algorithm, "hash", "SHA-256");
    let key_bytes = js_sys::Uint8Array::from(secret.expose().as_bytes());
    let usages = js_sys::Array::of1(&"sign".into());
    let import = js_sys::Array::of5(&"raw".into(), &key_bytes, &algorithm, &JsValue::FALSE, &usages);
    let key = call_async(&subtle, "importKey", &import).await?;
    key_bytes.fill(0, 0, key_bytes.length());
    let data = js_sys::Uint8Array::from(input.as_bytes());
    let sig = call_async(&subtle, "sign", &js_sys::Array::of3(&"HMAC".into(), &key, &data)).await?;
    Ok(js_sys::Uint8Array::new(&sig).to_vec())
}

/// Whether this is a page: `document` exists (not in Node, a Web Worker or a Workers runtime).
fn in_page() -> bool {
    Reflect::get(&js_sys::global(), &"document".into()).is_ok_and(|d| d.is_object())
}

/// Carries a call out to its end. A failure comes with the failed `fetch`'s own error,
/// where the machine's error names one. `secret` signs the tokens the machine asks for.
async fn drive(
    mut call: Call,
    signal: Option<&AbortSignal>,
    on_progress: Option<&Function>,
    secret: Option<&Secret>,
) -> Result<Done, (Failed, Option<JsValue>)> {
    let mut causes: Vec<(u32, JsValue)> = Vec::new();
    let mut step = call.start(env());
    loop {
        if let (Some(task), Some(cb)) = (call.take_progress(), on_progress) {
            if let Ok(js) = task_to_js(&task) {
                // The caller's callback cannot break the loop.
                let _ = cb.call1(&JsValue::NULL, &js);
            }
        }
        let outcome = match step {
            Step::Done(done) => return Ok(*done),
            Step::Fail(failed) => {
                let cause = failed.error.send_id.and_then(|id| causes.into_iter().find(|(i, _)| *i == id)).map(|c| c.1);
                return Err((*failed, cause));
            }
            Step::Send(req) => {
                let (outcome, cause) = send(&req, signal).await;
                if let Some(c) = cause {
                    causes.push((req.id, c));
                }
                outcome
            }
            Step::Sleep(ms) => sleep(ms, signal).await,
            Step::Sign(input) => match secret {
                Some(secret) => match hmac_sha256(secret, &input).await {
                    Ok(signature) => Outcome::Signed { signature },
                    Err(detail) => Outcome::SignFailed { detail },
                },
                None => Outcome::SignFailed { detail: "no secretKey".into() },
            },
        };
        step = call.feed(outcome, env());
    }
}

// ---------------------------------------------------------------------------------------
// JS values.

/// A task as JSON, the `Task` of client.d.ts: camelCase keys, absent values left out, and
/// `raw`, the answer as sent, last.
fn push_task(out: &mut String, t: &Task) {
    let mut o = JsonObject::open(out);
    o.str("taskId", Some(&t.task_id));
    o.str("status", Some(t.status.as_str()));
    o.str("providerStatus", Some(&t.provider_status));
    write::push_array(o.key("videos"), &t.videos, |list, v| {
        let mut video = JsonObject::open(list);
        video.str("url", Some(&v.url));
        video.str("id", v.id.as_deref());
        video.float("duration", v.duration);
        video.str("watermarkUrl", v.watermark_url.as_deref());
        video.close();
    });
    if let Some(f) = &t.failure {
        let mut failure = JsonObject::open(o.key("failure"));
        failure.str("code", f.code.as_deref());
        failure.str("message", Some(&f.message));
        failure.close();
    }
    o.int("createdAt", t.created_at);
    o.int("updatedAt", t.updated_at);
    o.str("externalTaskId", t.external_task_id.as_deref());
    o.str("requestId", t.request_id.as_deref());
    o.str("units", t.units.as_deref());
    write::push_value(o.key("raw"), &t.raw);
    o.close();
}

/// JSON text written here, as a JS value: one string across the boundary and one
/// `JSON.parse`, so `raw` keeps a `"__proto__"` key as an own key, as sent.
fn parse(text: &str) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(text)
}

fn task_to_js(t: &Task) -> Result<JsValue, JsValue> {
    let mut out = String::new();
    push_task(&mut out, t);
    parse(&out)
}

fn tasks_to_js(ts: &[Task]) -> Result<JsValue, JsValue> {
    let mut out = String::new();
    write::push_array(&mut out, ts, push_task);
    parse(&out)
}

fn submitted_to_js(s: &Submitted) -> Result<JsValue, JsValue> {
    let mut out = String::new();
    let mut o = JsonObject::open(&mut out);
    o.str("taskId", Some(&s.task_id));
    o.str("externalTaskId", s.external_task_id.as_deref());
    o.str("status", Some(s.status.as_str()));
    o.str("requestId", s.request_id.as_deref());
    write::push_value(o.key("raw"), &s.raw);
    o.close();
    parse(&out)
}

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    let _ = Reflect::set(o, &JsValue::from_str(k), &v.into());
}

/// The `KlingError` for a client error: `kind` and the values that apply, the key redacted
/// from every text first; `cause` unless its text shows the key.
fn error_to_js(e: ClientError, cfg: Option<&Config>, task: Option<&Task>, cause: Option<JsValue>) -> JsValue {
    let key = cfg.and_then(|c| c.api_key.as_ref());
    let e = match key {
        Some(k) => e.redacted(k),
        None => e,
    };
    let cause = cause.filter(|c| key.is_none_or(|k| !js_error_text(c).contains(k.expose())));
    let locale = cfg.map_or(Locale::En, |c| c.locale);
    let err = new_kling_error(&e.message(locale), &cause.unwrap_or(JsValue::UNDEFINED));
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

/// The client's options as JSON, through `JSON.stringify` (a cycle, a BigInt or a value
/// nested too deep is an argument error, never a trap).
fn options_json(options: &JsValue) -> Result<Value, ClientError> {
    if !options.is_object() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(options)
        .map_err(|e| ClientError::argument(format!("invalid options: {}", js_error_message(&e))))?;
    serde_json::from_str(&text.as_string().unwrap_or_default())
        .map_err(|e| ClientError::argument(format!("invalid options: {e}")))
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

struct SubmitArgs {
    body: Value,
    validate: Option<bool>,
    media: MediaFacts,
    signal: Option<AbortSignal>,
}

fn submit_args(request: JsValue, options: &JsValue) -> Result<SubmitArgs, ClientError> {
    check_options_object(options)?;
    let body = super::validate::parse_request(&request).map_err(|e| ClientError::argument(js_error_message(&e)))?;
    let validate = match field(options, "validate") {
        None => None,
        Some(v) => Some(v.as_bool().ok_or_else(|| ClientError::argument("validate must be a boolean"))?),
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
    let timeout = cfg.wait_timeout_ms(field(options, "timeoutMs").and_then(|v| v.as_f64()))?;
    Ok((signal_of(options)?, on_progress, timeout))
}

/// Runs a call and converts what it ends with.
async fn run(
    client: &ClientState,
    call: Call,
    signal: Option<AbortSignal>,
    on_progress: Option<Function>,
) -> Result<JsValue, JsValue> {
    let cfg = &client.cfg;
    match drive(call, signal.as_ref(), on_progress.as_ref(), client.secret.as_ref()).await {
        Ok(Done::Task(t)) => task_to_js(&t),
        Ok(Done::Submitted(s)) => submitted_to_js(&s),
        Ok(Done::Tasks(ts)) => tasks_to_js(&ts),
        Err((f, cause)) => Err(error_to_js(f.error, Some(cfg), f.task.as_ref(), cause)),
    }
}

/// What every call of a client shares: its options, and the secret key its tokens are
/// signed with (`kling` with `accessKey`/`secretKey`).
struct ClientState {
    cfg: Rc<Config>,
    secret: Option<Secret>,
}

/// A client for one provider (see the TypeScript declaration).
#[wasm_bindgen(skip_typescript)]
pub struct KlingClient {
    state: Rc<ClientState>,
}

#[wasm_bindgen]
impl KlingClient {
    /// `new KlingClient(options)`; throws a `KlingError` of kind `argument` for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<KlingClient, JsValue> {
        let keys: Vec<Secret> = ["apiKey", "secretKey"]
            .iter()
            .filter_map(|k| field(&options, k).and_then(|v| v.as_string()))
            .filter(|k| !k.is_empty())
            .map(Secret::new)
            .collect();
        let redact = |mut e: ClientError| {
            for k in &keys {
                e = e.redacted(k);
            }
            error_to_js(e, None, None, None)
        };
        let cfg = options_json(&options).and_then(|o| Config::from_json_in(&o, in_page())).map_err(redact)?;
        let secret = match cfg.minting {
            None => None,
            Some(_) => {
                subtle().map_err(|d| redact(ClientError::argument(format!("secretKey needs Web Crypto: {d}"))))?;
                field(&options, "secretKey").and_then(|v| v.as_string()).map(Secret::new)
            }
        };
        Ok(KlingClient { state: Rc::new(ClientState { cfg: Rc::new(cfg), secret }) })
    }

    /// `"o1"`, `"v3"` or `"kling"`.
    #[wasm_bindgen(getter)]
    pub fn provider(&self) -> String {
        self.state.cfg.provider.as_str().to_string()
    }

    /// The base URL in use.
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.state.cfg.base_url.clone()
    }

    /// Validates, then creates the task.
    pub fn submit(&self, request: JsValue, options: JsValue) -> Promise {
        let cfg = &self.state.cfg;
        self.start(
            submit_args(request, &options)
                .map(|a| (Call::submit(cfg.clone(), a.body, a.validate, a.media, random_bytes()), a.signal, None)),
        )
    }

    /// Queries one task.
    pub fn get(&self, task_id: JsValue, options: JsValue) -> Promise {
        let cfg = &self.state.cfg;
        self.start(
            check_options_object(&options)
                .and_then(|()| id_arg(task_id.as_string(), "taskId"))
                .and_then(|id| Ok((Call::get(cfg.clone(), &id), signal_of(&options)?, None))),
        )
    }

    /// Queries a task by its `external_task_id`, where the provider's query takes one.
    #[wasm_bindgen(js_name = getByExternalId)]
    pub fn get_by_external_id(&self, external_task_id: JsValue, options: JsValue) -> Promise {
        let cfg = &self.state.cfg;
        self.start(
            check_options_object(&options)
                .and_then(|()| id_arg(external_task_id.as_string(), "externalTaskId"))
                .and_then(|id| Ok((Call::get_by_external_id(cfg.clone(), &id)?, signal_of(&options)?, None))),
        )
    }

    /// One page of the task list, where the provider has one (`kling`).
    pub fn list(&self, options: JsValue) -> Promise {
        let cfg = &self.state.cfg;
        let page = |k: &str, max: u32, default: u32| {
            // A value that is not a number reads as NaN: an argument error, never a default.
            let v = field(&options, k).map(|v| v.as_f64().unwrap_or(f64::NAN));
            machine::page_arg(v, k, max, default)
        };
        self.start(check_options_object(&options).and_then(|()| {
            let num = page("pageNum", machine::MAX_PAGE_NUM, 1)?;
            let size = page("pageSize", machine::MAX_PAGE_SIZE, machine::DEFAULT_PAGE_SIZE)?;
            Ok((Call::list(cfg.clone(), num, size)?, signal_of(&options)?, None))
        }))
    }

    /// Polls until the task ends.
    pub fn wait(&self, task_id: JsValue, options: JsValue) -> Promise {
        let cfg = &self.state.cfg;
        self.start(id_arg(task_id.as_string(), "taskId").and_then(|id| {
            let (signal, on_progress, timeout) = wait_args(cfg, &options)?;
            Ok((Call::wait(cfg.clone(), &id, timeout), signal, on_progress))
        }))
    }

    /// `submit` then `wait`.
    pub fn generate(&self, request: JsValue, options: JsValue) -> Promise {
        let cfg = &self.state.cfg;
        self.start(submit_args(request, &options).and_then(|a| {
            let (_, on_progress, timeout) = wait_args(cfg, &options)?;
            let call = Call::generate(cfg.clone(), a.body, a.validate, a.media, random_bytes(), timeout);
            Ok((call, a.signal, on_progress))
        }))
    }
}

impl KlingClient {
    /// The promise of a call whose arguments were read (at the call, before it returns):
    /// one future for every method, its argument error a rejection like any other.
    fn start(&self, call: Result<(Call, Option<AbortSignal>, Option<Function>), ClientError>) -> Promise {
        let st = self.state.clone();
        let call = call.map_err(|e| error_to_js(e, Some(&st.cfg), None, None));
        future_to_promise(async move {
            let (call, signal, on_progress) = call?;
            run(&st, call, signal, on_progress).await
        })
    }
}

const TOKEN_KEYS: &[&str] = &["accessKey", "secretKey", "ttlSeconds", "dangerouslyAllowBrowser"];

/// `klingToken({ accessKey, secretKey, ttlSeconds?, dangerouslyAllowBrowser? })`: the JWT
/// Kling's own API takes, signed with Web Crypto, issued now (`Date.now()`).
#[wasm_bindgen(js_name = klingToken, skip_typescript)]
pub fn kling_token(options: JsValue) -> Promise {
    future_to_promise(async move {
        let secret =
            field(&options, "secretKey").and_then(|v| v.as_string()).filter(|s| !s.is_empty()).map(Secret::new);
        let fail = |e: ClientError| {
            let e = match &secret {
                Some(s) => e.redacted(s),
                None => e,
            };
            error_to_js(e, None, None, None)
        };
        let input = token_input(&options, secret.as_ref()).map_err(fail)?;
        let Some(key) = secret.as_ref() else {
            return Err(fail(ClientError::argument(jwt::TokenError::EmptySecretKey.to_string())));
        };
        let signature = hmac_sha256(key, &input)
            .await
            .map_err(|d| fail(ClientError::argument(format!("could not sign a token: {d}"))))?;
        Ok(JsValue::from_str(&jwt::assemble(&input, &signature)))
    })
}

/// The signing input `klingToken` signs, from its checked options.
fn token_input(options: &JsValue, secret: Option<&Secret>) -> Result<String, ClientError> {
    let o = options_json(options)?;
    let Some(map) = o.as_object() else {
        return Err(ClientError::argument("klingToken takes { accessKey, secretKey, ttlSeconds? }"));
    };
    if let Some(k) = map.keys().find(|k| !TOKEN_KEYS.contains(&k.as_str())) {
        let k: String = k.chars().take(40).collect();
        return Err(ClientError::argument(format!("unknown option {k:?}; expected one of {}", TOKEN_KEYS.join(", "))));
    }
    let access = map.get("accessKey").and_then(Value::as_str).unwrap_or("");
    if access.trim().is_empty() {
        return Err(ClientError::argument(jwt::TokenError::EmptyAccessKey.to_string()));
    }
    if secret.is_none() {
        return Err(ClientError::argument(jwt::TokenError::EmptySecretKey.to_string()));
    }
    let allow = match map.get("dangerouslyAllowBrowser") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ClientError::argument("dangerouslyAllowBrowser must be a boolean")),
    };
    config::check_secret_allowed(in_page(), allow)?;
    let ttl = match map.get("ttlSeconds") {
        None | Some(Value::Null) => jwt::DEFAULT_TTL_S,
        Some(v) => config::ttl_seconds(Some(v.as_f64().unwrap_or(f64::NAN)))?,
    };
    let now_s = (js_sys::Date::now().max(0.0) / 1000.0).floor() as u64;
    jwt::signing_input(access, now_s, ttl).map_err(|e| ClientError::argument(e.to_string()))
}

/// `parseCallback(body)`: the task a callback POST from Kling describes (an object or its
/// JSON text); a `KlingError` of kind `invalid_response` for anything else.
#[wasm_bindgen(js_name = parseCallback, skip_typescript)]
pub fn parse_callback(body: JsValue) -> Result<JsValue, JsValue> {
    let invalid = |detail: String| {
        let e = ClientError { detail: Some(detail), ..ClientError::new(ErrorKind::InvalidResponse) };
        error_to_js(e, None, None, None)
    };
    let text = super::validate::json_text(&body, "a callback body").map_err(|e| invalid(js_error_message(&e)))?;
    let value = crate::rules::parse_json(&text).map_err(|e| invalid(format!("callback: {e}")))?;
    let task =
        crate::client::answer::parse_callback(Provider::Kling, &value).map_err(|e| error_to_js(e, None, None, None))?;
    task_to_js(&task)
}
