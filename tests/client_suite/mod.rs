//! The client against the fake gateway (`tests/gateway.mjs`), through the exported
//! `KlingClient` exactly as JavaScript calls it. Shared by `web_client.rs` (a page) and
//! `worker_client.rs` (a dedicated Web Worker).
//!
//! Each test uses its own gateway scope (`x-test-scope`), so the counters it asserts
//! (tasks created, create requests, queries, auth header forms) are its own.

use js_sys::{Array, Function, Object, Promise, Reflect, JSON};
use kling_omni::KlingClient;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const KEY: &str = "test-key";
const MODERATION_REASON: &str = "Failure to pass the risk control system: content moderation";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(url: &str, init: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &Function, ms: f64) -> JsValue;
}

fn gateway() -> &'static str {
    match option_env!("KLING_GATEWAY_URL") {
        Some(url) => url,
        None => panic!("KLING_GATEWAY_URL is not set: run through tests/with-servers.mjs"),
    }
}

/// The fake gateway that keeps connections open (`keepAlive: true`), on its own port: a
/// request to it can go on a connection an earlier request opened.
fn keep_alive_gateway() -> &'static str {
    match option_env!("KLING_GATEWAY_KEEPALIVE_URL") {
        Some(url) => url,
        None => panic!("KLING_GATEWAY_KEEPALIVE_URL is not set: run through tests/with-servers.mjs"),
    }
}

fn scope(name: &str) -> String {
    format!("{name}-{}", (js_sys::Math::random() * 1e9) as u64)
}

fn js(v: &Value) -> JsValue {
    JSON::parse(&v.to_string()).unwrap()
}

fn to_json(v: &JsValue) -> Value {
    if v.is_undefined() {
        return Value::Null;
    }
    serde_json::from_str(&String::from(JSON::stringify(v).unwrap())).unwrap()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

fn s(v: &JsValue, k: &str) -> Option<String> {
    get(v, k).as_string()
}

/// Options for a client of `provider` on the gateway, with test-speed polling and backoff,
/// the scope header and any extra headers, then `extra` merged on top.
fn client_opts(provider: &str, scope: &str, headers: Value, extra: Value) -> Value {
    let mut h = json!({ "x-test-scope": scope });
    for (k, v) in headers.as_object().unwrap() {
        h[k] = v.clone();
    }
    let mut o = json!({
        "provider": provider,
        "baseUrl": gateway(),
        "apiKey": KEY,
        "headers": h,
        "timeoutMs": 5000,
        "poll": { "intervalMs": 100, "maxIntervalMs": 200, "timeoutMs": 20000 },
        "retry": { "maxRetries": 2, "baseDelayMs": 20 },
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            o.as_object_mut().unwrap().remove(k);
        } else {
            o[k] = v.clone();
        }
    }
    o
}

fn client(provider: &str, scope: &str, headers: Value, extra: Value) -> KlingClient {
    KlingClient::new(js(&client_opts(provider, scope, headers, extra))).unwrap_or_else(|e| panic!("{:?}", to_json(&e)))
}

fn o1_request() -> Value {
    json!({ "model_name": "kling-video-o1", "prompt": "a cat on a skateboard", "aspect_ratio": "16:9", "duration": "5" })
}

fn v3_request() -> Value {
    json!({ "model": "kling-v3-omni", "input": { "prompt": "a sunset over the sea" },
            "parameters": { "aspect_ratio": "16:9", "duration": 5 } })
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

async fn ok(p: Promise) -> JsValue {
    match settle(p).await {
        Ok(v) => v,
        Err(e) => panic!("rejected: {} {:?}", String::from(e.unchecked_ref::<js_sys::Error>().message()), to_json(&e)),
    }
}

async fn err(p: Promise) -> JsValue {
    match settle(p).await {
        Ok(v) => panic!("resolved: {:?}", to_json(&v)),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>(), "not an Error: {e:?}");
            assert!(kling_omni_is_error(&e), "not a KlingError: {:?}", to_json(&e));
            e
        }
    }
}

fn kling_omni_is_error(e: &JsValue) -> bool {
    s(e, "name").as_deref() == Some("KlingError") && get(e, "kind").is_string()
}

async fn http_text(url: &str) -> (u16, String) {
    let r: web_sys::Response = JsFuture::from(global_fetch(url, &JsValue::UNDEFINED)).await.unwrap().unchecked_into();
    let status = r.status();
    let text = JsFuture::from(r.text().unwrap()).await.unwrap().as_string().unwrap();
    (status, text)
}

async fn stats(scope: &str) -> Value {
    stats_at(gateway(), scope).await
}

async fn stats_at(base: &str, scope: &str) -> Value {
    let (status, text) = http_text(&format!("{base}/__stats?scope={scope}")).await;
    assert_eq!(status, 200);
    serde_json::from_str(&text).unwrap()
}

/// How many times the client itself has called `fetch` with this scope's header: a wrapper
/// around `globalThis.fetch` (which the client calls), installed on the first use. A request
/// the browser resends by itself (a dropped GET, in some engines) is not a call, so this
/// counts the client's attempts, whatever the engine does below it.
fn client_attempts(scope: &str) -> u64 {
    let count = Function::new_with_args(
        "scope",
        r#"const g = globalThis;
        if (!g.__klingClientAttempts) {
          const counts = new Map(), inner = g.fetch;
          g.fetch = function (input, init) {
            let s = null;
            try { s = (input instanceof Request ? input.headers : new Headers(init && init.headers)).get("x-test-scope"); } catch (_) {}
            if (s) counts.set(s, (counts.get(s) || 0) + 1);
            return inner.apply(this, arguments);
          };
          g.__klingClientAttempts = counts;
        }
        return g.__klingClientAttempts.get(scope) || 0;"#,
    );
    count.call1(&JsValue::NULL, &scope.into()).unwrap().as_f64().unwrap() as u64
}

fn opts(v: Value) -> JsValue {
    js(&v)
}

fn with_signal(o: JsValue, signal: &web_sys::AbortSignal) -> JsValue {
    Reflect::set(&o, &"signal".into(), signal).unwrap();
    o
}

fn abort_after(ms: f64) -> web_sys::AbortSignal {
    let c = web_sys::AbortController::new().unwrap();
    let signal = c.signal();
    let f = Closure::once_into_js(move || c.abort());
    set_timeout(f.unchecked_ref(), ms);
    signal
}

async fn sleep(ms: f64) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    JsFuture::from(p).await.unwrap();
}

/// The error's own values, as JSON (`message` and `name` included).
fn error_json(e: &JsValue) -> Value {
    let mut v = to_json(e);
    v["message"] = json!(String::from(e.unchecked_ref::<js_sys::Error>().message()));
    v["name"] = json!(s(e, "name"));
    v
}

// ---------------------------------------------------------------------------------------
// Happy paths.

#[wasm_bindgen_test]
async fn o1_submit_wait_with_progress_and_lookup_by_external_id() {
    let sc = scope("o1-happy");
    let c = client("o1", &sc, json!({}), json!({}));
    let sub = ok(c.submit(js(&o1_request()), JsValue::UNDEFINED)).await;
    let task_id = s(&sub, "taskId").unwrap();
    let ext = s(&sub, "externalTaskId").unwrap();
    assert!(ext.starts_with("ko-") && ext.len() == 35 && ext[3..].bytes().all(|b| b.is_ascii_hexdigit()), "{ext}");
    assert_eq!(s(&sub, "status").as_deref(), Some("queued"));
    assert!(s(&sub, "requestId").unwrap().starts_with("req_"));
    assert_eq!(to_json(&get(&sub, "raw"))["data"]["task_status"], json!("submitted"));

    let seen = Array::new();
    let seen2 = seen.clone();
    let on_progress = Closure::<dyn FnMut(JsValue)>::new(move |t: JsValue| {
        seen2.push(&get(&t, "status"));
    });
    let o = Object::new();
    Reflect::set(&o, &"onProgress".into(), on_progress.as_ref()).unwrap();
    let task = ok(c.wait(task_id.clone().into(), o.into())).await;
    let t = to_json(&task);
    assert_eq!(t["taskId"], json!(task_id));
    assert_eq!(t["status"], json!("succeeded"));
    assert_eq!(t["providerStatus"], json!("succeed"));
    assert_eq!(t["externalTaskId"], json!(ext));
    let url = t["videos"][0]["url"].as_str().unwrap().to_string();
    assert_eq!(url, format!("{}/media/{task_id}.mp4", gateway()));
    assert_eq!(t["videos"][0]["duration"].as_f64(), Some(5.0));
    assert!(t["createdAt"].as_f64().unwrap() > 1.7e12);
    let statuses: Vec<String> = seen.iter().map(|v| v.as_string().unwrap()).collect();
    assert!(statuses.len() >= 2, "{statuses:?}");
    assert_eq!(statuses.last().map(String::as_str), Some("succeeded"));
    assert!(statuses[..statuses.len() - 1].iter().all(|s| s == "queued" || s == "running"), "{statuses:?}");
    assert!(statuses.iter().any(|s| s == "running"), "{statuses:?}");

    // The result is a real MP4 the page can fetch.
    let r: web_sys::Response = JsFuture::from(global_fetch(&url, &JsValue::UNDEFINED)).await.unwrap().unchecked_into();
    let buf = js_sys::Uint8Array::new(&JsFuture::from(r.array_buffer().unwrap()).await.unwrap()).to_vec();
    assert_eq!(buf.len(), 957);
    assert_eq!(&buf[4..8], b"ftyp");

    let by_ext = ok(c.get_by_external_id(ext.clone().into(), JsValue::UNDEFINED)).await;
    assert_eq!(s(&by_ext, "taskId"), Some(task_id.clone()));
    let again = ok(c.get(task_id.into(), JsValue::UNDEFINED)).await;
    assert_eq!(s(&again, "status").as_deref(), Some("succeeded"));

    let st = stats(&sc).await;
    assert_eq!(st["created"], json!(1));
    assert_eq!(st["createRequests"], json!(1));
    assert_eq!(
        st["auth"],
        json!({ "bearer": st["createRequests"].as_u64().unwrap() + st["queries"].as_u64().unwrap(), "bare": 0, "none": 0, "wrong": 0 })
    );
}

#[wasm_bindgen_test]
async fn v3_generate_happy_path() {
    let sc = scope("v3-happy");
    let c = client("v3", &sc, json!({}), json!({}));
    assert_eq!(c.provider(), "v3");
    assert_eq!(c.base_url(), gateway());
    let seen = Array::new();
    let seen2 = seen.clone();
    let on_progress = Closure::<dyn FnMut(JsValue)>::new(move |t: JsValue| {
        seen2.push(&get(&t, "providerStatus"));
    });
    let o = Object::new();
    Reflect::set(&o, &"onProgress".into(), on_progress.as_ref()).unwrap();
    let task = ok(c.generate(js(&v3_request()), o.into())).await;
    let t = to_json(&task);
    assert_eq!(t["status"], json!("succeeded"));
    assert_eq!(t["providerStatus"], json!("Success"));
    assert_eq!(t["videos"].as_array().unwrap().len(), 1);
    assert_eq!(t["videos"][0]["duration"].as_f64(), Some(5.0));
    assert!(t["videos"][0]["url"].as_str().unwrap().ends_with(".mp4"));
    assert!(t.get("externalTaskId").is_none());
    assert_eq!(t["createdAt"].as_f64().unwrap() % 1000.0, 0.0); // seconds × 1000
    let seen: Vec<String> = seen.iter().map(|v| v.as_string().unwrap()).collect();
    assert_eq!(seen.last().map(String::as_str), Some("Success"));
    assert!(seen.iter().all(|s| ["Pending", "Running", "Success"].contains(&s.as_str())), "{seen:?}");
    let st = stats(&sc).await;
    assert_eq!((st["created"].clone(), st["createRequests"].clone()), (json!(1), json!(1)));
    assert_eq!(st["auth"]["bare"], json!(1 + st["queries"].as_u64().unwrap()));
    assert_eq!(st["auth"]["bearer"], json!(0));
}

#[wasm_bindgen_test]
async fn requests_as_json_text_are_accepted() {
    let sc = scope("json-text");
    let c = client("v3", &sc, json!({}), json!({}));
    let sub = ok(c.submit(JsValue::from_str(&v3_request().to_string()), JsValue::UNDEFINED)).await;
    assert_eq!(s(&sub, "status").as_deref(), Some("queued"));
    assert_eq!(stats(&sc).await["created"], json!(1));
}

// ---------------------------------------------------------------------------------------
// Validation and arguments.

#[wasm_bindgen_test]
async fn invalid_request_is_rejected_with_the_report_and_nothing_is_sent() {
    let sc = scope("invalid");
    let c = client("o1", &sc, json!({}), json!({}));
    let bad = json!({ "prompt": "   ", "aspect_ratio": "16:9", "duration": "5" });
    let e = err(c.submit(js(&bad), JsValue::UNDEFINED)).await;
    let j = error_json(&e);
    assert_eq!(j["kind"], json!("validation"));
    assert_eq!(j["report"]["valid"], json!(false));
    let codes: Vec<&str> =
        j["report"]["errors"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["prompt_required"]);
    assert_eq!(j["retryable"], json!(false));
    assert_eq!(j["ambiguous"], json!(false));
    assert_eq!(stats(&sc).await["createRequests"], json!(0));
    // validate: false sends it as it is.
    let sub = ok(c.submit(js(&bad), opts(json!({ "validate": false })))).await;
    assert!(s(&sub, "taskId").is_some());
    assert_eq!(stats(&sc).await["createRequests"], json!(1));
}

#[wasm_bindgen_test]
async fn bad_options_throw_argument_errors_without_the_key() {
    let cases = [
        json!({ "provider": "o2" }),
        json!({ "provider": "o1", "apiKey": "sk-secret-777", "timeout": 5 }),
        json!({ "provider": "o1", "apiKey": "sk-secret-777", "headers": "sk-secret-777" }),
        json!({ "provider": "v3", "baseUrl": "ftp://x" }),
        json!({ "provider": "v3", "timeoutMs": -1 }),
        json!({ "provider": "v3", "locale": "fr" }),
    ];
    for c in cases {
        let e = match KlingClient::new(js(&c)) {
            Ok(_) => panic!("accepted {c}"),
            Err(e) => e,
        };
        let j = error_json(&e);
        assert_eq!(j["kind"], json!("argument"), "{c}");
        assert!(!j.to_string().contains("sk-secret-777"), "{j}");
    }
    assert!(KlingClient::new(JsValue::UNDEFINED).is_err());
    let c = client("v3", "x", json!({}), json!({}));
    let e = err(c.get_by_external_id("e".into(), JsValue::UNDEFINED)).await;
    assert_eq!(s(&e, "kind").as_deref(), Some("argument"));
    let e = err(c.get("".into(), JsValue::UNDEFINED)).await;
    assert_eq!(s(&e, "kind").as_deref(), Some("argument"));
    let e = err(c.submit(JsValue::from_f64(5.0), JsValue::UNDEFINED)).await;
    assert_eq!(s(&e, "kind").as_deref(), Some("argument"));
}

// ---------------------------------------------------------------------------------------
// Authentication and the key.

#[wasm_bindgen_test]
async fn without_a_key_no_authorization_header_is_sent() {
    let sc = scope("no-key");
    let c = client("o1", &sc, json!({}), json!({ "apiKey": null }));
    let e = err(c.submit(js(&o1_request()), JsValue::UNDEFINED)).await;
    let j = error_json(&e);
    assert_eq!((j["kind"].clone(), j["code"].clone(), j["status"].clone()), (json!("api"), json!("1001"), json!(401)));
    assert_eq!(j["category"], json!("authentication"));
    assert_eq!(j["retryable"], json!(false));
    let st = stats(&sc).await;
    assert_eq!(st["auth"], json!({ "bearer": 0, "bare": 0, "none": 1, "wrong": 0 }));
    assert_eq!(st["created"], json!(0));
}

#[wasm_bindgen_test]
async fn a_wrong_key_is_an_auth_error_and_never_shows() {
    let sc = scope("wrong-key");
    let key = "sk-live-DO-NOT-LEAK-123456";
    for provider in ["o1", "v3"] {
        let c = client(provider, &sc, json!({}), json!({ "apiKey": key, "locale": "zh" }));
        let e = err(c.get("t1".into(), JsValue::UNDEFINED)).await;
        let j = error_json(&e);
        if provider == "o1" {
            assert_eq!((j["kind"].clone(), j["code"].clone()), (json!("api"), json!("1002")));
            assert_eq!(j["message"], json!("API 错误 1002：Authorization 值非法：Authorization is invalid"));
        } else {
            assert_eq!((j["kind"].clone(), j["status"].clone()), (json!("http_status"), json!(401)));
        }
        let text = format!("{j} {}", String::from(e.unchecked_ref::<js_sys::Error>().to_string()));
        assert!(!text.contains(key), "{text}");
        let client_json = String::from(JSON::stringify(&JsValue::from(c)).unwrap());
        assert!(!client_json.contains(key), "{client_json}");
    }
    assert_eq!(stats(&sc).await["auth"]["wrong"], json!(2));
    assert_eq!(stats(&sc).await["queries"], json!(2)); // auth errors are not retried
}

// ---------------------------------------------------------------------------------------
// Abort and timeouts.

#[wasm_bindgen_test]
async fn abort_stops_the_poll_timer_at_once() {
    let sc = scope("abort-wait");
    let c = client(
        "v3",
        &sc,
        json!({ "x-fault": "slow" }),
        json!({ "poll": { "intervalMs": 5000, "maxIntervalMs": 5000 } }),
    );
    let sub = ok(c.submit(js(&v3_request()), JsValue::UNDEFINED)).await;
    let t0 = js_sys::Date::now();
    let e = err(c.wait(get(&sub, "taskId"), with_signal(Object::new().into(), &abort_after(300.0)))).await;
    let elapsed = js_sys::Date::now() - t0;
    assert_eq!(s(&e, "kind").as_deref(), Some("aborted"));
    assert_eq!(s(&e, "taskId"), s(&sub, "taskId"));
    assert!(elapsed < 2000.0, "took {elapsed} ms: the 5 s timer was not stopped");
    assert_eq!(stats(&sc).await["queries"], json!(1));
}

#[wasm_bindgen_test]
async fn abort_stops_a_fetch_in_flight() {
    let sc = scope("abort-fetch");
    let c = client("o1", &sc, json!({ "x-fault": "query-hang" }), json!({ "timeoutMs": 30000 }));
    let t0 = js_sys::Date::now();
    let e = err(c.get("t".into(), with_signal(Object::new().into(), &abort_after(300.0)))).await;
    let elapsed = js_sys::Date::now() - t0;
    assert_eq!(s(&e, "kind").as_deref(), Some("aborted"));
    assert_eq!(get(&e, "ambiguous").as_bool(), Some(false));
    assert!(elapsed < 2000.0, "took {elapsed} ms");
    assert_eq!(stats(&sc).await["queries"], json!(1));
}

#[wasm_bindgen_test]
async fn aborting_a_create_in_flight_is_ambiguous_and_not_resent() {
    let sc = scope("abort-create");
    let c = client("o1", &sc, json!({ "x-fault": "create-hang" }), json!({ "timeoutMs": 30000 }));
    let e = err(c.submit(js(&o1_request()), with_signal(Object::new().into(), &abort_after(300.0)))).await;
    let j = error_json(&e);
    assert_eq!((j["kind"].clone(), j["ambiguous"].clone()), (json!("aborted"), json!(true)));
    assert!(j["externalTaskId"].as_str().unwrap().starts_with("ko-"));
    let st = stats(&sc).await;
    assert_eq!((st["created"].clone(), st["createRequests"].clone()), (json!(1), json!(1)));

    // A signal aborted before the call: nothing is sent, nothing is ambiguous.
    let c2 = web_sys::AbortController::new().unwrap();
    c2.abort();
    let sc2 = scope("abort-before");
    let c = client("o1", &sc2, json!({}), json!({}));
    let e = err(c.submit(js(&o1_request()), with_signal(Object::new().into(), &c2.signal()))).await;
    assert_eq!((s(&e, "kind").as_deref(), get(&e, "ambiguous").as_bool()), (Some("aborted"), Some(false)));
    assert_eq!(stats(&sc2).await["createRequests"], json!(0));
}

#[wasm_bindgen_test]
async fn the_overall_wait_timeout_fires_inside_the_loop() {
    let sc = scope("wait-timeout");
    let c = client(
        "o1",
        &sc,
        json!({ "x-fault": "slow" }),
        json!({ "poll": { "intervalMs": 300, "maxIntervalMs": 5000 } }),
    );
    let sub = ok(c.submit(js(&o1_request()), JsValue::UNDEFINED)).await;
    let t0 = js_sys::Date::now();
    let e = err(c.wait(get(&sub, "taskId"), opts(json!({ "timeoutMs": 1000 })))).await;
    let elapsed = js_sys::Date::now() - t0;
    let j = error_json(&e);
    assert_eq!((j["kind"].clone(), j["timeoutMs"].clone()), (json!("timeout"), json!(1000)));
    assert_eq!(j["taskId"], json!(s(&sub, "taskId")));
    assert!((950.0..2500.0).contains(&elapsed), "took {elapsed} ms");
}

#[wasm_bindgen_test]
async fn a_hanging_query_times_out_per_request_and_is_retried() {
    let sc = scope("query-timeout");
    let c = client(
        "v3",
        &sc,
        json!({ "x-fault": "query-hang" }),
        json!({ "timeoutMs": 300, "retry": { "maxRetries": 1, "baseDelayMs": 10 } }),
    );
    let e = err(c.get("t".into(), JsValue::UNDEFINED)).await;
    let j = error_json(&e);
    assert_eq!(
        (j["kind"].clone(), j["timeoutMs"].clone(), j["retryable"].clone()),
        (json!("timeout"), json!(300), json!(true))
    );
    assert_eq!(stats(&sc).await["queries"], json!(2));
}

// ---------------------------------------------------------------------------------------
// Query faults: retried where allowed.

/// Counts the client's attempts (its own `fetch` calls), and the queries the gateway saw:
/// the rule is about the client, and an engine that resends a dropped GET by itself
/// (Firefox does, up to `network.http.request.max-attempts` times, unless the run sets it
/// to 1: tests/firefox-webdriver.json) must neither hide a client that retries too much nor
/// fail one that does not. Both counts must equal the row's: the second one also shows the
/// engine resent nothing.
#[wasm_bindgen_test]
async fn query_faults_retry_only_where_allowed() {
    // (provider, fault, times, expect ok, kind, code, status, queries = client attempts)
    type Row = (&'static str, &'static str, u32, bool, &'static str, Option<&'static str>, Option<u16>, u64);
    let table: &[Row] = &[
        ("o1", "query-503", 2, true, "", None, None, 3),
        ("v3", "query-500", 1, true, "", None, None, 2),
        ("o1", "query-1302", 1, true, "", None, None, 2),
        ("o1", "query-drop", 1, true, "", None, None, 2),
        ("v3", "query-malformed", 1, true, "", None, None, 2),
        ("o1", "query-500", 99, false, "http_status", None, Some(500), 3),
        ("v3", "query-1302", 99, false, "api", Some("1302"), Some(429), 3),
        ("o1", "query-malformed", 99, false, "invalid_response", None, Some(200), 3),
        ("v3", "query-drop", 99, false, "network", None, None, 3),
        ("o1", "auth-1004", 99, false, "api", Some("1004"), Some(401), 1),
    ];
    for &(provider, fault, times, want_ok, kind, code, status, queries) in table {
        let sc = scope(fault);
        let c = client(provider, &sc, json!({}), json!({}));
        let sub =
            ok(c.submit(js(&if provider == "o1" { o1_request() } else { v3_request() }), JsValue::UNDEFINED)).await;
        let faulty = client(provider, &sc, json!({ "x-fault": fault, "x-fault-times": times.to_string() }), json!({}));
        let before = stats(&sc).await["queries"].as_u64().unwrap();
        let attempts_before = client_attempts(&sc);
        let r = settle(faulty.get(get(&sub, "taskId"), JsValue::UNDEFINED)).await;
        let attempts = client_attempts(&sc) - attempts_before;
        assert_eq!(attempts, queries, "{provider} {fault}: the client's attempts");
        match (want_ok, r) {
            (true, Ok(t)) => assert_eq!(s(&t, "taskId"), s(&sub, "taskId")),
            (false, Err(e)) => {
                let j = error_json(&e);
                assert_eq!(j["kind"], json!(kind), "{fault}: {j}");
                assert_eq!(j["code"].as_str(), code, "{fault}");
                assert_eq!(j["status"].as_u64(), status.map(u64::from), "{fault}");
                assert_eq!(j["ambiguous"], json!(false));
            }
            (w, r) => {
                panic!("{provider} {fault}: want ok={w}, got {:?}", r.map(|v| to_json(&v)).map_err(|e| error_json(&e)))
            }
        }
        let after = stats(&sc).await["queries"].as_u64().unwrap();
        assert_eq!(after - before, queries, "{provider} {fault}: queries the gateway saw (the engine resent some?)");
    }
}

// ---------------------------------------------------------------------------------------
// Create faults: refusals are retried, lost answers are looked up (O1) or ambiguous, and
// exactly one task exists in every lost-answer case.

#[wasm_bindgen_test]
async fn create_faults_never_duplicate_a_task() {
    // (provider, fault, times, autoExternalId, Ok? / error kind, code, ambiguous, creates sent, tasks made)
    type Row =
        (&'static str, &'static str, u32, bool, Result<(), (&'static str, Option<&'static str>, bool)>, u64, u64);
    let table: &[Row] = &[
        // refusals: sent again
        ("o1", "create-1302", 1, true, Ok(()), 2, 1),
        ("v3", "create-1303", 2, true, Ok(()), 3, 1),
        ("o1", "create-429", 1, true, Ok(()), 2, 1),
        ("v3", "create-006001094", 1, true, Ok(()), 2, 1),
        ("o1", "create-1303", 99, true, Err(("api", Some("1303"), false)), 3, 0),
        // definite errors: not sent again
        ("o1", "create-1304", 99, true, Err(("api", Some("1304"), false)), 1, 0),
        ("o1", "create-1301", 99, true, Err(("api", Some("1301"), false)), 1, 0),
        ("v3", "create-006001099", 99, false, Err(("api", Some("006001099"), false)), 1, 0),
        // a task-creation refusal of a create that carried an id: maybe the refusal of a
        // copy whose first went through (issue 14): ambiguous, naming the id
        ("v3", "create-006001099", 99, true, Err(("api", Some("006001099"), true)), 1, 0),
        // lost answers, O1: found by external_task_id
        ("o1", "create-500-created", 99, true, Ok(()), 1, 1),
        ("o1", "create-malformed", 99, true, Ok(()), 1, 1),
        ("o1", "create-drop", 99, true, Ok(()), 1, 1),
        ("o1", "create-hang", 99, true, Ok(()), 1, 1),
        // lost answers, O1, not found: ambiguous, not resent
        ("o1", "create-500", 99, true, Err(("http_status", None, true)), 1, 0),
        ("o1", "create-503", 99, true, Err(("http_status", None, true)), 1, 0),
        // lost answers with no lookup: ambiguous, not resent
        ("o1", "create-drop", 99, false, Err(("network", None, true)), 1, 1),
        ("v3", "create-500-created", 99, true, Err(("http_status", None, true)), 1, 1),
        ("v3", "create-503", 99, true, Err(("http_status", None, true)), 1, 0),
        ("v3", "create-malformed", 99, true, Err(("invalid_response", None, true)), 1, 1),
        ("v3", "create-drop", 99, true, Err(("network", None, true)), 1, 1),
        ("v3", "create-hang", 99, true, Err(("timeout", None, true)), 1, 1),
    ];
    for &(provider, fault, times, auto, ref want, creates, created) in table {
        let sc = scope(fault);
        let c = client(
            provider,
            &sc,
            json!({ "x-fault": fault, "x-fault-times": times.to_string() }),
            json!({ "autoExternalId": auto, "timeoutMs": 1500 }),
        );
        let req = if provider == "o1" { o1_request() } else { v3_request() };
        let r = settle(c.submit(js(&req), JsValue::UNDEFINED)).await;
        let label = format!("{provider} {fault} auto={auto}");
        match (want, r) {
            (Ok(()), Ok(sub)) => {
                let id = s(&sub, "taskId").unwrap();
                // The task it returns is the one that exists.
                let plain = client(provider, &sc, json!({}), json!({}));
                let found = ok(plain.get(id.clone().into(), JsValue::UNDEFINED)).await;
                assert_eq!(s(&found, "taskId"), Some(id), "{label}");
            }
            (Err((kind, code, ambiguous)), Err(e)) => {
                let j = error_json(&e);
                assert_eq!(j["kind"], json!(kind), "{label}: {j}");
                assert_eq!(j["code"].as_str(), *code, "{label}");
                assert_eq!(j["ambiguous"], json!(ambiguous), "{label}");
                if *ambiguous {
                    assert_eq!(j["retryable"], json!(false), "{label}");
                    assert!(j["message"].as_str().unwrap().contains("may have been created"), "{label}: {j}");
                    // Every provider's create carries the automatic id (V3 too since issue 14).
                    assert_eq!(
                        j["externalTaskId"].as_str().map(|s| s.starts_with("ko-")),
                        auto.then_some(true),
                        "{label}"
                    );
                }
            }
            (w, r) => panic!("{label}: want {w:?}, got {:?}", r.map(|v| to_json(&v)).map_err(|e| error_json(&e))),
        }
        let st = stats(&sc).await;
        assert_eq!(st["createRequests"], json!(creates), "{label}: create requests");
        assert_eq!(st["created"], json!(created), "{label}: tasks made");
    }
}

/// The engine running the suite, from its user agent: 0 Chromium, 1 Firefox, 2 WebKit.
/// The browser engine, or `None` in Node (`tests/node_client.rs`: no `navigator` in Node 20,
/// `Node.js/…` from 21), whose fetch (undici) the engine rows do not record.
fn engine() -> Option<(usize, &'static str)> {
    let nav = get(&js_sys::global(), "navigator");
    let ua = if nav.is_object() { s(&nav, "userAgent").unwrap_or_default() } else { String::new() };
    if ua.is_empty() || ua.starts_with("Node.js") {
        None
    } else if ua.contains("Firefox/") {
        Some((1, "Firefox"))
    } else if ua.contains("Chrome/") {
        Some((0, "Chromium"))
    } else if ua.contains("AppleWebKit/") {
        Some((2, "WebKit"))
    } else {
        panic!("unknown engine: {ua}")
    }
}

/// Below the client: what each engine does by itself when the connection of a create drops
/// after the gateway made the task, before a byte of answer. The page's own `fetch` sends
/// one create (no external id, so each copy the gateway receives makes a task).
///
/// On a fresh connection (the usual gateway closes every connection) no engine sends it
/// again: the rest of this suite rests on that. On a reused connection (the keep-alive
/// gateway; a CORS preflight is enough to open one) Chromium sends the POST again once,
/// taking the drop for a server that closed an idle connection before reading the request;
/// Firefox does too by default, but not with `network.http.request.max-attempts` 1, which
/// the Firefox run sets (tests/firefox-webdriver.json); WebKitGTK (libsoup) never sends a
/// POST on a reused connection. A change in any engine fails its row.
#[wasm_bindgen_test]
async fn each_engine_resends_a_dropped_create_only_where_recorded() {
    // (gateway, warm the connection with two queries first, provider,
    //  creates the gateway receives = tasks made: [Chromium, Firefox, WebKit])
    let table: &[(&str, bool, &str, [u64; 3])] = &[
        (gateway(), false, "o1", [1, 1, 1]),
        (gateway(), true, "v3", [1, 1, 1]),
        (keep_alive_gateway(), false, "o1", [2, 1, 1]),
        (keep_alive_gateway(), true, "o1", [2, 1, 1]),
        (keep_alive_gateway(), true, "v3", [2, 1, 1]),
    ];
    let Some((e, name)) = engine() else { return };
    for &(base, warm, provider, sent) in table {
        let sc = scope("engine-create-drop");
        let label = format!("{name}, {provider}, keep-alive={}, warm={warm}", base == keep_alive_gateway());
        let (create, query, auth) = match provider {
            "o1" => ("/kling/v1/videos/omni-video", "/kling/v1/videos/omni-video/nope", format!("Bearer {KEY}")),
            _ => ("/v1/tasks/submit", "/v1/tasks/status?task_id=nope", KEY.to_string()),
        };
        let headers = |fault: Option<&str>| {
            let h = web_sys::Headers::new().unwrap();
            h.set("authorization", &auth).unwrap();
            h.set("content-type", "application/json").unwrap();
            h.set("x-test-scope", &sc).unwrap();
            if let Some(f) = fault {
                h.set("x-fault", f).unwrap();
            }
            h
        };
        if warm {
            for _ in 0..2 {
                let init = web_sys::RequestInit::new();
                init.set_headers(&headers(None));
                let r: web_sys::Response =
                    JsFuture::from(global_fetch(&format!("{base}{query}"), &init)).await.unwrap().unchecked_into();
                assert_eq!(r.status(), 404, "{label}");
                JsFuture::from(r.text().unwrap()).await.unwrap();
            }
        }
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_headers(&headers(Some("create-drop")));
        let body = if provider == "o1" { o1_request() } else { v3_request() };
        init.set_body(&JsValue::from_str(&body.to_string()));
        let r = settle(global_fetch(&format!("{base}{create}"), &init)).await;
        assert!(r.is_err(), "{label}: the dropped create answered {:?}", r.map(|v| to_json(&v)));
        let st = stats_at(base, &sc).await;
        assert_eq!(st["createRequests"], json!(sent[e]), "{label}: creates the gateway received");
        assert_eq!(st["created"], json!(sent[e]), "{label}: tasks made");
    }
}

/// The client on the keep-alive gateway, where Chromium sends a dropped create again by
/// itself (above). The automatic `external_task_id` (every provider's create carries it)
/// makes the engine's copy meet a known id, which the gateway refuses: one task in every
/// engine. O1 then finds that task by its id. V3 has no lookup by that id: in Chromium the
/// client sees the copy's refusal (006001099) and reports it as ambiguous, naming the id,
/// since the first copy made the task.
/// Without the id, Chromium's copy is answered, the client sees a success, and the first
/// copy's task is a second, unseen one. The drop is a one-off, as on a real network.
#[wasm_bindgen_test]
async fn a_create_dropped_on_a_reused_connection() {
    type Want = Result<(), (&'static str, Option<&'static str>, bool)>;
    const LOST: Want = Err(("network", None, true));
    // (provider, autoExternalId, then per engine [Chromium, Firefox, WebKit]: Ok or the
    //  error (kind, code, ambiguous), creates the gateway receives, tasks made)
    type Row = (&'static str, bool, [Want; 3], [u64; 3], [u64; 3]);
    let table: &[Row] = &[
        ("o1", true, [Ok(()), Ok(()), Ok(())], [2, 1, 1], [1, 1, 1]),
        ("v3", true, [Err(("api", Some("006001099"), true)), LOST, LOST], [2, 1, 1], [1, 1, 1]),
        ("v3", false, [Ok(()), LOST, LOST], [2, 1, 1], [2, 1, 1]),
    ];
    let Some((e, name)) = engine() else { return };
    for &(provider, auto, want, creates, created) in table {
        let want = want[e];
        let sc = scope("reused-create-drop");
        let label = format!("{name} {provider} auto={auto}");
        let mut o = client_opts(
            provider,
            &sc,
            json!({ "x-fault": "create-drop", "x-fault-times": "1" }),
            json!({ "timeoutMs": 3000, "autoExternalId": auto }),
        );
        o["baseUrl"] = json!(keep_alive_gateway());
        let c = KlingClient::new(js(&o)).unwrap_or_else(|e| panic!("{:?}", to_json(&e)));
        // A query first: its preflight and its answer leave an open connection.
        let _ = settle(c.get("nope".into(), JsValue::UNDEFINED)).await;
        let req = if provider == "o1" { o1_request() } else { v3_request() };
        let r = settle(c.submit(js(&req), JsValue::UNDEFINED)).await;
        match (want, r) {
            (Ok(()), Ok(sub)) => assert!(s(&sub, "taskId").is_some(), "{label}"),
            (Err((kind, code, ambiguous)), Err(err)) => {
                let j = error_json(&err);
                assert_eq!(
                    (j["kind"].clone(), j["code"].as_str(), j["ambiguous"].clone()),
                    (json!(kind), code, json!(ambiguous)),
                    "{label}: {j}"
                );
            }
            (w, r) => panic!("{label}: want {w:?}, got {:?}", r.map(|v| to_json(&v)).map_err(|e| error_json(&e))),
        }
        let st = stats_at(keep_alive_gateway(), &sc).await;
        assert_eq!(st["createRequests"], json!(creates[e]), "{label}: creates the gateway received");
        assert_eq!(st["created"], json!(created[e]), "{label}: tasks made");
    }
}

// ---------------------------------------------------------------------------------------
// Failed tasks.

#[wasm_bindgen_test]
async fn a_moderated_task_rejects_with_the_providers_reason() {
    for provider in ["o1", "v3"] {
        let sc = scope("moderation");
        let c = client(provider, &sc, json!({ "x-fault": "moderation" }), json!({}));
        let req = if provider == "o1" { o1_request() } else { v3_request() };
        let e = err(c.generate(js(&req), JsValue::UNDEFINED)).await;
        let j = error_json(&e);
        assert_eq!(j["kind"], json!("task_failed"), "{provider}");
        assert_eq!(j["providerMessage"], json!(MODERATION_REASON));
        assert_eq!(j["task"]["status"], json!("failed"));
        assert_eq!(j["task"]["failure"]["message"], json!(MODERATION_REASON));
        assert_eq!(j["task"]["providerStatus"], json!(if provider == "o1" { "failed" } else { "Failure" }));
        assert_eq!(j["taskId"], j["task"]["taskId"]);
        assert_eq!(j["message"], json!(format!("Task {} failed: {MODERATION_REASON}", j["taskId"].as_str().unwrap())));
        assert_eq!(j["retryable"], json!(false));
        assert_eq!(stats(&sc).await["created"], json!(1));
    }
}

#[wasm_bindgen_test]
async fn progress_callback_errors_do_not_break_the_wait() {
    let sc = scope("progress-throws");
    let c = client("o1", &sc, json!({}), json!({}));
    let thrower = Function::new_no_args("throw new Error('boom')");
    let o = Object::new();
    Reflect::set(&o, &"onProgress".into(), &thrower).unwrap();
    let t = ok(c.generate(js(&o1_request()), o.into())).await;
    assert_eq!(s(&t, "status").as_deref(), Some("succeeded"));
    sleep(1.0).await;
}

#[wasm_bindgen_test]
async fn a_create_with_an_existing_external_id_returns_that_task() {
    // What an O1 client sees when an earlier copy of its create got through: the gateway
    // refuses the id it already has (1201), and the client finds the task by that id.
    let sc = scope("existing-ext");
    let c = client("o1", &sc, json!({}), json!({}));
    let mut req = o1_request();
    req["external_task_id"] = json!(format!("mine-{sc}"));
    let first = ok(c.submit(js(&req), JsValue::UNDEFINED)).await;
    let second = ok(c.submit(js(&req), JsValue::UNDEFINED)).await;
    assert_eq!(s(&second, "taskId"), s(&first, "taskId"));
    assert_eq!(s(&second, "externalTaskId"), Some(format!("mine-{sc}")));
    let st = stats(&sc).await;
    assert_eq!((st["createRequests"].clone(), st["created"].clone()), (json!(2), json!(1)));
}

// ---------------------------------------------------------------------------------------
// A hostile answer.

/// `__proto__` and `constructor` keys in an answer (a hostile proxy) stay own keys of `raw`,
/// as sent: no object's prototype is set from them, and nothing is polluted.
#[wasm_bindgen_test]
async fn proto_keys_in_an_answer_stay_data() {
    for (provider, req, inner) in [("o1", o1_request(), "data"), ("v3", v3_request(), "output")] {
        let sc = scope(&format!("proto-{provider}"));
        let c = client(provider, &sc, json!({ "x-fault": "create-proto" }), json!({}));
        let sub = ok(c.submit(js(&req), JsValue::UNDEFINED)).await;
        assert_ne!(s(&sub, "taskId").as_deref(), Some("fake"));
        let raw = get(&sub, "raw");
        for o in [raw.clone(), get(&raw, inner)] {
            assert!(
                Object::get_prototype_of(&o) == Object::get_prototype_of(&Object::new()),
                "{provider}: a prototype was set"
            );
            assert!(get(&o, "polluted").is_undefined());
            let own = Reflect::own_keys(&o).unwrap().iter().filter_map(|k| k.as_string()).collect::<Vec<_>>();
            assert!(
                own.contains(&"__proto__".to_string()) && own.contains(&"constructor".to_string()),
                "{provider}: {own:?}"
            );
        }
        assert!(get(&Object::new(), "polluted").is_undefined());
    }
}

// ---------------------------------------------------------------------------------------
// Errors are one class.

fn constructor_of(e: &JsValue) -> JsValue {
    get(&Object::get_prototype_of(e), "constructor")
}

/// Every client error is an instance of one `KlingError` class (an `Error`), with the
/// failed `fetch`'s own `TypeError` as `cause`, and no cause where there is none.
#[wasm_bindgen_test]
async fn errors_are_kling_error_instances_with_the_fetch_error_as_cause() {
    let sc = scope("cause");
    let c = client(
        "v3",
        &sc,
        json!({ "x-fault": "query-drop", "x-fault-times": "99" }),
        json!({ "retry": { "maxRetries": 0 } }),
    );
    let e = err(c.get("t".into(), JsValue::UNDEFINED)).await;
    let class = constructor_of(&e);
    assert_eq!(s(&class, "name").as_deref(), Some("KlingError"));
    assert!(e.is_instance_of::<js_sys::Error>());
    let error_prototype = get(&get(&js_sys::global(), "Error"), "prototype");
    assert!(JsValue::from(Object::get_prototype_of(&Object::get_prototype_of(&e))) == error_prototype);
    assert_eq!(s(&e, "kind").as_deref(), Some("network"));
    let cause = get(&e, "cause");
    assert!(cause.is_instance_of::<js_sys::Error>(), "cause: {cause:?}");
    assert_eq!(s(&cause, "name").as_deref(), Some("TypeError"));
    assert!(
        !Object::keys(e.unchecked_ref::<Object>()).iter().any(|k| k.as_string().as_deref() == Some("cause")),
        "cause is enumerable"
    );

    // An API error: the same class, no cause.
    let c = client(
        "o1",
        &sc,
        json!({ "x-fault": "auth-1004", "x-fault-times": "99" }),
        json!({ "apiKey": "sk-live-XYZ-999" }),
    );
    let e = err(c.get("t".into(), JsValue::UNDEFINED)).await;
    assert!(constructor_of(&e) == class);
    assert!(!Reflect::has(&e, &"cause".into()).unwrap());
    let text = format!("{} {}", error_json(&e), String::from(e.unchecked_ref::<js_sys::Error>().to_string()));
    assert!(!text.contains("sk-live-XYZ-999"), "{text}");
    // Argument errors too, thrown by the constructor.
    let e = KlingClient::new(js(&json!({ "provider": "o2" }))).err().unwrap();
    assert!(constructor_of(&e) == class);
}

// ---------------------------------------------------------------------------------------
// R2: an empty external_task_id counts as absent.

#[wasm_bindgen_test]
async fn an_empty_external_task_id_gets_the_automatic_one() {
    let sc = scope("empty-ext");
    let c = client("o1", &sc, json!({}), json!({}));
    let mut req = o1_request();
    req["external_task_id"] = json!("");
    let sub = ok(c.submit(js(&req), JsValue::UNDEFINED)).await;
    let ext = s(&sub, "externalTaskId").unwrap();
    assert!(ext.starts_with("ko-") && ext.len() == 35, "{ext}");
    // The gateway knows the task by it, so a lost answer could have been looked up.
    let found = ok(c.get_by_external_id(ext.into(), JsValue::UNDEFINED)).await;
    assert_eq!(s(&found, "taskId"), s(&sub, "taskId"));
    // With autoExternalId off, "" goes as it is: valid, and no id.
    let c = client("o1", &sc, json!({}), json!({ "autoExternalId": false }));
    let sub = ok(c.submit(js(&req), JsValue::UNDEFINED)).await;
    assert_eq!(s(&sub, "externalTaskId"), None);
    assert_eq!(stats(&sc).await["created"], json!(2));
}

// ---------------------------------------------------------------------------------------
// V3: `authScheme: "bearer"`, and the automatic external_task_id.

#[wasm_bindgen_test]
async fn v3_sends_bearer_on_request_and_its_own_external_id() {
    let sc = scope("v3-bearer");
    let c = client("v3", &sc, json!({}), json!({ "authScheme": "bearer" }));
    let sub = ok(c.submit(js(&v3_request()), JsValue::UNDEFINED)).await;
    let ext = s(&sub, "externalTaskId").unwrap();
    assert!(ext.starts_with("ko-") && ext.len() == 35, "{ext}");
    ok(c.get(get(&sub, "taskId"), JsValue::UNDEFINED)).await;
    let st = stats(&sc).await;
    assert_eq!(st["auth"], json!({ "bearer": 2, "bare": 0, "none": 0, "wrong": 0 }));
    // The id reached the gateway, which holds ids unique: the same create is refused.
    let mut again = v3_request();
    again["parameters"]["external_task_id"] = json!(ext);
    let e = err(c.submit(js(&again), JsValue::UNDEFINED)).await;
    assert_eq!((s(&e, "kind").as_deref(), s(&e, "code").as_deref()), (Some("api"), Some("006001099")));
    assert_eq!(stats(&sc).await["created"], json!(1));
    // O1 takes only Bearer.
    let e = KlingClient::new(js(&json!({ "provider": "o1", "authScheme": "bare" }))).err().unwrap();
    assert_eq!(s(&e, "kind").as_deref(), Some("argument"));
}

// ---------------------------------------------------------------------------------------
// Kling's own API (issue 14): tokens minted by the client, look-up, list, the browser
// refusal, callbacks.

const ACCESS_KEY: &str = "test-access-key";
const SECRET_KEY: &str = "test-secret-key";

/// Whether this suite runs in a page (`document` exists), where the secret key is refused.
fn in_page() -> bool {
    get(&js_sys::global(), "document").is_object()
}

/// A `kling` client minting its own tokens (in a page too: `dangerouslyAllowBrowser`).
fn kling(scope: &str, headers: Value, extra: Value) -> KlingClient {
    let mut e = json!({ "provider": "kling", "apiKey": null, "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY,
                        "dangerouslyAllowBrowser": true });
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    client("kling", scope, headers, e)
}

fn kling_request() -> Value {
    json!({ "model_name": "kling-v3-omni", "prompt": "a paper boat on a rainy street", "aspect_ratio": "16:9",
            "duration": "5", "sound": "on", "watermark_info": { "enabled": true } })
}

/// The claims of a JWT, decoded with the platform's `atob`.
fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap().replace('-', "+").replace('_', "/");
    let padded = format!("{payload}{}", "=".repeat((4 - payload.len() % 4) % 4));
    let atob = get(&js_sys::global(), "atob").unchecked_into::<Function>();
    let text = atob.call1(&JsValue::NULL, &padded.into()).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

#[wasm_bindgen_test]
async fn kling_generates_with_its_own_tokens_and_reports_units() {
    let sc = scope("kling-happy");
    let c = kling(&sc, json!({}), json!({}));
    assert_eq!(c.provider(), "kling");
    let t = to_json(&ok(c.generate(js(&kling_request()), JsValue::UNDEFINED)).await);
    assert_eq!((t["status"].clone(), t["providerStatus"].clone()), (json!("succeeded"), json!("succeed")));
    assert_eq!(t["units"], json!("5"));
    let v = &t["videos"][0];
    assert_eq!(v["duration"].as_f64(), Some(5.0));
    assert!(v["watermarkUrl"].as_str().unwrap().ends_with(".mp4?watermark=1"), "{v}");
    assert!(t["externalTaskId"].as_str().unwrap().starts_with("ko-"));
    let st = stats(&sc).await;
    // One token for the whole call: minted once, valid for every request.
    let requests = st["createRequests"].as_u64().unwrap() + st["queries"].as_u64().unwrap();
    assert_eq!(
        st["jwt"],
        json!({ "valid": requests, "tokens": 1, "none": 0, "invalid": 0, "notYet": 0, "expired": 0 })
    );
    assert_eq!(st["created"], json!(1));
}

/// Restores `Date.now` when dropped.
struct Warp(Function);

impl Drop for Warp {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

#[wasm_bindgen_test]
async fn a_long_wait_with_a_short_ttl_replaces_the_token_before_it_expires() {
    // Date.now and the gateway's token clock both run 20 times as fast: tokens of 60 s live 3
    // real seconds, and an 8 s task takes 160 s of token time. Without a refresh the gateway
    // would answer 1004 after the first 60 s.
    let rate = 20;
    let warp = Function::new_with_args(
        "rate",
        "const real = Date.now; const t0 = real(); \
         Date.now = () => Math.floor(t0 + (real() - t0) * rate); \
         return [t0, () => { Date.now = real; }];",
    );
    let r = Array::from(&warp.call1(&JsValue::NULL, &JsValue::from(rate)).unwrap());
    let t0 = r.get(0).as_f64().unwrap() as u64;
    let _restore = Warp(r.get(1).unchecked_into());
    let sc = scope("kling-refresh");
    let c = kling(
        &sc,
        json!({ "x-clock-warp": format!("{t0},{rate}"), "x-task-ms": "8000" }),
        json!({ "tokenTtlSeconds": 60, "poll": { "intervalMs": 150, "maxIntervalMs": 150, "timeoutMs": 3_600_000 } }),
    );
    let t = to_json(&ok(c.generate(js(&kling_request()), JsValue::UNDEFINED)).await);
    drop(_restore);
    assert_eq!(t["status"], json!("succeeded"));
    let st = stats(&sc).await;
    assert_eq!(
        (st["jwt"]["expired"].clone(), st["jwt"]["notYet"].clone(), st["jwt"]["invalid"].clone()),
        (json!(0), json!(0), json!(0)),
        "{st}"
    );
    // 160 s of token time, a token for each 54 s: three at least.
    assert!(st["jwt"]["tokens"].as_u64().unwrap() >= 3, "{st}");
    assert!(st["jwt"]["valid"].as_u64().unwrap() > st["jwt"]["tokens"].as_u64().unwrap(), "tokens are reused: {st}");
}

#[wasm_bindgen_test]
async fn a_lost_kling_create_is_found_by_its_external_id() {
    for fault in ["create-drop", "create-500-created", "create-malformed"] {
        let sc = scope(fault);
        let c = kling(&sc, json!({ "x-fault": fault }), json!({ "timeoutMs": 1500 }));
        let sub = ok(c.submit(js(&kling_request()), JsValue::UNDEFINED)).await;
        let ext = s(&sub, "externalTaskId").unwrap();
        let plain = kling(&sc, json!({}), json!({}));
        let found = ok(plain.get_by_external_id(ext.into(), JsValue::UNDEFINED)).await;
        assert_eq!(s(&found, "taskId"), s(&sub, "taskId"), "{fault}");
        let st = stats(&sc).await;
        assert_eq!((st["createRequests"].clone(), st["created"].clone()), (json!(1), json!(1)), "{fault}");
    }
}

#[wasm_bindgen_test]
async fn list_pages_through_the_tasks_newest_first() {
    let sc = scope("kling-list");
    let c = kling(&sc, json!({}), json!({}));
    let mut ids = vec![];
    for _ in 0..5 {
        let sub = ok(c.submit(js(&kling_request()), JsValue::UNDEFINED)).await;
        ids.push(s(&sub, "taskId").unwrap());
    }
    ids.reverse();
    let page = |n: u32, size: u32| opts(json!({ "pageNum": n, "pageSize": size }));
    let mut seen = vec![];
    for (n, want) in [(1, 2), (2, 2), (3, 1), (4, 0)] {
        let tasks = Array::from(&ok(c.list(page(n, 2))).await);
        assert_eq!(tasks.length(), want, "page {n}");
        for t in tasks.iter() {
            assert_eq!(
                s(&t, "providerStatus").map(|p| ["submitted", "processing", "succeed"].contains(&p.as_str())),
                Some(true)
            );
            assert_eq!(get(&get(&t, "raw"), "task_id").as_string(), s(&t, "taskId"));
            seen.push(s(&t, "taskId").unwrap());
        }
    }
    assert_eq!(seen, ids);
    // The defaults: page 1 of 30.
    let all = Array::from(&ok(c.list(JsValue::UNDEFINED)).await);
    assert_eq!(all.length(), 5);
    let lists = stats(&sc).await["lists"].as_u64().unwrap();
    assert_eq!(lists, 5);
    // Arguments outside Kling's ranges are refused before anything is sent.
    for bad in [
        json!({ "pageNum": 0 }),
        json!({ "pageNum": 1001 }),
        json!({ "pageNum": 1.5 }),
        json!({ "pageNum": "2" }),
        json!({ "pageSize": 0 }),
        json!({ "pageSize": 501 }),
    ] {
        let e = err(c.list(opts(bad.clone()))).await;
        assert_eq!(s(&e, "kind").as_deref(), Some("argument"), "{bad}");
    }
    assert_eq!(stats(&sc).await["lists"].as_u64(), Some(lists));
    let o1 = client("o1", &sc, json!({}), json!({}));
    assert_eq!(s(&err(o1.list(JsValue::UNDEFINED)).await, "kind").as_deref(), Some("argument"));
}

#[wasm_bindgen_test]
async fn the_secret_key_is_refused_in_a_page() {
    let keys = json!({ "provider": "kling", "baseUrl": gateway(), "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY });
    let r = KlingClient::new(js(&keys));
    let token = settle(kling_omni::kling_token(js(&json!({ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY })))).await;
    if in_page() {
        for e in [r.err().expect("refused in a page"), token.expect_err("refused in a page")] {
            let j = error_json(&e);
            assert_eq!(j["kind"], json!("argument"), "{j}");
            let m = j["message"].as_str().unwrap();
            assert!(m.contains("every visitor") && m.contains("dangerouslyAllowBrowser"), "{m}");
            assert!(!j.to_string().contains(SECRET_KEY), "{j}");
        }
    } else {
        // A Worker or Node: no document, nothing refused.
        assert!(r.is_ok());
        assert!(token.is_ok());
    }
    // With the flag, or with no secret at all (a token minted elsewhere, a proxy), it works.
    let mut allowed = keys.clone();
    allowed["dangerouslyAllowBrowser"] = json!(true);
    assert!(KlingClient::new(js(&allowed)).is_ok());
    assert!(KlingClient::new(js(&json!({ "provider": "kling", "baseUrl": gateway(), "apiKey": "eyJ.x.y" }))).is_ok());
    assert!(KlingClient::new(js(&json!({ "provider": "kling", "baseUrl": gateway() }))).is_ok());
}

#[wasm_bindgen_test]
async fn a_token_minted_by_kling_token_works_as_the_api_key() {
    let sc = scope("kling-token");
    let o =
        json!({ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY, "ttlSeconds": 600, "dangerouslyAllowBrowser": true });
    let before = js_sys::Date::now() / 1000.0;
    let token = ok(kling_omni::kling_token(js(&o))).await.as_string().unwrap();
    let c = jwt_claims(&token);
    assert_eq!(c["iss"], json!(ACCESS_KEY));
    let (exp, nbf) = (c["exp"].as_f64().unwrap(), c["nbf"].as_f64().unwrap());
    assert_eq!(exp - nbf, 605.0);
    assert!((nbf + 5.0 - before).abs() <= 2.0, "issued now: {c}");
    let minted_elsewhere = client("kling", &sc, json!({}), json!({ "apiKey": token }));
    let sub = ok(minted_elsewhere.submit(js(&kling_request()), JsValue::UNDEFINED)).await;
    ok(minted_elsewhere.get(get(&sub, "taskId"), JsValue::UNDEFINED)).await;
    let st = stats(&sc).await;
    assert_eq!((st["jwt"]["valid"].clone(), st["jwt"]["tokens"].clone()), (json!(2), json!(1)));
    // No key behind a proxy: Kling says the header is empty.
    let none = client("kling", &sc, json!({}), json!({ "apiKey": null }));
    let e = err(none.get("t".into(), JsValue::UNDEFINED)).await;
    assert_eq!((s(&e, "kind").as_deref(), s(&e, "code").as_deref()), (Some("api"), Some("1001")));
    // Bad options are argument errors that never show the secret.
    for bad in [
        json!({ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY, "ttlSeconds": 59, "dangerouslyAllowBrowser": true }),
        json!({ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY, "ttlSeconds": 90.5, "dangerouslyAllowBrowser": true }),
        json!({ "accessKey": "", "secretKey": SECRET_KEY, "dangerouslyAllowBrowser": true }),
        json!({ "accessKey": ACCESS_KEY, "dangerouslyAllowBrowser": true }),
        json!({ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY, "ttl": 60, "dangerouslyAllowBrowser": true }),
        json!(null),
    ] {
        let e = err(kling_omni::kling_token(js(&bad))).await;
        let j = error_json(&e);
        assert_eq!(j["kind"], json!("argument"), "{bad}");
        assert!(!j.to_string().contains(SECRET_KEY), "{j}");
    }
}

#[wasm_bindgen_test]
async fn tokens_and_the_secret_key_never_show_even_when_the_server_echoes_them() {
    let sc = scope("kling-echo");
    let o = json!({ "accessKey": ACCESS_KEY, "secretKey": SECRET_KEY, "dangerouslyAllowBrowser": true });
    let token = ok(kling_omni::kling_token(js(&o))).await.as_string().unwrap();
    let clients = [
        kling(&sc, json!({ "x-fault": "auth-echo" }), json!({ "retry": { "maxRetries": 0 } })),
        client("kling", &sc, json!({ "x-fault": "auth-echo" }), json!({ "apiKey": token.clone() })),
    ];
    for c in clients {
        let e = err(c.get("t".into(), JsValue::UNDEFINED)).await;
        let j = error_json(&e);
        assert_eq!((j["kind"].clone(), j["code"].clone()), (json!("api"), json!("1002")), "{j}");
        assert_eq!(j["providerMessage"], json!("invalid authorization: ***"), "{j}");
        let text = format!("{j} {}", String::from(e.unchecked_ref::<js_sys::Error>().to_string()));
        // Any token: its header part is the same for every HS256 token.
        assert!(!text.contains("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"), "{text}");
        assert!(!text.contains(SECRET_KEY), "{text}");
        let client_json = String::from(JSON::stringify(&JsValue::from(c)).unwrap());
        assert!(!client_json.contains(SECRET_KEY), "{client_json}");
    }
}

#[wasm_bindgen_test]
fn parse_callback_reads_kling_callbacks_and_refuses_anything_else() {
    let body = json!({
        "task_id": "8613", "task_status": "succeed", "task_status_msg": "",
        "task_info": { "parent_video": { "id": "p1", "url": "https://cdn/p.mp4", "duration": "5" }, "external_task_id": "mine-1" },
        "created_at": 1_722_769_557_708i64, "updated_at": 1_722_769_657_708i64,
        "task_result": { "videos": [{ "id": "v1", "url": "https://cdn/v.mp4", "watermark_url": "https://cdn/w.mp4", "duration": "5" }] },
        "final_unit_deduction": "7.5",
    });
    for input in [js(&body), JsValue::from_str(&body.to_string())] {
        let t = to_json(&kling_omni::parse_callback(input).unwrap());
        assert_eq!(
            (t["taskId"].clone(), t["status"].clone(), t["externalTaskId"].clone(), t["units"].clone()),
            (json!("8613"), json!("succeeded"), json!("mine-1"), json!("7.5"))
        );
        assert_eq!(
            t["videos"][0],
            json!({ "url": "https://cdn/v.mp4", "id": "v1", "duration": 5, "watermarkUrl": "https://cdn/w.mp4" })
        );
        assert_eq!(t["createdAt"], json!(1_722_769_557_708i64));
        assert_eq!(t["raw"], body);
    }
    let failed = json!({ "task_id": "8614", "task_status": "failed", "task_status_msg": "risk control" });
    let t = to_json(&kling_omni::parse_callback(js(&failed)).unwrap());
    assert_eq!((t["status"].clone(), t["failure"]["message"].clone()), (json!("failed"), json!("risk control")));
    for bad in [
        JsValue::from_str("not json"),
        JsValue::from_f64(5.0),
        JsValue::NULL,
        js(&json!([])),
        js(&json!({})),
        js(&json!({ "task_id": "t" })),
        js(&json!({ "task_id": "", "task_status": "succeed" })),
        js(&json!({ "task_id": "t", "task_status": "done" })),
        js(&json!({ "code": 0, "data": { "task_id": "t", "task_status": "succeed" } })),
    ] {
        let e = kling_omni::parse_callback(bad.clone()).expect_err("refused");
        assert!(kling_omni_is_error(&e), "{bad:?}");
        let j = error_json(&e);
        assert_eq!(j["kind"], json!("invalid_response"), "{bad:?}: {j}");
        assert!(j.get("status").is_none(), "{j}");
    }
}
