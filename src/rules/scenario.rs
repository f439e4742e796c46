//! The scenario follows from the request's lists (docs/rules.md, "Scenarios"): the first matching
//! row, top down: `video_edit`, `video_reference`, `first_end_frame`, `first_frame`,
//! `reference`, `text_to_video`.

use super::view::{Frame, Refer, View};
use crate::report::Scenario;

/// The request's scenario.
///
/// An absent or unknown `refer_type` reads as `base` (V3's documented default; O1 documents
/// none, and docs/rules.md reads it like V3 and Kling's official API). Any `end_frame` makes it
/// `first_end_frame`, with or without a first frame: the missing first frame is its own
/// error. An image `type` outside the documented set reads as a reference image.
pub fn detect(v: &View) -> Scenario {
    if v.videos.iter().any(|x| x.refer == Refer::Base) {
        Scenario::VideoEdit
    } else if !v.videos.is_empty() {
        Scenario::VideoReference
    } else if v.images.iter().any(|i| i.frame == Frame::End) {
        Scenario::FirstEndFrame
    } else if v.images.iter().any(|i| i.frame == Frame::First) {
        Scenario::FirstFrame
    } else if v.reference_count() > 0 {
        Scenario::Reference
    } else {
        Scenario::TextToVideo
    }
}
