//! The Base64 path: `check`, `decode_prefix`, `decode_range` (how the page reads a Base64
//! image or video a few bytes at a time) and a Base64 `image_url` through `validate`.
//!
//! Input: two little-endian u16 (an offset and a length for `decode_range`), then the text.
//! Checked against a plain reference decoder: the length `check` gives is the decoded
//! length; a prefix or range is exactly that part of the decoded bytes.
#![no_main]

use kling_omni::rules::base64::{check, decode_prefix, decode_range};
use kling_omni::{path, validate, Code, MediaFacts, Provider};
use libfuzzer_sys::fuzz_target;
use serde_json::json;

/// The reference: decode every character of the standard alphabet, stop at `=`.
fn reference(s: &str) -> Vec<u8> {
    let sextet = |b: u8| match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => unreachable!("check accepted {b}"),
    };
    let sextets: Vec<u32> = s.bytes().take_while(|&b| b != b'=').map(|b| u32::from(sextet(b))).collect();
    let mut out = Vec::with_capacity(sextets.len() / 4 * 3 + 3);
    for g in sextets.chunks(4) {
        let acc = g.iter().enumerate().fold(0u32, |acc, (i, v)| acc | v << (18 - 6 * i));
        out.extend_from_slice(&acc.to_be_bytes()[1..g.len()]);
    }
    out
}

fuzz_target!(|input: (u16, u16, &str)| {
    let (offset, len, s) = input;
    match check(s) {
        Ok(n) => {
            let full = reference(s);
            assert_eq!(n, full.len() as u64, "check's length");
            assert_eq!(decode_prefix(s, usize::MAX), full);
            let k = usize::from(len);
            let prefix = decode_prefix(s, k);
            assert!(full.starts_with(&prefix) && prefix.len() >= k.min(full.len()));
            let start = usize::from(offset).min(full.len());
            let end = start.saturating_add(usize::from(len)).min(full.len());
            assert_eq!(decode_range(s, u64::from(offset), u64::from(len)), &full[start..end]);
        }
        Err(_) => {
            // Never panics on text it refused either (the page may hand it anything).
            let _ = decode_prefix(s, usize::from(len));
            let _ = decode_range(s, u64::from(offset), u64::from(len));
        }
    }
    // Through the validator, raw and behind a data: prefix, for both providers.
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let raw = !(lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("data:"));
    for (url, code) in [(s.to_string(), None), (format!("data:image/png;base64,{s}"), Some(Code::Base64DataUriPrefix))] {
        let o1 = json!({"prompt": "x", "image_list": [{"image_url": url}]});
        let v3 = json!({"model": "kling-v3-omni", "input": {"prompt": "x"}, "parameters": {"image_list": [{"image_url": url}]}});
        for (provider, request) in [(Provider::O1, o1), (Provider::V3, v3)] {
            let report = validate(provider, &request, &MediaFacts::default()).unwrap();
            let path = match provider {
                Provider::O1 | Provider::Kling => path!["image_list", 0, "image_url"],
                Provider::V3 => path!["parameters", "image_list", 0, "image_url"],
            };
            match code {
                Some(code) => assert!(report.has(code, &path)),
                None if raw => {
                    // Base64 is read from its bytes (never unverified); anything else is refused.
                    assert_eq!(report.has(Code::ImageUrlInvalid, &path), check(s).is_err(), "{:?}", report.codes());
                    assert!(report.unverified.is_empty());
                }
                None => {}
            }
        }
    }
});
