//! The provider descriptions are the one source of each provider's fields, enums and limits:
//! the README's provider table is generated from them (`KLING_UPDATE_README=1 cargo test
//! --test providers` rewrites it), and the TypeScript request types must name every field,
//! enum value and duration bound they give.

use kling_omni::provider::{all, doc, DurationType, Layout, MODES, SOUNDS};

const BEGIN: &str = "<!-- providers: generated from src/provider by tests/providers.rs -->\n";
const END: &str = "<!-- providers: end -->";

#[test]
fn readme_table_is_generated_from_the_descriptions() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme.find(BEGIN).expect("README has the providers marker") + BEGIN.len();
    let end = start + readme[start..].find(END).expect("README has the providers end marker");
    let table = doc::markdown();
    if std::env::var_os("KLING_UPDATE_README").is_some() {
        std::fs::write(path, format!("{}{table}{}", &readme[..start], &readme[end..])).unwrap();
        return;
    }
    assert_eq!(&readme[start..end], table, "run KLING_UPDATE_README=1 cargo test --test providers");
}

/// The body of `export interface NAME … { … }` in the TypeScript, with the interfaces it
/// extends (one level).
fn interface(ts: &str, name: &str) -> String {
    let at = ts.find(&format!("export interface {name} ")).unwrap_or_else(|| panic!("no interface {name}"));
    let open = at + ts[at..].find('{').unwrap();
    let mut depth = 0;
    let mut close = open;
    for (i, c) in ts[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = open + i;
                    break;
                }
            }
            _ => {}
        }
    }
    let head = &ts[at..open];
    let mut body = ts[open..=close].to_string();
    if let Some(ext) = head.split("extends Omit<").nth(1) {
        let parent = ext.split(',').next().unwrap().trim();
        body.push_str(&interface(ts, parent));
    }
    body
}

#[test]
fn typescript_types_name_every_field_enum_and_limit() {
    let ts = include_str!("../src/wasm/validate.rs");
    for d in all() {
        for rules in d.models {
            let iface = match (d.name, rules.model) {
                ("o1", _) | ("kling", "kling-video-o1") => "O1Request",
                ("v3", _) => "V3Request",
                ("kling", "kling-v3-omni") => "KlingV3OmniRequest",
                other => panic!("no TypeScript type for {other:?}"),
            };
            let body = interface(ts, iface);
            let has_field = |f: &str| body.contains(&format!(" {f}?:")) || body.contains(&format!(" {f}:"));
            let names = rules.fields.iter().chain(rules.input_fields).chain([&d.model_key]);
            for f in names {
                assert!(has_field(f), "{iface} lacks {f} ({} {})", d.name, rules.model);
            }
            if d.layout == Layout::Nested {
                assert!(has_field("input") && has_field("parameters"), "{iface}");
            }
            assert!(body.contains(&format!("\"{}\"", rules.model)), "{iface} lacks its model {}", rules.model);
            for m in MODES.iter().chain(kling_omni::provider::ASPECT_RATIOS) {
                assert!(body.contains(&format!("\"{m}\"")), "{iface} lacks {m}");
            }
            if rules.sound.is_some() {
                for s in SOUNDS {
                    assert!(body.contains(&format!("\"{s}\"")), "{iface} lacks sound {s}");
                }
            }
            let (lo, hi) = rules.duration.range;
            match rules.duration.kind {
                DurationType::String => {
                    for n in lo..=hi {
                        assert!(body.contains(&format!("\"{n}\"")), "{iface} lacks duration \"{n}\"");
                    }
                    assert!(!body.contains(&format!("| \"{}\"", hi + 1)), "{iface} offers a duration past {hi}");
                }
                DurationType::Integer => {
                    assert!(body.contains(&format!("{lo}–{hi}")), "{iface} does not say {lo}–{hi}");
                }
            }
            if let Some((flo, fhi)) = rules.duration.with_feature_video {
                assert!(
                    body.contains(&format!("{flo}–{fhi}")) || body.contains(&format!("\"{flo}\"–\"{fhi}\"")),
                    "{iface}: {flo}–{fhi} with a video"
                );
            }
        }
    }
}

/// `KLING_API_SINGAPORE` and `KLING_API_BEIJING` are exported from `src/wasm/error.js` (the
/// package's one JS snippet) and typed in `src/wasm/client.d.ts`: both hold the description's
/// hosts.
#[test]
fn the_exported_hosts_are_the_descriptions() {
    use kling_omni::provider::kling::{BEIJING, SINGAPORE};
    let js = include_str!("../src/wasm/error.js");
    let ts = include_str!("../src/wasm/client.d.ts");
    for (name, host) in [("KLING_API_SINGAPORE", SINGAPORE), ("KLING_API_BEIJING", BEIJING)] {
        assert!(js.contains(&format!("export const {name} = \"{host}\";")), "{name} in error.js");
        assert!(ts.contains(&format!("export const {name}: \"{host}\";")), "{name} in client.d.ts");
    }
}
