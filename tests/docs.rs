//! docs/rules.md is the project's specification: every code the validator has must have its
//! row in the code table and its own section, both with the severity the code gives it, in
//! the order of `Code::ALL`; and nothing the project ships points at files outside it.

use kling_omni::{Code, Severity};

const RULES: &str = include_str!("../docs/rules.md");

fn severity(code: Code) -> &'static str {
    match code.severity() {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

#[test]
fn every_code_has_its_table_row_and_section_with_its_severity() {
    let mut last_row = 0;
    for &code in Code::ALL {
        let (name, sev) = (code.as_str(), severity(code));
        let row = format!("| [`{name}`](#{name}) | {sev} |");
        let at = RULES.find(&row).unwrap_or_else(|| panic!("docs/rules.md's code table has no row `{row}`"));
        assert!(at > last_row, "docs/rules.md's code table lists {name} out of the order of Code::ALL");
        last_row = at;

        let heading = format!("\n#### `{name}`\n\n");
        let at = RULES.find(&heading).unwrap_or_else(|| panic!("docs/rules.md has no section for {name}"));
        let first = RULES[at + heading.len()..].lines().next().unwrap_or_default();
        assert!(
            first.contains(&format!("**{sev}**")),
            "docs/rules.md's section on {name} does not open with **{sev}**: {first}"
        );
    }
}

#[test]
fn nothing_shipped_or_linked_from_the_readme_points_outside_the_project() {
    let shipped = [
        ("README.md", include_str!("../README.md")),
        ("CHANGELOG.md", include_str!("../CHANGELOG.md")),
        ("docs/rules.md", RULES),
        ("docs/sources/README.md", include_str!("../docs/sources/README.md")),
        ("BENCHMARKS.md", include_str!("../BENCHMARKS.md")),
    ];
    for (file, text) in shipped {
        assert!(!text.contains("../shared"), "{file} links ../shared, which users do not have");
        assert!(!text.contains("SPEC.md"), "{file} cites SPEC.md, which users do not have: cite docs/rules.md");
    }
}
