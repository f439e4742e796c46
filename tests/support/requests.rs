//! Request generators for the property tests: each provider's requests from its value
//! spaces (every documented value, the boundaries, wrong types, absent, `null`, unknown
//! keys), and media facts from theirs (NaN and infinities included). Shared by
//! `tests/properties.rs` and `tests/reader.rs`, which include this file by path (proptest
//! is a native-only dev-dependency, so it is not in `support/mod.rs`, which the wasm32 suites
//! build).
#![allow(dead_code)] // each suite uses part of it

use kling_omni::{ImageFacts, MediaFacts, Provider, VideoFacts};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// A small valid PNG header (300×300), as raw Base64: a Base64 image the rules read.
pub const PNG_300: &str = "iVBORw0KGgoAAAANSUhEUgAAASwAAAEsCAYAAAB5fY51";
/// A 200×100 PNG header: too small and too wide.
pub const PNG_200X100: &str = "iVBORw0KGgoAAAANSUhEUgAAAMgAAABkCAYAAADDhn8L";

/// Any JSON value, small: the wrong types every field must survive.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![
            json!(-0.0),
            json!(5.0),
            json!(1e300),
            json!(0.5),
            json!(u64::MAX),
            json!(9007199254740993u64)
        ]),
        "[a-z0-9 <>_:.]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// How often a generated value is a near miss or of any type: `Noise(0)` keeps to the
/// documented values (many requests come out valid), `Noise(1)` mixes in faults.
#[derive(Clone, Copy)]
pub struct Noise(pub u32);

/// A field: absent (`None`), `null`, one of its documented values, a near miss, or any type.
pub fn field(valid: Vec<Value>, near: Vec<Value>, n: Noise) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        1 => Just(Some(Value::Null)),
        6 => prop::sample::select(valid).prop_map(Some),
        2 * n.0 => prop::sample::select(near).prop_map(Some),
        n.0 => any_json().prop_map(Some),
    ]
}

/// Now and then (`pct` in 100, none without noise) a value of any type: an unknown key,
/// a section of the wrong type.
pub fn rarely(pct: u32, n: Noise) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![100 - pct * n.0 => Just(None), pct * n.0 => any_json().prop_map(Some)]
}

/// A value that must be there: mostly `value`, else absent or of any type.
pub fn needed(value: impl Strategy<Value = Value> + 'static, n: Noise) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![8 => value.prop_map(Some), n.0 => Just(None), n.0 => any_json().prop_map(Some)]
}

pub fn strs(v: &[&str]) -> Vec<Value> {
    v.iter().map(|s| json!(s)).collect()
}

pub fn text(n: Noise) -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => prop::sample::select(strs(&["a cat", "猫猫", "<<<image_1>>> walks", "a <<<video_1>>>"])),
        4 * n.0 => prop::sample::select(strs(&[
            "a cat", "", "   ", "\u{3000}", "<<<image_1>>> walks", "<<<image_2>>><<<video_1>>>", "<<<element_1>>> and <<<element_8>>>",
            "<<<image_0>>>", "<<<image_01>>>", "<<<face>>>", "<<<image_1", "猫猫", "a\u{0}b",
        ])),
        n.0 => (1usize..3000, prop::sample::select(vec!['x', '猫', '😀'])).prop_map(|(n, c)| Value::String(std::iter::repeat_n(c, n).collect())),
        2 * n.0 => "[a-z<>_0-9 ]{0,30}".prop_map(Value::String),
    ]
}

pub fn image_url(n: Noise) -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => prop::sample::select(strs(&["https://example.com/a.jpg", "https://example.com/b.png", PNG_300])),
        3 * n.0 => prop::sample::select(strs(&[
        "https://example.com/a.jpg", "https://example.com/a.png", "http://example.com/x", "https://example.com/a.webp",
        "https://example.com/a.GIF?x=1", "HTTPS://EXAMPLE.COM/A.JPG", "https://", "ftp://example.com/a.jpg", "https://exa mple.com/a.jpg",
        PNG_300, PNG_200X100, "iVBORw0KGgo=", "TWFu\nTWFu", "-_-_", "", "data:image/png;base64,iVBORw0KGgo=",
        "data:,x", "R0lGODlhAQABAAAAACw=", "/9j/4AAQ",
        ])),
    ]
}

pub fn image_item(n: Noise) -> impl Strategy<Value = Value> {
    (
        needed(image_url(n), n),
        field(strs(&["first_frame", "end_frame"]), strs(&["last_frame", "FIRST_FRAME", ""]), n),
        rarely(10, n),
    )
        .prop_map(|(url, kind, extra)| {
            let mut m = Map::new();
            put(&mut m, "image_url", url);
            put(&mut m, "type", kind);
            put(&mut m, "weight", extra);
            Value::Object(m)
        })
}

pub fn video_item(n: Noise) -> impl Strategy<Value = Value> {
    (
        needed(
            prop_oneof![
                2 => prop::sample::select(strs(&["https://example.com/v.mp4", "https://example.com/v.mov", "https://example.com/v"])),
                n.0 => prop::sample::select(strs(&["https://example.com/v.webm", "v.mp4", ""])),
            ],
            n,
        ),
        field(strs(&["feature", "base"]), strs(&["style", "Base"]), n),
        field(strs(&["yes", "no"]), strs(&["true", "YES"]), n),
    )
        .prop_map(|(url, refer, keep)| {
            let mut m = Map::new();
            put(&mut m, "video_url", url);
            put(&mut m, "refer_type", refer);
            put(&mut m, "keep_original_sound", keep);
            Value::Object(m)
        })
}

/// A list field: absent, an array of items (up to past its limit), or a wrong type.
pub fn list(
    item: impl Strategy<Value = Value> + 'static,
    max: usize,
    n: Noise,
) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        6 => {
            // Mostly short lists (most requests carry a few items), sometimes past the limit.
            let item = prop_oneof![9 => item, n.0 => any_json()].boxed();
            prop_oneof![3 => 0..=2usize, 1 => 0..=max]
                .prop_flat_map(move |len| prop::collection::vec(item.clone(), len))
                .prop_map(|v| Some(Value::Array(v)))
        },
        n.0 => any_json().prop_map(Some),
    ]
}

pub fn put(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v);
    }
}

pub fn common(n: Noise) -> impl Strategy<Value = Vec<(&'static str, Option<Value>)>> {
    (
        list(image_item(n), 9, n),
        list(video_item(n), 2, n),
        field(strs(&["std", "pro"]), strs(&["PRO", "fast"]), n),
        field(strs(&["16:9", "9:16", "1:1"]), strs(&["4:3", "16：9"]), n),
        // R2: "" counts as absent (valid); only whitespace is external_task_id_invalid.
        field(strs(&["task-1", "订单 7", ""]), strs(&["  ", "\u{3000}"]), n),
        rarely(10, n),
    )
        .prop_map(|(images, videos, mode, ratio, ext, unknown)| {
            vec![
                ("image_list", images),
                ("video_list", videos),
                ("mode", mode),
                ("aspect_ratio", ratio),
                ("external_task_id", ext),
                ("seed", unknown),
            ]
        })
}

pub fn o1_request(n: Noise) -> impl Strategy<Value = Value> {
    (
        common(n),
        field(strs(&["kling-video-o1"]), strs(&["kling-v3-omni", "KLING-VIDEO-O1"]), n),
        needed(text(n), n),
        list(
            field(
                vec![json!(1), json!(42), json!("el-7"), json!(9007199254740991u64), json!(2.0)],
                vec![json!(0), json!(-1), json!(""), json!(1.5), json!(9007199254740992u64)],
                n,
            )
            .prop_map(|id| {
                let mut m = Map::new();
                put(&mut m, "element_id", id);
                Value::Object(m)
            }),
            8,
            n,
        ),
        field(
            strs(&["3", "4", "5", "6", "7", "8", "9", "10"]),
            vec![json!("2"), json!("11"), json!("05"), json!(5), json!(" 5"), json!("5.0")],
            n,
        ),
        field(
            vec![json!({}), json!({"enabled": true}), json!({"enabled": false})],
            vec![json!({"enabled": "yes"}), json!(true), json!({"logo": 1})],
            n,
        ),
        field(strs(&["https://example.com/cb", "http://[::1]:8080/x", ""]), strs(&["example.com/cb", "https://"]), n),
    )
        .prop_map(|(common, model, prompt, elements, duration, watermark, callback)| {
            let mut m = Map::new();
            for (k, v) in common {
                put(&mut m, k, v);
            }
            put(&mut m, "model_name", model);
            put(&mut m, "prompt", prompt);
            put(&mut m, "element_list", elements);
            put(&mut m, "duration", duration);
            put(&mut m, "watermark_info", watermark);
            put(&mut m, "callback_url", callback);
            Value::Object(m)
        })
}

pub fn shot(n: Noise) -> impl Strategy<Value = Value> {
    (
        field(vec![json!(1), json!(2), json!(3)], vec![json!(0), json!("1"), json!(1.5), json!(7)], n),
        needed(text(n), n),
        field(strs(&["1", "2", "3", "5"]), vec![json!("0"), json!(2), json!("02"), json!("16")], n),
    )
        .prop_map(|(index, prompt, duration)| {
            let mut m = Map::new();
            put(&mut m, "index", index);
            put(&mut m, "prompt", prompt);
            put(&mut m, "duration", duration);
            Value::Object(m)
        })
}

pub fn v3_request(n: Noise) -> impl Strategy<Value = Value> {
    (
        common(n),
        (
            field(strs(&["kling-v3-omni"]), strs(&["kling-video-o1"]), n),
            needed(text(n), n),
            field(strs(&["blur", ""]), vec![json!(1)], n),
            rarely(5, n),
            rarely(5, n),
        ),
        field(
            (3..=15).map(|n| json!(n)).collect(),
            vec![json!(2), json!(16), json!(5.0), json!("5"), json!(5.5), json!(-0.0)],
            n,
        ),
        field(strs(&["on", "off"]), strs(&["ON", "true"]), n),
        field(vec![json!(true), json!(false)], vec![json!("true"), json!(1)], n),
        field(strs(&["customize"]), strs(&["auto", "intelligence"]), n),
        list(shot(n), 7, n),
        field(vec![json!(true), json!(false)], vec![json!("false")], n),
    )
        .prop_map(
            |(
                common,
                (model, prompt, negative, input_wrong, params_wrong),
                duration,
                sound,
                multi,
                shot_type,
                shots,
                watermark,
            )| {
                let mut input = Map::new();
                put(&mut input, "prompt", prompt);
                put(&mut input, "negative_prompt", negative);
                let mut p = Map::new();
                for (k, v) in common {
                    put(&mut p, k, v);
                }
                put(&mut p, "duration", duration);
                put(&mut p, "sound", sound);
                put(&mut p, "multi_shot", multi);
                put(&mut p, "shot_type", shot_type);
                put(&mut p, "multi_prompt", shots);
                put(&mut p, "watermark_enabled", watermark);
                let mut root = Map::new();
                put(&mut root, "model", model);
                root.insert("input".into(), input_wrong.unwrap_or(Value::Object(input)));
                root.insert("parameters".into(), params_wrong.unwrap_or(Value::Object(p)));
                Value::Object(root)
            },
        )
}

/// A measured number: the rules' boundaries, values JSON cannot carry, and any other.
pub fn measure() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        2 => Just(None),
        3 => prop::sample::select(vec![
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0, 0.0, -5.0, 2.99, 3.0, 10.05, 10.06, 24.0, 23.97, 60.0, 60.5,
            299.0, 300.0, 720.0, 719.9, 2160.0, 2161.0, 10_485_760.0, 10_485_761.0, 209_715_200.0, 209_715_201.0, 1e308,
        ]).prop_map(Some),
        1 => any::<f64>().prop_map(Some),
        2 => (0u32..5000).prop_map(|n| Some(f64::from(n))),
    ]
}

pub fn format_name() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::sample::select(vec![
            "jpeg",
            "png",
            "JPG",
            "gif",
            "webp",
            "mp4",
            "mov",
            "quicktime",
            "webm",
            "",
            "unknown",
        ])
        .prop_map(String::from),
    )
}

pub fn media() -> impl Strategy<Value = MediaFacts> {
    let image = (format_name(), measure(), measure(), measure())
        .prop_map(|(format, bytes, width, height)| ImageFacts { format, bytes, width, height });
    let video = (format_name(), measure(), measure(), measure(), measure(), measure()).prop_map(
        |(format, bytes, duration, width, height, fps)| VideoFacts { format, bytes, duration, width, height, fps },
    );
    (prop::collection::vec(prop::option::of(image), 0..9), prop::option::of(video))
        .prop_map(|(images, video)| MediaFacts { images, video })
}

/// Kling's own API: O1's flat body, its model among both (or another), with the
/// `kling-v3-omni` fields (string durations up to 15, `sound`, multi-shot) on top.
pub fn kling_request(n: Noise) -> impl Strategy<Value = Value> {
    (
        o1_request(n),
        field(strs(&["kling-video-o1", "kling-v3-omni", "kling-v3-omni"]), strs(&["kling-v2", "KLING-V3-OMNI"]), n),
        field(
            (3..=15).map(|n| json!(n.to_string())).collect(),
            vec![json!("2"), json!("16"), json!(5), json!("05")],
            n,
        ),
        field(strs(&["on", "off"]), strs(&["ON"]), n),
        field(vec![json!(true), json!(false)], vec![json!("true")], n),
        field(strs(&["customize"]), strs(&["intelligence"]), n),
        list(shot(n), 7, n),
    )
        .prop_map(|(base, model, duration, sound, multi, shot_type, shots)| {
            let Value::Object(mut m) = base else { unreachable!("o1_request makes objects") };
            m.remove("model_name");
            put(&mut m, "model_name", model);
            if m.contains_key("duration") {
                put(&mut m, "duration", duration);
            }
            put(&mut m, "sound", sound);
            put(&mut m, "multi_shot", multi);
            put(&mut m, "shot_type", shot_type);
            put(&mut m, "multi_prompt", shots);
            Value::Object(m)
        })
}

pub fn request(provider: Provider, n: Noise) -> BoxedStrategy<Value> {
    match provider {
        Provider::O1 => o1_request(n).boxed(),
        Provider::V3 => v3_request(n).boxed(),
        Provider::Kling => kling_request(n).boxed(),
    }
}
