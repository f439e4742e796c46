//! Issue 15: "no allocation on a valid request beyond the report". Reading the text (the
//! tape and its string buffer are reused between calls), the view (lists on the stack) and
//! the rules (paths built only for issues) allocate nothing on a valid request whose report
//! is empty; a report allocates only for what it holds.

#[path = "support/bounded.rs"]
#[allow(dead_code)] // The time and memory bounds are the hostile suites'; this one counts calls.
mod bounded;

use bounded::{allocations, alone};
use kling_omni::{validate_json, MediaFacts, Provider};
use serde_json::Value;

/// The shared bench requests (all three providers, both `kling` models).
fn requests() -> Vec<(String, Provider, String, MediaFacts)> {
    let cases: Vec<Value> = serde_json::from_str(include_str!("../benches/requests.json")).unwrap();
    cases
        .iter()
        .map(|c| {
            let media = c.get("media").map(|m| MediaFacts::from_json(m).unwrap()).unwrap_or_default();
            let provider: Provider = c["provider"].as_str().unwrap().parse().unwrap();
            (c["name"].as_str().unwrap().to_string(), provider, c["request"].to_string(), media)
        })
        .collect()
}

#[test]
fn a_valid_request_with_an_empty_report_allocates_nothing() {
    let _alone = alone();
    let mut checked = Vec::new();
    for (name, provider, text, media) in requests() {
        // Warm: the first call on the thread makes the reusable tape.
        let first = validate_json(provider, &text, &media).unwrap();
        if !(first.issues.is_empty() && first.unverified.is_empty()) {
            continue;
        }
        let (report, calls) = allocations(|| validate_json(provider, &text, &media).unwrap());
        assert!(report.valid());
        // A Base64 image's header is decoded into one buffer: its only allocation.
        let base64_images =
            text.matches(r#""image_url":"iVBOR"#).count() + text.matches(r#""image_url":"/9j/"#).count();
        assert_eq!(calls, base64_images, "{name}: {calls} allocations");
        checked.push(name);
    }
    // The set covers every provider and both kinds of list; it must not shrink unnoticed.
    assert!(checked.len() >= 8, "only {} requests with an empty report: {checked:?}", checked.len());
}

#[test]
fn a_report_allocates_for_what_it_holds() {
    let _alone = alone();
    // An unverified image URL: the report's list and the path are all that is allocated.
    let text = r#"{"prompt":"a cat","aspect_ratio":"16:9","image_list":[{"image_url":"https://example.com/a.png"}]}"#;
    validate_json(Provider::O1, text, &MediaFacts::default()).unwrap();
    let (report, calls) = allocations(|| validate_json(Provider::O1, text, &MediaFacts::default()).unwrap());
    assert_eq!(report.unverified.len(), 1);
    // The unverified list and its path `image_list[0].image_url` (a Vec; the keys the rules
    // name are borrowed).
    assert_eq!(calls, 2, "{calls} allocations");
}
