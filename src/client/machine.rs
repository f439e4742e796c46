//! The client as a machine with no I/O: one [`Call`] (`get`, `submit`, `wait`,
//! `generate`, `list`) says what to do next ([`Step`]: send this request with this timeout,
//! sleep this long, sign this token, done, failed) and takes back what happened
//! ([`Outcome`]: an answer, a network failure, a timeout, an abort, a sleep that ended, a
//! signature), with the time and a random number passed in ([`Env`]). Retries and backoff,
//! `Retry-After`, the wait's deadline, the look-up of a lost create, the poll schedule and
//! when a minted token is replaced all happen here; a driver only carries the steps out
//! (`src/wasm/client.rs` with `fetch`, timers and Web Crypto; the tests with a fake clock).
//!
//! ```
//! use kling_omni::client::config::Config;
//! use kling_omni::client::machine::{Call, Done, Env, Outcome, Step};
//! use std::rc::Rc;
//! let cfg = Rc::new(Config::from_json(&serde_json::json!({ "provider": "v3" })).unwrap());
//! let mut call = Call::get(cfg, "t1");
//! let env = Env { now_ms: 0, random: 0.5 };
//! let Step::Send(req) = call.start(env) else { panic!() };
//! assert_eq!(req.url, "https://api.modelverse.cn/v1/tasks/status");
//! assert_eq!(req.query, [("task_id".to_string(), "t1".to_string())]);
//! let answer = r#"{"output":{"task_id":"t1","task_status":"Running"}}"#;
//! let step = call.feed(Outcome::Answer { status: 200, retry_after: None, body: answer.into() }, env);
//! assert!(matches!(step, Step::Done(d) if matches!(*d, Done::Task(ref t) if t.task_id == "t1")));
//! ```

use super::answer::{self, Submitted, Task};
use super::api;
use super::config::{Config, Minted};
use super::create::{self, CreateDecision};
use super::error::{ClientError, ErrorKind, Secret};
use super::jwt;
use super::retry;
use super::state::{self, PollStep, TaskStatus};
use crate::model::MediaFacts;
use serde_json::Value;
use std::rc::Rc;

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A query.
    Get,
    /// A create.
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to send.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// Its number within the call, from 0 (errors name it in [`ClientError::send_id`]).
    pub id: u32,
    /// The method.
    pub method: Method,
    /// The absolute URL, without the query.
    pub url: String,
    /// Query parameters, raw (the driver encodes them).
    pub query: Vec<(String, String)>,
    /// Headers to set in order: the caller's, then `Content-Type` for a body.
    pub headers: Vec<(String, String)>,
    /// The `Authorization` value, set after `headers` (so it wins), when there is a key.
    pub authorization: Option<Secret>,
    /// The JSON body, for a create.
    pub body: Option<String>,
    /// Abort it after this long and report [`Outcome::Timeout`].
    pub timeout_ms: u64,
}

/// What happened to the last step.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// An answer came, whatever its status.
    Answer {
        /// HTTP status.
        status: u16,
        /// The `Retry-After` header as sent.
        retry_after: Option<String>,
        /// The body as text.
        body: String,
    },
    /// No answer: refused, dropped, DNS, CORS, or the request could not be built.
    Network {
        /// What the platform said, in English.
        detail: String,
    },
    /// The request's own timeout fired.
    Timeout,
    /// The caller's signal fired (before or during the request or sleep).
    Aborted {
        /// The request had left (a create may then exist).
        sent: bool,
    },
    /// The sleep ended.
    Slept,
    /// The HMAC-SHA256 of the signing input of [`Step::Sign`] under the secret key.
    Signed {
        /// The 32 bytes.
        signature: Vec<u8>,
    },
    /// Signing failed (no Web Crypto here, …).
    SignFailed {
        /// What the platform said, in English.
        detail: String,
    },
}

/// The time and randomness the machine reads, passed in with every outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Env {
    /// Milliseconds since the epoch.
    pub now_ms: u64,
    /// A number in `[0, 1)` for the backoff's jitter.
    pub random: f64,
}

/// What a call ended with.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    /// `get`, `getByExternalId`, `wait`, `generate`.
    Task(Task),
    /// `submit`.
    Submitted(Submitted),
    /// `list`: one page of tasks.
    Tasks(Vec<Task>),
}

/// A call's failure, with the task when it ended in failure.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed {
    /// The error.
    pub error: ClientError,
    /// The failed task (kind `task_failed`).
    pub task: Option<Task>,
}

/// What the driver does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Send this request, then feed what happened.
    Send(HttpRequest),
    /// Sleep this many ms (stopping early on an abort), then feed [`Outcome::Slept`] or
    /// [`Outcome::Aborted`].
    Sleep(u64),
    /// Sign this JWT signing input with HMAC-SHA256 under the secret key, then feed
    /// [`Outcome::Signed`] (or [`Outcome::SignFailed`]): a request needs a fresh token.
    Sign(String),
    /// The call succeeded.
    Done(Box<Done>),
    /// The call failed.
    Fail(Box<Failed>),
}

/// The id argument of `get`, `getByExternalId` and `wait`: a non-empty string.
pub fn id_arg(id: Option<String>, what: &str) -> Result<String, ClientError> {
    match id {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(ClientError::argument(format!("{what} must be a non-empty string"))),
    }
}

/// A page argument of `list`: absent is `default`; otherwise a whole number in `1..=max`.
pub fn page_arg(v: Option<f64>, name: &str, max: u32, default: u32) -> Result<u32, ClientError> {
    match v {
        None => Ok(default),
        Some(x) if x.fract() == 0.0 && (1.0..=f64::from(max)).contains(&x) => Ok(x as u32),
        Some(_) => Err(ClientError::argument(format!("{name} must be a whole number from 1 to {max}"))),
    }
}

/// The most pages `list` reads into (`pageNum`), as Kling documents.
pub const MAX_PAGE_NUM: u32 = 1000;
/// The most tasks a page holds (`pageSize`), as Kling documents.
pub const MAX_PAGE_SIZE: u32 = 500;
/// The page size when none is given, as Kling documents.
pub const DEFAULT_PAGE_SIZE: u32 = 30;

fn unexpected() -> ClientError {
    ClientError::argument("the driver fed an outcome the client did not ask for")
}

/// The wait's overall deadline.
#[derive(Debug, Clone, Copy)]
struct Deadline {
    at_ms: u64,
    timeout_ms: u64,
}

impl Deadline {
    fn remaining(&self, now: u64) -> u64 {
        self.at_ms.saturating_sub(now)
    }
    fn error(&self) -> ClientError {
        ClientError::timeout(self.timeout_ms)
    }
}

/// What a query loop wants next.
enum Q {
    Send(u64),
    Sleep(u64),
    Done(Task),
    Listed(Vec<Task>),
    Fail(ClientError),
}

/// One query (status, look-up) with retries and backoff; a deadline caps every request
/// and every sleep.
struct Query {
    url: (String, Vec<(String, String)>),
    deadline: Option<Deadline>,
    attempt: u32,
    timeout_ms: u64,
    sleeping: bool,
    /// A page of the task list, not one task.
    list: bool,
}

impl Query {
    fn new(url: (String, Vec<(String, String)>), deadline: Option<Deadline>) -> Query {
        Query { url, deadline, attempt: 0, timeout_ms: 0, sleeping: false, list: false }
    }

    fn begin(&mut self, cfg: &Config, now: u64) -> Q {
        let mut timeout = cfg.timeout_ms;
        if let Some(d) = self.deadline {
            let r = d.remaining(now);
            if r == 0 {
                return Q::Fail(d.error());
            }
            timeout = timeout.min(r);
        }
        self.timeout_ms = timeout;
        self.sleeping = false;
        Q::Send(timeout)
    }

    fn feed(&mut self, cfg: &Config, outcome: Outcome, env: Env, send_id: Option<u32>) -> Q {
        if self.sleeping {
            return match outcome {
                Outcome::Slept => {
                    self.attempt += 1;
                    self.begin(cfg, env.now_ms)
                }
                Outcome::Aborted { .. } => Q::Fail(ClientError::aborted()),
                _ => Q::Fail(unexpected()),
            };
        }
        let (err, retry_after) = match outcome {
            Outcome::Answer { status, retry_after, body } => {
                let parsed = if self.list {
                    answer::parse_list(cfg.provider, status, &body).map(Q::Listed)
                } else {
                    answer::parse_query(cfg.provider, status, &body).map(Q::Done)
                };
                match parsed {
                    Ok(q) => return q,
                    Err(e) => (e, retry_after.and_then(|v| retry::parse_retry_after(&v, env.now_ms))),
                }
            }
            Outcome::Aborted { .. } => return Q::Fail(ClientError::aborted()),
            Outcome::Timeout => {
                if let Some(d) = self.deadline.filter(|d| d.remaining(env.now_ms) == 0) {
                    return Q::Fail(d.error());
                }
                (ClientError::timeout(self.timeout_ms), None)
            }
            Outcome::Network { detail } => (ClientError { send_id, ..ClientError::network(detail) }, None),
            Outcome::Slept | Outcome::Signed { .. } | Outcome::SignFailed { .. } => return Q::Fail(unexpected()),
        };
        if self.attempt >= cfg.max_retries || !retry::query_should_retry(&err) {
            return Q::Fail(err);
        }
        let mut delay =
            retry::retry_delay_ms(self.attempt, cfg.base_delay_ms, cfg.max_delay_ms, env.random, retry_after);
        if let Some(d) = self.deadline {
            delay = delay.min(d.remaining(env.now_ms));
        }
        self.sleeping = true;
        Q::Sleep(delay)
    }
}

/// Where a submit is.
enum SubmitState {
    /// Validating and creating, on first `start`.
    Fresh { body: Value, validate: bool, media: MediaFacts, random: [u8; 16] },
    /// A create is in flight.
    Creating,
    /// Waiting to send a refused create again.
    Backoff,
    /// Looking the task up by its `external_task_id` after a lost or refused create.
    Checking { query: Query, original: ClientError, id: String, lost: bool },
}

struct Submit {
    body: String,
    ext: Option<String>,
    attempt: u32,
    state: SubmitState,
}

/// A step of a part of a call, before the call numbers its requests. Short-lived (one per
/// step), so a task inline costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Part {
    Send { method: Method, url: (String, Vec<(String, String)>), body: bool, timeout_ms: u64 },
    Sleep(u64),
    Done(Done),
    Fail(Box<Failed>),
}

fn fail(error: ClientError) -> Part {
    Part::Fail(Box::new(Failed { error, task: None }))
}

impl Submit {
    fn fresh(body: Value, validate: bool, media: MediaFacts, random: [u8; 16]) -> Submit {
        Submit {
            body: String::new(),
            ext: None,
            attempt: 0,
            state: SubmitState::Fresh { body, validate, media, random },
        }
    }

    fn create(&mut self, cfg: &Config) -> Part {
        self.state = SubmitState::Creating;
        Part::Send {
            method: Method::Post,
            url: (api::create_url(cfg.api(), &cfg.base_url), vec![]),
            body: true,
            timeout_ms: cfg.timeout_ms,
        }
    }

    fn check(&mut self, cfg: &Config, original: ClientError, lost: bool, env: Env) -> Part {
        let Some(id) = self.ext.clone() else {
            return fail(if lost { original.into_ambiguous(None) } else { original });
        };
        let query = Query::new(api::query_target(cfg.api(), &cfg.base_url, &id), None);
        self.state = SubmitState::Checking { query, original, id, lost };
        self.feed(cfg, None, env, None)
    }

    /// Feeds an outcome (`None`: begin the current state).
    fn feed(&mut self, cfg: &Config, outcome: Option<Outcome>, env: Env, send_id: Option<u32>) -> Part {
        match std::mem::replace(&mut self.state, SubmitState::Creating) {
            SubmitState::Fresh { mut body, validate, media, random } => {
                if !body.is_object() {
                    return fail(ClientError::argument("the request must be an object"));
                }
                if validate {
                    match crate::rules::validate(cfg.provider, &body, &media) {
                        Err(e) => return fail(ClientError::argument(e.to_string())),
                        Ok(report) if !report.valid() => return fail(ClientError::validation(report)),
                        Ok(_) => {}
                    }
                }
                self.ext = create::ensure_external_id(cfg.provider, &mut body, cfg.auto_external_id, random);
                // The body's JSON as serde_json writes it, by the package's own writer.
                self.body.clear();
                crate::write::push_value(&mut self.body, &body);
                self.create(cfg)
            }
            SubmitState::Creating => {
                let (err, retry_after) = match outcome {
                    Some(Outcome::Answer { status, retry_after, body }) => {
                        match answer::parse_create(cfg.provider, status, &body) {
                            Ok(mut s) => {
                                if s.external_task_id.is_none() {
                                    s.external_task_id = self.ext.clone();
                                }
                                return Part::Done(Done::Submitted(s));
                            }
                            Err(e) => (e, retry_after.and_then(|v| retry::parse_retry_after(&v, env.now_ms))),
                        }
                    }
                    Some(Outcome::Aborted { sent }) => {
                        let e = ClientError::aborted();
                        return fail(if sent { e.into_ambiguous(self.ext.clone()) } else { e });
                    }
                    Some(Outcome::Timeout) => (ClientError::timeout(cfg.timeout_ms), None),
                    Some(Outcome::Network { detail }) => {
                        (ClientError { send_id, ..ClientError::network(detail) }, None)
                    }
                    Some(Outcome::Slept | Outcome::Signed { .. } | Outcome::SignFailed { .. }) | None => {
                        return fail(unexpected())
                    }
                };
                match create::decide(cfg.provider, &err, self.ext.is_some()) {
                    CreateDecision::Retry if self.attempt < cfg.max_retries => {
                        self.state = SubmitState::Backoff;
                        Part::Sleep(retry::retry_delay_ms(
                            self.attempt,
                            cfg.base_delay_ms,
                            cfg.max_delay_ms,
                            env.random,
                            retry_after,
                        ))
                    }
                    CreateDecision::Retry | CreateDecision::Fail => fail(err),
                    CreateDecision::FailAmbiguous => fail(err.into_ambiguous(self.ext.clone())),
                    CreateDecision::CheckExisting => self.check(cfg, err, false, env),
                    CreateDecision::LookUp => self.check(cfg, err, true, env),
                }
            }
            SubmitState::Backoff => match outcome {
                Some(Outcome::Slept) => {
                    self.attempt += 1;
                    self.create(cfg)
                }
                Some(Outcome::Aborted { .. }) => fail(ClientError::aborted()),
                _ => fail(unexpected()),
            },
            SubmitState::Checking { mut query, original, id, lost } => {
                let q = match outcome {
                    None => query.begin(cfg, env.now_ms),
                    Some(o) => query.feed(cfg, o, env, send_id),
                };
                let url = query.url.clone();
                let timeout_ms = query.timeout_ms;
                match q {
                    Q::Send(_) | Q::Sleep(_) => {
                        self.state = SubmitState::Checking { query, original, id, lost };
                        match q {
                            Q::Sleep(ms) => Part::Sleep(ms),
                            _ => Part::Send { method: Method::Get, url, body: false, timeout_ms },
                        }
                    }
                    Q::Done(task) => Part::Done(Done::Submitted(Submitted::from_task(&task, Some(id)))),
                    Q::Listed(_) => fail(unexpected()),
                    Q::Fail(e) => {
                        let e = match (e.kind == ErrorKind::Aborted, lost) {
                            (true, true) => e.into_ambiguous(Some(id)),
                            (true, false) => e,
                            (false, true) => original.into_ambiguous(Some(id)),
                            (false, false) => original,
                        };
                        fail(e)
                    }
                }
            }
        }
    }
}

/// Polling one task until it ends.
struct Wait {
    task_id: String,
    timeout_ms: u64,
    /// The deadline, set when the wait begins.
    deadline: Option<Deadline>,
    started: u64,
    n: u32,
    /// The poll in progress; `None` while sleeping between polls.
    query: Option<Query>,
    /// `generate`: the create's `external_task_id`, for an error that has none.
    external_task_id: Option<String>,
}

impl Wait {
    fn new(task_id: String, timeout_ms: u64, external_task_id: Option<String>) -> Wait {
        Wait { task_id, timeout_ms, deadline: None, started: 0, n: 0, query: None, external_task_id }
    }

    fn with_ids(&self, mut e: ClientError) -> ClientError {
        if e.task_id.is_none() {
            e.task_id = Some(self.task_id.clone());
        }
        if e.external_task_id.is_none() {
            e.external_task_id = self.external_task_id.clone();
        }
        e
    }

    fn poll(&mut self, cfg: &Config, now: u64) -> Part {
        let mut q = Query::new(api::query_target(cfg.api(), &cfg.base_url, &self.task_id), self.deadline);
        let next = q.begin(cfg, now);
        self.query = Some(q);
        self.query_step(cfg, next, now, None)
    }

    fn query_step(&mut self, cfg: &Config, q: Q, now: u64, progress: Option<&mut Option<Task>>) -> Part {
        match q {
            Q::Send(timeout_ms) => {
                let url = self.query.as_ref().map(|q| q.url.clone()).unwrap_or_default();
                Part::Send { method: Method::Get, url, body: false, timeout_ms }
            }
            Q::Sleep(ms) => Part::Sleep(ms),
            Q::Fail(e) => fail(self.with_ids(e)),
            Q::Listed(_) => fail(unexpected()),
            Q::Done(task) => {
                self.query = None;
                if let Some(p) = progress {
                    *p = Some(task.clone());
                }
                match task.status {
                    TaskStatus::Succeeded => Part::Done(Done::Task(task)),
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
                        let error = self.with_ids(e);
                        Part::Fail(Box::new(Failed { error, task: Some(task) }))
                    }
                    TaskStatus::Queued | TaskStatus::Running => {
                        let interval = state::poll_interval_ms(self.n, cfg.poll_interval_ms, cfg.poll_max_interval_ms);
                        match state::next_poll(now, self.started, Some(self.timeout_ms), interval) {
                            PollStep::TimedOut => fail(self.with_ids(ClientError::timeout(self.timeout_ms))),
                            PollStep::Wait(ms) => Part::Sleep(ms),
                        }
                    }
                }
            }
        }
    }

    fn start(&mut self, cfg: &Config, now: u64) -> Part {
        self.started = now;
        self.deadline = Some(Deadline { at_ms: now.saturating_add(self.timeout_ms), timeout_ms: self.timeout_ms });
        self.poll(cfg, now)
    }

    fn feed(
        &mut self,
        cfg: &Config,
        outcome: Outcome,
        env: Env,
        send_id: Option<u32>,
        progress: &mut Option<Task>,
    ) -> Part {
        match self.query.as_mut() {
            Some(q) => {
                let next = q.feed(cfg, outcome, env, send_id);
                self.query_step(cfg, next, env.now_ms, Some(progress))
            }
            None => match outcome {
                Outcome::Slept => {
                    self.n = self.n.saturating_add(1);
                    self.poll(cfg, env.now_ms)
                }
                Outcome::Aborted { .. } => fail(self.with_ids(ClientError::aborted())),
                _ => fail(unexpected()),
            },
        }
    }
}

enum Phase {
    Query(Query),
    Submit(Box<Submit>, Option<u64>),
    Wait(Wait),
    Ended,
}

/// One client call, from its first step to its end.
pub struct Call {
    cfg: Rc<Config>,
    phase: Phase,
    started: bool,
    next_id: u32,
    in_flight: Option<u32>,
    progress: Option<Task>,
    /// A request waiting for its token: the request, the signing input, the token's `exp`.
    signing: Option<(HttpRequest, String, u64)>,
    /// Every `Authorization` value this call sent, removed from its errors.
    sent: Vec<Secret>,
}

impl Call {
    fn new(cfg: Rc<Config>, phase: Phase) -> Call {
        Call {
            cfg,
            phase,
            started: false,
            next_id: 0,
            in_flight: None,
            progress: None,
            signing: None,
            sent: Vec::new(),
        }
    }

    /// `get(taskId)`: one query, retried where allowed.
    pub fn get(cfg: Rc<Config>, task_id: &str) -> Call {
        let url = api::query_target(cfg.api(), &cfg.base_url, task_id);
        Call::new(cfg, Phase::Query(Query::new(url, None)))
    }

    /// `getByExternalId(id)`: where the provider's query takes an `external_task_id`.
    pub fn get_by_external_id(cfg: Rc<Config>, external_task_id: &str) -> Result<Call, ClientError> {
        if !cfg.api().query_by_external_id {
            return Err(ClientError::argument(format!(
                "getByExternalId is not available for {}: it documents no query by external_task_id",
                cfg.provider
            )));
        }
        Ok(Call::get(cfg, external_task_id))
    }

    /// `submit(request)`: validates (unless `validate` is `Some(false)`; validating is the
    /// default), sets the
    /// `external_task_id` where the client should (from `random`), creates, and never
    /// sends again a create whose answer was lost.
    pub fn submit(cfg: Rc<Config>, body: Value, validate: Option<bool>, media: MediaFacts, random: [u8; 16]) -> Call {
        Call::new(cfg, Phase::Submit(Box::new(Submit::fresh(body, validate.unwrap_or(true), media, random)), None))
    }

    /// `list({ pageNum, pageSize })`: one page of the task list, where the provider has one
    /// (pages from 1, [`MAX_PAGE_NUM`] at most; [`MAX_PAGE_SIZE`] tasks a page at most).
    pub fn list(cfg: Rc<Config>, page_num: u32, page_size: u32) -> Result<Call, ClientError> {
        let Some(path) = cfg.api().list_path else {
            return Err(ClientError::argument(format!(
                "list is not available for {}: it documents no task list",
                cfg.provider
            )));
        };
        if !(1..=MAX_PAGE_NUM).contains(&page_num) || !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(ClientError::argument(format!(
                "pageNum must be 1 to {MAX_PAGE_NUM} and pageSize 1 to {MAX_PAGE_SIZE}"
            )));
        }
        let query =
            vec![("pageNum".to_string(), page_num.to_string()), ("pageSize".to_string(), page_size.to_string())];
        let mut q = Query::new((format!("{}{path}", cfg.base_url), query), None);
        q.list = true;
        Ok(Call::new(cfg, Phase::Query(q)))
    }

    /// `wait(taskId)`: polls until the task ends or `timeout_ms` has passed.
    pub fn wait(cfg: Rc<Config>, task_id: &str, timeout_ms: u64) -> Call {
        Call::new(cfg, Phase::Wait(Wait::new(task_id.to_string(), timeout_ms, None)))
    }

    /// `generate(request)`: `submit`, then `wait` with `timeout_ms`.
    pub fn generate(
        cfg: Rc<Config>,
        body: Value,
        validate: Option<bool>,
        media: MediaFacts,
        random: [u8; 16],
        timeout_ms: u64,
    ) -> Call {
        let submit = Submit::fresh(body, validate.unwrap_or(true), media, random);
        Call::new(cfg, Phase::Submit(Box::new(submit), Some(timeout_ms)))
    }

    /// The first step.
    pub fn start(&mut self, env: Env) -> Step {
        if self.started {
            return self.end(fail(unexpected()));
        }
        self.started = true;
        let cfg = self.cfg.clone();
        let part = match &mut self.phase {
            Phase::Query(q) => {
                let next = q.begin(&cfg, env.now_ms);
                query_part(q, next)
            }
            Phase::Submit(s, _) => s.feed(&cfg, None, env, None),
            Phase::Wait(w) => w.start(&cfg, env.now_ms),
            Phase::Ended => fail(unexpected()),
        };
        self.after(part, env)
    }

    /// Takes back what happened to the last step; says what to do next.
    pub fn feed(&mut self, outcome: Outcome, env: Env) -> Step {
        if !self.started {
            return self.end(fail(unexpected()));
        }
        if let Some((mut req, input, exp_s)) = self.signing.take() {
            return match outcome {
                Outcome::Signed { signature } => {
                    let authorization = Secret::new(format!("Bearer {}", jwt::assemble(&input, &signature)));
                    if let Some(m) = &self.cfg.minting {
                        m.store(Minted { authorization: authorization.clone(), exp_s });
                    }
                    self.send(&mut req, authorization);
                    Step::Send(req)
                }
                Outcome::SignFailed { detail } => {
                    self.end(fail(ClientError::argument(format!("could not sign a token: {detail}"))))
                }
                _ => self.end(fail(unexpected())),
            };
        }
        if let (Outcome::Answer { status: 401, .. }, Some(m)) = (&outcome, &self.cfg.minting) {
            // Expired or not yet valid by Kling's clock: the next request mints a new token.
            m.forget();
        }
        let cfg = self.cfg.clone();
        let send_id = self.in_flight.take();
        let part = match &mut self.phase {
            Phase::Query(q) => {
                let next = q.feed(&cfg, outcome, env, send_id);
                query_part(q, next)
            }
            Phase::Submit(s, _) => s.feed(&cfg, Some(outcome), env, send_id),
            Phase::Wait(w) => w.feed(&cfg, outcome, env, send_id, &mut self.progress),
            Phase::Ended => fail(unexpected()),
        };
        self.after(part, env)
    }

    /// The task a poll of `wait`/`generate` just read, once per poll: the driver hands it
    /// to `onProgress` before acting on the step.
    pub fn take_progress(&mut self) -> Option<Task> {
        self.progress.take()
    }

    /// Turns a part's step into the call's: numbers requests, moves `generate` from its
    /// submit to its wait.
    fn after(&mut self, part: Part, env: Env) -> Step {
        match part {
            Part::Done(Done::Submitted(sub)) if matches!(self.phase, Phase::Submit(_, Some(_))) => {
                let Phase::Submit(_, Some(timeout)) = self.phase else {
                    return self.end(fail(unexpected()));
                };
                let mut w = Wait::new(sub.task_id.clone(), timeout, sub.external_task_id.clone());
                let part = w.start(&self.cfg, env.now_ms);
                self.phase = Phase::Wait(w);
                self.after(part, env)
            }
            Part::Send { method, url, body, timeout_ms } => {
                let id = self.next_id;
                self.next_id = self.next_id.saturating_add(1);
                self.in_flight = Some(id);
                let mut headers = self.cfg.headers.clone();
                let body = match (&self.phase, body) {
                    (Phase::Submit(s, _), true) => {
                        headers.push(("Content-Type".into(), "application/json".into()));
                        Some(s.body.clone())
                    }
                    _ => None,
                };
                let (url, query) = url;
                let mut req = HttpRequest { id, method, url, query, headers, authorization: None, body, timeout_ms };
                let Some(minting) = self.cfg.minting.clone() else {
                    if let Some(a) = self.cfg.authorization() {
                        self.send(&mut req, a);
                    }
                    return Step::Send(req);
                };
                let now_s = env.now_ms / 1000;
                if let Some(a) = minting.current(now_s) {
                    self.send(&mut req, a);
                    return Step::Send(req);
                }
                match jwt::signing_input(&minting.access_key, now_s, minting.ttl_s) {
                    Ok(input) => {
                        self.signing = Some((req, input.clone(), now_s.saturating_add(minting.ttl_s)));
                        Step::Sign(input)
                    }
                    Err(e) => self.end(fail(ClientError::argument(e.to_string()))),
                }
            }
            Part::Sleep(ms) => Step::Sleep(ms),
            other => self.end(other),
        }
    }

    /// Sets the request's `Authorization`, remembered so that no error shows it.
    fn send(&mut self, req: &mut HttpRequest, authorization: Secret) {
        if !self.sent.contains(&authorization) {
            self.sent.push(authorization.clone());
        }
        req.authorization = Some(authorization);
    }

    fn end(&mut self, part: Part) -> Step {
        self.phase = Phase::Ended;
        match part {
            Part::Done(d) => Step::Done(Box::new(d)),
            Part::Fail(mut f) => {
                // The key, and every token this call sent (a server may echo the header
                // back, with or without `Bearer `), leave every text of the error.
                // Whole header values first, so an echoed `Bearer <key>` becomes `***`.
                let mut secrets: Vec<Secret> = self.sent.clone();
                for a in &self.sent {
                    if let Some(t) = a.expose().strip_prefix("Bearer ") {
                        secrets.push(Secret::new(t));
                    }
                }
                secrets.extend(self.cfg.api_key.iter().cloned());
                for s in &secrets {
                    f.error = f.error.redacted(s);
                }
                Step::Fail(f)
            }
            Part::Send { .. } | Part::Sleep(_) => Step::Fail(Box::new(Failed { error: unexpected(), task: None })),
        }
    }
}

fn query_part(q: &Query, next: Q) -> Part {
    match next {
        Q::Send(timeout_ms) => Part::Send { method: Method::Get, url: q.url.clone(), body: false, timeout_ms },
        Q::Sleep(ms) => Part::Sleep(ms),
        Q::Done(t) => Part::Done(Done::Task(t)),
        Q::Listed(ts) => Part::Done(Done::Tasks(ts)),
        Q::Fail(e) => fail(e),
    }
}
