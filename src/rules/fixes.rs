//! `applyFixes`: carries out the fixes the rules attach to their issues ([`Fix`]), on a copy
//! of the request.
//!
//! The fixes come from validating the request now, not from the caller's report: a report
//! made before the form changed (or written by hand) only *selects* which issues to fix, by
//! code and path, so a stale or forged fix is never applied and a fix never changes what the
//! user meant. Where two fixes touch one place, a removal wins (a `duration` of the wrong type
//! in a video edit, where it is also ignored, is removed, not retyped) and otherwise the
//! first one stands.

use super::{validate, ArgumentError};
use crate::model::{MediaFacts, Provider};
use crate::report::{Code, Fix, FixOp, Path, PathSeg, Report};
use serde_json::Value;

/// A fix that was carried out, with the code of the issue it fixed.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The issue's code.
    pub code: Code,
    /// The edit.
    pub fix: Fix,
}

/// The fixed request (a new value; `request` is untouched) and the fixes carried out, in the
/// order of the report. `only`: the issues to fix, by code and path (`None`: every fixable
/// issue of the request).
pub fn apply_fixes(
    provider: Provider,
    request: &Value,
    only: Option<&[(Code, Path)]>,
) -> Result<(Value, Vec<Applied>), ArgumentError> {
    let planned = plan(validate(provider, request, &MediaFacts::default())?, only);
    let mut fixed = request.clone();
    let mut applied: Vec<Applied> = Vec::new();
    for a in planned {
        if edit(&mut fixed, &a.fix) {
            applied.push(a);
        }
    }
    Ok((fixed, applied))
}

/// The fixes [`apply_fixes`] would carry out on a request given as JSON text, without
/// carrying them out (the wasm layer edits the `JSON.parse` of the same text, which keeps
/// the order of its keys).
pub fn plan_fixes_json(
    provider: Provider,
    request: &str,
    only: Option<&[(Code, Path)]>,
) -> Result<Vec<Applied>, ArgumentError> {
    Ok(plan(super::validate_json(provider, request, &MediaFacts::default())?, only))
}

/// Which of a report's fixes to carry out, in its order: those selected, where a removal of
/// a place (or of one around it) wins over any other edit of it, and else the first edit of
/// a place stands. Every fix's place is in the request the report is of.
pub fn plan(report: Report, only: Option<&[(Code, Path)]>) -> Vec<Applied> {
    let wanted = |code: Code, path: &Path| only.is_none_or(|o| o.iter().any(|(c, p)| *c == code && p == path));
    let candidates: Vec<Applied> = report
        .issues
        .into_iter()
        .filter(|i| wanted(i.code, &i.path))
        .filter_map(|i| i.fix.map(|fix| Applied { code: i.code, fix }))
        .collect();
    let removed: Vec<&Path> = candidates.iter().filter(|a| a.fix.op == FixOp::Remove).map(|a| &a.fix.path).collect();
    let mut planned: Vec<Applied> = Vec::new();
    for a in &candidates {
        // A removal of this place or of one around it wins over any other edit of it.
        let overruled = match a.fix.op {
            FixOp::Remove => removed.iter().any(|r| r.len() < a.fix.path.len() && a.fix.path.starts_with(r)),
            FixOp::Replace => removed.iter().any(|r| a.fix.path.starts_with(r)),
        };
        let done = planned.iter().any(|b| a.fix.path.starts_with(&b.fix.path));
        if !overruled && !done {
            planned.push(a.clone());
        }
    }
    planned
}

/// Carries out one edit; false when its place is not in the value (nothing is created).
fn edit(root: &mut Value, fix: &Fix) -> bool {
    let Some((last, parents)) = fix.path.split_last() else { return false };
    let mut at = root;
    for seg in parents {
        let next = match (seg, at) {
            (PathSeg::Key(k), Value::Object(m)) => m.get_mut(k.as_ref()),
            (PathSeg::Index(i), Value::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        let Some(next) = next else { return false };
        at = next;
    }
    match (fix.op, last, at, &fix.value) {
        (FixOp::Remove, PathSeg::Key(k), Value::Object(m), _) => m.remove(k.as_ref()).is_some(),
        (FixOp::Replace, PathSeg::Key(k), Value::Object(m), Some(v)) => match m.get_mut(k.as_ref()) {
            Some(slot) => {
                *slot = v.clone();
                true
            }
            None => false,
        },
        (FixOp::Replace, PathSeg::Index(i), Value::Array(a), Some(v)) => match a.get_mut(*i) {
            Some(slot) => {
                *slot = v.clone();
                true
            }
            None => false,
        },
        // Removing an array item would renumber the rest: no fix does it.
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path;
    use serde_json::json;

    #[test]
    fn edits_only_what_is_there() {
        let mut v = json!({"a": {"b": [1, 2]}, "c": 3});
        assert!(edit(&mut v, &Fix::replace(path!["a", "b", 1], "x")));
        assert!(edit(&mut v, &Fix::remove(path!["c"])));
        assert_eq!(v, json!({"a": {"b": [1, "x"]}}));
        for fix in [
            Fix::remove(path!["c"]),
            Fix::replace(path!["z"], 1),
            Fix::replace(path!["a", "b", 5], 1),
            Fix::remove(path!["a", "b", 0]),
            Fix::replace(path!["a", 0], 1),
            Fix::remove(vec![]),
            Fix { op: FixOp::Replace, path: path!["a"], value: None },
        ] {
            assert!(!edit(&mut v, &fix), "{fix:?}");
        }
        assert_eq!(v, json!({"a": {"b": [1, "x"]}}));
    }

    #[test]
    fn a_removal_wins_over_a_retype_of_the_same_field() {
        // V3 video edit: `duration` is ignored there, and "5" is also the wrong type.
        let r = json!({"model": "kling-v3-omni", "input": {"prompt": "a cat <<<video_1>>>"},
            "parameters": {"duration": "5", "video_list": [{"video_url": "https://e.com/v.mp4"}]}});
        let report = validate(Provider::V3, &r, &MediaFacts::default()).unwrap();
        let at = path!["parameters", "duration"];
        assert!(report.issues.iter().any(|i| i.code == Code::InvalidType && i.path == at && i.fix.is_some()));
        assert!(report.issues.iter().any(|i| i.code == Code::FieldIgnored && i.path == at && i.fix.is_some()));
        let (fixed, applied) = apply_fixes(Provider::V3, &r, None).unwrap();
        assert_eq!(applied.len(), 1);
        assert_eq!((applied[0].code, applied[0].fix.op), (Code::FieldIgnored, FixOp::Remove));
        assert_eq!(fixed["parameters"].get("duration"), None);
        // Asked for the type fix alone, it is carried out.
        let (fixed, applied) = apply_fixes(Provider::V3, &r, Some(&[(Code::InvalidType, at)])).unwrap();
        assert_eq!(applied.len(), 1);
        assert_eq!(fixed["parameters"]["duration"], json!(5));
    }
}
