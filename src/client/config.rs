//! The client's options read into a [`Config`]: every default and every check of an
//! option's value (unknown keys, numbers, the base URL, the locale), from the options as
//! JSON, so a typo such as `apikey` is an error instead of silently sending no key.
//!
//! ```
//! use kling_omni::client::config::Config;
//! let c = Config::from_json(&serde_json::json!({ "provider": "v3" })).unwrap();
//! assert_eq!((c.base_url.as_str(), c.timeout_ms, c.max_retries), ("https://api.modelverse.cn", 60_000, 2));
//! assert!(Config::from_json(&serde_json::json!({ "provider": "v3", "timeout": 5 })).is_err());
//! ```

use super::api::AuthScheme;
use super::error::{ClientError, Secret};
use super::jwt;
use super::state;
use crate::messages::Locale;
use crate::model::Provider;
use crate::provider::Description;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// Default per-request timeout.
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// Default retries.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first backoff ceiling (Kling: retry 1302/1303/5000–5002 with backoff, 1 s and up).
pub const DEFAULT_BASE_DELAY_MS: u64 = 1_000;
/// Default longest backoff.
pub const DEFAULT_MAX_DELAY_MS: u64 = 30_000;
/// The most retries honoured.
pub const MAX_RETRIES: u32 = 20;

/// Why a page may not hold the secret key: the argument error `new KlingClient` and
/// `klingToken` throw where `document` exists, unless `dangerouslyAllowBrowser: true`.
pub const SECRET_IN_PAGE: &str = "secretKey in a web page: every visitor of the page can read it and mint tokens \
     on your account. Mint tokens on your server (klingToken) and pass one as apiKey, or call Kling through \
     your own proxy that adds them. Pass dangerouslyAllowBrowser: true only where the person at the page \
     typed their own keys";

/// Whether the secret key may be used here: anywhere but a page (`document` exists), and in
/// a page only when the caller said `dangerouslyAllowBrowser: true`.
pub fn check_secret_allowed(in_page: bool, dangerously_allow_browser: bool) -> Result<(), ClientError> {
    if in_page && !dangerously_allow_browser {
        Err(ClientError::argument(SECRET_IN_PAGE))
    } else {
        Ok(())
    }
}

/// A token minted by the client, cached for the next requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Minted {
    /// The `Authorization` value, `Bearer <token>`.
    pub authorization: Secret,
    /// When it expires, Unix seconds.
    pub exp_s: u64,
}

/// Minting tokens for Kling's own API from the access key and secret key (`accessKey`,
/// `secretKey`, `tokenTtlSeconds`). The secret key is not here: the driver holds it (as a
/// Web Crypto key) and signs what the machine asks it to.
#[derive(Debug, Clone)]
pub struct TokenMinting {
    /// The access key: the tokens' `iss`.
    pub access_key: String,
    /// Each token's lifetime, seconds.
    pub ttl_s: u64,
    /// The token in use, shared by every call of one client.
    cache: Rc<RefCell<Option<Minted>>>,
}

impl PartialEq for TokenMinting {
    fn eq(&self, other: &Self) -> bool {
        self.access_key == other.access_key && self.ttl_s == other.ttl_s
    }
}

impl TokenMinting {
    /// Minting with `access_key` and tokens living `ttl_s` seconds, nothing cached yet.
    pub fn new(access_key: impl Into<String>, ttl_s: u64) -> TokenMinting {
        TokenMinting { access_key: access_key.into(), ttl_s, cache: Rc::new(RefCell::new(None)) }
    }

    /// The cached `Authorization` value, unless it must be replaced at `now_s`
    /// ([`jwt::needs_refresh`]).
    pub fn current(&self, now_s: u64) -> Option<Secret> {
        let cache = self.cache.borrow();
        let m = cache.as_ref()?;
        (!jwt::needs_refresh(now_s, m.exp_s, self.ttl_s)).then(|| m.authorization.clone())
    }

    /// Keeps a freshly minted token.
    pub fn store(&self, minted: Minted) {
        *self.cache.borrow_mut() = Some(minted);
    }

    /// Forgets the cached token (the API said it is expired or not yet valid: clocks differ).
    pub fn forget(&self) {
        *self.cache.borrow_mut() = None;
    }
}

/// The options of `new KlingClient(options)`, checked, with their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Which provider.
    pub provider: Provider,
    /// The base URL, without a trailing slash.
    pub base_url: String,
    /// The key, if any (none behind a proxy that adds it). For `kling`, a token minted elsewhere.
    pub api_key: Option<Secret>,
    /// `kling` with `accessKey` and `secretKey`: the client mints its own tokens.
    pub minting: Option<TokenMinting>,
    /// The `Authorization` form (`authScheme`; the provider's own by default).
    pub auth_scheme: AuthScheme,
    /// Extra headers on every request, by name.
    pub headers: Vec<(String, String)>,
    /// Per-request timeout.
    pub timeout_ms: u64,
    /// First poll interval.
    pub poll_interval_ms: u64,
    /// Longest poll interval.
    pub poll_max_interval_ms: u64,
    /// Overall wait timeout.
    pub poll_timeout_ms: u64,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Backoff base.
    pub base_delay_ms: u64,
    /// Longest backoff.
    pub max_delay_ms: u64,
    /// Set an `external_task_id` when the request has none (where the provider's
    /// description says the client does).
    pub auto_external_id: bool,
    /// Language of error messages.
    pub locale: Locale,
}

const KEYS: &[&str] = &[
    "provider",
    "baseUrl",
    "apiKey",
    "authScheme",
    "headers",
    "timeoutMs",
    "poll",
    "retry",
    "autoExternalId",
    "locale",
    "accessKey",
    "secretKey",
    "tokenTtlSeconds",
    "dangerouslyAllowBrowser",
];
const POLL_KEYS: &[&str] = &["intervalMs", "maxIntervalMs", "timeoutMs"];
const RETRY_KEYS: &[&str] = &["maxRetries", "baseDelayMs", "maxDelayMs"];

/// A duration option in ms: absent is `default`; otherwise a finite number ≥ 0, rounded.
pub fn ms(v: Option<f64>, name: &str, default: u64) -> Result<u64, ClientError> {
    match v {
        None => Ok(default),
        Some(x) if x.is_finite() && (0.0..=9.0e15).contains(&x) => Ok(x.round() as u64),
        Some(_) => Err(ClientError::argument(format!("{name} must be a finite number ≥ 0"))),
    }
}

/// An options object: `null` or absent is none; anything else must be an object whose keys
/// are all in `allowed`.
fn object<'a>(
    v: Option<&'a Value>,
    allowed: &[&str],
    what: &str,
) -> Result<Option<&'a Map<String, Value>>, ClientError> {
    let o = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ClientError::argument(format!("{} must be an object", what.trim_end_matches('.')))),
    };
    for k in o.keys() {
        if !allowed.contains(&k.as_str()) {
            let k: String = k.chars().take(40).collect();
            return Err(ClientError::argument(format!(
                "unknown option {what}{k:?}; expected one of {}",
                allowed.join(", ")
            )));
        }
    }
    Ok(Some(o))
}

fn get<'a>(o: Option<&'a Map<String, Value>>, k: &str) -> Option<&'a Value> {
    o.and_then(|o| o.get(k)).filter(|v| !v.is_null())
}

fn number(o: Option<&Map<String, Value>>, k: &str, name: &str) -> Result<Option<f64>, ClientError> {
    match get(o, k) {
        None => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| ClientError::argument(format!("{name} must be a number"))),
    }
}

fn string<'a>(o: Option<&'a Map<String, Value>>, k: &str) -> Result<Option<&'a str>, ClientError> {
    match get(o, k) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ClientError::argument(format!("{k} must be a string"))),
    }
}

impl Config {
    /// Reads the options (as JSON), anywhere but a page. Every error is of kind `argument`,
    /// and neither key appears in it.
    pub fn from_json(options: &Value) -> Result<Config, ClientError> {
        Config::from_json_in(options, false)
    }

    /// Reads the options where `in_page` says whether this is a page (`document` exists):
    /// there the secret key is refused unless `dangerouslyAllowBrowser: true`.
    pub fn from_json_in(options: &Value, in_page: bool) -> Result<Config, ClientError> {
        let mut e = match Config::read(options, in_page) {
            Ok(c) => return Ok(c),
            Err(e) => e,
        };
        for k in ["apiKey", "secretKey"] {
            if let Some(key) = options.get(k).and_then(Value::as_str) {
                e = e.redacted(&Secret::new(key));
            }
        }
        Err(e)
    }

    fn read(options: &Value, in_page: bool) -> Result<Config, ClientError> {
        let o = match options {
            Value::Object(_) => object(Some(options), KEYS, "")?,
            _ => return Err(ClientError::argument("options must be an object with a provider")),
        };
        let poll = object(get(o, "poll"), POLL_KEYS, "poll.")?;
        let retry = object(get(o, "retry"), RETRY_KEYS, "retry.")?;
        let provider: Provider = match string(o, "provider")? {
            Some(p) => p.parse().map_err(|e: crate::model::UnknownProvider| ClientError::argument(e.to_string()))?,
            None => return Err(ClientError::argument("options.provider is required")),
        };
        let d = provider.description();
        let base_url = match (string(o, "baseUrl")?, d.default_base_url) {
            (Some(b), _) | (None, Some(b)) => b.trim().trim_end_matches('/').to_string(),
            (None, None) => {
                return Err(ClientError::argument(format!(
                    "baseUrl is required for provider \"{}\" (e.g. KLING_API_SINGAPORE or KLING_API_BEIJING)",
                    d.name
                )))
            }
        };
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(ClientError::argument("baseUrl must be an absolute http(s) URL"));
        }
        let asked = match string(o, "authScheme")? {
            None => None,
            Some(s) => Some(
                AuthScheme::parse(s)
                    .ok_or_else(|| ClientError::argument("authScheme must be \"bearer\" or \"bare\""))?,
            ),
        };
        let auth_scheme = AuthScheme::resolve(d, asked)?;
        let locale = match string(o, "locale")? {
            None | Some("en") => Locale::En,
            Some("zh") => Locale::Zh,
            Some(_) => return Err(ClientError::argument("locale must be \"en\" or \"zh\"")),
        };
        let mut headers = Vec::new();
        match get(o, "headers") {
            None => {}
            Some(Value::Object(h)) => {
                for (k, v) in h {
                    match v {
                        Value::String(v) => headers.push((k.clone(), v.clone())),
                        _ => return Err(ClientError::argument("headers must map names to strings")),
                    }
                }
            }
            Some(_) => return Err(ClientError::argument("headers must be an object")),
        }
        let auto_external_id = match get(o, "autoExternalId") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(ClientError::argument("autoExternalId must be a boolean")),
        };
        let max_retries =
            ms(number(retry, "maxRetries", "retry.maxRetries")?, "retry.maxRetries", DEFAULT_MAX_RETRIES as u64)?;
        let api_key = string(o, "apiKey")?.filter(|k| !k.is_empty()).map(Secret::new);
        let minting = read_minting(o, d, api_key.is_some(), in_page)?;
        Ok(Config {
            provider,
            base_url,
            api_key,
            minting,
            auth_scheme,
            headers,
            timeout_ms: ms(number(o, "timeoutMs", "timeoutMs")?, "timeoutMs", DEFAULT_TIMEOUT_MS)?,
            poll_interval_ms: ms(
                number(poll, "intervalMs", "poll.intervalMs")?,
                "poll.intervalMs",
                state::DEFAULT_POLL_INTERVAL_MS,
            )?,
            poll_max_interval_ms: ms(
                number(poll, "maxIntervalMs", "poll.maxIntervalMs")?,
                "poll.maxIntervalMs",
                state::DEFAULT_POLL_MAX_INTERVAL_MS,
            )?,
            poll_timeout_ms: ms(
                number(poll, "timeoutMs", "poll.timeoutMs")?,
                "poll.timeoutMs",
                state::DEFAULT_POLL_TIMEOUT_MS,
            )?,
            max_retries: max_retries.min(MAX_RETRIES as u64) as u32,
            base_delay_ms: ms(
                number(retry, "baseDelayMs", "retry.baseDelayMs")?,
                "retry.baseDelayMs",
                DEFAULT_BASE_DELAY_MS,
            )?,
            max_delay_ms: ms(
                number(retry, "maxDelayMs", "retry.maxDelayMs")?,
                "retry.maxDelayMs",
                DEFAULT_MAX_DELAY_MS,
            )?,
            auto_external_id,
            locale,
        })
    }

    /// The description of this client's provider.
    pub fn api(&self) -> &'static Description {
        self.provider.description()
    }

    /// `wait`'s overall timeout: the option when it is a number, else `poll.timeoutMs`.
    pub fn wait_timeout_ms(&self, option: Option<f64>) -> Result<u64, ClientError> {
        ms(option, "timeoutMs", self.poll_timeout_ms)
    }

    /// The `Authorization` value, when there is a key (a minted token is the machine's:
    /// see [`TokenMinting`]).
    pub fn authorization(&self) -> Option<Secret> {
        let key = self.api_key.as_ref()?;
        Some(Secret::new(self.auth_scheme.authorization(key.expose())))
    }
}

/// `accessKey`, `secretKey`, `tokenTtlSeconds`, `dangerouslyAllowBrowser`: minting, for the
/// one provider whose auth is a JWT, with both keys, never beside `apiKey`.
fn read_minting(
    o: Option<&Map<String, Value>>,
    d: &Description,
    has_api_key: bool,
    in_page: bool,
) -> Result<Option<TokenMinting>, ClientError> {
    let access = string(o, "accessKey")?;
    let secret = string(o, "secretKey")?;
    let ttl = get(o, "tokenTtlSeconds");
    let allow = match get(o, "dangerouslyAllowBrowser") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ClientError::argument("dangerouslyAllowBrowser must be a boolean")),
    };
    if access.is_none() && secret.is_none() {
        if ttl.is_some() {
            return Err(ClientError::argument("tokenTtlSeconds needs accessKey and secretKey"));
        }
        return Ok(None);
    }
    if d.auth != crate::provider::Auth::Jwt {
        return Err(ClientError::argument(format!(
            "accessKey and secretKey are for provider \"kling\" (Kling's own API); \"{}\" takes apiKey",
            d.name
        )));
    }
    if has_api_key {
        return Err(ClientError::argument(
            "pass either apiKey (a token minted elsewhere) or accessKey and secretKey, not both",
        ));
    }
    let (Some(access), Some(secret)) = (access, secret) else {
        return Err(ClientError::argument("accessKey and secretKey go together"));
    };
    if access.trim().is_empty() {
        return Err(ClientError::argument(jwt::TokenError::EmptyAccessKey.to_string()));
    }
    if secret.is_empty() {
        return Err(ClientError::argument(jwt::TokenError::EmptySecretKey.to_string()));
    }
    check_secret_allowed(in_page, allow)?;
    let ttl_s = match ttl {
        None => jwt::DEFAULT_TTL_S,
        Some(v) => ttl_seconds(v.as_f64())?,
    };
    Ok(Some(TokenMinting::new(access, ttl_s)))
}

/// A token lifetime option (`tokenTtlSeconds`, `ttlSeconds`): a whole number of seconds within
/// [`jwt::MIN_TTL_S`]…[`jwt::MAX_TTL_S`].
pub fn ttl_seconds(v: Option<f64>) -> Result<u64, ClientError> {
    let bad = || {
        ClientError::argument(format!(
            "the token lifetime must be a whole number of seconds from {} to {}",
            jwt::MIN_TTL_S,
            jwt::MAX_TTL_S
        ))
    };
    match v {
        Some(x) if x.fract() == 0.0 && (jwt::MIN_TTL_S as f64..=jwt::MAX_TTL_S as f64).contains(&x) => {
            jwt::check_ttl(x as u64).map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;
    use serde_json::json;

    #[test]
    fn defaults() {
        let c = Config::from_json(&json!({ "provider": "o1" })).unwrap();
        assert_eq!(
            c,
            Config {
                provider: Provider::O1,
                base_url: "https://models.hingnet.com.cn".into(),
                api_key: None,
                minting: None,
                auth_scheme: AuthScheme::Bearer,
                headers: vec![],
                timeout_ms: DEFAULT_TIMEOUT_MS,
                poll_interval_ms: 2000,
                poll_max_interval_ms: 10_000,
                poll_timeout_ms: 900_000,
                max_retries: DEFAULT_MAX_RETRIES,
                base_delay_ms: DEFAULT_BASE_DELAY_MS,
                max_delay_ms: DEFAULT_MAX_DELAY_MS,
                auto_external_id: true,
                locale: Locale::En,
            }
        );
    }

    #[test]
    fn every_option_read() {
        let c = Config::from_json(&json!({
            "provider": "v3", "baseUrl": " http://127.0.0.1:8081/kling// ", "apiKey": "k",
            "headers": { "x-b": "2", "x-a": "1" }, "timeoutMs": 5000.4,
            "poll": { "intervalMs": 100, "maxIntervalMs": 200, "timeoutMs": null },
            "retry": { "maxRetries": 99, "baseDelayMs": 20 }, "autoExternalId": false, "locale": "zh",
        }))
        .unwrap();
        assert_eq!(c.base_url, "http://127.0.0.1:8081/kling");
        assert_eq!(c.api_key.as_ref().map(Secret::expose), Some("k"));
        assert_eq!(c.authorization().map(|a| a.expose().to_string()).as_deref(), Some("k"));
        assert_eq!(c.headers, [("x-a".to_string(), "1".to_string()), ("x-b".to_string(), "2".to_string())]);
        assert_eq!(
            (c.timeout_ms, c.poll_interval_ms, c.poll_max_interval_ms, c.poll_timeout_ms),
            (5000, 100, 200, 900_000)
        );
        assert_eq!((c.max_retries, c.base_delay_ms, c.max_delay_ms), (MAX_RETRIES, 20, 30_000));
        assert_eq!((c.auto_external_id, c.locale), (false, Locale::Zh));
        let v3 = Config::from_json(&json!({ "provider": "v3", "apiKey": "k", "authScheme": "bearer" })).unwrap();
        assert_eq!(v3.authorization().map(|a| a.expose().to_string()).as_deref(), Some("Bearer k"));
        let o1 = Config::from_json(&json!({ "provider": "o1", "apiKey": "k" })).unwrap();
        assert_eq!(o1.authorization().map(|a| a.expose().to_string()).as_deref(), Some("Bearer k"));
        assert_eq!(Config::from_json(&json!({ "provider": "o1", "apiKey": "" })).unwrap().authorization(), None);
        assert_eq!(o1.wait_timeout_ms(None), Ok(900_000));
        assert_eq!(o1.wait_timeout_ms(Some(1000.0)), Ok(1000));
        assert!(o1.wait_timeout_ms(Some(f64::NAN)).is_err());
    }

    #[test]
    fn bad_options_are_argument_errors_without_the_key() {
        let table = [
            json!(null),
            json!("o1"),
            json!([]),
            json!({}),
            json!({ "provider": "o2" }),
            json!({ "provider": 1 }),
            json!({ "provider": "o1", "apiKey": "sk-secret-777", "timeout": 5 }),
            json!({ "provider": "o1", "apiKey": "sk-secret-777", "headers": "sk-secret-777" }),
            json!({ "provider": "o1", "apiKey": "sk-secret-777", "headers": { "sk-secret-777": 5 } }),
            json!({ "provider": "o1", "apiKey": "sk-secret-777", "poll": { "sk-secret-777": 5 } }),
            json!({ "provider": "v3", "baseUrl": "ftp://x" }),
            json!({ "provider": "v3", "baseUrl": "" }),
            json!({ "provider": "kling" }), // two hosts: the caller chooses
            json!({ "provider": "v3", "timeoutMs": -1 }),
            json!({ "provider": "v3", "timeoutMs": "5" }),
            json!({ "provider": "v3", "poll": 5 }),
            json!({ "provider": "v3", "retry": { "maxRetries": 1e300 } }),
            json!({ "provider": "v3", "retry": { "tries": 1 } }),
            json!({ "provider": "v3", "locale": "fr" }),
            json!({ "provider": "v3", "authScheme": "Bearer" }),
            json!({ "provider": "o1", "authScheme": "bare" }),
            json!({ "provider": "v3", "autoExternalId": "yes" }),
        ];
        for o in table {
            let e = Config::from_json(&o).expect_err(&o.to_string());
            assert_eq!(e.kind, ErrorKind::Argument, "{o}");
            assert!(!format!("{e} {e:?}").contains("sk-secret-777"), "{e:?}");
        }
    }
}
