//! The README's provider table, written from the descriptions (so the two cannot drift:
//! `tests/providers.rs` checks the README holds exactly this text).

use super::{all, AspectRatioRule, Auth, Description, DurationType, Layout, QueryPath, Rules, Watermark};

/// One column per provider and model: (description, rules, heading).
fn columns() -> Vec<(&'static Description, &'static Rules, String)> {
    let mut cols = Vec::new();
    for d in all() {
        for r in d.models {
            let heading =
                if d.models.len() > 1 { format!("`{}`: `{}`", d.name, r.model) } else { format!("`{}`", d.name) };
            cols.push((d, *r, heading));
        }
    }
    cols
}

fn code_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

fn duration(r: &Rules) -> String {
    let d = &r.duration;
    let (lo, hi) = d.range;
    let mut s = match d.kind {
        DurationType::String => format!("string `\"{lo}\"`…`\"{hi}\"`"),
        DurationType::Integer => format!("integer {lo}–{hi}"),
    };
    if let Some(short) = d.short_list {
        let list: Vec<String> = short.iter().map(|n| format!("`\"{n}\"`")).collect();
        s.push_str(&format!("; only {} in text-to-video and with a first frame alone", list.join("/")));
    }
    if let Some((lo, hi)) = d.with_feature_video {
        s.push_str(&format!("; {lo}–{hi} with a `feature` video"));
    }
    s.push_str(&format!("; default {}; ignored in a video edit", d.default));
    s
}

fn aspect(r: &Rules) -> &'static str {
    match r.aspect_ratio {
        AspectRatioRule::UnsupportedWithFrameOrEdit => {
            "required; not supported (error) with a frame image or in a video edit"
        }
        AspectRatioRule::RequiredExceptEdit => "required except in a video edit",
        AspectRatioRule::IgnoredWithFrameOrEdit => "required; ignored (warning) with a frame image or in a video edit",
        AspectRatioRule::UncheckedWithFrameOrEdit => "required; not checked with a frame image or in a video edit",
    }
}

fn fields(d: &Description, r: &Rules) -> String {
    match d.layout {
        Layout::Flat => code_list(r.fields),
        Layout::Nested => {
            format!("`{}`; `input`: {}; `parameters`: {}", d.model_key, code_list(r.input_fields), code_list(r.fields))
        }
    }
}

/// The provider table as Markdown.
pub fn markdown() -> String {
    let cols = columns();
    let mut out = String::from("| |");
    for (_, _, h) in &cols {
        out.push_str(&format!(" {h} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(cols.len()));
    out.push('\n');
    type Cell = fn(&Description, &Rules) -> String;
    let rows: [(&str, Cell); 14] = [
        ("what", |d, _| d.title.to_string()),
        ("create", |d, _| format!("`POST {}`", d.create_path)),
        ("query one", |d, _| match d.query_path {
            QueryPath::Segment(p) if d.query_by_external_id => format!("`GET {p}/{{task_id or external_task_id}}`"),
            QueryPath::Segment(p) => format!("`GET {p}/{{task_id}}`"),
            QueryPath::TaskIdParam(p) => format!("`GET {p}?task_id=`"),
        }),
        ("list", |d, _| d.list_path.map(|p| format!("`GET {p}?pageNum=&pageSize=`")).unwrap_or_else(|| "—".into())),
        ("auth", |d, _| {
            match d.auth {
                Auth::Bearer => "`Authorization: Bearer <key>`",
                Auth::BareKey => "`Authorization: <key>` (or `Bearer <key>`: `authScheme: \"bearer\"`)",
                Auth::Jwt => "`Authorization: Bearer <JWT>` (HS256 from access key + secret key, minted on a server)",
            }
            .to_string()
        }),
        ("host", |d, _| match d.default_base_url {
            Some(u) => format!("`{u}` by default"),
            None => "`KLING_API_SINGAPORE` or `KLING_API_BEIJING` (choose one)".into(),
        }),
        ("model", |d, r| {
            let req = if d.model_required { "required" } else { "optional" };
            format!("`{}`: `\"{}\"` ({req})", d.model_key, r.model)
        }),
        ("fields", fields),
        ("`duration`", |_, r| duration(r)),
        ("`aspect_ratio`", |_, r| format!("{}; {}", code_list(super::ASPECT_RATIOS), aspect(r))),
        ("`sound`", |_, r| {
            r.sound
                .map(|s| format!("{}; default `off`; `off` with any video", code_list(s)))
                .unwrap_or_else(|| "—".into())
        }),
        ("multi-shot", |_, r| {
            if r.multi_shot {
                "`multi_shot`, `shot_type` (`customize`), `multi_prompt` (1–6 shots, string durations)".into()
            } else {
                "—".into()
            }
        }),
        ("`element_list`", |_, r| match r.elements {
            Some(e) => match e.max_with_frame {
                Some(m) => format!("counted with images (≤ 7, ≤ 4 with a video); ≤ {m} with a frame image"),
                None => "counted with images (≤ 7, ≤ 4 with a video)".into(),
            },
            None => "not documented (`unknown_field`)".into(),
        }),
        ("watermark, callback", |_, r| {
            let w = match r.watermark {
                Watermark::Info => "`watermark_info: {enabled}`",
                Watermark::Enabled => "`watermark_enabled`",
            };
            if r.callback {
                format!("{w}; `callback_url`")
            } else {
                format!("{w}; no callback")
            }
        }),
    ];
    for (name, cell) in rows {
        out.push_str(&format!("| {name} |"));
        for (d, r, _) in &cols {
            out.push_str(&format!(" {} |", cell(d, r)));
        }
        out.push('\n');
    }
    out
}
