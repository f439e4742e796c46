//! The lists: image frame types, element ids, video `refer_type`; how many of each; and the
//! frame rules (first/end frames, and none in a video edit).
//!
//! URLs (`image_url`, `video_url`) belong to [`super::media`].

use super::fields::one_of;
use super::loc::Loc;
use super::view::{as_int, get, Frame, View};
use super::Ctx;
use crate::json::Json;
use crate::report::{Code, Issue, Scenario};

/// The documented image `type` values.
pub const FRAME_TYPES: &[&str] = &["first_frame", "end_frame"];
/// The documented `refer_type` values.
pub const REFER_TYPES: &[&str] = &["feature", "base"];
/// Images (+ O1 elements) allowed without a video.
pub const MAX_REFERENCES: usize = 7;
/// Images (+ O1 elements) allowed with a video.
pub const MAX_REFERENCES_WITH_VIDEO: usize = 4;
/// Videos allowed.
pub const MAX_VIDEOS: usize = 1;
/// An end frame is allowed only while `image_list` has at most this many images.
pub const MAX_IMAGES_WITH_END_FRAME: usize = 2;
/// The largest integer a JavaScript number holds exactly (2^53 − 1).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// Runs the list checks.
pub fn check(cx: &mut Ctx, v: &View, scenario: Scenario) {
    for img in v.images.iter() {
        if let Some(t) = img.obj.and_then(|o| get(o, "type")) {
            one_of(cx, t, img.path().key("type"), FRAME_TYPES);
        }
    }
    for video in v.videos.iter() {
        if let Some(r) = video.obj.and_then(|o| get(o, "refer_type")) {
            one_of(cx, r, video.path().key("refer_type"), REFER_TYPES);
        }
    }
    // `v.elements` is empty where the model documents no element_list.
    {
        for e in v.elements.iter() {
            if let Json::Object(m) = e.item {
                let id_path = e.path().key("element_id");
                match get(m, "element_id") {
                    None => cx.report(Code::Required, id_path),
                    Some(id) if !element_id_ok(id) => cx.push(
                        Issue::new(Code::ElementIdInvalid, id_path.path()).with("actual", super::view::type_name(id)),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    counts(cx, v);
    frames(cx, v, scenario);
}

/// `element_id` is a positive integer a JavaScript number holds exactly, or a non-blank string
/// (Kling types it `long`; larger ids belong in strings).
pub fn element_id_ok(id: Json) -> bool {
    match id {
        Json::String(s) => !super::text::is_blank(s),
        Json::Number(_) => as_int(id).is_some_and(|i| (1..=MAX_SAFE_INTEGER).contains(&i)),
        _ => false,
    }
}

fn type_path(item: Loc<'static>) -> Loc<'static> {
    item.key("type")
}

fn counts(cx: &mut Ctx, v: &View) {
    if v.videos.len() > MAX_VIDEOS {
        cx.push(
            Issue::new(Code::TooManyVideos, cx.field("video_list").path())
                .with("limit", MAX_VIDEOS)
                .with("actual", v.videos.len()),
        );
    }
    // Counted apart from the reference limit: one count can break both rules (two issues).
    // Revision 2 (Kling's spec: "When using … the first frame or … first and last frames, a
    // maximum of 3 subjects is supported").
    if let Some(max) = cx.rules.elements.and_then(|e| e.max_with_frame) {
        if v.elements.len() > max && v.has_frame() {
            cx.push(
                Issue::new(Code::TooManyElements, cx.field("element_list").path())
                    .with("limit", max)
                    .with("actual", v.elements.len()),
            );
        }
    }
    let with_video = !v.videos.is_empty();
    let limit = if with_video { MAX_REFERENCES_WITH_VIDEO } else { MAX_REFERENCES };
    let count = v.reference_count();
    if count > limit {
        let field = if v.images.is_empty() { "element_list" } else { "image_list" };
        cx.push(
            Issue::new(Code::TooManyReferences, cx.field(field).path())
                .with("limit", limit)
                .with("actual", count)
                .with("with_video", with_video),
        );
    }
}

fn frames(cx: &mut Ctx, v: &View, scenario: Scenario) {
    let mut first_seen = false;
    let mut end_seen = false;
    let has_first = v.images.iter().any(|i| i.frame == Frame::First);
    let mut end_reported = false;
    for img in v.images.iter() {
        let (seen, name) = match img.frame {
            Frame::First => (&mut first_seen, "first_frame"),
            Frame::End => (&mut end_seen, "end_frame"),
            Frame::None | Frame::Invalid => continue,
        };
        let path = type_path(img.path());
        if *seen {
            cx.push(Issue::new(Code::DuplicateFrameType, path.path()).with("frame_type", name));
        }
        *seen = true;
        if scenario == Scenario::VideoEdit {
            cx.push(Issue::new(Code::FrameWithVideoEdit, path.path()).with("frame_type", name));
        }
        if img.frame == Frame::End && !end_reported {
            end_reported = true;
            if !has_first {
                cx.report(Code::EndFrameWithoutFirstFrame, path);
            }
            if v.images.len() > MAX_IMAGES_WITH_END_FRAME {
                cx.push(
                    Issue::new(Code::EndFrameWithManyImages, path.path())
                        .with("limit", MAX_IMAGES_WITH_END_FRAME)
                        .with("actual", v.images.len()),
                );
            }
        }
    }
}
