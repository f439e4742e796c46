//! Text written by hand into one `String`: JSON (the report that crosses into JavaScript as
//! one string for one `JSON.parse`), integers and the few floats messages show. No serde
//! serializer and no `core::fmt`: the validator build leaves both out where nothing else
//! needs them, and a report is written in one pass with no intermediate tree.
//!
//! The JSON is what `serde_json::to_string` wrote for the same values (the same escapes, keys
//! in the same order, integers as integers, floats as serde_json writes them), so `JSON.parse`
//! gives the same object. Rust strings cannot hold lone surrogates, so every string written
//! here is valid UTF-8 and its JSON valid for `JSON.parse`.

use crate::labels;
use crate::messages::{self, Locale};
use crate::report::{Fix, FixOp, Issue, PathSeg, Report};
use serde_json::{Number, Value};

/// Appends a JSON array, `[a,b,…]`, each item written by `each`.
pub fn push_array<T>(out: &mut String, items: impl IntoIterator<Item = T>, mut each: impl FnMut(&mut String, T)) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        each(out, item);
    }
    out.push(']');
}

/// Appends an unsigned integer in decimal.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(core::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// Appends a signed integer in decimal.
pub fn push_i64(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_u64(out, n.unsigned_abs());
}

/// Appends a finite float as serde_json writes it (`1.5`, `12.0`, `1e21`; the shortest text
/// that reads back as the same value); `null` for NaN and the infinities, as JSON has them.
pub fn push_f64(out: &mut String, x: f64) {
    if x.is_finite() {
        out.push_str(zmij::Buffer::new().format_finite(x));
    } else {
        out.push_str("null");
    }
}

/// Appends a JSON number as serde_json writes it.
pub fn push_number(out: &mut String, n: &Number) {
    if let Some(u) = n.as_u64() {
        push_u64(out, u);
    } else if let Some(i) = n.as_i64() {
        push_i64(out, i);
    } else {
        push_f64(out, n.as_f64().unwrap_or(f64::NAN));
    }
}

/// Appends `s` as a JSON string, quoted, with serde_json's escapes (`\"`, `\\`, `\n`, `\t`,
/// `\r`, `\b`, `\f`, other control characters as `\u00XX`).
pub fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        // `i` is at an ASCII byte: a character boundary.
        out.push_str(&s[start..i]);
        start = i + 1;
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends a JSON value as `serde_json::to_string` writes it (object keys in the map's order).
pub fn push_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => push_number(out, n),
        Value::String(s) => push_quoted(out, s),
        Value::Array(items) => push_array(out, items, push_value),
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_quoted(out, k);
                out.push(':');
                push_value(out, item);
            }
            out.push('}');
        }
    }
}

/// Appends a path as a JSON array: keys as strings, indices as numbers.
pub fn push_path(out: &mut String, path: &[PathSeg]) {
    push_array(out, path, |out, seg| match seg {
        PathSeg::Key(k) => push_quoted(out, k),
        PathSeg::Index(n) => push_u64(out, *n as u64),
    });
}

/// Appends a fix: `{"op":"replace","path":[…],"value":…}` or `{"op":"remove","path":[…]}`.
pub fn push_fix(out: &mut String, fix: &Fix) {
    out.push('{');
    push_fix_fields(out, fix);
    out.push('}');
}

/// A fix's fields after an opening `{` (the caller may have written other fields first),
/// with no closing brace.
pub fn push_fix_fields(out: &mut String, fix: &Fix) {
    out.push_str(match fix.op {
        FixOp::Replace => "\"op\":\"replace\",\"path\":",
        FixOp::Remove => "\"op\":\"remove\",\"path\":",
    });
    push_path(out, &fix.path);
    if let Some(v) = &fix.value {
        out.push_str(",\"value\":");
        push_value(out, v);
    }
}

/// Appends an issue's params as the JSON object serde_json wrote from a map of them: keys
/// sorted, a key given twice keeping its last value.
fn push_params(out: &mut String, params: &[(&'static str, Value)]) {
    let mut order: Vec<usize> = (0..params.len()).collect();
    // Stable: among equal keys the last given stays last.
    crate::report::sort_small(&mut order, |&a, &b| params[a].0 < params[b].0);
    out.push('{');
    let mut first = true;
    for (n, &i) in order.iter().enumerate() {
        if order.get(n + 1).is_some_and(|&j| params[j].0 == params[i].0) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        push_quoted(out, params[i].0);
        out.push(':');
        push_value(out, &params[i].1);
    }
    out.push('}');
}

/// Appends one issue as the JS `Issue` object: code, path, label, message, and params and
/// fix where it has them. `scratch` holds the label and message while they are escaped.
fn push_issue(out: &mut String, scratch: &mut String, issue: &Issue, locale: Locale) {
    out.push_str("{\"code\":\"");
    out.push_str(issue.code.as_str());
    out.push_str("\",\"path\":");
    push_path(out, &issue.path);
    out.push_str(",\"label\":");
    scratch.clear();
    labels::label_into(scratch, &issue.path, locale);
    push_quoted(out, scratch);
    out.push_str(",\"message\":");
    scratch.clear();
    messages::render_into(scratch, issue, locale);
    push_quoted(out, scratch);
    if !issue.params.is_empty() {
        out.push_str(",\"params\":");
        push_params(out, &issue.params);
    }
    if let Some(fix) = &issue.fix {
        out.push_str(",\"fix\":");
        push_fix(out, fix);
    }
    out.push('}');
}

/// The report as the JSON text of the JS `Report` object (`valid`, `scenario`, `errors`,
/// `warnings`, `unverified`), messages and labels in `locale`.
pub fn report_json(report: &Report, locale: Locale) -> String {
    let mut out = String::with_capacity(96 + 384 * report.issues.len());
    let mut scratch = String::new();
    out.push_str(if report.valid() { "{\"valid\":true" } else { "{\"valid\":false" });
    out.push_str(",\"scenario\":\"");
    out.push_str(report.scenario.as_str());
    out.push_str("\",\"errors\":");
    push_array(&mut out, report.errors(), |out, issue| push_issue(out, &mut scratch, issue, locale));
    out.push_str(",\"warnings\":");
    push_array(&mut out, report.warnings(), |out, issue| push_issue(out, &mut scratch, issue, locale));
    out.push_str(",\"unverified\":");
    push_array(&mut out, &report.unverified, |out, path| push_path(out, path));
    out.push('}');
    out
}

/// A JSON object written field by field: `None` values are left out, as
/// `skip_serializing_if = "Option::is_none"` leaves them out.
pub struct JsonObject<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> JsonObject<'a> {
    /// Opens an object at the end of `out`.
    pub fn open(out: &'a mut String) -> Self {
        out.push('{');
        JsonObject { out, empty: true }
    }

    /// Writes a key; the value is appended to what this returns.
    pub fn key(&mut self, k: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_quoted(self.out, k);
        self.out.push(':');
        self.out
    }

    /// A string field.
    pub fn str(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            push_quoted(self.key(k), v);
        }
    }

    /// An integer field.
    pub fn int(&mut self, k: &str, v: Option<i64>) {
        if let Some(v) = v {
            push_i64(self.key(k), v);
        }
    }

    /// A float field, as serde_json writes an `f64`.
    pub fn float(&mut self, k: &str, v: Option<f64>) {
        if let Some(v) = v {
            push_f64(self.key(k), v);
        }
    }

    /// A boolean field.
    pub fn bool(&mut self, k: &str, v: Option<bool>) {
        if let Some(v) = v {
            self.key(k).push_str(if v { "true" } else { "false" });
        }
    }

    /// Closes the object.
    pub fn close(self) {
        self.out.push('}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path;
    use crate::report::{Code, Scenario};
    use serde_json::json;

    fn text(f: impl FnOnce(&mut String)) -> String {
        let mut s = String::new();
        f(&mut s);
        s
    }

    #[test]
    fn numbers_as_serde_json_writes_them() {
        for n in [0u64, 1, 9, 10, 99, 100, 2500, 10_485_760, u32::MAX as u64, u64::MAX] {
            assert_eq!(text(|s| push_u64(s, n)), serde_json::to_string(&n).unwrap());
        }
        for n in [0i64, -1, -10, 42, i64::MIN, i64::MAX] {
            assert_eq!(text(|s| push_i64(s, n)), serde_json::to_string(&n).unwrap());
        }
        let floats = [0.0, -0.0, 0.5, 12.0, 3.25, 2.6666666666666665, 29.97, 1e21, 1e-7, 5e-324, f64::MAX, -1.5e300];
        for x in floats {
            assert_eq!(text(|s| push_f64(s, x)), serde_json::to_string(&x).unwrap(), "{x:e}");
            // And as a message shows a float param (serde_json's Display of a value).
            assert_eq!(text(|s| push_value(s, &Value::from(x))), Value::from(x).to_string(), "{x:e}");
        }
        assert_eq!(text(|s| push_f64(s, f64::NAN)), "null");
    }

    #[test]
    fn strings_with_every_escape() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é 提示词 \u{2028}\u{FFFF}\u{10FFFF} 🎬 \"quoted\" back\\slash");
        for s in ["", "plain", "\"", "\\", "a\nb\tc\r\u{8}\u{c}\u{0}\u{1f}\u{7f}", all.as_str()] {
            assert_eq!(text(|o| push_quoted(o, s)), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn values_as_serde_json_writes_them() {
        let v = json!({"b": [1, -2, 3.5, null, true, false, "x\"y"], "a": {"z": {}, "y": []}, "": 12.0});
        assert_eq!(text(|s| push_value(s, &v)), serde_json::to_string(&v).unwrap());
    }

    /// The report as serde_json wrote it before (`JsReport`/`JsIssue` with derive): the
    /// straightforward reading the hand-written one must equal.
    fn reference(report: &Report, locale: Locale) -> Value {
        let issue = |i: &Issue| {
            let mut o = serde_json::Map::new();
            o.insert("code".into(), json!(i.code.as_str()));
            o.insert("path".into(), serde_json::to_value(&i.path).unwrap());
            o.insert("label".into(), json!(labels::label(&i.path, locale)));
            o.insert("message".into(), json!(messages::render(i, locale)));
            if !i.params.is_empty() {
                let params: serde_json::Map<String, Value> =
                    i.params.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
                o.insert("params".into(), Value::Object(params));
            }
            if let Some(f) = &i.fix {
                o.insert("fix".into(), serde_json::to_value(f).unwrap());
            }
            Value::Object(o)
        };
        json!({
            "valid": report.valid(),
            "scenario": report.scenario.as_str(),
            "errors": report.errors().map(issue).collect::<Vec<_>>(),
            "warnings": report.warnings().map(issue).collect::<Vec<_>>(),
            "unverified": serde_json::to_value(&report.unverified).unwrap(),
        })
    }

    fn check(report: &Report) {
        for locale in [Locale::En, Locale::Zh] {
            let written = report_json(report, locale);
            let read: Value = serde_json::from_str(&written).unwrap_or_else(|e| panic!("{e}: {written}"));
            assert_eq!(read, reference(report, locale), "{written}");
        }
    }

    #[test]
    fn a_report_with_every_part() {
        let report = Report {
            scenario: Scenario::FirstFrame,
            issues: vec![
                Issue::new(Code::TextTooLong, path!["prompt"]).with("limit", 2500).with("actual", 2612),
                Issue::new(Code::UnknownField, path!["se\"ed\n"]).with("field", "se\"ed\n").with("provider", "o1"),
                Issue::new(Code::VideoDuration, path!["video_list", 0, "video_url"])
                    .with("actual", 12.0)
                    .with("min", 3)
                    .with("max", 10)
                    .with("actual", 2.5),
                Issue::new(Code::InvalidType, path!["duration"])
                    .with("expected", "string")
                    .with("actual", "number")
                    .with_fix(Fix::replace(path!["duration"], "5")),
                Issue::new(Code::FieldIgnored, path!["aspect_ratio"]).with("reason", "video_edit").fix_by_removing(),
                Issue::new(Code::Required, path![]),
            ],
            unverified: vec![path!["image_list", 0, "image_url"], path![]],
        };
        check(&report);
        check(&Report { scenario: Scenario::TextToVideo, issues: vec![], unverified: vec![] });
    }

    #[test]
    fn every_request_of_the_benches_and_fuzz_seeds() {
        let root = env!("CARGO_MANIFEST_DIR");
        let cases: Value =
            serde_json::from_str(&std::fs::read_to_string(format!("{root}/benches/requests.json")).unwrap()).unwrap();
        let mut n = 0;
        for c in cases.as_array().unwrap() {
            let provider: crate::Provider = c["provider"].as_str().unwrap().parse().unwrap();
            let media = c.get("media").map(|m| crate::MediaFacts::from_json(m).unwrap()).unwrap_or_default();
            check(&crate::rules::validate(provider, &c["request"], &media).unwrap());
            n += 1;
        }
        for entry in std::fs::read_dir(format!("{root}/fuzz/seeds/validate")).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            // The JSON text, before the media bytes that may follow a 0xFF.
            let json = bytes.split(|&b| b == 0xff).next().unwrap_or_default();
            let text = String::from_utf8_lossy(json);
            for provider in [crate::Provider::O1, crate::Provider::V3, crate::Provider::Kling] {
                if let Ok(report) = crate::rules::validate_json(provider, &text, &crate::MediaFacts::default()) {
                    check(&report);
                    n += 1;
                }
            }
        }
        assert!(n > 60, "{n}");
    }
}
