//! Hostile inputs: each gives a report with the expected code, or a typed error, in bounded
//! time and memory. Memory is measured: this binary counts every allocation, and each test
//! runs alone (one lock) so the peak it sees is its own.
//!
//! The JavaScript-only cases (lone surrogates, objects nested past the JSON depth,
//! `__proto__` as a JS key, NaN from a page) are in the browser suite, `tests/web_hostile.rs`.
//! Native only: the wasm32 suites run in a browser with their own allocator.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/bounded.rs"]
mod bounded;
mod support;

use bounded::{alone, bounded, MB};
use kling_omni::media::bmff::{parse_moov, read_video, BmffError, MoovLocator, Step, MAX_MOOV};
use kling_omni::media::image::{read_header, HeaderError};
use kling_omni::media::Format;
use kling_omni::rules::base64;
use kling_omni::{
    path, validate, validate_json, ArgumentError, Code, ImageFacts, MediaFacts, Provider, Report, VideoFacts,
};
use serde_json::{json, Value};
use support::bx;

fn none() -> MediaFacts {
    MediaFacts::default()
}

fn o1(body: Value) -> Value {
    let mut r = json!({"prompt": "a cat", "aspect_ratio": "16:9"});
    r.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
    r
}

fn v3(params: Value) -> Value {
    json!({"model": "kling-v3-omni", "input": {"prompt": "a cat"}, "parameters": params})
}

fn count(r: &Report, code: Code) -> usize {
    r.issues.iter().filter(|i| i.code == code).count()
}

// ---------------------------------------------------------------- big text and lists

#[test]
fn a_50_mb_prompt_is_too_long_and_costs_no_copy() {
    let _alone = alone();
    let r = bounded(
        || o1(json!({"prompt": "猫".repeat(50 * MB / 3)})),
        10,
        64 * 1024,
        |req| validate(Provider::O1, req, &none()).unwrap(),
    );
    assert!(r.has(Code::TextTooLong, path!["prompt"].as_slice()));
    assert_eq!(r.issues[0].param("actual"), Some(&json!(50 * MB / 3)));
    // As JSON text: parsing holds the text once more, nothing else.
    let text = serde_json::to_string(&o1(json!({"prompt": "x".repeat(50 * MB)}))).unwrap();
    let r = bounded(|| text, 10, 51 * MB, |t| validate_json(Provider::O1, t, &none()).unwrap());
    assert_eq!(r.codes(), ["text_too_long"]);
}

#[test]
fn a_50_mb_prompt_of_placeholders_reports_at_most_100() {
    let _alone = alone();
    let prompt = || v3(json!({"aspect_ratio": "16:9"})).tap_prompt("<<<image_9>>><<<x>>>".repeat(50 * MB / 20));
    let r = bounded(prompt, 10, MB, |req| validate(Provider::V3, req, &none()).unwrap());
    assert_eq!(count(&r, Code::TextTooLong), 1);
    assert_eq!(count(&r, Code::PlaceholderOutOfRange) + count(&r, Code::PlaceholderUnknown), 100);
    assert!(r.has(Code::PlaceholderOutOfRange, path!["input", "prompt"].as_slice()));
}

trait TapPrompt {
    fn tap_prompt(self, p: String) -> Value;
}
impl TapPrompt for Value {
    fn tap_prompt(mut self, p: String) -> Value {
        self["input"]["prompt"] = json!(p);
        self
    }
}

#[test]
fn lists_of_100_000_items_report_their_counts() {
    let _alone = alone();
    const N: usize = 100_000;
    // At most 1 KB per item, whatever the list. 100 000 images with 100 000 facts, NaN and
    // all: counted once, each left unverified.
    let img = json!({"image_url": "https://example.com/a.jpg"});
    let facts = MediaFacts {
        images: vec![
            Some(ImageFacts {
                format: Some("png".into()),
                bytes: Some(f64::NAN),
                width: Some(f64::INFINITY),
                height: Some(-0.0)
            });
            N
        ],
        video: None,
    };
    let r = bounded(
        || o1(json!({"image_list": vec![img.clone(); N]})),
        20,
        N * 1024,
        |req| validate(Provider::O1, req, &facts).unwrap(),
    );
    assert!(r.has(Code::TooManyReferences, path!["image_list"].as_slice()));
    assert_eq!(r.issues.len(), 1);
    assert_eq!(r.unverified.len(), N);

    let r = bounded(
        || o1(json!({"element_list": vec![json!({"element_id": 0}); N]})),
        20,
        N * 1024,
        |req| validate(Provider::O1, req, &none()).unwrap(),
    );
    assert!(r.has(Code::TooManyReferences, path!["element_list"].as_slice()));
    assert_eq!(count(&r, Code::ElementIdInvalid), N);

    let vid = json!({"video_url": "https://example.com/v.mp4", "refer_type": "feature"});
    let r = bounded(
        || v3(json!({"aspect_ratio": "16:9", "video_list": vec![vid.clone(); N]})),
        20,
        N * 1024,
        |req| validate(Provider::V3, req, &none()).unwrap(),
    );
    assert!(r.has(Code::TooManyVideos, path!["parameters", "video_list"].as_slice()));
    assert_eq!(r.issues[0].param("actual"), Some(&json!(N)));

    let shots: Vec<Value> = (1..=N).map(|i| json!({"index": i, "prompt": "x", "duration": "1"})).collect();
    let r = bounded(
        || v3(json!({"aspect_ratio": "16:9", "multi_shot": true, "shot_type": "customize", "multi_prompt": shots})),
        20,
        N * 1024,
        |req| validate(Provider::V3, req, &none()).unwrap(),
    );
    assert_eq!(r.codes(), ["field_ignored", "multi_prompt_count", "shot_duration_sum"]);
    assert_eq!(r.issues[2].param("actual"), Some(&json!(N)));
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_nested_10_000_deep_is_an_argument_error() {
    let _alone = alone();
    for deep in [
        "[".repeat(10_000),
        format!("{{\"prompt\":{}", "{\"a\":".repeat(10_000)),
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
    ] {
        let e = bounded(|| deep.clone(), 5, MB, |t| validate_json(Provider::V3, t, &none()).unwrap_err());
        assert_eq!(e, ArgumentError::TooDeep);
        assert_eq!(e.to_string(), "request is nested more than 127 levels deep");
    }
    // 127 levels in all is still a request: a wrong type, reported once; 128 is too deep.
    let nested = |n: usize| {
        format!(r#"{{"prompt":"x","aspect_ratio":"16:9","duration":{}"5"{}}}"#, "[".repeat(n), "]".repeat(n))
    };
    assert_eq!(validate_json(Provider::O1, &nested(126), &none()).unwrap().codes(), ["invalid_type"]);
    assert_eq!(validate_json(Provider::O1, &nested(127), &none()), Err(ArgumentError::TooDeep));
}

#[test]
fn lone_surrogate_escapes_read_as_replacement_characters() {
    let _alone = alone();
    let o1_text = |prompt: &str| format!(r#"{{"prompt":"{prompt}","aspect_ratio":"16:9"}}"#);
    // What JSON.stringify writes for "a" + half an emoji + "b", for a lone trailing half,
    // and for one lone half before a whole pair: each half is one character, U+FFFD.
    for (prompt, chars) in [(r"a\ud83db", 3), (r"\ude00", 1), (r"\ud83d\ud83d\ude00", 2), (r"\ud83d\u0041", 2)] {
        let r = validate_json(Provider::O1, &o1_text(prompt), &none()).unwrap_or_else(|e| panic!("{prompt}: {e}"));
        assert!(r.valid(), "{prompt}");
        let long = o1_text(&prompt.repeat(2501));
        let r = validate_json(Provider::O1, &long, &none()).unwrap();
        assert_eq!(r.codes(), ["text_too_long"]);
        assert_eq!(r.issues[0].param("actual"), Some(&json!(2501 * chars)), "{prompt}");
    }
    let v = kling_omni::rules::parse_json(r#"{"a":"x\ud800y","b":"\\ud800","c":"\ud83d\ude00"}"#).unwrap();
    assert_eq!(v, json!({"a": "x\u{FFFD}y", "b": "\\ud800", "c": "😀"}));
    // Text that is broken otherwise stays an error.
    assert!(matches!(validate_json(Provider::O1, r#"{"prompt":"\ud800"#, &none()), Err(ArgumentError::NotJson(_))));
    assert!(matches!(validate_json(Provider::O1, r#"{"prompt":"\ud8"}"#, &none()), Err(ArgumentError::NotJson(_))));
    // 10 MB of lone halves: one extra pass, linear.
    let text = o1_text(&r"\udc00".repeat(10 * MB / 6));
    let r = bounded(|| (), 10, 40 * MB, |_| validate_json(Provider::O1, &text, &none()).unwrap());
    assert_eq!(r.codes(), ["text_too_long"]);
}

#[test]
fn proto_and_constructor_keys_are_unknown_fields() {
    let _alone = alone();
    let text = r#"{"prompt":"x","aspect_ratio":"16:9","__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},
        "image_list":[{"image_url":"https://example.com/a.jpg","__proto__":null,"constructor":1}],
        "watermark_info":{"__proto__":{"enabled":"no"}}}"#;
    let r = validate_json(Provider::O1, text, &none()).unwrap();
    let mut found: Vec<String> =
        r.issues.iter().map(|i| format!("{} {}", i.code, kling_omni::report::path_to_string(&i.path))).collect();
    found.sort();
    assert_eq!(
        found,
        [
            "unknown_field __proto__",
            "unknown_field constructor",
            "unknown_field image_list[0].constructor",
            "unknown_field watermark_info.__proto__"
        ]
    );
    let r = validate_json(Provider::V3, r#"{"model":"kling-v3-omni","__proto__":1,"input":{"prompt":"x","constructor":"y"},"parameters":{"aspect_ratio":"16:9","__proto__":{}}}"#, &none()).unwrap();
    assert_eq!(r.codes(), ["unknown_field", "unknown_field", "unknown_field"]);
    assert!(r.has(Code::UnknownField, path!["parameters", "__proto__"].as_slice()));
}

#[test]
fn nan_infinity_negative_zero_and_1e400() {
    let _alone = alone();
    // JSON has no NaN or Infinity, and 1e400 is out of range: argument errors, typed.
    for text in
        [r#"{"duration": NaN}"#, r#"{"duration": Infinity}"#, r#"{"duration": 1e400}"#, r#"{"duration": -1e400}"#]
    {
        let e = validate_json(Provider::V3, text, &none()).unwrap_err();
        assert!(matches!(e, ArgumentError::NotJson(_)), "{text}: {e:?}");
    }
    // -0 is zero: out of range for V3, not a positive element id for O1.
    let r = validate_json(
        Provider::V3,
        r#"{"model":"kling-v3-omni","input":{"prompt":"x"},"parameters":{"aspect_ratio":"16:9","duration":-0}}"#,
        &none(),
    )
    .unwrap();
    assert_eq!(r.codes(), ["duration_out_of_range"]);
    assert_eq!(r.issues[0].param("actual"), Some(&json!(0)));
    let r = validate(Provider::V3, &v3(json!({"aspect_ratio": "16:9", "duration": -0.0})), &none()).unwrap();
    assert_eq!(r.codes(), ["duration_out_of_range"]);
    let r =
        validate(Provider::O1, &o1(json!({"element_list": [{"element_id": -0.0}, {"element_id": 1e300}]})), &none())
            .unwrap();
    assert_eq!(r.codes(), ["element_id_invalid", "element_id_invalid"]);
    // 1e400 as a measured fact (what a page may compute) is infinity. NaN and infinities are
    // not measurements: skipped, and the media stays unverified. -0 is a measured 0.
    let img = json!({"image_url": "https://example.com/a.png"});
    let facts = MediaFacts {
        images: vec![Some(ImageFacts {
            format: Some("png".into()),
            bytes: Some(f64::NAN),
            width: Some("1e400".parse().unwrap()),
            height: Some(300.0),
        })],
        video: Some(VideoFacts {
            format: Some("mp4".into()),
            bytes: Some(f64::INFINITY),
            duration: Some(f64::NAN),
            width: Some(-0.0),
            height: Some(1080.0),
            fps: Some(f64::NEG_INFINITY),
        }),
    };
    let req = o1(
        json!({"image_list": [img], "video_list": [{"video_url": "https://example.com/v.mp4", "refer_type": "feature"}]}),
    );
    let r = validate(Provider::O1, &req, &facts).unwrap();
    assert_eq!(r.codes(), ["video_resolution"]);
    assert_eq!(r.issues[0].param("width"), Some(&json!(0)));
    assert_eq!(r.unverified, [path!["image_list", 0, "image_url"], path!["video_list", 0, "video_url"]]);
    // Media facts as JSON text reject the same non-numbers.
    assert!(serde_json::from_str::<MediaFacts>(r#"{"video":{"fps":1e400}}"#).is_err());
}

// ---------------------------------------------------------------- ISO-BMFF

fn ftyp() -> Vec<u8> {
    bx(b"ftyp", b"isom\0\0\x02\0isom")
}

#[test]
fn mp4_box_of_size_0_runs_to_the_end() {
    let _alone = alone();
    // A size-0 box that is not moov ends the walk: no moov after it.
    let f = [ftyp(), vec![0, 0, 0, 0], b"mdat".to_vec(), vec![0; 100]].concat();
    assert_eq!(read_video(&f).unwrap_err(), BmffError::NoMoov);
    // A size-0 moov is the rest of the file, parsed as such (here: empty).
    let f = [ftyp(), vec![0, 0, 0, 0], b"moov".to_vec()].concat();
    let (h, read) = read_video(&f).unwrap();
    assert!(!h.has_video && h.duration.is_none());
    assert_eq!(read, 24);
    // Inside moov, size 0 means "to the end of the parent".
    assert_eq!(parse_moov(Format::Mp4, &[0, 0, 0, 0, b'f', b'r', b'e', b'e', 1, 2, 3]).map(|h| h.has_video), Ok(false));
}

#[test]
fn mp4_64_bit_size_of_2_pow_64_minus_1() {
    let _alone = alone();
    let huge = |kind: &[u8; 4]| [&[0, 0, 0, 1][..], kind, &u64::MAX.to_be_bytes()].concat();
    // In a file: beyond its end.
    let f = [ftyp(), huge(b"mdat"), vec![0; 64]].concat();
    assert_eq!(read_video(&f).unwrap_err(), BmffError::BoxBeyondEnd { offset: 20 });
    // In a file that claims 2^64 − 1 bytes: the box ends exactly there, no overflow, no moov.
    let mut loc = MoovLocator::new(u64::MAX);
    assert_eq!(loc.start(), Step::Read { offset: 0, len: 16 });
    assert_eq!(loc.feed(&huge(b"mdat")), Err(BmffError::NoMoov));
    // A moov that size is refused before any read.
    let mut loc = MoovLocator::new(u64::MAX);
    loc.start();
    assert_eq!(loc.feed(&huge(b"moov")), Err(BmffError::MoovTooLarge { len: u64::MAX - 16 }));
    const { assert!(u64::MAX - 16 > MAX_MOOV) };
    // After a first box, the room left is smaller than the size: beyond the end.
    let mut loc = MoovLocator::new(u64::MAX);
    loc.start();
    assert_eq!(loc.feed(&ftyp()[..16]), Ok(Step::Read { offset: 20, len: 16 }));
    assert_eq!(loc.feed(&huge(b"moov")), Err(BmffError::BoxBeyondEnd { offset: 20 }));
    // Inside moov.
    assert_eq!(parse_moov(Format::Mp4, &huge(b"trak")), Err(BmffError::BoxBeyondEnd { offset: 0 }));
}

#[test]
fn mp4_overlapping_boxes() {
    let _alone = alone();
    // A trak that claims more than its moov holds, so it would overlap what follows.
    let tkhd = bx(b"tkhd", &[0u8; 84]);
    let mut trak = bx(b"trak", &tkhd);
    trak[3] += 100;
    let moov = [bx(b"mvhd", &[0u8; 100]), trak].concat();
    assert_eq!(parse_moov(Format::Mp4, &moov), Err(BmffError::BoxBeyondEnd { offset: 108 }));
    // A child that runs past its parent inside a trak (into the parent's next sibling).
    let mut inner = bx(b"mdia", &[0u8; 16]);
    inner[3] = 200;
    let moov = [bx(b"trak", &inner), bx(b"free", &[0u8; 300])].concat();
    assert_eq!(parse_moov(Format::Mp4, &moov), Err(BmffError::BoxBeyondEnd { offset: 0 }));
    // Two top-level boxes cannot overlap: the next header is read where the last box ends.
    let mut mdat = bx(b"mdat", &[0u8; 40]);
    mdat[3] = 200;
    let f = [ftyp(), mdat, bx(b"moov", &[])].concat();
    assert_eq!(read_video(&f).unwrap_err(), BmffError::BoxBeyondEnd { offset: 20 });
}

#[test]
fn mp4_10_000_nested_boxes() {
    let _alone = alone();
    let nest = |kinds: &[&[u8; 4]], depth: usize| {
        let mut b = bx(b"free", &[]);
        for i in 0..depth {
            b = bx(kinds[i % kinds.len()], &b);
        }
        b
    };
    // Along the path the reader follows (trak/mdia/minf/stbl) and off it: no recursion.
    for kinds in [&[b"trak"][..], &[b"stbl", b"minf", b"mdia", b"trak"], &[b"moov"]] {
        let moov = nest(kinds, 10_000);
        let h = bounded(|| moov, 5, MB, |m| parse_moov(Format::Mp4, m)).unwrap();
        assert!(!h.has_video);
    }
    // At the top level the walk reads one header per top-level box, not their insides.
    let f = [ftyp(), nest(&[b"udta"], 10_000), bx(b"moov", &[])].concat();
    let (h, read) = bounded(|| f, 5, MB, |f| read_video(f)).unwrap();
    assert!(!h.has_video);
    assert_eq!(read, 40);
}

// ---------------------------------------------------------------- images

fn png(w: u32, h: u32) -> Vec<u8> {
    [&b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR"[..], &w.to_be_bytes(), &h.to_be_bytes(), &[8, 6, 0, 0, 0, 0, 0, 0, 0]].concat()
}

fn b64(data: &[u8]) -> String {
    support::base64(data, false)
}

#[test]
fn a_png_claiming_2_pow_31_px() {
    let _alone = alone();
    for (w, h) in [(1 << 31, 300), (300, 1 << 31), (u32::MAX, u32::MAX)] {
        assert_eq!(read_header(&png(w, h)), Err(HeaderError::Malformed("width or height over 1 000 000")));
    }
    // As Base64 in a request: an unreadable PNG, never a 2^31-px allocation.
    let r = validate(Provider::O1, &o1(json!({"image_list": [{"image_url": b64(&png(1 << 31, 1 << 31))}]})), &none())
        .unwrap();
    assert_eq!(r.codes(), ["image_format"]);
    assert_eq!(r.issues[0].param("detail"), Some(&json!("unreadable_header")));
    // As measured facts: the numbers are compared, nothing is allocated from them.
    let facts = MediaFacts {
        images: vec![Some(ImageFacts {
            format: Some("png".into()),
            bytes: Some(1e3),
            width: Some(2147483648.0),
            height: Some(300.0),
        })],
        video: None,
    };
    let r = validate(Provider::O1, &o1(json!({"image_list": [{"image_url": "https://example.com/a.png"}]})), &facts)
        .unwrap();
    assert_eq!(r.codes(), ["image_aspect_ratio"]);
}

#[test]
fn a_jpeg_with_no_sof() {
    let _alone = alone();
    let app = |n: usize| [&[0xFF, 0xE2][..], &((n + 2) as u16).to_be_bytes(), &vec![0xAB; n]].concat();
    // Ends with EOI before any frame header.
    let eoi = [&[0xFF, 0xD8][..], &app(20), &[0xFF, 0xD9]].concat();
    assert_eq!(read_header(&eoi), Err(HeaderError::Malformed("jpeg ends before a frame header")));
    // A scan before a frame header.
    let sos = [&[0xFF, 0xD8][..], &app(20), &[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]].concat();
    assert_eq!(read_header(&sos), Err(HeaderError::Malformed("jpeg scan before a frame header")));
    // Only segments, to the end: asks for more, then the caller's cap stops it. 12 MB of
    // APP segments in Base64: decoded at most to the 11 MB cap, once.
    let segs: Vec<u8> = [&[0xFF, 0xD8][..], &(0..190).flat_map(|_| app(65_533)).collect::<Vec<u8>>()].concat();
    assert!(matches!(read_header(&segs), Err(HeaderError::NeedMore { len }) if len > segs.len() as u64));
    let r = bounded(
        || o1(json!({"image_list": [{"image_url": b64(&segs)}]})),
        20,
        40 * MB,
        |req| validate(Provider::O1, req, &none()).unwrap(),
    );
    assert_eq!(r.codes(), ["image_format", "image_too_large"]);
    assert_eq!(r.issues[0].param("detail"), Some(&json!("unreadable_header")));
}

#[test]
fn a_300_mb_base64_image_is_too_large_and_decoded_64_kb_deep() {
    let _alone = alone();
    // A real 300×300 PNG header, then 300 MB of Base64.
    let data = || {
        let mut s = b64(&png(300, 300)[..33]);
        s.push_str(&"A".repeat(300 * MB - s.len()));
        o1(json!({"image_list": [{"image_url": s}]}))
    };
    let req = data();
    let r = bounded(|| (), 30, MB, |_| validate(Provider::O1, &req, &none()).unwrap());
    assert_eq!(r.codes(), ["image_too_large"]);
    assert_eq!(r.issues[0].param("actual"), Some(&json!(300 * MB / 4 * 3)));
    // Reading a range of it (as inspectImage/inspectVideo do) decodes only that range.
    let s = req["image_list"][0]["image_url"].as_str().unwrap();
    let range = bounded(|| (), 5, 1024, |_| base64::decode_range(s, 200 * MB as u64, 16));
    assert_eq!(range, vec![0; 16]);
}

#[test]
fn two_hundred_thousand_unknown_keys_are_sorted_in_n_log_n() {
    let _alone = alone();
    // Written in reverse byte order (the worst case for an insertion sort), one key twice.
    let mut text = String::from(r#"{"prompt":"x","aspect_ratio":"16:9""#);
    for i in (0..200_000).rev() {
        text.push_str(&format!(",\"k{i:06}\":1"));
    }
    text.push_str(",\"k000000\":2}");
    // The report holds 200,000 issues (about 550 bytes each): the memory is the report's.
    let r = bounded(|| (), 10, 160 * MB, |_| validate_json(Provider::O1, &text, &none()).unwrap());
    assert_eq!(r.issues.len(), 200_000);
    assert_eq!(kling_omni::report::path_to_string(&r.issues[0].path), "k000000");
    assert_eq!(kling_omni::report::path_to_string(&r.issues[199_999].path), "k199999");
}
