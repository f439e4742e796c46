//! What every report must satisfy, whatever the request: shared by the property tests
//! (`tests/properties.rs`) and the fuzz targets (`fuzz/fuzz_targets/validate.rs`), which
//! include this file by path. Each check panics with what it found.

use kling_omni::{apply_fixes, validate, Code, FixOp, Locale, MediaFacts, PathSeg, Provider, Report};
use serde_json::Value;

/// The value at `path` in `request` (`null` included: a list item may be `null`).
pub fn at<'a>(request: &'a Value, path: &[PathSeg]) -> Option<&'a Value> {
    let mut v = request;
    for seg in path {
        v = match (seg, v) {
            (PathSeg::Key(k), Value::Object(m)) => m.get(k.as_ref())?,
            (PathSeg::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Codes that name a field that is missing (or, for prompts and shot lists, empty);
/// `null` counts as absent (as the validator reads it).
fn names_missing(code: Code, found: Option<&Value>) -> bool {
    let found = found.filter(|v| !v.is_null());
    match code {
        Code::Required | Code::AspectRatioRequired | Code::ShotTypeRequired => found.is_none(),
        Code::PromptRequired => match found {
            None => true,
            Some(Value::String(s)) => s.chars().all(char::is_whitespace),
            Some(_) => false,
        },
        Code::MultiPromptRequired => match found {
            None => true,
            Some(Value::Array(a)) => a.is_empty(),
            Some(_) => false,
        },
        _ => false,
    }
}

/// Every issue stands at a path that exists in the request, or names a missing required
/// field; every message renders in both locales; unverified media are strings in the request.
pub fn check_report(request: &Value, report: &Report) {
    for issue in &report.issues {
        let found = at(request, &issue.path);
        let required_kind = matches!(
            issue.code,
            Code::Required
                | Code::AspectRatioRequired
                | Code::ShotTypeRequired
                | Code::PromptRequired
                | Code::MultiPromptRequired
        );
        if required_kind {
            assert!(
                names_missing(issue.code, found),
                "{} at {:?} names a field that is there: {:?}",
                issue.code,
                issue.path,
                found
            );
        } else {
            assert!(found.is_some(), "{} at {:?}: no such path in the request", issue.code, issue.path);
        }
        for locale in [Locale::En, Locale::Zh] {
            assert!(!kling_omni::messages::render(issue, locale).is_empty(), "{} has an empty message", issue.code);
        }
        // A fix edits the place its issue stands at, which is in the request.
        if let Some(fix) = &issue.fix {
            assert_eq!(fix.path, issue.path, "{}: the fix edits another place", issue.code);
            assert!(found.is_some(), "{} at {:?}: a fix for a missing field", issue.code, issue.path);
            assert_eq!(fix.value.is_some(), fix.op == FixOp::Replace, "{}: {fix:?}", issue.code);
        }
    }
    for path in &report.unverified {
        assert!(
            matches!(at(request, path), Some(Value::String(_))),
            "unverified {path:?} is not a string in the request"
        );
    }
}

/// Validates, checks the report, validates again (same report), and, when valid, checks that
/// the request stays valid after a JSON round trip. Returns the report, or `None` when the
/// request is not an object.
pub fn validate_checked(provider: Provider, request: &Value, media: &MediaFacts) -> Option<Report> {
    let report = match validate(provider, request, media) {
        Ok(r) => r,
        Err(e) => {
            assert!(!request.is_object(), "an object gave an argument error: {e}");
            return None;
        }
    };
    check_report(request, &report);
    assert_eq!(validate(provider, request, media).ok().as_ref(), Some(&report), "validate is not deterministic");
    // Every fix carried out removes its issue.
    let (fixed, applied) = apply_fixes(provider, request, None).expect("an object");
    let after = validate(provider, &fixed, media).expect("a fixed object is an object");
    for a in &applied {
        assert!(!after.has(a.code, &a.fix.path), "{} at {:?} survived its fix", a.code, a.fix.path);
    }
    assert_eq!(applied.is_empty(), &fixed == request, "fixes applied and the request unchanged, or the reverse");
    if report.valid() {
        let text = serde_json::to_string(request).expect("a JSON value serialises");
        let back: Value = serde_json::from_str(&text).expect("serde_json reads what it wrote");
        let again = validate(provider, &back, media).expect("still an object");
        assert_eq!(again, report, "a valid request reads differently after a JSON round trip");
    }
    Some(report)
}
