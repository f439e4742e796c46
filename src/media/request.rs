//! The media of a request for `inspectRequest`/`validateWithMedia`: which source measures
//! each `image_list[i]` and the video: a picked file before the URL or Base64 the request
//! names.

use super::inspect::Source;
use crate::model::Provider;
use crate::provider::Layout;
use serde_json::Value;

/// Where one medium's bytes come from: a picked file (`F` is the browser's `File`), or the
/// source the request names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Medium<F> {
    /// The picked file standing for it.
    File(F),
    /// The URL or Base64 the request names.
    Named(Source),
}

/// What to measure for a request: one entry a `image_list` element (or picked image,
/// whichever list is longer; `None` where neither gives a source), and the video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaPlan<F> {
    /// `image_list[i]`.
    pub images: Vec<Option<Medium<F>>>,
    /// `video_list[0]`.
    pub video: Option<Medium<F>>,
}

/// The `image_url`s and the first `video_url` of a request, as written.
fn named(provider: Provider, request: &Value) -> (Vec<Option<String>>, Option<String>) {
    let params = match provider.description().layout {
        Layout::Flat => Some(request),
        Layout::Nested => request.get("parameters"),
    };
    let list = |key: &str| params.and_then(|p| p.get(key)).and_then(Value::as_array).cloned().unwrap_or_default();
    let images =
        list("image_list").iter().map(|i| i.get("image_url").and_then(Value::as_str).map(str::to_string)).collect();
    let video = list("video_list").first().and_then(|v| v.get("video_url")).and_then(Value::as_str).map(str::to_string);
    (images, video)
}

/// Plans the measurement of a request's media: `images[i]` (a picked file) stands for
/// `image_list[i]`, `video` for `video_list[0]`. Without a picked file, an image is read
/// from its URL or Base64; a video only from an http(s) or `blob:` URL (Base64 video is not
/// something the APIs take).
pub fn plan<F>(provider: Provider, request: &Value, images: Vec<Option<F>>, video: Option<F>) -> MediaPlan<F> {
    let (urls, video_url) = named(provider, request);
    let count = urls.len().max(images.len());
    let mut images = images.into_iter();
    let mut urls = urls.into_iter();
    let images = (0..count)
        .map(|_| {
            let url = urls.next().flatten();
            match images.next().flatten() {
                Some(f) => Some(Medium::File(f)),
                None => url.and_then(|u| Source::from_text(&u)).map(Medium::Named),
            }
        })
        .collect();
    let video = match video {
        Some(f) => Some(Medium::File(f)),
        None => match video_url.and_then(|u| Source::from_text(&u)) {
            Some(url @ Source::Url(_)) => Some(Medium::Named(url)),
            _ => None,
        },
    };
    MediaPlan { images, video }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plans_a_request() {
        let o1 = json!({"image_list": [{"image_url": "https://a/1.jpg"}, {"image_url": "iVBORw0KGgo="},
            {"image_url": "not base64!"}, {"image_url": 5}, {}], "video_list": [{"video_url": "blob:x"}]});
        let p = plan(Provider::O1, &o1, vec![None, None, None, Some("picked")], None);
        assert_eq!(
            p.images,
            [
                Some(Medium::Named(Source::Url("https://a/1.jpg".into()))),
                Some(Medium::Named(Source::Base64("iVBORw0KGgo=".into()))),
                None,
                Some(Medium::File("picked")),
                None,
            ]
        );
        assert_eq!(p.video, Some(Medium::Named(Source::Url("blob:x".into()))));
        // V3 names its media under `parameters`; more picked files than images; a Base64
        // video is not read; a picked video wins over the URL.
        let v3 = json!({"parameters": {"image_list": [{"image_url": "data:image/png;base64,AAAA"}],
            "video_list": [{"video_url": "AAAA"}]}});
        let p = plan(Provider::V3, &v3, vec![None, Some(7)], None);
        assert_eq!(p.images, [Some(Medium::Named(Source::Base64("AAAA".into()))), Some(Medium::File(7))]);
        assert_eq!(p.video, None);
        assert_eq!(plan(Provider::V3, &v3, vec![], Some(1)).video, Some(Medium::File(1)));
        // Kling's own API is flat, as O1; the O1 layout read as V3 names nothing.
        assert_eq!(plan::<()>(Provider::Kling, &o1, vec![], None).images.len(), 5);
        let p = plan::<()>(Provider::V3, &o1, vec![], None);
        assert_eq!((p.images.len(), p.video), (0, None));
    }
}
