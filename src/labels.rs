//! Human labels for wire paths, in English and Chinese: "Image 1", "Shot 2's duration",
//! "图片 1", "镜头 2 的时长". Messages name their field with these, and every JS issue carries
//! its `label` beside the wire `path`, so a form can show the same words as its own fields.
//!
//! Items of a list are counted from 1, as a form shows them (`image_list[0]` is "Image 1").
//! A field outside a list keeps its wire name in English (`prompt`, `duration`, without
//! V3's `input.`/`parameters.`), which is what a developer types; in Chinese it gets its
//! Chinese name (`提示词`). A path this table does not know is shown as the wire path.

use crate::messages::Locale;
use crate::report::{push_path, PathSeg};

/// Chinese names of the wire fields.
pub(crate) fn zh_field(key: &str) -> Option<&'static str> {
    Some(match key {
        "prompt" => "提示词",
        "negative_prompt" => "反向提示词",
        "model_name" | "model" => "模型名称",
        "mode" => "生成模式",
        "aspect_ratio" => "画面纵横比",
        "duration" => "时长",
        "sound" => "声音",
        "multi_shot" => "多镜头模式",
        "shot_type" => "镜头类型",
        "multi_prompt" => "多镜头提示词",
        "image_list" => "图片列表",
        "element_list" => "主体列表",
        "video_list" => "视频列表",
        "image_url" => "图片",
        "video_url" => "视频",
        "type" => "图片类型",
        "element_id" => "主体 ID",
        "refer_type" => "参考类型",
        "keep_original_sound" => "保留原声",
        "watermark_info" => "水印设置",
        "watermark_enabled" | "enabled" => "水印开关",
        "callback_url" => "回调地址",
        "external_task_id" => "自定义任务 ID",
        "index" => "镜头序号",
        _ => return None,
    })
}

/// What one item of a list is called: ("Image", "图片") for `image_list`.
fn item_name(list: &str) -> Option<(&'static str, &'static str)> {
    Some(match list {
        "image_list" => ("Image", "图片"),
        "element_list" => ("Element", "主体"),
        "video_list" => ("Video", "视频"),
        "multi_prompt" => ("Shot", "镜头"),
        _ => return None,
    })
}

/// The key that names the item itself: an image's `image_url` is "Image 1", not "Image 1's
/// image_url".
fn is_item_key(list: &str, key: &str) -> bool {
    matches!((list, key), ("image_list", "image_url") | ("element_list", "element_id") | ("video_list", "video_url"))
}

/// Chinese names of a field inside a list item, where they differ from [`zh_field`].
fn zh_item_field(key: &str) -> Option<&'static str> {
    Some(match key {
        "type" => "类型",
        "prompt" => "提示词",
        "duration" => "时长",
        "index" => "序号",
        other => return zh_field(other),
    })
}

/// The label of a path: "Image 1", "Shot 2's duration", "prompt" / "图片 1", "镜头 2 的时长",
/// "提示词". Never empty.
pub fn label(path: &[PathSeg], locale: Locale) -> String {
    let mut out = String::new();
    label_into(&mut out, path, locale);
    out
}

/// Appends the label of a path (see [`label`]), piece by piece (no `core::fmt`).
pub fn label_into(out: &mut String, path: &[PathSeg], locale: Locale) {
    // V3's envelope is not something a person names.
    let rest = match path.first() {
        Some(PathSeg::Key(k)) if k == "input" || k == "parameters" => &path[1..],
        _ => path,
    };
    let wire = |out: &mut String| push_path(out, if rest.is_empty() { path } else { rest });
    match rest {
        [] if path.is_empty() => out.push_str(match locale {
            Locale::En => "request",
            Locale::Zh => "请求",
        }),
        [PathSeg::Key(list), PathSeg::Index(i), tail @ ..] if item_name(list).is_some() && tail.len() <= 1 => {
            let (en, zh) = item_name(list).unwrap_or(("", ""));
            let item = |out: &mut String| {
                out.push_str(if locale == Locale::En { en } else { zh });
                out.push(' ');
                crate::write::push_u64(out, i.saturating_add(1) as u64);
            };
            match (tail.first(), locale) {
                (None, _) => item(out),
                (Some(PathSeg::Key(k)), _) if is_item_key(list, k) => item(out),
                (Some(PathSeg::Key(k)), Locale::En) => {
                    item(out);
                    out.push_str("'s ");
                    out.push_str(k);
                }
                (Some(PathSeg::Key(k)), Locale::Zh) => {
                    item(out);
                    out.push_str(" 的");
                    out.push_str(zh_item_field(k).unwrap_or(k));
                }
                (Some(PathSeg::Index(_)), _) => wire(out),
            }
        }
        _ if rest.iter().any(|s| matches!(s, PathSeg::Index(_))) => wire(out),
        _ => match (locale, rest.last()) {
            // `watermark_info.enabled` is the watermark switch, as `watermark_enabled` is.
            (Locale::Zh, Some(PathSeg::Key(k))) => match zh_field(k) {
                Some(name) => out.push_str(name),
                None => wire(out),
            },
            _ => wire(out),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path;
    use crate::report::Path;

    #[test]
    fn every_path_shape_of_the_three_providers() {
        // (path, English, Chinese): flat (o1, kling) and V3's input/parameters.
        let rows: Vec<(Path, &str, &str)> = vec![
            (path![], "request", "请求"),
            (path!["prompt"], "prompt", "提示词"),
            (path!["input", "prompt"], "prompt", "提示词"),
            (path!["input", "negative_prompt"], "negative_prompt", "反向提示词"),
            (path!["model_name"], "model_name", "模型名称"),
            (path!["model"], "model", "模型名称"),
            (path!["duration"], "duration", "时长"),
            (path!["parameters", "duration"], "duration", "时长"),
            (path!["parameters", "aspect_ratio"], "aspect_ratio", "画面纵横比"),
            (path!["sound"], "sound", "声音"),
            (path!["parameters", "multi_shot"], "multi_shot", "多镜头模式"),
            (path!["shot_type"], "shot_type", "镜头类型"),
            (path!["watermark_info", "enabled"], "watermark_info.enabled", "水印开关"),
            (path!["parameters", "watermark_enabled"], "watermark_enabled", "水印开关"),
            (path!["callback_url"], "callback_url", "回调地址"),
            (path!["parameters", "external_task_id"], "external_task_id", "自定义任务 ID"),
            (path!["image_list"], "image_list", "图片列表"),
            (path!["image_list", 0], "Image 1", "图片 1"),
            (path!["image_list", 0, "image_url"], "Image 1", "图片 1"),
            (path!["parameters", "image_list", 1, "image_url"], "Image 2", "图片 2"),
            (path!["image_list", 2, "type"], "Image 3's type", "图片 3 的类型"),
            (path!["element_list", 0, "element_id"], "Element 1", "主体 1"),
            (path!["element_list", 3], "Element 4", "主体 4"),
            (path!["video_list", 0, "video_url"], "Video 1", "视频 1"),
            (path!["parameters", "video_list", 0, "refer_type"], "Video 1's refer_type", "视频 1 的参考类型"),
            (path!["video_list", 0, "keep_original_sound"], "Video 1's keep_original_sound", "视频 1 的保留原声"),
            (path!["multi_prompt"], "multi_prompt", "多镜头提示词"),
            (path!["multi_prompt", 1], "Shot 2", "镜头 2"),
            (path!["parameters", "multi_prompt", 0, "prompt"], "Shot 1's prompt", "镜头 1 的提示词"),
            (path!["multi_prompt", 1, "duration"], "Shot 2's duration", "镜头 2 的时长"),
            (path!["multi_prompt", 1, "index"], "Shot 2's index", "镜头 2 的序号"),
            // Unknown keys keep their wire name; unknown shapes their wire path.
            (path!["seed"], "seed", "seed"),
            (path!["parameters", "seed"], "seed", "seed"),
            (path!["image_list", 0, "seed"], "Image 1's seed", "图片 1 的seed"),
            (path!["image_list", 0, "x", "y"], "image_list[0].x.y", "image_list[0].x.y"),
            (path!["foo_list", 0], "foo_list[0]", "foo_list[0]"),
            (path!["input"], "input", "input"),
            (path!["parameters"], "parameters", "parameters"),
        ];
        for (p, en, zh) in rows {
            assert_eq!(label(&p, Locale::En), en, "{p:?}");
            assert_eq!(label(&p, Locale::Zh), zh, "{p:?}");
        }
    }

    #[test]
    fn a_huge_index_does_not_overflow() {
        let p: Path = path!["image_list", usize::MAX];
        assert_eq!(label(&p, Locale::En), format!("Image {}", usize::MAX));
    }
}
