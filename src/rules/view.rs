//! Reads a request once into the places the rules look at, for either wire format.
//!
//! The view checks the request's *shape* (V3 `input`/`parameters` are objects; lists are
//! arrays; list items are objects) and reports `invalid_type` for it, once. Scalar fields are
//! left raw: the rule group that owns a field checks its type, so each fault is reported once
//! and a rule can decide that a field is only ignored or unsupported.
//!
//! `null` in an optional field counts as absent (docs/rules.md, "Fine points").

use super::loc::{Loc, Step};
use super::Ctx;
use crate::json::{Arr, Json, Num, Obj};
use crate::model::Provider;
use crate::provider::Layout;
use crate::report::{Code, Fix, Issue};

/// A JSON value's type name as messages use it.
pub fn type_name(v: Json) -> &'static str {
    v.type_name()
}

/// Reports `invalid_type` with the expected and actual type.
pub fn wrong_type(cx: &mut Ctx, path: Loc, expected: &'static str, actual: Json) {
    cx.push(Issue::new(Code::InvalidType, path.path()).with("expected", expected).with("actual", type_name(actual)));
}

/// The value as a string, or `invalid_type`.
pub fn want_str<'a>(cx: &mut Ctx, v: Json<'a>, path: Loc) -> Option<&'a str> {
    match v {
        Json::String(s) => Some(s),
        other => {
            wrong_type(cx, path, "string", other);
            None
        }
    }
}

/// The value as a boolean, or `invalid_type`.
pub fn want_bool(cx: &mut Ctx, v: Json, path: Loc) -> Option<bool> {
    match v {
        Json::Bool(b) => Some(b),
        other => {
            wrong_type(cx, path, "boolean", other);
            None
        }
    }
}

/// The value as an integer (a JSON number with a zero fraction counts, since JavaScript cannot
/// tell `5` from `5.0`), or `invalid_type`.
pub fn want_int(cx: &mut Ctx, v: Json, path: Loc) -> Option<i64> {
    match as_int(v) {
        Some(i) => Some(i),
        None => {
            wrong_type(cx, path, "integer", v);
            None
        }
    }
}

/// The largest integer a JavaScript number holds exactly (2^53): a type fix never moves a
/// value past it, so the fixed value is exactly the one the user wrote.
pub const MAX_EXACT_INT: u64 = 1 << 53;

/// The value as a string of whole seconds or an index written as a string (O1 `duration`, a
/// shot's `duration`), or `invalid_type`; a whole number there carries the fix that writes
/// it as a string (`5` → `"5"`: the same value, written the documented way).
pub fn want_int_string<'a>(cx: &mut Ctx, v: Json<'a>, path: Loc) -> Option<&'a str> {
    if let Json::String(s) = v {
        return Some(s);
    }
    let mut issue = Issue::new(Code::InvalidType, path.path()).with("expected", "string").with("actual", type_name(v));
    if let Some(n) = exact_int(v) {
        issue = issue.with_fix(Fix::replace(path.path(), n.to_string()));
    }
    cx.push(issue);
    None
}

/// The value as an integer, or `invalid_type` (as [`want_int`]); a string of decimal digits
/// there (`"5"`) carries the fix that writes it as a number. `"05"`, `" 5"` or `"5.0"` get
/// none: which number was meant is then a guess.
pub fn want_int_fixable(cx: &mut Ctx, v: Json, path: Loc) -> Option<i64> {
    if let Some(i) = as_int(v) {
        return Some(i);
    }
    let mut issue = Issue::new(Code::InvalidType, path.path()).with("expected", "integer").with("actual", type_name(v));
    if let Some(n) = v.as_str().and_then(super::params::int_string).filter(|n| *n <= MAX_EXACT_INT) {
        issue = issue.with_fix(Fix::replace(path.path(), n));
    }
    cx.push(issue);
    None
}

/// A JSON number that is a whole number JavaScript holds exactly (|n| ≤ 2^53), as an `i64`.
pub fn exact_int(v: Json) -> Option<i64> {
    let n = v.as_number()?;
    let exact = |i: i64| (i.unsigned_abs() <= MAX_EXACT_INT).then_some(i);
    if let Some(i) = n.as_i64() {
        return exact(i);
    }
    let f = n.as_f64();
    // |f| ≤ 2^53 here, so the cast is exact.
    (f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_EXACT_INT as f64).then_some(f as i64)
}

/// A JSON number with no fraction, as an integer (saturating beyond `i64`).
pub fn as_int(v: Json) -> Option<i64> {
    let n: Num = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    if n.as_u64().is_some() {
        return Some(i64::MAX);
    }
    let f = n.as_f64();
    if f.is_finite() && f.fract() == 0.0 {
        // Saturating cast: far beyond any limit either way.
        Some(f as i64)
    } else {
        None
    }
}

/// A field of an object, with `null` read as absent.
#[inline(always)]
pub fn get<'a>(obj: Obj<'a>, key: &str) -> Option<Json<'a>> {
    obj.get(key).filter(|v| !v.is_null())
}

/// The frame type of an image, as far as the scenario is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Frame {
    /// No `type`: a reference image.
    #[default]
    None,
    /// `first_frame`.
    First,
    /// `end_frame`.
    End,
    /// A `type` that is not one of the two (reported by `lists`); read as a reference image.
    Invalid,
}

/// How a video is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Refer {
    /// `feature`.
    Feature,
    /// `base`, absent, or an unknown value (read as the default).
    #[default]
    Base,
}

/// One item of `image_list`.
#[derive(Debug, Clone, Copy)]
pub struct ImageView<'a> {
    /// The list's path (`[..., "image_list"]`).
    pub list: &'static Loc<'static>,
    /// Its index in the list.
    pub index: usize,
    /// The item, when it is an object.
    pub obj: Option<Obj<'a>>,
    /// Its frame type.
    pub frame: Frame,
}

/// One item of `element_list`.
#[derive(Debug, Clone, Copy)]
pub struct ElementView<'a> {
    /// The list's path (`[..., "element_list"]`).
    pub list: &'static Loc<'static>,
    /// Its index in the list.
    pub index: usize,
    /// The item as written.
    pub item: Json<'a>,
}

/// One item of `video_list`.
#[derive(Debug, Clone, Copy)]
pub struct VideoView<'a> {
    /// The list's path (`[..., "video_list"]`).
    pub list: &'static Loc<'static>,
    /// Its index in the list.
    pub index: usize,
    /// The item, when it is an object.
    pub obj: Option<Obj<'a>>,
    /// How it is used.
    pub refer: Refer,
}

/// Items a [`Few`] keeps on the stack.
pub const INLINE: usize = 8;

impl Default for ImageView<'_> {
    fn default() -> Self {
        ImageView { list: &LISTS[0][0], index: 0, obj: None, frame: Frame::None }
    }
}

impl Default for ElementView<'_> {
    fn default() -> Self {
        ElementView { list: &LISTS[0][1], index: 0, item: Json::Null }
    }
}

impl Default for VideoView<'_> {
    fn default() -> Self {
        VideoView { list: &LISTS[0][2], index: 0, obj: None, refer: Refer::Base }
    }
}

impl ImageView<'_> {
    /// Its path (`[..., "image_list", i]`).
    pub fn path(&self) -> Loc<'static> {
        self.list.index(self.index)
    }
}

impl ElementView<'_> {
    /// Its path (`[..., "element_list", i]`).
    pub fn path(&self) -> Loc<'static> {
        self.list.index(self.index)
    }
}

impl VideoView<'_> {
    /// Its path (`[..., "video_list", i]`).
    pub fn path(&self) -> Loc<'static> {
        self.list.index(self.index)
    }
}

/// The items of a list: on the stack up to [`INLINE`] (more than any valid request
/// has), on the heap beyond, so reading a valid request allocates nothing.
#[derive(Debug)]
pub struct Few<T> {
    inline: [T; INLINE],
    len: usize,
    heap: Vec<T>,
}

impl<T: Copy + Default> Few<T> {
    fn new() -> Self {
        Few { inline: [T::default(); INLINE], len: 0, heap: Vec::new() }
    }

    fn push(&mut self, item: T) {
        if self.len < INLINE {
            self.inline[self.len] = item;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.inline);
            }
            self.heap.push(item);
        }
        self.len += 1;
    }
}

impl<T> std::ops::Deref for Few<T> {
    type Target = [T];
    #[inline]
    fn deref(&self) -> &[T] {
        if self.len > INLINE {
            &self.heap
        } else {
            &self.inline[..self.len]
        }
    }
}

impl<'s, T> IntoIterator for &'s Few<T> {
    type Item = &'s T;
    type IntoIter = std::slice::Iter<'s, T>;
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

/// The request, read once.
#[derive(Debug)]
pub struct View<'a> {
    /// The provider.
    pub provider: Provider,
    /// The whole body.
    pub root: Obj<'a>,
    /// V3 `input`, when an object.
    pub input: Option<Obj<'a>>,
    /// V3 `parameters` when an object; for O1 the root (its fields sit there).
    pub params: Option<Obj<'a>>,
    /// O1 `prompt` / V3 `input.prompt`.
    pub prompt: Option<Json<'a>>,
    /// V3 `input.negative_prompt` (O1: not documented).
    pub negative_prompt: Option<Json<'a>>,
    /// Items of `image_list` (empty when absent or not an array).
    pub images: Few<ImageView<'a>>,
    /// Items of `element_list` (where the model documents it; empty otherwise).
    pub elements: Few<ElementView<'a>>,
    /// Items of `video_list`.
    pub videos: Few<VideoView<'a>>,
    /// `multi_shot` is `true` where the model documents it (wrong types read as false, and
    /// are reported by `shots`).
    pub multi_shot: bool,
}

impl<'a> View<'a> {
    /// Reads the request, reporting its shape faults.
    pub fn read(cx: &mut Ctx, root: Obj<'a>) -> View<'a> {
        let provider = cx.provider;
        let (input, params) = match cx.desc.layout {
            Layout::Flat => (None, Some(root)),
            Layout::Nested => (section(cx, root, "input"), section(cx, root, "parameters")),
        };
        let prompt = match cx.desc.layout {
            Layout::Flat => get(root, "prompt"),
            Layout::Nested => input.and_then(|i| get(i, "prompt")),
        };
        let negative_prompt = input.and_then(|i| get(i, "negative_prompt"));

        let mut images = Few::new();
        let list_at = list_loc(cx, "image_list");
        for (index, item) in list(cx, params, "image_list", list_at) {
            let obj = item_obj(cx, list_at.index(index), item);
            let frame = match obj.and_then(|o| get(o, "type")) {
                None => Frame::None,
                Some(Json::String("first_frame")) => Frame::First,
                Some(Json::String("end_frame")) => Frame::End,
                Some(_) => Frame::Invalid,
            };
            images.push(ImageView { list: list_at, index, obj, frame });
        }

        // Where a model documents no element_list, it is only an unknown field.
        let mut elements = Few::new();
        if cx.rules.elements.is_some() {
            let list_at = list_loc(cx, "element_list");
            for (index, item) in list(cx, params, "element_list", list_at) {
                elements.push(ElementView { list: list_at, index, item });
            }
        }

        let mut videos = Few::new();
        let list_at = list_loc(cx, "video_list");
        for (index, item) in list(cx, params, "video_list", list_at) {
            let obj = item_obj(cx, list_at.index(index), item);
            let refer = match obj.and_then(|o| get(o, "refer_type")) {
                Some(Json::String("feature")) => Refer::Feature,
                _ => Refer::Base,
            };
            videos.push(VideoView { list: list_at, index, obj, refer });
        }

        let multi_shot =
            cx.rules.multi_shot && params.and_then(|p| get(p, "multi_shot")).and_then(Json::as_bool).unwrap_or(false);

        View { provider, root, input, params, prompt, negative_prompt, images, elements, videos, multi_shot }
    }

    /// A field of `parameters` (V3) or of the root (O1), `null` read as absent.
    pub fn param(&self, key: &str) -> Option<Json<'a>> {
        self.params.and_then(|p| get(p, key))
    }

    /// True when any image is a first or end frame.
    pub fn has_frame(&self) -> bool {
        self.images.iter().any(|i| matches!(i.frame, Frame::First | Frame::End))
    }

    /// The request has a `feature` video.
    pub fn has_feature_video(&self) -> bool {
        self.videos.iter().any(|x| x.refer == Refer::Feature)
    }

    /// One `first_frame` image and nothing else: no other image, no element, no video.
    pub fn first_frame_alone(&self) -> bool {
        matches!(&self.images[..], [only] if only.frame == Frame::First)
            && self.elements.is_empty()
            && self.videos.is_empty()
    }

    /// The number of references counted toward the limit: images, plus documented elements.
    pub fn reference_count(&self) -> usize {
        self.images.len() + self.elements.len()
    }
}

/// A V3 section (`input`, `parameters`) that must be an object.
fn section<'a>(cx: &mut Ctx, root: Obj<'a>, key: &'static str) -> Option<Obj<'a>> {
    match get(root, key) {
        None => None,
        Some(Json::Object(m)) => Some(m),
        Some(other) => {
            wrong_type(cx, Loc::ROOT.key(key), "object", other);
            None
        }
    }
}

/// The paths of the three lists, flat and nested.
static LISTS: [[Loc<'static>; 3]; 2] = {
    const fn at(nested: bool, key: &'static str) -> Loc<'static> {
        match nested {
            false => Loc::of(&[Step::Static(key)]),
            true => Loc::of(&[Step::Static("parameters"), Step::Static(key)]),
        }
    }
    [
        [at(false, "image_list"), at(false, "element_list"), at(false, "video_list")],
        [at(true, "image_list"), at(true, "element_list"), at(true, "video_list")],
    ]
};

/// The path of a list field, kept in a static so each item holds only a reference to it.
fn list_loc(cx: &Ctx, key: &'static str) -> &'static Loc<'static> {
    let layout = match cx.desc.layout {
        Layout::Flat => 0,
        Layout::Nested => 1,
    };
    let which = match key {
        "image_list" => 0,
        "element_list" => 1,
        _ => 2,
    };
    debug_assert_eq!(LISTS[layout][which], cx.field(key));
    &LISTS[layout][which]
}

/// The items of a list field (at `path`), which must be an array, with their indexes.
fn list<'a>(
    cx: &mut Ctx,
    params: Option<Obj<'a>>,
    key: &'static str,
    path: &Loc<'static>,
) -> impl Iterator<Item = (usize, Json<'a>)> {
    let items: Option<Arr<'a>> = match params.and_then(|p| get(p, key)) {
        None => None,
        Some(Json::Array(items)) => Some(items),
        Some(other) => {
            wrong_type(cx, *path, "array", other);
            None
        }
    };
    items.into_iter().flat_map(|a| a.iter()).enumerate()
}

/// A list item, which must be an object.
fn item_obj<'a>(cx: &mut Ctx, path: Loc, item: Json<'a>) -> Option<Obj<'a>> {
    match item {
        Json::Object(m) => Some(m),
        other => {
            wrong_type(cx, path, "object", other);
            None
        }
    }
}
