//! The client's whole calls, natively, on a fake clock: a scripted server answers each
//! request the machine asks for, sleeps advance the clock, and an abort can fire at any
//! time. Each scenario asserts the exact requests and sleeps, and what the call ends with.
#![allow(clippy::result_large_err)]

use kling_omni::client::config::Config;
use kling_omni::client::machine::{Call, Done, Env, Failed, HttpRequest, Method, Outcome, Step};
use kling_omni::client::{ErrorKind, TaskStatus};
use kling_omni::MediaFacts;
use serde_json::{json, Value};
use std::rc::Rc;

const T0: u64 = 1_700_000_000_000;
const KEY: &str = "sk-never-shown-42";

/// What the fake server does with one request.
enum Reply {
    /// Answers after `ms`.
    Answer { ms: u64, status: u16, retry_after: Option<&'static str>, body: String },
    /// The connection drops after `ms`.
    Drop(u64),
    /// Never answers (the request's timeout fires).
    Hang,
}

fn ok(body: Value) -> Reply {
    Reply::Answer { ms: 50, status: 200, retry_after: None, body: body.to_string() }
}

fn status(status: u16, body: Value, retry_after: Option<&'static str>) -> Reply {
    Reply::Answer { ms: 50, status, retry_after, body: body.to_string() }
}

/// The fake world: a clock, the random number, an abort time, and what happened.
struct Sim {
    now: u64,
    random: f64,
    abort_at: Option<u64>,
    log: Vec<String>,
    requests: Vec<HttpRequest>,
    progress: Vec<TaskStatus>,
    /// What the machine asked to sign, and when.
    signs: Vec<(u64, String)>,
}

impl Sim {
    fn new() -> Sim {
        Sim { now: T0, random: 0.5, abort_at: None, log: vec![], requests: vec![], progress: vec![], signs: vec![] }
    }

    fn env(&self) -> Env {
        Env { now_ms: self.now, random: self.random }
    }

    fn aborted_by(&self, t: u64) -> Option<u64> {
        self.abort_at.filter(|&a| a <= t)
    }

    /// Drives the call to its end as the browser driver does.
    fn run(&mut self, mut call: Call, mut server: impl FnMut(&HttpRequest) -> Reply) -> Result<Done, Failed> {
        let mut step = call.start(self.env());
        loop {
            if let Some(t) = call.take_progress() {
                self.progress.push(t.status);
            }
            let outcome = match step {
                Step::Done(d) => return Ok(*d),
                Step::Fail(f) => return Err(*f),
                Step::Sign(input) => {
                    // A fake HMAC: 32 bytes of the signature's number, so each token differs.
                    self.log.push("sign".into());
                    self.signs.push((self.now, input));
                    Outcome::Signed { signature: vec![self.signs.len() as u8; 32] }
                }
                Step::Sleep(ms) => {
                    self.log.push(format!("sleep {ms}"));
                    match self.aborted_by(self.now + ms) {
                        Some(a) => {
                            self.now = self.now.max(a);
                            Outcome::Aborted { sent: false }
                        }
                        None => {
                            self.now += ms;
                            Outcome::Slept
                        }
                    }
                }
                Step::Send(req) => {
                    let mut path = req.url.trim_start_matches("https://gw.test").to_string();
                    for (i, (k, v)) in req.query.iter().enumerate() {
                        path.push_str(&format!("{}{k}={v}", if i == 0 { "?" } else { "&" }));
                    }
                    self.log.push(format!("{} {path}", req.method.as_str()));
                    let out = if self.aborted_by(self.now).is_some() {
                        Outcome::Aborted { sent: false }
                    } else {
                        let (ms, out) = match server(&req) {
                            Reply::Answer { ms, status, retry_after, body } => {
                                (ms, Outcome::Answer { status, retry_after: retry_after.map(Into::into), body })
                            }
                            Reply::Drop(ms) => (ms, Outcome::Network { detail: "TypeError: Failed to fetch".into() }),
                            Reply::Hang => (u64::MAX, Outcome::Timeout),
                        };
                        let ms = ms.min(req.timeout_ms);
                        let out = if ms == req.timeout_ms { Outcome::Timeout } else { out };
                        match self.aborted_by(self.now + ms) {
                            Some(a) => {
                                self.now = self.now.max(a);
                                Outcome::Aborted { sent: true }
                            }
                            None => {
                                self.now += ms;
                                out
                            }
                        }
                    };
                    self.requests.push(req);
                    out
                }
            };
            step = call.feed(outcome, self.env());
        }
    }
}

fn cfg(provider: &str, extra: Value) -> Rc<Config> {
    let mut o = json!({ "provider": provider, "baseUrl": "https://gw.test", "apiKey": KEY });
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    Rc::new(Config::from_json(&o).unwrap())
}

fn o1_request() -> Value {
    json!({ "model_name": "kling-video-o1", "prompt": "a cat on a skateboard", "aspect_ratio": "16:9", "duration": "5" })
}

fn v3_request() -> Value {
    json!({ "model": "kling-v3-omni", "input": { "prompt": "a sunset" }, "parameters": { "aspect_ratio": "16:9", "duration": 5 } })
}

const RANDOM: [u8; 16] = [7; 16];
const AUTO_ID: &str = "ko-07070707070707070707070707070707";
const O1: &str = "/kling/v1/videos/omni-video";

fn o1_task(id: &str, state: &str, ext: &str) -> Value {
    json!({ "code": 0, "message": "success", "request_id": "req-1", "data": {
        "task_id": id, "task_status": state, "task_info": { "external_task_id": ext },
        "task_result": { "videos": [{ "id": "v1", "url": "https://cdn/v.mp4", "duration": "5" }] } } })
}

fn v3_task(id: &str, state: &str) -> Value {
    json!({ "output": { "task_id": id, "task_status": state, "urls": ["https://cdn/v.mp4"] }, "request_id": "r" })
}

fn submitted(r: Result<Done, Failed>) -> kling_omni::client::Submitted {
    match r {
        Ok(Done::Submitted(s)) => s,
        other => panic!("{other:?}"),
    }
}

fn task(r: Result<Done, Failed>) -> kling_omni::client::Task {
    match r {
        Ok(Done::Task(t)) => t,
        other => panic!("{other:?}"),
    }
}

fn failed(r: Result<Done, Failed>) -> Failed {
    match r {
        Err(f) => f,
        Ok(d) => panic!("resolved: {d:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Lost creates.

#[test]
fn lost_o1_create_is_looked_up_by_its_external_id() {
    let mut sim = Sim::new();
    let call = Call::submit(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM);
    let r = sim.run(call, |req| match req.method {
        Method::Post => Reply::Drop(30_000),
        Method::Get => ok(o1_task("t-9", "processing", AUTO_ID)),
    });
    let s = submitted(r);
    assert_eq!(
        (s.task_id.as_str(), s.external_task_id.as_deref(), s.status),
        ("t-9", Some(AUTO_ID), TaskStatus::Running)
    );
    assert_eq!(sim.log, [format!("POST {O1}"), format!("GET {O1}/{AUTO_ID}")]);
    // The create carried the id it was looked up by.
    let body: Value = serde_json::from_str(sim.requests[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["external_task_id"], json!(AUTO_ID));
    assert_eq!(sim.requests[1].body, None);
}

#[test]
fn lost_o1_create_not_found_is_ambiguous_and_never_resent() {
    let mut sim = Sim::new();
    let call = Call::submit(
        cfg("o1", json!({ "retry": { "baseDelayMs": 100 } })),
        o1_request(),
        Some(true),
        MediaFacts::default(),
        RANDOM,
    );
    let r = sim.run(call, |req| match req.method {
        Method::Post => status(503, json!(null), None),
        Method::Get => status(404, json!({ "code": 1203, "message": "no such task" }), None),
    });
    let f = failed(r);
    assert_eq!(
        (f.error.kind, f.error.status, f.error.ambiguous, f.error.retryable),
        (ErrorKind::HttpStatus, Some(503), true, false)
    );
    assert_eq!(f.error.external_task_id.as_deref(), Some(AUTO_ID));
    // The look-up is not retried on a definite 1203; the create is never sent twice.
    assert_eq!(sim.log, [format!("POST {O1}"), format!("GET {O1}/{AUTO_ID}")]);
}

#[test]
fn lost_v3_create_is_ambiguous_at_once_and_names_its_id() {
    // V3 has no query by external_task_id: the client still sets one (issue 14), so the
    // error names the id the caller can find the task by.
    let mut sim = Sim::new();
    let call = Call::submit(cfg("v3", json!({})), v3_request(), Some(true), MediaFacts::default(), RANDOM);
    let f = failed(sim.run(call, |_| Reply::Hang));
    assert_eq!((f.error.kind, f.error.timeout_ms, f.error.ambiguous), (ErrorKind::Timeout, Some(60_000), true));
    assert_eq!(f.error.external_task_id.as_deref(), Some(AUTO_ID));
    assert!(f.error.to_string().ends_with(&format!("(external_task_id: {AUTO_ID})")), "{}", f.error);
    assert_eq!(sim.log, ["POST /v1/tasks/submit"]);
    assert_eq!(sim.now, T0 + 60_000);
    let body: Value = serde_json::from_str(sim.requests[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["parameters"]["external_task_id"], json!(AUTO_ID));

    // autoExternalId: false sends the request as it is, and the error has no id.
    let mut sim = Sim::new();
    let call = Call::submit(
        cfg("v3", json!({ "autoExternalId": false })),
        v3_request(),
        Some(true),
        MediaFacts::default(),
        RANDOM,
    );
    let f = failed(sim.run(call, |_| Reply::Drop(5)));
    assert_eq!((f.error.kind, f.error.ambiguous, f.error.external_task_id), (ErrorKind::Network, true, None));
    let body: Value = serde_json::from_str(sim.requests[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body, v3_request());
}

#[test]
fn a_refused_create_is_sent_again_after_the_backoff() {
    let mut sim = Sim::new();
    sim.random = 0.25;
    let mut n = 0;
    let call = Call::submit(cfg("v3", json!({})), v3_request(), Some(true), MediaFacts::default(), RANDOM);
    let s = submitted(sim.run(call, |_| {
        n += 1;
        if n <= 2 {
            status(429, json!({ "code": "1303", "message": "busy" }), None)
        } else {
            ok(json!({ "output": { "task_id": "v-1" }, "request_id": "r" }))
        }
    }));
    assert_eq!(s.task_id, "v-1");
    // Full jitter: random 0.25 of 1000 ms, then of 2000 ms.
    assert_eq!(
        sim.log,
        ["POST /v1/tasks/submit", "sleep 250", "POST /v1/tasks/submit", "sleep 500", "POST /v1/tasks/submit"]
    );
}

#[test]
fn an_existing_external_id_returns_that_task() {
    let mut sim = Sim::new();
    let mut req = o1_request();
    req["external_task_id"] = json!("mine");
    let call = Call::submit(cfg("o1", json!({})), req, Some(true), MediaFacts::default(), RANDOM);
    let s = submitted(sim.run(call, |r| match r.method {
        Method::Post => status(400, json!({ "code": 1201, "message": "external_task_id exists" }), None),
        Method::Get => ok(o1_task("t-1", "succeed", "mine")),
    }));
    assert_eq!((s.task_id.as_str(), s.external_task_id.as_deref()), ("t-1", Some("mine")));
    assert_eq!(sim.log, [format!("POST {O1}"), format!("GET {O1}/mine")]);
}

#[test]
fn an_empty_external_id_counts_as_none() {
    // R2: `""` is absent, so the automatic id fills it, and a lost answer can be looked up.
    let mut sim = Sim::new();
    let mut req = o1_request();
    req["external_task_id"] = json!("");
    let call = Call::submit(cfg("o1", json!({})), req, Some(false), MediaFacts::default(), RANDOM);
    let s = submitted(sim.run(call, |r| match r.method {
        Method::Post => Reply::Drop(10),
        Method::Get => ok(o1_task("t-2", "submitted", AUTO_ID)),
    }));
    assert_eq!(s.external_task_id.as_deref(), Some(AUTO_ID));
    let body: Value = serde_json::from_str(sim.requests[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["external_task_id"], json!(AUTO_ID));
}

// ---------------------------------------------------------------------------------------
// Retry-After and the deadline.

#[test]
fn retry_after_is_honoured() {
    let mut sim = Sim::new();
    let mut n = 0;
    let t = task(sim.run(Call::get(cfg("o1", json!({})), "t-1"), |_| {
        n += 1;
        if n == 1 {
            status(429, json!({ "code": 1302, "message": "slow down" }), Some("3"))
        } else {
            ok(o1_task("t-1", "processing", "e"))
        }
    }));
    assert_eq!(t.task_id, "t-1");
    assert_eq!(sim.log, [format!("GET {O1}/t-1"), "sleep 3000".into(), format!("GET {O1}/t-1")]);
}

#[test]
fn retry_after_past_the_deadline_is_cut_to_it_and_the_wait_times_out() {
    let mut sim = Sim::new();
    let call = Call::wait(cfg("v3", json!({ "retry": { "maxRetries": 5 } })), "t-1", 10_000);
    let f = failed(sim.run(call, |_| status(429, json!({ "code": "1302", "message": "slow down" }), Some("30"))));
    assert_eq!((f.error.kind, f.error.timeout_ms), (ErrorKind::Timeout, Some(10_000)));
    assert_eq!(f.error.task_id.as_deref(), Some("t-1"));
    // 30 s is under the 60 s cap, so it is honoured, but only up to the deadline.
    assert_eq!(sim.log, ["GET /v1/tasks/status?task_id=t-1", "sleep 9950"]);
    assert_eq!(sim.now, T0 + 10_000);
}

#[test]
fn each_request_timeout_is_capped_by_the_deadline() {
    let mut sim = Sim::new();
    sim.now = T0;
    let call = Call::wait(cfg("o1", json!({ "timeoutMs": 5000, "poll": { "intervalMs": 300 } })), "t-1", 1000);
    let mut n = 0;
    let f = failed(sim.run(call, |_| {
        n += 1;
        if n == 1 {
            ok(o1_task("t-1", "processing", "e"))
        } else {
            Reply::Hang
        }
    }));
    assert_eq!((f.error.kind, f.error.timeout_ms), (ErrorKind::Timeout, Some(1000)));
    let timeouts: Vec<u64> = sim.requests.iter().map(|r| r.timeout_ms).collect();
    assert_eq!(timeouts, [1000, 650]);
    assert_eq!(sim.log, [format!("GET {O1}/t-1"), "sleep 300".into(), format!("GET {O1}/t-1")]);
    assert_eq!(sim.now, T0 + 1000);
}

// ---------------------------------------------------------------------------------------
// Aborts.

#[test]
fn abort_during_a_sleep_stops_the_wait_at_once() {
    let mut sim = Sim::new();
    sim.abort_at = Some(T0 + 500);
    let call = Call::wait(cfg("v3", json!({ "poll": { "intervalMs": 5000 } })), "t-1", 60_000);
    let f = failed(sim.run(call, |_| ok(v3_task("t-1", "Running"))));
    assert_eq!((f.error.kind, f.error.ambiguous, f.error.task_id.as_deref()), (ErrorKind::Aborted, false, Some("t-1")));
    assert_eq!(sim.log, ["GET /v1/tasks/status?task_id=t-1", "sleep 5000"]);
    assert_eq!(sim.now, T0 + 500);
    assert_eq!(sim.progress, [TaskStatus::Running]);
}

#[test]
fn abort_during_a_create_is_ambiguous_and_during_its_backoff_is_not() {
    let mut sim = Sim::new();
    sim.abort_at = Some(T0 + 20);
    let call = Call::submit(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM);
    let f = failed(sim.run(call, |_| Reply::Hang));
    assert_eq!((f.error.kind, f.error.ambiguous), (ErrorKind::Aborted, true));
    assert_eq!(f.error.external_task_id.as_deref(), Some(AUTO_ID));

    let mut sim = Sim::new();
    sim.abort_at = Some(T0 + 100);
    let call = Call::submit(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM);
    let f = failed(sim.run(call, |_| status(429, json!({ "code": 1302, "message": "slow" }), None)));
    assert_eq!((f.error.kind, f.error.ambiguous), (ErrorKind::Aborted, false));
    assert_eq!(sim.log, [format!("POST {O1}"), "sleep 500".into()]);

    // Aborted before the call: nothing is sent, nothing is ambiguous.
    let mut sim = Sim::new();
    sim.abort_at = Some(T0);
    let call = Call::submit(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM);
    let f = failed(sim.run(call, |_| panic!("sent")));
    assert_eq!((f.error.kind, f.error.ambiguous), (ErrorKind::Aborted, false));
}

#[test]
fn abort_during_the_look_up_of_a_lost_create_is_ambiguous() {
    let mut sim = Sim::new();
    sim.abort_at = Some(T0 + 1_000);
    let call = Call::submit(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM);
    let f = failed(sim.run(call, |r| match r.method {
        Method::Post => Reply::Drop(10),
        Method::Get => Reply::Hang,
    }));
    assert_eq!((f.error.kind, f.error.ambiguous), (ErrorKind::Aborted, true));
    assert_eq!(f.error.external_task_id.as_deref(), Some(AUTO_ID));
}

// ---------------------------------------------------------------------------------------
// Malformed answers.

#[test]
fn a_malformed_query_answer_is_retried() {
    let mut sim = Sim::new();
    let mut n = 0;
    let t = task(sim.run(Call::get(cfg("v3", json!({})), "t-1"), |_| {
        n += 1;
        if n == 1 {
            Reply::Answer { ms: 5, status: 200, retry_after: None, body: "<html>".into() }
        } else {
            ok(v3_task("t-1", "Success"))
        }
    }));
    assert_eq!(t.status, TaskStatus::Succeeded);
    assert_eq!(sim.log, ["GET /v1/tasks/status?task_id=t-1", "sleep 500", "GET /v1/tasks/status?task_id=t-1"]);
}

#[test]
fn a_malformed_create_answer_is_a_lost_answer() {
    // O1: looked up; V3: ambiguous, with what was wrong.
    let mut sim = Sim::new();
    let call = Call::submit(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM);
    let s = submitted(sim.run(call, |r| match r.method {
        Method::Post => ok(json!({ "code": 0, "data": { "task_id": 5 } })),
        Method::Get => ok(o1_task("t-3", "submitted", AUTO_ID)),
    }));
    assert_eq!(s.task_id, "t-3");

    let mut sim = Sim::new();
    let call = Call::submit(cfg("v3", json!({})), v3_request(), Some(true), MediaFacts::default(), RANDOM);
    let f = failed(sim.run(call, |_| ok(json!({ "request_id": "x" }))));
    assert_eq!((f.error.kind, f.error.status, f.error.ambiguous), (ErrorKind::InvalidResponse, Some(200), true));
    assert_eq!(f.error.detail.as_deref(), Some("submit answer: missing field `output`"));
    assert_eq!(sim.log, ["POST /v1/tasks/submit"]);
}

// ---------------------------------------------------------------------------------------
// Polling.

#[test]
fn the_poll_interval_grows_and_progress_reports_every_poll() {
    let mut sim = Sim::new();
    let states = ["Pending", "Running", "Running", "Running", "Running", "Running", "Success"];
    let mut n = 0;
    let t = task(sim.run(Call::wait(cfg("v3", json!({})), "t-1", 900_000), |_| {
        n += 1;
        Reply::Answer { ms: 0, status: 200, retry_after: None, body: v3_task("t-1", states[n - 1]).to_string() }
    }));
    assert_eq!(t.status, TaskStatus::Succeeded);
    let sleeps: Vec<&str> = sim.log.iter().filter(|l| l.starts_with("sleep")).map(String::as_str).collect();
    assert_eq!(sleeps, ["sleep 2000", "sleep 3000", "sleep 4500", "sleep 6750", "sleep 10000", "sleep 10000"]);
    use TaskStatus::*;
    assert_eq!(sim.progress, [Queued, Running, Running, Running, Running, Running, Succeeded]);
}

#[test]
fn a_failed_task_rejects_with_the_reason_and_the_task() {
    let mut sim = Sim::new();
    let call = Call::generate(cfg("o1", json!({})), o1_request(), Some(true), MediaFacts::default(), RANDOM, 60_000);
    let f = failed(sim.run(call, |r| match r.method {
        Method::Post => ok(o1_task("t-4", "submitted", AUTO_ID)),
        Method::Get => ok(json!({ "code": 0, "request_id": "q", "data": {
            "task_id": "t-4", "task_status": "failed", "task_status_msg": "content moderation" } })),
    }));
    assert_eq!(f.error.kind, ErrorKind::TaskFailed);
    assert_eq!(f.error.to_string(), "Task t-4 failed: content moderation");
    // The answer has no task_info: the id comes from the create.
    assert_eq!((f.error.request_id.as_deref(), f.error.external_task_id.as_deref()), (Some("q"), Some(AUTO_ID)));
    assert_eq!(f.task.map(|t| t.status), Some(TaskStatus::Failed));
    assert_eq!(sim.log, [format!("POST {O1}"), format!("GET {O1}/t-4")]);
}

// ---------------------------------------------------------------------------------------
// Requests, errors, arguments.

#[test]
fn requests_carry_the_auth_form_headers_and_body() {
    let table = [
        ("o1", json!({}), format!("Bearer {KEY}")),
        ("v3", json!({}), KEY.to_string()),
        ("v3", json!({ "authScheme": "bare" }), KEY.to_string()),
        ("v3", json!({ "authScheme": "bearer" }), format!("Bearer {KEY}")),
    ];
    for (provider, scheme, auth) in table {
        let mut sim = Sim::new();
        let mut extra = json!({ "headers": { "x-proxy": "p" } });
        if let Some(s) = scheme.get("authScheme") {
            extra["authScheme"] = s.clone();
        }
        let c = cfg(provider, extra);
        let req = if provider == "o1" { o1_request() } else { v3_request() };
        let _ = sim.run(Call::submit(c, req, Some(true), MediaFacts::default(), RANDOM), |_| Reply::Drop(1));
        let r = &sim.requests[0];
        assert_eq!(r.authorization.as_ref().map(|a| a.expose().to_string()), Some(auth), "{provider}");
        assert_eq!(
            r.headers,
            [("x-proxy".to_string(), "p".to_string()), ("Content-Type".to_string(), "application/json".to_string())]
        );
        // The key shows nowhere but in the header value.
        assert!(!format!("{r:?}").contains(KEY), "{r:?}");
    }
}

#[test]
fn a_network_error_names_the_request_it_came_from() {
    let mut sim = Sim::new();
    let f = failed(sim.run(Call::get(cfg("v3", json!({ "retry": { "maxRetries": 1 } })), "t"), |_| Reply::Drop(1)));
    assert_eq!((f.error.kind, f.error.retryable, f.error.send_id), (ErrorKind::Network, true, Some(1)));
    assert_eq!(f.error.detail.as_deref(), Some("TypeError: Failed to fetch"));
    assert_eq!(sim.requests.iter().map(|r| r.id).collect::<Vec<_>>(), [0, 1]);
}

#[test]
fn invalid_requests_and_arguments_send_nothing() {
    let mut sim = Sim::new();
    let bad = json!({ "prompt": "   ", "aspect_ratio": "16:9", "duration": "5" });
    let f = failed(
        sim.run(Call::submit(cfg("o1", json!({})), bad, Some(true), MediaFacts::default(), RANDOM), |_| panic!()),
    );
    assert_eq!(f.error.kind, ErrorKind::Validation);
    let f =
        failed(sim.run(
            Call::submit(cfg("o1", json!({})), json!([1]), Some(false), MediaFacts::default(), RANDOM),
            |_| panic!(),
        ));
    assert_eq!(f.error.kind, ErrorKind::Argument);
    assert!(Call::get_by_external_id(cfg("v3", json!({})), "e").is_err());
    assert!(sim.log.is_empty());
    // A driver that feeds what was not asked for gets an error, never a panic.
    let mut call = Call::get(cfg("v3", json!({})), "t");
    let env = Env { now_ms: T0, random: 0.0 };
    assert!(matches!(call.feed(Outcome::Slept, env), Step::Fail(_)));
    let _ = call.start(env);
    assert!(matches!(call.feed(Outcome::Slept, env), Step::Fail(_)));
    assert!(matches!(call.feed(Outcome::Timeout, env), Step::Fail(_)));
}

// ---------------------------------------------------------------------------------------
// A third provider is its description.

#[test]
fn kling_own_api_runs_from_its_description() {
    // Kling's own API: the flat body at /v1/videos/omni-video, Bearer, Kling's envelope, and
    // a look-up by external_task_id after a lost create: nothing in the machine names it.
    let mut sim = Sim::new();
    let mut req = o1_request();
    req["model_name"] = json!("kling-video-o1");
    let call = Call::submit(cfg("kling", json!({})), req, Some(true), MediaFacts::default(), RANDOM);
    let s = submitted(sim.run(call, |r| match r.method {
        Method::Post => Reply::Hang,
        Method::Get => ok(o1_task("k-1", "processing", AUTO_ID)),
    }));
    assert_eq!((s.task_id.as_str(), s.external_task_id.as_deref()), ("k-1", Some(AUTO_ID)));
    assert_eq!(sim.log, ["POST /v1/videos/omni-video".to_string(), format!("GET /v1/videos/omni-video/{AUTO_ID}")]);
    let auth = sim.requests[0].authorization.as_ref().map(|a| a.expose().to_string());
    assert_eq!(auth, Some(format!("Bearer {KEY}")));
}

// ---------------------------------------------------------------------------------------
// Kling's own API: tokens minted by the client, the list, the browser refusal.

const AK: &str = "ak-test";

fn kling_minting(extra: Value) -> Rc<Config> {
    let mut o =
        json!({ "provider": "kling", "baseUrl": "https://gw.test", "accessKey": AK, "secretKey": "sk-secret-9" });
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    Rc::new(Config::from_json(&o).unwrap())
}

fn kling_task(id: &str, state: &str, ext: &str) -> Value {
    json!({ "code": 0, "message": "SUCCEED", "request_id": "rq", "data": {
        "task_id": id, "task_status": state, "task_info": { "external_task_id": ext },
        "final_unit_deduction": "5", "created_at": 1, "updated_at": 2,
        "task_result": { "videos": [{ "id": "v1", "url": "https://cdn/v.mp4", "watermark_url": "https://cdn/w.mp4", "duration": "5" }] } } })
}

/// The claims of the token a request carried.
fn claims(req: &HttpRequest) -> Value {
    let auth = req.authorization.as_ref().unwrap().expose().to_string();
    let token = auth.strip_prefix("Bearer ").unwrap();
    let payload = token.split('.').nth(1).unwrap();
    let mut bytes = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in payload.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            _ => 63,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
    }
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn a_long_wait_replaces_the_token_before_it_expires() {
    // ttl 120 s: replaced with less than 12 s left (a tenth of the ttl, under a minute). A
    // 10-minute task, polled every 10 s at most: one token for each ~108 s.
    let mut sim = Sim::new();
    let cfg = kling_minting(json!({ "tokenTtlSeconds": 120 }));
    let mut polls = 0;
    let t = task(sim.run(Call::wait(cfg.clone(), "k-1", 900_000), |_| {
        // 2, 3, 4.5, 6.75, then 10 s between polls: 64 polls is a little over 10 minutes.
        polls += 1;
        ok(kling_task("k-1", if polls > 64 { "succeed" } else { "processing" }, "e"))
    }));
    assert_eq!(t.status, TaskStatus::Succeeded);
    // Every request carried a token that was valid when it left, by the claims' own clock.
    let mut now = T0;
    let mut expires = vec![];
    for (i, r) in sim.requests.iter().enumerate() {
        let c = claims(r);
        assert_eq!(c["iss"], json!(AK));
        let (exp, nbf) = (c["exp"].as_u64().unwrap(), c["nbf"].as_u64().unwrap());
        assert_eq!(exp - nbf, 125, "ttl + the 5 s of nbf slack");
        now = now.max(nbf * 1000);
        assert!(exp * 1000 > now + 12_000 - 1000, "request {i}: {c}");
        if !expires.contains(&exp) {
            expires.push(exp);
        }
    }
    // Minted only when needed: one sign per token, each at least 108 s after the last.
    assert_eq!(sim.signs.len(), expires.len());
    assert!(sim.signs.len() >= 5, "{}", sim.signs.len());
    for w in sim.signs.windows(2) {
        assert!(w[1].0 - w[0].0 >= 108_000, "{} ms apart", w[1].0 - w[0].0);
    }
    // The cache is the client's: the next call reuses the token it holds.
    let before = sim.signs.len();
    let _ = sim.run(Call::get(cfg, "k-1"), |_| ok(kling_task("k-1", "succeed", "e")));
    assert_eq!(sim.signs.len(), before);
}

#[test]
fn a_401_forgets_the_token_and_the_next_call_mints_one() {
    let mut sim = Sim::new();
    let cfg = kling_minting(json!({}));
    let f = failed(sim.run(Call::get(cfg.clone(), "k-1"), |_| {
        status(401, json!({ "code": 1004, "message": "token expired", "request_id": "r" }), None)
    }));
    assert_eq!((f.error.kind, f.error.code.as_deref()), (ErrorKind::Api, Some("1004")));
    let _ = sim.run(Call::get(cfg, "k-1"), |_| ok(kling_task("k-1", "succeed", "e")));
    assert_eq!(sim.log, ["sign", "GET /v1/videos/omni-video/k-1", "sign", "GET /v1/videos/omni-video/k-1"]);
}

#[test]
fn a_lost_kling_create_is_looked_up_by_its_external_id_with_the_same_token() {
    let mut sim = Sim::new();
    let req = json!({ "model_name": "kling-v3-omni", "prompt": "a paper boat", "aspect_ratio": "16:9", "duration": "12", "sound": "on" });
    let call = Call::submit(kling_minting(json!({})), req, Some(true), MediaFacts::default(), RANDOM);
    let s = submitted(sim.run(call, |r| match r.method {
        Method::Post => Reply::Drop(20),
        Method::Get => ok(kling_task("k-2", "submitted", AUTO_ID)),
    }));
    assert_eq!((s.task_id.as_str(), s.external_task_id.as_deref()), ("k-2", Some(AUTO_ID)));
    assert_eq!(
        sim.log,
        ["sign".to_string(), "POST /v1/videos/omni-video".into(), format!("GET /v1/videos/omni-video/{AUTO_ID}")]
    );
    assert_eq!(sim.requests[0].authorization, sim.requests[1].authorization);
    let body: Value = serde_json::from_str(sim.requests[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["external_task_id"], json!(AUTO_ID));
}

#[test]
fn an_echoed_token_is_redacted_from_the_error() {
    // A server that echoes the Authorization header, whole and without "Bearer ".
    let mut sim = Sim::new();
    let f = failed(sim.run(Call::get(kling_minting(json!({})), "k-1"), |r| {
        let auth = r.authorization.as_ref().unwrap().expose().to_string();
        let token = auth.strip_prefix("Bearer ").unwrap().to_string();
        status(
            401,
            json!({ "code": 1002, "message": format!("bad header {auth}; token {token}"), "request_id": token }),
            None,
        )
    }));
    let token = sim.requests[0].authorization.as_ref().unwrap().expose().to_string();
    let token = token.strip_prefix("Bearer ").unwrap();
    assert_eq!(f.error.provider_message.as_deref(), Some("bad header ***; token ***"));
    for text in [f.error.to_string(), format!("{:?}", f.error), format!("{:?}", sim.requests[0])] {
        assert!(!text.contains(token), "{text}");
        assert!(!text.contains("sk-secret-9"), "{text}");
    }
}

#[test]
fn list_reads_one_page_and_retries_like_a_query() {
    let mut sim = Sim::new();
    let page = json!({ "code": 0, "message": "SUCCEED", "request_id": "rl", "data": [
        kling_task("k-3", "succeed", "e3")["data"], kling_task("k-2", "processing", "e2")["data"] ] });
    let mut n = 0;
    let call = Call::list(cfg("kling", json!({})), 2, 2).unwrap();
    let r = sim.run(call, |_| {
        n += 1;
        if n == 1 {
            status(503, json!(null), None)
        } else {
            ok(page.clone())
        }
    });
    let tasks = match r {
        Ok(Done::Tasks(t)) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        sim.log,
        [
            "GET /v1/videos/omni-video?pageNum=2&pageSize=2",
            "sleep 500",
            "GET /v1/videos/omni-video?pageNum=2&pageSize=2"
        ]
    );
    let ids: Vec<(&str, TaskStatus, Option<&str>)> =
        tasks.iter().map(|t| (t.task_id.as_str(), t.status, t.units.as_deref())).collect();
    assert_eq!(ids, [("k-3", TaskStatus::Succeeded, Some("5")), ("k-2", TaskStatus::Running, Some("5"))]);
    assert_eq!(tasks[0].videos[0].watermark_url.as_deref(), Some("https://cdn/w.mp4"));
    assert_eq!((tasks[0].request_id.as_deref(), tasks[0].raw["task_id"].as_str()), (Some("rl"), Some("k-3")));

    // An empty page is an empty list; the list of a provider without one is an argument error.
    let mut sim = Sim::new();
    let r = sim.run(Call::list(cfg("kling", json!({})), 1000, 500).unwrap(), |_| ok(json!({ "code": 0, "data": [] })));
    assert!(matches!(r, Ok(Done::Tasks(ref t)) if t.is_empty()), "{r:?}");
    for p in ["o1", "v3"] {
        assert_eq!(Call::list(cfg(p, json!({})), 1, 30).err().map(|e| e.kind), Some(ErrorKind::Argument), "{p}");
    }
    assert!(Call::list(cfg("kling", json!({})), 0, 30).is_err());
    assert!(Call::list(cfg("kling", json!({})), 1, 501).is_err());
}

#[test]
fn list_page_arguments() {
    use kling_omni::client::machine::{page_arg, DEFAULT_PAGE_SIZE, MAX_PAGE_NUM, MAX_PAGE_SIZE};
    // (value, max, Ok(page) or Err)
    let table: &[(Option<f64>, u32, Option<u32>)] = &[
        (None, MAX_PAGE_NUM, Some(1)),
        (Some(1.0), MAX_PAGE_NUM, Some(1)),
        (Some(1000.0), MAX_PAGE_NUM, Some(1000)),
        (Some(1001.0), MAX_PAGE_NUM, None),
        (Some(0.0), MAX_PAGE_NUM, None),
        (Some(-1.0), MAX_PAGE_NUM, None),
        (Some(1.5), MAX_PAGE_NUM, None),
        (Some(f64::NAN), MAX_PAGE_NUM, None),
        (Some(f64::INFINITY), MAX_PAGE_NUM, None),
        (Some(500.0), MAX_PAGE_SIZE, Some(500)),
        (Some(501.0), MAX_PAGE_SIZE, None),
    ];
    for &(v, max, want) in table {
        let got = page_arg(v, "pageNum", max, 1);
        assert_eq!(got.as_ref().ok().copied(), want, "{v:?} max {max}");
        if let Err(e) = got {
            assert_eq!(e.kind, ErrorKind::Argument);
        }
    }
    assert_eq!(page_arg(None, "pageSize", MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE), Ok(30));
}

#[test]
fn the_secret_key_is_refused_in_a_page_unless_dangerously_allowed() {
    use kling_omni::client::config::SECRET_IN_PAGE;
    let keys =
        json!({ "provider": "kling", "baseUrl": "https://gw.test", "accessKey": AK, "secretKey": "sk-secret-9" });
    let with = |extra: Value| {
        let mut o = keys.clone();
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    // (options, in a page, accepted)
    let table = [
        (with(json!({})), true, false),
        (with(json!({ "dangerouslyAllowBrowser": false })), true, false),
        (with(json!({ "dangerouslyAllowBrowser": true })), true, true),
        (with(json!({})), false, true), // Node, a Worker, Cloudflare Workers
        // A token minted elsewhere, or no key at all (a proxy): no secret, nothing refused.
        (json!({ "provider": "kling", "baseUrl": "https://gw.test", "apiKey": "eyJ.a.b" }), true, true),
        (json!({ "provider": "kling", "baseUrl": "https://gw.test" }), true, true),
    ];
    for (o, in_page, accepted) in table {
        let r = Config::from_json_in(&o, in_page);
        assert_eq!(r.is_ok(), accepted, "{o} in page {in_page}: {r:?}");
        if let Err(e) = r {
            assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::Argument, Some(SECRET_IN_PAGE)));
            assert!(!format!("{e} {e:?}").contains("sk-secret-9"));
            assert!(e.to_string().contains("every visitor"), "{e}");
        }
    }
}

#[test]
fn token_options_are_checked() {
    let base = json!({ "provider": "kling", "baseUrl": "https://gw.test" });
    let with = |extra: Value| {
        let mut o = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            o[k] = v.clone();
        }
        o
    };
    // (options, the ttl when accepted)
    let table = [
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9" })), Some(1800)),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "tokenTtlSeconds": 60 })), Some(60)),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "tokenTtlSeconds": 86_400 })), Some(86_400)),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "tokenTtlSeconds": 59 })), None),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "tokenTtlSeconds": 86_401 })), None),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "tokenTtlSeconds": 90.5 })), None),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "tokenTtlSeconds": "90" })), None),
        (with(json!({ "accessKey": AK })), None),
        (with(json!({ "secretKey": "sk-secret-9" })), None),
        (with(json!({ "accessKey": " ", "secretKey": "sk-secret-9" })), None),
        (with(json!({ "accessKey": AK, "secretKey": "" })), None),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "apiKey": "t" })), None),
        (with(json!({ "tokenTtlSeconds": 600 })), None),
        (with(json!({ "accessKey": AK, "secretKey": "sk-secret-9", "dangerouslyAllowBrowser": "yes" })), None),
        (json!({ "provider": "o1", "accessKey": AK, "secretKey": "sk-secret-9" }), None),
        (json!({ "provider": "v3", "accessKey": AK, "secretKey": "sk-secret-9" }), None),
    ];
    for (o, ttl) in table {
        let r = Config::from_json(&o);
        assert_eq!(r.as_ref().ok().and_then(|c| c.minting.as_ref().map(|m| m.ttl_s)), ttl, "{o}: {r:?}");
        if let Err(e) = r {
            assert_eq!(e.kind, ErrorKind::Argument, "{o}");
            assert!(!format!("{e} {e:?}").contains("sk-secret-9"), "{o}: {e}");
        }
    }
}
