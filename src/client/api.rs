//! How the client talks to a provider, read from its one description
//! ([`crate::provider::Description`]): the URLs, the `Authorization` value, where the request
//! carries its `external_task_id`, and what the state names of its answers mean. Nothing in
//! the client asks which provider it is.
//!
//! ```
//! use kling_omni::client::api;
//! use kling_omni::Provider;
//! let o1 = Provider::O1.description();
//! assert_eq!(api::create_url(o1, "https://g"), "https://g/kling/v1/videos/omni-video");
//! assert_eq!(api::external_id_pointer(Provider::V3.description()), "/parameters/external_task_id");
//! ```

use super::error::ClientError;
use super::state::TaskStatus;
use crate::provider::{Answers, Auth, Description, Layout, QueryPath};

/// The `Authorization` form a client was asked for (`authScheme`), where the provider lets
/// the caller choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>`.
    Bearer,
    /// `Authorization: <key>`.
    Bare,
}

impl AuthScheme {
    /// The option's value: `"bearer"` or `"bare"`.
    pub fn parse(s: &str) -> Option<AuthScheme> {
        match s {
            "bearer" => Some(AuthScheme::Bearer),
            "bare" => Some(AuthScheme::Bare),
            _ => None,
        }
    }

    /// The form a provider uses: its own, or the caller's choice where it allows one (the V3
    /// gateway: bare by default, `Bearer` on request). A choice it does not allow is an
    /// argument error.
    pub fn resolve(d: &Description, asked: Option<AuthScheme>) -> Result<AuthScheme, ClientError> {
        match (d.auth, asked) {
            (Auth::BareKey, a) => Ok(a.unwrap_or(AuthScheme::Bare)),
            (Auth::Bearer | Auth::Jwt, None | Some(AuthScheme::Bearer)) => Ok(AuthScheme::Bearer),
            (Auth::Bearer | Auth::Jwt, Some(AuthScheme::Bare)) => Err(ClientError::argument(format!(
                "authScheme \"bare\" is not available for provider \"{}\": it takes \"Bearer <key>\"",
                d.name
            ))),
        }
    }

    /// The `Authorization` value for `key` (a key, or a token minted elsewhere).
    pub fn authorization(self, key: &str) -> String {
        match self {
            AuthScheme::Bearer => format!("Bearer {key}"),
            AuthScheme::Bare => key.to_string(),
        }
    }
}

/// `POST {base}{create_path}`.
pub fn create_url(d: &Description, base: &str) -> String {
    format!("{base}{}", d.create_path)
}

/// The query of task `id` under `base`: the URL (an id in the path is percent-encoded as
/// `encodeURIComponent` does) and the query parameters (raw: the driver encodes them).
pub fn query_target(d: &Description, base: &str, id: &str) -> (String, Vec<(String, String)>) {
    match d.query_path {
        QueryPath::Segment(path) => (format!("{base}{path}/{}", encode_uri_component(id)), vec![]),
        QueryPath::TaskIdParam(path) => (format!("{base}{path}"), vec![("task_id".to_string(), id.to_string())]),
    }
}

/// Where a request carries its `external_task_id` (a JSON pointer): at the root of a flat
/// body, under `parameters` of a nested one.
pub fn external_id_pointer(d: &Description) -> &'static str {
    match d.layout {
        Layout::Flat => "/external_task_id",
        Layout::Nested => "/parameters/external_task_id",
    }
}

/// The code with which a provider whose task can be queried by its `external_task_id` refuses
/// an id it already has (Kling's 1201, "invalid parameter"): an earlier copy of the create got
/// through, so the id is looked up.
pub fn refuses_known_external_id(d: &Description, code: &str) -> bool {
    d.query_by_external_id && d.answers == Answers::Envelope && code == "1201"
}

/// The documented state names of an answer shape and what they mean.
pub fn states(answers: Answers) -> [(&'static str, TaskStatus); 4] {
    match answers {
        Answers::Envelope => [
            ("submitted", TaskStatus::Queued),
            ("processing", TaskStatus::Running),
            ("succeed", TaskStatus::Succeeded),
            ("failed", TaskStatus::Failed),
        ],
        Answers::Output => [
            ("pending", TaskStatus::Queued),
            ("running", TaskStatus::Running),
            ("success", TaskStatus::Succeeded),
            ("failure", TaskStatus::Failed),
        ],
    }
}

/// The status of a state name, matched in any case (gateways are not consistent).
pub fn status_of(d: &Description, state: &str) -> Option<TaskStatus> {
    let s = state.trim();
    states(d.answers).iter().find(|(name, _)| name.eq_ignore_ascii_case(s)).map(|&(_, st)| st)
}

/// JavaScript's `encodeURIComponent`: every byte of the UTF-8 form but `A–Z a–z 0–9
/// - _ . ! ~ * ' ( )` as `%XX` (upper-case hex).
pub fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[(b >> 4) as usize]));
            out.push(char::from(b"0123456789ABCDEF"[(b & 15) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provider;

    #[test]
    fn urls_of_each_provider() {
        // (provider, id, create url, query url, query parameter)
        type Row = (Provider, &'static str, &'static str, &'static str, Option<(&'static str, &'static str)>);
        let table: &[Row] = &[
            (
                Provider::O1,
                "t1",
                "https://g/kling/v1/videos/omni-video",
                "https://g/kling/v1/videos/omni-video/t1",
                None,
            ),
            (Provider::V3, "t1", "https://g/v1/tasks/submit", "https://g/v1/tasks/status", Some(("task_id", "t1"))),
            (Provider::Kling, "t1", "https://g/v1/videos/omni-video", "https://g/v1/videos/omni-video/t1", None),
            (
                Provider::O1,
                "a b/c?d&é",
                "https://g/kling/v1/videos/omni-video",
                "https://g/kling/v1/videos/omni-video/a%20b%2Fc%3Fd%26%C3%A9",
                None,
            ),
            (
                Provider::V3,
                "x=1#y",
                "https://g/v1/tasks/submit",
                "https://g/v1/tasks/status",
                Some(("task_id", "x=1#y")),
            ),
        ];
        for &(p, id, create, url, param) in table {
            let d = p.description();
            assert_eq!(create_url(d, "https://g"), create, "{p}");
            let (u, q) = query_target(d, "https://g", id);
            assert_eq!(u, url, "{p} {id}");
            let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            assert_eq!(q, param.into_iter().collect::<Vec<_>>(), "{p} {id}");
        }
        assert_eq!(encode_uri_component("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(encode_uri_component("猫 %"), "%E7%8C%AB%20%25");
    }

    #[test]
    fn authorization_forms() {
        use AuthScheme::*;
        // (provider, asked, the header for key "k" or None for an argument error)
        let table: &[(Provider, Option<AuthScheme>, Option<&str>)] = &[
            (Provider::O1, None, Some("Bearer k")),
            (Provider::O1, Some(Bearer), Some("Bearer k")),
            (Provider::O1, Some(Bare), None),
            (Provider::V3, None, Some("k")),
            (Provider::V3, Some(Bare), Some("k")),
            (Provider::V3, Some(Bearer), Some("Bearer k")),
            (Provider::Kling, None, Some("Bearer k")),
            (Provider::Kling, Some(Bare), None),
        ];
        for &(p, asked, want) in table {
            let got = AuthScheme::resolve(p.description(), asked).ok().map(|s| s.authorization("k"));
            assert_eq!(got.as_deref(), want, "{p} {asked:?}");
        }
        assert_eq!((AuthScheme::parse("bearer"), AuthScheme::parse("Bearer")), (Some(Bearer), None));
    }

    #[test]
    fn states_and_ids_by_description() {
        assert_eq!(external_id_pointer(Provider::O1.description()), "/external_task_id");
        assert_eq!(external_id_pointer(Provider::Kling.description()), "/external_task_id");
        assert_eq!(status_of(Provider::Kling.description(), "succeed"), Some(TaskStatus::Succeeded));
        assert_eq!(status_of(Provider::V3.description(), " SUCCESS "), Some(TaskStatus::Succeeded));
        assert!(refuses_known_external_id(Provider::O1.description(), "1201"));
        assert!(!refuses_known_external_id(Provider::V3.description(), "1201"));
        assert!(!refuses_known_external_id(Provider::O1.description(), "1200"));
    }
}
