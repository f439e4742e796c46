//! Native timing of the validator on the requests every runner of `make bench` shares
//! (`benches/requests.json`): the cost of the rules without the wasm boundary.
//!
//! A plain timing loop (`harness = false`), not criterion: `make bench` needs one median per
//! call to set beside the Chromium figures, and criterion's statistics, plots and ~40 extra
//! crates would cost minutes of build on the 2-core machine for no figure we report.
//!
//! Prints one JSON object on stdout: per request, median nanoseconds per call of
//! `validate` (a serde_json value, read through `Doc::from_value`), of `validate_json` (the
//! text read in one pass and the rules: the core of the wasm's `validate()`, and the figure
//! issue 15's native target is measured on), of `validate_json` + every message rendered,
//! and the verdict.

use kling_omni::{validate, validate_json, Locale, MediaFacts, Provider};
use serde_json::Value;
use std::hint::black_box;
use std::time::Instant;

const REQUESTS: &str = include_str!("requests.json");

/// Median of `rounds` rounds, each timing `batch` calls; nanoseconds per call.
fn median_ns(rounds: usize, batch: usize, mut f: impl FnMut()) -> f64 {
    let mut per_call: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                f();
            }
            t.elapsed().as_nanos() as f64 / batch as f64
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[per_call.len() / 2]
}

fn main() {
    let cases: Vec<Value> = serde_json::from_str(REQUESTS).expect("benches/requests.json");
    let quick = std::env::args().any(|a| a == "--quick");
    let (rounds, batch) = if quick { (5, 20) } else { (31, 200) };
    let mut out = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let provider: Provider = case["provider"].as_str().unwrap_or("").parse().expect("provider");
        let request = &case["request"];
        let text = request.to_string();
        let media: MediaFacts = match case.get("media") {
            Some(m) => serde_json::from_value(m.clone()).expect("media facts"),
            None => MediaFacts::default(),
        };
        let report = validate(provider, request, &media).expect("an object");
        let value_ns = median_ns(rounds, batch, || {
            black_box(validate(provider, black_box(request), &media).ok());
        });
        // What the wasm's validate() runs: the text read in one pass, then the rules.
        let read_ns = median_ns(rounds, batch, || {
            black_box(validate_json(provider, black_box(&text), &media).ok());
        });
        let text_ns = median_ns(rounds, batch, || {
            let r = validate_json(provider, black_box(&text), &media).expect("JSON");
            let messages: Vec<String> = r.issues.iter().map(|i| kling_omni::messages::render(i, Locale::En)).collect();
            black_box(messages);
        });
        out.push(serde_json::json!({
            "name": name,
            "valid": report.valid(),
            "codes": report.codes(),
            "value_ns": value_ns,
            "text_ns": read_ns,
            "text_and_messages_ns": text_ns,
        }));
    }
    println!("{}", serde_json::json!({ "requests": out }));
}
