//! Prompts: required where documented, their length in Unicode scalar values, and the
//! `<<<image_N>>>`, `<<<element_N>>>`, `<<<video_N>>>` placeholders.

use super::loc::Loc;
use super::view::{want_str, View};
use super::Ctx;
use crate::report::{Code, Issue};

/// The limit of `prompt` and `negative_prompt`, in characters.
pub const PROMPT_MAX: usize = 2500;
/// The limit of a V3 shot's prompt, in characters.
pub const SHOT_PROMPT_MAX: usize = 512;
/// At most this many placeholder issues are reported per text, so a hostile prompt cannot
/// make the report unbounded (such a prompt is already `text_too_long`).
const MAX_PLACEHOLDER_ISSUES: usize = 100;

/// Runs the prompt checks.
pub fn check(cx: &mut Ctx, v: &View) {
    let path = cx.field("prompt");
    let prompt = match v.prompt {
        Some(p) => want_str(cx, p, path).map(Some),
        None => Some(None),
    };
    // `None` here: the prompt has the wrong type (already reported); nothing more to check.
    if let Some(prompt) = prompt {
        if v.multi_shot {
            // "为 true 时 prompt 无效": ignored. Decision: a blank prompt is not worth a warning
            // (forms often send `""`); any other text is.
            if prompt.is_some_and(|p| !is_blank(p)) {
                cx.push(Issue::new(Code::FieldIgnored, path.path()).with("reason", "multi_shot_on").fix_by_removing());
            }
        } else {
            match prompt {
                Some(p) if !is_blank(p) => {
                    length(cx, p, path, PROMPT_MAX);
                    placeholders(cx, v, p, path);
                }
                _ => cx.report(Code::PromptRequired, path),
            }
        }
    }
    if let Some(n) = v.negative_prompt {
        // Only V3 reads `negative_prompt` (O1: an unknown field, reported by `fields`).
        let path = cx.field("negative_prompt");
        if let Some(n) = want_str(cx, n, path) {
            length(cx, n, path, PROMPT_MAX);
        }
    }
}

/// True when the text is empty or Unicode `White_Space` only (U+3000 included).
pub fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

/// Reports `text_too_long` when `s` has more than `limit` Unicode scalar values.
pub fn length(cx: &mut Ctx, s: &str, path: Loc, limit: usize) {
    // Cheap bound first: a string of at most `limit` bytes has at most `limit` characters.
    if s.len() <= limit {
        return;
    }
    let n = s.chars().count();
    if n > limit {
        cx.push(Issue::new(Code::TextTooLong, path.path()).with("limit", limit).with("actual", n));
    }
}

/// A placeholder found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeholder<'t> {
    /// `<<<kind_N>>>` with a documented kind and a well-formed number.
    Ref {
        /// `image`, `element` or `video`.
        kind: &'t str,
        /// N (saturating).
        number: u64,
    },
    /// Anything else between `<<<` and `>>>`.
    Unknown(&'t str),
}

/// Finds the placeholders of a text, in order, lazily: the caller takes as many as it
/// reports, so a 50 MB prompt of placeholders costs no list of millions.
pub fn scan(text: &str) -> impl Iterator<Item = Placeholder<'_>> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = find_triple(rest, b'<')?;
        let after = &rest[start + 3..];
        let end = find_triple(after, b'>')?;
        let mut inner = &after[..end];
        // `<<<a <<<image_1>>>`: the last opening is the placeholder's.
        if let Some(pos) = rfind_triple(inner, b'<') {
            inner = &inner[pos + 3..];
        }
        rest = &after[end + 3..];
        Some(classify(inner))
    })
}

/// Where three `b` bytes in a row first start (an ASCII byte, so a char boundary): a
/// memchr for `b`, then a look at the next two (`str::find` of `"<<<"` built a two-way
/// searcher for every call, a third of a valid request's time with two placeholders).
fn find_triple(s: &str, b: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&c| c == b) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b) && bytes.get(at + 2) == Some(&b) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Where the last three `b` bytes in a row start.
fn rfind_triple(s: &str, b: u8) -> Option<usize> {
    let bytes = s.as_bytes();
    (0..bytes.len().saturating_sub(2)).rev().find(|&i| bytes[i] == b && bytes[i + 1] == b && bytes[i + 2] == b)
}

fn classify(inner: &str) -> Placeholder<'_> {
    for kind in ["image", "element", "video"] {
        if let Some(num) = inner.strip_prefix(kind).and_then(|r| r.strip_prefix('_')) {
            let digits = !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit());
            let leading_zero = num.len() > 1 && num.starts_with('0');
            if digits && !leading_zero {
                let number = num.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0')));
                return Placeholder::Ref { kind, number };
            }
        }
    }
    Placeholder::Unknown(inner)
}

/// Checks the placeholders of a text against the request's lists. `<<<image_N>>>` counts
/// every image of `image_list`, frames included; where the model documents no elements (the
/// V3 gateway), `<<<element_N>>>` is unknown.
pub fn placeholders(cx: &mut Ctx, v: &View, text: &str, path: Loc) {
    // `<` first: one memchr over a prompt with no placeholder at all.
    if !text.as_bytes().contains(&b'<') || !text.contains("<<<") {
        return;
    }
    // The limit counts issues, not placeholders: a bad one after a hundred good ones is
    // still found (scanning on costs time linear in the text, no memory).
    let before = cx.issues.len();
    for ph in scan(text) {
        if cx.issues.len() - before >= MAX_PLACEHOLDER_ISSUES {
            break;
        }
        match ph {
            Placeholder::Ref { kind, number } => {
                let count = match kind {
                    "image" => v.images.len(),
                    "video" => v.videos.len(),
                    _ if cx.rules.elements.is_some() => v.elements.len(),
                    _ => {
                        unknown(cx, path, &format!("element_{number}"));
                        continue;
                    }
                };
                if number == 0 || number > count as u64 {
                    cx.push(
                        Issue::new(Code::PlaceholderOutOfRange, path.path())
                            .with("placeholder", format!("<<<{kind}_{number}>>>"))
                            .with("kind", kind)
                            .with("number", number)
                            .with("count", count),
                    );
                }
            }
            Placeholder::Unknown(inner) => unknown(cx, path, inner),
        }
    }
}

fn unknown(cx: &mut Ctx, path: Loc, inner: &str) {
    let shown = format!("<<<{}>>>", crate::report::short(inner));
    cx.push(Issue::new(Code::PlaceholderUnknown, path.path()).with("placeholder", shown));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_reads_forms_and_rejects_others() {
        let found: Vec<_> =
            scan("a <<<image_1>>> b <<<video_12>>> <<<Image_1>>> <<<image_01>>> <<<image_ 1>>> <<<x <<<element_3>>>")
                .collect();
        assert_eq!(
            found,
            vec![
                Placeholder::Ref { kind: "image", number: 1 },
                Placeholder::Ref { kind: "video", number: 12 },
                Placeholder::Unknown("Image_1"),
                Placeholder::Unknown("image_01"),
                Placeholder::Unknown("image_ 1"),
                Placeholder::Ref { kind: "element", number: 3 },
            ]
        );
    }

    #[test]
    fn triples_are_found_as_str_find_finds_them() {
        for text in ["", "<<", "<<<", "a<<<b", "<<<<", "<<a<<<", "猫<<<猫>>>", ">>><<<", "<<<<<<", "x<<y<<<z<<<"] {
            assert_eq!(find_triple(text, b'<'), text.find("<<<"), "{text}");
            assert_eq!(rfind_triple(text, b'<'), text.rfind("<<<"), "{text}");
            assert_eq!(find_triple(text, b'>'), text.find(">>>"), "{text}");
        }
    }

    #[test]
    fn scan_handles_unclosed_and_huge_numbers() {
        assert_eq!(scan("<<<image_1").next(), None);
        assert_eq!(
            scan("<<<image_99999999999999999999999>>>").collect::<Vec<_>>(),
            vec![Placeholder::Ref { kind: "image", number: u64::MAX }]
        );
        assert_eq!(scan("<<<image_0>>>").collect::<Vec<_>>(), vec![Placeholder::Ref { kind: "image", number: 0 }]);
    }

    #[test]
    fn blank_is_unicode_whitespace() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\n\u{3000}\u{3000}"));
        assert!(!is_blank("\u{3000}猫"));
    }
}
