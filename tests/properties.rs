//! Property tests: requests generated from each provider's value spaces (every documented
//! value, the boundaries, wrong types, absent, `null`, unknown keys), with media facts from
//! theirs (NaN and infinities included), and arbitrary bytes for the media readers.
//!
//! - `validate` never panics and is deterministic; every issue's path exists in the request
//!   or names a missing required field; messages render; a request the validator calls valid
//!   reads the same after a JSON round trip (`support/invariants.rs`, shared with `fuzz/`);
//! - the generators are not vacuous: they reach valid requests and most rule codes;
//! - random bytes, and mutated real headers, give the readers a value or a typed error.
//!
//! Native only (proptest is a dev-dependency for non-wasm targets).
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/requests.rs"]
mod requests;
mod support;

use kling_omni::media::bmff::{parse_moov, read_video, MoovLocator, Step, HEADER_READ, MAX_MOOV};
use kling_omni::media::image::{read_header, HeaderError};
use kling_omni::media::{sniff, Format};
use kling_omni::rules::base64;
use kling_omni::{validate, validate_json, ArgumentError, Code, MediaFacts, Provider};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use requests::{kling_request, media, o1_request, request, v3_request, Noise, PNG_300};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use support::bx;
use support::invariants::validate_checked;

// ---------------------------------------------------------------- validate

proptest! {
    #![proptest_config(Config { cases: 400, ..Config::default() })]

    #[test]
    fn o1_reports_keep_their_invariants(req in o1_request(Noise(1)), media in media()) {
        validate_checked(Provider::O1, &req, &media).expect("an object");
    }

    #[test]
    fn v3_reports_keep_their_invariants(req in v3_request(Noise(1)), media in media()) {
        validate_checked(Provider::V3, &req, &media).expect("an object");
    }

    #[test]
    fn kling_reports_keep_their_invariants(req in kling_request(Noise(1)), media in media()) {
        validate_checked(Provider::Kling, &req, &media).expect("an object");
    }

    /// Kling's own API takes O1's body for `kling-video-o1` with O1's rules unchanged: the
    /// same (code, path) pairs for every O1 request that names that model or none.
    #[test]
    fn kling_video_o1_reports_as_o1(req in o1_request(Noise(1)), media in media()) {
        let model = req.get("model_name");
        prop_assume!(model.is_none() || model == Some(&json!("kling-video-o1")));
        let pairs = |p: Provider| -> Vec<(String, String)> {
            let r = validate(p, &req, &media).unwrap();
            r.issues.iter().map(|i| (i.code.as_str().to_string(), serde_json::to_string(&i.path).unwrap())).collect()
        };
        prop_assert_eq!(pairs(Provider::O1), pairs(Provider::Kling));
    }

    /// Requests from the documented values only: many are valid, so the round trip is
    /// exercised on valid requests too.
    #[test]
    fn documented_values_keep_the_invariants(o1 in o1_request(Noise(0)), v3 in v3_request(Noise(0))) {
        validate_checked(Provider::O1, &o1, &MediaFacts::default()).expect("an object");
        validate_checked(Provider::V3, &v3, &MediaFacts::default()).expect("an object");
    }

    /// Each provider's requests under the other's rules: all unknown fields and wrong shapes.
    #[test]
    fn requests_of_the_other_provider(o1 in o1_request(Noise(1)), v3 in v3_request(Noise(1))) {
        validate_checked(Provider::V3, &o1, &MediaFacts::default()).expect("an object");
        validate_checked(Provider::O1, &v3, &MediaFacts::default()).expect("an object");
    }

    /// JSON text: the same report as the parsed value, and text that is not a JSON object is
    /// an argument error of the right kind.
    #[test]
    fn json_text_gives_the_same_report(req in o1_request(Noise(1)), cut in 0usize..200, junk in "[ -~]{0,40}") {
        let text = serde_json::to_string(&req).unwrap();
        prop_assert_eq!(validate_json(Provider::O1, &text, &MediaFacts::default()).ok(), validate(Provider::O1, &req, &MediaFacts::default()).ok());
        let cut = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
        match validate_json(Provider::O1, &text[..cut], &MediaFacts::default()) {
            Ok(_) => prop_assert_eq!(cut, text.len()),
            Err(e) => prop_assert!(matches!(e, ArgumentError::NotJson(_)), "{e:?}"),
        }
        match kling_omni::rules::parse_json(&junk) {
            Ok(v) if v.is_object() => {}
            Ok(_) => prop_assert!(matches!(validate_json(Provider::V3, &junk, &MediaFacts::default()), Err(ArgumentError::NotAnObject(_)))),
            Err(_) => prop_assert!(matches!(validate_json(Provider::V3, &junk, &MediaFacts::default()), Err(ArgumentError::NotJson(_)))),
        }
    }
}

/// The generators reach valid requests and most codes: the properties above are not
/// checked against a corner of the space only.
#[test]
fn generators_reach_valid_requests_and_most_codes() {
    for provider in Provider::ALL {
        let mut runner = TestRunner::deterministic();
        let (mut valid, mut codes) = (0, BTreeSet::new());
        for n in [Noise(0), Noise(1)] {
            let strategy = (request(provider, n), media());
            for _ in 0..1000 {
                let (req, facts) = strategy.new_tree(&mut runner).unwrap().current();
                let r = validate(provider, &req, &facts).unwrap();
                valid += usize::from(r.valid() && n.0 == 0);
                codes.extend(r.issues.iter().map(|i| i.code));
            }
        }
        let missing: Vec<&str> = Code::ALL.iter().filter(|c| !codes.contains(c)).map(|c| c.as_str()).collect();
        assert!(valid >= 50, "{provider}: {valid} valid requests in 1000 from documented values");
        // Every code but those of the other provider's fields.
        let other: &[&str] = match provider {
            Provider::O1 => &[
                "sound_with_video",
                "shot_type_required",
                "multi_prompt_required",
                "multi_prompt_count",
                "shot_index",
                "shot_duration",
                "shot_duration_sum",
            ],
            Provider::V3 => {
                &["element_id_invalid", "aspect_ratio_not_supported", "callback_url_invalid", "too_many_elements"]
            }
            Provider::Kling => &[],
        };
        assert_eq!(missing, other, "{provider}: codes never produced");
    }
}

// ---------------------------------------------------------------- media readers

/// A PNG, JPEG, GIF and WebP header, an MP4 with its moov, as the mutation bases.
fn real_headers() -> Vec<Vec<u8>> {
    let b64 = |s: &str| base64::decode_prefix(s, usize::MAX);
    let mut png = b64(PNG_300);
    png.truncate(33);
    let jpeg = [
        &[0xFF, 0xD8, 0xFF, 0xE1, 0, 34][..],
        b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0",
        &[0xFF, 0xC0, 0, 17, 8, 1, 0x2C, 1, 0xE0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
    ]
    .concat();
    let gif = b"GIF89a\x2c\x01\x2c\x01\0\0\0".to_vec();
    let webp = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0\x2b\x01\0\x2b\x01\0".to_vec();
    let mvhd = bx(b"mvhd", &[&[0u8; 12][..], &1000u32.to_be_bytes(), &5000u32.to_be_bytes(), &[0u8; 80]].concat());
    let tkhd = bx(b"tkhd", &[&[0u8; 76][..], &(1280u32 << 16).to_be_bytes(), &(720u32 << 16).to_be_bytes()].concat());
    let hdlr = bx(b"hdlr", &[&[0u8; 8][..], b"vide", &[0u8; 12]].concat());
    let stts =
        bx(b"stts", &[&[0u8; 4][..], &1u32.to_be_bytes(), &150u32.to_be_bytes(), &1000u32.to_be_bytes()].concat());
    let mdhd = bx(b"mdhd", &[&[0u8; 12][..], &30000u32.to_be_bytes(), &150000u32.to_be_bytes(), &[0u8; 4]].concat());
    let mdia = bx(b"mdia", &[mdhd, hdlr, bx(b"minf", &bx(b"stbl", &stts))].concat());
    let moov = bx(b"moov", &[mvhd, bx(b"trak", &[tkhd, mdia].concat())].concat());
    let mp4 = [bx(b"ftyp", b"isom\0\0\x02\0isom"), bx(b"mdat", &[0u8; 64]), moov].concat();
    vec![png, jpeg, gif, webp, mp4]
}

/// Every reader on the same bytes; checks what each promises.
fn read_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    let format = sniff(bytes);
    match read_header(bytes) {
        Ok(h) => {
            prop_assert_eq!(h.format, format);
            prop_assert!(h.width >= 1 && h.height >= 1);
        }
        Err(HeaderError::NeedMore { len }) => prop_assert!(len > bytes.len() as u64),
        Err(_) => {}
    }
    if let Ok((h, _)) = read_video(bytes) {
        prop_assert!(format.is_bmff_video() && matches!(h.rotation, 0 | 90 | 180 | 270));
    }
    let _ = parse_moov(Format::Mp4, bytes);
    let mut loc = MoovLocator::new(bytes.len() as u64 + 1000);
    let mut step = loc.start();
    for _ in 0..10_000 {
        match step {
            Step::Read { offset, len } => {
                prop_assert!(len <= HEADER_READ);
                let mut b = bytes.get(offset as usize..).unwrap_or(&[]).to_vec();
                b.resize(len as usize, 0);
                match loc.feed(&b) {
                    Ok(s) => step = s,
                    Err(_) => return Ok(()),
                }
            }
            Step::Moov { len, .. } => {
                prop_assert!(len <= MAX_MOOV);
                return Ok(());
            }
        }
    }
    prop_assert!(false, "the walk did not end");
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 1000, ..Config::default() })]

    #[test]
    fn random_bytes_never_panic_a_reader(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        read_all(&bytes)?;
    }

    #[test]
    fn mutated_headers_never_panic_a_reader(
        which in 0usize..5,
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut b = real_headers().swap_remove(which);
        for (at, byte) in edits {
            let i = at.index(b.len());
            b[i] = byte;
        }
        let keep = cut.index(b.len() + 1);
        read_all(&b)?;
        read_all(&b[..keep])?;
    }

    #[test]
    fn base64_ranges_are_slices_of_the_whole(data in prop::collection::vec(any::<u8>(), 0..300), offset in 0u64..400, len in 0u64..400, pad in any::<bool>()) {
        let s = support::base64(&data, pad);
        if data.is_empty() {
            prop_assert_eq!(base64::check(&s), Err(base64::Problem::Empty));
        } else {
            prop_assert_eq!(base64::check(&s), Ok(data.len() as u64));
        }
        let start = (offset as usize).min(data.len());
        let end = start.saturating_add(len as usize).min(data.len());
        prop_assert_eq!(base64::decode_range(&s, offset, len), data[start..end].to_vec());
    }
}

#[test]
fn the_mutation_bases_are_read() {
    let headers = real_headers();
    let sizes: Vec<(u32, u32)> =
        headers[..4].iter().map(|b| read_header(b).map(|h| (h.width, h.height)).unwrap()).collect();
    assert_eq!(sizes, [(300, 300), (480, 300), (300, 300), (300, 300)]);
    let (v, _) = read_video(&headers[4]).unwrap();
    assert_eq!((v.width, v.height, v.duration, v.fps.map(|f| f.avg)), (Some(1280), Some(720), Some(5.0), Some(30.0)));
}

// ---------------------------------------------------------------- long image_urls (issue 15)

/// What the wasm layer does with a long `image_url` (`src/wasm/long.rs`), here for strings of
/// any length but 0: Base64 `check` accepts, bare or behind a short `data:` prefix, is replaced by a
/// marker and summarised; anything else stays whole.
struct Summaries {
    items: Vec<Summary>,
    heads: Vec<Box<dyn Fn(usize) -> String>>,
}

impl kling_omni::rules::long::LongStrings for Summaries {
    fn image_url(&self, s: &str) -> Option<kling_omni::rules::long::LongImage<'_>> {
        let i: usize = s.strip_prefix("\u{1}kling-long:test:")?.parse().ok()?;
        let (data_prefix, base64) = self.items.get(i)?.clone();
        Some(kling_omni::rules::long::LongImage { data_prefix, base64, head: self.heads[i].as_ref() })
    }
}

/// A `data:` prefix, and the Base64's length and padding when it is from the alphabet.
type Summary = (Option<String>, Option<(u64, u64)>);

/// Length and padding of Base64 `check` accepts (what the wasm layer's `atob` test accepts).
fn alphabet(d: &str) -> Option<(u64, u64)> {
    base64::check(d).ok()?;
    Some((d.len() as u64, d.bytes().rev().take_while(|&b| b == b'=').count() as u64))
}

fn summarise_all(v: &mut Value, s: &mut Summaries) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| summarise_all(i, s)),
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if let (true, Value::String(url)) = (k == "image_url" && x.as_str() != Some(""), &*x) {
                    let summary = if url.len() >= 5 && url.as_bytes()[..5].eq_ignore_ascii_case(b"data:") {
                        url.find(',').filter(|&c| url[..c].encode_utf16().count() <= 4096).and_then(|c| {
                            Some((Some(url[..c].to_string()), Some(alphabet(&url[c + 1..])?), url[c + 1..].to_string()))
                        })
                    } else {
                        alphabet(url).map(|b| (None, Some(b), url.clone()))
                    };
                    if let Some((prefix, base64, data)) = summary {
                        s.heads.push(Box::new(move |n| data.chars().take(n).collect()));
                        s.items.push((prefix, base64));
                        *x = Value::String(format!("\u{1}kling-long:test:{}", s.items.len() - 1));
                    }
                } else {
                    summarise_all(x, s);
                }
            }
        }
        _ => {}
    }
}

/// The report from summaries is the report from the whole strings.
fn same_report_summarised(p: Provider, req: &Value, media: &MediaFacts) -> Result<(), TestCaseError> {
    let mut summarised = req.clone();
    let mut s = Summaries { items: Vec::new(), heads: Vec::new() };
    summarise_all(&mut summarised, &mut s);
    let whole = validate(p, req, media).unwrap();
    let long = kling_omni::rules::validate_with(p, &summarised, media, Some(&s)).unwrap();
    prop_assert_eq!(whole, long);
    Ok(())
}

proptest! {
    #![proptest_config(Config { cases: 300, ..Config::default() })]

    /// Images handed over as summaries (the wasm layer's path for long strings) report as the
    /// whole strings do, for every provider.
    #[test]
    fn summarised_o1_images_report_as_whole_strings(req in o1_request(Noise(1)), media in media()) {
        same_report_summarised(Provider::O1, &req, &media)?;
    }

    #[test]
    fn summarised_v3_images_report_as_whole_strings(req in v3_request(Noise(1)), media in media()) {
        same_report_summarised(Provider::V3, &req, &media)?;
    }

    #[test]
    fn summarised_kling_images_report_as_whole_strings(req in kling_request(Noise(1)), media in media()) {
        same_report_summarised(Provider::Kling, &req, &media)?;
    }
}

/// Long images whose header needs more than the first 64 KB (a JPEG behind a large EXIF
/// block), behind a `data:` prefix, and of every length modulo 4.
#[test]
fn long_images_report_as_whole_strings() {
    let enc = |b: &[u8]| support::base64(b, true);
    let png = |w: u32, h: u32, len: usize| {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        b.resize(len, 0);
        b
    };
    let jpeg = |exif: usize, w: u16, h: u16| {
        let mut b = vec![0xff, 0xd8];
        for _ in 0..exif / 65_000 + 1 {
            b.extend([0xff, 0xe1, 0xfd, 0xe8]);
            b.resize(b.len() + 65_000 - 2, 0x20);
        }
        b.extend([0xff, 0xc0, 0, 17, 8]);
        b.extend(h.to_be_bytes());
        b.extend(w.to_be_bytes());
        b.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        b.extend([0xff, 0xd9]);
        b
    };
    let mut urls = Vec::new();
    for bytes in [
        png(1000, 800, 200_000),
        png(200, 100, 300_001),
        jpeg(300_000, 1920, 1080),
        jpeg(100_000, 4000, 1000),
        jpeg(0, 320, 320),
    ] {
        let b = enc(&bytes);
        urls.push(b.clone());
        urls.push(b.trim_end_matches('=').to_string());
        urls.push(format!("data:image/jpeg;base64,{b}"));
        urls.push(format!("DATA:;base64,{b}="));
        urls.push(format!("{b}A"));
        urls.push(format!("{}\n{}", &b[..100], &b[100..]));
        urls.push(b.replace('+', "-"));
    }
    urls.push(format!("data:{},AAAA", "x".repeat(5000)));
    for url in urls {
        for p in Provider::ALL {
            let req = match p {
                Provider::V3 => {
                    json!({"model": "kling-v3-omni", "input": {"prompt": "x"}, "parameters": {"aspect_ratio": "1:1", "image_list": [{"image_url": url}]}})
                }
                _ => json!({"prompt": "x", "image_list": [{"image_url": url, "type": "first_frame"}]}),
            };
            same_report_summarised(p, &req, &MediaFacts::default()).unwrap();
        }
    }
}
