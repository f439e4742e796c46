//! One table of messages, in English and Chinese. Each message names the field, the limit and
//! the actual value, and the fix where there is one: "prompt has 2612 characters; the limit is
//! 2500" / "提示词有 2612 个字符，上限为 2500".

use crate::report::{Code, Issue};
use serde_json::Value;

/// The language of messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Locale {
    /// `"en"` or `"zh"` (also `"zh-CN"`, `"zh-Hans"`, …); `None` for anything else.
    pub fn parse(s: &str) -> Option<Locale> {
        let lower = s.to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") {
            Some(Locale::En)
        } else if lower == "zh" || lower.starts_with("zh-") {
            Some(Locale::Zh)
        } else {
            None
        }
    }
}

fn zh_type(t: &str) -> &str {
    match t {
        "string" => "字符串",
        "integer" => "整数",
        "number" => "数字",
        "boolean" => "布尔值",
        "object" => "对象",
        "array" => "数组",
        other => other,
    }
}

/// Writes pieces (anything [`Put`]) into `out`, in order.
macro_rules! w {
    ($out:ident; $($piece:expr),* $(,)?) => {{
        $( Put::put(&$piece, $out); )*
    }};
}

/// The English or the Chinese pieces, by locale.
macro_rules! tr {
    ($out:ident, $l:expr; [$($en:expr),* $(,)?], [$($zh:expr),* $(,)?]) => {
        match $l {
            Locale::En => w!($out; $($en),*),
            Locale::Zh => w!($out; $($zh),*),
        }
    };
}

/// A piece of a message, written straight into it: text, a param, a label.
trait Put {
    fn put(&self, out: &mut String);
}

impl Put for str {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Put for String {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Put + ?Sized> Put for &T {
    fn put(&self, out: &mut String) {
        (**self).put(out);
    }
}

/// A param as text: strings bare, lists as `"a", "b"`, numbers and the rest as their JSON.
#[derive(Clone, Copy)]
struct P<'a>(Option<&'a Value>);

impl Put for P<'_> {
    fn put(&self, out: &mut String) {
        match self.0 {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => out.push_str(s),
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('"');
                    P(Some(item)).put(out);
                    out.push('"');
                }
            }
            Some(other) => crate::write::push_value(out, other),
        }
    }
}

impl P<'_> {
    /// True when the param's text is `s` (`P` written out equals it).
    fn is(self, s: &str) -> bool {
        match self.0 {
            None | Some(Value::Null) => s.is_empty(),
            Some(Value::String(t)) => t == s,
            Some(Value::Bool(b)) => s == if *b { "true" } else { "false" },
            Some(Value::Array(a)) if a.is_empty() => s.is_empty(),
            _ => {
                let mut t = String::new();
                self.put(&mut t);
                t == s
            }
        }
    }
}

/// A param that names a JSON type, in Chinese where it is one ("字符串" for "string").
struct ZhType<'a>(P<'a>);

impl Put for ZhType<'_> {
    fn put(&self, out: &mut String) {
        match self.0 .0 {
            Some(Value::String(s)) => out.push_str(zh_type(s)),
            _ => self.0.put(out),
        }
    }
}

/// The field as a person reads it: its label ("Image 1", "prompt", "图片 1", "提示词").
struct Field<'a>(&'a Issue, Locale);

impl Put for Field<'_> {
    fn put(&self, out: &mut String) {
        crate::labels::label_into(out, &self.0.path, self.1);
    }
}

/// The providers that take a model, as a person reads them: "Kling's own API (provider
/// \"kling\") or the V3 gateway (provider \"v3\")".
struct ServedBy<'a>(Option<&'a Value>, Locale);

impl ServedBy<'_> {
    fn names(&self) -> impl Iterator<Item = &str> {
        self.0.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
    }
}

impl Put for ServedBy<'_> {
    fn put(&self, out: &mut String) {
        for (i, name) in self.names().enumerate() {
            if i > 0 {
                out.push_str(if self.1 == Locale::En { " or " } else { "或" });
            }
            ProviderLabel(P(None), name, self.1).put(out);
        }
    }
}

/// A provider by its description's label and name: `the V3 gateway (provider "v3")`. The
/// name is the param `P` where there is one, else the `&str`.
struct ProviderLabel<'a>(P<'a>, &'a str, Locale);

impl Put for ProviderLabel<'_> {
    fn put(&self, out: &mut String) {
        let name = match self.0 .0 {
            Some(Value::String(s)) => s.as_str(),
            Some(_) => "",
            None => self.1,
        };
        // The provider's own description names it.
        let (en, zh) = name.parse::<crate::model::Provider>().map(|p| p.description().label).unwrap_or(("", ""));
        let name: &dyn Put = if self.0 .0.is_some() { &self.0 } else { &self.1 };
        match self.2 {
            Locale::En => w!(out; en, " (provider \"", name, "\")"),
            Locale::Zh => w!(out; zh, "（服务商 \"", name, "\"）"),
        }
    }
}

fn megabytes(v: Option<&Value>) -> String {
    let b = v.and_then(Value::as_f64).unwrap_or(0.0);
    let mb = b / (1024.0 * 1024.0);
    let digits = if mb.fract() == 0.0 { 0 } else { 2 };
    // Beyond 2^64 MB (no real file): serde_json's shortest form instead.
    fixed(mb, digits).unwrap_or_else(|| {
        let mut s = String::new();
        crate::write::push_f64(&mut s, mb);
        s
    })
}

/// `x` with `digits` (0 or 2) decimals, exactly as `format!("{x:.0}")` / `format!("{x:.2}")`
/// writes it (the exact binary value rounded, ties to even; a sign on negatives and -0),
/// without core's float formatting (~17 KB of the validator's wasm). `None` where the
/// rounded value times 10^digits does not fit in a u64, or `x` is not finite.
fn fixed(x: f64, digits: u32) -> Option<String> {
    if !x.is_finite() {
        return None;
    }
    let bits = x.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp - 1075) };
    // |x| * 10^digits = m * 10^digits * 2^e, exactly.
    let n = u128::from(m) * u128::from(10u64.pow(digits));
    let scaled = if e >= 0 {
        if e > 64 {
            return None;
        }
        n << e
    } else if e <= -127 {
        0 // under 2^-74 before rounding: 0
    } else {
        let s = e.unsigned_abs();
        let q = n >> s;
        let r = n - (q << s);
        let half = 1u128 << (s - 1);
        if r > half || (r == half && q & 1 == 1) {
            q + 1
        } else {
            q
        }
    };
    let scaled = u64::try_from(scaled).ok()?;
    let mut out = String::new();
    if x.is_sign_negative() {
        out.push('-');
    }
    let unit = 10u64.pow(digits);
    crate::write::push_u64(&mut out, scaled / unit);
    if digits > 0 {
        // `unit` is 100: two digits, a leading zero where the rest is under 10.
        let rest = scaled % unit;
        out.push('.');
        out.push((b'0' + (rest / 10) as u8) as char);
        out.push((b'0' + (rest % 10) as u8) as char);
    }
    Some(out)
}

/// Renders an issue's message.
pub fn render(issue: &Issue, l: Locale) -> String {
    let mut out = String::new();
    render_into(&mut out, issue, l);
    out
}

/// Appends an issue's message: its pieces pushed in order, params written as they stand
/// (integers and floats without `core::fmt`).
pub fn render_into(out: &mut String, issue: &Issue, l: Locale) {
    let p = |k: &str| P(issue.param(k));
    let field = Field(issue, l);
    let (actual, limit, min, max) = (p("actual"), p("limit"), p("min"), p("max"));
    let (allowed, expected) = (p("allowed"), p("expected"));
    let reason = issue.param("reason").and_then(Value::as_str).unwrap_or("");
    match issue.code {
        Code::InvalidType => {
            let (e, a) = (expected.0.and_then(Value::as_str), actual.0.and_then(Value::as_str));
            let hint = match (l, e, a) {
                (Locale::En, Some("string"), Some("number")) => " (put the value in quotes, e.g. \"5\")",
                (Locale::Zh, Some(e), Some(a)) if zh_type(e) == "字符串" && zh_type(a) == "数字" => {
                    "（请加引号，例如 \"5\"）"
                }
                (Locale::En, Some("integer"), Some("string")) => " (remove the quotes, e.g. 5)",
                (Locale::Zh, Some(e), Some(a)) if zh_type(e) == "整数" && zh_type(a) == "字符串" => {
                    "（请去掉引号，例如 5）"
                }
                _ => "",
            };
            let (zh_expected, zh_actual) = (ZhType(expected), ZhType(actual));
            tr!(out, l; [field, " must be a ", expected, ", not a ", actual, hint], [field, "应为", zh_expected, "，实际为", zh_actual, hint])
        }
        Code::Required => tr!(out, l; [field, " is required"], [field, "为必填项"]),
        Code::ElementIdInvalid => {
            tr!(out, l; [field, " must be a positive integer (at most 2^53 − 1) or a non-empty string; write larger ids as strings"], [field, "必须是正整数（不超过 2^53 − 1）或非空字符串；更大的 ID 请写成字符串"])
        }
        Code::UnknownField => {
            // The provider's name from its description ("the V3 gateway (provider \"v3\")").
            let provider = ProviderLabel(p("provider"), "", l);
            tr!(out, l; [field, " is not a documented field of ", provider, "; the API may ignore or reject it"], [field, "不是 ", provider, " 文档中的字段，接口可能忽略或拒绝它"])
        }
        Code::InvalidValue => {
            // A model of another provider (R2): say which provider takes it.
            let served_by = ServedBy(issue.param("served_by"), l);
            if served_by.names().next().is_none() {
                tr!(out, l; [field, " is \"", actual, "\"; allowed values are ", allowed, " (case-sensitive)"], [field, "的值 \"", actual, "\" 无效，可选值为 ", allowed, "（区分大小写）"])
            } else {
                tr!(out, l; [field, " is \"", actual, "\"; this provider takes only ", allowed, ". \"", actual, "\" belongs to ", served_by, ": choose that provider, or change the model"], [field, "为 \"", actual, "\"，此服务商只支持 ", allowed, "。\"", actual, "\" 属于 ", served_by, "：请改用该服务商，或更换模型"])
            }
        }
        Code::PromptRequired => tr!(out, l; [field, " is empty; write a prompt"], [field, "不能为空，请填写提示词"]),
        Code::TextTooLong => {
            tr!(out, l; [field, " has ", actual, " characters; the limit is ", limit], [field, "有 ", actual, " 个字符，上限为 ", limit])
        }
        Code::PlaceholderOutOfRange => {
            let placeholder = p("placeholder");
            let kind = p("kind");
            let count = p("count");
            tr!(out, l; [field, " refers to ", placeholder, ", but ", kind, "_list", " has ", count, " item(s); numbers start at 1"], [field, "引用了 ", placeholder, "，但 ", kind, "_list", " 只有 ", count, " 项（编号从 1 开始）"])
        }
        Code::PlaceholderUnknown => {
            let placeholder = p("placeholder");
            tr!(out, l; [field, " contains ", placeholder, ", which is not a placeholder the API knows (<<<image_N>>>, <<<element_N>>> for O1, <<<video_N>>>); it is sent as plain text"], [field, "中的 ", placeholder, " 不是接口支持的占位符（<<<image_N>>>、O1 的 <<<element_N>>>、<<<video_N>>>），将作为普通文本发送"])
        }
        Code::FieldIgnored => match reason {
            "video_edit" => {
                tr!(out, l; [field, " is ignored in a video edit (refer_type \"base\"): the output is as long as the input video; remove it"], ["视频编辑（refer_type 为 \"base\"）时", field, "无效，输出与输入视频时长一致，可删除"])
            }
            "multi_shot_on" => {
                tr!(out, l; [field, " is ignored when multi_shot is true; write each shot's prompt in multi_prompt"], ["multi_shot 为 true 时", field, "无效，请在 multi_prompt 中填写每个镜头的提示词"])
            }
            "aspect_ratio_from_frame" => {
                tr!(out, l; [field, " is ignored with a first or end frame image: the video takes the frame's aspect ratio; remove it"], ["使用首帧或首尾帧图片时", field, "无效，视频沿用图片的宽高比，可删除"])
            }
            "aspect_ratio_from_video" => {
                tr!(out, l; [field, " is ignored in a video edit (refer_type \"base\"): the output keeps the input video's aspect ratio; remove it"], ["视频编辑（refer_type 为 \"base\"）时", field, "无效，输出沿用输入视频的宽高比，可删除"])
            }
            _ => {
                tr!(out, l; [field, " is ignored unless multi_shot is true"], ["multi_shot 为 false 时", field, "无效"])
            }
        },
        Code::TooManyReferences => {
            let with_video = p("with_video").is("true");
            match (l, with_video) {
                (Locale::En, true) => {
                    w!(out; field, ": ", actual, " images and elements; with a reference video the limit is ", limit)
                }
                (Locale::En, false) => w!(out; field, ": ", actual, " images and elements; the limit is ", limit),
                (Locale::Zh, true) => w!(out; field, "：图片与主体共 ", actual, " 个，有参考视频时上限为 ", limit),
                (Locale::Zh, false) => w!(out; field, "：图片与主体共 ", actual, " 个，上限为 ", limit),
            }
        }
        Code::TooManyElements => {
            tr!(out, l; [field, " has ", actual, " elements; with a first or end frame image the limit is ", limit], [field, "有 ", actual, " 个主体；使用首帧或首尾帧图片时最多 ", limit, " 个"])
        }
        Code::TooManyVideos => {
            tr!(out, l; [field, " has ", actual, " videos; only ", limit, " is supported"], [field, "有 ", actual, " 段视频，仅支持 ", limit, " 段"])
        }
        Code::EndFrameWithoutFirstFrame => {
            tr!(out, l; [field, ": an end_frame needs a first_frame; add a first_frame image or remove the end_frame"], [field, "：不支持仅尾帧，请添加 first_frame 首帧图片或去掉 end_frame"])
        }
        Code::DuplicateFrameType => {
            let frame = p("frame_type");
            tr!(out, l; [field, ": more than one ", frame, "; keep one"], [field, "：有多个 ", frame, "，只能保留一个"])
        }
        Code::EndFrameWithManyImages => {
            tr!(out, l; [field, ": an end_frame is not supported when image_list has more than ", limit, " images (it has ", actual, ")"], [field, "：图片超过 ", limit, " 张时不支持设置尾帧（当前 ", actual, " 张）"])
        }
        Code::FrameWithVideoEdit => {
            let frame = p("frame_type");
            tr!(out, l; [field, ": a ", frame, " cannot be used when editing a video (refer_type \"base\"); remove the frame type or use refer_type \"feature\""], [field, "：视频编辑（refer_type 为 \"base\"）时不能设置 ", frame, "，请去掉帧类型或改用 refer_type \"feature\""])
        }
        Code::AspectRatioRequired => {
            tr!(out, l; [field, " is required here; choose one of ", allowed], [field, "为必填项，可选 ", allowed])
        }
        Code::AspectRatioNotSupported => match reason {
            "video_edit" => {
                tr!(out, l; [field, " is not supported in a video edit: the output keeps the input video's shape; remove it"], ["视频编辑时不支持", field, "，输出沿用输入视频的比例，请删除"])
            }
            _ => {
                tr!(out, l; [field, " is not supported with a first or end frame: the frame sets the shape; remove it"], ["使用首帧或首尾帧时不支持", field, "，画面比例由帧图片决定，请删除"])
            }
        },
        Code::DurationOutOfRange => {
            if min.is("") || issue.param("allowed").is_some_and(|a| a.as_array().is_some_and(|a| a.len() == 2)) {
                tr!(out, l; [field, " is ", actual, "; here it must be one of ", allowed], [field, "为 ", actual, "，此场景仅支持 ", allowed])
            } else {
                tr!(out, l; [field, " is ", actual, "; it must be from ", min, " to ", max, " seconds"], [field, "为 ", actual, "，取值范围为 ", min, "～", max, " 秒"])
            }
        }
        Code::SoundWithVideo => {
            tr!(out, l; [field, " must be \"off\" when there is a reference video"], ["有参考视频时", field, "只能为 \"off\""])
        }
        Code::ShotTypeRequired => {
            tr!(out, l; [field, " is required when multi_shot is true; use \"customize\""], ["multi_shot 为 true 时", field, "为必填项，可选 \"customize\""])
        }
        Code::MultiPromptRequired => {
            tr!(out, l; [field, " needs at least one shot when multi_shot is true and shot_type is \"customize\""], ["multi_shot 为 true 且 shot_type 为 \"customize\" 时，", field, "至少需要一个镜头"])
        }
        Code::MultiPromptCount => {
            tr!(out, l; [field, " has ", actual, " shots; the limit is ", limit], [field, "有 ", actual, " 个镜头，上限为 ", limit])
        }
        Code::ShotIndex => {
            tr!(out, l; [field, " is ", actual, "; shot ", expected, " must have index ", expected, " (indexes run 1…n)"], [field, "为 ", actual, "，第 ", expected, " 个镜头的序号应为 ", expected, "（从 1 开始依次编号）"])
        }
        Code::ShotDuration => {
            let max: &dyn Put = match (max.is(""), l) {
                (false, _) => &max,
                (true, Locale::En) => &"the total",
                (true, Locale::Zh) => &"总时长",
            };
            tr!(out, l; [field, " is \"", actual, "\"; a shot lasts whole seconds from ", min, " to ", max, ", written as a string such as \"2\""], [field, "为 \"", actual, "\"，镜头时长须为 ", min, "～", max, " 的整数秒，并写成字符串（如 \"2\"）"])
        }
        Code::ShotDurationSum => {
            tr!(out, l; [field, ": the shots add up to ", actual, " s; they must add up to the total duration, ", expected, " s"], [field, "：各镜头时长之和为 ", actual, " 秒，必须等于总时长 ", expected, " 秒"])
        }
        Code::ImageUrlInvalid => match reason {
            "line_breaks" => {
                tr!(out, l; [field, ": the Base64 contains whitespace or line breaks; remove them"], [field, "：Base64 中含有空白或换行，请删除"])
            }
            "url_safe" => {
                tr!(out, l; [field, " uses the URL-safe Base64 alphabet (- and _); use the standard one (+ and /)"], [field, "使用了 URL 安全的 Base64 字符（- 和 _），请改用标准 Base64（+ 和 /）"])
            }
            "empty" => {
                tr!(out, l; [field, " is empty; give an image URL or Base64"], [field, "为空，请填写图片 URL 或 Base64"])
            }
            "bad_url" => tr!(out, l; [field, " is not a valid http(s) URL"], [field, "不是有效的 http(s) URL"]),
            _ => {
                tr!(out, l; [field, " is neither an absolute http(s) URL nor Base64"], [field, "既不是完整的 http(s) URL，也不是 Base64"])
            }
        },
        Code::Base64DataUriPrefix => {
            let prefix = p("prefix");
            tr!(out, l; [field, " starts with \"", prefix, "\"; send the Base64 alone, without the data: prefix"], [field, "以 \"", prefix, "\" 开头，请去掉 data: 前缀，只保留 Base64 内容"])
        }
        // A JPEG or PNG whose header cannot be read: "is png; only JPEG and PNG" contradicted itself.
        Code::ImageFormat if p("detail").is("unreadable_header") => {
            let mut format = String::new();
            actual.put(&mut format);
            format.make_ascii_uppercase();
            tr!(out, l; [field, " starts like a ", format, " file, but its header cannot be read (the file is damaged or cut short); save it again as JPEG or PNG"], [field, "开头像 ", format, " 文件，但无法读取其文件头（文件损坏或不完整），请重新保存为 JPEG 或 PNG"])
        }
        Code::ImageFormat => {
            tr!(out, l; [field, " is ", actual, "; only JPEG and PNG are supported"], [field, "的格式为 ", actual, "，仅支持 JPEG 和 PNG"])
        }
        Code::ImageTooLarge => {
            let mb = megabytes(issue.param("actual"));
            tr!(out, l; [field, " is ", mb, " MB; the limit is 10 MB"], [field, "大小为 ", mb, " MB，上限为 10 MB"])
        }
        Code::ImageTooSmall => {
            let (w, h) = (p("width"), p("height"));
            tr!(out, l; [field, " is ", w, "×", h, " px; the shorter side must be at least ", min, " px"], [field, "尺寸为 ", w, "×", h, " 像素，最短边至少 ", min, " 像素"])
        }
        Code::ImageAspectRatio => {
            let (w, h, ratio) = (p("width"), p("height"), p("ratio"));
            tr!(out, l; [field, " is ", w, "×", h, " px (ratio ", ratio, "); the aspect ratio must be between 1:2.5 and 2.5:1"], [field, "尺寸为 ", w, "×", h, " 像素（宽高比 ", ratio, "），宽高比须在 1:2.5～2.5:1 之间"])
        }
        Code::VideoUrlInvalid => {
            tr!(out, l; [field, " must be an absolute http(s) URL"], [field, "必须是完整的 http(s) URL"])
        }
        Code::VideoFormat => {
            tr!(out, l; [field, " is ", actual, "; only MP4 and MOV are supported"], [field, "的格式为 ", actual, "，仅支持 MP4 和 MOV"])
        }
        Code::VideoTooLarge => {
            let mb = megabytes(issue.param("actual"));
            tr!(out, l; [field, " is ", mb, " MB; the limit is 200 MB"], [field, "大小为 ", mb, " MB，上限为 200 MB"])
        }
        Code::VideoDuration => {
            tr!(out, l; [field, " lasts ", actual, " s; it must be 3–10 s"], [field, "时长为 ", actual, " 秒，须为 3～10 秒"])
        }
        Code::VideoResolution => {
            let (w, h) = (p("width"), p("height"));
            tr!(out, l; [field, " is ", w, "×", h, " px; width and height must be ", min, "–", max, " px"], [field, "分辨率为 ", w, "×", h, "，宽和高须在 ", min, "～", max, " 像素之间"])
        }
        Code::VideoFps => {
            tr!(out, l; [field, " runs at ", actual, " fps; it must be ", min, "–", max, " fps"], [field, "帧率为 ", actual, " fps，须在 ", min, "～", max, " fps 之间"])
        }
        Code::CallbackUrlInvalid => {
            tr!(out, l; [field, " must be an absolute http(s) URL"], [field, "必须是完整的 http(s) URL"])
        }
        Code::ExternalTaskIdInvalid => {
            tr!(out, l; [field, " is empty; give a unique id or remove the field"], [field, "为空，请填写唯一的 ID 或删除此字段"])
        }
    }
}

/// The message of one change `prepareImage` made (`crate::media::fit::Change`), in English
/// or Chinese: "padded from 3:1 to 1200×480 with #000000" / "宽高比 3:1，已用 #000000 补边至 1200×480".
pub fn change_message(change: &crate::media::fit::Change, locale: Locale) -> String {
    let p = |k: &str| change.param(k).cloned().unwrap_or(Value::Null);
    let s = |k: &str| match p(k) {
        Value::String(s) => s,
        other => other.to_string(),
    };
    let size = |k: &str| match p(k) {
        Value::Array(a) if a.len() == 2 => format!("{}×{}", a[0], a[1]),
        _ => String::new(),
    };
    let upper = |f: String| f.to_ascii_uppercase();
    let zh = locale == Locale::Zh;
    match change.code {
        "converted" => {
            let from = s("from");
            let frame = from == "gif";
            match (zh, frame) {
                (false, false) => format!("converted from {} to {}", upper(from), upper(s("to"))),
                (false, true) => format!("converted from GIF (its first frame) to {}", upper(s("to"))),
                (true, false) => format!("已从 {} 转换为 {}", upper(from), upper(s("to"))),
                (true, true) => format!("已从 GIF（取第一帧）转换为 {}", upper(s("to"))),
            }
        }
        "re_encoded" if zh => format!("已重新编码为 {}", upper(s("format"))),
        "re_encoded" => format!("re-encoded as {}", upper(s("format"))),
        "rotated" if zh => format!("已按 EXIF 方向 {} 转正", s("orientation")),
        "rotated" => format!("turned upright (EXIF orientation {})", s("orientation")),
        "padded" if zh => {
            format!("宽高比 {}，已用 {} 补边至 {}×{}", s("from"), s("background"), s("width"), s("height"))
        }
        "padded" => {
            format!("aspect ratio {} padded to {}×{} with {}", s("from"), s("width"), s("height"), s("background"))
        }
        "cropped" if zh => format!("宽高比 {}，已居中裁剪为 {}×{}", s("from"), s("width"), s("height")),
        "cropped" => format!("aspect ratio {} cropped to the centre, {}×{}", s("from"), s("width"), s("height")),
        "scaled_up" if zh => format!("已从 {} 放大到 {}（最短边至少 300 像素）", size("from"), size("to")),
        "scaled_up" => format!("scaled up from {} to {} (shorter side at least 300 px)", size("from"), size("to")),
        "scaled_down" => match (zh, s("reason").as_str()) {
            (false, "canvas") => {
                format!("scaled down from {} to {} (at most 4096×4096 pixels drawn)", size("from"), size("to"))
            }
            (true, "canvas") => format!("已从 {} 缩小到 {}（绘制上限 4096×4096 像素）", size("from"), size("to")),
            (false, _) => format!("scaled down from {} to {} to fit the size limit", size("from"), size("to")),
            (true, _) => format!("已从 {} 缩小到 {} 以满足大小限制", size("from"), size("to")),
        },
        "quality_lowered" if zh => format!("JPEG 质量已降至 {} 以满足大小限制", s("quality")),
        "quality_lowered" => format!("JPEG quality lowered to {} to fit the size limit", s("quality")),
        "transparency_flattened" if zh => format!("透明部分已用 {} 填充（PNG 超出大小限制）", s("background")),
        "transparency_flattened" => {
            format!("transparency filled with {} (as a PNG it was over the size limit)", s("background"))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path;

    #[test]
    fn the_issue_examples() {
        let i = Issue::new(Code::TextTooLong, path!["prompt"]).with("limit", 2500).with("actual", 2612);
        assert_eq!(render(&i, Locale::En), "prompt has 2612 characters; the limit is 2500");
        assert_eq!(render(&i, Locale::Zh), "提示词有 2612 个字符，上限为 2500");
    }

    #[test]
    fn list_items_are_named_as_the_form_names_them() {
        let i = Issue::new(Code::Required, path!["parameters", "image_list", 1, "image_url"]);
        assert_eq!(render(&i, Locale::En), "Image 2 is required");
        assert_eq!(render(&i, Locale::Zh), "图片 2为必填项");
        let i = Issue::new(Code::ShotDuration, path!["multi_prompt", 0, "duration"]).with("actual", "0").with("min", 1);
        assert_eq!(
            render(&i, Locale::En),
            "Shot 1's duration is \"0\"; a shot lasts whole seconds from 1 to the total, written as a string such as \"2\""
        );
        // The Chinese message had "the total" in English in it.
        assert_eq!(
            render(&i, Locale::Zh),
            "镜头 1 的时长为 \"0\"，镜头时长须为 1～总时长 的整数秒，并写成字符串（如 \"2\"）"
        );
    }

    #[test]
    fn a_damaged_png_is_not_told_png_is_unsupported() {
        let i = Issue::new(Code::ImageFormat, path!["image_list", 0, "image_url"])
            .with("actual", "png")
            .with("allowed", vec!["jpeg", "png"])
            .with("detail", "unreadable_header");
        let en = render(&i, Locale::En);
        assert_eq!(
            en,
            "Image 1 starts like a PNG file, but its header cannot be read (the file is damaged or cut short); save it again as JPEG or PNG"
        );
        assert!(!en.contains("only JPEG and PNG are supported"));
        assert_eq!(
            render(&i, Locale::Zh),
            "图片 1开头像 PNG 文件，但无法读取其文件头（文件损坏或不完整），请重新保存为 JPEG 或 PNG"
        );
        // A real other format keeps the plain message.
        let i = Issue::new(Code::ImageFormat, path!["image_list", 0, "image_url"]).with("actual", "webp");
        assert_eq!(render(&i, Locale::En), "Image 1 is webp; only JPEG and PNG are supported");
    }

    #[test]
    fn every_code_renders_in_both_locales_without_empty_slots() {
        for &code in Code::ALL {
            let i = Issue::new(code, path!["x"]);
            for l in [Locale::En, Locale::Zh] {
                let m = render(&i, l);
                assert!(m.len() > 10, "{code} {l:?}: {m}");
                assert!(!m.contains('{'), "{code} {l:?}: {m}");
            }
        }
    }

    #[test]
    fn fixed_writes_what_format_writes() {
        let mut xs: Vec<f64> = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.375,
            0.625,
            0.875,
            0.005,
            0.015,
            2.675,
            10.125,
            1e-300,
            5e-324,
            1e15,
            1.8e17,
            4503599627370495.5,
            9007199254740993.0,
            -3.25159,
        ];
        // Byte counts in MB, as the size messages show them: every tie of the rounding among them.
        for b in (0..400_000_000u64).step_by(32_768).chain((0..3_000_000).step_by(997)) {
            xs.push(b as f64 / 1_048_576.0);
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            xs.push((seed >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((seed % 19) as i32 - 2));
        }
        for x in xs {
            assert_eq!(fixed(x, 2).as_deref(), Some(format!("{x:.2}").as_str()), "{x:e}");
            if x.fract() == 0.0 {
                assert_eq!(fixed(x, 0).as_deref(), Some(format!("{x:.0}").as_str()), "{x:e}");
            }
        }
        assert_eq!(fixed(1e30, 0), None);
        assert_eq!(megabytes(Some(&Value::from(1e40))), "9.5367431640625e+33");
    }

    #[test]
    fn locales_parse() {
        assert_eq!(Locale::parse("zh-CN"), Some(Locale::Zh));
        assert_eq!(Locale::parse("en"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
    }
}
