//! `validate` on arbitrary bytes as JSON text, for both providers, with arbitrary media facts.
//!
//! Input: JSON text, optionally followed by a 0xFF byte (never in UTF-8) and the bytes the
//! media facts are built from. Checked: no panic, and the invariants of
//! `tests/support/invariants.rs` (paths exist or name a missing field, messages render,
//! deterministic, a valid request survives a JSON round trip); `allowed_options` too.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use kling_omni::{allowed_options, validate_json, ImageFacts, MediaFacts, Provider, VideoFacts};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

#[path = "../../tests/support/invariants.rs"]
mod invariants;

/// A number as the page could hand it: the boundaries the rules care about, the values
/// JSON cannot hold, and anything else.
#[derive(Arbitrary, Debug)]
enum Num {
    Special(u8),
    Int(u32),
    Any(f64),
}

const SPECIAL: &[f64] = &[
    f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0, -1.0, 1.0, 2.999, 3.0, 10.05, 10.06, 23.9, 24.0, 60.0,
    60.01, 299.0, 300.0, 719.0, 720.0, 2160.0, 2161.0, 10_485_760.0, 10_485_761.0, 209_715_200.0, 209_715_201.0,
    1e308, f64::MAX, f64::MIN_POSITIVE, 4_294_967_296.0, 9_007_199_254_740_993.0,
];

impl Num {
    fn value(&self) -> f64 {
        match self {
            Num::Special(i) => SPECIAL[*i as usize % SPECIAL.len()],
            Num::Int(n) => f64::from(*n),
            Num::Any(x) => *x,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Fmt {
    Known(u8),
    Any(String),
}

const FORMATS: &[&str] = &["jpeg", "jpg", "png", "gif", "webp", "JPEG", "mp4", "mov", "quicktime", "webm", "unknown", ""];

impl Fmt {
    fn value(&self) -> String {
        match self {
            Fmt::Known(i) => FORMATS[*i as usize % FORMATS.len()].to_string(),
            Fmt::Any(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Image {
    format: Option<Fmt>,
    bytes: Option<Num>,
    width: Option<Num>,
    height: Option<Num>,
}

#[derive(Arbitrary, Debug)]
struct Video {
    format: Option<Fmt>,
    bytes: Option<Num>,
    duration: Option<Num>,
    width: Option<Num>,
    height: Option<Num>,
    fps: Option<Num>,
}

#[derive(Arbitrary, Debug)]
struct Facts {
    images: Vec<Option<Image>>,
    video: Option<Video>,
}

fn n(x: &Option<Num>) -> Option<f64> {
    x.as_ref().map(Num::value)
}

impl Facts {
    fn media(&self) -> MediaFacts {
        MediaFacts {
            images: self
                .images
                .iter()
                .map(|i| {
                    i.as_ref().map(|i| ImageFacts {
                        format: i.format.as_ref().map(Fmt::value),
                        bytes: n(&i.bytes),
                        width: n(&i.width),
                        height: n(&i.height),
                    })
                })
                .collect(),
            video: self.video.as_ref().map(|v| VideoFacts {
                format: v.format.as_ref().map(Fmt::value),
                bytes: n(&v.bytes),
                duration: n(&v.duration),
                width: n(&v.width),
                height: n(&v.height),
                fps: n(&v.fps),
            }),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (text, rest) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    let media = Facts::arbitrary_take_rest(Unstructured::new(rest)).map(|f| f.media()).unwrap_or_default();
    let parsed: Option<Value> = kling_omni::rules::parse_json(&text).ok();
    for provider in Provider::ALL {
        let from_text = validate_json(provider, &text, &media);
        match &parsed {
            // Text that is not JSON (depth over 128, numbers out of range, bad syntax) is an
            // argument error, never a panic.
            None => assert!(from_text.is_err()),
            Some(value) => {
                let report = invariants::validate_checked(provider, value, &media);
                assert_eq!(from_text.ok(), report, "validate_json and validate differ");
                let options = allowed_options(provider, value);
                assert_eq!(options.is_ok(), value.is_object());
            }
        }
    }
});
