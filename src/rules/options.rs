//! What a form may offer for a request's current scenario: the `duration`, `aspect_ratio`
//! and `sound` values and image frame types that would be accepted, and for each field
//! whether it is required, allowed, ignored or not supported. Also the documented defaults.

use super::params::{aspect_use, durations, AspectUse, ASPECT_RATIOS};
use super::view::View;
use super::{ArgumentError, Ctx};
use crate::json::Json;
use crate::model::Provider;
use crate::provider::{DurationType, Layout};
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
    /// Accepted `duration` values, in the model's type (strings, or integers on the V3
    /// gateway); empty where ignored.
    pub duration: Vec<Value>,
    /// Accepted `aspect_ratio` values; empty where not supported.
    pub aspect_ratio: Vec<&'static str>,
    /// Accepted `sound` values (`["off"]` with a video); empty where not documented.
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

/// The options for a request (an object) in its current scenario, for the model it names.
pub fn allowed_options(provider: Provider, request: &Value) -> Result<AllowedOptions, ArgumentError> {
    allowed_options_doc(provider, crate::json::Doc::from_value(request).root())
}

/// [`allowed_options`] of a request given as JSON text (read as `validate_json` reads it).
pub fn allowed_options_json(provider: Provider, request: &str) -> Result<AllowedOptions, ArgumentError> {
    crate::json::with_doc(request, |doc| allowed_options_doc(provider, doc?.root()))
}

/// [`allowed_options`] of a read request.
pub fn allowed_options_doc(provider: Provider, request: Json) -> Result<AllowedOptions, ArgumentError> {
    let obj = request.as_object().ok_or(ArgumentError::NotAnObject(request.type_name()))?;
    // The view reports shape faults into a scratch context; only the scenario matters here.
    let mut cx = Ctx::for_request(provider, obj);
    let v = View::read(&mut cx, obj);
    let (desc, rules) = (cx.desc, cx.rules);
    let scenario = super::scenario::detect(&v);
    let edit = scenario == Scenario::VideoEdit;

    let duration = durations(rules, &v, scenario)
        .map(|d| d.values())
        .unwrap_or_default()
        .into_iter()
        .map(|n| match rules.duration.kind {
            DurationType::String => json!(n.to_string()),
            DurationType::Integer => json!(n),
        })
        .collect();
    let aspect = aspect_use(rules, &v, scenario);
    let aspect_ratio = match aspect {
        AspectUse::Required | AspectUse::Allowed => ASPECT_RATIOS.to_vec(),
        AspectUse::Unsupported(_) | AspectUse::Ignored(_) | AspectUse::Unchecked => Vec::new(),
    };
    let sound = match rules.sound {
        None => Vec::new(),
        Some(values) if v.videos.is_empty() => values.to_vec(),
        // `sound: on` is an error with any video.
        Some(values) => values.iter().copied().filter(|s| *s != "on").collect(),
    };
    // A frame image with more than the elements allowed beside a frame breaks
    // `too_many_elements` (revision 2).
    let too_many_for_frames = rules.elements.and_then(|e| e.max_with_frame).is_some_and(|max| v.elements.len() > max);
    let frame_types = if edit || too_many_for_frames {
        Vec::new()
    } else if v.images.len() > super::lists::MAX_IMAGES_WITH_END_FRAME {
        vec!["first_frame"]
    } else {
        vec!["first_frame", "end_frame"]
    };

    use FieldUse::*;
    let multi = v.multi_shot;
    let customize = v.param("shot_type").and_then(Json::as_str) == Some("customize");
    let use_of = |name: &str| match name {
        _ if name == desc.model_key => {
            if desc.model_required {
                Required
            } else {
                Allowed
            }
        }
        "prompt" if multi => Ignored,
        "prompt" => Required,
        "aspect_ratio" => match aspect {
            AspectUse::Required => Required,
            AspectUse::Allowed | AspectUse::Unchecked => Allowed,
            AspectUse::Unsupported(_) => Unsupported,
            AspectUse::Ignored(_) => Ignored,
        },
        "duration" if edit => Ignored,
        "shot_type" if multi => Required,
        "shot_type" => Ignored,
        "multi_prompt" => match (multi, customize) {
            (true, true) => Required,
            (true, false) => Allowed,
            _ => Ignored,
        },
        _ => Allowed,
    };
    // Each documented field by its dotted wire path, in the order the description gives.
    let mut fields = Vec::new();
    let dotted = |name: &'static str| crate::report::path_to_string(&super::field_path(desc, name));
    if desc.layout == Layout::Nested {
        fields.push((dotted(desc.model_key), use_of(desc.model_key)));
        for name in rules.input_fields {
            fields.push((dotted(name), use_of(name)));
        }
    }
    for name in rules.fields {
        fields.push((dotted(name), use_of(name)));
    }
    Ok(AllowedOptions { scenario, duration, aspect_ratio, sound, frame_types, fields })
}

/// A starting request for the provider's default model (or `model`, one it takes) with the
/// documented defaults (`mode: pro`, `duration` 5 in the model's type; where documented
/// `sound: off`, `multi_shot: false`) and the fields a text-to-video request needs; only the
/// prompt is left to fill in. `None` for a model the provider does not take.
pub fn defaults(provider: Provider, model: Option<&str>) -> Option<Value> {
    let desc = provider.description();
    let rules = match model {
        None => desc.models[0],
        Some(m) => desc.models.iter().copied().find(|r| r.model == m)?,
    };
    let duration = match rules.duration.kind {
        DurationType::String => json!(rules.duration.default.to_string()),
        DurationType::Integer => json!(rules.duration.default),
    };
    let mut params = serde_json::Map::new();
    params.insert("mode".into(), json!("pro"));
    params.insert("aspect_ratio".into(), json!(ASPECT_RATIOS[0]));
    params.insert("duration".into(), duration);
    if rules.sound.is_some() {
        params.insert("sound".into(), json!("off"));
    }
    if rules.multi_shot {
        params.insert("multi_shot".into(), json!(false));
    }
    let mut root = serde_json::Map::new();
    root.insert(desc.model_key.into(), json!(rules.model));
    match desc.layout {
        Layout::Flat => {
            root.insert("prompt".into(), json!(""));
            root.extend(params);
        }
        Layout::Nested => {
            root.insert("input".into(), json!({ "prompt": "" }));
            root.insert("parameters".into(), Value::Object(params));
        }
    }
    Some(Value::Object(root))
}
