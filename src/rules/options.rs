//! What a form may offer for a request's current scenario: the `duration`, `aspect_ratio`
//! and `sound` values and image frame types that would be accepted, and for each field
//! whether it is required, allowed, ignored or not supported. Also the documented defaults.

use super::params::{
    aspect_ratio_required, aspect_ratio_unsupported, o1_durations, v3_durations, ASPECT_RATIOS, SOUNDS,
};
use super::view::View;
use super::{ArgumentError, Ctx};
use crate::model::{o1, v3, Provider};
use crate::report::Scenario;
use serde::Serialize;
use serde_json::{json, Value};

/// How a field stands in the current scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldUse {
    /// Must be present.
    Required,
    /// May be present.
    Allowed,
    /// Accepted but has no effect (a `field_ignored` warning).
    Ignored,
    /// Present is an error (O1 `aspect_ratio` with frames or in a video edit).
    Unsupported,
}

/// The choices a form should offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AllowedOptions {
    /// The request's scenario.
    pub scenario: Scenario,
    /// Accepted `duration` values: strings for O1, integers for V3; empty where ignored.
    pub duration: Vec<Value>,
    /// Accepted `aspect_ratio` values; empty where not supported.
    pub aspect_ratio: Vec<&'static str>,
    /// Accepted V3 `sound` values (`["off"]` with a video); empty for O1.
    pub sound: Vec<&'static str>,
    /// Image frame types that may be set.
    pub frame_types: Vec<&'static str>,
    /// Each documented field, by its dotted wire path, and how it stands (a JSON object).
    #[serde(serialize_with = "pairs_as_map")]
    pub fields: Vec<(String, FieldUse)>,
}

fn pairs_as_map<S: serde::Serializer>(pairs: &[(String, FieldUse)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

impl AllowedOptions {
    /// How a field stands, by its dotted wire path.
    pub fn field(&self, name: &str) -> Option<FieldUse> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, u)| *u)
    }
}

/// The options for a request (an object) in its current scenario.
pub fn allowed_options(provider: Provider, request: &Value) -> Result<AllowedOptions, ArgumentError> {
    let obj = request.as_object().ok_or(ArgumentError::NotAnObject(super::view::type_name(request)))?;
    // The view reports shape faults into a scratch context; only the scenario matters here.
    let mut cx = Ctx::new(provider);
    let v = View::read(&mut cx, obj);
    let scenario = super::scenario::detect(&v);
    let edit = scenario == Scenario::VideoEdit;

    let duration = match provider {
        Provider::O1 => o1_durations(&v, scenario).unwrap_or(&[]).iter().map(|s| json!(s)).collect(),
        Provider::V3 => {
            v3_durations(scenario).map(|(lo, hi)| (lo..=hi).map(|n| json!(n)).collect()).unwrap_or_default()
        }
    };
    let ar_unsupported = aspect_ratio_unsupported(provider, &v, scenario).is_some();
    let aspect_ratio = if ar_unsupported { Vec::new() } else { ASPECT_RATIOS.to_vec() };
    let sound = match provider {
        Provider::O1 => Vec::new(),
        Provider::V3 if v.videos.is_empty() => SOUNDS.to_vec(),
        Provider::V3 => vec!["off"],
    };
    // A frame image with more than 3 elements breaks `too_many_elements` (R2; O1's elements).
    let frame_types = if edit || v.elements.len() > super::lists::MAX_ELEMENTS_WITH_FRAME {
        Vec::new()
    } else if v.images.len() > super::lists::MAX_IMAGES_WITH_END_FRAME {
        vec!["first_frame"]
    } else {
        vec!["first_frame", "end_frame"]
    };

    use FieldUse::*;
    let ar = if ar_unsupported {
        Unsupported
    } else if aspect_ratio_required(provider, &v, scenario) {
        Required
    } else {
        Allowed
    };
    let dur = if edit { Ignored } else { Allowed };
    let fields: Vec<(&str, FieldUse)> = match provider {
        Provider::O1 => vec![
            ("model_name", Allowed),
            ("prompt", Required),
            ("image_list", Allowed),
            ("element_list", Allowed),
            ("video_list", Allowed),
            ("mode", Allowed),
            ("aspect_ratio", ar),
            ("duration", dur),
            ("watermark_info", Allowed),
            ("callback_url", Allowed),
            ("external_task_id", Allowed),
        ],
        Provider::V3 => {
            let multi = v.multi_shot;
            let customize = v.param("shot_type").and_then(Value::as_str) == Some("customize");
            vec![
                ("model", Required),
                ("input.prompt", if multi { Ignored } else { Required }),
                ("input.negative_prompt", Allowed),
                ("parameters.mode", Allowed),
                ("parameters.aspect_ratio", ar),
                ("parameters.duration", dur),
                ("parameters.sound", Allowed),
                ("parameters.multi_shot", Allowed),
                ("parameters.shot_type", if multi { Required } else { Ignored }),
                (
                    "parameters.multi_prompt",
                    match (multi, customize) {
                        (true, true) => Required,
                        (true, false) => Allowed,
                        _ => Ignored,
                    },
                ),
                ("parameters.image_list", Allowed),
                ("parameters.video_list", Allowed),
                ("parameters.watermark_enabled", Allowed),
                ("parameters.external_task_id", Allowed),
            ]
        }
    };
    Ok(AllowedOptions {
        scenario,
        duration,
        aspect_ratio,
        sound,
        frame_types,
        fields: fields.into_iter().map(|(k, u)| (k.to_string(), u)).collect(),
    })
}

/// A starting request with the documented defaults (`mode: pro`; V3 `duration: 5`,
/// `sound: off`, `multi_shot: false`) and the fields a text-to-video request needs; only the
/// prompt is left to fill in.
pub fn defaults(provider: Provider) -> Value {
    match provider {
        Provider::O1 => json!({
            "model_name": o1::MODEL_NAME,
            "prompt": "",
            "mode": "pro",
            "aspect_ratio": "16:9",
            "duration": "5"
        }),
        Provider::V3 => json!({
            "model": v3::MODEL,
            "input": { "prompt": "" },
            "parameters": {
                "mode": "pro",
                "aspect_ratio": "16:9",
                "duration": 5,
                "sound": "off",
                "multi_shot": false
            }
        }),
    }
}
